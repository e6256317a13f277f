/**
 * The client side of scripts/bench-api.ts, run as its own process so the load does not share an
 * event loop (or a core's time slice) with the server's process:
 *
 *   load  autocannon against the server with a list of paths (each request picks one at random,
 *         seeded: with the list cycled in order, every connection walked the same paths in step,
 *         so all but the first found the answer cached — flattering any cache) for a
 *         fixed time, as fast as it answers (autocannon), or at a fixed --rate (an evenly paced open
 *         loop of our own, see paced()); every response's latency is recorded so p95 is exact (autocannon's own
 *         histogram reports p50/p97.5/p99 but no p95).
 *   sse   opens N connections to /api/v1/events, waits until every one has its "ready" event,
 *         makes one change through the HTTP ingest API, and measures until every connection has
 *         received the event for it.
 *
 * Prints one JSON line with the results on stdout.
 */
import http from "node:http";
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
// @ts-expect-error autocannon ships no type declarations (and @types/autocannon is not installed)
import autocannon from "autocannon";
import { mulberry32 } from "./search-bench-data";

const { values } = parseArgs({
  options: {
    mode: { type: "string" },
    url: { type: "string" },
    paths: { type: "string" },
    duration: { type: "string", default: "10" },
    connections: { type: "string", default: "10" },
    count: { type: "string", default: "1000" },
    token: { type: "string" },
    record: { type: "string" },
    rate: { type: "string" },
  },
});
const base = values.url!;

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, i)]!;
}

// Seeded, so every run draws the same sequence of paths.
const random = mulberry32(20261202);

/**
 * --rate: an open-loop, evenly paced load — one request every 1000/rate ms whatever the server
 * does, over up to --connections keep-alive sockets, each latency measured from the instant the
 * request was due (so time queued behind a slow server counts: no coordinated omission).
 * autocannon's overallRate sent each second's quota in a burst at the start of the second, so
 * its latencies were mostly the burst queueing behind itself.
 */
async function paced(paths: string[], rate: number, seconds: number, connections: number): Promise<void> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let errors = 0;
  /** What the errors were (ECONNRESET …), so a run that fails on errors says which. */
  const errorCodes: Record<string, number> = {};
  let timeouts = 0;
  let non2xx = 0;
  const total = Math.round(rate * seconds);
  const start = performance.now() + 50;
  const inFlight: Promise<void>[] = [];
  const one = (due: number, path: string) =>
    new Promise<void>((resolve) => {
      const req = http.get(`${base}${path}`, { agent, timeout: 10_000 }, (res) => {
        res.resume();
        res.on("end", () => {
          latencies.push(performance.now() - due);
          const code = res.statusCode ?? 0;
          statuses[code] = (statuses[code] ?? 0) + 1;
          if (code < 200 || code >= 300) non2xx++;
          resolve();
        });
      });
      let timedOut = false;
      req.on("timeout", () => {
        timedOut = true;
        timeouts++;
        req.destroy(new Error("timeout"));
      });
      req.on("error", (error: NodeJS.ErrnoException) => {
        if (!timedOut) {
          errors++;
          const code = error.code ?? error.message;
          errorCodes[code] = (errorCodes[code] ?? 0) + 1;
        }
        resolve();
      });
    });
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    inFlight.push(one(due, paths[Math.floor(random() * paths.length)]!));
  }
  await Promise.all(inFlight);
  const elapsed = (performance.now() - start) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  console.log(
    JSON.stringify({
      requests: latencies.length,
      seconds: elapsed,
      requestsPerSecond: latencies.length / elapsed,
      p50: percentile(latencies, 50),
      p95: percentile(latencies, 95),
      p99: percentile(latencies, 99),
      max: latencies.at(-1),
      statuses,
      errors,
      errorCodes,
      timeouts,
      non2xx,
    }),
  );
}

async function load(): Promise<void> {
  const paths = JSON.parse(readFileSync(values.paths!, "utf8")) as string[];
  if (values.rate) return paced(paths, Number(values.rate), Number(values.duration), Number(values.connections));
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  const instance = autocannon({
    url: base,
    connections: Number(values.connections),
    duration: Number(values.duration),
    requests: [
      {
        method: "GET",
        path: paths[0],
        setupRequest: (req: { path: string }) => ({ ...req, path: paths[Math.floor(random() * paths.length)] }),
      },
    ],
  });
  instance.on("response", (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
    latencies.push(responseTime);
    statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
  });
  const result = await instance;
  latencies.sort((a, b) => a - b);
  console.log(
    JSON.stringify({
      requests: latencies.length,
      seconds: result.duration,
      requestsPerSecond: latencies.length / result.duration,
      p50: percentile(latencies, 50),
      p95: percentile(latencies, 95),
      p99: percentile(latencies, 99),
      max: latencies.at(-1),
      statuses,
      errors: result.errors,
      timeouts: result.timeouts,
      non2xx: result.non2xx,
    }),
  );
}

async function sse(): Promise<void> {
  const count = Number(values.count);
  const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
  const record = JSON.parse(values.record!) as { id: string; tittel: string };
  const received: (number | null)[] = new Array(count).fill(null);
  let readyCount = 0;
  let t0 = 0;
  let done: () => void = () => {};
  const all = new Promise<void>((r) => (done = r));
  let got = 0;
  const requests: http.ClientRequest[] = [];
  await new Promise<void>((allReady, fail) => {
    for (let i = 0; i < count; i++) {
      const req = http.get(`${base}/api/v1/events`, { agent, headers: { Accept: "text/event-stream" } }, (res) => {
        if (res.statusCode !== 200) return fail(new Error(`connection ${i}: HTTP ${res.statusCode}`));
        res.setEncoding("utf8");
        let buffer = "";
        let ready = false;
        res.on("data", (chunk: string) => {
          buffer += chunk;
          if (!ready && buffer.includes("event: ready")) {
            ready = true;
            if (++readyCount === count) allReady();
          }
          if (t0 && received[i] == null && buffer.includes(`"title":${JSON.stringify(record.tittel)}`)) {
            received[i] = performance.now() - t0;
            if (++got === count) done();
          }
          // Keep only the tail (a frame may be split across chunks).
          if (buffer.length > 4096) buffer = buffer.slice(-2048);
        });
      });
      req.on("error", fail);
      requests.push(req);
    }
  });
  t0 = performance.now();
  const res = await fetch(`${base}/api/v1/organisations/ous/studies?format=native`, {
    method: "POST",
    headers: { Authorization: `Bearer ${values.token}`, "Content-Type": "application/json" },
    body: JSON.stringify([record]),
  });
  const ingestMs = performance.now() - t0;
  if (res.status !== 200) throw new Error(`ingest answered ${res.status}: ${await res.text()}`);
  await all;
  const times = (received as number[]).slice().sort((a, b) => a - b);
  for (const r of requests) r.destroy();
  agent.destroy();
  console.log(
    JSON.stringify({
      connections: count,
      ingestResponseMs: ingestMs,
      firstMs: times[0],
      p50Ms: percentile(times, 50),
      p99Ms: percentile(times, 99),
      allMs: times.at(-1),
    }),
  );
}

if (values.mode === "load") await load();
else if (values.mode === "sse") await sse();
else {
  console.error("--mode load|sse");
  process.exit(2);
}
