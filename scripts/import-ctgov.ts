/**
 * npm run import:ctgov -- [--format ctgov-json|ctgov-csv] [--dry-run] [--json] <file>
 * Imports ClinicalTrials.gov studies that have Norwegian sites, each site written by its organisation.
 */
import { readFileSync, statSync } from "node:fs";
import { loadConfigOrExit } from "#app/config.server";
import { closeDb, getDb } from "#app/db.server";
import { prepareDatabase } from "#app/boot.server";
import { importCtgov } from "#app/ingest/registry-import.server";
import { parseScriptArgs } from "./lib/cli-args";

const HELP = `Usage: npm run import:ctgov -- [--format ctgov-json|ctgov-csv] [--dry-run] [--json] <file>

Imports ClinicalTrials.gov data (API v2 JSON: one study, an array, JSON Lines or the website's
"Download JSON" zip; or the website's "Download CSV") for studies with a site in Norway. Each
Norwegian location that is a registered health trust or hospital is written as that
organisation's site; other Norwegian places (universities, companies' "Research Site"s, cities)
are kept as written beside it. A study with no registered Norwegian site has no organisation to
be responsible for it: it is reported as unmatched, not stored. ClinicalTrials.gov has no per-site
inclusion dates: each site's status is ClinicalTrials.gov's own (location status, else the overall
status) as of its last verification, and ESTIMATED dates are shown as expected, never as
inclusion dates (ADR 0012, app/ingest/mappers/ctgov-json.server.ts).
A registry import never withdraws anything. Environment: DATABASE_PATH.`;

const { values, positionals } = parseScriptArgs(HELP, {
  allowPositionals: true,
  options: {
    format: { type: "string", default: "ctgov-json" },
    "dry-run": { type: "boolean", default: false },
    json: { type: "boolean", default: false },
  },
});
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
  console.log(
    `${values["dry-run"] ? "DRY RUN — " : ""}${file}: received ${report.received} = stored ${report.stored} + unchanged ${report.unchanged} + skipped ${report.skipped} + rejected ${report.rejectedCount}; ${report.held} held for an editor`,
  );
  for (const s of report.skippedReasons) {
    const shown = s.records.slice(0, 10).map((r) => r.externalId ?? r.ref);
    console.log(`  skipped ${s.count}: ${s.reason} (${shown.join(", ")}${s.count > shown.length ? ", …" : ""})`);
  }
  console.table(report.perOrganisation);
  if (report.importId != null)
    console.log(
      `  registry import ${report.importId}; ingest runs ${report.perOrganisation.map((o) => o.runId).join(", ")}`,
    );
  for (const r of [...report.rejected, ...report.unmatched])
    console.log(`  ${r.ref}${r.externalId ? ` (${r.externalId})` : ""}: ${r.field}: ${r.message}`);
}
closeDb();
process.exit(report.rejectedCount > 0 ? 1 : 0);
