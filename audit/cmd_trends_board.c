/*
 * cmd_trends_board.c - the board report's figures in `caseaudit trends`
 * (trends_print.h): results by age band, ethnicity and support reason,
 * waits, recurring themes, the partner funnel, and actions and
 * escalations, as rows for CSV and JSON and as tables for a person.
 *
 * Every figure comes from ca_trends_load and ca_trends_funnel; this file
 * only chooses and words them.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "trends_print.h"

/* The equity grouping a view shows (trends.h CA_TRENDS_AGE_BAND ...). */
static int
equity_of(ca_tp_view v)
{
	return v == CA_TP_AGE_BAND ? CA_TRENDS_AGE_BAND : v == CA_TP_ETHNICITY ?
	    CA_TRENDS_ETHNICITY : CA_TRENDS_SUPPORT_REASON;
}

/* The whole range in the shape of an equity group, to compare with. */
static ca_trends_equity_group
equity_all(const ca_trends *t)
{
	ca_trends_equity_group all = { .name = "all", .recorded = 1,
	    .suppressed = t->all.suppressed, .audits = t->all.audits, .good = t->all.good };

	memcpy(all.domain, t->all.domain, sizeof all.domain);
	return all;
}

/* ---- rows for CSV and JSON ---------------------------------------------- */

/* An equity group, or the whole range (total) for comparison; `key` is
 * the grouping's name. */
static void
equity_record(ca_tp_row *r, const char *key, const ca_trends_equity_group *g, int total)
{
	int s = g->suppressed;

	r->n = 0;
	ca_tp_text(r, key, g->name);
	ca_tp_bool(r, "total", "", total);
	ca_tp_bool(r, "recorded", "", g->recorded);
	ca_tp_bool(r, "suppressed", "", s);
	ca_tp_bool(r, "secondary", "", g->secondary);
	ca_tp_count(r, "audits", "", g->audits, s);
	ca_tp_share(r, "good_or_outstanding", &g->good, 0);
	for (int k = 0; k < CA_DOMAINS; k++)
		ca_tp_share(r, ca_domain_names[k], &g->domain[k], 0);
}

static void
wait_record(ca_tp_row *r, const ca_trends_wait *w, const char *census, int total)
{
	r->n = 0;
	ca_tp_text(r, "provider", w->name);
	ca_tp_bool(r, "total", "", total);
	ca_tp_text(r, "census", census);
	ca_tp_bool(r, "suppressed", "", w->suppressed);
	ca_tp_count(r, "completed", "", w->completed, w->suppressed);
	ca_tp_num(r, "median_days", "", w->median);
	ca_tp_num(r, "p90_days", "", w->p90);
	ca_tp_bool(r, "waiting_suppressed", "", w->waiting_suppressed);
	ca_tp_count(r, "waiting", "", w->waiting, w->waiting_suppressed);
	ca_tp_num(r, "waiting_median_days", "", w->waiting_median);
	ca_tp_num(r, "waiting_p90_days", "", w->waiting_p90);
}

static void
theme_record(ca_tp_row *r, const ca_trends *t, const ca_trends_theme *th, size_t rank)
{
	r->n = 0;
	ca_tp_num(r, "rank", "", (double)rank + 1);
	ca_tp_text(r, "period", t->to_name);
	ca_tp_text(r, "form", th->form);
	ca_tp_text(r, "question", th->id);
	ca_tp_text(r, "domain", th->domain >= 0 ? ca_domain_names[th->domain] : NULL);
	ca_tp_text(r, "text", th->text);
	ca_tp_num(r, "met", "", (double)th->met);
	ca_tp_num(r, "partially_met", "", (double)th->partially_met);
	ca_tp_num(r, "not_met", "", (double)th->not_met);
	ca_tp_num(r, "not_applicable", "", (double)th->not_applicable);
	ca_tp_share(r, "share_not_met", &th->share, 0);
	ca_tp_share(r, "earlier_not_met", &th->earlier, 0);
	ca_tp_text(r, "trend", ca_trends_trend_name(th->trend));
	for (size_t i = 0; i < t->nperiods; i++)
		ca_tp_num(r, "share_not_met_", t->periods[i].name, th->periods[i].share);
}

