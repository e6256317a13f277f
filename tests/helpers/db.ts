/** A fresh, real SQLite database file per test file (deleted afterwards), migrated and with reference data. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { openDatabase, type Db } from "#app/db.server";
import { migrate } from "#app/models/migrations.server";
import { upsertReferenceData } from "#app/models/reference.server";
import { loadReferenceData } from "#app/boot.server";

export interface TestDb {
  db: Db;
  file: string;
  dir: string;
  cleanup: () => void;
}

export function tempDir(prefix = "ks-test-"): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

export function freshDb(options: { reference?: boolean } = {}): TestDb {
  const dir = tempDir();
  const file = path.join(dir, "test.db");
  const db = openDatabase(file);
  migrate(db);
  if (options.reference !== false) upsertReferenceData(db, loadReferenceData());
  return {
    db,
    file,
    dir,
    cleanup: () => {
      if (db.open) db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
