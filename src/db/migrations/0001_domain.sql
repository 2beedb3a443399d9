-- The whole domain: people and their dated memberships, meetings, questions, answer versions,
-- topics, the executive office's internal workflow, press releases and the append-only audit log.

CREATE TABLE people (
  id            integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  slug          text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  given_name    text,
  family_name   text,
  email         text,
  biography     text,
  source        text,
  source_id     text,
  created_at    timestamptz NOT NULL DEFAULT now(),
  UNIQUE (source, source_id)
);

CREATE TABLE organisations (
  id              integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  slug            text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  name            text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  short_name      text,
  abbreviation    text,
  classification  text NOT NULL CHECK (classification IN ('assembly', 'party_group', 'executive', 'functional_body', 'other')),
  parent_id       integer REFERENCES organisations (id),
  founded_on      date,
  dissolved_on    date,
  source          text,
  source_id       text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  CHECK (dissolved_on IS NULL OR founded_on IS NULL OR dissolved_on >= founded_on),
  UNIQUE (source, source_id)
);

-- A person in an organisation or post for a dated term (Popolo). Executive offices are memberships too,
-- so "who was Mayor on a day" has one answer.
CREATE TABLE memberships (
  id               integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  person_id        integer NOT NULL REFERENCES people (id),
  organisation_id  integer NOT NULL REFERENCES organisations (id),
  role             text NOT NULL CHECK (role IN ('member', 'leader', 'mayor', 'deputy_mayor', 'commissioner', 'chair', 'officer')),
  label            text,
  start_date       date NOT NULL,
  end_date         date,
  end_reason       text CHECK (end_reason IN ('term_ended', 'resigned', 'changed_group', 'retired', 'died', 'removed', 'lost_election')),
  source           text,
  source_id        text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  CHECK (end_date IS NULL OR end_date >= start_date),
  CHECK (end_reason IS NULL OR end_date IS NOT NULL),
  UNIQUE (source, source_id)
);
CREATE INDEX memberships_person ON memberships (person_id);
CREATE INDEX memberships_organisation ON memberships (organisation_id, role);

