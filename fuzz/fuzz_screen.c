/*
 * fuzz_screen.c - libFuzzer target for screening (audit/screen.h): the
 * shipped rules (forms/screening.yaml, compiled once at start) screen the
 * input as an assessment narrative.
 *
 * Beyond "no crash, no leak, no undefined behaviour", every input is held
 * to what screen.h promises:
 *   - malformed UTF-8 gives 65 and no result, refused before any pattern
 *     runs (PCRE2 runs them with UTF checks off); anything else (NUL bytes
 *     included: they are text to PCRE2) gives 0;
 *   - matches are in order (start, end, rule), non-empty, within the text,
 *     on character boundaries, each naming its rule and category rightly;
 *   - no match survives that overlaps a negation cancelling its category;
 *   - outcomes, their count, the term counts and every flag agree with the
 *     matches, as the flag definitions in screen.h say;
 *   - the JSON of the result is well-formed JSON and valid UTF-8;
 *   - the literal prefilter never changes a result (rules.h: "results must
 *     not change, only speed"): a screener with it turned off (and with
 *     it the redactor's windows around digits, so that every pattern
 *     scans the whole text) gives the same result, and so does the PCRE2
 *     interpreter in place of JIT for
 *     small inputs.  These comparisons are skipped when a limit was hit,
 *     as a limit depends on how the search was made.
 *
 * CASEAUDIT_SCREENING in the environment names a rules file to use instead
 * of the shipped one; CASEAUDIT_FUZZ_WRITE_DICT=FILE makes the program write
 * the rules' prefilter strings to FILE as a libFuzzer dictionary and exit.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_support.h"
#include "error.h"
#include "rules.h"
#include "screen.h"
#include "strbuf.h"
#include "utf8.h"
#include "yamltree.h"

#ifndef CASEAUDIT_SCREENING
#define CASEAUDIT_SCREENING "forms/screening.yaml"
#endif

/* The interpreter is compared with JIT up to this many bytes. */
#define INTERP_MAX 2048
/* The negation check is quadratic: it stops after this many comparisons. */
#define NEGATION_WORK 20000000u

static ca_ruleset *rules;
static ca_screener *main_sc;    /* as the program screens */
static ca_screener *plain_sc;   /* prefilter off */
static ca_screener *interp_sc;  /* prefilter on, interpreter in place of JIT */
static ca_screener *nopd_sc;    /* no personal-data pass: the UTF-8 check alone */
static ca_strbuf json;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The rules' prefilter strings as a libFuzzer dictionary: the words that
 * make patterns run at all.  fuzz/run asks for it with
 * CASEAUDIT_FUZZ_WRITE_DICT=FILE, so it follows the rules file. */
static void
write_dict(const char *rules_path, const char *path)
{
	FILE *f = fopen(path, "w");

	if (f == NULL) {
		perror(path);
		exit(1);
	}
	fprintf(f, "# the prefilter strings of %s, written by fuzz_screen\n", rules_path);
	for (size_t i = 0; i < ca_ruleset_literal_count(rules); i++) {
		const unsigned char *s = (const unsigned char *)ca_ruleset_literal(rules, i);

		fputc('"', f);
		for (; *s; s++)
			if (*s < 0x20 || *s >= 0x7f || *s == '"' || *s == '\\')
				fprintf(f, "\\x%02X", *s);
			else
				fputc(*s, f);
		fputs("\"\n", f);
	}
	if (fclose(f) != 0) {
		perror(path);
		exit(1);
	}
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *path = getenv("CASEAUDIT_SCREENING"), *dict;
	ca_yaml_doc *doc = NULL;
	ca_err err = { 0 };

	(void)argc;
	(void)argv;
	if (path == NULL || *path == '\0')
		path = CASEAUDIT_SCREENING;
	if (ca_yaml_load(path, &doc, &err) != 0 ||
	    ca_ruleset_from_yaml(doc, stderr, &rules, &err) != 0 ||
	    ca_screener_new(rules, &main_sc, &err) != 0 ||
	    ca_screener_new(rules, &plain_sc, &err) != 0 ||
	    ca_screener_new(rules, &interp_sc, &err) != 0 ||
	    ca_screener_new(rules, &nopd_sc, &err) != 0) {
		fprintf(stderr, "fuzz_screen: %s: %s\n", path, err.msg);
		exit(1);
	}
	ca_yaml_free(doc);
	if ((dict = getenv("CASEAUDIT_FUZZ_WRITE_DICT")) != NULL && *dict != '\0') {
		write_dict(path, dict);
		exit(0);
	}
	ca_screener_set_prefilter(plain_sc, 0);
	ca_screener_set_jit(interp_sc, 0);
	ca_screener_set_personal_data(nopd_sc, 0);
	ca_strbuf_init(&json);
	return 0;
}

/* ---- the checks ---------------------------------------------------------- */

static int
popcount(unsigned v)
{
	int n = 0;

	for (; v; v &= v - 1)
		n++;
	return n;
}

