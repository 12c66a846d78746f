#include "lib/util/setup.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "drydock/buf.h"
#include "drydock/error.h"
#include "drydock/limits.h"
#include "drydock/registry.h"
#include "lib/registry/internal.h"

/*
 * Expected values of the reference cases are those of Docker's own
 * tests (distribution/reference normalize_test.go and reference_test.go):
 * the same inputs must give the same domain, path, tag and digest.
 */

struct ref_case {
	const char *in;
	const char *domain; /* NULL: must fail */
	const char *path;
	const char *tag;
	const char *digest;
};

#define FF64 "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"

static const struct ref_case cases[] = {
	{"docker/docker", "docker.io", "docker/docker", "", ""},
	{"library/debian", "docker.io", "library/debian", "", ""},
	{"debian", "docker.io", "library/debian", "", ""},
	{"docker.io/docker/docker", "docker.io", "docker/docker", "", ""},
	{"docker.io/library/debian", "docker.io", "library/debian", "", ""},
	{"docker.io/debian", "docker.io", "library/debian", "", ""},
	{"index.docker.io/docker/docker", "docker.io", "docker/docker", "", ""},
	{"index.docker.io/library/debian", "docker.io", "library/debian", "",
	 ""},
	{"index.docker.io/debian", "docker.io", "library/debian", "", ""},
	{"127.0.0.1:5000/docker/docker", "127.0.0.1:5000", "docker/docker", "",
	 ""},
	{"127.0.0.1:5000/debian", "127.0.0.1:5000", "debian", "", ""},
	{"192.168.0.1", "docker.io", "library/192.168.0.1", "", ""},
	{"192.168.0.1:80", "docker.io", "library/192.168.0.1", "80", ""},
	{"192.168.0.1:8/debian", "192.168.0.1:8", "debian", "", ""},
	{"thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev",
	 "docker.io",
	 "library/"
	 "thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev",
	 "", ""},
	{"[fc00::1]:5000/docker", "[fc00::1]:5000", "docker", "", ""},
	{"[fc00:1:2:3:4:5:6:7]:5000/library/debian",
	 "[fc00:1:2:3:4:5:6:7]:5000", "library/debian", "", ""},
	{"[2001:db8::1]/repo", "[2001:db8::1]", "repo", "", ""},
	{"[::1]:5000/repo", "[::1]:5000", "repo", "", ""},
	{"docker.io/"
	 "1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c"
	 "1b3a",
	 "docker.io",
	 "library/1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c"
	 "1b3a",
	 "", ""},
	{"Docker/docker", "Docker", "docker", "", ""},
	{"DOCKER/docker", "DOCKER", "docker", "", ""},
	{"Foo/bar", "Foo", "bar", "", ""},
	{"localhost/docker", "localhost", "docker", "", ""},
	{"localhost:5000/a/b:v1", "localhost:5000", "a/b", "v1", ""},
	{"localhost", "docker.io", "library/localhost", "", ""},
	{"docker-rules/docker", "docker.io", "docker-rules/docker", "", ""},
	{"docker---rules/docker", "docker.io", "docker---rules/docker", "", ""},
	{"d/docker", "docker.io", "d/docker", "", ""},
	{"dock__er/docker", "docker.io", "dock__er/docker", "", ""},
	{"test_com/foo", "docker.io", "test_com/foo", "", ""},
	{"test.com:8080/foo", "test.com:8080", "foo", "", ""},
	{"test-com:8080/foo", "test-com:8080", "foo", "", ""},
	{"xn--n3h.com:18080/foo", "xn--n3h.com:18080", "foo", "", ""},
	{"docker.io/library/foo/bar", "docker.io", "library/foo/bar", "", ""},
	{"test.com:5000", "docker.io", "library/test.com", "5000", ""},
	{"test:5000/repo:tag@sha256:" FF64, "test:5000", "repo", "tag",
	 "sha256:" FF64},
	{"busybox:latest@sha256:86e0e091d0da6bde2456dbb48306f3956bbeb2eae1b5b9"
	 "a43045843f69fe4aaa",
	 "docker.io", "library/busybox", "latest",
	 "sha256:86e0e091d0da6bde2456dbb48306f3956bbeb2eae1b5b9a43045843f69fe4"
	 "aaa"},
	{"lowercase:Uppercase", "docker.io", "library/lowercase", "Uppercase",
	 ""},
	{"b.gcr.io/test.example.com/my-app:test.example.com", "b.gcr.io",
	 "test.example.com/my-app", "test.example.com", ""},
	{"sub-dom1.foo.com/bar/baz/quux:some-long-tag", "sub-dom1.foo.com",
	 "bar/baz/quux", "some-long-tag", ""},
	{"foo/foo_bar.com:8080", "docker.io", "foo/foo_bar.com", "8080", ""},
	{"xn--7o8h.com/myimage:xn--7o8h.com@sha512:" FF64 FF64, "xn--7o8h.com",
	 "myimage", "xn--7o8h.com", "sha512:" FF64 FF64},
	/* invalid */
	{"", NULL, NULL, NULL, NULL},
	{"https://github.com/docker/docker", NULL, NULL, NULL, NULL},
	{"docker/Docker", NULL, NULL, NULL, NULL},
	{"-docker", NULL, NULL, NULL, NULL},
	{"-docker/docker", NULL, NULL, NULL, NULL},
	{"-docker.io/docker/docker", NULL, NULL, NULL, NULL},
	{"docker///docker", NULL, NULL, NULL, NULL},
	{"docker.io/docker/Docker", NULL, NULL, NULL, NULL},
	{"docker.io/docker///docker", NULL, NULL, NULL, NULL},
	{"[fc00::1]", NULL, NULL, NULL, NULL},
	{"[fc00::1]:5000", NULL, NULL, NULL, NULL},
	{"fc00::1:5000/debian", NULL, NULL, NULL, NULL},
	{"[fe80::1%eth0]:5000/debian", NULL, NULL, NULL, NULL},
	{"[2001:db8:3:4::192.0.2.33]:5000/debian", NULL, NULL, NULL, NULL},
	{"1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a",
	 NULL, NULL, NULL, NULL},
	{"docker-/docker", NULL, NULL, NULL, NULL},
	{"-docker-/docker", NULL, NULL, NULL, NULL},
	{"____/____", NULL, NULL, NULL, NULL},
	{"_docker/_docker", NULL, NULL, NULL, NULL},
	{"dock..er/docker", NULL, NULL, NULL, NULL},
	{"dock_.er/docker", NULL, NULL, NULL, NULL},
	{"dock-.er/docker", NULL, NULL, NULL, NULL},
	{"docker/", NULL, NULL, NULL, NULL},
	{"this_is_not_a_valid_namespace_because_its_lenth_is_greater_than_255_"
	 "this_is_not_a_valid_namespace_because_its_lenth_is_greater_than_255_"
	 "this_is_not_a_valid_namespace_because_its_lenth_is_greater_than_255_"
	 "this_is_not_a_valid_namespace_because_its_lenth_is_greater_than_255/"
	 "docker",
	 NULL, NULL, NULL, NULL},
	{":justtag", NULL, NULL, NULL, NULL},
	{"@sha256:" FF64, NULL, NULL, NULL, NULL},
	{"repo@sha256:ffffffffffffffffffffffffffffffffff", NULL, NULL, NULL,
	 NULL},
	{"validname@invaliddigest:" FF64, NULL, NULL, NULL, NULL},
	{"Uppercase:tag", NULL, NULL, NULL, NULL},
	{"test:5000/Uppercase/lowercase:tag", NULL, NULL, NULL, NULL},
	{"aa/asdf$$^/aa", NULL, NULL, NULL, NULL},
	{"[2001:db8::1]:tag", NULL, NULL, NULL, NULL},
	{"repo:-tag", NULL, NULL, NULL, NULL},
	{"repo:" FF64 FF64 "x", NULL, NULL, NULL, NULL},
	{"repo@sha256:" FF64 "F", NULL, NULL, NULL, NULL},
};

