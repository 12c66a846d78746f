#include "../util/setup.h"

#include <ctype.h>
#include <jansson.h>
#include <stdio.h>

#include "drydock/error.h"
#include "drydock/feed.h"
#include "drydock/json.h"
#include "drydock/limits.h"
#include "feed-common.h"

/*
 * Red Hat CSAF 2.0 documents: VEX files (security.access.redhat.com/data/
 * csaf/v2/vex/<year>/cve-*.json, one CVE each, every product's state) and
 * security advisories (.../advisories/<year>/rhsa-*.json, fixes only):
 *
 *   {"document": {"category": "csaf_vex", "tracking": {"id",
 *        "current_release_date"}},
 *    "product_tree": {"branches": [... {"product": {"product_id",
 *        "product_identification_helper": {"cpe"|"purl"}}} ...],
 *        "relationships": [{"product_reference": <component>,
 *            "relates_to_product_reference": <platform>,
 *            "full_product_name": {"product_id": "<platform>:<component>"}}]},
 *    "vulnerabilities": [{"cve", "title", "notes", "release_date",
 *        "references", "product_status": {"fixed": [ids], ...},
 *        "remediations": [{"category", "details", "url", "product_ids"}],
 *        "threats": [{"category": "impact", "details": "Moderate",
 *            "product_ids"}], "scores": [{"cvss_v3": {...}}]}]}
 *
 * A product id of product_status is a relationship: the platform's CPE
 * gives the namespace (cpe:/o:redhat:enterprise_linux:8 -> rhel:8), the
 * component's purl the package and version (pkg:rpm/redhat/openssl@
 * 1.1.1k-12.el8_9?arch=src&epoch=1 -> openssl, 1:1.1.1k-12.el8_9). Mapping
 * of statuses and the choice of source packages: docs/feeds.md.
 */

#define SRC "redhat-csaf"
#define MAX_CVSS 8

struct cand {
	char *ns, *name, *version;
	const char *status, *severity, *advisory;
	int src;
};

struct cands {
	struct cand *v;
	size_t n, cap;
	json_t *seen; /* "ns\tname\tstatus\tversion" -> index in v */
};

static void cands_free(struct cands *c)
{
	size_t i;

	for (i = 0; i < c->n; i++) {
		free(c->v[i].ns);
		free(c->v[i].name);
		free(c->v[i].version);
	}
	free(c->v);
	json_decref(c->seen);
	memset(c, 0, sizeof(*c));
}

/* Record every product of the tree: product_id -> its identification
 * helper ({"cpe"} or {"purl"}). Depth is bounded by the JSON loader. */
static int walk_branches(const json_t *branches, json_t *products)
{
	const json_t *b;
	size_t i;

	json_array_foreach(branches, i, b)
	{
		const json_t *prod = json_object_get(b, "product");
		const char *pid = drydock_json_str(prod, "product_id");
		json_t *helper =
			json_object_get(prod, "product_identification_helper");

		if (pid && json_is_object(helper) &&
		    json_object_set(products, pid, helper))
			return -1;
		if (walk_branches(json_object_get(b, "branches"), products))
			return -1;
	}
	return 0;
}

/* cpe:/o:redhat:enterprise_linux:8[...] or cpe:2.3:o:redhat:
 * enterprise_linux:8:... -> "rhel:8". Other products (EUS, AUS, ELS,
 * Satellite ...) are not RHEL namespaces: -1. */
static int cpe_namespace(const char *cpe, char *ns, size_t size)
{
	const char *p;
	size_t n = 0;

	if (!cpe)
		return -1;
	if (!strncmp(cpe, "cpe:/", 5))
		p = cpe + 5;
	else if (!strncmp(cpe, "cpe:2.3:", 8))
		p = cpe + 8;
	else
		return -1;
	if (!*p || p[1] != ':')
		return -1;
	p += 2;
	if (strncmp(p, "redhat:enterprise_linux:", 24))
		return -1;
	p += 24;
	while (isdigit((unsigned char)p[n]) && n < 4)
		n++;
	if (!n || (p[n] && p[n] != ':' && p[n] != '.'))
		return -1;
	snprintf(ns, size, "rhel:%.*s", (int)n, p);
	return 0;
}

