#include "../util/setup.h"

/*
 * drydock_inventory_scan: the OS and every package database visible at
 * the top of the kept filesystem, each package attributed to a layer.
 *
 * Attribution (docs/inventory.md): a package belongs to the lowest layer
 * L such that the database, as seen at the top of every layer from L to
 * the last, holds an entry for it with the same name, version,
 * architecture, source name and source version: the layer where its
 * entry last changed. Each distinct version of a database file is parsed
 * once (the views of consecutive layers usually share one).
 */

#include "drydock/error.h"
#include "drydock/fs.h"
#include "drydock/inventory.h"
#include "drydock/limits.h"
#include "inventory-int.h"

typedef int (*db_parse_fn)(struct drydock_inventory *, const char *, size_t,
			   const char *, struct drydock_err *);

struct scan {
	struct drydock_inventory *inv;
	const struct drydock_fs *fs;
	struct drydock_err *err;
	/* database files already read (lib -> usr/lib makes one file
	 * visible under two paths) */
	const struct drydock_fs_entry **seen;
	size_t nseen, capseen;
};

static const struct drydock_fs_entry *get_file_at(const struct drydock_fs *fs,
						  const char *path, int upto)
{
	const struct drydock_fs_entry *e = drydock_fs_get_at(fs, path, upto);

	return e && e->type == DRYDOCK_FS_FILE ? e : NULL;
}

/* The identity compared across layers. */
static int cmp_ident(const struct drydock_pkg *a, const struct drydock_pkg *b)
{
	int c;

	if ((c = inv_strcmp0(a->name, b->name)) != 0 ||
	    (c = inv_strcmp0(a->arch, b->arch)) != 0 ||
	    (c = inv_strcmp0(a->version, b->version)) != 0 ||
	    (c = inv_strcmp0(a->src_name, b->src_name)) != 0 ||
	    (c = inv_strcmp0(a->src_version, b->src_version)) != 0)
		return c;
	return 0;
}

static int cmp_ident_q(const void *a, const void *b)
{
	return cmp_ident(a, b);
}

static int mark_seen(struct scan *s, const struct drydock_fs_entry *e)
{
	size_t i;

	for (i = 0; i < s->nseen; i++)
		if (s->seen[i] == e)
			return 1;
	if (s->nseen == s->capseen) {
		size_t cap = s->capseen ? s->capseen * 2 : 16;
		const struct drydock_fs_entry **n =
			realloc(s->seen, cap * sizeof(*n));

		if (!n)
			return drydock_err_set(s->err, DRYDOCK_ENOMEM,
					       "out of memory");
		s->seen = n;
		s->capseen = cap;
	}
	s->seen[s->nseen++] = e;
	return 0;
}

/*
 * Walk the views below the top, lowering each package's layer while the
 * view still holds its identical entry. A lower version that does not
 * parse ends the walk (the top version parsed; attribution stays at the
 * last layer known to hold the entry).
 */
static int attribute(struct scan *s, const char *path,
		     const struct drydock_fs_entry *top_e, db_parse_fn parse,
		     size_t start, size_t n)
{
	struct drydock_pkg *pkgs = s->inv->pkgs + start;
	struct drydock_inventory old;
	const struct drydock_fs_entry *cached = NULL;
	unsigned char *alive;
	size_t i, nalive = n;
	int u, top = drydock_fs_layer_count(s->fs) - 1, rc = 0;

	for (i = 0; i < n; i++)
		pkgs[i].layer = top;
	if (n == 0 || top <= 0)
		return 0;
	alive = malloc(n);
	if (!alive)
		return drydock_err_set(s->err, DRYDOCK_ENOMEM, "out of memory");
	memset(alive, 1, n);
	drydock_inventory_init(&old);
	for (u = top - 1; u >= 0 && nalive; u--) {
		const struct drydock_fs_entry *e = get_file_at(s->fs, path, u);

		if (!e)
			break;
		if (e == top_e) {
			/* the very version parsed at the top: every entry is
			 * there, no need to read it again */
			for (i = 0; i < n; i++)
				if (alive[i])
					pkgs[i].layer = u;
			continue;
		}
		if (e != cached) {
			struct drydock_err scratch;

			drydock_inventory_free(&old);
			cached = NULL;
			drydock_err_clear(&scratch);
			rc = parse(&old, e->data, e->len, path, &scratch);
			if (rc == DRYDOCK_ENOMEM) {
				drydock_err_set(s->err, rc, "out of memory");
				break;
			}
			if (rc < 0) {
				rc = 0;
				break;
			}
			qsort(old.pkgs, old.npkgs, sizeof(old.pkgs[0]),
			      cmp_ident_q);
			cached = e;
		}
		for (i = 0; i < n; i++) {
			if (!alive[i])
				continue;
			if (old.npkgs &&
			    bsearch(&pkgs[i], old.pkgs, old.npkgs,
				    sizeof(old.pkgs[0]), cmp_ident_q)) {
				pkgs[i].layer = u;
			} else {
				alive[i] = 0;
				nalive--;
			}
		}
	}
	drydock_inventory_free(&old);
	free(alive);
	return rc;
}

/* Parse the top version of path (when present) and attribute its
 * packages. */
