/*
 * stats.h - the statistics behind sampling: the normal quantile and the
 * sample size needed to estimate a proportion within a margin.
 *
 * Later issues add Wilson intervals, kappa and control-chart limits here:
 * one room for every formula a board report relies on.
 */
#ifndef CASEAUDIT_STATS_H
#define CASEAUDIT_STATS_H

#include "error.h"

/* The standard normal quantile: x with P(Z <= x) = p, for 0 < p < 1,
 * accurate to about 1e-15 (Acklam's approximation refined by one Halley
 * step with erfc).  Two-sided z for confidence C is ca_normal_quantile(
 * 0.5 + C / 2): 1.959964 for 0.95.  Exactly antisymmetric: q(p) is
 * -q(1 - p) whenever 1 - p is exact.  p = 0 gives -HUGE_VAL, p = 1
 * HUGE_VAL, and any other p outside (0, 1), or NaN, gives NaN. */
double ca_normal_quantile(double p);

/* The sample size to estimate a proportion P within margin E at
 * confidence C, in a population of N (Cochran, with the finite-population
 * correction):
 *     n0 = z^2 P (1 - P) / E^2,   n = ceil(n0 / (1 + (n0 - 1) / N)),
 * never more than N, at least 1 when N >= 1 (and 0 when N is 0).  The
 * ceiling forgives floating-point noise: a computed value within 1e-9
 * (1e-13 relative for sizes past 10^4) above a whole number counts as
 * that number, so rounding never asks for one case more.  N = 400,
 * E = 0.05, C = 0.95, P = 0.5 gives 197.  Out-of-range arguments (N < 0,
 * E not in (0,1), C not in (0,1), P not in (0,1), NaN included) are 64,
 * checked in that order, with a message naming the argument as the user
 * typed it (--population, --margin, --confidence, --proportion); *n is
 * written only on success. */
int ca_sample_size(long N, double E, double C, double P, long *n, ca_err *err);

#endif
