/*
 * test_xmr.c - XmR charts on hand-made series, one for each rule, where
 * the arithmetic is small enough to follow in the comments: which points
 * fire and why, which do not and why not.  Series are chosen with their
 * mean a whole number where a point sits on it, so "on the mean" is
 * exact in floating point too.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "xmr.h"

#define NITEMS(a) (sizeof(a) / sizeof((a)[0]))
#define MAXPTS 32

/* A point's expected marks: rules on the high side, on the low side. */
typedef struct want {
	size_t i;
	unsigned high, low;
} want;

typedef struct chart {
	ca_xmr c;
	ca_xmr_point pts[MAXPTS];
} chart;

static chart
chart_of(const double *x, size_t n, ca_xmr_direction dir, const double *target)
{
	chart ch;
	ca_err err = { 0 };

	assert_true(n <= MAXPTS);
	if (ca_xmr_compute(x, n, dir, target, &ch.c, ch.pts, &err) != 0)
		fail_msg("xmr: %s", err.msg);
	assert_int_equal(ch.c.n, n);
	return ch;
}

/* The points listed carry exactly the marks given; every other point
 * carries none and is common cause. */
static void
expect_marks(const chart *ch, const want *w, size_t nw)
{
	for (size_t i = 0; i < ch->c.n; i++) {
		unsigned high = 0, low = 0;

		for (size_t k = 0; k < nw; k++)
			if (w[k].i == i) {
				high = w[k].high;
				low = w[k].low;
			}
		if (ch->pts[i].high != high || ch->pts[i].low != low)
			fail_msg("point %zu: marks high %#x low %#x, want %#x %#x", i,
			    ch->pts[i].high, ch->pts[i].low, high, low);
		if ((high | low) == 0)
			assert_true(ch->pts[i].side == CA_XMR_SIDE_NONE &&
			    ch->pts[i].kind == CA_XMR_COMMON);
	}
}

static void
expect_all_common(const chart *ch)
{
	expect_marks(ch, NULL, 0);
	assert_int_equal(ch->c.variation, CA_XMR_VAR_COMMON);
}

static int
near(double x, double want)
{
	return fabs(x - want) <= 1e-12 * fmax(1.0, fabs(want));
}

/*
 * The limits by hand, and rule 1.  x = 10 12 10 12 10 30 10 12 10 12:
 * sum 128, mean 12.8; moving ranges 2 2 2 2 20 20 2 2 2, sum 54, mR 6;
 * limits 12.8 -/+ 2.66 x 6 = 12.8 -/+ 15.96 = -3.16 and 28.76; two-thirds
 * lines 12.8 -/+ 10.64 = 2.16 and 23.44.  Only 30 is beyond a limit (and
 * it is alone beyond the two-thirds line, so rule 4 is quiet).  Below the
 * mean the runs are 5 and 4 long, so no shift; no three rises in a row.
 * The lower limit is negative and reported as it is.
 */
static void
rule_outside_and_limits_by_hand(void **state)
{
	static const double x[] = { 10, 12, 10, 12, 10, 30, 10, 12, 10, 12 };
	static const want w[] = { { 5, CA_XMR_OUTSIDE, 0 } };
	chart ch;

	(void)state;
	ch = chart_of(x, NITEMS(x), CA_XMR_HIGHER_BETTER, NULL);
	assert_true(near(ch.c.mean, 12.8));
	assert_true(near(ch.c.mr, 6.0));
	assert_true(near(ch.c.upper, 28.76));
	assert_true(near(ch.c.lower, -3.16));
	assert_true(near(ch.c.upper_two_thirds, 23.44));
	assert_true(near(ch.c.lower_two_thirds, 2.16));
	assert_true(ch.c.few_points);
	expect_marks(&ch, w, NITEMS(w));
	assert_int_equal(ch.pts[5].side, CA_XMR_HIGH);
	assert_int_equal(ch.pts[5].kind, CA_XMR_IMPROVEMENT);
	/* The signal has passed: the latest point is common cause. */
	assert_int_equal(ch.c.variation, CA_XMR_VAR_COMMON);
	assert_int_equal(ch.c.assurance, CA_XMR_ASSURE_NONE);
}

