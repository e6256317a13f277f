/**
 * The Meilisearch implementation of SearchEngine (one document per study × active site, distinct
 * per study; status is never stored but filtered from the inclusion window at query time).
 *
 * HTTP latency of the JS client (measured 2026-12-01 against the local 1.21.0 test binary, 50
 * searches returning 23.7 KB each, tests/integration/search-meilisearch.test.ts "client HTTP
 * latency"): the stock client took 46.2 ms per search, a raw keep-alive http.request 4.2 ms.
 * The cause: fetch offers gzip/deflate/br, Meilisearch then compresses every response, and the
 * round trip on loopback grows by ~40 ms. With `Accept-Encoding: identity` (below) the client
 * takes 7.0 ms. Production behind a network may prefer compression; measure there.
 */
import { Meilisearch, type MultiSearchQuery, type SearchParams } from "meilisearch";
import { distanceKm as greatCircleKm } from "#app/domain/geo-distance";
import { groupByStudy } from "#app/domain/group-by-study";
import { studyStopsIncludingAt, WINDOW_STATUS_RULE, type WindowCondition } from "#app/domain/window-status";
import { documentStatus } from "./document-mapper";
import { markWords } from "./highlight";
import { safeQuery } from "./medical-terms.server";
import { queryText, validIcd10Prefix, validIds } from "./query-terms";
import { compoundParts, normaliseNorwegian } from "./norwegian.server";
import {
  representativeClause,
  representativeFieldsOf,
  statusSetFor,
  type Grouping,
  type StatusSet,
} from "./meilisearch-representatives";
import {
  applySettings,
  assertSucceeded,
  icd10Chapter,
  icd10Prefixes,
  icd10SearchTokens,
  PRIMARY_KEY,
  STOP_WORDS,
  TASK_WAIT,
  waitForTask,
} from "./meilisearch-settings";
import type {
  Facet,
  SearchDocument,
  SearchEngine,
  SearchHealth,
  SearchHit,
  SearchQuery,
  SearchResult,
  StatusFilter,
} from "./types";

/** What is stored in Meilisearch for one SearchDocument. */
export interface MeiliStudyDocument {
  id: string;
  studyId: number;
  siteId: number | null;
  title: string;
  shortTitle: string | null;
  /** Normalised (normaliseNorwegian) copies of the text fields: these are what is searched. */
  titleN: string;
  shortTitleN: string | null;
  titleEnN: string | null;
  summaryN: string | null;
  conditionsN: string[];
  icd10: string[];
  icd10Search: string[];
  icd10NamesN: string[];
  icd10Prefixes: string[];
  icd10Chapters: string[];
  interventionsN: string[];
  /** Known parts of compound words in the short fields (app/search/norwegian.server.ts compoundParts). */
  compoundPartsN: string[];
  categories: string[];
  categoryNamesN: string[];
  studyType: SearchDocument["studyType"];
  phase: string | null;
  sex: SearchDocument["sex"];
  minAgeYears: number | null;
  maxAgeYears: number | null;
  healthyVolunteers: boolean;
  leadOrganisationId: string;
  leadOrganisationNameN: string;
  organisationId: string | null;
  /** Every site's organisation and hospital name: the text of a study is the same on all of its
   * documents, so a word matches a study (as in the embedded engine), not one of its sites. */
  organisationNamesN: string[];
  regionId: string | null;
  hospitalId: string | null;
  hospitalNamesN: string[];
  /** `hospitalId|lat|lon` of a site with coordinates, else null: the distance rings (searchDistance). */
  hospitalPlace: string | null;
  opensAt: number | null;
  closesAt: number | null;
  /** The latest closesAt of the study's non-paused sites (null = open-ended): the "closing" sort key. */
  studyClosesAt: number | null;
  /** SearchDocument.studyConfirmedUntil (the same on all of a study's documents): sorted on after relevance. */
  studyConfirmedUntil: number;
  paused: boolean;
  lat: number | null;
  lon: number | null;
  updatedAt: number;
  isDemo: boolean;
  /** All of the study's sites, compactly: each hit picks the site it shows from them (siteChooser). */
  sites: SiteTuple[];
  /** Representative fields (meilisearch-representatives.ts): rep_<grouping>_<statuses>_<from|to>. */
  [representative: `rep_${string}`]: number;
}

const DOC_ID_RE = /^[a-zA-Z0-9_-]{1,511}$/;

const n = (s: string | null | undefined): string | null => (s == null ? null : normaliseNorwegian(s));
const nAll = (xs: string[]): string[] => xs.map((x) => normaliseNorwegian(x)).filter(Boolean);

/**
 * When the study stops including everywhere: the latest closesAt of its non-paused sites, null if
 * any of them is open-ended (or it has none). Computed from all of one study's documents, so they
 * must be indexed together (indexStudies gets them as a set; rebuild batches keep a study in one
 * batch).
 */
export function studyClosesAt(studyDocs: SearchDocument[]): number | null {
  return studyStopsIncludingAt(studyDocs);
}

/** [siteId, regionId, organisationId, hospitalId, opensAt, closesAt, paused, lat, lon] */
export type SiteTuple = [
  number,
  string | null,
  string | null,
  string | null,
  number | null,
  number | null,
  0 | 1,
  number | null,
  number | null,
];

export function toMeiliDocuments(docs: SearchDocument[]): MeiliStudyDocument[] {
  const out: MeiliStudyDocument[] = [];
  for (const study of groupByStudy(docs).values()) {
    const closing = studyClosesAt(study);
    const reps = representativeFieldsOf(study);
    const organisationNames = [...new Set(study.map((d) => d.organisationName).filter((x): x is string => !!x))];
    const hospitalNames = [...new Set(study.map((d) => d.hospitalName).filter((x): x is string => !!x))];
    const sites = study
      .filter((d) => d.siteId != null)
      .map((d): SiteTuple => [
        d.siteId!,
        d.regionId,
        d.organisationId,
        d.hospitalId,
        d.opensAt,
        d.closesAt,
        d.paused ? 1 : 0,
        d.lat,
        d.lon,
      ]);
    study.forEach((d, i) => {
      out.push(Object.assign(toMeiliDocument(d, closing, organisationNames, hospitalNames), { sites }, reps[i]));
    });
  }
  return out;
}

