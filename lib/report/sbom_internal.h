#ifndef DRYDOCK_REPORT_SBOM_INTERNAL_H
#define DRYDOCK_REPORT_SBOM_INTERNAL_H

/*
 * Shared by the SBOM writers of lib/report (not a public header).
 */

#include <jansson.h>
#include <stddef.h>

#include "drydock/report.h"

/* The writers' view of an input: packages sorted (see pkg_cmp in
 * sbom.c), each with its purl and a reference unique in the document
 * (the purl, "|2", "|3"... appended to repeats). Owns purls and refs. */
struct sbom_view {
	const struct drydock_sbom_input *in;
	const struct drydock_pkg **pkgs;
	char **purls;
	char **refs;
	size_t n;
	int oom; /* a JSON allocation failed: the writer reports ENOMEM */
};

int sbom_view_init(struct sbom_view *v, const struct drydock_sbom_input *in,
		   struct drydock_err *err);
void sbom_view_free(struct sbom_view *v);

/* JSON building that records allocation failure on v instead of
 * returning it at every call; sbom_finish() checks. sbom_str makes any
 * byte string valid UTF-8 (invalid bytes read as Latin-1). */
json_t *sbom_str(struct sbom_view *v, const char *s);
json_t *sbom_obj(struct sbom_view *v);
json_t *sbom_arr(struct sbom_view *v);
void sbom_set(struct sbom_view *v, json_t *obj, const char *key, json_t *val);
/* set only when s is non-empty */
void sbom_set_str(struct sbom_view *v, json_t *obj, const char *key,
		  const char *s);
/* s, or JSON null when s is NULL or empty */
void sbom_set_str_or_null(struct sbom_view *v, json_t *obj, const char *key,
			  const char *s);
void sbom_push(struct sbom_view *v, json_t *arr, json_t *val);
/* Dump doc pretty-printed with sorted keys onto out, then free doc and
 * v. */
int sbom_finish(struct sbom_view *v, struct drydock_buf *out, json_t *doc,
		struct drydock_err *err);

const char *sbom_type_name(enum drydock_pkg_type t);
#define SBOM_TIME_MAX 64
/* "YYYY-MM-DDThh:mm:ssZ"; t < 0 gives the epoch */
void sbom_format_time(long long t, char out[SBOM_TIME_MAX]);
/* An RFC 3339 time as seconds since the epoch, or -1 */
long long sbom_parse_rfc3339(const char *s);
/* The document's time: in->timestamp, else the image's created time,
 * else 1970-01-01T00:00:00Z. */
void sbom_doc_time(const struct drydock_sbom_input *in,
		   char out[SBOM_TIME_MAX]);
/* RFC 4122 name-based UUID, version 5 (SHA-1). */
int sbom_uuid5(const unsigned char ns[16], const char *name, size_t len,
	       char out[37]);
extern const unsigned char sbom_uuid_ns[16];
/* uuid5(sbom_uuid_ns, "KIND|IMAGE-DIGEST|sha256(compact doc)") */
int sbom_doc_uuid(struct sbom_view *v, const char *kind, const json_t *doc,
		  char out[37]);
/* The "N:" epoch of a dpkg version, or -1 when it has none. */
long sbom_deb_epoch(const char *version);
/* The version shown for a package: as the database writes it, with
 * "EPOCH:" before an rpm's version-release when the epoch is > 0. */
void sbom_display_version(const struct drydock_pkg *p, char *out, size_t n);

/* A package's drydock:* properties, in name order (docs/sbom.md).
 * extra adds drydock:license and drydock:maintainer (SPDX has no field
 * for them that takes any string). Returns the count (at most
 * SBOM_MAX_PROPS); values borrow from p or from epochbuf. */
#define SBOM_MAX_PROPS 12
struct sbom_prop {
	const char *name;
	const char *value;
};
size_t sbom_pkg_props(const struct drydock_pkg *p, struct sbom_prop *props,
		      char epochbuf[32], int extra);

int sbom_write_cyclonedx(struct drydock_buf *out,
			 const struct drydock_sbom_input *in,
			 struct drydock_err *err);
int sbom_write_spdx(struct drydock_buf *out,
		    const struct drydock_sbom_input *in,
		    struct drydock_err *err);
int sbom_write_json(struct drydock_buf *out,
		    const struct drydock_sbom_input *in,
		    struct drydock_err *err);
int sbom_write_table(struct drydock_buf *out,
		     const struct drydock_sbom_input *in,
		     struct drydock_err *err);

#endif
