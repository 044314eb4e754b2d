/*
 * test_workflow.c - the audit workflow after assignment, through the real
 * binary against the private PostgreSQL: answers and their rules, the
 * stale-write refusal under two concurrent processes, submission and the
 * domain scores of a hand-worked example, feedback and the partner's
 * comment, safeguarding escalation, cancel, return, closing, the status
 * graph kept by the database, settings, history, and the trail that
 * cannot be changed.
 *
 * The world is small and built by hand: a council with two auditors, a
 * principal social worker and a QA lead; a partner with two assessors; a
 * five-question checklist whose scores can be worked out on paper; one
 * sampling run whose audits are assigned to AUD1.
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
#include <unistd.h>

#include "support.h"
#include "workflow.h"

static const char checklist[] =
	"name: wf-test\n"
	"title: Workflow test checklist\n"
	"applies_to: [care_act_assessment]\n"
	"scales:\n"
	"  - id: standard\n"
	"    ratings:\n"
	"      - { id: met, label: Met, score: 1 }\n"
	"      - { id: partially_met, label: Partially met, score: 0.5 }\n"
	"      - { id: not_met, label: Not met, score: 0 }\n"
	"      - { id: not_applicable, label: Not applicable, score: excluded }\n"
	"sections:\n"
	"  - title: Holistic\n"
	"    domain: holistic\n"
	"    questions:\n"
	"      - id: h1\n"
	"        text: Beyond the presenting issue?\n"
	"        guidance: { good: g, partial: p, poor: x }\n"
	"        weight: 2\n"
	"        evidence_required_for: [partially_met, not_met]\n"
	"      - id: h2\n"
	"        text: Every outcome considered?\n"
	"        guidance: { good: g, partial: p, poor: x }\n"
	"  - title: Risk\n"
	"    domain: risk\n"
	"    questions:\n"
	"      - id: sg\n"
	"        text: Safeguarding concerns acted on?\n"
	"        guidance: { good: g, partial: p, poor: x }\n"
	"        weight: 2\n"
	"        prompts: [safeguarding_concern]\n"
	"      - id: r2\n"
	"        text: Positive risk-taking discussed?\n"
	"        guidance: { good: g, partial: p, poor: x }\n"
	"        weight: 3\n"
	"        required: no\n"
	"  - title: Recording\n"
	"    domain: recording\n"
	"    questions:\n"
	"      - id: rec1\n"
	"        text: Recorded clearly and on time?\n"
	"        guidance: { good: g, partial: p, poor: x }\n";

#define COUNT(sql) test_db_count(test_group.conn, (sql))

/* A fresh audit of a new case, assigned to AUD1; its id as text. */
static char *
new_audit(void)
{
	static int n;
	char sql[1200];

	n++;
	snprintf(sql, sizeof sql,
	    "WITH a AS (INSERT INTO assessments (assessment_ref, person_ref, assessment_type,"
	    "   provider_id, assessor_ref, requested_on, completed_on, summary)"
	    "   SELECT 'WF-%04d', 'P-%04d', 'care_act_assessment', o.id, 'PA1', '2026-01-02',"
	    "   '2026-01-20', 'The person asked for help with a shower.' FROM organisations o"
	    "   WHERE o.name = 'Partner A' RETURNING id)"
	    " INSERT INTO audits (run_id, assessment_id, form_version_id, status, auditor_id,"
	    "   due_on, assigned_at)"
	    " SELECT r.id, a.id, r.form_version_id, 'assigned', s.id, '2026-03-01', now()"
	    " FROM a, sampling_runs r, staff s WHERE s.staff_ref = 'AUD1' RETURNING id::text",
	    n, n);
	return test_db_value(test_group.conn, sql);
}

