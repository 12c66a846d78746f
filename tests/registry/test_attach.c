#include "lib/util/setup.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <cmocka.h>
#include <jansson.h>

#include "drydock/buf.h"
#include "drydock/digest.h"
#include "drydock/error.h"
#include "drydock/limits.h"
#include "drydock/registry.h"

/*
 * The artifact manifest builder and its input checks (lib/registry/
 * attach.c). Expected shapes are those of the OCI image-spec v1.1
 * "Guidelines for Artifact Usage"; the empty descriptor's digest is
 * recomputed here from its two bytes.
 */

/* oci-tiny's "base" manifest (tests/data/registry/oci-tiny/index.json) */
#define BASE                                                                   \
	"sha256:"                                                              \
	"0516971f0f2574ea1ee87197061fb9c3fab13f6fb0a80906a7b26a8d36182ef1"
#define D1                                                                     \
	"sha256:"                                                              \
	"1111111111111111111111111111111111111111111111111111111111111111"
#define D2                                                                     \
	"sha256:"                                                              \
	"2222222222222222222222222222222222222222222222222222222222222222"

static const struct drydock_artifact_subject subject = {DRYDOCK_MT_OCI_MANIFEST,
							BASE, 501};

static json_t *build(const struct drydock_artifact *a,
		     const struct drydock_artifact_layer *l,
		     struct drydock_buf *b)
{
	struct drydock_err err = {0};
	json_t *doc;

	assert_int_equal(drydock_artifact_manifest(b, a, l, &subject, &err), 0);
	doc = json_loadb(b->ptr, b->len, 0, NULL);
	assert_non_null(doc);
	return doc;
}

static void check_desc(const json_t *d, const char *mt, const char *digest,
		       long long size)
{
	assert_string_equal(json_string_value(json_object_get(d, "mediaType")),
			    mt);
	assert_string_equal(json_string_value(json_object_get(d, "digest")),
			    digest);
	assert_int_equal(json_integer_value(json_object_get(d, "size")), size);
}

static void test_attach__empty_digest(void **state)
{
	char d[DRYDOCK_DIGEST_MAX];

	(void)state;
	drydock_digest_sha256("{}", 2, d);
	assert_string_equal(d, DRYDOCK_OCI_EMPTY_DIGEST);
}

static void test_attach__manifest(void **state)
{
	const char *files[] = {"dir/sbom.json", "../report.txt"};
	const char *ann[] = {"org.example.b=x=y", "org.example.a="};
	struct drydock_artifact_layer l[2] = {{files[0], D1, 10},
					      {files[1], D2, 0}};
	struct drydock_artifact a = {"application/vnd.example.sbom+json",
				     "application/json",
				     files,
				     2,
				     ann,
				     2};
	struct drydock_buf b = DRYDOCK_BUF_INIT(1 << 20);
	struct drydock_buf b2 = DRYDOCK_BUF_INIT(1 << 20);
	json_t *doc, *layers, *an;

	(void)state;
	doc = build(&a, l, &b);
	assert_int_equal(
		json_integer_value(json_object_get(doc, "schemaVersion")), 2);
	assert_string_equal(
		json_string_value(json_object_get(doc, "mediaType")),
		DRYDOCK_MT_OCI_MANIFEST);
	assert_string_equal(
		json_string_value(json_object_get(doc, "artifactType")),
		"application/vnd.example.sbom+json");
	check_desc(json_object_get(doc, "config"),
		   "application/vnd.oci.empty.v1+json",
		   DRYDOCK_OCI_EMPTY_DIGEST, 2);
	check_desc(json_object_get(doc, "subject"), DRYDOCK_MT_OCI_MANIFEST,
		   BASE, 501);
	layers = json_object_get(doc, "layers");
	assert_int_equal(json_array_size(layers), 2);
	check_desc(json_array_get(layers, 0), "application/json", D1, 10);
	check_desc(json_array_get(layers, 1), "application/json", D2, 0);
	assert_string_equal(json_string_value(json_object_get(
				    json_object_get(json_array_get(layers, 0),
						    "annotations"),
				    DRYDOCK_ANNOTATION_TITLE)),
			    "sbom.json");
	assert_string_equal(json_string_value(json_object_get(
				    json_object_get(json_array_get(layers, 1),
						    "annotations"),
				    DRYDOCK_ANNOTATION_TITLE)),
			    "report.txt");
	/* the value is everything after the first '='; no created time */
	an = json_object_get(doc, "annotations");
	assert_int_equal(json_object_size(an), 2);
	assert_string_equal(
		json_string_value(json_object_get(an, "org.example.b")), "x=y");
	assert_string_equal(
		json_string_value(json_object_get(an, "org.example.a")), "");
	/* exactly these members */
	assert_int_equal(json_object_size(doc), 7);
	/* compact, no final newline, and the same bytes every time */
	assert_null(memchr(b.ptr, '\n', b.len));
	assert_int_not_equal(b.ptr[b.len - 1], ' ');
	json_decref(build(&a, l, &b2));
	assert_int_equal(b.len, b2.len);
	assert_memory_equal(b.ptr, b2.ptr, b.len);
	json_decref(doc);
	drydock_buf_release(&b);
	drydock_buf_release(&b2);
}

