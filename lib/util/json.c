#include "setup.h"

#include "drydock/buf.h"
#include "drydock/error.h"
#include "drydock/json.h"
#include "drydock/limits.h"

/*
 * Check nesting before handing the text to jansson, which recurses once
 * per level: a document of a million '[' must not exhaust the stack.
 * Strings are skipped so brackets inside them do not count.
 */
static int depth_ok(const char *p, size_t len, int maxdepth)
{
	int depth = 0, in_str = 0;
	size_t i;

	for (i = 0; i < len; i++) {
		char c = p[i];

		if (in_str) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_str = 0;
			continue;
		}
		if (c == '"') {
			in_str = 1;
		} else if (c == '[' || c == '{') {
			if (++depth > maxdepth)
				return 0;
		} else if (c == ']' || c == '}') {
			depth--;
		}
	}
	return 1;
}

json_t *drydock_json_load(const char *data, size_t len, size_t max,
			  const char *name, struct drydock_err *err)
{
	json_error_t je;
	json_t *doc;

	if (len > max) {
		drydock_err_set(err, DRYDOCK_ELIMIT,
				"'%s': JSON document of %zu bytes exceeds the "
				"limit of %zu",
				name, len, max);
		return NULL;
	}
	if (!depth_ok(data, len, DRYDOCK_MAX_JSON_DEPTH)) {
		drydock_err_set(err, DRYDOCK_ELIMIT,
				"'%s': JSON nested deeper than %d levels", name,
				DRYDOCK_MAX_JSON_DEPTH);
		return NULL;
	}
	doc = json_loadb(data, len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL,
			 &je);
	if (!doc) {
		size_t i;

		/* jansson quotes the input near the error: keep the message
		 * one line whatever bytes the input has there */
		for (i = 0; je.text[i]; i++)
			if ((unsigned char)je.text[i] < 0x20 ||
			    je.text[i] == 0x7f)
				je.text[i] = '?';
		drydock_err_set(err, DRYDOCK_ECORRUPT,
				"'%s': invalid JSON at line %d column %d: %s",
				name, je.line, je.column, je.text);
		return NULL;
	}
	return doc;
}

const char *drydock_json_str(const json_t *obj, const char *key)
{
	json_t *v;

	if (!json_is_object(obj))
		return NULL;
	v = json_object_get(obj, key);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

int drydock_json_int(const json_t *obj, const char *key, long long *out)
{
	json_t *v;

	if (!json_is_object(obj))
		return -1;
	v = json_object_get(obj, key);
	if (!json_is_integer(v))
		return -1;
	*out = json_integer_value(v);
	return 0;
}

static int dump_cb(const char *buffer, size_t size, void *data)
{
	return drydock_buf_put(data, buffer, size) ? -1 : 0;
}

int drydock_json_dump(struct drydock_buf *b, const json_t *doc, int pretty)
{
	size_t flags = JSON_SORT_KEYS | JSON_ENCODE_ANY;

	if (pretty)
		flags |= JSON_INDENT(2);
	else
		flags |= JSON_COMPACT;
	if (json_dump_callback(doc, dump_cb, b, flags))
		return DRYDOCK_ELIMIT;
	return drydock_buf_putc(b, '\n');
}
