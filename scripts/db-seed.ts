/**
 * npm run db:seed — load the project's fictional demo studies now (dates relative to today).
 * Safe to run again: demo studies are matched by their DEMO-NNN keys and updated, never duplicated.
 */
import { loadConfigOrExit } from "#app/config.server";
import { closeDb, getDb } from "#app/db.server";
import { prepareDatabase } from "#app/boot.server";
import { seedDemoStudies } from "#app/seed/demo-seed.server";
import { parseScriptArgs } from "./lib/cli-args";

const HELP = `Usage: npm run db:seed

Migrates DATABASE_PATH if needed, then writes the fictional demo studies (data/seed/demo-studies.ts)
with inclusion dates relative to today in Europe/Oslo. Running it again updates the demo studies
(a new version only where something changed, e.g. on a later day); it never duplicates them.
npm start seeds an empty database automatically (SEED_DEMO_DATA=true).

Environment: DATABASE_PATH (default var/kliniske-studier.db)`;

parseScriptArgs(HELP, { options: {} });

const config = loadConfigOrExit();
const db = getDb();
prepareDatabase(db, { seedDemoData: false });
const report = seedDemoStudies(db);
console.log(
  `Demo studies for ${report.today} in ${config.DATABASE_PATH}: ${report.created} created, ${report.updated} updated, ${report.unchanged} unchanged, ${report.failed.length} rejected.`,
);
for (const f of report.failed) {
  console.error(`  ${f.key}: ${f.problems.map((p) => `${p.field}: ${p.message}`).join("; ")}`);
}
closeDb();
process.exit(report.failed.length ? 1 : 0);
