/**
 * The embedded engine's in-memory filter and facet layer (app/search/filter-table.ts) against a plain
 * reference written straight from the rules, on random studies and queries (fast-check, fixed
 * seed). The layer is tuned for speed (status bits per study, integer facet codes, one predicate
 * per level); this checks the tuning changed no answer: which studies match, through which sites,
 * and every facet count — also after entries are patched in at the same status epoch.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  comparator,
  compileFilter,
  eachMatch,
  ensureStatus,
  entryFromDocuments,
  FacetCounter,
  patchStatus,
  StudyTable,
  TextScores,
  TopK,
  type CompiledFilter,
  type Match,
  type StudyEntry,
} from "#app/search/filter-table";
import { icd10Chapter, icd10Prefixes } from "#app/search/meilisearch-settings";
import type { Facet, SearchDocument, SearchQuery, StatusFilter } from "#app/search/types";

const SEED = 20261202;
const DAY = 86_400_000;
const NOW = Date.UTC(2026, 11, 2, 9);
const REGIONS = ["sor-ost", "vest", "midt", "nord"];
const ORGS = ["ous", "ahus", "helse-bergen", "st-olavs", "unn"];
const HOSPITALS = ["ous-rikshospitalet", "ous-ulleval", null];
const CATEGORIES = ["cancer", "cardiovascular", "metabolic", "mental-health"];
const CODES = ["C50", "C509", "I21", "E11", "F32", "J45"];
const FACETS: Facet[] = ["regionId", "organisationId", "categories", "studyType", "phase", "icd10Chapter", "status"];

/** Every match as a list, as the engine's one pass sees them. */
function filterEntries(
  table: StudyTable,
  scoreOf: Map<number, number> | null,
  filter: CompiledFilter,
  near: { lat: number; lon: number } | null,
): Match[] {
  const out: Match[] = [];
  let scores: TextScores | null = null;
  if (scoreOf) {
    scores = new TextScores(table);
    for (const [id, score] of scoreOf) scores.keep(id, score);
  }
  eachMatch(table, scores, filter, near, (entry, score, sites, distanceKm) =>
    out.push({
      entry,
      score,
      sites: sites === entry.sites || sites === entry.statusSubset?.sites ? sites : [...sites],
      distanceKm,
    }),
  );
  return out;
}

function facetCounts(matches: Match[], wanted: Set<Facet>, filter: CompiledFilter, now: number) {
  const counter = new FacetCounter(wanted, filter, now);
  for (const m of matches) counter.add(m.entry, m.sites);
  return counter.result();
}

const windowEdge = fc.option(
  fc.integer({ min: -40, max: 40 }).map((d) => NOW + d * DAY),
  { nil: null },
);
const site = fc.record({
  regionId: fc.constantFrom(...REGIONS),
  organisationId: fc.constantFrom(...ORGS),
  hospitalId: fc.constantFrom(...HOSPITALS),
  opensAt: windowEdge,
  closesAt: windowEdge,
  paused: fc.boolean(),
  // Few distinct places, so distance ties happen (as at one hospital).
  lat: fc.constantFrom(59.9, 60.4, 63.4, 69.6),
  lon: fc.constantFrom(10.7, 5.3, 10.4, 18.9),
});
const study = fc.record({
  studyType: fc.constantFrom("treatment" as const, "observational" as const, "other" as const),
  phase: fc.constantFrom(null, "phase_1", "phase_2", "phase_3"),
  sex: fc.constantFrom("all" as const, "female" as const, "male" as const),
  // Few distinct ages, so a query's age often equals a limit (the boundary is where bugs live).
  minAge: fc.option(fc.constantFrom(0, 18, 40, 65), { nil: null }),
  maxAge: fc.option(fc.constantFrom(17, 18, 40, 65, 100), { nil: null }),
  healthyVolunteers: fc.boolean(),
  categories: fc.uniqueArray(fc.constantFrom(...CATEGORIES), { maxLength: 2 }),
  icd10: fc.uniqueArray(fc.constantFrom(...CODES), { maxLength: 2 }),
  sites: fc.array(site, { maxLength: 4, size: "medium" }),
});
type GeneratedStudy = typeof study extends fc.Arbitrary<infer T> ? T : never;

