#include "lib/util/setup.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <cmocka.h>

#include "drydock/buf.h"
#include "drydock/error.h"
#include "drydock/limits.h"
#include "drydock/version.h"

/*
 * The shared vectors (tests/data/vectors, see its NOTICE.md), every line
 * in both directions, and hand cases for what the vectors leave out.
 */

#define MAX_LINES 8192
#define MAX_FIELDS 3

struct tsv {
	struct drydock_buf buf;
	size_t n;
	char *f[MAX_LINES][MAX_FIELDS];
	int nf[MAX_LINES];
};

/* Load $DRYDOCK_TEST_DATA/vectors/NAME; fields point into t->buf. */
static void tsv_load(struct tsv *t, const char *name)
{
	const char *root = getenv("DRYDOCK_TEST_DATA");
	struct drydock_err err;
	char path[4096];
	char *p, *end;

	assert_non_null(root);
	snprintf(path, sizeof(path), "%s/vectors/%s", root, name);
	drydock_buf_init(&t->buf, 1u << 20);
	if (drydock_buf_read_file(&t->buf, path, &err))
		fail_msg("%s", err.msg);
	t->n = 0;
	p = t->buf.ptr;
	end = p + t->buf.len;
	while (p < end) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		int k = 0;

		if (!nl)
			nl = end;
		*nl = '\0';
		assert_true(t->n < MAX_LINES);
		t->f[t->n][k++] = p;
		for (char *q = p; *q; q++)
			if (*q == '\t') {
				*q = '\0';
				assert_true(k < MAX_FIELDS);
				t->f[t->n][k++] = q + 1;
			}
		t->nf[t->n++] = k;
		p = nl + 1;
	}
	assert_true(t->n > 0);
}

static int rel(const char *s)
{
	if (!strcmp(s, "<"))
		return -1;
	if (!strcmp(s, "="))
		return 0;
	if (!strcmp(s, ">"))
		return 1;
	fail_msg("bad relation '%s'", s);
	return 2;
}

static const char *sym(int r)
{
	return r < 0 ? "<" : r > 0 ? ">" : "=";
}

typedef int (*cmp_fn)(const char *a, const char *b, int *out,
		      struct drydock_err *err);

static int vercmp_wrap(const char *a, const char *b, int *out,
		       struct drydock_err *err)
{
	(void)err;
	*out = drydock_rpm_vercmp(a, b);
	return 0;
}

/* Every line a<TAB>b<TAB>rel, both ways; returns the lines checked. */
static size_t check_pairs(const char *file, cmp_fn cmp)
{
	static struct tsv t;
	struct drydock_err err;
	size_t i, bad = 0;

	tsv_load(&t, file);
	for (i = 0; i < t.n; i++) {
		int want, got, back;

		assert_int_equal(t.nf[i], 3);
		want = rel(t.f[i][2]);
		if (cmp(t.f[i][0], t.f[i][1], &got, &err) ||
		    cmp(t.f[i][1], t.f[i][0], &back, &err)) {
			fprintf(stderr, "%s:%zu: error: %s\n", file, i + 1,
				err.msg);
			bad++;
			continue;
		}
		if (got != want || back != -want) {
			fprintf(stderr,
				"%s:%zu: '%s' %s '%s', got %s (%s back)\n",
				file, i + 1, t.f[i][0], t.f[i][2], t.f[i][1],
				sym(got), sym(back));
			bad++;
		}
	}
	drydock_buf_release(&t.buf);
	assert_int_equal(bad, 0);
	return i;
}

static void test_version__deb_vectors(void **state)
{
	(void)state;
	assert_int_equal(check_pairs("deb.tsv", drydock_deb_compare), 157);
}

static void test_version__apk_vectors(void **state)
{
	(void)state;
	assert_int_equal(check_pairs("apk.tsv", drydock_apk_compare), 732);
}

static void test_version__rpm_vectors(void **state)
{
	(void)state;
	assert_int_equal(check_pairs("rpm.tsv", drydock_rpm_evr_compare), 133);
}

static void test_version__rpmvercmp_vectors(void **state)
{
	(void)state;
	assert_int_equal(check_pairs("rpmvercmp.tsv", vercmp_wrap), 4597);
}

static void test_version__deb_valid_vectors(void **state)
{
	static struct tsv t;
	struct drydock_err err;
	size_t i, bad = 0;

	(void)state;
	tsv_load(&t, "deb-valid.tsv");
	for (i = 0; i < t.n; i++) {
		const char *v = t.f[i][1];
		int r = drydock_deb_valid(t.f[i][0], &err);
		int ok = !strcmp(v, "valid")  ? r == DRYDOCK_VERSION_VALID
			 : !strcmp(v, "warn") ? r == DRYDOCK_VERSION_WARN
					      : r == DRYDOCK_ECORRUPT;

		if (!ok) {
			fprintf(stderr, "deb-valid.tsv:%zu: '%s' %s, got %d\n",
				i + 1, t.f[i][0], v, r);
			bad++;
		}
		if (r != DRYDOCK_VERSION_VALID && !strstr(err.msg, "'"))
			bad++;
	}
	assert_int_equal(i, 76);
	drydock_buf_release(&t.buf);
	assert_int_equal(bad, 0);
}

