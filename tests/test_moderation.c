/*
 * test_moderation.c - moderation against the private PostgreSQL: the
 * selection and assignment (the library, and the real caseauditd), the
 * moderator's view through the real caseaudit binary, and the agreement
 * statistics.
 *
 * Each test has a fresh database and a small world of its own: a council
 * and two partner organisations, auditors, moderators (psw), a QA lead,
 * a four-question checklist, and audits made and assigned directly.
 * Audits are answered and submitted through the workflow library
 * (ca_audit_answer, ca_audit_submit), as an auditor would.
 *
 * What must hold:
 *   - every submission is drawn once, with its draw and the share kept;
 *     the share 0 selects none, 100 all, 10 those drawn below 0.1, and the
 *     draws are the documented generator's stream; a bad setting is 10%;
 *   - an auditor none of whose submissions in an ended quarter was
 *     selected gets exactly one, chosen among them; running again adds
 *     none; a quarter not yet ended owes nothing;
 *   - a moderator is never the audit's auditor, the partner's staff or the
 *     assessor; the least loaded takes it, ties to the lowest ref; with
 *     nobody available a moderation waits, the scheduler leaves it alone,
 *     and it is assigned once a moderator is back (through caseauditd);
 *   - `caseaudit moderate` stores the moderator's grade and ratings, and
 *     refuses, changing nothing, whoever or whatever is not allowed;
 *   - --return sends the audit back; the auditor answers and resubmits,
 *     and the new submission is drawn afresh; a pending moderation of a
 *     replaced submission is withdrawn.
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

#include "db.h"
#include "moderation.h"
#include "rng.h"
#include "support.h"
#include "workflow.h"

static char db[80];
static PGconn *conn;
static int next_case;

/* ---- SQL ------------------------------------------------------------------ */

#define countf(...) test_db_count(conn, test_sqlf(__VA_ARGS__))
#define valuef(...) test_db_value(conn, test_sqlf(__VA_ARGS__))
#define execf(...) test_db_exec(conn, test_sqlf(__VA_ARGS__))

/* A value that must be there, compared and freed. */
#define assert_value(expect, ...)                              \
	do {                                                   \
		char *v_ = valuef(__VA_ARGS__);                \
                                                               \
		assert_non_null(v_);                           \
		assert_string_equal(v_, (expect));             \
		free(v_);                                      \
	} while (0)

/* ---- the CLI -------------------------------------------------------------- */

/* Run caseaudit (or, with "--once" first, caseauditd) with its arguments;
 * returns the exit status. */
static int
cli(test_run *r, const char *a1, ...)
{
	const char *argv[32] = { strcmp(a1, "--once") == 0 ? "caseauditd" : "caseaudit", a1 };
	va_list ap;
	int n = 2;

	va_start(ap, a1);
	while (n < 31 && (argv[n] = va_arg(ap, const char *)) != NULL)
		n++;
	va_end(ap);
	argv[n] = NULL;
	assert_int_equal(test_run_cli(r, db, NULL, argv), 0);
	return r->status;
}

/* The command exits with `status` and its stderr (or, for 0, stdout)
 * holds `says`. */
#define EXPECT(status, says, ...)                                              \
	do {                                                                   \
		test_run r_;                                                   \
		int s_ = cli(&r_, __VA_ARGS__, NULL);                          \
		const char *o_ = (status) == 0 ? r_.out : r_.err;              \
                                                                               \
		if (s_ != (status) || strstr(o_, (says)) == NULL)              \
			fail_msg("exit %d, wanted %d and \"%s\":\n%s%s", s_,   \
			    (status), (says), r_.out, r_.err);                 \
		test_run_free(&r_);                                            \
	} while (0)

/* ---- the world ------------------------------------------------------------ */

static const char form_yaml[] =
	"name: mod-test\n"
	"title: Moderation test checklist\n"
	"applies_to: [care_act_assessment]\n"
	"scales:\n"
	"  - id: standard\n"
	"    ratings:\n"
	"      - {id: met, label: Met, score: 1}\n"
	"      - {id: partially_met, label: Partially met, score: 0.5}\n"
	"      - {id: not_met, label: Not met, score: 0}\n"
	"      - {id: not_applicable, label: Not applicable, score: excluded}\n"
	"  - id: yes_no\n"
	"    ratings:\n"
	"      - {id: \"yes\", label: \"Yes\", score: 1}\n"
	"      - {id: \"no\", label: \"No\", score: 0}\n"
	"sections:\n"
	"  - title: Holistic\n"
	"    domain: holistic\n"
	"    questions:\n"
	"      - id: q1\n"
	"        text: First question?\n"
	"        guidance: {good: Good., partial: Partial., poor: Poor.}\n"
	"      - id: q2\n"
	"        text: Second question?\n"
	"        guidance: {good: Good., partial: Partial., poor: Poor.}\n"
	"  - title: Risk\n"
	"    domain: risk\n"
	"    questions:\n"
	"      - id: q3\n"
	"        text: Third question?\n"
	"        guidance: {good: Good., partial: Partial., poor: Poor.}\n"
	"      - id: q4\n"
	"        text: Fourth question, yes or no?\n"
	"        scale: yes_no\n"
	"        required: no\n"
	"        guidance: {good: Yes., partial: Partly., poor: No.}\n";

static int
world(void **state)
{
	static const char *const sql[] = {
		"INSERT INTO organisations (name) VALUES ('Council'), ('Partner A'),"
		" ('Partner B')",
		/* AUD-4 audits and moderates; PSW-A moderates but works for
		 * Partner A; ASR-1 and ASR-2 did the assessments. */
		"INSERT INTO staff (staff_ref, name, organisation_id, roles, max_open_audits)"
		" SELECT ref, 'Name of ' || ref, (SELECT id FROM organisations WHERE name = org),"
		"  roles::text[], 1000 FROM (VALUES"
		"  ('AUD-1', 'Council', '{auditor}'), ('AUD-2', 'Council', '{auditor}'),"
		"  ('AUD-3', 'Council', '{auditor}'), ('AUD-4', 'Council', '{auditor,psw}'),"
		"  ('PSW-1', 'Council', '{psw}'), ('PSW-2', 'Council', '{psw}'),"
		"  ('PSW-A', 'Partner A', '{psw}'), ('QA-1', 'Council', '{qa_lead}'),"
		"  ('ASR-1', 'Partner A', '{assessor}'), ('ASR-2', 'Partner B', '{assessor}'))"
		"  AS t(ref, org, roles)",
		"INSERT INTO sampling_plans (name, form_id, assessment_types, method, size_rule,"
		"  size_value, every, first_period, created_by)"
		" SELECT 'mod', id, '{care_act_assessment}', 'random', 'size', 1, 'month',"
		"  '2026-01', 'test' FROM forms WHERE name = 'mod-test'",
		"INSERT INTO sampling_runs (plan_id, period, period_start, period_end, method,"
		"  parameters, seed, seed_source, population_size, population_sha256,"
		"  sample_size, form_version_id, run_on, created_by)"
		" SELECT p.id, '2026-01', '2026-01-01', '2026-01-31', 'random', '{}', 1, 'given',"
		"  1000, repeat('0', 64), 1000, f.current_version_id, '2026-02-01', 'test'"
		" FROM sampling_plans p JOIN forms f ON f.id = p.form_id",
	};
	char *form;
	test_run r;

	(void)state;
	if (test_db_create("moderation", db, sizeof db) != 0 ||
	    (conn = test_db_connect(db)) == NULL)
		return -1;
	form = test_write_file("mod-test.yaml", form_yaml, sizeof form_yaml - 1);
	{
		const char *argv[] = { "caseaudit", "forms", "load", form, NULL };

		if (test_run_cli(&r, db, NULL, argv) != 0 || r.status != 0) {
			fprintf(stderr, "loading the checklist: %s%s\n", r.out, r.err);
			return -1;
		}
		test_run_free(&r);
	}
	free(form);
	for (size_t i = 0; i < sizeof sql / sizeof sql[0]; i++) {
		PGresult *res = PQexec(conn, sql[i]);

		if (PQresultStatus(res) != PGRES_COMMAND_OK) {
			fprintf(stderr, "%s: %s", sql[i], PQerrorMessage(conn));
			PQclear(res);
			return -1;
		}
		PQclear(res);
	}
	next_case = 0;
	return 0;
}

