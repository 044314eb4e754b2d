/*
 * design.c - sizes, allocation and the draw of one sampling design; see
 * design.h for the order in which randomness is used.
 */
#include "design.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "draw.h"
#include "rng.h"
#include "stats.h"

const char *const ca_part_names[4] = { "random", "stratified", "core", "oversample" };

int
ca_design_size(const ca_design *d, long N, long *n, ca_err *err)
{
	switch (d->size_rule) {
	case CA_SIZE_FIXED:
		*n = d->size_value < (double)N ? (long)d->size_value : N;
		return 0;
	case CA_SIZE_PERCENT:
		/* Rounded up, so that any non-empty population is sampled; the
		 * small allowance stops 10% of 30 becoming 4 through rounding. */
		*n = (long)ceil((double)N * d->size_value / 100.0 - 1e-9);
		if (*n > N)
			*n = N;
		return 0;
	case CA_SIZE_MARGIN:
		return ca_sample_size(N, d->size_value, d->confidence, d->proportion, n, err);
	}
	return ca_err_set(err, CA_EX_SOFTWARE, "unknown size rule");
}

void
ca_selection_free(ca_selection *sel)
{
	free(sel->allocation);
	free(sel->unit);
	free(sel->part);
	free(sel->probability);
	memset(sel, 0, sizeof *sel);
}

static int
selection_alloc(ca_selection *sel, size_t H, size_t n)
{
	memset(sel, 0, sizeof *sel);
	sel->allocation = calloc(H ? H : 1, sizeof *sel->allocation);
	sel->unit = malloc((n ? n : 1) * sizeof *sel->unit);
	sel->part = malloc(n ? n : 1);
	sel->probability = malloc((n ? n : 1) * sizeof *sel->probability);
	return sel->allocation && sel->unit && sel->part && sel->probability ? 0 : -1;
}

static int
draw_random(const ca_design *d, const ca_population *pop, ca_rng *r, ca_selection *sel,
    ca_err *err)
{
	long n;
	int rc;

	if ((rc = ca_design_size(d, (long)pop->N, &n, err)) != 0)
		return rc;
	if (selection_alloc(sel, 1, (size_t)n) != 0)
		return ca_err_set(err, CA_EX_SOFTWARE, "drawing the sample: out of memory");
	sel->allocation[0] = n;
	sel->n = ca_draw_srs(r, pop->N, (size_t)n, sel->unit);
	for (size_t i = 0; i < sel->n; i++) {
		sel->part[i] = CA_PART_RANDOM;
		sel->probability[i] = (double)n / (double)pop->N;
	}
	return 0;
}

/* How many units each stratum gets. */
static int
allocate(const ca_design *d, const ca_population *pop, long *alloc, long *total, ca_err *err)
{
	long n, N = 0;
	int rc;

	if (d->per_stratum) {
		*total = 0;
		for (size_t h = 0; h < pop->H; h++) {
			long floor = d->floor < pop->size[h] ? d->floor : pop->size[h];

			if ((rc = ca_design_size(d, pop->size[h], &alloc[h], err)) != 0)
				return rc;
			if (alloc[h] < floor)
				alloc[h] = floor;
			*total += alloc[h];
		}
		return 0;
	}
	for (size_t h = 0; h < pop->H; h++)
		N += pop->size[h];
	if ((rc = ca_design_size(d, N, &n, err)) != 0)
		return rc;
	*total = ca_draw_allocate(pop->size, d->neyman ? pop->variability : NULL, pop->H, n,
	    d->floor, alloc);
	return 0;
}

static int
cmp_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	return x < y ? -1 : x > y;
}

/* Each stratum drawn in label order from the same generator; the units
 * are then put in population order, each with its stratum's probability. */
