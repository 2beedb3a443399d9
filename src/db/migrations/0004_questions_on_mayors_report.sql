-- Questions on the Mayor's report: at Mayor's Question Time they are a stream of their own, taken apart from the
-- Priority Order Paper's questions. The clerk marks them; a supplementary follows its question and is never marked.

ALTER TABLE questions
  ADD COLUMN on_mayors_report boolean NOT NULL DEFAULT false,
  ADD CONSTRAINT questions_on_mayors_report_not_supplementary CHECK (on_mayors_report = false OR question_type <> 'supplementary');

CREATE INDEX questions_on_mayors_report ON questions (meeting_id) WHERE on_mayors_report;
