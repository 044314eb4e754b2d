/*
 * test_utf8.c - the validator accepts all of Unicode and nothing else.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "utf8.h"

static enum ca_utf8_result
check(const char *s, size_t n, size_t *where)
{
	return ca_utf8_check((const unsigned char *)s, n, where);
}

static void
accepts_valid_text(void **state)
{
	const char *ok[] = {
		"", "plain ASCII text, long enough to use the eight-byte path",
		"Siân Łukasz Zoë £25 – “quoted” 日本語", "\xF0\x9F\x98\x80 emoji",
		"\xEF\xBF\xBF", "\xF4\x8F\xBF\xBF", "\xED\x9F\xBF",
	};
	size_t where;

	(void)state;
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
		assert_int_equal(check(ok[i], strlen(ok[i]), &where), CA_UTF8_OK);
}

static void
rejects_malformed(void **state)
{
	static const struct { const char *s; size_t at; } bad[] = {
		{ "abc\x80", 3 },                 /* lone continuation */
		{ "\xC0\xAF", 0 },                /* overlong slash */
		{ "\xC1\xBF", 0 },
		{ "\xE0\x80\xAF", 0 },            /* overlong */
		{ "\xED\xA0\x80", 0 },            /* surrogate */
		{ "\xF4\x90\x80\x80", 0 },        /* above U+10FFFF */
		{ "\xF5\x80\x80\x80", 0 },
		{ "\xFF", 0 },
		{ "ok text here \xE2\x82", 13 },  /* truncated at the end */
		{ "12345678\xC3(", 8 },           /* bad continuation after the fast path */
		{ "latin-1 caf\xE9 au lait", 11 },
	};
	size_t where;

	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		where = 999;
		assert_int_equal(check(bad[i].s, strlen(bad[i].s), &where), CA_UTF8_INVALID);
		assert_int_equal(where, bad[i].at);
	}
}

static void
reports_nul(void **state)
{
	const char s[] = "0123456789abcdef\0tail";
	size_t where = 0;

	(void)state;
	assert_int_equal(check(s, sizeof s - 1, &where), CA_UTF8_NUL);
	assert_int_equal(where, 16);
}

/* For matching, NUL bytes are text, and the check also says whether the
 * text is all ASCII (screening then counts a character as a byte). */
static void
matching_and_ascii(void **state)
{
	static const struct { const char *s; size_t n; int valid, ascii; } cases[] = {
		{ "", 0, 1, 1 },
		{ "plain ASCII text, long enough to use the eight-byte path", 56, 1, 1 },
		{ "0123456789abcdef\0tail", 21, 1, 1 },
		{ "0123456789abcdef\0Si\xC3\xA2n", 22, 1, 0 },  /* wide after a NUL */
		{ "Si\xC3\xA2n then a long stretch of plain ASCII text", 45, 1, 0 },
		{ "\xE2\x84\xAA", 3, 1, 0 },
		{ "0123456789abcdef\0caf\xE9", 21, 0, 0 },     /* bad after a NUL */
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		size_t where = 999;
		int ascii = -1;
		int ok = ca_utf8_valid_for_matching_ascii(cases[i].s, cases[i].n, &where, &ascii);

		assert_int_equal(ok, cases[i].valid);
		assert_int_equal(ca_utf8_valid_for_matching(cases[i].s, cases[i].n, &where), ok);
		if (ok)
			assert_int_equal(ascii, cases[i].ascii);
		else
			assert_int_equal(where, 20);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(accepts_valid_text),
		cmocka_unit_test(rejects_malformed),
		cmocka_unit_test(reports_nul),
		cmocka_unit_test(matching_and_ascii),
	};

	return cmocka_run_group_tests_name("utf8", tests, NULL, NULL);
}
