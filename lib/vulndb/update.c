#include "../util/setup.h"

#include "../util/curldl.h"
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "drydock/digest.h"
#include "drydock/error.h"
#include "drydock/feed.h"
#include "drydock/limits.h"
#include "drydock/strnum.h"
#include "drydock/vulndb.h"
#include "vulndb-private.h"

/*
 * drydock db update: download each source's URLs into a cache directory
 * (conditional requests against the ETag/Last-Modified recorded in the
 * database), then rebuild the database with the sources that changed.
 *
 * The cache keeps the last good download of every URL, so a source whose
 * URLs partly answer 304 can still be re-imported whole (a source is
 * always replaced whole). A download goes to "FILE.part" and is renamed
 * into place only when complete.
 */

/* Sources and URLs: the official locations (docs/vulndb.md). */
static const char *const alpine_urls[] = {
	"https://secdb.alpinelinux.org/v3.16/main.json",
	"https://secdb.alpinelinux.org/v3.16/community.json",
	"https://secdb.alpinelinux.org/v3.17/main.json",
	"https://secdb.alpinelinux.org/v3.17/community.json",
	"https://secdb.alpinelinux.org/v3.18/main.json",
	"https://secdb.alpinelinux.org/v3.18/community.json",
	"https://secdb.alpinelinux.org/v3.19/main.json",
	"https://secdb.alpinelinux.org/v3.19/community.json",
	"https://secdb.alpinelinux.org/v3.20/main.json",
	"https://secdb.alpinelinux.org/v3.20/community.json",
	"https://secdb.alpinelinux.org/v3.21/main.json",
	"https://secdb.alpinelinux.org/v3.21/community.json",
	"https://secdb.alpinelinux.org/v3.22/main.json",
	"https://secdb.alpinelinux.org/v3.22/community.json",
	"https://secdb.alpinelinux.org/edge/main.json",
	"https://secdb.alpinelinux.org/edge/community.json",
	NULL,
};
static const char *const debian_tracker_urls[] = {
	"https://security-tracker.debian.org/tracker/data/json",
	NULL,
};
static const char *const debian_dsa_urls[] = {
	"https://salsa.debian.org/security-tracker-team/security-tracker/"
	"-/raw/master/data/DSA/list",
	"https://salsa.debian.org/security-tracker-team/security-tracker/"
	"-/raw/master/data/DLA/list",
	NULL,
};
static const char *const ubuntu_urls[] = {
	"https://security-metadata.canonical.com/oval/"
	"com.ubuntu.focal.usn.oval.xml.bz2",
	"https://security-metadata.canonical.com/oval/"
	"com.ubuntu.jammy.usn.oval.xml.bz2",
	"https://security-metadata.canonical.com/oval/"
	"com.ubuntu.noble.usn.oval.xml.bz2",
	NULL,
};
static const char *const redhat_urls[] = {
	"https://access.redhat.com/security/data/oval/v2/RHEL8/"
	"rhel-8.oval.xml.bz2",
	"https://access.redhat.com/security/data/oval/v2/RHEL9/"
	"rhel-9.oval.xml.bz2",
	NULL,
};
static const char *const osv_urls[] = {
	"https://osv-vulnerabilities.storage.googleapis.com/Go/all.zip",
	"https://osv-vulnerabilities.storage.googleapis.com/PyPI/all.zip",
	"https://osv-vulnerabilities.storage.googleapis.com/npm/all.zip",
	"https://osv-vulnerabilities.storage.googleapis.com/Maven/all.zip",
	"https://osv-vulnerabilities.storage.googleapis.com/crates.io/all.zip",
	"https://osv-vulnerabilities.storage.googleapis.com/RubyGems/all.zip",
	"https://osv-vulnerabilities.storage.googleapis.com/Packagist/all.zip",
	"https://osv-vulnerabilities.storage.googleapis.com/NuGet/all.zip",
	NULL,
};

