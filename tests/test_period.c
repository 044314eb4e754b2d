/*
 * test_period.c - months, quarters and calendar dates: parsing (and
 * refusing what is not a period or a real date), first and last days
 * across leap years and year ends, the next period, and when a period
 * counts as ended (the day after its last day, not before).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "date.h"
#include "period.h"

static void
test_parse(void **state)
{
	static const char *const bad[] = {
		"", "2025", "2025-00", "2025-13", "2025-Q0", "2025-Q5", "2025-q1", "25-03",
		"2025-3", "2025-03-01", "1899-12", "3000-01", "2025/03", "2025-0a", " 2025-03",
	};
	ca_period p;
	char name[8];

	(void)state;
	assert_int_equal(ca_period_parse("2025-03", &p), 0);
	assert_int_equal(p.year, 2025);
	assert_int_equal(p.month, 3);
	assert_int_equal(p.months, 1);
	assert_int_equal(ca_period_parse("2025-Q4", &p), 0);
	assert_int_equal(p.month, 10);
	assert_int_equal(p.months, 3);
	ca_period_name(&p, name);
	assert_string_equal(name, "2025-Q4");
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(ca_period_parse(bad[i], &p), -1);
	assert_int_equal(ca_period_parse(NULL, &p), -1);
}

static void
test_bounds_and_next(void **state)
{
	char first[11], last[11], name[8];
	ca_period p;

	(void)state;
	ca_period_parse("2024-02", &p);
	ca_period_bounds(&p, first, last);
	assert_string_equal(first, "2024-02-01");
	assert_string_equal(last, "2024-02-29");
	ca_period_parse("2100-02", &p);   /* not a leap year */
	ca_period_bounds(&p, first, last);
	assert_string_equal(last, "2100-02-28");
	ca_period_parse("2025-Q1", &p);
	ca_period_bounds(&p, first, last);
	assert_string_equal(first, "2025-01-01");
	assert_string_equal(last, "2025-03-31");
	ca_period_parse("2025-12", &p);
	p = ca_period_next(&p);
	ca_period_name(&p, name);
	assert_string_equal(name, "2026-01");
	ca_period_parse("2025-Q4", &p);
	p = ca_period_next(&p);
	ca_period_name(&p, name);
	assert_string_equal(name, "2026-Q1");
}

static void
test_containing_and_ended(void **state)
{
	ca_period p;
	char name[8];

	(void)state;
	assert_int_equal(ca_period_containing("2026-11-22", 1, &p), 0);
	ca_period_name(&p, name);
	assert_string_equal(name, "2026-11");
	assert_int_equal(ca_period_containing("2026-11-22", 3, &p), 0);
	ca_period_name(&p, name);
	assert_string_equal(name, "2026-Q4");
	assert_int_equal(ca_period_containing("2026-02-30", 1, &p), -1);
	assert_int_equal(ca_period_containing("2026-11-22", 2, &p), -1);
	ca_period_parse("2026-10", &p);
	assert_false(ca_period_ended(&p, "2026-10-31"));
	assert_true(ca_period_ended(&p, "2026-11-01"));
	ca_period_parse("2026-Q3", &p);
	assert_false(ca_period_ended(&p, "2026-09-30"));
	assert_true(ca_period_ended(&p, "2026-10-01"));
}

static void
test_dates(void **state)
{
	char out[11];
	long z;

	(void)state;
	ca_date_add_days("2024-02-28", 1, out);
	assert_string_equal(out, "2024-02-29");
	ca_date_add_days("2025-12-31", 1, out);
	assert_string_equal(out, "2026-01-01");
	ca_date_add_days("2026-03-01", -1, out);
	assert_string_equal(out, "2026-02-28");
	ca_date_add_days("2026-11-01", 28, out);
	assert_string_equal(out, "2026-11-29");
	ca_date_add_days("not a date", 3, out);
	assert_string_equal(out, "not a date");
	ca_date_uk("2026-11-22", out);
	assert_string_equal(out, "22/11/2026");
	ca_date_uk("", out);
	assert_string_equal(out, "");
	assert_int_equal(ca_date_parse("1970-01-01", &z), 0);
	assert_int_equal(z, 0);
	assert_int_equal(ca_date_parse("2026-02-29", NULL), -1);
	assert_int_equal(ca_date_parse("2026-1-01", NULL), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_bounds_and_next),
		cmocka_unit_test(test_containing_and_ended),
		cmocka_unit_test(test_dates),
	};

	return cmocka_run_group_tests_name("period", tests, NULL, NULL);
}
