#include "lib/util/setup.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "drydock/buf.h"
#include "drydock/digest.h"
#include "drydock/error.h"
#include "drydock/json.h"
#include "drydock/strnum.h"

static void test_util__buf_cap(void **state)
{
	struct drydock_buf b = DRYDOCK_BUF_INIT(8);

	(void)state;
	assert_int_equal(drydock_buf_puts(&b, "12345678"), 0);
	assert_int_equal(b.len, 8);
	assert_string_equal(b.ptr, "12345678");
	assert_int_equal(drydock_buf_putc(&b, 'x'), DRYDOCK_ELIMIT);
	assert_int_equal(b.len, 8);
	drydock_buf_release(&b);
	drydock_buf_release(&b);
}

static void test_util__buf_printf(void **state)
{
	struct drydock_buf b = DRYDOCK_BUF_INIT(1024);

	(void)state;
	assert_int_equal(drydock_buf_printf(&b, "%d-%s", 42, "x"), 0);
	assert_string_equal(b.ptr, "42-x");
	drydock_buf_release(&b);
}

static void test_util__sha256(void **state)
{
	char d[DRYDOCK_DIGEST_MAX];

	(void)state;
	drydock_digest_sha256("abc", 3, d);
	assert_string_equal(d, "sha256:ba7816bf8f01cfea414140de5dae2223b00361a3"
			       "96177a9cb410ff61f20015ad");
	assert_int_equal(drydock_digest_validate(d, NULL), 0);
	assert_int_equal(drydock_digest_validate("sha256:../../etc", NULL),
			 DRYDOCK_ECORRUPT);
	assert_int_equal(drydock_digest_validate("md5:00", NULL),
			 DRYDOCK_ECORRUPT);
}

static void test_util__strnum(void **state)
{
	uint64_t u;
	int64_t i;

	(void)state;
	assert_int_equal(drydock_strnum_u64("123", 3, 1000, &u), 0);
	assert_int_equal(u, 123);
	assert_int_equal(drydock_strnum_u64("123x", 4, 1000, &u), -1);
	assert_int_equal(drydock_strnum_u64("1001", 4, 1000, &u), -1);
	assert_int_equal(drydock_strnum_u64("", 0, 1000, &u), -1);
	assert_int_equal(
		drydock_strnum_u64("99999999999999999999", 20, UINT64_MAX, &u),
		-1);
	assert_int_equal(drydock_strnum_i64("-5", 2, -10, 10, &i), 0);
	assert_int_equal(i, -5);
}

static void test_util__json_depth(void **state)
{
	struct drydock_err err;
	char deep[200];
	json_t *j;

	(void)state;
	memset(deep, '[', sizeof(deep));
	j = drydock_json_load(deep, sizeof(deep), 1000, "deep.json", &err);
	assert_null(j);
	assert_int_equal(err.code, DRYDOCK_ELIMIT);
	assert_non_null(strstr(err.msg, "deep.json"));
	j = drydock_json_load("{\"a\":1", 6, 1000, "t.json", &err);
	assert_null(j);
	assert_int_equal(err.code, DRYDOCK_ECORRUPT);
	j = drydock_json_load("{\"a\":\"[[[\"}", 11, 1000, "t.json", &err);
	assert_non_null(j);
	assert_string_equal(drydock_json_str(j, "a"), "[[[");
	json_decref(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_util__buf_cap),
		cmocka_unit_test(test_util__buf_printf),
		cmocka_unit_test(test_util__sha256),
		cmocka_unit_test(test_util__strnum),
		cmocka_unit_test(test_util__json_depth),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
