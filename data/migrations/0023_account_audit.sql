-- 0023: the staff audit trail of account actions (issue 18 item 4, docs/decisions/0029-account-audit.md).
-- Never edit this file once it has landed.
--
-- Who did what to which account, and when: written by the models in the same transaction as the
-- change itself, so an entry exists exactly when the change does. Staff accounts only: nothing
-- here is about patients. No password, no password hash, no token (not even its hash), no e-mail
-- address: the account and the actor are user ids, shown by name.
CREATE TABLE account_audit (
  id             INTEGER PRIMARY KEY,
  at             TEXT NOT NULL,
  -- The account the action was done to.
  account_id     INTEGER NOT NULL REFERENCES users(id),
  -- Who did it: a signed-in user (actor_user_id), or the command line (npm run user:create /
  -- user:reset-password on the server), which has no user.
  actor_kind     TEXT NOT NULL CHECK (actor_kind IN ('user', 'cli')),
  actor_user_id  INTEGER REFERENCES users(id),
  action         TEXT NOT NULL CHECK (action IN (
                   'invited',        -- an administrator invited the account (a one-time link made)
                   'created',        -- the command line created it
                   'link-issued',    -- a one-time set-password link was made for it (command line)
                   'password-set',   -- the person set their password with a one-time link
                   'disabled', 'enabled',
                   'role-changed',   -- role (and with it the organisations) changed
                   'organisations-changed')),
  -- For role and organisation changes: {"from": {"role", "organisations"}, "to": {…}} with
  -- organisation ids; otherwise {"role", "organisations"} as given, or NULL.
  detail         TEXT CHECK (detail IS NULL OR json_valid(detail)),
  CHECK ((actor_kind = 'cli') = (actor_user_id IS NULL))
) STRICT;
CREATE INDEX account_audit_account ON account_audit(account_id, id);
