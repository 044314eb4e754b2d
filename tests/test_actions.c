/*
 * test_actions.c - what follows an audit's findings, against the private
 * PostgreSQL and through the real binaries: actions (`audit action`,
 * `actions`, `action done`), the daemon chasing them and closing audits
 * whose feedback window has ended, and re-audit requests fulfilled by a
 * later sampling run.
 *
 * The world is small and known, built once per group: two partners and
 * the council's staff imported from CSV, a handful of assessments in
 * January to May 2026, the standard checklists, and March runs of a
 * care-act plan and a review plan whose audits are all assigned.  The
 * plans are paused so that the daemon, run with --today, only chases and
 * closes.  Audits are moved on through the CLI too (`audit answer`,
 * `audit submit`, `audit cancel`).
 *
 * What must hold:
 *   - an action is added only by the audit's auditor once it has started,
 *     or the principal social worker or a QA lead, to a named owner
 *     (ambiguous names refused until qualified), due today or later, with
 *     sound text; it bumps the audit's version, honours --version, and is
 *     in the trail under the audit;
 *   - `actions` lists open actions most overdue first, with the fields its
 *     JSON promises; `action done` only by the owner, the owning
 *     organisation's staff or a QA lead, once;
 *   - chasing sends each action reminder and escalation once, to the right
 *     recipient, not for a cancelled audit's actions;
 *   - the daemon closes an audit once its feedback window has ended, not
 *     before, and not while a moderation is pending;
 *   - re-audit requests are refused where they should be; a later run adds
 *     the case, or the practitioner's next case, as targeted audits outside
 *     the draw, which still verifies; a redraw keeps them; requests that no
 *     run can take yet stay open.
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

static const char staff_csv[] =
	"staff_ref,name,organisation,role,team,max_open_audits,email\n"
	"ST-AUD1,Alex Example,Eastshire County Council,auditor,Quality,20,a@example.org\n"
	"ST-AUD2,Bea Example,Eastshire County Council,auditor,Quality,20,b@example.org\n"
	"ST-PSW,Pat Example,Eastshire County Council,psw,PSW Office,0,p@example.org\n"
	"ST-QA1,Quinn Example,Eastshire County Council,qa_lead,Quality,0,q@example.org\n"
	"ST-QA2,Rae Example,Eastshire County Council,qa_lead,Quality,0,r@example.org\n"
	"ST-N1,Nia Example,Northgate Community Care,assessor,North,0,n1@example.org\n"
	"ST-N2,Ned Example,Northgate Community Care,assessor,North,0,n2@example.org\n"
	"ST-R1,Ria Example,Riverside Carers Trust,assessor,River,0,r1@example.org\n"
	"ST-GONE,Gus Example,Northgate Community Care,assessor,North,0,g@example.org\n";

#define CA "care_act_assessment"
#define NG "Northgate Community Care"
#define RV "Riverside Carers Trust"

static const char assessments_csv[] =
	"assessment_ref,person_ref,assessment_type,provider,assessor_ref,requested_on,"
	"completed_on,summary\n"
	"AS-X1,P-01," CA "," NG ",ST-N2,2026-01-02,2026-01-15,January.\n"
	"AS-X2,P-02," CA "," NG ",ST-N2,2026-01-02,2026-01-16,January.\n"
	"AS-M1,P-11," CA "," NG ",ST-N1,2026-02-01,2026-03-05,March.\n"
	"AS-M2,P-12," CA "," NG ",ST-N2,2026-02-01,2026-03-06,March.\n"
	"AS-M3,P-13," CA "," RV ",ST-R1,2026-02-01,2026-03-07,March.\n"
	"AS-M4,P-14," CA "," NG ",ST-N2,2026-02-01,2026-03-08,March.\n"
	"AS-M5,P-15," CA "," RV ",ST-R1,2026-02-01,2026-03-09,March.\n"
	"AS-M6,P-16," CA "," RV ",ST-R1,2026-02-01,2026-03-10,March.\n"
	"AS-M7,P-17," CA "," NG ",ST-N2,2026-02-01,2026-03-12,March.\n"
	"AS-R1,P-18,review," RV ",ST-R1,2026-02-01,2026-03-11,A review.\n"
	"AS-A1,P-21," CA "," NG ",ST-N1,2026-03-01,2026-04-05,April.\n"
	"AS-A2,P-22," CA "," NG ",ST-N1,2026-03-01,2026-04-20,April.\n"
	"AS-A3,P-23," CA "," NG ",ST-N2,2026-03-01,2026-04-25,April.\n"
	"AS-A4,P-24," CA "," RV ",ST-R1,2026-03-01,2026-04-05,April.\n"
	"AS-A5,P-25," CA "," NG ",ST-N1,2026-03-01,2026-04-22,April.\n"
	"AS-Y1,P-31," CA "," NG ",ST-N2,2026-04-01,2026-05-12,May.\n";

/* A second checklist for care-act assessments: re-audits are of the
 * checklist the finding came from, not of whatever plan runs next. */
static const char thematic_yaml[] =
	"name: falls-thematic\n"
	"title: Falls risk - thematic audit\n"
	"applies_to: [care_act_assessment]\n"
	"scales:\n"
	"  - id: standard\n"
	"    ratings:\n"
	"      - { id: met, label: Met, score: 1 }\n"
	"      - { id: not_met, label: Not met, score: 0 }\n"
	"sections:\n"
	"  - title: Risk\n"
	"    domain: risk\n"
	"    questions:\n"
	"      - id: falls_risk_assessed\n"
	"        text: Is the risk of falls assessed?\n"
	"        guidance: { good: Yes., partial: Partly., poor: No. }\n"
	"        weight: 1\n"
	"        required: yes\n";

/* ---- running things ------------------------------------------------------ */

/* The last command's outcome; each run frees the one before. */
static test_run last;

/* Run caseaudit (or, when the first argument is "--once", caseauditd)
 * with a NULL-terminated list of arguments; the exit status. */
static int
cmd(const char *first, ...)
{
	const char *argv[32] = { strcmp(first, "--once") == 0 ? "caseauditd" : "caseaudit" };
	va_list ap;
	int n = 1;

	test_run_free(&last);
	va_start(ap, first);
	for (const char *a = first; a != NULL && n < 31; a = va_arg(ap, const char *))
		argv[n++] = a;
	va_end(ap);
	argv[n] = NULL;
	assert_int_equal(test_run_cli(&last, test_group.name, NULL, argv), 0);
	return last.status;
}

#define RUN(...) cmd(__VA_ARGS__, (const char *)NULL)

