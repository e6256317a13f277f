-- 0014: every record a run read is accounted for, and junk is held for an editor.
--
-- A run's counts add up: received = created + changed + unchanged + skipped + rejected. Skipped
-- records are counted per reason with a bounded list of which records (ref and id); warnings are
-- kept, bounded per run, with the total. Records stored but held unpublished are counted in `held`.
ALTER TABLE ingest_runs ADD COLUMN skipped INTEGER NOT NULL DEFAULT 0;
ALTER TABLE ingest_runs ADD COLUMN held INTEGER NOT NULL DEFAULT 0;
ALTER TABLE ingest_runs ADD COLUMN warnings INTEGER NOT NULL DEFAULT 0;

-- One row per reason: how many records were skipped for it, and the first few of them
-- ([{"ref": …, "externalId": …}], at most 50 per reason; `count` is the true total).
CREATE TABLE ingest_run_skips (
  run_id   INTEGER NOT NULL REFERENCES ingest_runs(id),
  reason   TEXT NOT NULL,
  count    INTEGER NOT NULL CHECK (count > 0),
  records  TEXT NOT NULL CHECK (json_valid(records) AND json_type(records) = 'array'),
  PRIMARY KEY (run_id, reason)
) STRICT, WITHOUT ROWID;

-- The run's warnings in order, at most 500 per run (ingest_runs.warnings is the true total).
CREATE TABLE ingest_run_warnings (
  run_id    INTEGER NOT NULL REFERENCES ingest_runs(id),
  position  INTEGER NOT NULL,
  ref       TEXT NOT NULL,
  message   TEXT NOT NULL,
  PRIMARY KEY (run_id, position)
) STRICT, WITHOUT ROWID;

-- A registry import (npm run import:ctgov) has no sending organisation: it is written as one
-- ingest run per organisation with a Norwegian site (those rows carry registry_import_id), and the
-- whole file's account (received, skipped by reason including studies whose Norwegian sites
-- matched no organisation, rejected) is kept here, because ingest_runs.organisation_id is NOT NULL.
CREATE TABLE registry_imports (
  id           INTEGER PRIMARY KEY,
  source_id    TEXT NOT NULL,
  format       TEXT NOT NULL,
  started_at   TEXT NOT NULL,
  finished_at  TEXT,
  status       TEXT NOT NULL CHECK (status IN ('running', 'finished', 'failed')),
  received     INTEGER NOT NULL DEFAULT 0,
  stored       INTEGER NOT NULL DEFAULT 0,
  unchanged    INTEGER NOT NULL DEFAULT 0,
  skipped      INTEGER NOT NULL DEFAULT 0,
  rejected     INTEGER NOT NULL DEFAULT 0,
  held         INTEGER NOT NULL DEFAULT 0,
  -- [{"reason", "count", "records": [{"ref", "externalId"}] (≤ 50)}]
  skipped_reasons  TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(skipped_reasons)),
  -- [{"ref", "externalId", "field", "message"}] (≤ 200)
  rejections       TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(rejections)),
  error        TEXT
) STRICT;
ALTER TABLE ingest_runs ADD COLUMN registry_import_id INTEGER REFERENCES registry_imports(id);

-- A study held unpublished for an editor, and why (test/example record, unreachable link). The
-- editor may publish it deliberately (released_at/released_by); a later run keeps it released
-- unless it finds a new reason.
CREATE TABLE study_holds (
  study_id     INTEGER PRIMARY KEY REFERENCES studies(id),
  reasons      TEXT NOT NULL CHECK (json_valid(reasons) AND json_type(reasons) = 'array'),
  run_id       INTEGER REFERENCES ingest_runs(id),
  held_at      TEXT NOT NULL,
  released_at  TEXT,
  released_by  TEXT
) STRICT;
CREATE INDEX study_holds_open ON study_holds(held_at) WHERE released_at IS NULL;
