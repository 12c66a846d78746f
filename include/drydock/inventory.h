#ifndef DRYDOCK_INVENTORY_H
#define DRYDOCK_INVENTORY_H

/*
 * What is inside an image: the operating system and the packages, each
 * package tagged with the layer that last wrote its database entry.
 *
 * Ownership: an inventory owns all its strings; drydock_inventory_free()
 * releases everything. Getters return borrowed pointers.
 */

#include <stddef.h>

struct drydock_err;
struct drydock_fs;

enum drydock_pkg_type {
	DRYDOCK_PKG_DEB = 1,
	DRYDOCK_PKG_APK = 2,
	DRYDOCK_PKG_RPM = 3
};

/* "deb", "apk", "rpm" */
const char *drydock_pkg_type_name(enum drydock_pkg_type t);

struct drydock_pkg {
	enum drydock_pkg_type type;
	char *name;
	/*
	 * The version as the format writes it:
	 *  deb: "[epoch:]upstream[-revision]" exactly as in Version:
	 *  apk: "1.2.3-r0" exactly as in V:
	 *  rpm: "version-release" (no epoch; see epoch)
	 */
	char *version;
	/* rpm only: the epoch, or -1 when the header has none */
	long epoch;
	char *rpm_version; /* rpm only: VERSION tag */
	char *rpm_release; /* rpm only: RELEASE tag */
	char *arch;	   /* may be NULL (all/noarch are kept as given) */
	/*
	 * Source package: dpkg Source: name (defaults to the binary name)
	 * and its optional "(version)" (defaults to the binary version);
	 * apk origin (o:); rpm SOURCERPM's name, and its version-release
	 * in src_version. src_rpm keeps the SOURCERPM file name.
	 */
	char *src_name;
	char *src_version;
	char *src_rpm;
	char *license;	  /* may be NULL */
	char *maintainer; /* may be NULL */
	/* The diff ID of the layer that last wrote the package's database
	 * entry (NULL for dir: sources), and its index. */
	char *layer_diff_id;
	int layer;
	/* Where the package was recorded ("var/lib/dpkg/status"). */
	char *db_path;
};

struct drydock_os {
	/* "alpine", "debian", "ubuntu", "rhel", "centos", "rocky",
	 * "almalinux", "ol", "fedora", "amzn", "sles", "opensuse-leap", ...
	 * (os-release ID), empty when unknown */
	char family[32];
	/* VERSION_ID ("12", "3.20.3", "8.9", "22.04"); for Debian testing or
	 * sid without VERSION_ID the codename-derived value ("13" unknown ->
	 * "sid"/"trixie") as documented in docs/inventory.md */
	char version[64];
	char codename[64];     /* VERSION_CODENAME when present */
	char pretty_name[256]; /* PRETTY_NAME */
	/* Alpine: the branch from etc/apk/repositories ("v3.20", "edge"),
	 * empty when not found */
	char apk_branch[32];
	/* The file the detection came from ("etc/os-release") */
	char source[128];
};

struct drydock_inventory {
	struct drydock_os os;
	struct drydock_pkg *pkgs;
	size_t npkgs;
	size_t cap;
};

void drydock_inventory_init(struct drydock_inventory *inv);
void drydock_inventory_free(struct drydock_inventory *inv);
/* Append a zeroed package and return it (NULL past DRYDOCK_MAX_PACKAGES or
 * on allocation failure; err says which). */
struct drydock_pkg *drydock_inventory_add(struct drydock_inventory *inv,
					  struct drydock_err *err);
/* Free the strings of one package (the inventory keeps the slot). */
void drydock_pkg_clear(struct drydock_pkg *p);
/* Sort packages by type, name, version, arch, db_path: stable output. */
void drydock_inventory_sort(struct drydock_inventory *inv);

/* The analysers' predicate for drydock_fs: keeps os-release files and the
 * package databases, and marks their parent directories
 * (DRYDOCK_FS_WANT_PARENT). */
int drydock_inventory_wants(const char *path, void *payload);
/* The layer-cache key of what drydock_inventory_wants keeps (image.h
 * cache_key): change it whenever the predicate keeps other files, or the
 * cache would hand back layers read by the old rules. */
#define DRYDOCK_INVENTORY_CACHE_KEY "inventory-2"

/*
 * Analyse a kept filesystem: detect the OS and read every package
 * database found, attributing each package to a layer. Fills inv.
 * A database that does not parse is an error (naming the file): a scanner
 * that silently reports zero packages is worse than one that stops.
 */
int drydock_inventory_scan(struct drydock_inventory *inv,
			   const struct drydock_fs *fs,
			   struct drydock_err *err);

/* OS detection alone (used by drydock_inventory_scan). */
int drydock_os_detect(struct drydock_os *os, const struct drydock_fs *fs,
		      struct drydock_err *err);

/*
 * Native package database parsers. Each appends the packages of one
 * database, held in memory, to inv; name is the database's path for
 * messages and db_path. layer/diff_id are copied onto each package.
 */
int drydock_dpkg_parse_status(struct drydock_inventory *inv, const char *data,
			      size_t len, const char *name,
			      struct drydock_err *err);
int drydock_apk_parse_installed(struct drydock_inventory *inv, const char *data,
				size_t len, const char *name,
				struct drydock_err *err);
/* rpmdb.sqlite, Berkeley DB hash Packages, or NDB Packages.db, recognised
 * by content. */
int drydock_rpm_parse_db(struct drydock_inventory *inv, const char *data,
			 size_t len, const char *name, struct drydock_err *err);
/* One rpm header blob (as stored in rpmdb: starting with il/dl, no magic;
 * or with the 8-byte header magic). Appends one package. */
int drydock_rpm_parse_header(struct drydock_inventory *inv, const void *blob,
			     size_t len, const char *name,
			     struct drydock_err *err);

#endif
