/*
 * test_redact.c - redaction: what is masked, what is left alone, where
 * exactly, and that no input makes it slow, wrong or silent.
 *
 * The tables of examples run four times: with PCRE2's JIT and with its
 * interpreter (the path taken where PCRE2 has no JIT), each with the
 * digit-bearing kinds tried only in the windows around digits (as always)
 * and with every pattern scanning the whole text; all four must give the
 * same text.  The command itself is run as users run it,
 * with standard input from a file.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L   /* dup, strdup */
#endif

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "generate.h"
#include "redact.h"
#include "strbuf.h"
#include "support.h"

#define BIG (10u * 1024 * 1024)

/* Everything a test allocates lives here, so a failed assertion (which
 * leaves the test body at once) still frees it in the teardown. */
typedef struct fx {
	ca_redactor *r;
	ca_strbuf out;
	ca_pii_span *spans;
	size_t n;
	ca_pii_span *spans2;    /* a second result, to compare */
	char *big;
	test_run run;
	char *dir;              /* a temporary directory to remove */
} fx;

static int
group_setup(void **state)
{
	fx *f = calloc(1, sizeof *f);
	ca_err err = { 0 };

	if (f == NULL || ca_redactor_new(&f->r, &err) != 0) {
		fprintf(stderr, "cannot make a redactor: %s\n", err.msg);
		free(f);
		return -1;
	}
	ca_strbuf_init(&f->out);
	*state = f;
	return 0;
}

static int
group_teardown(void **state)
{
	fx *f = *state;

	ca_redactor_free(f->r);
	ca_strbuf_free(&f->out);
	free(f);
	return 0;
}

static void
remove_dir(char *dir)
{
	static const char *const files[] = {
		"assessments.csv", "staff.csv", "README.md"
	};
	char path[4096];

	if (dir == NULL)
		return;
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, files[i]);
		unlink(path);
	}
	rmdir(dir);
	free(dir);
}

/* After each test: free its scratch, and undo any tuning it did. */
static int
test_teardown(void **state)
{
	fx *f = *state;

	ca_redactor_set_jit(f->r, 1);
	ca_redactor_set_windows(f->r, 1);
	ca_redactor_set_match_limit(f->r, CA_REDACT_MATCH_LIMIT);
	ca_redactor_set_depth_limit(f->r, CA_REDACT_DEPTH_LIMIT);
	ca_redactor_set_heap_limit(f->r, CA_REDACT_HEAP_LIMIT_KB);
	ca_strbuf_reset(&f->out);
	free(f->spans);
	f->spans = NULL;
	f->n = 0;
	free(f->spans2);
	f->spans2 = NULL;
	free(f->big);
	f->big = NULL;
	test_run_free(&f->run);
	remove_dir(f->dir);
	f->dir = NULL;
	return 0;
}

/* ---- Helpers ----------------------------------------------------------- */

static const char *
mask(fx *f, const char *in)
{
	ca_err err = { 0 };
	int rc;

	ca_strbuf_reset(&f->out);
	rc = ca_redact(f->r, in, strlen(in), &f->out, &err);
	if (rc != 0)
		fail_msg("redacting \"%s\": %d %s", in, rc, err.msg);
	return f->out.len ? f->out.data : "";
}

static size_t
find(fx *f, const char *in, size_t len)
{
	ca_err err = { 0 };
	int rc;

	free(f->spans);
	f->spans = NULL;
	rc = ca_redact_find(f->r, in, len, &f->spans, &f->n, &err);
	if (rc != 0)
		fail_msg("finding: %d %s", rc, err.msg);
	return f->n;
}

typedef struct example {
	const char *in, *want;  /* want NULL: left exactly as it was */
} example;

/* Each example, with JIT and with the interpreter, with windows and
 * scanning. */
static void
check_examples(fx *f, const example *ex, size_t n)
{
	for (int mode = 0; mode < 4; mode++) {
		int jit = mode < 2, windows = mode % 2 == 0;

		ca_redactor_set_jit(f->r, jit);
		ca_redactor_set_windows(f->r, windows);
		for (size_t i = 0; i < n; i++) {
			const char *want = ex[i].want ? ex[i].want : ex[i].in;
			const char *got = mask(f, ex[i].in);

			if (strcmp(got, want) != 0)
				fail_msg("%s, %s: redacting \"%s\"\n  got  \"%s\"\n  want \"%s\"",
				    jit ? "JIT" : "interpreter", windows ? "windows" : "scan",
				    ex[i].in, got, want);
		}
	}
	ca_redactor_set_jit(f->r, 1);
	ca_redactor_set_windows(f->r, 1);
}

/* The spans of text with windows and with scans of the whole text, which
 * must be the same; how many there were. */
static size_t
windows_agree(fx *f, const char *text, size_t len)
{
	size_t n;

	ca_redactor_set_windows(f->r, 0);
	n = find(f, text, len);
	free(f->spans2);
	f->spans2 = f->spans;
	f->spans = NULL;
	ca_redactor_set_windows(f->r, 1);
	if (find(f, text, len) != n)
		fail_msg("windows found %zu spans, a scan %zu, in \"%.*s\"", f->n, n,
		    len > 200 ? 200 : (int)len, text);
	for (size_t i = 0; i < n; i++)
		if (f->spans[i].kind != f->spans2[i].kind || f->spans[i].start != f->spans2[i].start ||
		    f->spans[i].end != f->spans2[i].end)
			fail_msg("span %zu: windows %s [%zu, %zu), scan %s [%zu, %zu), in \"%.*s\"", i,
			    ca_pii_name(f->spans[i].kind), f->spans[i].start, f->spans[i].end,
			    ca_pii_name(f->spans2[i].kind), f->spans2[i].start, f->spans2[i].end,
			    len > 200 ? 200 : (int)len, text);
	return n;
}

#define CHECK(f, table) check_examples((f), (table), sizeof (table) / sizeof (table)[0])

static void
assert_span(const ca_pii_span *s, ca_pii_kind kind, size_t start, size_t end)
{
	assert_int_equal(s->kind, kind);
	assert_int_equal(s->start, start);
	assert_int_equal(s->end, end);
}