static void test_registry__ref_cases(void **state)
{
	struct drydock_registry_ref r;
	struct drydock_err err;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct ref_case *c = &cases[i];
		int rc = drydock_registry_ref_parse(&r, c->in, &err);

		if (!c->domain) {
			if (rc != DRYDOCK_EUSAGE)
				fail_msg("'%s' should be invalid", c->in);
			continue;
		}
		if (rc)
			fail_msg("'%s': %s", c->in, err.msg);
		assert_string_equal(r.domain, c->domain);
		assert_string_equal(r.path, c->path);
		assert_string_equal(r.tag, c->tag);
		assert_string_equal(r.digest, c->digest);
	}
}

static void test_registry__ref_too_long(void **state)
{
	struct drydock_registry_ref r;
	char in[600];
	size_t i, n = 0;

	(void)state;
	/* 255 bytes of name is the limit (ErrNameTooLong beyond) */
	n = (size_t)snprintf(in, sizeof(in), "e.com/");
	for (i = 0; i < 124; i++)
		n += (size_t)snprintf(in + n, sizeof(in) - n, "a/");
	snprintf(in + n, sizeof(in) - n, "a:tag-puts-this-over-max");
	/* "e.com/" + 249 = 255: accepted */
	assert_int_equal(drydock_registry_ref_parse(&r, in, NULL), 0);
	assert_string_equal(r.tag, "tag-puts-this-over-max");
	n = (size_t)snprintf(in, sizeof(in), "e.com/");
	for (i = 0; i < 125; i++)
		n += (size_t)snprintf(in + n, sizeof(in) - n, "a/");
	snprintf(in + n, sizeof(in) - n, "a:tag");
	assert_int_equal(drydock_registry_ref_parse(&r, in, NULL),
			 DRYDOCK_EUSAGE);
}

