/*
 * test_import_errors.c - one fixture per class of bad input, run through
 * the real binary: the exact FILE:LINE: column: problem lines, exit 65,
 * and a database left exactly as it was.
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

#include "support.h"

typedef struct bad_case {
	const char *kind;
	const char *fixture;
	const char *lines[4];    /* expected stderr lines, in order */
} bad_case;

static const bad_case cases[] = {
	{ "assessments", "bad_unknown_column.csv",
	  { "bad_unknown_column.csv:1: shoe_size: unknown column (expected: assessment_ref," } },
	{ "assessments", "bad_missing_column.csv",
	  { "bad_missing_column.csv:1: person_ref: required column is missing" } },
	{ "assessments", "bad_duplicate_column.csv",
	  { "bad_duplicate_column.csv:1: priority: column appears more than once" } },
	{ "assessments", "bad_empty_required.csv",
	  { "bad_empty_required.csv:3: person_ref: required value is empty",
	    "bad_empty_required.csv:3: summary: required value is empty" } },
	{ "assessments", "bad_assessment_type.csv",
	  { "bad_assessment_type.csv:2: assessment_type: unknown value \"reassessment\" "
	    "(expected care_act_assessment, carers_assessment or review)" } },
	{ "assessments", "bad_priority.csv",
	  { "bad_priority.csv:2: priority: unknown value \"whenever\" (expected urgent, high, medium or low)" } },
	{ "assessments", "bad_impossible_date.csv",
	  { "bad_impossible_date.csv:2: requested_on: no such date \"31/02/2024\"" } },
	{ "assessments", "bad_date_format.csv",
	  { "bad_date_format.csv:2: requested_on: not a date (expected YYYY-MM-DD or DD/MM/YYYY)" } },
	/* Far longer than any date: reported, never a key PostgreSQL refuses. */
	{ "assessments", "bad_long_date.csv",
	  { "bad_long_date.csv:2: requested_on: not a date (expected YYYY-MM-DD or DD/MM/YYYY)",
	    "bad_long_date.csv:3: completed_on: not a date (expected YYYY-MM-DD or DD/MM/YYYY)" } },
	{ "assessments", "bad_future_date.csv",
	  { "bad_future_date.csv:2: completed_on: is in the future \"2099-01-01\"" } },
	{ "assessments", "bad_completed_before_requested.csv",
	  { "bad_completed_before_requested.csv:2: completed_on: is before requested_on \"2026-01-05\"" } },
	{ "assessments", "bad_duplicate_ref.csv",
	  { "bad_duplicate_ref.csv:3: assessment_ref: appears again (first on line 2)",
	    "bad_duplicate_ref.csv:5: assessment_ref: appears again (first on line 2)" } },
	{ "assessments", "bad_yesno.csv",
	  { "bad_yesno.csv:2: eligible: expected yes, no or empty, not \"maybe\"" } },
	{ "assessments", "bad_utf8.csv",
	  { "bad_utf8.csv:2: summary: invalid UTF-8 (save the file as UTF-8)" } },
	{ "assessments", "bad_nul.csv",
	  { "bad_nul.csv:2: summary: contains a NUL byte" } },
	{ "assessments", "bad_field_count.csv",
	  { "bad_field_count.csv:2: has 15 fields but the header has 16" } },
	{ "assessments", "bad_unterminated.csv",
	  { "bad_unterminated.csv:3: summary: quoted field is never closed (a missing \")" } },
	/* SQL in a value is only a value: reported, never run, never echoed. */
	{ "assessments", "bad_sql_and_ref.csv",
	  { "bad_sql_and_ref.csv:2: assessment_ref: contains a tab, line break or control character",
	    "bad_sql_and_ref.csv:2: assessment_type: unknown value (expected care_act_assessment," } },
	/* A file without a header: its first record must not be echoed. */
	{ "assessments", "bad_no_header.csv",
	  { "bad_no_header.csv:1: header: names none of the expected columns;" } },
	/* Header names that are not names are shown by position; a line
	 * break inside one cannot forge another report line. */
	{ "assessments", "bad_header_names.csv",
	  { "bad_header_names.csv:1: column 14: unknown column",
	    "bad_header_names.csv:1: column 15: unknown column",
	    "bad_header_names.csv:1: column 16: unknown column" } },
	{ "assessments", "bad_header_end_marker.csv",
	  { "bad_header_end_marker.csv:1: header: is not a row of column names" } },
	/* A name typed into a coded column is reported without the name. */
	{ "assessments", "bad_name_in_choice.csv",
	  { "bad_name_in_choice.csv:2: assessment_type: unknown value (expected",
	    "bad_name_in_choice.csv:2: priority: unknown value (expected" } },
	/* A bad byte deep in a multi-line narrative: the record's first line,
	 * and where inside it. */
	{ "assessments", "bad_utf8_deep.csv",
	  { "bad_utf8_deep.csv:2: summary: invalid UTF-8 (save the file as UTF-8), on line 4" } },
	{ "assessments", "empty.csv",
	  { "caseaudit: empty.csv: the file is empty; a header row naming the columns is expected" } },
	{ "staff", "staff_bad_role.csv",
	  { "staff_bad_role.csv:2: role: unknown role \"chef\" (expected auditor, assessor, psw, qa_lead or board",
	    "staff_bad_role.csv:3: max_open_audits: expected a whole number from 0 to 1000",
	    "staff_bad_role.csv:3: email: is not an email address",
	    "staff_bad_role.csv:4: name: required value is empty" } },
};

