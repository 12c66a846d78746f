#include "../util/setup.h"

#include <stdio.h>

#include "drydock/buf.h"
#include "drydock/error.h"
#include "drydock/limits.h"
#include "drydock/report.h"
#include "sbom_internal.h"

/*
 * drydock's own SBOM JSON ("schema": "drydock.sbom/v1", documented in
 * docs/sbom-json.md) and the table for people. Every key of the JSON is
 * always present; unknown values are null.
 */

static json_t *artifact(struct sbom_view *v)
{
	const struct drydock_sbom_input *in = v->in;
	json_t *a = sbom_obj(v), *layers = sbom_arr(v);
	size_t i;

	sbom_set_str_or_null(v, a, "name", in->name);
	sbom_set_str_or_null(v, a, "digest", in->digest);
	sbom_set_str_or_null(v, a, "config_digest", in->config_digest);
	sbom_set_str_or_null(v, a, "platform", in->platform);
	sbom_set_str_or_null(v, a, "created", in->created);
	for (i = 0; i < in->nlayers; i++) {
		const struct drydock_layer_info *l = &in->layers[i];
		json_t *o = sbom_obj(v);

		sbom_set_str_or_null(v, o, "digest", l->digest);
		sbom_set_str_or_null(v, o, "diff_id", l->diff_id);
		sbom_set_str_or_null(v, o, "media_type", l->media_type);
		sbom_set(v, o, "size",
			 l->size >= 0 ? json_integer(l->size) : json_null());
		sbom_push(v, layers, o);
	}
	sbom_set(v, a, "layers", layers);
	return a;
}

static json_t *os_obj(struct sbom_view *v)
{
	const struct drydock_os *os = &v->in->inv->os;
	json_t *o = sbom_obj(v);

	sbom_set_str_or_null(v, o, "family", os->family);
	sbom_set_str_or_null(v, o, "version", os->version);
	sbom_set_str_or_null(v, o, "codename", os->codename);
	sbom_set_str_or_null(v, o, "pretty_name", os->pretty_name);
	sbom_set_str_or_null(v, o, "apk_branch", os->apk_branch);
	return o;
}

static json_t *package(struct sbom_view *v, size_t i)
{
	const struct drydock_pkg *p = v->pkgs[i];
	json_t *o = sbom_obj(v);
	long epoch = p->type == DRYDOCK_PKG_RPM ? p->epoch
						: sbom_deb_epoch(p->version);

	if (p->type == DRYDOCK_PKG_APK)
		epoch = -1;
	sbom_set_str(v, o, "type", sbom_type_name(p->type));
	sbom_set_str_or_null(v, o, "name", p->name);
	sbom_set_str_or_null(v, o, "version", p->version);
	sbom_set(v, o, "epoch", epoch >= 0 ? json_integer(epoch) : json_null());
	sbom_set_str_or_null(v, o, "arch", p->arch);
	sbom_set_str_or_null(v, o, "source_name", p->src_name);
	sbom_set_str_or_null(v, o, "source_version", p->src_version);
	sbom_set_str_or_null(v, o, "source_rpm", p->src_rpm);
	sbom_set_str_or_null(v, o, "license", p->license);
	sbom_set_str_or_null(v, o, "maintainer", p->maintainer);
	sbom_set_str_or_null(v, o, "layer_diff_id", p->layer_diff_id);
	sbom_set_str_or_null(v, o, "purl", v->purls[i]);
	sbom_set_str_or_null(v, o, "db_path", p->db_path);
	return o;
}

int sbom_write_json(struct drydock_buf *out,
		    const struct drydock_sbom_input *in,
		    struct drydock_err *err)
{
	struct sbom_view v;
	json_t *doc, *tool, *pkgs;
	char t[SBOM_TIME_MAX];
	size_t i;
	int r;

	r = sbom_view_init(&v, in, err);
	if (r)
		return r;
	doc = sbom_obj(&v);
	sbom_set_str(&v, doc, "schema", "drydock.sbom/v1");
	tool = sbom_obj(&v);
	sbom_set_str(&v, tool, "name", "drydock");
	sbom_set_str(&v, tool, "version", DRYDOCK_VERSION);
	sbom_set(&v, doc, "tool", tool);
	if (in->timestamp >= 0) {
		sbom_format_time(in->timestamp, t);
		sbom_set_str(&v, doc, "timestamp", t);
	}
	sbom_set(&v, doc, "artifact", artifact(&v));
	sbom_set(&v, doc, "os", os_obj(&v));
	pkgs = sbom_arr(&v);
	for (i = 0; i < v.n; i++)
		sbom_push(&v, pkgs, package(&v, i));
	sbom_set(&v, doc, "packages", pkgs);
	return sbom_finish(&v, out, doc, err);
}