/**
 * The `hospitalPlace` key of a site: where it is, for the distance rings. A site with coordinates
 * but no hospital of its own (placed at its organisation's main hospital, or a place the source
 * gave) is keyed "-|lat|lon", so it is sorted by distance as in the embedded engine.
 */
export function hospitalPlace(d: Pick<SearchDocument, "hospitalId" | "lat" | "lon">): string | null {
  if (d.lat == null || d.lon == null || !Number.isFinite(d.lat) || !Number.isFinite(d.lon)) return null;
  return `${d.hospitalId ?? "-"}|${d.lat}|${d.lon}`;
}

/** One document without the fields made from all of its study's documents (toMeiliDocuments adds them). */
function toMeiliDocument(
  d: SearchDocument,
  studyClosesAt: number | null,
  organisationNames: string[],
  hospitalNames: string[],
): Omit<MeiliStudyDocument, "sites"> {
  if (!DOC_ID_RE.test(d.id))
    throw new Error(`Search document id ${JSON.stringify(d.id)} is not a valid Meilisearch id ([a-zA-Z0-9_-])`);
  const chapters = [...new Set(d.icd10.map(icd10Chapter).filter((c): c is string => c != null))];
  return {
    id: d.id,
    studyId: d.studyId,
    siteId: d.siteId,
    title: d.title,
    shortTitle: d.shortTitle,
    titleN: normaliseNorwegian(d.title),
    shortTitleN: n(d.shortTitle),
    titleEnN: n(d.titleEn),
    summaryN: n(d.summary),
    conditionsN: nAll(d.conditions),
    icd10: d.icd10,
    icd10Search: icd10SearchTokens(d.icd10),
    icd10NamesN: nAll(d.icd10Names),
    icd10Prefixes: icd10Prefixes(d.icd10),
    icd10Chapters: chapters,
    interventionsN: nAll(d.interventions),
    compoundPartsN: compoundParts(
      [d.title, d.shortTitle ?? "", ...d.conditions, ...d.icd10Names, ...d.interventions].join(" "),
    ),
    categories: d.categories,
    categoryNamesN: nAll(d.categoryNames),
    studyType: d.studyType,
    phase: d.phase,
    sex: d.sex,
    minAgeYears: d.minAgeYears,
    maxAgeYears: d.maxAgeYears,
    healthyVolunteers: d.healthyVolunteers,
    leadOrganisationId: d.leadOrganisationId,
    leadOrganisationNameN: normaliseNorwegian(d.leadOrganisationName),
    organisationId: d.organisationId,
    organisationNamesN: nAll(organisationNames),
    regionId: d.regionId,
    hospitalId: d.hospitalId,
    hospitalNamesN: nAll(hospitalNames),
    hospitalPlace: hospitalPlace(d),
    opensAt: d.opensAt,
    closesAt: d.closesAt,
    studyClosesAt,
    studyConfirmedUntil: d.studyConfirmedUntil,
    paused: d.paused,
    lat: d.lat,
    lon: d.lon,
    updatedAt: d.updatedAt,
    isDemo: d.isDemo,
  };
}

// ---------------------------------------------------------------------------------------------
// Filter building. Every value that reaches a filter string is validated and quoted.

