-- 0004_sampling: sampling plans, the runs drawn from them, the audits each
-- sampled case becomes, reminders that chase them, and the daemon's work
-- queue and heartbeats.
--
-- Released migrations are never edited; add a new numbered file instead.
-- Applied by `caseaudit migrate` inside one transaction.

-- A plan says what to sample each period and how (`caseaudit plan create`).
-- Its parameters never change after creation (a run copies them anyway);
-- only `paused` does.  The daemon opens a run for every period from
-- first_period onwards once that period has ended.
CREATE TABLE sampling_plans (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name              text NOT NULL UNIQUE CHECK (name ~ '^[a-z0-9][a-z0-9_.-]{0,63}$'),
    form_id           bigint NOT NULL REFERENCES forms,
    assessment_types  text[] NOT NULL CHECK (cardinality(assessment_types) > 0
                          AND assessment_types <@ ARRAY['care_act_assessment',
                              'carers_assessment', 'review']),
    method            text NOT NULL CHECK (method IN ('random', 'stratified', 'risk')),
    size_rule         text NOT NULL CHECK (size_rule IN ('size', 'percent', 'margin')),
    size_value        double precision NOT NULL CHECK (
                          (size_rule = 'size' AND size_value >= 1 AND size_value = trunc(size_value))
                          OR (size_rule = 'percent' AND size_value > 0 AND size_value <= 100)
                          OR (size_rule = 'margin' AND size_value > 0 AND size_value < 1)),
    confidence        double precision NOT NULL DEFAULT 0.95
                          CHECK (confidence > 0 AND confidence < 1),
    proportion        double precision NOT NULL DEFAULT 0.5
                          CHECK (proportion > 0 AND proportion < 1),
    -- stratified: strata by provider, or by provider and assessment type;
    -- the size rule per stratum, or overall and then allocated.
    strata            text NOT NULL DEFAULT 'provider'
                          CHECK (strata IN ('provider', 'provider_type')),
    per_stratum       boolean NOT NULL DEFAULT false,
    allocation        text NOT NULL DEFAULT 'proportional'
                          CHECK (allocation IN ('proportional', 'neyman')),
    stratum_floor     integer NOT NULL DEFAULT 2 CHECK (stratum_floor BETWEEN 0 AND 1000),
    -- risk: the share of the sample drawn as the simple random core.
    core_share        double precision NOT NULL DEFAULT 0.5
                          CHECK (core_share >= 0 AND core_share <= 1),
    -- also sample people still waiting more than this many days at the
    -- period's end (NULL: completed assessments only).
    waiting_days      integer CHECK (waiting_days >= 0),
    every             text NOT NULL CHECK (every IN ('month', 'quarter')),
    first_period      text NOT NULL CHECK (first_period ~ '^[0-9]{4}-(0[1-9]|1[0-2]|Q[1-4])$'),
    due_days          integer NOT NULL DEFAULT 28 CHECK (due_days BETWEEN 1 AND 365),
    exclusion_months  integer NOT NULL DEFAULT 12 CHECK (exclusion_months BETWEEN 0 AND 120),
    paused            boolean NOT NULL DEFAULT false,
    created_at        timestamptz NOT NULL DEFAULT now(),
    created_by        text NOT NULL
);

-- Only these partner organisations' work (none listed: every provider).
CREATE TABLE sampling_plan_providers (
    plan_id          bigint NOT NULL REFERENCES sampling_plans,
    organisation_id  bigint NOT NULL REFERENCES organisations,
    PRIMARY KEY (plan_id, organisation_id)
);

-- One run per plan and period: what was drawn, from what, and how, so that
-- anybody can draw it again (`caseaudit sample verify`).  A redraw (allowed
-- only before any audit of the run has started) replaces the draw and
-- increments `draw`; the replaced draw is kept in the events trail.
CREATE TABLE sampling_runs (
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    plan_id            bigint NOT NULL REFERENCES sampling_plans,
    period             text NOT NULL CHECK (period ~ '^[0-9]{4}-(0[1-9]|1[0-2]|Q[1-4])$'),
    period_start       date NOT NULL,
    period_end         date NOT NULL CHECK (period_end >= period_start),
    method             text NOT NULL CHECK (method IN ('random', 'stratified', 'risk')),
    parameters         jsonb NOT NULL,           -- the plan as it was used
    seed               numeric(20, 0) NOT NULL CHECK (seed >= 0 AND seed < 18446744073709551616),
    seed_source        text NOT NULL CHECK (seed_source IN ('given', 'system')),
    population_size    integer NOT NULL CHECK (population_size >= 0),
    population_sha256  text NOT NULL CHECK (population_sha256 ~ '^[0-9a-f]{64}$'),
    sample_size        integer NOT NULL CHECK (sample_size BETWEEN 0 AND population_size),
    form_version_id    bigint NOT NULL REFERENCES form_versions,
    draw               integer NOT NULL DEFAULT 1 CHECK (draw >= 1),
    run_on             date NOT NULL,            -- due dates count from here
    created_at         timestamptz NOT NULL DEFAULT now(),
    created_by         text NOT NULL,
    UNIQUE (plan_id, period)
);

