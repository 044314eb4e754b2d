/*
 * work.c - the daemon's scheduler and job handlers (see work.h).
 */
#include "work.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assign.h"
#include "chase.h"
#include "date.h"
#include "db.h"
#include "moderation.h"
#include "period.h"
#include "sample.h"
#include "screen.h"
#include "workflow.h"

#define ACTOR "caseauditd"
/* A plan that has not run for years is caught up this far at most per
 * schedule; the next schedule carries on. */
#define MAX_CATCH_UP 240

enum { PRIORITY_SCREEN = 10, PRIORITY_SAMPLE = 20, PRIORITY_ASSIGN = 30,
	PRIORITY_MODERATE = 35, PRIORITY_CHASE = 40, PRIORITY_CLOSE = 50 };

static int schedule_extra(PGconn *conn, const ca_work_config *cfg, int *queued, ca_err *err);

void
ca_work_config_defaults(ca_work_config *cfg)
{
	memset(cfg, 0, sizeof *cfg);
	cfg->remind_days = 3;
	cfg->escalate_days = 7;
	cfg->screen_batch = 1000;
	cfg->report_after_days = 0;
}

/* True when `sql` (one boolean) says so. */
static int
ask(PGconn *conn, const char *what, const char *sql, int nparams, const char *const *params,
    int *yes, ca_err *err)
{
	PGresult *res = ca_db_query(conn, err, what, sql, nparams, params);

	if (res == NULL)
		return err->code;
	*yes = PQntuples(res) > 0 && PQgetvalue(res, 0, 0)[0] == 't';
	PQclear(res);
	return 0;
}

static int
enqueue(PGconn *conn, const char *kind, const char *key, const char *payload, int priority,
    int *queued, ca_err *err)
{
	int added = 0, rc = ca_job_enqueue(conn, kind, key, payload, priority, &added, err);

	*queued += added;
	return rc;
}

/* A sample job for every ended period of every active plan that has no
 * run and no job, dead or alive. */
static int
schedule_samples(PGconn *conn, const ca_work_config *cfg, int *queued, ca_err *err)
{
	PGresult *plans;
	int rc = 0;

	plans = ca_db_query(conn, err, "reading the plans",
	    "SELECT id, every, first_period FROM sampling_plans WHERE NOT paused ORDER BY id",
	    0, NULL);
	if (plans == NULL)
		return err->code;
	for (int r = 0; r < PQntuples(plans) && rc == 0; r++) {
		const char *id = PQgetvalue(plans, r, 0);
		ca_period per;

		if (ca_period_parse(PQgetvalue(plans, r, 2), &per) != 0)
			continue;
		for (int n = 0; n < MAX_CATCH_UP && rc == 0 && ca_period_ended(&per, cfg->today);
		    n++, per = ca_period_next(&per)) {
			char name[8], key[64], payload[96];
			const char *p[3] = { key, id, name };
			int known;

			ca_period_name(&per, name);
			snprintf(key, sizeof key, "sample:%s:%s", id, name);
			rc = ask(conn, "looking for the run",
			    "SELECT EXISTS (SELECT 1 FROM sampling_runs WHERE plan_id = $2::bigint"
			    "   AND period = $3)"
			    " OR EXISTS (SELECT 1 FROM jobs WHERE key = $1 AND state <> 'done')",
			    3, p, &known, err);
			if (rc != 0 || known)
				continue;
			snprintf(payload, sizeof payload, "{\"plan\": %s, \"period\": \"%s\"}", id, name);
			rc = enqueue(conn, "sample", key, payload, PRIORITY_SAMPLE, queued, err);
		}
	}
	PQclear(plans);
	return rc;
}

