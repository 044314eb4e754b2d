/*
 * narrative.h - synthetic assessment narratives for the demo caseload.
 *
 * The screening, sampling and reports can only be shown working on text
 * that varies the way real recording varies: some assessments look at the
 * whole of a person's life and some at one presenting issue; some carry the
 * person's own words and strengths, some only deficits; risks appear with
 * and without a plan; carers are named with and without a carer's
 * assessment being offered.  A case's partner organisation sets the odds of
 * each (its quality profile), so statistics drawn from the demo show real
 * differences between partners.  A few narratives carry personal data
 * (NHS number, telephone, postcode, e-mail, date of birth) for redaction to
 * find.
 *
 * Composition appends into one buffer, allocated once by ca_narr_new() and
 * reused for every narrative, so a million narratives cost no allocation.
 */
#ifndef CASEAUDIT_NARRATIVE_H
#define CASEAUDIT_NARRATIVE_H

#include <stddef.h>

#include "rng.h"

/* Narratives are 80 to 400 words, whitespace-separated. */
#define CA_NARR_MIN_WORDS 80
#define CA_NARR_MAX_WORDS 400
#define CA_NARR_MAX_BYTES 8192

enum ca_narr_type {
	CA_TYPE_CARE_ACT,    /* care_act_assessment */
	CA_TYPE_REVIEW,      /* review */
	CA_TYPE_CARER        /* carers_assessment: the person is the carer */
};

enum ca_gender {
	CA_GENDER_FEMALE,
	CA_GENDER_MALE,
	CA_GENDER_NONBINARY,
	CA_GENDER_UNSTATED
};

/* Age bands 18-24, 25-44, 45-64, 65-74, 75-84, 85+. */
enum { CA_AGE_BANDS = 6 };

/* Primary support reasons, in the order of the SALT return. */
enum ca_support_reason {
	CA_PSR_PHYSICAL,
	CA_PSR_SENSORY,
	CA_PSR_MEMORY,
	CA_PSR_LEARNING,
	CA_PSR_MENTAL_HEALTH,
	CA_PSR_SOCIAL,
	CA_PSR_COUNT
};

/* The ten eligibility outcomes of the Care and Support (Eligibility
 * Criteria) Regulations 2015, reg 2(2), as bits. */
enum ca_outcome {
	CA_OUT_NUTRITION,
	CA_OUT_HYGIENE,
	CA_OUT_TOILET,
	CA_OUT_CLOTHING,
	CA_OUT_HOME_SAFELY,
	CA_OUT_HABITABLE_HOME,
	CA_OUT_RELATIONSHIPS,
	CA_OUT_WORK,
	CA_OUT_COMMUNITY,
	CA_OUT_CHILD,
	CA_OUT_COUNT
};

enum ca_narr_risk {
	CA_RISK_FALLS,
	CA_RISK_SELF_NEGLECT,
	CA_RISK_HOARDING,
	CA_RISK_FINANCIAL_ABUSE,
	CA_RISK_CARER_BREAKDOWN,
	CA_RISK_WAITING,     /* deterioration while waiting */
	CA_RISK_COUNT
};

/* What the record says about a carer's assessment. */
enum ca_carer_offer {
	CA_CARER_NONE,       /* no carer in the narrative */
	CA_CARER_NOT_OFFERED,
	CA_CARER_OFFERED,    /* offered, answer not yet known */
	CA_CARER_ACCEPTED,
	CA_CARER_DECLINED
};

/* Personal data planted for redaction to find. */
enum ca_plant_pii {
	CA_PLANT_NONE,
	CA_PLANT_NHS_NUMBER,
	CA_PLANT_PHONE,
	CA_PLANT_POSTCODE,
	CA_PLANT_EMAIL,
	CA_PLANT_DOB
};

/* A partner's practice, as chances per thousand cases. */
typedef struct ca_narr_profile {
	int holistic;        /* looks at six or more outcomes */
	int strengths;       /* strengths-based recording */
	int risk_plan;       /* an identified risk comes with a plan */
	int carer_offer;     /* a carer is offered a carer's assessment */
	int recording;       /* clear, dated, signed off */
} ca_narr_profile;

typedef struct ca_narr_person {
	const char *title;   /* "Mrs", "Mr", "Ms", "Mx", or NULL */
	const char *first;
	const char *surname;
	int gender;          /* enum ca_gender */
	int age_band;        /* 0 .. CA_AGE_BANDS - 1 */
	int reason;          /* enum ca_support_reason */
	int pool;            /* enum ca_name_pool, for relatives' names */
	int age;             /* in years on the extract date */
	int birth_year, birth_month, birth_day;
} ca_narr_person;

typedef struct ca_narr_case {
	const ca_narr_profile *profile;
	const ca_narr_person *person;
	int type;            /* enum ca_narr_type */
	int waiting;         /* not yet assessed: the record is the triage */
	int eligible;        /* 1 yes, 0 no, -1 not recorded */
	int direct_payment;  /* 1 offered, 0 not, -1 not recorded */
	int carer;           /* a carer is identified */
	int wait_days;       /* from request to completion, or so far */
} ca_narr_case;

/* What went into a narrative, for tests and the README's counts. */
typedef struct ca_narr_facts {
	unsigned outcomes;   /* 1u << enum ca_outcome, for each covered */
	int quotes;          /* sentences in the person's own words */
	int strengths;       /* strengths-based sentences */
	int deficits;        /* sentences in deficit language */
	int risks;           /* risks identified */
	int risks_planned;   /* of which with a plan or mitigation */
	int risks_negated;   /* "no concerns about falls" */
	int carer_offer;     /* enum ca_carer_offer */
	int pii;             /* enum ca_plant_pii */
	int words;
	int paragraphs;
} ca_narr_facts;

/* The reusable composer: an output buffer and the per-narrative state. */
typedef struct ca_narr ca_narr;

ca_narr *ca_narr_new(void);
void     ca_narr_free(ca_narr *n);

/*
 * Compose the narrative for one case, drawing every choice from r.  Fills
 * f when not NULL.  Returns 0; afterwards ca_narr_text() holds
 * CA_NARR_MIN_WORDS to CA_NARR_MAX_WORDS words of UTF-8.
 */
int ca_narrative_compose(ca_narr *n, ca_rng *r, const ca_narr_case *c,
    ca_narr_facts *f);

/* The text composed last, NUL-terminated, and its length in bytes. */
const char *ca_narr_text(const ca_narr *n);
size_t      ca_narr_len(const ca_narr *n);

/*
 * For tests: set the composer up for case c and expand the single
 * template TMPL.  Returns the number of slots it did not know (0 when the
 * template is sound).
 */
int ca_narrative_expand(ca_narr *n, ca_rng *r, const ca_narr_case *c,
    const char *tmpl);

/* The outcome's name as the regulations word it, e.g. "managing toilet
 * needs". */
const char *ca_outcome_name(int outcome);

#endif
