#include "lib/util/setup.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <cmocka.h>

#include <jansson.h>

#include "drydock/buf.h"
#include "drydock/error.h"
#include "drydock/json.h"
#include "drydock/limits.h"
#include "drydock/report.h"
#include "fixture.h"
#include "lib/report/sbom_internal.h"

static char *purl_of(const struct drydock_pkg *p, const struct drydock_os *os)
{
	struct drydock_buf b = DRYDOCK_BUF_INIT(DRYDOCK_MAX_PURL_LEN);

	assert_int_equal(drydock_purl_for_pkg(&b, p, os), 0);
	return drydock_buf_detach(&b, NULL);
}

static const struct drydock_pkg *find_pkg(const struct drydock_inventory *inv,
					  const char *name)
{
	size_t i;

	for (i = 0; i < inv->npkgs; i++)
		if (!strcmp(inv->pkgs[i].name, name))
			return &inv->pkgs[i];
	return NULL;
}

/*
 * The purl specification's own test suite (package-url/purl-spec
 * tests/, copied in tests/data/report/purl): every "required" build,
 * parse and validate case of the deb, rpm and apk types and the core
 * specification tests.
 */
static void run_purl_file(const char *rel, int *ran)
{
	size_t len, i;
	char *data = fixture_read(rel, &len);
	json_t *doc, *tests, *t;

	assert_non_null(data);
	doc = drydock_json_load(data, len, len + 1, rel, NULL);
	assert_non_null(doc);
	tests = json_object_get(doc, "tests");
	json_array_foreach(tests, i, t)
	{
		const char *group = drydock_json_str(t, "test_group");
		const char *kind = drydock_json_str(t, "test_type");
		int fail = json_is_true(json_object_get(t, "expected_failure"));
		json_t *input = json_object_get(t, "input");
		json_t *want = json_object_get(t, "expected_output");
		struct drydock_buf b = DRYDOCK_BUF_INIT(DRYDOCK_MAX_PURL_LEN);
		struct drydock_purl pu;
		struct drydock_err err;
		int r;

		if (!group || strcmp(group, "required"))
			continue;
		if (!strcmp(kind, "build")) {
			const char *qv[2 * DRYDOCK_PURL_MAX_QUALIFIERS];
			json_t *qs = json_object_get(input, "qualifiers"), *v;
			const char *k;
			size_t nq = 0;

			json_object_foreach(qs, k, v)
			{
				qv[2 * nq] = k;
				qv[2 * nq + 1] = json_string_value(v);
				nq++;
			}
			r = drydock_purl_build(
				&b, drydock_json_str(input, "type"),
				drydock_json_str(input, "namespace"),
				drydock_json_str(input, "name"),
				drydock_json_str(input, "version"), qv, nq,
				drydock_json_str(input, "subpath"), &err);
			if (fail) {
				if (r == 0)
					fail_msg("%s: build should fail: %s",
						 rel, json_dumps(input, 0));
			} else {
				if (r)
					fail_msg("%s: build failed: %s", rel,
						 err.msg);
				assert_string_equal(b.ptr,
						    json_string_value(want));
			}
		} else if (!strcmp(kind, "parse")) {
			r = drydock_purl_parse(&pu, json_string_value(input),
					       &err);
			if (fail) {
				if (r == 0)
					fail_msg("%s: parse should fail: %s",
						 rel, json_string_value(input));
			} else {
				json_t *wq =
					json_object_get(want, "qualifiers");

				if (r)
					fail_msg("%s: parse failed: %s", rel,
						 err.msg);
				assert_string_equal(
					pu.type,
					drydock_json_str(want, "type"));
				if (drydock_json_str(want, "namespace"))
					assert_string_equal(
						pu.namespace,
						drydock_json_str(want,
								 "namespace"));
				else
					assert_null(pu.namespace);
				assert_string_equal(
					pu.name,
					drydock_json_str(want, "name"));
				if (drydock_json_str(want, "version"))
					assert_string_equal(
						pu.version,
						drydock_json_str(want,
								 "version"));
				else
					assert_null(pu.version);
				assert_int_equal(pu.nqual,
						 json_object_size(wq));
				for (size_t k = 0; k < pu.nqual; k++)
					assert_string_equal(
						pu.qval[k],
						drydock_json_str(wq,
								 pu.qkey[k]));
				drydock_purl_free(&pu);
			}
		} else if (!strcmp(kind, "validate")) {
			/* parse, then build: the canonical form */
			const char *qv[2 * DRYDOCK_PURL_MAX_QUALIFIERS];

			r = drydock_purl_parse(&pu, json_string_value(input),
					       &err);
			if (fail) {
				if (r == 0)
					drydock_purl_free(&pu);
				assert_int_not_equal(r, 0);
			} else {
				assert_int_equal(r, 0);
				for (size_t k = 0; k < pu.nqual; k++) {
					qv[2 * k] = pu.qkey[k];
					qv[2 * k + 1] = pu.qval[k];
				}
				assert_int_equal(
					drydock_purl_build(
						&b, pu.type, pu.namespace,
						pu.name, pu.version, qv,
						pu.nqual, pu.subpath, &err),
					0);
				assert_string_equal(b.ptr,
						    json_string_value(want));
				drydock_purl_free(&pu);
			}
		} else {
			continue;
		}
		drydock_buf_release(&b);
		(*ran)++;
	}
	json_decref(doc);
	free(data);
}