/* Spans are sorted, inside the text and never overlap. */
static void
assert_well_formed(const ca_pii_span *s, size_t n, size_t len)
{
	for (size_t i = 0; i < n; i++) {
		assert_true(s[i].start < s[i].end);
		assert_true(s[i].end <= len);
		if (i > 0)
			assert_true(s[i - 1].end <= s[i].start);
	}
}

/* A deterministic byte stream for the big inputs (xorshift). */
static uint32_t
next_rand(uint32_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 17;
	*x ^= *x << 5;
	return *x;
}

/* Run `caseaudit redact ARGS` with input on its standard input. */
static void
run_redact(fx *f, const void *input, size_t len, const char *a1, const char *a2)
{
	const char *argv[] = { "caseaudit", "redact", a1, a2, NULL };

	assert_int_equal(test_run_cli_stdin(&f->run, NULL, NULL, argv, input, len), 0);
}

/* ---- NHS numbers --------------------------------------------------------- */

static void
nhs_check_digit(void **state)
{
	/* Exactly ten bytes, no terminator: the function must read no more. */
	char d[10];
	char buf[11];

	(void)state;
	memcpy(d, "9434765919", 10);
	assert_true(ca_nhs_check_digit_ok(d));
	memcpy(d, "9434765918", 10);
	assert_false(ca_nhs_check_digit_ok(d));
	/* 401023208: the weighted sum leaves no remainder, so 11 - 0 = 11,
	 * which is written as check digit 0. */
	memcpy(d, "4010232080", 10);
	assert_true(ca_nhs_check_digit_ok(d));
	memcpy(d, "4010232081", 10);
	assert_false(ca_nhs_check_digit_ok(d));
	/* 401023203: the check digit would be 10, so no number starting so was
	 * ever issued, whatever its last digit. */
	for (char c = '0'; c <= '9'; c++) {
		snprintf(buf, sizeof buf, "401023203%c", c);
		assert_false(ca_nhs_check_digit_ok(buf));
	}
	assert_true(ca_nhs_check_digit_ok("0000000000"));
	assert_false(ca_nhs_check_digit_ok("943476591x"));
	assert_false(ca_nhs_check_digit_ok("94347 5919"));
	assert_false(ca_nhs_check_digit_ok("943476591\0"));
}

static void
nhs_numbers(void **state)
{
	static const example ex[] = {
		{ "NHS number 943 476 5919.", "NHS number [NHS number]." },
		{ "9434765919", "[NHS number]" },
		{ "NHS: 943-476-5919, seen", "NHS: [NHS number], seen" },
		{ "NHS no. 943\xC2\xA0" "476\xC2\xA0" "5919", "NHS no. [NHS number]" },
		{ "(4010232080)", "([NHS number])" },
		{ "401 023 2080 and 943 476 5919", "[NHS number] and [NHS number]" },
		{ "NHS9434765919", NULL },              /* inside a word */
		{ "943 476 5918", NULL },               /* wrong check digit */
		{ "4010232030 4010232035 4010232039", NULL },  /* check digit 10 */
		{ "943 476-5919", NULL },               /* two different separators */
		{ "9434 765 919", NULL },               /* not grouped 3-3-4 */
		{ "943  476  5919", NULL },
		{ "19434765919", NULL },                /* inside longer digit runs */
		{ "94347659190", NULL },
		{ "ref 12943476591934", NULL },
		{ "tel 943 476 59190", NULL },
		{ "9434765919ab", NULL },
		{ "0.9434765919", NULL },               /* a decimal fraction */
		{ "9434765919.5", NULL },
		{ "2125550100 and 1234567890", NULL },  /* ten digits, bad check */
	};

	CHECK(*state, ex);
}

/* ---- Postcodes ----------------------------------------------------------- */

static void
postcodes(void **state)
{
	static const example ex[] = {
		{ "M1 1AE", "[postcode]" },             /* A9 9AA */
		{ "B33 8TH", "[postcode]" },            /* A99 9AA */
		{ "CR2 6XH", "[postcode]" },            /* AA9 9AA */
		{ "DN55 1PT", "[postcode]" },           /* AA99 9AA */
		{ "W1A 0AX", "[postcode]" },            /* A9A 9AA */
		{ "EC1A 1BB", "[postcode]" },           /* AA9A 9AA */
		{ "EC1A1BB", "[postcode]" },
		{ "m11ae", "[postcode]" },
		{ "ec1a 1bb", "[postcode]" },
		{ "Sw1a 1aA", "[postcode]" },
		{ "GIR 0AA", "[postcode]" },
		{ "gir0aa", "[postcode]" },
		{ "lives at 4 Mill Lane, LS1 4AB, Leeds", "lives at 4 Mill Lane, [postcode], Leeds" },
		{ "(NE1 4ST)", "([postcode])" },
		{ "LS1 4AB\nYO26 1WN.", "[postcode]\n[postcode]." },
		{ "LS1", NULL },                        /* outward code alone */
		{ "the M1 and M62", NULL },
		{ "flat B2 4th floor, ward A1 2nd bay", NULL },  /* ordinals */
		{ "b33 8th", NULL },
		{ "QA1 1AA", NULL },                    /* Q never comes first */
		{ "AI1 1AA", NULL },                    /* nor I second */
		{ "M1 1AC", NULL },                     /* nor C in the inward code */
		{ "M1 1IA", NULL },
		{ "SW1A 1AAB", NULL },
		{ "XSW1A 1AA", NULL },
		{ "M1 1AE2", NULL },
		{ "AS-0000123, P-123456, ST-0042", NULL },
		{ "CO2 levels, A4 paper, H1N1, COVID-19, room 12B", NULL },
	};

	CHECK(*state, ex);
}

/* ---- Telephone numbers --------------------------------------------------- */

