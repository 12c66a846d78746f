#ifndef DRYDOCK_IMAGE_CLI_H
#define DRYDOCK_IMAGE_CLI_H

/*
 * Options shared by the commands that read images (sbom, scan): the
 * registry options (registry_cli.h), --jobs, and the layer cache
 * (--cache-dir, --cache-size, --no-cache).
 *
 * The cache is used by default: --cache-dir, else $XDG_CACHE_HOME/
 * drydock/layers (else ~/.cache/drydock/layers). DRYDOCK_NO_CACHE set to
 * a non-empty value turns the default off (an explicit --cache-dir still
 * applies); --no-cache turns it off. A cache that cannot be opened is a
 * warning, not an error: it only saves time.
 */

#include "drydock/image.h"
#include "registry_cli.h"

#define IMAGE_CLI_NOPTS (REGISTRY_CLI_NOPTS + 4)
#define IMAGE_CLI_OPTS                                                         \
	REGISTRY_CLI_OPTS{"jobs", 'j', "N",                                    \
			  "read N layers at once (default: the number of "     \
			  "cores)"},                                           \
		{"cache-dir", 0, "DIR",                                        \
		 "the layer cache (default $XDG_CACHE_HOME/drydock/layers)"},  \
		{"cache-size", 0, "SIZE",                                      \
		 "bound the layer cache (bytes, or with K, M, G, T; default "  \
		 "2G)"},                                                       \
		{"no-cache", 0, NULL, "read every layer, use no layer cache"},

struct image_cli {
	struct registry_cli reg;
	int jobs;
	const char *cache_dir;
	unsigned long long cache_size;
	int no_cache;
	struct drydock_cache *cache; /* opened by image_cli_setup */
};

/* Handle option i (0..IMAGE_CLI_NOPTS-1) with arg; 0 or EXIT_CANNOT. */
int image_cli_opt(struct image_cli *ic, int i, const char *arg);

/* Fill o (zeroed by the caller, platform set or not) from ic, opening the
 * cache; a failure to open it is printed as a warning unless quiet. */
void image_cli_setup(struct image_cli *ic, struct drydock_image_opts *o,
		     int quiet);
void image_cli_release(struct image_cli *ic);

#endif
