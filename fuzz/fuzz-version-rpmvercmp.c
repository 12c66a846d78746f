#include "../lib/util/setup.h"

#include "fuzz-version.h"

/* drydock_rpm_vercmp on any strings: no crash, and a total preorder
 * (fuzz-version.h). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int vercmp(const char *a, const char *b, int *out,
		  struct drydock_err *err)
{
	(void)err;
	*out = drydock_rpm_vercmp(a, b);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_version_input(vercmp, NULL, data, size);
}
