#include "../util/setup.h"

#include "drydock/error.h"
#include "drydock/fs.h"
#include "drydock/limits.h"
#include "internal.h"

/*
 * The kept filesystem.
 *
 * Every path ever named (by a put, a whiteout or an opaque marker) has a
 * node in an open-addressing hash table. A node holds the path's versions
 * sorted by layer (one per layer at most: a later put in the same layer
 * replaces the earlier one, as a later tar member does) and the layers in
 * which it was whited out or marked opaque.
 *
 * Visibility of a version v of P as of layer U: nothing in the layers
 * (v.layer, U] removed it. Removal is a whiteout of P or of an ancestor,
 * an opaque marker on a strict ancestor, or a non-directory version
 * (file, symlink) of a strict ancestor: overlayfs replaces the whole
 * directory then. Whiteouts therefore never hide their own layer's files,
 * and the order of whiteouts and files within a layer does not matter.
 *
 * Versions are allocated one by one so entry pointers stay valid until
 * drydock_fs_free().
 */

struct ver {
	struct drydock_fs_entry e;
	char data[]; /* len bytes + NUL */
};

struct wo {
	int layer;
	int opaque;
};

struct node {
	char *path;
	size_t hash;
	struct ver **v; /* sorted by layer, ascending */
	size_t nv, capv;
	struct wo *w;
	size_t nw, capw;
};

struct drydock_fs {
	struct node **slots; /* open addressing, power of two */
	size_t nslots, nnodes;
	struct node **nodes; /* insertion order, for list() */
	size_t capnodes;
	char **diff_ids;
	int nlayers;
	size_t kept_files; /* versions and whiteouts */
	size_t kept_bytes;
};

static size_t hash_str(const char *s, size_t n)
{
	size_t h = 1469598103934665603ull;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ull;
	}
	return h;
}

int drydock_fs_new(struct drydock_fs **out)
{
	struct drydock_fs *fs = calloc(1, sizeof(*fs));

	*out = NULL;
	if (!fs)
		return DRYDOCK_ENOMEM;
	fs->nslots = 256;
	fs->slots = calloc(fs->nslots, sizeof(*fs->slots));
	if (!fs->slots) {
		free(fs);
		return DRYDOCK_ENOMEM;
	}
	*out = fs;
	return 0;
}

void drydock_fs_free(struct drydock_fs *fs)
{
	size_t i, j;
	int l;

	if (!fs)
		return;
	for (i = 0; i < fs->nnodes; i++) {
		struct node *n = fs->nodes[i];

		for (j = 0; j < n->nv; j++)
			free(n->v[j]);
		free(n->v);
		free(n->w);
		free(n->path);
		free(n);
	}
	free(fs->nodes);
	free(fs->slots);
	for (l = 0; l < fs->nlayers; l++)
		free(fs->diff_ids[l]);
	free(fs->diff_ids);
	free(fs);
}

int drydock_fs_add_layer(struct drydock_fs *fs, const char *diff_id,
			 struct drydock_err *err)
{
	char **d;
	char *copy = NULL;

	if (fs->nlayers >= DRYDOCK_MAX_LAYERS)
		return drydock_err_set(
			err, DRYDOCK_ELIMIT,
			"more than %d layers (DRYDOCK_MAX_LAYERS)",
			DRYDOCK_MAX_LAYERS);
	if (diff_id && !(copy = strdup(diff_id)))
		return drydock_err_set(err, DRYDOCK_ENOMEM, "out of memory");
	d = realloc(fs->diff_ids, (size_t)(fs->nlayers + 1) * sizeof(*d));
	if (!d) {
		free(copy);
		return drydock_err_set(err, DRYDOCK_ENOMEM, "out of memory");
	}
	fs->diff_ids = d;
	d[fs->nlayers] = copy;
	return fs->nlayers++;
}

int drydock_fs_layer_count(const struct drydock_fs *fs)
{
	return fs->nlayers;
}