static void test_registry__ref_format(void **state)
{
	struct drydock_registry_ref r;
	char out[600];

	(void)state;
	assert_int_equal(drydock_registry_ref_parse(&r, "ubuntu", NULL), 0);
	assert_int_equal(drydock_registry_ref_format(&r, 0, out, sizeof(out)),
			 0);
	assert_string_equal(out, "docker.io/library/ubuntu");
	assert_int_equal(drydock_registry_ref_format(&r, 1, out, sizeof(out)),
			 0);
	assert_string_equal(out, "ubuntu");
	assert_string_equal(drydock_registry_ref_ref(&r), "latest");
	assert_string_equal(drydock_registry_api_host(r.domain),
			    "registry-1.docker.io");

	assert_int_equal(drydock_registry_ref_parse(
				 &r,
				 "busybox:latest@sha256:86e0e091d0da6bde2456dbb"
				 "48306f3956bbeb2eae1b5b9a43045843f69fe4aaa",
				 NULL),
			 0);
	assert_int_equal(drydock_registry_ref_format(&r, 1, out, sizeof(out)),
			 0);
	assert_string_equal(out, "busybox:latest@sha256:86e0e091d0da6bde2456db"
				 "b48306f3956bbeb2eae1b5b9a43045843f69fe4aaa");
	assert_string_equal(drydock_registry_ref_ref(&r), r.digest);

	assert_int_equal(
		drydock_registry_ref_parse(&r, "library/foo/bar", NULL), 0);
	assert_int_equal(drydock_registry_ref_format(&r, 1, out, sizeof(out)),
			 0);
	assert_string_equal(out, "library/foo/bar");

	assert_int_equal(drydock_registry_ref_parse(
				 &r, "127.0.0.1:8000/privatebase:v2", NULL),
			 0);
	assert_int_equal(drydock_registry_ref_format(&r, 1, out, sizeof(out)),
			 0);
	assert_string_equal(out, "127.0.0.1:8000/privatebase:v2");
	assert_string_equal(drydock_registry_api_host(r.domain),
			    "127.0.0.1:8000");
	assert_int_equal(drydock_registry_ref_format(&r, 0, out, 10), -1);
}

static void test_registry__challenge(void **state)
{
	struct challenge c;

	(void)state;
	/* the header distribution 2.8.2 sent (samples/token-auth-challenge) */
	assert_int_equal(
		challenge_parse("Bearer realm=\"http://127.0.0.1:49881/token\","
				"service=\"test-registry\",scope=\"repository:"
				"test/app:pull\"",
				&c),
		0);
	assert_int_equal(c.scheme, AUTH_BEARER);
	assert_string_equal(c.realm, "http://127.0.0.1:49881/token");
	assert_string_equal(c.service, "test-registry");
	assert_string_equal(c.scope, "repository:test/app:pull");

	/* Docker Hub style, multiple actions, spaces, escapes */
	assert_int_equal(
		challenge_parse(
			"bearer  realm=\"https://auth.docker.io/token\" "
			", service=\"registry.docker.io\", "
			"scope=\"repository:samalba/my-app:pull,push\", "
			"error=\"insufficient_scope\"",
			&c),
		0);
	assert_string_equal(c.realm, "https://auth.docker.io/token");
	assert_string_equal(c.scope, "repository:samalba/my-app:pull,push");
	assert_string_equal(c.error, "insufficient_scope");
	assert_int_equal(challenge_parse("Bearer realm=\"a\\\"b\"", &c), 0);
	assert_string_equal(c.realm, "a\"b");

	assert_int_equal(challenge_parse("Basic realm=\"Registry Realm\"", &c),
			 0);
	assert_int_equal(c.scheme, AUTH_BASIC);
	assert_string_equal(c.realm, "Registry Realm");
	assert_int_equal(challenge_parse("Basic realm=basic-realm", &c), 0);
	assert_string_equal(c.realm, "basic-realm");

	assert_int_equal(challenge_parse("Negotiate", &c), -1);
	assert_int_equal(challenge_parse("Bearer service=\"x\"", &c), -1);
	assert_int_equal(challenge_parse("Bearer realm=\"unterminated", &c),
			 -1);
	assert_int_equal(challenge_parse("Bearer realm", &c), -1);
}