static const struct drydock_feed_source all_defaults[] = {
	{"alpine-secdb", "alpine-secdb", alpine_urls},
	{"debian-tracker", "debian-tracker", debian_tracker_urls},
	{"debian-dsa", "debian-dsa", debian_dsa_urls},
	{"ubuntu-oval", "ubuntu-oval", ubuntu_urls},
	{"redhat-oval", "redhat-oval", redhat_urls},
	{"osv", "osv", osv_urls},
	{NULL, NULL, NULL},
};

const struct drydock_feed_source *drydock_vulndb_default_sources(void)
{
	/* filled once; every call computes the same (the importers are
	 * linked or not) */
	static struct drydock_feed_source
		avail[sizeof(all_defaults) / sizeof(all_defaults[0])];
	size_t i, n = 0;

	for (i = 0; all_defaults[i].name; i++)
		if (drydock_importer_find(all_defaults[i].format))
			avail[n++] = all_defaults[i];
	avail[n].name = NULL;
	return avail;
}

struct fetch {
	const struct drydock_update_opts *o;
	const char *source;
	const char *url;
	FILE *out;
	uint64_t bytes;
	int too_big;
	char etag[512];
	char last_modified[128];
	long retry_after; /* seconds, -1 when absent */
};

static size_t on_body(char *p, size_t size, size_t n, void *payload)
{
	struct fetch *f = payload;
	size_t len = size * n;

	if (f->bytes + len > DRYDOCK_MAX_FEED_DOWNLOAD_BYTES) {
		f->too_big = 1;
		return 0;
	}
	if (fwrite(p, 1, len, f->out) != len)
		return 0;
	f->bytes += len;
	return len;
}

/* Copy a header's value (trimmed) into out when line is "name: value". */
static int header_value(const char *line, size_t len, const char *name,
			char *out, size_t size)
{
	size_t nl = strlen(name), i, j;

	if (len <= nl + 1 || strncasecmp(line, name, nl) || line[nl] != ':')
		return 0;
	i = nl + 1;
	while (i < len && (line[i] == ' ' || line[i] == '\t'))
		i++;
	j = len;
	while (j > i && (line[j - 1] == '\r' || line[j - 1] == '\n' ||
			 line[j - 1] == ' '))
		j--;
	if (j - i >= size)
		return 0;
	memcpy(out, line + i, j - i);
	out[j - i] = '\0';
	return 1;
}

static size_t on_header(char *p, size_t size, size_t n, void *payload)
{
	struct fetch *f = payload;
	size_t len = size * n;
	char v[64];

	/* a new response (after a redirect): forget the earlier one's */
	if (len > 5 && !strncmp(p, "HTTP/", 5)) {
		f->etag[0] = f->last_modified[0] = '\0';
		f->retry_after = -1;
	}
	header_value(p, len, "etag", f->etag, sizeof(f->etag));
	header_value(p, len, "last-modified", f->last_modified,
		     sizeof(f->last_modified));
	if (header_value(p, len, "retry-after", v, sizeof(v))) {
		uint64_t s;

		if (!drydock_strnum_u64(v, strlen(v), 3600, &s))
			f->retry_after = (long)s;
	}
	return len;
}

static int on_progress(void *payload, curl_off_t dltotal, curl_off_t dlnow,
		       curl_off_t ultotal, curl_off_t ulnow)
{
	struct fetch *f = payload;

	(void)ultotal;
	(void)ulnow;
	if (f->o->progress)
		f->o->progress(f->o->payload, f->source, f->url,
			       (uint64_t)dlnow, (uint64_t)dltotal);
	return 0;
}

static void event(const struct drydock_update_opts *o, const char *source,
		  const char *url, const char *what)
{
	if (o->event)
		o->event(o->payload, source, url, what);
}

