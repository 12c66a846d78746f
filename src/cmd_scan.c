#include "../lib/util/setup.h"

#include <stdio.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "drydock/buf.h"
#include "drydock/error.h"
#include "drydock/fs.h"
#include "drydock/image.h"
#include "drydock/inventory.h"
#include "drydock/limits.h"
#include "drydock/match.h"
#include "drydock/scanreport.h"
#include "drydock/vulndb.h"
#include "cmd.h"
#include "image_cli.h"
#include "scan_source.h"

enum {
	O_DB,
	O_FORMAT,
	O_OUTPUT,
	O_SEVERITY,
	O_IGNORE_UNFIXED,
	O_FAIL_ON,
	O_IGNORE_FILE,
	O_VEX,
	O_EXCLUDE_BASE,
	O_BASE,
	O_SHOW_SUPPRESSED,
	O_PLATFORM,
	O_TODAY,
	O_QUIET,
	O_IMAGE /* IMAGE_CLI_OPTS */
};

static const struct cmd_opt opts[] = {
	[O_DB] = {"db", 0, "FILE",
		  "vulnerability database (default: $DRYDOCK_DB, else "
		  "$XDG_CACHE_HOME/drydock/vuln.db)"},
	[O_FORMAT] = {"format", 'f', "FORMAT",
		      "table (default), json, sarif or cyclonedx"},
	[O_OUTPUT] = {"output", 'o', "FILE", "write the report to FILE"},
	[O_SEVERITY] = {"severity", 0, "LIST",
			"report only these severities (comma-separated: "
			"critical,high,medium,low,negligible,unknown)"},
	[O_IGNORE_UNFIXED] = {"ignore-unfixed", 0, NULL,
			      "leave out findings with no fixed version"},
	[O_FAIL_ON] = {"fail-on", 0, "SEVERITY",
		       "exit 1 when a reported finding is at or above "
		       "SEVERITY"},
	[O_IGNORE_FILE] = {"ignore-file", 0, "FILE",
			   "suppression rules (default: ./.drydockignore "
			   "when present)"},
	[O_VEX] = {"vex", 0, "FILE",
		   "OpenVEX document: not_affected and fixed statements "
		   "suppress (repeatable)"},
	[O_EXCLUDE_BASE] = {"exclude-base", 0, NULL,
			    "leave out findings from the base image's layers"},
	[O_BASE] = {"base", 0, "IMAGE",
		    "the base image: its layers must be a prefix of the "
		    "image's"},
	[O_SHOW_SUPPRESSED] = {"show-suppressed", 0, NULL,
			       "list suppressed findings and why"},
	[O_PLATFORM] = {"platform", 0, "OS/ARCH",
			"platform to pick from a multi-platform image"},
	[O_TODAY] =
		{"today", 0, "YYYY-MM-DD",
		 "the date for ignore-rule expiry and the end-of-life check "
		 "(default: today)"},
	[O_QUIET] = {"quiet", 'q', NULL, "no warnings on stderr"},
	IMAGE_CLI_OPTS{NULL, 0, NULL, NULL},
};

int cmd_scan(int argc, char **argv);

const struct cmd cmd_scan_spec = {
	"scan",
	"IMAGE [options]",
	"find known vulnerabilities in an image and gate on them",
	"IMAGE is oci:DIR[:TAG|@DIGEST], oci-archive:FILE, "
	"docker-archive:FILE,\n"
	"dir:PATH, sbom:FILE (CycloneDX or SPDX JSON), a registry reference, "
	"or a\n"
	"plain path recognised by its content. Packages are matched by each\n"
	"distribution's rules (Debian/Ubuntu by source package, Alpine by "
	"origin on\n"
	"its branch, RPM by source RPM with the binary's epoch). Exit status: "
	"0 no\n"
	"finding at or above --fail-on, 1 the gate failed, 2 could not run.",
	opts,
	cmd_scan,
};

struct scan_args {
	const char *image, *db, *format, *output, *severity, *fail_on;
	const char *ignore_file, *base, *platform, *today;
	const char *vex[16];
	int nvex, ignore_unfixed, exclude_base, show_suppressed, quiet;
	struct image_cli ic;
};

/* Whether severity name is in the comma-separated list. */
static int in_list(const char *list, const char *name)
{
	size_t n = strlen(name);
	const char *p = list;

	while (*p) {
		size_t l = strcspn(p, ",");

		if (l == n && !strncasecmp(p, name, n))
			return 1;
		p += l;
		if (*p == ',')
			p++;
	}
	return 0;
}

static int check_severity_list(const char *list)
{
	const char *p = list;

	while (*p) {
		char w[32];
		size_t l = strcspn(p, ",");

		if (l == 0 || l >= sizeof(w))
			return -1;
		memcpy(w, p, l);
		w[l] = '\0';
		if (drydock_severity_rank(w) < 0)
			return -1;
		p += l;
		if (*p == ',')
			p++;
	}
	return 0;
}

