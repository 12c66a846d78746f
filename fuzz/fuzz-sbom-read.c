#include "../lib/util/setup.h"

#include "drydock/error.h"
#include "drydock/inventory.h"
#include "drydock/report.h"

/* SBOM reader (lib/report/sbom_read.c): CycloneDX, SPDX, drydock JSON. */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct drydock_inventory inv;
	struct drydock_sbom_info info;
	struct drydock_err err;

	drydock_inventory_init(&inv);
	drydock_sbom_read(&inv, &info, (const char *)data, size, "fuzz", &err);
	drydock_inventory_free(&inv);
	return 0;
}
