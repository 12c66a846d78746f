#include "../util/setup.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <sys/stat.h>

#include "drydock/buf.h"
#include "drydock/error.h"
#include "drydock/strnum.h"
#include "drydock/vulndb.h"
#include "vulndb-private.h"

/*
 * Reading the database. The file is opened immutable (no locks, no
 * journal checks): writers never change a database in place, they rename
 * a new one over it, and an open handle keeps reading the file it opened.
 * Metadata and the source list are loaded at open; lookups reuse
 * prepared statements.
 */

struct source_row {
	struct drydock_vulndb_source pub;
	long long id;
};

struct drydock_vulndb {
	sqlite3 *db;
	char *path;
	int schema;
	char *built_at;
	struct source_row *sources;
	size_t nsources;
	uint64_t nadv, nvuln;
	sqlite3_stmt *q_lookup;
	sqlite3_stmt *q_meta;
	/* drydock_vulndb_vuln's queries, prepared on first use: a scan asks
	 * for every finding's record, and preparing costs more than the
	 * lookup itself */
	sqlite3_stmt *q_vuln, *q_alias, *q_ref, *q_cvss;
	char *meta_val;
};

int drydock_vulndb_uri(struct drydock_buf *b, const char *path)
{
	const unsigned char *p;
	int rc = drydock_buf_puts(b, "file:");

	for (p = (const unsigned char *)path; !rc && *p; p++) {
		if (*p == '%' || *p == '?' || *p == '#' || *p < 0x21 ||
		    *p >= 0x7f)
			rc = drydock_buf_printf(b, "%%%02X", *p);
		else
			rc = drydock_buf_putc(b, (char)*p);
	}
	if (!rc)
		rc = drydock_buf_puts(b, "?mode=ro&immutable=1");
	return rc;
}

static int db_err(struct drydock_vulndb *db, struct drydock_err *err,
		  const char *what)
{
	int code = sqlite3_errcode(db->db);

	return drydock_err_set(err,
			       code == SQLITE_CORRUPT || code == SQLITE_NOTADB
				       ? DRYDOCK_ECORRUPT
				       : DRYDOCK_ERROR,
			       "'%s': %s: %s", db->path, what,
			       sqlite3_errmsg(db->db));
}

static char *col_dup(sqlite3_stmt *st, int i)
{
	const unsigned char *s = sqlite3_column_text(st, i);

	return s ? strdup((const char *)s) : NULL;
}

static int load_meta(struct drydock_vulndb *db, struct drydock_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(db->db, "SELECT key, value FROM meta", -1, &st,
			       NULL) != SQLITE_OK)
		return drydock_err_set(err, DRYDOCK_ECORRUPT,
				       "'%s': not a drydock vulnerability "
				       "database (%s)",
				       db->path, sqlite3_errmsg(db->db));
	db->schema = -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *k = (const char *)sqlite3_column_text(st, 0);
		const char *v = (const char *)sqlite3_column_text(st, 1);

		if (!k || !v)
			continue;
		if (!strcmp(k, "schema_version")) {
			int64_t n;

			if (drydock_strnum_i64(v, strlen(v), 0, 1000000, &n) ==
			    0)
				db->schema = (int)n;
		} else if (!strcmp(k, "built_at")) {
			free(db->built_at);
			db->built_at = strdup(v);
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_err(db, err, "cannot read metadata");
	if (db->schema < 0)
		return drydock_err_set(err, DRYDOCK_ECORRUPT,
				       "'%s': not a drydock vulnerability "
				       "database (no schema version)",
				       db->path);
	if (db->schema != DRYDOCK_VULNDB_SCHEMA)
		return drydock_err_set(err, DRYDOCK_EUNSUPPORTED,
				       "'%s': database schema version %d, this "
				       "drydock reads %d",
				       db->path, db->schema,
				       DRYDOCK_VULNDB_SCHEMA);
	return 0;
}

