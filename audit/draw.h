/*
 * draw.h - drawing samples: the pure arithmetic of sampling, with no
 * database, so that a run can be drawn again anywhere from its seed and
 * its recorded population and give the same cases (`sample verify`).
 *
 * Every function takes a ca_rng (rng.h) already seeded by the caller and
 * consumes it in a documented, fixed order: change that order and every
 * recorded run stops verifying, so don't.
 *
 * Units are indexes 0..N-1 into a population the caller has put in
 * assessment_ref order.
 */
#ifndef CASEAUDIT_DRAW_H
#define CASEAUDIT_DRAW_H

#include <stddef.h>

#include "rng.h"

/* Simple random sampling without replacement: n of N, every subset of
 * size n equally likely.  Writes the chosen indexes to out in ascending
 * order (out holds n).  Knuth's selection sampling (Algorithm S) with
 * integer draws (ca_rng_below), one draw per unit examined, so memory is
 * O(1) and the result is exact on every machine: unit t = 0, 1, ... is
 * taken when ca_rng_below(r, N - t) < (n - taken so far), and examining
 * stops once n are taken (n = 0 draws nothing; n = N draws N times).
 * n > N is treated as N.  Returns the number written. */
size_t ca_draw_srs(ca_rng *r, size_t N, size_t n, size_t *out);

/* Share n among H strata of sizes N[h]:
 *   - each stratum gets at least min(floor, N[h]) and at most N[h];
 *   - the rest goes in proportion to N[h] (proportional allocation) or,
 *     when S is not NULL, to N[h] * S[h] (Neyman allocation; S[h] is the
 *     stratum's standard deviation; if every free stratum has S 0 the
 *     shares fall back to N[h]); "the rest" is n less what the fixed
 *     strata hold, so a floor only matters to a stratum whose share
 *     would be below it;
 *   - strata whose share falls below their floor or above their size are
 *     fixed there and the rest shared again, until none moves.  When
 *     shares fall both below floors and above sizes in one round, only
 *     one side is fixed that round: the floors when raising them takes
 *     more units than capping frees, else the sizes (both when equal).
 *     Fixing both at once could fix a stratum at its floor that deserves
 *     more once the capped strata's surplus is shared.  The result is
 *     clamp(lambda * weight, floor, N[h]) summing to n;
 *   - whole numbers by largest remainder: each free stratum takes the
 *     whole part of its share, and the units left over go one each to the
 *     largest fractional parts (ties: the larger stratum, then the lower
 *     index).  Fractional parts are compared as R * weight mod A (R the
 *     units shared, A the free strata's total weight): exact for
 *     proportional allocation while R * N[h] < 2^53, so ties there are
 *     real ties; Neyman weights are N[h] * (S[h] / max S), so equal S give
 *     exactly the proportional answer.
 * When the floors alone reach n the total is their sum (more than n, or
 * n); when n >= sum N[h] every stratum is taken whole.  n < 0 and
 * floor < 0 count as 0.  N[h] >= 0 and S[h] finite and >= 0 are the
 * caller's to check.  Writes alloc[h] and returns the total allocated.
 * Deterministic: uses no randomness.  Allocates nothing and cannot fail;
 * time O(H^2), meant for strata in the hundreds. */
long ca_draw_allocate(const long *N, const double *S, size_t H, long n, long floor,
    long *alloc);

/* What a risk-weighted draw gives each unit. */
enum { CA_DRAW_NONE = 0, CA_DRAW_CORE = 1, CA_DRAW_OVERSAMPLE = 2 };

/* Risk-weighted sampling: a risk-weighted oversample of n_over units and
 * a simple random core of n_core units, without replacement, every unit's
 * inclusion probability exact.
 *
 *   1. Oversample, probability proportional to weight: the target
 *      probabilities are q_i = n_over * w_i / W (W the sum of weights);
 *      any q_i >= 1 is set to 1 (taken for certain) and the others are
 *      shared again among the rest, until none exceeds 1.  The units are
 *      put in a random order (Fisher-Yates with ca_rng_below, from the
 *      last index down: starting from 0..N-1, for i = N-1 down to 1 swap
 *      i with ca_rng_below(r, i + 1); N - 1 draws) and drawn by
 *      systematic sampling along that order (Madow): one uniform start
 *      u = ca_rng_unit(r), and a unit is taken when its stretch [S, S + q)
 *      of the running sum S of q contains u + k for a whole k.  Exactly
 *      n_over units are taken, and unit i with probability q_i.  Certain
 *      units are left out of the running sum: each holds exactly one point
 *      anyway, so this changes nothing but rounding.  Rounding guard: the
 *      computed q sum to n_over only to within rounding, so taking stops
 *      at n_over units, and if the last point falls off the end (u within
 *      rounding of 1) the last unit in the order not yet taken is taken.
 *      When n_over is 0 this step, and its draws, are skipped.
 *   2. Core: ca_draw_srs of n_core from the N - n_over units not taken,
 *      in index order (the same draws ca_draw_srs(r, N - n_over, n_core)
 *      makes).
 *   So unit i is in the sample with probability
 *      pi_i = q_i + (1 - q_i) * n_core / (N - n_over)
 *   and no unit ever has probability 0 when every weight is > 0 and the
 *   sample is not empty (weights must be finite and > 0; the caller
 *   guarantees it).
 *
 * When n_core + n_over >= N every unit is taken, marked CORE, with
 * probability 1, and no draws are made.
 * part[i] receives CA_DRAW_NONE, CA_DRAW_CORE or CA_DRAW_OVERSAMPLE and
 * prob[i] receives pi_i for every unit (selected or not).  Returns the
 * number selected (n_core + n_over, or N), or -1 when memory for the
 * order (N indexes: 4 bytes each up to 2^32 units, else 8) cannot be had,
 * in which case r, part and prob are untouched. */
long ca_draw_risk(ca_rng *r, size_t N, const double *weight, size_t n_core,
    size_t n_over, unsigned char *part, double *prob);

#endif
