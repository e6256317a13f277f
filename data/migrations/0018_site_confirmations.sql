-- 0018: when each site's inclusion dates (or declared status) were last confirmed, and by whom
-- or by which feed (issue 18 item 1, docs/decisions/0019-site-confirmations.md).
-- Never edit this file once it has landed.
--
-- confirmed_at is the instant (ISO 8601 UTC), confirmed_on its calendar date in Europe/Oslo (what
-- the status rule counts from). confirmed_by_kind says what confirmed it:
--   user     an editor or researcher, by the one-click "Bekreft" or by saving the site's dates
--   feed     an ingest delivery (HTTP, CLI, feed poller) that carried the site
--   seed     the demo data loader; system: the portal itself
--   backfill set by this migration for sites that existed before confirmations were recorded:
--            NOT a confirmation, but the last time the site was changed, and who/what changed it.

ALTER TABLE study_sites ADD COLUMN confirmed_at TEXT;
ALTER TABLE study_sites ADD COLUMN confirmed_on TEXT CHECK (confirmed_on IS NULL OR date(confirmed_on) = confirmed_on);
ALTER TABLE study_sites ADD COLUMN confirmed_by_kind TEXT CHECK (confirmed_by_kind IS NULL OR confirmed_by_kind IN ('user', 'feed', 'seed', 'system', 'backfill'));
ALTER TABLE study_sites ADD COLUMN confirmed_by_id TEXT;
ALTER TABLE study_sites ADD COLUMN confirmed_by_name TEXT;

-- Backfill: the newest version of the study that created or changed this site (its diff names
-- the site by its identity, as siteIdentity in app/domain/study.ts writes it), else the study's
-- first version. Its calendar date is taken as UTC + 1 hour (Oslo winter time): in summer an
-- instant between 22:00 and 23:00 UTC gets the day before, i.e. an older date, never a newer one.
-- SQLite's lower() folds ASCII only, so a site named with non-ASCII capitals falls back to the
-- first version: again older, never newer. Older errs towards "needs confirmation", never
-- towards a confirmation that did not happen.
-- Worked out once per site into a scratch table (dropped below), then applied with UPDATE … FROM.
CREATE TABLE backfill_0018 AS
WITH keyed AS (
  SELECT ss.id, ss.study_id,
    CASE WHEN ss.organisation_id IS NOT NULL THEN ss.organisation_id || '/' || coalesce(ss.hospital_id, '')
         WHEN ss.site_name IS NULL THEN '~unnamed|' || lower(coalesce(ss.site_city, ''))
         ELSE '~' || lower(ss.site_name) || '|' || lower(coalesce(ss.site_city, '')) END AS site_key
  FROM study_sites ss
)
SELECT k.id AS site_id, k.study_id,
  coalesce(
    (SELECT v.version FROM study_versions v
      WHERE v.study_id = k.study_id AND EXISTS (
        SELECT 1 FROM json_each(v.diff) d
        WHERE json_extract(d.value, '$.path') = 'sites[' || k.site_key || ']'
           OR substr(json_extract(d.value, '$.path'), 1, length(k.site_key) + 8) = 'sites[' || k.site_key || '].')
      ORDER BY v.version DESC LIMIT 1),
    (SELECT min(v.version) FROM study_versions v WHERE v.study_id = k.study_id)) AS version
FROM keyed k;

UPDATE study_sites SET
  confirmed_at = v.created_at,
  confirmed_on = date(v.created_at, '+1 hour'),
  confirmed_by_kind = 'backfill',
  confirmed_by_id = v.actor_id,
  confirmed_by_name = v.actor_name
FROM backfill_0018 b JOIN study_versions v ON v.study_id = b.study_id AND v.version = b.version
WHERE b.site_id = study_sites.id;

DROP TABLE backfill_0018;

-- Every confirmation an editor makes (and every save that confirms a site's dates), kept: the
-- history shows them beside the versions. A confirmation with unchanged dates makes no version.
-- Feed deliveries only move the site's confirmed_* columns (they come many times a day; the
-- ingest runs already record each delivery).
CREATE TABLE site_confirmations (
  id            INTEGER PRIMARY KEY,
  study_id      INTEGER NOT NULL REFERENCES studies(id),
  site_id       INTEGER NOT NULL REFERENCES study_sites(id),
  confirmed_at  TEXT NOT NULL,
  confirmed_on  TEXT NOT NULL CHECK (date(confirmed_on) = confirmed_on),
  actor_kind    TEXT NOT NULL CHECK (actor_kind IN ('user', 'feed', 'seed', 'system')),
  actor_id      TEXT,
  actor_name    TEXT NOT NULL,
  -- The site's inclusion dates and pause as confirmed (JSON {inclusionStart, inclusionEnd, paused, declared}).
  site_window   TEXT NOT NULL CHECK (json_valid(site_window))
) STRICT;
CREATE INDEX site_confirmations_study ON site_confirmations(study_id, confirmed_at);

CREATE TRIGGER site_confirmations_never_deleted BEFORE DELETE ON site_confirmations
BEGIN SELECT RAISE(ABORT, 'site confirmations are never deleted'); END;
CREATE TRIGGER site_confirmations_never_changed BEFORE UPDATE ON site_confirmations
BEGIN SELECT RAISE(ABORT, 'site confirmations are never changed'); END;
