#include "lib/util/setup.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <cmocka.h>

#include "drydock/error.h"
#include "drydock/fs.h"
#include "drydock/limits.h"

/* Unit tests of the kept filesystem (lib/image/fs.c): layering,
 * whiteouts, opaque directories, symlinks, listing, normalisation. */

static struct drydock_fs *new_fs(int layers)
{
	struct drydock_fs *fs;
	int i;

	assert_int_equal(drydock_fs_new(&fs), 0);
	for (i = 0; i < layers; i++)
		assert_int_equal(drydock_fs_add_layer(fs, NULL, NULL), i);
	return fs;
}

static void put(struct drydock_fs *fs, int layer, const char *path,
		const char *data)
{
	assert_int_equal(drydock_fs_put(fs, layer, path, DRYDOCK_FS_FILE, data,
					strlen(data), NULL),
			 0);
}

static void link_(struct drydock_fs *fs, int layer, const char *path,
		  const char *target)
{
	assert_int_equal(drydock_fs_put(fs, layer, path, DRYDOCK_FS_SYMLINK,
					target, strlen(target), NULL),
			 0);
}

static const char *content(const struct drydock_fs *fs, const char *path)
{
	const struct drydock_fs_entry *e = drydock_fs_get(fs, path);

	return e ? e->data : NULL;
}

static void test_fs__layers_override(void **state)
{
	struct drydock_fs *fs = new_fs(0);
	const struct drydock_fs_entry *e;

	(void)state;
	assert_int_equal(drydock_fs_add_layer(fs, "sha256:aa", NULL), 0);
	assert_int_equal(drydock_fs_add_layer(fs, NULL, NULL), 1);
	assert_int_equal(drydock_fs_layer_count(fs), 2);
	assert_string_equal(drydock_fs_layer_diff_id(fs, 0), "sha256:aa");
	assert_null(drydock_fs_layer_diff_id(fs, 1));
	assert_null(drydock_fs_layer_diff_id(fs, 2));
	put(fs, 0, "etc/os-release", "ID=debian\n");
	put(fs, 1, "etc/os-release", "ID=ubuntu\n");
	e = drydock_fs_get(fs, "etc/os-release");
	assert_non_null(e);
	assert_string_equal(e->data, "ID=ubuntu\n");
	assert_int_equal(e->layer, 1);
	assert_int_equal(e->len, 10);
	assert_int_equal(e->type, DRYDOCK_FS_FILE);
	assert_string_equal(e->path, "etc/os-release");
	e = drydock_fs_get_at(fs, "etc/os-release", 0);
	assert_string_equal(e->data, "ID=debian\n");
	assert_null(drydock_fs_get_at(fs, "etc/os-release", -1));
	assert_null(drydock_fs_get(fs, "etc/missing"));
	/* a later member of the same layer replaces the earlier one */
	put(fs, 1, "etc/os-release", "ID=alpine\n");
	assert_string_equal(content(fs, "etc/os-release"), "ID=alpine\n");
	/* data with NULs keeps its length */
	assert_int_equal(
		drydock_fs_put(fs, 1, "bin", DRYDOCK_FS_FILE, "a\0b", 3, NULL),
		0);
	assert_int_equal(drydock_fs_get(fs, "bin")->len, 3);
	drydock_fs_free(fs);
}

static void test_fs__whiteout_lower_only(void **state)
{
	struct drydock_fs *fs = new_fs(3);

	(void)state;
	put(fs, 0, "etc/issue.net", "Debian\n");
	put(fs, 0, "etc/issue", "Debian\n");
	/* layer 1: the whiteout, and the same layer re-adds a file of the
	 * same name given before the whiteout: its own file stays */
	put(fs, 1, "etc/issue", "new\n");
	assert_int_equal(drydock_fs_whiteout(fs, 1, "etc/issue", NULL), 0);
	assert_int_equal(drydock_fs_whiteout(fs, 1, "etc/issue.net", NULL), 0);
	assert_null(drydock_fs_get(fs, "etc/issue.net"));
	assert_string_equal(content(fs, "etc/issue"), "new\n");
	/* the view below the whiteout still has it */
	assert_string_equal(drydock_fs_get_at(fs, "etc/issue.net", 0)->data,
			    "Debian\n");
	/* a file added again above the whiteout is visible */
	put(fs, 2, "etc/issue.net", "back\n");
	assert_string_equal(content(fs, "etc/issue.net"), "back\n");
	assert_null(drydock_fs_get_at(fs, "etc/issue.net", 1));
	drydock_fs_free(fs);
}

