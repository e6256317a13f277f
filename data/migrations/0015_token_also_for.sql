-- 0015: an ingest token may also send for other organisations (a regional listing that names
-- several health trusts; issue 16). JSON array of organisation ids; '[]' = only its own.
-- Never edit this file once it has landed.
ALTER TABLE organisation_tokens ADD COLUMN also_for TEXT NOT NULL DEFAULT '[]'
  CHECK (json_valid(also_for) AND json_type(also_for) = 'array');
-- The same for a pull feed that is a regional listing.
ALTER TABLE feed_subscriptions ADD COLUMN also_for TEXT NOT NULL DEFAULT '[]'
  CHECK (json_valid(also_for) AND json_type(also_for) = 'array');
