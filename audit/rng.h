/*
 * rng.h - the documented pseudo-random generator behind everything that
 * must be reproducible: the synthetic caseload now, samples later.
 *
 * xoshiro256** (Blackman and Vigna, 2018) seeded through splitmix64, so a
 * single 64-bit seed gives the same stream on every machine and compiler.
 * Not for secrets.
 */
#ifndef CASEAUDIT_RNG_H
#define CASEAUDIT_RNG_H

#include <stdint.h>

typedef struct ca_rng {
	uint64_t s[4];
} ca_rng;

void     ca_rng_seed(ca_rng *r, uint64_t seed);
uint64_t ca_rng_next(ca_rng *r);

/* Uniform integer in [0, n), without modulo bias.  n must be > 0. */
uint64_t ca_rng_below(ca_rng *r, uint64_t n);

/* Uniform double in [0, 1) with 53 random bits. */
double   ca_rng_unit(ca_rng *r);

/* Uniform integer in [lo, hi], both inclusive. */
long     ca_rng_range(ca_rng *r, long lo, long hi);

/* True with probability p. */
int      ca_rng_chance(ca_rng *r, double p);

/* True with probability permille / 1000: integer-only, so that what the
 * synthetic caseload writes never depends on floating-point rounding. */
int      ca_rng_permille(ca_rng *r, int permille);

/* An index in [0, n) chosen with the given integer weights (sum > 0). */
int      ca_rng_weighted(ca_rng *r, const int *weights, int n);

#endif