static int scan_db(struct scan *s, const char *path, db_parse_fn parse)
{
	int top = drydock_fs_layer_count(s->fs) - 1;
	const struct drydock_fs_entry *e = get_file_at(s->fs, path, top);
	size_t start = s->inv->npkgs, i;
	int rc;

	if (!e)
		return 0;
	if ((rc = mark_seen(s, e)) != 0)
		return rc < 0 ? rc : 0;
	if ((rc = parse(s->inv, e->data, e->len, path, s->err)) < 0)
		return rc;
	if ((rc = attribute(s, path, e, parse, start, s->inv->npkgs - start)) <
	    0)
		return rc;
	for (i = start; i < s->inv->npkgs; i++) {
		struct drydock_pkg *p = &s->inv->pkgs[i];
		const char *d = drydock_fs_layer_diff_id(s->fs, p->layer);

		if (d &&
		    (rc = inv_dup(&p->layer_diff_id, d, strlen(d), s->err)) < 0)
			return rc;
	}
	return 1;
}

static int status_d_file(const struct drydock_fs_entry *e, void *payload)
{
	struct scan *s = payload;
	const char *base = strrchr(e->path, '/');
	int rc;

	base = base ? base + 1 : e->path;
	if (!inv_status_d_member(base))
		return 0;
	rc = scan_db(s, e->path, drydock_dpkg_parse_status);
	return rc < 0 ? rc : 0;
}

/*
 * When no OS file exists (some distroless images) but Debian's
 * base-files package is installed: its version names the release
 * ("12.4+deb12u5" -> debian 12). Ubuntu's base-files ("12ubuntu4.6")
 * does not map to a release and is left alone.
 */
static void os_from_base_files(struct drydock_inventory *inv)
{
	size_t i, k;

	for (i = 0; i < inv->npkgs; i++) {
		const struct drydock_pkg *p = &inv->pkgs[i];
		const char *v = p->version;

		if (p->type != DRYDOCK_PKG_DEB ||
		    strcmp(p->name, "base-files") != 0 || strstr(v, "ubuntu"))
			continue;
		for (k = 0; v[k] >= '0' && v[k] <= '9'; k++)
			;
		if (k == 0 || k >= sizeof(inv->os.version))
			continue;
		memcpy(inv->os.family, "debian", 7);
		memcpy(inv->os.version, v, k);
		inv->os.version[k] = '\0';
		if (strlen(p->db_path) < sizeof(inv->os.source))
			memcpy(inv->os.source, p->db_path,
			       strlen(p->db_path) + 1);
		return;
	}
}

/* rpm reads go through this so the rpm reader's signature matches. */
static int rpm_parse(struct drydock_inventory *inv, const char *data,
		     size_t len, const char *name, struct drydock_err *err)
{
	return drydock_rpm_parse_db(inv, data, len, name, err);
}

int drydock_inventory_scan(struct drydock_inventory *inv,
			   const struct drydock_fs *fs, struct drydock_err *err)
{
	/* rpm: the first database found is the one rpm uses; var/lib/rpm
	 * is a symlink to usr/lib/sysimage/rpm on current Fedora and SUSE,
	 * and a directory holding the database of RHEL <= 9 and Amazon
	 * Linux. Within a directory sqlite, then ndb, then bdb. */
	static const char *const rpm_dbs[] = {
		"var/lib/rpm/rpmdb.sqlite",
		"var/lib/rpm/Packages.db",
		"var/lib/rpm/Packages",
		"usr/lib/sysimage/rpm/rpmdb.sqlite",
		"usr/lib/sysimage/rpm/Packages.db",
		"usr/lib/sysimage/rpm/Packages",
		"usr/share/rpm/rpmdb.sqlite",
		"usr/share/rpm/Packages.db",
		"usr/share/rpm/Packages",
	};
	struct scan s;
	size_t i;
	int rc;

	memset(&s, 0, sizeof(s));
	s.inv = inv;
	s.fs = fs;
	s.err = err;
	if (drydock_fs_layer_count(fs) <= 0) {
		memset(&inv->os, 0, sizeof(inv->os));
		return 0;
	}
	if ((rc = drydock_os_detect(&inv->os, fs, err)) < 0)
		goto out;
	if ((rc = scan_db(&s, "var/lib/dpkg/status",
			  drydock_dpkg_parse_status)) < 0)
		goto out;
	if ((rc = drydock_fs_list(fs, "var/lib/dpkg/status.d", -1,
				  status_d_file, &s)) < 0)
		goto out;
	if ((rc = scan_db(&s, "lib/apk/db/installed",
			  drydock_apk_parse_installed)) < 0 ||
	    (rc = scan_db(&s, "usr/lib/apk/db/installed",
			  drydock_apk_parse_installed)) < 0)
		goto out;
	for (i = 0; i < sizeof(rpm_dbs) / sizeof(rpm_dbs[0]); i++) {
		if ((rc = scan_db(&s, rpm_dbs[i], rpm_parse)) < 0)
			goto out;
		if (rc > 0)
			break;
	}
	if (!inv->os.family[0])
		os_from_base_files(inv);
	drydock_inventory_sort(inv);
	rc = 0;
out:
	free(s.seen);
	return rc;
}
