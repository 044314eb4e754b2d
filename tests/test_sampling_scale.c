/*
 * test_sampling_scale.c - what `caseaudit sample run` does since it was
 * rebuilt for a million-case population (docs/benchmarks.md, bench/sample),
 * on a hand-made caseload whose answers are worked out below, through the
 * real binary.
 *
 * The caseload: Council (auditors AU-1 and AU-2, two open audits each at
 * most) and Alpha Care (auditor AU-3, a hundred; assessor AS-A).
 *
 *   2025-12  x-old, person P-X.
 *   2026-01  the risk population, in byte order of the refs: B-2, Z-9,
 *            a-1, b-1, back\slash, tab<TAB>here, é-5; and x-new, P-X again,
 *            left out once x-old is audited.  Weights (sample.h):
 *              B-2          1: screened at revision 1, now revision 2
 *              Z-9          4: low, 30 days, three flags and personal_data
 *              a-1          7: urgent (2), 200 days (2), two flags
 *              b-1          3: high (1), 100 days (1), personal_data only
 *              back\slash   3: urgent
 *              tab<TAB>here 1: its flag is under the older rule set
 *              é-5          1: never screened
 *   2026-03  c1 to c6 (Alpha Care, c3 assessed by AU-1), c7 and c8
 *            (Council, c8 assessed by AU-3).  All taken, in ref order,
 *            least loaded first, ties to the lower ref: c1 AU-1, c2 AU-2,
 *            c3 AU-2 (AU-1 assessed it), c4 AU-1; c5 and c6 wait (both
 *            full); c7 AU-3 (the only one independent of Council); c8
 *            waits (nobody is independent of Council and AU-3).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "support.h"

/* The advisory lock every assignment takes (assign.c). */
#define ASSIGN_LOCK_KEY "7161112030981220206"

static const char *const fixture[] = {
	"INSERT INTO organisations (name) VALUES ('Council'), ('Alpha Care');"
	"INSERT INTO staff (staff_ref, name, organisation_id, roles, max_open_audits)"
	" SELECT v.ref, v.name, o.id, v.roles, v.max FROM (VALUES"
	"  ('AU-1', 'Auditor One', 'Council', '{auditor}'::text[], 2),"
	"  ('AU-2', 'Auditor Two', 'Council', '{auditor}', 2),"
	"  ('AU-3', 'Auditor Three', 'Alpha Care', '{auditor}', 100),"
	"  ('AS-A', 'Assessor A', 'Alpha Care', '{assessor}', 0))"
	"  AS v(ref, name, org, roles, max) JOIN organisations o ON o.name = v.org;",
	/* a newer rule set than the one forms load gave: the screenings that
	 * count are under it */
	"INSERT INTO screening_rule_sets (sha256, source, rule_count)"
	" VALUES (repeat('ab', 32), 'test', 0);",
	/* an assessment: ref, person, partner, assessor, completed, days
	 * waited, priority, revision; its screening (flags, revision
	 * screened, under the newest rule set or not) when flags is not NULL */
	"CREATE FUNCTION pg_temp.a(ref text, person text, org text, assessor text, done date,"
	"  waited int, prio text, rev int, flags text[], screened int, newest boolean)"
	" RETURNS void LANGUAGE plpgsql AS $$ DECLARE i bigint; BEGIN"
	"  INSERT INTO assessments (assessment_ref, person_ref, assessment_type, provider_id,"
	"   assessor_ref, requested_on, completed_on, summary, priority, revision)"
	"  SELECT ref, person, 'care_act_assessment', id, assessor, done - waited, done, 'x',"
	"   prio, rev FROM organisations WHERE name = org RETURNING id INTO i;"
	"  IF flags IS NOT NULL THEN"
	"   INSERT INTO screenings (assessment_id, rule_set_id, assessment_revision, outcomes,"
	"    outcome_count, strengths_terms, deficit_terms, flags, matches)"
	"   SELECT i, CASE WHEN newest THEN max(id) ELSE min(id) END, screened, '{}', 0, 0, 0,"
	"    flags, '[]' FROM screening_rule_sets;"
	"  END IF; END $$;",
	"SELECT pg_temp.a('x-old', 'P-X', 'Alpha Care', 'AS-A', '2025-12-10', 5, NULL, 1,"
	"  NULL, NULL, NULL);"
	"SELECT pg_temp.a('x-new', 'P-X', 'Alpha Care', 'AS-A', '2026-01-10', 5, NULL, 1,"
	"  NULL, NULL, NULL);"
	"SELECT pg_temp.a('a-1', 'P-1', 'Alpha Care', 'AS-A', '2026-01-20', 200, 'urgent', 1,"
	"  '{single_issue,deficit_language}', 1, true);"
	"SELECT pg_temp.a('b-1', 'P-2', 'Alpha Care', 'AS-A', '2026-01-20', 100, 'high', 1,"
	"  '{personal_data}', 1, true);"
	"SELECT pg_temp.a('B-2', 'P-3', 'Alpha Care', 'AU-2', '2026-01-20', 10, NULL, 2,"
	"  '{no_person_voice}', 1, true);"
	"SELECT pg_temp.a('Z-9', 'P-4', 'Alpha Care', 'AS-A', '2026-01-20', 30, 'low', 1,"
	"  '{risk_without_plan,carer_without_offer,safeguarding_concern,personal_data}', 1,"
	"  true);"
	"SELECT pg_temp.a('é-5', 'P-5', 'Alpha Care', 'AS-A', '2026-01-20', 5, 'medium', 1,"
	"  NULL, NULL, NULL);"
	"SELECT pg_temp.a(E'tab\\there', 'P-6', 'Alpha Care', 'AS-A', '2026-01-20', 5, NULL, 1,"
	"  '{single_issue}', 1, false);"
	"SELECT pg_temp.a('back\\slash', 'P-7', 'Alpha Care', 'AS-A', '2026-01-20', 0,"
	"  'urgent', 1, NULL, NULL, NULL);",
	"SELECT pg_temp.a('c' || i, 'PC-' || i, CASE WHEN i <= 6 THEN 'Alpha Care'"
	"  ELSE 'Council' END, CASE i WHEN 3 THEN 'AU-1' WHEN 8 THEN 'AU-3' ELSE 'AS-A' END,"
	"  '2026-03-10', 5, NULL, 1, NULL, NULL, NULL) FROM generate_series(1, 8) i;",
};