static int
world_end(void **state)
{
	(void)state;
	PQfinish(conn);
	conn = NULL;
	test_db_drop(db);
	return 0;
}

/* A new case of `partner` assessed by `assessor`, and its audit assigned
 * to `auditor`; returns the audit's id. */
static long long
new_audit(const char *auditor, const char *partner, const char *assessor)
{
	char *id;
	long long n;

	next_case++;
	execf("INSERT INTO assessments (assessment_ref, person_ref, assessment_type,"
	    " provider_id, assessor_ref, requested_on, completed_on, summary)"
	    " SELECT 'CASE-%d', 'P-%d', 'care_act_assessment', id, '%s', '2026-01-02',"
	    " '2026-01-20', 'Summary.' FROM organisations WHERE name = '%s'",
	    next_case, next_case, assessor, partner);
	id = valuef("INSERT INTO audits (run_id, assessment_id, form_version_id, status,"
	    " auditor_id, due_on, assigned_at)"
	    " SELECT r.id, a.id, r.form_version_id, 'assigned', s.id, '2026-03-31', now()"
	    " FROM sampling_runs r, assessments a, staff s"
	    " WHERE a.assessment_ref = 'CASE-%d' AND s.staff_ref = '%s' RETURNING id",
	    next_case, auditor);
	assert_non_null(id);
	n = atoll(id);
	free(id);
	return n;
}

/* The auditor answers q1..q3 (q4 too when r4 is given) and submits. */
static void
submit4(long long audit, const char *auditor, const char *r1, const char *r2,
    const char *r3, const char *r4, const char *grade, const char *today)
{
	ca_actor a = { auditor, today, 0 };
	const char *q[4] = { "q1", "q2", "q3", "q4" };
	const char *rt[4] = { r1, r2, r3, r4 };
	ca_err err = { 0 };

	for (int i = 0; i < 4; i++)
		if (rt[i] != NULL && ca_audit_answer(conn, &a, audit, q[i], rt[i], NULL, NULL,
		    &err) != 0)
			fail_msg("answering %s of audit %lld: %s", q[i], audit, err.msg);
	if (ca_audit_submit(conn, &a, audit, grade, &err) != 0)
		fail_msg("submitting audit %lld: %s", audit, err.msg);
}

static void
submit(long long audit, const char *auditor, const char *grade, const char *today)
{
	submit4(audit, auditor, "met", "partially_met", "met", NULL, grade, today);
}

/* A new audit of Partner A's work, submitted. */
static long long
submitted(const char *auditor, const char *today)
{
	long long id = new_audit(auditor, "Partner A", "ASR-1");

	submit(id, auditor, "good", today);
	return id;
}

static void
set_percent(const char *value)
{
	execf("UPDATE settings SET value = '%s' WHERE key = 'moderation_percent'", value);
}

/* The daemon's moderation job, in a transaction of its own. */
static ca_moderation_counts
run_selection(const char *today, uint64_t seed)
{
	ca_moderation_counts c;
	ca_err err = { 0 };

	if (ca_db_begin(conn, &err) != 0 ||
	    ca_moderation_run(conn, today, "test", &seed, &c, &err) != 0 ||
	    ca_db_commit(conn, &err) != 0) {
		ca_db_rollback(conn);
		fail_msg("moderation run: %s", err.msg);
	}
	return c;
}

static int
due(const char *today)
{
	ca_err err = { 0 };
	int yes = -1;

	if (ca_moderation_due(conn, today, &yes, &err) != 0)
		fail_msg("moderation due: %s", err.msg);
	return yes;
}

/* ---- selection ------------------------------------------------------------ */

static void
test_share_none_and_all(void **state)
{
	ca_moderation_counts c;

	(void)state;
	for (int i = 0; i < 6; i++)
		submitted(i % 2 ? "AUD-1" : "AUD-2", "2026-02-10");
	assert_true(due("2026-02-20"));
	set_percent("0");
	c = run_selection("2026-02-20", 1);
	assert_int_equal(c.drawn, 6);
	assert_int_equal(c.sampled, 0);
	assert_int_equal(countf("SELECT count(*) FROM moderation_draws WHERE share = 0"
	    " AND NOT selected AND drawn_on = '2026-02-20' AND submission = 1"), 6);
	assert_int_equal(countf("SELECT count(*) FROM moderations"), 0);
	/* nothing left to do, and doing it again changes nothing */
	assert_false(due("2026-02-20"));
	c = run_selection("2026-02-20", 2);
	assert_int_equal(c.drawn + c.sampled + c.quarter_minimum + c.assigned, 0);
	assert_int_equal(countf("SELECT count(*) FROM moderation_draws"), 6);

	set_percent("100");
	for (int i = 0; i < 4; i++)
		submitted("AUD-3", "2026-02-21");
	c = run_selection("2026-02-22", 3);
	assert_int_equal(c.drawn, 4);
	assert_int_equal(c.sampled, 4);
	assert_int_equal(countf("SELECT count(*) FROM moderation_draws WHERE share = 1"
	    " AND selected"), 4);
	assert_int_equal(countf("SELECT count(*) FROM moderations m JOIN audits au ON"
	    " au.id = m.audit_id JOIN staff s ON s.id = au.auditor_id WHERE s.staff_ref ="
	    " 'AUD-3' AND m.reason = 'sampled' AND m.selected_on = '2026-02-22'"), 4);
	/* each selection is in the trail with its draw and the share */
	assert_int_equal(countf("SELECT count(*) FROM events e JOIN moderation_draws d ON"
	    " d.audit_id = (e.after->>'audit')::bigint WHERE e.action = 'moderation.selected'"
	    " AND e.entity = 'moderation' AND (e.after->>'draw')::float8 = d.draw"
	    " AND (e.after->>'share')::float8 = 1 AND e.after->>'reason' = 'sampled'"), 4);
	assert_int_equal(c.assigned, 4);
}

