/**
 * The process-wide search engines, built from the configuration:
 *
 * - SEARCH_ENGINE=sqlite: searches go to the embedded SqliteFtsEngine (FTS5 in the portal's own
 *   database); it is the only engine the indexer drains.
 * - SEARCH_ENGINE=meilisearch: searches go to Meilisearch through a FallbackSearchEngine, which
 *   answers from the embedded engine (result.engine = "sqlite-fts", with a rate-limited warning)
 *   when Meilisearch is unreachable, 5xx or too slow. So that the fallback has data, the embedded
 *   index is ALWAYS kept current too: both engines are drained, each with its own outbox cursor.
 *
 * A singleton like getDb(): server.ts (run by tsx) and the Remix server build each load
 * their own copy of this module, and must share one set of engines (and one fallback log limit).
 */
import { getConfig, type Config } from "./config.server";
import { getDb, type Db } from "./db.server";
import { dropSingleton, existingSingleton, singleton } from "./singleton.server";
import {
  clearIndexFailures,
  cursorExists,
  cursorPosition,
  cursorState,
  enginePending,
  recordIndexFailure,
} from "./models/search-outbox.server";
import { describeError, FallbackSearchEngine, type FallbackSearchEngineOptions } from "./search/fallback.server";
import { drainOutbox, rebuildIndex, startIndexer, type DrainResult } from "./search/indexer.server";
import { MeilisearchEngine } from "./search/meilisearch.server";
import { SqliteFtsEngine } from "./search/sqlite-fts.server";
import type { SearchEngine, SearchHealth } from "./search/types";

export interface SearchEngines {
  /** What searches use: the embedded engine, or Meilisearch with the embedded one as fallback. */
  search: SearchEngine;
  /** The embedded engine (always present, always kept current). */
  embedded: SqliteFtsEngine;
  /** The Meilisearch engine when configured. */
  meilisearch: MeilisearchEngine | null;
  /** Every engine the indexer keeps current (each has its own outbox cursor), primary first. */
  indexed: SearchEngine[];
}

/** Builds the engines for a configuration over a database (no globals; scripts and tests use it). */
export function createSearchEngines(
  config: Pick<Config, "SEARCH_ENGINE" | "MEILI_HOST" | "MEILI_API_KEY">,
  db: Db,
  options: FallbackSearchEngineOptions & { indexUid?: string } = {},
): SearchEngines {
  const embedded = new SqliteFtsEngine(db);
  if (config.SEARCH_ENGINE !== "meilisearch")
    return { search: embedded, embedded, meilisearch: null, indexed: [embedded] };
  if (!config.MEILI_HOST) throw new Error('MEILI_HOST is required when SEARCH_ENGINE is "meilisearch"');
  const { indexUid, ...fallbackOptions } = options;
  const meilisearch = new MeilisearchEngine({ host: config.MEILI_HOST, apiKey: config.MEILI_API_KEY, indexUid });
  return {
    // Until Meilisearch has every change the embedded engine has, the embedded one answers.
    search: new FallbackSearchEngine(meilisearch, embedded, {
      primaryBehind: () => {
        const primary = cursorPosition(db, meilisearch.name);
        const local = cursorPosition(db, embedded.name);
        return local != null && (primary == null || primary < local);
      },
      ...fallbackOptions,
    }),
    embedded,
    meilisearch,
    indexed: [meilisearch, embedded],
  };
}

/** The process-wide engines over getDb() (rebuilt if the connection was closed and reopened). */
export function getSearchEngines(): SearchEngines {
  const db = getDb();
  if (existingSingleton<{ db: Db }>("search")?.db !== db) dropSingleton("search");
  return singleton("search", () => ({ db, engines: createSearchEngines(getConfig(), db) })).engines;
}

/** The engine searches go to (loaders use this). Throws RangeError on bad query input. */
export function getSearchEngine(): SearchEngine {
  return getSearchEngines().search;
}

/** The embedded SQLite FTS5 engine, whatever SEARCH_ENGINE says. */
export function getEmbeddedSearchEngine(): SqliteFtsEngine {
  return getSearchEngines().embedded;
}

/* ---------------------------------------------------------------- start and keep current */

export interface SearchStartOptions {
  log?: (message: string) => void;
  /** Indexer poll interval (changes made by other processes, e.g. a CLI ingest). */
  pollMs?: number;
  /** Longest wait between attempts to bring up an unreachable engine (default 60 s). */
  maxRetryMs?: number;
}

