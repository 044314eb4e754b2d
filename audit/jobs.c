/*
 * jobs.c - the work queue in the jobs table: enqueue, claim, finish, fail
 * and retry; see jobs.h for the rules these statements keep.
 */
#include "jobs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"

/* Claiming in one statement keeps the window between choosing a job and
 * owning it closed: the inner SELECT locks the chosen row (skipping rows
 * another daemon is choosing at this moment) and the UPDATE takes it.
 *
 * A running job is taken over when its lease has passed or when the
 * server process that claimed it is gone (its daemon died, or lost its
 * connection, which the server noticed).  The takeover updates the same
 * row from running to running, so the partial unique index (one queued or
 * running job per key) cannot be broken by it. */
static const char claim_sql[] =
	"UPDATE jobs SET state = 'running', attempts = attempts + 1, locked_by = $1,"
	" locked_backend = pg_backend_pid(),"
	" locked_until = now() + make_interval(secs => $2::int),"
	" started_at = now(), finished_at = NULL"
	" WHERE id = (SELECT id FROM jobs"
	"   WHERE (state = 'queued' AND run_after <= now())"
	"      OR (state = 'running' AND (locked_until < now()"
	"          OR NOT EXISTS (SELECT 1 FROM pg_stat_activity a"
	"                         WHERE a.pid = jobs.locked_backend)))"
	"   ORDER BY priority, run_after, id LIMIT 1 FOR UPDATE SKIP LOCKED)"
	" RETURNING id, kind, key, payload::text, attempts, max_attempts";

/* A job that comes back to the claim with no attempts left was started
 * max_attempts times and never finished nor failed: its daemon died each
 * time, perhaps because of the job itself.  Running it again would only
 * repeat that, so it is put aside with a reason. */
static const char abandon_sql[] =
	"UPDATE jobs SET state = 'dead', finished_at = now(), locked_by = NULL,"
	" locked_backend = NULL, locked_until = NULL,"
	" last_error = 'abandoned: started ' || (attempts - 1) || ' times without finishing'"
	"   || coalesce(' (last error: ' || last_error || ')', '')"
	" WHERE id = $1 AND locked_by = $2 AND state = 'running'";

/* Backoff: 30 s after the first failure, doubling, at most an hour.  The
 * exponent is capped before power() so that a large max_attempts cannot
 * overflow anything. */
static const char fail_sql[] =
	"UPDATE jobs SET"
	" state = CASE WHEN attempts >= max_attempts THEN 'dead' ELSE 'queued' END,"
	" run_after = CASE WHEN attempts >= max_attempts THEN run_after"
	"   ELSE now() + make_interval(secs => least(3600,"
	"        30 * power(2, least(greatest(attempts - 1, 0), 12)))) END,"
	" finished_at = CASE WHEN attempts >= max_attempts THEN now() END,"
	" last_error = $3, locked_by = NULL, locked_backend = NULL, locked_until = NULL"
	" WHERE id = $1 AND locked_by = $2 AND state = 'running'";

/* Retry refuses to queue a second job for work that is already queued or
 * running under another id (the unique index would refuse it anyway). */
static const char retry_sql[] =
	"UPDATE jobs j SET state = 'queued', attempts = 0, run_after = now(),"
	" finished_at = NULL, locked_by = NULL, locked_backend = NULL, locked_until = NULL"
	" WHERE j.id = $1 AND j.state IN ('dead', 'queued')"
	" AND NOT EXISTS (SELECT 1 FROM jobs o WHERE o.key = j.key AND o.id <> j.id"
	"                 AND o.state IN ('queued', 'running'))";

int
ca_job_enqueue(PGconn *conn, const char *kind, const char *key, const char *payload,
    int priority, int *added, ca_err *err)
{
	char prio[16];
	const char *params[4] = { kind, key, payload ? payload : "{}", prio };
	PGresult *res;

	snprintf(prio, sizeof prio, "%d", priority);
	res = ca_db_query(conn, err, "queueing a job",
	    "INSERT INTO jobs (kind, key, payload, priority) VALUES ($1, $2, $3::jsonb, $4)"
	    " ON CONFLICT (key) WHERE state IN ('queued', 'running') DO NOTHING RETURNING id",
	    4, params);
	if (res == NULL)
		return err->code;
	if (added != NULL)
		*added = PQntuples(res) == 1;
	PQclear(res);
	return 0;
}

static char *
dup_value(const PGresult *res, int col)
{
	return strdup(PQgetvalue(res, 0, col));
}

static int
job_from_row(const PGresult *res, ca_job **job, ca_err *err)
{
	ca_job *j = calloc(1, sizeof *j);

	if (j == NULL)
		return ca_err_set(err, CA_EX_SOFTWARE, "claiming a job: out of memory");
	j->id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	j->kind = dup_value(res, 1);
	j->key = dup_value(res, 2);
	j->payload = dup_value(res, 3);
	j->attempts = atoi(PQgetvalue(res, 0, 4));
	j->max_attempts = atoi(PQgetvalue(res, 0, 5));
	if (j->kind == NULL || j->key == NULL || j->payload == NULL) {
		ca_job_free(j);
		return ca_err_set(err, CA_EX_SOFTWARE, "claiming a job: out of memory");
	}
	*job = j;
	return 0;
}

static int
abandon(PGconn *conn, const ca_job *job, const char *daemon_id, ca_err *err)
{
	char id[32];
	const char *params[2] = { id, daemon_id };

	snprintf(id, sizeof id, "%lld", job->id);
	return ca_db_exec(conn, err, "putting aside a job that never finished", abandon_sql,
	    2, params);
}

