/**
 * What every open read endpoint (/api/v1 GET, /api/openapi.json) shares, so the route loaders
 * stay thin:
 *
 * - CORS open for reads: `Access-Control-Allow-Origin: *` on every answer (errors too, so a
 *   browser client can read them), preflight for GET/HEAD/OPTIONS; other methods get 405.
 * - A rate limit per client on /api/v1 (token bucket, API_RATE_LIMIT_*): 429 with Retry-After.
 * - Validators: a weak ETag (a hash of the JSON body, or a fingerprint of the data set for
 *   streamed exports) and Last-Modified; If-None-Match (preferred) and If-Modified-Since give 304.
 * - One JSON error shape (app/http/api-errors.server.ts); unexpected errors are logged and 500.
 */
import { createHash } from "node:crypto";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { clientKey, TokenBucketLimiter, type RateDecision } from "#app/api/rate-limit";
import type { Urls } from "#app/api/represent";
import { getConfig } from "#app/config.server";
import { getDb, type Db } from "#app/db.server";
import { existingSingleton, singleton } from "#app/singleton.server";
import { osloDate, startOfOsloDay } from "#app/domain/inclusion-status";
import { answerStateToken, changeLogHead, latestInclusionTransition } from "#app/models/open-api.server";
import { ApiError, apiError } from "./api-errors.server";
import { AnswerCache, type AnswerCacheStats, type CachedAnswer } from "./answer-cache.server";

export interface ApiContext {
  request: Request;
  url: URL;
  params: LoaderFunctionArgs["params"];
  /** The one instant this answer is derived for (statuses, filters). */
  now: Date;
  db: Db;
  urls: Urls;
}

export type ApiAnswer =
  | {
      kind: "json";
      body: unknown;
      /** When what the body shows last changed (null: send no Last-Modified). */
      lastModified: Date | null;
      headers?: Record<string, string>;
      /** false: do not keep this answer in the answer cache (e.g. a fallback engine answered). */
      cacheable?: boolean;
    }
  | {
      kind: "stream";
      /** A validator computed before streaming (the body is not hashed). */
      etag: string;
      lastModified: Date | null;
      contentType: string;
      headers?: Record<string, string>;
      /** Called only when the body is really sent (not for 304 or HEAD). */
      open: (signal: AbortSignal) => ReadableStream<Uint8Array>;
      /** Frees what was held for open() when it is not called. */
      release: () => void;
    };

const EXPOSED = [
  "ETag",
  "Last-Modified",
  "Link",
  "Retry-After",
  "RateLimit-Limit",
  "RateLimit-Remaining",
  "RateLimit-Reset",
  "X-Changes-Cursor",
  "Content-Disposition",
].join(", ");

export const READ_METHODS = "GET, HEAD, OPTIONS";
/** Answers may be stored, but must be revalidated (cheaply, with the ETag) before each use. */
export const API_CACHE_CONTROL = "public, no-cache";

function corsHeaders(): Record<string, string> {
  return {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": EXPOSED,
    "X-Content-Type-Options": "nosniff",
  };
}

export function publicBaseUrl(): string {
  return getConfig().BASE_URL.replace(/\/+$/, "");
}

/* ------------------------------------------------------------------ rate limit */

function limiterState(): { limiter: TokenBucketLimiter | null; warned: boolean } {
  return singleton("api-rate-limit", () => {
    const c = getConfig();
    return {
      limiter:
        c.API_RATE_LIMIT_PER_MINUTE > 0
          ? new TokenBucketLimiter({ perMinute: c.API_RATE_LIMIT_PER_MINUTE, burst: c.API_RATE_LIMIT_BURST })
          : null,
      warned: false,
    };
  });
}

/** The connection's address, when the server passes it as load context ({ remoteAddress }). */
function remoteAddressOf(context: unknown): string | null {
  const value = (context as { remoteAddress?: unknown } | null | undefined)?.remoteAddress;
  return typeof value === "string" && value ? value : null;
}

type HeaderReader = Pick<Headers, "get">;

function rateLimit(headers: HeaderReader, remoteAddress: string | null): RateDecision | null {
  const state = limiterState();
  if (!state.limiter) return null;
  const key = clientKey(headers, remoteAddress, getConfig().TRUST_PROXY_HOPS);
  if (key == null) {
    if (!state.warned) {
      state.warned = true;
      console.warn(
        "Open API rate limit: the client's address is unknown (no remoteAddress in the load context and TRUST_PROXY_HOPS=0, " +
          "or no X-Forwarded-For); such requests are not limited.",
      );
    }
    return null;
  }
  return state.limiter.take(key);
}