static int
setup(void **state)
{
	char *forms_dir = test_tempdir(), path[4200], rules[4200];
	test_run r;

	if (test_group_setup(state) != 0)
		return -1;
	snprintf(path, sizeof path, "%s/wf-test.yaml", forms_dir);
	snprintf(rules, sizeof rules, "%s/forms/screening.yaml", CASEAUDIT_SOURCE_DIR);
	{
		FILE *f = fopen(path, "w");
		const char *argv[] = { "caseaudit", "forms", "load", rules, path, NULL };

		if (f == NULL || fputs(checklist, f) == EOF || fclose(f) != 0)
			return -1;
		if (test_run_cli(&r, test_group.name, NULL, argv) != 0 || r.status != 0) {
			fprintf(stderr, "loading the checklist: %s%s\n", r.out, r.err);
			return -1;
		}
		test_run_free(&r);
	}
	free(forms_dir);
	test_db_exec(test_group.conn,
	    "INSERT INTO organisations (name) VALUES ('Council'), ('Partner A'), ('Partner B');"
	    "INSERT INTO staff (staff_ref, name, organisation_id, roles, max_open_audits)"
	    " SELECT v.ref, v.name, o.id, v.roles::text[], 50 FROM (VALUES"
	    "  ('AUD1', 'Ann Auditor', 'Council', '{auditor}'),"
	    "  ('AUD2', 'Bea Auditor', 'Council', '{auditor}'),"
	    "  ('PSW1', 'Pat Social', 'Council', '{psw}'),"
	    "  ('LEAD1', 'Lee Lead', 'Council', '{qa_lead}'),"
	    "  ('LEAD2', 'Lou Lead', 'Council', '{qa_lead}'),"
	    "  ('PA1', 'Siân Assessor', 'Partner A', '{assessor}'),"
	    "  ('PA2', 'Łukasz Assessor', 'Partner A', '{assessor}'),"
	    "  ('PB1', 'Bo Other', 'Partner B', '{assessor}'))"
	    " AS v(ref, name, org, roles) JOIN organisations o ON o.name = v.org;"
	    "INSERT INTO sampling_plans (name, form_id, assessment_types, method, size_rule,"
	    "  size_value, every, first_period, created_by)"
	    " SELECT 'wf', f.id, '{care_act_assessment}', 'random', 'size', 1, 'month',"
	    "  '2026-01', 'test' FROM forms f WHERE f.name = 'wf-test';"
	    "INSERT INTO sampling_runs (plan_id, period, period_start, period_end, method,"
	    "  parameters, seed, seed_source, population_size, population_sha256, sample_size,"
	    "  form_version_id, run_on, created_by)"
	    " SELECT p.id, '2026-01', '2026-01-01', '2026-01-31', 'random', '{}', 1, 'given', 0,"
	    "  repeat('0', 64), 0, f.current_version_id, '2026-02-01', 'test'"
	    " FROM sampling_plans p JOIN forms f ON f.id = p.form_id;");
	return 0;
}

/* Answer every required question of audit id met, so it can be submitted. */
static void
answer_all(const char *id)
{
	static const char *const required[] = { "h1", "h2", "sg", "rec1" };

	for (size_t i = 0; i < 4; i++)
		TEST_OK("audit", "answer", id, required[i], "met", "--as", "AUD1");
}

