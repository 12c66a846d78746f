#include "../util/setup.h"

#include <stdio.h>

#include "drydock/inventory.h"
#include "drydock/match.h"

/*
 * End-of-life dates of distro releases: the end of security support that
 * a user can still get without a paid subscription (Debian: the end of
 * LTS; Ubuntu: the end of standard support; Alpine: the end of its
 * security branch; RHEL: the end of maintenance support).
 * Sources: the distributions' release pages as summarised by
 * endoflife.date (checked 2026-11), facts only.
 */
struct eol {
	const char *family;
	const char *release; /* matched against the namespace's release */
	const char *date;
};

static const struct eol eols[] = {
	{"alpine", "3.9", "2020-11-01"},   {"alpine", "3.10", "2021-05-01"},
	{"alpine", "3.11", "2021-11-01"},  {"alpine", "3.12", "2022-05-01"},
	{"alpine", "3.13", "2022-11-01"},  {"alpine", "3.14", "2023-05-01"},
	{"alpine", "3.15", "2023-11-01"},  {"alpine", "3.16", "2024-05-23"},
	{"alpine", "3.17", "2024-11-22"},  {"alpine", "3.18", "2025-05-09"},
	{"alpine", "3.19", "2025-11-01"},  {"alpine", "3.20", "2026-04-01"},
	{"alpine", "3.21", "2026-11-01"},  {"alpine", "3.22", "2027-05-01"},
	{"debian", "8", "2020-06-30"},	   {"debian", "9", "2022-06-30"},
	{"debian", "10", "2024-06-30"},	   {"debian", "11", "2026-08-31"},
	{"debian", "12", "2028-06-30"},	   {"debian", "13", "2030-06-30"},
	{"ubuntu", "14.04", "2019-04-30"}, {"ubuntu", "16.04", "2021-04-30"},
	{"ubuntu", "18.04", "2023-05-31"}, {"ubuntu", "20.04", "2025-05-31"},
	{"ubuntu", "22.04", "2027-06-01"}, {"ubuntu", "24.04", "2029-05-31"},
	{"rhel", "6", "2020-11-30"},	   {"rhel", "7", "2024-06-30"},
	{"rhel", "8", "2029-05-31"},	   {"rhel", "9", "2032-05-31"},
	{"amzn", "2", "2026-06-30"},	   {"amzn", "2023", "2029-06-30"},
};

const char *drydock_os_eol(const struct drydock_os *os)
{
	char ns[64];
	const char *colon, *rel;
	size_t flen, i;

	if (drydock_match_namespace(os, ns, sizeof(ns)))
		return NULL;
	colon = strchr(ns, ':');
	if (!colon)
		return NULL;
	flen = (size_t)(colon - ns);
	rel = colon + 1;
	for (i = 0; i < sizeof(eols) / sizeof(eols[0]); i++)
		if (strlen(eols[i].family) == flen &&
		    !memcmp(eols[i].family, ns, flen) &&
		    !strcmp(eols[i].release, rel))
			return eols[i].date;
	return NULL;
}
