#include "../util/setup.h"

#include <errno.h>
#include <stdio.h>
#include <unistd.h>

#include <zlib.h>
#include <zstd.h>

#include "drydock-config.h"
#if DRYDOCK_HAVE_ISAL
#include <isa-l/igzip_lib.h>
#endif

#include "drydock/error.h"
#include "drydock/limits.h"
#include "../util/archivedl.h"
#include "internal.h"

/*
 * Layer streams: file ranges, decompression chosen by magic bytes, and
 * the tar reader (libarchive, tar format only, fed from our decompressed
 * stream so that both digests are computed as the bytes flow).
 */

#define IN_BUF (128u * 1024)
#define OUT_BUF (256u * 1024)

/* File ranges */

static long fdrange_read(struct rd *r, void *buf, size_t n,
			 struct drydock_err *err)
{
	struct fdrange *f = (struct fdrange *)r;
	ssize_t got;

	if (f->off >= f->end)
		return 0;
	if (n > f->end - f->off)
		n = f->end - f->off;
	if (n > (1u << 30))
		n = 1u << 30;
	do {
		got = pread(f->fd, buf, n, (off_t)f->off);
	} while (got < 0 && errno == EINTR);
	if (got < 0)
		return drydock_err_errno(err, errno, f->name);
	if (got == 0)
		return drydock_err_set(err, DRYDOCK_ECORRUPT,
				       "'%s': file ends early", f->name);
	f->off += (uint64_t)got;
	return (long)got;
}

void fdrange_init(struct fdrange *r, int fd, uint64_t off, uint64_t len,
		  const char *name)
{
	r->rd.read = fdrange_read;
	r->fd = fd;
	r->off = off;
	r->end = off + len;
	r->name = name;
}

/* Decompression */

int image_inflate_zlib;

enum codec { C_UNKNOWN, C_PLAIN, C_GZIP, C_ZSTD };

struct dec {
	struct rd rd;
	struct rd *in;
	const char *name;
	enum codec codec;
	struct drydock_hash *hin, *hout;
	struct hashpipe *pipe; /* NULL: hash inline */
	unsigned char *ibuf, *obuf;
	size_t ipos, ilen;
	int in_eof;
	int done;	    /* the compressed stream ended cleanly */
	int member_end;	    /* gzip: between members */
	uint64_t in_total;  /* compressed bytes read */
	uint64_t out_total; /* plain bytes produced */
#if DRYDOCK_HAVE_ISAL
	struct inflate_state *isal; /* NULL: zlib */
#endif
	z_stream z;
	int z_init;
	ZSTD_DStream *zs;
	size_t zs_last; /* last ZSTD_decompressStream hint: 0 at frame end */
};

/* Feed hash which (0 blob, 1 diff), inline or through the thread. */
static void dec_hash(struct dec *d, int which, const void *buf, size_t n)
{
	struct drydock_hash *h = which ? d->hout : d->hin;

	if (!h)
		return;
	if (d->pipe)
		hashpipe_update(d->pipe, which, buf, n);
	else
		drydock_hash_update(h, buf, n);
}

/* Refill the input buffer when empty. Returns 0, or 1 at the end. */
static int fill(struct dec *d, struct drydock_err *err)
{
	long got;

	if (d->ipos < d->ilen)
		return 0;
	if (d->in_eof)
		return 1;
	got = d->in->read(d->in, d->ibuf, IN_BUF, err);
	if (got < 0)
		return (int)got;
	if (got == 0) {
		d->in_eof = 1;
		return 1;
	}
	d->ipos = 0;
	d->ilen = (size_t)got;
	d->in_total += (uint64_t)got;
	dec_hash(d, 0, d->ibuf, d->ilen);
	return 0;
}

