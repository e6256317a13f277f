-- 0021: the source's own first publication date of a study (issue 18 item 4,
-- docs/decisions/0028-first-posted-and-drafts-without-type.md). Never edit this file once it has landed.
--
-- first_posted_on     the calendar date the source says it first made the study public
--                     (ClinicalTrials.gov: studyFirstPostDateStruct.date, the CSV's "First Posted")
-- first_posted_basis  which source field it was read from, e.g. 'ctgov:studyFirstPostDateStruct',
--                     'ctgov-csv:First Posted'; set exactly when first_posted_on is
-- first_posted_type   the source's own type of that date ('actual', 'estimated'); NULL when the
--                     source gives none (the CSV export has no type)
-- NULL when the source has no such date (CTIS export, FHIR, hospital listings, the portal's own
-- form): statistics then count the study by the portal's first publication (published_at).
--
-- No backfill: the portal keeps the mapped study, not the raw source record, so the date of a
-- study imported before this migration is not known here; the next delivery or import fills it.
ALTER TABLE studies ADD COLUMN first_posted_on TEXT
  CHECK (first_posted_on IS NULL OR (first_posted_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' AND date(first_posted_on) = first_posted_on));
ALTER TABLE studies ADD COLUMN first_posted_basis TEXT
  CHECK ((first_posted_basis IS NULL) = (first_posted_on IS NULL) AND (first_posted_basis IS NULL OR length(first_posted_basis) BETWEEN 1 AND 100));
ALTER TABLE studies ADD COLUMN first_posted_type TEXT
  CHECK (first_posted_type IS NULL OR (first_posted_on IS NOT NULL AND first_posted_type IN ('actual', 'estimated')));
