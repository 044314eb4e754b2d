/*
 * test_sampling.c - plans, runs, verification and assignment against the
 * private PostgreSQL, through the real binary: a synthetic caseload is
 * imported once per group; each test works on its own plans.
 *
 * What must hold: a run records its population and verifies; a tampered
 * run does not; the same seed draws the same cases and another seed
 * others; one run per plan and period; a redraw only before work starts,
 * and kept in the trail; no audit ever goes to its assessor or to staff of
 * the partner that did the work; cases nobody can take stay unassigned
 * with the reason and are assigned when capacity frees; reassignment by
 * QA leads only, within the same rules.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

static char *dir;

/* Run caseaudit with up to 15 arguments; returns the exit status. */
static int
cli(test_run *r, const char *a1, ...)
{
	/* "--once" first means the daemon: `caseauditd --once ...` */
	const char *argv[20] = { strcmp(a1, "--once") == 0 ? "caseauditd" : "caseaudit", a1 };
	va_list ap;
	int n = 2;

	va_start(ap, a1);
	while (n < 19 && (argv[n] = va_arg(ap, const char *)) != NULL)
		n++;
	va_end(ap);
	argv[n] = NULL;
	assert_int_equal(test_run_cli(r, test_group.name, NULL, argv), 0);
	return r->status;
}

/* The command must succeed. */
#define OK(...)                                                        \
	do {                                                           \
		test_run r_;                                           \
		int s_ = cli(&r_, __VA_ARGS__, NULL);                  \
                                                                       \
		if (s_ != 0)                                           \
			fail_msg("exit %d: %s%s", s_, r_.out, r_.err); \
		test_run_free(&r_);                                    \
	} while (0)

static int
setup(void **state)
{
	char path[4200];
	test_run r;

	if (test_group_setup(state) != 0)
		return -1;
	dir = test_tempdir();
	snprintf(path, sizeof path, "%s/forms", CASEAUDIT_SOURCE_DIR);
	{
		const char *g[] = { "caseaudit", "demo", "generate", "--assessments", "1500",
		    "--seed", "3", "--out", dir, NULL };
		char forms[3][4300];
		const char *f[] = { "caseaudit", "forms", "load", forms[0], forms[1], forms[2], NULL };
		char staff[4300], ass[4300];
		const char *s[] = { "caseaudit", "import", "staff", staff, NULL };
		const char *a[] = { "caseaudit", "import", "assessments", ass, NULL };
		const char *sc[] = { "caseaudit", "screen", NULL };

		snprintf(forms[0], sizeof forms[0], "%s/screening.yaml", path);
		snprintf(forms[1], sizeof forms[1], "%s/care-act-assessment.yaml", path);
		snprintf(forms[2], sizeof forms[2], "%s/review.yaml", path);
		snprintf(staff, sizeof staff, "%s/staff.csv", dir);
		snprintf(ass, sizeof ass, "%s/assessments.csv", dir);
		if (test_run_cli(&r, NULL, NULL, g) != 0 || r.status != 0)
			return -1;
		test_run_free(&r);
		const char *const *steps[] = { f, s, a, sc };
		for (int i = 0; i < 4; i++) {
			if (test_run_cli(&r, test_group.name, NULL, steps[i]) != 0 || r.status != 0) {
				fprintf(stderr, "setup step %d: %s%s\n", i, r.out, r.err);
				return -1;
			}
			test_run_free(&r);
		}
	}
	return 0;
}

