#include "../util/setup.h"

#include <stdio.h>
#include <strings.h>

#include <jansson.h>

#include "drydock/error.h"
#include "drydock/json.h"
#include "drydock/limits.h"
#include "drydock/report.h"

/*
 * Reading an SBOM back into an inventory: CycloneDX JSON, SPDX 2.x JSON
 * and drydock.sbom/v1. The purl is the authority for type, name, version,
 * epoch and arch; properties (drydock's, then Trivy's, then Syft's) add
 * what a purl does not carry. docs/sbom.md describes the mapping.
 */

#define MAX_PROPS 64

/* A component's properties as name/value pairs (owned copies). */
struct props {
	size_t n;
	char *k[MAX_PROPS];
	char *v[MAX_PROPS];
};

struct rd {
	struct drydock_inventory *inv;
	struct drydock_sbom_info *info;
	const char *name;
	struct drydock_err *err;
	size_t visited;
	int have_os;
	/* the image's layer diff IDs in order, to give packages an index */
	const char *layers[DRYDOCK_MAX_LAYERS];
	size_t nlayers;
};

static void props_free(struct props *p)
{
	size_t i;

	for (i = 0; i < p->n; i++) {
		free(p->k[i]);
		free(p->v[i]);
	}
	p->n = 0;
}

/* Add a pair; extra pairs past MAX_PROPS are dropped (none of ours or
 * the peers' interesting ones come that late). Returns -1 on OOM. */
static int props_add(struct props *p, const char *k, size_t klen, const char *v)
{
	if (p->n == MAX_PROPS)
		return 0;
	p->k[p->n] = strndup(k, klen);
	p->v[p->n] = strdup(v);
	if (!p->k[p->n] || !p->v[p->n]) {
		free(p->k[p->n]);
		free(p->v[p->n]);
		return -1;
	}
	p->n++;
	return 0;
}

static const char *prop(const struct props *p, const char *k)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if (!strcmp(p->k[i], k))
			return p->v[i];
	return NULL;
}

static int oom(struct rd *r)
{
	return drydock_err_set(r->err, DRYDOCK_ENOMEM,
			       "'%s': out of memory reading the SBOM", r->name);
}

static int count(struct rd *r)
{
	if (++r->visited > DRYDOCK_MAX_SBOM_COMPONENTS)
		return drydock_err_set(r->err, DRYDOCK_ELIMIT,
				       "'%s': more than %d components", r->name,
				       DRYDOCK_MAX_SBOM_COMPONENTS);
	return 0;
}

static void copy_field(char *dst, size_t n, const char *s)
{
	snprintf(dst, n, "%s", s ? s : "");
}

static void lowercase(char *s)
{
	for (; *s; s++)
		if (*s >= 'A' && *s <= 'Z')
			*s = (char)(*s - 'A' + 'a');
}

/* Set the OS from a purl's distro qualifier ("debian-12", "alpine-3.20.3",
 * "opensuse-leap-15.5": the family is what precedes the last '-' that a
 * digit follows) when the document named no OS component. */
static const char *family_from_namespace(const char *ns)
{
	static const struct {
		const char *ns, *family;
	} map[] = {{"redhat", "rhel"},
		   {"amazon", "amzn"},
		   {"oracle", "ol"},
		   {"suse", "sles"},
		   {"opensuse", "opensuse-leap"}};
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (!strcmp(ns, map[i].ns))
			return map[i].family;
	return ns;
}

static void os_from_purl(struct rd *r, const struct drydock_purl *pu)
{
	struct drydock_os *os = &r->inv->os;
	const char *d = drydock_purl_qualifier(pu, "distro"), *cut = NULL, *p;

	if (r->have_os || os->family[0])
		return;
	if (d) {
		for (p = d; *p; p++)
			if (*p == '-' && p[1] >= '0' && p[1] <= '9')
				cut = p;
	}
	if (cut) {
		snprintf(os->family, sizeof(os->family), "%.*s", (int)(cut - d),
			 d);
		copy_field(os->version, sizeof(os->version), cut + 1);
	} else {
		copy_field(os->family, sizeof(os->family),
			   pu->namespace ? family_from_namespace(pu->namespace)
					 : "");
		if (d)
			copy_field(os->codename, sizeof(os->codename), d);
	}
	lowercase(os->family);
	copy_field(os->source, sizeof(os->source), "sbom");
}

