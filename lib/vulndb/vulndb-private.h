#ifndef DRYDOCK_VULNDB_PRIVATE_H
#define DRYDOCK_VULNDB_PRIVATE_H

/* Helpers shared inside lib/vulndb; not a public interface. */

#include <stddef.h>

struct drydock_buf;
struct drydock_vulndb_build;

/*
 * Append to b the SQLite URI that opens path read-only and immutable
 * ("file:PATH?mode=ro&immutable=1", PATH percent-escaped). Immutable is
 * true of our databases: they are replaced by rename, never changed.
 */
int drydock_vulndb_uri(struct drydock_buf *b, const char *path);

/* The current UTC time as RFC 3339 ("2026-11-28T16:00:00Z"). */
void drydock_vulndb_now(char *out, size_t size);

/* The temporary database file of a build. */
const char *drydock_vulndb_build_tmp(const struct drydock_vulndb_build *b);

/*
 * Import the file at path (a file or an archive, like a PATH of
 * drydock_vulndb_import_path) naming it name in errors and recording
 * name (a URL) as the source's location.
 */
struct drydock_import_stats;
struct drydock_err;
int drydock_vulndb_import_as(struct drydock_vulndb_build *b, const char *path,
			     const char *name, const char *format,
			     const char *source_name,
			     struct drydock_import_stats *stats,
			     struct drydock_err *err);

#endif
