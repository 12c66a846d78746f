#include "../util/setup.h"

/*
 * Pulling: manifests and indexes (with platform selection), blobs
 * streamed and verified, and the referrers API with its tag-schema
 * fallback.
 */

#include <stdio.h>
#include <sys/utsname.h>

#include "drydock/error.h"
#include "drydock/json.h"
#include "drydock/limits.h"
#include "internal.h"

/* Without the OCI types registry 2.8 answers 404 for OCI manifests. */
#define ACCEPT_MANIFESTS                                                       \
	DRYDOCK_MT_OCI_INDEX ", " DRYDOCK_MT_OCI_MANIFEST                      \
			     ", " DRYDOCK_MT_DOCKER_LIST                       \
			     ", " DRYDOCK_MT_DOCKER_MANIFEST

int drydock_registry_mt_is_index(const char *mt)
{
	return !strcmp(mt, DRYDOCK_MT_OCI_INDEX) ||
	       !strcmp(mt, DRYDOCK_MT_DOCKER_LIST);
}

int drydock_registry_mt_is_manifest(const char *mt)
{
	return !strcmp(mt, DRYDOCK_MT_OCI_MANIFEST) ||
	       !strcmp(mt, DRYDOCK_MT_DOCKER_MANIFEST);
}

static int is_digest_ref(const char *ref)
{
	return strchr(ref, ':') != NULL;
}

static void scope_pull(char *out, size_t n, const char *repo)
{
	snprintf(out, n, "repository:%s:pull", repo);
}

/* Hash data with the algorithm of want ("sha256:" or "sha512:"). */
static void digest_like(const char *want, const void *data, size_t len,
			char out[DRYDOCK_DIGEST_MAX])
{
	struct drydock_hash *h;

	if (!strncmp(want, "sha512:", 7)) {
		h = drydock_hash_new("sha512");
		if (h) {
			drydock_hash_update(h, data, len);
			drydock_hash_finish(h, out);
			return;
		}
	}
	drydock_digest_sha256(data, len, out);
}

/* The media type of a document: its mediaType, else the Content-Type
 * (parameters dropped), else guessed from its shape. */
static int media_type_of(const char *name, json_t *doc, const char *ctype,
			 char out[128], struct drydock_err *err)
{
	const char *mt = drydock_json_str(doc, "mediaType");
	char ct[256];
	size_t n;

	n = strcspn(ctype, "; ");
	if (n >= sizeof(ct))
		n = sizeof(ct) - 1;
	memcpy(ct, ctype, n);
	ct[n] = '\0';
	if (mt && ct[0] && strcmp(ct, "application/json") && strcmp(mt, ct))
		return drydock_err_set(err, DRYDOCK_ECORRUPT,
				       "'%s': mediaType '%.100s' disagrees "
				       "with Content-Type '%.100s'",
				       name, mt, ct);
	if (!mt && ct[0] && strcmp(ct, "application/json"))
		mt = ct;
	if (!mt)
		mt = json_is_array(json_object_get(doc, "manifests"))
			     ? DRYDOCK_MT_OCI_INDEX
			     : DRYDOCK_MT_OCI_MANIFEST;
	if (strlen(mt) >= 128)
		return drydock_err_set(err, DRYDOCK_ECORRUPT,
				       "'%s': media type too long", name);
	snprintf(out, 128, "%s", mt);
	return 0;
}

static int name_of(char *out, size_t n, const struct drydock_registry *reg,
		   const char *repo, const char *ref)
{
	snprintf(out, n, "%s/%s%s%s", reg->domain, repo,
		 is_digest_ref(ref) ? "@" : ":", ref);
	return 0;
}

int drydock_registry_manifest_get(struct drydock_registry *reg,
				  const char *repo, const char *ref,
				  struct drydock_registry_manifest *m,
				  struct drydock_err *err)
{
	struct drydock_buf url = DRYDOCK_BUF_INIT(4096);
	struct drydock_buf body = DRYDOCK_BUF_INIT(DRYDOCK_MAX_MANIFEST_BYTES);
	char scope[600], name[600], got[DRYDOCK_DIGEST_MAX];
	struct req rq;
	json_t *doc = NULL;
	int rc;

