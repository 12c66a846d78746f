#include "../util/setup.h"

#include <jansson.h>
#include <stdio.h>

#include "drydock/error.h"
#include "drydock/feed.h"
#include "drydock/json.h"
#include "drydock/limits.h"
#include "nvd-common.h"

/*
 * NVD CVE API 2.0 pages (services.nvd.nist.gov/rest/json/cves/2.0):
 *
 *   {"format": "NVD_CVE", "version": "2.0", "timestamp": "...",
 *    "vulnerabilities": [{"cve": {"id": "CVE-...", "published": "...",
 *        "lastModified": "...", "vulnStatus": "Analyzed",
 *        "descriptions": [{"lang": "en", "value": ...}],
 *        "metrics": {"cvssMetricV40"|"cvssMetricV31"|"cvssMetricV30"|
 *                    "cvssMetricV2": [{"source": "nvd@nist.gov",
 *                        "type": "Primary", "cvssData": {"version",
 *                        "vectorString", "baseScore", "baseSeverity"},
 *                        "baseSeverity" (v2)}]},
 *        "references": [{"url": ...}]}}]}
 *
 * Vulnerability records only. Every rating is kept with its rater: "nvd"
 * for nvd@nist.gov, else the source as NVD names it (a CNA's e-mail or
 * UUID). The page's timestamp is the feed's.
 */

static const char *const metric_keys[] = {"cvssMetricV40", "cvssMetricV31",
					  "cvssMetricV30", "cvssMetricV2"};

static int item(json_t *wrap, size_t idx, const char *name,
		const struct drydock_feed_sink *sink, struct drydock_err *err)
{
	json_t *cve = json_object_get(wrap, "cve"), *refs, *r, *metrics;
	struct drydock_cvss cvss[NVD_MAX_CVSS];
	char sev[NVD_MAX_CVSS][16];
	const char **urls;
	char pub[40], mod[40];
	struct drydock_vuln v;
	size_t i, k, nref = 0;
	int rc;

	memset(&v, 0, sizeof(v));
	v.id = drydock_json_str(cve, "id");
	if (!v.id || !*v.id)
		return drydock_err_set(err, DRYDOCK_ECORRUPT,
				       "'%s': vulnerabilities[%zu]: cve.id "
				       "missing",
				       name, idx);
	v.description = nvd_english(json_object_get(cve, "descriptions"));
	v.published =
		nvd_time(drydock_json_str(cve, "published"), pub, sizeof(pub));
	v.modified = nvd_time(drydock_json_str(cve, "lastModified"), mod,
			      sizeof(mod));
	refs = json_object_get(cve, "references");
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
	metrics = json_object_get(cve, "metrics");
	for (k = 0; k < sizeof(metric_keys) / sizeof(metric_keys[0]); k++) {
		json_t *m;

		json_array_foreach(json_object_get(metrics, metric_keys[k]), i,
				   m)
		{
			json_t *d = json_object_get(m, "cvssData");
			const char *src = drydock_json_str(m, "source");
			const char *s;
			struct drydock_cvss *c;

			if (v.ncvss >= NVD_MAX_CVSS || !json_is_object(d))
				continue;
			c = &cvss[v.ncvss];
			c->source = src && !strcmp(src, "nvd@nist.gov") ? "nvd"
				    : src				? src
					  : "unknown";
			c->version = drydock_json_str(d, "version");
			c->vector = drydock_json_str(d, "vectorString");
			c->score = nvd_score(d, "baseScore");
			s = drydock_json_str(d, "baseSeverity");
			if (!s)
				s = drydock_json_str(m, "baseSeverity");
			c->severity =
				nvd_lower(s, sev[v.ncvss], sizeof(sev[0]));
			if (c->version && c->vector)
				v.ncvss++;
		}
	}
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
	items = json_object_get(doc, "vulnerabilities");
	if (!json_is_array(items)) {
		json_decref(doc);
		return drydock_err_set(err, DRYDOCK_ECORRUPT,
				       "'%s': vulnerabilities: missing or not "
				       "an array",
				       name);
	}
	ts = drydock_json_str(doc, "timestamp");
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
	if (memmem(head, len, "\"NVD_CVE\"", 9) &&
	    memmem(head, len, "\"vulnerabilities\"", 17))
		return 95;
	if (memmem(head, len, "\"vulnerabilities\"", 17) &&
	    memmem(head, len, "\"sourceIdentifier\"", 18) &&
	    memmem(head, len, "\"lastModified\"", 14))
		return 60;
	return 0;
}

const struct drydock_importer drydock_importer_nvd_api2 = {
	"nvd-api-2.0",
	"NVD CVE API 2.0 response pages (services.nvd.nist.gov/rest/json/"
	"cves/2.0)",
	detect,
	parse,
	NULL,
};
