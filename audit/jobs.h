/*
 * jobs.h - the daemon's work queue, a table in PostgreSQL (0004_sampling).
 *
 * A job is one idempotent unit of work with a kind ("sample"), a key that
 * names the work ("sample:3:2025-03") and a JSON payload.  At most one job
 * per key is queued or running at a time, so enqueueing the same work twice
 * is harmless.
 *
 * Claiming takes the runnable job with the lowest (priority, run_after, id)
 * with FOR UPDATE SKIP LOCKED and marks it running with a lease, in one
 * committed statement: attempts counts every start, even one that crashed.
 * A running job whose lease has expired, or whose claiming server process
 * (locked_backend) is gone because its daemon died, is runnable again.
 *
 * The work of a job and its `done` commit together (ca_job_finish inside
 * the handler's transaction), so a job's effects are never visible twice;
 * a daemon that lost its lease finds out there and rolls back.  A failure
 * goes back to the queue after an exponential backoff (30 s, 1, 2, 4 ...
 * minutes, capped at an hour), and after max_attempts becomes `dead`,
 * keeping its last error, until `caseaudit jobs retry ID`.
 */
#ifndef CASEAUDIT_JOBS_H
#define CASEAUDIT_JOBS_H

#include <libpq-fe.h>

#include "error.h"

typedef struct ca_job {
	long long id;
	char *kind;
	char *key;
	char *payload;      /* JSON text */
	int attempts;       /* including this one */
	int max_attempts;
} ca_job;

/* Queue a job unless one with the same key is queued or running.  Runs in
 * the caller's transaction when one is open (enqueue with the change that
 * causes the job).  *added (may be NULL) says whether a row was added. */
int  ca_job_enqueue(PGconn *conn, const char *kind, const char *key, const char *payload,
    int priority, int *added, ca_err *err);

/* Claim the next runnable job for daemon_id (autocommit; no transaction
 * may be open).  *job is NULL when nothing is runnable now. */
int  ca_job_claim(PGconn *conn, const char *daemon_id, int lease_seconds, ca_job **job,
    ca_err *err);

/* Mark the job done, inside the transaction that did its work.  75 when
 * the job is no longer this daemon's (its lease was taken over): roll
 * back. */
int  ca_job_finish(PGconn *conn, const ca_job *job, const char *daemon_id, ca_err *err);

/* Record a failed attempt (autocommit): back to the queue after a backoff,
 * or dead after max_attempts.  `error` must hold no personal data. */
int  ca_job_fail(PGconn *conn, const ca_job *job, const char *daemon_id, const char *error,
    ca_err *err);

/* Put a dead (or queued) job back to run now with its attempts reset.
 * 65 when there is no such job or it is running or done. */
int  ca_job_retry(PGconn *conn, long long id, ca_err *err);

void ca_job_free(ca_job *job);

#endif
