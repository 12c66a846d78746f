#include "../util/setup.h"

#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <yaml.h>

#include "drydock/error.h"
#include "drydock/feed.h"
#include "drydock/limits.h"
#include "feed-common.h"

/*
 * OSV records in YAML, as pypa/advisory-database keeps them
 * (vulns/<package>/PYSEC-*.yaml): one record per file. The YAML is read
 * with libyaml's event parser into a JSON tree, then imported exactly as
 * the JSON form (drydock_osv_record).
 *
 * Only the plain YAML data model the OSV files use is accepted: one
 * document of mappings, sequences and scalars. Scalars become strings
 * (OSV's versions "4.0" and events "0" are strings; unquoted numbers are
 * kept as written), except the plain scalars "", "~" and "null", which
 * are null. Aliases are refused (they let a small document expand
 * without bound), as are keys that are not scalars, and anything past
 * DRYDOCK_MAX_JSON_DEPTH levels or DRYDOCK_MAX_FEED_YAML_NODES nodes.
 */

struct frame {
	json_t *node;
	char *key; /* a mapping's pending key, NULL when none */
};

struct reader {
	struct frame stack[DRYDOCK_MAX_JSON_DEPTH + 1];
	int depth;
	size_t nodes;
	json_t *root;
};

static void reader_free(struct reader *r)
{
	int i;

	for (i = 0; i < r->depth; i++)
		free(r->stack[i].key);
	json_decref(r->root);
}

/* Attach v (a new reference, always consumed) to the innermost
 * container, or make it the root. A scalar in a mapping's key position
 * becomes the pending key. Returns 0, -1 when a key is not a scalar, -2
 * when out of memory. */
static int attach(struct reader *r, json_t *v, int is_scalar, const char *text)
{
	struct frame *f;

	if (!r->depth) {
		r->root = v;
		return 0;
	}
	f = &r->stack[r->depth - 1];
	if (json_is_array(f->node))
		return json_array_append_new(f->node, v) ? -2 : 0;
	if (!f->key) {
		/* a key: only scalars */
		json_decref(v);
		if (!is_scalar)
			return -1;
		f->key = strdup(text);
		return f->key ? 0 : -2;
	}
	if (json_object_set_new(f->node, f->key, v)) {
		free(f->key);
		f->key = NULL;
		return -2;
	}
	free(f->key);
	f->key = NULL;
	return 0;
}

