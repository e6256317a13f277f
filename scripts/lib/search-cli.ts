/** Shared by the search scripts: which engines to work on, from the configuration and --engine. */
import { closeDb } from "#app/db.server";
import type { SearchEngines } from "#app/search.server";
import type { SearchEngine } from "#app/search/types";

export const ENGINE_CHOICES = ["sqlite-fts", "meilisearch"] as const;

/**
 * The configured engines (sqlite-fts; or meilisearch + sqlite-fts, the embedded one being the
 * fallback), or only the one named by --engine. Throws a usage message for a bad or unconfigured name.
 */
export function selectEngines(engines: SearchEngines, only: string | undefined): SearchEngine[] {
  if (only === undefined) return engines.indexed;
  if (!(ENGINE_CHOICES as readonly string[]).includes(only))
    throw new Error(`--engine must be one of ${ENGINE_CHOICES.join(", ")} (got "${only}")`);
  const engine = engines.indexed.find((e) => e.name === only);
  if (!engine)
    throw new Error(`--engine ${only}: Meilisearch is not configured (set SEARCH_ENGINE=meilisearch and MEILI_HOST)`);
  return [engine];
}

/** selectEngines for a script: a bad --engine prints the message and the usage, closes the database and exits 2. */
export function selectEnginesOrExit(engines: SearchEngines, only: string | undefined, help: string): SearchEngine[] {
  try {
    return selectEngines(engines, only);
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${help}`);
    closeDb();
    process.exit(2);
  }
}

export function describeEngine(engine: SearchEngine, host?: string): string {
  return engine.name === "meilisearch" ? `meilisearch (${host ?? "?"})` : "sqlite-fts (embedded)";
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}
