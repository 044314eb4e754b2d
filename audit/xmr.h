/*
 * xmr.h - XmR (individuals) control charts the "Making Data Count" way:
 * a measure's mean and process limits over its periods, which points are
 * special-cause variation and whether that is improvement or concern,
 * the variation and assurance icons a board pack shows, all from a plain
 * array of numbers (no database, no allocation).
 *
 * The conventions, which a report must describe in the same words:
 *
 *   Series.  x[0..n-1] is one value a period, oldest first, and only
 *       periods with data: a period with no data is left out by the
 *       caller, and the periods either side of it become neighbours (the
 *       moving range spans the gap).  NaN or infinite values are refused
 *       rather than guessed at.  Two points at least; fewer than 15 are
 *       charted but flagged (few_points), since Making Data Count advises
 *       15 or more before limits are trusted.
 *
 *   Limits.  mean = sum x / n; the moving ranges |x[i] - x[i-1]|, i >= 1,
 *       average to mr (no moving range is screened out); the process
 *       limits are mean +/- 2.66 mr (2.66 = 3 / 1.128, three sigma), and
 *       the two-thirds lines, two thirds of the way from the mean to each
 *       limit, mean +/- (2/3) 2.66 mr (two sigma).  Nothing is clipped:
 *       for a share the lower limit may be below 0 or the upper above 1,
 *       and a chart draws it at the axis but must not report it as a
 *       value.
 *
 *   Special cause, four rules, each giving its points a side (high or
 *   low); comparisons are strict, so a point exactly on a line is inside:
 *     outside  a point above the upper limit (high) or below the lower
 *              limit (low);
 *     shift    seven or more points in a row above the mean (high) or
 *              below it (low), every point of the run marked; a point
 *              exactly on the mean is on neither side and ends the run;
 *     trend    seven or more points in a row each higher than the one
 *              before (high) or each lower (low): six rises or six falls
 *              in a row, as DOMAIN.md has it (the current NHS guidance
 *              counts six points); a point equal to the one before ends
 *              the trend; every point of it is marked, whichever side of
 *              the mean it is on, and the point where a rise turns into a
 *              fall belongs to both;
 *     two of three  two or three of three consecutive points beyond the
 *              same two-thirds line (above the upper: high; below the
 *              lower: low); only the points beyond the line are marked,
 *              not the third point of the window.
 *
 *   Colour.  A point in no rule is common cause.  Otherwise its side is
 *       the side of its rules; a point in rules on both sides (a rise
 *       starting below the lower limit, say) takes the side of the mean
 *       it is on, or, exactly on the mean, the side of the trend it
 *       starts.  Higher is better: high is improvement, low concern;
 *       lower is better: the reverse; neither: every signal is neutral.
 *
 *   Variation icon.  Decided by the latest point alone: common cause, or
 *       the kind and side of the latest point's signal.  An earlier
 *       signal that has ended does not colour the icon (it shows on the
 *       chart).
 *
 *   Assurance icon, when there is a target and a direction: with higher
 *       better, a value >= target passes, so lower limit >= target is
 *       "consistently pass", upper limit < target "consistently fail",
 *       anything else "hit and miss"; with lower better, value <= target
 *       passes, so upper limit <= target passes, lower limit > target
 *       fails.  No target, or direction neither: no assurance icon.
 */
#ifndef CASEAUDIT_XMR_H
#define CASEAUDIT_XMR_H

#include <stddef.h>

#include "error.h"

typedef enum ca_xmr_direction {
	CA_XMR_NEITHER,         /* no direction is better: signals are neutral */
	CA_XMR_HIGHER_BETTER,   /* e.g. the share of audits graded good or better */
	CA_XMR_LOWER_BETTER     /* e.g. days from audit to feedback */
} ca_xmr_direction;

/* The rules, as bits in ca_xmr_point.high and .low. */
enum {
	CA_XMR_OUTSIDE = 1 << 0,
	CA_XMR_SHIFT = 1 << 1,
	CA_XMR_TREND = 1 << 2,
	CA_XMR_TWO_OF_THREE = 1 << 3
};

typedef enum ca_xmr_side { CA_XMR_SIDE_NONE, CA_XMR_HIGH, CA_XMR_LOW } ca_xmr_side;

typedef enum ca_xmr_kind {
	CA_XMR_COMMON,          /* no rule: common-cause variation */
	CA_XMR_IMPROVEMENT,
	CA_XMR_CONCERN,
	CA_XMR_NEUTRAL          /* special cause, but the measure has no direction */
} ca_xmr_kind;

/* What the chart says about one point. */
typedef struct ca_xmr_point {
	unsigned high;          /* rules (CA_XMR_OUTSIDE...) marking it on the high side */
	unsigned low;           /* and on the low side */
	ca_xmr_side side;       /* CA_XMR_SIDE_NONE exactly when common cause */
	ca_xmr_kind kind;
} ca_xmr_point;

/* The variation icon. */
typedef enum ca_xmr_variation {
	CA_XMR_VAR_NONE,        /* no chart: ca_xmr_compute failed */
	CA_XMR_VAR_COMMON,
	CA_XMR_VAR_IMPROVEMENT_HIGH,
	CA_XMR_VAR_IMPROVEMENT_LOW,
	CA_XMR_VAR_CONCERN_HIGH,
	CA_XMR_VAR_CONCERN_LOW,
	CA_XMR_VAR_NEUTRAL_HIGH,
	CA_XMR_VAR_NEUTRAL_LOW
} ca_xmr_variation;

/* The assurance icon. */
typedef enum ca_xmr_assurance {
	CA_XMR_ASSURE_NONE,     /* no target, no direction, or no chart */
	CA_XMR_ASSURE_PASS,     /* consistently pass */
	CA_XMR_ASSURE_FAIL,     /* consistently fail */
	CA_XMR_ASSURE_HIT_AND_MISS
} ca_xmr_assurance;

typedef struct ca_xmr {
	size_t n;               /* points charted */
	double mean;
	double mr;              /* mean moving range */
	double upper, lower;    /* process limits, mean +/- 2.66 mr */
	double upper_two_thirds, lower_two_thirds;  /* mean +/- (2/3) 2.66 mr */
	int few_points;         /* n < CA_XMR_FEW_POINTS: limits not yet stable */
	ca_xmr_variation variation;
	ca_xmr_assurance assurance;
} ca_xmr;

/* Making Data Count's advice: at least this many points for stable limits. */
#define CA_XMR_FEW_POINTS 15

/*
 * Chart x[0..n-1] (see the conventions above) for a measure whose better
 * direction is dir, against *target when target is not NULL.  Fills *out
 * and pts[0..n-1], which the caller provides.
 *
 * Returns 0, or CA_EX_DATAERR when n < 2 (no moving range), a value is
 * NaN or infinite, or the values are so large that the mean or moving
 * range overflows; CA_EX_USAGE when dir is not one of the three or the
 * target is not finite.  On failure *out has n 0, NaN statistics and the
 * NONE icons, and pts is left alone.
 */
int ca_xmr_compute(const double *x, size_t n, ca_xmr_direction dir, const double *target,
    ca_xmr *out, ca_xmr_point *pts, ca_err *err);

#endif
