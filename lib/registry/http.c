#include "../util/setup.h"

/*
 * The HTTP engine: one libcurl easy handle per client (connections are
 * reused), authentication (Basic, Bearer tokens cached per scope until
 * they expire), and retries with exponential backoff that honour
 * Retry-After on 429 and 503.
 */

#include <errno.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "drydock/error.h"
#include "drydock/json.h"
#include "drydock/limits.h"
#include "drydock/strnum.h"
#include "internal.h"

#define USER_AGENT "drydock/" DRYDOCK_VERSION
#define DEFAULT_BACKOFF_MS 500
/* a token is not reused in its last seconds: it could expire in flight */
#define TOKEN_MARGIN 10
#define DEFAULT_TOKEN_LIFETIME 60

/* libcurl's text for a failed transfer, with what to do for the TLS
 * failures users meet most: the system's CA bundle missing, or a registry
 * whose certificate no known CA signed. */
static const char *curl_reason(CURLcode cc)
{
	switch (cc) {
	case CURLE_SSL_CACERT_BADFILE:
		return "cannot read the CA certificates to check the server's "
		       "certificate (install ca-certificates, or give "
		       "--ca-file)";
	case CURLE_PEER_FAILED_VERIFICATION:
		return "the server's certificate is not signed by a trusted CA "
		       "(give its CA with --ca-file)";
	default:
		return drydock_curl.easy_strerror(cc);
	}
}

static char *env_nonempty(const char *name)
{
	const char *v = getenv(name);

	return v && *v ? strdup(v) : NULL;
}

/* at most: the containers primary file, the containers config file, the
 * docker config */
#define AUTH_FILES 3
#define AUTH_PATH_MAX 4096

/* Append "base/rest" to paths unless base is unset or the path too long. */
static void add_path(char paths[][AUTH_PATH_MAX], size_t *n, const char *base,
		     const char *rest)
{
	int w;

	if (!base || !*base || *n >= AUTH_FILES)
		return;
	w = snprintf(paths[*n], AUTH_PATH_MAX, "%s%s", base, rest);
	if (w > 0 && w < AUTH_PATH_MAX)
		(*n)++;
}

/*
 * Where credentials are looked for, in order (docs/registry.md):
 * --docker-config or $DOCKER_CONFIG alone when given; otherwise the
 * containers tools' files (containers-auth.json(5): $REGISTRY_AUTH_FILE,
 * else $XDG_RUNTIME_DIR/containers/auth.json; then
 * ${XDG_CONFIG_HOME:-~/.config}/containers/auth.json) and then
 * ~/.docker/config.json. Missing files are skipped by the caller.
 */
static void auth_files(const struct drydock_registry_opts *o,
		       char paths[][AUTH_PATH_MAX], size_t *n)
{
	const char *dir = o && o->docker_config ? o->docker_config
						: getenv("DOCKER_CONFIG");
	const char *home = getenv("HOME"), *v;

	*n = 0;
	if (dir && *dir) {
		add_path(paths, n, dir, "/config.json");
		return;
	}
	v = getenv("REGISTRY_AUTH_FILE");
	if (v && *v)
		add_path(paths, n, v, "");
	else
		add_path(paths, n, getenv("XDG_RUNTIME_DIR"),
			 "/containers/auth.json");
	v = getenv("XDG_CONFIG_HOME");
	if (v && *v)
		add_path(paths, n, v, "/containers/auth.json");
	else
		add_path(paths, n, home, "/.config/containers/auth.json");
	add_path(paths, n, home, "/.docker/config.json");
}

/*
 * Credentials: options, then DRYDOCK_REGISTRY_*, then the first auth
 * file naming the registry (auth_files(): its credential helper for the
 * registry, or its auths entry). A helper
 * runs here, once per client, as the docker CLI runs it before a pull.
 */
static int resolve_creds(struct drydock_registry *reg,
			 const struct drydock_registry_opts *o,
			 struct drydock_err *err)
{
	char paths[AUTH_FILES][AUTH_PATH_MAX];
	char helper[DRYDOCK_MAX_CRED_HELPER_NAME + 1];
	struct creds c;
	size_t i, n;
	int rc;

