#include "../lib/util/setup.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drydock/error.h"
#include "drydock/inventory.h"
#include "drydock/registry.h"
#include "drydock/strnum.h"
#include "cmd.h"
#include "image_cli.h"

int image_cli_opt(struct image_cli *ic, int i, const char *arg)
{
	uint64_t v;

	if (i < REGISTRY_CLI_NOPTS)
		return registry_cli_opt(&ic->reg, i, arg);
	switch (i - REGISTRY_CLI_NOPTS) {
	case 0:
		if (drydock_strnum_u64(arg, strlen(arg), 256, &v) || v < 1) {
			cmd_error("--jobs: '%s' is not a number from 1 to 256",
				  arg);
			return EXIT_CANNOT;
		}
		ic->jobs = (int)v;
		return 0;
	case 1:
		ic->cache_dir = arg;
		return 0;
	case 2:
		if (drydock_cache_parse_size(arg, &ic->cache_size)) {
			cmd_error("--cache-size: '%s' is not a size (bytes, or "
				  "with K, M, G, T)",
				  arg);
			return EXIT_CANNOT;
		}
		return 0;
	case 3:
		ic->no_cache = 1;
		return 0;
	}
	return EXIT_CANNOT;
}

void image_cli_setup(struct image_cli *ic, struct drydock_image_opts *o,
		     int quiet)
{
	struct drydock_err err = {0};
	const char *off = getenv("DRYDOCK_NO_CACHE");
	char dir[4096];

	o->registry = &ic->reg.opts;
	o->jobs = ic->jobs;
	if (ic->no_cache)
		return;
	if (ic->cache_dir)
		snprintf(dir, sizeof(dir), "%s", ic->cache_dir);
	else if ((off && *off) || drydock_cache_default_dir(dir, sizeof(dir)))
		return;
	if (drydock_cache_open(&ic->cache, dir, ic->cache_size, &err)) {
		if (!quiet)
			fprintf(stderr,
				"drydock: warning: layer cache not used: %s\n",
				err.msg);
		ic->cache = NULL;
		return;
	}
	o->cache = ic->cache;
	o->cache_key = DRYDOCK_INVENTORY_CACHE_KEY;
}

void image_cli_release(struct image_cli *ic)
{
	drydock_cache_close(ic->cache);
	ic->cache = NULL;
}