static const char *
beyond_word(int side)
{
	return side < 0 ? "below" : side > 0 ? "above" : "within";
}

/* A partner on the funnel; pt NULL: the whole range, the funnel's centre. */
static void
funnel_record(ca_tp_row *r, const char *name, const char *measure, double overall,
    const ca_trends_funnel_point *pt)
{
	r->n = 0;
	ca_tp_text(r, "provider", name);
	ca_tp_bool(r, "total", "", pt == NULL);
	ca_tp_text(r, "measure", measure);
	ca_tp_num(r, "overall", "", overall);
	ca_tp_bool(r, "placed", "", pt != NULL && pt->placed);
	ca_tp_num(r, "n", "", pt != NULL && pt->placed ? (double)pt->n : NAN);
	ca_tp_num(r, "share", "", pt != NULL ? pt->share : overall);
	ca_tp_num(r, "lo95", "", pt != NULL ? pt->lo95 : NAN);
	ca_tp_num(r, "hi95", "", pt != NULL ? pt->hi95 : NAN);
	ca_tp_num(r, "lo998", "", pt != NULL ? pt->lo998 : NAN);
	ca_tp_num(r, "hi998", "", pt != NULL ? pt->hi998 : NAN);
	ca_tp_text(r, "limit95", pt != NULL && pt->placed ? beyond_word(pt->outside95) : NULL);
	ca_tp_text(r, "limit998", pt != NULL && pt->placed ? beyond_word(pt->outside998) :
	    NULL);
}

/* An owner's actions; o NULL: every owner, with the escalations. */
static void
action_record(ca_tp_row *r, const ca_trends_actions *a, const ca_trends_owner *o)
{
	int total = o == NULL;

	r->n = 0;
	ca_tp_text(r, "owner", total ? "all" : o->name);
	ca_tp_text(r, "kind", total ? NULL : o->staff ? "staff" : "organisation");
	ca_tp_bool(r, "total", "", total);
	ca_tp_text(r, "period", a->period);
	ca_tp_text(r, "census", a->census);
	ca_tp_num(r, "set", "", total ? (double)a->set : NAN);
	ca_tp_num(r, "open", "", (double)(total ? a->open : o->open));
	ca_tp_num(r, "overdue", "", (double)(total ? a->overdue : o->overdue));
	ca_tp_num(r, "done", "", (double)(total ? a->done : o->done));
	ca_tp_num(r, "escalations", "", total ? (double)a->escalations : NAN);
	ca_tp_num(r, "acknowledged", "", total ? (double)a->acknowledged : NAN);
	ca_tp_num(r, "unacknowledged", "", total ? (double)a->unacknowledged : NAN);
	ca_tp_num(r, "acknowledge_median_days", "", total ? a->ack_median : NAN);
	ca_tp_num(r, "acknowledge_longest_days", "", total ? a->ack_longest : NAN);
	ca_tp_num(r, "escalations_open", "", total ? (double)a->escalations_open : NAN);
}