/** A Meilisearch filter string literal. */
export function quote(value: string): string {
  return `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

function num(value: number, what: string): string {
  if (!Number.isFinite(value)) throw new RangeError(`Invalid ${what}: ${value}`);
  return String(value);
}

function inList(attribute: string, values: string[]): string {
  return `${attribute} IN [${values.map(quote).join(", ")}]`;
}

/** One condition of the domain's status rule as a Meilisearch filter at instant `t`. */
function conditionFilter(c: WindowCondition, t: string): string {
  switch (c.kind) {
    case "hasSite":
      return "siteId IS NOT NULL";
    case "paused":
      return `paused = ${c.value}`;
    case "reached":
      // A null field matches no comparison in Meilisearch, as "reached" wants.
      return `${c.field} <= ${t}`;
    case "ahead":
      return `(${c.field} IS NULL OR ${c.field} > ${t})`;
  }
}

/**
 * The status of a document as a filter, for an instant (epoch ms): generated from the domain's one
 * rule (WINDOW_STATUS_RULE in app/domain/window-status.ts), the same rule as documentStatus().
 */
export function statusFilter(status: StatusFilter, now: number): string {
  const t = num(now, "now");
  return `(${WINDOW_STATUS_RULE[status].map((c) => conditionFilter(c, t)).join(" AND ")})`;
}

const STATUSES: StatusFilter[] = ["open", "planned", "closed"];

/** Filters on where a site is: they decide which of a study's documents match. */
function siteFilters(q: SearchQuery): string[] {
  const f: string[] = [];
  if (q.regions?.length) f.push(inList("regionId", validIds(q.regions, "region")));
  if (q.organisations?.length) f.push(inList("organisationId", validIds(q.organisations, "organisation")));
  if (q.hospitals?.length) f.push(inList("hospitalId", validIds(q.hospitals, "hospital")));
  return f;
}

/** Filters on the study itself: the same on every document of a study. */
function studyFilters(q: SearchQuery): string[] {
  const f: string[] = [];
  if (q.categories?.length) f.push(inList("categories", validIds(q.categories, "category")));
  if (q.icd10?.length) f.push(inList("icd10Prefixes", q.icd10.map(validIcd10Prefix)));
  if (q.studyTypes?.length) f.push(inList("studyType", validIds(q.studyTypes, "study type")));
  if (q.phases?.length) f.push(inList("phase", validIds(q.phases, "phase")));
  if (q.age != null) {
    const a = num(q.age, "age");
    f.push(`(minAgeYears IS NULL OR minAgeYears <= ${a})`, `(maxAgeYears IS NULL OR maxAgeYears >= ${a})`);
  }
  if (q.sex != null) {
    if (q.sex !== "female" && q.sex !== "male") throw new RangeError(`Invalid sex ${JSON.stringify(q.sex)}`);
    f.push(inList("sex", ["all", q.sex]));
  }
  if (q.healthyVolunteers != null) f.push(`healthyVolunteers = ${q.healthyVolunteers ? "true" : "false"}`);
  return f;
}

/**
 * Which representatives count a query per study (meilisearch-representatives.ts): those of the
 * whole study, or of its sites in the one asked region or organisation. Null when the site
 * filters allow no such count (several regions or organisations, or a hospital): then
 * Meilisearch's distinct count is used.
 */
export function countGrouping(q: Pick<SearchQuery, "regions" | "organisations" | "hospitals">): Grouping | null {
  if (q.hospitals?.length) return null;
  const regions = new Set(q.regions ?? []).size;
  const organisations = new Set(q.organisations ?? []).size;
  if (regions > 1 || organisations > 1) return null;
  // An organisation lies in one region, so with both the organisation's sites decide.
  if (organisations === 1) return "organisation";
  return regions === 1 ? "region" : "study";
}

/** The grouping that counts a site-level facet per study under a query's grouping. */
function facetGrouping(facet: "regionId" | "organisationId", query: Grouping): Grouping {
  if (facet === "organisationId" || query === "organisation") return "organisation";
  return "region";
}

function statusClause(statuses: StatusFilter[] | undefined, now: number): string | null {
  if (!statuses || statuses.length === 0) return null;
  for (const s of statuses) if (!STATUSES.includes(s)) throw new RangeError(`Invalid status ${JSON.stringify(s)}`);
  const unique = [...new Set(statuses)];
  return unique.length === 1
    ? statusFilter(unique[0]!, now)
    : `(${unique.map((s) => statusFilter(s, now)).join(" OR ")})`;
}

const and = (clauses: (string | null | undefined)[]): string | undefined => {
  const c = clauses.filter((x): x is string => !!x);
  return c.length ? c.join(" AND ") : undefined;
};

// ---------------------------------------------------------------------------------------------
// Highlighting: built here from the original title, HTML-escaped, using the positions Meilisearch
// reports in the normalised title (so typo, prefix and synonym matches are marked too).

export function highlightTitle(
  title: string,
  normalisedTitle: string,
  positions: { start: number; length: number }[] | undefined,
  queryWords: string[],
): string | null {
  const matched = new Set<string>();
  // titleN is ASCII, so Meilisearch's byte offsets are character offsets.
  for (const p of positions ?? []) {
    let s = p.start;
    let e = p.start + p.length;
    while (s > 0 && normalisedTitle[s - 1] !== " ") s--;
    while (e < normalisedTitle.length && normalisedTitle[e] !== " ") e++;
    matched.add(normalisedTitle.slice(s, e));
  }
  const isMatch = (word: string): boolean => {
    const parts = normaliseNorwegian(word).split(" ").filter(Boolean);
    return parts.some((p) => matched.has(p) || queryWords.some((q) => q.length >= 2 && p.startsWith(q)));
  };
  return markWords(title, isMatch);
}

// ---------------------------------------------------------------------------------------------

/** Facets that are the same on every document of a study: Meilisearch's distinct counts are right. */
const STUDY_LEVEL_FACETS: Partial<Record<Facet, string>> = {
  categories: "categories",
  studyType: "studyType",
  phase: "phase",
  icd10Chapter: "icd10Chapters",
};
/** Facets that vary per site: counted per value with a distinct query each (see facetCounts). */
const SITE_LEVEL_FACETS: Partial<Record<Facet, string>> = {
  regionId: "regionId",
  organisationId: "organisationId",
};

/** The Meilisearch attributes of the asked facets that are the same on all of a study's documents. */
const studyFacetAttributes = (wanted: Set<Facet>): string[] | undefined => {
  const attrs = [...wanted].map((f) => STUDY_LEVEL_FACETS[f]).filter((x): x is string => !!x);
  return attrs.length ? attrs : undefined;
};

/** The study-level facet counts of an answer whose matching documents are one per study. */
function studyFacetCounts(
  wanted: Set<Facet>,
  distribution: Record<string, Record<string, number>> | undefined,
): SearchResult["facets"] {
  const facets: SearchResult["facets"] = {};
  for (const f of wanted) {
    const attr = STUDY_LEVEL_FACETS[f];
    if (attr) facets[f] = { ...(distribution?.[attr] ?? {}) };
  }
  return facets;
}

const HIT_ATTRIBUTES = ["studyId", "siteId", "title", "shortTitle", "titleN", "sites"] as const;
type RetrievedHit = Pick<MeiliStudyDocument, (typeof HIT_ATTRIBUTES)[number]> & {
  _formatted?: { titleN?: string };
};

/** Marks around the words Meilisearch matched in `_formatted.titleN` (control characters: a normalised title is [a-z0-9 ] only). */
const MARK_START = "\u0002";
const MARK_END = "\u0003";

/**
 * What a text query asks Meilisearch to return: the hit fields, and the title with its matched
 * words marked. Only the title is highlighted: `showMatchesPosition` reports every field's matches
 * (a summary has dozens) and cost 2–4 ms more per query at 100,000 studies (bench:search).
 */
function retrieval(q: string) {
  return q
    ? {
        attributesToRetrieve: [...HIT_ATTRIBUTES],
        attributesToHighlight: ["titleN"],
        highlightPreTag: MARK_START,
        highlightPostTag: MARK_END,
        ...ALL_WORDS,
      }
    : { attributesToRetrieve: [...HIT_ATTRIBUTES], ...ALL_WORDS };
}

/**
 * Every query word must match, as in the embedded engine (issue 19). Meilisearch's default
 * ("last") drops words from the end until something matches: "kreft i lungene" became "kreft"
 * and listed breast and ovarian cancer studies. Sent with every search that has a text query.
 */
const ALL_WORDS = { matchingStrategy: "all" } as const;
/** Where a match is a good one (ADR 0024): title, conditions and diagnosis codes and names. */
const GOOD_MATCH_ATTRIBUTES = [
  "titleN",
  "shortTitleN",
  "titleEnN",
  "conditionsN",
  "icd10Search",
  "icd10NamesN",
  "categoryNamesN",
] as const;
/** Good matches read for the blended order; beyond them a study counts as a weak match. */
const MAX_GOOD_MATCHES = 1_000;

const STOP = new Set<string>(STOP_WORDS);
/** A normalised query without its stop words (unless it is nothing but stop words). */
export function withoutStopWords(q: string): string {
  const words = q.split(" ").filter(Boolean);
  const kept = words.filter((w) => !STOP.has(w));
  return (kept.length ? kept : words).join(" ");
}

/** The matched spans of a `_formatted` string, as offsets in the unmarked string. */
export function markedSpans(formatted: string | undefined): { start: number; length: number }[] {
  const out: { start: number; length: number }[] = [];
  if (!formatted) return out;
  let plain = 0;
  let start = -1;
  for (const ch of formatted) {
    if (ch === MARK_START) start = plain;
    else if (ch === MARK_END) {
      if (start >= 0 && plain > start) out.push({ start, length: plain - start });
      start = -1;
    } else plain += ch.length;
  }
  return out;
}

/**
 * The site a hit shows, by the embedded engine's rule: among the study's sites that match the
 * query's status and site filters, the soonest closing (sort "closing"), the nearest (a point is
 * given), else the lowest id; ties by the lower site id. Null for a study without sites. Made
 * once per search (the query's sets), then asked for each hit.
 */
export function siteChooser(
  query: SearchQuery,
  near: { lat: number; lon: number } | null,
): (sites: SiteTuple[]) => { siteId: number; distanceKm: number | null } | null {
  const now = query.now.getTime();
  const statuses = query.status?.length ? new Set<string>(query.status) : null;
  const regions = query.regions?.length ? new Set(query.regions) : null;
  const organisations = query.organisations?.length ? new Set(query.organisations) : null;
  const hospitals = query.hospitals?.length ? new Set(query.hospitals) : null;
  const by = query.sort === "closing" ? "closing" : near ? "distance" : "id";
  return (sites) => {
    let best: { siteId: number; key: number; distanceKm: number | null } | null = null;
    for (const [siteId, regionId, organisationId, hospitalId, opensAt, closesAt, paused, lat, lon] of sites) {
      if (statuses && !statuses.has(documentStatus({ siteId, opensAt, closesAt, paused: paused === 1 }, now))) continue;
      if (regions && !(regionId != null && regions.has(regionId))) continue;
      if (organisations && !(organisationId != null && organisations.has(organisationId))) continue;
      if (hospitals && !(hospitalId != null && hospitals.has(hospitalId))) continue;
      const distanceKm = near && lat != null && lon != null ? greatCircleKm(near, { lat, lon }) : null;
      const key = by === "closing" ? (closesAt ?? Infinity) : by === "distance" ? (distanceKm ?? Infinity) : 0;
      if (!best || key < best.key || (key === best.key && siteId < best.siteId)) best = { siteId, key, distanceKm };
    }
    return best && { siteId: best.siteId, distanceKm: best.distanceKm };
  };
}

/** searchDistance reads small rings read whole in one query up to this many documents. */
const MAX_COMBINED_RING_DOCUMENTS = 500;

/** How long searchDistance trusts its list of places before reloading it in the background. */
const PLACES_TTL_MS = 30_000;
/**
 * searchDistance's guess for whether the nearest place fills a page: a patient's query matches
 * about this share of a place's documents (1–3 % in bench:search). Only speed depends on it.
 */
const GUESS_MATCH_SHARE = 0.01;

/** Hospitals at the same point, at one distance from the person. */
interface Ring {
  places: string[];
  distanceKm: number;
  /** Matching documents at these places (an upper bound on the studies there). */
  documents: number;
}

/** The `hospitalPlace` facet values as rings, nearest first (ties by place, for a fixed order). */
export function distanceRings(places: Record<string, number>, near: { lat: number; lon: number }): Ring[] {
  const byPoint = new Map<string, Ring>();
  for (const [place, documents] of Object.entries(places)) {
    // The last two parts: a hospital id with a "|" in it stays in the first.
    const parts = place.split("|");
    const lat = parts[parts.length - 2];
    const lon = parts[parts.length - 1];
    const point = { lat: Number(lat), lon: Number(lon) };
    if (!Number.isFinite(point.lat) || !Number.isFinite(point.lon) || documents <= 0) continue;
    const key = `${lat}|${lon}`;
    const ring = byPoint.get(key);
    if (ring) {
      ring.places.push(place);
      ring.documents += documents;
    } else byPoint.set(key, { places: [place], distanceKm: greatCircleKm(near, point), documents });
  }
  return [...byPoint.values()].sort((a, b) => a.distanceKm - b.distanceKm || (a.places[0]! < b.places[0]! ? -1 : 1));
}

export interface MeilisearchEngineOptions {
  host: string;
  apiKey?: string;
  indexUid?: string;
  /**
   * How totals and facets are counted per study: from representative documents (default; a
   * document count) or by Meilisearch's distinct count for every query (slow on broad queries;
   * the reference the representatives are tested against).
   */
  counting?: "representatives" | "distinct";
}

export class MeilisearchEngine implements SearchEngine {
  readonly name = "meilisearch" as const;
  readonly client: Meilisearch;
  readonly indexUid: string;
  private readonly counting: "representatives" | "distinct";
  /** Every `hospitalPlace` in the index (document counts), for searchDistance's guess. */
  private knownPlaces: Record<string, number> | null = null;
  private knownPlacesAt = 0;
  private refreshingPlaces: Promise<void> | null = null;

  constructor({ host, apiKey, indexUid = "studies", counting = "representatives" }: MeilisearchEngineOptions) {
    if (!/^[a-zA-Z0-9_-]+$/.test(indexUid))
      throw new Error(`Invalid Meilisearch index uid ${JSON.stringify(indexUid)}`);
    this.client = new Meilisearch({
      host,
      apiKey,
      timeout: 30_000,
      defaultWaitOptions: TASK_WAIT,
      requestInit: { headers: { "Accept-Encoding": "identity" } },
    });
    this.indexUid = indexUid;
    this.counting = counting;
  }

  private async wait(taskUid: number, what: string) {
    return assertSucceeded(await waitForTask(this.client, taskUid), what);
  }

  private async indexExists(uid: string): Promise<boolean> {
    try {
      await this.client.getRawIndex(uid);
      return true;
    } catch (e) {
      if ((e as { cause?: { code?: string } }).cause?.code === "index_not_found") return false;
      throw e;
    }
  }

  private async ensureIndex(uid: string): Promise<void> {
    if (await this.indexExists(uid)) return;
    const task = await waitForTask(
      this.client,
      (await this.client.createIndex(uid, { primaryKey: PRIMARY_KEY })).taskUid,
    );
    // Someone else may have created it meanwhile: that is fine.
    if (task.status === "failed" && task.error?.code === "index_already_exists") return;
    assertSucceeded(task, `creation of index ${uid}`);
  }

  async setup(): Promise<void> {
    await this.ensureIndex(this.indexUid);
    await applySettings(this.client, this.indexUid);
  }

  /**
   * A multi-search split in two requests that run at once: Meilisearch answers one multi-search's
   * queries one after another, so a researcher's counts had become the longest path of the search
   * (researcher-facets p95 29 → 24 ms at 100,000 when split, bench:search --by-shape).
   */
  private async multiSearchInParallel(queries: MultiSearchQuery[]): Promise<{
    results: { estimatedTotalHits?: number; facetDistribution?: Record<string, Record<string, number>> }[];
  }> {
    const half = Math.ceil(queries.length / 2);
    const parts = [queries.slice(0, half), queries.slice(half)].filter((x) => x.length);
    const answers = await Promise.all(parts.map((part) => this.client.multiSearch({ queries: part })));
    return {
      results: answers.flatMap(
        (a) =>
          a.results as { estimatedTotalHits?: number; facetDistribution?: Record<string, Record<string, number>> }[],
      ),
    };
  }

  /** Reloads the list of places (once at a time; a failure leaves the guess off). */
  private refreshPlaces(): Promise<void> {
    this.refreshingPlaces ??= this.client
      .index(this.indexUid)
      .search("", { limit: 0, facets: ["hospitalPlace"] })
      .then((r) => {
        this.knownPlaces = r.facetDistribution?.hospitalPlace ?? {};
        this.knownPlacesAt = Date.now();
      })
      .catch(() => {
        this.knownPlaces = null;
      })
      .finally(() => {
        this.refreshingPlaces = null;
      });
    return this.refreshingPlaces;
  }

  async indexStudies(studyIds: number[], documents: SearchDocument[]): Promise<void> {
    const all = [...new Set([...studyIds, ...documents.map((d) => d.studyId)])];
    for (const id of all) if (!Number.isSafeInteger(id)) throw new RangeError(`Invalid study id ${id}`);
    if (all.length === 0) return;
    const docs = toMeiliDocuments(documents);
    const index = this.client.index<MeiliStudyDocument>(this.indexUid);
    // Documents with the same id are replaced by the addition; only documents of sites that are
    // gone are deleted, by id. The common change (new dates, a new title) is then one task, and the
    // study never disappears from searches in between.
    const keep = new Set(docs.map((d) => d.id));
    const stale: string[] = [];
    // 100 studies per lookup keeps each answer far below the limit (a study has a few sites).
    for (let i = 0; i < all.length; i += 100) {
      const chunk = all.slice(i, i + 100);
      const existing = await index.getDocuments<{ id: string }>({
        filter: `studyId IN [${chunk.join(", ")}]`,
        fields: ["id"],
        limit: 10_000,
      });
      for (const d of existing.results) if (!keep.has(d.id)) stale.push(d.id);
    }
    const addition = docs.length ? await index.addDocuments(docs, { primaryKey: PRIMARY_KEY }) : null;
    const deletion = stale.length ? await index.deleteDocuments(stale) : null;
    if (addition) await this.wait(addition.taskUid, `indexing of studies ${all.join(", ")}`);
    if (deletion) await this.wait(deletion.taskUid, `removal of gone sites of studies ${all.join(", ")}`);
  }

  async removeStudies(studyIds: number[]): Promise<void> {
    if (studyIds.length === 0) return;
    for (const id of studyIds) if (!Number.isSafeInteger(id)) throw new RangeError(`Invalid study id ${id}`);
    const task = await this.client
      .index(this.indexUid)
      .deleteDocuments({ filter: `studyId IN [${studyIds.join(", ")}]` });
    await this.wait(task.taskUid, `removal of studies ${studyIds.join(", ")}`);
  }

  async rebuild(batches: AsyncIterable<SearchDocument[]> | Iterable<SearchDocument[]>): Promise<void> {
    const tmp = `${this.indexUid}_rebuild_${Date.now()}`;
    await this.ensureIndex(tmp);
    try {
      await applySettings(this.client, tmp);
      const index = this.client.index<MeiliStudyDocument>(tmp);
      const pending: number[] = [];
      for await (const batch of batches) {
        if (batch.length === 0) continue;
        pending.push((await index.addDocuments(toMeiliDocuments(batch), { primaryKey: PRIMARY_KEY })).taskUid);
        // Keep the queue short and surface failures early on big rebuilds.
        if (pending.length >= 8) await this.wait(pending.shift()!, `rebuild batch into ${tmp}`);
      }
      for (const uid of pending) await this.wait(uid, `rebuild batch into ${tmp}`);
      // The live index must exist to be swapped with (no rename: searches keep working throughout).
      await this.ensureIndex(this.indexUid);
      const swap = await this.client.swapIndexes([{ indexes: [this.indexUid, tmp], rename: false }]);
      await this.wait(swap.taskUid, `swap of ${this.indexUid} and ${tmp}`);
    } catch (e) {
      await this.client.deleteIndex(tmp).catch(() => undefined);
      throw e;
    }
    // After the swap `tmp` holds the old documents.
    await this.wait((await this.client.deleteIndex(tmp)).taskUid, `deletion of old index ${tmp}`);
  }

  async health(): Promise<SearchHealth> {
    try {
      const stats = await this.client.index(this.indexUid).getStats();
      return { ok: true, engine: this.name, documents: stats.numberOfDocuments };
    } catch (e) {
      return { ok: false, engine: this.name, documents: null, error: e instanceof Error ? e.message : String(e) };
    }
  }

  async search(query: SearchQuery): Promise<SearchResult> {
    const now = query.now.getTime();
    const page = Math.max(1, Math.floor(query.page ?? 1));
    const perPage = Math.min(100, Math.max(1, Math.floor(query.perPage ?? 20)));
    const offset = (page - 1) * perPage;
    // ICD-10 codes are searched as text: every document carries every ≥3-character prefix of its
    // codes as tokens (icd10Search: "c50", "c509"), and the synonyms tie each group's codes to its
    // terms. So "C50" finds C50/C509-coded studies *and* studies that only say "brystkreft" in the
    // text, exactly like "brystkreft" finds C50-coded studies that never use the word. (A pure
    // icd10Prefixes filter for a code query would miss the latter: Meilisearch cannot OR a filter
    // with the text query.)
    // Stop words are left out here, not only by Meilisearch: with one in the query ("kreft i
    // lungene") Meilisearch never applied a multi-word synonym (measured with 1.21.0, issue 19).
    const q = withoutStopWords(safeQuery(queryText(query.q)));
    const study = studyFilters(query);
    const site = siteFilters(query);
    const status = statusClause(query.status, now);
    /** Documents that match: a study matches when any of its documents does. */
    const matching = and([...study, ...site, status]);
    const near = query.near && Number.isFinite(query.near.lat) && Number.isFinite(query.near.lon) ? query.near : null;
    const byDistance = query.sort === "distance" && near != null;
    // Words and a place: good matches nearest first, then the rest nearest first (ADR 0024).
    const blend = q !== "" && near != null && (query.sort == null || query.sort === "relevance");
    // The study that stops including soonest first (a multi-site study whose one site closes today
    // but another runs for months is not "closing").
    // By relevance: among equally relevant studies (Meilisearch's "sort" rule comes after words,
    // typo, proximity and attribute), the one confirmed more recently first, so a study whose
    // sites are all past the soft confirmation limit ranks below the others (ADR 0020).
    const sort =
      query.sort === "closing"
        ? ["studyClosesAt:asc"]
        : query.sort === "newest"
          ? ["updatedAt:desc"]
          : byDistance
            ? undefined
            : ["studyConfirmedUntil:desc"];

    const wanted = new Set(query.facets ?? []);
    const statusSet = statusSetFor(query.status);
    const grouping = statusSet && this.counting === "representatives" ? countGrouping(query) : null;
    const limit = byDistance || blend ? 0 : perPage;
    const counted =
      statusSet && grouping
        ? this.representativeCounted({
            q,
            study,
            site,
            now,
            statusSet,
            grouping,
            sort,
            offset,
            limit,
            wanted,
            statuses: query.status,
          })
        : this.distinctCounted({
            q,
            matching,
            base: [...site, ...study],
            status,
            sort,
            page,
            hitsPerPage: limit,
            wanted,
            now,
          });

    const [{ total, facets, hits: found }, distance] = await Promise.all([
      counted,
      byDistance
        ? this.searchDistance(q, matching, offset, perPage, near)
        : blend
          ? this.searchBlended(q, matching, offset, perPage, near!)
          : null,
    ]);

    const queryWords = q ? q.split(" ") : [];
    const shownSite = siteChooser(query, near);
    const hits = (distance ?? found).map((h) => {
      const shown = shownSite(h.sites ?? []);
      return this.toHit(h, shown?.siteId ?? null, shown?.distanceKm ?? null, q, queryWords);
    });
    return { hits, total, page, perPage, facets, engine: this.name };
  }

  private toHit(
    h: RetrievedHit,
    siteId: number | null,
    distanceKm: number | null,
    q: string,
    queryWords: string[],
  ): SearchHit {
    return {
      studyId: h.studyId,
      title: h.title,
      shortTitle: h.shortTitle ?? null,
      siteId,
      distanceKm: distanceKm == null ? null : Math.round(distanceKm * 100) / 100,
      highlightedTitle: q ? highlightTitle(h.title, h.titleN, markedSpans(h._formatted?.titleN), queryWords) : null,
    };
  }

  /**
   * Totals, facets and the page from representative documents (meilisearch-representatives.ts):
   * only each study's representative document matches, so plain document counts in
   * limit/offset mode are study counts, and Meilisearch does no distinct count. The total, the
   * page and the study-level facets come from one query; region/organisation facets (their own
   * grouping) and the status counts (one set each) from the multi-searches beside it.
   */
  private async representativeCounted(a: {
    q: string;
    study: string[];
    site: string[];
    now: number;
    statusSet: StatusSet;
    grouping: Grouping;
    sort: string[] | undefined;
    offset: number;
    limit: number;
    wanted: Set<Facet>;
    statuses: StatusFilter[] | undefined;
  }): Promise<{ total: number; facets: SearchResult["facets"]; hits: RetrievedHit[] }> {
    const { q, wanted } = a;
    const representing = (g: Grouping, set: StatusSet = a.statusSet) =>
      and([...a.study, ...a.site, representativeClause(g, set, a.now)]);
    const facetQueries: { facet: Facet; value?: StatusFilter; query: MultiSearchQuery }[] = [];
    for (const f of wanted) {
      if (f !== "regionId" && f !== "organisationId") continue;
      facetQueries.push({
        facet: f,
        query: {
          indexUid: this.indexUid,
          q,
          filter: representing(facetGrouping(f, a.grouping)),
          limit: 0,
          facets: [f],
          ...ALL_WORDS,
        },
      });
    }
    if (wanted.has("status")) {
      for (const s of STATUSES) {
        // A document has one status: outside the query's statuses nothing is counted.
        if (a.statuses?.length && !a.statuses.includes(s)) continue;
        facetQueries.push({
          facet: "status",
          value: s,
          query: {
            indexUid: this.indexUid,
            q,
            filter: representing(a.grouping, statusSetFor([s])!),
            limit: 0,
            ...ALL_WORDS,
          },
        });
      }
    }
    const [main, extra] = await Promise.all([
      this.client.index<RetrievedHit>(this.indexUid).search<RetrievedHit>(q, {
        filter: representing(a.grouping),
        sort: a.sort,
        offset: a.offset,
        limit: a.limit,
        facets: studyFacetAttributes(wanted),
        ...retrieval(q),
      }),
      facetQueries.length ? this.multiSearchInParallel(facetQueries.map((x) => x.query)) : null,
    ]);
    const facets = studyFacetCounts(wanted, main.facetDistribution);
    if (wanted.has("status")) facets.status = {};
    extra?.results.forEach((r, i) => {
      const { facet, value } = facetQueries[i]!;
      if (value == null) facets[facet] = { ...(r.facetDistribution?.[facet] ?? {}) };
      else if ((r.estimatedTotalHits ?? 0) > 0) facets.status![value] = r.estimatedTotalHits!;
    });
    return { total: main.estimatedTotalHits ?? 0, facets, hits: main.hits };
  }

  /**
   * Words and a place (ADR 0024): the studies whose title, conditions or diagnosis codes hold the
   * words (GOOD_MATCH_ATTRIBUTES) nearest first, then every other match nearest first — the
   * embedded engine's order (search/filter-table.ts, WEAK_MATCH_BAND). The good ones are found by
   * one query restricted to those attributes; both parts are then read by distance.
   */
  private async searchBlended(
    q: string,
    matching: string | undefined,
    offset: number,
    perPage: number,
    near: { lat: number; lon: number },
  ): Promise<RetrievedHit[]> {
    const need = offset + perPage;
    const good = await this.client.index<{ studyId: number }>(this.indexUid).search(q, {
      filter: matching,
      attributesToSearchOn: [...GOOD_MATCH_ATTRIBUTES],
      attributesToRetrieve: ["studyId"],
      limit: MAX_GOOD_MATCHES,
      ...ALL_WORDS,
    });
    const ids = [...new Set(good.hits.map((h) => h.studyId))];
    const list = ids.join(", ");
    const [first, rest] = await Promise.all([
      ids.length && offset < ids.length
        ? this.searchDistance(
            q,
            and([matching, `studyId IN [${list}]`]),
            offset,
            Math.min(need, ids.length) - offset,
            near,
          )
        : [],
      need > ids.length
        ? this.searchDistance(
            q,
            and([matching, ids.length ? `studyId NOT IN [${list}]` : null]),
            Math.max(0, offset - ids.length),
            need - Math.max(offset, ids.length),
            near,
          )
        : [],
    ]);
    return [...first, ...rest];
  }

  /**
   * A page sorted by the distance of each study's nearest matching site, without `_geo` (whose
   * R-tree Meilisearch rewrites for every change). Every site with coordinates is at a hospital:
   * the hospitals with matching documents (one facet query) are ordered by distance in the app,
   * then read ring by ring (one multi-search per batch of rings, each ring's studies in
   * relevance order) until the page is full; a study counts at its nearest ring. Sites without
   * coordinates come last, as in the embedded engine.
   */
  private async searchDistance(
    q: string,
    matching: string | undefined,
    offset: number,
    perPage: number,
    near: { lat: number; lon: number },
  ): Promise<RetrievedHit[]> {
    const need = offset + perPage;
    const index = this.client.index<RetrievedHit>(this.indexUid);
    const retrieve = retrieval(q);
    const ringQuery = (ring: Ring, limit: number) => ({
      q,
      filter: and([matching, inList("hospitalPlace", ring.places)]),
      limit,
      ...retrieve,
    });
    /** The page's studies in distance order (the site each shows is picked later, by siteChooser). */
    const seen = new Map<number, RetrievedHit>();
    // First a guess: the nearest place of the whole index (from a cached list of places). One
    // query reads it together with any place the list does not know (added since), with a facet
    // that shows which places matched. If only the guessed one did, it is the query's nearest
    // ring, exactly; and when it holds a whole page, that query (beside the count) is the search.
    // Each round trip costs a few milliseconds on a busy machine, so the guess alone is tried
    // where it is likely to fill the page (a large hospital); near a small one, the list of
    // matching places is asked for at once too.
    const known = this.knownPlaces;
    if (!known || Date.now() - this.knownPlacesAt > PLACES_TTL_MS) void this.refreshPlaces();
    const guess = known ? (distanceRings(known, near)[0] ?? null) : null;
    const placesQuery = () => index.search(q, { filter: matching, limit: 0, facets: ["hospitalPlace"], ...ALL_WORDS });
    const placed = guess && guess.documents * GUESS_MATCH_SHARE < need ? placesQuery() : null;
    // Not awaited when the guess fills the page: its failure must not go unhandled then.
    placed?.catch(() => undefined);
    let guessDone = false;
    if (guess) {
      const others = Object.keys(known!).filter((p) => !guess.places.includes(p));
      const r = await index.search<RetrievedHit>(q, {
        filter: and([
          matching,
          "hospitalPlace IS NOT NULL",
          others.length ? `hospitalPlace NOT IN [${others.map(quote).join(", ")}]` : null,
        ]),
        limit: need,
        facets: ["hospitalPlace"],
        ...retrieve,
      });
      if (Object.keys(r.facetDistribution?.hospitalPlace ?? {}).every((p) => guess.places.includes(p))) {
        for (const doc of r.hits) if (!seen.has(doc.studyId)) seen.set(doc.studyId, doc);
        if (seen.size >= need) return [...seen.values()].slice(offset, need);
        // Fewer than a page there: all of that ring is read; the other rings follow.
        guessDone = true;
      }
    }
    const rings = distanceRings((await (placed ?? placesQuery())).facetDistribution?.hospitalPlace ?? {}, near).filter(
      (ring) =>
        !(guessDone && ring.distanceKm === guess!.distanceKm && ring.places.every((p) => guess!.places.includes(p))),
    );
    let next = 0;
    while (seen.size < need && next < rings.length) {
      // A ring read with a limit below its size yields at least `need` new studies, because at
      // most `before` of them were already seen nearer: so one batch usually fills the page.
      const batch: { ring: Ring; limit: number }[] = [];
      let before = seen.size;
      while (next < rings.length && (batch.length === 0 || before < need)) {
        const ring = rings[next++]!;
        const limit = Math.min(ring.documents, need + before);
        batch.push({ ring, limit });
        before += limit;
      }
      // Rings read whole go into one query when they are small: all their documents (no
      // distinct), in relevance order, then sorted by ring here. Many small rings (a rare disease,
      // or a small index) then cost one query instead of one each.
      const whole = batch.filter((b) => b.limit >= b.ring.documents);
      const combined =
        whole.length > 1 && whole.reduce((n, b) => n + b.ring.documents, 0) <= MAX_COMBINED_RING_DOCUMENTS ? whole : [];
      const separate = batch.filter((b) => !combined.includes(b));
      const queries: MultiSearchQuery[] = separate.map(({ ring, limit }) => ({
        indexUid: this.indexUid,
        ...ringQuery(ring, limit),
      }));
      if (combined.length) {
        queries.push({
          indexUid: this.indexUid,
          q,
          filter: and([
            matching,
            inList(
              "hospitalPlace",
              combined.flatMap((b) => b.ring.places),
            ),
          ]),
          distinct: "id",
          limit: combined.reduce((n, b) => n + b.ring.documents, 0),
          ...retrieve,
          attributesToRetrieve: [...retrieve.attributesToRetrieve, "hospitalPlace"],
        });
      }
      const { results } = await this.client.multiSearch({ queries });
      const answers = new Map<Ring, RetrievedHit[]>();
      separate.forEach((b, i) => answers.set(b.ring, results[i]!.hits as RetrievedHit[]));
      if (combined.length) {
        const ringOf = new Map(combined.flatMap((b) => b.ring.places.map((p) => [p, b.ring] as const)));
        for (const b of combined) answers.set(b.ring, []);
        for (const doc of results[results.length - 1]!.hits as (RetrievedHit & { hospitalPlace?: string | null })[]) {
          const ring = doc.hospitalPlace != null ? ringOf.get(doc.hospitalPlace) : undefined;
          if (ring) answers.get(ring)!.push(doc);
        }
      }
      for (const { ring } of batch)
        for (const doc of answers.get(ring)!) if (!seen.has(doc.studyId)) seen.set(doc.studyId, doc);
    }
    if (seen.size < need) {
      const r = await index.search<RetrievedHit>(q, {
        filter: and([matching, "hospitalPlace IS NULL"]),
        limit: need + seen.size,
        ...retrieve,
      });
      for (const doc of r.hits) if (!seen.has(doc.studyId)) seen.set(doc.studyId, doc);
    }
    return [...seen.values()].slice(offset, need);
  }

  /**
   * Totals and facets by Meilisearch's own distinct count (page/hitsPerPage mode): for the query
   * shapes representatives cannot count (several regions or organisations, a hospital, planned +
   * closed). Exact, but it walks every matching document.
   */
  private async distinctCounted(a: {
    q: string;
    /** The query's filters as one clause, and without status as a list (for facetCounts). */
    matching: string | undefined;
    base: string[];
    status: string | null;
    sort: string[] | undefined;
    page: number;
    hitsPerPage: number;
    wanted: Set<Facet>;
    now: number;
  }): Promise<{ total: number; facets: SearchResult["facets"]; hits: RetrievedHit[] }> {
    const index = this.client.index<RetrievedHit>(this.indexUid);
    const [response, extraFacets] = await Promise.all([
      index.search<RetrievedHit, SearchParams & { page: number; hitsPerPage: number }>(a.q, {
        filter: a.matching,
        sort: a.sort,
        page: a.page,
        hitsPerPage: a.hitsPerPage,
        facets: studyFacetAttributes(a.wanted),
        ...retrieval(a.q),
      }),
      this.facetCounts(a.wanted, a.q, a.base, a.status, a.now),
    ]);
    return {
      total: response.totalHits,
      facets: { ...studyFacetCounts(a.wanted, response.facetDistribution), ...extraFacets },
      hits: response.hits,
    };
  }

  /**
   * Facets Meilisearch cannot count per distinct study: site-level ones (a study with sites in
   * two regions counts in both; Meilisearch 1.21 counts only the representative document's
   * region) and the status, which is computed from `now`. One multi-search: per facet the values
   * present in the matching documents (distinct "id" = per document), then per value a limit-0
   * query whose totalHits is the number of distinct studies.
   */
  private async facetCounts(
    wanted: Set<Facet>,
    q: string,
    base: string[],
    status: string | null,
    now: number,
  ): Promise<SearchResult["facets"]> {
    const siteFacets = [...wanted].filter((f) => SITE_LEVEL_FACETS[f]);
    const wantStatus = wanted.has("status");
    if (siteFacets.length === 0 && !wantStatus) return {};
    const filter = and([...base, status]);
    const out: SearchResult["facets"] = {};
    const countQuery = (extra: string): MultiSearchQuery => ({
      indexUid: this.indexUid,
      q,
      filter: and([filter, extra]),
      page: 1,
      hitsPerPage: 0,
      ...ALL_WORDS,
    });

    let values: Record<string, Record<string, number>> = {};
    if (siteFacets.length) {
      const r = await this.client.index(this.indexUid).search(q, {
        filter,
        distinct: "id",
        limit: 0,
        facets: siteFacets.map((f) => SITE_LEVEL_FACETS[f]!),
        ...ALL_WORDS,
      });
      values = r.facetDistribution ?? {};
    }
    const queries: MultiSearchQuery[] = [];
    const keys: [Facet, string][] = [];
    for (const f of siteFacets) {
      const attr = SITE_LEVEL_FACETS[f]!;
      out[f] = {};
      for (const v of Object.keys(values[attr] ?? {})) {
        queries.push(countQuery(`${attr} = ${quote(v)}`));
        keys.push([f, v]);
      }
    }
    if (wantStatus) {
      out.status = {};
      for (const s of STATUSES) {
        queries.push(countQuery(statusFilter(s, now)));
        keys.push(["status", s]);
      }
    }
    if (queries.length) {
      const { results } = await this.client.multiSearch({ queries });
      results.forEach((r, i) => {
        const [f, v] = keys[i]!;
        const total = (r as { totalHits?: number }).totalHits ?? 0;
        if (total > 0) out[f]![v] = total;
      });
    }
    return out;
  }
}
