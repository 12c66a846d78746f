#ifndef DRYDOCK_NVD_COMMON_H
#define DRYDOCK_NVD_COMMON_H

/*
 * Helpers of the two NVD importers (feed_nvd_json11.c, feed_nvd_api2.c).
 * Private to lib/vulndb.
 */

#include <jansson.h>
#include <stdio.h>

#include "drydock/feed.h"
#include "drydock/json.h"

/* ratings kept per CVE (NVD gives at most one per version and rater) */
#define NVD_MAX_CVSS 32
/* references kept per CVE (the largest entries have ~600) */
#define NVD_MAX_REFS 4096

static inline int nvd_digits(const char *s, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

/*
 * NVD stamps are UTC without a zone ("2021-07-20T12:15Z",
 * "2023-10-12T19:15:11.747"): give them as RFC 3339
 * "2023-10-12T19:15:11Z". Anything else is passed through as is.
 */
static inline const char *nvd_time(const char *in, char *out, size_t size)
{
	if (!in)
		return NULL;
	if (strlen(in) < 16 || !nvd_digits(in, 4) || in[4] != '-' ||
	    !nvd_digits(in + 5, 2) || in[7] != '-' || !nvd_digits(in + 8, 2) ||
	    in[10] != 'T' || !nvd_digits(in + 11, 2) || in[13] != ':' ||
	    !nvd_digits(in + 14, 2))
		return in;
	if (in[16] == ':' && nvd_digits(in + 17, 2))
		snprintf(out, size, "%.19sZ", in);
	else
		snprintf(out, size, "%.16s:00Z", in);
	return out;
}

/* The English text of a [{"lang": "en", "value": ...}] array. */
static inline const char *nvd_english(json_t *arr)
{
	json_t *d;
	size_t i;

	json_array_foreach(arr, i, d)
	{
		const char *lang = drydock_json_str(d, "lang");

		if (lang && !strcmp(lang, "en"))
			return drydock_json_str(d, "value");
	}
	return NULL;
}

/* Lowercase a severity word into buf ("HIGH" -> "high"). */
static inline const char *nvd_lower(const char *s, char *buf, size_t size)
{
	size_t i;

	if (!s)
		return NULL;
	for (i = 0; s[i] && i + 1 < size; i++)
		buf[i] =
			(s[i] >= 'A' && s[i] <= 'Z') ? (char)(s[i] + 32) : s[i];
	buf[i] = '\0';
	return buf;
}

static inline double nvd_score(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	return json_is_number(v) ? json_number_value(v) : -1;
}

#endif
