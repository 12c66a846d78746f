#ifndef DRYDOCK_STRNUM_H
#define DRYDOCK_STRNUM_H

/*
 * Strict, range-checked number parsing (no atoi, no unchecked strtol).
 * The whole of [s, s+len) must be the number: no sign unless allowed, no
 * spaces, no trailing bytes. Return 0 or -1.
 */

#include <stddef.h>
#include <stdint.h>

int drydock_strnum_u64(const char *s, size_t len, uint64_t max, uint64_t *out);
int drydock_strnum_i64(const char *s, size_t len, int64_t min, int64_t max,
		       int64_t *out);

/* Overflow-checked size arithmetic: 0 on success, -1 on overflow. */
static inline int drydock_size_add(size_t a, size_t b, size_t *out)
{
	return __builtin_add_overflow(a, b, out) ? -1 : 0;
}

static inline int drydock_size_mul(size_t a, size_t b, size_t *out)
{
	return __builtin_mul_overflow(a, b, out) ? -1 : 0;
}

#endif