-- Each stratum (one, "all", for random and risk samples): its population,
-- as assessment ids in assessment_ref order, their risk weights (risk
-- samples), its size and its allocation.  The population is kept whole so
-- that a verification redraws from exactly what the run drew from, even
-- after assessments or their screenings change.
CREATE TABLE sampling_run_strata (
    run_id           bigint NOT NULL REFERENCES sampling_runs ON DELETE CASCADE,
    stratum          integer NOT NULL CHECK (stratum >= 0),
    label            text NOT NULL,
    provider_id      bigint REFERENCES organisations,
    assessment_type  text,
    population       integer NOT NULL CHECK (population >= 0),
    allocation       integer NOT NULL CHECK (allocation BETWEEN 0 AND population),
    variability      double precision,           -- Neyman's S_h where used
    members          bigint[] NOT NULL CHECK (cardinality(members) = population),
    weights          double precision[] CHECK (weights IS NULL OR cardinality(weights) = population),
    PRIMARY KEY (run_id, stratum)
);

-- The selected cases with their inclusion probabilities, so that results
-- can be weighted back to the population.
CREATE TABLE sampling_run_members (
    run_id                 bigint NOT NULL REFERENCES sampling_runs ON DELETE CASCADE,
    assessment_id          bigint NOT NULL REFERENCES assessments,
    stratum                integer NOT NULL,
    part                   text NOT NULL CHECK (part IN ('random', 'stratified', 'core', 'oversample')),
    inclusion_probability  double precision NOT NULL
                               CHECK (inclusion_probability > 0 AND inclusion_probability <= 1),
    PRIMARY KEY (run_id, assessment_id),
    FOREIGN KEY (run_id, stratum) REFERENCES sampling_run_strata ON DELETE CASCADE
);

-- Sampling reads a period's completed assessments, and keeps a person's
-- file from being audited again within the exclusion window.
CREATE INDEX assessments_completed ON assessments (completed_on);
CREATE INDEX assessments_person ON assessments (person_ref);

-- One audit per sampled case.  The statuses are the whole workflow's; this
-- migration's code moves audits between unassigned and assigned.
CREATE TABLE audits (
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    run_id             bigint NOT NULL REFERENCES sampling_runs,
    assessment_id      bigint NOT NULL REFERENCES assessments,
    form_version_id    bigint NOT NULL REFERENCES form_versions,
    status             text NOT NULL DEFAULT 'unassigned' CHECK (status IN ('unassigned',
                           'assigned', 'in_progress', 'submitted', 'returned', 'feedback',
                           'closed', 'cancelled')),
    auditor_id         bigint REFERENCES staff,
    unassigned_reason  text,
    due_on             date NOT NULL,
    assigned_at        timestamptz,
    grade              text CHECK (grade IN ('outstanding', 'good', 'requires_improvement',
                           'inadequate')),
    version            integer NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    UNIQUE (run_id, assessment_id),
    CHECK (status <> 'unassigned' OR (auditor_id IS NULL AND unassigned_reason IS NOT NULL)),
    CHECK (status IN ('unassigned', 'cancelled') OR auditor_id IS NOT NULL)
);
CREATE INDEX audits_auditor ON audits (auditor_id, status);
CREATE INDEX audits_status ON audits (status, due_on);
CREATE INDEX audits_assessment ON audits (assessment_id);

-- Independence lives in the database as well as in the assignment code: an
-- auditor must hold the auditor role, and may never audit the work of
-- their own organisation or their own case.
CREATE FUNCTION audits_auditor_is_independent() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    s staff;
    a assessments;