static void test_attach__no_files(void **state)
{
	struct drydock_artifact a = {
		"application/vnd.example.signature", NULL, NULL, 0, NULL, 0};
	struct drydock_buf b = DRYDOCK_BUF_INIT(1 << 20);
	json_t *doc, *layers;

	(void)state;
	doc = build(&a, NULL, &b);
	layers = json_object_get(doc, "layers");
	assert_int_equal(json_array_size(layers), 1);
	check_desc(json_array_get(layers, 0),
		   "application/vnd.oci.empty.v1+json",
		   DRYDOCK_OCI_EMPTY_DIGEST, 2);
	assert_null(json_object_get(doc, "annotations"));
	json_decref(doc);
	drydock_buf_release(&b);
}

static void test_attach__default_media_type(void **state)
{
	const char *files[] = {"a"};
	struct drydock_artifact_layer l[1] = {{files[0], D1, 1}};
	struct drydock_artifact a = {
		"application/x.t", NULL, files, 1, NULL, 0};
	struct drydock_buf b = DRYDOCK_BUF_INIT(1 << 20);
	json_t *doc;

	(void)state;
	doc = build(&a, l, &b);
	check_desc(json_array_get(json_object_get(doc, "layers"), 0),
		   "application/octet-stream", D1, 1);
	json_decref(doc);
	drydock_buf_release(&b);
}

static void test_attach__media_type_valid(void **state)
{
	(void)state;
	assert_true(drydock_media_type_valid("text/plain"));
	assert_true(drydock_media_type_valid(DRYDOCK_MT_OCI_MANIFEST));
	assert_true(drydock_media_type_valid("application/vnd.in-toto+json"));
	assert_false(drydock_media_type_valid(NULL));
	assert_false(drydock_media_type_valid(""));
	assert_false(drydock_media_type_valid("text"));
	assert_false(drydock_media_type_valid("/plain"));
	assert_false(drydock_media_type_valid("text/"));
	assert_false(drydock_media_type_valid("text/plain/x"));
	assert_false(drydock_media_type_valid("text/pl ain"));
	assert_false(drydock_media_type_valid(".text/plain"));
	assert_false(drydock_media_type_valid("text/plain; charset=utf-8"));
}

static int fails(const struct drydock_artifact *a, int code, const char *needle)
{
	struct drydock_buf b = DRYDOCK_BUF_INIT(1 << 20);
	struct drydock_err err = {0};
	struct drydock_artifact_layer l[2] = {{"x", D1, 1}, {"y", D2, 1}};
	int rc = drydock_artifact_manifest(&b, a, l, &subject, &err);

	drydock_buf_release(&b);
	if (rc != code || !strstr(err.msg, needle)) {
		print_error("got %d '%s', wanted %d '%s'\n", rc, err.msg, code,
			    needle);
		return 0;
	}
	return 1;
}

