#include "../lib/util/setup.h"

#include <stdio.h>
#include <time.h>

#include "drydock/error.h"
#include "drydock/registry.h"
#include "lib/registry/internal.h"

/*
 * lib/registry's text parsers. The first byte picks one: 'c' a
 * WWW-Authenticate challenge, 'r' a Retry-After value, anything else an
 * image reference (whatever parses must format and parse back to the
 * same reference).
 */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct drydock_registry_ref r, r2;
	struct challenge c;
	char *s, out[1024];

	if (size < 1 || size > 4096)
		return 0;
	s = malloc(size);
	if (!s)
		return 0;
	memcpy(s, data + 1, size - 1);
	s[size - 1] = '\0';
	if (data[0] == 'c') {
		challenge_parse(s, &c);
	} else if (data[0] == 'r') {
		retry_after_seconds(s, (time_t)1795880000);
	} else if (drydock_registry_ref_parse(&r, s, NULL) == 0) {
		if (drydock_registry_ref_format(&r, 0, out, sizeof(out)) ||
		    drydock_registry_ref_parse(&r2, out, NULL) ||
		    strcmp(r.domain, r2.domain) || strcmp(r.path, r2.path) ||
		    strcmp(r.tag, r2.tag) || strcmp(r.digest, r2.digest))
			abort();
		/* the familiar form need not parse back: as in Docker,
		 * "docker.io/a.b/c" is familiar "a.b/c", a domain */
		drydock_registry_ref_format(&r, 1, out, sizeof(out));
	}
	free(s);
	return 0;
}
