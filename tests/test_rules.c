/*
 * test_rules.c - the screening rules file: every kind of mistake a QA lead
 * can make is reported with its exact FILE:LINE:COL, nothing is kept from
 * a file with problems, invalid patterns carry PCRE2's message and offset,
 * and the prefilter strings proved from patterns are the right ones.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rules.h"
#include "strbuf.h"
#include "support.h"
#include "yamltree.h"

/* Problems of one rules text: the lines written (with the temporary path
 * replaced by "R"), the return code and the rule set (NULL on failure). */
typedef struct checked {
	char *problems;
	int rc;
	ca_ruleset *rs;
	ca_err err;
} checked;

static void
check_text(const char *yaml, checked *c)
{
	char *path = test_write_file("r.yaml", yaml, strlen(yaml)), *raw = NULL, *p;
	size_t rawlen = 0, plen = strlen(path);
	FILE *out = open_memstream(&raw, &rawlen);
	ca_yaml_doc *doc = NULL;
	ca_strbuf b;

	memset(c, 0, sizeof *c);
	c->rc = ca_yaml_load(path, &doc, &c->err);
	if (c->rc == 0)
		c->rc = ca_ruleset_from_yaml(doc, out, &c->rs, &c->err);
	fclose(out);
	ca_yaml_free(doc);
	/* messages name the file as given; tests name it R */
	ca_strbuf_init(&b);
	for (p = raw; *p; ) {
		if (strncmp(p, path, plen) == 0) {
			ca_strbuf_adds(&b, "R");
			p += plen;
		} else
			ca_strbuf_add(&b, p++, 1);
	}
	c->problems = strdup(b.data ? b.data : "");
	ca_strbuf_free(&b);
	free(raw);
	unlink(path);
	free(path);
}

static void
checked_free(checked *c)
{
	free(c->problems);
	ca_ruleset_free(c->rs);
}

/* The text must be refused with exactly these problem lines. */
static void
expect_problems(const char *yaml, const char *expected)
{
	checked c;

	check_text(yaml, &c);
	if (strcmp(c.problems, expected) != 0)
		fail_msg("for\n%s\nexpected\n%sgot\n%s", yaml, expected, c.problems);
	assert_int_equal(c.rc, CA_EX_DATAERR);
	assert_null(c.rs);
	checked_free(&c);
}

static void
test_a_good_file_loads(void **state)
{
	checked c;
	const ca_rule *r;

	(void)state;
	check_text("title: test\n"
	    "rules:\n"
	    "  - id: meals\n"
	    "    category: outcome\n"
	    "    outcome: nutrition\n"
	    "    description: Meals.\n"
	    "    patterns:\n"
	    "      - '\\bmeals?\\b'\n"
	    "      - '\\bcook(?:s|ing)?\\b'\n"
	    "  - id: no_concerns\n"
	    "    category: negation\n"
	    "    negates: [risk, carer]\n"
	    "    patterns: ['\\bno concerns\\b[^.]{0,40}']\n"
	    "  - id: one_negated\n"
	    "    category: negation\n"
	    "    negates: safeguarding\n"
	    "    patterns: ['\\bno safeguarding concerns\\b']\n", &c);
	assert_string_equal(c.problems, "");
	assert_int_equal(c.rc, 0);
	assert_non_null(c.rs);
	assert_int_equal(ca_ruleset_count(c.rs), 3);
	assert_true(ca_ruleset_has(c.rs, "meals"));
	assert_false(ca_ruleset_has(c.rs, "Meals"));
	r = ca_ruleset_find(c.rs, "meals");
	assert_int_equal(r->category, CA_CAT_OUTCOME);
	assert_int_equal(r->outcome, ca_outcome_named("nutrition"));
	assert_string_equal(r->description, "Meals.");
	assert_int_equal(r->npatterns, 2);
	assert_int_equal(r->patterns[1].line, 9);
	assert_int_equal(r->patterns[1].col, 9);
	r = ca_ruleset_rule(c.rs, 1);
	assert_int_equal(r->negates, (1u << CA_CAT_RISK) | (1u << CA_CAT_CARER));
	assert_null(r->description);
	assert_int_equal(ca_ruleset_rule(c.rs, 2)->negates, 1u << CA_CAT_SAFEGUARDING);
	checked_free(&c);
}

