#ifndef DRYDOCK_REGISTRY_H
#define DRYDOCK_REGISTRY_H

/*
 * An OCI distribution (registry) client over libcurl: references parsed
 * as Docker parses them, manifests and indexes with platform selection,
 * blobs streamed with digest verification, push (blobs, mounts,
 * manifests, tags), the referrers API, and authentication (anonymous,
 * Basic, Bearer tokens, OAuth2 identity tokens; credentials from
 * options, DRYDOCK_REGISTRY_* and the docker config.json with its
 * credential helpers).
 *
 * Also here: copying images between OCI layouts, OCI archives and
 * registries (blob for blob, digests preserved), and the layer cache.
 *
 * A struct drydock_registry talks to one registry host and is not
 * thread-safe; use one per thread.
 */

#include <stddef.h>

#include "drydock/digest.h"

struct drydock_buf;
struct drydock_err;

/* References ------------------------------------------------------------- */

/* limits of Docker's grammar: the whole name is at most 255 bytes, a tag
 * at most 128 */
#define DRYDOCK_REF_NAME_MAX 256
#define DRYDOCK_REF_TAG_MAX 129

struct drydock_registry_ref {
	/* "docker.io", "127.0.0.1:5000", "localhost", "[::1]:5000" */
	char domain[DRYDOCK_REF_NAME_MAX];
	/* the repository path: "library/alpine", "org/app" */
	char path[DRYDOCK_REF_NAME_MAX];
	char tag[DRYDOCK_REF_TAG_MAX];	 /* "" when none was given */
	char digest[DRYDOCK_DIGEST_MAX]; /* "" when none was given */
};

/*
 * Parse s as Docker's ParseNormalizedNamed does: a first component with
 * '.' or ':' or equal to "localhost" (or with upper case) is the domain,
 * else the domain is docker.io; "index.docker.io" becomes "docker.io";
 * a one-component docker.io path gets "library/". The repository path
 * must be lower case. Returns 0 or DRYDOCK_EUSAGE with a message naming
 * s. Neither tag nor digest are defaulted (see drydock_registry_ref_ref).
 */
int drydock_registry_ref_parse(struct drydock_registry_ref *out, const char *s,
			       struct drydock_err *err);

/*
 * Write the canonical form ("docker.io/library/alpine:3.20") into out, or
 * with familiar != 0 Docker's short form ("alpine:3.20"). Returns 0, or
 * -1 when out is too small.
 */
int drydock_registry_ref_format(const struct drydock_registry_ref *r,
				int familiar, char *out, size_t outsz);

/* The reference to ask the registry for: the digest if any, else the tag,
 * else "latest". Borrowed from r (or static). */
const char *drydock_registry_ref_ref(const struct drydock_registry_ref *r);

/* The host to talk to for a domain: "registry-1.docker.io" for
 * "docker.io", else the domain itself. Borrowed. */
const char *drydock_registry_api_host(const char *domain);

/* Whether s is a valid tag ([A-Za-z0-9_][A-Za-z0-9_.-]{0,127}). */
int drydock_registry_tag_valid(const char *s);
/* Whether s is a valid repository path (lower-case components). */
int drydock_registry_repo_valid(const char *s);

/* The client --------------------------------------------------------------- */

struct drydock_registry_opts {
	/* credentials; when both NULL, DRYDOCK_REGISTRY_USERNAME and
	 * DRYDOCK_REGISTRY_PASSWORD, then the auth files: the containers
	 * tools' auth.json files and the docker config (in each its
	 * credHelpers, credsStore, then auths, as the docker CLI does;
	 * docs/registry.md) */
	const char *username;
	const char *password;
	/* directory holding config.json, the only auth file then; NULL:
	 * $DOCKER_CONFIG, else the containers auth files and ~/.docker */
	const char *docker_config;
	/* PEM file of CA certificates to trust instead of the system's */
	const char *ca_file;
	/* talk plain HTTP (a local or test registry) */
	int insecure;
	/* retries on 429/503/connection errors (0: DRYDOCK_MAX_HTTP_RETRIES,
	 * -1: none); never more than DRYDOCK_MAX_HTTP_RETRIES */
	int retries;
	/* first backoff delay in milliseconds (0: 500); doubled each try */
	int backoff_ms;
	/* chunk size for chunked uploads (0: monolithic uploads) */
	size_t chunk_size;
};

