/** SQL for pull feeds (feed_subscriptions). */
import type { Db } from "#app/db.server";
import type { IngestFormat } from "#app/ingest/types";
import { sql } from "./statements.server";

export interface FeedSubscription {
  id: number;
  organisationId: string;
  /** Further organisations this feed may send for (a regional listing). */
  alsoFor: string[];
  url: string;
  format: IngestFormat;
  mode: "full" | "partial";
  intervalSeconds: number;
  active: boolean;
  etag: string | null;
  lastModified: string | null;
  nextPollAt: string;
  lastPolledAt: string | null;
  lastStatus: string | null;
  lastRunId: number | null;
  failures: number;
  lastError: string | null;
}

const SELECT = `SELECT id, organisation_id AS organisationId, also_for AS alsoFor, url, format, mode, interval_seconds AS intervalSeconds,
  active, etag, last_modified AS lastModified, next_poll_at AS nextPollAt, last_polled_at AS lastPolledAt,
  last_status AS lastStatus, last_run_id AS lastRunId, failures, last_error AS lastError FROM feed_subscriptions`;

type Row = Omit<FeedSubscription, "active" | "alsoFor"> & { active: number; alsoFor: string };
const toSub = (r: Row): FeedSubscription => ({
  ...r,
  active: r.active === 1,
  alsoFor: JSON.parse(r.alsoFor) as string[],
});

export function addFeedSubscription(
  db: Db,
  feed: {
    organisationId: string;
    url: string;
    format: IngestFormat;
    mode?: "full" | "partial";
    intervalSeconds?: number;
    alsoFor?: readonly string[];
  },
  now = new Date(),
): number {
  const result = sql(
    db,
    `INSERT INTO feed_subscriptions (organisation_id, url, format, mode, interval_seconds, next_poll_at, created_at, also_for)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    feed.organisationId,
    feed.url,
    feed.format,
    feed.mode ?? "full",
    feed.intervalSeconds ?? 900,
    now.toISOString(),
    now.toISOString(),
    JSON.stringify([...new Set(feed.alsoFor ?? [])].filter((o) => o !== feed.organisationId)),
  );
  return Number(result.lastInsertRowid);
}

export function getFeedSubscription(db: Db, id: number): FeedSubscription | null {
  const row = sql(db, `${SELECT} WHERE id = ?`).get(id) as Row | undefined;
  return row ? toSub(row) : null;
}

export function listFeedSubscriptions(db: Db): FeedSubscription[] {
  return (sql(db, `${SELECT} ORDER BY id`).all() as Row[]).map(toSub);
}

export function dueFeedSubscriptions(db: Db, now: Date): FeedSubscription[] {
  return (
    sql(db, `${SELECT} WHERE active = 1 AND next_poll_at <= ? ORDER BY next_poll_at`).all(now.toISOString()) as Row[]
  ).map(toSub);
}

export function nextFeedPollAt(db: Db): Date | null {
  const next = sql(db, "SELECT min(next_poll_at) FROM feed_subscriptions WHERE active = 1").pluck().get() as
    string | null;
  return next ? new Date(next) : null;
}

export function recordFeedPoll(
  db: Db,
  id: number,
  outcome: {
    polledAt: Date;
    nextPollAt: Date;
    status: string;
    failures: number;
    error: string | null;
    etag?: string | null;
    lastModified?: string | null;
    runId?: number | null;
  },
): void {
  sql(
    db,
    `UPDATE feed_subscriptions SET last_polled_at = ?, next_poll_at = ?, last_status = ?, failures = ?, last_error = ?,
       etag = coalesce(?, etag), last_modified = coalesce(?, last_modified), last_run_id = coalesce(?, last_run_id)
     WHERE id = ?`,
  ).run(
    outcome.polledAt.toISOString(),
    outcome.nextPollAt.toISOString(),
    outcome.status,
    outcome.failures,
    outcome.error,
    outcome.etag ?? null,
    outcome.lastModified ?? null,
    outcome.runId ?? null,
    id,
  );
}
