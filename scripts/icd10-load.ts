/**
 * npm run icd10:load -- <file.json>
 * Loads the full Norwegian ICD-10 list ([{ code, text }], e.g. ../shared/data/icd10-no/navikt_ICD10_no.json)
 * into icd10_codes, so diagnosis names are indexed for search and offered in autocomplete.
 */
import { readFileSync } from "node:fs";
import { loadConfigOrExit } from "#app/config.server";
import { closeDb, getDb } from "#app/db.server";
import { prepareDatabase } from "#app/boot.server";
import { decodeUtf8Strict } from "#app/ingest/text-decoding";
import { parseIcd10List } from "#app/ingest/icd10-list";
import { countIcd10Codes, upsertIcd10Codes } from "#app/models/icd10.server";
import { onePositional, parseScriptArgs } from "./lib/cli-args";

const HELP = `Usage: npm run icd10:load -- <icd10.json>

Adds or renames ICD-10 codes from a JSON list of { "code": "C509", "text": "Ondartet svulst i bryst, uspesifisert" }
(the format of the Norwegian list published by NAV / Helsedirektoratet, codes without a dot), e.g.
../shared/data/icd10-no/navikt_ICD10_no.json. Never deletes a code. Bad entries are listed and
skipped; the good ones are loaded. Run npm run search:reindex afterwards so names are searchable.
Environment: DATABASE_PATH.`;

const { positionals } = parseScriptArgs(HELP, { allowPositionals: true, options: {} });
const file = onePositional(HELP, positionals);
loadConfigOrExit();
const db = getDb();
prepareDatabase(db, { seedDemoData: false });
let text: string;
try {
  text = decodeUtf8Strict(readFileSync(file));
} catch (e) {
  console.error(`${file}: ${(e as Error).message}`);
  process.exit(1);
}
const parsed = parseIcd10List(text);
for (const p of parsed.problems.slice(0, 20)) console.error(`  ${p.ref}, ${p.field}: ${p.message}`);
if (parsed.entries.length === 0) {
  console.error("No ICD-10 codes loaded.");
  process.exit(1);
}
const { added, renamed } = upsertIcd10Codes(db, parsed.entries);
console.log(
  `Read ${parsed.entries.length} codes: ${added} added, ${renamed} renamed; ${parsed.problems.length} entr${parsed.problems.length === 1 ? "y" : "ies"} skipped. ${countIcd10Codes(db)} codes in the database.`,
);
closeDb();
process.exit(parsed.problems.length ? 1 : 0);
