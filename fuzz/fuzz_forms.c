/*
 * fuzz_forms.c - libFuzzer target for the form loader: the input is a YAML
 * file as `caseaudit forms load` reads it (audit/yamltree.h), then either a
 * checklist (audit/forms.h) or, when it has `rules:`, a screening rules
 * document (audit/rules.h).
 *
 * Beyond "no crash, no leak, no undefined behaviour", every input is held
 * to what the headers promise:
 *   - ca_yaml_parse gives 0 and a tree, or 65 (70 only for want of memory)
 *     with a message and no tree; the tree has mappings keyed by scalars,
 *     places from 1:1 on, NUL-terminated scalars, nesting of at most 64;
 *   - a checklist gives 0 with a form and no problems, or 65 with at least
 *     one problem; every problem line reads PATH:LINE:COL: text and is valid
 *     UTF-8; a sound checklist's canonical JSON is well-formed JSON, valid
 *     UTF-8, and digests the same twice; its prompts are checked against
 *     the shipped rules as `forms load` does;
 *   - a rules document gives 0 with a rule set, or 65 with problem lines as
 *     above and no rule set; a rule set's lookups agree with its rules, and
 *     screening a few fixed narratives and the input itself gives the same
 *     result with the literal prefilter on and off (rules.h: the prefilter
 *     changes speed, never results), when no limit was hit.
 *
 * CASEAUDIT_SCREENING in the environment names a rules file to check
 * prompts against instead of the shipped one.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_support.h"
#include "error.h"
#include "forms.h"
#include "rules.h"
#include "screen.h"
#include "sha256.h"
#include "strbuf.h"
#include "utf8.h"
#include "yamltree.h"

#ifndef CASEAUDIT_SCREENING
#define CASEAUDIT_SCREENING "forms/screening.yaml"
#endif

#define NAME "fuzz.yaml"
/* Rule sets screen the input itself up to this many bytes. */
#define SELF_MAX 65536

static ca_ruleset *shipped;

/* Narratives for fuzzed rule sets: plain, with the characters that match
 * ASCII letters when case is ignored (KELVIN SIGN, LONG S), other case
 * pairs, combining marks, NUL and line breaks. */
static const char narrative1[] =
	"Mrs A lives alone and says she wants to stay at home. Her daughter is her "
	"carer and was offered a carer's assessment. No concerns about falls were "
	"identified; she manages her meals, washing and dressing with support.";
static const char narrative2[] =
	"Risk of falls: the OT assessed the home. He suffers from dementia and is a "
	"burden, according to the referral. Safeguarding concern raised 03/02/2026.";
static const char narrative3[] =
	"RISK \xe2\x84\xaa\x65y ri\xc5\xbfk \xc4\xb0ll \xc4\xb1ll stra\xc3\x9f\x65 "
	"STRASSE caf\xc3\xa9 cafe\xcc\x81 \xe2\x80\x9cquoted\xe2\x80\x9d \xe2\x80\x94 "
	"tab\there\nnew line\r\nend";
static const char narrative4[] =
	"\x00 nul \x00 at the start; aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab "
	"abababababababababababababab 1234567890 ((((((((((((((((((((";
static const struct {
	const char *text;
	size_t len;
} narratives[] = {
	{ narrative1, sizeof narrative1 - 1 },
	{ narrative2, sizeof narrative2 - 1 },
	{ narrative3, sizeof narrative3 - 1 },
	{ narrative4, sizeof narrative4 - 1 },
};
#define NNARRATIVES (sizeof narratives / sizeof narratives[0])

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *path = getenv("CASEAUDIT_SCREENING");
	ca_yaml_doc *doc = NULL;
	ca_err err = { 0 };

	(void)argc;
	(void)argv;
	if (path == NULL || *path == '\0')
		path = CASEAUDIT_SCREENING;
	if (ca_yaml_load(path, &doc, &err) != 0 ||
	    ca_ruleset_from_yaml(doc, stderr, &shipped, &err) != 0) {
		fprintf(stderr, "fuzz_forms: %s: %s\n", path, err.msg);
		exit(1);
	}
	ca_yaml_free(doc);
	return 0;
}