static int
setup(void **state)
{
	if (test_group_setup(state) != 0)
		return -1;
	return test_fixture_load(fixture, sizeof fixture / sizeof fixture[0]);
}

/* Each test starts with no plans, runs or audits. */
static int
fresh(void **state)
{
	(void)state;
	test_db_clear_sampling();
	return 0;
}

static void
assert_value(const char *want, const char *sql)
{
	char *got = test_db_value(test_group.conn, sql);

	if (got == NULL || strcmp(got, want) != 0)
		fail_msg("%s\n  want '%s'\n  got  '%s'", sql, want, got ? got : "(null)");
	free(got);
}

/* The risk population: in byte order of the refs, whatever the
 * database's collation, with each weight as sample.h defines it; the
 * digest over exactly those refs; the person audited in December left
 * out; the run verifies; and --verbose says where the time went without
 * naming any case. */
static void
test_risk_population(void **state)
{
	test_run r;
	char *run;

	(void)state;
	TEST_OK("plan", "create", "risky", "--form", "care-act-assessment", "--method", "risk",
	    "--percent", "100", "--from", "2025-12");
	TEST_OK("sample", "run", "--plan", "risky", "--period", "2025-12", "--seed", "5");
	assert_int_equal(test_cli(&r, "sample", "run", "--plan", "risky", "--period", "2026-01",
	    "--seed", "5", "--verbose", NULL), 0);
	assert_non_null(strstr(r.out, "population 7, sample 7,"));
	assert_null(strstr(r.out, "step="));
	for (const char *const *step = (const char *const[]){ "plan", "population",
	    "screenings", "draw", "run", "strata", "selection", "audits", "reaudits_and_trail",
	    "commit", NULL }; *step != NULL; step++) {
		char line[64];

		snprintf(line, sizeof line, "sample step=%s seconds=", *step);
		if (strstr(r.err, line) == NULL)
			fail_msg("no '%s' in: %s", line, r.err);
	}
	assert_null(strstr(r.err, "a-1"));
	assert_null(strstr(r.err, "P-1"));
	test_run_free(&r);
	run = test_db_value(test_group.conn, "SELECT id FROM sampling_runs WHERE period ="
	    " '2026-01'");
	assert_non_null(run);
	assert_value("B-2|Z-9|a-1|b-1|back\\slash|tab\there|\xc3\xa9-5", test_sqlf(
	    "SELECT string_agg(a.assessment_ref, '|' ORDER BY m.n) FROM sampling_run_strata s,"
	    " unnest(s.members) WITH ORDINALITY AS m(id, n) JOIN assessments a ON a.id = m.id"
	    " WHERE s.run_id = %s", run));
	assert_value("{1,4,7,3,3,1,1}", test_sqlf("SELECT weights::text FROM sampling_run_strata"
	    " WHERE run_id = %s", run));
	assert_value("t", test_sqlf("SELECT population_sha256 = encode(sha256(convert_to("
	    " string_agg(a.assessment_ref || E'\\n', '' ORDER BY a.assessment_ref COLLATE \"C\"),"
	    " 'UTF8')), 'hex') FROM sampling_runs r, assessments a WHERE r.id = %s"
	    " AND a.completed_on BETWEEN '2026-01-01' AND '2026-01-31'"
	    " AND a.assessment_ref <> 'x-new' GROUP BY r.population_sha256", run));
	/* every case drawn, with its weight's share as its probability where
	 * that is below one */
	assert_value("7", test_sqlf("SELECT count(*) FROM sampling_run_members WHERE run_id = %s",
	    run));
	assert_int_equal(test_cli(&r, "sample", "verify", run, NULL), 0);
	assert_non_null(strstr(r.out, "verified"));
	test_run_free(&r);
	free(run);
	/* asked again: nothing drawn, so no steps; and a plan that is not one */
	assert_int_equal(test_cli(&r, "sample", "run", "--plan", "risky", "--period", "2026-01",
	    "--verbose", NULL), 0);
	assert_non_null(strstr(r.out, "was already drawn"));
	assert_null(strstr(r.err, "step=population"));
	test_run_free(&r);
	assert_int_equal(test_cli(&r, "sample", "run", "--plan", "x'; DROP TABLE audits; --",
	    "--period", "2026-01", "--verbose", NULL), 65);
	assert_non_null(strstr(r.err, "there is no sampling plan named"));
	assert_null(strstr(r.err, "step="));
	test_run_free(&r);
	assert_value("2", "SELECT count(*) FROM sampling_runs");
}

