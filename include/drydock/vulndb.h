#ifndef DRYDOCK_VULNDB_H
#define DRYDOCK_VULNDB_H

/*
 * The vulnerability database: one SQLite file (schema in docs/vulndb.md).
 *
 * Reading: drydock_vulndb_open() opens a database read-only and never
 * changes it; lookups of (namespace, package) use one index and prepared
 * statements. A handle is used by one thread at a time (open one handle
 * per thread).
 *
 * Writing: a database is never modified in place. drydock_vulndb_build_*
 * writes a NEW file beside the target (carrying over the sources not
 * being replaced), fsyncs it and renames it over the target, so readers
 * see the old database or the new one, never a mix, and a crash at any
 * point leaves the old database intact. Writers are serialised by a lock
 * file ("PATH.lock").
 */

#include <stddef.h>
#include <stdint.h>

#include "drydock/feed.h"

struct drydock_err;
struct drydock_vulndb;

/* The schema version this code reads and writes. */
#define DRYDOCK_VULNDB_SCHEMA 1

/*
 * The default database path: $DRYDOCK_DB, else
 * $XDG_CACHE_HOME/drydock/vuln.db, else $HOME/.cache/drydock/vuln.db.
 * Writes at most size bytes into out; returns 0, or DRYDOCK_ENOTFOUND
 * when neither XDG_CACHE_HOME nor HOME is set.
 */
int drydock_vulndb_default_path(char *out, size_t size,
				struct drydock_err *err);

/* Reading */

/*
 * Open the database at path read-only. Fails with DRYDOCK_ENOTFOUND when
 * there is no file, DRYDOCK_ECORRUPT when it is not a drydock database,
 * DRYDOCK_EUNSUPPORTED when its schema version is not ours. The caller
 * owns *out and closes it with drydock_vulndb_close().
 */
int drydock_vulndb_open(struct drydock_vulndb **out, const char *path,
			struct drydock_err *err);
void drydock_vulndb_close(struct drydock_vulndb *db);

/*
 * Call cb for each advisory of package in namespace, ordered by
 * vulnerability id. a->data_source is the source's name. The strings are
 * valid during the callback only. A non-zero return from cb stops the
 * lookup and is returned. Returns 0 (also when there is none), or a
 * negative code.
 */
int drydock_vulndb_lookup(struct drydock_vulndb *db, const char *namespace_,
			  const char *package,
			  int (*cb)(void *payload,
				    const struct drydock_advisory *a),
			  void *payload, struct drydock_err *err);

/* Advisories as an array; owned by the list, freed by _release. */
struct drydock_advisory_list {
	struct drydock_advisory *items;
	size_t n;
	void *priv_;
};

int drydock_vulndb_lookup_list(struct drydock_vulndb *db,
			       const char *namespace_, const char *package,
			       struct drydock_advisory_list *out,
			       struct drydock_err *err);
void drydock_advisory_list_release(struct drydock_advisory_list *l);

/*
 * Details of vulnerability id, merged over the sources that describe it:
 * each text field comes from the first source in priority order (nvd,
 * then osv/ghsa, then vendors) that has it; aliases, references and CVSS
 * ratings are the union of all. v->data_source lists the sources,
 * comma-separated. DRYDOCK_ENOTFOUND when no source describes id. The
 * caller owns *out and frees it with drydock_vulndb_vuln_free().
 */
int drydock_vulndb_vuln(struct drydock_vulndb *db, const char *id,
			struct drydock_vuln **out, struct drydock_err *err);
void drydock_vulndb_vuln_free(struct drydock_vuln *v);

/* One source (an imported feed) as recorded in the metadata. */
struct drydock_vulndb_source {
	const char *name;	 /* "alpine-secdb", "nvd", ... */
	const char *format;	 /* the importer: "alpine-secdb", ... */
	const char *location;	 /* paths or URLs imported, one per line */
	const char *feed_time;	 /* the feed's own timestamp, or NULL */
	const char *imported_at; /* RFC 3339 UTC */
	uint64_t advisories;	 /* advisory rows */
	uint64_t vulns;		 /* vulnerability rows */
	uint64_t records;	 /* records the feed held (both kinds) */
};

/* Metadata getters; strings are owned by db and live until it closes. */
int drydock_vulndb_schema_version(const struct drydock_vulndb *db);
const char *drydock_vulndb_built_at(const struct drydock_vulndb *db);
const char *drydock_vulndb_path(const struct drydock_vulndb *db);
size_t drydock_vulndb_nsources(const struct drydock_vulndb *db);
/* The i-th source (by name), or NULL when i is out of range. */
const struct drydock_vulndb_source *
drydock_vulndb_source(const struct drydock_vulndb *db, size_t i);
/* The source called name, or NULL. */
const struct drydock_vulndb_source *
drydock_vulndb_source_find(const struct drydock_vulndb *db, const char *name);
/* Total advisory and vulnerability rows. */
uint64_t drydock_vulndb_count_advisories(const struct drydock_vulndb *db);
uint64_t drydock_vulndb_count_vulns(const struct drydock_vulndb *db);
/*
 * A metadata value stored by key ("http:<url>:etag", ...), or NULL.
 * Owned by db.
 */
