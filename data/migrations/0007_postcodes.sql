-- 0007: Norwegian postcodes with coordinates, for "nearest open site" (loaded by
-- npm run postcodes:load from a standard file, e.g. Erik Bolstad's postnummer list, CC BY 4.0:
-- credit www.erikbolstad.no/postnummer/ where shown).
CREATE TABLE postcodes (
  postcode            TEXT PRIMARY KEY CHECK (length(postcode) = 4 AND postcode GLOB '[0-9][0-9][0-9][0-9]'),
  place               TEXT NOT NULL,
  municipality_number TEXT,
  municipality        TEXT,
  lat                 REAL NOT NULL CHECK (lat BETWEEN 57 AND 81),  -- Svalbard reaches 80°N
  lon                 REAL NOT NULL CHECK (lon BETWEEN -9.5 AND 35), -- Jan Mayen lies at 8°W
  in_use              INTEGER NOT NULL DEFAULT 1 CHECK (in_use IN (0, 1)),
  source              TEXT NOT NULL
) STRICT;