/*
 * apk-valid.tsv holds today's apk-tools verdicts. "invalid" there is
 * either invalid here or WARN, when apk-tools 2 accepted the version;
 * which of the two is pinned by test_version__apk_legacy below.
 */
static void test_version__apk_valid_vectors(void **state)
{
	static struct tsv t;
	struct drydock_err err;
	size_t i, bad = 0;

	(void)state;
	tsv_load(&t, "apk-valid.tsv");
	for (i = 0; i < t.n; i++) {
		int r = drydock_apk_valid(t.f[i][0], &err);
		int want_valid = !strcmp(t.f[i][1], "valid");

		if (want_valid != (r == DRYDOCK_VERSION_VALID)) {
			fprintf(stderr, "apk-valid.tsv:%zu: '%s' %s, got %d\n",
				i + 1, t.f[i][0], t.f[i][1], r);
			bad++;
		}
	}
	assert_int_equal(i, 38);
	drydock_buf_release(&t.buf);
	assert_int_equal(bad, 0);
}

/*
 * Versions today's apk-tools rejects. The WARN ones are those apk-tools
 * 2 (src/version.c of the 2.x branch: its next_token()/get_token() state
 * machine) accepts; the first group is from the apk-tools unit data
 * (apk-valid.tsv), the second from Alpine's secdb
 * (/work/shared/data/feeds/alpine-secdb, json-2024-12-31: every secfixes
 * version there that today's apk-tools rejects).
 */
static void test_version__apk_legacy(void **state)
{
	static const char *const warn[] = {
		/* apk-tools unit data */
		".1", "a", "_pre1", "-r1", "0.1_", "0.1-r", "0.1-r2-r3",
		"0.1a1",
		/* Alpine secdb */
		"0.12.5.-r0", "0.8.21.r2", "1.0.4.-r0", "1.18.-r2", "1.7.5.-r1",
		"1.9.5p2-r0", "10.2.22.r0", "10.2.24.r0", "2.15.r-r1",
		"3.3.3p1-r3", "4.8.0.-r1", "6.6.2p1-r0", "6.6.4p1-r1",
		"6.6.4p1-r2", "6.7.1p1-r1", "5.7.1p1-r0"};
	static const char *const bad[] = {
		/* apk-tools unit data */
		"", "0.1bc", "0.1bc1", "0.1a.1", "0.1_pre2~",
		"0.1_pre2~1234xbcd", "0.1_pre2~1234abcd_pre1",
		"0.1_pre2-r1~1234xbcd", "0.1_foobar", "0.1_foobar1",
		"0.1-pre1.1", "0.1-r2_pre1", "0.1-r2_p3_pre1", "0.1-r2.1",
		"0.1_-r0", "0.1__alpha", "0.1_1_alpha", "1.0bc", "1.0!",
		/* Alpine secdb */
		"1.11-20-r0", "10.0.11-0", "2021-03-27-r5", "4.10-1-r1",
		"57-1-r2"};
	struct drydock_err err;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(warn) / sizeof(warn[0]); i++) {
		drydock_err_clear(&err);
		if (drydock_apk_valid(warn[i], &err) != DRYDOCK_VERSION_WARN)
			fail_msg("'%s' should be accepted with a warning",
				 warn[i]);
		assert_non_null(strstr(err.msg, warn[i]));
		assert_int_equal(err.code, 0);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int out;

		if (drydock_apk_valid(bad[i], &err) != DRYDOCK_ECORRUPT)
			fail_msg("'%s' should be invalid", bad[i]);
		assert_int_equal(drydock_apk_compare("1.0", bad[i], &out, &err),
				 DRYDOCK_ECORRUPT);
		assert_non_null(strstr(err.msg, bad[i]));
	}
}

/*
 * How apk-tools 2 orders the legacy forms (its token compare: equal
 * tokens continue; a letter, digits or '.' group outranks -r and the end;
 * a '.' group read as 0 outranks leading-zero groups).
 */
