-- Search: one narrow row per public question (the words of its title, text and answers, and the columns the
-- facets count), kept current by triggers so that searching never joins or re-parses the long texts.

CREATE TABLE question_search (
  question_id        integer PRIMARY KEY REFERENCES questions (id) ON DELETE CASCADE,
  reference_year     integer NOT NULL,
  question_type      text NOT NULL,
  state              text NOT NULL,
  asker_id           integer NOT NULL,
  group_id           integer,
  answering_body_id  integer,
  -- Null for a question imported from a system without meetings.
  meeting_id         integer,
  -- The day the question was asked (its meeting's day when not recorded, else the day it was tabled): date
  -- filters and date order use it.
  asked_on           date NOT NULL,
  due_on             date,
  has_holding        boolean NOT NULL,
  has_substantive    boolean NOT NULL,
  topic_ids          integer[] NOT NULL DEFAULT '{}',
  document           tsvector NOT NULL
);
CREATE INDEX question_search_document ON question_search USING gin (document);
CREATE INDEX question_search_asked_on ON question_search (asked_on DESC, question_id DESC);
CREATE INDEX question_search_asker ON question_search (asker_id);

-- What question_search holds, computed from the record: the same rules as publicQuestions() in question.queries.ts.
CREATE VIEW question_search_source AS
SELECT
  q.id AS question_id,
  q.reference_year,
  q.question_type,
  q.state,
  q.asker_id,
  (SELECT m.organisation_id
     FROM memberships m JOIN organisations o ON o.id = m.organisation_id
    WHERE m.person_id = q.asker_id AND o.classification = 'party_group' AND m.role = 'member'
      AND m.start_date <= coalesce(q.asked_on, mt.meets_on, (q.tabled_at AT TIME ZONE 'Europe/London')::date, (q.created_at AT TIME ZONE 'Europe/London')::date)
      AND (m.end_date IS NULL OR m.end_date >= coalesce(q.asked_on, mt.meets_on, (q.tabled_at AT TIME ZONE 'Europe/London')::date, (q.created_at AT TIME ZONE 'Europe/London')::date))
    ORDER BY m.start_date, m.id LIMIT 1) AS group_id,
  q.answering_body_id,
  q.meeting_id,
  coalesce(q.asked_on, mt.meets_on, (q.tabled_at AT TIME ZONE 'Europe/London')::date, (q.created_at AT TIME ZONE 'Europe/London')::date) AS asked_on,
  q.due_on,
  EXISTS (SELECT 1 FROM answer_versions a WHERE a.question_id = q.id AND a.kind = 'holding') AS has_holding,
  EXISTS (SELECT 1 FROM answer_versions a WHERE a.question_id = q.id AND a.kind IN ('substantive', 'correction')) AS has_substantive,
  coalesce((SELECT array_agg(t.topic_id ORDER BY t.topic_id) FROM question_topics t WHERE t.question_id = q.id), '{}') AS topic_ids,
  setweight(to_tsvector('english', q.title), 'A')
    || setweight(to_tsvector('english', q.body), 'B')
    || setweight(to_tsvector('english', coalesce((SELECT string_agg(a.body, ' ' ORDER BY a.version) FROM answer_versions a WHERE a.question_id = q.id), '')), 'C')
    AS document
FROM questions q
LEFT JOIN meetings mt ON mt.id = q.meeting_id
WHERE q.state IN ('accepted', 'withdrawn')
  AND q.question_type <> 'supplementary'
  AND q.reference_number IS NOT NULL;

CREATE FUNCTION question_search_refresh(qid integer) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  -- A bulk import defers the refresh for its transaction and refreshes the whole batch at once at its end
  -- (question_search_refresh_many), rather than once per row and again per answer.
  IF current_setting('answerable.search_deferred', true) = 'on' THEN
    RETURN;
  END IF;
  DELETE FROM question_search WHERE question_id = qid;
  INSERT INTO question_search SELECT * FROM question_search_source WHERE question_id = qid;
END $$;

CREATE FUNCTION question_search_refresh_many(qids integer[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM question_search WHERE question_id = ANY (qids);
  INSERT INTO question_search SELECT * FROM question_search_source WHERE question_id = ANY (qids);
END $$;

CREATE FUNCTION question_search_on_question() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM question_search_refresh(NEW.id);
  RETURN NULL;
END $$;

CREATE FUNCTION question_search_on_child() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    PERFORM question_search_refresh(OLD.question_id);
  ELSE
    PERFORM question_search_refresh(NEW.question_id);
  END IF;
  RETURN NULL;
END $$;

-- A change of party group moves the asker's questions between group facets.
CREATE FUNCTION question_search_on_membership() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM question_search_refresh(q.id) FROM questions q WHERE q.asker_id = NEW.person_id;
  RETURN NULL;
END $$;

CREATE TRIGGER question_search_question AFTER INSERT OR UPDATE ON questions
  FOR EACH ROW EXECUTE FUNCTION question_search_on_question();
CREATE TRIGGER question_search_answer AFTER INSERT ON answer_versions
  FOR EACH ROW EXECUTE FUNCTION question_search_on_child();
CREATE TRIGGER question_search_topic AFTER INSERT OR DELETE ON question_topics
  FOR EACH ROW EXECUTE FUNCTION question_search_on_child();
CREATE TRIGGER question_search_membership AFTER INSERT OR UPDATE ON memberships
  FOR EACH ROW EXECUTE FUNCTION question_search_on_membership();

INSERT INTO question_search SELECT * FROM question_search_source;

-- Past 10,000 matches the counts come from 1 question in 16, or in 256, chosen by id (src/search/search.queries.ts).
CREATE INDEX question_search_sample ON question_search ((question_id % 256));
