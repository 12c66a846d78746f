#include "../util/setup.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "drydock/buf.h"
#include "drydock/error.h"
#include "drydock/image.h"
#include "drydock/json.h"
#include "drydock/strnum.h"
#include "drydock/limits.h"
#include "drydock/registry.h"
#include "internal.h"
#include "source_registry.h"

/*
 * Image sources: OCI layouts (a directory or inside a tar), docker-save
 * archives (legacy and Docker 25+), unpacked root filesystems. Opening
 * reads and checks the manifest and config; drydock_image_read_fs()
 * streams the layers, in parallel when the source can be read by offset.
 */

#define MT_OCI_MANIFEST "application/vnd.oci.image.manifest.v1+json"
#define MT_DOCKER_MANIFEST                                                     \
	"application/vnd.docker.distribution.manifest.v2+json"
#define REF_NAME "org.opencontainers.image.ref.name"
/* indexes nested in indexes: real ones nest once */
#define MAX_INDEX_NESTING 4

struct drydock_image {
	enum drydock_image_kind kind;
	char *name;
	char digest[DRYDOCK_DIGEST_MAX];
	char config_digest[DRYDOCK_DIGEST_MAX];
	char platform[96];
	struct drydock_layer_info *layers;
	char **paths; /* each layer's file in the source */
	size_t nlayers;
	char *base_name, *base_digest;
	char *config_json, *manifest_json;
	int jobs;
	char *root;	 /* a directory: dir: root or OCI layout */
	struct arch *ar; /* an archive */
	const char *want_platform;
	char host_platform[64];
	/* image_open_docs(): documents in memory, digests unchecked */
	const struct image_docs *docs;
	/* a registry reference (source_registry.c) */
	struct image_remote *remote;
	/* the layer cache (lib/registry), or NULL */
	struct drydock_cache *cache;
	const char *cache_key;
};

/* Reading files of the source */

static int src_read(struct drydock_image *img, const char *path, size_t max,
		    struct drydock_buf *b, struct drydock_err *err)
{
	char full[DRYDOCK_MAX_PATH * 2];

	drydock_buf_init(b, max);
	if (img->docs) {
		const char *d = img->docs->index;
		size_t n = img->docs->index_len;

		if (strcmp(path, "index.json") != 0) {
			/* configs are read with the config limit */
			int cfg = max == DRYDOCK_MAX_CONFIG_BYTES;

			d = cfg ? img->docs->config : img->docs->manifest;
			n = cfg ? img->docs->config_len
				: img->docs->manifest_len;
		}
		if (!d)
			return drydock_err_set(err, DRYDOCK_ENOTFOUND,
					       "'%s': missing", path);
		if (n > max)
			return drydock_err_set(err, DRYDOCK_ELIMIT,
					       "'%s': too large", path);
		if (drydock_buf_put(b, d, n) < 0)
			return drydock_err_set(err, DRYDOCK_ENOMEM,
					       "out of memory");
		return 0;
	}
	if (img->ar)
		return arch_read(img->ar, path, max, b, err);
	if (snprintf(full, sizeof(full), "%s/%s", img->root, path) >=
	    (int)sizeof(full))
		return drydock_err_set(err, DRYDOCK_ELIMIT,
				       "'%s': path too long", img->root);
	return drydock_buf_read_file(b, full, err);
}

static int src_exists(struct drydock_image *img, const char *path)
{
	char full[DRYDOCK_MAX_PATH * 2];
	struct stat st;

	if (img->docs)
		return 1;
	if (img->ar)
		return arch_find(img->ar, path) != NULL;
	snprintf(full, sizeof(full), "%s/%s", img->root, path);
	return stat(full, &st) == 0 && S_ISREG(st.st_mode);
}

/* blobs/<alg>/<hex> of a digest already validated */
static void blob_path(const char *digest, char *out, size_t n)
{
	const char *colon = strchr(digest, ':');

	snprintf(out, n, "blobs/%.*s/%s", (int)(colon - digest), digest,
		 colon + 1);
}

/* Read a small blob and check it against its digest. */
static int read_blob(struct drydock_image *img, const char *digest, size_t max,
		     struct drydock_buf *b, struct drydock_err *err)
{
	char path[DRYDOCK_DIGEST_MAX + 16], got[DRYDOCK_DIGEST_MAX];
	struct drydock_hash *h;
	int rc;

	if ((rc = drydock_digest_validate(digest, err)) < 0)
		return drydock_err_prefix(err, "'%s'", img->name);
	blob_path(digest, path, sizeof(path));
	rc = src_read(img, path, max, b, err);
	if (rc < 0) {
		if (rc == DRYDOCK_ENOTFOUND || rc == DRYDOCK_EIO)
			drydock_err_set(err, DRYDOCK_ENOTFOUND,
					"'%s': blob %s is missing", img->name,
					digest);
		drydock_buf_release(b);
		return err->code;
	}
	h = drydock_hash_new(strncmp(digest, "sha512:", 7) == 0 ? "sha512"
								: "sha256");
	if (!h) {
		drydock_buf_release(b);
		return drydock_err_set(err, DRYDOCK_ENOMEM, "out of memory");
	}
	drydock_hash_update(h, b->ptr, b->len);
	drydock_hash_finish(h, got);
	if (!img->docs && strcmp(got, digest) != 0) {
		drydock_buf_release(b);
		return drydock_err_set(err, DRYDOCK_EDIGEST,
				       "'%s': blob %s does not match its "
				       "digest (content is %s)",
				       img->name, digest, got);
	}
	return 0;
}

static json_t *load_json(struct drydock_buf *b, size_t max, const char *name,
			 struct drydock_err *err)
{
	json_t *j = drydock_json_load(b->ptr, b->len, max, name, err);

	return j;
}

/* Platforms */