static void
check_result(const uint8_t *text, size_t size, const ca_screen_result *r)
{
	size_t nrules = ca_ruleset_count(rules), npii = 0, nnegations = 0;
	int has[CA_CAT_COUNT] = { 0 };
	unsigned outcomes = 0, flags = 0;
	int pd_limit = 0;

	for (size_t i = 0; i < r->nmatches; i++) {
		const ca_screen_match *m = &r->matches[i];

		REQUIRE(m->start < m->end && m->end <= size, "match %zu (%s) is [%zu, %zu) in "
		    "%zu bytes", i, m->rule, m->start, m->end, size);
		REQUIRE(fuzz_char_boundary(text, size, m->start) && fuzz_char_boundary(text, size, m->end),
		    "match %zu (%s) [%zu, %zu) cuts a character", i, m->rule, m->start, m->end);
		if (i > 0) {
			const ca_screen_match *p = &r->matches[i - 1];

			REQUIRE(p->start < m->start || (p->start == m->start && (p->end < m->end ||
			    (p->end == m->end && p->rule_index <= m->rule_index))),
			    "match %zu (%s [%zu, %zu)) is out of order after %s [%zu, %zu)", i,
			    m->rule, m->start, m->end, p->rule, p->start, p->end);
		}
		if (m->rule_index < 0) {
			REQUIRE(m->rule_index == -1 && strcmp(m->category, "personal_data") == 0 &&
			    strncmp(m->rule, "personal_data.", 14) == 0,
			    "match %zu: rule %s, category %s, index %d", i, m->rule, m->category,
			    m->rule_index);
			npii++;
			continue;
		}
		REQUIRE((size_t)m->rule_index < nrules, "match %zu: rule index %d of %zu", i,
		    m->rule_index, nrules);
		{
			const ca_rule *rule = ca_ruleset_rule(rules, (size_t)m->rule_index);

			REQUIRE(strcmp(m->rule, rule->id) == 0 &&
			    strcmp(m->category, ca_category_ids[rule->category]) == 0,
			    "match %zu: %s/%s for rule %s/%s", i, m->rule, m->category, rule->id,
			    ca_category_ids[rule->category]);
			has[rule->category] = 1;
			if (rule->category == CA_CAT_OUTCOME && rule->outcome >= 0)
				outcomes |= 1u << rule->outcome;
			if (rule->negates != 0)
				nnegations++;
		}
	}
	REQUIRE(r->personal_data >= 0 && (size_t)r->personal_data == npii,
	    "personal_data %d, but %zu such matches", r->personal_data, npii);
	REQUIRE(r->outcomes == outcomes, "outcomes %#x, matches give %#x", r->outcomes, outcomes);
	REQUIRE(r->outcome_count == popcount(r->outcomes), "outcome_count %d for %#x",
	    r->outcome_count, r->outcomes);
	REQUIRE(r->strengths_terms == r->terms[CA_CAT_STRENGTHS] &&
	    r->deficit_terms == r->terms[CA_CAT_DEFICIT], "strengths %d/%d, deficit %d/%d",
	    r->strengths_terms, r->terms[CA_CAT_STRENGTHS], r->deficit_terms,
	    r->terms[CA_CAT_DEFICIT]);
	for (int c = 0; c < CA_CAT_COUNT; c++)
		REQUIRE(r->terms[c] >= 0 && (r->terms[c] > 0) == has[c],
		    "category %s: %d terms, %s matches", ca_category_ids[c], r->terms[c],
		    has[c] ? "some" : "no");

	for (size_t i = 0; i < r->nlimits; i++) {
		const ca_screen_limit *l = &r->limits[i];

		REQUIRE(l->rule != NULL && l->limit != NULL, "limit %zu is incomplete", i);
		if (strcmp(l->rule, "personal_data") == 0)
			pd_limit = 1;
	}
	if (r->outcome_count <= 2)
		flags |= 1u << CA_FLAG_SINGLE_ISSUE;
	if (r->terms[CA_CAT_PERSON_VOICE] == 0)
		flags |= 1u << CA_FLAG_NO_PERSON_VOICE;
	if (r->deficit_terms > r->strengths_terms)
		flags |= 1u << CA_FLAG_DEFICIT_LANGUAGE;
	if (r->terms[CA_CAT_RISK] > 0 && r->terms[CA_CAT_RISK_PLAN] == 0)
		flags |= 1u << CA_FLAG_RISK_WITHOUT_PLAN;
	if (r->terms[CA_CAT_CARER] > 0 && r->terms[CA_CAT_CARER_OFFER] == 0)
		flags |= 1u << CA_FLAG_CARER_WITHOUT_OFFER;
	if (r->terms[CA_CAT_SAFEGUARDING] > 0)
		flags |= 1u << CA_FLAG_SAFEGUARDING_CONCERN;
	if (npii > 0 || pd_limit)
		flags |= 1u << CA_FLAG_PERSONAL_DATA;
	REQUIRE(r->flags == flags, "flags %#x, the counts give %#x", r->flags, flags);

	/* Negation: nothing of a cancelled category overlaps a negation. */
	if (nnegations > 0 && (unsigned long long)nnegations * r->nmatches <= NEGATION_WORK) {
		for (size_t i = 0; i < r->nmatches; i++) {
			const ca_screen_match *neg = &r->matches[i];
			unsigned cancels;

			if (neg->rule_index < 0)
				continue;
			cancels = ca_ruleset_rule(rules, (size_t)neg->rule_index)->negates;
			if (cancels == 0)
				continue;
			for (size_t k = 0; k < r->nmatches; k++) {
				const ca_screen_match *m = &r->matches[k];

				if (m->rule_index < 0 || m->start >= neg->end || neg->start >= m->end)
					continue;
				REQUIRE(!(cancels & (1u << ca_ruleset_rule(rules,
				    (size_t)m->rule_index)->category)),
				    "%s [%zu, %zu) survives the negation %s [%zu, %zu)", m->rule,
				    m->start, m->end, neg->rule, neg->start, neg->end);
			}
		}
	}

	ca_strbuf_reset(&json);
	ca_screen_json(r, &json);
	REQUIRE(!ca_strbuf_failed(&json), "out of memory");
	REQUIRE(fuzz_json_ok(json.data, json.len), "the result's JSON is not well-formed: %.200s",
	    json.data);
}

