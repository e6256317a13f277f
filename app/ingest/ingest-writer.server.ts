/**
 * The ingest writer: runs deliveries (app/ingest/ingest-delivery.server.ts) in a worker thread
 * with its own SQLite connection, so parsing, mapping and writing a batch never hold the event
 * loop that answers patients (issue 20; docs/decisions/0022-ingest-worker-and-processes.md).
 * WAL lets this process go on reading while the worker writes.
 *
 * - Jobs run one at a time, in order (SQLite has one writer anyway).
 * - After every committed chunk the worker says so, and the serving thread wakes its search
 *   indexer and live-event hub at once (studyEvents), as an in-process save does. Answer-cache
 *   validity is read from the database per request, so it needs no message.
 * - A worker that dies (terminated, out of memory, a crash) fails the job in flight with
 *   IngestWriterCrashed; what it committed stays committed, each study whole (a record is one
 *   savepoint in a chunk transaction), and the next job starts a fresh worker. Sending the same
 *   delivery again completes it (the ingest is idempotent).
 * - Kept on globalThis: server.ts starts it, and the Remix build (the ingest route) finds it.
 */
import type { Worker } from "node:worker_threads";
import { typescriptThread } from "#app/ops/typescript-thread.server";
import { studyEvents } from "#app/models/study-events.server";
import type { DeliveryJob } from "./ingest-delivery.server";
import type { IngestReport } from "./ingest-service.server";

export class IngestWriterCrashed extends Error {
  override readonly name = "IngestWriterCrashed";
}

/**
 * Whether an error is the writer's "stopped mid-way". By name, not instanceof: server.ts and the
 * Remix build each load their own copy of this module (the writer is the server's copy).
 */
export function isIngestInterrupted(error: unknown): error is IngestWriterCrashed {
  return error instanceof Error && error.name === "IngestWriterCrashed";
}

type FromWorker =
  | { type: "committed" }
  | { type: "done"; id: number; report: IngestReport }
  | { type: "failed"; id: number; message: string; code: string | null };

interface Pending {
  id: number;
  job: DeliveryJob;
  resolve: (report: IngestReport) => void;
  reject: (error: Error) => void;
}

export interface IngestWriterOptions {
  databasePath: string;
  /**
   * An idle worker is ended after this long (default 30 s) and a new one started for the next job:
   * its heap (what mapping and writing a large delivery left) is given back instead of being kept
   * for the life of the process (issue 20 item 4).
   */
  idleMs?: number;
  /** The worker's module (default: app/ingest/ingest-worker.thread.ts under the working directory). */
  entry?: string;
  log?: (message: string) => void;
}

export class IngestWriter {
  private worker: Worker | null = null;
  private readonly queue: Pending[] = [];
  private current: Pending | null = null;
  private nextId = 1;
  private closed = false;
  private idleTimer: NodeJS.Timeout | null = null;
  private readonly log: (message: string) => void;
  /** Jobs finished, failed and workers lost (for /metrics and tests). */
  readonly stats = { done: 0, failed: 0, crashes: 0 };

  constructor(private readonly options: IngestWriterOptions) {
    this.log = options.log ?? console.log;
  }

  /** Runs one delivery in the worker; resolves with its report (the same report as in-process). */
  run(job: DeliveryJob): Promise<IngestReport> {
    if (this.closed) return Promise.reject(new IngestWriterCrashed("innlesingen er stoppet (portalen avslutter)"));
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, job, resolve, reject });
      this.pump();
    });
  }

  /** The worker thread in use (tests terminate it mid-batch), or null between jobs before the first. */
  get thread(): Worker | null {
    return this.worker;
  }

  /** Jobs waiting or running. */
  get pending(): number {
    return this.queue.length + (this.current ? 1 : 0);
  }

  /** Waits for the job in flight and the queue (at most timeoutMs), then ends the worker. */
  async close(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.pending > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    this.closed = true;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    for (const p of this.queue.splice(0))
      p.reject(new IngestWriterCrashed("innlesingen er stoppet (portalen avslutter)"));
    const worker = this.worker;
    this.worker = null;
    if (worker) await worker.terminate();
  }

  private spawn(): Worker {
    const worker = typescriptThread(this.options.entry ?? "app/ingest/ingest-worker.thread.ts", {
      workerData: { databasePath: this.options.databasePath },
    });
    worker.on("message", (message: FromWorker) => this.onMessage(message));
    worker.on("error", (error) => this.onGone(worker, `ingest worker failed: ${error.message}`));
    worker.on("exit", (code) => this.onGone(worker, `ingest worker exited (code ${code})`));
    // Idle between jobs: it must not keep the process alive by itself.
    worker.unref();
    return worker;
  }

  private pump(): void {
    if (this.current || this.closed) return;
    const next = this.queue.shift();
    if (!next) {
      this.endWhenIdle();
      return;
    }
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    this.current = next;
    this.worker ??= this.spawn();
    this.worker.ref();
    this.worker.postMessage({ type: "run", id: next.id, job: next.job });
  }

  private endWhenIdle(): void {
    if (!this.worker || this.idleTimer) return;
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null;
      const worker = this.worker;
      if (!worker || this.current || this.queue.length) return;
      this.worker = null; // not a crash: onGone ignores a worker that is no longer the current one
      void worker.terminate();
    }, this.options.idleMs ?? 30_000);
    this.idleTimer.unref();
  }

  private onMessage(message: FromWorker): void {
    if (message.type === "committed") {
      studyEvents().emit("changed", 0);
      return;
    }
    const job = this.current;
    if (!job || job.id !== message.id) return;
    this.current = null;
    this.worker?.unref();
    if (message.type === "done") {
      this.stats.done++;
      // The last chunk's change (and a withdrawal after it) are seen at once too.
      studyEvents().emit("changed", 0);
      job.resolve(message.report);
    } else {
      this.stats.failed++;
      const error = new Error(message.message) as Error & { code?: string };
      if (message.code) error.code = message.code;
      job.reject(error);
    }
    this.pump();
  }

  private onGone(worker: Worker, why: string): void {
    if (this.worker !== worker) return;
    this.worker = null;
    if (this.closed) return;
    this.stats.crashes++;
    this.log(why);
    const job = this.current;
    this.current = null;
    // Whatever it committed before dying is whole: let readers see it.
    studyEvents().emit("changed", 0);
    job?.reject(
      new IngestWriterCrashed(
        "innlesingen stoppet underveis; studier som alt er lagret er hele, og ingen er halvveis lagret. Send leveransen på nytt.",
      ),
    );
    this.pump();
  }
}

const KEY = Symbol.for("kliniske-studier.ingest-writer");
type G = typeof globalThis & { [KEY]?: IngestWriter };

/** Starts the process's ingest writer (server.ts); later calls return the same one. */
export function startIngestWriter(options: IngestWriterOptions): IngestWriter {
  const g = globalThis as G;
  g[KEY] ??= new IngestWriter(options);
  return g[KEY];
}

/** The process's ingest writer, or null when none was started (deliveries then run in the caller). */
export function ingestWriter(): IngestWriter | null {
  return (globalThis as G)[KEY] ?? null;
}
