/*
 * trends_print.c - rows as CSV or JSON, a plain-text table, and the cells
 * of `caseaudit trends` (trends_print.h).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trends_print.h"

const char *const ca_tp_domain_words[CA_DOMAINS] = {
	"holistic needs", "strengths-based", "risk", "carers", "outcomes and plan",
	"recording",
};

/* ---- rows for CSV and JSON ---------------------------------------------- */

static ca_tp_field *
field_add(ca_tp_row *r, const char *prefix, const char *suffix, int kind)
{
	static ca_tp_field spare;    /* the rows below are fixed; past the end is a bug */
	ca_tp_field *f;

	f = r->n < CA_TP_MAX_FIELDS ? &r->f[r->n++] : &spare;
	snprintf(f->key, sizeof f->key, "%s%s", prefix, suffix);
	f->kind = kind;
	return f;
}

void
ca_tp_num(ca_tp_row *r, const char *prefix, const char *suffix, double v)
{
	ca_tp_field *f = field_add(r, prefix, suffix, isfinite(v) ? CA_TP_NUM : CA_TP_NULL);

	f->num = v;
}

void
ca_tp_count(ca_tp_row *r, const char *prefix, const char *suffix, long v, int withheld)
{
	ca_tp_num(r, prefix, suffix, withheld ? NAN : (double)v);
}

void
ca_tp_text(ca_tp_row *r, const char *key, const char *s)
{
	ca_tp_field *f = field_add(r, key, "", s != NULL ? CA_TP_TEXT : CA_TP_NULL);

	f->text = s;
}

void
ca_tp_bool(ca_tp_row *r, const char *prefix, const char *suffix, int v)
{
	field_add(r, prefix, suffix, CA_TP_BOOL)->num = v != 0;
}

void
ca_tp_share(ca_tp_row *r, const char *key, const ca_trends_share *s, int signal)
{
	ca_tp_num(r, key, "", s->share);
	ca_tp_num(r, key, "_lo", s->lo);
	ca_tp_num(r, key, "_hi", s->hi);
	ca_tp_num(r, key, "_raw", s->raw);
	ca_tp_count(r, key, "_n", s->n, s->suppressed);
	ca_tp_num(r, key, "_n_eff", s->suppressed ? NAN : s->n_eff);
	ca_tp_bool(r, key, "_suppressed", s->suppressed);
	if (signal) {
		const char *sig = ca_trends_signal_name(s->signal);

		field_add(r, key, "_signal", sig != NULL ? CA_TP_TEXT : CA_TP_NULL)->text = sig;
	}
}

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

void
ca_tp_csv_header(const ca_tp_row *r)
{
	for (int i = 0; i < r->n; i++) {
		ca_csv_field(stdout, r->f[i].key);
		putchar(i + 1 < r->n ? ',' : '\n');
	}
}

void
ca_tp_write(ca_tp_out *o, const ca_tp_row *r)
{
	char num[64];

	if (o->fmt == CA_FORMAT_CSV) {
		if (o->rows == 0)
			ca_tp_csv_header(r);
		for (int i = 0; i < r->n; i++) {
			const ca_tp_field *f = &r->f[i];

			if (f->kind == CA_TP_NUM) {
				number_text(f->num, num, sizeof num);
				fputs(num, stdout);
			} else if (f->kind == CA_TP_TEXT)
				ca_csv_field(stdout, f->text);
			else if (f->kind == CA_TP_BOOL)
				fputs(f->num != 0 ? "yes" : "no", stdout);
			putchar(i + 1 < r->n ? ',' : '\n');
		}
	} else {
		ca_strbuf_adds(&o->json, o->rows == 0 ? "\n  {" : ",\n  {");
		for (int i = 0; i < r->n; i++) {
			const ca_tp_field *f = &r->f[i];

			ca_strbuf_adds(&o->json, i > 0 ? ", " : "");
			ca_json_string(&o->json, f->key);
			ca_strbuf_adds(&o->json, ": ");
			if (f->kind == CA_TP_NUM) {
				number_text(f->num, num, sizeof num);
				ca_strbuf_adds(&o->json, num);
			} else if (f->kind == CA_TP_TEXT)
				ca_json_string(&o->json, f->text);
			else if (f->kind == CA_TP_BOOL)
				ca_strbuf_adds(&o->json, f->num != 0 ? "true" : "false");
			else
				ca_strbuf_adds(&o->json, "null");
		}
		ca_strbuf_adds(&o->json, "}");
	}
	o->rows++;
}

void
ca_tp_begin(ca_tp_out *o, ca_format fmt, const ca_trends *t, const char *by)
{
	o->fmt = fmt;
	o->rows = 0;
	o->failed = 0;
	ca_strbuf_init(&o->json);
	if (fmt != CA_FORMAT_JSON)
		return;
	ca_strbuf_adds(&o->json, "{\"by\": ");
	ca_json_string(&o->json, by);
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

int
ca_tp_end(ca_tp_out *o)
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

/* ---- the table ---------------------------------------------------------- */

void
ca_tp_table_add(ca_tp_table *tb, const char *const *cells)
{
	if (tb->failed || tb->ncols > CA_TP_MAX_COLUMNS) {
		tb->failed = 1;
		return;
	}
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

void
ca_tp_table_print(const ca_tp_table *tb)
{
	size_t width[CA_TP_MAX_COLUMNS] = { 0 };

	for (size_t r = 0; r < tb->nrows; r++)
		for (size_t c = 0; c < tb->ncols; c++) {
			size_t w = ca_display_width(tb->cells[r * tb->ncols + c]);

			if (w > width[c])
				width[c] = w;
		}
	for (size_t r = 0; r < tb->nrows; r++) {
		size_t last = tb->ncols;

		/* no padding after the last cell with something in it */
		while (last > 1 && tb->cells[r * tb->ncols + last - 1][0] == '\0')
			last--;
		for (size_t c = 0; c < last; c++) {
			const char *s = tb->cells[r * tb->ncols + c];

			fputs(s, stdout);
			if (c + 1 < last)
				for (size_t w = ca_display_width(s); w < width[c] + 2; w++)
					putchar(' ');
		}
		putchar('\n');
	}
}

void
ca_tp_table_free(ca_tp_table *tb)
{
	for (size_t i = 0; i < tb->nrows * tb->ncols; i++)
		free(tb->cells[i]);
	free(tb->cells);
}

const char *
ca_tp_share_cell(const ca_trends_share *s, char *buf, size_t size)
{
	if (s->suppressed)
		return "suppressed";
	if (s->n == 0 || isnan(s->share))
		return CA_TP_NOTHING;
	if (isnan(s->lo) || isnan(s->hi))
		snprintf(buf, size, "%.0f%%", s->share * 100);
	else
		/* an en dash between the bounds */
		snprintf(buf, size, "%.0f%% (%.0f\xe2\x80\x93%.0f%%)", s->share * 100,
		    s->lo * 100, s->hi * 100);
	return buf;
}

const char *
ca_tp_count_cell(long v, int suppressed, char *buf, size_t size)
{
	if (suppressed)
		return "<5";
	snprintf(buf, size, "%ld", v);
	return buf;
}
