/*
 * test_import.c - importing real-shaped extracts end to end: rows stored
 * exactly, re-imports idempotent, changes traced, hostile content safe.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "support.h"

/* Run `caseaudit import KIND PATH [extra]` and return the exit status;
 * stdout is kept in last_out for assertions. */
static char last_out[4096];

static int
import(const char *kind, const char *path, const char *extra)
{
	const char *argv[] = { "caseaudit", "import", kind, path, extra, NULL };
	test_run r;
	int status;

	if (test_run_cli(&r, test_group.name, NULL, argv) != 0)
		return -1;
	status = r.status;
	snprintf(last_out, sizeof last_out, "%s", r.out);
	if (status != 0)
		print_message("stderr: %s", r.err);
	test_run_free(&r);
	return status;
}

static void
good_extract_is_stored_exactly(void **state)
{
	char *v;

	(void)state;
	assert_int_equal(import("staff", test_fixture("staff_good.csv"), NULL), 0);
	assert_int_equal(import("assessments", test_fixture("assessments_good.csv"), NULL), 0);
	assert_non_null(strstr(last_out, "inserted 4, updated 0, unchanged 0, rejected 0"));

	/* Both date forms, the open case, booleans and quoting. */
	v = test_db_value(test_group.conn, "SELECT string_agg(assessment_ref || '=' || requested_on || '/'"
	    " || coalesce(completed_on::text, 'waiting'), ' ' ORDER BY assessment_ref) FROM assessments");
	assert_string_equal(v, "AS-0001=2026-01-05/2026-02-16 AS-0002=2026-01-05/waiting "
	    "AS-0003=2026-03-01/2026-04-15 AS-0004=2026-02-01/2026-02-01");
	free(v);
	v = test_db_value(test_group.conn, "SELECT summary FROM assessments WHERE assessment_ref = 'AS-0001'");
	assert_string_equal(v, "Mrs Jones said \"I want to get back to my allotment\". "
	    "She manages meals, but washing is hard.");
	free(v);
	v = test_db_value(test_group.conn, "SELECT summary FROM assessments WHERE assessment_ref = 'AS-0003'");
	assert_string_equal(v, "Carer for her husband.\nSecond paragraph, with a comma.");
	free(v);
	v = test_db_value(test_group.conn, "SELECT summary FROM assessments WHERE assessment_ref = 'AS-0004'");
	assert_string_equal(v, "Siân and Łukasz visited; cost £25 – fine 😀");
	free(v);
	v = test_db_value(test_group.conn, "SELECT eligible || ',' || direct_payment_offered || ',' ||"
	    " carer_identified || ',' || priority FROM assessments WHERE assessment_ref = 'AS-0001'");
	assert_string_equal(v, "true,true,false,medium");
	free(v);
	assert_int_equal(test_db_count(test_group.conn, "SELECT count(*) FROM assessments"
	    " WHERE assessment_ref = 'AS-0004' AND priority IS NULL AND direct_payment_offered IS NULL"
	    " AND age_band IS NULL"), 1);

	/* Providers created on first sight, staff roles sorted, teams made. */
	assert_int_equal(test_db_count(test_group.conn, "SELECT count(*) FROM organisations"), 3);
	v = test_db_value(test_group.conn, "SELECT roles::text FROM staff WHERE staff_ref = 'ST-0100'");
	assert_string_equal(v, "{auditor,psw}");
	free(v);
	assert_int_equal(test_db_count(test_group.conn, "SELECT count(*) FROM staff s JOIN teams t"
	    " ON t.id = s.team_id WHERE t.name = 'Principal Social Worker''s Office'"), 1);
	assert_int_equal(test_db_count(test_group.conn,
	    "SELECT max_open_audits FROM staff WHERE staff_ref = 'ST-0002'"), 8);

	/* The import is recorded with its digest and counts. */
	assert_int_equal(test_db_count(test_group.conn, "SELECT count(*) FROM imports WHERE kind = 'assessments'"
	    " AND inserted = 4 AND rows_read = 4 AND file_sha256 ~ '^[0-9a-f]{64}$'"
	    " AND file_bytes > 0"), 1);
}

/* The same records with a BOM, CRLF, reversed columns and a shouting
 * header: nothing changes. */
static void
reimport_in_another_shape_changes_nothing(void **state)
{
	long long events;

	(void)state;
	events = test_db_count(test_group.conn, "SELECT count(*) FROM events WHERE action = 'assessment.updated'");
	assert_int_equal(import("assessments", test_fixture("assessments_bom_crlf_reordered.csv"), NULL), 0);
	assert_non_null(strstr(last_out, "inserted 0, updated 0, unchanged 4, rejected 0"));
	assert_int_equal(test_db_count(test_group.conn,
	    "SELECT count(*) FROM events WHERE action = 'assessment.updated'"), events);
	assert_int_equal(test_db_count(test_group.conn, "SELECT max(revision) FROM assessments"), 1);
}