static void
test_answers(void **state)
{
	char *id = new_audit(), sql[300], big[20002];
	test_run r;

	(void)state;
	TEST_REFUSED(64, "--as STAFF is required", "audit", "answer", id, "h1", "met");
	{
		const char *env[] = { "CASEAUDIT_AS=AUD2", NULL };
		const char *argv[] = { "caseaudit", "audit", "answer", id, "h1", "met", NULL };

		assert_int_equal(test_run_cli(&r, test_group.name, env, argv), 0);
		assert_int_equal(r.status, 65);
		assert_non_null(strstr(r.err, "only its auditor can answer it"));
		test_run_free(&r);
	}
	TEST_REFUSED(65, "there is no active member of staff 'NOBODY'", "audit", "answer", id, "h1",
	    "met", "--as", "NOBODY");
	TEST_REFUSED(65, "is assigned to AUD1; only its auditor can answer it", "audit", "answer",
	    id,
	    "h1", "met", "--as", "AUD2");
	TEST_REFUSED(65, "there is no audit 999999", "audit", "answer", "999999", "h1", "met",
	    "--as", "AUD1");
	TEST_REFUSED(64, "ID must be an audit number", "audit", "answer", "1; DROP TABLE audits",
	    "h1", "met", "--as", "AUD1");
	TEST_REFUSED(65, "has no question 'h9'", "audit", "answer", id, "h9", "met", "--as",
	    "AUD1");
	TEST_REFUSED(65, "'great' is not a rating of question h1; use one of: met, partially_met, "
	    "not_met, not_applicable", "audit", "answer", id, "h1", "great", "--as", "AUD1");
	TEST_REFUSED(65, "question h1 rated not_met needs evidence", "audit", "answer", id, "h1",
	    "not_met", "--as", "AUD1");
	TEST_REFUSED(65, "question h1 rated not_met needs evidence", "audit", "answer", id, "h1",
	    "not_met", "--evidence", "  \n ", "--as", "AUD1");
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	TEST_REFUSED(65, "--evidence is 20001 bytes; at most 20000", "audit", "answer", id, "h1",
	    "not_met", "--evidence", big, "--as", "AUD1");
	TEST_REFUSED(65, "--evidence is not valid UTF-8 (byte 3)", "audit", "answer", id, "h1",
	    "not_met", "--evidence", "ab\xff", "--as", "AUD1");
	/* nothing of that changed the audit */
	snprintf(sql, sizeof sql, "SELECT count(*) FROM audits WHERE id = %s AND status ="
	    " 'assigned' AND version = 1 AND started_on IS NULL", id);
	assert_int_equal(COUNT(sql), 1);
	assert_int_equal(COUNT("SELECT count(*) FROM answers"), 0);

	/* the first answer starts the audit; text is kept exactly as written */
	assert_int_equal(test_cli(&r, "audit", "answer", id, "h1", "not_met", "--evidence",
	    "'); DELETE FROM answers; -- Siân said “no”", "--as", "AUD1", "--today",
	    "2026-02-10", NULL), 0);
	snprintf(sql, sizeof sql, "audit %s: h1 rated not_met\n", id);
	assert_string_equal(r.out, sql);
	test_run_free(&r);
	snprintf(sql, sizeof sql, "SELECT count(*) FROM audits WHERE id = %s AND status ="
	    " 'in_progress' AND version = 2 AND started_on = '2026-02-10'", id);
	assert_int_equal(COUNT(sql), 1);
	assert_int_equal(COUNT("SELECT count(*) FROM answers WHERE evidence ="
	    " '''); DELETE FROM answers; -- Siân said “no”' AND answered_on = '2026-02-10'"), 1);

	/* answering again replaces the answer; the trail keeps both */
	assert_int_equal(test_cli(&r, "audit", "answer", id, "h1", "met", "--as", "AUD1", NULL), 0);
	assert_non_null(strstr(r.out, "h1 now rated met"));
	test_run_free(&r);
	snprintf(sql, sizeof sql, "SELECT count(*) FROM answers WHERE audit_id = %s AND"
	    " question_id = 'h1' AND rating = 'met' AND evidence IS NULL", id);
	assert_int_equal(COUNT(sql), 1);
	snprintf(sql, sizeof sql, "SELECT count(*) FROM events WHERE entity = 'audit' AND"
	    " entity_id = '%s' AND action = 'audit.answered' AND before ->> 'rating' = 'not_met'"
	    " AND after ->> 'rating' = 'met' AND actor = 'AUD1'", id);
	assert_int_equal(COUNT(sql), 1);
	snprintf(sql, sizeof sql, "SELECT count(*) FROM events WHERE entity_id = '%s' AND"
	    " action = 'audit.answered' AND before IS NULL AND after ->> 'evidence' LIKE '%%Siân%%'",
	    id);
	assert_int_equal(COUNT(sql), 1);
	free(id);
}

/*
 * The hand-worked example.  Holistic: h1 partially met (weight 2, counts
 * 0.5), h2 met (weight 1): (2 x 0.5 + 1 x 1) / 3 = 0.6667.  Risk: sg met
 * (weight 2), r2 not applicable (left out): 2 / 2 = 1.  Recording: rec1
 * not met: 0.  The other domains have no questions: no rows.
 */
