/*
 * draw.c - simple random, allocated and risk-weighted draws; see draw.h.
 *
 * Written from the textbook descriptions: Knuth's selection sampling
 * (TAOCP vol. 2, 3.4.2, Algorithm S), Cochran's proportional and Neyman
 * allocation (Sampling Techniques, 5.5 and 5.9) and Madow's systematic
 * sampling with probability proportional to size.
 *
 * A recorded run is verified by drawing it again, possibly years later
 * and on another machine, so every choice here is part of the record:
 * the order in which the generator is consumed, and what is done when
 * floating-point rounding would otherwise decide something.  Where
 * rounding could matter the code either works in whole numbers or says
 * exactly how a near-tie is settled.
 */
#include "draw.h"

#include <assert.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

/*
 * Test hooks: not in draw.h and never changed by the program.  The tests
 * set them to reach what no real population or seed can: the 64-bit
 * order array (populations above 2^32 units) and a systematic start u
 * within rounding of 0 or 1, where the rounding guards below act.
 */
size_t ca_draw_test_narrow_max = UINT32_MAX;
double ca_draw_test_start = -1.0;

size_t
ca_draw_srs(ca_rng *r, size_t N, size_t n, size_t *out)
{
	size_t m = 0;

	if (n > N)
		n = N;
	/*
	 * Unit t is taken with probability (needed) / (left).  Once the
	 * units left equal those needed the draw always says yes, so the
	 * loop cannot run past N; the draw is still made, one per unit
	 * examined, because draw.h promises that order.
	 */
	for (size_t t = 0; m < n; t++)
		if (ca_rng_below(r, (uint64_t)(N - t)) < (uint64_t)(n - m))
			out[m++] = t;
	return m;
}

/* ---- Allocation among strata ------------------------------------------- */

/*
 * ca_draw_allocate promises not to fail, so it allocates nothing: while it
 * works, alloc[h] holds a fixed stratum's allocation (>= 0) or, for a
 * stratum still sharing, -1 - v with v the whole units given so far.
 */
#define IS_FREE(a)    ((a) < 0)
#define FREE_UNITS(a) (-1 - (a))

typedef struct sharing {
	const long *N;
	const double *S;
	double smax;   /* the largest S, so that S / smax is 1 for equal S */
	long least;    /* the floor */
	long R;        /* units to share among the free strata */
	double A;      /* the free strata's total weight */
	int by_size;   /* weights are N[h] (proportional, or Neyman's fallback) */
} sharing;

static long
stratum_floor(const sharing *s, size_t h)
{
	return s->N[h] < s->least ? s->N[h] : s->least;
}

/*
 * The weight a stratum's share is proportional to.  Neyman's N[h] S[h] is
 * taken as N[h] (S[h] / smax): the same proportions, but when every S is
 * equal the weights are exactly N[h], so that Neyman with equal S gives
 * exactly the proportional allocation, ties included.
 */
static double
stratum_weight(const sharing *s, size_t h)
{
	if (s->by_size)
		return (double)s->N[h];
	return (double)s->N[h] * (s->S[h] / s->smax);
}

/* R and A for the strata still free, falling back to sizes when every
 * free stratum's Neyman weight is 0. */
static void
sharing_update(sharing *s, size_t H, long n, const long *alloc)
{
	s->R = n;
	for (size_t h = 0; h < H; h++)
		if (!IS_FREE(alloc[h]))
			s->R -= alloc[h];
	s->by_size = s->S == NULL || s->smax == 0.0;
	for (;;) {
		s->A = 0.0;
		for (size_t h = 0; h < H; h++)
			if (IS_FREE(alloc[h]))
				s->A += stratum_weight(s, h);
		if (s->A > 0.0 || s->by_size)
			return;
		s->by_size = 1;
	}
}

/*
 * A free stratum's share is R w / A.  Everything is compared scaled by A,
 * as R w against k A, and the fractional part is kept as the remainder
 * R w - whole A: with proportional allocation these are whole numbers,
 * exact in a double while R N[h] stays below 2^53, so largest remainder
 * and its ties are decided exactly rather than by rounding noise (all
 * free strata share the one denominator A, so remainders compare as the
 * fractions would).
 */
static void
stratum_share(const sharing *s, size_t h, double *whole, double *rem)
{
	double p = (double)s->R * stratum_weight(s, h), w = 0.0;

	if (s->A > 0.0)
		w = floor(p / s->A);
	if (w < (double)stratum_floor(s, h))
		w = (double)stratum_floor(s, h);
	if (w > (double)s->N[h])
		w = (double)s->N[h];
	*whole = w;
	*rem = p - w * s->A;
}

