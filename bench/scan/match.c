#include "../../lib/util/setup.h"

#include <stdio.h>
#include <time.h>

#include "drydock/buf.h"
#include "drydock/error.h"
#include "drydock/inventory.h"
#include "drydock/match.h"
#include "drydock/vulndb.h"

/*
 * Time the matching step of a scan in-process: drydock_vulndb_open and
 * drydock_match_inventory over one inventory, each repeated RUNS times
 * (medians, CLOCK_MONOTONIC).
 *
 * usage: match DB OS_ID OS_VERSION RUNS INPUT...
 *   INPUT is status:FILE (a dpkg status file, read by the library's own
 *   parser) or pairs:FILE (lines "SOURCE VERSION": one Debian package
 *   per line whose binary and source names are SOURCE and whose binary
 *   and source versions are VERSION).
 * Prints one line of key=value pairs: packages, namespace, findings, and
 * the medians in milliseconds of open (open + close), match (on an open
 * handle, result freed each time) and open_match (open + match + close).
 */

static double clock_ms(clockid_t id)
{
	struct timespec t;

	clock_gettime(id, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

/* One timed repetition: wall and CPU time of this thread. */
struct span {
	double wall, cpu;
};

static void start(struct span *s)
{
	s->wall = clock_ms(CLOCK_MONOTONIC);
	s->cpu = clock_ms(CLOCK_THREAD_CPUTIME_ID);
}

static void stop(struct span *s, double *wall, double *cpu)
{
	*wall = clock_ms(CLOCK_MONOTONIC) - s->wall;
	*cpu = clock_ms(CLOCK_THREAD_CPUTIME_ID) - s->cpu;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *t, int n)
{
	qsort(t, (size_t)n, sizeof(*t), cmp_double);
	return t[n / 2];
}

static int die(const char *what, const struct drydock_err *err)
{
	fprintf(stderr, "match: %s: %s\n", what, err ? err->msg : "failed");
	return 2;
}

/* Append the "SOURCE VERSION" lines of data to inv. */
static int add_pairs(struct drydock_inventory *inv, char *data, size_t len,
		     struct drydock_err *err)
{
	char *line = data, *end = data + len;

	while (line < end) {
		char *nl = memchr(line, '\n', (size_t)(end - line));
		char *sp, *eol = nl ? nl : end;
		struct drydock_pkg *p;

		*eol = '\0';
		sp = strchr(line, ' ');
		if (sp && sp != line && sp[1]) {
			*sp = '\0';
			p = drydock_inventory_add(inv, err);
			if (!p)
				return -1;
			p->type = DRYDOCK_PKG_DEB;
			p->name = strdup(line);
			p->src_name = strdup(line);
			p->version = strdup(sp + 1);
			p->src_version = strdup(sp + 1);
			if (!p->name || !p->src_name || !p->version ||
			    !p->src_version)
				return -1;
		}
		line = eol + 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct drydock_inventory inv;
	struct drydock_match_result r;
	struct drydock_vulndb *db;
	struct drydock_err err = {0};
	struct span sp;
	/* wall and CPU times of: open, match, open + match */
	double *t[6];
	size_t findings = 0;
	long runs;
	int i, k;

	if (argc < 6) {
		fprintf(stderr,
			"usage: match DB OS_ID OS_VERSION RUNS INPUT...\n");
		return 2;
	}
	runs = strtol(argv[4], NULL, 10);
	if (runs < 1 || runs > 100000)
		return die("RUNS", NULL);
	drydock_inventory_init(&inv);
	snprintf(inv.os.family, sizeof(inv.os.family), "%s", argv[2]);
	snprintf(inv.os.version, sizeof(inv.os.version), "%s", argv[3]);
	for (i = 5; i < argc; i++) {
		struct drydock_buf b = DRYDOCK_BUF_INIT(64u << 20);
		const char *path = strchr(argv[i], ':');
		int rc;

		if (!path)
			return die(argv[i], NULL);
		path++;
		if (drydock_buf_read_file(&b, path, &err))
			return die(path, &err);
		if (!strncmp(argv[i], "status:", 7))
			rc = drydock_dpkg_parse_status(&inv, b.ptr, b.len, path,
						       &err);
		else if (!strncmp(argv[i], "pairs:", 6))
			rc = add_pairs(&inv, b.ptr, b.len, &err);
		else
			return die(argv[i], NULL);
		drydock_buf_release(&b);
		if (rc)
			return die(path, &err);
	}
	for (k = 0; k < 6; k++)
		if (!(t[k] = calloc((size_t)runs, sizeof(double))))
			return die("out of memory", NULL);

	/* open alone */
	for (i = 0; i < runs; i++) {
		start(&sp);
		if (drydock_vulndb_open(&db, argv[1], &err))
			return die(argv[1], &err);
		drydock_vulndb_close(db);
		stop(&sp, &t[0][i], &t[1][i]);
	}
	/* match alone, on one open handle */
	if (drydock_vulndb_open(&db, argv[1], &err))
		return die(argv[1], &err);
	for (i = 0; i < runs; i++) {
		start(&sp);
		if (drydock_match_inventory(&r, &inv, db, NULL, &err))
			return die("match", &err);
		stop(&sp, &t[2][i], &t[3][i]);
		findings = r.n;
		drydock_match_result_free(&r);
	}
	drydock_vulndb_close(db);
	/* what a scan does: open, match, close */
	for (i = 0; i < runs; i++) {
		start(&sp);
		if (drydock_vulndb_open(&db, argv[1], &err))
			return die(argv[1], &err);
		if (drydock_match_inventory(&r, &inv, db, NULL, &err))
			return die("match", &err);
		drydock_vulndb_close(db);
		stop(&sp, &t[4][i], &t[5][i]);
		drydock_match_result_free(&r);
	}
	if (drydock_vulndb_open(&db, argv[1], &err) ||
	    drydock_match_inventory(&r, &inv, db, NULL, &err))
		return die("match", &err);
	printf("packages=%zu namespace=%s findings=%zu runs=%ld "
	       "open_ms=%.3f open_cpu_ms=%.3f match_ms=%.3f "
	       "match_cpu_ms=%.3f open_match_ms=%.3f open_match_cpu_ms=%.3f\n",
	       inv.npkgs, r.namespace_[0] ? r.namespace_ : "-", findings, runs,
	       median(t[0], (int)runs), median(t[1], (int)runs),
	       median(t[2], (int)runs), median(t[3], (int)runs),
	       median(t[4], (int)runs), median(t[5], (int)runs));
	drydock_match_result_free(&r);
	drydock_vulndb_close(db);
	drydock_inventory_free(&inv);
	for (k = 0; k < 6; k++)
		free(t[k]);
	return 0;
}