static void
test_submit_scores_feedback(void **state)
{
	char *id = new_audit(), sql[400];
	test_run r;

	(void)state;
	TEST_REFUSED(65, "nothing has been answered yet", "audit", "submit", id, "--grade", "good",
	    "--as", "AUD1");
	TEST_OK("audit", "answer", id, "h1", "partially_met", "--evidence", "only the shower",
	    "--as", "AUD1");
	TEST_REFUSED(65, "cannot be submitted: 3 required questions are unanswered: h2, sg, rec1",
	    "audit", "submit", id, "--grade", "good", "--as", "AUD1");
	TEST_OK("audit", "answer", id, "h2", "met", "--as", "AUD1");
	TEST_OK("audit", "answer", id, "sg", "met", "--as", "AUD1");
	TEST_OK("audit", "answer", id, "r2", "not_applicable", "--as", "AUD1");
	TEST_REFUSED(65, "1 required question is unanswered: rec1", "audit", "submit", id,
	    "--grade",
	    "good", "--as", "AUD1");
	TEST_OK("audit", "answer", id, "rec1", "not_met", "--evidence", "undated", "--as", "AUD1");
	TEST_REFUSED(64, "--grade is outstanding, good, requires_improvement or inadequate",
	    "audit", "submit", id, "--grade", "excellent", "--as", "AUD1");
	TEST_REFUSED(64, "--grade G is required", "audit", "submit", id, "--as", "AUD1");
	TEST_REFUSED(65, "only its auditor can submit it", "audit", "submit", id, "--grade", "good",
	    "--as", "AUD2");
	TEST_OK("audit", "note", id, "--strengths", "The person's words are quoted.", "--learning",
	    "Consider every outcome.", "--as", "AUD1");
	assert_int_equal(test_cli(&r, "audit", "submit", id, "--grade", "requires_improvement",
	    "--as", "AUD1", "--today", "2026-02-20", NULL), 0);
	assert_non_null(strstr(r.out, "submitted, graded requires_improvement"));
	test_run_free(&r);

	snprintf(sql, sizeof sql, "SELECT string_agg(domain || '=' || applicable || '/' ||"
	    " questions || ':' || coalesce(round(score::numeric, 4)::text, '-') || ' m' || met ||"
	    " ' p' || partially_met || ' n' || not_met, ' ' ORDER BY domain) FROM domain_scores"
	    " WHERE audit_id = %s", id);
	{
		char *got = test_db_value(test_group.conn, sql);

		assert_string_equal(got, "holistic=2/2:0.6667 m1 p1 n0 "
		    "recording=1/1:0.0000 m0 p0 n1 risk=1/2:1.0000 m1 p0 n0");
		free(got);
	}
	snprintf(sql, sizeof sql, "SELECT count(*) FROM audits WHERE id = %s AND status ="
	    " 'submitted' AND grade = 'requires_improvement' AND submitted_on = '2026-02-20' AND"
	    " submissions = 1 AND strengths_noted LIKE 'The person%%' AND learning_points ="
	    " 'Consider every outcome.'", id);
	assert_int_equal(COUNT(sql), 1);
	/* the findings go to the partner and the assessor, open for 14 days */
	snprintf(sql, sizeof sql, "SELECT count(*) FROM feedback f JOIN organisations o ON"
	    " o.id = f.organisation_id WHERE f.audit_id = %s AND o.name = 'Partner A' AND"
	    " f.assessor_ref = 'PA1' AND f.sent_on = '2026-02-20' AND window_ends = '2026-03-06'",
	    id);
	assert_int_equal(COUNT(sql), 1);
	snprintf(sql, sizeof sql, "SELECT count(*) FROM reminders r LEFT JOIN staff s ON"
	    " s.id = r.recipient_id LEFT JOIN organisations o ON o.id = r.organisation_id"
	    " WHERE r.audit_id = %s AND r.kind = 'feedback' AND (s.staff_ref = 'PA1' OR"
	    " o.name = 'Partner A')", id);
	assert_int_equal(COUNT(sql), 2);
	/* answers are frozen: by the workflow, and by the database itself */
	TEST_REFUSED(65, "is submitted; its answers are frozen since submission", "audit", "answer",
	    id, "h2", "not_met", "--evidence", "x", "--as", "AUD1");
	snprintf(sql, sizeof sql, "UPDATE answers SET rating = 'met' WHERE audit_id = %s", id);
	{
		PGresult *res = PQexec(test_group.conn, sql);

		assert_int_equal(PQresultStatus(res), PGRES_FATAL_ERROR);
		assert_non_null(strstr(PQresultErrorMessage(res), "frozen"));
		PQclear(res);
	}
	TEST_REFUSED(65, "only a QA lead can cancel", "audit", "cancel", id, "--reason", "x",
	    "--as",
	    "AUD1");
	TEST_REFUSED(65, "is submitted; only an audit not yet submitted can be cancelled", "audit",
	    "cancel", id, "--reason", "withdrawn", "--as", "LEAD1");

	/* the partner's factual-accuracy comment, within the window only */
	TEST_REFUSED(65, "PB1 does not work for the partner organisation", "audit", "comment", id,
	    "--text", "not ours", "--as", "PB1");
	TEST_REFUSED(65, "--text is required", "audit", "comment", id, "--as", "PA2");
	TEST_OK("audit", "comment", id, "--text", "The carer was in fact offered an assessment.",
	    "--as", "PA2", "--today", "2026-03-06");
	snprintf(sql, sizeof sql, "SELECT count(*) FROM audits a JOIN feedback f ON"
	    " f.audit_id = a.id JOIN feedback_comments c ON c.feedback_id = f.id WHERE a.id = %s"
	    " AND a.status = 'feedback' AND c.made_on = '2026-03-06'", id);
	assert_int_equal(COUNT(sql), 1);
	TEST_REFUSED(65, "the feedback window closed on 06/03/2026", "audit", "comment", id,
	    "--text", "late", "--as", "PA1", "--today", "2026-03-07");

	/* the daemon closes it once the window has ended, not before */
	{
		ca_err err = { 0 };
		long closed = -1;

		assert_int_equal(ca_audits_close_due(test_group.conn, "2026-03-06", "test", &closed,
		    &err), 0);
		snprintf(sql, sizeof sql, "SELECT count(*) FROM audits WHERE id = %s AND status ="
		    " 'closed'", id);
		assert_int_equal(COUNT(sql), 0);
		assert_int_equal(ca_audits_close_due(test_group.conn, "2026-03-07", "test", &closed,
		    &err), 0);
		assert_true(closed >= 1);
		assert_int_equal(COUNT(sql), 1);
		assert_int_equal(ca_audits_close_due(test_group.conn, "2026-03-08", "test", &closed,
		    &err), 0);
		assert_int_equal(closed, 0);
	}
	TEST_REFUSED(65, "is closed; only a submitted audit can be returned", "audit", "return", id,
	    "--reason", "x", "--as", "PSW1");
	free(id);
}

