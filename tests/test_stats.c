/*
 * test_stats.c - the normal quantile against published values, and the
 * sample size against a plain computation of Cochran's formula done a
 * different way (long double, z found by bisection on erf), over a grid
 * wide enough to cover every plan a council would set up.  Wilson
 * intervals against Newcombe's published table, kappa against a published
 * SAS printout and against its standard error found another way (the
 * delta method by numerical differentiation), funnel limits by hand.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <float.h>
#include <limits.h>
#include <math.h>
#include <string.h>

#include "rng.h"
#include "stats.h"

#define NITEMS(a) (sizeof(a) / sizeof((a)[0]))

/* |x - want| within rel relative to want (absolute near 0). */
static int
close_to(double x, double want, double rel)
{
	return fabs(x - want) <= rel * fmax(1.0, fabs(want));
}

/*
 * The first four are the values every statistics text prints (and the
 * brief quotes); the rest were worked out to 50 digits with mpmath for the
 * double nearest each p.  1e-15 relative is about four ulps.
 */
static void
quantile_known_values(void **state)
{
	static const struct {
		double p, x;
	} known[] = {
		{ 0.975, 1.959963984540054 },
		{ 0.95, 1.6448536269514722 },
		{ 0.995, 2.5758293035489004 },
		{ 0.9, 1.2815515655446004 },
		{ 0.999, 3.090232306167813 },
		{ 0.6, 0.2533471031357997 },
		/* Near the middle x is tiny; relative accuracy must hold. */
		{ 0.5000001, 2.506628273311648e-07 },
		{ 0.49, -0.025068908258711057 },
		{ 0.3, -0.5244005127080408 },
		{ 0.25, -0.6744897501960817 },
		{ 0.01, -2.326347874040841 },
		{ 1e-10, -6.361340902404057 },
		{ 1e-20, -9.262340089798407 },
		{ 1e-100, -21.273453560965326 },
		{ 1e-300, -37.0470962993612 },
	};

	(void)state;
	for (size_t i = 0; i < NITEMS(known); i++) {
		double x = ca_normal_quantile(known[i].p);

		if (fabs(x - known[i].x) > 1e-15 * fabs(known[i].x))
			fail_msg("quantile(%.17g) = %.17g, want %.17g", known[i].p, x, known[i].x);
	}
	assert_true(ca_normal_quantile(0.5) == 0.0);
}

/* Exactly antisymmetric wherever 1 - p is exact (p >= 0.5), including the
 * far tails where the upper half is all rounding. */
static void
quantile_symmetry(void **state)
{
	ca_rng r;

	(void)state;
	ca_rng_seed(&r, 1);
	for (int i = 0; i < 10000; i++) {
		double p = 0.5 + ca_rng_unit(&r) / 2.0;

		if (p == 1.0)
			continue;
		assert_true(ca_normal_quantile(p) == -ca_normal_quantile(1.0 - p));
	}
	for (double q = 0.25; q > 1e-17; q /= 3.0) {
		double p = 1.0 - q;

		/* 1 - q rounds for most q; compare with the q that p means. */
		assert_true(ca_normal_quantile(p) == -ca_normal_quantile(1.0 - p));
	}
}

/* Monotone, finite and sensible across the whole open interval, including
 * values as small as a double allows. */
static void
quantile_tails_and_edges(void **state)
{
	double prev = -HUGE_VAL;

	(void)state;
	/* The tail: F(x) = p to full relative precision. */
	for (double p = 1e-300; p < 0.5; p *= 7.3) {
		double x = ca_normal_quantile(p);
		double back = 0.5 * erfc(-x / sqrt(2.0));

		assert_true(isfinite(x) && x < 0.0);
		assert_true(x > prev);
		prev = x;
		/* x to 1e-15 moves F by about x^2 1e-15 relative out here. */
		if (fabs(back - p) > 1e-15 * (1.0 + x * x) * p)
			fail_msg("F(quantile(%g)) = %.17g", p, back);
	}
	assert_true(isfinite(ca_normal_quantile(DBL_MIN)));
	assert_true(isfinite(ca_normal_quantile(DBL_TRUE_MIN)));
	assert_true(ca_normal_quantile(DBL_TRUE_MIN) < -38.0);
	assert_true(isfinite(ca_normal_quantile(nextafter(1.0, 0.0))));
	assert_true(close_to(ca_normal_quantile(nextafter(1.0, 0.0)), 8.209536151601387, 1e-15));
	/* Outside (0, 1): the limits, or not a number. */
	assert_true(ca_normal_quantile(0.0) == -HUGE_VAL);
	assert_true(ca_normal_quantile(1.0) == HUGE_VAL);
	assert_true(isnan(ca_normal_quantile(-0.1)));
	assert_true(isnan(ca_normal_quantile(1.5)));
	assert_true(isnan(ca_normal_quantile(NAN)));
}