/* The command (just run) must have exited with `status`, and said
 * `needle` (in either stream) when it is not NULL. */
static void
check(int got, int status, const char *needle)
{
	if (got != status || (needle != NULL && strstr(last.out, needle) == NULL &&
	    strstr(last.err, needle) == NULL))
		fail_msg("exit %d (wanted %d, saying '%s'): %s%s", got, status,
		    needle ? needle : "", last.out, last.err);
}

#define EXPECT(status, needle, ...) check(RUN(__VA_ARGS__), (status), (needle))

#define OK(...) EXPECT(0, NULL, __VA_ARGS__)

#define COUNT(...) test_db_count(test_group.conn, test_sqlf(__VA_ARGS__))

/* One value as text, kept until the next call. */
static const char *
value(const char *sql)
{
	static char *v;

	free(v);
	v = test_db_value(test_group.conn, sql);
	if (v == NULL)
		fail_msg("no value: %s", sql);
	return v;
}

#define VALUE(...) value(test_sqlf(__VA_ARGS__))

/* The first audit of an assessment (its March one), as text for argv. */
static char *
audit_of(const char *ref)
{
	return strdup(VALUE("SELECT min(au.id) FROM audits au JOIN assessments a ON a.id ="
	    " au.assessment_id WHERE a.assessment_ref = '%s'", ref));
}

static char *
auditor_of(const char *audit)
{
	return strdup(VALUE("SELECT s.staff_ref FROM audits au JOIN staff s ON s.id ="
	    " au.auditor_id WHERE au.id = %s", audit));
}

/* Start an audit as its auditor: answer its first question. */
static void
start_audit(const char *audit, const char *today)
{
	char *auditor = auditor_of(audit);
	const char *q = VALUE("SELECT q.question_id FROM form_questions q JOIN audits au ON"
	    " au.form_version_id = q.form_version_id WHERE au.id = %s ORDER BY q.position"
	    " LIMIT 1", audit);

	OK("audit", "answer", audit, q, "met", "--as", auditor, "--today", today);
	free(auditor);
}

/* Answer every required question as met and submit the audit as good. */
static void
submit_audit(const char *audit, const char *today)
{
	char *auditor = auditor_of(audit), *qs, *save = NULL;

	qs = strdup(VALUE("SELECT string_agg(q.question_id, ' ') FROM form_questions q JOIN"
	    " audits au ON au.form_version_id = q.form_version_id WHERE au.id = %s"
	    " AND q.required", audit));
	for (char *q = strtok_r(qs, " ", &save); q != NULL; q = strtok_r(NULL, " ", &save))
		OK("audit", "answer", audit, q, "met", "--as", auditor, "--today", today);
	OK("audit", "submit", audit, "--grade", "good", "--as", auditor, "--today", today);
	free(qs);
	free(auditor);
}

static void
cancel_audit(const char *audit)
{
	OK("audit", "cancel", audit, "--reason", "The case was withdrawn.", "--as", "ST-QA1",
	    "--today", "2026-04-10");
}

/* The id `audit action` printed. */
static char *
new_action(const char *audit, const char *owner, const char *due, const char *as,
    const char *today)
{
	OK("audit", "action", audit, "--owner", owner, "--due", due, "--text",
	    "Agree a plan for the carer's needs with the family.", "--as", as, "--today", today);
	assert_true(atoll(last.out) > 0);
	return strndup(last.out, strcspn(last.out, "\n"));
}

/* ---- the world ----------------------------------------------------------- */

static int
run_ok(const char *const *argv)
{
	test_run r;
	int ok;

	if (test_run_cli(&r, test_group.name, NULL, argv) != 0)
		return 0;
	ok = r.status == 0;
	if (!ok)
		fprintf(stderr, "setup: caseaudit %s %s exited %d: %s%s\n", argv[1], argv[2],
		    r.status, r.out, r.err);
	test_run_free(&r);
	return ok;
}

static int
group_setup(void **state)
{
	char *staff, *ass, *thematic, forms[3][4300];
	int ok;

	if (test_group_setup(state) != 0)
		return -1;
	staff = test_write_file("staff.csv", staff_csv, sizeof staff_csv - 1);
	ass = test_write_file("assessments.csv", assessments_csv, sizeof assessments_csv - 1);
	thematic = test_write_file("falls-thematic.yaml", thematic_yaml, sizeof thematic_yaml - 1);
	snprintf(forms[0], sizeof forms[0], "%s/forms/screening.yaml", CASEAUDIT_SOURCE_DIR);
	snprintf(forms[1], sizeof forms[1], "%s/forms/care-act-assessment.yaml",
	    CASEAUDIT_SOURCE_DIR);
	snprintf(forms[2], sizeof forms[2], "%s/forms/review.yaml", CASEAUDIT_SOURCE_DIR);
	{
		const char *steps[][16] = {
			{ "caseaudit", "forms", "load", forms[0], forms[1], forms[2], thematic },
			{ "caseaudit", "import", "staff", staff },
			{ "caseaudit", "import", "assessments", ass },
			{ "caseaudit", "screen" },
			{ "caseaudit", "plan", "create", "p-a", "--form", "care-act-assessment",
			    "--method", "random", "--percent", "100", "--from", "2026-03",
			    "--exclusion-months", "0" },
			{ "caseaudit", "plan", "create", "p-r", "--form", "review", "--method",
			    "random", "--percent", "100", "--from", "2026-03" },
			{ "caseaudit", "plan", "create", "p-b", "--form", "care-act-assessment",
			    "--method", "random", "--size", "1", "--from", "2026-04" },
			{ "caseaudit", "plan", "create", "p-t", "--form", "falls-thematic",
			    "--method", "random", "--size", "1", "--from", "2026-04", "--providers",
			    RV },
			{ "caseaudit", "sample", "run", "--plan", "p-a", "--period", "2026-03",
			    "--seed", "1" },
			{ "caseaudit", "sample", "run", "--plan", "p-r", "--period", "2026-03",
			    "--seed", "1" },
		};

		ok = 1;
		for (size_t i = 0; ok && i < sizeof steps / sizeof steps[0]; i++)
			ok = run_ok(steps[i]);
	}
	free(staff);
	free(ass);
	free(thematic);
	if (!ok)
		return -1;
	/* the daemon only chases and closes here; ST-GONE has left; and one
	 * organisation shares its name with a staff ref */
	test_db_exec(test_group.conn, "UPDATE sampling_plans SET paused = true");
	test_db_exec(test_group.conn, "UPDATE staff SET active = false WHERE staff_ref = 'ST-GONE'");
	test_db_exec(test_group.conn, "INSERT INTO organisations (name) VALUES ('ST-N2')");
	/* all eight March cases audited, every audit with an auditor */
	return test_db_count(test_group.conn, "SELECT count(*) FROM audits WHERE status ="
	    " 'assigned'") == 8 ? 0 : -1;
}

