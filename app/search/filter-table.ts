/**
 * The embedded engine's filter, facet and sort layer, in memory. FTS5 answers "which studies
 * match these words, how well"; everything after that (status at `now`, site-level filters, facet
 * counts over distinct studies, sorting, paging) runs here over compact per-study entries, because
 * doing it in SQL meant several passes over every matching row (hundreds of ms at 100,000
 * studies). Pure: no I/O; sqlite-fts.ts keeps it in step with its tables.
 */
import { distanceKm } from "#app/domain/geo-distance";
import { studyStopsIncludingAt, windowStatus } from "#app/domain/window-status";
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
  /** valueCode of regionId / organisationId / hospitalId (-1 for none): filters and facet counts use integers. */
  regionCode: number;
  organisationCode: number;
  hospitalCode: number;
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
  /** SearchDocument.studyConfirmedUntil: later ranks first among equally relevant studies. */
  confirmedUntil: number;
  categories: string[];
  icd10Prefixes: Set<string>;
  chapters: string[];
  sites: SiteEntry[];
  /** OR of 1 << status over all sites at the table's status epoch (set with the statuses). */
  statusBits: number;
  /** Its sites in the statuses of one mask, kept for one status epoch (see statusSubset). */
  statusSubset: StatusSubset | null;
  /** valueCode of each facet value (-1 for none), set by encodeEntry. */
  categoryCodes: number[];
  /** icd10Code of each of icd10Prefixes (a code book of its own: there are thousands). */
  icd10Codes: number[];
  /** The distinct region / organisation codes of all its sites (facets count these when every site matches). */
  regionCodes: number[];
  organisationCodes: number[];
  chapterCodes: number[];
  studyTypeCode: number;
  phaseCode: number;
}

/**
 * The per-study entries by study id. A Map for writes, plus a dense view for searches: study ids
 * are small consecutive integers (autoincrement), so an array indexed by id − base replaces a hash
 * lookup per FTS5 row (a broad word returns up to every study) and lets text scores live in a
 * typed array (TextScores). When ids are too sparse for that (over 4× the count), searches use the
 * Map instead; answers are the same either way.
 */
export class StudyTable {
  private readonly byId: Map<number, StudyEntry>;
  private denseView: { base: number; slots: (StudyEntry | undefined)[] } | null | undefined;
  private listView: StudyEntry[] | null = null;

  constructor(entries: Iterable<[number, StudyEntry]> = []) {
    this.byId = new Map(entries);
  }

  get size(): number {
    return this.byId.size;
  }

  get(id: number): StudyEntry | undefined {
    return this.byId.get(id);
  }

  set(id: number, entry: StudyEntry): void {
    this.byId.set(id, entry);
    this.listView = null;
    const d = this.denseView;
    if (d && id >= d.base && id < d.base + d.slots.length) d.slots[id - d.base] = entry;
    else this.denseView = undefined; // outside the range: rebuilt on the next search
  }

  delete(id: number): void {
    if (!this.byId.delete(id)) return;
    this.listView = null;
    const d = this.denseView;
    if (d && id >= d.base && id < d.base + d.slots.length) d.slots[id - d.base] = undefined;
  }

  /** Every entry, as an array (a full scan over an array beats iterating a Map). */
  list(): StudyEntry[] {
    return (this.listView ??= [...this.byId.values()]);
  }

  private statusViews = new Map<number, { source: StudyEntry[]; epoch: object; list: StudyEntry[] }>();
  private postingLists = new Map<string, StudyEntry[]>();
  private postingSource: StudyEntry[] | null = null;
  /** Entries held by all posting lists together (bounded: see posting()). */
  private postingEntries = 0;

  /**
   * The entries with one value (a category, an ICD-10 prefix; for region, organisation and
   * hospital: a site with it), made on first use by one pass and kept until the next write.
   */
  posting({ kind, code }: Posting): StudyEntry[] {
    const source = this.list();
    if (this.postingSource !== source) {
      this.postingLists.clear();
      this.postingEntries = 0;
      this.postingSource = source;
    }
    if (code < 0) return [];
    const key = `${kind}:${code}`;
    let list = this.postingLists.get(key);
    if (list) return list;
    const has = HAS_VALUE[kind];
    list = source.filter((e) => has(e, code));
    // Bounded, so a crawl over thousands of ICD-10 prefixes cannot hold many copies of the table:
    // at most 8 × the table's entries (a pointer each, ~6 MB at 100,000 studies) in all lists together.
    if (this.postingEntries + list.length > 8 * source.length + 1024) {
      this.postingLists.clear();
      this.postingEntries = 0;
    }
    this.postingLists.set(key, list);
    this.postingEntries += list.length;
    return list;
  }

