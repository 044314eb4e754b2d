/*
 * test_draw.c - the sampling arithmetic: simple random draws, allocation
 * among strata and risk-weighted draws.
 *
 * Statistical checks run many draws from fixed seeds, so they are
 * deterministic (never flaky) and their bounds are generous (six standard
 * errors): a wrong probability still fails them by a wide margin.  The
 * pinned outputs at the end are the recorded-run contract: if one changes,
 * every sample already drawn stops verifying.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "draw.h"
#include "rng.h"

#define NITEMS(a) (sizeof(a) / sizeof((a)[0]))

/* draw.c's test hooks (not in draw.h). */
extern size_t ca_draw_test_narrow_max;
extern double ca_draw_test_start;

static int
reset_hooks(void **state)
{
	(void)state;
	ca_draw_test_narrow_max = UINT32_MAX;
	ca_draw_test_start = -1.0;
	return 0;
}

static int
same_rng(const ca_rng *a, const ca_rng *b)
{
	return memcmp(a->s, b->s, sizeof a->s) == 0;
}

/* ---- Simple random sampling -------------------------------------------- */

static void
srs_shape(void **state)
{
	static const size_t Ns[] = { 1, 2, 3, 5, 10, 17, 64, 100, 1000 };
	size_t out[1000];
	ca_rng r;

	(void)state;
	ca_rng_seed(&r, 11);
	for (size_t i = 0; i < NITEMS(Ns); i++) {
		size_t N = Ns[i];

		for (size_t n = 0; n <= N; n += 1 + n / 3) {
			size_t got = ca_draw_srs(&r, N, n, out);

			assert_int_equal(got, n);
			for (size_t k = 0; k < got; k++) {
				assert_true(out[k] < N);
				if (k > 0)
					assert_true(out[k] > out[k - 1]);
			}
		}
	}
}

static void
srs_edges(void **state)
{
	size_t out[20];
	ca_rng r, before;

	(void)state;
	ca_rng_seed(&r, 12);
	/* More than there are: everybody, in order. */
	assert_int_equal(ca_draw_srs(&r, 7, 20, out), 7);
	for (size_t k = 0; k < 7; k++)
		assert_int_equal(out[k], k);
	/* Nothing asked, or nothing there: no draws made either. */
	before = r;
	assert_int_equal(ca_draw_srs(&r, 10, 0, out), 0);
	assert_int_equal(ca_draw_srs(&r, 0, 0, out), 0);
	assert_int_equal(ca_draw_srs(&r, 0, 5, out), 0);
	assert_true(same_rng(&r, &before));
}

/* draw.h: one ca_rng_below(N - t) per unit examined, until n are taken. */
static void
srs_draw_order(void **state)
{
	size_t out[30];
	ca_rng r, twin;

	(void)state;
	for (uint64_t seed = 0; seed < 50; seed++) {
		size_t N = 40 + seed, n = seed % 31, got;

		ca_rng_seed(&r, seed);
		twin = r;
		got = ca_draw_srs(&r, N, n, out);
		assert_int_equal(got, n);
		if (n > 0)
			for (size_t t = 0; t <= out[n - 1]; t++)
				(void)ca_rng_below(&twin, N - t);
		assert_true(same_rng(&r, &twin));
	}
	/* n = N examines, and draws for, every unit. */
	ca_rng_seed(&r, 3);
	twin = r;
	assert_int_equal(ca_draw_srs(&r, 25, 25, out), 25);
	for (size_t t = 0; t < 25; t++)
		(void)ca_rng_below(&twin, 25 - t);
	assert_true(same_rng(&r, &twin));
}

static void
srs_reproducible(void **state)
{
	size_t a[100], b[100];
	ca_rng r;

	(void)state;
	ca_rng_seed(&r, 20261122);
	assert_int_equal(ca_draw_srs(&r, 10000, 100, a), 100);
	ca_rng_seed(&r, 20261122);
	assert_int_equal(ca_draw_srs(&r, 10000, 100, b), 100);
	assert_memory_equal(a, b, sizeof a);
	ca_rng_seed(&r, 20261123);
	assert_int_equal(ca_draw_srs(&r, 10000, 100, b), 100);
	assert_memory_not_equal(a, b, sizeof a);
}

/*
 * All 20 subsets of 3 from 6 come up equally often: 200,000 draws, each
 * subset's count within 6 standard errors of 10,000 and the chi-square
 * (19 degrees of freedom: mean 19, sd 6.2) below 19 + 6 sd.
 */
