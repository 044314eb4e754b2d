/*
 * test_trends_extra.c - the board report's figures that trends.h adds to
 * the audit series: equity groups, waits, recurring themes, the partner
 * funnel, and actions and escalations, on a hand-made dataset whose
 * answers are worked out below, through the C API and through `caseaudit
 * trends` as JSON, CSV and tables.  Today is 10/04/2025 throughout.
 *
 * The audits, one monthly run each (2025-01, -02, -03), all closed:
 *
 *   North Care  n1..n20 (n1-7 January, n8-14 February, n15-20 March), pi 1,
 *               all good, holistic 1, aged 85+, White British; support
 *               reason learning disability for n1-5, physical for the rest;
 *               single_issue flagged on n1-5.
 *   South Care  s1..s20, months as North, requires improvement, holistic
 *               0.5; aged 65-74 for s1-4, 85+ after; White British; mental
 *               health support for s1-8, physical after; single_issue on
 *               s1-5.
 *   East Care   e1..e10 (e1-3 January, e4-6 February, e7-10 March), e1
 *               good (holistic 1), the rest inadequate (0); aged 18-64 for
 *               e1-5, 85+ after; White British e1-4, Asian or Asian British
 *               e5-10; physical support; single_issue on e2-6.
 *   West Care   w1..w10, months as East, pi 0.5 (weight 2); w1-4
 *               outstanding (holistic 1), the rest requires improvement
 *               (0.5); carers 1 for w1-3, 0 after; age band and support
 *               reason not recorded; ethnicity "  " for w1-2 and missing for
 *               w3-7 (both not recorded), White British for w8-10.
 *   Tiny Care   t1..t3 in March, good, holistic 1; 75-84 for t1, 85+ after;
 *               Black or Black British; support reason not recorded.
 *
 * Equity (weights 1 unless West's 2; Wilson 95% on Kish's n):
 *   age band  18-64: e1-5, 5 audits, 1 good: 0.2 (0.0362 to 0.6245), shown.
 *             65-74: 4 audits and 75-84: 1: suppressed, counts too; they
 *             hide 5 between them, so nothing else is withheld.
 *             85+: 43, 22 good.  Not recorded: West's 10, 0.4, carers 0.3
 *             (0.1078 to 0.6032).
 *   ethnicity Black: 3, suppressed; alone it hides 3, so the smallest
 *             shown, Asian (6), is withheld too (secondary).  Not recorded
 *             7 (w1-7): 4 of 7 (0.2505 to 0.8418).  White British 47: 21
 *             good of weight 50 = 0.42, n_eff 50^2/56 = 44.642857, 0.2873
 *             to 0.5654, raw 21/47; carers over w8-10 only: withheld.
 *   support   learning disability 5: 1.0 (0.5655 to 1); mental health 8: 0;
 *             physical 37: 16/37; not recorded 13 (West and Tiny): weight
 *             11 of 23 = 0.478261, n_eff 23^2/43 = 12.302326, 0.2397 to
 *             0.7272.
 *
 * Funnel of good or outstanding: overall 32 of weight 73 = 0.438356.  At
 *   n 20: 95% 0.2209 to 0.6558, 99.8% 0.0955 to 0.7812; at n 10: 95%
 *   0.1308 to 0.7459, 99.8% 0 to 0.9232.  North (20, 1.0) above both;
 *   South (20, 0) below both; East (10, 0.1) below 95% only; West (n_eff
 *   10, 0.4) within; Tiny (3) suppressed, not placed.
 *
 * Themes: answers from audits of weight 1, by position in March's list L
 *   (n15-20, s15-20, e7-10, t1-3) or the earlier list E (n1-14, s1-14,
 *   e1-6), per the rule table in the fixture.  Share not met in March and
 *   earlier (January and February together):
 *     beyond_presenting_issue  8 of 10 (0.4902 to 0.9433) against 2 of 20
 *                              (0.0279 to 0.3010): rising; January 2/13.
 *     person_voice             9 of 15 (6 partly met) against 6 of 10:
 *                              steady; February's 3 answers withheld.
 *     risks_identified         6 of 10 against 12 of 20: steady.
 *     carers_identified        3 of 6 against 2 earlier answers: withheld,
 *                              no trend.
 *     outcomes_specific        1 of 10 (0.0179 to 0.4042) against 16 of 20
 *                              (0.5840 to 0.9193): falling.
 *     recording_clear          0 of 5 (all partly met): sixth.
 *     timeliness               4 of 4 (3 not applicable): under five
 *                              answers, not ranked.
 *   Ranked by share, then answers: person_voice (15) before
 *   risks_identified (10).
 *
 * Waits, 2024-07 to 2024-09 (census 30/09/2024), every assessment:
 *   North completed 10, 20, 30, 40 and 100 (an audited one, x1): median
 *     30, p90 40 + 0.6 x 60 = 76.  Waiting 10, 20, 29 (completed after the
 *     census), 60, 92: median 29, p90 60 + 0.6 x 32 = 79.2; one requested
 *     after the census does not count.
 *   South completed 5 (on the census day), 7, 9, 11, 13, 50: median 10,
 *     p90 13 + 0.5 x 37 = 31.5; two waiting: suppressed.
 *   East completed 1, 2, 3: suppressed.
 *   All: 14 completed (1, 2, 3, 5, 7, 9, 10, 11, 13, 20, 30, 40, 50, 100):
 *     median (10 + 11) / 2 = 10.5, p90 40 + 0.7 x 10 = 47;
 *     7 waiting (1, 5, 10, 20, 29, 60, 92): median 20, p90 72.8.
 *
 * Actions in 2025-03, census 31/03/2025:
 *   A1 North Care's, set 10/02, due 15/03, open: open, overdue.
 *   A2 North Care's, set 05/03, due 30/04, open: open, set in the period.
 *   A3 North Care's, set 10/01, done 10/03: done in the period.
 *   A4 AU-1's, set 02/03, due 20/03, done 05/04 (after the census): open,
 *      overdue, set in the period.
 *   A5 South Care's, done 15/02: nothing.  A6 set 02/04: not yet set.
 *   A7 AU-1's (a South audit), set 01/12/2024, due 15/01, open: overdue.
 *   Totals: set 2, open 4, overdue 3, done 1; AU-1 open 2, overdue 2;
 *   North Care open 2, overdue 1, done 1.
 * Escalations: raised in March E1 (acknowledged in 2 days), E2 (10), E3
 *   (3), E4 (acknowledged 02/04, after the census), E5 (not): 5 raised, 3
 *   acknowledged, median 3 days, longest 10; E6 (February, never) and E4
 *   and E5 unacknowledged on the census date: 3; E7 long done.
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
#include "trends_internal.h"

static const char *const fixture[] = {
	"INSERT INTO organisations (name) VALUES ('Council'), ('North Care'), ('South Care'),"
	" ('East Care'), ('West Care'), ('Tiny Care');"
	"INSERT INTO staff (staff_ref, name, organisation_id, roles, max_open_audits)"
	" SELECT 'AU-1', 'Auditor One', id, '{auditor}', 1000 FROM organisations"
	" WHERE name = 'Council';"
	"INSERT INTO sampling_plans (name, form_id, assessment_types, method, size_rule,"
	" size_value, every, first_period, created_by)"
	" SELECT 'p', id, '{care_act_assessment}', 'random', 'size', 30, 'month', '2024-01',"
	" 'test' FROM forms WHERE name = 'care-act-assessment';"
	"INSERT INTO sampling_runs (plan_id, period, period_start, period_end, method,"
	" parameters, seed, seed_source, population_size, population_sha256, sample_size,"
	" form_version_id, run_on, created_by)"
	" SELECT p.id, to_char(m, 'YYYY-MM'), m, (m + interval '1 month' - interval '1 day')::date,"
	"  'random', '{}', 1, 'given', 100, repeat('0', 64), 30, f.current_version_id,"
	"  (m + interval '1 month')::date, 'test'"
	" FROM sampling_plans p JOIN forms f ON f.id = p.form_id,"
	"  unnest('{2024-08-01,2025-01-01,2025-02-01,2025-03-01}'::date[]) AS m;"
	"INSERT INTO sampling_run_strata (run_id, stratum, label, population, allocation,"
	" members) SELECT id, 0, 'all', 0, 0, '{}' FROM sampling_runs;",
	/* one row per audited assessment: what the header above says */
	"CREATE TEMPORARY TABLE fx (ref text, provider text, done date, pi float8, grade text,"
	" holistic float8, carers float8, age text, eth text, reason text, flagged boolean,"
	" phase text, pos int, waited int DEFAULT 30);"
	"INSERT INTO fx SELECT 'n' || i, 'North Care',"
	"  make_date(2025, CASE WHEN i <= 7 THEN 1 WHEN i <= 14 THEN 2 ELSE 3 END, 10), 1,"
	"  'good', 1, NULL, '85+', 'White British', CASE WHEN i <= 5"
	"  THEN 'Learning disability support' ELSE 'Physical support' END, i <= 5,"
	"  CASE WHEN i >= 15 THEN 'L' ELSE 'E' END, CASE WHEN i >= 15 THEN i - 14 ELSE i END"
	" FROM generate_series(1, 20) i;"
	"INSERT INTO fx SELECT 's' || i, 'South Care',"
	"  make_date(2025, CASE WHEN i <= 7 THEN 1 WHEN i <= 14 THEN 2 ELSE 3 END, 10), 1,"
	"  'requires_improvement', 0.5, NULL, CASE WHEN i <= 4 THEN '65-74' ELSE '85+' END,"
	"  'White British', CASE WHEN i <= 8 THEN 'Mental health support'"
	"  ELSE 'Physical support' END, i <= 5,"
	"  CASE WHEN i >= 15 THEN 'L' ELSE 'E' END, CASE WHEN i >= 15 THEN i - 8 ELSE i + 14 END"
	" FROM generate_series(1, 20) i;"
	"INSERT INTO fx SELECT 'e' || i, 'East Care',"
	"  make_date(2025, CASE WHEN i <= 3 THEN 1 WHEN i <= 6 THEN 2 ELSE 3 END, 10), 1,"
	"  CASE WHEN i = 1 THEN 'good' ELSE 'inadequate' END, CASE WHEN i = 1 THEN 1 ELSE 0 END,"
	"  NULL, CASE WHEN i <= 5 THEN '18-64' ELSE '85+' END,"
	"  CASE WHEN i <= 4 THEN 'White British' ELSE 'Asian or Asian British' END,"
	"  'Physical support', i BETWEEN 2 AND 6,"
	"  CASE WHEN i >= 7 THEN 'L' ELSE 'E' END, CASE WHEN i >= 7 THEN i + 6 ELSE i + 28 END"
	" FROM generate_series(1, 10) i;"
	"INSERT INTO fx SELECT 'w' || i, 'West Care',"
	"  make_date(2025, CASE WHEN i <= 3 THEN 1 WHEN i <= 6 THEN 2 ELSE 3 END, 10), 0.5,"
	"  CASE WHEN i <= 4 THEN 'outstanding' ELSE 'requires_improvement' END,"
	"  CASE WHEN i <= 4 THEN 1 ELSE 0.5 END, CASE WHEN i <= 3 THEN 1 ELSE 0 END, NULL,"
	"  CASE WHEN i <= 2 THEN '  ' WHEN i <= 7 THEN NULL ELSE 'White British' END, NULL,"
	"  false, NULL, NULL"
	" FROM generate_series(1, 10) i;"
	"INSERT INTO fx SELECT 't' || i, 'Tiny Care', '2025-03-10', 1, 'good', 1, NULL,"
	"  CASE WHEN i = 1 THEN '75-84' ELSE '85+' END, 'Black or Black British', NULL, false,"
	"  'L', i + 16"
	" FROM generate_series(1, 3) i;"
	/* an audited assessment in the waits' range: a wait of 100 days */
	"INSERT INTO fx VALUES ('x1', 'North Care', '2024-08-20', 1, 'good', 1, NULL, NULL,"
	"  NULL, NULL, false, NULL, NULL, 100);",
	/* the answers: position pos of phase answers question q when pos <= upto,
	 * not met when pos <= not_met, else `other` */
	"CREATE TEMPORARY TABLE rule (q text, phase text, upto int, not_met int, other text);"
	"INSERT INTO rule VALUES"
	" ('beyond_presenting_issue', 'L', 10, 8, 'met'),"
	" ('beyond_presenting_issue', 'E', 20, 2, 'met'),"
	" ('person_voice', 'L', 15, 9, 'partially_met'),"
	" ('person_voice', 'E', 10, 6, 'met'),"
	" ('risks_identified', 'L', 10, 6, 'met'),"
	" ('risks_identified', 'E', 20, 12, 'met'),"
	" ('carers_identified', 'L', 6, 3, 'met'),"
	" ('carers_identified', 'E', 2, 2, 'met'),"
	" ('outcomes_specific', 'L', 10, 1, 'met'),"
	" ('outcomes_specific', 'E', 20, 16, 'met'),"
	" ('recording_clear', 'L', 5, 0, 'partially_met'),"
	" ('timeliness', 'L', 7, 4, 'not_applicable');",
	"INSERT INTO assessments (assessment_ref, person_ref, assessment_type, provider_id,"
	" assessor_ref, requested_on, completed_on, summary, age_band, ethnicity,"
	" primary_support_reason)"
	" SELECT fx.ref, 'P-' || fx.ref, 'care_act_assessment', o.id, 'AS-1',"
	"  fx.done - fx.waited, fx.done, 'x', fx.age, fx.eth, fx.reason"
	" FROM fx JOIN organisations o ON o.name = fx.provider;"
	"INSERT INTO sampling_run_members"
	" SELECT r.id, a.id, 0, 'random', fx.pi FROM fx"
	" JOIN assessments a ON a.assessment_ref = fx.ref"
	" JOIN sampling_runs r ON r.period = to_char(fx.done, 'YYYY-MM');"
	"INSERT INTO audits (run_id, assessment_id, form_version_id, status, auditor_id, due_on)"
	" SELECT m.run_id, m.assessment_id, r.form_version_id, 'in_progress',"
	"  (SELECT id FROM staff), fx.done + 60"
	" FROM fx JOIN assessments a ON a.assessment_ref = fx.ref"
	" JOIN sampling_run_members m ON m.assessment_id = a.id"
	" JOIN sampling_runs r ON r.id = m.run_id;"
	"INSERT INTO answers (audit_id, form_version_id, question_id, rating, answered_by,"
	" answered_on)"
	" SELECT au.id, au.form_version_id, rule.q, CASE WHEN fx.pos <= rule.not_met"
	"  THEN 'not_met' ELSE rule.other END, au.auditor_id, fx.done"
	" FROM fx JOIN rule ON rule.phase = fx.phase AND fx.pos <= rule.upto"
	" JOIN assessments a ON a.assessment_ref = fx.ref"
	" JOIN audits au ON au.assessment_id = a.id;"
	"UPDATE audits au SET status = 'submitted', grade = fx.grade, submitted_on = fx.done + 20"
	" FROM fx JOIN assessments a ON a.assessment_ref = fx.ref WHERE au.assessment_id = a.id;"
	"UPDATE audits SET status = 'closed';"
	"INSERT INTO domain_scores (audit_id, domain, questions, applicable, met,"
	" partially_met, not_met, weight, score)"
	" SELECT au.id, d.domain, 1, (d.score IS NOT NULL)::int, 0, 0, 0, 1, d.score"
	" FROM fx JOIN assessments a ON a.assessment_ref = fx.ref"
	" JOIN audits au ON au.assessment_id = a.id"
	" CROSS JOIN LATERAL (VALUES ('holistic', fx.holistic), ('strengths', NULL),"
	"  ('risk', NULL), ('carers', fx.carers), ('outcomes', NULL), ('recording', NULL))"
	"  AS d(domain, score);"
	"INSERT INTO screenings (assessment_id, rule_set_id, assessment_revision, outcomes,"
	" outcome_count, strengths_terms, deficit_terms, flags, matches)"
	" SELECT a.id, (SELECT max(id) FROM screening_rule_sets), 1, '{}', 0, 0, 0,"
	"  '{single_issue}', '[]'"
	" FROM fx JOIN assessments a ON a.assessment_ref = fx.ref WHERE fx.flagged;",
	/* waits that were never audited: (ref, provider, requested, completed) */
	"INSERT INTO assessments (assessment_ref, person_ref, assessment_type, provider_id,"
	" assessor_ref, requested_on, completed_on, summary)"
	" SELECT w.ref, 'P-' || w.ref, w.type, o.id, 'AS-1', w.req::date, w.done::date, 'x'"
	" FROM (VALUES"
	"  ('wn1', 'North Care', '2024-06-21', '2024-07-01', 'care_act_assessment'),"
	"  ('wn2', 'North Care', '2024-07-01', '2024-07-21', 'review'),"
	"  ('wn3', 'North Care', '2024-08-01', '2024-08-31', 'care_act_assessment'),"
	"  ('wn4', 'North Care', '2024-08-01', '2024-09-10', 'carers_assessment'),"
	"  ('wn5', 'North Care', '2024-09-20', NULL, 'care_act_assessment'),"
	"  ('wn6', 'North Care', '2024-09-10', NULL, 'care_act_assessment'),"
	"  ('wn7', 'North Care', '2024-09-01', '2024-10-15', 'care_act_assessment'),"
	"  ('wn8', 'North Care', '2024-08-01', NULL, 'care_act_assessment'),"
	"  ('wn9', 'North Care', '2024-06-30', NULL, 'care_act_assessment'),"
	"  ('wn10', 'North Care', '2024-10-05', NULL, 'care_act_assessment'),"
	"  ('wn11', 'North Care', '2024-06-01', '2024-06-30', 'care_act_assessment'),"
	"  ('ws1', 'South Care', '2024-09-25', '2024-09-30', 'care_act_assessment'),"
	"  ('ws2', 'South Care', '2024-07-01', '2024-07-08', 'care_act_assessment'),"
	"  ('ws3', 'South Care', '2024-07-01', '2024-07-10', 'care_act_assessment'),"
	"  ('ws4', 'South Care', '2024-07-01', '2024-07-12', 'care_act_assessment'),"
	"  ('ws5', 'South Care', '2024-07-01', '2024-07-14', 'care_act_assessment'),"
	"  ('ws6', 'South Care', '2024-07-01', '2024-08-20', 'care_act_assessment'),"
	"  ('ws7', 'South Care', '2024-09-29', NULL, 'care_act_assessment'),"
	"  ('ws8', 'South Care', '2024-09-25', NULL, 'care_act_assessment'),"
	"  ('we1', 'East Care', '2024-09-01', '2024-09-02', 'care_act_assessment'),"
	"  ('we2', 'East Care', '2024-09-01', '2024-09-03', 'care_act_assessment'),"
	"  ('we3', 'East Care', '2024-09-01', '2024-09-04', 'care_act_assessment')"
	" ) AS w(ref, provider, req, done, type) JOIN organisations o ON o.name = w.provider;",
	/* actions: (audit, owning organisation or staff ref, set, due, done) */
	"INSERT INTO actions (audit_id, owner_organisation_id, owner_staff_id, text, due_on,"
	" status, created_by, created_on, done_by, done_on)"
	" SELECT au.id, o.id, st.id, 'act', x.due::date,"
	"  CASE WHEN x.done IS NULL THEN 'open' ELSE 'done' END, s.id, x.made::date,"
	"  CASE WHEN x.done IS NOT NULL THEN s.id END, x.done::date"
	" FROM (VALUES ('n1', 'North Care', '2025-02-10', '2025-03-15', NULL),"
	"  ('n2', 'North Care', '2025-03-05', '2025-04-30', NULL),"
	"  ('n3', 'North Care', '2025-01-10', '2025-02-01', '2025-03-10'),"
	"  ('n4', 'AU-1', '2025-03-02', '2025-03-20', '2025-04-05'),"
	"  ('s1', 'South Care', '2025-01-05', '2025-01-31', '2025-02-15'),"
	"  ('s2', 'South Care', '2025-04-02', '2025-04-30', NULL),"
	"  ('s3', 'AU-1', '2024-12-01', '2025-01-15', NULL)) AS x(ref, owner, made, due, done)"
	" JOIN assessments a ON a.assessment_ref = x.ref"
	" JOIN audits au ON au.assessment_id = a.id"
	" LEFT JOIN organisations o ON o.name = x.owner"
	" LEFT JOIN staff st ON st.staff_ref = x.owner"
	" CROSS JOIN (SELECT id FROM staff) s;"
	/* escalations: (audit, raised, acknowledged) */
	"INSERT INTO escalations (audit_id, source, raised_by, raised_on, acknowledged_by,"
	" acknowledged_on)"
	" SELECT au.id, 'flag', s.id, x.raised::date, CASE WHEN x.ack IS NOT NULL THEN s.id END,"
	"  x.ack::date"
	" FROM (VALUES ('n5', '2025-03-03', '2025-03-05'), ('n6', '2025-03-10', '2025-03-20'),"
	"  ('n7', '2025-03-12', '2025-03-15'), ('s4', '2025-03-25', '2025-04-02'),"
	"  ('s5', '2025-03-28', NULL), ('s6', '2025-02-10', NULL),"
	"  ('s7', '2025-02-01', '2025-02-03')) AS x(ref, raised, ack)"
	" JOIN assessments a ON a.assessment_ref = x.ref"
	" JOIN audits au ON au.assessment_id = a.id"
	" CROSS JOIN (SELECT id FROM staff) s;",
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
load(const char *from, const char *to, const char *provider, const char *today,
    const ca_trends_query *extra)
{
	ca_trends_query q = *extra;
	ca_err err = { 0 };
	ca_trends *t = NULL;
	int rc;

	q.from = from;
	q.to = to;
	q.provider = provider;
	q.today = today;
	if ((rc = ca_trends_load(test_group.conn, &q, &t, &err)) != 0)
		fail_msg("ca_trends_load: %d %s", rc, err.msg);
	return t;
}

