#include "../lib/util/setup.h"

#include <limits.h>
#include <stdio.h>

#include "drydock/error.h"
#include "drydock/vulndb.h"
#include "cmd.h"

static const struct cmd_opt opts[] = {
	{"db", 0, "FILE",
	 "the database to create or update (default: $DRYDOCK_DB, else "
	 "$XDG_CACHE_HOME/drydock/vuln.db)"},
	{"format", 0, "F",
	 "the feed format of every PATH (default: detected per file)"},
	{"name", 0, "NAME",
	 "the source name to import into (default: the format's name)"},
	{"quiet", 'q', NULL, "print nothing on success"},
	{NULL, 0, NULL, NULL},
};

int cmd_db_import(int argc, char **argv);

const struct cmd cmd_db_import_spec = {
	"db import",
	"[--db FILE] [--format F] [--name NAME] PATH...",
	"import vulnerability feed files into the database",
	"Each PATH is a feed file, a directory (walked recursively) or an\n"
	"archive (.zip, .tar, .tar.gz; also single .gz/.bz2/.xz/.zst files).\n"
	"Every file's format is recognised by its content unless --format is\n"
	"given. Records go to one source per format (or --name): importing a\n"
	"source again replaces all of its rows; other sources are kept.\n"
	"The database is rebuilt beside the old one and renamed into place,\n"
	"so an error or an interruption leaves the previous database intact.\n"
	"Formats: alpine-secdb, debian-tracker, debian-dsa, nvd-json-1.1,\n"
	"nvd-api-2.0, osv, osv-yaml, ubuntu-oval, redhat-oval, redhat-csaf\n"
	"(see docs/vulndb.md).",
	opts,
	cmd_db_import,
};

int cmd_db_import(int argc, char **argv)
{
	const struct cmd *c = &cmd_db_import_spec;
	struct drydock_import_stats st;
	struct drydock_vulndb_build *b;
	struct drydock_err err;
	const char *arg, *db = NULL, *format = NULL, *name = NULL;
	char path[PATH_MAX];
	int oi = 1, r, quiet = 0, rc;

	drydock_err_clear(&err);
	while ((r = cmd_getopt(c, argc, argv, &oi, &arg)) != -1) {
		if (r == -3)
			return EXIT_PASS;
		if (r < 0)
			return EXIT_CANNOT;
		switch (r) {
		case 0:
			db = arg;
			break;
		case 1:
			format = arg;
			if (!drydock_importer_find(format))
				return cmd_usage_error(c, "unknown format '%s'",
						       format);
			break;
		case 2:
			name = arg;
			if (!*name || strchr(name, '\n'))
				return cmd_usage_error(c, "bad source name");
			break;
		case 3:
			quiet = 1;
			break;
		}
	}
	if (oi >= argc)
		return cmd_usage_error(c, "no PATH to import");
	if (!db) {
		if (drydock_vulndb_default_path(path, sizeof(path), &err))
			return cmd_fail(&err);
		db = path;
	}
	memset(&st, 0, sizeof(st));
	if (drydock_vulndb_build_begin(&b, db, &err))
		return cmd_fail(&err);
	for (; oi < argc; oi++) {
		rc = drydock_vulndb_import_path(b, argv[oi], format, name, &st,
						&err);
		if (rc) {
			drydock_vulndb_build_abort(b);
			return cmd_fail(&err);
		}
	}
	if (drydock_vulndb_build_commit(b, &err))
		return cmd_fail(&err);
	if (!quiet)
		fprintf(stderr,
			"imported %llu file%s (%llu advisories, %llu "
			"vulnerability records%s) into '%s'\n",
			(unsigned long long)st.files, st.files == 1 ? "" : "s",
			(unsigned long long)st.advisories,
			(unsigned long long)st.vulns,
			st.skipped ? ", some files not feeds: skipped" : "",
			db);
	return EXIT_PASS;
}