	if (o && (o->username || o->password)) {
		reg->username = strdup(o->username ? o->username : "");
		reg->password = strdup(o->password ? o->password : "");
		return reg->username && reg->password ? 0 : DRYDOCK_ENOMEM;
	}
	reg->username = env_nonempty("DRYDOCK_REGISTRY_USERNAME");
	reg->password = env_nonempty("DRYDOCK_REGISTRY_PASSWORD");
	if (reg->username || reg->password) {
		if (!reg->username)
			reg->username = strdup("");
		if (!reg->password)
			reg->password = strdup("");
		return reg->username && reg->password ? 0 : DRYDOCK_ENOMEM;
	}
	/* the auth files in their order; the first one with an entry for
	 * the registry (credentials or a helper) decides */
	auth_files(o, paths, &n);
	rc = 0;
	memset(&c, 0, sizeof(c));
	helper[0] = '\0';
	for (i = 0; i < n && !rc; i++) {
		rc = docker_config_lookup(paths[i], reg->domain, &c, helper,
					  sizeof(helper), err);
		if (!rc && (c.username || c.password || helper[0]))
			break;
	}
	if (!rc && helper[0])
		rc = cred_helper_get(helper, docker_server_address(reg->domain),
				     &c, err);
	if (rc)
		return rc;
	reg->username = c.username;
	reg->password = c.password;
	reg->identity_token = c.identity_token;
	return 0;
}

int drydock_registry_new(struct drydock_registry **out, const char *domain,
			 const struct drydock_registry_opts *opts,
			 struct drydock_err *err)
{
	struct drydock_registry *reg;
	const char *why;
	int rc;

	*out = NULL;
	if (drydock_curl_load(&why))
		return drydock_err_set(err, DRYDOCK_ERROR, "'%s': %s", domain,
				       why);
	reg = calloc(1, sizeof(*reg));
	if (!reg)
		return DRYDOCK_ENOMEM;
	snprintf(reg->domain, sizeof(reg->domain), "%s", domain);
	reg->insecure = opts ? opts->insecure : 0;
	snprintf(reg->base, sizeof(reg->base), "%s://%s",
		 reg->insecure ? "http" : "https",
		 drydock_registry_api_host(domain));
	reg->retries = DRYDOCK_MAX_HTTP_RETRIES;
	if (opts && opts->retries < 0)
		reg->retries = 0;
	else if (opts && opts->retries > 0 &&
		 opts->retries < DRYDOCK_MAX_HTTP_RETRIES)
		reg->retries = opts->retries;
	reg->backoff_ms = opts && opts->backoff_ms > 0 ? opts->backoff_ms
						       : DEFAULT_BACKOFF_MS;
	reg->chunk_size = opts ? opts->chunk_size : 0;
	if (reg->chunk_size > DRYDOCK_MAX_UPLOAD_CHUNK_BYTES)
		reg->chunk_size = DRYDOCK_MAX_UPLOAD_CHUNK_BYTES;
	if (opts && opts->ca_file) {
		reg->ca_file = strdup(opts->ca_file);
		if (!reg->ca_file) {
			drydock_registry_free(reg);
			return DRYDOCK_ENOMEM;
		}
	}
	rc = resolve_creds(reg, opts, err);
	if (rc) {
		drydock_registry_free(reg);
		return rc;
	}
	reg->curl = drydock_curl.easy_init();
	if (!reg->curl) {
		drydock_registry_free(reg);
		return drydock_err_set(err, DRYDOCK_ENOMEM,
				       "'%s': cannot create a curl handle",
				       domain);
	}
	*out = reg;
	return 0;
}

void drydock_registry_free(struct drydock_registry *reg)
{
	int i;

	if (!reg)
		return;
	if (reg->curl)
		drydock_curl.easy_cleanup(reg->curl);
	for (i = 0; i < TOKEN_CACHE_MAX; i++) {
		free(reg->tokens[i].key);
		if (reg->tokens[i].token)
			memset(reg->tokens[i].token, 0,
			       strlen(reg->tokens[i].token));
		free(reg->tokens[i].token);
	}
	if (reg->password)
		memset(reg->password, 0, strlen(reg->password));
	if (reg->identity_token)
		memset(reg->identity_token, 0, strlen(reg->identity_token));
	free(reg->username);
	free(reg->password);
	free(reg->identity_token);
	free(reg->ca_file);
	free(reg);
}

static char *dup_or_null(const char *s, int *bad)
{
	char *d;

	if (!s)
		return NULL;
	d = strdup(s);
	if (!d)
		*bad = 1;
	return d;
}

int drydock_registry_clone(struct drydock_registry **out,
			   const struct drydock_registry *reg,
			   struct drydock_err *err)
{
	struct drydock_registry *c;
	int bad = 0, i;

