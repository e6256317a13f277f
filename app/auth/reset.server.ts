/** Password reset tokens: printed by `npm run user:reset-password` (no mail server), used on /nytt-passord. */
import type { Db } from "#app/db.server";
import { COMMAND_LINE, type AuditActor } from "#app/models/account-audit.server";
import { consumeResetToken, issueResetTokenFor, resetTokenUser, type UserRecord } from "#app/models/user.server";
import { hashPassword } from "./password.server";
import { randomToken, sha256Hex } from "./tokens.server";

export const RESET_TOKEN_HOURS = 24;

/** A one-time set-password link's token for an account (audit trail: issued by `actor`, the command line by default). */
export function issueResetToken(
  db: Db,
  email: string,
  now = new Date(),
  actor: AuditActor = COMMAND_LINE,
): { token: string; user: UserRecord; expiresAt: Date } | null {
  const token = randomToken();
  const expiresAt = new Date(now.getTime() + RESET_TOKEN_HOURS * 3600_000);
  const user = issueResetTokenFor(db, email, { hash: sha256Hex(token), expiresAt }, actor, now);
  return user ? { token, user, expiresAt } : null;
}

export function userForResetToken(db: Db, token: string, now = new Date()): UserRecord | null {
  return resetTokenUser(db, sha256Hex(token), now);
}

export async function resetPassword(
  db: Db,
  token: string,
  password: string,
  now = new Date(),
): Promise<UserRecord | null> {
  const hash = await hashPassword(password);
  return consumeResetToken(db, sha256Hex(token), hash, now);
}
