/**
 * Meilisearch index settings as code, and an idempotent `applySettings` that only sends what
 * differs from the server's current settings and waits for (and checks) the resulting task.
 *
 * Checked against Meilisearch 1.21.0 (the test binary):
 * - `localizedAttributes` with locale "nob" is accepted (added in 1.10). All searchable text is
 *   stored pre-normalised by normaliseNorwegian (ASCII), so the locale only pins tokenisation to
 *   the Latin/Norwegian pipeline instead of per-document language detection.
 * - `distinctAttribute` makes `totalHits` (page/hitsPerPage mode) count distinct studies, and
 *   `facetDistribution` counts only the distinct document of each study, but only by walking
 *   every matching document (87 ms for a broad word at 100,000 studies). In limit/offset mode
 *   both count documents. The engine therefore counts through representative documents
 *   (meilisearch-representatives.ts, ADR 0011) and uses the distinct count only as a fallback.
 * - Documents with a null sort value sort after all others for both :asc and :desc.
 * - No `_geo` (see SORTABLE_ATTRIBUTES): distance is sorted by rings of hospitals.
 */
import type { Meilisearch, Settings, Task } from "meilisearch";
import { representativeFields } from "./meilisearch-representatives";
import { knownTerms } from "./medical-terms.server";
import { synonymGroups, type SynonymGroup } from "./synonyms.server";

export const PRIMARY_KEY = "id";

/** Searchable attributes in ranked order (the `attribute` ranking rule uses this order). */
export const SEARCHABLE_ATTRIBUTES = [
  "titleN",
  "shortTitleN",
  "conditionsN",
  "icd10Search",
  "icd10NamesN",
  "categoryNamesN",
  "interventionsN",
  "compoundPartsN",
  "summaryN",
  "organisationNamesN",
  "hospitalNamesN",
  "leadOrganisationNameN",
  "titleEnN",
] as const;

export const FILTERABLE_ATTRIBUTES = [
  // `id` is filterable only so facet counting can ask for per-document values (distinct: "id").
  "id",
  "studyId",
  "siteId",
  "regionId",
  "organisationId",
  "hospitalId",
  "categories",
  "icd10Prefixes",
  "icd10Chapters",
  "studyType",
  "phase",
  "sex",
  "minAgeYears",
  "maxAgeYears",
  "healthyVolunteers",
  "opensAt",
  "closesAt",
  "paused",
  "isDemo",
  "hospitalPlace",
  // One per grouping × status set (meilisearch-representatives.ts); most documents carry few.
  ...representativeFields(),
] as const;

// No `_geo`: Meilisearch rewrites its whole geo R-tree for every batch that touches a document
// with it (1.4 s of each 1.6 s change at 100,000 studies); distance is sorted by rings of
// hospitals instead (meilisearch.ts searchDistance).
export const SORTABLE_ATTRIBUTES = ["updatedAt", "closesAt", "studyClosesAt", "studyConfirmedUntil"] as const;

export const RANKING_RULES = ["words", "typo", "proximity", "attribute", "sort", "exactness"] as const;

/**
 * Very few Norwegian function words (normalised). Everything else is searchable: "kreft i lunge"
 * still needs "kreft" and "lunge".
 */
export const STOP_WORDS = ["i", "og", "pa", "av", "til", "med", "for", "som", "en", "et"] as const;

/** Normalised ICD-10 codes as searchable tokens: every prefix of length ≥ 3 ("c50", "c509"). */
export function icd10SearchTokens(codes: string[]): string[] {
  const out = new Set<string>();
  for (const code of codes) {
    const c = code.replace(/\./g, "").toLowerCase();
    for (let i = 3; i <= c.length; i++) out.add(c.slice(0, i));
  }
  return [...out];
}

/** Every prefix of every code, upper case ("C", "C5", "C50", "C509"), for `icd10Prefixes IN [...]`. */
export function icd10Prefixes(codes: string[]): string[] {
  const out = new Set<string>();
  for (const code of codes) {
    const c = code.replace(/\./g, "").toUpperCase();
    for (let i = 1; i <= c.length; i++) out.add(c.slice(0, i));
  }
  return [...out];
}

