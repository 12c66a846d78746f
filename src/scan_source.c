#include "../lib/util/setup.h"

#include <stdio.h>

#include "drydock/error.h"
#include "drydock/fs.h"
#include "drydock/image.h"
#include "drydock/inventory.h"
#include "drydock/json.h"
#include "drydock/buf.h"
#include "drydock/report.h"
#include "drydock/limits.h"
#include "scan_source.h"

/*
 * The history heuristic: walking the history backwards, skip the image's
 * own trailing metadata-only entries (its CMD, ENTRYPOINT, LABEL ...);
 * after the first entry that made a layer, the next metadata-only entry
 * that sets CMD or ENTRYPOINT is the end of the base image's build. The
 * layers made before it are the base's. No such entry: unknown.
 */
static int is_cmd(const char *created_by)
{
	const char *p;

	if (!created_by)
		return 0;
	p = strstr(created_by, "#(nop)");
	if (p)
		p += 6;
	else
		p = created_by;
	while (*p == ' ')
		p++;
	return !strncmp(p, "CMD", 3) || !strncmp(p, "ENTRYPOINT", 10);
}

long scan_source_history_base(const char *config_json)
{
	json_t *doc, *hist, *h;
	long boundary = -1, nonempty = 0;
	size_t i, n;
	int seen_layer = 0;

	if (!config_json)
		return -1;
	doc = json_loads(config_json, 0, NULL);
	if (!doc)
		return -1;
	hist = json_object_get(doc, "history");
	n = json_is_array(hist) ? json_array_size(hist) : 0;
	for (i = n; i > 0; i--) {
		int empty;

		h = json_array_get(hist, i - 1);
		empty = json_is_true(json_object_get(h, "empty_layer"));
		if (!empty) {
			seen_layer = 1;
			continue;
		}
		if (seen_layer && is_cmd(drydock_json_str(h, "created_by"))) {
			boundary = (long)(i - 1);
			break;
		}
	}
	if (boundary >= 0) {
		for (i = 0; i < (size_t)boundary; i++) {
			h = json_array_get(hist, i);
			if (!json_is_true(json_object_get(h, "empty_layer")))
				nonempty++;
		}
	}
	json_decref(doc);
	return boundary >= 0 ? nonempty : -1;
}

static int base_from_image(struct scan_source *src, const char *base,
			   const struct drydock_image_opts *o,
			   struct drydock_err *err)
{
	struct drydock_image *b;
	size_t i, n;
	int rc;

	rc = drydock_image_open(&b, base, o, err);
	if (rc)
		return drydock_err_prefix(err, "base image '%s'", base);
	n = drydock_image_layer_count(b);
	if (n > src->nlayers) {
		drydock_image_free(b);
		return drydock_err_set(err, DRYDOCK_EUSAGE,
				       "'%s' is not the base of the image: it "
				       "has more layers",
				       base);
	}
	for (i = 0; i < n; i++) {
		if (strcmp(drydock_image_layer(b, i)->diff_id,
			   src->layers[i]->diff_id)) {
			drydock_image_free(b);
			return drydock_err_set(err, DRYDOCK_EUSAGE,
					       "'%s' is not the base of the "
					       "image: layer %zu differs",
					       base, i + 1);
		}
	}
	snprintf(src->base_digest_buf, sizeof(src->base_digest_buf), "%s",
		 drydock_image_digest(b));
	drydock_image_free(b);
	src->nbase = (long)n;
	return 0;
}

/*
 * An SBOM stands for the image: its packages (with their layers when the
 * document records them) and the OS; no base attribution.
 */
static int load_sbom(struct scan_source *src, const char *path,
		     struct drydock_err *err)
{
	struct drydock_buf b = DRYDOCK_BUF_INIT(DRYDOCK_MAX_SBOM_BYTES);
	struct drydock_sbom_info info;
	int rc;

	rc = drydock_buf_read_file(&b, path, err);
	if (!rc)
		rc = drydock_sbom_read(&src->inv, &info, b.ptr, b.len, path,
				       err);
	drydock_buf_release(&b);
	if (rc)
		return rc;
	snprintf(src->sbom_digest, sizeof(src->sbom_digest), "%s", info.digest);
	src->digest = src->sbom_digest;
	src->config_digest = "";
	src->platform = "";
	drydock_inventory_sort(&src->inv);
	return 0;
}

int scan_source_load(struct scan_source *src, const char *ref,
		     const struct drydock_image_opts *o, const char *base,
		     struct drydock_err *err)
{
	struct drydock_fs *fs = NULL;
	size_t i;
	int rc;

	memset(src, 0, sizeof(*src));
	drydock_inventory_init(&src->inv);
	src->nbase = -1;
	if (!strncmp(ref, "sbom:", 5))
		return load_sbom(src, ref + 5, err);
	rc = drydock_image_open(&src->img, ref, o, err);
	if (rc)
		return rc;
	src->digest = drydock_image_digest(src->img);
	src->config_digest = drydock_image_config_digest(src->img);
	src->platform = drydock_image_platform(src->img);
	src->base_name = drydock_image_base_name(src->img);
	src->base_digest = drydock_image_base_digest(src->img);
	src->nlayers = drydock_image_layer_count(src->img);
	src->layers =
		calloc(src->nlayers ? src->nlayers : 1, sizeof(*src->layers));
	if (!src->layers)
		return drydock_err_set(err, DRYDOCK_ENOMEM, "out of memory");
	for (i = 0; i < src->nlayers; i++)
		src->layers[i] = drydock_image_layer(src->img, i);
	if (base) {
		rc = base_from_image(src, base, o, err);
		if (rc)
			return rc;
		src->base_ref = strdup(base);
		if (!src->base_name)
			src->base_name = src->base_ref;
		/* the annotations may name the base; the image given
		 * with --base is the one checked against the layers */
		if (src->base_digest_buf[0])
			src->base_digest = src->base_digest_buf;
	} else {
		src->nbase = scan_source_history_base(
			drydock_image_config_json(src->img));
	}
	if (src->nbase >= 0)
		drydock_image_set_base_layers(src->img, (size_t)src->nbase);
	rc = drydock_fs_new(&fs);
	if (rc)
		return drydock_err_set(err, rc, "out of memory");
	rc = drydock_image_read_fs(src->img, fs, drydock_inventory_wants, NULL,
				   err);
	if (!rc)
		rc = drydock_inventory_scan(&src->inv, fs, err);
	drydock_fs_free(fs);
	return rc;
}

void scan_source_release(struct scan_source *src)
{
	drydock_inventory_free(&src->inv);
	free(src->layers);
	free(src->base_ref);
	drydock_image_free(src->img);
	memset(src, 0, sizeof(*src));
}

int scan_source_in_base(const struct scan_source *src, size_t pkg)
{
	const struct drydock_pkg *p = &src->inv.pkgs[pkg];

	if (src->nbase < 0 || p->layer < 0)
		return -1;
	return p->layer < src->nbase ? 1 : 0;
}
