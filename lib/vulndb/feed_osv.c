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
 * OSV records (https://ossf.github.io/osv-schema/), JSON form: one record
 * per file as the OSV databases publish them, a JSON array of records, or
 * an osv.dev API response ({"vulns": [...]}). The mapping is described in
 * docs/feeds.md; drydock_osv_record() is shared with the YAML form.
 */

#define MAX_CVSS 8

/* Copy s lowercased into out; -1 when it does not fit. */
static int lower_into(char *out, size_t size, const char *s, size_t n)
{
	size_t i;

	if (n >= size)
		return -1;
	for (i = 0; i < n; i++)
		out[i] = (char)tolower((unsigned char)s[i]);
	out[n] = '\0';
	return 0;
}

/*
 * The namespace and version type of an OSV ecosystem:
 * "Debian:12" -> debian:12 (deb), "Ubuntu:22.04:LTS" -> ubuntu:22.04,
 * "Ubuntu:Pro:16.04:LTS" -> ubuntu:pro:16.04 (deb), "Alpine:v3.20" ->
 * alpine:3.20 (apk), "AlmaLinux:8" -> almalinux:8, "Rocky Linux:9" ->
 * rocky:9 (rpm), anything else lowercased (its ranges decide between
 * semver and ecosystem; vtype is NULL then).
 */
static int map_ecosystem(const char *eco, char *ns, size_t size,
			 const char **vtype)
{
	static const struct {
		const char *name, *ns, *vtype;
	} distros[] = {
		{"debian", "debian", "deb"},
		{"ubuntu", "ubuntu", "deb"},
		{"alpine", "alpine", "apk"},
		{"almalinux", "almalinux", "rpm"},
		{"rocky linux", "rocky", "rpm"},
		{"red hat", "redhat", "rpm"},
		{"suse", "suse", "rpm"},
		{"opensuse", "opensuse", "rpm"},
		{"mageia", "mageia", "rpm"},
		{"openeuler", "openeuler", "rpm"},
		{"wolfi", "wolfi", "apk"},
		{"chainguard", "chainguard", "apk"},
	};
	const char *colon = strchr(eco, ':');
	size_t blen = colon ? (size_t)(colon - eco) : strlen(eco), i;
	char rest[128];

	*vtype = NULL;
	for (i = 0; i < sizeof(distros) / sizeof(distros[0]); i++) {
		const char *r;
		size_t rlen;

		if (strlen(distros[i].name) != blen ||
		    strncasecmp(eco, distros[i].name, blen))
			continue;
		*vtype = distros[i].vtype;
		if (!colon)
			return lower_into(ns, size, distros[i].ns,
					  strlen(distros[i].ns));
		r = colon + 1;
		rlen = strlen(r);
		if (!strcmp(distros[i].ns, "ubuntu") && rlen > 4 &&
		    !strcasecmp(r + rlen - 4, ":lts"))
			rlen -= 4;
		if (!strcmp(distros[i].ns, "alpine") && rlen > 1 &&
		    (*r == 'v' || *r == 'V')) {
			r++;
			rlen--;
		}
		if (!rlen || lower_into(rest, sizeof(rest), r, rlen))
			return -1;
		if ((size_t)snprintf(ns, size, "%s:%s", distros[i].ns, rest) >=
		    size)
			return -1;
		return 0;
	}
	return lower_into(ns, size, eco, strlen(eco));
}

/* An array of strings as a NULL-terminated list appended to out from
 * position *n; non-strings are skipped. */
static int add_strings(const json_t *arr, const char **out, size_t *n,
		       size_t max)
{
	size_t i;
	json_t *e;

	if (!json_is_array(arr))
		return 0;
	json_array_foreach(arr, i, e)
	{
		if (!json_is_string(e) || !*json_string_value(e))
			continue;
		if (*n >= max)
			return -1;
		out[(*n)++] = json_string_value(e);
	}
	out[*n] = NULL;
	return 0;
}

/* "CVSS:3.1/..." -> "3.1"; no prefix (v2 vectors) -> "2.0". */
static const char *cvss_version(const char *vec)
{
	if (!strncmp(vec, "CVSS:3.1/", 9))
		return "3.1";
	if (!strncmp(vec, "CVSS:3.0/", 9))
		return "3.0";
	if (!strncmp(vec, "CVSS:4.0/", 9))
		return "4.0";
	if (!strncmp(vec, "CVSS:", 5))
		return NULL;
	return "2.0";
}

/* The rater of a record's ratings: its id prefix, lowercased
 * ("GHSA-..." -> "ghsa", "PYSEC-..." -> "pysec"). */
static void rater_of(const char *id, char *out, size_t size)
{
	size_t n = strcspn(id, "-");

	if (!n || lower_into(out, size, id, n))
		snprintf(out, size, "osv");
}

static int emit_affected(const json_t *aff, size_t idx, const char *id,
			 const char *severity, const char *where,
			 const char *data_source,
			 const struct drydock_feed_sink *sink,
			 struct drydock_err *err)
{
	const json_t *pkg = json_object_get(aff, "package");
	const char *eco = drydock_json_str(pkg, "ecosystem");
	const char *pname = drydock_json_str(pkg, "name");
	const json_t *ranges = json_object_get(aff, "ranges");
	const json_t *versions = json_object_get(aff, "versions");
	const char *vtype, *fixed = NULL, *first_type = NULL, *sev;
	json_t *out, *oranges, *r;
	struct drydock_advisory a;
	char ns[160];
	char *compact;
	size_t i, nranges = 0;
	int rc;

	if (!eco || !*eco || !pname || !*pname)
		return 0; /* nothing to match (e.g. a GIT-only entry) */
	if (map_ecosystem(eco, ns, sizeof(ns), &vtype))
		return drydock_err_set(err, DRYDOCK_ECORRUPT,
				       "%s: affected[%zu]: ecosystem '%.64s' "
				       "not understood",
				       where, idx, eco);
	out = json_object();
	oranges = json_array();
	if (!out || !oranges || json_object_set_new(out, "ranges", oranges)) {
		json_decref(out);
		return drydock_err_set(err, DRYDOCK_ENOMEM, "out of memory");
	}
	if (ranges && !json_is_array(ranges)) {
		json_decref(out);
		return drydock_err_set(err, DRYDOCK_ECORRUPT,
				       "%s: affected[%zu].ranges: not an array",
				       where, idx);
	}
	json_array_foreach(ranges, i, r)
	{
		const char *type = drydock_json_str(r, "type");
		json_t *events = json_object_get(r, "events"), *o, *ev;
		size_t j;

		if (!type || !json_is_array(events)) {
			json_decref(out);
			return drydock_err_set(err, DRYDOCK_ECORRUPT,
					       "%s: affected[%zu].ranges[%zu]: "
					       "type or events missing",
					       where, idx, i);
		}
		if (!strcmp(type, "GIT"))
			continue; /* commits: not matched against packages */
		if (!first_type)
			first_type = type;
		json_array_foreach(events, j, ev)
		{
			const char *f = drydock_json_str(ev, "fixed");

			if (f && *f && !fixed)
				fixed = f;
		}
		o = json_pack("{s:s,s:O}", "type", type, "events", events);
		if (!o || json_array_append_new(oranges, o)) {
			json_decref(out);
			return drydock_err_set(err, DRYDOCK_ENOMEM,
					       "out of memory");
		}
		nranges++;
	}
	if (versions && !json_is_array(versions)) {
		json_decref(out);
		return drydock_err_set(err, DRYDOCK_ECORRUPT,
				       "%s: affected[%zu].versions: not an "
				       "array",
				       where, idx);
	}
	if (!nranges && !json_array_size(versions)) {
		json_decref(out);
		return 0; /* only GIT ranges: nothing to match a version to */
	}
	if (json_object_set_new(out, "versions",
				versions ? json_incref((json_t *)versions)
					 : json_array())) {
		json_decref(out);
		return drydock_err_set(err, DRYDOCK_ENOMEM, "out of memory");
	}
	compact = json_dumps(out, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(out);
	if (!compact)
		return drydock_err_set(err, DRYDOCK_ENOMEM, "out of memory");
	if (!vtype)
		vtype = first_type && !strcmp(first_type, "SEMVER")
				? "semver"
				: "ecosystem";
	/* a package's own severity overrides the record's */
	sev = drydock_feed_severity(drydock_json_str(
		json_object_get(aff, "ecosystem_specific"), "severity"));
	memset(&a, 0, sizeof(a));
	a.namespace_ = ns;
	a.package = pname;
	a.vuln_id = id;
	a.status = fixed ? DRYDOCK_STATUS_FIXED : DRYDOCK_STATUS_AFFECTED;
	a.version_type = vtype;
	a.fixed_version = fixed;
	a.ranges = compact;
	a.severity = sev ? sev : severity;
	a.advisory_id = id;
	a.data_source = data_source;
	rc = sink->advisory(sink->payload, &a);
	free(compact);
	return rc;
}

int drydock_osv_record(const json_t *rec, const char *where,
		       const char *data_source,
		       const struct drydock_feed_sink *sink,
		       struct drydock_err *err)
{
	const char *id, *severity = NULL;
	const char **aliases = NULL, **refs = NULL;
	struct drydock_cvss cvss[MAX_CVSS];
	char rater[32];
	struct drydock_vuln v;
	const json_t *sevs, *affected, *e, *rl;
	size_t i, n = 0, nref = 0, ncvss = 0;
	int rc = 0;

	if (!json_is_object(rec))
		return drydock_err_set(err, DRYDOCK_ECORRUPT,
				       "%s: not an OSV record (not an object)",
				       where);
	id = drydock_json_str(rec, "id");
	if (!id || !*id)
		return drydock_err_set(err, DRYDOCK_ECORRUPT,
				       "%s: not an OSV record ('id' missing "
				       "or not a string)",
				       where);
	if (strlen(id) > 256)
		return drydock_err_set(err, DRYDOCK_ECORRUPT,
				       "%s: id longer than 256 bytes", where);
	/* A withdrawn record was retracted by its publisher: none of its
	 * statements hold any more. */
	if (json_object_get(rec, "withdrawn") &&
	    !json_is_null(json_object_get(rec, "withdrawn")))
		return 0;
	rater_of(id, rater, sizeof(rater));

	aliases = calloc(DRYDOCK_MAX_FEED_LIST_ITEMS + 1, sizeof(*aliases));
	refs = calloc(DRYDOCK_MAX_FEED_LIST_ITEMS + 1, sizeof(*refs));
	if (!aliases || !refs) {
		rc = drydock_err_set(err, DRYDOCK_ENOMEM, "out of memory");
		goto out;
	}
	if (add_strings(json_object_get(rec, "aliases"), aliases, &n,
			DRYDOCK_MAX_FEED_LIST_ITEMS) ||
	    add_strings(json_object_get(rec, "upstream"), aliases, &n,
			DRYDOCK_MAX_FEED_LIST_ITEMS)) {
		rc = drydock_err_set(err, DRYDOCK_ELIMIT,
				     "%s: more than %u aliases", where,
				     DRYDOCK_MAX_FEED_LIST_ITEMS);
		goto out;
	}
	rl = json_object_get(rec, "references");
	json_array_foreach(rl, i, e)
	{
		const char *url = drydock_json_str(e, "url");

		if (!url || !*url)
			continue;
		if (nref >= DRYDOCK_MAX_FEED_LIST_ITEMS) {
			rc = drydock_err_set(err, DRYDOCK_ELIMIT,
					     "%s: more than %u references",
					     where,
					     DRYDOCK_MAX_FEED_LIST_ITEMS);
			goto out;
		}
		refs[nref++] = url;
	}
	sevs = json_object_get(rec, "severity");
	json_array_foreach(sevs, i, e)
	{
		const char *type = drydock_json_str(e, "type");
		const char *score = drydock_json_str(e, "score");

		if (!type || !score)
			continue;
		if (!strncmp(type, "CVSS_V", 6) && ncvss < MAX_CVSS) {
			struct drydock_cvss *c = &cvss[ncvss];

			c->version = cvss_version(score);
			if (!c->version)
				continue;
			c->source = rater;
			c->vector = score;
			c->score = c->version[0] == '3'
					   ? drydock_cvss3_base_score(score)
					   : -1;
			c->severity = drydock_cvss_rating(c->score);
			ncvss++;
		} else if (!strcmp(type, "Ubuntu") && !severity) {
			severity = drydock_feed_severity(score);
		}
	}
	if (!severity)
		severity = drydock_feed_severity(drydock_json_str(
			json_object_get(rec, "database_specific"), "severity"));

	memset(&v, 0, sizeof(v));
	v.id = id;
	v.aliases = n ? aliases : NULL;
	v.title = drydock_json_str(rec, "summary");
	v.description = drydock_json_str(rec, "details");
	v.published = drydock_json_str(rec, "published");
	v.modified = drydock_json_str(rec, "modified");
	v.references = nref ? refs : NULL;
	v.cvss = ncvss ? cvss : NULL;
	v.ncvss = ncvss;
	v.data_source = data_source;
	rc = sink->vuln(sink->payload, &v);
	if (rc)
		goto out;

	affected = json_object_get(rec, "affected");
	if (affected && !json_is_array(affected)) {
		rc = drydock_err_set(err, DRYDOCK_ECORRUPT,
				     "%s: affected: not an array", where);
		goto out;
	}
	json_array_foreach(affected, i, e)
	{
		rc = emit_affected(e, i, id, severity, where, data_source, sink,
				   err);
		if (rc)
			break;
	}
out:
	free(aliases);
	free(refs);
	return rc;
}

static int parse(const char *data, size_t len, const char *name,
		 const struct drydock_feed_sink *sink, struct drydock_err *err)
{
	json_t *doc, *list = NULL, *rec;
	char where[512];
	size_t i;
	int rc = 0;

	doc = drydock_json_load(data, len, DRYDOCK_MAX_FEED_JSON_BYTES, name,
				err);
	if (!doc)
		return err ? err->code : DRYDOCK_ECORRUPT;
	if (json_is_array(doc))
		list = doc;
	else if (json_is_object(doc) && !json_object_get(doc, "id") &&
		 json_is_array(json_object_get(doc, "vulns")))
		list = json_object_get(doc, "vulns");
	if (!list) {
		snprintf(where, sizeof(where), "'%s'", name);
		rc = drydock_osv_record(doc, where, "osv", sink, err);
	} else {
		json_array_foreach(list, i, rec)
		{
			snprintf(where, sizeof(where), "'%s': record %zu", name,
				 i);
			rc = drydock_osv_record(rec, where, "osv", sink, err);
			if (rc)
				break;
		}
	}
	json_decref(doc);
	return rc;
}

static int detect(const char *head, size_t len, const char *path)
{
	size_t i = 0;
	int score = 0;

	(void)path;
	while (i < len && isspace((unsigned char)head[i]))
		i++;
	if (i == len || (head[i] != '{' && head[i] != '['))
		return 0;
	if (!memmem(head, len, "\"id\"", 4))
		return 0;
	if (memmem(head, len, "\"modified\"", 10))
		score += 40;
	if (memmem(head, len, "\"affected\"", 10))
		score += 30;
	if (memmem(head, len, "\"schema_version\"", 16) ||
	    memmem(head, len, "\"aliases\"", 9) ||
	    memmem(head, len, "\"details\"", 9) ||
	    memmem(head, len, "\"summary\"", 9))
		score += 15;
	/* other formats with an "id" and "modified": not OSV */
	if (memmem(head, len, "\"product_tree\"", 14) ||
	    memmem(head, len, "\"CVE_Items\"", 11))
		return 0;
	return score < 40 ? 0 : score;
}

const struct drydock_importer drydock_importer_osv = {
	"osv",
	"OSV records, JSON (osv.dev, GHSA, Go, Ubuntu, AlmaLinux, Rocky ...)",
	detect,
	parse,
	NULL,
};
