#include "../lib/util/setup.h"

#include <jansson.h>
#include <stdio.h>

#include "drydock/buf.h"
#include "drydock/error.h"
#include "drydock/json.h"
#include "drydock/limits.h"
#include "drydock/registry.h"
#include "cmd.h"
#include "registry_cli.h"

static const struct cmd_opt opts[] = {
	{"artifact-type", 0, "TYPE", "list only the referrers of this type"},
	{"format", 'f', "F", "output format: table (default) or json"},
	REGISTRY_CLI_OPTS{NULL, 0, NULL, NULL},
};

int cmd_image_referrers(int argc, char **argv);

const struct cmd cmd_image_referrers_spec = {
	"image referrers",
	"REF [--artifact-type TYPE] [-f table|json] [options]",
	"list the artifacts that refer to an image in a registry",
	"Lists the referrers of REF (a registry reference by tag or digest), "
	"as\n"
	"`oras discover` does: from the registry's referrers API, or where it "
	"has\n"
	"none from the fallback index under the tag sha256-<hex of REF's "
	"digest>.\n"
	"The table has a header line, then one line per referrer: its digest, "
	"artifact\n"
	"type, size and org.opencontainers.image.title annotation (\"-\" when "
	"absent);\n"
	"with no referrer only the header is printed. -f json prints the OCI "
	"index as\n"
	"the registry returned it (filtered by --artifact-type, keys sorted). "
	"Exit 0 "
	"when\n"
	"there is no referrer; a REF the registry does not know exits 2.",
	opts,
	cmd_image_referrers,
};

static const char *str_or_dash(const json_t *o, const char *key)
{
	const char *s = drydock_json_str(o, key);

	return s && *s ? s : "-";
}

/* The table: a header, then digest, artifact type, size, title. */
static int print_table(const char *doc, size_t len, const char *name)
{
	struct drydock_err err = {0};
	json_t *idx, *list, *e;
	int wd = 6, wt = 13, ws = 4;
	size_t i;

	idx = drydock_json_load(doc, len, DRYDOCK_MAX_MANIFEST_BYTES, name,
				&err);
	if (!idx)
		return cmd_fail(&err);
	list = json_object_get(idx, "manifests");
	json_array_foreach(list, i, e)
	{
		long long size = 0;
		char sz[32];
		int n;

		n = (int)strlen(str_or_dash(e, "digest"));
		wd = n > wd ? n : wd;
		n = (int)strlen(str_or_dash(e, "artifactType"));
		wt = n > wt ? n : wt;
		drydock_json_int(e, "size", &size);
		n = snprintf(sz, sizeof(sz), "%lld", size);
		ws = n > ws ? n : ws;
	}
	printf("%-*s  %-*s  %*s  %s\n", wd, "DIGEST", wt, "ARTIFACT TYPE", ws,
	       "SIZE", "TITLE");
	json_array_foreach(list, i, e)
	{
		long long size = 0;

		drydock_json_int(e, "size", &size);
		printf("%-*s  %-*s  %*lld  %s\n", wd, str_or_dash(e, "digest"),
		       wt, str_or_dash(e, "artifactType"), ws, size,
		       str_or_dash(json_object_get(e, "annotations"),
				   DRYDOCK_ANNOTATION_TITLE));
	}
	json_decref(idx);
	return EXIT_PASS;
}

int cmd_image_referrers(int argc, char **argv)
{
	const struct cmd *c = &cmd_image_referrers_spec;
	struct registry_cli rc = {0};
	struct drydock_err err = {0};
	struct drydock_registry_ref ref;
	struct drydock_registry *reg = NULL;
	struct drydock_artifact_subject subject;
	struct drydock_buf out = DRYDOCK_BUF_INIT(DRYDOCK_MAX_MANIFEST_BYTES);
	const char *arg, *type = NULL, *fmt = "table";
	int oi = 1, r, ret = EXIT_CANNOT;

	while ((r = cmd_getopt(c, argc, argv, &oi, &arg)) != -1) {
		if (r == -3)
			return EXIT_PASS;
		if (r < 0)
			return EXIT_CANNOT;
		if (r == 0)
			type = arg;
		else if (r == 1)
			fmt = arg;
		else if (registry_cli_opt(&rc, r - 2, arg))
			return EXIT_CANNOT;
	}
	if (strcmp(fmt, "table") && strcmp(fmt, "json"))
		return cmd_usage_error(c, "unknown format '%s'", fmt);
	if (oi != argc - 1)
		return cmd_usage_error(c, "expected one REF");
	if (type && !drydock_media_type_valid(type))
		return cmd_usage_error(
			c, "--artifact-type: '%s' is not a media type", type);
	if (!strncmp(argv[oi], "oci:", 4) ||
	    !strncmp(argv[oi], "oci-archive:", 12))
		return cmd_usage_error(c, "'%s': not a registry reference",
				       argv[oi]);
	if (drydock_registry_ref_parse(&ref, argv[oi], &err) ||
	    drydock_registry_new(&reg, ref.domain, &rc.opts, &err) ||
	    drydock_registry_subject(reg, ref.path,
				     drydock_registry_ref_ref(&ref), &subject,
				     &err) ||
	    drydock_registry_referrers(reg, ref.path, subject.digest, type,
				       &out, &err)) {
		ret = cmd_fail(&err);
		goto done;
	}
	if (!strcmp(fmt, "json")) {
		fwrite(out.ptr, 1, out.len, stdout);
		if (!out.len || out.ptr[out.len - 1] != '\n')
			putchar('\n');
		ret = EXIT_PASS;
	} else {
		ret = print_table(out.ptr, out.len, argv[oi]);
	}
done:
	drydock_registry_free(reg);
	drydock_buf_release(&out);
	return ret;
}
