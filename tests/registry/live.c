#include "lib/util/setup.h"

/*
 * Drives lib/registry against a live test registry for test-registry.sh:
 *
 *   registry-live DOMAIN stream REPO DIGEST     stream a blob, print size
 *   registry-live DOMAIN chunked REPO FILE      upload FILE in 1 KiB chunks,
 *                                               read it back, compare
 *   registry-live DOMAIN gets REPO REF N        N manifest GETs (token reuse)
 *   registry-live DOMAIN referrers REPO SUBJECT push an artifact whose
 *                                               subject is SUBJECT, list
 *                                               the referrers
 *   registry-live DOMAIN mount REPO FROM DIGEST mount a blob, print 1/0
 *   registry-live DOMAIN retries REPO REF       GET, print retries done
 *   registry-live - readfs IMAGE [PLATFORM]     drydock_image_open and
 *                                               read_fs (jobs 4): print the
 *                                               digest, layers, and the
 *                                               sha256 of the dpkg status
 *
 * Environment: LIVE_INSECURE=1 for plain HTTP, LIVE_CA=FILE; credentials
 * from DRYDOCK_REGISTRY_USERNAME/PASSWORD as for drydock itself.
 * Exit 0 on success, 1 on a failed check, 2 on an error (printed).
 */

#include <errno.h>
#include <stdio.h>

#include "drydock/buf.h"
#include "drydock/error.h"
#include "drydock/json.h"
#include "drydock/fs.h"
#include "drydock/image.h"
#include "drydock/registry.h"

struct counter {
	long long n;
	struct drydock_buf *keep;
};

static int count_cb(const void *data, size_t n, void *payload)
{
	struct counter *c = payload;

	c->n += (long long)n;
	return c->keep ? drydock_buf_put(c->keep, data, n) : 0;
}

struct mem {
	const char *p;
	size_t len, off;
};

static long long mem_read(void *buf, size_t n, void *payload)
{
	struct mem *m = payload;

	if (n > m->len - m->off)
		n = m->len - m->off;
	memcpy(buf, m->p + m->off, n);
	m->off += n;
	return (long long)n;
}

static int die(const struct drydock_err *err)
{
	fprintf(stderr, "registry-live: %s\n", err->msg);
	return 2;
}

static int upload(struct drydock_registry *reg, const char *repo,
		  const char *data, size_t len, char d[DRYDOCK_DIGEST_MAX],
		  struct drydock_err *err)
{
	struct mem m = {data, len, 0};

	drydock_digest_sha256(data, len, d);
	return drydock_registry_blob_upload(reg, repo, d, (long long)len,
					    mem_read, &m, err);
}

