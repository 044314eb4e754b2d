/*
 * board.h - the quality-assurance board's report for one period
 * (`caseaudit report board`, and the daemon's report job): what the
 * board reads each month or quarter about the quality of the assessments
 * the council's partners carry out.
 *
 * In order: a cover (the council, the period, the protective marking,
 * when the data was taken, what made it); contents; an executive summary
 * in sentences; the domain measures, each with its 95% interval and a
 * control chart over up to 24 periods with the Making Data Count icons;
 * the partners compared on a funnel plot and in a table; moderation;
 * and a methodology appendix with every sampling run of the period and
 * how to check it, and what each measure means.  A period with nothing
 * to show gets a short report saying so.
 *
 * Every figure comes from trends.h (and moderation.h for agreement); the
 * report only chooses, words and draws them.  Deterministic: the same
 * data gives the same bytes, the as-of day and "today" for overdue work
 * both being ca_report_as_of's.  No personal data: no names of people
 * (partner organisations are named: they are not people), no free text
 * from the records, groups of fewer than five withheld.
 */
#ifndef CASEAUDIT_BOARD_H
#define CASEAUDIT_BOARD_H

#include <libpq-fe.h>

#include "error.h"
#include "report.h"

/* How many periods the control charts reach back, the period included. */
#define CA_BOARD_CHART_PERIODS 24

typedef struct ca_board_request {
	const char *period;     /* "2025-03" or "2025-Q1" */
	const char *font_dir;   /* NULL: CASEAUDIT_FONT_DIR or the system's */
} ca_board_request;

/* What ca_board_render checks before it reads anything: 64 for a period
 * that is not a month or quarter. */
int ca_board_check(const ca_board_request *rq, ca_err *err);

/* Render the period's report from one snapshot of the database (the
 * caller's transaction when there is one).  Fills *pdf (free it with
 * ca_report_pdf_free).  64 for a bad period, 66 when the fonts are
 * missing, 69, 70 or 75 from the database. */
int ca_board_render(PGconn *conn, const ca_board_request *rq, ca_report_pdf *pdf,
    ca_err *err);

#endif
