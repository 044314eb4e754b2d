/*
 * board_themes.c - recurring themes: the checklist questions most often
 * not met this period, against the periods before, and how often the
 * auditors bore out what screening flagged in the records.
 */
#include "board_private.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart.h"
#include "heading.h"
#include "paragraph.h"
#include "table.h"
#include "words.h"

/* ca_trends_flag_names as a board member reads them. */
static const char *const flag_words[CA_TRENDS_FLAGS] = {
	"Single presenting issue only", "The person's own voice missing", "Deficit language",
	"Risk without a plan", "Carer not offered an assessment", "Safeguarding concern",
};

static const char *
trend_words(ca_trends_trend t)
{
	switch (t) {
	case CA_TRENDS_RISING: return "Rising (worse)";
	case CA_TRENDS_FALLING: return "Falling (better)";
	case CA_TRENDS_STEADY: return "No clear change";
	default: return "Too few earlier";
	}
}

/* The shares not met, this period against the earlier ones. */
static void
chart(ca_doc *d, const board *b)
{
	static const char *const keys[] = { "Q1", "Q2", "Q3", "Q4", "Q5", "Q6", "Q7", "Q8",
		"Q9", "Q10" };
	const ca_trends *t = b->range;
	const char **cats = calloc(t->nthemes, sizeof *cats);
	double *now = calloc(t->nthemes, sizeof *now), *lo = calloc(t->nthemes, sizeof *lo);
	double *hi = calloc(t->nthemes, sizeof *hi), *before = calloc(t->nthemes, sizeof *before);
	ca_bar_series series[2];
	ca_bar_chart c;

	if (cats == NULL || now == NULL || lo == NULL || hi == NULL || before == NULL) {
		ca_doc_fail(d, CA_EX_SOFTWARE, "board report: out of memory");
		goto done;
	}
	for (size_t i = 0; i < t->nthemes; i++) {
		const ca_trends_theme *q = &t->themes[i];

		/* the table below is the key: questions are too long for a bar */
		cats[i] = i < sizeof keys / sizeof keys[0] ? keys[i] : "";
		before[i] = q->earlier.suppressed || q->earlier.n == 0 ? NAN : q->earlier.share;
		now[i] = q->share.share;
		lo[i] = q->share.lo;
		hi[i] = q->share.hi;
	}
	series[0] = (ca_bar_series){ "Earlier periods", before, NULL, NULL };
	series[1] = (ca_bar_series){ "This period (with 95% CI)", now, lo, hi };
	memset(&c, 0, sizeof c);
	c.title = "Share not met";
	c.categories = cats;
	c.ncat = t->nthemes;
	c.series = series;
	c.nseries = 2;
	c.axis = (ca_axis){ "Share of answers not met", CA_PERCENT, 1, 0, 1, 1 };
	c.value_labels = 1;
	c.missing = "too few earlier answers";
	c.target = NAN;
	ca_chart_bar(d, ca_doc_take(d, ca_chart_bar_height(&c)), &c);
done:
	free(cats);
	free(now);
	free(lo);
	free(hi);
	free(before);
}

static void
questions(ca_doc *d, const board *b)
{
	static const ca_table_col cols[] = {
		{ "", 28, 0, CA_LEFT },
		{ "Question", 0, 1, CA_LEFT },
		{ "Answers", 56, 0, CA_RIGHT },
		{ "Not met", 50, 0, CA_RIGHT },
		{ "95% CI", 62, 0, CA_RIGHT },
		{ "Earlier", 50, 0, CA_RIGHT },
		{ "Trend", 74, 0, CA_LEFT },
	};
	const ca_trends *t = b->range;
	ca_table *tb;

	if (t->nthemes == 0) {
		ca_para(d, "No question of the checklist was answered five or more times this "
		    "period, so none is ranked.");
		return;
	}
	ca_para(d, "The questions most often not met this period: of the answers met, partly "
	    "met or not met, the share not met (weighted to the cases sampled), beside the same "
	    "share over the earlier periods of the charts together. The trend is said only when "
	    "the two 95% intervals do not overlap; rising means the question is not met more "
	    "often, which is worse.");
	chart(d, b);
	tb = ca_table_begin(d, cols, 7);
	ca_table_keep(tb, t->nthemes);
	for (size_t i = 0; i < t->nthemes; i++) {
		const ca_trends_theme *q = &t->themes[i];
		char key[24], n[32], pc[16], ci[32], before[16];
		const char *cells[7] = { key, q->text, n, pc, ci, before, trend_words(q->trend) };

		snprintf(key, sizeof key, "Q%zu", i + 1);
		ca_words_count(q->met + q->partially_met + q->not_met, n, sizeof n);
		ca_words_percent(q->share.share, pc, sizeof pc);
		ca_words_interval(q->share.lo, q->share.hi, ci, sizeof ci);
		if (q->earlier.suppressed || q->earlier.n == 0)
			snprintf(before, sizeof before, q->earlier.suppressed ? CA_WORDS_FEWER : "none");
		else
			ca_words_percent(q->earlier.share, before, sizeof before);
		ca_table_row(tb, cells);
	}
	ca_table_end(tb);
}