static void test_report__purl_spec_vectors(void **state)
{
	int ran = 0;

	(void)state;
	run_purl_file("report/purl/deb-test.json", &ran);
	run_purl_file("report/purl/rpm-test.json", &ran);
	run_purl_file("report/purl/apk-test.json", &ran);
	run_purl_file("report/purl/specification-test.json", &ran);
	/* 18 deb, 10 rpm, 12 apk and 20 core cases are "required" */
	assert_true(ran >= 50);
}

static void test_report__purl_for_pkg(void **state)
{
	struct drydock_inventory deb, apk, rh;
	struct drydock_os os;
	char *s;

	(void)state;
	assert_int_equal(fixture_minbase(&deb), 0);
	/* the example of the task and of docs/sbom.md */
	s = purl_of(find_pkg(&deb, "adduser"), &deb.os);
	assert_string_equal(s, "pkg:deb/debian/adduser@3.134?arch=all&"
			       "distro=debian-12");
	free(s);
	/* the dpkg epoch stays in the version, as the purl spec's
	 * "attr@1:2.4.47-2%2Bb1" example; '+' is encoded, ':' is not */
	s = purl_of(find_pkg(&deb, "bsdutils"), &deb.os);
	assert_string_equal(s, "pkg:deb/debian/bsdutils@1:2.38.1-5%2Bdeb12u3?"
			       "arch=amd64&distro=debian-12");
	free(s);
	/* Trivy writes the same name encoding: libstdc%2B%2B6 */
	s = purl_of(find_pkg(&deb, "libstdc++6"), &deb.os);
	assert_string_equal(s, "pkg:deb/debian/libstdc%2B%2B6@12.2.0-14%2B"
			       "deb12u1?arch=amd64&distro=debian-12");
	free(s);
	/* Ubuntu: the namespace follows the OS family */
	os = deb.os;
	snprintf(os.family, sizeof(os.family), "ubuntu");
	snprintf(os.version, sizeof(os.version), "22.04");
	s = purl_of(find_pkg(&deb, "dash"), &os);
	assert_string_equal(s, "pkg:deb/ubuntu/dash@0.5.12-2?arch=amd64&"
			       "distro=ubuntu-22.04");
	free(s);
	/* no OS known: deb's own vendor, no distro */
	s = purl_of(find_pkg(&deb, "dash"), NULL);
	assert_string_equal(s, "pkg:deb/debian/dash@0.5.12-2?arch=amd64");
	free(s);
	drydock_inventory_free(&deb);

	assert_int_equal(fixture_alpine(&apk), 0);
	s = purl_of(find_pkg(&apk, "busybox"), &apk.os);
	assert_string_equal(s, "pkg:apk/alpine/busybox@1.36.1-r29?arch=x86_64&"
			       "distro=alpine-3.20.3");
	free(s);
	drydock_inventory_free(&apk);

	assert_int_equal(fixture_rhel(&rh), 0);
	/* qualifiers sorted: arch, distro, epoch */
	s = purl_of(find_pkg(&rh, "openssl"), &rh.os);
	assert_string_equal(s, "pkg:rpm/redhat/openssl@1.1.1k-12.el8?"
			       "arch=x86_64&distro=rhel-8.9&epoch=1");
	free(s);
	/* epoch 0 and no epoch both leave the qualifier out */
	s = purl_of(find_pkg(&rh, "tzdata"), &rh.os);
	assert_string_equal(s, "pkg:rpm/redhat/tzdata@2024a-1.el8?arch=noarch&"
			       "distro=rhel-8.9");
	free(s);
	/* rpm names are case-sensitive and keep their '+' encoded */
	s = purl_of(find_pkg(&rh, "libstdc++"), &rh.os);
	assert_string_equal(s, "pkg:rpm/redhat/libstdc%2B%2B@8.5.0-20.el8?"
			       "arch=x86_64&distro=rhel-8.9");
	free(s);
	os = rh.os;
	snprintf(os.family, sizeof(os.family), "amzn");
	snprintf(os.version, sizeof(os.version), "2023");
	s = purl_of(find_pkg(&rh, "bash"), &os);
	assert_string_equal(s, "pkg:rpm/amazon/bash@4.4.20-4.el8_6?"
			       "arch=x86_64&distro=amzn-2023");
	free(s);
	drydock_inventory_free(&rh);

	assert_string_equal(drydock_purl_namespace(DRYDOCK_PKG_RPM, "rocky"),
			    "rocky");
	assert_string_equal(drydock_purl_namespace(DRYDOCK_PKG_RPM, "sles"),
			    "suse");
	assert_string_equal(
		drydock_purl_namespace(DRYDOCK_PKG_RPM, "opensuse-leap"),
		"opensuse");
	assert_string_equal(drydock_purl_namespace(DRYDOCK_PKG_RPM, "ol"),
			    "oracle");
}

