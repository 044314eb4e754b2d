/*
 * test_cli.c - the command line as users meet it: help, version, usage
 * errors, a missing file, a database that is down, output that cannot be
 * written.
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

#include "strbuf.h"
#include "support.h"

static test_run run_args(const char *a1, const char *a2, const char *a3, const char *a4)
{
	const char *argv[] = { "caseaudit", a1, a2, a3, a4, NULL };
	test_run r;

	assert_int_equal(test_run_cli(&r, NULL, NULL, argv), 0);
	return r;
}

static void
help_and_version(void **state)
{
	test_run r;

	(void)state;
	r = run_args("--version", NULL, NULL, NULL);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "caseaudit 0."));
	test_run_free(&r);

	r = run_args("help", NULL, NULL, NULL);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "import"));
	assert_non_null(strstr(r.out, "migrate"));
	assert_non_null(strstr(r.out, "exit status"));
	test_run_free(&r);

	static const char *commands[] = { "migrate", "import", "demo" };
	for (size_t i = 0; i < 3; i++) {
		r = run_args(commands[i], "--help", NULL, NULL);
		assert_int_equal(r.status, 0);
		assert_non_null(strstr(r.out, "usage: caseaudit "));
		assert_non_null(strstr(r.out, commands[i]));
		test_run_free(&r);
		r = run_args("help", commands[i], NULL, NULL);
		assert_int_equal(r.status, 0);
		assert_non_null(strstr(r.out, "usage: caseaudit "));
		test_run_free(&r);
	}
}

static void
usage_errors_are_64(void **state)
{
	test_run r;

	(void)state;
	r = run_args(NULL, NULL, NULL, NULL);
	assert_int_equal(r.status, 64);
	test_run_free(&r);
	r = run_args("frobnicate", NULL, NULL, NULL);
	assert_int_equal(r.status, 64);
	assert_non_null(strstr(r.err, "caseaudit: unknown command 'frobnicate'"));
	test_run_free(&r);
	r = run_args("import", "people", "x.csv", NULL);
	assert_int_equal(r.status, 64);
	assert_non_null(strstr(r.err, "expected assessments or staff"));
	test_run_free(&r);
	r = run_args("import", "assessments", NULL, NULL);
	assert_int_equal(r.status, 64);
	test_run_free(&r);
	r = run_args("import", "assessments", "x.csv", "--bogus");
	assert_int_equal(r.status, 64);
	assert_non_null(strstr(r.err, "--bogus"));
	test_run_free(&r);
	r = run_args("migrate", "extra", NULL, NULL);
	assert_int_equal(r.status, 64);
	test_run_free(&r);
}

static void
missing_file_is_66(void **state)
{
	test_run r;

	(void)state;
	r = run_args("import", "assessments", "/no/such/extract.csv", NULL);
	assert_int_equal(r.status, 66);
	assert_non_null(strstr(r.err, "caseaudit: cannot read /no/such/extract.csv"));
	test_run_free(&r);
}

/* A server that is not there: exit 69, and the message names no password. */
static void
database_down_is_69(void **state)
{
	const char *env[] = { "PGHOST=/nonexistent-socket-dir", "PGPORT=1", "PGPASSWORD=s3cret-pw", NULL };
	const char *imp[] = { "caseaudit", "import", "assessments", test_fixture("assessments_good.csv"), NULL };
	const char *mig[] = { "caseaudit", "migrate", NULL };
	const char *withdb[] = { "caseaudit", "migrate", "--db", "host=/nonexistent-socket-dir password=s3cret-pw", NULL };
	test_run r;

	(void)state;
	assert_int_equal(test_run_cli(&r, NULL, env, imp), 0);
	assert_int_equal(r.status, 69);
	assert_non_null(strstr(r.err, "caseaudit: cannot connect to the database"));
	assert_null(strstr(r.err, "s3cret"));
	test_run_free(&r);
	assert_int_equal(test_run_cli(&r, NULL, env, mig), 0);
	assert_int_equal(r.status, 69);
	test_run_free(&r);
	assert_int_equal(test_run_cli(&r, NULL, NULL, withdb), 0);
	assert_int_equal(r.status, 69);
	assert_null(strstr(r.err, "s3cret"));
	test_run_free(&r);
}

/*
 * Output that cannot be written: exit 74, said in the help of every
 * command that can end so.  Standard output is a file that may not grow
 * past 1 kB (SIGXFSZ ignored, so the write fails with EFBIG rather than
 * killing the program); the message on standard error is shorter.
 */
static void
output_error_is_74(void **state)
{
	static const char *const says74[] = { "screen", "redact", "jobs", "status", "demo",
		"report" };
	static const char *const runs[][2] = {
		{ "redact", "caseaudit: redact: cannot write standard output: File too large\n" },
		{ "screen --stdin --rules " CASEAUDIT_SOURCE_DIR "/forms/screening.yaml --format text",
		  "caseaudit: screen: cannot write the result\n" },
	};
	char *dir = test_tempdir(), *in, cmd[8192], path[4200], err[512];
	ca_strbuf text;
	test_run r;

	(void)state;
	for (size_t i = 0; i < sizeof says74 / sizeof says74[0]; i++) {
		r = run_args(says74[i], "--help", NULL, NULL);
		assert_int_equal(r.status, 0);
		if (strstr(r.out, "exit status") == NULL ||
		    (strstr(r.out, " 74 ") == NULL && strstr(r.out, "\n74 ") == NULL))
			fail_msg("caseaudit %s --help does not mention exit 74:\n%s", says74[i], r.out);
		test_run_free(&r);
	}
	/* 8 kB of narrative: more than the file may hold, whatever is printed. */
	ca_strbuf_init(&text);
	for (int i = 0; i < 200; i++)
		ca_strbuf_adds(&text, "She said she enjoys meals. ");
	in = test_write_file("narrative.txt", text.data, text.len);
	for (size_t i = 0; i < sizeof runs / sizeof runs[0]; i++) {
		FILE *f;
		size_t n;
		int status;

		snprintf(path, sizeof path, "%s/err.txt", dir);
		snprintf(cmd, sizeof cmd, "trap '' XFSZ; ulimit -f 1; %s %s < %s > %s/out.txt 2> %s",
		    CASEAUDIT_BIN, runs[i][0], in, dir, path);
		status = system(cmd);
		assert_true(WIFEXITED(status));
		if (WEXITSTATUS(status) != 74)
			fail_msg("%s: exit %d, not 74", runs[i][0], WEXITSTATUS(status));
		f = fopen(path, "r");
		assert_non_null(f);
		n = fread(err, 1, sizeof err - 1, f);
		fclose(f);
		err[n] = '\0';
		assert_string_equal(err, runs[i][1]);
		unlink(path);
		snprintf(path, sizeof path, "%s/out.txt", dir);
		unlink(path);
	}
	unlink(in);
	free(in);
	ca_strbuf_free(&text);
	rmdir(dir);
	free(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(help_and_version),
		cmocka_unit_test(usage_errors_are_64),
		cmocka_unit_test(missing_file_is_66),
		cmocka_unit_test(database_down_is_69),
		cmocka_unit_test(output_error_is_74),
	};

	return cmocka_run_group_tests_name("cli", tests, NULL, NULL);
}
