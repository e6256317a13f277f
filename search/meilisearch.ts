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
import { distanceKm as greatCircleKm } from "../app/domain/geo-distance";
import { markWords } from "./highlight";
import { queryText, validIcd10Prefix, validIds } from "./query-terms";
import { compoundParts, normaliseNorwegian } from "./norwegian";
import { applySettings, assertSucceeded, icd10Chapter, icd10Prefixes, icd10SearchTokens, PRIMARY_KEY, TASK_WAIT, waitForTask } from "./meilisearch-settings";
import type { Facet, SearchDocument, SearchEngine, SearchHealth, SearchHit, SearchQuery, SearchResult, StatusFilter } from "./types";

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
  /** Known parts of compound words in the short fields (search/norwegian.ts compoundParts). */
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
  organisationNameN: string | null;
  regionId: string | null;
  hospitalId: string | null;
  hospitalNameN: string | null;
  opensAt: number | null;
  closesAt: number | null;
  /** The latest closesAt of the study's non-paused sites (null = open-ended): the "closing" sort key. */
  studyClosesAt: number | null;
  paused: boolean;
  lat: number | null;
  lon: number | null;
  updatedAt: number;
  isDemo: boolean;
  _geo?: { lat: number; lng: number };
}

const DOC_ID_RE = /^[a-zA-Z0-9_-]{1,511}$/;

const n = (s: string | null | undefined): string | null => (s == null ? null : normaliseNorwegian(s));
const nAll = (xs: string[]): string[] => xs.map((x) => normaliseNorwegian(x)).filter(Boolean);

/**
 * When the study stops including everywhere: the latest closesAt of its non-paused sites, null if
 * any of them is open-ended (or it has none). Computed per study, so a study's documents must be
 * indexed together (indexStudies gets them as a set; rebuild batches keep a study in one batch).
 */
export function studyClosesAt(docs: SearchDocument[]): Map<number, number | null> {
  const active = new Map<number, (number | null)[]>();
  for (const d of docs) {
    const list = active.get(d.studyId) ?? [];
    if (d.siteId != null && !d.paused) list.push(d.closesAt);
    active.set(d.studyId, list);
  }
  const out = new Map<number, number | null>();
  for (const [studyId, list] of active) {
    out.set(studyId, list.length === 0 || list.some((c) => c == null) ? null : Math.max(...(list as number[])));
  }
  return out;
}

export function toMeiliDocuments(docs: SearchDocument[]): MeiliStudyDocument[] {
  const closing = studyClosesAt(docs);
  return docs.map((d) => toMeiliDocument(d, closing.get(d.studyId) ?? null));
}

