/*
 * utf8.c - a strict UTF-8 validator; see utf8.h.
 *
 * Narratives are mostly ASCII, so eight bytes at a time are skipped while
 * none has its top bit set and none is zero.
 */
#include "utf8.h"

#include <stdint.h>
#include <string.h>

#define HIGH_BITS UINT64_C(0x8080808080808080)
#define LOW_BITS  UINT64_C(0x0101010101010101)

static int
plain_ascii_word(const unsigned char *s)
{
	uint64_t w;

	memcpy(&w, s, sizeof w);
	/* No byte >= 0x80 and no zero byte (the classic has-zero-byte test). */
	return (w & HIGH_BITS) == 0 && ((w - LOW_BITS) & ~w & HIGH_BITS) == 0;
}

/* ca_utf8_check, noting in *wide whether a byte >= 0x80 was seen. */
static enum ca_utf8_result
check(const unsigned char *s, size_t n, size_t *where, int *wide)
{
	size_t i = 0;

	while (i < n) {
		unsigned char c = s[i];
		unsigned char lo = 0x80, hi = 0xBF;
		int more;

		if (i + 8 <= n && plain_ascii_word(s + i)) {
			i += 8;
			continue;
		}
		if (c == 0) {
			*where = i;
			return CA_UTF8_NUL;
		}
		if (c < 0x80) {
			i++;
			continue;
		}
		*wide = 1;
		if (c >= 0xC2 && c <= 0xDF)
			more = 1;
		else if (c >= 0xE0 && c <= 0xEF) {
			more = 2;
			if (c == 0xE0)
				lo = 0xA0;      /* overlong */
			else if (c == 0xED)
				hi = 0x9F;      /* surrogates */
		} else if (c >= 0xF0 && c <= 0xF4) {
			more = 3;
			if (c == 0xF0)
				lo = 0x90;      /* overlong */
			else if (c == 0xF4)
				hi = 0x8F;      /* above U+10FFFF */
		} else {
			*where = i;
			return CA_UTF8_INVALID;
		}
		if ((size_t)more >= n - i) {       /* truncated at the end */
			*where = i;
			return CA_UTF8_INVALID;
		}
		if (s[i + 1] < lo || s[i + 1] > hi) {
			*where = i;
			return CA_UTF8_INVALID;
		}
		for (int k = 2; k <= more; k++) {
			if (s[i + k] < 0x80 || s[i + k] > 0xBF) {
				*where = i;
				return CA_UTF8_INVALID;
			}
		}
		i += (size_t)more + 1;
	}
	return CA_UTF8_OK;
}

enum ca_utf8_result
ca_utf8_check(const unsigned char *s, size_t n, size_t *where)
{
	int wide = 0;

	return check(s, n, where, &wide);
}

int
ca_utf8_valid_for_matching(const char *s, size_t n, size_t *where)
{
	int ascii;

	return ca_utf8_valid_for_matching_ascii(s, n, where, &ascii);
}

int
ca_utf8_valid_for_matching_ascii(const char *s, size_t n, size_t *where, int *ascii)
{
	size_t off = 0;
	int wide = 0;

	for (;;) {
		size_t at;
		enum ca_utf8_result res = check((const unsigned char *)s + off, n - off, &at, &wide);

		*ascii = !wide;
		if (res == CA_UTF8_OK)
			return 1;
		if (res == CA_UTF8_INVALID) {
			*where = off + at;
			return 0;
		}
		off += at + 1;          /* past the NUL: keep checking */
	}
}
