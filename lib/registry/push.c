#include "../util/setup.h"

/*
 * Pushing: blob uploads (monolithic POST+PUT, or chunked POST+PATCH..+PUT),
 * cross-repository mounts, manifest PUTs, and the referrers tag schema.
 */

#include <stdio.h>

#include "drydock/error.h"
#include "drydock/json.h"
#include "drydock/limits.h"
#include "internal.h"

static void scope_push(char *out, size_t n, const char *repo)
{
	snprintf(out, n, "repository:%s:pull,push", repo);
}

/* Location may be absolute or relative to the registry. */
static int abs_location(const struct drydock_registry *reg, const char *loc,
			struct drydock_buf *out)
{
	drydock_buf_reset(out);
	if (!strncmp(loc, "http://", 7) || !strncmp(loc, "https://", 8))
		return drydock_buf_puts(out, loc);
	if (loc[0] != '/')
		return DRYDOCK_ECORRUPT;
	return drydock_buf_printf(out, "%s%s", reg->base, loc);
}

/* POST an upload (with an optional query); the new upload's URL. */
static int start_upload(struct drydock_registry *reg, const char *repo,
			const char *query, const char *scope2,
			struct drydock_buf *loc, long *status,
			struct drydock_err *err)
{
	struct drydock_buf url = DRYDOCK_BUF_INIT(4096);
	char scope[600], name[600];
	struct req rq;
	int rc;

	snprintf(name, sizeof(name), "%s/%s: blob upload", reg->domain, repo);
	rc = drydock_buf_printf(&url, "%s/v2/%s/blobs/uploads/%s", reg->base,
				repo, query ? query : "");
	if (rc)
		goto out;
	scope_push(scope, sizeof(scope), repo);
	memset(&rq, 0, sizeof(rq));
	rq.method = "POST";
	rq.url = url.ptr;
	rq.scope = scope;
	rq.scope2 = scope2;
	rq.name = name;
	rq.data = "";
	rq.len = 0;
	rq.has_body = 1;
	rc = http_do(reg, &rq, err);
	if (rc)
		goto out;
	*status = rq.status;
	if (rq.status != 202 && rq.status != 201) {
		rc = http_status_error(&rq, err);
	} else if (rq.status == 202 && abs_location(reg, rq.location, loc)) {
		rc = drydock_err_set(err, DRYDOCK_ECORRUPT,
				     "'%s': bad or missing Location header",
				     name);
	}
	req_done(&rq);
out:
	drydock_buf_release(&url);
	return rc;
}

/* Send one request to an upload location; expects want. */
static int upload_step(struct drydock_registry *reg, const char *repo,
		       struct req *rq, long want, struct drydock_buf *loc,
		       struct drydock_err *err)
{
	char scope[600];
	int rc;

	scope_push(scope, sizeof(scope), repo);
	rq->scope = scope;
	rc = http_do(reg, rq, err);
	if (rc)
		return rc;
	if (rq->status != want) {
		rc = http_status_error(rq, err);
	} else if (loc && rq->location[0] &&
		   abs_location(reg, rq->location, loc)) {
		rc = drydock_err_set(err, DRYDOCK_ECORRUPT,
				     "'%s': bad Location header", rq->name);
	}
	req_done(rq);
	return rc;
}

static int append_query(struct drydock_buf *url, const char *digest)
{
	return drydock_buf_printf(url, "%cdigest=%s",
				  strchr(url->ptr, '?') ? '&' : '?', digest);
}

