/**
 * npm run bench:ingest [-- --count 100000] — ingest throughput and peak memory, beside the rate of
 * raw better-sqlite3 inserts of the same rows in the same run. Each measurement runs in its own
 * child process on a fresh database file so peak memory (max RSS) belongs to that phase alone.
 *
 * Phases:
 *   ctgov   all 1,202 real ClinicalTrials.gov v2 studies (../shared/data), as one organisation's feed
 *   native  a generated feed of --count studies (default 100,000) in the native format
 *   raw     the same native rows inserted with plain prepared statements (no validation, no
 *           merging, no diff), one transaction per chunk of 200 — the ceiling we compare against
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import path from "node:path";
import { openDatabase, type Db } from "#app/db.server";
import { prepareDatabase } from "#app/boot.server";
import { buildMapContext, mapInput } from "#app/ingest/formats.server";
import { ingestBatch } from "#app/ingest/ingest-service.server";
import { parseCtgovJson } from "#app/ingest/mappers/ctgov-json.server";
import { parseStudy, type Study } from "#app/domain/study";
import { canonicalStudy } from "#app/domain/study-snapshot";
import { generateNativeFeed } from "./lib/generate-native-feed";
import { parseScriptArgs } from "./lib/cli-args";

const HELP = `Usage: npm run bench:ingest [-- --count N]
Prints studies/second and peak memory for: the 1,202 real ClinicalTrials.gov v2 studies, a generated
native feed of N studies (default 100000), and raw better-sqlite3 inserts of the same N studies.`;

const { values } = parseScriptArgs(HELP, {
  options: {
    count: { type: "string", default: "100000" },
    phase: { type: "string" },
    db: { type: "string" },
    feed: { type: "string" },
  },
});

interface PhaseResult {
  phase: string;
  studies: number;
  seconds: number;
  perSecond: number;
  maxRssMb: number;
  note?: string;
}

function finish(phase: string, studies: number, started: number, note?: string): void {
  const seconds = (performance.now() - started) / 1000;
  const result: PhaseResult = {
    phase,
    studies,
    seconds: Number(seconds.toFixed(2)),
    perSecond: Math.round(studies / seconds),
    maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    note,
  };
  console.log(JSON.stringify(result));
}

function freshDatabase(file: string): Db {
  const db = openDatabase(file);
  prepareDatabase(db, { seedDemoData: false });
  return db;
}

/** Plain inserts of the rows the study model writes for a new study. */
function rawInsert(db: Db, studies: Study[]): void {
  const now = new Date().toISOString();
  const study = db.prepare(
    `INSERT INTO studies (rek_number, study_type, phase, min_age_years, max_age_years, sex, healthy_volunteers,
       lead_organisation_id, publication_state, current_version, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
  );
  const text = db.prepare("INSERT INTO study_texts (study_id, field, lang, text) VALUES (?, ?, ?, ?)");
  const category = db.prepare("INSERT INTO study_categories (study_id, category_id) VALUES (?, ?)");
  const icd = db.prepare("INSERT INTO study_icd10 (study_id, code) VALUES (?, ?)");
  const site = db.prepare(
    `INSERT INTO study_sites (study_id, organisation_id, hospital_id, inclusion_start, inclusion_end, contact_name, contact_email)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  const localId = db.prepare("INSERT INTO study_local_ids (study_id, organisation_id, local_id) VALUES (?, ?, ?)");
  const provenance = db.prepare(
    "INSERT INTO study_provenance (study_id, source_id, external_id, first_received_at, last_received_at) VALUES (?, 'raw', ?, ?, ?)",
  );
  const version = db.prepare(
    `INSERT INTO study_versions (study_id, version, created_at, actor_kind, actor_name, summary, snapshot, diff)
     VALUES (?, 1, ?, 'system', 'raw', 'Opprettet', ?, '[]')`,
  );
  db.prepare("INSERT INTO sources (id, kind, name, created_at) VALUES ('raw', 'feed', 'raw', ?)").run(now);
  for (let start = 0; start < studies.length; start += 200) {
    db.transaction(() => {
      for (const s of studies.slice(start, start + 200)) {
        const id = Number(
          study.run(
            s.identifiers.rek,
            s.studyType,
            s.phase,
            s.eligibility.minAgeYears,
            s.eligibility.maxAgeYears,
            s.eligibility.sex,
            0,
            s.leadOrganisationId,
            s.publicationState,
            now,
            now,
          ).lastInsertRowid,
        );
        text.run(id, "title", "nb", s.title.nb);
        if (s.summary.nb) text.run(id, "summary", "nb", s.summary.nb);
        if (s.eligibility.inclusionCriteria.nb)
          text.run(id, "inclusionCriteria", "nb", s.eligibility.inclusionCriteria.nb);
        if (s.eligibility.exclusionCriteria.nb)
          text.run(id, "exclusionCriteria", "nb", s.eligibility.exclusionCriteria.nb);
        for (const c of s.categories) category.run(id, c);
        for (const c of s.icd10) icd.run(id, c);
        for (const x of s.sites)
          site.run(
            id,
            x.organisationId,
            x.hospitalId,
            x.inclusionStart,
            x.inclusionEnd,
            x.contact?.name ?? null,
            x.contact?.email ?? null,
          );
        for (const l of s.localIds) localId.run(id, l.organisationId, l.localId);
        provenance.run(id, s.localIds[0]?.localId ?? String(id), now, now);
        version.run(id, now, JSON.stringify(s));
      }
    })();
  }
}

function runPhase(phase: string, dbFile: string, feedFile: string): void {
  const db = freshDatabase(dbFile);
  if (phase === "ctgov") {
    const input = readFileSync(path.resolve(process.cwd(), "../shared/data/ctgov-v2/ctgov_v2_studies.jsonl.gz"));
    const started = performance.now();
    // Every study, not only the Norwegian ones, so the whole pipeline is exercised 1,202 times.
    const mapped = parseCtgovJson(input, buildMapContext(db, "ous"), { norwayOnly: false });
    const report = ingestBatch(db, mapped, { organisationId: "ous", format: "ctgov-json", mode: "partial" });
    finish(
      "ctgov (1,202 real v2 studies: map + ingest)",
      report.created + report.changed + report.unchanged + report.rejected,
      started,
      `${report.created} stored, ${report.rejected} rejected`,
    );
  } else if (phase === "native") {
    const input = readFileSync(feedFile);
    const started = performance.now();
    const mapped = mapInput("native", input, buildMapContext(db, "ous"));
    const report = ingestBatch(db, mapped, { organisationId: "ous", format: "native", mode: "full" });
    finish("native feed (parse + validate + merge + version)", report.created, started, `${report.rejected} rejected`);
  } else if (phase === "native-again") {
    const input = readFileSync(feedFile);
    const ctx = buildMapContext(db, "ous");
    ingestBatch(db, mapInput("native", input, ctx), { organisationId: "ous", format: "native", mode: "full" });
    const started = performance.now();
    const report = ingestBatch(db, mapInput("native", input, ctx), {
      organisationId: "ous",
      format: "native",
      mode: "full",
    });
    finish("same native feed again (all unchanged)", report.unchanged, started);
  } else if (phase === "raw") {
    // Rows computed before the clock starts: only the inserts are timed.
    const mapped = mapInput("native", readFileSync(feedFile), buildMapContext(db, "ous"));
    const studies = mapped.records.map((r) => {
      const parsed = parseStudy({ ...r.study, localIds: [{ organisationId: "ous", localId: r.externalId }] });
      if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
      return canonicalStudy(parsed.study);
    });
    const started = performance.now();
    rawInsert(db, studies);
    finish("raw better-sqlite3 inserts of the same rows", studies.length, started);
  }
  db.close();
}

if (values.phase) {
  runPhase(values.phase, values.db!, values.feed!);
  process.exit(0);
}

const count = Number(values.count);
const dir = mkdtempSync(path.join(tmpdir(), "ks-bench-ingest-"));
try {
  const feed = path.join(dir, "feed.json");
  writeFileSync(feed, JSON.stringify(generateNativeFeed(count, { organisationId: "ous" })));
  console.log(
    `bench:ingest — ${new Date().toISOString()} — node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? "?"}, ${Math.round(totalmem() / 2 ** 30)} GiB`,
  );
  console.log(`generated native feed: ${count} studies, ${(readFileSync(feed).length / 1e6).toFixed(1)} MB\n`);
  const results: PhaseResult[] = [];
  for (const phase of ["ctgov", "native", "raw", "native-again"]) {
    const out = spawnSync(
      process.execPath,
      [
        "--import",
        "tsx",
        "scripts/bench-ingest.ts",
        "--phase",
        phase,
        "--db",
        path.join(dir, `${phase}.db`),
        "--feed",
        feed,
      ],
      {
        encoding: "utf8",
        maxBuffer: 64 * 1024 * 1024,
      },
    );
    if (out.status !== 0) throw new Error(`phase ${phase} failed:\n${out.stderr}`);
    results.push(JSON.parse(out.stdout.trim().split("\n").at(-1)!) as PhaseResult);
  }
  console.table(
    results.map((r) => ({
      phase: r.phase,
      studies: r.studies,
      seconds: r.seconds,
      "studies/s": r.perSecond,
      "peak RSS MB": r.maxRssMb,
      note: r.note ?? "",
    })),
  );
  const native = results.find((r) => r.phase.startsWith("native feed"))!;
  const raw = results.find((r) => r.phase.startsWith("raw"))!;
  console.log(
    `\nnative ingest rate is ${((100 * native.perSecond) / raw.perSecond).toFixed(0)}% of the raw insert rate (target ≥ 30%)`,
  );
  console.log(`${count} studies in ${native.seconds} s (target < 60 s for 100,000)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