-- The assembly's configurable rule set: one row per assembly, London's rules as defaults.
CREATE TABLE assembly_rules (
  assembly_id                      integer PRIMARY KEY REFERENCES organisations (id),
  mqt_meetings_per_year            integer NOT NULL DEFAULT 10 CHECK (mqt_meetings_per_year > 0),
  min_days_between_mqt             integer NOT NULL DEFAULT 28 CHECK (min_days_between_mqt >= 0),
  first_mqt_within_days_of_election integer NOT NULL DEFAULT 25 CHECK (first_mqt_within_days_of_election > 0),
  mayors_report_clear_working_days integer NOT NULL DEFAULT 3 CHECK (mayors_report_clear_working_days >= 0),
  tabling_cutoff_working_days      integer NOT NULL DEFAULT 7 CHECK (tabling_cutoff_working_days >= 0),
  oral_questions_per_member        integer CHECK (oral_questions_per_member > 0),
  written_questions_per_member     integer CHECK (written_questions_per_member > 0),
  answer_deadline_working_days     integer NOT NULL DEFAULT 3 CHECK (answer_deadline_working_days > 0),
  service_standard_days            integer NOT NULL DEFAULT 7 CHECK (service_standard_days > 0),
  overdue_after_working_days       integer NOT NULL DEFAULT 0 CHECK (overdue_after_working_days >= 0),
  very_overdue_after_working_days  integer NOT NULL DEFAULT 20 CHECK (very_overdue_after_working_days > overdue_after_working_days),
  notice                           text,
  updated_at                       timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE pre_election_periods (
  id           integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  starts_on    date NOT NULL,
  ends_on      date NOT NULL,
  description  text NOT NULL,
  CHECK (ends_on >= starts_on)
);

CREATE TABLE topics (
  id           integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  slug         text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
  description  text
);

CREATE TABLE meetings (
  id                   integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  slug                 text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  assembly_id          integer NOT NULL REFERENCES organisations (id),
  meeting_type         text NOT NULL CHECK (meeting_type IN ('mqt', 'plenary', 'budget', 'police_and_crime')),
  title                text NOT NULL,
  meets_on             date NOT NULL,
  starts_at            timestamptz NOT NULL,
  ends_at              timestamptz,
  place                text NOT NULL,
  tabling_cutoff_at    timestamptz NOT NULL,
  mayors_report_due_on date,
  state                text NOT NULL DEFAULT 'scheduled' CHECK (state IN ('scheduled', 'held', 'cancelled')),
  created_at           timestamptz NOT NULL DEFAULT now(),
  CHECK (tabling_cutoff_at <= starts_at),
  CHECK (ends_at IS NULL OR ends_at > starts_at)
);
CREATE INDEX meetings_meets_on ON meetings (meets_on);

-- Who attended a meeting (speakers in its transcript must be among them).
CREATE TABLE meeting_attendance (
  meeting_id  integer NOT NULL REFERENCES meetings (id),
  person_id   integer NOT NULL REFERENCES people (id),
  capacity    text NOT NULL CHECK (capacity IN ('member', 'mayor', 'deputy_mayor', 'commissioner', 'guest', 'officer')),
  PRIMARY KEY (meeting_id, person_id)
);

-- Papers written or uploaded for a meeting (the Mayor's report, minutes); the other papers are generated from the record.
CREATE TABLE meeting_papers (
  id            integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  meeting_id    integer NOT NULL REFERENCES meetings (id),
  kind          text NOT NULL CHECK (kind IN ('mayors_report', 'minutes')),
  title         text NOT NULL,
  body          text NOT NULL,
  published_at  timestamptz,
  created_at    timestamptz NOT NULL DEFAULT now(),
  UNIQUE (meeting_id, kind)
);

CREATE TABLE questions (
  id                        integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  reference_year            integer CHECK (reference_year BETWEEN 1900 AND 2200),
  reference_number          integer CHECK (reference_number > 0),
  question_type             text NOT NULL CHECK (question_type IN ('written', 'oral', 'supplementary')),
  state                     text NOT NULL CHECK (state IN ('draft', 'tabled', 'rejected', 'accepted', 'withdrawn')),
  title                     text NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
  body                      text NOT NULL CHECK (length(body) BETWEEN 1 AND 20000),
  asker_id                  integer NOT NULL REFERENCES people (id),
  asked_of_id               integer REFERENCES people (id),
  meeting_id                integer NOT NULL REFERENCES meetings (id),
  answering_body_id         integer REFERENCES organisations (id),
  parent_question_id        integer REFERENCES questions (id),
  supplementary_number      integer CHECK (supplementary_number > 0),
  follow_up_of_id           integer REFERENCES questions (id),
  not_reached               boolean NOT NULL DEFAULT false,
  tabled_at                 timestamptz,
  decided_at                timestamptz,
  rejection_reason          text,
  asked_on                  date,
  due_on                    date,
  withdrawn_at              timestamptz,
  withdrawal_reason         text,
  source                    text,
  source_id                 text,
  created_at                timestamptz NOT NULL DEFAULT now(),
  updated_at                timestamptz NOT NULL DEFAULT now(),
  UNIQUE (reference_year, reference_number),
  UNIQUE (source, source_id),
  CHECK ((reference_year IS NULL) = (reference_number IS NULL)),
  -- Accepted (and later withdrawn) questions carry a reference; drafts and tabled ones never do. Supplementaries have none.
  CHECK (question_type = 'supplementary' OR state IN ('draft', 'tabled', 'rejected') OR reference_number IS NOT NULL OR state = 'withdrawn'),
  CHECK (state NOT IN ('draft', 'tabled', 'rejected') OR reference_number IS NULL),
  CHECK ((question_type = 'supplementary') = (parent_question_id IS NOT NULL)),
  CHECK ((question_type = 'supplementary') = (supplementary_number IS NOT NULL)),
  CHECK (question_type <> 'supplementary' OR reference_number IS NULL),
  CHECK (state <> 'rejected' OR rejection_reason IS NOT NULL),
  CHECK (state <> 'withdrawn' OR withdrawn_at IS NOT NULL),
  CHECK (due_on IS NULL OR asked_on IS NOT NULL),
  CHECK (not_reached = false OR question_type = 'oral'),
  CHECK (follow_up_of_id IS NULL OR follow_up_of_id <> id)
);
CREATE INDEX questions_meeting ON questions (meeting_id);
CREATE INDEX questions_asker ON questions (asker_id);
CREATE INDEX questions_answering_body ON questions (answering_body_id);
CREATE INDEX questions_parent ON questions (parent_question_id);
CREATE INDEX questions_follow_up_of ON questions (follow_up_of_id);
CREATE INDEX questions_state_due ON questions (state, due_on);
CREATE UNIQUE INDEX questions_supplementary_number ON questions (parent_question_id, supplementary_number) WHERE parent_question_id IS NOT NULL;

-- The last reference number issued per calendar year. Allocation locks the year's row, so two
-- clerks accepting at once get consecutive numbers and a rolled-back acceptance leaves no gap.
CREATE TABLE reference_sequences (
  year         integer PRIMARY KEY CHECK (year BETWEEN 1900 AND 2200),
  last_number  integer NOT NULL CHECK (last_number >= 0)
);

CREATE TABLE question_topics (
  question_id  integer NOT NULL REFERENCES questions (id),
  topic_id     integer NOT NULL REFERENCES topics (id),
  PRIMARY KEY (question_id, topic_id)
);
CREATE INDEX question_topics_topic ON question_topics (topic_id);

-- Published answers. A version is never overwritten: a correction is a new version pointing at what it corrects.
CREATE TABLE answer_versions (
  id                  integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  question_id         integer NOT NULL REFERENCES questions (id),
  version             integer NOT NULL CHECK (version > 0),
  kind                text NOT NULL CHECK (kind IN ('holding', 'substantive', 'correction')),
  delivery            text NOT NULL DEFAULT 'written' CHECK (delivery IN ('written', 'oral')),
  body                text NOT NULL CHECK (length(body) >= 1),
  answered_by_id      integer NOT NULL REFERENCES people (id),
  answered_by_label   text NOT NULL,
  published_at        timestamptz NOT NULL,
  corrects_version_id integer REFERENCES answer_versions (id),
  correction_note     text,
  created_at          timestamptz NOT NULL DEFAULT now(),
  UNIQUE (question_id, version),
  CHECK ((kind = 'correction') = (corrects_version_id IS NOT NULL)),
  CHECK (kind <> 'correction' OR correction_note IS NOT NULL)
);
CREATE INDEX answer_versions_published ON answer_versions (published_at);

-- What was said at a meeting: turns in order; a turn may belong to an oral question or to one of its supplementaries.
CREATE TABLE transcript_turns (
  id           integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  meeting_id   integer NOT NULL REFERENCES meetings (id),
  question_id  integer REFERENCES questions (id),
  position     integer NOT NULL CHECK (position > 0),
  speaker_id   integer NOT NULL REFERENCES people (id),
  body         text NOT NULL CHECK (length(body) >= 1),
  created_at   timestamptz NOT NULL DEFAULT now(),
  UNIQUE (meeting_id, position),
  FOREIGN KEY (meeting_id, speaker_id) REFERENCES meeting_attendance (meeting_id, person_id)
);
CREATE INDEX transcript_turns_question ON transcript_turns (question_id);

-- The Priority Order Paper: the order oral questions are taken in at a meeting.
CREATE TABLE order_paper_entries (
  meeting_id   integer NOT NULL REFERENCES meetings (id),
  question_id  integer NOT NULL REFERENCES questions (id) UNIQUE,
  position     integer NOT NULL CHECK (position > 0),
  reached      boolean,
  published_at timestamptz,
  PRIMARY KEY (meeting_id, question_id),
  UNIQUE (meeting_id, position) DEFERRABLE INITIALLY IMMEDIATE
);

-- Accounts for staff and members. Internal: never presented publicly.
CREATE TABLE users (
  id                  integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email               text NOT NULL CHECK (email ~ '^[^@\s]+@[^@\s]+$' AND length(email) <= 320),
  display_name        text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 200),
  role                text NOT NULL CHECK (role IN ('member', 'staff', 'press_officer', 'clerk', 'officer', 'approver', 'admin')),
  password_hash       text,
  person_id           integer REFERENCES people (id),
  acting_for_id       integer REFERENCES people (id),
  organisation_id     integer REFERENCES organisations (id),
  disabled_at         timestamptz,
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now(),
  CHECK (role <> 'member' OR person_id IS NOT NULL),
  CHECK (role <> 'staff' OR acting_for_id IS NOT NULL),
  CHECK (role NOT IN ('officer') OR organisation_id IS NOT NULL)
);
CREATE UNIQUE INDEX users_email ON users (lower(email));

-- The executive office's workflow: internal, never public.
CREATE TABLE allocations (
  id                 integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  question_id        integer NOT NULL REFERENCES questions (id),
  answering_body_id  integer NOT NULL REFERENCES organisations (id),
  officer_id         integer REFERENCES users (id),
  allocated_by_id    integer REFERENCES users (id),
  allocated_at       timestamptz NOT NULL DEFAULT now(),
  ended_at           timestamptz,
  transfer_reason    text
);
CREATE UNIQUE INDEX allocations_current ON allocations (question_id) WHERE ended_at IS NULL;

CREATE TABLE answer_drafts (
  id                   integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  question_id          integer NOT NULL REFERENCES questions (id),
  kind                 text NOT NULL CHECK (kind IN ('holding', 'substantive', 'correction')),
  state                text NOT NULL CHECK (state IN ('drafting', 'submitted', 'returned', 'approved', 'published', 'abandoned')),
  body                 text NOT NULL,
  corrects_version_id  integer REFERENCES answer_versions (id),
  correction_note      text,
  author_id            integer REFERENCES users (id),
  approved_by_id       integer REFERENCES users (id),
  approved_at          timestamptz,
  published_version_id integer REFERENCES answer_versions (id) UNIQUE,
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now(),
  CHECK ((state = 'published') = (published_version_id IS NOT NULL))
);
CREATE INDEX answer_drafts_question ON answer_drafts (question_id);

CREATE TABLE draft_comments (
  id          integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  draft_id    integer NOT NULL REFERENCES answer_drafts (id),
  author_id   integer REFERENCES users (id),
  body        text NOT NULL CHECK (length(body) BETWEEN 1 AND 20000),
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE press_categories (
  id    integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  slug  text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  name  text NOT NULL
);
INSERT INTO press_categories (slug, name) VALUES ('uncategorised', 'Uncategorised');

CREATE TABLE press_releases (
  id                 integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  slug               text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  headline           text NOT NULL CHECK (length(headline) BETWEEN 1 AND 300),
  body_markdown      text NOT NULL,
  notes_to_editors   text NOT NULL DEFAULT '',
  author_id          integer NOT NULL REFERENCES people (id),
  party_group_id     integer REFERENCES organisations (id),
  state              text NOT NULL CHECK (state IN ('draft', 'scheduled', 'published', 'unpublished')),
  embargo_until      timestamptz,
  published_at       timestamptz,
  unpublished_at     timestamptz,
  created_by_id      integer REFERENCES users (id),
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  CHECK (state <> 'scheduled' OR embargo_until IS NOT NULL),
  CHECK (state NOT IN ('published', 'unpublished') OR published_at IS NOT NULL),
  CHECK (state <> 'unpublished' OR unpublished_at IS NOT NULL)
);

CREATE TABLE press_release_categories (
  press_release_id  integer NOT NULL REFERENCES press_releases (id),
  category_id       integer NOT NULL REFERENCES press_categories (id),
  PRIMARY KEY (press_release_id, category_id)
);

CREATE TABLE press_release_quotes (
  id                integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  press_release_id  integer NOT NULL REFERENCES press_releases (id),
  position          integer NOT NULL CHECK (position > 0),
  person_id         integer NOT NULL REFERENCES people (id),
  body              text NOT NULL CHECK (length(body) >= 1),
  UNIQUE (press_release_id, position)
);

-- A citation points at the record (a question and, optionally, one answer version or transcript turn);
-- the quoted text is rendered from the record, never pasted.
CREATE TABLE press_release_citations (
  id                 integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  press_release_id   integer NOT NULL REFERENCES press_releases (id),
  position           integer NOT NULL CHECK (position > 0),
  question_id        integer NOT NULL REFERENCES questions (id),
  answer_version_id  integer REFERENCES answer_versions (id),
  meeting_id         integer REFERENCES meetings (id),
  UNIQUE (press_release_id, position)
);

-- Who did what to which record, when, from which state to which. Append-only (see the triggers below).
CREATE TABLE audit_events (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  occurred_at   timestamptz NOT NULL DEFAULT now(),
  actor_id      integer REFERENCES users (id),
  actor_label   text NOT NULL,
  action        text NOT NULL CHECK (action ~ '^[a-z_]+(\.[a-z_]+)*$'),
  record_type   text NOT NULL CHECK (record_type IN ('question', 'answer_version', 'answer_draft', 'allocation', 'meeting', 'order_paper', 'transcript', 'person', 'organisation', 'membership', 'user', 'press_release', 'import', 'assembly')),
  record_id     bigint NOT NULL,
  from_state    text,
  to_state      text,
  details       jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX audit_events_record ON audit_events (record_type, record_id, id);

CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% rows cannot be changed or deleted', TG_TABLE_NAME
    USING ERRCODE = 'restrict_violation', HINT = 'The record is append-only.';
END;
$$;

CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();

-- A published answer version is never edited or removed.
CREATE TRIGGER answer_versions_immutable BEFORE UPDATE OR DELETE ON answer_versions
  FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER answer_versions_no_truncate BEFORE TRUNCATE ON answer_versions
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