/* ---- the checks ---------------------------------------------------------- */

static void
check_tree(const ca_yaml_node *n, int depth)
{
	REQUIRE(depth <= 65, "nested %d deep", depth);
	REQUIRE(n->line >= 1 && n->col >= 1, "a node at %d:%d", n->line, n->col);
	switch (n->kind) {
	case CA_YAML_SCALAR:
		REQUIRE(n->value != NULL && n->value[n->len] == '\0' && n->n == 0,
		    "a scalar at %d:%d is malformed", n->line, n->col);
		break;
	case CA_YAML_MAP:
		for (size_t i = 0; i < n->n; i++) {
			REQUIRE(n->keys[i]->kind == CA_YAML_SCALAR, "the key of pair %zu at %d:%d "
			    "is %s", i, n->line, n->col, ca_yaml_kind_name(n->keys[i]));
			check_tree(n->keys[i], depth + 1);
			check_tree(n->items[i], depth + 1);
		}
		break;
	case CA_YAML_SEQ:
		REQUIRE(n->keys == NULL, "a list at %d:%d has keys", n->line, n->col);
		for (size_t i = 0; i < n->n; i++)
			check_tree(n->items[i], depth + 1);
		break;
	default:
		REQUIRE(0, "a node of kind %d", (int)n->kind);
	}
}

/* Each line "PATH:LINE:COL: text", valid UTF-8; returns how many. */
static size_t
check_problem_lines(const char *text, size_t len)
{
	size_t lines = 0, where;

	REQUIRE(ca_utf8_check((const unsigned char *)text, len, &where) == CA_UTF8_OK,
	    "a problem message is not valid UTF-8 at byte %zu: %.*s", where,
	    (int)(len - where < 200 ? len - where : 200), text + where);
	for (const char *p = text, *end = text + len; p < end; lines++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *q = p + strlen(NAME);
		long line, col;
		char *e;

		REQUIRE(nl != NULL, "a problem line is not ended: %.200s", p);
		REQUIRE(strncmp(p, NAME ":", strlen(NAME) + 1) == 0, "a problem line does not "
		    "start with the path: %.*s", (int)(nl - p), p);
		/* the last lines of a long list (ca_form_problems_print) */
		if (q[1] == ' ') {
			static const char more[] = " more problems not listed";
			size_t n = sizeof more - 1;

			REQUIRE(((size_t)(nl - p) > n && memcmp(nl - n, more, n) == 0) ||
			    strncmp(q + 2, "some problems could not be listed", 33) == 0,
			    "a problem line without its place: %.*s", (int)(nl - p), p);
			p = nl + 1;
			continue;
		}
		line = strtol(q + 1, &e, 10);
		REQUIRE(e > q + 1 && *e == ':' && line >= 1, "bad line number: %.*s",
		    (int)(nl - p), p);
		q = e;
		col = strtol(q + 1, &e, 10);
		REQUIRE(e > q + 1 && e[0] == ':' && e[1] == ' ' && col >= 1 && e + 2 < nl,
		    "bad column or no text: %.*s", (int)(nl - p), p);
		p = nl + 1;
	}
	return lines;
}

static void
check_problems(ca_form_problems *p)
{
	char *text = NULL;
	size_t len = 0, lines;
	FILE *f = open_memstream(&text, &len);

	REQUIRE(f != NULL, "open_memstream failed");
	ca_form_problems_print(p, f);
	fclose(f);
	lines = check_problem_lines(text, len);
	REQUIRE(lines >= p->n, "%zu problems printed as %zu lines", p->n, lines);
	free(text);
}