static int
group_teardown(void **state)
{
	test_run_free(&last);
	return test_group_teardown(state);
}

/* ---- actions -------------------------------------------------------------- */

static void
test_action_create_and_refusals(void **state)
{
	char *audit = audit_of("AS-M1"), *auditor = auditor_of(audit), *id, *x1, *x2;
	char big[20002];
	long long version;

	(void)state;
	/* the auditor cannot until the audit has started; the principal social
	 * worker can */
	EXPECT(65, "its auditor can add actions once the audit has started", "audit", "action",
	    audit, "--owner", NG, "--due", "2026-04-20", "--text", "x", "--as", auditor,
	    "--today", "2026-04-10");
	id = new_action(audit, NG, "2026-04-20", "ST-PSW", "2026-04-10");
	free(id);
	start_audit(audit, "2026-04-10");

	/* the auditor now: an organisation owner, DD/MM/YYYY accepted */
	version = COUNT("SELECT version FROM audits WHERE id = %s", audit);
	id = new_action(audit, NG, "20/04/2026", auditor, "2026-04-10");
	assert_int_equal(COUNT("SELECT count(*) FROM actions x JOIN organisations o ON o.id ="
	    " x.owner_organisation_id WHERE x.id = %s AND o.name = '" NG "' AND x.due_on ="
	    " '2026-04-20' AND x.status = 'open' AND x.created_on = '2026-04-10'"
	    " AND x.owner_staff_id IS NULL AND x.audit_id = %s", id, audit), 1);
	assert_int_equal(COUNT("SELECT version FROM audits WHERE id = %s", audit), version + 1);
	/* in the trail under the audit, through the index's expression */
	assert_int_equal(COUNT("SELECT count(*) FROM events WHERE entity = 'action' AND"
	    " entity_id = '%s' AND action = 'action.created' AND actor = '%s' AND"
	    " (coalesce(after, before) ->> 'audit') = '%s' AND after ->> 'owner' = '" NG "'"
	    " AND after ->> 'owner_kind' = 'organisation'", id, auditor, audit), 1);
	free(id);

	/* who may not */
	EXPECT(65, "ST-N1 is not the auditor of audit", "audit", "action", audit, "--owner", NG,
	    "--due", "2026-04-20", "--text", "x", "--as", "ST-N1", "--today", "2026-04-10");
	EXPECT(65, "there is no active member of staff 'ST-GONE'", "audit", "action", audit,
	    "--owner", NG, "--due", "2026-04-20", "--text", "x", "--as", "ST-GONE");
	EXPECT(65, "there is no active member of staff 'nobody'", "audit", "action", audit,
	    "--owner", NG, "--due", "2026-04-20", "--text", "x", "--as", "nobody");
	/* owners: unknown, gone, ambiguous until qualified */
	EXPECT(65, "there is no member of staff or partner organisation 'Nobody Ltd'; DROP",
	    "audit", "action", audit, "--owner", "Nobody Ltd'; DROP TABLE actions; --", "--due",
	    "2026-04-20", "--text", "x", "--as", auditor, "--today", "2026-04-10");
	EXPECT(65, "ST-GONE is no longer active staff", "audit", "action", audit, "--owner",
	    "ST-GONE", "--due", "2026-04-20", "--text", "x", "--as", auditor, "--today",
	    "2026-04-10");
	EXPECT(65, "'ST-N2' is both a member of staff and a partner organisation: say which "
	    "with --owner staff:ST-N2 or --owner org:ST-N2", "audit", "action", audit, "--owner",
	    "ST-N2", "--due", "2026-04-20", "--text", "x", "--as", auditor, "--today",
	    "2026-04-10");
	EXPECT(65, "there is no partner organisation 'ST-N1'", "audit", "action", audit,
	    "--owner", "org:ST-N1", "--due", "2026-04-20", "--text", "x", "--as", auditor,
	    "--today", "2026-04-10");
	x1 = new_action(audit, "staff:ST-N2", "2026-04-20", auditor, "2026-04-10");
	x2 = new_action(audit, "org:ST-N2", "2026-04-20", auditor, "2026-04-10");
	assert_int_equal(COUNT("SELECT count(*) FROM actions x JOIN staff s ON s.id ="
	    " x.owner_staff_id WHERE x.id = %s AND s.staff_ref = 'ST-N2'", x1), 1);
	assert_int_equal(COUNT("SELECT count(*) FROM actions x JOIN organisations o ON o.id ="
	    " x.owner_organisation_id WHERE x.id = %s AND o.name = 'ST-N2'", x2), 1);
	free(x1);
	free(x2);
	/* dates: before today, impossible, not a date; today itself is fine */
	EXPECT(65, "--due 09/04/2026 is before today (10/04/2026)", "audit", "action", audit,
	    "--owner", NG, "--due", "2026-04-09", "--text", "x", "--as", auditor, "--today",
	    "2026-04-10");
	EXPECT(65, "--due is a date written YYYY-MM-DD or DD/MM/YYYY, not '31/02/2026'", "audit",
	    "action", audit, "--owner", NG, "--due", "31/02/2026", "--text", "x", "--as", auditor);
	EXPECT(65, "not 'tomorrow'", "audit", "action", audit, "--owner", NG, "--due",
	    "tomorrow", "--text", "x", "--as", auditor);
	EXPECT(65, "not '2026-4-20'", "audit", "action", audit, "--owner", NG, "--due",
	    "2026-4-20", "--text", "x", "--as", auditor);
	EXPECT(64, "--today must be a date as YYYY-MM-DD, not '10/04/2026'", "audit", "action", audit, "--owner",
	    NG, "--due", "2026-04-20", "--text", "x", "--as", auditor, "--today", "10/04/2026");
	free(new_action(audit, NG, "2026-04-10", auditor, "2026-04-10"));
	/* text: blank, huge, not UTF-8; unicode and SQL-looking text kept as is */
	EXPECT(65, "--text is blank", "audit", "action", audit, "--owner", NG, "--due",
	    "2026-04-20", "--text", " \t\n ", "--as", auditor, "--today", "2026-04-10");
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	EXPECT(65, "--text is 20001 bytes; at most 20000 are kept", "audit", "action", audit,
	    "--owner", NG, "--due", "2026-04-20", "--text", big, "--as", auditor, "--today",
	    "2026-04-10");
	EXPECT(65, "--text is not valid UTF-8 (byte 4)", "audit", "action", audit, "--owner", NG,
	    "--due", "2026-04-20", "--text", "ok \xff\xfe", "--as", auditor, "--today",
	    "2026-04-10");
	OK("audit", "action", audit, "--owner", NG, "--due", "2026-04-30", "--text",
	    "Siân’s carer: offer a carer’s assessment'); DELETE FROM actions; --", "--as",
	    auditor, "--today", "2026-04-10");
	assert_int_equal(COUNT("SELECT count(*) FROM actions WHERE id = %lld AND text ="
	    " 'Siân’s carer: offer a carer’s assessment''); DELETE FROM actions; --'",
	    atoll(last.out)), 1);
	/* the audit: unknown, not assigned, withdrawn */
	EXPECT(65, "there is no audit 999999", "audit", "action", "999999", "--owner", NG,
	    "--due", "2026-04-20", "--text", "x", "--as", "ST-QA1", "--today", "2026-04-10");
	EXPECT(64, "ID must be an audit number, not 'AUD-1'", "audit", "action", "AUD-1",
	    "--owner", NG, "--due", "2026-04-20", "--text", "x", "--as", "ST-QA1");
	test_db_exec(test_group.conn, "INSERT INTO audits (run_id, assessment_id,"
	    " form_version_id, due_on, unassigned_reason) SELECT r.id, a.id, r.form_version_id,"
	    " '2026-12-31', 'waiting to be assigned' FROM sampling_runs r JOIN sampling_plans p"
	    " ON p.id = r.plan_id, assessments a WHERE p.name = 'p-a'"
	    " AND a.assessment_ref IN ('AS-X1', 'AS-X2')");
	{
		char *x1a = audit_of("AS-X1"), *x2a = audit_of("AS-X2");

		EXPECT(65, "is unassigned; actions come from an audit's findings, and nobody is "
		    "auditing it yet", "audit", "action", x1a, "--owner", NG, "--due", "2026-04-20",
		    "--text", "x", "--as", "ST-QA1", "--today", "2026-04-10");
		cancel_audit(x1a);
		cancel_audit(x2a);
		EXPECT(65, "is cancelled; it was withdrawn, so no actions come from it", "audit",
		    "action", x2a, "--owner", NG, "--due", "2026-04-20", "--text", "x", "--as",
		    "ST-QA1", "--today", "2026-04-10");
		free(x1a);
		free(x2a);
	}
	/* --version: stale is 75 and changes nothing; current succeeds */
	version = COUNT("SELECT version FROM audits WHERE id = %s", audit);
	{
		char stale[24], now[24];
		long long actions = COUNT("SELECT count(*) FROM actions");

		snprintf(stale, sizeof stale, "%lld", version - 1);
		snprintf(now, sizeof now, "%lld", version);
		EXPECT(75, "has changed since you read it", "audit", "action", audit, "--owner", NG,
		    "--due", "2026-04-20", "--text", "x", "--as", auditor, "--today", "2026-04-10",
		    "--version", stale);
		assert_int_equal(COUNT("SELECT count(*) FROM actions"), actions);
		OK("audit", "action", audit, "--owner", NG, "--due", "2026-04-20", "--text", "x",
		    "--as", auditor, "--today", "2026-04-10", "--version", now);
		assert_int_equal(COUNT("SELECT count(*) FROM actions"), actions + 1);
	}
	/* usage */
	EXPECT(64, "audit action: --owner, --due and --text are required", "audit", "action",
	    audit, "--owner", NG, "--as", auditor);
	EXPECT(64, "--version must be the audit's version number", "audit", "action", audit,
	    "--owner", NG, "--due", "2026-04-20", "--text", "x", "--as", auditor, "--version",
	    "-1");
	EXPECT(0, "--owner OWNER", "audit", "action", "--help");
	free(audit);
	free(auditor);
}

