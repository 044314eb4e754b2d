/*
 * redact.c - finding and masking personal data in free text; see redact.h.
 *
 * Each kind of personal data has its own PCRE2 pattern (one giant
 * alternation is slow and hard to reason about).  A pattern finds
 * candidates; where a regular expression cannot say everything, a small C
 * check decides: the NHS modulus-11 check digit, and the number of digits
 * a UK telephone number may have.  Candidates of all kinds are then sorted
 * and overlapping ones joined, so what comes out is one sorted set of
 * spans with no byte shown that any rule flagged.
 *
 * The patterns are written so that no input makes them backtrack without
 * bound: every repetition is bounded or followed by something it cannot
 * also match, and lookbehinds stop a search starting inside a longer run of
 * digits or letters.  The match limit is there for the day one is edited
 * carelessly; hitting it is an error, never "nothing found".
 *
 * Speed.  Four of the five kinds hold an ASCII digit within a few
 * characters of where they start, and narratives are mostly words: the
 * postcode pattern, whose first character can be almost any letter, would
 * otherwise be tried at nearly every letter of every text that holds a
 * date.  So those four are tried, anchored, only in the windows just
 * before and over each run of digits (find_in_windows); everywhere else
 * they cannot match.  The windows give exactly the matches a scan of the
 * whole text gives; ca_redactor_set_windows turns them off, for the tests
 * and the fuzzer to compare the two.
 */
#include "redact.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

/* ---- The patterns ------------------------------------------------------ */

/* Characters that continue a word or a number: a match may not start or
 * end next to one. */
#define WORDCH "\\p{L}\\p{N}_"

/* A separator between digit groups: space, no-break space or hyphen. */
#define DIGSEP "[ \\x{A0}\\-]"

/*
 * NHS number: 3-3-4 digits, with the same separator (or none) between the
 * groups.  Not inside a word or a longer number, nor a decimal fraction
 * ("0.9434765919").  The check digit is tested in C.
 */
static const char pat_nhs[] =
	"(?<![" WORDCH "])(?<![0-9]\\.)"
	"[0-9]{3}(" DIGSEP "?)[0-9]{3}\\1[0-9]{4}"
	"(?![" WORDCH "])(?!\\.[0-9])";

/*
 * UK postcode: the six formats of the outward code with the letters the
 * Royal Mail allows in each position, an optional space, and the inward
 * code (a digit and two letters, never C, I, K, M, O or V); and GIR 0AA.
 * Matched without regard to case, except that an inward code written as a
 * lower-case ordinal ("flat B2 4th floor") is not a postcode.
 */
static const char pat_postcode[] =
	"(?<![" WORDCH "])"
	"(?:"
	    "GIR[ \\x{A0}]?0AA"
	"|"
	    "(?:"
	        "[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRVWXY]"   /* AA9A */
	    "|"  "[A-PR-UWYZ][0-9][A-HJKPSTUW]"            /* A9A */
	    "|"  "[A-PR-UWYZ][A-HK-Y][0-9][0-9]?"          /* AA9, AA99 */
	    "|"  "[A-PR-UWYZ][0-9][0-9]?"                  /* A9, A99 */
	    ")"
	    "[ \\x{A0}]?"
	    "(?!(?-i:1st|2nd|3rd|[04-9]th)(?![" WORDCH "]))"
	    "[0-9][ABD-HJLNP-UW-Z]{2}"
	")"
	"(?![" WORDCH "])";

/*
 * UK telephone number: a national number starting with 0, optionally with
 * the area code in brackets, or an international one (+44, 0044, (+44))
 * with or without "(0)"; digits in groups separated by one space or
 * hyphen.  The pattern takes up to 13 digits; the C check then cuts the
 * run at a group boundary to a length the numbering plan allows.  Masked
 * even right after a hyphen or slash ("07700 900456/07700 900123", or a
 * reference made of a phone-shaped number): masking a little too much is
 * safe, leaving a number showing is not.
 */
