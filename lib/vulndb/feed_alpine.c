#include "../util/setup.h"

#include <jansson.h>
#include <stdio.h>

#include "drydock/error.h"
#include "drydock/feed.h"
#include "drydock/json.h"
#include "drydock/limits.h"

/*
 * Alpine secdb JSON (secdb.alpinelinux.org/<release>/<repo>.json):
 *
 *   {"distroversion": "v3.20", "reponame": "main", ...,
 *    "packages": [{"pkg": {"name": "openssl",
 *                          "secfixes": {"3.3.2-r0": ["CVE-2024-6119"],
 *                                       "0": ["CVE-2022-1234"]}}}]}
 *
 * name is the origin (source) package. Each string of a secfixes list is
 * one advisory: the package is fixed in that version, or, under "0", not
 * affected at all. A string may carry several ids ("CVE-2018-15470
 * XSA-272") and a comment in parentheses ("CVE-2018-16451 (SMB)"): the
 * advisory's id is its CVE (else its first id) and the other ids become
 * aliases of it in a vulnerability record. secdb lists fixed issues only:
 * there are no unfixed ("affected") records.
 */

#define MAX_IDS 16

/* "v3.20" -> "alpine:3.20", "edge" -> "alpine:edge" */
static int make_namespace(const char *dv, char *out, size_t size)
{
	const char *p = dv;
	size_t i;

	if (*p == 'v')
		p++;
	if (!*p || strlen(p) > 32)
		return -1;
	for (i = 0; p[i]; i++)
		if (!((p[i] >= '0' && p[i] <= '9') || p[i] == '.' ||
		      (p[i] >= 'a' && p[i] <= 'z')))
			return -1;
	if (p == dv && strcmp(p, "edge"))
		return -1; /* a release without 'v' must be edge */
	snprintf(out, size, "alpine:%s", p);
	return 0;
}

/*
 * Split one secfixes string into ids (into buf, NUL-separated), dropping
 * parenthesised comments. Returns the number of ids.
 */
static size_t split_ids(const char *s, char *buf, size_t bufsize,
			const char **ids)
{
	size_t n = 0, o = 0;
	int paren = 0;

	while (*s && n < MAX_IDS) {
		size_t start;

		while (*s == ' ' || *s == '\t' || *s == ',' || *s == ';')
			s++;
		if (!*s)
			break;
		if (*s == '(' || paren) {
			/* skip to the closing parenthesis */
			while (*s && *s != ')')
				s++;
			if (*s)
				s++;
			paren = 0;
			continue;
		}
		start = o;
		while (*s && *s != ' ' && *s != '\t' && *s != ',' &&
		       *s != ';' && *s != '(' && o + 1 < bufsize)
			buf[o++] = *s++;
		if (o == start)
			break;
		buf[o++] = '\0';
		ids[n++] = buf + start;
	}
	return n;
}

