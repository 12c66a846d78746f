#ifndef DRYDOCK_REPORT_SCAN_COMMON_H
#define DRYDOCK_REPORT_SCAN_COMMON_H

/* Internal helpers shared by the scan report writers. */

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