static void test_report__uuid_and_time(void **state)
{
	char u[37], t[SBOM_TIME_MAX];
	const char *name = "urn:drydock:sbom";
	/* uuid.NAMESPACE_URL */
	static const unsigned char url_ns[16] = {
		0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1,
		0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8};

	(void)state;
	/* python3 -c "import uuid; print(uuid.uuid5(uuid.NAMESPACE_URL,
	 * 'urn:drydock:sbom'))" */
	assert_int_equal(sbom_uuid5(url_ns, name, strlen(name), u), 0);
	assert_string_equal(u, "f2a6af05-7e20-5e73-ba9b-298b6f722b42");
	assert_memory_equal(sbom_uuid_ns,
			    "\xf2\xa6\xaf\x05\x7e\x20\x5e\x73\xba\x9b\x29\x8b"
			    "\x6f\x72\x2b\x42",
			    16);
	/* date -u -d @1725661207 +%FT%TZ -> 2024-09-06T22:20:07Z */
	assert_int_equal(sbom_parse_rfc3339("2024-09-06T22:20:07.972381807Z"),
			 1725661207LL);
	assert_int_equal(sbom_parse_rfc3339("2024-09-07T00:20:07+02:00"),
			 1725661207LL);
	assert_int_equal(sbom_parse_rfc3339("2024-09-06 22:20:07Z"), -1);
	assert_int_equal(sbom_parse_rfc3339("2024-09-06T22:20:07"), -1);
	assert_int_equal(sbom_parse_rfc3339(NULL), -1);
	sbom_format_time(1725661207LL, t);
	assert_string_equal(t, "2024-09-06T22:20:07Z");
	sbom_format_time(-1, t);
	assert_string_equal(t, "1970-01-01T00:00:00Z");
}

static json_t *write_doc(enum drydock_sbom_format f,
			 const struct drydock_sbom_input *in)
{
	struct drydock_buf b = DRYDOCK_BUF_INIT(DRYDOCK_MAX_SBOM_OUTPUT_BYTES);
	struct drydock_err err;
	json_t *doc;

	assert_int_equal(drydock_sbom_write(&b, f, in, &err), 0);
	doc = drydock_json_load(b.ptr, b.len, b.len + 1, "out", &err);
	assert_non_null(doc);
	drydock_buf_release(&b);
	return doc;
}

static const char *cdx_prop(const json_t *comp, const char *name)
{
	json_t *it;
	size_t i;

	json_array_foreach(
		json_object_get(comp, "properties"), i,
		it) if (!strcmp(drydock_json_str(it, "name"),
				name)) return drydock_json_str(it, "value");
	return NULL;
}