static void
srs_uniform(void **state)
{
	long count[64] = { 0 };
	const long draws = 200000;
	double expect = draws / 20.0, sd = sqrt(expect * (1.0 - 1.0 / 20.0)), chi = 0;
	int subsets = 0;
	size_t out[3];
	ca_rng r;

	(void)state;
	ca_rng_seed(&r, 2026);
	for (long d = 0; d < draws; d++) {
		unsigned mask = 0;

		assert_int_equal(ca_draw_srs(&r, 6, 3, out), 3);
		for (int k = 0; k < 3; k++)
			mask |= 1u << out[k];
		count[mask]++;
	}
	for (unsigned mask = 0; mask < 64; mask++) {
		if (__builtin_popcount(mask) != 3) {
			assert_int_equal(count[mask], 0);
			continue;
		}
		subsets++;
		assert_true(fabs(count[mask] - expect) < 6.0 * sd);
		chi += (count[mask] - expect) * (count[mask] - expect) / expect;
	}
	assert_int_equal(subsets, 20);
	assert_true(chi < 19.0 + 6.0 * sqrt(38.0));
}

/* ---- Allocation -------------------------------------------------------- */

#define MAXH 16

typedef struct alloc_case {
	const char *what;
	size_t H;
	long N[MAXH];
	double S[MAXH];
	int neyman;
	long n, floor;
	long want[MAXH];
	long total;
} alloc_case;

static void
allocate_hand_worked(void **state)
{
	static const alloc_case cases[] = {
		{ "proportional", 3, { 50, 30, 20 }, { 0 }, 0, 10, 0, { 5, 3, 2 }, 10 },
		{ "floors not binding", 3, { 50, 30, 20 }, { 0 }, 0, 10, 2, { 5, 3, 2 }, 10 },
		/* 0.7 1.4 2.1 2.8: whole 0 1 2 2, then .8 and .7 get one each */
		{ "largest remainder", 4, { 10, 20, 30, 40 }, { 0 }, 0, 7, 0, { 1, 1, 2, 3 }, 7 },
		/* 1.5 2.5 6: a tie at .5, the larger stratum wins */
		{ "tie to larger", 3, { 15, 25, 60 }, { 0 }, 0, 10, 0, { 1, 3, 6 }, 10 },
		{ "tie to larger 2", 2, { 10, 30 }, { 0 }, 0, 2, 0, { 0, 2 }, 2 },
		/* equal sizes too: the lower index */
		{ "tie to lower index", 2, { 50, 50 }, { 0 }, 0, 5, 0, { 3, 2 }, 5 },
		{ "tie of three", 3, { 50, 50, 50 }, { 0 }, 0, 4, 0, { 2, 1, 1 }, 4 },
		{ "tie among equals", 4, { 20, 30, 20, 30 }, { 0 }, 0, 5, 0, { 1, 2, 1, 1 }, 5 },
		/* 19.4 0.19 0.1: the small two raised to 2, the rest to the big */
		{ "floors raise", 3, { 1000, 10, 5 }, { 0 }, 0, 20, 2, { 16, 2, 2 }, 20 },
		{ "floors exceed n", 4, { 10, 10, 10, 10 }, { 0 }, 0, 5, 2, { 2, 2, 2, 2 }, 8 },
		{ "floors equal n", 4, { 10, 10, 10, 10 }, { 0 }, 0, 8, 2, { 2, 2, 2, 2 }, 8 },
		{ "smaller than floor", 3, { 100, 1, 0 }, { 0 }, 0, 10, 2, { 9, 1, 0 }, 10 },
		{ "n over total", 2, { 3, 4 }, { 0 }, 0, 10, 0, { 3, 4 }, 7 },
		{ "n is total", 2, { 3, 4 }, { 0 }, 0, 7, 5, { 3, 4 }, 7 },
		{ "n negative", 2, { 5, 5 }, { 0 }, 0, -3, 0, { 0, 0 }, 0 },
		{ "n negative, floors", 2, { 5, 5 }, { 0 }, 0, -3, 1, { 1, 1 }, 2 },
		{ "floor negative", 2, { 50, 50 }, { 0 }, 0, 4, -2, { 2, 2 }, 4 },
		{ "no strata", 0, { 0 }, { 0 }, 0, 10, 2, { 0 }, 0 },
		{ "one stratum", 1, { 40 }, { 0 }, 0, 9, 2, { 9 }, 9 },
		{ "empty strata", 3, { 0, 12, 0 }, { 0 }, 0, 5, 2, { 0, 5, 0 }, 5 },
		/* Neyman: shares N S = 100 : 300 */
		{ "neyman", 2, { 100, 100 }, { 1, 3 }, 1, 20, 0, { 5, 15 }, 20 },
		/* 20 : 20, but the first has only 10 */
		{ "neyman cap", 2, { 10, 1000 }, { 10, 0.1 }, 1, 40, 0, { 10, 30 }, 40 },
		{ "neyman all S 0", 3, { 50, 30, 20 }, { 0, 0, 0 }, 1, 10, 0, { 5, 3, 2 }, 10 },
		{ "neyman equal S", 3, { 15, 25, 60 }, { 0.3, 0.3, 0.3 }, 1, 10, 0, { 1, 3, 6 }, 10 },
		/* S 0: only the floor */
		{ "neyman S 0 floor", 2, { 100, 100 }, { 1, 0 }, 1, 10, 2, { 8, 2 }, 10 },
		/*
		 * 149.8 0.15 0.015 at first: the first over its size and the
		 * others under the floor at once.  Capping frees 49.8, more than
		 * the floors need, so only the cap is fixed; the two then share
		 * 50 as 45.45 and 4.55, both above the floor.  Fixing all three
		 * at once would give 100 2 2.
		 */
		{ "neyman both sides", 3, { 100, 100, 10 }, { 10, 0.01, 0.01 }, 1, 150, 2,
		  { 100, 45, 5 }, 150 },
		/* The mirror: floors need more than capping frees. */
		{ "neyman floors first", 4, { 6, 100, 100, 100 }, { 10, 0.01, 0.01, 0.01 }, 1,
		  12, 3, { 3, 3, 3, 3 }, 12 },
		/* Capped, then the rest all S 0: shared by size. */
		{ "neyman fallback later", 3, { 2, 100, 300 }, { 5, 0, 0 }, 1, 50, 0,
		  { 2, 12, 36 }, 50 },
	};

	(void)state;
	for (size_t c = 0; c < NITEMS(cases); c++) {
		const alloc_case *k = &cases[c];
		long alloc[MAXH], total;

		memset(alloc, 0xff, sizeof alloc);
		total = ca_draw_allocate(k->N, k->neyman ? k->S : NULL, k->H, k->n, k->floor,
		    alloc);
		if (total != k->total || memcmp(alloc, k->want, k->H * sizeof(long)) != 0) {
			print_error("%s: total %ld (want %ld):", k->what, total, k->total);
			for (size_t h = 0; h < k->H; h++)
				print_error(" %ld/%ld", alloc[h], k->want[h]);
			print_error("\n");
			fail();
		}
	}
}