void
ca_tp_board_rows(ca_tp_out *o, ca_tp_row *r, const ca_trends *t, ca_tp_view v, int measure)
{
	switch (v) {
	case CA_TP_AGE_BAND:
	case CA_TP_ETHNICITY:
	case CA_TP_SUPPORT_REASON: {
		const ca_trends_equity *e = &t->equity[equity_of(v)];
		ca_trends_equity_group all = equity_all(t);

		for (size_t i = 0; i < e->ngroups; i++) {
			equity_record(r, ca_trends_equity_names[equity_of(v)], &e->groups[i], 0);
			ca_tp_write(o, r);
		}
		equity_record(r, ca_trends_equity_names[equity_of(v)], &all, 1);
		ca_tp_write(o, r);
		break;
	}
	case CA_TP_WAIT:
		for (size_t i = 0; i < t->waits.nproviders; i++) {
			wait_record(r, &t->waits.providers[i], t->waits.census, 0);
			ca_tp_write(o, r);
		}
		wait_record(r, &t->waits.all, t->waits.census, 1);
		ca_tp_write(o, r);
		break;
	case CA_TP_THEME: {
		ca_trends_theme none = { .form = "", .id = "", .text = "" };

		for (size_t i = 0; i < t->nthemes; i++) {
			theme_record(r, t, &t->themes[i], i);
			ca_tp_write(o, r);
		}
		/* no themes: a CSV still says what its columns would be */
		if (t->nthemes == 0 && o->fmt == CA_FORMAT_CSV) {
			if ((none.periods = calloc(t->nperiods + 1, sizeof *none.periods)) == NULL) {
				o->failed = 1;
				return;
			}
			theme_record(r, t, &none, 0);
			ca_tp_csv_header(r);
			free(none.periods);
		}
		break;
	}
	case CA_TP_FUNNEL: {
		ca_trends_funnel_point *pt = calloc(t->nproviders + 1, sizeof *pt);
		const char *m = ca_trends_measure_name(measure);
		double overall;
		ca_err err = { 0 };

		if (pt == NULL || ca_trends_funnel(t, measure, &overall, pt, &err) != 0) {
			free(pt);
			o->failed = 1;
			return;
		}
		for (size_t i = 0; i < t->nproviders; i++) {
			funnel_record(r, t->providers[i].name, m, overall, &pt[i]);
			ca_tp_write(o, r);
		}
		funnel_record(r, "all", m, overall, NULL);
		ca_tp_write(o, r);
		free(pt);
		break;
	}
	case CA_TP_ACTION:
		for (size_t i = 0; i < t->actions.nowners; i++) {
			action_record(r, &t->actions, &t->actions.owners[i]);
			ca_tp_write(o, r);
		}
		action_record(r, &t->actions, NULL);
		ca_tp_write(o, r);
		break;
	default:
		break;
	}
}

/* ---- tables ------------------------------------------------------------- */

/* A share as a whole percentage, without its interval. */
static const char *
percent_cell(const ca_trends_share *s, char *buf, size_t size)
{
	if (s->suppressed)
		return "<5";
	if (s->n == 0 || isnan(s->share))
		return CA_TP_NOTHING;
	snprintf(buf, size, "%.0f%%", s->share * 100);
	return buf;
}

/* Days to a tenth, without a trailing ".0". */
static const char *
days_cell(double d, int suppressed, char *buf, size_t size)
{
	if (suppressed)
		return "suppressed";
	if (isnan(d))
		return CA_TP_NOTHING;
	snprintf(buf, size, "%.1f", d);
	if (strcmp(buf + strlen(buf) - 2, ".0") == 0)
		buf[strlen(buf) - 2] = '\0';
	return buf;
}

static void
equity_row(ca_tp_table *tb, const ca_trends_equity_group *g, const char *label)
{
	char b[8][64];
	const char *cells[3 + CA_DOMAINS];

	cells[0] = label;
	cells[1] = g->secondary ? "withheld" : ca_tp_count_cell(g->audits, g->suppressed, b[0],
	    sizeof b[0]);
	cells[2] = g->secondary ? "withheld" : ca_tp_share_cell(&g->good, b[1], sizeof b[1]);
	/* a group withheld says so once, not once a domain */
	for (int k = 0; k < CA_DOMAINS; k++)
		cells[3 + k] = g->suppressed ? "" : percent_cell(&g->domain[k], b[2 + k],
		    sizeof b[2 + k]);
	ca_tp_table_add(tb, cells);
}