  /**
   * The entries with a site in one of the statuses of `mask` at the current status epoch: a search
   * without words scans these instead of every study (most searches ask for "open now", about
   * half the studies). Made again after a write or when the epoch moves (one cheap pass).
   */
  withStatus(mask: number): StudyEntry[] {
    const source = this.list();
    const epoch = statusEpochs.get(this);
    if (!epoch) return source;
    const view = this.statusViews.get(mask);
    if (view && view.source === source && view.epoch === epoch) return view.list;
    const list = source.filter((e) => (e.statusBits & mask) !== 0);
    this.statusViews.set(mask, { source, epoch, list });
    return list;
  }

  /** The dense view (slots[id − base]), or null when ids are too sparse for one. */
  dense(): { base: number; slots: (StudyEntry | undefined)[] } | null {
    if (this.denseView !== undefined) return this.denseView;
    let min = Infinity;
    let max = -Infinity;
    for (const id of this.byId.keys()) {
      if (id < min) min = id;
      if (id > max) max = id;
    }
    const span = max - min + 1;
    if (this.byId.size === 0 || span > 4 * this.byId.size + 1024) return (this.denseView = null);
    // Room to grow, so new studies (the next ids) patch the view instead of dropping it.
    const slots: (StudyEntry | undefined)[] = new Array(span + 1024).fill(undefined);
    for (const [id, e] of this.byId) slots[id - min] = e;
    return (this.denseView = { base: min, slots });
  }
}

/**
 * Text scores of one search (study id → best score, lower is better), keeping the lowest offered.
 * On a dense table: a typed array by slot plus the list of slots touched, reused from search to
 * search (a search runs synchronously, so one board per table suffices); else a Map.
 */
export class TextScores {
  private static readonly boards = new WeakMap<object, Board>();
  private readonly dense: { base: number; slots: (StudyEntry | undefined)[] } | null;
  private readonly board: Board | null = null;
  private readonly map: Map<number, number> | null = null;

  constructor(private readonly table: StudyTable) {
    this.dense = table.dense();
    if (!this.dense) {
      this.map = new Map();
      return;
    }
    const n = this.dense.slots.length;
    let board = TextScores.boards.get(this.dense);
    if (!board || board.scores.length < n)
      TextScores.boards.set(
        this.dense,
        (board = { scores: new Float64Array(n).fill(NaN), touched: new Int32Array(n), count: 0 }),
      );
    // A search that threw between keep and drain left scores behind: clear them first.
    for (let i = 0; i < board.count; i++) board.scores[board.touched[i]!] = NaN;
    board.count = 0;
    this.board = board;
  }

  /** Offers a score for a study; the lowest one offered stays. */
  keep(id: number, score: number): void {
    const board = this.board;
    if (!board) {
      const had = this.map!.get(id);
      if (had === undefined || score < had) this.map!.set(id, score);
      return;
    }
    const slot = id - this.dense!.base;
    if (slot < 0 || slot >= board.scores.length) return; // not a study of the table
    const had = board.scores[slot]!;
    if (had !== had) board.touched[board.count++] = slot; // NaN: the first score for it
    if (!(score >= had)) board.scores[slot] = score;
  }

  /** Each scored study that is in the table, with its score; the board is clean afterwards. */
  drain(visit: (entry: StudyEntry, score: number) => void): void {
    const board = this.board;
    if (!board) {
      for (const [id, score] of this.map!) {
        const entry = this.table.get(id);
        if (entry) visit(entry, score);
      }
      this.map!.clear();
      return;
    }
    const { scores, touched } = board;
    const slots = this.dense!.slots;
    const n = board.count;
    for (let i = 0; i < n; i++) {
      const slot = touched[i]!;
      const score = scores[slot]!;
      scores[slot] = NaN;
      const entry = slots[slot];
      if (entry) visit(entry, score);
    }
    board.count = 0; // after the loop: if a visit throws, the next constructor clears the rest
  }
}

interface Board {
  scores: Float64Array;
  touched: Int32Array;
  /** Slots in touched (set since the last drain). */
  count: number;
}

/** A string pool: the same region/organisation ids are one string in memory, not 100,000. */
const pool = new Map<string, string>();
const intern = (s: string | null): string | null => {
  if (s == null) return null;
  let v = pool.get(s);
  if (v === undefined) pool.set(s, (v = s));
  return v;
};

