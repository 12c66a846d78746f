#include "../util/setup.h"

#include <stdio.h>
#include <strings.h>

#include "drydock/buf.h"
#include "drydock/error.h"
#include "drydock/limits.h"
#include "drydock/report.h"

/*
 * Package URLs, after the purl specification (docs/specification in
 * package-url/purl-spec): the "how to build" and "how to parse" steps and
 * the character-encoding clause. docs/sbom.md says how drydock maps its
 * packages onto purls.
 */

static int is_alnum(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9');
}

static unsigned char lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c - 'A' + 'a') : c;
}

/*
 * Percent-encode s: the alphanumerics, the punctuation ".-_~" and the
 * colon stay as they are (the spec says the colon is never encoded);
 * every other byte becomes %XX with upper-case hex.
 */
static int put_encoded(struct drydock_buf *b, const char *s, int lowercase)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p;
	int r = 0;

	for (p = (const unsigned char *)s; *p && !r; p++) {
		unsigned char c = lowercase ? lower(*p) : *p;

		if (is_alnum(c) || c == '.' || c == '-' || c == '_' ||
		    c == '~' || c == ':') {
			r = drydock_buf_putc(b, (char)c);
		} else {
			char t[3] = {'%', hex[c >> 4], hex[c & 15]};

			r = drydock_buf_put(b, t, 3);
		}
	}
	return r;
}

