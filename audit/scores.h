/*
 * scores.h - the one rule that turns an audit's answers into domain
 * scores.  Submission stores them; trends and reports read them.  Nothing
 * else computes a score.
 *
 * For each domain (the section's: holistic, strengths, risk, carers,
 * outcomes, recording):
 *
 *     score = sum(weight_q * value_q) / sum(weight_q)
 *
 * over the domain's answered questions whose rating counts (the scale's
 * score is a number, not `excluded`): met 1, partially met 0.5, not met 0,
 * or whatever numbers the checklist's scale gives.  Not applicable is
 * left out of both sums.  A domain with no question that counts has no
 * score (applicable = 0): neither good nor bad, and never a division by
 * zero.  Unanswered questions are left out too; submission only happens
 * once every required one is answered.
 */
#ifndef CASEAUDIT_SCORES_H
#define CASEAUDIT_SCORES_H

#include <stddef.h>

#define CA_DOMAINS 6
extern const char *const ca_domain_names[CA_DOMAINS];

/* The index of a domain name in ca_domain_names, or -1. */
int ca_domain_index(const char *name);

/* One answered question: its domain, weight, and the value its rating
 * counts for (value < 0: excluded, such as not applicable).  A rating id
 * of "met", "partially_met" or "not_met" is also counted by kind. */
typedef struct ca_scored_answer {
	int domain;
	double weight;
	double value;
	const char *rating;
} ca_scored_answer;

typedef struct ca_domain_score {
	int questions;      /* answered questions of the domain */
	int applicable;     /* of those, counting towards the score */
	int met, partially_met, not_met;
	double weight;      /* sum of the applicable questions' weights */
	double score;       /* in [0, 1]; meaningless when applicable == 0 */
} ca_domain_score;

/* Fill out[CA_DOMAINS] from n answers.  Answers with an unknown domain,
 * a weight that is not positive, or a value above 1 are ignored. */
void ca_scores_compute(const ca_scored_answer *a, size_t n, ca_domain_score out[CA_DOMAINS]);

#endif