static int set_str(struct rd *r, char **dst, const char *s)
{
	if (!s || !*s)
		return 0;
	free(*dst);
	*dst = strdup(s);
	return *dst ? 0 : oom(r);
}

static int set_strn(struct rd *r, char **dst, const char *s, size_t n)
{
	free(*dst);
	*dst = strndup(s, n);
	return *dst ? 0 : oom(r);
}

static int parse_long(const char *s, long *out)
{
	long v = 0;

	if (!s || !*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || v > 100000000L)
			return -1;
		v = v * 10 + (*s - '0');
	}
	*out = v;
	return 0;
}

static int layer_index(const struct rd *r, const char *diff_id)
{
	size_t i;

	for (i = 0; diff_id && i < r->nlayers; i++)
		if (!strcmp(r->layers[i], diff_id))
			return (int)i;
	return -1;
}

/* Source package from the properties of drydock, Trivy or Syft, an SPDX
 * sourceInfo ("built package from: NAME VERSION") or a purl "upstream"
 * qualifier; then the inventory's defaults (the binary's own). */
static int set_source(struct rd *r, struct drydock_pkg *p,
		      const struct props *pr, const struct drydock_purl *pu,
		      const char *source_info)
{
	const char *n = prop(pr, "drydock:src_name");
	const char *v = prop(pr, "drydock:src_version");
	char buf[3 * DRYDOCK_MAX_VERSION_LEN];
	int e = 0;

	if (!n && (n = prop(pr, "aquasecurity:trivy:SrcName"))) {
		const char *tv = prop(pr, "aquasecurity:trivy:SrcVersion");
		const char *tr = prop(pr, "aquasecurity:trivy:SrcRelease");
		const char *te = prop(pr, "aquasecurity:trivy:SrcEpoch");

		/* Trivy splits the source version; the rpm epoch stays
		 * out of src_version as in drydock's inventory */
		if (tv) {
			snprintf(buf, sizeof(buf), "%s%s%s%s%s",
				 te && p->type == DRYDOCK_PKG_DEB &&
						 strcmp(te, "0")
					 ? te
					 : "",
				 te && p->type == DRYDOCK_PKG_DEB &&
						 strcmp(te, "0")
					 ? ":"
					 : "",
				 tv, tr && *tr ? "-" : "", tr ? tr : "");
			v = buf;
		}
	}
	if (!n && (n = prop(pr, "syft:metadata:source")))
		v = prop(pr, "syft:metadata:sourceVersion");
	if (!n && source_info &&
	    !strncmp(source_info, "built package from: ", 20)) {
		const char *s = source_info + 20, *sp = strchr(s, ' ');

		if (sp && sp > s) {
			e = set_strn(r, &p->src_name, s, (size_t)(sp - s));
			if (!e && sp[1])
				e = set_str(r, &p->src_version, sp + 1);
		} else if (*s) {
			e = set_str(r, &p->src_name, s);
		}
		if (e)
			return e;
	}
	if (!n && !p->src_name && drydock_purl_qualifier(pu, "upstream")) {
		const char *u = drydock_purl_qualifier(pu, "upstream");
		const char *at = strchr(u, '@');

		if (at && at > u) {
			e = set_strn(r, &p->src_name, u, (size_t)(at - u));
			if (!e)
				e = set_str(r, &p->src_version, at + 1);
		} else {
			e = set_str(r, &p->src_name, u);
		}
		if (e)
			return e;
	}
	if (n && (e = set_str(r, &p->src_name, n)))
		return e;
	if (v && (e = set_str(r, &p->src_version, v)))
		return e;
	if ((e = set_str(r, &p->src_rpm, prop(pr, "drydock:src_rpm"))))
		return e;
	if (!p->src_name && (e = set_str(r, &p->src_name, p->name)))
		return e;
	if (!p->src_version && p->type != DRYDOCK_PKG_APK &&
	    (e = set_str(r, &p->src_version, p->version)))
		return e;
	return 0;
}

/* Whether a purl claims type deb, apk or rpm ("pkg:", any slashes, the
 * type, '/'). Other purls are skipped without parsing: a malformed
 * language-package purl from another tool must not fail the document. */
