/**
 * Nothing is lost when Meilisearch goes away: a real SQLite file, the real study model and a real
 * Meilisearch (the verified 1.21.0 test binary on 127.0.0.1) that is killed mid-stream and
 * restarted on the same data directory, port and key. Also: searches fall back to the embedded
 * sqlite-fts engine while Meilisearch is down (bad input still throws), and the portal's search
 * start-up copes with a Meilisearch that is down when it starts.
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StudyInput } from "#app/domain/study";
import { allStudyIds, cursorPosition, cursorState, outboxHead, outboxLag } from "#app/models/search-outbox.server";
import { getStudy, toStudyInput } from "#app/models/study.server";
import { createSearchEngines, searchHealthReport, startSearchIndexing } from "#app/search.server";
import { seedDemoStudies } from "#app/seed/demo-seed.server";
import { FallbackSearchEngine } from "#app/search/fallback.server";
import { documentsFor, drainOutbox, rebuildIndex, startIndexer } from "#app/search/indexer.server";
import { MeilisearchEngine } from "#app/search/meilisearch.server";
import { freePort, startLocalMeilisearch, type LocalMeilisearch } from "#app/search/meilisearch-process.server";
import { SqliteFtsEngine } from "#app/search/sqlite-fts.server";
import type { SearchEngine } from "#app/search/types";
import { freshDb, type TestDb } from "../helpers/db";
import { saveStudyOrThrow } from "../helpers/studies";

const NOW = new Date("2026-11-22T11:00:00Z");
const actor = { kind: "system" as const, name: "outbox-test" };

function studyInput(title: string, extra: Partial<StudyInput> = {}): StudyInput {
  return {
    identifiers: {},
    title: { nb: title },
    summary: { nb: "Et kort sammendrag for outbox-testen." },
    studyType: "treatment",
    leadOrganisationId: "unn",
    publicationState: "published",
    sites: [
      { organisationId: "unn", hospitalId: "unn-tromso", inclusionStart: "2026-01-01", inclusionEnd: "2027-12-31" },
    ],
    ...extra,
  };
}

function save(t: TestDb, input: unknown, studyId?: number): number {
  const r = saveStudyOrThrow(t.db, input, { actor, studyId });
  expect(r.changed).toBe(true);
  return r.studyId;
}

/** Waits (without asserting on time) until `check` holds; fails with `what` if it never does. */
async function until(check: () => boolean | Promise<boolean>, what: string, limitMs = 60_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`never happened: ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function studyIdsFor(engine: SearchEngine, q?: string): Promise<number[]> {
  const r = await engine.search({ now: NOW, q, perPage: 100 });
  expect(r.total).toBeLessThanOrEqual(100);
  return r.hits.map((h) => h.studyId);
}

function publishedIds(t: TestDb): number[] {
  return allStudyIds(t.db).filter((id) => getStudy(t.db, id)!.publicationState === "published");
}

describe("search outbox → Meilisearch, with Meilisearch killed mid-stream and restarted", () => {
  let t: TestDb;
  let meili: LocalMeilisearch;
  let engine: MeilisearchEngine;

  beforeAll(async () => {
    t = freshDb();
    seedDemoStudies(t.db, { now: NOW });
    meili = await startLocalMeilisearch();
    engine = new MeilisearchEngine({ host: meili.host, apiKey: meili.masterKey });
  }, 120_000);

  afterAll(async () => {
    await meili?.stop({ keepData: false });
    t?.cleanup();
  });

  it("keeps every change in the outbox while Meilisearch is down and indexes all of it after the restart", async () => {
    // 1. Full build from the database; the cursor is then at the outbox head.
    const built = await rebuildIndex(t.db, engine);
    expect(built).toBe(documentsFor(t.db, allStudyIds(t.db)).documents.length);
    expect(outboxLag(t.db, "meilisearch")).toBe(0);
    const seeded = publishedIds(t);
    expect((await studyIdsFor(engine)).sort((a, b) => a - b)).toEqual(seeded);

    // 2. The indexer keeps it current while Meilisearch is up.
    const logs: string[] = [];
    const stopIndexer = startIndexer(t.db, engine, { pollMs: 50, log: (m) => logs.push(m) });
    const pelikan = save(t, studyInput("Pelikanstudie om hjertesvikt"));
    await until(
      async () => (await studyIdsFor(engine, "pelikanstudie")).includes(pelikan),
      "the first change is searchable",
    );
    await until(() => outboxLag(t.db, "meilisearch") === 0, "the cursor passes the first change");
    // (Rows every cursor has passed are deleted, so the cursor is compared by value from here on.)
    const cursorBeforeStop = cursorState(t.db, "meilisearch").lastId;
    expect(cursorBeforeStop).toBeGreaterThan(0);

    // 3. Meilisearch dies (SIGKILL, no clean shutdown) while the indexer is running.
    await meili.stop({ signal: "SIGKILL", keepData: true });

    // 4. Changes keep coming through the study model: a new study (changed twice), a renamed
    //    one, a published seed study withdrawn, and a draft that must never be found.
    const kolibri = save(t, studyInput("Kolibristudie om søvnapné"));
    save(t, studyInput("Kolibristudie om søvnapné, andre versjon"), kolibri);
    save(t, { ...toStudyInput(getStudy(t.db, pelikan)!), title: { nb: "Flamingostudie om hjertesvikt" } }, pelikan);
    const withdrawn = seeded[3]!;
    save(t, { ...toStudyInput(getStudy(t.db, withdrawn)!), publicationState: "withdrawn" }, withdrawn);
    const draft = save(
      t,
      studyInput("Albatrosstudie som bare er et utkast", { publicationState: "draft", summary: {} }),
    );
    const changesWhileDown = 5;
    const lastChange = outboxHead(t.db);
    expect(lastChange).toBe(cursorBeforeStop + changesWhileDown);

    // The running indexer tried, failed, recorded a back-off and did not move the cursor.
    await until(() => cursorState(t.db, "meilisearch").failures >= 1, "the indexer records a failure");
    stopIndexer();
    expect(logs.some((m) => /search indexer \(meilisearch\): .*will retry/.test(m))).toBe(true);
    let state = cursorState(t.db, "meilisearch");
    expect(state.lastId).toBe(cursorBeforeStop);
    expect(state.lastError).toMatch(/failed|ECONNREFUSED/i);
    expect(state.nextAttemptAt).not.toBeNull();
    expect(outboxLag(t.db, "meilisearch")).toBe(changesWhileDown);

    // 5. An explicit drain reports the error, leaves the cursor where it was and backs off further.
    const failuresBefore = state.failures;
    const at = new Date("2026-11-22T12:00:00Z");
    const failed = await drainOutbox(t.db, engine, { now: at });
    expect(failed.error).toMatch(/failed/i);
    expect(failed.indexed).toBe(0);
    expect(failed.removed).toBe(0);
    state = cursorState(t.db, "meilisearch");
    expect(state.lastId).toBe(cursorBeforeStop);
    expect(state.failures).toBe(failuresBefore + 1);
    const expectedDelay = Math.min(1000 * 2 ** failuresBefore, 60_000);
    expect(state.nextAttemptAt).toBe(new Date(at.getTime() + expectedDelay).toISOString());
    expect(outboxLag(t.db, "meilisearch")).toBe(changesWhileDown);

    // 6. Meilisearch comes back on the same data directory, port and key.
    const { dataDir, port, masterKey } = meili;
    meili = await startLocalMeilisearch({ dataDir, port, masterKey, keepData: false });
    expect(meili).toMatchObject({ dataDir, port, masterKey });
    // What was indexed before the crash survived it.
    expect(await studyIdsFor(engine, "pelikanstudie")).toContain(pelikan);

    const drained = await drainOutbox(t.db, engine);
    expect(drained.error).toBeNull();
    expect(drained.indexed).toBe(2); // kolibri (both versions at once), pelikan renamed
    expect(drained.removed).toBe(2); // withdrawn, draft
    state = cursorState(t.db, "meilisearch");
    expect(state).toMatchObject({ lastId: lastChange, failures: 0, nextAttemptAt: null, lastError: null });
    expect(outboxLag(t.db, "meilisearch")).toBe(0);

    // 7. Every change is searchable: nothing lost, nothing stale.
    expect(await studyIdsFor(engine, "kolibristudie")).toContain(kolibri);
    const kolibriHit = (await engine.search({ now: NOW, q: "kolibristudie" })).hits.find((h) => h.studyId === kolibri)!;
    expect(kolibriHit.title).toBe("Kolibristudie om søvnapné, andre versjon");
    expect(await studyIdsFor(engine, "flamingostudie")).toContain(pelikan);
    expect(await studyIdsFor(engine, "pelikanstudie")).not.toContain(pelikan);
    expect(await studyIdsFor(engine, "albatrosstudie")).not.toContain(draft);
    const everything = (await studyIdsFor(engine)).sort((a, b) => a - b);
    expect(everything).not.toContain(withdrawn);
    expect(everything).toEqual(publishedIds(t));
    // The index holds exactly what a rebuild from the database would write.
    expect((await engine.health()).documents).toBe(documentsFor(t.db, allStudyIds(t.db)).documents.length);
  });
});

describe("FallbackSearchEngine: Meilisearch down → answers from sqlite-fts", () => {
  let t: TestDb;
  let meili: LocalMeilisearch;
  let fallback: FallbackSearchEngine;
  let pelikan: number;
  const logs: string[] = [];
  let clock = 1_000_000;

  beforeAll(async () => {
    t = freshDb();
    seedDemoStudies(t.db, { now: NOW });
    pelikan = save(t, studyInput("Pelikanstudie om hjertesvikt"));
    meili = await startLocalMeilisearch();
    const primary = new MeilisearchEngine({ host: meili.host, apiKey: meili.masterKey });
    const embedded = new SqliteFtsEngine(t.db);
    await rebuildIndex(t.db, primary);
    await rebuildIndex(t.db, embedded);
    fallback = new FallbackSearchEngine(primary, embedded, { log: (m) => logs.push(m), clock: () => clock });
  }, 120_000);

  afterAll(async () => {
    await meili?.stop();
    t?.cleanup();
  });

  it("uses Meilisearch while it is up", async () => {
    const r = await fallback.search({ now: NOW, q: "pelikanstudie" });
    expect(r.engine).toBe("meilisearch");
    expect(r.hits.map((h) => h.studyId)).toContain(pelikan);
    expect(logs).toEqual([]);
  });

  it("answers from sqlite-fts while Meilisearch is behind it (read-your-writes), without a warning", async () => {
    let behind = true;
    const catching = new FallbackSearchEngine(fallback.primary, fallback.fallback, {
      log: (m) => logs.push(m),
      primaryBehind: () => behind,
    });
    const r = await catching.search({ now: NOW, q: "pelikanstudie" });
    expect(r.engine).toBe("sqlite-fts");
    expect(r.hits.map((h) => h.studyId)).toContain(pelikan);
    expect([catching.catchUps, catching.fallbacks]).toEqual([1, 0]);
    behind = false;
    expect((await catching.search({ now: NOW, q: "pelikanstudie" })).engine).toBe("meilisearch");
    expect(logs).toEqual([]);
  });

  it("answers from sqlite-fts with a rate-limited warning when Meilisearch is down", async () => {
    await meili.stop();
    const r = await fallback.search({ now: NOW, q: "pelikanstudie" });
    expect(r.engine).toBe("sqlite-fts");
    expect(r.hits.map((h) => h.studyId)).toContain(pelikan);
    expect(r.hits.find((h) => h.studyId === pelikan)!.highlightedTitle).toContain("<mark>Pelikanstudie</mark>");
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatch(/^search: meilisearch failed \(.*\); answering from sqlite-fts$/);

    // Filters and facets work in the fallback too.
    const filtered = await fallback.search({ now: NOW, regions: ["helse-nord"], facets: ["status"] });
    expect(filtered.engine).toBe("sqlite-fts");
    expect(filtered.total).toBeGreaterThan(0);
    expect(logs).toHaveLength(1); // within 30 s: no second line

    clock += 30_001;
    await fallback.search({ now: NOW, q: "hjertesvikt" });
    expect(logs).toHaveLength(2);
    expect(logs[1]).toContain("1 more fallback(s) since the last warning");
    expect(fallback.fallbacks).toBe(3);
  });

  it("still throws on bad input instead of falling back", async () => {
    const before = fallback.fallbacks;
    await expect(fallback.search({ now: NOW, regions: ['x" OR studyId > 0 OR regionId = "y'] })).rejects.toThrow(
      RangeError,
    );
    await expect(fallback.search({ now: NOW, regions: ["helse nord"] })).rejects.toThrow(/Invalid region/);
    await expect(fallback.search({ now: NOW, icd10: ["C50 OR 1"] })).rejects.toThrow(/ICD-10/);
    expect(fallback.fallbacks).toBe(before);
  });
});

describe("search start-up with Meilisearch down at start", () => {
  let t: TestDb;
  let meili: LocalMeilisearch | undefined;
  let stopIndexing: (() => void) | undefined;

  beforeAll(() => {
    t = freshDb();
    seedDemoStudies(t.db, { now: NOW });
  });

  afterAll(async () => {
    stopIndexing?.();
    await meili?.stop();
    t?.cleanup();
  });

  it("serves from the embedded engine, reports Meilisearch down, and catches up when it comes", async () => {
    const port = await freePort();
    const masterKey = randomBytes(24).toString("hex");
    const logs: string[] = [];
    const engines = createSearchEngines(
      { SEARCH_ENGINE: "meilisearch", MEILI_HOST: `http://127.0.0.1:${port}`, MEILI_API_KEY: masterKey },
      t.db,
      {
        log: (m) => logs.push(m),
      },
    );
    expect(engines.indexed.map((e) => e.name)).toEqual(["meilisearch", "sqlite-fts"]);
    const indexing = startSearchIndexing(t.db, engines.indexed, {
      log: (m) => logs.push(m),
      maxRetryMs: 200,
      pollMs: 50,
    });
    stopIndexing = indexing.stop;

    // The embedded engine is built at once, whatever Meilisearch does.
    await indexing.embeddedReady;
    const published = publishedIds(t);
    expect((await studyIdsFor(engines.embedded)).sort((a, b) => a - b)).toEqual(published);
    await until(() => cursorState(t.db, "meilisearch").failures >= 1, "the Meilisearch bring-up records a failure");
    expect(cursorState(t.db, "meilisearch").lastError).toMatch(/^setup: .*ECONNREFUSED/);
    expect(logs.some((m) => /search \(meilisearch\) not available: .*retrying in/.test(m))).toBe(true);

    // /healthz's view: degraded, serving from sqlite-fts, per-engine lag.
    const down = await searchHealthReport(t.db, engines);
    expect(down).toMatchObject({ ok: false, configured: "meilisearch", serving: "sqlite-fts" });
    expect(down.engines.map((e) => [e.engine, e.ok])).toEqual([
      ["meilisearch", false],
      ["sqlite-fts", true],
    ]);
    expect(down.engines[0]!.failures).toBeGreaterThanOrEqual(1);
    expect(down.engines[1]!.outboxLag).toBe(0);

    // Searches keep working; a change made now reaches the embedded index and waits for Meilisearch.
    expect((await engines.search.search({ now: NOW, q: "brystkreft" })).engine).toBe("sqlite-fts");
    const pelikan = save(t, studyInput("Pelikanstudie om hjertesvikt"));
    await until(
      async () => (await studyIdsFor(engines.embedded, "pelikanstudie")).includes(pelikan),
      "the embedded index gets the change",
    );
    expect(outboxLag(t.db, "meilisearch")).toBeGreaterThanOrEqual(1);

    // Meilisearch starts: the bring-up retries, builds the index (its cursor was new), indexes.
    meili = await startLocalMeilisearch({ port, masterKey });
    await indexing.allReady;
    await until(() => outboxLag(t.db, "meilisearch") === 0, "Meilisearch catches up");
    expect(logs.some((m) => /search \(meilisearch\): index built with \d+ documents/.test(m))).toBe(true);
    const r = await engines.search.search({ now: NOW, q: "pelikanstudie" });
    expect(r.engine).toBe("meilisearch");
    expect(r.hits.map((h) => h.studyId)).toContain(pelikan);
    expect((await studyIdsFor(engines.search)).sort((a, b) => a - b)).toEqual(publishedIds(t));

    const up = await searchHealthReport(t.db, engines);
    expect(up).toMatchObject({ ok: true, configured: "meilisearch", serving: "meilisearch" });
    expect(up.engines.map((e) => [e.engine, e.ok, e.outboxLag, e.failures])).toEqual([
      ["meilisearch", true, 0, 0],
      ["sqlite-fts", true, 0, 0],
    ]);

    // Read-your-writes: a change is findable as soon as the embedded engine has it; while
    // Meilisearch is still behind, the embedded engine answers.
    const heron = save(t, studyInput("Hegrestudie om søvnapné"));
    await until(
      async () => (await studyIdsFor(engines.embedded, "hegrestudie")).includes(heron),
      "the embedded index gets the change",
    );
    const behind = (cursorPosition(t.db, "meilisearch") ?? 0) < cursorPosition(t.db, "sqlite-fts")!;
    const early = await engines.search.search({ now: NOW, q: "hegrestudie" });
    expect(early.hits.map((h) => h.studyId)).toContain(heron);
    if (behind) expect(early.engine).toBe("sqlite-fts");
    await until(() => outboxLag(t.db, "meilisearch") === 0, "Meilisearch catches up again");
    const late = await engines.search.search({ now: NOW, q: "hegrestudie" });
    expect(late.engine).toBe("meilisearch");
    expect(late.hits.map((h) => h.studyId)).toContain(heron);
  });
});