/*
 * Rule 2.  x = 9 8 9 8 9 8 9 | 11 12 11 12 11 12 | 10 | 11: sum 150,
 * mean 10 exactly; moving ranges six 1s, 2, five 1s, 2, 1: sum 16, mR
 * 8/7; limits 10 -/+ 3.04; two-thirds lines 10 -/+ 2.0267, so 8 and 12
 * are inside them.  The first seven are below the mean: a shift.  The
 * next six are above it, one short; 10 is on the mean and ends that run.
 * No trend: nothing rises or falls three times running.
 */
static void
rule_shift(void **state)
{
	static const double x[] = { 9, 8, 9, 8, 9, 8, 9, 11, 12, 11, 12, 11, 12, 10, 11 };
	want w[7];
	chart ch;

	(void)state;
	for (size_t i = 0; i < 7; i++)
		w[i] = (want){ i, 0, CA_XMR_SHIFT };
	ch = chart_of(x, NITEMS(x), CA_XMR_HIGHER_BETTER, NULL);
	assert_true(ch.c.mean == 10.0);
	assert_true(near(ch.c.mr, 8.0 / 7.0));
	assert_false(ch.c.few_points);
	expect_marks(&ch, w, NITEMS(w));
	for (size_t i = 0; i < 7; i++)
		assert_true(ch.pts[i].side == CA_XMR_LOW && ch.pts[i].kind == CA_XMR_CONCERN);
	assert_int_equal(ch.c.variation, CA_XMR_VAR_COMMON);
}

/*
 * A point on the mean ends a run.  x = 11 12 11 12 10 11 12 11 | 8 9 8 9
 * 7 9: sum 140, mean 10 exactly; moving ranges 1 1 1 2 1 1 1 3 1 1 1 2 2,
 * sum 18, mR 18/13; two-thirds lines 10 -/+ 2.455 (7.545 and 12.455):
 * every 12 and 8 is inside them, and 7, beyond, has no partner within
 * three points.  Eight points in a row are at or above the mean, but the
 * fifth is on it: runs of four and three, no shift, nothing at all.  Move
 * that point to 10.5 and the mean becomes 140.5/14 = 10.036: now all
 * eight are above it, a shift, and nothing else changes (mR 17/13,
 * two-thirds lines 7.717 and 12.355, 7 still alone beyond).
 */
static void
points_on_the_mean(void **state)
{
	double x[] = { 11, 12, 11, 12, 10, 11, 12, 11, 8, 9, 8, 9, 7, 9 };
	want w[8];
	chart ch;

	(void)state;
	ch = chart_of(x, NITEMS(x), CA_XMR_HIGHER_BETTER, NULL);
	assert_true(ch.c.mean == 10.0 && x[4] == ch.c.mean);
	expect_all_common(&ch);

	x[4] = 10.5;
	for (size_t i = 0; i < 8; i++)
		w[i] = (want){ i, CA_XMR_SHIFT, 0 };
	ch = chart_of(x, NITEMS(x), CA_XMR_HIGHER_BETTER, NULL);
	assert_true(near(ch.c.mean, 140.5 / 14.0));
	expect_marks(&ch, w, NITEMS(w));
}

/*
 * Rule 3.  x = 12 8 12 8 12 | 7 8 9 10 11 12 13 | 8 12 8: sum 150, mean
 * 10; moving ranges 4 4 4 4 5, six 1s, 5 4 4: sum 40, mR 20/7 = 2.857;
 * limits 10 -/+ 7.6; two-thirds lines 10 -/+ 5.067, so every point is
 * inside them.  7 to 13 is six rises in a row: seven points, a trend, all
 * of them marked though they straddle the mean.  No shift: the longest
 * run on one side is three (11 12 13).
 */