/* ---- Sample size ------------------------------------------------------- */

/* z with P(|Z| <= z) = C, by bisection on erf in long double: nothing in
 * common with Acklam's approximation. */
static long double
z_by_bisection(double C)
{
	long double lo = 0.0L, hi = 40.0L;

	for (int i = 0; i < 200; i++) {
		long double mid = (lo + hi) / 2.0L;

		if (erfl(mid / sqrtl(2.0L)) < (long double)C)
			lo = mid;
		else
			hi = mid;
	}
	return (lo + hi) / 2.0L;
}

/*
 * Cochran's formula as a person would type it.  Where the exact value is
 * within 1e-6 of a whole number k, rounding in either computation may put
 * it either side, so k and k + 1 are both accepted (ca_sample_size's guard
 * says k); elsewhere the answer must be exactly the ceiling.
 */
static void
expect_size(long N, double E, double C, double P, long double z, long got, int *near)
{
	long double n0 = z * z * P * (1.0L - P) / ((long double)E * E);
	long double x = n0 / (1.0L + (n0 - 1.0L) / N);
	long double k = roundl(x);
	long lo, hi;

	if (fabsl(x - k) < 1e-6L) {
		lo = (long)k;
		hi = (long)k + 1;
		/* N = 1 is always exactly 1: not the rare case counted. */
		if (N > 1) {
			(*near)++;
			print_message("near a whole number: N=%ld E=%g C=%g P=%g: %.12Lf\n", N, E, C, P, x);
		}
	} else {
		lo = hi = (long)ceill(x);
	}
	if (lo > N)
		lo = N;
	if (hi > N)
		hi = N;
	if (lo < 1)
		lo = 1;
	if (got < lo || got > hi)
		fail_msg("N=%ld E=%g C=%g P=%g: got %ld, want %ld (exact %.12Lf)", N, E, C, P,
		    got, lo, x);
}

static void
size_grid(void **state)
{
	static const long Ns[] = { 1, 2, 3, 7, 10, 25, 50, 100, 250, 400, 1000, 2500,
		10000, 12345, 100000, 1000000 };
	static const double Es[] = { 0.01, 0.02, 0.025, 0.03, 0.05, 0.075, 0.1, 0.15, 0.2 };
	static const double Cs[] = { 0.8, 0.85, 0.9, 0.95, 0.98, 0.99 };
	static const double Ps[] = { 0.05, 0.1, 0.2, 0.3, 0.5, 0.6, 0.75, 0.9 };
	int near = 0, cases = 0;

	(void)state;
	for (size_t c = 0; c < NITEMS(Cs); c++) {
		long double z = z_by_bisection(Cs[c]);

		for (size_t i = 0; i < NITEMS(Ns); i++)
			for (size_t e = 0; e < NITEMS(Es); e++)
				for (size_t p = 0; p < NITEMS(Ps); p++) {
					long n = -1;

					assert_int_equal(ca_sample_size(Ns[i], Es[e], Cs[c],
					    Ps[p], &n, NULL), 0);
					expect_size(Ns[i], Es[e], Cs[c], Ps[p], z, n, &near);
					cases++;
				}
	}
	assert_int_equal(cases, 6912);
	/* Being within 1e-6 of a whole number should be rare. */
	assert_true(near < 10);
}

/* Random plans: anything a user could type in the documented ranges, and
 * the size never shrinks as N grows or as the margin narrows. */
static void
size_random_and_monotone(void **state)
{
	ca_rng r;
	int near = 0;

	(void)state;
	ca_rng_seed(&r, 4);
	for (int i = 0; i < 3000; i++) {
		long N = (long)exp(ca_rng_unit(&r) * log(1e6)), n = -1, more = -1, finer = -1;
		double E = 0.01 + 0.19 * ca_rng_unit(&r);
		double C = 0.8 + 0.19 * ca_rng_unit(&r);
		double P = 0.01 + 0.98 * ca_rng_unit(&r);

		assert_int_equal(ca_sample_size(N, E, C, P, &n, NULL), 0);
		expect_size(N, E, C, P, z_by_bisection(C), n, &near);
		assert_int_equal(ca_sample_size(N + 1 + N / 10, E, C, P, &more, NULL), 0);
		assert_true(more >= n);
		assert_int_equal(ca_sample_size(N, E * 0.9, C, P, &finer, NULL), 0);
		assert_true(finer >= n);
	}
	assert_true(near < 10);
}

