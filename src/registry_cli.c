#include "../lib/util/setup.h"

#include <stdio.h>

#include "cmd.h"
#include "registry_cli.h"

int registry_cli_opt(struct registry_cli *rc, int i, const char *arg)
{
	size_t n;

	switch (i) {
	case 0:
		rc->opts.username = arg;
		return 0;
	case 1:
		rc->opts.password = arg;
		return 0;
	case 2:
		if (!fgets(rc->password, sizeof(rc->password), stdin)) {
			cmd_error(
				"--password-stdin: nothing on standard input");
			return EXIT_CANNOT;
		}
		n = strcspn(rc->password, "\r\n");
		rc->password[n] = '\0';
		rc->opts.password = rc->password;
		return 0;
	case 3:
		rc->opts.ca_file = arg;
		return 0;
	case 4:
		rc->opts.insecure = 1;
		return 0;
	}
	return EXIT_CANNOT;
}