static const char pat_phone[] =
	"(?<![" WORDCH "+])"
	"(?:"
	    "(?:\\+44|\\(\\+44\\)|0044)" DIGSEP "?(?:\\(0\\)" DIGSEP "?|0)?[1-9]"
	"|"
	    "\\(0[1-9][0-9]{1,4}\\)"
	"|"
	    "0[1-9]"
	")"
	"(?:" DIGSEP "?[0-9]){6,11}"
	"(?![0-9])";

/*
 * Email address: a local part of letters, digits and _%+-.' (at most 64
 * characters, the limit of RFC 5321), an @, and a domain of two to nine
 * labels of at most 63 characters, the last all letters.  The bounds are
 * what keep a megabyte of "a.a.a..." cheap; an address beyond them is not
 * one a mail server would take either.
 */
static const char pat_email[] =
	"(?<![" WORDCH "%+\\-.'])"
	"[" WORDCH "%+\\-][" WORDCH "%+\\-.']{0,63}"
	"@"
	"(?:[\\p{L}\\p{N}][\\p{L}\\p{N}\\-]{0,62}\\.){1,8}\\p{L}{2,63}"
	"(?![" WORDCH "\\-])";

/*
 * Date of birth: a date in one of the accepted forms, introduced by DOB,
 * D.O.B., date of birth, born, born on, or b. (lower case only: "B." is
 * too often an initial), then perhaps a closing bracket ("date of birth
 * (DOB): ..."), a colon, dash or comma, "is", "was", "on", "the", or an
 * opening bracket.  Only the date itself (group 1) is masked; the
 * introducing words stay, so a reader still knows what was there.
 */
#define DAY "(?:0?[1-9]|[12][0-9]|3[01])"
#define MON "(?:0?[1-9]|1[0-2])"
#define ORD "(?:st|nd|rd|th)?"
#define MONTH \
	"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?" \
	"|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?" \
	"|dec(?:ember)?)(?![\\p{L}])\\.?"

static const char pat_dob[] =
	"(?<![" WORDCH "])"
	"(?:d\\.?[ ]?o\\.?[ ]?b\\.?|date\\s++of\\s++birth|born(?:\\s++on)?|(?-i:b\\.))"
	"\\h*+\\)?\\h*+[:=,\\-\\x{2013}\\x{2014}]?\\s*+"
	"(?:(?:is|was|on)\\s++)?(?:the\\s++)?[(\\[]?"
	"("
	    DAY "([/.\\-])" MON "\\g{-1}(?:[0-9]{4}|[0-9]{2})"
	"|"
	    "[0-9]{4}([/.\\-])" MON "\\g{-1}" DAY
	"|"
	    DAY ORD "\\s++(?:of\\s++)?" MONTH ",?\\s++[0-9]{4}"
	"|"
	    MONTH "\\s++" DAY ORD ",?\\s++[0-9]{4}"
	")"
	"(?![" WORDCH "])(?![/.\\-][0-9])";

/*
 * How far before its first digit a match can start, for the windows.  The
 * count is of "counted" characters only: printable ASCII other than the
 * space.  White space, control characters and everything outside ASCII
 * count nothing, because the patterns take unbounded runs of white space
 * (\s++, \h*+) and a few non-ASCII characters stand for ASCII letters when
 * case is ignored (KELVIN SIGN, LONG S); counting fewer characters can only
 * make a window longer, never miss a start.  From the patterns above:
 *   NHS number  starts with its first digit: 0.
 *   postcode    "GIR 0AA" (G, I, R before the 0); otherwise at most two
 *               letters: 3.
 *   phone       "(+44": 2.
 *   DOB         "date of birth" 11, ")" 1, one of ":=,-" 1, "was" 3,
 *               "the" 3, "(" 1, then "september." 10 before the day: 30.
 *               The other date forms start with a digit.
 * NO_WINDOW: the pattern needs no digit (email), and scans the text.
 */
#define NO_WINDOW (-1)

typedef int (*check_fn)(const char *text, size_t *start, size_t *end);

static int check_nhs(const char *text, size_t *start, size_t *end);
static int check_phone(const char *text, size_t *start, size_t *end);

