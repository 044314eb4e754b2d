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
#include "table.h"
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

/* The partner's row, then all partners', as the board's table has them. */
static void
position_table(ca_doc *d, const board *b)
{
	static const ca_table_col cols[] = {
		{ "", 0, 1, CA_LEFT },
		{ "Audits", 68, 0, CA_RIGHT },
		{ "Good or outstanding", 84, 0, CA_RIGHT },
		{ "95% CI", 62, 0, CA_RIGHT },
		{ "On the funnel plot", 110, 0, CA_LEFT },
	};
	const ca_trends *t = board_compared(b);
	ca_table *tb = ca_table_begin(d, cols, 5);

	ca_table_keep(tb, 2);
	for (size_t i = 0; i <= t->nproviders; i++) {
		int mine = i < t->nproviders && t->providers[i].provider_id == b->partner_id;
		const ca_trends_group *g = i < t->nproviders ? &t->providers[i] : &t->all;
		char n[32], share[64], ci[32];
		const char *cells[5] = { mine ? b->partner : "All partners", n, share, ci,
			mine ? board_position_words(b->position[i]) : "" };

		if (i < t->nproviders && !mine)
			continue;
		ci[0] = '\0';
		if (g->suppressed) {
			snprintf(n, sizeof n, CA_WORDS_FEWER);
			snprintf(share, sizeof share, "not shown");
		} else {
			ca_words_count(g->audits, n, sizeof n);
			ca_words_percent(g->good.share, share, sizeof share);
			ca_words_interval(g->good.lo, g->good.hi, ci, sizeof ci);
		}
		if (mine)
			ca_table_row(tb, cells);
		else
			ca_table_row_bold(tb, cells);
	}
	ca_table_end(tb);
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
	position_table(d, b);
}

int
ca_provider_render(PGconn *conn, const ca_provider_request *rq, ca_report_pdf *pdf,
    long long *provider_id, ca_err *err)
{
	static const board_section sections[] = { board_summary, board_measures,
		provider_position, board_themes, board_actions, board_waits, board_equity,
		board_appendix };
	char short_title[96], brief[32];
	ca_period p;
	board b;
	int rc;

	memset(pdf, 0, sizeof *pdf);
	*provider_id = 0;
	if ((rc = ca_provider_check(rq, err)) != 0)
		return rc;
	ca_period_parse(rq->period, &p);
	if ((rc = board_load(conn, &p, rq->provider, &b, err)) != 0)
		return rc;
	b.title = TITLE;
	*provider_id = b.partner_id;
	snprintf(pdf->as_of, sizeof pdf->as_of, "%sT00:00:00Z", b.as_of);
	ca_words_period_short(&b.period, brief, sizeof brief);
	snprintf(short_title, sizeof short_title, "Partner report – %s", brief);
	rc = board_render(&b, rq->font_dir, short_title, sections,
	    sizeof sections / sizeof sections[0], pdf, err);
	board_free(&b);
	if (rc != 0)
		ca_report_pdf_free(pdf);
	return rc;
}