static void
rule_trend(void **state)
{
	static const double x[] = { 12, 8, 12, 8, 12, 7, 8, 9, 10, 11, 12, 13, 8, 12, 8 };
	double down[NITEMS(x)];
	want w[7];
	chart ch;

	(void)state;
	for (size_t i = 0; i < 7; i++)
		w[i] = (want){ 5 + i, CA_XMR_TREND, 0 };
	ch = chart_of(x, NITEMS(x), CA_XMR_HIGHER_BETTER, NULL);
	assert_true(ch.c.mean == 10.0);
	assert_true(near(ch.c.mr, 40.0 / 14.0));
	expect_marks(&ch, w, NITEMS(w));
	/* Rising is high, whichever side of the mean: 7, 8 and 9 too. */
	for (size_t i = 5; i < 12; i++)
		assert_true(ch.pts[i].side == CA_XMR_HIGH && ch.pts[i].kind == CA_XMR_IMPROVEMENT);

	/* Mirrored about 10 (20 - x): the same trend, falling, low. */
	for (size_t i = 0; i < NITEMS(x); i++) {
		down[i] = 20 - x[i];
		if (i >= 5 && i < 12)
			w[i - 5] = (want){ i, 0, CA_XMR_TREND };
	}
	ch = chart_of(down, NITEMS(down), CA_XMR_HIGHER_BETTER, NULL);
	expect_marks(&ch, w, NITEMS(w));
}

/*
 * Six rises are needed, and a repeat is not a rise.  x = 12 8 12 8 12 8 8
 * 9 10 11 12 13 8 12 7: as above with the 7 raised to 8 and the last 8
 * lowered to 7 (mean still 10, mR 39/14).  8 8 9 10 11 12 13: the repeat
 * ends the trend before it starts, leaving 8 to 13, five rises, six
 * points: nothing.
 */
static void
trend_needs_seven(void **state)
{
	static const double x[] = { 12, 8, 12, 8, 12, 8, 8, 9, 10, 11, 12, 13, 8, 12, 7 };
	chart ch;

	(void)state;
	ch = chart_of(x, NITEMS(x), CA_XMR_HIGHER_BETTER, NULL);
	assert_true(ch.c.mean == 10.0);
	expect_all_common(&ch);
}

/*
 * Rule 4.  x = 10 9 10 9 9 14 10 14 9 10 9 10 9 9 9: sum 150, mean 10;
 * moving ranges 1 1 1 0 5 4 4 5 1 1 1 1 0 0: sum 25, mR 25/14; limits
 * 10 -/+ 4.75 (5.25 and 14.75); two-thirds lines 10 -/+ 19/6 (6.833 and
 * 13.167).  The two 14s are beyond the upper two-thirds line, inside the
 * limit, and two of the three points 14 10 14: both marked, the 10
 * between them not.  Below the mean the longest run is three; no
 * trend.  Space the 14s out (14 10 9 14: the same moving ranges, so the
 * same lines) and no window of three holds both: nothing.
 */
static void
rule_two_of_three(void **state)
{
	double x[] = { 10, 9, 10, 9, 9, 14, 10, 14, 9, 10, 9, 10, 9, 9, 9 };
	static const want high[] = {
		{ 5, CA_XMR_TWO_OF_THREE, 0 }, { 7, CA_XMR_TWO_OF_THREE, 0 },
	};
	static const want low[] = {
		{ 5, 0, CA_XMR_TWO_OF_THREE }, { 7, 0, CA_XMR_TWO_OF_THREE },
	};
	double mirror[NITEMS(x)];
	chart ch;

	(void)state;
	ch = chart_of(x, NITEMS(x), CA_XMR_HIGHER_BETTER, NULL);
	assert_true(ch.c.mean == 10.0);
	assert_true(near(ch.c.mr, 25.0 / 14.0));
	assert_true(near(ch.c.upper, 14.75) && near(ch.c.lower, 5.25));
	assert_true(near(ch.c.upper_two_thirds, 10.0 + 19.0 / 6.0));
	expect_marks(&ch, high, NITEMS(high));

	for (size_t i = 0; i < NITEMS(x); i++)
		mirror[i] = 20 - x[i];
	ch = chart_of(mirror, NITEMS(mirror), CA_XMR_HIGHER_BETTER, NULL);
	expect_marks(&ch, low, NITEMS(low));

	x[7] = 9;
	x[8] = 14;
	ch = chart_of(x, NITEMS(x), CA_XMR_HIGHER_BETTER, NULL);
	assert_true(near(ch.c.mr, 25.0 / 14.0));
	expect_all_common(&ch);
}

