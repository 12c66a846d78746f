#ifndef DRYDOCK_SCAN_SOURCE_H
#define DRYDOCK_SCAN_SOURCE_H

/*
 * What `drydock scan` scans: an image (any source) read into an
 * inventory, with its metadata and which layers are the base image's.
 */

#include <stddef.h>

#include "drydock/inventory.h"

struct drydock_err;
struct drydock_image;
struct drydock_layer_info;
struct drydock_image_opts;

struct scan_source {
	struct drydock_image *img; /* NULL for sbom: */
	struct drydock_inventory inv;
	const char *digest, *config_digest, *platform; /* borrowed */
	const struct drydock_layer_info **layers;
	size_t nlayers;
	const char *base_name, *base_digest; /* borrowed, may be NULL */
	char *base_ref;			     /* --base as given, owned */
	char sbom_digest[136];	   /* sbom: the digest the document names */
	char base_digest_buf[136]; /* --base: the base image's digest */
	/* layers 0..nbase-1 are the base image's; -1: not known */
	long nbase;
};

/*
 * Load ref into src. base (may be NULL) names the base image, whose
 * layers must be a prefix of the image's; otherwise the base is taken
 * from the config history when it marks the boundary (the base's own
 * CMD/ENTRYPOINT entry). o (platform, jobs, registry, layer cache) applies
 * to both images.
 */
int scan_source_load(struct scan_source *src, const char *ref,
		     const struct drydock_image_opts *o, const char *base,
		     struct drydock_err *err);
void scan_source_release(struct scan_source *src);
/* 1 when package pkg came from a base layer, 0 when not, -1 unknown. */
int scan_source_in_base(const struct scan_source *src, size_t pkg);

/*
 * The number of base layers the config history shows, or -1. Exposed for
 * tests: history_json is the config's "history" array as JSON text.
 */
long scan_source_history_base(const char *config_json);

#endif