static void test_registry__retry_after(void **state)
{
	(void)state;
	assert_int_equal(retry_after_seconds("120", 0), 120);
	assert_int_equal(retry_after_seconds(" 0 ", 0), 0);
	/* RFC 9110's example date, 784111777 in Unix time */
	assert_int_equal(retry_after_seconds("Fri, 31 Dec 1999 23:59:59 GMT",
					     946684799 - 30),
			 30);
	assert_int_equal(retry_after_seconds("Fri, 31 Dec 1999 23:59:59 GMT",
					     946684799 + 30),
			 0);
	assert_int_equal(retry_after_seconds("soon", 0), -1);
	assert_int_equal(retry_after_seconds("-5", 0), -1);
	assert_int_equal(retry_after_seconds("", 0), -1);
}

static void docker_config_case(const char *domain, const char *want_user,
			       const char *want_pass)
{
	char path[4096], helper[DRYDOCK_MAX_CRED_HELPER_NAME + 1];
	struct creds c;
	struct drydock_err err;

	snprintf(path, sizeof(path), "%s/registry/docker-config.json",
		 getenv("DRYDOCK_TEST_DATA"));
	assert_int_equal(docker_config_lookup(path, domain, &c, helper,
					      sizeof(helper), &err),
			 0);
	assert_string_equal(helper, "");
	assert_null(c.identity_token);
	if (!want_user) {
		assert_null(c.username);
		assert_null(c.password);
		return;
	}
	assert_non_null(c.username);
	assert_string_equal(c.username, want_user);
	assert_string_equal(c.password, want_pass);
	creds_free(&c);
}

static void test_registry__docker_config(void **state)
{
	char helper[DRYDOCK_MAX_CRED_HELPER_NAME + 1];
	struct creds c;

	(void)state;
	docker_config_case("docker.io", "hub-user", "hub-secret");
	docker_config_case("registry.example.com:5000", "alice", "s3cr:et");
	docker_config_case("ghcr.example.org", "bob", "p:ass:word");
	docker_config_case("registry.example.com", NULL, NULL);
	docker_config_case("quay.io", NULL, NULL);
	/* a missing file means no credentials */
	assert_int_equal(docker_config_lookup("/nonexistent/config.json",
					      "docker.io", &c, helper,
					      sizeof(helper), NULL),
			 0);
	assert_null(c.username);
	assert_string_equal(helper, "");
}

/* Write doc to a fresh config.json and look domain up in it. */
static int lookup_in(const char *doc, const char *domain, struct creds *c,
		     char helper[DRYDOCK_MAX_CRED_HELPER_NAME + 1],
		     struct drydock_err *err)
{
	char path[] = "/tmp/drydock-config-XXXXXX";
	int fd = mkstemp(path), rc;
	FILE *f;

	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	fputs(doc, f);
	fclose(f);
	drydock_err_clear(err);
	rc = docker_config_lookup(path, domain, c, helper,
				  DRYDOCK_MAX_CRED_HELPER_NAME + 1, err);
	unlink(path);
	return rc;
}

/*
 * The docker CLI's order (cli/config/configfile/file.go,
 * GetCredentialsStore): the registry's credHelpers entry, else
 * credsStore, else the auths entry; Docker Hub's key is
 * "https://index.docker.io/v1/".
 */
