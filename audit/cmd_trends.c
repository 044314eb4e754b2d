/*
 * cmd_trends.c - `caseaudit trends`: the audit figures of trends.h by
 * period, partner organisation, domain or question, and the board
 * report's other figures (equity groups, waits, recurring themes, the
 * partner funnel, actions and escalations), as a table for the principal
 * social worker or as CSV or JSON for scripts.
 *
 * Every figure comes from ca_trends_load; this file only chooses and
 * words them.  CSV and JSON rows are built once as a list of keys and
 * values, so the two always carry the same columns; a table picks the
 * few a person reads and writes shares as "75% (55–88%)".
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "date.h"
#include "db.h"
#include "escalations.h"
#include "listing.h"
#include "output.h"
#include "trends.h"

const char ca_help_trends[] =
	"usage: caseaudit trends [--by period|provider|domain|question]\n"
	"                        [--from P] [--to P] [--provider NAME] [--today DATE]\n"
	"                        [--format table|csv|json] [--db CONNINFO]\n"
	"       caseaudit trends --by age_band|ethnicity|support_reason|wait|action ...\n"
	"       caseaudit trends --by theme [--top N] ...\n"
	"       caseaudit trends --by funnel [--measure M] ...\n"
	"\n"
	"The audit figures over a range of periods, for the principal social worker:\n"
	"audits, the share good or outstanding and the share met in each domain and\n"
	"question with Wilson 95% intervals, screening flags the auditors confirmed,\n"
	"overdue and late audits and actions, and control-chart (XmR) signals on the\n"
	"series per period, marked improvement or concern.\n"
	"\n"
	"  --by G          period (default), provider, domain or question; or\n"
	"                  age_band, ethnicity, support_reason: results by what the\n"
	"                    assessment records about the person (blank: not recorded);\n"
	"                  wait: days from request to completed assessment, median and\n"
	"                    90th percentile, and how many still wait, per partner;\n"
	"                  theme: the questions most often not met in the last period,\n"
	"                    with their share in each period and whether it is rising;\n"
	"                  funnel: each partner against the funnel limits (95%, 99.8%);\n"
	"                  action: actions open, overdue and done in the last period by\n"
	"                    owner, and safeguarding escalations\n"
	"  --top N         with theme: how many questions (default 5)\n"
	"  --measure M     with funnel: good_or_outstanding (default) or a domain\n"
	"                  (holistic, strengths, risk, carers, outcomes, recording)\n"
	"  --from P        first period, a month (2025-03) or a quarter (2025-Q1)\n"
	"  --to P          last period, of the same kind; without --from and --to,\n"
	"                  the twelve months ending with the latest month that has a\n"
	"                  submitted audit\n"
	"  --provider NAME only the audits of this partner organisation\n"
	"  --today DATE    the date overdue is counted on (YYYY-MM-DD; default today)\n"
	"  --format F      table (default), csv or json\n"
	"\n"
	"An audit belongs to the period its assessment was completed in.  Submitted\n"
	"audits count; targeted re-audits are counted apart and left out of the shares,\n"
	"which are weighted back to the population each sample was drawn from.  Groups\n"
	"of fewer than five audits are suppressed.  CSV and JSON give proportions from 0\n"
	"to 1 and null where a figure is suppressed or there is nothing to measure; JSON\n"
	"is an object with the range and a \"rows\" array.  Waits count every\n"
	"assessment, audited or not; `caseaudit help trends` and the README define each\n"
	"figure.\n"
	"\n"
	"exit status: 0 done, 64 usage, 65 unknown partner organisation,\n"
	"69 database unavailable, 70 internal error\n";

typedef enum by {
	BY_PERIOD, BY_PROVIDER, BY_DOMAIN, BY_QUESTION, BY_AGE_BAND, BY_ETHNICITY,
	BY_SUPPORT_REASON, BY_WAIT, BY_THEME, BY_FUNNEL, BY_ACTION, BY_COUNT
} by;
static const char *const by_names[BY_COUNT] = {
	"period", "provider", "domain", "question", "age_band", "ethnicity", "support_reason",
	"wait", "theme", "funnel", "action",
};

/* The equity grouping a --by names (trends.h CA_TRENDS_AGE_BAND ...), or -1. */
static int
equity_of(by b)
{
	return b == BY_AGE_BAND ? CA_TRENDS_AGE_BAND : b == BY_ETHNICITY ?
	    CA_TRENDS_ETHNICITY : b == BY_SUPPORT_REASON ? CA_TRENDS_SUPPORT_REASON : -1;
}

/* The domains as a principal social worker names them. */
static const char *const domain_words[CA_DOMAINS] = {
	"holistic needs", "strengths-based", "risk", "carers", "outcomes and plan",
	"recording",
};

/* ---- rows for CSV and JSON ---------------------------------------------- */

/* a theme's row has a share per period, up to CA_TRENDS_MAX_PERIODS */
#define MAX_FIELDS (64 + CA_TRENDS_MAX_PERIODS)

enum { F_NULL, F_NUM, F_TEXT, F_BOOL };

typedef struct field {
	char key[48];
	int kind;
	double num;           /* F_NUM; F_BOOL: 0 or 1 */
	const char *text;     /* F_TEXT */
} field;

typedef struct record {
	int n;
	field f[MAX_FIELDS];
} record;

static field *
add(record *r, const char *prefix, const char *suffix, int kind)
{
	static field spare;    /* the rows below are fixed; past the end is a bug */
	field *f;

	f = r->n < MAX_FIELDS ? &r->f[r->n++] : &spare;
	snprintf(f->key, sizeof f->key, "%s%s", prefix, suffix);
	f->kind = kind;
	return f;
}

static void
put_num(record *r, const char *prefix, const char *suffix, double v)
{
	field *f = add(r, prefix, suffix, isfinite(v) ? F_NUM : F_NULL);

	f->num = v;
}

/* A count, null when withheld. */
static void
put_count(record *r, const char *prefix, const char *suffix, long v, int withheld)
{
	put_num(r, prefix, suffix, withheld ? NAN : (double)v);
}

static void
put_text(record *r, const char *key, const char *s)
{
	field *f = add(r, key, "", s != NULL ? F_TEXT : F_NULL);

	f->text = s;
}

