-- 0010: status events for the live stream (GET /api/v1/events, docs/decisions/0006). A study's
-- status is never stored (it is derived from its sites' inclusion dates); what is kept here is
-- only the fact that the live stream announced "at instant X the status of study S changed", so
-- that a client reconnecting with Last-Event-ID gets exactly the announcements it missed, in the
-- order they were made, with the same ids. Written by the status scheduler
-- (app/realtime/status-scheduler.server.ts) when a site's window opens or closes. Like the change
-- log it is append-only; UNIQUE (study_id, at) keeps a transition from being announced twice
-- (a restart, or two server processes on one database).
CREATE TABLE study_status_events (
  seq              INTEGER PRIMARY KEY AUTOINCREMENT,
  study_id         INTEGER NOT NULL REFERENCES studies(id),
  -- The instant the status changed (start of a day in Europe/Oslo), ISO 8601 UTC.
  at               TEXT NOT NULL,
  -- The study's derived status before and after that instant (open, planned, paused, closed, no_sites).
  status           TEXT NOT NULL,
  previous_status  TEXT NOT NULL,
  -- JSON array of the sites whose own status changed: {siteId, organisationId, hospitalId, from, to}.
  sites            TEXT NOT NULL,
  -- When the scheduler wrote the row (later than `at` when the server was down at the instant).
  created_at       TEXT NOT NULL,
  -- The change log's head (study_changes.seq) when the row was written, read inside the same write
  -- transaction: it places the event in one total order with the study changes (after change
  -- `after_change`, before the next one), so live delivery and a replay give the same order and ids.
  after_change     INTEGER NOT NULL,
  UNIQUE (study_id, at)
) STRICT;

CREATE TRIGGER study_status_events_never_deleted BEFORE DELETE ON study_status_events
BEGIN SELECT RAISE(ABORT, 'status events are never deleted'); END;
CREATE TRIGGER study_status_events_never_changed BEFORE UPDATE ON study_status_events
BEGIN SELECT RAISE(ABORT, 'status events are never changed'); END;
