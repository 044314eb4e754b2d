/*
 * provider.c - a partner organisation's report (provider.h): the board
 * report's sections with the partner as the filter, and in place of the
 * board's partner comparison, where this partner sits among the others.
 */
#include "board_private.h"
#include "provider.h"

#include <stdio.h>
#include <string.h>

#include "heading.h"
#include "paragraph.h"
#include "words.h"

#define TITLE "Partner quality report"

int
ca_provider_check(const ca_provider_request *rq, ca_err *err)
{
	ca_board_request board = { rq->period, rq->font_dir };
	ca_trends_query q = { .provider = rq->provider };
	int rc;

	if ((rc = ca_board_check(&board, err)) != 0)
		return rc;
	if (rq->provider == NULL || rq->provider[0] == '\0')
		return ca_err_set(err, CA_EX_USAGE, "say which partner organisation, as its "
		    "name is imported");
	return ca_trends_query_check(&q, err);
}

/* Where the partner sits on the funnel plot of all partners, the others
 * unnamed: they are there to compare with, not to read about. */
static void
provider_position(ca_doc *d, const board *b)
{
	char line[1280];	/* a partner's name may be 200 characters of 4 bytes */

	ca_heading(d, 1, "Among the partners");
	if (board_plotted(b) == 0) {
		ca_para(d, "No partner organisation had five or more completed audits in the "
		    "period, so none is compared: with so few, differences would be chance.");
	} else {
		board_funnel(d, b);
		snprintf(line, sizeof line, "The ringed point labelled \u201c" BOARD_PARTNER_LABEL
		    "\u201d is %s; the other points are the other partner organisations, not "
		    "named. Partners with fewer than five completed audits are not plotted.",
		    b->partner);
		ca_note(d, line);
	}
	ca_heading(d, 2, "This partner and all partners");
	board_partner_table(d, b);
}

int
ca_provider_render(PGconn *conn, const ca_provider_request *rq, ca_report_pdf *pdf,
    long long *provider_id, ca_err *err)
{
	static const board_section sections[] = { board_summary, board_measures,
		provider_position, board_themes, board_actions, board_waits, board_equity,
		board_appendix };
	static const board_kind kind = { TITLE, "Partner report", sections,
		sizeof sections / sizeof sections[0] };
	int rc;

	memset(pdf, 0, sizeof *pdf);
	*provider_id = 0;
	if ((rc = ca_provider_check(rq, err)) != 0)
		return rc;
	return board_report(conn, &kind, rq->period, rq->provider, rq->font_dir, pdf,
	    provider_id, err);
}