static int detect(struct dec *d, struct drydock_err *err)
{
	int rc = fill(d, err);

	if (rc < 0)
		return rc;
	/* the first read may be short; 4 bytes decide */
	while (rc == 0 && d->ilen < 4 && !d->in_eof) {
		long got = d->in->read(d->in, d->ibuf + d->ilen,
				       IN_BUF - d->ilen, err);

		if (got < 0)
			return (int)got;
		if (got == 0) {
			d->in_eof = 1;
			break;
		}
		dec_hash(d, 0, d->ibuf + d->ilen, (size_t)got);
		d->ilen += (size_t)got;
		d->in_total += (uint64_t)got;
	}
	if (d->ilen >= 2 && d->ibuf[0] == 0x1f && d->ibuf[1] == 0x8b)
		d->codec = C_GZIP;
	else if (d->ilen >= 4 && d->ibuf[0] == 0x28 && d->ibuf[1] == 0xb5 &&
		 d->ibuf[2] == 0x2f && d->ibuf[3] == 0xfd)
		d->codec = C_ZSTD;
	else
		d->codec = C_PLAIN;
	if (d->codec == C_GZIP) {
#if DRYDOCK_HAVE_ISAL
		if (!image_inflate_zlib) {
			d->isal = malloc(sizeof(*d->isal));
			if (!d->isal)
				return drydock_err_set(err, DRYDOCK_ENOMEM,
						       "out of memory");
			isal_inflate_init(d->isal);
			d->isal->crc_flag = ISAL_GZIP;
			return 0;
		}
#endif
		memset(&d->z, 0, sizeof(d->z));
		if (inflateInit2(&d->z, 16 + MAX_WBITS) != Z_OK)
			return drydock_err_set(err, DRYDOCK_ENOMEM,
					       "out of memory");
		d->z_init = 1;
	} else if (d->codec == C_ZSTD) {
		d->zs = ZSTD_createDStream();
		if (!d->zs || ZSTD_isError(ZSTD_initDStream(d->zs)))
			return drydock_err_set(err, DRYDOCK_ENOMEM,
					       "out of memory");
		d->zs_last = 1;
	}
	return 0;
}

/* Between gzip members: another member, zero padding, or garbage. */
static int next_member(struct dec *d, struct drydock_err *err)
{
	for (;;) {
		int rc = fill(d, err);

		if (rc < 0)
			return rc;
		if (rc == 1) {
			d->done = 1;
			return 1;
		}
		if (d->ibuf[d->ipos] == 0x1f) {
			d->member_end = 0;
#if DRYDOCK_HAVE_ISAL
			if (d->isal) {
				isal_inflate_reset(d->isal);
				d->isal->crc_flag = ISAL_GZIP;
				return 0;
			}
#endif
			if (inflateReset(&d->z) != Z_OK)
				return drydock_err_set(err, DRYDOCK_ECORRUPT,
						       "'%s': bad gzip stream",
						       d->name);
			return 0;
		}
		/* NUL padding after the last member is tolerated, as gzip
		 * itself does */
		while (d->ipos < d->ilen && d->ibuf[d->ipos] == 0)
			d->ipos++;
		if (d->ipos < d->ilen)
			return drydock_err_set(
				err, DRYDOCK_ECORRUPT,
				"'%s': garbage after gzip "
				"stream at byte %llu",
				d->name,
				(unsigned long long)(d->in_total -
						     (d->ilen - d->ipos)));
	}
}

static long gunzip(struct dec *d, unsigned char *out, size_t n,
		   struct drydock_err *err)
{
	int stalled = 0;

