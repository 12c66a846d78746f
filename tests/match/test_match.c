/*
 * The matcher's rules, on a small database written by the test
 * (synthetic advisories, labelled so: each case is one rule of
 * docs/scan.md). Accuracy on real feeds and images is tested in
 * tests/match/test-accuracy.sh.
 */
#include "lib/util/setup.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <unistd.h>
#include <cmocka.h>

#include "drydock/buf.h"
#include "drydock/error.h"
#include "drydock/feed.h"
#include "drydock/inventory.h"
#include "drydock/match.h"
#include "drydock/scanreport.h"
#include "drydock/vulndb.h"

static char dbpath[256];

static void adv(struct drydock_feed_sink *s, const char *ns, const char *pkg,
		const char *id, const char *status, const char *vt,
		const char *fixed, const char *ranges, const char *sev)
{
	struct drydock_advisory a = {0};

	a.namespace_ = ns;
	a.package = pkg;
	a.vuln_id = id;
	a.status = status;
	a.version_type = vt;
	a.fixed_version = fixed;
	a.ranges = ranges;
	a.severity = sev;
	a.data_source = "synthetic";
	assert_int_equal(s->advisory(s->payload, &a), 0);
}

static int setup(void **state)
{
	struct drydock_vulndb_build *b;
	struct drydock_feed_sink s;
	struct drydock_err err;
	struct drydock_cvss cv = {
		"nvd", "3.1", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
		9.8, "critical"};
	struct drydock_vuln v = {0};

	(void)state;
	snprintf(dbpath, sizeof(dbpath), "/tmp/drydock-match-%d.db",
		 (int)getpid());
	unlink(dbpath);
	assert_int_equal(drydock_vulndb_build_begin(&b, dbpath, &err), 0);
	assert_int_equal(drydock_vulndb_build_source(
				 b, "synthetic", "synthetic", "test", &s, &err),
			 0);
	/* deb: by source name and source version */
	adv(&s, "debian:12", "openssl", "CVE-0001-0001", "fixed", "deb",
	    "3.0.13-1~deb12u1", NULL, "high");
	adv(&s, "debian:12", "openssl", "CVE-0001-0002", "fixed", "deb",
	    "3.0.11-1~deb12u1", NULL, "high");
	adv(&s, "debian:12", "openssl", "CVE-0001-0003", "affected", "deb",
	    NULL, NULL, "low");
	adv(&s, "debian:12", "openssl", "CVE-0001-0004", "not_affected", "deb",
	    NULL, NULL, NULL);
	adv(&s, "debian:12", "openssl", "CVE-0001-0005", "fixed", "deb", "0",
	    NULL, NULL);
	adv(&s, "debian:12", "openssl", "CVE-0001-0006", "will_not_fix", "deb",
	    NULL, NULL, NULL);
	/* binNMU: fixed in the source version the binary was built from */
	adv(&s, "debian:12", "zlib", "CVE-0002-0001", "fixed", "deb",
	    "1:1.2.13.dfsg-1", NULL, "medium");
	/* another release's data must not apply */
	adv(&s, "debian:11", "openssl", "CVE-0003-0001", "fixed", "deb",
	    "9.9.9-1", NULL, "critical");
	/* rpm: epochs */
	adv(&s, "rhel:8", "openssl", "CVE-0004-0001", "fixed", "rpm",
	    "1:1.1.1k-13.el8", NULL, "important");
	adv(&s, "rhel:8", "openssl", "CVE-0004-0002", "fixed", "rpm",
	    "1.1.1k-13.el8", NULL, "moderate");
	/* OSV ranges in an ecosystem namespace */
	adv(&s, "debian:12", "curl", "OSV-0005-0001", "fixed", "deb", NULL,
	    "{\"ranges\":[{\"type\":\"ECOSYSTEM\",\"events\":[{\"introduced\":"
	    "\"0\"},{\"fixed\":\"7.88.1-10+deb12u6\"}]}]}",
	    NULL);
	adv(&s, "debian:12", "curl", "OSV-0005-0002", "fixed", "deb", NULL,
	    "{\"ranges\":[{\"type\":\"ECOSYSTEM\",\"events\":[{\"introduced\":"
	    "\"7.88.1-10\"},{\"last_affected\":\"7.88.1-10+deb12u4\"}]}]}",
	    NULL);
	adv(&s, "debian:12", "curl", "OSV-0005-0003", "fixed", "deb", NULL,
	    "{\"ranges\":[{\"type\":\"ECOSYSTEM\",\"events\":[{\"introduced\":"
	    "\"7.88.1-10+deb12u6\"},{\"fixed\":\"7.88.1-10+deb12u9\"}]}]}",
	    NULL);
	adv(&s, "debian:12", "curl", "OSV-0005-0004", "fixed", "deb", NULL,
	    "{\"versions\":[\"7.88.1-10+deb12u5\"]}", NULL);
	/* apk: by origin on the branch */
	adv(&s, "alpine:3.20", "openssl", "CVE-0006-0001", "fixed", "apk",
	    "3.3.2-r1", NULL, NULL);
	adv(&s, "alpine:3.19", "openssl", "CVE-0006-0002", "fixed", "apk",
	    "3.9.9-r0", NULL, NULL);
	/* one vulnerability under several ids (Ubuntu's shapes): USN-7-1
	 * names UBUNTU-CVE-0007-0001, which names CVE-0007-0001; USN-7-2
	 * names a CVE no other finding goes by and stays */
	adv(&s, "ubuntu:22.04", "wayland", "UBUNTU-CVE-0007-0001", "affected",
	    "deb", NULL, NULL, "medium");
	adv(&s, "ubuntu:22.04", "wayland", "USN-7-1", "fixed", "deb",
	    "1.20.0-1ubuntu0.1", NULL, NULL);
	adv(&s, "ubuntu:22.04", "wayland", "USN-7-2", "fixed", "deb",
	    "1.20.0-1ubuntu0.2", NULL, NULL);
	{
		static const char *const a1[] = {"CVE-0007-0001", NULL};
		static const char *const a2[] = {"UBUNTU-CVE-0007-0001", NULL};
		static const char *const a3[] = {"CVE-0007-0009", NULL};
		struct drydock_vuln u = {0};

		u.data_source = "synthetic";
		u.id = "UBUNTU-CVE-0007-0001";
		u.aliases = a1;
		assert_int_equal(s.vuln(s.payload, &u), 0);
		u.id = "USN-7-1";
		u.aliases = a2;
		assert_int_equal(s.vuln(s.payload, &u), 0);
		u.id = "USN-7-2";
		u.aliases = a3;
		assert_int_equal(s.vuln(s.payload, &u), 0);
	}
	v.id = "CVE-0001-0005";
	v.data_source = "synthetic";
	v.cvss = &cv;
	v.ncvss = 1;
	assert_int_equal(s.vuln(s.payload, &v), 0);
	v.id = "CVE-0001-0006";
	v.title = "a title from NVD";
	assert_int_equal(s.vuln(s.payload, &v), 0);
	assert_int_equal(drydock_vulndb_build_commit(b, &err), 0);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unlink(dbpath);
	return 0;
}

