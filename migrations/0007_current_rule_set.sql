-- 0007_current_rule_set: which screening rule set is in use, as a pointer
-- like forms.current_version_id, rather than "the newest one".
--
-- Released migrations are never edited; add a new numbered file instead.
-- Applied by `caseaudit migrate` inside one transaction.
--
-- Until now the newest rule set (max(id) of screening_rule_sets) was the
-- one screening used, so a QA lead who loaded a bad edit of
-- forms/screening.yaml could not go back: loading the old content found the
-- old set and left the bad one in use.  Now loading the content of an older
-- set makes that set current again, as with checklists, and screening,
-- sampling, audits' prompts, reports and trends all read the current set.

-- The rule set in use: one row once any set is loaded, none before.  Rule
-- sets themselves never change (0002_forms), so the pointer lives apart.
CREATE TABLE screening_rules_current (
    one_row      boolean PRIMARY KEY DEFAULT true CHECK (one_row),
    rule_set_id  bigint NOT NULL REFERENCES screening_rule_sets (id),
    since        timestamptz NOT NULL DEFAULT now()
);

-- A newly stored rule set is the one in use, whoever stores it (`forms
-- load`, or a script inserting rows): so "newest is current" keeps holding
-- for everything that stores sets, and only a restore moves the pointer
-- back.
CREATE FUNCTION ca_rule_set_made_current() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO screening_rules_current (rule_set_id) VALUES (NEW.id)
    ON CONFLICT (one_row) DO UPDATE SET rule_set_id = EXCLUDED.rule_set_id, since = now();
    RETURN NULL;
END;
$$;

CREATE TRIGGER screening_rule_sets_made_current AFTER INSERT ON screening_rule_sets
    FOR EACH ROW EXECUTE FUNCTION ca_rule_set_made_current();

-- The pointer moves; it is never taken away (screening would stop with
-- "no rules loaded" while rule sets exist).
CREATE TRIGGER screening_rules_current_kept BEFORE DELETE ON screening_rules_current
    FOR EACH ROW EXECUTE FUNCTION ca_versions_are_immutable();
CREATE TRIGGER screening_rules_current_no_truncate BEFORE TRUNCATE ON screening_rules_current
    FOR EACH STATEMENT EXECUTE FUNCTION ca_versions_are_immutable();

-- Existing databases go on exactly as before: the newest set is current.
INSERT INTO screening_rules_current (rule_set_id)
SELECT max(id) FROM screening_rule_sets HAVING count(*) > 0;

-- Each assessment's screening under the current rule set, where it is up
-- to date with the narrative: what sampling, audits and reports read.  The
-- columns are those of 0003_screening's view.  The pointer is read in a
-- scalar subquery so that it is read once per query, not once per row.
CREATE OR REPLACE VIEW current_screenings AS
SELECT s.*, a.provider_id, a.assessment_type
FROM screenings s
JOIN assessments a ON a.id = s.assessment_id AND a.revision = s.assessment_revision
WHERE s.rule_set_id = (SELECT rule_set_id FROM screening_rules_current);
