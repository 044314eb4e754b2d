/*
 * test_trends.c - the trend figures (trends.h) on a hand-made dataset
 * whose answers are worked out below, through the C API and through
 * `caseaudit trends` as JSON, CSV and a table.
 *
 * The dataset, in a plan's monthly runs (today is 01/04/2025):
 *
 *   2025-01  Alpha Care a1..a6 (pi 0.5, 0.5, 0.5, 0.25, 0.25, 0.25: weights
 *            2, 2, 2, 4, 4, 4) and Beta Support b1..b4 (pi 0.5): ten
 *            headline audits; t1, a targeted re-audit (closed, inadequate);
 *            o1 in progress and overdue, o2 assigned and not yet due, x1
 *            cancelled; a3 and a5 submitted after their due date; one open
 *            action overdue, one not yet due, one done.
 *   2025-02  Alpha Care c1..c5, pi 1/3: five audits, shown.
 *   2025-03  Alpha Care d1..d4, pi 1: four audits, suppressed.
 *   2023     Delta Care, ten audits a month (pi 0.5), good or outstanding
 *            3, 5, 4, 5 then 6, 7, 6, 7, 6, 7, 6, 7 of ten: the last eight
 *            months above the mean, a shift the control chart must call
 *            an improvement.
 *
 * Expected figures (weighted share, Kish n_eff, Wilson 95%):
 *   2025-01 good or outstanding: weights 14 of 26 = 0.538462, n_eff
 *     26^2/76 = 8.894737, interval 0.2528 to 0.8009; unweighted 6/10.
 *   2025-01 holistic: 13 of 26 = 0.5 (unweighted 0.525), 0.2254 to 0.7746.
 *   2025-02 good or outstanding 4/5 = 0.8, equal weights, 0.3755 to 0.9638.
 *   all three months, good or outstanding: 30 of 45 = 0.666667, n_eff
 *     45^2/125 = 16.2, 0.4259 to 0.8436; grades 2, 12, 3, 2.
 *   single_issue over the range: raised 5, confirmed 2 (holistic below
 *     0.5), not confirmed 3 (0.5 exactly is not below): 0.1176 to 0.7693.
 *   beyond_presenting_issue in 2025-01: met 5, partially met 2, not met 2,
 *     not applicable 1; weighted 12 of 22 = 0.545455, n_eff 484/60,
 *     0.2476 to 0.8140; the targeted re-audit's not met left out.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"
#include "text_support.h"
#include "trends.h"

static const char *const fixture[] = {
	"INSERT INTO organisations (name) VALUES ('Council'), ('Alpha Care'),"
	" ('Beta Support'), ('Delta Care'), ('Ωmega Café');"
	"INSERT INTO staff (staff_ref, name, organisation_id, roles, max_open_audits)"
	" SELECT 'AU-1', 'Auditor One', id, '{auditor}', 1000 FROM organisations"
	" WHERE name = 'Council';"
	"INSERT INTO sampling_plans (name, form_id, assessment_types, method, size_rule,"
	" size_value, every, first_period, created_by)"
	" SELECT 'p', id, '{care_act_assessment}', 'random', 'size', 10, 'month', '2023-01',"
	" 'test' FROM forms WHERE name = 'care-act-assessment';",
	/* one run a month, with its one stratum */
	"CREATE FUNCTION pg_temp.run(per text) RETURNS bigint LANGUAGE plpgsql AS $$"
	" DECLARE r bigint; s date := to_date(per || '-01', 'YYYY-MM-DD'); BEGIN"
	"  SELECT id INTO r FROM sampling_runs WHERE period = per;"
	"  IF r IS NOT NULL THEN RETURN r; END IF;"
	"  INSERT INTO sampling_runs (plan_id, period, period_start, period_end, method,"
	"   parameters, seed, seed_source, population_size, population_sha256, sample_size,"
	"   form_version_id, run_on, created_by)"
	"  SELECT p.id, per, s, (s + interval '1 month' - interval '1 day')::date, 'random',"
	"   '{}', 1, 'given', 100, repeat('0', 64), 10, f.current_version_id,"
	"   (s + interval '1 month')::date, 'test'"
	"  FROM sampling_plans p JOIN forms f ON f.id = p.form_id WHERE p.name = 'p'"
	"  RETURNING id INTO r;"
	"  INSERT INTO sampling_run_strata (run_id, stratum, label, population, allocation,"
	"   members) VALUES (r, 0, 'all', 0, 0, '{}');"
	"  RETURN r; END $$;",
	/* an audit of a new assessment completed on `done`, with its answers,
	 * grade, domain scores (holistic, strengths, risk, carers; NULL: not
	 * applicable) and screening flags; pi NULL: a targeted re-audit */
	"CREATE FUNCTION pg_temp.audit(ref text, prov text, done date, pi float8, st text,"
	"  grade text, due date, sub date, sc float8[], flags text[],"
	"  qs text[] DEFAULT '{}', ratings text[] DEFAULT '{}') RETURNS bigint"
	" LANGUAGE plpgsql AS $$"
	" DECLARE a bigint; au bigint; r bigint := pg_temp.run(to_char(done, 'YYYY-MM'));"
	"  d text[] := '{holistic,strengths,risk,carers}'; BEGIN"
	"  INSERT INTO assessments (assessment_ref, person_ref, assessment_type, provider_id,"
	"   assessor_ref, requested_on, completed_on, summary)"
	"  SELECT ref, 'P-' || ref, 'care_act_assessment', id, 'AS-1', done - 30, done, 'x'"
	"  FROM organisations WHERE name = prov RETURNING id INTO a;"
	"  IF pi IS NULL THEN"
	"   INSERT INTO reaudit_requests (audit_id, kind, assessment_id, reason, requested_by,"
	"    requested_on, run_id, fulfilled_assessment_id)"
	"   SELECT min(id), 'case', a, 'learning', (SELECT id FROM staff), done, r, a"
	"   FROM audits;"
	"   INSERT INTO sampling_run_targeted SELECT r, a, max(id) FROM reaudit_requests;"
	"  ELSE"
	"   INSERT INTO sampling_run_members VALUES (r, a, 0, 'random', pi);"
	"  END IF;"
	"  IF st = 'cancelled' THEN"
	"   INSERT INTO audits (run_id, assessment_id, form_version_id, status, due_on,"
	"    cancel_reason) SELECT r, a, form_version_id, st, due, 'withdrawn'"
	"   FROM sampling_runs WHERE id = r RETURNING id INTO au;"
	"   RETURN au;"
	"  END IF;"
	"  INSERT INTO audits (run_id, assessment_id, form_version_id, status, auditor_id,"
	"   due_on) SELECT r, a, form_version_id,"
	"   CASE WHEN st = 'assigned' THEN 'assigned' ELSE 'in_progress' END,"
	"   (SELECT id FROM staff), due FROM sampling_runs WHERE id = r RETURNING id INTO au;"
	"  INSERT INTO answers (audit_id, form_version_id, question_id, rating, answered_by,"
	"   answered_on) SELECT au, v.form_version_id, q, rt, (SELECT id FROM staff), done"
	"   FROM unnest(qs, ratings) AS x(q, rt), sampling_runs v WHERE v.id = r;"
	"  IF st IN ('submitted', 'feedback', 'closed') THEN"
	"   UPDATE audits SET status = 'submitted', grade = audit.grade, submitted_on = sub"
	"    WHERE id = au;"
	"   IF st <> 'submitted' THEN UPDATE audits SET status = st WHERE id = au; END IF;"
	"   INSERT INTO domain_scores (audit_id, domain, questions, applicable, met,"
	"    partially_met, not_met, weight, score)"
	"   SELECT au, d[i], 1, (sc[i] IS NOT NULL)::int, 0, 0, 0, 1, sc[i]"
	"   FROM generate_series(1, 4) i;"
	"  END IF;"
	"  IF flags IS NOT NULL THEN"
	"   INSERT INTO screenings (assessment_id, rule_set_id, assessment_revision, outcomes,"
	"    outcome_count, strengths_terms, deficit_terms, flags, matches)"
	"   SELECT a, max(id), 1, '{}', 0, 0, 0, flags, '[]' FROM screening_rule_sets;"
	"  END IF;"
	"  RETURN au; END $$;",
	/* 2025-01: due 01/03/2025 */
	"SELECT pg_temp.audit('a1', 'Alpha Care', '2025-01-15', 0.5, 'closed', 'good',"
	"  '2025-03-01', '2025-02-20', '{0.25,0.8,1,NULL}', '{single_issue}',"
	"  '{beyond_presenting_issue,eligibility_outcomes_considered}', '{met,met}');"
	"SELECT pg_temp.audit('a2', 'Alpha Care', '2025-01-15', 0.5, 'closed', 'outstanding',"
	"  '2025-03-01', '2025-02-21', '{0.75,1,1,NULL}', '{single_issue}',"
	"  '{beyond_presenting_issue,eligibility_outcomes_considered}', '{met,met}');"
	"SELECT pg_temp.audit('a3', 'Alpha Care', '2025-01-15', 0.5, 'submitted',"
	"  'requires_improvement', '2025-03-01', '2025-03-05', '{0.5,0.5,0.5,NULL}',"
	"  '{carer_without_offer}',"
	"  '{beyond_presenting_issue,eligibility_outcomes_considered}', '{partially_met,met}');"
	"SELECT pg_temp.audit('a4', 'Alpha Care', '2025-01-15', 0.25, 'closed', 'good',"
	"  '2025-03-01', '2025-02-25', '{0.75,0.4,NULL,NULL}',"
	"  '{deficit_language,no_person_voice}',"
	"  '{beyond_presenting_issue,eligibility_outcomes_considered}', '{not_met,met}');"
	"SELECT pg_temp.audit('a5', 'Alpha Care', '2025-01-15', 0.25, 'feedback', 'inadequate',"
	"  '2025-03-01', '2025-03-10', '{0,0,0,0.5}', '{safeguarding_concern,personal_data}',"
	"  '{beyond_presenting_issue}', '{not_applicable}');"
	"SELECT pg_temp.audit('a6', 'Alpha Care', '2025-01-15', 0.25, 'closed',"
	"  'requires_improvement', '2025-03-01', '2025-02-28', '{0.5,0.6,NULL,NULL}', NULL,"
	"  '{beyond_presenting_issue}', '{met}');",
	"SELECT pg_temp.audit('b1', 'Beta Support', '2025-01-20', 0.5, 'closed', 'good',"
	"  '2025-03-01', '2025-02-01', '{0.5,1,1,NULL}', '{single_issue}',"
	"  '{beyond_presenting_issue}', '{met}');"
	"SELECT pg_temp.audit('b2', 'Beta Support', '2025-01-20', 0.5, 'closed', 'good',"
	"  '2025-03-01', '2025-02-01', '{1,1,1,NULL}', '{}',"
	"  '{beyond_presenting_issue}', '{partially_met}');"
	"SELECT pg_temp.audit('b3', 'Beta Support', '2025-01-20', 0.5, 'closed', 'good',"
	"  '2025-03-01', '2025-02-01', '{1,0.8,NULL,NULL}', NULL,"
	"  '{beyond_presenting_issue}', '{met}');"
	"SELECT pg_temp.audit('b4', 'Beta Support', '2025-01-20', 0.5, 'closed', 'inadequate',"
	"  '2025-03-01', '2025-02-01', '{0,0.2,0,NULL}', NULL,"
	"  '{beyond_presenting_issue}', '{not_met}');"
	"SELECT pg_temp.audit('t1', 'Alpha Care', '2025-01-25', NULL, 'closed', 'inadequate',"
	"  '2025-03-01', '2025-02-01', '{0,0,0,0}', '{single_issue}',"
	"  '{beyond_presenting_issue}', '{not_met}');"
	"SELECT pg_temp.audit('o1', 'Alpha Care', '2025-01-25', 0.5, 'in_progress', NULL,"
	"  '2025-03-01', NULL, NULL, '{single_issue}');"
	"SELECT pg_temp.audit('o2', 'Beta Support', '2025-01-25', 0.5, 'assigned', NULL,"
	"  '2025-05-01', NULL, NULL, NULL);"
	"SELECT pg_temp.audit('x1', 'Alpha Care', '2025-01-25', 0.5, 'cancelled', NULL,"
	"  '2025-03-01', NULL, NULL, '{single_issue}');",
	"INSERT INTO actions (audit_id, owner_organisation_id, text, due_on, status,"
	" created_by, created_on, done_by, done_on)"
	" SELECT au.id, a.provider_id, 'act', x.due, x.st, s.id, '2025-02-20',"
	"  CASE WHEN x.st = 'done' THEN s.id END, CASE WHEN x.st = 'done' THEN x.due END"
	" FROM (VALUES ('a1', '2025-03-15'::date, 'open'), ('a2', '2025-05-01', 'open'),"
	"  ('a4', '2025-03-01', 'done')) x(ref, due, st)"
	" JOIN assessments a ON a.assessment_ref = x.ref"
	" JOIN audits au ON au.assessment_id = a.id CROSS JOIN staff s;"
	/* 2025-02 */
	"SELECT pg_temp.audit('c' || i, 'Alpha Care', '2025-02-10', 1.0 / 3, 'closed',"
	"  (ARRAY['good', 'good', 'outstanding', 'requires_improvement', 'good'])[i],"
	"  '2025-04-15', '2025-03-20', ARRAY[(ARRAY[0.2, 1, 0.8, 0.6, 0.4])[i], NULL, NULL,"
	"  NULL], CASE WHEN i <= 2 THEN '{single_issue}'::text[] END)"
	" FROM generate_series(1, 5) i;"
	/* 2025-03 */
	"SELECT pg_temp.audit('d' || i, 'Alpha Care', '2025-03-05', 1, 'closed', 'good',"
	"  '2025-05-15', '2025-04-20', '{1,NULL,NULL,NULL}', NULL)"
	" FROM generate_series(1, 4) i;",
	/* 2023: Delta Care's control chart */
	"SELECT pg_temp.audit('z' || m || '-' || i, 'Delta Care',"
	"  make_date(2023, m, 10), 0.5, 'closed',"
	"  CASE WHEN i <= (ARRAY[3, 5, 4, 5, 6, 7, 6, 7, 6, 7, 6, 7])[m] THEN 'good'"
	"   ELSE 'requires_improvement' END,"
	"  make_date(2023, m, 28) + 30, make_date(2023, m, 28) + 20,"
	"  ARRAY[CASE WHEN i <= (ARRAY[3, 5, 4, 5, 6, 7, 6, 7, 6, 7, 6, 7])[m] THEN 1"
	"   ELSE 0.5 END, NULL, NULL, NULL], NULL)"
	" FROM generate_series(1, 12) m, generate_series(1, 10) i;"
};

