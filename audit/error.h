/*
 * error.h - how caseaudit reports failure.
 *
 * Every fallible function returns 0 on success or a sysexits code on
 * failure, and fills a ca_err the caller owns.  The code travels unchanged
 * to the process exit status, so the layer that knows *why* something
 * failed also decides how the user sees it (DESIGN.md section 5).
 *
 * Messages must never carry personal data: no narratives, no names.
 */
#ifndef CASEAUDIT_ERROR_H
#define CASEAUDIT_ERROR_H

#include <stdarg.h>

/* The sysexits codes of the outside contract. */
enum {
	CA_OK = 0,
	CA_EX_USAGE = 64,       /* the command line was wrong */
	CA_EX_DATAERR = 65,     /* the input data was wrong */
	CA_EX_NOINPUT = 66,     /* an input file is missing or unreadable */
	CA_EX_UNAVAILABLE = 69, /* the database cannot be reached */
	CA_EX_SOFTWARE = 70,    /* a bug or an unexpected database error */
	CA_EX_IOERR = 74,       /* writing an output file failed */
	CA_EX_TEMPFAIL = 75     /* worth retrying: lost connection, conflict */
};

#define CA_ERR_MSG_MAX 1024

typedef struct ca_err {
	int code;                  /* one of the codes above, 0 when clear */
	char msg[CA_ERR_MSG_MAX];  /* "what failed: why", no trailing newline */
} ca_err;

/* Record a failure and return its code, so callers can write
 * `return ca_err_set(err, CA_EX_DATAERR, "...")`.  err may be NULL. */
int ca_err_set(ca_err *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int ca_err_setv(ca_err *err, int code, const char *fmt, va_list ap);

/* Prefix the existing message with context ("import: " + msg). */
int ca_err_prefix(ca_err *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

void ca_err_clear(ca_err *err);

#endif