/* Every table an import may touch, as one fingerprint. */
static char *
database_state(void)
{
	return test_db_value(test_group.conn,
	    "SELECT (SELECT count(*) FROM assessments) || '/' || (SELECT count(*) FROM staff)"
	    " || '/' || (SELECT count(*) FROM organisations) || '/' || (SELECT count(*) FROM teams)"
	    " || '/' || (SELECT count(*) FROM imports) || '/' || (SELECT count(*) FROM import_rejects)"
	    " || '/' || (SELECT count(*) FROM events)"
	    " || '/' || (SELECT coalesce(max(revision), 0) FROM assessments)");
}

static void
each_bad_file_is_refused_precisely(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const bad_case *c = &cases[i];
		/* Run from the fixtures directory so the file name is as typed. */
		char path[4096];
		const char *argv[] = { "caseaudit", "import", c->kind, path, NULL };
		char *before = database_state(), *after, *pos;
		test_run r;

		snprintf(path, sizeof path, "%s", test_fixture(c->fixture));
		assert_int_equal(test_run_cli(&r, test_group.name, NULL, argv), 0);
		after = database_state();
		print_message("%s\n%s", c->fixture, r.err);
		assert_int_equal(r.status, 65);
		assert_string_equal(before, after);
		pos = r.err;
		for (int l = 0; l < 4 && c->lines[l] != NULL; l++) {
			char want[600];
			const char *line = c->lines[l];

			/* Lines name the file as given on the command line. */
			if (strncmp(line, "caseaudit: ", 11) == 0)
				snprintf(want, sizeof want, "caseaudit: %s/%s", CASEAUDIT_FIXTURES, line + 11);
			else
				snprintf(want, sizeof want, "%s/%s", CASEAUDIT_FIXTURES, line);
			pos = strstr(pos, want);
			if (pos == NULL)
				fail_msg("%s: missing line: %s", c->fixture, want);
			pos += strlen(want);
		}
		/* Nothing from the rows' text leaks into the messages. */
		assert_null(strstr(r.err, "DROP TABLE"));
		assert_null(strstr(r.err, "A summary"));
		assert_null(strstr(r.err, "Jane Smith"));
		assert_null(strstr(r.err, "Acacia"));
		assert_null(strstr(r.err, "forged"));
		assert_null(strstr(r.err, "AS-0002"));
		assert_null(strstr(r.err, "out of range"));
		free(before);
		free(after);
		test_run_free(&r);
	}
}

/* With --skip-invalid the good rows load and each bad one is kept. */
static void
skip_invalid_keeps_rejects(void **state)
{
	char path[4096];
	const char *argv[] = { "caseaudit", "import", "staff", path, "--skip-invalid", NULL };
	test_run r;

	(void)state;
	snprintf(path, sizeof path, "%s", test_fixture("staff_bad_role.csv"));
	assert_int_equal(test_run_cli(&r, test_group.name, NULL, argv), 0);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "inserted 0, updated 0, unchanged 0, rejected 3"));
	assert_int_equal(test_db_count(test_group.conn, "SELECT count(*) FROM staff"), 0);
	assert_int_equal(test_db_count(test_group.conn,
	    "SELECT count(DISTINCT line) FROM import_rejects r JOIN imports i ON i.id = r.import_id"
	    " WHERE i.kind = 'staff' AND i.rejected = 3"), 3);
	assert_int_equal(test_db_count(test_group.conn,
	    "SELECT count(*) FROM import_rejects WHERE line = 3 AND column_name = 'email'"
	    " AND reason = 'is not an email address' AND record->>'staff_ref' = 'ST-2'"), 1);
	test_run_free(&r);

	/* Broken bytes are kept raw, since they have no fields. */
	snprintf(path, sizeof path, "%s", test_fixture("bad_utf8.csv"));
	argv[2] = "assessments";
	assert_int_equal(test_run_cli(&r, test_group.name, NULL, argv), 0);
	assert_int_equal(r.status, 0);
	assert_int_equal(test_db_count(test_group.conn,
	    "SELECT count(*) FROM import_rejects WHERE line = 2 AND column_name = 'summary'"
	    " AND record IS NULL AND position('\\xe9'::bytea IN raw) > 0"), 1);
	test_run_free(&r);
}