static void pkg(struct drydock_inventory *inv, enum drydock_pkg_type t,
		const char *name, const char *version, const char *src,
		const char *srcver, long epoch)
{
	struct drydock_pkg *p = drydock_inventory_add(inv, NULL);

	assert_non_null(p);
	p->type = t;
	p->name = strdup(name);
	p->version = strdup(version);
	p->src_name = src ? strdup(src) : NULL;
	p->src_version = srcver ? strdup(srcver) : NULL;
	p->epoch = epoch;
	p->layer = 0;
}

/* The ids of the findings, space-separated, in order. */
static void ids(const struct drydock_match_result *r, char *out, size_t n)
{
	size_t i, used = 0;

	out[0] = '\0';
	for (i = 0; i < r->n; i++)
		used += (size_t)snprintf(out + used, n - used, "%s%s",
					 i ? " " : "", r->findings[i].id);
}

static void run(struct drydock_inventory *inv, const char *family,
		const char *version, struct drydock_match_result *r)
{
	struct drydock_vulndb *db;
	struct drydock_err err;

	snprintf(inv->os.family, sizeof(inv->os.family), "%s", family);
	snprintf(inv->os.version, sizeof(inv->os.version), "%s", version);
	drydock_inventory_sort(inv);
	assert_int_equal(drydock_vulndb_open(&db, dbpath, &err), 0);
	assert_int_equal(drydock_match_inventory(r, inv, db, NULL, &err), 0);
	drydock_vulndb_close(db);
}

