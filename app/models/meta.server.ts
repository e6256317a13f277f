/** Small facts about this database (app_meta) and its health. */
import type { Db } from "#app/db.server";
import { sql } from "./statements.server";

export function getMeta(db: Db, key: string): string | null {
  return (sql(db, "SELECT value FROM app_meta WHERE key = ?").pluck().get(key) as string | undefined) ?? null;
}

export function setMeta(db: Db, key: string, value: string): void {
  db.prepare(
    "INSERT INTO app_meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
  ).run(key, value);
}

export interface DatabaseHealth {
  ok: boolean;
  journalMode: string;
  migrations: number;
  latestMigration: string | null;
  /** Published studies (drafts and submitted ones are not counted). */
  studies: number;
  error?: string;
}

export function databaseHealth(db: Db): DatabaseHealth {
  try {
    const journalMode = String(db.pragma("journal_mode", { simple: true }));
    const latest = db.prepare("SELECT version, name FROM schema_migrations ORDER BY version DESC LIMIT 1").get() as
      { version: number; name: string } | undefined;
    const migrations = db.prepare("SELECT count(*) FROM schema_migrations").pluck().get() as number;
    // Public studies only: how many drafts or submitted studies exist is nobody else's business.
    const studies = db
      .prepare("SELECT count(*) FROM studies WHERE publication_state = 'published'")
      .pluck()
      .get() as number;
    return {
      ok: true,
      journalMode,
      migrations,
      latestMigration: latest ? `${String(latest.version).padStart(4, "0")}_${latest.name}` : null,
      studies,
    };
  } catch (error) {
    return {
      ok: false,
      journalMode: "unknown",
      migrations: 0,
      latestMigration: null,
      studies: 0,
      error: (error as Error).message,
    };
  }
}