int drydock_registry_blob_upload(struct drydock_registry *reg, const char *repo,
				 const char *digest, long long size,
				 drydock_registry_read_fn read_cb,
				 void *payload, struct drydock_err *err)
{
	struct drydock_buf loc = DRYDOCK_BUF_INIT(8192);
	struct drydock_buf chunk = DRYDOCK_BUF_INIT(0);
	char name[600];
	struct req rq;
	long status = 0;
	int rc;

	snprintf(name, sizeof(name), "%s/%s@%s", reg->domain, repo, digest);
	rc = drydock_digest_validate(digest, err);
	if (rc)
		return rc;
	rc = drydock_registry_blob_exists(reg, repo, digest, NULL, err);
	if (rc < 0)
		return rc;
	if (rc == 1)
		return 0;
	rc = start_upload(reg, repo, NULL, NULL, &loc, &status, err);
	if (rc)
		goto out;
	if (!reg->chunk_size) {
		/* monolithic: the whole blob in the PUT */
		rc = append_query(&loc, digest);
		if (rc)
			goto out;
		memset(&rq, 0, sizeof(rq));
		rq.method = "PUT";
		rq.url = loc.ptr;
		rq.name = name;
		rq.content_type = "application/octet-stream";
		rq.read_cb = read_cb;
		rq.read_payload = payload;
		rq.upload_len = size;
		rc = upload_step(reg, repo, &rq, 201, NULL, err);
		goto out;
	}
	drydock_buf_init(&chunk, reg->chunk_size);
	for (long long off = 0;;) {
		char range[64];

		drydock_buf_reset(&chunk);
		rc = drydock_buf_grow(&chunk, reg->chunk_size);
		if (rc)
			goto out;
		while (chunk.len < reg->chunk_size) {
			long long got =
				read_cb(chunk.ptr + chunk.len,
					reg->chunk_size - chunk.len, payload);

			if (got < 0) {
				rc = drydock_err_set(err, (int)got,
						     "'%s': reading the blob "
						     "failed",
						     name);
				goto out;
			}
			if (!got)
				break;
			chunk.len += (size_t)got;
		}
		if (!chunk.len)
			break;
		snprintf(range, sizeof(range), "%lld-%lld", off,
			 off + (long long)chunk.len - 1);
		memset(&rq, 0, sizeof(rq));
		rq.method = "PATCH";
		rq.url = loc.ptr;
		rq.name = name;
		rq.content_type = "application/octet-stream";
		rq.content_range = range;
		rq.data = chunk.ptr;
		rq.len = chunk.len;
		rq.has_body = 1;
		rc = upload_step(reg, repo, &rq, 202, &loc, err);
		if (rc)
			goto out;
		off += (long long)chunk.len;
		if (chunk.len < reg->chunk_size)
			break;
	}
	rc = append_query(&loc, digest);
	if (rc)
		goto out;
	memset(&rq, 0, sizeof(rq));
	rq.method = "PUT";
	rq.url = loc.ptr;
	rq.name = name;
	rq.data = "";
	rq.len = 0;
	rq.has_body = 1;
	rc = upload_step(reg, repo, &rq, 201, NULL, err);
out:
	drydock_buf_release(&loc);
	drydock_buf_release(&chunk);
	return rc;
}

int drydock_registry_blob_mount(struct drydock_registry *reg, const char *repo,
				const char *from_repo, const char *digest,
				int *mounted, struct drydock_err *err)
{
	struct drydock_buf loc = DRYDOCK_BUF_INIT(8192);
	char query[1024], scope2[600];
	long status = 0;
	int rc;

	*mounted = 0;
	rc = drydock_digest_validate(digest, err);
	if (rc)
		return rc;
	if (!drydock_registry_repo_valid(from_repo))
		return drydock_err_set(err, DRYDOCK_EUSAGE,
				       "'%s': invalid repository name",
				       from_repo);
	snprintf(query, sizeof(query), "?mount=%s&from=%s", digest, from_repo);
	snprintf(scope2, sizeof(scope2), "repository:%s:pull", from_repo);
	rc = start_upload(reg, repo, query, scope2, &loc, &status, err);
	if (!rc)
		*mounted = status == 201;
	drydock_buf_release(&loc);
	return rc;
}

int drydock_registry_manifest_put(struct drydock_registry *reg,
				  const char *repo, const char *ref,
				  const char *media_type, const void *data,
				  size_t len,
				  char digest_out[DRYDOCK_DIGEST_MAX],
				  int *subject_ok, struct drydock_err *err)
{
	struct drydock_buf url = DRYDOCK_BUF_INIT(4096);
	char scope[600], name[600], d[DRYDOCK_DIGEST_MAX];
	struct req rq;
	int rc;

	snprintf(name, sizeof(name), "%s/%s%s%s", reg->domain, repo,
		 strchr(ref, ':') ? "@" : ":", ref);
	if (len > DRYDOCK_MAX_MANIFEST_BYTES)
		return drydock_err_set(err, DRYDOCK_ELIMIT,
				       "'%s': manifest larger than %u bytes",
				       name, DRYDOCK_MAX_MANIFEST_BYTES);
	if (!strchr(ref, ':') && !drydock_registry_tag_valid(ref))
		return drydock_err_set(err, DRYDOCK_EUSAGE, "'%s': invalid tag",
				       name);
	drydock_digest_sha256(data, len, d);
	if (strchr(ref, ':') && strcmp(ref, d))
		return drydock_err_set(err, DRYDOCK_EDIGEST,
				       "'%s': manifest bytes hash to %s", name,
				       d);
	rc = registry_url(reg, &url, repo, "manifests", ref);
	if (rc)
		goto out;
	scope_push(scope, sizeof(scope), repo);
	memset(&rq, 0, sizeof(rq));
	rq.method = "PUT";
	rq.url = url.ptr;
	rq.scope = scope;
	rq.name = name;
	rq.content_type = media_type;
	rq.data = data;
	rq.len = len;
	rq.has_body = 1;
	rc = http_do(reg, &rq, err);
	if (rc)
		goto out;
	if (rq.status != 201 && rq.status != 200)
		rc = http_status_error(&rq, err);
	if (subject_ok)
		*subject_ok = rq.oci_subject[0] != '\0';
	req_done(&rq);
	if (!rc && digest_out)
		memcpy(digest_out, d, DRYDOCK_DIGEST_MAX);
out:
	drydock_buf_release(&url);
	return rc;
}

