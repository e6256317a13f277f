/**
 * The embedded engine's filter, facet and sort layer, in memory. FTS5 answers "which studies
 * match these words, how well"; everything after that (status at `now`, site-level filters, facet
 * counts over distinct studies, sorting, paging) runs here over compact per-study entries, because
 * doing it in SQL meant several passes over every matching row (hundreds of ms at 100,000
 * studies). Pure: no I/O; sqlite-fts.ts keeps it in step with its tables.
 */
import { distanceKm } from "../app/domain/geo-distance";
import { validIcd10Prefix, validIds, validNumber } from "./query-terms";
import type { Facet, SearchDocument, SearchQuery, StatusFilter } from "./types";

export interface SiteEntry {
  siteId: number;
  regionId: string | null;
  organisationId: string | null;
  hospitalId: string | null;
  opensAt: number | null;
  closesAt: number | null;
  paused: boolean;
  lat: number | null;
  lon: number | null;
  /** SITE_OPEN … SITE_PAUSED at the instant of the table's status epoch (see ensureStatus). */
  status: number;
}

export const SITE_OPEN = 0;
export const SITE_PLANNED = 1;
export const SITE_CLOSED = 2;
export const SITE_PAUSED = 3;

export interface StudyEntry {
  studyId: number;
  studyType: string;
  phase: string | null;
  sex: string;
  minAge: number | null;
  maxAge: number | null;
  healthyVolunteers: boolean;
  updatedAt: number;
  /** Latest closesAt of the non-paused sites; null when one is open-ended or there is none. */
  studyClosesAt: number | null;
  categories: string[];
  icd10Prefixes: Set<string>;
  chapters: string[];
  sites: SiteEntry[];
}

/** A string pool: the same region/organisation ids are one string in memory, not 100,000. */
const pool = new Map<string, string>();
const intern = (s: string | null): string | null => {
  if (s == null) return null;
  let v = pool.get(s);
  if (v === undefined) pool.set(s, (v = s));
  return v;
};

export function entryFromDocuments(docs: SearchDocument[], derived: { icd10Prefixes: string[]; chapters: string[] }): StudyEntry {
  const d = docs[0]!;
  const sites = docs
    .filter((x) => x.siteId != null)
    .map((x): SiteEntry => {
      const geo = x.lat != null && x.lon != null && Number.isFinite(x.lat) && Number.isFinite(x.lon);
      return {
        siteId: x.siteId!,
        regionId: intern(x.regionId),
        organisationId: intern(x.organisationId),
        hospitalId: intern(x.hospitalId),
        opensAt: x.opensAt,
        closesAt: x.closesAt,
        paused: x.paused,
        lat: geo ? x.lat : null,
        lon: geo ? x.lon : null,
        status: SITE_PAUSED,
      };
    });
  const active = sites.filter((x) => !x.paused).map((x) => x.closesAt);
  return {
    studyId: d.studyId,
    studyType: intern(d.studyType)!,
    phase: intern(d.phase),
    sex: intern(d.sex)!,
    minAge: d.minAgeYears,
    maxAge: d.maxAgeYears,
    healthyVolunteers: d.healthyVolunteers,
    updatedAt: d.updatedAt,
    studyClosesAt: active.length === 0 || active.some((c) => c == null) ? null : Math.max(...(active as number[])),
    categories: d.categories.map((c) => intern(c)!),
    icd10Prefixes: new Set(derived.icd10Prefixes.map((c) => intern(c)!)),
    chapters: derived.chapters.map((c) => intern(c)!),
    sites,
  };
}

function siteStatusCode(s: Pick<SiteEntry, "opensAt" | "closesAt" | "paused">, now: number): number {
  if (s.closesAt != null && now >= s.closesAt) return SITE_CLOSED;
  if (s.paused) return SITE_PAUSED;
  if (s.opensAt == null || now < s.opensAt) return SITE_PLANNED;
  return SITE_OPEN;
}

/**
 * Every site's status only changes at an instant where some window opens or closes, so the
 * statuses computed for one `now` hold for every instant up to the next such boundary (after the
 * last one before `now`): computed once per interval — in practice once per day or per write —
 * instead of once per site per search.
 */
interface StatusEpoch {
  from: number;
  until: number;
  /** The instant the statuses were computed at (any instant in [from, until) gives the same). */
  at: number;
}
const statusEpochs = new WeakMap<Map<number, StudyEntry>, StatusEpoch>();

export function ensureStatus(table: Map<number, StudyEntry>, now: number): StatusEpoch {
  const epoch = statusEpochs.get(table);
  if (epoch && now >= epoch.from && now < epoch.until) return epoch;
  let from = -Infinity;
  let until = Infinity;
  for (const e of table.values()) {
    for (const s of e.sites) {
      s.status = siteStatusCode(s, now);
      for (const b of [s.opensAt, s.closesAt]) {
        if (b == null) continue;
        if (b > now) {
          if (b < until) until = b;
        } else if (b > from) from = b;
      }
    }
  }
  const fresh = { from, until, at: now };
  statusEpochs.set(table, fresh);
  return fresh;
}

