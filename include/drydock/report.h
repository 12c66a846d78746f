#ifndef DRYDOCK_REPORT_H
#define DRYDOCK_REPORT_H

/*
 * Reports: software bills of materials (CycloneDX 1.5 JSON, SPDX 2.3
 * JSON, drydock's own JSON, a table for people), package URLs, and the
 * reverse direction, reading a CycloneDX or SPDX document back into an
 * inventory. docs/sbom.md documents every choice (purl rules, property
 * names, determinism); docs/sbom-json.md the drydock.sbom/v1 schema.
 *
 * Every writer appends to a caller-owned drydock_buf and produces
 * byte-identical output for equal input: packages are sorted, object keys
 * are sorted, and nothing depends on the clock or on randomness unless
 * the input asks for a timestamp.
 */

#include <stddef.h>

#include "drydock/image.h"
#include "drydock/inventory.h"

struct drydock_buf;
struct drydock_err;

enum drydock_sbom_format {
	DRYDOCK_SBOM_CYCLONEDX = 1, /* "cyclonedx": CycloneDX 1.5 JSON */
	DRYDOCK_SBOM_SPDX_JSON = 2, /* "spdx-json": SPDX 2.3 JSON */
	DRYDOCK_SBOM_JSON = 3,	    /* "json": drydock.sbom/v1 */
	DRYDOCK_SBOM_TABLE = 4	    /* "table": for people */
};

/* Parse a format name ("cyclonedx", "spdx-json", "json", "table").
 * Returns 0, or DRYDOCK_EUSAGE naming the bad value. */
int drydock_sbom_format_parse(const char *s, enum drydock_sbom_format *out,
			      struct drydock_err *err);
const char *drydock_sbom_format_name(enum drydock_sbom_format f);

/*
 * What an SBOM describes. All pointers are borrowed for the duration of
 * the call; any string may be NULL or "" when unknown.
 */
struct drydock_sbom_input {
	const char *name;	   /* the image as the user named it */
	const char *digest;	   /* manifest digest */
	const char *config_digest; /* config digest (image ID) */
	const char *platform;	   /* "linux/amd64" */
	/* The config's "created" (RFC 3339). Used for SPDX's required
	 * creationInfo.created when no timestamp is asked for. */
	const char *created;
	const struct drydock_layer_info *layers;
	size_t nlayers;
	/* Seconds since the epoch to write as the document's time
	 * (CycloneDX metadata.timestamp, SPDX created, drydock JSON
	 * "timestamp"), or -1 for none: the default, so that the same image
	 * gives the same bytes. The library never reads the clock. */
	long long timestamp;
	const struct drydock_inventory *inv;
};

/*
 * Append the SBOM of in, in format f, to out. Fails only on limits
 * (out->max), allocation failure or invalid input (a NULL inventory).
 */
int drydock_sbom_write(struct drydock_buf *out, enum drydock_sbom_format f,
		       const struct drydock_sbom_input *in,
		       struct drydock_err *err);

/*
 * Package URLs (https://github.com/package-url/purl-spec).
 *
 * drydock_purl_for_pkg appends the purl of p in os to out:
 *   pkg:deb/debian/openssl@3.0.15-1~deb12u1?arch=amd64&distro=debian-12
 *   pkg:apk/alpine/busybox@1.36.1-r29?arch=x86_64&distro=alpine-3.20.3
 *   pkg:rpm/redhat/openssl@1.1.1k-12.el8?arch=x86_64&distro=rhel-8.9&epoch=1
 * (docs/sbom.md: namespace per OS family, deb epoch kept in the version,
 * rpm epoch as a qualifier, qualifiers sorted, percent-encoding).
 * os may be NULL. Returns 0 or DRYDOCK_ELIMIT.
 */
int drydock_purl_for_pkg(struct drydock_buf *out, const struct drydock_pkg *p,
			 const struct drydock_os *os);

/* The purl namespace drydock uses for a package type in an OS family
 * ("debian", "ubuntu", "alpine", "redhat", "amazon", ...). Never NULL. */
const char *drydock_purl_namespace(enum drydock_pkg_type t,
				   const char *os_family);

#define DRYDOCK_PURL_MAX_QUALIFIERS 32

/* A parsed purl: every component percent-decoded. Owned by the struct;
 * release with drydock_purl_free(). */
struct drydock_purl {
	char *type;	 /* lowercase */
	char *namespace; /* NULL when absent ("a/b" for several segments) */
	char *name;
	char *version; /* NULL when absent */
	char *subpath; /* NULL when absent */
	size_t nqual;
	char *qkey[DRYDOCK_PURL_MAX_QUALIFIERS]; /* sorted by key */
	char *qval[DRYDOCK_PURL_MAX_QUALIFIERS];
};

/*
 * Build a purl from components, following the spec's "how to build":
 * type lowercased; namespace segments, name, version, qualifier values and
 * subpath segments percent-encoded; qualifiers with empty values dropped,
 * the rest sorted by key; deb/apk namespace and name and rpm namespace
 * lowercased. quals is key, value pairs (2*nqual strings). Appends to
 * out. Returns 0, DRYDOCK_EUSAGE for invalid components (no type or name,
 * a bad type or qualifier key), or DRYDOCK_ELIMIT.
 */
int drydock_purl_build(struct drydock_buf *out, const char *type,
		       const char *namespace, const char *name,
		       const char *version, const char *const *quals,
		       size_t nqual, const char *subpath,
		       struct drydock_err *err);

/* Parse s (at most DRYDOCK_MAX_PURL_LEN bytes). Returns 0 or
 * DRYDOCK_ECORRUPT / DRYDOCK_ELIMIT naming the purl. */
int drydock_purl_parse(struct drydock_purl *out, const char *s,
		       struct drydock_err *err);
void drydock_purl_free(struct drydock_purl *p);
/* A qualifier's decoded value, or NULL. Borrowed. */
const char *drydock_purl_qualifier(const struct drydock_purl *p,
				   const char *key);

/*
 * Reading SBOMs back (the "sbom:FILE" source).
 *
 * Recognises CycloneDX JSON (bomFormat "CycloneDX", any 1.x), SPDX JSON
 * (spdxVersion "SPDX-2.x") and drydock.sbom/v1 by content, and fills inv
 * (which the caller has initialised) with the OS and every deb, apk and
 * rpm package found through its purl. Properties written by drydock (and
 * the common ones of Trivy and Syft) supply source packages, layers and
 * licences. Components of other types are skipped. A document that is
 * not one of these formats, or is malformed, is an error naming the
 * input; one with no OS packages is not (inv stays empty).
 */
struct drydock_sbom_info {
	/* "cyclonedx", "spdx-json" or "json" */
	const char *format;
	/* the described artifact's name and digest when the document says */
	char name[512];
	char digest[DRYDOCK_DIGEST_MAX];
	size_t skipped; /* components skipped: not deb/apk/rpm */
};

int drydock_sbom_read(struct drydock_inventory *inv,
		      struct drydock_sbom_info *info, const char *data,
		      size_t len, const char *name, struct drydock_err *err);

#endif
