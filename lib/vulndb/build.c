#include "../util/setup.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <sqlite3.h>
#include <stdio.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "drydock/buf.h"
#include "drydock/error.h"
#include "drydock/feed.h"
#include "drydock/limits.h"
#include "drydock/vulndb.h"
#include "schema.h"
#include "vulndb-private.h"

/*
 * The database writer. A build writes "PATH.tmp-PID" with journaling off
 * (the file is private until renamed, so a crash only leaves garbage the
 * next writer removes), inside one transaction, then fsyncs it and
 * renames it over PATH. Sources of the old database that this build does
 * not replace are copied over at commit with INSERT ... SELECT.
 */

struct build_source {
	long long id;
	char *name;
	uint64_t advisories; /* advisory records received */
	uint64_t vulns;	     /* vulnerability records received */
	char *feed_time;
	struct build_source *next;
};

struct drydock_vulndb_build {
	char *path;
	char *tmp;
	char *lockpath;
	int lockfd;
	int has_old;
	sqlite3 *db;
	sqlite3_stmt *ins_adv, *ins_vuln, *ins_alias, *ins_ref, *ins_cvss;
	struct build_source *sources;
	struct build_source *cur;
	long long next_id;
	/* the sink in use: payload of every callback */
	struct sink_ctx {
		struct drydock_vulndb_build *b;
		struct build_source *s;
	} ctx;
};

static int sql_err(sqlite3 *db, struct drydock_err *err, const char *what,
		   const char *path)
{
	int code = sqlite3_errcode(db);

	return drydock_err_set(err,
			       code == SQLITE_FULL    ? DRYDOCK_EIO
			       : code == SQLITE_IOERR ? DRYDOCK_EIO
			       : code == SQLITE_CORRUPT || code == SQLITE_NOTADB
				       ? DRYDOCK_ECORRUPT
				       : DRYDOCK_ERROR,
			       "'%s': %s: %s", path, what, sqlite3_errmsg(db));
}

