/*
 * forms.h - audit checklists: a checklist file (forms/NAME.yaml) as the QA
 * lead writes it, checked, held as a struct, and turned into the canonical
 * JSON whose SHA-256 identifies a stored version.  Also storing, listing and
 * showing versions (forms_store.c) and the screening rule sets loaded
 * beside them.
 *
 * The format is documented for its users in forms/README.md; this module is
 * its only reader.  Checking never stops at the first problem: every
 * problem is collected with its place (FILE:LINE:COL) so that a QA lead
 * fixes a file in one pass.  Canonical JSON has a fixed key order, trimmed
 * texts, defaults filled in and numbers written one way, so comments,
 * spacing, quoting and key order in the YAML never make a new version, and
 * any change of content always does.
 */
#ifndef CASEAUDIT_FORMS_H
#define CASEAUDIT_FORMS_H

#include <stddef.h>
#include <stdio.h>

#include "error.h"
#include "rules.h"
#include "sha256.h"
#include "strbuf.h"
#include "yamltree.h"

/* ---- problems with their place --------------------------------------- */

typedef struct ca_form_problem {
	int line, col;
	char *msg;
} ca_form_problem;

/* A file of junk could yield a problem per line; past this many, a file's
 * further problems are counted, not listed. */
#define CA_FORM_MAX_PROBLEMS 200

typedef struct ca_form_problems {
	char *path;                 /* the file, as named on the command line */
	ca_form_problem *items;
	size_t n, cap;
	size_t dropped;             /* beyond CA_FORM_MAX_PROBLEMS: counted only */
	int oom;                    /* a message was lost for want of memory */
} ca_form_problems;

