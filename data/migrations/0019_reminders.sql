-- 0019: reminders without patient data (issue 18 item 2, docs/decisions/0020-reminders.md).
-- Never edit this file once it has landed.

-- Read-only subscription links for an organisation's reminder feed (Atom) and calendar (iCalendar).
-- The secret is in the URL (feed readers and calendars cannot send headers); only its SHA-256 is
-- stored, it is shown once to the editor who makes it, and making a new one replaces the old.
-- Separate from organisation_tokens on purpose: those may WRITE (ingest) and must never sit in a
-- URL that a calendar app syncs and logs.
CREATE TABLE reminder_feed_tokens (
  organisation_id  TEXT PRIMARY KEY REFERENCES organisations(id),
  token_hash       TEXT NOT NULL UNIQUE CHECK (length(token_hash) = 64),
  created_at       TEXT NOT NULL,
  created_by       INTEGER REFERENCES users(id)
) STRICT;

-- One e-mail digest per user and Oslo calendar day: `npm run reminders:send` records each one it
-- sent, so a second run the same day sends nothing again. No address is stored here (the user id
-- points at the account), and nothing about the reminders' content beyond a count.
CREATE TABLE reminder_mail_log (
  user_id     INTEGER NOT NULL REFERENCES users(id),
  sent_on     TEXT NOT NULL CHECK (date(sent_on) = sent_on),
  sent_at     TEXT NOT NULL,
  item_count  INTEGER NOT NULL CHECK (item_count > 0),
  PRIMARY KEY (user_id, sent_on)
) STRICT;