export interface SearchIndexing {
  /** Resolves when the embedded engine's first bring-up attempt finished (it is local: fast). */
  embeddedReady: Promise<void>;
  /** Resolves when every engine is up and indexing, or stop() was called (not while Meilisearch stays down). */
  allReady: Promise<void>;
  stop: () => void;
  /**
   * For shutdown: stop(), wait for the batches in flight, then drain what is left in the outbox
   * into every engine that is up (within timeoutMs in all). An engine that is down, or does not
   * finish in time, keeps its changes in the outbox: its cursor has not moved, so they are
   * indexed after the next start. Nothing is lost either way.
   */
  flush: (timeoutMs?: number) => Promise<FlushReport[]>;
}

export interface FlushReport {
  engine: SearchEngine["name"];
  /** Documents indexed and studies removed by the final drain. */
  indexed: number;
  removed: number;
  /** Changes still waiting for this engine afterwards (0 = drained). */
  lag: number | null;
  /** Why it was not drained: down, failed, or out of time. */
  error: string | null;
}

/** A sleep that stop() can cut short (so a bring-up loop ends instead of hanging). */
const sleep = (ms: number, wakers: Set<() => void>) =>
  new Promise<void>((resolve) => {
    const wake = () => {
      clearTimeout(timer);
      wakers.delete(wake);
      resolve();
    };
    const timer = setTimeout(wake, ms);
    timer.unref();
    wakers.add(wake);
  });

const inWords = (ms: number) => (ms >= 1000 ? `${Math.round(ms / 1000)} s` : `${ms} ms`);

/**
 * For each engine: setup(); a full rebuild when its cursor is new or its index is empty; then an
 * indexer that drains the outbox. An engine that cannot be reached (Meilisearch down at start) is
 * logged and retried with the indexer's back-off (recorded on its cursor, so /healthz shows it);
 * it never stops the others or the portal. stop() ends retries and indexers.
 */
export function startSearchIndexing(db: Db, engines: SearchEngine[], options: SearchStartOptions = {}): SearchIndexing {
  const log = options.log ?? console.log;
  const maxRetryMs = options.maxRetryMs ?? 60_000;
  let stopped = false;
  const stops: (() => Promise<void>)[] = [];
  const wakers = new Set<() => void>();
  /** Engines whose indexer is running (set up, index built): the ones a flush drains. */
  const up = new Set<SearchEngine>();

  const bringUp = async (engine: SearchEngine, first: () => void) => {
    // Decided once: a cursor created below to record failures must not hide that it is new.
    const isNew = !cursorExists(db, engine.name);
    let attempt = 0;
    while (!stopped) {
      try {
        await engine.setup();
        const health = await engine.health();
        if (!health.ok) throw new Error(health.error ?? `${engine.name} is not healthy`);
        if (stopped) return;
        if (isNew || health.documents === 0) {
          const started = Date.now();
          const count = await rebuildIndex(db, engine);
          log(
            `search (${engine.name}): index ${isNew ? "built" : "rebuilt (it was empty)"} with ${count} documents in ${Date.now() - started} ms`,
          );
        } else {
          clearIndexFailures(db, engine.name);
        }
        if (stopped) return;
        stops.push(startIndexer(db, engine, { log, pollMs: options.pollMs }));
        up.add(engine);
        if (attempt > 0) log(`search (${engine.name}): up again, indexing`);
        first();
        return;
      } catch (error) {
        const failures = cursorState(db, engine.name).failures;
        const delay = Math.min(1000 * 2 ** failures, maxRetryMs);
        const message = describeError(error);
        recordIndexFailure(db, engine.name, `setup: ${message}`, new Date(Date.now() + delay));
        log(`search (${engine.name}) not available: ${message}; retrying in ${inWords(delay)}`);
        attempt++;
        first();
        await sleep(delay, wakers);
      }
    }
  };

  const readies = engines.map((engine) => {
    let markFirst!: () => void;
    const firstAttempt = new Promise<void>((resolve) => (markFirst = resolve));
    const done = bringUp(engine, markFirst).catch((error: unknown) => {
      log(`search (${engine.name}) start failed: ${(error as Error).message}`);
      markFirst();
    });
    return { engine, firstAttempt, done };
  });
  const embedded = readies.find((r) => r.engine.name === "sqlite-fts");
  const allDone = Promise.all(readies.map((r) => r.done)).then(() => undefined);
  const stop = () => {
    stopped = true;
    for (const wake of [...wakers]) wake();
    return Promise.all(stops.splice(0).map((s) => s())).then(() => undefined);
  };
  return {
    embeddedReady: embedded ? embedded.firstAttempt : Promise.resolve(),
    allReady: allDone,
    stop: () => void stop(),
    flush: async (timeoutMs = 10_000) => {
      const deadline = Date.now() + timeoutMs;
      const left = () => Math.max(0, deadline - Date.now());
      const outOfTime = Symbol("out of time");
      // In-flight batches and bring-ups (a rebuild) finish first: the final drain must not race them.
      await withTimeout(Promise.all([stop(), allDone]), left(), () => undefined);
      const reports: FlushReport[] = [];
      for (const engine of engines) {
        let report: FlushReport = { engine: engine.name, indexed: 0, removed: 0, lag: null, error: null };
        if (!up.has(engine)) {
          report.error = "not available (its changes wait in the outbox for the next start)";
        } else {
          const result = await withTimeout<DrainResult | typeof outOfTime>(
            drainOutbox(db, engine),
            left(),
            () => outOfTime,
          );
          report =
            result === outOfTime
              ? { ...report, error: `not drained within ${timeoutMs} ms` }
              : { ...report, indexed: result.indexed, removed: result.removed, error: result.error };
        }
        try {
          report.lag = enginePending(db, engine.name)?.lag ?? null;
        } catch {
          // The database may already be unusable; the report says what it knows.
        }
        reports.push(report);
      }
      return reports;
    },
  };
}