static int parse(const char *data, size_t len, const char *name,
		 const struct drydock_feed_sink *sink, struct drydock_err *err)
{
	yaml_parser_t p;
	yaml_event_t ev;
	struct reader r;
	char where[512];
	int rc = 0, done = 0, docs = 0;

	if (len > DRYDOCK_MAX_FEED_YAML_BYTES)
		return drydock_err_set(err, DRYDOCK_ELIMIT,
				       "'%s': YAML document larger than %u "
				       "bytes",
				       name, DRYDOCK_MAX_FEED_YAML_BYTES);
	memset(&r, 0, sizeof(r));
	if (!yaml_parser_initialize(&p))
		return drydock_err_set(err, DRYDOCK_ENOMEM, "out of memory");
	yaml_parser_set_input_string(&p, (const unsigned char *)data, len);
	while (!done && !rc) {
		size_t line, col;

		if (!yaml_parser_parse(&p, &ev)) {
			rc = drydock_err_set(
				err, DRYDOCK_ECORRUPT,
				"'%s': invalid YAML at line %zu column %zu: %s",
				name, p.problem_mark.line + 1,
				p.problem_mark.column + 1,
				p.problem ? p.problem : "syntax error");
			break;
		}
		line = ev.start_mark.line + 1;
		col = ev.start_mark.column + 1;
		switch (ev.type) {
		case YAML_STREAM_END_EVENT:
			done = 1;
			break;
		case YAML_DOCUMENT_START_EVENT:
			if (++docs > 1)
				rc = drydock_err_set(
					err, DRYDOCK_ECORRUPT,
					"'%s': line %zu: more than one YAML "
					"document",
					name, line);
			break;
		case YAML_ALIAS_EVENT:
			rc = drydock_err_set(err, DRYDOCK_EUNSUPPORTED,
					     "'%s': line %zu column %zu: YAML "
					     "aliases are not supported",
					     name, line, col);
			break;
		case YAML_SCALAR_EVENT:
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT: {
			json_t *v;
			int a, scalar = ev.type == YAML_SCALAR_EVENT;
			const char *text = "";

			if (++r.nodes > DRYDOCK_MAX_FEED_YAML_NODES) {
				rc = drydock_err_set(
					err, DRYDOCK_ELIMIT,
					"'%s': line %zu: more than %u YAML "
					"nodes",
					name, line,
					DRYDOCK_MAX_FEED_YAML_NODES);
				break;
			}
			if (r.depth == 0 && r.root) {
				rc = drydock_err_set(err, DRYDOCK_ECORRUPT,
						     "'%s': line %zu: more "
						     "than one YAML document",
						     name, line);
				break;
			}
			if (scalar) {
				text = (const char *)ev.data.scalar.value;
				if (ev.data.scalar.plain_implicit &&
				    (!ev.data.scalar.length ||
				     !strcmp(text, "~") ||
				     !strcmp(text, "null")))
					v = json_null();
				else
					v = json_stringn_nocheck(
						text, ev.data.scalar.length);
			} else if (ev.type == YAML_SEQUENCE_START_EVENT) {
				v = json_array();
			} else {
				v = json_object();
			}
			if (!v) {
				rc = drydock_err_set(
					err, DRYDOCK_ECORRUPT,
					"'%s': line %zu column %zu: "
					"scalar is not valid UTF-8",
					name, line, col);
				break;
			}
			if (!scalar && r.depth >= DRYDOCK_MAX_JSON_DEPTH) {
				json_decref(v);
				rc = drydock_err_set(
					err, DRYDOCK_ELIMIT,
					"'%s': line %zu: YAML nested deeper "
					"than %d levels",
					name, line, DRYDOCK_MAX_JSON_DEPTH);
				break;
			}
			/* the parent (or root) owns v; the stack borrows it */
			a = attach(&r, v, scalar, text);
			if (a) {
				rc = a == -1 ? drydock_err_set(
						       err, DRYDOCK_ECORRUPT,
						       "'%s': line %zu column "
						       "%zu: a mapping key "
						       "that is not a scalar",
						       name, line, col)
					     : drydock_err_set(err,
							       DRYDOCK_ENOMEM,
							       "out of memory");
				break;
			}
			if (!scalar) {
				r.stack[r.depth].node = v;
				r.stack[r.depth].key = NULL;
				r.depth++;
			}
			break;
		}
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			if (r.depth > 0) {
				r.depth--;
				free(r.stack[r.depth].key);
				r.stack[r.depth].key = NULL;
			}
			break;
		default:
			break;
		}
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&p);
	if (rc) {
		reader_free(&r);
		return rc;
	}
	if (!r.root)
		return drydock_err_set(err, DRYDOCK_ECORRUPT,
				       "'%s': empty YAML document", name);
	snprintf(where, sizeof(where), "'%s'", name);
	rc = drydock_osv_record(r.root, where, "osv-yaml", sink, err);
	json_decref(r.root);
	return rc;
}

/* A top-level key at the start of a line: "\nid: " or the file's start. */
static int has_key(const char *head, size_t len, const char *key)
{
	size_t klen = strlen(key), i;

	for (i = 0; i + klen + 1 < len; i++)
		if ((i == 0 || head[i - 1] == '\n') &&
		    !memcmp(head + i, key, klen) && head[i + klen] == ':')
			return 1;
	return 0;
}

static int detect(const char *head, size_t len, const char *path)
{
	size_t i = 0;
	int score = 0;

	(void)path;
	while (i < len && isspace((unsigned char)head[i]))
		i++;
	if (i == len || head[i] == '{' || head[i] == '[' || head[i] == '<')
		return 0;
	if (!has_key(head, len, "id"))
		return 0;
	if (has_key(head, len, "modified"))
		score += 40;
	if (has_key(head, len, "affected"))
		score += 30;
	if (has_key(head, len, "details") || has_key(head, len, "aliases") ||
	    has_key(head, len, "summary") || has_key(head, len, "published"))
		score += 15;
	return score < 40 ? 0 : score;
}

const struct drydock_importer drydock_importer_osv_yaml = {
	"osv-yaml", "OSV records, YAML (pypa/advisory-database)", detect, parse,
	NULL,
};