int
ca_work_schedule(PGconn *conn, const ca_work_config *cfg, int *queued, ca_err *err)
{
	char chase_key[32], payload[48];
	const char *p[1] = { chase_key };
	int n = 0, yes, rc;

	if ((rc = ca_db_begin(conn, err)) != 0)
		return rc;
	/* Screening first: risk weights read the screenings. */
	if ((rc = ask(conn, "looking for assessments to screen",
	    "SELECT EXISTS (SELECT 1 FROM assessments a WHERE NOT EXISTS"
	    "  (SELECT 1 FROM screenings s WHERE s.rule_set_id ="
	    "     (SELECT rule_set_id FROM screening_rules_current)"
	    "   AND s.assessment_id = a.id AND s.assessment_revision = a.revision))"
	    " AND EXISTS (SELECT 1 FROM screening_rules_current)", 0, NULL, &yes, err)) != 0 ||
	    (yes && (rc = enqueue(conn, "screen", "screen", "{}", PRIORITY_SCREEN, &n, err)) != 0) ||
	    (rc = schedule_samples(conn, cfg, &n, err)) != 0 ||
	    (rc = ask(conn, "looking for audits to assign",
	    "SELECT EXISTS (SELECT 1 FROM audits WHERE status = 'unassigned')"
	    " AND EXISTS (SELECT 1 FROM staff s WHERE s.active AND 'auditor' = ANY (s.roles)"
	    "   AND s.max_open_audits > (SELECT count(*) FROM audits au WHERE au.auditor_id = s.id"
	    "     AND au.status IN ('assigned', 'in_progress', 'returned')))", 0, NULL, &yes,
	    err)) != 0 ||
	    (yes && (rc = enqueue(conn, "assign", "assign", "{}", PRIORITY_ASSIGN, &n, err)) != 0) ||
	    (rc = ca_moderation_due(conn, cfg->today, &yes, err)) != 0 ||
	    (yes && (rc = enqueue(conn, "moderate", "moderate", "{}", PRIORITY_MODERATE, &n,
	    err)) != 0))
		goto fail;
	/* Chasing once a day: a finished chase job keeps its key for the day. */
	snprintf(chase_key, sizeof chase_key, "chase:%s", cfg->today);
	snprintf(payload, sizeof payload, "{\"date\": \"%s\"}", cfg->today);
	if ((rc = ask(conn, "looking for today's chase",
	    "SELECT EXISTS (SELECT 1 FROM jobs WHERE key = $1)", 1, p, &yes, err)) != 0 ||
	    (!yes && (rc = enqueue(conn, "chase", chase_key, payload, PRIORITY_CHASE, &n,
	    err)) != 0))
		goto fail;
	/* Closing only when an audit's feedback window has ended (the test is
	 * ca_audits_close_due's), so that a quiet day queues nothing more. */
	p[0] = cfg->today;
	if ((rc = ask(conn, "looking for audits to close",
	    "SELECT EXISTS (SELECT 1 FROM audits au JOIN feedback fb ON fb.audit_id = au.id"
	    "   AND fb.submission = au.submissions WHERE au.status IN ('submitted', 'feedback')"
	    "   AND fb.window_ends < $1::date AND NOT EXISTS (SELECT 1 FROM moderations m"
	    "     WHERE m.audit_id = au.id AND m.status = 'pending'))", 1, p, &yes, err)) != 0 ||
	    (yes && (rc = enqueue(conn, "close", "close", payload, PRIORITY_CLOSE, &n, err)) != 0) ||
	    (rc = schedule_extra(conn, cfg, &n, err)) != 0)
		goto fail;
	if ((rc = ca_db_commit(conn, err)) != 0)
		return rc;
	if (queued != NULL)
		*queued = n;
	return 0;
fail:
	ca_db_rollback(conn);
	return rc;
}

/* Whether `name` is an element of a PostgreSQL text array literal of
 * periods ("{2025-11,2025-12}"): periods need no quoting. */
static int
in_array_text(const char *array, const char *name)
{
	size_t len = strlen(name);

	for (const char *p = strstr(array, name); p != NULL; p = strstr(p + 1, name))
		if ((p[-1] == '{' || p[-1] == ',') && (p[len] == ',' || p[len] == '}'))
			return 1;
	return 0;
}

