#include "lib/util/setup.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <cmocka.h>

#include "drydock/buf.h"
#include "drydock/error.h"
#include "drydock/feed.h"
#include "drydock/json.h"
#include "drydock/limits.h"
#include "lib/vulndb/feed-common.h"

/*
 * Unit tests of the OSV / OVAL / CSAF importers' shared pieces, on real
 * data from tests/data/feeds; the importers themselves are tested end to
 * end by test-feeds-*.sh.
 */

static char *data_path(const char *rel)
{
	static char path[4096];
	const char *d = getenv("DRYDOCK_TEST_DATA");

	assert_non_null(d);
	snprintf(path, sizeof(path), "%s/%s", d, rel);
	return path;
}

static json_t *load(const char *rel)
{
	struct drydock_buf b = DRYDOCK_BUF_INIT(64u * 1024 * 1024);
	struct drydock_err err;
	json_t *doc;

	assert_int_equal(drydock_buf_read_file(&b, data_path(rel), &err), 0);
	doc = drydock_json_load(b.ptr, b.len, b.max, rel, &err);
	drydock_buf_release(&b);
	assert_non_null(doc);
	return doc;
}

/* Every CVSS 3.x vector NVD rated in an API 2.0 page scores what NVD
 * says it scores. */
static size_t check_page(const char *rel)
{
	static const char *const keys[] = {"cvssMetricV31", "cvssMetricV30"};
	json_t *doc = load(rel), *v, *m;
	size_t i, j, k, n = 0;

	json_array_foreach(json_object_get(doc, "vulnerabilities"), i, v)
	{
		json_t *metrics =
			json_object_get(json_object_get(v, "cve"), "metrics");

		for (k = 0; k < 2; k++)
			json_array_foreach(json_object_get(metrics, keys[k]), j,
					   m)
			{
				json_t *d = json_object_get(m, "cvssData");
				const char *vec =
					drydock_json_str(d, "vectorString");
				double want = json_number_value(
					json_object_get(d, "baseScore"));
				double got = drydock_cvss3_base_score(vec);

				if ((long)(got * 10 + 0.5) !=
				    (long)(want * 10 + 0.5))
					fail_msg("%s: %s scores %.1f, NVD says "
						 "%.1f",
						 rel, vec, got, want);
				assert_string_equal(
					drydock_cvss_rating(got),
					drydock_feed_severity(drydock_json_str(
						d, "baseSeverity")));
				n++;
			}
	}
	json_decref(doc);
	return n;
}

static void test_feeds__cvss3_nvd(void **state)
{
	size_t n;

	(void)state;
	n = check_page("feeds/nvd/vunnel-full-page.json");
	n += check_page("feeds/nvd/claircore-cvss-feed-2025-08-07.json");
	assert_true(n >= 48);
}

static void test_feeds__cvss3_invalid(void **state)
{
	(void)state;
	/* a metric missing, repeated, unknown; not 3.x */
	assert_true(drydock_cvss3_base_score(
			    "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H") < 0);
	assert_true(drydock_cvss3_base_score("CVSS:3.1/AV:N/AV:N/AC:L/PR:N/"
					     "UI:N/S:U/C:H/I:H/A:H") < 0);
	assert_true(drydock_cvss3_base_score("CVSS:3.1/AV:X/AC:L/PR:N/UI:N/"
					     "S:U/C:H/I:H/A:H") < 0);
	assert_true(drydock_cvss3_base_score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/"
					     "S:U/C:H/I:H/A:H/ZZ:1") < 0);
	assert_true(drydock_cvss3_base_score("AV:N/AC:L/Au:N/C:P/I:P/A:P") < 0);
	assert_true(drydock_cvss3_base_score("CVSS:3.1/") < 0);
	assert_true(drydock_cvss3_base_score(NULL) < 0);
	/* temporal metrics are accepted and do not change the base score */
	assert_true(drydock_cvss3_base_score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/"
					     "S:U/C:H/I:H/A:H/E:U/RL:O") ==
		    drydock_cvss3_base_score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/"
					     "S:U/C:H/I:H/A:H"));
	/* no impact scores 0 */
	assert_true(drydock_cvss3_base_score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/"
					     "S:C/C:N/I:N/A:N") == 0.0);
}

static void test_feeds__severity_words(void **state)
{
	(void)state;
	assert_string_equal(drydock_feed_severity("Important"), "high");
	assert_string_equal(drydock_feed_severity("MODERATE"), "medium");
	assert_string_equal(drydock_feed_severity("Negligible"), "negligible");
	assert_string_equal(drydock_feed_severity("Untriaged"), "unknown");
	assert_null(drydock_feed_severity(""));
	assert_null(drydock_feed_severity(NULL));
}

/* A sink that counts records. */
struct counts {
	size_t adv, vuln, times;
};

static int count_adv(void *p, const struct drydock_advisory *a)
{
	struct counts *c = p;

	assert_non_null(a->namespace_);
	assert_non_null(a->package);
	assert_non_null(a->vuln_id);
	assert_non_null(a->status);
	assert_non_null(a->version_type);
	c->adv++;
	return 0;
}

static int count_vuln(void *p, const struct drydock_vuln *v)
{
	struct counts *c = p;

	assert_non_null(v->id);
	c->vuln++;
	return 0;
}

static int count_time(void *p, const char *ts)
{
	struct counts *c = p;

	assert_non_null(ts);
	c->times++;
	return 0;
}

