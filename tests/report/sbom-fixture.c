#include "lib/util/setup.h"

#include <stdio.h>

#include "drydock/buf.h"
#include "drydock/error.h"
#include "drydock/limits.h"
#include "drydock/report.h"
#include "fixture.h"

/*
 * Write the SBOM of a test fixture to stdout, for the schema validation
 * test: sbom-fixture minbase|alpine|rhel cyclonedx|spdx-json|json|table
 */
int main(int argc, char **argv)
{
	struct drydock_inventory inv;
	struct drydock_sbom_input in;
	struct drydock_buf b = DRYDOCK_BUF_INIT(DRYDOCK_MAX_SBOM_OUTPUT_BYTES);
	struct drydock_err err;
	enum drydock_sbom_format f;
	int r;

	if (argc < 3 || drydock_sbom_format_parse(argv[2], &f, &err)) {
		fprintf(stderr,
			"usage: sbom-fixture minbase|alpine|rhel FORMAT "
			"[timestamp]\n");
		return 2;
	}
	if (!strcmp(argv[1], "minbase"))
		r = fixture_minbase(&inv);
	else if (!strcmp(argv[1], "alpine"))
		r = fixture_alpine(&inv);
	else
		r = fixture_rhel(&inv);
	if (r) {
		fprintf(stderr, "sbom-fixture: cannot build the fixture\n");
		return 2;
	}
	fixture_input(&in, &inv);
	if (argc > 3)
		in.timestamp = 1725661207LL;
	if (drydock_sbom_write(&b, f, &in, &err)) {
		fprintf(stderr, "sbom-fixture: %s\n", err.msg);
		return 2;
	}
	fwrite(b.ptr, 1, b.len, stdout);
	drydock_buf_release(&b);
	drydock_inventory_free(&inv);
	return 0;
}