static void
test_plan_create_and_errors(void **state)
{
	test_run r;

	(void)state;
	OK("plan", "create", "p-random", "--form", "care-act-assessment", "--method", "random",
	    "--size", "20", "--from", "2026-01");
	assert_int_equal(cli(&r, "plan", "create", "p-random", "--form", "care-act-assessment",
	    "--method", "random", "--size", "20", NULL), 65);
	assert_non_null(strstr(r.err, "already exists"));
	test_run_free(&r);
	assert_int_equal(cli(&r, "plan", "create", "p-x", "--form", "no-such", "--method",
	    "random", "--size", "2", NULL), 65);
	assert_non_null(strstr(r.err, "no checklist named 'no-such'"));
	test_run_free(&r);
	assert_int_equal(cli(&r, "plan", "create", "p-x", "--form", "review", "--types",
	    "carers_assessment", "--method", "random", "--size", "2", NULL), 65);
	assert_non_null(strstr(r.err, "does not apply to carers_assessment"));
	test_run_free(&r);
	assert_int_equal(cli(&r, "plan", "create", "p-x", "--form", "review", "--providers",
	    "Nobody Ltd'; DROP TABLE audits; --", "--method", "random", "--size", "2", NULL), 65);
	assert_non_null(strstr(r.err, "no partner organisation is called"));
	test_run_free(&r);
	assert_int_equal(cli(&r, "plan", "create", "p-x", "--form", "review", "--method",
	    "random", "--size", "2", "--percent", "5", NULL), 64);
	test_run_free(&r);
	assert_int_equal(cli(&r, "plan", "create", "p-x", "--form", "review", "--method",
	    "random", "--margin", "1.5", NULL), 64);
	test_run_free(&r);
	assert_int_equal(cli(&r, "plan", "create", "p-x", "--form", "review", "--method",
	    "random", "--size", "2", "--every", "quarter", "--from", "2026-03", NULL), 65);
	test_run_free(&r);
	assert_int_equal(test_db_count(test_group.conn,
	    "SELECT count(*) FROM sampling_plans WHERE name = 'p-x'"), 0);
	assert_int_equal(cli(&r, "plan", "list", "--format", "json", NULL), 0);
	assert_non_null(strstr(r.out, "\"name\": \"p-random\""));
	test_run_free(&r);
}

static void
test_run_verify_and_tamper(void **state)
{
	test_run r;
	char *run;

	(void)state;
	OK("plan", "create", "p-strat", "--form", "care-act-assessment", "--method", "stratified",
	    "--margin", "0.1", "--from", "2026-01", "--exclusion-months", "0");
	assert_int_equal(cli(&r, "sample", "run", "--plan", "p-strat", "--period", "2026-06",
	    "--seed", "11", "--format", "json", NULL), 0);
	assert_non_null(strstr(r.out, "\"existed\": false"));
	test_run_free(&r);
	run = test_db_value(test_group.conn, "SELECT r.id FROM sampling_runs r JOIN sampling_plans"
	    " p ON p.id = r.plan_id WHERE p.name = 'p-strat'");
	assert_non_null(run);
	/* the population is every care act assessment completed in June */
	assert_int_equal(test_db_count(test_group.conn,
	    "SELECT population_size - (SELECT count(*) FROM assessments WHERE assessment_type ="
	    " 'care_act_assessment' AND completed_on BETWEEN '2026-06-01' AND '2026-06-30')"
	    " FROM sampling_runs r JOIN sampling_plans p ON p.id = r.plan_id"
	    " WHERE p.name = 'p-strat'"), 0);
	/* every stratum at least its floor, and allocations sum to the sample */
	assert_int_equal(test_db_count(test_group.conn,
	    "SELECT count(*) FROM sampling_run_strata s JOIN sampling_runs r ON r.id = s.run_id"
	    " JOIN sampling_plans p ON p.id = r.plan_id WHERE p.name = 'p-strat'"
	    " AND s.allocation < least(2, s.population)"), 0);
	assert_int_equal(test_db_count(test_group.conn,
	    "SELECT r.sample_size - sum(s.allocation) FROM sampling_run_strata s"
	    " JOIN sampling_runs r ON r.id = s.run_id JOIN sampling_plans p ON p.id = r.plan_id"
	    " WHERE p.name = 'p-strat' GROUP BY r.sample_size"), 0);
	assert_int_equal(cli(&r, "sample", "verify", run, NULL), 0);
	assert_non_null(strstr(r.out, "verified"));
	test_run_free(&r);
	/* asking again returns the same run */
	assert_int_equal(cli(&r, "sample", "run", "--plan", "p-strat", "--period", "2026-06",
	    "--format", "json", NULL), 0);
	assert_non_null(strstr(r.out, "\"existed\": true"));
	test_run_free(&r);
	/* tampering: swap a selected case for one that was not selected */
	{
		char sql[1024];
		PGresult *res;

		snprintf(sql, sizeof sql,
		    "UPDATE sampling_run_members SET assessment_id = (SELECT m FROM"
		    " sampling_run_strata s, unnest(s.members) m WHERE s.run_id = %s AND m NOT IN"
		    " (SELECT assessment_id FROM sampling_run_members WHERE run_id = %s) AND"
		    " s.stratum = sampling_run_members.stratum LIMIT 1)"
		    " WHERE run_id = %s AND assessment_id = (SELECT min(assessment_id) FROM"
		    " sampling_run_members WHERE run_id = %s AND stratum IN (SELECT stratum FROM"
		    " sampling_run_strata WHERE run_id = %s AND allocation < population))",
		    run, run, run, run, run);
		res = PQexec(test_group.conn, sql);
		assert_int_equal(PQresultStatus(res), PGRES_COMMAND_OK);
		assert_string_equal(PQcmdTuples(res), "1");
		PQclear(res);
	}
	assert_int_equal(cli(&r, "sample", "verify", run, NULL), 1);
	assert_non_null(strstr(r.out, "in the recorded sample but not redrawn"));
	assert_non_null(strstr(r.out, "redrawn but not in the recorded sample"));
	test_run_free(&r);
	free(run);
}