function rateHeaders(d: RateDecision | null): Record<string, string> {
  if (!d) return {};
  return {
    "RateLimit-Limit": String(d.limit),
    "RateLimit-Remaining": String(d.remaining),
    "RateLimit-Reset": String(d.resetSeconds),
  };
}

/* ------------------------------------------------------------------ validators */

export function weakEtag(text: string): string {
  return `W/"${createHash("sha1").update(text).digest("base64url")}"`;
}

const opaque = (tag: string) => tag.trim().replace(/^W\//, "");

/** RFC 9110 §13.2.2: If-None-Match (weak comparison) wins; If-Modified-Since only without it. */
function isNotModified(headers: HeaderReader, etag: string, lastModified: Date | null): boolean {
  const inm = headers.get("if-none-match");
  if (inm != null) {
    if (inm.trim() === "*") return true;
    return inm.split(",").some((t) => opaque(t) === opaque(etag));
  }
  const ims = headers.get("if-modified-since");
  if (ims && lastModified) {
    const since = httpDate(ims);
    if (since != null) return Math.floor(lastModified.getTime() / 1000) * 1000 <= since;
  }
  return false;
}

// RFC 9110 §5.6.7: IMF-fixdate, and the obsolete RFC 850 and asctime forms a recipient must accept.
const HTTP_DATE = [
  /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/,
  /^(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), \d{2}-(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)-\d{2} \d{2}:\d{2}:\d{2} GMT$/,
  /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [ \d]\d \d{2}:\d{2}:\d{2} \d{4}$/,
];

/**
 * An If-Modified-Since value as epoch ms, or null when it must be ignored (RFC 9110 §13.1.3): not
 * an HTTP-date (Date.parse alone takes "year 99999" and answered 304 to it), or later than now.
 */
export function httpDate(value: string): number | null {
  const v = value.trim();
  if (!HTTP_DATE.some((re) => re.test(v))) return null;
  const ms = Date.parse(HTTP_DATE[2]!.test(v) ? `${v} GMT` : v);
  if (!Number.isFinite(ms) || ms > Date.now()) return null;
  return ms;
}

/**
 * Last-Modified has whole seconds. A time within the current second is not sent: a second change
 * in the same second would carry the same value, and a client asking If-Modified-Since with it
 * would wrongly be told nothing changed (the ETag still catches that).
 */
function lastModifiedHeader(lastModified: Date | null): Record<string, string> {
  if (!lastModified) return {};
  const nowSecond = Math.floor(Date.now() / 1000);
  const second = Math.floor(lastModified.getTime() / 1000);
  if (second >= nowSecond) return {};
  return { "Last-Modified": new Date(second * 1000).toUTCString() };
}

/* ------------------------------------------------------------------ the data set's state */

/** Module load ≈ server start, when reference lists (organisation names …) were last upserted. */
const BOOT_MS = Date.now();

const observedHeads = new WeakMap<Db, { head: number; at: number; day: string; transition: string | null }>();

export interface DatasetState {
  /** The change log's head: moves with every saved change. */
  head: number;
  /** The latest day (on or before today, Oslo) on which a site's window opened or closed. */
  transition: string | null;
  /** When anything the API shows last changed, at the latest. */
  lastModified: Date;
  /** A validator for everything derived from the whole data set now. */
  fingerprint: string;
}

/**
 * The state of the whole data set, cheaply: the change-log head, and the last day a status changed
 * by itself. Its Last-Modified is when this process first saw the current head (never earlier
 * than the change; versions carry the time their run started, not when they were committed) or
 * the start of that day, whichever is later, and never before the server started.
 */
export function datasetState(db: Db, now: Date): DatasetState {
  const head = changeLogHead(db);
  const today = osloDate(now);
  let seen = observedHeads.get(db);
  if (!seen || seen.head !== head || seen.day !== today) {
    const at = seen && seen.head === head ? seen.at : now.getTime();
    seen = { head, at, day: today, transition: latestInclusionTransition(db, today) };
    observedHeads.set(db, seen);
  }
  const transitionMs = seen.transition ? startOfOsloDay(seen.transition).getTime() : 0;
  const lastModified = new Date(Math.max(seen.at, transitionMs, BOOT_MS));
  return {
    head,
    transition: seen.transition,
    lastModified,
    fingerprint: `${head}.${seen.transition ?? "-"}.${BOOT_MS.toString(36)}`,
  };
}

/** Never earlier than the server start (reference lists are refreshed at start). */
export const notBeforeBoot = (d: Date) => new Date(Math.max(d.getTime(), BOOT_MS));

/* ------------------------------------------------------------------ endpoints */

export interface ReadEndpointOptions {
  /** /api/v1 reads are rate limited; the OpenAPI document is not. */
  rateLimited?: boolean;
  /**
   * Keep finished JSON answers in the answer cache (app/http/answer-cache.server.ts). Only for
   * handlers whose answer is a function of the URL, the data set, the search index and the Oslo
   * day — nothing else (no request headers, no finer clock).
   */
  cached?: boolean;
}

/* ------------------------------------------------------------------ answer cache */

/** The process's answer cache (one per process, also across dev rebuilds). */
export function apiAnswerCache(): AnswerCache {
  return singleton("api-answer-cache", () => new AnswerCache(getConfig().API_ANSWER_CACHE_MB * 2 ** 20));
}

/** The cache's counters (zeros before the first cached endpoint was read; made without config). */
export function apiAnswerCacheStats(): AnswerCacheStats {
  return existingSingleton<AnswerCache>("api-answer-cache")?.stats() ?? { hits: 0, misses: 0, entries: 0, bytes: 0 };
}

/** An answer as status, headers and body: what both Remix (as a Response) and server.ts's fast path send. */
export interface PlainAnswer {
  status: number;
  headers: Record<string, string>;
  body: string | null;
}

/** The 200 (or 304) for a JSON answer; HEAD gets the headers without the body. */
function jsonAnswer(
  method: string,
  requestHeaders: HeaderReader,
  answer: Pick<CachedAnswer, "text" | "etag" | "lastModified">,
  headers: Record<string, string>,
): PlainAnswer {
  Object.assign(headers, { ETag: answer.etag, ...lastModifiedHeader(answer.lastModified) });
  if (isNotModified(requestHeaders, answer.etag, answer.lastModified)) return { status: 304, headers, body: null };
  return {
    status: 200,
    headers: { ...headers, "Content-Type": "application/json; charset=utf-8" },
    body: method === "HEAD" ? null : answer.text,
  };
}

const toResponse = (a: PlainAnswer) => new Response(a.body, { status: a.status, headers: a.headers });

/** The 429 of the open API's rate limit, in the one JSON error shape (as apiError makes it). */
function rateLimitedAnswer(decision: RateDecision): PlainAnswer {
  const error = {
    status: 429,
    code: "rate_limited",
    message: `For mange forespørsler: høyst ${decision.limit} på en gang, deretter ${getConfig().API_RATE_LIMIT_PER_MINUTE} i minuttet. Prøv igjen om ${decision.retryAfterSeconds} s.`,
    details: { retryAfterSeconds: decision.retryAfterSeconds },
  };
  return {
    status: 429,
    headers: {
      ...corsHeaders(),
      ...rateHeaders(decision),
      "Retry-After": String(decision.retryAfterSeconds),
      "Cache-Control": "no-store",
      "Content-Type": "application/json",
    },
    body: JSON.stringify({ error }),
  };
}

/** What a cached answer is valid under: the data set's token and the Oslo day (statuses). */
export const answerStateFor = (db: Db, now: Date): string => `${answerStateToken(db)}@${osloDate(now)}`;

/**
 * server.ts's fast path, in front of Remix: a GET/HEAD whose answer is in the answer cache and
 * still valid is answered there (rate limit, CORS, validators and all), skipping Remix's
 * request/response conversion and routing (about 1 ms a request under load). null: not cached or
 * stale, and Remix handles it as usual (and takes the rate-limit token then, never twice).
 * `pathAndQuery` is the request target as sent; Remix keys by the parsed URL, so a target that
 * parsing would change simply misses here.
 */
export function answerFromCache(
  method: string,
  pathAndQuery: string,
  headers: HeaderReader,
  remoteAddress: string | null,
): PlainAnswer | null {
  if (method !== "GET" && method !== "HEAD") return null;
  const cache = apiAnswerCache();
  if (!cache.has(pathAndQuery)) return null;
  // A stale entry goes on to Remix, which looks again and counts the miss there (once).
  const hit = cache.get(pathAndQuery, answerStateFor(getDb(), new Date()), { countMiss: false });
  if (!hit) return null;
  const decision = hit.rateLimited ? rateLimit(headers, remoteAddress) : null;
  if (decision && !decision.allowed) return rateLimitedAnswer(decision);
  return jsonAnswer(method, headers, hit, {
    ...corsHeaders(),
    ...rateHeaders(decision),
    "Cache-Control": API_CACHE_CONTROL,
    ...hit.headers,
  });
}

/** A GET/HEAD loader from a handler that returns the answer or throws ApiError. */
export function readEndpoint(
  handler: (ctx: ApiContext) => ApiAnswer | Promise<ApiAnswer>,
  options: ReadEndpointOptions = {},
) {
  return async ({ request, params, context }: LoaderFunctionArgs): Promise<Response> => {
    // Remix sends OPTIONS (and any method that is not a mutation) to the loader.
    if (request.method !== "GET" && request.method !== "HEAD") return methodAnswer(request);
    const base = corsHeaders();
    let decision: RateDecision | null = null;
    try {
      if (options.rateLimited !== false) {
        decision = rateLimit(request.headers, remoteAddressOf(context));
        if (decision && !decision.allowed) return toResponse(rateLimitedAnswer(decision));
      }
      const url = new URL(request.url);
      const now = new Date();
      const db = getDb();
      const cache = options.cached ? apiAnswerCache() : null;
      // The key is the parsed URL's path and query; the state it was made under is checked on every use.
      const key = cache?.enabled ? url.pathname + url.search : null;
      const state = key != null ? answerStateFor(db, now) : "";
      const hit = key != null ? cache!.get(key, state) : null;
      if (hit)
        return toResponse(
          jsonAnswer(request.method, request.headers, hit, {
            ...base,
            ...rateHeaders(decision),
            "Cache-Control": API_CACHE_CONTROL,
            ...hit.headers,
          }),
        );
      const ctx: ApiContext = { request, url, params, now, db, urls: { base: publicBaseUrl() } };
      const answer = await handler(ctx);
      const headers: Record<string, string> = {
        ...base,
        ...rateHeaders(decision),
        "Cache-Control": API_CACHE_CONTROL,
        ...answer.headers,
      };
      if (answer.kind === "json") {
        const text = JSON.stringify(answer.body);
        const made = { text, etag: weakEtag(text), lastModified: answer.lastModified };
        if (key != null && answer.cacheable !== false)
          cache!.set(key, {
            ...made,
            state,
            headers: answer.headers ?? {},
            rateLimited: options.rateLimited !== false,
          });
        return toResponse(jsonAnswer(request.method, request.headers, made, headers));
      }
      Object.assign(headers, { ETag: answer.etag, ...lastModifiedHeader(answer.lastModified) });
      if (isNotModified(request.headers, answer.etag, answer.lastModified)) {
        answer.release();
        return new Response(null, { status: 304, headers });
      }
      headers["Content-Type"] = answer.contentType;
      if (request.method === "HEAD") {
        answer.release();
        return new Response(null, { status: 200, headers });
      }
      return new Response(answer.open(request.signal), { status: 200, headers });
    } catch (error) {
      const extra = { ...base, ...rateHeaders(decision), "Cache-Control": "no-store" };
      if (error instanceof ApiError)
        return apiError(error.status, error.code, error.message, error.details, { ...extra, ...error.headers });
      if (error instanceof Response) return error;
      console.error(`Open API ${request.method} ${new URL(request.url).pathname} failed:`, error);
      return apiError(500, "internal_error", "Noe gikk galt hos oss. Prøv igjen senere.", undefined, extra);
    }
  };
}

/** The action of a read-only route: CORS preflight for OPTIONS, 405 for every other method. */
export function readOnlyAction({ request }: ActionFunctionArgs): Response {
  return methodAnswer(request);
}

function methodAnswer(request: Request): Response {
  if (request.method === "OPTIONS") {
    return new Response(null, {
      status: 204,
      headers: {
        ...corsHeaders(),
        "Access-Control-Allow-Methods": READ_METHODS,
        "Access-Control-Allow-Headers": "Accept, Accept-Language, Cache-Control, If-None-Match, If-Modified-Since",
        "Access-Control-Max-Age": "86400",
        Allow: READ_METHODS,
      },
    });
  }
  return apiError(
    405,
    "method_not_allowed",
    `${request.method} er ikke tillatt her: det åpne API-et kan bare leses (GET, HEAD).`,
    undefined,
    {
      ...corsHeaders(),
      Allow: READ_METHODS,
      "Cache-Control": "no-store",
    },
  );
}
