#ifndef DRYDOCK_REGISTRY_CLI_H
#define DRYDOCK_REGISTRY_CLI_H

/*
 * Registry options shared by the commands that talk to registries:
 * --username, --password, --password-stdin, --ca-file, --insecure.
 * Commands put REGISTRY_CLI_OPTS in their option table and hand every
 * option index at or past their own count to registry_cli_opt().
 */

#include "drydock/registry.h"

#define REGISTRY_CLI_NOPTS 5
#define REGISTRY_CLI_OPTS                                                      \
	{"username", 0, "USER",                                                \
	 "registry user name (else DRYDOCK_REGISTRY_USERNAME, then the "       \
	 "docker config: credHelpers, credsStore, auths)"},                    \
		{"password", 0, "PASS",                                        \
		 "registry password or token (else "                           \
		 "DRYDOCK_REGISTRY_PASSWORD)"},                                \
		{"password-stdin", 0, NULL,                                    \
		 "read the registry password from standard input"},            \
		{"ca-file", 0, "FILE",                                         \
		 "trust the CA certificates in FILE (PEM) for registries"},    \
		{"insecure", 0, NULL, "talk plain HTTP to the registry"},

struct registry_cli {
	struct drydock_registry_opts opts;
	char password[1024];
};

/* Handle option i (0..REGISTRY_CLI_NOPTS-1) with arg; 0 or EXIT_CANNOT. */
int registry_cli_opt(struct registry_cli *rc, int i, const char *arg);

#endif
