-- 0005_workflow: the audit workflow after assignment.  Answers and the
-- domain scores computed from them, strengths and learning points, the
-- feedback sent to partners and their factual-accuracy comments, actions,
-- safeguarding escalations, moderation, re-audit requests, and the settings
-- a QA lead may change.
--
-- Released migrations are never edited; add a new numbered file instead.
-- Applied by `caseaudit migrate` inside one transaction.

-- Settings the QA lead may change (`caseaudit settings`); every change is
-- an event.  The daemon and the CLI read the same values.
CREATE TABLE settings (
    key         text PRIMARY KEY CHECK (key ~ '^[a-z][a-z_]{0,63}$'),
    value       text NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    updated_by  text NOT NULL
);
INSERT INTO settings (key, value, updated_by) VALUES
    ('feedback_window_days', '14', 'migration'),   -- days a partner may comment
    ('moderation_percent', '10', 'migration');     -- share of audits moderated

-- The audit's own findings beside its answers, and the dates the workflow
-- turns on.  Dates are calendar dates (DESIGN.md section 8) so that a
-- simulation, or a daemon run with --today, can play a year in a minute.
ALTER TABLE audits
    ADD COLUMN strengths_noted  text,
    ADD COLUMN learning_points  text,
    ADD COLUMN started_on       date,       -- first answer
    ADD COLUMN submitted_on     date,       -- last submission
    ADD COLUMN submissions      integer NOT NULL DEFAULT 0 CHECK (submissions >= 0),
    ADD COLUMN closed_on        date,
    ADD COLUMN cancel_reason    text,
    ADD CONSTRAINT audits_cancel_has_reason
        CHECK ((status = 'cancelled') = (cancel_reason IS NOT NULL)),
    ADD CONSTRAINT audits_graded_when_submitted
        CHECK (status NOT IN ('submitted', 'feedback', 'closed')
               OR (grade IS NOT NULL AND submitted_on IS NOT NULL)),
    ADD CONSTRAINT audits_id_form UNIQUE (id, form_version_id);

-- The workflow's graph, kept by the database as well as by the code: a
-- bug or a hand-written UPDATE cannot jump an audit from assigned to
-- closed.  Who may make each move is the code's business (workflow.c).
CREATE FUNCTION audits_status_moves() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.status = OLD.status THEN
        RETURN NEW;
    END IF;
    IF (OLD.status, NEW.status) IN (
        ('unassigned', 'assigned'), ('unassigned', 'cancelled'),
        ('assigned', 'in_progress'), ('assigned', 'cancelled'),
        ('in_progress', 'submitted'), ('in_progress', 'cancelled'),
        ('submitted', 'feedback'), ('submitted', 'returned'), ('submitted', 'closed'),
        ('feedback', 'returned'), ('feedback', 'closed'),
        ('returned', 'in_progress'), ('returned', 'submitted'), ('returned', 'cancelled'))
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit % cannot move from % to %', OLD.id, OLD.status, NEW.status
        USING ERRCODE = 'check_violation';
END;
$$;

CREATE TRIGGER audits_status_graph BEFORE UPDATE OF status ON audits
    FOR EACH ROW EXECUTE FUNCTION audits_status_moves();

-- One answer per audit and question: the current one.  Earlier answers
-- live in the events trail.  The question must be one of the audit's own
-- checklist version.
CREATE TABLE answers (
    audit_id         bigint NOT NULL,
    form_version_id  bigint NOT NULL,
    question_id      text NOT NULL,
    rating           text NOT NULL,
    evidence         text,
    answered_by      bigint NOT NULL REFERENCES staff,
    answered_on      date NOT NULL,
    answered_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (audit_id, question_id),
    FOREIGN KEY (audit_id, form_version_id) REFERENCES audits (id, form_version_id),
    FOREIGN KEY (form_version_id, question_id) REFERENCES form_questions
);

-- Submission freezes the answers: they change only while the audit is with
-- its auditor.
CREATE FUNCTION answers_only_while_open() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    st text;
BEGIN
    SELECT status INTO st FROM audits
        WHERE id = CASE TG_OP WHEN 'DELETE' THEN OLD.audit_id ELSE NEW.audit_id END;
    IF st NOT IN ('assigned', 'in_progress', 'returned') THEN
        RAISE EXCEPTION 'the answers of a % audit are frozen', st
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN CASE TG_OP WHEN 'DELETE' THEN OLD ELSE NEW END;
END;
$$;

CREATE TRIGGER answers_frozen BEFORE INSERT OR UPDATE OR DELETE ON answers
    FOR EACH ROW EXECUTE FUNCTION answers_only_while_open();