/** WHO ICD-10 chapters (Roman numerals) by code range. */
const CHAPTERS: [from: string, to: string, chapter: string][] = [
  ["A00", "B99", "I"],
  ["C00", "D48", "II"],
  ["D50", "D89", "III"],
  ["E00", "E90", "IV"],
  ["F00", "F99", "V"],
  ["G00", "G99", "VI"],
  ["H00", "H59", "VII"],
  ["H60", "H95", "VIII"],
  ["I00", "I99", "IX"],
  ["J00", "J99", "X"],
  ["K00", "K93", "XI"],
  ["L00", "L99", "XII"],
  ["M00", "M99", "XIII"],
  ["N00", "N99", "XIV"],
  ["O00", "O99", "XV"],
  ["P00", "P96", "XVI"],
  ["Q00", "Q99", "XVII"],
  ["R00", "R99", "XVIII"],
  ["S00", "T98", "XIX"],
  ["V01", "Y98", "XX"],
  ["Z00", "Z99", "XXI"],
  ["U00", "U99", "XXII"],
];

/** The ICD-10 chapter (e.g. "II" for C50) of a code, or null for something that is not a code. */
export function icd10Chapter(code: string): string | null {
  const c = code.replace(/\./g, "").toUpperCase().slice(0, 3);
  if (!/^[A-Z]\d\d$/.test(c)) return null;
  for (const [from, to, chapter] of CHAPTERS) if (c >= from && c <= to) return chapter;
  return null;
}

/**
 * Synonyms: every normalised term of a group ↔ every other term, and ↔ the group's ICD-10 codes
 * (as the lower-case tokens of `icd10Search`), so "brystkreft" also finds a study that is only
 * coded C509 and "c50" in a longer query also finds "brystkreft".
 */
export function synonymsSetting(groups: SynonymGroup[] = synonymGroups()): Record<string, string[]> {
  const map = new Map<string, Set<string>>();
  const stop = new Set<string>(STOP_WORDS);
  // Meilisearch drops stop words from the query before it looks up synonyms: a term with one
  // ("blodpropp i hjertet") is also listed without it, or it would never fire.
  const withoutStop = (t: string) =>
    t
      .split(" ")
      .filter((w) => !stop.has(w))
      .join(" ");
  for (const g of groups) {
    const all = [
      ...new Set([...g.terms, ...g.terms.map(withoutStop), ...g.icd10.map((c) => c.replace(/\./g, "").toLowerCase())]),
    ].filter(Boolean);
    for (const t of all) {
      const set = map.get(t) ?? new Set<string>();
      for (const other of all) if (other !== t) set.add(other);
      map.set(t, set);
    }
  }
  const out: Record<string, string[]> = {};
  for (const key of [...map.keys()].sort()) out[key] = [...map.get(key)!].sort();
  return out;
}

/** The complete settings of the studies index. */
export function studyIndexSettings(): Settings {
  return {
    searchableAttributes: [...SEARCHABLE_ATTRIBUTES],
    filterableAttributes: [...FILTERABLE_ATTRIBUTES],
    sortableAttributes: [...SORTABLE_ATTRIBUTES],
    displayedAttributes: ["*"],
    distinctAttribute: "studyId",
    rankingRules: [...RANKING_RULES],
    stopWords: [...STOP_WORDS],
    synonyms: synonymsSetting(),
    typoTolerance: {
      enabled: true,
      minWordSizeForTypos: { oneTypo: 5, twoTypos: 9 },
      // Known medical terms are never typo-matched to another word (app/search/medical-terms.server.ts):
      // "hjerteinfarkt" must not find "hjerneinfarkt".
      disableOnWords: knownTerms(),
      // ICD-10 codes must not be "corrected" into neighbouring codes (c50 → c51).
      disableOnAttributes: ["icd10Search"],
      disableOnNumbers: false,
    },
    proximityPrecision: "byWord",
    // Above every hospital, organisation and region the register has: the distance rings read all
    // `hospitalPlace` values of a query in one facet.
    faceting: { maxValuesPerFacet: 5000, sortFacetValuesBy: { "*": "alpha" } },
    // The portal never searches inside facet values; without it every indexing batch is cheaper.
    facetSearch: false,
    // totalHits is exact only up to maxTotalHits: at 20,000 a broad search over 100,000 studies
    // reported 20,000 where the embedded engine (and the truth) said 49,521. A national register
    // stays far below a million documents, so totals are always exact (at the cost of counting).
    pagination: { maxTotalHits: 1_000_000 },
    localizedAttributes: [
      { attributePatterns: [...SEARCHABLE_ATTRIBUTES.filter((a) => a !== "titleEnN")], locales: ["nob"] },
    ],
  };
}

