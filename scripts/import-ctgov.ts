/**
 * npm run import:ctgov -- [--format ctgov-json|ctgov-csv] [--dry-run] [--json] <file>
 * Imports ClinicalTrials.gov studies that have Norwegian sites, each site written by its organisation.
 */
import { readFileSync, statSync } from "node:fs";
import { parseArgs } from "node:util";
import { loadConfigOrExit } from "../app/config.server";
import { closeDb, getDb } from "../app/db.server";
import { prepareDatabase } from "../app/boot.server";
import { importCtgov } from "../app/ingest/registry-import.server";

const HELP = `Usage: npm run import:ctgov -- [--format ctgov-json|ctgov-csv] [--dry-run] [--json] <file>

Imports ClinicalTrials.gov data (API v2 JSON: one study, an array, JSON Lines or the website's
"Download JSON" zip; or the website's "Download CSV") for studies with a site in Norway. Each
Norwegian location is matched to its organisation and written as that organisation's site.
ClinicalTrials.gov has no per-site inclusion dates: the study's start and primary completion
dates are used for every Norwegian site (see app/ingest/mappers/ctgov-json.ts).
A registry import never withdraws anything. Environment: DATABASE_PATH.`;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    format: { type: "string", default: "ctgov-json" },
    "dry-run": { type: "boolean", default: false },
    json: { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  },
});
if (values.help) {
  console.log(HELP);
  process.exit(0);
}
if (positionals.length !== 1 || (values.format !== "ctgov-json" && values.format !== "ctgov-csv")) {
  console.error(HELP);
  process.exit(2);
}
const file = positionals[0]!;
if (statSync(file, { throwIfNoEntry: false }) == null) {
  console.error(`Cannot read ${file}`);
  process.exit(2);
}
loadConfigOrExit();
const db = getDb();
prepareDatabase(db, { seedDemoData: false });
const report = importCtgov(db, readFileSync(file), { format: values.format, dryRun: values["dry-run"] });
if (values.json) console.log(JSON.stringify(report, null, 2));
else {
  console.log(`${values["dry-run"] ? "DRY RUN — " : ""}${file}: ${report.received} records, ${report.skipped} without a Norwegian site, ${report.studies} imported, ${report.unmatched.length} unmatched, ${report.rejectedCount} rejected`);
  console.table(report.perOrganisation);
  for (const r of [...report.rejected, ...report.unmatched]) console.log(`  ${r.ref}${r.externalId ? ` (${r.externalId})` : ""}: ${r.field}: ${r.message}`);
}
closeDb();
process.exit(report.rejectedCount > 0 ? 1 : 0);