/* The rule file that ships must load, use JIT everywhere PCRE2 has it,
 * and cover every outcome and category. */
static void
test_shipped_rules_load(void **state)
{
	char path[4096];
	ca_yaml_doc *doc;
	ca_ruleset *rs;
	ca_err err = { 0 };
	size_t jit, n;
	unsigned outcomes = 0, categories = 0;

	(void)state;
	snprintf(path, sizeof path, "%s/forms/screening.yaml", CASEAUDIT_SOURCE_DIR);
	assert_int_equal(ca_yaml_load(path, &doc, &err), 0);
	assert_true(ca_yaml_is_ruleset(doc));
	if (ca_ruleset_from_yaml(doc, stderr, &rs, &err) != 0)
		fail_msg("%s", err.msg);
	n = ca_ruleset_patterns(rs, &jit);
	assert_true(n > 100);
	/* JIT where the platform has it (x86-64 and arm64 do). */
#if defined(__x86_64__) || defined(__aarch64__)
	assert_int_equal(jit, n);
#endif
	for (size_t i = 0; i < ca_ruleset_count(rs); i++) {
		const ca_rule *r = ca_ruleset_rule(rs, i);

		categories |= 1u << r->category;
		if (r->outcome >= 0)
			outcomes |= 1u << r->outcome;
		for (size_t p = 0; p < r->npatterns; p++)
			assert_true(r->patterns[p].len <= CA_RULES_MAX_PATTERN);
	}
	assert_int_equal(outcomes, (1u << CA_OUTCOME_COUNT) - 1);
	assert_int_equal(categories, (1u << CA_CAT_COUNT) - 1);
	ca_ruleset_free(rs);
	ca_yaml_free(doc);
}

static void
test_top_level_problems(void **state)
{
	(void)state;
	expect_problems("", "R:1:1: the file is empty: expected 'rules:' and a list of rules\n");
	expect_problems("- a\n- b\n", "R:1:1: expected a mapping with 'rules:', found a list\n");
	expect_problems("title: x\n", "R:1:1: missing 'rules:' (the list of rules)\n");
	expect_problems("rules: 3\n", "R:1:8: rules: expected a list of rules, found text\n");
	expect_problems("rules:\n", "R:1:7: rules: expected a list of rules, found nothing\n");
	expect_problems("rules: []\n", "R:1:8: rules: the list is empty\n");
	expect_problems("colour: blue\nrules:\n  - id: ok\n    category: strengths\n"
	    "    patterns: ['\\benjoys\\b']\n",
	    "R:1:1: unknown key 'colour' (expected rules, title or description)\n");
	expect_problems("title: [a]\nrules:\n  - id: ok\n    category: strengths\n"
	    "    patterns: ['\\benjoys\\b']\n",
	    "R:1:8: title: expected text, found a list\n");
}

static void
test_rule_shape_problems(void **state)
{
	(void)state;
	expect_problems("rules:\n  - just text\n",
	    "R:2:5: rule #1: expected a mapping with id, category and patterns, found text\n");
	expect_problems("rules:\n  - category: strengths\n    patterns: ['x']\n",
	    "R:2:5: rule #1: missing 'id'\n");
	expect_problems("rules:\n  - id: a\n    patterns: ['x']\n",
	    "R:2:5: rule a: missing 'category' (one of outcome, person_voice, strengths, deficit, "
	    "risk, risk_plan, carer, carer_offer, safeguarding, capacity, advocacy or negation)\n");
	expect_problems("rules:\n  - id: a\n    category: strengths\n",
	    "R:2:5: rule a: missing 'patterns' (a list of one or more patterns)\n");
	expect_problems("rules:\n  - id: [a]\n    category: strengths\n    patterns: ['x']\n",
	    "R:2:9: rule #1: id: expected text, found a list\n");
	expect_problems("rules:\n  - id: Bad-Id\n    category: strengths\n    patterns: ['x']\n",
	    "R:2:9: rule #1: id 'Bad-Id' must be 1 to 64 lower-case letters, digits and _\n");
	expect_problems("rules:\n"
	    "  - id: a\n    category: strengths\n    patterns: ['x']\n"
	    "  - id: a\n    category: deficit\n    patterns: ['y']\n",
	    "R:5:9: rule a: the id is used again (first on line 2)\n");
	expect_problems("rules:\n  - id: a\n    category: strengths\n    colour: red\n"
	    "    patterns: ['x']\n",
	    "R:4:5: rule a: unknown key 'colour' (expected id, category, outcome, negates, "
	    "description or patterns)\n");
	expect_problems("rules:\n  - id: a\n    category: strengths\n    category: deficit\n"
	    "    patterns: ['x']\n",
	    "R:4:5: rule a: 'category' is given twice (first on line 3)\n");
	expect_problems("rules:\n  - id: a\n    category: strengths\n    description: [x]\n"
	    "    patterns: ['x']\n",
	    "R:4:18: rule a: description: expected text, found a list\n");
}

