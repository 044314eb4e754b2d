/*
 * trends_funnel.c - where each partner organisation lies on the funnel
 * plot of a share (trends.h, "Partner funnel"): the limits come from
 * stats.h, the shares from the groups ca_trends_load filled.  So that the
 * executive summary can name the partners outside the limits and the
 * chart can draw them from the same numbers.
 */
#include <math.h>
#include <string.h>

#include "stats.h"
#include "trends.h"

const char *
ca_trends_measure_name(int measure)
{
	if (measure == CA_TRENDS_SERIES_GOOD)
		return "good_or_outstanding";
	if (measure >= CA_TRENDS_SERIES_DOMAIN &&
	    measure < CA_TRENDS_SERIES_DOMAIN + CA_DOMAINS)
		return ca_domain_names[measure - CA_TRENDS_SERIES_DOMAIN];
	return NULL;
}

int
ca_trends_measure_index(const char *name)
{
	int k;

	if (strcmp(name, "good_or_outstanding") == 0)
		return CA_TRENDS_SERIES_GOOD;
	if ((k = ca_domain_index(name)) >= 0)
		return CA_TRENDS_SERIES_DOMAIN + k;
	return -1;
}

static const ca_trends_share *
measure_share(const ca_trends_group *g, int measure)
{
	return measure == CA_TRENDS_SERIES_GOOD ? &g->good :
	    &g->domain[measure - CA_TRENDS_SERIES_DOMAIN];
}

/* -1 below [lo, hi], 1 above, 0 within: strictly beyond a limit only. */
static int
beyond(double v, double lo, double hi)
{
	return v < lo ? -1 : v > hi ? 1 : 0;
}

static void
place(ca_trends_funnel_point *pt, const ca_trends_share *s, double p0)
{
	memset(pt, 0, sizeof *pt);
	pt->share = pt->lo95 = pt->hi95 = pt->lo998 = pt->hi998 = NAN;
	if (s->suppressed || s->n == 0 || isnan(s->share) || isnan(p0))
		return;
	pt->share = s->share;
	/* Kish's n rounded down; the small tolerance keeps an n_eff of
	 * 9.9999999 from equal weights at 10 */
	pt->n = (long)floor(s->n_eff + 1e-6);
	if (pt->n < 1 ||
	    ca_funnel_limits(p0, pt->n, 0.95, &pt->lo95, &pt->hi95) != 0 ||
	    ca_funnel_limits(p0, pt->n, 0.998, &pt->lo998, &pt->hi998) != 0) {
		pt->n = 0;
		pt->share = pt->lo95 = pt->hi95 = pt->lo998 = pt->hi998 = NAN;
		return;
	}
	pt->placed = 1;
	pt->outside95 = beyond(pt->share, pt->lo95, pt->hi95);
	pt->outside998 = beyond(pt->share, pt->lo998, pt->hi998);
}

int
ca_trends_funnel(const ca_trends *t, int measure, double *overall,
    ca_trends_funnel_point *points, ca_err *err)
{
	const ca_trends_share *all;
	double p0;

	*overall = NAN;
	if (ca_trends_measure_name(measure) == NULL)
		return ca_err_set(err, CA_EX_USAGE, "a funnel plot is drawn of a share: good or "
		    "outstanding, or a domain's share met");
	all = measure_share(&t->all, measure);
	p0 = all->suppressed || all->n == 0 ? NAN : all->share;
	*overall = p0;
	for (size_t i = 0; i < t->nproviders; i++)
		place(&points[i], measure_share(&t->providers[i], measure), p0);
	return 0;
}