static void
test_share_ten_percent(void **state)
{
	long long first = 0;
	ca_moderation_counts c;
	PGresult *res;
	ca_rng rng;
	long below;

	(void)state;
	/* an unreadable setting counts as the default, 10% */
	set_percent("ten");
	for (int i = 0; i < 150; i++) {
		long long id = submitted(i % 3 == 0 ? "AUD-1" : i % 3 == 1 ? "AUD-2" : "AUD-3",
		    "2026-02-10");

		if (first == 0)
			first = id;
	}
	c = run_selection("2026-02-11", 20261122);
	assert_int_equal(c.drawn, 150);
	below = (long)countf("SELECT count(*) FROM moderation_draws WHERE draw < 0.1");
	assert_int_equal(c.sampled, below);
	assert_int_equal(countf("SELECT count(*) FROM moderation_draws WHERE selected <>"
	    " (draw < share) OR share <> 0.1"), 0);
	assert_int_equal(countf("SELECT count(*) FROM moderations m JOIN moderation_draws d"
	    " USING (audit_id, submission) WHERE d.selected AND m.reason = 'sampled'"), below);
	/* about one in ten: binomial(150, 0.1) is 15 +- 3.7 */
	assert_in_range(below, 4, 30);
	/* the draws are the documented generator's stream, in audit order */
	res = PQexec(conn, "SELECT draw FROM moderation_draws ORDER BY audit_id");
	assert_int_equal(PQntuples(res), 150);
	ca_rng_seed(&rng, 20261122);
	for (int r = 0; r < 150; r++)
		assert_true(strtod(PQgetvalue(res, r, 0), NULL) == ca_rng_unit(&rng));
	PQclear(res);
}

static void
test_quarter_minimum(void **state)
{
	ca_moderation_counts c;
	long long a2;

	(void)state;
	/* AUD-2 has one submission selected in Q1 */
	set_percent("100");
	a2 = submitted("AUD-2", "2026-01-15");
	c = run_selection("2026-01-16", 5);
	assert_int_equal(c.sampled, 1);
	/* then nothing is drawn: AUD-1 has three in Q1, none selected; AUD-2
	 * another; AUD-3 one in Q2 */
	set_percent("0");
	submitted("AUD-1", "2026-02-03");
	submitted("AUD-1", "2026-03-04");
	submitted("AUD-1", "2026-03-31");
	submitted("AUD-2", "2026-03-10");
	/* the last day of the quarter: it has not ended */
	c = run_selection("2026-03-31", 6);
	assert_int_equal(c.drawn, 4);
	assert_int_equal(c.quarter_minimum, 0);
	assert_false(due("2026-03-31"));
	assert_true(due("2026-04-01"));
	submitted("AUD-3", "2026-04-01");
	c = run_selection("2026-04-01", 7);
	assert_int_equal(c.drawn, 1);
	assert_int_equal(c.quarter_minimum, 1);
	assert_int_equal(countf("SELECT count(*) FROM moderations m JOIN audits au ON"
	    " au.id = m.audit_id JOIN staff s ON s.id = au.auditor_id WHERE s.staff_ref ="
	    " 'AUD-1' AND m.reason = 'quarter_minimum' AND m.selected_on = '2026-04-01'"), 1);
	assert_int_equal(countf("SELECT count(*) FROM moderations WHERE reason ="
	    " 'quarter_minimum'"), 1);
	/* the event keeps the draw among the three */
	assert_int_equal(countf("SELECT count(*) FROM events WHERE action ="
	    " 'moderation.selected' AND after->>'reason' = 'quarter_minimum'"
	    " AND after->>'quarter' = '2026-Q1' AND after->>'auditor' = 'AUD-1'"
	    " AND (after->>'candidates')::int = 3 AND (after->>'chosen')::int BETWEEN 0 AND 2"),
	    1);
	/* again: nothing more, for Q1 or anybody */
	assert_false(due("2026-04-02"));
	c = run_selection("2026-04-02", 8);
	assert_int_equal(c.quarter_minimum, 0);
	assert_int_equal(countf("SELECT count(*) FROM moderations"), 2);
	/* AUD-2's selected audit was one of theirs in Q1 */
	assert_int_equal(countf("SELECT count(*) FROM moderations WHERE audit_id = %lld", a2),
	    1);
	/* Q2 ends: AUD-3 gets theirs */
	c = run_selection("2026-07-01", 9);
	assert_int_equal(c.quarter_minimum, 1);
	assert_int_equal(countf("SELECT count(*) FROM events WHERE after->>'quarter' ="
	    " '2026-Q2' AND after->>'auditor' = 'AUD-3' AND (after->>'candidates')::int = 1"),
	    1);
}

/* The first quarter-minimum choice among n that a seed makes when there
 * is nothing to draw first. */
static uint64_t
choice(uint64_t seed, uint64_t n)
{
	ca_rng rng;

	ca_rng_seed(&rng, seed);
	return ca_rng_below(&rng, n);
}

static void
test_two_selections_at_once(void **state)
{
	ca_moderation_counts c;
	ca_err err = { 0 };
	uint64_t a = 1, b = 2;
	PGconn *watch;
	pid_t pid;
	int status, waited = 0;

	(void)state;
	set_percent("0");
	for (int i = 0; i < 3; i++)
		submitted("AUD-1", "2026-03-02");
	run_selection("2026-03-15", 1);
	/* seeds that would choose different submissions for AUD-1's Q1 */
	while (choice(b, 3) == choice(a, 3))
		b++;
	assert_int_equal(ca_db_begin(conn, &err), 0);
	assert_int_equal(ca_moderation_run(conn, "2026-04-01", "first", &a, &c, &err), 0);
	assert_int_equal(c.quarter_minimum, 1);
	/* a second selection starts while the first is not yet committed */
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		PGconn *mine = test_db_connect(db);
		ca_moderation_counts d;
		ca_err e = { 0 };

		if (mine == NULL || ca_db_begin(mine, &e) != 0 ||
		    ca_moderation_run(mine, "2026-04-01", "second", &b, &d, &e) != 0 ||
		    ca_db_commit(mine, &e) != 0)
			_exit(100);
		PQfinish(mine);
		_exit((int)(d.quarter_minimum + d.drawn + d.assigned));
	}
	/* it waits for the first */
	watch = test_db_connect(db);
	assert_non_null(watch);
	for (int i = 0; i < 500 && !waited; i++) {
		struct timespec ts = { 0, 10000000 };

		waited = test_db_count(watch, "SELECT count(*) FROM pg_stat_activity WHERE"
		    " wait_event_type = 'Lock' AND wait_event = 'advisory'") == 1;
		if (!waited)
			nanosleep(&ts, NULL);
	}
	PQfinish(watch);
	assert_true(waited);
	assert_int_equal(ca_db_commit(conn, &err), 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	/* and then finds nothing left to do */
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_int_equal(countf("SELECT count(*) FROM moderations"), 1);
	assert_int_equal(countf("SELECT count(*) FROM events WHERE actor = 'second'"), 0);
}

