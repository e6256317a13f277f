/**
 * Graceful shutdown (SIGTERM, SIGINT), in this order:
 *
 * 1. mark the instance as shutting down: /readyz answers 503 so a load balancer stops sending;
 * 2. stop polling feeds and stop accepting connections (server.close); idle keep-alive
 *    connections are closed, requests in flight run to their end;
 * 3. end the live streams (the SSE hub): they would never end by themselves; clients reconnect
 *    elsewhere with Last-Event-ID and miss nothing;
 * 4. wait for the requests in flight (at most graceMs, then their connections are cut);
 *    then end the ingest worker thread (a delivery still running there fails as interrupted:
 *    what it stored is whole, and the sender sends again);
 * 5. flush the search outbox: whatever those requests changed is indexed into every engine that
 *    is up (an engine that is down keeps its changes in the outbox for the next start);
 * 6. close the database (SQLite checkpoints the WAL into the main file) and report.
 *
 * The caller exits 0 when this resolves. A second signal while shutting down exits at once (1).
 */
import type { Server } from "node:http";
import type { Logger } from "pino";
import type { FlushReport } from "#app/search.server";

export interface ShutdownParts {
  server: Server;
  logger: Logger;
  /** Marks the instance as not ready (read by /readyz). */
  markShuttingDown: () => void;
  stopFeeds: () => void;
  /** Ends the live streams. */
  closeStreams: () => void;
  flushSearch: (timeoutMs: number) => Promise<FlushReport[]>;
  closeDatabase: () => void;
  /** Ends the ingest worker thread (after the requests in flight, which may be waiting for it). */
  closeWriter?: () => Promise<void>;
  /** How long requests in flight may take (default 10 s). */
  graceMs?: number;
  /** How long the final search flush may take (default 10 s). */
  flushMs?: number;
}

export async function gracefulShutdown(parts: ShutdownParts, signal: string): Promise<void> {
  const { server, logger } = parts;
  const graceMs = parts.graceMs ?? 10_000;
  const started = Date.now();
  logger.info({ signal }, `${signal}: closing (finishing requests in flight, at most ${graceMs} ms)`);
  parts.markShuttingDown();
  parts.stopFeeds();

  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  parts.closeStreams();
  // A keep-alive connection that was busy is closed when its response ends (Node sends
  // "Connection: close" on responses after close()); check again until everything is gone.
  const idleSweep = setInterval(() => server.closeIdleConnections(), 100);
  let timer: NodeJS.Timeout | undefined;
  const cut = await Promise.race([
    closed.then(() => false),
    new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), graceMs))),
  ]);
  clearInterval(idleSweep);
  clearTimeout(timer);
  if (cut) {
    logger.warn(`shutdown: requests still running after ${graceMs} ms; closing their connections`);
    server.closeAllConnections();
    await closed;
  }

  await parts.closeWriter?.();
  const reports = await parts.flushSearch(parts.flushMs ?? 10_000);
  for (const r of reports) {
    if (r.error)
      logger.warn(
        { search: r },
        `shutdown: search (${r.engine}) not flushed: ${r.error}; ${r.lag ?? "?"} change(s) wait in the outbox`,
      );
    else
      logger.info(
        { search: r },
        `shutdown: search (${r.engine}) flushed: ${r.indexed} indexed, ${r.removed} removed, outbox lag ${r.lag}`,
      );
  }
  parts.closeDatabase();
  logger.info({ ms: Date.now() - started }, "shutdown complete");
}
