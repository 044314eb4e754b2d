/*
 * fuzz_support.h - helpers shared by the fuzz targets (fuzz_*.c).
 */
#ifndef CASEAUDIT_FUZZ_SUPPORT_H
#define CASEAUDIT_FUZZ_SUPPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* Stop the run with a message when an invariant fails: libFuzzer then
 * saves the input as a crash. */
#define REQUIRE(cond, ...) do { \
	if (!(cond)) { \
		fprintf(stderr, "%s:%d: invariant failed: %s: ", __FILE__, __LINE__, #cond); \
		fprintf(stderr, __VA_ARGS__); \
		fputc('\n', stderr); \
		abort(); \
	} \
} while (0)

/* True when s[0..n) is one well-formed JSON value (RFC 8259). */
int fuzz_json_ok(const char *s, size_t n);

/* True when s[0..n) is text the library takes: well-formed UTF-8 all
 * through, NUL bytes allowed; an empty s may be NULL. */
int fuzz_valid_text(const uint8_t *s, size_t n);

/* True when byte offset `at` of s[0..n) starts a character (or is n). */
int fuzz_char_boundary(const uint8_t *s, size_t n, size_t at);

#endif
