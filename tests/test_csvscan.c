/*
 * test_csvscan.c - record boundaries, physical lines and problems, for
 * every shape of CSV the contract accepts, split across read boundaries.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csvscan.h"
#include "support.h"

#define MAX_RECORDS 16

typedef struct scanned {
	int n;
	long line[MAX_RECORDS];
	int fields[MAX_RECORDS];
	enum ca_csv_problem problem[MAX_RECORDS];
	long problem_line[MAX_RECORDS];
	int problem_field[MAX_RECORDS];
	char *text[MAX_RECORDS];
} scanned;

static void
scan(const char *data, size_t len, size_t max_record, scanned *s)
{
	char *path = test_write_file("in.csv", data, len);
	ca_csv_reader *r;
	ca_csv_record rec;
	ca_err err = { 0 };
	int got;

	memset(s, 0, sizeof *s);
	assert_int_equal(ca_csv_open(&r, path, max_record, &err), 0);
	while ((got = ca_csv_next(r, &rec, &err)) == 1 && s->n < MAX_RECORDS) {
		s->line[s->n] = rec.line;
		s->fields[s->n] = rec.fields;
		s->problem[s->n] = rec.problem;
		s->problem_line[s->n] = rec.problem_line;
		s->problem_field[s->n] = rec.problem_field;
		s->text[s->n] = strndup(rec.data, rec.len);
		s->n++;
	}
	assert_int_equal(got, 0);
	ca_csv_close(r);
	unlink(path);
	free(path);
}

static void
scanned_free(scanned *s)
{
	for (int i = 0; i < s->n; i++)
		free(s->text[i]);
}

#define SCAN(lit, s) scan(lit, sizeof(lit) - 1, 1 << 20, s)

static void
lf_crlf_and_cr_endings(void **state)
{
	const char *inputs[] = { "a,b\n1,2\n3,4\n", "a,b\r\n1,2\r\n3,4\r\n",
	    "a,b\r1,2\r3,4\r", "a,b\n1,2\n3,4" };
	scanned s;

	(void)state;
	for (size_t i = 0; i < 4; i++) {
		scan(inputs[i], strlen(inputs[i]), 1 << 20, &s);
		assert_int_equal(s.n, 3);
		assert_int_equal(s.line[0], 1);
		assert_int_equal(s.line[1], 2);
		assert_int_equal(s.line[2], 3);
		assert_string_equal(s.text[2], "3,4");
		assert_int_equal(s.fields[1], 2);
		scanned_free(&s);
	}
}

static void
quoted_fields_keep_commas_quotes_and_newlines(void **state)
{
	scanned s;

	(void)state;
	SCAN("a,b\n1,\"x, \"\"y\"\"\r\nz\"\n2,\"\"\n3,4\n", &s);
	assert_int_equal(s.n, 4);
	assert_int_equal(s.fields[1], 2);
	assert_string_equal(s.text[1], "1,\"x, \"\"y\"\"\r\nz\"");
	assert_int_equal(s.line[2], 4);   /* the quoted CRLF was one physical line */
	assert_int_equal(s.line[3], 5);
	assert_string_equal(s.text[2], "2,\"\"");
	scanned_free(&s);
}

static void
bom_and_blank_lines_are_skipped(void **state)
{
	scanned s;

	(void)state;
	SCAN("\xEF\xBB\xBF" "a,b\n\n1,2\r\n\r\n\n3,4\n\n", &s);
	assert_int_equal(s.n, 3);
	assert_string_equal(s.text[0], "a,b");
	assert_int_equal(s.line[1], 3);
	assert_int_equal(s.line[2], 6);
	scanned_free(&s);
}

static void
problems_are_located(void **state)
{
	scanned s;

	(void)state;
	SCAN("a,b,c\n1,caf\xE9,3\n2,\"ok\nstill \xFF\",3\n3,x\0y,z\n4,5,\"open\nnever closed\n", &s);
	assert_int_equal(s.n, 5);
	assert_int_equal(s.problem[1], CA_CSV_BAD_UTF8);
	assert_int_equal(s.problem_field[1], 1);
	assert_int_equal(s.problem_line[1], 2);
	assert_int_equal(s.problem[2], CA_CSV_BAD_UTF8);
	assert_int_equal(s.line[2], 3);
	assert_int_equal(s.problem_line[2], 4);
	assert_int_equal(s.problem[3], CA_CSV_NUL);
	assert_int_equal(s.problem_field[3], 1);
	assert_int_equal(s.line[4], 6);
	assert_int_equal(s.problem[4], CA_CSV_UNTERMINATED);
	assert_int_equal(s.problem_field[4], 2);
	scanned_free(&s);
}

