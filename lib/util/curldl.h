#ifndef DRYDOCK_CURLDL_H
#define DRYDOCK_CURLDL_H

/*
 * libcurl, loaded when first needed (internal to lib/).
 *
 * Most drydock runs never talk HTTP: scans of local images, SBOMs, database
 * imports. Linking libcurl made every process map and relocate its whole
 * library stack (TLS, Kerberos, LDAP, SSH, IDN: about 16 ms of a 24 ms
 * start). Instead the few functions lib/ uses are looked up in
 * libcurl.so.4 on first use. The headers still come from libcurl's -dev
 * package, so the types and constants are checked at build time.
 */

#include <curl/curl.h>
#include <time.h>

struct drydock_curl_api {
	CURL *(*easy_init)(void);
	CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
	CURLcode (*easy_perform)(CURL *);
	CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
	void (*easy_cleanup)(CURL *);
	void (*easy_reset)(CURL *);
	const char *(*easy_strerror)(CURLcode);
	char *(*easy_escape)(CURL *, const char *, int);
	void (*mem_free)(void *);
	struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
	void (*slist_free_all)(struct curl_slist *);
	time_t (*getdate)(const char *, const time_t *);
};

/* Filled by drydock_curl_load(); call that first. */
extern struct drydock_curl_api drydock_curl;

/*
 * Load libcurl and run curl_global_init, once per process (thread-safe).
 * Returns 0, or -1 when libcurl is missing or failed to initialise, with
 * the reason in a static string (*why may be NULL).
 */
int drydock_curl_load(const char **why);

#endif
