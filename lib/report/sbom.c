#include "../util/setup.h"

#include <stdio.h>
#include <time.h>

#include <openssl/evp.h>

#include "drydock/buf.h"
#include "drydock/digest.h"
#include "drydock/error.h"
#include "drydock/json.h"
#include "drydock/limits.h"
#include "drydock/report.h"
#include "sbom_internal.h"

/*
 * The pieces every SBOM writer shares: the sorted package view with each
 * package's purl and unique reference, UTF-8-safe JSON strings, document
 * times and name-based UUIDs. docs/sbom.md is the contract.
 */

int drydock_sbom_format_parse(const char *s, enum drydock_sbom_format *out,
			      struct drydock_err *err)
{
	if (!strcmp(s, "cyclonedx") || !strcmp(s, "cyclonedx-json"))
		*out = DRYDOCK_SBOM_CYCLONEDX;
	else if (!strcmp(s, "spdx-json"))
		*out = DRYDOCK_SBOM_SPDX_JSON;
	else if (!strcmp(s, "json"))
		*out = DRYDOCK_SBOM_JSON;
	else if (!strcmp(s, "table"))
		*out = DRYDOCK_SBOM_TABLE;
	else
		return drydock_err_set(err, DRYDOCK_EUSAGE,
				       "unknown SBOM format '%s' (want "
				       "cyclonedx, spdx-json, json or table)",
				       s);
	return 0;
}

const char *drydock_sbom_format_name(enum drydock_sbom_format f)
{
	switch (f) {
	case DRYDOCK_SBOM_CYCLONEDX:
		return "cyclonedx";
	case DRYDOCK_SBOM_SPDX_JSON:
		return "spdx-json";
	case DRYDOCK_SBOM_JSON:
		return "json";
	case DRYDOCK_SBOM_TABLE:
		return "table";
	}
	return "unknown";
}

const char *sbom_type_name(enum drydock_pkg_type t)
{
	switch (t) {
	case DRYDOCK_PKG_DEB:
		return "deb";
	case DRYDOCK_PKG_APK:
		return "apk";
	case DRYDOCK_PKG_RPM:
		return "rpm";
	}
	return "unknown";
}

static int cmp_str(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "");
}

/* The package order of every format: type, name, version, arch, layer,
 * database path; a total order on what a package shows, so equal input
 * gives equal output whatever order the analysers produced. */
static int pkg_cmp(const void *x, const void *y)
{
	const struct drydock_pkg *a = *(const struct drydock_pkg *const *)x;
	const struct drydock_pkg *b = *(const struct drydock_pkg *const *)y;
	int r;

	if (a->type != b->type)
		return a->type < b->type ? -1 : 1;
	if ((r = cmp_str(a->name, b->name)) ||
	    (r = cmp_str(a->version, b->version)) ||
	    (r = cmp_str(a->arch, b->arch)))
		return r;
	if (a->epoch != b->epoch)
		return a->epoch < b->epoch ? -1 : 1;
	if ((r = cmp_str(a->layer_diff_id, b->layer_diff_id)) ||
	    (r = cmp_str(a->db_path, b->db_path)) ||
	    (r = cmp_str(a->src_name, b->src_name)) ||
	    (r = cmp_str(a->src_version, b->src_version)) ||
	    (r = cmp_str(a->license, b->license)))
		return r;
	return 0;
}

void sbom_view_free(struct sbom_view *v)
{
	size_t i;

	if (v->purls)
		for (i = 0; i < v->n; i++)
			free(v->purls[i]);
	if (v->refs)
		for (i = 0; i < v->n; i++)
			free(v->refs[i]);
	free(v->purls);
	free(v->refs);
	free(v->pkgs);
	memset(v, 0, sizeof(*v));
}

int sbom_view_init(struct sbom_view *v, const struct drydock_sbom_input *in,
		   struct drydock_err *err)
{
	const struct drydock_inventory *inv = in->inv;
	struct drydock_buf b = DRYDOCK_BUF_INIT(DRYDOCK_MAX_PURL_LEN * 2);
	size_t i, dup = 1;