/**
 * Values as small integers, so filters and counts are array lookups instead of Set/Map lookups by
 * string (at 100,000 studies a filter-only search tests and counts ~200,000 values). Codes are given
 * out only when entries are made, never for a query's values (a query's unknown value simply has
 * no code: no study has it), so hostile queries cannot grow a book.
 */
class CodeBook {
  private readonly codeOf = new Map<string, number>();
  readonly values: string[] = [];

  /** The value's code, given out on first sight. */
  code(value: string | null): number {
    if (value == null) return -1;
    let c = this.codeOf.get(value);
    if (c === undefined) {
      c = this.values.length;
      this.codeOf.set(value, c);
      this.values.push(value);
    }
    return c;
  }

  /** A bit per code: 1 for the given values that have one. */
  mask(values: Iterable<string>): Uint8Array {
    const m = new Uint8Array(this.values.length);
    for (const v of values) {
      const c = this.codeOf.get(v);
      if (c !== undefined) m[c] = 1;
    }
    return m;
  }

  /** The code of a value, or -1 when no entry has it. */
  find(value: string): number {
    return this.codeOf.get(value) ?? -1;
  }
}

/** Two books for the process: facet values (a few hundred: regions, organisations, hospitals, categories, chapters, types, phases) and ICD-10 prefixes (thousands). */
const facetBook = new CodeBook();
const icd10Book = new CodeBook();
const valueOfCode = facetBook.values;
export const valueCode = (value: string | null): number => facetBook.code(value);
const bookSizes = () => facetBook.values.length * 1_000_003 + icd10Book.values.length;

/** A site entry with its facet codes. */
export function siteEntry(s: Omit<SiteEntry, "regionCode" | "organisationCode" | "hospitalCode">): SiteEntry {
  // A literal with a fixed property order (not a spread): every site entry gets one hidden class,
  // and the filter predicates that read them stay monomorphic (a spread made searches ~1.7× slower).
  return {
    siteId: s.siteId,
    regionId: intern(s.regionId),
    organisationId: intern(s.organisationId),
    hospitalId: intern(s.hospitalId),
    opensAt: s.opensAt,
    closesAt: s.closesAt,
    paused: s.paused,
    lat: s.lat,
    lon: s.lon,
    status: s.status,
    regionCode: valueCode(s.regionId),
    organisationCode: valueCode(s.organisationId),
    hospitalCode: valueCode(s.hospitalId),
  };
}

/** What a study entry is made from; the rest (codes, status) is derived. */
export type StudyFields = Pick<
  StudyEntry,
  | "studyId"
  | "studyType"
  | "phase"
  | "sex"
  | "minAge"
  | "maxAge"
  | "healthyVolunteers"
  | "updatedAt"
  | "studyClosesAt"
  | "confirmedUntil"
  | "categories"
  | "icd10Prefixes"
  | "chapters"
  | "sites"
>;

/**
 * A study entry with its codes. The one place entries are made (a literal with a fixed property
 * order, so every entry has one hidden class, as for siteEntry); the status is set by ensureStatus
 * or patchStatus.
 */
export function studyEntry(f: StudyFields): StudyEntry {
  return encodeEntry({
    studyId: f.studyId,
    studyType: f.studyType,
    phase: f.phase,
    sex: f.sex,
    minAge: f.minAge,
    maxAge: f.maxAge,
    healthyVolunteers: f.healthyVolunteers,
    updatedAt: f.updatedAt,
    studyClosesAt: f.studyClosesAt,
    confirmedUntil: f.confirmedUntil,
    categories: f.categories,
    icd10Prefixes: f.icd10Prefixes,
    chapters: f.chapters,
    sites: f.sites,
    statusBits: 0,
    statusSubset: null,
    categoryCodes: [],
    icd10Codes: [],
    regionCodes: [],
    organisationCodes: [],
    chapterCodes: [],
    studyTypeCode: -1,
    phaseCode: -1,
  });
}

/** Sets a study entry's facet codes from its values. */
function encodeEntry(e: StudyEntry): StudyEntry {
  e.categoryCodes = e.categories.map(valueCode);
  e.icd10Codes = [...e.icd10Prefixes].map((p) => icd10Book.code(p));
  e.regionCodes = [...new Set(e.sites.map((s) => s.regionCode).filter((c) => c >= 0))];
  e.organisationCodes = [...new Set(e.sites.map((s) => s.organisationCode).filter((c) => c >= 0))];
  e.chapterCodes = e.chapters.map(valueCode);
  e.studyTypeCode = valueCode(e.studyType);
  e.phaseCode = valueCode(e.phase);
  return e;
}

