-- 0013: status with its basis, sites only where the source names them, fields kept whole
-- (issue 16, docs/decisions/0012-status-basis.md). Never edit this file once it has landed.
--
-- study_sites is rebuilt because organisation_id becomes nullable: a location the source names
-- that matches no registered organisation is kept as written (site_name, site_city, coordinates),
-- never dropped and never forced onto a hospital. Nothing references study_sites, so the rebuild
-- is a plain copy. Status is still never stored: declared_* is the source's own statement with
-- its date, and expected_* are a registry's estimates ("forventet"), never inclusion dates.

CREATE TABLE study_sites_0013 (
  id               INTEGER PRIMARY KEY,
  study_id         INTEGER NOT NULL REFERENCES studies(id),
  organisation_id  TEXT REFERENCES organisations(id),
  hospital_id      TEXT REFERENCES hospitals(id),
  site_name        TEXT CHECK (site_name IS NULL OR length(site_name) > 0),
  site_city        TEXT,
  site_lat         REAL CHECK (site_lat IS NULL OR site_lat BETWEEN -90 AND 90),
  site_lon         REAL CHECK (site_lon IS NULL OR site_lon BETWEEN -180 AND 180),
  unnamed_count    INTEGER CHECK (unnamed_count IS NULL OR unnamed_count >= 1),
  inclusion_start  TEXT CHECK (inclusion_start IS NULL OR (inclusion_start GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' AND date(inclusion_start) = inclusion_start)),
  inclusion_end    TEXT CHECK (inclusion_end IS NULL OR (inclusion_end GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' AND date(inclusion_end) = inclusion_end)),
  expected_start   TEXT CHECK (expected_start IS NULL OR date(expected_start) = expected_start),
  expected_end     TEXT CHECK (expected_end IS NULL OR date(expected_end) = expected_end),
  declared_status  TEXT CHECK (declared_status IS NULL OR declared_status IN ('recruiting', 'not_yet_recruiting', 'invitation_only',
                     'suspended', 'active_not_recruiting', 'completed', 'terminated', 'withdrawn', 'unknown')),
  declared_text    TEXT,
  declared_on      TEXT CHECK (declared_on IS NULL OR date(declared_on) = declared_on),
  declared_by      TEXT,
  paused           INTEGER NOT NULL DEFAULT 0 CHECK (paused IN (0, 1)),
  pause_reason     TEXT,
  contact_name     TEXT,
  contact_email    TEXT,
  contact_phone    TEXT,
  -- Further contacts beyond the first, as a JSON array of {name, email, phone}.
  more_contacts    TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(more_contacts) AND json_type(more_contacts) = 'array'),
  referral         TEXT,
  withdrawn        INTEGER NOT NULL DEFAULT 0 CHECK (withdrawn IN (0, 1)),
  CHECK (inclusion_start IS NULL OR inclusion_end IS NULL OR inclusion_end >= inclusion_start),
  CHECK (paused = 0 OR pause_reason IS NOT NULL),
  CHECK (organisation_id IS NOT NULL OR site_name IS NOT NULL OR unnamed_count IS NOT NULL),
  CHECK (organisation_id IS NOT NULL OR hospital_id IS NULL),
  CHECK ((declared_status IS NULL) = (declared_on IS NULL) AND (declared_status IS NULL) = (declared_by IS NULL)
         AND (declared_status IS NULL) = (declared_text IS NULL))
) STRICT;

INSERT INTO study_sites_0013 (id, study_id, organisation_id, hospital_id, inclusion_start, inclusion_end, paused, pause_reason,
  contact_name, contact_email, contact_phone, referral, withdrawn)
SELECT id, study_id, organisation_id, hospital_id, inclusion_start, inclusion_end, paused, pause_reason,
  contact_name, contact_email, contact_phone, referral, withdrawn
FROM study_sites;

DROP TABLE study_sites;
ALTER TABLE study_sites_0013 RENAME TO study_sites;

-- A site's identity: its organisation and hospital, or its name and city as the source writes them
-- (the same key as siteIdentity in app/domain/study.ts).
CREATE UNIQUE INDEX study_sites_identity ON study_sites(study_id,
  CASE WHEN organisation_id IS NOT NULL THEN organisation_id || '/' || coalesce(hospital_id, '')
       WHEN site_name IS NULL THEN '~unnamed|' || lower(coalesce(site_city, ''))
       ELSE '~' || lower(site_name) || '|' || lower(coalesce(site_city, '')) END);
CREATE INDEX study_sites_organisation ON study_sites(organisation_id);
CREATE INDEX study_sites_window ON study_sites(inclusion_start, inclusion_end);

CREATE TRIGGER study_sites_never_deleted BEFORE DELETE ON study_sites
BEGIN SELECT RAISE(ABORT, 'study sites are never deleted: withdraw the site instead'); END;

-- The record's own lead as written, and the registered organisation it matches (NULL: none).
ALTER TABLE studies ADD COLUMN lead_as_written TEXT;
ALTER TABLE studies ADD COLUMN lead_match_organisation_id TEXT REFERENCES organisations(id);
ALTER TABLE studies ADD COLUMN official_title TEXT;
-- 0 when the source does not say whether healthy volunteers take part (unknown is not no).
ALTER TABLE studies ADD COLUMN healthy_volunteers_stated INTEGER NOT NULL DEFAULT 1 CHECK (healthy_volunteers_stated IN (0, 1));
-- Registry age groups as written ("18-64 years"), a JSON array.
ALTER TABLE studies ADD COLUMN age_groups TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(age_groups));

CREATE TABLE study_keywords (
  study_id  INTEGER NOT NULL REFERENCES studies(id),
  position  INTEGER NOT NULL,
  text      TEXT NOT NULL,
  PRIMARY KEY (study_id, position)
) STRICT, WITHOUT ROWID;

-- Identifiers beyond the five the portal matches studies on (French ID-RCB, sponsor codes, …).
CREATE TABLE study_other_identifiers (
  study_id  INTEGER NOT NULL REFERENCES studies(id),
  position  INTEGER NOT NULL,
  scheme    TEXT NOT NULL,
  value     TEXT NOT NULL,
  url       TEXT,
  PRIMARY KEY (study_id, position)
) STRICT, WITHOUT ROWID;
