/*
 * rng.c - xoshiro256** seeded with splitmix64; see rng.h.
 *
 * Written from the published algorithm descriptions.  The unit tests pin
 * the first outputs for known seeds so a change here cannot go unnoticed:
 * a changed stream would silently change every recorded sample.
 */
#include "rng.h"

static uint64_t
splitmix64(uint64_t *x)
{
	uint64_t z = (*x += UINT64_C(0x9e3779b97f4a7c15));

	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

static inline uint64_t
rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

void
ca_rng_seed(ca_rng *r, uint64_t seed)
{
	uint64_t x = seed;

	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix64(&x);
}

uint64_t
ca_rng_next(ca_rng *r)
{
	uint64_t *s = r->s;
	uint64_t result = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

uint64_t
ca_rng_below(ca_rng *r, uint64_t n)
{
	/* Reject the top sliver of the range that would bias small values. */
	uint64_t limit = UINT64_MAX - UINT64_MAX % n;
	uint64_t x;

	do
		x = ca_rng_next(r);
	while (x >= limit);
	return x % n;
}

double
ca_rng_unit(ca_rng *r)
{
	return (double)(ca_rng_next(r) >> 11) * 0x1.0p-53;
}

long
ca_rng_range(ca_rng *r, long lo, long hi)
{
	return lo + (long)ca_rng_below(r, (uint64_t)(hi - lo) + 1);
}

int
ca_rng_chance(ca_rng *r, double p)
{
	return ca_rng_unit(r) < p;
}

int
ca_rng_permille(ca_rng *r, int permille)
{
	return (int)ca_rng_below(r, 1000) < permille;
}

int
ca_rng_weighted(ca_rng *r, const int *weights, int n)
{
	int total = 0, x;

	for (int i = 0; i < n; i++)
		total += weights[i];
	x = (int)ca_rng_below(r, (uint64_t)total);
	for (int i = 0; i < n; i++) {
		if (x < weights[i])
			return i;
		x -= weights[i];
	}
	return n - 1;
}