static void host_platform(char *out, size_t n)
{
	struct utsname u;
	const char *arch = "amd64";

	if (uname(&u) == 0) {
		if (strcmp(u.machine, "aarch64") == 0)
			arch = "arm64";
		else if (strncmp(u.machine, "armv7", 5) == 0)
			arch = "arm/v7";
		else if (strcmp(u.machine, "s390x") == 0)
			arch = "s390x";
		else if (strcmp(u.machine, "ppc64le") == 0)
			arch = "ppc64le";
		else if (strcmp(u.machine, "riscv64") == 0)
			arch = "riscv64";
		else if (strcmp(u.machine, "i686") == 0 ||
			 strcmp(u.machine, "i386") == 0)
			arch = "386";
	}
	snprintf(out, n, "linux/%s", arch);
}

/* Whether a descriptor's platform object matches "os/arch[/variant]". */
static int platform_match(const json_t *p, const char *want)
{
	char os[32] = "", arch[32] = "", var[32] = "";
	const char *pos, *parch, *pvar;

	if (!json_is_object(p))
		return 0;
	sscanf(want, "%31[^/]/%31[^/]/%31s", os, arch, var);
	pos = drydock_json_str(p, "os");
	parch = drydock_json_str(p, "architecture");
	pvar = drydock_json_str(p, "variant");
	if (!pos || !parch || strcmp(pos, os) != 0 || strcmp(parch, arch) != 0)
		return 0;
	if (!*var)
		return 1;
	if (pvar && strcmp(pvar, var) == 0)
		return 1;
	/* arm64 images often omit their only variant, v8 */
	return !pvar && strcmp(arch, "arm64") == 0 && strcmp(var, "v8") == 0;
}

/* OCI layouts */

static int choose(struct drydock_image *img, json_t *index, const char *tag,
		  const char *digest, int depth, char out[DRYDOCK_DIGEST_MAX],
		  struct drydock_err *err);

/* Follow a descriptor: an index is opened and chosen from; a manifest's
 * digest is the answer. */
static int follow(struct drydock_image *img, const json_t *desc, int depth,
		  char out[DRYDOCK_DIGEST_MAX], struct drydock_err *err)
{
	const char *d = drydock_json_str(desc, "digest");
	const char *mt = drydock_json_str(desc, "mediaType");
	struct drydock_buf b;
	json_t *j;
	int rc;

	if (!d)
		return drydock_err_set(err, DRYDOCK_ECORRUPT,
				       "'%s': descriptor without a digest",
				       img->name);
	if ((rc = drydock_digest_validate(d, err)) < 0)
		return drydock_err_prefix(err, "'%s'", img->name);
	if (mt && (strcmp(mt, MT_OCI_MANIFEST) == 0 ||
		   strcmp(mt, MT_DOCKER_MANIFEST) == 0)) {
		snprintf(out, DRYDOCK_DIGEST_MAX, "%s", d);
		return 0;
	}
	/* an index, or another or no media type: look inside */
	if ((rc = read_blob(img, d, DRYDOCK_MAX_MANIFEST_BYTES, &b, err)) < 0)
		return rc;
	j = load_json(&b, DRYDOCK_MAX_MANIFEST_BYTES, d, err);
	drydock_buf_release(&b);
	if (!j)
		return drydock_err_prefix(err, "'%s'", img->name);
	if (json_is_array(json_object_get(j, "manifests"))) {
		if (depth >= MAX_INDEX_NESTING) {
			json_decref(j);
			return drydock_err_set(err, DRYDOCK_ELIMIT,
					       "'%s': indexes nested more "
					       "than %d deep",
					       img->name, MAX_INDEX_NESTING);
		}
		rc = choose(img, j, NULL, NULL, depth + 1, out, err);
		json_decref(j);
		return rc;
	}
	if (!json_is_array(json_object_get(j, "layers"))) {
		json_decref(j);
		return drydock_err_set(err, DRYDOCK_EUNSUPPORTED,
				       "'%s': %s is not an image manifest "
				       "(media type %s)",
				       img->name, d, mt ? mt : "none");
	}
	json_decref(j);
	snprintf(out, DRYDOCK_DIGEST_MAX, "%s", d);
	return 0;
}

static int choose(struct drydock_image *img, json_t *index, const char *tag,
		  const char *digest, int depth, char out[DRYDOCK_DIGEST_MAX],
		  struct drydock_err *err)
{
	json_t *ms = json_object_get(index, "manifests");
	const char *want =
		img->want_platform ? img->want_platform : img->host_platform;
	struct drydock_buf names = DRYDOCK_BUF_INIT(512);
	size_t i, n, matches = 0, first = 0;
	json_t *d;
	int rc;

