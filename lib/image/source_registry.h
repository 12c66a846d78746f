#ifndef DRYDOCK_IMAGE_SOURCE_REGISTRY_H
#define DRYDOCK_IMAGE_SOURCE_REGISTRY_H

/*
 * Registry references as an image source (source_registry.c, on
 * lib/registry). Internal to lib/image.
 */

struct drydock_err;
struct drydock_fs;
struct drydock_registry_opts;
struct image_docs;
struct image_remote;
struct layer_job;

/*
 * Resolve ref (with platform, NULL: the host's) to an image manifest and
 * fetch its config, both verified; *docs then describes them as an OCI
 * layout in memory (valid until remote_free).
 */
int remote_open(struct image_remote **out, const char *ref,
		const struct drydock_registry_opts *ro, const char *platform,
		const struct image_docs **docs, struct drydock_err *err);
void remote_free(struct image_remote *rm);

/* Stream layer blob digest into layer_read(). Thread-safe. */
int remote_layer_read(struct image_remote *rm, const char *digest,
		      const struct layer_job *job, struct drydock_fs *out,
		      struct drydock_err *err);

#endif
