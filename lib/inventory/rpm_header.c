#include "../util/setup.h"

/*
 * rpm header blobs, read natively (no librpm), and the database format
 * dispatch. The layout (docs/rpm.md): an 8-byte intro, il and dl
 * (big-endian counts), then il 16-byte index entries (tag, type, offset,
 * count), then a dl-byte data store. The first entry may be a region tag
 * whose 16-byte trailer, inside the data store, covers the entries of the
 * original (immutable) header; entries after the region ("dribble")
 * replace region entries with the same tag, as rpm does.
 *
 * Validation follows the rules rpm applies before trusting a blob: types
 * in range, data aligned for its type, each entry's data inside the store
 * and after the previous entry's (so strings are scanned at most once,
 * keeping a hostile header linear in its size), strings NUL-terminated.
 */

#include <stdarg.h>
#include <stdio.h>

#include "drydock/error.h"
#include "drydock/inventory.h"
#include "drydock/limits.h"
#include "rpm-int.h"

enum {
	TAG_HEADERIMAGE = 61,
	TAG_HEADERSIGNATURES = 62,
	TAG_HEADERIMMUTABLE = 63,
	TAG_HEADERREGIONS = 64,
	TAG_NAME = 1000,
	TAG_VERSION = 1001,
	TAG_RELEASE = 1002,
	TAG_EPOCH = 1003,
	TAG_VENDOR = 1011,
	TAG_LICENSE = 1014,
	TAG_ARCH = 1022,
	TAG_SOURCERPM = 1044
};

enum {
	TYPE_NULL = 0,
	TYPE_CHAR = 1,
	TYPE_INT8 = 2,
	TYPE_INT16 = 3,
	TYPE_INT32 = 4,
	TYPE_INT64 = 5,
	TYPE_STRING = 6,
	TYPE_BIN = 7,
	TYPE_STRING_ARRAY = 8,
	TYPE_I18NSTRING = 9
};

#define ENTRY_SIZE 16
/* rpm rejects counts with any of the top 8 bits set (hdrchkCount) */
#define MAX_ENTRY_COUNT 0x00ffffffu

static const uint8_t header_magic[8] = {0x8e, 0xad, 0xe8, 0x01,
					0x00, 0x00, 0x00, 0x00};

struct entry {
	uint32_t tag;
	uint32_t type;
	uint32_t offset;
	uint32_t count;
};

struct hdr {
	const uint8_t *index; /* il entries */
	const uint8_t *data;  /* dl bytes */
	uint32_t il;
	uint32_t dl;
};

static void entry_get(const struct hdr *h, uint32_t i, struct entry *e)
{
	const uint8_t *p = h->index + (size_t)i * ENTRY_SIZE;

	e->tag = rpm_be32(p);
	e->type = rpm_be32(p + 4);
	e->offset = rpm_be32(p + 8);
	e->count = rpm_be32(p + 12);
}

