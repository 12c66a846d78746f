#include "../lib/util/setup.h"

#include "drydock/error.h"
#include "drydock/limits.h"
#include "lib/registry/internal.h"

/*
 * Credentials from untrusted-shaped text: a docker config.json (looked
 * up for a few registries) and a credential helper's reply to "get".
 * Never crashes; a helper named by the config is always a valid name;
 * what parses yields either credentials or an identity token.
 */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const domains[] = {"docker.io",
					      "registry.example.com:5000",
					      "127.0.0.1:5000", "ghcr.io"};
	char helper[DRYDOCK_MAX_CRED_HELPER_NAME + 1];
	const char *s = (const char *)data;
	struct creds c;
	size_t i;

	for (i = 0; i < sizeof(domains) / sizeof(domains[0]); i++) {
		if (docker_config_parse(s, size, "config.json", domains[i], &c,
					helper, sizeof(helper), NULL))
			continue;
		if (helper[0] && (!cred_helper_name_valid(helper) ||
				  c.username || c.identity_token))
			abort();
		creds_free(&c);
	}
	if (!cred_helper_parse("fuzz", s, size, &c, NULL)) {
		if (c.identity_token && (c.username || c.password))
			abort();
		if (c.username && !c.password)
			abort();
		creds_free(&c);
	}
	return 0;
}