static int os_purl(const char *s)
{
	static const char *const types[] = {"deb/", "apk/", "rpm/"};
	size_t i;

	if (strncasecmp(s, "pkg:", 4))
		return 1; /* not a purl at all: let the parser say so */
	s += 4;
	while (*s == '/')
		s++;
	for (i = 0; i < 3; i++)
		if (!strncasecmp(s, types[i], 4))
			return 1;
	return 0;
}

/*
 * Add one package from its purl. Non-OS purls (npm, pypi, ...) and
 * components without a purl are counted in info->skipped.
 */
static int add_package(struct rd *r, const char *purl, const struct props *pr,
		       const char *license, const char *maintainer,
		       const char *source_info)
{
	struct drydock_purl pu;
	struct drydock_pkg *p;
	enum drydock_pkg_type t;
	char vbuf[2 * DRYDOCK_MAX_VERSION_LEN + 40];
	const char *ver, *q, *dash;
	long epoch = -1;
	int e;

	if (!purl || !os_purl(purl)) {
		r->info->skipped++;
		return 0;
	}
	if (drydock_purl_parse(&pu, purl, r->err))
		return drydock_err_prefix(r->err, "'%s'", r->name);
	if (!strcmp(pu.type, "deb"))
		t = DRYDOCK_PKG_DEB;
	else if (!strcmp(pu.type, "apk"))
		t = DRYDOCK_PKG_APK;
	else if (!strcmp(pu.type, "rpm"))
		t = DRYDOCK_PKG_RPM;
	else {
		drydock_purl_free(&pu);
		r->info->skipped++;
		return 0;
	}
	ver = pu.version ? pu.version : "";
	if (strlen(ver) > DRYDOCK_MAX_VERSION_LEN) {
		drydock_purl_free(&pu);
		return drydock_err_set(r->err, DRYDOCK_ELIMIT,
				       "'%s': version of '%.100s' longer than "
				       "%d bytes",
				       r->name, purl, DRYDOCK_MAX_VERSION_LEN);
	}
	p = drydock_inventory_add(r->inv, r->err);
	if (!p) {
		drydock_purl_free(&pu);
		return drydock_err_prefix(r->err, "'%s'", r->name);
	}
	p->type = t;
	p->epoch = -1;
	p->layer = -1;
	q = drydock_purl_qualifier(&pu, "epoch");
	if (q && parse_long(q, &epoch)) {
		e = drydock_err_set(r->err, DRYDOCK_ECORRUPT,
				    "'%s': purl '%.200s': bad epoch", r->name,
				    purl);
		goto out;
	}
	if (t == DRYDOCK_PKG_DEB && epoch >= 0 && !strchr(ver, ':')) {
		/* Trivy's form: epoch as a qualifier; drydock keeps the
		 * dpkg version whole, as the database writes it */
		snprintf(vbuf, sizeof(vbuf), "%ld:%s", epoch, ver);
		ver = vbuf;
	}
	if (t == DRYDOCK_PKG_RPM) {
		const char *c = strchr(ver, ':');

		if (c && !q) {
			char ebuf[32];

			snprintf(ebuf, sizeof(ebuf), "%.*s",
				 (int)((size_t)(c - ver) < 31 ? c - ver : 31),
				 ver);
			if (parse_long(ebuf, &epoch)) {
				e = drydock_err_set(
					r->err, DRYDOCK_ECORRUPT,
					"'%s': purl '%.200s': bad epoch",
					r->name, purl);
				goto out;
			}
		}
		if (c)
			ver = c + 1;
		if (parse_long(prop(pr, "drydock:epoch"), &p->epoch))
			p->epoch = epoch;
	}
	if ((e = set_str(r, &p->name, pu.name)) ||
	    (e = set_str(r, &p->version, ver)) ||
	    (e = set_str(r, &p->arch, drydock_purl_qualifier(&pu, "arch"))))
		goto out;
	if (t == DRYDOCK_PKG_RPM && (dash = strrchr(ver, '-'))) {
		if ((e = set_strn(r, &p->rpm_version, ver,
				  (size_t)(dash - ver))) ||
		    (e = set_str(r, &p->rpm_release, dash + 1)))
			goto out;
	} else if (t == DRYDOCK_PKG_RPM) {
		if ((e = set_str(r, &p->rpm_version, ver)))
			goto out;
	}
	if ((e = set_source(r, p, pr, &pu, source_info)))
		goto out;
	if ((e = set_str(r, &p->license, prop(pr, "drydock:license"))) ||
	    (!p->license && (e = set_str(r, &p->license, license))))
		goto out;
	if ((e = set_str(r, &p->maintainer, prop(pr, "drydock:maintainer"))) ||
	    (!p->maintainer && (e = set_str(r, &p->maintainer, maintainer))))
		goto out;
	q = prop(pr, "drydock:layer_diff_id");
	if (!q)
		q = prop(pr, "aquasecurity:trivy:LayerDiffID");
	if ((e = set_str(r, &p->layer_diff_id, q)))
		goto out;
	p->layer = layer_index(r, p->layer_diff_id);
	if ((e = set_str(r, &p->db_path, prop(pr, "drydock:db_path"))))
		goto out;
	os_from_purl(r, &pu);
out:
	drydock_purl_free(&pu);
	return e;
}