static void test_match__deb_source_rules(void **state)
{
	struct drydock_inventory inv;
	struct drydock_match_result r;
	char got[512];

	(void)state;
	drydock_inventory_init(&inv);
	pkg(&inv, DRYDOCK_PKG_DEB, "libssl3", "3.0.11-1~deb12u2", "openssl",
	    "3.0.11-1~deb12u2", -1);
	run(&inv, "debian", "12.4", &r);
	assert_string_equal(r.namespace_, "debian:12");
	ids(&r, got, sizeof(got));
	/* sorted by severity, highest first: 0006 has no vendor severity,
	 * so NVD's CVSS (critical) decides; then 0001 high, 0003 low.
	 * 0002 is fixed below the installed version, 0004 not affected,
	 * 0005 fixed in "0" (never affected), CVE-0003-0001 another release */
	assert_string_equal(got, "CVE-0001-0006 CVE-0001-0001 CVE-0001-0003");
	assert_string_equal(r.findings[0].status, "will_not_fix");
	assert_null(r.findings[0].fixed_version);
	assert_string_equal(r.findings[0].severity, "critical");
	assert_string_equal(r.findings[0].severity_source, "nvd");
	assert_string_equal(r.findings[0].title, "a title from NVD");
	assert_string_equal(r.findings[1].fixed_version, "3.0.13-1~deb12u1");
	assert_string_equal(r.findings[1].status, "fixed");
	assert_string_equal(r.findings[1].severity, "high");
	assert_null(r.findings[2].fixed_version);
	assert_string_equal(r.findings[2].status, "affected");
	drydock_match_result_free(&r);
	drydock_inventory_free(&inv);
}

/* Binary packages of one source, at different versions: each is compared
 * with its own source version (the advisories and vulnerability records
 * are read from the database once per match and reused). */
static void test_match__shared_source(void **state)
{
	struct drydock_inventory inv;
	struct drydock_match_result r;
	char got[512];
	size_t i;

	(void)state;
	drydock_inventory_init(&inv);
	pkg(&inv, DRYDOCK_PKG_DEB, "openssl", "3.0.13-1~deb12u1", NULL, NULL,
	    -1);
	pkg(&inv, DRYDOCK_PKG_DEB, "libssl3", "3.0.11-1~deb12u2", "openssl",
	    "3.0.11-1~deb12u2", -1);
	pkg(&inv, DRYDOCK_PKG_DEB, "libssl-dev", "3.0.11-1~deb12u2+b1",
	    "openssl", "3.0.11-1~deb12u2", -1);
	run(&inv, "debian", "12", &r);
	ids(&r, got, sizeof(got));
	/* libssl-dev and libssl3 (sorted by name first) as in
	 * deb_source_rules; openssl is at CVE-0001-0001's fixed version */
	assert_string_equal(got, "CVE-0001-0006 CVE-0001-0001 CVE-0001-0003 "
				 "CVE-0001-0006 CVE-0001-0001 CVE-0001-0003 "
				 "CVE-0001-0006 CVE-0001-0003");
	for (i = 0; i < r.n; i++)
		assert_int_equal(r.findings[i].pkg, i < 3 ? 0 : i < 6 ? 1 : 2);
	assert_string_equal(inv.pkgs[2].name, "openssl");
	for (i = 0; i < r.n; i += 3) {
		assert_string_equal(r.findings[i].title, "a title from NVD");
		assert_string_equal(r.findings[i].severity, "critical");
		assert_string_equal(r.findings[i].severity_source, "nvd");
	}
	drydock_match_result_free(&r);
	drydock_inventory_free(&inv);
}

