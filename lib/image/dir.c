#include "../util/setup.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "drydock/error.h"
#include "drydock/limits.h"
#include "internal.h"

/*
 * dir: sources, an unpacked root filesystem. The walk opens each
 * directory relative to its parent with O_NOFOLLOW, lstat()s entries and
 * records symlinks as symlinks: nothing outside the root is ever read,
 * whatever the links say. Regular files are read only when wanted.
 */

struct walk {
	struct drydock_fs *fs;
	drydock_fs_want_fn want;
	void *payload;
	const char *root;
	size_t entries;
};

static int read_kept(int dfd, const char *name, const char *path,
		     const struct stat *st, struct walk *w,
		     struct drydock_err *err)
{
	char *data;
	size_t got = 0;
	int fd, rc;

	if ((uint64_t)st->st_size > DRYDOCK_MAX_KEPT_FILE_BYTES)
		return drydock_err_set(err, DRYDOCK_ELIMIT,
				       "'%s/%s': kept file of %lld bytes is "
				       "over %u (DRYDOCK_MAX_KEPT_FILE_BYTES)",
				       w->root, path, (long long)st->st_size,
				       DRYDOCK_MAX_KEPT_FILE_BYTES);
	fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return drydock_err_set(err, DRYDOCK_EIO, "'%s/%s': %s", w->root,
				       path, strerror(errno));
	data = malloc((size_t)st->st_size + 1);
	if (!data) {
		close(fd);
		return drydock_err_set(err, DRYDOCK_ENOMEM, "out of memory");
	}
	while (got < (size_t)st->st_size) {
		ssize_t r = read(fd, data + got, (size_t)st->st_size - got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	/* a file that shrank while read keeps what was there */
	rc = drydock_fs_put(w->fs, 0, path, DRYDOCK_FS_FILE, data, got, err);
	free(data);
	return rc;
}

static int walk(int dfd, char *path, size_t plen, int depth, struct walk *w,
		struct drydock_err *err)
{
	DIR *d;
	struct dirent *de;
	int rc = 0;

	if (depth > DRYDOCK_MAX_DIR_DEPTH)
		return drydock_err_set(err, DRYDOCK_ELIMIT,
				       "'%s/%s': directories nested more than "
				       "%d deep (DRYDOCK_MAX_DIR_DEPTH)",
				       w->root, path, DRYDOCK_MAX_DIR_DEPTH);
	d = fdopendir(dfd);
	if (!d) {
		close(dfd);
		return drydock_err_set(err, DRYDOCK_EIO, "'%s/%s': %s", w->root,
				       path, strerror(errno));
	}
	while ((de = readdir(d)) != NULL) {
		struct stat st;
		size_t nl = strlen(de->d_name);

		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		if (++w->entries > DRYDOCK_MAX_TAR_ENTRIES) {
			rc = drydock_err_set(err, DRYDOCK_ELIMIT,
					     "'%s': more than %u entries "
					     "(DRYDOCK_MAX_TAR_ENTRIES)",
					     w->root, DRYDOCK_MAX_TAR_ENTRIES);
			break;
		}
		if (plen + nl + 2 >= DRYDOCK_MAX_PATH) {
			rc = drydock_err_set(err, DRYDOCK_ELIMIT,
					     "'%s/%s': path too long", w->root,
					     path);
			break;
		}
		if (plen)
			path[plen] = '/';
		memcpy(path + plen + (plen ? 1 : 0), de->d_name, nl + 1);
		if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) <
		    0) {
			rc = drydock_err_set(err, DRYDOCK_EIO, "'%s/%s': %s",
					     w->root, path, strerror(errno));
			break;
		}
		if (S_ISDIR(st.st_mode)) {
			int sub = openat(dirfd(d), de->d_name,
					 O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
						 O_CLOEXEC);

			rc = drydock_fs_put(w->fs, 0, path, DRYDOCK_FS_DIR,
					    NULL, 0, err);
			if (rc == 0 && sub < 0)
				rc = drydock_err_set(err, DRYDOCK_EIO,
						     "'%s/%s': %s", w->root,
						     path, strerror(errno));
			if (rc == 0)
				rc = walk(sub, path, plen + (plen ? 1 : 0) + nl,
					  depth + 1, w, err);
			else if (sub >= 0)
				close(sub);
		} else if (S_ISLNK(st.st_mode)) {
			char t[DRYDOCK_MAX_PATH];
			ssize_t n = readlinkat(dirfd(d), de->d_name, t,
					       sizeof(t) - 1);

			if (n < 0)
				rc = drydock_err_set(err, DRYDOCK_EIO,
						     "'%s/%s': %s", w->root,
						     path, strerror(errno));
			else
				rc = drydock_fs_put(w->fs, 0, path,
						    DRYDOCK_FS_SYMLINK, t,
						    (size_t)n, err);
		} else if (S_ISREG(st.st_mode) && w->want &&
			   w->want(path, w->payload) == 1) {
			rc = read_kept(dirfd(d), de->d_name, path, &st, w, err);
		}
		path[plen] = '\0';
		if (rc < 0)
			break;
	}
	closedir(d);
	return rc;
}

int dir_read(const char *root, struct drydock_fs *fs, drydock_fs_want_fn want,
	     void *payload, struct drydock_err *err)
{
	char path[DRYDOCK_MAX_PATH];
	struct walk w;
	int fd;

	memset(&w, 0, sizeof(w));
	w.fs = fs;
	w.want = want;
	w.payload = payload;
	w.root = root;
	fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return drydock_err_set(err, DRYDOCK_EIO, "'%s': %s", root,
				       strerror(errno));
	path[0] = '\0';
	return walk(fd, path, 0, 0, &w, err);
}
