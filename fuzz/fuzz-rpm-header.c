#include "../lib/util/setup.h"

#include "fuzz-rpm.h"

/* one rpm header blob (lib/inventory/rpm_header.c) */

static int fuzz_rpm_header(struct drydock_inventory *inv, const uint8_t *d,
			   size_t len, const char *name,
			   struct drydock_err *err)
{
	return drydock_rpm_parse_header(inv, d, len, name, err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_rpm(fuzz_rpm_header, data, size);
	/* and through the format dispatch */
	fuzz_rpm(fuzz_rpm_db, data, size);
	return 0;
}