const char *drydock_fs_layer_diff_id(const struct drydock_fs *fs, int layer)
{
	if (layer < 0 || layer >= fs->nlayers)
		return NULL;
	return fs->diff_ids[layer];
}

static struct node *lookup(const struct drydock_fs *fs, const char *path,
			   size_t n)
{
	size_t h = hash_str(path, n);
	size_t mask = fs->nslots - 1;
	size_t i = h & mask;

	for (;;) {
		struct node *nd = fs->slots[i];

		if (!nd)
			return NULL;
		if (nd->hash == h && strncmp(nd->path, path, n) == 0 &&
		    nd->path[n] == '\0')
			return nd;
		i = (i + 1) & mask;
	}
}

static int rehash(struct drydock_fs *fs)
{
	size_t ns = fs->nslots * 2;
	struct node **s = calloc(ns, sizeof(*s));
	size_t i;

	if (!s)
		return DRYDOCK_ENOMEM;
	for (i = 0; i < fs->nnodes; i++) {
		size_t j = fs->nodes[i]->hash & (ns - 1);

		while (s[j])
			j = (j + 1) & (ns - 1);
		s[j] = fs->nodes[i];
	}
	free(fs->slots);
	fs->slots = s;
	fs->nslots = ns;
	return 0;
}

static struct node *intern(struct drydock_fs *fs, const char *path)
{
	size_t n = strlen(path);
	struct node *nd = lookup(fs, path, n);
	size_t i;

	if (nd)
		return nd;
	if ((fs->nnodes + 1) * 10 > fs->nslots * 7 && rehash(fs) < 0)
		return NULL;
	if (fs->nnodes == fs->capnodes) {
		size_t nc = fs->capnodes ? fs->capnodes * 2 : 64;
		struct node **a = realloc(fs->nodes, nc * sizeof(*a));

		if (!a)
			return NULL;
		fs->nodes = a;
		fs->capnodes = nc;
	}
	nd = calloc(1, sizeof(*nd));
	if (!nd)
		return NULL;
	nd->path = strdup(path);
	if (!nd->path) {
		free(nd);
		return NULL;
	}
	nd->hash = hash_str(path, n);
	i = nd->hash & (fs->nslots - 1);
	while (fs->slots[i])
		i = (i + 1) & (fs->nslots - 1);
	fs->slots[i] = nd;
	fs->nodes[fs->nnodes++] = nd;
	return nd;
}

static int check_args(const struct drydock_fs *fs, int layer, const char *path,
		      struct drydock_err *err)
{
	if (layer < 0 || layer >= fs->nlayers)
		return drydock_err_set(err, DRYDOCK_ERROR,
				       "'%s': no layer %d in the filesystem",
				       path, layer);
	if (strlen(path) >= DRYDOCK_MAX_PATH)
		return drydock_err_set(err, DRYDOCK_ELIMIT,
				       "path longer than %d bytes "
				       "(DRYDOCK_MAX_PATH)",
				       DRYDOCK_MAX_PATH);
	return 0;
}

static int count_file(struct drydock_fs *fs, const char *path,
		      struct drydock_err *err)
{
	if (fs->kept_files >= DRYDOCK_MAX_KEPT_FILES)
		return drydock_err_set(err, DRYDOCK_ELIMIT,
				       "'%s': more than %d kept files "
				       "(DRYDOCK_MAX_KEPT_FILES)",
				       path, DRYDOCK_MAX_KEPT_FILES);
	fs->kept_files++;
	return 0;
}

int drydock_fs_put(struct drydock_fs *fs, int layer, const char *path,
		   enum drydock_fs_type type, const void *data, size_t len,
		   struct drydock_err *err)
{
	struct node *nd;
	struct ver *v;
	size_t i, old = 0;
	int rc, replace = 0;

