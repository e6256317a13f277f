-- 0020: the embedded search engine ranks a study whose sites are all past the soft confirmation
-- limit below otherwise equal studies (issue 18 item 1, docs/decisions/0020-reminders.md).
-- Never edit this file once it has landed.
--
-- confirmed_until: epoch ms from which every active site of the study is past the soft limit
-- (the start of the Oslo day its most recently confirmed site becomes overdue); a very large
-- number when a site has no confirmation record. Derived, like the rest of the search tables:
-- every study is put in the search outbox so the indexers rewrite its rows with the value.
ALTER TABLE search_studies ADD COLUMN confirmed_until INTEGER;

INSERT INTO search_outbox (study_id, enqueued_at)
SELECT id, strftime('%Y-%m-%dT%H:%M:%fZ', 'now') FROM studies ORDER BY id;
