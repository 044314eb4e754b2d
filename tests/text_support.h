/*
 * text_support.h - reading what a command printed, for tests that assert
 * on it: a number in a JSON row, a line of a table.  Each fails the
 * running cmocka test, with what it looked for and in what, when it
 * finds nothing.
 */
#ifndef CASEAUDIT_TEST_TEXT_SUPPORT_H
#define CASEAUDIT_TEST_TEXT_SUPPORT_H

#include <stddef.h>

/* The number at "key" in the JSON row (one {...} without nested braces)
 * that holds `row`, such as "\"period\": \"2025-01\""; NAN for null. */
double test_json_num(const char *json, const char *row, const char *key);

/* The JSON row that holds `row`, from its { to its }, copied to buf. */
char *test_json_row(const char *json, const char *row, char *buf, size_t size);

/* s must start with prefix. */
void test_starts(const char *s, const char *prefix);

/* The first line of out holding both a and b (b may be NULL), copied to
 * buf. */
char *test_line_with(const char *out, const char *a, const char *b, char *buf, size_t size);

/* The first line of out that starts with `start`, copied to buf. */
char *test_line_of(const char *out, const char *start, char *buf, size_t size);

#endif
