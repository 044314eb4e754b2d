-- 0002_forms: audit checklists and screening rule sets, as versions that
-- never change once stored.
--
-- Released migrations are never edited; add a new numbered file instead.
-- Applied by `caseaudit migrate` inside one transaction.
--
-- A checklist (forms/*.yaml) is stored as a numbered version identified by
-- the SHA-256 of its canonical JSON (comments, spacing and key order in the
-- YAML do not count; any change of content does).  Audits will point at the
-- version they started with, so a version is immutable: the database itself
-- refuses UPDATE, DELETE and TRUNCATE on versions, their sections and
-- questions, and on screening rule sets.

-- One row per checklist name.  current_version_id is the version new audits
-- use: normally the newest, but loading the content of an older version
-- again makes that one current rather than storing a copy.
CREATE TABLE forms (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name                text NOT NULL UNIQUE CHECK (name ~ '^[a-z][a-z0-9-]{0,63}$'),
    current_version_id  bigint,
    created_at          timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE form_versions (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    form_id       bigint NOT NULL REFERENCES forms,
    version       integer NOT NULL CHECK (version >= 1),
    sha256        text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    title         text NOT NULL CHECK (btrim(title) <> ''),
    applies_to    text[] NOT NULL CHECK (cardinality(applies_to) > 0
                      AND applies_to <@ ARRAY['care_act_assessment', 'carers_assessment', 'review']),
    scale         jsonb NOT NULL,        -- the rating scales, as in definition
    definition    jsonb NOT NULL,        -- the whole checklist, canonical form
    source        text NOT NULL,         -- the YAML as loaded, comments and all
    source_file   text,                  -- the path it was loaded from
    loaded_at     timestamptz NOT NULL DEFAULT now(),
    loaded_by     text NOT NULL,         -- operating-system user running caseaudit
    UNIQUE (form_id, version),
    UNIQUE (form_id, sha256),
    UNIQUE (form_id, id)                 -- target of forms' current-version key
);

-- The current version must be one of the form's own.
ALTER TABLE forms ADD CONSTRAINT forms_current_version_fk
    FOREIGN KEY (id, current_version_id) REFERENCES form_versions (form_id, id);

-- Sections in their order, each in one domain of DOMAIN.md.
CREATE TABLE form_sections (
    form_version_id  bigint NOT NULL REFERENCES form_versions,
    position         integer NOT NULL CHECK (position >= 1),
    title            text NOT NULL CHECK (btrim(title) <> ''),
    domain           text NOT NULL CHECK (domain IN
                         ('holistic', 'strengths', 'risk', 'carers', 'outcomes', 'recording')),
    PRIMARY KEY (form_version_id, position)
);

-- Questions in their order across the whole checklist; question_id is the
-- stable id answers refer to, unique within a version.
CREATE TABLE form_questions (
    form_version_id        bigint NOT NULL,
    section_position       integer NOT NULL,
    position               integer NOT NULL CHECK (position >= 1),
    question_id            text NOT NULL CHECK (question_id ~ '^[a-z][a-z0-9_]{0,63}$'),
    text                   text NOT NULL CHECK (btrim(text) <> ''),
    guidance_good          text NOT NULL,
    guidance_partial       text NOT NULL,
    guidance_poor          text NOT NULL,
    scale                  text NOT NULL,    -- id of one of the version's scales
    weight                 numeric NOT NULL CHECK (weight > 0),
    required               boolean NOT NULL,
    evidence_required_for  text[] NOT NULL DEFAULT '{}',
    prompts                text[] NOT NULL DEFAULT '{}',
    PRIMARY KEY (form_version_id, question_id),
    UNIQUE (form_version_id, position),
    FOREIGN KEY (form_version_id, section_position)
        REFERENCES form_sections (form_version_id, position)
);

-- Screening rule sets (forms/screening.yaml), versioned like checklists:
-- the newest row is the one screening uses.  0003_screening refers to id.
CREATE TABLE screening_rule_sets (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    sha256      text NOT NULL UNIQUE CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    source      text NOT NULL,
    rule_count  int,
    loaded_at   timestamptz DEFAULT now(),
    loaded_by   text
);

CREATE FUNCTION ca_versions_are_immutable() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% rows are immutable: % is not allowed (load a new version instead)',
        TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER form_versions_immutable BEFORE UPDATE OR DELETE ON form_versions
    FOR EACH ROW EXECUTE FUNCTION ca_versions_are_immutable();
CREATE TRIGGER form_versions_no_truncate BEFORE TRUNCATE ON form_versions
    FOR EACH STATEMENT EXECUTE FUNCTION ca_versions_are_immutable();
CREATE TRIGGER form_sections_immutable BEFORE UPDATE OR DELETE ON form_sections
    FOR EACH ROW EXECUTE FUNCTION ca_versions_are_immutable();
CREATE TRIGGER form_sections_no_truncate BEFORE TRUNCATE ON form_sections
    FOR EACH STATEMENT EXECUTE FUNCTION ca_versions_are_immutable();
CREATE TRIGGER form_questions_immutable BEFORE UPDATE OR DELETE ON form_questions
    FOR EACH ROW EXECUTE FUNCTION ca_versions_are_immutable();
CREATE TRIGGER form_questions_no_truncate BEFORE TRUNCATE ON form_questions
    FOR EACH STATEMENT EXECUTE FUNCTION ca_versions_are_immutable();
CREATE TRIGGER screening_rule_sets_immutable BEFORE UPDATE OR DELETE ON screening_rule_sets
    FOR EACH ROW EXECUTE FUNCTION ca_versions_are_immutable();
CREATE TRIGGER screening_rule_sets_no_truncate BEFORE TRUNCATE ON screening_rule_sets
    FOR EACH STATEMENT EXECUTE FUNCTION ca_versions_are_immutable();

-- A form's name never changes and a form is never removed: its versions
-- stay for the audits that used them.  Only the current version moves.
CREATE FUNCTION ca_forms_keep_name() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' OR NEW.name IS DISTINCT FROM OLD.name
       OR NEW.id IS DISTINCT FROM OLD.id OR NEW.created_at IS DISTINCT FROM OLD.created_at THEN
        RAISE EXCEPTION 'forms: only the current version may change'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER forms_keep_name BEFORE UPDATE OR DELETE ON forms
    FOR EACH ROW EXECUTE FUNCTION ca_forms_keep_name();
CREATE TRIGGER forms_no_truncate BEFORE TRUNCATE ON forms
    FOR EACH STATEMENT EXECUTE FUNCTION ca_versions_are_immutable();
