/*
 * stats.h - the statistics an audit programme and its board reports rely
 * on: the normal quantile, the sample size needed to estimate a proportion
 * within a margin, the Wilson interval around a compliance rate, Cohen's
 * kappa for moderation, and funnel-plot limits for comparing partners.
 *
 * One room for every formula a board report relies on, each pure (no
 * database, no allocation) and documented here precisely enough to be
 * trusted without reading stats.c.  Control charts live in xmr.h.
 *
 * "z for confidence C" below always means the two-sided normal value
 * -ca_normal_quantile((1 - C) / 2): 1.959964 for 0.95, 3.090232 for 0.998.
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

/* The Wilson score interval for a proportion: x successes of n, at
 * confidence C (Wilson 1927; Newcombe 1998 method 3).  With z for C,
 *     centre = (x + z^2/2) / (n + z^2),
 *     half   = z sqrt(x (n - x) / n + z^2/4) / (n + z^2),
 *     lo = centre - half,  hi = centre + half,
 * computed in the equivalent form lo = x^2 / (n (x + z^2/2 + z sqrt(...)))
 * and hi = 1 - (the same for n - x), which has no cancellation: lo is
 * exactly 0 when x = 0, hi exactly 1 when x = n, and 0 <= lo <= x/n <=
 * hi <= 1 always.  18 of 24 at 0.95 gives 0.5510 to 0.8800.
 * Returns 0, or without an interval (both set to NaN; the caller
 * suppresses the rate): CA_EX_DATAERR when n <= 0 (no cases, nothing to
 * estimate) or x is outside 0..n, CA_EX_USAGE when C is not in (0, 1). */
int ca_wilson(long x, long n, double C, double *lo, double *hi);

/* The same for a fractional number of successes x of a fractional n, for
 * shares that are means of proportions or weighted (trends.h: the sum of
 * domain scores, or a weighted share times Kish's effective n).  Same
 * formula and guarantees; CA_EX_DATAERR when n is not above 0, x is
 * outside 0..n, or either is not finite.  ca_wilson is this function on
 * whole numbers. */
int ca_wilson_real(double x, double n, double C, double *lo, double *hi);

/* The most categories ca_kappa_compute accepts: grades have four or five,
 * and a fixed bound keeps the function free of allocation. */
#define CA_KAPPA_MAX_K 32

/* Agreement between two raters, from ca_kappa_compute. */
typedef struct ca_kappa {
	long n;        /* cases rated by both */
	double po;     /* observed agreement (weighted when weighted) */
	double pe;     /* agreement expected by chance, from the margins */
	double kappa;  /* (po - pe) / (1 - pe) */
	double se;     /* large-sample standard error, not assuming kappa = 0 */
	double lo, hi; /* kappa -/+ z se, kept within [-1, 1] */
} ca_kappa;

/*
 * Cohen's kappa for two raters over k ordered categories, from a k x k
 * table of counts in row-major order: table[i * k + j] is the number of
 * cases rater A (the auditor) put in category i and rater B (the
 * moderator) in category j.  With n the total, p_ij = table / n, and
 * margins p_i. (A's share in i) and p_.j (B's share in j):
 *
 *   weights  w_ij = 1 if i = j else 0 (weighted = 0, Cohen 1960), or
 *            w_ij = 1 - |i - j| / (k - 1) (weighted != 0, linear weights,
 *            Cohen 1968; SAS's default Cicchetti-Allison weights);
 *   po = sum w_ij p_ij,  pe = sum w_ij p_i. p_.j,
 *   kappa = (po - pe) / (1 - pe);
 *   se = sqrt((sum p_ij [w_ij (1 - pe) - (wr_i + wc_j)(1 - po)]^2
 *              - (po pe - 2 pe + po)^2) / (n (1 - pe)^4)),
 *        where wr_i = sum_j p_.j w_ij and wc_j = sum_i p_i. w_ij
 *        (Fleiss, Cohen and Everitt 1969: the standard error for an
 *        interval, not the one under kappa = 0 used for tests; the
 *        numerator is the variance of the bracket over the cells, and is
 *        computed as one, so it is never negative);
 *   lo, hi = kappa -/+ z se for confidence C, clipped to [-1, 1] (kappa
 *        never leaves that range, so a bound outside it says nothing;
 *        clipping never moves a bound past kappa itself).
 *
 * Weighted kappa with k = 2 is the same as unweighted.  Perfect agreement
 * gives kappa 1 with se 0 and the interval [1, 1]: the large-sample
 * formula has nothing to say there, so with few cases say so in words.
 * When one rater used a single category, po = pe and kappa is 0 with se
 * 0: whatever the other rater did, agreement was what chance gives.
 *
 * Returns 0 with *out filled.  When both raters put every case in one
 * and the same category pe is 1 and kappa is undefined: 0 is still
 * returned, with n, po and pe filled and kappa, se, lo and hi NaN (the
 * report says agreement cannot be measured).  Failures, with every
 * statistic in *out NaN and n 0: CA_EX_USAGE when k is not in
 * 2..CA_KAPPA_MAX_K or C is not in (0, 1); CA_EX_DATAERR when a count is
 * negative, the counts overflow a long, or n is 0 (no moderated cases).
 */
int ca_kappa_compute(const long *table, int k, int weighted, double C, ca_kappa *out,
    ca_err *err);

/* Funnel-plot limits for a proportion: where a unit of n cases would fall
 * by chance alone if its true rate were the overall rate p0, at
 * confidence C (two-sided: 0.95 and 0.998 are the usual pair).  The
 * normal approximation (Spiegelhalter 2005, the textbook form):
 *     p0 -/+ z sqrt(p0 (1 - p0) / n),  clipped to [0, 1].
 * p0 = 0.75, n = 24 gives 0.5768 to 0.9232 at 0.95 and 0.4769 to 1 at
 * 0.998.  The approximation is poor for small n or p0 near 0 or 1 (the
 * exact binomial limits are not symmetric there); the clipping at least
 * keeps the limits possible.  Returns 0, or with both limits NaN:
 * CA_EX_DATAERR when n <= 0 or p0 is not in [0, 1], CA_EX_USAGE when C is
 * not in (0, 1). */
int ca_funnel_limits(double p0, long n, double C, double *lo, double *hi);

/* The same for a fractional n: a weighted sample's effective number of
 * audits (Kish's n_eff, trends.h), and the points along a funnel's
 * curves.  CA_EX_DATAERR also when n is not finite. */
int ca_funnel_limits_real(double p0, double n, double C, double *lo, double *hi);

#endif
