/*
 * screen.h - screening one assessment narrative with the rules: which
 * eligibility outcomes it covers, strengths-based against deficit language,
 * risks with and without a plan, carers with and without an offer of a
 * carer's assessment, and personal data.  Screening never grades a case; it
 * prompts auditors and weights sampling.
 *
 * How a narrative becomes a result:
 *
 *   1. Every pattern of every rule (rules.h) is matched over the whole text,
 *      all non-overlapping matches, left to right.  Where one rule has
 *      several patterns, overlapping matches of the same rule count once.
 *   2. Personal data comes from the redaction module (redact.h), as matches
 *      with rule "personal_data.KIND" and category "personal_data".
 *   3. Negation: a match of a `negation` rule cancels every match of the
 *      categories it `negates` that overlaps it.  "No concerns about falls
 *      were identified" is matched by a negation rule, and the falls risk
 *      inside it is cancelled; so is the carer in "has no carer".  The
 *      negation's own match stays in the list, so an auditor sees why.
 *   4. Counting: a category's terms are the distinct places in the text its
 *      rules matched (two rules on the same words count once).  An outcome
 *      is covered when any of its rules matched.
 *   5. Flags (ca_flag_ids), each a prompt for the auditor:
 *        single_issue         two eligibility outcomes or fewer covered
 *        no_person_voice      nothing of the person's own words, wishes or
 *                             what matters to them
 *        deficit_language     deficit terms outnumber strengths terms
 *        risk_without_plan    a risk is named, but no assessment, plan,
 *                             contingency or mitigation
 *        carer_without_offer  a carer is named, but no carer's assessment
 *                             offered, accepted or declined
 *        safeguarding_concern a safeguarding concern is recorded (check it
 *                             was acted on at once)
 *        personal_data        an identifier that redaction would mask (or
 *                             the text could not be fully checked)
 *
 * Limits.  Every pattern runs under the match limit of rules.h; the
 * interpreter (no JIT) also under depth and heap limits.  A limit hit means
 * "this rule could not be evaluated on this text", never "no match": it is
 * recorded in limit_hits with the rule and pattern, and screening carries on
 * with the next pattern.  Flags are worked out from what could be evaluated;
 * read them with limit_hits.  One rule stops after CA_SCREEN_MAX_MATCHES
 * matches in one text (also recorded), which bounds the memory and the size
 * of a stored result whatever the text.
 *
 * A screener holds one match-data block, one JIT stack and one redactor,
 * reused for every narrative: make one per thread.
 */
#ifndef CASEAUDIT_SCREEN_H
#define CASEAUDIT_SCREEN_H

#include <stddef.h>
#include <stdio.h>

#include "error.h"
#include "redact.h"
#include "rules.h"
#include "strbuf.h"

typedef enum ca_screen_flag {
	CA_FLAG_SINGLE_ISSUE,
	CA_FLAG_NO_PERSON_VOICE,
	CA_FLAG_DEFICIT_LANGUAGE,
	CA_FLAG_RISK_WITHOUT_PLAN,
	CA_FLAG_CARER_WITHOUT_OFFER,
	CA_FLAG_SAFEGUARDING_CONCERN,
	CA_FLAG_PERSONAL_DATA,
	CA_FLAG_COUNT
} ca_screen_flag;

/* "single_issue", ... in enum order; and a line saying what each means. */
extern const char *const ca_flag_ids[CA_FLAG_COUNT];
extern const char *const ca_flag_meanings[CA_FLAG_COUNT];

/* Matches of one rule in one text beyond this are not looked for. */
#define CA_SCREEN_MAX_MATCHES 1000
/* Occurrences of prefilter strings recorded per text; beyond this (only
 * in huge texts) patterns scan the whole text instead of being anchored. */
#define CA_SCREEN_MAX_HITS 1000000
/* The JIT stack of a screener: starts small, grows to this at most. */
#define CA_SCREEN_JIT_STACK_MIN (32u * 1024u)
#define CA_SCREEN_JIT_STACK_MAX (1024u * 1024u)

typedef struct ca_screen_match {
	const char *rule;          /* rule id, or "personal_data.nhs_number" ... */
	const char *category;      /* category id, or "personal_data" */
	int rule_index;            /* index in the rule set; -1 for personal data */
	size_t start, end;         /* byte offsets into the text, end exclusive */
} ca_screen_match;

typedef struct ca_screen_limit {
	const char *rule;          /* rule id, or "personal_data" */
	size_t pattern;            /* 1-based place in the rule's patterns; 0: the whole rule */
	const char *limit;         /* "match_limit", "depth_limit", "heap_limit",
	                            * "jit_stack", "memory", "too_many_matches";
	                            * stored runs also "invalid_text" (below) */
} ca_screen_limit;

typedef struct ca_screen_result {
	unsigned outcomes;                 /* 1u << index into ca_outcome_ids */
	int outcome_count;
	int terms[CA_CAT_COUNT];           /* distinct places per category, after negation */
	int strengths_terms, deficit_terms;
	int personal_data;                 /* spans redaction found */
	unsigned flags;                    /* 1u << ca_screen_flag */
	ca_screen_match *matches;          /* by start offset, then end, then rule */
	size_t nmatches;
	ca_screen_limit *limits;
	size_t nlimits;
} ca_screen_result;

typedef struct ca_screener ca_screener;

/* A screener for rule set rs, which must outlive it. */
int  ca_screener_new(const ca_ruleset *rs, ca_screener **out, ca_err *err);
void ca_screener_free(ca_screener *s);