static void
test_actions_listing_and_done(void **state)
{
	char *audit = audit_of("AS-M2"), *a, *b, *c, *json;

	(void)state;
	start_audit(audit, "2026-04-01");
	a = new_action(audit, RV, "2026-04-20", "ST-QA1", "2026-04-01");   /* 5 days late */
	b = new_action(audit, "staff:ST-N2", "2026-04-15", "ST-PSW", "2026-04-01"); /* 10 */
	c = new_action(audit, NG, "2026-05-30", "ST-QA1", "2026-04-01");   /* not yet due */

	/* JSON: every field, most overdue first */
	OK("actions", "--audit", audit, "--today", "2026-04-25", "--format", "json");
	json = strdup(last.out);
	{
		char want[600];
		char *pa, *pb, *pc;

		snprintf(want, sizeof want, "{\"id\": %s, \"audit\": %s, \"owner\": \"ST-N2\", "
		    "\"owner_kind\": \"staff\", \"due_on\": \"2026-04-15\", \"status\": \"open\", "
		    "\"created_by\": \"ST-PSW\", \"done_on\": null, \"overdue\": true, "
		    "\"days_overdue\": 10, \"text\": \"Agree a plan for the carer's needs with the "
		    "family.\"}", b, audit);
		pb = strstr(json, want);
		if (pb == NULL)
			fail_msg("no %s in %s", want, json);
		snprintf(want, sizeof want, "{\"id\": %s, \"audit\": %s, \"owner\": \"" RV "\", "
		    "\"owner_kind\": \"organisation\", \"due_on\": \"2026-04-20\", \"status\": "
		    "\"open\", \"created_by\": \"ST-QA1\", \"done_on\": null, \"overdue\": true, "
		    "\"days_overdue\": 5, ", a, audit);
		pa = strstr(json, want);
		snprintf(want, sizeof want, "{\"id\": %s, \"audit\": %s, \"owner\": \"" NG "\", "
		    "\"owner_kind\": \"organisation\", \"due_on\": \"2026-05-30\", \"status\": "
		    "\"open\", \"created_by\": \"ST-QA1\", \"done_on\": null, \"overdue\": false, "
		    "\"days_overdue\": 0, ", c, audit);
		pc = strstr(json, want);
		assert_non_null(pa);
		assert_non_null(pc);
		assert_true(pb < pa && pa < pc);
	}
	free(json);
	/* filters */
	OK("actions", "--audit", audit, "--today", "2026-04-25", "--overdue", "--format", "csv");
	assert_non_null(strstr(last.out, "id,audit,owner,owner_kind,due_on,status,created_by,"
	    "done_on,overdue,days_overdue,text\n"));
	assert_int_equal(strstr(last.out, "2026-05-30") == NULL, 1);
	assert_non_null(strstr(last.out, ",ST-N2,staff,2026-04-15,open,ST-PSW,,yes,10,"));
	OK("actions", "--owner", "org:" RV, "--format", "json");
	assert_non_null(strstr(last.out, "\"owner\": \"" RV "\""));
	assert_null(strstr(last.out, "\"owner_kind\": \"staff\""));
	OK("actions", "--owner", "staff:ST-N2", "--audit", audit);
	assert_non_null(strstr(last.out, "15/04/2026"));
	assert_null(strstr(last.out, "20/04/2026"));
	OK("actions", "--owner", "Nobody", "--audit", audit);
	assert_non_null(strstr(last.out, "No open actions match"));
	EXPECT(65, "--owner is not valid UTF-8", "actions", "--owner", "N\xc3");
	EXPECT(64, "say --open or --all, not both", "actions", "--open", "--all");
	EXPECT(64, "--audit must be an audit number", "actions", "--audit", "x");
	EXPECT(64, "--today must be a date as YYYY-MM-DD", "actions", "--today", "2026-13-01");

	/* done: not by another partner's staff; by the owning organisation's */
	EXPECT(65, "ST-R1 does not own action", "action", "done", c, "--as", "ST-R1", "--today",
	    "2026-04-26");
	assert_non_null(strstr(last.err, "its owner is the organisation " NG ", and only its "
	    "staff or a QA lead can mark it done"));
	EXPECT(65, "ST-N1 does not own action", "action", "done", b, "--as", "ST-N1",
	    "--today", "2026-04-26");
	assert_non_null(strstr(last.err, "its owner is ST-N2, and only they or a QA lead"));
	EXPECT(65, "was agreed on 01/04/2026; it cannot be done before then", "action", "done",
	    c, "--as", "ST-N1", "--today", "2026-03-31");
	EXPECT(0, "done", "action", "done", c, "--as", "ST-N1", "--today", "2026-04-26");
	EXPECT(65, "is done already (marked done on 26/04/2026 by ST-N1)", "action", "done", c,
	    "--as", "ST-QA1");
	/* the owner; a QA lead for anyone's */
	OK("action", "done", b, "--as", "ST-N2", "--today", "2026-04-26");
	OK("action", "done", a, "--as", "ST-QA2", "--today", "2026-04-27");
	assert_int_equal(COUNT("SELECT count(*) FROM actions x JOIN staff s ON s.id = x.done_by"
	    " WHERE x.id = %s AND x.status = 'done' AND x.done_on = '2026-04-27'"
	    " AND s.staff_ref = 'ST-QA2' AND x.version = 2", a), 1);
	assert_int_equal(COUNT("SELECT count(*) FROM events WHERE entity = 'action' AND"
	    " action = 'action.done' AND entity_id IN ('%s', '%s', '%s')"
	    " AND after ->> 'audit' = '%s' AND before ->> 'status' = 'open'", a, b, c, audit), 3);
	/* unknown; a refused one changed nothing */
	EXPECT(65, "there is no action 999999", "action", "done", "999999", "--as", "ST-QA1");
	EXPECT(64, "--as STAFF is required", "action", "done", a);
	EXPECT(64, "say done", "action", "undo", a);
	/* listings: done ones only with --all */
	OK("actions", "--audit", audit);
	assert_non_null(strstr(last.out, "No open actions match"));
	OK("actions", "--audit", audit, "--all", "--format", "json");
	assert_non_null(strstr(last.out, "\"done_on\": \"2026-04-27\", \"overdue\": false, "
	    "\"days_overdue\": null"));
	free(a);
	free(b);
	free(c);
	free(audit);
}

