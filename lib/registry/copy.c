#include "../util/setup.h"

/*
 * Copying images blob for blob between OCI layouts, OCI archives and
 * registries. Manifests, configs and layers keep their exact bytes, so
 * every digest survives the copy.
 *
 * A location is a "store" with four operations (manifest get/put, blob
 * get/put). An OCI archive is unpacked into a private temporary layout
 * when read and packed from one when written.
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "drydock/error.h"
#include "drydock/json.h"
#include "drydock/limits.h"
#include "../util/archivedl.h"
#include "internal.h"

enum store_kind { ST_LAYOUT = 1, ST_ARCHIVE, ST_REGISTRY };

struct store {
	enum store_kind kind;
	char path[4096]; /* layout dir (for archives: the temp dir) */
	char archive[4096];
	char tag[DRYDOCK_REF_TAG_MAX];
	char digest[DRYDOCK_DIGEST_MAX];
	struct drydock_registry_ref ref;
	struct drydock_registry *reg;
	char name[4200]; /* as the user wrote it, for messages */
	int writable;
	int tmpdir;
};

#define REF_NAME_ANN "org.opencontainers.image.ref.name"

static int rm_entry(const char *p, const struct stat *sb, int flag,
		    struct FTW *f)
{
	(void)sb;
	(void)flag;
	(void)f;
	return remove(p);
}

