/**
 * Prometheus metrics (prom-client) for GET /metrics.
 *
 * - http_request_duration_seconds{method,route,status_code}: `route` is the Remix route pattern
 *   the path matches ("/pasient/studier/:id"), "/build/*" for the fingerprinted assets, "static"
 *   for other public files (markRoute from express.static), "unmatched" otherwise — never the raw URL, so ids and query strings
 *   cannot multiply the series. Unknown methods count as "OTHER". The live stream (SSE) is left
 *   out: a connection lasting hours is not a latency; kliniske_sse_clients counts them instead.
 * - Ingest runs and records, outbox lag and the search engine in use are read from the database at
 *   scrape time: ingests by the CLI (another process) are counted too, and a restart never resets
 *   them. The reads are SELECTs only.
 * - Node's default process metrics (CPU, memory, event loop lag, GC, handles).
 */
import type { NextFunction, Request, Response } from "express";
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import type { PageCacheStats } from "./page-cache.server";
import { FallbackSearchEngine } from "#app/search/fallback.server";
import { apiAnswerCacheStats } from "./api-read.server";
import type { Db } from "#app/db.server";
import { ingestTotals } from "#app/models/ingest.server";
import { enginePending } from "#app/models/search-outbox.server";
import { searchHealthReport, type SearchEngines } from "#app/search.server";

/* ---------------------------------------------------------------- route patterns */

interface RouteLike {
  id: string;
  parentId?: string;
  path?: string;
  index?: boolean;
}

interface CompiledPattern {
  pattern: string;
  regex: RegExp;
  /** Higher is more specific: static segments beat dynamic ones beat a splat. */
  score: number;
}

/** The full URL patterns of a Remix build's routes (parents' paths joined), most specific first. */
export function routePatterns(routes: Record<string, RouteLike | undefined>): CompiledPattern[] {
  const fullPath = (route: RouteLike): string => {
    const parent = route.parentId ? routes[route.parentId] : undefined;
    const own = (route.path ?? "").replace(/^\/+|\/+$/g, "");
    const base = parent ? fullPath(parent) : "";
    return [base, own].filter(Boolean).join("/");
  };
  const patterns = new Map<string, CompiledPattern>();
  for (const route of Object.values(routes)) {
    if (!route || (route.path === undefined && !route.index)) continue;
    const path = fullPath(route);
    const segments = path ? path.split("/") : [];
    let score = 0;
    const parts = segments.map((segment) => {
      if (segment === "*") {
        score -= 1;
        return "(?:/.*)?";
      }
      if (segment.startsWith(":")) {
        score += 2;
        return segment.endsWith("?") ? "(?:/[^/]+)?" : "/[^/]+";
      }
      score += 3;
      return "/" + segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    });
    const pattern = "/" + path;
    patterns.set(pattern, { pattern, regex: new RegExp(`^${parts.join("") || "/"}/?$`), score });
  }
  return [...patterns.values()].sort((a, b) => b.score - a.score || b.pattern.length - a.pattern.length);
}

export function routeLabel(patterns: CompiledPattern[], path: string): string {
  for (const p of patterns) if (p.regex.test(path)) return p.pattern;
  return "unmatched";
}

const METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

/* ---------------------------------------------------------------- the registry */

export interface MetricsOptions {
  db: Db;
  engines: SearchEngines;
  routes: Record<string, RouteLike | undefined>;
  /** Open live-stream connections now. */
  sseClients: () => number;
  /** The page cache's counters (app/http/page-cache.server.ts), when there is one. */
  pageCache?: () => PageCacheStats;
  /** Paths left out of the latency histogram (the live stream). */
  skip?: (path: string) => boolean;
}

/** For express.static's setHeaders: the route label of a file it serves ("/build/*", "static"). */
export function markRoute(res: { locals?: Record<string, unknown> }, label: string): void {
  if (res.locals) res.locals.metricsRoute = label;
}

export interface Metrics {
  registry: Registry;
  /** Express middleware timing every request. */
  middleware: (req: Request, res: Response, next: NextFunction) => void;
  /** GET /metrics. */
  handler: (req: Request, res: Response) => Promise<void>;
}

/** A cache's `<name>_total{result="hit"|"miss"}` counter and `<name>_bytes` gauge, read from its stats at each scrape. */
function cacheMetrics(
  registry: Registry,
  stats: () => { hits: number; misses: number; bytes: number; revalidated?: number },
  m: { name: string; hitsHelp: string; bytesHelp: string },
): void {
  new Counter({
    name: `${m.name}_total`,
    help: m.hitsHelp,
    labelNames: ["result"] as const,
    registers: [registry],
    collect() {
      this.reset();
      const now = stats();
      // "revalidated": the data had moved, the page was checked unchanged and sent (ADR 0031).
      this.inc({ result: "hit" }, now.hits - (now.revalidated ?? 0));
      if (now.revalidated !== undefined) this.inc({ result: "revalidated" }, now.revalidated);
      this.inc({ result: "miss" }, now.misses);
    },
  });
  new Gauge({
    name: `${m.name}_bytes`,
    help: m.bytesHelp,
    registers: [registry],
    collect() {
      this.set(stats().bytes);
    },
  });
}

