#include "lib/util/setup.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <cmocka.h>

#include "drydock/buf.h"
#include "drydock/error.h"
#include "drydock/fs.h"
#include "drydock/inventory.h"
#include "drydock/limits.h"

/*
 * Unit tests of lib/inventory: os-release quoting (os-release(5)), Debian
 * testing/sid, the wants predicate, limits, all-or-nothing parses and
 * scan details (merged /usr, symlinked databases). The differential
 * tests on real data are the test-*.sh scripts.
 */

/* A one-layer fs with the given path/content pairs (NULL-terminated). */
static struct drydock_fs *fs_with(const char *const *kv)
{
	struct drydock_fs *fs;
	struct drydock_err err;
	int l;

	assert_int_equal(drydock_fs_new(&fs), 0);
	l = drydock_fs_add_layer(fs, "sha256:aa", &err);
	assert_true(l >= 0);
	for (; kv[0]; kv += 2)
		assert_int_equal(drydock_fs_put(fs, l, kv[0], DRYDOCK_FS_FILE,
						kv[1], strlen(kv[1]), &err),
				 0);
	return fs;
}

static void detect(const char *const *kv, struct drydock_os *os)
{
	struct drydock_fs *fs = fs_with(kv);
	struct drydock_err err;

	assert_int_equal(drydock_os_detect(os, fs, &err), 0);
	drydock_fs_free(fs);
}

static void test_inventory__osrelease_quoting(void **state)
{
	/* os-release(5): double quotes with \ escaping $ ` " \, single
	 * quotes verbatim, comments, the last assignment wins */
	const char *const kv[] = {
		"etc/os-release",
		"# comment ID=wrong\n"
		"ID=wrong\n"
		"ID='debian'\n"
		"PRETTY_NAME=\"A \\\"q\\\" \\$x \\\\ \\n end\"\n"
		"  VERSION_ID=12  \n"
		"VERSION_CODENAME=bookworm\r\n",
		NULL,
	};
	struct drydock_os os;

	(void)state;
	detect(kv, &os);
	assert_string_equal(os.family, "debian");
	assert_string_equal(os.pretty_name, "A \"q\" $x \\ \\n end");
	assert_string_equal(os.version, "12");
	assert_string_equal(os.codename, "bookworm");
	assert_string_equal(os.source, "etc/os-release");
}

static void test_inventory__osrelease_fallbacks(void **state)
{
	/* etc/os-release without ID: usr/lib/os-release decides; a value
	 * too long for its field is absent, not truncated */
	char longv[200];
	char buf[400];
	struct drydock_os os;

	(void)state;
	memset(longv, '9', sizeof(longv) - 1);
	longv[sizeof(longv) - 1] = '\0';
	snprintf(buf, sizeof(buf),
		 "ID=ubuntu\nVERSION_ID=%s\n"
		 "UBUNTU_CODENAME=jammy\n",
		 longv);
	{
		const char *const kv[] = {"etc/os-release", "NAME=x\n",
					  "usr/lib/os-release", buf, NULL};

		detect(kv, &os);
	}
	assert_string_equal(os.family, "ubuntu");
	assert_string_equal(os.version, "");
	assert_string_equal(os.codename, "jammy");
	assert_string_equal(os.source, "usr/lib/os-release");
}

static void test_inventory__debian_testing_sid(void **state)
{
	/* what Debian testing ships: no VERSION_ID */
	const char *const testing[] = {
		"etc/os-release",
		"PRETTY_NAME=\"Debian GNU/Linux trixie/sid\"\n"
		"NAME=\"Debian GNU/Linux\"\nVERSION_CODENAME=trixie\n"
		"ID=debian\n",
		"etc/debian_version",
		"trixie/sid\n",
		NULL,
	};
	const char *const sid[] = {
		"etc/os-release",
		"PRETTY_NAME=\"Debian GNU/Linux sid\"\nID=debian\n",
		"etc/debian_version",
		"sid\n",
		NULL,
	};
	const char *const stable_point[] = {
		"etc/debian_version",
		"11.9\n",
		NULL,
	};
	struct drydock_os os;

	(void)state;
	detect(testing, &os);
	assert_string_equal(os.family, "debian");
	assert_string_equal(os.version, "trixie");
	assert_string_equal(os.codename, "trixie");
	detect(sid, &os);
	assert_string_equal(os.version, "sid");
	assert_string_equal(os.codename, "sid");
	detect(stable_point, &os);
	assert_string_equal(os.family, "debian");
	assert_string_equal(os.version, "11");
}