-- Domain scores, computed at submission by the one rule in scores.h: the
-- weighted share of applicable questions met, partially met counting half.
-- score is NULL when no question of the domain applied.
CREATE TABLE domain_scores (
    audit_id        bigint NOT NULL REFERENCES audits,
    domain          text NOT NULL CHECK (domain IN
                        ('holistic', 'strengths', 'risk', 'carers', 'outcomes', 'recording')),
    questions       integer NOT NULL CHECK (questions >= 0),
    applicable      integer NOT NULL CHECK (applicable BETWEEN 0 AND questions),
    met             integer NOT NULL CHECK (met >= 0),
    partially_met   integer NOT NULL CHECK (partially_met >= 0),
    not_met         integer NOT NULL CHECK (not_met >= 0),
    weight          double precision NOT NULL CHECK (weight >= 0),  -- of applicable questions
    score           double precision CHECK (score BETWEEN 0 AND 1),
    PRIMARY KEY (audit_id, domain),
    CHECK ((applicable = 0) = (score IS NULL))
);

-- The findings as sent to the partner organisation and the assessor, one
-- row per submission; they may comment on factual accuracy until
-- window_ends, after which the daemon closes the audit.
CREATE TABLE feedback (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    audit_id         bigint NOT NULL REFERENCES audits,
    submission       integer NOT NULL CHECK (submission >= 1),
    organisation_id  bigint NOT NULL REFERENCES organisations,
    assessor_ref     text NOT NULL,
    sent_on          date NOT NULL,
    window_ends      date NOT NULL CHECK (window_ends >= sent_on),
    created_at       timestamptz NOT NULL DEFAULT now(),
    UNIQUE (audit_id, submission)
);