void ca_form_problems_init(ca_form_problems *p, const char *path);
void ca_form_problems_free(ca_form_problems *p);
void ca_form_problems_add(ca_form_problems *p, int line, int col, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* Write "PATH:LINE:COL: problem" lines ordered by place (stable). */
void ca_form_problems_print(ca_form_problems *p, FILE *out);

/* ---- a checklist ------------------------------------------------------ */

/* The six domains of an audit, in the order DOMAIN.md gives them. */
extern const char *const ca_form_domains[];
#define CA_FORM_NDOMAINS 6
/* The assessment types of the outside contract. */
extern const char *const ca_form_types[];
#define CA_FORM_NTYPES 3

typedef struct ca_form_ref {     /* a name that points elsewhere, with its place */
	char *id;
	int line, col;
} ca_form_ref;

typedef struct ca_form_rating {
	char *id;
	char *label;
	int scored;                  /* 0: left out of scores (not applicable) */
	double score;                /* 0..1 when scored */
} ca_form_rating;

typedef struct ca_form_scale {
	char *id;
	ca_form_rating *ratings;
	size_t n_ratings;
} ca_form_scale;

typedef struct ca_form_question {
	char *id;
	char *text;
	char *good, *partial, *poor; /* guidance: what such evidence looks like */
	size_t scale;                /* index into the form's scales */
	double weight;
	int required;
	ca_form_ref *evidence;       /* ratings that need written evidence */
	size_t n_evidence;
	ca_form_ref *prompts;        /* screening rule ids shown beside it */
	size_t n_prompts;
	int line, col;
} ca_form_question;

typedef struct ca_form_section {
	char *title;
	const char *domain;          /* one of ca_form_domains (static) */
	ca_form_question *questions;
	size_t n_questions;
} ca_form_section;

typedef struct ca_form {
	char *name;                  /* slug: lower-case letters, digits, hyphens */
	char *title;
	char *description;           /* NULL when the file has none */
	int applies[CA_FORM_NTYPES]; /* 1 where ca_form_types[i] applies */
	ca_form_scale *scales;
	size_t n_scales;
	ca_form_section *sections;
	size_t n_sections;
	int name_line, name_col;
} ca_form;

/* Check a parsed checklist file.  Returns 0 with *out set; or 65 with every
 * problem added to `problems` and *out holding what could be read (for
 * ca_form_check_prompts; never to be stored or digested); or 70 when memory
 * ran out, *out NULL.  The caller frees *out.  Prompts are only checked for
 * their shape here: whether the rules exist is ca_form_check_prompts' job,
 * as it needs a rule set. */
int  ca_form_from_yaml(const ca_yaml_doc *doc, ca_form_problems *problems,
    ca_form **out, ca_err *err);
void ca_form_free(ca_form *form);

/* Add a problem for each prompt that names no rule of rs; `source` says
 * where the rule set came from ("forms/screening.yaml", "rule set 3").
 * Returns how many were unknown. */
size_t ca_form_check_prompts(const ca_form *form, const ca_ruleset *rs,
    const char *source, ca_form_problems *problems);

size_t ca_form_question_count(const ca_form *form);
/* The first prompt of the form, or NULL: for "no rule set is loaded yet". */
const ca_form_ref *ca_form_first_prompt(const ca_form *form);

/* The canonical JSON of a checklist (appended to out) and its SHA-256. */
void ca_form_to_json(const ca_form *form, ca_strbuf *out);
int  ca_form_digest(const ca_form *form, ca_strbuf *json, char sha[CA_SHA256_HEX_LEN + 1]);

/* The SHA-256 of a YAML document's content, whatever its layout: mapping
 * keys in sorted order, scalars by value, a plain `yes` or `3` told apart
 * from a quoted "yes" or "3".  Identifies screening rule sets, whose
 * structure belongs to rules.c. */
int  ca_yaml_digest(const ca_yaml_doc *doc, char sha[CA_SHA256_HEX_LEN + 1]);


/* ---- storing and reading versions (forms_store.c) --------------------- */

typedef struct pg_conn PGconn;

/* Serialise loads: two at once would both try to make version n+1. */
int ca_forms_lock(PGconn *conn, ca_err *err);

typedef enum ca_form_outcome {
	CA_FORM_NEW,          /* a new version was stored and made current */
	CA_FORM_UNCHANGED,    /* the current version already has this content */
	CA_FORM_RESTORED      /* an older version had it: that one is current again */
} ca_form_outcome;

typedef struct ca_form_stored {
	ca_form_outcome outcome;
	int version;          /* the version now current */
	int previous;         /* the version current before (0: none) */
} ca_form_stored;

/* Store one checklist version inside the caller's transaction, with its
 * sections, questions and an event in the trail. */
int ca_forms_store(PGconn *conn, const ca_form *form, const char *json, const char *sha,
    const char *source, const char *file, const char *actor, ca_form_stored *out,
    ca_err *err);

/* A rule set is current the way a checklist version is: outcome NEW (stored
 * and made current), UNCHANGED (it was current already) or RESTORED (an
 * older set had this content and is current again). */
typedef struct ca_rules_stored {
	ca_form_outcome outcome;
	long long id;         /* the rule set with this content, now current */
	long long previous;   /* the rule set current before (0: none) */
} ca_rules_stored;

/* Store a screening rule set unless one with this digest exists, and make
 * it the current one, with an event in the trail when anything changed. */
int ca_rules_store(PGconn *conn, const char *sha, const char *source, int rule_count,
    const char *file, const char *actor, ca_rules_stored *out, ca_err *err);

/* The current rule set's id and source (malloc'd, caller frees), or
 * *source NULL and *id 0 when none has been loaded.  Everything that
 * screens reads its rules here. */
int ca_rules_current(PGconn *conn, long long *id, char **source, size_t *len, ca_err *err);

/* One line of `forms list`: a checklist and its current version. */
typedef struct ca_form_summary {
	char *name, *title;
	char *applies_to;           /* comma-separated type codes */
	char *loaded_at;            /* DD/MM/YYYY HH:MM, UK time */
	char *loaded_at_utc;        /* ISO 8601, UTC, for JSON */
	char *loaded_by;
	char *sha256;
	int version, versions;
	long questions;
} ca_form_summary;

int  ca_forms_list(PGconn *conn, ca_form_summary **rows, size_t *n, ca_err *err);
void ca_form_summaries_free(ca_form_summary *rows, size_t n);

/* A stored version with its checklist rebuilt from the tables. */
typedef struct ca_form_version {
	ca_form *form;
	ca_form_summary head;       /* version is this one; versions the count */
	int current;                /* the form's current version number */
	char *source_file;          /* NULL when not recorded */
	char *definition;           /* the stored canonical JSON (as jsonb text) */
} ca_form_version;

/* Version 0 means the current one.  An unknown name or version is 65 with
 * a message saying what exists. */
int  ca_forms_show(PGconn *conn, const char *name, int version, ca_form_version **out,
    ca_err *err);
void ca_form_version_free(ca_form_version *v);

/* The current screening rule set, for `forms list` (id 0: none). */
typedef struct ca_rules_summary {
	long long id;
	int rule_count;             /* -1 when not recorded */
	long long sets;             /* how many are stored */
	long long newest;           /* the newest stored: id unless rolled back */
	char sha256[CA_SHA256_HEX_LEN + 1];
	char loaded_at[32];         /* DD/MM/YYYY HH:MM */
	char loaded_at_utc[32];
	char current_since[32];     /* DD/MM/YYYY HH:MM: when it was made current */
} ca_rules_summary;

int ca_rules_summary_get(PGconn *conn, ca_rules_summary *out, ca_err *err);

#endif