/* ---- assignment ----------------------------------------------------------- */

static void
test_moderators_independent_and_balanced(void **state)
{
	ca_moderation_counts c;
	char *who;

	(void)state;
	set_percent("100");
	/* AUD-4 is a moderator too, PSW-A works for Partner A: neither may
	 * take AUD-4's audits of Partner A's work */
	for (int i = 0; i < 5; i++)
		submitted("AUD-4", "2026-02-10");
	c = run_selection("2026-02-11", 1);
	assert_int_equal(c.assigned, 5);
	assert_int_equal(c.waiting, 0);
	who = valuef("SELECT string_agg(s.staff_ref, ',' ORDER BY m.id) FROM moderations m"
	    " JOIN staff s ON s.id = m.moderator_id");
	assert_string_equal(who, "PSW-1,PSW-2,PSW-1,PSW-2,PSW-1");
	free(who);
	/* the reminder, due when the feedback window ends */
	assert_int_equal(countf("SELECT count(*) FROM reminders r JOIN moderations m ON"
	    " m.audit_id = r.audit_id AND m.moderator_id = r.recipient_id"
	    " WHERE r.kind = 'moderation' AND r.due_on = '2026-02-24'"
	    " AND r.created_on = '2026-02-11'"), 5);
	assert_int_equal(countf("SELECT count(*) FROM events WHERE action ="
	    " 'moderation.assigned' AND after ? 'moderator' AND after ? 'audit'"), 5);
	/* Partner B's work by AUD-1: AUD-4 and PSW-A have nothing pending
	 * and may take it; AUD-4 is first by ref */
	{
		long long id = new_audit("AUD-1", "Partner B", "ASR-2");

		submit(id, "AUD-1", "good", "2026-02-12");
		c = run_selection("2026-02-12", 2);
		assert_int_equal(c.assigned, 1);
		assert_value("AUD-4", "SELECT s.staff_ref FROM moderations m JOIN staff s ON"
		    " s.id = m.moderator_id WHERE m.audit_id = %lld", id);
		id = new_audit("AUD-1", "Partner B", "ASR-2");
		submit(id, "AUD-1", "good", "2026-02-12");
		run_selection("2026-02-12", 3);
		assert_value("PSW-A", "SELECT s.staff_ref FROM moderations m JOIN staff s ON"
		    " s.id = m.moderator_id WHERE m.audit_id = %lld", id);
	}
	/* never anyone's own audit, never the partner's staff */
	assert_int_equal(countf("SELECT count(*) FROM moderations m JOIN audits au ON"
	    " au.id = m.audit_id JOIN assessments a ON a.id = au.assessment_id"
	    " JOIN staff s ON s.id = m.moderator_id WHERE s.id = au.auditor_id"
	    " OR s.organisation_id = a.provider_id OR s.staff_ref = a.assessor_ref"), 0);
}

static void
test_waiting_then_assigned_by_daemon(void **state)
{
	ca_moderation_counts c;
	test_run r;

	(void)state;
	set_percent("100");
	execf("UPDATE staff SET active = false WHERE 'psw' = ANY (roles)");
	submitted("AUD-1", "2026-02-10");
	submitted("AUD-2", "2026-02-10");
	c = run_selection("2026-02-11", 1);
	assert_int_equal(c.sampled, 2);
	assert_int_equal(c.assigned, 0);
	assert_int_equal(c.waiting, 2);
	assert_int_equal(countf("SELECT count(*) FROM moderations WHERE moderator_id IS NULL"
	    " AND status = 'pending'"), 2);
	/* nothing the daemon could do yet: no job */
	assert_false(due("2026-02-12"));
	assert_int_equal(cli(&r, "moderation", "list", "--status", "waiting", "--format", "csv",
	    NULL), 0);
	assert_non_null(strstr(r.out, "id,audit,submission,reason,status,moderator,auditor,"));
	assert_non_null(strstr(r.out, ",sampled,waiting,,AUD-1,2026-02-11,,,no,\n"));
	assert_non_null(strstr(r.out, ",sampled,waiting,,AUD-2,2026-02-11,,,no,\n"));
	test_run_free(&r);
	/* an audit waiting for moderation does not close */
	{
		ca_err err = { 0 };
		long closed = -1;

		assert_int_equal(ca_audits_close_due(conn, "2026-03-30", "test", &closed, &err), 0);
		assert_int_equal(closed, 0);
	}
	/* a moderator comes back: the daemon's moderate job assigns both */
	execf("UPDATE staff SET active = true WHERE staff_ref = 'PSW-2'");
	assert_true(due("2026-02-13"));
	EXPECT(0, "", "--once", "--today", "2026-02-13");
	assert_int_equal(countf("SELECT count(*) FROM moderations m JOIN staff s ON s.id ="
	    " m.moderator_id WHERE s.staff_ref = 'PSW-2' AND m.status = 'pending'"), 2);
	assert_int_equal(countf("SELECT count(*) FROM jobs WHERE kind = 'moderate' AND"
	    " state = 'done'"), 1);
	assert_int_equal(countf("SELECT count(*) FROM events WHERE action ="
	    " 'moderation.assigned' AND actor = 'caseauditd'"), 2);
	/* and again: nothing due, no second job */
	EXPECT(0, "", "--once", "--today", "2026-02-13");
	assert_int_equal(countf("SELECT count(*) FROM jobs WHERE kind = 'moderate'"), 1);
}

/* ---- moderating ----------------------------------------------------------- */

/* The audit's moderation, as "status,moderator,grade,returned". */
static char *
moderation_of(long long audit)
{
	return valuef("SELECT m.status || ',' || coalesce(s.staff_ref, '-') || ','"
	    " || coalesce(m.grade, '-') || ',' || m.returned FROM moderations m"
	    " LEFT JOIN staff s ON s.id = m.moderator_id WHERE m.audit_id = %lld"
	    " ORDER BY m.submission DESC LIMIT 1", audit);
}

