#include "../util/setup.h"

/*
 * Docker credential helpers (the docker-credential-helpers protocol):
 * "docker-credential-NAME get" reads a server address on its standard
 * input and answers {"ServerURL","Username","Secret"} on its standard
 * output, or "credentials not found in native keychain" with a non-zero
 * exit status. The helper runs under posix_spawnp with its output
 * bounded by DRYDOCK_MAX_CRED_HELPER_REPLY_BYTES and a deadline of
 * DRYDOCK_CRED_HELPER_TIMEOUT_MS; it is killed when it overruns either.
 */

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "drydock/error.h"
#include "drydock/json.h"
#include "drydock/limits.h"
#include "internal.h"

extern char **environ;

/* what helpers print when they hold nothing for the server */
#define NOT_FOUND_MSG "credentials not found in native keychain"
/* a helper's Username meaning "Secret is an identity token" */
#define TOKEN_USERNAME "<token>"
#define PROG_MAX (DRYDOCK_MAX_CRED_HELPER_NAME + 32)

static void prog_name(const char *helper, char *out, size_t n)
{
	snprintf(out, n, "docker-credential-%s", helper);
}

static int dup_into(char **dst, const char *s)
{
	*dst = strdup(s);
	return *dst ? 0 : DRYDOCK_ENOMEM;
}

int cred_helper_parse(const char *helper, const char *reply, size_t len,
		      struct creds *out, struct drydock_err *err)
{
	char prog[PROG_MAX];
	const char *user = "", *secret = "";
	json_t *doc, *u, *s;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	prog_name(helper, prog, sizeof(prog));
	if (len > DRYDOCK_MAX_CRED_HELPER_REPLY_BYTES)
		return drydock_err_set(err, DRYDOCK_ELIMIT,
				       "'%s': reply larger than %u bytes", prog,
				       DRYDOCK_MAX_CRED_HELPER_REPLY_BYTES);
	doc = drydock_json_load(reply, len, DRYDOCK_MAX_CRED_HELPER_REPLY_BYTES,
				prog, err);
	if (!doc)
		return err && err->code ? err->code : DRYDOCK_ECORRUPT;
	if (!json_is_object(doc)) {
		rc = drydock_err_set(err, DRYDOCK_ECORRUPT,
				     "'%s': reply is not a JSON object", prog);
		goto out;
	}
	u = json_object_get(doc, "Username");
	s = json_object_get(doc, "Secret");
	if ((u && !json_is_string(u)) || (s && !json_is_string(s))) {
		rc = drydock_err_set(err, DRYDOCK_ECORRUPT,
				     "'%s': Username or Secret is not a string",
				     prog);
		goto out;
	}
	if (u)
		user = json_string_value(u);
	if (s)
		secret = json_string_value(s);
	if (!*user && !*secret)
		goto out; /* nothing stored: anonymous */
	if (!strcmp(user, TOKEN_USERNAME)) {
		if (!*secret) {
			rc = drydock_err_set(err, DRYDOCK_ECORRUPT,
					     "'%s': empty identity token",
					     prog);
			goto out;
		}
		if (strlen(secret) > DRYDOCK_MAX_IDENTITY_TOKEN_BYTES) {
			rc = drydock_err_set(err, DRYDOCK_ELIMIT,
					     "'%s': identity token longer than "
					     "%u bytes",
					     prog,
					     DRYDOCK_MAX_IDENTITY_TOKEN_BYTES);
			goto out;
		}
		rc = dup_into(&out->identity_token, secret);
	} else {
		rc = dup_into(&out->username, user);
		if (!rc)
			rc = dup_into(&out->password, secret);
	}
out:
	if (rc)
		creds_free(out);
	json_decref(doc);
	return rc;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/* The first line of what the helper printed, made printable, for error
 * messages. */
static void first_line(const struct drydock_buf *b, char *out, size_t n)
{
	size_t i = 0, j = 0;
	const char *p = b->ptr ? b->ptr : "";

	while (i < b->len &&
	       (p[i] == ' ' || p[i] == '\n' || p[i] == '\r' || p[i] == '\t'))
		i++;
	for (; i < b->len && p[i] != '\n' && p[i] != '\r' && j + 1 < n; i++)
		out[j++] =
			(unsigned char)p[i] < 0x20 || p[i] == 0x7f ? ' ' : p[i];
	while (j && out[j - 1] == ' ')
		j--;
	out[j] = '\0';
}

/* Whether the output (trimmed) is the "not found" message. */
static int is_not_found(const struct drydock_buf *b)
{
	char line[128];

	first_line(b, line, sizeof(line));
	return !strcmp(line, NOT_FOUND_MSG);
}

/* Start the helper with its stdin on in_fd and stdout on out_fd. */
static int spawn_helper(const char *prog, int in_fd, int out_fd, pid_t *pid)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	sigset_t none, def;
	char get[] = "get";
	char *argv[3];
	char progbuf[PROG_MAX];
	int e;

