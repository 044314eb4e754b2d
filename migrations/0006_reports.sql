-- 0006_reports: the PDF reports caseaudit renders (board, provider, audit),
-- kept with their digest so a report can be shown later to be the one the
-- board read; the organisation name the reports carry; and the targets a
-- board may set for a measure (assurance icons).
--
-- Released migrations are never edited; add a new numbered file instead.
-- Applied by `caseaudit migrate` inside one transaction.

-- Every report rendered, with its bytes.  Rendering is deterministic: the
-- same data and period give the same bytes, so rendering again finds the
-- existing row (same sha256) rather than adding one.
CREATE TABLE reports (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind          text NOT NULL CHECK (kind IN ('board', 'provider', 'audit')),
    period        text CHECK (period ~ '^[0-9]{4}-(0[1-9]|1[0-2]|Q[1-4])$'),
    provider_id   bigint REFERENCES organisations,
    audit_id      bigint REFERENCES audits,
    as_of         timestamptz NOT NULL,        -- when the data was taken
    sha256        text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    pages         integer NOT NULL CHECK (pages >= 1),
    bytes         bytea NOT NULL,
    generated_at  timestamptz NOT NULL DEFAULT now(),
    generated_by  text NOT NULL,
    CHECK ((kind = 'audit') = (audit_id IS NOT NULL)),
    CHECK ((kind = 'provider') = (provider_id IS NOT NULL)),
    CHECK ((kind = 'audit') = (period IS NULL)),
    UNIQUE NULLS NOT DISTINCT (kind, period, provider_id, audit_id, sha256)
);
CREATE INDEX reports_by_period ON reports (kind, period);

-- The council's name on every report's cover (`caseaudit settings`).
INSERT INTO settings (key, value, updated_by) VALUES
    ('organisation_name', 'Eastshire County Council', 'migration');

-- A target for a measure, where the board has set one: the report draws
-- the assurance icon (consistently passing, failing, or hit and miss).
-- measure: 'good_or_outstanding', a domain ('holistic', ...), or
-- 'overdue'; value is a share from 0 to 1 (for overdue, a count).
CREATE TABLE measure_targets (
    measure     text PRIMARY KEY CHECK (measure IN ('good_or_outstanding', 'holistic',
                    'strengths', 'risk', 'carers', 'outcomes', 'recording', 'overdue')),
    value       double precision NOT NULL CHECK (value >= 0),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    updated_by  text NOT NULL
);