/* Percent-decode [s, s+n) into out. */
static int pct_decode(const char *s, size_t n, char *out, size_t size)
{
	size_t i, o = 0;

	for (i = 0; i < n; i++) {
		char c = s[i];

		if (c == '%' && i + 2 < n &&
		    isxdigit((unsigned char)s[i + 1]) &&
		    isxdigit((unsigned char)s[i + 2])) {
			char h[3] = {s[i + 1], s[i + 2], 0};

			c = (char)strtol(h, NULL, 16);
			i += 2;
		}
		if (!c || o + 1 >= size)
			return -1;
		out[o++] = c;
	}
	out[o] = '\0';
	return 0;
}

/* The value of qualifier key in the query [q, end), into out; 1 when
 * found. */
static int qualifier(const char *q, const char *key, char *out, size_t size)
{
	size_t klen = strlen(key);

	while (q && *q) {
		const char *amp = strchr(q, '&');
		size_t n = amp ? (size_t)(amp - q) : strlen(q);

		if (n > klen && !strncmp(q, key, klen) && q[klen] == '=')
			return pct_decode(q + klen + 1, n - klen - 1, out, size)
				       ? 0
				       : 1;
		q = amp ? amp + 1 : NULL;
	}
	return 0;
}

/*
 * pkg:rpm/redhat/openssl@1.1.1k-12.el8_9?arch=src&epoch=1 -> name
 * "openssl", version "1:1.1.1k-12.el8_9" ("" when the purl has none),
 * src 1. Only rpm purls: -1 for others (pkg:rpmmod, pkg:oci ...).
 */
static int parse_purl(const char *purl, char *name, size_t nsize, char *version,
		      size_t vsize, int *src)
{
	const char *p, *at, *q, *slash, *end;
	char arch[32], epoch[16], ver[DRYDOCK_MAX_VERSION_LEN + 1];

	if (!purl || strncmp(purl, "pkg:rpm/", 8))
		return -1;
	p = purl + 8;
	q = strchr(p, '?');
	end = strchr(p, '#');
	if (!end || (q && q < end))
		end = q ? q : p + strlen(p);
	at = memchr(p, '@', (size_t)(end - p));
	/* the name is the last path segment before '@' */
	slash = NULL;
	{
		const char *s;

		for (s = p; s < (at ? at : end); s++)
			if (*s == '/')
				slash = s;
	}
	if (slash)
		p = slash + 1;
	if (pct_decode(p, (size_t)((at ? at : end) - p), name, nsize) || !*name)
		return -1;
	ver[0] = '\0';
	if (at && pct_decode(at + 1, (size_t)(end - at - 1), ver, sizeof(ver)))
		return -1;
	*src = qualifier(q ? q + 1 : NULL, "arch", arch, sizeof(arch)) &&
	       !strcmp(arch, "src");
	if (ver[0] &&
	    qualifier(q ? q + 1 : NULL, "epoch", epoch, sizeof(epoch)) &&
	    strcmp(epoch, "0"))
		snprintf(version, vsize, "%s:%s", epoch, ver);
	else
		snprintf(version, vsize, "%s", ver);
	return 0;
}

/* "https://access.redhat.com/errata/RHSA-2024:2447" -> "RHSA-2024:2447" */
static const char *errata_id(const char *url)
{
	const char *p = url ? strstr(url, "/errata/") : NULL;

	if (!p || !p[8])
		return NULL;
	return p + 8;
}

