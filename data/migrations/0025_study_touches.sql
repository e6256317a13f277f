-- 0025: which study changed, in commit order, for the caches of finished pages (issue 20; ADR 0031).
-- Never edit this file once it has landed.
--
-- Every committed change to anything public about a study already puts the study in the search
-- outbox in the same transaction (app/models/study.server.ts). The outbox is emptied as soon as
-- the indexers have passed a row, so it cannot say later whether a study changed since a page
-- was made; this log keeps the same rows much longer. A page that shows a few studies (a study
-- page, a page of search results) stays valid while none of them has a newer row here.
--
-- Pruned by the trigger below in steps of 10,000 rows, keeping the newest 30,000 to 40,000: a
-- study without a row is stamped by the oldest row kept, so a prune changes those stamps once
-- (pages made again once), never back to an earlier value.
CREATE TABLE study_touches (
  seq      INTEGER PRIMARY KEY AUTOINCREMENT,
  study_id INTEGER NOT NULL
);
CREATE INDEX study_touches_study ON study_touches(study_id, seq);

CREATE TRIGGER search_outbox_touches_study AFTER INSERT ON search_outbox
BEGIN
  INSERT INTO study_touches (study_id) VALUES (NEW.study_id);
END;

CREATE TRIGGER study_touches_pruned AFTER INSERT ON study_touches WHEN NEW.seq % 10000 = 0
BEGIN
  DELETE FROM study_touches WHERE seq <= NEW.seq - 30000;
END;