/* Does stratum a come before b when leftover units are handed out? */
static int
hands_first(const sharing *s, size_t a, double rem_a, size_t b, double rem_b)
{
	if (rem_a != rem_b)
		return rem_a > rem_b;
	if (s->N[a] != s->N[b])
		return s->N[a] > s->N[b];
	return a < b;
}

/*
 * Fix strata at their floor or size until every free share lies between.
 *
 * Fixing every stratum out of bounds at once is wrong when shares fall
 * both below floors and above sizes in one round: raising the low ones
 * and capping the high ones move the rest's share in opposite
 * directions, and a stratum fixed at its floor may deserve more once the
 * capped strata's surplus is shared.  So each round fixes one side only,
 * the side that stays out of bounds whatever the rest's share settles
 * at: if the low strata need more units (the deficit) than capping the
 * high ones frees (the surplus), the common share can only fall, so the
 * low strata are fixed; otherwise it can only rise and the high ones are
 * fixed.  The result is the allocation clamp(lambda w[h], floor, N[h])
 * summing to n, which is what Neyman allocation with bounds calls for.
 */
static void
fix_bounds(sharing *s, size_t H, long n, long *alloc)
{
	for (;;) {
		double under = 0.0, over = 0.0;

		sharing_update(s, H, n, alloc);
		if (s->A == 0.0)
			return;     /* every free stratum is empty */
		for (size_t h = 0; h < H; h++) {
			double p, lo, hi;

			if (!IS_FREE(alloc[h]))
				continue;
			p = (double)s->R * stratum_weight(s, h);
			lo = (double)stratum_floor(s, h) * s->A;
			hi = (double)s->N[h] * s->A;
			if (p < lo)
				under += lo - p;
			else if (p > hi)
				over += p - hi;
		}
		if (under == 0.0 && over == 0.0)
			return;
		for (size_t h = 0; h < H; h++) {
			double p;

			if (!IS_FREE(alloc[h]))
				continue;
			p = (double)s->R * stratum_weight(s, h);
			if (under >= over && p < (double)stratum_floor(s, h) * s->A)
				alloc[h] = stratum_floor(s, h);
			else if (over >= under && p > (double)s->N[h] * s->A)
				alloc[h] = s->N[h];
		}
	}
}

/*
 * Hand out (or, give < 0, take back) whole units among the free strata in
 * largest-remainder order.  In exact arithmetic the leftover is between
 * 0 and the number of free strata, and one lap suffices; rounding of
 * Neyman weights could in principle leave it a unit outside that, so
 * further laps go round the same order again, and units are taken back
 * in the reverse order.  Sizes and floors are always respected.
 */
static void
hand_out(const sharing *s, size_t H, long left, long *alloc)
{
	int sign = left > 0 ? 1 : -1;

	for (long lap = 0; left != 0; lap++) {
		long given = 0;

		while (left != 0) {
			size_t best = H;
			double best_rem = 0.0;

			for (size_t h = 0; h < H; h++) {
				double whole, rem;
				long v;

				if (!IS_FREE(alloc[h]))
					continue;
				v = FREE_UNITS(alloc[h]);
				stratum_share(s, h, &whole, &rem);
				if ((v - (long)whole) * sign != lap)
					continue;
				if (sign > 0 ? v >= s->N[h] : v <= stratum_floor(s, h))
					continue;
				if (best == H || (sign > 0 ?
				    hands_first(s, h, rem, best, best_rem) :
				    hands_first(s, best, best_rem, h, rem))) {
					best = h;
					best_rem = rem;
				}
			}
			if (best == H)
				break;
			alloc[best] -= sign;    /* -1 - v, so one more unit is -1 */
			left -= sign;
			given++;
		}
		if (given == 0)
			return;     /* nobody can move: cannot happen, but never spin */
	}
}

long
ca_draw_allocate(const long *N, const double *S, size_t H, long n, long least,
    long *alloc)
{
	/* "least" is draw.h's floor: the name would hide floor() here. */
	sharing s = { N, S, 0.0, least < 0 ? 0 : least, 0, 0.0, 0 };
	long total = 0, lows = 0, left, sum = 0;

	if (n < 0)
		n = 0;
	for (size_t h = 0; h < H; h++) {
		assert(N[h] >= 0);
		assert(S == NULL || (isfinite(S[h]) && S[h] >= 0.0));
		total += N[h];
		lows += stratum_floor(&s, h);
		if (S != NULL && S[h] > s.smax)
			s.smax = S[h];
	}
	if (n >= total) {
		for (size_t h = 0; h < H; h++)
			alloc[h] = N[h];
		return total;
	}
	if (lows >= n) {
		for (size_t h = 0; h < H; h++)
			alloc[h] = stratum_floor(&s, h);
		return lows;
	}

	for (size_t h = 0; h < H; h++)
		alloc[h] = -1;
	fix_bounds(&s, H, n, alloc);

	/* Whole parts first, then the leftover by largest remainder. */
	left = s.R;
	for (size_t h = 0; h < H; h++) {
		double whole, rem;

		if (!IS_FREE(alloc[h]))
			continue;
		stratum_share(&s, h, &whole, &rem);
		alloc[h] = -1 - (long)whole;
		left -= (long)whole;
	}
	hand_out(&s, H, left, alloc);

	for (size_t h = 0; h < H; h++) {
		if (IS_FREE(alloc[h]))
			alloc[h] = FREE_UNITS(alloc[h]);
		sum += alloc[h];
	}
	return sum;
}