static void
put_bool(record *r, const char *prefix, const char *suffix, int v)
{
	add(r, prefix, suffix, F_BOOL)->num = v != 0;
}

static void
put_share(record *r, const char *key, const ca_trends_share *s, int signal)
{
	put_num(r, key, "", s->share);
	put_num(r, key, "_lo", s->lo);
	put_num(r, key, "_hi", s->hi);
	put_num(r, key, "_raw", s->raw);
	put_count(r, key, "_n", s->n, s->suppressed);
	put_num(r, key, "_n_eff", s->suppressed ? NAN : s->n_eff);
	put_bool(r, key, "_suppressed", s->suppressed);
	if (signal) {
		const char *sig = ca_trends_signal_name(s->signal);

		add(r, key, "_signal", sig != NULL ? F_TEXT : F_NULL)->text = sig;
	}
}

static void
put_flag(record *r, const char *key, const ca_trends_flag *f)
{
	put_count(r, key, "_raised", f->raised, f->suppressed);
	put_count(r, key, "_confirmed", f->confirmed, f->suppressed);
	put_count(r, key, "_not_confirmed", f->not_confirmed, f->suppressed);
	put_count(r, key, "_not_applicable", f->not_applicable, f->suppressed);
	put_num(r, key, "_confirmed_share", f->share);
	put_num(r, key, "_confirmed_lo", f->lo);
	put_num(r, key, "_confirmed_hi", f->hi);
	put_bool(r, key, "_suppressed", f->suppressed);
}

/* A period's or provider's row; `name_key` is "period" or "provider". */
static void
group_record(record *r, const char *name_key, const ca_trends_group *g, int total,
    int periods)
{
	int s = g->suppressed;

	r->n = 0;
	put_text(r, name_key, g->name);
	put_bool(r, "total", "", total);
	put_bool(r, "suppressed", "", s);
	put_count(r, "audits", "", g->audits, s);
	put_count(r, "targeted", "", g->targeted, s);
	for (int k = 0; k < CA_GRADES; k++)
		put_count(r, ca_trends_grade_names[k], "", g->grades[k], s);
	put_share(r, "good_or_outstanding", &g->good, periods);
	for (int k = 0; k < CA_DOMAINS; k++)
		put_share(r, ca_domain_names[k], &g->domain[k], periods);
	put_flag(r, "flags", &g->flags);
	for (int f = 0; f < CA_TRENDS_FLAGS; f++)
		put_flag(r, ca_trends_flag_names[f], &g->flag[f]);
	put_count(r, "audits_drawn", "", g->work.audits, g->work.suppressed);
	put_count(r, "open", "", g->work.open, g->work.suppressed);
	put_count(r, "overdue", "", g->work.overdue, g->work.suppressed);
	put_count(r, "late", "", g->work.late, g->work.suppressed);
	put_count(r, "actions_overdue", "", g->work.actions_overdue, g->work.suppressed);
	put_bool(r, "work_suppressed", "", g->work.suppressed);
	if (periods)
		put_text(r, "overdue_or_late_signal", ca_trends_signal_name(g->work.signal));
}

/* One domain in one period (or over the range: period "all"), with the
 * domain's control chart, so a script can draw it. */
static void
domain_record(record *r, int k, const char *period, const ca_trends_share *s, int total,
    const ca_trends_series *se)
{
	r->n = 0;
	put_text(r, "domain", ca_domain_names[k]);
	put_text(r, "period", period);
	put_bool(r, "total", "", total);
	put_share(r, "share_met", s, 1);
	put_num(r, "chart_mean", "", se->charted ? se->chart.mean : NAN);
	put_num(r, "chart_lower", "", se->charted ? se->chart.lower : NAN);
	put_num(r, "chart_upper", "", se->charted ? se->chart.upper : NAN);
}

static void
question_record(record *r, const ca_trends_question *q)
{
	int s = q->share.suppressed;

	r->n = 0;
	put_text(r, "form", q->form);
	put_text(r, "question", q->id);
	put_text(r, "domain", q->domain >= 0 ? ca_domain_names[q->domain] : NULL);
	put_text(r, "text", q->text);
	put_count(r, "met", "", q->met, s);
	put_count(r, "partially_met", "", q->partially_met, s);
	put_count(r, "not_met", "", q->not_met, s);
	put_count(r, "not_applicable", "", q->not_applicable, s);
	put_share(r, "share_met", &q->share, 0);
}

/* An equity group, or the whole range (total) for comparison; `key` is
 * the grouping's name. */
static void
equity_record(record *r, const char *key, const ca_trends_equity_group *g, int total)
{
	int s = g->suppressed;

	r->n = 0;
	put_text(r, key, g->name);
	put_bool(r, "total", "", total);
	put_bool(r, "recorded", "", g->recorded);
	put_bool(r, "suppressed", "", s);
	put_bool(r, "secondary", "", g->secondary);
	put_count(r, "audits", "", g->audits, s);
	put_share(r, "good_or_outstanding", &g->good, 0);
	for (int k = 0; k < CA_DOMAINS; k++)
		put_share(r, ca_domain_names[k], &g->domain[k], 0);
}

static void
wait_record(record *r, const ca_trends_wait *w, const char *census, int total)
{
	r->n = 0;
	put_text(r, "provider", w->name);
	put_bool(r, "total", "", total);
	put_text(r, "census", census);
	put_bool(r, "suppressed", "", w->suppressed);
	put_count(r, "completed", "", w->completed, w->suppressed);
	put_num(r, "median_days", "", w->median);
	put_num(r, "p90_days", "", w->p90);
	put_bool(r, "waiting_suppressed", "", w->waiting_suppressed);
	put_count(r, "waiting", "", w->waiting, w->waiting_suppressed);
	put_num(r, "waiting_median_days", "", w->waiting_median);
	put_num(r, "waiting_p90_days", "", w->waiting_p90);
}