static void
fill_equity(ca_tp_table *tb, const ca_trends *t, ca_tp_view v)
{
	static const char *const head[3][3 + CA_DOMAINS] = {
		{ "AGE BAND", "AUDITS", "GOOD OR OUTSTANDING", "HOLISTIC", "STRENGTHS", "RISK",
		    "CARERS", "OUTCOMES", "RECORDING" },
		{ "ETHNICITY", "AUDITS", "GOOD OR OUTSTANDING", "HOLISTIC", "STRENGTHS", "RISK",
		    "CARERS", "OUTCOMES", "RECORDING" },
		{ "PRIMARY SUPPORT REASON", "AUDITS", "GOOD OR OUTSTANDING", "HOLISTIC",
		    "STRENGTHS", "RISK", "CARERS", "OUTCOMES", "RECORDING" },
	};
	const ca_trends_equity *e = &t->equity[equity_of(v)];
	ca_trends_equity_group all = equity_all(t);

	tb->ncols = 3 + CA_DOMAINS;
	ca_tp_table_add(tb, head[equity_of(v)]);
	for (size_t i = 0; i < e->ngroups; i++)
		equity_row(tb, &e->groups[i], e->groups[i].recorded ? e->groups[i].name :
		    "Not recorded");
	equity_row(tb, &all, "All audits");
}

static void
wait_row(ca_tp_table *tb, const ca_trends_wait *w, const char *label)
{
	char b[6][64];
	const char *cells[7] = {
		label,
		ca_tp_count_cell(w->completed, w->suppressed, b[0], sizeof b[0]),
		days_cell(w->median, w->suppressed, b[1], sizeof b[1]),
		days_cell(w->p90, w->suppressed, b[2], sizeof b[2]),
		ca_tp_count_cell(w->waiting, w->waiting_suppressed, b[3], sizeof b[3]),
		days_cell(w->waiting_median, w->waiting_suppressed, b[4], sizeof b[4]),
		days_cell(w->waiting_p90, w->waiting_suppressed, b[5], sizeof b[5]),
	};

	ca_tp_table_add(tb, cells);
}

static void
fill_waits(ca_tp_table *tb, const ca_trends *t)
{
	static const char *const head[] = { "PARTNER", "COMPLETED", "MEDIAN DAYS",
	    "90TH PERCENTILE", "STILL WAITING", "MEDIAN SO FAR", "90TH PERCENTILE SO FAR" };

	tb->ncols = 7;
	ca_tp_table_add(tb, head);
	for (size_t i = 0; i < t->waits.nproviders; i++)
		wait_row(tb, &t->waits.providers[i], t->waits.providers[i].name);
	wait_row(tb, &t->waits.all, "All partners");
}

/* The share not met per period as a small bar each, "·" where withheld
 * or unanswered: the trend at a glance. */
static void
sparkline(const ca_trends *t, const ca_trends_theme *th, char *buf, size_t size)
{
	static const char *const bars[8] = { "\xe2\x96\x81", "\xe2\x96\x82",
	    "\xe2\x96\x83", "\xe2\x96\x84", "\xe2\x96\x85", "\xe2\x96\x86",
	    "\xe2\x96\x87", "\xe2\x96\x88" };
	size_t n = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < t->nperiods && n + 4 < size; i++) {
		const ca_trends_share *s = &th->periods[i];
		const char *c = s->suppressed || s->n == 0 || isnan(s->share) ?
		    "\xc2\xb7" : bars[(int)lround(s->share * 7)];

		n += (size_t)snprintf(buf + n, size - n, "%s", c);
	}
}

static void
fill_themes(ca_tp_table *tb, const ca_trends *t)
{
	static const char *const head[] = { "RANK", "QUESTION", "DOMAIN", "NOT MET",
	    "SHARE NOT MET", "EARLIER PERIODS", "TREND", "PER PERIOD" };

	tb->ncols = 8;
	ca_tp_table_add(tb, head);
	for (size_t i = 0; i < t->nthemes; i++) {
		const ca_trends_theme *th = &t->themes[i];
		const char *trend = ca_trends_trend_name(th->trend);
		char b[5][64], spark[4 * CA_TRENDS_MAX_PERIODS + 1];
		const char *cells[8];

		snprintf(b[0], sizeof b[0], "%zu", i + 1);
		snprintf(b[1], sizeof b[1], "%ld of %ld", th->not_met,
		    th->met + th->partially_met + th->not_met);
		sparkline(t, th, spark, sizeof spark);
		cells[0] = b[0];
		cells[1] = th->id;
		cells[2] = th->domain >= 0 ? ca_tp_domain_words[th->domain] : "";
		cells[3] = b[1];
		cells[4] = ca_tp_share_cell(&th->share, b[2], sizeof b[2]);
		cells[5] = ca_tp_share_cell(&th->earlier, b[3], sizeof b[3]);
		cells[6] = trend != NULL ? trend : CA_TP_NOTHING;
		cells[7] = spark;
		ca_tp_table_add(tb, cells);
	}
}