function documents(s: GeneratedStudy, studyId: number): SearchDocument[] {
  const base = {
    studyId,
    title: `Studie ${studyId}`,
    titleEn: null,
    shortTitle: null,
    summary: null,
    conditions: [],
    icd10: s.icd10,
    icd10Names: [],
    interventions: [],
    categories: s.categories,
    categoryNames: [],
    studyType: s.studyType,
    phase: s.phase,
    sex: s.sex,
    minAgeYears: s.minAge,
    maxAgeYears: s.maxAge,
    healthyVolunteers: s.healthyVolunteers,
    leadOrganisationId: "ous",
    leadOrganisationName: "OUS",
    organisationName: null,
    hospitalName: null,
    lat: null,
    lon: null,
    updatedAt: studyId % 7,
    isDemo: false,
    studyConfirmedUntil: Number.MAX_SAFE_INTEGER,
  };
  if (s.sites.length === 0)
    return [
      {
        ...base,
        id: `${studyId}-0`,
        siteId: null,
        organisationId: null,
        regionId: null,
        hospitalId: null,
        opensAt: null,
        closesAt: null,
        paused: false,
      },
    ];
  return s.sites.map((x, i) => ({ ...base, ...x, id: `${studyId}-${i + 1}`, siteId: studyId * 10 + i + 1 }));
}

const entry = (s: GeneratedStudy, id: number): StudyEntry => {
  const docs = documents(s, id);
  return entryFromDocuments(docs, {
    icd10Prefixes: icd10Prefixes(s.icd10),
    chapters: [...new Set(s.icd10.map(icd10Chapter).filter((c): c is string => c != null))],
  });
};

/** Each condition present about half the time (absent keys are removed, as the API leaves them out). */
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 2 });
const query = fc
  .record({
    status: maybe(
      fc.uniqueArray(fc.constantFrom<StatusFilter>("open", "planned", "closed"), { minLength: 1, maxLength: 3 }),
    ),
    regions: maybe(fc.uniqueArray(fc.constantFrom(...REGIONS), { minLength: 1, maxLength: 2 })),
    organisations: maybe(fc.uniqueArray(fc.constantFrom(...ORGS), { minLength: 1, maxLength: 2 })),
    hospitals: maybe(
      fc.uniqueArray(fc.constantFrom("ous-rikshospitalet", "ous-ulleval"), { minLength: 1, maxLength: 1 }),
    ),
    categories: maybe(fc.uniqueArray(fc.constantFrom(...CATEGORIES), { minLength: 1, maxLength: 2 })),
    icd10: maybe(fc.uniqueArray(fc.constantFrom("C50", "C", "I21", "E1"), { minLength: 1, maxLength: 2 })),
    studyTypes: maybe(fc.uniqueArray(fc.constantFrom("treatment", "observational"), { minLength: 1, maxLength: 1 })),
    phases: maybe(fc.uniqueArray(fc.constantFrom("phase_2", "phase_3"), { minLength: 1, maxLength: 2 })),
    age: maybe(fc.constantFrom(0, 17, 18, 39, 40, 65, 66, 100)),
    sex: maybe(fc.constantFrom<"female" | "male">("female", "male")),
    healthyVolunteers: maybe(fc.boolean()),
  })
  .map((q) => Object.fromEntries(Object.entries(q).filter(([, v]) => v !== undefined)) as Partial<SearchQuery>);

/* ------------------------------------------------------------------ the reference */

function statusAt(x: GeneratedStudy["sites"][number], now: number): "open" | "planned" | "closed" | "paused" {
  if (x.closesAt != null && now >= x.closesAt) return "closed";
  if (x.paused) return "paused";
  if (x.opensAt == null || now < x.opensAt) return "planned";
  return "open";
}