static void
theme_record(record *r, const ca_trends *t, const ca_trends_theme *th, size_t rank)
{
	r->n = 0;
	put_num(r, "rank", "", (double)rank + 1);
	put_text(r, "period", t->to_name);
	put_text(r, "form", th->form);
	put_text(r, "question", th->id);
	put_text(r, "domain", th->domain >= 0 ? ca_domain_names[th->domain] : NULL);
	put_text(r, "text", th->text);
	put_num(r, "met", "", (double)th->met);
	put_num(r, "partially_met", "", (double)th->partially_met);
	put_num(r, "not_met", "", (double)th->not_met);
	put_num(r, "not_applicable", "", (double)th->not_applicable);
	put_share(r, "share_not_met", &th->share, 0);
	put_share(r, "earlier_not_met", &th->earlier, 0);
	put_text(r, "trend", ca_trends_trend_name(th->trend));
	for (size_t i = 0; i < t->nperiods; i++)
		put_num(r, "share_not_met_", t->periods[i].name, th->periods[i].share);
}

static const char *
beyond_word(int side)
{
	return side < 0 ? "below" : side > 0 ? "above" : "within";
}

/* A partner on the funnel; pt NULL: the whole range, the funnel's centre. */
static void
funnel_record(record *r, const char *name, const char *measure, double overall,
    const ca_trends_funnel_point *pt)
{
	r->n = 0;
	put_text(r, "provider", name);
	put_bool(r, "total", "", pt == NULL);
	put_text(r, "measure", measure);
	put_num(r, "overall", "", overall);
	put_bool(r, "placed", "", pt != NULL && pt->placed);
	put_num(r, "n", "", pt != NULL && pt->placed ? (double)pt->n : NAN);
	put_num(r, "share", "", pt != NULL ? pt->share : overall);
	put_num(r, "lo95", "", pt != NULL ? pt->lo95 : NAN);
	put_num(r, "hi95", "", pt != NULL ? pt->hi95 : NAN);
	put_num(r, "lo998", "", pt != NULL ? pt->lo998 : NAN);
	put_num(r, "hi998", "", pt != NULL ? pt->hi998 : NAN);
	put_text(r, "limit95", pt != NULL && pt->placed ? beyond_word(pt->outside95) : NULL);
	put_text(r, "limit998", pt != NULL && pt->placed ? beyond_word(pt->outside998) :
	    NULL);
}

/* An owner's actions; o NULL: every owner, with the escalations. */
static void
action_record(record *r, const ca_trends_actions *a, const ca_trends_owner *o)
{
	int total = o == NULL;

	r->n = 0;
	put_text(r, "owner", total ? "all" : o->name);
	put_text(r, "kind", total ? NULL : o->staff ? "staff" : "organisation");
	put_bool(r, "total", "", total);
	put_text(r, "period", a->period);
	put_text(r, "census", a->census);
	put_num(r, "set", "", total ? (double)a->set : NAN);
	put_num(r, "open", "", (double)(total ? a->open : o->open));
	put_num(r, "overdue", "", (double)(total ? a->overdue : o->overdue));
	put_num(r, "done", "", (double)(total ? a->done : o->done));
	put_num(r, "escalations", "", total ? (double)a->escalations : NAN);
	put_num(r, "acknowledged", "", total ? (double)a->acknowledged : NAN);
	put_num(r, "unacknowledged", "", total ? (double)a->unacknowledged : NAN);
	put_num(r, "acknowledge_median_days", "", total ? a->ack_median : NAN);
	put_num(r, "acknowledge_longest_days", "", total ? a->ack_longest : NAN);
	put_num(r, "escalations_open", "", total ? (double)a->escalations_open : NAN);
}

/* ---- writing rows ------------------------------------------------------- */

/* Proportions to six decimals, counts as whole numbers, no trailing
 * zeros: what a spreadsheet or jq reads without surprises. */
static void
number_text(double v, char *buf, size_t size)
{
	size_t n;

	snprintf(buf, size, "%.6f", v);
	n = strlen(buf);
	while (n > 0 && buf[n - 1] == '0')
		buf[--n] = '\0';
	if (n > 0 && buf[n - 1] == '.')
		buf[--n] = '\0';
	if (strcmp(buf, "-0") == 0)
		snprintf(buf, size, "0");
}

typedef struct out {
	ca_format fmt;
	long rows;
	ca_strbuf json;
	int failed;          /* out of memory on the way */
} out;

static void
csv_header(const record *r)
{
	for (int i = 0; i < r->n; i++) {
		ca_csv_field(stdout, r->f[i].key);
		putchar(i + 1 < r->n ? ',' : '\n');
	}
}

static void
out_row(out *o, const record *r)
{
	char num[64];

	if (o->fmt == CA_FORMAT_CSV) {
		if (o->rows == 0)
			csv_header(r);
		for (int i = 0; i < r->n; i++) {
			const field *f = &r->f[i];

			if (f->kind == F_NUM) {
				number_text(f->num, num, sizeof num);
				fputs(num, stdout);
			} else if (f->kind == F_TEXT)
				ca_csv_field(stdout, f->text);
			else if (f->kind == F_BOOL)
				fputs(f->num != 0 ? "yes" : "no", stdout);
			putchar(i + 1 < r->n ? ',' : '\n');
		}
	} else {
		ca_strbuf_adds(&o->json, o->rows == 0 ? "\n  {" : ",\n  {");
		for (int i = 0; i < r->n; i++) {
			const field *f = &r->f[i];

			ca_strbuf_adds(&o->json, i > 0 ? ", " : "");
			ca_json_string(&o->json, f->key);
			ca_strbuf_adds(&o->json, ": ");
			if (f->kind == F_NUM) {
				number_text(f->num, num, sizeof num);
				ca_strbuf_adds(&o->json, num);
			} else if (f->kind == F_TEXT)
				ca_json_string(&o->json, f->text);
			else if (f->kind == F_BOOL)
				ca_strbuf_adds(&o->json, f->num != 0 ? "true" : "false");
			else
				ca_strbuf_adds(&o->json, "null");
		}
		ca_strbuf_adds(&o->json, "}");
	}
	o->rows++;
}