	name_of(name, sizeof(name), reg, repo, ref);
	if (is_digest_ref(ref) && (rc = drydock_digest_validate(ref, err)))
		return rc;
	if (!is_digest_ref(ref) && !drydock_registry_tag_valid(ref))
		return drydock_err_set(err, DRYDOCK_EUSAGE, "'%s': invalid tag",
				       name);
	rc = registry_url(reg, &url, repo, "manifests", ref);
	if (rc)
		goto out;
	scope_pull(scope, sizeof(scope), repo);
	memset(&rq, 0, sizeof(rq));
	rq.method = "GET";
	rq.url = url.ptr;
	rq.scope = scope;
	rq.accept = ACCEPT_MANIFESTS;
	rq.name = name;
	rq.body = &body;
	rc = http_do(reg, &rq, err);
	if (rc)
		goto out;
	if (rq.status != 200) {
		rc = http_status_error(&rq, err);
		req_done(&rq);
		goto out;
	}
	req_done(&rq);
	digest_like(is_digest_ref(ref) ? ref : "sha256:", body.ptr, body.len,
		    got);
	if (is_digest_ref(ref) && strcmp(got, ref)) {
		rc = drydock_err_set(err, DRYDOCK_EDIGEST,
				     "'%s': manifest content does not match "
				     "its digest (got %s)",
				     name, got);
		goto out;
	}
	if (!is_digest_ref(ref) && rq.docker_digest[0] &&
	    !strncmp(rq.docker_digest, "sha256:", 7) &&
	    strcmp(rq.docker_digest, got)) {
		rc = drydock_err_set(err, DRYDOCK_EDIGEST,
				     "'%s': manifest content does not match "
				     "Docker-Content-Digest %.80s (got %s)",
				     name, rq.docker_digest, got);
		goto out;
	}
	doc = drydock_json_load(body.ptr ? body.ptr : "", body.len,
				DRYDOCK_MAX_MANIFEST_BYTES, name, err);
	if (!doc) {
		rc = err ? err->code : DRYDOCK_ECORRUPT;
		goto out;
	}
	rc = media_type_of(name, doc, rq.content_type_out, m->media_type, err);
	if (rc)
		goto out;
	snprintf(m->digest, sizeof(m->digest), "%s", got);
	if (m->body)
		rc = drydock_buf_put(m->body, body.ptr ? body.ptr : "",
				     body.len);
out:
	json_decref(doc);
	drydock_buf_release(&url);
	drydock_buf_release(&body);
	return rc;
}

int drydock_registry_manifest_head(struct drydock_registry *reg,
				   const char *repo, const char *ref,
				   char digest[DRYDOCK_DIGEST_MAX],
				   char media_type[128], long long *size,
				   struct drydock_err *err)
{
	struct drydock_buf url = DRYDOCK_BUF_INIT(4096);
	char scope[600], name[600];
	struct req rq;
	int rc;

	name_of(name, sizeof(name), reg, repo, ref);
	if (is_digest_ref(ref) && (rc = drydock_digest_validate(ref, err)))
		return rc;
	rc = registry_url(reg, &url, repo, "manifests", ref);
	if (rc)
		goto out;
	scope_pull(scope, sizeof(scope), repo);
	memset(&rq, 0, sizeof(rq));
	rq.method = "HEAD";
	rq.url = url.ptr;
	rq.scope = scope;
	rq.accept = ACCEPT_MANIFESTS;
	rq.name = name;
	rc = http_do(reg, &rq, err);
	if (rc)
		goto out;
	if (rq.status != 200) {
		rc = http_status_error(&rq, err);
		req_done(&rq);
		goto out;
	}
	req_done(&rq);
	if (drydock_digest_validate(rq.docker_digest, NULL)) {
		/* no usable header: fall back to GET and hash the bytes */
		struct drydock_registry_manifest m = {{0}, {0}, NULL};

		rc = drydock_registry_manifest_get(reg, repo, ref, &m, err);
		if (rc)
			goto out;
		snprintf(digest, DRYDOCK_DIGEST_MAX, "%s", m.digest);
		if (media_type)
			snprintf(media_type, 128, "%s", m.media_type);
		if (size)
			*size = -1;
		goto out;
	}
	if (is_digest_ref(ref) && strcmp(rq.docker_digest, ref)) {
		rc = drydock_err_set(err, DRYDOCK_EDIGEST,
				     "'%s': registry reports digest %s", name,
				     rq.docker_digest);
		goto out;
	}
	snprintf(digest, DRYDOCK_DIGEST_MAX, "%s", rq.docker_digest);
	if (media_type) {
		size_t n = strcspn(rq.content_type_out, "; ");

		snprintf(media_type, 128, "%.*s", (int)(n < 127 ? n : 127),
			 rq.content_type_out);
	}
	if (size)
		*size = rq.content_length;
out:
	drydock_buf_release(&url);
	return rc;
}