static long
size_of(long N, double E, double C, double P)
{
	long n = -1;
	ca_err err = { 0 };

	assert_int_equal(ca_sample_size(N, E, C, P, &n, &err), 0);
	return n;
}

/* Values a person can check with a calculator or a published table. */
static void
size_hand_checked(void **state)
{
	(void)state;
	assert_int_equal(size_of(400, 0.05, 0.95, 0.5), 197);  /* DOMAIN.md */
	assert_int_equal(size_of(100, 0.05, 0.95, 0.5), 80);
	assert_int_equal(size_of(1000, 0.05, 0.95, 0.5), 278);
	assert_int_equal(size_of(0, 0.05, 0.95, 0.5), 0);
	assert_int_equal(size_of(1, 0.05, 0.95, 0.5), 1);
	assert_int_equal(size_of(2, 0.05, 0.95, 0.5), 2);
	assert_int_equal(size_of(10, 0.05, 0.95, 0.5), 10);
	/* Huge populations approach n0: 384.15 rounds up to 385. */
	assert_int_equal(size_of(1000000000L, 0.05, 0.95, 0.5), 385);
	assert_int_equal(size_of(LONG_MAX, 0.05, 0.95, 0.5), 385);
	assert_int_equal(size_of(LONG_MAX, 0.03, 0.95, 0.5), 1068);
	assert_int_equal(size_of(LONG_MAX, 0.1, 0.9, 0.5), 68);
	/* A smaller or larger P(1 - P) asks for fewer. */
	assert_int_equal(size_of(LONG_MAX, 0.05, 0.95, 0.1), 139);
	/* A margin so fine that n0 overflows: everybody. */
	assert_int_equal(size_of(5000, 1e-200, 0.95, 0.5), 5000);
	/* ... or merely enormous, against the largest population. */
	assert_true(size_of(LONG_MAX, 1e-10, 0.95, 0.5) > 1000000000000000000L);
	/* Confidence a hair below 1 (z about 8.3) or a hair above 0 (z
	 * rounds to 0): still a sample, never more than N nor fewer than 1.
	 * 6830 is 6829.37 rounded up, worked out to 50 digits. */
	assert_int_equal(size_of(1000000, 0.05, nextafter(1.0, 0.0), 0.5), 6830);
	assert_int_equal(size_of(1000000, 0.05, 1e-20, 0.5), 1);
	assert_int_equal(size_of(1000000, 0.99, 0.5, 1e-12), 1);
}

/*
 * A margin chosen so that n0 is 21 exactly in real numbers; with N = 400
 * the corrected size is then exactly 21 * 400 / 420 = 20.  In doubles it
 * comes out as 20.000000000000007, and a bare ceil would ask for 21.
 */
static void
size_whole_numbers_stay_whole(void **state)
{
	double z = -ca_normal_quantile((1.0 - 0.95) / 2.0);

	(void)state;
	assert_int_equal(size_of(400, z * sqrt(0.25 / 21.0), 0.95, 0.5), 20);
	z = -ca_normal_quantile((1.0 - 0.83) / 2.0);
	assert_int_equal(size_of(400, z * sqrt(0.25 / 21.0), 0.83, 0.5), 20);
	/* n0 = 1 exactly: one case, whatever N. */
	z = -ca_normal_quantile((1.0 - 0.9) / 2.0);
	assert_int_equal(size_of(1000, z * 0.5, 0.9, 0.5), 1);
}

/* Every bad argument is a usage error naming the option as typed, and
 * leaves *n alone. */
