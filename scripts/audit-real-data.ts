/**
 * npm run audit:real-data [-- --json] [--today YYYY-MM-DD]
 * How truthfully the portal reads the real files in ../shared/data (issue 16): per source, the
 * records in / stored / unchanged / skipped / rejected / held when ingested into a fresh database,
 * and against the truth table (tests/fixtures/real-data/truth-table.json) the agreement of each
 * site's status with the source's own status on the record's last-update day, sites and leads
 * (none invented, none dropped), and fields lost.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { loadReferenceData } from "#app/boot.server";
import { openDatabase } from "#app/db.server";
import { isCalendarDate } from "#app/domain/calendar-date";
import { buildMapContext } from "#app/ingest/formats.server";
import { ingestBatch } from "#app/ingest/ingest-service.server";
import { migrate } from "#app/models/migrations.server";
import { upsertReferenceData } from "#app/models/reference.server";
import {
  byExternalId,
  checkRecord,
  DATA_ROOT,
  loadTruth,
  mapSource,
  realDataAvailable,
  SOURCES,
  type Check,
  type SourceKey,
} from "./lib/real-data-truth";
import { parseScriptArgs } from "./lib/cli-args";

const HELP = `Usage: npm run audit:real-data -- [--json] [--today YYYY-MM-DD]

Reads every real source in ../shared/data with the portal's own mappers, ingests each into a fresh
temporary database (sent by St. Olavs hospital HF, authorised for UNN and Finnmarkssykehuset, as a
regional listing would be), and prints per source:
  records in, stored, unchanged, skipped, rejected, held (received = stored + unchanged + skipped + rejected)
  status agreement with the source's own status on each record's last-update day (truth table)
  status agreement at --today (default 2026-12-07, the day the truth table was read)
  sites and leads that disagree with the source (an invented or dropped site, a guessed lead)
  fields lost (official title, keywords, healthy volunteers stated or not)
--json prints the same as JSON. Exit code 1 when any site or lead disagrees.
Environment: KLINISKE_SHARED_DATA reads the real files from another folder than ../shared/data
(the ECLAIRE FHIR files are read from their vendored copies in tests/fixtures).`;

const { values } = parseScriptArgs(HELP, {
  options: {
    json: { type: "boolean", default: false },
    today: { type: "string", default: "2026-12-07" },
  },
});
if (!isCalendarDate(values.today!)) {
  console.error(`--today must be a date YYYY-MM-DD\n\n${HELP}`);
  process.exit(2);
}
if (!realDataAvailable()) {
  console.error(`The real files are not here (${DATA_ROOT}): they sit beside the project in CI only.`);
  process.exit(2);
}

const today = values.today!;
const now = new Date(`${today}T11:00:00Z`);
const truth = loadTruth();
const rows: Record<string, unknown>[] = [];
let disagreements = 0;
const dir = mkdtempSync(path.join(tmpdir(), "ks-audit-"));
try {
  for (const source of Object.keys(SOURCES) as SourceKey[]) {
    const db = openDatabase(path.join(dir, `${source}.db`));
    migrate(db);
    upsertReferenceData(db, loadReferenceData());
    const ctx = buildMapContext(db, "st-olavs", now);
    const mapped = mapSource(source, ctx);
    const report = ingestBatch(db, mapped, {
      organisationId: "st-olavs",
      alsoFor: ["unn", "finnmarkssykehuset"],
      format: SOURCES[source].format,
      mode: "partial",
      now,
    });
    db.close();
    const byId = byExternalId(mapped);
    const records = truth.records.filter((r) => r.source === source);
    const checks: Check[] = records.flatMap((r) => checkRecord(r, byId.get(r.externalId), today));
    const of = (kind: Check["kind"]) => checks.filter((c) => c.kind === kind);
    const share = (list: Check[]) => `${list.filter((c) => c.ok).length}/${list.length}`;
    const wrong = [...of("site"), ...of("lead")].filter((c) => !c.ok);
    disagreements += source === "ctgov-csv-ms" ? 0 : wrong.length;
    rows.push({
      source,
      recordsIn: report.received,
      stored: report.created + report.changed,
      unchanged: report.unchanged,
      skipped: report.skipped,
      rejected: report.rejected,
      held: report.held,
      truthRecords: records.length,
      statusOnUpdateDay: share(of("status-on-update-day")),
      statusToday: share(of("status")),
      sitesAndLeads: share([...of("site"), ...of("lead")]),
      fieldsKept: share(of("field")),
      problems: checks.filter((c) => !c.ok).map((c) => c.what),
      firstRejection: report.rejections[0]?.message ?? null,
    });
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

if (values.json) console.log(JSON.stringify({ today, sources: rows }, null, 2));
else {
  const cols = [
    "source",
    "recordsIn",
    "stored",
    "unchanged",
    "skipped",
    "rejected",
    "held",
    "statusOnUpdateDay",
    "statusToday",
    "sitesAndLeads",
    "fieldsKept",
  ];
  const table = [cols, ...rows.map((r) => cols.map((c) => String(r[c])))];
  const widths = cols.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
  for (const row of table) console.log(row.map((cell, i) => cell.padEnd(widths[i]!)).join("  "));
  for (const r of rows) {
    const problems = r.problems as string[];
    if (r.source === "ctgov-csv-ms")
      console.log(
        `\nctgov-csv-ms: not a ClinicalTrials.gov format (a third party's flattening); refused whole: ${String(r.firstRejection)}`,
      );
    else if (problems.length) console.log(`\n${String(r.source)}:\n  ${problems.join("\n  ")}`);
  }
  console.log(
    `\nstatus checked at each record's last-update day and at ${today}; received = stored + unchanged + skipped + rejected.`,
  );
}
process.exit(disagreements > 0 ? 1 : 0);
