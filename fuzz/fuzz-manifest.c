#include "../lib/util/setup.h"

#include "drydock/error.h"
#include "drydock/image.h"
#include "../lib/image/internal.h"

/*
 * Fuzz the OCI index, manifest and config readers (lib/image/image.c):
 * the input is up to three JSON documents separated by a line "--":
 * index.json, the manifest (or nested index) it names, the config.
 * Digests are not checked here (the fuzzer cannot forge them); every
 * blob lookup of a manifest gets the second document, of a config the
 * third.
 */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *next_doc(const char *p, const char *end, size_t *len)
{
	const char *q = p;

	while (q < end) {
		const char *nl = memchr(q, '\n', (size_t)(end - q));

		if (!nl)
			break;
		if (end - nl >= 4 && memcmp(nl, "\n--\n", 4) == 0) {
			*len = (size_t)(nl - p);
			return nl + 4;
		}
		q = nl + 1;
	}
	*len = (size_t)(end - p);
	return end;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data, *end = p + size;
	struct image_docs docs;
	struct drydock_image *img;
	struct drydock_err err;
	size_t i;

	memset(&docs, 0, sizeof(docs));
	docs.index = p;
	p = next_doc(p, end, &docs.index_len);
	docs.manifest = p;
	p = next_doc(p, end, &docs.manifest_len);
	docs.config = p;
	next_doc(p, end, &docs.config_len);
	drydock_err_clear(&err);
	if (image_open_docs(&img, &docs, "linux/amd64", &err) < 0)
		return 0;
	drydock_image_platform(img);
	drydock_image_base_name(img);
	for (i = 0; i < drydock_image_layer_count(img); i++)
		drydock_image_layer(img, i);
	drydock_image_set_base_layers(img, 1);
	drydock_image_free(img);
	return 0;
}
