#ifndef DRYDOCK_VERSION_H
#define DRYDOCK_VERSION_H

/*
 * Version ordering and validity for the three package formats, exactly as
 * the package managers order them:
 *   deb: dpkg (lib/dpkg/version.c and parseversion semantics);
 *   apk: apk-tools (the 2024 lexer), extended to the versions that only
 *        apk-tools 2 accepted (see docs/version.md);
 *   rpm: rpmvercmp() for segments, [epoch:]version[-release] for EVRs.
 *
 * Strings are NUL-terminated and untrusted. Nothing here allocates, and
 * every function is bounded by DRYDOCK_MAX_VERSION_LEN (limits.h): a
 * longer string is an error (DRYDOCK_ELIMIT), never truncated. The
 * functions are thread-safe and keep no state.
 *
 * Comparison results are -1, 0 or 1 ("a < b", "a = b", "a > b").
 * Every comparator is a total preorder (antisymmetric and transitive) on
 * the strings it accepts; the fuzz harnesses check this.
 */

#include <stddef.h>

struct drydock_err;

enum drydock_version_type {
	DRYDOCK_VERSION_DEB = 1,
	DRYDOCK_VERSION_APK = 2,
	DRYDOCK_VERSION_RPM = 3
};

/*
 * Verdicts of drydock_version_valid() that are not errors:
 * VALID: the package manager accepts the version as it is.
 * WARN:  it is accepted and ordered, with a warning recorded on err
 *        (err->code stays 0): dpkg warns about the syntax but still
 *        compares it; for apk, only apk-tools 2 accepts it (today's
 *        apk-tools rejects it; real secdb entries such as `5.7.1p1-r0`
 *        and `0.12.5.-r0` are of this kind).
 */
#define DRYDOCK_VERSION_VALID 0
#define DRYDOCK_VERSION_WARN 1

/*
 * The type named "deb", "apk" or "rpm". Returns 0, or DRYDOCK_EUSAGE
 * (message on err) for any other name.
 */
int drydock_version_type_from_name(const char *name,
				   enum drydock_version_type *out,
				   struct drydock_err *err);

/* "deb", "apk", "rpm"; "?" for anything else. Static storage. */
const char *drydock_version_type_name(enum drydock_version_type t);

/*
 * Check s. Returns DRYDOCK_VERSION_VALID, DRYDOCK_VERSION_WARN (message
 * on err) or a negative code with the message on err:
 * DRYDOCK_ECORRUPT (not a version of that type), DRYDOCK_ELIMIT (longer
 * than DRYDOCK_MAX_VERSION_LEN), DRYDOCK_EUSAGE (unknown type).
 * Messages name s: "'1.0-': revision is empty".
 */
int drydock_version_valid(enum drydock_version_type t, const char *s,
			  struct drydock_err *err);

/*
 * Compare a and b of type t: *out = -1, 0 or 1. Returns 0, or a negative
 * code (as drydock_version_valid) when either is not accepted; versions
 * with a WARN verdict are compared without a message.
 */
int drydock_version_compare(enum drydock_version_type t, const char *a,
			    const char *b, int *out, struct drydock_err *err);

/* The same, per type. */
int drydock_deb_compare(const char *a, const char *b, int *out,
			struct drydock_err *err);
int drydock_apk_compare(const char *a, const char *b, int *out,
			struct drydock_err *err);
int drydock_rpm_evr_compare(const char *a, const char *b, int *out,
			    struct drydock_err *err);

int drydock_deb_valid(const char *s, struct drydock_err *err);
int drydock_apk_valid(const char *s, struct drydock_err *err);
int drydock_rpm_evr_valid(const char *s, struct drydock_err *err);

/*
 * rpm's segment comparison, rpmvercmp(), of two whole strings with no
 * EVR parsing ('-' and ':' are separators like '.'): -1, 0 or 1. Any
 * strings are accepted, the empty string included: this cannot fail, it
 * reads each string once and allocates nothing, so it needs no length
 * limit. Bytes other than ASCII letters and digits, '~' and '^' separate
 * segments.
 */
int drydock_rpm_vercmp(const char *a, const char *b);
/* The same on [a, a+alen) and [b, b+blen); a NUL byte ends a string
 * early, as it would for rpm. */
int drydock_rpm_vercmp_n(const char *a, size_t alen, const char *b,
			 size_t blen);

#endif
