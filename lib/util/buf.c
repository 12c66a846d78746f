#include "setup.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "drydock/buf.h"
#include "drydock/error.h"

void drydock_buf_init(struct drydock_buf *b, size_t max)
{
	b->ptr = NULL;
	b->len = 0;
	b->cap = 0;
	b->max = max;
}

void drydock_buf_release(struct drydock_buf *b)
{
	if (!b)
		return;
	free(b->ptr);
	b->ptr = NULL;
	b->len = 0;
	b->cap = 0;
}

void drydock_buf_reset(struct drydock_buf *b)
{
	b->len = 0;
	if (b->ptr)
		b->ptr[0] = '\0';
}

int drydock_buf_grow(struct drydock_buf *b, size_t extra)
{
	size_t need, ncap;
	char *p;

	if (__builtin_add_overflow(b->len, extra, &need) ||
	    __builtin_add_overflow(need, 1, &need))
		return DRYDOCK_ELIMIT;
	if (need - 1 > b->max)
		return DRYDOCK_ELIMIT;
	if (need <= b->cap)
		return 0;
	ncap = b->cap ? b->cap : 64;
	while (ncap < need) {
		if (ncap > SIZE_MAX / 2) {
			ncap = need;
			break;
		}
		ncap *= 2;
	}
	if (ncap > b->max + 1)
		ncap = b->max + 1;
	p = realloc(b->ptr, ncap);
	if (!p)
		return DRYDOCK_ENOMEM;
	b->ptr = p;
	b->cap = ncap;
	return 0;
}

int drydock_buf_put(struct drydock_buf *b, const void *data, size_t n)
{
	int rc = drydock_buf_grow(b, n);

	if (rc)
		return rc;
	if (n)
		memcpy(b->ptr + b->len, data, n);
	b->len += n;
	b->ptr[b->len] = '\0';
	return 0;
}

int drydock_buf_puts(struct drydock_buf *b, const char *s)
{
	return drydock_buf_put(b, s, strlen(s));
}

int drydock_buf_putc(struct drydock_buf *b, char c)
{
	return drydock_buf_put(b, &c, 1);
}

int drydock_buf_vprintf(struct drydock_buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	int n, rc;

	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		return DRYDOCK_ERROR;
	rc = drydock_buf_grow(b, (size_t)n);
	if (rc)
		return rc;
	vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return 0;
}

int drydock_buf_printf(struct drydock_buf *b, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = drydock_buf_vprintf(b, fmt, ap);
	va_end(ap);
	return rc;
}

char *drydock_buf_detach(struct drydock_buf *b, size_t *len_out)
{
	char *p = b->ptr;

	if (!p) {
		p = calloc(1, 1);
		if (len_out)
			*len_out = 0;
		return p;
	}
	if (len_out)
		*len_out = b->len;
	b->ptr = NULL;
	b->len = 0;
	b->cap = 0;
	return p;
}

int drydock_buf_read_file(struct drydock_buf *b, const char *path,
			  struct drydock_err *err)
{
	char tmp[65536];
	struct stat st;
	ssize_t n;
	int fd, rc = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return drydock_err_set(
			err, errno == ENOENT ? DRYDOCK_ENOTFOUND : DRYDOCK_EIO,
			"'%s': %s", path, strerror(errno));
	/* a regular file's size is known: one allocation, read in place
	 * (growing 64 KiB at a time copied a multi-MB file several times
	 * over); the loop below still bounds the total by max */
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
	    (uint64_t)st.st_size <= b->max - b->len)
		(void)drydock_buf_grow(b, (size_t)st.st_size);
	for (;;) {
		size_t room = b->cap > b->len + 1 ? b->cap - b->len - 1 : 0;

		if (room) {
			n = read(fd, b->ptr + b->len, room);
			if (n > 0) {
				b->len += (size_t)n;
				b->ptr[b->len] = '\0';
				continue;
			}
		} else {
			n = read(fd, tmp, sizeof(tmp));
		}
		if (n < 0) {
			if (errno == EINTR)
				continue;
			rc = drydock_err_errno(err, errno, path);
			break;
		}
		if (n == 0)
			break;
		rc = drydock_buf_put(b, tmp, (size_t)n);
		if (rc) {
			rc = drydock_err_set(err, rc,
					     "'%s': file larger than %zu bytes",
					     path, b->max);
			break;
		}
	}
	close(fd);
	return rc;
}