static int type_ok(const char *t)
{
	const unsigned char *p = (const unsigned char *)t;

	if (!*p || !((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
		return 0;
	for (; *p; p++)
		if (!is_alnum(*p) && *p != '.' && *p != '-')
			return 0;
	return 1;
}

/* A qualifier key: lowercase letters, digits, '.', '-', '_', starting
 * with a letter. Upper case is refused, as the spec's tests require. */
static int key_ok(const char *k)
{
	const unsigned char *p = (const unsigned char *)k;

	if (!(*p >= 'a' && *p <= 'z'))
		return 0;
	for (; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		      *p == '.' || *p == '-' || *p == '_'))
			return 0;
	return 1;
}

/* Types whose namespace and name are case-insensitive (lowercased). */
static int lowercase_name(const char *type)
{
	return !strcasecmp(type, "deb") || !strcasecmp(type, "apk");
}

static int lowercase_namespace(const char *type)
{
	return lowercase_name(type) || !strcasecmp(type, "rpm");
}

/* Put the segments of a '/'-separated path, each encoded, dropping
 * empty ones (and for subpaths "." and ".."). Returns the count put. */
static int put_segments(struct drydock_buf *b, const char *s, int lc,
			int subpath, int *count)
{
	char seg[DRYDOCK_MAX_PURL_LEN];
	int r = 0;

	*count = 0;
	while (*s && !r) {
		const char *e = strchr(s, '/');
		size_t n = e ? (size_t)(e - s) : strlen(s);

		if (n >= sizeof(seg))
			return DRYDOCK_ELIMIT;
		memcpy(seg, s, n);
		seg[n] = '\0';
		s += n + (e ? 1 : 0);
		if (!n ||
		    (subpath && (!strcmp(seg, ".") || !strcmp(seg, ".."))))
			continue;
		if (*count)
			r = drydock_buf_putc(b, '/');
		if (!r)
			r = put_encoded(b, seg, lc);
		(*count)++;
	}
	return r;
}

struct qual {
	const char *k, *v;
};

static int qual_cmp(const void *a, const void *b)
{
	return strcmp(((const struct qual *)a)->k, ((const struct qual *)b)->k);
}

int drydock_purl_build(struct drydock_buf *out, const char *type,
		       const char *namespace, const char *name,
		       const char *version, const char *const *quals,
		       size_t nqual, const char *subpath,
		       struct drydock_err *err)
{
	struct qual q[DRYDOCK_PURL_MAX_QUALIFIERS];
	size_t i, nq = 0, start = out->len;
	int r, count;

	if (!type || !type_ok(type))
		return drydock_err_set(err, DRYDOCK_EUSAGE,
				       "purl: invalid type '%s'",
				       type ? type : "");
	if (!name || !*name)
		return drydock_err_set(err, DRYDOCK_EUSAGE,
				       "purl: a name is required");
	if (nqual > DRYDOCK_PURL_MAX_QUALIFIERS)
		return drydock_err_set(err, DRYDOCK_ELIMIT,
				       "purl: more than %d qualifiers",
				       DRYDOCK_PURL_MAX_QUALIFIERS);
	for (i = 0; i < nqual; i++) {
		const char *k = quals[2 * i], *v = quals[2 * i + 1];

		if (!k || !key_ok(k))
			return drydock_err_set(
				err, DRYDOCK_EUSAGE,
				"purl: invalid qualifier key '%s'", k ? k : "");
		if (!v || !*v)
			continue;
		q[nq].k = k;
		q[nq].v = v;
		nq++;
	}
	qsort(q, nq, sizeof(q[0]), qual_cmp);
	for (i = 1; i < nq; i++)
		if (!strcmp(q[i - 1].k, q[i].k))
			return drydock_err_set(
				err, DRYDOCK_EUSAGE,
				"purl: qualifier '%s' given twice", q[i].k);

	r = drydock_buf_puts(out, "pkg:");
	for (i = 0; type[i] && !r; i++)
		r = drydock_buf_putc(out, (char)lower((unsigned char)type[i]));
	if (!r)
		r = drydock_buf_putc(out, '/');
	if (!r && namespace && *namespace) {
		r = put_segments(out, namespace, lowercase_namespace(type), 0,
				 &count);
		if (!r && count)
			r = drydock_buf_putc(out, '/');
	}
	if (!r) {
		/* the name loses leading and trailing slashes; an inner one
		 * is data and gets encoded */
		size_t n;
		char tmp[DRYDOCK_MAX_PURL_LEN];

		while (*name == '/')
			name++;
		n = strlen(name);
		while (n && name[n - 1] == '/')
			n--;
		if (!n || n >= sizeof(tmp)) {
			r = n ? DRYDOCK_ELIMIT : DRYDOCK_EUSAGE;
		} else {
			memcpy(tmp, name, n);
			tmp[n] = '\0';
			r = put_encoded(out, tmp, lowercase_name(type));
		}
	}
	if (!r && version && *version) {
		r = drydock_buf_putc(out, '@');
		if (!r)
			r = put_encoded(out, version, 0);
	}
	for (i = 0; i < nq && !r; i++) {
		r = drydock_buf_putc(out, i ? '&' : '?');
		if (!r)
			r = drydock_buf_puts(out, q[i].k);
		if (!r)
			r = drydock_buf_putc(out, '=');
		if (!r)
			r = put_encoded(out, q[i].v, 0);
	}
	if (!r && subpath && *subpath) {
		size_t mark = out->len;

		r = drydock_buf_putc(out, '#');
		if (!r)
			r = put_segments(out, subpath, 0, 1, &count);
		if (!r && !count) {
			out->len = mark;
			out->ptr[mark] = '\0';
		}
	}
	if (r) {
		if (out->ptr) {
			out->len = start;
			out->ptr[start] = '\0';
		}
		if (r == DRYDOCK_EUSAGE)
			return drydock_err_set(err, r,
					       "purl: a name is required");
		return drydock_err_set(err, r, "purl: longer than the limit");
	}
	return 0;
}

const char *drydock_purl_namespace(enum drydock_pkg_type t,
				   const char *os_family)
{
	static const struct {
		const char *family, *ns;
	} rpm_vendors[] = {
		{"rhel", "redhat"},
		{"redhat", "redhat"},
		{"centos", "centos"},
		{"rocky", "rocky"},
		{"almalinux", "almalinux"},
		{"fedora", "fedora"},
		{"amzn", "amazon"},
		{"amazon", "amazon"},
		{"ol", "oracle"},
		{"oracle", "oracle"},
		{"opensuse", "opensuse"},
		{"opensuse-leap", "opensuse"},
		{"opensuse-tumbleweed", "opensuse"},
		{"opensuse-microos", "opensuse"},
		{"sles", "suse"},
		{"sled", "suse"},
		{"sles_sap", "suse"},
		{"sle-micro", "suse"},
		{"suse", "suse"},
		{"mariner", "mariner"},
		{"azurelinux", "azurelinux"},
		{"photon", "photon"},
	};
	const char *f = os_family ? os_family : "";
	size_t i;

	switch (t) {
	case DRYDOCK_PKG_DEB:
		return *f ? f : "debian";
	case DRYDOCK_PKG_APK:
		return *f ? f : "alpine";
	case DRYDOCK_PKG_RPM:
		for (i = 0; i < sizeof(rpm_vendors) / sizeof(rpm_vendors[0]);
		     i++)
			if (!strcmp(f, rpm_vendors[i].family))
				return rpm_vendors[i].ns;
		return *f ? f : "unknown";
	}
	return *f ? f : "unknown";
}

static const char *type_name(enum drydock_pkg_type t)
{
	switch (t) {
	case DRYDOCK_PKG_DEB:
		return "deb";
	case DRYDOCK_PKG_APK:
		return "apk";
	case DRYDOCK_PKG_RPM:
		return "rpm";
	}
	return "generic";
}

int drydock_purl_for_pkg(struct drydock_buf *out, const struct drydock_pkg *p,
			 const struct drydock_os *os)
{
	const char *family = os ? os->family : "";
	const char *quals[6];
	char distro[sizeof(os->family) + sizeof(os->version) + 2];
	char epoch[32];
	char vr[2 * DRYDOCK_MAX_VERSION_LEN + 2];
	const char *version = p->version;
	size_t nq = 0;

	distro[0] = '\0';
	if (os && os->family[0]) {
		if (os->version[0])
			snprintf(distro, sizeof(distro), "%s-%s", os->family,
				 os->version);
		else
			snprintf(distro, sizeof(distro), "%s", os->family);
	}
	if (p->type == DRYDOCK_PKG_RPM && (!version || !*version) &&
	    p->rpm_version) {
		snprintf(vr, sizeof(vr), "%s%s%s", p->rpm_version,
			 p->rpm_release ? "-" : "",
			 p->rpm_release ? p->rpm_release : "");
		version = vr;
	}
	quals[nq * 2] = "arch";
	quals[nq * 2 + 1] = p->arch;
	nq++;
	quals[nq * 2] = "distro";
	quals[nq * 2 + 1] = distro;
	nq++;
	if (p->type == DRYDOCK_PKG_RPM && p->epoch > 0) {
		snprintf(epoch, sizeof(epoch), "%ld", p->epoch);
		quals[nq * 2] = "epoch";
		quals[nq * 2 + 1] = epoch;
		nq++;
	}
	return drydock_purl_build(out, type_name(p->type),
				  drydock_purl_namespace(p->type, family),
				  p->name, version, quals, nq, NULL, NULL);
}

/* Parsing. */

static int hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decode [s, s+n) into a new string; NULL on a bad escape, a decoded
 * NUL, or allocation failure (*bad says which). */
static char *decode(const char *s, size_t n, int lc, int *bad)
{
	char *o = malloc(n + 1);
	size_t i, j = 0;

	*bad = 0;
	if (!o)
		return NULL;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '%') {
			int h, l;

			if (i + 2 >= n) {
				*bad = 1;
				break;
			}
			h = hexval((unsigned char)s[i + 1]);
			l = hexval((unsigned char)s[i + 2]);
			if (h < 0 || l < 0 || (h == 0 && l == 0)) {
				*bad = 1;
				break;
			}
			c = (unsigned char)(h * 16 + l);
			i += 2;
		}
		o[j++] = (char)(lc ? lower(c) : c);
	}
	if (*bad) {
		free(o);
		return NULL;
	}
	o[j] = '\0';
	return o;
}