/* ---- the daemon ----------------------------------------------------------- */

static void
test_chase_actions(void **state)
{
	char *audit = audit_of("AS-M4"), *gone = audit_of("AS-M7"), *late, *soon, *later,
	    *dropped;
	long long leads = COUNT("SELECT count(*) FROM staff WHERE active AND 'qa_lead' ="
	    " ANY (roles)");
	const char *mine;

	(void)state;
	assert_int_equal(leads, 2);
	late = new_action(audit, RV, "2026-04-21", "ST-PSW", "2026-04-20");
	soon = new_action(audit, "staff:ST-N2", "2026-05-02", "ST-PSW", "2026-04-20");
	later = new_action(audit, NG, "2026-06-30", "ST-PSW", "2026-04-20");
	/* an action of an audit then withdrawn is not chased */
	dropped = new_action(gone, NG, "2026-04-21", "ST-PSW", "2026-04-20");
	cancel_audit(gone);
	mine = test_sqlf("(%s, %s, %s, %s)", late, soon, later, dropped);
	mine = strdup(mine);

	for (int round = 0; round < 2; round++) {
		/* once a day: the second round forgets the day's job, so the same
		 * day is chased twice */
		test_db_exec(test_group.conn, "DELETE FROM jobs WHERE kind = 'chase'");
		EXPECT(0, NULL, "--once", "--today", "2026-04-30");
		/* nine days late: to the owning organisation, and every QA lead */
		assert_int_equal(COUNT("SELECT count(*) FROM reminders r JOIN organisations o ON"
		    " o.id = r.organisation_id WHERE r.action_id = %s AND r.kind ="
		    " 'action_overdue' AND o.name = '" RV "' AND r.recipient_id IS NULL"
		    " AND r.audit_id IS NULL AND r.due_on = '2026-04-21'", late), 1);
		assert_int_equal(COUNT("SELECT count(*) FROM reminders r JOIN staff s ON s.id ="
		    " r.recipient_id WHERE r.action_id = %s AND r.kind = 'action_escalation'"
		    " AND 'qa_lead' = ANY (s.roles)", late), leads);
		/* due in two days: to the member of staff who owns it */
		assert_int_equal(COUNT("SELECT count(*) FROM reminders r JOIN staff s ON s.id ="
		    " r.recipient_id WHERE r.action_id = %s AND r.kind = 'action_due_soon'"
		    " AND s.staff_ref = 'ST-N2' AND r.created_on = '2026-04-30'", soon), 1);
		/* nothing else for these four, and one event each */
		assert_int_equal(COUNT("SELECT count(*) FROM reminders WHERE action_id IN %s",
		    mine), 2 + leads);
		assert_int_equal(COUNT("SELECT count(*) FROM events WHERE entity = 'action' AND"
		    " action IN ('action.reminded', 'action.escalated') AND entity_id::bigint IN %s"
		    " AND after ->> 'audit' IS NOT NULL", mine), 2 + leads);
		assert_int_equal(COUNT("SELECT count(*) FROM events WHERE entity = 'action' AND"
		    " action = 'action.reminded' AND entity_id = '%s' AND after ->> 'organisation'"
		    " = '" RV "' AND after ->> 'kind' = 'action_overdue'", late), 1);
		/* the job says what it did: every reminder of the day the first time,
		 * none the second */
		if (round == 0) {
			char want[200];

			snprintf(want, sizeof want, "action_due_soon=%lld action_overdue=%lld "
			    "action_escalated=%lld",
			    COUNT("SELECT count(*) FROM reminders WHERE kind = 'action_due_soon'"),
			    COUNT("SELECT count(*) FROM reminders WHERE kind = 'action_overdue'"),
			    COUNT("SELECT count(DISTINCT action_id) FROM reminders WHERE kind ="
			    " 'action_escalation'"));
			if (strstr(last.err, want) == NULL)
				fail_msg("no '%s' in the log: %s", want, last.err);
		} else
			assert_non_null(strstr(last.err, "action_due_soon=0 action_overdue=0 "
			    "action_escalated=0"));
	}
	free((char *)mine);
	free(late);
	free(soon);
	free(later);
	free(dropped);
	free(audit);
	free(gone);
}