export function entryFromDocuments(
  docs: SearchDocument[],
  derived: { icd10Prefixes: string[]; chapters: string[] },
): StudyEntry {
  const d = docs[0]!;
  const sites = docs
    .filter((x) => x.siteId != null)
    .map((x): SiteEntry => {
      const geo = x.lat != null && x.lon != null && Number.isFinite(x.lat) && Number.isFinite(x.lon);
      return siteEntry({
        siteId: x.siteId!,
        regionId: x.regionId,
        organisationId: x.organisationId,
        hospitalId: x.hospitalId,
        opensAt: x.opensAt,
        closesAt: x.closesAt,
        paused: x.paused,
        lat: geo ? x.lat : null,
        lon: geo ? x.lon : null,
        status: SITE_PAUSED,
      });
    });
  return studyEntry({
    studyId: d.studyId,
    studyType: intern(d.studyType)!,
    phase: intern(d.phase),
    sex: intern(d.sex)!,
    minAge: d.minAgeYears,
    maxAge: d.maxAgeYears,
    healthyVolunteers: d.healthyVolunteers,
    updatedAt: d.updatedAt,
    studyClosesAt: studyStopsIncludingAt(sites),
    confirmedUntil: d.studyConfirmedUntil,
    categories: d.categories.map((c) => intern(c)!),
    icd10Prefixes: new Set(derived.icd10Prefixes.map((c) => intern(c)!)),
    chapters: derived.chapters.map((c) => intern(c)!),
    sites,
  });
}

const STATUS_CODE = { open: SITE_OPEN, planned: SITE_PLANNED, closed: SITE_CLOSED, paused: SITE_PAUSED } as const;

