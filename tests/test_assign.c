/*
 * test_assign.c - choosing an auditor (ca_assign_pick) over thousands of
 * random rosters and cases: the choice is never the assessor, never staff
 * of the partner that did the work, never someone at their maximum; it is
 * the least loaded of those who may take the case, ties to the lowest ref;
 * and when nobody may, the reason says which rule stopped it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "assign.h"
#include "rng.h"

#define MAX_AUDITORS 12

static void
test_examples(void **state)
{
	ca_auditor a[] = {
		{ 1, "ST-01", 10, 2, 5 },   /* works for provider 10 */
		{ 2, "ST-02", 20, 3, 5 },
		{ 3, "ST-03", 30, 3, 5 },   /* ties with ST-02: ST-02 wins */
		{ 4, "ST-04", 40, 5, 5 },   /* full */
	};
	ca_assign_reason why;

	(void)state;
	assert_int_equal(ca_assign_pick(a, 4, 10, "ST-99", &why), 1);
	assert_int_equal(why, CA_ASSIGN_OK);
	/* the assessor is skipped */
	assert_int_equal(ca_assign_pick(a, 4, 10, "ST-02", &why), 2);
	assert_int_equal(ca_assign_pick(NULL, 0, 10, "ST-02", &why), -1);
	assert_int_equal(why, CA_ASSIGN_NO_AUDITORS);
	assert_int_equal(ca_assign_pick(a, 1, 10, "ST-99", &why), -1);
	assert_int_equal(why, CA_ASSIGN_NOT_INDEPENDENT);
	assert_int_equal(ca_assign_pick(a + 3, 1, 10, "ST-99", &why), -1);
	assert_int_equal(why, CA_ASSIGN_FULL);
	assert_string_equal(ca_assign_reasons[CA_ASSIGN_FULL],
	    "every independent auditor has reached their maximum of open audits");
}

static void
test_random_rosters(void **state)
{
	char refs[MAX_AUDITORS][24];  /* "ST-" and any size_t */
	ca_auditor a[MAX_AUDITORS];
	long picks = 0, refusals = 0;
	ca_rng r;

	(void)state;
	ca_rng_seed(&r, 20261122);
	for (int round = 0; round < 20000; round++) {
		size_t n = (size_t)ca_rng_below(&r, MAX_AUDITORS + 1);
		long long provider = 1 + (long long)ca_rng_below(&r, 4);
		char assessor[16];
		ca_assign_reason why;
		int pick, independent = 0;

		for (size_t i = 0; i < n; i++) {
			/* refs in byte order, as load_auditors gives them */
			snprintf(refs[i], sizeof refs[i], "ST-%02zu", i);
			a[i].id = (long long)i + 1;
			a[i].ref = refs[i];
			a[i].organisation_id = 1 + (long long)ca_rng_below(&r, 4);
			a[i].max_open = (int)ca_rng_below(&r, 4);
			a[i].open = (int)ca_rng_below(&r, 5);
		}
		snprintf(assessor, sizeof assessor, "ST-%02d", (int)ca_rng_below(&r, 16));
		pick = ca_assign_pick(a, n, provider, assessor, &why);
		for (size_t i = 0; i < n; i++)
			if (a[i].organisation_id != provider && strcmp(a[i].ref, assessor) != 0)
				independent = 1;
		if (pick < 0) {
			refusals++;
			/* nobody eligible: check the reason names the right rule */
			for (size_t i = 0; i < n; i++)
				assert_false(a[i].organisation_id != provider &&
				    strcmp(a[i].ref, assessor) != 0 && a[i].open < a[i].max_open);
			assert_int_equal(why, n == 0 ? CA_ASSIGN_NO_AUDITORS : independent ?
			    CA_ASSIGN_FULL : CA_ASSIGN_NOT_INDEPENDENT);
			continue;
		}
		picks++;
		assert_int_equal(why, CA_ASSIGN_OK);
		assert_true(a[pick].organisation_id != provider);
		assert_string_not_equal(a[pick].ref, assessor);
		assert_true(a[pick].open < a[pick].max_open);
		/* least loaded, and the lowest ref among equals */
		for (size_t i = 0; i < n; i++) {
			if (a[i].organisation_id == provider || strcmp(a[i].ref, assessor) == 0 ||
			    a[i].open >= a[i].max_open)
				continue;
			assert_true(a[i].open >= a[pick].open);
			if (a[i].open == a[pick].open)
				assert_true((int)i >= pick);
		}
	}
	/* both branches were exercised a good deal */
	assert_true(picks > 5000);
	assert_true(refusals > 1000);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_examples),
		cmocka_unit_test(test_random_rosters),
	};

	return cmocka_run_group_tests_name("assign", tests, NULL, NULL);
}