	*out = NULL;
	c = calloc(1, sizeof(*c));
	if (!c)
		return DRYDOCK_ENOMEM;
	memcpy(c->domain, reg->domain, sizeof(c->domain));
	memcpy(c->base, reg->base, sizeof(c->base));
	c->username = dup_or_null(reg->username, &bad);
	c->password = dup_or_null(reg->password, &bad);
	c->identity_token = dup_or_null(reg->identity_token, &bad);
	c->ca_file = dup_or_null(reg->ca_file, &bad);
	c->insecure = reg->insecure;
	c->retries = reg->retries;
	c->backoff_ms = reg->backoff_ms;
	c->chunk_size = reg->chunk_size;
	c->chal = reg->chal;
	for (i = 0; i < TOKEN_CACHE_MAX; i++) {
		c->tokens[i].key = dup_or_null(reg->tokens[i].key, &bad);
		c->tokens[i].token = dup_or_null(reg->tokens[i].token, &bad);
		c->tokens[i].expires = reg->tokens[i].expires;
	}
	c->curl = drydock_curl.easy_init();
	if (bad || !c->curl) {
		drydock_registry_free(c);
		return drydock_err_set(err, DRYDOCK_ENOMEM,
				       "'%s': out of memory", reg->domain);
	}
	*out = c;
	return 0;
}

const char *drydock_registry_base_url(const struct drydock_registry *reg)
{
	return reg->base;
}

int drydock_registry_retry_count(const struct drydock_registry *reg)
{
	return reg->retries_done;
}

int registry_url(const struct drydock_registry *reg, struct drydock_buf *b,
		 const char *repo, const char *what, const char *arg)
{
	return drydock_buf_printf(b, "%s/v2/%s/%s%s%s", reg->base, repo, what,
				  arg ? "/" : "", arg ? arg : "");
}

/* Response headers -------------------------------------------------------- */

static void hdr_copy(char *dst, size_t cap, const char *v, size_t n)
{
	if (n >= cap)
		n = cap - 1;
	memcpy(dst, v, n);
	dst[n] = '\0';
}

static size_t on_header(char *data, size_t size, size_t nitems, void *ud)
{
	struct req *rq = ud;
	size_t n = size * nitems, nlen, vlen;
	const char *colon, *v;

	if (n >= 5 && !memcmp(data, "HTTP/", 5)) {
		/* a new response (after a redirect or 100): reset */
		rq->content_type_out[0] = rq->docker_digest[0] = '\0';
		rq->location[0] = rq->www_auth[0] = '\0';
		rq->retry_after[0] = rq->oci_subject[0] = rq->range[0] = '\0';
		rq->content_length = -1;
		return n;
	}
	colon = memchr(data, ':', n);
	if (!colon)
		return n;
	nlen = (size_t)(colon - data);
	v = colon + 1;
	while (v < data + n && (*v == ' ' || *v == '\t'))
		v++;
	vlen = (size_t)(data + n - v);
	while (vlen && (v[vlen - 1] == '\r' || v[vlen - 1] == '\n' ||
			v[vlen - 1] == ' '))
		vlen--;
#define IS(h) (nlen == sizeof(h) - 1 && !strncasecmp(data, h, nlen))
	if (IS("content-type"))
		hdr_copy(rq->content_type_out, sizeof(rq->content_type_out), v,
			 vlen);
	else if (IS("docker-content-digest"))
		hdr_copy(rq->docker_digest, sizeof(rq->docker_digest), v, vlen);
	else if (IS("location"))
		hdr_copy(rq->location, sizeof(rq->location), v, vlen);
	else if (IS("www-authenticate") && !rq->www_auth[0])
		hdr_copy(rq->www_auth, sizeof(rq->www_auth), v, vlen);
	else if (IS("retry-after"))
		hdr_copy(rq->retry_after, sizeof(rq->retry_after), v, vlen);
	else if (IS("oci-subject"))
		hdr_copy(rq->oci_subject, sizeof(rq->oci_subject), v, vlen);
	else if (IS("range"))
		hdr_copy(rq->range, sizeof(rq->range), v, vlen);
	else if (IS("content-length")) {
		uint64_t cl;

		if (!drydock_strnum_u64(v, vlen, INT64_MAX, &cl))
			rq->content_length = (long long)cl;
	}
#undef IS
	return n;
}

/* Response bodies: 2xx go to the caller, anything else to errbody. */
static size_t on_body(char *data, size_t size, size_t nitems, void *ud)
{
	struct req *rq = ud;
	size_t n = size * nitems;
	long code = 0;

	drydock_curl.easy_getinfo(rq->sink_curl, CURLINFO_RESPONSE_CODE, &code);
	if (code < 200 || code > 299) {
		/* keep the start of an error body; drop the rest */
		if (rq->errbody.len + n <= rq->errbody.max)
			drydock_buf_put(&rq->errbody, data, n);
		return n;
	}
	if (rq->sink) {
		int rc = rq->sink(data, n, rq->sink_payload);

		if (rc) {
			rq->sink_rc = rc < 0 ? rc : DRYDOCK_ERROR;
			return 0;
		}
	} else if (rq->body) {
		if (drydock_buf_put(rq->body, data, n)) {
			rq->sink_rc = DRYDOCK_ELIMIT;
			return 0;
		}
	}
	rq->delivered += (long long)n;
	return n;
}

