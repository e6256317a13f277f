/** Per-organisation bearer tokens for the ingest API. The token itself is shown once, never stored. */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { Db } from "#app/db.server";

const PREFIX = "ks_";

export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/**
 * A new token for `organisationId`; `alsoFor` lists further organisations it may send for (a
 * regional listing): a record "utført av" one of them belongs to that organisation.
 */
export function issueToken(
  db: Db,
  organisationId: string,
  label: string,
  now = new Date(),
  alsoFor: readonly string[] = [],
): { id: number; token: string } {
  const token = PREFIX + randomBytes(32).toString("base64url");
  const result = db
    .prepare(
      "INSERT INTO organisation_tokens (organisation_id, token_hash, label, created_at, also_for) VALUES (?, ?, ?, ?, ?)",
    )
    .run(
      organisationId,
      hashToken(token),
      label,
      now.toISOString(),
      JSON.stringify([...new Set(alsoFor)].filter((o) => o !== organisationId)),
    );
  return { id: Number(result.lastInsertRowid), token };
}

export function revokeToken(db: Db, id: number, now = new Date()): boolean {
  return (
    db
      .prepare("UPDATE organisation_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")
      .run(now.toISOString(), id).changes === 1
  );
}

export interface TokenInfo {
  id: number;
  organisationId: string;
  /** JSON array of further organisations the token may send for. */
  alsoFor: string;
  label: string;
  createdAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

export function listTokens(db: Db, organisationId?: string): TokenInfo[] {
  const sql = `SELECT id, organisation_id AS organisationId, also_for AS alsoFor, label, created_at AS createdAt, revoked_at AS revokedAt,
                      last_used_at AS lastUsedAt
               FROM organisation_tokens ${organisationId ? "WHERE organisation_id = ?" : ""} ORDER BY id`;
  return (organisationId ? db.prepare(sql).all(organisationId) : db.prepare(sql).all()) as TokenInfo[];
}

/** The organisation a valid, unrevoked token belongs to, or null. */
export function authenticateToken(db: Db, token: string, now = new Date()): string | null {
  return authenticateTokenScope(db, token, now)?.organisationId ?? null;
}

/** A valid, unrevoked token's organisation and the further organisations it may send for, or null. */
export function authenticateTokenScope(
  db: Db,
  token: string,
  now = new Date(),
): { organisationId: string; alsoFor: string[] } | null {
  if (!token.startsWith(PREFIX) || token.length > 200) return null;
  const hash = hashToken(token);
  const row = db
    .prepare(
      "SELECT id, organisation_id AS organisationId, token_hash AS tokenHash, also_for AS alsoFor FROM organisation_tokens WHERE token_hash = ? AND revoked_at IS NULL",
    )
    .get(hash) as { id: number; organisationId: string; tokenHash: string; alsoFor: string } | undefined;
  // The lookup is by hash; compare again in constant time for good measure.
  if (!row || !timingSafeEqual(Buffer.from(row.tokenHash, "hex"), Buffer.from(hash, "hex"))) return null;
  db.prepare("UPDATE organisation_tokens SET last_used_at = ? WHERE id = ?").run(now.toISOString(), row.id);
  return { organisationId: row.organisationId, alsoFor: JSON.parse(row.alsoFor) as string[] };
}