static void sleep_ms(long ms)
{
	struct timespec ts;

	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000L;
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static int transient_curl(CURLcode c)
{
	return c == CURLE_COULDNT_CONNECT || c == CURLE_COULDNT_RESOLVE_HOST ||
	       c == CURLE_OPERATION_TIMEDOUT || c == CURLE_RECV_ERROR ||
	       c == CURLE_SEND_ERROR || c == CURLE_GOT_NOTHING ||
	       c == CURLE_PARTIAL_FILE || c == CURLE_HTTP2 ||
	       c == CURLE_HTTP2_STREAM || c == CURLE_SSL_CONNECT_ERROR;
}

static int transient_http(long status)
{
	return status == 408 || status == 429 || status == 500 ||
	       status == 502 || status == 503 || status == 504;
}

/*
 * GET url into path (via path.part). *changed is 1 on 200, 0 on 304.
 * etag/lastmod: the stored validators (may be NULL); the new ones are
 * left in f.
 */
static int fetch_url(struct fetch *f, const char *path, const char *etag,
		     const char *lastmod, int *changed, struct drydock_err *err)
{
	const struct drydock_update_opts *o = f->o;
	char part[PATH_MAX + 8], ua[64], cerr[CURL_ERROR_SIZE];
	int attempts = o->retries < 0 ? DRYDOCK_MAX_HTTP_RETRIES : o->retries;
	long delay = o->retry_delay_ms > 0 ? o->retry_delay_ms : 1000;
	int attempt, rc = 0;

	if (snprintf(part, sizeof(part), "%s.part", path) >= (int)sizeof(part))
		return drydock_err_set(err, DRYDOCK_ELIMIT,
				       "'%s': path too long", path);
	snprintf(ua, sizeof(ua), "drydock/%s", DRYDOCK_VERSION);
	for (attempt = 0;; attempt++) {
		struct curl_slist *hdrs = NULL;
		CURL *c = drydock_curl.easy_init();
		CURLcode cc;
		long status = 0;
		char h[700];
		int https = !strncmp(f->url, "https://", 8);

		if (!c)
			return drydock_err_set(err, DRYDOCK_ENOMEM,
					       "out of memory");
		f->out = fopen(part, "wbe");
		if (!f->out) {
			drydock_curl.easy_cleanup(c);
			return drydock_err_errno(err, errno, part);
		}
		f->bytes = 0;
		f->too_big = 0;
		f->etag[0] = f->last_modified[0] = '\0';
		f->retry_after = -1;
		cerr[0] = '\0';
		if (etag && *etag) {
			snprintf(h, sizeof(h), "If-None-Match: %s", etag);
			hdrs = drydock_curl.slist_append(hdrs, h);
		}
		if (lastmod && *lastmod) {
			snprintf(h, sizeof(h), "If-Modified-Since: %s",
				 lastmod);
			hdrs = drydock_curl.slist_append(hdrs, h);
		}
		drydock_curl.easy_setopt(c, CURLOPT_URL, f->url);
		drydock_curl.easy_setopt(c, CURLOPT_PROTOCOLS_STR,
					 "http,https");
		/* never let a redirect downgrade https to http */
		drydock_curl.easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR,
					 https ? "https" : "http,https");
		drydock_curl.easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
		drydock_curl.easy_setopt(c, CURLOPT_MAXREDIRS, 5L);
		drydock_curl.easy_setopt(c, CURLOPT_USERAGENT, ua);
		drydock_curl.easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
		drydock_curl.easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
		drydock_curl.easy_setopt(c, CURLOPT_WRITEDATA, f);
		drydock_curl.easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
		drydock_curl.easy_setopt(c, CURLOPT_HEADERDATA, f);
		drydock_curl.easy_setopt(c, CURLOPT_XFERINFOFUNCTION,
					 on_progress);
		drydock_curl.easy_setopt(c, CURLOPT_XFERINFODATA, f);
		drydock_curl.easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
		drydock_curl.easy_setopt(c, CURLOPT_ERRORBUFFER, cerr);
		drydock_curl.easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 30L);
		/* a stalled transfer (under 1 KB/s for a minute) fails */
		drydock_curl.easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1024L);
		drydock_curl.easy_setopt(c, CURLOPT_LOW_SPEED_TIME, 60L);
		drydock_curl.easy_setopt(
			c, CURLOPT_MAXFILESIZE_LARGE,
			(curl_off_t)DRYDOCK_MAX_FEED_DOWNLOAD_BYTES);
		drydock_curl.easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
		drydock_curl.easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
		cc = drydock_curl.easy_perform(c);
		drydock_curl.easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
		drydock_curl.easy_cleanup(c);
		drydock_curl.slist_free_all(hdrs);
		if (fclose(f->out) != 0 && cc == CURLE_OK)
			cc = CURLE_WRITE_ERROR;
		f->out = NULL;
		if (cc == CURLE_OK && status == 304) {
			unlink(part);
			*changed = 0;
			return 0;
		}
		if (cc == CURLE_OK && status >= 200 && status < 300) {
			if (rename(part, path) < 0) {
				rc = drydock_err_errno(err, errno, path);
				unlink(part);
				return rc;
			}
			*changed = 1;
			return 0;
		}
		unlink(part);
		if (f->too_big || cc == CURLE_FILESIZE_EXCEEDED)
			return drydock_err_set(
				err, DRYDOCK_ELIMIT,
				"'%s': source '%s': download "
				"larger than %llu bytes",
				f->url, f->source,
				(unsigned long long)
					DRYDOCK_MAX_FEED_DOWNLOAD_BYTES);
		if (attempt >= attempts ||
		    !(cc != CURLE_OK ? transient_curl(cc)
				     : transient_http(status))) {
			if (cc != CURLE_OK)
				return drydock_err_set(
					err,
					cc == CURLE_OPERATION_TIMEDOUT
						? DRYDOCK_ETIMEOUT
						: DRYDOCK_EIO,
					"'%s': source '%s': %s%s", f->url,
					f->source,
					cerr[0] ? cerr
						: drydock_curl.easy_strerror(
							  cc),
					attempt ? " (after retries)" : "");
			return drydock_err_set(
				err,
				status == 401 || status == 403 ? DRYDOCK_EAUTH
				: status == 404 ? DRYDOCK_ENOTFOUND
						: DRYDOCK_EIO,
				"'%s': source '%s': HTTP status %ld%s", f->url,
				f->source, status,
				attempt ? " (after retries)" : "");
		}
		{
			long wait = f->retry_after >= 0 ? f->retry_after * 1000
							: delay;
			char what[96];

			if (wait > 60000)
				wait = 60000;
			if (cc != CURLE_OK)
				snprintf(what, sizeof(what),
					 "retrying in %ld ms: %s", wait,
					 drydock_curl.easy_strerror(cc));
			else
				snprintf(what, sizeof(what),
					 "retrying in %ld ms: HTTP status %ld",
					 wait, status);
			event(o, f->source, f->url, what);
			sleep_ms(wait);
			if (delay < 30000)
				delay *= 2;
		}
	}
}

