-- 0009_report_indexes: what a report reads at scale, from indexes.
--
-- Waiting times (trends_waits.c) take every assessment completed in a
-- period, and every one still waiting on its census date, with its
-- requested_on and partner.  Found through assessments_completed, each
-- row then had to be read from the table, whose narratives make it large:
-- 0.4 s for a quarter of a council's two years (bench/report).  The same
-- index with requested_on and provider_id carried in it answers both from
-- the index: 0.02 s.  It replaces the old one, which had the same key, so
-- an import maintains no more indexes than before.
--
-- Released migrations are never edited; add a new numbered file instead.
-- Applied by `caseaudit migrate` inside one transaction.

-- The day a report's data was taken (reports/asof.c) is the latest date
-- the audit work recorded, the answers' among them: max(answered_on) over
-- every answer ever given, 0.3 s at 1.5 million answers without an index.
CREATE INDEX answers_answered_on ON answers (answered_on);

DROP INDEX assessments_completed;
CREATE INDEX assessments_completed ON assessments (completed_on)
    INCLUDE (requested_on, provider_id);