static int referrers(struct drydock_registry *reg, const char *repo,
		     const char *subject, struct drydock_err *err)
{
	static const char at[] = "application/vnd.drydock.test+json";
	struct drydock_buf man = DRYDOCK_BUF_INIT(1 << 20);
	struct drydock_buf out = DRYDOCK_BUF_INIT(1 << 20);
	char cfg[DRYDOCK_DIGEST_MAX], layer[DRYDOCK_DIGEST_MAX],
		md[DRYDOCK_DIGEST_MAX];
	const char *payload = "{\"note\":\"drydock referrers test\"}";
	long long size = -1;
	char sdig[DRYDOCK_DIGEST_MAX], smt[128];
	int rc, ok = 0, subject_ok = 0;
	json_t *doc, *e;
	size_t i;

	rc = drydock_registry_manifest_head(reg, repo, subject, sdig, smt,
					    &size, err);
	if (rc)
		return rc;
	rc = upload(reg, repo, "{}", 2, cfg, err);
	if (!rc)
		rc = upload(reg, repo, payload, strlen(payload), layer, err);
	if (rc)
		return rc;
	drydock_buf_printf(
		&man,
		"{\"schemaVersion\":2,\"mediaType\":\"%s\",\"artifactType\":"
		"\"%s\",\"config\":{\"mediaType\":\"application/"
		"vnd.oci.empty.v1+json\",\"digest\":\"%s\",\"size\":2},"
		"\"layers\":[{\"mediaType\":\"application/json\",\"digest\":"
		"\"%s\",\"size\":%zu}],\"subject\":{\"mediaType\":\"%s\","
		"\"digest\":\"%s\",\"size\":%lld},\"annotations\":{\"org."
		"opencontainers.image.created\":\"2026-11-28T00:00:00Z\"}}",
		DRYDOCK_MT_OCI_MANIFEST, at, cfg, layer, strlen(payload), smt,
		subject, size);
	drydock_digest_sha256(man.ptr, man.len, md);
	rc = drydock_registry_manifest_put(reg, repo, md,
					   DRYDOCK_MT_OCI_MANIFEST, man.ptr,
					   man.len, NULL, &subject_ok, err);
	if (!rc && !subject_ok)
		rc = drydock_registry_referrers_add(
			reg, repo, subject, man.ptr, man.len,
			DRYDOCK_MT_OCI_MANIFEST, err);
	if (!rc)
		rc = drydock_registry_referrers(reg, repo, subject, at, &out,
						err);
	if (rc)
		goto done;
	doc = json_loadb(out.ptr, out.len, 0, NULL);
	json_array_foreach(json_object_get(doc, "manifests"), i, e)
	{
		const char *d = drydock_json_str(e, "digest");
		const char *t = drydock_json_str(e, "artifactType");

		if (d && !strcmp(d, md) && t && !strcmp(t, at) &&
		    json_object_get(e, "annotations"))
			ok = 1;
	}
	json_decref(doc);
	printf("subject-header %d listed %d\n", subject_ok, ok);
	drydock_buf_reset(&out);
	rc = drydock_registry_referrers(reg, repo, subject, "application/other",
					&out, err);
	if (!rc) {
		doc = json_loadb(out.ptr, out.len, 0, NULL);
		printf("filtered %zu\n",
		       json_array_size(json_object_get(doc, "manifests")));
		json_decref(doc);
	}
done:
	drydock_buf_release(&man);
	drydock_buf_release(&out);
	return rc ? rc : ok ? 0 : 1;
}

static int want_status(const char *path, void *payload)
{
	(void)payload;
	return !strcmp(path, "var/lib/dpkg/status") ||
	       !strcmp(path, "etc/os-release");
}

static int readfs(const struct drydock_registry_opts *ro, const char *ref,
		  const char *platform, struct drydock_err *err)
{
	struct drydock_image_opts io = {0};
	struct drydock_image *img;
	struct drydock_fs *fs;
	const struct drydock_fs_entry *e;
	char d[DRYDOCK_DIGEST_MAX];
	int rc;

	io.platform = platform;
	io.jobs = getenv("LIVE_JOBS")
			  ? (int)strtol(getenv("LIVE_JOBS"), NULL, 10)
			  : 4;
	io.registry = ro;
	if (getenv("LIVE_CACHE_DIR")) {
		unsigned long long max = 0;

		if (getenv("LIVE_CACHE_SIZE"))
			drydock_cache_parse_size(getenv("LIVE_CACHE_SIZE"),
						 &max);
		rc = drydock_cache_open(&io.cache, getenv("LIVE_CACHE_DIR"),
					max, err);
		if (rc)
			return rc;
		io.cache_key = "live-test-1";
	}
	rc = drydock_image_open(&img, ref, &io, err);
	if (rc)
		drydock_cache_close(io.cache);
	if (rc)
		return rc;
	rc = drydock_fs_new(&fs);
	if (!rc)
		rc = drydock_image_read_fs(img, fs, want_status, NULL, err);
	if (!rc) {
		e = drydock_fs_get(fs, "var/lib/dpkg/status");
		if (e)
			drydock_digest_sha256(e->data, e->len, d);
		printf("%s %zu %s\n", drydock_image_digest(img),
		       drydock_image_layer_count(img), e ? d : "none");
	}
	if (io.cache) {
		struct drydock_cache_stats st;

		drydock_cache_stats(io.cache, &st, err);
		fprintf(stderr, "cache hits %lld misses %lld\n", st.hits,
			st.misses);
		drydock_cache_close(io.cache);
	}
	drydock_fs_free(fs);
	drydock_image_free(img);
	return rc;
}

