-- 0024: which studies each write to the embedded search index touched (issue 20). A serving
-- process whose in-memory filter table (app/search/filter-table.ts) is behind the index reads
-- only those studies again, instead of every study after every ingest batch.
-- Never edit this file once it has landed.
--
-- study_id NULL: everything may have changed (a full rebuild); a reader then reloads it all.
-- Rows are pruned by the writer (the newest 20,000 kept); a reader further behind reloads it all.
CREATE TABLE search_changes (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  study_id INTEGER
);