	if ((rc = check_args(fs, layer, path, err)) < 0)
		return rc;
	if (type == DRYDOCK_FS_DELETED)
		return drydock_fs_whiteout(fs, layer, path, err);
	if (type == DRYDOCK_FS_DIR)
		len = 0;
	if (len > DRYDOCK_MAX_KEPT_FILE_BYTES)
		return drydock_err_set(err, DRYDOCK_ELIMIT,
				       "'%s': kept file of %zu bytes is over "
				       "%u (DRYDOCK_MAX_KEPT_FILE_BYTES)",
				       path, len, DRYDOCK_MAX_KEPT_FILE_BYTES);
	nd = intern(fs, path);
	if (!nd)
		return drydock_err_set(err, DRYDOCK_ENOMEM, "out of memory");
	/* the insertion point keeping versions sorted by layer */
	for (i = nd->nv; i > 0 && nd->v[i - 1]->e.layer > layer; i--)
		;
	if (i > 0 && nd->v[i - 1]->e.layer == layer) {
		replace = 1;
		old = nd->v[i - 1]->e.len;
	}
	if (fs->kept_bytes - old + len > DRYDOCK_MAX_KEPT_TOTAL_BYTES)
		return drydock_err_set(err, DRYDOCK_ELIMIT,
				       "'%s': kept files exceed %u bytes "
				       "(DRYDOCK_MAX_KEPT_TOTAL_BYTES)",
				       path, DRYDOCK_MAX_KEPT_TOTAL_BYTES);
	if (!replace && (rc = count_file(fs, path, err)) < 0)
		return rc;
	v = malloc(sizeof(*v) + len + 1);
	if (!v) {
		if (!replace)
			fs->kept_files--;
		return drydock_err_set(err, DRYDOCK_ENOMEM, "out of memory");
	}
	if (len)
		memcpy(v->data, data, len);
	v->data[len] = '\0';
	v->e.path = nd->path;
	v->e.type = type;
	v->e.layer = layer;
	v->e.data = v->data;
	v->e.len = len;
	if (replace) {
		free(nd->v[i - 1]);
		nd->v[i - 1] = v;
		fs->kept_bytes = fs->kept_bytes - old + len;
		return 0;
	}
	if (nd->nv == nd->capv) {
		size_t nc = nd->capv ? nd->capv * 2 : 2;
		struct ver **a = realloc(nd->v, nc * sizeof(*a));

		if (!a) {
			free(v);
			fs->kept_files--;
			return drydock_err_set(err, DRYDOCK_ENOMEM,
					       "out of memory");
		}
		nd->v = a;
		nd->capv = nc;
	}
	memmove(nd->v + i + 1, nd->v + i, (nd->nv - i) * sizeof(*nd->v));
	nd->v[i] = v;
	nd->nv++;
	fs->kept_bytes += len;
	return 0;
}

static int add_wo(struct drydock_fs *fs, int layer, const char *path,
		  int opaque, struct drydock_err *err)
{
	struct node *nd;
	size_t i;
	int rc;

	if ((rc = check_args(fs, layer, path, err)) < 0)
		return rc;
	nd = intern(fs, path);
	if (!nd)
		return drydock_err_set(err, DRYDOCK_ENOMEM, "out of memory");
	for (i = 0; i < nd->nw; i++)
		if (nd->w[i].layer == layer && nd->w[i].opaque == opaque)
			return 0;
	if ((rc = count_file(fs, path, err)) < 0)
		return rc;
	if (nd->nw == nd->capw) {
		size_t nc = nd->capw ? nd->capw * 2 : 2;
		struct wo *a = realloc(nd->w, nc * sizeof(*a));

		if (!a) {
			fs->kept_files--;
			return drydock_err_set(err, DRYDOCK_ENOMEM,
					       "out of memory");
		}
		nd->w = a;
		nd->capw = nc;
	}
	nd->w[nd->nw].layer = layer;
	nd->w[nd->nw].opaque = opaque;
	nd->nw++;
	return 0;
}