int main(int argc, char **argv)
{
	struct drydock_registry_opts o = {0};
	struct drydock_registry *reg;
	struct drydock_err err = {0};
	const char *cmd;
	int rc;

	if (argc < 4) {
		fprintf(stderr, "usage: registry-live DOMAIN CMD REPO ...\n");
		return 2;
	}
	o.insecure = getenv("LIVE_INSECURE") != NULL;
	o.ca_file = getenv("LIVE_CA");
	o.backoff_ms = 100;
	cmd = argv[2];
	if (!strcmp(cmd, "readfs")) {
		rc = readfs(&o, argv[3], argc > 4 ? argv[4] : NULL, &err);
		return rc < 0 ? die(&err) : rc;
	}
	if (!strcmp(cmd, "chunked"))
		o.chunk_size = 1024;
	if (drydock_registry_new(&reg, argv[1], &o, &err))
		return die(&err);
	rc = 0;
	if (!strcmp(cmd, "stream") && argc == 5) {
		struct counter c = {0, NULL};

		rc = drydock_registry_blob_stream(reg, argv[3], argv[4],
						  count_cb, &c, &err);
		if (!rc)
			printf("%lld\n", c.n);
	} else if (!strcmp(cmd, "chunked") && argc == 5) {
		struct drydock_buf f = DRYDOCK_BUF_INIT(64u << 20);
		struct drydock_buf back = DRYDOCK_BUF_INIT(64u << 20);
		struct counter c = {0, &back};
		char d[DRYDOCK_DIGEST_MAX];
		long long size = -1;

		rc = drydock_buf_read_file(&f, argv[4], &err);
		if (!rc)
			rc = upload(reg, argv[3], f.ptr, f.len, d, &err);
		if (!rc && drydock_registry_blob_exists(reg, argv[3], d, &size,
							&err) != 1)
			rc = err.code ? err.code : 1;
		if (!rc)
			rc = drydock_registry_blob_stream(reg, argv[3], d,
							  count_cb, &c, &err);
		if (!rc &&
		    (back.len != f.len || memcmp(back.ptr, f.ptr, f.len) ||
		     size != (long long)f.len)) {
			fprintf(stderr, "registry-live: read back differs\n");
			rc = 1;
		}
		if (!rc)
			printf("%s %lld\n", d, size);
		drydock_buf_release(&f);
		drydock_buf_release(&back);
	} else if (!strcmp(cmd, "gets") && argc == 6) {
		int n = (int)strtol(argv[5], NULL, 10);

		for (int i = 0; i < n && !rc; i++) {
			struct drydock_buf b = DRYDOCK_BUF_INIT(1 << 22);
			struct drydock_registry_manifest m = {{0}, {0}, &b};

			rc = drydock_registry_manifest_get(reg, argv[3],
							   argv[4], &m, &err);
			if (!rc && i == n - 1)
				printf("%s\n", m.digest);
			drydock_buf_release(&b);
		}
	} else if (!strcmp(cmd, "referrers") && argc == 5) {
		rc = referrers(reg, argv[3], argv[4], &err);
	} else if (!strcmp(cmd, "mount") && argc == 6) {
		int mounted = 0;

		rc = drydock_registry_blob_mount(reg, argv[3], argv[4], argv[5],
						 &mounted, &err);
		if (!rc)
			printf("%d\n", mounted);
	} else if (!strcmp(cmd, "retries") && argc == 5) {
		char d[DRYDOCK_DIGEST_MAX], mt[128];

		rc = drydock_registry_manifest_head(reg, argv[3], argv[4], d,
						    mt, NULL, &err);
		if (!rc)
			printf("%s %d\n", d, drydock_registry_retry_count(reg));
	} else {
		fprintf(stderr, "registry-live: bad command\n");
		rc = 2;
	}
	drydock_registry_free(reg);
	if (rc < 0)
		return die(&err);
	return rc;
}