static const struct pattern {
	ca_pii_kind kind;
	const char *source;
	uint32_t options;       /* beyond PCRE2_UTF | PCRE2_UCP */
	int group;              /* the capture group that is the span */
	int needs_at;           /* only worth running when the text has an @ */
	int needs_digit;        /* ... when it has an ASCII digit: every match does */
	int digit_back;         /* counted characters before the first digit, or NO_WINDOW */
	check_fn check;         /* NULL: the pattern says everything */
} patterns[] = {
	{ CA_PII_NHS_NUMBER, pat_nhs, 0, 0, 0, 1, 0, check_nhs },
	{ CA_PII_POSTCODE, pat_postcode, PCRE2_CASELESS, 0, 0, 1, 3, NULL },
	{ CA_PII_PHONE, pat_phone, 0, 0, 0, 1, 2, check_phone },
	{ CA_PII_EMAIL, pat_email, PCRE2_CASELESS, 0, 1, 0, NO_WINDOW, NULL },
	{ CA_PII_DATE_OF_BIRTH, pat_dob, PCRE2_CASELESS, 1, 0, 1, 30, NULL },
};
#define NPATTERNS (sizeof patterns / sizeof patterns[0])

struct ca_redactor {
	pcre2_code *re[NPATTERNS];
	/* The same patterns compiled anchored, tried at the places in the
	 * windows; NULL for those without windows. */
	pcre2_code *anchored[NPATTERNS];
	/* Bytes a match can start with, from PCRE2's own start-of-match
	 * table (PCRE2_INFO_FIRSTBITMAP: a scan skips every other place, so
	 * the windows may too); all 1 when PCRE2 has no such table. */
	unsigned char first[NPATTERNS][256];
	pcre2_match_data *md;
	pcre2_match_context *mctx;
	pcre2_jit_stack *stack;
	int jit_compiled;       /* every pattern has JIT code */
	int jit_on;             /* use it (ca_redactor_set_jit) */
	int windows;            /* try digit patterns only near digits */
	const char *limit;      /* the limit the last find stopped at, or NULL */
};

/* ---- Checks done in C -------------------------------------------------- */

int
ca_nhs_check_digit_ok(const char digits[10])
{
	int sum = 0, check;

	for (int i = 0; i < 10; i++)
		if (digits[i] < '0' || digits[i] > '9')
			return 0;
	/* Weights 10 down to 2 on the first nine digits (NHS Data Dictionary). */
	for (int i = 0; i < 9; i++)
		sum += (digits[i] - '0') * (10 - i);
	check = 11 - sum % 11;
	if (check == 11)
		check = 0;
	/* A remainder giving 10 means the number was never issued. */
	return check != 10 && check == digits[9] - '0';
}

static int
check_nhs(const char *text, size_t *start, size_t *end)
{
	char d[10];
	int n = 0;

	for (size_t i = *start; i < *end && n < 10; i++)
		if (text[i] >= '0' && text[i] <= '9')
			d[n++] = text[i];
	return n == 10 && ca_nhs_check_digit_ok(d);
}

/*
 * Ofcom's numbering plan, as the national number (with its leading 0)
 * is written: 01 geographic numbers have 10 or 11 digits, 08 numbers 10
 * or 11, and 02, 03, 05 and 07 numbers 11.  04, 06 and 09 (premium rate)
 * are not numbers a person gives as their own.
 */
static int
national_length_ok(const char *nat, int len)
{
	if (len < 10 || nat[0] != '0')
		return 0;
	switch (nat[1]) {
	case '1':
	case '8':
		return len == 10 || len == 11;
	case '2':
	case '3':
	case '5':
	case '7':
		return len == 11;
	default:
		return 0;
	}
}

/*
 * The pattern may take more digits than a number has ("0113 496 0123 2
 * visits"); cut the candidate at the longest group boundary that leaves a
 * number of an allowed length.  International forms are turned into the
 * national form first: +44 (0)113 ... is 0113 ....
 */
