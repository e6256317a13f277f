/**
 * The two engines, and Meilisearch's two ways of counting, agree on the same documents.
 *
 * Meilisearch counts per study from representative documents (search/meilisearch-
 * representatives.ts) and sorts by distance through rings of hospitals (no `_geo`). Both are
 * checked here against references on 400 generated multi-site studies (real hospitals, windows
 * that open and close around `now`, some paused sites, some sites without coordinates, some
 * studies without sites), at three instants, for every status set, with and without site filters:
 * - Meilisearch with representatives vs Meilisearch's own distinct count (`counting:
 *   "distinct"`): the same totals, facet counts and pages, also for text queries;
 * - Meilisearch vs the embedded engine for filter-only queries: the same totals, facets, studies,
 *   shown sites, and distance order (page by page).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MeilisearchEngine } from "#app/search/meilisearch.server";
import { startLocalMeilisearch, type LocalMeilisearch } from "#app/search/meilisearch-process.server";
import { SqliteFtsEngine } from "#app/search/sqlite-fts.server";
import { FACETS, type SearchDocument, type SearchQuery, type SearchResult, type StatusFilter } from "#app/search/types";
import { generateDocuments } from "../../scripts/lib/search-bench-data";
import { freshDb, type TestDb } from "../helpers/db";

const NOW = new Date("2026-11-20T10:00:00Z");
const DAY = 86_400_000;
const INSTANTS = [NOW, new Date(NOW.getTime() + 45 * DAY), new Date(NOW.getTime() - 200 * DAY)];

/** Generated studies, made harder: sites without coordinates, paused sites, studies without sites. */
function documents(): SearchDocument[] {
  const docs = generateDocuments(400, 11, NOW).batches.flat();
  let k = 0;
  const out: SearchDocument[] = [];
  for (const d of docs) {
    k++;
    if (k % 7 === 0) out.push({ ...d, lat: null, lon: null });
    else if (k % 11 === 0) out.push({ ...d, paused: true });
    else out.push(d);
  }
  // Studies without sites: one document with siteId null.
  const first = docs[0]!;
  for (let i = 1; i <= 5; i++) {
    out.push({
      ...first,
      id: `${900 + i}-0`,
      studyId: 900 + i,
      siteId: null,
      organisationId: null,
      organisationName: null,
      regionId: null,
      hospitalId: null,
      hospitalName: null,
      opensAt: null,
      closesAt: null,
      paused: false,
      lat: null,
      lon: null,
    });
  }
  return out;
}

const STATUS_SETS: StatusFilter[][] = [
  [],
  ["open"],
  ["planned"],
  ["closed"],
  ["open", "planned"],
  ["open", "closed"],
  ["open", "planned", "closed"],
  ["planned", "closed"],
];

let meili: LocalMeilisearch;
let t: TestDb;
let sqlite: SqliteFtsEngine;
let represent: MeilisearchEngine;
let distinct: MeilisearchEngine;
let docs: SearchDocument[];
let siteFilters: Partial<SearchQuery>[];

beforeAll(async () => {
  docs = documents();
  meili = await startLocalMeilisearch();
  represent = new MeilisearchEngine({ host: meili.host, apiKey: meili.masterKey, indexUid: "agree" });
  distinct = new MeilisearchEngine({
    host: meili.host,
    apiKey: meili.masterKey,
    indexUid: "agree",
    counting: "distinct",
  });
  await represent.setup();
  await represent.rebuild([docs]);
  t = freshDb();
  sqlite = new SqliteFtsEngine(t.db, { answerCache: 0 });
  await sqlite.setup();
  await sqlite.rebuild([docs]);
  const first = (attr: "regionId" | "organisationId" | "hospitalId", nth = 0) =>
    [...new Set(docs.map((d) => d[attr]).filter((x): x is string => !!x))].sort()[nth]!;
  siteFilters = [
    {},
    { regions: [first("regionId")] },
    { organisations: [first("organisationId", 2)] },
    { regions: [first("regionId"), first("regionId", 1)] },
    { regions: [first("regionId", 1)], organisations: [first("organisationId", 3)] },
    { hospitals: [first("hospitalId", 4)] },
  ];
}, 180_000);

afterAll(async () => {
  await meili?.stop();
  t?.cleanup();
});

const ids = (r: SearchResult) => r.hits.map((h) => h.studyId).sort((a, b) => a - b);
const label = (q: Partial<SearchQuery>) => JSON.stringify({ ...q, now: undefined });

