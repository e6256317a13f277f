-- 0008: the embedded search engine (search/sqlite-fts.ts), in the portal's own database.
-- Derived data only: everything here is rebuilt from the studies by `npm run search:reindex`.
-- Text is stored already normalised by search/norwegian.ts (æ→ae, ø→o, å→a, lower case, no
-- hyphens), so FTS5 sees plain ASCII words.

-- One row per searchable (published) study; rowid of the FTS tables = study_id.
CREATE TABLE search_studies (
  study_id            INTEGER PRIMARY KEY,
  title               TEXT NOT NULL,
  short_title         TEXT,
  title_n             TEXT NOT NULL,
  study_type          TEXT NOT NULL,
  phase               TEXT,
  sex                 TEXT NOT NULL,
  min_age             REAL,
  max_age             REAL,
  healthy_volunteers  INTEGER NOT NULL,
  updated_at          INTEGER NOT NULL,
  -- When the study stops including everywhere (latest closes_at of its non-paused sites); NULL when
  -- a site is open-ended or there is none. The "closing soon" sort key (as in Meilisearch).
  study_closes_at     INTEGER,
  is_demo             INTEGER NOT NULL
) STRICT;

-- One row per active site of a searchable study: the site-level filters, status window and place.
CREATE TABLE search_sites (
  doc_id           TEXT PRIMARY KEY,
  study_id         INTEGER NOT NULL,
  site_id          INTEGER NOT NULL,
  region_id        TEXT,
  organisation_id  TEXT,
  hospital_id      TEXT,
  -- Epoch ms: inclusion opens at opens_at and has closed at closes_at (start of the day after the
  -- end date in Europe/Oslo). Status is computed from these at query time, never stored.
  opens_at         INTEGER,
  closes_at        INTEGER,
  paused           INTEGER NOT NULL,
  lat              REAL,
  lon              REAL
) STRICT;
CREATE INDEX search_sites_study ON search_sites (study_id);

-- Multi-valued study-level filter values: kind 'category' (HRCS id), 'icd10' (every prefix of every
-- code: C, C5, C50, C509), 'chapter' (ICD-10 chapter).
CREATE TABLE search_study_values (
  kind      TEXT NOT NULL,
  value     TEXT NOT NULL,
  study_id  INTEGER NOT NULL,
  PRIMARY KEY (kind, value, study_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX search_study_values_study ON search_study_values (study_id);

-- Words, with a prefix index for type-ahead ("lunge" finds "lungekreft" as the last word).
CREATE VIRTUAL TABLE search_fts USING fts5 (
  title, conditions, codes, categories, interventions, places, summary, title_en,
  tokenize = 'unicode61 remove_diacritics 2',
  prefix = '2 3 4'
);

-- Substrings, so that parts of compound words match: "kreft" finds "lungekreft".
CREATE VIRTUAL TABLE search_trigram USING fts5 (text, tokenize = 'trigram');

-- The vocabulary for typo tolerance (SymSpell-style): every indexed word of 4+ letters and each of
-- its one-letter deletions. Words are never removed (a stale word only yields a candidate that
-- matches nothing); a rebuild starts it afresh.
CREATE TABLE search_terms (
  term  TEXT PRIMARY KEY
) STRICT, WITHOUT ROWID;
CREATE TABLE search_term_deletes (
  del   TEXT NOT NULL,
  term  TEXT NOT NULL,
  PRIMARY KEY (del, term)
) STRICT, WITHOUT ROWID;
