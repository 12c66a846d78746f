#include "../util/setup.h"

#include <jansson.h>
#include <stdio.h>

#include "drydock/error.h"
#include "drydock/feed.h"
#include "drydock/json.h"
#include "drydock/limits.h"
#include "nvd-common.h"

/*
 * NVD JSON 1.1 data feeds (nvdcve-1.1-<year|modified|recent>.json):
 *
 *   {"CVE_data_type": "CVE", "CVE_data_timestamp": "2021-07-20T14:00Z",
 *    "CVE_Items": [{"cve": {"CVE_data_meta": {"ID": "CVE-..."},
 *        "references": {"reference_data": [{"url": ...}]},
 *        "description": {"description_data": [{"lang": "en", ...}]}},
 *      "impact": {"baseMetricV3": {"cvssV3": {"version", "vectorString",
 *                   "baseScore", "baseSeverity"}},
 *                 "baseMetricV2": {"cvssV2": {...}, "severity": ...}},
 *      "publishedDate": "...", "lastModifiedDate": "..."}]}
 *
 * Vulnerability records only (descriptions, dates, references, CVSS rated
 * by "nvd"); CPE configurations are not imported (the matcher works from
 * distribution and ecosystem advisories). The feed's timestamp is
 * CVE_data_timestamp.
 */

static int add_cvss(struct drydock_cvss *c, size_t *n, json_t *metric,
		    const char *inner, const char *outer_sev, char *sevbuf,
		    size_t sevsize)
{
	json_t *d = json_object_get(metric, inner);
	const char *sev;

	if (!json_is_object(d) || *n >= NVD_MAX_CVSS)
		return 0;
	c[*n].source = "nvd";
	c[*n].version = drydock_json_str(d, "version");
	c[*n].vector = drydock_json_str(d, "vectorString");
	c[*n].score = nvd_score(d, "baseScore");
	sev = drydock_json_str(d, "baseSeverity");
	if (!sev && outer_sev)
		sev = drydock_json_str(metric, outer_sev);
	c[*n].severity = nvd_lower(sev, sevbuf, sevsize);
	if (c[*n].version && c[*n].vector)
		(*n)++;
	return 0;
}

static int item(json_t *it, size_t idx, const char *name,
		const struct drydock_feed_sink *sink, struct drydock_err *err)
{
	json_t *cve = json_object_get(it, "cve"), *refs, *r, *impact;
	struct drydock_cvss cvss[NVD_MAX_CVSS];
	const char **urls;
	char pub[40], mod[40], s3[16], s2[16];
	struct drydock_vuln v;
	size_t i, nref = 0;
	int rc;

	memset(&v, 0, sizeof(v));
	v.id = drydock_json_str(json_object_get(cve, "CVE_data_meta"), "ID");
	if (!v.id || !*v.id)
		return drydock_err_set(err, DRYDOCK_ECORRUPT,
				       "'%s': CVE_Items[%zu]: "
				       "cve.CVE_data_meta.ID missing",
				       name, idx);
	v.description = nvd_english(json_object_get(
		json_object_get(cve, "description"), "description_data"));
	v.published = nvd_time(drydock_json_str(it, "publishedDate"), pub,
			       sizeof(pub));
	v.modified = nvd_time(drydock_json_str(it, "lastModifiedDate"), mod,
			      sizeof(mod));
	refs = json_object_get(json_object_get(cve, "references"),
			       "reference_data");
	urls = calloc(json_array_size(refs) + 1, sizeof(*urls));
	if (!urls)
		return drydock_err_set(err, DRYDOCK_ENOMEM, "out of memory");
	json_array_foreach(refs, i, r)
	{
		const char *u = drydock_json_str(r, "url");

		if (u && nref < NVD_MAX_REFS)
			urls[nref++] = u;
	}
	urls[nref] = NULL;
	v.references = urls;
	impact = json_object_get(it, "impact");
	add_cvss(cvss, &v.ncvss, json_object_get(impact, "baseMetricV3"),
		 "cvssV3", NULL, s3, sizeof(s3));
	add_cvss(cvss, &v.ncvss, json_object_get(impact, "baseMetricV2"),
		 "cvssV2", "severity", s2, sizeof(s2));
	v.cvss = cvss;
	v.data_source = "nvd";
	rc = sink->vuln(sink->payload, &v);
	free(urls);
	return rc;
}

static int parse(const char *data, size_t len, const char *name,
		 const struct drydock_feed_sink *sink, struct drydock_err *err)
{
	json_t *doc, *items, *it;
	const char *ts;
	char tsb[40];
	size_t i;
	int rc = 0;

	doc = drydock_json_load(data, len, DRYDOCK_MAX_FEED_JSON_BYTES, name,
				err);
	if (!doc)
		return err ? err->code : DRYDOCK_ECORRUPT;
	items = json_object_get(doc, "CVE_Items");
	if (!json_is_array(items)) {
		json_decref(doc);
		return drydock_err_set(err, DRYDOCK_ECORRUPT,
				       "'%s': CVE_Items: missing or not an "
				       "array",
				       name);
	}
	ts = drydock_json_str(doc, "CVE_data_timestamp");
	if (ts && sink->feed_time)
		rc = sink->feed_time(sink->payload,
				     nvd_time(ts, tsb, sizeof(tsb)));
	json_array_foreach(items, i, it)
	{
		if (rc)
			break;
		rc = item(it, i, name, sink, err);
	}
	json_decref(doc);
	return rc;
}

static int detect(const char *head, size_t len, const char *path)
{
	(void)path;
	if (memmem(head, len, "\"CVE_Items\"", 11) ||
	    (memmem(head, len, "\"CVE_data_type\"", 15) &&
	     memmem(head, len, "\"CVE_data_format\"", 17)))
		return 95;
	return 0;
}

const struct drydock_importer drydock_importer_nvd_json11 = {
	"nvd-json-1.1",
	"NVD JSON 1.1 data feed (nvdcve-1.1-*.json, retired by NVD in 2023)",
	detect,
	parse,
	NULL,
};