static void test_match__fold_aliases(void **state)
{
	struct drydock_inventory inv;
	struct drydock_match_result r;
	char got[512];

	(void)state;
	drydock_inventory_init(&inv);
	pkg(&inv, DRYDOCK_PKG_DEB, "libwayland-client0", "1.20.0-1", "wayland",
	    "1.20.0-1", -1);
	run(&inv, "ubuntu", "22.04", &r);
	ids(&r, got, sizeof(got));
	/* USN-7-1 folded into UBUNTU-CVE-0007-0001; USN-7-2 stays */
	assert_string_equal(got, "UBUNTU-CVE-0007-0001 USN-7-2");
	assert_string_equal(r.findings[0].aliases[0], "CVE-0007-0001");
	assert_string_equal(r.findings[0].aliases[1], "USN-7-1");
	assert_null(r.findings[0].aliases[2]);
	/* the USN's fix fills the gap of the open record */
	assert_string_equal(r.findings[0].fixed_version, "1.20.0-1ubuntu0.1");
	assert_string_equal(r.findings[0].status, "fixed");
	assert_string_equal(r.findings[0].severity, "medium");
	drydock_match_result_free(&r);
	drydock_inventory_free(&inv);
}

static void test_match__binnmu(void **state)
{
	struct drydock_inventory inv;
	struct drydock_match_result r;

	(void)state;
	drydock_inventory_init(&inv);
	/* binary version carries +b1; the source version is the fixed one */
	pkg(&inv, DRYDOCK_PKG_DEB, "zlib1g", "1:1.2.13.dfsg-1+b1", "zlib",
	    "1:1.2.13.dfsg-1", -1);
	run(&inv, "debian", "12", &r);
	assert_int_equal(r.n, 0);
	drydock_match_result_free(&r);
	/* one source version lower: vulnerable */
	free(inv.pkgs[0].src_version);
	inv.pkgs[0].src_version = strdup("1:1.2.12.dfsg-1");
	run(&inv, "debian", "12", &r);
	assert_int_equal(r.n, 1);
	assert_string_equal(r.findings[0].id, "CVE-0002-0001");
	drydock_match_result_free(&r);
	drydock_inventory_free(&inv);
}

static void test_match__rpm_epoch(void **state)
{
	struct drydock_inventory inv;
	struct drydock_match_result r;

	(void)state;
	drydock_inventory_init(&inv);
	pkg(&inv, DRYDOCK_PKG_RPM, "openssl-libs", "1.1.1k-12.el8", "openssl",
	    "1.1.1k-12.el8", 1);
	run(&inv, "rhel", "8.9", &r);
	/* epoch 1 installed: below 1:...-13 but above 0:...-13 */
	assert_int_equal(r.n, 1);
	assert_string_equal(r.findings[0].id, "CVE-0004-0001");
	assert_string_equal(r.findings[0].severity, "important");
	drydock_match_result_free(&r);
	/* the same package on Rocky is matched with RHEL data */
	run(&inv, "rocky", "8.9", &r);
	assert_int_equal(r.n, 1);
	drydock_match_result_free(&r);
	drydock_inventory_free(&inv);
}

/* The reports show the installed version the matcher compared: an rpm
 * epoch above 0 in front of version-release (the fixed version carries
 * its own), in JSON, the table and SARIF. */
