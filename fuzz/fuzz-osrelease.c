#include "../lib/util/setup.h"

#include "drydock/error.h"
#include "drydock/fs.h"
#include "drydock/inventory.h"

/*
 * OS detection (lib/inventory/osdetect.c). The first byte picks the file
 * the rest of the input becomes (os-release, a release file,
 * debian_version, apk repositories...), so one corpus covers every
 * reader; with an odd first byte an os-release naming the matching
 * distribution is added, so the refinements (Alpine branch, Debian
 * version) run too. Contract: success, or a one-line message; every
 * field of struct drydock_os NUL-terminated within its size.
 */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const files[] = {
	"etc/os-release",     "usr/lib/os-release", "etc/lsb-release",
	"etc/debian_version", "etc/alpine-release", "etc/apk/repositories",
	"etc/redhat-release", "etc/centos-release", "etc/system-release",
	"etc/SuSE-release",   "etc/oracle-release", "etc/fedora-release",
};

static void check_field(const char *f, size_t sz)
{
	if (!memchr(f, '\0', sz))
		__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct drydock_fs *fs;
	struct drydock_err err;
	struct drydock_os os;
	const char *path;
	int l, rc;

	if (size < 1)
		return 0;
	path = files[data[0] % (sizeof(files) / sizeof(files[0]))];
	drydock_err_clear(&err);
	if (drydock_fs_new(&fs) < 0)
		return 0;
	if ((l = drydock_fs_add_layer(fs, NULL, &err)) < 0 ||
	    drydock_fs_put(fs, l, path, DRYDOCK_FS_FILE, data + 1, size - 1,
			   &err) < 0)
		goto out;
	if (data[0] & 0x80) {
		const char *id = strstr(path, "apk") || strstr(path, "alpine")
					 ? "ID=alpine\n"
					 : "ID=debian\n";

		if (strcmp(path, "etc/os-release") != 0 &&
		    drydock_fs_put(fs, l, "etc/os-release", DRYDOCK_FS_FILE, id,
				   strlen(id), &err) < 0)
			goto out;
	}
	rc = drydock_os_detect(&os, fs, &err);
	if (rc < 0) {
		if (err.code != rc || !err.msg[0] || strchr(err.msg, '\n'))
			__builtin_trap();
	} else {
		check_field(os.family, sizeof(os.family));
		check_field(os.version, sizeof(os.version));
		check_field(os.codename, sizeof(os.codename));
		check_field(os.pretty_name, sizeof(os.pretty_name));
		check_field(os.apk_branch, sizeof(os.apk_branch));
		check_field(os.source, sizeof(os.source));
	}
out:
	drydock_fs_free(fs);
	return 0;
}
