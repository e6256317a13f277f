/**
 * A bounded in-memory cache of finished public pages (issue 20 item 3; ADR 0022), so a repeated
 * page costs a key lookup instead of a render (~16 ms of CPU even when the search is cached).
 *
 * - Key: the URL as asked (path and query; the language is in the query, ADR 0005). An entry is
 *   used only under the validity token it was made under (answerStateFor: the change log head,
 *   the search outbox head and cursors, the embedded index generation and the Oslo day — the same
 *   token as the open API's answer cache), so a change is seen at once, in every process.
 * - Kept across changes that did not touch it (ADR 0031): a page whose view declared what it
 *   shows (app/http/page-dependencies.server.ts: its studies' stamps, its search answers) and
 *   whose token has moved is checked against those instead of being made again: unchanged, it
 *   is sent and kept under the new token; changed, it is made again. During an ingest the token
 *   moves every few hundred milliseconds while most pages stay the same.
 * - What is stored: only a 200 text/html answer to a GET without Cookie or Authorization whose
 *   Cache-Control is the public pages' one (app/http/cache-headers.ts) and that sets no cookie.
 *   Signed-in pages, forms (CSRF tokens come with a cookie), data requests and errors never are.
 * - The CSP stays strict: a page is rendered with a per-response nonce; when it is stored, the
 *   SHA-256 of each of its inline scripts is computed once, and a replay is sent with
 *   `script-src 'self' 'sha256-…' …` in place of the nonce. Only the scripts the portal rendered
 *   may run; an injected inline script has another hash and is blocked. The stored body (nonce
 *   attributes included) is sent byte for byte; its old nonce is in no policy and allows nothing.
 * - Compression: a stored body is gzipped once, at its first hit from a client that accepts gzip,
 *   and later such hits get those bytes (the compression middleware leaves an answer with a
 *   Content-Encoding alone); gzipping a ~100 KB page for every hit was most of what a hit cost.
 * - Memory is bounded by bytes (PAGE_CACHE_MB; 0 turns it off), least recently used first out.
 */
import { createHash } from "node:crypto";
import { gzipSync } from "node:zlib";
import { LRUCache } from "lru-cache";
import type { PageDependencies } from "./page-dependencies.server";

export interface CachedPage {
  state: string;
  body: Buffer;
  /** The body gzipped once, at the first hit that accepts gzip (a miss is compressed by the middleware as it streams). */
  gzip: Buffer | null;
  /** Response headers to replay (content type, caching, language …), not the security headers. */
  headers: Record<string, string>;
  /** CSP hash sources of the page's inline scripts: "'sha256-…'" each. */
  scriptHashes: string[];
  /** What the page was made from, when its view declared it; null: valid under `state` only. */
  deps: PageDependencies | null;
}

/** The stored form of a finished page: its bytes, gzipped once, with what a replay needs. */
export function cachedPage(
  state: string,
  body: Buffer,
  headers: Record<string, string>,
  deps: PageDependencies | null = null,
): CachedPage {
  return { state, body, gzip: null, headers, scriptHashes: inlineScriptHashes(body.toString("utf8")), deps };
}

/** Headers of a stored page that are replayed; security headers come from securityHeaders() per response. */
const REPLAYED = ["content-type", "cache-control", "content-language", "vary", "link", "last-modified"];

const INLINE_SCRIPT = /<script\b(?![^>]*\bsrc\s*=)[^>]*>([\s\S]*?)<\/script\s*>/gi;

/** The CSP hash sources of every inline script in an HTML body (as browsers hash them: the text as sent). */
export function inlineScriptHashes(html: string): string[] {
  const hashes = new Set<string>();
  for (const m of html.matchAll(INLINE_SCRIPT)) {
    hashes.add(`'sha256-${createHash("sha256").update(m[1]!, "utf8").digest("base64")}'`);
  }
  return [...hashes];
}

/** The page CSP with its nonce source replaced by the stored page's script hashes. */
export function cspWithHashes(csp: string, hashes: readonly string[]): string {
  // "'nonce-…'" is only in script-src (pageCspDirectives); with no inline script, nothing inline may run.
  return csp.replace(/\s*'nonce-[^']*'/g, hashes.length ? ` ${hashes.join(" ")}` : "");
}

