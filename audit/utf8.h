/*
 * utf8.h - checking that bytes are well-formed UTF-8.
 *
 * Everything caseaudit stores or matches is UTF-8; bytes that are not are
 * reported where they stand rather than passed on to PostgreSQL (which
 * would abort a whole COPY) or to PCRE2 (where they are undefined
 * behaviour with checks off).
 */
#ifndef CASEAUDIT_UTF8_H
#define CASEAUDIT_UTF8_H

#include <stddef.h>

enum ca_utf8_result {
	CA_UTF8_OK = 0,
	CA_UTF8_INVALID,   /* not well-formed (Unicode 15, table 3-7) */
	CA_UTF8_NUL        /* a NUL byte: valid UTF-8, but never valid text here */
};

/* Check s[0..n).  On a problem, *where gets the byte offset of the first
 * offending byte. */
enum ca_utf8_result ca_utf8_check(const unsigned char *s, size_t n, size_t *where);

/* True when s[0..n) is well-formed UTF-8 all through, NUL bytes allowed
 * (they are characters to PCRE2); otherwise *where is the first bad byte.
 * What must hold before matching with PCRE2_NO_UTF_CHECK. */
int ca_utf8_valid_for_matching(const char *s, size_t n, size_t *where);
/* The same, and *ascii set to whether every byte is below 0x80 (so that a
 * character is a byte), when the text is valid. */
int ca_utf8_valid_for_matching_ascii(const char *s, size_t n, size_t *where, int *ascii);

#endif