int drydock_fs_whiteout(struct drydock_fs *fs, int layer, const char *path,
			struct drydock_err *err)
{
	if (!*path)
		return drydock_err_set(err, DRYDOCK_ECORRUPT,
				       "whiteout of the root directory");
	return add_wo(fs, layer, path, 0, err);
}

int drydock_fs_opaque(struct drydock_fs *fs, int layer, const char *dir,
		      struct drydock_err *err)
{
	return add_wo(fs, layer, dir, 1, err);
}

/* Whether a removal of kind (whiteout/opaque/non-dir) recorded on node nd
 * falls in layers (lo, hi]. self: nd is the path itself, not an ancestor. */
static int removed_by(const struct node *nd, int lo, int hi, int self)
{
	size_t i;

	for (i = 0; i < nd->nw; i++) {
		const struct wo *w = &nd->w[i];

		if (w->layer > lo && w->layer <= hi && (!self || !w->opaque))
			return 1;
	}
	if (self)
		return 0;
	for (i = 0; i < nd->nv; i++) {
		const struct ver *v = nd->v[i];

		if (v->e.layer > lo && v->e.layer <= hi &&
		    v->e.type != DRYDOCK_FS_DIR)
			return 1;
	}
	return 0;
}

/*
 * The visible version of exactly path[0..n) as of layer upto, following
 * no symlinks. NULL when absent or removed.
 */
static const struct drydock_fs_entry *
visible(const struct drydock_fs *fs, const char *path, size_t n, int upto)
{
	const struct node *nd = lookup(fs, path, n);
	const struct ver *v = NULL;
	size_t i;

	if (!nd)
		return NULL;
	for (i = nd->nv; i > 0; i--) {
		if (nd->v[i - 1]->e.layer <= upto) {
			v = nd->v[i - 1];
			break;
		}
	}
	if (!v)
		return NULL;
	if (v->e.layer == upto)
		return &v->e;
	if (removed_by(nd, v->e.layer, upto, 1))
		return NULL;
	/* strict ancestors */
	for (i = n; i > 0; i--) {
		const struct node *a;

		if (path[i - 1] != '/')
			continue;
		a = lookup(fs, path, i - 1);
		if (a && removed_by(a, v->e.layer, upto, 0))
			return NULL;
	}
	/* the root itself can carry an opaque marker ("" node) */
	{
		const struct node *r = lookup(fs, "", 0);

		if (r && removed_by(r, v->e.layer, upto, 0))
			return NULL;
	}
	return &v->e;
}

/*
 * Normalise in (n bytes) into out. clamp: ".." above the root stays at
 * the root (symlink resolution, as the kernel does inside a chroot);
 * otherwise it is an error.
 */
static int normalize(const char *in, size_t n, char *out, size_t outsz,
		     int clamp)
{
	size_t o = 0, i = 0;

	if (outsz == 0)
		return DRYDOCK_ELIMIT;
	while (i < n) {
		size_t s, len;

		while (i < n && in[i] == '/')
			i++;
		s = i;
		while (i < n && in[i] != '/')
			i++;
		len = i - s;
		if (len == 0 || (len == 1 && in[s] == '.'))
			continue;
		if (len == 2 && in[s] == '.' && in[s + 1] == '.') {
			if (o == 0) {
				if (!clamp)
					return DRYDOCK_ECORRUPT;
				continue;
			}
			while (o > 0 && out[o - 1] != '/')
				o--;
			if (o > 0)
				o--; /* the separator */
			continue;
		}
		if (o + (o ? 1 : 0) + len + 1 > outsz ||
		    o + (o ? 1 : 0) + len >= DRYDOCK_MAX_PATH)
			return DRYDOCK_ELIMIT;
		if (o)
			out[o++] = '/';
		memcpy(out + o, in + s, len);
		o += len;
	}
	out[o] = '\0';
	return 0;
}

int drydock_fs_normalize(const char *in, char *out, size_t outsz)
{
	size_t n = strlen(in);

	if (n >= DRYDOCK_MAX_PATH)
		return DRYDOCK_ELIMIT;
	return normalize(in, n, out, outsz, 0);
}

