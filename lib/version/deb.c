#include "../util/setup.h"

#include <limits.h>

#include "drydock/error.h"
#include "drydock/limits.h"
#include "drydock/version.h"

#include "internal.h"

/*
 * Debian versions, [epoch:]upstream[-revision], parsed and ordered as dpkg
 * does (dpkg 1.21, parseversion() and verrevcmp()):
 *  - blanks (space, tab) around the version are ignored; inside, an error;
 *  - the epoch is what precedes the FIRST ':', read like strtol() (other
 *    white space and a sign may lead it); it must be 0..INT_MAX;
 *  - the revision follows the LAST '-' of the rest and must not be empty;
 *  - an upstream part that does not start with a digit, or a character
 *    outside [A-Za-z0-9.+~-:] in the upstream part or [A-Za-z0-9.+~] in the
 *    revision, is accepted with a warning (dpkg warns and still compares).
 */

struct deb_ver {
	long epoch;
	const char *up; /* upstream version */
	size_t uplen;
	const char *rev; /* revision; revlen 0 when there is none */
	size_t revlen;
};

static int is_blank(int c)
{
	return c == ' ' || c == '\t';
}

static int is_space(int c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

/*
 * Parse s into v. Returns DRYDOCK_VERSION_VALID, DRYDOCK_VERSION_WARN
 * (message on err only when want_warn) or a negative code. Messages quote
 * the whole input, as dpkg does.
 */
static int deb_parse(const char *s, struct deb_ver *v, int want_warn,
		     struct drydock_err *err)
{
	const char *p, *end, *colon, *q, *dash;
	size_t n;
	int r;

	r = version_length(s, &n, err);
	if (r)
		return r;
	p = s;
	end = s + n;
	while (p < end && is_blank(*p))
		p++;
	if (p == end)
		return drydock_err_set(err, DRYDOCK_ECORRUPT,
				       "'%s': version string is empty", s);
	q = p;
	while (q < end && !is_blank(*q))
		q++;
	end = q;
	while (q < s + n && is_blank(*q))
		q++;
	if (q != s + n)
		return drydock_err_set(err, DRYDOCK_ECORRUPT,
				       "'%s': version string has embedded "
				       "spaces",
				       s);

	v->epoch = 0;
	colon = memchr(p, ':', (size_t)(end - p));
	if (colon) {
		/* what strtol(p, &e, 10) accepts, with its overflow rule */
		const char *d = p;
		int neg = 0, big = 0;
		long e = 0;

		while (d < colon && is_space(*d))
			d++;
		if (d < colon && (*d == '+' || *d == '-'))
			neg = *d++ == '-';
		if (d == colon || !v_isdigit(*d))
			return drydock_err_set(err, DRYDOCK_ECORRUPT,
					       "'%s': epoch in version is "
					       "empty",
					       s);
		for (; d < colon && v_isdigit(*d); d++) {
			if (e > (LONG_MAX - (*d - '0')) / 10)
				big = 1;
			else
				e = e * 10 + (*d - '0');
		}
		if (d != colon)
			return drydock_err_set(err, DRYDOCK_ECORRUPT,
					       "'%s': epoch in version is not "
					       "number",
					       s);
		if (neg && (e > 0 || big))
			return drydock_err_set(err, DRYDOCK_ECORRUPT,
					       "'%s': epoch in version is "
					       "negative",
					       s);
		if (big || e > INT_MAX)
			return drydock_err_set(err, DRYDOCK_ECORRUPT,
					       "'%s': epoch in version is too "
					       "big",
					       s);
		if (colon + 1 == end)
			return drydock_err_set(err, DRYDOCK_ECORRUPT,
					       "'%s': nothing after colon in "
					       "version number",
					       s);
		v->epoch = e;
		p = colon + 1;
	}

	dash = NULL;
	for (q = end; q > p; q--)
		if (q[-1] == '-') {
			dash = q - 1;
			break;
		}
	v->up = p;
	v->uplen = (size_t)((dash ? dash : end) - p);
	v->rev = dash ? dash + 1 : end;
	v->revlen = dash ? (size_t)(end - dash - 1) : 0;
	if (dash && !v->revlen)
		return drydock_err_set(err, DRYDOCK_ECORRUPT,
				       "'%s': revision number is empty", s);
	if (!v->uplen)
		return drydock_err_set(err, DRYDOCK_ECORRUPT,
				       "'%s': version number is empty", s);

	if (!v_isdigit(v->up[0])) {
		if (want_warn)
			drydock_err_set(err, 0,
					"'%s': version number does not start "
					"with digit",
					s);
		return DRYDOCK_VERSION_WARN;
	}
	for (q = v->up + 1; q < v->up + v->uplen; q++)
		if (!v_isdigit(*q) && !v_isalpha(*q) && !strchr(".-+~:", *q)) {
			if (want_warn)
				drydock_err_set(err, 0,
						"'%s': invalid character in "
						"version number",
						s);
			return DRYDOCK_VERSION_WARN;
		}
	for (q = v->rev; q < v->rev + v->revlen; q++)
		if (!v_isdigit(*q) && !v_isalpha(*q) && !strchr(".+~", *q)) {
			if (want_warn)
				drydock_err_set(err, 0,
						"'%s': invalid character in "
						"revision number",
						s);
			return DRYDOCK_VERSION_WARN;
		}
	return DRYDOCK_VERSION_VALID;
}

/*
 * The weight of one character in a non-digit run: '~' before the end of
 * the run, the end before letters, letters before everything else. dpkg
 * reads the byte as a (signed, on its platforms) char, so bytes >= 0x80
 * weigh 128..255: after letters, before ASCII punctuation.
 */
static int order(int c)
{
	if (v_isdigit(c))
		return 0;
	if (v_isalpha(c))
		return c;
	if (c == '~')
		return -1;
	if (c)
		return (int)(signed char)c + 256;
	return 0;
}

/* dpkg's verrevcmp() on [a, a+al) and [b, b+bl); the sign only. */
static int verrevcmp(const char *a, size_t al, const char *b, size_t bl)
{
	size_t i = 0, j = 0;

	while (i < al || j < bl) {
		int first_diff = 0;

		while ((i < al && !v_isdigit(a[i])) ||
		       (j < bl && !v_isdigit(b[j]))) {
			int ac = order(i < al ? a[i] : 0);
			int bc = order(j < bl ? b[j] : 0);

			if (ac != bc)
				return v_sign(ac - bc);
			/* equal weights: both are non-digits, none ended */
			i++;
			j++;
		}
		while (i < al && a[i] == '0')
			i++;
		while (j < bl && b[j] == '0')
			j++;
		while (i < al && j < bl && v_isdigit(a[i]) && v_isdigit(b[j])) {
			if (!first_diff)
				first_diff = a[i] - b[j];
			i++;
			j++;
		}
		if (i < al && v_isdigit(a[i]))
			return 1;
		if (j < bl && v_isdigit(b[j]))
			return -1;
		if (first_diff)
			return v_sign(first_diff);
	}
	return 0;
}

int drydock_deb_valid(const char *s, struct drydock_err *err)
{
	struct deb_ver v;

	return deb_parse(s, &v, 1, err);
}

int drydock_deb_compare(const char *a, const char *b, int *out,
			struct drydock_err *err)
{
	struct deb_ver va, vb;
	int r;

	r = deb_parse(a, &va, 0, err);
	if (r < 0)
		return r;
	r = deb_parse(b, &vb, 0, err);
	if (r < 0)
		return r;
	if (va.epoch != vb.epoch) {
		*out = va.epoch < vb.epoch ? -1 : 1;
		return 0;
	}
	r = verrevcmp(va.up, va.uplen, vb.up, vb.uplen);
	if (!r)
		r = verrevcmp(va.rev, va.revlen, vb.rev, vb.revlen);
	*out = r;
	return 0;
}
