/*
 * Test helper, not part of drydock: dpkg's own version code (libdpkg,
 * from libdpkg-dev, the library /usr/bin/dpkg is built from) answering
 * like `dpkg --compare-versions` without a process per pair. Reads lines
 * "A<TAB>B" and prints '<', '=', '>' or "error" (dpkg rejects A or B) per
 * line. tests/version/diff_oracle.py checks a sample of its answers
 * against /usr/bin/dpkg itself.
 */
#define LIBDPKG_VOLATILE_API 1
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dpkg/dpkg.h>
#include <dpkg/dpkg-db.h>
#include <dpkg/error.h>
#include <dpkg/version.h>

static int parse(struct dpkg_version *v, const char *s)
{
	struct dpkg_error err = DPKG_ERROR_INIT;
	int r = parseversion(v, s, &err);
	int bad = r < 0 && err.type == DPKG_MSG_ERROR;

	dpkg_error_destroy(&err);
	return bad ? -1 : 0;
}

int main(void)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;

	while ((len = getline(&line, &cap, stdin)) >= 0) {
		struct dpkg_version a, b;
		char *tab;
		int r;

		if (len && line[len - 1] == '\n')
			line[--len] = '\0';
		tab = strchr(line, '\t');
		if (!tab) {
			fputs("error\n", stdout);
			continue;
		}
		*tab = '\0';
		if (parse(&a, line) || parse(&b, tab + 1)) {
			fputs("error\n", stdout);
			continue;
		}
		r = dpkg_version_compare(&a, &b);
		fputs(r < 0 ? "<\n" : r > 0 ? ">\n" : "=\n", stdout);
	}
	free(line);
	return 0;
}