/*
 * Resolve path through symlinks as of upto. follow_last: whether a
 * symlink as the last component is followed too. Returns the entry (or
 * NULL), and leaves the resolved path in res.
 */
static const struct drydock_fs_entry *resolve(const struct drydock_fs *fs,
					      const char *path, int upto,
					      int follow_last,
					      char res[DRYDOCK_MAX_PATH])
{
	char tmp[2 * DRYDOCK_MAX_PATH + 2];
	int hops = 0;
	size_t i, n;

	if (normalize(path, strlen(path), res, DRYDOCK_MAX_PATH, 1) < 0)
		return NULL;
restart:
	n = strlen(res);
	if (n == 0)
		return NULL;
	for (i = 0; i <= n; i++) {
		const struct drydock_fs_entry *e;
		int last = i == n;
		size_t dl, tl, rl;

		if (!last && res[i] != '/')
			continue;
		e = visible(fs, res, i, upto);
		if (e && e->type == DRYDOCK_FS_SYMLINK &&
		    (!last || follow_last)) {
			if (++hops > DRYDOCK_MAX_SYMLINK_HOPS)
				return NULL;
			/* the link's directory, for relative targets */
			dl = 0;
			if (e->data[0] != '/') {
				size_t k;

				for (k = i; k > 0 && res[k - 1] != '/'; k--)
					;
				dl = k; /* includes the trailing '/' */
			}
			tl = e->len;
			rl = n - i; /* "/rest" or "" */
			if (dl + tl + 1 + rl + 1 > sizeof(tmp))
				return NULL;
			memcpy(tmp, res, dl);
			memcpy(tmp + dl, e->data, tl);
			tmp[dl + tl] = '/';
			memcpy(tmp + dl + tl + 1, res + i, rl);
			if (normalize(tmp, dl + tl + 1 + rl, res,
				      DRYDOCK_MAX_PATH, 1) < 0)
				return NULL;
			goto restart;
		}
		if (last)
			return e;
		/* an intermediate component that is a file: no such path */
		if (e && e->type == DRYDOCK_FS_FILE)
			return NULL;
	}
	return NULL;
}

const struct drydock_fs_entry *drydock_fs_get_at(const struct drydock_fs *fs,
						 const char *path, int upto)
{
	char res[DRYDOCK_MAX_PATH];

	if (upto < 0)
		return NULL;
	if (upto >= fs->nlayers)
		upto = fs->nlayers - 1;
	return resolve(fs, path, upto, 1, res);
}

const struct drydock_fs_entry *drydock_fs_get(const struct drydock_fs *fs,
					      const char *path)
{
	return drydock_fs_get_at(fs, path, fs->nlayers - 1);
}

static int cmp_entry(const void *a, const void *b)
{
	const struct drydock_fs_entry *x = *(const struct drydock_fs_entry **)a;
	const struct drydock_fs_entry *y = *(const struct drydock_fs_entry **)b;

	return strcmp(x->path, y->path);
}