/* The audits are made already assigned, in ref order, least loaded first,
 * by the rules of assign.h; a case nobody may take waits with the reason;
 * each assignment is in the trail as before. */
static void
test_audits_assigned_as_made(void **state)
{
	test_run r;
	char *last = test_db_value(test_group.conn, "SELECT coalesce(max(id), 0) FROM events");

	(void)state;
	assert_non_null(last);
	TEST_OK("plan", "create", "all-march", "--form", "care-act-assessment", "--method",
	    "random", "--percent", "100", "--from", "2026-03", "--exclusion-months", "0",
	    "--due-days", "10");
	assert_int_equal(test_cli(&r, "sample", "run", "--plan", "all-march", "--period",
	    "2026-03", NULL), 0);
	assert_non_null(strstr(r.out, "population 8, sample 8, assigned 5, unassigned 3"));
	test_run_free(&r);
	assert_value("c1=AU-1,c2=AU-2,c3=AU-2,c4=AU-1,c5=-,c6=-,c7=AU-3,c8=-",
	    "SELECT string_agg(a.assessment_ref || '=' || coalesce(s.staff_ref, '-'), ','"
	    " ORDER BY a.assessment_ref) FROM audits au JOIN assessments a"
	    " ON a.id = au.assessment_id LEFT JOIN staff s ON s.id = au.auditor_id");
	assert_value("assigned 5, unassigned 3", "SELECT 'assigned ' || count(*) FILTER (WHERE"
	    " status = 'assigned' AND assigned_at IS NOT NULL AND unassigned_reason IS NULL)"
	    " || ', unassigned ' || count(*) FILTER (WHERE status = 'unassigned'"
	    " AND auditor_id IS NULL) FROM audits");
	assert_value("c5: every independent auditor has reached their maximum of open audits;"
	    "c6: every independent auditor has reached their maximum of open audits;"
	    "c8: no auditor is independent of the partner organisation and the assessor",
	    "SELECT string_agg(a.assessment_ref || ': ' || au.unassigned_reason, ';'"
	    " ORDER BY a.assessment_ref) FROM audits au JOIN assessments a"
	    " ON a.id = au.assessment_id WHERE au.status = 'unassigned'");
	/* due ten days after the run, on the run's checklist version */
	assert_value("0", "SELECT count(*) FROM audits au JOIN sampling_runs r ON r.id = au.run_id"
	    " WHERE au.due_on <> r.run_on + 10 OR au.form_version_id <> r.form_version_id");
	/* one audit.assigned event per assignment, as ca_assign_pending writes */
	assert_value("5", test_sqlf("SELECT count(*) FROM events e JOIN audits au"
	    " ON e.entity_id = au.id::text JOIN staff s ON s.id = au.auditor_id"
	    " WHERE e.id > %s AND e.entity = 'audit' AND e.action = 'audit.assigned'"
	    " AND e.before = '{\"status\": \"unassigned\"}' AND e.after ->> 'status' ="
	    " 'assigned' AND e.after ->> 'auditor' = s.staff_ref"
	    " AND (e.after ->> 'due_on')::date = au.due_on", last));
	assert_value("5", test_sqlf("SELECT count(*) FROM events WHERE id > %s"
	    " AND action = 'audit.assigned'", last));
	free(last);
}

