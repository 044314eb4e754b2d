/*
 * screen.c - the screening engine; see screen.h for what a result means.
 *
 * Speed comes from not running what cannot match: one pass of the rule
 * set's literal automaton says which prefilter strings the text holds, and
 * a pattern none of whose strings occur is skipped.  The patterns that do
 * run use JIT code, one match-data block and one JIT stack, all reused, and
 * the text's UTF-8 is checked once so PCRE2 never checks it again.
 *
 * The last part screens stored assessments in batches and keeps the
 * results (screen.h says how); it is the one place that writes screenings.
 */
#define PCRE2_CODE_UNIT_WIDTH 8

#include "screen.h"

#include <libpq-fe.h>
#include <pcre2.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "output.h"
#include "db.h"
#include "forms.h"
#include "redact.h"
#include "utf8.h"
#include "yamltree.h"

const char *const ca_flag_ids[CA_FLAG_COUNT] = {
	"single_issue", "no_person_voice", "deficit_language", "risk_without_plan",
	"carer_without_offer", "safeguarding_concern", "personal_data",
};

const char *const ca_flag_meanings[CA_FLAG_COUNT] = {
	"two eligibility outcomes or fewer are covered",
	"nothing of the person's own words, wishes or what matters to them",
	"deficit terms outnumber strengths terms",
	"a risk is named but no assessment, plan, contingency or mitigation",
	"a carer is named but no carer's assessment offered, accepted or declined",
	"a safeguarding concern is recorded: check it was acted on at once",
	"holds an identifier that redaction would mask",
};

/* "personal_data.nhs_number" ... by ca_pii_kind. */
static const char *const pii_rules[] = {
	"personal_data.nhs_number", "personal_data.postcode", "personal_data.phone",
	"personal_data.email", "personal_data.date_of_birth",
};
#define NPII (sizeof pii_rules / sizeof pii_rules[0])

typedef struct span {
	size_t start, end;
} span;

struct ca_screener {
	const ca_ruleset *rs;
	pcre2_match_data *md;
	pcre2_jit_stack *jit;
	pcre2_match_context *mctx;
	ca_redactor *redactor;
	int prefilter, personal_data, use_jit;
	int ascii;                        /* this narrative is all ASCII: a byte a character */
	/* Per narrative, only what it holds is looked at and cleared: the
	 * strings found (some 45 of 845) and the patterns they let run, never
	 * every string or every pattern. */
	unsigned char *present;           /* per prefilter string */
	size_t npresent;
	unsigned *found;                  /* the strings present, as first seen */
	size_t nfound;
	ca_literal_hits hits;             /* where they occur */
	size_t *litlen;                   /* per string, its length */
	size_t *bucket;                   /* hits grouped by string: ends */
	size_t *bfirst, *bcount;          /* string i's ends: bucket[bfirst[i]..+bcount[i]) */
	size_t capbucket;
	size_t *cands;                    /* where an anchored pattern is tried */
	size_t capcands;
	/* Which patterns a present string lets run: patterns numbered in rule
	 * order; string i's are lit_pats[lit_first[i]..lit_first[i + 1]). */
	size_t npatterns;
	size_t *lit_first;
	size_t *lit_pats;
	unsigned char *runnable;          /* per pattern: in runlist */
	size_t *runlist;                  /* the patterns to run, in rule order */
	size_t nrun;
	size_t *always;                   /* patterns with no prefilter string */
	size_t nalways;
	size_t nfiltered;                 /* patterns with one */
	size_t *pat_rule;                 /* per pattern, its rule */
	size_t *rule_first;               /* per rule, its first pattern */
	span *spans;                      /* scratch for negation and counting */
	size_t *maxend;
	size_t capspans;
	size_t ran, skipped;
	size_t capmatches, caplimits;
	ca_screen_result res;
};

int
ca_flag_named(const char *id)
{
	for (int i = 0; i < CA_FLAG_COUNT; i++)
		if (strcmp(id, ca_flag_ids[i]) == 0)
			return i;
	return -1;
}

void
ca_screener_free(ca_screener *s)
{
	if (s == NULL)
		return;
	pcre2_match_data_free(s->md);
	pcre2_match_context_free(s->mctx);
	pcre2_jit_stack_free(s->jit);
	ca_redactor_free(s->redactor);
	free(s->present);
	free(s->found);
	free(s->hits.v);
	free(s->hits.tmp);
	free(s->litlen);
	free(s->bucket);
	free(s->bfirst);
	free(s->bcount);
	free(s->cands);
	free(s->lit_first);
	free(s->lit_pats);
	free(s->runnable);
	free(s->runlist);
	free(s->always);
	free(s->pat_rule);
	free(s->rule_first);
	free(s->spans);
	free(s->maxend);
	free(s->res.matches);
	free(s->res.limits);
	free(s);
}

/* The inverted index from prefilter strings to patterns, so that after the
 * scan only the strings found are looked at, not every pattern's list. */
static int
index_patterns(ca_screener *s)
{
	size_t nrules = ca_ruleset_count(s->rs), g = 0, refs = 0;

	for (size_t r = 0; r < nrules; r++) {
		const ca_rule *rule = ca_ruleset_rule(s->rs, r);

		s->npatterns += rule->npatterns;
		for (size_t p = 0; p < rule->npatterns; p++)
			refs += rule->patterns[p].nliterals;
	}
	s->lit_first = calloc(s->npresent + 1, sizeof *s->lit_first);
	s->lit_pats = calloc(refs ? refs : 1, sizeof *s->lit_pats);
	s->runnable = calloc(s->npatterns / sizeof (uint64_t) + 1, sizeof (uint64_t));
	s->runlist = calloc(s->npatterns ? s->npatterns : 1, sizeof *s->runlist);
	s->always = calloc(s->npatterns ? s->npatterns : 1, sizeof *s->always);
	s->pat_rule = calloc(s->npatterns ? s->npatterns : 1, sizeof *s->pat_rule);
	s->rule_first = calloc(nrules + 1, sizeof *s->rule_first);
	if (s->lit_first == NULL || s->lit_pats == NULL || s->runnable == NULL ||
	    s->runlist == NULL || s->always == NULL || s->pat_rule == NULL ||
	    s->rule_first == NULL)
		return -1;
	for (size_t r = 0, h = 0; r < nrules; r++) {
		const ca_rule *rule = ca_ruleset_rule(s->rs, r);

		s->rule_first[r] = h;
		for (size_t p = 0; p < rule->npatterns; p++, h++) {
			s->pat_rule[h] = r;
			if (rule->patterns[p].nliterals == 0)
				s->always[s->nalways++] = h;
			else
				s->nfiltered++;
		}
	}
	s->rule_first[nrules] = s->npatterns;
	for (size_t r = 0; r < nrules; r++) {
		const ca_rule *rule = ca_ruleset_rule(s->rs, r);

		for (size_t p = 0; p < rule->npatterns; p++)
			for (size_t k = 0; k < rule->patterns[p].nliterals; k++)
				s->lit_first[rule->patterns[p].literals[k] + 1]++;
	}
	for (size_t i = 0; i < s->npresent; i++)
		s->lit_first[i + 1] += s->lit_first[i];
	for (size_t r = 0; r < nrules; r++) {
		const ca_rule *rule = ca_ruleset_rule(s->rs, r);

		for (size_t p = 0; p < rule->npatterns; p++, g++)
			for (size_t k = 0; k < rule->patterns[p].nliterals; k++)
				s->lit_pats[s->lit_first[rule->patterns[p].literals[k]]++] = g;
	}
	for (size_t i = s->npresent; i > 0; i--)
		s->lit_first[i] = s->lit_first[i - 1];
	s->lit_first[0] = 0;
	return 0;
}

