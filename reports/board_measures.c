/*
 * board_measures.c - the domain measures: a table of the period's shares
 * with their intervals, then for each measure a control chart over the
 * periods up to this one, with the Making Data Count icons beside it and
 * a sentence saying what the chart shows.
 */
#include "board_private.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart.h"
#include "heading.h"
#include "icons.h"
#include "paragraph.h"
#include "table.h"
#include "words.h"
#include "xmr.h"

#define CHART_H 210.0
#define ICON_COLUMN 72.0
#define ICON_R 15.0

static const ca_trends_share *
share_now(const board *b, int series)
{
	const ca_trends_group *g = &b->now->all;

	return series == CA_TRENDS_SERIES_GOOD ? &g->good :
	    &g->domain[series - CA_TRENDS_SERIES_DOMAIN];
}

board_signal
board_measure_signal(const board *b, int series)
{
	const ca_trends_series *se = &b->range->series[series];

	if (!se->charted)
		return BOARD_UNCHARTED;
	switch (se->chart.variation) {
	case CA_XMR_VAR_IMPROVEMENT_HIGH:
	case CA_XMR_VAR_IMPROVEMENT_LOW:
		return BOARD_IMPROVEMENT;
	case CA_XMR_VAR_CONCERN_HIGH:
	case CA_XMR_VAR_CONCERN_LOW:
		return BOARD_CONCERN;
	case CA_XMR_VAR_NEUTRAL_HIGH:
	case CA_XMR_VAR_NEUTRAL_LOW:
		return BOARD_NEUTRAL;
	case CA_XMR_VAR_COMMON:
		return BOARD_COMMON;
	default:
		return BOARD_UNCHARTED;
	}
}

static const char *
signal_words(board_signal s)
{
	switch (s) {
	case BOARD_IMPROVEMENT: return "Improvement";
	case BOARD_CONCERN: return "Concern";
	case BOARD_NEUTRAL: return "Special cause";
	case BOARD_COMMON: return "Common cause";
	default: return "Not charted";
	}
}

/* The assurance verdict against the board's target: the same control
 * chart (xmr.h) with the target given.  CA_XMR_ASSURE_NONE without one. */
static ca_xmr_assurance
assurance(const board *b, int series)
{
	const ca_trends_series *se = &b->range->series[series];
	double target = b->target[series];
	ca_xmr_point *pts;
	ca_err err = { 0 };
	ca_xmr x;

	if (!se->charted || !isfinite(target) || (pts = calloc(se->n, sizeof *pts)) == NULL)
		return CA_XMR_ASSURE_NONE;
	if (ca_xmr_compute(se->value, se->n, se->direction, &target, &x, pts, &err) != 0)
		x.assurance = CA_XMR_ASSURE_NONE;
	free(pts);
	return x.assurance;
}

static const char *
assurance_words(ca_xmr_assurance a)
{
	switch (a) {
	case CA_XMR_ASSURE_PASS: return "Consistently passes";
	case CA_XMR_ASSURE_FAIL: return "Consistently fails";
	case CA_XMR_ASSURE_HIT_AND_MISS: return "Hit and miss";
	default: return "no target";
	}
}

/* The share of a measure for all partners, beside a provider report's. */
static void
share_whole(const board *b, int m, char *buf, size_t size)
{
	const ca_trends_group *g = &b->whole->all;
	const ca_trends_share *s = m == CA_TRENDS_SERIES_GOOD ? &g->good :
	    &g->domain[m - CA_TRENDS_SERIES_DOMAIN];

	if (s->suppressed)
		snprintf(buf, size, "not shown");
	else if (s->n == 0)
		snprintf(buf, size, "none");
	else
		ca_words_percent(s->share, buf, size);
}

