#include "../util/setup.h"

#include "drydock/buf.h"
#include "drydock/error.h"
#include "drydock/image.h"
#include "drydock/inventory.h"
#include "drydock/json.h"
#include "drydock/limits.h"
#include "drydock/match.h"
#include "scan_common.h"

/*
 * drydock.report/v1 (docs/report-json.md). Arrays are in the result's
 * order (already sorted); object keys are sorted on output.
 */

static json_t *strarray(char *const *v)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; v && v[i]; i++)
		json_array_append_new(a, json_string(v[i]));
	return a;
}

static json_t *in_base_json(int v)
{
	return v < 0 ? json_null() : json_boolean(v);
}

static json_t *artifact(const struct drydock_scan_report *rep)
{
	json_t *a = json_object(), *layers = json_array();
	size_t i;

	json_object_set_new(a, "name", json_string(rep->name));
	json_object_set_new(a, "digest",
			    drydock_scanrep_str(rep->digest && *rep->digest
							? rep->digest
							: NULL));
	json_object_set_new(
		a, "config_digest",
		drydock_scanrep_str(rep->config_digest && *rep->config_digest
					    ? rep->config_digest
					    : NULL));
	json_object_set_new(a, "platform",
			    drydock_scanrep_str(rep->platform && *rep->platform
							? rep->platform
							: NULL));
	for (i = 0; i < rep->nlayers; i++) {
		const struct drydock_layer_info *l = rep->layers[i];
		json_t *o = json_object();

		json_object_set_new(
			o, "digest",
			drydock_scanrep_str(*l->digest ? l->digest : NULL));
		json_object_set_new(
			o, "diff_id",
			drydock_scanrep_str(*l->diff_id ? l->diff_id : NULL));
		json_object_set_new(o, "in_base", in_base_json(l->in_base));
		json_array_append_new(layers, o);
	}
	json_object_set_new(a, "layers", layers);
	if (rep->base_name || rep->base_digest) {
		json_t *b = json_object();

		json_object_set_new(b, "name",
				    drydock_scanrep_str(rep->base_name));
		json_object_set_new(b, "digest",
				    drydock_scanrep_str(rep->base_digest));
		json_object_set_new(a, "base_image", b);
	} else {
		json_object_set_new(a, "base_image", json_null());
	}
	return a;
}

static json_t *os_json(const struct drydock_scan_report *rep)
{
	const struct drydock_os *os = &rep->inv->os;
	json_t *o = json_object();

	json_object_set_new(
		o, "family",
		drydock_scanrep_str(*os->family ? os->family : NULL));
	json_object_set_new(
		o, "version",
		drydock_scanrep_str(*os->version ? os->version : NULL));
	json_object_set_new(
		o, "codename",
		drydock_scanrep_str(*os->codename ? os->codename : NULL));
	json_object_set_new(o, "namespace",
			    drydock_scanrep_str(*rep->res->namespace_
							? rep->res->namespace_
							: NULL));
	json_object_set_new(
		o, "eol",
		drydock_scanrep_str(*rep->res->eol ? rep->res->eol : NULL));
	json_object_set_new(o, "eol_passed",
			    json_boolean(rep->res->eol_passed));
	return o;
}

static json_t *db_json(const struct drydock_scan_report *rep)
{
	json_t *o = json_object(), *srcs = json_array();
	size_t i;

	json_object_set_new(o, "built", drydock_scanrep_str(rep->db_built));
	json_object_set_new(o, "schema", drydock_scanrep_str(rep->db_schema));
	for (i = 0; i < rep->ndb_sources; i++) {
		json_t *s = json_object();

		json_object_set_new(s, "name",
				    json_string(rep->db_sources[i].name));
		json_object_set_new(
			s, "feed_time",
			drydock_scanrep_str(rep->db_sources[i].feed_time));
		json_object_set_new(s, "records",
				    json_integer(rep->db_sources[i].records));
		json_array_append_new(srcs, s);
	}
	json_object_set_new(o, "sources", srcs);
	return o;
}

