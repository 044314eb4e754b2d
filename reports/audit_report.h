/*
 * audit_report.h - one audit's feedback report, for the practitioner whose
 * assessment was audited and for their organisation (`caseaudit report
 * audit ID`).
 *
 * In the order a practitioner wants it: the grade and the scores by area;
 * what was done well; what to improve; the actions agreed, with owners and
 * dates; how to comment on factual accuracy and until when; the
 * moderation's outcome and any safeguarding escalation; then every
 * question of the checklist with its rating and the auditor's evidence;
 * how the case came to be audited; and what the words and scores mean.
 *
 * Personal data: the case appears by its pseudonymous reference only,
 * staff by their staff refs (the practitioner, auditor and moderator
 * too: the report is kept and passed on, so names stay out of it), and
 * the narrative is never read.  Every free-text field an auditor,
 * moderator or partner wrote (evidence, strengths, learning points,
 * actions, comments, reasons, notes) goes through the redaction function
 * (redact.h) as it is read, before anything draws it; text that cannot
 * be checked is withheld, never shown unchecked.
 *
 * Deterministic: the as-of time is the latest calendar day the audit's
 * own work recorded (answers, submission, feedback and comments, actions,
 * moderation, escalations, closing), the same kind of date the board
 * report uses, never the clock: the same data gives the same bytes.
 */
#ifndef CASEAUDIT_AUDIT_REPORT_H
#define CASEAUDIT_AUDIT_REPORT_H

#include <libpq-fe.h>

#include "error.h"
#include "report_pdf.h"

/*
 * Render audit audit_id's feedback report into *out (cleared first; free
 * with ca_report_pdf_free).  Only a submitted, feedback or closed audit
 * has one: any other is refused with 65 and a sentence ("audit 42 is
 * in_progress; its feedback report exists once it is submitted"), as is
 * an audit that does not exist.  Reads in one read-only snapshot (its own
 * transaction, or the caller's when one is open).  66 when the fonts are
 * missing, 69/70/75 for the database, 70 when drawing fails.
 */
int ca_report_audit_render(PGconn *conn, long long audit_id, ca_report_pdf *out,
    ca_err *err);

#endif