static int exec(struct drydock_vulndb_build *b, const char *sql,
		struct drydock_err *err)
{
	if (sqlite3_exec(b->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return sql_err(b->db, err, "database write failed", b->tmp);
	return 0;
}

void drydock_vulndb_now(char *out, size_t size)
{
	struct tm tm;
	time_t t = time(NULL);

	gmtime_r(&t, &tm);
	strftime(out, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* mkdir -p of path's parent directory. */
static int make_parent(const char *path, struct drydock_err *err)
{
	char dir[PATH_MAX];
	size_t i, n = strlen(path);

	if (n >= sizeof(dir))
		return drydock_err_set(err, DRYDOCK_ELIMIT,
				       "'%s': path too long", path);
	memcpy(dir, path, n + 1);
	while (n > 0 && dir[n - 1] != '/')
		n--;
	if (n <= 1)
		return 0;
	dir[n - 1] = '\0';
	for (i = 1; i <= n - 1; i++) {
		if (dir[i] == '/' || dir[i] == '\0') {
			char c = dir[i];

			dir[i] = '\0';
			if (mkdir(dir, 0755) && errno != EEXIST)
				return drydock_err_errno(err, errno, dir);
			dir[i] = c;
		}
	}
	return 0;
}

/* Remove "PATH.tmp-*" left by writers that died (we hold the lock). */
static void remove_stale(const char *path)
{
	char dir[PATH_MAX], base[PATH_MAX], full[PATH_MAX];
	const char *slash = strrchr(path, '/');
	size_t blen;
	DIR *d;
	struct dirent *e;

	if (slash) {
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path + 1),
			 path);
		snprintf(base, sizeof(base), "%s.tmp-", slash + 1);
	} else {
		snprintf(dir, sizeof(dir), "./");
		snprintf(base, sizeof(base), "%s.tmp-", path);
	}
	blen = strlen(base);
	d = opendir(dir);
	if (!d)
		return;
	while ((e = readdir(d))) {
		if (strncmp(e->d_name, base, blen))
			continue;
		if (snprintf(full, sizeof(full), "%s%s", dir, e->d_name) <
		    (int)sizeof(full))
			unlink(full);
	}
	closedir(d);
}

static int prepare(struct drydock_vulndb_build *b, sqlite3_stmt **st,
		   const char *sql, struct drydock_err *err)
{
	if (sqlite3_prepare_v3(b->db, sql, -1, SQLITE_PREPARE_PERSISTENT, st,
			       NULL) != SQLITE_OK)
		return sql_err(b->db, err, "cannot prepare statement", b->tmp);
	return 0;
}

/* Carry the old database's metadata and source list over. */
static int attach_old(struct drydock_vulndb_build *b, struct drydock_err *err)
{
	struct drydock_buf uri = DRYDOCK_BUF_INIT(PATH_MAX * 3 + 64);
	sqlite3_stmt *st = NULL;
	int rc, ver = -1;

	rc = drydock_vulndb_uri(&uri, b->path);
	if (rc) {
		drydock_buf_release(&uri);
		return drydock_err_set(err, rc, "'%s': path too long", b->path);
	}
	if (sqlite3_prepare_v2(b->db, "ATTACH ? AS old", -1, &st, NULL) !=
	    SQLITE_OK) {
		drydock_buf_release(&uri);
		return sql_err(b->db, err, "cannot attach", b->path);
	}
	sqlite3_bind_text(st, 1, uri.ptr, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	drydock_buf_release(&uri);
	if (rc != SQLITE_DONE)
		return sql_err(b->db, err, "cannot open the existing database",
			       b->path);
	if (sqlite3_prepare_v2(b->db,
			       "SELECT value FROM old.meta WHERE "
			       "key='schema_version'",
			       -1, &st, NULL) != SQLITE_OK)
		return drydock_err_set(err, DRYDOCK_ECORRUPT,
				       "'%s': not a drydock vulnerability "
				       "database (%s)",
				       b->path, sqlite3_errmsg(b->db));
	if (sqlite3_step(st) == SQLITE_ROW)
		ver = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (ver != DRYDOCK_VULNDB_SCHEMA)
		return drydock_err_set(err, DRYDOCK_EUNSUPPORTED,
				       "'%s': database schema version %d, this "
				       "drydock writes %d: remove the file and "
				       "import all feeds again",
				       b->path, ver, DRYDOCK_VULNDB_SCHEMA);
	b->has_old = 1;
	rc = exec(b,
		  "INSERT INTO meta SELECT * FROM old.meta;"
		  "INSERT INTO source SELECT * FROM old.source;",
		  err);
	if (rc)
		return rc;
	if (sqlite3_prepare_v2(b->db, "SELECT coalesce(max(id), 0) FROM source",
			       -1, &st, NULL) != SQLITE_OK)
		return sql_err(b->db, err, "cannot read sources", b->path);
	if (sqlite3_step(st) == SQLITE_ROW)
		b->next_id = sqlite3_column_int64(st, 0) + 1;
	sqlite3_finalize(st);
	return 0;
}

int drydock_vulndb_build_begin(struct drydock_vulndb_build **out,
			       const char *path, struct drydock_err *err)
{
	struct drydock_vulndb_build *b;
	struct stat stt;
	char buf[PATH_MAX];
	int rc;

	*out = NULL;
	if (strlen(path) + 32 >= PATH_MAX)
		return drydock_err_set(err, DRYDOCK_ELIMIT,
				       "'%s': path too long", path);
	rc = make_parent(path, err);
	if (rc)
		return rc;
	b = calloc(1, sizeof(*b));
	if (!b)
		return drydock_err_set(err, DRYDOCK_ENOMEM, "out of memory");
	b->lockfd = -1;
	b->next_id = 1;
	b->path = strdup(path);
	snprintf(buf, sizeof(buf), "%s.lock", path);
	b->lockpath = strdup(buf);
	snprintf(buf, sizeof(buf), "%s.tmp-%ld", path, (long)getpid());
	b->tmp = strdup(buf);
	if (!b->path || !b->lockpath || !b->tmp) {
		drydock_vulndb_build_abort(b);
		return drydock_err_set(err, DRYDOCK_ENOMEM, "out of memory");
	}
	b->lockfd = open(b->lockpath, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (b->lockfd < 0) {
		rc = drydock_err_errno(err, errno, b->lockpath);
		drydock_vulndb_build_abort(b);
		return rc;
	}
	while (flock(b->lockfd, LOCK_EX) < 0) {
		if (errno != EINTR) {
			rc = drydock_err_errno(err, errno, b->lockpath);
			drydock_vulndb_build_abort(b);
			return rc;
		}
	}
	remove_stale(path);
	if (sqlite3_open_v2(b->tmp, &b->db,
			    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
				    SQLITE_OPEN_URI,
			    NULL) != SQLITE_OK) {
		rc = sql_err(b->db, err, "cannot create database", b->tmp);
		drydock_vulndb_build_abort(b);
		return rc;
	}
	sqlite3_limit(b->db, SQLITE_LIMIT_ATTACHED, 1);
	rc = exec(b,
		  "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;"
		  "PRAGMA locking_mode=EXCLUSIVE; PRAGMA cache_size=-65536;"
		  "PRAGMA temp_store=MEMORY; BEGIN;" VULNDB_SCHEMA_SQL
		  "CREATE TEMP TABLE replaced(id INTEGER PRIMARY KEY);",
		  err);
	if (!rc && stat(path, &stt) == 0)
		rc = attach_old(b, err);
	if (!rc)
		rc = prepare(b, &b->ins_adv,
			     "INSERT INTO advisory VALUES(?,?,?,?,?,?,?,?,?,?)",
			     err);
	if (!rc)
		rc = prepare(b, &b->ins_vuln,
			     "INSERT INTO vuln VALUES(?1,?2,?3,?4,?5,?6) "
			     "ON CONFLICT DO UPDATE SET "
			     "title=coalesce(title,?3),"
			     "description=coalesce(description,?4),"
			     "published=coalesce(published,?5),"
			     "modified=coalesce(modified,?6)",
			     err);
	if (!rc)
		rc = prepare(b, &b->ins_alias,
			     "INSERT OR IGNORE INTO vuln_alias VALUES(?,?,?)",
			     err);
	if (!rc)
		rc = prepare(b, &b->ins_ref,
			     "INSERT OR IGNORE INTO vuln_ref VALUES(?,?,?)",
			     err);
	if (!rc)
		rc = prepare(b, &b->ins_cvss,
			     "INSERT OR IGNORE INTO vuln_cvss "
			     "VALUES(?,?,?,?,?,?,?)",
			     err);
	if (rc) {
		drydock_vulndb_build_abort(b);
		return rc;
	}
	*out = b;
	return 0;
}

static void bind_opt(sqlite3_stmt *st, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

static int step_reset(struct drydock_vulndb_build *b, sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc != SQLITE_DONE)
		return DRYDOCK_EIO;
	(void)b;
	return 0;
}

static int valid_status(const char *s)
{
	static const char *const all[] = {
		DRYDOCK_STATUS_FIXED,	     DRYDOCK_STATUS_AFFECTED,
		DRYDOCK_STATUS_WILL_NOT_FIX, DRYDOCK_STATUS_FIX_DEFERRED,
		DRYDOCK_STATUS_END_OF_LIFE,  DRYDOCK_STATUS_NOT_AFFECTED,
	};
	size_t i;

	for (i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		if (!strcmp(s, all[i]))
			return 1;
	return 0;
}

static int sink_advisory(void *payload, const struct drydock_advisory *a)
{
	struct sink_ctx *c = payload;
	sqlite3_stmt *st = c->b->ins_adv;

	if (!a->namespace_ || !a->package || !a->vuln_id || !a->status ||
	    !*a->namespace_ || !*a->package || !*a->vuln_id ||
	    !valid_status(a->status))
		return DRYDOCK_ECORRUPT;
	sqlite3_bind_text(st, 1, a->namespace_, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, a->package, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, a->vuln_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, a->status, -1, SQLITE_STATIC);
	bind_opt(st, 5, a->version_type);
	bind_opt(st, 6, a->fixed_version);
	bind_opt(st, 7, a->ranges);
	bind_opt(st, 8, a->severity);
	bind_opt(st, 9, a->advisory_id);
	sqlite3_bind_int64(st, 10, c->s->id);
	c->s->advisories++;
	return step_reset(c->b, st);
}

static int sink_vuln(void *payload, const struct drydock_vuln *v)
{
	struct sink_ctx *c = payload;
	struct drydock_vulndb_build *b = c->b;
	long long sid = c->s->id;
	size_t i;
	int rc;

	if (!v->id || !*v->id)
		return DRYDOCK_ECORRUPT;
	sqlite3_bind_text(b->ins_vuln, 1, v->id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(b->ins_vuln, 2, sid);
	bind_opt(b->ins_vuln, 3, v->title);
	bind_opt(b->ins_vuln, 4, v->description);
	bind_opt(b->ins_vuln, 5, v->published);
	bind_opt(b->ins_vuln, 6, v->modified);
	rc = step_reset(b, b->ins_vuln);
	for (i = 0; !rc && v->aliases && v->aliases[i]; i++) {
		if (!strcmp(v->aliases[i], v->id))
			continue;
		sqlite3_bind_text(b->ins_alias, 1, v->id, -1, SQLITE_STATIC);
		sqlite3_bind_text(b->ins_alias, 2, v->aliases[i], -1,
				  SQLITE_STATIC);
		sqlite3_bind_int64(b->ins_alias, 3, sid);
		rc = step_reset(b, b->ins_alias);
	}
	for (i = 0; !rc && v->references && v->references[i]; i++) {
		sqlite3_bind_text(b->ins_ref, 1, v->id, -1, SQLITE_STATIC);
		sqlite3_bind_text(b->ins_ref, 2, v->references[i], -1,
				  SQLITE_STATIC);
		sqlite3_bind_int64(b->ins_ref, 3, sid);
		rc = step_reset(b, b->ins_ref);
	}
	for (i = 0; !rc && i < v->ncvss; i++) {
		const struct drydock_cvss *cv = &v->cvss[i];

		if (!cv->vector || !cv->version)
			continue;
		sqlite3_bind_text(b->ins_cvss, 1, v->id, -1, SQLITE_STATIC);
		sqlite3_bind_int64(b->ins_cvss, 2, sid);
		sqlite3_bind_text(b->ins_cvss, 3,
				  cv->source ? cv->source : "unknown", -1,
				  SQLITE_STATIC);
		sqlite3_bind_text(b->ins_cvss, 4, cv->version, -1,
				  SQLITE_STATIC);
		sqlite3_bind_text(b->ins_cvss, 5, cv->vector, -1,
				  SQLITE_STATIC);
		if (cv->score >= 0)
			sqlite3_bind_double(b->ins_cvss, 6, cv->score);
		else
			sqlite3_bind_null(b->ins_cvss, 6);
		bind_opt(b->ins_cvss, 7, cv->severity);
		rc = step_reset(b, b->ins_cvss);
	}
	c->s->vulns++;
	return rc;
}

static int sink_feed_time(void *payload, const char *ts)
{
	struct sink_ctx *c = payload;

	if (!ts || !*ts)
		return 0;
	/* the latest stamp of the source's files (RFC 3339 sorts) */
	if (c->s->feed_time && strcmp(c->s->feed_time, ts) >= 0)
		return 0;
	free(c->s->feed_time);
	c->s->feed_time = strdup(ts);
	return c->s->feed_time ? 0 : DRYDOCK_ENOMEM;
}

int drydock_vulndb_build_source(struct drydock_vulndb_build *b,
				const char *name, const char *format,
				const char *location,
				struct drydock_feed_sink *sink,
				struct drydock_err *err)
{
	struct build_source *s;
	sqlite3_stmt *st = NULL;
	char now[32];
	int rc;

	for (s = b->sources; s; s = s->next)
		if (!strcmp(s->name, name))
			break;
	if (!s) {
		s = calloc(1, sizeof(*s));
		if (!s || !(s->name = strdup(name))) {
			free(s);
			return drydock_err_set(err, DRYDOCK_ENOMEM,
					       "out of memory");
		}
		s->id = b->next_id++;
		s->next = b->sources;
		b->sources = s;
		/* drop the old database's rows of this source at commit */
		if (sqlite3_prepare_v2(b->db,
				       "INSERT INTO temp.replaced SELECT id "
				       "FROM source WHERE name=?1;"
				       "",
				       -1, &st, NULL) != SQLITE_OK)
			return sql_err(b->db, err, "cannot replace source",
				       b->tmp);
		sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
		sqlite3_finalize(st);
		if (rc != SQLITE_DONE)
			return sql_err(b->db, err, "cannot replace source",
				       b->tmp);
		drydock_vulndb_now(now, sizeof(now));
		if (sqlite3_prepare_v2(b->db,
				       "DELETE FROM source WHERE name=?1", -1,
				       &st, NULL) != SQLITE_OK)
			return sql_err(b->db, err, "cannot replace source",
				       b->tmp);
		sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
		sqlite3_finalize(st);
		if (rc != SQLITE_DONE)
			return sql_err(b->db, err, "cannot replace source",
				       b->tmp);
		if (sqlite3_prepare_v2(b->db,
				       "INSERT INTO source(id, name, format, "
				       "location, imported_at) "
				       "VALUES(?,?,?,'',?)",
				       -1, &st, NULL) != SQLITE_OK)
			return sql_err(b->db, err, "cannot add source", b->tmp);
		sqlite3_bind_int64(st, 1, s->id);
		sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, format, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, now, -1, SQLITE_TRANSIENT);
		rc = sqlite3_step(st);
		sqlite3_finalize(st);
		if (rc != SQLITE_DONE)
			return sql_err(b->db, err, "cannot add source", b->tmp);
	}
	/* append location unless listed (one per line) */
	if (location &&
	    sqlite3_prepare_v2(
		    b->db,
		    "UPDATE source SET location = CASE "
		    "WHEN location = '' THEN ?2 "
		    "WHEN instr(char(10) || location || char(10), "
		    "char(10) || ?2 || char(10)) THEN location "
		    "ELSE location || char(10) || ?2 END WHERE id = ?1",
		    -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, s->id);
		sqlite3_bind_text(st, 2, location, -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
		sqlite3_finalize(st);
		if (rc != SQLITE_DONE)
			return sql_err(b->db, err, "cannot update source",
				       b->tmp);
	}
	b->cur = s;
	b->ctx.b = b;
	b->ctx.s = s;
	sink->advisory = sink_advisory;
	sink->vuln = sink_vuln;
	sink->feed_time = sink_feed_time;
	sink->payload = &b->ctx;
	return 0;
}

int drydock_vulndb_build_meta(struct drydock_vulndb_build *b, const char *key,
			      const char *value, struct drydock_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(b->db,
			       value ? "INSERT OR REPLACE INTO meta VALUES(?,?)"
				     : "DELETE FROM meta WHERE key=?",
			       -1, &st, NULL) != SQLITE_OK)
		return sql_err(b->db, err, "cannot write metadata", b->tmp);
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	if (value)
		sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return sql_err(b->db, err, "cannot write metadata", b->tmp);
	return 0;
}

size_t drydock_vulndb_build_nsources(const struct drydock_vulndb_build *b)
{
	const struct build_source *s;
	size_t n = 0;

	for (s = b->sources; s; s = s->next)
		n++;
	return n;
}

static int fsync_path(const char *path, int dir, struct drydock_err *err)
{
	int fd =
		open(path, (dir ? O_RDONLY | O_DIRECTORY : O_RDWR) | O_CLOEXEC);
	int rc = 0;

	if (fd < 0)
		return drydock_err_errno(err, errno, path);
	if (fsync(fd) < 0)
		rc = drydock_err_errno(err, errno, path);
	close(fd);
	return rc;
}

static int finish_sources(struct drydock_vulndb_build *b,
			  struct drydock_err *err)
{
	struct build_source *s;
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(
		    b->db,
		    "UPDATE source SET advisories = ?2, records = ?3, "
		    "feed_time = ?4, vulns = (SELECT count(*) FROM vuln "
		    "WHERE source_id = ?1) WHERE id = ?1",
		    -1, &st, NULL) != SQLITE_OK)
		return sql_err(b->db, err, "cannot update sources", b->tmp);
	for (s = b->sources; s; s = s->next) {
		sqlite3_bind_int64(st, 1, s->id);
		sqlite3_bind_int64(st, 2, (sqlite3_int64)s->advisories);
		sqlite3_bind_int64(st, 3,
				   (sqlite3_int64)(s->advisories + s->vulns));
		bind_opt(st, 4, s->feed_time);
		rc = sqlite3_step(st);
		sqlite3_reset(st);
		if (rc != SQLITE_DONE) {
			sqlite3_finalize(st);
			return sql_err(b->db, err, "cannot update sources",
				       b->tmp);
		}
	}
	sqlite3_finalize(st);
	return 0;
}

static int copy_old(struct drydock_vulndb_build *b, struct drydock_err *err)
{
	static const char *const tables[] = {VULNDB_DATA_TABLES};
	char sql[256];
	size_t i;
	int rc;

	for (i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
		snprintf(sql, sizeof(sql),
			 "INSERT INTO main.%s SELECT * FROM old.%s WHERE "
			 "source_id NOT IN (SELECT id FROM temp.replaced)",
			 tables[i], tables[i]);
		rc = exec(b, sql, err);
		if (rc)
			return rc;
	}
	return 0;
}

int drydock_vulndb_build_commit(struct drydock_vulndb_build *b,
				struct drydock_err *err)
{
	char now[32], ver[16], dir[PATH_MAX];
	int rc;

	rc = finish_sources(b, err);
	if (!rc && b->has_old)
		rc = copy_old(b, err);
	if (!rc)
		rc = exec(b, VULNDB_INDEX_SQL, err);
	drydock_vulndb_now(now, sizeof(now));
	snprintf(ver, sizeof(ver), "%d", DRYDOCK_VULNDB_SCHEMA);
	if (!rc)
		rc = drydock_vulndb_build_meta(b, "schema_version", ver, err);
	if (!rc)
		rc = drydock_vulndb_build_meta(b, "built_at", now, err);
	if (!rc)
		rc = exec(b, "COMMIT;", err);
	if (!rc && b->has_old)
		rc = exec(b, "DETACH old", err);
	if (rc) {
		drydock_vulndb_build_abort(b);
		return rc;
	}
	sqlite3_finalize(b->ins_adv);
	sqlite3_finalize(b->ins_vuln);
	sqlite3_finalize(b->ins_alias);
	sqlite3_finalize(b->ins_ref);
	sqlite3_finalize(b->ins_cvss);
	b->ins_adv = b->ins_vuln = b->ins_alias = b->ins_ref = b->ins_cvss =
		NULL;
	if (sqlite3_close(b->db) != SQLITE_OK) {
		rc = sql_err(b->db, err, "cannot close database", b->tmp);
		drydock_vulndb_build_abort(b);
		return rc;
	}
	b->db = NULL;
	rc = fsync_path(b->tmp, 0, err);
	if (!rc && rename(b->tmp, b->path) < 0)
		rc = drydock_err_errno(err, errno, b->path);
	if (rc) {
		drydock_vulndb_build_abort(b);
		return rc;
	}
	snprintf(dir, sizeof(dir), "%s", b->path);
	rc = fsync_path(dirname(dir), 1, err);
	free(b->tmp);
	b->tmp = NULL; /* renamed: nothing to remove */
	drydock_vulndb_build_abort(b);
	return rc;
}

void drydock_vulndb_build_abort(struct drydock_vulndb_build *b)
{
	struct build_source *s, *next;

	if (!b)
		return;
	sqlite3_finalize(b->ins_adv);
	sqlite3_finalize(b->ins_vuln);
	sqlite3_finalize(b->ins_alias);
	sqlite3_finalize(b->ins_ref);
	sqlite3_finalize(b->ins_cvss);
	if (b->db)
		sqlite3_close(b->db);
	if (b->tmp)
		unlink(b->tmp);
	if (b->lockfd >= 0)
		close(b->lockfd); /* releases the flock */
	for (s = b->sources; s; s = next) {
		next = s->next;
		free(s->name);
		free(s->feed_time);
		free(s);
	}
	free(b->path);
	free(b->tmp);
	free(b->lockpath);
	free(b);
}

/* The temporary file being built (for the dispatcher's scratch files). */
const char *drydock_vulndb_build_tmp(const struct drydock_vulndb_build *b)
{
	return b->tmp;
}