/*
 * An independent answer to what allocation with bounds means: the shares
 * clamp(lambda a[h], floor, N[h]) summing to n, lambda found by bisection
 * in long double (with Neyman's fallback to sizes once every stratum of
 * nonzero weight is full).  The whole numbers must be within one of them.
 */
static void
reference_shares(size_t H, const long *N, const double *S, long n, long floor,
    long double *share)
{
	long double a[MAXH], lo[MAXH], top = 0, lam_lo = 0, lam_hi = 0;
	int fallback = 0;

	for (size_t h = 0; h < H; h++) {
		a[h] = S != NULL ? (long double)N[h] * S[h] : (long double)N[h];
		lo[h] = N[h] < floor ? N[h] : floor;
		top += a[h] > 0 ? N[h] : lo[h];
	}
	if (top < n) {
		fallback = 1;
		for (size_t h = 0; h < H; h++)
			a[h] = a[h] > 0 ? 0 : N[h];
	}
	for (size_t h = 0; h < H; h++)
		if (a[h] > 0 && N[h] / a[h] > lam_hi)
			lam_hi = N[h] / a[h];
	for (int i = 0; i < 300; i++) {
		long double mid = (lam_lo + lam_hi) / 2, f = 0;

		for (size_t h = 0; h < H; h++) {
			long double x = mid * a[h];

			if (fallback && S[h] * N[h] > 0)
				x = N[h];
			f += x < lo[h] ? lo[h] : x > N[h] ? N[h] : x;
		}
		if (f < n)
			lam_lo = mid;
		else
			lam_hi = mid;
	}
	for (size_t h = 0; h < H; h++) {
		long double x = lam_hi * a[h];

		if (fallback && S[h] * N[h] > 0)
			x = N[h];
		share[h] = x < lo[h] ? lo[h] : x > N[h] ? N[h] : x;
	}
}

/* Largest remainder done in whole numbers, for proportional allocation
 * without floors. */
static void
reference_proportional(size_t H, const long *N, long n, long *want)
{
	long total = 0, left = n, rem[MAXH];
	int bumped[MAXH] = { 0 };

	for (size_t h = 0; h < H; h++)
		total += N[h];
	for (size_t h = 0; h < H; h++) {
		want[h] = n * N[h] / total;
		rem[h] = n * N[h] % total;
		left -= want[h];
	}
	while (left-- > 0) {
		size_t best = H;

		for (size_t h = 0; h < H; h++) {
			if (bumped[h])
				continue;
			if (best == H || rem[h] > rem[best] ||
			    (rem[h] == rem[best] && N[h] > N[best]))
				best = h;
		}
		bumped[best] = 1;
		want[best]++;
	}
}