static void test_report__cyclonedx(void **state)
{
	struct drydock_inventory inv;
	struct drydock_sbom_input in;
	json_t *doc, *comps, *c, *meta;
	const char *serial;
	size_t i, found = 0;

	(void)state;
	assert_int_equal(fixture_minbase(&inv), 0);
	fixture_input(&in, &inv);
	doc = write_doc(DRYDOCK_SBOM_CYCLONEDX, &in);
	assert_string_equal(drydock_json_str(doc, "bomFormat"), "CycloneDX");
	assert_string_equal(drydock_json_str(doc, "specVersion"), "1.5");
	serial = drydock_json_str(doc, "serialNumber");
	assert_non_null(serial);
	assert_int_equal(strlen(serial), 45);
	assert_int_equal(serial[23], '5'); /* a version 5 UUID */
	meta = json_object_get(doc, "metadata");
	assert_null(json_object_get(meta, "timestamp"));
	c = json_object_get(meta, "component");
	assert_string_equal(drydock_json_str(c, "type"), "container");
	assert_string_equal(drydock_json_str(c, "name"), "oci:fixture:latest");
	assert_string_equal(cdx_prop(c, "drydock:image:layer_diff_id"),
			    FIXTURE_DIFF_ID);
	comps = json_object_get(doc, "components");
	/* 88 packages (dpkg-query's count) and the OS */
	assert_int_equal(json_array_size(comps), 89);
	c = json_array_get(comps, 0);
	assert_string_equal(drydock_json_str(c, "type"), "operating-system");
	assert_string_equal(drydock_json_str(c, "name"), "debian");
	assert_string_equal(drydock_json_str(c, "version"), "12");
	json_array_foreach(comps, i, c)
	{
		const char *n = drydock_json_str(c, "name");

		if (!strcmp(n, "bsdutils")) {
			found++;
			assert_string_equal(drydock_json_str(c, "type"),
					    "library");
			assert_string_equal(drydock_json_str(c, "version"),
					    "1:2.38.1-5+deb12u3");
			assert_string_equal(drydock_json_str(c, "purl"),
					    "pkg:deb/debian/bsdutils@1:2.38.1-"
					    "5%2Bdeb12u3?arch=amd64&distro="
					    "debian-12");
			assert_string_equal(cdx_prop(c, "drydock:src_name"),
					    "util-linux");
			assert_string_equal(cdx_prop(c, "drydock:src_version"),
					    "2.38.1-5+deb12u3");
			assert_string_equal(
				cdx_prop(c, "drydock:layer_diff_id"),
				FIXTURE_DIFF_ID);
			assert_string_equal(cdx_prop(c, "drydock:pkg_type"),
					    "deb");
		}
	}
	assert_int_equal(found, 1);
	json_decref(doc);

	/* --timestamp */
	in.timestamp = 1725661207LL;
	doc = write_doc(DRYDOCK_SBOM_CYCLONEDX, &in);
	assert_string_equal(
		drydock_json_str(json_object_get(doc, "metadata"), "timestamp"),
		"2024-09-06T22:20:07Z");
	json_decref(doc);
	drydock_inventory_free(&inv);
}

