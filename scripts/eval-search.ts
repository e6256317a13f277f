/**
 * npm run eval:search [-- --engines sqlite,meilisearch --json --show-misses]
 *
 * Search quality on the judged query set (issue 19): indexes the fixed corpus (tests/search/corpus.ts:
 * the demo seed + the 10 vendored real ClinicalTrials.gov records) in each engine — SQLite FTS5 in
 * a fresh temporary database, Meilisearch through the sha256-verified local test binary — runs
 * every query of tests/search/judgements.json and prints nDCG@10, recall@20 and the number of
 * clearly wrong hits in the top 10, per engine and per query group. Deterministic: no timings.
 */
import { rmSync } from "node:fs";
import { loadReferenceData } from "#app/boot.server";
import { openDatabase } from "#app/db.server";
import { migrate } from "#app/models/migrations.server";
import { upsertReferenceData } from "#app/models/reference.server";
import { MeilisearchEngine } from "#app/search/meilisearch.server";
import { startLocalMeilisearch, type LocalMeilisearch } from "#app/search/meilisearch-process.server";
import { SqliteFtsEngine } from "#app/search/sqlite-fts.server";
import type { SearchEngine } from "#app/search/types";
import { buildEvalCorpus, JUDGEMENTS_FILE } from "../tests/search/corpus";
import {
  byGroup,
  readJudgements,
  scoreQueries,
  summarise,
  type QueryScore,
  type Summary,
} from "../tests/search/quality";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseScriptArgs } from "./lib/cli-args";

const HELP = `Usage: npm run eval:search [-- options]

Indexes the fixed evaluation corpus (the demo seed and the real ClinicalTrials.gov records vendored
in tests/fixtures) in each search engine, runs the judged queries of tests/search/judgements.json
and prints, per engine and per query group (medical, lay, nynorsk, english, code, typo, compound,
treatment): mean nDCG@10 (gain 2^grade − 1), mean recall@20, and the number of clearly wrong hits
(another organ or disease, marked in the judgements) in the top 10.

  --engines <list>   sqlite,meilisearch (default both); Meilisearch is the sha256-verified local
                     test binary (app/search/meilisearch-binary.server.ts), started and stopped here
  --judgements <f>   judged queries (default tests/search/judgements.json)
  --show-misses      also list every query with nDCG@10 < 1, recall@20 < 1 or a wrong hit
  --json             print one JSON document instead of tables
  -h, --help         this text

Targets (issue 19): nDCG@10 ≥ 0.9 and zero clearly wrong hits in both engines.`;

const { values } = parseScriptArgs(HELP, {
  options: {
    engines: { type: "string", default: "sqlite,meilisearch" },
    judgements: { type: "string", default: JUDGEMENTS_FILE },
    "show-misses": { type: "boolean", default: false },
    json: { type: "boolean", default: false },
  },
});
const engines = values.engines
  .split(",")
  .map((e) => e.trim())
  .filter(Boolean);
for (const e of engines) {
  if (e !== "sqlite" && e !== "meilisearch") {
    console.error(`--engines: unknown engine "${e}" (sqlite, meilisearch)\n\n${HELP}`);
    process.exit(2);
  }
}

const judged = readJudgements(values.judgements);
const dir = mkdtempSync(path.join(tmpdir(), "ks-eval-search-"));
const db = openDatabase(path.join(dir, "eval.db"));
let meili: LocalMeilisearch | undefined;
const results: Record<string, { overall: Summary; groups: Record<string, Summary>; scores: QueryScore[] }> = {};
try {
  migrate(db);
  upsertReferenceData(db, loadReferenceData());
  const corpus = buildEvalCorpus(db);
  const unknown = judged.flatMap((j) => [...Object.keys(j.grades), ...j.wrong]).filter((k) => !corpus.idOf.has(k));
  if (unknown.length)
    throw new Error(`The judgements name studies that are not in the corpus: ${[...new Set(unknown)].join(", ")}`);
  for (const name of engines) {
    let engine: SearchEngine;
    if (name === "sqlite") engine = new SqliteFtsEngine(db, { answerCache: 0 });
    else {
      meili = await startLocalMeilisearch();
      engine = new MeilisearchEngine({ host: meili.host, apiKey: meili.masterKey, indexUid: "eval" });
    }
    await engine.setup();
    await engine.rebuild([corpus.documents]);
    const scores = await scoreQueries(engine, judged, corpus.keyOf);
    results[engine.name] = { overall: summarise(scores), groups: Object.fromEntries(byGroup(scores)), scores };
    await meili?.stop();
    meili = undefined;
  }
} finally {
  await meili?.stop();
  db.close();
  rmSync(dir, { recursive: true, force: true });
}

const fmt = (s: Summary) =>
  `${s.ndcg10.toFixed(3).padStart(7)} ${s.recall20.toFixed(3).padStart(9)} ${String(s.wrongHits).padStart(6)} ${String(s.queries).padStart(7)}`;
if (values.json) {
  const out = Object.fromEntries(
    Object.entries(results).map(([engine, r]) => [
      engine,
      {
        overall: r.overall,
        groups: r.groups,
        misses: r.scores
          .filter((s) => s.ndcg10 < 1 || s.recall20 < 1 || s.wrongHits.length)
          .map((s) => ({
            q: s.query.q,
            group: s.query.group,
            ndcg10: s.ndcg10,
            recall20: s.recall20,
            wrongHits: s.wrongHits,
            top10: s.ranked.slice(0, 10),
          })),
      },
    ]),
  );
  console.log(
    JSON.stringify({ corpus: "demo seed + vendored ctgov records", queries: judged.length, engines: out }, null, 2),
  );
} else {
  console.log(
    `Search quality: ${judged.length} judged queries (${path.relative(process.cwd(), values.judgements)}), corpus = demo seed + vendored ClinicalTrials.gov records\n`,
  );
  for (const [engine, r] of Object.entries(results)) {
    console.log(`${engine}`);
    console.log(`  ${"group".padEnd(10)} nDCG@10 recall@20  wrong queries`);
    for (const [group, s] of Object.entries(r.groups)) console.log(`  ${group.padEnd(10)} ${fmt(s)}`);
    console.log(`  ${"ALL".padEnd(10)} ${fmt(r.overall)}\n`);
    if (values["show-misses"]) {
      for (const s of r.scores.filter((x) => x.ndcg10 < 1 || x.recall20 < 1 || x.wrongHits.length)) {
        const missing = Object.keys(s.query.grades).filter((k) => !s.ranked.includes(k));
        console.log(
          `  ${s.query.group.padEnd(9)} ${JSON.stringify(s.query.q).padEnd(32)} nDCG ${s.ndcg10.toFixed(2)} recall ${s.recall20.toFixed(2)}${s.wrongHits.length ? ` WRONG ${s.wrongHits.join(",")}` : ""}${missing.length ? ` missing ${missing.join(",")}` : ""} top: ${s.ranked.slice(0, 5).join(",")}`,
        );
      }
      console.log("");
    }
  }
}