static int
draw_stratified(const ca_design *d, const ca_population *pop, ca_rng *r, ca_selection *sel,
    ca_err *err)
{
	size_t *units = NULL, *chosen = NULL, *start = NULL, *fill = NULL;
	long total;
	int rc;

	if (selection_alloc(sel, pop->H, 0) != 0)
		return ca_err_set(err, CA_EX_SOFTWARE, "drawing the sample: out of memory");
	if ((rc = allocate(d, pop, sel->allocation, &total, err)) != 0)
		return rc;
	free(sel->unit);
	free(sel->part);
	free(sel->probability);
	sel->unit = malloc(((size_t)total + 1) * sizeof *sel->unit);
	sel->part = malloc((size_t)total + 1);
	sel->probability = malloc(((size_t)total + 1) * sizeof *sel->probability);
	/* Each stratum's units, in population order, one after the other. */
	units = malloc((pop->N + 1) * sizeof *units);
	chosen = malloc(((size_t)total + 1) * sizeof *chosen);
	start = calloc(pop->H + 1, sizeof *start);
	fill = calloc(pop->H + 1, sizeof *fill);
	if (!sel->unit || !sel->part || !sel->probability || !units || !chosen || !start || !fill) {
		rc = ca_err_set(err, CA_EX_SOFTWARE, "drawing the sample: out of memory");
		goto done;
	}
	for (size_t h = 1; h <= pop->H; h++)
		start[h] = start[h - 1] + (size_t)pop->size[h - 1];
	for (size_t i = 0; i < pop->N; i++) {
		int h = pop->stratum ? pop->stratum[i] : 0;

		units[start[h] + fill[h]++] = i;
	}
	for (size_t h = 0; h < pop->H; h++) {
		size_t got = ca_draw_srs(r, (size_t)pop->size[h], (size_t)sel->allocation[h], chosen);

		for (size_t j = 0; j < got; j++)
			sel->unit[sel->n++] = units[start[h] + chosen[j]];
	}
	qsort(sel->unit, sel->n, sizeof *sel->unit, cmp_size);
	for (size_t k = 0; k < sel->n; k++) {
		int h = pop->stratum ? pop->stratum[sel->unit[k]] : 0;

		sel->part[k] = CA_PART_STRATIFIED;
		sel->probability[k] = (double)sel->allocation[h] / (double)pop->size[h];
	}
	rc = 0;
done:
	free(units);
	free(chosen);
	free(start);
	free(fill);
	return rc;
}

static int
draw_risk(const ca_design *d, const ca_population *pop, ca_rng *r, ca_selection *sel,
    ca_err *err)
{
	unsigned char *part = NULL;
	double *prob = NULL;
	long n, core;
	int rc;

	if ((rc = ca_design_size(d, (long)pop->N, &n, err)) != 0)
		return rc;
	core = (long)floor((double)n * d->core_share + 0.5);
	part = malloc(pop->N + 1);
	prob = malloc((pop->N + 1) * sizeof *prob);
	if (part == NULL || prob == NULL || selection_alloc(sel, 1, (size_t)n) != 0 ||
	    ca_draw_risk(r, pop->N, pop->weight, (size_t)core, (size_t)(n - core), part,
	    prob) < 0) {
		free(part);
		free(prob);
		return ca_err_set(err, CA_EX_SOFTWARE, "drawing the sample: out of memory");
	}
	sel->allocation[0] = n;
	for (size_t i = 0; i < pop->N; i++) {
		if (part[i] == CA_DRAW_NONE)
			continue;
		sel->unit[sel->n] = i;
		sel->part[sel->n] = part[i] == CA_DRAW_CORE ? CA_PART_CORE : CA_PART_OVERSAMPLE;
		sel->probability[sel->n] = prob[i];
		sel->n++;
	}
	free(part);
	free(prob);
	return 0;
}

int
ca_design_draw(const ca_design *d, const ca_population *pop, uint64_t seed,
    ca_selection *sel, ca_err *err)
{
	ca_rng r;
	int rc;

	memset(sel, 0, sizeof *sel);
	ca_rng_seed(&r, seed);
	switch (d->method) {
	case CA_METHOD_RANDOM:
		rc = draw_random(d, pop, &r, sel, err);
		break;
	case CA_METHOD_STRATIFIED:
		rc = draw_stratified(d, pop, &r, sel, err);
		break;
	case CA_METHOD_RISK:
		rc = draw_risk(d, pop, &r, sel, err);
		break;
	default:
		rc = ca_err_set(err, CA_EX_SOFTWARE, "unknown sampling method");
	}
	if (rc != 0) {
		ca_selection_free(sel);
		return rc;
	}
	return 0;
}
