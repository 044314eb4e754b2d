/*
 * report.h - what every kind of report shares: the day its data was taken
 * (as of), the rendered document, and keeping each rendered report in the
 * `reports` table with its SHA-256, so that a PDF somebody shows later can
 * be proved to be the one the board read.
 *
 * Rendering is deterministic: the same data and period give the same
 * bytes.  So a report takes no clock time and no randomness; "today"
 * comes from the data (ca_report_as_of), and storing the same bytes again
 * finds the row already there instead of adding one.
 */
#ifndef CASEAUDIT_REPORT_H
#define CASEAUDIT_REPORT_H

#include <stddef.h>
#include <libpq-fe.h>

#include "error.h"
#include "redact.h"
#include "report_pdf.h"
#include "sha256.h"

/*
 * The day the data was taken: the latest calendar date the audit work
 * recorded, whoever recorded it - a sampling run, an answer, a
 * submission, a closing, an action set or done, a moderation selected or
 * done, a safeguarding escalation raised or acknowledged, feedback sent
 * or commented on, a reminder sent.  These are the dates the workflow
 * runs on (a daemon started with --today, or the demo's simulated year,
 * writes its own), so the as-of day moves only when the data does, and
 * "overdue" is counted on it, never on the clock.  Imported assessment
 * dates are left out: they are the case-management system's, not the
 * audit work's, and a mistyped one would move every report.  With no
 * work recorded at all, `fallback` (YYYY-MM-DD: the report's period's
 * last day, say).  Reads; changes nothing.  A report built on it puts
 * the start of that day, "YYYY-MM-DDT00:00:00Z", in ca_report_pdf.as_of.
 */
int ca_report_as_of(PGconn *conn, const char *fallback, char as_of[11], ca_err *err);

/* A setting's text value (settings table), or `fallback` when unset; *out
 * is malloc'd. */
int ca_report_setting(PGconn *conn, const char *key, const char *fallback, char **out,
    ca_err *err);

/*
 * Free text a report prints that somebody typed - a partner's or a plan's
 * name, an equity group as the import wrote it, the council's name -
 * through the redaction function (redact.h), so that a telephone number
 * or an email address in a name never reaches a PDF.  *s (malloc'd) is
 * replaced by its redacted copy, or by "[not shown]" when it cannot be
 * checked (not UTF-8, or a match limit hit: never treated as clean).
 * NULL is left alone.  Returns 0, or 70 when memory runs out.
 */
int ca_report_redact(ca_redactor *r, char **s, ca_err *err);

/* What a report is of, for the `reports` table. */
typedef struct ca_report_meta {
	const char *kind;           /* "board", "provider" or "audit" */
	const char *period;         /* "2025-03", "2025-Q1"; NULL for an audit */
	long long provider_id;      /* a provider report's partner; else 0 */
	long long audit_id;         /* an audit report's audit; else 0 */
	const char *generated_by;   /* who asked: the OS user, or "caseauditd" */
} ca_report_meta;

typedef struct ca_report_stored {
	long long id;               /* the reports row */
	int existed;                /* the same bytes were stored already */
	char sha256[CA_SHA256_HEX_LEN + 1];
} ca_report_stored;

/*
 * Keep a rendered report: a `reports` row with its kind, period, partner
 * or audit, as-of day, SHA-256, pages and bytes; or, when a row of the
 * same kind, period, partner, audit and digest exists, that row (existed
 * set).  Either way an events row 'report.rendered' (entity 'report')
 * records who rendered it.  In the caller's transaction when there is
 * one, else in one of its own.  65 for a meta that does not fit the
 * table (an audit report with a period, say); 69, 70 or 75 from the
 * database.
 */
int ca_report_store(PGconn *conn, const ca_report_meta *m, const ca_report_pdf *pdf,
    ca_report_stored *out, ca_err *err);

#endif