	if (!json_is_array(ms) || json_array_size(ms) == 0)
		return drydock_err_set(err, DRYDOCK_ECORRUPT,
				       "'%s': the index lists no manifests",
				       img->name);
	n = json_array_size(ms);
	if (n > DRYDOCK_MAX_INDEX_ENTRIES)
		return drydock_err_set(err, DRYDOCK_ELIMIT,
				       "'%s': index of %zu entries "
				       "(DRYDOCK_MAX_INDEX_ENTRIES)",
				       img->name, n);
	if (digest) {
		json_array_foreach(ms, i, d)
		{
			const char *dd = drydock_json_str(d, "digest");

			if (dd && strcmp(dd, digest) == 0)
				return follow(img, d, depth, out, err);
		}
		/* a manifest below a nested index: named directly */
		{
			json_t *fake = json_pack("{s:s}", "digest", digest);

			if (!fake)
				return drydock_err_set(err, DRYDOCK_ENOMEM,
						       "out of memory");
			{
				char p[DRYDOCK_DIGEST_MAX + 16];

				if (drydock_digest_validate(digest, err) < 0) {
					json_decref(fake);
					return drydock_err_prefix(err, "'%s'",
								  img->name);
				}
				blob_path(digest, p, sizeof(p));
				if (!src_exists(img, p)) {
					json_decref(fake);
					return drydock_err_set(
						err, DRYDOCK_ENOTFOUND,
						"'%s': no manifest %s",
						img->name, digest);
				}
			}
			rc = follow(img, fake, depth, out, err);
			json_decref(fake);
			return rc;
		}
	}
	if (tag) {
		json_array_foreach(ms, i, d)
		{
			const char *t = drydock_json_str(
				json_object_get(d, "annotations"), REF_NAME);

			if (t && strcmp(t, tag) == 0) {
				drydock_buf_release(&names);
				return follow(img, d, depth, out, err);
			}
			if (t)
				drydock_buf_printf(&names, "%s%s",
						   names.len ? ", " : "", t);
		}
		rc = drydock_err_set(err, DRYDOCK_ENOTFOUND,
				     "'%s': no image tagged '%s' (tags: %s)",
				     img->name, tag,
				     names.len ? names.ptr : "none");
		drydock_buf_release(&names);
		return rc;
	}
	if (n == 1)
		return follow(img, json_array_get(ms, 0), depth, out, err);
	/* several: by platform */
	json_array_foreach(ms, i, d)
	{
		if (platform_match(json_object_get(d, "platform"), want)) {
			if (!matches++)
				first = i;
		}
	}
	if (matches >= 1)
		return follow(img, json_array_get(ms, first), depth, out, err);
	json_array_foreach(ms, i, d)
	{
		const char *t = drydock_json_str(
			json_object_get(d, "annotations"), REF_NAME);

		if (t)
			drydock_buf_printf(&names, "%s%s",
					   names.len ? ", " : "", t);
	}
	if (names.len)
		rc = drydock_err_set(err, DRYDOCK_EUSAGE,
				     "'%s': holds %zu images; name one with "
				     ":TAG (%s)",
				     img->name, n, names.ptr);
	else
		rc = drydock_err_set(err, DRYDOCK_ENOTFOUND,
				     "'%s': no image for platform %s",
				     img->name, want);
	drydock_buf_release(&names);
	return rc;
}

static int set_str(char **dst, const char *s, struct drydock_err *err)
{
	free(*dst);
	*dst = s ? strdup(s) : NULL;
	if (s && !*dst)
		return drydock_err_set(err, DRYDOCK_ENOMEM, "out of memory");
	return 0;
}

/* Read the config: diff IDs (count must match the layers), platform. */
static int parse_config(struct drydock_image *img, struct drydock_buf *b,
			struct drydock_err *err)
{
	json_t *c, *ids;
	const char *os, *arch, *var;
	size_t i;

	c = load_json(b, DRYDOCK_MAX_CONFIG_BYTES, "config", err);
	if (!c)
		return drydock_err_prefix(err, "'%s'", img->name);
	ids = json_object_get(json_object_get(c, "rootfs"), "diff_ids");
	if (!json_is_array(ids) || json_array_size(ids) != img->nlayers) {
		size_t n = json_is_array(ids) ? json_array_size(ids) : 0;

		json_decref(c);
		return drydock_err_set(err, DRYDOCK_ECORRUPT,
				       "'%s': config lists %zu diff IDs for "
				       "%zu layers",
				       img->name, n, img->nlayers);
	}
	for (i = 0; i < img->nlayers; i++) {
		const char *d = json_string_value(json_array_get(ids, i));

		if (!d || drydock_digest_validate(d, err) < 0) {
			json_decref(c);
			return drydock_err_set(
				err, DRYDOCK_ECORRUPT,
				"'%s': config diff ID %zu is not "
				"a digest",
				img->name, i);
		}
		snprintf(img->layers[i].diff_id, DRYDOCK_DIGEST_MAX, "%s", d);
	}
	os = drydock_json_str(c, "os");
	arch = drydock_json_str(c, "architecture");
	var = drydock_json_str(c, "variant");
	if (os && arch)
		snprintf(img->platform, sizeof(img->platform),
			 "%.30s/%.30s%s%.30s", os, arch, var ? "/" : "",
			 var ? var : "");
	json_decref(c);
	img->config_json = drydock_buf_detach(b, NULL);
	return img->config_json
		       ? 0
		       : drydock_err_set(err, DRYDOCK_ENOMEM, "out of memory");
}

static int alloc_layers(struct drydock_image *img, size_t n,
			struct drydock_err *err)
{
	if (n > DRYDOCK_MAX_LAYERS)
		return drydock_err_set(err, DRYDOCK_ELIMIT,
				       "'%s': %zu layers (DRYDOCK_MAX_LAYERS)",
				       img->name, n);
	img->layers = calloc(n ? n : 1, sizeof(*img->layers));
	img->paths = calloc(n ? n : 1, sizeof(*img->paths));
	if (!img->layers || !img->paths)
		return drydock_err_set(err, DRYDOCK_ENOMEM, "out of memory");
	img->nlayers = n;
	return 0;
}

static int oci_manifest(struct drydock_image *img, const char *digest,
			struct drydock_err *err)
{
	struct drydock_buf b;
	json_t *m, *layers, *l, *ann;
	const char *cd;
	size_t i;
	int rc;