static void
shown(const ca_trends_equity_group *g, const char *name, long audits, double good)
{
	assert_string_equal(g->name, name);
	assert_false(g->suppressed);
	assert_false(g->secondary);
	assert_int_equal(g->audits, audits);
	assert_int_equal(g->good.n, audits);
	TEST_NEAR(g->good.share, good);
}

/* Withheld whole: nothing of it can be printed by mistake. */
static void
withheld(const ca_trends_equity_group *g, const char *name, int secondary)
{
	assert_string_equal(g->name, name);
	assert_true(g->suppressed);
	assert_int_equal(g->secondary, secondary);
	assert_int_equal(g->audits, 0);
	assert_true(g->good.suppressed);
	assert_int_equal(g->good.n, 0);
	assert_true(isnan(g->good.share));
	assert_true(isnan(g->good.raw));
	assert_true(isnan(g->good.lo));
	for (int k = 0; k < CA_DOMAINS; k++) {
		assert_true(g->domain[k].suppressed);
		assert_int_equal(g->domain[k].n, 0);
		assert_true(isnan(g->domain[k].share));
	}
}

static void
test_api_equity(void **state)
{
	ca_trends_query x = { .equity = 1 };
	ca_trends *t = load("2025-01", "2025-03", NULL, "2025-04-10", &x);
	const ca_trends_equity *age = &t->equity[CA_TRENDS_AGE_BAND],
	    *eth = &t->equity[CA_TRENDS_ETHNICITY], *why = &t->equity[CA_TRENDS_SUPPORT_REASON];

	(void)state;
	assert_int_equal(t->all.audits, 63);
	assert_string_equal(ca_trends_equity_names[CA_TRENDS_SUPPORT_REASON], "support_reason");

	/* age band: five shown, four and one withheld, not recorded last */
	assert_int_equal(age->ngroups, 5);
	shown(&age->groups[0], "18-64", 5, 0.2);
	assert_true(age->groups[0].recorded);
	TEST_NEAR(age->groups[0].good.lo, 0.0362);
	TEST_NEAR(age->groups[0].good.hi, 0.6245);
	TEST_NEAR(age->groups[0].domain[0].share, 0.2);
	withheld(&age->groups[1], "65-74", 0);
	withheld(&age->groups[2], "75-84", 0);
	shown(&age->groups[3], "85+", 43, 22.0 / 43);
	shown(&age->groups[4], CA_TRENDS_NOT_RECORDED, 10, 0.4);
	assert_false(age->groups[4].recorded);
	TEST_NEAR(age->groups[4].good.n_eff, 10);
	TEST_NEAR(age->groups[4].domain[3].share, 0.3);
	TEST_NEAR(age->groups[4].domain[3].lo, 0.1078);
	TEST_NEAR(age->groups[4].domain[3].hi, 0.6032);
	/* no score in the domain anywhere: nothing to measure, not withheld */
	assert_false(age->groups[4].domain[1].suppressed);
	assert_true(isnan(age->groups[4].domain[1].share));

	/* ethnicity: three withheld alone would be 63 - 60; the next smallest goes too */
	assert_int_equal(eth->ngroups, 4);
	withheld(&eth->groups[0], "Asian or Asian British", 1);
	withheld(&eth->groups[1], "Black or Black British", 0);
	shown(&eth->groups[2], "White British", 47, 0.42);
	TEST_NEAR(eth->groups[2].good.raw, 21.0 / 47);
	TEST_NEAR(eth->groups[2].good.n_eff, 2500.0 / 56);
	TEST_NEAR(eth->groups[2].good.lo, 0.2873);
	TEST_NEAR(eth->groups[2].good.hi, 0.5654);
	/* carers scored on three of them: withheld within a group shown */
	assert_true(eth->groups[2].domain[3].suppressed);
	assert_true(isnan(eth->groups[2].domain[3].share));
	/* blank and missing are one group */
	shown(&eth->groups[3], CA_TRENDS_NOT_RECORDED, 7, 4.0 / 7);
	TEST_NEAR(eth->groups[3].good.lo, 0.2505);
	TEST_NEAR(eth->groups[3].good.hi, 0.8418);

	assert_int_equal(why->ngroups, 4);
	shown(&why->groups[0], "Learning disability support", 5, 1.0);
	TEST_NEAR(why->groups[0].good.lo, 0.5655);
	TEST_NEAR(why->groups[0].good.hi, 1.0);
	shown(&why->groups[1], "Mental health support", 8, 0);
	TEST_NEAR(why->groups[1].domain[0].share, 0.5);
	shown(&why->groups[2], "Physical support", 37, 16.0 / 37);
	shown(&why->groups[3], CA_TRENDS_NOT_RECORDED, 13, 11.0 / 23);
	TEST_NEAR(why->groups[3].good.raw, 7.0 / 13);
	TEST_NEAR(why->groups[3].good.n_eff, 529.0 / 43);
	TEST_NEAR(why->groups[3].good.lo, 0.2397);
	TEST_NEAR(why->groups[3].good.hi, 0.7272);

	/* screening against the auditors over the range, per flag: the
	 * holistic score below 0.5 on e2-6, 0.5 or more on n1-5 and s1-5 */
	assert_int_equal(t->all.flag[0].raised, 15);
	assert_int_equal(t->all.flag[0].confirmed, 5);
	assert_int_equal(t->all.flag[0].not_confirmed, 10);
	assert_int_equal(t->all.flag[0].not_applicable, 0);
	/* not asked for: not loaded */
	assert_int_equal(t->nthemes, 0);
	assert_int_equal(t->waits.nproviders, 0);
	ca_trends_free(t);

	/* one partner: every group under five */
	t = load("2025-01", "2025-03", "Tiny Care", "2025-04-10", &x);
	assert_int_equal(t->equity[CA_TRENDS_AGE_BAND].ngroups, 2);
	withheld(&t->equity[CA_TRENDS_AGE_BAND].groups[0], "75-84", 0);
	withheld(&t->equity[CA_TRENDS_AGE_BAND].groups[1], "85+", 0);
	ca_trends_free(t);
}

