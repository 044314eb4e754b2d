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
#include "trends_print.h"

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
	"  --provider NAME only the audits (for wait, the assessments) of this partner\n"
	"                  organisation\n"
	"  --today DATE    the date overdue is counted on (YYYY-MM-DD; default today)\n"
	"  --format F      table (default), csv or json\n"
	"\n"
	"An audit belongs to the period its assessment was completed in.  Submitted\n"
	"audits count; targeted re-audits are counted apart and left out of the shares,\n"
	"which are weighted back to the population each sample was drawn from.  Groups\n"
	"of fewer than five audits are suppressed.  CSV and JSON give proportions from 0\n"
	"to 1 and null where a figure is suppressed or there is nothing to measure; JSON\n"
	"is an object with the range and a \"rows\" array.  Waits count every\n"
	"assessment, audited or not.  The README defines each figure in plain words.\n"
	"\n"
	"exit status: 0 done, 64 usage, 65 unknown partner organisation,\n"
	"69 database unavailable, 70 internal error\n";

typedef enum by {
	BY_PERIOD, BY_PROVIDER, BY_DOMAIN, BY_QUESTION, BY_AGE_BAND, BY_ETHNICITY,
	BY_SUPPORT_REASON, BY_WAIT, BY_THEME, BY_FUNNEL, BY_ACTION, BY_COUNT
} by;
/* the board's views in the order of trends_print.h's ca_tp_view */
_Static_assert(BY_ACTION - BY_AGE_BAND == CA_TP_ACTION && BY_WAIT - BY_AGE_BAND == CA_TP_WAIT,
    "the board's views out of order");
static const char *const by_names[BY_COUNT] = {
	"period", "provider", "domain", "question", "age_band", "ethnicity", "support_reason",
	"wait", "theme", "funnel", "action",
};

/* ---- rows for CSV and JSON ---------------------------------------------- */

static void
put_flag(ca_tp_row *r, const char *key, const ca_trends_flag *f)
{
	ca_tp_count(r, key, "_raised", f->raised, f->suppressed);
	ca_tp_count(r, key, "_confirmed", f->confirmed, f->suppressed);
	ca_tp_count(r, key, "_not_confirmed", f->not_confirmed, f->suppressed);
	ca_tp_count(r, key, "_not_applicable", f->not_applicable, f->suppressed);
	ca_tp_num(r, key, "_confirmed_share", f->share);
	ca_tp_num(r, key, "_confirmed_lo", f->lo);
	ca_tp_num(r, key, "_confirmed_hi", f->hi);
	ca_tp_bool(r, key, "_suppressed", f->suppressed);
}

/* A period's or provider's row; `name_key` is "period" or "provider". */
static void
group_record(ca_tp_row *r, const char *name_key, const ca_trends_group *g, int total,
    int periods)
{
	int s = g->suppressed;

	r->n = 0;
	ca_tp_text(r, name_key, g->name);
	ca_tp_bool(r, "total", "", total);
	ca_tp_bool(r, "suppressed", "", s);
	ca_tp_count(r, "audits", "", g->audits, s);
	ca_tp_count(r, "targeted", "", g->targeted, s);
	for (int k = 0; k < CA_GRADES; k++)
		ca_tp_count(r, ca_trends_grade_names[k], "", g->grades[k], s);
	ca_tp_share(r, "good_or_outstanding", &g->good, periods);
	for (int k = 0; k < CA_DOMAINS; k++)
		ca_tp_share(r, ca_domain_names[k], &g->domain[k], periods);
	put_flag(r, "flags", &g->flags);
	for (int f = 0; f < CA_TRENDS_FLAGS; f++)
		put_flag(r, ca_trends_flag_names[f], &g->flag[f]);
	ca_tp_count(r, "audits_drawn", "", g->work.audits, g->work.suppressed);
	ca_tp_count(r, "open", "", g->work.open, g->work.suppressed);
	ca_tp_count(r, "overdue", "", g->work.overdue, g->work.suppressed);
	ca_tp_count(r, "late", "", g->work.late, g->work.suppressed);
	ca_tp_count(r, "actions_overdue", "", g->work.actions_overdue, g->work.suppressed);
	ca_tp_bool(r, "work_suppressed", "", g->work.suppressed);
	if (periods)
		ca_tp_text(r, "overdue_or_late_signal", ca_trends_signal_name(g->work.signal));
}

/* One domain in one period (or over the range: period "all"), with the
 * domain's control chart, so a script can draw it. */