/* Only limits that depend on the text, not on how it was searched. */
static int
comparable(const ca_screen_result *r)
{
	for (size_t i = 0; i < r->nlimits; i++)
		if (strcmp(r->limits[i].limit, "too_many_matches") != 0)
			return 0;
	return 1;
}

static void
same_result(const char *what, const ca_screen_result *a, const ca_screen_result *b)
{
	size_t n = a->nmatches < b->nmatches ? a->nmatches : b->nmatches;

	for (size_t i = 0; i < n; i++) {
		const ca_screen_match *x = &a->matches[i], *y = &b->matches[i];

		REQUIRE(x->rule_index == y->rule_index && x->start == y->start && x->end == y->end &&
		    strcmp(x->rule, y->rule) == 0, "match %zu: %s [%zu, %zu) as the program "
		    "screens, %s [%zu, %zu) with %s", i, x->rule, x->start, x->end, y->rule,
		    y->start, y->end, what);
	}
	REQUIRE(a->nmatches == b->nmatches, "%zu matches as the program screens, %zu with %s "
	    "(the first %zu agree)", a->nmatches, b->nmatches, what, n);
	REQUIRE(a->flags == b->flags && a->outcomes == b->outcomes &&
	    memcmp(a->terms, b->terms, sizeof a->terms) == 0 && a->nlimits == b->nlimits,
	    "the counts differ with %s", what);
	for (size_t i = 0; i < a->nlimits; i++)
		REQUIRE(strcmp(a->limits[i].rule, b->limits[i].rule) == 0 &&
		    a->limits[i].pattern == b->limits[i].pattern &&
		    strcmp(a->limits[i].limit, b->limits[i].limit) == 0,
		    "limit %zu differs with %s", i, what);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text;
	const ca_screen_result *r = NULL, *other = NULL;
	ca_err err = { 0 };
	int rc;

	/* An empty input may come as NULL; the program passes "" (cmd_screen). */
	if (size == 0)
		data = (const uint8_t *)"";
	text = (const char *)data;
	rc = ca_screen(main_sc, text, size, &r, &err);
	if (!fuzz_valid_text(data, size)) {
		REQUIRE(rc == CA_EX_DATAERR && r == NULL, "malformed UTF-8 gave %d", rc);
		/* Refused by the UTF-8 check itself, before any pattern runs with
		 * checks off, not only later by the personal-data pass. */
		rc = ca_screen(nopd_sc, text, size, &r, &err);
		REQUIRE(rc == CA_EX_DATAERR && r == NULL, "malformed UTF-8 gave %d without the "
		    "personal-data pass: the patterns ran over it with UTF checks off", rc);
		return 0;
	}
	REQUIRE(rc == 0 && r != NULL, "valid text of %zu bytes gave %d (%s)", size, rc, err.msg);
	check_result(data, size, r);

	if (!comparable(r))
		return 0;
	rc = ca_screen(plain_sc, text, size, &other, &err);
	REQUIRE(rc == 0 && other != NULL, "without the prefilter: %d (%s)", rc, err.msg);
	if (comparable(other))
		same_result("the prefilter off", r, other);
	if (size <= INTERP_MAX) {
		rc = ca_screen(interp_sc, text, size, &other, &err);
		REQUIRE(rc == 0 && other != NULL, "the interpreter: %d (%s)", rc, err.msg);
		if (comparable(other))
			same_result("the interpreter", r, other);
	}
	return 0;
}
