-- 0006: the search outbox. Every committed change to a study enqueues its id in the same
-- transaction; indexers (one cursor per engine) drain it, so no change is ever lost, even when
-- Meilisearch is down or the process dies. Rows are removed once every engine has passed them.
CREATE TABLE search_outbox (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  study_id     INTEGER NOT NULL REFERENCES studies(id),
  enqueued_at  TEXT NOT NULL
) STRICT;

CREATE TABLE search_cursors (
  engine           TEXT PRIMARY KEY,
  last_id          INTEGER NOT NULL DEFAULT 0,
  failures         INTEGER NOT NULL DEFAULT 0,
  next_attempt_at  TEXT,
  last_error       TEXT,
  updated_at       TEXT
) STRICT;