static void
test_moderate_records(void **state)
{
	char id[24], other[24], *v;
	long long a, b;
	test_run r;

	(void)state;
	set_percent("100");
	a = new_audit("AUD-4", "Partner A", "ASR-1");
	submit4(a, "AUD-4", "met", "partially_met", "met", "yes", "good", "2026-02-10");
	run_selection("2026-02-11", 1);
	v = moderation_of(a);
	assert_string_equal(v, "pending,PSW-1,-,false");
	free(v);
	snprintf(id, sizeof id, "%lld", a);
	assert_int_equal(cli(&r, "moderate", id, "--grade", "requires_improvement", "--agree",
	    "q1, q4", "--disagree", "q2:not_met,q3:met", "--comment",
	    "Siân’s record — “risk” not explored ✓", "--as", "PSW-1", "--today", "2026-02-12",
	    NULL), 0);
	assert_string_equal(r.out, "audit 1 moderated (submission 1): grade "
	    "requires_improvement, the auditor's good; 3 ratings agreed, 1 not\n");
	test_run_free(&r);
	v = moderation_of(a);
	assert_string_equal(v, "done,PSW-1,requires_improvement,false");
	free(v);
	assert_value("good|2026-02-12|Siân’s record — “risk” not explored ✓",
	    "SELECT auditor_grade || '|' || done_on || '|' || comment FROM moderations"
	    " WHERE audit_id = %lld", a);
	assert_value("q1:met:met,q2:partially_met:not_met,q3:met:met,q4:yes:yes",
	    "SELECT string_agg(question_id || ':' || auditor_rating || ':' || moderator_rating,"
	    " ',' ORDER BY question_id) FROM moderation_ratings");
	assert_int_equal(countf("SELECT count(*) FROM events WHERE action = 'moderation.done'"
	    " AND entity = 'moderation' AND (after->>'audit')::bigint = %lld"
	    " AND after->'disagreed' = '{\"q2\": {\"auditor\": \"partially_met\","
	    " \"moderator\": \"not_met\"}}' AND (after->>'agreed')::int = 3"
	    " AND before->>'status' = 'pending'", a), 1);
	/* moderated once; the audit moved on a version */
	EXPECT(65, "submission 1 of audit 1 was moderated by PSW-1 on 12/02/2026; each "
	    "submission is moderated once", "moderate", id, "--grade", "good", "--agree-rest",
	    "--as", "PSW-1");
	assert_int_equal(countf("SELECT version FROM audits WHERE id = %lld", a), 7);

	/* not selected: a moderator may ask to moderate it, agreeing with the rest */
	set_percent("0");
	b = new_audit("AUD-2", "Partner A", "ASR-1");
	submit(b, "AUD-2", "inadequate", "2026-02-10");
	snprintf(other, sizeof other, "%lld", b);
	EXPECT(0, "audit 2 moderated (submission 1, on request): grade inadequate, the "
	    "auditor's inadequate; 3 ratings agreed, 0 not\n", "moderate", other, "--grade",
	    "inadequate", "--agree-rest", "--as", "PSW-2", "--today", "2026-02-13");
	v = moderation_of(b);
	assert_string_equal(v, "done,PSW-2,inadequate,false");
	free(v);
	assert_int_equal(countf("SELECT count(*) FROM moderations WHERE audit_id = %lld AND"
	    " reason = 'requested' AND selected_on = '2026-02-13'", b), 1);
	/* questions in neither list are not rated: they count neither way */
	{
		long long c = new_audit("AUD-3", "Partner A", "ASR-1");
		char third[24];

		submit(c, "AUD-3", "good", "2026-02-10");
		snprintf(third, sizeof third, "%lld", c);
		EXPECT(0, "audit 3 moderated (submission 1, on request): grade good, the "
		    "auditor's good; 1 rating agreed, 0 not, 2 not rated\n", "moderate", third,
		    "--grade", "good", "--agree", "q2", "--as", "PSW-2");
		assert_value("q2:partially_met:partially_met", "SELECT string_agg(r.question_id"
		    " || ':' || auditor_rating || ':' || moderator_rating, ',') FROM"
		    " moderation_ratings r JOIN moderations m ON m.id = r.moderation_id"
		    " WHERE m.audit_id = %lld", c);
		assert_int_equal(countf("SELECT count(*) FROM events WHERE action ="
		    " 'moderation.done' AND (after->>'audit')::bigint = %lld AND"
		    " (after->>'not_rated')::int = 2 AND after->'disagreed' = '{}'"
		    " AND NOT (after->>'agreed_rest')::boolean", c), 1);
	}
	/* the daemon still draws the submission, and selects nothing more */
	run_selection("2026-02-14", 2);
	assert_int_equal(countf("SELECT count(*) FROM moderation_draws WHERE audit_id = %lld",
	    b), 1);
	assert_int_equal(countf("SELECT count(*) FROM moderations WHERE audit_id = %lld", b), 1);
}

