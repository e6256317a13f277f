/**
 * npm run ingest -- --org <id> --format <fmt> [--full] [--dry-run] [--json] <file|dir|zip>
 * Reads one organisation's studies through the same ingest service the HTTP API uses.
 */
import { readFileSync, statSync } from "node:fs";
import { loadConfigOrExit } from "#app/config.server";
import { closeDb, getDb } from "#app/db.server";
import { prepareDatabase } from "#app/boot.server";
import { ingestBatch } from "#app/ingest/ingest-service.server";
import { buildMapContext, mapInput, supportedFormats } from "#app/ingest/formats.server";
import { directoryFiles, mapDirectory } from "#app/ingest/map-directory";
import { INGEST_FORMATS, type IngestFormat } from "#app/ingest/types";
import { parseScriptArgs } from "./lib/cli-args";

const HELP = `Usage: npm run ingest -- --org <organisation-id> [--also-for <ids>] --format <format> [--full] [--dry-run] [--json] <file|dir|zip>

Reads studies sent by one organisation (health trust or hospital) into the portal.

  --org <id>       the sending organisation, e.g. st-olavs (it owns the sites it sends)
  --also-for <ids> comma-separated organisations the sender may also send for (a regional listing
                   naming several trusts, e.g. unn,finnmarkssykehuset): a record "utført av" one of
                   them belongs to it. Records led by anyone else stay the sender's, with a warning.
  --format <fmt>   ${INGEST_FORMATS.join(" | ")} (supported now: ${supportedFormats().join(", ")})
  --full           the file is the organisation's complete list: its sites in studies that are
                   not in the file are withdrawn (never deleted). Without --full nothing is withdrawn.
  --dry-run        do everything, report it, write nothing
  --json           print the report as JSON
  --max-mb <n>     refuse input larger than this (default 200; a folder counts all its files)

A folder is read as one batch: every file in it (sorted by name, hidden files skipped) in the
given format; errors name the file and the record. A ClinicalTrials.gov "Download JSON" zip is
read by --format ctgov-json directly.

Exit code 0 when every record was stored, 1 when any was rejected, 2 on bad usage.
Environment: DATABASE_PATH (default var/kliniske-studier.db)`;

const { values, positionals } = parseScriptArgs(HELP, {
  allowPositionals: true,
  options: {
    org: { type: "string" },
    "also-for": { type: "string", default: "" },
    format: { type: "string" },
    full: { type: "boolean", default: false },
    "dry-run": { type: "boolean", default: false },
    json: { type: "boolean", default: false },
    "max-mb": { type: "string", default: "200" },
  },
});
const usage = (message: string) => {
  console.error(`${message}\n\n${HELP}`);
  process.exit(2);
};
if (!values.org) usage("Missing --org");
if (!values.format || !(INGEST_FORMATS as readonly string[]).includes(values.format))
  usage(`--format must be one of ${INGEST_FORMATS.join(", ")}`);
if (positionals.length !== 1) usage("Give exactly one file or folder");
const file = positionals[0]!;
const maxBytes = Number(values["max-mb"]) * 1024 * 1024;
let size: number;
let isDirectory = false;
try {
  const stat = statSync(file);
  isDirectory = stat.isDirectory();
  size = isDirectory ? directoryFiles(file).reduce((n, f) => n + f.bytes, 0) : stat.size;
} catch {
  usage(`Cannot read ${file}`);
  process.exit(2);
}
if (!(size <= maxBytes)) usage(`${file} is ${(size / 1e6).toFixed(1)} MB, more than --max-mb ${values["max-mb"]}`);

loadConfigOrExit();
const db = getDb();
prepareDatabase(db, { seedDemoData: false });
const format = values.format as IngestFormat;
let report;
try {
  const ctx = buildMapContext(db, values.org!);
  const started = Date.now();
  const mapped = isDirectory
    ? mapDirectory(file, (input) => mapInput(format, input, ctx))
    : mapInput(format, readFileSync(file), ctx);
  const isTty = process.stderr.isTTY && !values.json;
  report = ingestBatch(db, mapped, {
    organisationId: values.org!,
    alsoFor: values["also-for"]!.split(",")
      .map((s) => s.trim())
      .filter(Boolean),
    format,
    mode: values.full ? "full" : "partial",
    dryRun: values["dry-run"],
    onProgress: isTty
      ? (done, total) => {
          const width = 30;
          const filled = Math.round((done / Math.max(total, 1)) * width);
          process.stderr.write(`\r[${"#".repeat(filled)}${".".repeat(width - filled)}] ${done}/${total}`);
          if (done === total) process.stderr.write("\n");
        }
      : undefined,
  });
  const seconds = (Date.now() - started) / 1000;
  if (values.json) {
    const { changedIds: _changedIds, ...shown } = report;
    console.log(JSON.stringify({ ...shown, seconds }, null, 2));
  } else {
    console.log(
      `${report.dryRun ? "DRY RUN (nothing written) — " : ""}${file} as ${format} from ${report.organisationId} (${report.mode}), ${seconds.toFixed(1)} s`,
    );
    console.table({
      received: report.received,
      created: report.created,
      changed: report.changed,
      unchanged: report.unchanged,
      skipped: report.skipped,
      rejected: report.rejected,
      held: report.held,
      withdrawn: report.withdrawn,
      conflicts: report.conflicts,
    });
    console.log(
      `  received ${report.received} = stored ${report.created + report.changed} + unchanged ${report.unchanged} + skipped ${report.skipped} + rejected ${report.rejected}`,
    );
    for (const s of report.skippedReasons) {
      const shown = s.records.slice(0, 10).map((r) => r.externalId ?? r.ref);
      console.log(`  skipped ${s.count}: ${s.reason} (${shown.join(", ")}${s.count > shown.length ? ", …" : ""})`);
    }
    for (const h of report.holds) console.log(`  held for an editor ${h.ref}: ${h.reasons.join("; ")}`);
    for (const r of report.rejections) console.log(`  rejected ${r.ref}: ${r.field}: ${r.message}`);
    if (report.warnings.length)
      console.log(
        `  ${report.warnings.length} warning(s); first: ${report.warnings
          .slice(0, 5)
          .map((w) => `${w.ref}: ${w.message}`)
          .join(" | ")}`,
      );
    if (report.runId) console.log(`  ingest run ${report.runId}`);
  }
} catch (error) {
  console.error(`Ingest failed: ${(error as Error).message}`);
  closeDb();
  process.exit(1);
}
closeDb();
// Exit once a large report has reached a piped stdout (process.exit alone may cut it short).
const exitCode = report.rejected > 0 ? 1 : 0;
process.stdout.write("", () => process.exit(exitCode));
