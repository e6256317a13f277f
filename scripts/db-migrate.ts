/**
 * npm run db:migrate — apply pending SQL migrations from data/migrations and refresh the
 * reference lists (regions, organisations, hospitals, HRCS, ICD-10). Never seeds demo data.
 */
import { loadConfigOrExit } from "#app/config.server";
import { closeDb, getDb } from "#app/db.server";
import { prepareDatabase } from "#app/boot.server";
import { appliedMigrations } from "#app/models/migrations.server";
import { parseScriptArgs } from "./lib/cli-args";

const HELP = `Usage: npm run db:migrate

Applies pending migrations (data/migrations/NNNN_name.sql) to DATABASE_PATH in order, each in a
transaction, and records them in schema_migrations. Refuses to run if a migration that was already
applied has been edited. Also refreshes the reference lists from data/reference and loads the
shipped reference data where the database holds something else: the postcode list
(data/reference/postcodes.tsv.gz) and ICD-10 / ICPC-2 from @navikt/diagnosekoder; studies whose
search documents depend on changed data are queued for reindexing (the server drains the queue).

Environment: DATABASE_PATH (default var/kliniske-studier.db)`;

parseScriptArgs(HELP, { options: {} });

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
  const ref = report.reference;
  if (ref.postcodes) console.log(`Postcodes: ${ref.postcodes.loaded} loaded from data/reference/postcodes.tsv.gz.`);
  if (ref.codes)
    console.log(
      `Diagnosis codes: ${ref.codes.version}: ${ref.codes.icd10Added} ICD-10 added, ${ref.codes.icd10Renamed} renamed, ${ref.codes.icpc2} ICPC-2.`,
    );
  for (const p of ref.codes?.problems.slice(0, 20) ?? []) console.warn(`  ${p}`);
  if (ref.reindexed) console.log(`${ref.reindexed} studies queued for reindexing (reference data changed).`);
  closeDb();
} catch (error) {
  console.error(`Migration failed: ${(error as Error).message}`);
  process.exit(1);
}
