#include "../util/setup.h"

#include <stdio.h>

#include "drydock/buf.h"
#include "drydock/error.h"
#include "drydock/limits.h"
#include "drydock/report.h"
#include "sbom_internal.h"

/*
 * SPDX 2.3 JSON (https://spdx.github.io/spdx-spec/v2.3/). The document
 * DESCRIBES the image package (primaryPackagePurpose CONTAINER), which
 * CONTAINS the OS package (OPERATING_SYSTEM), which CONTAINS every
 * package (LIBRARY) with its purl as a PACKAGE-MANAGER external
 * reference. drydock's properties travel as annotations whose comment is
 * "NAME=VALUE" (docs/sbom.md).
 */

#define SPDX_IMAGE_ID "SPDXRef-Image"
#define SPDX_OS_ID "SPDXRef-OperatingSystem"

/*
 * A license expression by the SPDX grammar (Annex D): operands joined by
 * AND / OR, an operand an identifier with an optional '+' and optional
 * WITH exception, or a parenthesised expression. Only the syntax is
 * checked, not that the identifiers are on the license list.
 */
struct lexer {
	const char *p;
	char tok[128];
	int depth;
};

static int next_tok(struct lexer *l)
{
	size_t n = 0;

	while (*l->p == ' ')
		l->p++;
	if (!*l->p) {
		l->tok[0] = '\0';
		return 0;
	}
	if (*l->p == '(' || *l->p == ')') {
		l->tok[0] = *l->p++;
		l->tok[1] = '\0';
		return 1;
	}
	while (*l->p && *l->p != ' ' && *l->p != '(' && *l->p != ')') {
		char c = *l->p++;

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '.' || c == '-' ||
		      c == '+' || c == ':'))
			return -1;
		if (n + 1 >= sizeof(l->tok))
			return -1;
		l->tok[n++] = c;
	}
	l->tok[n] = '\0';
	return 1;
}

static int is_op(const char *t)
{
	return !strcmp(t, "AND") || !strcmp(t, "OR") || !strcmp(t, "WITH");
}

static int id_ok(const char *t)
{
	size_t n = strlen(t), i;

	if (!n || is_op(t) || t[0] == '+' || t[0] == ':')
		return 0;
	for (i = 0; i < n; i++)
		if (t[i] == '+' && i != n - 1)
			return 0;
	return 1;
}

static int parse_expr(struct lexer *l);

/* term: '(' expr ')' | id [WITH id]; leaves the next token in l->tok */
static int parse_term(struct lexer *l)
{
	if (!strcmp(l->tok, "(")) {
		if (++l->depth > 16 || next_tok(l) <= 0 || parse_expr(l) ||
		    strcmp(l->tok, ")"))
			return -1;
		l->depth--;
		return next_tok(l) < 0 ? -1 : 0;
	}
	if (!id_ok(l->tok))
		return -1;
	if (next_tok(l) < 0)
		return -1;
	if (!strcmp(l->tok, "WITH")) {
		if (next_tok(l) <= 0 || !id_ok(l->tok) || next_tok(l) < 0)
			return -1;
	}
	return 0;
}

static int parse_expr(struct lexer *l)
{
	if (parse_term(l))
		return -1;
	while (!strcmp(l->tok, "AND") || !strcmp(l->tok, "OR")) {
		if (next_tok(l) <= 0 || parse_term(l))
			return -1;
	}
	return 0;
}

static int license_expression_ok(const char *s)
{
	struct lexer l = {s, "", 0};

	if (next_tok(&l) <= 0 || parse_expr(&l))
		return 0;
	return l.tok[0] == '\0';
}

static void annotate(struct sbom_view *v, json_t *arr, const char *date,
		     const char *name, const char *value)
{
	struct drydock_buf b = DRYDOCK_BUF_INIT(1u << 20);
	json_t *a;

	if (!value || !*value)
		return;
	if (drydock_buf_printf(&b, "%s=%s", name, value)) {
		v->oom = 1;
		drydock_buf_release(&b);
		return;
	}
	a = sbom_obj(v);
	sbom_set_str(v, a, "annotationDate", date);
	sbom_set_str(v, a, "annotationType", "OTHER");
	sbom_set_str(v, a, "annotator", "Tool: drydock-" DRYDOCK_VERSION);
	sbom_set(v, a, "comment", sbom_str(v, b.ptr));
	sbom_push(v, arr, a);
	drydock_buf_release(&b);
}