static int parse(const char *data, size_t len, const char *name,
		 const struct drydock_feed_sink *sink, struct drydock_err *err)
{
	json_t *doc, *pkgs, *p;
	const char *dv;
	char ns[48];
	size_t i;
	int rc = 0;

	doc = drydock_json_load(data, len, DRYDOCK_MAX_FEED_JSON_BYTES, name,
				err);
	if (!doc)
		return err ? err->code : DRYDOCK_ECORRUPT;
	if (!json_is_object(doc)) {
		json_decref(doc);
		return drydock_err_set(
			err, DRYDOCK_ECORRUPT,
			"'%s': not an Alpine secdb document (not "
			"a JSON object)",
			name);
	}
	dv = drydock_json_str(doc, "distroversion");
	if (!dv || make_namespace(dv, ns, sizeof(ns))) {
		json_decref(doc);
		return drydock_err_set(err, DRYDOCK_ECORRUPT,
				       "'%s': distroversion: %s", name,
				       dv ? "not an Alpine release ('v3.20' or "
					    "'edge')"
					  : "missing");
	}
	pkgs = json_object_get(doc, "packages");
	if (!json_is_array(pkgs)) {
		json_decref(doc);
		return drydock_err_set(
			err, DRYDOCK_ECORRUPT,
			"'%s': packages: missing or not an array", name);
	}
	json_array_foreach(pkgs, i, p)
	{
		json_t *pkg = json_object_get(p, "pkg");
		json_t *fixes, *ids;
		const char *pname, *ver;

		pname = drydock_json_str(pkg, "name");
		if (!pname || !*pname) {
			rc = drydock_err_set(err, DRYDOCK_ECORRUPT,
					     "'%s': packages[%zu].pkg.name: "
					     "missing or not a string",
					     name, i);
			break;
		}
		fixes = json_object_get(pkg, "secfixes");
		if (!fixes)
			continue;
		if (!json_is_object(fixes)) {
			rc = drydock_err_set(err, DRYDOCK_ECORRUPT,
					     "'%s': packages[%zu] ('%s'): "
					     "secfixes: not an object",
					     name, i, pname);
			break;
		}
		json_object_foreach(fixes, ver, ids)
		{
			json_t *idv;
			size_t j;

			if (!json_is_array(ids)) {
				rc = drydock_err_set(
					err, DRYDOCK_ECORRUPT,
					"'%s': packages[%zu] ('%s'): secfixes "
					"'%s': not an array",
					name, i, pname, ver);
				break;
			}
			if (!*ver || strlen(ver) > DRYDOCK_MAX_VERSION_LEN) {
				rc = drydock_err_set(
					err, DRYDOCK_ECORRUPT,
					"'%s': packages[%zu] ('%s'): bad "
					"version '%.64s'",
					name, i, pname, ver);
				break;
			}
			json_array_foreach(ids, j, idv)
			{
				char buf[1024];
				const char *idl[MAX_IDS + 1];
				const char *primary = NULL;
				struct drydock_advisory a;
				size_t k, nid;

				if (!json_is_string(idv)) {
					rc = drydock_err_set(
						err, DRYDOCK_ECORRUPT,
						"'%s': packages[%zu] ('%s'): "
						"secfixes '%s'[%zu]: not a "
						"string",
						name, i, pname, ver, j);
					break;
				}
				nid = split_ids(json_string_value(idv), buf,
						sizeof(buf), idl);
				if (!nid) {
					rc = drydock_err_set(
						err, DRYDOCK_ECORRUPT,
						"'%s': packages[%zu] ('%s'): "
						"secfixes '%s'[%zu]: no id",
						name, i, pname, ver, j);
					break;
				}
				for (k = 0; k < nid && !primary; k++)
					if (!strncmp(idl[k], "CVE-", 4))
						primary = idl[k];
				if (!primary)
					primary = idl[0];
				memset(&a, 0, sizeof(a));
				a.namespace_ = ns;
				a.package = pname;
				a.vuln_id = primary;
				a.version_type = "apk";
				a.data_source = "alpine-secdb";
				if (!strcmp(ver, "0")) {
					a.status = DRYDOCK_STATUS_NOT_AFFECTED;
				} else {
					a.status = DRYDOCK_STATUS_FIXED;
					a.fixed_version = ver;
				}
				rc = sink->advisory(sink->payload, &a);
				if (!rc && nid > 1) {
					struct drydock_vuln v;

					memset(&v, 0, sizeof(v));
					idl[nid] = NULL;
					v.id = primary;
					v.aliases = idl;
					v.data_source = "alpine-secdb";
					rc = sink->vuln(sink->payload, &v);
				}
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

	(void)path;
	if (!memmem(head, len, "\"distroversion\"", 15))
		return 0;
	if (memmem(head, len, "\"packages\"", 10))
		score += 45;
	if (memmem(head, len, "\"secfixes\"", 10))
		score += 40;
	if (memmem(head, len, "\"apkurl\"", 8) ||
	    memmem(head, len, "\"reponame\"", 10))
		score += 10;
	return score;
}

const struct drydock_importer drydock_importer_alpine_secdb = {
	"alpine-secdb",
	"Alpine secdb JSON (secdb.alpinelinux.org/<release>/<repo>.json)",
	detect,
	parse,
	NULL,
};
