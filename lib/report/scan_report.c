#include "../util/setup.h"

#include <stdio.h>

#include "drydock/buf.h"
#include "drydock/error.h"
#include "drydock/inventory.h"
#include "drydock/match.h"
#include "scan_common.h"

enum drydock_scan_format drydock_scan_format_parse(const char *s)
{
	if (!strcmp(s, "table"))
		return DRYDOCK_SCAN_TABLE;
	if (!strcmp(s, "json"))
		return DRYDOCK_SCAN_JSON;
	if (!strcmp(s, "sarif"))
		return DRYDOCK_SCAN_SARIF;
	if (!strcmp(s, "cyclonedx"))
		return DRYDOCK_SCAN_CYCLONEDX;
	return 0;
}

int drydock_scanrep_visible(const struct drydock_scan_report *rep,
			    const struct drydock_finding *f)
{
	return !f->suppressed || rep->show_suppressed;
}

const char *drydock_scanrep_installed(const struct drydock_pkg *p, char *buf,
				      size_t n)
{
	if (p->type != DRYDOCK_PKG_RPM || p->epoch <= 0)
		return p->version;
	snprintf(buf, n, "%ld:%s", p->epoch, p->version);
	return buf;
}

const char *drydock_scanrep_layer(const struct drydock_scan_report *rep,
				  const struct drydock_pkg *p)
{
	(void)rep;
	return p->layer_diff_id;
}

json_t *drydock_scanrep_str(const char *s)
{
	return s ? json_string(s) : json_null();
}

int drydock_scan_report_write(struct drydock_buf *out,
			      enum drydock_scan_format f,
			      const struct drydock_scan_report *rep,
			      struct drydock_err *err)
{
	switch (f) {
	case DRYDOCK_SCAN_TABLE:
		return drydock_scanrep_table(out, rep, err);
	case DRYDOCK_SCAN_JSON:
		return drydock_scanrep_json(out, rep, err);
	case DRYDOCK_SCAN_SARIF:
		return drydock_scanrep_sarif(out, rep, err);
	case DRYDOCK_SCAN_CYCLONEDX:
		return drydock_scanrep_cyclonedx(out, rep, err);
	}
	return drydock_err_set(err, DRYDOCK_EUSAGE, "unknown report format");
}