static void
test_category_problems(void **state)
{
	(void)state;
	expect_problems("rules:\n  - id: a\n    category: vibes\n    patterns: ['x']\n",
	    "R:3:15: rule a: unknown category 'vibes' (expected outcome, person_voice, "
	    "strengths, deficit, risk, risk_plan, carer, carer_offer, safeguarding, capacity, "
	    "advocacy or negation)\n");
	expect_problems("rules:\n  - id: a\n    category: {x: 1}\n    patterns: ['x']\n",
	    "R:3:15: rule a: category: expected one of outcome, person_voice, strengths, "
	    "deficit, risk, risk_plan, carer, carer_offer, safeguarding, capacity, advocacy or "
	    "negation, found a mapping\n");
	expect_problems("rules:\n  - id: a\n    category: outcome\n    patterns: ['x']\n",
	    "R:2:5: rule a: an outcome rule needs 'outcome:' (one of nutrition, "
	    "personal_hygiene, toilet_needs, clothing, home_safety, habitable_home, "
	    "relationships, work_education, community_services or caring_for_child)\n");
	expect_problems("rules:\n  - id: a\n    category: outcome\n    outcome: dancing\n"
	    "    patterns: ['x']\n",
	    "R:4:14: rule a: unknown outcome 'dancing' (expected nutrition, personal_hygiene, "
	    "toilet_needs, clothing, home_safety, habitable_home, relationships, "
	    "work_education, community_services or caring_for_child)\n");
	expect_problems("rules:\n  - id: a\n    category: risk\n    outcome: nutrition\n"
	    "    patterns: ['x']\n",
	    "R:4:5: rule a: 'outcome' is only for rules of category outcome\n");
	expect_problems("rules:\n  - id: a\n    category: negation\n    patterns: ['x']\n",
	    "R:2:5: rule a: a negation rule needs 'negates:' (the categories it cancels)\n");
	expect_problems("rules:\n  - id: a\n    category: negation\n    negates: [risk, luck]\n"
	    "    patterns: ['x']\n",
	    "R:4:21: rule a: negates: unknown category 'luck' (expected outcome, person_voice, "
	    "strengths, deficit, risk, risk_plan, carer, carer_offer, safeguarding, capacity, "
	    "advocacy or negation)\n");
	expect_problems("rules:\n  - id: a\n    category: negation\n    negates: negation\n"
	    "    patterns: ['x']\n",
	    "R:4:14: rule a: negates: a negation cannot cancel another negation\n");
	expect_problems("rules:\n  - id: a\n    category: negation\n    negates: []\n"
	    "    patterns: ['x']\n",
	    "R:4:14: rule a: negates: the list is empty\n");
	expect_problems("rules:\n  - id: a\n    category: risk\n    negates: [carer]\n"
	    "    patterns: ['x']\n",
	    "R:4:5: rule a: 'negates' is only for rules of category negation\n");
}