static void test_fs__whiteout_directory(void **state)
{
	struct drydock_fs *fs = new_fs(3);

	(void)state;
	put(fs, 0, "var/lib/dpkg/status", "Package: a\n");
	put(fs, 0, "var/lib/dpkg/status.d/a", "Package: a\n");
	assert_int_equal(drydock_fs_whiteout(fs, 1, "var/lib/dpkg", NULL), 0);
	assert_null(drydock_fs_get(fs, "var/lib/dpkg/status"));
	assert_null(drydock_fs_get(fs, "var/lib/dpkg/status.d/a"));
	/* a sibling whose name starts the same is untouched */
	put(fs, 0, "var/lib/dpkg-old/status", "x");
	assert_non_null(drydock_fs_get(fs, "var/lib/dpkg-old/status"));
	put(fs, 2, "var/lib/dpkg/status", "Package: b\n");
	assert_string_equal(content(fs, "var/lib/dpkg/status"), "Package: b\n");
	assert_null(drydock_fs_get(fs, "var/lib/dpkg/status.d/a"));
	assert_int_equal(drydock_fs_whiteout(fs, 1, "", NULL),
			 DRYDOCK_ECORRUPT);
	drydock_fs_free(fs);
}

static void test_fs__opaque(void **state)
{
	struct drydock_fs *fs = new_fs(2);

	(void)state;
	put(fs, 0, "etc/apk/world", "busybox\n");
	put(fs, 0, "etc/apk/repositories", "v3.19\n");
	put(fs, 0, "etc/os-release", "ID=alpine\n");
	/* layer 1: its own file before the opaque marker, as in a tar
	 * where the marker comes last: the own file must stay */
	put(fs, 1, "etc/apk/repositories", "v3.20\n");
	assert_int_equal(drydock_fs_opaque(fs, 1, "etc/apk", NULL), 0);
	assert_null(drydock_fs_get(fs, "etc/apk/world"));
	assert_string_equal(content(fs, "etc/apk/repositories"), "v3.20\n");
	/* outside the opaque directory nothing changes */
	assert_string_equal(content(fs, "etc/os-release"), "ID=alpine\n");
	assert_string_equal(drydock_fs_get_at(fs, "etc/apk/world", 0)->data,
			    "busybox\n");
	drydock_fs_free(fs);
}

static void test_fs__opaque_keeps_dir_entry(void **state)
{
	struct drydock_fs *fs = new_fs(2);

	(void)state;
	assert_int_equal(
		drydock_fs_put(fs, 0, "etc", DRYDOCK_FS_DIR, NULL, 0, NULL), 0);
	put(fs, 0, "etc/a", "a");
	assert_int_equal(drydock_fs_opaque(fs, 1, "etc", NULL), 0);
	/* the directory itself stays; only its lower children go */
	assert_non_null(drydock_fs_get(fs, "etc"));
	assert_int_equal(drydock_fs_get(fs, "etc")->type, DRYDOCK_FS_DIR);
	assert_null(drydock_fs_get(fs, "etc/a"));
	drydock_fs_free(fs);
}

static void test_fs__symlinks(void **state)
{
	struct drydock_fs *fs = new_fs(2);
	const struct drydock_fs_entry *e;

	(void)state;
	put(fs, 0, "usr/lib/os-release", "ID=debian\n");
	link_(fs, 0, "etc/os-release", "../usr/lib/os-release");
	link_(fs, 0, "lib", "usr/lib");
	link_(fs, 0, "abs", "/usr/lib/os-release");
	link_(fs, 0, "up", "../../../../usr/lib/os-release");
	e = drydock_fs_get(fs, "etc/os-release");
	assert_non_null(e);
	assert_string_equal(e->data, "ID=debian\n");
	assert_string_equal(e->path, "usr/lib/os-release");
	assert_string_equal(content(fs, "lib/os-release"), "ID=debian\n");
	assert_string_equal(content(fs, "abs"), "ID=debian\n");
	/* ".." above the root stays at the root */
	assert_string_equal(content(fs, "up"), "ID=debian\n");
	/* a directory symlink in a higher layer replaces the directory */
	put(fs, 0, "var/lib/rpm/Packages", "old");
	put(fs, 1, "usr/lib/sysimage/rpm/rpmdb.sqlite", "new");
	link_(fs, 1, "var/lib/rpm", "../../usr/lib/sysimage/rpm");
	assert_null(drydock_fs_get(fs, "var/lib/rpm/Packages"));
	assert_string_equal(content(fs, "var/lib/rpm/rpmdb.sqlite"), "new");
	assert_string_equal(
		drydock_fs_get_at(fs, "var/lib/rpm/Packages", 0)->data, "old");
	/* a file in the middle of a path */
	assert_null(drydock_fs_get(fs, "usr/lib/os-release/x"));
	/* a dangling link */
	link_(fs, 1, "dangling", "nowhere");
	assert_null(drydock_fs_get(fs, "dangling"));
	drydock_fs_free(fs);
}

