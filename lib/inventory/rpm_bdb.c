#include "../util/setup.h"

/*
 * Berkeley DB hash databases (rpm's Packages up to rpm 4.15), read
 * natively in either byte order. Layout (docs/rpm.md):
 *
 *  page 0, the hash meta page: magic 0x061561 at 12, version at 16,
 *  page size at 20, encryption at 24, page type 8 at 25, meta flags at 26,
 *  last page number at 32, max_bucket at 72, spares[32] at 96.
 *  Every page starts with a 26-byte header: page number at 8, previous and
 *  next page at 12 and 16, entry count at 20, high free offset at 22,
 *  type at 25. Hash pages (type 13, or 2 in old files) hold an index of
 *  16-bit item offsets at 26 and key/data item pairs packed downward from
 *  the end of the page; a bucket continues on the pages its next field
 *  chains. Bucket b lives on page b + spares[ceil(log2(b + 1))].
 *  An item is a type byte then: the bytes (1, keydata) or a reference to
 *  an overflow chain (3: pad[3], first page, total length). Overflow pages
 *  (type 7) hold their data length at 22 and the data at 26.
 *
 * Keys are rpm's 32-bit header numbers in the file's byte order; key 0
 * holds rpm's next-number counter, not a header, and is skipped as rpm
 * does. Every page is visited at most once (a bitmap): a cycle in a chain
 * is an error, and the work is bounded by the file size.
 */

#include <stdarg.h>
#include <stdio.h>

#include "drydock/error.h"
#include "drydock/inventory.h"
#include "drydock/limits.h"
#include "rpm-int.h"

#define HASH_MAGIC 0x061561u
#define BTREE_MAGIC 0x053162u
#define PAGE_HDR 26

enum {
	P_INVALID = 0,
	P_HASH_UNSORTED = 2,
	P_OVERFLOW = 7,
	P_HASHMETA = 8,
	P_HASH = 13
};

enum { H_KEYDATA = 1, H_DUPLICATE = 2, H_OFFPAGE = 3, H_OFFDUP = 4 };

struct bdb {
	const uint8_t *data;
	size_t len;
	const char *name;
	struct drydock_err *err;
	int big; /* file byte order */
	uint32_t pagesize;
	uint32_t npages; /* last_pgno + 1 */
	uint8_t *visited;
	uint8_t *buf; /* overflow reassembly */
	size_t bufcap;
};

static uint32_t get32(const struct bdb *b, const uint8_t *p)
{
	return b->big ? rpm_be32(p) : rpm_le32(p);
}

static uint16_t get16(const struct bdb *b, const uint8_t *p)
{
	return b->big ? (uint16_t)(p[0] << 8 | p[1])
		      : (uint16_t)(p[1] << 8 | p[0]);
}

int rpm_is_bdb(const uint8_t *data, size_t len)
{
	uint32_t le, be;

	if (len < 512)
		return 0;
	le = rpm_le32(data + 12);
	be = rpm_be32(data + 12);
	return le == HASH_MAGIC || be == HASH_MAGIC || le == BTREE_MAGIC ||
	       be == BTREE_MAGIC;
}