static int
setup(void **state)
{
	if (test_group_setup(state) != 0)
		return -1;
	return test_fixture_load(fixture, sizeof fixture / sizeof fixture[0]);
}

/* ---- through the C API -------------------------------------------------- */

static ca_trends *
load(const char *from, const char *to, const char *provider, int questions)
{
	ca_trends_query q = { .from = from, .to = to, .provider = provider,
	    .today = "2025-04-01", .questions = questions };
	ca_err err = { 0 };
	ca_trends *t = NULL;
	int rc = ca_trends_load(test_group.conn, &q, &t, &err);

	if (rc != 0)
		fail_msg("ca_trends_load: %d %s", rc, err.msg);
	return t;
}

static void
test_api_groups(void **state)
{
	ca_trends *t = load("2025-01", "2025-03", NULL, 0);
	const ca_trends_group *jan, *feb, *mar;

	(void)state;
	assert_int_equal(t->nperiods, 3);
	assert_false(t->empty);
	assert_string_equal(t->from_name, "2025-01");
	assert_string_equal(t->to_name, "2025-03");
	assert_string_equal(t->today, "2025-04-01");
	jan = &t->periods[0];
	feb = &t->periods[1];
	mar = &t->periods[2];
	assert_string_equal(jan->name, "2025-01");
	assert_string_equal(mar->name, "2025-03");

	/* January: ten headline audits, the targeted one apart, weighted */
	assert_false(jan->suppressed);
	assert_int_equal(jan->audits, 10);
	assert_int_equal(jan->targeted, 1);
	assert_int_equal(jan->grades[0], 1);
	assert_int_equal(jan->grades[1], 5);
	assert_int_equal(jan->grades[2], 2);
	assert_int_equal(jan->grades[3], 2);
	assert_int_equal(jan->good.n, 10);
	TEST_NEAR(jan->good.share, 14.0 / 26);
	TEST_NEAR(jan->good.raw, 0.6);
	TEST_NEAR(jan->good.n_eff, 26.0 * 26 / 76);
	TEST_NEAR(jan->good.lo, 0.2528);
	TEST_NEAR(jan->good.hi, 0.8009);
	TEST_NEAR(jan->domain[0].share, 0.5);
	TEST_NEAR(jan->domain[0].raw, 0.525);
	TEST_NEAR(jan->domain[0].lo, 0.2254);
	TEST_NEAR(jan->domain[0].hi, 0.7746);
	/* risk: three audits where it did not apply */
	assert_int_equal(jan->domain[2].n, 7);
	TEST_NEAR(jan->domain[2].share, 0.5625);
	TEST_NEAR(jan->domain[2].lo, 0.2343);
	TEST_NEAR(jan->domain[2].hi, 0.8438);
	/* carers applied to one audit: withheld inside a group shown */
	assert_true(jan->domain[3].suppressed);
	assert_int_equal(jan->domain[3].n, 0);
	assert_true(isnan(jan->domain[3].share));
	/* outcomes: no score anywhere, nothing to measure, not suppressed */
	assert_false(jan->domain[4].suppressed);
	assert_int_equal(jan->domain[4].n, 0);
	assert_true(isnan(jan->domain[4].share));

	/* January's flags: 7 raised on headline audits (personal_data and the
	 * targeted and open audits' not counted), 4 confirmed, 2 not, 1
	 * carer flag where the domain did not apply; single_issue on three
	 * audits only is withheld */
	assert_false(jan->flags.suppressed);
	assert_int_equal(jan->flags.raised, 7);
	assert_int_equal(jan->flags.confirmed, 4);
	assert_int_equal(jan->flags.not_confirmed, 2);
	assert_int_equal(jan->flags.not_applicable, 1);
	TEST_NEAR(jan->flags.lo, 0.3000);
	TEST_NEAR(jan->flags.hi, 0.9032);
	assert_true(jan->flag[0].suppressed);
	assert_int_equal(jan->flag[0].raised, 0);

	/* the work: o1 overdue, o2 not yet due, x1 cancelled and gone; a3 and
	 * a5 late; one open action overdue */
	assert_false(jan->work.suppressed);
	assert_int_equal(jan->work.audits, 13);
	assert_int_equal(jan->work.open, 2);
	assert_int_equal(jan->work.overdue, 1);
	assert_int_equal(jan->work.late, 2);
	assert_int_equal(jan->work.actions_overdue, 1);

	/* February: five audits is enough; equal weights give the plain share */
	assert_false(feb->suppressed);
	assert_int_equal(feb->audits, 5);
	TEST_NEAR(feb->good.share, 0.8);
	TEST_NEAR(feb->good.raw, 0.8);
	TEST_NEAR(feb->good.n_eff, 5);
	TEST_NEAR(feb->good.lo, 0.3755);
	TEST_NEAR(feb->good.hi, 0.9638);
	TEST_NEAR(feb->domain[0].share, 0.6);

	/* March: four audits, everything withheld */
	assert_true(mar->suppressed);
	assert_int_equal(mar->audits, 0);
	assert_int_equal(mar->grades[1], 0);
	assert_true(mar->good.suppressed);
	assert_true(isnan(mar->good.share));
	assert_true(isnan(mar->good.lo));
	assert_true(mar->domain[0].suppressed);
	assert_true(mar->work.suppressed);
	assert_int_equal(mar->work.audits, 0);

	/* the whole range */
	assert_int_equal(t->all.audits, 19);
	assert_int_equal(t->all.targeted, 1);
	assert_int_equal(t->all.grades[0], 2);
	assert_int_equal(t->all.grades[1], 12);
	assert_int_equal(t->all.grades[2], 3);
	assert_int_equal(t->all.grades[3], 2);
	TEST_NEAR(t->all.good.share, 30.0 / 45);
	TEST_NEAR(t->all.good.raw, 14.0 / 19);
	TEST_NEAR(t->all.good.n_eff, 16.2);
	TEST_NEAR(t->all.good.lo, 0.4259);
	TEST_NEAR(t->all.good.hi, 0.8436);
	/* single_issue over the range: a1, a2, b1 (0.5: not below), c1, c2 */
	assert_false(t->all.flag[0].suppressed);
	assert_int_equal(t->all.flag[0].raised, 5);
	assert_int_equal(t->all.flag[0].confirmed, 2);
	assert_int_equal(t->all.flag[0].not_confirmed, 3);
	TEST_NEAR(t->all.flag[0].share, 0.4);
	TEST_NEAR(t->all.flag[0].lo, 0.1176);
	TEST_NEAR(t->all.flag[0].hi, 0.7693);
	assert_int_equal(t->all.work.overdue, 1);
	assert_int_equal(t->all.work.late, 2);

	/* providers: Alpha Care shown, Beta Support's four audits withheld
	 * but its work (five audits drawn) shown */
	assert_int_equal(t->nproviders, 2);
	assert_string_equal(t->providers[0].name, "Alpha Care");
	assert_int_equal(t->providers[0].audits, 15);
	assert_int_equal(t->providers[0].targeted, 1);
	TEST_NEAR(t->providers[0].good.share, 0.648649);
	assert_string_equal(t->providers[1].name, "Beta Support");
	assert_true(t->providers[1].suppressed);
	assert_int_equal(t->providers[1].audits, 0);
	assert_true(t->providers[1].good.suppressed);
	assert_false(t->providers[1].work.suppressed);
	assert_int_equal(t->providers[1].work.audits, 5);
	assert_int_equal(t->providers[1].work.open, 1);
	assert_int_equal(t->providers[1].work.overdue, 0);

	/* two periods shown: charted, but no signal from two points */
	assert_true(t->series[CA_TRENDS_SERIES_GOOD].charted);
	assert_int_equal(t->series[CA_TRENDS_SERIES_GOOD].n, 2);
	assert_int_equal(t->series[CA_TRENDS_SERIES_GOOD].period[1], 1);
	assert_int_equal(jan->good.signal, CA_XMR_COMMON);
	assert_int_equal(t->nquestions, 0);
	ca_trends_free(t);
}

