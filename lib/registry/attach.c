#include "../util/setup.h"

/*
 * Artifacts attached to images (drydock image attach): validating the
 * inputs, building the artifact manifest as the OCI image-spec v1.1
 * "Guidelines for Artifact Usage" describe it, and pushing it with the
 * distribution-spec v1.1 referrers fallback (the tag schema) when the
 * registry does not answer with OCI-Subject.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "drydock/buf.h"
#include "drydock/error.h"
#include "drydock/json.h"
#include "drydock/limits.h"
#include "drydock/registry.h"
#include "internal.h"

/* RFC 6838 4.2 restricted-name: an alphanumeric first, then up to 126
 * of alphanumerics and !#$&-^_.+ */
static int restricted_name(const char *s, size_t n)
{
	size_t i;

	if (n < 1 || n > 127)
		return 0;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		int alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			    (c >= '0' && c <= '9');

		if (alnum)
			continue;
		if (i == 0 || !strchr("!#$&-^_.+", c) || c == '\0')
			return 0;
	}
	return 1;
}

int drydock_media_type_valid(const char *s)
{
	const char *slash = s ? strchr(s, '/') : NULL;

	if (!slash)
		return 0;
	return restricted_name(s, (size_t)(slash - s)) &&
	       restricted_name(slash + 1, strlen(slash + 1));
}

static const char *base_name(const char *path)
{
	const char *end = path + strlen(path), *b;

	while (end > path + 1 && end[-1] == '/')
		end--;
	for (b = end; b > path && b[-1] != '/';)
		b--;
	return b;
}

/* The title of a layer: the basename without trailing slashes (into out). */
static void title_of(const char *path, char *out, size_t n)
{
	const char *b = base_name(path);
	size_t len = strcspn(b, "/");

	if (len >= n)
		len = n - 1;
	memcpy(out, b, len);
	out[len] = '\0';
}

/* Parse the annotations into obj (a fresh object), checking each. */
static int parse_annotations(const struct drydock_artifact *a, json_t *obj,
			     struct drydock_err *err)
{
	size_t i;

	if (a->nannotations > DRYDOCK_MAX_ATTACH_ANNOTATIONS)
		return drydock_err_set(err, DRYDOCK_ELIMIT,
				       "more than %d annotations",
				       DRYDOCK_MAX_ATTACH_ANNOTATIONS);
	for (i = 0; i < a->nannotations; i++) {
		const char *kv = a->annotations[i];
		const char *eq = strchr(kv, '=');
		char key[DRYDOCK_MAX_ANNOTATION_KEY + 1];
		size_t klen;

		if (!eq || eq == kv)
			return drydock_err_set(err, DRYDOCK_EUSAGE,
					       "annotation '%s': expected "
					       "KEY=VALUE with a non-empty KEY",
					       kv);
		klen = (size_t)(eq - kv);
		if (klen > DRYDOCK_MAX_ANNOTATION_KEY)
			return drydock_err_set(err, DRYDOCK_ELIMIT,
					       "annotation '%.40s...': key "
					       "longer than %d bytes",
					       kv, DRYDOCK_MAX_ANNOTATION_KEY);
		memcpy(key, kv, klen);
		key[klen] = '\0';
		if (json_object_get(obj, key))
			return drydock_err_set(err, DRYDOCK_EUSAGE,
					       "annotation '%s' given twice",
					       key);
		if (json_object_set_new(obj, key, json_string(eq + 1)))
			return drydock_err_set(err, DRYDOCK_EUSAGE,
					       "annotation '%s': not UTF-8",
					       key);
	}
	return 0;
}

/* The checks that need no file system. */
static int check_args(const struct drydock_artifact *a, json_t *annotations,
		      struct drydock_err *err)
{
	size_t i, j;