	snprintf(progbuf, sizeof(progbuf), "%s", prog);
	argv[0] = progbuf;
	argv[1] = get;
	argv[2] = NULL;
	if ((e = posix_spawn_file_actions_init(&fa)))
		return e;
	if ((e = posix_spawnattr_init(&at))) {
		posix_spawn_file_actions_destroy(&fa);
		return e;
	}
	/* the helper gets a plain signal state whatever ours is */
	sigemptyset(&none);
	sigemptyset(&def);
	sigaddset(&def, SIGPIPE);
	sigaddset(&def, SIGCHLD);
	e = posix_spawnattr_setsigmask(&at, &none);
	if (!e)
		e = posix_spawnattr_setsigdefault(&at, &def);
	if (!e)
		e = posix_spawnattr_setflags(
			&at, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
	if (!e)
		e = posix_spawn_file_actions_adddup2(&fa, in_fd, 0);
	if (!e)
		e = posix_spawn_file_actions_adddup2(&fa, out_fd, 1);
	/* the library never prints: the helper's complaints are dropped
	 * (helpers report errors on stdout, which we keep) */
	if (!e)
		e = posix_spawn_file_actions_addopen(&fa, 2, "/dev/null",
						     O_WRONLY, 0);
	if (!e)
		e = posix_spawnp(pid, prog, &fa, &at, argv, environ);
	posix_spawnattr_destroy(&at);
	posix_spawn_file_actions_destroy(&fa);
	return e;
}

/* Append what fd holds now, without waiting; 0 or a code. */
static int drain(int fd, struct drydock_buf *b)
{
	char chunk[4096];

	for (;;) {
		struct pollfd pfd = {fd, POLLIN, 0};
		ssize_t n;
		int r = poll(&pfd, 1, 0);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return r < 0 ? DRYDOCK_EIO : 0;
		n = read(fd, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? DRYDOCK_EIO : 0;
		if (drydock_buf_put(b, chunk, (size_t)n))
			return DRYDOCK_ELIMIT;
	}
}

/*
 * Read the helper's stdout until EOF, the size limit or the deadline.
 * The helper's exit also ends it (what is in the pipe then is read): a
 * process it left behind may hold the pipe open. *exited is set when
 * pid was reaped here, with its *status. Returns 0, DRYDOCK_ELIMIT,
 * DRYDOCK_ETIMEOUT or DRYDOCK_EIO.
 */
static int read_reply(int fd, struct drydock_buf *b, long long deadline,
		      pid_t pid, int *exited, int *status)
{
	char chunk[4096];

	*exited = 0;
	for (;;) {
		struct pollfd pfd = {fd, POLLIN, 0};
		long long left = deadline - now_ms();
		ssize_t n;
		int r;

		if (left <= 0)
			return DRYDOCK_ETIMEOUT;
		r = poll(&pfd, 1, left > 100 ? 100 : (int)left);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return DRYDOCK_EIO;
		if (!r) {
			if (waitpid(pid, status, WNOHANG) == pid) {
				*exited = 1;
				return drain(fd, b);
			}
			continue;
		}
		n = read(fd, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return DRYDOCK_EIO;
		if (!n)
			return 0;
		if (drydock_buf_put(b, chunk, (size_t)n))
			return DRYDOCK_ELIMIT;
	}
}

/*
 * Reap pid into *status, killing it when it still runs at the deadline
 * (or at once with kill_now). Returns 0, DRYDOCK_ETIMEOUT (killed at the
 * deadline) or DRYDOCK_EIO (waitpid failed).
 */
static int reap(pid_t pid, long long deadline, int kill_now, int *status)
{
	if (kill_now)
		kill(pid, SIGKILL);
	for (;;) {
		pid_t r = waitpid(pid, status, WNOHANG);
		struct timespec ts = {0, 10 * 1000000L};

		if (r == pid)
			return 0;
		if (r < 0 && errno != EINTR)
			return DRYDOCK_EIO;
		if (r == 0 && now_ms() >= deadline) {
			kill(pid, SIGKILL);
			while (waitpid(pid, status, 0) < 0 && errno == EINTR)
				;
			return DRYDOCK_ETIMEOUT;
		}
		nanosleep(&ts, NULL);
	}
}

int cred_helper_get(const char *helper, const char *server, struct creds *out,
		    struct drydock_err *err)
{
	return cred_helper_run(helper, server, DRYDOCK_CRED_HELPER_TIMEOUT_MS,
			       out, err);
}

int cred_helper_run(const char *helper, const char *server, int timeout_ms,
		    struct creds *out, struct drydock_err *err)
{
	struct drydock_buf reply =
		DRYDOCK_BUF_INIT(DRYDOCK_MAX_CRED_HELPER_REPLY_BYTES);
	char prog[PROG_MAX], line[200];
	int in[2] = {-1, -1}, outp[2] = {-1, -1};
	long long deadline;
	pid_t pid;
	int e, rc = 0, status = 0, exited = 0;

	memset(out, 0, sizeof(*out));
	if (!cred_helper_name_valid(helper))
		return drydock_err_set(err, DRYDOCK_EUSAGE,
				       "'%.80s': not a credential helper name",
				       helper);
	prog_name(helper, prog, sizeof(prog));
	/* stdin is a socket so that writing to a helper that exited early
	 * fails with EPIPE (MSG_NOSIGNAL) instead of raising SIGPIPE */
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, in) ||
	    pipe2(outp, O_CLOEXEC)) {
		rc = drydock_err_errno(err, errno, prog);
		goto out;
	}
	e = spawn_helper(prog, in[1], outp[1], &pid);
	close_fd(&in[1]);
	close_fd(&outp[1]);
	if (e == ENOENT) {
		rc = drydock_err_set(err, DRYDOCK_EAUTH,
				     "'%s': credential helper for '%s' not "
				     "found in PATH",
				     prog, server);
		goto out;
	}
	if (e) {
		rc = drydock_err_set(err, DRYDOCK_EAUTH,
				     "'%s': cannot run the credential helper "
				     "for '%s': %s",
				     prog, server, strerror(e));
		goto out;
	}
	deadline = now_ms() + timeout_ms;
	/* the address is short: it fits in the socket buffer, so send does
	 * not block; a helper that ignores it is judged by its answer */
	(void)!send(in[0], server, strlen(server), MSG_NOSIGNAL);
	shutdown(in[0], SHUT_WR);
	close_fd(&in[0]);
	rc = read_reply(outp[0], &reply, deadline, pid, &exited, &status);
	close_fd(&outp[0]);
	e = exited ? 0 : reap(pid, deadline, rc != 0, &status);
	if (!rc && e == DRYDOCK_EIO) {
		rc = drydock_err_set(err, DRYDOCK_EIO,
				     "'%s': cannot wait for the credential "
				     "helper: %s",
				     prog, strerror(errno));
		goto out;
	}
	if (rc == DRYDOCK_ETIMEOUT || (!rc && e == DRYDOCK_ETIMEOUT)) {
		rc = drydock_err_set(err, DRYDOCK_ETIMEOUT,
				     "'%s': credential helper for '%s' did not "
				     "answer within %d ms",
				     prog, server, timeout_ms);
		goto out;
	}
	if (rc == DRYDOCK_ELIMIT) {
		rc = drydock_err_set(err, DRYDOCK_ELIMIT,
				     "'%s': reply larger than %u bytes", prog,
				     DRYDOCK_MAX_CRED_HELPER_REPLY_BYTES);
		goto out;
	}
	if (rc) {
		rc = drydock_err_set(err, rc,
				     "'%s': cannot read the credential "
				     "helper's reply",
				     prog);
		goto out;
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		rc = cred_helper_parse(helper, reply.ptr ? reply.ptr : "",
				       reply.len, out, err);
		goto out;
	}
	if (is_not_found(&reply))
		goto out; /* anonymous, as docker does */
	first_line(&reply, line, sizeof(line));
	if (WIFEXITED(status))
		rc = drydock_err_set(err, DRYDOCK_EAUTH,
				     "'%s': credential helper for '%s' failed "
				     "with exit status %d%s%s",
				     prog, server, WEXITSTATUS(status),
				     line[0] ? ": " : "", line);
	else
		rc = drydock_err_set(err, DRYDOCK_EAUTH,
				     "'%s': credential helper for '%s' was "
				     "killed by signal %d",
				     prog, server,
				     WIFSIGNALED(status) ? WTERMSIG(status)
							 : 0);
out:
	close_fd(&in[0]);
	close_fd(&in[1]);
	close_fd(&outp[0]);
	close_fd(&outp[1]);
	if (reply.ptr)
		memset(reply.ptr, 0, reply.len);
	drydock_buf_release(&reply);
	return rc;
}
