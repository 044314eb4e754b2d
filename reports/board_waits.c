/*
 * board_waits.c - waiting and timeliness: how long people waited for
 * their assessment, by partner (median and 90th percentile, for those
 * assessed in the period and those still waiting), and whether the audits
 * themselves were done on time.
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

/* A bar per partner reads well up to about this many; beyond, the table. */
#define MAX_BARS 16

static void
days(double v, int withheld, char *buf, size_t size)
{
	if (withheld)
		snprintf(buf, size, CA_WORDS_FEWER);
	else if (!isfinite(v))
		snprintf(buf, size, "none");
	else
		snprintf(buf, size, "%.0f", v);
}

static void
wait_row(ca_table *t, const ca_trends_wait *w, const char *name, int bold)
{
	char done[32], med[32], p90[32], waiting[32], wmed[32], wp90[32];
	const char *cells[7] = { name, done, med, p90, waiting, wmed, wp90 };

	if (w->suppressed)
		snprintf(done, sizeof done, CA_WORDS_FEWER);
	else
		ca_words_count(w->completed, done, sizeof done);
	days(w->median, w->suppressed, med, sizeof med);
	days(w->p90, w->suppressed, p90, sizeof p90);
	if (w->waiting_suppressed)
		snprintf(waiting, sizeof waiting, CA_WORDS_FEWER);
	else
		ca_words_count(w->waiting, waiting, sizeof waiting);
	days(w->waiting_median, w->waiting_suppressed, wmed, sizeof wmed);
	days(w->waiting_p90, w->waiting_suppressed, wp90, sizeof wp90);
	if (w->suppressed)
		med[0] = p90[0] = '\0';
	if (w->waiting_suppressed)
		wmed[0] = wp90[0] = '\0';
	if (bold)
		ca_table_row_bold(t, cells);
	else
		ca_table_row(t, cells);
}

/* The rows a report shows: the board's every partner and all of them; a
 * provider report's partner and all partners. */
typedef struct wait_rows {
	size_t n;
	const ca_trends_wait *w[MAX_BARS];
	const char *name[MAX_BARS];
	const ca_trends_wait *all;
} wait_rows;

static void
chart(ca_doc *d, const wait_rows *rows)
{
	const char *cats[MAX_BARS + 1];
	double med[MAX_BARS + 1], p90[MAX_BARS + 1];
	ca_bar_series series[2];
	ca_bar_chart c;
	size_t n = 0;

	for (size_t i = 0; i < rows->n; i++) {
		cats[n] = rows->name[i];
		med[n] = rows->w[i]->suppressed ? NAN : rows->w[i]->median;
		p90[n] = rows->w[i]->suppressed ? NAN : rows->w[i]->p90;
		n++;
	}
	if (rows->n == 1) {
		/* one partner's bars mean something only beside everyone's */
		cats[n] = "All partners";
		med[n] = rows->all->median;
		p90[n] = rows->all->p90;
		n++;
	}
	series[0] = (ca_bar_series){ "Median", med, NULL, NULL };
	series[1] = (ca_bar_series){ "90th percentile", p90, NULL, NULL };
	memset(&c, 0, sizeof c);
	c.title = "Days from request to completed assessment, this period";
	c.categories = cats;
	c.ncat = n;
	c.series = series;
	c.nseries = 2;
	c.axis = (ca_axis){ "Days", CA_NUMBER, 0, 0, 0, 1 };
	c.value_labels = 1;
	c.missing = CA_WORDS_FEWER " completed";
	c.target = NAN;
	ca_chart_bar(d, ca_doc_take(d, ca_chart_bar_height(&c)), &c);
}

static void
waits(ca_doc *d, const board *b)
{
	static const ca_table_col cols[] = {
		{ "Partner organisation", 0, 1, CA_LEFT },
		{ "Completed", 68, 0, CA_RIGHT },
		{ "Median wait (days)", 56, 0, CA_RIGHT },
		{ "90th percentile", 62, 0, CA_RIGHT },
		{ "Still waiting", 68, 0, CA_RIGHT },
		{ "Median so far (days)", 56, 0, CA_RIGHT },
		{ "90th percentile", 62, 0, CA_RIGHT },
	};
	const ca_trends_waits *w = &b->now->waits;
	wait_rows rows = { 0 };
	char census[32], line[512];
	ca_table *t;

	/* a provider report's waits are the partner's (now) beside everyone's */
	rows.all = b->whole != NULL ? &b->whole->waits.all : &w->all;
	ca_words_date(w->census, census, sizeof census);
	ca_heading(d, 2, "Waiting for an assessment");
	snprintf(line, sizeof line, "From every assessment, audited or not: the days from "
	    "request to completion for those completed in the period, and the days waited so "
	    "far by people still waiting on %s. The median is the middle wait; one in ten "
	    "waited longer than the 90th percentile.", census);
	ca_para(d, line);
	if (w->nproviders <= MAX_BARS) {
		for (size_t i = 0; i < w->nproviders; i++) {
			rows.w[rows.n] = &w->providers[i];
			rows.name[rows.n++] = b->partner != NULL ? b->partner : w->providers[i].name;
		}
		if (rows.n > 0 && !rows.all->suppressed)
			chart(d, &rows);
	}
	t = ca_table_begin(d, cols, 7);
	ca_table_keep(t, w->nproviders + 1);
	for (size_t i = 0; i < w->nproviders; i++)
		wait_row(t, &w->providers[i], b->partner != NULL ? b->partner :
		    w->providers[i].name, 0);
	wait_row(t, rows.all, "All partners", 1);
	ca_table_end(t);
	ca_note(d, "A partner with fewer than five assessments completed (or waiting) has that "
	    "half of its row withheld.");
}

/* The audits overdue or submitted late, period by period. */
static void
timeliness(ca_doc *d, const board *b)
{
	const ca_trends_series *se = &b->range->series[CA_TRENDS_SERIES_OVERDUE];
	const ca_trends_work *w = &b->now->all.work;
	char line[512], title[96];

	ca_heading(d, 2, "Audits done on time");
	if (w->suppressed)
		snprintf(line, sizeof line, "Fewer than 5 audits were drawn for the period, so "
		    "their timeliness is not shown.");
	else
		snprintf(line, sizeof line, "Of the %ld audits drawn for the period, %ld %s open "
		    "past %s due date and %ld %s submitted late. Lower is better.", w->audits,
		    w->overdue, w->overdue == 1 ? "is" : "are", w->overdue == 1 ? "its" : "their",
		    w->late, w->late == 1 ? "was" : "were");
	ca_para(d, line);
	if (!se->charted)
		return;
	snprintf(title, sizeof title, "Audits overdue or submitted late, %s",
	    b->period.months == 1 ? "month by month" : "quarter by quarter");
	board_chart(d, b, CA_TRENDS_SERIES_OVERDUE, title,
	    (ca_axis){ "Audits", CA_NUMBER, 0, 0, 0, 1 });
	switch (board_measure_signal(b, CA_TRENDS_SERIES_OVERDUE)) {
	case BOARD_IMPROVEMENT:
		ca_para(d, "The latest point is special-cause variation: fewer audits overdue or "
		    "late than the process has been giving, an improvement.");
		break;
	case BOARD_CONCERN:
		ca_para(d, "The latest point is special-cause variation: more audits overdue or "
		    "late than the process has been giving, a concern.");
		break;
	default:
		ca_para(d, "The latest point is common-cause variation.");
		break;
	}
}

void
board_waits(ca_doc *d, const board *b)
{
	ca_heading(d, 1, "Waiting and timeliness");
	waits(d, b);
	timeliness(d, b);
}