static void
test_return_and_resubmit(void **state)
{
	char *id = new_audit(), sql[300];

	(void)state;
	answer_all(id);
	TEST_REFUSED(65, "is in_progress; it is still with its auditor", "audit", "return", id,
	    "--reason", "x", "--as", "PSW1");
	TEST_OK("audit", "submit", id, "--grade", "good", "--as", "AUD1");
	TEST_REFUSED(65, "is submitted; only a moderator can return it", "audit", "return", id,
	    "--reason", "x", "--as", "LEAD1");
	TEST_REFUSED(65, "--reason is required", "audit", "return", id, "--as", "PSW1");
	TEST_OK("audit", "return", id, "--reason", "Holistic questions are rated too high.", "--as",
	    "PSW1");
	snprintf(sql, sizeof sql, "SELECT count(*) FROM events WHERE entity_id = '%s' AND"
	    " action = 'audit.returned' AND actor = 'PSW1' AND after ->> 'reason' LIKE 'Holistic%%'"
	    " AND before ->> 'status' = 'submitted'", id);
	assert_int_equal(COUNT(sql), 1);
	/* back with the auditor: answers open again; resubmission is a new one */
	TEST_OK("audit", "answer", id, "h1", "partially_met", "--evidence", "only the shower",
	    "--as",
	    "AUD1");
	TEST_OK("audit", "submit", id, "--grade", "requires_improvement", "--as", "AUD1");
	snprintf(sql, sizeof sql, "SELECT count(*) FROM audits WHERE id = %s AND submissions = 2"
	    " AND status = 'submitted' AND (SELECT count(*) FROM feedback WHERE audit_id = %s) = 2"
	    " AND (SELECT round(score::numeric, 4) FROM domain_scores WHERE audit_id = %s AND"
	    " domain = 'holistic') = 0.6667", id, id, id);
	assert_int_equal(COUNT(sql), 1);
	free(id);
}

static void
test_cancel_and_status_graph(void **state)
{
	char *id = new_audit(), sql[300];
	PGresult *res;

	(void)state;
	TEST_REFUSED(65, "AUD1 is not a QA lead; only a QA lead can cancel", "audit", "cancel", id,
	    "--reason", "withdrawn", "--as", "AUD1");
	TEST_REFUSED(65, "--reason is required", "audit", "cancel", id, "--as", "LEAD1");
	TEST_OK("audit", "cancel", id, "--reason", "The person moved out of the area.", "--as",
	    "LEAD1");
	snprintf(sql, sizeof sql, "SELECT count(*) FROM audits WHERE id = %s AND status ="
	    " 'cancelled' AND cancel_reason = 'The person moved out of the area.'", id);
	assert_int_equal(COUNT(sql), 1);
	TEST_REFUSED(65, "is cancelled; nobody can answer it any more", "audit", "answer", id, "h1",
	    "met", "--as", "AUD1");
	free(id);

	/* the database keeps the graph whatever the code does */
	id = new_audit();
	snprintf(sql, sizeof sql, "UPDATE audits SET status = 'closed' WHERE id = %s", id);
	res = PQexec(test_group.conn, sql);
	assert_int_equal(PQresultStatus(res), PGRES_FATAL_ERROR);
	assert_non_null(strstr(PQresultErrorMessage(res), "cannot move from assigned to closed"));
	PQclear(res);
	free(id);
}

/* Two processes write with the same --version while a third holds the
 * audit locked; released together, exactly one wins and the other is
 * refused with 75, never applied. */
