/**
 * A worker thread that runs one of the portal's TypeScript modules (the ingest worker, the search
 * indexing thread). Both start through one plain-JavaScript entry, typescript-thread.mjs, which
 * registers tsx in the thread and imports the module given here.
 */
import path from "node:path";
import { Worker, type WorkerOptions } from "node:worker_threads";

export function typescriptThread(modulePath: string, options: Omit<WorkerOptions, "argv"> = {}): Worker {
  return new Worker(path.resolve("app/ops/typescript-thread.mjs"), { ...options, argv: [path.resolve(modulePath)] });
}