static void
size_refuses_bad_arguments(void **state)
{
	static const struct {
		long N;
		double E, C, P;
		const char *option;
	} bad[] = {
		{ -1, 0.05, 0.95, 0.5, "--population" },
		{ LONG_MIN, 0.05, 0.95, 0.5, "--population" },
		{ 400, 0.0, 0.95, 0.5, "--margin" },
		{ 400, 1.0, 0.95, 0.5, "--margin" },
		{ 400, -0.05, 0.95, 0.5, "--margin" },
		{ 400, 5.0, 0.95, 0.5, "--margin" },
		{ 400, NAN, 0.95, 0.5, "--margin" },
		{ 400, INFINITY, 0.95, 0.5, "--margin" },
		{ 400, 0.05, 0.0, 0.5, "--confidence" },
		{ 400, 0.05, 1.0, 0.5, "--confidence" },
		{ 400, 0.05, 95.0, 0.5, "--confidence" },
		{ 400, 0.05, -0.95, 0.5, "--confidence" },
		{ 400, 0.05, NAN, 0.5, "--confidence" },
		{ 400, 0.05, 0.95, 0.0, "--proportion" },
		{ 400, 0.05, 0.95, 1.0, "--proportion" },
		{ 400, 0.05, 0.95, -INFINITY, "--proportion" },
		{ 400, 0.05, 0.95, NAN, "--proportion" },
		/* Population 0 does not excuse a bad option. */
		{ 0, 0.0, 0.95, 0.5, "--margin" },
	};

	(void)state;
	for (size_t i = 0; i < NITEMS(bad); i++) {
		ca_err err = { 0 };
		long n = 12345;

		assert_int_equal(ca_sample_size(bad[i].N, bad[i].E, bad[i].C, bad[i].P, &n,
		    &err), 64);
		assert_int_equal(err.code, 64);
		assert_int_equal(n, 12345);
		if (strncmp(err.msg, bad[i].option, strlen(bad[i].option)) != 0)
			fail_msg("case %zu: message \"%s\" does not name %s", i, err.msg,
			    bad[i].option);
	}
	/* A NULL error struct is allowed: the code alone comes back. */
	assert_int_equal(ca_sample_size(400, 0.05, 0.95, 2.0, &(long){ 0 }, NULL), 64);
}

/* ---- Wilson interval -------------------------------------------------- */

/* x printed to `places` decimals is want. */
static int
prints_as(double x, double want, int places)
{
	return fabs(x - want) <= 0.5 * pow(10.0, -places) + 1e-12;
}

static void
expect_wilson(long x, long n, double lo_want, double hi_want)
{
	double lo, hi;

	assert_int_equal(ca_wilson(x, n, 0.95, &lo, &hi), 0);
	if (!prints_as(lo, lo_want, 4) || !prints_as(hi, hi_want, 4))
		fail_msg("%ld/%ld: %.6f to %.6f, want %.4f to %.4f", x, n, lo, hi, lo_want,
		    hi_want);
}

/*
 * Newcombe RG, Two-sided confidence intervals for the single proportion:
 * comparison of seven methods, Stat Med 1998 17:857-872, Table I, method
 * 3 (Wilson score without continuity correction), and DOMAIN.md's 18 of
 * 24 (checked by hand: centre (18 + 1.92) / 27.84 = 0.7155, half-width
 * 1.96 sqrt(4.5 + 0.96) / 27.84 = 0.1645).
 */
static void
wilson_published(void **state)
{
	(void)state;
	expect_wilson(81, 263, 0.2553, 0.3662);
	expect_wilson(15, 148, 0.0624, 0.1605);
	expect_wilson(0, 20, 0.0000, 0.1611);
	expect_wilson(1, 29, 0.0061, 0.1718);
	expect_wilson(18, 24, 0.5510, 0.8800);
}

/* The textbook form, centre -/+ half, in long double: what stats.c
 * rearranges to avoid cancellation must agree with it. */
static void
wilson_textbook(long x, long n, long double z, long double *lo, long double *hi)
{
	long double centre = (x + z * z / 2) / (n + z * z);
	long double half = z * sqrtl((long double)x * (n - x) / n + z * z / 4) / (n + z * z);

	*lo = centre - half;
	*hi = centre + half;
}

/* Exact at the ends, inside [0, 1] and around x/n everywhere, symmetric,
 * and the same as the textbook formula. */
static void
wilson_range_and_symmetry(void **state)
{
	static const double Cs[] = { 0.8, 0.9, 0.95, 0.99, 0.998 };

	(void)state;
	for (size_t c = 0; c < NITEMS(Cs); c++) {
		long double z = z_by_bisection(Cs[c]);

		for (long n = 1; n <= 300; n += (n < 40 ? 1 : 13))
			for (long x = 0; x <= n; x++) {
				double lo, hi, mlo, mhi;
				long double tlo, thi;

				assert_int_equal(ca_wilson(x, n, Cs[c], &lo, &hi), 0);
				assert_true(0.0 <= lo && lo <= (double)x / n);
				assert_true((double)x / n <= hi && hi <= 1.0);
				assert_true((x == 0) == (lo == 0.0));
				assert_true((x == n) == (hi == 1.0));
				assert_int_equal(ca_wilson(n - x, n, Cs[c], &mlo, &mhi), 0);
				/* hi is formed as 1 - (lo's formula for n - x). */
				assert_true(mhi == 1.0 - lo);
				assert_true(fabs(mlo - (1.0 - hi)) <= DBL_EPSILON);
				wilson_textbook(x, n, z, &tlo, &thi);
				if (fabsl(lo - tlo) > 1e-13L || fabsl(hi - thi) > 1e-13L)
					fail_msg("%ld/%ld at %g: %.17g %.17g, textbook "
					    "%.17Lg %.17Lg", x, n, Cs[c], lo, hi, tlo, thi);
			}
	}
	/* Counts as large as a long holds stay finite and ordered. */
	{
		double lo, hi;

		assert_int_equal(ca_wilson(LONG_MAX / 2, LONG_MAX, 0.95, &lo, &hi), 0);
		assert_true(lo < 0.5 && hi > 0.5 && hi - lo < 1e-9);
	}
}

