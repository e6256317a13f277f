/**
 * npm run load [-- --studies 10000 --duration 60 --changes 1000]
 *
 * Issue 8's load test: the built portal on a database of N generated studies (plus the real
 * postcode list from ../shared/data), driven from a second process on loopback (an evenly paced
 * open loop: one request every 1/rate s, latency counted from when it was due) with a
 * realistic mix — patients' searches 70 %, study pages 20 %, open API 10 % — while an ingest of
 * --changes studies runs through the HTTP ingest API in batches. It first probes offered rates
 * upwards (short runs) to find the highest one with p99 < 200 ms and no errors, then runs
 * --duration seconds at that rate with the ingest going on, and prints requests/s, latency
 * percentiles, errors, and the server's memory before and after.
 * Figures go into docs/benchmarks.md by hand ("Load"), with the machine and date.
 */
import { spawn } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import path from "node:path";
import { openDatabase } from "#app/db.server";
import { countPostcodes } from "#app/models/postcode.server";
import {
  BENCH_METRICS_TOKEN,
  checkPathsAnswer200,
  generatedPortal,
  metricValue,
  requireBuild,
  startServer,
  toQueryString,
  waitForSearchIndex,
  wholeNumber,
} from "./lib/bench-portal";
import { generateNativeFeed } from "./lib/generate-native-feed";
import { buildQueries, Rand } from "./lib/search-bench-data";
import { parseScriptArgs } from "./lib/cli-args";

const HELP = `Usage: npm run load [-- options]

Starts the built server on a fresh database with generated studies and drives it from a second
process with a realistic mix (patients' searches 70 %, study pages 20 %, API 10 %) while an ingest
of --changes studies runs. Finds the highest offered rate with p99 < 200 ms and zero errors, then
holds it for --duration seconds. Needs \`npm run build\` first.

Options:
  --studies N      generated published studies (default 10000)
  --duration S     seconds of the final run (default 60)
  --probe S        seconds of each probing run (default 8)
  --rates LIST     offered rates to probe, requests/s (default 25,50,100,150,200,300,400,600)
  --changes N      studies ingested through the HTTP API during the final run (default 1000)
  --rate R         skip the probing: run the final run at R requests/s offered
  --connections C  keep-alive connections the load may use at most (default 50)
  --sample S       print the server's memory (RSS) every S seconds of the final run (default 10);
                   with --changes 0 and a long --duration this is the soak
  --warm S         seconds of the mix at 300 requests/s before the probes and the final run, not
                   measured (default 30: each distinct request about 4 times, so both serving
                   processes' page caches hold most pages, as on a portal that has been running;
                   0 measures a cold start)
  --settle S       after the final run, wait S seconds without load and print the RSS again
                   (default 0; 45 shows what an ended ingest worker gives back)
  --keep           keep the temporary database folder
  -h, --help       this text

Environment: BENCH_SERVER_NODE_ARGS adds node flags to the server, e.g.
  BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" (a CPU profile per process and thread).`;

const { values } = parseScriptArgs(HELP, {
  options: {
    studies: { type: "string", default: "10000" },
    duration: { type: "string", default: "60" },
    probe: { type: "string", default: "8" },
    rates: { type: "string", default: "25,50,100,150,200,300,400,600" },
    changes: { type: "string", default: "1000" },
    connections: { type: "string", default: "50" },
    rate: { type: "string" },
    sample: { type: "string", default: "10" },
    warm: { type: "string", default: "30" },
    settle: { type: "string", default: "0" },
    keep: { type: "boolean", default: false },
  },
});
const studies = wholeNumber("studies", values.studies!, 1, 1_000_000);
const duration = wholeNumber("duration", values.duration!, 1, 3600);
const probeSeconds = wholeNumber("probe", values.probe!, 1, 600);
const changes = wholeNumber("changes", values.changes!, 0, 100_000);
const connections = wholeNumber("connections", values.connections!, 1, 1000);
const fixedRate = values.rate === undefined ? null : wholeNumber("rate", values.rate, 1, 100_000);
const sampleSeconds = wholeNumber("sample", values.sample!, 1, 3600);
const warmSeconds = wholeNumber("warm", values.warm!, 0, 3600);
const settleSeconds = wholeNumber("settle", values.settle!, 0, 3600);
const rates = values.rates!.split(",").map((r) => wholeNumber("rates", r.trim(), 1, 100_000));
requireBuild();

const { dir, dbFile, generated } = generatedPortal("ks-load-", "load.db", studies);
let studyIds: number[];
{
  const db = openDatabase(dbFile);
  // prepareDatabase (generatePortalDb) loaded the shipped postcode list.
  console.log(`  ${countPostcodes(db)} postcodes (shipped list)`);
  studyIds = db
    .prepare("SELECT id FROM studies WHERE publication_state = 'published' ORDER BY id")
    .pluck()
    .all() as number[];
  db.close();
}

