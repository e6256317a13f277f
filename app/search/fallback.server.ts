/**
 * A SearchEngine that answers searches from a primary engine (Meilisearch) and, when the primary
 * fails (unreachable, 5xx, timed out, index missing), from a fallback engine (the embedded
 * sqlite-fts, which the indexer keeps current too) instead of failing the page. The answer then
 * says `engine: "sqlite-fts"` so callers can tell, and a warning is logged (at most once per
 * `logIntervalMs`, with the number of fallbacks since the last line).
 *
 * Read-your-writes: Meilisearch takes from 0.3 s to several seconds to make a change searchable
 * (docs/benchmarks.md), the embedded engine ~25 ms. While the primary is behind the fallback
 * (`primaryBehind`, i.e. the fallback has indexed a change the primary has not), searches are
 * answered by the fallback too, so a change is findable as soon as the embedded engine has it.
 *
 * Bad input is never hidden: a RangeError (an invalid region id, ICD-10 prefix, status …) and a
 * 4xx answer that is about the request itself propagate from the primary as they are.
 *
 * Writes (setup, indexStudies, removeStudies, rebuild) go to the primary only: each engine is
 * drained by its own indexer with its own outbox cursor (named after engine.name), so this
 * wrapper carries the primary's name and must never be what keeps the fallback current.
 *
 * Pure: no configuration is read here (app/search.server.ts wires it up).
 */
import { MeilisearchApiError, MeilisearchRequestError, MeilisearchRequestTimeOutError } from "meilisearch";
import type { SearchDocument, SearchEngine, SearchHealth, SearchQuery, SearchResult } from "./types";

export interface FallbackSearchEngineOptions {
  /** Where warnings go (default console.warn). */
  log?: (message: string) => void;
  /** At most one warning per this many ms (default 30 s). */
  logIntervalMs?: number;
  /** A primary search slower than this counts as failed and is answered by the fallback (default 2 s; 0 = no limit). */
  searchTimeoutMs?: number;
  /** Which primary errors are answered by the fallback (default isPrimaryUnavailable). */
  shouldFallBack?: (error: unknown) => boolean;
  /** The clock for rate-limiting the log (default Date.now). */
  clock?: () => number;
  /** True while the primary has not indexed a change the fallback has (then the fallback answers). */
  primaryBehind?: () => boolean;
}

/** The primary did not answer within searchTimeoutMs. */
export class SearchTimeoutError extends Error {
  constructor(engine: string, ms: number) {
    super(`${engine} did not answer within ${ms} ms`);
    this.name = "SearchTimeoutError";
  }
}

/** Meilisearch error codes that mean "the engine is not usable right now", not "your request is wrong". */
const UNAVAILABLE_CODES = new Set([
  "index_not_found",
  "invalid_api_key",
  "missing_authorization_header",
  "no_space_left_on_device",
  "database_size_limit_reached",
]);

/**
 * True for failures of the engine rather than of the query: network errors (connection refused,
 * reset, DNS), request timeouts, 5xx, 429, a missing index or a rejected key (a misconfigured
 * engine should not take the portal down; the warning says why) and an answer that is not JSON
 * (a proxy's error page). False for RangeError (bad input), other 4xx (the request itself is wrong) and anything unknown (a bug must surface).
 */
export function isPrimaryUnavailable(error: unknown): boolean {
  if (error instanceof RangeError) return false;
  if (error instanceof SearchTimeoutError) return true;
  if (error instanceof MeilisearchRequestTimeOutError) return true;
  if (error instanceof MeilisearchRequestError) return true;
  if (error instanceof MeilisearchApiError) {
    const status = error.response?.status ?? 0;
    if (status >= 500 || status === 429 || status === 401 || status === 403) return true;
    const code = error.cause?.code;
    return code != null && UNAVAILABLE_CODES.has(code);
  }
  // fetch itself (outside the client) fails with TypeError("fetch failed", { cause: ECONNREFUSED … }).
  if (error instanceof TypeError && /fetch failed/i.test(error.message)) return true;
  // The client JSON.parses every answer: a proxy's HTML 502 page surfaces as a SyntaxError.
  if (error instanceof SyntaxError) return true;
  return false;
}