static void
out_begin(out *o, ca_format fmt, const ca_trends *t, by b)
{
	o->fmt = fmt;
	o->rows = 0;
	o->failed = 0;
	ca_strbuf_init(&o->json);
	if (fmt != CA_FORMAT_JSON)
		return;
	ca_strbuf_adds(&o->json, "{\"by\": ");
	ca_json_string(&o->json, by_names[b]);
	ca_strbuf_adds(&o->json, ", \"from\": ");
	ca_json_string(&o->json, t->from_name);
	ca_strbuf_adds(&o->json, ", \"to\": ");
	ca_json_string(&o->json, t->to_name);
	ca_strbuf_adds(&o->json, ", \"provider\": ");
	if (t->provider != NULL)
		ca_json_string(&o->json, t->provider);
	else
		ca_strbuf_adds(&o->json, "null");
	ca_strbuf_adds(&o->json, ", \"today\": ");
	ca_json_string(&o->json, t->today);
	ca_strbuf_addf(&o->json, ", \"confidence\": %g, \"min_group\": %d, \"empty\": %s,"
	    " \"rows\": [", CA_TRENDS_CONFIDENCE, CA_TRENDS_MIN_GROUP,
	    t->empty ? "true" : "false");
}

static int
out_end(out *o)
{
	int rc = 0;

	if (o->failed) {
		fprintf(stderr, "caseaudit: trends: out of memory\n");
		rc = CA_EX_SOFTWARE;
	} else if (o->fmt == CA_FORMAT_JSON) {
		ca_strbuf_adds(&o->json, o->rows > 0 ? "\n]}\n" : "]}\n");
		if (ca_strbuf_failed(&o->json)) {
			fprintf(stderr, "caseaudit: trends: out of memory\n");
			rc = CA_EX_SOFTWARE;
		} else
			fputs(o->json.data, stdout);
	}
	ca_strbuf_free(&o->json);
	return rc;
}

/* The rows of the board's views. */
static void
board_records(out *o, record *r, const ca_trends *t, by b, int measure)
{
	switch (b) {
	case BY_AGE_BAND:
	case BY_ETHNICITY:
	case BY_SUPPORT_REASON: {
		const ca_trends_equity *e = &t->equity[equity_of(b)];
		ca_trends_equity_group all = { .name = "all", .recorded = 1,
		    .suppressed = t->all.suppressed, .audits = t->all.audits,
		    .good = t->all.good };

		memcpy(all.domain, t->all.domain, sizeof all.domain);
		for (size_t i = 0; i < e->ngroups; i++) {
			equity_record(r, by_names[b], &e->groups[i], 0);
			out_row(o, r);
		}
		equity_record(r, by_names[b], &all, 1);
		out_row(o, r);
		break;
	}
	case BY_WAIT:
		for (size_t i = 0; i < t->waits.nproviders; i++) {
			wait_record(r, &t->waits.providers[i], t->waits.census, 0);
			out_row(o, r);
		}
		wait_record(r, &t->waits.all, t->waits.census, 1);
		out_row(o, r);
		break;
	case BY_THEME: {
		ca_trends_theme none = { .form = "", .id = "", .text = "" };

		for (size_t i = 0; i < t->nthemes; i++) {
			theme_record(r, t, &t->themes[i], i);
			out_row(o, r);
		}
		/* no themes: a CSV still says what its columns would be */
		if (t->nthemes == 0 && o->fmt == CA_FORMAT_CSV) {
			if ((none.periods = calloc(t->nperiods + 1, sizeof *none.periods)) == NULL) {
				o->failed = 1;
				return;
			}
			theme_record(r, t, &none, 0);
			csv_header(r);
			free(none.periods);
		}
		break;
	}
	case BY_FUNNEL: {
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
			out_row(o, r);
		}
		funnel_record(r, "all", m, overall, NULL);
		out_row(o, r);
		free(pt);
		break;
	}
	case BY_ACTION:
		for (size_t i = 0; i < t->actions.nowners; i++) {
			action_record(r, &t->actions, &t->actions.owners[i]);
			out_row(o, r);
		}
		action_record(r, &t->actions, NULL);
		out_row(o, r);
		break;
	default:
		break;
	}
}

static int
print_records(const ca_trends *t, by b, ca_format fmt, int measure)
{
	record *r = malloc(sizeof *r);
	out o;

	if (r == NULL) {
		fprintf(stderr, "caseaudit: trends: out of memory\n");
		return CA_EX_SOFTWARE;
	}
	out_begin(&o, fmt, t, b);
	switch (b) {
	case BY_PERIOD:
	case BY_PROVIDER: {
		const ca_trends_group *g = b == BY_PERIOD ? t->periods : t->providers;
		size_t n = b == BY_PERIOD ? t->nperiods : t->nproviders;

		for (size_t i = 0; i < n; i++) {
			group_record(r, by_names[b], &g[i], 0, b == BY_PERIOD);
			out_row(&o, r);
		}
		group_record(r, by_names[b], &t->all, 1, b == BY_PERIOD);
		out_row(&o, r);
		break;
	}
	case BY_DOMAIN:
		for (int k = 0; k < CA_DOMAINS; k++) {
			const ca_trends_series *se = &t->series[CA_TRENDS_SERIES_DOMAIN + k];

			for (size_t i = 0; i < t->nperiods; i++) {
				domain_record(r, k, t->periods[i].name, &t->periods[i].domain[k],
				    0, se);
				out_row(&o, r);
			}
			domain_record(r, k, "all", &t->all.domain[k], 1, se);
			out_row(&o, r);
		}
		break;
	case BY_QUESTION: {
		static const ca_trends_question none = { .form = "", .id = "", .text = "" };

		for (size_t i = 0; i < t->nquestions; i++) {
			question_record(r, &t->questions[i]);
			out_row(&o, r);
		}
		/* no questions: a CSV still says what its columns would be */
		if (t->nquestions == 0 && fmt == CA_FORMAT_CSV) {
			question_record(r, &none);
			csv_header(r);
		}
		break;
	}
	default:
		board_records(&o, r, t, b, measure);
		break;
	}
	free(r);
	return out_end(&o);
}

/* ---- the table ---------------------------------------------------------- */

typedef struct table {
	size_t ncols, nrows, cap;
	char **cells;        /* row-major, the headings first */
	int failed;
} table;

