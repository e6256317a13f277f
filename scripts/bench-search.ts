/**
 * npm run bench:search [-- --sizes 10000,100000 --engines sqlite,meilisearch --queries 200 --json]
 *
 * Search performance of both engines on generated, realistic studies, beside raw FTS5 in the same
 * run (issue 4, "Done means"). Per size, each engine runs in its own child process (its memory and
 * caches are its own; Meilisearch is started for its phase only and stopped after):
 *
 *   sqlite       generate N studies (1–4 sites each at real hospitals) → engine.rebuild into a fresh
 *                temp SQLite file migrated with migrate() → index time and size (dbstat) → warm-up
 *                pass, then the measured pass of the query mix → the raw FTS5 baseline on the same
 *                tables (`MATCH` with the plain words of the same queries, `ORDER BY rank LIMIT 20`)
 *                → ingest→searchable (saveStudy on that database, startIndexer draining the outbox).
 *   meilisearch  the same N studies → engine.rebuild into the local test binary (startLocalMeilisearch)
 *                → index time and /stats databaseSize → the same query passes → ingest→searchable
 *                (saveStudy on a fresh portal database, startIndexer into this Meilisearch).
 *
 * Studies and queries come from a seeded PRNG (--seed), dates relative to the run's "now", so two
 * runs on the same day search the same data with the same queries. Latency is wall time around
 * `await engine.search(query)` (SQLite: in-process; Meilisearch: HTTP on loopback, the JS client).
 * Benchmarks print numbers; no test asserts on time.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { cpus, loadavg, tmpdir, totalmem } from "node:os";
import path from "node:path";
import type { Statement } from "better-sqlite3";
import { loadReferenceData } from "#app/boot.server";
import { openDatabase, type Db } from "#app/db.server";
import { addCalendarDays } from "#app/domain/calendar-date";
import { osloDate } from "#app/domain/inclusion-status";
import type { StudyInput } from "#app/domain/study";
import { migrate } from "#app/models/migrations.server";
import { upsertReferenceData } from "#app/models/reference.server";
import { saveStudy } from "#app/models/study.server";
import { startIndexer } from "#app/search/indexer.server";
import { representativeClause, statusSetFor } from "#app/search/meilisearch-representatives";
import { MeilisearchEngine } from "#app/search/meilisearch.server";
import { startLocalMeilisearch, type LocalMeilisearch } from "#app/search/meilisearch-process.server";
import { SqliteFtsEngine } from "#app/search/sqlite-fts.server";
import type { SearchEngine, SearchQuery } from "#app/search/types";
import { buildQueries, generateDocuments, Rand, rawMatch, SHAPE_SHARE, type BenchQuery } from "./lib/search-bench-data";
import { parseScriptArgs } from "./lib/cli-args";

const HELP = `Usage: npm run bench:search [-- options]

Generates realistic studies, indexes them in both search engines and prints index time, index size,
median/p95/mean/max latency of a fixed, seeded mix of realistic queries (warm-up first), the same
queries as raw FTS5 MATCH on the same data, the ratio engine p95 / raw p95, and ingest→searchable
latency (saveStudy → outbox → indexer → found by a search).

  --sizes <n,n>         study counts to run (default 10000,100000)
  --engines <list>      sqlite,meilisearch (default both; the raw FTS5 baseline always runs)
  --queries <n>         queries per pass (default 200)
  --ingest-samples <n>  ingest→searchable samples per engine (default 20)
  --rounds <n>          measured passes after the warm-up (default 1); each query's latency is
                        its median over the passes (damps noise from other work on the machine)
  --seed <n>            PRNG seed for studies and queries (default 42)
  --by-shape            also print latency per query shape; for sqlite-fts, each shape's slowest
                        query split into SQL statements (by kind, rows, its slowest ones) vs
                        JavaScript, and a pass with a big page cache; for Meilisearch, bare
                        searches (wall vs processingTimeMs)
  --json                print one JSON document instead of tables
  -h, --help            this text

Targets (issue 4): p95 < 20 ms for both engines at 100,000 studies on a 2-core machine; the
portal's engine p95 at most 2× the raw FTS5 p95; ingest→searchable < 1 s.
Meilisearch is the sha256-verified local TEST binary (app/search/meilisearch-binary.server.ts), never downloaded.`;

const { values } = parseScriptArgs(HELP, {
  options: {
    sizes: { type: "string", default: "10000,100000" },
    engines: { type: "string", default: "sqlite,meilisearch" },
    queries: { type: "string", default: "200" },
    "ingest-samples": { type: "string", default: "20" },
    rounds: { type: "string", default: "1" },
    seed: { type: "string", default: "42" },
    "by-shape": { type: "boolean", default: false },
    json: { type: "boolean", default: false },
    // internal: one phase in a child process
    phase: { type: "string" },
    size: { type: "string" },
    now: { type: "string" },
    "with-engine": { type: "boolean", default: false },
  },
});

function positiveInt(name: string, raw: string): number {
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 1) {
    console.error(`--${name} must be a whole number ≥ 1 (got "${raw}")\n\n${HELP}`);
    process.exit(2);
  }
  return n;
}

const ROUNDS = positiveInt("rounds", values.rounds!);

// =============================================================================================
// Statistics

interface Stats {
  n: number;
  median: number;
  p95: number;
  mean: number;
  max: number;
}

function stats(xs: number[]): Stats {
  if (xs.length === 0) return { n: 0, median: NaN, p95: NaN, mean: NaN, max: NaN };
  const s = [...xs].sort((a, b) => a - b);
  const at = (p: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))]!;
  const r2 = (x: number) => Math.round(x * 100) / 100;
  return {
    n: s.length,
    median: r2(at(0.5)),
    p95: r2(at(0.95)),
    mean: r2(s.reduce((a, b) => a + b, 0) / s.length),
    max: r2(s.at(-1)!),
  };
}

function byShape(queries: BenchQuery[], times: (number | null)[]): Record<string, Stats> {
  const out: Record<string, number[]> = {};
  queries.forEach((q, i) => {
    const t = times[i];
    if (t != null) (out[q.shape] ??= []).push(t);
  });
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, stats(v)]));
}

// =============================================================================================
// Phase results

interface QueryRun {
  stats: Stats;
  byShape: Record<string, Stats>;
  /** Per query (ms), in the order of the mix. */
  times: number[];
  zeroHitQueries: number;
}

