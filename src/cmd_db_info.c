#include "../lib/util/setup.h"

#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <time.h>

#include "drydock/buf.h"
#include "drydock/error.h"
#include "drydock/json.h"
#include "drydock/vulndb.h"
#include "cmd.h"

static const struct cmd_opt opts[] = {
	{"db", 0, "FILE",
	 "the database (default: $DRYDOCK_DB, else "
	 "$XDG_CACHE_HOME/drydock/vuln.db)"},
	{"format", 'f', "F", "output format: table (default) or json"},
	{NULL, 0, NULL, NULL},
};

int cmd_db_info(int argc, char **argv);

const struct cmd cmd_db_info_spec = {
	"db info",
	"[--db FILE] [-f table|json]",
	"show the vulnerability database's sources, counts and age",
	"Prints the schema version, when the database was built, the number\n"
	"of advisories and vulnerabilities, and for each source its format,\n"
	"locations, record counts and the feed's own timestamp.",
	opts,
	cmd_db_info,
};

/* Seconds since an RFC 3339 UTC stamp, or -1. */
static long long age_of(const char *ts)
{
	struct tm tm;
	const char *end;

	if (!ts)
		return -1;
	memset(&tm, 0, sizeof(tm));
	end = strptime(ts, "%Y-%m-%dT%H:%M:%S", &tm);
	if (!end)
		return -1;
	return (long long)(time(NULL) - timegm(&tm));
}

static void human_age(long long s, char *out, size_t size)
{
	if (s < 0)
		snprintf(out, size, "unknown age");
	else if (s < 120)
		snprintf(out, size, "%lld seconds ago", s);
	else if (s < 7200)
		snprintf(out, size, "%lld minutes ago", s / 60);
	else if (s < 172800)
		snprintf(out, size, "%lld hours ago", s / 3600);
	else
		snprintf(out, size, "%lld days ago", s / 86400);
}

static int print_json(struct drydock_vulndb *db)
{
	json_t *o = json_object(), *arr = json_array();
	struct drydock_buf b = DRYDOCK_BUF_INIT(64u * 1024 * 1024);
	size_t i;
	int rc;

	json_object_set_new(o, "path", json_string(drydock_vulndb_path(db)));
	json_object_set_new(o, "schema_version",
			    json_integer(drydock_vulndb_schema_version(db)));
	json_object_set_new(o, "built_at",
			    json_string(drydock_vulndb_built_at(db)));
	json_object_set_new(o, "age_seconds",
			    json_integer(age_of(drydock_vulndb_built_at(db))));
	json_object_set_new(
		o, "advisories",
		json_integer((json_int_t)drydock_vulndb_count_advisories(db)));
	json_object_set_new(
		o, "vulnerabilities",
		json_integer((json_int_t)drydock_vulndb_count_vulns(db)));
	for (i = 0; i < drydock_vulndb_nsources(db); i++) {
		const struct drydock_vulndb_source *s =
			drydock_vulndb_source(db, i);
		json_t *so = json_object(), *locs = json_array();
		const char *p = s->location;

		while (p && *p) {
			const char *nl = strchr(p, '\n');
			size_t n = nl ? (size_t)(nl - p) : strlen(p);

			json_array_append_new(locs, json_stringn(p, n));
			p += n + (nl ? 1 : 0);
		}
		json_object_set_new(so, "name", json_string(s->name));
		json_object_set_new(so, "format", json_string(s->format));
		json_object_set_new(so, "locations", locs);
		json_object_set_new(so, "feed_time",
				    s->feed_time ? json_string(s->feed_time)
						 : json_null());
		json_object_set_new(so, "imported_at",
				    json_string(s->imported_at));
		json_object_set_new(so, "advisories",
				    json_integer((json_int_t)s->advisories));
		json_object_set_new(so, "vulnerabilities",
				    json_integer((json_int_t)s->vulns));
		json_object_set_new(so, "records",
				    json_integer((json_int_t)s->records));
		json_array_append_new(arr, so);
	}
	json_object_set_new(o, "sources", arr);
	rc = drydock_json_dump(&b, o, 1);
	json_decref(o);
	if (rc) {
		drydock_buf_release(&b);
		cmd_error("cannot encode JSON");
		return EXIT_CANNOT;
	}
	fwrite(b.ptr, 1, b.len, stdout);
	drydock_buf_release(&b);
	return 0;
}

static void print_table(struct drydock_vulndb *db)
{
	char age[64];
	size_t i;

	human_age(age_of(drydock_vulndb_built_at(db)), age, sizeof(age));
	printf("database:        %s\n", drydock_vulndb_path(db));
	printf("schema version:  %d\n", drydock_vulndb_schema_version(db));
	printf("built:           %s (%s)\n", drydock_vulndb_built_at(db), age);
	printf("advisories:      %llu\n",
	       (unsigned long long)drydock_vulndb_count_advisories(db));
	printf("vulnerabilities: %llu\n",
	       (unsigned long long)drydock_vulndb_count_vulns(db));
	printf("sources:         %zu\n", drydock_vulndb_nsources(db));
	if (!drydock_vulndb_nsources(db))
		return;
	printf("\n%-20s %-16s %10s %10s  %-20s  %s\n", "SOURCE", "FORMAT",
	       "ADVISORIES", "VULNS", "FEED TIME", "IMPORTED");
	for (i = 0; i < drydock_vulndb_nsources(db); i++) {
		const struct drydock_vulndb_source *s =
			drydock_vulndb_source(db, i);

		printf("%-20s %-16s %10llu %10llu  %-20s  %s\n", s->name,
		       s->format, (unsigned long long)s->advisories,
		       (unsigned long long)s->vulns,
		       s->feed_time ? s->feed_time : "-", s->imported_at);
	}
}

int cmd_db_info(int argc, char **argv)
{
	const struct cmd *c = &cmd_db_info_spec;
	struct drydock_vulndb *db;
	struct drydock_err err;
	const char *arg, *dbpath = NULL, *fmt = "table";
	char path[PATH_MAX];
	int oi = 1, r, rc = 0;

	drydock_err_clear(&err);
	while ((r = cmd_getopt(c, argc, argv, &oi, &arg)) != -1) {
		if (r == -3)
			return EXIT_PASS;
		if (r < 0)
			return EXIT_CANNOT;
		if (r == 0)
			dbpath = arg;
		else
			fmt = arg;
	}
	if (strcmp(fmt, "table") && strcmp(fmt, "json"))
		return cmd_usage_error(c, "unknown format '%s'", fmt);
	if (oi < argc)
		return cmd_usage_error(c, "unexpected argument '%s'", argv[oi]);
	if (!dbpath) {
		if (drydock_vulndb_default_path(path, sizeof(path), &err))
			return cmd_fail(&err);
		dbpath = path;
	}
	if (drydock_vulndb_open(&db, dbpath, &err))
		return cmd_fail(&err);
	if (!strcmp(fmt, "json"))
		rc = print_json(db);
	else
		print_table(db);
	drydock_vulndb_close(db);
	if (rc)
		return rc;
	return cmd_close_output(stdout, NULL);
}
