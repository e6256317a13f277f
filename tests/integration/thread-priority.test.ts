/**
 * Background threads run below the serving threads (app/ops/thread-priority.server.ts, ADR 0030):
 * while the ingest worker thread lives, this process has a thread with nice 10, and the thread
 * that answers requests (here: the test's own) keeps its priority. Linux only (/proc).
 */
import { readdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prepareDatabase } from "#app/boot.server";
import { openDatabase } from "#app/db.server";
import { IngestWriter } from "#app/ingest/ingest-writer.server";
import { BACKGROUND_THREAD_NICE } from "#app/ops/thread-priority.server";
import { generateNativeFeed } from "../../scripts/lib/generate-native-feed";
import { tempDir } from "../helpers/db";

/** Field 19 of /proc/…/stat (after the command name in parentheses): the nice value. */
const niceOf = (statFile: string) => {
  const stat = readFileSync(statFile, "utf8");
  return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[16]);
};
const threadNices = () =>
  readdirSync("/proc/self/task").map((tid) => {
    try {
      return niceOf(`/proc/self/task/${tid}/stat`);
    } catch {
      return null; // a thread that ended meanwhile
    }
  });

let dir: string;
beforeAll(() => {
  dir = tempDir();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(process.platform !== "linux")("background thread priority (Linux: /proc)", () => {
  it("the ingest worker thread runs at nice 10; the thread that started it keeps its own", async () => {
    const own = niceOf("/proc/thread-self/stat");
    expect(own).toBeLessThan(BACKGROUND_THREAD_NICE);
    expect(threadNices()).not.toContain(BACKGROUND_THREAD_NICE);
    const dbFile = path.join(dir, "priority.db");
    const db = openDatabase(dbFile);
    prepareDatabase(db, { seedDemoData: false });
    db.close();
    const writer = new IngestWriter({ databasePath: dbFile, log: () => {} });
    const report = await writer.run({
      organisationId: "st-olavs",
      alsoFor: [],
      format: "native",
      mode: "partial",
      dryRun: false,
      bytes: Buffer.from(JSON.stringify(generateNativeFeed(2, { organisationId: "st-olavs" }))),
      maxBytes: 1024 * 1024,
    });
    expect(report).toMatchObject({ created: 2 });
    expect(threadNices()).toContain(BACKGROUND_THREAD_NICE);
    expect(niceOf("/proc/thread-self/stat")).toBe(own);
    await writer.close();
  });
});