	if ((rc = read_blob(img, digest, DRYDOCK_MAX_MANIFEST_BYTES, &b, err)) <
	    0)
		return rc;
	m = load_json(&b, DRYDOCK_MAX_MANIFEST_BYTES, digest, err);
	if (!m) {
		drydock_buf_release(&b);
		return drydock_err_prefix(err, "'%s'", img->name);
	}
	snprintf(img->digest, sizeof(img->digest), "%s", digest);
	img->manifest_json = drydock_buf_detach(&b, NULL);
	layers = json_object_get(m, "layers");
	cd = drydock_json_str(json_object_get(m, "config"), "digest");
	if (!json_is_array(layers) || !cd) {
		json_decref(m);
		return drydock_err_set(err, DRYDOCK_ECORRUPT,
				       "'%s': manifest %s has no %s", img->name,
				       digest, cd ? "layers" : "config");
	}
	if ((rc = alloc_layers(img, json_array_size(layers), err)) < 0)
		goto out;
	json_array_foreach(layers, i, l)
	{
		const char *d = drydock_json_str(l, "digest");
		const char *mt = drydock_json_str(l, "mediaType");
		long long size = -1;
		char p[DRYDOCK_DIGEST_MAX + 16];

		if (!d || drydock_digest_validate(d, err) < 0) {
			rc = drydock_err_set(err, DRYDOCK_ECORRUPT,
					     "'%s': layer %zu has no valid "
					     "digest",
					     img->name, i);
			goto out;
		}
		drydock_json_int(l, "size", &size);
		snprintf(img->layers[i].digest, DRYDOCK_DIGEST_MAX, "%s", d);
		snprintf(img->layers[i].media_type,
			 sizeof(img->layers[i].media_type), "%s", mt ? mt : "");
		img->layers[i].size = size;
		img->layers[i].in_base = -1;
		blob_path(d, p, sizeof(p));
		if ((rc = set_str(&img->paths[i], p, err)) < 0)
			goto out;
	}
	ann = json_object_get(m, "annotations");
	if ((rc = set_str(&img->base_name,
			  drydock_json_str(ann, "org.opencontainers.image.base."
						"name"),
			  err)) < 0 ||
	    (rc = set_str(&img->base_digest,
			  drydock_json_str(ann, "org.opencontainers.image.base."
						"digest"),
			  err)) < 0)
		goto out;
	if ((rc = drydock_digest_validate(cd, err)) < 0) {
		drydock_err_prefix(err, "'%s': config", img->name);
		goto out;
	}
	if ((rc = read_blob(img, cd, DRYDOCK_MAX_CONFIG_BYTES, &b, err)) < 0)
		goto out;
	snprintf(img->config_digest, sizeof(img->config_digest), "%s", cd);
	rc = parse_config(img, &b, err);
	drydock_buf_release(&b);
out:
	json_decref(m);
	return rc;
}

static int oci_open(struct drydock_image *img, const char *tag,
		    const char *digest, struct drydock_err *err)
{
	struct drydock_buf b;
	char chosen[DRYDOCK_DIGEST_MAX];
	json_t *index;
	int rc;

	rc = src_read(img, "index.json", DRYDOCK_MAX_MANIFEST_BYTES, &b, err);
	if (rc < 0) {
		if (rc == DRYDOCK_ENOTFOUND || rc == DRYDOCK_EIO)
			rc = drydock_err_set(err, DRYDOCK_ENOTFOUND,
					     "'%s': no index.json: not an OCI "
					     "layout",
					     img->name);
		drydock_buf_release(&b);
		return rc;
	}
	index = load_json(&b, DRYDOCK_MAX_MANIFEST_BYTES, "index.json", err);
	drydock_buf_release(&b);
	if (!index)
		return drydock_err_prefix(err, "'%s'", img->name);
	rc = choose(img, index, tag, digest, 0, chosen, err);
	json_decref(index);
	if (rc < 0)
		return rc;
	return oci_manifest(img, chosen, err);
}

/* docker save archives */

static int docker_open(struct drydock_image *img, const char *sel,
		       struct drydock_err *err)
{
	struct drydock_buf b;
	json_t *man, *e = NULL, *layers, *l;
	const char *cfg;
	size_t i, n;
	int rc;

