/*
 * names.h - the invented names carried by the synthetic caseload.
 *
 * People in the demo narratives and on the demo staff list need names that
 * look like an English county's population: mostly British, with the
 * Polish, Portuguese, South Asian, African, Caribbean and other families
 * that live there, and with the accented letters (Siân, Łukasz, Zoë) that
 * real extracts carry and that every layer must handle as UTF-8.  None of
 * the combinations refers to a real person.
 */
#ifndef CASEAUDIT_NAMES_H
#define CASEAUDIT_NAMES_H

#include <stddef.h>

#include "rng.h"

/* Name pools, roughly by family origin. */
enum ca_name_pool {
	CA_POOL_BRITISH,     /* English, Scottish, Welsh, Irish */
	CA_POOL_EUROPEAN,    /* Polish, Portuguese, Romanian, Italian, ... */
	CA_POOL_SOUTH_ASIAN,
	CA_POOL_BLACK,       /* African and Caribbean */
	CA_POOL_OTHER,       /* Chinese, Vietnamese, Turkish, Arab, ... */
	CA_POOL_COUNT
};

/* Which first names to draw from. */
enum ca_name_sex {
	CA_SEX_FEMALE,
	CA_SEX_MALE,
	CA_SEX_EITHER        /* names commonly given to anyone */
};

const char *ca_name_first(ca_rng *r, int pool, int sex);
const char *ca_name_surname(ca_rng *r, int pool);

/*
 * Write NAME folded to lower-case ASCII for an e-mail address: accents
 * dropped (Siân -> sian, Łukasz -> lukasz), apostrophes and spaces removed,
 * hyphens kept.  Always NUL-terminates; returns the length written.
 */
size_t ca_name_fold(char *dst, size_t size, const char *name);

#endif
