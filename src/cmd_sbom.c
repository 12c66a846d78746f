#include "../lib/util/setup.h"

#include <jansson.h>
#include <stdio.h>
#include <time.h>

#include "drydock/buf.h"
#include "drydock/error.h"
#include "drydock/fs.h"
#include "drydock/image.h"
#include "drydock/inventory.h"
#include "drydock/json.h"
#include "drydock/limits.h"
#include "drydock/report.h"
#include "cmd.h"
#include "image_cli.h"

enum { OPT_FORMAT, OPT_OUTPUT, OPT_PLATFORM, OPT_TIMESTAMP, OPT_IMAGE };

static const struct cmd_opt opts[] = {
	{"format", 'f', "F",
	 "cyclonedx (default, CycloneDX 1.5 JSON), spdx-json (SPDX 2.3), "
	 "json (drydock.sbom/v1) or table"},
	{"output", 'o', "FILE", "write to FILE instead of standard output"},
	{"platform", 0, "OS/ARCH[/VARIANT]",
	 "the image to pick from a multi-platform index (default: the "
	 "host's)"},
	{"timestamp", 0, NULL,
	 "record the current time in the document (the output then differs "
	 "from run to run)"},
	IMAGE_CLI_OPTS{NULL, 0, NULL, NULL},
};

int cmd_sbom(int argc, char **argv);

const struct cmd cmd_sbom_spec = {
	"sbom",
	"IMAGE [-f cyclonedx|spdx-json|json|table] [-o FILE] [--platform P] "
	"[--timestamp] [--jobs N] [--cache-dir DIR]",
	"list an image's operating system and packages as an SBOM",
	"Reads IMAGE (oci:DIR[:TAG], oci-archive:FILE, docker-archive:FILE,\n"
	"dir:PATH, a registry reference, or a path recognised by its "
	"content),\n"
	"detects its OS and reads its package databases (dpkg, apk, rpm), and\n"
	"writes a software bill of materials: CycloneDX 1.5 JSON, SPDX 2.3\n"
	"JSON, drydock's own JSON (docs/sbom-json.md) or a table. Each\n"
	"package carries its purl, its source package and the diff ID of the\n"
	"layer that brought it. The same image gives byte-identical output:\n"
	"no timestamp or random serial number unless --timestamp is given\n"
	"(docs/sbom.md). The file named by -o is written only on success.\n"
	"Exit status: 0 written, 2 could not run.",
	opts,
	cmd_sbom,
};

/* The image config's "created", copied into out (empty when absent). */
static void config_created(const struct drydock_image *img, char *out, size_t n)
{
	const char *cfg = drydock_image_config_json(img);
	const char *c;
	json_t *doc;

	out[0] = '\0';
	if (!cfg)
		return;
	doc = drydock_json_load(cfg, strlen(cfg), DRYDOCK_MAX_CONFIG_BYTES,
				"config", NULL);
	if (!doc)
		return;
	c = drydock_json_str(doc, "created");
	if (c)
		snprintf(out, n, "%s", c);
	json_decref(doc);
}

static int write_out(const char *path, const struct drydock_buf *b)
{
	FILE *f = cmd_open_output(path);

	if (!f)
		return EXIT_CANNOT;
	if (b->len)
		fwrite(b->ptr, 1, b->len, f);
	return cmd_close_output(f, path);
}

int cmd_sbom(int argc, char **argv)
{
	const struct cmd *c = &cmd_sbom_spec;
	enum drydock_sbom_format format = DRYDOCK_SBOM_CYCLONEDX;
	struct drydock_image_opts iopts;
	struct image_cli ic = {0};
	struct drydock_image *img = NULL;
	struct drydock_fs *fs = NULL;
	struct drydock_inventory inv;
	struct drydock_sbom_input in;
	struct drydock_layer_info *layers = NULL;
	struct drydock_buf out =
		DRYDOCK_BUF_INIT(DRYDOCK_MAX_SBOM_OUTPUT_BYTES);
	struct drydock_err err;
	const char *output = NULL, *arg;
	char created[64];
	int optind = 1, o, stamp = 0, rc = EXIT_CANNOT;
	size_t i, n;

	memset(&iopts, 0, sizeof(iopts));
	while ((o = cmd_getopt(c, argc, argv, &optind, &arg)) >= 0) {
		switch (o) {
		case OPT_FORMAT:
			if (drydock_sbom_format_parse(arg, &format, &err))
				return cmd_usage_error(c, "%s", err.msg);
			break;
		case OPT_OUTPUT:
			output = arg;
			break;
		case OPT_PLATFORM:
			iopts.platform = arg;
			break;
		case OPT_TIMESTAMP:
			stamp = 1;
			break;
		default:
			if (image_cli_opt(&ic, o - OPT_IMAGE, arg))
				return EXIT_CANNOT;
			break;
		}
	}
	if (o == -3)
		return EXIT_PASS;
	if (o == -2)
		return EXIT_CANNOT;
	if (optind >= argc)
		return cmd_usage_error(c, "an image is required");
	if (optind + 1 < argc)
		return cmd_usage_error(c, "one image at a time ('%s' is extra)",
				       argv[optind + 1]);

	drydock_err_clear(&err);
	drydock_inventory_init(&inv);
	image_cli_setup(&ic, &iopts, 0);
	if (drydock_image_open(&img, argv[optind], &iopts, &err) ||
	    drydock_fs_new(&fs) ||
	    drydock_image_read_fs(img, fs, drydock_inventory_wants, NULL,
				  &err) ||
	    drydock_inventory_scan(&inv, fs, &err)) {
		if (!err.code)
			drydock_err_set(&err, DRYDOCK_ENOMEM, "out of memory");
		rc = cmd_fail(&err);
		goto done;
	}
	n = drydock_image_layer_count(img);
	if (n) {
		layers = calloc(n, sizeof(*layers));
		if (!layers) {
			cmd_error("out of memory");
			goto done;
		}
		for (i = 0; i < n; i++)
			layers[i] = *drydock_image_layer(img, i);
	}
	config_created(img, created, sizeof(created));
	memset(&in, 0, sizeof(in));
	in.name = drydock_image_name(img);
	in.digest = drydock_image_digest(img);
	in.config_digest = drydock_image_config_digest(img);
	in.platform = drydock_image_platform(img);
	in.created = created;
	in.layers = layers;
	in.nlayers = n;
	in.timestamp = stamp ? (long long)time(NULL) : -1;
	in.inv = &inv;
	if (drydock_sbom_write(&out, format, &in, &err)) {
		rc = cmd_fail(&err);
		goto done;
	}
	rc = write_out(output, &out);
done:
	drydock_buf_release(&out);
	free(layers);
	drydock_inventory_free(&inv);
	drydock_fs_free(fs);
	drydock_image_free(img);
	image_cli_release(&ic);
	return rc;
}
