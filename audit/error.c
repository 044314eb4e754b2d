/*
 * error.c - filling ca_err; see error.h.
 */
#include "error.h"

#include <stdio.h>
#include <string.h>

int
ca_err_setv(ca_err *err, int code, const char *fmt, va_list ap)
{
	if (err == NULL)
		return code;
	err->code = code;
	vsnprintf(err->msg, sizeof err->msg, fmt, ap);
	return code;
}

int
ca_err_set(ca_err *err, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ca_err_setv(err, code, fmt, ap);
	va_end(ap);
	return code;
}

int
ca_err_prefix(ca_err *err, const char *fmt, ...)
{
	char prefix[256], old[CA_ERR_MSG_MAX];
	va_list ap;

	if (err == NULL)
		return 0;
	va_start(ap, fmt);
	vsnprintf(prefix, sizeof prefix, fmt, ap);
	va_end(ap);
	memcpy(old, err->msg, sizeof old);
	{
		size_t plen = strlen(prefix);

		if (plen >= sizeof err->msg)
			plen = sizeof err->msg - 1;
		memcpy(err->msg, prefix, plen);
		/* What does not fit is cut: messages are for people, not parsing. */
		memcpy(err->msg + plen, old, sizeof err->msg - plen - 1);
		err->msg[sizeof err->msg - 1] = '\0';
	}
	return err->code;
}

void
ca_err_clear(ca_err *err)
{
	if (err == NULL)
		return;
	err->code = 0;
	err->msg[0] = '\0';
}