static int stop_adv(void *p, const struct drydock_advisory *a)
{
	(void)p;
	(void)a;
	return DRYDOCK_ELIMIT;
}

static int import_file(const char *format, const char *rel,
		       struct drydock_feed_sink *sink, struct drydock_err *err)
{
	const struct drydock_importer *imp = drydock_importer_find(format);
	struct drydock_buf b = DRYDOCK_BUF_INIT(64u * 1024 * 1024);
	int rc;

	assert_non_null(imp);
	if (imp->parse_file)
		return imp->parse_file(data_path(rel), rel, sink, err);
	assert_int_equal(drydock_buf_read_file(&b, data_path(rel), err), 0);
	rc = imp->parse(b.ptr, b.len, rel, sink, err);
	drydock_buf_release(&b);
	return rc;
}

/* The sink's code stops the import and comes back unchanged. */
static void test_feeds__sink_stops(void **state)
{
	struct counts c = {0};
	struct drydock_feed_sink sink = {stop_adv, count_vuln, count_time, &c};
	struct drydock_err err;

	(void)state;
	assert_int_equal(import_file("osv", "feeds/osv/go/GO-2023-1512.json",
				     &sink, &err),
			 DRYDOCK_ELIMIT);
	assert_int_equal(c.vuln, 1);
}

/* GO-2023-1512 has two affected packages (upstream file). */
static void test_feeds__osv_go_record(void **state)
{
	struct counts c = {0};
	struct drydock_feed_sink sink = {count_adv, count_vuln, count_time, &c};
	struct drydock_err err;

	(void)state;
	assert_int_equal(import_file("osv", "feeds/osv/go/GO-2023-1512.json",
				     &sink, &err),
			 0);
	assert_int_equal(c.adv, 2);
	assert_int_equal(c.vuln, 1);
}

/* Detection: each file of a format is recognised as that format. */
static void detect_all(const char *dir, const char *format)
{
	char cmd[4200];
	char line[4096];
	FILE *p;
	size_t n = 0;

	snprintf(cmd, sizeof(cmd), "find '%s' -type f ! -name NOTICE.md",
		 data_path(dir));
	p = popen(cmd, "r");
	assert_non_null(p);
	while (fgets(line, sizeof(line), p)) {
		struct drydock_buf b = DRYDOCK_BUF_INIT(64u * 1024 * 1024);
		const struct drydock_importer *imp;
		struct drydock_err err;
		size_t len = strcspn(line, "\n");

		line[len] = '\0';
		assert_int_equal(drydock_buf_read_file(&b, line, &err), 0);
		imp = drydock_importer_detect(
			b.ptr, b.len < 65536 ? b.len : 65536, line);
		if (!imp || strcmp(imp->name, format))
			fail_msg("'%s' detected as %s, not %s", line,
				 imp ? imp->name : "nothing", format);
		drydock_buf_release(&b);
		n++;
	}
	pclose(p);
	assert_true(n > 0);
}

static void test_feeds__detect(void **state)
{
	(void)state;
	detect_all("feeds/osv", "osv");
	detect_all("feeds/osv-yaml", "osv-yaml");
	detect_all("feeds/redhat-csaf", "redhat-csaf");
	detect_all("feeds/ubuntu-oval", "ubuntu-oval");
	detect_all("feeds/redhat-oval", "redhat-oval");
}

/* The OVAL engine gives the same records streaming from the file and
 * from memory (the fuzz harnesses use the latter). */
static void oval_same(const char *format, const char *rel,
		      int (*mem)(const char *, size_t, const char *,
				 const struct drydock_feed_sink *,
				 struct drydock_err *))
{
	struct counts a = {0}, b = {0};
	struct drydock_feed_sink sa = {count_adv, count_vuln, count_time, &a};
	struct drydock_feed_sink sb = {count_adv, count_vuln, count_time, &b};
	struct drydock_buf buf = DRYDOCK_BUF_INIT(64u * 1024 * 1024);
	struct drydock_err err;

	assert_int_equal(import_file(format, rel, &sa, &err), 0);
	assert_int_equal(drydock_buf_read_file(&buf, data_path(rel), &err), 0);
	assert_int_equal(mem(buf.ptr, buf.len, rel, &sb, &err), 0);
	drydock_buf_release(&buf);
	assert_true(a.adv > 0);
	assert_int_equal(a.adv, b.adv);
	assert_int_equal(a.vuln, b.vuln);
	assert_int_equal(a.times, 1);
	assert_int_equal(b.times, 1);
}

static void test_feeds__oval_file_and_memory(void **state)
{
	(void)state;
	oval_same("ubuntu-oval",
		  "feeds/ubuntu-oval/com.ubuntu.jammy.usn.oval-subset.xml",
		  drydock_oval_ubuntu_parse_memory);
	oval_same("redhat-oval", "feeds/redhat-oval/rhel-8.oval-v2-subset.xml",
		  drydock_oval_redhat_parse_memory);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_feeds__cvss3_nvd),
		cmocka_unit_test(test_feeds__cvss3_invalid),
		cmocka_unit_test(test_feeds__severity_words),
		cmocka_unit_test(test_feeds__sink_stops),
		cmocka_unit_test(test_feeds__osv_go_record),
		cmocka_unit_test(test_feeds__detect),
		cmocka_unit_test(test_feeds__oval_file_and_memory),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