/* Drop findings the filters exclude (suppressed ones stay, marked). */
static void filter(struct drydock_match_result *r, const struct scan_args *a)
{
	size_t i, j = 0;

	for (i = 0; i < r->n; i++) {
		struct drydock_finding *f = &r->findings[i];
		int keep = 1;

		if (a->severity && !in_list(a->severity, f->severity))
			keep = 0;
		if (a->ignore_unfixed && !f->fixed_version)
			keep = 0;
		if (a->exclude_base && f->in_base == 1)
			keep = 0;
		if (keep)
			r->findings[j++] = *f;
		else
			drydock_finding_clear(f);
	}
	r->n = j;
}

static int load_file(const char *path, size_t max, struct drydock_buf *b,
		     struct drydock_err *err)
{
	drydock_buf_init(b, max);
	return drydock_buf_read_file(b, path, err);
}

static int parse_args(int argc, char **argv, struct scan_args *a)
{
	const char *arg;
	int oi = 1, r;

	memset(a, 0, sizeof(*a));
	a->format = "table";
	while ((r = cmd_getopt(&cmd_scan_spec, argc, argv, &oi, &arg)) != -1) {
		switch (r) {
		case -3:
			return -3;
		case O_DB:
			a->db = arg;
			break;
		case O_FORMAT:
			a->format = arg;
			break;
		case O_OUTPUT:
			a->output = arg;
			break;
		case O_SEVERITY:
			a->severity = arg;
			break;
		case O_IGNORE_UNFIXED:
			a->ignore_unfixed = 1;
			break;
		case O_FAIL_ON:
			a->fail_on = arg;
			break;
		case O_IGNORE_FILE:
			a->ignore_file = arg;
			break;
		case O_VEX:
			if (a->nvex == 16)
				return cmd_usage_error(
					&cmd_scan_spec,
					"at most 16 --vex files");
			a->vex[a->nvex++] = arg;
			break;
		case O_EXCLUDE_BASE:
			a->exclude_base = 1;
			break;
		case O_BASE:
			a->base = arg;
			break;
		case O_SHOW_SUPPRESSED:
			a->show_suppressed = 1;
			break;
		case O_PLATFORM:
			a->platform = arg;
			break;
		case O_TODAY:
			a->today = arg;
			break;
		case O_QUIET:
			a->quiet = 1;
			break;
		default:
			if (r < O_IMAGE || r >= O_IMAGE + IMAGE_CLI_NOPTS ||
			    image_cli_opt(&a->ic, r - O_IMAGE, arg))
				return EXIT_CANNOT;
			break;
		}
	}
	if (oi != argc - 1)
		return cmd_usage_error(&cmd_scan_spec,
				       oi >= argc ? "no image given"
						  : "one image at a time");
	a->image = argv[oi];
	if (!drydock_scan_format_parse(a->format))
		return cmd_usage_error(&cmd_scan_spec, "unknown format '%s'",
				       a->format);
	if (a->severity && check_severity_list(a->severity))
		return cmd_usage_error(&cmd_scan_spec, "bad severity list '%s'",
				       a->severity);
	if (a->fail_on && drydock_severity_rank(a->fail_on) < 0)
		return cmd_usage_error(&cmd_scan_spec, "unknown severity '%s'",
				       a->fail_on);
	return 0;
}

static int load_suppressions(const struct scan_args *a,
			     struct drydock_suppress *s,
			     struct drydock_err *err)
{
	struct drydock_buf b;
	const char *ign = a->ignore_file;
	int i, rc;

	if (!ign && !access(".drydockignore", R_OK))
		ign = ".drydockignore";
	if (ign) {
		rc = load_file(ign, DRYDOCK_MAX_IGNORE_FILE_BYTES, &b, err);
		if (!rc)
			rc = drydock_suppress_load_ignore(s, b.ptr, b.len, ign,
							  err);
		drydock_buf_release(&b);
		if (rc)
			return rc;
	}
	for (i = 0; i < a->nvex; i++) {
		rc = load_file(a->vex[i], DRYDOCK_MAX_VEX_BYTES, &b, err);
		if (!rc)
			rc = drydock_suppress_load_openvex(s, b.ptr, b.len,
							   a->vex[i], err);
		drydock_buf_release(&b);
		if (rc)
			return rc;
	}
	return 0;
}

static int gate(const struct scan_args *a, const struct drydock_match_result *r)
{
	int min;
	size_t i;

	if (!a->fail_on)
		return EXIT_PASS;
	min = drydock_severity_rank(a->fail_on);
	for (i = 0; i < r->n; i++)
		if (!r->findings[i].suppressed &&
		    drydock_severity_rank(r->findings[i].severity) >= min)
			return EXIT_GATE;
	return EXIT_PASS;
}

