/**
 * Accounts in SQLite (migration 0011): users, roles, sessions, sign-in attempts, password reset
 * tokens and editors' review decisions. The only place their SQL runs. Secrets never reach this
 * module in clear text except the password hash string: sessions and tokens arrive as SHA-256.
 */
import type { Db } from "#app/db.server";
import { recordAccountAction, type AuditActor } from "./account-audit.server";
import { sql } from "./statements.server";

export const ROLES = ["researcher", "editor", "admin"] as const;
export type Role = (typeof ROLES)[number];

export interface RoleGrant {
  role: Role;
  organisationId: string | null;
}

export interface UserRecord {
  id: number;
  email: string;
  name: string;
  disabled: boolean;
  roles: RoleGrant[];
}

interface UserRow {
  id: number;
  email: string;
  name: string;
  password_hash: string | null;
  disabled_at: string | null;
}

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

function rolesOf(db: Db, userId: number): RoleGrant[] {
  return (
    sql(db, "SELECT role, organisation_id FROM user_roles WHERE user_id = ? ORDER BY role, organisation_id").all(
      userId,
    ) as {
      role: Role;
      organisation_id: string | null;
    }[]
  ).map((r) => ({ role: r.role, organisationId: r.organisation_id }));
}

function toUser(db: Db, row: UserRow): UserRecord {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    disabled: row.disabled_at !== null,
    roles: rolesOf(db, row.id),
  };
}

export function getUser(db: Db, id: number): UserRecord | null {
  const row = sql(db, "SELECT id, email, name, password_hash, disabled_at FROM users WHERE id = ?").get(id) as
    UserRow | undefined;
  return row ? toUser(db, row) : null;
}

export function findUserByEmail(db: Db, email: string): (UserRecord & { passwordHash: string | null }) | null {
  const row = sql(db, "SELECT id, email, name, password_hash, disabled_at FROM users WHERE email = ?").get(
    normaliseEmail(email),
  ) as UserRow | undefined;
  return row ? { ...toUser(db, row), passwordHash: row.password_hash } : null;
}

export class UserInputError extends Error {
  constructor(
    public readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = "UserInputError";
  }
}

/**
 * Creates a user with roles; the organisation ids must exist. Returns the new id. With `actor`
 * (the command line: `npm run user:create`) the creation is written to the audit trail in the
 * same transaction; test fixtures that set up people pass none.
 */
export function createUser(
  db: Db,
  input: { email: string; name: string; passwordHash: string | null; roles: RoleGrant[] },
  now = new Date(),
  actor?: AuditActor,
): number {
  const email = normaliseEmail(input.email);
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email))
    throw new UserInputError("email", `"${input.email}" is not an e-mail address`);
  if (!input.name.trim()) throw new UserInputError("name", "must not be empty");
  if (input.roles.length === 0) throw new UserInputError("role", "a user needs at least one role");
  return db
    .transaction(() => {
      if (sql(db, "SELECT 1 FROM users WHERE email = ?").pluck().get(email)) {
        throw new UserInputError("email", `a user with ${email} already exists`);
      }
      for (const grant of input.roles) {
        if (grant.role === "admin" ? grant.organisationId !== null : !grant.organisationId) {
          throw new UserInputError(
            "org",
            grant.role === "admin" ? "a national admin has no organisation" : `the ${grant.role} role needs --org`,
          );
        }
        if (
          grant.organisationId &&
          !sql(db, "SELECT 1 FROM organisations WHERE id = ?").pluck().get(grant.organisationId)
        ) {
          throw new UserInputError("org", `unknown organisation "${grant.organisationId}"`);
        }
      }
      const id = Number(
        sql(db, "INSERT INTO users (email, name, password_hash, created_at) VALUES (?, ?, ?, ?)").run(
          email,
          input.name.trim(),
          input.passwordHash,
          now.toISOString(),
        ).lastInsertRowid,
      );
      for (const grant of input.roles) {
        sql(db, "INSERT OR IGNORE INTO user_roles (user_id, role, organisation_id) VALUES (?, ?, ?)").run(
          id,
          grant.role,
          grant.organisationId,
        );
      }
      if (actor) {
        const organisations = input.roles.flatMap((g) => (g.organisationId ? [g.organisationId] : [])).sort();
        recordAccountAction(
          db,
          { accountId: id, actor, action: "created", detail: { role: input.roles[0]!.role, organisations } },
          now,
        );
      }
      return id;
    })
    .immediate();
}

