/*
 * xmr.c - XmR control charts; see xmr.h for the conventions, which this
 * file follows to the letter.
 *
 * Written from NHS England's "Making Data Count" guidance and DOMAIN.md's
 * summary of it ("How a board reads data").  Every rule marks points
 * independently; colouring them and choosing the icons come after, so
 * that each step can be checked by hand on its own.
 */
#include "xmr.h"

#include <math.h>

/* Points in a run for a shift or a trend (DOMAIN.md: seven). */
#define XMR_RUN 7

/* Process limits are this many mean moving ranges from the mean. */
#define XMR_LIMIT 2.66

static void
xmr_clear(ca_xmr *out)
{
	out->n = 0;
	out->mean = out->mr = NAN;
	out->upper = out->lower = NAN;
	out->upper_two_thirds = out->lower_two_thirds = NAN;
	out->few_points = 0;
	out->variation = CA_XMR_VAR_NONE;
	out->assurance = CA_XMR_ASSURE_NONE;
}

static int
xmr_check(const double *x, size_t n, ca_xmr_direction dir, const double *target,
    ca_err *err)
{
	if (dir != CA_XMR_NEITHER && dir != CA_XMR_HIGHER_BETTER && dir != CA_XMR_LOWER_BETTER)
		return ca_err_set(err, CA_EX_USAGE, "control chart: unknown direction %d",
		    (int)dir);
	if (target != NULL && !isfinite(*target))
		return ca_err_set(err, CA_EX_USAGE, "control chart: the target is not a number");
	if (n < 2)
		return ca_err_set(err, CA_EX_DATAERR,
		    "control chart: needs at least two points for a moving range, not %zu", n);
	for (size_t i = 0; i < n; i++)
		if (!isfinite(x[i]))
			return ca_err_set(err, CA_EX_DATAERR,
			    "control chart: point %zu is not a number (leave out periods "
			    "without data)", i + 1);
	return 0;
}

/* Mean, mean moving range and the lines drawn from them; 0, or -1 when
 * the values are too large for them to be finite. */
static int
xmr_limits(const double *x, size_t n, ca_xmr *c)
{
	double sum = 0.0, ranges = 0.0;

	for (size_t i = 0; i < n; i++) {
		sum += x[i];
		if (i > 0)
			ranges += fabs(x[i] - x[i - 1]);
	}
	c->mean = sum / (double)n;
	c->mr = ranges / (double)(n - 1);
	c->upper = c->mean + XMR_LIMIT * c->mr;
	c->lower = c->mean - XMR_LIMIT * c->mr;
	c->upper_two_thirds = c->mean + 2.0 / 3.0 * XMR_LIMIT * c->mr;
	c->lower_two_thirds = c->mean - 2.0 / 3.0 * XMR_LIMIT * c->mr;
	return isfinite(c->upper) && isfinite(c->lower) ? 0 : -1;
}

/* Put rule on the high side of a point (s > 0) or the low side (s < 0). */
static void
mark(ca_xmr_point *p, int s, unsigned rule)
{
	if (s > 0)
		p->high |= rule;
	else if (s < 0)
		p->low |= rule;
}

/* +1 above the line hi, -1 below lo, 0 between or on them. */
static int
beyond(double v, double hi, double lo)
{
	return (v > hi) - (v < lo);
}

static void
mark_outside(const double *x, size_t n, const ca_xmr *c, ca_xmr_point *pts)
{
	for (size_t i = 0; i < n; i++)
		mark(&pts[i], beyond(x[i], c->upper, c->lower), CA_XMR_OUTSIDE);
}

/* Which side of the mean point i is on. */
static int
side_of_mean(const double *x, size_t i, double mean)
{
	return beyond(x[i], mean, mean);
}

/* Whether point i rose (+1) or fell (-1) from point i - 1. */
static int
step(const double *x, size_t i, double mean)
{
	(void)mean;
	return beyond(x[i], x[i - 1], x[i - 1]);
}

/*
 * Shifts and trends are both runs of one sign: of side_of_mean over the
 * points, or of step over the moves between them (first = 1, since point
 * 0 has no move before it; the run of moves i..j-1 covers the points
 * i-1..j-1).  Every maximal run covering XMR_RUN points or more, of a
 * sign other than 0, marks all the points it covers.
 */
static void
mark_runs(const double *x, size_t n, double mean, int (*sign)(const double *, size_t, double),
    size_t first, unsigned rule, ca_xmr_point *pts)
{
	size_t i = first;

	while (i < n) {
		int s = sign(x, i, mean);
		size_t j = i + 1;

		while (j < n && sign(x, j, mean) == s)
			j++;
		if (s != 0 && j - i + first >= XMR_RUN)
			for (size_t t = i - first; t < j; t++)
				mark(&pts[t], s, rule);
		i = j;
	}
}