/** The request mix: 70 % patients' searches, 20 % study pages, 10 % API, in a fixed shuffled order. */
function requestMix(n: number): string[] {
  const r = new Rand(11);
  const patients = buildQueries(n, 5).filter(
    (b) => b.shape === "patient" || b.shape === "typo" || b.shape === "diacritics" || b.shape === "prefix",
  );
  const api = buildQueries(Math.ceil(n / 10) * 2, 6);
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const x = r.next();
    if (x < 0.7) {
      const q = patients[i % patients.length]!.query;
      const p = new URLSearchParams();
      if (q.q) p.set("q", q.q);
      if (q.near && "postcode" in q.near) p.set("postnummer", String((q.near as { postcode: string }).postcode));
      if (q.age != null) p.set("alder", String(q.age));
      if (q.sex) p.set("kjonn", q.sex === "female" ? "kvinne" : "mann");
      out.push(`/pasient?${p}`);
    } else if (x < 0.9) {
      const id = studyIds[Math.floor(r.next() * studyIds.length)]!;
      out.push(r.next() < 0.6 ? `/pasient/studier/${id}` : `/helsepersonell/studier/${id}`);
    } else out.push(`/api/v1/studies?${toQueryString(api[i % api.length]!.query)}`);
  }
  return out;
}

type LoadResult = {
  requests: number;
  seconds: number;
  requestsPerSecond: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  statuses: Record<string, number>;
  errors: number;
  /** Only from the paced driver (--rate): which errors. */
  errorCodes?: Record<string, number>;
  timeouts: number;
  non2xx: number;
};
function drive(pathsFile: string, seconds: number, rate: number): Promise<LoadResult> {
  // Asynchronous (spawn, not spawnSync): the ingest runs from this process meanwhile.
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        "scripts/lib/bench-api-worker.ts",
        "--mode",
        "load",
        "--url",
        server.url,
        "--paths",
        pathsFile,
        "--duration",
        String(seconds),
        "--connections",
        String(connections),
        "--rate",
        String(rate),
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    child.on("exit", (code) =>
      code === 0
        ? resolve(JSON.parse(out.trim().split("\n").at(-1)!))
        : reject(new Error(`load worker failed (${code}):\n${err}\n${out}`)),
    );
  });
}

/** RSS of the server and every process it started (WEB_CONCURRENCY > 1: the serving workers). */
function rssMb(pid: number): number {
  const kbOf = (p: number): number => {
    let kb = 0;
    try {
      kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, "utf8"))?.[1] ?? 0);
      const children = readFileSync(`/proc/${p}/task/${p}/children`, "utf8").trim();
      for (const c of children ? children.split(/\s+/) : []) kb += kbOf(Number(c));
    } catch {
      // gone meanwhile
    }
    return kb;
  };
  return Math.round(kbOf(pid) / 1024);
}
const passes = (r: LoadResult) => r.p99 < 200 && r.errors === 0 && r.timeouts === 0 && r.non2xx === 0;
const line = (r: LoadResult) =>
  `${r.requestsPerSecond.toFixed(0).padStart(5)} req/s  p50 ${r.p50.toFixed(0).padStart(4)}  p95 ${r.p95.toFixed(0).padStart(4)}  p99 ${r.p99.toFixed(0).padStart(4)}  max ${r.max.toFixed(0).padStart(5)} ms  errors ${r.errors}${r.errors && r.errorCodes ? ` ${JSON.stringify(r.errorCodes)}` : ""} timeouts ${r.timeouts} non-2xx ${r.non2xx}`;

