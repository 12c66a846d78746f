#include "../util/setup.h"

/*
 * Operating system detection (docs/inventory.md): os-release first
 * (etc/, then usr/lib/, as os-release(5) says), then the per-distribution
 * release files; then the refinements os-release lacks: the Alpine
 * branch of etc/apk/repositories, and Debian testing/sid's version from
 * etc/debian_version.
 *
 * A value too long for its field in struct drydock_os is treated as
 * absent (never truncated): no real ID, VERSION_ID or codename comes
 * close to the field sizes.
 */

#include <stdio.h>

#include "drydock/error.h"
#include "drydock/fs.h"
#include "drydock/inventory.h"
#include "drydock/limits.h"
#include "inventory-int.h"

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' ||
	       c == '\f';
}

/* Copy s[0..n) into a field of size sz; 0, or -1 (left unchanged) when it
 * does not fit or is empty. */
static int set_field(char *dst, size_t sz, const char *s, size_t n)
{
	if (n == 0 || n >= sz)
		return -1;
	memcpy(dst, s, n);
	dst[n] = '\0';
	return 0;
}

static void set_source(struct drydock_os *os, const char *name)
{
	set_field(os->source, sizeof(os->source), name, strlen(name));
}

static int check_size(size_t len, const char *name, struct drydock_err *err)
{
	if (len > DRYDOCK_MAX_OSRELEASE_BYTES)
		return drydock_err_set(err, DRYDOCK_ELIMIT,
				       "'%s': %zu bytes, more than %u "
				       "(DRYDOCK_MAX_OSRELEASE_BYTES)",
				       name, len,
				       (unsigned)DRYDOCK_MAX_OSRELEASE_BYTES);
	return 0;
}

/* The next line of [*pos, len), without its line end. */
static int next_line(const char *data, size_t len, size_t *pos, const char **l,
		     size_t *n)
{
	const char *nl;

	if (*pos >= len)
		return 0;
	*l = data + *pos;
	nl = memchr(*l, '\n', len - *pos);
	*n = nl ? (size_t)(nl - *l) : len - *pos;
	*pos += *n + (nl ? 1 : 0);
	return 1;
}

static void trim(const char **s, size_t *n)
{
	while (*n && is_space(**s)) {
		(*s)++;
		(*n)--;
	}
	while (*n && is_space((*s)[*n - 1]))
		(*n)--;
}

/*
 * The value of a shell-style assignment (os-release(5)): "double quoted"
 * with \ escaping $ ` " \ , 'single quoted' verbatim, or bare with \
 * escaping the next character. Text after the closing quote is ignored
 * (concatenation is not supported by the format). Returns the length
 * written to out, or -1 when it does not fit.
 */
static long unquote(const char *v, size_t n, char *out, size_t outsz)
{
	size_t i = 0, o = 0;

	trim(&v, &n);
	if (n && v[0] == '\'') {
		for (i = 1; i < n && v[i] != '\''; i++) {
			if (o + 1 >= outsz)
				return -1;
			out[o++] = v[i];
		}
	} else if (n && v[0] == '"') {
		for (i = 1; i < n && v[i] != '"'; i++) {
			char c = v[i];

			if (c == '\\' && i + 1 < n &&
			    strchr("$`\"\\", v[i + 1]) != NULL)
				c = v[++i];
			if (o + 1 >= outsz)
				return -1;
			out[o++] = c;
		}
	} else {
		for (i = 0; i < n; i++) {
			char c = v[i];

			if (c == '\\' && i + 1 < n)
				c = v[++i];
			if (o + 1 >= outsz)
				return -1;
			out[o++] = c;
		}
	}
	out[o] = '\0';
	return (long)o;
}

struct kv {
	const char *key;
	char *dst;
	size_t sz;
	int found;
};

/* Parse KEY=VALUE lines, filling the kv entries whose key matches. The
 * last assignment of a key wins, as when the file is sourced. */
static void parse_assignments(const char *data, size_t len, struct kv *kv,
			      size_t nkv)
{
	size_t pos = 0, n, i;
	const char *l;

	while (next_line(data, len, &pos, &l, &n)) {
		const char *eq;
		size_t kl;

		trim(&l, &n);
		if (!n || l[0] == '#')
			continue;
		eq = memchr(l, '=', n);
		if (!eq)
			continue;
		kl = (size_t)(eq - l);
		for (i = 0; i < nkv; i++) {
			char tmp[512];
			long vl;

			if (kl != strlen(kv[i].key) ||
			    memcmp(l, kv[i].key, kl) != 0)
				continue;
			vl = unquote(eq + 1, n - kl - 1, tmp, sizeof(tmp));
			if (vl > 0 && set_field(kv[i].dst, kv[i].sz, tmp,
						(size_t)vl) == 0)
				kv[i].found = 1;
			else
				kv[i].found = 0;
		}
	}
}

