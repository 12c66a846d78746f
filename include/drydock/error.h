#ifndef DRYDOCK_ERROR_H
#define DRYDOCK_ERROR_H

/*
 * Errors: every library function returns 0 on success or a negative
 * DRYDOCK_E* code, and records a one-line message on the caller's
 * struct drydock_err (never in a global, so threads are safe).
 *
 * Messages are lowercase, without a final period, and name the input in
 * single quotes: "'layer.tar': truncated gzip stream at byte 4096".
 * The library never prints and never exits; src/ turns codes into output
 * and exit status (see drydock_err_exit_code()).
 */

#include <stddef.h>

enum drydock_errcode {
	DRYDOCK_OK = 0,
	DRYDOCK_ERROR = -1,	   /* anything a caller does not branch on */
	DRYDOCK_ENOTFOUND = -2,	   /* a named thing does not exist */
	DRYDOCK_ELIMIT = -3,	   /* input exceeds a limit of limits.h */
	DRYDOCK_ECORRUPT = -4,	   /* malformed or truncated input */
	DRYDOCK_EUNSUPPORTED = -5, /* valid input we cannot handle */
	DRYDOCK_EAUTH = -6,	   /* authentication or authorization */
	DRYDOCK_ETIMEOUT = -7,	   /* a deadline passed */
	DRYDOCK_EDIGEST = -8,	   /* content does not match its digest */
	DRYDOCK_EIO = -9,	   /* an operating system call failed */
	DRYDOCK_ENOMEM = -10,	   /* allocation failed */
	DRYDOCK_EUSAGE = -11	   /* invalid arguments from the user */
};

#define DRYDOCK_ERR_MSG_MAX 1024

struct drydock_err {
	int code;
	char msg[DRYDOCK_ERR_MSG_MAX];
};

/* Clear err (code 0, empty message). err may be NULL. */
void drydock_err_clear(struct drydock_err *err);

/*
 * Record code and a printf-style message on err (which may be NULL) and
 * return code, so callers can write `return drydock_err_set(err, ...)`.
 */
int drydock_err_set(struct drydock_err *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * Prefix the message already on err with "PREFIX: ", keeping its code.
 * Used to add context (the file name) as an error travels up.
 * Returns err->code.
 */
int drydock_err_prefix(struct drydock_err *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Record errno's text: "'what': strerror". Returns DRYDOCK_EIO. */
int drydock_err_errno(struct drydock_err *err, int errnum, const char *what);

/* A short name for a code ("corrupt input", "limit exceeded"). */
const char *drydock_err_name(int code);

#endif