int cmd_scan(int argc, char **argv)
{
	struct scan_args a;
	struct scan_source src;
	struct drydock_image_opts io = {0};
	struct drydock_err err = {0};
	struct drydock_match_result res = {0};
	struct drydock_vulndb *db = NULL;
	struct drydock_suppress *sup = NULL;
	struct drydock_scan_report rep = {0};
	struct drydock_scan_db_source srcs[64];
	struct drydock_buf out = DRYDOCK_BUF_INIT(DRYDOCK_MAX_REPORT_BYTES);
	char dbpath[4096], today[16];
	int *pkg_in_base = NULL;
	size_t i;
	FILE *f;
	int rc, exit_code = EXIT_CANNOT;

	rc = parse_args(argc, argv, &a);
	if (rc == -3)
		return EXIT_PASS;
	if (rc)
		return EXIT_CANNOT;
	if (a.today) {
		snprintf(today, sizeof(today), "%s", a.today);
	} else {
		time_t now = time(NULL);
		struct tm tm;

		gmtime_r(&now, &tm);
		strftime(today, sizeof(today), "%Y-%m-%d", &tm);
	}
	if (!a.db) {
		if (drydock_vulndb_default_path(dbpath, sizeof(dbpath), &err))
			return cmd_fail(&err);
		a.db = dbpath;
	}
	/* the database first: a missing one is the commonest failure and
	 * should not wait for a large image to be read */
	if (drydock_vulndb_open(&db, a.db, &err)) {
		if (err.code == DRYDOCK_ENOTFOUND)
			cmd_error("no vulnerability database at '%s': run "
				  "'drydock db import' or 'drydock db update'",
				  a.db);
		else
			cmd_fail(&err);
		return EXIT_CANNOT;
	}
	if (drydock_suppress_new(&sup)) {
		cmd_error("out of memory");
		goto out_db;
	}
	if (load_suppressions(&a, sup, &err)) {
		cmd_fail(&err);
		goto out_sup;
	}
	io.platform = a.platform;
	image_cli_setup(&a.ic, &io, a.quiet);
	if (scan_source_load(&src, a.image, &io, a.base, &err)) {
		/* a partly loaded source (the image opened, the base
		 * rejected) is released too */
		cmd_fail(&err);
		goto out_src;
	}
	/* end of life against --today too: the same image and database
	 * give the same report on any day when --today is given */
	if (drydock_match_inventory(&res, &src.inv, db, today, &err)) {
		cmd_fail(&err);
		goto out_src;
	}
	for (i = 0; i < res.n; i++)
		res.findings[i].in_base =
			scan_source_in_base(&src, res.findings[i].pkg);
	if (drydock_suppress_apply(sup, &res, &src.inv, today, &err)) {
		cmd_fail(&err);
		goto out_res;
	}
	filter(&res, &a);
	if (res.eol_passed && !a.quiet && strcmp(a.format, "table"))
		fprintf(stderr,
			"drydock: warning: %s reached end of life on %s; it "
			"gets no more security fixes\n",
			res.namespace_, res.eol);
	if (!res.namespace_[0] && !a.quiet && src.inv.npkgs)
		fprintf(stderr,
			"drydock: warning: no vulnerability data for OS '%s "
			"%s': its packages were not matched\n",
			src.inv.os.family[0] ? src.inv.os.family : "unknown",
			src.inv.os.version);

	rep.name = a.image;
	rep.digest = src.digest;
	rep.config_digest = src.config_digest;
	rep.platform = src.platform;
	rep.layers = (const struct drydock_layer_info *const *)src.layers;
	rep.nlayers = src.nlayers;
	rep.base_name = src.base_name;
	rep.base_digest = src.base_digest;
	rep.inv = &src.inv;
	pkg_in_base = calloc(src.inv.npkgs ? src.inv.npkgs : 1, sizeof(int));
	if (!pkg_in_base) {
		cmd_error("out of memory");
		goto out_res;
	}
	for (i = 0; i < src.inv.npkgs; i++)
		pkg_in_base[i] = scan_source_in_base(&src, i);
	rep.pkg_in_base = pkg_in_base;
	rep.res = &res;
	rep.db_built = drydock_vulndb_built_at(db);
	rep.db_schema = "1";
	for (i = 0; i < drydock_vulndb_nsources(db) && i < 64; i++) {
		const struct drydock_vulndb_source *s =
			drydock_vulndb_source(db, i);

		srcs[i].name = s->name;
		srcs[i].feed_time = s->feed_time;
		srcs[i].records = (long long)s->records;
	}
	rep.db_sources = srcs;
	rep.ndb_sources = i;
	rep.show_suppressed = a.show_suppressed;
	f = cmd_open_output(a.output);
	if (!f)
		goto out_res;
	rep.color = !strcmp(a.format, "table") && cmd_use_color(f);
	if (drydock_scan_report_write(&out, drydock_scan_format_parse(a.format),
				      &rep, &err)) {
		cmd_fail(&err);
		if (f != stdout)
			fclose(f);
		goto out_res;
	}
	fwrite(out.ptr, 1, out.len, f);
	if (cmd_close_output(f, a.output))
		goto out_res;
	exit_code = gate(&a, &res);
out_res:
	free(pkg_in_base);
	drydock_match_result_free(&res);
out_src:
	scan_source_release(&src);
out_sup:
	drydock_suppress_free(sup);
out_db:
	image_cli_release(&a.ic);
	drydock_vulndb_close(db);
	drydock_buf_release(&out);
	return exit_code;
}