/* ---- Kappa ------------------------------------------------------------ */

/*
 * kappa as a function of cell proportions p (not necessarily summing to
 * 1), written as 1 - observed disagreement / chance disagreement with
 * disagreement weights v = 1 - w: a different road to the same number.
 */
static long double
kappa_of(const long double *p, int k, int weighted)
{
	long double row[CA_KAPPA_MAX_K] = { 0 }, col[CA_KAPPA_MAX_K] = { 0 };
	long double total = 0, dobs = 0, dexp = 0;

	for (int i = 0; i < k; i++)
		for (int j = 0; j < k; j++)
			total += p[i * k + j];
	for (int i = 0; i < k; i++)
		for (int j = 0; j < k; j++) {
			row[i] += p[i * k + j] / total;
			col[j] += p[i * k + j] / total;
		}
	for (int i = 0; i < k; i++)
		for (int j = 0; j < k; j++) {
			long double v = weighted ? fabsl((long double)(i - j)) / (k - 1) :
			    (i != j);

			dobs += v * p[i * k + j] / total;
			dexp += v * row[i] * col[j];
		}
	return 1 - dobs / dexp;
}

/*
 * The large-sample standard error by the delta method: for multinomial
 * proportions p, var(kappa) = (sum p g^2 - (sum p g)^2) / n with g the
 * gradient of kappa in p, here found by central differences in long
 * double.  Fleiss, Cohen and Everitt's closed form is this very quantity,
 * so the two must agree to the accuracy of the differencing.
 */
static double
kappa_se_by_delta(const long *table, int k, int weighted)
{
	long double p[CA_KAPPA_MAX_K * CA_KAPPA_MAX_K], g, sg = 0, sg2 = 0, n = 0;

	for (int c = 0; c < k * k; c++)
		n += table[c];
	for (int c = 0; c < k * k; c++)
		p[c] = table[c] / n;
	for (int c = 0; c < k * k; c++) {
		long double keep = p[c], h = 1e-6L, up, down;

		p[c] = keep + h;
		up = kappa_of(p, k, weighted);
		p[c] = keep - h;
		down = kappa_of(p, k, weighted);
		p[c] = keep;
		g = (up - down) / (2 * h);
		sg += keep * g;
		sg2 += keep * g * g;
	}
	return (double)sqrtl((sg2 - sg * sg) / n);
}

static ca_kappa
kappa_ok(const long *table, int k, int weighted, double C)
{
	ca_kappa kp;
	ca_err err = { 0 };

	if (ca_kappa_compute(table, k, weighted, C, &kp, &err) != 0)
		fail_msg("kappa: %s", err.msg);
	return kp;
}

/*
 * Statistics for the 3 x 3 table [[0, 4, 1], [0, 8, 0], [0, 1, 5]] as
 * printed by SAS PROC FREQ (AGREE), whose ASE is Fleiss, Cohen and
 * Everitt's and whose default weights are Cicchetti-Allison, linear for
 * equally spaced scores; the printout is quoted in statsmodels'
 * statsmodels/stats/tests/test_inter_rater.py (UnweightedCohens,
 * TestWeightedCohens).  By hand: n = 19, po = 13/19, margins A 5, 8, 6
 * and B 0, 13, 6, so pe = (0 + 104 + 36) / 361 = 140/361 and kappa =
 * (13/19 - 140/361) / (221/361) = 107/221 = 0.4842; weighted, po = 15.5/19,
 * pe = 235.5/361 and kappa = 59/125.5 = 118/251 = 0.4701.
 */
