#include "../util/setup.h"

#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <sys/stat.h>

#include "../util/xmldl.h"
#include "drydock/error.h"
#include "drydock/feed.h"
#include "drydock/limits.h"
#include "feed-common.h"
#include "feed-oval.h"

/*
 * OVAL definitions documents (Ubuntu USN OVAL, Red Hat OVAL v2), read
 * with libxml2's streaming reader in two passes so that memory stays
 * small for files of hundreds of MB:
 *
 *   1. tests, objects, states and variables (after the definitions in
 *      the file) are reduced to small maps: package test -> (object,
 *      state), object -> package name (or a variable), state -> the evr
 *      of a "less than" comparison, constant variable -> its values;
 *   2. each definition is expanded on its own (one subtree at a time),
 *      its metadata read and its criteria resolved through the maps.
 *
 * The criteria's logic (AND/OR/negate) is not evaluated: every package
 * test "installed version less than EVR" of a patch definition says that
 * the package is fixed in EVR. Other tests (kernel uname/variable tests,
 * signature keys, module streams, release files) are ignored.
 */

#define MAX_NS 8

struct ctx {
	const struct oval_flavor *fl;
	const char *name;
	const struct drydock_feed_sink *sink;
	struct drydock_err *err;
	json_t *tests, *objects, *states, *vars;
	size_t nitems;
	int have_xerr, xline, xcol;
	char xerr[256];
	char feed_time[64];
};

static void on_xml_error(void *arg, xmlErrorPtr e)
{
	struct ctx *c = arg;
	size_t n;

	if (c->have_xerr || !e)
		return;
	c->have_xerr = 1;
	c->xline = e->line;
	c->xcol = e->int2;
	snprintf(c->xerr, sizeof(c->xerr), "%s",
		 e->message ? e->message : "error");
	n = strlen(c->xerr);
	while (n && (c->xerr[n - 1] == '\n' || c->xerr[n - 1] == ' '))
		c->xerr[--n] = '\0';
	/* some messages run over two lines ("Input is not proper UTF-8,
	 * indicate encoding !\nBytes: 0xAC ..."): errors are one line */
	while (n--)
		if (c->xerr[n] == '\n' || c->xerr[n] == '\r')
			c->xerr[n] = ' ';
}

static int xml_fail(struct ctx *c)
{
	if (c->have_xerr)
		return drydock_err_set(c->err, DRYDOCK_ECORRUPT,
				       "'%s': invalid XML at line %d column "
				       "%d: %s",
				       c->name, c->xline, c->xcol, c->xerr);
	return drydock_err_set(c->err, DRYDOCK_ECORRUPT, "'%s': invalid XML",
			       c->name);
}

static int is(const xmlNode *n, const char *lname)
{
	return n && n->type == XML_ELEMENT_NODE &&
	       !strcmp((const char *)n->name, lname);
}

/* An attribute's value; the caller frees it with xmlFree. */
static char *attr(const xmlNode *n, const char *a)
{
	return (char *)drydock_xml.get_prop(n, (const xmlChar *)a);
}

/* An element's text, bounded; NULL when over the limit. xmlFree. */
static char *text(const xmlNode *n)
{
	char *t = (char *)drydock_xml.node_get_content(n);

	if (t && strlen(t) > DRYDOCK_MAX_OVAL_TEXT) {
		drydock_xml.free(t);
		return NULL;
	}
	return t;
}

static const xmlNode *child(const xmlNode *n, const char *lname)
{
	const xmlNode *k;

	for (k = n ? n->children : NULL; k; k = k->next)
		if (is(k, lname))
			return k;
	return NULL;
}

static int count_item(struct ctx *c)
{
	if (++c->nitems > DRYDOCK_MAX_OVAL_ITEMS)
		return drydock_err_set(c->err, DRYDOCK_ELIMIT,
				       "'%s': more than %u tests, objects, "
				       "states and variables",
				       c->name, DRYDOCK_MAX_OVAL_ITEMS);
	return 0;
}

