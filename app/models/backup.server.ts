/**
 * Online backup and restore of the SQLite database with SQLite's backup API (better-sqlite3's
 * db.backup()), safe while the server runs.
 *
 * Backup: by default every page is copied in one backup step, i.e. inside one read transaction:
 * the copy is a consistent snapshot, and in WAL mode the server keeps writing meanwhile (a write by
 * another connection between steps would make SQLite restart a multi-step backup; with one step it
 * cannot). The copy goes to a temporary file beside the destination, is switched to a rollback
 * journal (one self-contained file), checked with PRAGMA integrity_check, and only then renamed
 * into place, so a destination path never holds a half-written backup.
 *
 * Restore: the backup is checked first (integrity, and that it is a portal database); the current
 * database, if any, is moved aside (with its -wal/-shm) rather than deleted; the backup is copied
 * in with the backup API and checked again.
 */
import Database from "better-sqlite3";
import { existsSync, mkdirSync, renameSync, rmSync, statSync } from "node:fs";
import path from "node:path";

export interface BackupReport {
  destination: string;
  pages: number;
  bytes: number;
  studies: number;
  migrations: number;
  ms: number;
}

export class BackupError extends Error {
  override name = "BackupError";
}

/** PRAGMA integrity_check on a file, and the facts that show it is a portal database. */
export function checkDatabaseFile(file: string): {
  ok: boolean;
  problems: string[];
  studies: number;
  migrations: number;
} {
  if (!existsSync(file)) return { ok: false, problems: [`${file} does not exist`], studies: 0, migrations: 0 };
  let db: Database.Database | null = null;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    const result = db.pragma("integrity_check") as { integrity_check: string }[];
    const problems = result.map((r) => r.integrity_check).filter((r) => r !== "ok");
    const tables = new Set(db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").pluck().all() as string[]);
    for (const t of ["schema_migrations", "studies"])
      if (!tables.has(t)) problems.push(`no table ${t}: not a Kliniske studier database`);
    const studies = tables.has("studies") ? (db.prepare("SELECT count(*) FROM studies").pluck().get() as number) : 0;
    const migrations = tables.has("schema_migrations")
      ? (db.prepare("SELECT count(*) FROM schema_migrations").pluck().get() as number)
      : 0;
    return { ok: problems.length === 0, problems, studies, migrations };
  } catch (error) {
    return { ok: false, problems: [`${file}: ${(error as Error).message}`], studies: 0, migrations: 0 };
  } finally {
    db?.close();
  }
}

async function copyWithBackupApi(
  source: Database.Database,
  tmp: string,
  pagesPerStep: number | undefined,
): Promise<number> {
  rmSync(tmp, { force: true });
  // better-sqlite3 copies 100 pages per step unless progress() names another number; the maximum
  // means "all in one step" (one read transaction: a consistent snapshot, never restarted).
  const rate = pagesPerStep ?? 0x7fffffff;
  const result = await source.backup(tmp, { progress: () => rate });
  return result.totalPages;
}

/** The copy keeps the source's WAL flag in its header: make it one self-contained file. */
function finishCopy(tmp: string, journalMode: "delete"): void {
  const copy = new Database(tmp, { fileMustExist: true });
  try {
    copy.pragma(`journal_mode = ${journalMode}`);
  } finally {
    copy.close();
  }
}

function removeTmp(tmp: string): void {
  for (const suffix of ["", "-wal", "-shm", "-journal"]) rmSync(tmp + suffix, { force: true });
}

export async function backupDatabase(
  sourceFile: string,
  destination: string,
  options: { overwrite?: boolean; pagesPerStep?: number } = {},
): Promise<BackupReport> {
  const started = Date.now();
  const dest = path.resolve(destination);
  if (path.resolve(sourceFile) === dest) throw new BackupError("the backup destination is the database itself");
  if (!existsSync(sourceFile)) throw new BackupError(`no database at ${sourceFile}`);
  if (existsSync(dest) && !options.overwrite)
    throw new BackupError(`${dest} already exists (use --force to replace it)`);
  mkdirSync(path.dirname(dest), { recursive: true });
  const tmp = `${dest}.tmp-${process.pid}`;
  // Read-write like the server's own connection (a read-only one cannot open a WAL database whose
  // -shm does not exist yet); nothing is written through it. Waits for a writer holding the lock.
  const source = new Database(sourceFile, { fileMustExist: true });
  try {
    source.pragma("busy_timeout = 10000");
    const pages = await copyWithBackupApi(source, tmp, options.pagesPerStep);
    finishCopy(tmp, "delete");
    const check = checkDatabaseFile(tmp);
    if (!check.ok) throw new BackupError(`the copy failed its check: ${check.problems.join("; ")}`);
    renameSync(tmp, dest);
    return {
      destination: dest,
      pages,
      bytes: statSync(dest).size,
      studies: check.studies,
      migrations: check.migrations,
      ms: Date.now() - started,
    };
  } finally {
    source.close();
    removeTmp(tmp);
  }
}

export interface RestoreReport {
  target: string;
  /** Where the database that was there before went (null: there was none). */
  previous: string | null;
  studies: number;
  migrations: number;
  ms: number;
}

export async function restoreDatabase(
  backupFile: string,
  target: string,
  options: { now?: Date } = {},
): Promise<RestoreReport> {
  const started = Date.now();
  const backup = path.resolve(backupFile);
  const dest = path.resolve(target);
  if (backup === dest) throw new BackupError("the backup and the database are the same file");
  const check = checkDatabaseFile(backup);
  if (!check.ok) throw new BackupError(`the backup ${backup} is not usable: ${check.problems.join("; ")}`);
  mkdirSync(path.dirname(dest), { recursive: true });
  const tmp = `${dest}.restore-${process.pid}`;
  const source = new Database(backup, { readonly: true, fileMustExist: true });
  let previous: string | null = null;
  try {
    await copyWithBackupApi(source, tmp, undefined);
    // A rollback journal like the backup; the server switches it to WAL when it opens it.
    finishCopy(tmp, "delete");
    const copied = checkDatabaseFile(tmp);
    if (!copied.ok) throw new BackupError(`the restored copy failed its check: ${copied.problems.join("; ")}`);
    if (existsSync(dest)) {
      // Moved aside with its WAL (a WAL left beside the restored file would be replayed into it).
      previous = `${dest}.before-restore-${(options.now ?? new Date()).toISOString().replace(/[:.]/g, "-")}`;
      for (const suffix of ["", "-wal", "-shm"])
        if (existsSync(dest + suffix)) renameSync(dest + suffix, previous + suffix);
    }
    for (const suffix of ["-wal", "-shm"]) rmSync(dest + suffix, { force: true });
    renameSync(tmp, dest);
    return { target: dest, previous, studies: copied.studies, migrations: copied.migrations, ms: Date.now() - started };
  } finally {
    source.close();
    removeTmp(tmp);
  }
}