static const char *
place_cell(const ca_trends_funnel_point *pt)
{
	if (!pt->placed)
		return CA_TP_NOTHING;
	if (pt->outside998 != 0)
		return pt->outside998 > 0 ? "above 99.8% limit" : "below 99.8% limit";
	if (pt->outside95 != 0)
		return pt->outside95 > 0 ? "above 95% limit" : "below 95% limit";
	return "within";
}

static const char *
limits_cell(int placed, double lo, double hi, char *buf, size_t size)
{
	if (!placed)
		return CA_TP_NOTHING;
	snprintf(buf, size, "%.0f\xe2\x80\x93%.0f%%", lo * 100, hi * 100);
	return buf;
}

static int
fill_funnel(ca_tp_table *tb, const ca_trends *t, int measure, double *overall)
{
	static const char *const head[] = { "PARTNER", "AUDITS", "SHARE", "95% LIMITS",
	    "99.8% LIMITS", "WHERE" };
	ca_trends_funnel_point *pt = calloc(t->nproviders + 1, sizeof *pt);
	ca_err err = { 0 };

	if (pt == NULL || ca_trends_funnel(t, measure, overall, pt, &err) != 0) {
		free(pt);
		return -1;
	}
	tb->ncols = 6;
	ca_tp_table_add(tb, head);
	for (size_t i = 0; i < t->nproviders; i++) {
		char b[4][64];
		const char *cells[6] = {
			t->providers[i].name,
			pt[i].placed ? (snprintf(b[0], sizeof b[0], "%ld", pt[i].n), b[0]) :
			    t->providers[i].suppressed ? "<5" : CA_TP_NOTHING,
			pt[i].placed ? (snprintf(b[1], sizeof b[1], "%.0f%%", pt[i].share * 100),
			    b[1]) : t->providers[i].suppressed ? "suppressed" : CA_TP_NOTHING,
			limits_cell(pt[i].placed, pt[i].lo95, pt[i].hi95, b[2], sizeof b[2]),
			limits_cell(pt[i].placed, pt[i].lo998, pt[i].hi998, b[3], sizeof b[3]),
			place_cell(&pt[i]),
		};

		ca_tp_table_add(tb, cells);
	}
	free(pt);
	return 0;
}

static void
fill_actions(ca_tp_table *tb, const ca_trends_actions *a)
{
	static const char *const head[] = { "OWNER", "KIND", "OPEN", "OVERDUE",
	    "DONE IN PERIOD" };

	tb->ncols = 5;
	ca_tp_table_add(tb, head);
	for (size_t i = 0; i <= a->nowners; i++) {
		const ca_trends_owner *o = i < a->nowners ? &a->owners[i] : NULL;
		char b[3][32];
		const char *cells[5];

		snprintf(b[0], sizeof b[0], "%ld", o != NULL ? o->open : a->open);
		snprintf(b[1], sizeof b[1], "%ld", o != NULL ? o->overdue : a->overdue);
		snprintf(b[2], sizeof b[2], "%ld", o != NULL ? o->done : a->done);
		cells[0] = o != NULL ? o->name : "All owners";
		cells[1] = o == NULL ? "" : o->staff ? "staff" : "organisation";
		cells[2] = b[0];
		cells[3] = b[1];
		cells[4] = b[2];
		ca_tp_table_add(tb, cells);
	}
}