struct upload_state {
	struct req *rq;
	size_t off;
};

static size_t on_read(char *buf, size_t size, size_t nitems, void *ud)
{
	struct upload_state *u = ud;
	struct req *rq = u->rq;
	size_t n = size * nitems;

	if (rq->read_cb) {
		long long got = rq->read_cb(buf, n, rq->read_payload);

		if (got < 0) {
			rq->sink_rc = (int)got;
			return CURL_READFUNC_ABORT;
		}
		return (size_t)got;
	}
	if (n > rq->len - u->off)
		n = rq->len - u->off;
	memcpy(buf, (const char *)rq->data + u->off, n);
	u->off += n;
	return n;
}

/* Tokens ---------------------------------------------------------------- */

static char *token_key(const struct challenge *c, const char *scope)
{
	struct drydock_buf k = DRYDOCK_BUF_INIT(8192);

	if (drydock_buf_printf(&k, "%s\n%s\n%s", c->realm, c->service,
			       scope ? scope : ""))
		return NULL;
	return drydock_buf_detach(&k, NULL);
}

static const char *token_find(struct drydock_registry *reg, const char *key)
{
	time_t now = time(NULL);
	int i;

	for (i = 0; i < TOKEN_CACHE_MAX; i++)
		if (reg->tokens[i].key && !strcmp(reg->tokens[i].key, key) &&
		    reg->tokens[i].expires > now)
			return reg->tokens[i].token;
	return NULL;
}

static void token_store(struct drydock_registry *reg, char *key, char *token,
			time_t expires)
{
	int i, slot = 0;

	for (i = 0; i < TOKEN_CACHE_MAX; i++) {
		if (!reg->tokens[i].key || !strcmp(reg->tokens[i].key, key)) {
			slot = i;
			break;
		}
		if (reg->tokens[i].expires < reg->tokens[slot].expires)
			slot = i;
	}
	free(reg->tokens[slot].key);
	free(reg->tokens[slot].token);
	reg->tokens[slot].key = key;
	reg->tokens[slot].token = token;
	reg->tokens[slot].expires = expires;
}

/* The options every transfer of reg shares: url, timeouts (give up on a
 * stalled connection after 60 s), HTTP(S) only, also on redirects, the
 * response into rq, and the CA file when one was given. */
static void set_transfer(struct drydock_registry *reg, CURL *h, const char *url,
			 struct req *rq)
{
	drydock_curl.easy_setopt(h, CURLOPT_URL, url);
	drydock_curl.easy_setopt(h, CURLOPT_USERAGENT, USER_AGENT);
	drydock_curl.easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	drydock_curl.easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 30L);
	drydock_curl.easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 1L);
	drydock_curl.easy_setopt(h, CURLOPT_LOW_SPEED_TIME, 60L);
	drydock_curl.easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	drydock_curl.easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	drydock_curl.easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	drydock_curl.easy_setopt(h, CURLOPT_WRITEDATA, rq);
	drydock_curl.easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
	drydock_curl.easy_setopt(h, CURLOPT_HEADERDATA, rq);
	if (reg->ca_file)
		drydock_curl.easy_setopt(h, CURLOPT_CAINFO, reg->ca_file);
}

/*
 * One request to the token server on handle h (reset first): a GET of
 * url, or with form a POST of it (application/x-www-form-urlencoded),
 * with Basic credentials when user is not NULL. The body (any status)
 * goes to body; *status gets the HTTP status.
 */
static int token_http(struct drydock_registry *reg, CURL *h, const char *url,
		      const char *form, const char *user, const char *pass,
		      const char *name, const char *realm, long *status,
		      struct drydock_buf *body, struct drydock_err *err)
{
	struct curl_slist *hdrs = NULL;
	struct req rq;
	CURLcode cc;

