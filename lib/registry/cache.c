#include "../util/setup.h"

/*
 * The layer cache: what a layer gave the analysers (the kept files and
 * whiteouts of one layer's drydock_fs), keyed by the layer's diff ID and
 * the analysers' version key, so a second image on the same base reads
 * no base layer again.
 *
 * Layout under DIR: index.sqlite (WAL; one row per entry: key, file,
 * size, content digest, last use), lock (flock: shared while an entry's
 * file is written or read, exclusive while evicting or cleaning), and
 * entries/<sha256 of key>. Several drydock processes may share DIR:
 * files are written to a temporary name and renamed, SQLite serialises
 * the index, and the lock keeps an evictor from removing a file another
 * process is reading or has just written. Bounded: after each insert the
 * least recently used entries are evicted until the total is at most
 * 90% of the limit. A damaged entry (content not matching its digest) is
 * dropped and counts as a miss.
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "drydock/buf.h"
#include "drydock/error.h"
#include "drydock/fs.h"
#include "drydock/limits.h"
#include "drydock/registry.h"
#include "drydock/strnum.h"

#define MAGIC "drydock-layer-cache 1\n"
/* How recent a use need not be stamped again (microseconds). */
#define CACHE_TOUCH_US 60000000LL

struct drydock_cache {
	char dir[4096];
	unsigned long long max;
	sqlite3 *db;
	int lockfd;
	pthread_mutex_t mu;
	long long hits, misses;
};

int drydock_cache_default_dir(char *out, size_t n)
{
	const char *x = getenv("XDG_CACHE_HOME");
	const char *home = getenv("HOME");
	int w;

	if (x && *x)
		w = snprintf(out, n, "%s/drydock/layers", x);
	else if (home && *home)
		w = snprintf(out, n, "%s/.cache/drydock/layers", home);
	else
		return -1;
	return w < 0 || (size_t)w >= n ? -1 : 0;
}

static int mkdirs(const char *dir, struct drydock_err *err)
{
	char p[4096];
	size_t i;

	snprintf(p, sizeof(p), "%s", dir);
	for (i = 1; p[i]; i++) {
		if (p[i] != '/')
			continue;
		p[i] = '\0';
		if (mkdir(p, 0755) && errno != EEXIST)
			return drydock_err_errno(err, errno, p);
		p[i] = '/';
	}
	if (mkdir(p, 0755) && errno != EEXIST)
		return drydock_err_errno(err, errno, p);
	return 0;
}

static int db_err(struct drydock_cache *c, struct drydock_err *err)
{
	return drydock_err_set(err, DRYDOCK_EIO, "'%s/index.sqlite': %s",
			       c->dir, sqlite3_errmsg(c->db));
}

static int exec(struct drydock_cache *c, const char *sql,
		struct drydock_err *err)
{
	return sqlite3_exec(c->db, sql, NULL, NULL, NULL) == SQLITE_OK
		       ? 0
		       : db_err(c, err);
}