/* CycloneDX. */

static int cdx_props(struct rd *r, const json_t *comp, struct props *pr)
{
	const json_t *arr = json_object_get(comp, "properties"), *it;
	size_t i;

	json_array_foreach(arr, i, it)
	{
		const char *k = drydock_json_str(it, "name");
		const char *v = drydock_json_str(it, "value");

		if (k && v && props_add(pr, k, strlen(k), v))
			return oom(r);
	}
	return 0;
}

/* The licences of a component joined with " AND " into buf. */
static const char *cdx_license(const json_t *comp, char *buf, size_t n)
{
	const json_t *arr = json_object_get(comp, "licenses"), *it;
	size_t i, len = 0;

	buf[0] = '\0';
	json_array_foreach(arr, i, it)
	{
		const json_t *l = json_object_get(it, "license");
		const char *s = drydock_json_str(it, "expression");

		if (!s)
			s = drydock_json_str(l, "id");
		if (!s)
			s = drydock_json_str(l, "name");
		if (!s || len + strlen(s) + 6 >= n)
			continue;
		len += (size_t)snprintf(buf + len, n - len, "%s%s",
					len ? " AND " : "", s);
	}
	return buf[0] ? buf : NULL;
}

static int cdx_os(struct rd *r, const json_t *comp)
{
	struct drydock_os *os = &r->inv->os;
	struct props pr = {0};
	const char *v;
	int e;

	if (r->have_os)
		return 0;
	r->have_os = 1;
	memset(os, 0, sizeof(*os));
	copy_field(os->family, sizeof(os->family),
		   drydock_json_str(comp, "name"));
	lowercase(os->family);
	copy_field(os->version, sizeof(os->version),
		   drydock_json_str(comp, "version"));
	copy_field(os->pretty_name, sizeof(os->pretty_name),
		   drydock_json_str(comp, "description"));
	copy_field(os->source, sizeof(os->source), "sbom");
	e = cdx_props(r, comp, &pr);
	if ((v = prop(&pr, "drydock:os:codename")))
		copy_field(os->codename, sizeof(os->codename), v);
	if ((v = prop(&pr, "drydock:os:apk_branch")))
		copy_field(os->apk_branch, sizeof(os->apk_branch), v);
	props_free(&pr);
	return e;
}

static int cdx_components(struct rd *r, const json_t *arr, int depth)
{
	const json_t *c;
	size_t i;
	int e;

	if (depth > DRYDOCK_MAX_JSON_DEPTH)
		return drydock_err_set(r->err, DRYDOCK_ELIMIT,
				       "'%s': components nested too deep",
				       r->name);
	json_array_foreach(arr, i, c)
	{
		const char *type = drydock_json_str(c, "type");

		if (!json_is_object(c))
			return drydock_err_set(r->err, DRYDOCK_ECORRUPT,
					       "'%s': a component is not an "
					       "object",
					       r->name);
		if ((e = count(r)))
			return e;
		if (type && !strcmp(type, "operating-system")) {
			if ((e = cdx_os(r, c)))
				return e;
		} else {
			struct props pr = {0};
			char lic[1024];
			const json_t *sup = json_object_get(c, "supplier");
			const char *maint = drydock_json_str(c, "publisher");

			if (!maint)
				maint = drydock_json_str(sup, "name");
			e = cdx_props(r, c, &pr);
			if (!e)
				e = add_package(
					r, drydock_json_str(c, "purl"), &pr,
					cdx_license(c, lic, sizeof(lic)), maint,
					NULL);
			props_free(&pr);
			if (e)
				return e;
		}
		if ((e = cdx_components(r, json_object_get(c, "components"),
					depth + 1)))
			return e;
	}
	return 0;
}

