#ifndef DRYDOCK_VERSION_INTERNAL_H
#define DRYDOCK_VERSION_INTERNAL_H

/* Shared by the files of lib/version; not a public interface. */

#include <stddef.h>

struct drydock_err;

/*
 * The length of s, or DRYDOCK_ELIMIT (message on err) when s is longer
 * than DRYDOCK_MAX_VERSION_LEN; reads at most that many bytes + 1.
 */
int version_length(const char *s, size_t *len, struct drydock_err *err);

/* ASCII classes: the package managers use the C locale. */
static inline int v_isdigit(int c)
{
	return c >= '0' && c <= '9';
}

static inline int v_islower(int c)
{
	return c >= 'a' && c <= 'z';
}

static inline int v_isalpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static inline int v_sign(int r)
{
	return (r > 0) - (r < 0);
}

#endif
