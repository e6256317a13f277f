-- 0001: the study domain. Never edit this file once it has landed; add a new migration instead.
-- Calendar dates are TEXT 'YYYY-MM-DD' (a day in Europe/Oslo); instants are TEXT ISO-8601 UTC.
-- Recruitment status is never stored: it is derived from the inclusion dates when asked.

CREATE TABLE regions (
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  short_name  TEXT NOT NULL
) STRICT;

CREATE TABLE organisations (
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  short_name  TEXT NOT NULL,
  kind        TEXT NOT NULL CHECK (kind IN ('hf', 'private_nonprofit', 'university', 'other')),
  region_id   TEXT NOT NULL REFERENCES regions(id),
  orgnr       TEXT,
  website     TEXT
) STRICT;

-- Hospitals / treatment sites of an organisation.
CREATE TABLE hospitals (
  id                   TEXT PRIMARY KEY,
  organisation_id      TEXT NOT NULL REFERENCES organisations(id),
  name                 TEXT NOT NULL,
  municipality         TEXT,
  municipality_number  TEXT,
  lat                  REAL CHECK (lat IS NULL OR lat BETWEEN -90 AND 90),
  lon                  REAL CHECK (lon IS NULL OR lon BETWEEN -180 AND 180)
) STRICT;
CREATE INDEX hospitals_organisation ON hospitals(organisation_id);

-- HRCS health categories (the categories used on the hospital sites).
CREATE TABLE hrcs_categories (
  id       TEXT PRIMARY KEY,
  name_nb  TEXT NOT NULL,
  name_en  TEXT NOT NULL,
  aliases  TEXT NOT NULL DEFAULT '[]'  -- JSON array of alternative Norwegian names seen in feeds
) STRICT;

-- ICD-10 codes with Norwegian names, without the dot (C50, C509).
CREATE TABLE icd10_codes (
  code     TEXT PRIMARY KEY,
  name_nb  TEXT NOT NULL
) STRICT;

-- Where study content comes from: a hospital feed, a registry import, a person, the demo seed.
CREATE TABLE sources (
  id               TEXT PRIMARY KEY,
  kind             TEXT NOT NULL CHECK (kind IN ('feed', 'registry', 'manual', 'api', 'seed')),
  name             TEXT NOT NULL,
  organisation_id  TEXT REFERENCES organisations(id),
  format           TEXT,
  created_at       TEXT NOT NULL
) STRICT;

CREATE TABLE studies (
  id                   INTEGER PRIMARY KEY,
  nct_id               TEXT CHECK (nct_id IS NULL OR nct_id GLOB 'NCT[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]'),
  eu_ct_number         TEXT,
  eudract_number       TEXT,
  isrctn               TEXT,
  rek_number           TEXT,
  study_type           TEXT NOT NULL CHECK (study_type IN ('treatment', 'observational', 'other')),
  phase                TEXT CHECK (phase IS NULL OR phase IN ('early_phase_1', 'phase_1', 'phase_1_2', 'phase_2', 'phase_2_3', 'phase_3', 'phase_4', 'not_applicable')),
  min_age_years        REAL CHECK (min_age_years IS NULL OR min_age_years BETWEEN 0 AND 120),
  max_age_years        REAL CHECK (max_age_years IS NULL OR max_age_years BETWEEN 0 AND 120),
  sex                  TEXT NOT NULL DEFAULT 'all' CHECK (sex IN ('all', 'female', 'male')),
  healthy_volunteers   INTEGER NOT NULL DEFAULT 0 CHECK (healthy_volunteers IN (0, 1)),
  sponsor              TEXT,
  lead_organisation_id TEXT NOT NULL REFERENCES organisations(id),
  pi_name              TEXT,
  pi_title             TEXT,
  pi_organisation_id   TEXT REFERENCES organisations(id),
  target_enrolment     INTEGER CHECK (target_enrolment IS NULL OR target_enrolment >= 0),
  publication_state    TEXT NOT NULL DEFAULT 'draft' CHECK (publication_state IN ('draft', 'submitted', 'published', 'withdrawn')),
  is_demo              INTEGER NOT NULL DEFAULT 0 CHECK (is_demo IN (0, 1)),
  current_version      INTEGER NOT NULL DEFAULT 1,
  created_at           TEXT NOT NULL,
  updated_at           TEXT NOT NULL,
  published_at         TEXT,
  CHECK (min_age_years IS NULL OR max_age_years IS NULL OR min_age_years <= max_age_years)
) STRICT;
-- A registry identifier names one study: these are what multi-centre records are merged on.
CREATE UNIQUE INDEX studies_nct ON studies(nct_id) WHERE nct_id IS NOT NULL;
CREATE UNIQUE INDEX studies_eu_ct ON studies(eu_ct_number) WHERE eu_ct_number IS NOT NULL;
CREATE UNIQUE INDEX studies_eudract ON studies(eudract_number) WHERE eudract_number IS NOT NULL;
CREATE UNIQUE INDEX studies_isrctn ON studies(isrctn) WHERE isrctn IS NOT NULL;
CREATE INDEX studies_rek ON studies(rek_number) WHERE rek_number IS NOT NULL;
CREATE INDEX studies_lead ON studies(lead_organisation_id);
CREATE INDEX studies_state ON studies(publication_state);