static int fail(const struct bdb *b, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(const struct bdb *b, int code, const char *fmt, ...)
{
	char what[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return drydock_err_set(b->err, code, "'%s': berkeley db: %s", b->name,
			       what);
}

/* The page pgno, marked visited; NULL (err set) when out of range or
 * already visited. */
static const uint8_t *page_get(struct bdb *b, uint32_t pgno, int *rc)
{
	if (pgno == 0 || pgno >= b->npages) {
		*rc = fail(b, DRYDOCK_ECORRUPT, "page %u out of range", pgno);
		return NULL;
	}
	if (b->visited[pgno / 8] & (1u << (pgno % 8))) {
		*rc = fail(b, DRYDOCK_ECORRUPT, "page %u reached twice (cycle)",
			   pgno);
		return NULL;
	}
	b->visited[pgno / 8] |= (uint8_t)(1u << (pgno % 8));
	return b->data + (size_t)pgno * b->pagesize;
}

/* Gather an overflow chain of tlen bytes starting at pgno into b->buf. */
static int read_overflow(struct bdb *b, uint32_t pgno, uint32_t tlen)
{
	size_t got = 0;
	int rc = 0;

	if (tlen > DRYDOCK_MAX_RPM_HEADER_BYTES + 8 + 16u * 0xffff)
		return fail(b, DRYDOCK_ELIMIT,
			    "overflow item of %u bytes exceeds "
			    "DRYDOCK_MAX_RPM_HEADER_BYTES",
			    tlen);
	if (tlen == 0)
		return fail(b, DRYDOCK_ECORRUPT, "empty overflow item");
	if (b->bufcap < tlen) {
		uint8_t *n = realloc(b->buf, tlen);

		if (!n)
			return fail(b, DRYDOCK_ENOMEM, "out of memory");
		b->buf = n;
		b->bufcap = tlen;
	}
	while (got < tlen) {
		const uint8_t *pg;
		uint16_t n;

		if (pgno == 0)
			return fail(b, DRYDOCK_ECORRUPT,
				    "overflow chain ends after %zu of %u bytes",
				    got, tlen);
		if (!(pg = page_get(b, pgno, &rc)))
			return rc;
		if (pg[25] != P_OVERFLOW)
			return fail(b, DRYDOCK_ECORRUPT,
				    "page %u: type %u, expected overflow", pgno,
				    pg[25]);
		n = get16(b, pg + 22);
		if (n == 0 || n > b->pagesize - PAGE_HDR || n > tlen - got)
			return fail(b, DRYDOCK_ECORRUPT,
				    "overflow page %u: bad length %u", pgno, n);
		memcpy(b->buf + got, pg + PAGE_HDR, n);
		got += n;
		pgno = get32(b, pg + 16);
	}
	if (pgno != 0)
		return fail(b, DRYDOCK_ECORRUPT,
			    "overflow chain longer than its %u bytes", tlen);
	return 0;
}

/* One key/data pair: items i and i + 1 of page pg. */
static int read_pair(struct bdb *b, struct drydock_inventory *inv,
		     uint32_t pgno, const uint8_t *pg, uint16_t i,
		     const uint8_t *key, size_t klen, const uint8_t *val,
		     size_t vlen)
{
	char record[64];
	uint32_t hnum;
	int rc;

	(void)pg;
	if (klen != 5 || key[0] != H_KEYDATA)
		return fail(b, DRYDOCK_ECORRUPT,
			    "page %u item %u: key is not a 32-bit header "
			    "number",
			    pgno, i);
	hnum = get32(b, key + 1);
	if (hnum == 0)
		return 0; /* rpm's counter record */
	snprintf(record, sizeof(record), "header %u", hnum);
	switch (val[0]) {
	case H_KEYDATA:
		return rpm_header_add(inv, val + 1, vlen - 1, b->name, record,
				      b->err);
	case H_OFFPAGE:
		if (vlen != 12)
			return fail(b, DRYDOCK_ECORRUPT,
				    "page %u item %u: bad overflow reference",
				    pgno, i + 1);
		if ((rc = read_overflow(b, get32(b, val + 4),
					get32(b, val + 8))) < 0)
			return rc;
		return rpm_header_add(inv, b->buf, get32(b, val + 8), b->name,
				      record, b->err);
	default:
		return fail(b, DRYDOCK_ECORRUPT,
			    "page %u item %u: item type %u (rpm stores no "
			    "duplicates)",
			    pgno, i + 1, val[0]);
	}
}

/* Every pair of one hash page. */
static int read_hash_page(struct bdb *b, struct drydock_inventory *inv,
			  uint32_t pgno, const uint8_t *pg)
{
	uint16_t n = get16(b, pg + 20), i;
	size_t lo = PAGE_HDR + (size_t)n * 2;
	int rc;

	if (n % 2 || lo > b->pagesize)
		return fail(b, DRYDOCK_ECORRUPT, "page %u: bad entry count %u",
			    pgno, n);
	for (i = 0; i < n; i += 2) {
		size_t off[2], end[2];
		int k;

		for (k = 0; k < 2; k++) {
			uint16_t j = (uint16_t)(i + k);

			off[k] = get16(b, pg + PAGE_HDR + 2 * j);
			end[k] = j == 0 ? b->pagesize
					: get16(b, pg + PAGE_HDR + 2 * (j - 1));
			if (off[k] < lo || off[k] >= end[k] ||
			    end[k] > b->pagesize)
				return fail(b, DRYDOCK_ECORRUPT,
					    "page %u: item %u out of place",
					    pgno, j);
		}
		rc = read_pair(b, inv, pgno, pg, i, pg + off[0],
			       end[0] - off[0], pg + off[1], end[1] - off[1]);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* ceil(log2(n)) for n >= 1, as Berkeley DB's __db_log2 */
static unsigned log2_ceil(uint32_t n)
{
	unsigned i = 0;

	while (i < 32 && ((uint64_t)1 << i) < n)
		i++;
	return i;
}

static int walk(struct bdb *b, struct drydock_inventory *inv)
{
	const uint8_t *meta = b->data;
	uint32_t max_bucket = get32(b, meta + 72), bucket;
	int rc = 0;

	if (max_bucket >= b->npages)
		return fail(b, DRYDOCK_ECORRUPT, "%u buckets in %u pages",
			    max_bucket, b->npages);
	for (bucket = 0; bucket <= max_bucket; bucket++) {
		unsigned sp = log2_ceil(bucket + 1);
		uint64_t p64;
		uint32_t pgno;
		int head = 1;

		if (sp >= 32)
			return fail(b, DRYDOCK_ECORRUPT, "bucket %u", bucket);
		p64 = (uint64_t)bucket + get32(b, meta + 96 + 4 * sp);
		if (p64 >= b->npages)
			return fail(b, DRYDOCK_ECORRUPT,
				    "bucket %u on page %llu past the end",
				    bucket, (unsigned long long)p64);
		pgno = (uint32_t)p64;
		while (pgno != 0) {
			const uint8_t *pg = page_get(b, pgno, &rc);

			if (!pg)
				return rc;
			/* a bucket page never written reads as zeros */
			if (head && pg[25] == P_INVALID &&
			    get16(b, pg + 20) == 0 && get32(b, pg + 16) == 0)
				break;
			if (pg[25] != P_HASH && pg[25] != P_HASH_UNSORTED)
				return fail(b, DRYDOCK_ECORRUPT,
					    "page %u: type %u, expected hash",
					    pgno, pg[25]);
			if (get32(b, pg + 8) != pgno)
				return fail(b, DRYDOCK_ECORRUPT,
					    "page %u claims to be page %u",
					    pgno, get32(b, pg + 8));
			if ((rc = read_hash_page(b, inv, pgno, pg)) < 0)
				return rc;
			pgno = get32(b, pg + 16);
			head = 0;
		}
	}
	return 0;
}

int rpm_bdb_parse(struct drydock_inventory *inv, const uint8_t *data,
		  size_t len, const char *name, struct drydock_err *err)
{
	struct bdb b;
	uint32_t magic, version, last;
	int rc;

	memset(&b, 0, sizeof(b));
	b.data = data;
	b.len = len;
	b.name = name;
	b.err = err;
	if (len < 512)
		return fail(&b, DRYDOCK_ECORRUPT, "truncated meta page");
	magic = rpm_le32(data + 12);
	if (magic == HASH_MAGIC || magic == BTREE_MAGIC) {
		b.big = 0;
	} else {
		b.big = 1;
		magic = rpm_be32(data + 12);
	}
	if (magic == BTREE_MAGIC)
		return fail(&b, DRYDOCK_EUNSUPPORTED,
			    "a btree database, not rpm's hash Packages");
	if (magic != HASH_MAGIC)
		return fail(&b, DRYDOCK_ECORRUPT, "bad magic");
	version = get32(&b, data + 16);
	if (version < 7 || version > 10)
		return fail(&b, DRYDOCK_EUNSUPPORTED, "hash version %u",
			    version);
	b.pagesize = get32(&b, data + 20);
	if (b.pagesize < 512 || b.pagesize > 65536 ||
	    (b.pagesize & (b.pagesize - 1)))
		return fail(&b, DRYDOCK_ECORRUPT, "bad page size %u",
			    b.pagesize);
	if (data[24] != 0)
		return fail(&b, DRYDOCK_EUNSUPPORTED, "encrypted database");
	if (data[25] != P_HASHMETA)
		return fail(&b, DRYDOCK_ECORRUPT, "meta page of type %u",
			    data[25]);
	if (data[26] & 1)
		return fail(&b, DRYDOCK_EUNSUPPORTED,
			    "page checksums are not supported");
	last = get32(&b, data + 32);
	if (last >= DRYDOCK_MAX_BDB_PAGES)
		return fail(&b, DRYDOCK_ELIMIT,
			    "%u pages exceed DRYDOCK_MAX_BDB_PAGES", last);
	if (len / b.pagesize <= last)
		return fail(&b, DRYDOCK_ECORRUPT,
			    "truncated: %zu bytes hold no page %u", len, last);
	b.npages = last + 1;
	b.visited = calloc(b.npages / 8 + 1, 1);
	if (!b.visited)
		return fail(&b, DRYDOCK_ENOMEM, "out of memory");
	rc = walk(&b, inv);
	free(b.visited);
	free(b.buf);
	return rc;
}