/** The domain's one rule (windowStatus) as the table's status code. Entries are always sites. */
function siteStatusCode(s: Pick<SiteEntry, "opensAt" | "closesAt" | "paused">, now: number): number {
  const status = windowStatus(s, now);
  if (status === "no_sites") throw new Error("A site entry without a site");
  return STATUS_CODE[status];
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
const statusEpochs = new WeakMap<StudyTable, StatusEpoch>();

/**
 * A study's sites in the statuses of a mask, with their distinct facet codes, for one status
 * epoch. Site objects are spread over the heap (the pass is bound by reading them): a search that
 * filters only by status reads a study's sites once per epoch, not once per search.
 */
export interface StatusSubset {
  epoch: StatusEpoch;
  mask: number;
  sites: SiteEntry[];
  regionCodes: number[];
  organisationCodes: number[];
  bits: number;
}

function statusSubset(e: StudyEntry, mask: number, epoch: StatusEpoch): StatusSubset {
  const had = e.statusSubset;
  if (had && had.epoch === epoch && had.mask === mask) return had;
  const sites: SiteEntry[] = [];
  const regionCodes: number[] = [];
  const organisationCodes: number[] = [];
  let bits = 0;
  for (const s of e.sites) {
    if (((mask >> s.status) & 1) !== 1) continue;
    sites.push(s);
    bits |= 1 << s.status;
    if (s.regionCode >= 0 && !regionCodes.includes(s.regionCode)) regionCodes.push(s.regionCode);
    if (s.organisationCode >= 0 && !organisationCodes.includes(s.organisationCode))
      organisationCodes.push(s.organisationCode);
  }
  return (e.statusSubset = { epoch, mask, sites, regionCodes, organisationCodes, bits });
}

export function ensureStatus(table: StudyTable, now: number): StatusEpoch {
  const epoch = statusEpochs.get(table);
  if (epoch && now >= epoch.from && now < epoch.until) return epoch;
  let from = -Infinity;
  let until = Infinity;
  for (const e of table.list()) {
    let bits = 0;
    for (const s of e.sites) {
      s.status = siteStatusCode(s, now);
      bits |= 1 << s.status;
      for (const b of [s.opensAt, s.closesAt]) {
        if (b == null) continue;
        if (b > now) {
          if (b < until) until = b;
        } else if (b > from) from = b;
      }
    }
    e.statusBits = bits;
  }
  const fresh = { from, until, at: now };
  statusEpochs.set(table, fresh);
  return fresh;
}

/**
 * After entries were added or replaced: their sites get the epoch's statuses and the epoch shrinks
 * to the boundaries they bring, so one write costs its own sites, not a pass over every site.
 */
export function patchStatus(table: StudyTable, entries: StudyEntry[]): void {
  const epoch = statusEpochs.get(table);
  if (!epoch) return;
  for (const e of entries) {
    e.statusBits = 0;
    for (const s of e.sites) {
      s.status = siteStatusCode(s, epoch.at);
      e.statusBits |= 1 << s.status;
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
  /** The status condition as a bit mask of site status codes (null: none). */
  statusMask: number | null;
  /** Whether a site condition other than the status exists (region, organisation, hospital). */
  placeTest: boolean;
  /**
   * Conditions on exactly one value (one category, one ICD-10 prefix, one region …): a search
   * without words may scan just the studies with that value (StudyTable.posting) instead of all.
   */
  postings: Posting[];
  /** The code books' sizes when compiled: the masks only know the codes given out by then. */
  books: number;
}

export type PostingKind = "category" | "icd10" | "region" | "organisation" | "hospital";

/** Whether a study has a value, per posting kind (site-level kinds: a site with it). */
const HAS_VALUE: Record<PostingKind, (e: StudyEntry, code: number) => boolean> = {
  category: (e, c) => e.categoryCodes.includes(c),
  icd10: (e, c) => e.icd10Codes.includes(c),
  region: (e, c) => e.regionCodes.includes(c),
  organisation: (e, c) => e.organisationCodes.includes(c),
  hospital: (e, c) => e.sites.some((s) => s.hospitalCode === c),
};
/** A value's code (-1: no study has the value). */
export interface Posting {
  kind: PostingKind;
  code: number;
}

/**
 * The query's filters as predicates; bad values are refused exactly like the Meilisearch engine.
 * One function per level with every condition inline (not a list of closures called in a loop):
 * it runs for up to every study and site of the table per search.
 */
export function compileFilter(query: SearchQuery, statuses: StatusFilter[], now: number): CompiledFilter {
  // Code masks: compiled after the entries are made (their codes are in the books by then).
  const codes = (values: string[] | undefined, what: string) =>
    values?.length ? facetBook.mask(validIds(values, what)) : null;
  const categories = codes(query.categories, "category");
  const icd10 = query.icd10?.length ? icd10Book.mask(query.icd10.map(validIcd10Prefix)) : null;
  const types = codes(query.studyTypes, "study type");
  const phases = codes(query.phases, "phase");
  const age = query.age != null ? validNumber(query.age, "age") : null;
  if (query.sex != null && query.sex !== "female" && query.sex !== "male")
    throw new RangeError(`Invalid sex ${JSON.stringify(query.sex)}`);
  const sex = query.sex ?? null;
  const hv = query.healthyVolunteers ?? null;
  const regions = codes(query.regions, "region");
  const orgs = codes(query.organisations, "organisation");
  const hospitals = codes(query.hospitals, "hospital");
  // Paused sites never match a status filter (their code is not in the mask).
  let mask = 0;
  for (const st of statuses) mask |= 1 << (st === "open" ? SITE_OPEN : st === "planned" ? SITE_PLANNED : SITE_CLOSED);
  const statusMask = statuses.length ? mask : null;

  const anyStudyTest = categories || icd10 || types || phases || age != null || sex != null || hv != null;
  const study = !anyStudyTest
    ? () => true
    : (e: StudyEntry): boolean => {
        // Loops, not .some(closure): this runs for up to every study per search.
        if (categories) {
          let any = false;
          for (const c of e.categoryCodes)
            if (categories[c] === 1) {
              any = true;
              break;
            }
          if (!any) return false;
        }
        if (icd10) {
          let any = false;
          for (const c of e.icd10Codes)
            if (icd10[c] === 1) {
              any = true;
              break;
            }
          if (!any) return false;
        }
        if (types && types[e.studyTypeCode] !== 1) return false;
        if (phases && phases[e.phaseCode] !== 1) return false;
        if (age != null && !((e.minAge == null || e.minAge <= age) && (e.maxAge == null || e.maxAge >= age)))
          return false;
        if (sex != null && e.sex !== "all" && e.sex !== sex) return false;
        if (hv != null && e.healthyVolunteers !== hv) return false;
        return true;
      };
  const placeTest = !!(regions || orgs || hospitals);
  const site =
    !placeTest && statusMask == null
      ? null
      : (s: SiteEntry): boolean => {
          if (regions && regions[s.regionCode] !== 1) return false; // code -1 (none): undefined
          if (orgs && orgs[s.organisationCode] !== 1) return false;
          if (hospitals && hospitals[s.hospitalCode] !== 1) return false;
          if (statusMask != null && ((statusMask >> s.status) & 1) !== 1) return false;
          return true;
        };
  const postings: Posting[] = [];
  const one = (
    kind: PostingKind,
    values: string[] | undefined,
    book: CodeBook,
    norm: (v: string) => string = (v) => v,
  ) => {
    if (values?.length === 1) postings.push({ kind, code: book.find(norm(values[0]!)) });
  };
  one("category", query.categories, facetBook);
  one("icd10", query.icd10, icd10Book, validIcd10Prefix);
  one("region", query.regions, facetBook);
  one("organisation", query.organisations, facetBook);
  one("hospital", query.hospitals, facetBook);
  return { now, study, site, statusMask, placeTest, postings, books: bookSizes() };
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

/**
 * Called once per matching study: its score, the sites that satisfy the site conditions, the
 * nearest one's distance. `sites` is valid only during the call (a reused buffer when a subset):
 * copy it to keep it (Match.sites are copies).
 */
export type MatchVisitor = (entry: StudyEntry, score: number, sites: SiteEntry[], distanceKm: number | null) => void;

/**
 * Visits the text matches (scores: study id → score) that pass the filter, or every passing entry
 * when there is no text. A visitor, not a list: a search that only needs a page, a total and facet
 * counts then allocates nothing per match (tens of thousands at 100,000 studies).
 */
export function eachMatch(
  table: StudyTable,
  scores: TextScores | null,
  filter: CompiledFilter,
  near: { lat: number; lon: number } | null,
  visit: MatchVisitor,
): void {
  // A filter compiled before some entries were made would not know their values' codes and
  // silently miss them: refuse instead (compile after loading the table).
  if (filter.books !== bookSizes())
    throw new RangeError("eachMatch: the filter was compiled before entries with new values were made");
  const epoch = ensureStatus(table, filter.now);
  const siteTest = filter.site;
  const statusOnly = filter.statusMask != null && !filter.placeTest;
  const statusMask = filter.statusMask ?? 0;
  const studyTest = filter.study;
  // The passing subset of a study's sites, when not all pass: one buffer reused for every study
  // (the visitor copies what it keeps), so the pass allocates nothing per match.
  const subset: SiteEntry[] = [];
  const passingSites = (all: SiteEntry[]): SiteEntry[] => {
    subset.length = 0;
    for (const s of all) if (siteTest!(s)) subset.push(s);
    return subset;
  };
  const consider = (entry: StudyEntry, score: number) => {
    // The status bits first: they are on the entry itself, while the study test reads its arrays
    // (memory the pass would otherwise touch for the half of the studies the status rules out).
    if (statusMask !== 0 && (entry.statusBits & statusMask) === 0) return;
    if (!studyTest(entry)) return;
    let sites = entry.sites;
    if (statusOnly) {
      // The status alone: the bits answered it; when some sites are in other statuses, the
      // subset kept for this epoch (statusSubset) saves reading each site again.
      if ((entry.statusBits & ~statusMask) !== 0) sites = statusSubset(entry, statusMask, epoch).sites;
    } else if (siteTest) {
      let passing = 0;
      for (const s of sites) if (siteTest(s)) passing++;
      if (passing === 0) return;
      if (passing < sites.length) sites = passingSites(sites);
    }
    let distanceKm: number | null = null;
    if (near) {
      for (const s of sites) {
        if (s.lat == null || s.lon == null) continue;
        const d = haversineKm(near, s.lat, s.lon);
        if (distanceKm == null || d < distanceKm) distanceKm = d;
      }
    }
    visit(entry, score, sites, distanceKm);
  };
  if (scores) scores.drain(consider);
  else {
    // Without words: the smallest list that holds every match (the filter still tests each).
    let candidates = filter.statusMask != null ? table.withStatus(filter.statusMask) : table.list();
    for (const p of filter.postings) {
      const list = table.posting(p);
      if (list.length < candidates.length) candidates = list;
    }
    for (const entry of candidates) consider(entry, 0);
  }
}

type Compare = (a: Match, b: Match) => number;

const nullsLast = (a: number | null, b: number | null) => (a == null ? (b == null ? 0 : 1) : b == null ? -1 : a - b);

/**
 * Scores at or above this are weak matches (words found only outside the title, the conditions
 * and the diagnosis codes, or only through a typo or a compound part): with words and a place,
 * relevance ranks the good matches first, nearest first, then the weak ones, nearest first
 * (ADR 0024). The embedded engine adds it to the weak matches' scores (search/sqlite-fts.ts).
 */
export const WEAK_MATCH_BAND = 1_000_000;
/** bm25 scores are negative (and tiers far below the band): a weak score is at least half the band. */
const isWeak = (score: number) => (score >= WEAK_MATCH_BAND / 2 ? 1 : 0);

export function comparator(sort: SearchQuery["sort"], near: boolean, blend = false): Compare {
  // Equally relevant: the study confirmed more recently first (a study whose sites are all past the
  // soft confirmation limit ranks below every one that is not: ADR 0020), then the newest.
  const byRelevance: Compare = (a, b) =>
    a.score - b.score ||
    b.entry.confirmedUntil - a.entry.confirmedUntil ||
    b.entry.updatedAt - a.entry.updatedAt ||
    a.entry.studyId - b.entry.studyId;
  if (blend && near && (sort == null || sort === "relevance"))
    return (a, b) =>
      isWeak(a.score) - isWeak(b.score) ||
      nullsLast(a.distanceKm, b.distanceKm) ||
      a.score - b.score ||
      b.entry.confirmedUntil - a.entry.confirmedUntil ||
      a.entry.studyId - b.entry.studyId;
  switch (sort) {
    case "closing":
      return (a, b) =>
        nullsLast(a.entry.studyClosesAt, b.entry.studyClosesAt) ||
        a.score - b.score ||
        a.entry.studyId - b.entry.studyId;
    case "newest":
      return (a, b) => b.entry.updatedAt - a.entry.updatedAt || b.entry.studyId - a.entry.studyId;
    case "distance":
      return near
        ? (a, b) => nullsLast(a.distanceKm, b.distanceKm) || a.score - b.score || a.entry.studyId - b.entry.studyId
        : byRelevance;
    default:
      return byRelevance;
  }
}

/** The sites to keep in a Match: a copy when they are eachMatch's reused buffer. */
const kept = (e: StudyEntry, sites: SiteEntry[]): SiteEntry[] =>
  sites === e.sites || sites === e.statusSubset?.sites ? sites : sites.slice();

/** Above this many wanted matches (deep pages) insertion into a sorted buffer costs more than one sort. */
const STREAMING_TOP_K = 1_000;

/**
 * The first `k` matches in order, offered one at a time, without sorting (or keeping) them all:
 * a bounded buffer kept sorted by insertion; a candidate that does not beat the buffer's last is
 * compared through one reused object and never allocated. The comparators are total orders
 * (ties end on the study id), so the result equals sorting everything and taking `k`.
 */
export class TopK {
  private readonly buffer: Match[] = [];
  private readonly everything: Match[] | null;
  private scratch: Match | null = null;

  constructor(
    private readonly k: number,
    private readonly compare: Compare,
  ) {
    this.everything = k > STREAMING_TOP_K ? [] : null;
  }

  offer(entry: StudyEntry, score: number, sites: SiteEntry[], distanceKm: number | null): void {
    if (this.k <= 0) return;
    if (this.everything) {
      this.everything.push({ entry, score, sites: kept(entry, sites), distanceKm });
      return;
    }
    const buffer = this.buffer;
    if (buffer.length === this.k) {
      const s = (this.scratch ??= { entry, score, sites, distanceKm });
      s.entry = entry;
      s.score = score;
      s.sites = sites;
      s.distanceKm = distanceKm;
      if (this.compare(s, buffer[this.k - 1]!) >= 0) return;
    }
    const m: Match = { entry, score, sites: kept(entry, sites), distanceKm };
    let lo = 0;
    let hi = buffer.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.compare(buffer[mid]!, m) <= 0) lo = mid + 1;
      else hi = mid;
    }
    buffer.splice(lo, 0, m);
    if (buffer.length > this.k) buffer.pop();
  }

  /** The best `k` in order. */
  items(): Match[] {
    return this.everything ? this.everything.sort(this.compare).slice(0, this.k) : this.buffer;
  }
}

/**
 * Facet counts over distinct studies, one match at a time; site-level ones (region, organisation,
 * status) count a study once per value among its matching sites.
 */
export class FacetCounter {
  private readonly categories: Int32Array | null;
  private readonly chapters: Int32Array | null;
  private readonly types: Int32Array | null;
  private readonly phases: Int32Array | null;
  private readonly regions: Int32Array | null;
  private readonly organisations: Int32Array | null;
  private readonly status: boolean;
  /** The last match that counted a value: a study's sites bump each region/organisation once. */
  private readonly regionSeen: Int32Array | null;
  private readonly organisationSeen: Int32Array | null;
  private readonly size: number;
  private index = 0;
  private open = 0;
  private planned = 0;
  private closed = 0;

  constructor(
    private readonly wanted: Set<Facet>,
    filter: CompiledFilter,
    now: number,
  ) {
    // Site statuses are the ones eachMatch computed for filter.now.
    if (now !== filter.now) throw new RangeError("FacetCounter: matches were filtered at another instant");
    // Codes are given out when entries are made, never during a search (it runs synchronously).
    this.size = valueOfCode.length;
    const counter = (f: Facet) => (wanted.has(f) ? new Int32Array(this.size) : null);
    this.categories = counter("categories");
    this.chapters = counter("icd10Chapter");
    this.types = counter("studyType");
    this.phases = counter("phase");
    this.regions = counter("regionId");
    this.organisations = counter("organisationId");
    this.status = wanted.has("status");
    this.regionSeen = this.regions ? new Int32Array(this.size).fill(-1) : null;
    this.organisationSeen = this.organisations ? new Int32Array(this.size).fill(-1) : null;
  }

  /** One matching study and its matching sites (all its sites when no condition is about sites). */
  add(e: StudyEntry, sites: SiteEntry[]): void {
    const i = this.index++;
    const { categories, chapters, types, phases, regions, organisations, regionSeen, organisationSeen } = this;
    if (categories) for (const c of e.categoryCodes) categories[c]!++;
    if (chapters) for (const c of e.chapterCodes) chapters[c]!++;
    if (types && e.studyTypeCode >= 0) types[e.studyTypeCode]!++;
    if (phases && e.phaseCode >= 0) phases[e.phaseCode]!++;
    const subset = e.statusSubset;
    if (sites === e.sites) {
      // Every site matches: the study's own distinct codes and status bits, no per-site pass.
      if (regions) for (const c of e.regionCodes) regions[c]!++;
      if (organisations) for (const c of e.organisationCodes) organisations[c]!++;
      if (this.status) this.countStatus(e.statusBits);
    } else if (subset && sites === subset.sites) {
      // Its sites in the asked statuses: their codes were collected with them.
      if (regions) for (const c of subset.regionCodes) regions[c]!++;
      if (organisations) for (const c of subset.organisationCodes) organisations[c]!++;
      if (this.status) this.countStatus(subset.bits);
    } else if (regions || organisations || this.status) {
      let bits = 0;
      for (const s of sites) {
        if (regions && s.regionCode >= 0 && regionSeen![s.regionCode] !== i) {
          regionSeen![s.regionCode] = i;
          regions[s.regionCode]!++;
        }
        if (organisations && s.organisationCode >= 0 && organisationSeen![s.organisationCode] !== i) {
          organisationSeen![s.organisationCode] = i;
          organisations[s.organisationCode]!++;
        }
        bits |= 1 << s.status;
      }
      if (this.status) this.countStatus(bits);
    }
  }

  private countStatus(bits: number): void {
    if (bits & (1 << SITE_OPEN)) this.open++;
    if (bits & (1 << SITE_PLANNED)) this.planned++;
    if (bits & (1 << SITE_CLOSED)) this.closed++;
  }

  result(): Partial<Record<Facet, Record<string, number>>> {
    const named = (counts: Int32Array): Record<string, number> => {
      const o: Record<string, number> = {};
      for (let c = 0; c < counts.length; c++) if (counts[c]! > 0) o[valueOfCode[c]!] = counts[c]!;
      return o;
    };
    const out: Partial<Record<Facet, Record<string, number>>> = {};
    if (this.status) {
      const o: Record<string, number> = {};
      if (this.open) o.open = this.open;
      if (this.planned) o.planned = this.planned;
      if (this.closed) o.closed = this.closed;
      out.status = o;
    }
    const arrays: [Facet, Int32Array | null][] = [
      ["categories", this.categories],
      ["icd10Chapter", this.chapters],
      ["studyType", this.types],
      ["phase", this.phases],
      ["regionId", this.regions],
      ["organisationId", this.organisations],
    ];
    for (const [f, counts] of arrays) if (counts) out[f] = named(counts);
    return out;
  }
}
