#include "../lib/util/setup.h"

#include <stdio.h>

#include "drydock/error.h"
#include "drydock/limits.h"
#include "drydock/version.h"
#include "cmd.h"

/*
 * drydock version compare|valid: the version orderings of lib/version
 * from the command line, one pair (or version) from the operands or many
 * from stdin.
 */

static const struct cmd_opt opts[] = {
	{"type", 't', "TYPE", "version type: deb, apk or rpm (required)"},
	{"keep-going", 'k', NULL,
	 "stdin: print 'error' for a line with an invalid version and go on "
	 "(exit 2 at the end)"},
	{"quiet", 'q', NULL,
	 "do not print warnings, nor the errors of lines --keep-going "
	 "marks 'error'"},
	{NULL, 0, NULL, NULL},
};

int cmd_version(int argc, char **argv);

const struct cmd cmd_version_spec = {
	"version",
	"compare --type TYPE [A B] | valid --type TYPE [V...]",
	"compare package versions as dpkg, apk-tools and rpm do",
	"'compare A B' prints '<', '=' or '>' (A is lower than, equal to or\n"
	"higher than B). Without A and B it reads lines 'A<TAB>B' on stdin\n"
	"and prints one relation per line. An invalid version is an error\n"
	"naming it (exit 2). Versions that dpkg accepts with a warning, and\n"
	"apk versions only apk-tools 2 accepted (e.g. 5.7.1p1-r0), are\n"
	"compared, with the warning on stderr.\n"
	"\n"
	"'valid V...' prints 'valid', 'warn' or 'invalid' for each version\n"
	"(or each line of stdin), with the reason on stderr; it exits 1 when\n"
	"any is invalid.\n"
	"\n"
	"deb: dpkg order (epoch, upstream, revision after the last '-').\n"
	"apk: apk-tools order. rpm: [epoch:]version[-release], rpmvercmp\n"
	"with '~' and '^', a missing epoch is 0. 'drydock --version' prints\n"
	"drydock's own version. See docs/version.md.",
	opts,
	cmd_version,
};

struct ctx {
	enum drydock_version_type type;
	int keep_going, quiet;
	const char *where; /* "stdin: line 12: " or "" */
};

static void warn(const struct ctx *c, const struct drydock_err *err)
{
	if (!c->quiet)
		cmd_error("%swarning: %s", c->where, err->msg);
}

/*
 * Check one version: 0 (warning printed when any), or EXIT_CANNOT with
 * the error printed.
 */
static int check(const struct ctx *c, const char *v)
{
	struct drydock_err err;
	int r;

	drydock_err_clear(&err);
	r = drydock_version_valid(c->type, v, &err);
	if (r < 0) {
		cmd_error("%s%s", c->where, err.msg);
		return EXIT_CANNOT;
	}
	if (r == DRYDOCK_VERSION_WARN)
		warn(c, &err);
	return 0;
}

/* Compare a and b, print the relation; 0 or EXIT_CANNOT. */
static int compare_one(const struct ctx *c, const char *a, const char *b)
{
	struct drydock_err err;
	int out;

	if (!c->quiet && (check(c, a) || check(c, b)))
		return EXIT_CANNOT;
	if (drydock_version_compare(c->type, a, b, &out, &err)) {
		if (!(c->quiet && c->keep_going))
			cmd_error("%s%s", c->where, err.msg);
		return EXIT_CANNOT;
	}
	fputs(out < 0 ? "<\n" : out > 0 ? ">\n" : "=\n", stdout);
	return 0;
}

/* Print the verdict on v; 0 valid or warn, 1 invalid. */
static int valid_one(const struct ctx *c, const char *v)
{
	struct drydock_err err;
	int r;

	drydock_err_clear(&err);
	r = drydock_version_valid(c->type, v, &err);
	if (r < 0) {
		if (!c->quiet)
			cmd_error("%s%s", c->where, err.msg);
		fputs("invalid\n", stdout);
		return 1;
	}
	if (r == DRYDOCK_VERSION_WARN) {
		warn(c, &err);
		fputs("warn\n", stdout);
		return 0;
	}
	fputs("valid\n", stdout);
	return 0;
}

/* A line holds two versions and a tab, so at most this many bytes. */
#define LINE_MAX_BYTES (2 * DRYDOCK_MAX_VERSION_LEN + 2)

static int run_stdin(struct ctx *c, int compare)
{
	char *line = NULL, where[64];
	size_t cap = 0;
	ssize_t len;
	unsigned long lineno = 0;
	int rc = 0;

	c->where = where;
	while ((len = getline(&line, &cap, stdin)) >= 0) {
		char *tab;
		int r;

		lineno++;
		snprintf(where, sizeof(where), "stdin: line %lu: ", lineno);
		if (len && line[len - 1] == '\n')
			line[--len] = '\0';
		if (len && line[len - 1] == '\r')
			line[--len] = '\0';
		if ((size_t)len > LINE_MAX_BYTES ||
		    strlen(line) != (size_t)len) {
			cmd_error("%s%s", where,
				  (size_t)len > LINE_MAX_BYTES
					  ? "line too long"
					  : "NUL byte in line");
			r = EXIT_CANNOT;
		} else if (!compare) {
			r = valid_one(c, line);
			if (r)
				rc = EXIT_GATE;
			continue;
		} else if (!(tab = strchr(line, '\t'))) {
			cmd_error("%sexpected 'A<TAB>B'", where);
			r = EXIT_CANNOT;
		} else {
			*tab = '\0';
			r = compare_one(c, line, tab + 1);
		}
		if (r) {
			rc = EXIT_CANNOT;
			if (!c->keep_going)
				break;
			fputs("error\n", stdout);
		}
	}
	free(line);
	if (ferror(stdin)) {
		cmd_error("stdin: read error");
		rc = EXIT_CANNOT;
	}
	return rc;
}

int cmd_version(int argc, char **argv)
{
	const struct cmd *spec = &cmd_version_spec;
	struct ctx c = {0, 0, 0, ""};
	const char *type = NULL, *arg, *action;
	struct drydock_err err;
	int oi = 1, r, compare, n, i, rc = 0;

	while ((r = cmd_getopt(spec, argc, argv, &oi, &arg)) != -1) {
		if (r == -3)
			return EXIT_PASS;
		if (r < 0)
			return EXIT_CANNOT;
		switch (r) {
		case 0:
			type = arg;
			break;
		case 1:
			c.keep_going = 1;
			break;
		case 2:
			c.quiet = 1;
			break;
		}
	}
	if (oi >= argc)
		return cmd_usage_error(spec, "say 'compare' or 'valid'");
	action = argv[oi++];
	if (!strcmp(action, "compare"))
		compare = 1;
	else if (!strcmp(action, "valid"))
		compare = 0;
	else
		return cmd_usage_error(
			spec, "'%s': not an action (compare, valid)", action);
	if (!type)
		return cmd_usage_error(spec, "--type is required");
	if (drydock_version_type_from_name(type, &c.type, &err))
		return cmd_usage_error(spec, "%s", err.msg);
	n = argc - oi;
	if (!n)
		return run_stdin(&c, compare);
	if (compare) {
		if (n != 2)
			return cmd_usage_error(spec,
					       "compare takes two versions, "
					       "or none to read stdin");
		return compare_one(&c, argv[oi], argv[oi + 1]);
	}
	for (i = oi; i < argc; i++)
		if (valid_one(&c, argv[i]))
			rc = EXIT_GATE;
	return rc;
}
