#include "../util/setup.h"

/*
 * rpm's NDB Packages.db (rpm >= 4.16 on SUSE), read natively. Layout
 * (docs/rpm.md), all numbers little-endian:
 *
 *  The file starts with slot pages of 4096 bytes. The first 32 bytes of
 *  page 0 are the header: "RpmP", version 0, generation, number of slot
 *  pages, next package index. The rest of the slot pages are 16-byte
 *  slots: "Slot", package index, block offset, block count; a block
 *  offset of 0 marks a free slot. Blocks are 16 bytes.
 *  A blob at block offset o starts at byte 16 * o with "BlbS", the
 *  package index, a timestamp and the blob length, then the header blob,
 *  padding, and a 12-byte tail: adler32, blob length, "BlbE". Its block
 *  count is exactly ceil((16 + length + 12) / 16).
 *
 * Packages are listed in block offset order, as rpm -qa lists them.
 */

#include <stdio.h>

#include "drydock/error.h"
#include "drydock/inventory.h"
#include "drydock/limits.h"
#include "rpm-int.h"

#define NDB_PAGE 4096u
#define NDB_BLK 16u
#define NDB_HEADER 32u
#define BLOB_HEAD 16u
#define BLOB_TAIL 12u
/* slot pages: 256 slots a page, so 1024 pages hold 262k packages, more
 * than DRYDOCK_MAX_PACKAGES */
#define MAX_SLOT_PAGES 1024u

struct slot {
	uint32_t pkgidx;
	uint32_t blkoff;
	uint32_t blkcnt;
};

int rpm_is_ndb(const uint8_t *data, size_t len)
{
	return len >= NDB_HEADER && memcmp(data, "RpmP", 4) == 0;
}

static int by_blkoff(const void *a, const void *b)
{
	const struct slot *x = a, *y = b;

	return x->blkoff < y->blkoff ? -1 : x->blkoff > y->blkoff;
}

static int read_blob(struct drydock_inventory *inv, const uint8_t *data,
		     const struct slot *s, const char *name,
		     struct drydock_err *err)
{
	const uint8_t *p = data + (size_t)s->blkoff * NDB_BLK;
	const uint8_t *tail;
	char record[64];
	uint32_t bloblen;

	snprintf(record, sizeof(record), "package %u", s->pkgidx);
	if (memcmp(p, "BlbS", 4) != 0 || rpm_le32(p + 4) != s->pkgidx)
		return drydock_err_set(err, DRYDOCK_ECORRUPT,
				       "'%s': ndb: %s: bad blob header", name,
				       record);
	bloblen = rpm_le32(p + 12);
	if (((uint64_t)BLOB_HEAD + bloblen + BLOB_TAIL + NDB_BLK - 1) /
		    NDB_BLK !=
	    s->blkcnt)
		return drydock_err_set(err, DRYDOCK_ECORRUPT,
				       "'%s': ndb: %s: blob length %u does "
				       "not match its %u blocks",
				       name, record, bloblen, s->blkcnt);
	tail = p + (size_t)s->blkcnt * NDB_BLK - BLOB_TAIL;
	if (rpm_le32(tail + 4) != bloblen || memcmp(tail + 8, "BlbE", 4) != 0)
		return drydock_err_set(err, DRYDOCK_ECORRUPT,
				       "'%s': ndb: %s: bad blob tail", name,
				       record);
	return rpm_header_add(inv, p + BLOB_HEAD, bloblen, name, record, err);
}

int rpm_ndb_parse(struct drydock_inventory *inv, const uint8_t *data,
		  size_t len, const char *name, struct drydock_err *err)
{
	uint32_t version, npages, page, o;
	uint64_t fileblks = len / NDB_BLK;
	struct slot *slots;
	size_t n = 0, i;
	int rc = 0;

	if (!rpm_is_ndb(data, len))
		return drydock_err_set(err, DRYDOCK_ECORRUPT,
				       "'%s': ndb: bad magic", name);
	version = rpm_le32(data + 4);
	if (version != 0)
		return drydock_err_set(err, DRYDOCK_EUNSUPPORTED,
				       "'%s': ndb: version %u", name, version);
	npages = rpm_le32(data + 12);
	if (npages == 0)
		return drydock_err_set(err, DRYDOCK_ECORRUPT,
				       "'%s': ndb: no slot pages", name);
	if (npages > MAX_SLOT_PAGES)
		return drydock_err_set(
			err, DRYDOCK_ELIMIT,
			"'%s': ndb: %u slot pages hold more than "
			"DRYDOCK_MAX_PACKAGES",
			name, npages);
	if ((uint64_t)npages * NDB_PAGE > len)
		return drydock_err_set(err, DRYDOCK_ECORRUPT,
				       "'%s': ndb: truncated slot pages", name);
	slots = calloc((size_t)npages * (NDB_PAGE / 16), sizeof(*slots));
	if (!slots)
		return drydock_err_set(err, DRYDOCK_ENOMEM,
				       "'%s': out of memory", name);
	for (page = 0; page < npages; page++) {
		for (o = page ? 0 : NDB_HEADER; o < NDB_PAGE; o += 16) {
			const uint8_t *p = data + (size_t)page * NDB_PAGE + o;
			struct slot s;

			if (memcmp(p, "Slot", 4) != 0) {
				rc = drydock_err_set(
					err, DRYDOCK_ECORRUPT,
					"'%s': ndb: bad slot at byte %zu", name,
					(size_t)page * NDB_PAGE + o);
				goto out;
			}
			s.blkoff = rpm_le32(p + 8);
			if (s.blkoff == 0)
				continue; /* free slot */
			s.pkgidx = rpm_le32(p + 4);
			s.blkcnt = rpm_le32(p + 12);
			if (s.pkgidx == 0 ||
			    s.blkoff <
				    (uint64_t)npages * (NDB_PAGE / NDB_BLK) ||
			    s.blkcnt < (BLOB_HEAD + BLOB_TAIL + NDB_BLK - 1) /
					       NDB_BLK ||
			    (uint64_t)s.blkoff + s.blkcnt > fileblks) {
				rc = drydock_err_set(
					err, DRYDOCK_ECORRUPT,
					"'%s': ndb: slot of package %u points "
					"outside the file",
					name, s.pkgidx);
				goto out;
			}
			slots[n++] = s;
		}
	}
	qsort(slots, n, sizeof(*slots), by_blkoff);
	for (i = 0; i < n; i++) {
		/* blobs must not overlap: each is read once */
		if (i > 0 && slots[i].blkoff < (uint64_t)slots[i - 1].blkoff +
						       slots[i - 1].blkcnt) {
			rc = drydock_err_set(err, DRYDOCK_ECORRUPT,
					     "'%s': ndb: blobs of packages %u "
					     "and %u overlap",
					     name, slots[i - 1].pkgidx,
					     slots[i].pkgidx);
			goto out;
		}
		if ((rc = read_blob(inv, data, &slots[i], name, err)) < 0)
			goto out;
	}
out:
	free(slots);
	return rc;
}
