/*
 * trends_print.h - how `caseaudit trends` lays out its figures: a row as
 * a list of keys and values, written as CSV or JSON so that the two
 * always carry the same columns; a plain-text table whose columns fit
 * their widest cell; and the cells every table writes a share or a count
 * with.  The views (cmd_trends.c for the audit series, cmd_trends_board.c
 * for the board report's other figures) choose and word the figures;
 * this file only lays them out.  (ca_tp_: trends printing.)
 */
#ifndef CASEAUDIT_TRENDS_PRINT_H
#define CASEAUDIT_TRENDS_PRINT_H

#include <stddef.h>

#include "listing.h"
#include "output.h"
#include "strbuf.h"
#include "trends.h"

/* A theme's row has a share per period, up to CA_TRENDS_MAX_PERIODS. */
#define CA_TP_MAX_FIELDS (64 + CA_TRENDS_MAX_PERIODS)

enum { CA_TP_NULL, CA_TP_NUM, CA_TP_TEXT, CA_TP_BOOL };

typedef struct ca_tp_field {
	char key[48];
	int kind;
	double num;           /* CA_TP_NUM; CA_TP_BOOL: 0 or 1 */
	const char *text;     /* CA_TP_TEXT, borrowed until the row is written */
} ca_tp_field;

/* One row; r->n = 0 starts it again. */
typedef struct ca_tp_row {
	int n;
	ca_tp_field f[CA_TP_MAX_FIELDS];
} ca_tp_row;

/* Add a field keyed prefix + suffix.  NaN is null. */
void ca_tp_num(ca_tp_row *r, const char *prefix, const char *suffix, double v);
/* A count, null when withheld. */
void ca_tp_count(ca_tp_row *r, const char *prefix, const char *suffix, long v, int withheld);
/* Text; NULL is null. */
void ca_tp_text(ca_tp_row *r, const char *key, const char *s);
void ca_tp_bool(ca_tp_row *r, const char *prefix, const char *suffix, int v);
/* A share as key, key_lo, key_hi, key_raw, key_n, key_n_eff,
 * key_suppressed, and key_signal when `signal`. */
void ca_tp_share(ca_tp_row *r, const char *key, const ca_trends_share *s, int signal);

/* Rows on their way to standard output: CSV as they come (the first
 * row's keys as the header), JSON gathered into one object. */
typedef struct ca_tp_out {
	ca_format fmt;
	long rows;
	ca_strbuf json;
	int failed;          /* out of memory on the way: set it, ca_tp_end says so */
} ca_tp_out;

/* JSON opens with the view's name (`by`), the range, the provider, today,
 * the confidence, the smallest group shown and whether t is empty. */
void ca_tp_begin(ca_tp_out *o, ca_format fmt, const ca_trends *t, const char *by);
void ca_tp_write(ca_tp_out *o, const ca_tp_row *r);
/* The row's keys as a CSV header line: a CSV with no rows still says
 * what its columns would be. */
void ca_tp_csv_header(const ca_tp_row *r);
/* Finish (JSON is written here); 0, or 70 after saying so. */
int ca_tp_end(ca_tp_out *o);

/* A table of strings, the headings first; set ncols before the first
 * row.  Out of memory sets failed and adds nothing more. */
#define CA_TP_MAX_COLUMNS 16

typedef struct ca_tp_table {
	size_t ncols, nrows, cap;
	char **cells;        /* row-major, the headings first */
	int failed;
} ca_tp_table;

void ca_tp_table_add(ca_tp_table *tb, const char *const *cells);
void ca_tp_table_print(const ca_tp_table *tb);
void ca_tp_table_free(ca_tp_table *tb);

/* "—": nothing to measure, or common-cause variation. */
#define CA_TP_NOTHING "\xe2\x80\x94"

/* "75% (55–88%)", "suppressed", or CA_TP_NOTHING; buf holds the text. */
const char *ca_tp_share_cell(const ca_trends_share *s, char *buf, size_t size);
/* The count, or "<5" when withheld. */
const char *ca_tp_count_cell(long v, int suppressed, char *buf, size_t size);

/* The domains as a principal social worker names them. */
extern const char *const ca_tp_domain_words[CA_DOMAINS];

/* The board report's views (cmd_trends_board.c). */
typedef enum ca_tp_view {
	CA_TP_AGE_BAND, CA_TP_ETHNICITY, CA_TP_SUPPORT_REASON, CA_TP_WAIT, CA_TP_THEME,
	CA_TP_FUNNEL, CA_TP_ACTION
} ca_tp_view;

/* The view's rows into o (measure: the funnel's, trends.h
 * ca_trends_funnel); a failure sets o->failed. */
void ca_tp_board_rows(ca_tp_out *o, ca_tp_row *r, const ca_trends *t, ca_tp_view v,
    int measure);
/* The view as a table with its heading and notes; 0 or 70. */
int ca_tp_board_table(const ca_trends *t, ca_tp_view v, int measure);

#endif
