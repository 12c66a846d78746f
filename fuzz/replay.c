#include "../lib/util/setup.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <sys/stat.h>

#include "drydock/buf.h"
#include "drydock/error.h"

/*
 * Replay driver: links with one fuzz harness instead of libFuzzer and
 * feeds it every file named on the command line, or every file of every
 * directory named (not recursive, in name order). A crash or a sanitizer
 * report fails the run; this is how the seed corpora and committed crash
 * files run as regression tests under ASan+UBSan with gcc.
 */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Inputs larger than this are not fuzz inputs (libFuzzer's -max_len is
 * far smaller). */
#define REPLAY_MAX_BYTES (64u * 1024 * 1024)

static int run_file(const char *path)
{
	struct drydock_buf b = DRYDOCK_BUF_INIT(REPLAY_MAX_BYTES);
	struct drydock_err err;

	if (drydock_buf_read_file(&b, path, &err)) {
		fprintf(stderr, "replay: %s\n", err.msg);
		drydock_buf_release(&b);
		return 1;
	}
	/* a copy of exactly size bytes, so ASan catches reads past it */
	{
		uint8_t *copy = malloc(b.len ? b.len : 1);

		if (!copy) {
			drydock_buf_release(&b);
			return 1;
		}
		memcpy(copy, b.ptr ? b.ptr : "", b.len);
		LLVMFuzzerTestOneInput(copy, b.len);
		free(copy);
	}
	drydock_buf_release(&b);
	return 0;
}

static int not_hidden(const struct dirent *e)
{
	return e->d_name[0] != '.';
}

int main(int argc, char **argv)
{
	int i, bad = 0, n = 0;

	for (i = 1; i < argc; i++) {
		struct stat st;
		struct dirent **list;
		int j, m;

		if (stat(argv[i], &st) < 0) {
			fprintf(stderr, "replay: '%s': %s\n", argv[i],
				strerror(errno));
			return 2;
		}
		if (!S_ISDIR(st.st_mode)) {
			bad |= run_file(argv[i]);
			n++;
			continue;
		}
		m = scandir(argv[i], &list, not_hidden, alphasort);
		if (m < 0) {
			fprintf(stderr, "replay: '%s': %s\n", argv[i],
				strerror(errno));
			return 2;
		}
		for (j = 0; j < m; j++) {
			char p[4096];

			if (snprintf(p, sizeof(p), "%s/%s", argv[i],
				     list[j]->d_name) < (int)sizeof(p) &&
			    stat(p, &st) == 0 && S_ISREG(st.st_mode)) {
				bad |= run_file(p);
				n++;
			}
			free(list[j]);
		}
		free(list);
	}
	if (!n) {
		fprintf(stderr, "replay: no input files\n");
		return 2;
	}
	printf("replayed %d inputs\n", n);
	return bad;
}