static int
check_phone(const char *text, size_t *start, size_t *end)
{
	char nat[24];
	int nlen = 0, intl = 0, seen = 0;
	size_t cut[24];
	int cutlen[24], ncut = 0;
	size_t i = *start;

	if (text[i] == '(' && text[i + 1] == '+') {
		intl = 1;
		i += 4;                         /* "(+44" */
	} else if (text[i] == '+') {
		intl = 1;
		i += 3;                         /* "+44" */
	} else if (text[i] == '0' && text[i + 1] == '0') {
		intl = 1;
		i += 4;                         /* "0044" */
	}
	if (intl)
		nat[nlen++] = '0';
	for (; i < *end; i++) {
		char c = text[i];

		if (c < '0' || c > '9')
			continue;
		/* "+44 (0)113" and "+44 0113": the trunk 0 is already there. */
		if (intl && !seen && c == '0') {
			seen = 1;
			continue;
		}
		seen = 1;
		if (nlen >= (int)sizeof nat)
			return 0;
		nat[nlen++] = c;
		if (i + 1 >= *end || text[i + 1] < '0' || text[i + 1] > '9') {
			if (ncut < (int)(sizeof cut / sizeof cut[0])) {
				cut[ncut] = i + 1;
				cutlen[ncut] = nlen;
				ncut++;
			}
		}
	}
	for (int k = ncut - 1; k >= 0; k--) {
		if (national_length_ok(nat, cutlen[k])) {
			*end = cut[k];
			return 1;
		}
	}
	return 0;
}

/* ---- The redactor ------------------------------------------------------ */

const char *
ca_pii_label(ca_pii_kind kind)
{
	switch (kind) {
	case CA_PII_NHS_NUMBER: return "[NHS number]";
	case CA_PII_POSTCODE: return "[postcode]";
	case CA_PII_PHONE: return "[phone]";
	case CA_PII_EMAIL: return "[email]";
	case CA_PII_DATE_OF_BIRTH: return "[date of birth]";
	}
	return "[personal data]";
}

const char *
ca_pii_name(ca_pii_kind kind)
{
	switch (kind) {
	case CA_PII_NHS_NUMBER: return "nhs_number";
	case CA_PII_POSTCODE: return "postcode";
	case CA_PII_PHONE: return "phone";
	case CA_PII_EMAIL: return "email";
	case CA_PII_DATE_OF_BIRTH: return "date_of_birth";
	}
	return "unknown";
}

void
ca_redactor_free(ca_redactor *r)
{
	if (r == NULL)
		return;
	for (size_t i = 0; i < NPATTERNS; i++) {
		pcre2_code_free(r->re[i]);
		pcre2_code_free(r->anchored[i]);
	}
	pcre2_match_data_free(r->md);
	pcre2_match_context_free(r->mctx);
	pcre2_jit_stack_free(r->stack);
	free(r);
}

