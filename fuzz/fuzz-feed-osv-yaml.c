#include "../lib/util/setup.h"

#include "fuzz-feed.h"

/* OSV YAML importer (lib/vulndb/feed_osv_yaml.c). */

extern const struct drydock_importer drydock_importer_osv_yaml;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_feed(&drydock_importer_osv_yaml, data, size);
	return 0;
}