/* ---- Risk-weighted draws ----------------------------------------------- */

/*
 * The random order of the oversample: four bytes an index while the
 * indexes fit, which halves the memory for the populations of millions
 * the daemon draws from.
 */
typedef struct order {
	uint32_t *narrow;
	size_t *wide;
} order;

static int
order_new(order *o, size_t N)
{
	o->narrow = NULL;
	o->wide = NULL;
	if (N - 1 <= ca_draw_test_narrow_max && N - 1 <= UINT32_MAX) {
		if (N > SIZE_MAX / sizeof *o->narrow)
			return -1;
		o->narrow = malloc(N * sizeof *o->narrow);
		return o->narrow == NULL ? -1 : 0;
	}
	if (N > SIZE_MAX / sizeof *o->wide)
		return -1;
	o->wide = malloc(N * sizeof *o->wide);
	return o->wide == NULL ? -1 : 0;
}

static void
order_free(order *o)
{
	free(o->narrow);
	free(o->wide);
}

static inline size_t
order_get(const order *o, size_t k)
{
	return o->narrow != NULL ? o->narrow[k] : o->wide[k];
}

static inline void
order_set(order *o, size_t k, size_t v)
{
	if (o->narrow != NULL)
		o->narrow[k] = (uint32_t)v;
	else
		o->wide[k] = v;
}

/* Fisher-Yates from the last index down, starting from 0..N-1: N - 1
 * draws, ca_rng_below(i + 1) for i = N - 1, ..., 1. */
static void
order_shuffle(order *o, size_t N, ca_rng *r)
{
	for (size_t i = 0; i < N; i++)
		order_set(o, i, i);
	for (size_t i = N - 1; i > 0; i--) {
		size_t j = (size_t)ca_rng_below(r, (uint64_t)i + 1);
		size_t t = order_get(o, i);

		order_set(o, i, order_get(o, j));
		order_set(o, j, t);
	}
}

/*
 * The sum of the weights of the units not yet certain, times scale.
 * Compensated (Neumaier), so that the targets q come out summing to the
 * oversample size to within an ulp or so however many units there are:
 * that keeps the systematic step's rounding guard a theoretical matter.
 */
static double
uncertain_weight(size_t N, const double *w, double scale, const unsigned char *part)
{
	double sum = 0.0, carry = 0.0;

	for (size_t i = 0; i < N; i++) {
		double x, t;

		if (part[i] != CA_DRAW_NONE)
			continue;
		x = w[i] * scale;
		t = sum + x;
		carry += sum >= x ? (sum - t) + x : (x - t) + sum;
		sum = t;
	}
	return sum + carry;
}

/*
 * Step 1's target probabilities into q, with the units taken for certain
 * marked CA_DRAW_OVERSAMPLE in part.  Returns how many are certain.
 *
 * A unit is certain when (units left to share) * w >= (weight left),
 * i.e. when its share is at least 1; every such unit of a round is fixed
 * at once, which is right here (unlike allocation, the bound is one-sided:
 * fixing certain units only raises the others' shares, so nobody fixed
 * would later fall below 1).
 *
 * The weights are scaled by a power of two (exact, so the shares are the
 * same as unscaled) bringing the largest below 1, so that the sum of a
 * few million weights near DBL_MAX cannot overflow.
 */
