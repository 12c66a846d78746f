#include "../util/setup.h"

#include <stdio.h>

#include "drydock/error.h"
#include "drydock/inventory.h"
#include "drydock/json.h"
#include "drydock/limits.h"
#include "drydock/match.h"

/*
 * One suppression rule. From an ignore file: id, optional package,
 * optional expiry. From OpenVEX: id, optional package name and version
 * (from the product's purl), the status as the reason.
 */
struct rule {
	char *id;
	char *package; /* NULL: any package */
	char *version; /* NULL: any version */
	char expires[11];
	char *reason;
};

struct drydock_suppress {
	struct rule *rules;
	size_t n, cap;
};

int drydock_suppress_new(struct drydock_suppress **out)
{
	*out = calloc(1, sizeof(**out));
	return *out ? 0 : DRYDOCK_ENOMEM;
}

void drydock_suppress_free(struct drydock_suppress *s)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < s->n; i++) {
		free(s->rules[i].id);
		free(s->rules[i].package);
		free(s->rules[i].version);
		free(s->rules[i].reason);
	}
	free(s->rules);
	free(s);
}

static char *dupn(const char *p, size_t n)
{
	char *s = malloc(n + 1);

	if (s) {
		memcpy(s, p, n);
		s[n] = '\0';
	}
	return s;
}

static struct rule *add_rule(struct drydock_suppress *s,
			     struct drydock_err *err)
{
	if (s->n >= DRYDOCK_MAX_SUPPRESS_RULES) {
		drydock_err_set(err, DRYDOCK_ELIMIT,
				"more than %d suppression rules",
				DRYDOCK_MAX_SUPPRESS_RULES);
		return NULL;
	}
	if (s->n == s->cap) {
		size_t ncap = s->cap ? s->cap * 2 : 16;
		struct rule *r = realloc(s->rules, ncap * sizeof(*r));

		if (!r) {
			drydock_err_set(err, DRYDOCK_ENOMEM, "out of memory");
			return NULL;
		}
		s->rules = r;
		s->cap = ncap;
	}
	memset(&s->rules[s->n], 0, sizeof(s->rules[0]));
	return &s->rules[s->n++];
}

static int valid_date(const char *p, size_t n)
{
	size_t i;

	if (n != 10)
		return 0;
	for (i = 0; i < 10; i++) {
		if (i == 4 || i == 7) {
			if (p[i] != '-')
				return 0;
		} else if (p[i] < '0' || p[i] > '9') {
			return 0;
		}
	}
	return 1;
}

int drydock_suppress_load_ignore(struct drydock_suppress *s, const char *data,
				 size_t len, const char *name,
				 struct drydock_err *err)
{
	const char *p = data, *end = data + len;
	int lineno = 0;

	if (len > DRYDOCK_MAX_IGNORE_FILE_BYTES)
		return drydock_err_set(err, DRYDOCK_ELIMIT,
				       "'%s': ignore file larger than %u bytes",
				       name, DRYDOCK_MAX_IGNORE_FILE_BYTES);
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *le = eol ? eol : end, *hash, *q, *words[3];
		size_t wlen[3];
		int nw = 0;
		struct rule *r;

		lineno++;
		hash = memchr(p, '#', (size_t)(le - p));
		q = p;
		while (q < (hash ? hash : le)) {
			const char *w;

			while (q < (hash ? hash : le) &&
			       (*q == ' ' || *q == '\t' || *q == '\r'))
				q++;
			if (q >= (hash ? hash : le))
				break;
			w = q;
			while (q < (hash ? hash : le) && *q != ' ' &&
			       *q != '\t' && *q != '\r')
				q++;
			if (nw == 3)
				return drydock_err_set(
					err, DRYDOCK_ECORRUPT,
					"'%s': line %d: too many fields "
					"(expected ID [PACKAGE] [exp:DATE])",
					name, lineno);
			words[nw] = w;
			wlen[nw++] = (size_t)(q - w);
		}
		if (nw > 0) {
			int i;

			r = add_rule(s, err);
			if (!r)
				return err ? err->code : DRYDOCK_ERROR;
			r->id = dupn(words[0], wlen[0]);
			for (i = 1; i < nw; i++) {
				if (wlen[i] > 4 &&
				    !memcmp(words[i], "exp:", 4)) {
					if (!valid_date(words[i] + 4,
							wlen[i] - 4))
						return drydock_err_set(
							err, DRYDOCK_ECORRUPT,
							"'%s': line %d: expiry "
							"is not YYYY-MM-DD",
							name, lineno);
					memcpy(r->expires, words[i] + 4, 10);
					r->expires[10] = '\0';
				} else if (!r->package) {
					r->package = dupn(words[i], wlen[i]);
				} else {
					return drydock_err_set(
						err, DRYDOCK_ECORRUPT,
						"'%s': line %d: two package "
						"names",
						name, lineno);
				}
			}
			if (hash) {
				const char *rs = hash + 1, *re = le;

				while (rs < re && (*rs == ' ' || *rs == '\t'))
					rs++;
				while (re > rs &&
				       (re[-1] == ' ' || re[-1] == '\r'))
					re--;
				r->reason = dupn(rs, (size_t)(re - rs));
			}
			if (!r->id)
				return drydock_err_set(err, DRYDOCK_ENOMEM,
						       "out of memory");
		}
		p = eol ? eol + 1 : end;
	}
	return 0;
}