int
ca_screener_new(const ca_ruleset *rs, ca_screener **out, ca_err *err)
{
	ca_screener *s = calloc(1, sizeof *s);
	int rc;

	*out = NULL;
	if (s == NULL)
		return ca_err_set(err, CA_EX_SOFTWARE, "screening: out of memory");
	s->rs = rs;
	s->prefilter = 1;
	s->personal_data = 1;
	s->use_jit = 1;
	s->npresent = ca_ruleset_literal_count(rs);
	/* One ovector pair is all screening reads: the whole match. */
	s->md = pcre2_match_data_create(1, NULL);
	s->mctx = pcre2_match_context_copy((pcre2_match_context *)ca_ruleset_match_context(rs));
	s->jit = pcre2_jit_stack_create(CA_SCREEN_JIT_STACK_MIN, CA_SCREEN_JIT_STACK_MAX, NULL);
	s->present = calloc(s->npresent ? s->npresent : 1, 1);
	s->found = calloc(s->npresent ? s->npresent : 1, sizeof *s->found);
	s->litlen = calloc(s->npresent ? s->npresent : 1, sizeof *s->litlen);
	s->bfirst = calloc(s->npresent ? s->npresent : 1, sizeof *s->bfirst);
	s->bcount = calloc(s->npresent ? s->npresent : 1, sizeof *s->bcount);
	/* Beyond this many occurrences (a huge text), patterns scan instead
	 * of being anchored: the positions would cost more than they save. */
	s->hits.max = CA_SCREEN_MAX_HITS;
	if (s->md == NULL || s->mctx == NULL || s->present == NULL || s->found == NULL ||
	    s->litlen == NULL || s->bfirst == NULL || s->bcount == NULL) {
		ca_screener_free(s);
		return ca_err_set(err, CA_EX_SOFTWARE, "screening: out of memory");
	}
	/* Without a JIT stack of its own, JIT code would use 32 kB on the
	 * machine stack; with JIT unavailable the stack is simply unused. */
	if (s->jit != NULL)
		pcre2_jit_stack_assign(s->mctx, NULL, s->jit);
	for (size_t i = 0; i < s->npresent; i++)
		s->litlen[i] = strlen(ca_ruleset_literal(rs, i));
	if (index_patterns(s) != 0) {
		ca_screener_free(s);
		return ca_err_set(err, CA_EX_SOFTWARE, "screening: out of memory");
	}
	if ((rc = ca_redactor_new(&s->redactor, err)) != 0) {
		ca_screener_free(s);
		return rc;
	}
	*out = s;
	return 0;
}

void
ca_screener_set_prefilter(ca_screener *s, int on)
{
	s->prefilter = on;
	/* The redactor's windows are its prefilter: off, every pattern of
	 * both scans the whole text, the reference the fast paths must
	 * agree with. */
	ca_redactor_set_windows(s->redactor, on);
}

void
ca_screener_set_jit(ca_screener *s, int on)
{
	s->use_jit = on;
}

void
ca_screener_set_personal_data(ca_screener *s, int on)
{
	s->personal_data = on;
}

ca_redactor *
ca_screener_redactor(ca_screener *s)
{
	return s->redactor;
}

void
ca_screener_stats(const ca_screener *s, size_t *patterns_run, size_t *patterns_skipped)
{
	if (patterns_run != NULL)
		*patterns_run = s->ran;
	if (patterns_skipped != NULL)
		*patterns_skipped = s->skipped;
}

static int
add_match(ca_screener *s, const char *rule, const char *category, int index,
    size_t start, size_t end)
{
	ca_screen_result *r = &s->res;

	if (r->nmatches == s->capmatches) {
		size_t cap = s->capmatches ? s->capmatches * 2 : 64;
		ca_screen_match *m = realloc(r->matches, cap * sizeof *m);

		if (m == NULL)
			return -1;
		r->matches = m;
		s->capmatches = cap;
	}
	r->matches[r->nmatches++] = (ca_screen_match){ rule, category, index, start, end };
	return 0;
}

static int
add_limit(ca_screener *s, const char *rule, size_t pattern, const char *limit)
{
	ca_screen_result *r = &s->res;

	if (r->nlimits == s->caplimits) {
		size_t cap = s->caplimits ? s->caplimits * 2 : 8;
		ca_screen_limit *l = realloc(r->limits, cap * sizeof *l);

		if (l == NULL)
			return -1;
		r->limits = l;
		s->caplimits = cap;
	}
	r->limits[r->nlimits++] = (ca_screen_limit){ rule, pattern, limit };
	return 0;
}

/* A rule that runs out of PCRE2 memory on a text is, like a limit, a rule
 * that could not be evaluated there. */
static const char *
limit_name(int rc)
{
	return rc == PCRE2_ERROR_NOMEMORY ? "memory" : ca_pcre2_limit_name(rc);
}

/* Order by start, then end, then rule: the order results are listed in. */
static int
by_place(const void *a, const void *b)
{
	const ca_screen_match *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->end != y->end)
		return x->end < y->end ? -1 : 1;
	return (x->rule_index > y->rule_index) - (x->rule_index < y->rule_index);
}

/* What one PCRE2 call at offset off gave: 0 a match (recorded; go on at
 * *next), 1 no match, 2 a limit hit (recorded; the pattern stops here), or
 * an error code. */