static void
table_add(table *tb, const char *const *cells)
{
	if (tb->failed)
		return;
	if (tb->nrows == tb->cap) {
		size_t cap = tb->cap ? tb->cap * 2 : 32;
		char **c = realloc(tb->cells, cap * tb->ncols * sizeof *c);

		if (c == NULL) {
			tb->failed = 1;
			return;
		}
		tb->cells = c;
		tb->cap = cap;
	}
	for (size_t i = 0; i < tb->ncols; i++)
		if ((tb->cells[tb->nrows * tb->ncols + i] = strdup(cells[i])) == NULL)
			tb->failed = 1;
	tb->nrows++;
}

static void
table_print(const table *tb)
{
	size_t width[16] = { 0 };

	for (size_t r = 0; r < tb->nrows; r++)
		for (size_t c = 0; c < tb->ncols; c++) {
			size_t w = ca_display_width(tb->cells[r * tb->ncols + c]);

			if (w > width[c])
				width[c] = w;
		}
	for (size_t r = 0; r < tb->nrows; r++) {
		for (size_t c = 0; c < tb->ncols; c++) {
			const char *s = tb->cells[r * tb->ncols + c];

			fputs(s, stdout);
			if (c + 1 < tb->ncols)
				for (size_t w = ca_display_width(s); w < width[c] + 2; w++)
					putchar(' ');
		}
		putchar('\n');
	}
}

static void
table_free(table *tb)
{
	for (size_t i = 0; i < tb->nrows * tb->ncols; i++)
		free(tb->cells[i]);
	free(tb->cells);
}

/* "—": nothing to measure, or common-cause variation. */
#define NOTHING "\xe2\x80\x94"

static const char *
share_cell(const ca_trends_share *s, char *buf, size_t size)
{
	if (s->suppressed)
		return "suppressed";
	if (s->n == 0 || isnan(s->share))
		return NOTHING;
	if (isnan(s->lo) || isnan(s->hi))
		snprintf(buf, size, "%.0f%%", s->share * 100);
	else
		/* an en dash between the bounds */
		snprintf(buf, size, "%.0f%% (%.0f\xe2\x80\x93%.0f%%)", s->share * 100,
		    s->lo * 100, s->hi * 100);
	return buf;
}

static const char *
count_cell(long v, int suppressed, char *buf, size_t size)
{
	if (suppressed)
		return "<5";
	snprintf(buf, size, "%ld", v);
	return buf;
}

static const char *
signal_cell(ca_xmr_kind k)
{
	const char *s = ca_trends_signal_name(k);

	return s != NULL ? s : NOTHING;
}

static const char *
flags_cell(const ca_trends_flag *f, char *buf, size_t size)
{
	if (f->suppressed)
		return "<5";
	if (f->confirmed + f->not_confirmed == 0)
		return NOTHING;
	snprintf(buf, size, "%ld of %ld", f->confirmed, f->confirmed + f->not_confirmed);
	return buf;
}

static void
group_row(table *tb, const ca_trends_group *g, const char *label, int periods, int total)
{
	char b[8][64];
	const char *cells[9];
	int n = 0;

	cells[n++] = label;
	cells[n++] = count_cell(g->audits, g->suppressed, b[0], sizeof b[0]);
	cells[n++] = share_cell(&g->good, b[1], sizeof b[1]);
	if (periods)
		cells[n++] = g->suppressed || total ? NOTHING :
		    signal_cell(g->good.signal);
	cells[n++] = flags_cell(&g->flags, b[2], sizeof b[2]);
	cells[n++] = count_cell(g->work.overdue, g->work.suppressed, b[3], sizeof b[3]);
	cells[n++] = count_cell(g->work.late, g->work.suppressed, b[4], sizeof b[4]);
	cells[n++] = count_cell(g->work.actions_overdue, g->work.suppressed, b[5],
	    sizeof b[5]);
	cells[n++] = count_cell(g->targeted, g->suppressed, b[6], sizeof b[6]);
	table_add(tb, cells);
}

static void
fill_groups(table *tb, const ca_trends *t, by b)
{
	static const char *const period_head[] = { "PERIOD", "AUDITS", "GOOD OR OUTSTANDING",
	    "SIGNAL", "FLAGS CONFIRMED", "OVERDUE", "LATE", "ACTIONS OVERDUE", "TARGETED" };
	static const char *const provider_head[] = { "PARTNER", "AUDITS",
	    "GOOD OR OUTSTANDING", "FLAGS CONFIRMED", "OVERDUE", "LATE", "ACTIONS OVERDUE",
	    "TARGETED" };
	int periods = b == BY_PERIOD;
	const ca_trends_group *g = periods ? t->periods : t->providers;
	size_t n = periods ? t->nperiods : t->nproviders;

	tb->ncols = periods ? 9 : 8;
	table_add(tb, periods ? period_head : provider_head);
	for (size_t i = 0; i < n; i++)
		group_row(tb, &g[i], g[i].name, periods, 0);
	group_row(tb, &t->all, periods ? "All periods" : "All partners", periods, 1);
}

static void
fill_domains(table *tb, const ca_trends *t)
{
	static const char *const head[] = { "DOMAIN", "PERIOD", "AUDITS", "SHARE MET",
	    "SIGNAL" };

	tb->ncols = 5;
	table_add(tb, head);
	for (int k = 0; k < CA_DOMAINS; k++) {
		for (size_t i = 0; i <= t->nperiods; i++) {
			const ca_trends_share *s = i < t->nperiods ? &t->periods[i].domain[k] :
			    &t->all.domain[k];
			char b[2][64];
			const char *cells[5] = {
				domain_words[k],
				i < t->nperiods ? t->periods[i].name : "All periods",
				count_cell(s->n, s->suppressed, b[0], sizeof b[0]),
				share_cell(s, b[1], sizeof b[1]),
				i < t->nperiods && !s->suppressed ? signal_cell(s->signal) : NOTHING,
			};

			table_add(tb, cells);
		}
	}
}

