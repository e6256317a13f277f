/**
 * Production server: Express + @remix-run/express (docs/decisions/0001-remix-classic-and-express.md).
 * Order at start: validate config → open database → migrate → reference lists → demo seed if empty
 * → search engines (setup, rebuild if new or empty, indexers) → serve. A bad config value or a
 * failed migration stops the start with a clear message; a Meilisearch that is down does not (it
 * is retried with back-off and searches fall back to the embedded engine meanwhile).
 */
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import compression from "compression";
import express from "express";
import { existsSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { loadConfigOrExit } from "./app/config.server";
import { closeDb, getDb } from "./app/db.server";
import { prepareDatabase } from "./app/boot.server";
import { dropCursorsExcept } from "./app/models/search-outbox.server";
import { startFeedScheduler } from "./app/ingest/feed-poller.server";
import { getSearchEngines, startSearchIndexing } from "./app/search.server";
import { EVENTS_PATH, RealtimeHub } from "./app/realtime/hub.server";
import { crossSiteGuard } from "./app/auth/csrf.server";

const config = loadConfigOrExit();
if (config.sessionSecretGenerated) {
  console.warn("SESSION_SECRET is not set: using a random secret for this process (sign-ins end at restart).");
}

const db = getDb();
try {
  const report = prepareDatabase(db, { seedDemoData: config.SEED_DEMO_DATA });
  if (report.migrationsApplied.length) console.log(`Migrations applied: ${report.migrationsApplied.join(", ")}`);
  if (report.seeded) {
    const s = report.seeded;
    console.log(`Demo data seeded for ${s.today}: ${s.created} fictional studies.`);
    for (const f of s.failed) console.error(`Demo study ${f.key} was rejected: ${JSON.stringify(f.problems)}`);
  }
} catch (error) {
  console.error(`Cannot prepare the database at ${config.DATABASE_PATH}: ${(error as Error).message}`);
  process.exit(1);
}

// Every engine is kept current (with SEARCH_ENGINE=meilisearch the embedded one too, as fallback).
// The embedded engine is local: wait for its first attempt so searches have data from the start.
const searchEngines = getSearchEngines();
console.log(
  searchEngines.meilisearch
    ? `Search: Meilisearch at ${config.MEILI_HOST}, falling back to the embedded sqlite-fts (both kept current).`
    : "Search: embedded sqlite-fts.",
);
// A cursor of an engine no longer configured would keep every outbox row forever.
for (const engine of dropCursorsExcept(db, searchEngines.indexed.map((e) => e.name))) {
  console.log(`Search: forgot the outbox cursor of ${engine} (no longer configured); a later switch back rebuilds its index.`);
}
const searchIndexing = startSearchIndexing(db, searchEngines.indexed);
await searchIndexing.embeddedReady;

const buildPath = path.resolve("build/index.js");
if (!existsSync(buildPath)) {
  console.error("No server build at build/index.js: run `npm run build` first (npm start does).");
  process.exit(1);
}
const build = (await import(pathToFileURL(buildPath).href)) as ServerBuild;

// Live events (/api/v1/events) and the status scheduler: logic in app/realtime/.
const hub = new RealtimeHub({ db, urls: { base: config.BASE_URL.replace(/\/+$/, "") } });
hub.start();

const app = express();
app.disable("x-powered-by");
// Before compression (it would buffer the stream) and before Remix (resource routes end their answers).
app.all(EVENTS_PATH, (req, res) => hub.handle(req, res));
app.use(compression());
// Fingerprinted assets from the Remix build can be cached for a year.
app.use("/build", express.static("public/build", { immutable: true, maxAge: "1y" }));
app.use(express.static("public", { maxAge: "1h" }));
// A form sent from another site is a clear 403 here (Remix alone would answer an empty 500).
app.use(crossSiteGuard);
// The client's address reaches loaders as load context (the open API's per-client rate limit).
app.all("*", createRequestHandler({ build, mode: config.NODE_ENV, getLoadContext: (req) => ({ remoteAddress: req.socket.remoteAddress ?? null }) }));

const server = app.listen(config.PORT, config.HOST, () => {
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : config.PORT;
  console.log(`Kliniske studier listening on http://localhost:${port} (database ${config.DATABASE_PATH})`);
});

// Organisations that publish a feed URL are polled when due (npm run feeds -- --add …).
const stopFeeds = startFeedScheduler(db);

function shutdown(signal: string) {
  console.log(`${signal}: closing`);
  stopFeeds();
  searchIndexing.stop();
  hub.close();
  server.close(() => {
    closeDb();
    process.exit(0);
  });
  // Requests that hang must not block shutdown forever.
  setTimeout(() => {
    closeDb();
    process.exit(0);
  }, 10_000).unref();
}
process.on("SIGTERM", () => shutdown("SIGTERM"));
process.on("SIGINT", () => shutdown("SIGINT"));
