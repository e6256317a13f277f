-- 0011: accounts for researchers, organisation editors and national administrators
-- (docs/decisions/0007-authentication.md). Passwords are stored only as scrypt hashes with a
-- per-user salt (the parameters travel inside the hash string, so they can be raised later);
-- session ids and reset tokens only as SHA-256 of 256-bit random values. Patients never get an
-- account: nothing here is about them.

CREATE TABLE users (
  id             INTEGER PRIMARY KEY,
  -- Lower-cased and trimmed before it is stored; unique.
  email          TEXT NOT NULL UNIQUE CHECK (email = lower(trim(email)) AND email LIKE '%_@_%'),
  name           TEXT NOT NULL CHECK (length(trim(name)) > 0),
  -- "scrypt$<N>$<r>$<p>$<salt base64>$<hash base64>"; NULL until a password is set with a reset token.
  password_hash  TEXT CHECK (password_hash IS NULL OR password_hash LIKE 'scrypt$%'),
  created_at     TEXT NOT NULL,
  disabled_at    TEXT
) STRICT;

-- What a user may do. A researcher belongs to one or more organisations (one row each); an editor
-- edits for one organisation per row; a national administrator has no organisation.
CREATE TABLE user_roles (
  user_id          INTEGER NOT NULL REFERENCES users(id),
  role             TEXT NOT NULL CHECK (role IN ('researcher', 'editor', 'admin')),
  organisation_id  TEXT REFERENCES organisations(id),
  CHECK ((role = 'admin') = (organisation_id IS NULL))
) STRICT;
CREATE UNIQUE INDEX user_roles_identity ON user_roles(user_id, role, coalesce(organisation_id, ''));

CREATE TABLE sessions (
  -- SHA-256 (hex) of the random session id in the cookie; the id itself is never stored.
  id_hash     TEXT PRIMARY KEY,
  user_id     INTEGER NOT NULL REFERENCES users(id),
  created_at  TEXT NOT NULL,
  expires_at  TEXT NOT NULL,
  revoked_at  TEXT
) STRICT;
CREATE INDEX sessions_user ON sessions(user_id);

-- Every sign-in attempt, for the rate limit (per e-mail and per client address). The e-mail is
-- stored as typed (lower-cased), never the password.
CREATE TABLE sign_in_attempts (
  id          INTEGER PRIMARY KEY,
  email       TEXT NOT NULL,
  client      TEXT,
  succeeded   INTEGER NOT NULL CHECK (succeeded IN (0, 1)),
  at          TEXT NOT NULL
) STRICT;
CREATE INDEX sign_in_attempts_email ON sign_in_attempts(email, at);
CREATE INDEX sign_in_attempts_client ON sign_in_attempts(client, at);

CREATE TABLE password_reset_tokens (
  -- SHA-256 (hex) of the token; the token itself is printed once by `npm run user:reset-password`.
  token_hash  TEXT PRIMARY KEY,
  user_id     INTEGER NOT NULL REFERENCES users(id),
  created_at  TEXT NOT NULL,
  expires_at  TEXT NOT NULL,
  used_at     TEXT
) STRICT;

-- An editor's decision on a submitted study: approved (published) or sent back with a comment.
-- The study change itself is a version (with the editor as actor); this keeps the comment.
CREATE TABLE study_reviews (
  id          INTEGER PRIMARY KEY,
  study_id    INTEGER NOT NULL REFERENCES studies(id),
  version     INTEGER NOT NULL,
  user_id     INTEGER NOT NULL REFERENCES users(id),
  decision    TEXT NOT NULL CHECK (decision IN ('approved', 'sent_back')),
  comment     TEXT,
  created_at  TEXT NOT NULL,
  CHECK (decision = 'approved' OR length(trim(comment)) > 0)
) STRICT;
CREATE INDEX study_reviews_study ON study_reviews(study_id, id);
