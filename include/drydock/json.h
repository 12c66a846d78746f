#ifndef DRYDOCK_JSON_H
#define DRYDOCK_JSON_H

/*
 * JSON helpers over jansson: bounded loading and typed getters that never
 * trust the document's shape.
 */

#include <jansson.h>
#include <stddef.h>

struct drydock_err;

/*
 * Parse len bytes as one JSON document. Rejects documents over max bytes
 * or nested deeper than DRYDOCK_MAX_JSON_DEPTH. name is used in the error
 * message ("'index.json': line 3 column 4: ..."). Caller owns the result
 * (json_decref).
 */
json_t *drydock_json_load(const char *data, size_t len, size_t max,
			  const char *name, struct drydock_err *err);

/* A string member, or NULL when absent or not a string. Borrowed. */
const char *drydock_json_str(const json_t *obj, const char *key);
/* An integer member into *out; returns 0, or -1 when absent/not integer. */
int drydock_json_int(const json_t *obj, const char *key, long long *out);

/*
 * Serialise with sorted keys and 2-space indent, ending in a newline,
 * appending to b. Output is byte-identical for equal documents.
 */
struct drydock_buf;
int drydock_json_dump(struct drydock_buf *b, const json_t *doc, int pretty);

#endif
