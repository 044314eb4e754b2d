/*
 * test_jobs.c - the work queue (jobs.h) against a real database: one job
 * per key, priority order, claim and finish, a lease taken over and the
 * old owner's finish refused, backoff after failure, dead after the last
 * attempt with its error kept, retry and its refusals, the job of a daemon
 * whose connection died taken over at once, a job that kept killing its
 * daemon put aside, SKIP LOCKED between two connections, and the
 * `caseaudit jobs` and `caseaudit status` commands.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "db.h"
#include "jobs.h"
#include "support.h"

#define ME "test-daemon:1"
#define OTHER "test-daemon:2"

static PGconn *
conn(void)
{
	return test_group.conn;
}

/* Each test starts from an empty queue. */
static int
empty_queue(void **state)
{
	(void)state;
	test_db_exec(conn(), "TRUNCATE jobs RESTART IDENTITY");
	return 0;
}

static long long
enqueue(const char *key, int priority)
{
	ca_err err = { 0 };
	int added = -1;

	if (ca_job_enqueue(conn(), "test", key, "{\"n\": 1}", priority, &added, &err) != 0)
		fail_msg("enqueue: %s", err.msg);
	assert_int_equal(added, 1);
	return test_db_count(conn(), "SELECT max(id) FROM jobs");
}

static ca_job *
claim_on(PGconn *c, const char *who, int lease)
{
	ca_err err = { 0 };
	ca_job *job = NULL;

	if (ca_job_claim(c, who, lease, &job, &err) != 0)
		fail_msg("claim: %s", err.msg);
	return job;
}

static void
sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static void
test_enqueue_dedupe(void **state)
{
	ca_err err = { 0 };
	ca_job *job;
	int added = -1;

	(void)state;
	enqueue("sample:1:2026-01", 100);
	assert_int_equal(ca_job_enqueue(conn(), "test", "sample:1:2026-01", NULL, 100, &added,
	    &err), 0);
	assert_int_equal(added, 0);
	assert_int_equal(test_db_count(conn(), "SELECT count(*) FROM jobs"), 1);
	/* still one while it runs */
	job = claim_on(conn(), ME, 300);
	assert_non_null(job);
	assert_int_equal(ca_job_enqueue(conn(), "test", "sample:1:2026-01", NULL, 100, &added,
	    &err), 0);
	assert_int_equal(added, 0);
	/* once done, the same work may be queued again */
	assert_int_equal(ca_job_finish(conn(), job, ME, &err), 0);
	ca_job_free(job);
	assert_int_equal(ca_job_enqueue(conn(), "test", "sample:1:2026-01", NULL, 100, &added,
	    &err), 0);
	assert_int_equal(added, 1);
	assert_int_equal(test_db_count(conn(), "SELECT count(*) FROM jobs"), 2);
	/* NULL for added is allowed; a bad payload is the caller's bug */
	assert_int_equal(ca_job_enqueue(conn(), "test", "other", "{}", 1, NULL, &err), 0);
	assert_int_equal(ca_job_enqueue(conn(), "test", "bad", "not json", 1, NULL, &err),
	    CA_EX_SOFTWARE);
}

static void
test_priority_order(void **state)
{
	long long late, low, high1, high2;
	ca_job *job;

	(void)state;
	low = enqueue("low", 200);
	high1 = enqueue("high-1", 10);
	high2 = enqueue("high-2", 10);
	late = enqueue("later", 1);
	test_db_exec(conn(), "UPDATE jobs SET run_after = now() + interval '1 hour' WHERE key = 'later'");
	(void)late;
	job = claim_on(conn(), ME, 300);
	assert_int_equal(job->id, high1);
	ca_job_free(job);
	job = claim_on(conn(), ME, 300);
	assert_int_equal(job->id, high2);
	ca_job_free(job);
	job = claim_on(conn(), ME, 300);
	assert_int_equal(job->id, low);
	ca_job_free(job);
	/* the one for later is not runnable yet, and the three are running */
	assert_null(claim_on(conn(), ME, 300));
}