static void
test_stale_write_two_processes(void **state)
{
	char *id = new_audit(), sql[300];
	PGconn *holder;
	pid_t pid[2];
	int status[2], wins = 0, stale = 0;

	(void)state;
	holder = test_db_connect(test_group.name);
	assert_int_equal(PQstatus(holder), CONNECTION_OK);
	snprintf(sql, sizeof sql, "BEGIN; SELECT 1 FROM audits WHERE id = %s FOR UPDATE", id);
	PQclear(PQexec(holder, sql));
	for (int i = 0; i < 2; i++) {
		if ((pid[i] = fork()) == 0) {
			const char *argv[] = { "caseaudit", "audit", "answer", id, "h2",
			    i == 0 ? "met" : "partially_met", "--evidence", "seen", "--as", "AUD1",
			    "--version", "1", NULL };
			test_run r;

			if (test_run_cli(&r, test_group.name, NULL, argv) != 0)
				_exit(99);
			if (r.status == 75 && strstr(r.err, "has changed since you read it (you "
			    "read version 1; it is now version 2)") == NULL)
				_exit(98);
			_exit(r.status);
		}
		assert_true(pid[i] > 0);
	}
	/* both are waiting on the lock by now (or will be when they get there) */
	sleep(1);
	PQclear(PQexec(holder, "COMMIT"));
	PQfinish(holder);
	for (int i = 0; i < 2; i++) {
		assert_int_equal(waitpid(pid[i], &status[i], 0), pid[i]);
		assert_true(WIFEXITED(status[i]));
		wins += WEXITSTATUS(status[i]) == 0;
		stale += WEXITSTATUS(status[i]) == 75;
	}
	assert_int_equal(wins, 1);
	assert_int_equal(stale, 1);
	snprintf(sql, sizeof sql, "SELECT count(*) FROM events WHERE entity_id = '%s' AND"
	    " action = 'audit.answered'", id);
	assert_int_equal(COUNT(sql), 1);
	snprintf(sql, sizeof sql, "SELECT count(*) FROM audits WHERE id = %s AND version = 2", id);
	assert_int_equal(COUNT(sql), 1);
	free(id);
}

static void
test_safeguarding(void **state)
{
	char *id = new_audit(), sql[400];
	test_run r;

	(void)state;
	TEST_OK("audit", "answer", id, "sg", "not_met", "--as", "AUD1", "--today", "2026-02-11");
	/* re-answering raises nothing new */
	TEST_OK("audit", "answer", id, "sg", "not_met", "--as", "AUD1");
	snprintf(sql, sizeof sql, "SELECT count(*) FROM escalations WHERE audit_id = %s AND"
	    " source = 'question' AND question_id = 'sg' AND raised_on = '2026-02-11'", id);
	assert_int_equal(COUNT(sql), 1);
	snprintf(sql, sizeof sql, "SELECT count(*) FROM reminders r LEFT JOIN staff s ON"
	    " s.id = r.recipient_id LEFT JOIN organisations o ON o.id = r.organisation_id"
	    " WHERE r.audit_id = %s AND r.kind = 'safeguarding' AND (s.staff_ref IN ('LEAD1',"
	    " 'LEAD2') OR o.name = 'Partner A')", id);
	assert_int_equal(COUNT(sql), 3);
	snprintf(sql, sizeof sql, "SELECT count(*) FROM events WHERE entity_id = '%s' AND"
	    " action = 'audit.safeguarding_escalated'", id);
	assert_int_equal(COUNT(sql), 1);

	/* it heads the listing until acknowledged */
	assert_int_equal(test_cli(&r, "audits", NULL), 0);
	assert_true(strncmp(r.out, "SAFEGUARDING: 1 audit with a concern not yet acknowledged "
	    "(the oldest raised 11/02/2026)", 80) == 0);
	test_run_free(&r);
	assert_int_equal(test_cli(&r, "audits", "--format", "json", NULL), 0);
	assert_true(strncmp(r.out, "[\n {\"id\": ", 10) == 0);
	snprintf(sql, sizeof sql, "{\"id\": %s, ", id);
	assert_true(strstr(r.out, sql) == r.out + 3);
	assert_non_null(strstr(r.out, "\"safeguarding\": true"));
	test_run_free(&r);
	assert_int_equal(test_cli(&r, "trends", NULL), 0);
	assert_true(strncmp(r.out, "SAFEGUARDING: 1 audit", 21) == 0);
	test_run_free(&r);

	/* a flag from the principal social worker; not from the partner */
	TEST_REFUSED(65, "PA1 is not the auditor of audit", "audit", "concern", id, "--note", "x",
	    "--as", "PA1");
	TEST_REFUSED(65, "--note is required", "audit", "concern", id, "--as", "PSW1");
	TEST_OK("audit", "concern", id, "--note", "Second visit notes describe bruising.", "--as",
	    "PSW1");
	snprintf(sql, sizeof sql, "SELECT count(*) FROM escalations WHERE audit_id = %s AND"
	    " acknowledged_on IS NULL", id);
	assert_int_equal(COUNT(sql), 2);

	TEST_REFUSED(65, "AUD1 is not the principal social worker or a QA lead", "audit",
	    "acknowledge", id, "--as", "AUD1");
	assert_int_equal(test_cli(&r, "audit", "acknowledge", id, "--as", "LEAD2", NULL), 0);
	assert_non_null(strstr(r.out, "2 safeguarding escalations acknowledged"));
	test_run_free(&r);
	assert_int_equal(COUNT(sql), 0);
	TEST_REFUSED(65, "has no safeguarding escalation waiting", "audit", "acknowledge", id,
	    "--as", "LEAD2");
	assert_int_equal(test_cli(&r, "audits", NULL), 0);
	assert_null(strstr(r.out, "SAFEGUARDING"));
	test_run_free(&r);
	free(id);
}

