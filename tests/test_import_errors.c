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

#include "support.h"

static char dbname[80];
static PGconn *conn;

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
	  { "bad_date_format.csv:2: requested_on: not a date \"March 3rd 2026\" (expected YYYY-MM-DD or DD/MM/YYYY)" } },
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
	{ "assessments", "empty.csv",
	  { "caseaudit: empty.csv: the file is empty; a header row naming the columns is expected" } },
	{ "staff", "staff_bad_role.csv",
	  { "staff_bad_role.csv:2: role: unknown role \"chef\" (expected auditor, assessor, psw, qa_lead or board",
	    "staff_bad_role.csv:3: max_open_audits: expected a whole number from 0 to 1000",
	    "staff_bad_role.csv:3: email: is not an email address",
	    "staff_bad_role.csv:4: name: required value is empty" } },
};

static int
group_setup(void **state)
{
	(void)state;
	if (test_db_create("errors", dbname, sizeof dbname) != 0)
		return -1;
	conn = test_db_connect(dbname);
	return conn ? 0 : -1;
}

static int
group_teardown(void **state)
{
	(void)state;
	PQfinish(conn);
	test_db_drop(dbname);
	return 0;
}

/* Every table an import may touch, as one fingerprint. */
static char *
database_state(void)
{
	return test_db_value(conn,
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
		assert_int_equal(test_run_cli(&r, dbname, NULL, argv), 0);
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
	assert_int_equal(test_run_cli(&r, dbname, NULL, argv), 0);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "inserted 0, updated 0, unchanged 0, rejected 3"));
	assert_int_equal(test_db_count(conn, "SELECT count(*) FROM staff"), 0);
	assert_int_equal(test_db_count(conn,
	    "SELECT count(DISTINCT line) FROM import_rejects r JOIN imports i ON i.id = r.import_id"
	    " WHERE i.kind = 'staff' AND i.rejected = 3"), 3);
	assert_int_equal(test_db_count(conn,
	    "SELECT count(*) FROM import_rejects WHERE line = 3 AND column_name = 'email'"
	    " AND reason = 'is not an email address' AND record->>'staff_ref' = 'ST-2'"), 1);
	test_run_free(&r);

	/* Broken bytes are kept raw, since they have no fields. */
	snprintf(path, sizeof path, "%s", test_fixture("bad_utf8.csv"));
	argv[2] = "assessments";
	assert_int_equal(test_run_cli(&r, dbname, NULL, argv), 0);
	assert_int_equal(r.status, 0);
	assert_int_equal(test_db_count(conn,
	    "SELECT count(*) FROM import_rejects WHERE line = 2 AND column_name = 'summary'"
	    " AND record IS NULL AND position('\\xe9'::bytea IN raw) > 0"), 1);
	test_run_free(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(each_bad_file_is_refused_precisely),
		cmocka_unit_test(skip_invalid_keeps_rejects),
	};

	return cmocka_run_group_tests_name("import_errors", tests, group_setup, group_teardown);
}
