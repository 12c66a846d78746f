#include "../util/setup.h"

#include <stdio.h>

#include "drydock/error.h"
#include "drydock/inventory.h"
#include "drydock/match.h"

/* The first n dot-separated components of v into out ("3.20.3", 2 ->
 * "3.20"). */
static void components(const char *v, int n, char *out, size_t outsz)
{
	size_t i = 0;
	int seen = 0;

	for (; v[i] && i + 1 < outsz; i++) {
		if (v[i] == '.' && ++seen == n)
			break;
		out[i] = v[i];
	}
	out[i] = '\0';
}

/* RHEL rebuilds and relatives whose packages RHEL data describes. */
static int rhel_like(const char *f)
{
	static const char *const names[] = {"rhel",	 "centos", "rocky",
					    "almalinux", "ol",	   NULL};
	size_t i;

	for (i = 0; names[i]; i++)
		if (!strcmp(f, names[i]))
			return 1;
	return 0;
}

int drydock_match_namespace(const struct drydock_os *os, char *out,
			    size_t outsz)
{
	char rel[64];
	const char *f = os->family;

	out[0] = '\0';
	if (!strcmp(f, "alpine")) {
		const char *b = os->apk_branch;

		if (!strcmp(b, "edge")) {
			snprintf(out, outsz, "alpine:edge");
			return 0;
		}
		if (b[0] == 'v' && b[1] >= '0' && b[1] <= '9') {
			snprintf(out, outsz, "alpine:%s", b + 1);
			return 0;
		}
		if (!os->version[0])
			return DRYDOCK_ENOTFOUND;
		components(os->version, 2, rel, sizeof(rel));
		snprintf(out, outsz, "alpine:%s", rel);
		return 0;
	}
	if (!strcmp(f, "debian")) {
		if (!os->version[0] || !strcmp(os->version, "sid") ||
		    !strcmp(os->version, "unstable")) {
			snprintf(out, outsz, "debian:unstable");
			return 0;
		}
		components(os->version, 1, rel, sizeof(rel));
		if (rel[0] < '0' || rel[0] > '9') {
			/* testing without VERSION_ID: matched as unstable,
			 * whose data is the superset for testing */
			snprintf(out, outsz, "debian:unstable");
			return 0;
		}
		snprintf(out, outsz, "debian:%s", rel);
		return 0;
	}
	if (!strcmp(f, "ubuntu")) {
		if (!os->version[0])
			return DRYDOCK_ENOTFOUND;
		components(os->version, 2, rel, sizeof(rel));
		snprintf(out, outsz, "ubuntu:%s", rel);
		return 0;
	}
	if (rhel_like(f)) {
		if (!os->version[0])
			return DRYDOCK_ENOTFOUND;
		components(os->version, 1, rel, sizeof(rel));
		snprintf(out, outsz, "rhel:%s", rel);
		return 0;
	}
	if (!strcmp(f, "amzn")) {
		if (!os->version[0])
			return DRYDOCK_ENOTFOUND;
		components(os->version, 1, rel, sizeof(rel));
		snprintf(out, outsz, "amzn:%s", rel);
		return 0;
	}
	return DRYDOCK_ENOTFOUND;
}