int drydock_cache_open(struct drydock_cache **out, const char *dir,
		       unsigned long long max_bytes, struct drydock_err *err)
{
	struct drydock_cache *c;
	char p[4200];
	int rc;

	*out = NULL;
	c = calloc(1, sizeof(*c));
	if (!c)
		return drydock_err_set(err, DRYDOCK_ENOMEM, "out of memory");
	c->lockfd = -1;
	pthread_mutex_init(&c->mu, NULL);
	if (strlen(dir) >= sizeof(c->dir) - 64) {
		free(c);
		return drydock_err_set(err, DRYDOCK_EUSAGE,
				       "'%.100s': cache path too long", dir);
	}
	snprintf(c->dir, sizeof(c->dir), "%s", dir);
	c->max = max_bytes ? max_bytes : DRYDOCK_CACHE_DEFAULT_BYTES;
	snprintf(p, sizeof(p), "%s/entries", dir);
	if ((rc = mkdirs(p, err)))
		goto fail;
	snprintf(p, sizeof(p), "%s/lock", dir);
	c->lockfd = open(p, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (c->lockfd < 0) {
		rc = drydock_err_errno(err, errno, p);
		goto fail;
	}
	snprintf(p, sizeof(p), "%s/index.sqlite", dir);
	if (sqlite3_open_v2(p, &c->db,
			    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
				    SQLITE_OPEN_FULLMUTEX,
			    NULL) != SQLITE_OK) {
		rc = drydock_err_set(err, DRYDOCK_EIO, "'%s': %s", p,
				     c->db ? sqlite3_errmsg(c->db)
					   : "cannot open");
		goto fail;
	}
	/* other processes hold the write lock for milliseconds */
	sqlite3_busy_timeout(c->db, 30000);
	if ((rc = exec(c, "PRAGMA journal_mode=WAL", err)) ||
	    (rc = exec(c, "PRAGMA synchronous=NORMAL", err)) ||
	    (rc = exec(c,
		       "CREATE TABLE IF NOT EXISTS entries ("
		       " key TEXT PRIMARY KEY, diff_id TEXT NOT NULL,"
		       " analyser TEXT NOT NULL, file TEXT NOT NULL,"
		       " size INTEGER NOT NULL, digest TEXT NOT NULL,"
		       " created INTEGER NOT NULL, last_used INTEGER NOT NULL);"
		       "CREATE INDEX IF NOT EXISTS entries_lru"
		       " ON entries(last_used)",
		       err)))
		goto fail;
	*out = c;
	return 0;
fail:
	drydock_cache_close(c);
	return rc;
}

void drydock_cache_close(struct drydock_cache *c)
{
	if (!c)
		return;
	if (c->db)
		sqlite3_close(c->db);
	if (c->lockfd >= 0)
		close(c->lockfd);
	pthread_mutex_destroy(&c->mu);
	free(c);
}

const char *drydock_cache_dir(const struct drydock_cache *c)
{
	return c->dir;
}

static long long now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void key_of(const char *diff_id, const char *analyser, char *key,
		   size_t n, char file[DRYDOCK_DIGEST_MAX])
{
	snprintf(key, n, "%s|%s", diff_id, analyser);
	drydock_digest_sha256(key, strlen(key), file);
}

/* Serialisation ------------------------------------------------------------ */

static int put_u32(struct drydock_buf *b, uint32_t v)
{
	unsigned char x[4] = {(unsigned char)(v >> 24),
			      (unsigned char)(v >> 16), (unsigned char)(v >> 8),
			      (unsigned char)v};

	return drydock_buf_put(b, x, 4);
}

static int put_u64(struct drydock_buf *b, uint64_t v)
{
	int rc = put_u32(b, (uint32_t)(v >> 32));

	return rc ? rc : put_u32(b, (uint32_t)v);
}

static int ser_op(const char *path, int layer, enum drydock_fs_type type,
		  int opaque, const char *data, size_t len, void *payload)
{
	struct drydock_buf *b = payload;
	char kind = opaque == 1 ? 'O' : opaque == 0 ? 'W' : 'F';
	size_t pl = strlen(path);
	int rc;

	if (layer != 0)
		return DRYDOCK_EUNSUPPORTED;
	if ((rc = drydock_buf_putc(b, kind)) ||
	    (rc = drydock_buf_putc(b, (char)type)) ||
	    (rc = put_u32(b, (uint32_t)pl)) ||
	    (rc = drydock_buf_put(b, path, pl)) ||
	    (rc = put_u64(b, (uint64_t)len)))
		return rc;
	return len ? drydock_buf_put(b, data, len) : 0;
}

static uint64_t get_be(const unsigned char *p, int n)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < n; i++)
		v = (v << 8) | p[i];
	return v;
}

/* Rebuild one layer from a serialised entry into a fresh fs. */
static int replay(const char *data, size_t len, const char *diff_id,
		  struct drydock_fs *fs, const char *name,
		  struct drydock_err *err)
{
	const unsigned char *p = (const unsigned char *)data;
	size_t off = sizeof(MAGIC) - 1;
	int layer, rc;

	if (len < off || memcmp(data, MAGIC, off))
		return drydock_err_set(err, DRYDOCK_ECORRUPT,
				       "'%s': not a cache entry", name);
	layer = drydock_fs_add_layer(fs, diff_id, err);
	if (layer < 0)
		return layer;
	while (off < len) {
		char kind, path[DRYDOCK_MAX_PATH + 1];
		int type;
		uint64_t pl, dl;

		if (len - off < 6)
			goto bad;
		kind = (char)p[off];
		type = p[off + 1];
		pl = get_be(p + off + 2, 4);
		off += 6;
		if (pl > DRYDOCK_MAX_PATH || len - off < pl + 8)
			goto bad;
		memcpy(path, p + off, pl);
		path[pl] = '\0';
		off += pl;
		dl = get_be(p + off, 8);
		off += 8;
		if (dl > len - off)
			goto bad;
		if (kind == 'W')
			rc = drydock_fs_whiteout(fs, layer, path, err);
		else if (kind == 'O')
			rc = drydock_fs_opaque(fs, layer, path, err);
		else if (kind == 'F' && type <= DRYDOCK_FS_DIR)
			rc = drydock_fs_put(fs, layer, path,
					    (enum drydock_fs_type)type,
					    data + off, (size_t)dl, err);
		else
			goto bad;
		if (rc < 0)
			return rc;
		off += (size_t)dl;
	}
	return 0;
bad:
	return drydock_err_set(err, DRYDOCK_ECORRUPT,
			       "'%s': truncated or malformed cache entry",
			       name);
}