struct drydock_registry;

/*
 * A client for domain (as in a parsed reference; "docker.io" is mapped to
 * its API host). opts may be NULL. Caller frees with
 * drydock_registry_free(). Resolves the credentials now: when the docker
 * config names a credential helper for domain, the helper program runs
 * here (up to DRYDOCK_CRED_HELPER_TIMEOUT_MS); its failure is this
 * call's error (DRYDOCK_EAUTH, naming the helper).
 */
int drydock_registry_new(struct drydock_registry **out, const char *domain,
			 const struct drydock_registry_opts *opts,
			 struct drydock_err *err);
void drydock_registry_free(struct drydock_registry *reg);

/*
 * A second client for the same registry with the same options,
 * credentials and cached tokens (for another thread). Caller frees.
 */
int drydock_registry_clone(struct drydock_registry **out,
			   const struct drydock_registry *reg,
			   struct drydock_err *err);

/* The base URL ("https://host"). Borrowed. */
const char *drydock_registry_base_url(const struct drydock_registry *reg);

/* Number of requests retried so far (after 429, 503 or a transfer
 * error), for tests and progress output. */
int drydock_registry_retry_count(const struct drydock_registry *reg);

/* Media types. */
#define DRYDOCK_MT_OCI_MANIFEST "application/vnd.oci.image.manifest.v1+json"
#define DRYDOCK_MT_OCI_INDEX "application/vnd.oci.image.index.v1+json"
#define DRYDOCK_MT_DOCKER_MANIFEST                                             \
	"application/vnd.docker.distribution.manifest.v2+json"
#define DRYDOCK_MT_DOCKER_LIST                                                 \
	"application/vnd.docker.distribution.manifest.list.v2+json"

/* Whether mt is an index (OCI index or Docker manifest list). */
int drydock_registry_mt_is_index(const char *mt);
/* Whether mt is an image manifest (OCI or Docker v2 schema 2). */
int drydock_registry_mt_is_manifest(const char *mt);

struct drydock_registry_manifest {
	char digest[DRYDOCK_DIGEST_MAX]; /* sha256 of the exact bytes */
	char media_type[128];
	struct drydock_buf *body; /* the caller's buffer, filled */
};

/*
 * GET a manifest or index by tag or digest into m->body (appended;
 * bounded by DRYDOCK_MAX_MANIFEST_BYTES). Sends the Accept header for
 * OCI and Docker manifests and indexes. By digest, the body must hash to
 * it (DRYDOCK_EDIGEST otherwise); by tag, m->digest is computed from the
 * body. DRYDOCK_ENOTFOUND when the registry says it is unknown.
 */
int drydock_registry_manifest_get(struct drydock_registry *reg,
				  const char *repo, const char *ref,
				  struct drydock_registry_manifest *m,
				  struct drydock_err *err);

/*
 * HEAD a manifest: its digest (Docker-Content-Digest), media type and
 * size, without counting as a pull on Docker Hub. size may be NULL.
 */
int drydock_registry_manifest_head(struct drydock_registry *reg,
				   const char *repo, const char *ref,
				   char digest[DRYDOCK_DIGEST_MAX],
				   char media_type[128], long long *size,
				   struct drydock_err *err);

/*
 * Pick the manifest for platform ("os/arch[/variant]", NULL: the host's)
 * from an index document (index_json of len bytes): exact os and arch,
 * and the variant when given (an entry without variant matches "arm64"
 * as "v8"). Writes the entry's digest and media type. Returns 0,
 * DRYDOCK_ENOTFOUND (with the platforms available in the message) or
 * DRYDOCK_ECORRUPT.
 */
int drydock_registry_pick_platform(const char *index_json, size_t len,
				   const char *platform,
				   char digest[DRYDOCK_DIGEST_MAX],
				   char media_type[128],
				   struct drydock_err *err);