static void test_version__apk_legacy_order(void **state)
{
	static const char *const cases[][3] = {
		{"5.7.1p1-r0", "5.7.1-r0", ">"},
		{"5.7.1p1-r0", "5.7.1_p1-r0", ">"},
		{"5.7.1p1-r0", "5.7.1p-r0", ">"},
		{"5.7.1p1-r0", "5.7.1p2-r0", "<"},
		{"5.7.1p1-r0", "5.7.1p1-r1", "<"},
		{"5.7.1p1-r0", "5.7.2-r0", "<"},
		{"5.7.1p1-r0", "5.7.1q-r0", "<"},
		{"6.6.4p1-r2", "6.6.4p1-r10", "<"},
		{"6.6.4p10-r0", "6.6.4p9-r0", ">"},
		{"0.12.5.-r0", "0.12.5-r0", ">"},
		{"0.12.5.-r0", "0.12.5.1-r0", "<"},
		{"0.12.5.-r0", "0.12.5.0-r0", ">"},
		{"0.8.21.r2", "0.8.21-r2", ">"},
		{"0.8.21.r2", "0.8.22", "<"},
		{"2.15.r-r1", "2.15.r-r0", ">"},
		{"0.1-r2-r3", "0.1-r2", ">"},
		{"0.1-r2-r3", "0.1-r3", "<"},
		{"0.1-r", "0.1-r0", "="},
		{"a", "0", ">"},
		{"1.0_", "1.0_cvs", "="},
		{"1.0_", "1.0", ">"},
	};
	struct drydock_err err;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int out, back;

		assert_int_equal(drydock_apk_compare(cases[i][0], cases[i][1],
						     &out, &err),
				 0);
		assert_int_equal(drydock_apk_compare(cases[i][1], cases[i][0],
						     &back, &err),
				 0);
		if (out != rel(cases[i][2]) || back != -out)
			fail_msg("'%s' %s '%s', got %s", cases[i][0],
				 cases[i][2], cases[i][1], sym(out));
	}
}

/*
 * rpm-nevra.tsv is claircore's order of whole NEVRA strings. Lines 1-3
 * have one name and arch on both sides: their EVRs must compare as rpm
 * compares them. The other lines order names and arches, which is not a
 * version order (docs/version.md).
 */
static void strip_nevra(const char *s, char *out, size_t cap)
{
	/* name-[e:]v-r.arch: drop ".arch", then the name up to the '-'
	 * before the second-to-last '-' */
	const char *dot = strrchr(s, '.');
	size_t n = dot ? (size_t)(dot - s) : strlen(s);
	size_t i, dashes = 0, start = 0;

	for (i = n; i > 0; i--)
		if (s[i - 1] == '-' && ++dashes == 2) {
			start = i;
			break;
		}
	assert_true(n - start < cap);
	memcpy(out, s + start, n - start);
	out[n - start] = '\0';
}

static void test_version__rpm_nevra_subset(void **state)
{
	static struct tsv t;
	struct drydock_err err;
	size_t i;

	(void)state;
	tsv_load(&t, "rpm-nevra.tsv");
	assert_int_equal(t.n, 9);
	for (i = 0; i < 3; i++) {
		char a[256], b[256];
		int out;

		strip_nevra(t.f[i][0], a, sizeof(a));
		strip_nevra(t.f[i][1], b, sizeof(b));
		assert_int_equal(drydock_rpm_evr_compare(a, b, &out, &err), 0);
		if (out != rel(t.f[i][2]))
			fail_msg("'%s' %s '%s', got %s", a, t.f[i][2], b,
				 sym(out));
	}
	drydock_buf_release(&t.buf);
}

/*
 * Sort every distinct version of a vector file with the comparator and
 * check that all pairs agree with the sorted order: a comparator that is
 * not a total preorder (a cycle, or cmp(a,b) != -cmp(b,a)) fails this.
 */
static const char *g_strs[16384];
static cmp_fn g_cmp;

static int qcmp(const void *x, const void *y)
{
	struct drydock_err err;
	int out = 0;

	g_cmp(*(const char *const *)x, *(const char *const *)y, &out, &err);
	return out;
}

static void check_total(const char *file, cmp_fn cmp)
{
	static struct tsv t;
	struct drydock_err err;
	size_t i, j, n = 0;

	tsv_load(&t, file);
	for (i = 0; i < t.n; i++)
		for (j = 0; j < 2; j++)
			g_strs[n++] = t.f[i][j];
	g_cmp = cmp;
	qsort(g_strs, n, sizeof(g_strs[0]), qcmp);
	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j += 1 + (n > 3000) * 3) {
			int out, back;

			assert_int_equal(cmp(g_strs[i], g_strs[j], &out, &err),
					 0);
			assert_int_equal(cmp(g_strs[j], g_strs[i], &back, &err),
					 0);
			if (out > 0 || back != -out)
				fail_msg("%s: '%s' vs '%s': %s / %s", file,
					 g_strs[i], g_strs[j], sym(out),
					 sym(back));
		}
	drydock_buf_release(&t.buf);
}

