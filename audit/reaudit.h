/*
 * reaudit.h - re-audit: a finding asks for the same case, or the
 * practitioner's next case, to be audited again in a later sampling run,
 * as a targeted case outside the random draw.
 *
 * A request (reaudit_requests) waits until a run is drawn for a period
 * ending after the request was made, by a plan with the same checklist
 * (form) whose assessment types and partner organisations cover the case:
 *   case          the same assessment is added to that run (or counted as
 *                 fulfilled when the random draw took it anyway);
 *   practitioner  the assessor's first assessment completed in the run's
 *                 period, on or after the day of the request, that no
 *                 audit has taken (by completed_on, then assessment_ref);
 *                 with none, the request waits for a later run.
 * Each addition is a row in sampling_run_targeted and an audit like the
 * run's others (its checklist version and due date, assigned by the same
 * rules).  Targeted cases are never in sampling_run_members: the random
 * draw, its verification and its headline rates are untouched.
 */
#ifndef CASEAUDIT_REAUDIT_H
#define CASEAUDIT_REAUDIT_H

#include <libpq-fe.h>

#include "error.h"
#include "workflow.h"

/* `audit reaudit`: the audit's auditor, the principal social worker or a
 * QA lead asks for a re-audit of the audit's case (next_case 0) or of the
 * assessor's next case (next_case 1), with a reason, once the audit has
 * started (not unassigned, assigned or cancelled).  65 when the same
 * re-audit is already waiting.  *request_id (may be NULL) receives the
 * request's id. */
int ca_reaudit_request(PGconn *conn, const ca_actor *actor, long long audit_id,
    int next_case, const char *reason, long long *request_id, ca_err *err);

/* Sampling (sample.c), once a run's random selection is recorded: add
 * the open requests the run can take as targeted cases, in the caller's
 * transaction, each with an event.  due is the run's due date; *added
 * (may be NULL) receives how many cases were added. */
int ca_reaudit_fulfil(PGconn *conn, const char *run, const char *due, const char *actor,
    long *added, ca_err *err);

/* Before a run is redrawn: release the requests it fulfilled and forget
 * its targeted cases (their audits go with the run's others), each
 * release an event, so that ca_reaudit_fulfil adds them again. */
int ca_reaudit_release(PGconn *conn, const char *run, const char *actor, ca_err *err);

#endif
