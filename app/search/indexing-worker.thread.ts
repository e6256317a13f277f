/**
 * The search-indexing worker thread (started by app/search/indexing-thread.server.ts): its own
 * SQLite connection and engines, the same startSearchIndexing() as in-process, and messages for
 * readiness, log lines, wake-ups and the shutdown flush.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { Config } from "#app/config.server";
import { openDatabase } from "#app/db.server";
import { lowerThreadPriority } from "#app/ops/thread-priority.server";
import { studyEvents } from "#app/models/study-events.server";
import { createSearchEngines, startSearchIndexing } from "#app/search.server";
import type { ToIndexingThread, FromIndexingThread } from "./indexing-thread.server";

const port = parentPort;
if (!port) throw new Error("indexing-worker.thread.ts runs only as a worker thread");
const data = workerData as {
  databasePath: string;
  pollMs: number;
  config: Pick<Config, "SEARCH_ENGINE" | "MEILI_HOST" | "MEILI_API_KEY">;
};
const post = (message: FromIndexingThread) => port.postMessage(message);
// Below the serving threads: a large delivery must not hold patients' requests (ADR 0030).
lowerThreadPriority();
const db = openDatabase(data.databasePath);
const engines = createSearchEngines(data.config, db);
const indexing = startSearchIndexing(db, engines.indexed, {
  pollMs: data.pollMs,
  log: (message) => post({ type: "log", message }),
});
void indexing.embeddedReady.then(() => post({ type: "embeddedReady" }));
void indexing.allReady.then(() => post({ type: "allReady" }));

port.on("message", (message: ToIndexingThread) => {
  if (message.type === "changed") studyEvents().emit("changed", 0);
  else if (message.type === "flush") {
    void indexing.flush(message.timeoutMs).then(
      (reports) => post({ type: "flushed", id: message.id, reports }),
      (error: unknown) => post({ type: "flushed", id: message.id, reports: [], error: (error as Error).message }),
    );
  } else if (message.type === "stop") indexing.stop();
});