export function toMeiliDocument(d: SearchDocument, studyClosesAt: number | null = d.closesAt): MeiliStudyDocument {
  if (!DOC_ID_RE.test(d.id)) throw new Error(`Search document id ${JSON.stringify(d.id)} is not a valid Meilisearch id ([a-zA-Z0-9_-])`);
  const chapters = [...new Set(d.icd10.map(icd10Chapter).filter((c): c is string => c != null))];
  const doc: MeiliStudyDocument = {
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
    compoundPartsN: compoundParts([d.title, d.shortTitle ?? "", ...d.conditions, ...d.icd10Names, ...d.interventions].join(" ")),
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
    organisationNameN: n(d.organisationName),
    regionId: d.regionId,
    hospitalId: d.hospitalId,
    hospitalNameN: n(d.hospitalName),
    opensAt: d.opensAt,
    closesAt: d.closesAt,
    studyClosesAt,
    paused: d.paused,
    lat: d.lat,
    lon: d.lon,
    updatedAt: d.updatedAt,
    isDemo: d.isDemo,
  };
  if (d.lat != null && d.lon != null && Number.isFinite(d.lat) && Number.isFinite(d.lon)) doc._geo = { lat: d.lat, lng: d.lon };
  return doc;
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

/** The status of a document as a filter, for an instant (epoch ms). Same rule as documentStatus(). */
export function statusFilter(status: StatusFilter, now: number): string {
  const t = num(now, "now");
  switch (status) {
    case "open":
      return `(siteId IS NOT NULL AND paused = false AND opensAt <= ${t} AND (closesAt IS NULL OR closesAt > ${t}))`;
    case "planned":
      return `(siteId IS NOT NULL AND paused = false AND (opensAt IS NULL OR opensAt > ${t}) AND (closesAt IS NULL OR closesAt > ${t}))`;
    case "closed":
      return `(closesAt <= ${t})`;
  }
}

const STATUSES: StatusFilter[] = ["open", "planned", "closed"];


/** The filters of a query except status, as AND-ed clauses. */
export function baseFilters(q: SearchQuery): string[] {
  const f: string[] = [];
  if (q.regions?.length) f.push(inList("regionId", validIds(q.regions, "region")));
  if (q.organisations?.length) f.push(inList("organisationId", validIds(q.organisations, "organisation")));
  if (q.hospitals?.length) f.push(inList("hospitalId", validIds(q.hospitals, "hospital")));
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

function statusClause(statuses: StatusFilter[] | undefined, now: number): string | null {
  if (!statuses || statuses.length === 0) return null;
  for (const s of statuses) if (!STATUSES.includes(s)) throw new RangeError(`Invalid status ${JSON.stringify(s)}`);
  const unique = [...new Set(statuses)];
  return unique.length === 1 ? statusFilter(unique[0]!, now) : `(${unique.map((s) => statusFilter(s, now)).join(" OR ")})`;
}

const and = (clauses: (string | null | undefined)[]): string | undefined => {
  const c = clauses.filter((x): x is string => !!x);
  return c.length ? c.join(" AND ") : undefined;
};


// ---------------------------------------------------------------------------------------------
// Highlighting: built here from the original title, HTML-escaped, using the positions Meilisearch
// reports in the normalised title (so typo, prefix and synonym matches are marked too).


export function highlightTitle(title: string, normalisedTitle: string, positions: { start: number; length: number }[] | undefined, queryWords: string[]): string | null {
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

type RetrievedHit = Pick<MeiliStudyDocument, "studyId" | "siteId" | "title" | "shortTitle" | "titleN" | "lat" | "lon"> & {
  _geoDistance?: number | null;
  _matchesPosition?: Record<string, { start: number; length: number }[]>;
};

export interface MeilisearchEngineOptions {
  host: string;
  apiKey?: string;
  indexUid?: string;
}

export class MeilisearchEngine implements SearchEngine {
  readonly name = "meilisearch" as const;
  readonly client: Meilisearch;
  readonly indexUid: string;

  constructor({ host, apiKey, indexUid = "studies" }: MeilisearchEngineOptions) {
    if (!/^[a-zA-Z0-9_-]+$/.test(indexUid)) throw new Error(`Invalid Meilisearch index uid ${JSON.stringify(indexUid)}`);
    this.client = new Meilisearch({ host, apiKey, timeout: 30_000, defaultWaitOptions: TASK_WAIT, requestInit: { headers: { "Accept-Encoding": "identity" } } });
    this.indexUid = indexUid;
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
    const task = await waitForTask(this.client, (await this.client.createIndex(uid, { primaryKey: PRIMARY_KEY })).taskUid);
    // Someone else may have created it meanwhile: that is fine.
    if (task.status === "failed" && task.error?.code === "index_already_exists") return;
    assertSucceeded(task, `creation of index ${uid}`);
  }

  async setup(): Promise<void> {
    await this.ensureIndex(this.indexUid);
    await applySettings(this.client, this.indexUid);
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
      const existing = await index.getDocuments<{ id: string }>({ filter: `studyId IN [${chunk.join(", ")}]`, fields: ["id"], limit: 10_000 });
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
    const task = await this.client.index(this.indexUid).deleteDocuments({ filter: `studyId IN [${studyIds.join(", ")}]` });
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
    // ICD-10 codes are searched as text: every document carries every ≥3-character prefix of its
    // codes as tokens (icd10Search: "c50", "c509"), and the synonyms tie each group's codes to its
    // terms. So "C50" finds C50/C509-coded studies *and* studies that only say "brystkreft" in the
    // text, exactly like "brystkreft" finds C50-coded studies that never use the word. (A pure
    // icd10Prefixes filter for a code query would miss the latter: Meilisearch cannot OR a filter
    // with the text query.)
    const q = queryText(query.q);
    const base = baseFilters(query);
    const status = statusClause(query.status, now);
    const filter = and([...base, status]);

    let sort: string[] | undefined;
    const near = query.near && Number.isFinite(query.near.lat) && Number.isFinite(query.near.lon) ? query.near : null;
    switch (query.sort) {
      case "closing":
        // The study that stops including soonest first (a multi-site study whose one site closes
        // today but another runs for months is not "closing"), then its soonest-closing site.
        sort = ["studyClosesAt:asc", "closesAt:asc"];
        break;
      case "newest":
        sort = ["updatedAt:desc"];
        break;
      case "distance":
        if (near) sort = [`_geoPoint(${num(near.lat, "latitude")}, ${num(near.lon, "longitude")}):asc`];
        break;
    }

    const wanted = new Set(query.facets ?? []);
    const studyFacets = [...wanted].map((f) => STUDY_LEVEL_FACETS[f]).filter((x): x is string => !!x);
    const params: SearchParams = {
      filter,
      sort,
      page,
      hitsPerPage: perPage,
      facets: studyFacets.length ? studyFacets : undefined,
      attributesToRetrieve: ["studyId", "siteId", "title", "shortTitle", "titleN", "lat", "lon"],
      showMatchesPosition: q !== "",
      attributesToSearchOn: undefined,
    };
    const index = this.client.index<RetrievedHit>(this.indexUid);
    const [response, extraFacets] = await Promise.all([
      index.search<RetrievedHit, SearchParams & { page: number; hitsPerPage: number }>(q, params as SearchParams & { page: number; hitsPerPage: number }),
      this.facetCounts(wanted, q, base, status, now),
    ]);

    const queryWords = q ? q.split(" ") : [];
    const hits: SearchHit[] = response.hits.map((h) => {
      let distanceKm: number | null = null;
      if (typeof h._geoDistance === "number") distanceKm = h._geoDistance / 1000;
      else if (near && h.lat != null && h.lon != null) distanceKm = greatCircleKm(near, { lat: h.lat, lon: h.lon });
      return {
        studyId: h.studyId,
        title: h.title,
        shortTitle: h.shortTitle ?? null,
        siteId: h.siteId ?? null,
        distanceKm: distanceKm == null ? null : Math.round(distanceKm * 100) / 100,
        highlightedTitle: q ? highlightTitle(h.title, h.titleN, h._matchesPosition?.titleN, queryWords) : null,
      };
    });

    const facets: SearchResult["facets"] = {};
    for (const f of wanted) {
      const attr = STUDY_LEVEL_FACETS[f];
      if (attr) facets[f] = { ...(response.facetDistribution?.[attr] ?? {}) };
    }
    Object.assign(facets, extraFacets);
    return { hits, total: response.totalHits, page, perPage, facets, engine: this.name };
  }

  /**
   * Facets Meilisearch cannot count per distinct study: site-level ones (a study with sites in
   * two regions counts in both; Meilisearch 1.21 counts only the representative document's
   * region) and the status, which is computed from `now`. One multi-search: per facet the values
   * present in the matching documents (distinct "id" = per document), then per value a limit-0
   * query whose totalHits is the number of distinct studies.
   */
  private async facetCounts(wanted: Set<Facet>, q: string, base: string[], status: string | null, now: number): Promise<SearchResult["facets"]> {
    const siteFacets = [...wanted].filter((f) => SITE_LEVEL_FACETS[f]);
    const wantStatus = wanted.has("status");
    if (siteFacets.length === 0 && !wantStatus) return {};
    const filter = and([...base, status]);
    const out: SearchResult["facets"] = {};
    const countQuery = (extra: string): MultiSearchQuery => ({ indexUid: this.indexUid, q, filter: and([filter, extra]), page: 1, hitsPerPage: 0 });

    let values: Record<string, Record<string, number>> = {};
    if (siteFacets.length) {
      const r = await this.client.index(this.indexUid).search(q, {
        filter,
        distinct: "id",
        limit: 0,
        facets: siteFacets.map((f) => SITE_LEVEL_FACETS[f]!),
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
