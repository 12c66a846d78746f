#include "../lib/util/setup.h"

#include <stdio.h>

#include "drydock/error.h"
#include "drydock/registry.h"
#include "cmd.h"
#include "registry_cli.h"

static const struct cmd_opt opts[] = {
	{"artifact-type", 0, "TYPE",
	 "the artifact's type, a media type (required; "
	 "\"application/vnd.example.sbom+json\")"},
	{"media-type", 0, "MT",
	 "media type of every FILE (default: application/octet-stream)"},
	{"annotation", 'a', "KEY=VALUE",
	 "an annotation of the artifact manifest (repeatable)"},
	REGISTRY_CLI_OPTS{NULL, 0, NULL, NULL},
};

int cmd_image_attach(int argc, char **argv);

const struct cmd cmd_image_attach_spec = {
	"image attach",
	"REF --artifact-type TYPE [options] [FILE...]",
	"attach files to an image in a registry as an OCI artifact",
	"Pushes an OCI artifact whose subject is REF (a registry reference by "
	"tag or\n"
	"digest), as `oras attach` does: each FILE a layer titled with its "
	"base name\n"
	"(org.opencontainers.image.title), the empty config, artifactType "
	"TYPE and\n"
	"the --annotation pairs (no creation time unless given: the same "
	"inputs give\n"
	"the same digest). Without FILE the only layer is the empty "
	"descriptor. On a\n"
	"registry without the referrers API the artifact is added to the "
	"fallback\n"
	"index under the tag sha256-<hex of REF's digest>. Prints the "
	"artifact\n"
	"manifest's digest; `drydock image referrers REF` lists it.",
	opts,
	cmd_image_attach,
};

/* A registry reference, not an OCI layout or archive. */
static int registry_ref(const struct cmd *c, const char *s,
			struct drydock_registry_ref *ref,
			struct drydock_err *err)
{
	if (!strncmp(s, "oci:", 4) || !strncmp(s, "oci-archive:", 12))
		return cmd_usage_error(c, "'%s': not a registry reference", s);
	if (drydock_registry_ref_parse(ref, s, err))
		return cmd_fail(err);
	return 0;
}

int cmd_image_attach(int argc, char **argv)
{
	const struct cmd *c = &cmd_image_attach_spec;
	struct registry_cli rc = {0};
	struct drydock_err err = {0};
	struct drydock_artifact a = {0};
	struct drydock_registry_ref ref;
	struct drydock_registry *reg = NULL;
	char digest[DRYDOCK_DIGEST_MAX];
	const char **ann;
	const char *arg;
	int oi = 1, r, ret = EXIT_CANNOT;

	ann = calloc((size_t)argc + 1, sizeof(*ann));
	if (!ann) {
		cmd_error("out of memory");
		return EXIT_CANNOT;
	}
	while ((r = cmd_getopt(c, argc, argv, &oi, &arg)) != -1) {
		if (r == -3) {
			ret = EXIT_PASS;
			goto out;
		}
		if (r < 0)
			goto out;
		switch (r) {
		case 0:
			a.artifact_type = arg;
			break;
		case 1:
			a.media_type = arg;
			break;
		case 2:
			ann[a.nannotations++] = arg;
			break;
		default:
			if (registry_cli_opt(&rc, r - 3, arg))
				goto out;
		}
	}
	if (oi >= argc) {
		ret = cmd_usage_error(c, "expected REF");
		goto out;
	}
	if (!a.artifact_type) {
		ret = cmd_usage_error(c, "--artifact-type is required");
		goto out;
	}
	a.annotations = ann;
	a.files = (const char *const *)argv + oi + 1;
	a.nfiles = (size_t)(argc - oi - 1);
	if (registry_ref(c, argv[oi], &ref, &err))
		goto out;
	/* bad files and annotations fail before the registry is asked */
	if (drydock_artifact_check(&a, &err) ||
	    drydock_registry_new(&reg, ref.domain, &rc.opts, &err) ||
	    drydock_registry_attach(reg, ref.path,
				    drydock_registry_ref_ref(&ref), &a, digest,
				    NULL, &err)) {
		ret = cmd_fail(&err);
		goto out;
	}
	printf("%s\n", digest);
	ret = EXIT_PASS;
out:
	drydock_registry_free(reg);
	free(ann);
	return ret;
}
