/**
 * Issue 20 item 1: deliveries are mapped and written in the ingest worker thread, off the thread
 * that answers requests.
 *
 * - A worker terminated in the middle of a large batch (a real worker thread, a real database
 *   file) leaves every study fully old or fully new, the database intact, and sending the same
 *   delivery again completes it.
 * - Over real HTTP against the built server: what the worker wrote is seen by the serving thread at
 *   once — the open API's cached answers, the live stream and the search index. The server runs
 *   with CHANGE_POLL_MS of ten minutes, so only the worker's "committed" messages can wake the hub
 *   and the indexer within the test's safety waits (nothing here asserts how long anything took).
 */
import { rmSync } from "node:fs";
import path from "node:path";
import { isDeepStrictEqual } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prepareDatabase } from "#app/boot.server";
import { openDatabase } from "#app/db.server";
import { type DeliveryJob } from "#app/ingest/ingest-delivery.server";
import { IngestWriter, isIngestInterrupted } from "#app/ingest/ingest-writer.server";
import { getStudy, latestSnapshot, toStudyInput } from "#app/models/study.server";
import { issueToken } from "#app/models/token.server";
import { generateNativeFeed } from "../../scripts/lib/generate-native-feed";
import { tempDir } from "../helpers/db";
import { startServer, type RunningServer } from "../helpers/server";
import { SseClient } from "../helpers/sse";