static void test_inventory__wants(void **state)
{
	(void)state;
	assert_true(drydock_inventory_wants("etc/os-release", NULL));
	assert_true(drydock_inventory_wants("usr/lib/os-release", NULL));
	assert_true(drydock_inventory_wants("var/lib/dpkg/status", NULL));
	assert_true(
		drydock_inventory_wants("var/lib/dpkg/status.d/libc6", NULL));
	assert_true(drydock_inventory_wants(
		"var/lib/dpkg/status.d/libpython3.11-minimal", NULL));
	assert_false(drydock_inventory_wants(
		"var/lib/dpkg/status.d/libc6.md5sums", NULL));
	assert_false(
		drydock_inventory_wants("var/lib/dpkg/status.d/a/b", NULL));
	assert_true(drydock_inventory_wants("lib/apk/db/installed", NULL));
	assert_true(drydock_inventory_wants("usr/lib/apk/db/installed", NULL));
	assert_true(drydock_inventory_wants("usr/lib/sysimage/rpm/rpmdb.sqlite",
					    NULL));
	assert_true(drydock_inventory_wants("var/lib/rpm/Packages", NULL));
	assert_true(drydock_inventory_wants("usr/share/rpm/Packages.db", NULL));
	assert_true(drydock_inventory_wants("etc/apk/repositories", NULL));
	assert_false(drydock_inventory_wants("etc/passwd", NULL));
	assert_false(drydock_inventory_wants("var/lib/dpkg/status-old", NULL));
	assert_false(drydock_inventory_wants("var/lib/dpkg/available", NULL));
	assert_false(drydock_inventory_wants("", NULL));
}

static void test_inventory__limits(void **state)
{
	struct drydock_inventory inv;
	struct drydock_err err;
	size_t n = DRYDOCK_MAX_FIELD_BYTES + 100;
	char *big = malloc(n);

	(void)state;
	assert_non_null(big);
	memcpy(big, "Package: a\nDescription: ", 24);
	memset(big + 24, 'x', n - 24);
	drydock_inventory_init(&inv);
	assert_int_equal(drydock_dpkg_parse_status(&inv, big, n, "s", &err),
			 DRYDOCK_ELIMIT);
	assert_non_null(strstr(err.msg, "'s': line 2"));
	assert_null(strchr(err.msg, '\n'));
	memcpy(big, "T:", 2);
	memset(big + 2, 'x', n - 2);
	assert_int_equal(drydock_apk_parse_installed(&inv, big, n, "i", &err),
			 DRYDOCK_ELIMIT);
	assert_non_null(strstr(err.msg, "'i': line 1"));
	assert_int_equal(inv.npkgs, 0);
	free(big);
	drydock_inventory_free(&inv);
}

static void test_inventory__all_or_nothing(void **state)
{
	static const char good[] = "Package: a\nVersion: 1\n\n";
	static const char bad[] = "Package: b\nVersion: 1\n\nPackage: c\n"
				  "Version: 2\nno colon\n";
	struct drydock_inventory inv;
	struct drydock_err err;

	(void)state;
	drydock_inventory_init(&inv);
	assert_int_equal(drydock_dpkg_parse_status(&inv, good, sizeof(good) - 1,
						   "g", &err),
			 0);
	assert_int_equal(inv.npkgs, 1);
	assert_int_equal(drydock_dpkg_parse_status(&inv, bad, sizeof(bad) - 1,
						   "var/lib/dpkg/status", &err),
			 DRYDOCK_ECORRUPT);
	assert_string_equal(err.msg, "'var/lib/dpkg/status': line 6: neither "
				     "a field ('Name: value') nor a "
				     "continuation line");
	assert_int_equal(inv.npkgs, 1);
	assert_string_equal(inv.pkgs[0].name, "a");
	/* dpkg defaults */
	assert_string_equal(inv.pkgs[0].src_name, "a");
	assert_string_equal(inv.pkgs[0].src_version, "1");
	assert_null(inv.pkgs[0].arch);
	drydock_inventory_free(&inv);
}

/* The contents of a test data file. */
static char *slurp(const char *rel, size_t *len)
{
	struct drydock_buf b = DRYDOCK_BUF_INIT(16u << 20);
	struct drydock_err err;
	char path[4096];
	const char *d = getenv("DRYDOCK_TEST_DATA");

	assert_non_null(d);
	snprintf(path, sizeof(path), "%s/%s", d, rel);
	assert_int_equal(drydock_buf_read_file(&b, path, &err), 0);
	return drydock_buf_detach(&b, len);
}

