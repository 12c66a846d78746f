#include "../util/setup.h"

#include <stdio.h>

#include "drydock/buf.h"
#include "drydock/error.h"
#include "drydock/inventory.h"
#include "drydock/json.h"
#include "drydock/match.h"
#include "drydock/report.h"
#include "scan_common.h"

/*
 * CycloneDX 1.5 with vulnerabilities[]: the image's packages as
 * components (bom-ref = a stable key of type, name, version, arch), each
 * vulnerability once with its ratings and an affects[] entry per package.
 * No timestamp or random serial number: the output is deterministic.
 */

/* The bom-ref of a package: its purl (unique within one image, since it
 * carries name, version, arch and epoch). */
static void bom_ref(const struct drydock_scan_report *rep,
		    const struct drydock_pkg *p, char *out, size_t n)
{
	struct drydock_buf b = DRYDOCK_BUF_INIT(4096);

	if (drydock_purl_for_pkg(&b, p, &rep->inv->os) == 0 && b.ptr)
		snprintf(out, n, "%s", b.ptr);
	else
		snprintf(out, n, "%s:%s@%s", drydock_pkg_type_name(p->type),
			 p->name, p->version);
	drydock_buf_release(&b);
}

static const char *method_of(const char *vector)
{
	if (!vector)
		return "other";
	if (!strncmp(vector, "CVSS:3.1/", 9))
		return "CVSSv31";
	if (!strncmp(vector, "CVSS:3.0/", 9))
		return "CVSSv3";
	if (!strncmp(vector, "CVSS:4.0/", 9))
		return "CVSSv4";
	return "CVSSv2";
}

/* CycloneDX severities: critical high medium low info none unknown */
static const char *cdx_severity(const char *s)
{
	int r = drydock_severity_rank(s);

	if (r == 1)
		return "info";
	return r <= 0 ? "unknown" : drydock_severity_name(r);
}

int drydock_scanrep_cyclonedx(struct drydock_buf *out,
			      const struct drydock_scan_report *rep,
			      struct drydock_err *err)
{
	json_t *doc = json_object(), *comps = json_array(),
	       *vulns = json_array(), *byid = json_object(), *meta, *comp;
	char ref[1024];
	size_t i;
	int rc;

	for (i = 0; i < rep->inv->npkgs; i++) {
		const struct drydock_pkg *p = &rep->inv->pkgs[i];
		json_t *c = json_object();

		bom_ref(rep, p, ref, sizeof(ref));
		json_object_set_new(c, "bom-ref", json_string(ref));
		json_object_set_new(c, "purl", json_string(ref));
		json_object_set_new(c, "type", json_string("library"));
		json_object_set_new(c, "name", json_string(p->name));
		json_object_set_new(c, "version", json_string(p->version));
		json_array_append_new(comps, c);
	}
	for (i = 0; i < rep->res->n; i++) {
		const struct drydock_finding *f = &rep->res->findings[i];
		const struct drydock_pkg *p = &rep->inv->pkgs[f->pkg];
		json_t *v = json_object_get(byid, f->id), *aff;

		if (f->suppressed)
			continue;
		if (!v) {
			json_t *ratings = json_array(), *rt = json_object();
			json_t *refs = json_array();
			size_t k;

			v = json_object();
			json_object_set_new(v, "bom-ref", json_string(f->id));
			json_object_set_new(v, "id", json_string(f->id));
			json_object_set_new(v, "source",
					    json_pack("{s:s}", "name",
						      f->data_source
							      ? f->data_source
							      : "drydock"));
			json_object_set_new(
				rt, "source",
				json_pack("{s:s}", "name",
					  f->severity_source
						  ? f->severity_source
						  : "drydock"));
			if (f->cvss_score >= 0)
				json_object_set_new(rt, "score",
						    json_real(f->cvss_score));
			json_object_set_new(
				rt, "severity",
				json_string(cdx_severity(f->severity)));
			json_object_set_new(
				rt, "method",
				json_string(method_of(f->cvss_vector)));
			if (f->cvss_vector)
				json_object_set_new(
					rt, "vector",
					json_string(f->cvss_vector));
			json_array_append_new(ratings, rt);
			json_object_set_new(v, "ratings", ratings);
			if (f->description || f->title)
				json_object_set_new(
					v, "description",
					json_string(f->description
							    ? f->description
							    : f->title));
			if (f->fixed_version) {
				char rec[512];

				snprintf(rec, sizeof(rec), "Upgrade %s to %s",
					 p->name, f->fixed_version);
				json_object_set_new(v, "recommendation",
						    json_string(rec));
			}
			for (k = 0; f->references && f->references[k]; k++)
				json_array_append_new(
					refs,
					json_pack("{s:s,s:{s:s,s:s}}", "id",
						  f->id, "source", "name",
						  "reference", "url",
						  f->references[k]));
			if (json_array_size(refs))
				json_object_set_new(v, "references", refs);
			else
				json_decref(refs);
			json_object_set_new(v, "affects", json_array());
			json_object_set_new(byid, f->id, v);
			json_array_append(vulns, v);
		}
		bom_ref(rep, p, ref, sizeof(ref));
		aff = json_pack("{s:s,s:[{s:s,s:s}]}", "ref", ref, "versions",
				"version", p->version, "status", "affected");
		json_array_append_new(json_object_get(v, "affects"), aff);
	}
	json_decref(byid);
	meta = json_object();
	comp = json_object();
	json_object_set_new(comp, "bom-ref", json_string("image"));
	json_object_set_new(comp, "type", json_string("container"));
	json_object_set_new(comp, "name", json_string(rep->name));
	if (rep->digest && *rep->digest)
		json_object_set_new(comp, "version", json_string(rep->digest));
	json_object_set_new(meta, "component", comp);
	json_object_set_new(meta, "tools",
			    json_pack("{s:[{s:s,s:s,s:s}]}", "components",
				      "type", "application", "name", "drydock",
				      "version", DRYDOCK_VERSION));
	json_object_set_new(doc, "bomFormat", json_string("CycloneDX"));
	json_object_set_new(doc, "specVersion", json_string("1.5"));
	json_object_set_new(doc, "version", json_integer(1));
	json_object_set_new(doc, "metadata", meta);
	json_object_set_new(doc, "components", comps);
	json_object_set_new(doc, "vulnerabilities", vulns);
	rc = drydock_json_dump(out, doc, 1);
	json_decref(doc);
	if (rc)
		return drydock_err_set(err, rc, "report larger than %zu bytes",
				       out->max);
	return 0;
}
