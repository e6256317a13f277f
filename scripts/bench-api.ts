/**
 * npm run bench:api [-- --studies 10000 --duration 10 --connections 10 --sse 1000]
 *
 * 1. A fresh database file with N generated, published studies (1–4 sites each at real hospitals,
 *    realistic Norwegian titles, conditions, ICD-10, HRCS; scripts/lib/search-bench-data.ts),
 *    written through the study model (versions, change log, search outbox) like any ingest.
 * 2. The built server (build/ from `npm run build`) on it, with API_RATE_LIMIT_PER_MINUTE=0.
 * 3. From a second process: autocannon against /api/v1/studies for --duration seconds with a fixed
 *    mix of realistic query strings (patients near a place, ICD-10 codes, facets, typos, paging …);
 *    prints requests/s and p50/p95/p99 latency (target: ≥ 500 req/s, p95 < 50 ms on 2 cores) and
 *    how many reads the answer cache answered. Then the same again on a server with the answer
 *    cache off (API_ANSWER_CACHE_MB=0): every request searched, loaded and serialised anew.
 * 4. SSE fan-out, from another process: --sse connections to /api/v1/events, one change through
 *    the HTTP ingest API, the time until every connection received it.
 *
 * Figures go into docs/benchmarks.md by hand ("Open API"), with the machine and date.
 */
