/*
 * test_simulate.c - the demo simulator, through the real binaries against
 * the private PostgreSQL: a synthetic caseload is sampled and assigned by
 * the daemon, then `demo simulate` plays the people.
 *
 * What must hold: audits are completed through the real workflow (answers,
 * domain scores, feedback, the trail) as their own auditors; everything it
 * writes says it is simulated; the findings follow the screening (a
 * single-issue narrative fails the holistic questions more often); running
 * it again on the same day changes nothing; a bad date is refused.
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

static int
run(test_run *r, const char *const *argv)
{
	assert_int_equal(test_run_cli(r, test_group.name, NULL, argv), 0);
	return r->status;
}

#define COUNT(sql) test_db_count(test_group.conn, (sql))

static int
setup(void **state)
{
	char *dir, staff[4300], ass[4300], forms[3][4300];
	test_run r;

	if (test_group_setup(state) != 0)
		return -1;
	dir = test_tempdir();
	snprintf(staff, sizeof staff, "%s/staff.csv", dir);
	snprintf(ass, sizeof ass, "%s/assessments.csv", dir);
	snprintf(forms[0], sizeof forms[0], "%s/forms/screening.yaml", CASEAUDIT_SOURCE_DIR);
	snprintf(forms[1], sizeof forms[1], "%s/forms/care-act-assessment.yaml",
	    CASEAUDIT_SOURCE_DIR);
	snprintf(forms[2], sizeof forms[2], "%s/forms/review.yaml", CASEAUDIT_SOURCE_DIR);
	{
		const char *g[] = { "caseaudit", "demo", "generate", "--assessments", "1200",
		    "--seed", "5", "--out", dir, NULL };
		const char *f[] = { "caseaudit", "forms", "load", forms[0], forms[1], forms[2],
		    NULL };
		const char *s[] = { "caseaudit", "import", "staff", staff, NULL };
		const char *a[] = { "caseaudit", "import", "assessments", ass, NULL };
		const char *sc[] = { "caseaudit", "screen", NULL };
		const char *p[] = { "caseaudit", "plan", "create", "sim", "--form",
		    "care-act-assessment", "--method", "random", "--percent", "60", "--every",
		    "month", "--from", "2026-05", NULL };
		const char *d[] = { "caseauditd", "--once", "--today", "2026-08-01", NULL };
		const char *const *steps[] = { f, s, a, sc, p, d };

		if (test_run_cli(&r, NULL, NULL, g) != 0 || r.status != 0)
			return -1;
		test_run_free(&r);
		for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
			if (test_run_cli(&r, test_group.name, NULL, steps[i]) != 0 || r.status != 0) {
				fprintf(stderr, "setup step %zu: %s%s\n", i, r.out, r.err);
				return -1;
			}
			test_run_free(&r);
		}
	}
	free(dir);
	return 0;
}

static void
test_plays_the_auditors(void **state)
{
	const char *argv[] = { "caseaudit", "demo", "simulate", "--today", "2026-10-15", NULL };
	long long assigned, submitted, events;
	test_run r;

	(void)state;
	assigned = COUNT("SELECT count(*) FROM audits WHERE status = 'assigned'");
	assert_true(assigned >= 40);
	assert_int_equal(run(&r, argv), 0);
	assert_true(strncmp(r.out, "SIMULATION to 2026-10-15: ", 26) == 0);
	test_run_free(&r);

	/* Runs on 1 June to 1 August, all due by the end of August: by mid
	 * October every assigned audit has been done, some late. */
	submitted = COUNT("SELECT count(*) FROM audits WHERE status IN ('submitted', 'feedback')");
	assert_int_equal(submitted, assigned);
	assert_int_equal(COUNT("SELECT count(*) FROM audits WHERE status IN ('submitted',"
	    " 'feedback') AND (started_on IS NULL OR grade IS NULL OR submissions <> 1)"), 0);
	assert_true(COUNT("SELECT count(*) FROM audits WHERE submitted_on > due_on") > 0);
	{
		long long on_time = COUNT("SELECT count(*) FROM audits WHERE submitted_on <= due_on");
		long long late = COUNT("SELECT count(*) FROM audits WHERE submitted_on > due_on");

		if (on_time <= late)
			fail_msg("%lld on time, %lld late: %s", on_time, late, test_db_value(
			    test_group.conn, "SELECT string_agg(DISTINCT r.run_on || '/' || au.due_on"
			    " || '/' || au.submitted_on, ' ') FROM audits au JOIN sampling_runs r ON"
			    " r.id = au.run_id"));
	}
	/* as their own auditors, through the workflow: answers, scores, feedback */
	assert_int_equal(COUNT("SELECT count(*) FROM answers an JOIN audits au ON"
	    " au.id = an.audit_id WHERE an.answered_by <> au.auditor_id"), 0);
	assert_int_equal(COUNT("SELECT count(*) FROM audits au WHERE au.status IN ('submitted',"
	    " 'feedback') AND NOT EXISTS (SELECT 1 FROM domain_scores d WHERE d.audit_id = au.id"
	    " AND d.domain = 'holistic')"), 0);
	assert_int_equal(COUNT("SELECT count(*) FROM feedback"), submitted);
	assert_int_equal(COUNT("SELECT count(*) FROM events WHERE action = 'audit.submitted'"),
	    submitted);
	/* labelled as a simulation everywhere it writes */
	assert_int_equal(COUNT("SELECT count(*) FROM answers WHERE evidence NOT LIKE"
	    " 'Simulated: %'"), 0);
	assert_int_equal(COUNT("SELECT count(*) FROM audits WHERE strengths_noted NOT LIKE"
	    " 'Simulated: %' OR learning_points NOT LIKE 'Simulated: %'"), 0);
	assert_int_equal(COUNT("SELECT count(*) FROM feedback_comments WHERE text NOT LIKE"
	    " 'Simulated: %'"), 0);
	assert_int_equal(COUNT("SELECT count(*) FROM events WHERE action = 'demo.simulated'"
	    " AND actor = 'demo-simulator' AND after ->> 'today' = '2026-10-15'"), 1);
	/* the findings follow the screening: single-issue narratives fail the
	 * holistic questions more often than the others (the daemon draws the
	 * sample with a seed from the system, so these compare groups of
	 * dozens, with margins no sample of this size misses) */
	assert_int_equal(COUNT("SELECT (avg(d.score) FILTER (WHERE 'single_issue' = ANY (cs.flags))"
	    "  < avg(d.score) FILTER (WHERE NOT 'single_issue' = ANY (cs.flags)))::int"
	    " FROM domain_scores d JOIN audits au ON au.id = d.audit_id"
	    " JOIN current_screenings cs ON cs.assessment_id = au.assessment_id"
	    " WHERE d.domain = 'holistic'"), 1);
	/* weak findings come with an action for the partner, some done */
	assert_int_equal(COUNT("SELECT count(*) FROM actions"), COUNT("SELECT count(*) FROM"
	    " audits WHERE grade IN ('requires_improvement', 'inadequate')"));
	assert_true(COUNT("SELECT count(*) FROM actions") > 0);
	assert_int_equal(COUNT("SELECT count(*) FROM actions ac JOIN audits au ON"
	    " au.id = ac.audit_id JOIN assessments a ON a.id = au.assessment_id WHERE"
	    " ac.owner_organisation_id <> a.provider_id OR ac.text NOT LIKE 'Simulated: %'"), 0);
	assert_true(COUNT("SELECT count(*) FROM actions WHERE status = 'done'") > 0);
	assert_int_equal(COUNT("SELECT count(*) FROM actions WHERE done_on > '2026-10-15'"), 0);
	/* the grades follow the scores */
	assert_int_equal(COUNT("SELECT (avg(d.score) FILTER (WHERE au.grade IN ('good',"
	    " 'outstanding')) > avg(d.score) FILTER (WHERE au.grade IN ('requires_improvement',"
	    " 'inadequate')))::int FROM domain_scores d JOIN audits au ON au.id = d.audit_id"), 1);

	/* again on the same day: nothing more to do */
	events = COUNT("SELECT count(*) FROM events WHERE action <> 'demo.simulated'");
	assert_int_equal(run(&r, argv), 0);
	assert_non_null(strstr(r.out, ": 0 audits submitted"));
	test_run_free(&r);
	assert_int_equal(COUNT("SELECT count(*) FROM events WHERE action <> 'demo.simulated'"),
	    events);
}