	for (;;) {
		int rc;
		size_t produced;

		if (d->member_end) {
			rc = next_member(d, err);
			if (rc < 0)
				return rc;
			if (rc == 1)
				return 0;
		}
		rc = fill(d, err);
		if (rc < 0)
			return rc;
		/* at the end of input the inflater may still hold output:
		 * it is truncated only when a call makes no progress */
		if (rc == 1 && stalled)
			return drydock_err_set(err, DRYDOCK_ECORRUPT,
					       "'%s': truncated gzip stream "
					       "after %llu bytes",
					       d->name,
					       (unsigned long long)d->in_total);
		stalled = rc == 1;
#if DRYDOCK_HAVE_ISAL
		if (d->isal) {
			d->isal->next_in = d->ibuf + d->ipos;
			d->isal->avail_in = (uint32_t)(d->ilen - d->ipos);
			d->isal->next_out = out;
			d->isal->avail_out = (uint32_t)n;
			rc = isal_inflate(d->isal);
			d->ipos = d->ilen - d->isal->avail_in;
			produced = n - d->isal->avail_out;
			if (rc != ISAL_DECOMP_OK)
				return drydock_err_set(
					err, DRYDOCK_ECORRUPT,
					"'%s': corrupt gzip stream near byte "
					"%llu (%s)",
					d->name,
					(unsigned long long)(d->in_total -
							     (d->ilen -
							      d->ipos)),
					rc == ISAL_INCORRECT_CHECKSUM
						? "bad checksum"
						: "bad data");
			if (d->isal->block_state == ISAL_BLOCK_FINISH) {
				d->member_end = 1;
				stalled = 0;
			}
			if (produced)
				return (long)produced;
			continue;
		}
#endif
		d->z.next_in = d->ibuf + d->ipos;
		d->z.avail_in = (uInt)(d->ilen - d->ipos);
		d->z.next_out = out;
		d->z.avail_out = (uInt)n;
		rc = inflate(&d->z, Z_NO_FLUSH);
		d->ipos = d->ilen - d->z.avail_in;
		produced = n - d->z.avail_out;
		if (rc == Z_STREAM_END) {
			d->member_end = 1;
			stalled = 0;
		} else if (rc != Z_OK && rc != Z_BUF_ERROR)
			return drydock_err_set(
				err, DRYDOCK_ECORRUPT,
				"'%s': corrupt gzip stream near byte %llu (%s)",
				d->name,
				(unsigned long long)(d->in_total -
						     (d->ilen - d->ipos)),
				d->z.msg ? d->z.msg : "bad data");
		if (produced)
			return (long)produced;
	}
}

static long unzstd(struct dec *d, unsigned char *out, size_t n,
		   struct drydock_err *err)
{
	for (;;) {
		ZSTD_inBuffer ib;
		ZSTD_outBuffer ob = {out, n, 0};
		int rc = fill(d, err);

		if (rc < 0)
			return rc;
		if (rc == 1 && d->zs_last == 0) {
			d->done = 1;
			return 0;
		}
		ib.src = d->ibuf;
		ib.size = d->ilen;
		ib.pos = d->ipos;
		d->zs_last = ZSTD_decompressStream(d->zs, &ob, &ib);
		d->ipos = ib.pos;
		if (ZSTD_isError(d->zs_last))
			return drydock_err_set(err, DRYDOCK_ECORRUPT,
					       "'%s': corrupt zstd stream: %s",
					       d->name,
					       ZSTD_getErrorName(d->zs_last));
		if (ob.pos)
			return (long)ob.pos;
		/* at the end of input with nothing flushed: cut short */
		if (rc == 1)
			return drydock_err_set(
				err, DRYDOCK_ECORRUPT,
				"'%s': truncated zstd stream after %llu bytes",
				d->name, (unsigned long long)d->in_total);
	}
}