static void
test_api_funnel(void **state)
{
	ca_trends_query x = { 0 };
	ca_trends *t = load("2025-01", "2025-03", NULL, "2025-04-10", &x);
	ca_trends_funnel_point pt[5];
	ca_err err = { 0 };
	double overall;

	(void)state;
	assert_int_equal(t->nproviders, 5);
	assert_int_equal(ca_trends_funnel(t, CA_TRENDS_SERIES_GOOD, &overall, pt, &err), 0);
	TEST_NEAR(overall, 32.0 / 73);
	/* East Care: 1 of 10, below the 95% limit but not the 99.8% one */
	assert_string_equal(t->providers[0].name, "East Care");
	assert_true(pt[0].placed);
	assert_int_equal(pt[0].n, 10);
	TEST_NEAR(pt[0].share, 0.1);
	TEST_NEAR(pt[0].lo95, 0.1308);
	TEST_NEAR(pt[0].hi95, 0.7459);
	TEST_NEAR(pt[0].lo998, 0);
	TEST_NEAR(pt[0].hi998, 0.9232);
	assert_int_equal(pt[0].outside95, -1);
	assert_int_equal(pt[0].outside998, 0);
	/* North Care: all twenty good, above 99.8% */
	assert_string_equal(t->providers[1].name, "North Care");
	assert_int_equal(pt[1].n, 20);
	TEST_NEAR(pt[1].lo998, 0.0955);
	TEST_NEAR(pt[1].hi998, 0.7812);
	assert_int_equal(pt[1].outside95, 1);
	assert_int_equal(pt[1].outside998, 1);
	/* South Care: none good, below 99.8% */
	assert_int_equal(pt[2].outside95, -1);
	assert_int_equal(pt[2].outside998, -1);
	TEST_NEAR(pt[2].lo95, 0.2209);
	/* Tiny Care: three audits, not placed */
	assert_string_equal(t->providers[3].name, "Tiny Care");
	assert_false(pt[3].placed);
	assert_true(isnan(pt[3].share));
	assert_int_equal(pt[3].outside998, 0);
	/* West Care: weights of 2, n_eff 10, within */
	assert_true(pt[4].placed);
	assert_int_equal(pt[4].n, 10);
	TEST_NEAR(pt[4].share, 0.4);
	assert_int_equal(pt[4].outside95, 0);
	assert_int_equal(pt[4].outside998, 0);

	/* a domain measure; the overdue series is not a share */
	assert_int_equal(ca_trends_measure_index("holistic"), CA_TRENDS_SERIES_DOMAIN);
	assert_string_equal(ca_trends_measure_name(CA_TRENDS_SERIES_DOMAIN + 3), "carers");
	assert_int_equal(ca_trends_measure_index("overdue_or_late"), -1);
	assert_int_equal(ca_trends_funnel(t, CA_TRENDS_SERIES_DOMAIN, &overall, pt, &err), 0);
	assert_true(pt[1].placed);
	TEST_NEAR(pt[1].share, 1.0);
	assert_int_equal(ca_trends_funnel(t, CA_TRENDS_SERIES_OVERDUE, &overall, pt, &err), 64);
	ca_trends_free(t);
}