/* The host's platform as Docker names it ("linux/amd64", "linux/arm64"). */
const char *drydock_registry_host_platform(void);

/*
 * Resolve a reference to an image manifest: GET it, and when it is an
 * index, pick platform and GET that manifest. m->body holds the image
 * manifest; index_digest (may be NULL) receives the index's digest or "".
 */
int drydock_registry_resolve(struct drydock_registry *reg, const char *repo,
			     const char *ref, const char *platform,
			     struct drydock_registry_manifest *m,
			     char index_digest[DRYDOCK_DIGEST_MAX],
			     struct drydock_err *err);

/*
 * A sink for streamed bytes. Returns 0 to go on, non-zero to stop (the
 * transfer then fails with that value if negative, else DRYDOCK_ERROR).
 */
typedef int (*drydock_registry_write_fn)(const void *data, size_t n,
					 void *payload);

/*
 * Stream blob digest of repo to write_cb as it arrives, hashing it; the
 * blob fails with DRYDOCK_EDIGEST when its bytes do not hash to digest
 * (write_cb has then seen the bad bytes: callers must discard what they
 * built from them). Redirects are followed without the Authorization
 * header. A retry after a partial transfer is not attempted (the sink
 * cannot be rewound).
 */
int drydock_registry_blob_stream(struct drydock_registry *reg, const char *repo,
				 const char *digest,
				 drydock_registry_write_fn write_cb,
				 void *payload, struct drydock_err *err);

/* Fetch a small blob (a config) into out, bounded by max bytes, verified. */
int drydock_registry_blob_get(struct drydock_registry *reg, const char *repo,
			      const char *digest, struct drydock_buf *out,
			      struct drydock_err *err);

/* HEAD a blob: 1 when present (with *size, may be NULL), 0 when not. */
int drydock_registry_blob_exists(struct drydock_registry *reg, const char *repo,
				 const char *digest, long long *size,
				 struct drydock_err *err);

/*
 * A source of bytes for uploads: fill up to n bytes of buf, return the
 * count (0 at the end) or a negative code.
 */
typedef long long (*drydock_registry_read_fn)(void *buf, size_t n,
					      void *payload);

/*
 * Upload a blob of size bytes read from read_cb: POST then one PUT
 * (monolithic) or, with opts.chunk_size, PATCH chunks then PUT. Skips the
 * upload when the blob already exists. The registry verifies the digest.
 */
int drydock_registry_blob_upload(struct drydock_registry *reg, const char *repo,
				 const char *digest, long long size,
				 drydock_registry_read_fn read_cb,
				 void *payload, struct drydock_err *err);

/*
 * Mount blob digest from repository from_repo of the same registry into
 * repo. *mounted is 1 when the registry mounted it (201), 0 when it
 * opened an upload instead (202; that upload is abandoned).
 */
int drydock_registry_blob_mount(struct drydock_registry *reg, const char *repo,
				const char *from_repo, const char *digest,
				int *mounted, struct drydock_err *err);

/*
 * PUT a manifest (exact bytes, Content-Type media_type) under ref (a tag
 * or its digest). digest_out (may be NULL) receives its sha256.
 * *subject_ok (may be NULL) is set to 1 when the registry answered with
 * OCI-Subject (it maintains the referrers index itself).
 */
int drydock_registry_manifest_put(struct drydock_registry *reg,
				  const char *repo, const char *ref,
				  const char *media_type, const void *data,
				  size_t len,
				  char digest_out[DRYDOCK_DIGEST_MAX],
				  int *subject_ok, struct drydock_err *err);

/*
 * The referrers of subject digest as an OCI index (into out): the
 * referrers API, or when it answers 404 the tag schema (tag
 * "<alg>-<hex>"); an empty index when neither exists. artifact_type
 * (may be NULL) filters the result.
 */
int drydock_registry_referrers(struct drydock_registry *reg, const char *repo,
			       const char *subject, const char *artifact_type,
			       struct drydock_buf *out,
			       struct drydock_err *err);

/* The fallback tag for subject: alg truncated to 32, hex to 64, other
 * characters than [a-zA-Z0-9_.-] replaced by '-'. */