static void
field_counts(void **state)
{
	scanned s;

	(void)state;
	SCAN("a,b,c\n1,2\n1,2,3,4\n,,\n", &s);
	assert_int_equal(s.fields[1], 2);
	assert_int_equal(s.fields[2], 4);
	assert_int_equal(s.fields[3], 3);
	scanned_free(&s);
}

/* A record over the cap is cut and flagged; the next one is read whole. */
static void
too_long_records_are_cut(void **state)
{
	size_t big = 3000;
	char *data = malloc(big + 64);
	scanned s;

	(void)state;
	memcpy(data, "a,b\n1,", 6);
	memset(data + 6, 'x', big);
	memcpy(data + 6 + big, "\n2,3\n", 5);
	scan(data, big + 11, 1000, &s);
	free(data);
	assert_int_equal(s.n, 3);
	assert_int_equal(s.problem[1], CA_CSV_TOO_LONG);
	assert_int_equal(strlen(s.text[1]), 1000);
	assert_int_equal(s.problem[2], CA_CSV_OK);
	assert_int_equal(s.line[2], 3);
	scanned_free(&s);
}

/* Cut inside a two-byte character: still "too long", not "invalid UTF-8",
 * and no column is blamed. */
static void
too_long_is_not_misreported_as_bad_utf8(void **state)
{
	size_t chars = 1500;
	char *data = malloc(2 * chars + 16), *p;
	scanned s;

	(void)state;
	p = data + sprintf(data, "a\n");
	for (size_t i = 0; i < chars; i++) {
		*p++ = (char)0xC3;
		*p++ = (char)0xA9;   /* é */
	}
	*p++ = '\n';
	scan(data, (size_t)(p - data), 1001, &s);
	free(data);
	assert_int_equal(s.n, 2);
	assert_int_equal(s.problem[1], CA_CSV_TOO_LONG);
	assert_int_equal(s.problem_field[1], -1);
	scanned_free(&s);
}

/* Records larger than the read buffer, with CRLF split across reads. */
static void
records_span_read_buffers(void **state)
{
	size_t rows = 400, width = 2000, pos = 0;
	char *data = malloc(rows * (width + 16) + 16);
	scanned s;
	ca_csv_reader *r;
	ca_csv_record rec;
	ca_err err = { 0 };
	char *path;
	long n = 0;

	(void)state;
	(void)s;
	pos += (size_t)sprintf(data, "a,b\r\n");
	for (size_t i = 0; i < rows; i++) {
		data[pos++] = '"';
		memset(data + pos, 'q', width);
		pos += width;
		pos += (size_t)sprintf(data + pos, "\r\n\",%zu\r\n", i);
	}
	path = test_write_file("big.csv", data, pos);
	free(data);
	assert_int_equal(ca_csv_open(&r, path, 1 << 20, &err), 0);
	while (ca_csv_next(r, &rec, &err) == 1) {
		if (n > 0) {
			assert_int_equal(rec.line, 2 + (n - 1) * 2);
			assert_int_equal(rec.fields, 2);
			assert_int_equal(rec.len, width + 4 + (n - 1 >= 10 ? (n - 1 >= 100 ? 3 : 2) : 1) + 1);
		}
		n++;
	}
	assert_int_equal(n, rows + 1);
	assert_int_equal(ca_csv_bytes(r), pos);
	ca_csv_close(r);
	unlink(path);
	free(path);
}

static void
missing_file_is_noinput(void **state)
{
	ca_csv_reader *r;
	ca_err err = { 0 };

	(void)state;
	assert_int_equal(ca_csv_open(&r, "/nonexistent/x.csv", 1024, &err), CA_EX_NOINPUT);
	assert_non_null(strstr(err.msg, "/nonexistent/x.csv"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(lf_crlf_and_cr_endings),
		cmocka_unit_test(quoted_fields_keep_commas_quotes_and_newlines),
		cmocka_unit_test(bom_and_blank_lines_are_skipped),
		cmocka_unit_test(problems_are_located),
		cmocka_unit_test(field_counts),
		cmocka_unit_test(too_long_records_are_cut),
		cmocka_unit_test(too_long_is_not_misreported_as_bad_utf8),
		cmocka_unit_test(records_span_read_buffers),
		cmocka_unit_test(missing_file_is_noinput),
	};

	return cmocka_run_group_tests_name("csvscan", tests, NULL, NULL);
}
