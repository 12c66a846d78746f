#include "../util/setup.h"

#include <strings.h>

#include "feed-common.h"

/* CVSS v3.1 specification, section 7.4: metric values. */
struct metric {
	char key[3];
	char val;
	double w;  /* weight, scope unchanged */
	double wc; /* weight when scope is changed (PR only) */
};

static const struct metric metrics[] = {
	{"AV", 'N', 0.85, 0.85}, {"AV", 'A', 0.62, 0.62},
	{"AV", 'L', 0.55, 0.55}, {"AV", 'P', 0.2, 0.2},
	{"AC", 'L', 0.77, 0.77}, {"AC", 'H', 0.44, 0.44},
	{"PR", 'N', 0.85, 0.85}, {"PR", 'L', 0.62, 0.68},
	{"PR", 'H', 0.27, 0.5},	 {"UI", 'N', 0.85, 0.85},
	{"UI", 'R', 0.62, 0.62}, {"S", 'U', 0, 0},
	{"S", 'C', 1, 1},	 {"C", 'H', 0.56, 0.56},
	{"C", 'L', 0.22, 0.22},	 {"C", 'N', 0, 0},
	{"I", 'H', 0.56, 0.56},	 {"I", 'L', 0.22, 0.22},
	{"I", 'N', 0, 0},	 {"A", 'H', 0.56, 0.56},
	{"A", 'L', 0.22, 0.22},	 {"A", 'N', 0, 0},
};

static const char *const base_keys[] = {"AV", "AC", "PR", "UI",
					"S",  "C",  "I",  "A"};
#define NBASE 8

/* Temporal and environmental metrics: valid in a vector, not used. */
static const char *const other_keys[] = {"E",  "RL",  "RC",  "CR",  "IR",
					 "AR", "MAV", "MAC", "MPR", "MUI",
					 "MS", "MC",  "MI",  "MA"};

/* Appendix A of CVSS v3.1: the smallest one-decimal number >= x, computed
 * on integers to avoid floating-point surprises. */
static double roundup31(double x)
{
	long long i = (long long)(x * 100000.0 + 0.5);

	if (i % 10000 == 0)
		return (double)i / 100000.0;
	return (double)(i / 10000 + 1) / 10.0;
}

static double roundup30(double x)
{
	double v = x * 10.0;
	long long i = (long long)v;

	if (v > (double)i)
		i++;
	return (double)i / 10.0;
}

double drydock_cvss3_base_score(const char *vector)
{
	const struct metric *got[NBASE] = {0};
	const char *p;
	int v31;
	double iss, impact, expl, base, pr;
	size_t i;

	if (!vector)
		return -1;
	if (!strncmp(vector, "CVSS:3.1/", 9))
		v31 = 1;
	else if (!strncmp(vector, "CVSS:3.0/", 9))
		v31 = 0;
	else
		return -1;
	p = vector + 9;
	while (*p) {
		const char *colon = strchr(p, ':'), *end;
		size_t klen, vlen;
		int found = 0;

		if (!colon)
			return -1;
		end = strchr(colon, '/');
		if (!end)
			end = colon + strlen(colon);
		klen = (size_t)(colon - p);
		vlen = (size_t)(end - colon - 1);
		for (i = 0; i < NBASE; i++) {
			size_t m;

			if (strlen(base_keys[i]) != klen ||
			    memcmp(base_keys[i], p, klen))
				continue;
			if (got[i] || vlen != 1)
				return -1;
			for (m = 0; m < sizeof(metrics) / sizeof(metrics[0]);
			     m++)
				if (!strcmp(metrics[m].key, base_keys[i]) &&
				    metrics[m].val == colon[1])
					got[i] = &metrics[m];
			if (!got[i])
				return -1;
			found = 1;
		}
		for (i = 0;
		     !found && i < sizeof(other_keys) / sizeof(other_keys[0]);
		     i++)
			if (strlen(other_keys[i]) == klen &&
			    !memcmp(other_keys[i], p, klen) && vlen == 1)
				found = 1;
		if (!found)
			return -1;
		p = *end ? end + 1 : end;
	}
	for (i = 0; i < NBASE; i++)
		if (!got[i])
			return -1;
	/* got: AV AC PR UI S C I A */
	iss = 1.0 - (1.0 - got[5]->w) * (1.0 - got[6]->w) * (1.0 - got[7]->w);
	pr = got[4]->val == 'C' ? got[2]->wc : got[2]->w;
	if (got[4]->val == 'U') {
		impact = 6.42 * iss;
	} else {
		double t = iss - 0.02, t15 = 1.0;

		for (i = 0; i < 15; i++)
			t15 *= t;
		impact = 7.52 * (iss - 0.029) - 3.25 * t15;
	}
	expl = 8.22 * got[0]->w * got[1]->w * pr * got[3]->w;
	if (impact <= 0)
		return 0.0;
	base = impact + expl;
	if (got[4]->val == 'C')
		base *= 1.08;
	if (base > 10.0)
		base = 10.0;
	return v31 ? roundup31(base) : roundup30(base);
}

const char *drydock_cvss_rating(double score)
{
	if (score < 0)
		return NULL;
	if (score == 0)
		return "none";
	if (score < 4.0)
		return "low";
	if (score < 7.0)
		return "medium";
	if (score < 9.0)
		return "high";
	return "critical";
}

const char *drydock_feed_severity(const char *word)
{
	static const struct {
		const char *in, *out;
	} map[] = {
		{"critical", "critical"},     {"high", "high"},
		{"important", "high"},	      {"medium", "medium"},
		{"moderate", "medium"},	      {"low", "low"},
		{"negligible", "negligible"}, {"unimportant", "negligible"},
	};
	size_t i;

	if (!word || !*word)
		return NULL;
	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (!strcasecmp(word, map[i].in))
			return map[i].out;
	return "unknown";
}
