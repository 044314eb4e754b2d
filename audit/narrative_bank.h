/*
 * narrative_bank.h - the phrase banks the synthetic narratives are
 * composed from.  Private to narrative.c (and its tests).
 *
 * A template is one sentence with {slots}; narrative.c fills them for the
 * case at hand.  The slots:
 *
 *   {P}            the person: "Mrs Okafor" or "Siân"; always takes the
 *                  singular verb ("{P} lives")
 *   {they} {They} {them} {their} {Their} {themselves}
 *                  the person's pronouns; a verb after {they} takes its
 *                  ending from {s}, {es}, {is}, {has}, {was}, {does}
 *   {rel} {relname} {relsees}   the other person who matters most: the carer, or
 *                        for a carer's assessment the person cared for;
 *                        {relsees} is "lives with her" or "visits every
 *                        Tuesday"
 *   {relshe} {relShe} {relher} {relhis}  that person's pronouns (she/he)
 *   {friendrel} {friendname}   a neighbour or friend
 *   {Wr} {wr} {me}       the writer: "I"/"I"/"me" or "The assessor"/...
 *   {cond} {cond2} {trigger} {place} {act} {group} {town} {equip}
 *   {referrer} {agency} {home} {job} {living} {age}
 *   {n} {years} {calls} {weeks} {hours} {budget} {waited} {day} {rag} {outcomes}
 *   {Q}            inside a quotation frame: the quoted words
 *   {nhs} {phone} {postcode} {email} {dob} {house} {street}
 *
 * Slot values may themselves hold slots.
 *
 * A template may start with markers, which are not printed:
 *   ~   the sentence records that the person has no needs in the outcome
 *   ^   only for people under 65 (work, children at school)
 *   `   only for people of 65 and over (retirement, grandchildren)
 */
#ifndef CASEAUDIT_NARRATIVE_BANK_H
#define CASEAUDIT_NARRATIVE_BANK_H

#include <stddef.h>

#include "names.h"
#include "narrative.h"

typedef struct ca_bank {
	const char *name;
	const char *const *v;
	size_t n;
} ca_bank;

/* How a sentence about an outcome is framed. */
enum ca_frame {
	CA_FRAME_STRENGTH,   /* what the person does, then the help */
	CA_FRAME_NEUTRAL,    /* the need, or that there is none */
	CA_FRAME_DEFICIT,    /* "unable to", "suffers from" */
	CA_FRAME_CARER,      /* the outcome seen from a carer's side */
	CA_FRAME_PRESENTING, /* the one issue a referral asks about */
	CA_FRAME_COUNT
};

/* How a risk is recorded. */
enum ca_risk_mention {
	CA_MENTION_BARE,     /* identified, nothing more */
	CA_MENTION_PLANNED,  /* with a plan, mitigation or contingency */
	CA_MENTION_NEGATED,  /* considered and ruled out */
	CA_MENTION_COUNT
};

extern const ca_bank ca_bank_outcome[CA_OUT_COUNT][CA_FRAME_COUNT];
extern const ca_bank ca_bank_risk[CA_RISK_COUNT][CA_MENTION_COUNT];
/* Carer breakdown when the person is the carer. */
extern const ca_bank ca_bank_risk_carer_self[CA_MENTION_COUNT];

extern const ca_bank
	ca_bank_open_care_act, ca_bank_open_review, ca_bank_open_carer,
	ca_bank_open_waiting, ca_bank_open_single, ca_bank_open_carer_waiting,
	ca_bank_open_review_waiting,
	ca_bank_background, ca_bank_background_deficit,
	ca_bank_deficit, ca_bank_deficit_carer,
	ca_bank_matters, ca_bank_skills, ca_bank_network, ca_bank_community,
	ca_bank_checking,
	ca_bank_quote_person, ca_bank_quote_carer, ca_bank_quote_frame,
	ca_bank_holistic,
	ca_bank_positive_risk, ca_bank_capacity, ca_bank_advocacy,
	ca_bank_safeguarding,
	ca_bank_carer_role, ca_bank_carer_willing, ca_bank_carer_accepted,
	ca_bank_carer_declined, ca_bank_carer_offered,
	ca_bank_carerself_role, ca_bank_carerself_willing,
	ca_bank_carerself_yes, ca_bank_carerself_no, ca_bank_carerself_dp,
	ca_bank_direct_payment,
	ca_bank_eligible_yes, ca_bank_eligible_no, ca_bank_plan,
	ca_bank_plan_review, ca_bank_plan_poor,
	ca_bank_record_good, ca_bank_record_poor,
	ca_bank_triage,
	ca_bank_filler,
	ca_bank_pii[CA_PLANT_DOB + 1];

/* Slot vocabularies. */
extern const ca_bank
	ca_vocab_trigger, ca_vocab_place, ca_vocab_act, ca_vocab_group,
	ca_vocab_town, ca_vocab_equip, ca_vocab_referrer, ca_vocab_agency,
	ca_vocab_home, ca_vocab_job_past, ca_vocab_job_young, ca_vocab_cond2,
	ca_vocab_street, ca_vocab_friendrel,
	ca_vocab_cond[CA_PSR_COUNT],
	ca_vocab_group_reason[CA_PSR_COUNT],
	ca_vocab_group_pool[CA_POOL_COUNT],
	ca_vocab_place_pool[CA_POOL_COUNT];

/* Every sentence bank above, for tests that expand each template once. */
extern const ca_bank *const ca_bank_all[];
extern const size_t ca_bank_all_len;

#endif