static int add_cand(struct cands *c, const char *ns, const char *name,
		    const char *version, const char *status,
		    const char *severity, const char *advisory, int src)
{
	char key[2048];
	struct cand *x;

	snprintf(key, sizeof(key), "%s\t%s\t%s\t%s", ns, name, status, version);
	if (json_object_get(c->seen, key)) {
		/* the same package as a binary and as the source RPM */
		x = &c->v[json_integer_value(json_object_get(c->seen, key))];
		x->src |= src;
		return 0;
	}
	if (json_object_set_new(c->seen, key, json_integer((json_int_t)c->n)))
		return -1;
	if (c->n == c->cap) {
		size_t ncap = c->cap ? c->cap * 2 : 64;
		struct cand *nv = realloc(c->v, ncap * sizeof(*nv));

		if (!nv)
			return -1;
		c->v = nv;
		c->cap = ncap;
	}
	x = &c->v[c->n];
	x->ns = strdup(ns);
	x->name = strdup(name);
	x->version = strdup(version);
	if (!x->ns || !x->name || !x->version) {
		free(x->ns);
		free(x->name);
		free(x->version);
		return -1;
	}
	x->status = status;
	x->severity = severity;
	x->advisory = advisory;
	x->src = src;
	c->n++;
	return 0;
}

/* product_status keys and the status each gives before remediations. */
static const struct {
	const char *key, *status;
} status_keys[] = {
	{"fixed", DRYDOCK_STATUS_FIXED},
	{"first_fixed", DRYDOCK_STATUS_FIXED},
	{"known_affected", DRYDOCK_STATUS_AFFECTED},
	{"under_investigation", DRYDOCK_STATUS_AFFECTED},
	{"known_not_affected", DRYDOCK_STATUS_NOT_AFFECTED},
};

/* The status an unfixed product gets from its remediation. */
static const char *remediation_status(const char *category, const char *details)
{
	if (!category)
		return NULL;
	if (!strcmp(category, "no_fix_planned")) {
		if (details && strstr(details, "Out of support scope"))
			return DRYDOCK_STATUS_END_OF_LIFE;
		return DRYDOCK_STATUS_WILL_NOT_FIX;
	}
	if (!strcmp(category, "none_available")) {
		if (details && strstr(details, "eferred"))
			return DRYDOCK_STATUS_FIX_DEFERRED;
		return DRYDOCK_STATUS_AFFECTED;
	}
	return NULL;
}

/* Fill map (product id -> string) from a list of {key..., product_ids}. */
static int map_products(const json_t *list, const char *want_cat, json_t *map,
			json_t *(*value)(const json_t *))
{
	const json_t *e, *pid;
	size_t i, j;

	json_array_foreach(list, i, e)
	{
		const char *cat = drydock_json_str(e, "category");
		json_t *v;

		if (!cat || (want_cat && strcmp(cat, want_cat)))
			continue;
		v = value(e);
		if (!v)
			continue;
		json_array_foreach(json_object_get(e, "product_ids"), j, pid)
		{
			if (json_is_string(pid) &&
			    !json_object_get(map, json_string_value(pid)) &&
			    json_object_set(map, json_string_value(pid), v)) {
				json_decref(v);
				return -1;
			}
		}
		json_decref(v);
	}
	return 0;
}

static json_t *impact_value(const json_t *t)
{
	const char *s = drydock_feed_severity(drydock_json_str(t, "details"));

	return s ? json_string(s) : NULL;
}

static json_t *remedy_value(const json_t *r)
{
	const char *s = remediation_status(drydock_json_str(r, "category"),
					   drydock_json_str(r, "details"));

	return s ? json_string(s) : NULL;
}

static json_t *fix_value(const json_t *r)
{
	const char *s = errata_id(drydock_json_str(r, "url"));

	return s ? json_string(s) : NULL;
}

