/**
 * npm run search:setup [-- --engine sqlite-fts|meilisearch]
 * Applies the search settings idempotently to the configured engine(s) and prints what changed.
 */
import { loadConfigOrExit } from "#app/config.server";
import { closeDb, getDb } from "#app/db.server";
import { prepareDatabase } from "#app/boot.server";
import { getSearchEngines } from "#app/search.server";
import { MeilisearchEngine } from "#app/search/meilisearch.server";
import { settingsDiff, studyIndexSettings } from "#app/search/meilisearch-settings";
import { describeEngine, ENGINE_CHOICES, selectEnginesOrExit } from "./lib/search-cli";
import { parseScriptArgs } from "./lib/cli-args";

const HELP = `Usage: npm run search:setup [-- --engine <${ENGINE_CHOICES.join("|")}>]

Creates the search index and applies its settings (searchable, filterable and sortable
attributes, synonyms, stop words, typo tolerance, ranking rules, localizedAttributes "nob"),
idempotently: only settings that differ are sent, and the keys that changed are printed.
Running it twice changes nothing the second time. The server does the same at start.

  --engine <name>  only this engine (default: every configured engine: sqlite-fts, plus
                   meilisearch when SEARCH_ENGINE=meilisearch; the embedded engine is always
                   kept current as the fallback)

sqlite-fts has no settings to send: its tables come from migration 0008, applied here.
A new or empty index is filled by \`npm run search:reindex\` (or the server at start).

Exit code 0 when every engine is set up, 1 when one failed (e.g. Meilisearch unreachable), 2 on
bad usage. Environment: DATABASE_PATH, SEARCH_ENGINE, MEILI_HOST, MEILI_API_KEY.`;

const { values } = parseScriptArgs(HELP, {
  options: {
    engine: { type: "string" },
  },
});

const config = loadConfigOrExit();
const db = getDb();
const engines = selectEnginesOrExit(getSearchEngines(), values.engine, HELP);
const boot = prepareDatabase(db, { seedDemoData: false });
if (boot.migrationsApplied.length) console.log(`Migrations applied: ${boot.migrationsApplied.join(", ")}`);

async function setupMeilisearch(engine: MeilisearchEngine): Promise<void> {
  const index = engine.client.index(engine.indexUid);
  let changed: string[];
  let created = false;
  try {
    changed = Object.keys(settingsDiff(await index.getSettings(), studyIndexSettings()));
  } catch (error) {
    if ((error as { cause?: { code?: string } }).cause?.code !== "index_not_found") throw error;
    created = true;
    changed = Object.keys(studyIndexSettings());
  }
  await engine.setup();
  const health = await engine.health();
  if (created) console.log(`  created index "${engine.indexUid}" (primary key "id")`);
  console.log(changed.length ? `  settings changed: ${changed.join(", ")}` : "  settings up to date: nothing changed");
  if (health.ok && health.documents === 0) console.log("  the index is empty: run `npm run search:reindex` to fill it");
}

let failed = false;
for (const engine of engines) {
  console.log(`${describeEngine(engine, config.MEILI_HOST)}:`);
  try {
    if (engine instanceof MeilisearchEngine) await setupMeilisearch(engine);
    else {
      await engine.setup();
      const health = await engine.health();
      console.log("  tables present (migration 0008_search_fts): nothing to change");
      if (health.ok && health.documents === 0)
        console.log("  the index is empty: run `npm run search:reindex` to fill it");
    }
  } catch (error) {
    failed = true;
    const cause = (error as { cause?: unknown }).cause;
    const detail = cause instanceof Error ? ` (${cause.message})` : "";
    console.error(`  FAILED: ${(error as Error).message}${detail}`);
  }
}
closeDb();
process.exit(failed ? 1 : 0);
