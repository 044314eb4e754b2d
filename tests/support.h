/*
 * support.h - what the tests share: a fresh database per test group, and
 * running the real caseaudit binary.
 *
 * Databases are cloned from a migrated template (CREATE DATABASE ...
 * TEMPLATE), named after the migrations' fingerprint, so each group starts
 * from a clean schema in milliseconds and a changed migration rebuilds the
 * template.  The server is whatever the PG* environment names; scripts/test
 * starts the private one.
 */
#ifndef CASEAUDIT_TEST_SUPPORT_H
#define CASEAUDIT_TEST_SUPPORT_H

#include <stddef.h>
#include <libpq-fe.h>

/* Create an empty, migrated database for a test group; its name is
 * written to name (at least 64 bytes).  Returns 0, or -1 with a message on
 * stderr. */
int  test_db_create(const char *group, char *name, size_t size);
/* The same, but an empty database with no schema at all. */
int  test_db_create_empty(const char *group, char *name, size_t size);
void test_db_drop(const char *name);
PGconn *test_db_connect(const char *name);

/* The database of the running test group, for the group fixtures below:
 * pass test_group_setup (migrated) or test_group_setup_empty (no schema)
 * and test_group_teardown to cmocka_run_group_tests_name. */
typedef struct test_group_db {
	char name[80];
	PGconn *conn;
} test_group_db;
extern test_group_db test_group;
int test_group_setup(void **state);
int test_group_setup_empty(void **state);
int test_group_teardown(void **state);

/* A single value from a query (with no parameters) as a malloc'd string,
 * or NULL. */
char *test_db_value(PGconn *conn, const char *sql);
/* Run SQL (no parameters) that must succeed; a failure fails the test
 * with the statement and the server's message. */
void test_db_exec(PGconn *conn, const char *sql);
long long test_db_count(PGconn *conn, const char *sql);
/* Empty the test group's sampling: no plans, runs, audits, reminders or
 * jobs, ids from 1 again (the trail stays: it is append-only). */
void test_db_clear_sampling(void);

typedef struct test_run {
	int status;        /* exit status, or 128+signal */
	char *out, *err;   /* everything written, NUL-terminated */
} test_run;

/* Run the caseaudit binary with argv (argv[0] is ignored, except that
 * "caseauditd" runs the daemon instead) against the
 * database `db` (NULL: leave the environment alone).  extra_env is a
 * NULL-terminated list of "NAME=value" to set, may be NULL. */
int  test_run_cli(test_run *r, const char *db, const char *const *extra_env,
    const char *const *argv);
void test_run_free(test_run *r);

/* SQL built by printf from the test's own constants and ids (never from
 * input under test), in a static buffer that the next call reuses. */
const char *test_sqlf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Run caseaudit on the test group's database with the arguments that
 * follow, up to 22, ending with NULL; "--once" first runs the daemon
 * instead (`caseauditd --once ...`).  Returns the exit status; failing to
 * run at all fails the test. */
int test_cli(test_run *r, const char *a1, ...);

/* The command must succeed; otherwise the test fails with its output. */
#define TEST_OK(...)                                                   \
	do {                                                           \
		test_run r_;                                           \
		int s_ = test_cli(&r_, __VA_ARGS__, NULL);             \
                                                                       \
		if (s_ != 0)                                           \
			fail_msg("exit %d: %s%s", s_, r_.out, r_.err); \
		test_run_free(&r_);                                    \
	} while (0)

/* The command must fail with `status` and say `says` on standard error. */
#define TEST_REFUSED(status, says, ...)                                         \
	do {                                                                    \
		test_run r_;                                                    \
		int s_ = test_cli(&r_, __VA_ARGS__, NULL);                      \
                                                                                \
		if (s_ != (status) || strstr(r_.err, (says)) == NULL)           \
			fail_msg("want exit %d saying '%s', got %d: %s%s",      \
			    (status), (says), s_, r_.out, r_.err);              \
		test_run_free(&r_);                                             \
	} while (0)
/* The same, with in[0..inlen) fed to the program's standard input (then
 * closed), written while its output is read so that neither side blocks
 * whatever the sizes. */
int  test_run_cli_stdin(test_run *r, const char *db, const char *const *extra_env,
    const char *const *argv, const void *in, size_t inlen);

/* Everything a shell command (printf-style fmt) writes to its standard
 * output, NUL-terminated and malloc'd; the command must exit 0, or the
 * test fails.  For reading a rendered PDF back with poppler's tools. */
char *test_capture(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* How often needle occurs in hay, not overlapping. */
size_t test_count(const char *hay, const char *needle);

/* `caseaudit forms load` on the test group's database with the files
 * that follow, ending with NULL: paths relative to the source tree
 * ("forms/screening.yaml") or absolute.  0, or -1 with the program's
 * output on stderr; for group setups. */
int test_forms_load(const char *first, ...);

/* Load the standard checklist and screening rules into the test group's
 * database (`caseaudit forms load`), then run each of sql[0..n) on the
 * group's connection, in order: a hand-made dataset whose figures a test
 * knows.  Returns 0, or -1 with the failing step on stderr (for a group
 * setup, after test_group_setup). */
int  test_fixture_load(const char *const *sql, size_t n);

/* Write data to a new temporary file; returns its malloc'd path. */
char *test_write_file(const char *name, const void *data, size_t len);
/* A path under the fixtures directory (static buffer). */
const char *test_fixture(const char *name);
/* A fresh temporary directory (malloc'd path). */
char *test_tempdir(void);

#endif
