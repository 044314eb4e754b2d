/*
 * text_support.h - reading what a command printed, for tests that assert
 * on it: a number in a JSON row, a line of a table, and figures compared
 * with hand-worked ones.  Each fails the running cmocka test, with what
 * it looked for and in what, when it finds nothing.  Include it after
 * <math.h> and <cmocka.h>.
 */
#ifndef CASEAUDIT_TEST_TEXT_SUPPORT_H
#define CASEAUDIT_TEST_TEXT_SUPPORT_H

#include <stddef.h>

/* Two figures agree to within 5e-4: the four decimals a hand calculation
 * carries.  Fails the test naming the expression and both values. */
#define TEST_NEAR(a, b) \
	do { \
		double a_ = (a), b_ = (b); \
		if (!(fabs(a_ - b_) < 5e-4)) \
			fail_msg("%s is %.6f, expected %.6f", #a, a_, b_); \
	} while (0)

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