static void
phones(void **state)
{
	static const example ex[] = {
		{ "01632 960123", "[phone]" },
		{ "01632960123", "[phone]" },
		{ "(01632) 960123", "[phone]" },
		{ "01632-960123", "[phone]" },
		{ "020 7946 0123", "[phone]" },
		{ "020-7946-0123", "[phone]" },
		{ "(020) 7946 0123", "[phone]" },
		{ "0113 496 0123", "[phone]" },
		{ "(0113) 496 0123", "[phone]" },
		{ "07700 900123", "[phone]" },
		{ "07700900123", "[phone]" },
		{ "07700 900 123", "[phone]" },
		{ "0300 123 4567", "[phone]" },
		{ "0800 123 456", "[phone]" },
		{ "+44 7700 900123", "[phone]" },
		{ "+447700900123", "[phone]" },
		{ "+44 (0)7700 900123", "[phone]" },
		{ "+44 (0) 20 7946 0123", "[phone]" },
		{ "+44 20 7946 0123", "[phone]" },
		{ "+44-113-496-0123", "[phone]" },
		{ "0044 20 7946 0123", "[phone]" },
		{ "(+44) 113 496 0123", "[phone]" },
		{ "+44 07700 900123", "[phone]" },
		{ "tel: 0113 496 0123.", "tel: [phone]." },
		{ "call 07700 900123 or 01632 960123", "call [phone] or [phone]" },
		{ "0113 496 0123 2 visits", "[phone] 2 visits" },
		{ "0 07700 900123", "0 [phone]" },
		{ "£1,234.56 and £25 and £1234", NULL },
		{ "AS-0000123, P-123456, ST-0042", NULL },
		/* Phone-shaped after a hyphen or slash is masked, even in what may
		 * be a reference: too much masked is safe, too little is not. */
		{ "AS-01632960123", "AS-[phone]" },
		{ "home 07700 900456/07700 900123", "home [phone]/[phone]" },
		{ "jane.doe@example.com/07700 900123", "[email]/[phone]" },
		{ "LS1 4AB-07700 900123", "[postcode]-[phone]" },
		{ "in 2026, aged 84, at 09:30 and 14:00", NULL },
		{ "07700 90012", NULL },                /* a mobile has 11 digits */
		{ "020 7946 012", NULL },
		{ "0113 496", NULL },
		{ "016329601234567", NULL },            /* too long, no groups */
		{ "visited on 01/03/2026, 01-03-2026, 01.03.2026", NULL },
		{ "06 1234 5678 and 09098 790123", NULL },  /* not personal ranges */
		{ "+1 212 555 0100", NULL },
	};

	CHECK(*state, ex);
}

/* ---- Email addresses ----------------------------------------------------- */

static void
emails(void **state)
{
	static const example ex[] = {
		{ "anne.smith@example.org", "[email]" },
		{ "Write to a+b@sub.example.co.uk.", "Write to [email]." },
		{ "o'brien@example.com", "[email]" },
		{ "Si\xC3\xA2n.jones@example.cymru", "[email]" },
		{ "<j_doe-99@mail.example.net>", "<[email]>" },
		{ "ANNE@EXAMPLE.ORG, bob@example.org", "[email], [email]" },
		{ "@handle", NULL },
		{ "a@b", NULL },
		{ "user@localhost", NULL },
		{ "name at example dot com", NULL },
		{ "email@ and @example.com", NULL },
		{ "a@@b.com", NULL },
		{ "1.5@2.0", NULL },
	};

	CHECK(*state, ex);
}

/* ---- Dates of birth ------------------------------------------------------ */

static void
dates_of_birth(void **state)
{
	static const example ex[] = {
		{ "DOB 12/03/1941", "DOB [date of birth]" },
		{ "DOB: 12-03-1941", "DOB: [date of birth]" },
		{ "D.O.B. 12.03.1941", "D.O.B. [date of birth]" },
		{ "D.O.B 5/3/1941", "D.O.B [date of birth]" },
		{ "dob 1941-03-12", "dob [date of birth]" },
		{ "DOB 12/03/41", "DOB [date of birth]" },
		{ "(DOB 12/03/1941)", "(DOB [date of birth])" },
		{ "DOB \xE2\x80\x93 12/03/1941", "DOB \xE2\x80\x93 [date of birth]" },
		{ "DOB\xC2\xA0" "12/03/1941", "DOB\xC2\xA0[date of birth]" },
		{ "Date of birth: 12 March 1941", "Date of birth: [date of birth]" },
		{ "Date of birth:\n12/03/1941", "Date of birth:\n[date of birth]" },
		{ "date of birth 12th March 1941", "date of birth [date of birth]" },
		{ "Her date of birth, 01/05/1937, was confirmed.",
		  "Her date of birth, [date of birth], was confirmed." },
		{ "Date of birth is March 12, 1941.", "Date of birth is [date of birth]." },
		{ "born 12 March 1941", "born [date of birth]" },
		{ "born on 12th of March 1941", "born on [date of birth]" },
		{ "Born on the 12th of March 1941", "Born on the [date of birth]" },
		{ "born March 12 1941", "born [date of birth]" },
		{ "b. 12/03/1941", "b. [date of birth]" },
		{ "DOB 12 Mar 1941", "DOB [date of birth]" },
		{ "DOB 12 Sept. 1941", "DOB [date of birth]" },
		{ "DOB 1 june 1941", "DOB [date of birth]" },
		{ "Date of birth (DOB): 02/02/1942", "Date of birth (DOB): [date of birth]" },
		{ "DOB (12/03/1941)", "DOB ([date of birth])" },
		{ "DOB:12/3/1941; dob - 1 Jan 1941", "DOB:[date of birth]; dob - [date of birth]" },
		{ "visited on 12/03/2026", NULL },       /* ordinary dates */
		{ "Reviewed 12 March 2026; next review March 12, 2027", NULL },
		{ "Date of review: 12/03/2026", NULL },
		{ "born in 1941", NULL },                /* a year alone */
		{ "DOB unknown", NULL },
		{ "DOB 12 March", NULL },
		{ "DOB 32/03/1941", NULL },              /* no such day */
		{ "DOB 12/13/1941", NULL },              /* no such month */
		{ "DOB 12/03-1941", NULL },              /* mixed separators */
		{ "DOB 12/03/19412", NULL },
		{ "DOB 12/03/1941/2", NULL },
		{ "newborn 12/03/2026", NULL },
		{ "B. 12/03/1941", NULL },               /* an initial, probably */
		{ "lamb. 12/03/1941", NULL },
	};

	CHECK(*state, ex);
}