static void
kappa_published_sas(void **state)
{
	static const long t[9] = { 0, 4, 1, 0, 8, 0, 0, 1, 5 };
	static const struct {
		double po, pe, kappa;          /* exact, by hand */
		double kappa4, se, lo, hi;     /* as SAS prints them */
	} want[2] = {
		{ 13.0 / 19, 140.0 / 361, 107.0 / 221, 0.4842, 0.1380, 0.2137, 0.7547 },
		{ 15.5 / 19, 235.5 / 361, 118.0 / 251, 0.4701, 0.1457, 0.1845, 0.7558 },
	};

	(void)state;
	for (int weighted = 0; weighted <= 1; weighted++) {
		ca_kappa kp = kappa_ok(t, 3, weighted, 0.95);

		assert_int_equal(kp.n, 19);
		assert_true(close_to(kp.po, want[weighted].po, 1e-15));
		assert_true(close_to(kp.pe, want[weighted].pe, 1e-15));
		assert_true(close_to(kp.kappa, want[weighted].kappa, 1e-15));
		assert_true(prints_as(kp.kappa, want[weighted].kappa4, 4));
		assert_true(prints_as(kp.se, want[weighted].se, 4));
		assert_true(prints_as(kp.lo, want[weighted].lo, 4));
		assert_true(prints_as(kp.hi, want[weighted].hi, 4));
	}
}

/*
 * The standard error against the delta method: the SAS table, the skin
 * condition data of SAS's PROC FREQ "Agreement Study" (two dermatologists,
 * four ordered grades, 88 patients), and random tables of 2 to 6
 * categories, weighted and not.  Kappa itself against kappa_of.
 */
static void
kappa_se_independent(void **state)
{
	static const long sas[9] = { 0, 4, 1, 0, 8, 0, 0, 1, 5 };
	static const long skin[16] = { 10, 4, 1, 0, 5, 10, 12, 2, 2, 4, 12, 5, 0, 2, 6, 13 };
	long t[36];
	long double p[36];
	ca_rng r;
	int checked = 0;

	(void)state;
	ca_rng_seed(&r, 7);
	for (int round = 0; round < 402; round++) {
		const long *table = t;
		int k;

		if (round < 2) {
			table = round == 0 ? sas : skin;
			k = round == 0 ? 3 : 4;
		} else {
			k = 2 + (int)ca_rng_below(&r, 5);
			for (int c = 0; c < k * k; c++)
				/* Heavier on the diagonal, as real moderation is. */
				t[c] = (long)ca_rng_below(&r, c % (k + 1) == 0 ? 30 : 8);
		}
		for (int weighted = 0; weighted <= 1; weighted++) {
			ca_kappa kp;
			double se;

			if (ca_kappa_compute(table, k, weighted, 0.95, &kp, NULL) != 0 ||
			    isnan(kp.kappa))
				continue;
			for (int c = 0; c < k * k; c++)
				p[c] = table[c];
			assert_true(close_to(kp.kappa, (double)kappa_of(p, k, weighted), 1e-12));
			se = kappa_se_by_delta(table, k, weighted);
			if (fabs(kp.se - se) > 1e-8 * fmax(se, 1e-3))
				fail_msg("round %d, k=%d weighted=%d: se %.15g, delta method "
				    "%.15g", round, k, weighted, kp.se, se);
			checked++;
		}
	}
	assert_true(checked > 780);
	/* The skin condition data, for the record: kappa 0.3449, 0.5082 weighted,
	 * as worked out here both ways (not read from SAS's printout). */
	assert_true(prints_as(kappa_ok(skin, 4, 0, 0.95).kappa, 0.3449, 4));
	assert_true(prints_as(kappa_ok(skin, 4, 1, 0.95).kappa, 0.5082, 4));
}

/* Perfect agreement is 1 exactly, with nothing left to estimate. */
static void
kappa_perfect(void **state)
{
	static const long t[16] = { 7, 0, 0, 0, 0, 3, 0, 0, 0, 0, 11, 0, 0, 0, 0, 1 };

	(void)state;
	for (int weighted = 0; weighted <= 1; weighted++) {
		ca_kappa kp = kappa_ok(t, 4, weighted, 0.95);

		assert_int_equal(kp.n, 22);
		assert_true(kp.po == 1.0);
		assert_true(kp.kappa == 1.0);
		assert_true(kp.se == 0.0);
		assert_true(kp.lo == 1.0 && kp.hi == 1.0);
	}
}

/* With two categories there is no partial credit to give. */
static void
kappa_weighted_two_categories(void **state)
{
	static const long tables[][4] = {
		{ 20, 5, 10, 15 }, { 1, 0, 0, 1 }, { 0, 3, 4, 0 }, { 40, 1, 2, 3 },
	};

	(void)state;
	for (size_t i = 0; i < NITEMS(tables); i++) {
		ca_kappa u = kappa_ok(tables[i], 2, 0, 0.95);
		ca_kappa w = kappa_ok(tables[i], 2, 1, 0.95);

		assert_true(u.n == w.n && u.po == w.po && u.pe == w.pe);
		assert_true(u.kappa == w.kappa && u.se == w.se);
		assert_true(u.lo == w.lo && u.hi == w.hi);
	}
}