static void
test_api_themes(void **state)
{
	ca_trends_query x = { .themes = CA_TRENDS_THEMES };
	ca_trends *t = load("2025-01", "2025-03", NULL, "2025-04-10", &x);
	const ca_trends_theme *th = t->themes;

	(void)state;
	assert_int_equal(t->nthemes, 5);
	assert_string_equal(th[0].id, "beyond_presenting_issue");
	assert_string_equal(th[0].form, "care-act-assessment");
	assert_int_equal(th[0].domain, 0);
	assert_true(strlen(th[0].text) > 20);
	assert_int_equal(th[0].met, 2);
	assert_int_equal(th[0].not_met, 8);
	assert_int_equal(th[0].partially_met, 0);
	assert_int_equal(th[0].share.n, 10);
	TEST_NEAR(th[0].share.share, 0.8);
	TEST_NEAR(th[0].share.lo, 0.4902);
	TEST_NEAR(th[0].share.hi, 0.9433);
	assert_int_equal(th[0].earlier.n, 20);
	TEST_NEAR(th[0].earlier.share, 0.1);
	TEST_NEAR(th[0].earlier.hi, 0.3010);
	assert_int_equal(th[0].trend, CA_TRENDS_RISING);
	TEST_NEAR(th[0].periods[0].share, 2.0 / 13);
	TEST_NEAR(th[0].periods[1].share, 0);
	TEST_NEAR(th[0].periods[2].share, 0.8);

	/* 0.6 twice: more answers first */
	assert_string_equal(th[1].id, "person_voice");
	assert_int_equal(th[1].share.n, 15);
	assert_int_equal(th[1].partially_met, 6);
	TEST_NEAR(th[1].share.share, 0.6);
	assert_int_equal(th[1].trend, CA_TRENDS_STEADY);
	assert_true(th[1].periods[1].suppressed);
	assert_true(isnan(th[1].periods[1].share));
	assert_string_equal(th[2].id, "risks_identified");
	assert_int_equal(th[2].share.n, 10);
	assert_int_equal(th[2].trend, CA_TRENDS_STEADY);

	/* two earlier answers: withheld, and no trend to say */
	assert_string_equal(th[3].id, "carers_identified");
	TEST_NEAR(th[3].share.share, 0.5);
	assert_true(th[3].earlier.suppressed);
	assert_int_equal(th[3].trend, CA_TRENDS_TREND_NONE);
	assert_true(th[3].periods[0].suppressed);
	assert_false(th[3].periods[1].suppressed);
	assert_int_equal(th[3].periods[1].n, 0);

	assert_string_equal(th[4].id, "outcomes_specific");
	TEST_NEAR(th[4].share.share, 0.1);
	TEST_NEAR(th[4].earlier.share, 0.8);
	assert_int_equal(th[4].trend, CA_TRENDS_FALLING);
	assert_string_equal(ca_trends_trend_name(CA_TRENDS_FALLING), "falling");
	assert_null(ca_trends_trend_name(CA_TRENDS_TREND_NONE));
	ca_trends_free(t);

	/* more asked for: the sixth never met, but timeliness (four answers
	 * and three not applicable) is never ranked */
	x.themes = 100;
	t = load("2025-01", "2025-03", NULL, "2025-04-10", &x);
	assert_int_equal(t->nthemes, 6);
	assert_string_equal(t->themes[5].id, "recording_clear");
	TEST_NEAR(t->themes[5].share.share, 0);
	assert_int_equal(t->themes[5].partially_met, 5);
	ca_trends_free(t);

	/* a period with no answers has no themes */
	x.themes = 3;
	t = load("2024-12", "2024-12", NULL, "2025-04-10", &x);
	assert_int_equal(t->nthemes, 0);
	ca_trends_free(t);
}