/* Entries --------------------------------------------------------------- */

static void drop(struct drydock_cache *c, const char *key)
{
	sqlite3_stmt *st;

	if (sqlite3_prepare_v2(c->db, "DELETE FROM entries WHERE key = ?", -1,
			       &st, NULL) != SQLITE_OK)
		return;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
	sqlite3_step(st);
	sqlite3_finalize(st);
}

int drydock_cache_get_layer(struct drydock_cache *c, const char *diff_id,
			    const char *analyser, struct drydock_fs *out,
			    struct drydock_err *err)
{
	struct drydock_buf b = DRYDOCK_BUF_INIT(DRYDOCK_MAX_CACHE_ENTRY_BYTES);
	char key[600], file[DRYDOCK_DIGEST_MAX], digest[DRYDOCK_DIGEST_MAX],
		got[DRYDOCK_DIGEST_MAX], path[4300];
	sqlite3_stmt *st = NULL;
	int rc = DRYDOCK_ENOTFOUND, found = 0, bad = 0;

	if (drydock_digest_validate(diff_id, NULL))
		return DRYDOCK_ENOTFOUND;
	key_of(diff_id, analyser, key, sizeof(key), file);
	pthread_mutex_lock(&c->mu);
	if (sqlite3_prepare_v2(c->db,
			       "SELECT file, digest FROM entries WHERE key = ?",
			       -1, &st, NULL) != SQLITE_OK) {
		rc = db_err(c, err);
		goto out;
	}
	sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(st) == SQLITE_ROW) {
		const char *f = (const char *)sqlite3_column_text(st, 0);
		const char *d = (const char *)sqlite3_column_text(st, 1);

		if (f && d && strlen(f) < 100 && strlen(d) < sizeof(digest)) {
			snprintf(path, sizeof(path), "%s/entries/%s", c->dir,
				 f);
			snprintf(digest, sizeof(digest), "%s", d);
			found = 1;
		}
	}
	sqlite3_finalize(st);
	st = NULL;
	if (!found)
		goto out;
	/* reading, checking and replaying the entry need no index: other
	 * threads of this process use the handle meanwhile (a scan's
	 * workers read their layers' entries in parallel). The shared flock
	 * is the process's, so one thread's unlock ends another's: an entry
	 * evicted meanwhile is then a miss (open fails) or still read whole
	 * (unlinked, not truncated), and its digest is checked anyway. */
	pthread_mutex_unlock(&c->mu);
	flock(c->lockfd, LOCK_SH);
	rc = drydock_buf_read_file(&b, path, NULL);
	flock(c->lockfd, LOCK_UN);
	if (rc)
		rc = DRYDOCK_ENOTFOUND; /* evicted meanwhile */
	else {
		drydock_digest_sha256(b.ptr, b.len, got);
		if (strcmp(got, digest)) {
			unlink(path);
			bad = 1;
			rc = DRYDOCK_ENOTFOUND;
		} else {
			rc = replay(b.ptr, b.len, diff_id, out, path, err);
			bad = rc < 0;
		}
	}
	pthread_mutex_lock(&c->mu);
	if (bad)
		drop(c, key);
	if (rc)
		goto out;
	/* Stamp the use for LRU eviction, unless the entry was used in the
	 * last minute: a repeated scan then writes nothing to the index (no
	 * WAL frames, so no checkpoint and fsyncs at close), and the LRU
	 * order is off by at most that minute. */
	if (sqlite3_prepare_v2(
		    c->db,
		    "UPDATE entries SET last_used = ?1 WHERE key = ?2 "
		    "AND last_used < ?1 - ?3",
		    -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, now_us());
		sqlite3_bind_int64(st, 3, CACHE_TOUCH_US);
		sqlite3_bind_text(st, 2, key, -1, SQLITE_TRANSIENT);
		sqlite3_step(st);
	}
