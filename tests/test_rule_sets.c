/*
 * test_rule_sets.c - which screening rule set is current, and everything
 * that reads screenings following it: through the real binaries against
 * the private PostgreSQL.
 *
 * What must hold: a new rule set is current and everything is screened
 * again under it; loading an older set's content makes that set current
 * again without storing a copy; its screenings of narratives that have not
 * changed are used again, and only the rest are screened (by `caseaudit
 * screen` and by the daemon's screen job); sampling's risk weights and the
 * prompts of `audit show` come from the current set's screenings; and a
 * database migrated from before the pointer keeps its newest set current.
 *
 * Two rule sets, A and B, differ in one thing: B also counts "tumble" as a
 * falls risk, so the narrative of AS-1 ("She said she had a tumble ...")
 * carries risk_without_plan under B and not under A.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "migrate.h"
#include "support.h"

#define COUNT(sql) test_db_count(test_group.conn, (sql))

static const char rules_b[] =
	"# As tests/fixtures/forms/rules_small.yaml, but a tumble is a fall too.\n"
	"rules:\n"
	"  - id: person_voice_words\n"
	"    category: person_voice\n"
	"    patterns:\n"
	"      - '\\b(she|he|they) (says?|said|told me)\\b'\n"
	"  - id: risk_falls\n"
	"    category: risk\n"
	"    patterns:\n"
	"      - '\\b(fall(s|en)?|tumble)\\b'\n";

static const char three_rows[] =
	"assessment_ref,person_ref,assessment_type,provider,assessor_ref,requested_on,"
	"completed_on,summary\n"
	"AS-1,P-1,care_act_assessment,Partner A,PA1,2026-01-05,2026-01-20,"
	"She said she had a tumble on the stairs.\n"
	"AS-2,P-2,care_act_assessment,Partner A,PA1,2026-01-05,2026-01-20,"
	"He said he enjoys cooking.\n"
	"AS-3,P-3,care_act_assessment,Partner A,PA1,2026-01-05,2026-01-20,"
	"They said the garden is lovely.\n";

/* AS-4 as first imported, and as changed later. */
static const char as4_before[] =
	"AS-4,P-4,care_act_assessment,Partner A,PA1,2026-01-05,2026-01-20,She said she is well.\n";
static const char as4_after[] =
	"AS-4,P-4,care_act_assessment,Partner A,PA1,2026-01-05,2026-01-20,"
	"She said she had a fall in the garden.\n";

static char *path_a, *path_b, *path_checklist;

static char *
write_text(const char *name, const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	char *text = malloc(la + lb + 1), *path;

	assert_non_null(text);
	memcpy(text, a, la);
	memcpy(text + la, b, lb);
	text[la + lb] = '\0';
	path = test_write_file(name, text, la + lb);
	free(text);
	return path;
}

static int
setup(void **state)
{
	static char a[4200], checklist[4200];

	if (test_group_setup(state) != 0)
		return -1;
	snprintf(a, sizeof a, "%s/forms/rules_small.yaml", CASEAUDIT_FIXTURES);
	snprintf(checklist, sizeof checklist, "%s/forms/good.yaml", CASEAUDIT_FIXTURES);
	path_a = a;
	path_checklist = checklist;
	path_b = test_write_file("rules_b.yaml", rules_b, strlen(rules_b));
	return path_b == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	if (path_b != NULL)
		unlink(path_b);
	free(path_b);
	return test_group_teardown(state);
}

/* Import the four assessments, AS-4 as given (re-importing a ref updates
 * it, a new revision when the narrative changed). */
static void
import(const char *as4)
{
	char *csv = write_text("assessments.csv", three_rows, as4);

	TEST_OK("import", "assessments", csv);
	unlink(csv);
	free(csv);
}

