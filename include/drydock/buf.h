#ifndef DRYDOCK_BUF_H
#define DRYDOCK_BUF_H

/*
 * A growable byte buffer with a mandatory maximum size.
 *
 * Invariants: ptr is NULL or points to cap bytes; len < cap whenever ptr
 * is set, and ptr[len] == '\0', so the contents can always be used as a C
 * string (they may also contain NULs; use len, not strlen). Growing past
 * max fails with DRYDOCK_ELIMIT and leaves the buffer unchanged.
 * A buffer owns its memory; drydock_buf_release() frees it and may be
 * called on a zeroed or already released buffer.
 */

#include <stdarg.h>
#include <stddef.h>

struct drydock_err;

struct drydock_buf {
	char *ptr;
	size_t len;
	size_t cap;
	size_t max;
};

#define DRYDOCK_BUF_INIT(maxbytes)                                             \
	{                                                                      \
		NULL, 0, 0, (maxbytes)                                         \
	}

void drydock_buf_init(struct drydock_buf *b, size_t max);
void drydock_buf_release(struct drydock_buf *b);
/* Empty the buffer, keeping its memory. */
void drydock_buf_reset(struct drydock_buf *b);
/* Ensure room for extra more bytes (plus the terminating NUL). */
int drydock_buf_grow(struct drydock_buf *b, size_t extra);
int drydock_buf_put(struct drydock_buf *b, const void *data, size_t n);
int drydock_buf_puts(struct drydock_buf *b, const char *s);
int drydock_buf_putc(struct drydock_buf *b, char c);
int drydock_buf_printf(struct drydock_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int drydock_buf_vprintf(struct drydock_buf *b, const char *fmt, va_list ap);
/*
 * Hand the memory to the caller (who frees it with free()); the buffer is
 * left empty. Never returns NULL for an empty buffer: returns "" allocated.
 */
char *drydock_buf_detach(struct drydock_buf *b, size_t *len_out);

/*
 * Read a whole file into b (appending). Fails with DRYDOCK_ELIMIT when the
 * file is larger than b->max, naming path in err.
 */
int drydock_buf_read_file(struct drydock_buf *b, const char *path,
			  struct drydock_err *err);

#endif
