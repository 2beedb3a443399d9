-- Imports: a row per import run with its summary; the source identifiers that make a re-import idempotent; the
-- fields other systems record that had no home yet (named day, holding-answer date, grouped questions,
-- attachments); and questions that belong to no meeting (a written question imported from another house).

CREATE TABLE import_runs (
  id            integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  format        text NOT NULL CHECK (format IN ('uk-parliament', 'popolo', 'csv', 'ndjson')),
  source_name   text NOT NULL CHECK (length(source_name) BETWEEN 1 AND 1000),
  state         text NOT NULL DEFAULT 'running' CHECK (state IN ('running', 'finished', 'failed')),
  started_at    timestamptz NOT NULL DEFAULT now(),
  finished_at   timestamptz,
  records       integer NOT NULL DEFAULT 0 CHECK (records >= 0),
  created       integer NOT NULL DEFAULT 0 CHECK (created >= 0),
  updated       integer NOT NULL DEFAULT 0 CHECK (updated >= 0),
  unchanged     integer NOT NULL DEFAULT 0 CHECK (unchanged >= 0),
  skipped       integer NOT NULL DEFAULT 0 CHECK (skipped >= 0),
  -- The first problems found, each with its source position and reason (bounded: a bad file must not bloat the row).
  problems      jsonb NOT NULL DEFAULT '[]'::jsonb,
  message       text
);
CREATE INDEX import_runs_started ON import_runs (started_at DESC, id DESC);

ALTER TABLE questions
  ALTER COLUMN meeting_id DROP NOT NULL,
  -- The reference the source used (a Commons uin), kept as written there; grouped questions point at it.
  ADD COLUMN source_reference text,
  -- A digest of the imported record: equal on re-import means nothing changed.
  ADD COLUMN source_digest text,
  ADD COLUMN named_day boolean NOT NULL DEFAULT false,
  ADD COLUMN holding_answered_on date;
CREATE INDEX questions_source_reference ON questions (source, source_reference) WHERE source IS NOT NULL;

ALTER TABLE answer_versions
  ADD COLUMN source text,
  ADD COLUMN source_id text,
  ADD CONSTRAINT answer_versions_source UNIQUE (source, source_id);

-- Questions answered together, as the source links them (by the other question's source reference).
CREATE TABLE question_groupings (
  question_id        integer NOT NULL REFERENCES questions (id),
  grouped_reference  text NOT NULL CHECK (length(grouped_reference) BETWEEN 1 AND 100),
  PRIMARY KEY (question_id, grouped_reference)
);

-- Files an answer points at (listed, not stored).
CREATE TABLE question_attachments (
  question_id  integer NOT NULL REFERENCES questions (id),
  position     integer NOT NULL CHECK (position > 0),
  title        text NOT NULL CHECK (length(title) BETWEEN 1 AND 500),
  url          text CHECK (url IS NULL OR url ~ '^https?://'),
  file_type    text,
  size_bytes   bigint CHECK (size_bytes IS NULL OR size_bytes >= 0),
  PRIMARY KEY (question_id, position)
);