int
ca_work_next_runs(PGconn *conn, ca_next_run **rows, size_t *n, ca_err *err)
{
	PGresult *res;

	*rows = NULL;
	*n = 0;
	res = ca_db_query(conn, err, "reading the plans and their runs",
	    "SELECT p.name, p.every, p.paused, p.first_period,"
	    "  coalesce(array_agg(r.period) FILTER (WHERE r.period IS NOT NULL), '{}')::text"
	    " FROM sampling_plans p LEFT JOIN sampling_runs r ON r.plan_id = p.id"
	    " GROUP BY p.id ORDER BY p.name", 0, NULL);
	if (res == NULL)
		return err->code;
	if ((*rows = calloc((size_t)PQntuples(res) + 1, sizeof **rows)) == NULL) {
		PQclear(res);
		return ca_err_set(err, CA_EX_SOFTWARE, "reading the plans: out of memory");
	}
	for (int r = 0; r < PQntuples(res); r++) {
		ca_next_run *x = &(*rows)[r];
		char first[11], last[11];
		ca_period per;
		int steps = 0;

		snprintf(x->plan, sizeof x->plan, "%s", PQgetvalue(res, r, 0));
		snprintf(x->every, sizeof x->every, "%s", PQgetvalue(res, r, 1));
		x->paused = PQgetvalue(res, r, 2)[0] == 't';
		if (x->paused || ca_period_parse(PQgetvalue(res, r, 3), &per) != 0)
			continue;
		for (;;) {
			ca_period_name(&per, x->period);
			if (!in_array_text(PQgetvalue(res, r, 4), x->period) ||
			    ++steps > MAX_CATCH_UP * 10)
				break;
			per = ca_period_next(&per);
		}
		ca_period_bounds(&per, first, last);
		ca_date_add_days(last, 1, x->due);
	}
	*n = (size_t)PQntuples(res);
	PQclear(res);
	return 0;
}

/* ---- handlers ----------------------------------------------------------- */

static int
run_screen(PGconn *conn, const ca_job *job, const ca_work_config *cfg, char *summary,
    size_t size, ca_err *err)
{
	ca_screen_run_opts o = { 0 };
	ca_screen_run r;
	int rc;

	(void)job;
	o.batch = cfg->screen_batch;
	o.actor = ACTOR;
	o.log = stderr;
	memset(&r, 0, sizeof r);
	rc = ca_screen_stored(conn, &o, &r, err);
	if (rc == CA_EX_NOINPUT) {
		/* No rules yet: nothing to do until the QA lead loads them. */
		snprintf(summary, size, "screened=0 reason=no_rules_loaded");
		ca_screen_run_free(&r);
		ca_err_clear(err);
		return 0;
	}
	if (rc == 0)
		snprintf(summary, size, "screened=%lld unscreenable=%lld", r.screened,
		    r.unscreenable);
	ca_screen_run_free(&r);
	return rc;
}

/* The payload's fields, read by the database's JSON parser. */
static int
payload_fields(PGconn *conn, const ca_job *job, const char *sql, PGresult **res, ca_err *err)
{
	const char *p[1] = { job->payload };

	*res = ca_db_query(conn, err, "reading the job", sql, 1, p);
	if (*res == NULL)
		return err->code;
	if (PQntuples(*res) == 0 || PQgetisnull(*res, 0, 0)) {
		PQclear(*res);
		return ca_err_set(err, CA_EX_DATAERR, "job %lld: the payload lacks what a %s job "
		    "needs", job->id, job->kind);
	}
	return 0;
}

static int
run_sample(PGconn *conn, const ca_job *job, const ca_work_config *cfg, char *summary,
    size_t size, ca_err *err)
{
	ca_sample_request rq = { 0 };
	ca_sample_outcome out;
	PGresult *res;
	int rc;

	if ((rc = payload_fields(conn, job, "SELECT ($1::jsonb->>'plan')::bigint,"
	    " $1::jsonb->>'period' WHERE $1::jsonb ? 'period'", &res, err)) != 0)
		return rc;
	rq.plan_id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	rq.period = PQgetvalue(res, 0, 1);
	rq.scheduled = 1;
	rq.today = cfg->today;
	rq.actor = ACTOR;
	rc = ca_sample_run(conn, &rq, &out, err);
	if (rc == 0)
		snprintf(summary, size, "plan=%lld period=%s run=%lld%s population=%ld sample=%ld "
		    "assigned=%ld unassigned=%ld targeted=%ld", rq.plan_id, rq.period, out.run_id,
		    out.existed ? " existed=yes" : out.skipped ? " skipped=paused" : "",
		    out.population, out.sample, out.assigned, out.unassigned, out.targeted);
	PQclear(res);
	return rc;
}

