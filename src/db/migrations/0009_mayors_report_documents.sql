-- The Mayor's report may be uploaded as a document (as the Mayor's office usually sends it) as well as, or
-- instead of, being written in. The file lives in the database, so app servers stay stateless.
CREATE TABLE meeting_paper_documents (
  paper_id     integer PRIMARY KEY REFERENCES meeting_papers (id),
  file_name    text NOT NULL CHECK (length(file_name) BETWEEN 1 AND 200),
  media_type   text NOT NULL CHECK (media_type IN (
                 'application/pdf',
                 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
                 'application/vnd.oasis.opendocument.text',
                 'text/plain')),
  byte_size    integer NOT NULL CHECK (byte_size > 0 AND byte_size <= 10485760),
  sha256       text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  content      bytea NOT NULL,
  uploaded_at  timestamptz NOT NULL
);
