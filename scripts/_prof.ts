import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { startServer, toQueryString } from "/work/main/scripts/lib/bench-portal";
import { buildQueries } from "/work/main/scripts/lib/search-bench-data";
const dbFile = "/tmp/probe/bench.db";
const server = await startServer(dbFile, {}, ["--cpu-prof", "--cpu-prof-dir=/tmp/probe/prof"]);
const paths = buildQueries(400, 7).map((b) => `/api/v1/studies?${toQueryString(b.query)}`);
writeFileSync("/tmp/probe/p.json", JSON.stringify(process.argv[2] === "one" ? ["/api/v1/studies?q=kreft"] : paths));
for (const d of ["2", "8"]) {
  const r = spawnSync(process.execPath, ["--import", "tsx", "scripts/lib/bench-api-worker.ts", "--mode", "load", "--url", server.url, "--paths", "/tmp/probe/p.json", "--duration", d, "--connections", "10"], { encoding: "utf8" });
  const j = JSON.parse(r.stdout.trim().split("\n").at(-1)!); console.log(j.requestsPerSecond.toFixed(0), "req/s p95", j.p95, JSON.stringify(j.statuses), j.errors, r.stderr.slice(0,500));
}
await server.stop();
