#include "../util/setup.h"

#include <stdio.h>

#include "drydock/buf.h"
#include "drydock/error.h"
#include "drydock/feed.h"
#include "drydock/limits.h"
#include "debian-releases.h"

/*
 * The security tracker's advisory lists, data/DSA/list and data/DLA/list
 * (salsa.debian.org/security-tracker-team/security-tracker):
 *
 *   [29 Mar 2023] DSA-5380-1 xorg-server - security update
 *   \t{CVE-2023-1393}
 *   \t[bullseye] - xorg-server 2:1.20.11-1+deb11u6
 *   \tNOTE: ...
 *
 * Each "[release] - package version" line gives, for every CVE of the
 * entry (or the advisory itself when it lists none), an advisory: fixed
 * in that version in that release, with the DSA/DLA id. A version may be
 * a tag instead: <not-affected> -> not_affected, <unfixed> -> affected,
 * <end-of-life> -> end_of_life; other tags (<removed>, ...) carry no
 * package state and are skipped, like releases we do not know. Each
 * entry also yields a vulnerability record: the advisory id, its title,
 * its date and its CVEs as aliases.
 */

/* CVEs listed by one advisory (the largest DSAs list ~200) */
#define MAX_ENTRY_IDS 4096
#define MAX_LINE 65536

struct entry {
	char id[64];
	char title[512];
	char date[32];
	const char *ids[MAX_ENTRY_IDS + 1];
	size_t nids;
	struct drydock_buf idbuf; /* the ids, NUL-separated */
	int open;
};

static int month_of(const char *m)
{
	static const char *const names[] = {"Jan", "Feb", "Mar", "Apr",
					    "May", "Jun", "Jul", "Aug",
					    "Sep", "Oct", "Nov", "Dec"};
	int i;

	for (i = 0; i < 12; i++)
		if (!memcmp(m, names[i], 3))
			return i + 1;
	return 0;
}