static void
test_close_after_window(void **state)
{
	char *open = audit_of("AS-M5"), *held = audit_of("AS-M6");

	(void)state;
	/* The daemon's moderation draw must not pick these at random: one
	 * pending moderation is made by hand below. */
	test_db_exec(test_group.conn, "UPDATE settings SET value = '0' WHERE key ="
	    " 'moderation_percent'");
	/* submitted on 10 May: the window (14 days) ends on 24 May */
	submit_audit(open, "2026-05-10");
	submit_audit(held, "2026-05-10");
	assert_int_equal(COUNT("SELECT count(*) FROM feedback WHERE audit_id IN (%s, %s)"
	    " AND window_ends = '2026-05-24'", open, held), 2);
	test_db_exec(test_group.conn, test_sqlf("INSERT INTO moderations (audit_id, submission,"
	    " reason, selected_on) VALUES (%s, 1, 'sampled', '2026-05-10')", held));

	/* on the window's last day, nothing closes and no close job is queued */
	EXPECT(0, NULL, "--once", "--today", "2026-05-24");
	assert_int_equal(COUNT("SELECT count(*) FROM audits WHERE id IN (%s, %s) AND status ="
	    " 'submitted'", open, held), 2);
	assert_int_equal(COUNT("SELECT count(*) FROM jobs WHERE kind = 'close'"), 0);
	/* the day after, the one without a pending moderation closes */
	EXPECT(0, "kind=close key=close", "--once", "--today", "2026-05-25");
	assert_non_null(strstr(last.err, "date=2026-05-25 closed=1"));
	assert_int_equal(COUNT("SELECT count(*) FROM audits WHERE id = %s AND status = 'closed'"
	    " AND closed_on = '2026-05-25'", open), 1);
	assert_int_equal(COUNT("SELECT count(*) FROM audits WHERE id = %s AND status ="
	    " 'submitted'", held), 1);
	assert_int_equal(COUNT("SELECT count(*) FROM events WHERE action = 'audit.closed' AND"
	    " actor = 'caseauditd'"), 1);
	/* again: nothing to close, no job, no event */
	EXPECT(0, NULL, "--once", "--today", "2026-05-25");
	assert_int_equal(COUNT("SELECT count(*) FROM jobs WHERE kind = 'close'"), 1);
	assert_int_equal(COUNT("SELECT count(*) FROM events WHERE action = 'audit.closed'"), 1);
	/* the moderation withdrawn, the other closes too */
	test_db_exec(test_group.conn, test_sqlf("UPDATE moderations SET status = 'withdrawn' WHERE"
	    " audit_id = %s", held));
	EXPECT(0, NULL, "--once", "--today", "2026-05-26");
	assert_int_equal(COUNT("SELECT count(*) FROM audits WHERE id = %s AND status = 'closed'"
	    " AND closed_on = '2026-05-26'", held), 1);
	assert_int_equal(COUNT("SELECT count(*) FROM events WHERE action = 'audit.closed'"), 2);
	free(open);
	free(held);
}

/* ---- re-audit ------------------------------------------------------------- */