/**
 * After entries were added or replaced: their sites get the epoch's statuses and the epoch shrinks
 * to the boundaries they bring, so one write costs its own sites, not a pass over every site.
 */
export function patchStatus(table: Map<number, StudyEntry>, entries: StudyEntry[]): void {
  const epoch = statusEpochs.get(table);
  if (!epoch) return;
  for (const e of entries) {
    for (const s of e.sites) {
      s.status = siteStatusCode(s, epoch.at);
      for (const b of [s.opensAt, s.closesAt]) {
        if (b == null) continue;
        if (b > epoch.at) epoch.until = Math.min(epoch.until, b);
        else epoch.from = Math.max(epoch.from, b);
      }
    }
  }
}

export interface CompiledFilter {
  /** The instant statuses are evaluated at. */
  now: number;
  study: (e: StudyEntry) => boolean;
  /** Null when no condition is about sites (then a study without sites matches too). */
  site: ((s: SiteEntry) => boolean) | null;
}

/** The query's filters as predicates; bad values are refused exactly like the Meilisearch engine. */
export function compileFilter(query: SearchQuery, statuses: StatusFilter[], now: number): CompiledFilter {
  const studyTests: ((e: StudyEntry) => boolean)[] = [];
  const siteTests: ((s: SiteEntry) => boolean)[] = [];
  const set = (values: string[] | undefined, what: string) => (values?.length ? new Set(validIds(values, what)) : null);
  const categories = set(query.categories, "category");
  if (categories) studyTests.push((e) => e.categories.some((c) => categories.has(c)));
  const icd10 = query.icd10?.length ? query.icd10.map(validIcd10Prefix) : null;
  if (icd10) studyTests.push((e) => icd10.some((c) => e.icd10Prefixes.has(c)));
  const types = set(query.studyTypes, "study type");
  if (types) studyTests.push((e) => types.has(e.studyType));
  const phases = set(query.phases, "phase");
  if (phases) studyTests.push((e) => e.phase != null && phases.has(e.phase));
  if (query.age != null) {
    const a = validNumber(query.age, "age");
    studyTests.push((e) => (e.minAge == null || e.minAge <= a) && (e.maxAge == null || e.maxAge >= a));
  }
  if (query.sex != null) {
    if (query.sex !== "female" && query.sex !== "male") throw new RangeError(`Invalid sex ${JSON.stringify(query.sex)}`);
    const sex = query.sex;
    studyTests.push((e) => e.sex === "all" || e.sex === sex);
  }
  if (query.healthyVolunteers != null) {
    const hv = query.healthyVolunteers;
    studyTests.push((e) => e.healthyVolunteers === hv);
  }
  const regions = set(query.regions, "region");
  if (regions) siteTests.push((s) => s.regionId != null && regions.has(s.regionId));
  const orgs = set(query.organisations, "organisation");
  if (orgs) siteTests.push((s) => s.organisationId != null && orgs.has(s.organisationId));
  const hospitals = set(query.hospitals, "hospital");
  if (hospitals) siteTests.push((s) => s.hospitalId != null && hospitals.has(s.hospitalId));
  if (statuses.length) {
    // Paused sites never match a status filter (their code is not in the mask).
    let mask = 0;
    for (const st of statuses) mask |= 1 << (st === "open" ? SITE_OPEN : st === "planned" ? SITE_PLANNED : SITE_CLOSED);
    siteTests.push((s) => ((mask >> s.status) & 1) === 1);
  }
  const all = <T,>(tests: ((x: T) => boolean)[]): ((x: T) => boolean) => {
    if (tests.length === 0) return () => true;
    if (tests.length === 1) return tests[0]!;
    return (x) => {
      for (const t of tests) if (!t(x)) return false;
      return true;
    };
  };
  return { now, study: all(studyTests), site: siteTests.length ? all(siteTests) : null };
}

export interface Match {
  entry: StudyEntry;
  score: number;
  /** The sites that satisfy the site conditions (all active sites when there are none). */
  sites: SiteEntry[];
  distanceKm: number | null;
}

/** Distance from a point to a site's coordinates, in km. */
export function haversineKm(a: { lat: number; lon: number }, lat: number, lon: number): number {
  return distanceKm(a, { lat, lon });
}