static void
overview(ca_doc *d, const board *b)
{
	const ca_table_col measure = { "Measure", 0, 1, CA_LEFT },
	    audits = { "Audits", 68, 0, CA_RIGHT },
	    now = { b->partner != NULL ? "This partner" : "This period", 58, 0, CA_RIGHT },
	    ci = { "95% CI", 62, 0, CA_RIGHT },
	    whole = { "All partners", 58, 0, CA_RIGHT },
	    variation = { "Variation", 84, 0, CA_LEFT },
	    target = { "Against target", 84, 0, CA_LEFT };
	ca_table_col cols[7];
	int targets = 0, ncols = 0;
	ca_table *t;

	for (int m = 0; m < BOARD_NMEASURES; m++)
		targets |= isfinite(b->target[m]);
	cols[ncols++] = measure;
	cols[ncols++] = audits;
	cols[ncols++] = now;
	cols[ncols++] = ci;
	if (b->whole != NULL)
		cols[ncols++] = whole;
	cols[ncols++] = variation;
	/* without targets the last column would say "none" seven times */
	if (targets)
		cols[ncols++] = target;
	t = ca_table_begin(d, cols, ncols);
	ca_table_keep(t, BOARD_NMEASURES);
	for (int m = 0; m < BOARD_NMEASURES; m++) {
		const ca_trends_share *s = share_now(b, m);
		char share[32], interval[32], n[32], all[32];
		const char *cells[7];
		int k = 0;

		interval[0] = '\0';
		if (s->suppressed) {
			snprintf(n, sizeof n, CA_WORDS_FEWER);
			snprintf(share, sizeof share, "not shown");
		} else {
			ca_words_count(s->n, n, sizeof n);
			ca_words_percent(s->share, share, sizeof share);
			ca_words_interval(s->lo, s->hi, interval, sizeof interval);
		}
		cells[k++] = board_measure_title(m);
		cells[k++] = n;
		cells[k++] = share;
		cells[k++] = interval;
		if (b->whole != NULL) {
			share_whole(b, m, all, sizeof all);
			cells[k++] = all;
		}
		cells[k++] = signal_words(board_measure_signal(b, m));
		cells[k++] = assurance_words(assurance(b, m));
		ca_table_row(t, cells);
	}
	ca_table_end(t);
	ca_note(d, targets ? "Audits: those where the measure applied. Variation: what the "
	    "control chart says of its latest point. Against target: only where the board has "
	    "set one." : "Audits: those where the measure applied. Variation: what the control "
	    "chart says of its latest point. The board has set no targets, so there is no "
	    "assurance to show.");
	if (b->whole != NULL)
		ca_note(d, "All partners: the same measure this period for every partner "
		    "organisation together, this one included. The control charts below are the "
		    "partner's own.");
}

static ca_variation_icon
variation_icon(ca_xmr_variation v)
{
	switch (v) {
	case CA_XMR_VAR_IMPROVEMENT_HIGH: return CA_VARIATION_IMPROVEMENT_HIGH;
	case CA_XMR_VAR_IMPROVEMENT_LOW: return CA_VARIATION_IMPROVEMENT_LOW;
	case CA_XMR_VAR_CONCERN_HIGH: return CA_VARIATION_CONCERN_HIGH;
	case CA_XMR_VAR_CONCERN_LOW: return CA_VARIATION_CONCERN_LOW;
	case CA_XMR_VAR_NEUTRAL_HIGH: return CA_VARIATION_NEUTRAL_HIGH;
	case CA_XMR_VAR_NEUTRAL_LOW: return CA_VARIATION_NEUTRAL_LOW;
	default: return CA_VARIATION_COMMON;
	}
}

static ca_point_kind
point_kind(ca_xmr_kind k)
{
	switch (k) {
	case CA_XMR_IMPROVEMENT: return CA_POINT_IMPROVEMENT;
	case CA_XMR_CONCERN: return CA_POINT_CONCERN;
	case CA_XMR_NEUTRAL: return CA_POINT_NEUTRAL;
	default: return CA_POINT_COMMON;
	}
}