/* What a measure is, in words. */
static void
measure_words(int measure, char *buf, size_t size)
{
	if (measure == CA_TRENDS_SERIES_GOOD)
		snprintf(buf, size, "the share of audits graded good or outstanding");
	else
		snprintf(buf, size, "the share met in %s",
		    ca_tp_domain_words[measure - CA_TRENDS_SERIES_DOMAIN]);
}

/* Text as lines of at most 80 columns, broken at spaces, the first
 * starting with `lead` and the rest indented as deep as it. */
static void
print_wrapped(const char *lead, const char *text)
{
	size_t indent = ca_display_width(lead), col = indent;
	const char *p = text;

	fputs(lead, stdout);
	while (*p != '\0') {
		const char *end = strchr(p, ' ');
		size_t len = end != NULL ? (size_t)(end - p) : strlen(p);
		char word[512];
		size_t w;

		snprintf(word, sizeof word, "%.*s", (int)len, p);
		w = ca_display_width(word);
		if (col > indent && col + 1 + w > 80) {
			printf("\n%*s", (int)indent, "");
			col = indent;
		} else if (col > indent) {
			putchar(' ');
			col++;
		}
		fwrite(p, 1, len, stdout);
		col += w;
		p += len;
		while (*p == ' ')
			p++;
	}
	putchar('\n');
}

static void
print_escalations(const ca_trends_actions *a)
{
	char census[11], med[16], longest[16];

	ca_date_uk(a->census, census);
	printf("\nActions set in %s: %ld.\n", a->period, a->set);
	printf("Safeguarding escalations raised in %s: %ld.\n", a->period, a->escalations);
	if (a->escalations > 0) {
		printf("  Acknowledged by %s: %ld", census, a->acknowledged);
		if (a->acknowledged > 0)
			printf(", after a median of %s days (the longest %s)",
			    days_cell(a->ack_median, 0, med, sizeof med),
			    days_cell(a->ack_longest, 0, longest, sizeof longest));
		printf(".\n  Not acknowledged by then: %ld.\n", a->unacknowledged);
	}
	printf("Escalations unacknowledged on %s, whenever raised: %ld.\n", census,
	    a->escalations_open);
}

static void
print_board_notes(const ca_trends *t, ca_tp_view v)
{
	char census[11];

	switch (v) {
	case CA_TP_AGE_BAND:
	case CA_TP_ETHNICITY:
	case CA_TP_SUPPORT_REASON:
		printf("\nFigures in brackets are Wilson 95%% confidence intervals; shares are "
		    "weighted\nback to the cases each sample was drawn from.  Domain columns: "
		    "the share met,\nwithout its interval to fit (CSV and JSON give it).\n"
		    "Groups of fewer than five audits are suppressed (<5), counts as well as "
		    "shares;\nso that none can be worked out from the total, the next smallest "
		    "group is then\nwithheld too (withheld).  Not recorded: the assessment "
		    "records nothing.\n");
		break;
	case CA_TP_WAIT:
		ca_date_uk(t->waits.census, census);
		printf("\nWaits are days from the request to the completed assessment, for "
		    "every\nassessment, audited or not.  The median and 90th percentile "
		    "interpolate between\nthe nearest waits, as a spreadsheet's MEDIAN and "
		    "PERCENTILE.INC do.  Still\nwaiting: requested by %s and not completed "
		    "by then; so far: days waited\nup to that day.  Fewer than five: "
		    "suppressed (<5).\n", census);
		break;
	case CA_TP_THEME:
		printf("\nShare not met: not met, out of met, partly met and not met (partly "
		    "met is not\ncounted as not met); only questions answered five or more "
		    "times in %s are\nranked.  Earlier periods: the periods of the range "
		    "before %s, together.\nTrend: rising when this period's 95%% interval "
		    "lies wholly above the earlier\nperiods', falling when wholly below, steady "
		    "when they overlap.  Rising means\nnot met more often.  Per period: the "
		    "share not met, oldest first; \xc2\xb7 where fewer\nthan five answers.\n",
		    t->to_name, t->to_name);
		break;
	case CA_TP_FUNNEL:
		printf("\nLimits: where a partner with that many audits would fall by chance "
		    "alone, 95%%\nand 99.8%% of the time, if its true share were the overall "
		    "share.  Outside the\n99.8%% limits is very unlikely to be chance.  Audits: "
		    "the effective number\n(fewer where weights differ).  Partners of fewer "
		    "than five audits are\nsuppressed and not placed.\n");
		break;
	default:
		break;
	}
}

