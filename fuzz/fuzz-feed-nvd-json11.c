#include "../lib/util/setup.h"

#include "fuzz-feed.h"

/* The nvd-json11 importer (lib/vulndb/feed_*.c). */

extern const struct drydock_importer drydock_importer_nvd_json11;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_feed(&drydock_importer_nvd_json11, data, size);
	return 0;
}
