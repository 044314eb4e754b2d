/*
 * stats.c - the normal quantile and Cochran's sample size; see stats.h.
 *
 * Written from the published descriptions: Acklam's rational
 * approximation to the inverse normal (relative error below 1.15e-9) and
 * Cochran, Sampling Techniques (1977), section 4.4.  What a board is told
 * ("197 cases give +/-5% at 95% confidence") must match what a statistician
 * works out by hand, so the rounding decisions are spelt out below.
 */
#include "stats.h"

#include <math.h>

/* Acklam's coefficients: the central region, then the tails. */
static const double qa[6] = {
	-3.969683028665376e+01, 2.209460984245205e+02,
	-2.759285104469687e+02, 1.383577518672690e+02,
	-3.066479806614716e+01, 2.506628277459239e+00
};
static const double qb[5] = {
	-5.447609879822406e+01, 1.615858368580409e+02,
	-1.556989798598866e+02, 6.680131188771972e+01,
	-1.328068155288572e+01
};
static const double qc[6] = {
	-7.784894002430293e-03, -3.223964580411365e-01,
	-2.400758277161838e+00, -2.549732539343734e+00,
	4.374664141464968e+00, 2.938163982698783e+00
};
static const double qd[4] = {
	7.784695709041462e-03, 3.224671290700398e-01,
	2.445134137142996e+00, 3.754408661907416e+00
};

/* Where Acklam switches from the central formula to the tail one. */
#define QUANTILE_TAIL 0.02425

/* sqrt(2) and sqrt(2 pi), for the normal distribution and density. */
#define SQRT_2   1.41421356237309504880
#define SQRT_2PI 2.50662827463100050242

/*
 * The quantile for 0 < p <= 0.5 only.  The upper half is answered by
 * symmetry (see ca_normal_quantile) because 1 - p is exact there, while
 * P(Z <= x) - p near p = 1 would cancel away every useful digit: working
 * in the lower tail keeps the refinement step accurate to the last bit.
 */
static double
lower_quantile(double p)
{
	double x, e, u;

	if (p < QUANTILE_TAIL) {
		double q = sqrt(-2.0 * log(p));

		x = (((((qc[0] * q + qc[1]) * q + qc[2]) * q + qc[3]) * q + qc[4]) * q + qc[5]) /
		    ((((qd[0] * q + qd[1]) * q + qd[2]) * q + qd[3]) * q + 1.0);
	} else {
		double q = p - 0.5, r = q * q;

		x = (((((qa[0] * r + qa[1]) * r + qa[2]) * r + qa[3]) * r + qa[4]) * r + qa[5]) * q /
		    (((((qb[0] * r + qb[1]) * r + qb[2]) * r + qb[3]) * r + qb[4]) * r + 1.0);
	}

	/*
	 * One Halley step on F(x) - p = 0.  Acklam's 1e-9 is far too coarse
	 * for a z that is printed in reports and compared across machines;
	 * Halley's cubic convergence takes it to about 1e-15.  The residual
	 * F(x) - p is where the digits are lost, so it is formed two ways:
	 * near the middle as erf(x / sqrt 2) / 2 - (p - 0.5), both small and
	 * p - 0.5 exact for p >= 0.25 (through erfc, F(x) - p would cancel
	 * to a 1e-11 relative error in x when x is near 0); in the tail
	 * through erfc of a positive argument (x <= 0 here), which keeps full
	 * relative precision however small p is.  For p below about 1e-308
	 * the density underflows and u is not finite: keep the approximation
	 * there.
	 */
	if (p >= 0.25)
		e = 0.5 * erf(x / SQRT_2) - (p - 0.5);
	else
		e = 0.5 * erfc(-x / SQRT_2) - p;
	u = e * SQRT_2PI * exp(x * x / 2.0);
	if (isfinite(u))
		x -= u / (1.0 + x * u / 2.0);
	return x;
}

double
ca_normal_quantile(double p)
{
	if (isnan(p) || p < 0.0 || p > 1.0)
		return NAN;
	if (p == 0.0)
		return -HUGE_VAL;
	if (p == 1.0)
		return HUGE_VAL;
	/* 1 - p is exact for p >= 0.5, so this is exactly antisymmetric. */
	if (p > 0.5)
		return -lower_quantile(1.0 - p);
	return lower_quantile(p);
}

/*
 * How far above a whole number a computed size may be and still count as
 * that number.  The formula is irrational in general, but it is exactly
 * whole in some cases (N = 1 gives exactly 1), and z, z^2, the divisions
 * and the correction each round: a true k can come out as k + 3e-14, and
 * a bare ceil would then ask for k + 1 cases.  The arithmetic is good to
 * about 1e-14 relative, so anything within 1e-9 above a whole number
 * (1e-13 relative once sizes pass 10^4) is taken to be it.  The price is
 * that a true size of k + 1e-10 is reported as k: a 1e-10 share of one
 * case, far inside the precision of the P the user guessed.
 */
static double
ceil_guarded(double x)
{
	return ceil(x - (1e-9 + 1e-13 * x));
}

int
ca_sample_size(long N, double E, double C, double P, long *n, ca_err *err)
{
	double z, n0, x;

	/* Negated comparisons so that a NaN is refused too. */
	if (N < 0)
		return ca_err_set(err, CA_EX_USAGE,
		    "--population must be 0 or more, not %ld", N);
	if (!(E > 0.0 && E < 1.0))
		return ca_err_set(err, CA_EX_USAGE,
		    "--margin must be between 0 and 1 (exclusive), e.g. 0.05");
	if (!(C > 0.0 && C < 1.0))
		return ca_err_set(err, CA_EX_USAGE,
		    "--confidence must be between 0 and 1 (exclusive), e.g. 0.95");
	if (!(P > 0.0 && P < 1.0))
		return ca_err_set(err, CA_EX_USAGE,
		    "--proportion must be between 0 and 1 (exclusive), e.g. 0.5");

	if (N == 0) {
		*n = 0;
		return 0;
	}
	/*
	 * Any positive size rounds up to at least one case, and never more
	 * than N: with N = 1 that settles it, and it spares the correction's
	 * 0/0 when n0 is 0 (C so small that z rounds to 0).
	 */
	if (N == 1) {
		*n = 1;
		return 0;
	}

	/*
	 * z from the lower tail: (1 - C) / 2 is exact for C >= 0.5, whereas
	 * 0.5 + C / 2 rounds to 1 (z infinite) for C within 1e-16 of 1.
	 */
	z = -ca_normal_quantile((1.0 - C) / 2.0);
	/* (z / E)^2 rather than z^2 / E^2: E^2 underflows for E below 1e-154. */
	n0 = (z / E) * (z / E) * P * (1.0 - P);
	if (isinf(n0)) {
		*n = N;
		return 0;
	}
	/* N >= 2 here, so the denominator is at least 1/2. */
	x = n0 / (1.0 + (n0 - 1.0) / (double)N);
	/* Comparing as doubles first keeps the conversion to long defined. */
	if (x >= (double)N) {
		*n = N;
		return 0;
	}
	x = ceil_guarded(x);
	*n = x < 1.0 ? 1 : x > (double)N ? N : (long)x;
	return 0;
}
