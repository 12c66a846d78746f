#ifndef DRYDOCK_REGISTRY_INTERNAL_H
#define DRYDOCK_REGISTRY_INTERNAL_H

/*
 * lib/registry internals shared by its files and its unit tests.
 */

#include <curl/curl.h>

#include "../util/curldl.h"
#include <time.h>

#include "drydock/buf.h"
#include "drydock/registry.h"

#define TOKEN_CACHE_MAX 16
#define HDR_VALUE_MAX 2048

struct token_entry {
	char *key;   /* realm '\n' service '\n' scope */
	char *token; /* the bearer token */
	time_t expires;
};

enum auth_scheme { AUTH_NONE = 0, AUTH_BASIC, AUTH_BEARER };

/* A parsed WWW-Authenticate challenge (RFC 7235 / RFC 6750 syntax). */
struct challenge {
	enum auth_scheme scheme;
	char realm[1024];
	char service[256];
	char scope[1024];
	char error[64];
};

struct drydock_registry {
	CURL *curl;
	char domain[DRYDOCK_REF_NAME_MAX];
	char base[DRYDOCK_REF_NAME_MAX + 16]; /* "https://host" */
	char *username;			      /* resolved credentials */
	char *password;
	char *identity_token; /* OAuth2 refresh token, or NULL */
	char *ca_file;
	int insecure;
	int retries;
	int backoff_ms;
	size_t chunk_size;
	int retries_done;
	/* what the registry asked for last */
	struct challenge chal;
	struct token_entry tokens[TOKEN_CACHE_MAX];
};

/* One HTTP exchange. */
struct req {
	const char *method; /* "GET", "HEAD", "PUT", "POST", "PATCH" */
	const char *url;    /* absolute */
	const char *scope;  /* "repository:a/b:pull" (bearer) */
	const char *scope2; /* a second scope (mount source) or NULL */
	const char *accept;
	const char *content_type;
	const char *name; /* how errors name the request */
	/* request body: data/len, or read_cb of upload_len bytes */
	const void *data;
	size_t len;
	int has_body;
	drydock_registry_read_fn read_cb;
	void *read_payload;
	long long upload_len;
	const char *content_range; /* for PATCH */
	/* response body: into body (2xx only), or to sink */
	struct drydock_buf *body;
	drydock_registry_write_fn sink;
	void *sink_payload;
	int follow; /* follow redirects (GET/HEAD of blobs) */
	/* results */
	long status;
	char content_type_out[256];
	char docker_digest[DRYDOCK_DIGEST_MAX];
	char location[HDR_VALUE_MAX];
	char www_auth[HDR_VALUE_MAX];
	char retry_after[128];
	char oci_subject[DRYDOCK_DIGEST_MAX];
	char range[128];
	int anonymous; /* the 401 came with no credentials to offer */
	long long content_length;
	/* internal */
	struct drydock_buf errbody;
	CURL *sink_curl;
	long long delivered;
	int sink_rc;
};

/*
 * Run rq with authentication and retries. Returns 0 when a response
 * arrived (whatever its status, in rq->status) or a negative code for
 * transport failures, after retries. 401 is answered once by fetching a
 * token or sending Basic credentials.
 */
int http_do(struct drydock_registry *reg, struct req *rq,
	    struct drydock_err *err);

/* Release what http_do kept in rq (the error body). */
void req_done(struct req *rq);

/* Turn a non-2xx response into an error naming rq->name. */
int http_status_error(const struct req *rq, struct drydock_err *err);

/* Parse a WWW-Authenticate value; 0 or -1 when unusable. */
int challenge_parse(const char *value, struct challenge *out);

/*
 * Parse Retry-After (delta seconds or an HTTP date) relative to now;
 * returns the seconds to wait (>= 0) or -1 when unparseable.
 */
long long retry_after_seconds(const char *value, time_t now);

/* Credentials for one registry; every member may be NULL. */
struct creds {
	char *username;
	char *password;
	/* an identity token: an OAuth2 refresh token for the token server
	 * (config.json "identitytoken", or a helper's Secret when its
	 * Username is "<token>") */
	char *identity_token;
};

/* Wipe and free the members of c (not c itself). */
void creds_free(struct creds *c);

/* The key docker uses for domain in config.json and hands to credential
 * helpers: "https://index.docker.io/v1/" for Docker Hub, else domain.
 * Borrowed (domain or static). */
const char *docker_server_address(const char *domain);

/* Whether name may follow "docker-credential-": [A-Za-z0-9._-], not
 * starting with '-' or '.', at most DRYDOCK_MAX_CRED_HELPER_NAME. */
int cred_helper_name_valid(const char *name);

/*
 * Where the docker config file at path (config.json) says domain's
 * credentials are, in the docker CLI's order: the credHelpers entry for
 * the registry, else credsStore, else the auths entry. When a helper
 * applies, its name (after "docker-credential-") is written to helper
 * (helpersz bytes) and out stays empty; else helper is "" and out holds
 * the auths entry's credentials (caller frees with creds_free), or
 * nothing. A missing file means no credentials. Returns 0, or a
 * negative code for a broken file.
 */
int docker_config_lookup(const char *path, const char *domain,
			 struct creds *out, char *helper, size_t helpersz,
			 struct drydock_err *err);

/* docker_config_lookup on the config's len bytes in data; path names it
 * in errors. */
int docker_config_parse(const char *data, size_t len, const char *path,
			const char *domain, struct creds *out, char *helper,
			size_t helpersz, struct drydock_err *err);

/*
 * Parse len bytes of a credential helper's reply to "get"
 * ({"ServerURL","Username","Secret"}) into out (caller frees with
 * creds_free): Username "<token>" makes Secret an identity token; an
 * empty Username and Secret leave out empty (anonymous). helper names
 * the program in errors. Returns 0 or DRYDOCK_ECORRUPT/ELIMIT.
 */
int cred_helper_parse(const char *helper, const char *reply, size_t len,
		      struct creds *out, struct drydock_err *err);

/*
 * Run "docker-credential-<helper> get" (looked up in PATH) with server on
 * its standard input, for at most DRYDOCK_CRED_HELPER_TIMEOUT_MS, and
 * parse its reply into out. "credentials not found" leaves out empty and
 * returns 0. A helper that is missing, fails, times out or answers
 * nonsense gives DRYDOCK_EAUTH (ETIMEOUT, ECORRUPT) with a message naming
 * the helper. Its standard error is discarded.
 */
int cred_helper_get(const char *helper, const char *server, struct creds *out,
		    struct drydock_err *err);
/* cred_helper_get with a deadline of timeout_ms (for the tests) */
int cred_helper_run(const char *helper, const char *server, int timeout_ms,
		    struct creds *out, struct drydock_err *err);

/* repo URL helper: base + "/v2/" + repo + "/" + what */
int registry_url(const struct drydock_registry *reg, struct drydock_buf *b,
		 const char *repo, const char *what, const char *arg);

/* A blob_upload reader over an open file; name is used in messages
 * (attach.c). */
struct fd_src {
	int fd;
	const char *name;
	struct drydock_err *err;
};
long long fd_src_read(void *buf, size_t n, void *payload);

#endif
