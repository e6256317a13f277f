/**
 * node --import tsx scripts/bench-backfill-0018.ts [-- --studies 5000]
 *
 * How long migration 0018's backfill of site confirmations takes: writes N studies with two sites
 * and two versions each (the second changes one site) into a fresh temporary database, clears the
 * confirmation columns, and runs the backfill statements of data/migrations/0018_site_confirmations.sql
 * in one transaction. Prints sites, versions and milliseconds. The database is deleted afterwards.
 */
import { readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { tmpdir } from "node:os";
import { mkdtempSync } from "node:fs";
import { loadReferenceData } from "#app/boot.server";
import { openDatabase } from "#app/db.server";
import { migrate } from "#app/models/migrations.server";
import { upsertReferenceData } from "#app/models/reference.server";
import { saveStudy } from "#app/models/study.server";
import { parseScriptArgs } from "./lib/cli-args";

const HELP = `Usage: node --import tsx scripts/bench-backfill-0018.ts [--studies N]

Times the backfill of migration 0018 (site confirmations, ADR 0019) on N generated studies
(2 sites and 2 versions each) in a temporary database.

  --studies <n>   number of studies (default 5000)
  -h, --help      this text`;

const { values } = parseScriptArgs(HELP, {
  options: { studies: { type: "string", default: "5000" } },
});
const n = Number(values.studies);
if (!Number.isInteger(n) || n < 1) {
  console.error(`--studies must be a whole number ≥ 1 (got "${values.studies}")\n\n${HELP}`);
  process.exit(2);
}

const dir = mkdtempSync(path.join(tmpdir(), "ks-backfill-"));
try {
  const db = openDatabase(path.join(dir, "bench.db"));
  migrate(db);
  upsertReferenceData(db, loadReferenceData());
  const actor = { kind: "system" as const, name: "bench" };
  for (let i = 0; i < n; i++) {
    const sites = [
      { organisationId: "ous", inclusionStart: "2026-01-01", inclusionEnd: "2027-01-01" },
      { organisationId: "st-olavs", inclusionStart: "2026-01-01", inclusionEnd: "2027-01-01" },
    ];
    const base = {
      identifiers: { rek: String(100000 + i) },
      title: { nb: `Studie ${i}` },
      summary: { nb: "S." },
      studyType: "other" as const,
      leadOrganisationId: "ous",
      publicationState: "published" as const,
      sites,
    };
    const r = saveStudy(db, base, { actor, now: new Date("2025-01-01T10:00:00Z") });
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    saveStudy(
      db,
      { ...base, sites: [sites[0]!, { ...sites[1]!, inclusionEnd: "2027-06-01" }] },
      { studyId: r.studyId, actor, now: new Date("2025-06-01T10:00:00Z") },
    );
  }
  const migration = readFileSync("data/migrations/0018_site_confirmations.sql", "utf8");
  const backfill = migration.slice(
    migration.indexOf("CREATE TABLE backfill_0018"),
    migration.indexOf("DROP TABLE backfill_0018;") + "DROP TABLE backfill_0018;".length,
  );
  db.exec(
    "UPDATE study_sites SET confirmed_at = NULL, confirmed_on = NULL, confirmed_by_kind = NULL, confirmed_by_id = NULL, confirmed_by_name = NULL",
  );
  const started = performance.now();
  db.transaction(() => db.exec(backfill))();
  const ms = performance.now() - started;
  const count = (table: string) => db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
  const filled = db
    .prepare("SELECT count(*) FROM study_sites WHERE confirmed_by_kind = 'backfill'")
    .pluck()
    .get() as number;
  console.log(
    `studies ${n} · sites ${count("study_sites")} (backfilled ${filled}) · versions ${count("study_versions")} · backfill ${ms.toFixed(0)} ms`,
  );
  db.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
