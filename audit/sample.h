/*
 * sample.h - sampling runs: drawing a plan's sample for a period, with
 * everything recorded that anybody needs to draw it again, and checking a
 * recorded run by drawing it again.
 *
 * A run's population is the plan's assessments for the period (completed
 * in it; with waiting_days also people still waiting longer than that at
 * its end), leaving out people whose file was audited (in a run of any
 * plan, audit not cancelled) in a period ending within the exclusion
 * window, in assessment_ref byte order.  Recorded: the plan's parameters,
 * the seed and where it came from, the population (every member, per
 * stratum, with risk weights) and the SHA-256 of its refs (each followed
 * by a newline, in that order), each stratum's size, allocation and
 * variability, and the selected cases with their inclusion probabilities.
 *
 * Risk weights (risk method), never zero:
 *   1
 *   + 1 for each screening flag except personal_data (single_issue,
 *     no_person_voice, deficit_language, risk_without_plan,
 *     carer_without_offer, safeguarding_concern)
 *   + 2 for urgent priority, 1 for high
 *   + 2 when the wait (request to completion, or to the period's end while
 *     waiting) is over 26 weeks, 1 when over 13 weeks.
 *
 * Neyman variability of a stratum: sqrt(p (1 - p)) with p the share of
 * its earlier audits (runs of any plan ending before this period) graded
 * good or outstanding, when at least 10 are graded; otherwise 0.5, the
 * largest it can be, so an unknown stratum is never starved.
 */
#ifndef CASEAUDIT_SAMPLE_H
#define CASEAUDIT_SAMPLE_H

#include <stdint.h>
#include <stdio.h>
#include <libpq-fe.h>

#include "error.h"

typedef struct ca_sample_request {
	long long plan_id;
	const char *period;     /* "2025-03" or "2025-Q1" */
	int have_seed;          /* else drawn from the operating system */
	uint64_t seed;
	int redraw;             /* replace an unstarted run's draw */
	int scheduled;          /* the daemon: a paused plan is not an error */
	const char *today;      /* "YYYY-MM-DD" run date; NULL: the database's */
	const char *actor;
	FILE *log;              /* --verbose: a key=value line per step, else NULL */
} ca_sample_request;

typedef struct ca_sample_outcome {
	long long run_id;
	int existed;            /* the run was already there: nothing drawn */
	int skipped;            /* scheduled and the plan is paused */
	long population;
	long sample;
	long targeted;          /* re-audits added outside the draw (reaudit.h) */
	long assigned;          /* this time */
	long unassigned;        /* left unassigned */
} ca_sample_outcome;

/* Open (or find) the plan's run for the period, draw it, make its audits,
 * add the re-audits waiting for it (reaudit.h; a redraw adds them again)
 * and assign them all, in the caller's transaction.  65 with a sentence for a
 * period of the wrong length, one not yet ended, a paused plan, or a
 * redraw of a run whose audits have started. */
int ca_sample_run(PGconn *conn, const ca_sample_request *rq, ca_sample_outcome *out,
    ca_err *err);

/* Draw run_id again from its recorded seed and population.  *same is 1
 * when everything agrees; otherwise each difference is written to `diff`
 * as a line (assessment refs only, no personal data). */
int ca_sample_verify(PGconn *conn, long long run_id, int *same, FILE *diff, ca_err *err);

/* A seed from the operating system (getrandom). */
int ca_sample_system_seed(uint64_t *seed, ca_err *err);

#endif
