/*
 * cmd_trends.c - `caseaudit trends`: the audit figures of trends.h by
 * period, partner organisation, domain or question, as a table for the
 * principal social worker or as CSV or JSON for scripts.
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
	"\n"
	"The audit figures over a range of periods, for the principal social worker:\n"
	"audits, the share good or outstanding and the share met in each domain and\n"
	"question with Wilson 95% intervals, screening flags the auditors confirmed,\n"
	"overdue and late audits and actions, and control-chart (XmR) signals on the\n"
	"series per period, marked improvement or concern.\n"
	"\n"
	"  --by G          period (default), provider, domain or question\n"
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
	"is an object with the range and a \"rows\" array.\n"
	"\n"
	"exit status: 0 done, 64 usage, 65 unknown partner organisation,\n"
	"69 database unavailable, 70 internal error\n";

typedef enum by { BY_PERIOD, BY_PROVIDER, BY_DOMAIN, BY_QUESTION } by;
static const char *const by_names[] = { "period", "provider", "domain", "question" };

/* The domains as a principal social worker names them. */
static const char *const domain_words[CA_DOMAINS] = {
	"holistic needs", "strengths-based", "risk", "carers", "outcomes and plan",
	"recording",
};

/* ---- rows for CSV and JSON ---------------------------------------------- */

#define MAX_FIELDS 192

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

	if (o->fmt == CA_FORMAT_JSON) {
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

static int
print_records(const ca_trends *t, by b, ca_format fmt)
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
	for (int i = 0; i < 4; i++)
		if (strcmp(s, by_names[i]) == 0) {
			*b = (by)i;
			return 0;
		}
	return ca_cli_usage("trends", "--by is period, provider, domain or question, not '%s'",
	    s);
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
		{ "db", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	ca_trends_query q = { 0 };
	ca_format fmt = CA_FORMAT_TABLE;
	const char *db = NULL;
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
		default: return ca_cli_usage("trends", "unknown option");
		}
	}
	if (optind != argc)
		return ca_cli_usage("trends", "unexpected argument '%s'", argv[optind]);
	if ((rc = ca_trends_query_check(&q, &err)) == 0 &&
	    (rc = ca_cli_connect(db, &conn)) == 0) {
		q.questions = b == BY_QUESTION;
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
	rc = fmt == CA_FORMAT_TABLE ? print_table(t, b) : print_records(t, b, fmt);
	ca_trends_free(t);
	return rc;
}