static void
test_api_provider_and_questions(void **state)
{
	ca_trends *t = load("2025-01", "2025-03", "Alpha Care", 1);
	const ca_trends_question *q = NULL, *q2 = NULL;

	(void)state;
	assert_string_equal(t->provider, "Alpha Care");
	assert_int_equal(t->nproviders, 1);
	assert_int_equal(t->all.audits, 15);
	assert_int_equal(t->periods[0].audits, 6);
	TEST_NEAR(t->periods[0].good.share, 8.0 / 18);
	TEST_NEAR(t->periods[0].good.n_eff, 5.4);
	TEST_NEAR(t->periods[0].good.lo, 0.1463);
	TEST_NEAR(t->periods[0].good.hi, 0.7887);
	ca_trends_free(t);

	t = load("2025-01", "2025-01", NULL, 1);
	for (size_t i = 0; i < t->nquestions; i++) {
		if (strcmp(t->questions[i].id, "beyond_presenting_issue") == 0)
			q = &t->questions[i];
		if (strcmp(t->questions[i].id, "eligibility_outcomes_considered") == 0)
			q2 = &t->questions[i];
	}
	assert_int_equal(t->nquestions, 2);
	assert_non_null(q);
	assert_string_equal(q->form, "care-act-assessment");
	assert_int_equal(q->domain, 0);
	assert_true(strlen(q->text) > 20);
	assert_false(q->share.suppressed);
	assert_int_equal(q->met, 5);
	assert_int_equal(q->partially_met, 2);
	assert_int_equal(q->not_met, 2);
	assert_int_equal(q->not_applicable, 1);
	assert_int_equal(q->share.n, 9);
	TEST_NEAR(q->share.share, 12.0 / 22);
	TEST_NEAR(q->share.raw, 5.0 / 9);
	TEST_NEAR(q->share.n_eff, 484.0 / 60);
	TEST_NEAR(q->share.lo, 0.2476);
	TEST_NEAR(q->share.hi, 0.8140);
	/* answered in four audits: withheld */
	assert_non_null(q2);
	assert_true(q2->share.suppressed);
	assert_int_equal(q2->met, 0);
	assert_true(isnan(q2->share.share));
	assert_true(q < q2);    /* in the checklist's order */
	ca_trends_free(t);
}