/* Platforms ---------------------------------------------------------------- */

const char *drydock_registry_host_platform(void)
{
	static char plat[64];
	struct utsname u;
	const char *arch = "amd64", *variant = NULL;

	if (plat[0])
		return plat;
	if (!uname(&u)) {
		if (!strcmp(u.machine, "aarch64") ||
		    !strcmp(u.machine, "arm64"))
			arch = "arm64";
		else if (!strncmp(u.machine, "armv7", 5)) {
			arch = "arm";
			variant = "v7";
		} else if (!strncmp(u.machine, "armv6", 5)) {
			arch = "arm";
			variant = "v6";
		} else if (!strcmp(u.machine, "i686") ||
			   !strcmp(u.machine, "i386"))
			arch = "386";
		else if (!strcmp(u.machine, "ppc64le"))
			arch = "ppc64le";
		else if (!strcmp(u.machine, "s390x"))
			arch = "s390x";
		else if (!strcmp(u.machine, "riscv64"))
			arch = "riscv64";
	}
	snprintf(plat, sizeof(plat), "linux/%s%s%s", arch, variant ? "/" : "",
		 variant ? variant : "");
	return plat;
}

static const char *norm_arch(const char *a)
{
	if (!strcmp(a, "x86_64") || !strcmp(a, "x86-64"))
		return "amd64";
	if (!strcmp(a, "aarch64"))
		return "arm64";
	if (!strcmp(a, "i386") || !strcmp(a, "i686"))
		return "386";
	return a;
}

/* The variant an entry without one stands for (containerd's rules). */
static const char *default_variant(const char *arch)
{
	if (!strcmp(arch, "arm64"))
		return "v8";
	if (!strcmp(arch, "arm"))
		return "v7";
	return "";
}

int drydock_registry_pick_platform(const char *index_json, size_t len,
				   const char *platform,
				   char digest[DRYDOCK_DIGEST_MAX],
				   char media_type[128],
				   struct drydock_err *err)
{
	char want_os[64] = "", want_arch[64] = "", want_var[64] = "";
	struct drydock_buf seen = DRYDOCK_BUF_INIT(2048);
	json_t *doc, *list, *e;
	const char *p, *s1, *s2;
	size_t i;
	int best = -1, best_score = 0, rc = 0;

	if (!platform)
		platform = drydock_registry_host_platform();
	p = platform;
	s1 = strchr(p, '/');
	if (!s1 || s1 == p || (size_t)(s1 - p) >= sizeof(want_os))
		return drydock_err_set(
			err, DRYDOCK_EUSAGE,
			"'%s': platform must be os/arch[/variant]", platform);
	memcpy(want_os, p, (size_t)(s1 - p));
	s2 = strchr(s1 + 1, '/');
	snprintf(want_arch, sizeof(want_arch), "%.*s",
		 (int)(s2 ? (size_t)(s2 - s1 - 1) : strlen(s1 + 1)), s1 + 1);
	if (s2)
		snprintf(want_var, sizeof(want_var), "%s", s2 + 1);
	if (!want_arch[0])
		return drydock_err_set(
			err, DRYDOCK_EUSAGE,
			"'%s': platform must be os/arch[/variant]", platform);
	{
		char tmp[64];

		snprintf(tmp, sizeof(tmp), "%s", norm_arch(want_arch));
		memcpy(want_arch, tmp, sizeof(tmp));
	}

