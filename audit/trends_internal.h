/*
 * trends_internal.h - what trends.c lends the files that load the rest of
 * the figures (trends_equity.c, trends_waits.c, trends_themes.c,
 * trends_actions.c): the query's parameters, reading numbers from a
 * result, and turning sums into a share.  Not for any other caller: the
 * figures are read through trends.h.
 *
 * Every loader runs inside ca_trends_load's snapshot, after the audits of
 * the range are gathered into the temporary table ca_trends_base (see
 * trends.c), and fills its own part of the ca_trends; its part is freed
 * by ca_trends_free whatever happened.
 */
#ifndef CASEAUDIT_TRENDS_INTERNAL_H
#define CASEAUDIT_TRENDS_INTERNAL_H

#include "trends.h"

/* The query's parameters, as text.  p[] is what the audit queries take:
 * the range's first and last day, its first month as year * 12 + month -
 * 1, the months in a period, and the provider's id or NULL. */
typedef struct ca_trends_params {
	char first[11], last[11];
	char start[16], months[4];
	char provider[24];
	const char *p[5];
	char last_first[11];       /* the last period's first day */
	char census[11];           /* the range's last day, or today when earlier */
} ca_trends_params;

/* A number from a result: 0 for NULL (a sum over no rows). */
double ca_trends_num(const PGresult *res, int r, int c);
long ca_trends_count(const PGresult *res, int r, int c);
/* A number from a result, NaN for NULL (a percentile of nothing). */
double ca_trends_real(const PGresult *res, int r, int c);

/* No value: n 0, every number NaN, signal common cause. */
void ca_trends_share_clear(ca_trends_share *s);
/* A share from its sums: n values summing to sx unweighted; weights
 * summing to sw, their squares to sw2, and weight times value to swx.
 * The Wilson interval is on Kish's effective n. */
void ca_trends_share_set(ca_trends_share *s, long n, double sx, double sw, double sw2,
    double swx);
/* Withhold a share over one to four audits or answers. */
void ca_trends_share_suppress_small(ca_trends_share *s);

/* The loaders, each one or two set-based queries. */
int ca_trends_load_equity(PGconn *conn, ca_trends *t, ca_err *err);
int ca_trends_load_waits(PGconn *conn, ca_trends *t, const ca_trends_params *pp,
    ca_err *err);
int ca_trends_load_themes(PGconn *conn, ca_trends *t, int n, ca_err *err);
int ca_trends_load_actions(PGconn *conn, ca_trends *t, const ca_trends_params *pp,
    ca_err *err);

/* The order of recurring themes, for qsort: most often not met first,
 * shares equal to nine places counting as tied; then more answers,
 * checklist, position, question id. */
int ca_trends_theme_cmp(const void *a, const void *b);

/* Free what each loader allocated (safe on a part never loaded). */
void ca_trends_equity_free(ca_trends *t);
void ca_trends_waits_free(ca_trends *t);
void ca_trends_themes_free(ca_trends *t);
void ca_trends_actions_free(ca_trends *t);

#endif
