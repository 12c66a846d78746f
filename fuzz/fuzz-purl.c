#include "../lib/util/setup.h"

#include "drydock/buf.h"
#include "drydock/error.h"
#include "drydock/limits.h"
#include "drydock/report.h"

/*
 * purl parser (lib/report/purl.c). Whatever parses must build again, and
 * the built form must parse to the same components.
 */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct drydock_purl p, q;
	struct drydock_buf b = DRYDOCK_BUF_INIT(4 * DRYDOCK_MAX_PURL_LEN);
	const char *quals[2 * DRYDOCK_PURL_MAX_QUALIFIERS];
	char *s;
	size_t i;

	if (size > DRYDOCK_MAX_PURL_LEN + 1)
		return 0;
	s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (drydock_purl_parse(&p, s, NULL) == 0) {
		for (i = 0; i < p.nqual; i++) {
			quals[2 * i] = p.qkey[i];
			quals[2 * i + 1] = p.qval[i];
		}
		if (drydock_purl_build(&b, p.type, p.namespace, p.name,
				       p.version, quals, p.nqual, p.subpath,
				       NULL) == 0 &&
		    b.len <= DRYDOCK_MAX_PURL_LEN) {
			if (drydock_purl_parse(&q, b.ptr, NULL) != 0)
				abort();
			if (strcmp(q.name, p.name) || q.nqual != p.nqual)
				abort();
			drydock_purl_free(&q);
		}
		drydock_purl_free(&p);
	}
	drydock_buf_release(&b);
	free(s);
	return 0;
}
