#include "../lib/util/setup.h"

#include "fuzz-inventory.h"

/* apk installed databases (lib/inventory/apk.c) */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_inventory(drydock_apk_parse_installed, data, size);
	return 0;
}