	memset(v, 0, sizeof(*v));
	v->in = in;
	if (!inv)
		return drydock_err_set(err, DRYDOCK_EUSAGE,
				       "sbom: no inventory given");
	v->n = inv->npkgs;
	if (v->n) {
		v->pkgs = calloc(v->n, sizeof(*v->pkgs));
		v->purls = calloc(v->n, sizeof(*v->purls));
		v->refs = calloc(v->n, sizeof(*v->refs));
		if (!v->pkgs || !v->purls || !v->refs)
			goto oom;
	}
	for (i = 0; i < v->n; i++)
		v->pkgs[i] = &inv->pkgs[i];
	if (v->n > 1)
		qsort(v->pkgs, v->n, sizeof(*v->pkgs), pkg_cmp);
	for (i = 0; i < v->n; i++) {
		drydock_buf_reset(&b);
		if (!v->pkgs[i]->name || !*v->pkgs[i]->name) {
			drydock_buf_release(&b);
			sbom_view_free(v);
			return drydock_err_set(err, DRYDOCK_EUSAGE,
					       "sbom: package %zu has no name",
					       i);
		}
		if (drydock_purl_for_pkg(&b, v->pkgs[i], &inv->os) < 0) {
			drydock_buf_release(&b);
			sbom_view_free(v);
			return drydock_err_set(
				err, DRYDOCK_ELIMIT,
				"sbom: the purl of package '%.200s' exceeds "
				"the limit",
				v->pkgs[i]->name);
		}
		v->purls[i] = drydock_buf_detach(&b, NULL);
		if (!v->purls[i])
			goto oom;
		/* equal purls are adjacent after sorting: number repeats */
		if (i && !strcmp(v->purls[i], v->purls[i - 1]))
			dup++;
		else
			dup = 1;
		if (dup > 1) {
			if (drydock_buf_printf(&b, "%s|%zu", v->purls[i], dup))
				goto oom;
			v->refs[i] = drydock_buf_detach(&b, NULL);
		} else {
			v->refs[i] = strdup(v->purls[i]);
		}
		if (!v->refs[i])
			goto oom;
	}
	drydock_buf_release(&b);
	return 0;
oom:
	drydock_buf_release(&b);
	sbom_view_free(v);
	return drydock_err_set(err, DRYDOCK_ENOMEM, "sbom: out of memory");
}

/*
 * Strings from package databases are not always UTF-8 (old dpkg
 * Maintainer fields are Latin-1). JSON needs UTF-8: a valid string is
 * kept, otherwise every byte that is not part of a valid sequence is read
 * as Latin-1. The check follows RFC 3629 (no overlongs, surrogates or
 * code points past U+10FFFF), as jansson's does.
 */