static void test_match__rpm_epoch_in_reports(void **state)
{
	static const enum drydock_scan_format fmts[] = {
		DRYDOCK_SCAN_JSON, DRYDOCK_SCAN_TABLE, DRYDOCK_SCAN_SARIF};
	struct drydock_inventory inv;
	struct drydock_match_result r;
	struct drydock_scan_report rep = {0};
	struct drydock_err err;
	size_t i;

	(void)state;
	drydock_inventory_init(&inv);
	pkg(&inv, DRYDOCK_PKG_RPM, "openssl-libs", "1.1.1k-12.el8", "openssl",
	    "1.1.1k-12.el8", 1);
	run(&inv, "rhel", "8.9", &r);
	assert_int_equal(r.n, 1);
	rep.name = "dir:test";
	rep.digest = rep.config_digest = rep.platform = "";
	rep.inv = &inv;
	rep.res = &r;
	for (i = 0; i < sizeof(fmts) / sizeof(fmts[0]); i++) {
		struct drydock_buf out;

		drydock_buf_init(&out, 1 << 20);
		assert_int_equal(
			drydock_scan_report_write(&out, fmts[i], &rep, &err),
			0);
		/* the buffer keeps a terminating NUL */
		assert_non_null(strstr(
			out.ptr, fmts[i] == DRYDOCK_SCAN_JSON
					 ? "\"installed_version\": "
					   "\"1:1.1.1k-12.el8\""
					 : "openssl-libs 1:1.1.1k-12.el8"));
		drydock_buf_release(&out);
	}
	drydock_match_result_free(&r);
	drydock_inventory_free(&inv);
}

static void test_match__osv_ranges(void **state)
{
	struct drydock_inventory inv;
	struct drydock_match_result r;
	char got[512];

	(void)state;
	drydock_inventory_init(&inv);
	pkg(&inv, DRYDOCK_PKG_DEB, "libcurl4", "7.88.1-10+deb12u5", "curl",
	    "7.88.1-10+deb12u5", -1);
	run(&inv, "debian", "12", &r);
	ids(&r, got, sizeof(got));
	/* 0001: below fixed; 0002: above last_affected; 0003: below
	 * introduced; 0004: listed version */
	assert_string_equal(got, "OSV-0005-0001 OSV-0005-0004");
	assert_string_equal(r.findings[0].fixed_version, "7.88.1-10+deb12u6");
	drydock_match_result_free(&r);
	drydock_inventory_free(&inv);
}

static void test_match__apk_branch(void **state)
{
	struct drydock_inventory inv;
	struct drydock_match_result r;

	(void)state;
	drydock_inventory_init(&inv);
	pkg(&inv, DRYDOCK_PKG_APK, "libcrypto3", "3.3.2-r0", "openssl",
	    "3.3.2-r0", -1);
	/* alpine-release 3.20.3, repositories say v3.20 */
	snprintf(inv.os.apk_branch, sizeof(inv.os.apk_branch), "v3.20");
	run(&inv, "alpine", "3.20.3", &r);
	assert_string_equal(r.namespace_, "alpine:3.20");
	assert_int_equal(r.n, 1);
	assert_string_equal(r.findings[0].id, "CVE-0006-0001");
	drydock_match_result_free(&r);
	/* the repositories branch wins over alpine-release */
	snprintf(inv.os.apk_branch, sizeof(inv.os.apk_branch), "v3.19");
	run(&inv, "alpine", "3.20.3", &r);
	assert_string_equal(r.namespace_, "alpine:3.19");
	assert_int_equal(r.n, 1);
	assert_string_equal(r.findings[0].id, "CVE-0006-0002");
	drydock_match_result_free(&r);
	drydock_inventory_free(&inv);
}