static void
test_pattern_problems(void **state)
{
	char *long_yaml;
	size_t n = 600;

	(void)state;
	expect_problems("rules:\n  - id: a\n    category: risk\n    patterns: falls\n",
	    "R:4:15: rule a: patterns: expected a list of patterns, found text\n");
	expect_problems("rules:\n  - id: a\n    category: risk\n    patterns: []\n",
	    "R:4:15: rule a: patterns: the list is empty\n");
	expect_problems("rules:\n  - id: a\n    category: risk\n    patterns:\n      - {x: y}\n",
	    "R:5:9: rule a: pattern: expected text, found a mapping\n");
	expect_problems("rules:\n  - id: a\n    category: risk\n    patterns: ['']\n",
	    "R:4:16: rule a: pattern is empty\n");
	/* "\b" in double quotes is a backspace to YAML, not a word edge */
	expect_problems("rules:\n  - id: a\n    category: risk\n    patterns: [\"\\bfalls\"]\n",
	    "R:4:16: rule a: pattern holds a control character at offset 0 (write patterns in "
	    "'single quotes' so that \\b and \\s reach PCRE2)\n");
	expect_problems("rules:\n  - id: a\n    category: risk\n    patterns: ['a*']\n",
	    "R:4:16: rule a: pattern can match empty text, so it would match everywhere\n");
	long_yaml = malloc(n + 100);
	snprintf(long_yaml, n + 100, "rules:\n  - id: a\n    category: risk\n    patterns: ['%0*d']\n",
	    (int)n, 0);
	expect_problems(long_yaml, "R:4:16: rule a: pattern is 600 bytes long, more than 500: "
	    "split it into several shorter patterns\n");
	free(long_yaml);
}

/* An invalid pattern: PCRE2's own message and the offset in the pattern. */
static void
test_invalid_patterns(void **state)
{
	(void)state;
	expect_problems("rules:\n  - id: a\n    category: risk\n    patterns:\n"
	    "      - '\\bfalls?\\b'\n      - '\\bfall(?:s|en'\n",
	    "R:6:9: rule a: pattern does not compile: missing closing parenthesis at offset 13\n");
	expect_problems("rules:\n  - id: a\n    category: risk\n    patterns: ['[a-']\n",
	    "R:4:16: rule a: pattern does not compile: missing terminating ] for character "
	    "class at offset 3\n");
	expect_problems("rules:\n  - id: a\n    category: risk\n    patterns: ['*falls']\n",
	    "R:4:16: rule a: pattern does not compile: quantifier does not follow a repeatable "
	    "item at offset 0\n");
	expect_problems("rules:\n  - id: a\n    category: risk\n    patterns: ['x{2,1}']\n",
	    "R:4:16: rule a: pattern does not compile: numbers out of order in {} quantifier "
	    "at offset 5\n");
}

/* Every problem in one pass, in file order, and nothing kept. */
static void
test_all_problems_at_once(void **state)
{
	checked c;

	(void)state;
	check_text("rules:\n"
	    "  - id: a\n    category: risk\n    patterns: ['(']\n"
	    "  - id: b\n    category: nonsense\n    patterns: ['x']\n"
	    "  - id: a\n    category: risk\n    patterns: ['ok']\n", &c);
	assert_string_equal(c.problems,
	    "R:4:16: rule a: pattern does not compile: missing closing parenthesis at offset 1\n"
	    "R:6:15: rule b: unknown category 'nonsense' (expected outcome, person_voice, "
	    "strengths, deficit, risk, risk_plan, carer, carer_offer, safeguarding, capacity, "
	    "advocacy or negation)\n"
	    "R:8:9: rule a: the id is used again (first on line 2)\n");
	assert_int_equal(c.rc, CA_EX_DATAERR);
	assert_null(c.rs);
	assert_non_null(strstr(c.err.msg, "3 problems in the screening rules; nothing was loaded"));
	checked_free(&c);
}

/* Not well-formed YAML is libyaml's message, with its place. */
static void
test_bad_yaml(void **state)
{
	checked c;

	(void)state;
	check_text("rules:\n  - id: a\n   category: x\n", &c);
	assert_int_equal(c.rc, CA_EX_DATAERR);
	assert_null(c.rs);
	assert_non_null(strstr(c.err.msg, ":3:"));
	checked_free(&c);
}