/* The table. */

#define NCOLS 5

/* Width of s in columns: UTF-8 continuation bytes take none. */
static size_t width(const char *s)
{
	size_t w = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			w++;
	return w;
}

/* Copy s into out without control characters (a hostile database must
 * not drive the terminal). */
static void clean(const char *s, char *out, size_t n)
{
	size_t j = 0;

	for (; s && *s && j + 1 < n; s++) {
		unsigned char c = (unsigned char)*s;

		out[j++] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
	}
	out[j] = '\0';
}

static void short_id(const char *diff_id, char *out, size_t n)
{
	const char *c = diff_id ? strchr(diff_id, ':') : NULL;

	snprintf(out, n, "%.12s", c ? c + 1 : (diff_id ? diff_id : ""));
	if (!out[0])
		snprintf(out, n, "-");
}

static void cells(const struct drydock_pkg *p, char c[NCOLS][512])
{
	char tmp[2 * DRYDOCK_MAX_VERSION_LEN + 40];

	clean(p->name, c[0], 512);
	sbom_display_version(p, tmp, sizeof(tmp));
	clean(tmp, c[1], 512);
	clean(sbom_type_name(p->type), c[2], 512);
	if (p->src_name && *p->src_name) {
		snprintf(tmp, sizeof(tmp), "%s%s%s", p->src_name,
			 p->src_version && *p->src_version ? " " : "",
			 p->src_version ? p->src_version : "");
		clean(tmp, c[3], 512);
	} else {
		snprintf(c[3], 512, "-");
	}
	short_id(p->layer_diff_id, tmp, sizeof(tmp));
	clean(tmp, c[4], 512);
}

static int put_row(struct drydock_buf *b, char c[NCOLS][512], const size_t *w)
{
	int r = 0, k;

	for (k = 0; k < NCOLS && !r; k++) {
		size_t pad = w[k] - width(c[k]);

		r = drydock_buf_puts(b, c[k]);
		if (k == NCOLS - 1)
			break;
		while (!r && pad--)
			r = drydock_buf_putc(b, ' ');
		if (!r)
			r = drydock_buf_puts(b, "  ");
	}
	return r ? r : drydock_buf_putc(b, '\n');
}

int sbom_write_table(struct drydock_buf *out,
		     const struct drydock_sbom_input *in,
		     struct drydock_err *err)
{
	static const char *const head[NCOLS] = {"NAME", "VERSION", "TYPE",
						"SOURCE", "LAYER"};
	const struct drydock_os *os = &in->inv->os;
	struct sbom_view v;
	char c[NCOLS][512], line[1024];
	size_t w[NCOLS], i, start = out->len;
	int r, k;

	r = sbom_view_init(&v, in, err);
	if (r)
		return r;
	for (k = 0; k < NCOLS; k++)
		w[k] = strlen(head[k]);
	for (i = 0; i < v.n; i++) {
		cells(v.pkgs[i], c);
		for (k = 0; k < NCOLS; k++)
			if (width(c[k]) > w[k])
				w[k] = width(c[k]);
	}
	clean(in->name && *in->name ? in->name : "unknown", line, sizeof(line));
	r = drydock_buf_printf(out, "image:    %s\n", line);
	if (!r && in->digest && *in->digest) {
		clean(in->digest, line, sizeof(line));
		r = drydock_buf_printf(out, "digest:   %s\n", line);
	}
	if (!r) {
		clean(os->pretty_name[0] ? os->pretty_name
		      : os->family[0]	 ? os->family
					 : "unknown",
		      line, sizeof(line));
		r = drydock_buf_printf(out, "os:       %s\n", line);
	}
	if (!r)
		r = drydock_buf_printf(out, "packages: %zu\n\n", v.n);
	for (k = 0; k < NCOLS; k++)
		snprintf(c[k], 512, "%s", head[k]);
	if (!r)
		r = put_row(out, c, w);
	for (i = 0; i < v.n && !r; i++) {
		cells(v.pkgs[i], c);
		r = put_row(out, c, w);
	}
	sbom_view_free(&v);
	if (r) {
		if (out->ptr) {
			out->len = start;
			out->ptr[start] = '\0';
		}
		return drydock_err_set(err, DRYDOCK_ELIMIT,
				       "sbom: the table exceeds the output "
				       "limit of %zu bytes",
				       out->max);
	}
	return 0;
}
