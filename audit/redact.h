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
 */
#ifndef CASEAUDIT_REDACT_H
#define CASEAUDIT_REDACT_H

#include <stddef.h>

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

/* Compile the patterns.  One redactor per thread; reuse it. */
int  ca_redactor_new(ca_redactor **out, ca_err *err);
void ca_redactor_free(ca_redactor *r);

/* The personal data in text[0..len) (which must be valid UTF-8: check with
 * ca_utf8_check first), as sorted, non-overlapping spans in a malloc'd
 * array the caller frees.  Returns 0, or an error (65 for invalid UTF-8,
 * 70 when a match limit was hit: the text could not be fully checked, and
 * callers must then treat it as not redactable, never as clean). */
int  ca_redact_find(ca_redactor *r, const char *text, size_t len,
    ca_pii_span **spans, size_t *nspans, ca_err *err);

/* Append text with every span replaced by its label to out. */
int  ca_redact(ca_redactor *r, const char *text, size_t len, ca_strbuf *out, ca_err *err);

/* "[NHS number]", "[postcode]", "[phone]", "[email]", "[date of birth]". */
const char *ca_pii_label(ca_pii_kind kind);

/* True when ten ASCII digits carry a valid NHS modulus-11 check digit. */
int  ca_nhs_check_digit_ok(const char digits[10]);

#endif