	doc = drydock_json_load(index_json, len, DRYDOCK_MAX_MANIFEST_BYTES,
				"index", err);
	if (!doc)
		return err ? err->code : DRYDOCK_ECORRUPT;
	list = json_object_get(doc, "manifests");
	if (!json_is_array(list)) {
		rc = drydock_err_set(err, DRYDOCK_ECORRUPT,
				     "'index': no 'manifests' array");
		goto out;
	}
	if (json_array_size(list) > DRYDOCK_MAX_INDEX_ENTRIES) {
		rc = drydock_err_set(err, DRYDOCK_ELIMIT,
				     "'index': more than %d manifests",
				     DRYDOCK_MAX_INDEX_ENTRIES);
		goto out;
	}
	json_array_foreach(list, i, e)
	{
		json_t *pl = json_object_get(e, "platform");
		const char *os = drydock_json_str(pl, "os");
		const char *arch = drydock_json_str(pl, "architecture");
		const char *var = drydock_json_str(pl, "variant");
		const char *ev;
		int score;

		if (!os || !arch)
			continue;
		if (strcmp(os, "unknown") && seen.len < 1500)
			drydock_buf_printf(&seen, "%s%s/%s%s%s",
					   seen.len ? ", " : "", os, arch,
					   var ? "/" : "", var ? var : "");
		arch = norm_arch(arch);
		if (strcmp(os, want_os) || strcmp(arch, want_arch))
			continue;
		ev = var && *var ? var : default_variant(arch);
		if (want_var[0]) {
			if (strcmp(ev, want_var))
				continue;
			score = 2;
		} else {
			/* prefer the default variant, accept any */
			score = !strcmp(ev, default_variant(arch)) ? 2 : 1;
		}
		if (score > best_score) {
			best = (int)i;
			best_score = score;
		}
	}
	if (best < 0) {
		rc = drydock_err_set(err, DRYDOCK_ENOTFOUND,
				     "no manifest for platform '%s' (the index "
				     "has: %s)",
				     platform, seen.len ? seen.ptr : "none");
		goto out;
	}
	e = json_array_get(list, (size_t)best);
	p = drydock_json_str(e, "digest");
	if (!p || drydock_digest_validate(p, err)) {
		rc = drydock_err_set(err, DRYDOCK_ECORRUPT,
				     "'index': entry %d has no valid digest",
				     best);
		goto out;
	}
	snprintf(digest, DRYDOCK_DIGEST_MAX, "%s", p);
	p = drydock_json_str(e, "mediaType");
	snprintf(media_type, 128, "%s", p ? p : DRYDOCK_MT_OCI_MANIFEST);
out:
	drydock_buf_release(&seen);
	json_decref(doc);
	return rc;
}

int drydock_registry_resolve(struct drydock_registry *reg, const char *repo,
			     const char *ref, const char *platform,
			     struct drydock_registry_manifest *m,
			     char index_digest[DRYDOCK_DIGEST_MAX],
			     struct drydock_err *err)
{
	struct drydock_buf idx = DRYDOCK_BUF_INIT(DRYDOCK_MAX_MANIFEST_BYTES);
	struct drydock_registry_manifest im = {{0}, {0}, &idx};
	char d[DRYDOCK_DIGEST_MAX], mt[128];
	int rc;

	if (index_digest)
		index_digest[0] = '\0';
	rc = drydock_registry_manifest_get(reg, repo, ref, &im, err);
	if (rc)
		goto out;
	if (!drydock_registry_mt_is_index(im.media_type)) {
		if (!drydock_registry_mt_is_manifest(im.media_type)) {
			rc = drydock_err_set(err, DRYDOCK_EUNSUPPORTED,
					     "'%s/%s': unsupported manifest "
					     "type '%s'",
					     reg->domain, repo, im.media_type);
			goto out;
		}
		memcpy(m->digest, im.digest, sizeof(m->digest));
		memcpy(m->media_type, im.media_type, sizeof(m->media_type));
		rc = drydock_buf_put(m->body, idx.ptr, idx.len);
		goto out;
	}
	if (index_digest)
		snprintf(index_digest, DRYDOCK_DIGEST_MAX, "%s", im.digest);
	rc = drydock_registry_pick_platform(idx.ptr, idx.len, platform, d, mt,
					    err);
	if (rc) {
		drydock_err_prefix(err, "'%s/%s'", reg->domain, repo);
		goto out;
	}
	rc = drydock_registry_manifest_get(reg, repo, d, m, err);
	if (!rc && !drydock_registry_mt_is_manifest(m->media_type))
		rc = drydock_err_set(err, DRYDOCK_EUNSUPPORTED,
				     "'%s/%s@%s': not an image manifest ('%s')",
				     reg->domain, repo, d, m->media_type);
out:
	drydock_buf_release(&idx);
	return rc;
}