static void
test_claim_and_finish(void **state)
{
	ca_err err = { 0 };
	ca_job *job;
	long long id = enqueue("claim", 100);

	(void)state;
	job = claim_on(conn(), ME, 300);
	assert_non_null(job);
	assert_int_equal(job->id, id);
	assert_string_equal(job->kind, "test");
	assert_string_equal(job->key, "claim");
	assert_string_equal(job->payload, "{\"n\": 1}");
	assert_int_equal(job->attempts, 1);
	assert_int_equal(job->max_attempts, 5);
	assert_int_equal(test_db_count(conn(), "SELECT count(*) FROM jobs WHERE state = 'running'"
	    " AND locked_by = 'test-daemon:1' AND locked_backend = pg_backend_pid()"
	    " AND locked_until > now() + interval '290 seconds' AND started_at IS NOT NULL"), 1);
	/* a claim refuses to run inside a transaction: it must commit alone */
	test_db_exec(conn(), "BEGIN");
	assert_int_equal(ca_job_claim(conn(), ME, 300, &(ca_job *){ NULL }, &err), CA_EX_SOFTWARE);
	assert_int_equal(ca_job_finish(conn(), job, ME, &err), 0);
	test_db_exec(conn(), "COMMIT");
	assert_int_equal(test_db_count(conn(), "SELECT count(*) FROM jobs WHERE state = 'done'"
	    " AND finished_at IS NOT NULL AND locked_by IS NULL AND locked_backend IS NULL"
	    " AND locked_until IS NULL"), 1);
	/* done twice is refused */
	assert_int_equal(ca_job_finish(conn(), job, ME, &err), CA_EX_TEMPFAIL);
	ca_job_free(job);
	assert_null(claim_on(conn(), ME, 300));
}

static void
test_finish_after_takeover(void **state)
{
	PGconn *other = test_db_connect(test_group.name);
	ca_err err = { 0 };
	ca_job *mine, *theirs;

	(void)state;
	enqueue("lease", 100);
	mine = claim_on(conn(), ME, 300);
	assert_non_null(mine);
	/* while the lease holds and the backend lives, nobody else gets it */
	assert_null(claim_on(other, OTHER, 300));
	test_db_exec(conn(), "UPDATE jobs SET locked_until = now() - interval '1 second'");
	theirs = claim_on(other, OTHER, 300);
	assert_non_null(theirs);
	assert_int_equal(theirs->id, mine->id);
	assert_int_equal(theirs->attempts, 2);
	/* the first daemon finds out when it tries to finish or fail */
	test_db_exec(conn(), "BEGIN");
	assert_int_equal(ca_job_finish(conn(), mine, ME, &err), CA_EX_TEMPFAIL);
	assert_non_null(strstr(err.msg, "no longer this daemon's"));
	test_db_exec(conn(), "ROLLBACK");
	assert_int_equal(ca_job_fail(conn(), mine, ME, "x", &err), CA_EX_TEMPFAIL);
	assert_int_equal(ca_job_finish(other, theirs, OTHER, &err), 0);
	assert_int_equal(test_db_count(conn(), "SELECT count(*) FROM jobs WHERE state = 'done'"
	    " AND attempts = 2"), 1);
	ca_job_free(mine);
	ca_job_free(theirs);
	PQfinish(other);
}

static double
run_after_in(void)
{
	char *v = test_db_value(conn(), "SELECT extract(epoch FROM run_after - now()) FROM jobs");
	double s = v ? atof(v) : -1;

	free(v);
	return s;
}

static void
test_fail_backs_off(void **state)
{
	static const double expect[] = { 30, 60, 120, 240 };
	ca_err err = { 0 };
	ca_job *job;

	(void)state;
	enqueue("flaky", 100);
	test_db_exec(conn(), "UPDATE jobs SET max_attempts = 20");
	for (int i = 0; i < 4; i++) {
		job = claim_on(conn(), ME, 300);
		assert_non_null(job);
		assert_int_equal(job->attempts, i + 1);
		assert_int_equal(ca_job_fail(conn(), job, ME, "the plan's form is missing", &err), 0);
		ca_job_free(job);
		assert_int_equal(test_db_count(conn(), "SELECT count(*) FROM jobs WHERE"
		    " state = 'queued' AND last_error = 'the plan''s form is missing'"
		    " AND locked_by IS NULL AND finished_at IS NULL"), 1);
		assert_true(run_after_in() > expect[i] - 2 && run_after_in() <= expect[i] + 1);
		/* not runnable until then */
		assert_null(claim_on(conn(), ME, 300));
		test_db_exec(conn(), "UPDATE jobs SET run_after = now()");
	}
	/* the backoff stops growing at an hour */
	test_db_exec(conn(), "UPDATE jobs SET attempts = 15");
	job = claim_on(conn(), ME, 300);
	assert_int_equal(ca_job_fail(conn(), job, ME, "again", &err), 0);
	ca_job_free(job);
	assert_true(run_after_in() > 3598 && run_after_in() <= 3601);
}