/* ---- the prefilter ------------------------------------------------------- */

/* The prefilter strings and anchors proved for one pattern, as "a|b @N"
 * (N: how far before an anchor a match may start), "-" for none. */
static char *
describe(const char *pattern)
{
	char yaml[1024], out[1024];
	size_t o = 0;
	checked c;
	const ca_rule_pattern *p;

	snprintf(yaml, sizeof yaml, "rules:\n  - id: a\n    category: risk\n    patterns: ['%s']\n",
	    pattern);
	check_text(yaml, &c);
	if (c.rs == NULL)
		fail_msg("%s: %s", pattern, c.problems);
	p = &ca_ruleset_rule(c.rs, 0)->patterns[0];
	out[0] = '\0';
	for (size_t i = 0; i < p->nliterals; i++)
		o += (size_t)snprintf(out + o, sizeof out - o, "%s%s", i ? "|" : "",
		    ca_ruleset_literal(c.rs, p->literals[i]));
	if (p->nliterals == 0)
		o += (size_t)snprintf(out + o, sizeof out - o, "-");
	o += (size_t)snprintf(out + o, sizeof out - o, " ~ ");
	for (size_t i = 0; i < p->nanchors; i++)
		o += (size_t)snprintf(out + o, sizeof out - o, "%s%s", i ? "|" : "",
		    ca_ruleset_literal(c.rs, p->anchors[i]));
	if (p->nanchors == 0)
		snprintf(out + o, sizeof out - o, "-");
	else
		snprintf(out + o, sizeof out - o, " @%zu", p->anchor_back);
	checked_free(&c);
	return strdup(out);
}

static void
expect_literals(const char *pattern, const char *expected)
{
	char *got = describe(pattern);

	if (strcmp(got, expected) != 0)
		fail_msg("pattern %s: expected \"%s\", got \"%s\"", pattern, expected, got);
	free(got);
}

static void
test_prefilter_strings(void **state)
{
	(void)state;
	/* a plain word, lower-cased */
	expect_literals("\\bStairs?\\b", "stair ~ stair @0");
	/* the most selective string is the filter; the nearest the anchor */
	expect_literals("\\bsuffers? from\\b", "suffer ~ suffer @0");
	expect_literals("\\b(?:is|are) unable to\\b",
	    "is unable to|are unable to ~ is unable to|are unable to @0");
	/* a group of plain words before or after a string makes several */
	expect_literals("\\b(?:oral|foot) care\\b", "oral care|foot care ~ oral care|foot care @0");
	expect_literals("\\b(?:get|go) out\\b", "get out|go out ~ get out|go out @0");
	/* too many combinations: the parts instead */
	expect_literals("\\b(?:a|b|c|d|e|f)(?:g|h|i|j|k|l)(?:m|n|o|p|q|r)xyz",
	    "mxyz|nxyz|oxyz|pxyz|qxyz|rxyz ~ mxyz|nxyz|oxyz|pxyz|qxyz|rxyz @2");
	/* a group that repeats is no plain string */
	expect_literals("\\b(?:ab|cd)+ home\\b", " home ~ -");
	/* alternatives: one of them must be there */
	expect_literals("\\b(?:direct payment|personal budget)s?\\b",
	    "direct payment|personal budget ~ direct payment|personal budget @0");
	/* an optional group is no requirement */
	expect_literals("\\b(?:very )?unsafe\\b", "unsafe ~ unsafe @5");
	/* lookarounds: negative ones need nothing, and nothing is anchored
	 * inside a lookaround */
	expect_literals("(?<!no )\\bfalls\\b(?! asleep)", "falls ~ falls @0");
	expect_literals("\\bfalls(?= prevention)", " prevention ~ falls @0");
	/* an unbounded repeat before the string: filter yes, anchor no */
	expect_literals("\\w+ said", " said ~ -");
	/* a common word filters nothing, but is still a place to try the
	 * pattern instead of scanning the text; a rarer string anchors first */
	expect_literals("\\bif [^.;]{3,60} then\\b", "- ~ if  @0");
	expect_literals("\\bwith [a-z]+ carer\\b", " carer ~ with  @0");
	expect_literals("\\bif you (?:fall|trip)\\b", "if you fall|if you trip ~ if you fall|if you trip @0");
	/* nothing of three characters or more: the pattern always runs */
	expect_literals("\"[^\"]{2,60}\"", "- ~ -");
	expect_literals("\\b(?:a|b)c\\b", "- ~ -");
	/* syntax the reader does not follow: no filter, never a wrong one */
	expect_literals("(?x) fall s", "- ~ -");
	expect_literals("\\Qfalls\\E", "- ~ -");
	expect_literals("(a)\\1falls", "- ~ -");
	expect_literals("falls{,3}", "- ~ -");
	/* escaped punctuation is a plain character */
	expect_literals("\\bs\\.42\\b", "s.42 ~ s.42 @0");
	/* a top-level alternation needs every branch to need something */
	expect_literals("hoarding|clutter", "hoarding|clutter ~ hoarding|clutter @0");
	expect_literals("hoarding|\\w+", "- ~ -");
}

