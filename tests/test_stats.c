/*
 * test_stats.c - the normal quantile against published values, and the
 * sample size against a plain computation of Cochran's formula done a
 * different way (long double, z found by bisection on erf), over a grid
 * wide enough to cover every plan a council would set up.
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
	};

	return cmocka_run_group_tests_name("stats", tests, NULL, NULL);
}