static long
random_size(ca_rng *r)
{
	switch (ca_rng_below(r, 5)) {
	case 0:
		return 0;
	case 1:
		return (long)ca_rng_below(r, 4);
	case 2:
		return 1 + (long)ca_rng_below(r, 3000);
	default:
		return 1 + (long)ca_rng_below(r, 300);
	}
}

static void
allocate_properties(void **state)
{
	ca_rng r;
	int checked_shares = 0;

	(void)state;
	ca_rng_seed(&r, 5150);
	for (int iter = 0; iter < 5000; iter++) {
		size_t H = 1 + ca_rng_below(&r, 12);
		long N[MAXH], alloc[MAXH], total = 0, lows = 0, sum = 0, got, n, floor;
		double S[MAXH];
		int neyman = ca_rng_below(&r, 2) == 0;

		floor = (long)ca_rng_below(&r, 7);
		for (size_t h = 0; h < H; h++) {
			N[h] = random_size(&r);
			/* Some S 0, some equal, the rest spread over 0.01 to 100. */
			switch (ca_rng_below(&r, 4)) {
			case 0:
				S[h] = 0.0;
				break;
			case 1:
				S[h] = 0.5;
				break;
			default:
				S[h] = exp((ca_rng_unit(&r) - 0.5) * 9.2);
			}
			total += N[h];
			lows += N[h] < floor ? N[h] : floor;
		}
		n = (long)ca_rng_below(&r, (uint64_t)total + 8) - 2;
		got = ca_draw_allocate(N, neyman ? S : NULL, H, n, floor, alloc);
		for (size_t h = 0; h < H; h++) {
			assert_true(alloc[h] >= (N[h] < floor ? N[h] : floor));
			assert_true(alloc[h] <= N[h]);
			sum += alloc[h];
		}
		assert_int_equal(got, sum);
		if (n >= total) {
			assert_int_equal(sum, total);
			continue;
		}
		if (lows >= n) {
			assert_int_equal(sum, lows);
			continue;
		}
		assert_int_equal(sum, n);

		{
			long double share[MAXH];

			reference_shares(H, N, neyman ? S : NULL, n, floor, share);
			for (size_t h = 0; h < H; h++)
				if (alloc[h] < floorl(share[h] - 1e-9L) ||
				    alloc[h] > ceill(share[h] + 1e-9L))
					fail_msg("case %d stratum %zu: %ld, share %.6Lf", iter, h,
					    alloc[h], share[h]);
			checked_shares++;
		}
		/* Exactly largest remainder when nothing binds. */
		if (!neyman && floor == 0) {
			long want[MAXH];

			reference_proportional(H, N, n, want);
			assert_memory_equal(alloc, want, H * sizeof(long));
		}
		/* Neyman with every S equal is proportional allocation. */
		if (neyman) {
			double same[MAXH];
			long prop[MAXH];

			for (size_t h = 0; h < H; h++)
				same[h] = 0.37;
			(void)ca_draw_allocate(N, same, H, n, floor, alloc);
			(void)ca_draw_allocate(N, NULL, H, n, floor, prop);
			assert_memory_equal(alloc, prop, H * sizeof(long));
		}
	}
	assert_true(checked_shares > 2500);
}

/* ---- Risk-weighted draws ----------------------------------------------- */

typedef struct risk_counts {
	size_t none, core, over;
	long double prob_sum;   /* long double: two million terms */
} risk_counts;

/* Tally a draw and check what holds for every one: probabilities in
 * (0, 1], or all 0 when nothing at all was asked for. */
static risk_counts
risk_check(size_t N, const unsigned char *part, const double *prob, int empty)
{
	risk_counts c = { 0, 0, 0, 0.0L };

	for (size_t i = 0; i < N; i++) {
		if (empty)
			assert_true(prob[i] == 0.0);
		else
			assert_true(prob[i] > 0.0 && prob[i] <= 1.0);
		switch (part[i]) {
		case CA_DRAW_NONE:
			c.none++;
			break;
		case CA_DRAW_CORE:
			c.core++;
			break;
		case CA_DRAW_OVERSAMPLE:
			c.over++;
			break;
		default:
			fail_msg("unit %zu: part %d", i, part[i]);
		}
		c.prob_sum += prob[i];
	}
	return c;
}