static void set_digest(struct rd *r, const char *d)
{
	const char *at;

	if (!d)
		return;
	at = strrchr(d, '@'); /* Trivy's RepoDigest is "repo@sha256:..." */
	copy_field(r->info->digest, sizeof(r->info->digest), at ? at + 1 : d);
}

static int read_cdx(struct rd *r, const json_t *doc)
{
	const json_t *meta = json_object_get(doc, "metadata");
	const json_t *mc = json_object_get(meta, "component");
	const json_t *arr = json_object_get(mc, "properties"), *it;
	size_t i;

	r->info->format = "cyclonedx";
	copy_field(r->info->name, sizeof(r->info->name),
		   drydock_json_str(mc, "name"));
	json_array_foreach(arr, i, it)
	{
		const char *k = drydock_json_str(it, "name");
		const char *v = drydock_json_str(it, "value");

		if (!k || !v)
			continue;
		if ((!strcmp(k, "drydock:image:layer_diff_id") ||
		     !strcmp(k, "aquasecurity:trivy:DiffID")) &&
		    r->nlayers < DRYDOCK_MAX_LAYERS)
			r->layers[r->nlayers++] = v;
		else if (!strcmp(k, "drydock:image:digest") ||
			 (!r->info->digest[0] &&
			  !strcmp(k, "aquasecurity:trivy:RepoDigest")))
			set_digest(r, v);
	}
	if (json_is_object(mc) &&
	    !strcmp(drydock_json_str(mc, "type") ? drydock_json_str(mc, "type")
						 : "",
		    "operating-system")) {
		int e = cdx_os(r, mc);

		if (e)
			return e;
	}
	return cdx_components(r, json_object_get(doc, "components"), 0);
}

/* SPDX. */

static int spdx_props(struct rd *r, const json_t *pkg, struct props *pr)
{
	const json_t *arr = json_object_get(pkg, "annotations"), *it;
	size_t i;

	/* drydock's annotations: "NAME=VALUE" with NAME "drydock:..." */
	json_array_foreach(arr, i, it)
	{
		const char *c = drydock_json_str(it, "comment"), *eq;

		if (!c || strncmp(c, "drydock:", 8) || !(eq = strchr(c, '=')))
			continue;
		if (props_add(pr, c, (size_t)(eq - c), eq + 1))
			return oom(r);
	}
	/* Trivy's attributionTexts: "Key: value" */
	arr = json_object_get(pkg, "attributionTexts");
	json_array_foreach(arr, i, it)
	{
		const char *c = json_string_value(it), *sep;
		char key[128];

		if (!c || !(sep = strstr(c, ": ")) || sep - c > 64)
			continue;
		snprintf(key, sizeof(key), "aquasecurity:trivy:%.*s",
			 (int)(sep - c), c);
		if (props_add(pr, key, strlen(key), sep + 2))
			return oom(r);
	}
	return 0;
}

static const char *spdx_purl(const json_t *pkg)
{
	const json_t *arr = json_object_get(pkg, "externalRefs"), *it;
	size_t i;

	json_array_foreach(arr, i, it)
	{
		const char *t = drydock_json_str(it, "referenceType");

		if (t && !strcmp(t, "purl"))
			return drydock_json_str(it, "referenceLocator");
	}
	return NULL;
}

static const char *spdx_agent(const char *s)
{
	if (!s || !strcmp(s, "NOASSERTION"))
		return NULL;
	if (!strncmp(s, "Organization: ", 14))
		return s + 14;
	if (!strncmp(s, "Person: ", 8))
		return s + 8;
	return s;
}

/* The schema says OPERATING_SYSTEM, the prose OPERATING-SYSTEM (Trivy
 * writes that): take both. */
