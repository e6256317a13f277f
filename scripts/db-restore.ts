/**
 * npm run db:restore -- <backup> — puts a backup made by `npm run db:backup` in place as
 * DATABASE_PATH, after checking it (app/models/backup.server.ts). Refuses while a server holds the
 * database (its <DATABASE_PATH>.server.json names a live process) unless --force.
 */
import { loadConfigOrExit } from "#app/config.server";
import { BackupError, restoreDatabase } from "#app/models/backup.server";
import { runningServer, serverPidFile } from "#app/ops/server-pid.server";
import { parseScriptArgs } from "./lib/cli-args";

const HELP = `Usage: npm run db:restore -- <backup.db> [--force]

Checks <backup.db> (PRAGMA integrity_check, and that it is a Kliniske studier database), moves the
current database (DATABASE_PATH, default var/kliniske-studier.db) aside to
<DATABASE_PATH>.before-restore-<time> with its -wal/-shm (never deleted), and copies the backup in
with SQLite's backup API. Start the server afterwards: it applies any newer migrations.

Refuses while a running server holds DATABASE_PATH (recorded in <DATABASE_PATH>.server.json):
stop it first (SIGTERM; it shuts down gracefully). A server still writing into a replaced file
would lose those writes.

  --force   restore even though a running server is recorded (only when you know it is not)`;

const { values, positionals: positional } = parseScriptArgs(HELP, {
  allowPositionals: true,
  options: { force: { type: "boolean", default: false } },
});
const force = values.force;
if (positional.length !== 1) {
  console.error(`Give exactly one backup file.\n\n${HELP}`);
  process.exit(2);
}

const config = loadConfigOrExit();
const holder = runningServer(config.DATABASE_PATH);
if (holder && !force) {
  console.error(
    `Refusing to restore: a server (pid ${holder.pid}${holder.port ? `, port ${holder.port}` : ""}, started ${holder.startedAt}) ` +
      `holds ${config.DATABASE_PATH} (${serverPidFile(config.DATABASE_PATH)}). Stop it first, or pass --force if it is not running.`,
  );
  process.exit(1);
}
try {
  const r = await restoreDatabase(positional[0]!, config.DATABASE_PATH);
  console.log(
    `Restored ${positional[0]} to ${r.target}: ${r.studies} studies, ${r.migrations} migrations; integrity_check ok.` +
      (r.previous ? ` The database that was there is kept as ${r.previous}.` : ""),
  );
} catch (error) {
  console.error(`Restore failed: ${error instanceof BackupError ? error.message : (error as Error).message}`);
  process.exit(1);
}