/* Only the date is masked, so its span starts after the words. */
static void
date_of_birth_span(void **state)
{
	fx *f = *state;
	const char *s = "Mrs A (date of birth: 12th March 1941) was seen.";

	assert_int_equal(find(f, s, strlen(s)), 1);
	assert_span(&f->spans[0], CA_PII_DATE_OF_BIRTH, 22, 37);
}

/* ---- Several at once ----------------------------------------------------- */

static void
mixed_text(void **state)
{
	static const example ex[] = {
		{ "Seen at home (DOB 12/03/1941), tel 07700 900123. NHS 943 476 5919, "
		  "lives at SW1A 1AA; email anne.smith@example.org. Visited on "
		  "12/03/2026 (AS-0000123), aged 84, paid \xC2\xA3" "25.00.",
		  "Seen at home (DOB [date of birth]), tel [phone]. NHS [NHS number], "
		  "lives at [postcode]; email [email]. Visited on "
		  "12/03/2026 (AS-0000123), aged 84, paid \xC2\xA3" "25.00." },
		{ "", NULL },
		{ "Nothing personal here at all.", NULL },
	};

	CHECK(*state, ex);
}

static void
overlapping(void **state)
{
	static const example ex[] = {
		/* A number or postcode inside an address: the address wins. */
		{ "07700900123@sms.example.com", "[email]" },
		{ "sw1a1aa@example.com", "[email]" },
		/* Partly overlapping: the whole stretch goes, under the longer. */
		{ "020 7946 0123@example.com", "[email]" },
		/* Exactly the same bytes: the first kind in ca_pii_kind order. */
		{ "0169773000", "[NHS number]" },
	};
	fx *f = *state;
	const char *s = "x 020 7946 0123@example.com y";

	CHECK(f, ex);
	assert_int_equal(find(f, s, strlen(s)), 1);
	assert_span(&f->spans[0], CA_PII_EMAIL, 2, 27);
}

/* ---- Byte offsets around non-ASCII text ---------------------------------- */

static void
unicode_offsets(void **state)
{
	fx *f = *state;
	/* S i â(2) n ’(3): every offset after them counts bytes, not
	 * characters. */
	const char *s = "Si\xC3\xA2n\xE2\x80\x99s NHS number is 943 476 5919 "
	    "\xF0\x9F\x98\x80 and email si\xC3\xA2n@example.cymru";
	const char *emoji = "\xF0\x9F\x98\x80" "9434765919" "\xF0\x9F\x98\x80";
	const char *joined = "Si\xC3\xA2n9434765919";

	assert_int_equal(find(f, s, strlen(s)), 2);
	assert_span(&f->spans[0], CA_PII_NHS_NUMBER, 24, 36);
	assert_span(&f->spans[1], CA_PII_EMAIL, 52, 71);
	assert_string_equal(mask(f, s), "Si\xC3\xA2n\xE2\x80\x99s NHS number is [NHS number] "
	    "\xF0\x9F\x98\x80 and email [email]");

	/* An emoji is not a letter: the number beside it is on its own. */
	assert_int_equal(find(f, emoji, strlen(emoji)), 1);
	assert_span(&f->spans[0], CA_PII_NHS_NUMBER, 4, 14);
	/* A letter is: this is one word. */
	assert_int_equal(find(f, joined, strlen(joined)), 0);
}

/* ---- The windows around digits ----------------------------------------- */

/* Where a window begins and ends: identifiers at the very start and end of
 * a text, on either side of a line break, touching one another, with
 * non-ASCII characters around and inside them, and dates of birth with
 * the most words the pattern allows before the first digit. */
static void
window_edges(void **state)
{
	static const example ex[] = {
		{ "GIR 0AA", "[postcode]" },            /* 3 letters before the digit */
		{ "gir\xC2\xA0" "0aa at the start", "[postcode] at the start" },
		{ "at the end GIR0AA", "at the end [postcode]" },
		{ "EC1A 1BB", "[postcode]" },
		{ "x EC1A 1BB", "x [postcode]" },
		{ "SW1A 1AA\n", "[postcode]\n" },
		{ "\nSW1A 1AA", "\n[postcode]" },
		{ "LS1\n4AB", NULL },                    /* a line break is no space */
		{ "LS1 4AB\nLS2 7UE", "[postcode]\n[postcode]" },
		{ "LS1 4AB LS2 7UE", "[postcode] [postcode]" },
		{ "LS1 4AB,LS2 7UE", "[postcode],[postcode]" },
		{ "LS14AB9434765919", NULL },             /* one word */
		{ "9434765919 LS1 4AB 07700 900123", "[NHS number] [postcode] [phone]" },
		{ "07700 900123LS1 4AB", "[phone]LS1 4AB" },  /* not after a digit */
		/* KELVIN SIGN and LONG S stand for K and S when case is ignored:
		 * three and two bytes, no counted character */
		{ "\xE2\x84\xAAT1 1AA", "[postcode]" },
		{ "at \xC5\xBFW1A 1AA.", "at [postcode]." },
		{ "\xE2\x84\xAA\xE2\x84\xAA" "1 1AA", "[postcode]" },
		{ "Si\xC3\xA2n, LS1 4AB \xF0\x9F\x98\x80", "Si\xC3\xA2n, [postcode] \xF0\x9F\x98\x80" },
		{ "\xC3\xA9LS1 4AB", NULL },              /* é is a letter */
		{ "\xE2\x80\x9CLS1 4AB\xE2\x80\x9D", "\xE2\x80\x9C[postcode]\xE2\x80\x9D" },
		{ "\xD9\xA3LS1 4AB", NULL },              /* an Arabic-Indic digit is \p{N} */
		{ "LS1 4AB\xD9\xA3", NULL },
		{ "(+44)7700 900123", "[phone]" },      /* 2 counted before the digit */
		{ "(+44) 7700 900123 and +44 7700 900124", "[phone] and [phone]" },
		{ "AS-01632960123", "AS-[phone]" },     /* a reference is still masked */
		{ "ref AS-01632960123/07700 900123", "ref AS-[phone]/[phone]" },
		{ "9434765919", "[NHS number]" },
		{ "no 943 476 5919", "no [NHS number]" },
		{ "943 476 5919\n943 476 5919", "[NHS number]\n[NHS number]" },
		{ "\xC2\xA0" "943\xC2\xA0" "476\xC2\xA0" "5919\xC2\xA0", "\xC2\xA0[NHS number]\xC2\xA0" },
		/* the most the DOB pattern takes before the first digit: 30 */
		{ "date of birth): was the (September. 12, 1941",
		  "date of birth): was the ([date of birth]" },
		{ "7 date of birth): was the (September. 12, 1941 8",
		  "7 date of birth): was the ([date of birth] 8" },
		{ "Date\tof\nbirth \xE2\x80\x94 is the 1st of June 1941",
		  "Date\tof\nbirth \xE2\x80\x94 is the [date of birth]" },
		{ "DOB wa\xC5\xBF 12/03/1941", "DOB wa\xC5\xBF [date of birth]" },  /* LONG S */
		{ "DOB\xE2\x80\x83\xE2\x80\x83\xE2\x80\x83" "12/03/1941",
		  "DOB\xE2\x80\x83\xE2\x80\x83\xE2\x80\x83[date of birth]" },  /* em spaces */
		{ "DOB 12/03/1941", "DOB [date of birth]" },
		{ "b. 1/1/41", "b. [date of birth]" },
		{ "12/03/1941 DOB", NULL },
	};

	CHECK(*state, ex);
}

