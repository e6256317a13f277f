-- 0016: ICPC-2 codes (primary care, from the npm package @navikt/diagnosekoder, loaded at start)
-- and each organisation's main hospital, where a site that names no hospital is placed (shown as
-- such). Which shipped reference data a database holds is kept in app_meta
-- (reference.postcodes.sha256, reference.diagnosekoder.version).
CREATE TABLE icpc2_codes (
  code     TEXT PRIMARY KEY CHECK (code GLOB '[A-Z][0-9][0-9]' OR code GLOB '[A-Z][0-9][0-9][0-9]'),
  name_nb  TEXT NOT NULL
) STRICT;

ALTER TABLE organisations ADD COLUMN main_hospital_id TEXT REFERENCES hospitals(id);
