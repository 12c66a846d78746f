#include "../util/setup.h"

/*
 * dpkg status databases: var/lib/dpkg/status and the per-package files
 * of distroless images' var/lib/dpkg/status.d/. Both are deb822
 * stanzas ("Name: value" lines, continuation lines starting with a space
 * or a tab, stanzas separated by blank lines). See docs/inventory.md for
 * which stanzas become packages.
 *
 * Rules (decided in docs/inventory.md):
 *  - a line that is neither a field nor a continuation, a continuation
 *    before any field, a NUL byte, or a duplicate of a field we read makes
 *    the whole database fail (DRYDOCK_ECORRUPT, naming file and line):
 *    the data is not dpkg data and what it lists cannot be trusted;
 *  - a well-formed stanza that cannot be a package (no Package, no
 *    Version, a Status that is not three words or names an unknown
 *    state) is skipped, as dpkg-query would not list it as installed;
 *  - Status decides: the package's files are on disk (installed,
 *    half-configured, unpacked, half-installed, triggers-awaited,
 *    triggers-pending) -> kept; not-installed and config-files -> not;
 *  - no Status field at all -> kept: distroless status.d files carry
 *    none, and a dpkg-written status file always has one.
 * Line ends may be CRLF. Field names match case-insensitively (deb822).
 */

#include <strings.h>

#include "drydock/error.h"
#include "drydock/inventory.h"
#include "drydock/limits.h"
#include "inventory-int.h"

enum {
	F_PACKAGE,
	F_VERSION,
	F_ARCH,
	F_SOURCE,
	F_MAINTAINER,
	F_STATUS,
	F_COUNT
};

static const char *const field_names[F_COUNT] = {
	"Package", "Version", "Architecture", "Source", "Maintainer", "Status",
};

struct stanza {
	const char *v[F_COUNT];
	size_t n[F_COUNT];
	unsigned line; /* first line, 0 when no field seen yet */
};

