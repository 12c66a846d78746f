#include "../util/setup.h"

#include <jansson.h>
#include <stdio.h>

#include "drydock/error.h"
#include "drydock/feed.h"
#include "drydock/json.h"
#include "drydock/limits.h"
#include "debian-releases.h"

/*
 * The Debian security tracker's JSON
 * (https://security-tracker.debian.org/tracker/data/json):
 *
 *   {"<source package>": {"<CVE-... or TEMP-...>": {
 *       "description": "...", "scope": "remote", "debianbug": 123,
 *       "releases": {"<codename>": {"status": "resolved",
 *           "repositories": {"bookworm": "1.2-3"},
 *           "fixed_version": "1.2-1", "urgency": "low**",
 *           "nodsa": "...", "nodsa_reason": "postponed"}}}}}
 *
 * Status mapping (docs/vulndb.md; ANCHORS correctness rule 5):
 *   resolved, fixed_version "0"        -> not_affected
 *   resolved, fixed_version V          -> fixed, V
 *   resolved, no fixed_version         -> not_affected (nothing to
 *                                         upgrade to: no version is hit)
 *   open, urgency "end-of-life"        -> end_of_life
 *   open, nodsa_reason "ignored"       -> will_not_fix
 *   open, nodsa_reason "postponed"     -> fix_deferred
 *   open (unfixed, or no-dsa without a reason: a fix may come in a
 *         point release)               -> affected
 *   undetermined                       -> affected (the tracker has not
 *         decided; reporting it is the safe side, the matcher may hide
 *         it)
 * Releases whose codename we do not know (experimental) are skipped.
 * urgency gives the severity: "unimportant" -> negligible, "low",
 * "medium", "high" (a trailing "*" or "**", meaning "guessed", is
 * dropped), anything else -> unknown.
 */

static const char *severity_of(const char *urgency, char *buf, size_t size)
{
	size_t n;

	if (!urgency)
		return NULL;
	n = strcspn(urgency, "*");
	if (n >= size)
		return "unknown";
	memcpy(buf, urgency, n);
	buf[n] = '\0';
	if (!strcmp(buf, "unimportant"))
		return "negligible";
	if (!strcmp(buf, "low") || !strcmp(buf, "medium") ||
	    !strcmp(buf, "high"))
		return buf;
	return "unknown";
}

static int release_entry(const char *name, const char *pkg, const char *id,
			 const char *codename, json_t *e,
			 const struct drydock_feed_sink *sink,
			 struct drydock_err *err)
{
	struct drydock_advisory a;
	const char *status, *fixed, *urgency, *reason;
	char sev[32];

	if (!json_is_object(e))
		return drydock_err_set(err, DRYDOCK_ECORRUPT,
				       "'%s': '%s' '%s' release '%s': not an "
				       "object",
				       name, pkg, id, codename);
	memset(&a, 0, sizeof(a));
	a.namespace_ = debian_namespace(codename);
	if (!a.namespace_)
		return 0;
	status = drydock_json_str(e, "status");
	fixed = drydock_json_str(e, "fixed_version");
	urgency = drydock_json_str(e, "urgency");
	reason = drydock_json_str(e, "nodsa_reason");
	if (!status)
		return drydock_err_set(err, DRYDOCK_ECORRUPT,
				       "'%s': '%s' '%s' release '%s': status "
				       "missing or not a string",
				       name, pkg, id, codename);
	if (fixed && strlen(fixed) > DRYDOCK_MAX_VERSION_LEN)
		return drydock_err_set(err, DRYDOCK_ECORRUPT,
				       "'%s': '%s' '%s' release '%s': "
				       "fixed_version too long",
				       name, pkg, id, codename);
	if (!strcmp(status, "resolved")) {
		if (fixed && *fixed && strcmp(fixed, "0")) {
			a.status = DRYDOCK_STATUS_FIXED;
			a.fixed_version = fixed;
		} else {
			a.status = DRYDOCK_STATUS_NOT_AFFECTED;
		}
	} else if (!strcmp(status, "open")) {
		if (urgency && !strcmp(urgency, "end-of-life"))
			a.status = DRYDOCK_STATUS_END_OF_LIFE;
		else if (reason && !strcmp(reason, "ignored"))
			a.status = DRYDOCK_STATUS_WILL_NOT_FIX;
		else if (reason && !strcmp(reason, "postponed"))
			a.status = DRYDOCK_STATUS_FIX_DEFERRED;
		else
			a.status = DRYDOCK_STATUS_AFFECTED;
	} else if (!strcmp(status, "undetermined")) {
		a.status = DRYDOCK_STATUS_AFFECTED;
	} else {
		return drydock_err_set(err, DRYDOCK_ECORRUPT,
				       "'%s': '%s' '%s' release '%s': unknown "
				       "status '%.40s'",
				       name, pkg, id, codename, status);
	}
	a.package = pkg;
	a.vuln_id = id;
	a.version_type = "deb";
	a.severity = severity_of(urgency, sev, sizeof(sev));
	a.data_source = "debian-tracker";
	return sink->advisory(sink->payload, &a);
}