	if (!a->artifact_type || !*a->artifact_type)
		return drydock_err_set(err, DRYDOCK_EUSAGE,
				       "an artifact type is required");
	if (!drydock_media_type_valid(a->artifact_type))
		return drydock_err_set(err, DRYDOCK_EUSAGE,
				       "artifact type '%s': not a media type "
				       "(TYPE/SUBTYPE, RFC 6838)",
				       a->artifact_type);
	if (a->media_type && !drydock_media_type_valid(a->media_type))
		return drydock_err_set(err, DRYDOCK_EUSAGE,
				       "media type '%s': not a media type "
				       "(TYPE/SUBTYPE, RFC 6838)",
				       a->media_type);
	if (a->nfiles > DRYDOCK_MAX_ATTACH_FILES)
		return drydock_err_set(err, DRYDOCK_ELIMIT,
				       "more than %d files",
				       DRYDOCK_MAX_ATTACH_FILES);
	for (i = 0; i < a->nfiles; i++) {
		char ti[4096], tj[4096];

		title_of(a->files[i], ti, sizeof(ti));
		if (!*ti || !strcmp(ti, ".") || !strcmp(ti, ".."))
			return drydock_err_set(err, DRYDOCK_EUSAGE,
					       "'%s': not a file name",
					       a->files[i]);
		for (j = 0; j < i; j++) {
			title_of(a->files[j], tj, sizeof(tj));
			if (!strcmp(ti, tj))
				return drydock_err_set(
					err, DRYDOCK_EUSAGE,
					"'%s' and '%s': the same file name "
					"(the layers' titles must differ)",
					a->files[j], a->files[i]);
		}
	}
	return parse_annotations(a, annotations, err);
}

int drydock_artifact_check(const struct drydock_artifact *a,
			   struct drydock_err *err)
{
	json_t *ann = json_object();
	size_t i;
	int rc;

	if (!ann)
		return drydock_err_set(err, DRYDOCK_ENOMEM, "out of memory");
	rc = check_args(a, ann, err);
	json_decref(ann);
	for (i = 0; !rc && i < a->nfiles; i++) {
		struct stat st;

		if (stat(a->files[i], &st))
			return drydock_err_errno(err, errno, a->files[i]);
		if (!S_ISREG(st.st_mode))
			return drydock_err_set(err, DRYDOCK_EUSAGE,
					       "'%s': not a regular file",
					       a->files[i]);
		if (st.st_size > DRYDOCK_MAX_ATTACH_FILE_BYTES)
			return drydock_err_set(err, DRYDOCK_ELIMIT,
					       "'%s': larger than %lld bytes",
					       a->files[i],
					       DRYDOCK_MAX_ATTACH_FILE_BYTES);
		if (access(a->files[i], R_OK))
			return drydock_err_errno(err, errno, a->files[i]);
	}
	return rc;
}

static json_t *descriptor(const char *mt, const char *digest, long long size)
{
	return json_pack("{s:s, s:s, s:I}", "mediaType", mt, "digest", digest,
			 "size", (json_int_t)size);
}

int drydock_artifact_manifest(struct drydock_buf *out,
			      const struct drydock_artifact *a,
			      const struct drydock_artifact_layer *layers,
			      const struct drydock_artifact_subject *subject,
			      struct drydock_err *err)
{
	const char *mt =
		a->media_type ? a->media_type : DRYDOCK_MT_OCTET_STREAM;
	json_t *doc = NULL, *ann = json_object(), *list = json_array(), *d;
	struct drydock_buf tmp = DRYDOCK_BUF_INIT(DRYDOCK_MAX_MANIFEST_BYTES);
	size_t i;
	int rc;

