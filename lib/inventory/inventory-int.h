#ifndef DRYDOCK_INVENTORY_INT_H
#define DRYDOCK_INVENTORY_INT_H

/*
 * Internal helpers shared by the inventory files (inventory.c, dpkg.c,
 * apk.c, osdetect.c, scan.c). Not part of the public API.
 */

#include <stddef.h>

struct drydock_err;
struct drydock_inventory;
struct drydock_os;
struct drydock_pkg;

/* Drop the packages appended after the first n (all-or-nothing parses). */
void inv_truncate(struct drydock_inventory *inv, size_t n);
/* strcmp ordering NULL first. */
int inv_strcmp0(const char *a, const char *b);
/* 1 when a file directly inside var/lib/dpkg/status.d/ named base holds
 * stanzas (not one of the .md5sums, .preinst, ... control files). */
int inv_status_d_member(const char *base);
/* A NUL-terminated copy of s[0..n) into *out (freed by the caller). */
int inv_dup(char **out, const char *s, size_t n, struct drydock_err *err);

/*
 * OS detection from one file's content (name is its path for messages
 * and os->source). Each fills the fields it finds and returns 1 when it
 * recognised an OS, 0 when the file says nothing usable, or a negative
 * code (only DRYDOCK_ELIMIT for an oversized file).
 */
int os_parse_os_release(struct drydock_os *os, const char *data, size_t len,
			const char *name, struct drydock_err *err);
int os_parse_lsb_release(struct drydock_os *os, const char *data, size_t len,
			 const char *name, struct drydock_err *err);
/* "12.5", "trixie/sid", "sid": fills version/codename for Debian when
 * os-release gave no VERSION_ID (see docs/inventory.md). */
int os_apply_debian_version(struct drydock_os *os, const char *data, size_t len,
			    const char *name, struct drydock_err *err);
/* etc/alpine-release: "3.20.3". */
int os_parse_alpine_release(struct drydock_os *os, const char *data, size_t len,
			    const char *name, struct drydock_err *err);
/* etc/apk/repositories: the branch ("v3.20", "edge") of the main
 * repository into os->apk_branch; 1 when found. */
int os_parse_apk_repositories(struct drydock_os *os, const char *data,
			      size_t len, const char *name,
			      struct drydock_err *err);
/* redhat-release and friends, system-release, SuSE-release: one line
 * "NAME release VERSION (CODENAME)". */
int os_parse_release_file(struct drydock_os *os, const char *data, size_t len,
			  const char *name, struct drydock_err *err);

#endif