function reference(studies: GeneratedStudy[], q: Partial<SearchQuery>, now: number) {
  const matched: { id: number; sites: number[] }[] = [];
  const facets: Record<string, Record<string, number>> = Object.fromEntries(FACETS.map((f) => [f, {}]));
  const bump = (f: string, v: string | null) => {
    if (v != null) facets[f]![v] = (facets[f]![v] ?? 0) + 1;
  };
  studies.forEach((s, i) => {
    const id = i + 1;
    if (q.categories?.length && !s.categories.some((c) => q.categories!.includes(c))) return;
    if (q.icd10?.length && !q.icd10.some((p) => s.icd10.some((c) => c.startsWith(p)))) return;
    if (q.studyTypes?.length && !q.studyTypes.includes(s.studyType)) return;
    if (q.phases?.length && !(s.phase != null && q.phases.includes(s.phase))) return;
    if (q.age != null && !((s.minAge == null || s.minAge <= q.age) && (s.maxAge == null || s.maxAge >= q.age))) return;
    if (q.sex != null && s.sex !== "all" && s.sex !== q.sex) return;
    if (q.healthyVolunteers != null && s.healthyVolunteers !== q.healthyVolunteers) return;
    const siteConditions = !!(q.status?.length || q.regions?.length || q.organisations?.length || q.hospitals?.length);
    const sites = s.sites
      .map((x, k) => ({ x, siteId: id * 10 + k + 1 }))
      .filter(
        ({ x }) =>
          (!q.regions?.length || q.regions.includes(x.regionId)) &&
          (!q.organisations?.length || q.organisations.includes(x.organisationId)) &&
          (!q.hospitals?.length || (x.hospitalId != null && q.hospitals.includes(x.hospitalId))) &&
          (!q.status?.length || (q.status as string[]).includes(statusAt(x, now))),
      );
    if (siteConditions && sites.length === 0) return;
    matched.push({ id, sites: sites.map((x) => x.siteId) });
    for (const c of s.categories) bump("categories", c);
    for (const ch of new Set(s.icd10.map(icd10Chapter))) bump("icd10Chapter", ch);
    bump("studyType", s.studyType);
    bump("phase", s.phase);
    for (const r of new Set(sites.map((x) => x.x.regionId))) bump("regionId", r);
    for (const o of new Set(sites.map((x) => x.x.organisationId))) bump("organisationId", o);
    for (const st of new Set(sites.map((x) => statusAt(x.x, now)))) if (st !== "paused") bump("status", st);
  });
  return { matched, facets };
}

function actual(table: StudyTable, q: Partial<SearchQuery>, now: number) {
  const filter = compileFilter({ ...q, now: new Date(now) }, (q.status ?? []) as StatusFilter[], now);
  const matches = filterEntries(table, null, filter, null);
  const facets = facetCounts(matches, new Set(FACETS), filter, now);
  return {
    matched: matches
      .map((m) => ({ id: m.entry.studyId, sites: m.sites.map((s) => s.siteId) }))
      .sort((a, b) => a.id - b.id),
    facets,
  };
}

describe("filter-table against the reference", () => {
  it("matches the same studies through the same sites, with the same facet counts", () => {
    fc.assert(
      fc.property(
        fc.array(study, { minLength: 1, maxLength: 25 }),
        fc.array(query, { minLength: 1, maxLength: 4 }),
        fc.integer({ min: -30, max: 30 }),
        fc.constantFrom(0, 1, 3_600_000),
        (studies, queries, shift, offset) => {
          // Window edges are whole days from NOW: offset 0 puts `now` exactly on some of them.
          const now = NOW + shift * DAY + offset;
          const table = new StudyTable(studies.map((s, i) => [i + 1, entry(s, i + 1)]));
          ensureStatus(table, now);
          for (const q of queries) {
            const want = reference(studies, q, now);
            expect(actual(table, q, now)).toEqual(want);
          }
          // The same table days later: statuses (and what was built from them) move with the clock.
          const later = now + 5 * DAY;
          for (const q of queries) expect(actual(table, q, later)).toEqual(reference(studies, q, later));
        },
      ),
      { seed: SEED, numRuns: 300 },
    );
  });

  it("entries patched in at the same epoch answer like a table built with them", () => {
    fc.assert(
      fc.property(
        fc.array(study, { minLength: 1, maxLength: 15 }),
        fc.array(study, { minLength: 1, maxLength: 5 }),
        query,
        (first, added, q) => {
          const now = NOW + 7_200_000;
          const table = new StudyTable(first.map((s, i) => [i + 1, entry(s, i + 1)]));
          ensureStatus(table, now);
          // A search before the patch (it builds the views a later search must not reuse).
          expect(actual(table, q, now)).toEqual(reference(first, q, now));
          const patched = added.map((s, k) => entry(s, first.length + k + 1));
          for (const e of patched) table.set(e.studyId, e);
          patchStatus(table, patched);
          expect(actual(table, q, now)).toEqual(reference([...first, ...added], q, now));
        },
      ),
      { seed: SEED, numRuns: 200 },
    );
  });
});