static int parse(const char *data, size_t len, const char *name,
		 const struct drydock_feed_sink *sink, struct drydock_err *err)
{
	json_t *doc, *cves, *v;
	const char *pkg, *id;
	int rc = 0;

	doc = drydock_json_load(data, len, DRYDOCK_MAX_FEED_JSON_BYTES, name,
				err);
	if (!doc)
		return err ? err->code : DRYDOCK_ECORRUPT;
	if (!json_is_object(doc)) {
		json_decref(doc);
		return drydock_err_set(err, DRYDOCK_ECORRUPT,
				       "'%s': not a Debian tracker document "
				       "(not a JSON object)",
				       name);
	}
	json_object_foreach(doc, pkg, cves)
	{
		if (!json_is_object(cves)) {
			rc = drydock_err_set(
				err, DRYDOCK_ECORRUPT,
				"'%s': package '%s': not an object", name, pkg);
			break;
		}
		json_object_foreach(cves, id, v)
		{
			json_t *rels, *e;
			const char *codename, *desc;

			if (!json_is_object(v)) {
				rc = drydock_err_set(err, DRYDOCK_ECORRUPT,
						     "'%s': '%s' '%s': not an "
						     "object",
						     name, pkg, id);
				break;
			}
			desc = drydock_json_str(v, "description");
			if (desc || !strncmp(id, "CVE-", 4)) {
				struct drydock_vuln vu;

				memset(&vu, 0, sizeof(vu));
				vu.id = id;
				vu.description = desc;
				vu.data_source = "debian-tracker";
				rc = sink->vuln(sink->payload, &vu);
				if (rc)
					break;
			}
			rels = json_object_get(v, "releases");
			/* the tracker writes an empty object as [] */
			if (!rels ||
			    (json_is_array(rels) && json_array_size(rels) == 0))
				continue;
			if (!json_is_object(rels)) {
				rc = drydock_err_set(
					err, DRYDOCK_ECORRUPT,
					"'%s': '%s' '%s': releases: "
					"not an object",
					name, pkg, id);
				break;
			}
			json_object_foreach(rels, codename, e)
			{
				rc = release_entry(name, pkg, id, codename, e,
						   sink, err);
				if (rc)
					break;
			}
			if (rc)
				break;
		}
		if (rc)
			break;
	}
	json_decref(doc);
	return rc;
}

static int detect(const char *head, size_t len, const char *path)
{
	int score = 0;
	size_t i = 0;

	(void)path;
	if (!head)
		return 0;
	while (i < len && (head[i] == ' ' || head[i] == '\t' ||
			   head[i] == '\r' || head[i] == '\n'))
		i++;
	if (i >= len || head[i] != '{')
		return 0;
	if (!memmem(head, len, "\"releases\"", 10))
		return 0;
	if (memmem(head, len, "\"CVE-", 5) || memmem(head, len, "\"TEMP-", 6))
		score += 30;
	if (memmem(head, len, "\"urgency\"", 9))
		score += 30;
	if (memmem(head, len, "\"repositories\"", 14))
		score += 20;
	if (memmem(head, len, "\"status\"", 8))
		score += 10;
	return score;
}

const struct drydock_importer drydock_importer_debian_tracker = {
	"debian-tracker",
	"Debian security tracker JSON (security-tracker.debian.org/tracker/"
	"data/json)",
	detect,
	parse,
	NULL,
};