static void
random_weights(ca_rng *r, size_t N, double *w)
{
	int kind = (int)ca_rng_below(r, 4);

	for (size_t i = 0; i < N; i++) {
		switch (kind) {
		case 0:         /* all equal */
			w[i] = 1.0;
			break;
		case 1:         /* screening-flag counts */
			w[i] = 1.0 + (double)ca_rng_below(r, 6);
			break;
		case 2:         /* spread over six orders of magnitude */
			w[i] = exp((ca_rng_unit(r) - 0.5) * 13.8);
			break;
		default:        /* a few enormous */
			w[i] = ca_rng_below(r, 20) == 0 ? 1e12 : 0.5 + ca_rng_unit(r);
		}
	}
}

#define RISK_MAXN 400

static void
risk_counts_and_probabilities(void **state)
{
	unsigned char part[RISK_MAXN];
	double w[RISK_MAXN], prob[RISK_MAXN];
	ca_rng r, g;

	(void)state;
	ca_rng_seed(&g, 77);
	for (int iter = 0; iter < 2000; iter++) {
		size_t N = 1 + ca_rng_below(&g, RISK_MAXN);
		size_t n_core = ca_rng_below(&g, N / 2 + 1), n_over = ca_rng_below(&g, N / 2 + 1);
		size_t huge = 0;
		risk_counts c;
		long got;

		random_weights(&g, N, w);
		ca_rng_seed(&r, (uint64_t)iter);
		got = ca_draw_risk(&r, N, w, n_core, n_over, part, prob);
		c = risk_check(N, part, prob, n_core + n_over == 0);
		if (n_core + n_over >= N) {
			assert_int_equal(got, N);
			assert_int_equal(c.core, N);
			assert_true(c.prob_sum == (long double)N);
			continue;
		}
		assert_int_equal(got, n_core + n_over);
		assert_int_equal(c.over, n_over);
		assert_int_equal(c.core, n_core);
		assert_true(fabsl(c.prob_sum - (long double)(n_core + n_over)) < 1e-9L);
		/* Units of weight 1e12 are certain when there are fewer of
		 * them than n_over. */
		for (size_t i = 0; i < N; i++)
			huge += w[i] == 1e12;
		for (size_t i = 0; i < N; i++)
			if (w[i] == 1e12 && n_over > huge) {
				assert_true(prob[i] == 1.0);
				assert_int_equal(part[i], CA_DRAW_OVERSAMPLE);
			}
	}
}

/* Certainty cascades: 100 is certain at once (4 x 100 / 198 > 1), 50 is
 * certain after it (3 x 50 / 98 > 1), and the 48 others share 2. */
static void
risk_certainty(void **state)
{
	unsigned char part[50];
	double w[50], prob[50];
	const double core = 5.0 / 46.0, q = 2.0 / 48.0;
	ca_rng r;

	(void)state;
	for (size_t i = 0; i < 50; i++)
		w[i] = 1.0;
	w[7] = 100.0;
	w[30] = 50.0;
	for (uint64_t seed = 0; seed < 20; seed++) {
		ca_rng_seed(&r, seed);
		assert_int_equal(ca_draw_risk(&r, 50, w, 5, 4, part, prob), 9);
		assert_int_equal(part[7], CA_DRAW_OVERSAMPLE);
		assert_int_equal(part[30], CA_DRAW_OVERSAMPLE);
		assert_true(prob[7] == 1.0 && prob[30] == 1.0);
		for (size_t i = 0; i < 50; i++)
			if (i != 7 && i != 30)
				assert_true(fabs(prob[i] - (q + (1 - q) * core)) < 1e-15);
	}
}

static void
risk_everybody(void **state)
{
	unsigned char part[10];
	double w[10] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 }, prob[10];
	static const size_t asks[][2] = { { 5, 5 }, { 10, 0 }, { 0, 10 }, { 3, 30 },
		{ SIZE_MAX, 5 }, { 5, SIZE_MAX }, { SIZE_MAX, SIZE_MAX } };
	ca_rng r, before;

	(void)state;
	ca_rng_seed(&r, 1);
	before = r;
	for (size_t k = 0; k < NITEMS(asks); k++) {
		memset(part, 0xff, sizeof part);
		assert_int_equal(ca_draw_risk(&r, 10, w, asks[k][0], asks[k][1], part, prob), 10);
		for (size_t i = 0; i < 10; i++) {
			assert_int_equal(part[i], CA_DRAW_CORE);
			assert_true(prob[i] == 1.0);
		}
	}
	assert_int_equal(ca_draw_risk(&r, 0, w, 3, 3, part, prob), 0);
	assert_true(same_rng(&r, &before));
}