static void test_report__spdx(void **state)
{
	struct drydock_inventory inv;
	struct drydock_sbom_input in;
	json_t *doc, *pkgs, *p, *ci, *rels;
	size_t i, found = 0;

	(void)state;
	assert_int_equal(fixture_alpine(&inv), 0);
	fixture_input(&in, &inv);
	doc = write_doc(DRYDOCK_SBOM_SPDX_JSON, &in);
	assert_string_equal(drydock_json_str(doc, "spdxVersion"), "SPDX-2.3");
	assert_string_equal(drydock_json_str(doc, "dataLicense"), "CC0-1.0");
	assert_true(!strncmp(drydock_json_str(doc, "documentNamespace"),
			     "urn:uuid:", 9));
	ci = json_object_get(doc, "creationInfo");
	/* no timestamp, no config time: the documented fixed value */
	assert_string_equal(drydock_json_str(ci, "created"),
			    "1970-01-01T00:00:00Z");
	pkgs = json_object_get(doc, "packages");
	assert_int_equal(json_array_size(pkgs), 2 + 4);
	p = json_array_get(pkgs, 0);
	assert_string_equal(drydock_json_str(p, "primaryPackagePurpose"),
			    "CONTAINER");
	p = json_array_get(pkgs, 1);
	assert_string_equal(drydock_json_str(p, "primaryPackagePurpose"),
			    "OPERATING_SYSTEM");
	assert_string_equal(drydock_json_str(p, "name"), "alpine");
	assert_string_equal(drydock_json_str(p, "versionInfo"), "3.20.3");
	json_array_foreach(pkgs, i, p)
	{
		const char *n = drydock_json_str(p, "name");
		json_t *ref =
			json_array_get(json_object_get(p, "externalRefs"), 0);

		if (!strcmp(n, "busybox")) {
			found++;
			assert_string_equal(
				drydock_json_str(ref, "referenceLocator"),
				"pkg:apk/alpine/busybox@1.36.1-r29?arch=x86_64&"
				"distro=alpine-3.20.3");
			assert_string_equal(
				drydock_json_str(p, "licenseDeclared"),
				"GPL-2.0-only");
			assert_string_equal(drydock_json_str(p, "sourceInfo"),
					    "built package from: busybox");
		}
		if (!strcmp(n, "libcrypto3")) {
			found++;
			assert_string_equal(
				drydock_json_str(p, "licenseDeclared"),
				"NOASSERTION");
		}
	}
	assert_int_equal(found, 2);
	rels = json_object_get(doc, "relationships");
	assert_int_equal(json_array_size(rels), 2 + 4);
	assert_string_equal(
		drydock_json_str(json_array_get(rels, 0), "relationshipType"),
		"DESCRIBES");
	json_decref(doc);

	/* the image config's created time, normalised to UTC */
	in.created = "2024-09-07T00:20:07.5+02:00";
	doc = write_doc(DRYDOCK_SBOM_SPDX_JSON, &in);
	assert_string_equal(
		drydock_json_str(json_object_get(doc, "creationInfo"),
				 "created"),
		"2024-09-06T22:20:07Z");
	json_decref(doc);
	drydock_inventory_free(&inv);
}

static void test_report__native_json_and_table(void **state)
{
	struct drydock_inventory inv;
	struct drydock_sbom_input in;
	struct drydock_buf b = DRYDOCK_BUF_INIT(1u << 24);
	json_t *doc, *p;
	size_t i;

	(void)state;
	assert_int_equal(fixture_rhel(&inv), 0);
	fixture_input(&in, &inv);
	doc = write_doc(DRYDOCK_SBOM_JSON, &in);
	assert_string_equal(drydock_json_str(doc, "schema"), "drydock.sbom/v1");
	assert_string_equal(
		drydock_json_str(json_object_get(doc, "os"), "family"), "rhel");
	assert_int_equal(json_array_size(json_object_get(
				 json_object_get(doc, "artifact"), "layers")),
			 1);
	json_array_foreach(json_object_get(doc, "packages"), i, p)
	{
		const char *n = drydock_json_str(p, "name");
		long long e = -2;

		if (!strcmp(n, "openssl")) {
			assert_int_equal(drydock_json_int(p, "epoch", &e), 0);
			assert_int_equal(e, 1);
			assert_string_equal(drydock_json_str(p, "version"),
					    "1.1.1k-12.el8");
			assert_string_equal(drydock_json_str(p, "source_rpm"),
					    "openssl-1.1.1k-12.el8.src.rpm");
		}
		if (!strcmp(n, "bash"))
			assert_true(json_is_null(json_object_get(p, "epoch")));
	}
	json_decref(doc);

	assert_int_equal(drydock_sbom_write(&b, DRYDOCK_SBOM_TABLE, &in, NULL),
			 0);
	assert_non_null(strstr(b.ptr, "NAME"));
	assert_non_null(strstr(b.ptr, "1:1.1.1k-12.el8"));
	assert_non_null(strstr(b.ptr, "packages: 4\n"));
	assert_non_null(strstr(b.ptr, " 111111111111\n"));
	drydock_buf_release(&b);
	drydock_inventory_free(&inv);
}