/* The cache file of a URL: CACHE/SOURCE/<sha256(url)[:16]>-<basename>. */
static int cache_file(const char *cache, const char *source, const char *url,
		      char *out, size_t size, struct drydock_err *err)
{
	char dg[DRYDOCK_DIGEST_MAX], base[80];
	const char *slash, *q;
	size_t i, n;

	drydock_digest_sha256(url, strlen(url), dg);
	q = strpbrk(url, "?#");
	n = q ? (size_t)(q - url) : strlen(url);
	for (slash = url + n; slash > url && slash[-1] != '/'; slash--)
		;
	n = (size_t)(url + n - slash);
	if (n >= sizeof(base))
		n = sizeof(base) - 1;
	for (i = 0; i < n; i++) {
		char c = slash[i];

		base[i] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
					  (c >= '0' && c <= '9') || c == '.' ||
					  c == '-' || c == '_'
				  ? c
				  : '_';
	}
	base[n] = '\0';
	for (i = 0; source[i]; i++) {
		char c = source[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '.' || c == '-' ||
		      c == '_') ||
		    (i == 0 && c == '.'))
			return drydock_err_set(err, DRYDOCK_EUSAGE,
					       "source name '%s': use letters, "
					       "digits, '.', '-' and '_'",
					       source);
	}
	if (snprintf(out, size, "%s/%s/%.16s-%s", cache, source,
		     drydock_digest_hex(dg), n ? base : "feed") >= (int)size)
		return drydock_err_set(err, DRYDOCK_ELIMIT,
				       "'%s': path too long", cache);
	return 0;
}

