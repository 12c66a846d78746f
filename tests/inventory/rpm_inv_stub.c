#include "lib/util/setup.h"

/*
 * Stand-ins for inventory.c (being written in parallel) so the rpm tests
 * link before it lands. Weak: the real definitions win once they exist.
 * Remove this file when lib/inventory/inventory.c is on main.
 */

#include "drydock/error.h"
#include "drydock/inventory.h"
#include "drydock/limits.h"

__attribute__((weak)) void drydock_inventory_init(struct drydock_inventory *inv)
{
	memset(inv, 0, sizeof(*inv));
}

__attribute__((weak)) void drydock_pkg_clear(struct drydock_pkg *p)
{
	free(p->name);
	free(p->version);
	free(p->rpm_version);
	free(p->rpm_release);
	free(p->arch);
	free(p->src_name);
	free(p->src_version);
	free(p->src_rpm);
	free(p->license);
	free(p->maintainer);
	free(p->layer_diff_id);
	free(p->db_path);
	memset(p, 0, sizeof(*p));
}

__attribute__((weak)) void drydock_inventory_free(struct drydock_inventory *inv)
{
	size_t i;

	for (i = 0; i < inv->npkgs; i++)
		drydock_pkg_clear(&inv->pkgs[i]);
	free(inv->pkgs);
	memset(inv, 0, sizeof(*inv));
}

__attribute__((weak)) struct drydock_pkg *
drydock_inventory_add(struct drydock_inventory *inv, struct drydock_err *err)
{
	if (inv->npkgs >= DRYDOCK_MAX_PACKAGES) {
		drydock_err_set(err, DRYDOCK_ELIMIT,
				"more than DRYDOCK_MAX_PACKAGES packages");
		return NULL;
	}
	if (inv->npkgs == inv->cap) {
		size_t cap = inv->cap ? inv->cap * 2 : 16;
		struct drydock_pkg *n = realloc(inv->pkgs, cap * sizeof(*n));

		if (!n) {
			drydock_err_set(err, DRYDOCK_ENOMEM, "out of memory");
			return NULL;
		}
		inv->pkgs = n;
		inv->cap = cap;
	}
	memset(&inv->pkgs[inv->npkgs], 0, sizeof(inv->pkgs[0]));
	return &inv->pkgs[inv->npkgs++];
}