static long dec_read(struct rd *r, void *buf, size_t n, struct drydock_err *err)
{
	struct dec *d = (struct dec *)r;
	long got;

	if (d->codec == C_UNKNOWN) {
		int rc = detect(d, err);

		if (rc < 0)
			return rc;
	}
	if (d->codec == C_PLAIN) {
		int rc = fill(d, err);
		size_t k;

		if (rc < 0)
			return rc;
		if (rc == 1) {
			d->done = 1;
			return 0;
		}
		k = d->ilen - d->ipos;
		if (k > n)
			k = n;
		memcpy(buf, d->ibuf + d->ipos, k);
		d->ipos += k;
		got = (long)k;
	} else if (d->codec == C_GZIP) {
		got = gunzip(d, buf, n, err);
	} else {
		got = unzstd(d, buf, n, err);
	}
	if (got <= 0)
		return got;
	d->out_total += (uint64_t)got;
	if (d->out_total > DRYDOCK_MAX_LAYER_BYTES)
		return drydock_err_set(
			err, DRYDOCK_ELIMIT,
			"'%s': more than %llu uncompressed bytes "
			"(DRYDOCK_MAX_LAYER_BYTES)",
			d->name, (unsigned long long)DRYDOCK_MAX_LAYER_BYTES);
	/* zero-filled bombs: the ratio counts once past the first MB */
	if (d->codec != C_PLAIN && d->out_total > (1u << 20) &&
	    d->out_total / DRYDOCK_MAX_INFLATE_RATIO > d->in_total)
		return drydock_err_set(err, DRYDOCK_ELIMIT,
				       "'%s': expands more than %d times "
				       "(DRYDOCK_MAX_INFLATE_RATIO)",
				       d->name, DRYDOCK_MAX_INFLATE_RATIO);
	/* a plain stream is its own diff: hashed once, as the blob */
	if (d->codec != C_PLAIN)
		dec_hash(d, 1, buf, (size_t)got);
	return got;
}

int dec_new(struct dec **out, struct rd *in, const char *name, int hash)
{
	struct dec *d = calloc(1, sizeof(*d));

	*out = NULL;
	if (!d)
		return DRYDOCK_ENOMEM;
	d->rd.read = dec_read;
	d->in = in;
	d->name = name;
	d->ibuf = malloc(IN_BUF);
	if (hash == DEC_HASH_BOTH)
		d->hin = drydock_hash_new("sha256");
	if (hash != DEC_HASH_NONE)
		d->hout = drydock_hash_new("sha256");
	if (!d->ibuf || (hash == DEC_HASH_BOTH && !d->hin) ||
	    (hash != DEC_HASH_NONE && !d->hout)) {
		dec_free(d);
		return DRYDOCK_ENOMEM;
	}
	*out = d;
	return 0;
}

struct rd *dec_rd(struct dec *d)
{
	return &d->rd;
}

uint64_t dec_in_bytes(const struct dec *d)
{
	return d->in_total;
}

int dec_hash_in_thread(struct dec *d)
{
	if (d->pipe || (!d->hin && !d->hout))
		return 0;
	return hashpipe_new(&d->pipe, d->hin, d->hout);
}

void dec_digests(struct dec *d, char blob[DRYDOCK_DIGEST_MAX],
		 char diff[DRYDOCK_DIGEST_MAX])
{
	blob[0] = diff[0] = '\0';
	/* every byte handed to the thread is hashed before it ends */
	hashpipe_free(d->pipe);
	d->pipe = NULL;
	if (d->hin)
		drydock_hash_finish(d->hin, blob);
	if (d->hout && d->codec != C_PLAIN && d->codec != C_UNKNOWN)
		drydock_hash_finish(d->hout, diff);
	else if (d->hout) {
		drydock_hash_free(d->hout);
		memcpy(diff, blob, DRYDOCK_DIGEST_MAX);
	}
	d->hin = d->hout = NULL;
}

void dec_free(struct dec *d)
{
	if (!d)
		return;
	hashpipe_free(d->pipe);
	drydock_hash_free(d->hin);
	drydock_hash_free(d->hout);
	free(d->ibuf);
	free(d->obuf);
#if DRYDOCK_HAVE_ISAL
	free(d->isal);
#endif
	if (d->z_init)
		inflateEnd(&d->z);
	if (d->zs)
		ZSTD_freeDStream(d->zs);
	free(d);
}

/* The tar reader */

/* libarchive failed reading entry data: the caller words the message */
#define DATA_ERROR (-1000)

struct lctx {
	struct dec *dec;
	struct drydock_err *err; /* the first error of the stream */
	int failed;
	unsigned char *buf;
};