static void test_inventory__merged_usr(void **state)
{
	/* lib -> usr/lib: lib/apk/db/installed and usr/lib/apk/db/installed
	 * are one file, read once */
	struct drydock_inventory inv, ref;
	struct drydock_fs *fs;
	struct drydock_err err;
	size_t len;
	char *db = slurp("pkgdb/apk/trivy-apk-installed", &len);
	int l0, l1;

	(void)state;
	assert_int_equal(drydock_fs_new(&fs), 0);
	l0 = drydock_fs_add_layer(fs, "sha256:l0", &err);
	assert_int_equal(drydock_fs_put(fs, l0, "lib", DRYDOCK_FS_SYMLINK,
					"usr/lib", 7, &err),
			 0);
	assert_int_equal(drydock_fs_put(fs, l0, "usr/lib/apk/db/installed",
					DRYDOCK_FS_FILE, db, len, &err),
			 0);
	assert_int_equal(drydock_fs_put(fs, l0, "etc/alpine-release",
					DRYDOCK_FS_FILE, "3.4.0\n", 6, &err),
			 0);
	l1 = drydock_fs_add_layer(fs, "sha256:l1", &err);
	assert_int_equal(l1, 1);
	drydock_inventory_init(&inv);
	drydock_inventory_init(&ref);
	assert_int_equal(drydock_apk_parse_installed(&ref, db, len, "x", &err),
			 0);
	assert_int_equal(drydock_inventory_scan(&inv, fs, &err), 0);
	assert_int_equal(inv.npkgs, ref.npkgs);
	assert_true(inv.npkgs > 10);
	assert_string_equal(inv.pkgs[0].db_path, "lib/apk/db/installed");
	assert_int_equal(inv.pkgs[0].layer, 0);
	assert_string_equal(inv.pkgs[0].layer_diff_id, "sha256:l0");
	assert_string_equal(inv.os.family, "alpine");
	assert_string_equal(inv.os.version, "3.4.0");
	assert_string_equal(inv.os.source, "etc/alpine-release");
	drydock_inventory_free(&inv);
	drydock_inventory_free(&ref);
	drydock_fs_free(fs);
	free(db);
}

static void test_inventory__symlink_retarget(void **state)
{
	/* the database path is a symlink; layer 2 points it at a copy made
	 * in layer 1 with identical content: the packages belong to layer 0
	 * (every view from 0 up holds identical entries) */
	struct drydock_inventory inv;
	struct drydock_fs *fs;
	struct drydock_err err;
	size_t len, i;
	char *db =
		slurp("pkgdb/dpkg/claircore-debian10-postgresql.status", &len);

	(void)state;
	assert_int_equal(drydock_fs_new(&fs), 0);
	assert_int_equal(drydock_fs_add_layer(fs, "sha256:0", &err), 0);
	assert_int_equal(
		drydock_fs_put(fs, 0, "srv/a", DRYDOCK_FS_FILE, db, len, &err),
		0);
	assert_int_equal(drydock_fs_put(fs, 0, "var/lib/dpkg/status",
					DRYDOCK_FS_SYMLINK, "/srv/a", 6, &err),
			 0);
	assert_int_equal(drydock_fs_add_layer(fs, "sha256:1", &err), 1);
	assert_int_equal(
		drydock_fs_put(fs, 1, "srv/b", DRYDOCK_FS_FILE, db, len, &err),
		0);
	assert_int_equal(drydock_fs_add_layer(fs, "sha256:2", &err), 2);
	assert_int_equal(drydock_fs_put(fs, 2, "var/lib/dpkg/status",
					DRYDOCK_FS_SYMLINK, "/srv/b", 6, &err),
			 0);
	drydock_inventory_init(&inv);
	assert_int_equal(drydock_inventory_scan(&inv, fs, &err), 0);
	assert_true(inv.npkgs >= 3);
	for (i = 0; i < inv.npkgs; i++) {
		assert_int_equal(inv.pkgs[i].layer, 0);
		assert_string_equal(inv.pkgs[i].layer_diff_id, "sha256:0");
	}
	drydock_inventory_free(&inv);
	drydock_fs_free(fs);
	free(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_inventory__osrelease_quoting),
		cmocka_unit_test(test_inventory__osrelease_fallbacks),
		cmocka_unit_test(test_inventory__debian_testing_sid),
		cmocka_unit_test(test_inventory__wants),
		cmocka_unit_test(test_inventory__limits),
		cmocka_unit_test(test_inventory__all_or_nothing),
		cmocka_unit_test(test_inventory__merged_usr),
		cmocka_unit_test(test_inventory__symlink_retarget),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