int
ca_job_claim(PGconn *conn, const char *daemon_id, int lease_seconds, ca_job **job,
    ca_err *err)
{
	char lease[16];
	const char *params[2] = { daemon_id, lease };
	PGresult *res;
	int rc;

	*job = NULL;
	if (PQtransactionStatus(conn) != PQTRANS_IDLE)
		return ca_err_set(err, CA_EX_SOFTWARE, "claiming a job: a transaction is open; "
		    "the claim must commit on its own");
	snprintf(lease, sizeof lease, "%d", lease_seconds > 0 ? lease_seconds : 1);
	for (;;) {
		res = ca_db_query(conn, err, "claiming a job", claim_sql, 2, params);
		if (res == NULL)
			return err->code;
		if (PQntuples(res) == 0) {
			PQclear(res);
			return 0;
		}
		rc = job_from_row(res, job, err);
		PQclear(res);
		if (rc != 0)
			return rc;
		if ((*job)->attempts <= (*job)->max_attempts)
			return 0;
		/* Out of attempts: put it aside and look for the next one. */
		rc = abandon(conn, *job, daemon_id, err);
		ca_job_free(*job);
		*job = NULL;
		if (rc != 0)
			return rc;
	}
}

int
ca_job_finish(PGconn *conn, const ca_job *job, const char *daemon_id, ca_err *err)
{
	char id[32];
	const char *params[2] = { id, daemon_id };
	PGresult *res;
	int rows;

	snprintf(id, sizeof id, "%lld", job->id);
	res = ca_db_query(conn, err, "marking a job done",
	    "UPDATE jobs SET state = 'done', finished_at = now(), last_error = NULL,"
	    " locked_by = NULL, locked_backend = NULL, locked_until = NULL"
	    " WHERE id = $1 AND locked_by = $2 AND state = 'running'", 2, params);
	if (res == NULL)
		return err->code;
	rows = atoi(PQcmdTuples(res));
	PQclear(res);
	if (rows != 1)
		return ca_err_set(err, CA_EX_TEMPFAIL, "marking job %lld done: it is no longer "
		    "this daemon's (its lease passed and another daemon took it over)", job->id);
	return 0;
}

int
ca_job_fail(PGconn *conn, const ca_job *job, const char *daemon_id, const char *error,
    ca_err *err)
{
	char id[32];
	const char *params[3] = { id, daemon_id, error && *error ? error : "failed" };
	PGresult *res;
	int rows;

	snprintf(id, sizeof id, "%lld", job->id);
	res = ca_db_query(conn, err, "recording a failed job", fail_sql, 3, params);
	if (res == NULL)
		return err->code;
	rows = atoi(PQcmdTuples(res));
	PQclear(res);
	if (rows != 1)
		return ca_err_set(err, CA_EX_TEMPFAIL, "recording the failure of job %lld: it is "
		    "no longer this daemon's (another daemon took it over)", job->id);
	return 0;
}

/* Why a retry changed nothing, in a sentence the QA lead can act on. */
static int
explain_no_retry(PGconn *conn, long long id, const char *idtext, ca_err *err)
{
	const char *params[1] = { idtext };
	PGresult *res;
	const char *state;
	int rc;

	res = ca_db_query(conn, err, "looking up the job",
	    "SELECT j.state, (SELECT min(o.id) FROM jobs o WHERE o.key = j.key AND o.id <> j.id"
	    "   AND o.state IN ('queued', 'running'))"
	    " FROM jobs j WHERE j.id = $1", 1, params);
	if (res == NULL)
		return err->code;
	if (PQntuples(res) == 0) {
		rc = ca_err_set(err, CA_EX_DATAERR, "jobs retry: there is no job %lld", id);
	} else if (!PQgetisnull(res, 0, 1)) {
		rc = ca_err_set(err, CA_EX_DATAERR, "jobs retry: job %lld cannot be retried: job "
		    "%s does the same work and is already queued or running", id,
		    PQgetvalue(res, 0, 1));
	} else {
		state = PQgetvalue(res, 0, 0);
		rc = ca_err_set(err, CA_EX_DATAERR, "jobs retry: job %lld is %s; only a dead or "
		    "queued job can be retried", id, state);
	}
	PQclear(res);
	return rc;
}

int
ca_job_retry(PGconn *conn, long long id, ca_err *err)
{
	char idtext[32];
	const char *params[1] = { idtext };
	PGresult *res;
	const char *state;
	int rows;

	snprintf(idtext, sizeof idtext, "%lld", id);
	res = PQexecParams(conn, retry_sql, 1, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		/* Someone queued the same work between our check and update. */
		state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
		if (state != NULL && strcmp(state, "23505") == 0) {
			PQclear(res);
			return ca_err_set(err, CA_EX_DATAERR, "jobs retry: job %lld cannot be "
			    "retried: the same work is already queued or running", id);
		}
		ca_db_fail(conn, res, err, "retrying a job");
		PQclear(res);
		return err->code;
	}
	rows = atoi(PQcmdTuples(res));
	PQclear(res);
	if (rows == 1)
		return 0;
	return explain_no_retry(conn, id, idtext, err);
}

void
ca_job_free(ca_job *job)
{
	if (job == NULL)
		return;
	free(job->kind);
	free(job->key);
	free(job->payload);
	free(job);
}