static void
fill_questions(table *tb, const ca_trends *t)
{
	static const char *const head[] = { "CHECKLIST", "QUESTION", "DOMAIN", "MET",
	    "PARTLY MET", "NOT MET", "N/A", "SHARE MET" };

	tb->ncols = 8;
	table_add(tb, head);
	for (size_t i = 0; i < t->nquestions; i++) {
		const ca_trends_question *q = &t->questions[i];
		int s = q->share.suppressed;
		char b[5][64];
		const char *cells[8] = {
			q->form, q->id, q->domain >= 0 ? domain_words[q->domain] : "",
			count_cell(q->met, s, b[0], sizeof b[0]),
			count_cell(q->partially_met, s, b[1], sizeof b[1]),
			count_cell(q->not_met, s, b[2], sizeof b[2]),
			count_cell(q->not_applicable, s, b[3], sizeof b[3]),
			share_cell(&q->share, b[4], sizeof b[4]),
		};

		table_add(tb, cells);
	}
}

static void
print_notes(const ca_trends *t, by b)
{
	char today[11];

	printf("\nFigures in brackets are Wilson 95%% confidence intervals.  Shares are "
	    "weighted\nback to the cases each sample was drawn from; targeted re-audits "
	    "are left out\nof them%s.\nGroups of fewer than five audits are suppressed "
	    "(<5): nobody can be identified.\n",
	    b == BY_PERIOD || b == BY_PROVIDER ? " (and counted apart)" : "");
	if (b == BY_QUESTION)
		printf("Share met: met, out of met, partly met and not met; not applicable is "
		    "left out.\n");
	if (b == BY_PERIOD || b == BY_DOMAIN)
		printf("Signal: special-cause variation on the control chart (XmR) of the "
		    "share per\nperiod, marked improvement or concern; " NOTHING " means "
		    "common-cause variation only.\n");
	if (b == BY_PERIOD || b == BY_PROVIDER) {
		ca_date_uk(t->today, today);
		printf("Overdue: open audits and actions due before %s.  Late: submitted\n"
		    "after the due date.  Flags confirmed: screening flags the auditor bore "
		    "out (a\nscore under 50%% in the flag's domain).\n", today);
	}
}

/* ---- the board's views as tables ----------------------------------------- */

/* A share as a whole percentage, without its interval. */
static const char *
percent_cell(const ca_trends_share *s, char *buf, size_t size)
{
	if (s->suppressed)
		return "<5";
	if (s->n == 0 || isnan(s->share))
		return NOTHING;
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
		return NOTHING;
	snprintf(buf, size, "%.1f", d);
	if (strcmp(buf + strlen(buf) - 2, ".0") == 0)
		buf[strlen(buf) - 2] = '\0';
	return buf;
}

static void
equity_row(table *tb, const ca_trends_equity_group *g, const char *label)
{
	char b[8][64];
	const char *cells[3 + CA_DOMAINS];

	cells[0] = label;
	cells[1] = g->secondary ? "withheld" : count_cell(g->audits, g->suppressed, b[0],
	    sizeof b[0]);
	cells[2] = share_cell(&g->good, b[1], sizeof b[1]);
	for (int k = 0; k < CA_DOMAINS; k++)
		cells[3 + k] = percent_cell(&g->domain[k], b[2 + k], sizeof b[2 + k]);
	table_add(tb, cells);
}

static void
fill_equity(table *tb, const ca_trends *t, by b)
{
	static const char *const head[3][3 + CA_DOMAINS] = {
		{ "AGE BAND", "AUDITS", "GOOD OR OUTSTANDING", "HOLISTIC", "STRENGTHS", "RISK",
		    "CARERS", "OUTCOMES", "RECORDING" },
		{ "ETHNICITY", "AUDITS", "GOOD OR OUTSTANDING", "HOLISTIC", "STRENGTHS", "RISK",
		    "CARERS", "OUTCOMES", "RECORDING" },
		{ "PRIMARY SUPPORT REASON", "AUDITS", "GOOD OR OUTSTANDING", "HOLISTIC",
		    "STRENGTHS", "RISK", "CARERS", "OUTCOMES", "RECORDING" },
	};
	const ca_trends_equity *e = &t->equity[equity_of(b)];
	ca_trends_equity_group all = { .suppressed = t->all.suppressed,
	    .audits = t->all.audits, .good = t->all.good };

	memcpy(all.domain, t->all.domain, sizeof all.domain);
	tb->ncols = 3 + CA_DOMAINS;
	table_add(tb, head[equity_of(b)]);
	for (size_t i = 0; i < e->ngroups; i++)
		equity_row(tb, &e->groups[i], e->groups[i].recorded ? e->groups[i].name :
		    "Not recorded");
	equity_row(tb, &all, "All audits");
}

static void
wait_row(table *tb, const ca_trends_wait *w, const char *label)
{
	char b[6][64];
	const char *cells[7] = {
		label,
		count_cell(w->completed, w->suppressed, b[0], sizeof b[0]),
		days_cell(w->median, w->suppressed, b[1], sizeof b[1]),
		days_cell(w->p90, w->suppressed, b[2], sizeof b[2]),
		count_cell(w->waiting, w->waiting_suppressed, b[3], sizeof b[3]),
		days_cell(w->waiting_median, w->waiting_suppressed, b[4], sizeof b[4]),
		days_cell(w->waiting_p90, w->waiting_suppressed, b[5], sizeof b[5]),
	};

	table_add(tb, cells);
}

static void
fill_waits(table *tb, const ca_trends *t)
{
	static const char *const head[] = { "PARTNER", "COMPLETED", "MEDIAN DAYS",
	    "90TH PERCENTILE", "STILL WAITING", "MEDIAN SO FAR", "90TH PERCENTILE SO FAR" };

	tb->ncols = 7;
	table_add(tb, head);
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
fill_themes(table *tb, const ca_trends *t)
{
	static const char *const head[] = { "RANK", "QUESTION", "DOMAIN", "NOT MET",
	    "SHARE NOT MET", "EARLIER PERIODS", "TREND", "PER PERIOD" };

	tb->ncols = 8;
	table_add(tb, head);
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
		cells[2] = th->domain >= 0 ? domain_words[th->domain] : "";
		cells[3] = b[1];
		cells[4] = share_cell(&th->share, b[2], sizeof b[2]);
		cells[5] = share_cell(&th->earlier, b[3], sizeof b[3]);
		cells[6] = trend != NULL ? trend : NOTHING;
		cells[7] = spark;
		table_add(tb, cells);
	}
}

