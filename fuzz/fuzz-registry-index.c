#include "../lib/util/setup.h"

#include "drydock/error.h"
#include "drydock/registry.h"

/*
 * Platform selection in an image index from a registry (an untrusted
 * document): never crashes, and a pick is a valid digest.
 */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const plats[] = {"linux/amd64", "linux/arm64",
					    "linux/arm/v7", "windows/amd64"};
	char d[DRYDOCK_DIGEST_MAX], mt[128];
	size_t i;

	for (i = 0; i < sizeof(plats) / sizeof(plats[0]); i++)
		if (drydock_registry_pick_platform((const char *)data, size,
						   plats[i], d, mt,
						   NULL) == 0 &&
		    drydock_digest_validate(d, NULL))
			abort();
	return 0;
}
