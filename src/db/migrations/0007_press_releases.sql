-- Press releases as members publish them: a citation pins one published answer version of the cited question (the
-- quotation is rendered from that version, never pasted: there is no column to paste into), bounded text, a reason
-- kept with an unpublished release's tombstone, and the indexes the public list, feeds and question pages use.

-- Lets a citation prove that the version it pins belongs to the question it names.
ALTER TABLE answer_versions ADD CONSTRAINT answer_versions_id_question UNIQUE (id, question_id);

ALTER TABLE press_release_citations
  ALTER COLUMN answer_version_id SET NOT NULL,
  ADD COLUMN kind text NOT NULL CHECK (kind IN ('written', 'oral')),
  -- true when the author chose this version; false when it was the latest published version when cited.
  ADD COLUMN pinned boolean NOT NULL DEFAULT false,
  ADD CONSTRAINT press_release_citations_version_of_question
    FOREIGN KEY (answer_version_id, question_id) REFERENCES answer_versions (id, question_id),
  ADD CONSTRAINT press_release_citations_oral_meeting CHECK ((kind = 'oral') = (meeting_id IS NOT NULL)),
  ADD CONSTRAINT press_release_citations_once UNIQUE (press_release_id, answer_version_id);
CREATE INDEX press_release_citations_question ON press_release_citations (question_id);

ALTER TABLE press_releases
  ADD COLUMN unpublish_reason text CHECK (unpublish_reason IS NULL OR length(unpublish_reason) BETWEEN 1 AND 2000),
  ADD CONSTRAINT press_releases_body_length CHECK (length(body_markdown) BETWEEN 1 AND 20000),
  ADD CONSTRAINT press_releases_notes_length CHECK (length(notes_to_editors) <= 20000),
  -- published_at is the moment the release becomes public: now, or the end of its embargo.
  ADD CONSTRAINT press_releases_embargo_is_publication CHECK (state <> 'scheduled' OR published_at = embargo_until);
CREATE INDEX press_releases_public ON press_releases (published_at DESC, id DESC) WHERE state IN ('scheduled', 'published');
CREATE INDEX press_releases_author ON press_releases (author_id);

ALTER TABLE press_release_quotes ADD CONSTRAINT press_release_quotes_body_length CHECK (length(body) <= 5000);
ALTER TABLE press_categories ADD CONSTRAINT press_categories_name_length CHECK (length(name) BETWEEN 1 AND 80);
CREATE INDEX press_release_categories_category ON press_release_categories (category_id);