static int
take(ca_screener *s, const ca_rule *rule, int index, size_t p, int rc, size_t off,
    size_t *next, size_t *found, ca_err *err)
{
	PCRE2_SIZE *ov;

	if (rc == PCRE2_ERROR_NOMATCH)
		return 1;
	if (rc < 0) {
		PCRE2_UCHAR msg[160];
		const char *what = limit_name(rc);

		if (what != NULL)
			return add_limit(s, rule->id, p + 1, what) != 0 ?
			    ca_err_set(err, CA_EX_SOFTWARE, "screening: out of memory") : 2;
		pcre2_get_error_message(rc, msg, sizeof msg);
		return ca_err_set(err, CA_EX_SOFTWARE, "screening: rule %s, pattern %zu: %s",
		    rule->id, p + 1, (const char *)msg);
	}
	ov = pcre2_get_ovector_pointer(s->md);
	if (ov[1] > ov[0]) {
		if (add_match(s, rule->id, ca_category_ids[rule->category], index, ov[0], ov[1]) != 0)
			return ca_err_set(err, CA_EX_SOFTWARE, "screening: out of memory");
		(*found)++;
	}
	*next = ov[1] > off ? ov[1] : off + 1;
	return 0;
}

/* The start of the character before byte offset off. */
static size_t
char_back(const char *text, size_t off)
{
	while (off > 0) {
		off--;
		if (((unsigned char)text[off] & 0xC0) != 0x80)
			break;
	}
	return off;
}

static int
by_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	return (x > y) - (x < y);
}