/* Each view has its own heading, and says plainly when there is nothing to
 * show. */
int
ca_tp_board_table(const ca_trends *t, ca_tp_view v, int measure)
{
	const char *who = t->provider != NULL ? t->provider : "all partner organisations";
	char census[11], words[96];
	double overall = NAN;
	ca_tp_table tb = { 0 };
	int rc = 0;

	switch (v) {
	case CA_TP_WAIT:
		ca_date_uk(t->waits.census, census);
		printf("Waits for assessments completed %s to %s, %s%s,\nand of those still "
		    "waiting on %s\n", t->from_name, t->to_name, t->provider != NULL ?
		    "partner organisation " : "", who, census);
		if (t->waits.nproviders == 0) {
			printf("No assessments completed or waiting in this range: nothing to "
			    "show yet.\n");
			return 0;
		}
		fill_waits(&tb, t);
		break;
	case CA_TP_ACTION:
		ca_date_uk(t->actions.census, census);
		printf("Actions and safeguarding escalations in %s, %s%s,\ncounted on %s\n",
		    t->actions.period, t->provider != NULL ? "partner organisation " : "", who,
		    census);
		fill_actions(&tb, &t->actions);
		break;
	case CA_TP_THEME:
		printf("Questions most often not met in %s, %s%s\n(audits of assessments "
		    "completed then)\n", t->to_name, t->provider != NULL ?
		    "partner organisation " : "", who);
		if (t->nthemes == 0) {
			printf("No question was answered five or more times in %s: no themes to "
			    "show.\n", t->to_name);
			return 0;
		}
		fill_themes(&tb, t);
		break;
	default:
		printf("Audits of assessments completed %s to %s, %s%s\n", t->from_name,
		    t->to_name, t->provider != NULL ? "partner organisation " : "", who);
		if (t->empty) {
			printf("No submitted audits in this range: nothing to show yet.\n");
			return 0;
		}
		if (v == CA_TP_FUNNEL)
			rc = fill_funnel(&tb, t, measure, &overall);
		else
			fill_equity(&tb, t, v);
		break;
	}
	if (v == CA_TP_FUNNEL && rc == 0) {
		measure_words(measure, words, sizeof words);
		if (isnan(overall))
			printf("Funnel of %s: nothing to measure.\n", words);
		else if (t->provider == NULL)
			printf("Funnel of %s around %.0f%%, all partners together\n", words,
			    overall * 100);
		else
			/* the centre is the partner itself: say what the funnel is worth */
			printf("Funnel of %s around %.0f%%, this partner alone: without\n"
			    "--provider it compares the partners with each other\n", words,
			    overall * 100);
	}
	putchar('\n');
	if (rc != 0 || tb.failed) {
		ca_tp_table_free(&tb);
		fprintf(stderr, "caseaudit: trends: out of memory\n");
		return CA_EX_SOFTWARE;
	}
	ca_tp_table_print(&tb);
	ca_tp_table_free(&tb);
	if (v == CA_TP_ACTION)
		print_escalations(&t->actions);
	if (v == CA_TP_THEME) {
		printf("\n");
		for (size_t i = 0; i < t->nthemes; i++) {
			char lead[32];

			snprintf(lead, sizeof lead, "%zu. ", i + 1);
			printf("%s%s (%s):\n", lead, t->themes[i].id, t->themes[i].form);
			print_wrapped("   ", t->themes[i].text);
		}
	}
	print_board_notes(t, v);
	return 0;
}
