/**
 * Reminders (issue 18 item 2, ADR 0020): the facts the pure rule in app/domain/reminders.ts
 * decides from, for a signed-in person's organisations or for one organisation (its feeds), the
 * subscription secrets of the feeds, and the record of e-mail digests sent.
 *
 * Authorised as the site pages are: a person sees the sites of the organisations they may confirm
 * for (canEditSiteDates: a researcher or editor there) and the held records of those organisations. Nothing about patients is read or written here.
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { Db } from "#app/db.server";
import { memberOrgs, type Principal } from "#app/auth/policy";
import { remindersFor, type Reminder, type ReminderSiteInput } from "#app/domain/reminders";
import { siteKey } from "#app/domain/study-snapshot";
import { listOpenHolds } from "./ingest.server";
import { SITE_WINDOW_COLUMNS, windowOf, type SiteWindowRow } from "./site-window.server";
import { sql } from "./statements.server";

interface SiteRow extends SiteWindowRow {
  studyId: number;
  studyTitle: string;
  organisationId: string | null;
  organisationName: string | null;
  hospitalId: string | null;
  hospitalName: string | null;
  siteName: string | null;
  siteCity: string | null;
  expectedEnd: string | null;
}

/** Active sites of published or submitted studies at these organisations (all when null). */
function reminderSites(db: Db, organisationIds: string[] | null): ReminderSiteInput[] {
  const rows = sql(
    db,
    `SELECT ss.study_id AS studyId,
            coalesce((SELECT t.text FROM study_texts t WHERE t.study_id = ss.study_id AND t.field = 'title' AND t.lang = 'nb'), '') AS studyTitle,
            ss.organisation_id AS organisationId, o.name AS organisationName, ss.hospital_id AS hospitalId,
            h.name AS hospitalName, ss.site_name AS siteName, ss.site_city AS siteCity, ss.expected_end AS expectedEnd,
            ${SITE_WINDOW_COLUMNS}
     FROM study_sites ss
     JOIN studies s ON s.id = ss.study_id AND s.publication_state IN ('published', 'submitted')
     LEFT JOIN organisations o ON o.id = ss.organisation_id
     LEFT JOIN hospitals h ON h.id = ss.hospital_id
     WHERE ss.withdrawn = 0
       AND (? IS NULL OR ss.organisation_id IN (SELECT value FROM json_each(?)))
     ORDER BY ss.study_id, ss.id`,
  ).all(organisationIds ? 1 : null, JSON.stringify(organisationIds ?? [])) as SiteRow[];
  return rows.map((r) => ({
    ...windowOf(r),
    expectedEnd: r.expectedEnd,
    studyId: r.studyId,
    studyTitle: r.studyTitle,
    siteKey: siteKey({
      organisationId: r.organisationId,
      hospitalId: r.hospitalId,
      name: r.siteName,
      city: r.siteCity,
    }),
    siteName: r.hospitalName
      ? `${r.hospitalName} (${r.organisationName ?? ""})`
      : (r.organisationName ?? r.siteName ?? "Studiested"),
    organisationId: r.organisationId,
  }));
}

function remindersAt(db: Db, organisationIds: string[] | null, now: Date): Reminder[] {
  const holds = listOpenHolds(db, organisationIds).map((h) => ({
    studyId: h.studyId,
    studyTitle: h.title,
    heldAt: h.heldAt,
    reasons: h.reasons,
  }));
  return remindersFor({ sites: reminderSites(db, organisationIds), holds }, now);
}

/**
 * What needs this person now: the sites and held records of the organisations they are a
 * researcher or editor at. A national administrator has no organisation, so no reminders: the
 * whole country's list is nobody's to-do list (it is in the statistics instead).
 */
export function remindersForUser(db: Db, p: Principal, now: Date): Reminder[] {
  const orgs = memberOrgs(p);
  return orgs.length ? remindersAt(db, orgs, now) : [];
}

/** What needs one organisation now (its feeds). */
export function remindersForOrganisation(db: Db, organisationId: string, now: Date): Reminder[] {
  return remindersAt(db, [organisationId], now);
}

export function organisationName(db: Db, organisationId: string): string | null {
  return (
    (sql(db, "SELECT name FROM organisations WHERE id = ?").pluck().get(organisationId) as string | undefined) ?? null
  );
}

// ------------------------------------------------------------------ feed subscription secrets

const hash = (token: string) => createHash("sha256").update(token, "utf8").digest("hex");

/** A new secret for the organisation's reminder feeds (replacing any earlier one); shown once. */
export function issueReminderFeedToken(
  db: Db,
  organisationId: string,
  userId: number | null,
  now = new Date(),
): string {
  const token = randomBytes(24).toString("base64url");
  sql(
    db,
    `INSERT INTO reminder_feed_tokens (organisation_id, token_hash, created_at, created_by) VALUES (?, ?, ?, ?)
     ON CONFLICT (organisation_id) DO UPDATE SET token_hash = excluded.token_hash, created_at = excluded.created_at, created_by = excluded.created_by`,
  ).run(organisationId, hash(token), now.toISOString(), userId);
  return token;
}

/** Whether `token` is the organisation's current reminder-feed secret (constant-time compare). */
export function reminderFeedTokenValid(db: Db, organisationId: string, token: string): boolean {
  const stored = sql(db, "SELECT token_hash FROM reminder_feed_tokens WHERE organisation_id = ?")
    .pluck()
    .get(organisationId) as string | undefined;
  if (!stored || token.length < 16 || token.length > 200) return false;
  return timingSafeEqual(Buffer.from(stored, "hex"), Buffer.from(hash(token), "hex"));
}

/** When the organisation's current feed secret was made (null: none yet). */
export function reminderFeedTokenCreatedAt(db: Db, organisationId: string): string | null {
  return (
    (sql(db, "SELECT created_at FROM reminder_feed_tokens WHERE organisation_id = ?").pluck().get(organisationId) as
      string | undefined) ?? null
  );
}

// ------------------------------------------------------------------ e-mail digests

export interface DigestRecipient {
  userId: number;
  /** Used only to address the message: never logged, never stored beside what was sent. */
  email: string;
  name: string;
  principal: Principal;
}

/** Active accounts with a role (their reminders are worked out per account). */
export function digestRecipients(db: Db): DigestRecipient[] {
  const users = sql(db, "SELECT id, email, name FROM users WHERE disabled_at IS NULL ORDER BY id").all() as {
    id: number;
    email: string;
    name: string;
  }[];
  const roles = sql(db, "SELECT user_id AS userId, role, organisation_id AS organisationId FROM user_roles").all() as {
    userId: number;
    role: Principal["roles"][number]["role"];
    organisationId: string | null;
  }[];
  return users
    .map((u) => {
      const principal: Principal = {
        id: u.id,
        name: u.name,
        email: u.email,
        roles: roles.filter((r) => r.userId === u.id).map((r) => ({ role: r.role, organisationId: r.organisationId })),
      };
      return { userId: u.id, email: u.email, name: u.name, principal };
    })
    .filter((r) => r.principal.roles.length > 0);
}

export function digestSentOn(db: Db, userId: number, day: string): boolean {
  return sql(db, "SELECT 1 FROM reminder_mail_log WHERE user_id = ? AND sent_on = ?").get(userId, day) !== undefined;
}

export function recordDigestSent(db: Db, userId: number, day: string, itemCount: number, now: Date): void {
  sql(
    db,
    "INSERT INTO reminder_mail_log (user_id, sent_on, sent_at, item_count) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
  ).run(userId, day, now.toISOString(), itemCount);
}