/* Two themes whose shares are the same proportion, one of them summed
 * from weights in another order (0.1 + 0.2 + 0.3 is not 0.6 in binary):
 * tied, so the one with more answers ranks first, as trends.h says,
 * whichever order the database summed in. */
static void
test_api_theme_ties(void **state)
{
	ca_trends_theme a, b;

	(void)state;
	memset(&a, 0, sizeof a);
	memset(&b, 0, sizeof b);
	a.form = b.form = "care-act-assessment";
	a.id = "person_voice";
	a.position = 2;
	a.share.share = (0.1 + 0.2 + 0.3) / 2;
	a.share.n = 10;
	b.id = "risks_identified";
	b.position = 5;
	b.share.share = 0.6 / 2;
	b.share.n = 12;
	assert_true(a.share.share != b.share.share);
	assert_true(ca_trends_theme_cmp(&a, &b) > 0);
	assert_true(ca_trends_theme_cmp(&b, &a) < 0);
	/* the same answers: by position */
	b.share.n = 10;
	assert_true(ca_trends_theme_cmp(&a, &b) < 0);
	/* a real difference still ranks */
	b.share.share = 0.3 + 1e-6;
	b.share.n = 1;
	assert_true(ca_trends_theme_cmp(&b, &a) < 0);
}

/* The flags are the current rule set's (0007): a newer set, stored and so
 * current, has screened nothing yet; made current again, the older set's
 * flags count again.  Last in the group: it leaves a second set behind. */
static void
test_api_flags_follow_current_rules(void **state)
{
	const ca_trends_query none = { 0 };
	ca_trends *t;

	(void)state;
	test_db_exec(test_group.conn, "INSERT INTO screening_rule_sets (sha256, source,"
	    " rule_count, loaded_by) SELECT repeat('e', 64), source, rule_count, 'test'"
	    " FROM screening_rule_sets ORDER BY id LIMIT 1");
	t = load("2025-01", "2025-03", NULL, "2025-04-10", &none);
	assert_int_equal(t->all.flag[0].raised, 0);
	ca_trends_free(t);
	test_db_exec(test_group.conn, "UPDATE screening_rules_current SET rule_set_id ="
	    " (SELECT min(id) FROM screening_rule_sets)");
	t = load("2025-01", "2025-03", NULL, "2025-04-10", &none);
	assert_int_equal(t->all.flag[0].raised, 15);
	assert_int_equal(t->all.flag[0].confirmed, 5);
	ca_trends_free(t);
}

/* Without the screening flags (a report that charts the range): the flags
 * zero, every other figure as with them. */
static void
test_api_no_flags(void **state)
{
	ca_trends_query x = { .themes = CA_TRENDS_THEMES };
	ca_trends *with = load("2025-01", "2025-03", NULL, "2025-04-10", &x), *without;

	(void)state;
	x.no_flags = 1;
	without = load("2025-01", "2025-03", NULL, "2025-04-10", &x);
	assert_int_equal(with->all.flag[0].raised, 15);
	assert_int_equal(without->all.flag[0].raised, 0);
	assert_int_equal(without->all.flags.raised, 0);
	assert_true(isnan(without->all.flag[0].share));
	assert_int_equal(without->periods[0].flag[0].raised, 0);
	assert_int_equal(without->nperiods, with->nperiods);
	assert_int_equal(without->all.audits, with->all.audits);
	TEST_NEAR(without->all.good.share, with->all.good.share);
	TEST_NEAR(without->all.domain[0].share, with->all.domain[0].share);
	for (int s = 0; s < CA_TRENDS_SERIES; s++) {
		assert_int_equal(without->series[s].n, with->series[s].n);
		for (size_t i = 0; i < with->series[s].n; i++)
			TEST_NEAR(without->series[s].value[i], with->series[s].value[i]);
	}
	assert_int_equal(without->nthemes, with->nthemes);
	assert_string_equal(without->themes[0].id, with->themes[0].id);
	ca_trends_free(with);
	ca_trends_free(without);
}