	drydock_curl.easy_reset(h);
	drydock_buf_reset(body);
	memset(&rq, 0, sizeof(rq));
	rq.body = body;
	rq.sink_curl = h;
	drydock_buf_init(&rq.errbody, 4096);
	set_transfer(reg, h, url, &rq);
	if (form) {
		hdrs = drydock_curl.slist_append(
			NULL,
			"Content-Type: application/x-www-form-urlencoded");
		drydock_curl.easy_setopt(h, CURLOPT_POST, 1L);
		drydock_curl.easy_setopt(h, CURLOPT_POSTFIELDS, form);
		drydock_curl.easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE,
					 (curl_off_t)strlen(form));
		drydock_curl.easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
	} else {
		drydock_curl.easy_setopt(h, CURLOPT_HTTPGET, 1L);
	}
	if (user) {
		drydock_curl.easy_setopt(h, CURLOPT_HTTPAUTH,
					 (long)CURLAUTH_BASIC);
		drydock_curl.easy_setopt(h, CURLOPT_USERNAME, user);
		drydock_curl.easy_setopt(h, CURLOPT_PASSWORD, pass ? pass : "");
	}
	cc = drydock_curl.easy_perform(h);
	drydock_curl.easy_getinfo(h, CURLINFO_RESPONSE_CODE, status);
	drydock_curl.slist_free_all(hdrs);
	/* the token server's error body is not needed: its status says it */
	drydock_buf_release(&rq.errbody);
	if (cc != CURLE_OK)
		return drydock_err_set(err,
				       rq.sink_rc ? rq.sink_rc : DRYDOCK_EIO,
				       "'%s': token server '%s': %s", name,
				       realm, curl_reason(cc));
	return 0;
}

/* "name=" + the URL-encoded value, after a '&' unless first */
static int form_put(CURL *h, struct drydock_buf *f, const char *name,
		    const char *value)
{
	char *esc = drydock_curl.easy_escape(h, value, 0);
	int rc;

	if (!esc)
		return DRYDOCK_ENOMEM;
	rc = drydock_buf_printf(f, "%s%s=%s", f->len ? "&" : "", name, esc);
	drydock_curl.mem_free(esc);
	return rc;
}

/*
 * The OAuth2 refresh-token grant of the distribution token spec
 * (docs/spec/auth/oauth.md): grant_type, refresh_token, service, scope
 * (space-separated scopes) and client_id.
 */
static int oauth_form(CURL *h, const struct drydock_registry *reg,
		      const struct challenge *c, const char *scope,
		      const char *scope2, struct drydock_buf *f)
{
	struct drydock_buf sc = DRYDOCK_BUF_INIT(8192);
	int rc;

	rc = form_put(h, f, "grant_type", "refresh_token");
	if (!rc)
		rc = form_put(h, f, "refresh_token", reg->identity_token);
	if (!rc && c->service[0])
		rc = form_put(h, f, "service", c->service);
	if (!rc && scope && *scope)
		rc = drydock_buf_puts(&sc, scope);
	if (!rc && scope2 && *scope2)
		rc = drydock_buf_printf(&sc, "%s%s", sc.len ? " " : "", scope2);
	if (!rc && sc.len)
		rc = form_put(h, f, "scope", sc.ptr);
	if (!rc)
		rc = form_put(h, f, "client_id", "drydock");
	drydock_buf_release(&sc);
	return rc;
}

/*
 * A bearer token for scope (and scope2) under challenge c, from the cache
 * or the token server, on a separate handle (the token server may be
 * another host). With an identity token: the OAuth2 POST to the realm,
 * and when the realm answers 404 (no OAuth2 endpoint) the GET below with
 * the identity token as the Basic password. Else GET
 * realm?service=&scope=[&scope=] with Basic credentials when we have
 * them (anonymous is allowed).
 */
