#include "../util/setup.h"

/*
 * rpmdb.sqlite (rpm >= 4.16): table Packages(hnum INTEGER PRIMARY KEY,
 * blob BLOB), one header blob per row. The file is opened from memory
 * (sqlite3_deserialize, read-only) in a connection hardened against a
 * hostile file: defensive mode, untrusted schema, no triggers, views,
 * extensions or attached databases, an authorizer that allows reading
 * only, length limits, and a budget of virtual machine steps so a crafted
 * b-tree cannot keep us busy. WAL content in rpmdb.sqlite-wal is not read
 * (rpm checkpoints it when it closes the database).
 */

#include <sqlite3.h>
#include <stdio.h>

#include "drydock/error.h"
#include "drydock/inventory.h"
#include "drydock/limits.h"
#include "rpm-int.h"

static const char sqlite_magic[16] = "SQLite format 3";

/* progress handler granularity (virtual machine instructions) */
#define STEP_GRANULE 1000

struct budget {
	uint64_t left; /* progress callbacks still allowed */
};

int rpm_is_sqlite(const uint8_t *data, size_t len)
{
	return len >= 100 && memcmp(data, sqlite_magic, 16) == 0;
}

static int progress(void *arg)
{
	struct budget *b = arg;

	if (b->left == 0)
		return 1; /* interrupts the statement */
	b->left--;
	return 0;
}

static int authorize(void *arg, int action, const char *a, const char *b,
		     const char *c, const char *d)
{
	(void)arg;
	(void)a;
	(void)b;
	(void)c;
	(void)d;
	return action == SQLITE_SELECT || action == SQLITE_READ ? SQLITE_OK
								: SQLITE_DENY;
}

static int sqlite_code(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_NOMEM:
		return DRYDOCK_ENOMEM;
	case SQLITE_INTERRUPT:
	case SQLITE_TOOBIG:
		return DRYDOCK_ELIMIT;
	default:
		return DRYDOCK_ECORRUPT;
	}
}

static int fail(sqlite3 *db, int rc, const char *name, const char *what,
		struct drydock_err *err)
{
	if ((rc & 0xff) == SQLITE_INTERRUPT)
		return drydock_err_set(
			err, DRYDOCK_ELIMIT,
			"'%s': sqlite: %s: step budget exhausted "
			"(crafted database?)",
			name, what);
	return drydock_err_set(err, sqlite_code(rc), "'%s': sqlite: %s: %s",
			       name, what, db ? sqlite3_errmsg(db) : "failed");
}

static int harden(sqlite3 *db)
{
	static const int on[] = {SQLITE_DBCONFIG_DEFENSIVE};
	static const int off[] = {
		SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION,
		SQLITE_DBCONFIG_ENABLE_TRIGGER,
		SQLITE_DBCONFIG_ENABLE_VIEW,
		SQLITE_DBCONFIG_TRUSTED_SCHEMA,
		SQLITE_DBCONFIG_ENABLE_FKEY,
	};
	size_t i;
	int rc;

	for (i = 0; i < sizeof(on) / sizeof(on[0]); i++)
		if ((rc = sqlite3_db_config(db, on[i], 1, NULL)) != SQLITE_OK)
			return rc;
	for (i = 0; i < sizeof(off) / sizeof(off[0]); i++)
		if ((rc = sqlite3_db_config(db, off[i], 0, NULL)) != SQLITE_OK)
			return rc;
	sqlite3_limit(db, SQLITE_LIMIT_LENGTH,
		      (int)DRYDOCK_MAX_RPM_HEADER_BYTES + 1024);
	sqlite3_limit(db, SQLITE_LIMIT_SQL_LENGTH, 4096);
	sqlite3_limit(db, SQLITE_LIMIT_ATTACHED, 0);
	sqlite3_limit(db, SQLITE_LIMIT_COLUMN, 100);
	sqlite3_limit(db, SQLITE_LIMIT_EXPR_DEPTH, 10);
	sqlite3_limit(db, SQLITE_LIMIT_COMPOUND_SELECT, 2);
	sqlite3_limit(db, SQLITE_LIMIT_FUNCTION_ARG, 2);
	sqlite3_limit(db, SQLITE_LIMIT_TRIGGER_DEPTH, 0);
	/* extra consistency checks on b-tree cells of the crafted file */
	return sqlite3_exec(db,
			    "PRAGMA cell_size_check=ON;"
			    "PRAGMA query_only=ON;"
			    "PRAGMA mmap_size=0;",
			    NULL, NULL, NULL);
}

/*
 * A truncated file can still answer the query when the lost pages are
 * not on its path: compare the size with the page count of the header
 * (valid when the version-valid-for number matches the change counter).
 */
static int check_size(const uint8_t *d, size_t len, const char *name,
		      struct drydock_err *err)
{
	uint32_t psize = (uint32_t)d[16] << 8 | d[17];
	uint32_t pages = rpm_be32(d + 28);

