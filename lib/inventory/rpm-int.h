#ifndef DRYDOCK_RPM_INT_H
#define DRYDOCK_RPM_INT_H

/*
 * Internal interface between the rpm database readers (rpm_sqlite.c,
 * rpm_bdb.c, rpm_ndb.c) and the header blob reader (rpm_header.c).
 * See docs/rpm.md for the formats.
 */

#include <stddef.h>
#include <stdint.h>

struct drydock_err;
struct drydock_inventory;

/*
 * Append the package described by one header blob (il/dl intro, index,
 * data store, all big-endian; an 8-byte header magic in front is
 * accepted). name is the database path (messages, db_path); record
 * describes the record inside it for messages ("record 12"), or NULL.
 * On error nothing is appended and err names name, record and problem.
 */
int rpm_header_add(struct drydock_inventory *inv, const uint8_t *blob,
		   size_t len, const char *name, const char *record,
		   struct drydock_err *err);

/*
 * The per-format readers: each appends every package of the database
 * through rpm_header_add. On error the caller (drydock_rpm_parse_db)
 * removes what was appended.
 */
int rpm_sqlite_parse(struct drydock_inventory *inv, const uint8_t *data,
		     size_t len, const char *name, struct drydock_err *err);
int rpm_bdb_parse(struct drydock_inventory *inv, const uint8_t *data,
		  size_t len, const char *name, struct drydock_err *err);
int rpm_ndb_parse(struct drydock_inventory *inv, const uint8_t *data,
		  size_t len, const char *name, struct drydock_err *err);

/* Recognisers by content (first bytes): 1 when data looks like one. */
int rpm_is_sqlite(const uint8_t *data, size_t len);
int rpm_is_bdb(const uint8_t *data, size_t len);
int rpm_is_ndb(const uint8_t *data, size_t len);

static inline uint32_t rpm_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static inline uint32_t rpm_le32(const uint8_t *p)
{
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[1] << 8 | (uint32_t)p[0];
}

#endif
