#ifndef DRYDOCK_VULNDB_SCHEMA_H
#define DRYDOCK_VULNDB_SCHEMA_H

/*
 * The database schema (docs/vulndb.md), shared by the reader (db.c) and
 * the writer (build.c). Private to lib/vulndb.
 *
 * Every data row carries the id of the source that produced it, so a
 * source is replaced by dropping its rows. The one index the matcher
 * needs, advisory (namespace, package), is created after the bulk insert.
 * Vulnerabilities are stored per source and merged when read.
 */

#define VULNDB_SCHEMA_SQL                                                      \
	"CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)"         \
	" WITHOUT ROWID;"                                                      \
	"CREATE TABLE source(id INTEGER PRIMARY KEY,"                          \
	" name TEXT NOT NULL UNIQUE, format TEXT NOT NULL,"                    \
	" location TEXT NOT NULL, feed_time TEXT, imported_at TEXT NOT NULL,"  \
	" advisories INTEGER NOT NULL DEFAULT 0,"                              \
	" vulns INTEGER NOT NULL DEFAULT 0,"                                   \
	" records INTEGER NOT NULL DEFAULT 0);"                                \
	"CREATE TABLE advisory(namespace TEXT NOT NULL, package TEXT NOT "     \
	"NULL,"                                                                \
	" vuln_id TEXT NOT NULL, status TEXT NOT NULL, version_type TEXT,"     \
	" fixed_version TEXT, ranges TEXT, severity TEXT, advisory_id TEXT,"   \
	" source_id INTEGER NOT NULL);"                                        \
	"CREATE TABLE vuln(id TEXT NOT NULL, source_id INTEGER NOT NULL,"      \
	" title TEXT, description TEXT, published TEXT, modified TEXT,"        \
	" PRIMARY KEY(id, source_id)) WITHOUT ROWID;"                          \
	"CREATE TABLE vuln_alias(vuln_id TEXT NOT NULL, alias TEXT NOT NULL,"  \
	" source_id INTEGER NOT NULL,"                                         \
	" PRIMARY KEY(vuln_id, alias, source_id)) WITHOUT ROWID;"              \
	"CREATE TABLE vuln_ref(vuln_id TEXT NOT NULL, url TEXT NOT NULL,"      \
	" source_id INTEGER NOT NULL,"                                         \
	" PRIMARY KEY(vuln_id, url, source_id)) WITHOUT ROWID;"                \
	"CREATE TABLE vuln_cvss(vuln_id TEXT NOT NULL,"                        \
	" source_id INTEGER NOT NULL, rater TEXT NOT NULL,"                    \
	" version TEXT NOT NULL, vector TEXT NOT NULL, score REAL,"            \
	" severity TEXT,"                                                      \
	" PRIMARY KEY(vuln_id, source_id, rater, version, vector))"            \
	" WITHOUT ROWID;"

#define VULNDB_INDEX_SQL                                                       \
	"CREATE INDEX advisory_by_package ON advisory(namespace, package);"

/* Tables whose rows belong to a source, copied on rebuild. */
#define VULNDB_DATA_TABLES                                                     \
	"advisory", "vuln", "vuln_alias", "vuln_ref", "vuln_cvss"

#endif
