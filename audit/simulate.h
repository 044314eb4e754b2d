/*
 * simulate.h - the demo simulator: plays the auditors, the partners, the
 * QA leads and the moderator over the synthetic caseload, so that the demo
 * and the benchmarks have realistic findings to show.  It is a
 * simulation, and says so everywhere it writes: every free text it
 * enters begins "Simulated:", and each run leaves a `demo.simulated`
 * event with what it did.
 *
 * It acts only through the workflow's own functions (workflow.h,
 * actions.h, moderation.h), as the staff the work belongs to, so the rules, the trail and the daemon see
 * exactly what real users would make.
 *
 * What it plays, as of `today`:
 *   - each auditor completes their open audits a number of days after the
 *     run (mostly in time, about one in five late); ratings are drawn
 *     with chances from the partner's practice profile (the generator's,
 *     see generate.h) and the screening flags: a single-issue narrative is
 *     likely to fail the holistic questions, deficit language the
 *     strengths ones, a risk without a plan the risk ones.  A case whose
 *     narrative raised a safeguarding concern is sometimes found not acted
 *     on, which escalates.  Grades follow the scores, with some judgement.
 *     Practice improves month by month from the first sampling period as
 *     the findings land (the weakest partners most), so a year of trends
 *     has a story for the board to read.
 *   - QA leads acknowledge escalations two days after they are raised.
 *   - partners comment on about one finding in ten, within the window.
 *   - audits graded requires improvement or inadequate get an action for
 *     the partner, due in a month and done on time about three times in
 *     four (the rest up to four weeks late).
 *   - the moderator moderates what the daemon selected, two to ten days
 *     after the findings went out: the same grade four times in five, a
 *     question now and then rated a step away, one audit in twenty
 *     returned to its auditor, who looks again and resubmits.
 * Every decision is drawn from the seed and the audit's id, so the same
 * seed on the same data plays the same year.
 */
#ifndef CASEAUDIT_SIMULATE_H
#define CASEAUDIT_SIMULATE_H

#include <stdint.h>
#include <libpq-fe.h>

#include "error.h"

typedef struct ca_sim_counts {
	long submitted;      /* audits submitted */
	long late;           /* of those, after their due date */
	long answers;
	long escalations;    /* safeguarding escalations raised */
	long acknowledged;   /* audits whose escalations were acknowledged */
	long comments;       /* partner comments */
	long actions;        /* actions set */
	long actions_done;
	long moderated;
	long returned;       /* by the moderator */
} ca_sim_counts;

/* Play everything due by today (YYYY-MM-DD).  Each change is its own
 * transaction, as it would be for people; a failure stops the run with
 * err set and leaves what was done in place (running again carries on). */
int ca_simulate(PGconn *conn, const char *today, uint64_t seed, ca_sim_counts *counts,
    ca_err *err);

#endif