/* No oversample: the core is ca_draw_srs itself, with no other draws. */
static void
risk_without_oversample(void **state)
{
	unsigned char part[300];
	double w[300], prob[300];
	size_t out[40], k = 0;
	ca_rng r, twin;

	(void)state;
	for (size_t i = 0; i < 300; i++)
		w[i] = 1.0 + (double)(i % 7);
	ca_rng_seed(&r, 99);
	twin = r;
	assert_int_equal(ca_draw_risk(&r, 300, w, 40, 0, part, prob), 40);
	assert_int_equal(ca_draw_srs(&twin, 300, 40, out), 40);
	assert_true(same_rng(&r, &twin));
	for (size_t i = 0; i < 300; i++) {
		assert_true(fabs(prob[i] - 40.0 / 300.0) < 1e-16);
		if (part[i] == CA_DRAW_CORE)
			assert_int_equal(out[k++], i);
		else
			assert_int_equal(part[i], CA_DRAW_NONE);
	}
	assert_int_equal(k, 40);
}

/*
 * draw.h's order of draws: N - 1 for the shuffle (ca_rng_below(i + 1) from
 * i = N - 1 down), one ca_rng_unit for the start, then the core exactly as
 * ca_draw_srs draws it from the units not taken, in index order.
 */
static void
risk_draw_order(void **state)
{
	unsigned char part[RISK_MAXN];
	double w[RISK_MAXN], prob[RISK_MAXN];
	size_t out[RISK_MAXN];
	ca_rng r, twin, g;

	(void)state;
	ca_rng_seed(&g, 31337);
	for (int iter = 0; iter < 200; iter++) {
		size_t N = 2 + ca_rng_below(&g, RISK_MAXN - 1);
		size_t n_over = 1 + ca_rng_below(&g, N / 2), n_core = ca_rng_below(&g, N - n_over);
		size_t k = 0, rank = 0;

		random_weights(&g, N, w);
		ca_rng_seed(&r, (uint64_t)iter * 7919);
		twin = r;
		assert_int_equal(ca_draw_risk(&r, N, w, n_core, n_over, part, prob),
		    n_core + n_over);
		for (size_t i = N - 1; i > 0; i--)
			(void)ca_rng_below(&twin, i + 1);
		(void)ca_rng_unit(&twin);
		assert_int_equal(ca_draw_srs(&twin, N - n_over, n_core, out), n_core);
		assert_true(same_rng(&r, &twin));
		for (size_t i = 0; i < N; i++) {
			if (part[i] == CA_DRAW_OVERSAMPLE)
				continue;
			if (part[i] == CA_DRAW_CORE)
				assert_int_equal(out[k++], rank);
			rank++;
		}
		assert_int_equal(k, n_core);
	}
}

/*
 * The inclusion probabilities are the real ones: 200,000 draws of 5
 * oversampled (two of them certain after the cascade) and 3 core from 20
 * units.  Each unit's frequency of being oversampled, of being in the
 * core, and of being in the sample at all must be within 6 standard
 * errors of q, (1 - q) n_core / (N - n_over) and prob.
 */
static void
risk_monte_carlo(void **state)
{
	enum { N = 20, DRAWS = 200000 };
	static const double w[N] = { 0.2, 0.5, 1, 1, 1, 1, 1.5, 2, 2, 2, 3, 3, 4, 5, 6, 8,
		10, 15, 30, 60 };
	const size_t n_core = 3, n_over = 5;
	const double share = 3.0 / 15.0;
	long over[N] = { 0 }, core[N] = { 0 };
	unsigned char part[N];
	double prob[N], first[N], q[N];
	ca_rng r;

	(void)state;
	ca_rng_seed(&r, 424242);
	for (long d = 0; d < DRAWS; d++) {
		assert_int_equal(ca_draw_risk(&r, N, w, n_core, n_over, part, prob), 8);
		if (d == 0)
			memcpy(first, prob, sizeof first);
		else
			assert_memory_equal(prob, first, sizeof prob);
		for (size_t i = 0; i < N; i++) {
			over[i] += part[i] == CA_DRAW_OVERSAMPLE;
			core[i] += part[i] == CA_DRAW_CORE;
		}
	}
	/* The cascade: 60 and 30 certain, the other 18 share 3 of 66.2. */
	assert_true(first[19] == 1.0 && first[18] == 1.0);
	assert_true(fabs(first[17] - (3 * 15 / 66.2 + (1 - 3 * 15 / 66.2) * share)) < 1e-15);
	for (size_t i = 0; i < N; i++) {
		double pi = first[i], pc, fo, fc, fs;

		q[i] = (pi - share) / (1.0 - share);
		pc = (1.0 - q[i]) * share;
		fo = (double)over[i] / DRAWS;
		fc = (double)core[i] / DRAWS;
		fs = (double)(over[i] + core[i]) / DRAWS;
		if (fabs(fo - q[i]) > 6.0 * sqrt(q[i] * (1 - q[i]) / DRAWS) + 1e-12 ||
		    fabs(fc - pc) > 6.0 * sqrt(pc * (1 - pc) / DRAWS) + 1e-12 ||
		    fabs(fs - pi) > 6.0 * sqrt(pi * (1 - pi) / DRAWS) + 1e-12)
			fail_msg("unit %zu (w %g): oversample %.5f want %.5f, core %.5f want "
			    "%.5f, sample %.5f want %.5f", i, w[i], fo, q[i], fc, pc, fs, pi);
	}
}

