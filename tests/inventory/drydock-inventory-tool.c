#include "lib/util/setup.h"

#include <stdio.h>

#include "drydock/buf.h"
#include "drydock/error.h"
#include "drydock/fs.h"
#include "drydock/image.h"
#include "drydock/inventory.h"
#include "drydock/limits.h"

/*
 * drydock-inventory-tool: exposes lib/inventory to the shell tests.
 *
 *   parse dpkg|apk|rpm FILE [NAME]   one line per package:
 *       name TAB version TAB arch TAB src_name TAB src_version TAB
 *       license TAB maintainer       (absent fields are empty)
 *   os PATH=FILE...                  OS detection over a one-layer fs
 *       holding FILE at PATH; prints "key=value" lines
 *   scan REF                         open an image, keep what the
 *       inventory wants, scan: the os lines, then one line per package:
 *       type TAB name TAB version TAB arch TAB src_name TAB src_version
 *       TAB layer TAB diff_id TAB db_path
 *
 * Errors: the message on stderr, exit 2.
 */

#define S(x) ((x) ? (x) : "")

static int fail(struct drydock_err *err)
{
	fprintf(stderr, "drydock-inventory-tool: %s\n", err->msg);
	return 2;
}

static void print_os(const struct drydock_os *os)
{
	printf("family=%s\nversion=%s\ncodename=%s\npretty_name=%s\n"
	       "apk_branch=%s\nsource=%s\n",
	       os->family, os->version, os->codename, os->pretty_name,
	       os->apk_branch, os->source);
}

static int cmd_parse(int argc, char **argv, struct drydock_err *err)
{
	struct drydock_buf b =
		DRYDOCK_BUF_INIT(DRYDOCK_MAX_KEPT_FILE_BYTES + 1);
	struct drydock_inventory inv;
	const char *name;
	size_t i;
	int rc;

	if (argc < 2) {
		fprintf(stderr, "usage: parse dpkg|apk|rpm FILE [NAME]\n");
		return 2;
	}
	name = argc > 2 ? argv[2] : argv[1];
	if (drydock_buf_read_file(&b, argv[1], err) < 0)
		return fail(err);
	drydock_inventory_init(&inv);
	if (strcmp(argv[0], "dpkg") == 0)
		rc = drydock_dpkg_parse_status(&inv, b.ptr ? b.ptr : "", b.len,
					       name, err);
	else if (strcmp(argv[0], "apk") == 0)
		rc = drydock_apk_parse_installed(&inv, b.ptr ? b.ptr : "",
						 b.len, name, err);
	else
		rc = drydock_rpm_parse_db(&inv, b.ptr ? b.ptr : "", b.len, name,
					  err);
	drydock_buf_release(&b);
	if (rc < 0) {
		drydock_inventory_free(&inv);
		return fail(err);
	}
	for (i = 0; i < inv.npkgs; i++) {
		const struct drydock_pkg *p = &inv.pkgs[i];

		printf("%s\t%s\t%s\t%s\t%s\t%s\t%s\n", S(p->name),
		       S(p->version), S(p->arch), S(p->src_name),
		       S(p->src_version), S(p->license), S(p->maintainer));
	}
	drydock_inventory_free(&inv);
	return 0;
}

static int cmd_os(int argc, char **argv, struct drydock_err *err)
{
	struct drydock_fs *fs;
	struct drydock_os os;
	int i, l;

	if (drydock_fs_new(&fs) < 0 ||
	    (l = drydock_fs_add_layer(fs, NULL, err)) < 0)
		return fail(err);
	for (i = 0; i < argc; i++) {
		struct drydock_buf b = DRYDOCK_BUF_INIT(1u << 20);
		char *eq = strchr(argv[i], '=');

		if (!eq) {
			fprintf(stderr, "os: PATH=FILE expected\n");
			drydock_fs_free(fs);
			return 2;
		}
		*eq = '\0';
		if (drydock_buf_read_file(&b, eq + 1, err) < 0 ||
		    drydock_fs_put(fs, l, argv[i], DRYDOCK_FS_FILE,
				   b.ptr ? b.ptr : "", b.len, err) < 0) {
			drydock_buf_release(&b);
			drydock_fs_free(fs);
			return fail(err);
		}
		drydock_buf_release(&b);
	}
	if (drydock_os_detect(&os, fs, err) < 0) {
		drydock_fs_free(fs);
		return fail(err);
	}
	print_os(&os);
	drydock_fs_free(fs);
	return 0;
}

static int cmd_scan(const char *ref, struct drydock_err *err)
{
	struct drydock_image_opts opts = {NULL, 0, NULL};
	struct drydock_inventory inv;
	struct drydock_image *img;
	struct drydock_fs *fs = NULL;
	size_t i;

	if (drydock_image_open(&img, ref, &opts, err) < 0)
		return fail(err);
	drydock_inventory_init(&inv);
	if (drydock_fs_new(&fs) < 0 ||
	    drydock_image_read_fs(img, fs, drydock_inventory_wants, NULL, err) <
		    0 ||
	    drydock_inventory_scan(&inv, fs, err) < 0) {
		drydock_inventory_free(&inv);
		drydock_image_free(img);
		drydock_fs_free(fs);
		return fail(err);
	}
	print_os(&inv.os);
	for (i = 0; i < inv.npkgs; i++) {
		const struct drydock_pkg *p = &inv.pkgs[i];

		printf("%s\t%s\t%s\t%s\t%s\t%s\t%d\t%s\t%s\n",
		       drydock_pkg_type_name(p->type), S(p->name),
		       S(p->version), S(p->arch), S(p->src_name),
		       S(p->src_version), p->layer, S(p->layer_diff_id),
		       S(p->db_path));
	}
	drydock_inventory_free(&inv);
	drydock_image_free(img);
	drydock_fs_free(fs);
	return 0;
}

int main(int argc, char **argv)
{
	struct drydock_err err;

	drydock_err_clear(&err);
	if (argc >= 3 && strcmp(argv[1], "parse") == 0)
		return cmd_parse(argc - 2, argv + 2, &err);
	if (argc >= 2 && strcmp(argv[1], "os") == 0)
		return cmd_os(argc - 2, argv + 2, &err);
	if (argc == 3 && strcmp(argv[1], "scan") == 0)
		return cmd_scan(argv[2], &err);
	fprintf(stderr, "usage: drydock-inventory-tool parse|os|scan ...\n");
	return 2;
}