/* The database refuses an audit made with a dependent auditor, checked
 * once per INSERT over all its rows (0008_sampling_at_scale): the same
 * rule and messages as the row trigger, which still guards updates. */
static void
refused_insert(const char *want, const char *rows)
{
	PGresult *res;
	char sql[2048];

	test_db_exec(test_group.conn, "BEGIN");
	snprintf(sql, sizeof sql, "INSERT INTO audits (run_id, assessment_id, form_version_id,"
	    " due_on, status, auditor_id, assigned_at)"
	    " SELECT r.id, a.id, r.form_version_id, '2026-05-01', 'assigned', s.id, now()"
	    " FROM (VALUES %s) AS v(ref, auditor) JOIN assessments a ON a.assessment_ref = v.ref"
	    " JOIN staff s ON s.staff_ref = v.auditor, sampling_runs r", rows);
	res = PQexec(test_group.conn, sql);
	if (want == NULL) {
		if (PQresultStatus(res) != PGRES_COMMAND_OK)
			fail_msg("%s: %s", rows, PQresultErrorMessage(res));
		assert_string_equal(PQcmdTuples(res), "2");
	} else {
		if (PQresultStatus(res) != PGRES_FATAL_ERROR ||
		    strstr(PQresultErrorMessage(res), want) == NULL)
			fail_msg("%s: want '%s', got %s", rows, want, PQresultErrorMessage(res));
		assert_string_equal(PQresultErrorField(res, PG_DIAG_SQLSTATE), "23514");
	}
	PQclear(res);
	test_db_exec(test_group.conn, "ROLLBACK");
}

static void
test_independence_on_insert(void **state)
{
	PGresult *res;

	(void)state;
	TEST_OK("plan", "create", "one-run", "--form", "care-act-assessment", "--method",
	    "random", "--size", "1", "--from", "2026-03", "--exclusion-months", "0");
	TEST_OK("sample", "run", "--plan", "one-run", "--period", "2026-03", "--seed", "1");
	refused_insert("staff AU-3 works for the organisation that carried out the assessment",
	    "('a-1', 'AU-1'), ('b-1', 'AU-3')");
	refused_insert("staff AU-2 carried out the assessment", "('a-1', 'AU-1'), ('B-2', 'AU-2')");
	refused_insert("staff AS-A does not hold the auditor role",
	    "('Z-9', 'AS-A'), ('a-1', 'AU-1')");
	refused_insert(NULL, "('a-1', 'AU-1'), ('Z-9', 'AU-2')");
	assert_value("1", "SELECT count(*) FROM audits");
	/* and an update is still checked row by row */
	res = PQexec(test_group.conn, "UPDATE audits SET auditor_id = (SELECT id FROM staff"
	    " WHERE staff_ref = 'AS-A'), status = 'assigned', unassigned_reason = NULL");
	assert_int_equal(PQresultStatus(res), PGRES_FATAL_ERROR);
	assert_non_null(strstr(PQresultErrorMessage(res), "does not hold the auditor role"));
	PQclear(res);
}