static json_t *packages_json(const struct drydock_scan_report *rep)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < rep->inv->npkgs; i++) {
		const struct drydock_pkg *p = &rep->inv->pkgs[i];
		json_t *o = json_object();

		json_object_set_new(o, "name", json_string(p->name));
		json_object_set_new(o, "version", json_string(p->version));
		json_object_set_new(
			o, "type", json_string(drydock_pkg_type_name(p->type)));
		json_object_set_new(o, "arch", drydock_scanrep_str(p->arch));
		json_object_set_new(o, "source_name",
				    drydock_scanrep_str(p->src_name));
		json_object_set_new(o, "source_version",
				    drydock_scanrep_str(p->src_version));
		json_object_set_new(o, "layer",
				    drydock_scanrep_str(p->layer_diff_id));
		json_object_set_new(o, "in_base",
				    in_base_json(rep->pkg_in_base
							 ? rep->pkg_in_base[i]
							 : -1));
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *finding_json(const struct drydock_scan_report *rep,
			    const struct drydock_finding *f)
{
	const struct drydock_pkg *p = &rep->inv->pkgs[f->pkg];
	char vbuf[DRYDOCK_MAX_VERSION_LEN + 24];
	json_t *o = json_object();

	json_object_set_new(o, "id", json_string(f->id));
	json_object_set_new(o, "aliases", strarray(f->aliases));
	json_object_set_new(o, "package", json_string(p->name));
	json_object_set_new(
		o, "installed_version",
		json_string(drydock_scanrep_installed(p, vbuf, sizeof(vbuf))));
	json_object_set_new(o, "fixed_version",
			    drydock_scanrep_str(f->fixed_version));
	json_object_set_new(o, "status", json_string(f->status));
	json_object_set_new(o, "severity", json_string(f->severity));
	json_object_set_new(o, "severity_source",
			    drydock_scanrep_str(f->severity_source));
	if (f->cvss_score >= 0 || f->cvss_vector) {
		json_t *c = json_object();

		json_object_set_new(c, "score",
				    f->cvss_score >= 0
					    ? json_real(f->cvss_score)
					    : json_null());
		json_object_set_new(c, "vector",
				    drydock_scanrep_str(f->cvss_vector));
		json_object_set_new(o, "cvss", c);
	} else {
		json_object_set_new(o, "cvss", json_null());
	}
	json_object_set_new(o, "source_package",
			    drydock_scanrep_str(p->src_name));
	json_object_set_new(o, "source_version",
			    drydock_scanrep_str(p->src_version));
	json_object_set_new(o, "package_type",
			    json_string(drydock_pkg_type_name(p->type)));
	json_object_set_new(o, "arch", drydock_scanrep_str(p->arch));
	json_object_set_new(o, "layer", drydock_scanrep_str(p->layer_diff_id));
	json_object_set_new(o, "in_base", in_base_json(f->in_base));
	json_object_set_new(o, "data_source",
			    drydock_scanrep_str(f->data_source));
	json_object_set_new(o, "namespace", drydock_scanrep_str(f->namespace_));
	json_object_set_new(o, "advisory_id",
			    drydock_scanrep_str(f->advisory_id));
	json_object_set_new(o, "title", drydock_scanrep_str(f->title));
	json_object_set_new(o, "references", strarray(f->references));
	if (f->suppressed)
		json_object_set_new(o, "suppressed",
				    json_string(f->suppressed));
	return o;
}

int drydock_scanrep_json(struct drydock_buf *out,
			 const struct drydock_scan_report *rep,
			 struct drydock_err *err)
{
	json_t *doc = json_object(), *findings = json_array(),
	       *summary = json_object();
	long long counts[6] = {0}, total = 0, suppressed = 0;
	size_t i;
	int rc, s;

	json_object_set_new(doc, "schema", json_string("drydock.report/v1"));
	json_object_set_new(doc, "artifact", artifact(rep));
	json_object_set_new(doc, "os", os_json(rep));
	json_object_set_new(doc, "db", db_json(rep));
	json_object_set_new(doc, "packages", packages_json(rep));
	for (i = 0; i < rep->res->n; i++) {
		const struct drydock_finding *f = &rep->res->findings[i];

		if (f->suppressed)
			suppressed++;
		if (!drydock_scanrep_visible(rep, f))
			continue;
		json_array_append_new(findings, finding_json(rep, f));
		if (!f->suppressed) {
			counts[drydock_severity_rank(f->severity) < 0
				       ? 0
				       : drydock_severity_rank(f->severity)]++;
			total++;
		}
	}
	json_object_set_new(doc, "findings", findings);
	for (s = 0; s < 6; s++)
		json_object_set_new(summary, drydock_severity_name(s),
				    json_integer(counts[s]));
	json_object_set_new(summary, "total", json_integer(total));
	json_object_set_new(summary, "suppressed", json_integer(suppressed));
	json_object_set_new(doc, "summary", summary);
	rc = drydock_json_dump(out, doc, 1);
	json_decref(doc);
	if (rc)
		return drydock_err_set(err, rc, "report larger than %zu bytes",
				       out->max);
	return 0;
}