static void
test_moderate_refusals(void **state)
{
	char id[24], open_id[24], huge[30002], *before, *after;
	long long a, o;

	(void)state;
	set_percent("100");
	a = submitted("AUD-4", "2026-02-10");
	o = new_audit("AUD-1", "Partner A", "ASR-1");
	run_selection("2026-02-11", 1);
	snprintf(id, sizeof id, "%lld", a);
	snprintf(open_id, sizeof open_id, "%lld", o);
	before = valuef("SELECT row_to_json(m)::text || (SELECT count(*) FROM events)"
	    " || (SELECT version FROM audits WHERE id = %lld) FROM moderations m", a);
	assert_non_null(before);

	/* who */
	EXPECT(65, "AUD-2 is not a moderator (the psw role); only a moderator can moderate "
	    "audit 1", "moderate", id, "--grade", "good", "--agree-rest", "--as", "AUD-2");
	EXPECT(65, "AUD-4 did audit 1; a moderator cannot moderate their own audit",
	    "moderate", id, "--grade", "good", "--agree-rest", "--as", "AUD-4");
	EXPECT(65, "PSW-A works for the partner organisation that carried out the assessment "
	    "of audit 1", "moderate", id, "--grade", "good", "--agree-rest", "--as", "PSW-A");
	EXPECT(65, "audit 1 is held for moderation by PSW-1; only they can moderate "
	    "submission 1", "moderate", id, "--grade", "good", "--agree-rest", "--as", "PSW-2");
	EXPECT(65, "there is no active member of staff 'NOBODY' (--as)", "moderate", id,
	    "--grade", "good", "--agree-rest", "--as", "NOBODY");
	EXPECT(65, "there is no audit 999", "moderate", "999", "--grade", "good",
	    "--agree-rest", "--as", "PSW-1");
	/* when */
	EXPECT(65, "audit 2 is assigned; it is with its auditor and can be moderated once "
	    "submitted", "moderate", open_id, "--grade", "good", "--as", "PSW-1");
	EXPECT(75, "audit 1 has changed since you read it (you read version 2; it is now "
	    "version 5)", "moderate", id, "--grade", "good", "--agree-rest", "--as", "PSW-1",
	    "--version", "2");
	/* what */
	EXPECT(65, "the checklist of audit 1 has no question 'nope'", "moderate", id,
	    "--grade", "good", "--agree", "q1,nope", "--agree-rest", "--as", "PSW-1");
	EXPECT(65, "the checklist of audit 1 has no question 'q1' OR '1'='1'",
	    "moderate", id, "--grade", "good", "--agree", "q1' OR '1'='1", "--agree-rest",
	    "--as", "PSW-1");
	EXPECT(65, "'exceeded' is not a rating of question q2; use one of: met, partially_met, "
	    "not_met, not_applicable", "moderate", id, "--grade", "good", "--disagree",
	    "q2:exceeded", "--agree-rest", "--as", "PSW-1");
	EXPECT(65, "question q2 is both in --agree and in --disagree; say one", "moderate", id,
	    "--grade", "good", "--agree", "q1,q2", "--disagree", "q2:met", "--as", "PSW-1");
	EXPECT(65, "question q1 is listed twice in --agree", "moderate", id, "--grade", "good",
	    "--agree", "q1,q2,q1", "--as", "PSW-1");
	EXPECT(65, "question q4 of audit 1 was not answered by its auditor", "moderate", id,
	    "--grade", "good", "--disagree", "q4:yes", "--agree-rest", "--as", "PSW-1");
	/* how */
	EXPECT(64, "--grade is outstanding, good, requires_improvement or inadequate, not "
	    "'great'", "moderate", id, "--grade", "great", "--agree-rest", "--as", "PSW-1");
	EXPECT(64, "--return needs --reason TEXT", "moderate", id, "--grade", "good",
	    "--agree-rest", "--return", "--as", "PSW-1");
	EXPECT(64, "--disagree takes QUESTION:RATING pairs separated by commas; 'q2' has no "
	    "rating", "moderate", id, "--grade", "good", "--disagree", "q2", "--as", "PSW-1");
	EXPECT(64, "--agree has an empty question between commas", "moderate", id, "--grade",
	    "good", "--agree", "q1,,q2", "--as", "PSW-1");
	EXPECT(64, "--today is a date written YYYY-MM-DD, not '2026-02-30'", "moderate", id,
	    "--grade", "good", "--agree-rest", "--as", "PSW-1", "--today", "2026-02-30");
	EXPECT(64, "--grade G is required", "moderate", id, "--as", "PSW-1");
	EXPECT(64, "--as STAFF is required: who is moderating (or set CASEAUDIT_AS)",
	    "moderate", id, "--grade", "good");
	{
		/* CASEAUDIT_AS stands in for --as; an empty one is none */
		const char *env[] = { "CASEAUDIT_AS=AUD-2", NULL };
		const char *empty[] = { "CASEAUDIT_AS=", NULL };
		const char *argv[] = { "caseaudit", "moderate", id, "--grade", "good",
		    "--agree-rest", NULL };
		test_run r;

		assert_int_equal(test_run_cli(&r, db, env, argv), 0);
		assert_int_equal(r.status, 65);
		assert_non_null(strstr(r.err, "AUD-2 is not a moderator"));
		test_run_free(&r);
		assert_int_equal(test_run_cli(&r, db, empty, argv), 0);
		assert_int_equal(r.status, 64);
		test_run_free(&r);
	}
	EXPECT(64, "ID must be an audit number, not '1; DROP TABLE audits'", "moderate",
	    "1; DROP TABLE audits", "--grade", "good", "--as", "PSW-1");
	memset(huge, 'x', sizeof huge - 1);
	huge[sizeof huge - 1] = '\0';
	EXPECT(65, "--comment is 30001 bytes; at most 20000 are kept", "moderate", id,
	    "--grade", "good", "--agree-rest", "--comment", huge, "--as", "PSW-1");
	EXPECT(65, "--comment is not valid UTF-8", "moderate", id, "--grade", "good",
	    "--agree-rest", "--comment", "bad \xff byte", "--as", "PSW-1");

	/* nothing changed by any of them */
	after = valuef("SELECT row_to_json(m)::text || (SELECT count(*) FROM events)"
	    " || (SELECT version FROM audits WHERE id = %lld) FROM moderations m", a);
	assert_string_equal(before, after);
	free(before);
	free(after);
	assert_int_equal(countf("SELECT count(*) FROM moderation_ratings"), 0);
	/* the right moderator, with the version they read */
	EXPECT(0, "audit 1 moderated (submission 1)", "moderate", id, "--grade", "good",
	    "--agree-rest", "--as", "PSW-1", "--version", "5");
}

static void
test_closed_and_cancelled(void **state)
{
	char id[24];
	ca_err err = { 0 };
	long closed = 0;
	long long a;

	(void)state;
	set_percent("0");
	a = submitted("AUD-4", "2026-02-10");
	run_selection("2026-02-11", 1);
	assert_int_equal(ca_audits_close_due(conn, "2026-03-01", "test", &closed, &err), 0);
	assert_int_equal(closed, 1);
	snprintf(id, sizeof id, "%lld", a);
	/* closed without a moderation: too late */
	EXPECT(65, "audit 1 is closed; it was not selected for moderation before it closed",
	    "moderate", id, "--grade", "good", "--agree-rest", "--as", "PSW-1");
	/* its quarter's minimum selects it: it may be moderated, not returned */
	run_selection("2026-04-01", 2);
	assert_int_equal(countf("SELECT count(*) FROM moderations WHERE reason ="
	    " 'quarter_minimum' AND status = 'pending'"), 1);
	EXPECT(65, "audit 1 is closed; it can no longer be returned", "moderate", id,
	    "--grade", "good", "--agree-rest", "--return", "--reason", "Look again",
	    "--as", "PSW-1");
	/* the contract's shortest form: a grade alone, no question rated */
	EXPECT(0, "audit 1 moderated (submission 1): grade good, the auditor's good; "
	    "0 ratings agreed, 0 not, 3 not rated\n", "moderate", id, "--grade", "good",
	    "--as", "PSW-1", "--today", "2026-04-02");
	assert_int_equal(countf("SELECT count(*) FROM moderation_ratings"), 0);
	assert_value("closed", "SELECT status FROM audits WHERE id = %lld", a);
}