	if (psize == 1)
		psize = 65536;
	if (psize < 512 || (psize & (psize - 1)))
		return drydock_err_set(err, DRYDOCK_ECORRUPT,
				       "'%s': sqlite: bad page size %u", name,
				       psize);
	if (memcmp(d + 24, d + 92, 4) == 0 && pages != 0 &&
	    (uint64_t)pages * psize > len)
		return drydock_err_set(err, DRYDOCK_ECORRUPT,
				       "'%s': sqlite: truncated: %u pages of "
				       "%u bytes in %zu bytes",
				       name, pages, psize, len);
	return 0;
}

int rpm_sqlite_parse(struct drydock_inventory *inv, const uint8_t *data,
		     size_t len, const char *name, struct drydock_err *err)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	unsigned char *copy = NULL;
	struct budget budget;
	size_t rows = 0;
	int rc, ret = 0;

	if (!rpm_is_sqlite(data, len))
		return drydock_err_set(err, DRYDOCK_ECORRUPT,
				       "'%s': sqlite: bad magic", name);
	if (len > DRYDOCK_MAX_KEPT_FILE_BYTES)
		return drydock_err_set(err, DRYDOCK_ELIMIT,
				       "'%s': %zu bytes exceed "
				       "DRYDOCK_MAX_KEPT_FILE_BYTES",
				       name, len);
	if ((ret = check_size(data, len, name, err)) < 0)
		return ret;
	/*
	 * rpm keeps its database in WAL mode (header bytes 18/19 == 2),
	 * which an in-memory database cannot open; the copy marks it as a
	 * rollback-journal database, which reads the same pages. The
	 * copy also lets sqlite own the memory it reads.
	 */
	copy = sqlite3_malloc64(len);
	if (!copy)
		return drydock_err_set(err, DRYDOCK_ENOMEM,
				       "'%s': out of memory", name);
	memcpy(copy, data, len);
	if (copy[18] == 2)
		copy[18] = 1;
	if (copy[19] == 2)
		copy[19] = 1;

	rc = sqlite3_open_v2(":memory:", &db,
			     SQLITE_OPEN_READWRITE | SQLITE_OPEN_MEMORY |
				     SQLITE_OPEN_NOMUTEX |
				     SQLITE_OPEN_EXRESCODE,
			     NULL);
	if (rc != SQLITE_OK) {
		sqlite3_free(copy);
		ret = fail(db, rc, name, "open", err);
		goto out;
	}
	if ((rc = harden(db)) != SQLITE_OK) {
		sqlite3_free(copy);
		ret = fail(db, rc, name, "configure", err);
		goto out;
	}
	/* sqlite owns copy from here, even on failure */
	rc = sqlite3_deserialize(
		db, "main", copy, (sqlite3_int64)len, (sqlite3_int64)len,
		SQLITE_DESERIALIZE_READONLY | SQLITE_DESERIALIZE_FREEONCLOSE);
	if (rc != SQLITE_OK) {
		ret = fail(db, rc, name, "load", err);
		goto out;
	}
	/* about 64 instructions per byte of file: a full scan needs a few
	 * per row; only a crafted file comes near */
	budget.left = 10000 + (uint64_t)len * 64 / STEP_GRANULE;
	sqlite3_progress_handler(db, STEP_GRANULE, progress, &budget);
	sqlite3_set_authorizer(db, authorize, NULL);

	rc = sqlite3_prepare_v2(db, "SELECT hnum, blob FROM main.Packages", -1,
				&st, NULL);
	if (rc != SQLITE_OK) {
		ret = fail(db, rc, name, "reading table Packages", err);
		goto out;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		char record[64];
		const void *blob;
		int n;

		snprintf(record, sizeof(record), "hnum %lld",
			 (long long)sqlite3_column_int64(st, 0));
		if (++rows > DRYDOCK_MAX_PACKAGES) {
			ret = drydock_err_set(err, DRYDOCK_ELIMIT,
					      "'%s': more than "
					      "DRYDOCK_MAX_PACKAGES rows",
					      name);
			goto out;
		}
		if (sqlite3_column_type(st, 1) != SQLITE_BLOB) {
			ret = drydock_err_set(err, DRYDOCK_ECORRUPT,
					      "'%s': %s: blob is not a blob",
					      name, record);
			goto out;
		}
		blob = sqlite3_column_blob(st, 1);
		n = sqlite3_column_bytes(st, 1);
		if (!blob || n <= 0) {
			ret = drydock_err_set(err, DRYDOCK_ECORRUPT,
					      "'%s': %s: empty blob", name,
					      record);
			goto out;
		}
		ret = rpm_header_add(inv, blob, (size_t)n, name, record, err);
		if (ret < 0)
			goto out;
	}
	if (rc != SQLITE_DONE)
		ret = fail(db, rc, name, "reading table Packages", err);
out:
	sqlite3_finalize(st);
	sqlite3_close(db);
	return ret;
}