static int is_os_purpose(const char *s)
{
	return !strcmp(s, "OPERATING_SYSTEM") || !strcmp(s, "OPERATING-SYSTEM");
}

static int read_spdx(struct rd *r, const json_t *doc)
{
	const json_t *pkgs = json_object_get(doc, "packages"), *p, *it;
	size_t i, j;
	int e;

	r->info->format = "spdx-json";
	copy_field(r->info->name, sizeof(r->info->name),
		   drydock_json_str(doc, "name"));
	if (pkgs && !json_is_array(pkgs))
		return drydock_err_set(r->err, DRYDOCK_ECORRUPT,
				       "'%s': \"packages\" is not an array",
				       r->name);
	/* the OS and the image first, so that packages can use them */
	json_array_foreach(pkgs, i, p)
	{
		const char *purpose =
			drydock_json_str(p, "primaryPackagePurpose");
		struct props pr = {0};

		if (!purpose)
			continue;
		if (is_os_purpose(purpose) && !r->have_os) {
			struct drydock_os *os = &r->inv->os;
			const char *v;

			r->have_os = 1;
			memset(os, 0, sizeof(*os));
			copy_field(os->family, sizeof(os->family),
				   drydock_json_str(p, "name"));
			lowercase(os->family);
			copy_field(os->version, sizeof(os->version),
				   drydock_json_str(p, "versionInfo"));
			copy_field(os->pretty_name, sizeof(os->pretty_name),
				   drydock_json_str(p, "description"));
			copy_field(os->source, sizeof(os->source), "sbom");
			if ((e = spdx_props(r, p, &pr)))
				return e;
			if ((v = prop(&pr, "drydock:os:codename")))
				copy_field(os->codename, sizeof(os->codename),
					   v);
			if ((v = prop(&pr, "drydock:os:apk_branch")))
				copy_field(os->apk_branch,
					   sizeof(os->apk_branch), v);
			props_free(&pr);
		} else if (!strcmp(purpose, "CONTAINER")) {
			const json_t *arr = json_object_get(p, "annotations");

			json_array_foreach(arr, j, it)
			{
				const char *c = drydock_json_str(it, "comment");

				if (!c)
					continue;
				if (!strncmp(c, "drydock:image:layer_diff_id=",
					     28) &&
				    r->nlayers < DRYDOCK_MAX_LAYERS)
					r->layers[r->nlayers++] = c + 28;
				else if (!strncmp(c,
						  "drydock:image:digest=", 21))
					set_digest(r, c + 21);
			}
			copy_field(r->info->name, sizeof(r->info->name),
				   drydock_json_str(p, "name"));
		}
	}
	json_array_foreach(pkgs, i, p)
	{
		const char *purpose =
			drydock_json_str(p, "primaryPackagePurpose");
		const char *lic = drydock_json_str(p, "licenseDeclared");
		struct props pr = {0};

		if (!json_is_object(p))
			return drydock_err_set(r->err, DRYDOCK_ECORRUPT,
					       "'%s': a package is not an "
					       "object",
					       r->name);
		if ((e = count(r)))
			return e;
		if (purpose &&
		    (is_os_purpose(purpose) || !strcmp(purpose, "CONTAINER")))
			continue;
		if (lic &&
		    (!strcmp(lic, "NOASSERTION") || !strcmp(lic, "NONE")))
			lic = NULL;
		e = spdx_props(r, p, &pr);
		if (!e)
			e = add_package(
				r, spdx_purl(p), &pr, lic,
				spdx_agent(drydock_json_str(p, "supplier")),
				drydock_json_str(p, "sourceInfo"));
		props_free(&pr);
		if (e)
			return e;
	}
	return 0;
}

/* drydock.sbom/v1 */