static void lower(char *s)
{
	for (; *s; s++)
		if (*s >= 'A' && *s <= 'Z')
			*s = (char)(*s - 'A' + 'a');
}

int os_parse_os_release(struct drydock_os *os, const char *data, size_t len,
			const char *name, struct drydock_err *err)
{
	struct drydock_os o;
	char ubuntu_codename[64] = "";
	int rc;

	if ((rc = check_size(len, name, err)) < 0)
		return rc;
	memset(&o, 0, sizeof(o));
	{
		struct kv kv[] = {
			{"ID", o.family, sizeof(o.family), 0},
			{"VERSION_ID", o.version, sizeof(o.version), 0},
			{"VERSION_CODENAME", o.codename, sizeof(o.codename), 0},
			{"UBUNTU_CODENAME", ubuntu_codename,
			 sizeof(ubuntu_codename), 0},
			{"PRETTY_NAME", o.pretty_name, sizeof(o.pretty_name),
			 0},
		};

		parse_assignments(data, len, kv, sizeof(kv) / sizeof(kv[0]));
		if (!kv[0].found)
			return 0;
		if (!kv[1].found)
			o.version[0] = '\0';
		if (!kv[2].found)
			o.codename[0] = '\0';
		if (!kv[2].found && kv[3].found)
			memcpy(o.codename, ubuntu_codename, sizeof(o.codename));
		if (!kv[4].found)
			o.pretty_name[0] = '\0';
	}
	/* keep what other files already found (apk_branch) */
	memcpy(os->family, o.family, sizeof(os->family));
	memcpy(os->version, o.version, sizeof(os->version));
	memcpy(os->codename, o.codename, sizeof(os->codename));
	memcpy(os->pretty_name, o.pretty_name, sizeof(os->pretty_name));
	set_source(os, name);
	return 1;
}

int os_parse_lsb_release(struct drydock_os *os, const char *data, size_t len,
			 const char *name, struct drydock_err *err)
{
	struct drydock_os o;
	int rc;

	if ((rc = check_size(len, name, err)) < 0)
		return rc;
	memset(&o, 0, sizeof(o));
	{
		struct kv kv[] = {
			{"DISTRIB_ID", o.family, sizeof(o.family), 0},
			{"DISTRIB_RELEASE", o.version, sizeof(o.version), 0},
			{"DISTRIB_CODENAME", o.codename, sizeof(o.codename), 0},
			{"DISTRIB_DESCRIPTION", o.pretty_name,
			 sizeof(o.pretty_name), 0},
		};

		parse_assignments(data, len, kv, sizeof(kv) / sizeof(kv[0]));
		if (!kv[0].found)
			return 0;
		if (!kv[1].found)
			o.version[0] = '\0';
		if (!kv[2].found)
			o.codename[0] = '\0';
		if (!kv[3].found)
			o.pretty_name[0] = '\0';
	}
	lower(o.family);
	memcpy(os->family, o.family, sizeof(os->family));
	memcpy(os->version, o.version, sizeof(os->version));
	memcpy(os->codename, o.codename, sizeof(os->codename));
	memcpy(os->pretty_name, o.pretty_name, sizeof(os->pretty_name));
	set_source(os, name);
	return 1;
}

/* The first non-empty line, trimmed. */
static int first_line(const char *data, size_t len, const char **l, size_t *n)
{
	size_t pos = 0;

	while (next_line(data, len, &pos, l, n)) {
		trim(l, n);
		if (*n)
			return 1;
	}
	return 0;
}

int os_apply_debian_version(struct drydock_os *os, const char *data, size_t len,
			    const char *name, struct drydock_err *err)
{
	const char *l;
	size_t n, k;
	int rc;

	if ((rc = check_size(len, name, err)) < 0)
		return rc;
	if (!first_line(data, len, &l, &n))
		return 0;
	if (l[0] >= '0' && l[0] <= '9') {
		/* a stable release: "12.5" -> "12" (os-release's VERSION_ID
		 * is the major number) */
		for (k = 0; k < n && l[k] >= '0' && l[k] <= '9'; k++)
			;
		if (set_field(os->version, sizeof(os->version), l, k) < 0)
			return 0;
	} else {
		/* testing or unstable: "trixie/sid" or "sid". Both report
		 * the codename of the release being prepared (see
		 * docs/inventory.md): the files cannot tell testing from
		 * sid. */
		for (k = 0; k < n && l[k] != '/' && !is_space(l[k]); k++)
			;
		if (!os->codename[0] &&
		    set_field(os->codename, sizeof(os->codename), l, k) < 0)
			return 0;
		if (set_field(os->version, sizeof(os->version), os->codename,
			      strlen(os->codename)) < 0)
			return 0;
	}
	if (!os->family[0]) {
		memcpy(os->family, "debian", 7);
		set_source(os, name);
	}
	return 1;
}

