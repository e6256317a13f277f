/**
 * Shared by scripts/bench-api.ts and scripts/load.ts: a database of generated, published studies
 * written through the study model (versions, change log, search outbox) like any ingest, the
 * built server started on it, and search-query → query-string mapping.
 */
import { spawn } from "node:child_process";
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, statSync } from "node:fs";
import { cpus, loadavg, tmpdir, totalmem } from "node:os";
import path from "node:path";
import { prepareDatabase } from "#app/boot.server";
import { openDatabase } from "#app/db.server";
import { addCalendarDays } from "#app/domain/calendar-date";
import { osloDate } from "#app/domain/inclusion-status";
import type { StudyInput } from "#app/domain/study";
import { saveStudy } from "#app/models/study.server";
import { issueToken } from "#app/models/token.server";
import type { SearchDocument, SearchQuery } from "#app/search/types";
import { generateDocuments } from "./search-bench-data";

/** One generated study (its site documents) as study-model input. */
export function toStudy(docs: SearchDocument[], index: number): StudyInput {
  const d = docs[0]!;
  const dayBefore = (ms: number) => addCalendarDays(osloDate(new Date(ms)), -1);
  return {
    identifiers: { rek: String(800_000 + index) },
    localIds: [{ organisationId: d.leadOrganisationId, localId: `BENCH-${index}` }],
    title: { nb: d.title, ...(d.titleEn ? { en: d.titleEn } : {}) },
    shortTitle: d.shortTitle ? { nb: d.shortTitle } : {},
    summary: { nb: d.summary ?? "Generert studie." },
    studyType: d.studyType,
    phase: (d.phase as StudyInput["phase"]) ?? null,
    categories: d.categories,
    conditions: d.conditions,
    icd10: d.icd10,
    interventions: d.interventions.map((name) => ({ type: "other" as const, name })),
    eligibility: {
      minAgeYears: d.minAgeYears,
      maxAgeYears: d.maxAgeYears,
      sex: d.sex,
      healthyVolunteers: d.healthyVolunteers,
    },
    leadOrganisationId: d.leadOrganisationId,
    sites: docs.map((s) => ({
      organisationId: s.organisationId!,
      hospitalId: s.hospitalId,
      inclusionStart: s.opensAt != null ? osloDate(new Date(s.opensAt)) : null,
      inclusionEnd: s.closesAt != null ? dayBefore(s.closesAt) : null,
      paused: s.paused,
      pauseReason: s.paused ? "Midlertidig stans (generert)" : null,
      contact: { name: "Studiekoordinator", email: "studie@example.no" },
    })),
    publicationState: "published",
  };
}

/** The machine, as the benchmarks print it first: figures are only comparable on the same kind. */
export function machineLine(): string {
  const load = loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");
  return `Machine: ${cpus().length} × ${cpus()[0]?.model ?? "?"}, ${Math.round(totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}; load average ${load}`;
}

/**
 * A fresh temporary folder (`prefix`) with `studies` generated studies in `file`, printing the
 * machine and what was stored: the start of the benchmarks that drive the built server.
 */
export function generatedPortal(prefix: string, file: string, studies: number) {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  const dbFile = path.join(dir, file);
  console.log(machineLine());
  console.log(`Generating ${studies} studies into ${dbFile} …`);
  const generated = generatePortalDb(dbFile, studies, new Date());
  console.log(`  ${generated.stored} stored, ${generated.rejected} rejected, ${generated.seconds.toFixed(1)} s`);
  return { dir, dbFile, generated };
}

/** Writes `studies` generated studies into a fresh database file; returns an ingest token for "ous". */
export function generatePortalDb(
  dbFile: string,
  studies: number,
  now: Date,
): { stored: number; rejected: number; token: string; seconds: number } {
  const started = performance.now();
  const db = openDatabase(dbFile);
  prepareDatabase(db, { seedDemoData: false });
  const { batches } = generateDocuments(studies, 20_260_301, now);
  let index = 0;
  let rejected = 0;
  for (const batch of batches) {
    const byStudy = new Map<number, SearchDocument[]>();
    for (const doc of batch) byStudy.set(doc.studyId, [...(byStudy.get(doc.studyId) ?? []), doc]);
    db.transaction(() => {
      for (const docs of byStudy.values()) {
        const result = saveStudy(db, toStudy(docs, index++), { actor: { kind: "system", name: "bench" }, now });
        if (!result.ok) {
          rejected++;
          if (rejected <= 3) console.error(`rejected: ${JSON.stringify(result.problems)}`);
        }
      }
    })();
  }
  const token = issueToken(db, "ous", "bench").token;
  db.close();
  return { stored: index - rejected, rejected, token, seconds: (performance.now() - started) / 1000 };
}

/**
 * The built server as one process (`node --import tsx`, so `pid` is the server's own, for memory
 * figures). Its output goes to a file beside the database, not a pipe: the benchmark scripts block
 * in spawnSync while their load runs, and a pipe nobody drains would fill up with the access log
 * and stall the server.
 */