export function setPasswordHash(db: Db, userId: number, passwordHash: string): void {
  sql(db, "UPDATE users SET password_hash = ? WHERE id = ?").run(passwordHash, userId);
}

/* ------------------------------------------------------------------ sessions */

export function insertSession(db: Db, idHash: string, userId: number, now: Date, expiresAt: Date): void {
  sql(db, "INSERT INTO sessions (id_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)").run(
    idHash,
    userId,
    now.toISOString(),
    expiresAt.toISOString(),
  );
}

/** The user of a live session (not expired, not revoked, user not disabled). */
export function sessionUser(db: Db, idHash: string, now: Date): UserRecord | null {
  const row = sql(
    db,
    `SELECT u.id, u.email, u.name, u.password_hash, u.disabled_at FROM sessions s JOIN users u ON u.id = s.user_id
     WHERE s.id_hash = ? AND s.revoked_at IS NULL AND s.expires_at > ? AND u.disabled_at IS NULL`,
  ).get(idHash, now.toISOString()) as UserRow | undefined;
  return row ? toUser(db, row) : null;
}

export function revokeSession(db: Db, idHash: string, now: Date): void {
  sql(db, "UPDATE sessions SET revoked_at = ? WHERE id_hash = ? AND revoked_at IS NULL").run(now.toISOString(), idHash);
}

export function revokeUserSessions(db: Db, userId: number, now: Date): void {
  sql(db, "UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL").run(now.toISOString(), userId);
}

/* ------------------------------------------------------------------ sign-in attempts */

export interface SignInAttemptCounts {
  emailAndClient: number;
  client: number;
  email: number;
  lastEmailFailureAt: Date | null;
}

/**
 * Failed attempts in the window for this e-mail from this client, from this client for any
 * e-mail, and for this e-mail from anywhere (with the last one's time). The e-mail's counts go
 * back only to its last successful sign-in (a success resets them). A reserved attempt whose
 * password is still being checked counts as failed.
 */
export function signInAttemptCounts(db: Db, email: string, client: string | null, since: Date): SignInAttemptCounts {
  const e = normaliseEmail(email);
  const s = since.toISOString();
  const lastSuccess =
    (sql(db, "SELECT max(at) FROM sign_in_attempts WHERE email = ? AND succeeded = 1").pluck().get(e) as
      string | null) ?? "";
  const byEmail = sql(
    db,
    "SELECT count(*) AS n, max(at) AS last FROM sign_in_attempts WHERE email = ? AND succeeded = 0 AND at >= ? AND at > ?",
  ).get(e, s, lastSuccess) as { n: number; last: string | null };
  const byEmailAndClient = sql(
    db,
    "SELECT count(*) FROM sign_in_attempts WHERE email = ? AND client IS ? AND succeeded = 0 AND at >= ? AND at > ?",
  )
    .pluck()
    .get(e, client, s, lastSuccess) as number;
  const byClient =
    client === null
      ? 0
      : (sql(db, "SELECT count(*) FROM sign_in_attempts WHERE client = ? AND succeeded = 0 AND at >= ?")
          .pluck()
          .get(client, s) as number);
  return {
    emailAndClient: byEmailAndClient,
    client: byClient,
    email: byEmail.n,
    lastEmailFailureAt: byEmail.last ? new Date(byEmail.last) : null,
  };
}

export type SignInReservation = { ok: true; attemptId: number } | { ok: false; retryAfterSeconds: number };

/**
 * Checks the limits and, when they allow it, writes the attempt as failed — in one IMMEDIATE
 * transaction, before any password is hashed — so concurrent attempts cannot all pass the check.
 * `decide` is the rule (app/domain/sign-in-limit.ts).
 */
export function reserveSignInAttempt(
  db: Db,
  email: string,
  client: string | null,
  now: Date,
  decide: (counts: SignInAttemptCounts) => { allowed: true } | { allowed: false; retryAfterSeconds: number },
  windowMinutes = 15,
): SignInReservation {
  return db
    .transaction((): SignInReservation => {
      const counts = signInAttemptCounts(db, email, client, new Date(now.getTime() - windowMinutes * 60_000));
      const decision = decide(counts);
      if (!decision.allowed) return { ok: false, retryAfterSeconds: decision.retryAfterSeconds };
      const id = sql(db, "INSERT INTO sign_in_attempts (email, client, succeeded, at) VALUES (?, ?, 0, ?)").run(
        normaliseEmail(email),
        client,
        now.toISOString(),
      ).lastInsertRowid;
      return { ok: true, attemptId: Number(id) };
    })
    .immediate();
}

