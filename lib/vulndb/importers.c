#include "../util/setup.h"

#include "drydock/feed.h"

/*
 * The importer table. Weak references: an importer whose file is not
 * built is absent (its address is NULL) rather than a stub.
 */
#define IMPORTER(n)                                                            \
	extern const struct drydock_importer n __attribute__((weak));
IMPORTER(drydock_importer_alpine_secdb)
IMPORTER(drydock_importer_debian_tracker)
IMPORTER(drydock_importer_debian_dsa)
IMPORTER(drydock_importer_ubuntu_oval)
IMPORTER(drydock_importer_redhat_oval)
IMPORTER(drydock_importer_redhat_csaf)
IMPORTER(drydock_importer_osv)
IMPORTER(drydock_importer_osv_yaml)
IMPORTER(drydock_importer_nvd_json11)
IMPORTER(drydock_importer_nvd_api2)
#undef IMPORTER

static const struct drydock_importer *const table[] = {
	&drydock_importer_alpine_secdb, &drydock_importer_debian_tracker,
	&drydock_importer_debian_dsa,	&drydock_importer_ubuntu_oval,
	&drydock_importer_redhat_oval,	&drydock_importer_redhat_csaf,
	&drydock_importer_osv,		&drydock_importer_osv_yaml,
	&drydock_importer_nvd_json11,	&drydock_importer_nvd_api2,
};

#define NTABLE (sizeof(table) / sizeof(table[0]))

const struct drydock_importer *const *drydock_importers(void)
{
	static const struct drydock_importer *avail[NTABLE + 1];
	static int done;
	size_t i, n = 0;

	if (!done) {
		for (i = 0; i < NTABLE; i++)
			if (table[i])
				avail[n++] = table[i];
		avail[n] = NULL;
		done = 1;
	}
	return avail;
}

const struct drydock_importer *drydock_importer_find(const char *name)
{
	const struct drydock_importer *const *all = drydock_importers();
	size_t i;

	for (i = 0; all[i]; i++)
		if (!strcmp(all[i]->name, name))
			return all[i];
	return NULL;
}

const struct drydock_importer *
drydock_importer_detect(const char *head, size_t len, const char *path)
{
	const struct drydock_importer *const *all = drydock_importers();
	const struct drydock_importer *best = NULL;
	int best_score = 0;
	size_t i;

	for (i = 0; all[i]; i++) {
		int s = all[i]->detect ? all[i]->detect(head, len, path) : 0;

		if (s > best_score) {
			best_score = s;
			best = all[i];
		}
	}
	return best;
}
