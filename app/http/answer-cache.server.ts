/**
 * A bounded in-memory cache of finished open-API answers (body text, ETag, Last-Modified, extra
 * headers), so a repeated read costs a key lookup instead of a search, ~12 SELECTs for the page's
 * records and a JSON serialisation (bench:api: ~5 ms → well under 1 ms of server time).
 *
 * Correctness rests on the validity token (answerStateToken in app/models/open-api.server.ts plus
 * the Oslo day): an entry is used only when everything an answer can depend on is unchanged —
 *   - the change log head (every saved version),
 *   - the search outbox head (every committed change to a study enqueues a row there),
 *   - every search engine's outbox cursor and the embedded index's generation (an index that
 *     catches up, or a rebuild by the CLI, changes search answers without a new version),
 *   - the Oslo calendar day (site statuses and "next change" are whole-day functions of `now`).
 * Reference lists (organisations, hospitals …) only change at boot, and the cache lives in the
 * process. An answer that came from a fallback (Meilisearch was down) is not stored: it should
 * not outlive the outage. Sizes are bounded by bytes (API_ANSWER_CACHE_MB; 0 turns it off).
 *
 * lru-cache (isaacs) does the bookkeeping: byte-sized LRU eviction is not our domain.
 */
import { LRUCache } from "lru-cache";

export interface CachedAnswer {
  /** The validity token the answer was made under. */
  state: string;
  text: string;
  etag: string;
  lastModified: Date | null;
  headers: Record<string, string>;
  /** Whether the endpoint counts against the open API's rate limit (the fast path applies it). */
  rateLimited: boolean;
}

export interface AnswerCacheStats {
  hits: number;
  misses: number;
  entries: number;
  bytes: number;
}

export class AnswerCache {
  private readonly lru: LRUCache<string, CachedAnswer> | null;
  hits = 0;
  misses = 0;

  constructor(maxBytes: number) {
    this.lru =
      maxBytes > 0
        ? new LRUCache<string, CachedAnswer>({
            maxSize: maxBytes,
            // JS strings are UTF-16 in memory: two bytes per code unit. The key counts too: a
            // client asking for many long query strings with tiny answers must not get past the bound.
            sizeCalculation: (a, key) =>
              2 * (key.length + a.state.length + a.text.length + a.etag.length + JSON.stringify(a.headers).length) +
              256,
          })
        : null;
  }

  get enabled(): boolean {
    return this.lru != null;
  }

  /** Whether an entry (valid or not) is kept for `key`; does not count as a use. */
  has(key: string): boolean {
    return this.lru?.has(key, { updateAgeOnHas: false }) ?? false;
  }

  /**
   * The entry for `key` if it was made under `state`; a stale one is dropped. `countMiss: false`
   * for a first look whose miss is looked up (and counted) again where the answer is made.
   */
  get(key: string, state: string, { countMiss = true }: { countMiss?: boolean } = {}): CachedAnswer | null {
    if (!this.lru) return null;
    const entry = this.lru.get(key);
    if (entry && entry.state === state) {
      this.hits++;
      return entry;
    }
    if (entry) this.lru.delete(key);
    if (countMiss) this.misses++;
    return null;
  }

  set(key: string, answer: CachedAnswer): void {
    // An answer larger than the whole cache is simply not kept (lru-cache refuses it too).
    this.lru?.set(key, answer);
  }

  clear(): void {
    this.lru?.clear();
  }

  stats(): AnswerCacheStats {
    return { hits: this.hits, misses: this.misses, entries: this.lru?.size ?? 0, bytes: this.lru?.calculatedSize ?? 0 };
  }
}