void drydock_purl_free(struct drydock_purl *p)
{
	size_t i;

	if (!p)
		return;
	free(p->type);
	free(p->namespace);
	free(p->name);
	free(p->version);
	free(p->subpath);
	for (i = 0; i < p->nqual; i++) {
		free(p->qkey[i]);
		free(p->qval[i]);
	}
	memset(p, 0, sizeof(*p));
}

const char *drydock_purl_qualifier(const struct drydock_purl *p,
				   const char *key)
{
	size_t i;

	for (i = 0; i < p->nqual; i++)
		if (!strcmp(p->qkey[i], key))
			return p->qval[i];
	return NULL;
}

static int bad_purl(struct drydock_purl *out, struct drydock_err *err,
		    const char *s, const char *why)
{
	drydock_purl_free(out);
	return drydock_err_set(err, DRYDOCK_ECORRUPT, "purl '%.200s': %s", s,
			       why);
}

/* Decode the '/'-separated segments of [s, s+n), dropping empty ones (and
 * "." and ".." when subpath), joined with '/'; NULL when none remain. */
static char *decode_segments(const char *s, size_t n, int lc, int subpath,
			     int *bad)
{
	char *o = malloc(n + 1), *seg;
	size_t i = 0, olen = 0;

	*bad = 0;
	if (!o) {
		*bad = 2;
		return NULL;
	}
	while (i < n) {
		size_t e = i;

		while (e < n && s[e] != '/')
			e++;
		if (e > i) {
			seg = decode(s + i, e - i, lc, bad);
			if (!seg) {
				free(o);
				if (!*bad)
					*bad = 2;
				return NULL;
			}
			if (strchr(seg, '/')) {
				*bad = 1;
			} else if (!(subpath && (!strcmp(seg, ".") ||
						 !strcmp(seg, "..")))) {
				size_t sl = strlen(seg);

				if (olen)
					o[olen++] = '/';
				memcpy(o + olen, seg, sl);
				olen += sl;
			}
			free(seg);
			if (*bad) {
				free(o);
				return NULL;
			}
		}
		i = e + 1;
	}
	if (!olen) {
		free(o);
		return NULL;
	}
	o[olen] = '\0';
	return o;
}