static int mkdirs(const char *dir, struct drydock_err *err)
{
	char p[PATH_MAX];
	size_t i, n = strlen(dir);

	if (n >= sizeof(p))
		return drydock_err_set(err, DRYDOCK_ELIMIT,
				       "'%s': path too long", dir);
	memcpy(p, dir, n + 1);
	for (i = 1; i <= n; i++) {
		if (p[i] == '/' || p[i] == '\0') {
			char c = p[i];

			p[i] = '\0';
			if (mkdir(p, 0755) < 0 && errno != EEXIST)
				return drydock_err_errno(err, errno, p);
			p[i] = c;
		}
	}
	return 0;
}

struct url_state {
	char path[PATH_MAX];
	char etag[512];
	char lastmod[128];
	int changed;
};

static void meta_key(char *out, size_t size, const char *url, const char *k)
{
	snprintf(out, size, "http:%s:%s", url, k);
}

int drydock_vulndb_update(const struct drydock_update_opts *o,
			  const struct drydock_feed_source *sources,
			  size_t nsources, struct drydock_update_result *res,
			  struct drydock_err *err)
{
	struct drydock_vulndb *old = NULL;
	struct drydock_vulndb_build *b = NULL;
	struct url_state **states;
	char key[4200], dir[PATH_MAX];
	size_t i, j, nurls;
	int rc = 0, *src_changed;