int os_parse_alpine_release(struct drydock_os *os, const char *data, size_t len,
			    const char *name, struct drydock_err *err)
{
	const char *l;
	size_t n;
	int rc;

	if ((rc = check_size(len, name, err)) < 0)
		return rc;
	if (!first_line(data, len, &l, &n) ||
	    set_field(os->version, sizeof(os->version), l, n) < 0)
		return 0;
	if (!os->family[0]) {
		memcpy(os->family, "alpine", 7);
		set_source(os, name);
	}
	return 1;
}

/* "v3.20" or "edge" */
static int is_branch(const char *s, size_t n)
{
	size_t i = 1, d1 = 0, d2 = 0;

	if (n == 4 && memcmp(s, "edge", 4) == 0)
		return 1;
	if (n < 4 || s[0] != 'v')
		return 0;
	for (; i < n && s[i] >= '0' && s[i] <= '9'; i++)
		d1++;
	if (i == n || s[i] != '.')
		return 0;
	for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++)
		d2++;
	return i == n && d1 && d2;
}

int os_parse_apk_repositories(struct drydock_os *os, const char *data,
			      size_t len, const char *name,
			      struct drydock_err *err)
{
	const char *l, *first = NULL;
	size_t pos = 0, n, firstn = 0;
	int rc;

	if ((rc = check_size(len, name, err)) < 0)
		return rc;
	while (next_line(data, len, &pos, &l, &n)) {
		size_t i = 0;

		trim(&l, &n);
		/* comments, and tagged repositories ("@edge http://...")
		 * which only serve packages pinned to them */
		if (!n || l[0] == '#' || l[0] == '@')
			continue;
		/* the components: a branch followed by the repository */
		while (i < n) {
			size_t s = i, e, r, re;

			while (i < n && l[i] != '/')
				i++;
			e = i;
			if (i < n)
				i++;
			if (!is_branch(l + s, e - s) || i >= n)
				continue;
			r = i;
			for (re = r; re < n && l[re] != '/' && !is_space(l[re]);
			     re++)
				;
			if (!first) {
				first = l + s;
				firstn = e - s;
			}
			if (re - r == 4 && memcmp(l + r, "main", 4) == 0) {
				set_field(os->apk_branch,
					  sizeof(os->apk_branch), l + s, e - s);
				return 1;
			}
			break;
		}
	}
	if (!first)
		return 0;
	set_field(os->apk_branch, sizeof(os->apk_branch), first, firstn);
	return 1;
}

/* The word after " release " in a line, or NULL. */
static const char *release_word(const char *l, size_t n, size_t *wn)
{
	size_t i;

	for (i = 0; i + 9 <= n; i++) {
		if (memcmp(l + i, " release ", 9) == 0) {
			const char *w = l + i + 9;
			size_t k = 0;

			while (w + k < l + n && !is_space(w[k]))
				k++;
			*wn = k;
			return k ? w : NULL;
		}
	}
	return NULL;
}

static int starts(const char *l, size_t n, const char *p)
{
	size_t k = strlen(p);

	return n >= k && memcmp(l, p, k) == 0;
}

/* SuSE-release: "VERSION = 12" and "PATCHLEVEL = 3" lines. */
static void suse_version(struct drydock_os *os, const char *data, size_t len)
{
	char v[32] = "", pl[16] = "";
	size_t pos = 0, n;
	const char *l;

	while (next_line(data, len, &pos, &l, &n)) {
		const char *eq = memchr(l, '=', n);
		const char *k = l, *val;
		size_t kn, vn;

		if (!eq)
			continue;
		kn = (size_t)(eq - l);
		trim(&k, &kn);
		val = eq + 1;
		vn = n - (size_t)(val - l);
		trim(&val, &vn);
		if (kn == 7 && memcmp(k, "VERSION", 7) == 0)
			set_field(v, sizeof(v), val, vn);
		else if (kn == 10 && memcmp(k, "PATCHLEVEL", 10) == 0)
			set_field(pl, sizeof(pl), val, vn);
	}
	if (!v[0])
		return;
	if (pl[0] && strcmp(pl, "0") != 0 && !strchr(v, '.'))
		snprintf(os->version, sizeof(os->version), "%s.%s", v, pl);
	else
		snprintf(os->version, sizeof(os->version), "%s", v);
}