let dir: string;
beforeAll(() => {
  dir = tempDir();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function studyCount(dbFile: string): number {
  const db = openDatabase(dbFile);
  try {
    return db.prepare("SELECT count(*) FROM studies").pluck().get() as number;
  } finally {
    db.close();
  }
}

describe("the ingest worker thread terminated mid-batch", () => {
  it("leaves every study whole and the retry completes", async () => {
    const N = 4000;
    const dbFile = path.join(dir, "worker-crash.db");
    const db0 = openDatabase(dbFile);
    prepareDatabase(db0, { seedDemoData: false });
    db0.close();
    const job: DeliveryJob = {
      organisationId: "st-olavs",
      alsoFor: [],
      format: "native",
      mode: "full",
      dryRun: false,
      bytes: Buffer.from(JSON.stringify(generateNativeFeed(N, { organisationId: "st-olavs" }))),
      maxBytes: 500 * 1024 * 1024,
    };
    const writer = new IngestWriter({ databasePath: dbFile, log: () => {} });
    const first = writer.run(job).then(
      () => "finished" as const,
      (error: unknown) => error,
    );
    // Wait until some chunks have committed, then end the thread without warning.
    const deadline = Date.now() + 120_000;
    while (studyCount(dbFile) < 300 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await writer.thread!.terminate();
    const outcome = await first;
    expect(outcome, "the job in flight fails as interrupted").not.toBe("finished");
    expect(isIngestInterrupted(outcome)).toBe(true);
    expect(writer.stats.crashes).toBe(1);

    const stored = studyCount(dbFile);
    expect(stored, "the termination must land mid-batch").toBeGreaterThan(0);
    expect(stored, "the termination must land mid-batch").toBeLessThan(N);
    const db = openDatabase(dbFile);
    expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
    expect(db.pragma("foreign_key_check")).toEqual([]);
    const ids = db.prepare("SELECT id FROM studies ORDER BY id").pluck().all() as number[];
    const torn = ids.filter((id) => {
      const record = getStudy(db, id)!;
      const versions = db.prepare("SELECT max(version) FROM study_versions WHERE study_id = ?").pluck().get(id);
      return record.currentVersion !== versions || !isDeepStrictEqual(toStudyInput(record), latestSnapshot(db, id));
    });
    expect(torn).toEqual([]);
    expect(
      db
        .prepare(
          "SELECT count(*) FROM studies s WHERE NOT EXISTS (SELECT 1 FROM study_sites x WHERE x.study_id = s.id)",
        )
        .pluck()
        .get(),
    ).toBe(0);
    db.close();

    // The same writer starts a fresh worker for the retry, which completes the delivery.
    const report = await writer.run(job);
    expect(report).toMatchObject({ created: N - stored, unchanged: stored, rejected: 0 });
    expect(studyCount(dbFile)).toBe(N);
    await writer.close();
  }, 240_000);
});

describe("an idle ingest worker", () => {
  it("is ended after its idle time (its heap given back) and a new one runs the next job; neither is a crash", async () => {
    const dbFile = path.join(dir, "worker-idle.db");
    const db0 = openDatabase(dbFile);
    prepareDatabase(db0, { seedDemoData: false });
    db0.close();
    const job = (n: number, prefix: string, seed: number): DeliveryJob => ({
      organisationId: "st-olavs",
      alsoFor: [],
      format: "native",
      mode: "partial",
      dryRun: false,
      bytes: Buffer.from(JSON.stringify(generateNativeFeed(n, { organisationId: "st-olavs", idPrefix: prefix, seed }))),
      maxBytes: 10 * 1024 * 1024,
    });
    const writer = new IngestWriter({ databasePath: dbFile, log: () => {}, idleMs: 200 });
    expect(await writer.run(job(5, "IDLE-A", 1))).toMatchObject({ created: 5, rejected: 0 });
    const first = writer.thread;
    expect(first).not.toBeNull();
    const ended = new Promise<number>((resolve) => first!.once("exit", resolve));
    await ended;
    expect(writer.thread).toBeNull();
    // The same REK numbers as the first three: the new worker updates those studies.
    expect(await writer.run(job(3, "IDLE-B", 2))).toMatchObject({ received: 3, rejected: 0 });
    expect(writer.thread).not.toBe(first);
    expect(writer.stats).toMatchObject({ done: 2, failed: 0, crashes: 0 });
    expect(studyCount(dbFile)).toBe(5);
    await writer.close();
  });
});

describe("a delivery written by the worker is seen by the serving thread at once (real HTTP)", () => {
  let server: RunningServer;
  let token: string;
  beforeAll(async () => {
    const dbFile = path.join(dir, "worker-http.db");
    const db = openDatabase(dbFile);
    prepareDatabase(db, { seedDemoData: false });
    token = issueToken(db, "ous", "test").token;
    db.close();
    server = await startServer({ DATABASE_PATH: dbFile, SEED_DEMO_DATA: "false", CHANGE_POLL_MS: "600000" });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("answers with the report, and the API, the live stream and the search see the new study", async () => {
    const sse = await SseClient.connect(`${server.url}/api/v1/events`);
    expect(sse.status).toBe(200);
    await sse.next((e) => e.event === "ready");
    // A cached answer from before the delivery.
    const changesUrl = `${server.url}/api/v1/changes?since=0`;
    const before = (await (await fetch(changesUrl)).json()) as { data: unknown[] };
    await fetch(changesUrl);
    const word = "Vindusplasseringsstudien";
    const record = {
      id: "W-1",
      tittel: `${word} om hjertesvikt`,
      sammendrag: "Et kort sammendrag.",
      studietype: "behandling",
      utfort_av: "ous",
      identifikatorer: { rek: "812345" },
      studiesteder: [{ foretak: "ous", inklusjon_start: "2026-01-01", inklusjon_slutt: "2027-12-31" }],
    };
    const res = await fetch(`${server.url}/api/v1/organisations/ous/studies?format=native`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify([record]),
    });
    const report = (await res.json()) as { created: number; received: number; runId: number };
    expect(res.status).toBe(200);
    expect(report).toMatchObject({ received: 1, created: 1 });
    expect(report.runId).toBeGreaterThan(0);

    // The answer cache is not fooled: the very next read shows the change.
    const after = (await (await fetch(changesUrl)).json()) as { data: { studyId: number }[] };
    expect(after.data.length).toBe(before.data.length + 1);
    const studyId = after.data.at(-1)!.studyId;

    // The live stream tells, and the search index has it, without waiting for a poll.
    const event = await sse.next((e) => e.event === "study.published", 0, 20_000);
    expect(JSON.parse(event.data)).toMatchObject({ studyId });
    let found: { id: number }[] = [];
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      const search = (await (await fetch(`${server.url}/api/v1/studies?q=${word}`)).json()) as {
        data: { id: number }[];
      };
      found = search.data;
      if (found.length > 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(found.map((s) => s.id)).toEqual([studyId]);
    sse.close();
  });
});