CREATE TABLE feedback_comments (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    feedback_id  bigint NOT NULL REFERENCES feedback,
    author_id    bigint NOT NULL REFERENCES staff,
    text         text NOT NULL CHECK (btrim(text) <> ''),
    made_on      date NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX feedback_comments_feedback ON feedback_comments (feedback_id);

-- Actions agreed from an audit, owned by a partner organisation or a
-- member of staff.
CREATE TABLE actions (
    id                     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    audit_id               bigint NOT NULL REFERENCES audits,
    owner_staff_id         bigint REFERENCES staff,
    owner_organisation_id  bigint REFERENCES organisations,
    text                   text NOT NULL CHECK (btrim(text) <> ''),
    due_on                 date NOT NULL,
    status                 text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done')),
    created_by             bigint NOT NULL REFERENCES staff,
    created_on             date NOT NULL,
    done_by                bigint REFERENCES staff,
    done_on                date,
    version                integer NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at             timestamptz NOT NULL DEFAULT now(),
    CHECK (num_nonnulls(owner_staff_id, owner_organisation_id) = 1),
    CHECK ((status = 'done') = (done_on IS NOT NULL AND done_by IS NOT NULL))
);
CREATE INDEX actions_audit ON actions (audit_id);
CREATE INDEX actions_open ON actions (due_on) WHERE status = 'open';

-- Safeguarding concerns found in an audit, escalated at once: from a
-- question answered as a concern, or flagged on the audit.  An escalation
-- heads every listing until a QA lead or the principal social worker
-- acknowledges it.
CREATE TABLE escalations (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    audit_id         bigint NOT NULL REFERENCES audits,
    source           text NOT NULL CHECK (source IN ('question', 'flag')),
    question_id      text,
    note             text,
    raised_by        bigint NOT NULL REFERENCES staff,
    raised_on        date NOT NULL,
    acknowledged_by  bigint REFERENCES staff,
    acknowledged_on  date,
    created_at       timestamptz NOT NULL DEFAULT now(),
    CHECK ((source = 'question') = (question_id IS NOT NULL)),
    CHECK ((acknowledged_by IS NULL) = (acknowledged_on IS NULL))
);
-- A question raises its escalation once, however often it is re-answered.
CREATE UNIQUE INDEX escalations_once_per_question ON escalations (audit_id, question_id)
    WHERE source = 'question';
CREATE INDEX escalations_open ON escalations (raised_on) WHERE acknowledged_on IS NULL;

-- Moderation.  Each submission of an audit is considered once: a uniform
-- draw below the moderation share selects it (reason 'sampled'); at the end
-- of a quarter an auditor none of whose audits was selected gets one chosen
-- at random ('quarter_minimum').  The draw and the share are kept, so the
-- selection can be shown to be random.
CREATE TABLE moderation_draws (
    audit_id     bigint NOT NULL REFERENCES audits,
    submission   integer NOT NULL CHECK (submission >= 1),
    draw         double precision NOT NULL CHECK (draw >= 0 AND draw < 1),
    share        double precision NOT NULL CHECK (share >= 0 AND share <= 1),
    selected     boolean NOT NULL,
    drawn_on     date NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (audit_id, submission)
);

CREATE TABLE moderations (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    audit_id       bigint NOT NULL REFERENCES audits,
    submission     integer NOT NULL CHECK (submission >= 1),
    reason         text NOT NULL CHECK (reason IN ('sampled', 'quarter_minimum', 'requested')),
    moderator_id   bigint REFERENCES staff,
    status         text NOT NULL DEFAULT 'pending'
                       CHECK (status IN ('pending', 'done', 'withdrawn')),
    selected_on    date NOT NULL,
    auditor_grade  text CHECK (auditor_grade IN ('outstanding', 'good',
                       'requires_improvement', 'inadequate')),
    grade          text CHECK (grade IN ('outstanding', 'good', 'requires_improvement',
                       'inadequate')),
    comment        text,
    returned       boolean NOT NULL DEFAULT false,
    done_on        date,
    created_at     timestamptz NOT NULL DEFAULT now(),
    UNIQUE (audit_id, submission),
    CHECK ((status = 'done') = (grade IS NOT NULL AND done_on IS NOT NULL
                                AND auditor_grade IS NOT NULL))
);
CREATE INDEX moderations_pending ON moderations (moderator_id) WHERE status = 'pending';

-- The moderator's own rating of each question beside the auditor's.
CREATE TABLE moderation_ratings (
    moderation_id     bigint NOT NULL REFERENCES moderations,
    question_id       text NOT NULL,
    auditor_rating    text NOT NULL,
    moderator_rating  text NOT NULL,
    PRIMARY KEY (moderation_id, question_id)
);

-- A finding may ask for a re-audit: of the same case, or of the
-- practitioner's next case.  The next sampling run of a plan with the same
-- checklist adds it as a targeted case (sampling_run_targeted), outside the
-- random draw, so it never distorts the sample's headline rates.
CREATE TABLE reaudit_requests (
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    audit_id           bigint NOT NULL REFERENCES audits,
    kind               text NOT NULL CHECK (kind IN ('case', 'practitioner')),
    assessment_id      bigint REFERENCES assessments,     -- kind case
    assessor_ref       text,                              -- kind practitioner
    reason             text NOT NULL CHECK (btrim(reason) <> ''),
    requested_by       bigint NOT NULL REFERENCES staff,
    requested_on       date NOT NULL,
    run_id             bigint REFERENCES sampling_runs,   -- where it was fulfilled
    fulfilled_assessment_id bigint REFERENCES assessments,
    created_at         timestamptz NOT NULL DEFAULT now(),
    CHECK ((kind = 'case') = (assessment_id IS NOT NULL)),
    CHECK ((kind = 'practitioner') = (assessor_ref IS NOT NULL)),
    CHECK ((run_id IS NULL) = (fulfilled_assessment_id IS NULL))
);
CREATE INDEX reaudit_requests_open ON reaudit_requests (requested_on) WHERE run_id IS NULL;

-- Cases a run audits on purpose, outside its random draw: sample verify
-- redraws sampling_run_members only, and trends leave these out of
-- headline rates.
CREATE TABLE sampling_run_targeted (
    run_id         bigint NOT NULL REFERENCES sampling_runs,
    assessment_id  bigint NOT NULL REFERENCES assessments,
    request_id     bigint NOT NULL REFERENCES reaudit_requests,
    PRIMARY KEY (run_id, assessment_id)
);

-- Reminders now also go to partner organisations and about actions,
-- safeguarding escalations, feedback and moderation.
ALTER TABLE reminders
    ALTER COLUMN audit_id DROP NOT NULL,
    ALTER COLUMN recipient_id DROP NOT NULL,
    ADD COLUMN action_id bigint REFERENCES actions,
    ADD COLUMN organisation_id bigint REFERENCES organisations,
    DROP CONSTRAINT reminders_kind_check,
    ADD CONSTRAINT reminders_kind_check CHECK (kind IN ('due_soon', 'overdue', 'escalation',
        'safeguarding', 'feedback', 'moderation', 'action_due_soon', 'action_overdue',
        'action_escalation')),
    ADD CONSTRAINT reminders_one_recipient CHECK (num_nonnulls(recipient_id, organisation_id) = 1),
    ADD CONSTRAINT reminders_about_something CHECK (num_nonnulls(audit_id, action_id) >= 1);
CREATE UNIQUE INDEX reminders_action_once ON reminders
    (action_id, kind, recipient_id, organisation_id, due_on) NULLS NOT DISTINCT
    WHERE action_id IS NOT NULL;
CREATE UNIQUE INDEX reminders_to_organisation_once ON reminders
    (audit_id, kind, organisation_id, due_on) WHERE organisation_id IS NOT NULL;

-- An audit's history gathers the events of its answers, actions and
-- moderations too; those carry the audit's id in "audit".
CREATE INDEX events_by_audit ON events ((coalesce(after, before) ->> 'audit'))
    WHERE entity IN ('action', 'moderation', 'escalation', 'feedback');
