/*
 * strbuf.h - a growable byte string, for building SQL text from the
 * program's own constants, COPY data and messages.
 *
 * Allocation failure is sticky: once set, appends do nothing and
 * ca_strbuf_failed() says so, so callers check once at the end.
 */
#ifndef CASEAUDIT_STRBUF_H
#define CASEAUDIT_STRBUF_H

#include <stddef.h>

typedef struct ca_strbuf {
	char *data;     /* always NUL-terminated when not failed */
	size_t len;
	size_t cap;
	int failed;
} ca_strbuf;

void ca_strbuf_init(ca_strbuf *b);
void ca_strbuf_free(ca_strbuf *b);
void ca_strbuf_reset(ca_strbuf *b);
void ca_strbuf_add(ca_strbuf *b, const void *p, size_t n);
void ca_strbuf_adds(ca_strbuf *b, const char *s);
void ca_strbuf_addf(ca_strbuf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int  ca_strbuf_failed(const ca_strbuf *b);

#endif