/* Blobs ---------------------------------------------------------------- */

struct verify {
	struct drydock_hash *h;
	drydock_registry_write_fn cb;
	void *payload;
};

static int verify_write(const void *data, size_t n, void *payload)
{
	struct verify *v = payload;

	drydock_hash_update(v->h, data, n);
	return v->cb ? v->cb(data, n, v->payload) : 0;
}

int drydock_registry_blob_stream(struct drydock_registry *reg, const char *repo,
				 const char *digest,
				 drydock_registry_write_fn write_cb,
				 void *payload, struct drydock_err *err)
{
	struct drydock_buf url = DRYDOCK_BUF_INIT(4096);
	char scope[600], name[600], got[DRYDOCK_DIGEST_MAX];
	struct verify v;
	struct req rq;
	int rc;

	snprintf(name, sizeof(name), "%s/%s@%s", reg->domain, repo, digest);
	rc = drydock_digest_validate(digest, err);
	if (rc)
		return rc;
	v.h = drydock_hash_new(strncmp(digest, "sha512:", 7) ? "sha256"
							     : "sha512");
	if (!v.h)
		return DRYDOCK_ENOMEM;
	v.cb = write_cb;
	v.payload = payload;
	rc = registry_url(reg, &url, repo, "blobs", digest);
	if (rc)
		goto out;
	scope_pull(scope, sizeof(scope), repo);
	memset(&rq, 0, sizeof(rq));
	rq.method = "GET";
	rq.url = url.ptr;
	rq.scope = scope;
	rq.name = name;
	rq.sink = verify_write;
	rq.sink_payload = &v;
	rq.follow = 1;
	rc = http_do(reg, &rq, err);
	if (rc)
		goto out;
	if (rq.status != 200) {
		rc = http_status_error(&rq, err);
		req_done(&rq);
		goto out;
	}
	req_done(&rq);
	drydock_hash_finish(v.h, got);
	v.h = NULL;
	if (strcmp(got, digest))
		rc = drydock_err_set(err, DRYDOCK_EDIGEST,
				     "'%s': blob content does not match its "
				     "digest (got %s)",
				     name, got);
out:
	drydock_hash_free(v.h);
	drydock_buf_release(&url);
	return rc;
}

static int buf_sink(const void *data, size_t n, void *payload)
{
	return drydock_buf_put(payload, data, n);
}

int drydock_registry_blob_get(struct drydock_registry *reg, const char *repo,
			      const char *digest, struct drydock_buf *out,
			      struct drydock_err *err)
{
	int rc = drydock_registry_blob_stream(reg, repo, digest, buf_sink, out,
					      err);

	if (rc == DRYDOCK_ELIMIT)
		drydock_err_set(err, rc,
				"'%s/%s@%s': blob larger than %zu bytes",
				reg->domain, repo, digest, out->max);
	return rc;
}

int drydock_registry_blob_exists(struct drydock_registry *reg, const char *repo,
				 const char *digest, long long *size,
				 struct drydock_err *err)
{
	struct drydock_buf url = DRYDOCK_BUF_INIT(4096);
	char scope[600], name[600];
	struct req rq;
	int rc;

	snprintf(name, sizeof(name), "%s/%s@%s", reg->domain, repo, digest);
	rc = drydock_digest_validate(digest, err);
	if (rc)
		return rc;
	rc = registry_url(reg, &url, repo, "blobs", digest);
	if (rc)
		goto out;
	scope_pull(scope, sizeof(scope), repo);
	memset(&rq, 0, sizeof(rq));
	rq.method = "HEAD";
	rq.url = url.ptr;
	rq.scope = scope;
	rq.name = name;
	rq.follow = 1;
	rc = http_do(reg, &rq, err);
	if (rc)
		goto out;
	if (rq.status == 200) {
		if (size)
			*size = rq.content_length;
		rc = 1;
	} else if (rq.status == 404) {
		rc = 0;
	} else {
		rc = http_status_error(&rq, err);
	}
	req_done(&rq);
out:
	drydock_buf_release(&url);
	return rc;
}

/* Referrers ----------------------------------------------------------------- */

