/*
 * workflow.h - the audit workflow after assignment: who may do what to an
 * audit, and the changes themselves (answers, notes, submission, feedback
 * comments, safeguarding concerns, cancellation, closing).
 *
 *   unassigned -> assigned -> in_progress -> submitted -> (feedback) -> closed
 *                                  ^              |
 *                                  +-- returned <-+   (a moderator)
 *   any open audit -> cancelled (a QA lead, with a reason)
 *
 * Every change is one transaction that locks the audit row, checks the
 * actor's right to act and, when the caller says which version it read,
 * that nobody has changed the audit since (a stale write is refused with
 * 75, never applied).  Each change bumps the audit's version and writes
 * an events row with the actor and what changed.  A refusal is 65 with a
 * sentence saying why ("audit 42 is submitted; only a moderator can return
 * it"); nothing is changed.  The status graph is also kept by a trigger
 * (0005_workflow), so no code path can skip a step.
 *
 * Dates: `today` (YYYY-MM-DD, or NULL for the database's current date) is
 * the calendar date the change is made on, so the demo simulator and a
 * daemon run with --today can play a year.  Timestamps stay real.
 */
#ifndef CASEAUDIT_WORKFLOW_H
#define CASEAUDIT_WORKFLOW_H

#include <libpq-fe.h>

#include "error.h"

/* Who is acting, on which date, and the audit version they read. */
typedef struct ca_actor {
	const char *as;         /* staff_ref (--as); required */
	const char *today;      /* YYYY-MM-DD or NULL: current_date */
	long expect_version;    /* 0: do not check; else refuse unless equal */
} ca_actor;

/* What the workflow has locked and read for one change.  Filled by
 * ca_wf_open; strings point into the results, which ca_wf_close frees. */
typedef struct ca_wf {
	PGconn *conn;
	const ca_actor *actor;
	char audit[24];              /* the audit id as text, for parameters */
	char today[11];              /* the date of the change, resolved */
	long long staff_id;          /* the actor */
	long long staff_org;         /* the actor's organisation */
	const char *roles;           /* the actor's roles, "{auditor,psw}" */
	const char *status;          /* the audit's, as locked */
	long long auditor_id;        /* 0 while unassigned */
	const char *auditor_ref;     /* "" while unassigned */
	long long provider_id;       /* the partner organisation assessed */
	const char *assessor_ref;
	long long form_version_id;
	long version;
	int submissions;
	PGresult *who, *au;
} ca_wf;

/* Begin a transaction, resolve the actor (65 if no active staff member
 * has that ref), lock the audit (65 if there is none) and check
 * actor->expect_version (75 if the audit has changed since).  On failure
 * the transaction is rolled back.  Every ca_wf_open is paired with
 * ca_wf_close. */
int ca_wf_open(ca_wf *w, PGconn *conn, const ca_actor *actor, long long audit_id,
    ca_err *err);

/* Commit when rc is 0, else roll back; free what ca_wf_open read; return
 * rc, or the commit's failure. */
int ca_wf_close(ca_wf *w, int rc, ca_err *err);

/* True when the actor holds the role ("auditor", "psw", "qa_lead", ...). */
int ca_wf_has_role(const ca_wf *w, const char *role);

/* True when the actor is the audit's auditor. */
int ca_wf_is_auditor(const ca_wf *w);

/* True when status is one of the NULL-terminated list. */
int ca_wf_status_in(const ca_wf *w, const char *const *statuses);

