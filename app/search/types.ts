/**
 * The backend-neutral search interface (after Karakeep's SearchIndexClient): the portal talks to
 * this, never to SQLite FTS5 or Meilisearch directly. One contract test suite runs against both.
 *
 * Documents are one per study × active site (a site's status depends on its own window); results
 * are distinct per study. Status is never stored: documents carry the inclusion window as
 * instants and "open now / planned / closed" are filters computed from `now` at query time.
 */

export interface SearchDocument {
  /** `${studyId}-${siteId}`, or `${studyId}-0` for a study without active sites. */
  id: string;
  studyId: number;
  siteId: number | null;
  title: string;
  titleEn: string | null;
  shortTitle: string | null;
  summary: string | null;
  conditions: string[];
  /** ICD-10 codes without dots (C50, C509) and their Norwegian names. */
  icd10: string[];
  icd10Names: string[];
  interventions: string[];
  /** HRCS category ids and Norwegian names. */
  categories: string[];
  categoryNames: string[];
  studyType: "treatment" | "observational" | "other";
  phase: string | null;
  sex: "all" | "female" | "male";
  minAgeYears: number | null;
  maxAgeYears: number | null;
  healthyVolunteers: boolean;
  leadOrganisationId: string;
  leadOrganisationName: string;
  /** The site's organisation, region and hospital (null for a study without active sites). */
  organisationId: string | null;
  organisationName: string | null;
  regionId: string | null;
  hospitalId: string | null;
  hospitalName: string | null;
  /** Epoch ms when inclusion opens (start of the start date in Europe/Oslo); null = not scheduled. */
  opensAt: number | null;
  /** Epoch ms when inclusion has closed (start of the day after the end date); null = open-ended. */
  closesAt: number | null;
  paused: boolean;
  lat: number | null;
  lon: number | null;
  /** Epoch ms of the study's last change. */
  updatedAt: number;
  /**
   * Epoch ms from which every active site of the study is past the soft confirmation limit
   * ("ikke bekreftet siden …", ADR 0019/0020): the start of the Oslo day its most recently
   * confirmed site becomes overdue; NEVER_OVERDUE when a site has no confirmation record or the
   * study has no sites. The same on all of a study's documents. Both engines rank by it (later
   * first) right after relevance, so a study whose sites are all overdue ranks below otherwise
   * equal ones at every instant, with no reindexing when the day comes.
   */
  studyConfirmedUntil: number;
  isDemo: boolean;
}

export type StatusFilter = "open" | "planned" | "closed";
export type SortOrder = "relevance" | "closing" | "newest" | "distance";
export const FACETS = [
  "regionId",
  "organisationId",
  "categories",
  "studyType",
  "phase",
  "icd10Chapter",
  "status",
] as const;
export type Facet = (typeof FACETS)[number];

export interface SearchQuery {
  q?: string;
  /** Which inclusion statuses to include (default: all). Computed from `now`. */
  status?: StatusFilter[];
  regions?: string[];
  organisations?: string[];
  hospitals?: string[];
  categories?: string[];
  /** ICD-10 codes or prefixes ("C50" matches C50 and C509; "C" matches a whole chapter letter). */
  icd10?: string[];
  studyTypes?: SearchDocument["studyType"][];
  phases?: string[];
  /** A person's age: keeps studies whose min/max age admits it. */
  age?: number;
  /** A person's sex: keeps studies open to it ("all" studies always match). */
  sex?: "female" | "male";
  healthyVolunteers?: boolean;
  /**
   * Where the person is (e.g. from a postcode); enables sort "distance" and distanceKm. With words
   * and sort "relevance" (or none) it blends meaning and distance (ADR 0024): the good matches
   * (the words in the title, conditions or diagnosis codes) nearest first, then the rest nearest first.
   */
  near?: { lat: number; lon: number };
  sort?: SortOrder;
  facets?: Facet[];
  page?: number;
  perPage?: number;
  now: Date;
}

export interface SearchHit {
  studyId: number;
  title: string;
  shortTitle: string | null;
  /** The site that made the study match (nearest one when sorting by distance). */
  siteId: number | null;
  distanceKm: number | null;
  /** Title with matched terms wrapped in <mark>…</mark>, HTML-escaped otherwise. */
  highlightedTitle: string | null;
}

export interface SearchResult {
  hits: SearchHit[];
  /** Number of distinct studies matching. */
  total: number;
  page: number;
  perPage: number;
  facets: Partial<Record<Facet, Record<string, number>>>;
  engine: string;
}

export interface SearchHealth {
  ok: boolean;
  engine: string;
  documents: number | null;
  error?: string;
}

export interface SearchEngine {
  readonly name: "sqlite-fts" | "meilisearch";
  /** Create the index and apply settings; idempotent. */
  setup(): Promise<void>;
  /** Replace all documents of these studies (a study's sites change as a set). */
  indexStudies(studyIds: number[], documents: SearchDocument[]): Promise<void>;
  removeStudies(studyIds: number[]): Promise<void>;
  search(query: SearchQuery): Promise<SearchResult>;
  /** Rebuild from scratch from all documents, without downtime where the engine allows. */
  rebuild(documents: AsyncIterable<SearchDocument[]> | Iterable<SearchDocument[]>): Promise<void>;
  health(): Promise<SearchHealth>;
}
