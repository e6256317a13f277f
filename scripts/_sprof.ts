import { existsSync } from "node:fs";
import { openDatabase } from "../app/db.server";
import { migrate } from "../app/models/migrations.server";
import { SqliteFtsEngine } from "../search/sqlite-fts";
import { buildQueries, generateDocuments } from "./lib/search-bench-data";
const size = Number(process.argv[2] ?? 100000);
const file = `/tmp/probe/search-${size}.db`;
const now = new Date("2026-12-02T10:00:00Z");
const fresh = !existsSync(file);
const db = openDatabase(file);
if (fresh) migrate(db);
const engine = new SqliteFtsEngine(db, { answerCache: 0 });
if (fresh) { await engine.setup(); await engine.rebuild(generateDocuments(size, 42, now).batches); }
const queries = buildQueries(200, 43);
for (const q of queries) await engine.search({ ...q.query, now });
const times: number[] = []; const byShape = new Map<string, number[]>();
for (let round = 0; round < Number(process.argv[3] ?? 3); round++) for (const q of queries) {
  const t = performance.now(); await engine.search({ ...q.query, now }); const ms = performance.now() - t;
  times.push(ms); byShape.set(q.shape, [...(byShape.get(q.shape) ?? []), ms]);
}
const p = (xs: number[], f: number) => [...xs].sort((a, b) => a - b)[Math.ceil(f * xs.length) - 1]!;
console.log(`all: median ${p(times, 0.5).toFixed(1)} p95 ${p(times, 0.95).toFixed(1)} mean ${(times.reduce((a, b) => a + b) / times.length).toFixed(1)}`);
for (const [s, xs] of byShape) console.log(`  ${s.padEnd(18)} median ${p(xs, 0.5).toFixed(1)} p95 ${p(xs, 0.95).toFixed(1)} sum ${xs.reduce((a, b) => a + b).toFixed(0)}`);
