#ifndef DRYDOCK_SCANREPORT_H
#define DRYDOCK_SCANREPORT_H

/*
 * Scan reports: the findings of one image in four formats.
 *  - json: drydock's own schema "drydock.report/v1" (docs/report-json.md)
 *  - table: for people, grouped by package, with a summary line
 *  - sarif: SARIF 2.1.0 for code-scanning tabs (a rule per vulnerability)
 *  - cyclonedx: CycloneDX 1.5 with vulnerabilities[]
 * All are deterministic: the same input gives the same bytes.
 */

#include <stddef.h>

struct drydock_buf;
struct drydock_err;
struct drydock_inventory;
struct drydock_layer_info;
struct drydock_match_result;

enum drydock_scan_format {
	DRYDOCK_SCAN_TABLE = 1,
	DRYDOCK_SCAN_JSON,
	DRYDOCK_SCAN_SARIF,
	DRYDOCK_SCAN_CYCLONEDX
};

/* One source of the database, for the report's db section. */
struct drydock_scan_db_source {
	const char *name;
	const char *feed_time; /* may be NULL */
	long long records;
};

struct drydock_scan_report {
	const char *name;	   /* the image as given */
	const char *digest;	   /* manifest digest or "" */
	const char *config_digest; /* or "" */
	const char *platform;	   /* or "" */
	const struct drydock_layer_info *const *layers;
	size_t nlayers;
	const char *base_name;	 /* NULL when unknown */
	const char *base_digest; /* NULL when unknown */
	const struct drydock_inventory *inv;
	const struct drydock_match_result *res;
	/* per package of inv: 1 from the base image, 0 not, -1 unknown;
	 * NULL when unknown for all */
	const int *pkg_in_base;
	const char *db_built; /* NULL when no database */
	const char *db_schema;
	const struct drydock_scan_db_source *db_sources;
	size_t ndb_sources;
	int show_suppressed; /* include suppressed findings (marked) */
	int color;	     /* table: ANSI colours */
};

/* Parse "table", "json", "sarif", "cyclonedx"; 0 when unknown. */
enum drydock_scan_format drydock_scan_format_parse(const char *s);

int drydock_scan_report_write(struct drydock_buf *out,
			      enum drydock_scan_format f,
			      const struct drydock_scan_report *rep,
			      struct drydock_err *err);

#endif
