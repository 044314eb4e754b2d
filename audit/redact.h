/*
 * redact.h - finding and masking personal data in free text.
 *
 * The one redaction function every report and log line relies on.  It
 * masks NHS numbers (ten digits, spaced or not, with a valid modulus-11
 * check digit) as [NHS number], UK postcodes as [postcode], UK telephone
 * numbers (landlines, mobiles, +44 forms) as [phone], email addresses as
 * [email], and dates of birth (a date introduced by "DOB", "date of birth",
 * "born" ...) as [date of birth].  Ordinary dates, assessment references and
 * money amounts are left alone.  Patterns are PCRE2, compiled once (UTF,
 * UCP, JIT where available), with match limits.
 *
 * What counts, in detail:
 *   NHS number   943 476 5919, 943-476-5919, 9434765919 (one separator,
 *                the same twice); not inside a longer run of digits or
 *                letters, and only with a valid check digit.
 *   postcode     A9 9AA, A99 9AA, AA9 9AA, AA99 9AA, A9A 9AA, AA9A 9AA and
 *                GIR 0AA, with or without the space, any case, using only
 *                the letters each position allows; a lower-case ordinal
 *                as the inward code ("B2 4th") is not one.
 *   phone        01/02/03/05/07/08 national numbers of an allowed length,
 *                +44, (+44), 0044 and "+44 (0)" forms, groups separated by
 *                spaces or hyphens, area code in brackets.
 *   email        local@domain.tld (domain of two labels or more).
 *   date of birth  after DOB, D.O.B., date of birth, born, born on, b.
 *                (optionally followed by ":", "-", ",", "is", "was", "on",
 *                "the"): 12/03/1941, 12-03-1941, 12.03.1941, 12/03/41,
 *                1941-03-12, 12 March 1941, 12th March 1941, 12th of March
 *                1941, March 12, 1941 (and abbreviated months).  Only the
 *                date is masked: "DOB [date of birth]".
 *
 * Overlapping candidates are joined: the span covers all of them, so no
 * byte any rule flagged is ever left showing, and is labelled with the
 * kind of the longest (the earliest of equally long ones, then the first
 * in ca_pii_kind order).  Spans that merely touch stay separate.
 */
#ifndef CASEAUDIT_REDACT_H
#define CASEAUDIT_REDACT_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "strbuf.h"

typedef enum ca_pii_kind {
	CA_PII_NHS_NUMBER,
	CA_PII_POSTCODE,
	CA_PII_PHONE,
	CA_PII_EMAIL,
	CA_PII_DATE_OF_BIRTH
} ca_pii_kind;

typedef struct ca_pii_span {
	ca_pii_kind kind;
	size_t start, end;        /* byte offsets into the text, end exclusive */
} ca_pii_span;

typedef struct ca_redactor ca_redactor;

/* The PCRE2 limits each search starts with.  No sane text comes near
 * them; they exist so that a badly edited pattern fails loudly.  The match
 * limit binds JIT and interpreter alike; the depth limit (backtracking
 * nesting) and the heap limit (in KiB) bind the interpreter, used where
 * PCRE2 has no JIT. */
#define CA_REDACT_MATCH_LIMIT   10000000u
#define CA_REDACT_DEPTH_LIMIT   10000u
#define CA_REDACT_HEAP_LIMIT_KB 20480u

/* Compile the patterns.  One redactor per thread; reuse it. */
int  ca_redactor_new(ca_redactor **out, ca_err *err);
void ca_redactor_free(ca_redactor *r);

/* The personal data in text[0..len), as sorted, non-overlapping spans in a
 * malloc'd array the caller frees (NULL when there are none).  The text
 * must be valid UTF-8; it is checked once here (ca_utf8_check) before any
 * pattern runs without checks.  NUL bytes are allowed.  Returns 0, or an
 * error (65 for invalid UTF-8, with the offset of the first bad byte; 70
 * when a match limit was hit: the text could not be fully checked, and
 * callers must then treat it as not redactable, never as clean; 70 also
 * when memory ran out or PCRE2 failed otherwise, which
 * ca_redactor_limit_hit tells apart).  On error *spans is NULL and *nspans
 * 0.  Messages never quote the text. */
int  ca_redact_find(ca_redactor *r, const char *text, size_t len,
    ca_pii_span **spans, size_t *nspans, ca_err *err);

/* The same, for a caller that has already checked the text with
 * ca_utf8_valid_for_matching (the screening engine checks each narrative
 * once for its own patterns): the check is not made again.  Text that has
 * not passed that check must never be given here. */
int  ca_redact_find_checked(ca_redactor *r, const char *text, size_t len,
    ca_pii_span **spans, size_t *nspans, ca_err *err);

/* Append text with every span replaced by its label to out.  On error
 * nothing is appended (except when out of memory). */
int  ca_redact(ca_redactor *r, const char *text, size_t len, ca_strbuf *out, ca_err *err);

/* Why the last ca_redact_find (or ca_redact) on r returned 70: the PCRE2
 * limit it hit, as "match_limit", "depth_limit", "heap_limit" or
 * "jit_stack" (the text could not be fully checked); or NULL when it was
 * not a limit (memory ran out, or an unexpected PCRE2 error), or the call
 * did not fail. */
const char *ca_redactor_limit_hit(const ca_redactor *r);

/* The name redaction and screening give the PCRE2 error rc when it is a
 * limit ("match_limit", "depth_limit", "heap_limit", "jit_stack"), or NULL
 * for any other code. */
const char *ca_pcre2_limit_name(int rc);

/* "[NHS number]", "[postcode]", "[phone]", "[email]", "[date of birth]". */
const char *ca_pii_label(ca_pii_kind kind);

/* "nhs_number", "postcode", "phone", "email", "date_of_birth": the names
 * machine-readable output uses. */
const char *ca_pii_name(ca_pii_kind kind);

/* True when ten ASCII digits carry a valid NHS modulus-11 check digit.
 * Exactly digits[0..9] are read; no terminator is needed. */
int  ca_nhs_check_digit_ok(const char digits[10]);

/* Tuning, mostly for tests: change the match limit; use the interpreter
 * even where JIT code exists (the path taken when PCRE2 has no JIT); scan
 * the whole text with every pattern instead of trying the digit-bearing
 * kinds only in the windows around digits (slower; the spans must be the
 * same); and whether JIT is in use. */
void ca_redactor_set_match_limit(ca_redactor *r, uint32_t limit);
void ca_redactor_set_depth_limit(ca_redactor *r, uint32_t limit);
void ca_redactor_set_heap_limit(ca_redactor *r, uint32_t kib);
void ca_redactor_set_jit(ca_redactor *r, int on);
void ca_redactor_set_windows(ca_redactor *r, int on);
int  ca_redactor_uses_jit(const ca_redactor *r);

#endif