static void
test_api_control_chart(void **state)
{
	ca_trends *t = load("2023-01", "2023-12", "Delta Care", 0);
	const ca_trends_series *s = &t->series[CA_TRENDS_SERIES_GOOD];

	(void)state;
	assert_int_equal(t->nperiods, 12);
	assert_true(s->charted);
	assert_int_equal(s->n, 12);
	assert_int_equal(s->direction, CA_XMR_HIGHER_BETTER);
	TEST_NEAR(s->chart.mean, 6.9 / 12);
	for (size_t i = 0; i < 12; i++) {
		/* eight months in a row above the mean: a shift, an improvement */
		assert_int_equal(t->periods[i].good.signal,
		    i >= 4 ? CA_XMR_IMPROVEMENT : CA_XMR_COMMON);
		assert_int_equal(t->periods[i].domain[0].signal,
		    i >= 4 ? CA_XMR_IMPROVEMENT : CA_XMR_COMMON);
		assert_int_equal(s->point[i].kind, t->periods[i].good.signal);
	}
	assert_string_equal(ca_trends_signal_name(CA_XMR_IMPROVEMENT), "improvement");
	assert_null(ca_trends_signal_name(CA_XMR_COMMON));
	/* no work overdue or late: a flat series, charted, no signal */
	assert_true(t->series[CA_TRENDS_SERIES_OVERDUE].charted);
	assert_int_equal(t->series[CA_TRENDS_SERIES_OVERDUE].direction, CA_XMR_LOWER_BETTER);
	assert_int_equal(t->periods[11].work.signal, CA_XMR_COMMON);
	ca_trends_free(t);
}

