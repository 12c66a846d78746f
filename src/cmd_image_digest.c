#include "../lib/util/setup.h"

#include <stdio.h>

#include "drydock/error.h"
#include "drydock/registry.h"
#include "cmd.h"
#include "registry_cli.h"

static const struct cmd_opt opts[] = {
	{"platform", 0, "OS/ARCH[/VARIANT]",
	 "print the digest of this platform's manifest when IMAGE is an index"},
	REGISTRY_CLI_OPTS{NULL, 0, NULL, NULL},
};

int cmd_image_digest(int argc, char **argv);

const struct cmd cmd_image_digest_spec = {
	"image digest",
	"IMAGE [options]",
	"print the digest an image reference resolves to",
	"IMAGE is a registry reference (\"alpine:3.20\", "
	"\"127.0.0.1:5000/app:v1\"),\n"
	"\"oci:DIR[:TAG]\" or \"oci-archive:FILE[:TAG]\". For a registry the "
	"digest comes\n"
	"from a HEAD request (it does not count as a pull on Docker Hub). "
	"Without\n"
	"--platform it is the digest of the top-level manifest or index.",
	opts,
	cmd_image_digest,
};

int cmd_image_digest(int argc, char **argv)
{
	struct registry_cli rc = {0};
	struct drydock_err err = {0};
	char digest[DRYDOCK_DIGEST_MAX];
	const char *arg, *platform = NULL;
	int oi = 1, r;

	while ((r = cmd_getopt(&cmd_image_digest_spec, argc, argv, &oi,
			       &arg)) != -1) {
		if (r == -3)
			return EXIT_PASS;
		if (r < 0)
			return EXIT_CANNOT;
		if (r == 0)
			platform = arg;
		else if (registry_cli_opt(&rc, r - 1, arg))
			return EXIT_CANNOT;
	}
	if (oi != argc - 1)
		return cmd_usage_error(&cmd_image_digest_spec,
				       "expected one IMAGE");
	if (drydock_image_ref_digest(argv[oi], &rc.opts, platform, digest,
				     &err))
		return cmd_fail(&err);
	printf("%s\n", digest);
	return EXIT_PASS;
}