static void
flags(ca_doc *d, const board *b)
{
	static const ca_table_col cols[] = {
		{ "Flag raised by screening", 0, 1, CA_LEFT },
		{ "Raised", 50, 0, CA_RIGHT },
		{ "Confirmed", 66, 0, CA_RIGHT },
		{ "Not confirmed", 66, 0, CA_RIGHT },
		{ "Share confirmed", 62, 0, CA_RIGHT },
		{ "95% CI", 62, 0, CA_RIGHT },
	};
	const ca_trends_group *g = &b->now->all;
	const ca_trends_flag *single = &g->flag[0];
	char line[384], share[64], n[32], ci[32];
	ca_table *tb;

	ca_heading(d, 2, "Screening flags and what auditors found");
	ca_para(d, "Screening reads every assessment's narrative and flags what may be missing; "
	    "it never grades a case. An auditor bears a flag out when they score its domain "
	    "below 50% (a single issue: holistic needs; the person's voice and deficit language: "
	    "strengths; risk without a plan and safeguarding: risk; a carer not offered an "
	    "assessment: carers).");
	if (!single->suppressed && single->raised > 0 && !isnan(single->share)) {
		ca_words_n(single->raised, "audited assessment", NULL, n, sizeof n);
		ca_words_percent(single->share, share, sizeof share);
		snprintf(line, sizeof line, "Screening flagged %s as dealing with a single "
		    "presenting issue only; auditors confirmed it in %ld and did not in %ld (%s "
		    "confirmed, 95%% CI %s).", n, single->confirmed, single->not_confirmed, share,
		    ca_words_interval(single->lo, single->hi, ci, sizeof ci));
		ca_para(d, line);
	}
	tb = ca_table_begin(d, cols, 6);
	ca_table_keep(tb, CA_TRENDS_FLAGS);
	for (int f = 0; f < CA_TRENDS_FLAGS; f++) {
		const ca_trends_flag *x = &g->flag[f];
		char raised[32], yes[32], no[32], pc[16], ci[32];
		const char *cells[6] = { flag_words[f], raised, yes, no, pc, ci };

		if (x->suppressed) {
			snprintf(raised, sizeof raised, CA_WORDS_FEWER);
			yes[0] = no[0] = ci[0] = '\0';
			snprintf(pc, sizeof pc, "not shown");
		} else {
			snprintf(raised, sizeof raised, "%ld", x->raised);
			snprintf(yes, sizeof yes, "%ld", x->confirmed);
			snprintf(no, sizeof no, "%ld", x->not_confirmed);
			ca_words_percent(x->share, pc, sizeof pc);
			ca_words_interval(x->lo, x->hi, ci, sizeof ci);
		}
		ca_table_row(tb, cells);
	}
	ca_table_end(tb);
	ca_note(d, "Of the audits of the random sample this period. A flag where the domain did "
	    "not apply to the case is neither confirmed nor not.");
}

void
board_themes(ca_doc *d, const board *b)
{
	ca_heading(d, 1, "Recurring themes");
	questions(d, b);
	if (!b->now->all.suppressed)
		flags(d, b);
}