static void
test_return_and_resubmit(void **state)
{
	ca_actor auditor = { "AUD-4", "2026-02-20", 0 };
	ca_moderation_counts c;
	ca_err err = { 0 };
	char id[24], *v;
	long long a, b;

	(void)state;
	set_percent("100");
	a = submitted("AUD-4", "2026-02-10");
	run_selection("2026-02-11", 1);
	snprintf(id, sizeof id, "%lld", a);
	EXPECT(0, "; returned to its auditor\n", "moderate", id, "--grade", "inadequate",
	    "--disagree", "q1:not_met", "--agree", "q2,q3", "--return", "--reason",
	    "Risk is not explored; see q1", "--as", "PSW-1", "--today", "2026-02-12");
	assert_value("returned", "SELECT status FROM audits WHERE id = %lld", a);
	v = moderation_of(a);
	assert_string_equal(v, "done,PSW-1,inadequate,true");
	free(v);
	assert_int_equal(countf("SELECT count(*) FROM events WHERE action = 'audit.returned'"
	    " AND entity_id = '%lld' AND actor = 'PSW-1'"
	    " AND after->>'reason' = 'Risk is not explored; see q1'", a), 1);
	/* the auditor answers again and resubmits: submission 2, drawn afresh */
	assert_int_equal(ca_audit_answer(conn, &auditor, a, "q1", "not_met", "No risk plan",
	    NULL, &err), 0);
	assert_int_equal(ca_audit_submit(conn, &auditor, a, "requires_improvement", &err), 0);
	assert_int_equal(countf("SELECT submissions FROM audits WHERE id = %lld", a), 2);
	assert_true(due("2026-02-21"));
	c = run_selection("2026-02-21", 2);
	assert_int_equal(c.drawn, 1);
	assert_int_equal(countf("SELECT count(*) FROM moderation_draws WHERE audit_id = %lld"
	    " AND submission = 2", a), 1);
	assert_int_equal(countf("SELECT count(*) FROM moderations WHERE audit_id = %lld"
	    " AND submission = 2 AND status = 'pending'", a), 1);

	/* returned outside moderation while one is pending: withdrawn once
	 * the audit is submitted again */
	b = submitted("AUD-2", "2026-02-10");
	run_selection("2026-02-11", 3);
	{
		ca_actor psw = { "PSW-2", "2026-02-12", 0 };
		ca_actor aud2 = { "AUD-2", "2026-02-13", 0 };

		assert_int_equal(ca_audit_return(conn, &psw, b, "Please look again", &err), 0);
		/* while it is back with its auditor, the moderation waits */
		c = run_selection("2026-02-12", 4);
		assert_int_equal(c.withdrawn, 0);
		assert_int_equal(ca_audit_submit(conn, &aud2, b, "good", &err), 0);
	}
	c = run_selection("2026-02-14", 5);
	assert_int_equal(c.withdrawn, 1);
	assert_int_equal(c.drawn, 1);
	assert_value("withdrawn", "SELECT status FROM moderations WHERE audit_id = %lld"
	    " AND submission = 1", b);
	assert_int_equal(countf("SELECT count(*) FROM events WHERE action ="
	    " 'moderation.withdrawn' AND (after->>'audit')::bigint = %lld", b), 1);
	assert_int_equal(countf("SELECT count(*) FROM moderations WHERE audit_id = %lld"
	    " AND submission = 2 AND status = 'pending'", b), 1);
}

/* ---- agreement ------------------------------------------------------------ */

/* A moderation done by PSW-1, made by hand: the audit of `auditor`
 * submitted on `on` with grade `ag`, the moderator's grade `mg`, and the
 * rating pairs "(q, auditor's, moderator's), ..." as SQL values.  When
 * `now` is given the audit was returned and resubmitted with that grade. */
static void
hand_moderation(const char *auditor, const char *on, const char *ag, const char *mg,
    const char *now, const char *pairs)
{
	long long a = new_audit(auditor, "Partner A", "ASR-1");

	execf("UPDATE audits SET status = 'in_progress' WHERE id = %lld", a);
	execf("UPDATE audits SET status = 'submitted', grade = '%s', submitted_on = '%s',"
	    " submissions = %d WHERE id = %lld", now ? now : ag, on, now ? 2 : 1, a);
	execf("WITH m AS (INSERT INTO moderations (audit_id, submission, reason, moderator_id,"
	    " status, selected_on, auditor_grade, grade, done_on, returned)"
	    " SELECT %lld, 1, 'sampled', id, 'done', '%s', '%s', '%s', '%s', %s FROM staff"
	    " WHERE staff_ref = 'PSW-1' RETURNING id)"
	    " INSERT INTO moderation_ratings SELECT m.id, q, a, b FROM m, (VALUES %s) AS t(q, a, b)",
	    a, on, ag, mg, on, now ? "true" : "false", pairs);
}

/* The worked examples: grades in a 4 x 4 table whose weighted kappa is
 * worked out by hand (po 0.9, pe 0.66, kappa 0.24 / 0.34 = 12/17), and
 * ratings in the 3 x 3 table SAS prints for PROC FREQ (AGREE) (weighted
 * kappa 0.4701, 95% CI 0.1845 to 0.7558), as used for ca_kappa_compute
 * in test_stats.c:
 *
 *   grades (auditor by moderator)     ratings (auditor by moderator)
 *        O  G  RI  I                      met  part  not
 *   O    1  1  .   .                met    .    4     1
 *   G    .  3  1   .                part   .    8     .
 *   RI   .  .  2   1                not    .    1     5
 *   I    .  .  .   1
 *
 * plus three pairs with a not_applicable, left out.  The interval for the
 * grades, 0.4230 to 0.9888, was also worked out apart from the library,
 * with the Fleiss-Cohen-Everitt formula (se 0.1443). */
static void
make_worked_example(void)
{
#define MP "('q1', 'met', 'partially_met'), ('q2', 'met', 'partially_met'), "
#define PP(q) "('" q "', 'partially_met', 'partially_met')"
#define NN(q) "('" q "', 'not_met', 'not_met')"
	hand_moderation("AUD-1", "2026-01-10", "outstanding", "outstanding", NULL,
	    MP "('q3', 'not_applicable', 'not_applicable')");
	hand_moderation("AUD-1", "2026-01-11", "outstanding", "good", NULL,
	    MP "('q3', 'not_applicable', 'not_applicable')");
	hand_moderation("AUD-1", "2026-01-12", "good", "good", NULL,
	    "('q1', 'met', 'not_met'), " PP("q2"));
	hand_moderation("AUD-1", "2026-02-01", "good", "good", NULL, PP("q1") ", " PP("q2"));
	hand_moderation("AUD-1", "2026-02-02", "good", "good", NULL, PP("q1") ", " PP("q2"));
	hand_moderation("AUD-1", "2026-02-03", "good", "requires_improvement", "good",
	    PP("q1") ", " PP("q2"));
	hand_moderation("AUD-2", "2026-03-01", "requires_improvement", "requires_improvement",
	    NULL, PP("q1") ", ('q2', 'not_met', 'partially_met')");
	hand_moderation("AUD-2", "2026-03-02", "requires_improvement", "requires_improvement",
	    NULL, NN("q1") ", " NN("q2"));
	hand_moderation("AUD-2", "2026-03-03", "requires_improvement", "inadequate",
	    "inadequate", NN("q1") ", " NN("q2"));
	hand_moderation("AUD-2", "2026-04-01", "inadequate", "inadequate", NULL,
	    NN("q1") ", ('q2', 'not_applicable', 'met')");
#undef MP
#undef PP
#undef NN
}

