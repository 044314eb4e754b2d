/*
 * test_migrate.c - migrations apply once, in order, refuse edited history,
 * tolerate concurrent runs; the trail is append-only; date parsing.
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

#include "migrate.h"
#include "support.h"

static int
embedded_count(void)
{
	int n = 0;

	while (ca_migrations_embedded[n].name != NULL)
		n++;
	return n;
}

static int
migrate_cli(const char *dir, test_run *r)
{
	const char *argv[] = { "caseaudit", "migrate", dir ? "--dir" : NULL, dir, NULL };

	return test_run_cli(r, test_group.name, NULL, argv);
}

/* Two processes race on an empty database; both succeed, each migration
 * is applied exactly once. */
static void
concurrent_first_runs_are_safe(void **state)
{
	pid_t pids[2];
	int status;

	(void)state;
	for (int i = 0; i < 2; i++) {
		pids[i] = fork();
		if (pids[i] == 0) {
			test_run r;

			migrate_cli(NULL, &r);
			_exit(r.status);
		}
	}
	for (int i = 0; i < 2; i++) {
		waitpid(pids[i], &status, 0);
		assert_true(WIFEXITED(status));
		assert_int_equal(WEXITSTATUS(status), 0);
	}
	assert_int_equal(test_db_count(test_group.conn, "SELECT count(*) FROM schema_migrations"
	    " WHERE sha256 ~ '^[0-9a-f]{64}$'"), embedded_count());
	assert_int_equal(test_db_count(test_group.conn, "SELECT count(*) FROM information_schema.tables"
	    " WHERE table_name IN ('organisations', 'teams', 'staff', 'assessments', 'imports',"
	    " 'import_rejects', 'events')"), 7);
}

static void
second_run_is_a_no_op(void **state)
{
	test_run r;
	char *before = test_db_value(test_group.conn, "SELECT string_agg(name || applied_at, ',') FROM schema_migrations");
	char *after;

	(void)state;
	assert_int_equal(migrate_cli(NULL, &r), 0);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "schema up to date"));
	after = test_db_value(test_group.conn, "SELECT string_agg(name || applied_at, ',') FROM schema_migrations");
	assert_string_equal(before, after);
	free(before);
	free(after);
	test_run_free(&r);
}

static void
copy_migrations(const char *dir, int edit_first)
{
	for (const struct ca_migration *m = ca_migrations_embedded; m->name; m++) {
		char path[4096];
		FILE *f;

		snprintf(path, sizeof path, "%s/%s", dir, m->name);
		f = fopen(path, "w");
		assert_non_null(f);
		fwrite(m->sql, 1, m->len, f);
		if (edit_first && m == ca_migrations_embedded)
			fputs("\n-- a quiet edit\n", f);
		fclose(f);
	}
}

static void
write_text(const char *dir, const char *name, const char *text)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* An applied migration that was edited is refused, by name, exit 65. */
static void
edited_migration_is_refused(void **state)
{
	char *dir = test_tempdir();
	test_run r;

	(void)state;
	copy_migrations(dir, 1);
	assert_int_equal(migrate_cli(dir, &r), 0);
	assert_int_equal(r.status, 65);
	assert_non_null(strstr(r.err, ca_migrations_embedded[0].name));
	assert_non_null(strstr(r.err, "changed after it was applied"));
	test_run_free(&r);
	free(dir);
}

/* A new file in a directory is applied after the others, once. */
static void
new_migration_from_directory_is_applied(void **state)
{
	char *dir = test_tempdir();
	test_run r;

	(void)state;
	copy_migrations(dir, 0);
	write_text(dir, "9999_test_extra.sql", "CREATE TABLE test_extra (x int);\n");
	write_text(dir, "notes.txt", "not a migration\n");
	assert_int_equal(migrate_cli(dir, &r), 0);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "applied 9999_test_extra.sql"));
	test_run_free(&r);
	assert_int_equal(migrate_cli(dir, &r), 0);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "schema up to date"));
	test_run_free(&r);
	free(dir);
}

/* A migration that fails leaves no trace of itself. */
static void
failing_migration_rolls_back(void **state)
{
	char *dir = test_tempdir();
	test_run r;

	(void)state;
	copy_migrations(dir, 0);
	write_text(dir, "9999_test_extra.sql", "CREATE TABLE test_extra (x int);\n");
	write_text(dir, "9998_broken.sql", "CREATE TABLE half_done (x int);\nSELECT no_such_function();\n");
	assert_int_equal(migrate_cli(dir, &r), 0);
	assert_int_equal(r.status, 70);
	assert_non_null(strstr(r.err, "9998_broken.sql"));
	assert_int_equal(test_db_count(test_group.conn, "SELECT count(*) FROM pg_tables WHERE tablename = 'half_done'"), 0);
	assert_int_equal(test_db_count(test_group.conn, "SELECT count(*) FROM schema_migrations WHERE name = '9998_broken.sql'"), 0);
	test_run_free(&r);
	free(dir);
}

static int
statement_fails(const char *sql)
{
	PGresult *res = PQexec(test_group.conn, sql);
	int failed = PQresultStatus(res) == PGRES_FATAL_ERROR &&
	    strstr(PQresultErrorMessage(res), "append-only") != NULL;

	PQclear(res);
	return failed;
}

static void
events_are_append_only(void **state)
{
	(void)state;
	PQclear(PQexec(test_group.conn, "INSERT INTO events (actor, action, entity) VALUES ('test', 'test.made', 'test')"));
	assert_int_equal(test_db_count(test_group.conn, "SELECT count(*) FROM events WHERE actor = 'test'"), 1);
	assert_true(statement_fails("UPDATE events SET actor = 'someone else'"));
	assert_true(statement_fails("DELETE FROM events"));
	assert_true(statement_fails("TRUNCATE events"));
	assert_int_equal(test_db_count(test_group.conn, "SELECT count(*) FROM events WHERE actor = 'test'"), 1);
}

static void
dates_parse_both_forms_and_refuse_impossible_ones(void **state)
{
	char *v;

	(void)state;
	v = test_db_value(test_group.conn, "SELECT concat_ws(',', ca_parse_date('2024-02-29'), ca_parse_date('29/02/2024'),"
	    " ca_parse_date('1/2/2026'), ca_parse_date('2000-02-29'))");
	assert_string_equal(v, "2024-02-29,2024-02-29,2026-02-01,2000-02-29");
	free(v);
	assert_int_equal(test_db_count(test_group.conn, "SELECT count(*) FROM unnest(ARRAY['31/02/2024',"
	    " '29/02/2023', '1900-02-29', '2024-13-01', '2024-00-10', '00/01/2024', '32/01/2024',"
	    " '2024-1-5', '24/1/24', 'yesterday', '', '٣١/٠١/٢٠٢٤', '2024-02-30', '31/04/2024'])"
	    " AS t WHERE ca_parse_date(t) IS NULL"), 14);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(concurrent_first_runs_are_safe),
		cmocka_unit_test(second_run_is_a_no_op),
		cmocka_unit_test(edited_migration_is_refused),
		cmocka_unit_test(new_migration_from_directory_is_applied),
		cmocka_unit_test(failing_migration_rolls_back),
		cmocka_unit_test(events_are_append_only),
		cmocka_unit_test(dates_parse_both_forms_and_refuse_impossible_ones),
	};

	return cmocka_run_group_tests_name("migrate", tests, test_group_setup_empty, test_group_teardown);
}