/* Pass 1: one element of tests/objects/states/variables. */
static int take_item(struct ctx *c, const char *section, const xmlNode *n)
{
	char *id = attr(n, "id");
	json_t *v = NULL;
	const xmlNode *k;
	int rc = 0;

	if (!id)
		return 0;
	if (!strcmp(section, "tests") && is(n, c->fl->test_name)) {
		const xmlNode *o = child(n, "object"), *s = child(n, "state");
		char * or = o ? attr(o, "object_ref") : NULL;
		char *sr = s ? attr(s, "state_ref") : NULL;

		if (or &&sr)
			v = json_pack("[ss]", or, sr);
		drydock_xml.free(or);
		drydock_xml.free(sr);
		if (v && json_object_set_new(c->tests, id, v))
			rc = -1;
	} else if (!strcmp(section, "objects")) {
		const xmlNode *nm = child(n, "name");
		char *ref = nm ? attr(nm, "var_ref") : NULL;

		if (ref) {
			v = json_pack("{ss}", "var", ref);
		} else if (nm) {
			char *t = text(nm);

			if (t && *t)
				v = json_string(t);
			drydock_xml.free(t);
		}
		drydock_xml.free(ref);
		if (v && json_object_set_new(c->objects, id, v))
			rc = -1;
	} else if (!strcmp(section, "states")) {
		const xmlNode *e = child(n, "evr");
		char *op = e ? attr(e, "operation") : NULL;

		if (op && !strcmp(op, "less than")) {
			char *t = text(e);

			if (t && *t && strlen(t) <= DRYDOCK_MAX_VERSION_LEN)
				v = json_string(t);
			drydock_xml.free(t);
		}
		drydock_xml.free(op);
		if (v && json_object_set_new(c->states, id, v))
			rc = -1;
	} else if (!strcmp(section, "variables") &&
		   is(n, "constant_variable")) {
		v = json_array();
		for (k = n->children; v && k; k = k->next) {
			char *t;

			if (!is(k, "value"))
				continue;
			t = text(k);
			if (t && *t && json_array_append_new(v, json_string(t)))
				rc = -1;
			drydock_xml.free(t);
			if (!rc && (rc = count_item(c)))
				break;
		}
		if (v && json_object_set_new(c->vars, id, v) && !rc)
			rc = -1;
	}
	drydock_xml.free(id);
	if (rc == -1)
		rc = drydock_err_set(c->err, DRYDOCK_ENOMEM, "out of memory");
	if (!rc)
		rc = count_item(c);
	return rc;
}

static void take_generator(struct ctx *c, const xmlNode *n)
{
	const xmlNode *t = child(n, "timestamp");
	char *s = t ? text(t) : NULL;

	/* xsd:dateTime; OVAL generators write UTC without a zone */
	if (s && strlen(s) >= 19 && strlen(s) < 40)
		snprintf(c->feed_time, sizeof(c->feed_time), "%s%s", s,
			 strlen(s) == 19 ? "Z" : "");
	drydock_xml.free(s);
}

/* Pass 2: a namespace set of a definition. */
struct nsset {
	char ns[MAX_NS][48];
	size_t n;
};

static void ns_add(struct nsset *s, const char *ns)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (!strcmp(s->ns[i], ns))
			return;
	if (s->n < MAX_NS)
		snprintf(s->ns[s->n++], sizeof(s->ns[0]), "%s", ns);
}

/* Collect the package tests of criteria into pairs ("name\tevr" keys,
 * in document order). */