/* The selected refs of a plan's run, as one string. */
static char *
selected(const char *plan)
{
	char sql[512];

	snprintf(sql, sizeof sql, "SELECT string_agg(a.assessment_ref, ',' ORDER BY"
	    " a.assessment_ref) FROM sampling_run_members m JOIN sampling_runs r ON r.id ="
	    " m.run_id JOIN sampling_plans p ON p.id = r.plan_id JOIN assessments a ON a.id ="
	    " m.assessment_id WHERE p.name = '%s'", plan);
	return test_db_value(test_group.conn, sql);
}

static void
test_seeds_and_redraw(void **state)
{
	char *a, *b, *c;
	test_run r;

	(void)state;
	/* two plans over the same population: the same seed, the same cases */
	OK("plan", "create", "p-risk-a", "--form", "review", "--method", "risk", "--size", "12",
	    "--from", "2026-01", "--exclusion-months", "0");
	OK("plan", "create", "p-risk-b", "--form", "review", "--method", "risk", "--size", "12",
	    "--from", "2026-01", "--exclusion-months", "0");
	OK("plan", "create", "p-risk-c", "--form", "review", "--method", "risk", "--size", "12",
	    "--from", "2026-01", "--exclusion-months", "0");
	OK("sample", "run", "--plan", "p-risk-a", "--period", "2026-05", "--seed", "99");
	OK("sample", "run", "--plan", "p-risk-b", "--period", "2026-05", "--seed", "99");
	OK("sample", "run", "--plan", "p-risk-c", "--period", "2026-05", "--seed", "100");
	a = selected("p-risk-a");
	b = selected("p-risk-b");
	c = selected("p-risk-c");
	assert_non_null(a);
	assert_string_equal(a, b);
	assert_string_not_equal(a, c);
	/* probabilities: between 0 and 1, core and oversample both present */
	assert_int_equal(test_db_count(test_group.conn, "SELECT count(DISTINCT part) FROM"
	    " sampling_run_members m JOIN sampling_runs r ON r.id = m.run_id JOIN sampling_plans"
	    " p ON p.id = r.plan_id WHERE p.name = 'p-risk-a'"), 2);
	/* redraw: allowed before work starts, recorded */
	OK("sample", "run", "--plan", "p-risk-c", "--period", "2026-05", "--redraw", "--seed", "99");
	free(c);
	c = selected("p-risk-c");
	assert_string_equal(a, c);
	assert_int_equal(test_db_count(test_group.conn, "SELECT count(*) FROM events WHERE"
	    " action = 'sample.redraw' AND before->>'seed' = '100'"), 1);
	assert_int_equal(test_db_count(test_group.conn, "SELECT draw FROM sampling_runs r JOIN"
	    " sampling_plans p ON p.id = r.plan_id WHERE p.name = 'p-risk-c'"), 2);
	/* once an audit has started, no redraw */
	assert_int_equal(test_db_count(test_group.conn, "WITH u AS (UPDATE audits SET status ="
	    " 'in_progress' WHERE id = (SELECT min(au.id) FROM audits au JOIN sampling_runs r ON"
	    " r.id = au.run_id JOIN sampling_plans p ON p.id = r.plan_id WHERE p.name ="
	    " 'p-risk-c' AND au.status = 'assigned') RETURNING 1) SELECT count(*) FROM u"), 1);
	assert_int_equal(cli(&r, "sample", "run", "--plan", "p-risk-c", "--period", "2026-05",
	    "--redraw", NULL), 65);
	assert_non_null(strstr(r.err, "has started"));
	test_run_free(&r);
	/* a period that has not ended, and one of the wrong length */
	assert_int_equal(cli(&r, "sample", "run", "--plan", "p-risk-a", "--period", "2999-01",
	    NULL), 65);
	test_run_free(&r);
	assert_int_equal(cli(&r, "sample", "run", "--plan", "p-risk-a", "--period", "2026-Q1",
	    NULL), 65);
	test_run_free(&r);
	free(a);
	free(b);
	free(c);
}