int os_parse_release_file(struct drydock_os *os, const char *data, size_t len,
			  const char *name, struct drydock_err *err)
{
	static const struct {
		const char *prefix;
		const char *family;
	} known[] = {
		{"Red Hat Enterprise Linux", "rhel"},
		{"CentOS", "centos"},
		{"Rocky Linux", "rocky"},
		{"AlmaLinux", "almalinux"},
		{"Oracle Linux", "ol"},
		{"Enterprise Linux Enterprise Linux", "ol"},
		{"Fedora", "fedora"},
		{"Amazon Linux", "amzn"},
		{"SUSE Linux Enterprise", "sles"},
		{"openSUSE", "opensuse"},
	};
	const char *l, *w;
	size_t n, wn, i;
	int rc;

	if ((rc = check_size(len, name, err)) < 0)
		return rc;
	if (!first_line(data, len, &l, &n))
		return 0;
	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (starts(l, n, known[i].prefix))
			break;
	if (i == sizeof(known) / sizeof(known[0]))
		return 0;
	memset(os->family, 0, sizeof(os->family));
	memcpy(os->family, known[i].family, strlen(known[i].family));
	os->version[0] = os->codename[0] = '\0';
	if (set_field(os->pretty_name, sizeof(os->pretty_name), l, n) < 0)
		os->pretty_name[0] = '\0';
	w = release_word(l, n, &wn);
	if (w) {
		const char *open;

		set_field(os->version, sizeof(os->version), w, wn);
		/* "(Maipo)" after the version: the codename */
		open = memchr(w, '(', n - (size_t)(w - l));
		if (open && l[n - 1] == ')')
			set_field(os->codename, sizeof(os->codename), open + 1,
				  (size_t)(l + n - 1 - open - 1));
	} else if (known[i].family[0] == 's' || known[i].family[0] == 'o') {
		suse_version(os, data, len);
	}
	set_source(os, name);
	return 1;
}

static const struct drydock_fs_entry *get_file(const struct drydock_fs *fs,
					       const char *path)
{
	const struct drydock_fs_entry *e = drydock_fs_get(fs, path);

	return e && e->type == DRYDOCK_FS_FILE ? e : NULL;
}

typedef int (*parse_fn)(struct drydock_os *, const char *, size_t, const char *,
			struct drydock_err *);

static int try_file(struct drydock_os *os, const struct drydock_fs *fs,
		    const char *path, parse_fn fn, struct drydock_err *err)
{
	const struct drydock_fs_entry *e = get_file(fs, path);

	if (!e)
		return 0;
	return fn(os, e->data, e->len, path, err);
}

int drydock_os_detect(struct drydock_os *os, const struct drydock_fs *fs,
		      struct drydock_err *err)
{
	/* when os-release is missing: the distribution's own file first
	 * (centos-release before redhat-release, which CentOS also has) */
	static const char *const release_files[] = {
		"etc/oracle-release",	 "etc/rocky-release",
		"etc/almalinux-release", "etc/centos-release",
		"etc/fedora-release",	 "etc/redhat-release",
		"etc/system-release",	 "usr/lib/system-release",
		"etc/SuSE-release",
	};
	size_t i;
	int rc;

	memset(os, 0, sizeof(*os));
	rc = try_file(os, fs, "etc/os-release", os_parse_os_release, err);
	if (rc == 0)
		rc = try_file(os, fs, "usr/lib/os-release", os_parse_os_release,
			      err);
	for (i = 0;
	     rc == 0 && i < sizeof(release_files) / sizeof(*release_files); i++)
		rc = try_file(os, fs, release_files[i], os_parse_release_file,
			      err);
	if (rc == 0)
		rc = try_file(os, fs, "etc/lsb-release", os_parse_lsb_release,
			      err);
	if (rc == 0)
		rc = try_file(os, fs, "etc/alpine-release",
			      os_parse_alpine_release, err);
	if (rc == 0)
		rc = try_file(os, fs, "etc/debian_version",
			      os_apply_debian_version, err);
	if (rc < 0)
		return rc;
	if (strcmp(os->family, "alpine") == 0) {
		if (!os->version[0] &&
		    (rc = try_file(os, fs, "etc/alpine-release",
				   os_parse_alpine_release, err)) < 0)
			return rc;
		if ((rc = try_file(os, fs, "etc/apk/repositories",
				   os_parse_apk_repositories, err)) < 0)
			return rc;
	}
	if (strcmp(os->family, "debian") == 0 && !os->version[0] &&
	    (rc = try_file(os, fs, "etc/debian_version",
			   os_apply_debian_version, err)) < 0)
		return rc;
	return 0;
}
