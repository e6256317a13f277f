/**
 * Plain SQL migrations from data/migrations/NNNN_name.sql, applied in order, each in its own
 * transaction, recorded in schema_migrations with a checksum so an edited migration is caught.
 *
 * A migration that rebuilds a table other tables refer to (SQLite's "make a new table, copy,
 * drop, rename" — the only way to drop a NOT NULL) says so with a line of its own,
 * `-- migration: foreign_keys off`. It then runs with foreign key enforcement off (SQLite
 * ignores that pragma inside a transaction, so it is set around it), and before it commits
 * `PRAGMA foreign_key_check` must find nothing, or the whole migration is rolled back.
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { Db } from "#app/db.server";

export const DEFAULT_MIGRATIONS_DIR = path.resolve(process.cwd(), "data/migrations");
const FILE_NAME = /^(\d{4})_([a-z0-9_]+)\.sql$/;
const FOREIGN_KEYS_OFF = /^-- migration: foreign_keys off$/m;

export interface Migration {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

export function readMigrations(dir = DEFAULT_MIGRATIONS_DIR): Migration[] {
  const migrations = readdirSync(dir)
    .filter((file) => file.endsWith(".sql"))
    .map((file) => {
      const match = FILE_NAME.exec(file);
      if (!match) throw new Error(`Migration file name "${file}" must look like 0001_name.sql`);
      const sql = readFileSync(path.join(dir, file), "utf8");
      return {
        version: Number(match[1]),
        name: match[2]!,
        sql,
        checksum: createHash("sha256").update(sql).digest("hex"),
      };
    })
    .sort((a, b) => a.version - b.version);
  migrations.forEach((m, i) => {
    if (i > 0 && migrations[i - 1]!.version === m.version) {
      throw new Error(`Two migrations have version ${m.version}`);
    }
  });
  return migrations;
}

export interface AppliedMigration {
  version: number;
  name: string;
  checksum: string;
  applied_at: string;
}

function ensureMigrationsTable(db: Db) {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    checksum TEXT NOT NULL,
    applied_at TEXT NOT NULL
  ) STRICT`);
}

export function appliedMigrations(db: Db): AppliedMigration[] {
  ensureMigrationsTable(db);
  return db
    .prepare("SELECT version, name, checksum, applied_at FROM schema_migrations ORDER BY version")
    .all() as AppliedMigration[];
}

/** The applied migrations without creating the table (read-only, for /readyz); [] when it does not exist. */
export function readAppliedMigrations(db: Db): Pick<AppliedMigration, "version" | "name">[] {
  const exists = db
    .prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'schema_migrations'")
    .pluck()
    .get();
  if (!exists) return [];
  return db.prepare("SELECT version, name FROM schema_migrations ORDER BY version").all() as Pick<
    AppliedMigration,
    "version" | "name"
  >[];
}

/** Applies pending migrations; returns the ones applied now. Refuses if a landed one was edited. */
export function migrate(db: Db, dir = DEFAULT_MIGRATIONS_DIR, now = () => new Date().toISOString()): Migration[] {
  const available = readMigrations(dir);
  const applied = new Map(appliedMigrations(db).map((m) => [m.version, m]));
  for (const m of available) {
    const done = applied.get(m.version);
    if (done && done.checksum !== m.checksum) {
      throw new Error(
        `Migration ${String(m.version).padStart(4, "0")}_${m.name} was edited after it was applied ` +
          `(checksum ${done.checksum.slice(0, 12)}… in the database, ${m.checksum.slice(0, 12)}… on disk). ` +
          `Landed migrations are never edited: revert the edit and add a new migration.`,
      );
    }
  }
  const known = new Set(available.map((m) => m.version));
  for (const version of applied.keys()) {
    if (!known.has(version)) {
      throw new Error(
        `The database has migration ${version}, which this code does not know: is the code older than the database?`,
      );
    }
  }
  const pending = available.filter((m) => !applied.has(m.version));
  const record = db.prepare("INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (?, ?, ?, ?)");
  for (const m of pending) {
    const foreignKeysOff = FOREIGN_KEYS_OFF.test(m.sql) && db.pragma("foreign_keys", { simple: true }) === 1;
    if (foreignKeysOff) db.pragma("foreign_keys = OFF");
    try {
      db.transaction(() => {
        db.exec(m.sql);
        if (foreignKeysOff) {
          const broken = db.pragma("foreign_key_check") as { table: string; rowid: number; parent: string }[];
          if (broken.length > 0) {
            const first = broken[0]!;
            throw new Error(
              `Migration ${String(m.version).padStart(4, "0")}_${m.name} leaves ${broken.length} row(s) pointing at ` +
                `nothing (first: ${first.table} row ${first.rowid} → ${first.parent}); nothing of it was applied.`,
            );
          }
        }
        record.run(m.version, m.name, m.checksum, now());
      }).immediate();
    } finally {
      if (foreignKeysOff) db.pragma("foreign_keys = ON");
    }
  }
  return pending;
}