static void
check_form(const ca_yaml_doc *doc)
{
	ca_form_problems problems;
	ca_form *form = NULL;
	ca_strbuf json, again;
	char sha[CA_SHA256_HEX_LEN + 1], sha2[CA_SHA256_HEX_LEN + 1];
	ca_err err = { 0 };
	int rc;

	ca_form_problems_init(&problems, NAME);
	rc = ca_form_from_yaml(doc, &problems, &form, &err);
	REQUIRE(rc == 0 || rc == CA_EX_DATAERR, "ca_form_from_yaml gave %d (%s)", rc, err.msg);
	if (rc == 0) {
		REQUIRE(form != NULL && problems.n == 0 && problems.dropped == 0,
		    "a sound checklist with %zu problems", problems.n);
		REQUIRE(form->name != NULL && form->title != NULL && form->n_scales > 0 &&
		    form->n_sections > 0, "a sound checklist lacks a part");
		for (size_t s = 0; s < form->n_sections; s++) {
			REQUIRE(form->sections[s].title != NULL && form->sections[s].domain != NULL &&
			    form->sections[s].n_questions > 0, "section %zu lacks a part", s);
			for (size_t q = 0; q < form->sections[s].n_questions; q++) {
				const ca_form_question *qq = &form->sections[s].questions[q];

				REQUIRE(qq->id != NULL && qq->text != NULL && qq->good != NULL &&
				    qq->partial != NULL && qq->poor != NULL && qq->scale < form->n_scales,
				    "question %zu of section %zu lacks a part", q, s);
			}
		}
		ca_strbuf_init(&json);
		ca_strbuf_init(&again);
		REQUIRE(ca_form_digest(form, &json, sha) == 0, "out of memory");
		REQUIRE(fuzz_json_ok(json.data, json.len), "the canonical JSON is not well-formed: "
		    "%.300s", json.data);
		REQUIRE(ca_form_digest(form, &again, sha2) == 0, "out of memory");
		REQUIRE(json.len == again.len && memcmp(json.data, again.data, json.len) == 0 &&
		    strcmp(sha, sha2) == 0, "two digests of one checklist differ");
		ca_strbuf_free(&json);
		ca_strbuf_free(&again);
		(void)ca_form_question_count(form);
		(void)ca_form_first_prompt(form);
	} else {
		REQUIRE(problems.n + problems.dropped > 0 || problems.oom,
		    "65 without a problem");
	}
	/* As `forms load` does, prompts of a checklist with problems too. */
	if (form != NULL)
		(void)ca_form_check_prompts(form, shipped, "forms/screening.yaml", &problems);
	REQUIRE(problems.n <= CA_FORM_MAX_PROBLEMS, "%zu problems listed", problems.n);
	check_problems(&problems);
	ca_form_free(form);
	ca_form_problems_free(&problems);
}

/* Screen text with and without the prefilter and compare. */
static void
compare_screening(ca_screener *on, ca_screener *off, const char *text, size_t len,
    const char *what)
{
	const ca_screen_result *a = NULL, *b = NULL;
	ca_err err = { 0 };
	int rc;

	rc = ca_screen(on, text, len, &a, &err);
	REQUIRE(rc == 0, "screening %s gave %d (%s)", what, rc, err.msg);
	rc = ca_screen(off, text, len, &b, &err);
	REQUIRE(rc == 0, "screening %s without the prefilter gave %d (%s)", what, rc, err.msg);
	for (size_t i = 0; i < a->nlimits; i++)
		if (strcmp(a->limits[i].limit, "too_many_matches") != 0)
			return;
	for (size_t i = 0; i < b->nlimits; i++)
		if (strcmp(b->limits[i].limit, "too_many_matches") != 0)
			return;
	for (size_t i = 0; i < a->nmatches && i < b->nmatches; i++) {
		const ca_screen_match *x = &a->matches[i], *y = &b->matches[i];

		REQUIRE(x->rule_index == y->rule_index && x->start == y->start && x->end == y->end,
		    "screening %s, match %zu: %s [%zu, %zu) with the prefilter, %s [%zu, %zu) "
		    "without", what, i, x->rule, x->start, x->end, y->rule, y->start, y->end);
	}
	REQUIRE(a->nmatches == b->nmatches, "screening %s: %zu matches with the prefilter, "
	    "%zu without", what, a->nmatches, b->nmatches);
	REQUIRE(a->flags == b->flags && a->outcomes == b->outcomes &&
	    memcmp(a->terms, b->terms, sizeof a->terms) == 0,
	    "screening %s: the counts differ with the prefilter", what);
}