describe("Meilisearch counts per study without its distinct count", () => {
  it("has the same totals, facets and pages as Meilisearch's distinct count", async () => {
    let compared = 0;
    let nonEmpty = 0;
    for (const now of INSTANTS) {
      for (const status of STATUS_SETS) {
        for (const filters of siteFilters) {
          for (const q of ["", "kreft", "hjertesvikt trening"]) {
            const query: SearchQuery = { now, q, status, ...filters, facets: [...FACETS], perPage: 100 };
            const [a, b] = await Promise.all([represent.search(query), distinct.search(query)]);
            expect(a.total, label(query)).toBe(b.total);
            expect(a.facets, label(query)).toEqual(b.facets);
            // A full page holds every match: the same studies, showing the same sites.
            if (b.total <= 100) {
              expect(ids(a), label(query)).toEqual(ids(b));
              expect(new Map(a.hits.map((h) => [h.studyId, h.siteId])), label(query)).toEqual(
                new Map(b.hits.map((h) => [h.studyId, h.siteId])),
              );
            }
            compared++;
            if (b.total > 0) nonEmpty++;
          }
        }
      }
    }
    expect(compared).toBe(INSTANTS.length * STATUS_SETS.length * siteFilters.length * 3);
    // The grid must exercise real counts, not mostly empty answers.
    expect(nonEmpty).toBeGreaterThan(compared * 0.6);
  }, 300_000);

  it("pages through a broad query without overlap or gaps", async () => {
    const query = { now: NOW, status: ["open" as const], perPage: 7 };
    const first = await represent.search(query);
    expect(first.total).toBeGreaterThan(30);
    const seen: number[] = [];
    for (let page = 1; (page - 1) * 7 < first.total; page++)
      seen.push(...(await represent.search({ ...query, page })).hits.map((h) => h.studyId));
    expect(seen).toHaveLength(first.total);
    expect(new Set(seen).size).toBe(first.total);
  });
});

describe("Meilisearch and the embedded engine agree on filter-only queries", () => {
  it("same totals, facets, studies and shown sites", async () => {
    for (const now of INSTANTS) {
      for (const status of STATUS_SETS) {
        for (const filters of siteFilters) {
          for (const sort of ["newest", "closing"] as const) {
            const query: SearchQuery = { now, status, ...filters, sort, facets: [...FACETS], perPage: 100 };
            const [a, b] = await Promise.all([represent.search(query), sqlite.search(query)]);
            expect(a.total, label(query)).toBe(b.total);
            expect(a.facets, label(query)).toEqual(b.facets);
            if (b.total <= 100) {
              expect(ids(a), label(query)).toEqual(ids(b));
              expect(new Map(a.hits.map((h) => [h.studyId, h.siteId])), label(query)).toEqual(
                new Map(b.hits.map((h) => [h.studyId, h.siteId])),
              );
            }
          }
        }
      }
    }
  }, 300_000);

  it("sorts by the nearest matching site, page by page, sites without coordinates last", async () => {
    const points = [
      { lat: 59.9127, lon: 10.7461 }, // Oslo
      { lat: 69.6496, lon: 18.956 }, // Tromsø
      { lat: 61.45, lon: 5.85 }, // Førde area
    ];
    let withNull = 0;
    for (const near of points) {
      for (const status of [[], ["open"], ["open", "planned"], ["closed"]] as StatusFilter[][]) {
        for (const filters of siteFilters.slice(0, 4)) {
          const query: SearchQuery = { now: NOW, status, ...filters, near, sort: "distance", perPage: 15 };
          const total = (await sqlite.search(query)).total;
          for (let page = 1; page <= Math.min(4, Math.ceil(total / 15)); page++) {
            const [a, b] = await Promise.all([represent.search({ ...query, page }), sqlite.search({ ...query, page })]);
            expect(a.total, label(query)).toBe(b.total);
            // Same distances in the same order (studies at one hospital may tie in any order).
            expect(
              a.hits.map((h) => h.distanceKm),
              `${label(query)} page ${page}`,
            ).toEqual(b.hits.map((h) => h.distanceKm));
            // A study on both pages shows the same (nearest matching) site.
            const sqliteSite = new Map(b.hits.map((h) => [h.studyId, h.siteId]));
            for (const h of a.hits)
              if (sqliteSite.has(h.studyId))
                expect(h.siteId, `${label(query)} study ${h.studyId}`).toBe(sqliteSite.get(h.studyId));
            withNull += a.hits.filter((h) => h.distanceKm == null).length;
          }
        }
      }
    }
    expect(withNull).toBeGreaterThan(0);
  }, 300_000);
});

describe("distance after a new place appears", () => {
  it("finds a study at a hospital the cached list of places does not know yet, first", async () => {
    const near = { lat: 62.4722, lon: 6.1495 }; // Ålesund
    const query: SearchQuery = { now: NOW, status: ["open"], near, sort: "distance", perPage: 10 };
    // Fills Meilisearch's list of places (it is cached for 30 s).
    await represent.search(query);
    await represent.search(query);
    const template = docs.find((d) => d.siteId != null)!;
    const fresh: SearchDocument = {
      ...template,
      id: "990-99001",
      studyId: 990,
      siteId: 99001,
      hospitalId: "ny-klinikk-test",
      hospitalName: "Ny klinikk",
      lat: near.lat,
      lon: near.lon,
      opensAt: NOW.getTime() - 10 * DAY,
      closesAt: null,
      paused: false,
    };
    await Promise.all([represent.indexStudies([990], [fresh]), sqlite.indexStudies([990], [fresh])]);
    const [a, b] = await Promise.all([represent.search(query), sqlite.search(query)]);
    expect(a.hits[0]).toMatchObject({ studyId: 990, siteId: 99001, distanceKm: 0 });
    expect(a.hits.map((h) => h.distanceKm)).toEqual(b.hits.map((h) => h.distanceKm));
    expect(a.total).toBe(b.total);
  });
});