import { spawnSync } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import path from "node:path";
import {
  BENCH_OPS_HEADERS,
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
import { buildQueries } from "./lib/search-bench-data";
import { parseScriptArgs } from "./lib/cli-args";

const HELP = `Usage: npm run bench:api [-- options]

Starts the built server on a fresh database with generated studies, loads /api/v1/studies from a
second process with autocannon and measures SSE fan-out. Needs \`npm run build\` first.

Options:
  --studies N       generated published studies (default 10000)
  --duration S      seconds of load on /api/v1/studies (default 10)
  --connections C   concurrent autocannon connections (default 10)
  --queries Q       query strings drawn from the search benchmark's generator (default 400; some repeat)
  --sse N           SSE connections for the fan-out test (default 1000; 0 skips it)
  --skip-uncached   skip the second round with the answer cache off
  --keep            keep the temporary database folder
  -h, --help        this text`;

const { values } = parseScriptArgs(HELP, {
  options: {
    studies: { type: "string", default: "10000" },
    duration: { type: "string", default: "10" },
    connections: { type: "string", default: "10" },
    queries: { type: "string", default: "400" },
    sse: { type: "string", default: "1000" },
    keep: { type: "boolean", default: false },
    "skip-uncached": { type: "boolean", default: false },
  },
});

const studies = wholeNumber("studies", values.studies!, 1, 1_000_000);
const duration = wholeNumber("duration", values.duration!, 1, 600);
const connections = wholeNumber("connections", values.connections!, 1, 1000);
const queryCount = wholeNumber("queries", values.queries!, 1, 100_000);
const sseCount = wholeNumber("sse", values.sse!, 0, 15_000);

requireBuild();

const { dir, dbFile, generated } = generatedPortal("ks-bench-api-", "bench.db", studies);
const token = generated.token;

/** The answer cache's hit and miss counters from /metrics. */
async function cacheCounters(url: string): Promise<{ hit: number; miss: number }> {
  const text = await (await fetch(`${url}/metrics`, { headers: BENCH_OPS_HEADERS })).text();
  const read = (result: string) => metricValue(text, "kliniske_api_answer_cache_total", `result="${result}"`);
  return { hit: read("hit"), miss: read("miss") };
}

function printLoad(load: Record<string, any>): void {
  console.log(
    `  requests:     ${load.requests} (${JSON.stringify(load.statuses)}; errors ${load.errors}, timeouts ${load.timeouts})`,
  );
  console.log(`  requests/s:   ${load.requestsPerSecond.toFixed(0)}   (target ≥ 500)`);
  console.log(`  latency p50:  ${load.p50.toFixed(1)} ms`);
  console.log(`  latency p95:  ${load.p95.toFixed(1)} ms   (target < 50 ms)`);
  console.log(`  latency p99:  ${load.p99.toFixed(1)} ms   (max ${load.max.toFixed(1)} ms)`);
}

function worker(args: string[]): Record<string, any> {
  const run = spawnSync(process.execPath, ["--import", "tsx", "scripts/lib/bench-api-worker.ts", ...args], {
    encoding: "utf8",
    maxBuffer: 64 * 2 ** 20,
  });
  if (run.status !== 0) throw new Error(`worker failed (${run.status}):\n${run.stderr}\n${run.stdout}`);
  return JSON.parse(run.stdout.trim().split("\n").at(-1)!);
}

const server = await startServer(dbFile);
let stopped = false;
try {
  // The embedded index is built before the server listens; check it has caught up anyway.
  await waitForSearchIndex(server.url);
  const paths = buildQueries(queryCount, 7).map((b) => `/api/v1/studies?${toQueryString(b.query)}`);
  await checkPathsAnswer200(server.url, paths, 50);
  const pathsFile = path.join(dir, "paths.json");
  writeFileSync(pathsFile, JSON.stringify(paths));
  // Warm-up (JIT, page cache), not measured.
  worker([
    "--mode",
    "load",
    "--url",
    server.url,
    "--paths",
    pathsFile,
    "--duration",
    "2",
    "--connections",
    String(connections),
  ]);

  console.log(
    `\nGET /api/v1/studies: ${new Set(paths).size} distinct query strings (${paths.length} drawn), each request picks one at random; ${connections} connections, ${duration} s, from a second process (autocannon)`,
  );
  const before = await cacheCounters(server.url);
  const load = worker([
    "--mode",
    "load",
    "--url",
    server.url,
    "--paths",
    pathsFile,
    "--duration",
    String(duration),
    "--connections",
    String(connections),
  ]);
  const after = await cacheCounters(server.url);
  printLoad(load);
  const hits = after.hit - before.hit;
  const misses = after.miss - before.miss;
  console.log(
    `  answer cache: ${hits} hits, ${misses} misses (${((100 * hits) / Math.max(1, hits + misses)).toFixed(1)} % answered from it; the warm-up ran first)`,
  );

  if (sseCount > 0) {
    const record = {
      ...(generateNativeFeed(1, { organisationId: "ous", idPrefix: "BENCH-SSE", seed: 99 })[0] as object),
      tittel: `Fan-out-måling ${Date.now()}`,
    };
    console.log(`\nSSE fan-out: ${sseCount} connections to /api/v1/events, one study published through the ingest API`);
    const fan = worker([
      "--mode",
      "sse",
      "--url",
      server.url,
      "--count",
      String(sseCount),
      "--token",
      token,
      "--record",
      JSON.stringify(record),
    ]);
    console.log(`  ingest answered after ${fan.ingestResponseMs.toFixed(1)} ms`);
    console.log(
      `  first connection got the event after ${fan.firstMs.toFixed(1)} ms, median ${fan.p50Ms.toFixed(1)} ms, p99 ${fan.p99Ms.toFixed(1)} ms`,
    );
    console.log(`  all ${fan.connections} had it after ${fan.allMs.toFixed(1)} ms`);
  }
  if (!values["skip-uncached"]) {
    stopped = true;
    await server.stop();
    const cold = await startServer(dbFile, { API_ANSWER_CACHE_MB: "0" });
    try {
      worker([
        "--mode",
        "load",
        "--url",
        cold.url,
        "--paths",
        pathsFile,
        "--duration",
        "2",
        "--connections",
        String(connections),
      ]);
      console.log(
        `\nThe same with the answer cache off (API_ANSWER_CACHE_MB=0): every request searched, loaded and serialised`,
      );
      printLoad(
        worker([
          "--mode",
          "load",
          "--url",
          cold.url,
          "--paths",
          pathsFile,
          "--duration",
          String(duration),
          "--connections",
          String(connections),
        ]),
      );
    } finally {
      await cold.stop();
    }
  }
  console.log(
    `\nLoad average after: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")} (other work on this machine makes figures noisy)`,
  );
} finally {
  if (!stopped) await server.stop();
  if (!values.keep) rmSync(dir, { recursive: true, force: true });
  else console.log(`Kept ${dir}`);
}