static void set_annotations(struct sbom_view *v, json_t *pkg, json_t *arr)
{
	if (json_array_size(arr))
		sbom_set(v, pkg, "annotations", arr);
	else
		json_decref(arr);
}

static json_t *image_package(struct sbom_view *v, const char *date)
{
	const struct drydock_sbom_input *in = v->in;
	json_t *p = sbom_obj(v), *ann = sbom_arr(v);
	size_t i;

	sbom_set_str(v, p, "SPDXID", SPDX_IMAGE_ID);
	sbom_set(v, p, "name",
		 sbom_str(v, in->name && *in->name ? in->name : "unknown"));
	sbom_set_str(v, p, "versionInfo", in->digest);
	sbom_set_str(v, p, "downloadLocation", "NOASSERTION");
	sbom_set(v, p, "filesAnalyzed", json_false());
	sbom_set_str(v, p, "primaryPackagePurpose", "CONTAINER");
	annotate(v, ann, date, "drydock:image:config_digest",
		 in->config_digest);
	annotate(v, ann, date, "drydock:image:digest", in->digest);
	for (i = 0; i < in->nlayers; i++)
		annotate(v, ann, date, "drydock:image:layer_diff_id",
			 in->layers[i].diff_id);
	annotate(v, ann, date, "drydock:image:platform", in->platform);
	set_annotations(v, p, ann);
	return p;
}

static json_t *os_package(struct sbom_view *v, const char *date)
{
	const struct drydock_os *os = &v->in->inv->os;
	json_t *p = sbom_obj(v), *ann = sbom_arr(v);

	sbom_set_str(v, p, "SPDXID", SPDX_OS_ID);
	sbom_set_str(v, p, "name", os->family);
	sbom_set_str(v, p, "versionInfo", os->version);
	sbom_set_str(v, p, "description", os->pretty_name);
	sbom_set_str(v, p, "downloadLocation", "NOASSERTION");
	sbom_set(v, p, "filesAnalyzed", json_false());
	/* the SPDX 2.3 JSON schema's spelling; the spec's prose (and
	 * tag-value) say OPERATING-SYSTEM, and the spec maintainers name
	 * the schema as the authority for JSON (spdx-spec issue 813) */
	sbom_set_str(v, p, "primaryPackagePurpose", "OPERATING_SYSTEM");
	annotate(v, ann, date, "drydock:os:apk_branch", os->apk_branch);
	annotate(v, ann, date, "drydock:os:codename", os->codename);
	set_annotations(v, p, ann);
	return p;
}

/* SPDXRef-Package-TYPE-NAME-N: N (the position in the sorted list, from
 * 1) makes it unique; characters an SPDX ID may not hold become '-'. */
static void package_id(struct sbom_view *v, size_t i, char *out, size_t n)
{
	const struct drydock_pkg *p = v->pkgs[i];
	size_t k, len;

	snprintf(out, n, "SPDXRef-Package-%s-%.200s-%zu",
		 sbom_type_name(p->type), p->name, i + 1);
	len = strlen(out);
	for (k = 0; k < len; k++) {
		char c = out[k];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '.' || c == '-'))
			out[k] = '-';
	}
}

