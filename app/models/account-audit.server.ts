/**
 * The staff audit trail of account actions (migration 0023, docs/decisions/0029-account-audit.md):
 * who did what to which account, and when. Entries are written only by the account models
 * (account-admin.server.ts, user.server.ts), inside the transaction of the change itself, so a
 * refused or failed change leaves none. Ids only: no e-mail, password, hash or token is stored.
 * Only an administrator may read it.
 */
import type { Db } from "#app/db.server";
import { authorize, isAdmin, type Principal } from "#app/auth/policy";
import { sql } from "./statements.server";

/** Who did it: a signed-in user, or the command line on the server (no user). */
export type AuditActor = { kind: "user"; userId: number } | { kind: "cli" };
export const COMMAND_LINE: AuditActor = { kind: "cli" };

export const ACCOUNT_AUDIT_ACTIONS = [
  "invited",
  "created",
  "link-issued",
  "password-set",
  "disabled",
  "enabled",
  "role-changed",
  "organisations-changed",
] as const;
export type AccountAuditAction = (typeof ACCOUNT_AUDIT_ACTIONS)[number];

/** A role with its organisations, as the entry keeps it (organisation ids, shown by name). */
export interface AuditGrant {
  role: string | null;
  organisations: string[];
}
export type AuditDetail = AuditGrant | { from: AuditGrant; to: AuditGrant };

export interface AccountAuditEntry {
  id: number;
  at: string;
  action: AccountAuditAction;
  accountId: number;
  accountName: string;
  /** null: the command line. */
  actorName: string | null;
  detail: AuditDetail | null;
}

/** Writes one entry. Call it inside the transaction that makes the change. */
export function recordAccountAction(
  db: Db,
  entry: { accountId: number; actor: AuditActor; action: AccountAuditAction; detail?: AuditDetail | null },
  now: Date,
): void {
  sql(
    db,
    "INSERT INTO account_audit (at, account_id, actor_kind, actor_user_id, action, detail) VALUES (?, ?, ?, ?, ?, ?)",
  ).run(
    now.toISOString(),
    entry.accountId,
    entry.actor.kind,
    entry.actor.kind === "user" ? entry.actor.userId : null,
    entry.action,
    entry.detail ? JSON.stringify(entry.detail) : null,
  );
}

/** The latest entries, newest first, with names (administrators only). */
export function listAccountAudit(db: Db, actor: Principal, limit = 20): AccountAuditEntry[] {
  authorize(isAdmin(actor), "manage-accounts");
  const rows = sql(
    db,
    `SELECT a.id, a.at, a.action, a.account_id, u.name AS account_name, p.name AS actor_name, a.detail
     FROM account_audit a JOIN users u ON u.id = a.account_id LEFT JOIN users p ON p.id = a.actor_user_id
     ORDER BY a.id DESC LIMIT ?`,
  ).all(Math.max(1, Math.min(200, Math.floor(limit)))) as {
    id: number;
    at: string;
    action: AccountAuditAction;
    account_id: number;
    account_name: string;
    actor_name: string | null;
    detail: string | null;
  }[];
  return rows.map((r) => ({
    id: r.id,
    at: r.at,
    action: r.action,
    accountId: r.account_id,
    accountName: r.account_name,
    actorName: r.actor_name,
    detail: r.detail ? (JSON.parse(r.detail) as AuditDetail) : null,
  }));
}