	memset(res, 0, sizeof(*res));
	if (!o->offline) {
		const char *why;

		if (drydock_curl_load(&why))
			return drydock_err_set(err, DRYDOCK_ERROR, "%s", why);
	}
	rc = drydock_vulndb_open(&old, o->db_path, err);
	if (rc == DRYDOCK_ENOTFOUND) {
		old = NULL;
		rc = 0;
		drydock_err_clear(err);
	}
	if (rc)
		return rc;
	states = calloc(nsources ? nsources : 1, sizeof(*states));
	src_changed = calloc(nsources ? nsources : 1, sizeof(*src_changed));
	if (!states || !src_changed) {
		rc = drydock_err_set(err, DRYDOCK_ENOMEM, "out of memory");
		goto out;
	}
	for (i = 0; i < nsources && !rc; i++) {
		const struct drydock_feed_source *s = &sources[i];

		for (nurls = 0; s->urls && s->urls[nurls]; nurls++)
			;
		if (!nurls || nurls > DRYDOCK_MAX_FEED_URLS) {
			rc = drydock_err_set(
				err, DRYDOCK_EUSAGE, "source '%s': %s", s->name,
				nurls ? "too many URLs" : "no URL");
			break;
		}
		states[i] = calloc(nurls, sizeof(**states));
		if (!states[i]) {
			rc = drydock_err_set(err, DRYDOCK_ENOMEM,
					     "out of memory");
			break;
		}
		snprintf(dir, sizeof(dir), "%s/%s", o->cache_dir, s->name);
		rc = cache_file(o->cache_dir, s->name, s->urls[0],
				states[i][0].path, sizeof(states[i][0].path),
				err);
		if (!rc && !o->offline)
			rc = mkdirs(dir, err);
		/* a source the database lacks is imported even when every
		 * URL answers 304 */
		if (!old || !drydock_vulndb_source_find(old, s->name))
			src_changed[i] = 1;
		for (j = 0; j < nurls && !rc; j++) {
			struct url_state *u = &states[i][j];
			const char *v;
			struct stat st;
			int have;
			struct fetch f;

			rc = cache_file(o->cache_dir, s->name, s->urls[j],
					u->path, sizeof(u->path), err);
			if (rc)
				break;
			have = stat(u->path, &st) == 0 && S_ISREG(st.st_mode);
			if (o->offline) {
				if (!have) {
					rc = drydock_err_set(
						err, DRYDOCK_ENOTFOUND,
						"'%s': source '%s': not "
						"downloaded yet, and --offline "
						"refuses the network",
						s->urls[j], s->name);
					break;
				}
				continue;
			}
			if (have && old) {
				meta_key(key, sizeof(key), s->urls[j], "etag");
				v = drydock_vulndb_meta(old, key);
				snprintf(u->etag, sizeof(u->etag), "%s",
					 v ? v : "");
				meta_key(key, sizeof(key), s->urls[j],
					 "last-modified");
				v = drydock_vulndb_meta(old, key);
				snprintf(u->lastmod, sizeof(u->lastmod), "%s",
					 v ? v : "");
			}
			memset(&f, 0, sizeof(f));
			f.o = o;
			f.source = s->name;
			f.url = s->urls[j];
			rc = fetch_url(&f, u->path, u->etag, u->lastmod,
				       &u->changed, err);
			if (rc)
				break;
			if (u->changed) {
				res->downloads++;
				src_changed[i] = 1;
				snprintf(u->etag, sizeof(u->etag), "%s",
					 f.etag);
				snprintf(u->lastmod, sizeof(u->lastmod), "%s",
					 f.last_modified);
				event(o, s->name, s->urls[j], "downloaded");
			} else {
				res->not_modified++;
				event(o, s->name, s->urls[j], "not modified");
			}
		}
	}
	if (rc)
		goto out;
	for (i = 0; i < nsources; i++) {
		if (src_changed[i])
			res->sources_changed++;
		else
			res->sources_unchanged++;
	}
	if (!res->sources_changed)
		goto out; /* up to date: leave the database as it is */
	rc = drydock_vulndb_build_begin(&b, o->db_path, err);
	for (i = 0; i < nsources && !rc; i++) {
		const struct drydock_feed_source *s = &sources[i];

		if (!src_changed[i])
			continue;
		for (j = 0; s->urls[j] && !rc; j++) {
			struct url_state *u = &states[i][j];

			rc = drydock_vulndb_import_as(b, u->path, s->urls[j],
						      s->format, s->name,
						      &res->stats, err);
			if (rc)
				break;
			/* validators of this download; those of 304 answers
			 * and offline runs stay as the copied metadata has
			 * them */
			if (!u->changed)
				continue;
			meta_key(key, sizeof(key), s->urls[j], "etag");
			rc = drydock_vulndb_build_meta(
				b, key, u->etag[0] ? u->etag : NULL, err);
			meta_key(key, sizeof(key), s->urls[j], "last-modified");
			if (!rc)
				rc = drydock_vulndb_build_meta(
					b, key,
					u->lastmod[0] ? u->lastmod : NULL, err);
		}
	}
	if (!rc) {
		rc = drydock_vulndb_build_commit(b, err);
		b = NULL;
		if (!rc)
			res->rebuilt = 1;
	}
out:
	drydock_vulndb_build_abort(b);
	drydock_vulndb_close(old);
	if (states)
		for (i = 0; i < nsources; i++)
			free(states[i]);
	free(states);
	free(src_changed);
	return rc;
}