static int walk_criteria(struct ctx *c, const xmlNode *n, int depth,
			 size_t *count, json_t *pairs)
{
	const xmlNode *k;

	if (depth > DRYDOCK_MAX_OVAL_DEPTH)
		return drydock_err_set(c->err, DRYDOCK_ELIMIT,
				       "'%s': criteria nested deeper than %d",
				       c->name, DRYDOCK_MAX_OVAL_DEPTH);
	for (k = n->children; k; k = k->next) {
		if (k->type != XML_ELEMENT_NODE)
			continue;
		if (++*count > DRYDOCK_MAX_OVAL_CRITERIA)
			return drydock_err_set(c->err, DRYDOCK_ELIMIT,
					       "'%s': more than %u criteria in "
					       "one definition",
					       c->name,
					       DRYDOCK_MAX_OVAL_CRITERIA);
		if (is(k, "criteria")) {
			int rc = walk_criteria(c, k, depth + 1, count, pairs);

			if (rc)
				return rc;
		} else if (is(k, "criterion")) {
			char *ref = attr(k, "test_ref");
			const json_t *t =
				ref ? json_object_get(c->tests, ref) : NULL;
			const char *evr, *oref;
			const json_t *obj, *names;
			size_t i;

			drydock_xml.free(ref);
			if (!t)
				continue;
			oref = json_string_value(json_array_get(t, 0));
			evr = json_string_value(json_object_get(
				c->states,
				json_string_value(json_array_get(t, 1))));
			obj = oref ? json_object_get(c->objects, oref) : NULL;
			if (!evr || !obj)
				continue;
			if (json_is_string(obj)) {
				names = NULL;
			} else {
				names = json_object_get(
					c->vars,
					json_string_value(
						json_object_get(obj, "var")));
				if (!names)
					continue;
			}
			for (i = 0; i < (names ? json_array_size(names) : 1);
			     i++) {
				const char *nm = json_string_value(
					names ? json_array_get(names, i) : obj);
				char key[DRYDOCK_MAX_VERSION_LEN + 1024];

				if (!nm)
					continue;
				if ((size_t)snprintf(key, sizeof(key), "%s\t%s",
						     nm, evr) >= sizeof(key))
					continue;
				if (json_object_set_new(pairs, key,
							json_true()))
					return drydock_err_set(c->err,
							       DRYDOCK_ENOMEM,
							       "out of memory");
			}
		}
	}
	return 0;
}

/* "20230121" -> "2023-01-21"; else NULL. */
static const char *ymd(const char *s, char *out, size_t size)
{
	size_t i;

	if (!s || strlen(s) != 8)
		return NULL;
	for (i = 0; i < 8; i++)
		if (!isdigit((unsigned char)s[i]))
			return NULL;
	snprintf(out, size, "%.4s-%.2s-%.2s", s, s + 4, s + 6);
	return out;
}

struct cveinfo {
	const xmlNode *node; /* the advisory's <cve>, or NULL */
	char *id;
};