static void test_fs__symlink_loops(void **state)
{
	struct drydock_fs *fs = new_fs(1);
	char name[32], target[32];
	int i;

	(void)state;
	link_(fs, 0, "a", "b");
	link_(fs, 0, "b", "a");
	link_(fs, 0, "self", "self");
	link_(fs, 0, "dir", "dir/x");
	assert_null(drydock_fs_get(fs, "a"));
	assert_null(drydock_fs_get(fs, "self"));
	assert_null(drydock_fs_get(fs, "dir"));
	assert_null(drydock_fs_get(fs, "a/b/c"));
	/* a chain exactly DRYDOCK_MAX_SYMLINK_HOPS long resolves, one more
	 * does not */
	put(fs, 0, "end", "end");
	for (i = 0; i <= DRYDOCK_MAX_SYMLINK_HOPS; i++) {
		snprintf(name, sizeof(name), "c%d", i);
		if (i == 0)
			snprintf(target, sizeof(target), "end");
		else
			snprintf(target, sizeof(target), "c%d", i - 1);
		link_(fs, 0, name, target);
	}
	snprintf(name, sizeof(name), "c%d", DRYDOCK_MAX_SYMLINK_HOPS - 1);
	assert_string_equal(content(fs, name), "end");
	snprintf(name, sizeof(name), "c%d", DRYDOCK_MAX_SYMLINK_HOPS);
	assert_null(drydock_fs_get(fs, name));
	drydock_fs_free(fs);
}

struct seen {
	char names[16][64];
	int n;
};

static int collect(const struct drydock_fs_entry *e, void *payload)
{
	struct seen *s = payload;

	if (s->n < 16)
		snprintf(s->names[s->n++], 64, "%s", e->path);
	return 0;
}

static int stop_at_first(const struct drydock_fs_entry *e, void *payload)
{
	(void)e;
	(void)payload;
	return 7;
}

static void test_fs__list(void **state)
{
	struct drydock_fs *fs = new_fs(3);
	struct seen s;

	(void)state;
	put(fs, 0, "var/lib/dpkg/status.d/zlib", "z");
	put(fs, 0, "var/lib/dpkg/status.d/base", "b");
	put(fs, 0, "var/lib/dpkg/status.d/gone", "g");
	put(fs, 0, "var/lib/dpkg/status.d/sub/deep", "d");
	link_(fs, 0, "var/lib/dpkg/status.d/link", "base");
	put(fs, 1, "var/lib/dpkg/status.d/app", "a");
	assert_int_equal(
		drydock_fs_whiteout(fs, 1, "var/lib/dpkg/status.d/gone", NULL),
		0);
	link_(fs, 2, "dpkg", "var/lib/dpkg");

	memset(&s, 0, sizeof(s));
	assert_int_equal(
		drydock_fs_list(fs, "var/lib/dpkg/status.d", -1, collect, &s),
		0);
	assert_int_equal(s.n, 3);
	assert_string_equal(s.names[0], "var/lib/dpkg/status.d/app");
	assert_string_equal(s.names[1], "var/lib/dpkg/status.d/base");
	assert_string_equal(s.names[2], "var/lib/dpkg/status.d/zlib");

	memset(&s, 0, sizeof(s));
	assert_int_equal(
		drydock_fs_list(fs, "var/lib/dpkg/status.d", 0, collect, &s),
		0);
	assert_int_equal(s.n, 3);
	assert_string_equal(s.names[0], "var/lib/dpkg/status.d/base");
	assert_string_equal(s.names[1], "var/lib/dpkg/status.d/gone");

	/* through a directory symlink */
	memset(&s, 0, sizeof(s));
	assert_int_equal(drydock_fs_list(fs, "dpkg/status.d", -1, collect, &s),
			 0);
	assert_int_equal(s.n, 3);
	assert_int_equal(drydock_fs_list(fs, "var/lib/dpkg/status.d", -1,
					 stop_at_first, NULL),
			 7);
	memset(&s, 0, sizeof(s));
	assert_int_equal(drydock_fs_list(fs, "nowhere", -1, collect, &s), 0);
	assert_int_equal(s.n, 0);
	drydock_fs_free(fs);
}

