#include "../util/setup.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../util/archivedl.h"
#include "drydock/buf.h"
#include "drydock/error.h"
#include "drydock/feed.h"
#include "drydock/limits.h"
#include "drydock/vulndb.h"
#include "vulndb-private.h"

/*
 * The import dispatcher: walks files, directories and archives, detects
 * each file's format by content (drydock_importer_detect) unless one is
 * forced, and hands the file to its importer with the build's sink.
 */

#define HEAD_BYTES (64u * 1024)

struct walk {
	struct drydock_vulndb_build *b;
	const char *format;
	const char *source_name;
	const char *location;
	struct drydock_import_stats *st;
	/* the sink of the current file, wrapped to count and explain */
	struct drydock_feed_sink inner;
	const char *cur_name;
	char reject[512];
};

static int w_advisory(void *payload, const struct drydock_advisory *a)
{
	struct walk *w = payload;
	int rc = w->inner.advisory(w->inner.payload, a);

	if (rc == DRYDOCK_ECORRUPT)
		snprintf(w->reject, sizeof(w->reject),
			 "advisory '%.60s' of package '%.60s' in '%.40s' "
			 "lacks a field or has an unknown status '%.30s'",
			 a->vuln_id ? a->vuln_id : "(none)",
			 a->package ? a->package : "(none)",
			 a->namespace_ ? a->namespace_ : "(none)",
			 a->status ? a->status : "(none)");
	else if (rc)
		snprintf(w->reject, sizeof(w->reject), "database write failed");
	else
		w->st->advisories++;
	return rc;
}

static int w_vuln(void *payload, const struct drydock_vuln *v)
{
	struct walk *w = payload;
	int rc = w->inner.vuln(w->inner.payload, v);

	if (rc == DRYDOCK_ECORRUPT)
		snprintf(w->reject, sizeof(w->reject),
			 "vulnerability record without an id");
	else if (rc)
		snprintf(w->reject, sizeof(w->reject), "database write failed");
	else
		w->st->vulns++;
	return rc;
}

static int w_feed_time(void *payload, const char *ts)
{
	struct walk *w = payload;

	return w->inner.feed_time(w->inner.payload, ts);
}

/* Pick the importer of a file; NULL when none (w->format unknown is
 * reported by the caller before walking). */
static const struct drydock_importer *choose(struct walk *w, const char *head,
					     size_t len, const char *name)
{
	if (w->format)
		return drydock_importer_find(w->format);
	return drydock_importer_detect(
		head, len < HEAD_BYTES ? len : HEAD_BYTES, name);
}

static int unknown_format(struct walk *w, const char *name, int explicit_,
			  struct drydock_err *err)
{
	if (explicit_)
		return drydock_err_set(err, DRYDOCK_EUNSUPPORTED,
				       "'%s': not a feed format drydock knows "
				       "(give --format to force one)",
				       name);
	w->st->skipped++;
	return 0;
}

static int start(struct walk *w, const struct drydock_importer *imp,
		 struct drydock_feed_sink *sink, const char *name,
		 struct drydock_err *err)
{
	int rc = drydock_vulndb_build_source(
		w->b, w->source_name ? w->source_name : imp->name, imp->name,
		w->location, &w->inner, err);

	if (rc)
		return rc;
	sink->advisory = w_advisory;
	sink->vuln = w_vuln;
	sink->feed_time = w_feed_time;
	sink->payload = w;
	w->cur_name = name;
	w->reject[0] = '\0';
	return 0;
}

static int finish(struct walk *w, const char *name, int rc,
		  struct drydock_err *err)
{
	if (!rc) {
		w->st->files++;
		return 0;
	}
	if (w->reject[0])
		return drydock_err_set(err, rc, "'%s': %s", name, w->reject);
	if (!err || !err->msg[0])
		return drydock_err_set(err, rc, "'%s': import failed (%s)",
				       name, drydock_err_name(rc));
	return rc;
}

/* Import a document held in memory. */
static int import_memory(struct walk *w, const struct drydock_importer *imp,
			 const char *data, size_t len, const char *name,
			 struct drydock_err *err)
{
	struct drydock_feed_sink sink;
	int rc = start(w, imp, &sink, name, err);

	if (rc)
		return rc;
	drydock_err_clear(err);
	rc = imp->parse(data, len, name, &sink, err);
	return finish(w, name, rc, err);
}

static int import_file_streaming(struct walk *w,
				 const struct drydock_importer *imp,
				 const char *path, const char *name,
				 struct drydock_err *err)
{
	struct drydock_feed_sink sink;
	int rc = start(w, imp, &sink, name, err);

	if (rc)
		return rc;
	drydock_err_clear(err);
	rc = imp->parse_file(path, name, &sink, err);
	return finish(w, name, rc, err);
}

