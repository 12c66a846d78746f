#include "../util/setup.h"

/*
 * Authentication helpers: WWW-Authenticate challenges (RFC 7235 §4.1
 * with RFC 6750 parameters), Retry-After values (RFC 9110 §10.2.3) and
 * and where a docker config.json says a registry's credentials are:
 * a credential helper (credHelpers, credsStore) or an "auths" entry
 * ({"auth": base64(user:pass)} or {"username", "password"}, and
 * "identitytoken").
 */

#include <openssl/evp.h>
#include <stdio.h>

#include "drydock/error.h"
#include "drydock/json.h"
#include "drydock/limits.h"
#include "drydock/strnum.h"
#include "internal.h"

static int tchar(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || (c && strchr("!#$%&'*+-.^_`|~", c));
}

static const char *skip_ws(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

/* Store value into the parameter named by name (case-insensitive). */
static void set_param(struct challenge *c, const char *name, size_t nlen,
		      const char *val, size_t vlen)
{
	char *dst = NULL;
	size_t cap = 0;

	if (nlen == 5 && !strncasecmp(name, "realm", 5)) {
		dst = c->realm;
		cap = sizeof(c->realm);
	} else if (nlen == 7 && !strncasecmp(name, "service", 7)) {
		dst = c->service;
		cap = sizeof(c->service);
	} else if (nlen == 5 && !strncasecmp(name, "scope", 5)) {
		dst = c->scope;
		cap = sizeof(c->scope);
	} else if (nlen == 5 && !strncasecmp(name, "error", 5)) {
		dst = c->error;
		cap = sizeof(c->error);
	}
	if (!dst || vlen >= cap)
		return;
	memcpy(dst, val, vlen);
	dst[vlen] = '\0';
}

int challenge_parse(const char *value, struct challenge *out)
{
	const char *p = skip_ws(value), *s;
	size_t n;

	memset(out, 0, sizeof(*out));
	s = p;
	while (tchar(*p))
		p++;
	n = (size_t)(p - s);
	if (n == 6 && !strncasecmp(s, "bearer", 6))
		out->scheme = AUTH_BEARER;
	else if (n == 5 && !strncasecmp(s, "basic", 5))
		out->scheme = AUTH_BASIC;
	else
		return -1;
	/* auth-params: name = token | quoted-string, comma separated */
	for (;;) {
		const char *name, *vstart;
		size_t nlen, vlen;
		char val[1024];

		p = skip_ws(p);
		while (*p == ',')
			p = skip_ws(p + 1);
		if (!*p)
			break;
		name = p;
		while (tchar(*p))
			p++;
		nlen = (size_t)(p - name);
		if (!nlen)
			return -1;
		p = skip_ws(p);
		if (*p != '=')
			return -1;
		p = skip_ws(p + 1);
		if (*p == '"') {
			/* quoted-string with backslash escapes */
			vlen = 0;
			p++;
			while (*p && *p != '"') {
				if (*p == '\\' && p[1])
					p++;
				if (vlen + 1 < sizeof(val))
					val[vlen++] = *p;
				p++;
			}
			if (*p != '"')
				return -1;
			p++;
			set_param(out, name, nlen, val, vlen);
		} else {
			vstart = p;
			while (tchar(*p) || *p == '/' || *p == ':')
				p++;
			vlen = (size_t)(p - vstart);
			set_param(out, name, nlen, vstart, vlen);
		}
		p = skip_ws(p);
		if (*p && *p != ',')
			return -1;
	}
	if (out->scheme == AUTH_BEARER && !out->realm[0])
		return -1;
	return 0;
}

long long retry_after_seconds(const char *value, time_t now)
{
	const char *p = skip_ws(value);
	size_t n = strlen(p);
	uint64_t secs;
	time_t t;

	while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
		n--;
	if (!n)
		return -1;
	if (!drydock_strnum_u64(p, n, 1u << 30, &secs))
		return (long long)secs;
	if (drydock_curl_load(NULL)) /* an HTTP date needs curl's parser */
		return -1;
	t = drydock_curl.getdate(p, NULL);
	if (t == (time_t)-1)
		return -1;
	return t > now ? (long long)(t - now) : 0;
}

/* "https://index.docker.io/v1/" -> "index.docker.io" */
static void key_host(const char *key, char *out, size_t outsz)
{
	const char *p = key, *e;
	size_t n;

	if (!strncmp(p, "https://", 8))
		p += 8;
	else if (!strncmp(p, "http://", 7))
		p += 7;
	e = strchr(p, '/');
	n = e ? (size_t)(e - p) : strlen(p);
	if (n >= outsz)
		n = outsz - 1;
	memcpy(out, p, n);
	out[n] = '\0';
}

static int is_docker_hub(const char *h)
{
	return !strcmp(h, "docker.io") || !strcmp(h, "index.docker.io") ||
	       !strcmp(h, "registry-1.docker.io");
}

static int host_matches(const char *key, const char *domain)
{
	char h[DRYDOCK_REF_NAME_MAX];

	key_host(key, h, sizeof(h));
	if (!strcmp(h, domain))
		return 1;
	return is_docker_hub(h) && is_docker_hub(domain);
}

static int decode_auth(const char *b64, char **user, char **pass,
		       const char *path, struct drydock_err *err)
{
	size_t n = strlen(b64);
	unsigned char *raw;
	int len;
	char *colon;

	if (n > 64 * 1024 || n % 4)
		return drydock_err_set(err, DRYDOCK_ECORRUPT,
				       "'%s': malformed 'auth' value", path);
	raw = malloc(n / 4 * 3 + 1);
	if (!raw)
		return DRYDOCK_ENOMEM;
	len = EVP_DecodeBlock(raw, (const unsigned char *)b64, (int)n);
	if (len < 0) {
		free(raw);
		return drydock_err_set(err, DRYDOCK_ECORRUPT,
				       "'%s': malformed 'auth' value", path);
	}
	/* EVP_DecodeBlock counts padding as zero bytes */
	while (n && b64[n - 1] == '=') {
		n--;
		len--;
	}
	raw[len] = '\0';
	colon = strchr((char *)raw, ':');
	if (!colon) {
		free(raw);
		return drydock_err_set(err, DRYDOCK_ECORRUPT,
				       "'%s': 'auth' value has no ':'", path);
	}
	*colon = '\0';
	*user = strdup((char *)raw);
	*pass = strdup(colon + 1);
	OPENSSL_cleanse(raw, (size_t)len);
	free(raw);
	if (!*user || !*pass) {
		free(*user);
		free(*pass);
		*user = *pass = NULL;
		return DRYDOCK_ENOMEM;
	}
	return 0;
}

void creds_free(struct creds *c)
{
	if (c->password)
		OPENSSL_cleanse(c->password, strlen(c->password));
	if (c->identity_token)
		OPENSSL_cleanse(c->identity_token, strlen(c->identity_token));
	free(c->username);
	free(c->password);
	free(c->identity_token);
	c->username = c->password = c->identity_token = NULL;
}

const char *docker_server_address(const char *domain)
{
	return is_docker_hub(domain) ? "https://index.docker.io/v1/" : domain;
}

int cred_helper_name_valid(const char *name)
{
	size_t n = strlen(name);

	if (!n || n > DRYDOCK_MAX_CRED_HELPER_NAME)
		return 0;
	/* the name becomes part of a program name looked up in PATH: no
	 * '/' (a path), no leading '-' or '.' */
	if (name[0] == '-' || name[0] == '.')
		return 0;
	for (; *name; name++)
		if (!((*name >= 'a' && *name <= 'z') ||
		      (*name >= 'A' && *name <= 'Z') ||
		      (*name >= '0' && *name <= '9') || *name == '-' ||
		      *name == '_' || *name == '.'))
			return 0;
	return 1;
}

/*
 * The member of obj (credHelpers or auths) for domain, as the docker
 * CLI's file store finds it: a key equal to the server address or the
 * domain first, else the first key whose host is the domain ("https://"
 * and a path are ignored; Docker Hub's names are one registry).
 */
static json_t *find_entry(json_t *obj, const char *domain, const char **key_out)
{
	const char *server = docker_server_address(domain), *key;
	json_t *v, *found = NULL;

	if (!json_is_object(obj))
		return NULL;
	json_object_foreach(obj, key, v)
	{
		if (!strcmp(key, server) || !strcmp(key, domain)) {
			*key_out = key;
			return v;
		}
		if (!found && host_matches(key, domain)) {
			found = v;
			*key_out = key;
		}
	}
	return found;
}

static int set_helper(json_t *v, const char *what, const char *path,
		      char *helper, size_t helpersz, struct drydock_err *err)
{
	const char *name = json_string_value(v);

	if (!json_is_string(v))
		return drydock_err_set(err, DRYDOCK_ECORRUPT,
				       "'%s': %s is not a string", path, what);
	if (!*name)
		return 0; /* "credsStore": "" means none, as for docker */
	if (!cred_helper_name_valid(name) || strlen(name) >= helpersz)
		return drydock_err_set(err, DRYDOCK_ECORRUPT,
				       "'%s': %s '%.80s' is not a credential "
				       "helper name",
				       path, what, name);
	memcpy(helper, name, strlen(name) + 1);
	return 0;
}

/* An "auths" entry: auth (base64 user:pass) or username and password,
 * and identitytoken (an OAuth2 refresh token, with auth "user:"). */
static int auths_entry(json_t *v, const char *path, struct creds *out,
		       struct drydock_err *err)
{
	const char *a = drydock_json_str(v, "auth");
	const char *u = drydock_json_str(v, "username");
	const char *pw = drydock_json_str(v, "password");
	const char *it = drydock_json_str(v, "identitytoken");
	int rc = 0;

	if (a && *a)
		rc = decode_auth(a, &out->username, &out->password, path, err);
	else if (u && (pw || it)) {
		out->username = strdup(u);
		out->password = strdup(pw ? pw : "");
		if (!out->username || !out->password)
			rc = DRYDOCK_ENOMEM;
	}
	if (!rc && it && *it) {
		if (strlen(it) > DRYDOCK_MAX_IDENTITY_TOKEN_BYTES)
			rc = drydock_err_set(err, DRYDOCK_ELIMIT,
					     "'%s': identitytoken longer than "
					     "%u bytes",
					     path,
					     DRYDOCK_MAX_IDENTITY_TOKEN_BYTES);
		else if (!(out->identity_token = strdup(it)))
			rc = DRYDOCK_ENOMEM;
		if (!rc && !out->username && !(out->username = strdup("")))
			rc = DRYDOCK_ENOMEM;
		if (!rc && !out->password && !(out->password = strdup("")))
			rc = DRYDOCK_ENOMEM;
	}
	if (rc)
		creds_free(out);
	return rc;
}

int docker_config_parse(const char *data, size_t len, const char *path,
			const char *domain, struct creds *out, char *helper,
			size_t helpersz, struct drydock_err *err)
{
	json_t *doc, *v;
	const char *key = NULL;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	helper[0] = '\0';
	doc = drydock_json_load(data, len, DRYDOCK_MAX_DOCKER_CONFIG_BYTES,
				path, err);
	if (!doc)
		return err && err->code ? err->code : DRYDOCK_ECORRUPT;
	if (!json_is_object(doc)) {
		json_decref(doc);
		return drydock_err_set(err, DRYDOCK_ECORRUPT,
				       "'%s': not a JSON object", path);
	}
	/* the docker CLI's order: the registry's credHelpers entry, else
	 * credsStore, else the auths entry (a helper's answer replaces the
	 * auths entry, "not found" included) */
	v = find_entry(json_object_get(doc, "credHelpers"), domain, &key);
	if (v)
		rc = set_helper(v, "credHelpers entry", path, helper, helpersz,
				err);
	v = json_object_get(doc, "credsStore");
	if (!rc && !helper[0] && v)
		rc = set_helper(v, "credsStore", path, helper, helpersz, err);
	if (!rc && !helper[0]) {
		v = find_entry(json_object_get(doc, "auths"), domain, &key);
		if (json_is_object(v))
			rc = auths_entry(v, path, out, err);
	}
	json_decref(doc);
	return rc;
}

int docker_config_lookup(const char *path, const char *domain,
			 struct creds *out, char *helper, size_t helpersz,
			 struct drydock_err *err)
{
	struct drydock_buf b =
		DRYDOCK_BUF_INIT(DRYDOCK_MAX_DOCKER_CONFIG_BYTES);
	int rc;

	memset(out, 0, sizeof(*out));
	helper[0] = '\0';
	rc = drydock_buf_read_file(&b, path, err);
	if (rc == DRYDOCK_ENOTFOUND) {
		drydock_err_clear(err);
		drydock_buf_release(&b);
		return 0;
	}
	if (!rc)
		rc = docker_config_parse(b.ptr ? b.ptr : "", b.len, path,
					 domain, out, helper, helpersz, err);
	if (b.ptr)
		OPENSSL_cleanse(b.ptr, b.len);
	drydock_buf_release(&b);
	return rc;
}