static void test_fs__normalize(void **state)
{
	char out[DRYDOCK_MAX_PATH];
	static char longp[DRYDOCK_MAX_PATH + 10];

	(void)state;
	assert_int_equal(
		drydock_fs_normalize("./etc/os-release", out, sizeof(out)), 0);
	assert_string_equal(out, "etc/os-release");
	assert_int_equal(
		drydock_fs_normalize("/etc//apk/./world/", out, sizeof(out)),
		0);
	assert_string_equal(out, "etc/apk/world");
	assert_int_equal(drydock_fs_normalize("a/b/../c", out, sizeof(out)), 0);
	assert_string_equal(out, "a/c");
	assert_int_equal(drydock_fs_normalize("./", out, sizeof(out)), 0);
	assert_string_equal(out, "");
	assert_int_equal(
		drydock_fs_normalize("../etc/passwd", out, sizeof(out)),
		DRYDOCK_ECORRUPT);
	assert_int_equal(drydock_fs_normalize("a/../../b", out, sizeof(out)),
			 DRYDOCK_ECORRUPT);
	assert_int_equal(drydock_fs_normalize("abcdef", out, 4),
			 DRYDOCK_ELIMIT);
	memset(longp, 'a', sizeof(longp) - 1);
	assert_int_equal(drydock_fs_normalize(longp, out, sizeof(out)),
			 DRYDOCK_ELIMIT);
}

static void test_fs__limits(void **state)
{
	struct drydock_fs *fs = new_fs(1);
	struct drydock_err err;
	char *big;

	(void)state;
	big = calloc(1, DRYDOCK_MAX_KEPT_FILE_BYTES + 1);
	assert_non_null(big);
	assert_int_equal(drydock_fs_put(fs, 0, "var/lib/rpm/Packages",
					DRYDOCK_FS_FILE, big,
					DRYDOCK_MAX_KEPT_FILE_BYTES + 1, &err),
			 DRYDOCK_ELIMIT);
	assert_non_null(strstr(err.msg, "'var/lib/rpm/Packages'"));
	assert_non_null(strstr(err.msg, "DRYDOCK_MAX_KEPT_FILE_BYTES"));
	/* the total: three files at the per-file maximum pass, the total
	 * limit stops the one that goes past it */
	{
		size_t per = DRYDOCK_MAX_KEPT_FILE_BYTES;
		size_t fit = DRYDOCK_MAX_KEPT_TOTAL_BYTES / per;
		size_t i;
		char name[32];
		int rc = 0;

		for (i = 0; i <= fit && rc == 0; i++) {
			snprintf(name, sizeof(name), "f%zu", i);
			rc = drydock_fs_put(fs, 0, name, DRYDOCK_FS_FILE, big,
					    per, &err);
		}
		assert_int_equal(rc, DRYDOCK_ELIMIT);
		assert_int_equal(i, fit + 1);
		assert_non_null(
			strstr(err.msg, "DRYDOCK_MAX_KEPT_TOTAL_BYTES"));
	}
	free(big);
	/* no put into a layer that does not exist */
	assert_true(drydock_fs_put(fs, 3, "x", DRYDOCK_FS_FILE, "", 0, NULL) <
		    0);
	drydock_fs_free(fs);

	/* the number of kept files */
	fs = new_fs(1);
	{
		char name[32];
		int i, rc = 0;

		for (i = 0; i <= DRYDOCK_MAX_KEPT_FILES && rc == 0; i++) {
			snprintf(name, sizeof(name), "d/%d", i);
			rc = drydock_fs_put(fs, 0, name, DRYDOCK_FS_FILE, "", 0,
					    &err);
		}
		assert_int_equal(rc, DRYDOCK_ELIMIT);
		assert_int_equal(i, DRYDOCK_MAX_KEPT_FILES + 1);
		assert_non_null(strstr(err.msg, "DRYDOCK_MAX_KEPT_FILES"));
		assert_string_equal(content(fs, "d/17"), "");
	}
	drydock_fs_free(fs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fs__layers_override),
		cmocka_unit_test(test_fs__whiteout_lower_only),
		cmocka_unit_test(test_fs__whiteout_directory),
		cmocka_unit_test(test_fs__opaque),
		cmocka_unit_test(test_fs__opaque_keeps_dir_entry),
		cmocka_unit_test(test_fs__symlinks),
		cmocka_unit_test(test_fs__symlink_loops),
		cmocka_unit_test(test_fs__list),
		cmocka_unit_test(test_fs__normalize),
		cmocka_unit_test(test_fs__limits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
