-- Sign-in and the machinery around the question lifecycle: sessions kept in the database (revocable),
-- API tokens, two-factor recovery codes, sign-in attempts for rate limits, and the mail outbox.

ALTER TABLE users
  ADD COLUMN totp_secret text,
  ADD COLUMN totp_enabled_at timestamptz,
  ADD COLUMN password_changed_at timestamptz,
  ADD CONSTRAINT users_totp_enabled_needs_secret CHECK (totp_enabled_at IS NULL OR totp_secret IS NOT NULL);

-- Secrets this installation generates for itself on first start, shared by every app server through the database.
CREATE TABLE installation (
  singleton       boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  session_secret  text NOT NULL CHECK (length(session_secret) >= 32),
  created_at      timestamptz NOT NULL DEFAULT now()
);
INSERT INTO installation (session_secret) VALUES (encode(sha256(gen_random_uuid()::text::bytea || clock_timestamp()::text::bytea || random()::text::bytea), 'hex'));

-- A browser session. Only a hash of the cookie's value is stored, so a database leak yields no live sessions.
CREATE TABLE sessions (
  id_hash       text PRIMARY KEY,
  user_id       integer REFERENCES users (id),
  -- Sign-in half done: the password was right and a second factor is still due.
  pending_user_id integer REFERENCES users (id),
  csrf_secret   text NOT NULL,
  flash         text,
  created_at    timestamptz NOT NULL DEFAULT now(),
  last_seen_at  timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz NOT NULL,
  revoked_at    timestamptz,
  ip            text,
  user_agent    text,
  CHECK (user_id IS NULL OR pending_user_id IS NULL)
);
CREATE INDEX sessions_user ON sessions (user_id) WHERE revoked_at IS NULL;
CREATE INDEX sessions_expires ON sessions (expires_at);

-- Per-user API tokens for the workflow API. Only a hash is kept; the token is shown once when created.
CREATE TABLE api_tokens (
  id            integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id       integer NOT NULL REFERENCES users (id),
  name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  token_hash    text NOT NULL UNIQUE,
  token_prefix  text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  last_used_at  timestamptz,
  revoked_at    timestamptz
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

CREATE TABLE recovery_codes (
  id          integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id     integer NOT NULL REFERENCES users (id),
  code_hash   text NOT NULL,
  used_at     timestamptz,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX recovery_codes_user ON recovery_codes (user_id);

-- Every sign-in attempt, for rate limits per account and per address (shared by all app servers).
CREATE TABLE sign_in_attempts (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email_lower   text NOT NULL,
  ip            text NOT NULL,
  succeeded     boolean NOT NULL,
  attempted_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sign_in_attempts_email ON sign_in_attempts (email_lower, attempted_at);
CREATE INDEX sign_in_attempts_ip ON sign_in_attempts (ip, attempted_at);

-- Mail to send, written in the same transaction as the change it reports; a worker delivers it with retries.
CREATE TABLE outbox (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  kind             text NOT NULL CHECK (kind ~ '^[a-z_]+$'),
  recipient        text NOT NULL CHECK (recipient ~ '^[^@\s]+@[^@\s]+$'),
  subject          text NOT NULL,
  body_text        text NOT NULL,
  -- Stable across retries, so a message sent twice after a crash is recognisably the same message.
  message_id       text NOT NULL UNIQUE,
  state            text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sending', 'sent', 'failed')),
  attempts         integer NOT NULL DEFAULT 0,
  next_attempt_at  timestamptz NOT NULL DEFAULT now(),
  claimed_until    timestamptz,
  last_error       text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  sent_at          timestamptz,
  CHECK ((state = 'sent') = (sent_at IS NOT NULL))
);
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE state IN ('pending', 'sending');

-- Similar questions while a member drafts, and plain text search until the search issue lands.
CREATE INDEX questions_text_search ON questions USING gin (to_tsvector('english', title || ' ' || body));

ALTER TABLE audit_events DROP CONSTRAINT audit_events_record_type_check;
ALTER TABLE audit_events ADD CONSTRAINT audit_events_record_type_check CHECK (record_type IN (
  'question', 'answer_version', 'answer_draft', 'allocation', 'meeting', 'order_paper', 'transcript', 'person',
  'organisation', 'membership', 'user', 'api_token', 'session', 'press_release', 'import', 'assembly'));
