#include "../lib/util/setup.h"

#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "drydock/error.h"
#include "drydock/fs.h"
#include "drydock/image.h"

/*
 * Fuzz image archives end to end (lib/image/archive.c and what follows):
 * the input is a docker-archive or oci-archive (a tar, or gzip of one),
 * written to a memory file and opened by path as drydock_image_open()
 * recognises it, then every layer is read.
 */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int want_all(const char *path, void *payload)
{
	(void)path;
	(void)payload;
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct drydock_image_opts opts = {"linux/amd64", 1, NULL};
	struct drydock_image *img;
	struct drydock_fs *fs;
	struct drydock_err err;
	char path[64];
	int fd;

	fd = memfd_create("fuzz-archive", MFD_CLOEXEC);
	if (fd < 0)
		return 0;
	if (write(fd, data, size) != (ssize_t)size) {
		close(fd);
		return 0;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	drydock_err_clear(&err);
	if (drydock_image_open(&img, path, &opts, &err) == 0) {
		if (drydock_fs_new(&fs) == 0) {
			drydock_image_read_fs(img, fs, want_all, NULL, &err);
			drydock_fs_get(fs, "etc/os-release");
			drydock_fs_free(fs);
		}
		drydock_image_free(img);
	}
	close(fd);
	return 0;
}
