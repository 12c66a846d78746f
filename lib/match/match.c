#include "../util/setup.h"

#include <stdio.h>
#include <time.h>

#include "drydock/error.h"
#include "drydock/feed.h"
#include "drydock/inventory.h"
#include "drydock/json.h"
#include "drydock/limits.h"
#include "drydock/match.h"
#include "drydock/version.h"
#include "drydock/vulndb.h"

/*
 * The matcher. For each package: the names it is looked up by (the
 * source package first: Debian/Ubuntu source, Alpine origin, source RPM
 * name; then the binary name, for feeds keyed by binary), the version it
 * is compared with (deb: the source version, since fixes are recorded per
 * source; apk: the package version; rpm: the binary's
 * [epoch:]version-release, a missing epoch being 0), and the ordering of
 * its package manager.
 */

void drydock_match_result_free(struct drydock_match_result *r)
{
	size_t i;

	if (!r)
		return;
	for (i = 0; i < r->n; i++)
		drydock_finding_clear(&r->findings[i]);
	free(r->findings);
	r->findings = NULL;
	r->n = r->cap = 0;
}

static void strv_free(char **v)
{
	size_t i;

	for (i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

void drydock_finding_clear(struct drydock_finding *f)
{
	free(f->id);
	strv_free(f->aliases);
	free(f->fixed_version);
	free(f->status);
	free(f->severity);
	free(f->severity_source);
	free(f->cvss_vector);
	free(f->title);
	free(f->description);
	free(f->data_source);
	free(f->namespace_);
	free(f->advisory_id);
	strv_free(f->references);
	free(f->suppressed);
	memset(f, 0, sizeof(*f));
}

static char *xstrdup(const char *s)
{
	return s ? strdup(s) : NULL;
}

/* The version of p compared with advisories, into buf. */
static const char *installed_version(const struct drydock_pkg *p, char *buf,
				     size_t n)
{
	switch (p->type) {
	case DRYDOCK_PKG_DEB:
		return p->src_version ? p->src_version : p->version;
	case DRYDOCK_PKG_RPM:
		if (p->epoch > 0)
			snprintf(buf, n, "%ld:%s", p->epoch, p->version);
		else
			snprintf(buf, n, "%s", p->version);
		return buf;
	default:
		return p->version;
	}
}

static enum drydock_version_type vtype_of(const struct drydock_pkg *p)
{
	switch (p->type) {
	case DRYDOCK_PKG_DEB:
		return DRYDOCK_VERSION_DEB;
	case DRYDOCK_PKG_APK:
		return DRYDOCK_VERSION_APK;
	default:
		return DRYDOCK_VERSION_RPM;
	}
}

/*
 * What one drydock_match_inventory has read from the database: the
 * advisories of each (namespace, package name) and the record of each
 * vulnerability id. Binary packages of one source package ask for the
 * same advisories, and one vulnerability is found in many packages; the
 * database does not change under an open handle, so each is read once.
 * A string-keyed open-addressing table; cap is a power of two.
 */
struct memo_slot {
	char *key; /* "LEN:NAMESPACENAME" (lookups) or the id (records) */
	struct drydock_advisory_list list;
	struct drydock_vuln *vuln; /* NULL: no record for the id */
	int rc;			   /* the record lookup's result */
};

struct memo {
	struct memo_slot *slots;
	size_t cap, n;
};

static size_t hash_str(const char *s)
{
	size_t h = 14695981039346656037ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static struct memo_slot *memo_probe(struct memo_slot *slots, size_t cap,
				    const char *key)
{
	size_t i = hash_str(key) & (cap - 1);

	while (slots[i].key && strcmp(slots[i].key, key))
		i = (i + 1) & (cap - 1);
	return &slots[i];
}

/*
 * The slot of key, a new empty one (key NULL) when absent; the caller
 * fills a new slot's key. NULL when out of memory.
 */
static struct memo_slot *memo_get(struct memo *m, const char *key)
{
	if ((m->n + 1) * 2 > m->cap) {
		size_t ncap = m->cap ? m->cap * 2 : 256, i;
		struct memo_slot *ns = calloc(ncap, sizeof(*ns));

		if (!ns)
			return NULL;
		for (i = 0; i < m->cap; i++)
			if (m->slots[i].key)
				*memo_probe(ns, ncap, m->slots[i].key) =
					m->slots[i];
		free(m->slots);
		m->slots = ns;
		m->cap = ncap;
	}
	return memo_probe(m->slots, m->cap, key);
}

static void memo_free(struct memo *m)
{
	size_t i;

	for (i = 0; i < m->cap; i++) {
		if (!m->slots[i].key)
			continue;
		free(m->slots[i].key);
		drydock_advisory_list_release(&m->slots[i].list);
		drydock_vulndb_vuln_free(m->slots[i].vuln);
	}
	free(m->slots);
	memset(m, 0, sizeof(*m));
}

struct ctx {
	struct drydock_match_result *r;
	const struct drydock_inventory *inv;
	struct drydock_vulndb *db;
	struct memo lookups, vulns;
	size_t pkg;
	const char *installed;
	enum drydock_version_type vt;
	struct drydock_err *err;
};

/*
 * Compare installed with v; a version the comparator rejects (a feed's
 * typo) makes the advisory not apply rather than the scan fail: returns
 * 0 and sets *ok = 0.
 */
static int cmp(struct ctx *c, const char *a, const char *b, int *ok)
{
	struct drydock_err e;
	int out = 0;

	if (drydock_version_compare(c->vt, a, b, &out, &e)) {
		*ok = 0;
		return 0;
	}
	*ok = 1;
	return out;
}

/*
 * OSV range evaluation (ECOSYSTEM and SEMVER ranges compared with the
 * package's own ordering; GIT ranges ignored): the events of a range are
 * sorted by version; walking up to the installed version, "introduced"
 * makes it affected, "fixed" unaffected, "last_affected" unaffected
 * above it, "limit" unaffected at and above it. An explicit "versions"
 * list also matches exactly. *fixed_out gets the lowest fixed version
 * above the installed one (borrowed from doc).
 */
struct event {
	const char *kind;
	const char *ver;
};

static int affected_by_ranges(struct ctx *c, const char *ranges_json,
			      const char **fixed_out, json_t **doc_out)
{
	json_t *doc, *ranges, *versions, *rg, *v;
	size_t i, j;
	int affected = 0, ok;

	*fixed_out = NULL;
	doc = json_loads(ranges_json, 0, NULL);
	*doc_out = doc;
	if (!doc)
		return 0;
	versions = json_object_get(doc, "versions");
	json_array_foreach(versions, i, v)
	{
		if (json_is_string(v) &&
		    cmp(c, c->installed, json_string_value(v), &ok) == 0 && ok)
			affected = 1;
	}
	ranges = json_object_get(doc, "ranges");
	json_array_foreach(ranges, i, rg)
	{
		const char *type = drydock_json_str(rg, "type");
		json_t *events = json_object_get(rg, "events"), *ev;
		int state = 0, in_range = 0;

		if (!type || !strcmp(type, "GIT") || !json_is_array(events))
			continue;
		/* events are applied in version order; OSV lists them in
		 * order for well-formed records, and we check each event
		 * against the installed version independently */
		json_array_foreach(events, j, ev)
		{
			const char *intro = drydock_json_str(ev, "introduced");
			const char *fixed = drydock_json_str(ev, "fixed");
			const char *last =
				drydock_json_str(ev, "last_affected");
			const char *limit = drydock_json_str(ev, "limit");

			if (intro) {
				if (!strcmp(intro, "0") ||
				    (cmp(c, intro, c->installed, &ok) <= 0 &&
				     ok)) {
					state = 1;
					in_range = 1;
				}
			} else if (fixed && in_range) {
				if (cmp(c, fixed, c->installed, &ok) <= 0 &&
				    ok) {
					state = 0;
				} else if (ok && state) {
					if (!*fixed_out)
						*fixed_out = fixed;
				}
			} else if (last && in_range) {
				if (cmp(c, last, c->installed, &ok) < 0 && ok)
					state = 0;
			} else if (limit && in_range) {
				if (cmp(c, limit, c->installed, &ok) <= 0 && ok)
					state = 0;
			}
		}
		if (state)
			affected = 1;
	}
	if (!affected)
		*fixed_out = NULL;
	return affected;
}

static struct drydock_finding *find_existing(struct drydock_match_result *r,
					     size_t pkg, const char *id)
{
	size_t i;

	/* findings of one package are appended together: search back */
	for (i = r->n; i > 0; i--) {
		struct drydock_finding *f = &r->findings[i - 1];

		if (f->pkg != pkg)
			break;
		if (!strcmp(f->id, id))
			return f;
	}
	return NULL;
}

static struct drydock_finding *add_finding(struct drydock_match_result *r,
					   struct drydock_err *err)
{
	if (r->n == r->cap) {
		size_t ncap = r->cap ? r->cap * 2 : 64;
		struct drydock_finding *f;

		if (ncap > DRYDOCK_MAX_FINDINGS)
			ncap = DRYDOCK_MAX_FINDINGS;
		if (r->n >= ncap) {
			drydock_err_set(err, DRYDOCK_ELIMIT,
					"more than %u findings",
					DRYDOCK_MAX_FINDINGS);
			return NULL;
		}
		f = realloc(r->findings, ncap * sizeof(*f));
		if (!f) {
			drydock_err_set(err, DRYDOCK_ENOMEM, "out of memory");
			return NULL;
		}
		r->findings = f;
		r->cap = ncap;
	}
	memset(&r->findings[r->n], 0, sizeof(r->findings[0]));
	return &r->findings[r->n++];
}

static int on_advisory(void *payload, const struct drydock_advisory *a)
{
	struct ctx *c = payload;
	struct drydock_finding *f;
	const char *fixed = NULL, *status = a->status;
	json_t *doc = NULL;
	int ok = 1, affected;

	if (!status || !strcmp(status, DRYDOCK_STATUS_NOT_AFFECTED))
		return 0;
	if (a->ranges) {
		affected = affected_by_ranges(c, a->ranges, &fixed, &doc);
		if (affected && fixed)
			status = DRYDOCK_STATUS_FIXED;
		else if (affected && !strcmp(status, DRYDOCK_STATUS_FIXED))
			status = DRYDOCK_STATUS_AFFECTED;
	} else if (a->fixed_version && *a->fixed_version) {
		/* Debian writes "0" for "never affected" */
		if (!strcmp(a->fixed_version, "0"))
			return 0;
		affected =
			cmp(c, c->installed, a->fixed_version, &ok) < 0 && ok;
		fixed = a->fixed_version;
	} else {
		affected = strcmp(status, DRYDOCK_STATUS_FIXED) != 0;
	}
	if (!affected) {
		json_decref(doc);
		return 0;
	}
	f = find_existing(c->r, c->pkg, a->vuln_id);
	if (f) {
		/* a second source for the same vulnerability: fill gaps,
		 * prefer a known fix and the vendor's severity */
		if (!f->fixed_version && fixed) {
			f->fixed_version = xstrdup(fixed);
			free(f->status);
			f->status = xstrdup(status);
		}
		if (!f->advisory_id && a->advisory_id)
			f->advisory_id = xstrdup(a->advisory_id);
		if ((!f->severity || !strcmp(f->severity, "unknown")) &&
		    a->severity && drydock_severity_rank(a->severity) > 0) {
			free(f->severity);
			free(f->severity_source);
			f->severity = xstrdup(a->severity);
			f->severity_source = xstrdup(a->data_source);
		}
		json_decref(doc);
		return 0;
	}
	f = add_finding(c->r, c->err);
	if (!f) {
		json_decref(doc);
		return c->err ? c->err->code : DRYDOCK_ERROR;
	}
	f->pkg = c->pkg;
	f->id = xstrdup(a->vuln_id);
	f->fixed_version = xstrdup(fixed);
	f->status = xstrdup(status);
	if (a->severity && drydock_severity_rank(a->severity) > 0) {
		f->severity = xstrdup(a->severity);
		f->severity_source = xstrdup(a->data_source);
	}
	f->data_source = xstrdup(a->data_source);
	f->namespace_ = xstrdup(a->namespace_);
	f->advisory_id = xstrdup(a->advisory_id);
	f->cvss_score = -1;
	f->in_base = -1;
	json_decref(doc);
	if (!f->id || !f->status)
		return drydock_err_set(c->err, DRYDOCK_ENOMEM, "out of memory");
	return 0;
}

static char **strv_dup(const char *const *v)
{
	size_t n = 0, i;
	char **out;

	while (v && v[n])
		n++;
	out = calloc(n + 1, sizeof(*out));
	if (!out)
		return NULL;
	for (i = 0; i < n; i++)
		out[i] = strdup(v[i]);
	return out;
}

/* Severity bands of CVSS v3 (FIRST's specification). */
static const char *cvss_band(double s)
{
	if (s >= 9.0)
		return "critical";
	if (s >= 7.0)
		return "high";
	if (s >= 4.0)
		return "medium";
	if (s > 0.0)
		return "low";
	return "unknown";
}

/*
 * Fill title, description, aliases, references and CVSS from the
 * vulnerability records; the severity from NVD's CVSS when the vendor
 * gave none.
 */
static int enrich(struct ctx *c, struct drydock_finding *f)
{
	struct drydock_vuln *v = NULL;
	const struct drydock_cvss *best = NULL;
	struct drydock_err e = {0};
	struct memo_slot *slot;
	size_t i;
	int rc;

	slot = memo_get(&c->vulns, f->id);
	if (!slot)
		return drydock_err_set(c->err, DRYDOCK_ENOMEM, "out of memory");
	if (!slot->key) {
		if (!(slot->key = strdup(f->id)))
			return drydock_err_set(c->err, DRYDOCK_ENOMEM,
					       "out of memory");
		c->vulns.n++;
		slot->rc = drydock_vulndb_vuln(c->db, f->id, &slot->vuln, &e);
		if (slot->rc && slot->rc != DRYDOCK_ENOTFOUND) {
			if (c->err)
				*c->err = e;
			return slot->rc;
		}
	}
	rc = slot->rc;
	v = slot->vuln;
	if (rc == DRYDOCK_ENOTFOUND) {
		if (!f->severity)
			f->severity = strdup("unknown");
		return 0;
	}
	if (rc)
		return rc;
	f->title = xstrdup(v->title);
	f->description = xstrdup(v->description);
	f->aliases = strv_dup(v->aliases);
	f->references = strv_dup(v->references);
	/* the highest version of NVD's ratings, else any source's */
	for (i = 0; i < v->ncvss; i++) {
		const struct drydock_cvss *cv = &v->cvss[i];

		if (cv->score < 0 && !cv->vector)
			continue;
		if (!best ||
		    (!strcmp(cv->source ? cv->source : "", "nvd") &&
		     strcmp(best->source ? best->source : "", "nvd")) ||
		    (!strcmp(cv->source ? cv->source : "",
			     best->source ? best->source : "") &&
		     strcmp(cv->version ? cv->version : "",
			    best->version ? best->version : "") > 0))
			best = cv;
	}
	if (best) {
		f->cvss_score = best->score;
		f->cvss_vector = xstrdup(best->vector);
	}
	if (!f->severity) {
		if (best && best->severity &&
		    drydock_severity_rank(best->severity) > 0)
			f->severity = strdup(best->severity);
		else if (best && best->score >= 0)
			f->severity = strdup(cvss_band(best->score));
		else
			f->severity = strdup("unknown");
		free(f->severity_source);
		f->severity_source =
			xstrdup(best && best->source ? best->source : NULL);
	}
	return 0;
}

/* Whether finding f goes by id: its own id or one of its aliases. */
static int names_id(const struct drydock_finding *f, const char *id)
{
	size_t i;

	if (!f->id)
		return 0;
	if (!strcmp(f->id, id))
		return 1;
	for (i = 0; f->aliases && f->aliases[i]; i++)
		if (!strcmp(f->aliases[i], id))
			return 1;
	return 0;
}

/* Append s to the NULL-terminated *v unless it is there. */
static int strv_add(char ***v, const char *s)
{
	size_t n = 0;
	char **nv, *d;

	while (*v && (*v)[n]) {
		if (!strcmp((*v)[n], s))
			return 0;
		n++;
	}
	d = strdup(s);
	nv = d ? realloc(*v, (n + 2) * sizeof(*nv)) : NULL;
	if (!nv) {
		free(d);
		return DRYDOCK_ENOMEM;
	}
	nv[n] = d;
	nv[n + 1] = NULL;
	*v = nv;
	return 0;
}

/*
 * One vulnerability under several ids, for one package (findings first..
 * r->n): an advisory grouping vulnerabilities (Ubuntu's USN-5614-1 names
 * UBUNTU-CVE-2021-3782, which names CVE-2021-3782) or a distribution's
 * own id for a CVE also reported under the CVE. A finding every one of
 * whose aliases another finding of the package goes by is folded into
 * those: its id joins their aliases (so suppression by it still works),
 * its fixed version and severity fill their gaps, and it is dropped. A
 * finding without aliases is never folded. Processed in finding order; a
 * folded finding covers nothing.
 */
static int fold_aliases(struct drydock_match_result *r, size_t first)
{
	size_t i, j, k, out;
	int rc;

	for (i = first; i < r->n; i++) {
		struct drydock_finding *f = &r->findings[i];
		int covered = f->aliases && f->aliases[0];

		for (k = 0; covered && f->aliases[k]; k++) {
			covered = 0;
			for (j = first; j < r->n && !covered; j++)
				if (j != i &&
				    names_id(&r->findings[j], f->aliases[k]))
					covered = 1;
		}
		if (!covered)
			continue;
		for (j = first; j < r->n; j++) {
			struct drydock_finding *g = &r->findings[j];

			if (j == i || !g->id)
				continue;
			for (k = 0; f->aliases[k]; k++)
				if (names_id(g, f->aliases[k]))
					break;
			if (!f->aliases[k])
				continue;
			if ((rc = strv_add(&g->aliases, f->id)))
				return rc;
			if (!g->fixed_version && f->fixed_version) {
				g->fixed_version = xstrdup(f->fixed_version);
				free(g->status);
				g->status = xstrdup(f->status);
			}
			if (g->severity && !strcmp(g->severity, "unknown") &&
			    f->severity && strcmp(f->severity, "unknown")) {
				free(g->severity);
				g->severity = xstrdup(f->severity);
			}
		}
		drydock_finding_clear(f);
	}
	for (i = out = first; i < r->n; i++)
		if (r->findings[i].id)
			r->findings[out++] = r->findings[i];
	r->n = out;
	return 0;
}

/*
 * The rebuild's own namespace beside rhel:N: AlmaLinux and Rocky publish
 * their own advisories (OSV ecosystems "AlmaLinux:8", "Rocky Linux:9",
 * imported as almalinux:8, rocky:9; docs/feeds.md), which the rhel:N
 * lookup alone never reaches. Empty for every other OS.
 */
static void rebuild_namespace(const struct drydock_os *os, char *out,
			      size_t outsz)
{
	size_t n = strcspn(os->version, ".");

	out[0] = '\0';
	if ((!strcmp(os->family, "almalinux") ||
	     !strcmp(os->family, "rocky")) &&
	    n > 0)
		snprintf(out, outsz, "%s:%.*s", os->family, (int)n,
			 os->version);
}

/* Call on_advisory for each advisory of name in ns (read once per
 * match). */
static int lookup(struct ctx *c, const char *ns, const char *name,
		  struct drydock_err *err)
{
	struct memo_slot *slot;
	char key[600];
	size_t i;
	int rc;

	/* the namespace's length first: no two (ns, name) share a key */
	if ((size_t)snprintf(key, sizeof(key), "%zu:%s%s", strlen(ns), ns,
			     name) >= sizeof(key))
		return drydock_vulndb_lookup(c->db, ns, name, on_advisory, c,
					     err);
	slot = memo_get(&c->lookups, key);
	if (!slot)
		return drydock_err_set(err, DRYDOCK_ENOMEM, "out of memory");
	if (!slot->key) {
		rc = drydock_vulndb_lookup_list(c->db, ns, name, &slot->list,
						err);
		if (rc)
			return rc;
		if (!(slot->key = strdup(key))) {
			drydock_advisory_list_release(&slot->list);
			return drydock_err_set(err, DRYDOCK_ENOMEM,
					       "out of memory");
		}
		c->lookups.n++;
	}
	for (i = 0; i < slot->list.n; i++)
		if ((rc = on_advisory(c, &slot->list.items[i])))
			return rc;
	return 0;
}

/* Look package p up by its source name, then its binary name, in ns. */
static int lookup_package(struct ctx *c, const struct drydock_pkg *p,
			  const char *ns, struct drydock_err *err)
{
	int rc;

	if (p->src_name) {
		rc = lookup(c, ns, p->src_name, err);
		if (rc)
			return rc;
	}
	if (!p->src_name || strcmp(p->src_name, p->name)) {
		/* feeds keyed by binary name (RPM OVAL) compare the binary's
		 * own version */
		const char *saved = c->installed;

		if (p->type == DRYDOCK_PKG_DEB)
			c->installed = p->version;
		rc = lookup(c, ns, p->name, err);
		c->installed = saved;
		if (rc)
			return rc;
	}
	return 0;
}

int drydock_match_inventory(struct drydock_match_result *r,
			    const struct drydock_inventory *inv,
			    struct drydock_vulndb *db, const char *today,
			    struct drydock_err *err)
{
	struct ctx c = {0};
	const char *eol;
	char ns2[64];
	size_t i, k, first;
	int rc;

	memset(r, 0, sizeof(*r));
	c.r = r;
	c.inv = inv;
	c.db = db;
	c.err = err;
	if (drydock_match_namespace(&inv->os, r->namespace_,
				    sizeof(r->namespace_)))
		r->namespace_[0] = '\0';
	eol = drydock_os_eol(&inv->os);
	if (eol) {
		char now_s[16];

		if (!today) {
			time_t now = time(NULL);
			struct tm tm;

			gmtime_r(&now, &tm);
			strftime(now_s, sizeof(now_s), "%Y-%m-%d", &tm);
			today = now_s;
		}
		snprintf(r->eol, sizeof(r->eol), "%s", eol);
		r->eol_passed = strcmp(today, eol) > 0;
	}
	if (!r->namespace_[0])
		return 0;
	rebuild_namespace(&inv->os, ns2, sizeof(ns2));
	rc = 0;
	for (i = 0; i < inv->npkgs && !rc; i++) {
		const struct drydock_pkg *p = &inv->pkgs[i];
		char vbuf[512];

		c.pkg = i;
		c.vt = vtype_of(p);
		c.installed = installed_version(p, vbuf, sizeof(vbuf));
		first = r->n;
		rc = lookup_package(&c, p, r->namespace_, err);
		if (!rc && ns2[0])
			rc = lookup_package(&c, p, ns2, err);
		for (k = first; !rc && k < r->n; k++)
			rc = enrich(&c, &r->findings[k]);
		if (!rc && (rc = fold_aliases(r, first)))
			drydock_err_set(err, rc, "out of memory");
	}
	memo_free(&c.lookups);
	memo_free(&c.vulns);
	if (rc)
		return rc;
	drydock_match_sort(r, inv);
	return 0;
}

static int cmp_findings(const void *a, const void *b)
{
	const struct drydock_finding *x = a, *y = b;
	int c;

	if (x->pkg != y->pkg)
		return x->pkg < y->pkg ? -1 : 1;
	c = drydock_severity_rank(y->severity) -
	    drydock_severity_rank(x->severity);
	if (c)
		return c;
	return strcmp(x->id, y->id);
}

void drydock_match_sort(struct drydock_match_result *r,
			const struct drydock_inventory *inv)
{
	/* packages are already sorted in the inventory, so ordering by
	 * package index orders by name, version, arch */
	(void)inv;
	if (r->n > 1)
		qsort(r->findings, r->n, sizeof(r->findings[0]), cmp_findings);
}