/** A reserved attempt whose password was right. */
export function completeSignInAttempt(db: Db, attemptId: number): void {
  sql(db, "UPDATE sign_in_attempts SET succeeded = 1 WHERE id = ?").run(attemptId);
}

/* ------------------------------------------------------------------ password reset */

export function insertResetToken(db: Db, tokenHash: string, userId: number, now: Date, expiresAt: Date): void {
  sql(db, "INSERT INTO password_reset_tokens (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)").run(
    tokenHash,
    userId,
    now.toISOString(),
    expiresAt.toISOString(),
  );
}

/**
 * A one-time set-password token for the account with this e-mail (the token's SHA-256 is stored),
 * written to the audit trail as a link issued by `actor` in the same transaction; null: no such
 * account (nothing written).
 */
export function issueResetTokenFor(
  db: Db,
  email: string,
  token: { hash: string; expiresAt: Date },
  actor: AuditActor,
  now: Date,
): UserRecord | null {
  return db
    .transaction(() => {
      const user = findUserByEmail(db, email);
      if (!user) return null;
      insertResetToken(db, token.hash, user.id, now, token.expiresAt);
      recordAccountAction(db, { accountId: user.id, actor, action: "link-issued" }, now);
      const { passwordHash: _hash, ...record } = user;
      return record;
    })
    .immediate();
}

/** The user a live, unused reset token belongs to. */
export function resetTokenUser(db: Db, tokenHash: string, now: Date): UserRecord | null {
  const userId = sql(
    db,
    "SELECT user_id FROM password_reset_tokens WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?",
  )
    .pluck()
    .get(tokenHash, now.toISOString()) as number | undefined;
  return userId === undefined ? null : getUser(db, userId);
}

/** Sets the password with a token once: the token is used up and every session of the user ends. */
export function consumeResetToken(db: Db, tokenHash: string, passwordHash: string, now: Date): UserRecord | null {
  return db
    .transaction(() => {
      const user = resetTokenUser(db, tokenHash, now);
      if (!user) return null;
      sql(db, "UPDATE password_reset_tokens SET used_at = ? WHERE token_hash = ?").run(now.toISOString(), tokenHash);
      sql(db, "UPDATE password_reset_tokens SET used_at = ? WHERE user_id = ? AND used_at IS NULL").run(
        now.toISOString(),
        user.id,
      );
      setPasswordHash(db, user.id, passwordHash);
      revokeUserSessions(db, user.id, now);
      recordAccountAction(
        db,
        { accountId: user.id, actor: { kind: "user", userId: user.id }, action: "password-set" },
        now,
      );
      return user;
    })
    .immediate();
}

/* ------------------------------------------------------------------ reviews */

export interface StudyReview {
  id: number;
  version: number;
  /** The pending revision the decision was about (null: the study itself). */
  revision: number | null;
  userName: string;
  decision: "approved" | "sent_back";
  comment: string | null;
  createdAt: string;
}

export function insertStudyReview(
  db: Db,
  review: {
    studyId: number;
    version: number;
    revision?: number | null;
    userId: number;
    decision: StudyReview["decision"];
    comment: string | null;
  },
  now: Date,
): void {
  sql(
    db,
    "INSERT INTO study_reviews (study_id, version, revision, user_id, decision, comment, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
  ).run(
    review.studyId,
    review.version,
    review.revision ?? null,
    review.userId,
    review.decision,
    review.comment,
    now.toISOString(),
  );
}

export function listStudyReviews(db: Db, studyId: number): StudyReview[] {
  return (
    sql(
      db,
      `SELECT r.id, r.version, r.revision, u.name AS user_name, r.decision, r.comment, r.created_at FROM study_reviews r
       JOIN users u ON u.id = r.user_id WHERE r.study_id = ? ORDER BY r.id DESC`,
    ).all(studyId) as {
      id: number;
      version: number;
      revision: number | null;
      user_name: string;
      decision: StudyReview["decision"];
      comment: string | null;
      created_at: string;
    }[]
  ).map((r) => ({
    id: r.id,
    version: r.version,
    revision: r.revision,
    userName: r.user_name,
    decision: r.decision,
    comment: r.comment,
    createdAt: r.created_at,
  }));
}