/*
 * Take name and version out of a purl "pkg:type/ns/name@version?q#s".
 * Writes NULLs when the purl has no name.
 */
static void purl_name_version(const char *purl, char **name, char **version)
{
	const char *p, *at, *end, *slash;

	*name = NULL;
	*version = NULL;
	if (strncmp(purl, "pkg:", 4))
		return;
	p = purl + 4;
	end = p + strcspn(p, "?#");
	at = memchr(p, '@', (size_t)(end - p));
	slash = NULL;
	for (const char *q = p; q < (at ? at : end); q++)
		if (*q == '/')
			slash = q;
	if (!slash)
		return;
	*name = dupn(slash + 1, (size_t)((at ? at : end) - slash - 1));
	if (at)
		*version = dupn(at + 1, (size_t)(end - at - 1));
}

static int vex_product(struct drydock_suppress *s, const char *vuln,
		       const char *purl, const char *status,
		       struct drydock_err *err)
{
	struct rule *r = add_rule(s, err);
	char reason[128];

	if (!r)
		return err ? err->code : DRYDOCK_ERROR;
	r->id = strdup(vuln);
	if (purl)
		purl_name_version(purl, &r->package, &r->version);
	snprintf(reason, sizeof(reason), "vex: %s", status);
	r->reason = strdup(reason);
	if (!r->id || !r->reason)
		return drydock_err_set(err, DRYDOCK_ENOMEM, "out of memory");
	return 0;
}

int drydock_suppress_load_openvex(struct drydock_suppress *s, const char *data,
				  size_t len, const char *name,
				  struct drydock_err *err)
{
	json_t *doc, *stmts, *st;
	size_t i;
	int rc = 0;

	doc = drydock_json_load(data, len, DRYDOCK_MAX_VEX_BYTES, name, err);
	if (!doc)
		return err ? err->code : DRYDOCK_ECORRUPT;
	stmts = json_object_get(doc, "statements");
	if (!json_is_array(stmts)) {
		json_decref(doc);
		return drydock_err_set(err, DRYDOCK_ECORRUPT,
				       "'%s': not an OpenVEX document "
				       "(no \"statements\" array)",
				       name);
	}
	json_array_foreach(stmts, i, st)
	{
		const char *status = drydock_json_str(st, "status");
		json_t *v = json_object_get(st, "vulnerability");
		json_t *prods = json_object_get(st, "products");
		const char *vuln = NULL;
		json_t *pr;
		size_t j;

		if (json_is_string(v))
			vuln = json_string_value(v);
		else if (json_is_object(v))
			vuln = drydock_json_str(v, "name");
		if (!vuln || !status) {
			rc = drydock_err_set(err, DRYDOCK_ECORRUPT,
					     "'%s': statement %zu has no "
					     "vulnerability or status",
					     name, i);
			break;
		}
		if (strcmp(status, "not_affected") && strcmp(status, "fixed"))
			continue;
		if (!json_is_array(prods) || json_array_size(prods) == 0) {
			rc = vex_product(s, vuln, NULL, status, err);
			if (rc)
				break;
			continue;
		}
		json_array_foreach(prods, j, pr)
		{
			const char *purl =
				json_is_string(pr)
					? json_string_value(pr)
					: drydock_json_str(pr, "@id");

			rc = vex_product(s, vuln, purl, status, err);
			if (rc)
				break;
		}
		if (rc)
			break;
	}
	json_decref(doc);
	return rc;
}

static int id_matches(const struct rule *r, const struct drydock_finding *f)
{
	size_t i;

	if (!strcmp(r->id, f->id))
		return 1;
	for (i = 0; f->aliases && f->aliases[i]; i++)
		if (!strcmp(r->id, f->aliases[i]))
			return 1;
	return 0;
}

int drydock_suppress_apply(const struct drydock_suppress *s,
			   struct drydock_match_result *r,
			   const struct drydock_inventory *inv,
			   const char *today, struct drydock_err *err)
{
	size_t i, k;

	for (i = 0; i < r->n; i++) {
		struct drydock_finding *f = &r->findings[i];
		const struct drydock_pkg *p = &inv->pkgs[f->pkg];

		if (f->suppressed)
			continue;
		for (k = 0; s && k < s->n; k++) {
			const struct rule *ru = &s->rules[k];
			char why[512];

			if (!id_matches(ru, f))
				continue;
			if (ru->package && strcmp(ru->package, p->name) &&
			    !(p->src_name && !strcmp(ru->package, p->src_name)))
				continue;
			if (ru->version && strcmp(ru->version, p->version))
				continue;
			if (ru->expires[0] && strcmp(today, ru->expires) > 0)
				continue;
			snprintf(why, sizeof(why), "%s%s%s",
				 ru->reason && *ru->reason ? ru->reason
							   : "ignore file",
				 ru->expires[0] ? " until " : "",
				 ru->expires[0] ? ru->expires : "");
			f->suppressed = strdup(why);
			if (!f->suppressed)
				return drydock_err_set(err, DRYDOCK_ENOMEM,
						       "out of memory");
			break;
		}
	}
	return 0;
}
