/**
 * The ingest worker thread (started by app/ingest/ingest-writer.server.ts): its own SQLite
 * connection, one delivery at a time, a message after every committed chunk and one with the
 * report (or the error) at the end.
 */
import { parentPort, workerData } from "node:worker_threads";
import { openDatabase } from "#app/db.server";
import { lowerThreadPriority } from "#app/ops/thread-priority.server";
import { ingestDelivery, type DeliveryJob } from "./ingest-delivery.server";

const port = parentPort;
if (!port) throw new Error("ingest-worker.thread.ts runs only as a worker thread");
// Below the serving threads: a large delivery must not hold patients' requests (ADR 0030).
lowerThreadPriority();
const db = openDatabase((workerData as { databasePath: string }).databasePath);

port.on("message", (message: { type: "run"; id: number; job: DeliveryJob }) => {
  if (message.type !== "run") return;
  try {
    const report = ingestDelivery(db, message.job, () => port.postMessage({ type: "committed" }));
    port.postMessage({ type: "done", id: message.id, report });
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    port.postMessage({
      type: "failed",
      id: message.id,
      message: (error as Error).message,
      code: typeof code === "string" ? code : null,
    });
  }
});
