#ifndef DRYDOCK_LIMITS_H
#define DRYDOCK_LIMITS_H

/*
 * Every quantity an attacker controls is bounded here, with the reason for
 * its value. A parser that meets a limit fails with DRYDOCK_ELIMIT and a
 * message naming the limit; it never truncates silently.
 *
 * The overall budget: scanning any image must stay under 256 MB of peak
 * memory, so everything held in memory at once is bounded well below that.
 */

/* Image layout and manifests. */

/* manifest, index and config JSON documents: real ones are < 100 KB;
 * Docker Hub rejects manifests over 4 MB. */
#define DRYDOCK_MAX_MANIFEST_BYTES (4u * 1024 * 1024)
/* image configs carry history; the largest seen in the wild are ~1 MB */
#define DRYDOCK_MAX_CONFIG_BYTES (8u * 1024 * 1024)
/* layers per image: overlayfs stacks at most 128 lower dirs; 500 is the
 * practical ceiling registries enforce */
#define DRYDOCK_MAX_LAYERS 512
/* manifests in one index (multi-arch images have < 20) */
#define DRYDOCK_MAX_INDEX_ENTRIES 4096
/* JSON nesting accepted by our readers (jansson has no depth limit of its
 * own below 2048; real documents nest < 20) */
#define DRYDOCK_MAX_JSON_DEPTH 64

/* Tar streams. */

/* entries per layer: a full distro layer holds ~100k files */
#define DRYDOCK_MAX_TAR_ENTRIES (4u * 1024 * 1024)
/* path length inside a layer (PATH_MAX on Linux) */
#define DRYDOCK_MAX_PATH 4096
/* symlinks followed while resolving one path (Linux follows 40) */
#define DRYDOCK_MAX_SYMLINK_HOPS 40
/* uncompressed bytes of one layer: a layer over 64 GiB is an attack or a
 * mistake; streaming keeps memory flat either way */
#define DRYDOCK_MAX_LAYER_BYTES (64ull * 1024 * 1024 * 1024)
/* expansion ratio of compressed to uncompressed layer bytes: real layers
 * compress 2-10x; zero-filled bombs go past 1000x */
#define DRYDOCK_MAX_INFLATE_RATIO 1024
/* files an archive (docker-archive, oci-archive) holds outside layers */
#define DRYDOCK_MAX_ARCHIVE_ENTRIES 100000

/* Image sources (lib/image). */

/* directory depth walked in a dir: source (paths are bounded by
 * DRYDOCK_MAX_PATH anyway; this bounds open directory handles) */
#define DRYDOCK_MAX_DIR_DEPTH 256

/* Files kept for analysers (package databases, os-release). */

/* one file kept in memory: the largest rpmdb.sqlite of a full RHEL image
 * is ~40 MB, a dpkg status of a large Ubuntu image ~5 MB */
#define DRYDOCK_MAX_KEPT_FILE_BYTES (64u * 1024 * 1024)
/* all versions of all kept files of one image together */
#define DRYDOCK_MAX_KEPT_TOTAL_BYTES (160u * 1024 * 1024)
/* number of kept files (status.d holds one file per package) */
#define DRYDOCK_MAX_KEPT_FILES 200000

/* Package databases. */

/* packages in one database: the largest distro images hold ~5k; 200k is
 * far beyond any real image */
#define DRYDOCK_MAX_PACKAGES 200000
/* one field of a dpkg/apk stanza (Description can be long) */
#define DRYDOCK_MAX_FIELD_BYTES (1u * 1024 * 1024)
/* one rpm header blob: rpm itself caps headers at 256 MB (hdrMaxSize) but
 * real ones are < 1 MB; 32 MB allows huge file lists */
#define DRYDOCK_MAX_RPM_HEADER_BYTES (32u * 1024 * 1024)
/* index entries of one rpm header (rpm caps at 0xffff) */
#define DRYDOCK_MAX_RPM_HEADER_TAGS 0xffff
/* Berkeley DB pages visited while walking one hash database */
#define DRYDOCK_MAX_BDB_PAGES (1u * 1024 * 1024)
/* os-release and friends are a few hundred bytes */
#define DRYDOCK_MAX_OSRELEASE_BYTES (64u * 1024)

