-- 0004: pull feeds. An organisation may publish its studies at a URL that the portal polls on a
-- schedule with conditional requests (ETag / Last-Modified) and backs off from when it fails.
CREATE TABLE feed_subscriptions (
  id                INTEGER PRIMARY KEY,
  organisation_id   TEXT NOT NULL REFERENCES organisations(id),
  url               TEXT NOT NULL CHECK (url LIKE 'http://%' OR url LIKE 'https://%'),
  format            TEXT NOT NULL,
  mode              TEXT NOT NULL DEFAULT 'full' CHECK (mode IN ('full', 'partial')),
  interval_seconds  INTEGER NOT NULL DEFAULT 900 CHECK (interval_seconds >= 10),
  active            INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  etag              TEXT,
  last_modified     TEXT,
  next_poll_at      TEXT NOT NULL,
  last_polled_at    TEXT,
  last_status       TEXT,
  last_run_id       INTEGER REFERENCES ingest_runs(id),
  failures          INTEGER NOT NULL DEFAULT 0,
  last_error        TEXT,
  created_at        TEXT NOT NULL,
  UNIQUE (organisation_id, url)
) STRICT;
CREATE INDEX feed_subscriptions_due ON feed_subscriptions(active, next_poll_at);
