#ifndef DRYDOCK_REPORT_SCAN_COMMON_H
#define DRYDOCK_REPORT_SCAN_COMMON_H

/* Internal helpers shared by the scan report writers. */

#include <stddef.h>

#include <jansson.h>

#include "drydock/scanreport.h"

struct drydock_finding;
struct drydock_pkg;

/* Whether finding i is written (suppressed ones only with
 * show_suppressed). */
int drydock_scanrep_visible(const struct drydock_scan_report *rep,
			    const struct drydock_finding *f);
/* The diff ID a finding's package came from, or NULL. Borrowed. */
const char *drydock_scanrep_layer(const struct drydock_scan_report *rep,
				  const struct drydock_pkg *p);
/*
 * The installed version of p as the matcher compares it (docs/scan.md):
 * rpm "[epoch:]version-release" with the epoch when it is above 0 (the
 * inventory keeps it apart from the version), every other type its
 * version. Returns p->version or buf (size n, truncated when short).
 */
const char *drydock_scanrep_installed(const struct drydock_pkg *p, char *buf,
				      size_t n);
/* A JSON string or null. New reference. */
json_t *drydock_scanrep_str(const char *s);

int drydock_scanrep_json(struct drydock_buf *out,
			 const struct drydock_scan_report *rep,
			 struct drydock_err *err);
int drydock_scanrep_table(struct drydock_buf *out,
			  const struct drydock_scan_report *rep,
			  struct drydock_err *err);
int drydock_scanrep_sarif(struct drydock_buf *out,
			  const struct drydock_scan_report *rep,
			  struct drydock_err *err);
int drydock_scanrep_cyclonedx(struct drydock_buf *out,
			      const struct drydock_scan_report *rep,
			      struct drydock_err *err);

#endif
