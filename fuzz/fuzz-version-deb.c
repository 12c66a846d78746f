#include "../lib/util/setup.h"

#include "fuzz-version.h"

/* drydock_deb_compare: no crash, and a total preorder (fuzz-version.h). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_version_input(drydock_deb_compare, drydock_deb_valid, data,
				  size);
}
