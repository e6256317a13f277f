-- 0009: the change log for mirrors (GET /api/v1/changes). Every study version gets a sequence
-- number from a trigger, in the same transaction that writes the version. SQLite runs one writer
-- at a time and AUTOINCREMENT never reuses a number, so sequence numbers become visible in the
-- order they were given: a reader that has seen number N has seen every change before N, and a
-- cursor ("changes after N") stays valid forever. Timestamps cannot give that (an ingest run
-- stamps its versions with the time it started, not the time each one is committed).

CREATE TABLE study_changes (
  seq                INTEGER PRIMARY KEY AUTOINCREMENT,
  study_id           INTEGER NOT NULL REFERENCES studies(id),
  version            INTEGER NOT NULL,
  -- The version's own time (study_versions.created_at).
  created_at         TEXT NOT NULL,
  -- publicationState of this version and of the version before it (NULL for version 1): whether
  -- the change is public (published, changed, withdrawn, unpublished) is read from these two.
  publication_state  TEXT NOT NULL,
  previous_state     TEXT,
  UNIQUE (study_id, version)
) STRICT;

-- Versions that already exist, in the order they were made.
INSERT INTO study_changes (study_id, version, created_at, publication_state, previous_state)
SELECT v.study_id, v.version, v.created_at, json_extract(v.snapshot, '$.publicationState'),
       (SELECT json_extract(p.snapshot, '$.publicationState') FROM study_versions p
        WHERE p.study_id = v.study_id AND p.version = v.version - 1)
FROM study_versions v
ORDER BY v.created_at, v.study_id, v.version;

CREATE TRIGGER study_versions_change_log AFTER INSERT ON study_versions
BEGIN
  INSERT INTO study_changes (study_id, version, created_at, publication_state, previous_state)
  VALUES (NEW.study_id, NEW.version, NEW.created_at, json_extract(NEW.snapshot, '$.publicationState'),
          (SELECT publication_state FROM study_changes WHERE study_id = NEW.study_id AND version = NEW.version - 1));
END;

-- Like the versions themselves, the log is never rewritten.
CREATE TRIGGER study_changes_never_deleted BEFORE DELETE ON study_changes
BEGIN SELECT RAISE(ABORT, 'the change log is never deleted'); END;
CREATE TRIGGER study_changes_never_changed BEFORE UPDATE ON study_changes
BEGIN SELECT RAISE(ABORT, 'the change log is never changed'); END;
