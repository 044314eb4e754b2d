/*
 * board_partners.c - the partner organisations compared: a funnel plot of
 * each partner's share of audits graded good or outstanding against its
 * number of audits, and a table of every partner.
 *
 * The funnel labels partners A, B, C... with the table as the key: their
 * names can be long enough to cover the chart, and a letter is fairer to
 * read than a name when comparing.  The table names them in full (partner
 * organisations are not people).
 */
#include "board_private.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart.h"
#include "heading.h"
#include "paragraph.h"
#include "stats.h"
#include "table.h"
#include "words.h"

#define FUNNEL_H 270.0

/* The limits around the overall share at n audits, as trends.h places
 * the partners (stats.h; a fractional n between whole numbers for the
 * curves). */
static void
limits(double n, void *ctx, ca_funnel_bounds *out)
{
	double p0 = *(const double *)ctx;

	ca_funnel_limits_real(p0, n, 0.95, &out->lo95, &out->hi95);
	ca_funnel_limits_real(p0, n, 0.998, &out->lo998, &out->hi998);
}

const char *
board_position_words(board_position p)
{
	switch (p) {
	case BOARD_WITHIN: return "Within the limits";
	case BOARD_HIGH_95: return "Above the 95% limit";
	case BOARD_HIGH_998: return "Above the 99.8% limit";
	case BOARD_LOW_95: return "Below the 95% limit";
	case BOARD_LOW_998: return "Below the 99.8% limit";
	default: return "Not compared";
	}
}

static void
funnel(ca_doc *d, const board *b, size_t plotted)
{
	const ca_trends *t = board_compared(b);
	const char **labels = calloc(plotted, sizeof *labels);
	double *n = calloc(plotted, sizeof *n), *rate = calloc(plotted, sizeof *rate);
	double overall = b->overall;
	ca_funnel_chart c;
	size_t k = 0, ringed = 0;

	if (labels == NULL || n == NULL || rate == NULL) {
		ca_doc_fail(d, CA_EX_SOFTWARE, "board report: out of memory");
		goto done;
	}
	for (size_t i = 0; i < t->nproviders; i++) {
		if (b->position[i] == BOARD_NOT_PLOTTED)
			continue;
		labels[k] = b->label[i];
		if (b->partner != NULL && t->providers[i].provider_id == b->partner_id)
			ringed = k + 1;
		n[k] = (double)b->funnel[i].n;
		rate[k] = b->funnel[i].share;
		k++;
	}
	memset(&c, 0, sizeof c);
	c.title = "Audits graded good or outstanding, by partner";
	c.labels = labels;
	c.n = n;
	c.rate = rate;
	c.npoints = k;
	c.overall = overall;
	c.limits = limits;
	c.ctx = &overall;
	c.direction = 1;
	c.ringed = ringed;
	c.x_title = "Number of audits (effective, allowing for the sampling weights)";
	c.y = (ca_axis){ "Share graded good or outstanding", CA_PERCENT, 1, 0, 1, 1 };
	ca_chart_funnel(d, ca_doc_take(d, FUNNEL_H), &c);
done:
	free(labels);
	free(n);
	free(rate);
}

void
board_partner_table(ca_doc *d, const board *b)
{
	static const ca_table_col cols[] = {
		{ "Key", 30, 0, CA_LEFT },
		{ "Partner organisation", 0, 1, CA_LEFT },
		{ "Audits", 68, 0, CA_RIGHT },
		{ "Good or outstanding", 84, 0, CA_RIGHT },
		{ "95% CI", 62, 0, CA_RIGHT },
		{ "On the funnel plot", 96, 0, CA_LEFT },
	};
	const ca_trends *t = board_compared(b);
	int keyed = b->partner == NULL;     /* the board's: every partner, by letter */
	ca_table *tb = ca_table_begin(d, cols + !keyed, 6 - (size_t)!keyed);

	ca_table_keep(tb, keyed ? t->nproviders + 1 : 2);
	for (size_t i = 0; i <= t->nproviders; i++) {
		int each = i < t->nproviders;
		const ca_trends_group *g = each ? &t->providers[i] : &t->all;
		char n[32], share[64], ci[32];
		const char *cells[6] = { each ? b->label[i] : "", !each ? "All partners" : keyed ?
			g->name : b->partner, n, share, ci,
			each ? board_position_words(b->position[i]) : "" };

		if (each && !keyed && g->provider_id != b->partner_id)
			continue;
		if (g->suppressed) {
			snprintf(n, sizeof n, CA_WORDS_FEWER);
			snprintf(share, sizeof share, "not shown");
			ci[0] = '\0';
		} else {
			ca_words_count(g->audits, n, sizeof n);
			if (g->good.n == 0)
				snprintf(share, sizeof share, "no audits");
			else
				ca_words_percent(g->good.share, share, sizeof share);
			ca_words_interval(g->good.lo, g->good.hi, ci, sizeof ci);
		}
		if (each)
			ca_table_row(tb, cells + !keyed);
		else
			ca_table_row_bold(tb, cells + !keyed);
	}
	ca_table_end(tb);
}

size_t
board_plotted(const board *b)
{
	size_t plotted = 0;

	for (size_t i = 0; i < board_compared(b)->nproviders; i++)
		plotted += b->position[i] != BOARD_NOT_PLOTTED;
	return plotted;
}

void
board_funnel(ca_doc *d, const board *b)
{
	size_t plotted = board_plotted(b);
	char line[256], share[64];

	if (plotted == 0)
		return;
	snprintf(line, sizeof line, "Each point is a partner organisation: its share of "
	    "audits graded good or outstanding against how many of its audits were "
	    "completed. The solid line is the share for all partners, %s.",
	    ca_words_share(&board_compared(b)->all.good, share, sizeof share));
	ca_para(d, line);
	ca_para(d, "The curved lines are the limits within which 95% (dashed) and 99.8% "
	    "(dotted) of partners would fall by chance alone if all worked to that "
	    "overall standard. They narrow as the number of audits grows, so a small "
	    "partner is not singled out for what may be chance. A partner outside the "
	    "99.8% limits is very unlikely to differ by chance.");
	funnel(d, b, plotted);
}

void
board_partners(ca_doc *d, const board *b)
{
	ca_heading(d, 1, "Partner comparison");
	if (board_plotted(b) > 0) {
		board_funnel(d, b);
		ca_note(d, "Partners are labelled by letter; the table below is the key. The "
		    "number of audits is the effective number when sampling weights differ "
		    "within a partner. Partners with fewer than five completed audits are not "
		    "plotted.");
	} else
		ca_para(d, "No partner organisation had five or more completed audits in the "
		    "period, so none is compared: with so few, differences would be chance.");
	ca_heading(d, 2, "Every partner this period");
	board_partner_table(d, b);
}