static void test_registry__credential_order(void **state)
{
	static const char all[] =
		"{\"auths\": {"
		"\"gcr.example.com\": {\"auth\": \"eDp5\"},"
		"\"registry.example.com:5000\": {\"auth\": "
		"\"YWxpY2U6czNjcmV0\"},"
		"\"https://index.docker.io/v1/\": {}},"
		"\"credHelpers\": {\"gcr.example.com\": \"gcloud\","
		"\"https://index.docker.io/v1/\": \"hub-helper\","
		"\"123.dkr.ecr.example.com\": \"ecr-login\"},"
		"\"credsStore\": \"desktop\"}";
	static const char no_store[] =
		"{\"auths\": {"
		"\"registry.example.com:5000\": {\"auth\": "
		"\"YWxpY2U6czNjcmV0\"}},"
		"\"credHelpers\": {\"gcr.example.com\": \"gcloud\"},"
		"\"credsStore\": \"\"}";
	char helper[DRYDOCK_MAX_CRED_HELPER_NAME + 1];
	struct drydock_err err;
	struct creds c;

	(void)state;
	/* credHelpers beats credsStore and auths */
	assert_int_equal(lookup_in(all, "gcr.example.com", &c, helper, &err),
			 0);
	assert_string_equal(helper, "gcloud");
	assert_null(c.username);
	assert_int_equal(
		lookup_in(all, "123.dkr.ecr.example.com", &c, helper, &err), 0);
	assert_string_equal(helper, "ecr-login");
	/* Docker Hub under any of its names */
	assert_int_equal(lookup_in(all, "docker.io", &c, helper, &err), 0);
	assert_string_equal(helper, "hub-helper");
	assert_int_equal(lookup_in(all, "index.docker.io", &c, helper, &err),
			 0);
	assert_string_equal(helper, "hub-helper");
	/* credsStore beats the auths entry */
	assert_int_equal(
		lookup_in(all, "registry.example.com:5000", &c, helper, &err),
		0);
	assert_string_equal(helper, "desktop");
	assert_null(c.username);
	assert_int_equal(lookup_in(all, "quay.io", &c, helper, &err), 0);
	assert_string_equal(helper, "desktop");
	/* no (empty) credsStore: the auths entry; a helper for another
	 * registry does not matter */
	assert_int_equal(lookup_in(no_store, "registry.example.com:5000", &c,
				   helper, &err),
			 0);
	assert_string_equal(helper, "");
	assert_string_equal(c.username, "alice");
	assert_string_equal(c.password, "s3cret");
	creds_free(&c);
	assert_null(c.username);
	assert_int_equal(lookup_in(no_store, "quay.io", &c, helper, &err), 0);
	assert_string_equal(helper, "");
	assert_null(c.username);
	/* the port is part of the registry's name */
	assert_int_equal(
		lookup_in(no_store, "registry.example.com", &c, helper, &err),
		0);
	assert_null(c.username);
}

static void test_registry__identity_token_config(void **state)
{
	/* what docker login stores for a registry that returned a refresh
	 * token: auth = base64("user:"), identitytoken */
	static const char doc[] =
		"{\"auths\": {\"https://acr.example.io\": {"
		"\"auth\": "
		"\"MDAwMDAwMDAtMDAwMC0wMDAwLTAwMDAtMDAwMDAwMDAwMDAwOg==\","
		"\"identitytoken\": \"eyJhbGciOiJSUzI1NiJ9.refresh\"}}}";
	char helper[DRYDOCK_MAX_CRED_HELPER_NAME + 1];
	struct drydock_err err;
	struct creds c;

	(void)state;
	assert_int_equal(lookup_in(doc, "acr.example.io", &c, helper, &err), 0);
	assert_string_equal(helper, "");
	assert_string_equal(c.username, "00000000-0000-0000-0000-000000000000");
	assert_string_equal(c.password, "");
	assert_string_equal(c.identity_token, "eyJhbGciOiJSUzI1NiJ9.refresh");
	creds_free(&c);
}

static void test_registry__bad_helper_config(void **state)
{
	char helper[DRYDOCK_MAX_CRED_HELPER_NAME + 1];
	struct drydock_err err;
	struct creds c;

	(void)state;
	/* a helper name is a program name suffix, never a path */
	assert_int_equal(lookup_in("{\"credsStore\": \"../../tmp/evil\"}",
				   "quay.io", &c, helper, &err),
			 DRYDOCK_ECORRUPT);
	assert_non_null(strstr(err.msg, "'../../tmp/evil'"));
	assert_null(strchr(err.msg, '\n'));
	assert_int_equal(lookup_in("{\"credHelpers\": {\"quay.io\": 7}}",
				   "quay.io", &c, helper, &err),
			 DRYDOCK_ECORRUPT);
	assert_non_null(strstr(err.msg, "credHelpers"));
	assert_int_equal(lookup_in("{\"credsStore\": \"-rf\"}", "quay.io", &c,
				   helper, &err),
			 DRYDOCK_ECORRUPT);
	assert_int_equal(lookup_in("[]", "quay.io", &c, helper, &err),
			 DRYDOCK_ECORRUPT);
	assert_true(cred_helper_name_valid("ecr-login"));
	assert_true(cred_helper_name_valid("desktop.exe"));
	assert_true(cred_helper_name_valid("osxkeychain"));
	assert_false(cred_helper_name_valid(""));
	assert_false(cred_helper_name_valid("a/b"));
	assert_false(cred_helper_name_valid("a b"));
	assert_false(cred_helper_name_valid(".hidden"));
	assert_string_equal(docker_server_address("docker.io"),
			    "https://index.docker.io/v1/");
	assert_string_equal(docker_server_address("127.0.0.1:5000"),
			    "127.0.0.1:5000");
}

static int parse_reply(const char *reply, struct creds *c,
		       struct drydock_err *err)
{
	drydock_err_clear(err);
	return cred_helper_parse("testhelper", reply, strlen(reply), c, err);
}