static void
test_dead_and_retry(void **state)
{
	ca_err err = { 0 };
	ca_job *job;
	long long id;

	(void)state;
	id = enqueue("doomed", 100);
	test_db_exec(conn(), "UPDATE jobs SET max_attempts = 2");
	for (int i = 0; i < 2; i++) {
		test_db_exec(conn(), "UPDATE jobs SET run_after = now()");
		job = claim_on(conn(), ME, 300);
		assert_non_null(job);
		assert_int_equal(ca_job_fail(conn(), job, ME, i ? "second failure" : "first",
		    &err), 0);
		ca_job_free(job);
	}
	assert_int_equal(test_db_count(conn(), "SELECT count(*) FROM jobs WHERE state = 'dead'"
	    " AND attempts = 2 AND last_error = 'second failure' AND finished_at IS NOT NULL"),
	    1);
	test_db_exec(conn(), "UPDATE jobs SET run_after = now() - interval '1 hour'");
	assert_null(claim_on(conn(), ME, 300));
	/* while it is dead the same work can be queued anew, and then the
	 * dead one cannot be retried */
	assert_int_equal(ca_job_enqueue(conn(), "test", "doomed", NULL, 100, NULL, &err), 0);
	assert_int_equal(ca_job_retry(conn(), id, &err), CA_EX_DATAERR);
	assert_non_null(strstr(err.msg, "already queued or running"));
	test_db_exec(conn(), "DELETE FROM jobs WHERE state = 'queued'");
	assert_int_equal(ca_job_retry(conn(), id, &err), 0);
	assert_int_equal(test_db_count(conn(), "SELECT count(*) FROM jobs WHERE state = 'queued'"
	    " AND attempts = 0 AND run_after <= now() AND finished_at IS NULL"), 1);
	job = claim_on(conn(), ME, 300);
	assert_non_null(job);
	assert_int_equal(job->id, id);
	assert_int_equal(job->attempts, 1);
	/* running and done jobs, and missing ones, are refused with a reason */
	assert_int_equal(ca_job_retry(conn(), id, &err), CA_EX_DATAERR);
	assert_non_null(strstr(err.msg, "is running"));
	assert_int_equal(ca_job_finish(conn(), job, ME, &err), 0);
	ca_job_free(job);
	assert_int_equal(ca_job_retry(conn(), id, &err), CA_EX_DATAERR);
	assert_non_null(strstr(err.msg, "is done"));
	assert_int_equal(ca_job_retry(conn(), 999999, &err), CA_EX_DATAERR);
	assert_non_null(strstr(err.msg, "there is no job 999999"));
}

/* Claim on a connection, close it, and wait for its server process to be
 * gone (the server notices within moments). */
static long long
claim_and_die(int lease)
{
	PGconn *doomed = test_db_connect(test_group.name);
	ca_job *job = claim_on(doomed, ME, lease);
	long long id;

	assert_non_null(job);
	id = job->id;
	ca_job_free(job);
	PQfinish(doomed);
	return id;
}

static void
test_dead_backend_taken_over(void **state)
{
	PGconn *other = test_db_connect(test_group.name);
	ca_job *job = NULL;
	long long id;

	(void)state;
	enqueue("orphan", 100);
	id = claim_and_die(3600);
	/* the lease has an hour to run, but its backend is gone */
	for (int i = 0; i < 250 && job == NULL; i++) {
		job = claim_on(other, OTHER, 300);
		if (job == NULL)
			sleep_ms(20);
	}
	assert_non_null(job);
	assert_int_equal(job->id, id);
	assert_int_equal(job->attempts, 2);
	ca_job_free(job);
	PQfinish(other);
}

static void
test_crashing_job_put_aside(void **state)
{
	PGconn *other = test_db_connect(test_group.name);
	ca_job *job = NULL;

	(void)state;
	enqueue("poison", 100);
	enqueue("healthy", 200);
	test_db_exec(conn(), "UPDATE jobs SET max_attempts = 1 WHERE key = 'poison'");
	claim_and_die(3600);
	/* once the dead backend is gone the poison job is put aside and the
	 * next one is claimed instead */
	for (int i = 0; i < 250; i++) {
		job = claim_on(other, OTHER, 300);
		if (job != NULL && strcmp(job->key, "poison") != 0)
			break;
		assert_null(job);
		sleep_ms(20);
	}
	assert_non_null(job);
	assert_string_equal(job->key, "healthy");
	ca_job_free(job);
	assert_int_equal(test_db_count(conn(), "SELECT count(*) FROM jobs WHERE key = 'poison'"
	    " AND state = 'dead' AND last_error LIKE 'abandoned: started 1 times%'"), 1);
	PQfinish(other);
}