	if (!arch_find(img->ar, "manifest.json"))
		return oci_open(img, NULL, NULL, err);
	if ((rc = src_read(img, "manifest.json", DRYDOCK_MAX_MANIFEST_BYTES, &b,
			   err)) < 0) {
		drydock_buf_release(&b);
		return rc;
	}
	man = load_json(&b, DRYDOCK_MAX_MANIFEST_BYTES, "manifest.json", err);
	drydock_buf_release(&b);
	if (!man)
		return drydock_err_prefix(err, "'%s'", img->name);
	n = json_is_array(man) ? json_array_size(man) : 0;
	if (sel && sel[0] == '#') {
		uint64_t k;

		if (drydock_strnum_u64(sel + 1, strlen(sel + 1), n ? n - 1 : 0,
				       &k) < 0 ||
		    n == 0) {
			json_decref(man);
			return drydock_err_set(err, DRYDOCK_ENOTFOUND,
					       "'%s': no image %s (the archive "
					       "holds %zu)",
					       img->name, sel, n);
		}
		e = json_array_get(man, (size_t)k);
	} else if (sel) {
		json_t *x;
		size_t j;

		json_array_foreach(man, i, x)
		{
			json_t *tags = json_object_get(x, "RepoTags"), *t;

			json_array_foreach(tags, j, t)
			{
				const char *s = json_string_value(t);

				if (s && strcmp(s, sel) == 0)
					e = x;
			}
			if (e)
				break;
		}
		if (!e) {
			json_decref(man);
			return drydock_err_set(err, DRYDOCK_ENOTFOUND,
					       "'%s': no image tagged '%s'",
					       img->name, sel);
		}
	} else if (n == 1) {
		e = json_array_get(man, 0);
	} else if (n == 0) {
		json_decref(man);
		/* Docker 25 bugs left manifest.json empty: the layout */
		if (arch_find(img->ar, "index.json"))
			return oci_open(img, NULL, NULL, err);
		return drydock_err_set(err, DRYDOCK_ECORRUPT,
				       "'%s': manifest.json lists no images",
				       img->name);
	} else {
		json_decref(man);
		return drydock_err_set(err, DRYDOCK_EUSAGE,
				       "'%s': holds %zu images; name one with "
				       ":REPO:TAG or #N",
				       img->name, n);
	}
	layers = json_object_get(e, "Layers");
	cfg = drydock_json_str(e, "Config");
	if ((!json_is_array(layers) || json_array_size(layers) == 0) &&
	    arch_find(img->ar, "index.json")) {
		/* moby#47065: a manifest without layers; the OCI index
		 * written beside it is right */
		json_decref(man);
		return oci_open(img, NULL, NULL, err);
	}
	if (!json_is_array(layers) || !cfg) {
		json_decref(man);
		return drydock_err_set(err, DRYDOCK_ECORRUPT,
				       "'%s': manifest.json entry without %s",
				       img->name, cfg ? "Layers" : "Config");
	}
	if ((rc = alloc_layers(img, json_array_size(layers), err)) < 0)
		goto out;
	json_array_foreach(layers, i, l)
	{
		const char *p = json_string_value(l);
		const struct member *m = p ? arch_find(img->ar, p) : NULL;
		const char *hex;

		if (!m) {
			rc = drydock_err_set(err, DRYDOCK_ENOTFOUND,
					     "'%s': layer '%.200s' is missing",
					     img->name,
					     p ? p : "(not a string)");
			goto out;
		}
		if ((rc = set_str(&img->paths[i], m->name, err)) < 0)
			goto out;
		img->layers[i].size = (long long)m->size;
		img->layers[i].in_base = -1;
		/* blobs/sha256/<hex>: the name is the blob digest */
		if (strncmp(m->name, "blobs/sha256/", 13) == 0) {
			char d[DRYDOCK_DIGEST_MAX];

			hex = m->name + 13;
			snprintf(d, sizeof(d), "sha256:%s", hex);
			if (drydock_digest_validate(d, NULL) == 0)
				snprintf(img->layers[i].digest,
					 DRYDOCK_DIGEST_MAX, "%s", d);
		}
	}
	if ((rc = src_read(img, cfg, DRYDOCK_MAX_CONFIG_BYTES, &b, err)) < 0) {
		drydock_buf_release(&b);
		goto out;
	}
	drydock_digest_sha256(b.ptr, b.len, img->config_digest);
	{
		/* a config named by its digest must match it */
		const struct member *m = arch_find(img->ar, cfg);
		const char *base = strrchr(m->name, '/');
		char d[DRYDOCK_DIGEST_MAX];

		base = base ? base + 1 : m->name;
		snprintf(d, sizeof(d), "sha256:%.64s", base);
		if (strlen(base) >= 64 &&
		    drydock_digest_validate(d, NULL) == 0 &&
		    (base[64] == '\0' || strcmp(base + 64, ".json") == 0) &&
		    strcmp(d, img->config_digest) != 0) {
			drydock_buf_release(&b);
			rc = drydock_err_set(err, DRYDOCK_EDIGEST,
					     "'%s': config '%s' does not match "
					     "its digest (content is %s)",
					     img->name, cfg,
					     img->config_digest);
			goto out;
		}
	}
	rc = parse_config(img, &b, err);
	drydock_buf_release(&b);
	if (rc < 0)
		goto out;
	for (i = 0; i < img->nlayers; i++) {
		/* legacy layer.tar files are plain tars: blob == diff ID */
		if (!img->layers[i].digest[0] &&
		    strcmp(strrchr(img->paths[i], '/')
				   ? strrchr(img->paths[i], '/') + 1
				   : img->paths[i],
			   "layer.tar") == 0)
			snprintf(
				img->layers[i].media_type,
				sizeof(img->layers[i].media_type),
				"application/vnd.docker.image.rootfs.diff.tar");
	}
out:
	json_decref(man);
	return rc;
}

/* References */