/* Equal inventories in another order give the same bytes. */
static void test_report__deterministic(void **state)
{
	struct drydock_inventory inv;
	struct drydock_sbom_input in;
	enum drydock_sbom_format f;
	struct drydock_buf a = DRYDOCK_BUF_INIT(DRYDOCK_MAX_SBOM_OUTPUT_BYTES);
	struct drydock_buf b = DRYDOCK_BUF_INIT(DRYDOCK_MAX_SBOM_OUTPUT_BYTES);
	size_t i;

	(void)state;
	assert_int_equal(fixture_minbase(&inv), 0);
	fixture_input(&in, &inv);
	for (f = DRYDOCK_SBOM_CYCLONEDX; f <= DRYDOCK_SBOM_TABLE; f++) {
		drydock_buf_reset(&a);
		drydock_buf_reset(&b);
		assert_int_equal(drydock_sbom_write(&a, f, &in, NULL), 0);
		/* reverse the package order */
		for (i = 0; i < inv.npkgs / 2; i++) {
			struct drydock_pkg t = inv.pkgs[i];

			inv.pkgs[i] = inv.pkgs[inv.npkgs - 1 - i];
			inv.pkgs[inv.npkgs - 1 - i] = t;
		}
		assert_int_equal(drydock_sbom_write(&b, f, &in, NULL), 0);
		assert_int_equal(a.len, b.len);
		assert_memory_equal(a.ptr, b.ptr, a.len);
	}
	/* a different image digest changes the serial number */
	drydock_buf_reset(&b);
	in.digest = "sha256:5555555555555555555555555555555555555555555555555"
		    "55555555555555555";
	assert_int_equal(
		drydock_sbom_write(&b, DRYDOCK_SBOM_CYCLONEDX, &in, NULL), 0);
	drydock_buf_reset(&a);
	in.digest = "sha256:3333333333333333333333333333333333333333333333333"
		    "33333333333333333";
	assert_int_equal(
		drydock_sbom_write(&a, DRYDOCK_SBOM_CYCLONEDX, &in, NULL), 0);
	assert_true(strcmp(strstr(a.ptr, "urn:uuid:"),
			   strstr(b.ptr, "urn:uuid:")) != 0);
	drydock_buf_release(&a);
	drydock_buf_release(&b);
	drydock_inventory_free(&inv);
}

static void same_str(const char *a, const char *b, const char *what,
		     const char *name)
{
	if (!a || !b) {
		if (a != b && !(a && !*a) && !(b && !*b))
			fail_msg("%s of '%s': '%s' != '%s'", what, name,
				 a ? a : "(null)", b ? b : "(null)");
		return;
	}
	if (strcmp(a, b))
		fail_msg("%s of '%s': '%s' != '%s'", what, name, a, b);
}

static void roundtrip(int (*make)(struct drydock_inventory *),
		      enum drydock_sbom_format f, const char *fmtname)
{
	struct drydock_inventory inv, back;
	struct drydock_sbom_input in;
	struct drydock_sbom_info info;
	struct drydock_buf b = DRYDOCK_BUF_INIT(DRYDOCK_MAX_SBOM_OUTPUT_BYTES);
	struct drydock_err err;
	size_t i;

	assert_int_equal(make(&inv), 0);
	fixture_input(&in, &inv);
	assert_int_equal(drydock_sbom_write(&b, f, &in, &err), 0);
	drydock_inventory_init(&back);
	if (drydock_sbom_read(&back, &info, b.ptr, b.len, "roundtrip", &err))
		fail_msg("read: %s", err.msg);
	assert_string_equal(info.format, fmtname);
	assert_string_equal(info.name, "oci:fixture:latest");
	assert_string_equal(info.digest, in.digest);
	assert_int_equal(info.skipped, 0);
	assert_string_equal(back.os.family, inv.os.family);
	assert_string_equal(back.os.version, inv.os.version);
	assert_string_equal(back.os.codename, inv.os.codename);
	assert_string_equal(back.os.pretty_name, inv.os.pretty_name);
	assert_string_equal(back.os.apk_branch, inv.os.apk_branch);
	assert_int_equal(back.npkgs, inv.npkgs);
	for (i = 0; i < inv.npkgs; i++) {
		const struct drydock_pkg *a = &inv.pkgs[i], *p = NULL;
		size_t k;

		for (k = 0; k < back.npkgs; k++)
			if (!strcmp(back.pkgs[k].name, a->name))
				p = &back.pkgs[k];
		assert_non_null(p);
		assert_int_equal(p->type, a->type);
		same_str(p->version, a->version, "version", a->name);
		same_str(p->arch, a->arch, "arch", a->name);
		same_str(p->src_name, a->src_name, "src_name", a->name);
		if (a->type != DRYDOCK_PKG_APK)
			same_str(p->src_version, a->src_version, "src_version",
				 a->name);
		same_str(p->src_rpm, a->src_rpm, "src_rpm", a->name);
		same_str(p->license, a->license, "license", a->name);
		same_str(p->layer_diff_id, a->layer_diff_id, "layer", a->name);
		same_str(p->db_path, a->db_path, "db_path", a->name);
		same_str(p->rpm_version, a->rpm_version, "rpm_version",
			 a->name);
		same_str(p->rpm_release, a->rpm_release, "rpm_release",
			 a->name);
		if (a->type == DRYDOCK_PKG_RPM)
			assert_int_equal(p->epoch, a->epoch);
		assert_int_equal(p->layer, 0);
	}
	drydock_inventory_free(&back);
	drydock_inventory_free(&inv);
	drydock_buf_release(&b);
}