static void
test_api_ranges(void **state)
{
	ca_trends_query q = { 0 };
	ca_err err = { 0 };
	ca_trends *t;

	(void)state;
	/* the default: twelve months ending with the latest audited month */
	q.today = "2025-04-01";
	assert_int_equal(ca_trends_load(test_group.conn, &q, &t, &err), 0);
	assert_string_equal(t->from_name, "2024-04");
	assert_string_equal(t->to_name, "2025-03");
	assert_int_equal(t->nperiods, 12);
	assert_int_equal(t->all.audits, 19);
	ca_trends_free(t);

	/* only to: twelve months ending there; quarters: four */
	q.to = "2023-12";
	assert_int_equal(ca_trends_load(test_group.conn, &q, &t, &err), 0);
	assert_string_equal(t->from_name, "2023-01");
	assert_int_equal(t->all.audits, 120);
	ca_trends_free(t);
	q.to = "2025-Q1";
	assert_int_equal(ca_trends_load(test_group.conn, &q, &t, &err), 0);
	assert_string_equal(t->from_name, "2024-Q2");
	assert_int_equal(t->nperiods, 4);
	assert_int_equal(t->periods[3].audits, 19);
	TEST_NEAR(t->periods[3].good.share, 30.0 / 45);
	ca_trends_free(t);

	/* only from: up to the latest audited period */
	q.to = NULL;
	q.from = "2024-Q4";
	assert_int_equal(ca_trends_load(test_group.conn, &q, &t, &err), 0);
	assert_string_equal(t->to_name, "2025-Q1");
	ca_trends_free(t);

	/* a provider with nothing: empty, no division by zero */
	q.from = NULL;
	q.provider = "Ωmega Café";
	assert_int_equal(ca_trends_load(test_group.conn, &q, &t, &err), 0);
	assert_true(t->empty);
	assert_string_equal(t->to_name, "2025-04");    /* today's month */
	assert_int_equal(t->all.audits, 0);
	assert_true(isnan(t->all.good.share));
	assert_false(t->all.suppressed);
	assert_false(t->series[CA_TRENDS_SERIES_GOOD].charted);
	assert_int_equal(t->nproviders, 0);
	ca_trends_free(t);

	/* refusals leave *out NULL */
	q.provider = "Nobody";
	t = (ca_trends *)&q;
	assert_int_equal(ca_trends_load(test_group.conn, &q, &t, &err), 65);
	assert_null(t);
	assert_non_null(strstr(err.msg, "no partner organisation is called 'Nobody'"));
	q.provider = NULL;
	q.from = "2025-01";
	q.to = "2025-Q1";
	assert_int_equal(ca_trends_load(test_group.conn, &q, &t, &err), 64);
	q.to = "2024-12";
	assert_int_equal(ca_trends_load(test_group.conn, &q, &t, &err), 64);
	assert_non_null(strstr(err.msg, "after"));
	q.from = "1900-01";
	q.to = "2025-01";
	assert_int_equal(ca_trends_load(test_group.conn, &q, &t, &err), 64);
	q.from = "2025-00";
	assert_int_equal(ca_trends_load(test_group.conn, &q, &t, &err), 64);
	q.from = NULL;
	q.to = NULL;
	q.today = "2025-02-30";
	assert_int_equal(ca_trends_load(test_group.conn, &q, &t, &err), 64);
	assert_null(t);
	/* the connection is fine afterwards, outside any transaction */
	assert_int_equal(PQtransactionStatus(test_group.conn), PQTRANS_IDLE);

	/* inside the caller's transaction: its work stays, nothing of ours
	 * does, and a refusal does not spoil the transaction */
	test_db_exec(test_group.conn, "BEGIN; CREATE TEMPORARY TABLE mine (x int)");
	q.today = "2025-04-01";
	q.from = "2025-01";
	q.to = "2025-03";
	assert_int_equal(ca_trends_load(test_group.conn, &q, &t, &err), 0);
	assert_int_equal(t->all.audits, 19);
	ca_trends_free(t);
	q.provider = "Nobody";
	assert_int_equal(ca_trends_load(test_group.conn, &q, &t, &err), 65);
	assert_int_equal(PQtransactionStatus(test_group.conn), PQTRANS_INTRANS);
	assert_int_equal(test_db_count(test_group.conn,
	    "SELECT count(*) FROM pg_class WHERE relname IN ('mine', 'ca_trends_base')"
	    " AND relpersistence = 't'"), 1);
	test_db_exec(test_group.conn, "ROLLBACK");
}

