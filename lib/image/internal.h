#ifndef DRYDOCK_IMAGE_INTERNAL_H
#define DRYDOCK_IMAGE_INTERNAL_H

/*
 * lib/image internals: byte readers, the layer reader, the outer archive
 * index. Not part of the public API.
 */

#include <stdint.h>
#include <sys/types.h>

#include "drydock/buf.h"
#include "drydock/digest.h"
#include "drydock/fs.h"

struct drydock_err;

/*
 * A byte source. read() returns the number of bytes read (> 0), 0 at the
 * end, or a negative DRYDOCK_E* code with err set.
 */
struct rd {
	long (*read)(struct rd *r, void *buf, size_t n,
		     struct drydock_err *err);
};

/* A byte range of a file, read with pread (so several may share an fd).
 * name is used in messages. */
struct fdrange {
	struct rd rd;
	int fd;
	uint64_t off, end;
	const char *name;
};
void fdrange_init(struct fdrange *r, int fd, uint64_t off, uint64_t len,
		  const char *name);

/* A decompressing reader: gzip (multi-member), zstd or plain, chosen by
 * the first bytes; optionally hashing what it reads and what it yields. */
struct dec;
/* Set: inflate with zlib even when ISA-L is built in (tests, benchmarks) */
extern int image_inflate_zlib;
/* hash: DEC_HASH_NONE, DEC_HASH_BOTH (blob and diff), or DEC_HASH_DIFF
 * (the plain bytes only: the source verifies the blob itself) */
enum { DEC_HASH_NONE = 0, DEC_HASH_BOTH = 1, DEC_HASH_DIFF = 2 };
int dec_new(struct dec **out, struct rd *in, const char *name, int hash);
struct rd *dec_rd(struct dec *d);
/* After the end: "sha256:..." of the compressed and the plain bytes
 * (each "" when not hashed; with DEC_HASH_DIFF a plain stream, being its
 * own diff, gives "" for both). */
void dec_digests(struct dec *d, char blob[DRYDOCK_DIGEST_MAX],
		 char diff[DRYDOCK_DIGEST_MAX]);
uint64_t dec_in_bytes(const struct dec *d);
/* Hash in a thread of its own (hashpipe.c) from now on: for a layer read
 * while a core is idle. 0, or DRYDOCK_ENOMEM (hashing stays inline). */
int dec_hash_in_thread(struct dec *d);

/* hashpipe.c: a thread feeding two hashes from copies of the bytes. The
 * hashes stay the caller's; hashpipe_free waits until every byte given is
 * hashed, so finish the hashes after it. */
struct drydock_hash;
struct hashpipe;
int hashpipe_new(struct hashpipe **out, struct drydock_hash *blob,
		 struct drydock_hash *diff);
void hashpipe_update(struct hashpipe *p, int which, const void *data, size_t n);
void hashpipe_free(struct hashpipe *p);
void dec_free(struct dec *d);

/* What to check and keep while reading one layer. */
struct layer_job {
	const char *name;    /* the input, for messages */
	const char *digest;  /* expected blob digest, NULL or "" unknown */
	const char *diff_id; /* expected diff ID, NULL or "" unknown */
	drydock_fs_want_fn want;
	void *payload;
	/* bytes kept by all layers of one read, shared between threads;
	 * NULL for none (the fs limits still apply) */
	size_t *kept_total;
	/* the source verifies the blob's sha256 digest as it streams and
	 * fails the read at the end on a mismatch (registry transfers):
	 * layer_read does not hash the compressed bytes a second time */
	int blob_verified;
	/* a core is idle (fewer layers than jobs): hash in a thread */
	int hash_thread;
};

/*
 * Read one layer (a tar, maybe compressed) from in into out, which must be
 * a fresh fs: one layer is added, carrying the diff ID computed. The blob
 * digest and diff ID are checked against job's when given.
 */
int layer_read(struct rd *in, const struct layer_job *job,
	       struct drydock_fs *out, struct drydock_err *err);

/* The outer archive (docker-archive, oci-archive): a tar, maybe gzip. */
enum member_type { M_FILE, M_LINK, M_SYMLINK, M_DIR, M_OTHER };

struct member {
	char *name; /* normalised */
	char *link; /* symlink or hardlink target, or NULL */
	enum member_type type;
	uint64_t off, size;
	char *data; /* small JSON members of a compressed archive */
};

struct arch {
	char *path;
	int fd;
	int compressed; /* members cannot be read by offset */
	struct member *m;
	size_t n, cap;
};

/* Index the archive's members (one pass). */
int arch_open(struct arch **out, const char *path, struct drydock_err *err);
void arch_free(struct arch *a);
/* The member named path (following symlink and hard link members), or
 * NULL. */
const struct member *arch_find(const struct arch *a, const char *path);
/* Read a small member whole. */
int arch_read(const struct arch *a, const char *path, size_t max,
	      struct drydock_buf *out, struct drydock_err *err);
/*
 * For a compressed archive: stream it again and call fn for each member
 * whose name is in names (count n), with a reader for its bytes.
 */
typedef int (*arch_member_fn)(size_t idx, struct rd *in, void *payload,
			      struct drydock_err *err);
int arch_stream(const struct arch *a, const char *const *names, size_t n,
		arch_member_fn fn, void *payload, struct drydock_err *err);

/* Replace a layer's diff ID (the layer reader learns it at the end). */
int fs_set_diff_id(struct drydock_fs *fs, int layer, const char *diff_id,
		   struct drydock_err *err);

/*
 * Open an image from documents in memory (fuzzing): index.json, then
 * whatever manifest or index it names is `manifest`, and the config is
 * `config`. Digests are not checked; layers cannot be read.
 */
struct drydock_image;
struct image_docs {
	const char *index, *manifest, *config;
	size_t index_len, manifest_len, config_len;
};
int image_open_docs(struct drydock_image **out, const struct image_docs *docs,
		    const char *platform, struct drydock_err *err);

/* dir: sources */
int dir_read(const char *root, struct drydock_fs *fs, drydock_fs_want_fn want,
	     void *payload, struct drydock_err *err);

#endif
