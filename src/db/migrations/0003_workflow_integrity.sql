-- Integrity the workflow commands already keep, enforced by the database as well, so no other writer
-- (an import, a script, a bug) can break it: one open draft answer per question, bounded text, and a
-- correction note exactly when a draft is a correction.

CREATE UNIQUE INDEX answer_drafts_one_open ON answer_drafts (question_id)
  WHERE state IN ('drafting', 'submitted', 'returned', 'approved');

ALTER TABLE answer_drafts
  ADD CONSTRAINT answer_drafts_body_length CHECK (length(body) BETWEEN 1 AND 20000),
  ADD CONSTRAINT answer_drafts_correction_note CHECK ((kind = 'correction') = (correction_note IS NOT NULL)),
  ADD CONSTRAINT answer_drafts_correction_target CHECK (kind = 'correction' OR corrects_version_id IS NULL);

ALTER TABLE allocations
  ADD CONSTRAINT allocations_transfer_reason_length CHECK (transfer_reason IS NULL OR length(transfer_reason) BETWEEN 1 AND 2000);

ALTER TABLE questions
  ADD CONSTRAINT questions_rejection_reason_length CHECK (rejection_reason IS NULL OR length(rejection_reason) BETWEEN 1 AND 2000),
  ADD CONSTRAINT questions_withdrawal_reason_length CHECK (withdrawal_reason IS NULL OR length(withdrawal_reason) <= 2000);

CREATE INDEX answer_drafts_state ON answer_drafts (state) WHERE state IN ('submitted', 'approved');
