#include "lib/util/setup.h"

#include <fnmatch.h>
#include <stdio.h>

#include "drydock/digest.h"
#include "drydock/error.h"
#include "drydock/fs.h"
#include "drydock/image.h"
#include "lib/image/internal.h"

/*
 * drydock-test-tool: exposes lib/image internals to the shell tests.
 *
 *   drydock-test-tool [-p PLATFORM] [-j JOBS] [-w GLOB] info REF
 *   drydock-test-tool [...] get REF PATH...   one line per PATH:
 *        "PATH LAYER TYPE LEN SHA256" or "PATH -"
 *   drydock-test-tool [...] cat REF PATH      the content
 *   drydock-test-tool [...] ls REF DIR        visible files in DIR
 *
 * -w GLOB: keep only files matching GLOB (fnmatch; up to 8 -w), default
 * all.
 * -z 1: inflate with zlib instead of ISA-L.
 * Errors: the message on stderr, exit 2.
 */

static const char *globs[8] = {"*"};
static int nglobs = 1, glob_set;

static int want(const char *path, void *payload)
{
	int i;

	(void)payload;
	for (i = 0; i < nglobs; i++)
		if (fnmatch(globs[i], path, 0) == 0)
			return 1;
	return 0;
}

static int print_entry(const struct drydock_fs_entry *e, void *payload)
{
	(void)payload;
	printf("%s %d\n", e->path, e->layer);
	return 0;
}

static int fail(struct drydock_err *err)
{
	fprintf(stderr, "drydock-test-tool: %s\n", err->msg);
	return 2;
}

int main(int argc, char **argv)
{
	struct drydock_image_opts opts = {NULL, 0, NULL};
	struct drydock_image *img;
	struct drydock_fs *fs;
	struct drydock_err err;
	const char *cmd, *ref;
	int i = 1, rc = 0;
	size_t l;

	while (i + 1 < argc && argv[i][0] == '-') {
		if (strcmp(argv[i], "-p") == 0)
			opts.platform = argv[i + 1];
		else if (strcmp(argv[i], "-j") == 0)
			opts.jobs = (int)strtol(argv[i + 1], NULL, 10);
		else if (strcmp(argv[i], "-w") == 0) {
			if (!glob_set)
				nglobs = 0;
			glob_set = 1;
			if (nglobs < 8)
				globs[nglobs++] = argv[i + 1];
		} else if (strcmp(argv[i], "-z") == 0)
			image_inflate_zlib = argv[i + 1][0] == '1';
		else
			break;
		i += 2;
	}
	if (argc - i < 2) {
		fprintf(stderr, "usage: drydock-test-tool [-p P] [-j N] "
				"[-w GLOB] info|get|cat|ls REF [ARG...]\n");
		return 2;
	}
	cmd = argv[i];
	ref = argv[i + 1];
	i += 2;
	drydock_err_clear(&err);
	if (drydock_image_open(&img, ref, &opts, &err) < 0)
		return fail(&err);
	if (strcmp(cmd, "info") == 0) {
		printf("kind %d\ndigest %s\nconfig %s\nplatform %s\nlayers "
		       "%zu\n",
		       (int)drydock_image_kind(img), drydock_image_digest(img),
		       drydock_image_config_digest(img),
		       drydock_image_platform(img),
		       drydock_image_layer_count(img));
		for (l = 0; l < drydock_image_layer_count(img); l++) {
			const struct drydock_layer_info *li =
				drydock_image_layer(img, l);

			printf("layer %zu %s %s %lld\n", l,
			       li->digest[0] ? li->digest : "-", li->diff_id,
			       li->size);
		}
		drydock_image_free(img);
		return 0;
	}
	if (drydock_fs_new(&fs) < 0 ||
	    drydock_image_read_fs(img, fs, want, NULL, &err) < 0) {
		drydock_image_free(img);
		drydock_fs_free(fs);
		return fail(&err);
	}
	if (strcmp(cmd, "get") == 0) {
		for (; i < argc; i++) {
			const struct drydock_fs_entry *e =
				drydock_fs_get(fs, argv[i]);
			char d[DRYDOCK_DIGEST_MAX];

			if (!e) {
				printf("%s -\n", argv[i]);
				continue;
			}
			drydock_digest_sha256(e->data, e->len, d);
			printf("%s %d %d %zu %s\n", argv[i], e->layer,
			       (int)e->type, e->len, drydock_digest_hex(d));
		}
	} else if (strcmp(cmd, "cat") == 0 && i < argc) {
		const struct drydock_fs_entry *e = drydock_fs_get(fs, argv[i]);

		if (!e)
			rc = 1;
		else
			fwrite(e->data, 1, e->len, stdout);
	} else if (strcmp(cmd, "ls") == 0 && i < argc) {
		drydock_fs_list(fs, argv[i], -1, print_entry, NULL);
	} else {
		fprintf(stderr, "drydock-test-tool: bad command '%s'\n", cmd);
		rc = 2;
	}
	drydock_fs_free(fs);
	drydock_image_free(img);
	return rc;
}
