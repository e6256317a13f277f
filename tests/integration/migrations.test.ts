import { cpSync, readdirSync, rmSync, writeFileSync, appendFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase } from "#app/db.server";
import { appliedMigrations, DEFAULT_MIGRATIONS_DIR, migrate, readMigrations } from "#app/models/migrations.server";
import { tempDir } from "../helpers/db";

const dirs: string[] = [];
afterEach(() => {
  while (dirs.length) rmSync(dirs.pop()!, { recursive: true, force: true });
});
function scratch() {
  const dir = tempDir();
  dirs.push(dir);
  return dir;
}

describe("SQLite store and migrations", () => {
  it("opens with WAL, foreign keys and a busy timeout", () => {
    const db = openDatabase(path.join(scratch(), "a.db"));
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(db.pragma("foreign_keys", { simple: true })).toBe(1);
    expect(db.pragma("busy_timeout", { simple: true })).toBe(5000);
    db.close();
  });

  it("applies every migration in order once, and records it", () => {
    const db = openDatabase(path.join(scratch(), "b.db"));
    const available = readMigrations();
    expect(available.length).toBeGreaterThan(0);
    expect(available.map((m) => m.version)).toEqual([...available.map((m) => m.version)].sort((a, b) => a - b));
    const first = migrate(db);
    expect(first.map((m) => m.version)).toEqual(available.map((m) => m.version));
    expect(migrate(db)).toEqual([]);
    const applied = appliedMigrations(db);
    expect(applied.map((m) => m.version)).toEqual(available.map((m) => m.version));
    expect(applied.every((m) => m.checksum === available.find((a) => a.version === m.version)!.checksum)).toBe(true);
    db.close();
  });

  it("refuses to run when a landed migration was edited", () => {
    const dir = scratch();
    const migrations = path.join(dir, "migrations");
    cpSync(DEFAULT_MIGRATIONS_DIR, migrations, { recursive: true });
    const db = openDatabase(path.join(dir, "c.db"));
    migrate(db, migrations);
    const first = readdirSync(migrations).sort()[0]!;
    appendFileSync(path.join(migrations, first), "\n-- an edit after landing\n");
    expect(() => migrate(db, migrations)).toThrow(/was edited after it was applied/);
    db.close();
  });

  it("refuses a database that is newer than the code", () => {
    const dir = scratch();
    const migrations = path.join(dir, "migrations");
    cpSync(DEFAULT_MIGRATIONS_DIR, migrations, { recursive: true });
    writeFileSync(
      path.join(migrations, "9999_future.sql"),
      "CREATE TABLE future_thing (id INTEGER PRIMARY KEY) STRICT;",
    );
    const db = openDatabase(path.join(dir, "d.db"));
    migrate(db, migrations);
    rmSync(path.join(migrations, "9999_future.sql"));
    expect(() => migrate(db, migrations)).toThrow(/does not know/);
    db.close();
  });

  it("rolls back a failing migration completely and applies nothing of it", () => {
    const dir = scratch();
    const migrations = path.join(dir, "migrations");
    cpSync(DEFAULT_MIGRATIONS_DIR, migrations, { recursive: true });
    writeFileSync(
      path.join(migrations, "9998_broken.sql"),
      "CREATE TABLE half_done (id INTEGER) STRICT;\nTHIS IS NOT SQL;",
    );
    const db = openDatabase(path.join(dir, "e.db"));
    expect(() => migrate(db, migrations)).toThrow();
    expect(appliedMigrations(db).some((m) => m.version === 9998)).toBe(false);
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'half_done'").pluck().get()).toBe(0);
    db.close();
  });

  it("rejects badly named migration files", () => {
    const dir = scratch();
    writeFileSync(path.join(dir, "add_things.sql"), "SELECT 1;");
    expect(() => readMigrations(dir)).toThrow(/must look like 0001_name.sql/);
  });
});