static const char *
place_cell(const ca_trends_funnel_point *pt)
{
	if (!pt->placed)
		return NOTHING;
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
		return NOTHING;
	snprintf(buf, size, "%.0f\xe2\x80\x93%.0f%%", lo * 100, hi * 100);
	return buf;
}

static int
fill_funnel(table *tb, const ca_trends *t, int measure, double *overall)
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
	table_add(tb, head);
	for (size_t i = 0; i < t->nproviders; i++) {
		char b[4][64];
		const char *cells[6] = {
			t->providers[i].name,
			pt[i].placed ? (snprintf(b[0], sizeof b[0], "%ld", pt[i].n), b[0]) :
			    t->providers[i].suppressed ? "<5" : NOTHING,
			pt[i].placed ? (snprintf(b[1], sizeof b[1], "%.0f%%", pt[i].share * 100),
			    b[1]) : t->providers[i].suppressed ? "suppressed" : NOTHING,
			limits_cell(pt[i].placed, pt[i].lo95, pt[i].hi95, b[2], sizeof b[2]),
			limits_cell(pt[i].placed, pt[i].lo998, pt[i].hi998, b[3], sizeof b[3]),
			place_cell(&pt[i]),
		};

		table_add(tb, cells);
	}
	free(pt);
	return 0;
}

static void
fill_actions(table *tb, const ca_trends_actions *a)
{
	static const char *const head[] = { "OWNER", "KIND", "OPEN", "OVERDUE",
	    "DONE IN PERIOD" };

	tb->ncols = 5;
	table_add(tb, head);
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
		table_add(tb, cells);
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
		    domain_words[measure - CA_TRENDS_SERIES_DOMAIN]);
}

static void
print_escalations(const ca_trends_actions *a)
{
	char census[11], med[16], longest[16];

	ca_date_uk(a->census, census);
	printf("\nActions set in %s: %ld.\n", a->period, a->set);
	printf("Safeguarding escalations raised in %s: %ld", a->period, a->escalations);
	if (a->escalations > 0) {
		printf("; acknowledged by %s: %ld", census, a->acknowledged);
		if (a->acknowledged > 0)
			printf(" (median %s days, longest %s)",
			    days_cell(a->ack_median, 0, med, sizeof med),
			    days_cell(a->ack_longest, 0, longest, sizeof longest));
		printf("; not acknowledged: %ld", a->unacknowledged);
	}
	printf(".\nEscalations still unacknowledged on %s, whenever raised: %ld.\n", census,
	    a->escalations_open);
}