void drydock_registry_referrers_tag(const char *subject, char *out,
				    size_t outsz);

/*
 * Push a manifest that has a subject on a registry without the referrers
 * API: add its descriptor to the fallback index under the referrers tag
 * (creating it). manifest is the pushed manifest's bytes.
 */
int drydock_registry_referrers_add(struct drydock_registry *reg,
				   const char *repo, const char *subject,
				   const char *manifest, size_t len,
				   const char *media_type,
				   struct drydock_err *err);

/* Copy -------------------------------------------------------------------- */

/*
 * Copy an image between locations, blob for blob (digests preserved):
 * "oci:DIR[:TAG]", "oci-archive:FILE[:TAG]" and registry references, as
 * source or destination. A source index is copied whole when all_platforms
 * is set, else the manifest for platform is copied. progress (may be
 * NULL) is called with a line of text per blob.
 */
struct drydock_copy_opts {
	const struct drydock_registry_opts *src_registry;
	const struct drydock_registry_opts *dst_registry;
	const char *platform;
	int all_platforms;
	void (*progress)(const char *line, void *payload);
	void *progress_payload;
};

int drydock_image_copy(const char *src, const char *dst,
		       const struct drydock_copy_opts *opts,
		       char digest_out[DRYDOCK_DIGEST_MAX],
		       struct drydock_err *err);

/* Layer cache ----------------------------------------------------------- */

/* used when no --cache-size is given */
#define DRYDOCK_CACHE_DEFAULT_BYTES (2ull * 1024 * 1024 * 1024)

struct drydock_cache;
struct drydock_fs;

/* $XDG_CACHE_HOME/drydock/layers, else ~/.cache/drydock/layers; -1 when
 * neither variable is set. */
int drydock_cache_default_dir(char *out, size_t n);

/*
 * Open (creating) the cache in dir, bounded to max_bytes of entries (0:
 * the default). Safe to share between processes and threads.
 */
int drydock_cache_open(struct drydock_cache **out, const char *dir,
		       unsigned long long max_bytes, struct drydock_err *err);
void drydock_cache_close(struct drydock_cache *c);
const char *drydock_cache_dir(const struct drydock_cache *c);

/*
 * Fill out (a fresh fs) with the cached layer for (diff_id, analyser):
 * one layer carrying diff_id. DRYDOCK_ENOTFOUND on a miss (also for a
 * damaged entry, which is dropped).
 */
int drydock_cache_get_layer(struct drydock_cache *c, const char *diff_id,
			    const char *analyser, struct drydock_fs *out,
			    struct drydock_err *err);
/* Store a one-layer fs under (diff_id, analyser); evicts the least
 * recently used entries past the limit. */
int drydock_cache_put_layer(struct drydock_cache *c, const char *diff_id,
			    const char *analyser, const struct drydock_fs *fs,
			    struct drydock_err *err);

struct drydock_cache_stats {
	long long entries, layers, bytes;
	unsigned long long max_bytes;
	long long hits, misses; /* of this handle */
};
int drydock_cache_stats(struct drydock_cache *c, struct drydock_cache_stats *s,
			struct drydock_err *err);
/* Parse a size: bytes, or with a K, M, G or T suffix (powers of 1024).
 * Returns 0, or -1 for anything else or zero. */
int drydock_cache_parse_size(const char *s, unsigned long long *out);

/* Remove every entry; *removed (may be NULL) gets their number. */
int drydock_cache_clean(struct drydock_cache *c, long long *removed,
			struct drydock_err *err);

/*
 * The digest of what loc (a registry reference, "oci:DIR[:TAG]" or
 * "oci-archive:FILE[:TAG]") names: the top-level manifest or index, from
 * a HEAD request for a registry; with platform, the digest of that
 * platform's manifest when loc is an index.
 */
int drydock_image_ref_digest(const char *loc,
			     const struct drydock_registry_opts *ro,
			     const char *platform,
			     char digest[DRYDOCK_DIGEST_MAX],
			     struct drydock_err *err);

/* Artifacts (attach) ---------------------------------------------------- */

