/*
 * stats.c - the normal quantile, Cochran's sample size, Wilson intervals,
 * Cohen's kappa and funnel limits; see stats.h.
 *
 * Written from the published descriptions: Acklam's rational
 * approximation to the inverse normal (relative error below 1.15e-9);
 * Cochran, Sampling Techniques (1977), section 4.4; Newcombe, Stat Med
 * 1998 17:857 (Wilson's interval); Fleiss, Cohen and Everitt, Psychol
 * Bull 1969 72:323 (kappa's standard error); Spiegelhalter, Stat Med 2005
 * 24:1185 (funnel plots).  What a board is told ("197 cases give +/-5% at
 * 95% confidence") must match what a statistician works out by hand, so
 * the rounding decisions are spelt out below.
 */
#include "stats.h"

#include <limits.h>
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
 * Two-sided z for confidence C, from the lower tail: (1 - C) / 2 is exact
 * for C >= 0.5, whereas 0.5 + C / 2 rounds to 1 (z infinite) for C within
 * 1e-16 of 1.  C must be in (0, 1).
 */
static double
z_two_sided(double C)
{
	return -ca_normal_quantile((1.0 - C) / 2.0);
}

/* Negated so that a NaN is refused too. */
static int
confidence_ok(double C)
{
	return C > 0.0 && C < 1.0;
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
	if (!confidence_ok(C))
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

	z = z_two_sided(C);
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

int
ca_wilson(long x, long n, double C, double *lo, double *hi)
{
	*lo = *hi = NAN;
	if (!confidence_ok(C))
		return CA_EX_USAGE;
	if (n <= 0 || x < 0 || x > n)
		return CA_EX_DATAERR;
	return ca_wilson_real((double)x, (double)n, C, lo, hi);
}

int
ca_wilson_real(double x, double n, double C, double *lo, double *hi)
{
	double z, z2, dy, root;

	*lo = *hi = NAN;
	if (!confidence_ok(C))
		return CA_EX_USAGE;
	if (!isfinite(x) || !isfinite(n) || !(n > 0) || !(x >= 0) || !(x <= n))
		return CA_EX_DATAERR;

	z = z_two_sided(C);
	z2 = z * z;
	dy = n - x;
	/* x * dy rather than x * (dy / n): the same bits for x and n - x,
	 * so hi for n - x is exactly 1 - lo for x. */
	root = z * sqrt(x * dy / n + z2 / 4.0);
	/*
	 * centre - half loses digits to cancellation when x is small, and
	 * need not come out as exactly 0 at x = 0.  Multiplying by
	 * (centre + half) / (centre + half) gives x^2 / (n (x + z^2/2 + root)),
	 * which is 0 at x = 0 and accurate everywhere; the upper bound is the
	 * same formula for the failures, n - x, subtracted from 1.  The ends
	 * are set outright, so a z that underflows to 0 (C near 0) cannot
	 * make 0 / 0 of them.
	 */
	*lo = x == 0 ? 0.0 : x * x / (n * (x + z2 / 2.0 + root));
	*hi = x == n ? 1.0 : 1.0 - dy * dy / (n * (dy + z2 / 2.0 + root));
	return 0;
}

/* The agreement credited when A says i and B says j, of k categories. */
static double
kappa_weight(int weighted, int i, int j, int k)
{
	if (!weighted)
		return i == j ? 1.0 : 0.0;
	return 1.0 - (double)(i > j ? i - j : j - i) / (double)(k - 1);
}

static void
kappa_clear(ca_kappa *out)
{
	out->n = 0;
	out->po = out->pe = out->kappa = out->se = out->lo = out->hi = NAN;
}

/* The total of a table of counts into *n; refused when a count is
 * negative or the total overflows. */
static int
kappa_total(const long *table, int k, long *n, ca_err *err)
{
	*n = 0;
	for (int c = 0; c < k * k; c++) {
		if (table[c] < 0)
			return ca_err_set(err, CA_EX_DATAERR, "kappa: a count is negative (%ld)",
			    table[c]);
		if (table[c] > LONG_MAX - *n)
			return ca_err_set(err, CA_EX_DATAERR,
			    "kappa: the counts add up to more than %ld", LONG_MAX);
		*n += table[c];
	}
	return 0;
}

/*
 * Fleiss, Cohen and Everitt's large-sample variance of kappa, given po
 * and pe (pe < 1) and the margins.  The same formula serves both kappas:
 * with w the identity it is the unweighted one.
 *
 * Their numerator, sum p_ij d_ij^2 - (po pe - 2 pe + po)^2 with d_ij =
 * w_ij (1 - pe) - (wr_i + wc_j)(1 - po), is the variance of d over the
 * cells, since sum p_ij d_ij is exactly po pe - 2 pe + po.  Computed as
 * that difference it cancels badly where the variance is 0 (one rater
 * using a single category gives kappa 0 whatever happens, and the
 * difference came out as 1e-14, a standard error of 1e-7); computed as
 * sum p_ij (d_ij - mean d)^2 it cannot go negative and stays accurate.
 */
static double
kappa_variance(const long *table, int k, int weighted, long n, const double *row,
    const double *col, double po, double pe)
{
	double wr[CA_KAPPA_MAX_K], wc[CA_KAPPA_MAX_K];
	double mean = 0.0, sum = 0.0, q = 1.0 - pe;

	/*
	 * At perfect agreement every d is 1 - pe and the variance is exactly
	 * 0; computed, it could be rounding noise that puts a false width of
	 * 1e-16 on the interval.
	 */
	if (po == 1.0)
		return 0.0;
	for (int i = 0; i < k; i++) {
		wr[i] = wc[i] = 0.0;
		for (int j = 0; j < k; j++) {
			wr[i] += col[j] * kappa_weight(weighted, i, j, k);
			wc[i] += row[j] * kappa_weight(weighted, j, i, k);
		}
	}
	for (int pass = 0; pass < 2; pass++)
		for (int i = 0; i < k; i++)
			for (int j = 0; j < k; j++) {
				double p = (double)table[i * k + j] / (double)n;
				double d = kappa_weight(weighted, i, j, k) * q -
				    (wr[i] + wc[j]) * (1.0 - po);

				if (pass == 0)
					mean += p * d;
				else
					sum += p * (d - mean) * (d - mean);
			}
	/* (1 - pe)^4 n, never 0: pe < 1 here. */
	return sum / (q * q * q * q * (double)n);
}

int
ca_kappa_compute(const long *table, int k, int weighted, double C, ca_kappa *out,
    ca_err *err)
{
	double row[CA_KAPPA_MAX_K], col[CA_KAPPA_MAX_K];
	double agreed = 0.0, po, pe = 0.0, var, half;
	long n;
	int rc;

	kappa_clear(out);
	if (k < 2 || k > CA_KAPPA_MAX_K)
		return ca_err_set(err, CA_EX_USAGE, "kappa needs 2 to %d categories, not %d",
		    CA_KAPPA_MAX_K, k);
	if (!confidence_ok(C))
		return ca_err_set(err, CA_EX_USAGE,
		    "confidence must be between 0 and 1 (exclusive), e.g. 0.95");
	if ((rc = kappa_total(table, k, &n, err)) != 0)
		return rc;
	if (n == 0)
		return ca_err_set(err, CA_EX_DATAERR, "kappa: no cases were rated by both");

	/*
	 * Margins and agreement from whole counts, divided once: perfect
	 * agreement then gives po exactly 1 and kappa exactly 1, which summing
	 * rounded shares would not promise.
	 */
	for (int i = 0; i < k; i++) {
		long r = 0, c = 0;

		for (int j = 0; j < k; j++) {
			r += table[i * k + j];
			c += table[j * k + i];
			agreed += kappa_weight(weighted, i, j, k) * (double)table[i * k + j];
		}
		row[i] = (double)r / (double)n;
		col[i] = (double)c / (double)n;
	}
	po = agreed / (double)n;
	for (int i = 0; i < k; i++)
		for (int j = 0; j < k; j++)
			pe += kappa_weight(weighted, i, j, k) * row[i] * col[j];
	out->n = n;
	out->po = po;
	out->pe = pe;

	/*
	 * pe is 1 exactly when every case sits in one diagonal cell: both
	 * raters used one category only, and agreement beyond chance is 0 / 0.
	 * The second test catches totals so large (above 2^53) that pe rounds
	 * to 1 when it is not; kappa means nothing at that precision either.
	 */
	for (int i = 0; i < k; i++)
		if (table[i * k + i] == n)
			return 0;
	if (!(pe < 1.0))
		return 0;

	out->kappa = (po - pe) / (1.0 - pe);
	var = kappa_variance(table, k, weighted, n, row, col, po, pe);
	out->se = sqrt(var);
	half = z_two_sided(C) * out->se;
	out->lo = fmax(out->kappa - half, fmin(-1.0, out->kappa));
	out->hi = fmin(out->kappa + half, fmax(1.0, out->kappa));
	return 0;
}

int
ca_funnel_limits(double p0, long n, double C, double *lo, double *hi)
{
	return ca_funnel_limits_real(p0, (double)n, C, lo, hi);
}

int
ca_funnel_limits_real(double p0, double n, double C, double *lo, double *hi)
{
	double half;

	*lo = *hi = NAN;
	if (!confidence_ok(C))
		return CA_EX_USAGE;
	if (!(n > 0 && isfinite(n)) || !(p0 >= 0.0 && p0 <= 1.0))
		return CA_EX_DATAERR;
	half = z_two_sided(C) * sqrt(p0 * (1.0 - p0) / n);
	*lo = fmax(0.0, p0 - half);
	*hi = fmin(1.0, p0 + half);
	return 0;
}
