-- bench/report_data.sql - two years of audit work for bench/report, made in
-- SQL on a fresh, migrated database that already holds the staff of
-- `caseaudit demo generate --staff-only`, the checklists and screening rules
-- of forms/*.yaml, and the three sampling plans bench/report creates.
--
--   psql -v base=N -f bench/report_data.sql
--
-- base: the assessments completed in an average month; the plans sample 10%
-- of them, so 24 months draw about 2.4 * base audits.
--
-- What it makes, as the programs would have left it:
--   - assessments completed from October 2024 to 20 October 2026 (the data's
--     last day), in eight partner organisations of unequal size, with waits,
--     priorities, demographics and one screening each; and people still
--     waiting on that day;
--   - a sampling run per plan and month from 2024-10 to 2026-09, drawn on the
--     1st of the next month: stratified by partner (Care Act assessments),
--     simple random (carers' assessments), and risk-weighted (reviews: a
--     random core and a weighted oversample, so audits weigh differently);
--     strata with their whole populations, members with their inclusion
--     probabilities;
--   - an audit per sampled case, assigned to an independent auditor, due 28
--     days after the draw, then moved through the workflow's own states in
--     the order its triggers allow (assigned, in progress, submitted,
--     feedback, returned, closed, cancelled): answers to every question of
--     the checklist, given while the audit was open; domain scores by the
--     rule of audit/scores.h, from the answers and the checklist's scale and
--     weights; a grade that follows the scores; feedback to the partner,
--     some comments; moderation draws for every submission, moderations of
--     one in ten, some returned and resubmitted; actions, some done, some
--     overdue; a safeguarding escalation for every safeguarding question
--     not met, most acknowledged within days.
-- Quality differs by partner (the demo generator's practice profiles) and
-- improves a little month by month, faster where it started lowest.  Work
-- late in the period is unfinished on 20 October 2026: September's audits
-- partly done, a few of August's overdue.
--
-- Not made, because the board report does not read them: the events trail,
-- overdue reminders, targeted re-audits and the quarterly minimum of
-- moderation.  random() runs in one process after setseed, so every run
-- makes the same rows.
\set ON_ERROR_STOP on
SET max_parallel_workers_per_gather = 0;
SET client_min_messages = warning;
SELECT setseed(0.42) \g /dev/null

-- The day the data was taken, and "the next time the daemon runs" after a
-- day: the 1st and the 15th, as the demo runs it.
CREATE TEMP TABLE bench (as_of date, base int);
INSERT INTO bench VALUES (date '2026-10-20', :base);
CREATE FUNCTION pg_temp.tick(d date) RETURNS date LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE WHEN extract(day FROM d) < 15 THEN date_trunc('month', d)::date + 14
	            ELSE (date_trunc('month', d) + interval '1 month')::date END
$$;

-- The partners: their share of the work per thousand, practice per thousand
-- (holistic, strengths, risk, carers, recording: the demo generator's
-- profiles), how much that improves over the two years, how often their
-- screenings raise flags, and how long people wait (per cent).
CREATE TEMP TABLE partner AS
SELECT o.id AS provider_id, v.name, v.lo, v.hi,
       ARRAY[v.h, v.s, v.r, v.c, (v.h + v.s + v.r + v.c + v.rec) / 5, v.rec]::float8[] AS q,
       v.gain, v.f, v.speed,
       (SELECT array_agg(s.staff_ref ORDER BY s.staff_ref) FROM staff s
         WHERE s.organisation_id = o.id AND 'assessor' = ANY (s.roles)) AS assessors,
       (SELECT array_agg(s.id ORDER BY s.id) FROM staff s
         WHERE s.organisation_id <> o.id AND 'auditor' = ANY (s.roles) AND s.active) AS auditors
FROM (VALUES ('Northgate Community Care', 0, 300, 450, 420, 550, 550, 600, 0.06, 1.0, 100),
             ('Riverside Carers Trust', 300, 500, 500, 620, 600, 850, 700, 0.05, 0.9, 110),
             ('Oakfield Wellbeing Partnership', 500, 650, 720, 800, 720, 650, 800, 0.03, 0.6, 125),
             ('Age Well Alliance', 650, 760, 220, 280, 330, 350, 450, 0.16, 1.6, 80),
             ('Brookside Independent Living', 760, 850, 620, 600, 760, 600, 750, 0.04, 0.8, 105),
             ('Meadowbank Support Services', 850, 920, 300, 250, 300, 380, 350, 0.14, 1.5, 90),
             ('Hillcrest Neighbourhood Trust', 920, 970, 550, 650, 550, 600, 650, 0.05, 0.9, 115),
             ('Kingsmead Community Partnership', 970, 1000, 820, 850, 820, 820, 850, 0.02, 0.5, 120))
     AS v(name, lo, hi, h, s, r, c, rec, gain, f, speed)
JOIN organisations o ON o.name = v.name;

-- Months 0 (2024-10) to 23 (2026-09) are sampled; month 24 (October 2026,
-- to the 20th) is completed work not yet sampled.  A little more work in
-- winter.
CREATE TEMP TABLE month AS
SELECT m, f AS first, least((f + interval '1 month')::date - 1, b.as_of) AS last,
       round(b.base * (1 + 0.08 * sin(2 * pi() * (m + 3) / 12))
             * (least((f + interval '1 month')::date - 1, b.as_of) - f + 1)
             / ((f + interval '1 month')::date - f))::int AS n
FROM bench b, generate_series(0, 24) AS m,
     LATERAL (SELECT (date '2024-10-01' + make_interval(months => m))::date AS f) x;

-- ---- assessments and screenings ----------------------------------------

-- Narratives and screening matches of a realistic size, so that reading a
-- table costs what it would: the demo's narratives average 1.3 kB (80 to
-- 400 words) and their screenings about 26 matches, 1 kB.  The text is
-- made of random hex words that do not compress; a thousand of them, and
-- forty lists of matches, are shared out among the rows.
CREATE TEMP TABLE narrative AS
SELECT k, 'Benchmark record: ' || string_agg(substr(md5(k::text || '.' || w), 1, 3 + w % 6),
    ' ' ORDER BY w) AS text
FROM generate_series(0, 999) AS k,
     LATERAL generate_series(1, 80 + (k * 7919) % 240) AS w
GROUP BY k;
CREATE TEMP TABLE match_list AS
SELECT j, jsonb_agg(jsonb_build_object('rule', 'rule_' || (m * 37 + j) % 120,
    'category', (ARRAY['outcome', 'strengths', 'deficit', 'risk', 'carer_offer'])[1 + m % 5],
    'start', m * 48, 'end', m * 48 + 5 + m % 30) ORDER BY m) AS matches
FROM generate_series(0, 39) AS j, LATERAL generate_series(1, 8 + j) AS m
GROUP BY j;

-- Types 8 : 2 : 1 (Care Act assessments, reviews, carers' assessments);
-- waits 70% under 13 weeks, 22% to 26 weeks, 8% longer, scaled by the
-- partner's speed; demographics in the demo generator's proportions, with
-- a few not recorded and one small group (for the suppression rules).
INSERT INTO assessments (assessment_ref, person_ref, assessment_type, provider_id,
    assessor_ref, requested_on, completed_on, summary, priority, eligible,
    direct_payment_offered, carer_identified, age_band, gender, ethnicity,
    primary_support_reason)
SELECT 'AS-' || to_char(g.first, 'YYMM') || '-' || lpad(g.k::text, 6, '0'),
    'PR-' || lpad(((g.m * 100000 + g.k)::bigint * 7919 % 9999991)::text, 7, '0'),
    CASE WHEN g.k % 11 < 8 THEN 'care_act_assessment'
         WHEN g.k % 11 < 10 THEN 'review' ELSE 'carers_assessment' END,
    p.provider_id, p.assessors[1 + floor(g.ra * cardinality(p.assessors))::int],
    g.done - round(p.speed / 100.0 *
        CASE WHEN g.rw < 0.70 THEN g.rw / 0.70 * 92
             WHEN g.rw < 0.92 THEN 92 + (g.rw - 0.70) / 0.22 * 91
             ELSE 183 + (g.rw - 0.92) / 0.08 * 220 END)::int,
    g.done, (SELECT n.text FROM narrative n WHERE n.k = (g.m * 100000 + g.k) % 1000),
    CASE WHEN g.rq < 0.05 THEN 'urgent' WHEN g.rq < 0.25 THEN 'high'
         WHEN g.rq < 0.70 THEN 'medium' WHEN g.rq < 0.95 THEN 'low' END,
    g.ra < 0.8, g.rw < 0.3, g.rq > 0.6,
    CASE WHEN g.r1 < 0.03 THEN NULL WHEN g.r1 < 0.07 THEN '18-24' WHEN g.r1 < 0.17 THEN '25-44'
         WHEN g.r1 < 0.33 THEN '45-64' WHEN g.r1 < 0.49 THEN '65-74' WHEN g.r1 < 0.75 THEN '75-84'
         ELSE '85+' END,
    CASE WHEN g.r2 < 0.56 THEN 'Female' WHEN g.r2 < 0.97 THEN 'Male'
         WHEN g.r2 < 0.98 THEN 'Non-binary' ELSE 'Prefer not to say' END,
    CASE WHEN g.r3 < 0.02 THEN '' WHEN g.r3 < 0.76 THEN 'White British'
         WHEN g.r3 < 0.82 THEN 'White Other' WHEN g.r3 < 0.89 THEN 'Asian or Asian British'
         WHEN g.r3 < 0.93 THEN 'Black or Black British' WHEN g.r3 < 0.95 THEN 'Mixed'
         WHEN g.r3 < 0.959 THEN 'Other ethnic group'
         WHEN g.r3 < 0.9605 THEN 'Gypsy or Irish Traveller' ELSE 'Not stated' END,
    CASE WHEN g.r4 < 0.02 THEN NULL WHEN g.r4 < 0.50 THEN 'Physical support'
         WHEN g.r4 < 0.59 THEN 'Sensory support'
         WHEN g.r4 < 0.80 THEN 'Support with memory and cognition'
         WHEN g.r4 < 0.87 THEN 'Learning disability support'
         WHEN g.r4 < 0.94 THEN 'Mental health support' ELSE 'Social support' END
FROM (SELECT mo.m, mo.first, k, mo.first + floor(random() * (mo.last - mo.first + 1))::int AS done,
             random() AS rp, random() AS ra, random() AS rw, random() AS rq,
             random() AS r1, random() AS r2, random() AS r3, random() AS r4
      FROM month mo, generate_series(1, mo.n) AS k OFFSET 0) AS g
JOIN partner p ON g.rp * 1000 >= p.lo AND g.rp * 1000 < p.hi;

-- Still waiting on the last day: requested in the eight months before it,
-- most recently.
INSERT INTO assessments (assessment_ref, person_ref, assessment_type, provider_id,
    assessor_ref, requested_on, completed_on, summary, priority)
SELECT 'AS-W-' || lpad(g.k::text, 6, '0'),
    'PR-' || lpad(((9000000 + g.k)::bigint * 7919 % 9999991)::text, 7, '0'),
    CASE WHEN g.k % 11 < 8 THEN 'care_act_assessment'
         WHEN g.k % 11 < 10 THEN 'review' ELSE 'carers_assessment' END,
    p.provider_id, p.assessors[1 + floor(g.ra * cardinality(p.assessors))::int],
    g.as_of - floor(g.rw * g.rw * 240 * p.speed / 100.0)::int, NULL,
    (SELECT n.text FROM narrative n WHERE n.k = g.k % 1000),
    CASE WHEN g.rq < 0.05 THEN 'urgent' WHEN g.rq < 0.25 THEN 'high'
         WHEN g.rq < 0.70 THEN 'medium' ELSE 'low' END
FROM (SELECT b.as_of, k, random() AS rp, random() AS ra, random() AS rw, random() AS rq
      FROM bench b, generate_series(1, b.base / 2) AS k OFFSET 0) AS g
JOIN partner p ON g.rp * 1000 >= p.lo AND g.rp * 1000 < p.hi;

-- One screening each, as `caseaudit screen` would leave it (bench/sample's
-- rates): the flags follow the partner's practice; the matches are only
-- there for their size.
INSERT INTO screenings (assessment_id, rule_set_id, assessment_revision, outcomes,
    outcome_count, strengths_terms, deficit_terms, flags, matches)
SELECT s.id, (SELECT max(id) FROM screening_rule_sets), 1,
    (ARRAY['nutrition', 'personal_hygiene', 'toilet_needs', 'clothing', 'home_safety',
      'habitable_home', 'relationships', 'work_education', 'community_services',
      'caring_for_child'])[1:s.k], s.k, s.st, s.de,
    array_remove(ARRAY[CASE WHEN s.k <= 1 THEN 'single_issue' END,
      CASE WHEN s.r1 < 0.15 * s.f THEN 'no_person_voice' END,
      CASE WHEN s.r2 < 0.20 * s.f THEN 'deficit_language' END,
      CASE WHEN s.r3 < 0.08 * s.f THEN 'risk_without_plan' END,
      CASE WHEN s.r4 < 0.06 * s.f THEN 'carer_without_offer' END,
      CASE WHEN s.r5 < 0.02 * s.f THEN 'safeguarding_concern' END,
      CASE WHEN s.r6 < 0.04 THEN 'personal_data' END], NULL),
    (SELECT ml.matches FROM match_list ml WHERE ml.j = s.id % 40)
FROM (SELECT a.id, p.f, least(10, floor(random() * 11 / p.f))::int AS k,
             floor(random() * 6 / p.f)::int AS st, floor(random() * 6 * p.f)::int AS de,
             random() AS r1, random() AS r2, random() AS r3, random() AS r4,
             random() AS r5, random() AS r6
      FROM assessments a JOIN partner p USING (provider_id) ORDER BY a.id OFFSET 0) AS s;

ANALYZE assessments;
ANALYZE screenings;

-- ---- sampling runs ------------------------------------------------------

-- Each month's population per plan, in assessment_ref order, with the risk
-- weight caseaudit gives (1 + flags other than personal data + priority +
-- wait).
CREATE TEMP TABLE pop AS
SELECT mo.m, pl.id AS plan_id, pl.name AS plan, pl.method, pl.size_value / 100 AS f,
    a.id, a.assessment_ref, a.provider_id, o.name AS provider,
    1 + coalesce(cardinality(array_remove(s.flags, 'personal_data')), 0)
      + CASE a.priority WHEN 'urgent' THEN 2 WHEN 'high' THEN 1 ELSE 0 END
      + CASE WHEN a.completed_on - a.requested_on > 182 THEN 2
             WHEN a.completed_on - a.requested_on > 91 THEN 1 ELSE 0 END AS w
FROM month mo
JOIN assessments a ON a.completed_on BETWEEN mo.first AND mo.last
JOIN organisations o ON o.id = a.provider_id
JOIN sampling_plans pl ON a.assessment_type = ANY (pl.assessment_types)
LEFT JOIN screenings s ON s.assessment_id = a.id
WHERE mo.m < 24;

-- Strata: per partner for the stratified plan (numbered by name, as
-- sample.c does), one "all" otherwise.  Allocation proportional, two at
-- least.
CREATE TEMP TABLE stratum AS
SELECT m, plan_id, method,
    CASE WHEN method = 'stratified' THEN dense_rank() OVER
        (PARTITION BY m, plan_id ORDER BY label) - 1 ELSE 0 END AS stratum,
    label, provider_id, population,
    CASE WHEN method = 'stratified' THEN least(population, greatest(2, round(population * f)::int))
         ELSE round(population * f)::int END AS allocation,
    members, weights, sw
FROM (SELECT m, plan_id, method, f,
          CASE WHEN method = 'stratified' THEN provider ELSE 'all' END AS label,
          CASE WHEN method = 'stratified' THEN provider_id END AS provider_id,
          count(*) AS population,
          array_agg(id ORDER BY assessment_ref) AS members,
          array_agg(w::float8 ORDER BY assessment_ref) AS weights,
          sum(w) AS sw
      FROM pop
      GROUP BY m, plan_id, method, f, 5, 6) x;

-- The draw.  Stratified and random: the allocation at random, each case
-- with probability n/N.  Risk: a random core of half the size (each case
-- a = n/2N) and an oversample of the other half in proportion to weight
-- (b = n/2 * w / sum w), drawn independently, so pi = a + b - ab.
CREATE TEMP TABLE drawn AS
SELECT x.m, x.plan_id, x.stratum, x.id,
    CASE x.method WHEN 'stratified' THEN 'stratified' WHEN 'random' THEN 'random'
         WHEN 'risk' THEN CASE WHEN x.u1 < x.a THEN 'core' ELSE 'oversample' END END AS part,
    CASE WHEN x.method = 'risk' THEN x.a + x.b - x.a * x.b
         ELSE x.allocation::float8 / x.population END AS pi
FROM (SELECT y.*, row_number() OVER (PARTITION BY y.m, y.plan_id, y.stratum ORDER BY y.r0) AS rk
      -- the random numbers first, each its own: a window ordered by
      -- random() itself would hand its sort key out as every random()
      FROM (SELECT p.m, p.plan_id, p.method, st.stratum, st.allocation, st.population, p.id,
                random() AS r0, random() AS u1, random() AS u2,
                st.allocation / 2.0 / st.population AS a,
                st.allocation / 2.0 * p.w / st.sw AS b
            FROM pop p JOIN stratum st ON st.m = p.m AND st.plan_id = p.plan_id
             AND (st.provider_id IS NULL OR st.provider_id = p.provider_id)
            ORDER BY p.m, p.plan_id, p.assessment_ref OFFSET 0) y) x
WHERE CASE WHEN x.method = 'risk' THEN x.u1 < x.a OR x.u2 < x.b ELSE x.rk <= x.allocation END;

INSERT INTO sampling_runs (plan_id, period, period_start, period_end, method, parameters,
    seed, seed_source, population_size, population_sha256, sample_size, form_version_id,
    run_on, created_by)
SELECT pl.id, to_char(mo.first, 'YYYY-MM'), mo.first, mo.last, pl.method,
    (to_jsonb(pl) - 'id' - 'created_at' - 'created_by' - 'paused' - 'form_id')
      || jsonb_build_object('form', f.name, 'providers', '[]'::jsonb),
    floor(random() * 9007199254740992)::numeric, 'given',
    (SELECT count(*) FROM pop WHERE pop.m = mo.m AND pop.plan_id = pl.id),
    (SELECT encode(sha256(convert_to(string_agg(assessment_ref, E'\n' ORDER BY assessment_ref),
       'UTF8')), 'hex') FROM pop WHERE pop.m = mo.m AND pop.plan_id = pl.id),
    (SELECT count(*) FROM drawn d WHERE d.m = mo.m AND d.plan_id = pl.id),
    f.current_version_id, mo.last + 1, 'bench'
FROM month mo CROSS JOIN sampling_plans pl JOIN forms f ON f.id = pl.form_id
WHERE mo.m < 24
ORDER BY mo.m, pl.name;

CREATE TEMP TABLE run AS
SELECT r.id AS run_id, mo.m, r.plan_id, r.run_on, r.form_version_id, f.name AS form
FROM sampling_runs r JOIN month mo ON to_char(mo.first, 'YYYY-MM') = r.period
JOIN sampling_plans pl ON pl.id = r.plan_id JOIN forms f ON f.id = pl.form_id;

INSERT INTO sampling_run_strata (run_id, stratum, label, provider_id, population, allocation,
    members, weights)
SELECT r.run_id, st.stratum, st.label, st.provider_id, st.population,
    CASE WHEN st.method = 'risk' THEN (SELECT count(*) FROM drawn d WHERE d.m = st.m
        AND d.plan_id = st.plan_id) ELSE st.allocation END,
    st.members, CASE WHEN st.method = 'risk' THEN st.weights END
FROM stratum st JOIN run r ON r.m = st.m AND r.plan_id = st.plan_id;

INSERT INTO sampling_run_members (run_id, assessment_id, stratum, part, inclusion_probability)
SELECT r.run_id, d.id, d.stratum, d.part, d.pi
FROM drawn d JOIN run r ON r.m = d.m AND r.plan_id = d.plan_id;

-- ---- the audits, as planned ---------------------------------------------

-- Everything about each audit decided at once: its auditor, when it is
-- started and submitted (most within the 28 days, some late, one in
-- seventy stuck for a month or two), its quality (the partner's, improving
-- over time, with a per-audit spread; a screening flag in a domain makes
-- that domain likelier to fail), whether it has a carer to ask about, a
-- comment from the partner, and the 1 in 200 cancelled.
CREATE TEMP TABLE plan_audit AS
SELECT x.*, x.run_on + floor(x.delay * 0.4)::int AS started_on,
    x.run_on + x.delay AS submitted_on
FROM (SELECT r.run_id, r.m, r.run_on, r.run_on + 28 AS due_on, r.form_version_id, r.form,
          d.id AS assessment_id, a.provider_id, a.assessor_ref,
          p.auditors[1 + floor(random() * cardinality(p.auditors))::int] AS auditor_id,
          (SELECT array_agg(least(0.97, greatest(0.03, q / 1000.0 + p.gain * r.m / 23.0))
             ORDER BY i) FROM unnest(p.q) WITH ORDINALITY AS u(q, i)) AS quality,
          (random() - 0.5) * 0.3 AS spread,
          coalesce(s.flags, '{}') AS flags,
          r.form <> 'carers-assessment' AND random() < 0.3 AS no_carer,
          5 + floor((32 - 6 * r.m / 23.0) * power(random(), 1.7))::int
            + CASE WHEN random() < 0.015 THEN 30 + floor(random() * 30)::int ELSE 0 END AS delay,
          random() < 0.07 AS comments,
          random() < 0.005 AS cancelled
      FROM drawn d JOIN run r ON r.m = d.m AND r.plan_id = d.plan_id
      JOIN assessments a ON a.id = d.id
      JOIN partner p ON p.provider_id = a.provider_id
      LEFT JOIN screenings s ON s.assessment_id = a.id
      ORDER BY r.run_id, d.id OFFSET 0) x;

-- Assigned on the day of the draw: the independence trigger checks each.
INSERT INTO audits (run_id, assessment_id, form_version_id, status, auditor_id, due_on,
    assigned_at)
SELECT run_id, assessment_id, form_version_id, 'assigned', auditor_id, due_on,
    run_on::timestamptz
FROM plan_audit ORDER BY run_id, assessment_id;

ALTER TABLE plan_audit ADD COLUMN id bigint;
UPDATE plan_audit pa SET id = au.id FROM audits au
WHERE au.run_id = pa.run_id AND au.assessment_id = pa.assessment_id;
CREATE INDEX ON plan_audit (id);
ANALYZE plan_audit;

-- A QA lead cancels a few before they start.
UPDATE audits au SET status = 'cancelled', version = version + 1,
    cancel_reason = 'Benchmark: the case was withdrawn before audit.'
FROM plan_audit pa WHERE pa.id = au.id AND pa.cancelled;

-- ---- answers ------------------------------------------------------------

-- Every question of the audit's checklist, answered between starting and
-- submitting; only what was answered by the last day exists.  Some
-- questions are harder to meet than others (up to 15 points either way,
-- fixed by the question's id).  The safeguarding question mostly does not
-- apply and is rarely not met; a carers question does not apply where
-- there is no carer.
CREATE TEMP TABLE plan_answer AS
SELECT x.audit_id, x.form_version_id, x.question_id, x.auditor_id,
    x.started_on + floor(x.t * (x.submitted_on - x.started_on + 1))::int AS answered_on,
    CASE WHEN x.question_id = 'safeguarding' THEN
             CASE WHEN x.u < 0.6 THEN 'not_applicable' WHEN x.u < 0.96 THEN 'met'
                  WHEN x.u < 0.99 THEN 'partially_met' ELSE 'not_met' END
         WHEN x.domain = 'carers' AND x.no_carer THEN 'not_applicable'
         WHEN x.u < 0.03 THEN 'not_applicable'
         WHEN x.v < x.pm THEN 'met'
         WHEN x.v < x.pm + (1 - x.pm) * 0.45 THEN 'partially_met'
         ELSE 'not_met' END AS rating,
    x.evidence_required_for
-- the random numbers drawn in the answers' order, after the sort: drawn
-- as the rows are joined, their order would follow the plan
FROM (SELECT pa.id AS audit_id, pa.form_version_id, q.question_id, pa.auditor_id,
          pa.started_on, pa.submitted_on, pa.no_carer, s.domain, q.evidence_required_for,
          least(0.98, greatest(0.02, pa.quality[array_position(ARRAY['holistic',
              'strengths', 'risk', 'carers', 'outcomes', 'recording'], s.domain)]
            + pa.spread + ((hashtext(q.question_id) & 1023) / 1023.0 - 0.5) * 0.3
            - CASE WHEN pa.flags && CASE s.domain
                  WHEN 'holistic' THEN ARRAY['single_issue']
                  WHEN 'strengths' THEN ARRAY['no_person_voice', 'deficit_language']
                  WHEN 'risk' THEN ARRAY['risk_without_plan', 'safeguarding_concern']
                  WHEN 'carers' THEN ARRAY['carer_without_offer'] ELSE '{}'::text[] END
              THEN 0.25 ELSE 0 END)) AS pm,
          random() AS t, random() AS u, random() AS v
      FROM plan_audit pa
      JOIN form_questions q ON q.form_version_id = pa.form_version_id
      JOIN form_sections s ON s.form_version_id = q.form_version_id
       AND s.position = q.section_position
      WHERE NOT pa.cancelled
      ORDER BY pa.id, q.position OFFSET 0) x;

INSERT INTO answers (audit_id, form_version_id, question_id, rating, evidence, answered_by,
    answered_on)
SELECT pa.audit_id, pa.form_version_id, pa.question_id, pa.rating,
    CASE WHEN pa.rating = ANY (pa.evidence_required_for)
         THEN 'Benchmark record: the evidence is not written out.' END,
    pa.auditor_id, pa.answered_on
FROM plan_answer pa, bench b WHERE pa.answered_on <= b.as_of;

UPDATE audits au SET status = 'in_progress', started_on = pa.started_on,
    version = version + 1
FROM plan_audit pa, bench b
WHERE pa.id = au.id AND NOT pa.cancelled AND pa.started_on <= b.as_of;

-- ---- submission ---------------------------------------------------------

-- Each rating's score in its question's scale: a number, or NULL where the
-- scale says excluded (not applicable).
CREATE TEMP TABLE scale AS
SELECT q.form_version_id, q.question_id, r.r ->> 'id' AS rating,
    CASE WHEN jsonb_typeof(r.r -> 'score') = 'number' THEN (r.r ->> 'score')::float8 END AS v
FROM form_questions q JOIN form_versions fv ON fv.id = q.form_version_id,
     jsonb_array_elements(fv.scale) sc, jsonb_array_elements(sc -> 'ratings') r(r)
WHERE sc ->> 'id' = q.scale;

-- Domain scores by the rule of audit/scores.h: per domain of the answered
-- questions, the applicable ones (the rating's score in the question's
-- scale is a number), weighted; no score where none applied.  Weights and
-- scores are halves and small integers, so the sums are exact in any order,
-- as in C.
INSERT INTO domain_scores (audit_id, domain, questions, applicable, met, partially_met,
    not_met, weight, score)
SELECT x.audit_id, x.domain, count(*), count(x.v),
    count(*) FILTER (WHERE x.rating = 'met'), count(*) FILTER (WHERE x.rating = 'partially_met'),
    count(*) FILTER (WHERE x.rating = 'not_met'),
    coalesce(sum(x.w) FILTER (WHERE x.v IS NOT NULL), 0),
    sum(x.w * x.v) / sum(x.w) FILTER (WHERE x.v IS NOT NULL)
FROM (SELECT an.audit_id, s.domain, an.rating, q.weight::float8 AS w,
          sc.v
      FROM answers an
      JOIN plan_audit pa ON pa.id = an.audit_id
      JOIN form_questions q ON q.form_version_id = an.form_version_id
       AND q.question_id = an.question_id
      JOIN form_sections s ON s.form_version_id = q.form_version_id
       AND s.position = q.section_position
      LEFT JOIN scale sc ON sc.form_version_id = an.form_version_id
       AND sc.question_id = an.question_id AND sc.rating = an.rating
      CROSS JOIN bench b
      WHERE pa.submitted_on <= b.as_of AND q.weight > 0) x
WHERE x.v IS NULL OR x.v <= 1
GROUP BY x.audit_id, x.domain;

-- The grade follows the scores, as an auditor's judgement does, with some
-- spread: the mean of the domain scores.
ALTER TABLE plan_audit ADD COLUMN grade text;
UPDATE plan_audit pa SET grade = CASE WHEN g.s >= 0.85 THEN 'outstanding'
        WHEN g.s >= 0.62 THEN 'good' WHEN g.s >= 0.38 THEN 'requires_improvement'
        ELSE 'inadequate' END
FROM (SELECT m.audit_id, m.mean + (random() - 0.5) * 0.14 AS s
      FROM (SELECT ds.audit_id, avg(ds.score) AS mean FROM domain_scores ds
            WHERE ds.score IS NOT NULL GROUP BY ds.audit_id) m
      ORDER BY m.audit_id OFFSET 0) g
WHERE g.audit_id = pa.id;

UPDATE audits au SET status = 'submitted', grade = pa.grade, submitted_on = pa.submitted_on,
    submissions = 1, version = version + 1
FROM plan_audit pa WHERE pa.id = au.id AND pa.grade IS NOT NULL;

-- Each submission: its feedback to the partner (14 days to comment) and
-- the reminders it sends; the moderation draw at the daemon's next run;
-- one in ten selected, moderated by the principal social worker within
-- three weeks, mostly agreeing, now and then returning the audit.
CREATE TEMP TABLE sub AS
SELECT pa.id AS audit_id, 1 AS submission, pa.submitted_on AS on_day, pa.grade,
    pa.provider_id, pa.assessor_ref, pa.comments
FROM plan_audit pa WHERE pa.grade IS NOT NULL;

CREATE TEMP TABLE plan_moderation (audit_id bigint, submission int, draw float8,
    selected_on date, done_on date, auditor_grade text, grade text, returned boolean);

CREATE FUNCTION pg_temp.moderate(n int) RETURNS void LANGUAGE sql AS $$
	INSERT INTO feedback (audit_id, submission, organisation_id, assessor_ref, sent_on,
	    window_ends)
	SELECT audit_id, submission, provider_id, assessor_ref, on_day, on_day + 14
	FROM sub WHERE submission = n;
	INSERT INTO reminders (audit_id, kind, organisation_id, due_on, created_on)
	SELECT audit_id, 'feedback', provider_id, on_day + 14, on_day FROM sub WHERE submission = n;
	INSERT INTO reminders (audit_id, kind, recipient_id, due_on, created_on)
	SELECT s.audit_id, 'feedback', st.id, s.on_day + 14, s.on_day
	FROM sub s JOIN staff st ON st.staff_ref = s.assessor_ref WHERE s.submission = n;
	INSERT INTO plan_moderation
	SELECT x.audit_id, n, x.draw, x.drawn_on, x.drawn_on + 3 + floor(random() * 18)::int,
	    x.grade,
	    CASE WHEN x.r < 0.76 THEN x.grade
	         ELSE (ARRAY['outstanding', 'good', 'requires_improvement', 'inadequate'])[
	             least(4, greatest(1, array_position(ARRAY['outstanding', 'good',
	             'requires_improvement', 'inadequate'], x.grade)
	             + CASE WHEN x.r < 0.9 THEN 1 ELSE -1 END))] END,
	    n = 1 AND random() < 0.04
	FROM (SELECT s.audit_id, s.grade, random() AS draw, random() AS r,
	          pg_temp.tick(s.on_day) AS drawn_on
	      FROM sub s WHERE s.submission = n ORDER BY s.audit_id OFFSET 0) x, bench b
	WHERE x.drawn_on <= b.as_of;
	INSERT INTO moderation_draws (audit_id, submission, draw, share, selected, drawn_on)
	SELECT audit_id, submission, draw, 0.1, draw < 0.1, selected_on
	FROM plan_moderation WHERE submission = n;
	INSERT INTO moderations (audit_id, submission, reason, moderator_id, status, selected_on,
	    auditor_grade, grade, comment, returned, done_on)
	SELECT pm.audit_id, pm.submission, 'sampled',
	    (SELECT min(id) FROM staff WHERE 'psw' = ANY (roles)),
	    CASE WHEN pm.done_on <= b.as_of THEN 'done' ELSE 'pending' END, pm.selected_on,
	    CASE WHEN pm.done_on <= b.as_of THEN pm.auditor_grade END,
	    CASE WHEN pm.done_on <= b.as_of THEN pm.grade END,
	    CASE WHEN pm.done_on <= b.as_of THEN 'Benchmark record: no comment.' END,
	    pm.returned AND pm.done_on <= b.as_of,
	    CASE WHEN pm.done_on <= b.as_of THEN pm.done_on END
	FROM plan_moderation pm, bench b WHERE pm.submission = n AND pm.draw < 0.1;
	-- the moderator's rating of every question the auditor answered
	INSERT INTO moderation_ratings (moderation_id, question_id, auditor_rating,
	    moderator_rating)
	SELECT m.id, an.question_id, an.rating,
	    CASE WHEN random() < 0.91 OR an.rating = 'not_applicable' THEN an.rating
	         WHEN an.rating = 'partially_met' THEN
	             CASE WHEN random() < 0.5 THEN 'met' ELSE 'not_met' END
	         ELSE 'partially_met' END
	FROM moderations m JOIN answers an ON an.audit_id = m.audit_id
	WHERE m.submission = n AND m.status = 'done'
	ORDER BY m.id, an.question_id;
$$;

SELECT pg_temp.moderate(1) \g /dev/null

-- Partners comment on one finding in fourteen, within the window: the
-- audit is then in feedback until the window ends.
INSERT INTO feedback_comments (feedback_id, author_id, text, made_on)
SELECT f.id, st.id, 'Benchmark record: a factual-accuracy comment.',
    f.sent_on + 1 + floor(random() * 12)::int
FROM feedback f JOIN sub s ON s.audit_id = f.audit_id AND s.submission = f.submission
JOIN staff st ON st.staff_ref = s.assessor_ref
WHERE s.comments ORDER BY f.id;
DELETE FROM feedback_comments c USING bench b WHERE c.made_on > b.as_of;

UPDATE audits au SET status = 'feedback', version = version + 1
FROM feedback f JOIN feedback_comments c ON c.feedback_id = f.id
WHERE f.audit_id = au.id AND f.submission = 1 AND au.status = 'submitted';

-- Returned by the moderator; resubmitted with the moderator's grade a few
-- days later, the answers as they were.
UPDATE audits au SET status = 'returned', version = version + 1
FROM moderations m WHERE m.audit_id = au.id AND m.returned;

TRUNCATE sub;
INSERT INTO sub
SELECT pa.id, 2, m.done_on + 3 + floor(random() * 6)::int, m.grade, pa.provider_id,
    pa.assessor_ref, false
FROM moderations m JOIN plan_audit pa ON pa.id = m.audit_id
WHERE m.returned ORDER BY pa.id;
DELETE FROM sub s USING bench b WHERE s.on_day > b.as_of;

UPDATE audits au SET status = 'submitted', grade = s.grade, submitted_on = s.on_day,
    submissions = 2, version = version + 1
FROM sub s WHERE s.audit_id = au.id;
SELECT pg_temp.moderate(2) \g /dev/null

-- Closed by the daemon at its first run after the window ends, once no
-- moderation is pending.
UPDATE audits au SET status = 'closed', closed_on = c.on_day, version = version + 1
FROM (SELECT f.audit_id, pg_temp.tick(greatest(f.window_ends, max(m.done_on))) AS on_day
      FROM audits a
      JOIN feedback f ON f.audit_id = a.id AND f.submission = a.submissions
      LEFT JOIN moderations m ON m.audit_id = a.id
      WHERE a.status IN ('submitted', 'feedback')
        AND NOT EXISTS (SELECT 1 FROM moderations p WHERE p.audit_id = a.id
            AND p.status = 'pending')
      GROUP BY f.audit_id, f.window_ends) c, bench b
WHERE c.audit_id = au.id AND c.on_day <= b.as_of;

-- ---- actions and escalations -------------------------------------------

-- Weak audits get actions, mostly for the partner, some for the assessor;
-- most are done, some late, some still open.
INSERT INTO actions (audit_id, owner_staff_id, owner_organisation_id, text, due_on, status,
    created_by, created_on, done_by, done_on)
SELECT x.audit_id, CASE WHEN x.r1 < 0.2 THEN x.assessor_id END,
    CASE WHEN x.r1 >= 0.2 OR x.assessor_id IS NULL THEN x.provider_id END,
    'Benchmark record: the action is not written out.', x.created_on + x.due_in,
    CASE WHEN x.created_on + x.done_in <= x.as_of THEN 'done' ELSE 'open' END,
    x.auditor_id, x.created_on,
    CASE WHEN x.created_on + x.done_in <= x.as_of THEN x.auditor_id END,
    CASE WHEN x.created_on + x.done_in <= x.as_of THEN x.created_on + x.done_in END
FROM (SELECT au.id AS audit_id, au.grade, pa.provider_id, pa.auditor_id,
          st.id AS assessor_id, au.submitted_on AS created_on, b.as_of, random() AS r0,
          random() AS r1, 28 + floor(random() * 29)::int AS due_in,
          10 + floor(power(random(), 2) * 110)::int AS done_in
      FROM audits au JOIN plan_audit pa ON pa.id = au.id
      LEFT JOIN staff st ON st.staff_ref = pa.assessor_ref
      CROSS JOIN bench b
      CROSS JOIN LATERAL generate_series(1, CASE au.grade WHEN 'inadequate' THEN 2
          WHEN 'outstanding' THEN 0 ELSE 1 END) AS k
      WHERE au.status IN ('submitted', 'feedback', 'closed')
      -- drawn in the audits' order, not the table's, which vacuum may change
      ORDER BY au.id, k OFFSET 0) x
WHERE x.r0 < CASE x.grade WHEN 'good' THEN 0.08 ELSE 0.7 END;

-- A safeguarding question not met is escalated at once; a QA lead
-- acknowledges within days (not always by the last day).
INSERT INTO escalations (audit_id, source, question_id, raised_by, raised_on,
    acknowledged_by, acknowledged_on)
SELECT x.audit_id, 'question', 'safeguarding', x.answered_by, x.answered_on,
    CASE WHEN x.ack <= x.as_of THEN x.lead END, CASE WHEN x.ack <= x.as_of THEN x.ack END
FROM (SELECT an.audit_id, an.answered_by, an.answered_on, b.as_of,
          an.answered_on + floor(power(random(), 2) * 8)::int AS ack,
          (SELECT min(id) FROM staff WHERE 'qa_lead' = ANY (roles)) AS lead
      FROM answers an CROSS JOIN bench b
      WHERE an.question_id = 'safeguarding' AND an.rating = 'not_met'
      ORDER BY an.audit_id OFFSET 0) x;

-- The board has set targets for two measures (the assurance icons).
INSERT INTO measure_targets (measure, value, updated_by) VALUES
    ('good_or_outstanding', 0.6, 'bench'), ('strengths', 0.65, 'bench');

DROP TABLE plan_answer;