static void
test_show(void **state)
{
	char *id = new_audit();
	test_run r;

	(void)state;
	TEST_OK("audit", "answer", id, "h1", "partially_met", "--evidence", "Only the shower.",
	    "--as", "AUD1");
	assert_int_equal(test_cli(&r, "audit", "show", id, "--format", "json", NULL), 0);
	for (const char *const *k = (const char *const[]){ "\"id\": ", "\"status\": "
	    "\"in_progress\"", "\"assessment_ref\": \"WF-", "\"provider\": \"Partner A\"",
	    "\"auditor\": \"AUD1\"", "\"form\": \"wf-test\"", "\"form_version\": 1",
	    "\"due_on\": \"2026-03-01\"", "\"grade\": null", "\"questions\": [{\"id\": \"h1\", "
	    "\"section\": \"Holistic\", \"domain\": \"holistic\", \"text\": \"Beyond the "
	    "presenting issue?\", \"scale\": [\"met\", \"partially_met\", \"not_met\", "
	    "\"not_applicable\"], \"rating\": \"partially_met\", \"evidence\": \"Only the "
	    "shower.\", \"required\": true", "\"actions\": []", "\"screening\": null",
	    "\"history\": [", NULL }; *k != NULL; k++)
		if (strstr(r.out, *k) == NULL)
			fail_msg("audit show --format json lacks %s:\n%s", *k, r.out);
	test_run_free(&r);
	assert_int_equal(test_cli(&r, "audit", "show", id, NULL), 0);
	assert_non_null(strstr(r.out, "in_progress (version 2)"));
	assert_non_null(strstr(r.out, "=> partially_met on "));
	assert_non_null(strstr(r.out, "=> not answered"));
	test_run_free(&r);
	TEST_REFUSED(65, "there is no audit 424242", "audit", "show", "424242");
	TEST_REFUSED(64, "audit show prints a table or json", "audit", "show", id, "--format",
	    "csv");
	free(id);
}

static void
test_settings(void **state)
{
	char *id = new_audit(), sql[300];
	test_run r;

	(void)state;
	TEST_REFUSED(65, "AUD1 is not a QA lead", "settings", "set", "feedback_window_days", "21",
	    "--as", "AUD1");
	TEST_REFUSED(65, "feedback_window_days must be a whole number from 0 to 365, not '400'",
	    "settings", "set", "feedback_window_days", "400", "--as", "LEAD1");
	TEST_REFUSED(65, "not '12.5'", "settings", "set", "moderation_percent", "12.5", "--as",
	    "LEAD1");
	TEST_REFUSED(64, "there is no setting 'colour'", "settings", "set", "colour", "1", "--as",
	    "LEAD1");
	TEST_REFUSED(65, "organisation_name must be one line", "settings", "set",
	    "organisation_name", "Ynys Môn\nCouncil", "--as", "LEAD1");
	TEST_OK("settings", "set", "organisation_name", "Cyngor Sir Ynys Môn – \"Anglesey\"",
	    "--as", "LEAD1");
	assert_int_equal(COUNT("SELECT count(*) FROM settings WHERE key = 'organisation_name'"
	    " AND value = 'Cyngor Sir Ynys Môn – \"Anglesey\"'"), 1);
	TEST_OK("settings", "set", "feedback_window_days", "21", "--as", "LEAD1");
	assert_int_equal(COUNT("SELECT count(*) FROM events WHERE action = 'setting.changed' AND"
	    " entity_id = 'feedback_window_days' AND before ->> 'value' = '14' AND"
	    " after ->> 'value' = '21' AND actor = 'LEAD1'"), 1);
	assert_int_equal(test_cli(&r, "settings", "--format", "csv", NULL), 0);
	assert_non_null(strstr(r.out, "feedback_window_days,21,LEAD1,"));
	test_run_free(&r);
	answer_all(id);
	TEST_OK("audit", "submit", id, "--grade", "good", "--as", "AUD1", "--today", "2026-02-01");
	snprintf(sql, sizeof sql, "SELECT count(*) FROM feedback WHERE audit_id = %s AND"
	    " window_ends = '2026-02-22'", id);
	assert_int_equal(COUNT(sql), 1);
	TEST_OK("settings", "set", "feedback_window_days", "14", "--as", "LEAD1");
	free(id);
}