static int fetch_token(struct drydock_registry *reg, const struct challenge *c,
		       const char *scope, const char *scope2, const char *name,
		       const char **token_out, struct drydock_err *err)
{
	struct drydock_buf url = DRYDOCK_BUF_INIT(16384);
	struct drydock_buf form =
		DRYDOCK_BUF_INIT(3 * DRYDOCK_MAX_IDENTITY_TOKEN_BYTES + 32768);
	struct drydock_buf body = DRYDOCK_BUF_INIT(DRYDOCK_MAX_TOKEN_BYTES);
	CURL *h = NULL;
	char *key = NULL, *tok = NULL, *esc;
	json_t *doc = NULL;
	const char *t;
	long long exp_in = DEFAULT_TOKEN_LIFETIME;
	long status = 0;
	int rc = 0, oauth = 0;

	key = token_key(c, scope);
	if (!key)
		return DRYDOCK_ENOMEM;
	t = token_find(reg, key);
	if (t) {
		free(key);
		*token_out = t;
		return 0;
	}
	h = drydock_curl.easy_init();
	if (!h) {
		rc = DRYDOCK_ENOMEM;
		goto out;
	}
	rc = drydock_buf_printf(&url, "%s%c", c->realm,
				strchr(c->realm, '?') ? '&' : '?');
	if (!rc && c->service[0]) {
		esc = drydock_curl.easy_escape(h, c->service, 0);
		rc = esc ? drydock_buf_printf(&url, "service=%s", esc)
			 : DRYDOCK_ENOMEM;
		drydock_curl.mem_free(esc);
	}
	for (int i = 0; !rc && i < 2; i++) {
		const char *sc = i ? scope2 : scope;

		if (!sc || !*sc)
			continue;
		esc = drydock_curl.easy_escape(h, sc, 0);
		rc = esc ? drydock_buf_printf(&url, "&scope=%s", esc)
			 : DRYDOCK_ENOMEM;
		drydock_curl.mem_free(esc);
	}
	if (rc)
		goto out;
	if (reg->identity_token) {
		oauth = 1;
		rc = oauth_form(h, reg, c, scope, scope2, &form);
		if (!rc)
			rc = token_http(reg, h, c->realm, form.ptr, NULL, NULL,
					name, c->realm, &status, &body, err);
		if (!rc && status == 404) {
			oauth = 0;
			rc = token_http(reg, h, url.ptr, NULL,
					reg->username ? reg->username : "",
					reg->identity_token, name, c->realm,
					&status, &body, err);
		}
	} else {
		rc = token_http(reg, h, url.ptr, NULL, reg->username,
				reg->password, name, c->realm, &status, &body,
				err);
	}
	if (rc)
		goto out;
	/* OAuth2 answers a bad refresh token with 400 invalid_grant */
	if (status == 401 || status == 403 || (oauth && status == 400)) {
		rc = drydock_err_set(err, DRYDOCK_EAUTH,
				     "'%s': token server '%s' refused the %s "
				     "(HTTP %ld)",
				     name, c->realm,
				     reg->identity_token ? "identity token"
							 : "credentials",
				     status);
		goto out;
	}
	if (status != 200) {
		rc = drydock_err_set(
			err, DRYDOCK_EAUTH,
			"'%s': token server '%s' answered HTTP %ld%s", name,
			c->realm, status,
			oauth ? " to the OAuth2 request" : "");
		goto out;
	}
	doc = drydock_json_load(body.ptr ? body.ptr : "", body.len,
				DRYDOCK_MAX_TOKEN_BYTES, c->realm, err);
	if (!doc) {
		rc = err ? err->code : DRYDOCK_ECORRUPT;
		goto out;
	}
	/* "token" and "access_token" are equivalent; either may appear (the
	 * OAuth2 answer has access_token only) */
	t = drydock_json_str(doc, "token");
	if (!t || !*t)
		t = drydock_json_str(doc, "access_token");
	if (!t || !*t) {
		rc = drydock_err_set(err, DRYDOCK_EAUTH,
				     "'%s': token server '%s' sent no token",
				     name, c->realm);
		goto out;
	}
	if (drydock_json_int(doc, "expires_in", &exp_in) || exp_in <= 0)
		exp_in = DEFAULT_TOKEN_LIFETIME;
	if (exp_in > 86400)
		exp_in = 86400;
	tok = strdup(t);
	if (!tok) {
		rc = DRYDOCK_ENOMEM;
		goto out;
	}
	token_store(reg, key, tok,
		    time(NULL) + (time_t)exp_in -
			    (exp_in > 2 * TOKEN_MARGIN ? TOKEN_MARGIN : 0));
	*token_out = tok;
	key = NULL;
out:
	json_decref(doc);
	free(key);
	drydock_buf_release(&url);
	if (form.ptr)
		memset(form.ptr, 0, form.len);
	drydock_buf_release(&form);
	drydock_buf_release(&body);
	if (h)
		drydock_curl.easy_cleanup(h);
	return rc;
}

/* The request ------------------------------------------------------------ */