static int load_sources(struct drydock_vulndb *db, struct drydock_err *err)
{
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;

	if (sqlite3_prepare_v2(db->db,
			       "SELECT id, name, format, location, feed_time, "
			       "imported_at, advisories, vulns, records "
			       "FROM source ORDER BY name",
			       -1, &st, NULL) != SQLITE_OK)
		return db_err(db, err, "cannot read sources");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct source_row *r;

		if (db->nsources == cap) {
			size_t ncap = cap ? cap * 2 : 16;
			struct source_row *n =
				realloc(db->sources, ncap * sizeof(*n));

			if (!n) {
				sqlite3_finalize(st);
				return drydock_err_set(err, DRYDOCK_ENOMEM,
						       "out of memory");
			}
			db->sources = n;
			cap = ncap;
		}
		r = &db->sources[db->nsources++];
		memset(r, 0, sizeof(*r));
		r->id = sqlite3_column_int64(st, 0);
		r->pub.name = col_dup(st, 1);
		r->pub.format = col_dup(st, 2);
		r->pub.location = col_dup(st, 3);
		r->pub.feed_time = col_dup(st, 4);
		r->pub.imported_at = col_dup(st, 5);
		r->pub.advisories = (uint64_t)sqlite3_column_int64(st, 6);
		r->pub.vulns = (uint64_t)sqlite3_column_int64(st, 7);
		r->pub.records = (uint64_t)sqlite3_column_int64(st, 8);
		db->nadv += r->pub.advisories;
		db->nvuln += r->pub.vulns;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_err(db, err, "cannot read sources");
	return 0;
}

int drydock_vulndb_open(struct drydock_vulndb **out, const char *path,
			struct drydock_err *err)
{
	struct drydock_buf uri = DRYDOCK_BUF_INIT(16384);
	struct drydock_vulndb *db;
	struct stat st;
	int rc;

	*out = NULL;
	if (stat(path, &st) < 0)
		return drydock_err_set(
			err, errno == ENOENT ? DRYDOCK_ENOTFOUND : DRYDOCK_EIO,
			"'%s': %s%s", path, strerror(errno),
			errno == ENOENT ? " (run 'drydock db import' or "
					  "'drydock db update' first)"
					: "");
	if (!S_ISREG(st.st_mode))
		return drydock_err_set(err, DRYDOCK_ECORRUPT,
				       "'%s': not a regular file", path);
	db = calloc(1, sizeof(*db));
	if (!db || !(db->path = strdup(path))) {
		free(db);
		return drydock_err_set(err, DRYDOCK_ENOMEM, "out of memory");
	}
	if (drydock_vulndb_uri(&uri, path)) {
		drydock_buf_release(&uri);
		drydock_vulndb_close(db);
		return drydock_err_set(err, DRYDOCK_ELIMIT,
				       "'%s': path too long", path);
	}
	if (sqlite3_open_v2(uri.ptr, &db->db,
			    SQLITE_OPEN_READONLY | SQLITE_OPEN_URI |
				    SQLITE_OPEN_NOMUTEX,
			    NULL) != SQLITE_OK) {
		rc = db_err(db, err, "cannot open database");
		drydock_buf_release(&uri);
		drydock_vulndb_close(db);
		return rc;
	}
	drydock_buf_release(&uri);
	rc = load_meta(db, err);
	if (!rc)
		rc = load_sources(db, err);
	if (!rc &&
	    sqlite3_prepare_v3(db->db,
			       "SELECT namespace, package, vuln_id, status, "
			       "version_type, fixed_version, ranges, severity, "
			       "advisory_id, source_id FROM advisory "
			       "WHERE namespace = ?1 AND package = ?2 "
			       "ORDER BY vuln_id, source_id, rowid",
			       -1, SQLITE_PREPARE_PERSISTENT, &db->q_lookup,
			       NULL) != SQLITE_OK)
		rc = db_err(db, err, "cannot prepare lookup");
	if (rc) {
		drydock_vulndb_close(db);
		return rc;
	}
	*out = db;
	return 0;
}

void drydock_vulndb_close(struct drydock_vulndb *db)
{
	size_t i;

	if (!db)
		return;
	sqlite3_finalize(db->q_lookup);
	sqlite3_finalize(db->q_meta);
	sqlite3_finalize(db->q_vuln);
	sqlite3_finalize(db->q_alias);
	sqlite3_finalize(db->q_ref);
	sqlite3_finalize(db->q_cvss);
	if (db->db)
		sqlite3_close(db->db);
	for (i = 0; i < db->nsources; i++) {
		struct drydock_vulndb_source *s = &db->sources[i].pub;

		free((char *)s->name);
		free((char *)s->format);
		free((char *)s->location);
		free((char *)s->feed_time);
		free((char *)s->imported_at);
	}
	free(db->sources);
	free(db->built_at);
	free(db->meta_val);
	free(db->path);
	free(db);
}

static const char *source_name(const struct drydock_vulndb *db, long long id)
{
	size_t i;

	for (i = 0; i < db->nsources; i++)
		if (db->sources[i].id == id)
			return db->sources[i].pub.name;
	return "unknown";
}