static void
print_board_notes(const ca_trends *t, by b)
{
	char census[11];

	switch (b) {
	case BY_AGE_BAND:
	case BY_ETHNICITY:
	case BY_SUPPORT_REASON:
		printf("\nFigures in brackets are Wilson 95%% confidence intervals; shares are "
		    "weighted\nback to the cases each sample was drawn from.  Domain columns: "
		    "the share met,\nwithout its interval to fit (CSV and JSON give it).\n"
		    "Groups of fewer than five audits are suppressed (<5), counts as well as "
		    "shares;\nso that none can be worked out from the total, the next smallest "
		    "group is then\nwithheld too (withheld).  Not recorded: the assessment "
		    "records nothing.\n");
		break;
	case BY_WAIT:
		ca_date_uk(t->waits.census, census);
		printf("\nWaits are days from the request to the completed assessment, for "
		    "every\nassessment, audited or not.  The median and 90th percentile "
		    "interpolate between\nthe nearest waits, as a spreadsheet's MEDIAN and "
		    "PERCENTILE.INC do.  Still\nwaiting: requested by %s and not completed "
		    "by then; so far: days waited\nup to that day.  Fewer than five: "
		    "suppressed (<5).\n", census);
		break;
	case BY_THEME:
		printf("\nShare not met: not met, out of met, partly met and not met (partly "
		    "met is not\ncounted as not met); only questions answered five or more "
		    "times in %s are\nranked.  Earlier periods: the periods of the range "
		    "before %s, together.\nTrend: rising when this period's 95%% interval "
		    "lies wholly above the earlier\nperiods', falling when wholly below, steady "
		    "when they overlap.  Rising means\nnot met more often.  Per period: the "
		    "share not met, oldest first; \xc2\xb7 where fewer\nthan five answers.\n",
		    t->to_name, t->to_name);
		break;
	case BY_FUNNEL:
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

/* The board's views: their own headings, and nothing to show said plainly. */
static int
print_board_table(const ca_trends *t, by b, int measure)
{
	const char *who = t->provider != NULL ? t->provider : "all partner organisations";
	char census[11], words[96];
	double overall = NAN;
	table tb = { 0 };
	int rc = 0;

	switch (b) {
	case BY_WAIT:
		ca_date_uk(t->waits.census, census);
		printf("Waits for assessments completed %s to %s, and still waiting on %s, %s%s\n",
		    t->from_name, t->to_name, census, t->provider != NULL ?
		    "partner organisation " : "", who);
		if (t->waits.nproviders == 0) {
			printf("No assessments completed or waiting in this range: nothing to "
			    "show yet.\n");
			return 0;
		}
		fill_waits(&tb, t);
		break;
	case BY_ACTION:
		ca_date_uk(t->actions.census, census);
		printf("Actions and safeguarding escalations in %s, counted on %s, %s%s\n",
		    t->actions.period, census, t->provider != NULL ? "partner organisation " :
		    "", who);
		fill_actions(&tb, &t->actions);
		break;
	case BY_THEME:
		printf("Questions most often not met in %s, audits of assessments completed "
		    "then, %s%s\n", t->to_name, t->provider != NULL ? "partner organisation " :
		    "", who);
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
		if (b == BY_FUNNEL)
			rc = fill_funnel(&tb, t, measure, &overall);
		else
			fill_equity(&tb, t, b);
		break;
	}
	if (b == BY_FUNNEL && rc == 0) {
		measure_words(measure, words, sizeof words);
		if (isnan(overall))
			printf("Funnel of %s: nothing to measure.\n", words);
		else
			printf("Funnel of %s around %.0f%%, all partners together\n", words,
			    overall * 100);
	}
	putchar('\n');
	if (rc != 0 || tb.failed) {
		table_free(&tb);
		fprintf(stderr, "caseaudit: trends: out of memory\n");
		return CA_EX_SOFTWARE;
	}
	table_print(&tb);
	table_free(&tb);
	if (b == BY_ACTION)
		print_escalations(&t->actions);
	if (b == BY_THEME) {
		printf("\n");
		for (size_t i = 0; i < t->nthemes; i++)
			printf("%zu. %s (%s): %s\n", i + 1, t->themes[i].id, t->themes[i].form,
			    t->themes[i].text);
	}
	print_board_notes(t, b);
	return 0;
}

static int
print_table(const ca_trends *t, by b)
{
	table tb = { 0 };

	printf("Audits of assessments completed %s to %s, %s%s\n", t->from_name, t->to_name,
	    t->provider != NULL ? "partner organisation " : "all partner organisations",
	    t->provider != NULL ? t->provider : "");
	if (t->empty) {
		printf("No submitted audits in this range: nothing to show yet.\n");
		return 0;
	}
	if (b == BY_QUESTION && t->nquestions == 0) {
		printf("No answers in this range: nothing to show yet.\n");
		return 0;
	}
	putchar('\n');
	if (b == BY_PERIOD || b == BY_PROVIDER)
		fill_groups(&tb, t, b);
	else if (b == BY_DOMAIN)
		fill_domains(&tb, t);
	else
		fill_questions(&tb, t);
	if (tb.failed) {
		table_free(&tb);
		fprintf(stderr, "caseaudit: trends: out of memory\n");
		return CA_EX_SOFTWARE;
	}
	table_print(&tb);
	table_free(&tb);
	print_notes(t, b);
	return 0;
}

/* ---- the command -------------------------------------------------------- */

static int
parse_by(const char *s, by *b)
{
	for (int i = 0; i < BY_COUNT; i++)
		if (strcmp(s, by_names[i]) == 0) {
			*b = (by)i;
			return 0;
		}
	return ca_cli_usage("trends", "--by is period, provider, domain or question (or "
	    "age_band, ethnicity, support_reason, wait, theme, funnel or action), not '%s'", s);
}

/* --top and --measure belong to one view each: refused elsewhere rather
 * than quietly ignored. */
static int
check_view_options(by b, const char *top, const char *measure, ca_trends_query *q,
    int *m)
{
	uint64_t n;

	if (top != NULL && b != BY_THEME)
		return ca_cli_usage("trends", "--top goes with --by theme");
	if (measure != NULL && b != BY_FUNNEL)
		return ca_cli_usage("trends", "--measure goes with --by funnel");
	if (top != NULL && (ca_cli_parse_u64(top, 1000, &n) != 0 || n == 0))
		return ca_cli_usage("trends", "--top is a number of questions from 1 to 1000, "
		    "not '%s'", top);
	if (measure != NULL && (*m = ca_trends_measure_index(measure)) < 0)
		return ca_cli_usage("trends", "--measure is good_or_outstanding or a domain "
		    "(holistic, strengths, risk, carers, outcomes, recording), not '%s'", measure);
	q->questions = b == BY_QUESTION;
	q->equity = equity_of(b) >= 0;
	q->waits = b == BY_WAIT;
	q->themes = b != BY_THEME ? 0 : top != NULL ? (int)n : CA_TRENDS_THEMES;
	q->actions = b == BY_ACTION;
	return 0;
}

int
ca_cmd_trends(int argc, char **argv)
{
	static const struct option options[] = {
		{ "by", required_argument, NULL, 'b' },
		{ "from", required_argument, NULL, 'f' },
		{ "to", required_argument, NULL, 't' },
		{ "provider", required_argument, NULL, 'p' },
		{ "today", required_argument, NULL, 'y' },
		{ "format", required_argument, NULL, 'F' },
		{ "top", required_argument, NULL, 'n' },
		{ "measure", required_argument, NULL, 'm' },
		{ "db", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	ca_trends_query q = { 0 };
	ca_format fmt = CA_FORMAT_TABLE;
	const char *db = NULL, *top = NULL, *measure = NULL;
	int m = CA_TRENDS_SERIES_GOOD;
	ca_err err = { 0 };
	ca_trends *t;
	PGconn *conn;
	by b = BY_PERIOD;
	int ch, rc;

	if (ca_cli_wants_help(argc, argv))
		return ca_cli_help(ca_help_trends);
	optind = 1;
	while ((ch = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		switch (ch) {
		case 'b':
			if ((rc = parse_by(optarg, &b)) != 0)
				return rc;
			break;
		case 'f': q.from = optarg; break;
		case 't': q.to = optarg; break;
		case 'p': q.provider = optarg; break;
		case 'y': q.today = optarg; break;
		case 'F':
			if ((rc = ca_format_parse("trends", optarg, &fmt)) != 0)
				return rc;
			break;
		case 'd': db = optarg; break;
		case 'n': top = optarg; break;
		case 'm': measure = optarg; break;
		default: return ca_cli_usage("trends", "unknown option");
		}
	}
	if (optind != argc)
		return ca_cli_usage("trends", "unexpected argument '%s'", argv[optind]);
	if ((rc = check_view_options(b, top, measure, &q, &m)) != 0)
		return rc;
	if ((rc = ca_trends_query_check(&q, &err)) == 0 &&
	    (rc = ca_cli_connect(db, &conn)) == 0) {
		rc = ca_trends_load(conn, &q, &t, &err);
		/* Whoever reads the figures sees a safeguarding concern first. */
		if (rc == 0 && fmt == CA_FORMAT_TABLE &&
		    (rc = ca_escalations_banner(conn, stdout, &err)) != 0) {
			ca_trends_free(t);
			t = NULL;
		}
		ca_db_close(conn);
	} else if (err.code == 0)
		return rc;    /* the connection's failure, already told */
	if (rc == CA_EX_USAGE)
		return ca_cli_usage("trends", "%s", err.msg);
	if (rc != 0)
		return ca_cli_fail(&err);
	if (fmt != CA_FORMAT_TABLE)
		rc = print_records(t, b, fmt, m);
	else if (b >= BY_AGE_BAND)
		rc = print_board_table(t, b, m);
	else
		rc = print_table(t, b);
	ca_trends_free(t);
	return rc;
}