/*
 * The interval stays within [-1, 1]: 18 of 20 agreed, kappa 0.9 with se
 * 0.0970, would reach 1.09.  Complete disagreement is -1 exactly here.
 */
static void
kappa_interval_clipped(void **state)
{
	static const long high[4] = { 9, 1, 0, 10 };
	static const long opposite[4] = { 0, 4, 4, 0 };
	ca_kappa kp;

	(void)state;
	kp = kappa_ok(high, 2, 0, 0.95);
	assert_true(close_to(kp.kappa, 0.9, 1e-15));
	assert_true(prints_as(kp.se, 0.0970, 4));
	assert_true(kp.hi == 1.0);
	assert_true(prints_as(kp.lo, 0.9 - 1.959964 * 0.0969794, 5));
	kp = kappa_ok(opposite, 2, 0, 0.95);
	assert_true(kp.kappa == -1.0);
	assert_true(kp.lo >= -1.0 && kp.lo <= kp.kappa && kp.hi >= kp.kappa);
}

/* Both raters used one category only: pe = 1 and kappa is undefined,
 * which is an answer (NaN), not a failure. */
static void
kappa_undefined(void **state)
{
	static const long t[9] = { 0, 0, 0, 0, 12, 0, 0, 0, 0 };

	(void)state;
	for (int weighted = 0; weighted <= 1; weighted++) {
		ca_kappa kp;

		assert_int_equal(ca_kappa_compute(t, 3, weighted, 0.95, &kp, NULL), 0);
		assert_int_equal(kp.n, 12);
		assert_true(kp.po == 1.0 && kp.pe == 1.0);
		assert_true(isnan(kp.kappa) && isnan(kp.se) && isnan(kp.lo) && isnan(kp.hi));
	}
}

static void
kappa_refuses(void **state)
{
	static const long zero[4] = { 0, 0, 0, 0 };
	static const long negative[4] = { 3, -1, 0, 2 };
	static const long overflow[4] = { LONG_MAX, 1, 0, 0 };
	static const long fine[4] = { 3, 1, 0, 2 };
	static const struct {
		const long *t;
		int k;
		double C;
		int rc;
	} bad[] = {
		{ zero, 2, 0.95, 65 },
		{ negative, 2, 0.95, 65 },
		{ overflow, 2, 0.95, 65 },
		{ fine, 1, 0.95, 64 },
		{ fine, 0, 0.95, 64 },
		{ fine, -3, 0.95, 64 },
		{ fine, CA_KAPPA_MAX_K + 1, 0.95, 64 },
		{ fine, 2, 0.0, 64 },
		{ fine, 2, 1.0, 64 },
		{ fine, 2, NAN, 64 },
	};

	(void)state;
	for (size_t i = 0; i < NITEMS(bad); i++) {
		ca_err err = { 0 };
		ca_kappa kp = { .n = 99, .kappa = 0.5 };

		assert_int_equal(ca_kappa_compute(bad[i].t, bad[i].k, 1, bad[i].C, &kp, &err),
		    bad[i].rc);
		assert_int_equal(err.code, bad[i].rc);
		assert_true(err.msg[0] != '\0');
		assert_int_equal(kp.n, 0);
		assert_true(isnan(kp.po) && isnan(kp.pe) && isnan(kp.kappa));
		assert_true(isnan(kp.se) && isnan(kp.lo) && isnan(kp.hi));
	}
	/* A NULL error struct is allowed. */
	assert_int_equal(ca_kappa_compute(zero, 2, 0, 0.95, &(ca_kappa){ 0 }, NULL), 65);
}

/* ---- Funnel limits ---------------------------------------------------- */

/*
 * By hand, p0 = 0.75 and n = 24: sqrt(0.75 x 0.25 / 24) = sqrt(0.0078125)
 * = 0.0883883; at 95% z = 1.959964 gives 0.75 -/+ 0.1732380, at 99.8% z =
 * 3.090232 gives 0.75 -/+ 0.2731405, whose upper limit is clipped to 1.
 */