/* Candidates come nearly sorted and few: insertion sort, qsort if many. */
static void
sort_sizes(size_t *v, size_t n)
{
	if (n > 64) {
		qsort(v, n, sizeof *v, by_size);
		return;
	}
	for (size_t i = 1; i < n; i++) {
		size_t x = v[i], j = i;

		for (; j > 0 && v[j - 1] > x; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
}

/* The start of the character after byte offset off. */
static size_t
char_next(const char *text, size_t len, size_t off)
{
	do
		off++;
	while (off < len && ((unsigned char)text[off] & 0xC0) == 0x80);
	return off;
}

/* Where an anchored pattern could start a match: up to anchor_back
 * characters before each occurrence of its strings, in order, each once.
 * Returns how many, or (size_t)-1 when scanning the text would be cheaper
 * (or memory ran out: scanning is always correct). */
static size_t
candidates(ca_screener *s, const ca_rule_pattern *pat, const char *text, size_t len)
{
	/* An anchored attempt costs about as much as scanning 32 bytes. */
	size_t limit = len / 32 + 4, n = 0, k = 0;

	for (size_t a = 0; a < pat->nanchors; a++) {
		unsigned lit = pat->anchors[a];

		if (!s->present[lit])
			continue;
		for (size_t h = s->bfirst[lit]; h < s->bfirst[lit] + s->bcount[lit]; h++) {
			size_t at = s->bucket[h], lo, steps = 0;

			/* where the occurrence starts, and the place anchor_back
			 * characters before it (or the start of the text) */
			if (s->ascii) {
				at -= s->litlen[lit];
				steps = pat->anchor_back < at ? pat->anchor_back : at;
				lo = at - steps;
			} else {
				for (size_t c = 0; c < s->litlen[lit]; c++)
					at = char_back(text, at);
				for (lo = at; steps < pat->anchor_back && lo > 0; steps++)
					lo = char_back(text, lo);
			}
			if (steps + 1 > limit - n)
				return (size_t)-1;
			if (n + steps + 1 > s->capcands) {
				size_t cap = s->capcands ? s->capcands : 64;
				size_t *v;

				while (cap < n + steps + 1)
					cap *= 2;
				if ((v = realloc(s->cands, cap * sizeof *v)) == NULL)
					return (size_t)-1;
				s->cands = v;
				s->capcands = cap;
			}
			for (size_t p = lo; ; p = char_next(text, len, p)) {
				s->cands[n++] = p;
				if (p == at)
					break;
			}
		}
	}
	if (n > 1) {
		sort_sizes(s->cands, n);
		for (size_t i = 0; i < n; i++)
			if (k == 0 || s->cands[i] != s->cands[k - 1])
				s->cands[k++] = s->cands[i];
		n = k;
	}
	return n;
}

/* Matches are appended rule by rule, each rule's in order: a short list
 * sorts fastest by insertion. */
static void
sort_matches(ca_screen_match *m, size_t n)
{
	if (n > 256) {
		qsort(m, n, sizeof *m, by_place);
		return;
	}
	for (size_t i = 1; i < n; i++) {
		ca_screen_match x = m[i];
		size_t j = i;

		for (; j > 0 && by_place(&m[j - 1], &x) > 0; j--)
			m[j] = m[j - 1];
		m[j] = x;
	}
}

static int
ascii_word(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	    c == '_';
}

/* All matches of one pattern, left to right, as a scan of the whole text
 * would find them; *found counts those of the rule so far, for the cap.
 * Returns 0, 1 when the rule's cap was reached, or an error. */
static int
run_pattern(ca_screener *s, const ca_rule *rule, int index, size_t p,
    const char *text, size_t len, size_t *found, ca_err *err)
{
	const ca_rule_pattern *pat = &rule->patterns[p];
	size_t off = 0, n = (size_t)-1;
	int rc;

	/* Anchored: a match can only start just before an occurrence of the
	 * pattern's strings, so the pattern is tried there and nowhere else.
	 * Trying those places in order, each no earlier than the end of the
	 * last match, finds exactly the matches a scan would. */
	if (s->prefilter && pat->anchored != NULL && !s->hits.overflow)
		n = candidates(s, pat, text, len);
	if (n != (size_t)-1) {
		for (size_t i = 0; i < n; i++) {
			size_t at = s->cands[i];

			if (at < off)
				continue;
			if (*found >= CA_SCREEN_MAX_MATCHES)
				goto cap;
			/* \b cannot hold between two word characters: ASCII
			 * letters, digits and _ are word characters to PCRE2
			 * whatever its Unicode tables say of others. */
			if (pat->starts_b && at > 0 && ascii_word(text[at - 1]) &&
			    at < len && ascii_word(text[at]))
				continue;
			rc = s->use_jit && pat->anchored_jit ?
			    pcre2_jit_match(pat->anchored, (PCRE2_SPTR)text, len, s->cands[i], 0,
			    s->md, s->mctx) :
			    pcre2_match(pat->anchored, (PCRE2_SPTR)text, len, s->cands[i],
			    PCRE2_NO_UTF_CHECK | PCRE2_NO_JIT, s->md, s->mctx);
			rc = take(s, rule, index, p, rc, s->cands[i], &off, found, err);
			if (rc == 2)
				return 0;
			if (rc != 0 && rc != 1)
				return rc;
		}
		return 0;
	}
	while (off < len) {
		size_t next = off;

		if (*found >= CA_SCREEN_MAX_MATCHES)
			goto cap;
		/* pcre2_jit_match skips the checks already made: UTF-8 once
		 * per text, options once per pattern. */
		rc = pat->jit && s->use_jit ?
		    pcre2_jit_match(pat->code, (PCRE2_SPTR)text, len, off, 0, s->md, s->mctx) :
		    pcre2_match(pat->code, (PCRE2_SPTR)text, len, off,
		    PCRE2_NO_UTF_CHECK | PCRE2_NO_JIT, s->md, s->mctx);
		if ((rc = take(s, rule, index, p, rc, off, &next, found, err)) != 0)
			return rc == 1 || rc == 2 ? 0 : rc;
		/* An empty match (\K, lookarounds) moves on one character. */
		while (next < len && ((unsigned char)text[next] & 0xC0) == 0x80)
			next++;
		off = next;
	}
	return 0;
cap:
	if (add_limit(s, rule->id, 0, "too_many_matches") != 0)
		return ca_err_set(err, CA_EX_SOFTWARE, "screening: out of memory");
	return 1;
}

/* Where several patterns of one rule matched the same words, keep one:
 * the first to start (the longest of those). */
static size_t
dedupe_rule(ca_screen_match *m, size_t n)
{
	size_t k = 0;

	if (n < 2)
		return n;
	sort_matches(m, n);
	for (size_t i = 0; i < n; i++) {
		if (k > 0 && m[i].start < m[k - 1].end) {
			if (m[i].start == m[k - 1].start && m[i].end > m[k - 1].end)
				m[k - 1].end = m[i].end;
			continue;
		}
		m[k++] = m[i];
	}
	return k;
}

static int
reserve_spans(ca_screener *s, size_t n)
{
	span *sp;
	size_t *me;

	if (n <= s->capspans)
		return 0;
	sp = realloc(s->spans, n * sizeof *sp);
	if (sp == NULL)
		return -1;
	s->spans = sp;
	me = realloc(s->maxend, n * sizeof *me);
	if (me == NULL)
		return -1;
	s->maxend = me;
	s->capspans = n;
	return 0;
}

/* Does any span in sp[0..n) (sorted by start, with maxend the running
 * maximum of ends) overlap [start, end)? */
static int
overlaps(const span *sp, const size_t *maxend, size_t n, size_t start, size_t end)
{
	size_t lo = 0, hi = n;

	/* spans that start before end: sp[0..lo) */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (sp[mid].start < end)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo > 0 && maxend[lo - 1] > start;
}

/* Cancel matches of negated categories that overlap a negation. */
static int
apply_negation(ca_screener *s)
{
	ca_screen_result *r = &s->res;
	unsigned negated = 0;

	for (size_t i = 0; i < r->nmatches; i++)
		if (r->matches[i].rule_index >= 0)
			negated |= ca_ruleset_rule(s->rs, (size_t)r->matches[i].rule_index)->negates;
	if (negated == 0)
		return 0;
	if (reserve_spans(s, r->nmatches) != 0)
		return -1;
	for (int cat = 0; cat < CA_CAT_COUNT; cat++) {
		size_t n = 0, k = 0;

		if (!(negated & (1u << cat)))
			continue;
		/* matches are sorted by start, so the spans are too */
		for (size_t i = 0; i < r->nmatches; i++) {
			const ca_screen_match *m = &r->matches[i];

			if (m->rule_index >= 0 &&
			    (ca_ruleset_rule(s->rs, (size_t)m->rule_index)->negates & (1u << cat))) {
				s->spans[n] = (span){ m->start, m->end };
				s->maxend[n] = n > 0 && s->maxend[n - 1] > m->end ? s->maxend[n - 1] : m->end;
				n++;
			}
		}
		for (size_t i = 0; i < r->nmatches; i++) {
			const ca_screen_match *m = &r->matches[i];

			if (m->rule_index >= 0 &&
			    ca_ruleset_rule(s->rs, (size_t)m->rule_index)->category == (ca_rule_category)cat &&
			    overlaps(s->spans, s->maxend, n, m->start, m->end))
				continue;
			r->matches[k++] = *m;
		}
		r->nmatches = k;
	}
	return 0;
}

/* Terms per category (distinct places), outcomes, and the flags. */
static void
count(ca_screener *s)
{
	ca_screen_result *r = &s->res;
	size_t lastend[CA_CAT_COUNT] = { 0 };
	int seen[CA_CAT_COUNT] = { 0 };

	for (size_t i = 0; i < r->nmatches; i++) {
		const ca_screen_match *m = &r->matches[i];
		const ca_rule *rule;

		if (m->rule_index < 0)
			continue;
		rule = ca_ruleset_rule(s->rs, (size_t)m->rule_index);
		if (rule->category == CA_CAT_OUTCOME && rule->outcome >= 0)
			r->outcomes |= 1u << rule->outcome;
		/* sorted by start: a match that begins before the last one of
		 * its category ended is the same place again */
		if (seen[rule->category] && m->start < lastend[rule->category]) {
			if (m->end > lastend[rule->category])
				lastend[rule->category] = m->end;
			continue;
		}
		seen[rule->category] = 1;
		lastend[rule->category] = m->end;
		r->terms[rule->category]++;
	}
	for (int o = 0; o < CA_OUTCOME_COUNT; o++)
		r->outcome_count += (r->outcomes >> o) & 1u;
	r->strengths_terms = r->terms[CA_CAT_STRENGTHS];
	r->deficit_terms = r->terms[CA_CAT_DEFICIT];
	if (r->outcome_count <= 2)
		r->flags |= 1u << CA_FLAG_SINGLE_ISSUE;
	if (r->terms[CA_CAT_PERSON_VOICE] == 0)
		r->flags |= 1u << CA_FLAG_NO_PERSON_VOICE;
	if (r->deficit_terms > r->strengths_terms)
		r->flags |= 1u << CA_FLAG_DEFICIT_LANGUAGE;
	if (r->terms[CA_CAT_RISK] > 0 && r->terms[CA_CAT_RISK_PLAN] == 0)
		r->flags |= 1u << CA_FLAG_RISK_WITHOUT_PLAN;
	if (r->terms[CA_CAT_CARER] > 0 && r->terms[CA_CAT_CARER_OFFER] == 0)
		r->flags |= 1u << CA_FLAG_CARER_WITHOUT_OFFER;
	if (r->terms[CA_CAT_SAFEGUARDING] > 0)
		r->flags |= 1u << CA_FLAG_SAFEGUARDING_CONCERN;
}

static int
find_personal_data(ca_screener *s, const char *text, size_t len, ca_err *err)
{
	ca_pii_span *spans = NULL;
	size_t n = 0;
	ca_err e = { 0 };
	int rc = ca_redact_find_checked(s->redactor, text, len, &spans, &n, &e);
	const char *limit = ca_redactor_limit_hit(s->redactor);

	if (rc == CA_EX_SOFTWARE && limit != NULL) {
		/* A limit hit: the text could not be fully checked, so it is
		 * not known to be clean.  Flag it; say why. */
		free(spans);
		s->res.flags |= 1u << CA_FLAG_PERSONAL_DATA;
		return add_limit(s, "personal_data", 0, limit) != 0 ?
		    ca_err_set(err, CA_EX_SOFTWARE, "screening: out of memory") : 0;
	}
	if (rc != 0) {
		/* Memory, or PCRE2 failing otherwise: an error of the run, not
		 * something about this text. */
		free(spans);
		*err = e;
		return ca_err_prefix(err, "screening: personal data: ");
	}
	for (size_t i = 0; i < n; i++) {
		size_t k = (size_t)spans[i].kind < NPII ? (size_t)spans[i].kind : 0;

		if (add_match(s, pii_rules[k], "personal_data", -1, spans[i].start, spans[i].end) != 0) {
			free(spans);
			return ca_err_set(err, CA_EX_SOFTWARE, "screening: out of memory");
		}
	}
	free(spans);
	s->res.personal_data = (int)n;
	if (n > 0)
		s->res.flags |= 1u << CA_FLAG_PERSONAL_DATA;
	return 0;
}

/* The occurrences grouped by string (a counting sort over the strings
 * found only, which keeps each string's in text order), for candidates().
 * bcount is zero for every string not found, and is left so. */
static int
group_hits(ca_screener *s)
{
	const ca_literal_hits *h = &s->hits;
	size_t at = 0;

	if (h->overflow)
		return 0;
	if (h->n > s->capbucket) {
		size_t *b = realloc(s->bucket, h->n * sizeof *b);

		if (b == NULL)
			return -1;
		s->bucket = b;
		s->capbucket = h->n;
	}
	for (size_t i = 0; i < h->n; i++)
		s->bcount[h->v[i].literal]++;
	for (size_t k = 0; k < s->nfound; k++) {
		unsigned lit = s->found[k];

		s->bfirst[lit] = at;
		at += s->bcount[lit];
		s->bcount[lit] = 0;
	}
	/* place each at its string's next free slot, counting again */
	for (size_t i = 0; i < h->n; i++) {
		unsigned lit = h->v[i].literal;

		s->bucket[s->bfirst[lit] + s->bcount[lit]++] = h->v[i].end;
	}
	return 0;
}

static void
unmark_runnable(ca_screener *s)
{
	for (size_t k = 0; k < s->nrun; k++)
		s->runnable[s->runlist[k]] = 0;
	s->nrun = 0;
}

/* Forget the last narrative's strings: only those it found are set. */
static void
clear_found(ca_screener *s)
{
	for (size_t k = 0; k < s->nfound; k++) {
		s->present[s->found[k]] = 0;
		s->bcount[s->found[k]] = 0;
	}
	s->nfound = 0;
}

/* The patterns to run, in rule order: those the strings found let run,
 * and those no string filters.  They are marked in runnable, which is then
 * read eight flags at a time (a few dozen words, against sorting some 40
 * patterns found in no order); the marks stay until the narrative is done. */
static void
list_runnable(ca_screener *s)
{
	size_t n = 0;

	for (size_t k = 0; k < s->nfound; k++) {
		unsigned lit = s->found[k];

		for (size_t j = s->lit_first[lit]; j < s->lit_first[lit + 1]; j++)
			s->runnable[s->lit_pats[j]] = 1;
	}
	for (size_t k = 0; k < s->nalways; k++)
		s->runnable[s->always[k]] = 1;
	/* runnable is padded with zeros to whole words */
	for (size_t g = 0; g < s->npatterns; g += sizeof (uint64_t)) {
		uint64_t w;

		memcpy(&w, s->runnable + g, sizeof w);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
		/* each flag is a byte 0 or 1: its lowest set bit is the first
		 * in text order, at bit 8 * its place */
		for (; w != 0; w &= w - 1)
			s->runlist[n++] = g + (size_t)__builtin_ctzll(w) / 8;
#else
		if (w == 0)
			continue;
		for (size_t h = g; h < g + sizeof w; h++)
			if (s->runnable[h])
				s->runlist[n++] = h;
#endif
	}
	s->skipped += s->nfiltered - (n - s->nalways);
	s->nrun = n;
}

int
ca_screen(ca_screener *s, const char *text, size_t len, const ca_screen_result **out,
    ca_err *err)
{
	ca_screen_result *r = &s->res;
	size_t where;
	int rc;

	*out = NULL;
	r->outcomes = 0;
	r->outcome_count = 0;
	memset(r->terms, 0, sizeof r->terms);
	r->strengths_terms = r->deficit_terms = r->personal_data = 0;
	r->flags = 0;
	r->nmatches = 0;
	r->nlimits = 0;
	/* NUL bytes are text to PCRE2; only malformed UTF-8 is refused, and
	 * it is looked for past any NUL (the patterns run unchecked). */
	if (!ca_utf8_valid_for_matching_ascii(text, len, &where, &s->ascii))
		return ca_err_set(err, CA_EX_DATAERR, "screening: the text is not valid UTF-8 "
		    "(byte %zu)", where);
	if (s->prefilter) {
		clear_found(s);
		if (ca_ruleset_find_literals(s->rs, text, len, s->present, s->found, &s->nfound,
		    &s->hits) != 0 || group_hits(s) != 0)
			return ca_err_set(err, CA_EX_SOFTWARE, "screening: out of memory");
		list_runnable(s);
	} else {
		for (size_t g = 0; g < s->npatterns; g++) {
			s->runlist[g] = g;
			s->runnable[g] = 1;
		}
		s->nrun = s->npatterns;
	}
	/* Rule by rule, in file order: a rule's cap and the order of limit
	 * hits are as if every pattern of every rule were visited. */
	for (size_t k = 0; k < s->nrun; ) {
		size_t i = s->pat_rule[s->runlist[k]], first = r->nmatches, found = 0;
		const ca_rule *rule = ca_ruleset_rule(s->rs, i);

		for (; k < s->nrun && s->pat_rule[s->runlist[k]] == i; k++) {
			size_t p = s->runlist[k] - s->rule_first[i];

			s->ran++;
			rc = run_pattern(s, rule, (int)i, p, text, len, &found, err);
			if (rc == 1) {
				/* the rule's match cap: its other patterns are not
				 * run, nor counted as skipped */
				for (size_t q = p + 1; q < rule->npatterns; q++)
					if (!s->runnable[s->rule_first[i] + q])
						s->skipped--;
				while (k < s->nrun && s->pat_rule[s->runlist[k]] == i)
					k++;
				break;
			}
			if (rc != 0) {
				unmark_runnable(s);
				return rc;
			}
		}
		if (rule->npatterns > 1 && r->nmatches > first)
			r->nmatches = first + dedupe_rule(r->matches + first, r->nmatches - first);
	}
	unmark_runnable(s);
	if (s->personal_data && (rc = find_personal_data(s, text, len, err)) != 0)
		return rc;
	sort_matches(r->matches, r->nmatches);
	if (apply_negation(s) != 0)
		return ca_err_set(err, CA_EX_SOFTWARE, "screening: out of memory");
	count(s);
	*out = r;
	return 0;
}

/* ---- JSON ---------------------------------------------------------------- */

void
ca_screen_json(const ca_screen_result *r, ca_strbuf *out)
{
	int first = 1;

	ca_strbuf_adds(out, "{\"outcomes\": [");
	for (int o = 0; o < CA_OUTCOME_COUNT; o++)
		if (r->outcomes & (1u << o)) {
			if (!first)
				ca_strbuf_adds(out, ", ");
			ca_json_string(out, ca_outcome_ids[o]);
			first = 0;
		}
	ca_strbuf_addf(out, "], \"outcome_count\": %d, \"strengths_terms\": %d, "
	    "\"deficit_terms\": %d, \"flags\": [", r->outcome_count, r->strengths_terms,
	    r->deficit_terms);
	first = 1;
	for (int f = 0; f < CA_FLAG_COUNT; f++)
		if (r->flags & (1u << f)) {
			if (!first)
				ca_strbuf_adds(out, ", ");
			ca_json_string(out, ca_flag_ids[f]);
			first = 0;
		}
	ca_strbuf_adds(out, "], \"matches\": [");
	for (size_t i = 0; i < r->nmatches; i++) {
		const ca_screen_match *m = &r->matches[i];

		ca_strbuf_adds(out, i ? ", {\"rule\": " : "{\"rule\": ");
		ca_json_string(out, m->rule);
		ca_strbuf_adds(out, ", \"category\": ");
		ca_json_string(out, m->category);
		ca_strbuf_addf(out, ", \"start\": %zu, \"end\": %zu}", m->start, m->end);
	}
	ca_strbuf_adds(out, "], \"limit_hits\": [");
	for (size_t i = 0; i < r->nlimits; i++) {
		const ca_screen_limit *l = &r->limits[i];

		ca_strbuf_adds(out, i ? ", {\"rule\": " : "{\"rule\": ");
		ca_json_string(out, l->rule);
		ca_strbuf_addf(out, ", \"pattern\": %zu, \"limit\": ", l->pattern);
		ca_json_string(out, l->limit);
		ca_strbuf_adds(out, "}");
	}
	ca_strbuf_adds(out, "]}");
}

/* ---- Screening stored assessments ---------------------------------------- */

/* Rows per FETCH: narratives may be up to 16 MB each, so a few at a time. */
#define FETCH_ROWS "50"

int
ca_screen_load_rules(PGconn *conn, FILE *problems, ca_ruleset **rs, long long *id, ca_err *err)
{
	ca_yaml_doc *doc = NULL;
	char *source, name[64];
	size_t len;
	int rc;

	*rs = NULL;
	if ((rc = ca_rules_current(conn, id, &source, &len, err)) != 0 || source == NULL)
		return rc;
	/* Messages about a stored set name it by its id. */
	snprintf(name, sizeof name, "screening rule set %lld", *id);
	rc = ca_yaml_parse(name, source, len, &doc, err);
	free(source);
	if (rc == 0)
		rc = ca_ruleset_from_yaml(doc, problems, rs, err);
	ca_yaml_free(doc);
	return rc;
}

void
ca_screen_run_free(ca_screen_run *r)
{
	if (r == NULL)
		return;
	for (size_t i = 0; i < r->nlimits; i++)
		free(r->limits[i].assessment_ref);
	free(r->limits);
	ca_ruleset_free(r->rules);
	memset(r, 0, sizeof *r);
}

/*
 * A batch is claimed in two steps.  First its rows are locked, skipping
 * rows another run holds (NO KEY UPDATE conflicts with itself, not with
 * foreign-key checks; the lock lasts until the batch commits).  Then they
 * are read again in a fresh snapshot, which drops any that another run
 * screened and committed after this batch's first statement began: so two
 * runs at once do not screen the same assessment twice.
 */
static const char claim_pending[] =
	"SELECT coalesce(array_agg(id ORDER BY id), '{}'), count(*), coalesce(max(id), 0)"
	" FROM (SELECT a.id FROM assessments a"
	"  WHERE a.id > $1::bigint"
	"   AND ($3::boolean OR NOT EXISTS (SELECT 1 FROM screenings s"
	"        WHERE s.rule_set_id = $2::bigint AND s.assessment_id = a.id"
	"          AND s.assessment_revision = a.revision))"
	"  ORDER BY a.id LIMIT $4::bigint"
	"  FOR NO KEY UPDATE OF a SKIP LOCKED) claimed";

static const char select_pending[] =
	"DECLARE screen_batch NO SCROLL CURSOR FOR"
	" SELECT a.id, a.assessment_ref, a.revision, a.summary"
	" FROM assessments a"
	" WHERE a.id = ANY ($1::bigint[])"
	"   AND ($3::boolean OR NOT EXISTS (SELECT 1 FROM screenings s"
	"        WHERE s.rule_set_id = $2::bigint AND s.assessment_id = a.id"
	"          AND s.assessment_revision = a.revision))"
	" ORDER BY a.id";

/* A later narrative is never overwritten by an earlier one: two runs at
 * once may each have read a different revision. */
static const char store_results[] =
	"INSERT INTO screenings (assessment_id, rule_set_id, assessment_revision, outcomes,"
	"  outcome_count, strengths_terms, deficit_terms, flags, matches, limit_hits)"
	" SELECT (r->>'assessment_id')::bigint, $2::bigint, (r->>'assessment_revision')::integer,"
	"  ARRAY(SELECT jsonb_array_elements_text(r->'result'->'outcomes')),"
	"  (r->'result'->>'outcome_count')::integer, (r->'result'->>'strengths_terms')::integer,"
	"  (r->'result'->>'deficit_terms')::integer,"
	"  ARRAY(SELECT jsonb_array_elements_text(r->'result'->'flags')),"
	"  r->'result'->'matches', r->'result'->'limit_hits'"
	" FROM jsonb_array_elements($1::jsonb) AS r"
	" ON CONFLICT (assessment_id, rule_set_id) DO UPDATE SET"
	"  assessment_revision = EXCLUDED.assessment_revision, outcomes = EXCLUDED.outcomes,"
	"  outcome_count = EXCLUDED.outcome_count, strengths_terms = EXCLUDED.strengths_terms,"
	"  deficit_terms = EXCLUDED.deficit_terms, flags = EXCLUDED.flags,"
	"  matches = EXCLUDED.matches, limit_hits = EXCLUDED.limit_hits, screened_at = now()"
	" WHERE screenings.assessment_revision <= EXCLUDED.assessment_revision";

/* Note the limit hits of one assessment: logged by reference (never by
 * text) and kept for the summary. */
static int
note_limits(const ca_screen_run_opts *o, ca_screen_run *run, const char *ref,
    const ca_screen_result *r)
{
	if (r->nlimits == 0)
		return 0;
	run->limit_assessments++;
	for (size_t i = 0; i < r->nlimits; i++) {
		const ca_screen_limit *l = &r->limits[i];
		const ca_rule *rule = ca_ruleset_find(run->rules, l->rule);
		ca_screen_run_limit *keep;

		if (o->log != NULL)
			fprintf(o->log, "screen event=limit_hit assessment_ref=%s rule=%s pattern=%zu "
			    "limit=%s\n", ref, l->rule, l->pattern, l->limit);
		if (run->nlimits == CA_SCREEN_RUN_MAX_LIMITS)
			continue;
		keep = realloc(run->limits, (run->nlimits + 1) * sizeof *keep);
		if (keep == NULL)
			return -1;
		run->limits = keep;
		keep = &run->limits[run->nlimits];
		/* the rule id must outlive this result: borrow it from the
		 * rule set, which the run owns; the others ("personal_data",
		 * "screening") are constants */
		keep->rule = rule != NULL ? rule->id : l->rule;
		keep->pattern = l->pattern;
		keep->limit = l->limit;
		if ((keep->assessment_ref = strdup(ref)) == NULL)
			return -1;
		run->nlimits++;
	}
	return 0;
}

/* What a narrative that cannot be screened at all is stored as: no match,
 * the personal_data flag (it could not be checked), and why. */
static ca_screen_limit unscreenable_limit = { "screening", 0, "invalid_text" };
static const ca_screen_result unscreenable = {
	.flags = 1u << CA_FLAG_PERSONAL_DATA,
	.limits = &unscreenable_limit,
	.nlimits = 1,
};

/* Each batch is recorded in the trail in the transaction that stores it:
 * every stored result is accounted for, and a batch whose record cannot be
 * written is not stored either. */
static const char record_batch[] =
	"INSERT INTO events (actor, action, entity, entity_id, after)"
	" VALUES ($1, 'screening.batch', 'screening_rule_set', $2,"
	"  jsonb_build_object('screened', $3::bigint, 'all', $4::boolean,"
	"   'limit_hit_assessments', $5::bigint, 'unscreenable', $6::bigint))";

/* One batch in one transaction; *rows gets how many rows it claimed, and
 * *last the highest id claimed (where the next batch starts). */
static int
screen_batch(PGconn *conn, ca_screener *sc, const ca_screen_run_opts *o, ca_screen_run *run,
    long long *last, long long *rows, ca_strbuf *chunk, ca_err *err)
{
	char last_s[32], rsid_s[32], batch_s[32];
	const char *params[4] = { last_s, rsid_s, o->all ? "true" : "false", batch_s };
	long long screened0 = run->screened, limits0 = run->limit_assessments;
	long long unscreenable0 = run->unscreenable;
	PGresult *claim;
	int rc;

	*rows = 0;
	snprintf(last_s, sizeof last_s, "%lld", *last);
	snprintf(rsid_s, sizeof rsid_s, "%lld", run->rule_set_id);
	snprintf(batch_s, sizeof batch_s, "%ld", o->batch > 0 ? o->batch : 1000L);
	if ((rc = ca_db_begin(conn, err)) != 0)
		goto fail;
	claim = ca_db_query(conn, err, "finding assessments to screen", claim_pending, 4, params);
	if (claim == NULL) {
		rc = err->code;
		goto fail;
	}
	*rows = strtoll(PQgetvalue(claim, 0, 1), NULL, 10);
	*last = strtoll(PQgetvalue(claim, 0, 2), NULL, 10) > *last ?
	    strtoll(PQgetvalue(claim, 0, 2), NULL, 10) : *last;
	params[0] = PQgetvalue(claim, 0, 0);
	rc = ca_db_exec(conn, err, "reading assessments to screen", select_pending, 3, params);
	PQclear(claim);
	if (rc != 0)
		goto fail;
	for (;;) {
		PGresult *res = ca_db_query(conn, err, "reading assessments to screen",
		    "FETCH " FETCH_ROWS " FROM screen_batch", 0, NULL);
		const char *store_params[2];
		int n;

		if (res == NULL) {
			rc = err->code;
			goto fail;
		}
		if ((n = PQntuples(res)) == 0) {
			PQclear(res);
			break;
		}
		ca_strbuf_reset(chunk);
		ca_strbuf_adds(chunk, "[");
		for (int i = 0; i < n; i++) {
			const char *ref = PQgetvalue(res, i, 1);
			const ca_screen_result *r;
			size_t len = (size_t)PQgetlength(res, i, 3);

			if ((rc = ca_screen(sc, PQgetvalue(res, i, 3), len, &r, err)) ==
			    CA_EX_DATAERR) {
				/* Not text screening can read (not UTF-8: only a
				 * database in another encoding could hold it).  This
				 * assessment is stored as unscreenable and the run goes
				 * on; it is not tried again until it changes. */
				if (o->log != NULL)
					fprintf(o->log, "screen event=unscreenable assessment_ref=%s "
					    "reason=\"%s\"\n", ref, err->msg);
				ca_err_clear(err);
				r = &unscreenable;
				run->unscreenable++;
			} else if (rc != 0) {
				ca_err_prefix(err, "%s: ", ref);
				PQclear(res);
				goto fail;
			}
			ca_strbuf_addf(chunk, "%s{\"assessment_id\": %s, \"assessment_revision\": %s, "
			    "\"result\": ", i ? ", " : "", PQgetvalue(res, i, 0), PQgetvalue(res, i, 2));
			ca_screen_json(r, chunk);
			ca_strbuf_adds(chunk, "}");
			run->screened++;
			run->bytes += len;
			for (int f = 0; f < CA_FLAG_COUNT; f++)
				run->flags[f] += (r->flags >> f) & 1u;
			if (note_limits(o, run, ref, r) != 0) {
				PQclear(res);
				rc = ca_err_set(err, CA_EX_SOFTWARE, "screening: out of memory");
				goto fail;
			}
		}
		PQclear(res);
		ca_strbuf_adds(chunk, "]");
		if (ca_strbuf_failed(chunk)) {
			rc = ca_err_set(err, CA_EX_SOFTWARE, "screening: out of memory");
			goto fail;
		}
		store_params[0] = chunk->data;
		store_params[1] = rsid_s;
		if ((rc = ca_db_exec(conn, err, "storing screening results", store_results, 2,
		    store_params)) != 0)
			goto fail;
	}
	if (run->screened > screened0) {
		char actor_s[256], screened_s[32], limits_s[32], unscreenable_s[32];

		snprintf(actor_s, sizeof actor_s, "%s", o->actor ? o->actor : "unknown");
		snprintf(screened_s, sizeof screened_s, "%lld", run->screened - screened0);
		snprintf(limits_s, sizeof limits_s, "%lld", run->limit_assessments - limits0);
		snprintf(unscreenable_s, sizeof unscreenable_s, "%lld",
		    run->unscreenable - unscreenable0);
		if ((rc = ca_db_exec(conn, err, "recording the screening batch", record_batch, 6,
		    (const char *[]){ actor_s, rsid_s, screened_s, o->all ? "true" : "false",
		    limits_s, unscreenable_s })) != 0)
			goto fail;
	}
	if ((rc = ca_db_commit(conn, err)) != 0)
		goto fail;
	return 0;
fail:
	ca_db_rollback(conn);
	return rc;
}

/* Assessments already screened under this rule set as they stand, before
 * the run touches anything (none when everything is to be screened again). */
static const char count_up_to_date[] =
	"SELECT count(*) FROM assessments a WHERE NOT $2::boolean AND EXISTS"
	" (SELECT 1 FROM screenings s WHERE s.rule_set_id = $1::bigint"
	"   AND s.assessment_id = a.id AND s.assessment_revision = a.revision)";

int
ca_screen_stored(PGconn *conn, const ca_screen_run_opts *o, ca_screen_run *run, ca_err *err)
{
	long long last = 0, rows;
	ca_screener *sc = NULL;
	ca_strbuf chunk;
	PGresult *res;
	char rsid[32];
	double t0 = ca_clock_seconds();
	int rc;

	memset(run, 0, sizeof *run);
	ca_strbuf_init(&chunk);
	if ((rc = ca_screen_load_rules(conn, o->problems, &run->rules, &run->rule_set_id, err)) != 0)
		return rc;
	if (run->rules == NULL)
		return ca_err_set(err, CA_EX_NOINPUT, "screen: no screening rules are stored yet; "
		    "load them with `caseaudit forms load forms/screening.yaml`");
	/* Counted before the first batch: afterwards, what this run left
	 * alone could not be told from what another run screened meanwhile. */
	snprintf(rsid, sizeof rsid, "%lld", run->rule_set_id);
	res = ca_db_query(conn, err, "counting assessments already screened", count_up_to_date,
	    2, (const char *[]){ rsid, o->all ? "true" : "false" });
	if (res == NULL)
		return err->code;
	run->up_to_date = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
	if ((rc = ca_screener_new(run->rules, &sc, err)) != 0)
		return rc;
	for (int n = 1; ; n++) {
		double tb = ca_clock_seconds();
		long long before = run->screened;

		if ((rc = screen_batch(conn, sc, o, run, &last, &rows, &chunk, err)) != 0)
			goto out;
		if (o->log != NULL && o->verbose && rows > 0)
			fprintf(o->log, "screen event=batch batch=%d assessments=%lld bytes=%llu "
			    "seconds=%.3f\n", n, run->screened - before, run->bytes, ca_clock_seconds() - tb);
		/* Only an empty claim means the end: a short one may just have
		 * skipped rows another run holds. */
		if (rows == 0)
			break;
	}
	run->seconds = ca_clock_seconds() - t0;
out:
	ca_screener_free(sc);
	ca_strbuf_free(&chunk);
	return rc;
}

void
ca_screen_providers_free(ca_screen_provider *rows, size_t n)
{
	for (size_t i = 0; rows != NULL && i < n; i++)
		free(rows[i].name);
	free(rows);
}

int
ca_screen_by_provider(PGconn *conn, long long rule_set_id, ca_screen_provider **rows,
    size_t *n, ca_err *err)
{
	char rsid[32];
	const char *params[1] = { rsid };
	PGresult *res, *flags = NULL;
	ca_screen_provider *v = NULL;
	size_t count = 0;
	int rc = 0;

	*rows = NULL;
	*n = 0;
	snprintf(rsid, sizeof rsid, "%lld", rule_set_id);
	/* Only screenings of the narrative as it now stands count. */
	res = ca_db_query(conn, err, "summarising screening by provider",
	    "SELECT o.name, count(*)"
	    " FROM screenings s"
	    " JOIN assessments a ON a.id = s.assessment_id AND a.revision = s.assessment_revision"
	    " JOIN organisations o ON o.id = a.provider_id"
	    " WHERE s.rule_set_id = $1::bigint"
	    " GROUP BY o.name ORDER BY o.name", 1, params);
	if (res == NULL)
		return err->code;
	flags = ca_db_query(conn, err, "summarising screening by provider",
	    "SELECT o.name, f.flag, count(*)"
	    " FROM screenings s"
	    " JOIN assessments a ON a.id = s.assessment_id AND a.revision = s.assessment_revision"
	    " JOIN organisations o ON o.id = a.provider_id"
	    " CROSS JOIN LATERAL unnest(s.flags) AS f(flag)"
	    " WHERE s.rule_set_id = $1::bigint"
	    " GROUP BY o.name, f.flag", 1, params);
	if (flags == NULL) {
		rc = err->code;
		goto out;
	}
	count = (size_t)PQntuples(res);
	if (count > 0 && (v = calloc(count, sizeof *v)) == NULL) {
		rc = ca_err_set(err, CA_EX_SOFTWARE, "screening: out of memory");
		goto out;
	}
	for (size_t i = 0; i < count; i++) {
		if ((v[i].name = strdup(PQgetvalue(res, (int)i, 0))) == NULL) {
			ca_screen_providers_free(v, count);
			v = NULL;
			rc = ca_err_set(err, CA_EX_SOFTWARE, "screening: out of memory");
			goto out;
		}
		v[i].screened = strtoll(PQgetvalue(res, (int)i, 1), NULL, 10);
	}
	for (int j = 0; j < PQntuples(flags); j++) {
		int f = ca_flag_named(PQgetvalue(flags, j, 1));

		for (size_t i = 0; f >= 0 && i < count; i++)
			if (strcmp(v[i].name, PQgetvalue(flags, j, 0)) == 0)
				v[i].flags[f] = strtoll(PQgetvalue(flags, j, 2), NULL, 10);
	}
	*rows = v;
	*n = count;
out:
	PQclear(res);
	PQclear(flags);
	return rc;
}
