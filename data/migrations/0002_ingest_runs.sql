-- 0002: ingestion. Every run is recorded with its counts and the records it rejected;
-- disagreements between organisations about a study's shared fields are kept as conflicts.

CREATE TABLE ingest_runs (
  id               INTEGER PRIMARY KEY,
  organisation_id  TEXT NOT NULL REFERENCES organisations(id),
  source_id        TEXT NOT NULL REFERENCES sources(id),
  format           TEXT NOT NULL,
  mode             TEXT NOT NULL CHECK (mode IN ('full', 'partial')),
  dry_run          INTEGER NOT NULL DEFAULT 0 CHECK (dry_run IN (0, 1)),
  started_at       TEXT NOT NULL,
  finished_at      TEXT,
  status           TEXT NOT NULL CHECK (status IN ('running', 'finished', 'failed')),
  received         INTEGER NOT NULL DEFAULT 0,
  created          INTEGER NOT NULL DEFAULT 0,
  changed          INTEGER NOT NULL DEFAULT 0,
  unchanged        INTEGER NOT NULL DEFAULT 0,
  withdrawn        INTEGER NOT NULL DEFAULT 0,
  rejected         INTEGER NOT NULL DEFAULT 0,
  error            TEXT
) STRICT;
CREATE INDEX ingest_runs_organisation ON ingest_runs(organisation_id, started_at);

CREATE TABLE ingest_rejections (
  run_id       INTEGER NOT NULL REFERENCES ingest_runs(id),
  position     INTEGER NOT NULL,
  ref          TEXT NOT NULL,
  external_id  TEXT,
  field        TEXT NOT NULL,
  message      TEXT NOT NULL,
  PRIMARY KEY (run_id, position)
) STRICT, WITHOUT ROWID;

-- A non-lead organisation sent shared fields that differ from the lead's: kept, not applied.
CREATE TABLE study_conflicts (
  id               INTEGER PRIMARY KEY,
  study_id         INTEGER NOT NULL REFERENCES studies(id),
  organisation_id  TEXT NOT NULL REFERENCES organisations(id),
  run_id           INTEGER REFERENCES ingest_runs(id),
  field            TEXT NOT NULL,
  current_value    TEXT NOT NULL CHECK (json_valid(current_value)),
  incoming_value   TEXT NOT NULL CHECK (json_valid(incoming_value)),
  detected_at      TEXT NOT NULL,
  resolved_at      TEXT
) STRICT;
-- The same unresolved disagreement is recorded once, however often the feed repeats it.
CREATE UNIQUE INDEX study_conflicts_open ON study_conflicts(study_id, organisation_id, field, incoming_value) WHERE resolved_at IS NULL;