int drydock_fs_list(const struct drydock_fs *fs, const char *dir, int upto,
		    drydock_fs_each_fn fn, void *payload)
{
	char d[DRYDOCK_MAX_PATH];
	const struct drydock_fs_entry **found = NULL;
	size_t nf = 0, cap = 0, dl, i;
	int rc = 0;

	if (upto < 0 || upto >= fs->nlayers)
		upto = fs->nlayers - 1;
	if (upto < 0)
		return 0;
	if (normalize(dir, strlen(dir), d, sizeof(d), 1) < 0)
		return 0;
	if (*d) {
		/* the directory's real path, through symlinks */
		const struct drydock_fs_entry *e;
		char res[DRYDOCK_MAX_PATH];

		e = resolve(fs, d, upto, 1, res);
		if (e && e->type != DRYDOCK_FS_DIR)
			return 0;
		memcpy(d, res, strlen(res) + 1);
	}
	dl = strlen(d);
	for (i = 0; i < fs->nnodes; i++) {
		const struct node *nd = fs->nodes[i];
		const char *p = nd->path;
		const struct drydock_fs_entry *e;

		if (nd->nv == 0)
			continue;
		if (dl) {
			if (strncmp(p, d, dl) != 0 || p[dl] != '/')
				continue;
			p += dl + 1;
		}
		if (!*p || strchr(p, '/'))
			continue;
		e = visible(fs, nd->path, strlen(nd->path), upto);
		if (!e || e->type != DRYDOCK_FS_FILE)
			continue;
		if (nf == cap) {
			size_t nc = cap ? cap * 2 : 64;
			const struct drydock_fs_entry **a =
				realloc(found, nc * sizeof(*a));

			if (!a) {
				free(found);
				return DRYDOCK_ENOMEM;
			}
			found = a;
			cap = nc;
		}
		found[nf++] = e;
	}
	if (nf)
		qsort(found, nf, sizeof(*found), cmp_entry);
	for (i = 0; i < nf && rc == 0; i++)
		rc = fn(found[i], payload);
	free(found);
	return rc;
}

int fs_set_diff_id(struct drydock_fs *fs, int layer, const char *diff_id,
		   struct drydock_err *err)
{
	char *copy;

	if (layer < 0 || layer >= fs->nlayers)
		return drydock_err_set(err, DRYDOCK_ERROR, "no layer %d",
				       layer);
	copy = diff_id ? strdup(diff_id) : NULL;
	if (diff_id && !copy)
		return drydock_err_set(err, DRYDOCK_ENOMEM, "out of memory");
	free(fs->diff_ids[layer]);
	fs->diff_ids[layer] = copy;
	return 0;
}

int drydock_fs_merge(struct drydock_fs *dst, const struct drydock_fs *src,
		     struct drydock_err *err)
{
	int base = dst->nlayers;
	size_t i, j;
	int l, rc;

	for (l = 0; l < src->nlayers; l++)
		if ((rc = drydock_fs_add_layer(dst, src->diff_ids[l], err)) < 0)
			return rc;
	for (i = 0; i < src->nnodes; i++) {
		const struct node *nd = src->nodes[i];

		for (j = 0; j < nd->nw; j++) {
			rc = add_wo(dst, base + nd->w[j].layer, nd->path,
				    nd->w[j].opaque, err);
			if (rc < 0)
				return rc;
		}
		for (j = 0; j < nd->nv; j++) {
			const struct drydock_fs_entry *e = &nd->v[j]->e;

			rc = drydock_fs_put(dst, base + e->layer, nd->path,
					    e->type, e->data, e->len, err);
			if (rc < 0)
				return rc;
		}
	}
	return 0;
}

int drydock_fs_merge_take(struct drydock_fs *dst, struct drydock_fs *src,
			  struct drydock_err *err)
{
	struct drydock_fs t;

	if (dst->nlayers || dst->nnodes)
		return drydock_fs_merge(dst, src, err);
	/* the first layer of an image: a move, not a copy of every node */
	t = *dst;
	*dst = *src;
	*src = t;
	return 0;
}

/* (lib/registry's layer cache) */
int drydock_fs_each_op(const struct drydock_fs *fs, drydock_fs_op_fn fn,
		       void *payload)
{
	size_t i, j;
	int rc;

	for (i = 0; i < fs->nnodes; i++) {
		const struct node *nd = fs->nodes[i];

		for (j = 0; j < nd->nw; j++)
			if ((rc = fn(nd->path, nd->w[j].layer,
				     DRYDOCK_FS_DELETED, nd->w[j].opaque, NULL,
				     0, payload)) != 0)
				return rc;
		for (j = 0; j < nd->nv; j++) {
			const struct drydock_fs_entry *e = &nd->v[j]->e;

			if ((rc = fn(nd->path, e->layer, e->type, -1, e->data,
				     e->len, payload)) != 0)
				return rc;
		}
	}
	return 0;
}