interface PhaseResult {
  phase: "sqlite" | "meilisearch";
  size: number;
  documents: number;
  statusMix: Record<string, number>;
  generateMs: number;
  index: { ms: number; bytes: number; detail: Record<string, number> };
  queries: QueryRun | null;
  raw: (QueryRun & { skippedEmpty: number }) | null;
  ingest: IngestResult | null;
  profile: ShapeProfile[] | null;
  /** sqlite, --by-shape: one more pass (warm-up + 1 round) with cache_size 256 MB + mmap_size 1 GB. */
  bigCache?: Stats;
  maxRssMb: number;
  meiliRssMb?: number;
  /** Meilisearch, --by-shape: wall time of bare client searches vs Meilisearch's own processingTimeMs. */
  meiliFloor?: { label: string; wall: Stats; processing: Stats }[];
  /** 1-minute load average at the start and end of the phase (other work on the machine skews figures). */
  load: [number, number];
  /** codeVersion() when the phase started. */
  commit: string;
}

/** Per query, the median over the measured rounds (1 round: its only time). */
function medianPerQuery(rounds: number[][]): number[] {
  return rounds[0]!.map((_, i) => {
    const xs = rounds.map((r) => r[i]!).sort((a, b) => a - b);
    return xs[Math.floor((xs.length - 1) / 2)]!;
  });
}

async function runQueries(engine: SearchEngine, queries: BenchQuery[], now: Date, rounds = ROUNDS): Promise<QueryRun> {
  for (const q of queries) await engine.search({ ...q.query, now }); // warm-up pass
  const passes: number[][] = [];
  let zero = 0;
  for (let round = 0; round < rounds; round++) {
    const times: number[] = [];
    for (const q of queries) {
      const t = performance.now();
      const result = await engine.search({ ...q.query, now });
      times.push(performance.now() - t);
      if (round === 0 && result.total === 0) zero++;
    }
    passes.push(times);
  }
  const times = medianPerQuery(passes);
  return { stats: stats(times), byShape: byShape(queries, times), times, zeroHitQueries: zero };
}

function runRaw(db: Db, queries: BenchQuery[], rounds = ROUNDS): QueryRun & { skippedEmpty: number } {
  const stmt = db
    .prepare("SELECT rowid FROM search_fts WHERE search_fts MATCH ? ORDER BY rank LIMIT ? OFFSET ?")
    .pluck();
  const exprs = queries.map((q) => rawMatch(q.query.q));
  const args = (i: number): [string, number, number] => {
    const perPage = queries[i]!.query.perPage ?? 20;
    return [exprs[i]!, perPage, ((queries[i]!.query.page ?? 1) - 1) * perPage];
  };
  exprs.forEach((e, i) => e && stmt.all(...args(i))); // warm-up pass
  const passes: number[][] = [];
  let zero = 0;
  for (let round = 0; round < rounds; round++) {
    const times: number[] = [];
    exprs.forEach((e, i) => {
      if (!e) return void times.push(NaN);
      const t = performance.now();
      const rows = stmt.all(...args(i));
      times.push(performance.now() - t);
      if (round === 0 && rows.length === 0) zero++;
    });
    passes.push(times);
  }
  const times: (number | null)[] = medianPerQuery(passes).map((t) => (Number.isNaN(t) ? null : t));
  const measured = times.filter((t): t is number => t != null);
  return {
    stats: stats(measured),
    byShape: byShape(queries, times),
    times: measured,
    zeroHitQueries: zero,
    skippedEmpty: times.length - measured.length,
  };
}

// ---------------------------------------------------------------------------------------------
// Profiling the sqlite engine without touching it: wrap db.prepare to time every statement.

interface StatementTiming {
  sql: string;
  params: unknown[];
  ms: number;
  /** Rows an all() returned (null for get/run). */
  rows: number | null;
}

interface ShapeProfile {
  shape: string;
  query: Omit<SearchQuery, "now">;
  /** Wall time of the instrumented search, best of 3 (a little above the measured one: the wrapper costs). */
  totalMs: number;
  /** Summed statement time per kind of statement (see statementKind), and the rest: JavaScript. */
  byKind: Record<string, { ms: number; count: number; rows: number }>;
  /** The slowest statements of the best run. */
  slowest: { ms: number; rows: number | null; kind: string; param: string }[];
}

