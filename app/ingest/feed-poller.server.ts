/**
 * Pull feeds: fetch an organisation's feed URL with conditional requests, ingest it through the
 * one ingest service, and back off exponentially when the feed fails. The scheduler sleeps until
 * the next subscription is due (re-checking at least every minute for new subscriptions).
 */
import type { Db } from "#app/db.server";
import { dueFeedSubscriptions, nextFeedPollAt, recordFeedPoll, type FeedSubscription } from "#app/models/feed.server";
import { unpackDelivery } from "./formats.server";
import { ingestDelivery, type DeliveryJob } from "./ingest-delivery.server";
import type { IngestReport } from "./ingest-service.server";
import { ingestWriter, isIngestInterrupted } from "./ingest-writer.server";

export const MAX_BACKOFF_SECONDS = 24 * 3600;

const DEFAULT_FEED_MAX_BYTES = 50 * 1024 * 1024;

export interface PollOptions {
  now?: Date;
  fetch?: typeof fetch;
  timeoutMs?: number;
  maxBytes?: number;
}

export interface PollOutcome {
  status: "ingested" | "not-modified" | "failed";
  runId: number | null;
  error: string | null;
  nextPollAt: Date;
}

export function backoffSeconds(intervalSeconds: number, failures: number): number {
  return Math.min(intervalSeconds * 2 ** Math.min(failures, 20), MAX_BACKOFF_SECONDS);
}

async function readLimited(res: Response, max: number): Promise<Buffer> {
  const declared = Number(res.headers.get("content-length") ?? "NaN");
  if (Number.isFinite(declared) && declared > max)
    throw new Error(`feeden er ${declared} byte, mer enn grensen på ${max}`);
  const chunks: Buffer[] = [];
  let size = 0;
  if (!res.body) return Buffer.alloc(0);
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      throw new Error(`feeden er mer enn grensen på ${max} byte`);
    }
    chunks.push(Buffer.from(value));
  }
  return Buffer.concat(chunks);
}

export async function pollFeed(db: Db, sub: FeedSubscription, options: PollOptions = {}): Promise<PollOutcome> {
  const now = options.now ?? new Date();
  const doFetch = options.fetch ?? fetch;
  const headers: Record<string, string> = { "user-agent": "kliniske-studier-feed-poller" };
  if (sub.etag) headers["if-none-match"] = sub.etag;
  if (sub.lastModified) headers["if-modified-since"] = sub.lastModified;
  const fail = (error: string): PollOutcome => {
    const failures = sub.failures + 1;
    const nextPollAt = new Date(now.getTime() + backoffSeconds(sub.intervalSeconds, failures) * 1000);
    recordFeedPoll(db, sub.id, { polledAt: now, nextPollAt, status: "failed", failures, error });
    return { status: "failed", runId: null, error, nextPollAt };
  };
  let res: Response;
  try {
    res = await doFetch(sub.url, {
      headers,
      signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
      redirect: "follow",
    });
  } catch (error) {
    return fail(`kunne ikke hente ${sub.url}: ${(error as Error).message}`);
  }
  const nextPollAt = new Date(now.getTime() + sub.intervalSeconds * 1000);
  if (res.status === 304) {
    recordFeedPoll(db, sub.id, { polledAt: now, nextPollAt, status: "not-modified", failures: 0, error: null });
    return { status: "not-modified", runId: null, error: null, nextPollAt };
  }
  if (!res.ok) {
    await res.body?.cancel();
    return fail(`${sub.url} svarte ${res.status} ${res.statusText}`);
  }
  // One limit for the delivery as sent and for anything it unpacks to.
  const maxBytes = options.maxBytes ?? DEFAULT_FEED_MAX_BYTES;
  let body: Buffer;
  try {
    body = await readLimited(res, maxBytes);
  } catch (error) {
    return fail((error as Error).message);
  }
  const unpacked = await unpackDelivery(sub.format, body, maxBytes);
  if (!unpacked.ok) return fail(`${sub.url}: ${unpacked.message}`);
  const job: DeliveryJob = {
    organisationId: sub.organisationId,
    alsoFor: sub.alsoFor,
    format: sub.format,
    mode: sub.mode,
    dryRun: false,
    bytes: unpacked.bytes,
    maxBytes,
    now: now.toISOString(),
  };
  // In the server's ingest worker thread when there is one (app/ingest/ingest-writer.server.ts).
  const writer = ingestWriter();
  let report: IngestReport;
  try {
    report = writer ? await writer.run(job) : ingestDelivery(db, job);
  } catch (error) {
    if (isIngestInterrupted(error)) return fail(`${sub.url}: ${error.message}`);
    throw error;
  }
  const stored = report.created + report.changed + report.unchanged;
  if (stored === 0 && report.rejected > 0) {
    // Nothing usable: treat as a failure (back off) but keep the run's rejection list.
    const failures = sub.failures + 1;
    const next = new Date(now.getTime() + backoffSeconds(sub.intervalSeconds, failures) * 1000);
    const error = `ingen studier kunne leses (${report.rejected} avvist; se innlesing ${report.runId})`;
    recordFeedPoll(db, sub.id, {
      polledAt: now,
      nextPollAt: next,
      status: "failed",
      failures,
      error,
      runId: report.runId,
    });
    return { status: "failed", runId: report.runId, error, nextPollAt: next };
  }
  recordFeedPoll(db, sub.id, {
    polledAt: now,
    nextPollAt,
    status: "ingested",
    failures: 0,
    error: null,
    etag: res.headers.get("etag"),
    lastModified: res.headers.get("last-modified"),
    runId: report.runId,
  });
  return { status: "ingested", runId: report.runId, error: null, nextPollAt };
}

/** Polls every due subscription once, one after another. */
export async function pollDueFeeds(db: Db, options: PollOptions = {}): Promise<PollOutcome[]> {
  const outcomes: PollOutcome[] = [];
  for (const sub of dueFeedSubscriptions(db, options.now ?? new Date()))
    outcomes.push(await pollFeed(db, sub, options));
  return outcomes;
}

/** Sleeps until the next subscription is due (at most a minute), polls, repeats. Returns stop(). */
export function startFeedScheduler(db: Db, log: (message: string) => void = console.log): () => void {
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  const schedule = () => {
    if (stopped) return;
    const next = nextFeedPollAt(db);
    const wait = next ? Math.max(0, Math.min(next.getTime() - Date.now(), 60_000)) : 60_000;
    timer = setTimeout(tick, wait);
    timer.unref();
  };
  const tick = async () => {
    try {
      for (const outcome of await pollDueFeeds(db)) {
        if (outcome.status === "failed")
          log(`feed poll failed: ${outcome.error}; next try ${outcome.nextPollAt.toISOString()}`);
      }
    } catch (error) {
      log(`feed scheduler error: ${(error as Error).message}`);
    }
    schedule();
  };
  schedule();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  };
}