static void
domain_record(ca_tp_row *r, int k, const char *period, const ca_trends_share *s, int total,
    const ca_trends_series *se)
{
	r->n = 0;
	ca_tp_text(r, "domain", ca_domain_names[k]);
	ca_tp_text(r, "period", period);
	ca_tp_bool(r, "total", "", total);
	ca_tp_share(r, "share_met", s, 1);
	ca_tp_num(r, "chart_mean", "", se->charted ? se->chart.mean : NAN);
	ca_tp_num(r, "chart_lower", "", se->charted ? se->chart.lower : NAN);
	ca_tp_num(r, "chart_upper", "", se->charted ? se->chart.upper : NAN);
}

static void
question_record(ca_tp_row *r, const ca_trends_question *q)
{
	int s = q->share.suppressed;

	r->n = 0;
	ca_tp_text(r, "form", q->form);
	ca_tp_text(r, "question", q->id);
	ca_tp_text(r, "domain", q->domain >= 0 ? ca_domain_names[q->domain] : NULL);
	ca_tp_text(r, "text", q->text);
	ca_tp_count(r, "met", "", q->met, s);
	ca_tp_count(r, "partially_met", "", q->partially_met, s);
	ca_tp_count(r, "not_met", "", q->not_met, s);
	ca_tp_count(r, "not_applicable", "", q->not_applicable, s);
	ca_tp_share(r, "share_met", &q->share, 0);
}

static int
print_records(const ca_trends *t, by b, ca_format fmt, int measure)
{
	ca_tp_row *r = malloc(sizeof *r);
	ca_tp_out o;

	if (r == NULL) {
		fprintf(stderr, "caseaudit: trends: out of memory\n");
		return CA_EX_SOFTWARE;
	}
	ca_tp_begin(&o, fmt, t, by_names[b]);
	switch (b) {
	case BY_PERIOD:
	case BY_PROVIDER: {
		const ca_trends_group *g = b == BY_PERIOD ? t->periods : t->providers;
		size_t n = b == BY_PERIOD ? t->nperiods : t->nproviders;

		for (size_t i = 0; i < n; i++) {
			group_record(r, by_names[b], &g[i], 0, b == BY_PERIOD);
			ca_tp_write(&o, r);
		}
		group_record(r, by_names[b], &t->all, 1, b == BY_PERIOD);
		ca_tp_write(&o, r);
		break;
	}
	case BY_DOMAIN:
		for (int k = 0; k < CA_DOMAINS; k++) {
			const ca_trends_series *se = &t->series[CA_TRENDS_SERIES_DOMAIN + k];

			for (size_t i = 0; i < t->nperiods; i++) {
				domain_record(r, k, t->periods[i].name, &t->periods[i].domain[k],
				    0, se);
				ca_tp_write(&o, r);
			}
			domain_record(r, k, "all", &t->all.domain[k], 1, se);
			ca_tp_write(&o, r);
		}
		break;
	case BY_QUESTION: {
		static const ca_trends_question none = { .form = "", .id = "", .text = "" };

		for (size_t i = 0; i < t->nquestions; i++) {
			question_record(r, &t->questions[i]);
			ca_tp_write(&o, r);
		}
		/* no questions: a CSV still says what its columns would be */
		if (t->nquestions == 0 && fmt == CA_FORMAT_CSV) {
			question_record(r, &none);
			ca_tp_csv_header(r);
		}
		break;
	}
	default:
		ca_tp_board_rows(&o, r, t, (ca_tp_view)(b - BY_AGE_BAND), measure);
		break;
	}
	free(r);
	return ca_tp_end(&o);
}

/* ---- the table ---------------------------------------------------------- */

static const char *
signal_cell(ca_xmr_kind k)
{
	const char *s = ca_trends_signal_name(k);

	return s != NULL ? s : CA_TP_NOTHING;
}

static const char *
flags_cell(const ca_trends_flag *f, char *buf, size_t size)
{
	if (f->suppressed)
		return "<5";
	if (f->confirmed + f->not_confirmed == 0)
		return CA_TP_NOTHING;
	snprintf(buf, size, "%ld of %ld", f->confirmed, f->confirmed + f->not_confirmed);
	return buf;
}

