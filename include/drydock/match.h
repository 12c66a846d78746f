#ifndef DRYDOCK_MATCH_H
#define DRYDOCK_MATCH_H

/*
 * Matching an inventory against the vulnerability database, with each
 * distro family's rules:
 *  - Debian, Ubuntu: by source package name and source version, the
 *    binary package reported;
 *  - Alpine: by origin, on the branch from etc/apk/repositories, else the
 *    major.minor of alpine-release; edge included;
 *  - RPM: by source RPM name, comparing the binary's [epoch:]version-
 *    release with rpm ordering (a missing epoch is 0);
 *  - OSV ranges: ECOSYSTEM and SEMVER events (introduced, fixed,
 *    last_affected, limit) and explicit version lists.
 * Statuses are carried through; not_affected is never reported.
 *
 * Ownership: a result owns its findings and their strings; findings refer
 * to packages of the inventory by index, so the inventory must outlive
 * the result.
 */

#include <stddef.h>

struct drydock_err;
struct drydock_inventory;
struct drydock_os;
struct drydock_vulndb;

struct drydock_finding {
	char *id;	       /* "CVE-2024-1234" */
	char **aliases;	       /* NULL-terminated, may be empty */
	size_t pkg;	       /* index in the inventory */
	char *fixed_version;   /* NULL when none */
	char *status;	       /* fixed, affected, will_not_fix, ... */
	char *severity;	       /* critical high medium low negligible unknown */
	char *severity_source; /* "alpine-secdb", "nvd", ... */
	double cvss_score;     /* < 0 when unknown */
	char *cvss_vector;     /* may be NULL */
	char *title;	       /* may be NULL */
	char *description;     /* may be NULL */
	char *data_source;     /* the feed of the matching advisory */
	char *namespace_;      /* "debian:12" */
	char *advisory_id;     /* may be NULL */
	char **references;     /* NULL-terminated, may be empty */
	int in_base;	       /* 1, 0, or -1 unknown */
	/* Suppression (ignore file, VEX): reason NULL when not suppressed */
	char *suppressed;
};

struct drydock_match_result {
	struct drydock_finding *findings;
	size_t n;
	size_t cap;
	/* The namespace the OS was matched in ("debian:12"), "" if none */
	char namespace_[64];
	/* End of life of the OS release ("2026-06-10"), "" when unknown;
	 * eol_passed is 1 when that date is before the match's today */
	char eol[16];
	int eol_passed;
};

void drydock_match_result_free(struct drydock_match_result *r);
/* Free a finding's strings and zero it. */
void drydock_finding_clear(struct drydock_finding *f);

/*
 * Severity ranks for sorting and gating: unknown 0, negligible 1, low 2,
 * medium 3, high 4, critical 5; -1 for a name that is none of these.
 */
int drydock_severity_rank(const char *name);
const char *drydock_severity_name(int rank);

/*
 * The namespace an OS's packages are matched in: "alpine:3.20",
 * "alpine:edge", "debian:12", "debian:unstable", "ubuntu:22.04",
 * "rhel:8", ... Writes "" and returns DRYDOCK_ENOTFOUND when the OS is not
 * one we have data for.
 */
int drydock_match_namespace(const struct drydock_os *os, char *out,
			    size_t outsz);

/*
 * The end-of-life date of the OS release as "YYYY-MM-DD", or NULL when
 * unknown (a fact table in lib/match/eol.c, with its sources).
 */
const char *drydock_os_eol(const struct drydock_os *os);

/*
 * Match every package of inv against db. Fills r (sorted by package,
 * then id). Each finding's layer comes from its package. today
 * ("YYYY-MM-DD", or NULL for the current UTC date) decides eol_passed.
 */
int drydock_match_inventory(struct drydock_match_result *r,
			    const struct drydock_inventory *inv,
			    struct drydock_vulndb *db, const char *today,
			    struct drydock_err *err);

/* Sort findings: package name, version, arch, then severity (highest
 * first), then id. */
void drydock_match_sort(struct drydock_match_result *r,
			const struct drydock_inventory *inv);

/*
 * Suppression: an ignore file (.drydockignore) and OpenVEX documents.
 *
 * .drydockignore: one rule per line: ID [PACKAGE] [exp:YYYY-MM-DD]
 * [# reason]. Blank lines and lines starting with '#' are comments.
 * A rule whose expiry date has passed no longer suppresses.
 */
struct drydock_suppress;
int drydock_suppress_new(struct drydock_suppress **out);
void drydock_suppress_free(struct drydock_suppress *s);
int drydock_suppress_load_ignore(struct drydock_suppress *s, const char *data,
				 size_t len, const char *name,
				 struct drydock_err *err);
/* OpenVEX JSON: statements with status not_affected or fixed suppress the
 * vulnerability for the products they name (purls; matched by package
 * name, and version when the purl has one). */
int drydock_suppress_load_openvex(struct drydock_suppress *s, const char *data,
				  size_t len, const char *name,
				  struct drydock_err *err);
/*
 * Mark suppressed findings (setting finding->suppressed to the reason).
 * today is "YYYY-MM-DD" (for expiry; passed in so tests can fix it).
 */
int drydock_suppress_apply(const struct drydock_suppress *s,
			   struct drydock_match_result *r,
			   const struct drydock_inventory *inv,
			   const char *today, struct drydock_err *err);

#endif