static la_ssize_t la_read(struct archive *a, void *ud, const void **out)
{
	struct lctx *c = ud;
	long got;

	got = dec_read(dec_rd(c->dec), c->buf, OUT_BUF, c->err);
	if (got < 0) {
		c->failed = 1;
		drydock_archive.set_error(a, EIO, "%s", c->err->msg);
		return -1;
	}
	*out = c->buf;
	return got;
}

static int keep_whiteout(struct drydock_fs *fs, const char *path,
			 const char *base, size_t dirlen,
			 struct drydock_err *err)
{
	char target[DRYDOCK_MAX_PATH];
	const char *name = base + 4;

	if (strcmp(base, ".wh..wh..opq") == 0) {
		if (dirlen >= sizeof(target))
			return DRYDOCK_ELIMIT;
		memcpy(target, path, dirlen);
		target[dirlen] = '\0';
		return drydock_fs_opaque(fs, 0, target, err);
	}
	if (strncmp(base, ".wh..wh.", 8) == 0)
		return 0; /* aufs metadata (.wh..wh.plnk, ...): not content */
	if (!*name)
		return drydock_err_set(err, DRYDOCK_ECORRUPT,
				       "'%s': whiteout without a name", path);
	if (snprintf(target, sizeof(target), "%.*s%s%s", (int)dirlen, path,
		     dirlen ? "/" : "", name) >= (int)sizeof(target))
		return drydock_err_set(err, DRYDOCK_ELIMIT,
				       "'%s': path too long", path);
	return drydock_fs_whiteout(fs, 0, target, err);
}

static int keep_file(struct archive *a, struct archive_entry *e,
		     struct drydock_fs *fs, const char *path,
		     const struct layer_job *job, struct drydock_err *err)
{
	la_int64_t size = drydock_archive.entry_size(e);
	char *data;
	la_ssize_t got;
	size_t total = 0;
	int rc;

	if (size < 0 || (uint64_t)size > DRYDOCK_MAX_KEPT_FILE_BYTES)
		return drydock_err_set(err, DRYDOCK_ELIMIT,
				       "'%s': kept file of %lld bytes is over "
				       "%u (DRYDOCK_MAX_KEPT_FILE_BYTES)",
				       path, (long long)size,
				       DRYDOCK_MAX_KEPT_FILE_BYTES);
	if (job->kept_total) {
		size_t now = __atomic_add_fetch(job->kept_total, (size_t)size,
						__ATOMIC_RELAXED);

		if (now > DRYDOCK_MAX_KEPT_TOTAL_BYTES)
			return drydock_err_set(
				err, DRYDOCK_ELIMIT,
				"'%s': kept files exceed %u bytes "
				"(DRYDOCK_MAX_KEPT_TOTAL_BYTES)",
				path, DRYDOCK_MAX_KEPT_TOTAL_BYTES);
	}
	data = malloc((size_t)size + 1);
	if (!data)
		return drydock_err_set(err, DRYDOCK_ENOMEM, "out of memory");
	while (total < (size_t)size) {
		got = drydock_archive.read_data(a, data + total,
						(size_t)size - total);
		if (got < 0) {
			free(data);
			return DATA_ERROR; /* reported by the caller */
		}
		if (got == 0)
			break;
		total += (size_t)got;
	}
	if (total != (size_t)size) {
		free(data);
		return drydock_err_set(err, DRYDOCK_ECORRUPT,
				       "'%s': truncated tar entry", path);
	}
	rc = drydock_fs_put(fs, 0, path, DRYDOCK_FS_FILE, data, total, err);
	free(data);
	return rc;
}

static int entry(struct archive *a, struct archive_entry *e,
		 struct drydock_fs *fs, const struct layer_job *job,
		 struct drydock_err *err)
{
	char path[DRYDOCK_MAX_PATH];
	const char *raw = drydock_archive.entry_pathname(e);
	const char *base, *hl;
	size_t dirlen;
	int rc, want;