static void sleep_ms(long long ms)
{
	struct timespec ts;

	ts.tv_sec = (time_t)(ms / 1000);
	ts.tv_nsec = (long)(ms % 1000) * 1000000L;
	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static int transient_curl(CURLcode cc)
{
	return cc == CURLE_COULDNT_CONNECT || cc == CURLE_RECV_ERROR ||
	       cc == CURLE_SEND_ERROR || cc == CURLE_OPERATION_TIMEDOUT ||
	       cc == CURLE_GOT_NOTHING || cc == CURLE_PARTIAL_FILE;
}

static CURLcode perform_once(struct drydock_registry *reg, struct req *rq,
			     const char *auth_header)
{
	struct curl_slist *hdrs = NULL;
	struct upload_state up = {rq, 0};
	char line[HDR_VALUE_MAX + 64];
	CURL *c = reg->curl;
	CURLcode cc;

	drydock_curl.easy_reset(c);
	rq->status = 0;
	rq->delivered = 0;
	rq->sink_rc = 0;
	rq->content_length = -1;
	rq->sink_curl = c;
	drydock_buf_reset(&rq->errbody);
	if (rq->body)
		drydock_buf_reset(rq->body);
	set_transfer(reg, c, rq->url, rq);
	if (rq->follow) {
		/* libcurl drops a custom Authorization header when a redirect
		 * leaves the host (CURLOPT_UNRESTRICTED_AUTH stays 0) */
		drydock_curl.easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
		drydock_curl.easy_setopt(c, CURLOPT_MAXREDIRS, 5L);
	}
	if (!strcmp(rq->method, "HEAD")) {
		drydock_curl.easy_setopt(c, CURLOPT_NOBODY, 1L);
	} else if (!strcmp(rq->method, "GET")) {
		drydock_curl.easy_setopt(c, CURLOPT_HTTPGET, 1L);
	} else {
		drydock_curl.easy_setopt(c, CURLOPT_CUSTOMREQUEST, rq->method);
		drydock_curl.easy_setopt(c, CURLOPT_UPLOAD, 1L);
		drydock_curl.easy_setopt(c, CURLOPT_READFUNCTION, on_read);
		drydock_curl.easy_setopt(c, CURLOPT_READDATA, &up);
		drydock_curl.easy_setopt(
			c, CURLOPT_INFILESIZE_LARGE,
			(curl_off_t)(rq->read_cb ? rq->upload_len
						 : (long long)rq->len));
		/* no "Expect: 100-continue" round trip */
		hdrs = drydock_curl.slist_append(hdrs, "Expect:");
	}
	if (rq->accept) {
		snprintf(line, sizeof(line), "Accept: %s", rq->accept);
		hdrs = drydock_curl.slist_append(hdrs, line);
	}
	if (rq->content_type) {
		snprintf(line, sizeof(line), "Content-Type: %s",
			 rq->content_type);
		hdrs = drydock_curl.slist_append(hdrs, line);
	}
	if (rq->content_range) {
		snprintf(line, sizeof(line), "Content-Range: %s",
			 rq->content_range);
		hdrs = drydock_curl.slist_append(hdrs, line);
	}
	if (auth_header)
		hdrs = drydock_curl.slist_append(hdrs, auth_header);
	drydock_curl.easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
	cc = drydock_curl.easy_perform(c);
	drydock_curl.easy_getinfo(c, CURLINFO_RESPONSE_CODE, &rq->status);
	drydock_curl.slist_free_all(hdrs);
	return cc;
}

/* "Authorization: Basic base64(user:pass)" */
static char *basic_header(const struct drydock_registry *reg)
{
	struct drydock_buf raw = DRYDOCK_BUF_INIT(8192);
	struct drydock_buf h = DRYDOCK_BUF_INIT(16384);
	char *out = NULL;
	unsigned char *enc;
	int n;

	if (drydock_buf_printf(&raw, "%s:%s", reg->username, reg->password))
		goto done;
	enc = malloc(raw.len / 3 * 4 + 8);
	if (!enc)
		goto done;
	n = EVP_EncodeBlock(enc, (const unsigned char *)raw.ptr, (int)raw.len);
	if (n >= 0 && !drydock_buf_printf(&h, "Authorization: Basic %.*s", n,
					  (const char *)enc))
		out = drydock_buf_detach(&h, NULL);
	free(enc);
done:
	if (raw.ptr)
		memset(raw.ptr, 0, raw.len);
	drydock_buf_release(&raw);
	drydock_buf_release(&h);
	return out;
}

/* The Authorization header for rq under the last challenge, or NULL. */
static int auth_for(struct drydock_registry *reg, struct req *rq, char **hdr,
		    struct drydock_err *err)
{
	const char *tok = NULL;
	int rc;

	*hdr = NULL;
	if (reg->chal.scheme == AUTH_BASIC) {
		if (!reg->username)
			return 0;
		*hdr = basic_header(reg);
		return *hdr ? 0 : DRYDOCK_ENOMEM;
	}
	if (reg->chal.scheme != AUTH_BEARER)
		return 0;
	rc = fetch_token(reg, &reg->chal,
			 rq->scope ? rq->scope : reg->chal.scope, rq->scope2,
			 rq->name, &tok, err);
	if (rc)
		return rc;
	{
		struct drydock_buf h =
			DRYDOCK_BUF_INIT(DRYDOCK_MAX_TOKEN_BYTES + 64);

		if (drydock_buf_printf(&h, "Authorization: Bearer %s", tok))
			return DRYDOCK_ELIMIT;
		*hdr = drydock_buf_detach(&h, NULL);
	}
	return *hdr ? 0 : DRYDOCK_ENOMEM;
}

int http_do(struct drydock_registry *reg, struct req *rq,
	    struct drydock_err *err)
{
	int attempt = 0, auth_tried = 0, rc = 0;
	long long wait_ms = reg->backoff_ms;
	char *auth = NULL;
	CURLcode cc;

	drydock_buf_init(&rq->errbody, 64 * 1024);
	rq->name = rq->name ? rq->name : rq->url;
	rc = auth_for(reg, rq, &auth, err);
	if (rc)
		goto out;
	for (;;) {
		int retry = 0;
		long long delay;

		cc = perform_once(reg, rq, auth);
		if (rq->sink_rc) {
			rc = rq->sink_rc;
			if (err && !err->code)
				drydock_err_set(
					err, rc, "'%s': %s", rq->name,
					"transfer stopped by the reader");
			goto out;
		}
		if (cc != CURLE_OK) {
			if (transient_curl(cc) && !rq->delivered &&
			    !rq->read_cb && attempt < reg->retries)
				retry = 1;
			else {
				rc = drydock_err_set(err, DRYDOCK_EIO,
						     "'%s': %s", rq->name,
						     curl_reason(cc));
				goto out;
			}
		} else if (rq->status == 401 && !auth_tried &&
			   rq->www_auth[0]) {
			struct challenge ch;

			auth_tried = 1;
			if (challenge_parse(rq->www_auth, &ch)) {
				rc = drydock_err_set(
					err, DRYDOCK_EAUTH,
					"'%s': unusable authentication "
					"challenge '%.200s'",
					rq->name, rq->www_auth);
				goto out;
			}
			if (ch.scheme == AUTH_BASIC && !reg->username)
				goto out; /* no credentials: report the 401 */
			if (rq->read_cb)
				goto out; /* the body cannot be sent again */
			reg->chal = ch;
			free(auth);
			auth = NULL;
			rc = auth_for(reg, rq, &auth, err);
			if (rc)
				goto out;
			continue;
		} else if ((rq->status == 429 || rq->status == 503) &&
			   attempt < reg->retries && !rq->read_cb) {
			retry = 1;
		}
		if (!retry)
			break;
		delay = wait_ms;
		if (rq->retry_after[0]) {
			long long s = retry_after_seconds(rq->retry_after,
							  time(NULL));

			if (s > DRYDOCK_MAX_RETRY_AFTER_SECONDS) {
				rc = drydock_err_set(
					err, DRYDOCK_ETIMEOUT,
					"'%s': registry asks to retry after "
					"%lld s (more than %d s)",
					rq->name, s,
					DRYDOCK_MAX_RETRY_AFTER_SECONDS);
				goto out;
			}
			if (s >= 0)
				delay = s * 1000;
		}
		attempt++;
		reg->retries_done++;
		sleep_ms(delay);
		if (wait_ms < 30000)
			wait_ms *= 2;
	}
out:
	free(auth);
	rq->anonymous =
		rq->status == 401 && !reg->username && !reg->identity_token;
	if (rc)
		drydock_buf_release(&rq->errbody);
	return rc;
}

int http_status_error(const struct req *rq, struct drydock_err *err)
{
	const char *code = NULL, *msg = NULL;
	json_t *doc = NULL, *e;
	int dc;

	if (rq->errbody.len)
		doc = json_loadb(rq->errbody.ptr, rq->errbody.len, 0, NULL);
	e = doc ? json_array_get(json_object_get(doc, "errors"), 0) : NULL;
	if (json_is_object(e)) {
		code = drydock_json_str(e, "code");
		msg = drydock_json_str(e, "message");
	}
	switch (rq->status) {
	case 401:
	case 403:
		dc = DRYDOCK_EAUTH;
		break;
	case 404:
		dc = DRYDOCK_ENOTFOUND;
		break;
	case 429:
		dc = DRYDOCK_ETIMEOUT;
		break;
	default:
		dc = DRYDOCK_ERROR;
	}
	drydock_err_set(err, dc, "'%s': HTTP %ld%s%.60s%s%.200s%s", rq->name,
			rq->status, code ? " " : "", code ? code : "",
			msg ? ": " : "", msg ? msg : "",
			rq->anonymous ? " (no credentials for this registry)"
				      : "");
	json_decref(doc);
	return dc;
}

void req_done(struct req *rq)
{
	drydock_buf_release(&rq->errbody);
}