static void
test_reaudit_requests(void **state)
{
	char *m3 = audit_of("AS-M3"), *m1 = audit_of("AS-M1"), *m2 = audit_of("AS-M2"),
	    *m5 = audit_of("AS-M5"), *r1 = audit_of("AS-R1"), *x2 = audit_of("AS-X2"),
	    *m3auditor = auditor_of(m3), *m4 = audit_of("AS-M4");
	long long version;

	(void)state;
	/* refused before it has started, and for anyone else; allowed after */
	EXPECT(65, "is assigned; a re-audit follows from findings, and this audit has not "
	    "started", "audit", "reaudit", m3, "--reason", "Risk not managed.", "--as",
	    m3auditor, "--today", "2026-04-10");
	start_audit(m3, "2026-04-10");
	EXPECT(65, "ST-R1 is not the auditor of audit", "audit", "reaudit", m3, "--reason",
	    "x", "--as", "ST-R1", "--today", "2026-04-10");
	EXPECT(65, "--reason is blank", "audit", "reaudit", m3, "--reason", "  ", "--as",
	    m3auditor);
	EXPECT(65, "is cancelled; it was withdrawn", "audit", "reaudit", x2, "--reason", "x",
	    "--as", "ST-PSW");
	EXPECT(65, "there is no audit 999999", "audit", "reaudit", "999999", "--reason", "x",
	    "--as", "ST-PSW");
	EXPECT(64, "audit reaudit: --reason TEXT is required", "audit", "reaudit", m3, "--as",
	    "ST-PSW");
	version = COUNT("SELECT version FROM audits WHERE id = %s", m3);
	assert_true(version > 1);
	EXPECT(75, "has changed since you read it", "audit", "reaudit", m3, "--reason", "x",
	    "--as", m3auditor, "--version", "1");
	assert_int_equal(COUNT("SELECT count(*) FROM reaudit_requests"), 0);

	/* the case of AS-M3, by its auditor */
	OK("audit", "reaudit", m3, "--reason", "Risk not managed; see again.", "--as",
	    m3auditor, "--today", "2026-04-10", "--version", VALUE("SELECT %lld", version));
	assert_int_equal(COUNT("SELECT count(*) FROM reaudit_requests q JOIN assessments a ON"
	    " a.id = q.assessment_id WHERE q.id = %lld AND q.kind = 'case' AND"
	    " a.assessment_ref = 'AS-M3' AND q.requested_on = '2026-04-10' AND q.run_id IS NULL"
	    " AND q.assessor_ref IS NULL", atoll(last.out)), 1);
	assert_int_equal(COUNT("SELECT version FROM audits WHERE id = %s", m3), version + 1);
	assert_int_equal(COUNT("SELECT count(*) FROM events WHERE entity = 'audit' AND"
	    " entity_id = '%s' AND action = 'audit.reaudit_requested' AND after ->> 'kind' ="
	    " 'case'", m3), 1);
	EXPECT(65, "a re-audit of the case of audit", "audit", "reaudit", m3, "--reason", "x",
	    "--as", "ST-QA1", "--today", "2026-04-11");
	/* ST-N1's next case (from AS-M1, in progress), by the principal social
	 * worker; ST-R1's (AS-M5, closed by now), by a QA lead */
	OK("audit", "reaudit", m1, "--next-case", "--reason", "Single-issue assessment.",
	    "--as", "ST-PSW", "--today", "2026-04-10");
	assert_int_equal(COUNT("SELECT count(*) FROM reaudit_requests WHERE kind ="
	    " 'practitioner' AND assessor_ref = 'ST-N1' AND assessment_id IS NULL"), 1);
	EXPECT(65, "a re-audit of the next case of ST-N1 is already waiting", "audit",
	    "reaudit", m1, "--next-case", "--reason", "x", "--as", "ST-QA1");
	OK("audit", "reaudit", m5, "--next-case", "--reason", "Carer not offered.", "--as",
	    "ST-QA1", "--today", "2026-04-10");
	/* the review: another checklist, so the care-act plan never takes it */
	start_audit(r1, "2026-04-10");
	OK("audit", "reaudit", r1, "--reason", "Review missed the carer.", "--as", "ST-QA1",
	    "--today", "2026-04-10");
	/* AS-M2 in May: after April's end, so not April's run */
	OK("audit", "reaudit", m2, "--reason", "Outcomes not specific.", "--as", "ST-QA1",
	    "--today", "2026-05-02");
	/* a request whose audit is then cancelled lapses: AS-M4's */
	start_audit(m4, "2026-04-10");
	OK("audit", "reaudit", m4, "--reason", "Plan does not meet needs.", "--as", "ST-QA1",
	    "--today", "2026-04-10");
	cancel_audit(m4);
	assert_int_equal(COUNT("SELECT count(*) FROM reaudit_requests"), 6);
	free(m1);
	free(m2);
	free(m3);
	free(m5);
	free(m4);
	free(r1);
	free(x2);
	free(m3auditor);
}

/* The ref the practitioner request should take in a run: ST-N1's first
 * case completed in April on or after 10 April that no audit has. */
static const char *
expected_next_case(void)
{
	return VALUE("SELECT a.assessment_ref FROM assessments a WHERE a.assessor_ref = 'ST-N1'"
	    " AND a.completed_on BETWEEN '2026-04-10' AND '2026-04-30' AND NOT EXISTS (SELECT 1"
	    " FROM audits au JOIN sampling_run_members m ON m.run_id = au.run_id AND"
	    " m.assessment_id = au.assessment_id WHERE au.assessment_id = a.id)"
	    " ORDER BY a.completed_on LIMIT 1");
}

/* The April run holds exactly the two targeted cases, with the run's
 * checklist version and due date, assigned independently, and verifies. */
static void
check_april(const char *run)
{
	char next[16];

	snprintf(next, sizeof next, "%s", expected_next_case());
	/* AS-A1 was completed before the request: never the next case */
	assert_string_not_equal(next, "AS-A1");
	assert_int_equal(COUNT("SELECT count(*) FROM sampling_run_targeted t JOIN assessments a"
	    " ON a.id = t.assessment_id JOIN reaudit_requests q ON q.id = t.request_id"
	    " WHERE t.run_id = %s AND ((a.assessment_ref = 'AS-M3' AND q.kind = 'case')"
	    " OR (a.assessment_ref = '%s' AND q.kind = 'practitioner'))", run, next), 2);
	assert_int_equal(COUNT("SELECT count(*) FROM sampling_run_targeted WHERE run_id = %s",
	    run), 2);
	assert_int_equal(COUNT("SELECT count(*) FROM reaudit_requests q JOIN assessments a ON"
	    " a.id = q.fulfilled_assessment_id WHERE q.run_id = %s AND a.assessment_ref IN"
	    " ('AS-M3', '%s')", run, next), 2);
	/* outside the draw: the members are the sample, and nothing else */
	assert_int_equal(COUNT("SELECT count(*) FROM sampling_run_members m WHERE run_id = %s"
	    " AND assessment_id IN (SELECT assessment_id FROM sampling_run_targeted"
	    " WHERE run_id = %s)", run, run), 0);
	assert_int_equal(COUNT("SELECT count(*) - (SELECT sample_size FROM sampling_runs WHERE"
	    " id = %s) FROM sampling_run_members WHERE run_id = %s", run, run), 0);
	/* audits like the others */
	assert_int_equal(COUNT("SELECT count(*) FROM audits au JOIN sampling_runs r ON r.id ="
	    " au.run_id JOIN assessments a ON a.id = au.assessment_id JOIN staff s ON s.id ="
	    " au.auditor_id WHERE r.id = %s AND au.status = 'assigned'"
	    " AND au.form_version_id = r.form_version_id AND au.due_on = r.run_on +"
	    " (SELECT due_days FROM sampling_plans WHERE id = r.plan_id)"
	    " AND s.organisation_id <> a.provider_id AND s.staff_ref <> a.assessor_ref", run), 3);
	EXPECT(0, "verified", "sample", "verify", run);
}