static int isdig(char c)
{
	return c >= '0' && c <= '9';
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* "[29 Mar 2023] " -> date; returns the length of the prefix or 0 */
static size_t parse_date(const char *l, size_t n, char *date, size_t size)
{
	int mon;

	if (n < 14 || l[0] != '[' || !isdig(l[1]) || !isdig(l[2]) ||
	    l[3] != ' ' || l[7] != ' ' || !isdig(l[8]) || !isdig(l[9]) ||
	    !isdig(l[10]) || !isdig(l[11]) || l[12] != ']')
		return 0;
	mon = month_of(l + 4);
	if (!mon)
		return 0;
	snprintf(date, size, "%.4s-%02d-%.2sT00:00:00Z", l + 8, mon, l + 1);
	return 13;
}

static int flush(struct entry *e, const struct drydock_feed_sink *sink)
{
	struct drydock_vuln v;
	int rc;

	if (!e->open)
		return 0;
	memset(&v, 0, sizeof(v));
	v.id = e->id;
	v.title = e->title[0] ? e->title : NULL;
	v.published = e->date;
	e->ids[e->nids] = NULL;
	v.aliases = e->nids ? e->ids : NULL;
	v.data_source = "debian-dsa";
	rc = sink->vuln(sink->payload, &v);
	e->open = 0;
	return rc;
}

static int bad(const char *name, size_t lineno, const char *what,
	       struct drydock_err *err)
{
	return drydock_err_set(err, DRYDOCK_ECORRUPT, "'%s': line %zu: %s",
			       name, lineno, what);
}

static int header(struct entry *e, const char *l, size_t n, const char *name,
		  size_t lineno, struct drydock_err *err)
{
	size_t off = parse_date(l, n, e->date, sizeof(e->date)), i;

	if (!off)
		return bad(name, lineno,
			   "not an advisory line ('[DD Mon YYYY] DSA-...')",
			   err);
	while (off < n && is_space(l[off]))
		off++;
	for (i = off; i < n && !is_space(l[i]); i++)
		;
	if (i == off || i - off >= sizeof(e->id) ||
	    !((i - off >= 4 &&
	       (!memcmp(l + off, "DSA-", 4) || !memcmp(l + off, "DLA-", 4))) ||
	      (i - off >= 5 && !memcmp(l + off, "DTSA-", 5))))
		return bad(name, lineno, "advisory id missing or not DSA/DLA",
			   err);
	memcpy(e->id, l + off, i - off);
	e->id[i - off] = '\0';
	while (i < n && is_space(l[i]))
		i++;
	snprintf(e->title, sizeof(e->title), "%.*s", (int)(n - i), l + i);
	/* strip trailing spaces of the title */
	for (off = strlen(e->title); off && is_space(e->title[off - 1]);)
		e->title[--off] = '\0';
	e->nids = 0;
	drydock_buf_reset(&e->idbuf);
	e->open = 1;
	return 0;
}

static int id_list(struct entry *e, const char *l, size_t n, const char *name,
		   size_t lineno, struct drydock_err *err)
{
	size_t i = 1, k;
	size_t starts[MAX_ENTRY_IDS];

	if (!e->open)
		return bad(name, lineno, "id list before any advisory", err);
	while (i < n && l[i] != '}') {
		size_t s;

		while (i < n && is_space(l[i]))
			i++;
		s = i;
		while (i < n && !is_space(l[i]) && l[i] != '}')
			i++;
		if (i == s)
			continue;
		if (e->nids >= MAX_ENTRY_IDS)
			return bad(name, lineno, "too many ids", err);
		starts[e->nids++] = e->idbuf.len;
		if (drydock_buf_put(&e->idbuf, l + s, i - s) ||
		    drydock_buf_putc(&e->idbuf, '\0'))
			return drydock_err_set(err, DRYDOCK_ENOMEM,
					       "out of memory");
	}
	/* pointers only now: the buffer may have moved while growing */
	for (k = 0; k < e->nids; k++)
		e->ids[k] = e->idbuf.ptr + starts[k];
	return 0;
}

static int release(struct entry *e, const char *l, size_t n, const char *name,
		   size_t lineno, const struct drydock_feed_sink *sink,
		   struct drydock_err *err)
{
	char codename[32], pkg[256], ver[DRYDOCK_MAX_VERSION_LEN + 1];
	struct drydock_advisory a;
	size_t i = 1, s, k;
	int rc = 0;

	if (!e->open)
		return bad(name, lineno, "release line before any advisory",
			   err);
	for (s = i; i < n && l[i] != ']'; i++)
		;
	if (i == n || i - s >= sizeof(codename) || i == s)
		return bad(name, lineno, "bad release in '[release] - ...'",
			   err);
	memcpy(codename, l + s, i - s);
	codename[i - s] = '\0';
	i++;
	while (i < n && is_space(l[i]))
		i++;
	if (i >= n || l[i] != '-')
		return bad(name, lineno,
			   "expected '[release] - package version'", err);
	i++;
	while (i < n && is_space(l[i]))
		i++;
	for (s = i; i < n && !is_space(l[i]); i++)
		;
	if (i == s || i - s >= sizeof(pkg))
		return bad(name, lineno, "package name missing or too long",
			   err);
	memcpy(pkg, l + s, i - s);
	pkg[i - s] = '\0';
	while (i < n && is_space(l[i]))
		i++;
	for (s = i; i < n && !is_space(l[i]); i++)
		;
	if (i == s || i - s >= sizeof(ver))
		return bad(name, lineno, "version missing or too long", err);
	memcpy(ver, l + s, i - s);
	ver[i - s] = '\0';

	memset(&a, 0, sizeof(a));
	a.namespace_ = debian_namespace(codename);
	if (!a.namespace_)
		return 0;
	if (ver[0] == '<') {
		if (!strcmp(ver, "<not-affected>"))
			a.status = DRYDOCK_STATUS_NOT_AFFECTED;
		else if (!strcmp(ver, "<unfixed>"))
			a.status = DRYDOCK_STATUS_AFFECTED;
		else if (!strcmp(ver, "<end-of-life>"))
			a.status = DRYDOCK_STATUS_END_OF_LIFE;
		else
			return 0;
	} else {
		a.status = DRYDOCK_STATUS_FIXED;
		a.fixed_version = ver;
	}
	a.package = pkg;
	a.version_type = "deb";
	a.advisory_id = e->id;
	a.data_source = "debian-dsa";
	if (!e->nids) {
		a.vuln_id = e->id;
		return sink->advisory(sink->payload, &a);
	}
	for (k = 0; k < e->nids && !rc; k++) {
		a.vuln_id = e->ids[k];
		rc = sink->advisory(sink->payload, &a);
	}
	return rc;
}

static int parse(const char *data, size_t len, const char *name,
		 const struct drydock_feed_sink *sink, struct drydock_err *err)
{
	struct entry *e = calloc(1, sizeof(*e));
	const char *p = data, *end = data + len;
	size_t lineno = 0;
	int rc = 0;

	if (!e)
		return drydock_err_set(err, DRYDOCK_ENOMEM, "out of memory");
	drydock_buf_init(&e->idbuf, (size_t)MAX_ENTRY_IDS * 64);
	while (p < end && !rc) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		const char *l = p;

		p += n + (nl ? 1 : 0);
		lineno++;
		if (n > MAX_LINE) {
			rc = bad(name, lineno, "line too long", err);
			break;
		}
		if (memchr(l, '\0', n)) {
			rc = bad(name, lineno, "NUL byte in text", err);
			break;
		}
		if (n && l[n - 1] == '\r')
			n--;
		if (!n)
			continue;
		if (!is_space(l[0])) {
			rc = flush(e, sink);
			if (!rc)
				rc = header(e, l, n, name, lineno, err);
			continue;
		}
		while (n && is_space(*l)) {
			l++;
			n--;
		}
		if (!n)
			continue;
		if (l[0] == '{')
			rc = id_list(e, l, n, name, lineno, err);
		else if (l[0] == '[')
			rc = release(e, l, n, name, lineno, sink, err);
		/* NOTE: and other annotations carry no package state */
	}
	if (!rc)
		rc = flush(e, sink);
	if (!rc && lineno == 0)
		rc = drydock_err_set(err, DRYDOCK_ECORRUPT,
				     "'%s': empty advisory list", name);
	drydock_buf_release(&e->idbuf);
	free(e);
	return rc;
}

static int detect(const char *head, size_t len, const char *path)
{
	char date[32];
	size_t off;

	(void)path;
	off = parse_date(head, len, date, sizeof(date));
	if (!off || len < off + 5)
		return 0;
	if (!memcmp(head + off, " DSA-", 5) || !memcmp(head + off, " DLA-", 5))
		return 95;
	return 0;
}

const struct drydock_importer drydock_importer_debian_dsa = {
	"debian-dsa",
	"Debian security tracker DSA/DLA list (data/DSA/list, data/DLA/list)",
	detect,
	parse,
	NULL,
};
