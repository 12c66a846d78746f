#include "../util/setup.h"

#include <ctype.h>
#include <stdio.h>

#include "drydock/error.h"
#include "drydock/feed.h"
#include "feed-common.h"
#include "feed-oval.h"

/*
 * Ubuntu USN OVAL (security-metadata.canonical.com/oval/
 * com.ubuntu.<codename>.usn.oval.xml): one patch definition per USN (and
 * LSN), whose criteria test dpkginfo objects (binary package names,
 * usually through a constant variable listing every binary of the
 * upload) against a "less than" evr state. See docs/feeds.md.
 */

static const struct {
	const char *codename, *version;
} codenames[] = {
	{"trusty", "14.04"},   {"xenial", "16.04"}, {"bionic", "18.04"},
	{"focal", "20.04"},    {"groovy", "20.10"}, {"hirsute", "21.04"},
	{"impish", "21.10"},   {"jammy", "22.04"},  {"kinetic", "22.10"},
	{"lunar", "23.04"},    {"mantic", "23.10"}, {"noble", "24.04"},
	{"oracular", "24.10"}, {"plucky", "25.04"}, {"questing", "25.10"},
};

/* "Ubuntu 22.04 LTS" -> "ubuntu:22.04" */
static int platform_ns(const char *p, char *ns, size_t size)
{
	size_t n = 0;

	if (strncmp(p, "Ubuntu ", 7))
		return -1;
	p += 7;
	while ((isdigit((unsigned char)p[n]) || p[n] == '.') && n < 8)
		n++;
	if (n < 4 || !isdigit((unsigned char)p[0]) || p[n - 1] == '.' ||
	    (p[n] && p[n] != ' '))
		return -1;
	snprintf(ns, size, "ubuntu:%.*s", (int)n, p);
	return 0;
}

/* "oval:com.ubuntu.jammy:def:..." -> "ubuntu:22.04" */
static int defid_ns(const char *id, char *ns, size_t size)
{
	size_t i;

	if (strncmp(id, "oval:com.ubuntu.", 16))
		return -1;
	id += 16;
	for (i = 0; i < sizeof(codenames) / sizeof(codenames[0]); i++) {
		size_t n = strlen(codenames[i].codename);

		if (!strncmp(id, codenames[i].codename, n) && id[n] == ':') {
			snprintf(ns, size, "ubuntu:%s", codenames[i].version);
			return 0;
		}
	}
	return -1;
}

static const struct oval_flavor flavor = {
	"ubuntu-oval",	 "deb",	      "USN",	"ubuntu",
	"dpkginfo_test", platform_ns, defid_ns, 1,
};

int drydock_oval_ubuntu_parse_memory(const char *data, size_t len,
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
	if (memmem(head, len, "oval:com.ubuntu.", 16))
		score += 40;
	if (memmem(head, len, "Canonical", 9) ||
	    memmem(head, len, "dpkginfo", 8))
		score += 15;
	return score;
}

const struct drydock_importer drydock_importer_ubuntu_oval = {
	"ubuntu-oval", "Ubuntu USN OVAL (com.ubuntu.<codename>.usn.oval.xml)",
	detect,	       NULL,
	parse_file,
};