static const char *col(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

int drydock_vulndb_lookup(struct drydock_vulndb *db, const char *namespace_,
			  const char *package,
			  int (*cb)(void *payload,
				    const struct drydock_advisory *a),
			  void *payload, struct drydock_err *err)
{
	sqlite3_stmt *st = db->q_lookup;
	int rc, r = 0;

	sqlite3_bind_text(st, 1, namespace_, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, package, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct drydock_advisory a;

		a.namespace_ = col(st, 0);
		a.package = col(st, 1);
		a.vuln_id = col(st, 2);
		a.status = col(st, 3);
		a.version_type = col(st, 4);
		a.fixed_version = col(st, 5);
		a.ranges = col(st, 6);
		a.severity = col(st, 7);
		a.advisory_id = col(st, 8);
		a.data_source = source_name(db, sqlite3_column_int64(st, 9));
		r = cb(payload, &a);
		if (r)
			break;
	}
	if (!r && rc != SQLITE_DONE)
		r = db_err(db, err, "lookup failed");
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return r;
}

/* The list: items plus one strdup'd block per item holding its strings. */
struct list_priv {
	size_t cap;
};

static char *pack(char **cur, const char *s)
{
	size_t n;
	char *r;

	if (!s)
		return NULL;
	n = strlen(s) + 1;
	r = *cur;
	memcpy(r, s, n);
	*cur += n;
	return r;
}

static int list_add(void *payload, const struct drydock_advisory *a)
{
	struct drydock_advisory_list *l = payload;
	struct list_priv *p = l->priv_;
	const char *f[10];
	size_t i, total = 0;
	char *blk, *cur;
	struct drydock_advisory *it;

	if (l->n == p->cap) {
		size_t ncap = p->cap ? p->cap * 2 : 16;
		struct drydock_advisory *n =
			realloc(l->items, ncap * sizeof(*n));

		if (!n)
			return DRYDOCK_ENOMEM;
		l->items = n;
		p->cap = ncap;
	}
	f[0] = a->namespace_;
	f[1] = a->package;
	f[2] = a->vuln_id;
	f[3] = a->status;
	f[4] = a->version_type;
	f[5] = a->fixed_version;
	f[6] = a->ranges;
	f[7] = a->severity;
	f[8] = a->advisory_id;
	f[9] = a->data_source;
	for (i = 0; i < 10; i++)
		if (f[i])
			total += strlen(f[i]) + 1;
	blk = malloc(total ? total : 1);
	if (!blk)
		return DRYDOCK_ENOMEM;
	cur = blk;
	it = &l->items[l->n];
	/* namespace_ is packed first, so it points at the block to free */
	it->namespace_ = pack(&cur, f[0]);
	it->package = pack(&cur, f[1]);
	it->vuln_id = pack(&cur, f[2]);
	it->status = pack(&cur, f[3]);
	it->version_type = pack(&cur, f[4]);
	it->fixed_version = pack(&cur, f[5]);
	it->ranges = pack(&cur, f[6]);
	it->severity = pack(&cur, f[7]);
	it->advisory_id = pack(&cur, f[8]);
	it->data_source = pack(&cur, f[9]);
	l->n++;
	return 0;
}

int drydock_vulndb_lookup_list(struct drydock_vulndb *db,
			       const char *namespace_, const char *package,
			       struct drydock_advisory_list *out,
			       struct drydock_err *err)
{
	int rc;

	memset(out, 0, sizeof(*out));
	out->priv_ = calloc(1, sizeof(struct list_priv));
	if (!out->priv_)
		return drydock_err_set(err, DRYDOCK_ENOMEM, "out of memory");
	rc = drydock_vulndb_lookup(db, namespace_, package, list_add, out, err);
	if (rc == DRYDOCK_ENOMEM)
		drydock_err_set(err, rc, "out of memory");
	if (rc)
		drydock_advisory_list_release(out);
	return rc;
}

void drydock_advisory_list_release(struct drydock_advisory_list *l)
{
	size_t i;

	if (!l)
		return;
	for (i = 0; i < l->n; i++)
		free((char *)l->items[i].namespace_);
	free(l->items);
	free(l->priv_);
	memset(l, 0, sizeof(*l));
}

int drydock_vulndb_schema_version(const struct drydock_vulndb *db)
{
	return db->schema;
}

const char *drydock_vulndb_built_at(const struct drydock_vulndb *db)
{
	return db->built_at;
}

const char *drydock_vulndb_path(const struct drydock_vulndb *db)
{
	return db->path;
}

size_t drydock_vulndb_nsources(const struct drydock_vulndb *db)
{
	return db->nsources;
}

const struct drydock_vulndb_source *
drydock_vulndb_source(const struct drydock_vulndb *db, size_t i)
{
	return i < db->nsources ? &db->sources[i].pub : NULL;
}

const struct drydock_vulndb_source *
drydock_vulndb_source_find(const struct drydock_vulndb *db, const char *name)
{
	size_t i;

	for (i = 0; i < db->nsources; i++)
		if (!strcmp(db->sources[i].pub.name, name))
			return &db->sources[i].pub;
	return NULL;
}

uint64_t drydock_vulndb_count_advisories(const struct drydock_vulndb *db)
{
	return db->nadv;
}

uint64_t drydock_vulndb_count_vulns(const struct drydock_vulndb *db)
{
	return db->nvuln;
}

const char *drydock_vulndb_meta(struct drydock_vulndb *db, const char *key)
{
	const unsigned char *v;

	if (!db->q_meta &&
	    sqlite3_prepare_v2(db->db, "SELECT value FROM meta WHERE key = ?",
			       -1, &db->q_meta, NULL) != SQLITE_OK)
		return NULL;
	free(db->meta_val);
	db->meta_val = NULL;
	sqlite3_bind_text(db->q_meta, 1, key, -1, SQLITE_STATIC);
	if (sqlite3_step(db->q_meta) == SQLITE_ROW) {
		v = sqlite3_column_text(db->q_meta, 0);
		if (v)
			db->meta_val = strdup((const char *)v);
	}
	sqlite3_reset(db->q_meta);
	return db->meta_val;
}

/* Vulnerability details */

struct vuln_holder {
	struct drydock_vuln v; /* first: the public pointer is the holder */
	char **strs;
	size_t nstrs, capstrs;
	const char **aliases;
	const char **refs;
	struct drydock_cvss *cvss;
};

static const char *keep(struct vuln_holder *h, const char *s)
{
	char *d;

	if (!s)
		return NULL;
	if (h->nstrs == h->capstrs) {
		size_t ncap = h->capstrs ? h->capstrs * 2 : 32;
		char **n = realloc(h->strs, ncap * sizeof(*n));

		if (!n)
			return NULL;
		h->strs = n;
		h->capstrs = ncap;
	}
	d = strdup(s);
	if (d)
		h->strs[h->nstrs++] = d;
	return d;
}

/*
 * Which source describes a vulnerability best: NVD for CVEs, then OSV
 * (GHSA and language ecosystems), then vendor feeds.
 */
static int source_rank(const struct drydock_vulndb *db, long long id)
{
	size_t i;

	for (i = 0; i < db->nsources; i++) {
		const char *f;

		if (db->sources[i].id != id)
			continue;
		f = db->sources[i].pub.format;
		if (!strncmp(f, "nvd", 3))
			return 0;
		if (!strncmp(f, "osv", 3))
			return 1;
		return 2;
	}
	return 3;
}

/* The statement in *slot, prepared from sql on first use (kept until
 * drydock_vulndb_close). NULL when it does not prepare. */
static sqlite3_stmt *stmt(struct drydock_vulndb *db, sqlite3_stmt **slot,
			  const char *sql)
{
	if (!*slot &&
	    sqlite3_prepare_v3(db->db, sql, -1, SQLITE_PREPARE_PERSISTENT, slot,
			       NULL) != SQLITE_OK) {
		sqlite3_finalize(*slot);
		*slot = NULL;
	}
	return *slot;
}

/* Ready a kept statement for its next use. */
static void stmt_done(sqlite3_stmt *st)
{
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
}

/* Collect the first column of a one-parameter query (kept in *slot) as a
 * NULL-ended array. */
static int strings_of(struct drydock_vulndb *db, struct vuln_holder *h,
		      sqlite3_stmt **slot, const char *sql, const char *id,
		      const char ***out, struct drydock_err *err)
{
	sqlite3_stmt *st;
	size_t n = 0, cap = 8;
	const char **arr = malloc(cap * sizeof(*arr));
	int rc;

	if (!arr)
		return drydock_err_set(err, DRYDOCK_ENOMEM, "out of memory");
	if (!(st = stmt(db, slot, sql))) {
		free(arr);
		return db_err(db, err, "cannot query vulnerability");
	}
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n + 1 >= cap) {
			const char **na = realloc(arr, cap * 2 * sizeof(*na));

			if (!na) {
				rc = SQLITE_NOMEM;
				break;
			}
			arr = na;
			cap *= 2;
		}
		arr[n] = keep(h, col(st, 0));
		if (arr[n])
			n++;
	}
	stmt_done(st);
	arr[n] = NULL;
	*out = arr;
	if (rc != SQLITE_DONE)
		return drydock_err_set(err, DRYDOCK_ERROR,
				       "'%s': cannot query vulnerability '%s'",
				       db->path, id);
	return 0;
}