/* `caseaudit screen --format json` must say exactly this much was done. */
static void
expect_screen(long long screened, long long up_to_date, long long rule_set)
{
	char want[160];
	test_run r;

	assert_int_equal(test_cli(&r, "screen", "--format", "json", NULL), 0);
	snprintf(want, sizeof want, "{\"rule_set_id\": %lld, \"screened\": %lld, "
	    "\"up_to_date\": %lld,", rule_set, screened, up_to_date);
	if (r.status != 0 || strncmp(r.out, want, strlen(want)) != 0)
		fail_msg("want %s, got exit %d: %s%s", want, r.status, r.out, r.err);
	test_run_free(&r);
}

/* The risk weight a plan's run gave an assessment. */
static long long
weight(const char *plan, const char *ref)
{
	return COUNT(test_sqlf("SELECT st.weights[array_position(st.members,"
	    "  (SELECT id FROM assessments WHERE assessment_ref = '%s'))]"
	    " FROM sampling_run_strata st JOIN sampling_runs r ON r.id = st.run_id"
	    " JOIN sampling_plans p ON p.id = r.plan_id WHERE p.name = '%s'", ref, plan));
}

/* `audit show AUDIT --format json` for the audit of AS-1 in a plan's run. */
static char *
show_as1(const char *plan)
{
	char *id = test_db_value(test_group.conn, test_sqlf("SELECT au.id FROM audits au"
	    " JOIN assessments a ON a.id = au.assessment_id"
	    " JOIN sampling_runs r ON r.id = au.run_id"
	    " JOIN sampling_plans p ON p.id = r.plan_id"
	    " WHERE a.assessment_ref = 'AS-1' AND p.name = '%s'", plan)), *out;
	test_run r;

	assert_non_null(id);
	assert_int_equal(test_cli(&r, "audit", "show", id, "--format", "json", NULL), 0);
	if (r.status != 0)
		fail_msg("audit show %s: exit %d: %s", id, r.status, r.err);
	out = strdup(r.out);
	test_run_free(&r);
	free(id);
	return out;
}

static void
load(const char *want, const char *file)
{
	test_run r;

	assert_int_equal(test_cli(&r, "forms", "load", file, NULL), 0);
	if (r.status != 0 || strcmp(r.out, want) != 0)
		fail_msg("want \"%s\", got exit %d: %s%s", want, r.status, r.out, r.err);
	test_run_free(&r);
}

