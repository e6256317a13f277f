/**
 * npm run search:reindex [-- --engine sqlite-fts|meilisearch] [--batch-size N]
 * Rebuilds the search index(es) from the database: the index can always be rebuilt from it.
 */
import { loadConfigOrExit } from "#app/config.server";
import { closeDb, getDb } from "#app/db.server";
import { prepareDatabase } from "#app/boot.server";
import { allStudyIds, outboxLag } from "#app/models/search-outbox.server";
import { getSearchEngines } from "#app/search.server";
import { rebuildIndex } from "#app/search/indexer.server";
import { describeEngine, ENGINE_CHOICES, seconds, selectEnginesOrExit } from "./lib/search-cli";
import { parseScriptArgs } from "./lib/cli-args";

const HELP = `Usage: npm run search:reindex [-- --engine <${ENGINE_CHOICES.join("|")}>] [--batch-size <n>]

Rebuilds the search index from every study in the database (published studies are indexed, one
document per study × active site; everything else is left out) and prints counts and time.
Searches keep working meanwhile:
  meilisearch  builds a new index with the same settings, then swaps it in (swapIndexes) and
               deletes the old one: no moment with an empty or half-full index
  sqlite-fts   rewrites its tables in one transaction: readers see the old index until it commits

Afterwards each engine's outbox cursor is at the change it had seen when the rebuild started, so
changes made during the rebuild are still indexed (by the running server, or the next run).

  --engine <name>     only this engine (default: every configured engine: sqlite-fts, plus
                      meilisearch when SEARCH_ENGINE=meilisearch)
  --batch-size <n>    studies per batch (default 1000)

Exit code 0 on success, 1 when an engine failed (its old index is kept), 2 on bad usage.
Environment: DATABASE_PATH, SEARCH_ENGINE, MEILI_HOST, MEILI_API_KEY.`;

const { values } = parseScriptArgs(HELP, {
  options: {
    engine: { type: "string" },
    "batch-size": { type: "string", default: "1000" },
  },
});
const batchSize = Number(values["batch-size"]);
if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 100_000) {
  console.error(`--batch-size must be a whole number between 1 and 100000 (got "${values["batch-size"]}")\n\n${HELP}`);
  process.exit(2);
}

const config = loadConfigOrExit();
const db = getDb();
const engines = selectEnginesOrExit(getSearchEngines(), values.engine, HELP);
const boot = prepareDatabase(db, { seedDemoData: false });
if (boot.migrationsApplied.length) console.log(`Migrations applied: ${boot.migrationsApplied.join(", ")}`);
const studies = allStudyIds(db).length;
console.log(`Rebuilding from ${studies} studies in ${config.DATABASE_PATH}`);

let failed = false;
for (const engine of engines) {
  const label = describeEngine(engine, config.MEILI_HOST);
  const started = performance.now();
  try {
    const documents = await rebuildIndex(db, engine, batchSize);
    const ms = performance.now() - started;
    const health = await engine.health();
    const held = health.documents == null ? "" : `; the index holds ${health.documents}`;
    console.log(
      `${label}: ${documents} documents indexed in ${seconds(ms)}${held}; ${outboxLag(db, engine.name)} newer change(s) waiting for the indexer`,
    );
  } catch (error) {
    failed = true;
    const cause = (error as { cause?: unknown }).cause;
    const detail = cause instanceof Error ? ` (${cause.message})` : "";
    console.error(
      `${label}: FAILED after ${seconds(performance.now() - started)}: ${(error as Error).message}${detail}; the old index is unchanged`,
    );
  }
}
closeDb();
process.exit(failed ? 1 : 0);
