#include "../util/setup.h"

#include "drydock/error.h"
#include "drydock/inventory.h"
#include "drydock/limits.h"

const char *drydock_pkg_type_name(enum drydock_pkg_type t)
{
	switch (t) {
	case DRYDOCK_PKG_DEB:
		return "deb";
	case DRYDOCK_PKG_APK:
		return "apk";
	case DRYDOCK_PKG_RPM:
		return "rpm";
	}
	return "unknown";
}

void drydock_inventory_init(struct drydock_inventory *inv)
{
	memset(inv, 0, sizeof(*inv));
}

void drydock_pkg_clear(struct drydock_pkg *p)
{
	if (!p)
		return;
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
	p->epoch = -1;
	p->layer = -1;
}

void drydock_inventory_free(struct drydock_inventory *inv)
{
	size_t i;

	if (!inv)
		return;
	for (i = 0; i < inv->npkgs; i++)
		drydock_pkg_clear(&inv->pkgs[i]);
	free(inv->pkgs);
	inv->pkgs = NULL;
	inv->npkgs = 0;
	inv->cap = 0;
}

struct drydock_pkg *drydock_inventory_add(struct drydock_inventory *inv,
					  struct drydock_err *err)
{
	struct drydock_pkg *p;

	if (inv->npkgs >= DRYDOCK_MAX_PACKAGES) {
		drydock_err_set(err, DRYDOCK_ELIMIT,
				"more than %u packages in one image",
				(unsigned)DRYDOCK_MAX_PACKAGES);
		return NULL;
	}
	if (inv->npkgs == inv->cap) {
		size_t ncap = inv->cap ? inv->cap * 2 : 64;

		p = realloc(inv->pkgs, ncap * sizeof(*p));
		if (!p) {
			drydock_err_set(err, DRYDOCK_ENOMEM, "out of memory");
			return NULL;
		}
		inv->pkgs = p;
		inv->cap = ncap;
	}
	p = &inv->pkgs[inv->npkgs++];
	memset(p, 0, sizeof(*p));
	p->epoch = -1;
	p->layer = -1;
	return p;
}

static int cmpstr(const char *a, const char *b)
{
	if (!a || !b)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}

static int cmp_pkg(const void *x, const void *y)
{
	const struct drydock_pkg *a = x, *b = y;
	int c;

	if (a->type != b->type)
		return a->type < b->type ? -1 : 1;
	if ((c = cmpstr(a->name, b->name)))
		return c;
	if ((c = cmpstr(a->version, b->version)))
		return c;
	if (a->epoch != b->epoch)
		return a->epoch < b->epoch ? -1 : 1;
	if ((c = cmpstr(a->arch, b->arch)))
		return c;
	return cmpstr(a->db_path, b->db_path);
}

void drydock_inventory_sort(struct drydock_inventory *inv)
{
	if (inv->npkgs > 1)
		qsort(inv->pkgs, inv->npkgs, sizeof(inv->pkgs[0]), cmp_pkg);
}