static void
test_api_waits(void **state)
{
	ca_trends_query x = { .waits = 1 };
	ca_trends *t = load("2024-07", "2024-09", NULL, "2025-04-10", &x);
	const ca_trends_waits *w = &t->waits;

	(void)state;
	assert_string_equal(w->census, "2024-09-30");
	assert_int_equal(w->nproviders, 3);
	assert_string_equal(w->providers[0].name, "East Care");
	assert_true(w->providers[0].suppressed);
	assert_int_equal(w->providers[0].completed, 0);
	assert_true(isnan(w->providers[0].median));
	assert_false(w->providers[0].waiting_suppressed);
	assert_int_equal(w->providers[0].waiting, 0);

	/* odd: five waits */
	assert_string_equal(w->providers[1].name, "North Care");
	assert_false(w->providers[1].suppressed);
	assert_int_equal(w->providers[1].completed, 5);
	TEST_NEAR(w->providers[1].median, 30);
	TEST_NEAR(w->providers[1].p90, 76);
	assert_int_equal(w->providers[1].waiting, 5);
	TEST_NEAR(w->providers[1].waiting_median, 29);
	TEST_NEAR(w->providers[1].waiting_p90, 79.2);

	/* even: six waits */
	assert_string_equal(w->providers[2].name, "South Care");
	assert_int_equal(w->providers[2].completed, 6);
	TEST_NEAR(w->providers[2].median, 10);
	TEST_NEAR(w->providers[2].p90, 31.5);
	assert_true(w->providers[2].waiting_suppressed);
	assert_int_equal(w->providers[2].waiting, 0);
	assert_true(isnan(w->providers[2].waiting_median));

	assert_string_equal(w->all.name, "all");
	assert_int_equal(w->all.completed, 14);
	TEST_NEAR(w->all.median, 10.5);
	TEST_NEAR(w->all.p90, 47);
	assert_int_equal(w->all.waiting, 7);
	TEST_NEAR(w->all.waiting_median, 20);
	TEST_NEAR(w->all.waiting_p90, 72.8);
	/* the range's one audit is suppressed; the waits are not about audits */
	assert_true(t->all.suppressed);
	ca_trends_free(t);

	/* one partner */
	t = load("2024-07", "2024-09", "South Care", "2025-04-10", &x);
	assert_int_equal(t->waits.nproviders, 1);
	assert_int_equal(t->waits.all.completed, 6);
	TEST_NEAR(t->waits.all.median, 10);
	assert_true(t->waits.all.waiting_suppressed);
	ca_trends_free(t);
}

static void
test_api_actions(void **state)
{
	ca_trends_query x = { .actions = 1 };
	ca_trends *t = load("2025-01", "2025-03", NULL, "2025-04-10", &x);
	const ca_trends_actions *a = &t->actions;

	(void)state;
	assert_string_equal(a->period, "2025-03");
	assert_string_equal(a->first, "2025-03-01");
	assert_string_equal(a->census, "2025-03-31");
	assert_int_equal(a->set, 2);
	assert_int_equal(a->open, 4);
	assert_int_equal(a->overdue, 3);
	assert_int_equal(a->done, 1);
	assert_int_equal(a->nowners, 2);
	assert_string_equal(a->owners[0].name, "AU-1");
	assert_true(a->owners[0].staff);
	assert_int_equal(a->owners[0].open, 2);
	assert_int_equal(a->owners[0].overdue, 2);
	assert_int_equal(a->owners[0].done, 0);
	assert_string_equal(a->owners[1].name, "North Care");
	assert_false(a->owners[1].staff);
	assert_int_equal(a->owners[1].open, 2);
	assert_int_equal(a->owners[1].overdue, 1);
	assert_int_equal(a->owners[1].done, 1);
	assert_int_equal(a->escalations, 5);
	assert_int_equal(a->acknowledged, 3);
	assert_int_equal(a->unacknowledged, 2);
	TEST_NEAR(a->ack_median, 3);
	TEST_NEAR(a->ack_longest, 10);
	assert_int_equal(a->escalations_open, 3);
	ca_trends_free(t);

	/* the audits of one partner's assessments, whoever owns the action */
	t = load("2025-01", "2025-03", "North Care", "2025-04-10", &x);
	a = &t->actions;
	assert_int_equal(a->open, 3);
	assert_int_equal(a->overdue, 2);
	assert_int_equal(a->nowners, 2);
	assert_string_equal(a->owners[0].name, "North Care");
	assert_string_equal(a->owners[1].name, "AU-1");
	assert_int_equal(a->owners[1].open, 1);
	assert_int_equal(a->escalations, 3);
	assert_int_equal(a->acknowledged, 3);
	assert_int_equal(a->escalations_open, 0);
	ca_trends_free(t);

	/* today inside the period: counted on today */
	t = load("2025-01", "2025-03", NULL, "2025-03-21", &x);
	a = &t->actions;
	assert_string_equal(a->census, "2025-03-21");
	assert_int_equal(a->open, 4);
	assert_int_equal(a->overdue, 3);
	assert_int_equal(a->escalations, 3);
	assert_int_equal(a->acknowledged, 3);
	assert_int_equal(a->escalations_open, 1);
	ca_trends_free(t);

	/* a period with none: zeros, no median */
	t = load("2024-01", "2024-01", NULL, "2025-04-10", &x);
	a = &t->actions;
	assert_int_equal(a->nowners, 0);
	assert_int_equal(a->open, 0);
	assert_int_equal(a->escalations, 0);
	assert_true(isnan(a->ack_median));
	ca_trends_free(t);
}

static void
test_api_refuses(void **state)
{
	ca_trends_query q = { .from = "2025-01", .to = "2025-03", .themes = -1 };
	ca_err err = { 0 };
	ca_trends *t = NULL;

	(void)state;
	assert_int_equal(ca_trends_load(test_group.conn, &q, &t, &err), 64);
	assert_null(t);
	assert_non_null(strstr(err.msg, "themes"));
}

/* ---- through the command line ------------------------------------------- */

