#include "../util/setup.h"

#include <stdio.h>

#include "drydock/buf.h"
#include "drydock/error.h"
#include "drydock/inventory.h"
#include "drydock/json.h"
#include "drydock/limits.h"
#include "drydock/match.h"
#include "scan_common.h"

/*
 * SARIF 2.1.0 as GitHub code scanning accepts it: one rule per
 * vulnerability id, one result per finding; level from severity
 * (critical/high error, medium warning, else note) and the rule's
 * "security-severity" property (a CVSS-like score GitHub buckets) from
 * the CVSS score, else from the severity name. Every result needs a
 * location: the image name stands for the file.
 */

static const char *level(int rank)
{
	if (rank >= 4)
		return "error";
	if (rank == 3)
		return "warning";
	return "note";
}

static double sec_severity(const struct drydock_finding *f, int rank)
{
	static const double by_rank[] = {0.0, 0.1, 2.0, 5.5, 8.0, 9.5};

	if (f->cvss_score >= 0)
		return f->cvss_score;
	return by_rank[rank < 0 ? 0 : rank];
}

/* The artifact URI: the image name with characters SARIF URIs dislike
 * replaced ("alpine:3.20" stays readable). */
static void uri_of(const char *name, char *out, size_t n)
{
	size_t i, j = 0;

	for (i = 0; name[i] && j + 1 < n; i++) {
		char c = name[i];

		out[j++] = (c == ' ' || c == '\\' || c == '#' || c == '?') ? '_'
									   : c;
	}
	out[j] = '\0';
}

int drydock_scanrep_sarif(struct drydock_buf *out,
			  const struct drydock_scan_report *rep,
			  struct drydock_err *err)
{
	json_t *doc = json_object(), *runs = json_array(), *run = json_object();
	json_t *driver = json_object(), *rules = json_array();
	json_t *results = json_array(), *rule_index = json_object();
	char uri[1024];
	size_t i;
	int rc;

	uri_of(rep->name, uri, sizeof(uri));
	for (i = 0; i < rep->res->n; i++) {
		const struct drydock_finding *f = &rep->res->findings[i];
		const struct drydock_pkg *p = &rep->inv->pkgs[f->pkg];
		int rank = drydock_severity_rank(f->severity);
		json_t *idx = json_object_get(rule_index, f->id);
		json_t *res, *loc, *props, *msgo;
		char msg[2048], pkgdesc[1024], sev[16];
		char vbuf[DRYDOCK_MAX_VERSION_LEN + 24];
		const char *inst;
		size_t ri;

		if (f->suppressed)
			continue;
		if (!idx) {
			json_t *ru = json_object(), *tags = json_array();
			char help[2048];

			ri = json_array_size(rules);
			json_object_set_new(rule_index, f->id,
					    json_integer((json_int_t)ri));
			json_object_set_new(ru, "id", json_string(f->id));
			json_object_set_new(
				ru, "name",
				json_string("OsPackageVulnerability"));
			json_object_set_new(
				ru, "shortDescription",
				json_pack("{s:s}", "text",
					  f->title ? f->title : f->id));
			json_object_set_new(
				ru, "fullDescription",
				json_pack("{s:s}", "text",
					  f->description ? f->description
							 : (f->title ? f->title
								     : f->id)));
			if (f->references && f->references[0])
				json_object_set_new(
					ru, "helpUri",
					json_string(f->references[0]));
			snprintf(help, sizeof(help),
				 "Vulnerability %s\nSeverity: %s\nPackage: "
				 "%s\nFixed version: %s",
				 f->id, f->severity, p->name,
				 f->fixed_version ? f->fixed_version : "none");
			json_object_set_new(ru, "help",
					    json_pack("{s:s}", "text", help));
			snprintf(sev, sizeof(sev), "%.1f",
				 sec_severity(f, rank));
			json_array_append_new(tags,
					      json_string("vulnerability"));
			json_array_append_new(tags, json_string("security"));
			json_array_append_new(tags, json_string(f->severity));
			props = json_object();
			json_object_set_new(props, "security-severity",
					    json_string(sev));
			json_object_set_new(props, "tags", tags);
			json_object_set_new(ru, "properties", props);
			json_object_set_new(
				ru, "defaultConfiguration",
				json_pack("{s:s}", "level", level(rank)));
			json_array_append_new(rules, ru);
		} else {
			ri = (size_t)json_integer_value(idx);
		}
		inst = drydock_scanrep_installed(p, vbuf, sizeof(vbuf));
		if (p->src_name && strcmp(p->src_name, p->name))
			snprintf(pkgdesc, sizeof(pkgdesc), "%s %s (source %s)",
				 p->name, inst, p->src_name);
		else
			snprintf(pkgdesc, sizeof(pkgdesc), "%s %s", p->name,
				 inst);
		snprintf(msg, sizeof(msg),
			 "%s%s%s: package %s, fixed version: %s, severity %s, "
			 "layer %s",
			 f->id, f->title ? " " : "", f->title ? f->title : "",
			 pkgdesc, f->fixed_version ? f->fixed_version : "none",
			 f->severity,
			 p->layer_diff_id ? p->layer_diff_id : "unknown");
		res = json_object();
		json_object_set_new(res, "ruleId", json_string(f->id));
		json_object_set_new(res, "ruleIndex",
				    json_integer((json_int_t)ri));
		json_object_set_new(res, "level", json_string(level(rank)));
		msgo = json_pack("{s:s}", "text", msg);
		json_object_set_new(res, "message", msgo);
		loc = json_pack(
			"[{s:{s:{s:s,s:s},s:{s:i,s:i,s:i,s:i}},s:{s:s}}]",
			"physicalLocation", "artifactLocation", "uri", uri,
			"uriBaseId", "ROOTPATH", "region", "startLine", 1,
			"startColumn", 1, "endLine", 1, "endColumn", 1,
			"message", "text", p->name);
		json_object_set_new(res, "locations", loc);
		json_array_append_new(results, res);
	}
	json_object_set_new(driver, "name", json_string("drydock"));
	json_object_set_new(driver, "version", json_string(DRYDOCK_VERSION));
	json_object_set_new(driver, "informationUri",
			    json_string("https://github.com/drydock/drydock"));
	json_object_set_new(driver, "rules", rules);
	json_object_set_new(run, "tool", json_pack("{s:o}", "driver", driver));
	json_object_set_new(run, "results", results);
	json_object_set_new(run, "columnKind", json_string("utf16CodeUnits"));
	json_object_set_new(
		run, "originalUriBaseIds",
		json_pack("{s:{s:s}}", "ROOTPATH", "uri", "file:///"));
	json_array_append_new(runs, run);
	json_object_set_new(doc, "$schema",
			    json_string("https://json.schemastore.org/"
					"sarif-2.1.0.json"));
	json_object_set_new(doc, "version", json_string("2.1.0"));
	json_object_set_new(doc, "runs", runs);
	json_decref(rule_index);
	rc = drydock_json_dump(out, doc, 1);
	json_decref(doc);
	if (rc)
		return drydock_err_set(err, rc, "report larger than %zu bytes",
				       out->max);
	return 0;
}