static void
test_skip_locked(void **state)
{
	PGconn *other = test_db_connect(test_group.name);
	long long first, second;
	ca_job *job;

	(void)state;
	first = enqueue("first", 1);
	second = enqueue("second", 2);
	/* another daemon is in the middle of claiming the first job */
	test_db_exec(conn(), "BEGIN");
	test_db_exec(conn(), "SELECT id FROM jobs WHERE key = 'first' FOR UPDATE");
	test_db_exec(other, "SET lock_timeout = '2s'");
	job = claim_on(other, OTHER, 300);
	assert_non_null(job);
	assert_int_equal(job->id, second);
	ca_job_free(job);
	assert_null(claim_on(other, OTHER, 300));
	test_db_exec(conn(), "COMMIT");
	job = claim_on(other, OTHER, 300);
	assert_non_null(job);
	assert_int_equal(job->id, first);
	ca_job_free(job);
	PQfinish(other);
}

static void
test_jobs_command(void **state)
{
	const char *list[] = { "caseaudit", "jobs", "--format", "json", NULL };
	const char *failed[] = { "caseaudit", "jobs", "--failed", "--format", "csv", NULL };
	const char *all[] = { "caseaudit", "jobs", "--all", NULL };
	const char *retry[] = { "caseaudit", "jobs", "retry", "2", NULL };
	const char *retry_bad[] = { "caseaudit", "jobs", "retry", "1", NULL };
	const char *retry_word[] = { "caseaudit", "jobs", "retry", "two", NULL };
	ca_err err = { 0 };
	ca_job *job;
	test_run r;

	(void)state;
	enqueue("done-one", 1);
	enqueue("dead-one", 2);
	enqueue("waiting", 3);
	job = claim_on(conn(), ME, 300);
	assert_int_equal(ca_job_finish(conn(), job, ME, &err), 0);
	ca_job_free(job);
	test_db_exec(conn(), "UPDATE jobs SET state = 'dead', attempts = 5,"
	    " last_error = 'no form \"x\", sorry' WHERE key = 'dead-one'");
	test_run_cli(&r, test_group.name, NULL, list);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "{\"id\": 2, \"kind\": \"test\", \"key\": \"dead-one\", "
	    "\"state\": \"dead\", \"attempts\": 5, \"run_after\": \""));
	assert_non_null(strstr(r.out, "\"last_error\": \"no form \\\"x\\\", sorry\"}"));
	assert_non_null(strstr(r.out, "\"key\": \"waiting\""));
	assert_null(strstr(r.out, "done-one"));
	test_run_free(&r);
	test_run_cli(&r, test_group.name, NULL, failed);
	assert_int_equal(r.status, 0);
	assert_true(strncmp(r.out, "id,kind,key,state,attempts,run_after,last_error\n2,test,"
	    "dead-one,dead,5,", 57) == 0);
	assert_non_null(strstr(r.out, ",\"no form \"\"x\"\", sorry\"\n"));
	assert_null(strstr(r.out, "waiting"));
	test_run_free(&r);
	test_run_cli(&r, test_group.name, NULL, all);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "done-one"));
	assert_non_null(strstr(r.out, "ID  KIND  KEY"));
	test_run_free(&r);
	test_run_cli(&r, test_group.name, NULL, retry);
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out, "job 2 is queued to run now\n");
	test_run_free(&r);
	test_run_cli(&r, test_group.name, NULL, retry_bad);
	assert_int_equal(r.status, 65);
	assert_string_equal(r.err, "caseaudit: jobs retry: job 1 is done; only a dead or "
	    "queued job can be retried\n");
	test_run_free(&r);
	test_run_cli(&r, test_group.name, NULL, retry_word);
	assert_int_equal(r.status, 64);
	test_run_free(&r);
}