static void test_report__roundtrip(void **state)
{
	(void)state;
	roundtrip(fixture_minbase, DRYDOCK_SBOM_CYCLONEDX, "cyclonedx");
	roundtrip(fixture_minbase, DRYDOCK_SBOM_SPDX_JSON, "spdx-json");
	roundtrip(fixture_minbase, DRYDOCK_SBOM_JSON, "json");
	roundtrip(fixture_alpine, DRYDOCK_SBOM_CYCLONEDX, "cyclonedx");
	roundtrip(fixture_alpine, DRYDOCK_SBOM_SPDX_JSON, "spdx-json");
	roundtrip(fixture_alpine, DRYDOCK_SBOM_JSON, "json");
	roundtrip(fixture_rhel, DRYDOCK_SBOM_CYCLONEDX, "cyclonedx");
	roundtrip(fixture_rhel, DRYDOCK_SBOM_SPDX_JSON, "spdx-json");
	roundtrip(fixture_rhel, DRYDOCK_SBOM_JSON, "json");
}

/* "1:2.38.1-5+deb12u3" -> "2.38.1-5+deb12u3" */
static const char *no_epoch(const char *v)
{
	const char *c = strchr(v, ':');

	return c ? c + 1 : v;
}

/*
 * Documents written by another tool (Trivy, run on the same minbase root
 * filesystem; tests/data/report/peer/NOTICE.md) read back into the
 * inventory dpkg-query lists for that filesystem.
 */
static void read_peer(const char *rel, const char *fmtname)
{
	struct drydock_inventory want, got;
	struct drydock_sbom_info info;
	struct drydock_err err;
	size_t len, i;
	char *data = fixture_read(rel, &len);

	assert_non_null(data);
	assert_int_equal(fixture_minbase(&want), 0);
	drydock_inventory_init(&got);
	if (drydock_sbom_read(&got, &info, data, len, rel, &err))
		fail_msg("%s: %s", rel, err.msg);
	assert_string_equal(info.format, fmtname);
	assert_string_equal(got.os.family, "debian");
	/* Trivy reads /etc/debian_version: "12.15" */
	assert_string_equal(got.os.version, "12.15");
	assert_int_equal(got.npkgs, want.npkgs);
	for (i = 0; i < want.npkgs; i++) {
		const struct drydock_pkg *w = &want.pkgs[i];
		const struct drydock_pkg *g = find_pkg(&got, w->name);

		if (!g)
			fail_msg("%s: no '%s'", rel, w->name);
		assert_int_equal(g->type, DRYDOCK_PKG_DEB);
		same_str(g->version, w->version, "version", w->name);
		same_str(g->arch, w->arch, "arch", w->name);
		same_str(g->src_name, w->src_name, "src_name", w->name);
		/* Trivy drops the epoch of source versions */
		same_str(no_epoch(g->src_version), no_epoch(w->src_version),
			 "src_version", w->name);
	}
	drydock_inventory_free(&got);
	drydock_inventory_free(&want);
	free(data);
}

static void test_report__read_trivy(void **state)
{
	(void)state;
	read_peer("report/peer/trivy-minbase.cdx.json", "cyclonedx");
	read_peer("report/peer/trivy-minbase.spdx.json", "spdx-json");
}

static int read_str(const char *doc, struct drydock_err *err,
		    struct drydock_inventory *inv)
{
	drydock_inventory_init(inv);
	return drydock_sbom_read(inv, NULL, doc, strlen(doc), "in.json", err);
}