/* Whether every match of a pattern begins with \b (so that screening need
 * not try it between two word characters). */
static int
starts_b(const char *pattern)
{
	char yaml[1024];
	checked c;
	int b;

	snprintf(yaml, sizeof yaml, "rules:\n  - id: a\n    category: risk\n    patterns: ['%s']\n",
	    pattern);
	check_text(yaml, &c);
	if (c.rs == NULL)
		fail_msg("%s: %s", pattern, c.problems);
	b = ca_ruleset_rule(c.rs, 0)->patterns[0].starts_b;
	checked_free(&c);
	return b;
}

static void
test_leading_word_boundary(void **state)
{
	(void)state;
	assert_true(starts_b("\\bmeals?\\b"));
	assert_true(starts_b("\\b(?:is|are) unable to\\b"));
	assert_true(starts_b("\\bfoo|\\bbar"));
	assert_true(starts_b("\\b\\w+ said"));
	/* an alternative without it, or anything before it: not proved */
	assert_false(starts_b("\\bfoo|bar"));
	assert_false(starts_b("foo|\\bbar"));
	assert_false(starts_b("meals\\b"));
	assert_false(starts_b("(?:\\bfoo)"));
	assert_false(starts_b("(?i)\\bfoo"));
	assert_false(starts_b("(?<!no )\\bfalls\\b"));
	assert_false(starts_b("\\Bfoo"));
	assert_false(starts_b("\\\\bfoo"));       /* a backslash, then "bfoo" */
	/* syntax the reader does not follow proves nothing */
	assert_false(starts_b("\\bfoo(?#()|bar"));    /* a comment, then another alternative */
	assert_false(starts_b("\\b\\Qfoo|bar\\E"));
}

/* The automaton finds every string, ignoring case, including the two
 * characters outside ASCII that PCRE2 matches to ASCII letters. */
