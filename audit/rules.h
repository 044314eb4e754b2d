/*
 * rules.h - the screening rules: forms/screening.yaml, as the QA lead
 * edits it, validated and compiled.
 *
 * A rules document has a top-level `rules:` list; each rule has an id, a
 * category and one or more PCRE2 patterns (compiled once with UTF and UCP,
 * JIT where available).  The screening engine (screen.h) runs a compiled
 * rule set over narratives; the forms loader uses it to check that the
 * prompts a checklist names exist.
 */
#ifndef CASEAUDIT_RULES_H
#define CASEAUDIT_RULES_H

#include <stdio.h>

#include "error.h"
#include "yamltree.h"

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

#endif