	if (!ann || !list) {
		rc = drydock_err_set(err, DRYDOCK_ENOMEM, "out of memory");
		goto out;
	}
	rc = check_args(a, ann, err);
	if (rc)
		goto out;
	if (drydock_digest_validate(subject->digest, err) ||
	    !drydock_media_type_valid(subject->media_type) ||
	    subject->size < 0) {
		rc = drydock_err_set(err, DRYDOCK_ECORRUPT,
				     "subject '%s': incomplete descriptor",
				     subject->digest);
		goto out;
	}
	for (i = 0; i < a->nfiles; i++) {
		char title[4096];

		if (drydock_digest_validate(layers[i].digest, err) ||
		    layers[i].size < 0) {
			rc = drydock_err_set(err, DRYDOCK_ECORRUPT,
					     "'%s': no digest", a->files[i]);
			goto out;
		}
		title_of(a->files[i], title, sizeof(title));
		d = descriptor(mt, layers[i].digest, layers[i].size);
		if (!d || json_object_set_new(
				  d, "annotations",
				  json_pack("{s:s}", DRYDOCK_ANNOTATION_TITLE,
					    title))) {
			json_decref(d);
			rc = drydock_err_set(err, DRYDOCK_EUSAGE,
					     "'%s': file name not UTF-8",
					     a->files[i]);
			goto out;
		}
		json_array_append_new(list, d);
	}
	/* no file: the guidelines' suggested content for unused layers */
	if (!a->nfiles)
		json_array_append_new(list,
				      descriptor(DRYDOCK_MT_OCI_EMPTY,
						 DRYDOCK_OCI_EMPTY_DIGEST, 2));
	doc = json_pack(
		"{s:i, s:s, s:s, s:o, s:O, s:o}", "schemaVersion", 2,
		"mediaType", DRYDOCK_MT_OCI_MANIFEST, "artifactType",
		a->artifact_type, "config",
		descriptor(DRYDOCK_MT_OCI_EMPTY, DRYDOCK_OCI_EMPTY_DIGEST, 2),
		"layers", list, "subject",
		descriptor(subject->media_type, subject->digest,
			   subject->size));
	if (!doc) {
		rc = drydock_err_set(err, DRYDOCK_ENOMEM, "out of memory");
		goto out;
	}
	if (json_object_size(ann))
		json_object_set(doc, "annotations", ann);
	if (drydock_json_dump(&tmp, doc, 0)) {
		rc = drydock_err_set(err, DRYDOCK_ELIMIT,
				     "artifact manifest larger than %u bytes",
				     DRYDOCK_MAX_MANIFEST_BYTES);
		goto out;
	}
	/* drydock_json_dump ends with a newline: the manifest does not */
	rc = drydock_buf_put(out, tmp.ptr, tmp.len - 1);
	if (rc)
		rc = drydock_err_set(
			err, rc, "artifact manifest larger than its buffer");
out:
	drydock_buf_release(&tmp);
	json_decref(doc);
	json_decref(ann);
	json_decref(list);
	return rc;
}

int drydock_registry_subject(struct drydock_registry *reg, const char *repo,
			     const char *ref,
			     struct drydock_artifact_subject *out,
			     struct drydock_err *err)
{
	struct drydock_buf body = DRYDOCK_BUF_INIT(DRYDOCK_MAX_MANIFEST_BYTES);
	struct drydock_registry_manifest m = {{0}, {0}, &body};
	int rc;

	out->size = -1;
	out->media_type[0] = '\0';
	rc = drydock_registry_manifest_head(reg, repo, ref, out->digest,
					    out->media_type, &out->size, err);
	if (rc == DRYDOCK_ENOTFOUND && err) {
		/* a HEAD's 404 has no body to say what is missing */
		char msg[DRYDOCK_ERR_MSG_MAX];

		snprintf(msg, sizeof(msg), "%s", err->msg);
		drydock_err_set(err, rc, "%.900s (no such manifest)", msg);
	}
	if (rc || (out->size >= 0 && out->media_type[0] &&
		   drydock_media_type_valid(out->media_type)))
		return rc;
	/* HEAD without type or size: the manifest itself says both */
	rc = drydock_registry_manifest_get(reg, repo, ref, &m, err);
	if (!rc) {
		memcpy(out->digest, m.digest, sizeof(out->digest));
		memcpy(out->media_type, m.media_type, sizeof(out->media_type));
		out->size = (long long)body.len;
		if (!drydock_media_type_valid(out->media_type))
			rc = drydock_err_set(err, DRYDOCK_ECORRUPT,
					     "'%s/%s': manifest without a "
					     "media type",
					     repo, ref);
	}
	drydock_buf_release(&body);
	return rc;
}

long long fd_src_read(void *buf, size_t n, void *payload)
{
	struct fd_src *s = payload;
	ssize_t k;

	do
		k = read(s->fd, buf, n);
	while (k < 0 && errno == EINTR);
	if (k < 0)
		return drydock_err_errno(s->err, errno, s->name);
	return (long long)k;
}

struct mem_src {
	const char *p;
	size_t len, off;
};

static long long read_mem(void *buf, size_t n, void *payload)
{
	struct mem_src *m = payload;

	if (n > m->len - m->off)
		n = m->len - m->off;
	memcpy(buf, m->p + m->off, n);
	m->off += n;
	return (long long)n;
}