static int is_archive(const unsigned char *h, size_t n)
{
	if (n >= 2 && h[0] == 0x1f && h[1] == 0x8b)
		return 1; /* gzip */
	if (n >= 3 && !memcmp(h, "BZh", 3))
		return 1;
	if (n >= 6 && !memcmp(h,
			      "\xfd"
			      "7zXZ\0",
			      6))
		return 1;
	if (n >= 4 && !memcmp(h, "\x28\xb5\x2f\xfd", 4))
		return 1; /* zstd */
	if (n >= 4 && (!memcmp(h, "PK\3\4", 4) || !memcmp(h, "PK\5\6", 4)))
		return 1;
	if (n >= 262 && !memcmp(h + 257, "ustar", 5))
		return 1;
	return 0;
}

static int read_head(const char *path, char *head, size_t size, size_t *n,
		     struct drydock_err *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t r;
	size_t got = 0;

	if (fd < 0)
		return drydock_err_set(
			err, errno == ENOENT ? DRYDOCK_ENOTFOUND : DRYDOCK_EIO,
			"'%s': %s", path, strerror(errno));
	while (got < size) {
		r = read(fd, head + got, size - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = errno;

			close(fd);
			return drydock_err_errno(err, e, path);
		}
		if (r == 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	*n = got;
	return 0;
}

/* A scratch file beside the database for members read by parse_file. */
static int scratch_path(struct walk *w, char *out, size_t size)
{
	return snprintf(out, size, "%s.member",
			drydock_vulndb_build_tmp(w->b)) >= (int)size
		       ? -1
		       : 0;
}

static int archive_fail(struct archive *a, const char *name, const char *member,
			struct drydock_err *err)
{
	const char *m = drydock_archive.error_string(a);

	if (member)
		return drydock_err_set(err, DRYDOCK_ECORRUPT,
				       "'%s': member '%s': %s", name, member,
				       m ? m : "unreadable archive");
	return drydock_err_set(err, DRYDOCK_ECORRUPT, "'%s': %s", name,
			       m ? m : "unreadable archive");
}

/* Stream the rest of the current member (after head) into a file. */
static int member_to_file(struct archive *a, const char *head, size_t hlen,
			  const char *path, const char *name, const char *mem,
			  struct drydock_err *err)
{
	char buf[65536];
	uint64_t total = hlen;
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	int rc = 0;

	if (fd < 0)
		return drydock_err_errno(err, errno, path);
	if (hlen && write(fd, head, hlen) != (ssize_t)hlen)
		rc = drydock_err_errno(err, errno, path);
	while (!rc) {
		la_ssize_t n = drydock_archive.read_data(a, buf, sizeof(buf));

		if (n < 0) {
			rc = archive_fail(a, name, mem, err);
			break;
		}
		if (n == 0)
			break;
		total += (uint64_t)n;
		if (total > DRYDOCK_MAX_FEED_XML_BYTES) {
			rc = drydock_err_set(
				err, DRYDOCK_ELIMIT,
				"'%s': member '%s': larger than "
				"the limit of %llu bytes",
				name, mem,
				(unsigned long long)DRYDOCK_MAX_FEED_XML_BYTES);
			break;
		}
		if (write(fd, buf, (size_t)n) != n)
			rc = drydock_err_errno(err, errno, path);
	}
	if (close(fd) < 0 && !rc)
		rc = drydock_err_errno(err, errno, path);
	return rc;
}

static int import_archive(struct walk *w, const char *path, const char *name,
			  int explicit_, struct drydock_err *err)
{
	struct archive *a;
	struct archive_entry *e;
	struct drydock_buf data = DRYDOCK_BUF_INIT(0);
	uint64_t entries = 0, before = w->st->files;
	char scratch[PATH_MAX];
	char label[PATH_MAX + 512];
	const char *why;
	int rc = 0, r, raw;

	if (drydock_archive_load(&why))
		return drydock_err_set(err, DRYDOCK_ERROR, "'%s': %s", name,
				       why);
	a = drydock_archive.read_new();
	if (!a)
		return drydock_err_set(err, DRYDOCK_ENOMEM, "out of memory");
	drydock_archive.read_support_filter_all(a);
	drydock_archive.read_support_format_tar(a);
	drydock_archive.read_support_format_zip(a);
	drydock_archive.read_support_format_raw(a);
	if (drydock_archive.read_open_filename(a, path, 65536) != ARCHIVE_OK) {
		rc = archive_fail(a, name, NULL, err);
		drydock_archive.read_free(a);
		return rc;
	}
	while (!rc) {
		const char *mem;
		const struct drydock_importer *imp;
		size_t cap;

		r = drydock_archive.read_next_header(a, &e);
		if (r == ARCHIVE_EOF)
			break;
		if (r != ARCHIVE_OK && r != ARCHIVE_WARN) {
			rc = archive_fail(a, name, NULL, err);
			break;
		}
		if (++entries > DRYDOCK_MAX_FEED_ARCHIVE_ENTRIES) {
			rc = drydock_err_set(
				err, DRYDOCK_ELIMIT,
				"'%s': more than %u archive members", name,
				DRYDOCK_MAX_FEED_ARCHIVE_ENTRIES);
			break;
		}
		raw = drydock_archive.format(a) == ARCHIVE_FORMAT_RAW;
		if (!raw && drydock_archive.entry_filetype(e) != AE_IFREG)
			continue;
		mem = drydock_archive.entry_pathname(e);
		if (!mem)
			mem = "?";
		if (raw)
			snprintf(label, sizeof(label), "%s", name);
		else
			snprintf(label, sizeof(label), "%s:%s", name, mem);
		/* a member larger than its limit fails (it is never cut) */
		cap = raw ? DRYDOCK_MAX_FEED_JSON_BYTES
			  : DRYDOCK_MAX_FEED_MEMBER_BYTES;
		drydock_buf_init(&data, cap);
		/* read the head to detect the format */
		while (data.len < HEAD_BYTES) {
			la_ssize_t n;

			if (drydock_buf_grow(&data, HEAD_BYTES)) {
				rc = drydock_err_set(err, DRYDOCK_ENOMEM,
						     "out of memory");
				break;
			}
			n = drydock_archive.read_data(a, data.ptr + data.len,
						      HEAD_BYTES - data.len);
			if (n < 0) {
				rc = archive_fail(a, name, raw ? NULL : mem,
						  err);
				break;
			}
			if (n == 0)
				break;
			data.len += (size_t)n;
			data.ptr[data.len] = '\0';
		}
		if (rc)
			break;
		imp = choose(w, data.ptr ? data.ptr : "", data.len, mem);
		if (!imp) {
			rc = unknown_format(w, label, explicit_ && raw, err);
			drydock_buf_release(&data);
			continue;
		}
		if (!imp->parse) {
			if (scratch_path(w, scratch, sizeof(scratch))) {
				rc = drydock_err_set(err, DRYDOCK_ELIMIT,
						     "'%s': path too long",
						     name);
				break;
			}
			rc = member_to_file(a, data.ptr, data.len, scratch,
					    name, mem, err);
			drydock_buf_release(&data);
			if (!rc)
				rc = import_file_streaming(w, imp, scratch,
							   label, err);
			unlink(scratch);
			continue;
		}
		for (;;) {
			la_ssize_t n;

			if (drydock_buf_grow(&data, 65536)) {
				rc = drydock_err_set(
					err, DRYDOCK_ELIMIT,
					"'%s': larger than the limit of %zu "
					"bytes",
					label, cap);
				break;
			}
			n = drydock_archive.read_data(a, data.ptr + data.len,
						      data.cap - data.len - 1);
			if (n < 0) {
				rc = archive_fail(a, name, raw ? NULL : mem,
						  err);
				break;
			}
			if (n == 0)
				break;
			data.len += (size_t)n;
			data.ptr[data.len] = '\0';
		}
		if (!rc) {
			w->st->bytes += data.len;
			rc = import_memory(w, imp, data.ptr, data.len, label,
					   err);
		}
		drydock_buf_release(&data);
	}
	drydock_buf_release(&data);
	drydock_archive.read_free(a);
	if (!rc && explicit_ && w->st->files == before)
		rc = drydock_err_set(err, DRYDOCK_ENOTFOUND,
				     "'%s': no feed file in the archive", name);
	return rc;
}

static int import_file(struct walk *w, const char *path, const char *name,
		       int explicit_, struct drydock_err *err)
{
	char *head = malloc(HEAD_BYTES + 1);
	const struct drydock_importer *imp;
	struct drydock_buf data;
	size_t n = 0;
	int rc;

	if (!head)
		return drydock_err_set(err, DRYDOCK_ENOMEM, "out of memory");
	rc = read_head(path, head, HEAD_BYTES, &n, err);
	if (rc) {
		free(head);
		return rc;
	}
	head[n] = '\0';
	if (is_archive((const unsigned char *)head, n)) {
		free(head);
		return import_archive(w, path, name, explicit_, err);
	}
	imp = choose(w, head, n, name);
	free(head);
	if (!imp)
		return unknown_format(w, name, explicit_, err);
	if (!imp->parse)
		return import_file_streaming(w, imp, path, name, err);
	drydock_buf_init(&data, DRYDOCK_MAX_FEED_JSON_BYTES);
	rc = drydock_buf_read_file(&data, path, err);
	if (rc == DRYDOCK_ELIMIT)
		rc = drydock_err_set(err, rc,
				     "'%s': feed larger than the limit of %u "
				     "bytes",
				     name, DRYDOCK_MAX_FEED_JSON_BYTES);
	if (!rc) {
		w->st->bytes += data.len;
		rc = import_memory(w, imp, data.ptr ? data.ptr : "", data.len,
				   name, err);
	}
	drydock_buf_release(&data);
	return rc;
}

static int not_hidden(const struct dirent *e)
{
	return e->d_name[0] != '.';
}

static int import_dir(struct walk *w, const char *path, int depth,
		      struct drydock_err *err)
{
	struct dirent **list = NULL;
	int i, n = 0, rc = 0;

	if (depth > DRYDOCK_MAX_FEED_DIR_DEPTH)
		return drydock_err_set(err, DRYDOCK_ELIMIT,
				       "'%s': directories nested deeper than "
				       "%d levels",
				       path, DRYDOCK_MAX_FEED_DIR_DEPTH);
	n = scandir(path, &list, not_hidden, alphasort);
	if (n < 0)
		return drydock_err_errno(err, errno, path);
	for (i = 0; i < n; i++) {
		char sub[PATH_MAX];
		struct stat st;

		if (rc)
			goto next;
		if (snprintf(sub, sizeof(sub), "%s/%s", path,
			     list[i]->d_name) >= (int)sizeof(sub)) {
			rc = drydock_err_set(err, DRYDOCK_ELIMIT,
					     "'%s/%s': path too long", path,
					     list[i]->d_name);
			goto next;
		}
		if (lstat(sub, &st) < 0) {
			rc = drydock_err_errno(err, errno, sub);
			goto next;
		}
		if (S_ISDIR(st.st_mode))
			rc = import_dir(w, sub, depth + 1, err);
		else if (S_ISREG(st.st_mode) ||
			 (S_ISLNK(st.st_mode) && stat(sub, &st) == 0 &&
			  S_ISREG(st.st_mode)))
			rc = import_file(w, sub, sub, 0, err);
	next:
		free(list[i]);
	}
	free(list);
	return rc;
}

int drydock_vulndb_import_path(struct drydock_vulndb_build *b, const char *path,
			       const char *format, const char *source_name,
			       struct drydock_import_stats *stats,
			       struct drydock_err *err)
{
	struct walk w;
	struct stat st;
	char real[PATH_MAX];
	uint64_t before = stats->files;
	int rc;

	if (format && !drydock_importer_find(format))
		return drydock_err_set(err, DRYDOCK_EUSAGE,
				       "unknown feed format '%s'", format);
	if (stat(path, &st) < 0)
		return drydock_err_set(
			err, errno == ENOENT ? DRYDOCK_ENOTFOUND : DRYDOCK_EIO,
			"'%s': %s", path, strerror(errno));
	memset(&w, 0, sizeof(w));
	w.b = b;
	w.format = format;
	w.source_name = source_name;
	w.location = realpath(path, real) ? real : path;
	w.st = stats;
	if (S_ISDIR(st.st_mode)) {
		rc = import_dir(&w, path, 0, err);
		if (!rc && stats->files == before)
			rc = drydock_err_set(err, DRYDOCK_ENOTFOUND,
					     "'%s': no feed file in the "
					     "directory",
					     path);
		return rc;
	}
	if (!S_ISREG(st.st_mode))
		return drydock_err_set(err, DRYDOCK_EUNSUPPORTED,
				       "'%s': not a file or directory", path);
	return import_file(&w, path, path, 1, err);
}

int drydock_vulndb_import_as(struct drydock_vulndb_build *b, const char *path,
			     const char *name, const char *format,
			     const char *source_name,
			     struct drydock_import_stats *stats,
			     struct drydock_err *err)
{
	struct walk w;

	if (format && !drydock_importer_find(format))
		return drydock_err_set(err, DRYDOCK_EUSAGE,
				       "unknown feed format '%s'", format);
	memset(&w, 0, sizeof(w));
	w.b = b;
	w.format = format;
	w.source_name = source_name;
	w.location = name;
	w.st = stats;
	return import_file(&w, path, name, 1, err);
}

int drydock_vulndb_default_path(char *out, size_t size, struct drydock_err *err)
{
	const char *v = getenv("DRYDOCK_DB");
	int n;

	if (v && *v)
		n = snprintf(out, size, "%s", v);
	else if ((v = getenv("XDG_CACHE_HOME")) && *v == '/')
		n = snprintf(out, size, "%s/drydock/vuln.db", v);
	else if ((v = getenv("HOME")) && *v)
		n = snprintf(out, size, "%s/.cache/drydock/vuln.db", v);
	else
		return drydock_err_set(err, DRYDOCK_ENOTFOUND,
				       "no database path: set DRYDOCK_DB, "
				       "XDG_CACHE_HOME or HOME, or give --db");
	if (n < 0 || (size_t)n >= size)
		return drydock_err_set(err, DRYDOCK_ELIMIT,
				       "database path too long");
	return 0;
}
