-- 0003_screening: what the screening rules found in each assessment
-- narrative (`caseaudit screen`; the rules are forms/screening.yaml, stored
-- in screening_rule_sets by 0002_forms).
--
-- Released migrations are never edited; add a new numbered file instead.
-- Applied by `caseaudit migrate` inside one transaction.

-- One row per assessment and rule set: the result of screening the
-- narrative as it stood at assessment_revision.  Screening again with the
-- same rule set after the narrative changed replaces the row (the result
-- belongs to the rule set; the old narrative is not audited by it); a new
-- rule set adds rows and leaves the old ones, so a change of rules can be
-- compared with what went before.  Offsets in matches are bytes into the
-- UTF-8 narrative; no narrative text is copied here.
CREATE TABLE screenings (
    id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    assessment_id        bigint NOT NULL REFERENCES assessments,
    rule_set_id          bigint NOT NULL REFERENCES screening_rule_sets (id),
    assessment_revision  integer NOT NULL CHECK (assessment_revision >= 1),
    outcomes             text[] NOT NULL CHECK (outcomes <@ ARRAY['nutrition',
                             'personal_hygiene', 'toilet_needs', 'clothing', 'home_safety',
                             'habitable_home', 'relationships', 'work_education',
                             'community_services', 'caring_for_child']),
    outcome_count        integer NOT NULL CHECK (outcome_count BETWEEN 0 AND 10
                             AND outcome_count = cardinality(outcomes)),
    strengths_terms      integer NOT NULL CHECK (strengths_terms >= 0),
    deficit_terms        integer NOT NULL CHECK (deficit_terms >= 0),
    flags                text[] NOT NULL CHECK (flags <@ ARRAY['single_issue',
                             'no_person_voice', 'deficit_language', 'risk_without_plan',
                             'carer_without_offer', 'safeguarding_concern', 'personal_data']),
    -- [{"rule": ..., "category": ..., "start": N, "end": N}, ...]
    matches              jsonb NOT NULL CHECK (jsonb_typeof(matches) = 'array'),
    -- rules that could not be evaluated on this narrative (a PCRE2 limit):
    -- [{"rule": ..., "pattern": N, "limit": "match_limit"}, ...]
    limit_hits           jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(limit_hits) = 'array'),
    screened_at          timestamptz NOT NULL DEFAULT now(),
    UNIQUE (assessment_id, rule_set_id)
);

-- Finding what still needs screening under a rule set (new assessments,
-- changed ones, and everything when the rule set is new) is an anti-join on
-- this index alone: rule set, assessment and the revision screened.
CREATE INDEX screenings_by_rule_set ON screenings (rule_set_id, assessment_id)
    INCLUDE (assessment_revision);

-- Sampling and reports pick cases by flag.
CREATE INDEX screenings_flags ON screenings USING gin (flags);

-- Each assessment's screening under the newest rule set, where it is up to
-- date with the narrative: what sampling, audits and reports should read.
CREATE VIEW current_screenings AS
SELECT s.*, a.provider_id, a.assessment_type
FROM screenings s
JOIN assessments a ON a.id = s.assessment_id AND a.revision = s.assessment_revision
WHERE s.rule_set_id = (SELECT max(id) FROM screening_rule_sets);