/*
 * Artifacts as the OCI image-spec v1.1 "Guidelines for Artifact Usage"
 * describe them: an image manifest with artifactType, the empty config
 * and the files as layers, whose subject is another manifest; pushed by
 * digest, and listed in the subject's fallback referrers index when the
 * registry does not answer with OCI-Subject (distribution-spec v1.1).
 */
#define DRYDOCK_MT_OCI_EMPTY "application/vnd.oci.empty.v1+json"
/* sha256 of the two bytes "{}" */
#define DRYDOCK_OCI_EMPTY_DIGEST                                               \
	"sha256:"                                                              \
	"44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"
#define DRYDOCK_MT_OCTET_STREAM "application/octet-stream"
#define DRYDOCK_ANNOTATION_TITLE "org.opencontainers.image.title"

/* Whether s is a media type as RFC 6838 section 4.2 names them:
 * type "/" subtype, each 1-127 restricted-name characters. */
int drydock_media_type_valid(const char *s);

/* The descriptor of the manifest an artifact refers to. */
struct drydock_artifact_subject {
	char media_type[128];
	char digest[DRYDOCK_DIGEST_MAX];
	long long size;
};

/* One file of an artifact, hashed. */
struct drydock_artifact_layer {
	const char *path; /* borrowed; the title is its basename */
	char digest[DRYDOCK_DIGEST_MAX];
	long long size;
};

struct drydock_artifact {
	const char *artifact_type; /* required */
	/* media type of every file; NULL: application/octet-stream */
	const char *media_type;
	const char *const *files; /* paths, at most DRYDOCK_MAX_ATTACH_FILES */
	size_t nfiles;
	/* "KEY=VALUE" strings (--annotation), at most
	 * DRYDOCK_MAX_ATTACH_ANNOTATIONS; keys unique and non-empty */
	const char *const *annotations;
	size_t nannotations;
};

/*
 * Check a's types, annotations and files before anything is sent: each
 * file a readable regular file of at most DRYDOCK_MAX_ATTACH_FILE_BYTES,
 * basenames unique (they are the layers' titles). DRYDOCK_EUSAGE,
 * DRYDOCK_ELIMIT or DRYDOCK_EIO with a message naming the input.
 */
int drydock_artifact_check(const struct drydock_artifact *a,
			   struct drydock_err *err);

/*
 * The artifact manifest's bytes into out (appended; compact JSON, keys
 * sorted, no final newline): schemaVersion 2, the OCI manifest media
 * type, artifactType, the empty config, one layer per entry of layers
 * (a->nfiles of them; titled with the file's basename) or, with no file,
 * the empty descriptor as the only layer, subject, and annotations from
 * a->annotations (omitted when none). Nothing else (no creation time):
 * the same inputs give the same digest. Validates as
 * drydock_artifact_check does, without touching the files.
 */
int drydock_artifact_manifest(struct drydock_buf *out,
			      const struct drydock_artifact *a,
			      const struct drydock_artifact_layer *layers,
			      const struct drydock_artifact_subject *subject,
			      struct drydock_err *err);

/*
 * The descriptor of repo's manifest ref (a tag or digest): HEAD, or a GET
 * when the registry's HEAD lacks the type or size. DRYDOCK_ENOTFOUND when
 * the registry does not know it.
 */
int drydock_registry_subject(struct drydock_registry *reg, const char *repo,
			     const char *ref,
			     struct drydock_artifact_subject *out,
			     struct drydock_err *err);

/*
 * Attach a to repo's manifest ref: check a, resolve ref, hash and upload
 * the files and the empty config, PUT the manifest by its digest, and
 * when the registry did not answer with OCI-Subject add it to the
 * subject's fallback referrers index. digest_out receives the artifact
 * manifest's digest; subject_out (may be NULL) the subject's descriptor.
 */
int drydock_registry_attach(struct drydock_registry *reg, const char *repo,
			    const char *ref, const struct drydock_artifact *a,
			    char digest_out[DRYDOCK_DIGEST_MAX],
			    struct drydock_artifact_subject *subject_out,
			    struct drydock_err *err);

#endif
