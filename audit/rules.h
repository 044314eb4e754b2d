/*
 * rules.h - the screening rules: forms/screening.yaml, as the QA lead
 * edits it, validated and compiled.
 *
 * A rules document has a top-level `rules:` list; each rule has an id, a
 * category and one or more PCRE2 patterns (compiled once with UTF and UCP,
 * JIT where available).  The screening engine (screen.h) runs a compiled
 * rule set over narratives; the forms loader uses it to check that the
 * prompts a checklist names exist.
 *
 * The file format, for the QA lead, is documented at the head of
 * forms/screening.yaml itself:
 *
 *   rules:
 *     - id: nutrition_meals          # [a-z0-9_]+, unique in the file
 *       category: outcome            # one of ca_category_ids
 *       outcome: nutrition           # outcome rules only: one of ca_outcome_ids
 *       negates: [risk]              # negation rules only: what they cancel
 *       description: text            # optional
 *       patterns:                    # PCRE2, matched ignoring case
 *         - '\bmeals?\b'
 *
 * A negation rule cancels every match of the categories it names that
 * overlaps one of its own matches ("no concerns about falls" cancels the
 * falls risk inside it).  See screen.h for how matches become flags.
 */
#ifndef CASEAUDIT_RULES_H
#define CASEAUDIT_RULES_H

#include <stddef.h>
#include <stdio.h>

#include "error.h"
#include "yamltree.h"

/* The ten eligibility outcomes of the Care and Support (Eligibility
 * Criteria) Regulations 2015, reg 2(2), in the regulations' order: the
 * order screening results list them in. */
#define CA_OUTCOME_COUNT 10
extern const char *const ca_outcome_ids[CA_OUTCOME_COUNT];

typedef enum ca_rule_category {
	CA_CAT_OUTCOME,        /* an eligibility outcome was considered */
	CA_CAT_PERSON_VOICE,   /* the person's own words, wishes, goals */
	CA_CAT_STRENGTHS,      /* skills, networks, community, choice */
	CA_CAT_DEFICIT,        /* deficit language */
	CA_CAT_RISK,           /* a risk is named */
	CA_CAT_RISK_PLAN,      /* a risk is assessed, planned for, mitigated */
	CA_CAT_CARER,          /* a carer is named */
	CA_CAT_CARER_OFFER,    /* a carer's assessment offered, accepted, declined */
	CA_CAT_SAFEGUARDING,   /* a safeguarding concern */
	CA_CAT_CAPACITY,       /* mental capacity considered */
	CA_CAT_ADVOCACY,       /* advocacy considered */
	CA_CAT_NEGATION,       /* cancels overlapping matches of other categories */
	CA_CAT_COUNT
} ca_rule_category;

/* "outcome", "person_voice", ... in enum order. */
extern const char *const ca_category_ids[CA_CAT_COUNT];

/* Limits every pattern runs under, so that no pattern and no text can hang
 * a run.  The match limit counts backtracking steps per match attempt (JIT
 * and interpreter alike); the depth and heap limits bind the interpreter,
 * used where JIT is unavailable.  A legitimate rule needs a few hundred
 * steps; catastrophic backtracking reaches a million in milliseconds. */
#define CA_RULES_MATCH_LIMIT   1000000u
#define CA_RULES_DEPTH_LIMIT   10000u
#define CA_RULES_HEAP_LIMIT_KB 20480u
/* A longer pattern is almost always many rules in one alternation, which
 * is slow to run and hard for the QA lead to read: split it. */
#define CA_RULES_MAX_PATTERN   500

/* The pcre2 types, without making every includer pick a code unit width. */
struct pcre2_real_code_8;
struct pcre2_real_match_context_8;

typedef struct ca_rule_pattern {
	char *source;                     /* as written in the file */
	size_t len;
	struct pcre2_real_code_8 *code;
	int jit;                          /* JIT-compiled (PCRE2_INFO_JITSIZE > 0) */
	int line, col;                    /* where it stands in the file */
	/* Prefilter: every match needs the text to hold one of these strings
	 * (ASCII case ignored), so a text holding none of them cannot match
	 * and the pattern need not run.  Indexes into the rule set's list of
	 * distinct strings (ca_ruleset_literal); none when no such set could
	 * be proved from the pattern, and then the pattern always runs. */
	unsigned *literals;
	size_t nliterals;
	/* Anchoring: every match also holds one of these strings, starting
	 * at most anchor_back characters after the match starts, so a match
	 * can only start at a few places before each occurrence; `anchored`
	 * is the pattern compiled to match only where it is started.  None
	 * when no such set exists: the pattern scans the text. */
	unsigned *anchors;
	size_t nanchors;
	size_t anchor_back;
	struct pcre2_real_code_8 *anchored;
	int anchored_jit;                 /* `anchored` is JIT-compiled */
	/* Every match begins with \b, so none starts between two word
	 * characters: an anchored attempt there need not be made. */
	int starts_b;
} ca_rule_pattern;