const char *drydock_vulndb_meta(struct drydock_vulndb *db, const char *key);

/* Writing */

struct drydock_vulndb_build;

/*
 * Start building a new database that will replace path. Takes the
 * writers' lock (waiting for another writer), removes temporary files a
 * killed writer left, and creates "PATH.tmp-PID". When path exists it
 * must be a readable drydock database: its sources are carried over
 * unless replaced. The caller owns *out: commit or abort it.
 */
int drydock_vulndb_build_begin(struct drydock_vulndb_build **out,
			       const char *path, struct drydock_err *err);

/*
 * Start (or continue) the source called name: the first call for a name
 * drops every row the old database had for it. format is the importer's
 * name; location is appended to the source's locations. *sink receives
 * the records (its payload belongs to the build).
 */
int drydock_vulndb_build_source(struct drydock_vulndb_build *b,
				const char *name, const char *format,
				const char *location,
				struct drydock_feed_sink *sink,
				struct drydock_err *err);

/* Store a metadata key/value in the new database (NULL value deletes). */
int drydock_vulndb_build_meta(struct drydock_vulndb_build *b, const char *key,
			      const char *value, struct drydock_err *err);

/* Sources replaced in this build so far (their names, by the callback). */
size_t drydock_vulndb_build_nsources(const struct drydock_vulndb_build *b);

/*
 * Finish: copy the old database's other sources, build the index, write
 * metadata, fsync, rename over path, fsync the directory, release the
 * lock. b is freed whatever the result; on failure the old database is
 * untouched.
 */
int drydock_vulndb_build_commit(struct drydock_vulndb_build *b,
				struct drydock_err *err);
/* Discard the new file and release the lock. b may be NULL. */
void drydock_vulndb_build_abort(struct drydock_vulndb_build *b);

/* Importing feed files */

struct drydock_import_stats {
	uint64_t files;	     /* files imported */
	uint64_t skipped;    /* files in directories/archives no importer
				 recognised */
	uint64_t advisories; /* advisory records */
	uint64_t vulns;	     /* vulnerability records */
	uint64_t bytes;	     /* feed bytes read (uncompressed) */
};

/*
 * Import path into b: a file, a directory (walked recursively, in name
 * order), or an archive (.zip, .tar, .tar.gz/.tgz, and single gzip, bzip2,
 * xz or zstd compressed files), recognised by content. Each file's
 * importer is format (an importer name) when not NULL, else detected
 * from its content. A file named on the command line that no importer
 * recognises is an error; such files inside directories and archives
 * are counted in stats->skipped. Records go to the source named
 * source_name, or, when NULL, to a source named after the importer.
 * Errors name the file (and archive member) and the place in it.
 */
int drydock_vulndb_import_path(struct drydock_vulndb_build *b, const char *path,
			       const char *format, const char *source_name,
			       struct drydock_import_stats *stats,
			       struct drydock_err *err);

/* Updating from upstream URLs (drydock db update) */

/* A feed source to fetch: a name, its importer and its URLs. */
struct drydock_feed_source {
	const char *name;
	const char *format;	 /* importer name; NULL: detect by content */
	const char *const *urls; /* NULL-terminated */
};

/*
 * The built-in sources: each feed's official URLs (docs/vulndb.md). Only
 * sources whose importer is built are listed. Static; NULL-terminated by
 * an entry with name NULL.
 */
const struct drydock_feed_source *drydock_vulndb_default_sources(void);

struct drydock_update_opts {
	const char *db_path;
	const char *cache_dir; /* downloads are kept here between updates */
	int offline;	       /* never use the network: cached files only */
	int retries;	       /* per request; < 0: DRYDOCK_MAX_HTTP_RETRIES */
	long retry_delay_ms;   /* first backoff (doubles); 0: 1000 */
	/*
	 * Called during downloads (now/total bytes; total 0 when unknown)
	 * and on events ("not modified", "downloaded", "retrying: ...");
	 * either may be NULL. The library prints nothing itself.
	 */
	void (*progress)(void *payload, const char *source, const char *url,
			 uint64_t now, uint64_t total);
	void (*event)(void *payload, const char *source, const char *url,
		      const char *what);
	void *payload;
};

struct drydock_update_result {
	unsigned sources_changed;   /* re-imported */
	unsigned sources_unchanged; /* every URL answered 304 (or offline) */
	unsigned downloads;	    /* 200 responses */
	unsigned not_modified;	    /* 304 responses */
	int rebuilt;		    /* a new database was written */
	struct drydock_import_stats stats;
};

/*
 * Fetch the sources' URLs (conditionally: If-None-Match/If-Modified-Since
 * from the ETag/Last-Modified stored in the database's metadata, when the
 * earlier download is still in cache_dir), retrying on connection errors,
 * 429 and 5xx with exponential backoff (Retry-After honoured), then
 * rebuild the database with every source that changed (or that the
 * database lacks). Nothing changed: the database is left as it is. Any
 * failure leaves the database untouched; the message names the source
 * and the URL.
 */
int drydock_vulndb_update(const struct drydock_update_opts *o,
			  const struct drydock_feed_source *sources,
			  size_t nsources, struct drydock_update_result *res,
			  struct drydock_err *err);

#endif
