#include "../util/setup.h"

/*
 * The inventory container (packages and the OS), and the predicate that
 * tells an image source which files the inventory analysers read.
 */

#include <strings.h>

#include "drydock/error.h"
#include "drydock/fs.h"
#include "drydock/inventory.h"
#include "drydock/limits.h"
#include "inventory-int.h"

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
	memset(inv, 0, sizeof(*inv));
}

struct drydock_pkg *drydock_inventory_add(struct drydock_inventory *inv,
					  struct drydock_err *err)
{
	struct drydock_pkg *p;

	if (inv->npkgs >= DRYDOCK_MAX_PACKAGES) {
		drydock_err_set(err, DRYDOCK_ELIMIT,
				"more than %u packages (DRYDOCK_MAX_PACKAGES)",
				(unsigned)DRYDOCK_MAX_PACKAGES);
		return NULL;
	}
	if (inv->npkgs == inv->cap) {
		size_t cap = inv->cap ? inv->cap * 2 : 64;
		struct drydock_pkg *n;

		if (cap > DRYDOCK_MAX_PACKAGES)
			cap = DRYDOCK_MAX_PACKAGES;
		n = realloc(inv->pkgs, cap * sizeof(*n));
		if (!n) {
			drydock_err_set(err, DRYDOCK_ENOMEM, "out of memory");
			return NULL;
		}
		inv->pkgs = n;
		inv->cap = cap;
	}
	p = &inv->pkgs[inv->npkgs++];
	memset(p, 0, sizeof(*p));
	p->epoch = -1;
	p->layer = -1;
	return p;
}

void inv_truncate(struct drydock_inventory *inv, size_t n)
{
	while (inv->npkgs > n) {
		inv->npkgs--;
		drydock_pkg_clear(&inv->pkgs[inv->npkgs]);
	}
}

/* strcmp with NULL sorting first */
int inv_strcmp0(const char *a, const char *b)
{
	if (!a || !b)
		return a ? 1 : b ? -1 : 0;
	return strcmp(a, b);
}

static int cmp_pkg(const void *x, const void *y)
{
	const struct drydock_pkg *a = x, *b = y;
	int c;

	if (a->type != b->type)
		return a->type < b->type ? -1 : 1;
	if ((c = inv_strcmp0(a->name, b->name)) != 0)
		return c;
	if ((c = inv_strcmp0(a->version, b->version)) != 0)
		return c;
	if (a->epoch != b->epoch)
		return a->epoch < b->epoch ? -1 : 1;
	if ((c = inv_strcmp0(a->arch, b->arch)) != 0)
		return c;
	if ((c = inv_strcmp0(a->db_path, b->db_path)) != 0)
		return c;
	/* total order for identical keys: the lower layer first */
	if (a->layer != b->layer)
		return a->layer < b->layer ? -1 : 1;
	return 0;
}

void drydock_inventory_sort(struct drydock_inventory *inv)
{
	if (inv->npkgs > 1)
		qsort(inv->pkgs, inv->npkgs, sizeof(inv->pkgs[0]), cmp_pkg);
}

/*
 * The files the analysers read, by exact path. Directories that are
 * commonly symlinks (merged /usr's "lib", Fedora's "var/lib/rpm") are
 * listed too: the fs resolves paths through kept symlinks only.
 */
static const char *const wanted[] = {
	/* OS detection */
	"etc/os-release",
	"usr/lib/os-release",
	"etc/alpine-release",
	"etc/apk/repositories",
	"etc/debian_version",
	"etc/lsb-release",
	"etc/redhat-release",
	"etc/centos-release",
	"etc/rocky-release",
	"etc/almalinux-release",
	"etc/oracle-release",
	"etc/fedora-release",
	"etc/system-release",
	"usr/lib/system-release",
	"etc/SuSE-release",
	/* dpkg */
	"var/lib/dpkg/status",
	/* apk */
	"lib/apk/db/installed",
	"usr/lib/apk/db/installed",
	/* rpm */
	"var/lib/rpm/rpmdb.sqlite",
	"var/lib/rpm/Packages",
	"var/lib/rpm/Packages.db",
	"usr/lib/sysimage/rpm/rpmdb.sqlite",
	"usr/lib/sysimage/rpm/Packages",
	"usr/lib/sysimage/rpm/Packages.db",
	"usr/share/rpm/rpmdb.sqlite",
	"usr/share/rpm/Packages",
	"usr/share/rpm/Packages.db",
	/* directories that may be symlinks on the way to the above */
	"lib",
	"var/lib/rpm",
	"var/lib/dpkg",
	"var/lib/dpkg/status.d",
	"lib/apk",
	"lib/apk/db",
	"usr/lib/apk",
	"usr/lib/apk/db",
	"usr/lib/sysimage/rpm",
	"usr/share/rpm",
	"etc/apk",
};

#define STATUS_D "var/lib/dpkg/status.d/"

int inv_status_d_member(const char *base)
{
	/* the control files distroless images keep beside each stanza
	 * file: they are not dpkg data */
	static const char *const skip[] = {
		".md5sums",   ".list",	 ".conffiles", ".preinst",
		".postinst",  ".prerm",	 ".postrm",    ".config",
		".templates", ".shlibs", ".symbols",   ".triggers",
	};
	size_t n = strlen(base), i;

	if (n == 0 || base[0] == '.' || strchr(base, '/'))
		return 0;
	for (i = 0; i < sizeof(skip) / sizeof(skip[0]); i++) {
		size_t k = strlen(skip[i]);

		if (n > k && memcmp(base + n - k, skip[i], k) == 0)
			return 0;
	}
	return 1;
}

int drydock_inventory_wants(const char *path, void *payload)
{
	size_t i, n;

	(void)payload;
	/* cheap first-byte filter: every wanted path starts with e, l, u
	 * or v */
	switch (path[0]) {
	case 'e':
	case 'l':
	case 'u':
	case 'v':
		break;
	default:
		return 0;
	}
	if (strncmp(path, STATUS_D, sizeof(STATUS_D) - 1) == 0)
		return inv_status_d_member(path + sizeof(STATUS_D) - 1);
	for (i = 0; i < sizeof(wanted) / sizeof(wanted[0]); i++)
		if (strcmp(path, wanted[i]) == 0)
			return 1;
	/* a directory on the way to a wanted path ("var/lib" for
	 * var/lib/dpkg/status): a file there hides the lower layers' */
	n = strlen(path);
	for (i = 0; i < sizeof(wanted) / sizeof(wanted[0]); i++)
		if (strncmp(path, wanted[i], n) == 0 && wanted[i][n] == '/')
			return DRYDOCK_FS_WANT_PARENT;
	return 0;
}
