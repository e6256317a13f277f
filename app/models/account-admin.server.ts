/**
 * The national administrator's account changes (issue 18 item 4): list, invite, disable, enable
 * and change role + organisations. Authorisation is checked here before any write (only the
 * admin role), and the domain's rules (app/domain/account-admin.ts) are asked inside the same
 * IMMEDIATE transaction that writes, so two administrators acting at once cannot between them
 * leave the portal without an active administrator. Disabling ends every session of the account.
 * Every change that happens writes one entry in the audit trail (account-audit.server.ts) in the
 * same transaction; a refused change, or one that changes nothing, writes none.
 */
import type { Db } from "#app/db.server";
import {
  accountChangeProblem,
  roleGrants,
  roleProblem,
  type AccountChange,
  type AccountProblem,
  type AccountRole,
  type AccountState,
} from "#app/domain/account-admin";
import { authorize, isAdmin, type Principal } from "#app/auth/policy";
import { recordAccountAction, type AuditGrant } from "./account-audit.server";
import { sql } from "./statements.server";
import { getUser, insertResetToken, normaliseEmail, revokeUserSessions, type RoleGrant } from "./user.server";

export interface AccountRow {
  id: number;
  email: string;
  name: string;
  disabled: boolean;
  /** Whether a password has been set (an invited account has none until the link is used). */
  hasPassword: boolean;
  createdAt: string;
  roles: RoleGrant[];
}

/** A refused account change: which field, and the message key (app/i18n) that says why. */
export class AccountProblemError extends Error {
  constructor(
    public readonly field: AccountProblem["field"] | "email" | "name",
    public readonly key:
      | AccountProblem["key"]
      | "accounts.problem.emailTaken"
      | "accounts.problem.unknownOrg"
      | "accounts.problem.unknownAccount",
  ) {
    super(`${field}: ${key}`);
    this.name = "AccountProblemError";
  }
}

function allStates(db: Db): AccountState[] {
  const users = sql(db, "SELECT id, disabled_at FROM users").all() as { id: number; disabled_at: string | null }[];
  const roles = sql(db, "SELECT user_id, role, organisation_id FROM user_roles").all() as {
    user_id: number;
    role: AccountRole;
    organisation_id: string | null;
  }[];
  return users.map((u) => ({
    id: u.id,
    disabled: u.disabled_at !== null,
    roles: roles.filter((r) => r.user_id === u.id).map((r) => ({ role: r.role, organisationId: r.organisation_id })),
  }));
}

export function listAccounts(db: Db, actor: Principal): AccountRow[] {
  authorize(isAdmin(actor), "manage-accounts");
  const rows = sql(
    db,
    "SELECT id, email, name, password_hash IS NOT NULL AS has_password, created_at, disabled_at FROM users ORDER BY name, email",
  ).all() as {
    id: number;
    email: string;
    name: string;
    has_password: number;
    created_at: string;
    disabled_at: string | null;
  }[];
  const roles = sql(
    db,
    "SELECT user_id, role, organisation_id FROM user_roles ORDER BY role, organisation_id",
  ).all() as {
    user_id: number;
    role: AccountRole;
    organisation_id: string | null;
  }[];
  return rows.map((r) => ({
    id: r.id,
    email: r.email,
    name: r.name,
    disabled: r.disabled_at !== null,
    hasPassword: r.has_password === 1,
    createdAt: r.created_at,
    roles: roles.filter((g) => g.user_id === r.id).map((g) => ({ role: g.role, organisationId: g.organisation_id })),
  }));
}

function checkOrganisations(db: Db, organisationIds: string[]): void {
  for (const id of organisationIds) {
    if (!sql(db, "SELECT 1 FROM organisations WHERE id = ?").pluck().get(id))
      throw new AccountProblemError("organisations", "accounts.problem.unknownOrg");
  }
}

/**
 * Creates an account without a password and stores the SHA-256 of its one-time set-password
 * token (the token itself is the caller's, shown once to the administrator). Returns the new id.
 */
