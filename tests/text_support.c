/*
 * text_support.c - reading what a command printed (text_support.h).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text_support.h"

double
test_json_num(const char *json, const char *row, const char *key)
{
	char k[96];
	const char *p = strstr(json, row), *end, *v;

	if (p == NULL)
		fail_msg("no row %s", row);
	end = strchr(p, '}');
	snprintf(k, sizeof k, "\"%s\": ", key);
	v = strstr(p, k);
	if (v == NULL || v > end)
		fail_msg("no %s in row %s", key, row);
	v += strlen(k);
	return strncmp(v, "null", 4) == 0 ? NAN : strtod(v, NULL);
}

char *
test_json_row(const char *json, const char *row, char *buf, size_t size)
{
	const char *p = strstr(json, row), *begin, *end;

	if (p == NULL)
		fail_msg("no row %s in:\n%s", row, json);
	for (begin = p; begin > json && *begin != '{'; begin--)
		;
	end = strchr(p, '}');
	snprintf(buf, size, "%.*s", (int)(end != NULL ? end - begin + 1 : (long)strlen(begin)),
	    begin);
	return buf;
}

void
test_starts(const char *s, const char *prefix)
{
	if (strncmp(s, prefix, strlen(prefix)) != 0)
		fail_msg("'%.200s' does not start with '%s'", s, prefix);
}

char *
test_line_with(const char *out, const char *a, const char *b, char *buf, size_t size)
{
	const char *p = out;

	while (p != NULL && *p != '\0') {
		const char *nl = strchr(p, '\n');
		size_t len = nl != NULL ? (size_t)(nl - p) : strlen(p);

		snprintf(buf, size, "%.*s", (int)len, p);
		if (strstr(buf, a) != NULL && (b == NULL || strstr(buf, b) != NULL))
			return buf;
		p = nl != NULL ? nl + 1 : NULL;
	}
	fail_msg("no line with '%s' and '%s' in:\n%s", a, b ? b : "", out);
	return NULL;
}

char *
test_line_of(const char *out, const char *start, char *buf, size_t size)
{
	const char *p = out;

	while (p != NULL && *p != '\0') {
		const char *nl = strchr(p, '\n');
		size_t len = nl != NULL ? (size_t)(nl - p) : strlen(p);

		if (strncmp(p, start, strlen(start)) == 0) {
			snprintf(buf, size, "%.*s", (int)len, p);
			return buf;
		}
		p = nl != NULL ? nl + 1 : NULL;
	}
	fail_msg("no line starting '%s' in:\n%s", start, out);
	return NULL;
}
