-- 0001_foundation: organisations, staff, assessments, imports and the trail.
--
-- Released migrations are never edited; add a new numbered file instead.
-- Applied by `caseaudit migrate` inside one transaction.

-- Partner organisations that carry out assessments, and the council itself.
CREATE TABLE organisations (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name        text NOT NULL UNIQUE CHECK (btrim(name) <> '' AND length(name) <= 200),
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE teams (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id bigint NOT NULL REFERENCES organisations,
    name            text NOT NULL CHECK (btrim(name) <> '' AND length(name) <= 200),
    created_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (organisation_id, name)
);

-- Every import run: which file, its digest, what happened, who ran it.
CREATE TABLE imports (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind          text NOT NULL CHECK (kind IN ('assessments', 'staff')),
    file_name     text NOT NULL,
    file_sha256   text NOT NULL CHECK (file_sha256 ~ '^[0-9a-f]{64}$'),
    file_bytes    bigint NOT NULL CHECK (file_bytes >= 0),
    rows_read     bigint NOT NULL DEFAULT 0,
    inserted      bigint NOT NULL DEFAULT 0,
    updated       bigint NOT NULL DEFAULT 0,
    unchanged     bigint NOT NULL DEFAULT 0,
    rejected      bigint NOT NULL DEFAULT 0,
    skip_invalid  boolean NOT NULL,
    imported_by   text NOT NULL,       -- operating-system user running caseaudit
    db_user       text NOT NULL DEFAULT current_user,
    imported_at   timestamptz NOT NULL DEFAULT now()
);

-- Rows an import with --skip-invalid left out, kept for inspection.  A row
-- with several problems has one reject per problem.
CREATE TABLE import_rejects (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    import_id    bigint NOT NULL REFERENCES imports ON DELETE CASCADE,
    line         bigint NOT NULL CHECK (line > 0),
    column_name  text,                 -- NULL when the problem is the whole record
    reason       text NOT NULL,
    record       jsonb,                -- the fields as read, when the record parsed
    raw          bytea                 -- the bytes, when it did not
);
CREATE INDEX import_rejects_import ON import_rejects (import_id, line);

CREATE TABLE staff (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    staff_ref        text NOT NULL UNIQUE CHECK (btrim(staff_ref) <> '' AND length(staff_ref) <= 64),
    name             text NOT NULL CHECK (btrim(name) <> ''),
    organisation_id  bigint NOT NULL REFERENCES organisations,
    team_id          bigint REFERENCES teams,
    roles            text[] NOT NULL CHECK (cardinality(roles) > 0
                         AND roles <@ ARRAY['auditor', 'assessor', 'psw', 'qa_lead', 'board']),
    max_open_audits  integer NOT NULL DEFAULT 0 CHECK (max_open_audits BETWEEN 0 AND 1000),
    email            text,
    active           boolean NOT NULL DEFAULT true,
    import_id        bigint REFERENCES imports,
    revision         integer NOT NULL DEFAULT 1,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX staff_organisation ON staff (organisation_id);

-- One row per assessment, carers' assessment or review, keyed by the
-- case-management system's reference.  revision counts content changes so
-- that later work (screening) can tell what is new.
CREATE TABLE assessments (
    id                      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    assessment_ref          text NOT NULL UNIQUE
                                CHECK (btrim(assessment_ref) <> '' AND length(assessment_ref) <= 64),
    person_ref              text NOT NULL CHECK (btrim(person_ref) <> '' AND length(person_ref) <= 64),
    assessment_type         text NOT NULL
                                CHECK (assessment_type IN ('care_act_assessment', 'carers_assessment', 'review')),
    provider_id             bigint NOT NULL REFERENCES organisations,
    assessor_ref            text NOT NULL CHECK (btrim(assessor_ref) <> '' AND length(assessor_ref) <= 64),
    requested_on            date NOT NULL,
    completed_on            date CHECK (completed_on >= requested_on),
    summary                 text NOT NULL,
    priority                text CHECK (priority IN ('urgent', 'high', 'medium', 'low')),
    eligible                boolean,
    direct_payment_offered  boolean,
    carer_identified        boolean,
    age_band                text,
    gender                  text,
    ethnicity               text,
    primary_support_reason  text,
    import_id               bigint REFERENCES imports,
    revision                integer NOT NULL DEFAULT 1,
    created_at              timestamptz NOT NULL DEFAULT now(),
    updated_at              timestamptz NOT NULL DEFAULT now()
);

-- The trail: everything that happens, who did it, and what changed.
-- Append-only: the database itself refuses UPDATE, DELETE and TRUNCATE.
CREATE TABLE events (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at         timestamptz NOT NULL DEFAULT now(),
    actor      text NOT NULL,
    action     text NOT NULL,
    entity     text NOT NULL,
    entity_id  text,
    before     jsonb,
    after      jsonb
);
CREATE INDEX events_entity ON events (entity, entity_id);

CREATE FUNCTION events_are_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'events are append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER events_no_update BEFORE UPDATE OR DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION events_are_append_only();
CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events
    FOR EACH STATEMENT EXECUTE FUNCTION events_are_append_only();

-- Dates as users write them: YYYY-MM-DD or DD/MM/YYYY.  Returns NULL for
-- anything else, including impossible dates such as 31/02/2024, so that
-- validation can report a row instead of aborting the import.  Written as
-- plain expressions so the planner inlines them: they run on every row of
-- a million-row extract.
CREATE FUNCTION ca_valid_date(y integer, m integer, d integer) RETURNS date
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN y BETWEEN 1900 AND 2999 AND m BETWEEN 1 AND 12 AND d BETWEEN 1 AND
        CASE WHEN m = 2 THEN CASE WHEN (y % 4 = 0 AND y % 100 <> 0) OR y % 400 = 0 THEN 29 ELSE 28 END
             WHEN m IN (4, 6, 9, 11) THEN 30
             ELSE 31 END
    THEN make_date(y, m, d) END
$$;

CREATE FUNCTION ca_parse_date(t text) RETURNS date
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    -- LIKE and translate() rather than regular expressions: this runs on
    -- every row of every import, and is four times cheaper this way.
    SELECT CASE
        WHEN t LIKE '____-__-__' AND translate(t, '0123456789', '') = '--'
            THEN ca_valid_date(substr(t, 1, 4)::integer, substr(t, 6, 2)::integer,
                               substr(t, 9, 2)::integer)
        WHEN t LIKE '%/%/____' AND translate(t, '0123456789', '') = '//'
             AND length(split_part(t, '/', 1)) BETWEEN 1 AND 2
             AND length(split_part(t, '/', 2)) BETWEEN 1 AND 2
             AND length(split_part(t, '/', 3)) = 4
            THEN ca_valid_date(split_part(t, '/', 3)::integer, split_part(t, '/', 2)::integer,
                               split_part(t, '/', 1)::integer)
    END
$$;

-- yes / no / empty, as the contract's optional flags are written.
CREATE FUNCTION ca_parse_yesno(t text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE lower(btrim(t)) WHEN 'yes' THEN true WHEN 'no' THEN false END
$$;

-- A value quoted for an error message, only when its shape says it cannot
-- be personal data; otherwise nothing.  Messages about bad rows must never
-- leak a name or a narrative that landed in the wrong column, so "Jane
-- Smith" in the priority column is reported without its value.
--   ca_show_code: a lowercase code such as "reassessment" or "whenever";
--   ca_show_date: digits and date separators, such as "31/02/2024".
CREATE FUNCTION ca_show_code(t text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN t ~ '^[a-z][a-z0-9_]{0,23}$' THEN ' "' || t || '"' ELSE '' END
$$;

CREATE FUNCTION ca_show_date(t text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN t ~ '^[0-9][0-9/.-]{0,11}$' THEN ' "' || t || '"' ELSE '' END
$$;

-- The keys of a whose values differ in b, leaving out bookkeeping columns:
-- the before (or, swapped, the after) of an update in the events trail.
CREATE FUNCTION ca_jsonb_changed(a jsonb, b jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT coalesce(jsonb_object_agg(k, v), '{}'::jsonb)
    FROM jsonb_each(a) AS e(k, v)
    WHERE b -> k IS DISTINCT FROM v
      AND k NOT IN ('id', 'import_id', 'revision', 'created_at', 'updated_at')
$$;
