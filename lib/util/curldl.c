#include "setup.h"

#include <dlfcn.h>
#include <pthread.h>

#include "dl.h"
#include "curldl.h"

struct drydock_curl_api drydock_curl;

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int load_rc = -1;
static const char *load_why = "libcurl not loaded";

/* Debian's sonames of libcurl 4 (OpenSSL, GnuTLS and NSS builds). */
static const char *const sonames[] = {"libcurl.so.4", "libcurl-gnutls.so.4",
				      "libcurl-nss.so.4"};

#define SYM(field, name)                                                       \
	drydock_dl_sym(lib, name, &api.field, sizeof(api.field))

static void load(void)
{
	struct drydock_curl_api api;
	CURLcode (*global_init)(long) = NULL;
	void *lib = NULL;
	size_t i;

	for (i = 0; i < sizeof(sonames) / sizeof(sonames[0]) && !lib; i++)
		lib = dlopen(sonames[i], RTLD_NOW | RTLD_LOCAL);
	if (!lib) {
		load_why = "libcurl (libcurl.so.4) cannot be loaded";
		return;
	}
	memset(&api, 0, sizeof(api));
	if (SYM(easy_init, "curl_easy_init") ||
	    SYM(easy_setopt, "curl_easy_setopt") ||
	    SYM(easy_perform, "curl_easy_perform") ||
	    SYM(easy_getinfo, "curl_easy_getinfo") ||
	    SYM(easy_cleanup, "curl_easy_cleanup") ||
	    SYM(easy_reset, "curl_easy_reset") ||
	    SYM(easy_strerror, "curl_easy_strerror") ||
	    SYM(easy_escape, "curl_easy_escape") ||
	    SYM(mem_free, "curl_free") ||
	    SYM(slist_append, "curl_slist_append") ||
	    SYM(slist_free_all, "curl_slist_free_all") ||
	    SYM(getdate, "curl_getdate") ||
	    drydock_dl_sym(lib, "curl_global_init", &global_init,
			   sizeof(global_init))) {
		load_why = "libcurl lacks a function drydock needs";
		return; /* the library stays loaded: it may be in use */
	}
	if (global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		load_why = "libcurl failed to initialise";
		return;
	}
	drydock_curl = api;
	load_rc = 0;
	load_why = NULL;
}

int drydock_curl_load(const char **why)
{
	pthread_once(&once, load);
	if (why)
		*why = load_why;
	return load_rc;
}