static void test_match__suppress(void **state)
{
	struct drydock_inventory inv;
	struct drydock_match_result r;
	struct drydock_suppress *s;
	struct drydock_err err;
	const char *ign =
		"# comment\n"
		"CVE-0001-0001 openssl exp:2030-01-01 # vendor says no\n"
		"CVE-0001-0003 libssl3 exp:2020-01-01\n";
	const char *vex =
		"{\"@context\":\"https://openvex.dev/ns/v0.2.0\","
		"\"statements\":[{\"vulnerability\":{\"name\":\"CVE-0001-"
		"0006\"},"
		"\"products\":[{\"@id\":\"pkg:deb/debian/libssl3@3.0.11-1~"
		"deb12u2\"}],\"status\":\"not_affected\"}]}";

	(void)state;
	drydock_inventory_init(&inv);
	pkg(&inv, DRYDOCK_PKG_DEB, "libssl3", "3.0.11-1~deb12u2", "openssl",
	    "3.0.11-1~deb12u2", -1);
	run(&inv, "debian", "12", &r);
	assert_int_equal(r.n, 3);
	assert_int_equal(drydock_suppress_new(&s), 0);
	assert_int_equal(drydock_suppress_load_ignore(s, ign, strlen(ign),
						      ".drydockignore", &err),
			 0);
	assert_int_equal(drydock_suppress_load_openvex(s, vex, strlen(vex),
						       "vex.json", &err),
			 0);
	assert_int_equal(
		drydock_suppress_apply(s, &r, &inv, "2026-11-28", &err), 0);
	/* 0001 suppressed by source name until 2030; 0003's rule expired;
	 * 0006 suppressed by VEX */
	assert_non_null(r.findings[1].suppressed);
	assert_non_null(strstr(r.findings[1].suppressed, "vendor says no"));
	assert_null(r.findings[2].suppressed);
	assert_non_null(r.findings[0].suppressed);
	assert_string_equal(r.findings[0].suppressed, "vex: not_affected");
	drydock_suppress_free(s);
	drydock_match_result_free(&r);
	drydock_inventory_free(&inv);
}

static void test_match__bad_ignore_file(void **state)
{
	struct drydock_suppress *s;
	struct drydock_err err;
	const char *bad = "CVE-1 pkg exp:2020-13\n";

	(void)state;
	assert_int_equal(drydock_suppress_new(&s), 0);
	assert_int_equal(
		drydock_suppress_load_ignore(s, bad, strlen(bad), "ign", &err),
		DRYDOCK_ECORRUPT);
	assert_non_null(strstr(err.msg, "'ign': line 1"));
	assert_int_equal(
		drydock_suppress_load_openvex(s, "{}", 2, "v.json", &err),
		DRYDOCK_ECORRUPT);
	drydock_suppress_free(s);
}

static void test_match__namespaces(void **state)
{
	struct drydock_os os = {0};
	char ns[64];

	(void)state;
	snprintf(os.family, sizeof(os.family), "debian");
	assert_int_equal(drydock_match_namespace(&os, ns, sizeof(ns)), 0);
	assert_string_equal(ns, "debian:unstable");
	snprintf(os.family, sizeof(os.family), "ubuntu");
	snprintf(os.version, sizeof(os.version), "22.04");
	assert_int_equal(drydock_match_namespace(&os, ns, sizeof(ns)), 0);
	assert_string_equal(ns, "ubuntu:22.04");
	snprintf(os.family, sizeof(os.family), "alpine");
	snprintf(os.apk_branch, sizeof(os.apk_branch), "edge");
	assert_int_equal(drydock_match_namespace(&os, ns, sizeof(ns)), 0);
	assert_string_equal(ns, "alpine:edge");
	snprintf(os.family, sizeof(os.family), "plan9");
	assert_int_equal(drydock_match_namespace(&os, ns, sizeof(ns)),
			 DRYDOCK_ENOTFOUND);
	/* end of life: Debian 10 is past it */
	snprintf(os.family, sizeof(os.family), "debian");
	snprintf(os.version, sizeof(os.version), "10.13");
	assert_string_equal(drydock_os_eol(&os), "2024-06-30");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_match__deb_source_rules),
		cmocka_unit_test(test_match__binnmu),
		cmocka_unit_test(test_match__rpm_epoch),
		cmocka_unit_test(test_match__rpm_epoch_in_reports),
		cmocka_unit_test(test_match__osv_ranges),
		cmocka_unit_test(test_match__apk_branch),
		cmocka_unit_test(test_match__suppress),
		cmocka_unit_test(test_match__bad_ignore_file),
		cmocka_unit_test(test_match__namespaces),
		cmocka_unit_test(test_match__fold_aliases),
		cmocka_unit_test(test_match__shared_source),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