void drydock_registry_referrers_tag(const char *subject, char *out,
				    size_t outsz)
{
	const char *colon = strchr(subject, ':');
	size_t alen = colon ? (size_t)(colon - subject) : 0, i, o = 0;
	const char *hex = colon ? colon + 1 : subject;
	size_t hlen = strlen(hex);

	if (alen > 32)
		alen = 32;
	if (hlen > 64)
		hlen = 64;
	for (i = 0; i < alen + 1 + hlen && o + 1 < outsz; i++) {
		char c = i < alen    ? subject[i]
			 : i == alen ? '-'
				     : hex[i - alen - 1];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '_' || c == '.' ||
		      c == '-'))
			c = '-';
		out[o++] = c;
	}
	if (outsz)
		out[o] = '\0';
}

static const char EMPTY_INDEX[] =
	"{\"schemaVersion\":2,\"mediaType\":\"" DRYDOCK_MT_OCI_INDEX
	"\",\"manifests\":[]}";

/* Keep only the descriptors whose artifactType is at. */
static int filter_index(struct drydock_buf *out, const char *data, size_t len,
			const char *at, struct drydock_err *err)
{
	json_t *doc, *list, *keep, *e;
	size_t i;
	int rc;

	doc = drydock_json_load(data, len, DRYDOCK_MAX_MANIFEST_BYTES,
				"referrers", err);
	if (!doc)
		return err ? err->code : DRYDOCK_ECORRUPT;
	list = json_object_get(doc, "manifests");
	keep = json_array();
	json_array_foreach(list, i, e)
	{
		const char *t = drydock_json_str(e, "artifactType");

		if (!at || (t && !strcmp(t, at)))
			json_array_append(keep, e);
	}
	json_object_set_new(doc, "manifests", keep);
	rc = drydock_json_dump(out, doc, 0);
	json_decref(doc);
	return rc;
}

int drydock_registry_referrers(struct drydock_registry *reg, const char *repo,
			       const char *subject, const char *artifact_type,
			       struct drydock_buf *out, struct drydock_err *err)
{
	struct drydock_buf url = DRYDOCK_BUF_INIT(4096);
	struct drydock_buf body = DRYDOCK_BUF_INIT(DRYDOCK_MAX_MANIFEST_BYTES);
	char scope[600], name[600], tag[DRYDOCK_REF_TAG_MAX];
	struct req rq;
	int rc;

	snprintf(name, sizeof(name), "%s/%s@%s", reg->domain, repo, subject);
	rc = drydock_digest_validate(subject, err);
	if (rc)
		return rc;
	rc = registry_url(reg, &url, repo, "referrers", subject);
	if (!rc && artifact_type) {
		char *esc = drydock_curl.easy_escape(NULL, artifact_type, 0);

		rc = esc ? drydock_buf_printf(&url, "?artifactType=%s", esc)
			 : DRYDOCK_ENOMEM;
		drydock_curl.mem_free(esc);
	}
	if (rc)
		goto out;
	scope_pull(scope, sizeof(scope), repo);
	memset(&rq, 0, sizeof(rq));
	rq.method = "GET";
	rq.url = url.ptr;
	rq.scope = scope;
	rq.accept = DRYDOCK_MT_OCI_INDEX;
	rq.name = name;
	rq.body = &body;
	rc = http_do(reg, &rq, err);
	if (rc)
		goto out;
	if (rq.status == 200) {
		req_done(&rq);
		rc = filter_index(out, body.ptr ? body.ptr : "", body.len,
				  artifact_type, err);
		goto out;
	}
	if (rq.status != 404) {
		rc = http_status_error(&rq, err);
		req_done(&rq);
		goto out;
	}
	req_done(&rq);
	/* no referrers API: the tag schema */
	drydock_registry_referrers_tag(subject, tag, sizeof(tag));
	drydock_buf_reset(&body);
	{
		struct drydock_registry_manifest m = {{0}, {0}, &body};

		rc = drydock_registry_manifest_get(reg, repo, tag, &m, err);
	}
	if (rc == DRYDOCK_ENOTFOUND) {
		drydock_err_clear(err);
		rc = drydock_buf_puts(out, EMPTY_INDEX);
		goto out;
	}
	if (!rc)
		rc = filter_index(out, body.ptr, body.len, artifact_type, err);
out:
	drydock_buf_release(&url);
	drydock_buf_release(&body);
	return rc;
}