static void
rolling_back_follows_everywhere(void **state)
{
	char *ids_a, *ids_again, *shown;
	long long jobs;
	test_run r;

	(void)state;
	/* A, with the checklist whose prompts name its rules; the daemon
	 * screens everything under it. */
	TEST_OK("forms", "load", path_a, path_checklist);
	import(as4_before);
	TEST_OK("--once");
	assert_int_equal(COUNT("SELECT count(*) FROM screenings WHERE rule_set_id = 1"), 4);
	assert_int_equal(COUNT("SELECT count(*) FROM current_screenings WHERE rule_set_id = 1"), 4);
	ids_a = test_db_value(test_group.conn, "SELECT string_agg(id || '@' || screened_at,"
	    " ',' ORDER BY id) FROM screenings WHERE rule_set_id = 1 AND assessment_id IN"
	    " (SELECT id FROM assessments WHERE assessment_ref IN ('AS-1', 'AS-2', 'AS-3'))");
	assert_int_equal(COUNT("SELECT count(*) FROM current_screenings cs JOIN assessments a"
	    " ON a.id = cs.assessment_id WHERE a.assessment_ref = 'AS-1'"
	    " AND cs.flags = '{single_issue}'"), 1);

	/* B: new, current, and everything screened again under it. */
	load("screening rules: rule set 2 (new, 2 rules)\n", path_b);
	assert_int_equal(COUNT("SELECT count(*) FROM current_screenings"), 0);
	expect_screen(4, 0, 2);
	assert_int_equal(COUNT("SELECT count(*) FROM current_screenings WHERE rule_set_id = 2"), 4);
	assert_int_equal(COUNT("SELECT count(*) FROM current_screenings cs JOIN assessments a"
	    " ON a.id = cs.assessment_id WHERE a.assessment_ref = 'AS-1'"
	    " AND cs.flags = '{single_issue,risk_without_plan}'"), 1);

	/* AS-4's narrative changes; then A's content again: A is current,
	 * with no third rule set, and its screenings of AS-1..3 count again
	 * as they were; AS-4's is out of date. */
	import(as4_after);
	assert_int_equal(COUNT("SELECT revision FROM assessments WHERE assessment_ref = 'AS-4'"), 2);
	load("screening rules: rule set 1 (current again; rule set 2 was current)\n", path_a);
	assert_int_equal(COUNT("SELECT count(*) FROM screening_rule_sets"), 2);
	assert_int_equal(COUNT("SELECT rule_set_id FROM screening_rules_current"), 1);
	assert_int_equal(COUNT("SELECT count(*) FROM current_screenings WHERE rule_set_id = 1"), 3);
	ids_again = test_db_value(test_group.conn, "SELECT string_agg(id || '@' || screened_at,"
	    " ',' ORDER BY id) FROM current_screenings");
	assert_string_equal(ids_a, ids_again);
	free(ids_again);

	/* The daemon sees the work and screens only AS-4, under A. */
	jobs = COUNT("SELECT count(*) FROM jobs WHERE kind = 'screen'");
	TEST_OK("--once");
	assert_int_equal(COUNT("SELECT count(*) FROM jobs WHERE kind = 'screen'"), jobs + 1);
	assert_int_equal(COUNT("SELECT count(*) FROM current_screenings WHERE rule_set_id = 1"), 4);
	assert_int_equal(COUNT("SELECT count(*) FROM screenings"), 8);
	assert_int_equal(COUNT("SELECT count(*) FROM current_screenings cs JOIN assessments a"
	    " ON a.id = cs.assessment_id WHERE a.assessment_ref = 'AS-4'"
	    " AND cs.assessment_revision = 2 AND 'risk_without_plan' = ANY (cs.flags)"), 1);
	assert_int_equal(COUNT("SELECT sum((after->>'screened')::int) FROM events"
	    " WHERE action = 'screening.batch' AND entity_id = '1'"), 5);
	expect_screen(0, 4, 1);
	/* With nothing left under A, it queues no screening (though B's
	 * screening of AS-4 is out of date). */
	TEST_OK("--once");
	assert_int_equal(COUNT("SELECT count(*) FROM jobs WHERE kind = 'screen'"), jobs + 1);
	ids_again = test_db_value(test_group.conn, "SELECT string_agg(id || '@' || screened_at,"
	    " ',' ORDER BY id) FROM screenings WHERE rule_set_id = 1 AND assessment_id IN"
	    " (SELECT id FROM assessments WHERE assessment_ref IN ('AS-1', 'AS-2', 'AS-3'))");
	assert_string_equal(ids_a, ids_again);
	free(ids_again);

	/* Sampling under A weights AS-1 by A's flags (1 + one flag)... */
	TEST_OK("plan", "create", "p-a", "--form", "test-checklist", "--method", "risk", "--size",
	    "4", "--from", "2026-01", "--exclusion-months", "0");
	TEST_OK("sample", "run", "--plan", "p-a", "--period", "2026-01", "--seed", "1");
	assert_int_equal(weight("p-a", "AS-1"), 2);
	assert_int_equal(weight("p-a", "AS-2"), 2);

	/* ...and, B made current again and AS-4 screened under it, by B's. */
	load("screening rules: rule set 2 (current again; rule set 1 was current)\n", path_b);
	expect_screen(1, 3, 2);
	TEST_OK("plan", "create", "p-b", "--form", "test-checklist", "--method", "risk", "--size",
	    "4", "--from", "2026-01", "--exclusion-months", "0");
	TEST_OK("sample", "run", "--plan", "p-b", "--period", "2026-01", "--seed", "1");
	assert_int_equal(weight("p-b", "AS-1"), 3);
	assert_int_equal(weight("p-b", "AS-2"), 2);
	assert_int_equal(COUNT("SELECT count(*) FROM sampling_run_strata st"
	    " JOIN sampling_runs r ON r.id = st.run_id JOIN sampling_plans p ON p.id = r.plan_id,"
	    " current_screenings cs WHERE p.name = 'p-b'"
	    "  AND st.weights[array_position(st.members, cs.assessment_id)]"
	    "   = 1 + cardinality(array_remove(cs.flags, 'personal_data'))"), 4);

	/* An audit's prompts are the current set's matches: B finds the
	 * tumble for risk_falls, A does not, for the same audit. */
	shown = show_as1("p-a");
	if (strstr(shown, "{\"rule\" : \"risk_falls\", \"matches\" : 1}") == NULL ||
	    strstr(shown, "risk_without_plan") == NULL)
		fail_msg("under B, audit show lacks the tumble:\n%s", shown);
	free(shown);
	load("screening rules: rule set 1 (current again; rule set 2 was current)\n", path_a);
	shown = show_as1("p-a");
	if (strstr(shown, "{\"rule\" : \"risk_falls\", \"matches\" : 0}") == NULL ||
	    strstr(shown, "risk_without_plan") != NULL)
		fail_msg("under A, audit show still shows B's findings:\n%s", shown);
	free(shown);

	/* The trail has each switch, in order. */
	assert_int_equal(COUNT("SELECT count(*) FROM events WHERE action IN"
	    " ('screening_rules.loaded', 'screening_rules.restored')"), 5);
	assert_int_equal(COUNT("SELECT count(*) FROM (SELECT action, entity_id,"
	    "  row_number() OVER (ORDER BY id) AS n FROM events WHERE action IN"
	    "  ('screening_rules.loaded', 'screening_rules.restored')) e"
	    " WHERE (n, action, entity_id) IN ((1, 'screening_rules.loaded', '1'),"
	    "  (2, 'screening_rules.loaded', '2'), (3, 'screening_rules.restored', '1'),"
	    "  (4, 'screening_rules.restored', '2'), (5, 'screening_rules.restored', '1'))"), 5);
	assert_int_equal(test_cli(&r, "forms", "list", NULL), 0);
	assert_non_null(strstr(r.out, "Screening rules: rule set 1 of 2 is current"));
	test_run_free(&r);
	free(ids_a);
}

