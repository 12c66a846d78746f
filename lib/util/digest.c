#include "setup.h"

#include <openssl/evp.h>

#include "drydock/digest.h"
#include "drydock/error.h"

struct drydock_hash {
	EVP_MD_CTX *ctx;
	const char *alg;
};

struct drydock_hash *drydock_hash_new(const char *alg)
{
	struct drydock_hash *h;
	const EVP_MD *md;

	if (!strcmp(alg, "sha256"))
		md = EVP_sha256();
	else if (!strcmp(alg, "sha512"))
		md = EVP_sha512();
	else
		return NULL;
	h = calloc(1, sizeof(*h));
	if (!h)
		return NULL;
	h->ctx = EVP_MD_CTX_new();
	if (!h->ctx || EVP_DigestInit_ex(h->ctx, md, NULL) != 1) {
		drydock_hash_free(h);
		return NULL;
	}
	h->alg = md == EVP_sha256() ? "sha256" : "sha512";
	return h;
}

void drydock_hash_update(struct drydock_hash *h, const void *data, size_t n)
{
	if (n)
		EVP_DigestUpdate(h->ctx, data, n);
}

void drydock_hash_finish(struct drydock_hash *h, char out[DRYDOCK_DIGEST_MAX])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0, i;
	size_t pos;

	EVP_DigestFinal_ex(h->ctx, md, &n);
	pos = (size_t)snprintf(out, DRYDOCK_DIGEST_MAX, "%s:", h->alg);
	for (i = 0; i < n && pos + 2 < DRYDOCK_DIGEST_MAX; i++) {
		out[pos++] = hex[md[i] >> 4];
		out[pos++] = hex[md[i] & 15];
	}
	out[pos] = '\0';
	drydock_hash_free(h);
}

void drydock_hash_free(struct drydock_hash *h)
{
	if (!h)
		return;
	EVP_MD_CTX_free(h->ctx);
	free(h);
}

void drydock_digest_sha256(const void *data, size_t n,
			   char out[DRYDOCK_DIGEST_MAX])
{
	struct drydock_hash *h = drydock_hash_new("sha256");

	if (!h) {
		out[0] = '\0';
		return;
	}
	drydock_hash_update(h, data, n);
	drydock_hash_finish(h, out);
}

int drydock_digest_validate(const char *digest, struct drydock_err *err)
{
	const char *hex;
	size_t want, i;

	if (!strncmp(digest, "sha256:", 7)) {
		want = 64;
		hex = digest + 7;
	} else if (!strncmp(digest, "sha512:", 7)) {
		want = 128;
		hex = digest + 7;
	} else {
		return drydock_err_set(err, DRYDOCK_ECORRUPT,
				       "'%.80s': not a sha256 or sha512 digest",
				       digest);
	}
	for (i = 0; hex[i]; i++) {
		char c = hex[i];

		if (i >= want ||
		    !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
			return drydock_err_set(err, DRYDOCK_ECORRUPT,
					       "'%.80s': malformed digest",
					       digest);
	}
	if (i != want)
		return drydock_err_set(err, DRYDOCK_ECORRUPT,
				       "'%.80s': malformed digest", digest);
	return 0;
}

const char *drydock_digest_hex(const char *digest)
{
	const char *c = strchr(digest, ':');

	return c ? c + 1 : digest;
}