/* Versions. */

/* a version string longer than this is not a version */
#define DRYDOCK_MAX_VERSION_LEN 1024

/* Vulnerability feeds. */

/* one feed file (the NVD yearly JSON is ~100 MB uncompressed; the Red Hat
 * OVAL for RHEL 8 ~300 MB, read streaming, so only JSON is bounded) */
#define DRYDOCK_MAX_FEED_JSON_BYTES (512u * 1024 * 1024)
/* one XML document read by the streaming reader */
#define DRYDOCK_MAX_FEED_XML_BYTES (2ull * 1024 * 1024 * 1024)
/* files inside one feed archive */
#define DRYDOCK_MAX_FEED_ARCHIVE_ENTRIES 2000000
/* one member of a feed archive (a single OSV record is < 1 MB) */
#define DRYDOCK_MAX_FEED_MEMBER_BYTES (64u * 1024 * 1024)

/* Vulnerability database (lib/vulndb: import walk and db update). */

/* directory levels walked under one imported path (OSV trees are ~4) */
#define DRYDOCK_MAX_FEED_DIR_DEPTH 32
/* one downloaded feed file (the NVD and Red Hat OVAL archives are
 * < 1 GB; streaming keeps memory flat, this bounds disk use) */
#define DRYDOCK_MAX_FEED_DOWNLOAD_BYTES (4ull * 1024 * 1024 * 1024)
/* URLs of one source in the update configuration */
#define DRYDOCK_MAX_FEED_URLS 256

/* Feed importers: OSV, OVAL, CSAF (lib/vulndb/feed_osv*.c, feed_*oval.c,
 * feed_redhat_csaf.c). */

/* aliases or references of one record: GHSA records list < 100 */
#define DRYDOCK_MAX_FEED_LIST_ITEMS 4096u
/* one YAML feed document (an OSV record is < 1 MB) */
#define DRYDOCK_MAX_FEED_YAML_BYTES (16u * 1024 * 1024)
/* nodes of one YAML document: a large record has a few thousand */
#define DRYDOCK_MAX_FEED_YAML_NODES 1000000u
/* tests, objects, states and variables of one OVAL document: the RHEL 8
 * OVAL v2 holds ~300k; a tenfold margin */
#define DRYDOCK_MAX_OVAL_ITEMS (4u * 1024 * 1024)
/* text of one OVAL element kept (descriptions are < 64 KB) */
#define DRYDOCK_MAX_OVAL_TEXT (1u * 1024 * 1024)
/* criteria and criterion elements of one definition (the largest
 * kernel definitions have a few thousand) */
#define DRYDOCK_MAX_OVAL_CRITERIA 100000u
/* element nesting accepted in OVAL (real documents nest < 20) */
#define DRYDOCK_MAX_OVAL_DEPTH 256

/* Network. */

/* HTTP response bodies held in memory (manifests, tokens, errors) */
#define DRYDOCK_MAX_HTTP_BODY_BYTES (8u * 1024 * 1024)
/* pages followed in a paginated registry listing */
#define DRYDOCK_MAX_HTTP_PAGES 1000
/* retries of one request on 429/503 or a reset connection */
#define DRYDOCK_MAX_HTTP_RETRIES 5

/* Registry client (lib/registry). */

/* ~/.docker/config.json: real ones are a few KB */
#define DRYDOCK_MAX_DOCKER_CONFIG_BYTES (1u * 1024 * 1024)
/* longest Retry-After we honour: a registry asking for more is treated
 * as unavailable rather than stalling a scan for hours */
#define DRYDOCK_MAX_RETRY_AFTER_SECONDS 60
/* bearer tokens held per client (one per scope) */
#define DRYDOCK_MAX_TOKEN_BYTES (64u * 1024)
/* one chunk of a chunked upload held in memory */
#define DRYDOCK_MAX_UPLOAD_CHUNK_BYTES (64u * 1024 * 1024)
/* one layer cache entry: what one layer keeps, so bounded like the kept
 * files of a whole image */
