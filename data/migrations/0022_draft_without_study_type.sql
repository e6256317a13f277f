-- 0022: a draft may be saved without a type of study (issue 18 item 4, ADR 0021's known gap,
-- docs/decisions/0028-first-posted-and-drafts-without-type.md). Never edit this file once it has landed.
-- migration: foreign_keys off
--
-- studies.study_type was NOT NULL (0001), so a draft saved with only a title was stored as
-- 'other' and reopened as if "Annet" had been chosen. SQLite cannot drop a NOT NULL in place:
-- the table is rebuilt (new table, copy every row with its id, drop, rename). Other tables refer
-- to studies(id), so the runner turns foreign key enforcement off around this migration (the line
-- above) and checks PRAGMA foreign_key_check before it commits; ids are copied unchanged, so every
-- reference still points at its study. The indexes and the trigger on studies go with the old
-- table and are made again below; no view, and no trigger of another table, names studies.
--
-- The type may be NULL only while the study is a draft (or a draft that was withdrawn): sending
-- for approval and publishing need it, here as in the domain (studyInputSchema). Drafts stored
-- as 'other' before this migration stay 'other': nothing records whether it was chosen.

CREATE TABLE studies_0022 (
  id                   INTEGER PRIMARY KEY,
  nct_id               TEXT CHECK (nct_id IS NULL OR nct_id GLOB 'NCT[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]'),
  eu_ct_number         TEXT,
  eudract_number       TEXT,
  isrctn               TEXT,
  rek_number           TEXT,
  study_type           TEXT CHECK (study_type IS NULL OR study_type IN ('treatment', 'observational', 'other')),
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
  -- 0013
  lead_as_written      TEXT,
  lead_match_organisation_id TEXT REFERENCES organisations(id),
  official_title       TEXT,
  healthy_volunteers_stated INTEGER NOT NULL DEFAULT 1 CHECK (healthy_volunteers_stated IN (0, 1)),
  age_groups           TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(age_groups)),
  -- 0021
  first_posted_on      TEXT CHECK (first_posted_on IS NULL OR (first_posted_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' AND date(first_posted_on) = first_posted_on)),
  first_posted_basis   TEXT CHECK (first_posted_basis IS NULL OR length(first_posted_basis) BETWEEN 1 AND 100),
  first_posted_type    TEXT CHECK (first_posted_type IS NULL OR first_posted_type IN ('actual', 'estimated')),
  CHECK (min_age_years IS NULL OR max_age_years IS NULL OR min_age_years <= max_age_years),
  CHECK (study_type IS NOT NULL OR publication_state IN ('draft', 'withdrawn')),
  CHECK ((first_posted_basis IS NULL) = (first_posted_on IS NULL)),
  CHECK (first_posted_type IS NULL OR first_posted_on IS NOT NULL)
) STRICT;

INSERT INTO studies_0022 (id, nct_id, eu_ct_number, eudract_number, isrctn, rek_number, study_type, phase,
  min_age_years, max_age_years, sex, healthy_volunteers, sponsor, lead_organisation_id, pi_name, pi_title,
  pi_organisation_id, target_enrolment, publication_state, is_demo, current_version, created_at, updated_at,
  published_at, lead_as_written, lead_match_organisation_id, official_title, healthy_volunteers_stated, age_groups,
  first_posted_on, first_posted_basis, first_posted_type)
SELECT id, nct_id, eu_ct_number, eudract_number, isrctn, rek_number, study_type, phase,
  min_age_years, max_age_years, sex, healthy_volunteers, sponsor, lead_organisation_id, pi_name, pi_title,
  pi_organisation_id, target_enrolment, publication_state, is_demo, current_version, created_at, updated_at,
  published_at, lead_as_written, lead_match_organisation_id, official_title, healthy_volunteers_stated, age_groups,
  first_posted_on, first_posted_basis, first_posted_type
FROM studies ORDER BY id;

DROP TABLE studies;
ALTER TABLE studies_0022 RENAME TO studies;

-- As in 0001: a registry identifier names one study.
CREATE UNIQUE INDEX studies_nct ON studies(nct_id) WHERE nct_id IS NOT NULL;
CREATE UNIQUE INDEX studies_eu_ct ON studies(eu_ct_number) WHERE eu_ct_number IS NOT NULL;
CREATE UNIQUE INDEX studies_eudract ON studies(eudract_number) WHERE eudract_number IS NOT NULL;
CREATE UNIQUE INDEX studies_isrctn ON studies(isrctn) WHERE isrctn IS NOT NULL;
CREATE INDEX studies_rek ON studies(rek_number) WHERE rek_number IS NOT NULL;
CREATE INDEX studies_lead ON studies(lead_organisation_id);
CREATE INDEX studies_state ON studies(publication_state);

CREATE TRIGGER studies_never_deleted BEFORE DELETE ON studies
BEGIN SELECT RAISE(ABORT, 'studies are never deleted: withdraw the study instead'); END;
