#ifndef DRYDOCK_FUZZ_RPM_H
#define DRYDOCK_FUZZ_RPM_H

/*
 * Shared body of the rpm harnesses: run one reader over the input, then
 * check the contract: on success every package has its required fields;
 * on failure a one-line message naming the input and nothing kept.
 */

#include "../lib/inventory/rpm-int.h"
#include "drydock/error.h"
#include "drydock/inventory.h"

typedef int (*fuzz_rpm_fn)(struct drydock_inventory *inv, const uint8_t *d,
			   size_t len, const char *name,
			   struct drydock_err *err);

static void fuzz_rpm(fuzz_rpm_fn fn, const uint8_t *data, size_t size)
{
	struct drydock_inventory inv;
	struct drydock_err err;
	size_t i, n = 0;
	int rc;

	drydock_inventory_init(&inv);
	drydock_err_clear(&err);
	rc = fn(&inv, data, size, "fuzz", &err);
	if (rc < 0) {
		if (strncmp(err.msg, "'fuzz'", 6) != 0 ||
		    strchr(err.msg, '\n') || err.code != rc)
			__builtin_trap();
	} else {
		for (i = 0; i < inv.npkgs; i++) {
			const struct drydock_pkg *p = &inv.pkgs[i];

			if (!p->name || !p->version || !p->rpm_version ||
			    !p->rpm_release || !p->src_name || !p->src_version)
				__builtin_trap();
			n += strlen(p->name) + strlen(p->version) +
			     strlen(p->src_name) + strlen(p->src_version) +
			     (p->arch ? strlen(p->arch) : 0) +
			     (p->license ? strlen(p->license) : 0);
		}
	}
	drydock_inventory_free(&inv);
	(void)n;
}

/* drydock_rpm_parse_db: all or nothing, whatever the format */
static inline int fuzz_rpm_db(struct drydock_inventory *inv, const uint8_t *d,
			      size_t len, const char *name,
			      struct drydock_err *err)
{
	size_t before = inv->npkgs;
	int rc = drydock_rpm_parse_db(inv, (const char *)d, len, name, err);

	if (rc < 0 && inv->npkgs != before)
		__builtin_trap();
	return rc;
}

#endif
