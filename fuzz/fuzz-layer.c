#include "../lib/util/setup.h"

#include "drydock/error.h"
#include "drydock/fs.h"
#include "../lib/image/internal.h"

/*
 * Fuzz the layer reader (lib/image/layer.c): the input is a layer blob
 * (plain tar, gzip or zstd, detected by content), read through the
 * decompressor, libarchive and the whiteout logic into a kept fs, which
 * is then queried. The first byte picks the read size, so buffer
 * boundaries move around.
 */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct memrd {
	struct rd rd;
	const uint8_t *p;
	size_t n, chunk;
};

static long mem_read(struct rd *r, void *buf, size_t n, struct drydock_err *err)
{
	struct memrd *m = (struct memrd *)r;

	(void)err;
	if (n > m->n)
		n = m->n;
	if (n > m->chunk)
		n = m->chunk;
	memcpy(buf, m->p, n);
	m->p += n;
	m->n -= n;
	return (long)n;
}

static int want_all(const char *path, void *payload)
{
	(void)path;
	(void)payload;
	return 1;
}

static int count(const struct drydock_fs_entry *e, void *payload)
{
	(void)e;
	(*(int *)payload)++;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct memrd m;
	struct drydock_fs *fs;
	struct drydock_err err;
	struct layer_job job = {"fuzz", NULL, NULL, want_all, NULL, NULL};
	int n = 0;

	if (size < 1)
		return 0;
	m.rd.read = mem_read;
	m.chunk = data[0] ? (size_t)data[0] * 97 : 1u << 20;
	m.p = data + 1;
	m.n = size - 1;
	if (drydock_fs_new(&fs) < 0)
		return 0;
	drydock_err_clear(&err);
	if (layer_read(&m.rd, &job, fs, &err) == 0) {
		drydock_fs_get(fs, "etc/os-release");
		drydock_fs_get(fs, "var/lib/dpkg/status");
		drydock_fs_list(fs, "", -1, count, &n);
		drydock_fs_list(fs, "etc", -1, count, &n);
	}
	drydock_fs_free(fs);
	return 0;
}