/* Text made at random from the pieces identifiers are made of: the windows
 * find exactly what scanning the whole text finds. */
static void
windows_match_scans(void **state)
{
	static const char *const pieces[] = {
		"0", "1", "4", "7", "9", "00", "44", "07700", "900123", "943", "476", "5919",
		"1941", "12", "/", "-", ".", " ", "  ", "\n", "\t", "\xC2\xA0", "\xE2\x80\x83",
		"+", "(", ")", "(0)", ":", ",", "A", "a", "B", "b", "b.", "D", "d", "o", "M", "m",
		"SW", "LS", "1A", "1AA", "4AB", "8TH", "GIR", "gir", "EC", "th", "st",
		"DOB", "D.O.B.", "dob", "date of birth", "born", "born on", "is", "was",
		"the", "of", "March", "Sept", "september", "@", "x@example.org",
		"\xE2\x84\xAA", "\xC5\xBF", "\xC3\xA9", "\xD9\xA3", "\xF0\x9F\x98\x80", "AS-",
		"word", "\0",
	};
	fx *f = *state;
	uint32_t x = 12345u;
	char text[512];
	size_t found = 0;

	for (int i = 0; i < 20000; i++) {
		size_t len = 0, k = next_rand(&x) % 24;

		for (size_t j = 0; j < k; j++) {
			const char *p = pieces[next_rand(&x) % (sizeof pieces / sizeof pieces[0])];
			size_t pl = *p ? strlen(p) : 1;

			memcpy(text + len, p, pl);
			len += pl;
		}
		found += windows_agree(f, text, len);
	}
	/* the pieces do make identifiers, often */
	assert_true(found > 1000);
}

/* The hostile inputs below, with windows and without. */
static void
windows_on_hostile_input(void **state)
{
	fx *f = *state;
	size_t len = 1u * 1024 * 1024;
	uint32_t x = 7u;

	f->big = malloc(len);
	assert_non_null(f->big);
	/* digits in every window, and white space making DOB windows long */
	for (size_t i = 0; i < len; i++)
		f->big[i] = "0123456789 +()-/.bdBDoSWLA\n"[next_rand(&x) % 28];
	assert_true(windows_agree(f, f->big, len) > 0);
	/* DOB, a megabyte of spaces, then digits all the way */
	memset(f->big, ' ', len);
	memcpy(f->big, "DOB", 3);
	for (size_t i = len / 2; i < len; i += 2)
		f->big[i] = (char)('0' + i % 10);
	windows_agree(f, f->big, len);
}

/* ---- Errors -------------------------------------------------------------- */

static void
invalid_utf8(void **state)
{
	fx *f = *state;
	const char bad[] = "DOB 12/03/1941 caf\xE9";
	ca_err err = { 0 };

	ca_strbuf_adds(&f->out, "kept");
	assert_int_equal(ca_redact(f->r, bad, sizeof bad - 1, &f->out, &err), CA_EX_DATAERR);
	assert_string_equal(err.msg, "redact: text is not valid UTF-8 (byte 18)");
	assert_string_equal(f->out.data, "kept");       /* nothing appended */
	assert_int_equal(ca_redact_find(f->r, bad, sizeof bad - 1, &f->spans, &f->n, &err),
	    CA_EX_DATAERR);
	assert_null(f->spans);
	assert_int_equal(f->n, 0);
}

static void
nul_bytes_pass_through(void **state)
{
	fx *f = *state;
	const char s[] = "943 476 5919\0DOB 12/03/1941\0\xC3";   /* bad after the NUL */
	ca_err err = { 0 };

	assert_int_equal(find(f, s, sizeof s - 3), 2);  /* up to the second NUL */
	assert_span(&f->spans[0], CA_PII_NHS_NUMBER, 0, 12);
	assert_span(&f->spans[1], CA_PII_DATE_OF_BIRTH, 17, 27);
	/* A NUL does not end the check: the byte after it is still looked at. */
	free(f->spans);
	f->spans = NULL;
	assert_int_equal(ca_redact_find(f->r, s, sizeof s - 1, &f->spans, &f->n, &err),
	    CA_EX_DATAERR);
}

