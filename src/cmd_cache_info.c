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

int cmd_cache_info(int argc, char **argv);

const struct cmd cmd_cache_info_spec = {
	"cache info",
	"[--cache-dir DIR]",
	"show what the layer cache holds",
	"The layer cache keeps what each image layer gave the analysers, by "
	"diff ID\n"
	"and analyser version, so images sharing a base read its layers "
	"once. It is\n"
	"bounded by --cache-size at scan time (least recently used entries "
	"go first)\n"
	"and may be shared by several drydock processes.",
	opts,
	cmd_cache_info,
};

/* Shared by cache info and cache clean: --cache-dir or the default. */
int cache_cli_dir(const char *given, char *out, size_t n);

int cache_cli_dir(const char *given, char *out, size_t n)
{
	if (given) {
		snprintf(out, n, "%s", given);
		return 0;
	}
	if (drydock_cache_default_dir(out, n)) {
		cmd_error("no cache directory: set XDG_CACHE_HOME or HOME, or "
			  "give --cache-dir");
		return EXIT_CANNOT;
	}
	return 0;
}

int cmd_cache_info(int argc, char **argv)
{
	struct drydock_cache_stats s;
	struct drydock_err err = {0};
	struct drydock_cache *c;
	const char *arg, *dir = NULL;
	char path[4096];
	int oi = 1, r;

	while ((r = cmd_getopt(&cmd_cache_info_spec, argc, argv, &oi, &arg)) !=
	       -1) {
		if (r == -3)
			return EXIT_PASS;
		if (r < 0)
			return EXIT_CANNOT;
		dir = arg;
	}
	if (oi != argc)
		return cmd_usage_error(&cmd_cache_info_spec,
				       "unexpected argument '%s'", argv[oi]);
	if (cache_cli_dir(dir, path, sizeof(path)))
		return EXIT_CANNOT;
	if (drydock_cache_open(&c, path, 0, &err))
		return cmd_fail(&err);
	if (drydock_cache_stats(c, &s, &err)) {
		drydock_cache_close(c);
		return cmd_fail(&err);
	}
	printf("directory  %s\nentries    %lld\nlayers     %lld\nbytes      "
	       "%lld\n",
	       path, s.entries, s.layers, s.bytes);
	drydock_cache_close(c);
	return EXIT_PASS;
}