/* Refuse with 65: "audit 42 is STATUS; WHY". */
int ca_wf_refuse(const ca_wf *w, ca_err *err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Append an events row in the open transaction: entity 'audit' and the
 * audit's id when entity is NULL; before/after are JSON text or NULL. */
int ca_wf_event(ca_wf *w, const char *action, const char *entity, const char *entity_id,
    const char *before, const char *after, ca_err *err);

/* Move the audit to status (NULL: keep it) and bump its version. */
int ca_wf_touch(ca_wf *w, const char *status, ca_err *err);

/* Free text (evidence, notes, comments, reasons): valid UTF-8, at most
 * 20000 bytes, and, when required, present and not blank.  65 naming
 * `what` (the option) otherwise. */
int ca_wf_check_text(const char *text, const char *what, int required, ca_err *err);

/* A question of the audit's checklist and, unless rating is NULL, that
 * the rating is one of its scale: 65 naming the question when the
 * checklist has none such, or listing the scale's ratings.  On success *q
 * (the caller PQclears it) holds one row: the rating is in the scale
 * (t/f), the scale's ratings ("met, partially_met, ..."), evidence is
 * required for the rating, the rating raises a safeguarding concern, and
 * the checklist's name and version. */
int ca_wf_question(ca_wf *w, const char *question, const char *rating, PGresult **q,
    ca_err *err);

/* `audit answer`: the auditor rates a question of the audit's checklist.
 * The rating must be in the question's scale; evidence is required for the
 * ratings the checklist names.  Answering again replaces the answer (the
 * trail keeps both).  The first answer moves an assigned or returned audit
 * to in_progress.  A not-met rating of a question that prompts with the
 * safeguarding_concern rule raises a safeguarding escalation.  *replaced
 * (may be NULL) says whether an earlier answer was replaced. */
int ca_audit_answer(PGconn *conn, const ca_actor *actor, long long audit_id,
    const char *question, const char *rating, const char *evidence, int *replaced,
    ca_err *err);

/* `audit note`: the auditor records strengths noted and learning points
 * (NULL leaves a field as it is), while the audit is with them. */
int ca_audit_note(PGconn *conn, const ca_actor *actor, long long audit_id,
    const char *strengths, const char *learning, ca_err *err);

/* `audit submit`: the auditor grades the audit.  Every required question
 * must be answered.  Computes and stores the domain scores (scores.h),
 * freezes the answers, and sends the findings to the partner organisation
 * and the assessor (a feedback row open for comments for the
 * feedback_window_days setting). */
int ca_audit_submit(PGconn *conn, const ca_actor *actor, long long audit_id,
    const char *grade, ca_err *err);

/* `audit comment`: staff of the partner organisation that carried out the
 * assessment add a factual-accuracy comment while the feedback window is
 * open; the audit moves to `feedback`. */
int ca_audit_comment(PGconn *conn, const ca_actor *actor, long long audit_id,
    const char *text, ca_err *err);

/* `audit concern`: the auditor, the principal social worker or a QA lead
 * flags a safeguarding concern on the audit: an escalation, an event and a
 * reminder to every QA lead and to the partner organisation, at once. */
int ca_audit_concern(PGconn *conn, const ca_actor *actor, long long audit_id,
    const char *note, ca_err *err);

/* `audit acknowledge`: a QA lead or the principal social worker
 * acknowledges the audit's open safeguarding escalations. */
int ca_audit_acknowledge(PGconn *conn, const ca_actor *actor, long long audit_id,
    long *acknowledged, ca_err *err);

/* `audit cancel`: a QA lead cancels an audit not yet submitted (the case
 * was withdrawn); the reason is required. */
int ca_audit_cancel(PGconn *conn, const ca_actor *actor, long long audit_id,
    const char *reason, ca_err *err);

/* `audit return`: a moderator (psw) sends a submitted audit back to its
 * auditor with the reason; the answers open again.  Used by moderation. */
int ca_audit_return(PGconn *conn, const ca_actor *actor, long long audit_id,
    const char *reason, ca_err *err);
/* The same inside a change already opened (moderation's own). */
int ca_wf_return(ca_wf *w, const char *reason, ca_err *err);

/* The daemon: close every submitted or feedback audit whose feedback
 * window ended before today and that has no moderation pending.  Caller's
 * transaction; one event per audit.  *closed may be NULL. */
int ca_audits_close_due(PGconn *conn, const char *today, const char *actor, long *closed,
    ca_err *err);

/* The setting's value as a whole number in [min, max], or def when it is
 * missing or out of range. */
long ca_setting_long(PGconn *conn, const char *key, long min, long max, long def);

#endif