static void rm_tree(const char *dir)
{
	nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* "oci:DIR[:TAG|@DIGEST]": the tag is after the last ':' past the last
 * '/'. */
static void split_path_ref(const char *s, struct store *st)
{
	const char *slash = strrchr(s, '/'), *at, *colon;
	const char *from = slash ? slash : s;

	at = strchr(from, '@');
	if (at && !strncmp(at + 1, "sha", 3)) {
		snprintf(st->digest, sizeof(st->digest), "%s", at + 1);
		snprintf(st->path, sizeof(st->path), "%.*s", (int)(at - s), s);
		return;
	}
	colon = strrchr(from, ':');
	if (colon && colon[1] && drydock_registry_tag_valid(colon + 1)) {
		snprintf(st->tag, sizeof(st->tag), "%s", colon + 1);
		snprintf(st->path, sizeof(st->path), "%.*s", (int)(colon - s),
			 s);
		return;
	}
	snprintf(st->path, sizeof(st->path), "%s", s);
}

static int extract_archive(struct store *st, struct drydock_err *err);

static int store_open(struct store *st, const char *loc, int write,
		      const struct drydock_registry_opts *ro,
		      struct drydock_err *err)
{
	memset(st, 0, sizeof(*st));
	snprintf(st->name, sizeof(st->name), "%s", loc);
	st->writable = write;
	if (!strncmp(loc, "oci:", 4)) {
		st->kind = ST_LAYOUT;
		split_path_ref(loc + 4, st);
		if (!st->path[0])
			return drydock_err_set(err, DRYDOCK_EUSAGE,
					       "'%s': no directory", loc);
		if (write && mkdir(st->path, 0755) && errno != EEXIST)
			return drydock_err_errno(err, errno, st->path);
		return 0;
	}
	if (!strncmp(loc, "oci-archive:", 12)) {
		char tmpl[] = "/tmp/drydock-oci-XXXXXX";

		st->kind = ST_ARCHIVE;
		split_path_ref(loc + 12, st);
		snprintf(st->archive, sizeof(st->archive), "%s", st->path);
		if (!mkdtemp(tmpl))
			return drydock_err_errno(err, errno, "/tmp");
		snprintf(st->path, sizeof(st->path), "%s", tmpl);
		st->tmpdir = 1;
		return write ? 0 : extract_archive(st, err);
	}
	st->kind = ST_REGISTRY;
	if (!strncmp(loc, "docker://", 9))
		loc += 9;
	if (drydock_registry_ref_parse(&st->ref, loc, err))
		return err ? err->code : DRYDOCK_EUSAGE;
	snprintf(st->tag, sizeof(st->tag), "%s", st->ref.tag);
	snprintf(st->digest, sizeof(st->digest), "%s", st->ref.digest);
	return drydock_registry_new(&st->reg, st->ref.domain, ro, err);
}

static void store_close(struct store *st)
{
	drydock_registry_free(st->reg);
	st->reg = NULL;
	if (st->tmpdir)
		rm_tree(st->path);
}

/* Layout files ------------------------------------------------------------ */

static int blob_path(const struct store *st, const char *digest, char *out,
		     size_t n, struct drydock_err *err)
{
	int rc = drydock_digest_validate(digest, err);

	if (rc)
		return rc;
	snprintf(out, n, "%s/blobs/%.*s/%s", st->path,
		 (int)(strchr(digest, ':') - digest), digest,
		 drydock_digest_hex(digest));
	return 0;
}

static int read_small(const char *path, struct drydock_buf *b, size_t max,
		      struct drydock_err *err)
{
	b->max = max;
	return drydock_buf_read_file(b, path, err);
}

static int write_file_atomic(const char *path, const void *data, size_t len,
			     struct drydock_err *err)
{
	char tmp[4200];
	int fd;
	ssize_t w;
	size_t off = 0;

	snprintf(tmp, sizeof(tmp), "%s.tmp-%ld", path, (long)getpid());
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return drydock_err_errno(err, errno, tmp);
	while (off < len) {
		w = write(fd, (const char *)data + off, len - off);
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

static int mkdirs(const char *dir, struct drydock_err *err)
{
	char p[4200];
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

/* Find the manifest descriptor in a layout's index.json. */
static int layout_find(struct store *st, char digest[DRYDOCK_DIGEST_MAX],
		       char mt[128], struct drydock_err *err)
{
	struct drydock_buf b = DRYDOCK_BUF_INIT(0);
	char path[4200];
	json_t *doc, *list, *e, *found = NULL;
	size_t i;
	int rc;

	snprintf(path, sizeof(path), "%s/index.json", st->path);
	rc = read_small(path, &b, DRYDOCK_MAX_MANIFEST_BYTES, err);
	if (rc)
		goto out;
	doc = drydock_json_load(b.ptr, b.len, DRYDOCK_MAX_MANIFEST_BYTES, path,
				err);
	if (!doc) {
		rc = err ? err->code : DRYDOCK_ECORRUPT;
		goto out;
	}
	list = json_object_get(doc, "manifests");
	json_array_foreach(list, i, e)
	{
		const char *d = drydock_json_str(e, "digest");
		const char *n = drydock_json_str(
			json_object_get(e, "annotations"), REF_NAME_ANN);

		if (!d)
			continue;
		if ((st->digest[0] && !strcmp(d, st->digest)) ||
		    (st->tag[0] && n && !strcmp(n, st->tag)) ||
		    (!st->tag[0] && !st->digest[0] &&
		     json_array_size(list) == 1)) {
			found = e;
			break;
		}
	}
	if (!found) {
		rc = drydock_err_set(err, DRYDOCK_ENOTFOUND,
				     "'%s': no image %s%s in index.json%s",
				     st->name, st->tag[0] ? "tagged " : "",
				     st->tag[0]	     ? st->tag
				     : st->digest[0] ? st->digest
						     : "",
				     !st->tag[0] && !st->digest[0]
					     ? " (several: give a tag)"
					     : "");
	} else {
		const char *d = drydock_json_str(found, "digest");
		const char *m = drydock_json_str(found, "mediaType");

		rc = drydock_digest_validate(d, err);
		if (!rc) {
			snprintf(digest, DRYDOCK_DIGEST_MAX, "%s", d);
			snprintf(mt, 128, "%s",
				 m ? m : DRYDOCK_MT_OCI_MANIFEST);
		}
	}
	json_decref(doc);
out:
	drydock_buf_release(&b);
	return rc;
}

/* Add (or retarget) a descriptor named tag in index.json. */
static int layout_tag(struct store *st, const char *digest, const char *mt,
		      size_t size, const char *tag, struct drydock_err *err)
{
	struct drydock_buf b = DRYDOCK_BUF_INIT(0);
	struct drydock_buf out = DRYDOCK_BUF_INIT(DRYDOCK_MAX_MANIFEST_BYTES);
	char path[4200];
	json_t *doc = NULL, *list, *e, *desc;
	size_t i;
	int rc;

	snprintf(path, sizeof(path), "%s/oci-layout", st->path);
	rc = write_file_atomic(path, "{\"imageLayoutVersion\":\"1.0.0\"}", 30,
			       err);
	if (rc)
		return rc;
	snprintf(path, sizeof(path), "%s/index.json", st->path);
	rc = read_small(path, &b, DRYDOCK_MAX_MANIFEST_BYTES, err);
	if (rc == DRYDOCK_ENOTFOUND) {
		drydock_err_clear(err);
		doc = json_pack("{s:i, s:s, s:[]}", "schemaVersion", 2,
				"mediaType", DRYDOCK_MT_OCI_INDEX, "manifests");
		rc = 0;
	} else if (!rc) {
		doc = drydock_json_load(b.ptr, b.len,
					DRYDOCK_MAX_MANIFEST_BYTES, path, err);
		if (!doc)
			rc = err ? err->code : DRYDOCK_ECORRUPT;
	}
	if (rc)
		goto out;
	list = json_object_get(doc, "manifests");
	if (!json_is_array(list)) {
		list = json_array();
		json_object_set_new(doc, "manifests", list);
	}
	/* drop an older descriptor with the same name (or same digest when
	 * untagged) */
	for (i = json_array_size(list); i-- > 0;) {
		const char *n;

		e = json_array_get(list, i);
		n = drydock_json_str(json_object_get(e, "annotations"),
				     REF_NAME_ANN);
		if ((tag && n && !strcmp(n, tag)) ||
		    (!tag && !n &&
		     !strcmp(drydock_json_str(e, "digest")
				     ? drydock_json_str(e, "digest")
				     : "",
			     digest)))
			json_array_remove(list, i);
	}
	desc = json_pack("{s:s, s:s, s:I}", "mediaType", mt, "digest", digest,
			 "size", (json_int_t)size);
	if (tag)
		json_object_set_new(desc, "annotations",
				    json_pack("{s:s}", REF_NAME_ANN, tag));
	json_array_append_new(list, desc);
	rc = drydock_json_dump(&out, doc, 0);
	if (!rc)
		rc = write_file_atomic(path, out.ptr, out.len, err);
out:
	json_decref(doc);
	drydock_buf_release(&b);
	drydock_buf_release(&out);
	return rc;
}

/* Archives ---------------------------------------------------------------- */

/* An archive member's name without "./", or -1 when it could escape. */
static int layout_member(const char *name, char *out, size_t n)
{
	while (!strncmp(name, "./", 2))
		name += 2;
	if (name[0] == '/' || strstr(name, "..") || strlen(name) >= n)
		return -1;
	snprintf(out, n, "%s", name);
	return 0;
}

static int extract_archive(struct store *st, struct drydock_err *err)
{
	struct archive *a;
	struct archive_entry *ae;
	const char *why;
	int rc = 0, r;
	size_t n = 0;

	if (drydock_archive_load(&why))
		return drydock_err_set(err, DRYDOCK_ERROR, "'%s': %s",
				       st->archive, why);
	a = drydock_archive.read_new();
	if (!a)
		return drydock_err_set(err, DRYDOCK_ENOMEM, "out of memory");
	drydock_archive.read_support_format_tar(a);
	drydock_archive.read_support_filter_gzip(a);
	drydock_archive.read_support_filter_zstd(a);
	if (drydock_archive.read_open_filename(a, st->archive, 65536) !=
	    ARCHIVE_OK) {
		rc = drydock_err_set(err, DRYDOCK_EIO, "'%s': %s", st->archive,
				     drydock_archive.error_string(a));
		goto out;
	}
	while ((r = drydock_archive.read_next_header(a, &ae)) == ARCHIVE_OK) {
		char norm[DRYDOCK_MAX_PATH], path[4200 + DRYDOCK_MAX_PATH];
		const char *name = drydock_archive.entry_pathname(ae);
		char *slash;
		int fd;

		if (++n > DRYDOCK_MAX_ARCHIVE_ENTRIES) {
			rc = drydock_err_set(err, DRYDOCK_ELIMIT,
					     "'%s': more than %d entries",
					     st->archive,
					     DRYDOCK_MAX_ARCHIVE_ENTRIES);
			goto out;
		}
		if (drydock_archive.entry_filetype(ae) != AE_IFREG || !name)
			continue;
		if (layout_member(name, norm, sizeof(norm)))
			continue;
		/* only what an OCI layout holds */
		if (strcmp(norm, "index.json") && strcmp(norm, "oci-layout") &&
		    strncmp(norm, "blobs/", 6))
			continue;
		snprintf(path, sizeof(path), "%s/%s", st->path, norm);
		slash = strrchr(path, '/');
		*slash = '\0';
		rc = mkdirs(path, err);
		*slash = '/';
		if (rc)
			goto out;
		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (fd < 0) {
			rc = drydock_err_errno(err, errno, path);
			goto out;
		}
		r = drydock_archive.read_data_into_fd(a, fd);
		close(fd);
		if (r != ARCHIVE_OK) {
			rc = drydock_err_set(err, DRYDOCK_ECORRUPT, "'%s': %s",
					     st->archive,
					     drydock_archive.error_string(a));
			goto out;
		}
	}
	if (r != ARCHIVE_EOF)
		rc = drydock_err_set(err, DRYDOCK_ECORRUPT, "'%s': %s",
				     st->archive,
				     drydock_archive.error_string(a));
out:
	drydock_archive.read_free(a);
	return rc;
}

static int add_file(struct archive *a, const char *full, const char *name,
		    struct drydock_err *err)
{
	struct archive_entry *ae;
	struct stat sb;
	char buf[65536];
	ssize_t n;
	int fd, rc = 0;

	fd = open(full, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &sb)) {
		rc = drydock_err_errno(err, errno, full);
		if (fd >= 0)
			close(fd);
		return rc;
	}
	ae = drydock_archive.entry_new();
	drydock_archive.entry_set_pathname(ae, name);
	drydock_archive.entry_set_filetype(ae, AE_IFREG);
	drydock_archive.entry_set_perm(ae, 0644);
	drydock_archive.entry_set_size(ae, sb.st_size);
	drydock_archive.entry_set_mtime(ae, 0, 0);
	if (drydock_archive.write_header(a, ae) != ARCHIVE_OK)
		rc = drydock_err_set(err, DRYDOCK_EIO, "'%s': %s", full,
				     drydock_archive.error_string(a));
	while (!rc && (n = read(fd, buf, sizeof(buf))) > 0)
		if (drydock_archive.write_data(a, buf, (size_t)n) != n)
			rc = drydock_err_set(err, DRYDOCK_EIO, "'%s': %s", full,
					     drydock_archive.error_string(a));
	drydock_archive.entry_free(ae);
	close(fd);
	return rc;
}

static int pack_archive(struct store *st, struct drydock_err *err)
{
	struct archive *a;
	char tmp[4200], full[8400];
	const char *algs[] = {"sha256", "sha512"};
	const char *why;
	int rc;

	if (drydock_archive_load(&why))
		return drydock_err_set(err, DRYDOCK_ERROR, "'%s': %s",
				       st->archive, why);
	a = drydock_archive.write_new();
	if (!a)
		return drydock_err_set(err, DRYDOCK_ENOMEM, "out of memory");
	snprintf(tmp, sizeof(tmp), "%s.tmp-%ld", st->archive, (long)getpid());
	drydock_archive.write_set_format_pax_restricted(a);
	if (drydock_archive.write_open_filename(a, tmp) != ARCHIVE_OK) {
		rc = drydock_err_set(err, DRYDOCK_EIO, "'%s': %s", tmp,
				     drydock_archive.error_string(a));
		drydock_archive.write_free(a);
		return rc;
	}
	snprintf(full, sizeof(full), "%s/oci-layout", st->path);
	rc = add_file(a, full, "oci-layout", err);
	snprintf(full, sizeof(full), "%s/index.json", st->path);
	if (!rc)
		rc = add_file(a, full, "index.json", err);
	for (size_t k = 0; !rc && k < 2; k++) {
		struct dirent *de;
		DIR *d;

		snprintf(full, sizeof(full), "%s/blobs/%s", st->path, algs[k]);
		d = opendir(full);
		if (!d)
			continue;
		while (!rc && (de = readdir(d))) {
			char f[8800], name[600];

			if (de->d_name[0] == '.')
				continue;
			snprintf(f, sizeof(f), "%s/%s", full, de->d_name);
			snprintf(name, sizeof(name), "blobs/%s/%s", algs[k],
				 de->d_name);
			rc = add_file(a, f, name, err);
		}
		closedir(d);
	}
	if (drydock_archive.write_close(a) != ARCHIVE_OK && !rc)
		rc = drydock_err_set(err, DRYDOCK_EIO, "'%s': %s", tmp,
				     drydock_archive.error_string(a));
	drydock_archive.write_free(a);
	if (!rc && rename(tmp, st->archive))
		rc = drydock_err_errno(err, errno, st->archive);
	if (rc)
		unlink(tmp);
	return rc;
}

/* Store operations ------------------------------------------------------- */

/* The top-level manifest (or index) of the store's reference. */
static int store_get_manifest(struct store *st, const char *ref,
			      struct drydock_buf *body,
			      char digest[DRYDOCK_DIGEST_MAX], char mt[128],
			      struct drydock_err *err)
{
	char path[4200], d[DRYDOCK_DIGEST_MAX];
	int rc;

	if (st->kind == ST_REGISTRY) {
		struct drydock_registry_manifest m;

		m.body = body;
		rc = drydock_registry_manifest_get(
			st->reg, st->ref.path,
			ref ? ref : drydock_registry_ref_ref(&st->ref), &m,
			err);
		if (!rc) {
			memcpy(digest, m.digest, DRYDOCK_DIGEST_MAX);
			memcpy(mt, m.media_type, 128);
		}
		return rc;
	}
	if (ref) {
		snprintf(d, sizeof(d), "%s", ref);
	} else {
		rc = layout_find(st, d, mt, err);
		if (rc)
			return rc;
	}
	rc = blob_path(st, d, path, sizeof(path), err);
	if (!rc)
		rc = read_small(path, body, DRYDOCK_MAX_MANIFEST_BYTES, err);
	if (rc)
		return rc;
	{
		char got[DRYDOCK_DIGEST_MAX];
		json_t *doc;
		const char *m;

		drydock_digest_sha256(body->ptr, body->len, got);
		if (strcmp(got, d))
			return drydock_err_set(err, DRYDOCK_EDIGEST,
					       "'%s': manifest content does "
					       "not match its digest %s",
					       st->name, d);
		doc = drydock_json_load(body->ptr, body->len,
					DRYDOCK_MAX_MANIFEST_BYTES, path, err);
		if (!doc)
			return err ? err->code : DRYDOCK_ECORRUPT;
		m = drydock_json_str(doc, "mediaType");
		if (m && strlen(m) < 128)
			snprintf(mt, 128, "%s", m);
		else if (ref)
			snprintf(
				mt, 128, "%s",
				json_is_array(json_object_get(doc, "manifests"))
					? DRYDOCK_MT_OCI_INDEX
					: DRYDOCK_MT_OCI_MANIFEST);
		json_decref(doc);
	}
	memcpy(digest, d, DRYDOCK_DIGEST_MAX);
	return 0;
}

static int store_has_blob(struct store *st, const char *digest,
			  struct drydock_err *err)
{
	char path[4200];
	int rc;

	if (st->kind == ST_REGISTRY)
		return drydock_registry_blob_exists(st->reg, st->ref.path,
						    digest, NULL, err);
	rc = blob_path(st, digest, path, sizeof(path), err);
	if (rc)
		return rc;
	return access(path, F_OK) == 0;
}

struct fd_sink {
	int fd;
	struct drydock_hash *h;
};

static int fd_write(const void *data, size_t n, void *payload)
{
	struct fd_sink *s = payload;
	size_t off = 0;

	if (s->h)
		drydock_hash_update(s->h, data, n);
	while (off < n) {
		ssize_t w = write(s->fd, (const char *)data + off, n - off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return DRYDOCK_EIO;
		off += (size_t)w;
	}
	return 0;
}

/* Stream a blob of the store into fd, verifying its digest. */
static int store_blob_to_fd(struct store *st, const char *digest, int fd,
			    struct drydock_err *err)
{
	struct fd_sink s = {fd, NULL};
	char path[4200], buf[65536], got[DRYDOCK_DIGEST_MAX];
	ssize_t n;
	int in, rc;

	if (st->kind == ST_REGISTRY)
		return drydock_registry_blob_stream(st->reg, st->ref.path,
						    digest, fd_write, &s, err);
	rc = blob_path(st, digest, path, sizeof(path), err);
	if (rc)
		return rc;
	in = open(path, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return drydock_err_set(
			err, errno == ENOENT ? DRYDOCK_ENOTFOUND : DRYDOCK_EIO,
			"'%s': blob %s: %s", st->name, digest, strerror(errno));
	s.h = drydock_hash_new(strncmp(digest, "sha512:", 7) ? "sha256"
							     : "sha512");
	if (!s.h) {
		close(in);
		return DRYDOCK_ENOMEM;
	}
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (fd_write(buf, (size_t)n, &s)) {
			rc = drydock_err_errno(err, errno, "blob copy");
			break;
		}
	if (n < 0 && !rc)
		rc = drydock_err_errno(err, errno, path);
	close(in);
	drydock_hash_finish(s.h, got);
	if (!rc && strcmp(got, digest))
		rc = drydock_err_set(err, DRYDOCK_EDIGEST,
				     "'%s': blob content does not match its "
				     "digest %s (got %s)",
				     st->name, digest, got);
	return rc;
}

/* Copy one blob from src to dst (skipped when dst has it). */
static int copy_blob(struct store *src, struct store *dst, const char *digest,
		     const struct drydock_copy_opts *o, struct drydock_err *err)
{
	char tmpl[] = "/tmp/drydock-blob-XXXXXX", path[4200], line[300];
	struct fd_src src_fd;
	struct stat sb;
	int rc, fd;

	rc = store_has_blob(dst, digest, err);
	if (rc < 0)
		return rc;
	if (rc == 1) {
		if (o && o->progress) {
			snprintf(line, sizeof(line), "blob %s exists", digest);
			o->progress(line, o->progress_payload);
		}
		return 0;
	}
	if (src->kind == ST_REGISTRY && dst->kind == ST_REGISTRY &&
	    !strcmp(src->ref.domain, dst->ref.domain) &&
	    strcmp(src->ref.path, dst->ref.path)) {
		int mounted = 0;

		rc = drydock_registry_blob_mount(dst->reg, dst->ref.path,
						 src->ref.path, digest,
						 &mounted, err);
		if (rc)
			return rc;
		if (mounted) {
			if (o && o->progress) {
				snprintf(line, sizeof(line),
					 "blob %s mounted from %s", digest,
					 src->ref.path);
				o->progress(line, o->progress_payload);
			}
			return 0;
		}
	}
	if (dst->kind != ST_REGISTRY) {
		/* straight into the layout, renamed once verified */
		char dir[4200];

		rc = blob_path(dst, digest, path, sizeof(path), err);
		if (rc)
			return rc;
		snprintf(dir, sizeof(dir), "%s", path);
		*strrchr(dir, '/') = '\0';
		rc = mkdirs(dir, err);
		if (rc)
			return rc;
		{
			char tmp[4300];

			snprintf(tmp, sizeof(tmp), "%s.part-%ld", path,
				 (long)getpid());
			fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
				  0644);
			if (fd < 0)
				return drydock_err_errno(err, errno, tmp);
			rc = store_blob_to_fd(src, digest, fd, err);
			if (close(fd) && !rc)
				rc = drydock_err_errno(err, errno, tmp);
			if (!rc && rename(tmp, path))
				rc = drydock_err_errno(err, errno, path);
			if (rc)
				unlink(tmp);
		}
		goto done;
	}
	/* to a registry: from the layout file, or spooled from a registry */
	if (src->kind != ST_REGISTRY) {
		rc = blob_path(src, digest, path, sizeof(path), err);
		if (rc)
			return rc;
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return drydock_err_errno(err, errno, path);
	} else {
		fd = mkstemp(tmpl);
		if (fd < 0)
			return drydock_err_errno(err, errno, "/tmp");
		unlink(tmpl);
		rc = store_blob_to_fd(src, digest, fd, err);
		if (!rc && lseek(fd, 0, SEEK_SET))
			rc = drydock_err_errno(err, errno, "spool");
		if (rc) {
			close(fd);
			return rc;
		}
	}
	if (fstat(fd, &sb)) {
		rc = drydock_err_errno(err, errno, digest);
		close(fd);
		return rc;
	}
	src_fd.fd = fd;
	src_fd.name = digest;
	src_fd.err = err;
	rc = drydock_registry_blob_upload(dst->reg, dst->ref.path, digest,
					  (long long)sb.st_size, fd_src_read,
					  &src_fd, err);
	close(fd);
done:
	if (!rc && o && o->progress) {
		snprintf(line, sizeof(line), "blob %s copied", digest);
		o->progress(line, o->progress_payload);
	}
	return rc;
}

static int store_put_manifest(struct store *dst, const char *data, size_t len,
			      const char *mt, const char *tag,
			      struct drydock_err *err)
{
	char d[DRYDOCK_DIGEST_MAX], path[4200];
	int rc;

	drydock_digest_sha256(data, len, d);
	if (dst->kind == ST_REGISTRY)
		return drydock_registry_manifest_put(dst->reg, dst->ref.path,
						     tag ? tag : d, mt, data,
						     len, NULL, NULL, err);
	rc = blob_path(dst, d, path, sizeof(path), err);
	if (!rc) {
		char dir[4200];

		snprintf(dir, sizeof(dir), "%s", path);
		*strrchr(dir, '/') = '\0';
		rc = mkdirs(dir, err);
	}
	if (!rc)
		rc = write_file_atomic(path, data, len, err);
	return rc;
}

/* Copy one image manifest: config and layers, then the manifest bytes. */
static int copy_manifest(struct store *src, struct store *dst, const char *data,
			 size_t len, const char *mt, const char *tag,
			 const struct drydock_copy_opts *o,
			 struct drydock_err *err)
{
	json_t *doc, *layers, *e;
	const char *cd;
	size_t i;
	int rc = 0;

	doc = drydock_json_load(data, len, DRYDOCK_MAX_MANIFEST_BYTES,
				src->name, err);
	if (!doc)
		return err ? err->code : DRYDOCK_ECORRUPT;
	cd = drydock_json_str(json_object_get(doc, "config"), "digest");
	layers = json_object_get(doc, "layers");
	if (!cd || !json_is_array(layers)) {
		rc = drydock_err_set(err, DRYDOCK_ECORRUPT,
				     "'%s': manifest without config or layers",
				     src->name);
		goto out;
	}
	if (json_array_size(layers) > DRYDOCK_MAX_LAYERS) {
		rc = drydock_err_set(err, DRYDOCK_ELIMIT,
				     "'%s': more than %d layers", src->name,
				     DRYDOCK_MAX_LAYERS);
		goto out;
	}
	rc = copy_blob(src, dst, cd, o, err);
	json_array_foreach(layers, i, e)
	{
		const char *ld = drydock_json_str(e, "digest");

		if (rc)
			break;
		if (!ld) {
			rc = drydock_err_set(err, DRYDOCK_ECORRUPT,
					     "'%s': layer %zu has no digest",
					     src->name, i);
			break;
		}
		if (json_is_array(json_object_get(e, "urls")))
			continue; /* foreign layer: not distributed */
		rc = copy_blob(src, dst, ld, o, err);
	}
	if (!rc)
		rc = store_put_manifest(dst, data, len, mt, tag, err);
out:
	json_decref(doc);
	return rc;
}

int drydock_image_copy(const char *srcloc, const char *dstloc,
		       const struct drydock_copy_opts *o,
		       char digest_out[DRYDOCK_DIGEST_MAX],
		       struct drydock_err *err)
{
	struct drydock_buf top = DRYDOCK_BUF_INIT(DRYDOCK_MAX_MANIFEST_BYTES);
	struct drydock_buf child = DRYDOCK_BUF_INIT(DRYDOCK_MAX_MANIFEST_BYTES);
	char d[DRYDOCK_DIGEST_MAX], mt[128], cd[DRYDOCK_DIGEST_MAX], cmt[128];
	struct store src, dst;
	const char *tag;
	int rc;

	rc = store_open(&src, srcloc, 0, o ? o->src_registry : NULL, err);
	if (rc) {
		store_close(&src);
		return rc;
	}
	rc = store_open(&dst, dstloc, 1, o ? o->dst_registry : NULL, err);
	if (rc)
		goto out;
	if (dst.digest[0]) {
		rc = drydock_err_set(err, DRYDOCK_EUSAGE,
				     "'%s': a destination takes a tag, not a "
				     "digest",
				     dstloc);
		goto out;
	}
	tag = dst.tag[0] ? dst.tag : src.tag[0] ? src.tag : NULL;
	if (!tag && dst.kind == ST_REGISTRY)
		tag = "latest";
	rc = store_get_manifest(&src, NULL, &top, d, mt, err);
	if (rc)
		goto out;
	if (drydock_registry_mt_is_index(mt)) {
		json_t *doc, *list, *e;
		size_t i;

		if (!o || !o->all_platforms) {
			rc = drydock_registry_pick_platform(
				top.ptr, top.len, o ? o->platform : NULL, cd,
				cmt, err);
			if (rc) {
				drydock_err_prefix(err, "'%s'", srcloc);
				goto out;
			}
			rc = store_get_manifest(&src, cd, &child, cd, cmt, err);
			if (!rc)
				rc = copy_manifest(&src, &dst, child.ptr,
						   child.len, cmt, tag, o, err);
			memcpy(d, cd, sizeof(d));
			memcpy(mt, cmt, sizeof(mt));
			drydock_buf_release(&top);
			top = child;
			drydock_buf_init(&child, DRYDOCK_MAX_MANIFEST_BYTES);
			goto finish;
		}
		doc = drydock_json_load(top.ptr, top.len,
					DRYDOCK_MAX_MANIFEST_BYTES, srcloc,
					err);
		if (!doc) {
			rc = err ? err->code : DRYDOCK_ECORRUPT;
			goto out;
		}
		list = json_object_get(doc, "manifests");
		json_array_foreach(list, i, e)
		{
			const char *ed = drydock_json_str(e, "digest");

			if (!ed) {
				rc = drydock_err_set(err, DRYDOCK_ECORRUPT,
						     "'%s': index entry %zu "
						     "without digest",
						     srcloc, i);
				break;
			}
			drydock_buf_reset(&child);
			rc = store_get_manifest(&src, ed, &child, cd, cmt, err);
			if (!rc && drydock_registry_mt_is_index(cmt))
				rc = drydock_err_set(err, DRYDOCK_EUNSUPPORTED,
						     "'%s': nested index",
						     srcloc);
			if (!rc)
				rc = copy_manifest(&src, &dst, child.ptr,
						   child.len, cmt, NULL, o,
						   err);
			if (rc)
				break;
		}
		json_decref(doc);
		if (rc)
			goto out;
		rc = store_put_manifest(&dst, top.ptr, top.len, mt, tag, err);
	} else if (drydock_registry_mt_is_manifest(mt)) {
		rc = copy_manifest(&src, &dst, top.ptr, top.len, mt, tag, o,
				   err);
	} else {
		rc = drydock_err_set(err, DRYDOCK_EUNSUPPORTED,
				     "'%s': unsupported manifest type '%s'",
				     srcloc, mt);
	}
finish:
	if (rc)
		goto out;
	if (dst.kind != ST_REGISTRY)
		rc = layout_tag(&dst, d, mt, top.len, tag, err);
	if (!rc && dst.kind == ST_ARCHIVE)
		rc = pack_archive(&dst, err);
	if (!rc && digest_out)
		memcpy(digest_out, d, DRYDOCK_DIGEST_MAX);
out:
	store_close(&src);
	store_close(&dst);
	drydock_buf_release(&top);
	drydock_buf_release(&child);
	return rc;
}

int drydock_image_ref_digest(const char *loc,
			     const struct drydock_registry_opts *ro,
			     const char *platform,
			     char digest[DRYDOCK_DIGEST_MAX],
			     struct drydock_err *err)
{
	struct drydock_buf b = DRYDOCK_BUF_INIT(DRYDOCK_MAX_MANIFEST_BYTES);
	char mt[128], d[DRYDOCK_DIGEST_MAX];
	struct store st;
	int rc;

	rc = store_open(&st, loc, 0, ro, err);
	if (rc)
		goto out;
	if (st.kind == ST_REGISTRY && !platform) {
		/* HEAD: Docker Hub does not count it as a pull */
		rc = drydock_registry_manifest_head(
			st.reg, st.ref.path, drydock_registry_ref_ref(&st.ref),
			digest, mt, NULL, err);
		goto out;
	}
	rc = store_get_manifest(&st, NULL, &b, d, mt, err);
	if (!rc && platform && drydock_registry_mt_is_index(mt)) {
		rc = drydock_registry_pick_platform(b.ptr, b.len, platform, d,
						    mt, err);
		if (rc)
			drydock_err_prefix(err, "'%s'", loc);
	}
	if (!rc)
		memcpy(digest, d, DRYDOCK_DIGEST_MAX);
out:
	store_close(&st);
	drydock_buf_release(&b);
	return rc;
}
