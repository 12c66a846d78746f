#include "../util/setup.h"

#include <stdio.h>

#include "drydock/buf.h"
#include "drydock/error.h"
#include "drydock/limits.h"
#include "drydock/report.h"
#include "sbom_internal.h"

/*
 * CycloneDX 1.5 JSON (https://cyclonedx.org/docs/1.5/json/). The image
 * is metadata.component (type "container"), the OS a component of type
 * "operating-system", every package a "library" component with its purl;
 * dependencies say image -> OS -> packages. docs/sbom.md lists the
 * properties.
 */

#define CDX_IMAGE_REF "drydock:image"
#define CDX_OS_REF "drydock:os"

static void add_prop(struct sbom_view *v, json_t *arr, const char *name,
		     const char *value)
{
	json_t *o;

	if (!value || !*value)
		return;
	o = sbom_obj(v);
	sbom_set_str(v, o, "name", name);
	sbom_set(v, o, "value", sbom_str(v, value));
	sbom_push(v, arr, o);
}

static json_t *image_component(struct sbom_view *v)
{
	const struct drydock_sbom_input *in = v->in;
	json_t *c = sbom_obj(v), *props = sbom_arr(v);
	size_t i;

	sbom_set_str(v, c, "bom-ref", CDX_IMAGE_REF);
	sbom_set_str(v, c, "type", "container");
	sbom_set(v, c, "name",
		 sbom_str(v, in->name && *in->name ? in->name : "unknown"));
	add_prop(v, props, "drydock:image:config_digest", in->config_digest);
	add_prop(v, props, "drydock:image:digest", in->digest);
	for (i = 0; i < in->nlayers; i++)
		add_prop(v, props, "drydock:image:layer_diff_id",
			 in->layers[i].diff_id);
	add_prop(v, props, "drydock:image:platform", in->platform);
	if (json_array_size(props))
		sbom_set(v, c, "properties", props);
	else
		json_decref(props);
	return c;
}

static json_t *os_component(struct sbom_view *v)
{
	const struct drydock_os *os = &v->in->inv->os;
	json_t *c = sbom_obj(v), *props = sbom_arr(v);

	sbom_set_str(v, c, "bom-ref", CDX_OS_REF);
	sbom_set_str(v, c, "type", "operating-system");
	sbom_set_str(v, c, "name", os->family);
	sbom_set_str(v, c, "version", os->version);
	sbom_set_str(v, c, "description", os->pretty_name);
	add_prop(v, props, "drydock:os:apk_branch", os->apk_branch);
	add_prop(v, props, "drydock:os:codename", os->codename);
	if (json_array_size(props))
		sbom_set(v, c, "properties", props);
	else
		json_decref(props);
	return c;
}

static json_t *pkg_component(struct sbom_view *v, size_t i)
{
	const struct drydock_pkg *p = v->pkgs[i];
	struct sbom_prop props[SBOM_MAX_PROPS];
	char epoch[32], ver[2 * DRYDOCK_MAX_VERSION_LEN + 40];
	json_t *c = sbom_obj(v), *parr = sbom_arr(v);
	size_t np, k;

	sbom_set_str(v, c, "bom-ref", v->refs[i]);
	sbom_set_str(v, c, "type", "library");
	sbom_set_str(v, c, "name", p->name);
	sbom_display_version(p, ver, sizeof(ver));
	sbom_set_str(v, c, "version", ver);
	sbom_set_str(v, c, "purl", v->purls[i]);
	sbom_set_str(v, c, "publisher", p->maintainer);
	if (p->license && *p->license) {
		json_t *ls = sbom_arr(v), *l = sbom_obj(v), *lic = sbom_obj(v);

		/* "name" takes any string; "id" would have to be on the
		 * SPDX list, which the databases do not promise */
		sbom_set_str(v, lic, "name", p->license);
		sbom_set(v, l, "license", lic);
		sbom_push(v, ls, l);
		sbom_set(v, c, "licenses", ls);
	}
	np = sbom_pkg_props(p, props, epoch, 0);
	for (k = 0; k < np; k++)
		add_prop(v, parr, props[k].name, props[k].value);
	sbom_set(v, c, "properties", parr);
	return c;
}

int sbom_write_cyclonedx(struct drydock_buf *out,
			 const struct drydock_sbom_input *in,
			 struct drydock_err *err)
{
	struct sbom_view v;
	json_t *doc, *meta, *tools, *tcomps, *tool, *comps, *deps, *d, *on;
	char t[SBOM_TIME_MAX], uuid[37], urn[48];
	int has_os, r;
	size_t i;

	r = sbom_view_init(&v, in, err);
	if (r)
		return r;
	has_os = in->inv->os.family[0] != '\0';
	doc = sbom_obj(&v);
	sbom_set_str(&v, doc, "$schema",
		     "http://cyclonedx.org/schema/bom-1.5.schema.json");
	sbom_set_str(&v, doc, "bomFormat", "CycloneDX");
	sbom_set_str(&v, doc, "specVersion", "1.5");
	sbom_set(&v, doc, "version", json_integer(1));

	meta = sbom_obj(&v);
	if (in->timestamp >= 0) {
		sbom_format_time(in->timestamp, t);
		sbom_set_str(&v, meta, "timestamp", t);
	}
	tools = sbom_obj(&v);
	tcomps = sbom_arr(&v);
	tool = sbom_obj(&v);
	sbom_set_str(&v, tool, "type", "application");
	sbom_set_str(&v, tool, "name", "drydock");
	sbom_set_str(&v, tool, "version", DRYDOCK_VERSION);
	sbom_push(&v, tcomps, tool);
	sbom_set(&v, tools, "components", tcomps);
	sbom_set(&v, meta, "tools", tools);
	sbom_set(&v, meta, "component", image_component(&v));
	sbom_set(&v, doc, "metadata", meta);

	comps = sbom_arr(&v);
	if (has_os)
		sbom_push(&v, comps, os_component(&v));
	for (i = 0; i < v.n; i++)
		sbom_push(&v, comps, pkg_component(&v, i));
	sbom_set(&v, doc, "components", comps);

	deps = sbom_arr(&v);
	d = sbom_obj(&v);
	on = sbom_arr(&v);
	sbom_set_str(&v, d, "ref", CDX_IMAGE_REF);
	if (has_os) {
		sbom_push(&v, on, sbom_str(&v, CDX_OS_REF));
		sbom_set(&v, d, "dependsOn", on);
		sbom_push(&v, deps, d);
		d = sbom_obj(&v);
		on = sbom_arr(&v);
		sbom_set_str(&v, d, "ref", CDX_OS_REF);
	}
	for (i = 0; i < v.n; i++)
		sbom_push(&v, on, sbom_str(&v, v.refs[i]));
	sbom_set(&v, d, "dependsOn", on);
	sbom_push(&v, deps, d);
	sbom_set(&v, doc, "dependencies", deps);

	/* the serial number names this content: a hash of the document
	 * without it, so equal input gives an equal serial */
	if (!v.oom) {
		r = sbom_doc_uuid(&v, "cyclonedx", doc, uuid);
		if (r) {
			json_decref(doc);
			sbom_view_free(&v);
			return drydock_err_set(err, r,
					       "sbom: cannot derive the serial "
					       "number");
		}
		snprintf(urn, sizeof(urn), "urn:uuid:%s", uuid);
		sbom_set_str(&v, doc, "serialNumber", urn);
	}
	return sbom_finish(&v, out, doc, err);
}
