#include "../util/setup.h"

/*
 * Registry references as an image source: the manifest (after platform
 * selection) and the config are fetched and verified by lib/registry and
 * handed to the OCI layout code as in-memory documents; each layer is
 * streamed from the registry straight into the layer reader through a
 * socket pair fed by a thread running drydock_registry_blob_stream(), so
 * neither the image nor a layer is ever held whole in memory or on disk.
 * Several layers stream at once (one client per layer, sharing tokens).
 */

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

#include "drydock/error.h"
#include "drydock/json.h"
#include "drydock/limits.h"
#include "drydock/registry.h"
#include "internal.h"
#include "source_registry.h"

struct image_remote {
	struct drydock_registry_ref ref;
	struct drydock_registry *reg; /* used by the opener only */
	pthread_mutex_t mu;	      /* guards cloning reg */
	struct drydock_buf index, manifest, config;
	struct image_docs docs;
};

int remote_open(struct image_remote **out, const char *ref,
		const struct drydock_registry_opts *ro, const char *platform,
		const struct image_docs **docs, struct drydock_err *err)
{
	struct image_remote *rm;
	struct drydock_registry_manifest m;
	char idx[DRYDOCK_DIGEST_MAX];
	const char *cd;
	json_t *doc;
	int rc;

	*out = NULL;
	rm = calloc(1, sizeof(*rm));
	if (!rm)
		return drydock_err_set(err, DRYDOCK_ENOMEM, "out of memory");
	pthread_mutex_init(&rm->mu, NULL);
	drydock_buf_init(&rm->index, DRYDOCK_MAX_MANIFEST_BYTES);
	drydock_buf_init(&rm->manifest, DRYDOCK_MAX_MANIFEST_BYTES);
	drydock_buf_init(&rm->config, DRYDOCK_MAX_CONFIG_BYTES);
	if (!strncmp(ref, "docker://", 9))
		ref += 9;
	rc = drydock_registry_ref_parse(&rm->ref, ref, err);
	if (!rc)
		rc = drydock_registry_new(&rm->reg, rm->ref.domain, ro, err);
	if (rc)
		goto fail;
	m.body = &rm->manifest;
	rc = drydock_registry_resolve(rm->reg, rm->ref.path,
				      drydock_registry_ref_ref(&rm->ref),
				      platform, &m, idx, err);
	if (rc)
		goto fail;
	doc = drydock_json_load(rm->manifest.ptr, rm->manifest.len,
				DRYDOCK_MAX_MANIFEST_BYTES, ref, err);
	if (!doc) {
		rc = err->code;
		goto fail;
	}
	cd = drydock_json_str(json_object_get(doc, "config"), "digest");
	rc = cd ? drydock_registry_blob_get(rm->reg, rm->ref.path, cd,
					    &rm->config, err)
		: drydock_err_set(err, DRYDOCK_ECORRUPT,
				  "'%s': manifest without a config", ref);
	json_decref(doc);
	if (rc)
		goto fail;
	/* a one-entry index.json naming the manifest chosen */
	rc = drydock_buf_printf(&rm->index,
				"{\"schemaVersion\":2,\"manifests\":[{"
				"\"mediaType\":\"%s\",\"digest\":\"%s\","
				"\"size\":%zu}]}",
				m.media_type, m.digest, rm->manifest.len);
	if (rc) {
		drydock_err_set(err, rc, "'%s': out of memory", ref);
		goto fail;
	}
	rm->docs.index = rm->index.ptr;
	rm->docs.index_len = rm->index.len;
	rm->docs.manifest = rm->manifest.ptr;
	rm->docs.manifest_len = rm->manifest.len;
	rm->docs.config = rm->config.ptr;
	rm->docs.config_len = rm->config.len;
	*docs = &rm->docs;
	*out = rm;
	return 0;
fail:
	remote_free(rm);
	return rc;
}

void remote_free(struct image_remote *rm)
{
	if (!rm)
		return;
	drydock_registry_free(rm->reg);
	drydock_buf_release(&rm->index);
	drydock_buf_release(&rm->manifest);
	drydock_buf_release(&rm->config);
	pthread_mutex_destroy(&rm->mu);
	free(rm);
}