export interface PageCacheStats {
  hits: number;
  misses: number;
  /** Hits whose token had moved but whose page was checked unchanged (counted in hits too). */
  revalidated: number;
  stored: number;
  entries: number;
  bytes: number;
}

export class PageCache {
  private readonly lru: LRUCache<string, CachedPage> | null;
  hits = 0;
  misses = 0;
  revalidated = 0;
  stored = 0;

  constructor(maxBytes: number) {
    this.lru =
      maxBytes > 0
        ? new LRUCache<string, CachedPage>({
            maxSize: maxBytes,
            sizeCalculation: (p, key) =>
              p.body.byteLength +
              (p.gzip?.byteLength ?? 0) +
              2 * (key.length + p.state.length + JSON.stringify(p.headers).length) +
              (p.deps ? 2 * p.deps.stamps.length + 8 * p.deps.studyIds.length + 1024 * p.deps.searches.length : 0) +
              512,
          })
        : null;
  }

  get enabled(): boolean {
    return this.lru != null;
  }

  get(key: string, state: string): CachedPage | null {
    if (!this.lru) return null;
    const entry = this.lru.get(key);
    if (entry && entry.state === state) {
      this.hits++;
      return entry;
    }
    if (entry) this.lru.delete(key);
    this.misses++;
    return null;
  }

  /**
   * Like get(), but a page made under another token whose dependencies `unchanged` confirms is a
   * hit too, and is kept under `state` from now on. A check that throws counts as changed.
   */
  async getOrRevalidate(
    key: string,
    state: string,
    unchanged: (deps: PageDependencies) => Promise<boolean>,
  ): Promise<CachedPage | null> {
    const entry = this.lru?.get(key);
    if (entry && entry.state !== state && entry.deps) {
      const same = await unchanged(entry.deps).catch(() => false);
      // Another request may have replaced the entry meanwhile; only this one is vouched for.
      if (same && this.lru?.get(key) === entry) {
        entry.state = state;
        this.revalidated++;
      }
    }
    return this.get(key, state);
  }

  /** The page's gzip bytes, made at the first call and kept (the entry's size grows by them). */
  gzipOf(key: string, page: CachedPage): Buffer {
    if (!page.gzip) {
      page.gzip = gzipSync(page.body);
      // Counted again with its gzip bytes (lru-cache sizes an entry when it is set).
      if (this.lru?.get(key) === page) this.lru.set(key, page);
    }
    return page.gzip;
  }

  set(key: string, page: CachedPage): void {
    if (!this.lru) return;
    this.lru.set(key, page);
    if (this.lru.has(key, { updateAgeOnHas: false })) this.stored++;
  }

  stats(): PageCacheStats {
    return {
      hits: this.hits,
      misses: this.misses,
      revalidated: this.revalidated,
      stored: this.stored,
      entries: this.lru?.size ?? 0,
      bytes: this.lru?.calculatedSize ?? 0,
    };
  }
}

/** Whether a request may be answered from (and its answer stored in) the page cache. */
export function cacheableRequest(method: string, path: string, headers: { get(name: string): string | null }): boolean {
  if (method !== "GET") return false;
  if (headers.get("cookie") || headers.get("authorization")) return false;
  // Only documents: not the API, feeds, embeds, files, probes or Remix data requests.
  if (/^\/(?:api|fhir|feeds|embed|build|healthz|readyz|metrics)(?:\/|$)/.test(path)) return false;
  if (path.endsWith(".data") || /\.[a-z0-9]+$/i.test(path)) return false;
  return true;
}

/** Whether a finished answer may be stored (see the header). */
export function storableAnswer(status: number, headers: (name: string) => string | undefined, cacheControl: string) {
  if (status !== 200) return false;
  if (headers("set-cookie") !== undefined) return false;
  if (!(headers("content-type") ?? "").startsWith("text/html")) return false;
  return headers("cache-control") === cacheControl;
}

export function replayHeaders(get: (name: string) => string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of REPLAYED) {
    const value = get(name);
    if (value !== undefined) out[name] = value;
  }
  return out;
}
