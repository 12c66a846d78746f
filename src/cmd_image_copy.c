#include "../lib/util/setup.h"

#include <stdio.h>

#include "drydock/error.h"
#include "drydock/registry.h"
#include "cmd.h"
#include "registry_cli.h"

static const struct cmd_opt opts[] = {
	{"platform", 0, "OS/ARCH[/VARIANT]",
	 "platform to copy from an index (default: the host's)"},
	{"all", 'a', NULL, "copy every platform of an index, and the index"},
	{"chunk-size", 0, "BYTES",
	 "upload blobs to registries in chunks of BYTES (default: one PUT)"},
	{"quiet", 'q', NULL, "print only the digest"},
	REGISTRY_CLI_OPTS{NULL, 0, NULL, NULL},
};

int cmd_image_copy(int argc, char **argv);

const struct cmd cmd_image_copy_spec = {
	"image copy",
	"SRC DST [options]",
	"copy an image between registries, OCI layouts and OCI archives",
	"SRC and DST are registry references (\"127.0.0.1:5000/app:v1\"), "
	"\"oci:DIR[:TAG]\"\n"
	"or \"oci-archive:FILE[:TAG]\". Blobs and manifests are copied byte "
	"for byte,\n"
	"so digests are preserved; blobs the destination has are skipped, and "
	"blobs\n"
	"in another repository of the same registry are mounted. Prints the "
	"digest\n"
	"of the copied manifest (or index with --all). Registry options apply "
	"to\n"
	"both sides.",
	opts,
	cmd_image_copy,
};

static void progress(const char *line, void *payload)
{
	(void)payload;
	fprintf(stderr, "%s\n", line);
}

int cmd_image_copy(int argc, char **argv)
{
	struct registry_cli rc = {0};
	struct drydock_copy_opts co = {0};
	struct drydock_err err = {0};
	char digest[DRYDOCK_DIGEST_MAX];
	const char *arg;
	int oi = 1, r, quiet = 0;

	while ((r = cmd_getopt(&cmd_image_copy_spec, argc, argv, &oi, &arg)) !=
	       -1) {
		if (r == -3)
			return EXIT_PASS;
		if (r < 0)
			return EXIT_CANNOT;
		switch (r) {
		case 0:
			co.platform = arg;
			break;
		case 1:
			co.all_platforms = 1;
			break;
		case 2: {
			char *end;
			unsigned long long v = strtoull(arg, &end, 10);

			if (*end || !*arg || v < 1024 ||
			    v > 64ull * 1024 * 1024)
				return cmd_usage_error(
					&cmd_image_copy_spec,
					"--chunk-size: '%s' is not a size "
					"from 1024 to 67108864",
					arg);
			rc.opts.chunk_size = (size_t)v;
			break;
		}
		case 3:
			quiet = 1;
			break;
		default:
			if (registry_cli_opt(&rc, r - 4, arg))
				return EXIT_CANNOT;
		}
	}
	if (oi != argc - 2)
		return cmd_usage_error(&cmd_image_copy_spec,
				       "expected SRC and DST");
	co.src_registry = &rc.opts;
	co.dst_registry = &rc.opts;
	if (!quiet)
		co.progress = progress;
	if (drydock_image_copy(argv[oi], argv[oi + 1], &co, digest, &err))
		return cmd_fail(&err);
	printf("%s\n", digest);
	return EXIT_PASS;
}
