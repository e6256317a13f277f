/**
 * The search contract against the embedded SQLite FTS5 engine, plus its own edges: typo lookup
 * through the deletion table, compounds through the vocabulary's trigrams, broad words ranked by
 * field, hostile text, and a rebuild.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "#app/db.server";
import { SqliteFtsEngine } from "#app/search/sqlite-fts.server";
import type { SearchDocument } from "#app/search/types";
import { freshDb, type TestDb } from "../helpers/db";
import { runSearchContract } from "../search/contract";

runSearchContract("sqlite-fts", { create: async (t) => new SqliteFtsEngine(t.db) });

function doc(
  studyId: number,
  siteId: number | null,
  title: string,
  extra: Partial<SearchDocument> = {},
): SearchDocument {
  return {
    id: `${studyId}-${siteId ?? 0}`,
    studyId,
    siteId,
    title,
    titleEn: null,
    shortTitle: null,
    summary: "Et sammendrag.",
    conditions: [],
    icd10: [],
    icd10Names: [],
    interventions: [],
    categories: [],
    categoryNames: [],
    studyType: "treatment",
    phase: null,
    sex: "all",
    minAgeYears: null,
    maxAgeYears: null,
    healthyVolunteers: false,
    leadOrganisationId: "unn",
    leadOrganisationName: "Universitetssykehuset Nord-Norge HF",
    organisationId: siteId == null ? null : "unn",
    organisationName: siteId == null ? null : "Universitetssykehuset Nord-Norge HF",
    regionId: siteId == null ? null : "helse-nord",
    hospitalId: null,
    hospitalName: null,
    opensAt: Date.parse("2026-01-01T00:00:00Z"),
    closesAt: null,
    paused: false,
    lat: null,
    lon: null,
    updatedAt: Date.parse("2026-11-01T00:00:00Z"),
    isDemo: false,
    studyConfirmedUntil: Number.MAX_SAFE_INTEGER,
    ...extra,
  };
}

describe("sqlite-fts engine specifics", () => {
  let t: TestDb;
  let engine: SqliteFtsEngine;
  const now = new Date("2026-11-22T11:00:00Z");

  beforeAll(async () => {
    t = freshDb();
    engine = new SqliteFtsEngine(t.db);
    await engine.setup();
    await engine.rebuild([
      [
        doc(1, 11, "Immunterapi ved føflekkreft"),
        doc(2, 21, "Trening etter hjerneslag"),
        doc(3, null, "Studie uten studiesteder om revmatisme"),
        doc(4, 41, "Kosthold og tarmflora hos barn"),
        doc(5, 51, "Behandling av lungeinfarkt"),
      ],
    ]);
  });
  afterAll(() => t?.cleanup());

  it("finds typo candidates within one edit (two from nine letters) and never codes", () => {
    expect(engine.typoCandidates("immunteapi")).toContain("immunterapi");
    expect(engine.typoCandidates("hjerenslag")).toContain("hjerneslag");
    expect(engine.typoCandidates("trenign")).toContain("trening");
    expect(engine.typoCandidates("tren")).toEqual([]);
    expect(engine.typoCandidates("c509")).toEqual([]);
  });

  it("matches the parts of compound words and ranks whole words first", async () => {
    const r = await engine.search({ now, q: "kreft" });
    expect(r.hits.map((h) => h.studyId)).toEqual([1]);
    expect(r.hits[0]!.highlightedTitle).toBe("Immunterapi ved <mark>føflekkreft</mark>");
    const slag = await engine.search({ now, q: "slag" });
    expect(slag.hits.map((h) => h.studyId)).toEqual([2]);
  });

  it("substrings are matched for the typed words only, not inside synonyms", async () => {
    // A typed "hjerteinfarkt" must not pull in a study of "lungeinfarkt" (no substring of a synonym,
    // and no typo of a known term); a typed "infarkt" finds it inside the compound.
    expect((await engine.search({ now, q: "hjerteinfarkt" })).hits.map((h) => h.studyId)).not.toContain(5);
    expect((await engine.search({ now, q: "infarkt" })).hits.map((h) => h.studyId)).toContain(5);
  });

  it("type-ahead: the last word matches as a prefix", async () => {
    expect((await engine.search({ now, q: "trening etter hjer" })).hits.map((h) => h.studyId)).toEqual([2]);
    expect((await engine.search({ now, q: "tarmfl" })).hits.map((h) => h.studyId)).toEqual([4]);
  });

  it("a study without sites is found by text but not by site filters or status", async () => {
    expect((await engine.search({ now, q: "revmatisme" })).total).toBe(1);
    expect((await engine.search({ now, q: "revmatisme", status: ["open"] })).total).toBe(0);
    expect((await engine.search({ now, q: "revmatisme", regions: ["helse-nord"] })).total).toBe(0);
  });

  it("refuses bad filter values with a RangeError and treats operators as text", async () => {
    await expect(engine.search({ now, regions: ['x" OR 1=1 --'] })).rejects.toThrow(RangeError);
    await expect(engine.search({ now, icd10: ["C50 OR 1"] })).rejects.toThrow(/ICD-10/);
    await expect(engine.search({ now, status: ["soon" as never] })).rejects.toThrow(/status/);
    await expect(engine.search({ now, age: Number.NaN })).rejects.toThrow(/age/);
    for (const q of ["NEAR(a b)", "a:b", "{title}: x", "x AND", "*", "^", "\u0000", "'; DROP TABLE search_fts; --"]) {
      await expect(engine.search({ now, q }), q).resolves.toMatchObject({ engine: "sqlite-fts" });
    }
    expect((await engine.health()).documents).toBe(5);
  });

  it("another connection's writes are seen: the in-memory filter table reloads on a new generation", async () => {
    const other = openDatabase(t.file);
    try {
      const reader = new SqliteFtsEngine(other);
      expect((await reader.search({ now, q: "revmatisme" })).total).toBe(1); // loads the table
      await engine.indexStudies([3], [doc(3, 31, "Studie om revmatisme, nå med sted", { regionId: "helse-vest" })]);
      const after = await reader.search({ now, q: "revmatisme", regions: ["helse-vest"], status: ["open"] });
      expect(after.hits.map((h) => [h.studyId, h.siteId])).toEqual([[3, 31]]);
      await engine.removeStudies([3]);
      expect((await reader.search({ now, q: "revmatisme" })).total).toBe(0);
    } finally {
      other.close();
    }
  });

  it("another connection's writes are caught up study by study: only the studies the write logged are read again", async () => {
    const other = openDatabase(t.file);
    try {
      const reader = new SqliteFtsEngine(other, { answerCache: 0 });
      await reader.search({ now }); // loads the table
      expect(reader.tableReads).toEqual({ loads: 1, catchUps: 0, studiesRead: 0 });
      await engine.indexStudies([4, 5], [doc(4, 41, "Kosthold og tarmflora hos ungdom"), doc(5, 52, "Lungeinfarkt")]);
      await engine.removeStudies([2]);
      const seen = await reader.search({ now, facets: ["regionId"] });
      expect(reader.tableReads).toEqual({ loads: 1, catchUps: 1, studiesRead: 3 });
      // The same answer as a table loaded from scratch.
      const fresh = await new SqliteFtsEngine(other, { answerCache: 0 }).search({ now, facets: ["regionId"] });
      expect(seen.hits.map((h) => [h.studyId, h.siteId])).toEqual(fresh.hits.map((h) => [h.studyId, h.siteId]));
      expect(seen.facets).toEqual(fresh.facets);
      expect(seen.hits.some((h) => h.studyId === 2)).toBe(false);
      // A log pruned past the reader's table (or a rebuild) cannot say what changed: it reloads it all.
      await engine.indexStudies([4], [doc(4, 41, "Kosthold og tarmflora hos barn")]);
      t.db.prepare("DELETE FROM search_changes").run();
      await engine.indexStudies([5], [doc(5, 51, "Behandling av lungeinfarkt")]);
      expect((await reader.search({ now, q: "tarmflora barn" })).total).toBe(1);
      expect(reader.tableReads.loads).toBe(2);
      await engine.indexStudies([2], [doc(2, 21, "Trening etter hjerneslag")]);
      expect((await reader.search({ now, q: "hjerneslag" })).total).toBe(1);
      expect(reader.tableReads).toMatchObject({ loads: 2, catchUps: 2 });
    } finally {
      other.close();
    }
  });

  it("rebuild replaces everything at once", async () => {
    await engine.rebuild([[doc(9, 91, "Ny studie om søvnapné")]]);
    expect((await engine.search({ now })).total).toBe(1);
    expect((await engine.search({ now, q: "sovnapne" })).hits[0]!.studyId).toBe(9);
    expect((await engine.search({ now, q: "immunterapi" })).total).toBe(0);
  });
});

describe("sqlite-fts: a fresh engine's first search is a filter", () => {
  let t: TestDb;
  afterAll(() => t?.cleanup());

  it("finds studies by values it had not seen before loading its table (ICD-10, category, region)", async () => {
    t = freshDb();
    const writer = new SqliteFtsEngine(t.db);
    await writer.setup();
    const now = new Date("2026-11-22T11:00:00Z");
    // Each value is new to the process when the table is loaded by the first search.
    const cases = [
      { extra: { icd10: ["Z9981"] }, query: { icd10: ["Z998"] } },
      { extra: { categories: ["category-first-seen-here"] }, query: { categories: ["category-first-seen-here"] } },
      {
        extra: { regionId: "region-first-seen-here" },
        query: { regions: ["region-first-seen-here"], status: ["open" as const] },
      },
    ];
    for (const { extra, query } of cases) {
      await writer.rebuild([[doc(1, 11, "Ny studie", extra), doc(2, 21, "Annen studie")]]);
      const fresh = new SqliteFtsEngine(t.db, { answerCache: 0 });
      const r = await fresh.search({ now, ...query });
      expect(
        r.hits.map((h) => h.studyId),
        JSON.stringify(query),
      ).toEqual([1]);
    }
  });
});

describe("sqlite-fts: a word in more studies than it bm25-scores", () => {
  let t: TestDb;
  const now = new Date("2026-11-22T11:00:00Z");
  const docs = [
    doc(1, 11, "Søvn og hukommelse", { summary: "Vi studerer behandling av søvnløshet.", categories: ["sleep"] }),
    doc(2, 21, "Behandling av hjertesvikt", { updatedAt: Date.parse("2026-10-01T00:00:00Z") }),
    doc(3, 31, "Fysisk aktivitet", { conditions: ["Behandling av artrose"], categories: ["sleep"] }),
    doc(4, 41, "Ny behandling ved migrene", { updatedAt: Date.parse("2026-11-15T00:00:00Z") }),
    doc(5, 51, "Kosthold", { summary: "Ingen relevante ord her." }),
    doc(6, 61, "Familiebehandling ved spiseforstyrrelser", { categories: ["sleep"] }),
  ];
  afterAll(() => t?.cleanup());

  it("finds the same studies as bm25 scoring, ranked title, then conditions, then the rest, then compounds", async () => {
    t = freshDb();
    const scored = new SqliteFtsEngine(t.db);
    await scored.setup();
    await scored.rebuild([docs]);
    const tiered = new SqliteFtsEngine(t.db, { bm25RowLimit: 1 });
    for (const q of ["behandling", "behandl"]) {
      const a = await scored.search({ now, q });
      const b = await tiered.search({ now, q });
      expect(b.total).toBe(a.total);
      expect(new Set(b.hits.map((h) => h.studyId))).toEqual(new Set(a.hits.map((h) => h.studyId)));
      // Title matches first (two of them, more than the limit: newest first), then the
      // condition match, then the summary match, then the compound (substring) match.
      expect(b.hits.map((h) => h.studyId)).toEqual([4, 2, 3, 1, 6]);
    }
  });

  it("pages through that order exactly, for every page size (the condition tier is looked up only when a page reaches it)", async () => {
    const tiered = new SqliteFtsEngine(t.db, { bm25RowLimit: 1, answerCache: 0 });
    const order = [4, 2, 3, 1, 6];
    for (let perPage = 1; perPage <= 5; perPage++) {
      for (let page = 1; page <= 6; page++) {
        const r = await tiered.search({ now, q: "behandling", page, perPage, facets: ["status"] });
        expect(r.total).toBe(5);
        expect(r.facets.status).toEqual({ open: 5 });
        expect(r.hits.map((h) => h.studyId)).toEqual(order.slice((page - 1) * perPage, page * perPage));
      }
    }
    // Enough title matches for the page, but the filter removes them: the condition tier decides.
    for (let perPage = 1; perPage <= 3; perPage++) {
      const r = await tiered.search({ now, q: "behandling", categories: ["sleep"], perPage });
      expect(r.total).toBe(3);
      expect(r.hits.map((h) => h.studyId)).toEqual([3, 1, 6].slice(0, perPage));
    }
    // A typo of the broad word: the same studies as bm25 scoring finds, title matches first.
    const scored = new SqliteFtsEngine(t.db, { answerCache: 0 });
    const typo = await tiered.search({ now, q: "behandlnig" });
    const typoScored = await scored.search({ now, q: "behandlnig" });
    expect(typo.total).toBe(4);
    expect(new Set(typo.hits.map((h) => h.studyId))).toEqual(new Set(typoScored.hits.map((h) => h.studyId)));
    expect(typo.hits.map((h) => h.studyId)).toEqual([4, 2, 1, 3]);
    // Sorted by newest the tiers do not matter; closing soon uses them to break ties.
    const newest = await tiered.search({ now, q: "behandling", sort: "newest", perPage: 5 });
    expect(newest.total).toBe(5);
    const byNewest = [...docs].sort((x, y) => y.updatedAt - x.updatedAt || y.studyId - x.studyId).map((d) => d.studyId);
    expect(newest.hits.map((h) => h.studyId)).toEqual(byNewest.filter((id) => id !== 5));
  });
});

describe("sqlite-fts: the answer cache", () => {
  let t: TestDb;
  afterAll(() => t?.cleanup());

  it("reuses an answer only for the same index and the same status epoch", async () => {
    t = freshDb();
    const engine = new SqliteFtsEngine(t.db);
    await engine.setup();
    const opens = Date.parse("2026-12-01T23:00:00Z"); // Oslo midnight, 2 December
    await engine.rebuild([
      [doc(1, 11, "Trening etter hjerneslag", { opensAt: opens }), doc(2, 21, "Hjerneslag og søvn")],
    ]);
    const before = new Date(opens - 60_000);
    const q = { q: "hjerneslag", status: ["open" as const], facets: ["status" as const] };
    const first = await engine.search({ ...q, now: before });
    expect(first.hits.map((h) => h.studyId)).toEqual([2]);
    first.hits.length = 0; // a caller changing its answer must not change the cached one
    const again = await engine.search({ ...q, now: new Date(opens - 1) });
    expect(again.hits.map((h) => h.studyId)).toEqual([2]);
    expect(again.facets.status).toEqual({ open: 1 });
    // The window opens: a new epoch, a new answer.
    const after = await engine.search({ ...q, now: new Date(opens) });
    expect(after.hits.map((h) => h.studyId).sort()).toEqual([1, 2]);
    expect(after.facets.status).toEqual({ open: 2 });
    // A write: a new generation, a new answer.
    await engine.removeStudies([2]);
    const removed = await engine.search({ ...q, now: new Date(opens) });
    expect(removed.hits.map((h) => h.studyId)).toEqual([1]);
    // And back in time: the first epoch again, computed afresh for the current index.
    const back = await engine.search({ ...q, now: before });
    expect(back.hits).toEqual([]);
  });
});

describe("sqlite-fts: a write inside a status epoch", () => {
  let t: TestDb;
  afterAll(() => t?.cleanup());

  it("gives the new sites the epoch's statuses and ends the epoch at their next boundary", async () => {
    t = freshDb();
    const engine = new SqliteFtsEngine(t.db, { answerCache: 0 });
    await engine.setup();
    await engine.rebuild([[doc(1, 11, "Eldre studie om søvn")]]); // open since 2026-01-01, no end
    const t0 = new Date("2026-11-22T11:00:00Z");
    expect((await engine.search({ now: t0, status: ["open"] })).total).toBe(1); // epoch from 1 Jan, no end
    const opens = t0.getTime() + 3_600_000;
    const closes = t0.getTime() + 7_200_000;
    await engine.indexStudies([2], [doc(2, 21, "Ny studie om søvn", { opensAt: opens, closesAt: closes })]);
    const at = async (ms: number) =>
      (await engine.search({ now: new Date(ms), q: "sovn", facets: ["status"] })).facets.status;
    expect(await at(t0.getTime())).toEqual({ open: 1, planned: 1 });
    expect(await at(opens - 1)).toEqual({ open: 1, planned: 1 });
    expect(await at(opens)).toEqual({ open: 2 });
    expect(await at(closes)).toEqual({ open: 1, closed: 1 });
    expect(await at(t0.getTime())).toEqual({ open: 1, planned: 1 });
  });
});