static int take_definition(struct ctx *c, const xmlNode *def)
{
	const xmlNode *md = child(def, "metadata"), *adv, *k, *crit;
	char *cls = attr(def, "class"), *defid = attr(def, "id");
	char *title = NULL, *desc = NULL, *advid = NULL, *sevtext = NULL;
	char *issued = NULL;
	const char **aliases = NULL, **urls = NULL;
	xmlChar **owned = NULL;
	size_t nowned = 0, ncve = 0, nurl = 0, count = 0, i, j;
	struct nsset nss = {.n = 0};
	json_t *pairs = NULL;
	const char *sev;
	int rc = 0;

	if (!cls || strcmp(cls, "patch") || !md)
		goto out;
	aliases = calloc(DRYDOCK_MAX_FEED_LIST_ITEMS + 1, sizeof(*aliases));
	urls = calloc(DRYDOCK_MAX_FEED_LIST_ITEMS + 1, sizeof(*urls));
	owned = calloc(2 * DRYDOCK_MAX_FEED_LIST_ITEMS + 2, sizeof(*owned));
	pairs = json_object();
	if (!aliases || !urls || !owned || !pairs) {
		rc = drydock_err_set(c->err, DRYDOCK_ENOMEM, "out of memory");
		goto out;
	}
	title = text(child(md, "title"));
	desc = text(child(md, "description"));
	for (k = md->children; k; k = k->next) {
		if (is(k, "reference")) {
			char *src = attr(k, "source"), *ref = attr(k, "ref_id");
			char *url = attr(k, "ref_url");

			if (src && ref && !strcmp(src, c->fl->advisory_ref) &&
			    !advid) {
				advid = ref;
				ref = NULL;
			} else if (src && ref && !strcmp(src, "CVE") &&
				   ncve < DRYDOCK_MAX_FEED_LIST_ITEMS) {
				aliases[ncve++] = ref;
				owned[nowned++] = (xmlChar *)ref;
				ref = NULL;
			}
			if (url && *url && nurl < DRYDOCK_MAX_FEED_LIST_ITEMS) {
				urls[nurl++] = url;
				owned[nowned++] = (xmlChar *)url;
				url = NULL;
			}
			drydock_xml.free(src);
			drydock_xml.free(ref);
			drydock_xml.free(url);
		} else if (is(k, "affected")) {
			const xmlNode *p;

			for (p = k->children; p; p = p->next) {
				char *pt, ns[48];

				if (!is(p, "platform"))
					continue;
				pt = text(p);
				if (pt &&
				    !c->fl->platform_ns(pt, ns, sizeof(ns)))
					ns_add(&nss, ns);
				drydock_xml.free(pt);
			}
		}
	}
	if (!nss.n && c->fl->defid_ns && defid) {
		char ns[48];

		if (!c->fl->defid_ns(defid, ns, sizeof(ns)))
			ns_add(&nss, ns);
	}
	adv = child(md, "advisory");
	sevtext = text(child(adv, "severity"));
	sev = drydock_feed_severity(sevtext);
	{
		const xmlNode *is_ = child(adv, "issued");

		issued = is_ ? attr(is_, "date") : NULL;
	}

	/* a bug fix or enhancement (RHBA, RHEA) that names no CVE is not
	 * a vulnerability */
	if (!ncve && (!advid || strncmp(advid, c->fl->advisory_ref,
					strlen(c->fl->advisory_ref))))
		goto out;
	/* the advisory's own record */
	if (advid) {
		struct drydock_vuln v;

		memset(&v, 0, sizeof(v));
		v.id = advid;
		v.aliases = ncve ? aliases : NULL;
		v.title = title;
		v.description = desc;
		v.published = issued;
		v.references = nurl ? urls : NULL;
		v.data_source = c->fl->data_source;
		rc = c->sink->vuln(c->sink->payload, &v);
		if (rc)
			goto out;
	}
	/* each CVE's rating as the advisory states it */
	for (k = adv ? adv->children : NULL; k; k = k->next) {
		struct drydock_vuln v;
		struct drydock_cvss cv;
		char *id, *href, *pub, *vec = NULL, *score = NULL, *c3 = NULL;
		const char *ref1[2] = {NULL, NULL};
		char date[16];

		if (!is(k, "cve"))
			continue;
		id = text(k);
		if (!id || !*id) {
			drydock_xml.free(id);
			continue;
		}
		href = attr(k, "href");
		pub = attr(k, "public");
		memset(&v, 0, sizeof(v));
		memset(&cv, 0, sizeof(cv));
		v.id = id;
		v.published = ymd(pub, date, sizeof(date));
		if (href && *href) {
			ref1[0] = href;
			v.references = ref1;
		}
		vec = attr(k, "cvss_vector");
		score = attr(k, "cvss_score");
		c3 = attr(k, "cvss3");
		if (vec && !strncmp(vec, "CVSS:3.", 7)) {
			double s = drydock_cvss3_base_score(vec);

			cv.vector = vec;
			cv.score = s;
			(void)score;
		} else if (c3 && strchr(c3, '/') &&
			   !strncmp(strchr(c3, '/') + 1, "CVSS:3.", 7)) {
			cv.vector = strchr(c3, '/') + 1;
			cv.score = drydock_cvss3_base_score(cv.vector);
		}
		if (cv.vector) {
			cv.source = c->fl->cvss_rater;
			cv.version = cv.vector[7] == '1' ? "3.1" : "3.0";
			cv.severity = drydock_cvss_rating(cv.score);
			v.cvss = &cv;
			v.ncvss = 1;
		}
		v.data_source = c->fl->data_source;
		rc = c->sink->vuln(c->sink->payload, &v);
		drydock_xml.free(id);
		drydock_xml.free(href);
		drydock_xml.free(pub);
		drydock_xml.free(vec);
		drydock_xml.free(score);
		drydock_xml.free(c3);
		if (rc)
			goto out;
	}

	crit = child(def, "criteria");
	if (crit && (rc = walk_criteria(c, crit, 0, &count, pairs)))
		goto out;
	if (!nss.n || !json_object_size(pairs))
		goto out;
	/* one advisory per namespace x package test x vulnerability */
	for (i = 0; i < nss.n; i++) {
		const char *key;
		json_t *val;

		json_object_foreach(pairs, key, val)
		{
			char pkg[1024];
			const char *evr = strchr(key, '\t') + 1;
			size_t plen = (size_t)(evr - 1 - key);
			struct drydock_advisory a;

			(void)val;
			if (plen >= sizeof(pkg))
				continue;
			memcpy(pkg, key, plen);
			pkg[plen] = '\0';
			if (c->fl->strip_zero_epoch && !strncmp(evr, "0:", 2))
				evr += 2;
			for (j = 0; j < (ncve ? ncve : 1); j++) {
				const char *vid = ncve ? aliases[j] : advid;
				const char *vsev = sev;
				const xmlNode *ce;

				if (!vid)
					continue;
				/* a CVE's own priority/impact beats the
				 * advisory's severity */
				for (ce = adv ? adv->children : NULL;
				     ncve && ce; ce = ce->next) {
					char *t, *p;

					if (!is(ce, "cve"))
						continue;
					t = text(ce);
					if (t && !strcmp(t, vid)) {
						p = attr(ce, "priority");
						if (!p)
							p = attr(ce, "impact");
						if (p &&
						    drydock_feed_severity(p))
							vsev = drydock_feed_severity(
								p);
						drydock_xml.free(p);
					}
					drydock_xml.free(t);
				}
				memset(&a, 0, sizeof(a));
				a.namespace_ = nss.ns[i];
				a.package = pkg;
				a.vuln_id = vid;
				a.status = DRYDOCK_STATUS_FIXED;
				a.version_type = c->fl->version_type;
				a.fixed_version = evr;
				a.severity = vsev;
				a.advisory_id = advid;
				a.data_source = c->fl->data_source;
				rc = c->sink->advisory(c->sink->payload, &a);
				if (rc)
					goto out;
			}
		}
	}
out:
	for (i = 0; i < nowned; i++)
		drydock_xml.free(owned[i]);
	free(owned);
	free(aliases);
	free(urls);
	json_decref(pairs);
	drydock_xml.free(cls);
	drydock_xml.free(defid);
	drydock_xml.free(title);
	drydock_xml.free(desc);
	drydock_xml.free(advid);
	drydock_xml.free(sevtext);
	drydock_xml.free(issued);
	return rc;
}