static void
test_cli_json(void **state)
{
	char row[8192];
	test_run r;

	(void)state;
	assert_int_equal(test_cli(&r, "trends", "--by", "age_band", "--from", "2025-01", "--to",
	    "2025-03", "--today", "2025-04-10", "--format", "json", NULL), 0);
	assert_non_null(strstr(r.out, "{\"by\": \"age_band\", \"from\": \"2025-01\""));
	TEST_NEAR(test_json_num(r.out, "\"age_band\": \"18-64\"", "audits"), 5);
	TEST_NEAR(test_json_num(r.out, "\"age_band\": \"18-64\"", "good_or_outstanding"), 0.2);
	TEST_NEAR(test_json_num(r.out, "\"age_band\": \"18-64\"", "good_or_outstanding_lo"), 0.0362);
	/* four audits: the count withheld with the rest */
	test_json_row(r.out, "\"age_band\": \"65-74\"", row, sizeof row);
	assert_non_null(strstr(row, "\"suppressed\": true"));
	assert_non_null(strstr(row, "\"audits\": null"));
	assert_non_null(strstr(row, "\"good_or_outstanding\": null"));
	assert_non_null(strstr(row, "\"holistic_n\": null"));
	assert_null(strstr(row, "\"audits\": 4"));
	test_json_row(r.out, "\"age_band\": \"not recorded\"", row, sizeof row);
	assert_non_null(strstr(row, "\"recorded\": false"));
	TEST_NEAR(test_json_num(r.out, "\"age_band\": \"not recorded\"", "carers"), 0.3);
	TEST_NEAR(test_json_num(r.out, "\"age_band\": \"all\"", "audits"), 63);
	test_run_free(&r);

	assert_int_equal(test_cli(&r, "trends", "--by", "ethnicity", "--from", "2025-01", "--to",
	    "2025-03", "--format", "json", NULL), 0);
	test_json_row(r.out, "\"ethnicity\": \"Asian or Asian British\"", row, sizeof row);
	assert_non_null(strstr(row, "\"secondary\": true"));
	assert_non_null(strstr(row, "\"audits\": null"));
	TEST_NEAR(test_json_num(r.out, "\"ethnicity\": \"White British\"", "good_or_outstanding_n_eff"),
	    2500.0 / 56);
	test_run_free(&r);

	assert_int_equal(test_cli(&r, "trends", "--by", "support_reason", "--from", "2025-01",
	    "--to", "2025-03", "--format", "json", NULL), 0);
	TEST_NEAR(test_json_num(r.out, "\"support_reason\": \"Physical support\"", "audits"), 37);
	TEST_NEAR(test_json_num(r.out, "\"support_reason\": \"not recorded\"", "good_or_outstanding"),
	    11.0 / 23);
	test_run_free(&r);

	assert_int_equal(test_cli(&r, "trends", "--by", "wait", "--from", "2024-07", "--to",
	    "2024-09", "--today", "2025-04-10", "--format", "json", NULL), 0);
	TEST_NEAR(test_json_num(r.out, "\"provider\": \"North Care\"", "median_days"), 30);
	TEST_NEAR(test_json_num(r.out, "\"provider\": \"North Care\"", "p90_days"), 76);
	TEST_NEAR(test_json_num(r.out, "\"provider\": \"North Care\"", "waiting_median_days"), 29);
	TEST_NEAR(test_json_num(r.out, "\"provider\": \"South Care\"", "p90_days"), 31.5);
	assert_true(isnan(test_json_num(r.out, "\"provider\": \"South Care\"", "waiting")));
	assert_true(isnan(test_json_num(r.out, "\"provider\": \"East Care\"", "completed")));
	TEST_NEAR(test_json_num(r.out, "\"provider\": \"all\"", "median_days"), 10.5);
	TEST_NEAR(test_json_num(r.out, "\"provider\": \"all\"", "waiting"), 7);
	test_json_row(r.out, "\"provider\": \"all\"", row, sizeof row);
	assert_non_null(strstr(row, "\"census\": \"2024-09-30\""));
	test_run_free(&r);

	assert_int_equal(test_cli(&r, "trends", "--by", "theme", "--from", "2025-01", "--to",
	    "2025-03", "--format", "json", NULL), 0);
	test_json_row(r.out, "\"rank\": 1,", row, sizeof row);
	assert_non_null(strstr(row, "\"question\": \"beyond_presenting_issue\""));
	assert_non_null(strstr(row, "\"trend\": \"rising\""));
	TEST_NEAR(test_json_num(row, "\"rank\": 1,", "share_not_met"), 0.8);
	TEST_NEAR(test_json_num(row, "\"rank\": 1,", "share_not_met_2025-01"), 2.0 / 13);
	TEST_NEAR(test_json_num(row, "\"rank\": 1,", "earlier_not_met"), 0.1);
	test_json_row(r.out, "\"rank\": 5,", row, sizeof row);
	assert_non_null(strstr(row, "\"question\": \"outcomes_specific\""));
	assert_non_null(strstr(row, "\"trend\": \"falling\""));
	assert_null(strstr(r.out, "\"rank\": 6,"));
	test_json_row(r.out, "\"question\": \"carers_identified\"", row, sizeof row);
	assert_non_null(strstr(row, "\"trend\": null"));
	test_run_free(&r);
	assert_int_equal(test_cli(&r, "trends", "--by", "theme", "--top", "2", "--from",
	    "2025-01", "--to", "2025-03", "--format", "json", NULL), 0);
	assert_non_null(strstr(r.out, "\"rank\": 2,"));
	assert_null(strstr(r.out, "\"rank\": 3,"));
	test_run_free(&r);

	assert_int_equal(test_cli(&r, "trends", "--by", "funnel", "--from", "2025-01", "--to",
	    "2025-03", "--format", "json", NULL), 0);
	test_json_row(r.out, "\"provider\": \"North Care\"", row, sizeof row);
	assert_non_null(strstr(row, "\"limit998\": \"above\""));
	test_json_row(r.out, "\"provider\": \"East Care\"", row, sizeof row);
	assert_non_null(strstr(row, "\"limit95\": \"below\""));
	assert_non_null(strstr(row, "\"limit998\": \"within\""));
	test_json_row(r.out, "\"provider\": \"Tiny Care\"", row, sizeof row);
	assert_non_null(strstr(row, "\"placed\": false"));
	assert_non_null(strstr(row, "\"share\": null"));
	TEST_NEAR(test_json_num(r.out, "\"provider\": \"all\"", "overall"), 32.0 / 73);
	test_run_free(&r);

	assert_int_equal(test_cli(&r, "trends", "--by", "action", "--from", "2025-01", "--to",
	    "2025-03", "--today", "2025-04-10", "--format", "json", NULL), 0);
	TEST_NEAR(test_json_num(r.out, "\"owner\": \"all\"", "open"), 4);
	TEST_NEAR(test_json_num(r.out, "\"owner\": \"all\"", "overdue"), 3);
	TEST_NEAR(test_json_num(r.out, "\"owner\": \"all\"", "done"), 1);
	TEST_NEAR(test_json_num(r.out, "\"owner\": \"all\"", "set"), 2);
	TEST_NEAR(test_json_num(r.out, "\"owner\": \"all\"", "escalations"), 5);
	TEST_NEAR(test_json_num(r.out, "\"owner\": \"all\"", "acknowledged"), 3);
	TEST_NEAR(test_json_num(r.out, "\"owner\": \"all\"", "acknowledge_median_days"), 3);
	TEST_NEAR(test_json_num(r.out, "\"owner\": \"all\"", "acknowledge_longest_days"), 10);
	TEST_NEAR(test_json_num(r.out, "\"owner\": \"all\"", "escalations_open"), 3);
	test_json_row(r.out, "\"owner\": \"AU-1\"", row, sizeof row);
	assert_non_null(strstr(row, "\"kind\": \"staff\""));
	TEST_NEAR(test_json_num(row, "\"owner\"", "overdue"), 2);
	assert_true(strstr(r.out, "\"owner\": \"AU-1\"") < strstr(r.out, "\"owner\": \"North Care\""));
	assert_null(strstr(r.out, "South Care"));
	test_run_free(&r);
}

static void
test_cli_csv(void **state)
{
	char line[8192];
	test_run r;

	(void)state;
	assert_int_equal(test_cli(&r, "trends", "--by", "theme", "--from", "2025-01", "--to",
	    "2025-03", "--format", "csv", NULL), 0);
	test_starts(r.out, "rank,period,form,question,domain,text,met,partially_met,not_met,");
	test_line_of(r.out, "rank,", line, sizeof line);
	assert_non_null(strstr(line, ",trend,share_not_met_2025-01,share_not_met_2025-02,"
	    "share_not_met_2025-03"));
	test_line_of(r.out, "1,2025-03,care-act-assessment,beyond_presenting_issue,holistic,",
	    line, sizeof line);
	assert_non_null(strstr(line, ",rising,0.153846,0,0.8"));
	test_run_free(&r);

	/* no themes: the columns alone */
	assert_int_equal(test_cli(&r, "trends", "--by", "theme", "--from", "2024-12", "--to",
	    "2024-12", "--format", "csv", NULL), 0);
	test_starts(r.out, "rank,period,form,");
	assert_null(strchr(strchr(r.out, '\n') + 1, '\n'));
	test_run_free(&r);

	assert_int_equal(test_cli(&r, "trends", "--by", "age_band", "--from", "2025-01", "--to",
	    "2025-03", "--format", "csv", NULL), 0);
	test_starts(r.out, "age_band,total,recorded,suppressed,secondary,audits,");
	assert_non_null(test_line_of(r.out, "65-74,no,yes,yes,no,,", line, sizeof line));
	test_run_free(&r);
}

