/**
 * One delivery (a body as sent by a hospital, already unpacked) → mapped records → the one ingest
 * service (ingestBatch). The HTTP ingest API and the feed poller hand this job to the ingest
 * writer (app/ingest/ingest-writer.server.ts), which runs it in a worker thread with its own
 * connection; without a writer (scripts, tests that call it directly) it runs in the caller.
 * Either way the same code maps and writes, so CLI, HTTP and feeds share one ingest service.
 */
import type { Db } from "#app/db.server";
import { buildMapContext, mapInput } from "./formats.server";
import { ingestBatch, type IngestReport } from "./ingest-service.server";
import type { IngestFormat } from "./types";

export interface DeliveryJob {
  organisationId: string;
  alsoFor: readonly string[];
  format: IngestFormat;
  mode: "full" | "partial";
  dryRun: boolean;
  /** The delivery's bytes after any gzip was unpacked. */
  bytes: Uint8Array;
  /** The delivery size limit (the mappers apply it to anything they unpack further). */
  maxBytes: number;
  /** ISO instant the delivery counts as received at (default: now). */
  now?: string;
}

export function ingestDelivery(db: Db, job: DeliveryJob, onCommitted?: () => void): IngestReport {
  const now = job.now ? new Date(job.now) : new Date();
  const bytes = Buffer.isBuffer(job.bytes)
    ? job.bytes
    : Buffer.from(job.bytes.buffer, job.bytes.byteOffset, job.bytes.byteLength);
  const mapped = mapInput(job.format, bytes, buildMapContext(db, job.organisationId, now, job.maxBytes));
  return ingestBatch(db, mapped, {
    organisationId: job.organisationId,
    alsoFor: job.alsoFor,
    format: job.format,
    mode: job.mode,
    dryRun: job.dryRun,
    now,
    // A smaller transaction holds the write lock for less time: the serving thread's own small
    // writes (search cursors, sign-ins) wait at most one chunk.
    chunkSize: 50,
    onProgress: onCommitted ? () => onCommitted() : undefined,
  });
}