/** Filters the text matches (scores: study id → score), or every entry when there is no text. */
export function filterEntries(
  table: Map<number, StudyEntry>,
  scores: Map<number, number> | null,
  filter: CompiledFilter,
  near: { lat: number; lon: number } | null,
): Match[] {
  ensureStatus(table, filter.now);
  const out: Match[] = [];
  const siteTest = filter.site;
  const consider = (entry: StudyEntry, score: number) => {
    if (!filter.study(entry)) return;
    let sites = entry.sites;
    if (siteTest) {
      // Most studies' sites all pass or all fail: allocate a subset only when they differ.
      let passing = 0;
      for (const s of sites) if (siteTest(s)) passing++;
      if (passing === 0) return;
      if (passing < sites.length) sites = sites.filter(siteTest);
    }
    let distanceKm: number | null = null;
    if (near) {
      for (const s of sites) {
        if (s.lat == null || s.lon == null) continue;
        const d = haversineKm(near, s.lat, s.lon);
        if (distanceKm == null || d < distanceKm) distanceKm = d;
      }
    }
    out.push({ entry, score, sites, distanceKm });
  };
  if (scores) {
    for (const [id, score] of scores) {
      const entry = table.get(id);
      if (entry) consider(entry, score);
    }
  } else {
    for (const entry of table.values()) consider(entry, 0);
  }
  return out;
}

type Compare = (a: Match, b: Match) => number;

const nullsLast = (a: number | null, b: number | null) => (a == null ? (b == null ? 0 : 1) : b == null ? -1 : a - b);

export function comparator(sort: SearchQuery["sort"], near: boolean): Compare {
  const byRelevance: Compare = (a, b) => a.score - b.score || b.entry.updatedAt - a.entry.updatedAt || a.entry.studyId - b.entry.studyId;
  switch (sort) {
    case "closing":
      return (a, b) => nullsLast(a.entry.studyClosesAt, b.entry.studyClosesAt) || a.score - b.score || a.entry.studyId - b.entry.studyId;
    case "newest":
      return (a, b) => b.entry.updatedAt - a.entry.updatedAt || b.entry.studyId - a.entry.studyId;
    case "distance":
      return near ? (a, b) => nullsLast(a.distanceKm, b.distanceKm) || a.score - b.score || a.entry.studyId - b.entry.studyId : byRelevance;
    default:
      return byRelevance;
  }
}

/** The first `k` matches in order, without sorting all of them (a bounded insertion buffer). */
export function topK(matches: Match[], k: number, compare: Compare): Match[] {
  if (k >= matches.length / 4) return [...matches].sort(compare).slice(0, k);
  const buffer: Match[] = [];
  for (const m of matches) {
    if (buffer.length === k && compare(m, buffer[k - 1]!) >= 0) continue;
    let lo = 0;
    let hi = buffer.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compare(buffer[mid]!, m) <= 0) lo = mid + 1;
      else hi = mid;
    }
    buffer.splice(lo, 0, m);
    if (buffer.length > k) buffer.pop();
  }
  return buffer;
}

/** Facet counts over distinct studies; site-level ones count a study once per value of its matching sites. */
export function facetCounts(matches: Match[], wanted: Set<Facet>, filter: CompiledFilter, now: number): Partial<Record<Facet, Record<string, number>>> {
  const counters = new Map<Facet, Map<string, number>>();
  for (const f of wanted) counters.set(f, new Map());
  const bump = (o: Map<string, number>, k: string | null) => {
    if (k != null) o.set(k, (o.get(k) ?? 0) + 1);
  };
  const categories = counters.get("categories");
  const chapters = counters.get("icd10Chapter");
  const types = counters.get("studyType");
  const phases = counters.get("phase");
  const regions = counters.get("regionId");
  const organisations = counters.get("organisationId");
  const status = counters.get("status");
  // Site statuses are the ones filterEntries computed for filter.now.
  if (now !== filter.now) throw new RangeError("facetCounts: matches were filtered at another instant");
  let open = 0;
  let planned = 0;
  let closed = 0;
  for (const m of matches) {
    const e = m.entry;
    if (categories) for (const c of e.categories) bump(categories, c);
    if (chapters) for (const c of e.chapters) bump(chapters, c);
    if (types) bump(types, e.studyType);
    if (phases) bump(phases, e.phase);
    if (regions || organisations || status) {
      const sites = filter.site ? m.sites : e.sites;
      // A study has a handful of sites: a backwards scan finds repeats without a Set.
      for (let i = 0; i < sites.length; i++) {
        const s = sites[i]!;
        if (regions && s.regionId != null) {
          let seen = false;
          for (let j = 0; j < i && !seen; j++) seen = sites[j]!.regionId === s.regionId;
          if (!seen) bump(regions, s.regionId);
        }
        if (organisations && s.organisationId != null) {
          let seen = false;
          for (let j = 0; j < i && !seen; j++) seen = sites[j]!.organisationId === s.organisationId;
          if (!seen) bump(organisations, s.organisationId);
        }
      }
      if (status) {
        let bits = 0;
        for (const s of sites) bits |= 1 << s.status;
        if (bits & (1 << SITE_OPEN)) open++;
        if (bits & (1 << SITE_PLANNED)) planned++;
        if (bits & (1 << SITE_CLOSED)) closed++;
      }
    }
  }
  if (status) {
    if (open) status.set("open", open);
    if (planned) status.set("planned", planned);
    if (closed) status.set("closed", closed);
  }
  const out: Partial<Record<Facet, Record<string, number>>> = {};
  for (const [f, counts] of counters) out[f] = Object.fromEntries(counts);
  return out;
}
