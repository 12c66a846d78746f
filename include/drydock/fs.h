#ifndef DRYDOCK_FS_H
#define DRYDOCK_FS_H

/*
 * The kept filesystem: the few files analysers ask for (os-release,
 * package databases), with every layer's version of each, plus the
 * whiteouts that removed them. It is what an image source produces and
 * what the inventory reads; nothing is ever unpacked to disk.
 *
 * Paths are normalised: relative to the root, no leading "/" or "./",
 * no "." or ".." components, no trailing "/", no empty components
 * ("etc/os-release", "var/lib/dpkg/status.d/base").
 *
 * Layers are numbered 0..n-1 bottom-up. Within one layer the operations
 * must be given in this order for correct semantics: the layer's opaque
 * directories and whiteouts first, then its files (drydock_fs_layer_add()
 * callers that stream a tar collect a layer's whiteouts and apply them
 * before its files; see lib/image).
 */

#include <stddef.h>

struct drydock_err;
struct drydock_fs;

enum drydock_fs_type {
	DRYDOCK_FS_DELETED = 0, /* removed by a whiteout in this layer */
	DRYDOCK_FS_FILE = 1,
	DRYDOCK_FS_SYMLINK = 2,
	DRYDOCK_FS_DIR = 3
};

/* One layer's version of a path. Borrowed from the fs; valid until it is
 * freed. For a symlink, data holds the target (NUL-terminated). */
struct drydock_fs_entry {
	const char *path;
	enum drydock_fs_type type;
	int layer;
	const char
		*data; /* NUL-terminated, may contain NULs; len excludes it */
	size_t len;
};

/*
 * Decide whether a path's content is worth keeping. Called for every
 * regular file (and hard link) of every layer; must be fast. Returns 0
 * (skip), 1 (keep the content) or DRYDOCK_FS_WANT_PARENT: the path is a
 * directory on the way to kept files, so a regular file there is recorded
 * (empty): in a later layer it replaces the lower layers' directory and
 * hides everything under it, as overlayfs and the OCI changeset rules do.
 * Directories and symlinks are always recorded.
 */
#define DRYDOCK_FS_WANT_PARENT 2
typedef int (*drydock_fs_want_fn)(const char *path, void *payload);

int drydock_fs_new(struct drydock_fs **out);
void drydock_fs_free(struct drydock_fs *fs);

/* Append a layer; returns its index (>= 0) or a negative code. diff_id
 * may be NULL (a dir: source has no diff ID). */
int drydock_fs_add_layer(struct drydock_fs *fs, const char *diff_id,
			 struct drydock_err *err);
int drydock_fs_layer_count(const struct drydock_fs *fs);
/* The diff ID of a layer, or NULL. Borrowed. */
const char *drydock_fs_layer_diff_id(const struct drydock_fs *fs, int layer);

/*
 * Record path's content in layer (the last layer added). Copies data.
 * Fails with DRYDOCK_ELIMIT past DRYDOCK_MAX_KEPT_* limits.
 */
int drydock_fs_put(struct drydock_fs *fs, int layer, const char *path,
		   enum drydock_fs_type type, const void *data, size_t len,
		   struct drydock_err *err);
/* A whiteout in layer: path and everything below it are deleted from the
 * layers underneath. */
int drydock_fs_whiteout(struct drydock_fs *fs, int layer, const char *path,
			struct drydock_err *err);
/* An opaque directory in layer: everything below dir from the layers
 * underneath is deleted. */
int drydock_fs_opaque(struct drydock_fs *fs, int layer, const char *dir,
		      struct drydock_err *err);

/*
 * The visible version of path after all layers, following symlinks
 * (absolute targets from the root, relative ones from the link's
 * directory; at most DRYDOCK_MAX_SYMLINK_HOPS hops, then NULL).
 * Returns NULL when absent or deleted.
 */
const struct drydock_fs_entry *drydock_fs_get(const struct drydock_fs *fs,
					      const char *path);

/*
 * Like drydock_fs_get but as of the top of layer `upto` (inclusive):
 * the view an analyser needs to attribute a package to a layer.
 */
const struct drydock_fs_entry *drydock_fs_get_at(const struct drydock_fs *fs,
						 const char *path, int upto);

/*
 * Call fn for every visible regular file directly inside dir (not
 * recursively), in byte order of path, as of the top of layer upto
 * (-1 for all layers). Stops and returns fn's value when non-zero.
 */
typedef int (*drydock_fs_each_fn)(const struct drydock_fs_entry *e,
				  void *payload);
int drydock_fs_list(const struct drydock_fs *fs, const char *dir, int upto,
		    drydock_fs_each_fn fn, void *payload);

/*
 * Append src's layers on top of dst's: src layer i becomes dst layer
 * (previous count + i), with its diff ID, files and whiteouts copied.
 * Used to merge per-layer results read in parallel, in order.
 */
int drydock_fs_merge(struct drydock_fs *dst, const struct drydock_fs *src,
		     struct drydock_err *err);
/* The same for a src the caller frees next: when dst holds nothing yet,
 * src's contents are moved into dst instead of copied (src is left
 * empty). */
int drydock_fs_merge_take(struct drydock_fs *dst, struct drydock_fs *src,
			  struct drydock_err *err);

/*
 * Call fn for everything recorded in fs, in the order drydock_fs_merge()
 * replays it: per path (in insertion order) its whiteouts and opaque
 * markers (type DRYDOCK_FS_DELETED, opaque 0 or 1, data NULL), then its
 * versions (opaque -1). Replaying the calls with drydock_fs_whiteout(),
 * drydock_fs_opaque() and drydock_fs_put() rebuilds the same fs (the
 * layer cache serialises per-layer results this way). Stops and returns
 * fn's value when non-zero.
 */
typedef int (*drydock_fs_op_fn)(const char *path, int layer,
				enum drydock_fs_type type, int opaque,
				const char *data, size_t len, void *payload);
int drydock_fs_each_op(const struct drydock_fs *fs, drydock_fs_op_fn fn,
		       void *payload);

/* Normalise a path from a tar header or a walk into out (see above).
 * Returns 0, or DRYDOCK_ECORRUPT for a path escaping the root
 * ("../x") or DRYDOCK_ELIMIT past DRYDOCK_MAX_PATH. */
int drydock_fs_normalize(const char *in, char *out, size_t outsz);

#endif
