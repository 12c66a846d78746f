#include "../lib/util/setup.h"

#include "fuzz-feed.h"

/* Alpine secdb JSON importer (lib/vulndb/feed_alpine.c). */

extern const struct drydock_importer drydock_importer_alpine_secdb;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_feed(&drydock_importer_alpine_secdb, data, size);
	return 0;
}
