/**
 * Pull feeds against a real local HTTP server serving the real hospital listing (no licence stated:
 * read from ../shared/data, skipped with the reason where it is absent; the back-off rules and an
 * unreachable host need no data and always run).
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backoffSeconds, pollDueFeeds, pollFeed } from "#app/ingest/feed-poller.server";
import { addFeedSubscription, getFeedSubscription } from "#app/models/feed.server";
import { freshDb, type TestDb } from "../helpers/db";
import { describeShared, sharedData } from "../helpers/shared-data";

const LISTING_FILE = "norway-helsenorge-studier/fnsp_kliniske_studier_dummydata.json";
/** Read when a test needs it: where the file is absent the suite is skipped, not broken. */
const listing = () => readFileSync(sharedData(LISTING_FILE));
let t: TestDb;
let server: Server;
let base = "";
let mode: "ok" | "error" | "garbage" = "ok";
let body = Buffer.alloc(0);
const requests: { ifNoneMatch: string | undefined }[] = [];

beforeAll(async () => {
  t = freshDb();
  server = createServer((req, res) => {
    requests.push({ ifNoneMatch: req.headers["if-none-match"] as string | undefined });
    if (mode === "error") return void res.writeHead(503).end("down for maintenance");
    if (mode === "garbage")
      return void res.writeHead(200, { "content-type": "text/html" }).end("<html>Innlogging kreves</html>");
    const etag = `"${createHash("sha256").update(body).digest("hex").slice(0, 16)}"`;
    if (req.headers["if-none-match"] === etag) return void res.writeHead(304, { etag }).end();
    res.writeHead(200, { "content-type": "application/json", etag }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  t.cleanup();
});

const count = (sql: string) => t.db.prepare(sql).pluck().get() as number;

describeShared(LISTING_FILE, "polling an organisation's feed URL", () => {
  let id: number;
  const t0 = new Date("2026-11-22T10:00:00Z");

  it("fetches and ingests the feed when due", async () => {
    body = listing();
    id = addFeedSubscription(
      t.db,
      { organisationId: "st-olavs", url: `${base}/kliniske-studier.json`, format: "native", intervalSeconds: 600 },
      t0,
    );
    const outcomes = await pollDueFeeds(t.db, { now: t0 });
    expect(outcomes).toHaveLength(1);
    expect(outcomes[0]).toMatchObject({ status: "ingested", error: null });
    expect(outcomes[0]!.nextPollAt.toISOString()).toBe("2026-11-22T10:10:00.000Z");
    expect(count("SELECT count(*) FROM studies")).toBe(47);
    const sub = getFeedSubscription(t.db, id)!;
    expect(sub.etag).toMatch(/^"[0-9a-f]{16}"$/);
    expect(sub.lastRunId).toBe(outcomes[0]!.runId);
  });

  it("does nothing before it is due", async () => {
    expect(await pollDueFeeds(t.db, { now: new Date("2026-11-22T10:05:00Z") })).toEqual([]);
  });

  it("sends If-None-Match and treats 304 as unchanged", async () => {
    const versions = count("SELECT count(*) FROM study_versions");
    const outcome = await pollFeed(t.db, getFeedSubscription(t.db, id)!, { now: new Date("2026-11-22T10:10:00Z") });
    expect(outcome.status).toBe("not-modified");
    expect(requests.at(-1)!.ifNoneMatch).toBe(getFeedSubscription(t.db, id)!.etag);
    expect(count("SELECT count(*) FROM study_versions")).toBe(versions);
  });

  it("backs off exponentially when the feed fails, and withdraws nothing", async () => {
    mode = "error";
    let now = new Date("2026-11-22T11:00:00Z");
    const waits: number[] = [];
    for (let i = 0; i < 3; i++) {
      const outcome = await pollFeed(t.db, getFeedSubscription(t.db, id)!, { now });
      expect(outcome.status).toBe("failed");
      expect(outcome.error).toContain("503");
      waits.push((outcome.nextPollAt.getTime() - now.getTime()) / 1000);
      now = outcome.nextPollAt;
    }
    expect(waits).toEqual([1200, 2400, 4800]);
    expect(getFeedSubscription(t.db, id)!.failures).toBe(3);
    expect(count("SELECT count(*) FROM study_sites WHERE withdrawn = 1")).toBe(0);
  });

  it("treats a 200 that is not a feed (an HTML login page) as a failure and withdraws nothing", async () => {
    mode = "garbage";
    const outcome = await pollFeed(t.db, getFeedSubscription(t.db, id)!, { now: new Date("2026-11-23T00:00:00Z") });
    expect(outcome.status).toBe("failed");
    expect(outcome.error).toContain("ingen studier kunne leses");
    expect(count("SELECT count(*) FROM study_sites WHERE withdrawn = 1")).toBe(0);
    expect(count("SELECT count(*) FROM studies")).toBe(47);
  });

  it("recovers: a changed feed is ingested and the failure count resets", async () => {
    mode = "ok";
    const records = JSON.parse(listing().toString("utf8")) as { id: string; tittel: string; utfort_av: string }[];
    records[0]!.tittel = "Ung og ADHD – ny tittel";
    // Drop one study led by St. Olavs (the sender owns its site there).
    const dropped = records.map((x) => x.utfort_av).lastIndexOf("St. Olavs hospital");
    body = Buffer.from(JSON.stringify(records.filter((_, i) => i !== dropped)));
    const outcome = await pollFeed(t.db, getFeedSubscription(t.db, id)!, { now: new Date("2026-11-23T06:00:00Z") });
    expect(outcome.status).toBe("ingested");
    expect(getFeedSubscription(t.db, id)!.failures).toBe(0);
    // One study left the full feed: its St. Olavs site is withdrawn, not deleted.
    expect(count("SELECT count(*) FROM study_sites WHERE withdrawn = 1 AND organisation_id = 'st-olavs'")).toBe(1);
    expect(count("SELECT count(*) FROM studies")).toBe(47);
  });
});

describe("feed back-off and unreachable hosts", () => {
  it("caps the back-off at a day", () => {
    expect(backoffSeconds(900, 1)).toBe(1800);
    expect(backoffSeconds(900, 30)).toBe(86_400);
  });

  it("reports an unreachable host as a failure", async () => {
    const bad = addFeedSubscription(t.db, {
      organisationId: "unn",
      url: "http://127.0.0.1:1/feed.json",
      format: "native",
    });
    const outcome = await pollFeed(t.db, getFeedSubscription(t.db, bad)!, { timeoutMs: 2000 });
    expect(outcome.status).toBe("failed");
    expect(outcome.error).toContain("kunne ikke hente");
  });
});