static void
test_independence_and_capacity(void **state)
{
	test_run r;
	char *id;

	(void)state;
	/* Whatever has been assigned so far in this group: never to the
	 * assessor, never within the partner, never over capacity. */
	OK("plan", "create", "p-big", "--form", "care-act-assessment", "--method", "random",
	    "--percent", "100", "--from", "2025-06", "--exclusion-months", "0");
	for (int m = 6; m <= 12; m++) {
		char period[8];

		snprintf(period, sizeof period, "2025-%02d", m);
		OK("sample", "run", "--plan", "p-big", "--period", period);
	}
	assert_int_equal(test_db_count(test_group.conn, "SELECT count(*) FROM audits au JOIN"
	    " assessments a ON a.id = au.assessment_id JOIN staff s ON s.id = au.auditor_id"
	    " WHERE s.organisation_id = a.provider_id OR s.staff_ref = a.assessor_ref"
	    " OR NOT 'auditor' = ANY (s.roles)"), 0);
	assert_int_equal(test_db_count(test_group.conn, "SELECT count(*) FROM staff s WHERE"
	    " (SELECT count(*) FROM audits au WHERE au.auditor_id = s.id AND au.status IN"
	    " ('assigned', 'in_progress', 'returned')) > s.max_open_audits"), 0);
	/* so many cases fill every auditor: the rest wait, with the reason */
	assert_true(test_db_count(test_group.conn, "SELECT count(*) FROM audits WHERE status ="
	    " 'unassigned' AND unassigned_reason LIKE 'every independent auditor%'") > 0);
	assert_int_equal(cli(&r, "audits", "--status", "unassigned", "--format", "json", NULL), 0);
	assert_non_null(strstr(r.out, "\"auditor\": null"));
	assert_non_null(strstr(r.out, "\"reason\": \"every independent auditor"));
	test_run_free(&r);
	/* the database itself refuses a dependent auditor */
	{
		PGresult *res = PQexec(test_group.conn, "UPDATE audits au SET auditor_id = s.id,"
		    " status = 'assigned' FROM assessments a, staff s WHERE a.id = au.assessment_id"
		    " AND s.organisation_id = a.provider_id AND 'auditor' = ANY (s.roles)"
		    " AND au.id = (SELECT min(id) FROM audits)");

		assert_int_equal(PQresultStatus(res), PGRES_FATAL_ERROR);
		PQclear(res);
	}
	/* Capacity frees (the assigned audits are submitted): the daemon's
	 * assign job gives the waiting cases out, within the same rules.  The
	 * plans are paused so that the daemon has nothing else to draw. */
	{
		long long before = test_db_count(test_group.conn,
		    "SELECT count(*) FROM audits WHERE status = 'unassigned'");

		assert_true(test_db_count(test_group.conn, "WITH u AS (UPDATE audits SET status ="
		    " 'in_progress' WHERE status = 'assigned' RETURNING 1) SELECT count(*) FROM u")
		    > 0);
		test_db_exec(test_group.conn, "UPDATE audits SET status = 'submitted', grade ="
		    " 'good', submitted_on = '2026-10-20' WHERE status = 'in_progress'");
		test_db_exec(test_group.conn, "UPDATE sampling_plans SET paused = true");
		assert_int_equal(cli(&r, "--once", "--today", "2026-11-01", NULL), 0);
		test_run_free(&r);
		assert_true(test_db_count(test_group.conn,
		    "SELECT count(*) FROM audits WHERE status = 'unassigned'") < before);
		assert_true(test_db_count(test_group.conn, "SELECT count(*) FROM events WHERE"
		    " action = 'audit.assigned' AND actor = 'caseauditd'") > 0);
		assert_int_equal(test_db_count(test_group.conn, "SELECT count(*) FROM audits au JOIN"
		    " assessments a ON a.id = au.assessment_id JOIN staff s ON s.id = au.auditor_id"
		    " WHERE s.organisation_id = a.provider_id OR s.staff_ref = a.assessor_ref"), 0);
		assert_int_equal(test_db_count(test_group.conn, "SELECT count(*) FROM staff s WHERE"
		    " (SELECT count(*) FROM audits au WHERE au.auditor_id = s.id AND au.status IN"
		    " ('assigned', 'in_progress', 'returned')) > s.max_open_audits"), 0);
		/* and nothing was drawn for the paused plans */
		assert_int_equal(test_db_count(test_group.conn,
		    "SELECT count(*) FROM jobs WHERE kind = 'sample'"), 0);
	}
	/* reassignment: QA leads only, within the rules */
	id = test_db_value(test_group.conn, "SELECT min(id) FROM audits WHERE status = 'assigned'");
	if (id == NULL)
		id = test_db_value(test_group.conn, "SELECT min(id) FROM audits");
	assert_non_null(id);
	{
		char *aud = test_db_value(test_group.conn, "SELECT staff_ref FROM staff WHERE"
		    " 'auditor' = ANY (roles) AND NOT 'qa_lead' = ANY (roles) LIMIT 1");
		char *lead = test_db_value(test_group.conn, "SELECT staff_ref FROM staff WHERE"
		    " 'qa_lead' = ANY (roles) LIMIT 1");

		assert_non_null(aud);
		assert_int_equal(cli(&r, "audit", "reassign", id, aud, "--as", aud, NULL), 65);
		assert_non_null(strstr(r.err, "only a QA lead can reassign"));
		test_run_free(&r);
		if (lead != NULL) {
			char *inside;
			char sql[512];

			snprintf(sql, sizeof sql, "SELECT s.staff_ref FROM staff s JOIN assessments a"
			    " ON a.provider_id = s.organisation_id JOIN audits au ON au.assessment_id"
			    " = a.id WHERE au.id = %s AND 'auditor' = ANY (s.roles) LIMIT 1", id);
			inside = test_db_value(test_group.conn, sql);
			if (inside != NULL) {
				assert_int_equal(cli(&r, "audit", "reassign", id, inside, "--as", lead,
				    NULL), 65);
				assert_non_null(strstr(r.err, "must be independent"));
				test_run_free(&r);
				free(inside);
			}
			free(lead);
		}
		free(aud);
	}
	free(id);
}