/* ---- through the command line ------------------------------------------- */

static void
test_cli_json(void **state)
{
	const char *jan = "\"period\": \"2025-01\"", *mar = "\"period\": \"2025-03\"";
	test_run r;

	(void)state;
	assert_int_equal(test_cli(&r, "trends", "--by", "period", "--from", "2025-01", "--to",
	    "2025-03", "--today", "2025-04-01", "--format", "json", NULL), 0);
	assert_non_null(strstr(r.out, "{\"by\": \"period\", \"from\": \"2025-01\", \"to\": "
	    "\"2025-03\", \"provider\": null, \"today\": \"2025-04-01\", \"confidence\": 0.95,"));
	TEST_NEAR(test_json_num(r.out, jan, "audits"), 10);
	TEST_NEAR(test_json_num(r.out, jan, "targeted"), 1);
	TEST_NEAR(test_json_num(r.out, jan, "good_or_outstanding"), 14.0 / 26);
	TEST_NEAR(test_json_num(r.out, jan, "good_or_outstanding_lo"), 0.2528);
	TEST_NEAR(test_json_num(r.out, jan, "good_or_outstanding_hi"), 0.8009);
	TEST_NEAR(test_json_num(r.out, jan, "good_or_outstanding_raw"), 0.6);
	TEST_NEAR(test_json_num(r.out, jan, "good_or_outstanding_n"), 10);
	TEST_NEAR(test_json_num(r.out, jan, "holistic"), 0.5);
	TEST_NEAR(test_json_num(r.out, jan, "overdue"), 1);
	TEST_NEAR(test_json_num(r.out, jan, "late"), 2);
	TEST_NEAR(test_json_num(r.out, jan, "actions_overdue"), 1);
	TEST_NEAR(test_json_num(r.out, jan, "flags_confirmed"), 4);
	assert_true(isnan(test_json_num(r.out, jan, "carers")));
	assert_true(isnan(test_json_num(r.out, jan, "single_issue_raised")));
	/* March: suppressed, nulls and a flag */
	assert_true(isnan(test_json_num(r.out, mar, "audits")));
	assert_true(isnan(test_json_num(r.out, mar, "good_or_outstanding")));
	assert_true(isnan(test_json_num(r.out, mar, "good_or_outstanding_lo")));
	assert_non_null(strstr(strstr(r.out, mar), "\"suppressed\": true"));
	assert_non_null(strstr(r.out, "\"period\": \"all\", \"total\": true, \"suppressed\": "
	    "false, \"audits\": 19, \"targeted\": 1, \"outstanding\": 2, \"good\": 12,"));
	test_run_free(&r);

	/* by provider: Beta Support suppressed, its work shown */
	assert_int_equal(test_cli(&r, "trends", "--by", "provider", "--from", "2025-01", "--to",
	    "2025-03", "--today", "2025-04-01", "--format", "json", NULL), 0);
	assert_true(isnan(test_json_num(r.out, "\"provider\": \"Beta Support\"", "audits")));
	TEST_NEAR(test_json_num(r.out, "\"provider\": \"Beta Support\"", "audits_drawn"), 5);
	TEST_NEAR(test_json_num(r.out, "\"provider\": \"Alpha Care\"", "good_or_outstanding"),
	    0.648649);
	assert_null(strstr(r.out, "_signal"));
	test_run_free(&r);

	/* by question */
	assert_int_equal(test_cli(&r, "trends", "--by", "question", "--from", "2025-01", "--to",
	    "2025-01", "--format", "json", NULL), 0);
	TEST_NEAR(test_json_num(r.out, "\"question\": \"beyond_presenting_issue\"", "share_met"),
	    12.0 / 22);
	TEST_NEAR(test_json_num(r.out, "\"question\": \"beyond_presenting_issue\"", "partially_met"), 2);
	TEST_NEAR(test_json_num(r.out, "\"question\": \"beyond_presenting_issue\"", "not_applicable"),
	    1);
	assert_true(isnan(test_json_num(r.out, "\"question\": \"eligibility_outcomes_considered\"",
	    "met")));
	test_run_free(&r);

	/* by domain, with the control chart's signal */
	assert_int_equal(test_cli(&r, "trends", "--by", "domain", "--from", "2023-01", "--to",
	    "2023-12", "--provider", "Delta Care", "--format", "json", NULL), 0);
	assert_non_null(strstr(r.out, "\"domain\": \"holistic\", \"period\": \"2023-12\", "
	    "\"total\": false, \"share_met\": 0.85,"));
	assert_non_null(strstr(r.out, "\"share_met_signal\": \"improvement\""));
	test_run_free(&r);
}