/* A search that runs out of budget is an error, never "nothing found". */
static void
match_limit_is_an_error(void **state)
{
	fx *f = *state;
	const char *s = "Write to anne.smith@example.org about DOB 12/03/1941.";
	ca_err err = { 0 };

	for (int jit = 1; jit >= 0; jit--) {
		ca_redactor_set_jit(f->r, jit);
		ca_redactor_set_match_limit(f->r, 1);
		ca_err_clear(&err);
		free(f->spans);
		assert_int_equal(ca_redact_find(f->r, s, strlen(s), &f->spans, &f->n, &err),
		    CA_EX_SOFTWARE);
		assert_null(f->spans);
		assert_int_equal(f->n, 0);
		assert_non_null(strstr(err.msg, "match limit"));
		assert_string_equal(ca_redactor_limit_hit(f->r), "match_limit");
		assert_null(strstr(err.msg, "anne"));   /* never the text */
		ca_strbuf_reset(&f->out);
		assert_int_equal(ca_redact(f->r, s, strlen(s), &f->out, &err), CA_EX_SOFTWARE);
		assert_int_equal(f->out.len, 0);
		ca_redactor_set_match_limit(f->r, CA_REDACT_MATCH_LIMIT);
		assert_int_equal(find(f, s, strlen(s)), 2);
	}
}

/* The interpreter (where PCRE2 has no JIT) also stops at its depth and heap
 * limits, with the same error as the match limit and the limit named;
 * never "nothing found".  JIT code is bound by the match limit alone. */
static void
depth_and_heap_limits(void **state)
{
	fx *f = *state;
	const char *s = "Write to anne.smith@example.org about DOB 12/03/1941.";
	static const struct {
		int depth;              /* else the heap */
		uint32_t value;
		const char *words, *name;
	} cases[] = {
		{ 1, 1, "depth limit", "depth_limit" },
		{ 0, 0, "heap limit", "heap_limit" },
	};
	ca_err err = { 0 };

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		if (cases[i].depth)
			ca_redactor_set_depth_limit(f->r, cases[i].value);
		else
			ca_redactor_set_heap_limit(f->r, cases[i].value);
		ca_redactor_set_jit(f->r, 0);
		ca_err_clear(&err);
		free(f->spans);
		f->spans = NULL;
		assert_int_equal(ca_redact_find(f->r, s, strlen(s), &f->spans, &f->n, &err),
		    CA_EX_SOFTWARE);
		assert_null(f->spans);
		assert_non_null(strstr(err.msg, cases[i].words));
		assert_null(strstr(err.msg, "anne"));
		assert_string_equal(ca_redactor_limit_hit(f->r), cases[i].name);
		ca_strbuf_reset(&f->out);
		assert_int_equal(ca_redact(f->r, s, strlen(s), &f->out, &err), CA_EX_SOFTWARE);
		assert_int_equal(f->out.len, 0);
		/* JIT ignores both, and finds the address and the date */
		ca_redactor_set_jit(f->r, 1);
		if (ca_redactor_uses_jit(f->r)) {
			assert_int_equal(find(f, s, strlen(s)), 2);
			assert_null(ca_redactor_limit_hit(f->r));
		}
		ca_redactor_set_depth_limit(f->r, CA_REDACT_DEPTH_LIMIT);
		ca_redactor_set_heap_limit(f->r, CA_REDACT_HEAP_LIMIT_KB);
		ca_redactor_set_jit(f->r, 0);
		assert_int_equal(find(f, s, strlen(s)), 2);
		assert_null(ca_redactor_limit_hit(f->r));
	}
	/* a failure that is no limit says so: invalid text */
	ca_redactor_set_match_limit(f->r, 1);
	ca_redactor_set_jit(f->r, 1);
	free(f->spans);
	f->spans = NULL;
	assert_int_equal(ca_redact_find(f->r, s, strlen(s), &f->spans, &f->n, &err), CA_EX_SOFTWARE);
	assert_non_null(ca_redactor_limit_hit(f->r));
	assert_int_equal(ca_redact_find(f->r, "caf\xE9", 4, &f->spans, &f->n, &err), CA_EX_DATAERR);
	assert_null(ca_redactor_limit_hit(f->r));
}

/* Nothing to do is not an error, even with no buffer at all. */
static void
empty_text(void **state)
{
	fx *f = *state;
	ca_err err = { 0 };

	assert_int_equal(ca_redact_find(f->r, NULL, 0, &f->spans, &f->n, &err), 0);
	assert_null(f->spans);
	assert_int_equal(f->n, 0);
	assert_int_equal(ca_redact(f->r, NULL, 0, &f->out, &err), 0);
	assert_int_equal(f->out.len, 0);
}

static void
labels_and_names(void **state)
{
	(void)state;
	assert_string_equal(ca_pii_label(CA_PII_NHS_NUMBER), "[NHS number]");
	assert_string_equal(ca_pii_label(CA_PII_POSTCODE), "[postcode]");
	assert_string_equal(ca_pii_label(CA_PII_PHONE), "[phone]");
	assert_string_equal(ca_pii_label(CA_PII_EMAIL), "[email]");
	assert_string_equal(ca_pii_label(CA_PII_DATE_OF_BIRTH), "[date of birth]");
	assert_string_equal(ca_pii_name(CA_PII_NHS_NUMBER), "nhs_number");
	assert_string_equal(ca_pii_name(CA_PII_DATE_OF_BIRTH), "date_of_birth");
}

/* ---- Large and hostile input --------------------------------------------- */

/* 10 MB of digits and spaces at random: whatever is found must be real. */
static void
big_digits_and_spaces(void **state)
{
	fx *f = *state;
	uint32_t x = 2463534242u;
	size_t nhs = 0;

	f->big = malloc(BIG);
	assert_non_null(f->big);
	for (size_t i = 0; i < BIG; i++)
		f->big[i] = next_rand(&x) % 4 == 0 ? ' ' : (char)('0' + next_rand(&x) % 10);
	find(f, f->big, BIG);
	assert_well_formed(f->spans, f->n, BIG);
	for (size_t i = 0; i < f->n; i++) {
		const ca_pii_span *s = &f->spans[i];
		char d[32];
		size_t k = 0;
		int phone_start = 0;

		for (size_t j = s->start; j < s->end; j++) {
			if (f->big[j] == ' ')
				continue;
			if (f->big[j] == '0' && (j == s->start || f->big[j - 1] == ' '))
				phone_start = 1;
			if (k < sizeof d)
				d[k++] = f->big[j];
		}
		/* Where an NHS number and a telephone number overlap, the span
		 * covers both, under the longer one's kind. */
		if (s->kind == CA_PII_NHS_NUMBER) {
			nhs++;
			assert_true(k >= 10);
			if (k == 10)
				assert_true(ca_nhs_check_digit_ok(d));
		} else {
			assert_int_equal(s->kind, CA_PII_PHONE);
			assert_true(phone_start);
			assert_true(k >= 10);
		}
	}
	assert_true(nhs > 0);
}