#define DRYDOCK_MAX_CACHE_ENTRY_BYTES                                          \
	(DRYDOCK_MAX_KEPT_TOTAL_BYTES + 16u * 1024 * 1024)
/* descriptors in a referrers index we maintain (tag schema) */
#define DRYDOCK_MAX_REFERRERS 10000

/* Docker credential helpers (lib/registry/credhelper.c). */

/* a helper's reply to "get": {"ServerURL","Username","Secret"}; the
 * longest real secrets (ECR passwords, ACR refresh tokens) are a few KB */
#define DRYDOCK_MAX_CRED_HELPER_REPLY_BYTES (64u * 1024)
/* a helper name from config.json (docker-credential-NAME): real ones
 * are short words ("desktop", "ecr-login", "gcloud") */
#define DRYDOCK_MAX_CRED_HELPER_NAME 64
/* how long a helper may run: helpers that call a cloud API answer in a
 * few seconds; one that hangs must not stall a scan for ever */
#define DRYDOCK_CRED_HELPER_TIMEOUT_MS 30000
/* an identity (OAuth2 refresh) token from config.json or a helper */
#define DRYDOCK_MAX_IDENTITY_TOKEN_BYTES (16u * 1024)

/* Scan suppression (lib/match). */

/* rules from ignore files and VEX documents together */
#define DRYDOCK_MAX_SUPPRESS_RULES 100000
/* an ignore file is hand-written: a few KB */
#define DRYDOCK_MAX_IGNORE_FILE_BYTES (4u * 1024 * 1024)
/* findings of one scan: a large old image has a few thousand */
#define DRYDOCK_MAX_FINDINGS 1000000
/* a report in memory before it is written (JSON of the largest images
 * with every finding is a few MB) */
#define DRYDOCK_MAX_REPORT_BYTES (512u * 1024 * 1024)
/* OpenVEX documents listing many products can reach a few MB */
#define DRYDOCK_MAX_VEX_BYTES (64u * 1024 * 1024)

/* SBOM input (sbom: source). */
#define DRYDOCK_MAX_SBOM_BYTES (256u * 1024 * 1024)

/* Reports and SBOMs (lib/report). */

/* one package URL: real ones are < 300 bytes; the longest field inside
 * (a version) is capped at DRYDOCK_MAX_VERSION_LEN */
#define DRYDOCK_MAX_PURL_LEN 4096
/* components or packages visited in one SBOM document, counting the
 * ones skipped (language packages): DRYDOCK_MAX_PACKAGES bounds those
 * kept; this bounds the work on the rest */
#define DRYDOCK_MAX_SBOM_COMPONENTS 1000000
/* an SBOM written by drydock_sbom_write into memory: ~1 KB per package
 * in CycloneDX, so DRYDOCK_MAX_PACKAGES packages fit */
#define DRYDOCK_MAX_SBOM_OUTPUT_BYTES (256u * 1024 * 1024)

/* Artifacts attached to images (lib/registry/attach.c, drydock image
 * attach). */

/* files of one artifact: each becomes a ~250-byte layer descriptor in
 * the manifest; signatures, SBOMs and attestations are one to a few */
#define DRYDOCK_MAX_ATTACH_FILES 1000
/* one file: reports and SBOMs are a few MB; a mistaken path (a disk
 * image) is refused before anything is uploaded */
#define DRYDOCK_MAX_ATTACH_FILE_BYTES (1ll * 1024 * 1024 * 1024)
/* --annotation pairs of one artifact (all must also fit in the manifest,
 * DRYDOCK_MAX_MANIFEST_BYTES) */
#define DRYDOCK_MAX_ATTACH_ANNOTATIONS 1000
/* an annotation key: reverse-domain names are well under 100 bytes */
#define DRYDOCK_MAX_ANNOTATION_KEY 256

#endif
