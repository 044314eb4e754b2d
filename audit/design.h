/*
 * design.h - a sampling design applied to a population in memory: how big
 * the sample is (the size rule), how it is shared among strata, and which
 * units are drawn with what inclusion probability.
 *
 * Used twice with the same code: by a run, to draw, and by `sample verify`,
 * to draw again from the recorded seed and population and compare.  No
 * database here.
 *
 * The order of randomness, which recorded runs depend on:  one generator
 * seeded with the run's seed (rng.h);
 *   random      ca_draw_srs over the whole population;
 *   stratified  strata in label order, ca_draw_srs in each with the same
 *               generator, each stratum's units in assessment_ref order;
 *   risk        ca_draw_risk over the whole population.
 */
#ifndef CASEAUDIT_DESIGN_H
#define CASEAUDIT_DESIGN_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

typedef enum ca_method { CA_METHOD_RANDOM, CA_METHOD_STRATIFIED, CA_METHOD_RISK } ca_method;
typedef enum ca_size_rule { CA_SIZE_FIXED, CA_SIZE_PERCENT, CA_SIZE_MARGIN } ca_size_rule;

typedef struct ca_design {
	ca_method method;
	ca_size_rule size_rule;
	double size_value;     /* n, a percentage, or a margin */
	double confidence, proportion;
	int per_stratum;       /* stratified: the size rule per stratum */
	int neyman;            /* stratified: allocate by N_h * S_h */
	long floor;            /* stratified: at least this many per stratum */
	double core_share;     /* risk: the share drawn as the random core */
} ca_design;

/* The population: N units in assessment_ref order, each in a stratum
 * (0..H-1; always 0 unless stratified) with a risk weight (risk only). */
typedef struct ca_population {
	size_t N;
	const int *stratum;        /* N entries, or NULL when H is 1 */
	const double *weight;      /* N entries, risk only */
	size_t H;
	const long *size;          /* H stratum sizes */
	const double *variability; /* H Neyman S_h, when neyman */
} ca_population;

enum { CA_PART_RANDOM, CA_PART_STRATIFIED, CA_PART_CORE, CA_PART_OVERSAMPLE };
extern const char *const ca_part_names[4];   /* "random", "stratified", ... */

typedef struct ca_selection {
	long *allocation;          /* H entries */
	size_t n;                  /* units selected */
	size_t *unit;              /* n indexes into the population, ascending */
	unsigned char *part;       /* n CA_PART_* */
	double *probability;       /* n inclusion probabilities */
} ca_selection;

/* The sample size the rule gives for a population of N: a fixed n (never
 * more than N), a percentage rounded up, or the size for a margin
 * (stats.h).  64 for arguments out of range. */
int  ca_design_size(const ca_design *d, long N, long *n, ca_err *err);

/* Draw: fills sel (free with ca_selection_free).  70 when out of memory. */
int  ca_design_draw(const ca_design *d, const ca_population *pop, uint64_t seed,
    ca_selection *sel, ca_err *err);
void ca_selection_free(ca_selection *sel);

#endif
