#include "setup.h"

#include "drydock/strnum.h"

int drydock_strnum_u64(const char *s, size_t len, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (!len)
		return -1;
	for (i = 0; i < len; i++) {
		unsigned d;

		if (s[i] < '0' || s[i] > '9')
			return -1;
		d = (unsigned)(s[i] - '0');
		if (v > (UINT64_MAX - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	if (v > max)
		return -1;
	*out = v;
	return 0;
}

int drydock_strnum_i64(const char *s, size_t len, int64_t min, int64_t max,
		       int64_t *out)
{
	uint64_t mag;
	int neg = 0;

	if (len && (s[0] == '-' || s[0] == '+')) {
		neg = s[0] == '-';
		s++;
		len--;
	}
	if (drydock_strnum_u64(s, len, (uint64_t)INT64_MAX + (neg ? 1 : 0),
			       &mag))
		return -1;
	if (neg) {
		int64_t v = mag == (uint64_t)INT64_MAX + 1 ? INT64_MIN
							   : -(int64_t)mag;
		if (v < min)
			return -1;
		*out = v;
	} else {
		if ((int64_t)mag > max)
			return -1;
		*out = (int64_t)mag;
	}
	return 0;
}