static void
risk_reproducible(void **state)
{
	unsigned char a[500], b[500];
	double w[500], pa[500], pb[500];
	ca_rng r;

	(void)state;
	for (size_t i = 0; i < 500; i++)
		w[i] = 1.0 + (double)(i * 37 % 11);
	ca_rng_seed(&r, 5);
	assert_int_equal(ca_draw_risk(&r, 500, w, 30, 20, a, pa), 50);
	ca_rng_seed(&r, 5);
	assert_int_equal(ca_draw_risk(&r, 500, w, 30, 20, b, pb), 50);
	assert_memory_equal(a, b, sizeof a);
	assert_memory_equal(pa, pb, sizeof pa);
	ca_rng_seed(&r, 6);
	assert_int_equal(ca_draw_risk(&r, 500, w, 30, 20, b, pb), 50);
	assert_memory_not_equal(a, b, sizeof a);
}

/* The 64-bit order (populations past 2^32) draws exactly what the 32-bit
 * one does. */
static void
risk_wide_order_same(void **state)
{
	unsigned char a[RISK_MAXN], b[RISK_MAXN];
	double w[RISK_MAXN], pa[RISK_MAXN], pb[RISK_MAXN];
	ca_rng r, g;

	(void)state;
	ca_rng_seed(&g, 64);
	for (int iter = 0; iter < 100; iter++) {
		size_t N = 2 + ca_rng_below(&g, RISK_MAXN - 1);
		size_t n_over = 1 + ca_rng_below(&g, N / 2), n_core = ca_rng_below(&g, N - n_over);

		random_weights(&g, N, w);
		ca_draw_test_narrow_max = UINT32_MAX;
		ca_rng_seed(&r, (uint64_t)iter);
		assert_true(ca_draw_risk(&r, N, w, n_core, n_over, a, pa) >= 0);
		ca_draw_test_narrow_max = 0;
		ca_rng_seed(&r, (uint64_t)iter);
		assert_true(ca_draw_risk(&r, N, w, n_core, n_over, b, pb) >= 0);
		assert_memory_equal(a, b, N);
		assert_memory_equal(pa, pb, N * sizeof(double));
	}
}

/*
 * The systematic step's rounding guard: with the start u forced to the
 * largest double below 1 (the last point a hair under the end, lost if
 * the q add up a hair short) or to 0 (a point at the very end, taken if
 * they add up a hair long), still exactly n_over are oversampled.
 */
static void
risk_rounding_guard(void **state)
{
	static const double starts[] = { 0.0, 0x1.fffffffffffffp-1, 0x1.ffffffffffffep-1 };
	unsigned char part[RISK_MAXN];
	double w[RISK_MAXN], prob[RISK_MAXN];
	ca_rng r, g;

	(void)state;
	ca_rng_seed(&g, 1234);
	for (int iter = 0; iter < 3000; iter++) {
		size_t N = 2 + ca_rng_below(&g, RISK_MAXN - 1);
		size_t n_over = 1 + ca_rng_below(&g, N - 1), n_core = ca_rng_below(&g, N - n_over);
		risk_counts c;

		for (size_t i = 0; i < N; i++)
			w[i] = 0.1 + ca_rng_unit(&g) * (i % 3 == 0 ? 10.0 : 1.0);
		ca_draw_test_start = starts[iter % NITEMS(starts)];
		ca_rng_seed(&r, (uint64_t)iter);
		assert_int_equal(ca_draw_risk(&r, N, w, n_core, n_over, part, prob),
		    n_core + n_over);
		c = risk_check(N, part, prob, 0);
		assert_int_equal(c.over, n_over);
		assert_int_equal(c.core, n_core);
	}
}

/* Memory that cannot be had is -1, with nothing touched; an order for
 * N = SIZE_MAX / 2 units is refused before malloc is even asked. */
static void
risk_no_memory(void **state)
{
	unsigned char part[1] = { 0xee };
	double w[1] = { 1.0 }, prob[1] = { -5.0 };
	ca_rng r, before;

	(void)state;
	ca_rng_seed(&r, 8);
	before = r;
	assert_int_equal(ca_draw_risk(&r, SIZE_MAX / 2, w, 1, 1, part, prob), -1);
	assert_true(same_rng(&r, &before));
	assert_int_equal(part[0], 0xee);
	assert_true(prob[0] == -5.0);
}

