/*
 * audit_report_data.h - what the audit feedback report (audit_report.h)
 * shows, read from the database in one snapshot, with every free-text
 * field already redacted.  The drawing code sees only this: it cannot
 * reach a field that has not been through the redaction function.
 */
#ifndef CASEAUDIT_AUDIT_REPORT_DATA_H
#define CASEAUDIT_AUDIT_REPORT_DATA_H

#include <libpq-fe.h>

#include "error.h"

/* Rows of text, NULL where the database had NULL; owned. */
typedef struct ar_rows {
	int rows, cols;
	char **cell;            /* rows * cols */
} ar_rows;

/* The cell, or NULL. */
const char *ar_get(const ar_rows *t, int r, int c);
/* The cell, or "" for NULL. */
const char *ar_str(const ar_rows *t, int r, int c);

/* The audit, its case, sample, feedback window and moderation: one row. */
enum {
	H_ID, H_STATUS, H_GRADE, H_CASE, H_TYPE, H_PARTNER, H_ASSESSOR, H_AUDITOR,
	H_FORM, H_FORM_VERSION, H_COMPLETED, H_SUBMITTED, H_CLOSED, H_SUBMISSIONS,
	H_STRENGTHS, H_LEARNING,
	H_RUN, H_PERIOD, H_METHOD, H_STRATA, H_SAMPLE, H_POPULATION, H_PART,
	H_RQ_KIND, H_RQ_AUDIT, H_RQ_ON, H_RQ_REASON,
	H_FB_SENT, H_FB_ENDS,
	H_MOD_STATUS, H_MOD_REASON, H_MODERATOR, H_MOD_AUDITOR_GRADE, H_MOD_GRADE,
	H_MOD_COMMENT, H_MOD_RETURNED, H_MOD_DONE, H_MOD_RATED, H_MOD_DIFFER,
	H_ORGANISATION, H_AS_OF, H_AS_OF_DATE, H_N
};

/* The domain scores (domain_scores, scores.h's rule), in the order of
 * ca_domain_names, each named by its checklist's first section of the
 * domain. */
enum {
	S_DOMAIN, S_TITLE, S_SCORE, S_APPLICABLE, S_MET, S_PARTIAL, S_NOT_MET, S_QUESTIONS,
	S_N
};

/* Every question of the checklist in order, with its answer.  Q_SCORE is
 * the rating's score in the scale (NULL: not scored, or not answered);
 * Q_MOD_LABEL the moderator's rating where it differs from the
 * auditor's. */
enum {
	Q_NUMBER, Q_SECTION, Q_SECTION_TITLE, Q_DOMAIN, Q_TEXT, Q_RATING, Q_LABEL, Q_SCORE,
	Q_EVIDENCE, Q_REQUIRED, Q_MOD_LABEL, Q_N
};

/* Actions, by due date: the action's id (what `action done` takes), its
 * owner's staff ref or organisation name. */
enum { A_REF, A_OWNER, A_DUE, A_STATUS, A_DONE, A_TEXT, A_N };

/* Factual-accuracy comments on the current submission. */
enum { C_BY, C_ON, C_TEXT, C_N };

/* Safeguarding escalations. */
enum { E_SOURCE, E_QUESTION, E_RAISED, E_ACKNOWLEDGED, E_NOTE, E_N };

typedef struct ar_data {
	ar_rows head, scores, questions, actions, comments, escalations;
} ar_data;

/* Read audit_id.  65 with a sentence when there is no such audit or it
 * has no report yet (its status); otherwise the database's codes. */
int  ar_load(PGconn *conn, long long audit_id, ar_data *d, ca_err *err);
void ar_free(ar_data *d);

/* The placeholder drawn instead of free text that could not be checked
 * for personal data. */
#define AR_WITHHELD "[not shown: this text could not be checked for personal data]"

#endif