/** What an engine statement is for, from its SQL (the statements app/search/sqlite-fts.server.ts prepares). */
function statementKind(sql: string): string {
  if (sql.includes("search_term_deletes")) return "typo candidates";
  if (sql.includes("search_term_grams")) return "compound lookup";
  if (sql.includes("bm25(")) return "FTS5 arm, bm25-scored";
  if (sql.includes("FROM search_fts WHERE search_fts MATCH")) return "FTS5 arm, ids";
  if (sql.includes("kind = 'icd10'")) return "ICD-10 codes of synonym groups";
  if (sql.includes("json_each")) return "titles of the page";
  if (sql.includes("app_meta")) return "generation check";
  if (/^\s*SELECT [^?]*FROM search_(studies|study_values|sites)( ORDER BY [^?]*)?\s*$/.test(sql))
    return "filter table load";
  return "other SQL";
}

/**
 * Wraps db.prepare so every statement prepared meanwhile reports its timings to `sink.log` (null:
 * not recorded). The engine caches its statements, so the engine profiled must be made while this
 * is in place (its statements then stay wrapped after restore()).
 */
function instrument(db: Db): { sink: { log: StatementTiming[] | null }; restore: () => void } {
  const original = db.prepare;
  const sink: { log: StatementTiming[] | null } = { log: null };
  const wrap = (stmt: Statement, sql: string): Statement => {
    const proxy: Statement = new Proxy(stmt, {
      get(target, prop) {
        const value = Reflect.get(target, prop, target) as unknown;
        if (typeof value !== "function") return value;
        if (prop === "all" || prop === "get" || prop === "run") {
          return (...args: unknown[]) => {
            const t = performance.now();
            let rows: number | null = null;
            try {
              const result = (value as (...a: unknown[]) => unknown).apply(target, args);
              if (Array.isArray(result)) rows = result.length;
              return result;
            } finally {
              sink.log?.push({ sql, params: args, ms: performance.now() - t, rows });
            }
          };
        }
        if (prop === "pluck" || prop === "raw" || prop === "expand" || prop === "safeIntegers" || prop === "bind") {
          return (...args: unknown[]) => {
            (value as (...a: unknown[]) => unknown).apply(target, args);
            return proxy;
          };
        }
        return (value as (...a: unknown[]) => unknown).bind(target);
      },
    });
    return proxy;
  };
  db.prepare = function (this: Db, sql: string) {
    return wrap(original.call(this, sql) as Statement, sql);
  } as Db["prepare"];
  return {
    sink,
    restore: () => {
      db.prepare = original;
    },
  };
}

async function profileShapes(db: Db, queries: BenchQuery[], times: number[], now: Date): Promise<ShapeProfile[]> {
  const slowest = new Map<string, { i: number; ms: number }>();
  queries.forEach((q, i) => {
    const cur = slowest.get(q.shape);
    if (!cur || times[i]! > cur.ms) slowest.set(q.shape, { i, ms: times[i]! });
  });
  // A second engine on the same tables, while statements are wrapped (until the end: it prepares
  // statements as it meets new queries); its first search loads its filter table (not recorded).
  const { sink, restore } = instrument(db);
  try {
    const engine = new SqliteFtsEngine(db, { answerCache: 0 });
    await engine.search({ now });
    return await profileEach(
      engine,
      sink,
      [...slowest].sort((a, b) => b[1].ms - a[1].ms).map(([, { i }]) => queries[i]!),
      now,
    );
  } finally {
    restore();
  }
}

async function profileEach(
  engine: SqliteFtsEngine,
  sink: { log: StatementTiming[] | null },
  slowest: BenchQuery[],
  now: Date,
): Promise<ShapeProfile[]> {
  const r2 = (x: number) => Math.round(x * 100) / 100;
  const out: ShapeProfile[] = [];
  for (const q of slowest) {
    let log: StatementTiming[] = [];
    let totalMs = Infinity;
    // Best of 3: the profile should show the statements' cost, not a neighbour's CPU burst.
    for (let k = 0; k < 3; k++) {
      const run: StatementTiming[] = [];
      sink.log = run;
      const t = performance.now();
      try {
        await engine.search({ ...q.query, now });
      } finally {
        sink.log = null;
      }
      const ms = performance.now() - t;
      if (ms < totalMs) [totalMs, log] = [ms, run];
    }
    const byKind: ShapeProfile["byKind"] = {};
    let sqlMs = 0;
    for (const st of log) {
      const k = (byKind[statementKind(st.sql)] ??= { ms: 0, count: 0, rows: 0 });
      k.ms = r2(k.ms + st.ms);
      k.count++;
      k.rows += st.rows ?? 0;
      sqlMs += st.ms;
    }
    byKind["JavaScript (filters, facets, sort, highlight; wrapper included)"] = {
      ms: r2(Math.max(0, totalMs - sqlMs)),
      count: 1,
      rows: 0,
    };
    const top = [...log].sort((a, b) => b.ms - a.ms).slice(0, 4);
    const param = (st: StatementTiming) => {
      const text = st.params.map((x) => (typeof x === "string" ? x : JSON.stringify(x))).join(", ");
      return text.length > 140 ? `${text.slice(0, 140)}…` : text;
    };
    out.push({
      shape: q.shape,
      query: q.query,
      totalMs: r2(totalMs),
      byKind,
      slowest: top.map((st) => ({ ms: r2(st.ms), rows: st.rows, kind: statementKind(st.sql), param: param(st) })),
    });
  }
  return out;
}

