/*
 * fuzz_redact.c - libFuzzer target for redaction (audit/redact.h): the
 * input is a text, found with ca_redact_find and masked with ca_redact.
 *
 * Beyond "no crash, no leak, no undefined behaviour", every input is held
 * to what redact.h promises:
 *   - bytes that are not UTF-8 (NUL bytes are allowed) give 65 with no
 *     spans, and ca_redact then appends nothing;
 *   - valid text never gives an error: the patterns are written so that no
 *     input reaches the match limit, so a limit hit (70) is a finding;
 *   - spans are sorted, non-overlapping (touching is allowed), non-empty,
 *     within the text, of a known kind, and start and end on character
 *     boundaries (masking half a character would leave invalid UTF-8);
 *   - ca_redact's output is exactly the text with each span replaced by its
 *     label, and is itself valid UTF-8;
 *   - the PCRE2 interpreter finds the same spans as JIT (small inputs only:
 *     the interpreter is much slower in UTF mode);
 *   - trying the digit-bearing kinds only in the windows around digits
 *     finds the same spans as scanning the whole text with every pattern.
 *
 * CASEAUDIT_FUZZ_STRICT=1 in the environment adds one more check, not a
 * documented promise but worth knowing about: redacting the output again
 * finds nothing left to mask (else the output shows something redaction
 * itself calls personal data, as in "07700 900456/07700 900123", where the
 * second number follows a digit and a slash and is taken for part of a
 * reference).  It is off when fuzzing, as the fuzzer finds such joins
 * within a minute; fuzz/run turns it on to replay fuzz/crashes/.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_support.h"
#include "error.h"
#include "redact.h"
#include "strbuf.h"
#include "utf8.h"

/* The interpreter is compared with JIT up to this many bytes. */
#define INTERP_MAX 4096

static ca_redactor *jit;      /* the redactor as the program uses it */
static ca_redactor *interp;   /* the same patterns without JIT */
static ca_redactor *scanner;  /* every pattern over the whole text, no windows */
static int strict;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	ca_err err = { 0 };
	const char *s = getenv("CASEAUDIT_FUZZ_STRICT");

	(void)argc;
	(void)argv;
	strict = s != NULL && strcmp(s, "1") == 0;
	if (ca_redactor_new(&jit, &err) != 0 || ca_redactor_new(&interp, &err) != 0 ||
	    ca_redactor_new(&scanner, &err) != 0) {
		fprintf(stderr, "fuzz_redact: %s\n", err.msg);
		exit(1);
	}
	ca_redactor_set_jit(interp, 0);
	ca_redactor_set_windows(scanner, 0);
	return 0;
}

static void
check_spans(const uint8_t *text, size_t size, const ca_pii_span *sp, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		REQUIRE(sp[i].kind >= CA_PII_NHS_NUMBER && sp[i].kind <= CA_PII_DATE_OF_BIRTH,
		    "span %zu has kind %d", i, (int)sp[i].kind);
		REQUIRE(sp[i].start < sp[i].end && sp[i].end <= size,
		    "span %zu is [%zu, %zu) in %zu bytes", i, sp[i].start, sp[i].end, size);
		REQUIRE(fuzz_char_boundary(text, size, sp[i].start) && fuzz_char_boundary(text, size, sp[i].end),
		    "span %zu [%zu, %zu) cuts a character", i, sp[i].start, sp[i].end);
		REQUIRE(i == 0 || sp[i - 1].end <= sp[i].start,
		    "span %zu [%zu, %zu) overlaps or precedes span %zu [%zu, %zu)", i,
		    sp[i].start, sp[i].end, i - 1, sp[i - 1].start, sp[i - 1].end);
	}
}

/* What the redactor r finds in text is sp[0..n), found by another way:
 * `mine` names that way, `theirs` r's. */
static void
same_spans(ca_redactor *r, const char *mine, const char *theirs, const char *text,
    size_t size, const ca_pii_span *sp, size_t n)
{
	ca_pii_span *other = NULL;
	size_t nother = 0;
	ca_err err = { 0 };
	int rc = ca_redact_find(r, text, size, &other, &nother, &err);

	REQUIRE(rc == 0, "%s gave %d (%s)", theirs, rc, err.msg);
	REQUIRE(nother == n, "%s found %zu spans, %s %zu", mine, n, theirs, nother);
	for (size_t i = 0; i < n; i++)
		REQUIRE(sp[i].kind == other[i].kind && sp[i].start == other[i].start &&
		    sp[i].end == other[i].end, "span %zu: %s %s [%zu, %zu), %s %s [%zu, %zu)", i,
		    mine, ca_pii_name(sp[i].kind), sp[i].start, sp[i].end, theirs,
		    ca_pii_name(other[i].kind), other[i].start, other[i].end);
	free(other);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	ca_pii_span *spans = NULL, *other = NULL;
	size_t n = 0, nother = 0, at = 0;
	ca_strbuf out, want;
	ca_err err = { 0 };
	int rc;

	rc = ca_redact_find(jit, text, size, &spans, &n, &err);
	if (!fuzz_valid_text(data, size)) {
		REQUIRE(rc == CA_EX_DATAERR, "invalid UTF-8 gave %d (%s)", rc, err.msg);
		REQUIRE(spans == NULL && n == 0, "invalid UTF-8 gave %zu spans", n);
		ca_strbuf_init(&out);
		rc = ca_redact(jit, text, size, &out, &err);
		REQUIRE(rc == CA_EX_DATAERR && out.len == 0, "ca_redact gave %d and %zu bytes",
		    rc, out.len);
		ca_strbuf_free(&out);
		return 0;
	}
	REQUIRE(rc == 0, "valid text of %zu bytes gave %d (%s)", size, rc, err.msg);
	REQUIRE((n == 0) == (spans == NULL), "%zu spans at %p", n, (void *)spans);
	check_spans(data, size, spans, n);

	/* The masked text: what the spans say it must be. */
	ca_strbuf_init(&want);
	for (size_t i = 0; i < n; i++) {
		ca_strbuf_add(&want, text + at, spans[i].start - at);
		ca_strbuf_adds(&want, ca_pii_label(spans[i].kind));
		at = spans[i].end;
	}
	ca_strbuf_add(&want, text + at, size - at);
	ca_strbuf_init(&out);
	rc = ca_redact(jit, text, size, &out, &err);
	REQUIRE(rc == 0, "ca_redact gave %d (%s)", rc, err.msg);
	REQUIRE(!ca_strbuf_failed(&out) && !ca_strbuf_failed(&want), "out of memory");
	REQUIRE(out.len == want.len && (out.len == 0 || memcmp(out.data, want.data, out.len) == 0),
	    "ca_redact's %zu bytes differ from the %zu the spans give", out.len, want.len);
	REQUIRE(fuzz_valid_text((const uint8_t *)out.data, out.len), "the output is not UTF-8");

	same_spans(scanner, "the windows", "a scan", text, size, spans, n);
	if (size <= INTERP_MAX)
		same_spans(interp, "JIT", "the interpreter", text, size, spans, n);

	if (strict && out.len > 0) {
		rc = ca_redact_find(jit, out.data, out.len, &other, &nother, &err);
		REQUIRE(rc == 0, "redacting the output gave %d (%s)", rc, err.msg);
		REQUIRE(nother == 0, "the output still holds %s at [%zu, %zu)",
		    ca_pii_name(other[0].kind), other[0].start, other[0].end);
		free(other);
	}

	ca_strbuf_free(&out);
	ca_strbuf_free(&want);
	free(spans);
	return 0;
}