/* The same number over and over, separated by single spaces. */
static void
big_repeated_numbers(void **state)
{
	fx *f = *state;
	const char *unit = "943 476 5919 ";
	size_t ul = strlen(unit), reps = BIG / ul;

	f->big = malloc(BIG);
	assert_non_null(f->big);
	for (size_t i = 0; i < reps; i++)
		memcpy(f->big + i * ul, unit, ul);
	assert_int_equal(find(f, f->big, reps * ul), reps);
	assert_span(&f->spans[reps - 1], CA_PII_NHS_NUMBER, (reps - 1) * ul, reps * ul - 1);
	/* And digits with no space at all: one run, nothing in it. */
	memset(f->big, '7', BIG);
	assert_int_equal(find(f, f->big, BIG), 0);
	/* "0 0 0 ...": a telephone number could start at every 0. */
	for (size_t i = 0; i < BIG; i++)
		f->big[i] = i % 2 ? ' ' : '0';
	assert_int_equal(find(f, f->big, BIG), 0);
}

/* 10 MB of @ and dots, then one real address at the very end. */
static void
big_ats_and_dots(void **state)
{
	fx *f = *state;
	const char *tail = " anne@example.org";
	size_t tl = strlen(tail), body = BIG - tl;
	uint32_t x = 88172645u;

	f->big = malloc(BIG);
	assert_non_null(f->big);
	for (size_t i = 0; i < body; i++)
		f->big[i] = i % 2 ? '.' : '@';
	memcpy(f->big + body, tail, tl);
	assert_int_equal(find(f, f->big, BIG), 1);
	assert_span(&f->spans[0], CA_PII_EMAIL, body + 1, BIG);
	/* At random, with letters among them: addresses like a@a.aa appear;
	 * each must really be one. */
	for (size_t i = 0; i < BIG; i++)
		f->big[i] = "@.@.a"[next_rand(&x) % 5];
	find(f, f->big, BIG);
	assert_well_formed(f->spans, f->n, BIG);
	for (size_t i = 0; i < f->n; i++) {
		assert_int_equal(f->spans[i].kind, CA_PII_EMAIL);
		assert_non_null(memchr(f->big + f->spans[i].start, '@',
		    f->spans[i].end - f->spans[i].start));
	}
	/* Long runs of what addresses are made of, with no end in sight. */
	for (size_t i = 0; i < BIG; i++)
		f->big[i] = i % 2 ? '.' : 'a';
	f->big[BIG / 2 + 1] = '@';          /* a.a@a.a, 5 MB each side */
	assert_int_equal(find(f, f->big, BIG), 0);
}

/* The introducing words, then 10 MB of white space, then a date. */
static void
big_white_space(void **state)
{
	fx *f = *state;

	f->big = malloc(BIG);
	assert_non_null(f->big);
	memset(f->big, ' ', BIG);
	memcpy(f->big, "DOB", 3);
	memcpy(f->big + BIG - 10, "12/03/1941", 10);
	assert_int_equal(find(f, f->big, BIG), 1);
	assert_span(&f->spans[0], CA_PII_DATE_OF_BIRTH, BIG - 10, BIG);
	memset(f->big + BIG - 10, ' ', 10);
	assert_int_equal(find(f, f->big, BIG), 0);
}

/* The interpreter, on a smaller hostile input: slower, but the same. */
static void
interpreter_on_hostile_input(void **state)
{
	fx *f = *state;
	size_t len = 2u * 1024 * 1024, jit_n;
	uint32_t x = 1u;

	f->big = malloc(len);
	assert_non_null(f->big);
	for (size_t i = 0; i < len; i++)
		f->big[i] = "0123456789 +()-@.aAB"[next_rand(&x) % 20];
	jit_n = find(f, f->big, len);
	assert_true(jit_n > 0);
	f->spans2 = f->spans;
	f->spans = NULL;
	ca_redactor_set_jit(f->r, 0);
	assert_int_equal(find(f, f->big, len), jit_n);
	for (size_t i = 0; i < jit_n; i++)
		assert_span(&f->spans[i], f->spans2[i].kind, f->spans2[i].start,
		    f->spans2[i].end);
}

/* ---- The demo caseload --------------------------------------------------- */

/* Every narrative the generator plants personal data in is cleaned. */
static void
demo_caseload(void **state)
{
	fx *f = *state;
	ca_generate_opts o = { .assessments = 2000, .seed = 1 };
	ca_generate_stats st;
	ca_err err = { 0 };
	char path[4096];
	FILE *in;
	long size;
	const char *p;
	static const char *const labels[] = {
		"[NHS number]", "[postcode]", "[phone]", "[email]", "[date of birth]"
	};
	static const char *const before[] = {
		"NHS number is ", "NHS no. ", "NHS No: ", "contacted on ", "called on ",
		"left a number, ", "by email to ",
		"email address is ", "DOB ", "Date of birth: ", "date of birth, "
	};

	f->dir = test_tempdir();
	o.out_dir = f->dir;
	assert_int_equal(ca_generate(&o, &st, &err), 0);
	snprintf(path, sizeof path, "%s/assessments.csv", f->dir);
	in = fopen(path, "rb");
	assert_non_null(in);
	fseek(in, 0, SEEK_END);
	size = ftell(in);
	rewind(in);
	f->big = malloc((size_t)size + 1);
	if (f->big == NULL || fread(f->big, 1, (size_t)size, in) != (size_t)size) {
		fclose(in);
		fail_msg("cannot read %s", path);
	}
	fclose(in);
	f->big[size] = '\0';
	assert_int_equal(ca_redact(f->r, f->big, (size_t)size, &f->out, &err), 0);
	for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
		assert_non_null(strstr(f->out.data, labels[i]));
	/* Every phrase the generator puts personal data after is now
	 * followed by a mask (the phrases appear nowhere else). */
	assert_null(strchr(f->out.data, '@'));
	for (size_t i = 0; i < sizeof before / sizeof before[0]; i++) {
		size_t bl = strlen(before[i]);

		for (p = f->out.data; (p = strstr(p, before[i])) != NULL; p += bl)
			if (p[bl] != '[')
				fail_msg("\"%s\" is followed by \"%.20s\"", before[i], p + bl);
	}
}