typedef struct ca_rule {
	char *id;
	char *description;                /* NULL when the file gives none */
	ca_rule_category category;
	int outcome;                      /* outcome rules: index into ca_outcome_ids; else -1 */
	unsigned negates;                 /* negation rules: 1u << category for each cancelled */
	ca_rule_pattern *patterns;
	size_t npatterns;
	int line, col;
} ca_rule;

typedef struct ca_ruleset ca_ruleset;   /* defined in rules.c */

/* True when doc is a rules document (its top level has `rules:`) rather
 * than a checklist. */
int  ca_yaml_is_ruleset(const ca_yaml_doc *doc);

/* Validate and compile.  Every problem is written to `problems` (when not
 * NULL) as FILE:LINE:COL: problem, an invalid pattern with PCRE2's message
 * and the offset in the pattern; then 65 is returned and *out is NULL. */
int  ca_ruleset_from_yaml(const ca_yaml_doc *doc, FILE *problems, ca_ruleset **out, ca_err *err);
void ca_ruleset_free(ca_ruleset *rs);

/* True when the rule set has a rule with this id. */
int  ca_ruleset_has(const ca_ruleset *rs, const char *rule_id);

/* The rules in file order; the pointers stay valid until ca_ruleset_free. */
size_t         ca_ruleset_count(const ca_ruleset *rs);
const ca_rule *ca_ruleset_rule(const ca_ruleset *rs, size_t i);
/* The rule with this id, or NULL. */
const ca_rule *ca_ruleset_find(const ca_ruleset *rs, const char *rule_id);

/* How many patterns there are, and how many of them JIT compiled. */
size_t ca_ruleset_patterns(const ca_ruleset *rs, size_t *jit_compiled);

/* The match context carrying the limits above; screeners copy it and give
 * the copy their own JIT stack.  Borrowed. */
const struct pcre2_real_match_context_8 *ca_ruleset_match_context(const ca_ruleset *rs);

/* The distinct prefilter strings of all patterns (lower case). */
size_t      ca_ruleset_literal_count(const ca_ruleset *rs);
const char *ca_ruleset_literal(const ca_ruleset *rs, size_t i);
/* Where prefilter strings occur in a text: `end` is the byte offset just
 * past the string's last character. */
typedef struct ca_literal_hit {
	size_t end;
	unsigned literal;
} ca_literal_hit;

typedef struct ca_literal_hits {
	ca_literal_hit *v;                /* in order of end; malloc'd, the owner frees */
	size_t n, cap;
	size_t max;                       /* stop recording beyond this many */
	int overflow;                     /* there were more than max */
	/* Scratch for the second stretch of a long text (the scan's own;
	 * malloc'd, the owner frees it too). */
	ca_literal_hit *tmp;
	size_t ntmp, captmp;
} ca_literal_hits;

/* Set present[i] to 1 for each prefilter string i that occurs in text,
 * ignoring case as the patterns do (present has ca_ruleset_literal_count
 * bytes, zeroed by the caller); when found is not NULL, append each string
 * whose present[i] this call turned from 0 to 1 to found[*nfound] (found
 * has room for ca_ruleset_literal_count entries), so that a caller can
 * look at and clear only those; and, when hits is not NULL, record every
 * occurrence.  One pass over the text, however many strings there are (an
 * Aho-Corasick automaton).  Returns 0, or -1 when memory ran out. */
int ca_ruleset_find_literals(const ca_ruleset *rs, const char *text, size_t len,
    unsigned char *present, unsigned *found, size_t *nfound, ca_literal_hits *hits);

/* The category or outcome with this id, or -1. */
int ca_category_named(const char *id);
int ca_outcome_named(const char *id);

#endif
