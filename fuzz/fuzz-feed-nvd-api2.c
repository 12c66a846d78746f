#include "../lib/util/setup.h"

#include "fuzz-feed.h"

/* The nvd-api2 importer (lib/vulndb/feed_*.c). */

extern const struct drydock_importer drydock_importer_nvd_api2;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_feed(&drydock_importer_nvd_api2, data, size);
	return 0;
}