static void test_report__read_errors(void **state)
{
	struct drydock_inventory inv;
	struct drydock_err err;

	(void)state;
	assert_int_equal(read_str("{", &err, &inv), DRYDOCK_ECORRUPT);
	assert_non_null(strstr(err.msg, "'in.json'"));
	drydock_inventory_free(&inv);
	assert_int_equal(read_str("[]", &err, &inv), DRYDOCK_ECORRUPT);
	drydock_inventory_free(&inv);
	assert_int_equal(read_str("{\"bomFormat\":\"x\"}", &err, &inv),
			 DRYDOCK_EUNSUPPORTED);
	assert_non_null(strstr(err.msg, "'in.json'"));
	drydock_inventory_free(&inv);
	assert_int_equal(read_str("{\"bomFormat\":\"CycloneDX\",\"components\":"
				  "[{\"type\":\"library\",\"purl\":\"pkg:deb/"
				  "debian/x@1?arch=a&arch=b\"}]}",
				  &err, &inv),
			 DRYDOCK_ECORRUPT);
	assert_non_null(strstr(err.msg, "'in.json'"));
	drydock_inventory_free(&inv);
	assert_int_equal(read_str("{\"bomFormat\":\"CycloneDX\",\"components\":"
				  "[{\"type\":\"library\",\"purl\":\"pkg:rpm/"
				  "fedora/x@1-1?epoch=x\"}]}",
				  &err, &inv),
			 DRYDOCK_ECORRUPT);
	drydock_inventory_free(&inv);
	assert_int_equal(read_str("{\"bomFormat\":\"CycloneDX\",\"components\":"
				  "[7]}",
				  &err, &inv),
			 DRYDOCK_ECORRUPT);
	drydock_inventory_free(&inv);
	/* a malformed purl of another type is skipped, not an error */
	assert_int_equal(read_str("{\"bomFormat\":\"CycloneDX\",\"components\":"
				  "[{\"type\":\"library\",\"purl\":\"pkg:npm/"
				  "%zz@1\"}]}",
				  &err, &inv),
			 0);
	assert_int_equal(inv.npkgs, 0);
	drydock_inventory_free(&inv);
	/* npm components are skipped, nested OS packages found; the OS
	 * comes from the purl's distro qualifier */
	assert_int_equal(read_str("{\"bomFormat\":\"CycloneDX\",\"components\":"
				  "[{\"type\":\"library\",\"purl\":\"pkg:npm/"
				  "left-pad@1.3.0\",\"components\":[{\"type\":"
				  "\"library\",\"purl\":\"pkg:rpm/redhat/"
				  "curl@1:7.61.1-34.el8?arch=x86_64&distro="
				  "rhel-8.9\"}]}]}",
				  &err, &inv),
			 0);
	assert_int_equal(inv.npkgs, 1);
	assert_string_equal(inv.pkgs[0].name, "curl");
	assert_string_equal(inv.pkgs[0].version, "7.61.1-34.el8");
	assert_int_equal(inv.pkgs[0].epoch, 1);
	assert_string_equal(inv.pkgs[0].rpm_release, "34.el8");
	assert_string_equal(inv.os.family, "rhel");
	assert_string_equal(inv.os.version, "8.9");
	drydock_inventory_free(&inv);
}

/* Output is valid UTF-8 JSON even for Latin-1 input. */
static void test_report__latin1(void **state)
{
	struct drydock_inventory inv;
	struct drydock_sbom_input in;
	json_t *doc;
	json_t *c, *it;
	size_t i;
	int seen = 0;

	(void)state;
	assert_int_equal(fixture_alpine(&inv), 0);
	fixture_input(&in, &inv);
	doc = write_doc(DRYDOCK_SBOM_CYCLONEDX, &in);
	c = json_object_get(doc, "components");
	json_array_foreach(c, i, it)
	{
		const char *pub = drydock_json_str(it, "publisher");

		if (pub) {
			assert_string_equal(pub, "Na\xc3\xafve Packag\xc3\xa9r "
						 "<x@example.org>");
			seen = 1;
		}
	}
	assert_true(seen);
	json_decref(doc);
	drydock_inventory_free(&inv);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_report__purl_spec_vectors),
		cmocka_unit_test(test_report__purl_for_pkg),
		cmocka_unit_test(test_report__uuid_and_time),
		cmocka_unit_test(test_report__cyclonedx),
		cmocka_unit_test(test_report__spdx),
		cmocka_unit_test(test_report__native_json_and_table),
		cmocka_unit_test(test_report__deterministic),
		cmocka_unit_test(test_report__roundtrip),
		cmocka_unit_test(test_report__read_trivy),
		cmocka_unit_test(test_report__read_errors),
		cmocka_unit_test(test_report__latin1),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