/* Replies in the form docker-credential-helpers' client decodes
 * (credentials.Credentials: ServerURL, Username, Secret). */
static void test_registry__helper_reply(void **state)
{
	struct drydock_err err;
	struct creds c;
	char *big;

	(void)state;
	assert_int_equal(parse_reply("{\"ServerURL\":\"quay.io\","
				     "\"Username\":\"robot+ci\","
				     "\"Secret\":\"pa:ss\"}\n",
				     &c, &err),
			 0);
	assert_string_equal(c.username, "robot+ci");
	assert_string_equal(c.password, "pa:ss");
	assert_null(c.identity_token);
	creds_free(&c);
	/* "<token>": the Secret is an identity (refresh) token */
	assert_int_equal(parse_reply("{\"ServerURL\":\"acr.example.io\","
				     "\"Username\":\"<token>\","
				     "\"Secret\":\"refresh-123\"}",
				     &c, &err),
			 0);
	assert_null(c.username);
	assert_null(c.password);
	assert_string_equal(c.identity_token, "refresh-123");
	creds_free(&c);
	/* empty credentials: anonymous */
	assert_int_equal(parse_reply("{\"ServerURL\":\"\",\"Username\":\"\","
				     "\"Secret\":\"\"}",
				     &c, &err),
			 0);
	assert_null(c.username);
	assert_null(c.identity_token);
	/* nonsense names the helper program */
	assert_int_equal(parse_reply("credentials not found", &c, &err),
			 DRYDOCK_ECORRUPT);
	assert_non_null(strstr(err.msg, "'docker-credential-testhelper'"));
	assert_int_equal(parse_reply("[\"u\",\"s\"]", &c, &err),
			 DRYDOCK_ECORRUPT);
	assert_non_null(strstr(err.msg, "'docker-credential-testhelper'"));
	assert_int_equal(
		parse_reply("{\"Username\":5,\"Secret\":\"s\"}", &c, &err),
		DRYDOCK_ECORRUPT);
	assert_int_equal(parse_reply("{\"Username\":\"<token>\","
				     "\"Secret\":\"\"}",
				     &c, &err),
			 DRYDOCK_ECORRUPT);
	assert_null(c.username);
	/* bounded */
	big = malloc(DRYDOCK_MAX_CRED_HELPER_REPLY_BYTES + 64);
	assert_non_null(big);
	memset(big, ' ', DRYDOCK_MAX_CRED_HELPER_REPLY_BYTES + 63);
	memcpy(big, "{\"Username\":\"u\",\"Secret\":\"s\"}", 29);
	big[DRYDOCK_MAX_CRED_HELPER_REPLY_BYTES + 63] = '\0';
	assert_int_equal(parse_reply(big, &c, &err), DRYDOCK_ELIMIT);
	assert_non_null(strstr(err.msg, "docker-credential-testhelper"));
	free(big);
}

/* Write an executable docker-credential-NAME into dir. */
static void write_helper(const char *dir, const char *name, const char *body)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/docker-credential-%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "#!/bin/sh\n%s\n", body);
	fclose(f);
	assert_int_equal(chmod(path, 0755), 0);
}

static long long mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * Running helpers: the server address on stdin, "not found", failures
 * naming the helper, and the bounds (a helper that hangs, before or after
 * closing its output, is killed at the deadline; one that talks too much
 * is cut off).
 */