int
ca_redactor_new(ca_redactor **out, ca_err *err)
{
	ca_redactor *r;
	uint32_t pairs = 1;

	*out = NULL;
	if ((r = calloc(1, sizeof *r)) == NULL)
		return ca_err_set(err, CA_EX_SOFTWARE, "redact: out of memory");
	r->jit_compiled = 1;
	r->jit_on = 1;
	r->windows = 1;
	for (size_t i = 0; i < NPATTERNS; i++) {
		const struct pattern *p = &patterns[i];
		PCRE2_UCHAR msg[256];
		PCRE2_SIZE at;
		int code;
		uint32_t groups = 0, type = 1;
		size_t jitsize = 0;
		const uint8_t *bitmap = NULL;

		r->re[i] = pcre2_compile((PCRE2_SPTR)p->source, PCRE2_ZERO_TERMINATED,
		    PCRE2_UTF | PCRE2_UCP | p->options, &code, &at, NULL);
		if (r->re[i] != NULL && p->digit_back != NO_WINDOW)
			r->anchored[i] = pcre2_compile((PCRE2_SPTR)p->source, PCRE2_ZERO_TERMINATED,
			    PCRE2_UTF | PCRE2_UCP | PCRE2_ANCHORED | p->options, &code, &at, NULL);
		if (r->re[i] == NULL || (p->digit_back != NO_WINDOW && r->anchored[i] == NULL)) {
			/* Our own constant, so this is a bug: say where. */
			pcre2_get_error_message(code, msg, sizeof msg);
			ca_err_set(err, CA_EX_SOFTWARE,
			    "redact: the %s pattern does not compile: %s (at offset %zu)",
			    ca_pii_name(p->kind), (const char *)msg, (size_t)at);
			ca_redactor_free(r);
			return CA_EX_SOFTWARE;
		}
		/* Without JIT (a platform PCRE2 was built without it) matching
		 * still works, only slower: pcre2_match falls back by itself. */
		if (pcre2_jit_compile(r->re[i], PCRE2_JIT_COMPLETE) != 0 ||
		    pcre2_pattern_info(r->re[i], PCRE2_INFO_JITSIZE, &jitsize) != 0 ||
		    jitsize == 0)
			r->jit_compiled = 0;
		if (r->anchored[i] != NULL &&
		    (pcre2_jit_compile(r->anchored[i], PCRE2_JIT_COMPLETE) != 0 ||
		    pcre2_pattern_info(r->anchored[i], PCRE2_INFO_JITSIZE, &jitsize) != 0 ||
		    jitsize == 0))
			r->jit_compiled = 0;
		/* A fixed first code unit (type 1) would need its case
		 * handled here: not worth it, so only the table is used. */
		memset(r->first[i], 1, sizeof r->first[i]);
		if (pcre2_pattern_info(r->re[i], PCRE2_INFO_FIRSTCODETYPE, &type) == 0 &&
		    type == 0 &&
		    pcre2_pattern_info(r->re[i], PCRE2_INFO_FIRSTBITMAP, &bitmap) == 0 &&
		    bitmap != NULL)
			for (unsigned b = 0; b < 256; b++)
				r->first[i][b] = (bitmap[b / 8] >> (b % 8)) & 1u;
		pcre2_pattern_info(r->re[i], PCRE2_INFO_CAPTURECOUNT, &groups);
		if (groups + 1 > pairs)
			pairs = groups + 1;
	}
	r->md = pcre2_match_data_create(pairs, NULL);
	r->mctx = pcre2_match_context_create(NULL);
	if (r->md == NULL || r->mctx == NULL) {
		ca_redactor_free(r);
		return ca_err_set(err, CA_EX_SOFTWARE, "redact: out of memory");
	}
	if (r->jit_compiled) {
		r->stack = pcre2_jit_stack_create(32 * 1024, 512 * 1024, NULL);
		if (r->stack == NULL) {
			ca_redactor_free(r);
			return ca_err_set(err, CA_EX_SOFTWARE, "redact: out of memory");
		}
		pcre2_jit_stack_assign(r->mctx, NULL, r->stack);
	}
	ca_redactor_set_match_limit(r, CA_REDACT_MATCH_LIMIT);
	ca_redactor_set_depth_limit(r, CA_REDACT_DEPTH_LIMIT);
	ca_redactor_set_heap_limit(r, CA_REDACT_HEAP_LIMIT_KB);
	*out = r;
	return 0;
}

void
ca_redactor_set_match_limit(ca_redactor *r, uint32_t limit)
{
	pcre2_set_match_limit(r->mctx, limit);
}

void
ca_redactor_set_depth_limit(ca_redactor *r, uint32_t limit)
{
	pcre2_set_depth_limit(r->mctx, limit);
}

void
ca_redactor_set_heap_limit(ca_redactor *r, uint32_t kib)
{
	pcre2_set_heap_limit(r->mctx, kib);
}

const char *
ca_redactor_limit_hit(const ca_redactor *r)
{
	return r->limit;
}

void
ca_redactor_set_jit(ca_redactor *r, int on)
{
	r->jit_on = on != 0;
}

void
ca_redactor_set_windows(ca_redactor *r, int on)
{
	r->windows = on != 0;
}

int
ca_redactor_uses_jit(const ca_redactor *r)
{
	return r->jit_compiled && r->jit_on;
}

/* ---- Finding ----------------------------------------------------------- */

typedef struct spanvec {
	ca_pii_span *v;
	size_t n, cap;
} spanvec;