/* Write the embedded migrations before `upto` (a name such as
 * "0007_...") into dir. */
static void
copy_migrations_before(const char *dir, const char *upto)
{
	for (const struct ca_migration *m = ca_migrations_embedded; m->name; m++) {
		char path[4096];
		FILE *f;

		if (strcmp(m->name, upto) >= 0)
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, m->name);
		f = fopen(path, "w");
		assert_non_null(f);
		fwrite(m->sql, 1, m->len, f);
		fclose(f);
	}
}

static char *
read_fixture(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf = calloc(1, 65536);

	assert_non_null(f);
	assert_non_null(buf);
	assert_true(fread(buf, 1, 65535, f) > 0);
	fclose(f);
	return buf;
}

/* A database with two rule sets from before 0007: migrating it keeps the
 * newest current, and the view keeps its columns. */
static void
migrating_keeps_the_newest_current(void **state)
{
	const char *migrate_old[] = { "caseaudit", "migrate", "--dir", NULL, NULL };
	const char *migrate[] = { "caseaudit", "migrate", NULL };
	const char *list[] = { "caseaudit", "forms", "list", NULL };
	const char *screen[] = { "caseaudit", "screen", "--format", "json", NULL };
	char name[80], *dir = test_tempdir(), *columns, *after, *source;
	PGconn *c;
	PGresult *res;
	test_run r;

	(void)state;
	assert_int_equal(test_db_create_empty("rule_sets_old", name, sizeof name), 0);
	c = test_db_connect(name);
	assert_non_null(c);
	copy_migrations_before(dir, "0007");
	migrate_old[3] = dir;
	assert_int_equal(test_run_cli(&r, name, NULL, migrate_old), 0);
	assert_int_equal(r.status, 0);
	assert_null(strstr(r.out, "0007"));
	test_run_free(&r);
	columns = test_db_value(c, "SELECT string_agg(column_name || ' ' || data_type, ','"
	    " ORDER BY ordinal_position) FROM information_schema.columns"
	    " WHERE table_name = 'current_screenings'");

	/* Two sets (the second is rules_small.yaml, so it compiles), one
	 * assessment screened under both. */
	source = read_fixture(path_a);
	res = PQexecParams(c, "INSERT INTO screening_rule_sets (sha256, source, rule_count)"
	    " VALUES (repeat('a', 64), $1, 2), (repeat('b', 64), $1, 2)", 1, NULL,
	    (const char *[]){ source }, NULL, NULL, 0);
	assert_int_equal(PQresultStatus(res), PGRES_COMMAND_OK);
	PQclear(res);
	free(source);
	test_db_exec(c, "INSERT INTO organisations (name) VALUES ('Partner A');"
	    "INSERT INTO assessments (assessment_ref, person_ref, assessment_type, provider_id,"
	    "  assessor_ref, requested_on, completed_on, summary)"
	    " SELECT 'AS-1', 'P-1', 'review', id, 'PA1', '2026-01-05', '2026-01-20',"
	    "  'He said he is well.' FROM organisations;"
	    "INSERT INTO screenings (assessment_id, rule_set_id, assessment_revision, outcomes,"
	    "  outcome_count, strengths_terms, deficit_terms, flags, matches)"
	    " SELECT a.id, s.id, 1, '{}', 0, 0, 0, '{single_issue}', '[]'"
	    " FROM assessments a, screening_rule_sets s;");

	assert_int_equal(test_run_cli(&r, name, NULL, migrate), 0);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "applied 0007_current_rule_set.sql"));
	test_run_free(&r);
	assert_int_equal(test_db_count(c, "SELECT rule_set_id FROM screening_rules_current"), 2);
	assert_int_equal(test_db_count(c, "SELECT count(*) FROM current_screenings"
	    " WHERE rule_set_id = 2"), 1);
	assert_int_equal(test_db_count(c, "SELECT count(*) FROM current_screenings"), 1);
	after = test_db_value(c, "SELECT string_agg(column_name || ' ' || data_type, ','"
	    " ORDER BY ordinal_position) FROM information_schema.columns"
	    " WHERE table_name = 'current_screenings'");
	assert_string_equal(columns, after);
	/* The program reads the same: set 2 listed, and screening it finds
	 * nothing to do. */
	assert_int_equal(test_run_cli(&r, name, NULL, list), 0);
	assert_non_null(strstr(r.out, "Screening rules: rule set 2 of 2 is current, 2 rules"));
	assert_null(strstr(r.out, "made current again"));
	test_run_free(&r);
	assert_int_equal(test_run_cli(&r, name, NULL, screen), 0);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "{\"rule_set_id\": 2, \"screened\": 0, \"up_to_date\": 1,"));
	test_run_free(&r);
	/* A set stored afterwards, however, is current. */
	test_db_exec(c, "INSERT INTO screening_rule_sets (sha256, source) VALUES"
	    " (repeat('c', 64), 'rules: []')");
	assert_int_equal(test_db_count(c, "SELECT rule_set_id FROM screening_rules_current"), 3);
	free(columns);
	free(after);
	PQfinish(c);
	test_db_drop(name);
	free(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rolling_back_follows_everywhere),
		cmocka_unit_test(migrating_keeps_the_newest_current),
	};

	return cmocka_run_group_tests_name("rule_sets", tests, setup, teardown);
}