static int set_err(struct drydock_err *err, int code, const char *name,
		   const char *record, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static int set_err(struct drydock_err *err, int code, const char *name,
		   const char *record, const char *fmt, ...)
{
	char what[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (record)
		return drydock_err_set(err, code, "'%s': %s: header: %s", name,
				       record, what);
	return drydock_err_set(err, code, "'%s': header: %s", name, what);
}

/*
 * Bytes taken by an entry's data starting at off, or 0 when the data does
 * not fit in the store or is malformed (a string without its NUL).
 */
static size_t data_length(const struct hdr *h, const struct entry *e)
{
	size_t size;
	size_t off = e->offset;
	size_t avail = h->dl - off; /* off <= dl checked by the caller */
	uint32_t n;

	switch (e->type) {
	case TYPE_CHAR:
	case TYPE_INT8:
	case TYPE_BIN:
		size = 1;
		break;
	case TYPE_INT16:
		size = 2;
		break;
	case TYPE_INT32:
		size = 4;
		break;
	case TYPE_INT64:
		size = 8;
		break;
	case TYPE_STRING:
		if (e->count != 1)
			return 0;
		/* fall through */
	case TYPE_STRING_ARRAY:
	case TYPE_I18NSTRING: {
		size_t used = 0;

		for (n = 0; n < e->count; n++) {
			const uint8_t *nul =
				memchr(h->data + off + used, 0, avail - used);
			if (!nul)
				return 0;
			used = (size_t)(nul - (h->data + off)) + 1;
		}
		return used;
	}
	default: /* TYPE_NULL has no data: rpm rejects it in a blob */
		return 0;
	}
	if ((size_t)e->count > avail / size)
		return 0;
	return (size_t)e->count * size;
}

static int type_align(uint32_t type)
{
	switch (type) {
	case TYPE_INT16:
		return 2;
	case TYPE_INT32:
		return 4;
	case TYPE_INT64:
		return 8;
	default:
		return 1;
	}
}

static int is_region_tag(uint32_t tag)
{
	return tag >= TAG_HEADERIMAGE && tag <= TAG_HEADERREGIONS;
}

/* Check the intro, the region and every entry. */
static int hdr_load(struct hdr *h, const uint8_t *blob, size_t len,
		    const char *name, const char *record,
		    struct drydock_err *err)
{
	struct entry e;
	uint32_t i, first = 0;
	size_t end = 0, need;

	if (len >= sizeof(header_magic) &&
	    memcmp(blob, header_magic, sizeof(header_magic)) == 0) {
		blob += sizeof(header_magic);
		len -= sizeof(header_magic);
	}
	if (len < 8)
		return set_err(err, DRYDOCK_ECORRUPT, name, record,
			       "truncated (%zu bytes)", len);
	h->il = rpm_be32(blob);
	h->dl = rpm_be32(blob + 4);
	if (h->il == 0)
		return set_err(err, DRYDOCK_ECORRUPT, name, record,
			       "no index entries");
	if (h->il > DRYDOCK_MAX_RPM_HEADER_TAGS)
		return set_err(err, DRYDOCK_ELIMIT, name, record,
			       "%u index entries exceed "
			       "DRYDOCK_MAX_RPM_HEADER_TAGS",
			       h->il);
	if (h->dl > DRYDOCK_MAX_RPM_HEADER_BYTES)
		return set_err(err, DRYDOCK_ELIMIT, name, record,
			       "%u data bytes exceed "
			       "DRYDOCK_MAX_RPM_HEADER_BYTES",
			       h->dl);
	need = 8 + (size_t)h->il * ENTRY_SIZE + h->dl;
	if (need != len)
		return set_err(err, DRYDOCK_ECORRUPT, name, record,
			       "size %zu does not match il %u and dl %u "
			       "(%zu bytes)",
			       len, h->il, h->dl, need);
	h->index = blob + 8;
	h->data = h->index + (size_t)h->il * ENTRY_SIZE;

	entry_get(h, 0, &e);
	if (is_region_tag(e.tag)) {
		struct entry t;
		uint32_t ril;
		int32_t toff;

		if (e.type != TYPE_BIN || e.count != 16 || h->dl < 16 ||
		    e.offset > h->dl - 16)
			return set_err(err, DRYDOCK_ECORRUPT, name, record,
				       "bad region tag %u", e.tag);
		t.tag = rpm_be32(h->data + e.offset);
		t.type = rpm_be32(h->data + e.offset + 4);
		toff = (int32_t)rpm_be32(h->data + e.offset + 8);
		t.count = rpm_be32(h->data + e.offset + 12);
		/* old packages have HEADERIMAGE in a signature trailer */
		if (e.tag == TAG_HEADERSIGNATURES && t.tag == TAG_HEADERIMAGE)
			t.tag = TAG_HEADERSIGNATURES;
		if (t.tag != e.tag || t.type != TYPE_BIN || t.count != 16 ||
		    toff >= 0 || toff == INT32_MIN || -toff % ENTRY_SIZE)
			return set_err(err, DRYDOCK_ECORRUPT, name, record,
				       "bad region trailer");
		ril = (uint32_t)(-toff) / ENTRY_SIZE;
		if (ril > h->il)
			return set_err(err, DRYDOCK_ECORRUPT, name, record,
				       "region of %u entries in a header of "
				       "%u",
				       ril, h->il);
		first = 1;
	}
	for (i = first; i < h->il; i++) {
		size_t n;

		entry_get(h, i, &e);
		if (e.offset < end)
			return set_err(err, DRYDOCK_ECORRUPT, name, record,
				       "entry %u (tag %u): data overlaps the "
				       "previous entry",
				       i, e.tag);
		if (e.type > TYPE_I18NSTRING)
			return set_err(err, DRYDOCK_ECORRUPT, name, record,
				       "entry %u (tag %u): bad type %u", i,
				       e.tag, e.type);
		if (e.count == 0 || e.count > MAX_ENTRY_COUNT)
			return set_err(err, DRYDOCK_ECORRUPT, name, record,
				       "entry %u (tag %u): bad count %u", i,
				       e.tag, e.count);
		if (e.offset % (uint32_t)type_align(e.type))
			return set_err(err, DRYDOCK_ECORRUPT, name, record,
				       "entry %u (tag %u): misaligned offset "
				       "%u",
				       i, e.tag, e.offset);
		if (e.offset > h->dl)
			return set_err(err, DRYDOCK_ECORRUPT, name, record,
				       "entry %u (tag %u): offset %u out of "
				       "range",
				       i, e.tag, e.offset);
		n = data_length(h, &e);
		if (n == 0)
			return set_err(err, DRYDOCK_ECORRUPT, name, record,
				       "entry %u (tag %u): data does not fit "
				       "(type %u, count %u, offset %u)",
				       i, e.tag, e.type, e.count, e.offset);
		end = (size_t)e.offset + n;
	}
	return 0;
}

/* The last entry with tag (dribble entries come after the region). */
static int hdr_find(const struct hdr *h, uint32_t tag, struct entry *out)
{
	struct entry e;
	uint32_t i;
	int found = 0;

	for (i = 0; i < h->il; i++) {
		entry_get(h, i, &e);
		if (e.tag == tag && !(i == 0 && is_region_tag(tag))) {
			*out = e;
			found = 1;
		}
	}
	return found;
}

/*
 * A string tag: STRING, or the first string of an I18NSTRING or
 * STRING_ARRAY (hdr_load checked termination). *out is NULL when absent.
 */
static int hdr_string(const struct hdr *h, uint32_t tag, const char **out,
		      const char *name, const char *record,
		      struct drydock_err *err)
{
	struct entry e;

	*out = NULL;
	if (!hdr_find(h, tag, &e))
		return 0;
	if (e.type != TYPE_STRING && e.type != TYPE_I18NSTRING &&
	    e.type != TYPE_STRING_ARRAY)
		return set_err(err, DRYDOCK_ECORRUPT, name, record,
			       "tag %u has type %u, not a string", tag, e.type);
	*out = (const char *)h->data + e.offset;
	return 0;
}

static int dup_str(char **dst, const char *s, size_t n, struct drydock_err *err)
{
	*dst = malloc(n + 1);
	if (!*dst)
		return drydock_err_set(err, DRYDOCK_ENOMEM,
				       "out of memory reading an rpm header");
	memcpy(*dst, s, n);
	(*dst)[n] = '\0';
	return 0;
}

/*
 * Split SOURCERPM "name-version-release.src.rpm" (or .nosrc.rpm) into
 * its name and "version-release": version and release cannot contain
 * '-', so the last two dashes separate them. 0 when it does not parse.
 */
static int split_srpm(const char *srpm, size_t *name_len, const char **ver,
		      size_t *ver_len)
{
	static const char *const suffixes[] = {".src.rpm", ".nosrc.rpm"};
	size_t len = strlen(srpm), i, n = 0;
	const char *rel = NULL, *v = NULL;

	for (i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		size_t sl = strlen(suffixes[i]);

		if (len > sl && memcmp(srpm + len - sl, suffixes[i], sl) == 0) {
			n = len - sl;
			break;
		}
	}
	if (n == 0)
		return 0;
	for (i = n; i > 0; i--) {
		if (srpm[i - 1] != '-')
			continue;
		if (!rel) {
			rel = srpm + i - 1;
		} else {
			v = srpm + i - 1;
			break;
		}
	}
	/* non-empty name, version and release */
	if (!v || v == srpm || rel == v + 1 || rel + 1 == srpm + n)
		return 0;
	*name_len = (size_t)(v - srpm);
	*ver = v + 1;
	*ver_len = (size_t)(srpm + n - (v + 1));
	return 1;
}

static int fill_pkg(struct drydock_pkg *p, const struct hdr *h,
		    const char *name, const char *record,
		    struct drydock_err *err)
{
	const char *n, *v, *r, *arch, *lic, *srpm;
	struct entry e;
	size_t vlen, rlen;
	int rc;

	if ((rc = hdr_string(h, TAG_NAME, &n, name, record, err)) < 0 ||
	    (rc = hdr_string(h, TAG_VERSION, &v, name, record, err)) < 0 ||
	    (rc = hdr_string(h, TAG_RELEASE, &r, name, record, err)) < 0 ||
	    (rc = hdr_string(h, TAG_ARCH, &arch, name, record, err)) < 0 ||
	    (rc = hdr_string(h, TAG_LICENSE, &lic, name, record, err)) < 0 ||
	    (rc = hdr_string(h, TAG_SOURCERPM, &srpm, name, record, err)) < 0)
		return rc;
	if (!n || !*n || !v || !*v || !r || !*r)
		return set_err(err, DRYDOCK_ECORRUPT, name, record, "no %s",
			       !n || !*n   ? "name"
			       : !v || !*v ? "version"
					   : "release");
	vlen = strlen(v);
	rlen = strlen(r);
	if (vlen + rlen + 1 > DRYDOCK_MAX_VERSION_LEN)
		return set_err(err, DRYDOCK_ELIMIT, name, record,
			       "version longer than DRYDOCK_MAX_VERSION_LEN");

	p->type = DRYDOCK_PKG_RPM;
	p->epoch = -1;
	if (hdr_find(h, TAG_EPOCH, &e)) {
		if (e.type != TYPE_INT32)
			return set_err(err, DRYDOCK_ECORRUPT, name, record,
				       "epoch has type %u, not int32", e.type);
		/* rpm prints the tag as an unsigned 32-bit number */
		p->epoch = (long)rpm_be32(h->data + e.offset);
	}
	if ((rc = dup_str(&p->name, n, strlen(n), err)) < 0 ||
	    (rc = dup_str(&p->rpm_version, v, vlen, err)) < 0 ||
	    (rc = dup_str(&p->rpm_release, r, rlen, err)) < 0)
		return rc;
	p->version = malloc(vlen + rlen + 2);
	if (!p->version)
		return drydock_err_set(err, DRYDOCK_ENOMEM,
				       "out of memory reading an rpm header");
	memcpy(p->version, v, vlen);
	p->version[vlen] = '-';
	memcpy(p->version + vlen + 1, r, rlen + 1);
	if (arch && *arch &&
	    (rc = dup_str(&p->arch, arch, strlen(arch), err)) < 0)
		return rc;
	if (lic && *lic &&
	    (rc = dup_str(&p->license, lic, strlen(lic), err)) < 0)
		return rc;
	if (srpm && *srpm) {
		size_t snl, svl;
		const char *sv;

		if ((rc = dup_str(&p->src_rpm, srpm, strlen(srpm), err)) < 0)
			return rc;
		if (split_srpm(srpm, &snl, &sv, &svl)) {
			if ((rc = dup_str(&p->src_name, srpm, snl, err)) < 0 ||
			    (rc = dup_str(&p->src_version, sv, svl, err)) < 0)
				return rc;
		}
	}
	/* no (parsable) SOURCERPM: source packages and gpg-pubkey entries;
	 * the source is the package itself, as for dpkg */
	if (!p->src_name) {
		if ((rc = dup_str(&p->src_name, p->name, strlen(p->name),
				  err)) < 0 ||
		    (rc = dup_str(&p->src_version, p->version,
				  strlen(p->version), err)) < 0)
			return rc;
	}
	return dup_str(&p->db_path, name, strlen(name), err);
}

int rpm_header_add(struct drydock_inventory *inv, const uint8_t *blob,
		   size_t len, const char *name, const char *record,
		   struct drydock_err *err)
{
	struct hdr h;
	struct drydock_pkg *p;
	int rc;

	if ((rc = hdr_load(&h, blob, len, name, record, err)) < 0)
		return rc;
	p = drydock_inventory_add(inv, err);
	if (!p) {
		if (record)
			return drydock_err_prefix(err, "'%s': %s", name,
						  record);
		return drydock_err_prefix(err, "'%s'", name);
	}
	rc = fill_pkg(p, &h, name, record, err);
	if (rc < 0) {
		drydock_pkg_clear(p);
		inv->npkgs--;
	}
	return rc;
}

int drydock_rpm_parse_header(struct drydock_inventory *inv, const void *blob,
			     size_t len, const char *name,
			     struct drydock_err *err)
{
	return rpm_header_add(inv, blob, len, name, NULL, err);
}

int drydock_rpm_parse_db(struct drydock_inventory *inv, const char *data,
			 size_t len, const char *name, struct drydock_err *err)
{
	const uint8_t *d = (const uint8_t *)data;
	size_t start = inv->npkgs;
	int rc;

	if (rpm_is_sqlite(d, len))
		rc = rpm_sqlite_parse(inv, d, len, name, err);
	else if (rpm_is_ndb(d, len))
		rc = rpm_ndb_parse(inv, d, len, name, err);
	else if (rpm_is_bdb(d, len))
		rc = rpm_bdb_parse(inv, d, len, name, err);
	else
		rc = drydock_err_set(err, DRYDOCK_ECORRUPT,
				     "'%s': not an rpm database (neither "
				     "sqlite, berkeley db hash nor ndb)",
				     name);
	if (rc < 0) {
		/* all or nothing: drop what this database appended */
		while (inv->npkgs > start) {
			inv->npkgs--;
			drydock_pkg_clear(&inv->pkgs[inv->npkgs]);
		}
	}
	return rc;
}
