/**
 * The national administrator's rules for accounts (issue 18 item 4), pure and table-tested
 * (tests/unit/account-admin.test.ts): what roles a person may be given, and that a change never
 * leaves the portal without an active administrator. The model (app/models/account-admin.server.ts)
 * asks these before it writes; the words are the page's (app/i18n messages, keys below).
 */

export type AccountRole = "researcher" | "editor" | "admin";

export interface AccountState {
  id: number;
  disabled: boolean;
  roles: { role: AccountRole; organisationId: string | null }[];
}

export type AccountChange =
  | { kind: "disable"; accountId: number }
  | { kind: "enable"; accountId: number }
  | { kind: "roles"; accountId: number; role: AccountRole; organisationIds: string[] };

/** A refused change: the field it is about and the message key that says why. */
export interface AccountProblem {
  field: "account" | "role" | "organisations";
  key: "accounts.problem.lastAdmin" | "accounts.problem.adminNoOrg" | "accounts.problem.orgRequired";
}

/** The role grants a role with its organisations becomes (admin: one national grant, no organisation). */
export function roleGrants(
  role: AccountRole,
  organisationIds: string[],
): { role: AccountRole; organisationId: string | null }[] {
  if (role === "admin") return [{ role, organisationId: null }];
  return [...new Set(organisationIds)].sort().map((organisationId) => ({ role, organisationId }));
}

/** Whether a role may be given with these organisations: an admin has none, the others at least one. */
export function roleProblem(role: AccountRole, organisationIds: string[]): AccountProblem | null {
  if (role === "admin" && organisationIds.length > 0)
    return { field: "organisations", key: "accounts.problem.adminNoOrg" };
  if (role !== "admin" && organisationIds.length === 0)
    return { field: "organisations", key: "accounts.problem.orgRequired" };
  return null;
}

const isActiveAdmin = (a: AccountState) => !a.disabled && a.roles.some((r) => r.role === "admin");

/** The accounts as they would be after the change. */
export function applyAccountChange(accounts: AccountState[], change: AccountChange): AccountState[] {
  return accounts.map((a) => {
    if (a.id !== change.accountId) return a;
    if (change.kind === "disable") return { ...a, disabled: true };
    if (change.kind === "enable") return { ...a, disabled: false };
    return { ...a, roles: roleGrants(change.role, change.organisationIds) };
  });
}

/**
 * Why a change may not be made, or null. The portal keeps at least one active administrator:
 * nobody (an administrator acting on themself included) can disable or demote the last one.
 */
export function accountChangeProblem(accounts: AccountState[], change: AccountChange): AccountProblem | null {
  if (change.kind === "roles") {
    const problem = roleProblem(change.role, change.organisationIds);
    if (problem) return problem;
  }
  const before = accounts.filter(isActiveAdmin).length;
  const after = applyAccountChange(accounts, change).filter(isActiveAdmin).length;
  if (before > 0 && after === 0)
    return { field: change.kind === "roles" ? "role" : "account", key: "accounts.problem.lastAdmin" };
  return null;
}