static void
test_cli_csv(void **state)
{
	test_run r;
	char line[8192];

	(void)state;
	assert_int_equal(test_cli(&r, "trends", "--from", "2025-02", "--to", "2025-03", "--today",
	    "2025-04-01", "--format", "csv", NULL), 0);
	test_starts(r.out, "period,total,suppressed,audits,targeted,outstanding,"
	    "good,requires_improvement,inadequate,good_or_outstanding,good_or_outstanding_lo,"
	    "good_or_outstanding_hi,good_or_outstanding_raw,good_or_outstanding_n,"
	    "good_or_outstanding_n_eff,good_or_outstanding_suppressed,"
	    "good_or_outstanding_signal,holistic,");
	assert_non_null(test_line_of(r.out, "2025-02,no,no,5,0,1,3,1,0,0.8,0.375", line,
	    sizeof line));
	/* suppressed: empty fields */
	assert_non_null(test_line_of(r.out, "2025-03,no,yes,,,,,,,,,,,,,yes,", line, sizeof line));
	test_run_free(&r);

	/* no questions in a range: the header alone */
	assert_int_equal(test_cli(&r, "trends", "--by", "question", "--from", "2020-01", "--to",
	    "2020-01", "--format", "csv", NULL), 0);
	test_starts(r.out, "form,question,domain,text,met,");
	assert_null(strchr(strchr(r.out, '\n') + 1, '\n'));
	test_run_free(&r);
}

static void
test_cli_table(void **state)
{
	test_run r;
	char line[4096];

	(void)state;
	assert_int_equal(test_cli(&r, "trends", "--from", "2025-01", "--to", "2025-03", "--today",
	    "2025-04-01", NULL), 0);
	assert_non_null(strstr(r.out, "Audits of assessments completed 2025-01 to 2025-03, "
	    "all partner organisations"));
	test_line_of(r.out, "PERIOD", line, sizeof line);
	assert_non_null(strstr(line, "GOOD OR OUTSTANDING"));
	assert_non_null(strstr(line, "SIGNAL"));
	test_line_of(r.out, "2025-01", line, sizeof line);
	assert_non_null(strstr(line, " 10 "));
	assert_non_null(strstr(line, "54% (25–80%)"));
	assert_non_null(strstr(line, "4 of 6"));
	test_line_of(r.out, "2025-02", line, sizeof line);
	assert_non_null(strstr(line, "80% (38–96%)"));
	test_line_of(r.out, "2025-03", line, sizeof line);
	assert_non_null(strstr(line, "<5"));
	assert_non_null(strstr(line, "suppressed"));
	assert_null(strstr(line, "%"));
	test_line_of(r.out, "All periods", line, sizeof line);
	assert_non_null(strstr(line, "67% (43–84%)"));
	assert_non_null(strstr(r.out, "Wilson 95% confidence intervals"));
	assert_non_null(strstr(r.out, "fewer than five audits are suppressed"));
	assert_non_null(strstr(r.out, "due before 01/04/2025"));
	test_run_free(&r);

	/* the control chart's verdict, per period */
	assert_int_equal(test_cli(&r, "trends", "--from", "2023-01", "--to", "2023-12",
	    "--provider", "Delta Care", NULL), 0);
	test_line_of(r.out, "2023-04", line, sizeof line);
	assert_non_null(strstr(line, "50% (24–76%)"));
	assert_non_null(strstr(line, "—"));
	assert_null(strstr(line, "improvement"));
	test_line_of(r.out, "2023-05", line, sizeof line);
	assert_non_null(strstr(line, "improvement"));
	test_line_of(r.out, "2023-12", line, sizeof line);
	assert_non_null(strstr(line, "improvement"));
	test_run_free(&r);

	/* by domain and question */
	assert_int_equal(test_cli(&r, "trends", "--by", "domain", "--from", "2025-01", "--to",
	    "2025-03", NULL), 0);
	test_line_with(r.out, "holistic needs ", " 2025-01 ", line, sizeof line);
	assert_non_null(strstr(line, "50% (23–77%)"));
	test_line_with(r.out, "carers ", "All periods", line, sizeof line);
	assert_non_null(strstr(line, "suppressed"));
	test_line_with(r.out, "outcomes and plan ", " 2025-02 ", line, sizeof line);
	assert_non_null(strstr(line, "—"));
	test_run_free(&r);
	assert_int_equal(test_cli(&r, "trends", "--by", "question", "--from", "2025-01", "--to",
	    "2025-01", NULL), 0);
	test_line_with(r.out, "care-act-assessment ", " beyond_presenting_issue ", line, sizeof line);
	assert_non_null(strstr(line, "55% (25–81%)"));
	test_line_with(r.out, "care-act-assessment ", " eligibility_outcomes_considered ", line,
	    sizeof line);
	assert_non_null(strstr(line, "<5"));
	test_run_free(&r);

	/* by provider */
	assert_int_equal(test_cli(&r, "trends", "--by", "provider", "--from", "2025-01", "--to",
	    "2025-03", "--today", "2025-04-01", NULL), 0);
	test_line_of(r.out, "Beta Support", line, sizeof line);
	assert_non_null(strstr(line, "<5"));
	assert_non_null(strstr(line, "suppressed"));
	test_line_of(r.out, "All partners", line, sizeof line);
	test_run_free(&r);
}