export function createMetrics(options: MetricsOptions): Metrics {
  const { db, engines } = options;
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const patterns = routePatterns(options.routes);

  const duration = new Histogram({
    name: "http_request_duration_seconds",
    help: "Time from request to the end of the response, by route pattern (not the raw URL), method and status.",
    labelNames: ["method", "route", "status_code"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });

  new Counter({
    name: "kliniske_ingest_runs_total",
    help: "Ingest runs recorded in the database (CLI, HTTP push and pull feeds; dry runs excluded), by status.",
    labelNames: ["status"] as const,
    registers: [registry],
    collect() {
      const totals = ingestTotals(db);
      this.reset();
      for (const [status, n] of Object.entries(totals.runs)) this.inc({ status }, n);
    },
  });
  new Counter({
    name: "kliniske_ingest_records_total",
    help: "Records over all recorded ingest runs (dry runs excluded), by outcome.",
    labelNames: ["outcome"] as const,
    registers: [registry],
    collect() {
      const totals = ingestTotals(db);
      this.reset();
      for (const [outcome, n] of Object.entries(totals.records)) this.inc({ outcome }, n);
    },
  });
  new Gauge({
    name: "kliniske_search_outbox_lag",
    help: "Changes waiting in the search outbox for each engine (-1: the engine has no index yet).",
    labelNames: ["engine"] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const engine of engines.indexed)
        this.set({ engine: engine.name }, enginePending(db, engine.name)?.lag ?? -1);
    },
  });
  new Gauge({
    name: "kliniske_search_outbox_oldest_seconds",
    help: "Age of the oldest change an engine has not indexed yet (0 when none wait).",
    labelNames: ["engine"] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const engine of engines.indexed) {
        const oldest = enginePending(db, engine.name)?.oldestEnqueuedAt;
        this.set({ engine: engine.name }, oldest ? Math.max(0, (Date.now() - Date.parse(oldest)) / 1000) : 0);
      }
    },
  });
  new Gauge({
    name: "kliniske_search_engine",
    help: 'The search engines: role="configured" is SEARCH_ENGINE, role="serving" answers searches now (sqlite-fts while Meilisearch is down), role="healthy" per engine.',
    labelNames: ["engine", "role"] as const,
    registers: [registry],
    async collect() {
      const report = await searchHealthReport(db, engines, 1_000);
      this.reset();
      this.set({ engine: report.configured, role: "configured" }, 1);
      this.set({ engine: report.serving, role: "serving" }, 1);
      for (const e of report.engines) this.set({ engine: e.engine, role: "healthy" }, e.ok ? 1 : 0);
    },
  });
  new Counter({
    name: "kliniske_search_fallback_answers_total",
    help: 'Searches answered by the embedded engine instead of Meilisearch since start: reason="unavailable" (it failed) or "behind" (it had not indexed a change yet).',
    labelNames: ["reason"] as const,
    registers: [registry],
    collect() {
      this.reset();
      const search = engines.search;
      if (search instanceof FallbackSearchEngine) {
        this.inc({ reason: "unavailable" }, search.fallbacks);
        this.inc({ reason: "behind" }, search.catchUps);
      }
    },
  });
  cacheMetrics(registry, apiAnswerCacheStats, {
    name: "kliniske_api_answer_cache",
    hitsHelp:
      'Open API reads of cacheable endpoints since start: result="hit" (answered from the answer cache) or "miss" (made anew).',
    bytesHelp: "Approximate memory held by the open API's answer cache (API_ANSWER_CACHE_MB bounds it).",
  });
  if (options.pageCache) {
    cacheMetrics(registry, options.pageCache, {
      name: "kliniske_page_cache",
      hitsHelp:
        "Public pages answered from this process's page cache (hit; revalidated: the data had moved but not under the page) or rendered (miss).",
      bytesHelp: "Approximate memory held by this process's page cache (PAGE_CACHE_MB bounds it).",
    });
  }
  new Counter({
    name: "kliniske_search_table_reads_total",
    help: "How this process's embedded search table kept up with the index: whole loads, or catch-ups by the changed studies (ADR 0030).",
    labelNames: ["kind"],
    registers: [registry],
    collect() {
      this.reset();
      const reads = engines.embedded.tableReads;
      this.inc({ kind: "load" }, reads.loads);
      this.inc({ kind: "catch_up" }, reads.catchUps);
    },
  });
  new Gauge({
    name: "kliniske_sse_clients",
    help: "Open connections to the live stream (/api/v1/events).",
    registers: [registry],
    collect() {
      this.set(options.sseClients());
    },
  });

  return {
    registry,
    middleware: (req, res, next) => {
      if (options.skip?.(req.path)) return next();
      const started = process.hrtime.bigint();
      res.once("finish", () => {
        const marked = res.locals.metricsRoute;
        const route = typeof marked === "string" ? marked : routeLabel(patterns, req.path);
        duration.observe(
          { method: METHODS.has(req.method) ? req.method : "OTHER", route, status_code: String(res.statusCode) },
          Number(process.hrtime.bigint() - started) / 1e9,
        );
      });
      next();
    },
    handler: async (_req, res) => {
      try {
        const body = await registry.metrics();
        res.status(200).set({ "Content-Type": registry.contentType, "Cache-Control": "no-store" }).send(body);
      } catch (error) {
        res
          .status(500)
          .type("text/plain")
          .send(`metrics unavailable: ${(error as Error).message}\n`);
      }
    },
  };
}
