#include "../lib/util/setup.h"

#include "fuzz-feed.h"
#include "lib/vulndb/feed-common.h"

/*
 * Red Hat OVAL importer (lib/vulndb/feed_redhat_oval.c), through its
 * in-memory entry (the importer itself streams from a file with the same
 * engine).
 */

extern const struct drydock_importer drydock_importer_redhat_oval;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct drydock_feed_sink sink;
	struct drydock_err err;
	size_t n = 0;
	int rc;

	(void)fuzz_feed; /* the shared body parses from memory only */

	sink.advisory = fuzz_adv;
	sink.vuln = fuzz_vuln;
	sink.feed_time = fuzz_time;
	sink.payload = &n;
	drydock_importer_redhat_oval.detect(
		(const char *)data, size < 65536 ? size : 65536, "fuzz");
	drydock_err_clear(&err);
	rc = drydock_oval_redhat_parse_memory((const char *)data, size, "fuzz",
					      &sink, &err);
	if (rc && (!err.msg[0] || strchr(err.msg, '\n')))
		__builtin_trap();
	return 0;
}
