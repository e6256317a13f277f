/**
 * npm run db:migrate — apply pending SQL migrations from data/migrations and refresh the
 * reference lists (regions, organisations, hospitals, HRCS, ICD-10). Never seeds demo data.
 */
import { loadConfigOrExit } from "../app/config.server";
import { closeDb, getDb } from "../app/db.server";
import { prepareDatabase } from "../app/boot.server";
import { appliedMigrations } from "../app/models/migrations.server";

if (process.argv.includes("--help") || process.argv.includes("-h")) {
  console.log(`Usage: npm run db:migrate

Applies pending migrations (data/migrations/NNNN_name.sql) to DATABASE_PATH in order, each in a
transaction, and records them in schema_migrations. Refuses to run if a migration that was already
applied has been edited. Also refreshes the reference lists from data/reference.

Environment: DATABASE_PATH (default var/kliniske-studier.db)`);
  process.exit(0);
}

const config = loadConfigOrExit();
try {
  const db = getDb();
  const report = prepareDatabase(db, { seedDemoData: false });
  const all = appliedMigrations(db);
  console.log(
    report.migrationsApplied.length
      ? `Applied ${report.migrationsApplied.length} migration(s): ${report.migrationsApplied.join(", ")}`
      : "No pending migrations.",
  );
  console.log(`${config.DATABASE_PATH}: ${all.length} migration(s) applied in total.`);
  closeDb();
} catch (error) {
  console.error(`Migration failed: ${(error as Error).message}`);
  process.exit(1);
}
