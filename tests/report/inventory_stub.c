#include "lib/util/setup.h"

#include "drydock/error.h"
#include "drydock/inventory.h"
#include "drydock/limits.h"

/*
 * Weak stand-ins for the inventory container functions of
 * lib/inventory/inventory.c, so that the report tests link before that
 * file exists. Once it is linked, its strong definitions win.
 */

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
	struct drydock_pkg *p;

	if (inv->npkgs >= DRYDOCK_MAX_PACKAGES) {
		drydock_err_set(err, DRYDOCK_ELIMIT, "more than %d packages",
				DRYDOCK_MAX_PACKAGES);
		return NULL;
	}
	if (inv->npkgs == inv->cap) {
		size_t nc = inv->cap ? inv->cap * 2 : 16;

		p = realloc(inv->pkgs, nc * sizeof(*p));
		if (!p) {
			drydock_err_set(err, DRYDOCK_ENOMEM, "out of memory");
			return NULL;
		}
		inv->pkgs = p;
		inv->cap = nc;
	}
	p = &inv->pkgs[inv->npkgs++];
	memset(p, 0, sizeof(*p));
	return p;
}
