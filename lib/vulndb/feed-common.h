#ifndef DRYDOCK_VULNDB_FEED_COMMON_H
#define DRYDOCK_VULNDB_FEED_COMMON_H

/*
 * Helpers shared by the OSV, OVAL and CSAF importers (lib/vulndb/feed_*.c);
 * not a public interface.
 */

#include <jansson.h>
#include <stddef.h>

struct drydock_err;
struct drydock_feed_sink;

/*
 * The CVSS 3.x base score of vector ("CVSS:3.1/AV:N/AC:L/..."), computed
 * with the formula of the CVSS v3.1 specification (section 7.1, with its
 * Roundup of appendix A; for 3.0 vectors the 3.0 Roundup, a plain ceiling
 * to one decimal). Returns the score (0.0 to 10.0), or -1 when vector is
 * not a complete, valid 3.x vector (a metric missing, repeated or
 * unknown).
 */
double drydock_cvss3_base_score(const char *vector);

/* The CVSS 3.x / 4.0 qualitative rating of a score ("none", "low",
 * "medium", "high", "critical"); NULL for a negative score. */
const char *drydock_cvss_rating(double score);

/*
 * A vendor severity word normalised to the vocabulary of feed.h:
 * "critical", "high" (also "important"), "medium" (also "moderate"),
 * "low", "negligible" (also "unimportant"), any other word "unknown".
 * Case-insensitive. NULL for NULL or an empty string.
 */
const char *drydock_feed_severity(const char *word);

/*
 * Import one OSV record (a JSON object, from JSON or YAML) as described
 * in docs/feeds.md. where names the record in messages ("'f.json'" or
 * "'f.json': record 3"); data_source is the importer name.
 */
int drydock_osv_record(const json_t *rec, const char *where,
		       const char *data_source,
		       const struct drydock_feed_sink *sink,
		       struct drydock_err *err);

/*
 * The OVAL importers on a document in memory (the importers' parse_file
 * reads the file itself, streaming). For the fuzz harnesses and tests.
 */
int drydock_oval_ubuntu_parse_memory(const char *data, size_t len,
				     const char *name,
				     const struct drydock_feed_sink *sink,
				     struct drydock_err *err);
int drydock_oval_redhat_parse_memory(const char *data, size_t len,
				     const char *name,
				     const struct drydock_feed_sink *sink,
				     struct drydock_err *err);

#endif
