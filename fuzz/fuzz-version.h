#ifndef DRYDOCK_FUZZ_VERSION_H
#define DRYDOCK_FUZZ_VERSION_H

/*
 * Shared body of the version comparator harnesses. The input is split at
 * its first two tabs or newlines into three strings a, b, c (missing ones
 * are empty). Beyond not crashing, the comparator must be a total
 * preorder on what it accepts:
 *   cmp(x, x) = 0; cmp(x, y) = -cmp(y, x);
 *   cmp(a, b) <= 0 and cmp(b, c) <= 0 imply cmp(a, c) <= 0, strictly
 *   when either is strict (and the same for every order of the three);
 * and a comparison fails exactly when one side is not valid.
 * A violation traps, so libFuzzer and the replay test report it.
 */

#include <stdint.h>

#include "drydock/error.h"
#include "drydock/version.h"

typedef int (*fuzz_cmp_fn)(const char *a, const char *b, int *out,
			   struct drydock_err *err);
typedef int (*fuzz_valid_fn)(const char *s, struct drydock_err *err);

/* cmp(x, y), or 2 when it fails; checks the failure against valid. */
static int fuzz_cmp(fuzz_cmp_fn cmp, fuzz_valid_fn valid, const char *x,
		    const char *y)
{
	struct drydock_err err;
	int out = 7, r;

	r = cmp(x, y, &out, &err);
	if (valid && (r < 0) != (valid(x, &err) < 0 || valid(y, &err) < 0))
		__builtin_trap();
	if (r < 0)
		return 2;
	if (r != 0 || out < -1 || out > 1)
		__builtin_trap();
	return out;
}

static void fuzz_check_triple(fuzz_cmp_fn cmp, fuzz_valid_fn valid,
			      const char *s[3])
{
	int m[3][3], i, j, k;

	for (i = 0; i < 3; i++)
		for (j = 0; j < 3; j++)
			m[i][j] = fuzz_cmp(cmp, valid, s[i], s[j]);
	for (i = 0; i < 3; i++) {
		if (m[i][i] != 0 && m[i][i] != 2)
			__builtin_trap();
		for (j = 0; j < 3; j++)
			if (m[i][j] != 2 && m[j][i] != -m[i][j])
				__builtin_trap();
	}
	for (i = 0; i < 3; i++)
		for (j = 0; j < 3; j++)
			for (k = 0; k < 3; k++) {
				int ab = m[i][j], bc = m[j][k], ac = m[i][k];

				if (ab == 2 || bc == 2 || ac == 2)
					continue;
				if (ab <= 0 && bc <= 0 && ac > 0)
					__builtin_trap();
				if (ab <= 0 && bc <= 0 && (ab < 0 || bc < 0) &&
				    ac != -1)
					__builtin_trap();
			}
}

/* Split data into three NUL-terminated strings and check them. */
static int fuzz_version_input(fuzz_cmp_fn cmp, fuzz_valid_fn valid,
			      const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 3);
	const char *s[3];
	size_t i, o = 0;
	int n = 0;

	if (!buf)
		return 0;
	s[0] = buf;
	s[1] = s[2] = "";
	for (i = 0; i < size; i++) {
		if ((data[i] == '\t' || data[i] == '\n') && n < 2) {
			buf[o++] = '\0';
			s[++n] = buf + o;
			continue;
		}
		buf[o++] = (char)data[i];
	}
	buf[o] = '\0';
	fuzz_check_triple(cmp, valid, s);
	free(buf);
	return 0;
}

#endif
