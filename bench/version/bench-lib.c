/*
 * In-process throughput of the comparators, no I/O: loads a vector file
 * (a<TAB>b<TAB>rel lines) and compares its pairs over and over for about
 * a second. Built and run by bench/version/run.sh.
 * Usage: bench-lib deb|apk|rpm FILE
 */
#include "lib/util/setup.h"

#include <stdio.h>
#include <time.h>

#include "drydock/error.h"
#include "drydock/version.h"

#define MAXP 8192

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	static char *a[MAXP], *b[MAXP];
	enum drydock_version_type t;
	struct drydock_err err;
	char *line = NULL;
	size_t cap = 0, n = 0, i, done = 0;
	double t0, dt;
	long sink = 0;
	FILE *f;

	if (argc != 3 || drydock_version_type_from_name(argv[1], &t, &err))
		return 2;
	f = fopen(argv[2], "r");
	if (!f)
		return 2;
	while (n < MAXP && getline(&line, &cap, f) > 0) {
		char *tab = strchr(line, '\t');

		if (!tab)
			continue;
		*tab = '\0';
		a[n] = strdup(line);
		b[n] = strdup(tab + 1);
		b[n][strcspn(b[n], "\t\n")] = '\0';
		n++;
	}
	free(line);
	fclose(f);
	t0 = now();
	do {
		for (i = 0; i < n; i++) {
			int out = 0;

			if (!drydock_version_compare(t, a[i], b[i], &out, &err))
				sink += out;
		}
		done += n;
		dt = now() - t0;
	} while (dt < 1.0);
	printf("%s: %zu comparisons in %.2f s: %.0f comparisons/s, %.0f ns "
	       "each (library, in-process; checksum %ld)\n",
	       argv[1], done, dt, (double)done / dt, dt * 1e9 / (double)done,
	       sink);
	return 0;
}
