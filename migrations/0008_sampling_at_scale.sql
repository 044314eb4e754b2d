-- 0008_sampling_at_scale: what a sampling run over a million assessments
-- needs from the database to take seconds, not tens of them
-- (docs/benchmarks.md, bench/sample).
--
-- Released migrations are never edited; add a new numbered file instead.
-- Applied by `caseaudit migrate` inside one transaction.

-- A run reads its whole population in assessment_ref byte order, to hash
-- the refs and record the members.  This index holds every column that
-- read needs, in that order: an index-only scan returns the population
-- already sorted (no sort of a million rows) and never touches the heap,
-- where the narratives make the rows many times wider.  The planner still
-- prefers the completed_on index and a sort when a period covers a small
-- part of the table.  The price: the index is about the size of the table
-- without its narratives, and a re-import that changes one of these
-- columns (revision, when the narrative changes) is no longer a HOT update.
CREATE INDEX assessments_population ON assessments (assessment_ref COLLATE "C")
    INCLUDE (id, provider_id, assessment_type, completed_on, requested_on, person_ref,
             priority, revision);

-- A risk run then reads the current rule set's screenings whose flags add
-- to a weight (any flag but personal_data) over the population's range of
-- assessment ids.  This partial index holds just those, with what the
-- weight needs: an index-only range scan instead of reading every
-- screening with its matches.
CREATE INDEX screenings_weighing ON screenings (rule_set_id, assessment_id)
    INCLUDE (assessment_revision, flags)
    WHERE NOT (flags <@ ARRAY['personal_data']);

-- The independence rule of 0004_sampling, checked once per INSERT
-- statement over all its rows instead of with two lookups per row: a run
-- creates its audits, already assigned, in one statement.  Updates of
-- auditor_id keep the row trigger.  Same rule, same messages.
CREATE FUNCTION audits_inserted_are_independent() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    bad record;
BEGIN
    SELECT s.staff_ref, NOT ('auditor' = ANY (s.roles)) AS no_role,
           s.organisation_id = a.provider_id AS same_organisation
      INTO bad
      FROM inserted n
      JOIN staff s ON s.id = n.auditor_id
      JOIN assessments a ON a.id = n.assessment_id
     WHERE NOT ('auditor' = ANY (s.roles)) OR s.organisation_id = a.provider_id
        OR s.staff_ref = a.assessor_ref
     LIMIT 1;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    IF bad.no_role THEN
        RAISE EXCEPTION 'staff % does not hold the auditor role', bad.staff_ref
            USING ERRCODE = 'check_violation';
    END IF;
    IF bad.same_organisation THEN
        RAISE EXCEPTION 'staff % works for the organisation that carried out the assessment',
            bad.staff_ref USING ERRCODE = 'check_violation';
    END IF;
    RAISE EXCEPTION 'staff % carried out the assessment', bad.staff_ref
        USING ERRCODE = 'check_violation';
END;
$$;

DROP TRIGGER audits_independent ON audits;
CREATE TRIGGER audits_independent BEFORE UPDATE OF auditor_id ON audits
    FOR EACH ROW EXECUTE FUNCTION audits_auditor_is_independent();
CREATE TRIGGER audits_independent_on_insert AFTER INSERT ON audits
    REFERENCING NEW TABLE AS inserted
    FOR EACH STATEMENT EXECUTE FUNCTION audits_inserted_are_independent();

-- A run's members (and risk weights) are a million-element array per
-- stratum.  pglz took 0.4 s of CPU to compress a million ids and weights;
-- lz4 takes 0.03 s, for arrays a little larger on disk.  Servers built
-- without lz4 keep pglz: slower, nothing else changes.
DO $$
BEGIN
    ALTER TABLE sampling_run_strata
        ALTER COLUMN members SET COMPRESSION lz4,
        ALTER COLUMN weights SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
    RAISE NOTICE 'this server has no lz4: sampling runs keep pglz compression';
END;
$$;
