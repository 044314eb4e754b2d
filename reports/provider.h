/*
 * provider.h - a partner organisation's report for one period
 * (`caseaudit report provider`): the board report's measures for that
 * partner alone, set against all partners, for the council's contract
 * meetings with it.
 *
 * In order: a cover naming the partner; contents; a summary in
 * sentences; the domain measures with the partner's own control charts
 * and the share for all partners beside each; where the partner sits on
 * the funnel plot among the others (theirs unnamed); its recurring
 * themes and what auditors made of screening's flags on its cases; the
 * actions it owns and the safeguarding escalations of its cases; its
 * waits against all partners'; equity; and the methodology, with the
 * sampling runs that took in its work.  Moderation, which checks the
 * council's own auditors, is the board's alone.
 *
 * Every figure comes from trends.h with the partner as the provider
 * filter, so a provider report and the board report of the same period
 * always agree.  Deterministic and free of personal data as board.h says.
 */
#ifndef CASEAUDIT_PROVIDER_H
#define CASEAUDIT_PROVIDER_H

#include <libpq-fe.h>

#include "error.h"
#include "report.h"

typedef struct ca_provider_request {
	const char *period;     /* "2025-03" or "2025-Q1" */
	const char *provider;   /* the partner organisation, named as imported */
	const char *font_dir;   /* NULL: CASEAUDIT_FONT_DIR or the system's */
} ca_provider_request;

/* What ca_provider_render checks before it reads anything: 64 for a
 * period that is not a month or quarter or an empty partner name, 65 for
 * a name that is not UTF-8. */
int ca_provider_check(const ca_provider_request *rq, ca_err *err);

/* Render the partner's report for the period from one snapshot; *pdf as
 * ca_board_render, and *provider_id the partner's organisation (for the
 * reports table).  64 as ca_provider_check, 65 for a partner nobody is
 * called, 66 when the fonts are missing, 69, 70 or 75 from the database. */
int ca_provider_render(PGconn *conn, const ca_provider_request *rq, ca_report_pdf *pdf,
    long long *provider_id, ca_err *err);

#endif
