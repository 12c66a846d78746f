#include "../lib/util/setup.h"

#include "fuzz-rpm.h"

/* rpmdb.sqlite (lib/inventory/rpm_sqlite.c) */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_rpm(rpm_sqlite_parse, data, size);
	/* and through the format dispatch */
	fuzz_rpm(fuzz_rpm_db, data, size);
	return 0;
}
