/** The search outbox on a real database: pruning, the head after pruning, stale cursors, and a failing engine. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cursorState, dropCursorsExcept, ensureCursor, outboxHead, outboxLag } from "#app/models/search-outbox.server";
import { drainOutbox } from "#app/search/indexer.server";
import { SqliteFtsEngine } from "#app/search/sqlite-fts.server";
import type { SearchEngine } from "#app/search/types";
import { freshDb, type TestDb } from "../helpers/db";
import { savePublishedStudy } from "../helpers/studies";

let t: TestDb;
beforeAll(() => {
  t = freshDb();
});
afterAll(() => t.cleanup());

const save = (title: string) => savePublishedStudy(t.db, title);
const rows = () => t.db.prepare("SELECT count(*) FROM search_outbox").pluck().get() as number;

describe("search outbox", () => {
  it("prunes rows every engine has passed, and its head does not fall back to 0", async () => {
    const engine = new SqliteFtsEngine(t.db);
    ensureCursor(t.db, engine.name);
    save("Første studie om astma");
    save("Andre studie om astma");
    expect(outboxLag(t.db, engine.name)).toBe(2);
    const head = outboxHead(t.db);
    expect((await drainOutbox(t.db, engine)).indexed).toBe(2);
    expect(rows()).toBe(0);
    expect(outboxHead(t.db)).toBe(head);
    // A cursor made now starts at the head, not at 0.
    ensureCursor(t.db, "another-engine");
    expect(cursorState(t.db, "another-engine").lastId).toBe(head);
    expect(dropCursorsExcept(t.db, [engine.name])).toEqual(["another-engine"]);
  });

  it("a cursor of an engine that is gone keeps rows until it is dropped", async () => {
    const engine = new SqliteFtsEngine(t.db);
    ensureCursor(t.db, "meilisearch");
    save("Tredje studie om astma");
    await drainOutbox(t.db, engine);
    expect(rows()).toBe(1); // meilisearch has not passed it
    expect(dropCursorsExcept(t.db, [engine.name])).toEqual(["meilisearch"]);
    expect(rows()).toBe(0);
  });

  it("a failing engine keeps its cursor, records the error with its cause and a back-off", async () => {
    const failing: SearchEngine = Object.assign(new SqliteFtsEngine(t.db), {
      indexStudies: async () => {
        throw new Error("Request failed", { cause: new Error("connect ECONNREFUSED 127.0.0.1:1") });
      },
    });
    const before = cursorState(t.db, failing.name).lastId;
    save("Fjerde studie om astma");
    const now = new Date("2026-12-01T12:00:00Z");
    const r = await drainOutbox(t.db, failing, { now });
    expect(r.error).toBe("Request failed: connect ECONNREFUSED 127.0.0.1:1");
    const state = cursorState(t.db, failing.name);
    expect(state.lastId).toBe(before);
    expect(state.failures).toBe(1);
    expect(Date.parse(state.nextAttemptAt!)).toBe(now.getTime() + 1000); // 1 s after the first failure, doubling after each next one
    expect(outboxLag(t.db, failing.name)).toBe(1);
  });
});