/* 10 and 12 alternating, sixteen points: mean 11, mR 2, limits 5.68 and
 * 16.32, every point 1 from the mean and the direction changing every
 * time.  Nothing to see, and enough points to trust the limits. */
static void
no_signal(void **state)
{
	double x[16];
	chart ch;

	(void)state;
	for (size_t i = 0; i < NITEMS(x); i++)
		x[i] = i % 2 ? 12 : 10;
	ch = chart_of(x, NITEMS(x), CA_XMR_HIGHER_BETTER, NULL);
	assert_true(ch.c.mean == 11.0 && ch.c.mr == 2.0);
	assert_true(near(ch.c.upper, 16.32) && near(ch.c.lower, 5.68));
	assert_false(ch.c.few_points);
	expect_all_common(&ch);
}

/*
 * Direction colours the same marks.  x = 10 12 10 12 10 12 10 12 10 30:
 * mean 12.8, mR 4 (eight 2s and a 20, over 9), limits 2.16 and 23.44.
 * The first nine are all below the mean, a shift (low); 30 is above the
 * upper limit (high), and it is the latest point, so it sets the icon.
 */
static void
direction_flips_colour(void **state)
{
	static const double x[] = { 10, 12, 10, 12, 10, 12, 10, 12, 10, 30 };
	static const struct {
		ca_xmr_direction dir;
		ca_xmr_kind low, high;
		ca_xmr_variation icon;
	} cases[] = {
		{ CA_XMR_HIGHER_BETTER, CA_XMR_CONCERN, CA_XMR_IMPROVEMENT,
		  CA_XMR_VAR_IMPROVEMENT_HIGH },
		{ CA_XMR_LOWER_BETTER, CA_XMR_IMPROVEMENT, CA_XMR_CONCERN,
		  CA_XMR_VAR_CONCERN_HIGH },
		{ CA_XMR_NEITHER, CA_XMR_NEUTRAL, CA_XMR_NEUTRAL, CA_XMR_VAR_NEUTRAL_HIGH },
	};
	want w[10];

	(void)state;
	for (size_t i = 0; i < 9; i++)
		w[i] = (want){ i, 0, CA_XMR_SHIFT };
	w[9] = (want){ 9, CA_XMR_OUTSIDE, 0 };
	for (size_t c = 0; c < NITEMS(cases); c++) {
		chart ch = chart_of(x, NITEMS(x), cases[c].dir, NULL);

		assert_true(near(ch.c.mr, 4.0));
		expect_marks(&ch, w, NITEMS(w));
		for (size_t i = 0; i < 9; i++) {
			assert_int_equal(ch.pts[i].side, CA_XMR_LOW);
			assert_int_equal(ch.pts[i].kind, cases[c].low);
		}
		assert_int_equal(ch.pts[9].side, CA_XMR_HIGH);
		assert_int_equal(ch.pts[9].kind, cases[c].high);
		assert_int_equal(ch.c.variation, cases[c].icon);
	}
}

/* The icon for a low signal on the latest point: the trend series
 * mirrored and cut after its trend, which is still falling. */
static void
latest_point_low(void **state)
{
	static const double x[] = { 8, 12, 8, 12, 8, 13, 12, 11, 10, 9, 8, 7 };
	chart ch;

	(void)state;
	/* 13 to 7: six falls, the last seven points. */
	ch = chart_of(x, NITEMS(x), CA_XMR_HIGHER_BETTER, NULL);
	assert_int_equal(ch.pts[11].low, CA_XMR_TREND);
	assert_int_equal(ch.c.variation, CA_XMR_VAR_CONCERN_LOW);
	ch = chart_of(x, NITEMS(x), CA_XMR_LOWER_BETTER, NULL);
	assert_int_equal(ch.c.variation, CA_XMR_VAR_IMPROVEMENT_LOW);
	ch = chart_of(x, NITEMS(x), CA_XMR_NEITHER, NULL);
	assert_int_equal(ch.c.variation, CA_XMR_VAR_NEUTRAL_LOW);
}