static void
check_rules(const ca_yaml_doc *doc, const uint8_t *data, size_t size)
{
	ca_ruleset *rs = NULL;
	ca_screener *on = NULL, *off = NULL;
	char *text = NULL;
	size_t len = 0, n, jit = 0, npat = 0;
	char sha[CA_SHA256_HEX_LEN + 1], sha2[CA_SHA256_HEX_LEN + 1];
	ca_err err = { 0 };
	FILE *f = open_memstream(&text, &len);
	int rc;

	REQUIRE(f != NULL, "open_memstream failed");
	rc = ca_ruleset_from_yaml(doc, f, &rs, &err);
	fclose(f);
	REQUIRE(rc == 0 || rc == CA_EX_DATAERR, "ca_ruleset_from_yaml gave %d (%s)", rc,
	    err.msg);
	(void)check_problem_lines(text, len);
	free(text);
	REQUIRE(ca_yaml_digest(doc, sha) == 0 && ca_yaml_digest(doc, sha2) == 0 &&
	    strcmp(sha, sha2) == 0, "two digests of one document differ");
	if (rc != 0) {
		REQUIRE(rs == NULL, "65 with a rule set");
		return;
	}
	REQUIRE(rs != NULL, "0 without a rule set");
	n = ca_ruleset_count(rs);
	for (size_t i = 0; i < n; i++) {
		const ca_rule *r = ca_ruleset_rule(rs, i);

		REQUIRE(r != NULL && r->id != NULL && ca_ruleset_find(rs, r->id) == r &&
		    ca_ruleset_has(rs, r->id), "rule %zu is not found by its id", i);
		REQUIRE((int)r->category >= 0 && r->category < CA_CAT_COUNT && r->npatterns > 0,
		    "rule %s: category %d, %zu patterns", r->id, (int)r->category, r->npatterns);
		REQUIRE((r->category == CA_CAT_OUTCOME) == (r->outcome >= 0) &&
		    r->outcome < CA_OUTCOME_COUNT, "rule %s: outcome %d", r->id, r->outcome);
		npat += r->npatterns;
	}
	REQUIRE(ca_ruleset_patterns(rs, &jit) == npat && jit <= npat, "%zu patterns counted, "
	    "%zu in the rules", ca_ruleset_patterns(rs, &jit), npat);
	for (size_t i = 0; i < ca_ruleset_literal_count(rs); i++) {
		const char *lit = ca_ruleset_literal(rs, i);

		REQUIRE(lit != NULL && *lit != '\0', "prefilter string %zu is empty", i);
		for (const char *c = lit; *c; c++)
			REQUIRE(!(*c >= 'A' && *c <= 'Z'), "prefilter string \"%s\" is not lower "
			    "case", lit);
	}

	/* The prefilter must not change what screening finds. */
	REQUIRE(ca_screener_new(rs, &on, &err) == 0 && ca_screener_new(rs, &off, &err) == 0,
	    "a screener: %s", err.msg);
	ca_screener_set_prefilter(off, 0);
	for (size_t i = 0; i < NNARRATIVES; i++)
		compare_screening(on, off, narratives[i].text, narratives[i].len,
		    "a fixed narrative");
	if (size <= SELF_MAX && fuzz_valid_text(data, size))
		compare_screening(on, off, (const char *)data, size, "the input itself");
	ca_screener_free(on);
	ca_screener_free(off);
	ca_ruleset_free(rs);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ca_yaml_doc *doc = NULL;
	ca_err err = { 0 };
	int rc;

	/* An empty input may come as NULL; a file read is never NULL. */
	if (size == 0)
		data = (const uint8_t *)"";
	rc = ca_yaml_parse(NAME, (const char *)data, size, &doc, &err);
	if (rc != 0) {
		REQUIRE(rc == CA_EX_DATAERR || rc == CA_EX_SOFTWARE, "ca_yaml_parse gave %d", rc);
		REQUIRE(doc == NULL && err.msg[0] != '\0', "an error without a message");
		return 0;
	}
	REQUIRE(doc != NULL && doc->path != NULL && strcmp(doc->path, NAME) == 0,
	    "a document without its path");
	if (doc->root != NULL)
		check_tree(doc->root, 1);
	if (ca_yaml_is_ruleset(doc))
		check_rules(doc, data, size);
	else
		check_form(doc);
	ca_yaml_free(doc);
	return 0;
}