	if (!raw)
		return drydock_err_set(err, DRYDOCK_ECORRUPT,
				       "tar entry without a name");
	rc = drydock_fs_normalize(raw, path, sizeof(path));
	if (rc < 0)
		return drydock_err_set(
			err, rc,
			rc == DRYDOCK_ELIMIT ? "'%.200s': path too long"
					     : "'%.200s': path leaves the root",
			raw);
	if (!*path)
		return 0;
	base = strrchr(path, '/');
	base = base ? base + 1 : path;
	dirlen = base == path ? 0 : (size_t)(base - path - 1);
	if (strncmp(base, ".wh.", 4) == 0)
		return keep_whiteout(fs, path, base, dirlen, err);
	switch (drydock_archive.entry_filetype(e)) {
	case AE_IFDIR:
		return drydock_fs_put(fs, 0, path, DRYDOCK_FS_DIR, NULL, 0,
				      err);
	case AE_IFLNK: {
		const char *t = drydock_archive.entry_symlink(e);

		if (!t)
			t = "";
		if (strlen(t) >= DRYDOCK_MAX_PATH)
			return drydock_err_set(err, DRYDOCK_ELIMIT,
					       "'%s': symlink target too long",
					       path);
		return drydock_fs_put(fs, 0, path, DRYDOCK_FS_SYMLINK, t,
				      strlen(t), err);
	}
	case AE_IFREG:
		break;
	default:
		hl = drydock_archive.entry_hardlink(e);
		if (!hl)
			return 0; /* devices, fifos */
		break;
	}
	want = job->want ? job->want(path, job->payload) : 0;
	if (!want)
		return 0;
	if (want == DRYDOCK_FS_WANT_PARENT)
		return drydock_fs_put(fs, 0, path, DRYDOCK_FS_FILE, "", 0, err);
	hl = drydock_archive.entry_hardlink(e);
	if (hl) {
		/* a hard link to an earlier entry of this layer: its content
		 * is there when the target was kept too */
		char tp[DRYDOCK_MAX_PATH];
		const struct drydock_fs_entry *t;

		if (drydock_fs_normalize(hl, tp, sizeof(tp)) < 0)
			return drydock_err_set(err, DRYDOCK_ECORRUPT,
					       "'%s': bad hard link target",
					       path);
		t = drydock_fs_get_at(fs, tp, 0);
		if (!t || t->type != DRYDOCK_FS_FILE ||
		    drydock_archive.entry_size(e) > 0)
			return drydock_archive.entry_size(e) > 0
				       ? keep_file(a, e, fs, path, job, err)
				       : 0;
		return drydock_fs_put(fs, 0, path, DRYDOCK_FS_FILE, t->data,
				      t->len, err);
	}
	return keep_file(a, e, fs, path, job, err);
}

/* Read the rest of the stream (tar padding after the end blocks) so both
 * digests cover every byte. */
static int drain(struct lctx *c)
{
	long got;

	do {
		got = dec_read(dec_rd(c->dec), c->buf, OUT_BUF, c->err);
	} while (got > 0);
	return got < 0 ? (int)got : 0;
}

int layer_read(struct rd *in, const struct layer_job *job,
	       struct drydock_fs *out, struct drydock_err *err)
{
	struct lctx c;
	struct archive *a = NULL;
	struct archive_entry *e;
	char blob[DRYDOCK_DIGEST_MAX], diff[DRYDOCK_DIGEST_MAX];
	uint64_t entries = 0;
	const char *why;
	int rc = 0, r;

