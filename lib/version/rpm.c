#include "../util/setup.h"

#include "drydock/error.h"
#include "drydock/limits.h"
#include "drydock/version.h"

#include "internal.h"

/*
 * rpm ordering (rpm 4.18: rpmvercmp(), and the EVR split of rpmver).
 *
 * rpmvercmp: the strings are read as runs of ASCII digits and runs of
 * ASCII letters; every other byte only separates runs, except '~' and
 * '^'. Runs are compared pairwise: a number beats letters, numbers
 * compare numerically (leading zeros ignored, any length), letters
 * byte-wise. '~' sorts before anything, even the end of the string; '^'
 * sorts after the end of the string but before any run. When one string
 * runs out the longer one wins, yet separators alone never decide.
 */

static int is_run(int c)
{
	return v_isdigit(c) || v_isalpha(c);
}

int drydock_rpm_vercmp_n(const char *a, size_t al, const char *b, size_t bl)
{
	size_t i = 0, j = 0;

	al = strnlen(a, al);
	bl = strnlen(b, bl);
	if (al == bl && !memcmp(a, b, al))
		return 0;
	for (;;) {
		size_t i0, j0, ni, nj;
		int r;

		while (i < al && !is_run(a[i]) && a[i] != '~' && a[i] != '^')
			i++;
		while (j < bl && !is_run(b[j]) && b[j] != '~' && b[j] != '^')
			j++;
		if ((i < al && a[i] == '~') || (j < bl && b[j] == '~')) {
			if (i == al || a[i] != '~')
				return 1;
			if (j == bl || b[j] != '~')
				return -1;
			i++;
			j++;
			continue;
		}
		if ((i < al && a[i] == '^') || (j < bl && b[j] == '^')) {
			if (i == al)
				return -1;
			if (j == bl)
				return 1;
			if (a[i] != '^')
				return 1;
			if (b[j] != '^')
				return -1;
			i++;
			j++;
			continue;
		}
		if (i == al || j == bl)
			break;
		i0 = i;
		j0 = j;
		if (v_isdigit(a[i])) {
			while (i < al && v_isdigit(a[i]))
				i++;
			while (j < bl && v_isdigit(b[j]))
				j++;
			if (j == j0)
				return 1; /* a number beats letters */
			while (i0 < i && a[i0] == '0')
				i0++;
			while (j0 < j && b[j0] == '0')
				j0++;
			ni = i - i0;
			nj = j - j0;
			if (ni != nj)
				return ni > nj ? 1 : -1;
			r = ni ? memcmp(a + i0, b + j0, ni) : 0;
		} else {
			while (i < al && v_isalpha(a[i]))
				i++;
			while (j < bl && v_isalpha(b[j]))
				j++;
			if (j == j0)
				return -1;
			ni = i - i0;
			nj = j - j0;
			r = memcmp(a + i0, b + j0, ni < nj ? ni : nj);
			if (!r && ni != nj)
				r = ni < nj ? -1 : 1;
		}
		if (r)
			return v_sign(r);
	}
	if (i == al && j == bl)
		return 0;
	return i == al ? -1 : 1;
}

int drydock_rpm_vercmp(const char *a, const char *b)
{
	return drydock_rpm_vercmp_n(a, strlen(a), b, strlen(b));
}

/*
 * [epoch:]version[-release] as rpm splits it: the epoch is a run of
 * leading digits ended by ':' (an empty one is 0; without ':' there is no
 * epoch, which compares as 0); the release follows the LAST '-'. Epochs
 * compare with rpmvercmp, as rpm's labelCompare does; a missing release
 * sorts before any release, the empty one included. An empty version
 * part ("1:", "-1") is rejected, as rpm's labelCompare rejects it.
 */
struct evr {
	const char *e, *v, *r;
	size_t elen, vlen, rlen;
	int has_r;
};

static int evr_parse(const char *s, struct evr *x, struct drydock_err *err)
{
	size_t n, k, d;
	int r;

	r = version_length(s, &n, err);
	if (r)
		return r;
	if (!n)
		return drydock_err_set(err, DRYDOCK_ECORRUPT,
				       "'': empty rpm version");
	for (k = 0; k < n; k++)
		if ((unsigned char)s[k] <= ' ' || s[k] == 0x7f)
			return drydock_err_set(
				err, DRYDOCK_ECORRUPT,
				"'%s': rpm version with a space or control "
				"character at byte %zu",
				s, k + 1);
	k = 0;
	while (k < n && v_isdigit(s[k]))
		k++;
	if (k < n && s[k] == ':') {
		x->e = k ? s : "0";
		x->elen = k ? k : 1;
		x->v = s + k + 1;
	} else {
		x->e = "0";
		x->elen = 1;
		x->v = s;
	}
	for (d = n; d > (size_t)(x->v - s); d--)
		if (s[d - 1] == '-')
			break;
	x->has_r = d > (size_t)(x->v - s);
	if (x->has_r) {
		x->vlen = (size_t)(s + d - 1 - x->v);
		x->r = s + d;
		x->rlen = n - d;
	} else {
		x->vlen = (size_t)(s + n - x->v);
		x->r = s + n;
		x->rlen = 0;
	}
	if (!x->vlen)
		return drydock_err_set(err, DRYDOCK_ECORRUPT,
				       "'%s': rpm version part is empty", s);
	return 0;
}

int drydock_rpm_evr_valid(const char *s, struct drydock_err *err)
{
	struct evr x;

	return evr_parse(s, &x, err);
}

int drydock_rpm_evr_compare(const char *a, const char *b, int *out,
			    struct drydock_err *err)
{
	struct evr x, y;
	int r;

	r = evr_parse(a, &x, err);
	if (r)
		return r;
	r = evr_parse(b, &y, err);
	if (r)
		return r;
	r = drydock_rpm_vercmp_n(x.e, x.elen, y.e, y.elen);
	if (!r)
		r = drydock_rpm_vercmp_n(x.v, x.vlen, y.v, y.vlen);
	if (!r) {
		if (x.has_r && y.has_r)
			r = drydock_rpm_vercmp_n(x.r, x.rlen, y.r, y.rlen);
		else
			r = x.has_r - y.has_r;
	}
	*out = r;
	return 0;
}