/*
 * Marks on both sides.  x = 10 11 (x6) 10, then 5 7 8 9 10 11 12: sum
 * 198, mean 9.9; moving ranges twelve 1s, 5, 2, five 1s: sum 24, mR
 * 24/19; limits 9.9 -/+ 3.36 (6.54, 13.26); two-thirds lines 9.9 -/+ 2.24
 * (7.66, 12.14).  The first thirteen are above the mean (a shift, high).
 * 5 is below the lower limit and, with 7, two of 10 5 7 below the lower
 * two-thirds line (low); 5 to 12 rises six times (a trend, high).  So 5
 * and 7 are marked both ways and take the side of the mean they are on,
 * low; 8 and 9 are only in the trend and are high although below the
 * mean.  The latest point, 12, ends a rising trend: improvement, high.
 */
static void
both_sides_follow_the_mean(void **state)
{
	static const double x[] = { 10, 11, 10, 11, 10, 11, 10, 11, 10, 11, 10, 11, 10,
		5, 7, 8, 9, 10, 11, 12 };
	want w[20];
	chart ch;

	(void)state;
	for (size_t i = 0; i < 13; i++)
		w[i] = (want){ i, CA_XMR_SHIFT, 0 };
	w[13] = (want){ 13, CA_XMR_TREND, CA_XMR_OUTSIDE | CA_XMR_TWO_OF_THREE };
	w[14] = (want){ 14, CA_XMR_TREND, CA_XMR_TWO_OF_THREE };
	for (size_t i = 15; i < 20; i++)
		w[i] = (want){ i, CA_XMR_TREND, 0 };
	ch = chart_of(x, NITEMS(x), CA_XMR_HIGHER_BETTER, NULL);
	assert_true(near(ch.c.mean, 9.9) && near(ch.c.mr, 24.0 / 19.0));
	expect_marks(&ch, w, NITEMS(w));
	assert_true(ch.pts[13].side == CA_XMR_LOW && ch.pts[13].kind == CA_XMR_CONCERN);
	assert_true(ch.pts[14].side == CA_XMR_LOW && ch.pts[14].kind == CA_XMR_CONCERN);
	for (size_t i = 15; i < 20; i++)
		assert_true(ch.pts[i].side == CA_XMR_HIGH &&
		    ch.pts[i].kind == CA_XMR_IMPROVEMENT);
	assert_int_equal(ch.c.variation, CA_XMR_VAR_IMPROVEMENT_HIGH);
}

/*
 * A peak exactly on the mean, where a rise of seven turns into a fall of
 * seven: 14 (x6), then 1 to 7 and back to 1.  Sum 133 over 19, mean 7.
 * The peak belongs to both trends and sits on the mean, so it takes the
 * side of the trend it starts: the fall, low.
 */
static void
peak_on_the_mean(void **state)
{
	static const double x[] = { 14, 14, 14, 14, 14, 14, 1, 2, 3, 4, 5, 6, 7, 6, 5, 4, 3,
		2, 1 };
	chart ch;

	(void)state;
	ch = chart_of(x, NITEMS(x), CA_XMR_HIGHER_BETTER, NULL);
	assert_true(ch.c.mean == 7.0);
	assert_int_equal(ch.pts[12].high, CA_XMR_TREND);
	assert_int_equal(ch.pts[12].low, CA_XMR_TREND);
	assert_int_equal(ch.pts[12].side, CA_XMR_LOW);
	assert_int_equal(ch.pts[12].kind, CA_XMR_CONCERN);
	/* Its neighbours belong to one trend each. */
	assert_int_equal(ch.pts[11].side, CA_XMR_HIGH);
	assert_int_equal(ch.pts[13].side, CA_XMR_LOW);
}

/*
 * Assurance.  x = 10 12: mean 11, mR 2, limits 5.68 and 16.32 (and two
 * points are enough to chart, though few).  With higher better a target
 * of 5 lies below both limits (pass), 17 above both (fail), 11 between
 * (hit and miss); with lower better the other way round.  x = 0.5 -0.5:
 * limits exactly -/+2.66, and a target on a limit counts as met.
 */