/** The bench servers' METRICS_TOKEN: /metrics and /healthz's details need it (docs/security.md). */
export const BENCH_METRICS_TOKEN = "bench-metrics-token-0123456789abcdef";
export const BENCH_OPS_HEADERS = { authorization: `Bearer ${BENCH_METRICS_TOKEN}` };

export function startServer(
  dbFile: string,
  extraEnv: Record<string, string> = {},
): Promise<{ url: string; pid: number; logFile: string; stop: () => Promise<void> }> {
  const { BASE_URL: _b, ...env } = process.env;
  const logFile = `${dbFile}.server.log`;
  // A second server on the same database appends to the log: only this server's lines count.
  const offset = existsSync(logFile) ? statSync(logFile).size : 0;
  const fd = openSync(logFile, "a");
  // BENCH_SERVER_NODE_ARGS: extra node flags for the server, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"
  // (a CPU profile of every serving process and thread, written when they exit).
  const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? "").split(" ").filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, "--import", "tsx", "server.ts"], {
    env: {
      ...env,
      DATABASE_PATH: dbFile,
      PORT: "0",
      HOST: "127.0.0.1",
      NODE_ENV: "production",
      SEED_DEMO_DATA: "false",
      API_RATE_LIMIT_PER_MINUTE: "0",
      METRICS_TOKEN: BENCH_METRICS_TOKEN,
      SSE_MAX_STREAMS_PER_CLIENT: "100000",
      ...extraEnv,
    },
    stdio: ["ignore", fd, fd],
  });
  closeSync(fd);
  const output = () => readFileSync(logFile).subarray(offset).toString("utf8");
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const onExit = (code: number | null) => {
      clearInterval(poll);
      reject(new Error(`server exited (${code}):\n${output().slice(-4000)}`));
    };
    child.on("exit", onExit);
    const poll = setInterval(() => {
      const m = /listening on http:\/\/localhost:(\d+)/.exec(output());
      if (!m) {
        if (Date.now() - started > 180_000) {
          clearInterval(poll);
          child.kill("SIGKILL");
          reject(new Error(`server did not start:\n${output().slice(-4000)}`));
        }
        return;
      }
      clearInterval(poll);
      resolve({
        url: `http://127.0.0.1:${m[1]}`,
        pid: child.pid!,
        logFile,
        stop: () =>
          new Promise((r) => {
            child.off("exit", onExit);
            child.once("exit", () => r());
            child.kill("SIGTERM");
          }),
      });
    }, 100);
  });
}

/** One sample's value in a /metrics text (`name{labels} value`); NaN when it is not there. */
export function metricValue(metrics: string, name: string, labels: string): number {
  const escaped = labels.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return Number(new RegExp(`^${name}\\{${escaped}\\} (\\S+)$`, "m").exec(metrics)?.[1] ?? NaN);
}

/** Waits (up to a minute) until /healthz reports every search engine's outbox drained. */
export async function waitForSearchIndex(url: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const health = (await (await fetch(`${url}/healthz`, { headers: BENCH_OPS_HEADERS })).json()) as {
      search: { engines: { outboxLag: number | null }[] };
    };
    if (health.search.engines.every((e) => e.outboxLag === 0)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Throws unless the first `count` paths answer 200 (a 400 would measure the error path, not the real one). */
export async function checkPathsAnswer200(url: string, paths: string[], count: number): Promise<void> {
  const sample = await Promise.all(paths.slice(0, count).map(async (p) => [p, (await fetch(url + p)).status] as const));
  const bad = sample.filter(([, s]) => s !== 200);
  if (bad.length) throw new Error(`requests that do not answer 200: ${JSON.stringify(bad.slice(0, 5))}`);
}

/** A command-line option that must be a whole number in [min, max]; exits 2 with a clear message. */
export function wholeNumber(name: string, raw: string, min: number, max: number): number {
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < min || n > max) {
    console.error(`--${name}: must be a whole number from ${min} to ${max} (got "${raw}")`);
    process.exit(2);
  }
  return n;
}

/** The benchmarks run the built server: stop with a clear message when there is none. */
export function requireBuild(): void {
  if (!existsSync(path.resolve("build/index.js"))) {
    console.error("No server build at build/index.js: run `npm run build` first.");
    process.exit(1);
  }
}

export function toQueryString(q: Omit<SearchQuery, "now">): string {
  const p = new URLSearchParams();
  if (q.q) p.set("q", q.q);
  const list = (name: string, v: readonly string[] | undefined) => v?.length && p.set(name, v.join(","));
  list("status", q.status);
  list("regions", q.regions);
  list("organisations", q.organisations);
  list("categories", q.categories);
  list("icd10", q.icd10);
  list("phases", q.phases);
  list("studyTypes", q.studyTypes);
  list("facets", q.facets);
  if (q.age != null) p.set("age", String(q.age));
  if (q.sex) p.set("sex", q.sex);
  if (q.near) p.set("near", `${q.near.lat.toFixed(4)},${q.near.lon.toFixed(4)}`);
  if (q.sort) p.set("sort", q.sort);
  if (q.page && q.page > 1) p.set("page", String(q.page));
  if (q.perPage) p.set("perPage", String(q.perPage));
  return p.toString();
}
