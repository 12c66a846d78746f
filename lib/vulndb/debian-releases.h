#ifndef DRYDOCK_DEBIAN_RELEASES_H
#define DRYDOCK_DEBIAN_RELEASES_H

/*
 * Debian release codenames -> namespace ("bookworm" -> "debian:12",
 * "sid" -> "debian:unstable"). Private to lib/vulndb's Debian importers.
 * Releases before 4.0 keep their minor number ("woody" -> "debian:3.0"),
 * as os-release of those releases had no VERSION_ID anyway.
 */

#include <string.h>

static inline const char *debian_namespace(const char *codename)
{
	static const char *const map[][2] = {
		{"buzz", "debian:1.1"},	    {"rex", "debian:1.2"},
		{"bo", "debian:1.3"},	    {"hamm", "debian:2.0"},
		{"slink", "debian:2.1"},    {"potato", "debian:2.2"},
		{"woody", "debian:3.0"},    {"sarge", "debian:3.1"},
		{"etch", "debian:4"},	    {"lenny", "debian:5"},
		{"squeeze", "debian:6"},    {"wheezy", "debian:7"},
		{"jessie", "debian:8"},	    {"stretch", "debian:9"},
		{"buster", "debian:10"},    {"bullseye", "debian:11"},
		{"bookworm", "debian:12"},  {"trixie", "debian:13"},
		{"forky", "debian:14"},	    {"duke", "debian:15"},
		{"sid", "debian:unstable"},
	};
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (!strcmp(codename, map[i][0]))
			return map[i][1];
	return NULL;
}

#endif