int drydock_vulndb_vuln(struct drydock_vulndb *db, const char *id,
			struct drydock_vuln **out, struct drydock_err *err)
{
	struct vuln_holder *h;
	struct drydock_buf srcs = DRYDOCK_BUF_INIT(65536);
	sqlite3_stmt *st;
	int rc, found = 0, best[4] = {9, 9, 9, 9};
	size_t ncap = 0;

	*out = NULL;
	h = calloc(1, sizeof(*h));
	if (!h)
		return drydock_err_set(err, DRYDOCK_ENOMEM, "out of memory");
	if (!(st = stmt(db, &db->q_vuln,
			"SELECT title, description, published, "
			"modified, source_id FROM vuln WHERE id = ?"))) {
		drydock_vulndb_vuln_free(&h->v);
		return db_err(db, err, "cannot query vulnerability");
	}
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		long long sid = sqlite3_column_int64(st, 4);
		int rank = source_rank(db, sid);
		const char **fields[4] = {&h->v.title, &h->v.description,
					  &h->v.published, &h->v.modified};
		int i;

		found = 1;
		for (i = 0; i < 4; i++) {
			const char *val = col(st, i);

			if (val && rank < best[i]) {
				*fields[i] = keep(h, val);
				best[i] = rank;
			}
		}
		if (srcs.len)
			drydock_buf_putc(&srcs, ',');
		drydock_buf_puts(&srcs, source_name(db, sid));
	}
	stmt_done(st);
	if (rc != SQLITE_DONE) {
		drydock_buf_release(&srcs);
		drydock_vulndb_vuln_free(&h->v);
		return db_err(db, err, "cannot query vulnerability");
	}
	if (!found) {
		drydock_buf_release(&srcs);
		drydock_vulndb_vuln_free(&h->v);
		return drydock_err_set(err, DRYDOCK_ENOTFOUND,
				       "'%s': no vulnerability '%s'", db->path,
				       id);
	}
	h->v.id = keep(h, id);
	h->v.data_source = keep(h, srcs.ptr ? srcs.ptr : "");
	drydock_buf_release(&srcs);
	rc = strings_of(db, h, &db->q_alias,
			"SELECT DISTINCT alias FROM vuln_alias WHERE "
			"vuln_id = ? ORDER BY alias",
			id, &h->aliases, err);
	if (!rc)
		rc = strings_of(db, h, &db->q_ref,
				"SELECT DISTINCT url FROM vuln_ref WHERE "
				"vuln_id = ? ORDER BY url",
				id, &h->refs, err);
	if (!rc && !(st = stmt(db, &db->q_cvss,
			       "SELECT DISTINCT rater, version, vector, score, "
			       "severity FROM vuln_cvss WHERE vuln_id = ? "
			       "ORDER BY rater, version DESC, vector")))
		rc = db_err(db, err, "cannot query vulnerability");
	if (!rc) {
		sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			struct drydock_cvss *c;

			if (h->v.ncvss == ncap) {
				size_t nc = ncap ? ncap * 2 : 4;
				struct drydock_cvss *n =
					realloc(h->cvss, nc * sizeof(*n));

				if (!n)
					break;
				h->cvss = n;
				ncap = nc;
			}
			c = &h->cvss[h->v.ncvss++];
			c->source = keep(h, col(st, 0));
			c->version = keep(h, col(st, 1));
			c->vector = keep(h, col(st, 2));
			c->score = sqlite3_column_type(st, 3) == SQLITE_NULL
					   ? -1
					   : sqlite3_column_double(st, 3);
			c->severity = keep(h, col(st, 4));
		}
		stmt_done(st);
		rc = rc == SQLITE_DONE ? 0
				       : drydock_err_set(err, DRYDOCK_ERROR,
							 "'%s': cannot query "
							 "vulnerability '%s'",
							 db->path, id);
	}
	h->v.aliases = h->aliases;
	h->v.references = h->refs;
	h->v.cvss = h->cvss;
	if (rc) {
		drydock_vulndb_vuln_free(&h->v);
		return rc;
	}
	*out = &h->v;
	return 0;
}

void drydock_vulndb_vuln_free(struct drydock_vuln *v)
{
	struct vuln_holder *h = (struct vuln_holder *)v;
	size_t i;

	if (!h)
		return;
	for (i = 0; i < h->nstrs; i++)
		free(h->strs[i]);
	free(h->strs);
	free(h->aliases);
	free(h->refs);
	free(h->cvss);
	free(h);
}