static void
test_literal_scan(void **state)
{
	checked c;
	unsigned char present[16];
	unsigned found[16];
	ca_literal_hits hits = { .max = 100 };
	size_t k = 0, s = 0, nfound = 0;

	(void)state;
	check_text("rules:\n  - id: a\n    category: risk\n"
	    "    patterns: ['\\bkettle\\b', '\\bsafe\\b', '\\bafe\\b']\n", &c);
	assert_int_equal(ca_ruleset_literal_count(c.rs), 3);
	for (size_t i = 0; i < 3; i++) {
		if (strcmp(ca_ruleset_literal(c.rs, i), "kettle") == 0)
			k = i;
		if (strcmp(ca_ruleset_literal(c.rs, i), "safe") == 0)
			s = i;
	}
	memset(present, 0, sizeof present);
	assert_int_equal(ca_ruleset_find_literals(c.rs, "A SAFE place", 12, present, found,
	    &nfound, &hits), 0);
	assert_int_equal(present[s], 1);
	assert_int_equal(present[k], 0);
	/* the strings found, each once: "safe" and "afe" */
	assert_int_equal(nfound, 2);
	assert_true(found[0] != found[1] && present[found[0]] && present[found[1]]);
	/* a string already present is not listed again */
	assert_int_equal(ca_ruleset_find_literals(c.rs, "safe, safe kettle", 17, present, found,
	    &nfound, NULL), 0);
	assert_int_equal(nfound, 3);
	assert_int_equal(found[2], k);
	/* "safe" and its suffix "afe" both end at byte 6 */
	assert_int_equal(hits.n, 2);
	assert_int_equal(hits.v[0].end, 6);
	assert_int_equal(hits.v[1].end, 6);
	/* KELVIN SIGN (3 bytes) for K, LONG S (2 bytes) for s */
	memset(present, 0, sizeof present);
	assert_int_equal(ca_ruleset_find_literals(c.rs, "\xE2\x84\xAA" "ettle \xC5\xBF" "afe",
	    14, present, NULL, NULL, &hits), 0);
	assert_int_equal(present[k], 1);
	assert_int_equal(present[s], 1);
	assert_int_equal(hits.v[0].end, 8);
	/* more occurrences than max: present stays complete */
	hits.max = 1;
	memset(present, 0, sizeof present);
	assert_int_equal(ca_ruleset_find_literals(c.rs, "safe kettle", 11, present, NULL, NULL,
	    &hits), 0);
	assert_true(hits.overflow);
	assert_int_equal(present[k], 1);
	free(hits.v);
	free(hits.tmp);
	checked_free(&c);
}

/* Every occurrence of string lit in text, found the slow way, reading
 * KELVIN SIGN as k and LONG S as s: appended to v as (end, literal). */
static size_t
naive_occurrences(const char *text, size_t len, const char *lit, unsigned id,
    ca_literal_hit *v, size_t n)
{
	for (size_t i = 0; i < len; i++) {
		size_t at = i, j = 0;

		for (; lit[j] != '\0' && at < len; j++) {
			unsigned char c = (unsigned char)text[at];

			if (c == 0xE2 && at + 2 < len && (unsigned char)text[at + 1] == 0x84 &&
			    (unsigned char)text[at + 2] == 0xAA) {
				c = 'k';
				at += 3;
			} else if (c == 0xC5 && at + 1 < len && (unsigned char)text[at + 1] == 0xBF) {
				c = 's';
				at += 2;
			} else
				at++;
			if (c >= 'A' && c <= 'Z')
				c = (unsigned char)(c - 'A' + 'a');
			if (c != (unsigned char)lit[j])
				break;
		}
		if (lit[j] == '\0')
			v[n++] = (ca_literal_hit){ at, id };
	}
	return n;
}

static size_t
count_zero(const unsigned char *v, size_t n)
{
	size_t z = 0;

	for (size_t i = 0; i < n; i++)
		z += v[i] == 0;
	return z;
}

static int
by_end_then_literal(const void *a, const void *b)
{
	const ca_literal_hit *x = a, *y = b;

	if (x->end != y->end)
		return x->end < y->end ? -1 : 1;
	return (x->literal > y->literal) - (x->literal < y->literal);
}

/* Long texts are scanned in two stretches side by side: whatever straddles
 * the middle, and whatever non-ASCII characters stand near it, every
 * occurrence is found once, as a search for each string finds them. */