int inv_dup(char **out, const char *s, size_t n, struct drydock_err *err)
{
	char *c = malloc(n + 1);

	if (!c)
		return drydock_err_set(err, DRYDOCK_ENOMEM, "out of memory");
	memcpy(c, s, n);
	c[n] = '\0';
	free(*out);
	*out = c;
	return 0;
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static void trim(const char **s, size_t *n)
{
	while (*n && is_blank(**s)) {
		(*s)++;
		(*n)--;
	}
	while (*n && is_blank((*s)[*n - 1]))
		(*n)--;
}

/* The status word of "want eflag status", or NULL when malformed. */
static int status_keeps(const char *s, size_t n, int *keep)
{
	static const char *const on_disk[] = {
		"installed",	  "half-configured",  "unpacked",
		"half-installed", "triggers-awaited", "triggers-pending",
	};
	const char *w[4];
	size_t wl[4], nw = 0, i = 0, k;

	while (i < n) {
		while (i < n && is_blank(s[i]))
			i++;
		if (i == n)
			break;
		if (nw == 3)
			return -1;
		w[nw] = s + i;
		while (i < n && !is_blank(s[i]))
			i++;
		wl[nw] = (size_t)(s + i - w[nw]);
		nw++;
	}
	if (nw != 3)
		return -1;
	for (k = 0; k < sizeof(on_disk) / sizeof(on_disk[0]); k++) {
		if (wl[2] == strlen(on_disk[k]) &&
		    memcmp(w[2], on_disk[k], wl[2]) == 0) {
			*keep = 1;
			return 0;
		}
	}
	if ((wl[2] == 13 && memcmp(w[2], "not-installed", 13) == 0) ||
	    (wl[2] == 12 && memcmp(w[2], "config-files", 12) == 0)) {
		*keep = 0;
		return 0;
	}
	return -1;
}

static int finish(struct drydock_inventory *inv, struct stanza *st,
		  const char *name, struct drydock_err *err)
{
	struct drydock_pkg *p;
	const char *sn, *sv = NULL;
	size_t snl, svl = 0;
	int keep = 1, rc;

	if (!st->line)
		return 0;
	if (!st->v[F_PACKAGE] || !st->n[F_PACKAGE] || !st->v[F_VERSION] ||
	    !st->n[F_VERSION])
		keep = 0;
	if (keep && st->v[F_STATUS] &&
	    status_keeps(st->v[F_STATUS], st->n[F_STATUS], &keep) < 0)
		keep = 0;
	if (!keep) {
		memset(st, 0, sizeof(*st));
		return 0;
	}
	if (st->n[F_VERSION] > DRYDOCK_MAX_VERSION_LEN)
		return drydock_err_set(
			err, DRYDOCK_ELIMIT,
			"'%s': line %u: version longer than %u bytes "
			"(DRYDOCK_MAX_VERSION_LEN)",
			name, st->line, (unsigned)DRYDOCK_MAX_VERSION_LEN);
	/* Source: "name" or "name (version)"; anything else after the name
	 * is ignored and the version defaults to the binary's */
	sn = st->v[F_SOURCE];
	snl = 0;
	if (sn && st->n[F_SOURCE]) {
		const char *e = sn + st->n[F_SOURCE];
		const char *q = sn;

		while (q < e && !is_blank(*q) && *q != '(')
			q++;
		snl = (size_t)(q - sn);
		while (q < e && is_blank(*q))
			q++;
		if (q < e && *q == '(' && e[-1] == ')') {
			sv = q + 1;
			svl = (size_t)(e - 1 - sv);
			trim(&sv, &svl);
			if (!svl)
				sv = NULL;
			else if (svl > DRYDOCK_MAX_VERSION_LEN)
				return drydock_err_set(
					err, DRYDOCK_ELIMIT,
					"'%s': line %u: source version longer "
					"than %u bytes "
					"(DRYDOCK_MAX_VERSION_LEN)",
					name, st->line,
					(unsigned)DRYDOCK_MAX_VERSION_LEN);
		}
	}
	if (!snl) {
		sn = st->v[F_PACKAGE];
		snl = st->n[F_PACKAGE];
	}
	if (!sv) {
		sv = st->v[F_VERSION];
		svl = st->n[F_VERSION];
	}
	p = drydock_inventory_add(inv, err);
	if (!p)
		return drydock_err_prefix(err, "'%s': line %u", name, st->line);
	p->type = DRYDOCK_PKG_DEB;
	if ((rc = inv_dup(&p->name, st->v[F_PACKAGE], st->n[F_PACKAGE], err)) <
		    0 ||
	    (rc = inv_dup(&p->version, st->v[F_VERSION], st->n[F_VERSION],
			  err)) < 0 ||
	    (rc = inv_dup(&p->src_name, sn, snl, err)) < 0 ||
	    (rc = inv_dup(&p->src_version, sv, svl, err)) < 0 ||
	    (rc = inv_dup(&p->db_path, name, strlen(name), err)) < 0)
		return rc;
	if (st->v[F_ARCH] && st->n[F_ARCH] &&
	    (rc = inv_dup(&p->arch, st->v[F_ARCH], st->n[F_ARCH], err)) < 0)
		return rc;
	if (st->v[F_MAINTAINER] && st->n[F_MAINTAINER] &&
	    (rc = inv_dup(&p->maintainer, st->v[F_MAINTAINER],
			  st->n[F_MAINTAINER], err)) < 0)
		return rc;
	memset(st, 0, sizeof(*st));
	return 0;
}

static int parse(struct drydock_inventory *inv, const char *data, size_t len,
		 const char *name, struct drydock_err *err)
{
	struct stanza st;
	size_t pos = 0, field_len = 0;
	unsigned line = 0;
	int in_field = 0, rc;

	memset(&st, 0, sizeof(st));
	while (pos < len) {
		const char *l = data + pos, *nl, *colon, *v;
		size_t n, nn, vn;
		int f;

		nl = memchr(l, '\n', len - pos);
		n = nl ? (size_t)(nl - l) : len - pos;
		pos += n + (nl ? 1 : 0);
		line++;
		if (n && l[n - 1] == '\r')
			n--;
		if (memchr(l, '\0', n))
			return drydock_err_set(err, DRYDOCK_ECORRUPT,
					       "'%s': line %u: NUL byte", name,
					       line);
		nn = 0;
		while (nn < n && is_blank(l[nn]))
			nn++;
		if (nn == n) { /* blank line: end of stanza */
			if ((rc = finish(inv, &st, name, err)) < 0)
				return rc;
			in_field = 0;
			continue;
		}
		if (is_blank(l[0])) { /* continuation */
			if (!in_field)
				return drydock_err_set(
					err, DRYDOCK_ECORRUPT,
					"'%s': line %u: continuation line "
					"without a field",
					name, line);
			field_len += n;
			if (field_len > DRYDOCK_MAX_FIELD_BYTES)
				return drydock_err_set(
					err, DRYDOCK_ELIMIT,
					"'%s': line %u: field longer than %u "
					"bytes (DRYDOCK_MAX_FIELD_BYTES)",
					name, line,
					(unsigned)DRYDOCK_MAX_FIELD_BYTES);
			continue;
		}
		colon = memchr(l, ':', n);
		if (!colon)
			return drydock_err_set(err, DRYDOCK_ECORRUPT,
					       "'%s': line %u: neither a field "
					       "('Name: value') nor a "
					       "continuation line",
					       name, line);
		nn = (size_t)(colon - l);
		for (f = 0; f < (int)nn; f++)
			if (is_blank(l[f]))
				return drydock_err_set(
					err, DRYDOCK_ECORRUPT,
					"'%s': line %u: field name with a "
					"space",
					name, line);
		if (nn == 0)
			return drydock_err_set(err, DRYDOCK_ECORRUPT,
					       "'%s': line %u: field without a "
					       "name",
					       name, line);
		v = colon + 1;
		vn = n - nn - 1;
		trim(&v, &vn);
		field_len = n;
		if (field_len > DRYDOCK_MAX_FIELD_BYTES)
			return drydock_err_set(
				err, DRYDOCK_ELIMIT,
				"'%s': line %u: field longer than %u bytes "
				"(DRYDOCK_MAX_FIELD_BYTES)",
				name, line, (unsigned)DRYDOCK_MAX_FIELD_BYTES);
		in_field = 1;
		if (!st.line)
			st.line = line;
		for (f = 0; f < F_COUNT; f++) {
			if (nn != strlen(field_names[f]) ||
			    strncasecmp(l, field_names[f], nn) != 0)
				continue;
			if (st.v[f])
				return drydock_err_set(
					err, DRYDOCK_ECORRUPT,
					"'%s': line %u: duplicate '%s' field",
					name, line, field_names[f]);
			st.v[f] = v;
			st.n[f] = vn;
			break;
		}
	}
	return finish(inv, &st, name, err);
}

int drydock_dpkg_parse_status(struct drydock_inventory *inv, const char *data,
			      size_t len, const char *name,
			      struct drydock_err *err)
{
	size_t start = inv->npkgs;
	int rc;

	if (len > DRYDOCK_MAX_KEPT_FILE_BYTES)
		return drydock_err_set(err, DRYDOCK_ELIMIT,
				       "'%s': %zu bytes, more than the %u-byte "
				       "database limit "
				       "(DRYDOCK_MAX_KEPT_FILE_BYTES)",
				       name, len,
				       (unsigned)DRYDOCK_MAX_KEPT_FILE_BYTES);
	rc = parse(inv, data, len, name, err);
	if (rc < 0)
		inv_truncate(inv, start);
	return rc;
}
