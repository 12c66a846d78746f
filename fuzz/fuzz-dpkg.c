#include "../lib/util/setup.h"

#include "fuzz-inventory.h"

/* dpkg status and status.d files (lib/inventory/dpkg.c) */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_inventory(drydock_dpkg_parse_status, data, size);
	return 0;
}
