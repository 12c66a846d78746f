#ifndef DRYDOCK_FEED_H
#define DRYDOCK_FEED_H

/*
 * Vulnerability feed records, as importers produce them.
 *
 * Importers (lib/vulndb/feed_<name>.c, one per upstream format) parse a
 * feed and emit records through a sink; they know nothing of SQLite. The
 * database writer (lib/vulndb) is one sink; tests use others to count
 * and inspect records.
 *
 * All strings are borrowed for the duration of the callback only; a sink
 * that keeps them copies them. NULL means absent.
 */

#include <stddef.h>

struct drydock_err;

/* Statuses, normalised from every vendor's vocabulary (docs/vulndb.md). */
#define DRYDOCK_STATUS_FIXED "fixed"
#define DRYDOCK_STATUS_AFFECTED "affected"
#define DRYDOCK_STATUS_WILL_NOT_FIX "will_not_fix"
#define DRYDOCK_STATUS_FIX_DEFERRED "fix_deferred"
#define DRYDOCK_STATUS_END_OF_LIFE "end_of_life"
#define DRYDOCK_STATUS_NOT_AFFECTED "not_affected"

/*
 * One package's state for one vulnerability in one namespace.
 *
 * namespace: "alpine:3.20", "alpine:edge", "debian:12", "ubuntu:22.04",
 *   "rhel:8", or an OSV ecosystem in lowercase ("go", "pypi", "npm",
 *   "maven", "crates.io", "debian:12" for OSV Debian records, ...).
 * package: the name matched against: the source package for Debian and
 *   Ubuntu, the origin for Alpine, the source RPM name for Red Hat
 *   (binary names for RPM OVAL tests are kept when no source name is
 *   known), the module/package name for language ecosystems.
 * version_type: "deb", "apk", "rpm", "semver", "ecosystem" (the
 *   ecosystem's own ordering, e.g. PEP 440 for pypi).
 * fixed_version: the first fixed version, NULL when none (affected, no
 *   fix yet). For rpm it is "[epoch:]version-release".
 * ranges: for OSV, the record's "ranges" and "versions" of this package
 *   as compact JSON ({"ranges":[...],"versions":[...]}), else NULL.
 * severity: the vendor's severity in lowercase ("critical", "high",
 *   "medium", "low", "negligible", "unknown"), NULL when not given.
 */
struct drydock_advisory {
	const char *namespace_;
	const char *package;
	const char *vuln_id;
	const char *status;
	const char *version_type;
	const char *fixed_version;
	const char *ranges;
	const char *severity;
	const char *advisory_id; /* "DSA-5000-1", "RHSA-2024:0010", "USN-..." */
	const char *data_source; /* "alpine-secdb", "debian-tracker", ... */
};

/* A CVSS rating from one source. */
struct drydock_cvss {
	const char *source;   /* "nvd", "redhat", "ghsa", ... */
	const char *version;  /* "2.0", "3.0", "3.1", "4.0" */
	const char *vector;   /* "CVSS:3.1/AV:N/..." */
	double score;	      /* base score, < 0 when unknown */
	const char *severity; /* lowercase, may be NULL */
};

/*
 * A vulnerability's description. Several feeds may describe the same id;
 * the writer merges (fields already set are kept unless the new source
 * has priority, see lib/vulndb/writer).
 */
struct drydock_vuln {
	const char *id;
	const char *const *aliases; /* NULL-terminated, may be NULL */
	const char *title;
	const char *description;
	const char *published;	       /* RFC 3339 */
	const char *modified;	       /* RFC 3339 */
	const char *const *references; /* NULL-terminated URLs, may be NULL */
	const struct drydock_cvss *cvss;
	size_t ncvss;
	const char *data_source;
};

struct drydock_feed_sink {
	/* Return 0 to continue, a negative code to stop the import. */
	int (*advisory)(void *payload, const struct drydock_advisory *a);
	int (*vuln)(void *payload, const struct drydock_vuln *v);
	/* The feed's own timestamp (RFC 3339), when the feed states one.
	 * May be NULL in a sink. */
	int (*feed_time)(void *payload, const char *timestamp);
	void *payload;
};

/*
 * An importer: one upstream format. Each lib/vulndb/feed_<name>.c defines
 * one `const struct drydock_importer drydock_importer_<name>`; the table
 * in lib/vulndb/importers.c lists them. Directories and archives (.zip,
 * .tar.gz) are walked by the caller, which offers each file to every
 * importer's detect and gives it to the best.
 */
struct drydock_importer {
	const char *name; /* the --format value: "alpine-secdb", "osv", ... */
	const char *description;
	/*
	 * How surely head (the first bytes of a file, at most 64 KiB, and
	 * the file's path for hints only) is this format: 0 not at all,
	 * 100 certain. Content decides; a name alone must never score
	 * above 10.
	 */
	int (*detect)(const char *head, size_t len, const char *path);
	/* Import a whole file held in memory (JSON, YAML, text). */
	int (*parse)(const char *data, size_t len, const char *name,
		     const struct drydock_feed_sink *sink,
		     struct drydock_err *err);
	/* Or import streaming from a file (large XML); NULL if parse is
	 * used. */
	int (*parse_file)(const char *path, const char *name,
			  const struct drydock_feed_sink *sink,
			  struct drydock_err *err);
};

/* All importers, NULL-terminated. */
const struct drydock_importer *const *drydock_importers(void);
/* The importer named name, or NULL. */
const struct drydock_importer *drydock_importer_find(const char *name);
/* The importer that recognises head best, or NULL when none scores. */
const struct drydock_importer *
drydock_importer_detect(const char *head, size_t len, const char *path);

#endif