#define READER_OPTS                                                            \
	(XML_PARSE_NONET | XML_PARSE_COMPACT | XML_PARSE_NOERROR |             \
	 XML_PARSE_NOWARNING)

/* One pass over the document; pass 1 reads the maps, pass 2 the
 * definitions. */
static int run_pass(struct ctx *c, xmlTextReaderPtr r, int pass)
{
	char section[32] = "";
	int ret, rc = 0, root_seen = 0;

	drydock_xml.text_reader_set_structured_error_handler(r, on_xml_error,
							     c);
	ret = drydock_xml.text_reader_read(r);
	while (ret == 1 && !rc) {
		int depth = drydock_xml.text_reader_depth(r);
		const char *ln;

		if (drydock_xml.text_reader_node_type(r) !=
		    XML_READER_TYPE_ELEMENT) {
			ret = drydock_xml.text_reader_read(r);
			continue;
		}
		ln = (const char *)drydock_xml.text_reader_const_local_name(r);
		if (!ln)
			ln = "";
		if (depth == 0) {
			if (strcmp(ln, "oval_definitions"))
				return drydock_err_set(
					c->err, DRYDOCK_ECORRUPT,
					"'%s': line %d: not an OVAL "
					"definitions document (root element "
					"<%.64s>)",
					c->name,
					(int)drydock_xml.get_line_no(
						drydock_xml
							.text_reader_current_node(
								r)),
					ln);
			root_seen = 1;
			ret = drydock_xml.text_reader_read(r);
			continue;
		}
		if (depth == 1) {
			snprintf(section, sizeof(section), "%s", ln);
			if (!strcmp(ln, "generator") && pass == 1) {
				xmlNodePtr n =
					drydock_xml.text_reader_expand(r);

				if (!n)
					break;
				take_generator(c, n);
				ret = drydock_xml.text_reader_next(r);
			} else if ((pass == 1 && (!strcmp(ln, "tests") ||
						  !strcmp(ln, "objects") ||
						  !strcmp(ln, "states") ||
						  !strcmp(ln, "variables"))) ||
				   (pass == 2 && !strcmp(ln, "definitions"))) {
				ret = drydock_xml.text_reader_read(r);
			} else {
				ret = drydock_xml.text_reader_next(r);
			}
			continue;
		}
		if (depth == 2) {
			xmlNodePtr n = drydock_xml.text_reader_expand(r);

			if (!n)
				break;
			if (pass == 1)
				rc = take_item(c, section, n);
			else if (is(n, "definition"))
				rc = take_definition(c, n);
			ret = drydock_xml.text_reader_next(r);
			continue;
		}
		ret = drydock_xml.text_reader_next(r);
	}
	if (rc)
		return rc;
	if (ret != 0 || c->have_xerr)
		return xml_fail(c);
	if (!root_seen)
		return drydock_err_set(c->err, DRYDOCK_ECORRUPT,
				       "'%s': not an OVAL definitions document",
				       c->name);
	return 0;
}