/** The same measured pass with a bigger page cache and mmap (the portal runs SQLite's defaults). */
async function cacheExperiment(db: Db, engine: SearchEngine, queries: BenchQuery[], now: Date): Promise<Stats> {
  const cache = db.pragma("cache_size", { simple: true });
  const mmap = db.pragma("mmap_size", { simple: true });
  db.pragma("cache_size = -262144");
  db.pragma("mmap_size = 1073741824");
  try {
    return (await runQueries(engine, queries, now, 1)).stats;
  } finally {
    db.pragma(`cache_size = ${Number(cache)}`);
    db.pragma(`mmap_size = ${Number(mmap)}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Ingest → searchable: a real study through saveStudy, the outbox drained by startIndexer (as the
// server runs it), timed from saveStudy returning until a search finds the change.

const actor = { kind: "system" as const, name: "bench:search" };

function probeWord(r: Rand): string {
  // Random letters: far (edit distance, substrings) from every other word in the index.
  return `zq${Array.from({ length: 9 }, () => String.fromCharCode(97 + r.int(0, 25))).join("")}`;
}

function probeStudy(word: string, today: string): StudyInput {
  return {
    identifiers: {},
    title: { nb: `Målestudie ${word}: oppfølging etter hjerneslag` },
    summary: { nb: "En studie lagret av bench:search for å måle tiden fra lagring til treff i søket." },
    studyType: "treatment",
    phase: "phase_3",
    categories: ["stroke"],
    conditions: ["Hjerneslag"],
    icd10: ["I63"],
    interventions: [{ type: "behavioural", name: "Tidlig mobilisering" }],
    eligibility: { minAgeYears: 18, sex: "all" },
    leadOrganisationId: "st-olavs",
    publicationState: "published",
    sites: [
      {
        organisationId: "st-olavs",
        hospitalId: "st-olavs-oya",
        inclusionStart: addCalendarDays(today, -30),
        inclusionEnd: addCalendarDays(today, 300),
      },
      {
        organisationId: "unn",
        hospitalId: "unn-tromso",
        inclusionStart: addCalendarDays(today, -10),
        inclusionEnd: addCalendarDays(today, 200),
      },
    ],
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface IngestResult {
  samples: number[];
  stats: Stats;
  saveMs: Stats;
  /** Meilisearch only: the tasks each change caused, as Meilisearch timed them (ms). */
  meiliTasks?: {
    tasksPerChange: Stats;
    taskMs: Stats;
    queuedMs: Stats;
    slowest: { ms: number; step: string }[];
    types: Record<string, number>;
  };
}

const isoMs = (d: string | null | undefined): number => {
  const m = /^PT(?:(\d+)M)?([\d.]+)S$/.exec(d ?? "");
  return m ? (Number(m[1] ?? 0) * 60 + Number(m[2])) * 1000 : NaN;
};
const traceMs = (v: unknown): number => {
  const s = String(v);
  const n = parseFloat(s);
  return s.endsWith("µs") ? n / 1000 : s.endsWith("ms") ? n : s.endsWith("s") ? n * 1000 : NaN;
};

/** The longest step of a batch's progress trace that has no sub-steps (e.g. "… > writing geo points"). */
function longestStep(trace: Record<string, unknown>): { name: string; ms: number } | null {
  let best: { name: string; ms: number } | null = null;
  const names = Object.keys(trace);
  for (const name of names) {
    if (names.some((other) => other.startsWith(`${name} > `))) continue;
    const ms = traceMs(trace[name]);
    if (Number.isFinite(ms) && (!best || ms > best.ms)) best = { name: name.split(" > ").slice(-2).join(" > "), ms };
  }
  return best;
}

interface ChangeTasks {
  count: number;
  /** Per task: duration, time queued, and the longest innermost step of its batch's progress trace. */
  tasks: { type: string; ms: number; queuedMs: number; step: { name: string; ms: number } | null }[];
}

/** The tasks Meilisearch ran on this index since `since` (one change's indexStudies). */
async function meiliTasksSince(engine: MeilisearchEngine, since: string): Promise<ChangeTasks> {
  const tasks = (
    await engine.client.tasks.getTasks({ indexUids: [engine.indexUid], afterEnqueuedAt: since, limit: 20 })
  ).results;
  const out: ChangeTasks = { count: tasks.length, tasks: [] };
  const stepByBatch = new Map<number, { name: string; ms: number } | null>();
  for (const t of tasks) {
    let step: { name: string; ms: number } | null = null;
    if (t.batchUid != null) {
      if (!stepByBatch.has(t.batchUid)) {
        const batch = (await engine.client.batches.getBatch(t.batchUid)) as unknown as {
          stats?: { progressTrace?: Record<string, unknown> };
        };
        stepByBatch.set(t.batchUid, longestStep(batch.stats?.progressTrace ?? {}));
      }
      step = stepByBatch.get(t.batchUid)!;
    }
    out.tasks.push({
      type: t.type,
      ms: isoMs(t.duration),
      queuedMs: Date.parse(t.startedAt ?? "") - Date.parse(t.enqueuedAt),
      step,
    });
  }
  return out;
}

async function ingestLatency(
  db: Db,
  engine: SearchEngine,
  samples: number,
  seed: number,
  now: Date,
): Promise<IngestResult> {
  const r = new Rand(seed);
  const today = osloDate(now);
  const stop = startIndexer(db, engine, { pollMs: 1000, log: (m) => console.error(m) });
  const latencies: number[] = [];
  const saves: number[] = [];
  const changes: ChangeTasks[] = [];
  let previous: number | null = null;
  try {
    await sleep(200);
    for (let i = 0; i < samples; i++) {
      const word = probeWord(r);
      // Alternately a new study and a change to the previous one (its title gets the new word).
      const update = i % 2 === 1 && previous != null;
      const since = new Date(Date.now() - 5).toISOString();
      const t0 = performance.now();
      const saved = saveStudy(db, probeStudy(word, today), { actor, ...(update ? { studyId: previous! } : {}) });
      const t1 = performance.now();
      if (!saved.ok) throw new Error(`saveStudy failed: ${JSON.stringify(saved.problems)}`);
      saves.push(t1 - t0);
      // Poll like a user pressing "search" every 20 ms (more often would load the engine being measured).
      for (;;) {
        const result = await engine.search({ q: word, now: new Date(), perPage: 20 });
        if (result.hits.some((h) => h.studyId === saved.studyId && h.title.includes(word))) break;
        if (performance.now() - t1 > 60_000) throw new Error(`study ${saved.studyId} not searchable after 60 s`);
        await sleep(20);
      }
      latencies.push(performance.now() - t1);
      previous = saved.studyId;
      if (engine instanceof MeilisearchEngine) changes.push(await meiliTasksSince(engine, since));
      await sleep(100);
    }
  } finally {
    stop();
  }
  const out: IngestResult = {
    samples: latencies.map((x) => Math.round(x * 10) / 10),
    stats: stats(latencies),
    saveMs: stats(saves),
  };
  if (changes.length) {
    const all = changes.flatMap((c) => c.tasks);
    const types: Record<string, number> = {};
    for (const t of all) types[t.type] = (types[t.type] ?? 0) + 1;
    out.meiliTasks = {
      tasksPerChange: stats(changes.map((c) => c.count)),
      taskMs: stats(all.map((t) => t.ms).filter(Number.isFinite)),
      queuedMs: stats(all.map((t) => t.queuedMs).filter(Number.isFinite)),
      slowest: all
        .filter((t) => Number.isFinite(t.ms))
        .sort((a, b) => b.ms - a.ms)
        .slice(0, 3)
        .map((t) => ({ ms: Math.round(t.ms), step: t.step ? `${t.step.name} ${Math.round(t.step.ms)} ms` : "–" })),
      types,
    };
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The phases

function sqliteSearchBytes(db: Db): { bytes: number; detail: Record<string, number> } {
  // The engine's tables (migration 0008), FTS5 shadow tables and their indexes; not the outbox.
  const rows = (
    db.prepare("SELECT name, sum(pgsize) AS bytes FROM dbstat GROUP BY name ORDER BY bytes DESC").all() as {
      name: string;
      bytes: number;
    }[]
  ).filter((r) => /^(sqlite_autoindex_)?search_/.test(r.name) && !/search_(outbox|cursors)/.test(r.name));
  return {
    bytes: rows.reduce((s, r) => s + r.bytes, 0),
    detail: Object.fromEntries(rows.map((r) => [r.name, r.bytes])),
  };
}

function dirBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) total += dirBytes(p);
    else if (entry.isFile()) total += statSync(p).size;
  }
  return total;
}

/** The code measured: HEAD, and whether search/ differs from it (each phase loads the code when it starts). */
function codeVersion(): string {
  const head = spawnSync("git", ["rev-parse", "--short", "HEAD"], { encoding: "utf8" });
  if (head.status !== 0) return "?";
  const dirty = spawnSync("git", ["status", "--porcelain", "--", "search"], { encoding: "utf8" }).stdout.trim() !== "";
  return `${head.stdout.trim()}${dirty ? " + uncommitted changes in search/" : ""}`;
}

function freshPortalDb(file: string, reference: boolean): Db {
  const db = openDatabase(file);
  migrate(db);
  if (reference) upsertReferenceData(db, loadReferenceData());
  return db;
}

/** Where Meilisearch time goes: one bare search (no facets, no extra count queries) through the client, wall vs processingTimeMs. */
async function meiliFloor(
  engine: MeilisearchEngine,
  now: Date,
): Promise<{ label: string; wall: Stats; processing: Stats }[]> {
  const t = now.getTime();
  const open = `(siteId IS NOT NULL AND paused = false AND opensAt <= ${t} AND (closesAt IS NULL OR closesAt > ${t}))`;
  const cases: [string, string, Record<string, unknown>][] = [
    ["empty query, limit 0 (HTTP + client floor)", "", { limit: 0 }],
    ["brystkreft, status open, page 1", "brystkreft", { filter: open, page: 1, hitsPerPage: 20 }],
    ["behandling (matches all), status open", "behandling", { filter: open, page: 1, hitsPerPage: 20 }],
    ["empty query, status open, sort newest", "", { filter: open, sort: ["updatedAt:desc"], page: 1, hitsPerPage: 20 }],
    // What the engine sends instead: representative documents, limit/offset, no distinct walk.
    [
      "behandling, open, representatives, limit 20",
      "behandling",
      { filter: representativeClause("study", statusSetFor(["open"])!, t), limit: 20 },
    ],
    [
      "empty query, open, representatives, newest",
      "",
      { filter: representativeClause("study", statusSetFor(["open"])!, t), sort: ["updatedAt:desc"], limit: 20 },
    ],
  ];
  const out: { label: string; wall: Stats; processing: Stats }[] = [];
  const index = engine.client.index(engine.indexUid);
  for (const [label, q, params] of cases) {
    const wall: number[] = [];
    const processing: number[] = [];
    for (let i = 0; i < 30; i++) {
      const t0 = performance.now();
      const r = await index.search(q, { ...params, attributesToRetrieve: ["studyId", "siteId", "title"] });
      wall.push(performance.now() - t0);
      processing.push(r.processingTimeMs);
    }
    out.push({ label, wall: stats(wall.slice(5)), processing: stats(processing.slice(5)) });
  }
  return out;
}

async function runPhase(phase: "sqlite" | "meilisearch", size: number, now: Date): Promise<PhaseResult> {
  const seed = Number(values.seed);
  const log = (m: string) => console.error(`  [${phase} ${size}] ${m}`);
  const g0 = performance.now();
  const { batches, documents, statusMix } = generateDocuments(size, seed, now);
  const generateMs = performance.now() - g0;
  log(
    `generated ${size} studies, ${documents} documents in ${(generateMs / 1000).toFixed(1)} s; sites ${JSON.stringify(statusMix)}`,
  );
  const queries = buildQueries(positiveInt("queries", values.queries!), seed + 1);
  const samples = positiveInt("ingest-samples", values["ingest-samples"]!);
  const dir = mkdtempSync(path.join(tmpdir(), "ks-bench-search-"));
  const load0 = Math.round(loadavg()[0]! * 100) / 100;
  const result: PhaseResult = {
    phase,
    size,
    documents,
    statusMix,
    generateMs: Math.round(generateMs),
    index: { ms: 0, bytes: 0, detail: {} },
    queries: null,
    raw: null,
    ingest: null,
    profile: null,
    maxRssMb: 0,
    load: [load0, 0],
    commit: codeVersion(),
  };
  let meili: LocalMeilisearch | null = null;
  try {
    if (phase === "sqlite") {
      const file = path.join(dir, "search.db");
      const db = freshPortalDb(file, false);
      // The engine itself, not its answer cache (the mix repeats queries across passes).
      const engine = new SqliteFtsEngine(db, { answerCache: 0 });
      await engine.setup();
      db.pragma("wal_checkpoint(TRUNCATE)");
      const before = statSync(file).size;
      const t = performance.now();
      await engine.rebuild(batches);
      result.index.ms = Math.round(performance.now() - t);
      db.pragma("wal_checkpoint(TRUNCATE)");
      const size_ = sqliteSearchBytes(db);
      result.index.bytes = size_.bytes;
      result.index.detail = { ...size_.detail, "(file size delta)": statSync(file).size - before };
      log(`indexed in ${(result.index.ms / 1000).toFixed(1)} s, search tables ${(size_.bytes / 1e6).toFixed(1)} MB`);
      batches.length = 0;
      if (values["with-engine"]) {
        result.queries = await runQueries(engine, queries, now);
        log(`engine p95 ${result.queries.stats.p95} ms`);
      }
      result.raw = runRaw(db, queries);
      log(`raw FTS5 p95 ${result.raw.stats.p95} ms`);
      if (values["with-engine"]) {
        if (values["by-shape"]) {
          result.profile = await profileShapes(db, queries, result.queries!.times, now);
          result.bigCache = await cacheExperiment(db, engine, queries, now);
          log(`with cache_size 256 MB + mmap 1 GB: p95 ${result.bigCache.p95} ms`);
        }
        upsertReferenceData(db, loadReferenceData());
        result.ingest = await ingestLatency(db, engine, samples, seed + 2, now);
        log(`ingest→searchable p95 ${result.ingest.stats.p95} ms`);
      }
      db.close();
    } else {
      meili = await startLocalMeilisearch({ timeoutMs: 60_000 });
      const engine = new MeilisearchEngine({ host: meili.host, apiKey: meili.masterKey, indexUid: "studies" });
      const t = performance.now();
      await engine.setup();
      await engine.rebuild(batches);
      result.index.ms = Math.round(performance.now() - t);
      batches.length = 0;
      const st = (await engine.client.getStats()) as unknown as {
        databaseSize: number;
        usedDatabaseSize?: number;
        indexes: Record<string, { numberOfDocuments: number; rawDocumentDbSize?: number }>;
      };
      result.index.bytes = st.databaseSize;
      result.index.detail = {
        databaseSize: st.databaseSize,
        ...(st.usedDatabaseSize != null ? { usedDatabaseSize: st.usedDatabaseSize } : {}),
        ...(st.indexes.studies?.rawDocumentDbSize != null
          ? { rawDocumentDbSize: st.indexes.studies.rawDocumentDbSize }
          : {}),
        numberOfDocuments: st.indexes.studies?.numberOfDocuments ?? -1,
        "(data dir on disk)": dirBytes(meili.dataDir),
      };
      log(`indexed in ${(result.index.ms / 1000).toFixed(1)} s, databaseSize ${(st.databaseSize / 1e6).toFixed(1)} MB`);
      result.queries = await runQueries(engine, queries, now);
      log(`engine p95 ${result.queries.stats.p95} ms`);
      if (values["by-shape"]) result.meiliFloor = await meiliFloor(engine, now);
      const db = freshPortalDb(path.join(dir, "portal.db"), true);
      result.ingest = await ingestLatency(db, engine, samples, seed + 2, now);
      log(`ingest→searchable p95 ${result.ingest.stats.p95} ms`);
      db.close();
      try {
        const status = readFileSync(`/proc/${meili.process.pid}/status`, "utf8");
        const hwm = /VmHWM:\s+(\d+) kB/.exec(status);
        if (hwm) result.meiliRssMb = Math.round(Number(hwm[1]) / 1024);
      } catch {
        // not Linux
      }
    }
  } finally {
    await meili?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  result.maxRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  result.load[1] = Math.round(loadavg()[0]! * 100) / 100;
  return result;
}

if (values.phase) {
  // Show each kind of warning once (the client's waitForTask used to leave an abort listener per
  // poll, MaxListenersExceededWarning hundreds of times; app/search/meilisearch-settings.ts waits itself now).
  process.removeAllListeners("warning");
  const seen = new Set<string>();
  process.on("warning", (w) => {
    if (seen.has(w.name)) return;
    seen.add(w.name);
    console.error(`  (warning, shown once) ${w.name}: ${w.message}`);
  });
  const phase = values.phase;
  if (phase !== "sqlite" && phase !== "meilisearch") throw new Error(`unknown phase ${phase}`);
  const result = await runPhase(phase, positiveInt("size", values.size ?? ""), new Date(Number(values.now)));
  delete (result.queries as Partial<QueryRun> | null)?.times;
  delete (result.raw as Partial<QueryRun> | null)?.times;
  console.log(JSON.stringify(result));
  process.exit(0);
}

// =============================================================================================
// The orchestrator: one child process per size × phase, then the report.

const sizes = values.sizes!.split(",").map((s) => positiveInt("sizes", s.trim()));
const engines = new Set(
  values.engines!.split(",").map((e) => {
    const name = e.trim() === "sqlite-fts" ? "sqlite" : e.trim();
    if (name !== "sqlite" && name !== "meilisearch") {
      console.error(`--engines takes sqlite and/or meilisearch (got "${e}")`);
      process.exit(2);
    }
    return name;
  }),
);
positiveInt("queries", values.queries!);
positiveInt("ingest-samples", values["ingest-samples"]!);
const now = new Date();
const machine = {
  cpu: cpus()[0]?.model ?? "?",
  cores: cpus().length,
  ramGiB: Math.round(totalmem() / 2 ** 30),
  node: process.version,
  sqlite: (openDatabase(":memory:").prepare("SELECT sqlite_version()").pluck().get() as string) ?? "?",
  date: now.toISOString(),
  loadAverage: loadavg().map((x) => Math.round(x * 100) / 100),
  commit: codeVersion(),
};
if (!values.json) {
  console.log(
    `bench:search — ${machine.date} — ${machine.cores} × ${machine.cpu}, ${machine.ramGiB} GiB RAM, node ${machine.node}, SQLite ${machine.sqlite}; load average ${machine.loadAverage.join(" ")}; code ${machine.commit}`,
  );
  console.log(
    `sizes ${sizes.join(", ")}; engines ${[...engines].join(", ")}; ${values.queries} queries per pass, ${values.rounds} measured pass(es) after a warm-up pass (per query the median over the passes); seed ${values.seed}\n`,
  );
}

const results: PhaseResult[] = [];
for (const size of sizes) {
  for (const phase of ["sqlite", "meilisearch"] as const) {
    if (phase === "meilisearch" && !engines.has("meilisearch")) continue;
    const args = [
      "--import",
      "tsx",
      "scripts/bench-search.ts",
      "--phase",
      phase,
      "--size",
      String(size),
      "--now",
      String(now.getTime()),
      "--queries",
      values.queries!,
      "--ingest-samples",
      values["ingest-samples"]!,
      "--seed",
      values.seed!,
      "--rounds",
      values.rounds!,
    ];
    if (phase === "sqlite" && engines.has("sqlite")) args.push("--with-engine");
    if (values["by-shape"]) args.push("--by-shape");
    const out = spawnSync(process.execPath, args, {
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
      stdio: ["ignore", "pipe", "inherit"],
    });
    if (out.status !== 0) throw new Error(`phase ${phase} at ${size} failed (exit ${out.status})`);
    results.push(JSON.parse(out.stdout.trim().split("\n").at(-1)!) as PhaseResult);
  }
}

const f = (x: number | undefined) => (x == null || Number.isNaN(x) ? "–" : x.toFixed(x < 10 ? 2 : 1));
const mb = (b: number) => `${(b / 1e6).toFixed(1)} MB`;
const summary = sizes.map((size) => {
  const sq = results.find((r) => r.size === size && r.phase === "sqlite")!;
  const me = results.find((r) => r.size === size && r.phase === "meilisearch");
  const raw = sq.raw!.stats;
  const rows = [
    ...(sq.queries ? [{ engine: "sqlite-fts", r: sq }] : []),
    ...(me ? [{ engine: "meilisearch", r: me }] : []),
  ].map(({ engine, r }) => ({
    engine,
    documents: r.documents,
    indexSeconds: r.index.ms / 1000,
    indexBytes: r.index.bytes,
    latency: r.queries!.stats,
    ratioToRawP95: Math.round((r.queries!.stats.p95 / raw.p95) * 100) / 100,
    ingest: r.ingest!.stats,
    zeroHitQueries: r.queries!.zeroHitQueries,
  }));
  return { size, raw, rawSkippedEmpty: sq.raw!.skippedEmpty, rows };
});

if (values.json) {
  console.log(
    JSON.stringify(
      {
        machine,
        options: {
          sizes,
          engines: [...engines],
          queries: Number(values.queries),
          rounds: ROUNDS,
          seed: Number(values.seed),
        },
        summary,
        phases: results,
      },
      null,
      2,
    ),
  );
} else {
  for (const s of summary) {
    const sq = results.find((r) => r.size === s.size && r.phase === "sqlite")!;
    console.log(
      `\n=== ${s.size.toLocaleString("en")} studies (${sq.documents.toLocaleString("en")} study × site documents; sites now ${JSON.stringify(sq.statusMix)}) ===`,
    );
    console.table([
      ...s.rows.map((r) => ({
        engine: r.engine,
        "index s": f(r.indexSeconds),
        "index size": mb(r.indexBytes),
        "median ms": f(r.latency.median),
        "p95 ms": f(r.latency.p95),
        "mean ms": f(r.latency.mean),
        "max ms": f(r.latency.max),
        "p95 / raw p95": `${f(r.ratioToRawP95)}×`,
        "ingest→searchable median / p95 ms": `${f(r.ingest.median)} / ${f(r.ingest.p95)}`,
      })),
      {
        engine: `raw FTS5 MATCH (${s.raw.n} queries with words)`,
        "index s": "",
        "index size": "",
        "median ms": f(s.raw.median),
        "p95 ms": f(s.raw.p95),
        "mean ms": f(s.raw.mean),
        "max ms": f(s.raw.max),
        "p95 / raw p95": "1×",
        "ingest→searchable median / p95 ms": "",
      },
    ]);
    for (const r of results.filter((x) => x.size === s.size)) {
      console.log(
        `  ${r.phase}: index size detail ${JSON.stringify(r.index.detail)}; peak RSS node ${r.maxRssMb} MB${r.meiliRssMb ? `, meilisearch ${r.meiliRssMb} MB` : ""}; generation ${(r.generateMs / 1000).toFixed(1)} s; load average ${r.load[0]} → ${r.load[1]}; code ${r.commit}`,
      );
      if (r.ingest)
        console.log(
          `  ${r.phase}: ingest→searchable samples (ms) ${r.ingest.samples.join(", ")}; saveStudy median ${f(r.ingest.saveMs.median)} ms`,
        );
    }
    for (const r of s.rows) {
      const ok = (b: boolean) => (b ? "met" : "MISSED");
      console.log(
        `  ${r.engine}: p95 ${f(r.latency.p95)} ms (target < 20 ms: ${ok(r.latency.p95 < 20)}), ${f(r.ratioToRawP95)}× raw p95 (target ≤ 2×: ${ok(r.ratioToRawP95 <= 2)}), ingest→searchable p95 ${f(r.ingest.p95)} ms (target < 1000 ms: ${ok(r.ingest.p95 < 1000)})`,
      );
    }
    if (values["by-shape"]) {
      const shapes = Object.keys(SHAPE_SHARE);
      console.log("\n  per query shape (median / p95 / max ms):");
      console.table(
        Object.fromEntries(
          shapes.map((shape) => {
            const cell = (st: Stats | undefined) =>
              st ? `${f(st.median)} / ${f(st.p95)} / ${f(st.max)} (n=${st.n})` : "–";
            const me = results.find((r) => r.size === s.size && r.phase === "meilisearch");
            return [
              shape,
              {
                "sqlite-fts": cell(sq.queries?.byShape[shape]),
                meilisearch: cell(me?.queries?.byShape[shape]),
                "raw FTS5": cell(sq.raw?.byShape[shape]),
              },
            ];
          }),
        ),
      );
      if (sq.bigCache)
        console.log(
          `\n  sqlite-fts with cache_size 256 MB + mmap_size 1 GB (portal default: 2 MB cache, no mmap): median ${f(sq.bigCache.median)} ms, p95 ${f(sq.bigCache.p95)} ms, max ${f(sq.bigCache.max)} ms`,
        );
      for (const p of sq.profile ?? []) {
        console.log(
          `\n  sqlite-fts, slowest ${p.shape} query ${JSON.stringify(p.query)}: ${f(p.totalMs)} ms (instrumented)`,
        );
        console.log(
          `    by statement kind: ${Object.entries(p.byKind)
            .sort((a, b) => b[1].ms - a[1].ms)
            .map(
              ([k, v]) =>
                `${k} ${f(v.ms)} ms${v.count > 1 ? ` (${v.count}×, ${v.rows} rows)` : v.rows ? ` (${v.rows} rows)` : ""}`,
            )
            .join("; ")}`,
        );
        for (const st of p.slowest)
          console.log(`      ${f(st.ms)} ms, ${st.rows ?? "–"} rows: ${st.kind}: ${st.param}`);
      }
      const me = results.find((r) => r.size === s.size && r.phase === "meilisearch");
      for (const fl of me?.meiliFloor ?? []) {
        console.log(
          `  meilisearch bare search "${fl.label}": wall median ${f(fl.wall.median)} / p95 ${f(fl.wall.p95)} ms, Meilisearch processingTimeMs median ${f(fl.processing.median)} / p95 ${f(fl.processing.p95)}`,
        );
      }
      const mt = me?.ingest?.meiliTasks;
      if (mt) {
        console.log(
          `\n  meilisearch, per change (Meilisearch's own timings, median / p95 ms): ${f(mt.tasksPerChange.mean)} task(s) per change ${JSON.stringify(mt.types)}; task duration ${f(mt.taskMs.median)} / ${f(mt.taskMs.p95)}, queued ${f(mt.queuedMs.median)} / ${f(mt.queuedMs.p95)}; the slowest tasks and their longest step: ${mt.slowest.map((x) => `${x.ms} ms (${x.step})`).join(", ")}`,
        );
      }
    }
  }
  console.log(
    `\nTargets: p95 < 20 ms for both engines at 100,000 studies; portal engine p95 ≤ 2× raw FTS5 p95; ingest→searchable < 1 s.`,
  );
}
