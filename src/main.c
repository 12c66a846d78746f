#include "../lib/util/setup.h"

#include <stdio.h>

#include "cmd.h"

static void print_overview(FILE *f)
{
	const struct cmd *const *all = cmd_all(NULL);
	size_t i;

	fputs("usage: drydock COMMAND [options] [ARGS]\n\n"
	      "drydock keeps container images free of known vulnerabilities:\n"
	      "it lists what is inside an image, scans it, and gates it.\n\n"
	      "commands:\n",
	      f);
	for (i = 0; all[i]; i++)
		fprintf(f, "  %-16s %s\n", all[i]->name, all[i]->summary);
	fputs("\n'drydock help COMMAND' or 'drydock COMMAND --help' for more.\n"
	      "exit codes: 0 passed, 1 gate failed, 2 could not run\n",
	      f);
}

/*
 * Find the command for argv: "db import ..." matches the two-word command
 * "db import" before a one-word "db". Returns the number of words used.
 */
static int lookup(int argc, char **argv, const struct cmd **out)
{
	char two[128];

	if (argc >= 3) {
		snprintf(two, sizeof(two), "%s %s", argv[1], argv[2]);
		*out = cmd_find(two);
		if (*out)
			return 2;
	}
	*out = cmd_find(argv[1]);
	return *out ? 1 : 0;
}

int main(int argc, char **argv)
{
	const struct cmd *c;
	int used, rc;

	if (argc < 2) {
		print_overview(stderr);
		return EXIT_CANNOT;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		print_overview(stdout);
		return cmd_close_output(stdout, NULL);
	}
	if (!strcmp(argv[1], "--version")) {
		printf("drydock %s\n", DRYDOCK_VERSION);
		return cmd_close_output(stdout, NULL);
	}
	used = lookup(argc, argv, &c);
	if (!used) {
		cmd_error("'%s' is not a drydock command; see 'drydock --help'",
			  argv[1]);
		return EXIT_CANNOT;
	}
	/* argv[0] of the command is its (last) name word */
	rc = c->fn(argc - used, argv + used);
	if (cmd_close_output(stdout, NULL) && rc == EXIT_PASS)
		rc = EXIT_CANNOT;
	return rc;
}