static void test_registry__helper_run(void **state)
{
	char dir[] = "/tmp/drydock-helpers-XXXXXX", path[8192], cmd[4200];
	const char *old = getenv("PATH");
	struct drydock_err err;
	struct creds c;
	long long t0;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s:%s", dir, old ? old : "/usr/bin:/bin");
	assert_int_equal(setenv("PATH", path, 1), 0);
	write_helper(dir, "echo",
		     "[ \"$1\" = get ] || exit 9\n"
		     "s=$(cat)\n"
		     "printf '{\"ServerURL\":\"%s\",\"Username\":\"u-%s\","
		     "\"Secret\":\"p\"}' \"$s\" \"$s\"");
	write_helper(dir, "deaf",
		     "printf '{\"Username\":\"<token>\",\"Secret\":\"rt\"}'");
	write_helper(dir, "none",
		     "cat >/dev/null\n"
		     "echo 'credentials not found in native keychain'\nexit 1");
	write_helper(dir, "fails",
		     "echo 'error getting credentials: locked' >&2\n"
		     "printf 'keychain\\tis locked\\nsecond line\\n'\nexit 4");
	write_helper(dir, "hangs", "exec sleep 30");
	write_helper(dir, "lingers", "exec >&-\nexec sleep 30");
	write_helper(dir, "chatty", "head -c 200000 /dev/zero | tr '\\0' a");
	write_helper(dir, "dies", "kill -9 $$");
	/* answers, but leaves a process holding its stdout open */
	write_helper(dir, "forks",
		     "cat >/dev/null\n"
		     "printf '{\"Username\":\"f\",\"Secret\":\"s\"}'\n"
		     "sleep 5 &");

	drydock_err_clear(&err);
	assert_int_equal(
		cred_helper_run("echo", "127.0.0.1:5000", 10000, &c, &err), 0);
	assert_string_equal(c.username, "u-127.0.0.1:5000");
	assert_string_equal(c.password, "p");
	creds_free(&c);
	/* a helper that does not read its input (no SIGPIPE for us) */
	assert_int_equal(cred_helper_run("deaf", "https://index.docker.io/v1/",
					 10000, &c, &err),
			 0);
	assert_string_equal(c.identity_token, "rt");
	creds_free(&c);
	t0 = mono_ms();
	assert_int_equal(cred_helper_run("forks", "ghcr.io", 10000, &c, &err),
			 0);
	assert_true(mono_ms() - t0 < 4000);
	assert_string_equal(c.username, "f");
	creds_free(&c);
	assert_int_equal(cred_helper_run("none", "ghcr.io", 10000, &c, &err),
			 0);
	assert_null(c.username);
	assert_null(c.identity_token);

	assert_int_equal(cred_helper_run("fails", "ghcr.io", 10000, &c, &err),
			 DRYDOCK_EAUTH);
	assert_string_equal(err.msg,
			    "'docker-credential-fails': credential helper for "
			    "'ghcr.io' failed with exit status 4: keychain is "
			    "locked");
	drydock_err_clear(&err);
	assert_int_equal(cred_helper_run("dies", "ghcr.io", 10000, &c, &err),
			 DRYDOCK_EAUTH);
	assert_non_null(strstr(err.msg, "killed by signal 9"));
	drydock_err_clear(&err);
	assert_int_equal(cred_helper_run("absent", "ghcr.io", 10000, &c, &err),
			 DRYDOCK_EAUTH);
	assert_non_null(strstr(err.msg, "'docker-credential-absent'"));
	assert_non_null(strstr(err.msg, "not found in PATH"));

	t0 = mono_ms();
	drydock_err_clear(&err);
	assert_int_equal(cred_helper_run("hangs", "ghcr.io", 300, &c, &err),
			 DRYDOCK_ETIMEOUT);
	assert_non_null(strstr(err.msg, "'docker-credential-hangs'"));
	drydock_err_clear(&err);
	assert_int_equal(cred_helper_run("lingers", "ghcr.io", 300, &c, &err),
			 DRYDOCK_ETIMEOUT);
	assert_true(mono_ms() - t0 < 5000);
	drydock_err_clear(&err);
	assert_int_equal(cred_helper_run("chatty", "ghcr.io", 10000, &c, &err),
			 DRYDOCK_ELIMIT);
	assert_non_null(strstr(err.msg, "'docker-credential-chatty'"));
	assert_int_equal(
		cred_helper_run("../chatty", "ghcr.io", 10000, &c, &err),
		DRYDOCK_EUSAGE);

	if (old)
		setenv("PATH", old, 1);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

static void read_data(struct drydock_buf *b, const char *rel)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", getenv("DRYDOCK_TEST_DATA"), rel);
	assert_int_equal(drydock_buf_read_file(b, path, NULL), 0);
}

