/**
 * One status rule, proven on the real engines (issue 21 item 3): random studies of one to three
 * random sites (inclusion dates, declared status and its age, registry estimates, pause,
 * confirmation date) are indexed in the embedded engine and in a real Meilisearch; at random
 * instants (and one millisecond either side of every status change) each engine's status filter
 * finds exactly the studies with a site whose domain status (siteStatus) is in the filter, and
 * counts them once (Meilisearch's representatives). Fixed seed.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { searchWindow, siteStatus, type InclusionWindow } from "#app/domain/inclusion-status";
import { MeilisearchEngine } from "#app/search/meilisearch.server";
import { startLocalMeilisearch, type LocalMeilisearch } from "#app/search/meilisearch-process.server";
import { SqliteFtsEngine } from "#app/search/sqlite-fts.server";
import type { SearchDocument, SearchEngine, StatusFilter } from "#app/search/types";
import { NEVER_OVERDUE } from "#app/search/document-mapper";
import { freshDb, type TestDb } from "../helpers/db";
import { ENGINE_BUCKET, instant, site } from "../helpers/status-arbitraries";

const SEED = 20261207;
const STUDIES = 90; // one page of 100 holds every match
const STATUS_SETS: StatusFilter[][] = [
  ["open"],
  ["planned"],
  ["closed"],
  ["open", "planned"],
  ["open", "closed"],
  ["open", "planned", "closed"],
  ["planned", "closed"],
];

const studies: InclusionWindow[][] = fc.sample(fc.array(site, { minLength: 1, maxLength: 3 }), {
  seed: SEED,
  numRuns: STUDIES,
});

function document(studyId: number, siteId: number, s: InclusionWindow): SearchDocument {
  return {
    id: `${studyId}-${siteId}`,
    studyId,
    siteId,
    title: `Statusstudie ${studyId}`,
    titleEn: null,
    shortTitle: null,
    summary: null,
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
    organisationId: "unn",
    organisationName: "Universitetssykehuset Nord-Norge HF",
    regionId: "helse-nord",
    hospitalId: null,
    hospitalName: "UNN Tromsø",
    ...searchWindow(s),
    lat: null,
    lon: null,
    studyConfirmedUntil: NEVER_OVERDUE,
    updatedAt: Date.parse("2026-11-01T00:00:00Z"),
    isDemo: false,
  };
}

const docs = studies.flatMap((sites, i) => sites.map((s, k) => document(i + 1, (i + 1) * 10 + k, s)));

/** Random instants plus one millisecond either side of every instant a site changes status. */
const instants: Date[] = [
  ...fc.sample(instant, { seed: SEED, numRuns: 12 }),
  ...docs
    .flatMap((d) => [d.opensAt, d.closesAt])
    .filter((x): x is number => x != null && x > 0)
    .slice(0, 8)
    .flatMap((x) => [new Date(x - 1), new Date(x)]),
];

/** The studies the domain says match: some site's status is in the set. */
function expected(status: StatusFilter[], now: Date): number[] {
  return studies
    .map((sites, i) => ({
      id: i + 1,
      match: sites.some((s) => status.includes(ENGINE_BUCKET[siteStatus(s, now)] as StatusFilter)),
    }))
    .filter((x) => x.match)
    .map((x) => x.id);
}

let meili: LocalMeilisearch;
let t: TestDb;
let engines: SearchEngine[];

beforeAll(async () => {
  meili = await startLocalMeilisearch();
  const m = new MeilisearchEngine({ host: meili.host, apiKey: meili.masterKey, indexUid: "status-rule" });
  await m.setup();
  await m.rebuild([docs]);
  t = freshDb();
  const s = new SqliteFtsEngine(t.db, { answerCache: 0 });
  await s.setup();
  await s.rebuild([docs]);
  engines = [s, m];
}, 180_000);

afterAll(async () => {
  await meili?.stop();
  t?.cleanup();
});

describe("the engines' status filters equal the domain's rule", () => {
  it("every status set at every instant finds (and counts once) the studies the domain says", async () => {
    let nonEmpty = 0;
    for (const now of instants) {
      for (const status of STATUS_SETS) {
        const want = expected(status, now);
        if (want.length > 0) nonEmpty++;
        for (const engine of engines) {
          const r = await engine.search({ now, status, perPage: 100 });
          const label = `${engine.name} ${status.join("+")} at ${now.toISOString()}`;
          expect(
            r.hits.map((h) => h.studyId).sort((a, b) => a - b),
            label,
          ).toEqual(want);
          expect(r.total, label).toBe(want.length);
        }
      }
    }
    // The sample is not degenerate: most filters found something.
    expect(nonEmpty).toBeGreaterThan((instants.length * STATUS_SETS.length) / 2);
  });
});
