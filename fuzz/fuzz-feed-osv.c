#include "../lib/util/setup.h"

#include "fuzz-feed.h"

/* OSV JSON importer (lib/vulndb/feed_osv.c). */

extern const struct drydock_importer drydock_importer_osv;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_feed(&drydock_importer_osv, data, size);
	return 0;
}
