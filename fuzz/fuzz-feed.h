#ifndef DRYDOCK_FUZZ_FEED_H
#define DRYDOCK_FUZZ_FEED_H

/*
 * Shared body of the feed importer harnesses: run one importer's detect
 * and parse over the input with a sink that checks and counts records
 * (no database), so only the parser is exercised.
 */

#include "drydock/error.h"
#include "drydock/feed.h"

static int fuzz_adv(void *payload, const struct drydock_advisory *a)
{
	size_t *n = payload;

	/* the fields a record must have, read to catch dangling pointers */
	if (!a->namespace_ || !a->package || !a->vuln_id || !a->status)
		__builtin_trap();
	*n += strlen(a->namespace_) + strlen(a->package) + strlen(a->vuln_id) +
	      strlen(a->status) +
	      (a->fixed_version ? strlen(a->fixed_version) : 0);
	return 0;
}

static int fuzz_vuln(void *payload, const struct drydock_vuln *v)
{
	size_t *n = payload, i;

	if (!v->id)
		__builtin_trap();
	*n += strlen(v->id);
	for (i = 0; v->aliases && v->aliases[i]; i++)
		*n += strlen(v->aliases[i]);
	for (i = 0; v->references && v->references[i]; i++)
		*n += strlen(v->references[i]);
	for (i = 0; i < v->ncvss; i++)
		*n += v->cvss[i].vector ? strlen(v->cvss[i].vector) : 0;
	return 0;
}

static int fuzz_time(void *payload, const char *ts)
{
	size_t *n = payload;

	*n += ts ? strlen(ts) : 0;
	return 0;
}

static void fuzz_feed(const struct drydock_importer *imp, const uint8_t *data,
		      size_t size)
{
	struct drydock_feed_sink sink;
	struct drydock_err err;
	size_t n = 0;
	int rc;

	sink.advisory = fuzz_adv;
	sink.vuln = fuzz_vuln;
	sink.feed_time = fuzz_time;
	sink.payload = &n;
	imp->detect((const char *)data, size < 65536 ? size : 65536, "fuzz");
	drydock_err_clear(&err);
	rc = imp->parse((const char *)data, size, "fuzz", &sink, &err);
	/* an error always comes with a one-line message */
	if (rc && (!err.msg[0] || strchr(err.msg, '\n')))
		__builtin_trap();
}

#endif
