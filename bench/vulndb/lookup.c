#include "../../lib/util/setup.h"

#include <stdio.h>
#include <time.h>

#include "drydock/error.h"
#include "drydock/vulndb.h"

/*
 * Time the matcher's path through the database API:
 *   open: drydock_vulndb_open + one lookup + close, repeated (median)
 *   lookup: one (namespace, package) lookup on an open handle (median)
 * usage: lookup DB NAMESPACE PACKAGE [RUNS]
 */

static double now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static int count(void *payload, const struct drydock_advisory *a)
{
	(void)a;
	(*(size_t *)payload)++;
	return 0;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	struct drydock_vulndb *db;
	struct drydock_err err;
	double *t, t0;
	size_t n = 0;
	int runs = argc > 4 ? (int)strtol(argv[4], NULL, 10) : 101, i;

	if (argc < 4 || runs < 1 || runs > 1000000) {
		fprintf(stderr, "usage: lookup DB NAMESPACE PACKAGE [RUNS]\n");
		return 2;
	}
	t = calloc((size_t)runs, sizeof(*t));
	if (!t)
		return 2;
	for (i = 0; i < runs; i++) {
		t0 = now_ms();
		if (drydock_vulndb_open(&db, argv[1], &err)) {
			fprintf(stderr, "%s\n", err.msg);
			return 2;
		}
		n = 0;
		if (drydock_vulndb_lookup(db, argv[2], argv[3], count, &n,
					  &err)) {
			fprintf(stderr, "%s\n", err.msg);
			return 2;
		}
		drydock_vulndb_close(db);
		t[i] = now_ms() - t0;
	}
	qsort(t, (size_t)runs, sizeof(*t), cmp);
	printf("open+lookup+close ms (median of %d): %.3f\n", runs,
	       t[runs / 2]);
	if (drydock_vulndb_open(&db, argv[1], &err))
		return 2;
	for (i = 0; i < runs; i++) {
		t0 = now_ms();
		n = 0;
		drydock_vulndb_lookup(db, argv[2], argv[3], count, &n, &err);
		t[i] = now_ms() - t0;
	}
	qsort(t, (size_t)runs, sizeof(*t), cmp);
	printf("lookup ms (median of %d): %.4f\n", runs, t[runs / 2]);
	printf("advisories found: %zu\n", n);
	drydock_vulndb_close(db);
	free(t);
	return 0;
}