out:
	if (rc == 0)
		c->hits++;
	else if (rc == DRYDOCK_ENOTFOUND)
		c->misses++;
	sqlite3_finalize(st);
	pthread_mutex_unlock(&c->mu);
	drydock_buf_release(&b);
	return rc;
}

static int write_atomic(const char *path, const char *data, size_t len,
			struct drydock_err *err)
{
	char tmp[4400];
	size_t off = 0;
	int fd;

	snprintf(tmp, sizeof(tmp), "%s.tmp-%ld-%lx", path, (long)getpid(),
		 (unsigned long)pthread_self());
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return drydock_err_errno(err, errno, tmp);
	while (off < len) {
		ssize_t w = write(fd, data + off, len - off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			int e = errno;

			close(fd);
			unlink(tmp);
			return drydock_err_errno(err, e, tmp);
		}
		off += (size_t)w;
	}
	if (close(fd) || rename(tmp, path)) {
		int e = errno;

		unlink(tmp);
		return drydock_err_errno(err, e, path);
	}
	return 0;
}

/* Evict least recently used entries until at most 90% of the limit. */
static int evict(struct drydock_cache *c, struct drydock_err *err)
{
	sqlite3_stmt *st = NULL;
	long long total = 0, target = (long long)(c->max / 10 * 9);
	char **files = NULL;
	size_t n = 0, cap = 0, i;
	int rc = 0;

	flock(c->lockfd, LOCK_EX);
	if ((rc = exec(c, "BEGIN IMMEDIATE", err)))
		goto out;
	if (sqlite3_prepare_v2(c->db, "SELECT sum(size) FROM entries", -1, &st,
			       NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		total = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	st = NULL;
	if (total <= (long long)c->max) {
		exec(c, "COMMIT", err);
		goto out;
	}
	if (sqlite3_prepare_v2(c->db,
			       "SELECT key, file, size FROM entries ORDER BY "
			       "last_used ASC",
			       -1, &st, NULL) != SQLITE_OK) {
		rc = db_err(c, err);
		exec(c, "ROLLBACK", NULL);
		goto out;
	}
	while (total > target && sqlite3_step(st) == SQLITE_ROW) {
		const char *f = (const char *)sqlite3_column_text(st, 1);

		if (n == cap) {
			size_t nc = cap ? cap * 2 : 16;
			char **a = realloc(files, nc * sizeof(*a));

			if (!a)
				break;
			files = a;
			cap = nc;
		}
		files[n] = strdup(f ? f : "");
		if (!files[n])
			break;
		n++;
		total -= sqlite3_column_int64(st, 2);
	}
	sqlite3_finalize(st);
	st = NULL;
	for (i = 0; i < n; i++) {
		if (sqlite3_prepare_v2(c->db,
				       "DELETE FROM entries WHERE file = ?", -1,
				       &st, NULL) == SQLITE_OK) {
			sqlite3_bind_text(st, 1, files[i], -1,
					  SQLITE_TRANSIENT);
			sqlite3_step(st);
		}
		sqlite3_finalize(st);
		st = NULL;
	}
	if ((rc = exec(c, "COMMIT", err))) {
		exec(c, "ROLLBACK", NULL);
		goto out;
	}
	for (i = 0; i < n; i++) {
		char p[4300];

		snprintf(p, sizeof(p), "%s/entries/%s", c->dir, files[i]);
		unlink(p);
	}
out:
	flock(c->lockfd, LOCK_UN);
	for (i = 0; i < n; i++)
		free(files[i]);
	free(files);
	return rc;
}

int drydock_cache_put_layer(struct drydock_cache *c, const char *diff_id,
			    const char *analyser, const struct drydock_fs *fs,
			    struct drydock_err *err)
{
	struct drydock_buf b = DRYDOCK_BUF_INIT(DRYDOCK_MAX_CACHE_ENTRY_BYTES);
	char key[600], file[DRYDOCK_DIGEST_MAX], digest[DRYDOCK_DIGEST_MAX],
		path[4300];
	sqlite3_stmt *st = NULL;
	long long t;
	int rc;

	if ((rc = drydock_digest_validate(diff_id, err)))
		return rc;
	if (drydock_fs_layer_count(fs) != 1)
		return drydock_err_set(err, DRYDOCK_EUSAGE,
				       "'%s': the cache stores one layer",
				       diff_id);
	key_of(diff_id, analyser, key, sizeof(key), file);
	rc = drydock_buf_puts(&b, MAGIC);
	if (!rc)
		rc = drydock_fs_each_op(fs, ser_op, &b);
	if (rc) {
		drydock_buf_release(&b);
		return drydock_err_set(err, rc < 0 ? rc : DRYDOCK_ERROR,
				       "'%s': layer too large to cache",
				       diff_id);
	}
	drydock_digest_sha256(b.ptr, b.len, digest);
	snprintf(path, sizeof(path), "%s/entries/%s", c->dir,
		 drydock_digest_hex(file));
	pthread_mutex_lock(&c->mu);
	flock(c->lockfd, LOCK_SH);
	rc = write_atomic(path, b.ptr, b.len, err);
	if (!rc && sqlite3_prepare_v2(c->db,
				      "INSERT OR REPLACE INTO entries (key, "
				      "diff_id, analyser, file, size, digest, "
				      "created, last_used) VALUES "
				      "(?,?,?,?,?,?,?,?)",
				      -1, &st, NULL) != SQLITE_OK)
		rc = db_err(c, err);
	if (!rc) {
		t = now_us();
		sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 2, diff_id, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 3, analyser, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 4, drydock_digest_hex(file), -1,
				  SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 5, (sqlite3_int64)b.len);
		sqlite3_bind_text(st, 6, digest, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 7, t / 1000000);
		sqlite3_bind_int64(st, 8, t);
		if (sqlite3_step(st) != SQLITE_DONE)
			rc = db_err(c, err);
	}
	sqlite3_finalize(st);
	flock(c->lockfd, LOCK_UN);
	if (!rc)
		rc = evict(c, err);
	pthread_mutex_unlock(&c->mu);
	drydock_buf_release(&b);
	return rc;
}

int drydock_cache_stats(struct drydock_cache *c, struct drydock_cache_stats *s,
			struct drydock_err *err)
{
	sqlite3_stmt *st;
	int rc = 0;

	memset(s, 0, sizeof(*s));
	pthread_mutex_lock(&c->mu);
	s->hits = c->hits;
	s->misses = c->misses;
	s->max_bytes = c->max;
	if (sqlite3_prepare_v2(c->db,
			       "SELECT count(*), coalesce(sum(size), 0), "
			       "count(DISTINCT diff_id) FROM entries",
			       -1, &st, NULL) != SQLITE_OK) {
		rc = db_err(c, err);
	} else {
		if (sqlite3_step(st) == SQLITE_ROW) {
			s->entries = sqlite3_column_int64(st, 0);
			s->bytes = sqlite3_column_int64(st, 1);
			s->layers = sqlite3_column_int64(st, 2);
		}
		sqlite3_finalize(st);
	}
	pthread_mutex_unlock(&c->mu);
	return rc;
}

int drydock_cache_clean(struct drydock_cache *c, long long *removed,
			struct drydock_err *err)
{
	char p[4300];
	struct drydock_cache_stats s;
	int rc;

	if ((rc = drydock_cache_stats(c, &s, err)))
		return rc;
	pthread_mutex_lock(&c->mu);
	flock(c->lockfd, LOCK_EX);
	rc = exec(c, "DELETE FROM entries", err);
	if (!rc) {
		/* every file, including ones of interrupted writers */
		struct dirent *de;
		DIR *d;

		snprintf(p, sizeof(p), "%s/entries", c->dir);
		d = opendir(p);
		while (d && (de = readdir(d))) {
			char f[4600];

			if (de->d_name[0] == '.')
				continue;
			snprintf(f, sizeof(f), "%s/%s", p, de->d_name);
			unlink(f);
		}
		if (d)
			closedir(d);
		exec(c, "VACUUM", NULL);
	}
	flock(c->lockfd, LOCK_UN);
	pthread_mutex_unlock(&c->mu);
	if (removed)
		*removed = s.entries;
	return rc;
}

int drydock_cache_parse_size(const char *s, unsigned long long *out)
{
	size_t n = strlen(s);
	unsigned long long mul = 1;
	uint64_t v;

	if (n && strchr("kKmMgGtT", s[n - 1])) {
		switch (s[n - 1] | 0x20) {
		case 'k':
			mul = 1ull << 10;
			break;
		case 'm':
			mul = 1ull << 20;
			break;
		case 'g':
			mul = 1ull << 30;
			break;
		default:
			mul = 1ull << 40;
		}
		n--;
	}
	if (drydock_strnum_u64(s, n, UINT64_MAX / mul, &v) || !v)
		return -1;
	*out = v * mul;
	return 0;
}