static size_t utf8_seq(const unsigned char *p)
{
	unsigned int c = p[0], cp;
	size_t n, i;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		n = 2, cp = c & 0x1f;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3, cp = c & 0x0f;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4, cp = c & 0x07;
	else
		return 0;
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

json_t *sbom_str(struct sbom_view *v, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n, len = strlen(s), i;
	char *o, *q;
	json_t *j;

	for (i = 0; i < len; i += n)
		if (!(n = utf8_seq(p + i)))
			break;
	if (i >= len) {
		j = json_stringn(s, len);
		if (!j)
			v->oom = 1;
		return j;
	}
	o = malloc(len * 2 + 1);
	if (!o) {
		v->oom = 1;
		return NULL;
	}
	q = o;
	for (i = 0; i < len;) {
		n = utf8_seq(p + i);
		if (n) {
			memcpy(q, p + i, n);
			q += n;
			i += n;
		} else {
			*q++ = (char)(0xc0 | (p[i] >> 6));
			*q++ = (char)(0x80 | (p[i] & 0x3f));
			i++;
		}
	}
	j = json_stringn(o, (size_t)(q - o));
	free(o);
	if (!j)
		v->oom = 1;
	return j;
}

void sbom_set(struct sbom_view *v, json_t *obj, const char *key, json_t *val)
{
	if (!val || !obj || json_object_set_new(obj, key, val))
		v->oom = 1;
}

void sbom_set_str(struct sbom_view *v, json_t *obj, const char *key,
		  const char *s)
{
	if (s && *s)
		sbom_set(v, obj, key, sbom_str(v, s));
}

void sbom_set_str_or_null(struct sbom_view *v, json_t *obj, const char *key,
			  const char *s)
{
	if (s && *s)
		sbom_set(v, obj, key, sbom_str(v, s));
	else
		sbom_set(v, obj, key, json_null());
}

void sbom_push(struct sbom_view *v, json_t *arr, json_t *val)
{
	if (!val || !arr || json_array_append_new(arr, val))
		v->oom = 1;
}

json_t *sbom_obj(struct sbom_view *v)
{
	json_t *o = json_object();

	if (!o)
		v->oom = 1;
	return o;
}

json_t *sbom_arr(struct sbom_view *v)
{
	json_t *a = json_array();

	if (!a)
		v->oom = 1;
	return a;
}

void sbom_format_time(long long t, char out[SBOM_TIME_MAX])
{
	struct tm tm;
	time_t tt = (time_t)t;

	if (t < 0 || !gmtime_r(&tt, &tm)) {
		snprintf(out, SBOM_TIME_MAX, "1970-01-01T00:00:00Z");
		return;
	}
	snprintf(out, SBOM_TIME_MAX, "%04d-%02d-%02dT%02d:%02d:%02dZ",
		 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		 tm.tm_min, tm.tm_sec);
}

static int digits(const char *s, int n, int *out)
{
	int i, v = 0;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar
 * (the civil-from-days inverse; no timegm, no TZ dependence). */
static long long days_from_civil(int y, int m, int d)
{
	long long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

long long sbom_parse_rfc3339(const char *s)
{
	int y, mo, d, h, mi, sec, oh = 0, om = 0, sign = 0;
	const char *p;
	long long t;

	if (!s || strlen(s) < 20 || digits(s, 4, &y) || s[4] != '-' ||
	    digits(s + 5, 2, &mo) || s[7] != '-' || digits(s + 8, 2, &d) ||
	    (s[10] != 'T' && s[10] != 't') || digits(s + 11, 2, &h) ||
	    s[13] != ':' || digits(s + 14, 2, &mi) || s[16] != ':' ||
	    digits(s + 17, 2, &sec))
		return -1;
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 ||
	    sec > 60)
		return -1;
	p = s + 19;
	if (*p == '.') {
		p++;
		if (*p < '0' || *p > '9')
			return -1;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	if ((*p == 'Z' || *p == 'z') && !p[1]) {
		sign = 0;
	} else if ((*p == '+' || *p == '-') && strlen(p) == 6 &&
		   !digits(p + 1, 2, &oh) && p[3] == ':' &&
		   !digits(p + 4, 2, &om) && oh < 24 && om < 60) {
		sign = *p == '+' ? 1 : -1;
	} else {
		return -1;
	}
	t = days_from_civil(y, mo, d) * 86400LL + h * 3600LL + mi * 60LL +
	    (sec > 59 ? 59 : sec);
	t -= sign * (oh * 3600LL + om * 60LL);
	return t < 0 ? -1 : t;
}

void sbom_doc_time(const struct drydock_sbom_input *in, char out[SBOM_TIME_MAX])
{
	long long t = in->timestamp;

	if (t < 0)
		t = sbom_parse_rfc3339(in->created);
	sbom_format_time(t, out);
}

int sbom_uuid5(const unsigned char ns[16], const char *name, size_t len,
	       char out[37])
{
	unsigned char md[EVP_MAX_MD_SIZE], u[16];
	unsigned int mdlen = 0;
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	int ok;

	if (!c)
		return DRYDOCK_ENOMEM;
	ok = EVP_DigestInit_ex(c, EVP_sha1(), NULL) &&
	     EVP_DigestUpdate(c, ns, 16) && EVP_DigestUpdate(c, name, len) &&
	     EVP_DigestFinal_ex(c, md, &mdlen);
	EVP_MD_CTX_free(c);
	if (!ok || mdlen < 16)
		return DRYDOCK_ERROR;
	memcpy(u, md, 16);
	u[6] = (unsigned char)((u[6] & 0x0f) | 0x50);
	u[8] = (unsigned char)((u[8] & 0x3f) | 0x80);
	snprintf(out, 37,
		 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
		 "%02x%02x%02x%02x%02x%02x",
		 u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9],
		 u[10], u[11], u[12], u[13], u[14], u[15]);
	return 0;
}

/* uuid5(NAMESPACE_URL, "urn:drydock:sbom"), computed once and checked by
 * the tests against Python's uuid module. */
const unsigned char sbom_uuid_ns[16] = {0xf2, 0xa6, 0xaf, 0x05, 0x7e, 0x20,
					0x5e, 0x73, 0xba, 0x9b, 0x29, 0x8b,
					0x6f, 0x72, 0x2b, 0x42};

int sbom_doc_uuid(struct sbom_view *v, const char *kind, const json_t *doc,
		  char out[37])
{
	struct drydock_buf b = DRYDOCK_BUF_INIT(DRYDOCK_MAX_SBOM_OUTPUT_BYTES);
	char d[DRYDOCK_DIGEST_MAX];
	const char *img = v->in->digest ? v->in->digest : "";
	int r;

	r = drydock_json_dump(&b, doc, 0);
	if (r) {
		drydock_buf_release(&b);
		return r;
	}
	drydock_digest_sha256(b.ptr, b.len, d);
	drydock_buf_reset(&b);
	r = drydock_buf_printf(&b, "%s|%s|%s", kind, img, d);
	if (!r)
		r = sbom_uuid5(sbom_uuid_ns, b.ptr, b.len, out);
	drydock_buf_release(&b);
	return r;
}

long sbom_deb_epoch(const char *version)
{
	const char *c;
	long e = 0;

	if (!version || !(c = strchr(version, ':')) || c == version)
		return -1;
	for (const char *p = version; p < c; p++) {
		if (*p < '0' || *p > '9' || e > 100000000L)
			return -1;
		e = e * 10 + (*p - '0');
	}
	return e;
}

void sbom_display_version(const struct drydock_pkg *p, char *out, size_t n)
{
	const char *v = p->version ? p->version : "";

	if (p->type == DRYDOCK_PKG_RPM) {
		char vr[2 * DRYDOCK_MAX_VERSION_LEN + 2];

		if (!*v && p->rpm_version) {
			snprintf(vr, sizeof(vr), "%s%s%s", p->rpm_version,
				 p->rpm_release ? "-" : "",
				 p->rpm_release ? p->rpm_release : "");
			v = vr;
		}
		if (p->epoch > 0)
			snprintf(out, n, "%ld:%s", p->epoch, v);
		else
			snprintf(out, n, "%s", v);
		return;
	}
	snprintf(out, n, "%s", v);
}

size_t sbom_pkg_props(const struct drydock_pkg *p, struct sbom_prop *props,
		      char epochbuf[32], int extra)
{
	size_t n = 0;

#define PROP(k, v)                                                             \
	do {                                                                   \
		if ((v) && *(v)) {                                             \
			props[n].name = (k);                                   \
			props[n].value = (v);                                  \
			n++;                                                   \
		}                                                              \
	} while (0)
	PROP("drydock:db_path", p->db_path);
	if (p->type == DRYDOCK_PKG_RPM && p->epoch >= 0) {
		snprintf(epochbuf, 32, "%ld", p->epoch);
		PROP("drydock:epoch", epochbuf);
	}
	PROP("drydock:layer_diff_id", p->layer_diff_id);
	if (extra)
		PROP("drydock:license", p->license);
	if (extra)
		PROP("drydock:maintainer", p->maintainer);
	PROP("drydock:pkg_type", sbom_type_name(p->type));
	PROP("drydock:src_name", p->src_name);
	PROP("drydock:src_rpm", p->src_rpm);
	PROP("drydock:src_version", p->src_version);
#undef PROP
	return n;
}

int drydock_sbom_write(struct drydock_buf *out, enum drydock_sbom_format f,
		       const struct drydock_sbom_input *in,
		       struct drydock_err *err)
{
	if (!in || !in->inv)
		return drydock_err_set(err, DRYDOCK_EUSAGE,
				       "sbom: no inventory given");
	switch (f) {
	case DRYDOCK_SBOM_CYCLONEDX:
		return sbom_write_cyclonedx(out, in, err);
	case DRYDOCK_SBOM_SPDX_JSON:
		return sbom_write_spdx(out, in, err);
	case DRYDOCK_SBOM_JSON:
		return sbom_write_json(out, in, err);
	case DRYDOCK_SBOM_TABLE:
		return sbom_write_table(out, in, err);
	}
	return drydock_err_set(err, DRYDOCK_EUSAGE, "sbom: unknown format %d",
			       (int)f);
}

int sbom_finish(struct sbom_view *v, struct drydock_buf *out, json_t *doc,
		struct drydock_err *err)
{
	size_t start = out->len;
	int r;

	if (v->oom || !doc) {
		json_decref(doc);
		sbom_view_free(v);
		return drydock_err_set(err, DRYDOCK_ENOMEM,
				       "sbom: out of memory");
	}
	r = drydock_json_dump(out, doc, 1);
	json_decref(doc);
	sbom_view_free(v);
	if (r) {
		if (out->ptr) {
			out->len = start;
			out->ptr[start] = '\0';
		}
		return drydock_err_set(err, DRYDOCK_ELIMIT,
				       "sbom: the document exceeds the output "
				       "limit of %zu bytes",
				       out->max);
	}
	return 0;
}