static void
test_reaudit_fulfilled_by_later_runs(void **state)
{
	char *run, *may;
	long long released;

	(void)state;
	/* another checklist's plan, covering AS-M3's partner, takes nothing */
	OK("plan", "resume", "p-t");
	OK("sample", "run", "--plan", "p-t", "--period", "2026-04", "--seed", "7");
	assert_null(strstr(last.out, "re-audit"));
	assert_int_equal(COUNT("SELECT count(*) FROM sampling_run_targeted"), 0);
	assert_int_equal(COUNT("SELECT count(*) FROM reaudit_requests WHERE run_id IS NOT NULL"),
	    0);
	/* a re-audit of a case the next run draws anyway is fulfilled by that
	 * draw: no targeted case, no second audit */
	{
		char *a4 = audit_of("AS-A4");

		start_audit(a4, "2026-04-15");
		OK("audit", "reaudit", a4, "--reason", "Falls risk missed.", "--as", "ST-QA1",
		    "--today", "2026-04-15");
		OK("plan", "create", "p-t2", "--form", "falls-thematic", "--method", "random",
		    "--percent", "100", "--from", "2026-04", "--providers", RV,
		    "--exclusion-months", "0");
		OK("sample", "run", "--plan", "p-t2", "--period", "2026-04", "--seed", "7");
		assert_null(strstr(last.out, "re-audit"));
		assert_int_equal(COUNT("SELECT count(*) FROM reaudit_requests q JOIN"
		    " sampling_runs r ON r.id = q.run_id JOIN sampling_plans p ON p.id = r.plan_id"
		    " JOIN assessments a ON a.id = q.fulfilled_assessment_id WHERE q.audit_id = %s"
		    " AND p.name = 'p-t2' AND a.assessment_ref = 'AS-A4'", a4), 1);
		assert_int_equal(COUNT("SELECT count(*) FROM audits au JOIN assessments a ON a.id ="
		    " au.assessment_id WHERE a.assessment_ref = 'AS-A4'"), 2);
		assert_int_equal(COUNT("SELECT count(*) FROM events WHERE action ="
		    " 'audit.reaudit_fulfilled' AND entity_id = '%s' AND after ->> 'already_in_run'"
		    " = 'true' AND NOT after ? 'targeted_audit'", a4), 1);
		assert_int_equal(COUNT("SELECT count(*) FROM sampling_run_targeted"), 0);
		free(a4);
	}
	OK("plan", "resume", "p-b");
	EXPECT(0, "and 2 re-audits added", "sample", "run", "--plan", "p-b", "--period",
	    "2026-04", "--seed", "7");
	run = strdup(VALUE("SELECT r.id FROM sampling_runs r JOIN sampling_plans p ON p.id ="
	    " r.plan_id WHERE p.name = 'p-b' AND r.period = '2026-04'"));
	check_april(run);
	/* what stays open: ST-R1 has no April case after the request; the
	 * review's checklist is not this plan's; AS-M2's came after April;
	 * AS-M4's audit was cancelled */
	assert_int_equal(COUNT("SELECT count(*) FROM reaudit_requests q JOIN audits au ON"
	    " au.id = q.audit_id JOIN assessments a ON a.id = au.assessment_id"
	    " WHERE q.run_id IS NULL AND a.assessment_ref IN ('AS-M5', 'AS-R1', 'AS-M2',"
	    " 'AS-M4')"), 4);
	assert_int_equal(COUNT("SELECT count(*) FROM reaudit_requests WHERE run_id IS NULL"), 4);
	assert_int_equal(COUNT("SELECT count(*) FROM events WHERE action ="
	    " 'audit.reaudit_fulfilled' AND after ->> 'run' = '%s'", run), 2);
	assert_int_equal(COUNT("SELECT count(*) FROM events WHERE action = 'sample.drawn' AND"
	    " entity_id = '%s' AND after ->> 'targeted' = '2'", run), 1);
	/* shown apart */
	OK("sample", "show", run);
	assert_non_null(strstr(last.out, "\ntargeted (re-audits, added outside the random draw"));
	assert_non_null(strstr(strstr(last.out, "\ntargeted"), "AS-M3"));
	OK("sample", "show", run, "--format", "json");
	assert_non_null(strstr(last.out, "\"targeted\": [\n  {\"assessment_ref\": "));
	assert_non_null(strstr(last.out, "\"assessment_ref\": \"AS-M3\", \"reaudit_of\": "
	    "\"case\", \"request\": "));

	/* a redraw keeps them: released, the draw replaced, added again */
	EXPECT(0, "and 2 re-audits added", "sample", "run", "--plan", "p-b", "--period",
	    "2026-04", "--redraw", "--seed", "8");
	released = COUNT("SELECT count(*) FROM events WHERE action = 'audit.reaudit_released'"
	    " AND before ->> 'run' = '%s'", run);
	assert_int_equal(released, 2);
	check_april(run);
	assert_int_equal(COUNT("SELECT draw FROM sampling_runs WHERE id = %s", run), 2);
	/* once a targeted audit has an action, the run has work on it */
	{
		char *targeted = strdup(VALUE("SELECT au.id FROM audits au JOIN assessments a ON"
		    " a.id = au.assessment_id WHERE au.run_id = %s AND a.assessment_ref ="
		    " 'AS-M3'", run));

		free(new_action(targeted, RV, "2026-12-31", "ST-PSW", "2026-11-01"));
		EXPECT(65, "has started", "sample", "run", "--plan", "p-b", "--period", "2026-04",
		    "--redraw");
		free(targeted);
	}
	check_april(run);

	/* May takes AS-M2's request; the others still wait */
	EXPECT(0, "and 1 re-audit added", "sample", "run", "--plan", "p-b", "--period",
	    "2026-05", "--seed", "1");
	may = strdup(VALUE("SELECT r.id FROM sampling_runs r JOIN sampling_plans p ON p.id ="
	    " r.plan_id WHERE p.name = 'p-b' AND r.period = '2026-05'"));
	assert_int_equal(COUNT("SELECT count(*) FROM sampling_run_targeted t JOIN assessments a"
	    " ON a.id = t.assessment_id WHERE t.run_id = %s AND a.assessment_ref = 'AS-M2'",
	    may), 1);
	assert_int_equal(COUNT("SELECT count(*) FROM reaudit_requests WHERE run_id IS NULL"), 3);
	EXPECT(0, "verified", "sample", "verify", may);
	/* a run drawn already is shown, not drawn again, and adds nothing */
	EXPECT(0, "was already drawn", "sample", "run", "--plan", "p-b", "--period", "2026-05");
	assert_int_equal(COUNT("SELECT count(*) FROM sampling_run_targeted"), 3);
	free(run);
	free(may);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_action_create_and_refusals),
		cmocka_unit_test(test_actions_listing_and_done),
		cmocka_unit_test(test_chase_actions),
		cmocka_unit_test(test_close_after_window),
		cmocka_unit_test(test_reaudit_requests),
		cmocka_unit_test(test_reaudit_fulfilled_by_later_runs),
	};

	return cmocka_run_group_tests_name("actions", tests, group_setup, group_teardown);
}