/* One assigner at a time, and each counts what the one before it
 * committed: a run that had to wait for the assignment lock sees the
 * audits cancelled meanwhile, and gives their auditors new work. */
static void
test_assigners_wait_and_see(void **state)
{
	PGconn *holder;
	int status, waited = 0;
	pid_t pid;

	(void)state;
	TEST_OK("plan", "create", "jan", "--form", "care-act-assessment", "--method", "random",
	    "--percent", "100", "--from", "2026-01", "--exclusion-months", "0");
	TEST_OK("plan", "create", "march", "--form", "care-act-assessment", "--method",
	    "random", "--percent", "100", "--from", "2026-03", "--exclusion-months", "0");
	/* January fills AU-1 and AU-2 */
	TEST_OK("sample", "run", "--plan", "jan", "--period", "2026-01", "--seed", "2");
	assert_value("2,2", "SELECT string_agg(n::text, ',' ORDER BY ref) FROM (SELECT"
	    " s.staff_ref AS ref, count(au.id) AS n FROM staff s LEFT JOIN audits au"
	    " ON au.auditor_id = s.id AND au.status = 'assigned' WHERE s.staff_ref IN"
	    " ('AU-1', 'AU-2') GROUP BY s.staff_ref) x");
	/* someone holds the assignment lock while withdrawing January */
	holder = test_db_connect(test_group.name);
	assert_non_null(holder);
	test_db_exec(holder, "BEGIN");
	test_db_exec(holder, "SELECT pg_advisory_xact_lock(" ASSIGN_LOCK_KEY ")");
	test_db_exec(holder, "UPDATE audits SET status = 'cancelled', cancel_reason ="
	    " 'withdrawn' WHERE status = 'assigned'");
	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		const char *argv[] = { "caseaudit", "sample", "run", "--plan", "march", "--period",
		    "2026-03", NULL };
		test_run r;

		if (test_run_cli(&r, test_group.name, NULL, argv) != 0)
			_exit(100);
		_exit(r.status);
	}
	for (int i = 0; i < 1000 && !waited; i++) {
		struct timespec ts = { 0, 10000000 };

		waited = test_db_count(test_group.conn, "SELECT count(*) FROM pg_stat_activity"
		    " WHERE application_name = 'caseaudit' AND wait_event_type = 'Lock'"
		    " AND wait_event = 'advisory'") == 1;
		if (!waited)
			nanosleep(&ts, NULL);
	}
	test_db_exec(holder, "COMMIT");
	PQfinish(holder);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(waited);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	/* March is assigned as if January had never filled anyone */
	assert_value("c1=AU-1,c2=AU-2,c3=AU-2,c4=AU-1,c5=-,c6=-,c7=AU-3,c8=-",
	    "SELECT string_agg(a.assessment_ref || '=' || coalesce(s.staff_ref, '-'), ','"
	    " ORDER BY a.assessment_ref) FROM audits au JOIN assessments a"
	    " ON a.id = au.assessment_id JOIN sampling_runs r ON r.id = au.run_id"
	    " LEFT JOIN staff s ON s.id = au.auditor_id WHERE r.period = '2026-03'");
	assert_value("0", "SELECT count(*) FROM staff s WHERE (SELECT count(*) FROM audits au"
	    " WHERE au.auditor_id = s.id AND au.status IN ('assigned', 'in_progress',"
	    " 'returned')) > s.max_open_audits");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_risk_population, fresh),
		cmocka_unit_test_setup(test_audits_assigned_as_made, fresh),
		cmocka_unit_test_setup(test_independence_on_insert, fresh),
		cmocka_unit_test_setup(test_assigners_wait_and_see, fresh),
	};

	return cmocka_run_group_tests_name("sampling_scale", tests, setup, test_group_teardown);
}