/*
 * Screen text[0..len).  The text must be UTF-8 (it is checked: 65 if not).
 * *out belongs to the screener and stays valid until its next use.
 * Returns 0, or 70 for an internal error (memory, an unexpected PCRE2
 * error); limit hits are not errors.
 */
int  ca_screen(ca_screener *s, const char *text, size_t len,
    const ca_screen_result **out, ca_err *err);

/* The result as the contract's JSON object, appended to out:
 * {"outcomes": [...], "outcome_count": N, "strengths_terms": N,
 *  "deficit_terms": N, "flags": [...], "matches": [{"rule": ..., "category":
 *  ..., "start": N, "end": N}, ...], "limit_hits": [{"rule": ..., "pattern":
 *  N, "limit": ...}, ...]} */
void ca_screen_json(const ca_screen_result *r, ca_strbuf *out);


/* The flag with this id, or -1. */
int  ca_flag_named(const char *id);

/* ---- Screening stored assessments ---------------------------------------
 *
 * `caseaudit screen` and the daemon: screen the assessments that are new,
 * changed since they were screened (their revision moved on) or not
 * screened under the current rule set, with that set (the one last loaded,
 * or made current again by loading an older set's content); or, with
 * `all`, every assessment again.  In batches, each its own transaction, read
 * through a cursor a few rows at a time; results are stored with ON
 * CONFLICT, so a run killed at any moment loses at most one batch and a
 * second run does only what is left.  Each batch is recorded in the trail
 * (event `screening.batch`: screened, all, limit_hit_assessments,
 * unscreenable) in the same transaction as its results.
 *
 * A narrative screening refuses (text that is not UTF-8, which only a
 * database in another encoding could hold) does not stop the run: it is
 * logged by assessment_ref, counted as unscreenable, and stored with no
 * match, the personal_data flag (it could not be checked) and one limit
 * hit, rule "screening", pattern 0, limit "invalid_text"; it is not tried
 * again until it changes.
 */

typedef struct pg_conn PGconn;

typedef struct ca_screen_run_opts {
	int all;                   /* screen everything again */
	long batch;                /* assessments per transaction; 0: 1000 */
	const char *actor;         /* who ran it, for the trail */
	FILE *problems;            /* a stored rule set's problems, or NULL */
	FILE *log;                 /* one key=value line per limit hit (by
	                            * assessment_ref, never text) and per
	                            * batch; NULL for none */
	int verbose;               /* log batches too, not only limit hits */
} ca_screen_run_opts;

typedef struct ca_screen_run_limit {
	char *assessment_ref;
	const char *rule;          /* borrowed from the run's rule set copy */
	size_t pattern;
	const char *limit;
} ca_screen_run_limit;

typedef struct ca_screen_run {
	long long rule_set_id;
	long long screened;        /* this run (unscreenable ones included) */
	/* Already screened under this rule set, as they stood, when the run
	 * began (0 with `all`): not those another run screened meanwhile. */
	long long up_to_date;
	long long unscreenable;    /* stored as not screenable (see above) */
	unsigned long long bytes;  /* narrative bytes screened */
	double seconds;            /* screening and storing, wall clock */
	long long flags[CA_FLAG_COUNT];    /* this run, per flag */
	ca_screen_run_limit *limits;       /* the first CA_SCREEN_RUN_MAX_LIMITS */
	size_t nlimits;
	long long limit_assessments;       /* assessments with any limit hit */
	ca_ruleset *rules;                 /* the rule set used (owned) */
} ca_screen_run;

#define CA_SCREEN_RUN_MAX_LIMITS 1000

/* The current rule set (ca_rules_current), compiled; *id 0 and *rs NULL
 * when none is stored.  A stored set that no longer compiles is 65 with its problems
 * written to `problems` as "screening rule set N:LINE:COL: ...". */
int  ca_screen_load_rules(PGconn *conn, FILE *problems, ca_ruleset **rs, long long *id,
    ca_err *err);

/* Screen what needs it (see above).  No stored rule set: 66, saying to run
 * `caseaudit forms load forms/screening.yaml`. */
int  ca_screen_stored(PGconn *conn, const ca_screen_run_opts *o, ca_screen_run *out,
    ca_err *err);
void ca_screen_run_free(ca_screen_run *r);

/* Flags per partner organisation among the assessments whose current
 * screening is under rule set rule_set_id (current_screenings). */
typedef struct ca_screen_provider {
	char *name;
	long long screened;
	long long flags[CA_FLAG_COUNT];
} ca_screen_provider;

int  ca_screen_by_provider(PGconn *conn, long long rule_set_id, ca_screen_provider **rows,
    size_t *n, ca_err *err);
void ca_screen_providers_free(ca_screen_provider *rows, size_t n);

/* For tests and benchmarks: turn the literal prefilter off (results must
 * not change, only speed; the redactor's windows around digits go off with
 * it, so that every pattern scans the whole text), JIT, or the
 * personal-data check; and how many patterns ran and were skipped since
 * the screener was made. */
void ca_screener_set_prefilter(ca_screener *s, int on);
/* Use the PCRE2 interpreter even where JIT code exists: the path taken on
 * platforms without JIT, where the depth and heap limits apply. */
void ca_screener_set_jit(ca_screener *s, int on);
void ca_screener_set_personal_data(ca_screener *s, int on);
/* The screener's redactor, for tests that tune its limits. */
ca_redactor *ca_screener_redactor(ca_screener *s);
void ca_screener_stats(const ca_screener *s, size_t *patterns_run, size_t *patterns_skipped);

#endif