describe("status at the exact instant a window opens or closes", () => {
  it("opens at opensAt and is closed from closesAt on (half-open [opensAt, closesAt))", () => {
    const s = (opensAt: number | null, closesAt: number | null, paused = false) => ({
      regionId: "vest",
      organisationId: "ous",
      hospitalId: null,
      opensAt,
      closesAt,
      paused,
      lat: 60.4 as const,
      lon: 5.3 as const,
    });
    const generated: GeneratedStudy = {
      studyType: "treatment",
      phase: null,
      sex: "all",
      minAge: null,
      maxAge: null,
      healthyVolunteers: false,
      categories: [],
      icd10: [],
      sites: [s(NOW, NOW + DAY), s(NOW - DAY, NOW), s(NOW + 1, null), s(NOW - DAY, NOW + DAY, true)],
    };
    const table = new StudyTable([[1, entry(generated, 1)]]);
    ensureStatus(table, NOW);
    expect(table.get(1)!.sites.map((x) => x.status)).toEqual([0, 2, 1, 3]); // open, closed, planned, paused
    expect(actual(table, { status: ["open"] }, NOW)).toEqual(reference([generated], { status: ["open"] }, NOW));
    expect(actual(table, { status: ["open"] }, NOW).matched).toEqual([{ id: 1, sites: [11] }]);
    expect(actual(table, { status: ["closed", "planned"] }, NOW).matched).toEqual([{ id: 1, sites: [12, 13] }]);
  });

  it("the same table answers for the instant asked: a study opening later is not open now, then is", () => {
    const s = (opensAt: number, closesAt: number | null) => ({
      regionId: "vest",
      organisationId: "ous",
      hospitalId: null,
      opensAt,
      closesAt,
      paused: false,
      lat: 60.4 as const,
      lon: 5.3 as const,
    });
    const base = {
      studyType: "treatment" as const,
      phase: null,
      sex: "all" as const,
      minAge: null,
      maxAge: null,
      healthyVolunteers: false,
      categories: [],
      icd10: [],
    };
    const opensLater: GeneratedStudy = { ...base, sites: [s(NOW + 3 * DAY, null)] };
    const openNow: GeneratedStudy = { ...base, sites: [s(NOW - DAY, NOW + 2 * DAY)] };
    const table = new StudyTable([
      [1, entry(opensLater, 1)],
      [2, entry(openNow, 2)],
    ]);
    const open = { status: ["open" as const] };
    expect(actual(table, open, NOW).matched.map((m) => m.id)).toEqual([2]);
    expect(actual(table, open, NOW + 5 * DAY).matched.map((m) => m.id)).toEqual([1]);
    expect(actual(table, open, NOW).matched.map((m) => m.id)).toEqual([2]);
  });
});

describe("TopK", () => {
  it("gives the first k of every sort order, exactly as sorting everything would (ties included)", () => {
    fc.assert(
      fc.property(
        fc.array(study, { minLength: 1, maxLength: 40 }),
        fc.constantFrom("relevance" as const, "closing" as const, "newest" as const, "distance" as const),
        fc.integer({ min: 0, max: 45 }),
        fc.array(fc.constantFrom(0, 1, 2, 2.5), { minLength: 40, maxLength: 40 }),
        (studies, sort, k, scoreOf) => {
          const table = new StudyTable(studies.map((s, i) => [i + 1, entry(s, i + 1)]));
          const scores = new Map(studies.map((_, i) => [i + 1, scoreOf[i]!]));
          const filter = compileFilter({ now: new Date(NOW) }, [], NOW);
          const matches = filterEntries(table, scores, filter, sort === "distance" ? { lat: 63.4, lon: 10.4 } : null);
          const compare = comparator(sort, sort === "distance");
          const top = new TopK(k, compare);
          for (const m of matches) top.offer(m.entry, m.score, m.sites, m.distanceKm);
          const want = [...matches]
            .sort(compare)
            .slice(0, k)
            .map((m) => m.entry.studyId);
          expect(top.items().map((m) => m.entry.studyId)).toEqual(want);
        },
      ),
      { seed: SEED, numRuns: 300 },
    );
  });
});