static void
test_cli_empty_and_errors(void **state)
{
	test_run r;

	(void)state;
	assert_int_equal(test_cli(&r, "trends", "--from", "2020-01", "--to", "2020-06", NULL), 0);
	assert_non_null(strstr(r.out, "No submitted audits in this range: nothing to show "
	    "yet."));
	test_run_free(&r);
	assert_int_equal(test_cli(&r, "trends", "--provider", "Ωmega Café", "--format", "json",
	    NULL), 0);
	assert_non_null(strstr(r.out, "\"provider\": \"Ωmega Café\""));
	assert_non_null(strstr(r.out, "\"empty\": true"));
	test_run_free(&r);

	assert_int_equal(test_cli(&r, "trends", "--provider", "Nobody'; DROP TABLE audits; --",
	    NULL), 65);
	assert_non_null(strstr(r.err, "no partner organisation is called"));
	test_run_free(&r);
	assert_int_equal(test_db_count(test_group.conn, "SELECT count(*) FROM audits") > 100,
	    1);
	assert_int_equal(test_cli(&r, "trends", "--provider", "\xff\xfe", NULL), 65);
	assert_non_null(strstr(r.err, "not UTF-8"));
	test_run_free(&r);
	{
		char *huge = malloc(100001);

		memset(huge, 'x', 100000);
		huge[100000] = '\0';
		assert_int_equal(test_cli(&r, "trends", "--provider", huge, NULL), 65);
		assert_true(strlen(r.err) < 2000);
		test_run_free(&r);
		free(huge);
	}
	assert_int_equal(test_cli(&r, "trends", "--from", "2025-01'; DROP TABLE audits; --", NULL),
	    64);
	test_run_free(&r);
	assert_int_equal(test_cli(&r, "trends", "--by", "banana", NULL), 64);
	assert_non_null(strstr(r.err, "--by is period, provider, domain or question"));
	test_run_free(&r);
	assert_int_equal(test_cli(&r, "trends", "--from", "2025-13", NULL), 64);
	assert_non_null(strstr(r.err, "--from must be a month"));
	assert_non_null(strstr(r.err, "caseaudit trends --help"));
	test_run_free(&r);
	assert_int_equal(test_cli(&r, "trends", "--from", "2025-01", "--to", "2025-Q2", NULL), 64);
	test_run_free(&r);
	{
		/* a mistyped period is told before the database is needed */
		const char *env[] = { "PGPORT=1", NULL };
		const char *bad[] = { "caseaudit", "trends", "--to", "2025-Q5", NULL };
		const char *good[] = { "caseaudit", "trends", NULL };

		assert_int_equal(test_run_cli(&r, NULL, env, bad), 0);
		assert_int_equal(r.status, 64);
		test_run_free(&r);
		assert_int_equal(test_run_cli(&r, NULL, env, good), 0);
		assert_int_equal(r.status, 69);
		test_run_free(&r);
	}
	assert_int_equal(test_cli(&r, "trends", "--from", "2025-03", "--to", "2025-01", NULL), 64);
	test_run_free(&r);
	assert_int_equal(test_cli(&r, "trends", "--today", "yesterday", NULL), 64);
	test_run_free(&r);
	assert_int_equal(test_cli(&r, "trends", "--format", "xml", NULL), 64);
	test_run_free(&r);
	assert_int_equal(test_cli(&r, "trends", "surplus", NULL), 64);
	test_run_free(&r);
	assert_int_equal(test_cli(&r, "trends", "--help", NULL), 0);
	assert_non_null(strstr(r.out, "usage: caseaudit trends"));
	test_run_free(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_api_groups),
		cmocka_unit_test(test_api_provider_and_questions),
		cmocka_unit_test(test_api_control_chart),
		cmocka_unit_test(test_api_ranges),
		cmocka_unit_test(test_cli_json),
		cmocka_unit_test(test_cli_csv),
		cmocka_unit_test(test_cli_table),
		cmocka_unit_test(test_cli_empty_and_errors),
	};

	return cmocka_run_group_tests_name("trends", tests, setup, test_group_teardown);
}
