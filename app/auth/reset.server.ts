/** Password reset tokens: printed by `npm run user:reset-password` (no mail server), used on /nytt-passord. */
import type { Db } from "#app/db.server";
import {
  consumeResetToken,
  findUserByEmail,
  insertResetToken,
  resetTokenUser,
  type UserRecord,
} from "#app/models/user.server";
import { hashPassword } from "./password.server";
import { randomToken, sha256Hex } from "./tokens.server";

export const RESET_TOKEN_HOURS = 24;

export function issueResetToken(
  db: Db,
  email: string,
  now = new Date(),
): { token: string; user: UserRecord; expiresAt: Date } | null {
  const user = findUserByEmail(db, email);
  if (!user) return null;
  const token = randomToken();
  const expiresAt = new Date(now.getTime() + RESET_TOKEN_HOURS * 3600_000);
  insertResetToken(db, sha256Hex(token), user.id, now, expiresAt);
  return { token, user, expiresAt };
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