static int
push(spanvec *s, ca_pii_kind kind, size_t start, size_t end)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;
		ca_pii_span *nv;

		if (cap > SIZE_MAX / sizeof *nv)
			return -1;
		if ((nv = realloc(s->v, cap * sizeof *nv)) == NULL)
			return -1;
		s->v = nv;
		s->cap = cap;
	}
	s->v[s->n].kind = kind;
	s->v[s->n].start = start;
	s->v[s->n].end = end;
	s->n++;
	return 0;
}

/* The start of the next character after offset at (text is valid UTF-8). */
static size_t
next_char(const char *text, size_t len, size_t at)
{
	at++;
	while (at < len && ((unsigned char)text[at] & 0xC0) == 0x80)
		at++;
	return at;
}

static int
has_digit(const char *text, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (text[i] >= '0' && text[i] <= '9')
			return 1;
	return 0;
}

const char *
ca_pcre2_limit_name(int rc)
{
	switch (rc) {
	case PCRE2_ERROR_MATCHLIMIT: return "match_limit";
	case PCRE2_ERROR_DEPTHLIMIT: return "depth_limit";
	case PCRE2_ERROR_HEAPLIMIT: return "heap_limit";
	case PCRE2_ERROR_JIT_STACKLIMIT: return "jit_stack";
	}
	return NULL;
}

/* The limit, in words for a message. */
static const char *
limit_words(int rc)
{
	switch (rc) {
	case PCRE2_ERROR_DEPTHLIMIT: return "depth limit";
	case PCRE2_ERROR_HEAPLIMIT: return "heap limit";
	case PCRE2_ERROR_JIT_STACKLIMIT: return "JIT stack limit";
	}
	return "match limit";
}

/*
 * What one pcre2_match at `at` gave: 1 no match; 0 a match, checked and
 * perhaps kept, with *at moved to where the next search starts; or an
 * error.  The same for a scan of the text and for the windows, so that
 * both keep and skip exactly the same candidates.
 */
static int
take(ca_redactor *r, size_t pi, int rc, const char *text, size_t len, size_t *at,
    spanvec *s, ca_err *err)
{
	const struct pattern *p = &patterns[pi];
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(r->md);
	size_t start, end, mstart, mend;

	if (rc == PCRE2_ERROR_NOMATCH)
		return 1;
	if ((r->limit = ca_pcre2_limit_name(rc)) != NULL)
		return ca_err_set(err, CA_EX_SOFTWARE,
		    "redact: the %s rule hit its %s searching from byte %zu;"
		    " the text could not be fully checked", ca_pii_name(p->kind), limit_words(rc), *at);
	if (rc < 0) {
		PCRE2_UCHAR msg[256];

		pcre2_get_error_message(rc, msg, sizeof msg);
		return ca_err_set(err, CA_EX_SOFTWARE, "redact: the %s rule failed: %s",
		    ca_pii_name(p->kind), (const char *)msg);
	}
	mstart = ov[0];
	mend = ov[1];
	start = ov[2 * p->group];
	end = ov[2 * p->group + 1];
	if (p->check == NULL || p->check(text, &start, &end)) {
		if (end > start && push(s, p->kind, start, end) != 0)
			return ca_err_set(err, CA_EX_SOFTWARE, "redact: out of memory");
		*at = mend > mstart ? mend : next_char(text, len, mstart);
	} else {
		/* A rejected candidate may hide a real one starting inside
		 * it ("0 07700 900123"): look again one character on. */
		*at = next_char(text, len, mstart);
	}
	return 0;
}

/* Every candidate of one pattern, scanning the whole text, appended to s. */
static int
scan(ca_redactor *r, size_t pi, const char *text, size_t len, spanvec *s, ca_err *err)
{
	const struct pattern *p = &patterns[pi];
	uint32_t opts = PCRE2_NO_UTF_CHECK | (ca_redactor_uses_jit(r) ? 0 : PCRE2_NO_JIT);
	size_t at = 0;

	if (p->needs_at && memchr(text, '@', len) == NULL)
		return 0;
	/* Most narratives hold no digit at all; the postcode pattern alone
	 * would otherwise be tried at every letter of them. */
	if (p->needs_digit && !has_digit(text, len))
		return 0;
	while (at < len) {
		int rc = pcre2_match(r->re[pi], (PCRE2_SPTR)text, len, at, opts, r->md, r->mctx);

		if ((rc = take(r, pi, rc, text, len, &at, s, err)) != 0)
			return rc == 1 ? 0 : rc;
	}
	return 0;
}