static int run(const struct oval_flavor *fl, const char *path, const char *data,
	       size_t len, const char *name,
	       const struct drydock_feed_sink *sink, struct drydock_err *err)
{
	struct ctx c;
	const char *why;
	int pass, rc = 0;

	if (drydock_xml_load(&why))
		return drydock_err_set(err, DRYDOCK_ERROR, "'%s': %s", name,
				       why);
	memset(&c, 0, sizeof(c));
	c.fl = fl;
	c.name = name;
	c.sink = sink;
	c.err = err;
	c.tests = json_object();
	c.objects = json_object();
	c.states = json_object();
	c.vars = json_object();
	if (!c.tests || !c.objects || !c.states || !c.vars) {
		rc = drydock_err_set(err, DRYDOCK_ENOMEM, "out of memory");
		goto out;
	}
	for (pass = 1; pass <= 2 && !rc; pass++) {
		xmlTextReaderPtr r =
			path ? drydock_xml.reader_for_file(path, NULL,
							   READER_OPTS)
			     : drydock_xml.reader_for_memory(
				       data, (int)len, NULL, NULL, READER_OPTS);

		if (!r) {
			rc = path ? drydock_err_set(err, DRYDOCK_EIO,
						    "'%s': cannot open", name)
				  : drydock_err_set(err, DRYDOCK_ENOMEM,
						    "out of memory");
			break;
		}
		rc = run_pass(&c, r, pass);
		drydock_xml.free_text_reader(r);
		if (!rc && pass == 1 && c.feed_time[0] && sink->feed_time)
			rc = sink->feed_time(sink->payload, c.feed_time);
	}
out:
	json_decref(c.tests);
	json_decref(c.objects);
	json_decref(c.states);
	json_decref(c.vars);
	return rc;
}

int drydock_oval_parse_file(const struct oval_flavor *fl, const char *path,
			    const char *name,
			    const struct drydock_feed_sink *sink,
			    struct drydock_err *err)
{
	struct stat st;

	if (stat(path, &st))
		return drydock_err_errno(err, errno, name);
	if ((unsigned long long)st.st_size > DRYDOCK_MAX_FEED_XML_BYTES)
		return drydock_err_set(err, DRYDOCK_ELIMIT,
				       "'%s': XML document larger than %llu "
				       "bytes",
				       name, DRYDOCK_MAX_FEED_XML_BYTES);
	return run(fl, path, NULL, 0, name, sink, err);
}

int drydock_oval_parse_memory(const struct oval_flavor *fl, const char *data,
			      size_t len, const char *name,
			      const struct drydock_feed_sink *sink,
			      struct drydock_err *err)
{
	if (len > 0x7fffffff)
		return drydock_err_set(err, DRYDOCK_ELIMIT,
				       "'%s': XML document too large in memory",
				       name);
	return run(fl, NULL, data, len, name, sink, err);
}