/* ---- The command --------------------------------------------------------- */

static void
cli_masks_stdin(void **state)
{
	fx *f = *state;
	const char *in = "Seen at home (DOB 12/03/1941), tel 07700 900123.\n"
	    "Visited on 12/03/2026; Si\xC3\xA2n's email: sian@example.org\n";

	run_redact(f, in, strlen(in), NULL, NULL);
	assert_int_equal(f->run.status, 0);
	assert_string_equal(f->run.out, "Seen at home (DOB [date of birth]), tel [phone].\n"
	    "Visited on 12/03/2026; Si\xC3\xA2n's email: [email]\n");
	assert_string_equal(f->run.err, "");
}

static void
cli_json(void **state)
{
	fx *f = *state;
	const char *in = "tel 07700 900123, NHS 943 476 5919";

	run_redact(f, in, strlen(in), "--format", "json");
	assert_int_equal(f->run.status, 0);
	assert_string_equal(f->run.out, "{\"spans\": ["
	    "{\"kind\": \"phone\", \"start\": 4, \"end\": 16}, "
	    "{\"kind\": \"nhs_number\", \"start\": 22, \"end\": 34}]}\n");
	test_run_free(&f->run);
	run_redact(f, "", 0, "--format=json", NULL);
	assert_int_equal(f->run.status, 0);
	assert_string_equal(f->run.out, "{\"spans\": []}\n");
}

static void
cli_invalid_utf8(void **state)
{
	fx *f = *state;
	const char in[] = "NHS 943 476 5919, caf\xE9 with Mrs Secret\n";

	run_redact(f, in, sizeof in - 1, NULL, NULL);
	assert_int_equal(f->run.status, 65);
	assert_string_equal(f->run.out, "");
	assert_string_equal(f->run.err,
	    "caseaudit: redact: standard input is not valid UTF-8 (byte 21)\n");
	assert_null(strstr(f->run.err, "Secret"));
}

static void
cli_empty_and_usage(void **state)
{
	fx *f = *state;

	run_redact(f, "", 0, NULL, NULL);
	assert_int_equal(f->run.status, 0);
	assert_string_equal(f->run.out, "");
	test_run_free(&f->run);

	run_redact(f, "x", 1, "--help", NULL);
	assert_int_equal(f->run.status, 0);
	assert_non_null(strstr(f->run.out, "usage: caseaudit redact"));
	assert_non_null(strstr(f->run.out, "[NHS number]"));
	assert_non_null(strstr(f->run.out, "exit status"));
	test_run_free(&f->run);

	run_redact(f, "x", 1, "--format", "csv");
	assert_int_equal(f->run.status, 64);
	assert_string_equal(f->run.out, "");
	test_run_free(&f->run);

	run_redact(f, "x", 1, "notes.txt", NULL);
	assert_int_equal(f->run.status, 64);
	assert_non_null(strstr(f->run.err, "standard input"));
	test_run_free(&f->run);

	run_redact(f, "x", 1, "--bogus", NULL);
	assert_int_equal(f->run.status, 64);
	assert_non_null(strstr(f->run.err, "--bogus"));
}

/* 10 MB through the real binary, checked line for line. */
static void
cli_big_input(void **state)
{
	fx *f = *state;
	const char *line = "Tel 07700 900123, DOB 12/03/1941, NHS 9434765919, "
	    "seen 12/03/2026 at LS1 4AB \xF0\x9F\x98\x80\n";
	const char *want = "Tel [phone], DOB [date of birth], NHS [NHS number], "
	    "seen 12/03/2026 at [postcode] \xF0\x9F\x98\x80\n";
	size_t ll = strlen(line), wl = strlen(want), reps = BIG / ll;

	f->big = malloc(BIG);
	assert_non_null(f->big);
	for (size_t i = 0; i < reps; i++)
		memcpy(f->big + i * ll, line, ll);
	run_redact(f, f->big, reps * ll, NULL, NULL);
	assert_int_equal(f->run.status, 0);
	assert_int_equal(strlen(f->run.out), reps * wl);
	for (size_t i = 0; i < reps; i++)
		if (memcmp(f->run.out + i * wl, want, wl) != 0)
			fail_msg("line %zu differs", i + 1);
}

int
main(void)
{
#define T(name) cmocka_unit_test_teardown(name, test_teardown)
	const struct CMUnitTest tests[] = {
		T(nhs_check_digit),
		T(nhs_numbers),
		T(postcodes),
		T(phones),
		T(emails),
		T(dates_of_birth),
		T(date_of_birth_span),
		T(mixed_text),
		T(overlapping),
		T(unicode_offsets),
		T(window_edges),
		T(windows_match_scans),
		T(windows_on_hostile_input),
		T(invalid_utf8),
		T(nul_bytes_pass_through),
		T(match_limit_is_an_error),
		T(depth_and_heap_limits),
		T(empty_text),
		T(labels_and_names),
		T(big_digits_and_spaces),
		T(big_repeated_numbers),
		T(big_ats_and_dots),
		T(big_white_space),
		T(interpreter_on_hostile_input),
		T(demo_caseload),
		T(cli_masks_stdin),
		T(cli_json),
		T(cli_invalid_utf8),
		T(cli_empty_and_usage),
		T(cli_big_input),
	};
#undef T

	return cmocka_run_group_tests_name("redact", tests, group_setup, group_teardown);
}
