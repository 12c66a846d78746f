#include "../lib/util/setup.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>

#include "drydock/error.h"
#include "cmd.h"

/*
 * The command table. Weak references: a command whose cmd_<name>.c is not
 * linked yet has a NULL address here and is left out of everything.
 */
#define CMD(sym) extern const struct cmd sym __attribute__((weak));
CMD(cmd_help_spec)
CMD(cmd_sbom_spec)
CMD(cmd_scan_spec)
CMD(cmd_version_spec)
CMD(cmd_db_import_spec)
CMD(cmd_db_info_spec)
CMD(cmd_db_update_spec)
CMD(cmd_image_digest_spec)
CMD(cmd_image_copy_spec)
CMD(cmd_image_attach_spec)
CMD(cmd_image_referrers_spec)
CMD(cmd_cache_info_spec)
CMD(cmd_cache_clean_spec)
#undef CMD

static const struct cmd *const table[] = {
	&cmd_scan_spec,	      &cmd_sbom_spec,	      &cmd_db_import_spec,
	&cmd_db_info_spec,    &cmd_db_update_spec,    &cmd_image_digest_spec,
	&cmd_image_copy_spec, &cmd_image_attach_spec, &cmd_image_referrers_spec,
	&cmd_cache_info_spec, &cmd_cache_clean_spec,  &cmd_version_spec,
	&cmd_help_spec,
};

#define NTABLE (sizeof(table) / sizeof(table[0]))

const struct cmd *const *cmd_all(size_t *n)
{
	static const struct cmd *avail[NTABLE + 1];
	static size_t navail;
	size_t i;

	if (!navail) {
		for (i = 0; i < NTABLE; i++)
			if (table[i])
				avail[navail++] = table[i];
		avail[navail] = NULL;
	}
	if (n)
		*n = navail;
	return avail;
}

const struct cmd *cmd_find(const char *name)
{
	const struct cmd *const *all = cmd_all(NULL);
	size_t i;

	for (i = 0; all[i]; i++)
		if (!strcmp(all[i]->name, name))
			return all[i];
	return NULL;
}

void cmd_error(const char *fmt, ...)
{
	va_list ap;

	fputs("drydock: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int cmd_fail(const struct drydock_err *err)
{
	cmd_error("%s", err->msg[0] ? err->msg : drydock_err_name(err->code));
	return EXIT_CANNOT;
}

int cmd_usage_error(const struct cmd *c, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "drydock %s: ", c->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	/* one line, like every other error: the usage is one command away */
	fprintf(stderr, " (see 'drydock help %s')\n", c->name);
	return EXIT_CANNOT;
}

void cmd_print_help(const struct cmd *c, FILE *f)
{
	const struct cmd_opt *o;

	fprintf(f, "usage: drydock %s %s\n\n%s\n", c->name, c->usage,
		c->summary);
	if (c->description && *c->description)
		fprintf(f, "\n%s\n", c->description);
	fputs("\noptions:\n", f);
	for (o = c->opts; o && o->name; o++) {
		char left[96];

		if (o->short_name)
			snprintf(left, sizeof(left), "-%c, --%s%s%s",
				 o->short_name, o->name, o->arg ? " " : "",
				 o->arg ? o->arg : "");
		else
			snprintf(left, sizeof(left), "    --%s%s%s", o->name,
				 o->arg ? " " : "", o->arg ? o->arg : "");
		fprintf(f, "  %-30s %s\n", left, o->help);
	}
	fprintf(f, "  %-30s %s\n", "-h, --help", "show this help");
}

#define MAX_OPTS 64

int cmd_getopt(const struct cmd *c, int argc, char **argv, int *optind_io,
	       const char **arg)
{
	struct option lopts[MAX_OPTS + 2];
	char sopts[MAX_OPTS * 2 + 4];
	size_t n = 0, sp = 0;
	int r, idx = -1;

	/* ':' first: report a missing argument as ':' instead of '?' */
	sopts[sp++] = ':';
	for (; c->opts && c->opts[n].name && n < MAX_OPTS; n++) {
		lopts[n].name = c->opts[n].name;
		lopts[n].has_arg =
			c->opts[n].arg ? required_argument : no_argument;
		lopts[n].flag = NULL;
		lopts[n].val = 256 + (int)n;
		if (c->opts[n].short_name) {
			sopts[sp++] = (char)c->opts[n].short_name;
			if (c->opts[n].arg)
				sopts[sp++] = ':';
		}
	}
	lopts[n].name = "help";
	lopts[n].has_arg = no_argument;
	lopts[n].flag = NULL;
	lopts[n].val = 'h';
	memset(&lopts[n + 1], 0, sizeof(lopts[n + 1]));
	sopts[sp++] = 'h';
	sopts[sp] = '\0';

	optind = *optind_io;
	opterr = 0;
	r = getopt_long(argc, argv, sopts, lopts, &idx);
	*optind_io = optind;
	*arg = optarg;
	if (r == -1)
		return -1;
	if (r == 'h') {
		cmd_print_help(c, stdout);
		return -3;
	}
	if (r == '?') {
		if (optopt)
			cmd_usage_error(c, "unknown option '-%c'", optopt);
		else
			cmd_usage_error(c, "unknown option '%s'",
					argv[optind - 1]);
		return -2;
	}
	if (r == ':') {
		cmd_usage_error(c, "option '%s' needs an argument",
				argv[optind - 1]);
		return -2;
	}
	if (r >= 256)
		return r - 256;
	for (size_t i = 0; i < n; i++)
		if (c->opts[i].short_name == r)
			return (int)i;
	return -2;
}

FILE *cmd_open_output(const char *path)
{
	FILE *f;

	if (!path || !strcmp(path, "-"))
		return stdout;
	f = fopen(path, "w");
	if (!f)
		cmd_error("'%s': %s", path, strerror(errno));
	return f;
}

int cmd_close_output(FILE *f, const char *path)
{
	int bad;

	if (!f)
		return EXIT_CANNOT;
	bad = ferror(f);
	if (f == stdout)
		bad |= fflush(f);
	else
		bad |= fclose(f);
	if (bad) {
		cmd_error("'%s': write failed: %s",
			  path && strcmp(path, "-") ? path : "stdout",
			  strerror(errno));
		return EXIT_CANNOT;
	}
	return 0;
}

int cmd_use_color(FILE *f)
{
	const char *nc = getenv("NO_COLOR");

	if (nc && *nc)
		return 0;
	return isatty(fileno(f));
}
