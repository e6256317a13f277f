/**
 * Search indexing on its own worker thread (app/search/indexing-thread.server.ts, issue 20): it
 * builds the embedded index of a new database, a change saved on this thread is indexed without
 * waiting for the poll, a thread that dies is started again and what was saved
 * meanwhile is indexed (the outbox cursor only moves after a batch is written), and the shutdown
 * flush drains the rest. Real SQLite file, real worker thread, the same engine the pages search.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { outboxLag } from "#app/models/search-outbox.server";
import { startSearchIndexingThread, type IndexingThread } from "#app/search/indexing-thread.server";
import { SqliteFtsEngine } from "#app/search/sqlite-fts.server";
import { freshDb, type TestDb } from "../helpers/db";
import { savePublishedStudy } from "../helpers/studies";

let t: TestDb;
let indexing: IndexingThread | null = null;
const logs: string[] = [];
beforeAll(() => {
  t = freshDb();
});
afterAll(async () => {
  indexing?.stop();
  t.cleanup();
});

const save = (title: string) => savePublishedStudy(t.db, title);

/** Polls until the condition holds (the thread works on its own time), failing after 20 s. */
async function eventually(what: string, check: () => Promise<boolean> | boolean): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not within 20 s: ${what}\n${logs.join("\n")}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("search indexing thread", () => {
  const now = new Date();
  const reader = () => new SqliteFtsEngine(t.db, { answerCache: 0 });
  const found = async (engine: SqliteFtsEngine, q: string) => (await engine.search({ now, q })).total;

  it("builds the index of a new database, then indexes a change saved here without waiting for its poll", async () => {
    save("Studie om astma hos voksne");
    indexing = startSearchIndexingThread({
      databasePath: t.file,
      config: { SEARCH_ENGINE: "sqlite", MEILI_HOST: undefined, MEILI_API_KEY: undefined },
      // Longer than the wait below: only the wake-up from this thread can make it in time.
      pollMs: 60_000,
      log: (m) => logs.push(m),
      restartMs: 50,
    });
    await indexing.embeddedReady;
    const engine = reader();
    expect(await found(engine, "astma")).toBe(1);
    expect(logs.some((l) => /index built with 1 documents/.test(l))).toBe(true);
    save("Studie om astma hos barn");
    await eventually("the second study is indexed", async () => (await found(engine, "astma")) === 2);
    expect(outboxLag(t.db, "sqlite-fts")).toBe(0);
  });

  it("a thread that dies is started again, and what was saved meanwhile is indexed", async () => {
    const running = indexing!.thread!;
    await running.terminate();
    const saved = [save("Studie om migrene 1"), save("Studie om migrene 2"), save("Studie om migrene 3")];
    expect(saved).toHaveLength(3);
    await eventually("a new thread runs", () => indexing!.restarts === 1 && indexing!.thread !== null);
    const engine = reader();
    // Its first drain (at start) picks up what waited in the outbox.
    await eventually("the three are indexed", async () => (await found(engine, "migrene")) === 3);
    expect(logs.some((l) => /search indexing thread exited/.test(l))).toBe(true);
  });

  it("the shutdown flush drains what is left and reports it", async () => {
    save("Studie om psoriasis");
    const reports = await indexing!.flush(10_000);
    expect(reports).toEqual([expect.objectContaining({ engine: "sqlite-fts", lag: 0, error: null })]);
    expect(await found(reader(), "psoriasis")).toBe(1);
    expect(indexing!.thread).toBeNull();
    indexing = null;
  });
});