static void
test_literal_scan_long(void **state)
{
	static const char *const pieces[] = {
		"kettle", "KETTLE", "\xE2\x84\xAA", "ettle", "safe", "\xC5\xBF", "afe", "stairs",
		"risk", "ri\xC5\xBFk", "sksk", "abcdefghijklmnopqrst", " ", " ", "\xC3\xA9",
		"\xF0\x9F\x98\x80", "x", ".", "kkkk",
		/* the longest string there can be (16 characters), in the most
		 * bytes it can take (48) */
		"\xE2\x84\xAA\xE2\x84\xAA\xE2\x84\xAA\xE2\x84\xAA\xE2\x84\xAA\xE2\x84\xAA"
		"\xE2\x84\xAA\xE2\x84\xAA\xE2\x84\xAA\xE2\x84\xAA\xE2\x84\xAA\xE2\x84\xAA"
		"\xE2\x84\xAA\xE2\x84\xAA\xE2\x84\xAA\xE2\x84\xAA",
	};
	checked c;
	unsigned char present[32];
	unsigned found[32];
	ca_literal_hits hits = { .max = 100000 };
	ca_literal_hit *want = malloc(20000 * sizeof *want);
	char *text = malloc(4000);
	uint32_t x = 99u;

	(void)state;
	assert_non_null(want);
	assert_non_null(text);
	check_text("rules:\n  - id: a\n    category: risk\n"
	    "    patterns: ['\\bkettle\\b', '\\bsafe\\b', '\\bafe\\b', 'stairs', 'risks?', "
	    "'sksk', 'abcdefghijklmnopqrst', 'kkkkkkkkkkkkkkkkkk']\n", &c);
	for (int trial = 0; trial < 3000; trial++) {
		size_t len = 0, nwant = 0, nfound = 0, target;

		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		target = x % 3000;
		while (len < target) {
			const char *p;

			x ^= x << 13;
			x ^= x >> 17;
			x ^= x << 5;
			p = pieces[x % (sizeof pieces / sizeof pieces[0])];
			memcpy(text + len, p, strlen(p));
			len += strlen(p);
		}
		for (size_t i = 0; i < ca_ruleset_literal_count(c.rs); i++)
			nwant = naive_occurrences(text, len, ca_ruleset_literal(c.rs, i), (unsigned)i,
			    want, nwant);
		memset(present, 0, sizeof present);
		assert_int_equal(ca_ruleset_find_literals(c.rs, text, len, present, found, &nfound,
		    &hits), 0);
		assert_false(hits.overflow);
		for (size_t i = 1; i < hits.n; i++)
			if (hits.v[i - 1].end > hits.v[i].end)
				fail_msg("trial %d: occurrence %zu ends at %zu, after the next (%zu)",
				    trial, i - 1, hits.v[i - 1].end, hits.v[i].end);
		if (hits.n != nwant)
			fail_msg("trial %d, %zu bytes: %zu occurrences found, %zu there", trial, len,
			    hits.n, nwant);
		qsort(hits.v, hits.n, sizeof *hits.v, by_end_then_literal);
		qsort(want, nwant, sizeof *want, by_end_then_literal);
		for (size_t i = 0; i < nwant; i++)
			if (hits.v[i].end != want[i].end || hits.v[i].literal != want[i].literal)
				fail_msg("trial %d, %zu bytes: occurrence %zu is \"%s\" ending at %zu, "
				    "want \"%s\" ending at %zu", trial, len, i,
				    ca_ruleset_literal(c.rs, hits.v[i].literal), hits.v[i].end,
				    ca_ruleset_literal(c.rs, want[i].literal), want[i].end);
		for (size_t i = 0; i < ca_ruleset_literal_count(c.rs); i++) {
			int there = 0;

			for (size_t k = 0; k < nwant; k++)
				there |= want[k].literal == i;
			assert_int_equal(present[i], there);
		}
		for (size_t i = 0; i < nfound; i++)
			assert_true(present[found[i]]);
		assert_int_equal(nfound, memchr(present, 1, sizeof present) == NULL ? 0 :
		    (size_t)(sizeof present - (size_t)count_zero(present, sizeof present)));
	}
	free(hits.v);
	free(hits.tmp);
	free(want);
	free(text);
	checked_free(&c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_a_good_file_loads),
		cmocka_unit_test(test_shipped_rules_load),
		cmocka_unit_test(test_top_level_problems),
		cmocka_unit_test(test_rule_shape_problems),
		cmocka_unit_test(test_category_problems),
		cmocka_unit_test(test_pattern_problems),
		cmocka_unit_test(test_invalid_patterns),
		cmocka_unit_test(test_all_problems_at_once),
		cmocka_unit_test(test_bad_yaml),
		cmocka_unit_test(test_prefilter_strings),
		cmocka_unit_test(test_leading_word_boundary),
		cmocka_unit_test(test_literal_scan),
		cmocka_unit_test(test_literal_scan_long),
	};

	return cmocka_run_group_tests_name("rules", tests, NULL, NULL);
}
