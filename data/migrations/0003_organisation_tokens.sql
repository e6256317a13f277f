-- 0003: per-organisation API tokens for pushing studies. Only a SHA-256 of each token is stored
-- (tokens are 256-bit random values, so a fast hash is enough); revoked tokens are kept.
CREATE TABLE organisation_tokens (
  id               INTEGER PRIMARY KEY,
  organisation_id  TEXT NOT NULL REFERENCES organisations(id),
  token_hash       TEXT NOT NULL UNIQUE,
  label            TEXT NOT NULL,
  created_at       TEXT NOT NULL,
  revoked_at       TEXT,
  last_used_at     TEXT
) STRICT;
CREATE INDEX organisation_tokens_organisation ON organisation_tokens(organisation_id);