static size_t
oversample_targets(size_t N, const double *w, size_t n_over, unsigned char *part,
    double *q)
{
	double wmax = 0.0, scale = 1.0, W;
	size_t certain = 0, m;
	int e;

	for (size_t i = 0; i < N; i++) {
		assert(isfinite(w[i]) && w[i] > 0.0);
		if (w[i] > wmax)
			wmax = w[i];
		part[i] = CA_DRAW_NONE;
	}
	if (wmax > 1.0) {
		frexp(wmax, &e);
		scale = ldexp(1.0, -e);
	}
	for (;;) {
		size_t fixed = 0;

		m = n_over - certain;
		W = uncertain_weight(N, w, scale, part);
		/* certain < n_over < N in exact arithmetic; the bound on
		 * fixed only keeps rounding from ever certain-fixing more
		 * than n_over units. */
		for (size_t i = 0; i < N && certain + fixed < n_over; i++)
			if (part[i] == CA_DRAW_NONE && (double)m * (w[i] * scale) >= W) {
				part[i] = CA_DRAW_OVERSAMPLE;
				fixed++;
			}
		if (fixed == 0)
			break;
		certain += fixed;
	}
	for (size_t i = 0; i < N; i++) {
		if (part[i] != CA_DRAW_NONE)
			q[i] = 1.0;
		else if (W > 0.0)
			q[i] = fmin(1.0, (double)m * (w[i] * scale) / W);
		else
			q[i] = 0.0;
	}
	return certain;
}

/*
 * Madow's systematic step along the random order: the unit whose stretch
 * [S, S + q) of the running sum S holds a point u + k is taken.
 *
 * Units already certain (q = 1) are passed over without adding to the
 * sum.  Each such stretch holds exactly one point whatever u is, and
 * leaving it out moves the later stretches by a whole number, which
 * holds the same points: the selection is the one draw.h describes.
 *
 * The running sum is kept less the points passed (f = S - k, so f <= u
 * always), a number below 2 rather than up to n_over: its rounding stays
 * at the level of the q themselves, where a plain running sum would lose
 * digits as it grew.
 *
 * Rounding guard.  Exactly m (= n_over minus the certain units) points
 * lie in [0, m), but the computed q sum to m only to within rounding, so
 * the last point can fall just outside the computed stretches:
 *   - a point past the m-th (u within rounding of 0 and the q summing a
 *     hair above m) is not taken: taking stops at m units;
 *   - a last point lost off the end (u within rounding of 1 and the q
 *     summing a hair below m) goes to the last unit in the order not
 *     already taken, the unit whose stretch ends there.
 * Either shifts a probability by about 1e-15; neither can happen when
 * the q sum to m exactly.
 */
static void
systematic(const order *o, size_t N, const double *q, unsigned char *part, size_t m,
    double u)
{
	double f = 0.0;
	size_t taken = 0;

	for (size_t k = 0; k < N && taken < m; k++) {
		size_t i = order_get(o, k);

		if (part[i] != CA_DRAW_NONE)
			continue;
		f += q[i];
		if (f > u) {
			part[i] = CA_DRAW_OVERSAMPLE;
			taken++;
			f -= 1.0;
		}
	}
	for (size_t k = N; taken < m && k-- > 0;) {
		size_t i = order_get(o, k);

		if (part[i] == CA_DRAW_NONE) {
			part[i] = CA_DRAW_OVERSAMPLE;
			taken++;
		}
	}
}

long
ca_draw_risk(ca_rng *r, size_t N, const double *weight, size_t n_core,
    size_t n_over, unsigned char *part, double *prob)
{
	order o = { NULL, NULL };
	size_t left, need;
	double share;

	if (n_core >= N || n_over >= N - n_core) {
		for (size_t i = 0; i < N; i++) {
			part[i] = CA_DRAW_CORE;
			prob[i] = 1.0;
		}
		return (long)N;
	}

	/* Memory first, so that a failure leaves r, part and prob alone. */
	if (n_over > 0 && order_new(&o, N) != 0)
		return -1;

	/* prob holds q until the end. */
	if (n_over > 0) {
		size_t certain = oversample_targets(N, weight, n_over, part, prob);
		double u;

		order_shuffle(&o, N, r);
		u = ca_rng_unit(r);
		if (ca_draw_test_start >= 0.0)
			u = ca_draw_test_start;
		systematic(&o, N, prob, part, n_over - certain, u);
		order_free(&o);
	} else {
		for (size_t i = 0; i < N; i++) {
			part[i] = CA_DRAW_NONE;
			prob[i] = 0.0;
		}
	}

	/* The core: Algorithm S over the units not taken, in index order,
	 * exactly the draws ca_draw_srs(r, N - n_over, n_core) makes. */
	left = N - n_over;
	need = n_core;
	for (size_t i = 0; i < N && need > 0; i++) {
		if (part[i] != CA_DRAW_NONE)
			continue;
		if (ca_rng_below(r, (uint64_t)left) < (uint64_t)need) {
			part[i] = CA_DRAW_CORE;
			need--;
		}
		left--;
	}

	share = (double)n_core / (double)(N - n_over);
	for (size_t i = 0; i < N; i++)
		prob[i] += (1.0 - prob[i]) * share;
	return (long)(n_core + n_over);
}