/* Intern a status string returned by the maps as one of feed.h's. */
static const char *intern_status(const char *s)
{
	static const char *const all[] = {
		DRYDOCK_STATUS_FIXED,	     DRYDOCK_STATUS_AFFECTED,
		DRYDOCK_STATUS_WILL_NOT_FIX, DRYDOCK_STATUS_FIX_DEFERRED,
		DRYDOCK_STATUS_END_OF_LIFE,  DRYDOCK_STATUS_NOT_AFFECTED,
	};
	size_t i;

	for (i = 0; s && i < sizeof(all) / sizeof(all[0]); i++)
		if (!strcmp(s, all[i]))
			return all[i];
	return NULL;
}

static int vuln_record(const json_t *v, const char *cve,
		       const struct drydock_feed_sink *sink,
		       struct drydock_err *err)
{
	struct drydock_cvss cvss[MAX_CVSS];
	const char **refs;
	struct drydock_vuln rec;
	const json_t *e;
	size_t i, nref = 0, ncvss = 0;
	int rc;

	memset(&rec, 0, sizeof(rec));
	rec.id = cve;
	rec.title = drydock_json_str(v, "title");
	json_array_foreach(json_object_get(v, "notes"), i, e)
	{
		const char *cat = drydock_json_str(e, "category");

		if (cat && !strcmp(cat, "description") && !rec.description)
			rec.description = drydock_json_str(e, "text");
	}
	rec.published = drydock_json_str(v, "release_date");
	refs = calloc(DRYDOCK_MAX_FEED_LIST_ITEMS + 1, sizeof(*refs));
	if (!refs)
		return drydock_err_set(err, DRYDOCK_ENOMEM, "out of memory");
	json_array_foreach(json_object_get(v, "references"), i, e)
	{
		const char *url = drydock_json_str(e, "url");

		if (url && *url && nref < DRYDOCK_MAX_FEED_LIST_ITEMS)
			refs[nref++] = url;
	}
	json_array_foreach(json_object_get(v, "scores"), i, e)
	{
		const json_t *c3 = json_object_get(e, "cvss_v3");
		const char *vec = drydock_json_str(c3, "vectorString");
		const char *ver = drydock_json_str(c3, "version");
		const json_t *score = json_object_get(c3, "baseScore");
		size_t k;
		int dup = 0;

		if (!vec || !ver || ncvss >= MAX_CVSS)
			continue;
		for (k = 0; k < ncvss; k++)
			if (!strcmp(cvss[k].vector, vec))
				dup = 1;
		if (dup)
			continue;
		cvss[ncvss].source = "redhat";
		cvss[ncvss].version = ver;
		cvss[ncvss].vector = vec;
		cvss[ncvss].score = json_is_number(score)
					    ? json_number_value(score)
					    : drydock_cvss3_base_score(vec);
		cvss[ncvss].severity = drydock_feed_severity(
			drydock_json_str(c3, "baseSeverity"));
		ncvss++;
	}
	rec.references = nref ? refs : NULL;
	rec.cvss = ncvss ? cvss : NULL;
	rec.ncvss = ncvss;
	rec.data_source = SRC;
	rc = sink->vuln(sink->payload, &rec);
	free(refs);
	return rc;
}

static int vulnerability(const json_t *v, size_t idx, const char *name,
			 const json_t *products, const json_t *rels,
			 const char *doc_advisory,
			 const struct drydock_feed_sink *sink,
			 struct drydock_err *err)
{
	const char *cve = drydock_json_str(v, "cve");
	const json_t *ps = json_object_get(v, "product_status");
	json_t *impact = json_object(), *remedy = json_object(),
	       *fixes = json_object();
	struct cands c;
	size_t k, i;
	int rc = 0;