static void
changed_record_is_updated_with_trail(void **state)
{
	const char csv[] =
	    "assessment_ref,person_ref,assessment_type,provider,assessor_ref,requested_on,completed_on,summary\n"
	    "AS-0002,P-100002,review,Northgate Community Care,ST-0001,05/01/2026,2026-03-02,Visited at last.\n";
	char *path = test_write_file("changed.csv", csv, sizeof csv - 1);
	char *v;

	(void)state;
	assert_int_equal(import("assessments", path, NULL), 0);
	assert_non_null(strstr(last_out, "inserted 0, updated 1, unchanged 0, rejected 0"));
	v = test_db_value(test_group.conn, "SELECT before::text || ' -> ' || after::text FROM events"
	    " WHERE action = 'assessment.updated' AND entity_id = 'AS-0002'");
	/* Only what changed; the columns absent from the file became empty. */
	assert_non_null(v);
	assert_non_null(strstr(v, "\"completed_on\": null"));
	assert_non_null(strstr(v, "\"completed_on\": \"2026-03-02\""));
	assert_non_null(strstr(v, "\"summary\": \"Still waiting for a visit.\""));
	assert_null(strstr(v, "person_ref"));
	free(v);
	assert_int_equal(test_db_count(test_group.conn,
	    "SELECT revision FROM assessments WHERE assessment_ref = 'AS-0002'"), 2);
	unlink(path);
	free(path);
}

/* SQL-looking text, a 10 MB narrative and unusual scripts are only data. */
static void
hostile_content_is_only_data(void **state)
{
	const char *head =
	    "assessment_ref,person_ref,assessment_type,provider,assessor_ref,requested_on,summary\n"
	    "AS-H1,P-1,review,\"Robert'); DROP TABLE assessments;--\",ST-1,2026-01-01,"
	    "\"'; DELETE FROM events; -- \"\"\\.\"\"\n\\.\nmore\"\n"
	    "AS-H2,P-2,review,Northgate Community Care,ST-1,2026-01-01,\"";
	const char *tail = "\"\nAS-H3,P-3,review,Ωmega Care,ST-1,2026-01-01,مرحبا שלום 你好\n";
	size_t big = 10 * 1024 * 1024, hl = strlen(head);
	char *data = malloc(hl + big + strlen(tail) + 1), *path, *v;

	(void)state;
	memcpy(data, head, hl);
	for (size_t i = 0; i < big; i++)
		data[hl + i] = "Mrs Okonkwo wants to stay at home. "[i % 35];
	memcpy(data + hl + big, tail, strlen(tail));
	path = test_write_file("hostile.csv", data, hl + big + strlen(tail));
	free(data);
	assert_int_equal(import("assessments", path, NULL), 0);
	assert_non_null(strstr(last_out, "inserted 3"));
	assert_int_equal(test_db_count(test_group.conn, "SELECT count(*) FROM organisations"
	    " WHERE name = 'Robert''); DROP TABLE assessments;--'"), 1);
	v = test_db_value(test_group.conn, "SELECT summary FROM assessments WHERE assessment_ref = 'AS-H1'");
	assert_string_equal(v, "'; DELETE FROM events; -- \"\\.\"\n\\.\nmore");
	free(v);
	assert_int_equal(test_db_count(test_group.conn,
	    "SELECT length(summary) FROM assessments WHERE assessment_ref = 'AS-H2'"), (long long)big);
	v = test_db_value(test_group.conn, "SELECT summary FROM assessments WHERE assessment_ref = 'AS-H3'");
	assert_string_equal(v, "مرحبا שלום 你好");
	free(v);
	assert_true(test_db_count(test_group.conn, "SELECT count(*) FROM events") > 0);
	unlink(path);
	free(path);
}

static void
header_only_file_imports_nothing(void **state)
{
	(void)state;
	assert_int_equal(import("assessments", test_fixture("assessments_header_only.csv"), "--format=json"), 0);
	assert_non_null(strstr(last_out, "\"records\": 0, \"inserted\": 0"));
}

/* A process killed half-way through leaves nothing behind. */
static void
killed_import_leaves_nothing(void **state)
{
	size_t rows = 200000;
	char *dir = test_tempdir(), path[4096];
	long long before = test_db_count(test_group.conn, "SELECT count(*) FROM assessments");
	FILE *f;
	pid_t pid;

	(void)state;
	snprintf(path, sizeof path, "%s/many.csv", dir);
	f = fopen(path, "w");
	fputs("assessment_ref,person_ref,assessment_type,provider,assessor_ref,requested_on,summary\n", f);
	for (size_t i = 0; i < rows; i++)
		fprintf(f, "K-%zu,P-%zu,review,Killed Care,ST-1,2026-01-01,A narrative of some length for row %zu\n",
		    i, i, i);
	fclose(f);
	pid = fork();
	if (pid == 0) {
		char *argv[] = { (char *)CASEAUDIT_BIN, "import", "assessments", path, NULL };

		setenv("PGDATABASE", test_group.name, 1);
		execv(CASEAUDIT_BIN, argv);
		_exit(127);
	}
	usleep(150 * 1000);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	/* The server notices the dead client and rolls back. */
	for (int i = 0; i < 50 && test_db_count(test_group.conn,
	    "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'caseaudit'") > 0; i++)
		usleep(100 * 1000);
	assert_int_equal(test_db_count(test_group.conn, "SELECT count(*) FROM assessments"), before);
	assert_int_equal(test_db_count(test_group.conn,
	    "SELECT count(*) FROM organisations WHERE name = 'Killed Care'"), 0);
	unlink(path);
	rmdir(dir);
	free(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(good_extract_is_stored_exactly),
		cmocka_unit_test(reimport_in_another_shape_changes_nothing),
		cmocka_unit_test(changed_record_is_updated_with_trail),
		cmocka_unit_test(hostile_content_is_only_data),
		cmocka_unit_test(header_only_file_imports_nothing),
		cmocka_unit_test(killed_import_leaves_nothing),
	};

	return cmocka_run_group_tests_name("import", tests, test_group_setup, test_group_teardown);
}