static void
test_stats_worked_example(void **state)
{
	test_run r;

	(void)state;
	make_worked_example();
	if (cli(&r, "moderation", "stats", "--format", "json", NULL) != 0)
		fail_msg("%s", r.err);
	assert_string_equal(r.out, "[\n"
	    " {\"overall\": \"all\", \"moderated\": 10, \"grades_agreed\": 7,"
	    " \"grade_agreement\": 70.0, \"grade_kappa\": 0.7059, \"grade_kappa_low\": 0.4230,"
	    " \"grade_kappa_high\": 0.9888, \"ratings\": 19, \"ratings_agreed\": 13,"
	    " \"rating_agreement\": 68.4, \"rating_kappa\": 0.4701,"
	    " \"rating_kappa_low\": 0.1845, \"rating_kappa_high\": 0.7558,"
	    " \"not_applicable\": 3, \"returned\": 2, \"regraded\": 1,"
	    " \"note\": \"ratings: calibrate\"}\n]\n");
	test_run_free(&r);
	EXPECT(0, "OVERALL  MODERATED  GRADES AGREED  GRADE KAPPA (95% CI)  RATINGS AGREED  "
	    "RATING KAPPA (95% CI)  N/A  RETURNED  REGRADED  NOTE\n"
	    "all      10         7 of 10 (70%)  0.71 (0.42 to 0.99)   13 of 19 (68%)  "
	    "0.47 (0.18 to 0.76)    3    2         1         ratings: calibrate\n"
	    "\nKappa: Cohen's, linearly weighted", "moderation", "stats");
	/* per auditor: AUD-2 has four, so no interval; AUD-1's ratings agree
	 * exactly as often as chance would have them (kappa 0, no interval) */
	EXPECT(0, "auditor,moderated,grades_agreed,grade_agreement,grade_kappa,grade_kappa_low,"
	    "grade_kappa_high,ratings,ratings_agreed,rating_agreement,rating_kappa,"
	    "rating_kappa_low,rating_kappa_high,not_applicable,returned,regraded,note\n"
	    "AUD-1,6,4,66.7,0.4000,-0.1432,0.9432,12,7,58.3,0.0000,,,2,1,0,"
	    "grades: calibrate; ratings: calibrate\n"
	    "AUD-2,4,3,75.0,0.5000,,,7,6,85.7,0.5882,-0.0927,1.0000,1,1,1,"
	    "under 5 grades; ratings: calibrate\n", "moderation", "stats", "--by", "auditor",
	    "--format", "csv");
	EXPECT(0, "question,moderated,ratings,ratings_agreed,rating_agreement,rating_kappa,"
	    "rating_kappa_low,rating_kappa_high,not_applicable,note\n"
	    "q1,10,10,7,70.0,0.4737,0.0926,0.8548,0,ratings: calibrate\n"
	    "q2,10,9,6,66.7,0.4706,0.0719,0.8693,1,ratings: calibrate\n"
	    "q3,2,0,0,,,,,2,\n", "moderation", "stats", "--by", "question", "--format", "csv");
	EXPECT(0, "QUESTION  MODERATED  RATINGS AGREED  RATING KAPPA (95% CI)  N/A  NOTE\n"
	    "q1        10         7 of 10 (70%)   0.47 (0.09 to 0.85)    0    ratings: calibrate\n",
	    "moderation", "stats", "--by", "question");
	/* periods: by the day the moderated submission was made */
	EXPECT(0, "[\n {\"overall\": \"all\", \"moderated\": 1, \"grades_agreed\": 1,"
	    " \"grade_agreement\": 100.0, \"grade_kappa\": null, \"grade_kappa_low\": null,"
	    " \"grade_kappa_high\": null, \"ratings\": 1, \"ratings_agreed\": 1,"
	    " \"rating_agreement\": 100.0, \"rating_kappa\": null, \"rating_kappa_low\": null,"
	    " \"rating_kappa_high\": null, \"not_applicable\": 1, \"returned\": 0,"
	    " \"regraded\": 0, \"note\": \"grades all alike; ratings all alike\"}\n]\n",
	    "moderation", "stats", "--from", "2026-04", "--to", "2026-Q2", "--format", "json");
	/* January: AUD-1's first three; (O,O), (O,G), (G,G) is 2/5 by hand */
	EXPECT(0, "AUD-1,3,2,66.7,0.4000,,,6,1,16.7,0.0000,,,2,0,0,under 5 grades; "
	    "ratings: calibrate\n",
	    "moderation", "stats", "--to", "2026-01", "--by", "auditor", "--format", "csv");
	EXPECT(0, "AUD-2,3,2,66.7,", "moderation", "stats", "--from", "2026-Q1", "--to",
	    "2026-03", "--by", "auditor", "--format", "csv");
	EXPECT(0, "No moderations were done for submissions made in this period.\n",
	    "moderation", "stats", "--from", "2025-04", "--to", "2025-Q2");
	EXPECT(0, "[]\n", "moderation", "stats", "--from", "2027-01", "--format", "json");
	/* what the command refuses */
	EXPECT(64, "--by is overall, auditor or question, not 'partner'", "moderation", "stats",
	    "--by", "partner");
	EXPECT(64, "--from is a month (YYYY-MM) or a quarter (YYYY-Qn), not '2026-13'",
	    "moderation", "stats", "--from", "2026-13");
	EXPECT(64, "--from is after --to", "moderation", "stats", "--from", "2026-Q2", "--to",
	    "2026-03");
	EXPECT(64, "--format is table, csv or json, not 'xml'", "moderation", "stats",
	    "--format", "xml");
}

static void
test_help(void **state)
{
	(void)state;
	EXPECT(0, "--agree-rest", "moderate", "--help");
	EXPECT(0, "moderation_percent setting", "moderation", "--help");
	EXPECT(0, "moderate   record a moderator's view", "help");
	EXPECT(64, "say list or stats", "moderation");
}

#define T(f) cmocka_unit_test_setup_teardown(f, world, world_end)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_share_none_and_all),
		T(test_share_ten_percent),
		T(test_quarter_minimum),
		T(test_two_selections_at_once),
		T(test_moderators_independent_and_balanced),
		T(test_waiting_then_assigned_by_daemon),
		T(test_moderate_records),
		T(test_moderate_refusals),
		T(test_closed_and_cancelled),
		T(test_return_and_resubmit),
		T(test_stats_worked_example),
		T(test_help),
	};

	return cmocka_run_group_tests_name("moderation", tests, NULL, NULL);
}