BEGIN
    IF NEW.auditor_id IS NULL THEN
        RETURN NEW;
    END IF;
    SELECT * INTO s FROM staff WHERE id = NEW.auditor_id;
    SELECT * INTO a FROM assessments WHERE id = NEW.assessment_id;
    IF NOT ('auditor' = ANY (s.roles)) THEN
        RAISE EXCEPTION 'staff % does not hold the auditor role', s.staff_ref
            USING ERRCODE = 'check_violation';
    END IF;
    IF s.organisation_id = a.provider_id THEN
        RAISE EXCEPTION 'staff % works for the organisation that carried out the assessment',
            s.staff_ref USING ERRCODE = 'check_violation';
    END IF;
    IF s.staff_ref = a.assessor_ref THEN
        RAISE EXCEPTION 'staff % carried out the assessment', s.staff_ref
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER audits_independent BEFORE INSERT OR UPDATE OF auditor_id ON audits
    FOR EACH ROW EXECUTE FUNCTION audits_auditor_is_independent();

-- What the daemon's chasing produced: one reminder per audit, kind and
-- recipient, so chasing again on the same day (or after a crash) adds
-- nothing.
CREATE TABLE reminders (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    audit_id      bigint NOT NULL REFERENCES audits,
    kind          text NOT NULL CHECK (kind IN ('due_soon', 'overdue', 'escalation')),
    recipient_id  bigint NOT NULL REFERENCES staff,
    due_on        date NOT NULL,                 -- the audit's due date when sent
    created_on    date NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (audit_id, kind, recipient_id, due_on)
);

-- The daemon's work queue.  A job is claimed with FOR UPDATE SKIP LOCKED;
-- its effects and its `done` commit in one transaction, so a job's work is
-- never visible twice.  `key` names the work ("sample:3:2025-03"): at most
-- one job per key is queued or running at a time.
CREATE TABLE jobs (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind            text NOT NULL CHECK (kind ~ '^[a-z][a-z_.]{0,31}$'),
    key             text NOT NULL CHECK (length(key) BETWEEN 1 AND 200),
    payload         jsonb NOT NULL DEFAULT '{}',
    priority        integer NOT NULL DEFAULT 100,  -- lower runs first
    state           text NOT NULL DEFAULT 'queued'
                        CHECK (state IN ('queued', 'running', 'done', 'dead')),
    attempts        integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    max_attempts    integer NOT NULL DEFAULT 5 CHECK (max_attempts >= 1),
    run_after       timestamptz NOT NULL DEFAULT now(),
    locked_by       text,                          -- the daemon's id
    locked_backend  integer,                       -- its server process
    locked_until    timestamptz,
    last_error      text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    started_at      timestamptz,
    finished_at     timestamptz
);
CREATE UNIQUE INDEX jobs_one_pending_per_key ON jobs (key) WHERE state IN ('queued', 'running');
CREATE INDEX jobs_runnable ON jobs (priority, run_after, id) WHERE state IN ('queued', 'running');
-- Jobs are updated several times each and finished ones are purged: keep
-- the table small and its indexes clean.
ALTER TABLE jobs SET (autovacuum_vacuum_scale_factor = 0.01, autovacuum_vacuum_threshold = 50,
    autovacuum_analyze_scale_factor = 0.02);

-- Wake the daemons when work arrives: a new job, or a new import.  NOTIFY
-- is delivered at commit, so a rolled-back import wakes nobody.
CREATE FUNCTION caseaudit_notify_work() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('caseaudit_work', TG_TABLE_NAME);
    RETURN NULL;
END;
$$;

CREATE TRIGGER jobs_notify AFTER INSERT ON jobs
    FOR EACH STATEMENT EXECUTE FUNCTION caseaudit_notify_work();
CREATE TRIGGER imports_notify AFTER INSERT OR UPDATE ON imports
    FOR EACH STATEMENT EXECUTE FUNCTION caseaudit_notify_work();

-- Each running daemon says it is alive here (`caseaudit status`).
CREATE TABLE daemon_heartbeats (
    daemon_id   text PRIMARY KEY,
    host        text NOT NULL,
    pid         integer NOT NULL,
    version     text NOT NULL,
    started_at  timestamptz NOT NULL,
    seen_at     timestamptz NOT NULL DEFAULT now(),
    state       text NOT NULL CHECK (state IN ('starting', 'idle', 'working', 'stopping')),
    job_id      bigint
);
