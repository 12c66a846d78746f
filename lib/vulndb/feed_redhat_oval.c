#include "../util/setup.h"

#include <ctype.h>
#include <stdio.h>

#include "drydock/error.h"
#include "drydock/feed.h"
#include "feed-common.h"
#include "feed-oval.h"

/*
 * Red Hat OVAL v2 (security.access.redhat.com/data/oval/v2/RHEL8/
 * rhel-8.oval.xml.bz2): one patch definition per RHSA/RHBA/RHEA, whose
 * criteria test rpminfo objects (binary RPM names) against a "less than"
 * evr state, next to signature-key, module-stream and release tests
 * (ignored). See docs/feeds.md.
 */

/* "Red Hat Enterprise Linux 8" -> "rhel:8" */
static int platform_ns(const char *p, char *ns, size_t size)
{
	size_t n = 0;

	if (strncmp(p, "Red Hat Enterprise Linux ", 25))
		return -1;
	p += 25;
	while (isdigit((unsigned char)p[n]) && n < 4)
		n++;
	if (!n || p[n])
		return -1;
	snprintf(ns, size, "rhel:%.*s", (int)n, p);
	return 0;
}

static const struct oval_flavor flavor = {
	"redhat-oval",	"rpm",	     "RHSA", "redhat",
	"rpminfo_test", platform_ns, NULL,   0,
};

int drydock_oval_redhat_parse_memory(const char *data, size_t len,
				     const char *name,
				     const struct drydock_feed_sink *sink,
				     struct drydock_err *err)
{
	return drydock_oval_parse_memory(&flavor, data, len, name, sink, err);
}

static int parse_file(const char *path, const char *name,
		      const struct drydock_feed_sink *sink,
		      struct drydock_err *err)
{
	return drydock_oval_parse_file(&flavor, path, name, sink, err);
}

static int detect(const char *head, size_t len, const char *path)
{
	int score = 0;

	(void)path;
	if (!memmem(head, len, "<oval_definitions", 17))
		return 0;
	score += 40;
	if (memmem(head, len, "oval:com.redhat.", 16))
		score += 40;
	if (memmem(head, len, "Red Hat", 7))
		score += 15;
	return score;
}

const struct drydock_importer drydock_importer_redhat_oval = {
	"redhat-oval", "Red Hat OVAL v2 (rhel-<N>.oval.xml)", detect, NULL,
	parse_file,
};