static void
assurance(void **state)
{
	static const double x[] = { 10, 12 };
	static const double edge[] = { 0.5, -0.5 };
	static const struct {
		ca_xmr_direction dir;
		double target;
		ca_xmr_assurance want;
	} cases[] = {
		{ CA_XMR_HIGHER_BETTER, 5, CA_XMR_ASSURE_PASS },
		{ CA_XMR_HIGHER_BETTER, 17, CA_XMR_ASSURE_FAIL },
		{ CA_XMR_HIGHER_BETTER, 11, CA_XMR_ASSURE_HIT_AND_MISS },
		{ CA_XMR_LOWER_BETTER, 17, CA_XMR_ASSURE_PASS },
		{ CA_XMR_LOWER_BETTER, 5, CA_XMR_ASSURE_FAIL },
		{ CA_XMR_LOWER_BETTER, 11, CA_XMR_ASSURE_HIT_AND_MISS },
		{ CA_XMR_NEITHER, 5, CA_XMR_ASSURE_NONE },
	};
	chart ch;
	double t;

	(void)state;
	for (size_t c = 0; c < NITEMS(cases); c++) {
		ch = chart_of(x, NITEMS(x), cases[c].dir, &cases[c].target);
		assert_int_equal(ch.c.assurance, cases[c].want);
	}
	ch = chart_of(x, NITEMS(x), CA_XMR_HIGHER_BETTER, NULL);
	assert_int_equal(ch.c.assurance, CA_XMR_ASSURE_NONE);

	ch = chart_of(edge, 2, CA_XMR_HIGHER_BETTER, NULL);
	assert_true(ch.c.lower == -2.66 && ch.c.upper == 2.66);
	t = -2.66;
	assert_int_equal(chart_of(edge, 2, CA_XMR_HIGHER_BETTER, &t).c.assurance,
	    CA_XMR_ASSURE_PASS);
	t = 2.66;
	assert_int_equal(chart_of(edge, 2, CA_XMR_HIGHER_BETTER, &t).c.assurance,
	    CA_XMR_ASSURE_HIT_AND_MISS);
	assert_int_equal(chart_of(edge, 2, CA_XMR_LOWER_BETTER, &t).c.assurance,
	    CA_XMR_ASSURE_PASS);
	t = -2.66;
	assert_int_equal(chart_of(edge, 2, CA_XMR_LOWER_BETTER, &t).c.assurance,
	    CA_XMR_ASSURE_HIT_AND_MISS);
}

/*
 * A point exactly on a line is inside it.  x = 0 133 0 -25 -53 -43 7 -11
 * -8: sum 0; moving ranges 133 133 25 28 10 50 18 3, sum 400, mR 50; the
 * upper limit 2.66 x 50 is 133 exactly (in doubles too), and the point on
 * it is not outside.  x = 0 133 0 133 12 -48 -69 -56 -74 -31: sum 0;
 * moving ranges 133 133 133 121 60 21 13 18 43, sum 675, mR 75; the upper
 * two-thirds line (2/3) 2.66 x 75 is 133 exactly, and two points on it
 * in three are not two beyond it.  Neither series has a run of more than
 * five on one side of the mean, nor three moves one way.
 */
static void
lines_are_inside(void **state)
{
	static const double on_limit[] = { 0, 133, 0, -25, -53, -43, 7, -11, -8 };
	static const double on_line[] = { 0, 133, 0, 133, 12, -48, -69, -56, -74, -31 };
	chart ch;

	(void)state;
	ch = chart_of(on_limit, NITEMS(on_limit), CA_XMR_HIGHER_BETTER, NULL);
	assert_true(ch.c.mean == 0.0 && ch.c.mr == 50.0 && ch.c.upper == 133.0);
	expect_all_common(&ch);
	ch = chart_of(on_line, NITEMS(on_line), CA_XMR_HIGHER_BETTER, NULL);
	assert_true(ch.c.mean == 0.0 && ch.c.mr == 75.0 && ch.c.upper_two_thirds == 133.0);
	expect_all_common(&ch);
}

/* Two points chart (few); a flat series has limits on its mean and
 * nothing to flag. */