/** Keys whose array values are sets for comparison purposes (the server may reorder them). */
const SET_LIKE = new Set(["filterableAttributes", "sortableAttributes", "stopWords", "displayedAttributes"]);

/** A canonical JSON form for comparing a desired setting with the server's current one. */
function canonical(key: string, value: unknown): string {
  const norm = (v: unknown, path: string): unknown => {
    if (Array.isArray(v)) {
      const items = v.map((x) => norm(x, path));
      return SET_LIKE.has(path) ||
        path === "synonyms.*" ||
        path.endsWith("disableOnWords") ||
        path.endsWith("disableOnAttributes")
        ? items.map((x) => JSON.stringify(x)).sort()
        : items;
    }
    if (v && typeof v === "object") {
      const o = v as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(o).sort()) out[k] = norm(o[k], path === "synonyms" ? "synonyms.*" : `${path}.${k}`);
      return out;
    }
    return v;
  };
  return JSON.stringify(norm(value, key));
}

/** The settings keys whose desired value differs from the current one. */
export function settingsDiff(current: Settings, desired: Settings): Settings {
  const diff: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(desired)) {
    const cur = (current as Record<string, unknown>)[key];
    if (canonical(key, cur) === canonical(key, value)) continue;
    // Nested objects (typoTolerance, faceting, pagination) are compared on the desired keys only:
    // the server fills in defaults for keys we do not set.
    if (
      value &&
      cur &&
      typeof value === "object" &&
      !Array.isArray(value) &&
      typeof cur === "object" &&
      !Array.isArray(cur)
    ) {
      const c = cur as Record<string, unknown>;
      const differs = Object.entries(value as Record<string, unknown>).some(
        ([k, v]) => canonical(`${key}.${k}`, c[k]) !== canonical(`${key}.${k}`, v),
      );
      if (!differs) continue;
    }
    diff[key] = value;
  }
  return diff as Settings;
}

export const TASK_WAIT = { timeout: 300_000, interval: 10 } as const;

/**
 * Waits for a task by polling GET /tasks/:uid: every 10 ms for the first second (a change is
 * searchable soon after), then less often (every 50 ms, and 200 ms after 10 s), up to
 * TASK_WAIT.timeout. Not the client's waitForTask: version 0.62 passes one AbortSignal to every
 * poll and each poll leaves an "abort" listener on it, so a long wait (a rebuild) piled up
 * thousands of listeners and MaxListenersExceededWarning (measured in bench:search).
 */
export async function waitForTask(
  client: Meilisearch,
  taskUid: number,
  timeoutMs: number = TASK_WAIT.timeout,
): Promise<Task> {
  const started = Date.now();
  for (;;) {
    const task = await client.tasks.getTask(taskUid);
    if (task.status !== "enqueued" && task.status !== "processing") return task;
    const waited = Date.now() - started;
    if (waited >= timeoutMs)
      throw new Error(`Meilisearch task ${taskUid} did not finish within ${timeoutMs} ms (status ${task.status})`);
    const interval = waited < 1_000 ? TASK_WAIT.interval : waited < 10_000 ? 50 : 200;
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}

/** Throws with the task's own error unless it succeeded. */
export function assertSucceeded(task: Task, what: string): Task {
  if (task.status !== "succeeded") {
    const e = task.error;
    throw new Error(
      `Meilisearch ${what} (task ${task.uid}, ${task.type}) ${task.status}${e ? `: ${e.code}: ${e.message}` : ""}`,
    );
  }
  return task;
}

/**
 * Applies the studies index settings to `indexUid` (which must exist) idempotently: reads the
 * current settings, sends only the keys that differ (nothing at all when up to date), waits for
 * the task and throws if it failed. Returns the keys it changed.
 */
export async function applySettings(
  client: Meilisearch,
  indexUid: string,
  desired: Settings = studyIndexSettings(),
): Promise<string[]> {
  const index = client.index(indexUid);
  const current = await index.getSettings();
  const diff = settingsDiff(current, desired);
  const keys = Object.keys(diff);
  if (keys.length === 0) return [];
  const enqueued = await index.updateSettings(diff);
  assertSucceeded(await waitForTask(client, enqueued.taskUid), `settings update of ${indexUid} (${keys.join(", ")})`);
  return keys;
}