/* One layer in flight: the producer thread writes into sv[1], the layer
 * reader reads sv[0]. */
struct blob_rd {
	struct rd rd;
	struct drydock_registry *reg;
	const char *repo, *digest;
	int sv[2];
	pthread_t th;
	int started, joined;
	int rc;
	struct drydock_err err;
};

static int to_socket(const void *data, size_t n, void *payload)
{
	struct blob_rd *b = payload;
	size_t off = 0;

	while (off < n) {
		/* MSG_NOSIGNAL: a reader that stopped early must not kill
		 * the process with SIGPIPE */
		ssize_t w = send(b->sv[1], (const char *)data + off, n - off,
				 MSG_NOSIGNAL);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return DRYDOCK_EIO;
		off += (size_t)w;
	}
	return 0;
}

static void *producer(void *arg)
{
	struct blob_rd *b = arg;

	b->rc = drydock_registry_blob_stream(b->reg, b->repo, b->digest,
					     to_socket, b, &b->err);
	shutdown(b->sv[1], SHUT_WR);
	return NULL;
}

static int join(struct blob_rd *b)
{
	if (b->started && !b->joined) {
		pthread_join(b->th, NULL);
		b->joined = 1;
	}
	return b->rc;
}

static long blob_read(struct rd *r, void *buf, size_t n,
		      struct drydock_err *err)
{
	struct blob_rd *b = (struct blob_rd *)r;
	ssize_t got;

	do
		got = read(b->sv[0], buf, n);
	while (got < 0 && errno == EINTR);
	if (got < 0)
		return drydock_err_errno(err, errno, b->digest);
	if (got > 0)
		return (long)got;
	/* the end: the transfer's verdict (digest, HTTP status) */
	if (join(b) < 0) {
		*err = b->err;
		return b->rc;
	}
	return 0;
}

int remote_layer_read(struct image_remote *rm, const char *digest,
		      const struct layer_job *job, struct drydock_fs *out,
		      struct drydock_err *err)
{
	struct blob_rd b;
	struct layer_job vjob;
	int rc;

	memset(&b, 0, sizeof(b));
	b.rd.read = blob_read;
	b.repo = rm->ref.path;
	b.digest = digest;
	b.sv[0] = b.sv[1] = -1;
	pthread_mutex_lock(&rm->mu);
	rc = drydock_registry_clone(&b.reg, rm->reg, err);
	pthread_mutex_unlock(&rm->mu);
	if (rc)
		return rc;
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, b.sv)) {
		rc = drydock_err_errno(err, errno, "socketpair");
		goto out;
	}
	/* a deep pipe lets the download run ahead of the reader instead of
	 * handing over every 200 KB (a context switch each: slow on a busy
	 * machine); failing to enlarge it only costs speed */
	{
		int sz = 4 << 20;

		(void)setsockopt(b.sv[1], SOL_SOCKET, SO_SNDBUF, &sz,
				 sizeof(sz));
		(void)setsockopt(b.sv[0], SOL_SOCKET, SO_RCVBUF, &sz,
				 sizeof(sz));
	}
	if (pthread_create(&b.th, NULL, producer, &b)) {
		rc = drydock_err_set(err, DRYDOCK_ERROR,
				     "'%s': cannot start a download thread",
				     job->name);
		goto out;
	}
	b.started = 1;
	/* drydock_registry_blob_stream verifies the digest (the end of
	 * the stream reports a mismatch): no second hash of the blob */
	vjob = *job;
	vjob.blob_verified = !strncmp(digest, "sha256:", 7);
	rc = layer_read(&b.rd, &vjob, out, err);
	/* stop the producer if the reader stopped first */
	shutdown(b.sv[0], SHUT_RDWR);
	if (join(&b) < 0 && rc == 0) {
		*err = b.err;
		rc = b.rc;
	}
out:
	if (b.sv[0] >= 0)
		close(b.sv[0]);
	if (b.sv[1] >= 0)
		close(b.sv[1]);
	drydock_registry_free(b.reg);
	return rc;
}