/** An error's message with its causes ("Request to … has failed: fetch failed: connect ECONNREFUSED …"). */
export function describeError(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current != null; depth++) {
    if (current instanceof Error) {
      const code = (current as { code?: unknown }).code;
      const text = current.message || (typeof code === "string" ? code : current.name);
      if (text && !parts.includes(text)) parts.push(text);
      current = (current as { cause?: unknown }).cause;
    } else {
      if (depth === 0) parts.push(String(current));
      break;
    }
  }
  return parts.join(": ");
}

export class FallbackSearchEngine implements SearchEngine {
  readonly name: SearchEngine["name"];
  private readonly log: (message: string) => void;
  private readonly logIntervalMs: number;
  private readonly searchTimeoutMs: number;
  private readonly shouldFallBack: (error: unknown) => boolean;
  private readonly clock: () => number;
  private readonly primaryBehind: () => boolean;
  private lastLogAt = Number.NEGATIVE_INFINITY;
  private suppressed = 0;
  /** Searches answered by the fallback since this object was made (the primary failed). */
  fallbacks = 0;
  /** Searches answered by the fallback because the primary was behind it. */
  catchUps = 0;
  /** The last primary failure that caused a fallback, for health reports. */
  lastFailure: { at: number; error: string } | null = null;

  constructor(
    readonly primary: SearchEngine,
    readonly fallback: SearchEngine,
    options: FallbackSearchEngineOptions = {},
  ) {
    if (primary.name === fallback.name)
      throw new Error(`FallbackSearchEngine: primary and fallback are both "${primary.name}"`);
    this.name = primary.name;
    this.log = options.log ?? ((m) => console.warn(m));
    this.logIntervalMs = options.logIntervalMs ?? 30_000;
    this.searchTimeoutMs = options.searchTimeoutMs ?? 2_000;
    this.shouldFallBack = options.shouldFallBack ?? isPrimaryUnavailable;
    this.clock = options.clock ?? Date.now;
    this.primaryBehind = options.primaryBehind ?? (() => false);
  }

  /** Both engines, primary first (for health reports and indexers). */
  engines(): SearchEngine[] {
    return [this.primary, this.fallback];
  }

  async search(query: SearchQuery): Promise<SearchResult> {
    if (this.primaryBehind()) {
      this.catchUps++;
      const answer = await this.fallback.search(query);
      return { ...answer, engine: this.fallback.name };
    }
    let result: SearchResult;
    try {
      result = await this.primarySearch(query);
    } catch (error) {
      if (!this.shouldFallBack(error)) throw error;
      this.fallbacks++;
      const message = describeError(error);
      this.lastFailure = { at: this.clock(), error: message };
      this.warn(message);
      const answer = await this.fallback.search(query);
      return { ...answer, engine: this.fallback.name };
    }
    return result;
  }

  private primarySearch(query: SearchQuery): Promise<SearchResult> {
    const search = this.primary.search(query);
    if (!(this.searchTimeoutMs > 0)) return search;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new SearchTimeoutError(this.primary.name, this.searchTimeoutMs)),
        this.searchTimeoutMs,
      );
      timer.unref?.();
    });
    // A late answer (or failure) of the abandoned request is ignored.
    search.catch(() => undefined);
    return Promise.race([search, timeout]).finally(() => clearTimeout(timer));
  }

  private warn(message: string): void {
    const now = this.clock();
    if (now - this.lastLogAt < this.logIntervalMs) {
      this.suppressed++;
      return;
    }
    const more = this.suppressed ? ` (${this.suppressed} more fallback(s) since the last warning)` : "";
    this.suppressed = 0;
    this.lastLogAt = now;
    this.log(`search: ${this.primary.name} failed (${message}); answering from ${this.fallback.name}${more}`);
  }

  setup(): Promise<void> {
    return this.primary.setup();
  }

  indexStudies(studyIds: number[], documents: SearchDocument[]): Promise<void> {
    return this.primary.indexStudies(studyIds, documents);
  }

  removeStudies(studyIds: number[]): Promise<void> {
    return this.primary.removeStudies(studyIds);
  }

  rebuild(documents: AsyncIterable<SearchDocument[]> | Iterable<SearchDocument[]>): Promise<void> {
    return this.primary.rebuild(documents);
  }

  /** The primary's health (searches still work through the fallback when it is not ok). */
  health(): Promise<SearchHealth> {
    return this.primary.health();
  }
}
