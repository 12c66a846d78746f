#include "../lib/util/setup.h"

#include <stdio.h>

#include "drydock/error.h"
#include "drydock/registry.h"
#include "cmd.h"

static const struct cmd_opt opts[] = {
	{"cache-dir", 0, "DIR",
	 "the layer cache (default $XDG_CACHE_HOME/drydock/layers)"},
	{NULL, 0, NULL, NULL},
};

int cmd_cache_clean(int argc, char **argv);
int cache_cli_dir(const char *given, char *out, size_t n);

const struct cmd cmd_cache_clean_spec = {
	"cache clean",
	"[--cache-dir DIR]",
	"empty the layer cache",
	"Removes every entry of the layer cache. Safe while other drydock "
	"processes\n"
	"use it: they see misses and read the layers again.",
	opts,
	cmd_cache_clean,
};

int cmd_cache_clean(int argc, char **argv)
{
	struct drydock_err err = {0};
	struct drydock_cache *c;
	const char *arg, *dir = NULL;
	char path[4096];
	long long n = 0;
	int oi = 1, r;

	while ((r = cmd_getopt(&cmd_cache_clean_spec, argc, argv, &oi, &arg)) !=
	       -1) {
		if (r == -3)
			return EXIT_PASS;
		if (r < 0)
			return EXIT_CANNOT;
		dir = arg;
	}
	if (oi != argc)
		return cmd_usage_error(&cmd_cache_clean_spec,
				       "unexpected argument '%s'", argv[oi]);
	if (cache_cli_dir(dir, path, sizeof(path)))
		return EXIT_CANNOT;
	if (drydock_cache_open(&c, path, 0, &err))
		return cmd_fail(&err);
	if (drydock_cache_clean(c, &n, &err)) {
		drydock_cache_close(c);
		return cmd_fail(&err);
	}
	drydock_cache_close(c);
	printf("removed %lld entries from %s\n", n, path);
	return EXIT_PASS;
}
