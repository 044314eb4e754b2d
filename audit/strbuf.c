/*
 * strbuf.c - growable strings; see strbuf.h.
 */
#include "strbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
ca_strbuf_init(ca_strbuf *b)
{
	memset(b, 0, sizeof *b);
}

void
ca_strbuf_free(ca_strbuf *b)
{
	free(b->data);
	memset(b, 0, sizeof *b);
}

void
ca_strbuf_reset(ca_strbuf *b)
{
	b->len = 0;
	if (b->data != NULL)
		b->data[0] = '\0';
}

static int
reserve(ca_strbuf *b, size_t extra)
{
	size_t need, cap;
	char *nd;

	if (b->failed)
		return -1;
	need = b->len + extra + 1;
	if (need <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 256;
	while (cap < need)
		cap *= 2;
	nd = realloc(b->data, cap);
	if (nd == NULL) {
		b->failed = 1;
		return -1;
	}
	b->data = nd;
	b->cap = cap;
	return 0;
}

void
ca_strbuf_add(ca_strbuf *b, const void *p, size_t n)
{
	if (reserve(b, n) != 0)
		return;
	memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void
ca_strbuf_adds(ca_strbuf *b, const char *s)
{
	ca_strbuf_add(b, s, strlen(s));
}

void
ca_strbuf_addf(ca_strbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || reserve(b, (size_t)n) != 0)
		return;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

int
ca_strbuf_failed(const ca_strbuf *b)
{
	return b->failed;
}
