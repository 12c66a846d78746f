#ifndef DRYDOCK_FUZZ_INVENTORY_H
#define DRYDOCK_FUZZ_INVENTORY_H

/*
 * Shared body of the dpkg and apk harnesses: parse the input into an
 * inventory that already holds one package, then check the contract: on
 * success every new package has name, version, source name and version
 * and db_path; on failure a one-line message naming the input, the code
 * returned, and nothing appended (all or nothing).
 */

#include "drydock/error.h"
#include "drydock/inventory.h"

typedef int (*fuzz_inv_fn)(struct drydock_inventory *inv, const char *d,
			   size_t len, const char *name,
			   struct drydock_err *err);

static void fuzz_inventory(fuzz_inv_fn fn, const uint8_t *data, size_t size)
{
	struct drydock_inventory inv;
	struct drydock_err err;
	struct drydock_pkg *p;
	size_t i, n = 0;
	int rc;

	drydock_inventory_init(&inv);
	drydock_err_clear(&err);
	p = drydock_inventory_add(&inv, &err);
	if (!p)
		return;
	rc = fn(&inv, (const char *)data, size, "fuzz", &err);
	if (rc < 0) {
		if (strncmp(err.msg, "'fuzz'", 6) != 0 ||
		    strchr(err.msg, '\n') || err.code != rc || inv.npkgs != 1)
			__builtin_trap();
	} else {
		for (i = 1; i < inv.npkgs; i++) {
			p = &inv.pkgs[i];
			if (!p->name || !p->version || !p->src_name ||
			    !p->src_version || !p->db_path || !*p->name ||
			    !*p->version || strcmp(p->db_path, "fuzz") != 0)
				__builtin_trap();
			n += strlen(p->name) + strlen(p->version) +
			     strlen(p->src_name) + strlen(p->src_version) +
			     (p->arch ? strlen(p->arch) : 0) +
			     (p->license ? strlen(p->license) : 0) +
			     (p->maintainer ? strlen(p->maintainer) : 0);
		}
		drydock_inventory_sort(&inv);
	}
	drydock_inventory_free(&inv);
	(void)n;
}

#endif
