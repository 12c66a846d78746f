#ifndef DRYDOCK_CMD_H
#define DRYDOCK_CMD_H

/*
 * The drydock command: a table of subcommands, one file each.
 *
 * Adding a command:
 *   1. write src/cmd_<name>.c defining
 *        int cmd_<name>(int argc, char **argv);
 *        const struct cmd cmd_<name>_spec = { ... };
 *      argv[0] is the command name; parse options with cmd_getopt();
 *   2. add its file to src/meson.build and one line to the table in
 *      src/cmd.c (the table holds weak references: a command whose file
 *      is not built yet is simply absent);
 *   3. run `drydock help --markdown > docs/cli.md` (a test checks that
 *      docs/cli.md matches the code).
 * Commands return an exit code (enum cmd_exit) and print errors with
 * cmd_error(); only src/ prints.
 */

#include <stdio.h>

struct drydock_err;

enum cmd_exit {
	EXIT_PASS = 0,	/* ran, and the gate (if any) passed */
	EXIT_GATE = 1,	/* ran, and the gate failed (findings, denial) */
	EXIT_CANNOT = 2 /* could not run: usage, input, database */
};

struct cmd_opt {
	const char *name; /* long name, kebab case, without "--" */
	int short_name;	  /* 0 when none */
	const char *arg;  /* argument name for --help ("FILE"), NULL: flag */
	const char *help; /* one line */
};

struct cmd {
	const char *name;    /* "sbom", or "db import" for a sub-subcommand */
	const char *usage;   /* "IMAGE [options]" */
	const char *summary; /* one line for the command list */
	const char *description;    /* paragraphs for `drydock help NAME` */
	const struct cmd_opt *opts; /* terminated by {NULL} */
	int (*fn)(int argc, char **argv);
};

/*
 * Iterate over argv's options like getopt_long (permuting, so options may
 * follow operands). Returns the index in c->opts of the option found,
 * with *arg set to its argument; -1 when the options end (then *optind
 * is the first operand); -2 on a usage error (already reported).
 * "--help"/"-h" is handled here: it prints help and returns -3, and the
 * command should return EXIT_PASS.
 * Start with *optind = 1.
 */
int cmd_getopt(const struct cmd *c, int argc, char **argv, int *optind,
	       const char **arg);

/* Print "drydock: MESSAGE" on stderr. */
void cmd_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Print the error on err and return the exit code for it (2). */
int cmd_fail(const struct drydock_err *err);
/* Report a usage error for c ("drydock sbom: ...") and return 2. */
int cmd_usage_error(const struct cmd *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Print help for c on f. */
void cmd_print_help(const struct cmd *c, FILE *f);
/* Look a command up by name ("db import"); NULL when absent. */
const struct cmd *cmd_find(const char *name);
/* All available commands, NULL-terminated, in table order. */
const struct cmd *const *cmd_all(size_t *n);

/*
 * Open the output named by -o (NULL or "-" means stdout). Returns NULL and
 * reports the error when the file cannot be created.
 */
FILE *cmd_open_output(const char *path);
/* Close an output from cmd_open_output, reporting write errors; returns
 * 0 or EXIT_CANNOT. */
int cmd_close_output(FILE *f, const char *path);

/* Whether to colour output written to f (a terminal and no NO_COLOR). */
int cmd_use_color(FILE *f);

#endif