static void
caption(ca_doc *d, const char *s, double cx, double y)
{
	ca_text t = ca_text_plain(s, 0, 7);

	ca_fill(ca_doc_page(d), CA_MUTED);
	ca_text_draw_fit(ca_doc_page(d), ca_doc_fonts(d), &t, cx - ICON_COLUMN / 2, y,
	    ICON_COLUMN, CA_CENTRE);
}

void
board_chart(ca_doc *d, const board *b, int m, const char *title, ca_axis y)
{
	const ca_trends_series *se = &b->range->series[m];
	const char **labels = calloc(se->n, sizeof *labels);
	ca_point_kind *kinds = calloc(se->n, sizeof *kinds);
	ca_xmr_assurance a = assurance(b, m);
	ca_xmr_chart c;
	ca_box box;
	double cx, top;

	if (labels == NULL || kinds == NULL) {
		ca_doc_fail(d, CA_EX_SOFTWARE, "board report: out of memory");
		goto done;
	}
	for (size_t i = 0; i < se->n; i++) {
		labels[i] = b->range->periods[se->period[i]].name;
		kinds[i] = point_kind(se->point[i].kind);
	}
	memset(&c, 0, sizeof c);
	c.title = title;
	c.labels = labels;
	c.values = se->value;
	c.kinds = kinds;
	c.n = se->n;
	c.mean = se->chart.mean;
	c.lower = se->chart.lower;
	c.upper = se->chart.upper;
	c.target = b->target[m];
	c.y = y;
	c.x_title = b->period.months == 1 ? "Month the assessments were completed" :
	    "Quarter the assessments were completed";
	box = ca_doc_take(d, CHART_H);
	if (ca_doc_page(d) == NULL)
		goto done;
	cx = box.x + box.w - ICON_COLUMN / 2;
	top = box.y + box.h - 28;
	ca_chart_xmr(d, (ca_box){ box.x, box.y, box.w - ICON_COLUMN, box.h }, &c);
	ca_icon_variation(d, cx, top - ICON_R, ICON_R, variation_icon(se->chart.variation));
	caption(d, "Variation", cx, top - 2 * ICON_R - 10);
	if (a != CA_XMR_ASSURE_NONE) {
		top -= 2 * ICON_R + 30;
		ca_icon_assurance(d, cx, top - ICON_R, ICON_R, a == CA_XMR_ASSURE_PASS ?
		    CA_ASSURANCE_PASS : a == CA_XMR_ASSURE_FAIL ? CA_ASSURANCE_FAIL :
		    CA_ASSURANCE_HIT_AND_MISS);
		caption(d, "Assurance", cx, top - 2 * ICON_R - 10);
	}
done:
	free(labels);
	free(kinds);
}

/* What the chart says, in words. */
static void
reading(ca_doc *d, const board *b, int m, ca_xmr_assurance a, ca_strbuf *s)
{
	const ca_trends_series *se = &b->range->series[m];
	const char *latest = b->range->periods[se->period[se->n - 1]].name;
	char mean[16], lo[16], hi[16], target[16];

	ca_words_percent(se->chart.mean, mean, sizeof mean);
	ca_words_percent(se->chart.lower, lo, sizeof lo);
	ca_words_percent(se->chart.upper, hi, sizeof hi);
	ca_strbuf_addf(s, "Over %zu periods the mean is %s", se->n, mean);
	if (se->chart.lower > 0 && se->chart.upper < 1)
		ca_strbuf_addf(s, " and the process limits are %s and %s.", lo, hi);
	else if (se->chart.lower > 0)
		ca_strbuf_addf(s, "; the lower process limit is %s (the upper is beyond 100%%).",
		    lo);
	else if (se->chart.upper < 1)
		ca_strbuf_addf(s, "; the upper process limit is %s (the lower is below 0%%).", hi);
	else
		ca_strbuf_adds(s, "; the process limits lie beyond 0% and 100%: the share varies "
		    "too much from period to period to say more.");
	switch (board_measure_signal(b, m)) {
	case BOARD_IMPROVEMENT:
		ca_strbuf_addf(s, " The latest point (%s) is special-cause variation, an "
		    "improvement.", latest);
		break;
	case BOARD_CONCERN:
		ca_strbuf_addf(s, " The latest point (%s) is special-cause variation, a "
		    "concern.", latest);
		break;
	default:
		ca_strbuf_addf(s, " The latest point (%s) is common-cause variation.", latest);
		break;
	}
	if (se->period[se->n - 1] + 1 != b->range->nperiods)
		ca_strbuf_addf(s, " This period is not charted: too few of its audits had the "
		    "measure.");
	if (se->chart.few_points)
		ca_strbuf_addf(s, " With fewer than %d periods the limits are provisional.",
		    CA_XMR_FEW_POINTS);
	if (a != CA_XMR_ASSURE_NONE) {
		ca_words_percent(b->target[m], target, sizeof target);
		ca_strbuf_addf(s, " Against the board's target of %s, the process %s.", target,
		    a == CA_XMR_ASSURE_PASS ? "will consistently pass" : a == CA_XMR_ASSURE_FAIL ?
		    "will consistently fail unless something changes" :
		    "will hit and miss at random");
	}
	ca_para(d, s->data);
	ca_strbuf_reset(s);
}

