/**
 * Production server: Express + @remix-run/express (docs/decisions/0001-remix-classic-and-express.md).
 * Order at start: validate config → open database → migrate → reference lists → demo seed if empty
 * → search engines (setup, rebuild if new or empty, indexers) → serve. A bad config value or a
 * failed migration stops the start with a clear message; a Meilisearch that is down does not (it
 * is retried with back-off and searches fall back to the embedded engine meanwhile).
 * Operations (docs/operations.md): JSON logs with a request id, security headers, /healthz
 * (liveness), /readyz (readiness), /metrics (Prometheus), graceful shutdown on SIGTERM.
 */
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import compression from "compression";
import express from "express";
import { existsSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { GENERATED_SECRET_ENV, loadConfigOrExit } from "./app/config.server";
import { accessRouteOf, createLogger, httpLogger, logCrashes, routeConsoleTo } from "./app/http/logging.server";
import { createMetrics, markRoute, routeLabel, routePatterns } from "./app/http/metrics.server";
import { readiness } from "./app/http/readiness.server";
import { cspNonceOf, securityHeaders } from "./app/http/security-headers.server";
import { gracefulShutdown } from "./app/http/shutdown.server";
import { readMigrations } from "./app/models/migrations.server";
import { removeServerPid, writeServerPid } from "./app/ops/server-pid.server";
import { closeDb, getDb } from "./app/db.server";
import { prepareDatabase, refreshReferenceData } from "./app/boot.server";
import { dropCursorsExcept } from "./app/models/search-outbox.server";
import { startFeedScheduler } from "./app/ingest/feed-poller.server";
import { startIngestWriter } from "./app/ingest/ingest-writer.server";
import cluster from "node:cluster";
import { announceListening, clusterRole, joinCluster, runPrimary } from "./app/http/cluster.server";
import { getSearchEngines, startSearchIndexing, type SearchIndexing } from "./app/search.server";
import { startSearchIndexingThread } from "./app/search/indexing-thread.server";
import { EVENTS_PATH, RealtimeHub } from "./app/realtime/hub.server";
import { crossSiteGuard } from "./app/auth/csrf.server";
import { clientKey } from "./app/api/rate-limit";
import { healthAnswer, opsAuthorised } from "./app/http/health.server";
import { dropUntrustedForwarding, formGuard } from "./app/http/request-guards.server";
import { answerFromCache, answerStateFor } from "./app/http/api-read.server";
import { pageDependencyRecord, stillShowsTheSame } from "./app/http/page-dependencies.server";
import { osloDate } from "./app/domain/inclusion-status";
import { PUBLIC_PAGE_CACHE_CONTROL } from "./app/http/cache-headers";
import {
  cacheableRequest,
  cachedPage,
  cspWithHashes,
  PageCache,
  replayHeaders,
  storableAnswer,
} from "./app/http/page-cache.server";

const config = loadConfigOrExit();
// JSON lines on stdout; console.* from every module (and the Remix build) goes through it too.
const logger = createLogger({ level: config.LOG_LEVEL });
routeConsoleTo(logger);
// A crash is one JSON line with no request query in it (docs/privacy.md), not Node's raw dump.
logCrashes(logger);
if (config.sessionSecretGenerated) {
  console.warn("SESSION_SECRET is not set: using a random secret for this run (sign-ins end at restart).");
}

const db = getDb();
try {
  // In a cluster the primary prepared the database (and seeded it) before forking.
  const report = prepareDatabase(db, { seedDemoData: config.SEED_DEMO_DATA && !cluster.isWorker });
  if (report.migrationsApplied.length) console.log(`Migrations applied: ${report.migrationsApplied.join(", ")}`);
  const ref = report.reference;
  if (ref.postcodes)
    console.log(`Reference data: ${ref.postcodes.loaded} postcodes loaded (data/reference/postcodes.tsv.gz).`);
  if (ref.codes)
    console.log(
      `Reference data: ${ref.codes.version}: ${ref.codes.icd10Added} ICD-10 codes added, ${ref.codes.icd10Renamed} renamed, ${ref.codes.icpc2} ICPC-2 codes.`,
    );
  if (ref.reindexed) console.log(`Reference data changed: ${ref.reindexed} studies queued for reindexing.`);
  if (report.seeded) {
    const s = report.seeded;
    console.log(`Demo data seeded for ${s.today}: ${s.created} fictional studies.`);
    for (const f of s.failed) console.error(`Demo study ${f.key} was rejected: ${JSON.stringify(f.problems)}`);
  }
} catch (error) {
  console.error(`Cannot prepare the database at ${config.DATABASE_PATH}: ${(error as Error).message}`);
  process.exit(1);
}

const listeningLine = (port: number) =>
  `Kliniske studier listening on http://localhost:${port} (database ${config.DATABASE_PATH})`;

// WEB_CONCURRENCY > 1: this process only supervises that many serving processes, which run the
// rest of this file; the first of them (the leader) alone runs the writers and schedulers that
// must run once (app/http/cluster.server.ts, ADR 0022).
if (config.WEB_CONCURRENCY > 1 && config.DATABASE_PATH !== ":memory:" && cluster.isPrimary) {
  closeDb();
  // One session secret for every serving process: a random one made per process would sign a
  // visitor out (and fail their form's CSRF check) whenever the next request lands elsewhere.
  const sharedEnv: Record<string, string> = config.sessionSecretGenerated
    ? { SESSION_SECRET: config.SESSION_SECRET, [GENERATED_SECRET_ENV]: "1" }
    : {};
  // The portal is announced when every serving process listens (tests and scripts wait for the line).
  await runPrimary(config.WEB_CONCURRENCY, logger, sharedEnv, (port) =>
    logger.info({ port, database: config.DATABASE_PATH }, listeningLine(port)),
  );
}
const leader = clusterRole() === "leader";

// Every engine is kept current (with SEARCH_ENGINE=meilisearch the embedded one too, as fallback).
// The embedded engine is local: wait for its first attempt so searches have data from the start.
const searchEngines = getSearchEngines();
console.log(
  searchEngines.meilisearch
    ? `Search: Meilisearch at ${config.MEILI_HOST}, falling back to the embedded sqlite-fts (both kept current).`
    : "Search: embedded sqlite-fts.",
);
// A cursor of an engine no longer configured would keep every outbox row forever.
for (const engine of (leader ? dropCursorsExcept : () => [])(
  db,
  searchEngines.indexed.map((e) => e.name),
)) {
  console.log(
    `Search: forgot the outbox cursor of ${engine} (no longer configured); a later switch back rebuilds its index.`,
  );
}
// Only the leader indexes; the other processes search the same index (the embedded one is in the
// database file, Meilisearch is a service). It indexes on a worker thread with its own connection,
// off the thread that answers requests (app/search/indexing-thread.server.ts, ADR 0030); an
// in-memory database cannot be shared with another connection, so it then indexes here.
const searchIndexing: SearchIndexing = !leader
  ? { embeddedReady: Promise.resolve(), allReady: Promise.resolve(), stop: () => {}, flush: async () => [] }
  : config.DATABASE_PATH === ":memory:"
    ? startSearchIndexing(db, searchEngines.indexed, { pollMs: config.CHANGE_POLL_MS })
    : startSearchIndexingThread({ databasePath: config.DATABASE_PATH, config, pollMs: config.CHANGE_POLL_MS });
// What /readyz compares the database with (read once: the files do not change while we run).
const shippedMigrations = readMigrations();
await searchIndexing.embeddedReady;

const buildPath = path.resolve("build/index.js");
if (!existsSync(buildPath)) {
  console.error("No server build at build/index.js: run `npm run build` first (npm start does).");
  process.exit(1);
}
const build = (await import(pathToFileURL(buildPath).href)) as ServerBuild;

// Live events (/api/v1/events) and the status scheduler: logic in app/realtime/.
// One client may hold at most SSE_MAX_STREAMS_PER_CLIENT streams (its address, or the trusted proxy's X-Forwarded-For).
const hub = new RealtimeHub({
  db,
  urls: { base: config.BASE_URL.replace(/\/+$/, "") },
  maxPerClient: config.SSE_MAX_STREAMS_PER_CLIENT,
  pollMs: config.CHANGE_POLL_MS,
  // The status scheduler writes status events: one process runs it.
  runScheduler: leader,
  clientOf: (req) =>
    clientKey(
      { get: (name) => headerValue(req.headers[name.toLowerCase()]) },
      req.socket.remoteAddress,
      config.TRUST_PROXY_HOPS,
    ),
});
hub.start();

let shuttingDown = false;
const metrics = createMetrics({
  db,
  engines: searchEngines,
  routes: build.routes,
  sseClients: () => hub.connections(),
  // Declared further down (it sits after the security headers): read only when /metrics is scraped.
  pageCache: () => pageCache.stats(),
  skip: (p) => p === EVENTS_PATH,
});
// Probes and scrapes every few seconds would drown the access log.
const QUIET_PATHS = new Set(["/healthz", "/readyz", "/metrics"]);

const app = express();
app.disable("x-powered-by");
// Without a trusted proxy in front, X-Forwarded-* and Forwarded are anybody's words: dropped
// before anything reads them (Remix builds request.url from X-Forwarded-Host).
app.use(dropUntrustedForwarding(config.TRUST_PROXY_HOPS));
// Behind a TLS terminator / load balancer: trust its X-Forwarded-For and X-Forwarded-Proto
// (req.secure → HSTS=auto), no further than the configured number of hops.
if (config.TRUST_PROXY_HOPS > 0) app.set("trust proxy", config.TRUST_PROXY_HOPS);
// First: every response (also the live stream, static files and errors) gets a request id, an
// access-log line and the security headers.
// Public requests are logged by route pattern only: no query, no address (docs/privacy.md).
const patterns = routePatterns(build.routes);
app.use(
  httpLogger(logger, { ignore: (p) => QUIET_PATHS.has(p), routeOf: accessRouteOf((p) => routeLabel(patterns, p)) }),
);
app.use(securityHeaders({ hsts: config.HSTS }));
// Which serving process answered (its cluster number, not its pid): for operators and the tests.
if (cluster.isWorker) {
  const processNumber = String(cluster.worker!.id);
  app.use((_req, res, next) => {
    res.setHeader("X-Server-Process", processNumber);
    next();
  });
}
app.use(metrics.middleware);
// Operational details only with the METRICS_TOKEN on this port (app/http/health.server.ts), or
// on METRICS_PORT below. Without the token /metrics is the ordinary 404 page.
const opsAllowed = (req: express.Request) =>
  opsAuthorised({ get: (name) => headerValue(req.headers[name.toLowerCase()]) }, config.METRICS_TOKEN);
const serveMetrics = (req: express.Request, res: express.Response) => {
  markRoute(res, "/metrics");
  return metrics.handler(req, res);
};
const serveReadiness = async (res: express.Response, detailed: boolean) => {
  markRoute(res, "/readyz");
  const report = await readiness({
    db,
    engines: searchEngines,
    migrations: shippedMigrations,
    shuttingDown: () => shuttingDown,
  });
  const body = detailed ? report : { status: report.status, time: report.time };
  res
    .status(report.status === "ready" ? 200 : 503)
    .set("Cache-Control", "no-store")
    .json(body);
};
app.get("/metrics", (req, res, next) => (opsAllowed(req) ? serveMetrics(req, res) : next()));
app.get("/readyz", (req, res) => serveReadiness(res, opsAllowed(req)));
// Before compression (it would buffer the stream) and before Remix (resource routes end their answers).
app.all(EVENTS_PATH, (req, res) => hub.handle(req, res));
app.use(compression());
// Fingerprinted assets from the Remix build can be cached for a year.
app.use(
  "/build",
  express.static("public/build", { immutable: true, maxAge: "1y", setHeaders: (res) => markRoute(res, "/build/*") }),
);
// Only paths that name a file (favicon.svg …): a stat of public/ for every page and API request
// cost ~0.6 ms each under load.
const publicFiles = express.static("public", { maxAge: "1h", setHeaders: (res) => markRoute(res, "static") });
app.use((req, res, next) => (path.extname(req.path) ? publicFiles(req, res, next) : next()));
// A form sent from another site is a clear 403 here (Remix alone would answer an empty 500).
app.use(crossSiteGuard);
// Form writes: length declared and within the limit, a form Content-Type, a CSRF cookie for this
// session — all before the body is read (app/http/request-guards.server.ts).
app.use(formGuard);
// A repeated open-API read whose answer is cached and still valid is answered here, without
// Remix's request conversion and routing (app/http/api-read.server.ts: answerFromCache). Anything
// else, and any doubt (an error reading the state), goes on to Remix.
app.use((req, res, next) => {
  let answer;
  try {
    const headers = { get: (name: string) => headerValue(req.headers[name.toLowerCase()]) };
    answer = answerFromCache(req.method, req.originalUrl, headers, req.socket.remoteAddress ?? null);
  } catch {
    answer = null;
  }
  if (!answer) return next();
  res.status(answer.status).set(answer.headers);
  res.end(answer.body ?? undefined);
});
// A public page asked for again, unchanged since (the validity token), is sent from memory with
// its inline scripts allowed by hash instead of a nonce (app/http/page-cache.server.ts, ADR 0022).
const pageCache = new PageCache(config.PAGE_CACHE_MB * 1024 * 1024);
/** Pages larger than this are not kept (the bound is per entry, the LRU bounds the sum). */
const PAGE_CACHE_MAX_ENTRY = 2 * 1024 * 1024;
app.use(async (req, res, next) => {
  const headers = { get: (name: string) => headerValue(req.headers[name.toLowerCase()]) };
  if (!pageCache.enabled || !cacheableRequest(req.method, req.path, headers)) return next();
  let state: string;
  const now = new Date();
  const today = osloDate(now);
  try {
    state = answerStateFor(db, now);
  } catch {
    return next();
  }
  const key = req.originalUrl;
  // A page the data moved under is checked against what it was made from (ADR 0031).
  const hit = await pageCache.getOrRevalidate(key, state, (deps) => stillShowsTheSame(db, deps, today));
  if (hit) {
    const csp = res.getHeader("content-security-policy");
    if (typeof csp === "string") res.setHeader("content-security-policy", cspWithHashes(csp, hit.scriptHashes));
    res.status(200).set(hit.headers).set("X-Page-Cache", "hit");
    res.vary("Accept-Encoding");
    if (req.acceptsEncodings("gzip", "identity") === "gzip") {
      res.setHeader("Content-Encoding", "gzip");
      const gzip = pageCache.gzipOf(key, hit);
      res.setHeader("Content-Length", gzip.byteLength);
      res.end(gzip);
    } else res.end(hit.body);
    return;
  }
  res.setHeader("X-Page-Cache", "miss");
  // The view builders declare what the page shows into this record (app/http/page-dependencies.server.ts).
  const dependencies = pageDependencyRecord(today);
  const chunks: Buffer[] = [];
  let size = 0;
  const collect = (chunk: unknown, encoding: unknown) => {
    if (chunk == null || typeof chunk === "function" || size > PAGE_CACHE_MAX_ENTRY) return;
    const buf = Buffer.isBuffer(chunk)
      ? chunk
      : typeof chunk === "string"
        ? Buffer.from(chunk, typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8")
        : chunk instanceof Uint8Array
          ? Buffer.from(chunk)
          : null;
    if (!buf) return;
    size += buf.byteLength;
    chunks.push(buf);
  };
  const write = res.write;
  const end = res.end;
  res.write = function (this: express.Response, chunk: unknown, ...rest: unknown[]) {
    collect(chunk, rest[0]);
    return (write as (...a: unknown[]) => boolean).call(this, chunk, ...rest);
  } as typeof res.write;
  res.end = function (this: express.Response, chunk?: unknown, ...rest: unknown[]) {
    collect(chunk, rest[0]);
    const get = (name: string) => {
      const v = res.getHeader(name);
      return v === undefined ? undefined : Array.isArray(v) ? v.join(", ") : String(v);
    };
    if (size <= PAGE_CACHE_MAX_ENTRY && storableAnswer(res.statusCode, get, PUBLIC_PAGE_CACHE_CONTROL)) {
      pageCache.set(key, cachedPage(state, Buffer.concat(chunks), replayHeaders(get), dependencies.take()));
    }
    return (end as (...a: unknown[]) => express.Response).call(this, chunk, ...rest);
  } as typeof res.end;
  dependencies.run(() => next());
});
// Load context: the client's address (the open API's per-client rate limit) and this response's
// CSP nonce (app/entry.server.tsx puts it on Remix's inline scripts).
app.all(
  "*",
  createRequestHandler({
    build,
    mode: config.NODE_ENV,
    getLoadContext: (req, res) => ({ remoteAddress: req.socket.remoteAddress ?? null, cspNonce: cspNonceOf(res) }),
  }),
);

function headerValue(value: string | string[] | undefined): string | null {
  return value === undefined ? null : Array.isArray(value) ? value.join(", ") : value;
}

// Node's defaults let a slow client keep a request open for 300 s; the check runs every second
// so the limits hold closely (a live stream is a response and is not cut).
// The pid db:restore checks: the primary's in a cluster (it owns the serving processes).
const serverPid = cluster.isWorker ? process.ppid : process.pid;
const server = http.createServer(
  {
    requestTimeout: config.REQUEST_TIMEOUT_SECONDS * 1000,
    headersTimeout: config.HEADERS_TIMEOUT_SECONDS * 1000,
    connectionsCheckingInterval: 1000,
  },
  app,
);
server.listen(config.PORT, config.HOST, () => {
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : config.PORT;
  // tests/helpers/server.ts and scripts wait for "listening on http://localhost:<port>" in this line.
  // npm run db:restore refuses to replace a database a running server holds.
  if (leader) writeServerPid(config.DATABASE_PATH, { pid: serverPid, port, startedAt: new Date().toISOString() });
  // In a cluster the primary says it, once every serving process listens.
  if (cluster.isWorker) {
    logger.info({ port, process: cluster.worker!.id }, `serving process ${cluster.worker!.id} ready`);
    announceListening(port);
  } else logger.info({ port, database: config.DATABASE_PATH }, listeningLine(port));
});
process.on("exit", () => removeServerPid(config.DATABASE_PATH, serverPid));

// METRICS_PORT: /metrics, /healthz and /readyz with every detail and no token, for the monitoring
// network only (METRICS_HOST, default 127.0.0.1). Never the portal's pages.
let opsServer: http.Server | null = null;
if (config.METRICS_PORT !== undefined && leader) {
  const ops = express();
  ops.disable("x-powered-by");
  ops.get("/metrics", serveMetrics);
  ops.get("/readyz", (_req, res) => serveReadiness(res, true));
  ops.get("/healthz", async (_req, res) => {
    const answer = await healthAnswer(db, searchEngines, true);
    res.status(answer.httpStatus).set("Cache-Control", "no-store").json(answer.body);
  });
  ops.use((_req, res) => {
    res.status(404).type("text/plain").send("404: only /metrics, /healthz and /readyz here\n");
  });
  opsServer = ops.listen(config.METRICS_PORT, config.METRICS_HOST, () => {
    const address = opsServer!.address();
    const port = typeof address === "object" && address ? address.port : config.METRICS_PORT;
    logger.info({ port }, `Operations (metrics, health) on http://${config.METRICS_HOST}:${port}`);
  });
}

// Deliveries (the ingest API, feeds) are mapped and written in a worker thread with its own
// connection, off the thread that answers requests (app/ingest/ingest-writer.server.ts, ADR 0022).
// (An in-memory database cannot be shared with another connection: deliveries then run here.)
const writer =
  config.DATABASE_PATH === ":memory:"
    ? null
    : startIngestWriter({ databasePath: config.DATABASE_PATH, log: (m) => logger.warn(m) });

// Organisations that publish a feed URL are polled when due (npm run feeds -- --add …).
const stopFeeds = leader ? startFeedScheduler(db) : () => {};

// Shipped reference data (postcode file, @navikt/diagnosekoder, data/reference/*.json) replaced
// while the portal runs is loaded within a minute, and what depends on it reindexed (ADR 0013).
const referenceCheck = setInterval(() => {
  if (shuttingDown || !leader) return;
  try {
    const r = refreshReferenceData(db);
    if (r.lists || r.postcodes || r.codes) {
      logger.info(
        {
          lists: r.lists,
          postcodes: r.postcodes?.loaded ?? null,
          codes: r.codes?.version ?? null,
          reindexed: r.reindexed,
        },
        "shipped reference data changed: reloaded",
      );
    }
    for (const problem of r.codes?.problems.slice(0, 20) ?? []) logger.warn(problem);
  } catch (error) {
    logger.error(
      { err: error },
      `shipped reference data could not be reloaded (the old data is kept): ${(error as Error).message}`,
    );
  }
}, 60_000);
referenceCheck.unref();

function shutdown(signal: string) {
  if (shuttingDown) {
    logger.warn(`${signal} again while shutting down: exiting now`);
    process.exit(1);
  }
  shuttingDown = true;
  opsServer?.close();
  opsServer?.closeAllConnections();
  gracefulShutdown(
    {
      server,
      logger,
      markShuttingDown: () => (shuttingDown = true),
      stopFeeds,
      closeStreams: () => hub.close(),
      closeWriter: async () => writer?.close(),
      flushSearch: (ms) => searchIndexing.flush(ms),
      closeDatabase: () => {
        closeDb();
        removeServerPid(config.DATABASE_PATH, serverPid);
      },
    },
    signal,
  ).then(
    () => process.exit(0),
    (error: unknown) => {
      logger.error({ err: error }, `shutdown failed: ${(error as Error).message}`);
      process.exit(1);
    },
  );
  // The last resort: never hang (grace 10 s + flush 10 s + closing).
  setTimeout(() => {
    logger.error("shutdown did not finish in 30 s: exiting");
    process.exit(1);
  }, 30_000).unref();
}
process.on("SIGTERM", () => shutdown("SIGTERM"));
process.on("SIGINT", () => shutdown("SIGINT"));
// In a cluster: study changes are relayed between the processes, and the primary's shutdown
// request (after SIGTERM/SIGINT to it; a terminal's Ctrl-C reaches this process too) is heeded once.
joinCluster(() => {
  if (!shuttingDown) shutdown("cluster shutdown");
});