	memset(&c, 0, sizeof(c));
	c.err = err;
	c.buf = malloc(OUT_BUF);
	if (!c.buf ||
	    dec_new(&c.dec, in, job->name,
		    job->blob_verified ? DEC_HASH_DIFF : DEC_HASH_BOTH) < 0) {
		rc = drydock_err_set(err, DRYDOCK_ENOMEM, "out of memory");
		goto done;
	}
	/* no thread: hashing inline is only slower */
	if (job->hash_thread)
		(void)dec_hash_in_thread(c.dec);
	if ((rc = drydock_fs_add_layer(out, NULL, err)) < 0)
		goto done;
	rc = 0;
	if (drydock_archive_load(&why)) {
		rc = drydock_err_set(err, DRYDOCK_ERROR, "'%s': %s", job->name,
				     why);
		goto done;
	}
	a = drydock_archive.read_new();
	if (!a) {
		rc = drydock_err_set(err, DRYDOCK_ENOMEM, "out of memory");
		goto done;
	}
	drydock_archive.read_support_format_tar(a);
	if (drydock_archive.read_open(a, &c, NULL, la_read, NULL) !=
	    ARCHIVE_OK) {
		/* a zero-byte layer is an empty changeset */
		if (!c.failed && c.dec->out_total == 0 && c.dec->in_eof) {
			drydock_err_clear(err);
			goto digests;
		}
		if (!c.failed)
			drydock_err_set(err, DRYDOCK_ECORRUPT,
					"'%s': not a tar stream: %s", job->name,
					drydock_archive.error_string(a));
		rc = err->code ? err->code : DRYDOCK_ECORRUPT;
		goto done;
	}
	for (;;) {
		r = drydock_archive.read_next_header(a, &e);
		if (r == ARCHIVE_EOF)
			break;
		if (r == ARCHIVE_WARN)
			r = ARCHIVE_OK;
		if (r != ARCHIVE_OK) {
			if (!c.failed)
				drydock_err_set(
					err, DRYDOCK_ECORRUPT,
					"'%s': corrupt tar: %s", job->name,
					drydock_archive.error_string(a));
			rc = err->code ? err->code : DRYDOCK_ECORRUPT;
			goto done;
		}
		if (++entries > DRYDOCK_MAX_TAR_ENTRIES) {
			rc = drydock_err_set(err, DRYDOCK_ELIMIT,
					     "'%s': more than %u tar entries "
					     "(DRYDOCK_MAX_TAR_ENTRIES)",
					     job->name,
					     DRYDOCK_MAX_TAR_ENTRIES);
			goto done;
		}
		rc = entry(a, e, out, job, err);
		if (rc < 0) {
			if (c.failed)
				rc = err->code;
			else if (rc == DATA_ERROR)
				rc = drydock_err_set(
					err, DRYDOCK_ECORRUPT,
					"'%s': corrupt tar: %s", job->name,
					drydock_archive.error_string(a));
			else
				drydock_err_prefix(err, "'%s'", job->name);
			goto done;
		}
		/* skipping still reads through our callback: no seek
		 * callback, so every byte is inflated and hashed */
		if (drydock_archive.read_data_skip(a) != ARCHIVE_OK) {
			if (!c.failed)
				drydock_err_set(
					err, DRYDOCK_ECORRUPT,
					"'%s': corrupt tar: %s", job->name,
					drydock_archive.error_string(a));
			rc = err->code ? err->code : DRYDOCK_ECORRUPT;
			goto done;
		}
	}
	if ((rc = drain(&c)) < 0)
		goto done;
digests:
	dec_digests(c.dec, blob, diff);
	if (job->blob_verified) {
		/* the whole stream was read: the source has checked it */
		snprintf(blob, sizeof(blob), "%s", job->digest);
		if (!diff[0]) /* a plain stream is its own diff */
			snprintf(diff, sizeof(diff), "%s", job->digest);
	}
	if (job->digest && *job->digest && strcmp(job->digest, blob) != 0) {
		rc = drydock_err_set(err, DRYDOCK_EDIGEST,
				     "'%s': blob digest is %s, expected %s",
				     job->name, blob, job->digest);
		goto done;
	}
	if (job->diff_id && *job->diff_id && strcmp(job->diff_id, diff) != 0) {
		rc = drydock_err_set(err, DRYDOCK_EDIGEST,
				     "'%s': diff ID is %s, expected %s",
				     job->name, diff, job->diff_id);
		goto done;
	}
	rc = fs_set_diff_id(out, 0, diff, err);
done:
	if (a)
		drydock_archive.read_free(a);
	dec_free(c.dec);
	free(c.buf);
	return rc;
}
