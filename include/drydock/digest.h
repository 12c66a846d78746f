#ifndef DRYDOCK_DIGEST_H
#define DRYDOCK_DIGEST_H

/*
 * Content digests as OCI writes them: "sha256:<64 lowercase hex>".
 * Only sha256 is produced; sha512 is verified when met.
 */

#include <stddef.h>

struct drydock_err;

/* "sha512:" + 128 hex + NUL */
#define DRYDOCK_DIGEST_MAX 136

struct drydock_hash; /* streaming hash state (OpenSSL EVP underneath) */

/* Start hashing with algorithm "sha256" or "sha512". NULL on failure. */
struct drydock_hash *drydock_hash_new(const char *alg);
void drydock_hash_update(struct drydock_hash *h, const void *data, size_t n);
/* Write "alg:hex" into out and free h. */
void drydock_hash_finish(struct drydock_hash *h, char out[DRYDOCK_DIGEST_MAX]);
void drydock_hash_free(struct drydock_hash *h);

/* One-shot sha256 of a buffer, as "sha256:hex". */
void drydock_digest_sha256(const void *data, size_t n,
			   char out[DRYDOCK_DIGEST_MAX]);

/*
 * Validate a digest string: a known algorithm, ':' and the right number of
 * lowercase hex digits. The check that keeps "../" out of blob paths.
 * Returns 0 or DRYDOCK_ECORRUPT with a message naming the digest.
 */
int drydock_digest_validate(const char *digest, struct drydock_err *err);

/* The algorithm part ("sha256") and the hex part of a valid digest. */
const char *drydock_digest_hex(const char *digest);

#endif
