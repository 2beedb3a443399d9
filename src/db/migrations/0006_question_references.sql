-- Follow-up threading: the question references each question's text and each published answer cites, kept by
-- triggers so "Followed up by" is one index lookup. The SQL match is deliberately loose (a superset of
-- src/questions/reference.ts findReferencesInText); pages confirm each candidate with that parser.

CREATE TABLE question_references (
  cited_year integer NOT NULL,
  cited_number integer NOT NULL,
  citing_question_id integer NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
  source text NOT NULL CHECK (source IN ('question', 'answer')),
  PRIMARY KEY (cited_year, cited_number, citing_question_id, source)
);
CREATE INDEX question_references_citing ON question_references (citing_question_id);

-- Year first (2009/1234) and number first (532/2008), both readings of every digits/digits pair.
CREATE FUNCTION question_reference_candidates(text_value text) RETURNS TABLE (ref_year integer, ref_number integer)
LANGUAGE sql IMMUTABLE AS $$
  SELECT DISTINCT c.y, c.n FROM (
    SELECT (m[1])::integer AS y, (m[2])::integer AS n
      FROM regexp_matches(text_value, '(?:^|[^0-9/])([0-9]{4})/([0-9]{4,6})(?![0-9/])', 'g') AS m
    UNION ALL
    SELECT (m[2])::integer, (m[1])::integer
      FROM regexp_matches(text_value, '(?:^|[^0-9/])([0-9]{1,6})/([0-9]{4})(?![0-9/])', 'g') AS m
  ) AS c
  WHERE c.y BETWEEN 1900 AND 2200 AND c.n BETWEEN 1 AND 999999
$$;

CREATE FUNCTION question_references_from_question() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    IF NEW.body IS NOT DISTINCT FROM OLD.body AND NEW.title IS NOT DISTINCT FROM OLD.title THEN
      RETURN NEW;
    END IF;
    DELETE FROM question_references WHERE citing_question_id = NEW.id AND source = 'question';
  END IF;
  INSERT INTO question_references (cited_year, cited_number, citing_question_id, source)
    SELECT c.ref_year, c.ref_number, NEW.id, 'question'
      FROM question_reference_candidates(NEW.title || E'\n' || NEW.body) AS c
    ON CONFLICT DO NOTHING;
  RETURN NEW;
END
$$;

CREATE TRIGGER question_references_on_question
  AFTER INSERT OR UPDATE OF title, body ON questions
  FOR EACH ROW EXECUTE FUNCTION question_references_from_question();

-- Published answer versions never change (a trigger refuses it), so inserts are all there is to follow.
CREATE FUNCTION question_references_from_answer() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO question_references (cited_year, cited_number, citing_question_id, source)
    SELECT c.ref_year, c.ref_number, NEW.question_id, 'answer'
      FROM question_reference_candidates(NEW.body) AS c
    ON CONFLICT DO NOTHING;
  RETURN NEW;
END
$$;

CREATE TRIGGER question_references_on_answer
  AFTER INSERT ON answer_versions
  FOR EACH ROW EXECUTE FUNCTION question_references_from_answer();

INSERT INTO question_references (cited_year, cited_number, citing_question_id, source)
  SELECT c.ref_year, c.ref_number, q.id, 'question'
    FROM questions AS q, question_reference_candidates(q.title || E'\n' || q.body) AS c
  ON CONFLICT DO NOTHING;
INSERT INTO question_references (cited_year, cited_number, citing_question_id, source)
  SELECT c.ref_year, c.ref_number, a.question_id, 'answer'
    FROM answer_versions AS a, question_reference_candidates(a.body) AS c
  ON CONFLICT DO NOTHING;