	memset(&c, 0, sizeof(c));
	c.seen = json_object();
	if (!impact || !remedy || !fixes || !c.seen) {
		rc = drydock_err_set(err, DRYDOCK_ENOMEM, "out of memory");
		goto out;
	}
	if (!cve || !*cve) {
		rc = drydock_err_set(err, DRYDOCK_ECORRUPT,
				     "'%s': vulnerabilities[%zu]: cve missing",
				     name, idx);
		goto out;
	}
	if (ps && !json_is_object(ps)) {
		rc = drydock_err_set(err, DRYDOCK_ECORRUPT,
				     "'%s': vulnerabilities[%zu] (%s): "
				     "product_status: not an object",
				     name, idx, cve);
		goto out;
	}
	rc = vuln_record(v, cve, sink, err);
	if (rc)
		goto out;
	if (map_products(json_object_get(v, "threats"), "impact", impact,
			 impact_value) ||
	    map_products(json_object_get(v, "remediations"), NULL, remedy,
			 remedy_value) ||
	    map_products(json_object_get(v, "remediations"), "vendor_fix",
			 fixes, fix_value)) {
		rc = drydock_err_set(err, DRYDOCK_ENOMEM, "out of memory");
		goto out;
	}
	for (k = 0; k < sizeof(status_keys) / sizeof(status_keys[0]); k++) {
		const json_t *list = json_object_get(ps, status_keys[k].key);
		const json_t *pid;

		if (list && !json_is_array(list)) {
			rc = drydock_err_set(err, DRYDOCK_ECORRUPT,
					     "'%s': vulnerabilities[%zu] (%s): "
					     "product_status.%s: not an array",
					     name, idx, cve,
					     status_keys[k].key);
			goto out;
		}
		json_array_foreach(list, i, pid)
		{
			const char *id = json_string_value(pid);
			const json_t *rel =
				id ? json_object_get(rels, id) : NULL;
			const char *comp, *plat,
				*status = status_keys[k].status;
			const char *advisory = NULL;
			char ns[32], pname[512],
				version[DRYDOCK_MAX_VERSION_LEN + 32];
			int src;

			if (!rel)
				continue; /* not a component of a platform */
			comp = drydock_json_str(rel, "product_reference");
			plat = drydock_json_str(rel,
						"relates_to_product_reference");
			if (!comp || !plat ||
			    cpe_namespace(
				    drydock_json_str(
					    json_object_get(products, plat),
					    "cpe"),
				    ns, sizeof(ns)) ||
			    parse_purl(drydock_json_str(
					       json_object_get(products, comp),
					       "purl"),
				       pname, sizeof(pname), version,
				       sizeof(version), &src))
				continue;
			if (!strcmp(status, DRYDOCK_STATUS_FIXED)) {
				if (!version[0])
					continue; /* no version to compare */
				advisory = json_string_value(
					json_object_get(fixes, id));
				if (!advisory)
					advisory = doc_advisory;
			} else {
				const char *r = intern_status(json_string_value(
					json_object_get(remedy, id)));

				if (!strcmp(status, DRYDOCK_STATUS_AFFECTED) &&
				    r)
					status = r;
				version[0] = '\0';
			}
			if (add_cand(&c, ns, pname, version, status,
				     json_string_value(
					     json_object_get(impact, id)),
				     advisory, src)) {
				rc = drydock_err_set(err, DRYDOCK_ENOMEM,
						     "out of memory");
				goto out;
			}
		}
	}
	/* Source packages where the document names them: a namespace with
	 * any arch=src component gets only those; else binaries. */
	for (i = 0; i < c.n && !rc; i++) {
		struct drydock_advisory a;
		size_t j;
		int ns_has_src = 0;

		for (j = 0; j < c.n && !ns_has_src; j++)
			if (c.v[j].src && !strcmp(c.v[j].ns, c.v[i].ns))
				ns_has_src = 1;
		if (ns_has_src && !c.v[i].src)
			continue;
		memset(&a, 0, sizeof(a));
		a.namespace_ = c.v[i].ns;
		a.package = c.v[i].name;
		a.vuln_id = cve;
		a.status = c.v[i].status;
		a.version_type = "rpm";
		a.fixed_version = c.v[i].version[0] ? c.v[i].version : NULL;
		a.severity = c.v[i].severity;
		a.advisory_id = c.v[i].advisory;
		a.data_source = SRC;
		rc = sink->advisory(sink->payload, &a);
	}
out:
	json_decref(impact);
	json_decref(remedy);
	json_decref(fixes);
	cands_free(&c);
	return rc;
}