static void
group_row(ca_tp_table *tb, const ca_trends_group *g, const char *label, int periods, int total)
{
	char b[8][64];
	const char *cells[9];
	int n = 0;

	cells[n++] = label;
	cells[n++] = ca_tp_count_cell(g->audits, g->suppressed, b[0], sizeof b[0]);
	cells[n++] = ca_tp_share_cell(&g->good, b[1], sizeof b[1]);
	if (periods)
		cells[n++] = g->suppressed || total ? CA_TP_NOTHING :
		    signal_cell(g->good.signal);
	cells[n++] = flags_cell(&g->flags, b[2], sizeof b[2]);
	cells[n++] = ca_tp_count_cell(g->work.overdue, g->work.suppressed, b[3], sizeof b[3]);
	cells[n++] = ca_tp_count_cell(g->work.late, g->work.suppressed, b[4], sizeof b[4]);
	cells[n++] = ca_tp_count_cell(g->work.actions_overdue, g->work.suppressed, b[5],
	    sizeof b[5]);
	cells[n++] = ca_tp_count_cell(g->targeted, g->suppressed, b[6], sizeof b[6]);
	ca_tp_table_add(tb, cells);
}

static void
fill_groups(ca_tp_table *tb, const ca_trends *t, by b)
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
	ca_tp_table_add(tb, periods ? period_head : provider_head);
	for (size_t i = 0; i < n; i++)
		group_row(tb, &g[i], g[i].name, periods, 0);
	group_row(tb, &t->all, periods ? "All periods" : "All partners", periods, 1);
}

static void
fill_domains(ca_tp_table *tb, const ca_trends *t)
{
	static const char *const head[] = { "DOMAIN", "PERIOD", "AUDITS", "SHARE MET",
	    "SIGNAL" };

	tb->ncols = 5;
	ca_tp_table_add(tb, head);
	for (int k = 0; k < CA_DOMAINS; k++) {
		for (size_t i = 0; i <= t->nperiods; i++) {
			const ca_trends_share *s = i < t->nperiods ? &t->periods[i].domain[k] :
			    &t->all.domain[k];
			char b[2][64];
			const char *cells[5] = {
				ca_tp_domain_words[k],
				i < t->nperiods ? t->periods[i].name : "All periods",
				ca_tp_count_cell(s->n, s->suppressed, b[0], sizeof b[0]),
				ca_tp_share_cell(s, b[1], sizeof b[1]),
				i < t->nperiods && !s->suppressed ? signal_cell(s->signal) : CA_TP_NOTHING,
			};

			ca_tp_table_add(tb, cells);
		}
	}
}

static void
fill_questions(ca_tp_table *tb, const ca_trends *t)
{
	static const char *const head[] = { "CHECKLIST", "QUESTION", "DOMAIN", "MET",
	    "PARTLY MET", "NOT MET", "N/A", "SHARE MET" };

	tb->ncols = 8;
	ca_tp_table_add(tb, head);
	for (size_t i = 0; i < t->nquestions; i++) {
		const ca_trends_question *q = &t->questions[i];
		int s = q->share.suppressed;
		char b[5][64];
		const char *cells[8] = {
			q->form, q->id, q->domain >= 0 ? ca_tp_domain_words[q->domain] : "",
			ca_tp_count_cell(q->met, s, b[0], sizeof b[0]),
			ca_tp_count_cell(q->partially_met, s, b[1], sizeof b[1]),
			ca_tp_count_cell(q->not_met, s, b[2], sizeof b[2]),
			ca_tp_count_cell(q->not_applicable, s, b[3], sizeof b[3]),
			ca_tp_share_cell(&q->share, b[4], sizeof b[4]),
		};

		ca_tp_table_add(tb, cells);
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
		    "share per\nperiod, marked improvement or concern; " CA_TP_NOTHING " means "
		    "common-cause variation only.\n");
	if (b == BY_PERIOD || b == BY_PROVIDER) {
		ca_date_uk(t->today, today);
		printf("Overdue: open audits and actions due before %s.  Late: submitted\n"
		    "after the due date.  Flags confirmed: screening flags the auditor bore "
		    "out (a\nscore under 50%% in the flag's domain).\n", today);
	}
}

static int
print_table(const ca_trends *t, by b)
{
	ca_tp_table tb = { 0 };

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
		ca_tp_table_free(&tb);
		fprintf(stderr, "caseaudit: trends: out of memory\n");
		return CA_EX_SOFTWARE;
	}
	ca_tp_table_print(&tb);
	ca_tp_table_free(&tb);
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
	q->equity = b == BY_AGE_BAND || b == BY_ETHNICITY || b == BY_SUPPORT_REASON;
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
		rc = ca_tp_board_table(t, (ca_tp_view)(b - BY_AGE_BAND), m);
	else
		rc = print_table(t, b);
	ca_trends_free(t);
	return rc;
}