/* Neyman allocation: a partner whose earlier audits were graded gets its
 * variability sqrt(p (1 - p)) from them; partners without ten graded
 * audits get 0.5; the run still verifies. */
static void
test_neyman(void **state)
{
	test_run r;
	char *run, sql[2048];

	(void)state;
	/* grade every earlier audit of one partner: 3 in 4 good */
	test_db_exec(test_group.conn, "UPDATE audits au SET grade = CASE WHEN au.id % 4 = 0"
	    " THEN 'inadequate' ELSE 'good' END FROM assessments a, organisations o"
	    " WHERE a.id = au.assessment_id AND o.id = a.provider_id"
	    " AND o.name = 'Northgate Community Care'");
	assert_true(test_db_count(test_group.conn, "SELECT count(*) FROM audits WHERE grade"
	    " IS NOT NULL") >= 10);
	OK("plan", "create", "p-neyman", "--form", "care-act-assessment", "--method",
	    "stratified", "--allocation", "neyman", "--size", "30", "--from", "2026-01",
	    "--exclusion-months", "0");
	OK("sample", "run", "--plan", "p-neyman", "--period", "2026-07", "--seed", "5");
	run = test_db_value(test_group.conn, "SELECT r.id FROM sampling_runs r JOIN"
	    " sampling_plans p ON p.id = r.plan_id WHERE p.name = 'p-neyman'");
	assert_non_null(run);
	/* Each stratum's S_h: sqrt(p(1 - p)) of its earlier grades where it
	 * has ten or more (Northgate here, and partners whose audits an
	 * earlier test submitted), else 0.5. */
	snprintf(sql, sizeof sql, "SELECT count(*) FROM sampling_run_strata s WHERE run_id = %s"
	    " AND abs(variability - (SELECT CASE WHEN count(*) >= 10 THEN"
	    "   sqrt(avg((au.grade IN ('good', 'outstanding'))::int)"
	    "     * (1 - avg((au.grade IN ('good', 'outstanding'))::int))) ELSE 0.5 END"
	    "  FROM audits au JOIN assessments a ON a.id = au.assessment_id"
	    "  JOIN sampling_runs r ON r.id = au.run_id JOIN organisations o ON"
	    "  o.id = a.provider_id WHERE au.grade IS NOT NULL AND r.period_end < '2026-07-01'"
	    "  AND o.name = s.label)) > 1e-9", run);
	assert_int_equal(test_db_count(test_group.conn, sql), 0);
	snprintf(sql, sizeof sql, "SELECT count(*) FROM sampling_run_strata WHERE run_id = %s"
	    " AND label = 'Northgate Community Care' AND variability < 0.5", run);
	assert_int_equal(test_db_count(test_group.conn, sql), 1);
	assert_int_equal(cli(&r, "sample", "verify", run, NULL), 0);
	test_run_free(&r);
	free(run);
}

