-- 0017: approval tied to what was reviewed, and a site of another organisation only with its
-- consent (issue 22 findings 5 and 6, docs/decisions/0014-approval-and-site-consent.md).
-- Never edit this file once it has landed.

-- A site another organisation proposed for this organisation's hospital, not yet accepted. It is
-- stored withdrawn (so no public surface, search index, feed or embed shows it) until the site's
-- own organisation accepts it; declining keeps it withdrawn and clears the flag.
ALTER TABLE study_sites ADD COLUMN pending_consent INTEGER NOT NULL DEFAULT 0
  CHECK (pending_consent IN (0, 1) AND (pending_consent = 0 OR withdrawn = 1));

-- A change to a published study's shared fields (title, texts, criteria, codes, lead …) waits
-- here until an editor of the lead organisation approves exactly this revision; the public keeps
-- seeing the published version meanwhile. Each save is a new revision (nothing is lost); the one
-- before it becomes 'replaced'. At most one revision per study is open (draft or submitted).
CREATE TABLE study_revisions (
  study_id       INTEGER NOT NULL REFERENCES studies(id),
  revision       INTEGER NOT NULL CHECK (revision >= 1),
  -- The published version the revision was written against.
  base_version   INTEGER NOT NULL CHECK (base_version >= 1),
  state          TEXT NOT NULL CHECK (state IN ('draft', 'submitted', 'approved', 'replaced')),
  -- The proposed study; only its shared fields are used (sites stay as they are live).
  snapshot       TEXT NOT NULL CHECK (json_valid(snapshot)),
  actor_id       TEXT,
  actor_name     TEXT NOT NULL,
  created_at     TEXT NOT NULL,
  decided_at     TEXT,
  -- The study version the approval published.
  published_version INTEGER,
  PRIMARY KEY (study_id, revision)
) STRICT, WITHOUT ROWID;
CREATE UNIQUE INDEX study_revisions_open ON study_revisions(study_id) WHERE state IN ('draft', 'submitted');

CREATE TRIGGER study_revisions_never_deleted BEFORE DELETE ON study_revisions
BEGIN SELECT RAISE(ABORT, 'study revisions are never deleted'); END;
-- Only the state moves on (draft ⇄ submitted → approved / replaced); the content never changes.
CREATE TRIGGER study_revisions_content_fixed BEFORE UPDATE OF study_id, revision, base_version, snapshot, actor_id, actor_name, created_at ON study_revisions
BEGIN SELECT RAISE(ABORT, 'a study revision''s content is never changed: save a new revision'); END;

-- A review decision on a pending revision names it (NULL: a decision on the study itself).
ALTER TABLE study_reviews ADD COLUMN revision INTEGER;
