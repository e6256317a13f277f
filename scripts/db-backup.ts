/**
 * npm run db:backup -- <destination> — an online backup of DATABASE_PATH with SQLite's backup API,
 * safe while the server runs (app/models/backup.server.ts). Checked with PRAGMA integrity_check
 * before it is put in place.
 */
import { loadConfigOrExit } from "#app/config.server";
import { BackupError, backupDatabase } from "#app/models/backup.server";

const HELP = `Usage: npm run db:backup -- <destination.db> [--force] [--pages-per-step N]

Copies the database (DATABASE_PATH, default var/kliniske-studier.db) to <destination.db> with
SQLite's online backup API while the server may be running: the copy is a consistent snapshot
(the server keeps reading and writing meanwhile). The copy is one self-contained file (rollback
journal), is checked with PRAGMA integrity_check and only then renamed into place.

  --force              replace <destination.db> if it exists (default: refuse)
  --pages-per-step N   copy N pages per step instead of all at once (gentler on a busy disk; a
                       write by the server between steps makes SQLite start the copy again)

Restore with: npm run db:restore -- <backup.db>   (see docs/operations.md for retention)`;

const args = process.argv.slice(2);
if (args.includes("--help") || args.includes("-h")) {
  console.log(HELP);
  process.exit(0);
}
const force = args.includes("--force");
let pagesPerStep: number | undefined;
const positional: string[] = [];
for (let i = 0; i < args.length; i++) {
  const a = args[i]!;
  if (a === "--force") continue;
  if (a === "--pages-per-step") {
    const n = Number(args[++i]);
    if (!Number.isInteger(n) || n < 1) {
      console.error(`--pages-per-step: must be a whole number ≥ 1 (got ${JSON.stringify(args[i] ?? "")})`);
      process.exit(2);
    }
    pagesPerStep = n;
  } else if (a.startsWith("-")) {
    console.error(`Unknown option ${a}\n\n${HELP}`);
    process.exit(2);
  } else positional.push(a);
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