static void
funnel_by_hand(void **state)
{
	double lo, hi;

	(void)state;
	assert_int_equal(ca_funnel_limits(0.75, 24, 0.95, &lo, &hi), 0);
	assert_true(prints_as(lo, 0.5767620, 7) && prints_as(hi, 0.9232380, 7));
	assert_int_equal(ca_funnel_limits(0.75, 24, 0.998, &lo, &hi), 0);
	assert_true(prints_as(lo, 0.4768595, 7));
	assert_true(hi == 1.0);
	/* A rate of 0 or 1 has no spread to show. */
	assert_int_equal(ca_funnel_limits(0.0, 24, 0.95, &lo, &hi), 0);
	assert_true(lo == 0.0 && hi == 0.0);
	assert_int_equal(ca_funnel_limits(1.0, 24, 0.95, &lo, &hi), 0);
	assert_true(lo == 1.0 && hi == 1.0);
}

/* The funnel narrows as partners grow, and 99.8% is wider than 95%. */
static void
funnel_narrows(void **state)
{
	double plo = 0.0, phi = 1.0;

	(void)state;
	for (long n = 1; n <= 5000; n = n * 3 / 2 + 1) {
		double lo, hi, wlo, whi;

		assert_int_equal(ca_funnel_limits(0.6, n, 0.95, &lo, &hi), 0);
		assert_int_equal(ca_funnel_limits(0.6, n, 0.998, &wlo, &whi), 0);
		assert_true(0.0 <= lo && lo <= 0.6 && 0.6 <= hi && hi <= 1.0);
		assert_true(lo >= plo && hi <= phi);
		assert_true(wlo <= lo && whi >= hi);
		plo = lo;
		phi = hi;
	}
}

/*
 * Wilson intervals and funnel limits refuse the same way: no cases, an
 * impossible count or rate (65), a confidence outside (0, 1) (64), and
 * both ends NaN so that nothing is drawn.  a is x for Wilson, p0 for the
 * funnel.
 */
static void
intervals_refuse(void **state)
{
	static const struct {
		int funnel;
		double a;
		long n;
		double C;
		int rc;
	} bad[] = {
		{ 0, 0, 0, 0.95, 65 },
		{ 0, 1, 0, 0.95, 65 },
		{ 0, -1, 10, 0.95, 65 },
		{ 0, 11, 10, 0.95, 65 },
		{ 0, 0, -5, 0.95, 65 },
		{ 0, 5, 10, 0.0, 64 },
		{ 0, 5, 10, 1.0, 64 },
		{ 0, 5, 10, 95.0, 64 },
		{ 0, 5, 10, NAN, 64 },
		{ 1, 0.75, 0, 0.95, 65 },
		{ 1, 0.75, -1, 0.95, 65 },
		{ 1, -0.1, 24, 0.95, 65 },
		{ 1, 1.1, 24, 0.95, 65 },
		{ 1, NAN, 24, 0.95, 65 },
		{ 1, 0.75, 24, 0.0, 64 },
		{ 1, 0.75, 24, 1.0, 64 },
		{ 1, 0.75, 24, NAN, 64 },
	};

	(void)state;
	for (size_t i = 0; i < NITEMS(bad); i++) {
		double lo = 0.5, hi = 0.5;
		int rc = bad[i].funnel ?
		    ca_funnel_limits(bad[i].a, bad[i].n, bad[i].C, &lo, &hi) :
		    ca_wilson((long)bad[i].a, bad[i].n, bad[i].C, &lo, &hi);

		if (rc != bad[i].rc || !isnan(lo) || !isnan(hi))
			fail_msg("case %zu: %d, %g to %g", i, rc, lo, hi);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(quantile_known_values),
		cmocka_unit_test(quantile_symmetry),
		cmocka_unit_test(quantile_tails_and_edges),
		cmocka_unit_test(size_grid),
		cmocka_unit_test(size_random_and_monotone),
		cmocka_unit_test(size_hand_checked),
		cmocka_unit_test(size_whole_numbers_stay_whole),
		cmocka_unit_test(size_refuses_bad_arguments),
		cmocka_unit_test(wilson_published),
		cmocka_unit_test(wilson_range_and_symmetry),
		cmocka_unit_test(kappa_published_sas),
		cmocka_unit_test(kappa_se_independent),
		cmocka_unit_test(kappa_perfect),
		cmocka_unit_test(kappa_weighted_two_categories),
		cmocka_unit_test(kappa_interval_clipped),
		cmocka_unit_test(kappa_undefined),
		cmocka_unit_test(kappa_refuses),
		cmocka_unit_test(funnel_by_hand),
		cmocka_unit_test(funnel_narrows),
		cmocka_unit_test(intervals_refuse),
	};

	return cmocka_run_group_tests_name("stats", tests, NULL, NULL);
}