int drydock_purl_parse(struct drydock_purl *out, const char *s,
		       struct drydock_err *err)
{
	size_t len = strlen(s), end, i;
	const char *hash, *q, *p, *slash, *at;
	int bad;

	memset(out, 0, sizeof(*out));
	if (len > DRYDOCK_MAX_PURL_LEN)
		return drydock_err_set(err, DRYDOCK_ELIMIT,
				       "purl of %zu bytes exceeds the limit "
				       "of %d",
				       len, DRYDOCK_MAX_PURL_LEN);
	if (strncasecmp(s, "pkg:", 4))
		return bad_purl(out, err, s, "scheme is not 'pkg:'");
	end = len;
	hash = memchr(s, '#', len);
	if (hash) {
		/* split once from the right on '#': the last one */
		hash = strrchr(s, '#');
		out->subpath = decode_segments(
			hash + 1, len - (size_t)(hash - s) - 1, 0, 1, &bad);
		if (bad)
			return bad_purl(out, err, s, "invalid subpath");
		end = (size_t)(hash - s);
	}
	q = memchr(s, '?', end);
	if (q) {
		const char *qp = q + 1, *qend = s + end;

		while (qp < qend) {
			const char *amp = memchr(qp, '&', (size_t)(qend - qp));
			const char *pe = amp ? amp : qend, *eq;
			char *k, *v;

			eq = memchr(qp, '=', (size_t)(pe - qp));
			if (pe == qp) {
				qp = pe + 1;
				continue;
			}
			if (!eq)
				return bad_purl(out, err, s,
						"qualifier without '='");
			k = decode(qp, (size_t)(eq - qp), 0, &bad);
			if (!k)
				return bad_purl(out, err, s,
						"invalid qualifier key");
			if (!key_ok(k)) {
				free(k);
				return bad_purl(out, err, s,
						"invalid qualifier key");
			}
			v = decode(eq + 1, (size_t)(pe - eq - 1), 0, &bad);
			if (!v) {
				free(k);
				return bad_purl(out, err, s,
						"invalid qualifier value");
			}
			if (!*v || drydock_purl_qualifier(out, k)) {
				int dup = *v != '\0';

				free(k);
				free(v);
				if (dup)
					return bad_purl(
						out, err, s,
						"qualifier given twice");
			} else if (out->nqual == DRYDOCK_PURL_MAX_QUALIFIERS) {
				free(k);
				free(v);
				return bad_purl(out, err, s,
						"too many qualifiers");
			} else {
				/* insertion keeps them sorted by key */
				size_t at_i = out->nqual;

				while (at_i &&
				       strcmp(out->qkey[at_i - 1], k) > 0) {
					out->qkey[at_i] = out->qkey[at_i - 1];
					out->qval[at_i] = out->qval[at_i - 1];
					at_i--;
				}
				out->qkey[at_i] = k;
				out->qval[at_i] = v;
				out->nqual++;
			}
			qp = pe + 1;
		}
		end = (size_t)(q - s);
	}
	/* scheme, then any number of slashes */
	p = s + 4;
	while (p < s + end && *p == '/')
		p++;
	slash = memchr(p, '/', (size_t)(s + end - p));
	if (!slash)
		return bad_purl(out, err, s, "no type or no name");
	out->type = decode(p, (size_t)(slash - p), 1, &bad);
	if (!out->type || memchr(p, '%', (size_t)(slash - p)) ||
	    !type_ok(out->type))
		return bad_purl(out, err, s, "invalid type");
	p = slash + 1;
	/* version: split once from the right on '@' */
	at = NULL;
	for (i = end; i > (size_t)(p - s); i--)
		if (s[i - 1] == '@') {
			at = s + i - 1;
			break;
		}
	if (at) {
		out->version =
			decode(at + 1, (size_t)(s + end - at - 1), 0, &bad);
		if (!out->version)
			return bad_purl(out, err, s, "invalid version");
		if (!*out->version) {
			free(out->version);
			out->version = NULL;
		}
		end = (size_t)(at - s);
	}
	while (end > (size_t)(p - s) && s[end - 1] == '/')
		end--;
	for (i = end; i > (size_t)(p - s) && s[i - 1] != '/'; i--)
		;
	if (i == end)
		return bad_purl(out, err, s, "no name");
	out->name = decode(s + i, end - i, lowercase_name(out->type), &bad);
	if (!out->name || !*out->name)
		return bad_purl(out, err, s, "invalid name");
	if (i > (size_t)(p - s)) {
		out->namespace = decode_segments(p, i - (size_t)(p - s),
						 lowercase_namespace(out->type),
						 0, &bad);
		if (bad)
			return bad_purl(out, err, s, "invalid namespace");
	}
	return 0;
}