static json_t *pkg_package(struct sbom_view *v, size_t i, const char *id,
			   const char *date)
{
	const struct drydock_pkg *p = v->pkgs[i];
	struct sbom_prop props[SBOM_MAX_PROPS];
	char epoch[32], ver[2 * DRYDOCK_MAX_VERSION_LEN + 40];
	json_t *o = sbom_obj(v), *ann = sbom_arr(v), *refs = sbom_arr(v);
	json_t *ref = sbom_obj(v);
	size_t np, k;

	sbom_set_str(v, o, "SPDXID", id);
	sbom_set_str(v, o, "name", p->name);
	sbom_display_version(p, ver, sizeof(ver));
	sbom_set_str(v, o, "versionInfo", ver);
	sbom_set_str(v, o, "downloadLocation", "NOASSERTION");
	sbom_set(v, o, "filesAnalyzed", json_false());
	sbom_set_str(v, o, "primaryPackagePurpose", "LIBRARY");
	sbom_set_str(v, o, "licenseConcluded", "NOASSERTION");
	/* Alpine's APKBUILDs declare SPDX expressions; dpkg and rpm
	 * databases carry free text, which goes to an annotation only */
	if (p->type == DRYDOCK_PKG_APK && p->license &&
	    license_expression_ok(p->license))
		sbom_set_str(v, o, "licenseDeclared", p->license);
	else
		sbom_set_str(v, o, "licenseDeclared", "NOASSERTION");
	if (p->src_name && *p->src_name) {
		struct drydock_buf b = DRYDOCK_BUF_INIT(1u << 16);

		if (drydock_buf_printf(
			    &b, "built package from: %s%s%s", p->src_name,
			    p->src_version && *p->src_version ? " " : "",
			    p->src_version ? p->src_version : ""))
			v->oom = 1;
		else
			sbom_set(v, o, "sourceInfo", sbom_str(v, b.ptr));
		drydock_buf_release(&b);
	}
	sbom_set_str(v, ref, "referenceCategory", "PACKAGE-MANAGER");
	sbom_set_str(v, ref, "referenceType", "purl");
	sbom_set_str(v, ref, "referenceLocator", v->purls[i]);
	sbom_push(v, refs, ref);
	sbom_set(v, o, "externalRefs", refs);
	np = sbom_pkg_props(p, props, epoch, 1);
	for (k = 0; k < np; k++)
		annotate(v, ann, date, props[k].name, props[k].value);
	set_annotations(v, o, ann);
	return o;
}

static void relate(struct sbom_view *v, json_t *arr, const char *a,
		   const char *type, const char *b)
{
	json_t *r = sbom_obj(v);

	sbom_set_str(v, r, "spdxElementId", a);
	sbom_set_str(v, r, "relationshipType", type);
	sbom_set_str(v, r, "relatedSpdxElement", b);
	sbom_push(v, arr, r);
}

int sbom_write_spdx(struct drydock_buf *out,
		    const struct drydock_sbom_input *in,
		    struct drydock_err *err)
{
	struct sbom_view v;
	json_t *doc, *ci, *creators, *pkgs, *rels;
	char date[SBOM_TIME_MAX], uuid[37], ns[64], id[320];
	int has_os, r;
	size_t i;

	r = sbom_view_init(&v, in, err);
	if (r)
		return r;
	has_os = in->inv->os.family[0] != '\0';
	sbom_doc_time(in, date);

	doc = sbom_obj(&v);
	sbom_set_str(&v, doc, "spdxVersion", "SPDX-2.3");
	sbom_set_str(&v, doc, "dataLicense", "CC0-1.0");
	sbom_set_str(&v, doc, "SPDXID", "SPDXRef-DOCUMENT");
	sbom_set(&v, doc, "name",
		 sbom_str(&v, in->name && *in->name ? in->name : "unknown"));
	ci = sbom_obj(&v);
	creators = sbom_arr(&v);
	sbom_push(&v, creators, sbom_str(&v, "Tool: drydock-" DRYDOCK_VERSION));
	sbom_set(&v, ci, "creators", creators);
	sbom_set_str(&v, ci, "created", date);
	sbom_set(&v, doc, "creationInfo", ci);

	pkgs = sbom_arr(&v);
	rels = sbom_arr(&v);
	sbom_push(&v, pkgs, image_package(&v, date));
	relate(&v, rels, "SPDXRef-DOCUMENT", "DESCRIBES", SPDX_IMAGE_ID);
	if (has_os) {
		sbom_push(&v, pkgs, os_package(&v, date));
		relate(&v, rels, SPDX_IMAGE_ID, "CONTAINS", SPDX_OS_ID);
	}
	for (i = 0; i < v.n; i++) {
		package_id(&v, i, id, sizeof(id));
		sbom_push(&v, pkgs, pkg_package(&v, i, id, date));
		relate(&v, rels, has_os ? SPDX_OS_ID : SPDX_IMAGE_ID,
		       "CONTAINS", id);
	}
	sbom_set(&v, doc, "packages", pkgs);
	sbom_set(&v, doc, "relationships", rels);

	if (!v.oom) {
		r = sbom_doc_uuid(&v, "spdx", doc, uuid);
		if (r) {
			json_decref(doc);
			sbom_view_free(&v);
			return drydock_err_set(err, r,
					       "sbom: cannot derive the "
					       "document namespace");
		}
		snprintf(ns, sizeof(ns), "urn:uuid:%s", uuid);
		sbom_set_str(&v, doc, "documentNamespace", ns);
	}
	return sbom_finish(&v, out, doc, err);
}