/* ---- Windows around digits --------------------------------------------- */

#define ONES UINT64_C(0x0101010101010101)

/* The first ASCII digit at or after i, or len.  Eight bytes at a time:
 * XOR with '0' turns exactly the digits into bytes 0 to 9; a byte v with
 * its top bit clear is below 10 just when v + 0x76 leaves the top bit
 * clear too, and the sum never carries into the next byte. */
static size_t
next_digit(const char *text, size_t len, size_t i)
{
	for (; i + 8 <= len; i += 8) {
		uint64_t w, x;

		memcpy(&w, text + i, sizeof w);
		x = w ^ (ONES * '0');
		if ((~(x | ((x & (ONES * 0x7F)) + ONES * 0x76)) & (ONES * 0x80)) != 0)
			break;
	}
	for (; i < len; i++)
		if (text[i] >= '0' && text[i] <= '9')
			return i;
	return len;
}

/* The start of the character before byte offset off (off > 0). */
static size_t
char_back(const char *text, size_t off)
{
	do
		off--;
	while (off > 0 && ((unsigned char)text[off] & 0xC0) == 0x80);
	return off;
}

/* Printable ASCII but the space: what the window bounds count. */
static int
counted(unsigned char b)
{
	return b > 0x20 && b < 0x7F;
}

/*
 * Where the window of a digit at d starts: walking back from d, the place
 * just after the (back + 1)th counted character, or the start of the text;
 * but never before floor, below which everything was tried already.  A
 * later digit's window never starts before an earlier one's (it counts at
 * least as many characters back to any place), so the windows of one
 * text, taken in order, are tried in order and each place once.
 */
static size_t
window_start(const char *text, size_t d, int back, size_t floor)
{
	int n = 0;

	while (d > floor) {
		size_t q = char_back(text, d);

		if (counted((unsigned char)text[q]) && n++ == back)
			break;
		d = q;
	}
	return d;
}

/*
 * The patterns with windows, over the whole text at once: for each run of
 * digits [d, e), each pattern is tried anchored at every place from its
 * window's start before d up to e (the first byte permitting), no earlier
 * than where its last match ended.  Every match starts at most
 * digit_back counted characters before its first digit, so at a place in
 * one of these windows; and a scan finds, from where it stands, the
 * first place an anchored match succeeds.  So trying the places in order,
 * each no earlier than the last match left off, finds what the scan
 * finds, match for match.
 */
static int
find_in_windows(ca_redactor *r, const char *text, size_t len, spanvec *s, ca_err *err)
{
	size_t at[NPATTERNS] = { 0 }, done[NPATTERNS] = { 0 };
	size_t d = next_digit(text, len, 0);
	int jit = ca_redactor_uses_jit(r);

	while (d < len) {
		size_t e = d + 1;

		while (e < len && text[e] >= '0' && text[e] <= '9')
			e++;
		for (size_t pi = 0; pi < NPATTERNS; pi++) {
			size_t floor = at[pi] > done[pi] ? at[pi] : done[pi], p;

			if (r->anchored[pi] == NULL)
				continue;
			for (p = window_start(text, d, patterns[pi].digit_back, floor); p < e; ) {
				int rc;

				if (p < at[pi])
					p = at[pi];
				if (p >= e)
					break;
				if (!r->first[pi][(unsigned char)text[p]]) {
					p = next_char(text, len, p);
					continue;
				}
				rc = jit ? pcre2_jit_match(r->anchored[pi], (PCRE2_SPTR)text, len, p, 0,
				    r->md, r->mctx) :
				    pcre2_match(r->anchored[pi], (PCRE2_SPTR)text, len, p,
				    PCRE2_NO_UTF_CHECK | PCRE2_NO_JIT, r->md, r->mctx);
				if (rc == PCRE2_ERROR_NOMATCH) {
					p = next_char(text, len, p);
					continue;
				}
				at[pi] = p;
				if ((rc = take(r, pi, rc, text, len, &at[pi], s, err)) != 0)
					return rc;
				p = at[pi];
			}
			done[pi] = e;
		}
		d = next_digit(text, len, e);
	}
	return 0;
}

