/**
 * Search indexing in a worker thread (issue 20; docs/decisions/0030-search-indexing-thread-and-table-catch-up.md):
 * draining the search outbox — reading each changed study, building its documents, writing the
 * embedded index and sending Meilisearch its batch — runs on its own thread with its own SQLite
 * connection, so an ingest of a thousand studies never holds the event loop that answers patients.
 * The serving threads see the new index through the generation and the search_changes log
 * (app/search/sqlite-fts.server.ts), as they see another process's writes.
 *
 * The same SearchIndexing as startSearchIndexing() in-process (server.ts uses one or the other):
 * - study changes in this process wake the thread at once (it also polls, for other processes);
 * - flush() at shutdown asks the thread for its final drain and waits for its reports;
 * - a thread that dies is started again after a pause; nothing is lost, since the outbox cursors
 *   move only after an engine confirmed a batch.
 */
import type { Worker } from "node:worker_threads";
import { typescriptThread } from "#app/ops/typescript-thread.server";
import type { Config } from "#app/config.server";
import { studyEvents } from "#app/models/study-events.server";
import type { FlushReport, SearchIndexing } from "#app/search.server";

export type ToIndexingThread =
  { type: "changed" } | { type: "flush"; id: number; timeoutMs: number } | { type: "stop" };

export type FromIndexingThread =
  | { type: "embeddedReady" }
  | { type: "allReady" }
  | { type: "log"; message: string }
  | { type: "flushed"; id: number; reports: FlushReport[]; error?: string };

export interface IndexingThreadOptions {
  databasePath: string;
  config: Pick<Config, "SEARCH_ENGINE" | "MEILI_HOST" | "MEILI_API_KEY">;
  pollMs?: number;
  log?: (message: string) => void;
  /** The thread's module (default: app/search/indexing-worker.thread.ts under the working directory). */
  entry?: string;
  /** Pause before a thread that died is started again (default 1 s). */
  restartMs?: number;
}

export interface IndexingThread extends SearchIndexing {
  /** The running thread (tests end it to show a restart loses nothing). */
  readonly thread: Worker | null;
  /** Threads that died and were started again. */
  readonly restarts: number;
}

export function startSearchIndexingThread(options: IndexingThreadOptions): IndexingThread {
  const log = options.log ?? console.log;
  let worker: Worker | null = null;
  let stopped = false;
  let restarts = 0;
  let nextFlushId = 1;
  const flushes = new Map<number, (reports: FlushReport[]) => void>();
  let markEmbedded!: () => void;
  let markAll!: () => void;
  const embeddedReady = new Promise<void>((resolve) => (markEmbedded = resolve));
  const allReady = new Promise<void>((resolve) => (markAll = resolve));

  const spawn = () => {
    const w = typescriptThread(options.entry ?? "app/search/indexing-worker.thread.ts", {
      workerData: { databasePath: options.databasePath, pollMs: options.pollMs ?? 1000, config: options.config },
    });
    w.on("message", (message: FromIndexingThread) => {
      if (message.type === "embeddedReady") markEmbedded();
      else if (message.type === "allReady") markAll();
      else if (message.type === "log") log(message.message);
      else if (message.type === "flushed") {
        if (message.error) log(`search indexing: final drain failed: ${message.error}`);
        flushes.get(message.id)?.(message.reports);
        flushes.delete(message.id);
      }
    });
    w.on("error", (error) => log(`search indexing thread failed: ${error.message}`));
    w.on("exit", (code) => {
      if (worker !== w) return;
      worker = null;
      for (const [id, done] of flushes) {
        flushes.delete(id);
        done([]);
      }
      if (stopped) return;
      restarts++;
      log(`search indexing thread exited (code ${code}); starting it again (changes wait in the outbox meanwhile)`);
      // A thread that cannot start at all must not hold the portal's start.
      markEmbedded();
      setTimeout(() => {
        if (!stopped) worker = spawn();
      }, options.restartMs ?? 1000).unref();
    });
    return w;
  };
  worker = spawn();

  const onChange = () => worker?.postMessage({ type: "changed" } satisfies ToIndexingThread);
  studyEvents().on("changed", onChange);

  const stop = () => {
    if (stopped) return;
    stopped = true;
    studyEvents().off("changed", onChange);
    markAll();
  };

  return {
    embeddedReady,
    allReady,
    get thread() {
      return worker;
    },
    get restarts() {
      return restarts;
    },
    stop: () => {
      const w = worker;
      stop();
      w?.postMessage({ type: "stop" } satisfies ToIndexingThread);
      worker = null;
      void w?.terminate();
    },
    flush: async (timeoutMs = 10_000) => {
      const w = worker;
      stop();
      if (!w) return [];
      const id = nextFlushId++;
      const reports = await new Promise<FlushReport[]>((resolve) => {
        flushes.set(id, resolve);
        w.postMessage({ type: "flush", id, timeoutMs } satisfies ToIndexingThread);
        // The thread keeps to timeoutMs itself; this only guards against a thread that hangs.
        setTimeout(() => {
          flushes.delete(id);
          resolve([]);
        }, timeoutMs + 2_000).unref();
      });
      worker = null;
      await w.terminate();
      return reports;
    },
  };
}