int drydock_registry_referrers_add(struct drydock_registry *reg,
				   const char *repo, const char *subject,
				   const char *manifest, size_t len,
				   const char *media_type,
				   struct drydock_err *err)
{
	struct drydock_buf body = DRYDOCK_BUF_INIT(DRYDOCK_MAX_MANIFEST_BYTES);
	struct drydock_buf out = DRYDOCK_BUF_INIT(DRYDOCK_MAX_MANIFEST_BYTES);
	struct drydock_registry_manifest m = {{0}, {0}, &body};
	char tag[DRYDOCK_REF_TAG_MAX], d[DRYDOCK_DIGEST_MAX];
	json_t *idx = NULL, *man = NULL, *list, *desc, *e;
	const char *at;
	size_t i;
	int rc;

	rc = drydock_digest_validate(subject, err);
	if (rc)
		return rc;
	man = drydock_json_load(manifest, len, DRYDOCK_MAX_MANIFEST_BYTES,
				"manifest", err);
	if (!man)
		return err ? err->code : DRYDOCK_ECORRUPT;
	drydock_digest_sha256(manifest, len, d);
	drydock_registry_referrers_tag(subject, tag, sizeof(tag));
	rc = drydock_registry_manifest_get(reg, repo, tag, &m, err);
	if (rc == DRYDOCK_ENOTFOUND) {
		drydock_err_clear(err);
		idx = json_pack("{s:i, s:s, s:[]}", "schemaVersion", 2,
				"mediaType", DRYDOCK_MT_OCI_INDEX, "manifests");
		rc = 0;
	} else if (!rc) {
		idx = drydock_json_load(body.ptr, body.len,
					DRYDOCK_MAX_MANIFEST_BYTES, tag, err);
		if (!idx)
			rc = err ? err->code : DRYDOCK_ECORRUPT;
	}
	if (rc || !idx)
		goto out;
	list = json_object_get(idx, "manifests");
	if (!json_is_array(list)) {
		rc = drydock_err_set(err, DRYDOCK_ECORRUPT,
				     "'%s/%s:%s': referrers index without "
				     "manifests",
				     reg->domain, repo, tag);
		goto out;
	}
	json_array_foreach(list, i, e)
	{
		const char *ed = drydock_json_str(e, "digest");

		if (ed && !strcmp(ed, d))
			goto out; /* already listed */
	}
	if (json_array_size(list) >= DRYDOCK_MAX_REFERRERS) {
		rc = drydock_err_set(err, DRYDOCK_ELIMIT,
				     "'%s/%s:%s': more than %d referrers",
				     reg->domain, repo, tag,
				     DRYDOCK_MAX_REFERRERS);
		goto out;
	}
	desc = json_pack("{s:s, s:s, s:I}", "mediaType", media_type, "digest",
			 d, "size", (json_int_t)len);
	at = drydock_json_str(man, "artifactType");
	if (!at)
		at = drydock_json_str(json_object_get(man, "config"),
				      "mediaType");
	if (at)
		json_object_set_new(desc, "artifactType", json_string(at));
	if (json_is_object(json_object_get(man, "annotations")))
		json_object_set(desc, "annotations",
				json_object_get(man, "annotations"));
	json_array_append_new(list, desc);
	rc = drydock_json_dump(&out, idx, 0);
	if (!rc)
		rc = drydock_registry_manifest_put(
			reg, repo, tag, DRYDOCK_MT_OCI_INDEX, out.ptr, out.len,
			NULL, NULL, err);
out:
	json_decref(idx);
	json_decref(man);
	drydock_buf_release(&body);
	drydock_buf_release(&out);
	return rc;
}