static int
by_position(const void *a, const void *b)
{
	const ca_pii_span *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->end != y->end)
		return x->end > y->end ? -1 : 1;        /* longer first */
	return (int)x->kind - (int)y->kind;
}

/*
 * Join overlapping candidates: the joined span covers all of them (half a
 * telephone number left showing is still personal data) and takes the kind
 * of the longest; of equally long ones, the earliest; then the first in
 * ca_pii_kind order.  Spans that only touch stay apart.
 */
static size_t
join_overlaps(ca_pii_span *v, size_t n)
{
	size_t out = 0;

	for (size_t i = 0; i < n; ) {
		ca_pii_span joined = v[i];
		size_t best_len = v[i].end - v[i].start;
		size_t j = i + 1;

		for (; j < n && v[j].start < joined.end; j++) {
			size_t l = v[j].end - v[j].start;

			if (l > best_len) {
				best_len = l;
				joined.kind = v[j].kind;
			}
			if (v[j].end > joined.end)
				joined.end = v[j].end;
		}
		v[out++] = joined;
		i = j;
	}
	return out;
}

static int
find(ca_redactor *r, const char *text, size_t len, ca_pii_span **spans, size_t *nspans,
    ca_err *err)
{
	spanvec s = { NULL, 0, 0 };
	int rc;

	if (r->windows && (rc = find_in_windows(r, text, len, &s, err)) != 0) {
		free(s.v);
		return rc;
	}
	for (size_t i = 0; i < NPATTERNS; i++) {
		if (r->windows && r->anchored[i] != NULL)
			continue;
		if ((rc = scan(r, i, text, len, &s, err)) != 0) {
			free(s.v);
			return rc;
		}
	}
	if (s.n > 1) {
		qsort(s.v, s.n, sizeof *s.v, by_position);
		s.n = join_overlaps(s.v, s.n);
	}
	*spans = s.v;
	*nspans = s.n;
	return 0;
}

int
ca_redact_find(ca_redactor *r, const char *text, size_t len,
    ca_pii_span **spans, size_t *nspans, ca_err *err)
{
	size_t where;

	*spans = NULL;
	*nspans = 0;
	r->limit = NULL;
	if (len == 0)
		return 0;
	/* Checked once here, so every pattern can match without checks. */
	if (!ca_utf8_valid_for_matching(text, len, &where))
		return ca_err_set(err, CA_EX_DATAERR, "redact: text is not valid UTF-8 (byte %zu)",
		    where);
	return find(r, text, len, spans, nspans, err);
}

int
ca_redact_find_checked(ca_redactor *r, const char *text, size_t len,
    ca_pii_span **spans, size_t *nspans, ca_err *err)
{
	*spans = NULL;
	*nspans = 0;
	r->limit = NULL;
	if (len == 0)
		return 0;
	return find(r, text, len, spans, nspans, err);
}

int
ca_redact(ca_redactor *r, const char *text, size_t len, ca_strbuf *out, ca_err *err)
{
	ca_pii_span *spans;
	size_t n, at = 0;
	int rc;

	if (len == 0)
		return 0;               /* text may then be NULL */
	if ((rc = ca_redact_find(r, text, len, &spans, &n, err)) != 0)
		return rc;
	for (size_t i = 0; i < n; i++) {
		ca_strbuf_add(out, text + at, spans[i].start - at);
		ca_strbuf_adds(out, ca_pii_label(spans[i].kind));
		at = spans[i].end;
	}
	ca_strbuf_add(out, text + at, len - at);
	free(spans);
	if (ca_strbuf_failed(out))
		return ca_err_set(err, CA_EX_SOFTWARE, "redact: out of memory");
	return 0;
}