/* A trailing ; in a role list is forgiven; a list of nothing is not. */
static void
role_lists_with_empty_pieces(void **state)
{
	char path[4096];
	const char *argv[] = { "caseaudit", "import", "staff", path, "--skip-invalid", NULL };
	test_run r;
	char *v;

	(void)state;
	snprintf(path, sizeof path, "%s", test_fixture("staff_roles_edge.csv"));
	assert_int_equal(test_run_cli(&r, test_group.name, NULL, argv), 0);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.err, "staff_roles_edge.csv:3: role: names no role"));
	v = test_db_value(test_group.conn, "SELECT roles::text FROM staff WHERE staff_ref = 'ST-1'");
	assert_string_equal(v, "{auditor}");
	free(v);
	test_run_free(&r);
}

/* Rows rejected by validation never reach a cast that could throw, even
 * when the planner computes the typed view before filtering them out:
 * re-importing a known staff_ref with a bad number, --skip-invalid. */
static void
rejected_rows_never_break_the_upsert(void **state)
{
	const char csv[] =
	    "staff_ref,name,organisation,role,max_open_audits\n"
	    "ST-1,Ann Lee,Northgate,auditor,abc\n"
	    "ST-1b,Bob Roe,Northgate,auditor,99999999999\n"
	    "ST-3,Cat Poe,Northgate,auditor,4\n";
	char *path = test_write_file("staff_numbers.csv", csv, sizeof csv - 1);
	const char *argv[] = { "caseaudit", "import", "staff", path, "--skip-invalid", NULL };
	test_run r;

	(void)state;
	assert_int_equal(test_run_cli(&r, test_group.name, NULL, argv), 0);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "inserted 1, updated 0, unchanged 0, rejected 2"));
	assert_null(strstr(r.err, "abc"));
	assert_int_equal(test_db_count(test_group.conn, "SELECT max_open_audits FROM staff WHERE staff_ref = 'ST-3'"), 4);
	assert_int_equal(test_db_count(test_group.conn, "SELECT max_open_audits FROM staff WHERE staff_ref = 'ST-1'"), 5);
	test_run_free(&r);
	unlink(path);
	free(path);
}

/* A server whose default isolation is serializable: imports still see
 * what the import before them committed. */
static void
server_default_isolation_does_not_matter(void **state)
{
	const char *env[] = { "PGOPTIONS=-c default_transaction_isolation=serializable", NULL };
	const char *argv[] = { "caseaudit", "import", "staff", test_fixture("staff_good.csv"), NULL };
	test_run r;

	(void)state;
	assert_int_equal(test_run_cli(&r, test_group.name, env, argv), 0);
	assert_int_equal(r.status, 0);
	test_run_free(&r);
	assert_int_equal(test_run_cli(&r, test_group.name, env, argv), 0);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "unchanged 4"));
	test_run_free(&r);
}

/* Only UTF8 databases: another encoding would refuse narratives half-way. */
static void
non_utf8_database_is_refused(void **state)
{
	PGconn *admin = test_db_connect("postgres");
	char name[80];
	const char *argv[] = { "caseaudit", "migrate", NULL };
	test_run r;
	char sql[200];

	(void)state;
	snprintf(name, sizeof name, "caseaudit_t_latin1_%ld", (long)getpid());
	snprintf(sql, sizeof sql, "CREATE DATABASE %s ENCODING 'LATIN1' LC_COLLATE 'C' LC_CTYPE 'C'"
	    " TEMPLATE template0", name);
	PQclear(PQexec(admin, sql));
	assert_int_equal(test_run_cli(&r, name, NULL, argv), 0);
	assert_int_equal(r.status, 69);
	assert_non_null(strstr(r.err, "needs a UTF8 database"));
	test_run_free(&r);
	PQfinish(admin);
	test_db_drop(name);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(each_bad_file_is_refused_precisely),
		cmocka_unit_test(skip_invalid_keeps_rejects),
		cmocka_unit_test(role_lists_with_empty_pieces),
		cmocka_unit_test(rejected_rows_never_break_the_upsert),
		cmocka_unit_test(server_default_isolation_does_not_matter),
		cmocka_unit_test(non_utf8_database_is_refused),
	};

	return cmocka_run_group_tests_name("import_errors", tests, test_group_setup, test_group_teardown);
}