/* Chasing: a reminder to the auditor when an audit is due within three
 * days and another once it is overdue, an escalation to every QA lead past
 * seven days overdue (unassigned audits too), each once however often the
 * daemon chases. */
static void
test_chasing(void **state)
{
	test_run r;
	long long leads, events;

	(void)state;
	test_db_exec(test_group.conn, "UPDATE sampling_plans SET paused = true");
	test_db_exec(test_group.conn, "DELETE FROM reminders");
	/* Three open audits: due in two days, a day overdue, ten days overdue
	 * (unassigned); everything else is closed, so only these count. */
	test_db_exec(test_group.conn, "CREATE TEMP TABLE keep AS"
	    " (SELECT id FROM audits WHERE status = 'assigned' ORDER BY id LIMIT 2)"
	    " UNION ALL (SELECT min(id) FROM audits WHERE status = 'unassigned')");
	assert_int_equal(test_db_count(test_group.conn, "SELECT count(id) FROM keep"), 3);
	/* the others go the workflow's way to closed, or are cancelled */
	test_db_exec(test_group.conn, "UPDATE audits SET status = 'in_progress'"
	    " WHERE status IN ('assigned', 'returned') AND id NOT IN (SELECT id FROM keep)");
	test_db_exec(test_group.conn, "UPDATE audits SET status = 'submitted', grade = 'good',"
	    " submitted_on = '2026-10-01' WHERE status = 'in_progress'");
	test_db_exec(test_group.conn, "UPDATE audits SET status = 'closed'"
	    " WHERE status IN ('submitted', 'feedback')");
	test_db_exec(test_group.conn, "UPDATE audits SET status = 'cancelled', cancel_reason ="
	    " 'test' WHERE status = 'unassigned' AND id NOT IN (SELECT id FROM keep)");
	test_db_exec(test_group.conn, "UPDATE audits SET due_on = CASE id"
	    " WHEN (SELECT min(k.id) FROM keep k JOIN audits a USING (id) WHERE a.status ="
	    " 'assigned') THEN date '2026-11-12' ELSE date '2026-11-09' END"
	    " WHERE status = 'assigned'");
	test_db_exec(test_group.conn, "UPDATE audits SET due_on = date '2026-11-01',"
	    " unassigned_reason = 'waiting to be assigned' WHERE status = 'unassigned'");
	/* keep capacity out of it: the daemon must not assign the unassigned one */
	test_db_exec(test_group.conn, "UPDATE staff SET max_open_audits = 0");
	leads = test_db_count(test_group.conn,
	    "SELECT count(*) FROM staff WHERE active AND 'qa_lead' = ANY (roles)");
	assert_true(leads > 0);
	events = test_db_count(test_group.conn, "SELECT count(*) FROM events");
	/* The daemon chases once a day (one chase job per date); the second
	 * round forgets that job so the same day is chased twice. */
	for (int i = 0; i < 2; i++) {
		test_db_exec(test_group.conn, "DELETE FROM jobs WHERE kind = 'chase'");
		assert_int_equal(cli(&r, "--once", "--today", "2026-11-10", NULL), 0);
		test_run_free(&r);
		assert_int_equal(test_db_count(test_group.conn, "SELECT count(*) FROM reminders r"
		    " JOIN audits au ON au.id = r.audit_id WHERE r.kind = 'due_soon'"
		    " AND r.recipient_id = au.auditor_id AND au.due_on = '2026-11-12'"), 1);
		assert_int_equal(test_db_count(test_group.conn, "SELECT count(*) FROM reminders r"
		    " JOIN audits au ON au.id = r.audit_id WHERE r.kind = 'overdue'"
		    " AND r.recipient_id = au.auditor_id AND au.due_on = '2026-11-09'"), 1);
		assert_int_equal(test_db_count(test_group.conn, "SELECT count(*) FROM reminders r"
		    " JOIN staff s ON s.id = r.recipient_id WHERE r.kind = 'escalation'"
		    " AND 'qa_lead' = ANY (s.roles) AND r.due_on = '2026-11-01'"), leads);
		/* nothing else was chased, and nothing twice */
		assert_int_equal(test_db_count(test_group.conn, "SELECT count(*) FROM reminders"),
		    2 + leads);
		assert_int_equal(test_db_count(test_group.conn, "SELECT count(*) FROM events")
		    - events, 2 + leads);
	}
	/* a day later, the same audits bring nothing new */
	assert_int_equal(cli(&r, "--once", "--today", "2026-11-11", NULL), 0);
	test_run_free(&r);
	assert_int_equal(test_db_count(test_group.conn, "SELECT count(*) FROM reminders"),
	    2 + leads);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plan_create_and_errors),
		cmocka_unit_test(test_run_verify_and_tamper),
		cmocka_unit_test(test_seeds_and_redraw),
		cmocka_unit_test(test_independence_and_capacity),
		cmocka_unit_test(test_neyman),
		cmocka_unit_test(test_chasing),
	};

	return cmocka_run_group_tests_name("sampling", tests, setup, test_group_teardown);
}