/* ---------------------------------------------------------------- health */

export interface EngineHealthReport extends SearchHealth {
  /** Changes this engine has not indexed yet; null before its first build (no cursor yet). */
  outboxLag: number | null;
  failures: number;
  lastError: string | null;
  nextAttemptAt: string | null;
}

export interface SearchHealthReport {
  /** True when every engine answers (searches still work through the fallback when not). */
  ok: boolean;
  /** The configured engine. */
  configured: SearchEngine["name"];
  /** The engine that answers searches right now (sqlite-fts while Meilisearch is down). */
  serving: SearchEngine["name"];
  engines: EngineHealthReport[];
}

function withTimeout<T>(promise: Promise<T>, ms: number, onTimeout: () => T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<T>((resolve) => {
      timer = setTimeout(() => resolve(onTimeout()), ms);
      timer.unref();
    }),
  ]).finally(() => clearTimeout(timer));
}

/** Health and outbox lag of every indexed engine; never throws (a down engine is reported). */
export async function searchHealthReport(
  db: Db,
  engines: SearchEngines,
  timeoutMs = 2_000,
): Promise<SearchHealthReport> {
  const reports = await Promise.all(
    engines.indexed.map(async (engine): Promise<EngineHealthReport> => {
      const health = await withTimeout(
        engine.health().catch((e: unknown): SearchHealth => ({
          ok: false,
          engine: engine.name,
          documents: null,
          error: (e as Error).message,
        })),
        timeoutMs,
        () => ({ ok: false, engine: engine.name, documents: null, error: `no answer within ${timeoutMs} ms` }),
      );
      let lag: number | null = null;
      let state = { failures: 0, lastError: null as string | null, nextAttemptAt: null as string | null };
      try {
        // Read-only (SELECTs only): a report must not create a cursor (a new cursor means "build
        // the index first") and a health probe must not take the write lock.
        const pending = enginePending(db, engine.name);
        if (pending) {
          lag = pending.lag;
          state = pending.state;
        }
      } catch (e) {
        return {
          ...health,
          ok: false,
          outboxLag: null,
          failures: 0,
          lastError: (e as Error).message,
          nextAttemptAt: null,
        };
      }
      return {
        ...health,
        outboxLag: lag,
        failures: state.failures,
        lastError: state.lastError,
        nextAttemptAt: state.nextAttemptAt,
      };
    }),
  );
  const primary = reports[0];
  const configured = engines.search.name;
  const serving = primary && !primary.ok && engines.indexed.length > 1 ? engines.embedded.name : configured;
  return { ok: reports.every((r) => r.ok), configured, serving, engines: reports };
}
