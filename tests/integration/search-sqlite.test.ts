/**
 * The search contract against the embedded SQLite FTS5 engine, plus its own edges: typo lookup
 * through the deletion table, compounds through trigrams, hostile text, and a rebuild.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "~/db.server";
import { SqliteFtsEngine } from "../../search/sqlite-fts";
import type { SearchDocument } from "../../search/types";
import { freshDb, type TestDb } from "../helpers/db";
import { runSearchContract } from "../search/contract";

runSearchContract("sqlite-fts", { create: async (t) => new SqliteFtsEngine(t.db) });

function doc(studyId: number, siteId: number | null, title: string, extra: Partial<SearchDocument> = {}): SearchDocument {
  return {
    id: `${studyId}-${siteId ?? 0}`, studyId, siteId, title, titleEn: null, shortTitle: null,
    summary: "Et sammendrag.", conditions: [], icd10: [], icd10Names: [], interventions: [], categories: [], categoryNames: [],
    studyType: "treatment", phase: null, sex: "all", minAgeYears: null, maxAgeYears: null, healthyVolunteers: false,
    leadOrganisationId: "unn", leadOrganisationName: "Universitetssykehuset Nord-Norge HF",
    organisationId: siteId == null ? null : "unn", organisationName: siteId == null ? null : "Universitetssykehuset Nord-Norge HF",
    regionId: siteId == null ? null : "helse-nord", hospitalId: null, hospitalName: null,
    opensAt: Date.parse("2026-01-01T00:00:00Z"), closesAt: null, paused: false, lat: null, lon: null,
    updatedAt: Date.parse("2026-11-01T00:00:00Z"), isDemo: false, ...extra,
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
    await engine.rebuild([[
      doc(1, 11, "Immunterapi ved føflekkreft"),
      doc(2, 21, "Trening etter hjerneslag"),
      doc(3, null, "Studie uten studiesteder om revmatisme"),
      doc(4, 41, "Kosthold og tarmflora hos barn"),
      doc(5, 51, "Behandling av lungeinfarkt"),
    ]]);
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
    // "infarkt" is a synonym of hjerteinfarkt; it must not pull in a study of "lungeinfarkt".
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

  it("rebuild replaces everything at once", async () => {
    await engine.rebuild([[doc(9, 91, "Ny studie om søvnapné")]]);
    expect((await engine.search({ now })).total).toBe(1);
    expect((await engine.search({ now, q: "sovnapne" })).hits[0]!.studyId).toBe(9);
    expect((await engine.search({ now, q: "immunterapi" })).total).toBe(0);
  });
});