static int parse(const char *data, size_t len, const char *name,
		 const struct drydock_feed_sink *sink, struct drydock_err *err)
{
	json_t *doc, *products = NULL, *rels = NULL;
	const json_t *d, *tree, *vulns, *v, *r;
	const char *cat, *tid, *doc_advisory = NULL, *ts;
	size_t i;
	int rc = 0;

	doc = drydock_json_load(data, len, DRYDOCK_MAX_FEED_JSON_BYTES, name,
				err);
	if (!doc)
		return err ? err->code : DRYDOCK_ECORRUPT;
	d = json_object_get(doc, "document");
	cat = drydock_json_str(d, "category");
	if (!cat || strncmp(cat, "csaf_", 5)) {
		rc = drydock_err_set(err, DRYDOCK_ECORRUPT,
				     "'%s': not a CSAF document "
				     "(document.category missing or not "
				     "csaf_*)",
				     name);
		goto out;
	}
	tree = json_object_get(doc, "product_tree");
	vulns = json_object_get(doc, "vulnerabilities");
	if (!json_is_object(tree) || (vulns && !json_is_array(vulns))) {
		rc = drydock_err_set(err, DRYDOCK_ECORRUPT,
				     "'%s': product_tree missing or "
				     "vulnerabilities not an array",
				     name);
		goto out;
	}
	tid = drydock_json_str(json_object_get(d, "tracking"), "id");
	if (tid && (!strncmp(tid, "RHSA-", 5) || !strncmp(tid, "RHBA-", 5) ||
		    !strncmp(tid, "RHEA-", 5)))
		doc_advisory = tid;
	ts = drydock_json_str(json_object_get(d, "tracking"),
			      "current_release_date");
	if (ts && sink->feed_time) {
		rc = sink->feed_time(sink->payload, ts);
		if (rc)
			goto out;
	}
	products = json_object();
	rels = json_object();
	if (!products || !rels ||
	    walk_branches(json_object_get(tree, "branches"), products)) {
		rc = drydock_err_set(err, DRYDOCK_ENOMEM, "out of memory");
		goto out;
	}
	json_array_foreach(json_object_get(tree, "relationships"), i, r)
	{
		const char *fid = drydock_json_str(
			json_object_get(r, "full_product_name"), "product_id");

		if (fid && json_object_set(rels, fid, (json_t *)r)) {
			rc = drydock_err_set(err, DRYDOCK_ENOMEM,
					     "out of memory");
			goto out;
		}
	}
	json_array_foreach(vulns, i, v)
	{
		rc = vulnerability(v, i, name, products, rels, doc_advisory,
				   sink, err);
		if (rc)
			break;
	}
out:
	json_decref(products);
	json_decref(rels);
	json_decref(doc);
	return rc;
}

static int detect(const char *head, size_t len, const char *path)
{
	int score = 0;

	(void)path;
	if (!memmem(head, len, "\"csaf_version\"", 14) &&
	    !memmem(head, len, "\"csaf_vex\"", 10) &&
	    !memmem(head, len, "\"csaf_security_advisory\"", 24))
		return 0;
	score += 60;
	if (memmem(head, len, "\"product_tree\"", 14) ||
	    memmem(head, len, "\"document\"", 10))
		score += 20;
	if (memmem(head, len, "Red Hat", 7) || memmem(head, len, "redhat", 6))
		score += 15;
	return score;
}

const struct drydock_importer drydock_importer_redhat_csaf = {
	"redhat-csaf", "Red Hat CSAF 2.0 VEX and security advisories",
	detect,	       parse,
	NULL,
};