/* Every kind of change is in the trail, and the trail cannot change. */
static void
test_trail(void **state)
{
	static const char *const actions[] = {
		"audit.answered", "audit.noted", "audit.submitted", "audit.commented",
		"audit.closed", "audit.cancelled", "audit.returned", "audit.safeguarding_escalated",
		"audit.safeguarding_acknowledged", "setting.changed",
	};
	char sql[300];
	test_run r;
	PGresult *res;

	(void)state;
	/* plans and staff too (forms: test_forms; actions: test_actions;
	 * moderation: test_moderation) */
	TEST_OK("plan", "create", "wf-trail", "--form", "wf-test", "--method", "random",
	    "--size", "1", "--every", "quarter", "--from", "2026-Q1");
	TEST_OK("plan", "pause", "wf-trail");
	{
		static const char csv[] = "staff_ref,name,organisation,role,team,max_open_audits,"
		    "email\nAUD2,Bea Auditor,Council,auditor,,12,\n";
		char *path = test_write_file("staff.csv", csv, sizeof csv - 1);

		TEST_OK("import", "staff", path);
		free(path);
	}
	assert_int_equal(COUNT("SELECT count(*) FROM events WHERE action = 'plan.created' AND"
	    " entity = 'sampling_plan' AND after ->> 'name' = 'wf-trail'"), 1);
	assert_int_equal(COUNT("SELECT count(*) FROM events WHERE action = 'plan.paused'"), 1);
	assert_int_equal(COUNT("SELECT count(*) FROM events WHERE action = 'staff.updated' AND"
	    " entity_id = 'AUD2' AND before ->> 'max_open_audits' = '50' AND"
	    " after ->> 'max_open_audits' = '12'"), 1);
	for (size_t i = 0; i < sizeof actions / sizeof actions[0]; i++) {
		snprintf(sql, sizeof sql, "SELECT count(*) FROM events WHERE action = '%s'",
		    actions[i]);
		if (COUNT(sql) < 1)
			fail_msg("no %s event", actions[i]);
	}
	res = PQexec(test_group.conn, "UPDATE events SET actor = 'someone else'");
	assert_int_equal(PQresultStatus(res), PGRES_FATAL_ERROR);
	assert_non_null(strstr(PQresultErrorMessage(res), "append-only"));
	PQclear(res);
	res = PQexec(test_group.conn, "DELETE FROM events WHERE action = 'audit.answered'");
	assert_int_equal(PQresultStatus(res), PGRES_FATAL_ERROR);
	PQclear(res);

	assert_int_equal(test_cli(&r, "history", "1", "--format", "csv", NULL), 0);
	assert_non_null(strstr(r.out, "at,actor,action,entity,before,after\n"));
	assert_non_null(strstr(r.out, ",AUD1,audit.answered,audit 1,"));
	test_run_free(&r);
	TEST_REFUSED(65, "there is no audit 777777", "history", "777777");
	TEST_REFUSED(64, "ID must be an audit number", "history", "x");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_answers),
		cmocka_unit_test(test_submit_scores_feedback),
		cmocka_unit_test(test_return_and_resubmit),
		cmocka_unit_test(test_cancel_and_status_graph),
		cmocka_unit_test(test_stale_write_two_processes),
		cmocka_unit_test(test_safeguarding),
		cmocka_unit_test(test_show),
		cmocka_unit_test(test_settings),
		cmocka_unit_test(test_trail),
	};

	return cmocka_run_group_tests_name("workflow", tests, setup, test_group_teardown);
}