static void test_registry__pick_platform(void **state)
{
	struct drydock_buf b = DRYDOCK_BUF_INIT(1 << 20);
	char d[DRYDOCK_DIGEST_MAX], mt[128];
	struct drydock_err err;

	(void)state;
	read_data(&b, "registry/index-multiarch.json");
	assert_int_equal(drydock_registry_pick_platform(
				 b.ptr, b.len, "linux/amd64", d, mt, &err),
			 0);
	assert_string_equal(d, "sha256:0516971f0f2574ea1ee87197061fb9c3fab13f6"
			       "fb0a80906a7b26a8d36182ef1");
	assert_string_equal(mt, DRYDOCK_MT_OCI_MANIFEST);
	/* arm64 without variant in the index stands for v8 */
	assert_int_equal(drydock_registry_pick_platform(
				 b.ptr, b.len, "linux/arm64/v8", d, mt, &err),
			 0);
	assert_string_equal(d, "sha256:396172b01279fa5b54d6b9eaa7619f306659357"
			       "f2c6515d733f214c1a3c44446");
	assert_int_equal(drydock_registry_pick_platform(
				 b.ptr, b.len, "linux/aarch64", d, mt, &err),
			 0);
	assert_string_equal(d, "sha256:396172b01279fa5b54d6b9eaa7619f306659357"
			       "f2c6515d733f214c1a3c44446");
	assert_int_equal(drydock_registry_pick_platform(
				 b.ptr, b.len, "linux/arm/v6", d, mt, &err),
			 0);
	assert_string_equal(d, "sha256:6465dd31d7c80e1824fe2d0766e84b239c3551e"
			       "a6f30ad60145414a23a454bf2");
	assert_int_equal(drydock_registry_pick_platform(
				 b.ptr, b.len, "linux/arm/v7", d, mt, &err),
			 DRYDOCK_ENOTFOUND);
	assert_non_null(strstr(err.msg, "linux/arm/v6"));
	assert_null(strstr(err.msg, "unknown"));
	assert_int_equal(drydock_registry_pick_platform(
				 b.ptr, b.len, "windows/amd64", d, mt, &err),
			 DRYDOCK_ENOTFOUND);
	assert_int_equal(drydock_registry_pick_platform(b.ptr, b.len, "linux",
							d, mt, &err),
			 DRYDOCK_EUSAGE);
	drydock_buf_release(&b);
	assert_int_equal(drydock_registry_pick_platform("{}", 2, "linux/amd64",
							d, mt, &err),
			 DRYDOCK_ECORRUPT);
}

static void test_registry__referrers_tag(void **state)
{
	char t[200];

	(void)state;
	drydock_registry_referrers_tag("sha256:0516971f0f2574ea1ee87197061fb9c3"
				       "fab13f6fb0a80906a7b26a8d36182ef1",
				       t, sizeof(t));
	assert_string_equal(t, "sha256-0516971f0f2574ea1ee87197061fb9c3fab13f6f"
			       "b0a80906a7b26a8d36182ef1");
	/* algorithm truncated to 32, hex to 64, invalid characters -> '-' */
	drydock_registry_referrers_tag(
		"a+b.c_d-eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee:" FF64 "0123",
		t, sizeof(t));
	assert_string_equal(t, "a-b.c_d-eeeeeeeeeeeeeeeeeeeeeeee-" FF64);
	assert_true(drydock_registry_tag_valid(t));
}

static void test_registry__opts_bounds(void **state)
{
	struct drydock_registry_opts o = {0};
	struct drydock_registry *reg;

	(void)state;
	o.insecure = 1;
	o.username = "u";
	o.password = "p";
	assert_int_equal(drydock_registry_new(&reg, "docker.io", &o, NULL), 0);
	assert_string_equal(drydock_registry_base_url(reg),
			    "http://registry-1.docker.io");
	assert_string_equal(reg->username, "u");
	drydock_registry_free(reg);
	o.insecure = 0;
	assert_int_equal(drydock_registry_new(&reg, "127.0.0.1:5000", &o, NULL),
			 0);
	assert_string_equal(drydock_registry_base_url(reg),
			    "https://127.0.0.1:5000");
	drydock_registry_free(reg);
}

static void test_registry__cache_size(void **state)
{
	unsigned long long v;

	(void)state;
	assert_int_equal(drydock_cache_parse_size("512", &v), 0);
	assert_int_equal(v, 512);
	assert_int_equal(drydock_cache_parse_size("170K", &v), 0);
	assert_int_equal(v, 170 * 1024);
	assert_int_equal(drydock_cache_parse_size("2g", &v), 0);
	assert_int_equal(v, 2ull << 30);
	assert_int_equal(drydock_cache_parse_size("0", &v), -1);
	assert_int_equal(drydock_cache_parse_size("", &v), -1);
	assert_int_equal(drydock_cache_parse_size("1.5G", &v), -1);
	assert_int_equal(drydock_cache_parse_size("99999999999T", &v), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_registry__ref_cases),
		cmocka_unit_test(test_registry__ref_too_long),
		cmocka_unit_test(test_registry__ref_format),
		cmocka_unit_test(test_registry__challenge),
		cmocka_unit_test(test_registry__retry_after),
		cmocka_unit_test(test_registry__docker_config),
		cmocka_unit_test(test_registry__credential_order),
		cmocka_unit_test(test_registry__identity_token_config),
		cmocka_unit_test(test_registry__bad_helper_config),
		cmocka_unit_test(test_registry__helper_reply),
		cmocka_unit_test(test_registry__helper_run),
		cmocka_unit_test(test_registry__pick_platform),
		cmocka_unit_test(test_registry__referrers_tag),
		cmocka_unit_test(test_registry__opts_bounds),
		cmocka_unit_test(test_registry__cache_size),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