static void
mark_two_of_three(const double *x, size_t n, const ca_xmr *c, ca_xmr_point *pts)
{
	for (size_t w = 0; w + 3 <= n; w++) {
		int up = 0, down = 0;

		for (size_t i = w; i < w + 3; i++) {
			int s = beyond(x[i], c->upper_two_thirds, c->lower_two_thirds);

			up += s > 0;
			down += s < 0;
		}
		for (size_t i = w; i < w + 3; i++) {
			int s = beyond(x[i], c->upper_two_thirds, c->lower_two_thirds);

			if ((s > 0 && up >= 2) || (s < 0 && down >= 2))
				mark(&pts[i], s, CA_XMR_TWO_OF_THREE);
		}
	}
}

/* The side of point i's signal, settling a point marked on both sides
 * as xmr.h says. */
static ca_xmr_side
side_of_signal(const double *x, size_t n, size_t i, double mean, const ca_xmr_point *p)
{
	if (p->high == 0 && p->low == 0)
		return CA_XMR_SIDE_NONE;
	if (p->low == 0)
		return CA_XMR_HIGH;
	if (p->high == 0)
		return CA_XMR_LOW;
	if (x[i] != mean)
		return x[i] > mean ? CA_XMR_HIGH : CA_XMR_LOW;
	/* On the mean and on both sides: only where a rise turns into a fall
	 * or back, so there is a next point and it shows the newer trend. */
	return i + 1 < n && x[i + 1] > x[i] ? CA_XMR_HIGH : CA_XMR_LOW;
}

static ca_xmr_kind
kind_of(ca_xmr_side side, ca_xmr_direction dir)
{
	if (side == CA_XMR_SIDE_NONE)
		return CA_XMR_COMMON;
	if (dir == CA_XMR_NEITHER)
		return CA_XMR_NEUTRAL;
	return (side == CA_XMR_HIGH) == (dir == CA_XMR_HIGHER_BETTER) ? CA_XMR_IMPROVEMENT :
	    CA_XMR_CONCERN;
}

static ca_xmr_variation
variation_of(const ca_xmr_point *latest)
{
	int high = latest->side == CA_XMR_HIGH;

	switch (latest->kind) {
	case CA_XMR_IMPROVEMENT:
		return high ? CA_XMR_VAR_IMPROVEMENT_HIGH : CA_XMR_VAR_IMPROVEMENT_LOW;
	case CA_XMR_CONCERN:
		return high ? CA_XMR_VAR_CONCERN_HIGH : CA_XMR_VAR_CONCERN_LOW;
	case CA_XMR_NEUTRAL:
		return high ? CA_XMR_VAR_NEUTRAL_HIGH : CA_XMR_VAR_NEUTRAL_LOW;
	case CA_XMR_COMMON:
		break;
	}
	return CA_XMR_VAR_COMMON;
}

static ca_xmr_assurance
assurance_of(const ca_xmr *c, ca_xmr_direction dir, const double *target)
{
	if (target == NULL || dir == CA_XMR_NEITHER)
		return CA_XMR_ASSURE_NONE;
	if (dir == CA_XMR_HIGHER_BETTER) {
		if (c->lower >= *target)
			return CA_XMR_ASSURE_PASS;
		if (c->upper < *target)
			return CA_XMR_ASSURE_FAIL;
	} else {
		if (c->upper <= *target)
			return CA_XMR_ASSURE_PASS;
		if (c->lower > *target)
			return CA_XMR_ASSURE_FAIL;
	}
	return CA_XMR_ASSURE_HIT_AND_MISS;
}

int
ca_xmr_compute(const double *x, size_t n, ca_xmr_direction dir, const double *target,
    ca_xmr *out, ca_xmr_point *pts, ca_err *err)
{
	ca_xmr c;
	int rc;

	xmr_clear(out);
	if ((rc = xmr_check(x, n, dir, target, err)) != 0)
		return rc;
	if (xmr_limits(x, n, &c) != 0)
		return ca_err_set(err, CA_EX_DATAERR,
		    "control chart: the values are too large to chart");

	for (size_t i = 0; i < n; i++)
		pts[i] = (ca_xmr_point){ 0 };
	mark_outside(x, n, &c, pts);
	mark_runs(x, n, c.mean, side_of_mean, 0, CA_XMR_SHIFT, pts);
	mark_runs(x, n, c.mean, step, 1, CA_XMR_TREND, pts);
	mark_two_of_three(x, n, &c, pts);
	for (size_t i = 0; i < n; i++) {
		pts[i].side = side_of_signal(x, n, i, c.mean, &pts[i]);
		pts[i].kind = kind_of(pts[i].side, dir);
	}

	c.n = n;
	c.few_points = n < CA_XMR_FEW_POINTS;
	c.variation = variation_of(&pts[n - 1]);
	c.assurance = assurance_of(&c, dir, target);
	*out = c;
	return 0;
}