static int read_native(struct rd *r, const json_t *doc)
{
	const json_t *art = json_object_get(doc, "artifact");
	const json_t *os = json_object_get(doc, "os");
	const json_t *pkgs = json_object_get(doc, "packages"), *p, *l;
	struct drydock_os *o = &r->inv->os;
	size_t i;
	int e;

	r->info->format = "json";
	copy_field(r->info->name, sizeof(r->info->name),
		   drydock_json_str(art, "name"));
	set_digest(r, drydock_json_str(art, "digest"));
	json_array_foreach(json_object_get(art, "layers"), i, l)
	{
		const char *d = drydock_json_str(l, "diff_id");

		if (d && r->nlayers < DRYDOCK_MAX_LAYERS)
			r->layers[r->nlayers++] = d;
	}
	if (json_is_object(os) && drydock_json_str(os, "family")) {
		r->have_os = 1;
		copy_field(o->family, sizeof(o->family),
			   drydock_json_str(os, "family"));
		copy_field(o->version, sizeof(o->version),
			   drydock_json_str(os, "version"));
		copy_field(o->codename, sizeof(o->codename),
			   drydock_json_str(os, "codename"));
		copy_field(o->pretty_name, sizeof(o->pretty_name),
			   drydock_json_str(os, "pretty_name"));
		copy_field(o->apk_branch, sizeof(o->apk_branch),
			   drydock_json_str(os, "apk_branch"));
		copy_field(o->source, sizeof(o->source), "sbom");
	}
	json_array_foreach(pkgs, i, p)
	{
		struct props pr = {0};
		static const char *const keys[][2] = {
			{"source_name", "drydock:src_name"},
			{"source_version", "drydock:src_version"},
			{"source_rpm", "drydock:src_rpm"},
			{"layer_diff_id", "drydock:layer_diff_id"},
			{"db_path", "drydock:db_path"},
			{"license", "drydock:license"},
			{"maintainer", "drydock:maintainer"},
		};
		long long ep;
		size_t k;

		if ((e = count(r)))
			return e;
		for (k = 0, e = 0; k < sizeof(keys) / sizeof(keys[0]) && !e;
		     k++) {
			const char *v = drydock_json_str(p, keys[k][0]);

			if (v)
				e = props_add(&pr, keys[k][1],
					      strlen(keys[k][1]), v);
		}
		if (!e && !drydock_json_int(p, "epoch", &ep) && ep >= 0 &&
		    ep < 100000000LL) {
			char b[32];

			snprintf(b, sizeof(b), "%lld", ep);
			e = props_add(&pr, "drydock:epoch", 13, b);
		}
		if (e) {
			props_free(&pr);
			return oom(r);
		}
		e = add_package(r, drydock_json_str(p, "purl"), &pr, NULL, NULL,
				NULL);
		props_free(&pr);
		if (e)
			return e;
	}
	return 0;
}

int drydock_sbom_read(struct drydock_inventory *inv,
		      struct drydock_sbom_info *info, const char *data,
		      size_t len, const char *name, struct drydock_err *err)
{
	struct drydock_sbom_info dummy;
	struct rd *r;
	json_t *doc;
	const char *s;
	int e;

	if (!info)
		info = &dummy;
	memset(info, 0, sizeof(*info));
	doc = drydock_json_load(data, len, DRYDOCK_MAX_SBOM_BYTES, name, err);
	if (!doc)
		return err ? err->code : DRYDOCK_ECORRUPT;
	r = calloc(1, sizeof(*r));
	if (!r) {
		json_decref(doc);
		return drydock_err_set(err, DRYDOCK_ENOMEM,
				       "'%s': out of memory", name);
	}
	r->inv = inv;
	r->info = info;
	r->name = name;
	r->err = err;
	if (!json_is_object(doc)) {
		e = drydock_err_set(err, DRYDOCK_ECORRUPT,
				    "'%s': not a JSON object", name);
	} else if ((s = drydock_json_str(doc, "bomFormat")) &&
		   !strcmp(s, "CycloneDX")) {
		e = read_cdx(r, doc);
	} else if ((s = drydock_json_str(doc, "spdxVersion")) &&
		   !strncmp(s, "SPDX-2.", 7)) {
		e = read_spdx(r, doc);
	} else if ((s = drydock_json_str(doc, "schema")) &&
		   !strcmp(s, "drydock.sbom/v1")) {
		e = read_native(r, doc);
	} else {
		e = drydock_err_set(err, DRYDOCK_EUNSUPPORTED,
				    "'%s': not a CycloneDX, SPDX 2 or "
				    "drydock.sbom/v1 JSON document",
				    name);
	}
	free(r);
	json_decref(doc);
	return e;
}