static void
test_status_command(void **state)
{
	const char *json[] = { "caseaudit", "status", "--format", "json", NULL };
	const char *table[] = { "caseaudit", "status", NULL };
	const char *csv[] = { "caseaudit", "status", "--format", "csv", NULL };
	test_run r;

	(void)state;
	enqueue("q-1", 1);
	enqueue("q-2", 1);
	enqueue("dead", 1);
	test_db_exec(conn(), "UPDATE jobs SET run_after = now() + interval '1 hour' WHERE key = 'q-2'");
	test_db_exec(conn(), "UPDATE jobs SET state = 'dead' WHERE key = 'dead'");
	test_db_exec(conn(), "DELETE FROM daemon_heartbeats");
	test_db_exec(conn(), "INSERT INTO daemon_heartbeats (daemon_id, host, pid, version,"
	    " started_at, seen_at, state, job_id) VALUES"
	    " ('web1:10', 'web1', 10, '0.1.0', now() - interval '1 hour', now(), 'working', 1),"
	    " ('web2:20', 'web2', 20, '0.1.0', now() - interval '1 day',"
	    "  now() - interval '10 minutes', 'idle', NULL)");
	test_db_exec(conn(), "INSERT INTO forms (name) VALUES ('status-form')");
	test_db_exec(conn(), "INSERT INTO sampling_plans (name, form_id, assessment_types, method,"
	    " size_rule, size_value, every, first_period, paused, created_by)"
	    " SELECT n, f.id, ARRAY['review'], 'random', 'size', 10, e, p, z, 'test'"
	    " FROM forms f, (VALUES ('monthly', 'month', '2025-01', false),"
	    "   ('quarterly', 'quarter', '2025-Q3', false),"
	    "   ('resting', 'month', '2025-01', true)) v(n, e, p, z)"
	    " WHERE f.name = 'status-form'");
	test_run_cli(&r, test_group.name, NULL, json);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "{\"daemon_id\": \"web1:10\", \"host\": \"web1\", "
	    "\"pid\": 10, \"version\": \"0.1.0\", \"state\": \"working\", \"job_id\": 1, "));
	assert_non_null(strstr(r.out, "\"seen_seconds_ago\": 0, \"alive\": true}"));
	assert_non_null(strstr(r.out, "\"job_id\": null, "));
	assert_non_null(strstr(r.out, "\"seen_seconds_ago\": 600, \"alive\": false}"));
	assert_non_null(strstr(r.out, "\"queue\": {\"queued\": 2, \"runnable\": 1, "
	    "\"running\": 0, \"dead\": 1}"));
	assert_non_null(strstr(r.out, "{\"plan\": \"monthly\", \"every\": \"month\", "
	    "\"paused\": false, \"next_period\": \"2025-01\", \"due_on\": \"2025-02-01\"}"));
	assert_non_null(strstr(r.out, "{\"plan\": \"quarterly\", \"every\": \"quarter\", "
	    "\"paused\": false, \"next_period\": \"2025-Q3\", \"due_on\": \"2025-10-01\"}"));
	assert_non_null(strstr(r.out, "{\"plan\": \"resting\", \"every\": \"month\", "
	    "\"paused\": true, \"next_period\": null, \"due_on\": null}"));
	test_run_free(&r);
	test_run_cli(&r, test_group.name, NULL, table);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "queue: 2 queued (1 runnable now), 0 running, 1 dead\n"));
	assert_non_null(strstr(r.out, "web2:20"));
	assert_non_null(strstr(r.out, "not seen"));
	assert_non_null(strstr(r.out, "2025-Q3  due 01/10/2025\n"));
	assert_non_null(strstr(r.out, "paused\n"));
	test_run_free(&r);
	test_run_cli(&r, test_group.name, NULL, csv);
	assert_int_equal(r.status, 64);
	test_run_free(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_enqueue_dedupe, empty_queue),
		cmocka_unit_test_setup(test_priority_order, empty_queue),
		cmocka_unit_test_setup(test_claim_and_finish, empty_queue),
		cmocka_unit_test_setup(test_finish_after_takeover, empty_queue),
		cmocka_unit_test_setup(test_fail_backs_off, empty_queue),
		cmocka_unit_test_setup(test_dead_and_retry, empty_queue),
		cmocka_unit_test_setup(test_dead_backend_taken_over, empty_queue),
		cmocka_unit_test_setup(test_crashing_job_put_aside, empty_queue),
		cmocka_unit_test_setup(test_skip_locked, empty_queue),
		cmocka_unit_test_setup(test_jobs_command, empty_queue),
		cmocka_unit_test_setup(test_status_command, empty_queue),
	};

	return cmocka_run_group_tests_name("jobs", tests, test_group_setup, test_group_teardown);
}
