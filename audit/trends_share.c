/*
 * trends_share.c - a weighted share and its Wilson interval from the sums
 * a query returns, and reading those sums: the arithmetic every part of
 * trends.h shares (trends_internal.h).
 */
#include <math.h>
#include <stdlib.h>

#include "stats.h"
#include "trends_internal.h"

double
ca_trends_num(const PGresult *res, int r, int c)
{
	return PQgetisnull(res, r, c) ? 0 : strtod(PQgetvalue(res, r, c), NULL);
}

long
ca_trends_count(const PGresult *res, int r, int c)
{
	return PQgetisnull(res, r, c) ? 0 : strtol(PQgetvalue(res, r, c), NULL, 10);
}

double
ca_trends_real(const PGresult *res, int r, int c)
{
	return PQgetisnull(res, r, c) ? NAN : strtod(PQgetvalue(res, r, c), NULL);
}

void
ca_trends_share_clear(ca_trends_share *s)
{
	s->n = 0;
	s->n_eff = 0;
	s->share = s->raw = s->lo = s->hi = NAN;
	s->signal = CA_XMR_COMMON;
}

void
ca_trends_share_set(ca_trends_share *s, long n, double sx, double sw, double sw2,
    double swx)
{
	ca_trends_share_clear(s);
	s->n = n;
	if (n <= 0 || !(sw > 0) || !(sw2 > 0))
		return;
	s->raw = sx / (double)n;
	s->share = swx / sw;
	/* rounding must not push a share of all met past 1 */
	if (s->share > 1)
		s->share = 1;
	if (s->share < 0)
		s->share = 0;
	s->n_eff = sw * sw / sw2;
	if (ca_wilson_real(s->share * s->n_eff, s->n_eff, CA_TRENDS_CONFIDENCE, &s->lo,
	    &s->hi) != 0)
		s->lo = s->hi = NAN;
}

void
ca_trends_share_suppress_small(ca_trends_share *s)
{
	if (s->n > 0 && s->n < CA_TRENDS_MIN_GROUP) {
		ca_trends_share_clear(s);
		s->suppressed = 1;
	}
}
