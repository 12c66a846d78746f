#include "../util/setup.h"

/*
 * apk installed databases (lib/apk/db/installed, usr/lib/apk/db/installed):
 * records of "K:value" lines (a one-letter key, a colon, the value),
 * separated by blank lines. Fields read: P name, V version, A arch,
 * o origin (the source package), L license, m maintainer; the rest (file
 * lists, checksums, dependencies) is skipped.
 *
 * As for dpkg (docs/inventory.md): a line that is not "K:value", a NUL
 * byte, or a duplicate P/V/A/o/L/m in one record makes the database fail;
 * a well-formed record without P or V is skipped (it names no package we
 * could match). Values are kept verbatim (apk does not trim them) except
 * for a CR before the line feed.
 */

#include "drydock/error.h"
#include "drydock/inventory.h"
#include "drydock/limits.h"
#include "inventory-int.h"

static const char keys[] = "PVAoLm";
#define NKEYS (sizeof(keys) - 1)

struct record {
	const char *v[NKEYS];
	size_t n[NKEYS];
	unsigned line;
};

static int finish(struct drydock_inventory *inv, struct record *r,
		  const char *name, struct drydock_err *err)
{
	struct drydock_pkg *p;
	int rc;

	if (!r->line)
		return 0;
	/* P and V are keys 0 and 1 */
	if (!r->v[0] || !r->n[0] || !r->v[1] || !r->n[1]) {
		memset(r, 0, sizeof(*r));
		return 0;
	}
	if (r->n[1] > DRYDOCK_MAX_VERSION_LEN)
		return drydock_err_set(err, DRYDOCK_ELIMIT,
				       "'%s': line %u: version longer than %u "
				       "bytes (DRYDOCK_MAX_VERSION_LEN)",
				       name, r->line,
				       (unsigned)DRYDOCK_MAX_VERSION_LEN);
	p = drydock_inventory_add(inv, err);
	if (!p)
		return drydock_err_prefix(err, "'%s': line %u", name, r->line);
	p->type = DRYDOCK_PKG_APK;
	if ((rc = inv_dup(&p->name, r->v[0], r->n[0], err)) < 0 ||
	    (rc = inv_dup(&p->version, r->v[1], r->n[1], err)) < 0 ||
	    (rc = inv_dup(&p->src_version, r->v[1], r->n[1], err)) < 0 ||
	    (rc = inv_dup(&p->db_path, name, strlen(name), err)) < 0)
		return rc;
	/* no origin: the package is its own origin */
	if (r->v[3] && r->n[3])
		rc = inv_dup(&p->src_name, r->v[3], r->n[3], err);
	else
		rc = inv_dup(&p->src_name, r->v[0], r->n[0], err);
	if (rc < 0)
		return rc;
	if (r->v[2] && r->n[2] &&
	    (rc = inv_dup(&p->arch, r->v[2], r->n[2], err)) < 0)
		return rc;
	if (r->v[4] && r->n[4] &&
	    (rc = inv_dup(&p->license, r->v[4], r->n[4], err)) < 0)
		return rc;
	if (r->v[5] && r->n[5] &&
	    (rc = inv_dup(&p->maintainer, r->v[5], r->n[5], err)) < 0)
		return rc;
	memset(r, 0, sizeof(*r));
	return 0;
}

static int parse(struct drydock_inventory *inv, const char *data, size_t len,
		 const char *name, struct drydock_err *err)
{
	struct record r;
	size_t pos = 0;
	unsigned line = 0;
	int rc;

	memset(&r, 0, sizeof(r));
	while (pos < len) {
		const char *l = data + pos, *nl, *k;
		size_t n, i;

		nl = memchr(l, '\n', len - pos);
		n = nl ? (size_t)(nl - l) : len - pos;
		pos += n + (nl ? 1 : 0);
		line++;
		if (n && l[n - 1] == '\r')
			n--;
		if (n == 0) {
			if ((rc = finish(inv, &r, name, err)) < 0)
				return rc;
			continue;
		}
		if (memchr(l, '\0', n))
			return drydock_err_set(err, DRYDOCK_ECORRUPT,
					       "'%s': line %u: NUL byte", name,
					       line);
		if (n < 2 || l[1] != ':' || l[0] == ' ' || l[0] == '\t')
			return drydock_err_set(err, DRYDOCK_ECORRUPT,
					       "'%s': line %u: not a 'K:value' "
					       "line",
					       name, line);
		if (n - 2 > DRYDOCK_MAX_FIELD_BYTES)
			return drydock_err_set(
				err, DRYDOCK_ELIMIT,
				"'%s': line %u: field longer than %u bytes "
				"(DRYDOCK_MAX_FIELD_BYTES)",
				name, line, (unsigned)DRYDOCK_MAX_FIELD_BYTES);
		if (!r.line)
			r.line = line;
		k = memchr(keys, l[0], NKEYS);
		if (!k)
			continue;
		i = (size_t)(k - keys);
		if (r.v[i])
			return drydock_err_set(err, DRYDOCK_ECORRUPT,
					       "'%s': line %u: duplicate '%c:' "
					       "field",
					       name, line, l[0]);
		r.v[i] = l + 2;
		r.n[i] = n - 2;
	}
	return finish(inv, &r, name, err);
}

int drydock_apk_parse_installed(struct drydock_inventory *inv, const char *data,
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
