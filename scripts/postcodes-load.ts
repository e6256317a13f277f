/**
 * npm run postcodes:load -- <file.tsv>
 * Loads Norwegian postcodes with coordinates (Erik Bolstad's list, www.erikbolstad.no/postnummer/,
 * CC BY 3.0) into the postcodes table, replacing the old list in one transaction.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { loadConfigOrExit } from "#app/config.server";
import { closeDb, getDb } from "#app/db.server";
import { prepareDatabase } from "#app/boot.server";
import { parseBolstadPostcodes } from "#app/ingest/postcodes";
import { replacePostcodes } from "#app/models/postcode.server";
import { onePositional, parseScriptArgs } from "./lib/cli-args";

const HELP = `Usage: npm run postcodes:load -- <postnummer.tsv>

Loads the tab-separated postnummer list with coordinates by Erik Bolstad
(www.erikbolstad.no/postnummer/, CC BY 3.0 — credit it where distances are shown), e.g.
../shared/data/norway-postcodes/erikbolstad_postnummer.tsv. Environment: DATABASE_PATH.`;

const { positionals } = parseScriptArgs(HELP, { allowPositionals: true, options: {} });
const file = onePositional(HELP, positionals);
loadConfigOrExit();
const db = getDb();
prepareDatabase(db, { seedDemoData: false });
const parsed = parseBolstadPostcodes(readFileSync(file, "utf8"));
if (parsed.rows.length === 0) {
  console.error(`No postcodes loaded: ${parsed.problems.map((p) => `line ${p.line}: ${p.message}`).join("; ")}`);
  process.exit(1);
}
const n = replacePostcodes(db, parsed.rows, path.basename(file));
console.log(
  `Loaded ${n} postcodes (${parsed.rows.filter((r) => r.inUse).length} in use); ${parsed.problems.length} line(s) skipped.`,
);
for (const p of parsed.problems.slice(0, 10)) console.log(`  line ${p.line}: ${p.message}`);
closeDb();