static int
run_assign(PGconn *conn, const ca_job *job, const ca_work_config *cfg, char *summary,
    size_t size, ca_err *err)
{
	long assigned, left;
	int rc;

	(void)job;
	(void)cfg;
	if ((rc = ca_assign_pending(conn, 0, ACTOR, &assigned, &left, err)) == 0)
		snprintf(summary, size, "assigned=%ld unassigned=%ld", assigned, left);
	return rc;
}

static int
run_chase(PGconn *conn, const ca_job *job, const ca_work_config *cfg, char *summary,
    size_t size, ca_err *err)
{
	ca_chase_counts c;
	PGresult *res;
	int rc;

	if ((rc = payload_fields(conn, job, "SELECT $1::jsonb->>'date'", &res, err)) != 0)
		return rc;
	rc = ca_chase(conn, PQgetvalue(res, 0, 0), cfg->remind_days, cfg->escalate_days, ACTOR,
	    &c, err);
	if (rc == 0)
		snprintf(summary, size, "date=%s due_soon=%ld overdue=%ld escalated=%ld "
		    "action_due_soon=%ld action_overdue=%ld action_escalated=%ld",
		    PQgetvalue(res, 0, 0), c.due_soon, c.overdue, c.escalated, c.action_due_soon,
		    c.action_overdue, c.action_escalated);
	PQclear(res);
	return rc;
}

/* Closing goes by the daemon's today, not the payload's: a close job that
 * waited in the queue closes what is due when it runs. */
static int
run_close(PGconn *conn, const ca_job *job, const ca_work_config *cfg, char *summary,
    size_t size, ca_err *err)
{
	long closed;
	int rc;

	(void)job;
	if ((rc = ca_audits_close_due(conn, cfg->today, ACTOR, &closed, err)) == 0)
		snprintf(summary, size, "date=%s closed=%ld", cfg->today, closed);
	return rc;
}

static int
run_moderate(PGconn *conn, const ca_job *job, const ca_work_config *cfg, char *summary,
    size_t size, ca_err *err)
{
	ca_moderation_counts c;
	int rc;

	(void)job;
	if ((rc = ca_moderation_run(conn, cfg->today, ACTOR, NULL, &c, err)) == 0)
		snprintf(summary, size, "drawn=%ld sampled=%ld quarter_minimum=%ld assigned=%ld "
		    "waiting=%ld withdrawn=%ld", c.drawn, c.sampled, c.quarter_minimum, c.assigned,
		    c.waiting, c.withdrawn);
	return rc;
}

static const ca_work_kind kinds[] = {
	{ "screen", PRIORITY_SCREEN, 0, run_screen, NULL },
	{ "sample", PRIORITY_SAMPLE, 1, run_sample, NULL },
	{ "assign", PRIORITY_ASSIGN, 1, run_assign, NULL },
	{ "moderate", PRIORITY_MODERATE, 1, run_moderate, NULL },
	{ "chase", PRIORITY_CHASE, 1, run_chase, NULL },
	{ "close", PRIORITY_CLOSE, 1, run_close, NULL },
};

/* Kinds the program added (ca_work_register). */
static const ca_work_kind *extra[CA_WORK_MAX_EXTRA];
static size_t nextra;

const ca_work_kind *
ca_work_find(const char *kind)
{
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (strcmp(kinds[i].kind, kind) == 0)
			return &kinds[i];
	for (size_t i = 0; i < nextra; i++)
		if (strcmp(extra[i]->kind, kind) == 0)
			return extra[i];
	return NULL;
}

int
ca_work_register(const ca_work_kind *k)
{
	if (ca_work_find(k->kind) != NULL || nextra == CA_WORK_MAX_EXTRA)
		return -1;
	extra[nextra++] = k;
	return 0;
}

/* The registered kinds' own scheduling, after the library's. */
static int
schedule_extra(PGconn *conn, const ca_work_config *cfg, int *queued, ca_err *err)
{
	int rc = 0;

	for (size_t i = 0; i < nextra && rc == 0; i++)
		if (extra[i]->schedule != NULL)
			rc = extra[i]->schedule(conn, cfg, queued, err);
	return rc;
}