/* The daemon selects audits for moderation; the simulated moderator
 * moderates them, mostly agreeing, through the real moderation. */
static void
test_plays_the_moderator(void **state)
{
	const char *daemon[] = { "caseauditd", "--once", "--today", "2026-10-16", NULL };
	const char *argv[] = { "caseaudit", "demo", "simulate", "--today", "2026-11-30", NULL };
	long long pending;
	test_run r;

	(void)state;
	test_db_exec(test_group.conn, "UPDATE settings SET value = '50' WHERE key ="
	    " 'moderation_percent'");
	assert_int_equal(run(&r, daemon), 0);
	test_run_free(&r);
	pending = COUNT("SELECT count(*) FROM moderations WHERE status = 'pending'"
	    " AND moderator_id IS NOT NULL");
	assert_true(pending >= 10);
	assert_int_equal(run(&r, argv), 0);
	test_run_free(&r);
	assert_int_equal(COUNT("SELECT count(*) FROM moderations WHERE status = 'done'"), pending);
	assert_int_equal(COUNT("SELECT count(*) FROM moderations m JOIN audits au ON"
	    " au.id = m.audit_id WHERE m.moderator_id = au.auditor_id"
	    " OR (m.status = 'done' AND m.comment NOT LIKE 'Simulated: %')"), 0);
	/* mostly agreeing: most grades the same, most ratings the same */
	assert_true(COUNT("SELECT count(*) FROM moderations WHERE grade = auditor_grade") * 2 >
	    pending);
	assert_true(COUNT("SELECT count(*) FROM moderation_ratings WHERE"
	    " auditor_rating = moderator_rating") > 4 * COUNT("SELECT count(*) FROM"
	    " moderation_ratings WHERE auditor_rating <> moderator_rating"));
	/* a returned audit goes back to its auditor, who resubmits it */
	assert_int_equal(COUNT("SELECT count(*) FROM audits au WHERE EXISTS (SELECT 1 FROM"
	    " moderations m WHERE m.audit_id = au.id AND m.returned) AND au.status NOT IN"
	    " ('returned', 'submitted', 'feedback')"), 0);
	assert_int_equal(COUNT("SELECT count(*) FROM events WHERE action = 'demo.simulated'"
	    " AND (after ->> 'moderated')::int = (SELECT count(*) FROM moderations WHERE"
	    " status = 'done') AND after ->> 'today' = '2026-11-30'"), 1);
}

static void
test_refusals(void **state)
{
	const char *no_date[] = { "caseaudit", "demo", "simulate", NULL };
	const char *bad_date[] = { "caseaudit", "demo", "simulate", "--today", "31/02/2026",
	    NULL };
	test_run r;

	(void)state;
	assert_int_equal(run(&r, no_date), 64);
	assert_non_null(strstr(r.err, "demo simulate needs --today YYYY-MM-DD"));
	test_run_free(&r);
	assert_int_equal(run(&r, bad_date), 64);
	assert_non_null(strstr(r.err, "--today must be a date as YYYY-MM-DD, not '31/02/2026'"));
	test_run_free(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plays_the_auditors),
		cmocka_unit_test(test_plays_the_moderator),
		cmocka_unit_test(test_refusals),
	};

	return cmocka_run_group_tests_name("simulate", tests, setup, test_group_teardown);
}