export function inviteAccount(
  db: Db,
  actor: Principal,
  input: {
    email: string;
    name: string;
    role: AccountRole;
    organisationIds: string[];
    tokenHash: string;
    expiresAt: Date;
  },
  now = new Date(),
): number {
  authorize(isAdmin(actor), "manage-accounts");
  const problem = roleProblem(input.role, input.organisationIds);
  if (problem) throw new AccountProblemError(problem.field, problem.key);
  const email = normaliseEmail(input.email);
  return db
    .transaction(() => {
      if (sql(db, "SELECT 1 FROM users WHERE email = ?").pluck().get(email))
        throw new AccountProblemError("email", "accounts.problem.emailTaken");
      checkOrganisations(db, input.organisationIds);
      const id = Number(
        sql(db, "INSERT INTO users (email, name, password_hash, created_at) VALUES (?, ?, NULL, ?)").run(
          email,
          input.name.trim(),
          now.toISOString(),
        ).lastInsertRowid,
      );
      for (const grant of roleGrants(input.role, input.organisationIds)) {
        sql(db, "INSERT INTO user_roles (user_id, role, organisation_id) VALUES (?, ?, ?)").run(
          id,
          grant.role,
          grant.organisationId,
        );
      }
      insertResetToken(db, input.tokenHash, id, now, input.expiresAt);
      recordAccountAction(
        db,
        {
          accountId: id,
          actor: { kind: "user", userId: actor.id },
          action: "invited",
          detail: grantOf(roleGrants(input.role, input.organisationIds)),
        },
        now,
      );
      return id;
    })
    .immediate();
}

/** A set of role grants as the audit trail keeps it: the role and the sorted organisation ids. */
function grantOf(grants: { role: AccountRole; organisationId: string | null }[]): AuditGrant {
  return {
    role: grants[0]?.role ?? null,
    organisations: grants.flatMap((g) => (g.organisationId ? [g.organisationId] : [])).sort(),
  };
}

/** Disables, enables or changes the role of an account, after the rules; disabling ends its sessions. */
export function changeAccount(db: Db, actor: Principal, change: AccountChange, now = new Date()): void {
  authorize(isAdmin(actor), "manage-accounts");
  const audit = { accountId: change.accountId, actor: { kind: "user" as const, userId: actor.id } };
  db.transaction(() => {
    const account = getUser(db, change.accountId);
    if (!account) throw new AccountProblemError("account", "accounts.problem.unknownAccount");
    const problem = accountChangeProblem(allStates(db), change);
    if (problem) throw new AccountProblemError(problem.field, problem.key);
    if (change.kind === "disable") {
      const { changes } = sql(db, "UPDATE users SET disabled_at = ? WHERE id = ? AND disabled_at IS NULL").run(
        now.toISOString(),
        change.accountId,
      );
      revokeUserSessions(db, change.accountId, now);
      if (changes > 0) recordAccountAction(db, { ...audit, action: "disabled" }, now);
    } else if (change.kind === "enable") {
      const { changes } = sql(db, "UPDATE users SET disabled_at = NULL WHERE id = ? AND disabled_at IS NOT NULL").run(
        change.accountId,
      );
      if (changes > 0) recordAccountAction(db, { ...audit, action: "enabled" }, now);
    } else {
      checkOrganisations(db, change.organisationIds);
      const from = grantOf(account.roles);
      const grants = roleGrants(change.role, change.organisationIds);
      const to = grantOf(grants);
      sql(db, "DELETE FROM user_roles WHERE user_id = ?").run(change.accountId);
      for (const grant of grants) {
        sql(db, "INSERT INTO user_roles (user_id, role, organisation_id) VALUES (?, ?, ?)").run(
          change.accountId,
          grant.role,
          grant.organisationId,
        );
      }
      const action =
        from.role !== to.role
          ? "role-changed"
          : from.organisations.join() !== to.organisations.join()
            ? "organisations-changed"
            : null;
      if (action) recordAccountAction(db, { ...audit, action, detail: { from, to } }, now);
    }
  }).immediate();
}