/* A population of two million: exact counts, and fast. */
typedef struct big {
	size_t N;
	double *w, *prob;
	unsigned char *part;
} big;

static int
big_setup(void **state)
{
	big *b = calloc(1, sizeof *b);

	if (b == NULL)
		return -1;
	b->N = 2000000;
	b->w = malloc(b->N * sizeof *b->w);
	b->prob = malloc(b->N * sizeof *b->prob);
	b->part = malloc(b->N);
	*state = b;
	return b->w != NULL && b->prob != NULL && b->part != NULL ? 0 : -1;
}

static int
big_teardown(void **state)
{
	big *b = *state;

	if (b != NULL) {
		free(b->w);
		free(b->prob);
		free(b->part);
		free(b);
	}
	return 0;
}

static void
risk_large_population(void **state)
{
	big *b = *state;
	risk_counts c;
	ca_rng r;

	for (size_t i = 0; i < b->N; i++)
		b->w[i] = i % 1000 == 0 ? 5000.0 : 1.0 + (double)(i % 5);
	ca_rng_seed(&r, 2000000);
	assert_int_equal(ca_draw_risk(&r, b->N, b->w, 250, 350, b->part, b->prob), 600);
	c = risk_check(b->N, b->part, b->prob, 0);
	assert_int_equal(c.over, 350);
	assert_int_equal(c.core, 250);
	assert_true(fabsl(c.prob_sum - 600.0L) < 1e-9L);
}

/* ---- Pinned draws ------------------------------------------------------ */

/*
 * What these seeds drew when the code was written.  A change here means a
 * change to the draw itself: every recorded run would stop verifying.
 */
static void
pinned_draws(void **state)
{
	static const size_t srs_want[10] = { 75, 238, 373, 499, 502, 526, 560, 572, 744,
		946 };
	/* 0 none, 1 core, 2 oversample */
	static const unsigned char risk_want[40] = {
		0, 0, 0, 1, 0, 0, 2, 2, 0, 0, 1, 0, 0, 0, 0, 2, 0, 0, 0, 0,
		0, 0, 0, 1, 0, 2, 0, 0, 0, 0, 0, 2, 0, 0, 0, 1, 2, 0, 0, 0 };
	/* By hand: 2 and 4 fixed at the floor, then 16.12 2.42 37.47 share
	 * 56, and the one left over goes to .47. */
	static const long alloc_want[5] = { 16, 2, 2, 38, 2 };
	static const long alloc_N[5] = { 120, 45, 3, 310, 22 };
	static const double alloc_S[5] = { 0.5, 0.2, 0.4, 0.45, 0.1 };
	size_t out[10];
	unsigned char part[40];
	double w[40], prob[40];
	long alloc[5];
	ca_rng r;

	(void)state;
	ca_rng_seed(&r, 20261122);
	assert_int_equal(ca_draw_srs(&r, 1000, 10, out), 10);
	assert_memory_equal(out, srs_want, sizeof out);

	for (size_t i = 0; i < 40; i++)
		w[i] = 1.0 + (double)(i * i % 13);
	ca_rng_seed(&r, 20261122);
	assert_int_equal(ca_draw_risk(&r, 40, w, 4, 6, part, prob), 10);
	assert_memory_equal(part, risk_want, sizeof part);

	assert_int_equal(ca_draw_allocate(alloc_N, alloc_S, 5, 60, 2, alloc), 60);
	assert_memory_equal(alloc, alloc_want, sizeof alloc);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(srs_shape),
		cmocka_unit_test(srs_edges),
		cmocka_unit_test(srs_draw_order),
		cmocka_unit_test(srs_reproducible),
		cmocka_unit_test(srs_uniform),
		cmocka_unit_test(allocate_hand_worked),
		cmocka_unit_test(allocate_properties),
		cmocka_unit_test(risk_counts_and_probabilities),
		cmocka_unit_test(risk_certainty),
		cmocka_unit_test(risk_everybody),
		cmocka_unit_test(risk_without_oversample),
		cmocka_unit_test(risk_draw_order),
		cmocka_unit_test(risk_monte_carlo),
		cmocka_unit_test(risk_reproducible),
		cmocka_unit_test_teardown(risk_wide_order_same, reset_hooks),
		cmocka_unit_test_teardown(risk_rounding_guard, reset_hooks),
		cmocka_unit_test(risk_no_memory),
		cmocka_unit_test_setup_teardown(risk_large_population, big_setup, big_teardown),
		cmocka_unit_test(pinned_draws),
	};

	return cmocka_run_group_tests_name("draw", tests, NULL, NULL);
}