static void test_attach__bad_input(void **state)
{
	const char *two[] = {"a/sbom.json", "b/sbom.json"};
	const char *dot[] = {".."};
	const char *noeq[] = {"novalue"};
	const char *nokey[] = {"=v"};
	const char *dup[] = {"k=1", "k=2"};
	static const char *many[DRYDOCK_MAX_ATTACH_FILES + 1];
	struct drydock_artifact a = {"application/x.t", NULL, NULL, 0, NULL, 0};
	size_t i;

	(void)state;
	a.artifact_type = NULL;
	assert_true(fails(&a, DRYDOCK_EUSAGE, "artifact type is required"));
	a.artifact_type = "sbom";
	assert_true(fails(&a, DRYDOCK_EUSAGE, "'sbom'"));
	a.artifact_type = "application/x.t";
	a.media_type = "json";
	assert_true(fails(&a, DRYDOCK_EUSAGE, "'json'"));
	a.media_type = NULL;
	a.files = two;
	a.nfiles = 2;
	assert_true(fails(&a, DRYDOCK_EUSAGE, "the same file name"));
	a.files = dot;
	a.nfiles = 1;
	assert_true(fails(&a, DRYDOCK_EUSAGE, "not a file name"));
	a.nfiles = 0;
	a.annotations = noeq;
	a.nannotations = 1;
	assert_true(fails(&a, DRYDOCK_EUSAGE, "'novalue'"));
	a.annotations = nokey;
	assert_true(fails(&a, DRYDOCK_EUSAGE, "'=v'"));
	a.annotations = dup;
	a.nannotations = 2;
	assert_true(fails(&a, DRYDOCK_EUSAGE, "'k' given twice"));
	a.nannotations = DRYDOCK_MAX_ATTACH_ANNOTATIONS + 1;
	assert_true(fails(&a, DRYDOCK_ELIMIT, "annotations"));
	a.nannotations = 0;
	for (i = 0; i < DRYDOCK_MAX_ATTACH_FILES + 1; i++)
		many[i] = "f";
	a.files = many;
	a.nfiles = DRYDOCK_MAX_ATTACH_FILES + 1;
	assert_true(fails(&a, DRYDOCK_ELIMIT, "files"));
}

static void test_attach__check_files(void **state)
{
	const char *data = getenv("DRYDOCK_TEST_DATA");
	char ok[4096], missing[4096], dir[4096];
	const char *files[1];
	struct drydock_artifact a = {
		"application/x.t", NULL, files, 1, NULL, 0};
	struct drydock_err err = {0};

	(void)state;
	assert_non_null(data);
	snprintf(ok, sizeof(ok), "%s/registry/oci-tiny/index.json", data);
	snprintf(missing, sizeof(missing), "%s/registry/nosuchfile", data);
	snprintf(dir, sizeof(dir), "%s/registry", data);
	files[0] = ok;
	assert_int_equal(drydock_artifact_check(&a, &err), 0);
	files[0] = missing;
	assert_int_equal(drydock_artifact_check(&a, &err), DRYDOCK_EIO);
	assert_non_null(strstr(err.msg, "nosuchfile"));
	files[0] = dir;
	assert_int_equal(drydock_artifact_check(&a, &err), DRYDOCK_EUSAGE);
	assert_non_null(strstr(err.msg, "not a regular file"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_attach__empty_digest),
		cmocka_unit_test(test_attach__manifest),
		cmocka_unit_test(test_attach__no_files),
		cmocka_unit_test(test_attach__default_media_type),
		cmocka_unit_test(test_attach__media_type_valid),
		cmocka_unit_test(test_attach__bad_input),
		cmocka_unit_test(test_attach__check_files),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
