#include "../lib/util/setup.h"

#include "fuzz-feed.h"

/* The debian-tracker importer (lib/vulndb/feed_*.c). */

extern const struct drydock_importer drydock_importer_debian_tracker;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_feed(&drydock_importer_debian_tracker, data, size);
	return 0;
}