static void
two_points_and_flat(void **state)
{
	static const double two[] = { 10, 12 };
	static const double flat[] = { 5, 5, 5, 5, 5, 5, 5, 5 };
	chart ch;

	(void)state;
	ch = chart_of(two, 2, CA_XMR_HIGHER_BETTER, NULL);
	assert_true(ch.c.mean == 11.0 && ch.c.mr == 2.0);
	assert_true(ch.c.few_points);
	expect_all_common(&ch);

	ch = chart_of(flat, NITEMS(flat), CA_XMR_HIGHER_BETTER, NULL);
	assert_true(ch.c.mr == 0.0 && ch.c.upper == 5.0 && ch.c.lower == 5.0);
	expect_all_common(&ch);
}

/* Too few points, gaps, nonsense: refused, with the result cleared and
 * the points untouched. */
static void
refuses(void **state)
{
	static const double one[] = { 10 };
	static const double gap[] = { 10, 12, NAN, 11 };
	static const double inf[] = { 10, INFINITY, 11 };
	static const double huge[] = { 1e308, -1e308, 1e308 };
	static const double fine[] = { 10, 12, 11 };
	static const double nan_target = NAN;
	static const struct {
		const double *x;
		size_t n;
		int dir;
		const double *target;
		int rc;
	} bad[] = {
		{ NULL, 0, CA_XMR_HIGHER_BETTER, NULL, 65 },
		{ one, 1, CA_XMR_HIGHER_BETTER, NULL, 65 },
		{ gap, 4, CA_XMR_HIGHER_BETTER, NULL, 65 },
		{ inf, 3, CA_XMR_HIGHER_BETTER, NULL, 65 },
		{ huge, 3, CA_XMR_HIGHER_BETTER, NULL, 65 },
		{ fine, 3, 7, NULL, 64 },
		{ fine, 3, CA_XMR_HIGHER_BETTER, &nan_target, 64 },
	};

	(void)state;
	for (size_t i = 0; i < NITEMS(bad); i++) {
		ca_xmr c = { .n = 99, .mean = 1.0, .variation = CA_XMR_VAR_COMMON };
		ca_xmr_point pts[4];
		ca_err err = { 0 };

		memset(pts, 0x5a, sizeof pts);
		assert_int_equal(ca_xmr_compute(bad[i].x, bad[i].n, (ca_xmr_direction)bad[i].dir,
		    bad[i].target, &c, pts, &err), bad[i].rc);
		assert_int_equal(err.code, bad[i].rc);
		assert_true(err.msg[0] != '\0');
		assert_int_equal(c.n, 0);
		assert_true(isnan(c.mean) && isnan(c.mr) && isnan(c.upper) && isnan(c.lower));
		assert_int_equal(c.variation, CA_XMR_VAR_NONE);
		assert_int_equal(c.assurance, CA_XMR_ASSURE_NONE);
		for (size_t b = 0; b < sizeof pts; b++)
			assert_int_equal(((unsigned char *)pts)[b], 0x5a);
	}
	/* The message says which period, counting from 1. */
	{
		ca_xmr c;
		ca_xmr_point pts[4];
		ca_err err = { 0 };

		ca_xmr_compute(gap, 4, CA_XMR_HIGHER_BETTER, NULL, &c, pts, &err);
		assert_non_null(strstr(err.msg, "point 3"));
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rule_outside_and_limits_by_hand),
		cmocka_unit_test(rule_shift),
		cmocka_unit_test(points_on_the_mean),
		cmocka_unit_test(rule_trend),
		cmocka_unit_test(trend_needs_seven),
		cmocka_unit_test(rule_two_of_three),
		cmocka_unit_test(no_signal),
		cmocka_unit_test(direction_flips_colour),
		cmocka_unit_test(latest_point_low),
		cmocka_unit_test(both_sides_follow_the_mean),
		cmocka_unit_test(peak_on_the_mean),
		cmocka_unit_test(lines_are_inside),
		cmocka_unit_test(assurance),
		cmocka_unit_test(two_points_and_flat),
		cmocka_unit_test(refuses),
	};

	return cmocka_run_group_tests_name("xmr", tests, NULL, NULL);
}