static int is_dir(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static int exists(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0;
}

/*
 * Split "PATH[SEP SELECTOR]" where PATH must exist: the whole string when
 * it exists, else the longest existing prefix ending before one of seps.
 * *sel points into spec (past the separator for ':', at it for '@'/'#').
 */
static int split_path(const char *spec, const char *seps, char *path, size_t n,
		      const char **sel)
{
	size_t len = strlen(spec), i;

	*sel = NULL;
	if (len < n && exists(spec)) {
		memcpy(path, spec, len + 1);
		return 0;
	}
	for (i = len; i > 0; i--) {
		if (!strchr(seps, spec[i - 1]))
			continue;
		if (i - 1 >= n)
			continue;
		memcpy(path, spec, i - 1);
		path[i - 1] = '\0';
		if (exists(path)) {
			*sel = spec[i - 1] == ':' ? spec + i : spec + i - 1;
			return 0;
		}
	}
	return -1;
}

/* The selector of an OCI source: ":tag" or "@digest". */
static int oci_sel(struct drydock_image *img, const char *sel,
		   struct drydock_err *err)
{
	if (!sel || !*sel)
		return oci_open(img, NULL, NULL, err);
	if (sel[0] == '@') {
		if (drydock_digest_validate(sel + 1, err) < 0)
			return drydock_err_prefix(err, "'%s'", img->name);
		return oci_open(img, NULL, sel + 1, err);
	}
	return oci_open(img, sel, NULL, err);
}

static int open_archive(struct drydock_image *img, const char *path,
			struct drydock_err *err)
{
	return arch_open(&img->ar, path, err);
}

int drydock_image_open(struct drydock_image **out, const char *ref,
		       const struct drydock_image_opts *opts,
		       struct drydock_err *err)
{
	struct drydock_image *img;
	char path[DRYDOCK_MAX_PATH];
	const char *sel = NULL, *spec;
	int rc = 0;

	*out = NULL;
	img = calloc(1, sizeof(*img));
	if (!img || !(img->name = strdup(ref))) {
		free(img);
		return drydock_err_set(err, DRYDOCK_ENOMEM, "out of memory");
	}
	host_platform(img->host_platform, sizeof(img->host_platform));
	if (opts) {
		img->want_platform = opts->platform;
		img->jobs = opts->jobs;
		img->cache = opts->cache_key ? opts->cache : NULL;
		img->cache_key = opts->cache_key;
	}
	if (strncmp(ref, "oci:", 4) == 0) {
		img->kind = DRYDOCK_IMAGE_OCI;
		spec = ref + 4;
		if (split_path(spec, ":@", path, sizeof(path), &sel) < 0 ||
		    !is_dir(path)) {
			rc = drydock_err_set(err, DRYDOCK_ENOTFOUND,
					     "'%s': no such directory", spec);
			goto out;
		}
		rc = set_str(&img->root, path, err);
		if (rc == 0)
			rc = oci_sel(img, sel, err);
	} else if (strncmp(ref, "oci-archive:", 12) == 0) {
		img->kind = DRYDOCK_IMAGE_OCI_ARCHIVE;
		spec = ref + 12;
		if (split_path(spec, ":@", path, sizeof(path), &sel) < 0 ||
		    is_dir(path)) {
			rc = drydock_err_set(err, DRYDOCK_ENOTFOUND,
					     "'%s': no such file", spec);
			goto out;
		}
		rc = open_archive(img, path, err);
		if (rc == 0)
			rc = oci_sel(img, sel, err);
	} else if (strncmp(ref, "docker-archive:", 15) == 0) {
		img->kind = DRYDOCK_IMAGE_DOCKER_ARCHIVE;
		spec = ref + 15;
		if (split_path(spec, ":#", path, sizeof(path), &sel) < 0 ||
		    is_dir(path)) {
			rc = drydock_err_set(err, DRYDOCK_ENOTFOUND,
					     "'%s': no such file", spec);
			goto out;
		}
		rc = open_archive(img, path, err);
		if (rc == 0)
			rc = docker_open(img, sel, err);
	} else if (strncmp(ref, "dir:", 4) == 0) {
		img->kind = DRYDOCK_IMAGE_DIR;
		if (!is_dir(ref + 4)) {
			rc = drydock_err_set(err, DRYDOCK_ENOTFOUND,
					     "'%s': no such directory",
					     ref + 4);
			goto out;
		}
		rc = set_str(&img->root, ref + 4, err);
	} else if (exists(ref) ||
		   split_path(ref, ":@#", path, sizeof(path), &sel) == 0) {
		/* a plain path: recognised by content */
		if (!sel)
			snprintf(path, sizeof(path), "%s", ref);
		if (is_dir(path)) {
			char p[DRYDOCK_MAX_PATH + 16];

			snprintf(p, sizeof(p), "%s/index.json", path);
			rc = set_str(&img->root, path, err);
			if (rc == 0 && exists(p)) {
				img->kind = DRYDOCK_IMAGE_OCI;
				rc = oci_sel(img, sel, err);
			} else if (rc == 0) {
				img->kind = DRYDOCK_IMAGE_DIR;
				if (sel)
					rc = drydock_err_set(
						err, DRYDOCK_EUSAGE,
						"'%s': a directory tree has "
						"no tags",
						ref);
			}
		} else {
			rc = open_archive(img, path, err);
			if (rc < 0)
				goto out;
			if (arch_find(img->ar, "manifest.json")) {
				img->kind = DRYDOCK_IMAGE_DOCKER_ARCHIVE;
				rc = docker_open(
					img, sel && *sel == '@' ? NULL : sel,
					err);
			} else if (arch_find(img->ar, "index.json")) {
				img->kind = DRYDOCK_IMAGE_OCI_ARCHIVE;
				rc = oci_sel(img, sel, err);
			} else {
				rc = drydock_err_set(
					err, DRYDOCK_EUNSUPPORTED,
					"'%s': not an image "
					"archive (no manifest.json "
					"or index.json)",
					path);
			}
		}
	} else {
		const struct image_docs *docs = NULL;

		img->kind = DRYDOCK_IMAGE_REGISTRY;
		rc = remote_open(&img->remote, ref,
				 opts ? opts->registry : NULL,
				 img->want_platform, &docs, err);
		if (rc == 0)
			rc = set_str(&img->root, ref, err);
		if (rc == 0) {
			/* verified by lib/registry: read as documents */
			img->docs = docs;
			rc = oci_open(img, NULL, NULL, err);
			img->docs = NULL;
		}
	}
out:
	if (rc < 0) {
		drydock_image_free(img);
		return rc;
	}
	*out = img;
	return 0;
}

int image_open_docs(struct drydock_image **out, const struct image_docs *docs,
		    const char *platform, struct drydock_err *err)
{
	struct drydock_image *img;
	int rc;

	*out = NULL;
	img = calloc(1, sizeof(*img));
	if (!img || !(img->name = strdup("docs"))) {
		free(img);
		return drydock_err_set(err, DRYDOCK_ENOMEM, "out of memory");
	}
	host_platform(img->host_platform, sizeof(img->host_platform));
	img->want_platform = platform;
	img->kind = DRYDOCK_IMAGE_OCI;
	img->docs = docs;
	rc = oci_open(img, NULL, NULL, err);
	img->docs = NULL;
	if (rc < 0) {
		drydock_image_free(img);
		return rc;
	}
	*out = img;
	return 0;
}

void drydock_image_free(struct drydock_image *img)
{
	size_t i;

	if (!img)
		return;
	for (i = 0; img->paths && i < img->nlayers; i++)
		free(img->paths[i]);
	free(img->paths);
	free(img->layers);
	free(img->name);
	free(img->base_name);
	free(img->base_digest);
	free(img->config_json);
	free(img->manifest_json);
	free(img->root);
	arch_free(img->ar);
	remote_free(img->remote);
	free(img);
}

enum drydock_image_kind drydock_image_kind(const struct drydock_image *img)
{
	return img->kind;
}

const char *drydock_image_name(const struct drydock_image *img)
{
	return img->name;
}

const char *drydock_image_digest(const struct drydock_image *img)
{
	return img->digest;
}

const char *drydock_image_config_digest(const struct drydock_image *img)
{
	return img->config_digest;
}

const char *drydock_image_platform(const struct drydock_image *img)
{
	return img->platform;
}

size_t drydock_image_layer_count(const struct drydock_image *img)
{
	return img->nlayers;
}

const struct drydock_layer_info *
drydock_image_layer(const struct drydock_image *img, size_t i)
{
	return i < img->nlayers ? &img->layers[i] : NULL;
}

const char *drydock_image_base_name(const struct drydock_image *img)
{
	return img->base_name;
}

const char *drydock_image_base_digest(const struct drydock_image *img)
{
	return img->base_digest;
}

const char *drydock_image_config_json(const struct drydock_image *img)
{
	return img->config_json;
}

const char *drydock_image_manifest_json(const struct drydock_image *img)
{
	return img->manifest_json;
}

void drydock_image_set_base_layers(struct drydock_image *img, size_t n)
{
	size_t i;

	for (i = 0; i < img->nlayers; i++)
		img->layers[i].in_base = i < n ? 1 : 0;
}

/* Reading the layers */

struct run {
	struct drydock_image *img;
	drydock_fs_want_fn want;
	void *payload;
	size_t kept_total;
	size_t n;
	int hash_thread; /* more jobs than layers: hash in threads */
	struct drydock_fs **res;
	struct drydock_err *errs;
	int *rcs;
	char *done;
	char **names;
	/* workers */
	pthread_mutex_t mu;
	pthread_cond_t cv;
	size_t next, merged, ahead;
	int stop;
};

static void job_for(struct run *r, size_t i, struct layer_job *job)
{
	memset(job, 0, sizeof(*job));
	job->name = r->names[i];
	job->digest = r->img->layers[i].digest;
	job->diff_id = r->img->layers[i].diff_id;
	job->want = r->want;
	job->payload = r->payload;
	job->kept_total = &r->kept_total;
	job->hash_thread = r->hash_thread;
}

static int read_src(struct run *r, size_t i);

/* Read layer i: from the layer cache, else from the source (then cached;
 * a failure to cache is not an error). */
static int read_one(struct run *r, size_t i)
{
	struct drydock_image *img = r->img;
	const char *diff_id = img->layers[i].diff_id;
	struct drydock_err ce;
	int rc;

	if (!img->cache || !diff_id[0])
		return read_src(r, i);
	if ((rc = drydock_fs_new(&r->res[i])) < 0)
		return drydock_err_set(&r->errs[i], rc, "out of memory");
	if (drydock_cache_get_layer(img->cache, diff_id, img->cache_key,
				    r->res[i], &ce) == 0)
		return 0;
	drydock_fs_free(r->res[i]);
	r->res[i] = NULL;
	rc = read_src(r, i);
	if (rc == 0)
		drydock_cache_put_layer(img->cache, diff_id, img->cache_key,
					r->res[i], &ce);
	return rc;
}

/* Read layer i of a source readable by offset. */
static int read_src(struct run *r, size_t i)
{
	struct drydock_image *img = r->img;
	struct drydock_err *err = &r->errs[i];
	struct layer_job job;
	struct fdrange fr;
	int fd = -1, rc;

	job_for(r, i, &job);
	if ((rc = drydock_fs_new(&r->res[i])) < 0)
		return drydock_err_set(err, rc, "out of memory");
	if (img->remote)
		return remote_layer_read(img->remote, img->layers[i].digest,
					 &job, r->res[i], err);
	if (img->ar) {
		const struct member *m = arch_find(img->ar, img->paths[i]);

		if (!m)
			return drydock_err_set(err, DRYDOCK_ENOTFOUND,
					       "'%s': missing", r->names[i]);
		fdrange_init(&fr, img->ar->fd, m->off, m->size, r->names[i]);
	} else {
		struct stat st;
		char full[DRYDOCK_MAX_PATH * 2];

		snprintf(full, sizeof(full), "%s/%s", img->root, img->paths[i]);
		fd = open(full, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return errno == ENOENT
				       ? drydock_err_set(err, DRYDOCK_ENOTFOUND,
							 "'%s': blob %s is "
							 "missing",
							 img->name,
							 img->layers[i].digest)
				       : drydock_err_errno(err, errno, full);
		if (fstat(fd, &st) < 0) {
			rc = drydock_err_errno(err, errno, full);
			close(fd);
			return rc;
		}
		fdrange_init(&fr, fd, 0, (uint64_t)st.st_size, r->names[i]);
	}
	rc = layer_read(&fr.rd, &job, r->res[i], err);
	if (fd >= 0)
		close(fd);
	return rc;
}

static void *worker(void *arg)
{
	struct run *r = arg;

	for (;;) {
		size_t i;
		int rc;

		pthread_mutex_lock(&r->mu);
		while (!r->stop && r->next < r->n &&
		       r->next >= r->merged + r->ahead)
			pthread_cond_wait(&r->cv, &r->mu);
		if (r->stop || r->next >= r->n) {
			pthread_mutex_unlock(&r->mu);
			return NULL;
		}
		i = r->next++;
		pthread_mutex_unlock(&r->mu);
		rc = read_one(r, i);
		pthread_mutex_lock(&r->mu);
		r->rcs[i] = rc;
		r->done[i] = 1;
		pthread_cond_broadcast(&r->cv);
		pthread_mutex_unlock(&r->mu);
	}
}

struct stream_ctx {
	struct run *r;
	const char **uniq; /* distinct layer paths */
	size_t nuniq;
};

static int stream_member(size_t idx, struct rd *in, void *payload,
			 struct drydock_err *err)
{
	struct stream_ctx *s = payload;
	struct run *r = s->r;
	struct layer_job job;
	size_t i;
	int rc;

	(void)err;
	/* the first layer with this path reads it; others share */
	for (i = 0; i < r->n; i++)
		if (strcmp(r->img->paths[i], s->uniq[idx]) == 0)
			break;
	if (i == r->n || r->done[i])
		return 0;
	job_for(r, i, &job);
	if ((rc = drydock_fs_new(&r->res[i])) < 0)
		return drydock_err_set(err, rc, "out of memory");
	rc = layer_read(in, &job, r->res[i], &r->errs[i]);
	r->rcs[i] = rc;
	r->done[i] = 1;
	if (rc < 0) {
		*err = r->errs[i];
		return rc;
	}
	return 0;
}

static int run_stream(struct run *r, struct drydock_err *err)
{
	struct stream_ctx s;
	size_t i, j;
	int rc;

	s.r = r;
	s.nuniq = 0;
	s.uniq = calloc(r->n ? r->n : 1, sizeof(*s.uniq));
	if (!s.uniq)
		return drydock_err_set(err, DRYDOCK_ENOMEM, "out of memory");
	for (i = 0; i < r->n; i++) {
		for (j = 0; j < s.nuniq; j++)
			if (strcmp(s.uniq[j], r->img->paths[i]) == 0)
				break;
		if (j == s.nuniq)
			s.uniq[s.nuniq++] = r->img->paths[i];
	}
	rc = arch_stream(r->img->ar, s.uniq, s.nuniq, stream_member, &s, err);
	free(s.uniq);
	return rc;
}

static int dir_source(struct drydock_image *img, struct drydock_fs *fs,
		      drydock_fs_want_fn want, void *payload,
		      struct drydock_err *err)
{
	int rc = drydock_fs_add_layer(fs, NULL, err);

	if (rc < 0)
		return rc;
	return dir_read(img->root, fs, want, payload, err);
}

static int ncores(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : n > 64 ? 64 : (int)n;
}

int drydock_image_read_fs(struct drydock_image *img, struct drydock_fs *fs,
			  drydock_fs_want_fn want, void *payload,
			  struct drydock_err *err)
{
	struct run r;
	pthread_t th[64];
	size_t i, nth = 0;
	int jobs, rc = 0;

	if (img->kind == DRYDOCK_IMAGE_DIR)
		return dir_source(img, fs, want, payload, err);
	memset(&r, 0, sizeof(r));
	r.img = img;
	r.want = want;
	r.payload = payload;
	r.n = img->nlayers;
	r.res = calloc(r.n + 1, sizeof(*r.res));
	r.errs = calloc(r.n + 1, sizeof(*r.errs));
	r.rcs = calloc(r.n + 1, sizeof(*r.rcs));
	r.done = calloc(r.n + 1, 1);
	r.names = calloc(r.n + 1, sizeof(*r.names));
	if (!r.res || !r.errs || !r.rcs || !r.done || !r.names) {
		rc = drydock_err_set(err, DRYDOCK_ENOMEM, "out of memory");
		goto out;
	}
	for (i = 0; i < r.n; i++) {
		size_t len = strlen(img->name) + strlen(img->paths[i]) + 2;

		r.names[i] = malloc(len);
		if (!r.names[i]) {
			rc = drydock_err_set(err, DRYDOCK_ENOMEM,
					     "out of memory");
			goto out;
		}
		snprintf(r.names[i], len, "%s/%s",
			 img->ar ? img->ar->path : img->root, img->paths[i]);
	}
	if (img->ar && img->ar->compressed) {
		/* one pass over the compressed archive, layers in the
		 * order they are stored */
		rc = run_stream(&r, err);
		if (rc < 0)
			goto out;
		for (i = 0; i < r.n; i++) {
			size_t j;

			if (r.done[i])
				continue;
			for (j = 0; j < i; j++)
				if (strcmp(img->paths[j], img->paths[i]) == 0)
					break;
			if (j == i) {
				rc = drydock_err_set(err, DRYDOCK_ENOTFOUND,
						     "'%s': missing",
						     r.names[i]);
				goto out;
			}
		}
		for (i = 0; i < r.n; i++) {
			size_t j = i;

			if (!r.done[i])
				for (j = 0; j < i; j++)
					if (strcmp(img->paths[j],
						   img->paths[i]) == 0)
						break;
			if ((rc = drydock_fs_merge(fs, r.res[j], err)) < 0)
				goto out;
		}
		goto out;
	}
	jobs = img->jobs > 0 ? img->jobs : ncores();
	if (jobs > 64)
		jobs = 64;
	/* a core no layer will use hashes for one that does */
	r.hash_thread = (size_t)jobs > r.n;
	if ((size_t)jobs > r.n)
		jobs = (int)r.n;
	r.ahead = (size_t)jobs * 2;
	if (jobs <= 1) {
		for (i = 0; i < r.n; i++) {
			if ((rc = read_one(&r, i)) < 0) {
				*err = r.errs[i];
				goto out;
			}
			if ((rc = drydock_fs_merge_take(fs, r.res[i], err)) < 0)
				goto out;
			drydock_fs_free(r.res[i]);
			r.res[i] = NULL;
		}
		goto out;
	}
	pthread_mutex_init(&r.mu, NULL);
	pthread_cond_init(&r.cv, NULL);
	for (nth = 0; nth < (size_t)jobs; nth++)
		if (pthread_create(&th[nth], NULL, worker, &r) != 0)
			break;
	if (nth == 0) {
		rc = drydock_err_set(err, DRYDOCK_ERROR,
				     "cannot start worker threads");
	}
	for (i = 0; i < r.n && nth > 0; i++) {
		pthread_mutex_lock(&r.mu);
		while (!r.done[i])
			pthread_cond_wait(&r.cv, &r.mu);
		pthread_mutex_unlock(&r.mu);
		if (r.rcs[i] < 0) {
			*err = r.errs[i];
			rc = r.rcs[i];
			break;
		}
		rc = drydock_fs_merge_take(fs, r.res[i], err);
		drydock_fs_free(r.res[i]);
		r.res[i] = NULL;
		if (rc < 0)
			break;
		pthread_mutex_lock(&r.mu);
		r.merged = i + 1;
		pthread_cond_broadcast(&r.cv);
		pthread_mutex_unlock(&r.mu);
	}
	pthread_mutex_lock(&r.mu);
	r.stop = 1;
	pthread_cond_broadcast(&r.cv);
	pthread_mutex_unlock(&r.mu);
	for (i = 0; i < nth; i++)
		pthread_join(th[i], NULL);
	pthread_mutex_destroy(&r.mu);
	pthread_cond_destroy(&r.cv);
out:
	for (i = 0; i < r.n; i++) {
		if (r.res)
			drydock_fs_free(r.res[i]);
		if (r.names)
			free(r.names[i]);
	}
	free(r.res);
	free(r.errs);
	free(r.rcs);
	free(r.done);
	free(r.names);
	return rc;
}
