#include "setup.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>

#include "drydock/error.h"

void drydock_err_clear(struct drydock_err *err)
{
	if (!err)
		return;
	err->code = 0;
	err->msg[0] = '\0';
}

int drydock_err_set(struct drydock_err *err, int code, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return code;
	err->code = code;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return code;
}

int drydock_err_prefix(struct drydock_err *err, const char *fmt, ...)
{
	char prefix[DRYDOCK_ERR_MSG_MAX];
	char old[DRYDOCK_ERR_MSG_MAX];
	va_list ap;

	if (!err)
		return DRYDOCK_ERROR;
	va_start(ap, fmt);
	vsnprintf(prefix, sizeof(prefix), fmt, ap);
	va_end(ap);
	memcpy(old, err->msg, sizeof(old));
	/* truncation is acceptable: the message stays one bounded line */
	if (snprintf(err->msg, sizeof(err->msg), "%.500s: %.500s", prefix,
		     old) < 0)
		err->msg[0] = '\0';
	return err->code;
}

int drydock_err_errno(struct drydock_err *err, int errnum, const char *what)
{
	return drydock_err_set(err, DRYDOCK_EIO, "'%s': %s", what,
			       strerror(errnum));
}

const char *drydock_err_name(int code)
{
	switch (code) {
	case DRYDOCK_OK:
		return "success";
	case DRYDOCK_ENOTFOUND:
		return "not found";
	case DRYDOCK_ELIMIT:
		return "limit exceeded";
	case DRYDOCK_ECORRUPT:
		return "corrupt input";
	case DRYDOCK_EUNSUPPORTED:
		return "unsupported";
	case DRYDOCK_EAUTH:
		return "authentication failed";
	case DRYDOCK_ETIMEOUT:
		return "timed out";
	case DRYDOCK_EDIGEST:
		return "digest mismatch";
	case DRYDOCK_EIO:
		return "i/o error";
	case DRYDOCK_ENOMEM:
		return "out of memory";
	case DRYDOCK_EUSAGE:
		return "usage error";
	default:
		return "error";
	}
}