-- Text in several languages: one row per field and language.
CREATE TABLE study_texts (
  study_id  INTEGER NOT NULL REFERENCES studies(id),
  field     TEXT NOT NULL CHECK (field IN ('title', 'shortTitle', 'summary', 'scientificSummary', 'participation', 'inclusionCriteria', 'exclusionCriteria')),
  lang      TEXT NOT NULL CHECK (lang IN ('nb', 'nn', 'en')),
  text      TEXT NOT NULL CHECK (length(text) > 0),
  PRIMARY KEY (study_id, field, lang)
) STRICT, WITHOUT ROWID;

-- Each organisation's own id for the study (the id on its web site or in its feed).
CREATE TABLE study_local_ids (
  study_id         INTEGER NOT NULL REFERENCES studies(id),
  organisation_id  TEXT NOT NULL REFERENCES organisations(id),
  local_id         TEXT NOT NULL,
  PRIMARY KEY (study_id, organisation_id, local_id)
) STRICT, WITHOUT ROWID;
CREATE UNIQUE INDEX study_local_ids_lookup ON study_local_ids(organisation_id, local_id);

CREATE TABLE study_categories (
  study_id     INTEGER NOT NULL REFERENCES studies(id),
  category_id  TEXT NOT NULL REFERENCES hrcs_categories(id),
  PRIMARY KEY (study_id, category_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE study_conditions (
  study_id  INTEGER NOT NULL REFERENCES studies(id),
  position  INTEGER NOT NULL,
  text      TEXT NOT NULL,
  PRIMARY KEY (study_id, position)
) STRICT, WITHOUT ROWID;

-- No foreign key to icd10_codes: sources may send codes outside our reference list.
CREATE TABLE study_icd10 (
  study_id  INTEGER NOT NULL REFERENCES studies(id),
  code      TEXT NOT NULL,
  PRIMARY KEY (study_id, code)
) STRICT, WITHOUT ROWID;
CREATE INDEX study_icd10_code ON study_icd10(code);

CREATE TABLE study_snomed (
  study_id    INTEGER NOT NULL REFERENCES studies(id),
  concept_id  TEXT NOT NULL,
  PRIMARY KEY (study_id, concept_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE study_interventions (
  study_id     INTEGER NOT NULL REFERENCES studies(id),
  position     INTEGER NOT NULL,
  type         TEXT NOT NULL,
  name         TEXT NOT NULL,
  description  TEXT,
  PRIMARY KEY (study_id, position)
) STRICT, WITHOUT ROWID;

CREATE TABLE study_contacts (
  study_id  INTEGER NOT NULL REFERENCES studies(id),
  position  INTEGER NOT NULL,
  role      TEXT NOT NULL CHECK (role IN ('public', 'scientific')),
  name      TEXT NOT NULL,
  email     TEXT,
  phone     TEXT,
  PRIMARY KEY (study_id, position)
) STRICT, WITHOUT ROWID;

CREATE TABLE study_links (
  study_id  INTEGER NOT NULL REFERENCES studies(id),
  position  INTEGER NOT NULL,
  url       TEXT NOT NULL,
  label     TEXT NOT NULL,
  PRIMARY KEY (study_id, position)
) STRICT, WITHOUT ROWID;

-- One site per participating organisation (and hospital), each with its own inclusion window.
CREATE TABLE study_sites (
  id               INTEGER PRIMARY KEY,
  study_id         INTEGER NOT NULL REFERENCES studies(id),
  organisation_id  TEXT NOT NULL REFERENCES organisations(id),
  hospital_id      TEXT REFERENCES hospitals(id),
  inclusion_start  TEXT CHECK (inclusion_start IS NULL OR (inclusion_start GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' AND date(inclusion_start) = inclusion_start)),
  inclusion_end    TEXT CHECK (inclusion_end IS NULL OR (inclusion_end GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' AND date(inclusion_end) = inclusion_end)),
  paused           INTEGER NOT NULL DEFAULT 0 CHECK (paused IN (0, 1)),
  pause_reason     TEXT,
  contact_name     TEXT,
  contact_email    TEXT,
  contact_phone    TEXT,
  referral         TEXT,
  withdrawn        INTEGER NOT NULL DEFAULT 0 CHECK (withdrawn IN (0, 1)),
  CHECK (inclusion_start IS NULL OR inclusion_end IS NULL OR inclusion_end >= inclusion_start),
  CHECK (paused = 0 OR pause_reason IS NOT NULL)
) STRICT;
CREATE UNIQUE INDEX study_sites_identity ON study_sites(study_id, organisation_id, coalesce(hospital_id, ''));
CREATE INDEX study_sites_organisation ON study_sites(organisation_id);
CREATE INDEX study_sites_window ON study_sites(inclusion_start, inclusion_end);

-- Provenance: which source sent the study, under which id, when first and last.
CREATE TABLE study_provenance (
  study_id           INTEGER NOT NULL REFERENCES studies(id),
  source_id          TEXT NOT NULL REFERENCES sources(id),
  external_id        TEXT NOT NULL,
  first_received_at  TEXT NOT NULL,
  last_received_at   TEXT NOT NULL,
  PRIMARY KEY (source_id, external_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX study_provenance_study ON study_provenance(study_id);

-- Every change to a study is a version: a full snapshot plus a readable diff, who and when.
CREATE TABLE study_versions (
  study_id    INTEGER NOT NULL REFERENCES studies(id),
  version     INTEGER NOT NULL CHECK (version >= 1),
  created_at  TEXT NOT NULL,
  actor_kind  TEXT NOT NULL CHECK (actor_kind IN ('user', 'source', 'system', 'seed')),
  actor_id    TEXT,
  actor_name  TEXT NOT NULL,
  source_id   TEXT REFERENCES sources(id),
  summary     TEXT NOT NULL,
  snapshot    TEXT NOT NULL CHECK (json_valid(snapshot)),
  diff        TEXT NOT NULL CHECK (json_valid(diff)),
  PRIMARY KEY (study_id, version)
) STRICT, WITHOUT ROWID;

-- Nothing is ever deleted: studies are withdrawn, sites are withdrawn, versions are forever.
CREATE TRIGGER studies_never_deleted BEFORE DELETE ON studies
BEGIN SELECT RAISE(ABORT, 'studies are never deleted: withdraw the study instead'); END;
CREATE TRIGGER study_sites_never_deleted BEFORE DELETE ON study_sites
BEGIN SELECT RAISE(ABORT, 'study sites are never deleted: withdraw the site instead'); END;
CREATE TRIGGER study_versions_never_deleted BEFORE DELETE ON study_versions
BEGIN SELECT RAISE(ABORT, 'study versions are never deleted'); END;
CREATE TRIGGER study_versions_never_changed BEFORE UPDATE ON study_versions
BEGIN SELECT RAISE(ABORT, 'study versions are never changed'); END;

-- Small key/value facts about this database (e.g. when the demo seed ran).
CREATE TABLE app_meta (
  key    TEXT PRIMARY KEY,
  value  TEXT NOT NULL
) STRICT;