/* Hash path (at most DRYDOCK_MAX_ATTACH_FILE_BYTES) into l. */
static int hash_file(const char *path, struct drydock_artifact_layer *l,
		     struct drydock_err *err)
{
	struct drydock_hash *h = drydock_hash_new("sha256");
	char buf[65536];
	struct fd_src s = {-1, path, err};
	long long k;
	int rc = 0;

	if (!h)
		return drydock_err_set(err, DRYDOCK_ENOMEM, "out of memory");
	s.fd = open(path, O_RDONLY | O_CLOEXEC);
	if (s.fd < 0) {
		drydock_hash_free(h);
		return drydock_err_errno(err, errno, path);
	}
	l->path = path;
	l->size = 0;
	while ((k = fd_src_read(buf, sizeof(buf), &s)) > 0) {
		l->size += k;
		if (l->size > DRYDOCK_MAX_ATTACH_FILE_BYTES) {
			rc = drydock_err_set(err, DRYDOCK_ELIMIT,
					     "'%s': larger than %lld bytes",
					     path,
					     DRYDOCK_MAX_ATTACH_FILE_BYTES);
			break;
		}
		drydock_hash_update(h, buf, (size_t)k);
	}
	if (k < 0)
		rc = (int)k;
	drydock_hash_finish(h, l->digest); /* frees h */
	close(s.fd);
	return rc;
}

static int upload_file(struct drydock_registry *reg, const char *repo,
		       const struct drydock_artifact_layer *l,
		       struct drydock_err *err)
{
	struct fd_src s = {-1, l->path, err};
	int rc;

	s.fd = open(l->path, O_RDONLY | O_CLOEXEC);
	if (s.fd < 0)
		return drydock_err_errno(err, errno, l->path);
	rc = drydock_registry_blob_upload(reg, repo, l->digest, l->size,
					  fd_src_read, &s, err);
	close(s.fd);
	if (rc)
		drydock_err_prefix(err, "'%s'", l->path);
	return rc;
}

int drydock_registry_attach(struct drydock_registry *reg, const char *repo,
			    const char *ref, const struct drydock_artifact *a,
			    char digest_out[DRYDOCK_DIGEST_MAX],
			    struct drydock_artifact_subject *subject_out,
			    struct drydock_err *err)
{
	struct drydock_buf man = DRYDOCK_BUF_INIT(DRYDOCK_MAX_MANIFEST_BYTES);
	struct drydock_artifact_layer *layers = NULL;
	struct drydock_artifact_subject subject;
	struct mem_src empty = {"{}", 2, 0};
	char d[DRYDOCK_DIGEST_MAX];
	int rc, subject_ok = 0;
	size_t i;

	rc = drydock_artifact_check(a, err);
	if (rc)
		return rc;
	rc = drydock_registry_subject(reg, repo, ref, &subject, err);
	if (rc)
		return rc;
	if (a->nfiles) {
		layers = calloc(a->nfiles, sizeof(*layers));
		if (!layers)
			return drydock_err_set(err, DRYDOCK_ENOMEM,
					       "out of memory");
	}
	for (i = 0; !rc && i < a->nfiles; i++)
		rc = hash_file(a->files[i], &layers[i], err);
	if (!rc)
		rc = drydock_artifact_manifest(&man, a, layers, &subject, err);
	for (i = 0; !rc && i < a->nfiles; i++)
		rc = upload_file(reg, repo, &layers[i], err);
	if (!rc)
		rc = drydock_registry_blob_upload(reg, repo,
						  DRYDOCK_OCI_EMPTY_DIGEST, 2,
						  read_mem, &empty, err);
	if (rc)
		goto out;
	drydock_digest_sha256(man.ptr, man.len, d);
	rc = drydock_registry_manifest_put(reg, repo, d,
					   DRYDOCK_MT_OCI_MANIFEST, man.ptr,
					   man.len, NULL, &subject_ok, err);
	if (!rc && !subject_ok)
		rc = drydock_registry_referrers_add(
			reg, repo, subject.digest, man.ptr, man.len,
			DRYDOCK_MT_OCI_MANIFEST, err);
	if (!rc) {
		memcpy(digest_out, d, DRYDOCK_DIGEST_MAX);
		if (subject_out)
			*subject_out = subject;
	}
out:
	free(layers);
	drydock_buf_release(&man);
	return rc;
}
