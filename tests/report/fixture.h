#ifndef DRYDOCK_TESTS_REPORT_FIXTURE_H
#define DRYDOCK_TESTS_REPORT_FIXTURE_H

/*
 * Inventories for the report tests, built without the analysers:
 *  - minbase: the 88 packages of a real debootstrap --variant=minbase
 *    bookworm, as dpkg-query listed them (tests/data/report/minbase);
 *  - mixed: a few hand-written apk and rpm packages (synthesized, with
 *    real-looking versions) to exercise epochs, licences and encodings.
 */

#include "drydock/image.h"
#include "drydock/inventory.h"
#include "drydock/report.h"

/* A made-up diff ID for the fixture's single layer (synthesized). */
#define FIXTURE_DIFF_ID                                                        \
	"sha256:"                                                              \
	"1111111111111111111111111111111111111111111111111111111111111111"

int fixture_minbase(struct drydock_inventory *inv);
int fixture_alpine(struct drydock_inventory *inv);
int fixture_rhel(struct drydock_inventory *inv);
/* The image metadata around them (synthesized). */
void fixture_input(struct drydock_sbom_input *in,
		   const struct drydock_inventory *inv);
/* Read a file under $DRYDOCK_TEST_DATA into a malloc'd string. */
char *fixture_read(const char *rel, size_t *len);

#endif
