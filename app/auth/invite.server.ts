/**
 * Inviting an account from the administrator's page: the account is created without a password
 * and with a one-time link to /nytt-passord (the same token as `npm run user:reset-password`,
 * RESET_TOKEN_HOURS), which the page shows once. Only the token's SHA-256 is stored.
 */
import type { Db } from "#app/db.server";
import type { AccountRole } from "#app/domain/account-admin";
import { inviteAccount } from "#app/models/account-admin.server";
import type { Principal } from "./policy";
import { RESET_TOKEN_HOURS } from "./reset.server";
import { randomToken, sha256Hex } from "./tokens.server";

export interface Invitation {
  userId: number;
  /** The path with the one-time token: /nytt-passord?token=… */
  path: string;
  expiresAt: Date;
}

export function invite(
  db: Db,
  actor: Principal,
  input: { email: string; name: string; role: AccountRole; organisationIds: string[] },
  now = new Date(),
): Invitation {
  const token = randomToken();
  const expiresAt = new Date(now.getTime() + RESET_TOKEN_HOURS * 3600_000);
  const userId = inviteAccount(db, actor, { ...input, tokenHash: sha256Hex(token), expiresAt }, now);
  return { userId, path: `/nytt-passord?token=${token}`, expiresAt };
}