static void
test_cli_tables(void **state)
{
	char line[4096];
	test_run r;

	(void)state;
	assert_int_equal(test_cli(&r, "trends", "--by", "age_band", "--from", "2025-01", "--to",
	    "2025-03", NULL), 0);
	test_line_of(r.out, "AGE BAND", line, sizeof line);
	assert_non_null(strstr(line, "GOOD OR OUTSTANDING"));
	test_line_of(r.out, "18-64", line, sizeof line);
	assert_non_null(strstr(line, "20% (4–62%)"));
	test_line_of(r.out, "65-74", line, sizeof line);
	assert_non_null(strstr(line, "<5"));
	assert_null(strstr(line, " 4 "));
	test_line_of(r.out, "Not recorded", line, sizeof line);
	assert_non_null(strstr(line, "40% (17–69%)"));
	assert_non_null(strstr(r.out, "counts as well as shares"));
	test_run_free(&r);

	assert_int_equal(test_cli(&r, "trends", "--by", "ethnicity", "--from", "2025-01", "--to",
	    "2025-03", NULL), 0);
	test_line_of(r.out, "Asian or Asian British", line, sizeof line);
	assert_non_null(strstr(line, "withheld  withheld"));
	assert_null(strstr(line, "%"));
	assert_int_equal(line[strlen(line) - 1], 'd');
	test_run_free(&r);

	assert_int_equal(test_cli(&r, "trends", "--by", "wait", "--from", "2024-07", "--to",
	    "2024-09", "--today", "2025-04-10", NULL), 0);
	assert_non_null(strstr(r.out, "and of those still waiting on 30/09/2024"));
	test_line_of(r.out, "South Care", line, sizeof line);
	assert_non_null(strstr(line, " 31.5 "));
	assert_non_null(strstr(line, "suppressed"));
	test_line_of(r.out, "All partners", line, sizeof line);
	assert_non_null(strstr(line, " 10.5 "));
	assert_non_null(strstr(line, " 72.8"));
	test_run_free(&r);

	assert_int_equal(test_cli(&r, "trends", "--by", "theme", "--from", "2025-01", "--to",
	    "2025-03", NULL), 0);
	test_line_of(r.out, "1 ", line, sizeof line);
	assert_non_null(strstr(line, "beyond_presenting_issue"));
	assert_non_null(strstr(line, "8 of 10"));
	assert_non_null(strstr(line, "rising"));
	/* 2/13, 0 and 8/10 as bars */
	assert_non_null(strstr(line, "▂▁▇"));
	test_line_of(r.out, "2 ", line, sizeof line);
	assert_non_null(strstr(line, "▇·▅"));
	assert_non_null(strstr(r.out, "1. beyond_presenting_issue (care-act-assessment):\n"
	    "   Does the assessment look beyond"));
	test_run_free(&r);

	assert_int_equal(test_cli(&r, "trends", "--by", "funnel", "--from", "2025-01", "--to",
	    "2025-03", NULL), 0);
	assert_non_null(strstr(r.out, "good or outstanding around 44%"));
	test_line_of(r.out, "North Care", line, sizeof line);
	assert_non_null(strstr(line, "above 99.8% limit"));
	test_line_of(r.out, "East Care", line, sizeof line);
	assert_non_null(strstr(line, "below 95% limit"));
	test_line_of(r.out, "West Care", line, sizeof line);
	assert_non_null(strstr(line, "within"));
	test_line_of(r.out, "Tiny Care", line, sizeof line);
	assert_non_null(strstr(line, "<5"));
	test_run_free(&r);
	assert_int_equal(test_cli(&r, "trends", "--by", "funnel", "--measure", "carers",
	    "--from", "2025-01", "--to", "2025-03", NULL), 0);
	assert_non_null(strstr(r.out, "share met in carers around 30%"));
	test_run_free(&r);
	assert_int_equal(test_cli(&r, "trends", "--by", "funnel", "--provider", "North Care",
	    "--from", "2025-01", "--to", "2025-03", NULL), 0);
	assert_non_null(strstr(r.out, "around 100%, this partner alone"));
	assert_null(strstr(r.out, "all partners together"));
	test_run_free(&r);

	assert_int_equal(test_cli(&r, "trends", "--by", "action", "--from", "2025-01", "--to",
	    "2025-03", "--today", "2025-04-10", NULL), 0);
	assert_non_null(strstr(r.out, "escalations in 2025-03, all partner organisations,\n"
	    "counted on 31/03/2025\n"));
	test_line_of(r.out, "AU-1", line, sizeof line);
	assert_non_null(strstr(line, "staff"));
	assert_non_null(strstr(r.out, "Safeguarding escalations raised in 2025-03: 5.\n"
	    "  Acknowledged by 31/03/2025: 3, after a median of 3 days (the longest 10).\n"
	    "  Not acknowledged by then: 2.\n"
	    "Escalations unacknowledged on 31/03/2025, whenever raised: 3.\n"));
	test_run_free(&r);

	/* nothing to show, said plainly */
	assert_int_equal(test_cli(&r, "trends", "--by", "theme", "--from", "2024-12", "--to",
	    "2024-12", NULL), 0);
	assert_non_null(strstr(r.out, "No question was answered five or more times in 2024-12"));
	test_run_free(&r);
	assert_int_equal(test_cli(&r, "trends", "--by", "wait", "--from", "2020-01", "--to",
	    "2020-03", NULL), 0);
	assert_non_null(strstr(r.out, "nothing to show yet"));
	test_run_free(&r);
}

static void
test_cli_refuses(void **state)
{
	(void)state;
	TEST_REFUSED(64, "--top goes with --by theme", "trends", "--top", "3");
	TEST_REFUSED(64, "--top is a number", "trends", "--by", "theme", "--top", "0");
	TEST_REFUSED(64, "--top is a number", "trends", "--by", "theme", "--top", "-2");
	TEST_REFUSED(64, "--measure goes with --by funnel", "trends", "--by", "theme",
	    "--measure", "risk");
	TEST_REFUSED(64, "--measure is good_or_outstanding or a domain", "trends", "--by",
	    "funnel", "--measure", "overdue_or_late");
	TEST_REFUSED(64, "age_band, ethnicity, support_reason, wait, theme, funnel or action",
	    "trends", "--by", "gender");
	TEST_OK("trends", "--help");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_api_equity),
		cmocka_unit_test(test_api_funnel),
		cmocka_unit_test(test_api_themes),
		cmocka_unit_test(test_api_theme_ties),
		cmocka_unit_test(test_api_no_flags),
		cmocka_unit_test(test_api_waits),
		cmocka_unit_test(test_api_actions),
		cmocka_unit_test(test_api_refuses),
		cmocka_unit_test(test_cli_json),
		cmocka_unit_test(test_cli_csv),
		cmocka_unit_test(test_cli_tables),
		cmocka_unit_test(test_cli_refuses),
		cmocka_unit_test(test_api_flags_follow_current_rules),
	};

	return cmocka_run_group_tests_name("trends_extra", tests, setup, test_group_teardown);
}
