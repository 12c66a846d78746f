#ifndef DRYDOCK_IMAGE_H
#define DRYDOCK_IMAGE_H

/*
 * Images from any source: OCI layout, OCI archive, docker-archive, an
 * unpacked root filesystem, and (lib/registry) a registry.
 *
 * An image is opened (manifest and config read and checked), then its
 * layers are streamed once each, in order, into a drydock_fs keeping
 * only what the want predicate asks for. Every blob's digest is verified
 * as it streams; nothing is unpacked to disk.
 */

#include <stddef.h>

#include "drydock/digest.h"
#include "drydock/fs.h"

struct drydock_err;
struct drydock_image;

enum drydock_image_kind {
	DRYDOCK_IMAGE_OCI = 1,	      /* oci:DIR[:TAG|@DIGEST] */
	DRYDOCK_IMAGE_OCI_ARCHIVE,    /* oci-archive:FILE[:TAG|@DIGEST] */
	DRYDOCK_IMAGE_DOCKER_ARCHIVE, /* docker-archive:FILE[:REPO:TAG|#N] */
	DRYDOCK_IMAGE_DIR,	      /* dir:PATH */
	DRYDOCK_IMAGE_REGISTRY	      /* [registry/]repo[:tag][@digest] */
};

struct drydock_image_opts {
	/* "os/arch[/variant]"; NULL means the host's ("linux/amd64") */
	const char *platform;
	/* worker threads for layers (0: number of cores) */
	int jobs;
	/* registry options (lib/registry): may be NULL */
	const struct drydock_registry_opts *registry;
	/* layer cache (lib/registry): per-layer results are looked up and
	 * stored by diff ID and cache_key, which must change whenever what
	 * the want predicate keeps changes (the analysers' version). Both
	 * NULL: no cache. */
	struct drydock_cache *cache;
	const char *cache_key;
};

struct drydock_layer_info {
	char digest[DRYDOCK_DIGEST_MAX];  /* blob digest ("" for dir:) */
	char diff_id[DRYDOCK_DIGEST_MAX]; /* from the config */
	char media_type[128];
	long long size; /* compressed size from the manifest, -1 unknown */
	int in_base;	/* 1 base layer, 0 not, -1 unknown */
};

/*
 * Open ref. A ref with a transport prefix ("oci:", "oci-archive:",
 * "docker-archive:", "dir:") uses that source; a plain path is recognised
 * from its content (a directory with oci-layout, a directory tree, a tar
 * holding manifest.json or oci-layout, gzip-compressed or not); anything
 * else is a registry reference.
 */
int drydock_image_open(struct drydock_image **out, const char *ref,
		       const struct drydock_image_opts *opts,
		       struct drydock_err *err);
void drydock_image_free(struct drydock_image *img);

enum drydock_image_kind drydock_image_kind(const struct drydock_image *img);
/* The name to show for the image (the ref as given). Borrowed. */
const char *drydock_image_name(const struct drydock_image *img);
/* The manifest digest, or "" when there is none (dir:, legacy archives). */
const char *drydock_image_digest(const struct drydock_image *img);
/* The config digest ("image ID"), or "". */
const char *drydock_image_config_digest(const struct drydock_image *img);
/* "os/arch[/variant]" from the config, or "". */
const char *drydock_image_platform(const struct drydock_image *img);
size_t drydock_image_layer_count(const struct drydock_image *img);
const struct drydock_layer_info *
drydock_image_layer(const struct drydock_image *img, size_t i);
/* Base image from org.opencontainers.image.base.name / .digest
 * annotations, or NULL. Borrowed. */
const char *drydock_image_base_name(const struct drydock_image *img);
const char *drydock_image_base_digest(const struct drydock_image *img);
/* The raw config and manifest JSON (borrowed, NUL-terminated) or NULL. */
const char *drydock_image_config_json(const struct drydock_image *img);
const char *drydock_image_manifest_json(const struct drydock_image *img);

/*
 * Mark the first n layers as the base image's (n = 0 marks none).
 * Used with --base and the config history.
 */
void drydock_image_set_base_layers(struct drydock_image *img, size_t n);

/*
 * Stream every layer into fs (one drydock_fs layer per image layer, in
 * order), keeping the files want accepts, applying whiteouts and opaque
 * directories. Verifies each blob digest and each diff ID.
 */
int drydock_image_read_fs(struct drydock_image *img, struct drydock_fs *fs,
			  drydock_fs_want_fn want, void *payload,
			  struct drydock_err *err);

#endif