static void test_version__total_order(void **state)
{
	(void)state;
	check_total("deb.tsv", drydock_deb_compare);
	check_total("apk.tsv", drydock_apk_compare);
	check_total("rpm.tsv", drydock_rpm_evr_compare);
	check_total("rpmvercmp.tsv", vercmp_wrap);
}

static void test_version__limits(void **state)
{
	char big[DRYDOCK_MAX_VERSION_LEN + 2];
	struct drydock_err err;
	int out;

	(void)state;
	memset(big, '1', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(drydock_deb_compare(big, "1", &out, &err),
			 DRYDOCK_ELIMIT);
	assert_int_equal(drydock_apk_compare("1", big, &out, &err),
			 DRYDOCK_ELIMIT);
	assert_int_equal(drydock_rpm_evr_compare(big, big, &out, &err),
			 DRYDOCK_ELIMIT);
	assert_non_null(strstr(err.msg, "DRYDOCK_MAX_VERSION_LEN"));
	big[DRYDOCK_MAX_VERSION_LEN] = '\0';
	assert_int_equal(drydock_deb_compare(big, "1", &out, &err), 0);
	assert_int_equal(out, 1);
	assert_int_equal(drydock_apk_compare(big, big, &out, &err), 0);
	assert_int_equal(out, 0);
}

static void test_version__types(void **state)
{
	enum drydock_version_type t;
	struct drydock_err err;
	int out;

	(void)state;
	assert_int_equal(drydock_version_type_from_name("deb", &t, &err), 0);
	assert_int_equal(t, DRYDOCK_VERSION_DEB);
	assert_string_equal(drydock_version_type_name(t), "deb");
	assert_int_equal(drydock_version_type_from_name("apk", &t, &err), 0);
	assert_int_equal(
		drydock_version_compare(t, "1.0_rc1", "1.0", &out, &err), 0);
	assert_int_equal(out, -1);
	assert_int_equal(drydock_version_type_from_name("rpm", &t, &err), 0);
	assert_int_equal(drydock_version_compare(t, "1:1.0", "2.0", &out, &err),
			 0);
	assert_int_equal(out, 1);
	assert_int_equal(drydock_version_type_from_name("npm", &t, &err),
			 DRYDOCK_EUSAGE);
	assert_non_null(strstr(err.msg, "'npm'"));
	assert_int_equal(drydock_version_valid(DRYDOCK_VERSION_RPM, "", &err),
			 DRYDOCK_ECORRUPT);
	assert_int_equal(
		drydock_version_valid(DRYDOCK_VERSION_RPM, "1.0 1", &err),
		DRYDOCK_ECORRUPT);
}

/* dpkg behaviours the vectors do not pin (checked with dpkg 1.21.22). */
static void test_version__deb_edges(void **state)
{
	static const char *const cases[][3] = {
		{" 1.0\t", "1.0", "="},	     /* blanks around are ignored */
		{"+1:0", "1:0", "="},	     /* strtol() reads the epoch */
		{"1.0-1-1", "1.0-1-2", "<"}, /* revision after the LAST '-' */
		{"1.0~rc1", "1.0", "<"},
		{"1.0~~", "1.0~~a", "<"},
		{"1.0", "1.0+", "<"},
		{"1.0a", "1.0+", "<"}, /* letters before non-letters */
		{"1.0-0", "1.0", "="},
		{"0:1.0", "1.0", "="},
		{"1.01", "1.1", "="}, /* digits compare numerically */
	};
	struct drydock_err err;
	size_t i;
	int out;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(drydock_deb_compare(cases[i][0], cases[i][1],
						     &out, &err),
				 0);
		if (out != rel(cases[i][2]))
			fail_msg("'%s' %s '%s', got %s", cases[i][0],
				 cases[i][2], cases[i][1], sym(out));
	}
	assert_int_equal(drydock_deb_valid("1.0 1", &err), DRYDOCK_ECORRUPT);
	assert_non_null(strstr(err.msg, "embedded spaces"));
	assert_int_equal(drydock_deb_valid("2147483648:1", &err),
			 DRYDOCK_ECORRUPT);
	assert_int_equal(drydock_deb_valid("2147483647:1", &err), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_version__deb_vectors),
		cmocka_unit_test(test_version__apk_vectors),
		cmocka_unit_test(test_version__rpm_vectors),
		cmocka_unit_test(test_version__rpmvercmp_vectors),
		cmocka_unit_test(test_version__deb_valid_vectors),
		cmocka_unit_test(test_version__apk_valid_vectors),
		cmocka_unit_test(test_version__apk_legacy),
		cmocka_unit_test(test_version__apk_legacy_order),
		cmocka_unit_test(test_version__rpm_nevra_subset),
		cmocka_unit_test(test_version__total_order),
		cmocka_unit_test(test_version__limits),
		cmocka_unit_test(test_version__types),
		cmocka_unit_test(test_version__deb_edges),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
