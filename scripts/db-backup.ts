/**
 * npm run db:backup -- <destination> — an online backup of DATABASE_PATH with SQLite's backup API,
 * safe while the server runs (app/models/backup.server.ts). Checked with PRAGMA integrity_check
 * before it is put in place.
 */
import { loadConfigOrExit } from "#app/config.server";
import { BackupError, backupDatabase } from "#app/models/backup.server";
import { parseScriptArgs } from "./lib/cli-args";

const HELP = `Usage: npm run db:backup -- <destination.db> [--force] [--pages-per-step N]

Copies the database (DATABASE_PATH, default var/kliniske-studier.db) to <destination.db> with
SQLite's online backup API while the server may be running: the copy is a consistent snapshot
(the server keeps reading and writing meanwhile). The copy is one self-contained file (rollback
journal), is checked with PRAGMA integrity_check and only then renamed into place.

  --force              replace <destination.db> if it exists (default: refuse)
  --pages-per-step N   copy N pages per step instead of all at once (gentler on a busy disk; a
                       write by the server between steps makes SQLite start the copy again)

Restore with: npm run db:restore -- <backup.db>   (see docs/operations.md for retention)`;

const { values, positionals: positional } = parseScriptArgs(HELP, {
  allowPositionals: true,
  options: { force: { type: "boolean", default: false }, "pages-per-step": { type: "string" } },
});
const force = values.force;
let pagesPerStep: number | undefined;
if (values["pages-per-step"] !== undefined) {
  const n = Number(values["pages-per-step"]);
  if (!Number.isInteger(n) || n < 1) {
    console.error(`--pages-per-step: must be a whole number ≥ 1 (got ${JSON.stringify(values["pages-per-step"])})`);
    process.exit(2);
  }
  pagesPerStep = n;
}
if (positional.length !== 1) {
  console.error(`Give exactly one destination file.\n\n${HELP}`);
  process.exit(2);
}

const config = loadConfigOrExit();
try {
  const r = await backupDatabase(config.DATABASE_PATH, positional[0]!, { overwrite: force, pagesPerStep });
  console.log(
    `Backup of ${config.DATABASE_PATH} written to ${r.destination}: ${r.studies} studies, ${r.migrations} migrations, ` +
      `${r.pages} pages (${(r.bytes / 1024 / 1024).toFixed(1)} MB) in ${r.ms} ms; integrity_check ok.`,
  );
} catch (error) {
  console.error(`Backup failed: ${error instanceof BackupError ? error.message : (error as Error).message}`);
  process.exit(1);
}