const server = await startServer(dbFile);
try {
  await waitForSearchIndex(server.url);
  const paths = requestMix(2000);
  await checkPathsAnswer200(server.url, paths, 60);
  const pathsFile = path.join(dir, "paths.json");
  writeFileSync(pathsFile, JSON.stringify(paths));
  const counts = {
    patient: paths.filter((p) => p.startsWith("/pasient?")).length,
    page: paths.filter((p) => p.includes("/studier/")).length,
    api: paths.filter((p) => p.startsWith("/api/")).length,
  };
  console.log(
    `\nMix of ${paths.length} distinct requests: patients' searches ${counts.patient}, study pages ${counts.page}, API ${counts.api}; ${connections} connections from a second process`,
  );
  const memBefore = rssMb(server.pid);
  if (warmSeconds > 0) {
    const warm = await drive(pathsFile, warmSeconds, 300);
    console.log(`Warm-up (not measured): ${warmSeconds} s at 300 req/s offered: ${line(warm)}`);
  } else console.log("No warm-up: the page caches start empty.");

  let best: number | null = fixedRate;
  if (fixedRate == null) console.log(`\nProbing offered rates (${probeSeconds} s each, no ingest):`);
  for (const rate of fixedRate == null ? rates : []) {
    const r = await drive(pathsFile, probeSeconds, rate);
    const ok = passes(r) && r.requestsPerSecond >= rate * 0.9;
    console.log(
      `  offered ${String(rate).padStart(4)}: ${line(r)}  ${ok ? "ok" : "FAILS (p99 ≥ 200 ms, errors, or the server fell behind)"}`,
    );
    if (!ok) break;
    best = rate;
  }
  if (best == null) {
    console.log(`\nNo probed rate met p99 < 200 ms with zero errors; the final run uses the lowest (${rates[0]}).`);
    best = rates[0]!;
  }

  console.log(
    `\nFinal: ${duration} s at ${best} req/s offered, while ${changes} studies are ingested through POST /api/v1/organisations/ous/studies (batches of 100):`,
  );
  const records = generateNativeFeed(changes, { organisationId: "ous", idPrefix: `LOAD-${Date.now()}`, seed: 5 });
  const ingest = (async () => {
    const t0 = performance.now();
    let accepted = 0;
    const gap = Math.max(200, (duration * 1000 * 0.6) / Math.max(1, Math.ceil(changes / 100)));
    for (let i = 0; i < records.length; i += 100) {
      const res = await fetch(`${server.url}/api/v1/organisations/ous/studies?format=native`, {
        method: "POST",
        headers: { Authorization: `Bearer ${generated.token}`, "Content-Type": "application/json" },
        body: JSON.stringify(records.slice(i, i + 100)),
      });
      if (res.status !== 200) throw new Error(`ingest answered ${res.status}: ${(await res.text()).slice(0, 500)}`);
      accepted += Math.min(100, records.length - i);
      await new Promise((r) => setTimeout(r, gap));
    }
    return { accepted, seconds: (performance.now() - t0) / 1000 };
  })();
  const samples: number[] = [rssMb(server.pid)];
  const sampler = setInterval(() => samples.push(rssMb(server.pid)), sampleSeconds * 1000);
  const [final, ingested] = await Promise.all([drive(pathsFile, duration, best), ingest]);
  clearInterval(sampler);
  const memAfter = rssMb(server.pid);
  samples.push(memAfter);
  console.log(`  ${line(final)}`);
  console.log(
    `  requests ${final.requests} in ${final.seconds} s; statuses ${JSON.stringify(final.statuses)}; ${passes(final) ? "p99 < 200 ms and zero errors: met" : "p99 < 200 ms with zero errors: NOT met"}`,
  );
  console.log(`  ingest: ${ingested.accepted} studies accepted in ${ingested.seconds.toFixed(1)} s`);
  console.log(`  server memory (RSS): ${memBefore} MB before, ${memAfter} MB after`);
  console.log(
    `  RSS every ${sampleSeconds} s of the final run (MB): ${samples.join(" ")}; peak ${Math.max(...samples)}, end/start ${((100 * memAfter) / samples[0]!).toFixed(0)} %`,
  );
  if (settleSeconds > 0) {
    await new Promise((r) => setTimeout(r, settleSeconds * 1000));
    const settled = rssMb(server.pid);
    console.log(
      `  RSS ${settleSeconds} s after the run, no load: ${settled} MB (${((100 * settled) / samples[0]!).toFixed(0)} % of the final run's start)`,
    );
  }
  // Where the memory is (one serving process: the one that answered this scrape).
  const metrics = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${BENCH_METRICS_TOKEN}` } })
    .then((r) => r.text())
    .catch(() => "");
  const memoryLines = metrics
    .split("\n")
    .filter((l) =>
      /^(process_resident_memory_bytes|nodejs_heap_size_(used|total)_bytes|nodejs_external_memory_bytes|kliniske_api_answer_cache_bytes)\b/.test(
        l,
      ),
    )
    .map((l) => {
      const [name, value] = l.split(/\s+/);
      return `${name} ${Math.round(Number(value) / 2 ** 20)} MB`;
    });
  if (memoryLines.length) console.log(`  memory of one serving process: ${memoryLines.join(", ")}`);
  // Counters since that process started (probes included): how often a page was served from memory.
  const counter = (name: string, label: string) => metricValue(metrics, name, label);
  const [hits, revalidated, misses] = [
    counter("kliniske_page_cache_total", 'result="hit"'),
    counter("kliniske_page_cache_total", 'result="revalidated"') || 0, // absent before ADR 0031
    counter("kliniske_page_cache_total", 'result="miss"'),
  ];
  if (hits + misses > 0)
    console.log(
      `  page cache of that process: ${hits} hits, ${revalidated} kept after a check, ${misses} misses (${Math.round((100 * (hits + revalidated)) / (hits + revalidated + misses))} % served from memory); ` +
        `search table: ${counter("kliniske_search_table_reads_total", 'kind="load"')} whole loads, ${counter("kliniske_search_table_reads_total", 'kind="catch_up"')} catch-ups`,
    );
  console.log(
    `\nLoad average after: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")} (other work on this machine makes figures noisy)`,
  );
} finally {
  await server.stop();
  if (!values.keep) rmSync(dir, { recursive: true, force: true });
  else console.log(`Kept ${dir}`);
}
