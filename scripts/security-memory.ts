/**
 * npm run security:memory — the server's memory (RSS, from /proc/<pid>/status) while it refuses
 * the oversized and compressed requests of issue 22 (findings 3 and 4), and whether /healthz keeps
 * answering meanwhile. Not a test (no timed assertions): it prints what it measured, and exits 1
 * only when a request is not refused or the peak passes --max-mb (default 400).
 *
 * Requests, all at once:
 *   - three 200 MiB POST /logg-inn (streamed for real until the server closes the connection);
 *   - a gzip "bomb" to the ingest API: ~0.5 MB that unpacks to 480 MiB (ctgov-json);
 *   - a /healthz probe every 100 ms, counting the answers.
 */
import { request } from "node:http";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createGzip } from "node:zlib";
import { prepareDatabase } from "#app/boot.server";
import { openDatabase } from "#app/db.server";
import { issueToken } from "#app/models/token.server";
import { requireBuild, startServer } from "./lib/bench-portal";
import { parseScriptArgs } from "./lib/cli-args";

const HELP = `Usage: npm run security:memory [-- --max-mb 400 --form-mib 200 --bomb-mib 480]
Starts the built server on a fresh database and measures its RSS while it refuses three
--form-mib MiB sign-in posts and a gzip body that unpacks to --bomb-mib MiB, all at once.
Prints the baseline and peak RSS, each answer's status and how many /healthz probes answered.
Exits 1 when a request is not refused (413) or the peak RSS passes --max-mb. Needs npm run build.`;

const { values } = parseScriptArgs(HELP, {
  options: {
    "max-mb": { type: "string", default: "400" },
    "form-mib": { type: "string", default: "200" },
    "bomb-mib": { type: "string", default: "480" },
  },
});
const maxMb = Number(values["max-mb"]);
const formMiB = Number(values["form-mib"]);
const bombMiB = Number(values["bomb-mib"]);
for (const [name, v] of [
  ["--max-mb", maxMb],
  ["--form-mib", formMiB],
  ["--bomb-mib", bombMiB],
] as const) {
  if (!Number.isFinite(v) || v <= 0) {
    console.error(`${name} must be a positive number`);
    process.exit(2);
  }
}
requireBuild();

const rssMb = (pid: number) => {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) / 1024 : NaN;
};

async function gzipOfZeros(mib: number): Promise<Buffer> {
  const gzip = createGzip({ level: 9 });
  const out: Buffer[] = [];
  gzip.on("data", (d: Buffer) => out.push(d));
  const done = new Promise<void>((r) => gzip.on("end", () => r()));
  const chunk = Buffer.alloc(1024 * 1024, 0x20);
  for (let i = 0; i < mib; i++) if (!gzip.write(chunk)) await new Promise((r) => gzip.once("drain", r));
  gzip.end();
  await done;
  return Buffer.concat(out);
}

/** Streams `mib` MiB as a POST until the server answers or closes; resolves with the status. */
function streamPost(url: string, headers: Record<string, string>, mib: number): Promise<number | string> {
  return new Promise((resolve) => {
    const req = request(new URL(url), {
      method: "POST",
      headers: { ...headers, "content-length": String(mib * 1024 * 1024) },
    });
    let status: number | string = "no answer";
    req.on("response", (res) => {
      status = res.statusCode!;
      res.resume();
      res.on("end", () => resolve(status));
    });
    req.on("error", (e) => resolve(status === "no answer" ? ((e as NodeJS.ErrnoException).code ?? "error") : status));
    const chunk = Buffer.alloc(1024 * 1024, 0x61);
    let sent = 0;
    const pump = () => {
      while (sent < mib && !req.destroyed) {
        sent++;
        if (!req.write(chunk)) return void req.once("drain", pump);
      }
      if (sent >= mib) req.end();
    };
    pump();
  });
}

const dir = mkdtempSync(path.join(tmpdir(), "ks-secmem-"));
const dbFile = path.join(dir, "secmem.db");
const setup = openDatabase(dbFile);
prepareDatabase(setup, { seedDemoData: false });
const token = issueToken(setup, "st-olavs", "security-memory").token;
setup.close();

const server = await startServer(dbFile);
let exit = 0;
try {
  await new Promise((r) => setTimeout(r, 1000));
  const baseline = rssMb(server.pid);
  const bomb = await gzipOfZeros(bombMiB);
  let peak = baseline;
  const sampler = setInterval(() => (peak = Math.max(peak, rssMb(server.pid))), 25);
  let probes = 0;
  let answered = 0;
  const prober = setInterval(() => {
    probes++;
    fetch(`${server.url}/healthz`).then(
      (r) => void (r.ok && answered++),
      () => undefined,
    );
  }, 100);
  const formHeaders = { "content-type": "application/x-www-form-urlencoded" };
  const [f1, f2, f3, b] = await Promise.all([
    streamPost(`${server.url}/logg-inn`, formHeaders, formMiB),
    streamPost(`${server.url}/logg-inn`, formHeaders, formMiB),
    streamPost(`${server.url}/logg-inn`, formHeaders, formMiB),
    fetch(`${server.url}/api/v1/organisations/st-olavs/studies?format=ctgov-json`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/octet-stream" },
      body: new Uint8Array(bomb),
    }).then(async (r) => `${r.status} ${((await r.json()) as { error?: { message?: string } }).error?.message ?? ""}`),
  ]);
  await new Promise((r) => setTimeout(r, 500));
  clearInterval(sampler);
  clearInterval(prober);
  console.log(`server RSS: baseline ${baseline.toFixed(0)} MB, peak ${peak.toFixed(0)} MB (limit ${maxMb} MB)`);
  console.log(`3 × ${formMiB} MiB POST /logg-inn: ${f1}, ${f2}, ${f3}`);
  console.log(`gzip of ${(bomb.length / 1024).toFixed(0)} KB unpacking to ${bombMiB} MiB: ${b}`);
  console.log(`/healthz probes answered during the run: ${answered} of ${probes}`);
  if (![f1, f2, f3].every((s) => s === 413) || !b.startsWith("413") || peak > maxMb) exit = 1;
} finally {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}
process.exit(exit);
