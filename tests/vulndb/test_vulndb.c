#include "lib/util/setup.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <cmocka.h>
#include <unistd.h>

#include "drydock/error.h"
#include "drydock/feed.h"
#include "drydock/vulndb.h"

/*
 * The database API on real Alpine secdb files (tests/data/feeds). The
 * expected advisories are read off the upstream JSON (v3.20/main.json:
 * openssl "3.3.2-r0": ["CVE-2024-6119"], "3.3.2-r1": ["CVE-2024-9143"]).
 */

static char tmpdir[256];
static char dbpath[300];

static const char *data(const char *rel, char *out, size_t size)
{
	const char *d = getenv("DRYDOCK_TEST_DATA");

	assert_non_null(d);
	snprintf(out, size, "%s/feeds/%s", d, rel);
	return out;
}

static int setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "%s/drydock-vulndb-XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(tmpdir))
		return -1;
	snprintf(dbpath, sizeof(dbpath), "%s/sub/vuln.db", tmpdir);
	return 0;
}

static int teardown(void **state)
{
	char cmd[600];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static void import(const char *const *rels, const char *name)
{
	struct drydock_vulndb_build *b;
	struct drydock_import_stats st;
	struct drydock_err err;
	char p[512];
	size_t i;

	memset(&st, 0, sizeof(st));
	drydock_err_clear(&err);
	assert_int_equal(drydock_vulndb_build_begin(&b, dbpath, &err), 0);
	for (i = 0; rels[i]; i++)
		assert_int_equal(drydock_vulndb_import_path(
					 b, data(rels[i], p, sizeof(p)), NULL,
					 name, &st, &err),
				 0);
	assert_int_equal(drydock_vulndb_build_commit(b, &err), 0);
}

struct found {
	int n, n6119, n9143;
	char fixed6119[64];
};

static int on_adv(void *payload, const struct drydock_advisory *a)
{
	struct found *f = payload;

	f->n++;
	assert_string_equal(a->namespace_, "alpine:3.20");
	assert_string_equal(a->package, "openssl");
	assert_string_equal(a->version_type, "apk");
	assert_string_equal(a->data_source, "alpine-secdb");
	if (!strcmp(a->vuln_id, "CVE-2024-6119")) {
		f->n6119++;
		assert_string_equal(a->status, DRYDOCK_STATUS_FIXED);
		snprintf(f->fixed6119, sizeof(f->fixed6119), "%s",
			 a->fixed_version);
	}
	if (!strcmp(a->vuln_id, "CVE-2024-9143")) {
		f->n9143++;
		assert_string_equal(a->fixed_version, "3.3.2-r1");
	}
	return 0;
}

static void test_vulndb__alpine_lookup(void **state)
{
	static const char *const rels[] = {"alpine-secdb/v3.20/main.json",
					   NULL};
	struct drydock_vulndb *db;
	struct drydock_err err;
	struct found f;
	struct drydock_advisory_list l;
	const struct drydock_vulndb_source *s;

	(void)state;
	import(rels, NULL);
	assert_int_equal(drydock_vulndb_open(&db, dbpath, &err), 0);
	assert_int_equal(drydock_vulndb_schema_version(db),
			 DRYDOCK_VULNDB_SCHEMA);
	assert_non_null(drydock_vulndb_built_at(db));
	memset(&f, 0, sizeof(f));
	assert_int_equal(drydock_vulndb_lookup(db, "alpine:3.20", "openssl",
					       on_adv, &f, &err),
			 0);
	assert_true(f.n > 50);
	assert_int_equal(f.n6119, 1);
	assert_int_equal(f.n9143, 1);
	assert_string_equal(f.fixed6119, "3.3.2-r0");
	/* the same rows as an array */
	assert_int_equal(drydock_vulndb_lookup_list(db, "alpine:3.20",
						    "openssl", &l, &err),
			 0);
	assert_int_equal((int)l.n, f.n);
	drydock_advisory_list_release(&l);
	/* unknown package, other namespace: nothing */
	memset(&f, 0, sizeof(f));
	assert_int_equal(drydock_vulndb_lookup(db, "alpine:3.19", "openssl",
					       on_adv, &f, &err),
			 0);
	assert_int_equal(f.n, 0);
	assert_int_equal(drydock_vulndb_nsources(db), 1);
	s = drydock_vulndb_source(db, 0);
	assert_string_equal(s->name, "alpine-secdb");
	assert_string_equal(s->format, "alpine-secdb");
	assert_non_null(strstr(s->location, "v3.20/main.json"));
	assert_int_equal(s->advisories, drydock_vulndb_count_advisories(db));
	assert_null(drydock_vulndb_source(db, 1));
	drydock_vulndb_close(db);
}

/* "CVE-2018-15470 XSA-272" in v3.10/main.json (xen): one advisory under
 * the CVE, the XSA as its alias */
static void test_vulndb__alpine_alias(void **state)
{
	static const char *const rels[] = {"alpine-secdb/v3.10/main.json",
					   NULL};
	struct drydock_vulndb *db;
	struct drydock_err err;
	struct drydock_vuln *v;
	size_t i;
	int seen = 0;

	(void)state;
	import(rels, NULL);
	assert_int_equal(drydock_vulndb_open(&db, dbpath, &err), 0);
	assert_int_equal(drydock_vulndb_vuln(db, "CVE-2018-15470", &v, &err),
			 0);
	assert_string_equal(v->id, "CVE-2018-15470");
	for (i = 0; v->aliases && v->aliases[i]; i++)
		if (!strcmp(v->aliases[i], "XSA-272"))
			seen = 1;
	assert_true(seen);
	drydock_vulndb_vuln_free(v);
	assert_int_equal(drydock_vulndb_vuln(db, "CVE-0000-0000", &v, &err),
			 DRYDOCK_ENOTFOUND);
	drydock_vulndb_close(db);
}

/* Importing a source again replaces its rows; other sources stay. */
static void test_vulndb__replace_source(void **state)
{
	static const char *const a[] = {"alpine-secdb/v3.20/main.json", NULL};
	static const char *const b[] = {"alpine-secdb/v3.19/main.json", NULL};
	struct drydock_vulndb *db;
	struct drydock_err err;
	uint64_t n320, n319;

	(void)state;
	import(a, "a320");
	assert_int_equal(drydock_vulndb_open(&db, dbpath, &err), 0);
	n320 = drydock_vulndb_count_advisories(db);
	drydock_vulndb_close(db);
	import(b, "a319");
	assert_int_equal(drydock_vulndb_open(&db, dbpath, &err), 0);
	assert_int_equal(drydock_vulndb_nsources(db), 2);
	n319 = drydock_vulndb_source_find(db, "a319")->advisories;
	assert_int_equal(drydock_vulndb_source_find(db, "a320")->advisories,
			 n320);
	assert_int_equal(drydock_vulndb_count_advisories(db), n320 + n319);
	drydock_vulndb_close(db);
	/* a320 again, now from 3.19's file: replaced, not added */
	import(b, "a320");
	assert_int_equal(drydock_vulndb_open(&db, dbpath, &err), 0);
	assert_int_equal(drydock_vulndb_count_advisories(db), 2 * n319);
	drydock_vulndb_close(db);
}

static void test_vulndb__open_errors(void **state)
{
	struct drydock_vulndb *db;
	struct drydock_err err;
	char p[400];
	FILE *f;

	(void)state;
	snprintf(p, sizeof(p), "%s/none.db", tmpdir);
	assert_int_equal(drydock_vulndb_open(&db, p, &err), DRYDOCK_ENOTFOUND);
	assert_non_null(strstr(err.msg, "none.db"));
	snprintf(p, sizeof(p), "%s/junk.db", tmpdir);
	f = fopen(p, "w");
	assert_non_null(f);
	fputs("not a database\n", f);
	fclose(f);
	assert_int_equal(drydock_vulndb_open(&db, p, &err), DRYDOCK_ECORRUPT);
	assert_non_null(strstr(err.msg, "junk.db"));
}

/* An aborted build leaves no file behind and the old database as it was */
static void test_vulndb__abort(void **state)
{
	static const char *const a[] = {"alpine-secdb/v3.20/main.json", NULL};
	struct drydock_vulndb_build *b;
	struct drydock_vulndb *db;
	struct drydock_err err;
	struct drydock_import_stats st;
	char p[512];

	(void)state;
	import(a, NULL);
	memset(&st, 0, sizeof(st));
	assert_int_equal(drydock_vulndb_build_begin(&b, dbpath, &err), 0);
	assert_int_equal(
		drydock_vulndb_import_path(
			b, data("alpine-secdb/v3.19/main.json", p, sizeof(p)),
			NULL, NULL, &st, &err),
		0);
	drydock_vulndb_build_abort(b);
	assert_int_equal(drydock_vulndb_open(&db, dbpath, &err), 0);
	assert_non_null(strstr(drydock_vulndb_source(db, 0)->location,
			       "v3.20/main.json"));
	drydock_vulndb_close(db);
	snprintf(p, sizeof(p), "%s.tmp-%ld", dbpath, (long)getpid());
	assert_int_equal(access(p, F_OK), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_vulndb__alpine_lookup,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_vulndb__alpine_alias,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_vulndb__replace_source,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_vulndb__open_errors, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_vulndb__abort, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