static void
measure(ca_doc *d, const board *b, int m, ca_strbuf *s)
{
	const ca_trends_share *now = share_now(b, m);
	const ca_trends_series *se = &b->range->series[m];
	ca_xmr_assurance a = assurance(b, m);
	char share[64], n[48], title[96];

	ca_heading(d, 2, board_measure_title(m));
	if (now->suppressed)
		ca_strbuf_addf(s, "This period: fewer than 5 audits had the measure, so it is not "
		    "shown.");
	else if (now->n == 0)
		ca_strbuf_addf(s, "This period: no audit had the measure.");
	else {
		ca_words_n(now->n, "audit", NULL, n, sizeof n);
		ca_strbuf_addf(s, "This period: %s of %s.", ca_words_share(now, share,
		    sizeof share), n);
	}
	if (!se->charted) {
		ca_strbuf_adds(s, " Too few periods have enough audits to draw a control chart.");
		ca_para(d, s->data);
		ca_strbuf_reset(s);
		return;
	}
	ca_para(d, s->data);
	ca_strbuf_reset(s);
	snprintf(title, sizeof title, "%s, %s", m == CA_TRENDS_SERIES_GOOD ?
	    "Share graded good or outstanding" : "Share met",
	    b->period.months == 1 ? "month by month" : "quarter by quarter");
	board_chart(d, b, m, title, (ca_axis){ NULL, CA_PERCENT, 1, 0, 1, 1 });
	reading(d, b, m, a, s);
}

void
board_measures(ca_doc *d, const board *b)
{
	ca_strbuf s;

	ca_strbuf_init(&s);
	ca_heading(d, 1, "Domain measures");
	ca_para(d, "How often the audited records met the standard in each domain of the "
	    "checklist, and how often audits were graded good or outstanding. Each figure is an "
	    "estimate from a random sample, weighted back to the cases it was drawn from, with "
	    "its 95% confidence interval: the range the true figure very probably lies in.");
	overview(d, b);
	ca_heading(d, 2, "How to read the control charts");
	ca_para(d, "Each chart shows the measure period by period with its mean (solid line) "
	    "and process limits (dashed). Points inside the limits with no pattern are "
	    "common-cause variation: the ups and downs any process has. A point outside a "
	    "limit, seven in a row on one side of the mean, seven rising or falling, or two of "
	    "three near a limit is special-cause variation: something has changed. Blue "
	    "diamonds mark improvement, orange squares concern. The icons beside each chart "
	    "sum it up:");
	ca_icon_key(d);
	for (int m = 0; m < BOARD_NMEASURES; m++)
		measure(d, b, m, &s);
	if (ca_strbuf_failed(&s))
		ca_doc_fail(d, CA_EX_SOFTWARE, "board report: out of memory");
	ca_strbuf_free(&s);
}
