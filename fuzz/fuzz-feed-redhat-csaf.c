#include "../lib/util/setup.h"

#include "fuzz-feed.h"

/* Red Hat CSAF importer (lib/vulndb/feed_redhat_csaf.c). */

extern const struct drydock_importer drydock_importer_redhat_csaf;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_feed(&drydock_importer_redhat_csaf, data, size);
	return 0;
}
