/**
 * The embedded search engine: SQLite FTS5 in the portal's own database (migration 0008), the
 * zero-setup default. Same contract as the Meilisearch engine (tests/search/contract.ts).
 *
 * How a text query matches (all text is pre-normalised by app/search/norwegian.server.ts):
 * - words: every query word must match; the last one also as a prefix (type-ahead);
 * - typos: a word of 5+ letters may be one edit away from an indexed word, 9+ letters two edits
 *   (Meilisearch's defaults), found through a SymSpell-style deletion table, never by scanning;
 *   never for a known medical term, and a typo near several of them is read as the nearest
 *   (app/search/medical-terms.server.ts: "hjerteinfarkt" never finds "hjerneinfarkt");
 * - compounds: a typed word of 3+ letters also matches indexed words that contain it ("kreft" finds
 *   "lungekreft"), found through a trigram index over the vocabulary (migration 0012), then matched
 *   as ordinary words in the short fields;
 * - synonyms (data/search/synonyms.json): lay ↔ medical ↔ ICD-10, as alternative phrasings;
 *   ICD-10 codes are words of their own ("c50", "c509") and tie to their synonym group.
 * Ranking: exact/prefix matches by bm25 (title weighs most), then typo matches, then substring
 * matches. A word in thousands of studies is not bm25-scored row by row (bm25 costs several µs per
 * row): its matches rank by the field they are in (title, then conditions/codes/categories, then
 * the rest), title matches by bm25, and ties by newest. Status filters are computed from `now` at query time from each site's window.
 *
 * This module runs SQL outside app/models on purpose: the search tables are the engine's own
 * derived store (like Meilisearch's), rebuilt from the studies at any time.
 */
import type { Statement } from "better-sqlite3";
import { randomBytes } from "node:crypto";
import type { Db } from "#app/db.server";
import { groupByStudy } from "#app/domain/group-by-study";
import { SQLITE_FTS_GENERATION_KEY } from "#app/models/meta-keys";
import { studyStopsIncludingAt } from "#app/domain/window-status";
import { NEVER_OVERDUE } from "./document-mapper";
import { markWords } from "./highlight";
import { icd10Chapter, icd10Prefixes, icd10SearchTokens, STOP_WORDS } from "./meilisearch-settings";
import { isKnownTerm, safeQuery } from "./medical-terms.server";
import { normaliseNorwegian, tokens } from "./norwegian.server";
import { allowedTypos, editDistance, oneDeletions, queryText, validNumber, validStatuses } from "./query-terms";
import {
  compileFilter,
  comparator,
  eachMatch,
  ensureStatus,
  FacetCounter,
  haversineKm,
  patchStatus,
  siteEntry,
  SITE_PAUSED,
  studyEntry,
  StudyTable,
  TextScores,
  TopK,
  WEAK_MATCH_BAND,
  type Match,
  type SiteEntry,
  type StudyEntry,
} from "./filter-table";
import { expandWithSynonyms, synonymGroups, type SynonymGroup } from "./synonyms.server";
import type { SearchDocument, SearchEngine, SearchHealth, SearchHit, SearchQuery, SearchResult } from "./types";

const STOP = new Set<string>(STOP_WORDS);
/** app_meta key of the index generation: changes with every write to the search tables (see filterTable()); the open API's answer cache reads it too. */
export const GENERATION_KEY = SQLITE_FTS_GENERATION_KEY;
const MIN_TERM_LENGTH = 4;
const MAX_TYPO_CANDIDATES = 12;
/** Vocabulary words containing a typed word that the substring arm tries (most specific first). */
const MAX_CONTAINING_TERMS = 64;
/** Above this many exact matches, rank by field tier instead of bm25 over every row. */
const BM25_ROW_LIMIT = 2_000;
const TITLE_COLUMNS = "{title title_en}";
const CONDITION_COLUMNS = "{conditions codes categories}";
/** The fields compounds are matched in (the summary would match too much by substring). */
const SHORT_COLUMNS = "{title conditions codes categories interventions places}";
/** Field tiers of a broad match: title by bm25 (negative), then these constants. */
const TITLE_TIER = 0;
const CONDITION_TIER = 100;
const ANSWER_CACHE_SIZE = 500;
/** More changed studies than this since the table was loaded: reload it all (as cheap, and simpler). */
const CATCH_UP_LIMIT = 2_000;
/** search_changes rows kept (a reader further behind reloads it all); pruned once this many more have piled up. */
const CHANGE_LOG_KEEP = 20_000;
const CHANGE_LOG_PRUNE_EVERY = 1_000;
const OTHER_FIELD_TIER = 300;
/** Score offsets that put every typo match after every exact one, and substrings after both (TYPO_TIER + OTHER_FIELD_TIER stays below SUBSTRING_TIER). */
const TYPO_TIER = 1_000;
const SUBSTRING_TIER = 2_000;
/** bm25 column weights: title, conditions, codes, categories, interventions, places, summary, title_en. */
const BM25 = "bm25(search_fts, 10.0, 8.0, 6.0, 3.0, 4.0, 2.0, 1.0, 2.0)";
const SEARCH_TABLES = [
  "search_studies",
  "search_sites",
  "search_study_values",
  "search_fts",
  "search_term_grams",
  "search_terms",
  "search_term_deletes",
];

/** A compiled text query: FTS5 expressions per tier, and the words to highlight. */
interface TextPlan {
  exact: string | null;
  typo: string | null;
  substring: string | null;
  /** ICD-10 prefixes implied by synonym groups the query hit (they match the codes directly). */
  icd10: string[];
  highlightWords: Set<string>;
  substringWords: string[];
  prefixWord: string | null;
}

const ftsTerm = (w: string) => `"${w}"`;

/**
 * An OR of AND-groups with the terms every group shares taken out: (A ∧ B) ∨ (A ∧ C) = A ∧ (B ∨ C).
 * FTS5's bm25 scans the whole doclist of each phrase of the expression once per occurrence, and
 * synonym alternatives repeat the query's other words: "diabetes type 2 insulin" listed "type" and
 * "2" (each in thousands of studies) once per alternative, which made its bm25 arm ~20 ms.
 */
export function orOfAnds(groups: string[][]): string {
  const and = (terms: string[]) => `(${terms.join(" AND ")})`;
  if (groups.length === 1) return and(groups[0]!);
  const common = [...new Set(groups[0]!)].filter((t) => groups.every((g) => g.includes(t)));
  if (common.length === 0) return groups.map(and).join(" OR ");
  const rests = groups.map((g) => g.filter((t) => !common.includes(t)));
  // A group that is only shared terms makes the OR true: the shared terms alone are the answer.
  if (rests.some((rest) => rest.length === 0)) return and(common);
  return and([...common, `(${rests.map(and).join(" OR ")})`]);
}

/** Groups with their ICD-10 codes as terms too, so "c50" expands to "brystkreft" and back. */
function groupsWithCodes(groups: SynonymGroup[]): SynonymGroup[] {
  return groups.map((g) => ({
    terms: [...new Set([...g.terms, ...g.icd10.map((c) => c.toLowerCase())])],
    icd10: g.icd10,
  }));
}

let cachedGroups: { source: SynonymGroup[]; withCodes: SynonymGroup[] } | null = null;
function synonymGroupsWithCodes(): SynonymGroup[] {
  const source = synonymGroups();
  if (cachedGroups?.source !== source) cachedGroups = { source, withCodes: groupsWithCodes(source) };
  return cachedGroups.withCodes;
}

export class SqliteFtsEngine implements SearchEngine {
  readonly name = "sqlite-fts" as const;
  private readonly statements = new Map<string, Statement>();
  /** Words already in search_terms (skips a write per word on every re-index). */
  private readonly knownTerms = new Set<string>();
  private table: StudyTable | null = null;
  private tableGeneration: string | null = null;
  /** The last search_changes row the table includes (null: unknown, reload it all when behind). */
  private tableSeq: number | null = null;
  /** How the table kept up: whole loads, catch-ups, and studies read by catch-ups (metrics, tests). */
  readonly tableReads = { loads: 0, catchUps: 0, studiesRead: 0 };

  /**
   * Answers of recent searches. Exact, not a TTL cache: an answer is a function of the query, the
   * index (tableGeneration) and the site statuses at `now`, which are constant within a status
   * epoch (app/search/filter-table.ts) — so an entry is reused only for the same generation and an
   * instant inside the epoch it was computed in. Popular searches (the front page, "kreft") are
   * then answered without touching FTS5.
   */
  private readonly answers = new Map<
    string,
    { generation: string | null; from: number; until: number; result: SearchResult }
  >();

  /**
   * `bm25RowLimit`: see BM25_ROW_LIMIT (tests lower it to exercise the broad-word ranking).
   * `answerCache`: how many answers to keep (0 turns it off; the search benchmark measures the
   * engine itself with it off).
   */
  constructor(
    private readonly db: Db,
    private readonly options: { bm25RowLimit?: number; answerCache?: number } = {},
  ) {}

  private stmt(sql: string): Statement {
    let s = this.statements.get(sql);
    if (!s) this.statements.set(sql, (s = this.db.prepare(sql)));
    return s;
  }

  async setup(): Promise<void> {
    const missing = SEARCH_TABLES.filter((t) => !this.stmt("SELECT 1 FROM sqlite_schema WHERE name = ?").get(t));
    if (missing.length)
      throw new Error(
        `The search tables ${missing.join(", ")} are missing: run npm run db:migrate (migrations 0008_search_fts, 0012_search_term_grams)`,
      );
  }

  // -------------------------------------------------------------------------------------------
  // Writing

  async indexStudies(studyIds: number[], documents: SearchDocument[]): Promise<void> {
    const ids = [...new Set([...studyIds, ...documents.map((d) => d.studyId)])];
    for (const id of ids) if (!Number.isSafeInteger(id)) throw new RangeError(`Invalid study id ${id}`);
    this.db
      .transaction(() => {
        this.deleteStudies(ids);
        this.insertDocuments(documents);
        this.recordChanges(ids);
      })
      .immediate();
  }

  async removeStudies(studyIds: number[]): Promise<void> {
    for (const id of studyIds) if (!Number.isSafeInteger(id)) throw new RangeError(`Invalid study id ${id}`);
    this.db
      .transaction(() => {
        this.deleteStudies(studyIds);
        this.recordChanges(studyIds);
      })
      .immediate();
  }

  /**
   * One transaction for the whole rebuild: other connections keep searching the old index until
   * it commits, and nothing in between is ever visible. (This connection is blocked meanwhile:
   * better-sqlite3 is synchronous, so async batches are collected first.)
   */
  async rebuild(batches: AsyncIterable<SearchDocument[]> | Iterable<SearchDocument[]>): Promise<void> {
    let source: Iterable<SearchDocument[]>;
    if (Symbol.asyncIterator in batches) {
      const collected: SearchDocument[][] = [];
      for await (const b of batches as AsyncIterable<SearchDocument[]>) collected.push(b);
      source = collected;
    } else source = batches as Iterable<SearchDocument[]>;
    this.db
      .transaction(() => {
        for (const table of SEARCH_TABLES) {
          this.stmt(`DELETE FROM ${table}`).run();
        }
        this.knownTerms.clear();
        for (const batch of source) this.insertDocuments(batch);
        this.recordChanges(null);
      })
      .immediate();
    this.table = null;
    this.stmt("INSERT INTO search_fts (search_fts) VALUES ('optimize')").run();
  }

  private deleteStudies(ids: number[]): void {
    for (const id of ids) {
      this.stmt("DELETE FROM search_studies WHERE study_id = ?").run(id);
      this.stmt("DELETE FROM search_sites WHERE study_id = ?").run(id);
      this.stmt("DELETE FROM search_study_values WHERE study_id = ?").run(id);
      this.stmt("DELETE FROM search_fts WHERE rowid = ?").run(id);
    }
  }

  private insertDocuments(documents: SearchDocument[]): void {
    for (const [studyId, docs] of groupByStudy(documents)) this.insertStudy(studyId, docs);
  }

  private insertStudy(studyId: number, docs: SearchDocument[]): void {
    const d = docs[0]!;
    const sites = docs.filter((x) => x.siteId != null);
    const studyClosesAt = studyStopsIncludingAt(docs);
    this.stmt(
      `INSERT INTO search_studies (study_id, title, short_title, title_n, study_type, phase, sex, min_age, max_age, healthy_volunteers, updated_at, study_closes_at, is_demo, confirmed_until)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      studyId,
      d.title,
      d.shortTitle,
      normaliseNorwegian(d.title),
      d.studyType,
      d.phase,
      d.sex,
      d.minAgeYears,
      d.maxAgeYears,
      d.healthyVolunteers ? 1 : 0,
      d.updatedAt,
      studyClosesAt,
      d.isDemo ? 1 : 0,
      d.studyConfirmedUntil,
    );
    const insertSite = this.stmt(
      `INSERT INTO search_sites (doc_id, study_id, site_id, region_id, organisation_id, hospital_id, opens_at, closes_at, paused, lat, lon)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const s of sites) {
      const geo = s.lat != null && s.lon != null && Number.isFinite(s.lat) && Number.isFinite(s.lon);
      insertSite.run(
        s.id,
        studyId,
        s.siteId,
        s.regionId,
        s.organisationId,
        s.hospitalId,
        s.opensAt,
        s.closesAt,
        s.paused ? 1 : 0,
        geo ? s.lat : null,
        geo ? s.lon : null,
      );
    }
    const insertValue = this.stmt("INSERT OR IGNORE INTO search_study_values (kind, value, study_id) VALUES (?, ?, ?)");
    for (const c of d.categories) insertValue.run("category", c, studyId);
    for (const p of icd10Prefixes(d.icd10)) insertValue.run("icd10", p, studyId);
    for (const c of new Set(d.icd10.map(icd10Chapter))) if (c) insertValue.run("chapter", c, studyId);

    const places = [d.leadOrganisationName, ...sites.flatMap((s) => [s.organisationName, s.hospitalName])].filter(
      (x): x is string => !!x,
    );
    const text = {
      title: [d.title, d.shortTitle].filter(Boolean).join(" \n "),
      conditions: d.conditions.join(" \n "),
      codes: [...icd10SearchTokens(d.icd10), ...d.icd10Names].join(" \n "),
      categories: d.categoryNames.join(" \n "),
      interventions: d.interventions.join(" \n "),
      places: [...new Set(places)].join(" \n "),
      summary: d.summary ?? "",
      titleEn: d.titleEn ?? "",
    };
    const n = Object.fromEntries(
      Object.entries(text).map(([k, v]) => [k, normaliseNorwegian(v.replace(/\n/g, " | "))]),
    ) as typeof text;
    this.stmt(
      "INSERT INTO search_fts (rowid, title, conditions, codes, categories, interventions, places, summary, title_en) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    ).run(studyId, n.title, n.conditions, n.codes, n.categories, n.interventions, n.places, n.summary, n.titleEn);
    this.addTerms(Object.values(n).join(" "));
  }

  private addTerms(text: string): void {
    const insertTerm = this.stmt("INSERT OR IGNORE INTO search_terms (term) VALUES (?)");
    const insertDelete = this.stmt("INSERT OR IGNORE INTO search_term_deletes (del, term) VALUES (?, ?)");
    const insertGrams = this.stmt("INSERT INTO search_term_grams (term) VALUES (?)");
    for (const term of new Set(text.split(" "))) {
      if (term.length < MIN_TERM_LENGTH || /\d/.test(term) || this.knownTerms.has(term)) continue;
      if (this.knownTerms.size > 1_000_000) this.knownTerms.clear();
      this.knownTerms.add(term);
      if (insertTerm.run(term).changes === 0) continue;
      insertGrams.run(term);
      for (const del of oneDeletions(term)) insertDelete.run(del, term);
    }
  }

  // -------------------------------------------------------------------------------------------
  // Reading

  /** Indexed words within the allowed edit distance of `word` (never `word` itself). */
  typoCandidates(word: string): string[] {
    const max = allowedTypos(word);
    // A known medical term is never read as a typo of another word (app/search/medical-terms.server.ts).
    if (max === 0 || isKnownTerm(word)) return [];
    const d1 = oneDeletions(word);
    const keys = new Set<string>([word, ...d1]);
    if (max >= 2) for (const x of d1) for (const y of oneDeletions(x)) keys.add(y);
    const list = [...keys];
    const found = new Set<string>();
    // Chunks keep the statement count (and SQLite's parameter limit) small and cacheable.
    for (let i = 0; i < list.length; i += 50) {
      const chunk = list.slice(i, i + 50);
      const marks = chunk.map(() => "?").join(", ");
      for (const t of this.stmt(
        `SELECT term FROM search_term_deletes WHERE del IN (${marks}) UNION SELECT term FROM search_terms WHERE term IN (${marks})`,
      )
        .pluck()
        .all(...chunk, ...chunk) as string[]) {
        found.add(t);
      }
    }
    found.delete(word);
    return [...found]
      .map((t) => ({ t, d: editDistance(word, t, max) }))
      .filter((x) => x.d <= max)
      .sort((a, b) => a.d - b.d || a.t.localeCompare(b.t))
      .slice(0, MAX_TYPO_CANDIDATES)
      .map((x) => x.t);
  }

  /** Indexed words that contain `word` and are longer (never `word` itself), most specific first. */
  containingTerms(word: string): string[] {
    if (word.length < 3 || !/^[a-z0-9]+$/.test(word)) return [];
    const found = this.stmt("SELECT term FROM search_term_grams WHERE search_term_grams MATCH ?")
      .pluck()
      .all(ftsTerm(word)) as string[];
    return found
      .filter((t) => t !== word && t.includes(word))
      .sort((a, b) => a.length - b.length || a.localeCompare(b))
      .slice(0, MAX_CONTAINING_TERMS);
  }

  private textPlan(raw: string | undefined): TextPlan | null {
    const q = safeQuery(queryText(raw));
    if (!q) return null;
    const words = q.split(" ");
    const kept = words.filter((w) => !STOP.has(w));
    const normalised = (kept.length ? kept : words).join(" ");
    // Synonyms are looked up in what was typed, stop words included ("blodpropp i hjertet" is a
    // term), and each alternative then drops its stop words as the query does.
    const expansion = expandWithSynonyms(q, synonymGroupsWithCodes());
    const withoutStop = (p: string) => {
      const all = p.split(" ").filter(Boolean);
      const rest = all.filter((w) => !STOP.has(w));
      return rest.length ? rest : all;
    };
    const phrases = [
      ...new Map(
        expansion.phrases
          .map((p) => withoutStop(p))
          .filter((p) => p.length > 0)
          .map((p) => [p.join(" "), p]),
      ).values(),
    ];
    const last = normalised.split(" ").at(-1)!;
    const highlightWords = new Set<string>();
    const exactParts: string[][] = [];
    const typoParts: string[][] = [];
    const substringParts: string[] = [];
    const typoCache = new Map<string, string[]>();
    for (const phrase of phrases) {
      const isQuery = phrase.join(" ") === normalised;
      const exactWords: string[] = [];
      const typoWords: string[] = [];
      const substringWords: string[] = [];
      let anyTypo = false;
      let anySubstring = false;
      phrase.forEach((w, i) => {
        highlightWords.add(w);
        // Type-ahead: the last word of what the user typed also matches as a prefix ("w"* matches
        // the word itself too, so no separate exact term) — in every alternative that ends with
        // it, so the alternatives share that term (see orOfAnds).
        const prefix = i === phrase.length - 1 && w === last && w.length >= 2 && !/\d/.test(w);
        const exact = prefix ? `${ftsTerm(w)}*` : ftsTerm(w);
        const covered = (t: string) => prefix && t.startsWith(w);
        exactWords.push(exact);
        let typos = typoCache.get(w);
        if (!typos) typoCache.set(w, (typos = isQuery ? this.typoCandidates(w) : []));
        for (const t of typos) highlightWords.add(t);
        // Candidates the prefix already matches would only re-find exact hits at a worse tier.
        const newTypos = typos.filter((t) => !covered(t));
        if (newTypos.length) anyTypo = true;
        typoWords.push(newTypos.length ? `(${[exact, ...newTypos.map(ftsTerm)].join(" OR ")})` : exact);
        // Substrings only for what was typed: a synonym inside a longer word is another concept
        // ("infarkt", a synonym of hjerteinfarkt, sits inside "hjerneinfarkt").
        const containing = isQuery ? this.containingTerms(w).filter((t) => !covered(t)) : [];
        if (containing.length) anySubstring = true;
        substringWords.push(containing.length ? `(${[exact, ...containing.map(ftsTerm)].join(" OR ")})` : exact);
      });
      exactParts.push(exactWords);
      // One word: the typo arm needs only the candidates (the exact arm finds the word itself).
      if (anyTypo) typoParts.push(phrase.length === 1 ? [typoWords[0]!.replace(/^\((?:[^ ]+) OR /, "(")] : typoWords);
      if (anySubstring) {
        const only =
          phrase.length === 1
            ? substringWords[0]!.replace(/^\((?:[^ ]+) OR /, "(")
            : `(${substringWords.join(" AND ")})`;
        substringParts.push(only);
      }
    }
    return {
      exact: orOfAnds(exactParts),
      typo: typoParts.length ? orOfAnds(typoParts) : null,
      substring: substringParts.length ? `${SHORT_COLUMNS} : (${substringParts.join(" OR ")})` : null,
      icd10: expansion.icd10,
      highlightWords,
      substringWords: normalised.split(" ").filter((w) => w.length >= 3),
      prefixWord: last.length >= 2 ? last : null,
    };
  }

  /**
   * FTS5 arms of a text query: study id → best score (lower is better).
   *
   * `conditions`: whether a broad word's condition tier is looked up ("now"), left out because the
   * order cannot depend on it ("skip": sorted by newest), or left out for now ("defer": unless
   * there are fewer title matches than the `wanted` page * perPage; the caller checks that the
   * page it got is all title matches, and asks again with "now" when it is not).
   * The condition arm only moves studies the exact arm found from the "other field" tier up to the
   * condition tier, so leaving it out changes neither the total nor the facets.
   */
  private textScores(
    plan: TextPlan,
    table: StudyTable,
    conditions: "now" | "defer" | "skip",
    wanted: number,
    blend = false,
  ): { scores: TextScores; deferred: boolean } {
    const scores = new TextScores(table);
    let deferred = false;
    const match = "SELECT rowid FROM search_fts WHERE search_fts MATCH ?";
    // Words and a place (ADR 0024): the good matches — the words as written (or a synonym) in the
    // title, the conditions or the diagnosis codes — keep their scores, every other match is
    // moved into the weak band; the comparator then sorts each band by distance.
    const good = blend ? this.goodMatches(plan) : null;
    const keep = good
      ? (id: number, score: number) => scores.keep(id, good.has(id) ? score : score + WEAK_MATCH_BAND)
      : (id: number, score: number) => scores.keep(id, score);
    const keepBest = (rows: [number, number][]) => {
      for (const [id, score] of rows) keep(id, score);
    };
    const constant = (sql: string, params: unknown[], score: number) => {
      for (const id of this.stmt(sql)
        .pluck()
        .all(...params) as number[])
        keep(id, score);
    };
    const scored = (tier: number) => `SELECT rowid, ${tier} + ${BM25} FROM search_fts WHERE search_fts MATCH ?`;
    const limit = this.options.bm25RowLimit ?? BM25_ROW_LIMIT;
    if (plan.exact) {
      const ids = this.stmt(match).pluck().all(plan.exact) as number[];
      if (ids.length <= limit) keepBest(this.stmt(scored(0)).raw().all(plan.exact) as [number, number][]);
      else {
        // A broad word: ranked by the field it is in; bm25 only among few title matches.
        for (const id of ids) keep(id, OTHER_FIELD_TIER);
        const inTitle = `${TITLE_COLUMNS} : (${plan.exact})`;
        const titleIds = this.stmt(match).pluck().all(inTitle) as number[];
        if (titleIds.length <= limit) keepBest(this.stmt(scored(0)).raw().all(inTitle) as [number, number][]);
        else for (const id of titleIds) keep(id, TITLE_TIER);
        // Fewer title matches than the page needs: the page will reach the condition tier.
        if (conditions === "now" || (conditions === "defer" && titleIds.length < wanted))
          constant(match, [`${CONDITION_COLUMNS} : (${plan.exact})`], CONDITION_TIER);
        else deferred = conditions === "defer";
      }
    }
    if (plan.typo) {
      const ids = this.stmt(match).pluck().all(plan.typo) as number[];
      if (ids.length <= limit) keepBest(this.stmt(scored(TYPO_TIER)).raw().all(plan.typo) as [number, number][]);
      else {
        // A typo of a broad word ("brystkrfet"): title matches first, then the rest, by newest.
        for (const id of ids) keep(id, TYPO_TIER + OTHER_FIELD_TIER);
        constant(match, [`${TITLE_COLUMNS} : (${plan.typo})`], TYPO_TIER + TITLE_TIER);
      }
    }
    if (plan.substring) constant(match, [plan.substring], SUBSTRING_TIER);
    if (plan.icd10.length) {
      constant(
        `SELECT study_id FROM search_study_values WHERE kind = 'icd10' AND value IN (SELECT value FROM json_each(?))`,
        [JSON.stringify(plan.icd10.map((c) => c.toUpperCase()))],
        TYPO_TIER,
      );
    }
    return { scores, deferred };
  }

  /** Studies whose title, conditions or diagnosis codes hold the words as written (or a synonym). */
  private goodMatches(plan: TextPlan): Set<number> {
    const good = new Set<number>();
    if (plan.exact)
      for (const id of this.stmt("SELECT rowid FROM search_fts WHERE search_fts MATCH ?")
        .pluck()
        .all(`{title title_en conditions codes categories} : (${plan.exact})`) as number[])
        good.add(id);
    if (plan.icd10.length)
      for (const id of this.stmt(
        `SELECT study_id FROM search_study_values WHERE kind = 'icd10' AND value IN (SELECT value FROM json_each(?))`,
      )
        .pluck()
        .all(JSON.stringify(plan.icd10.map((c) => c.toUpperCase()))) as number[])
        good.add(id);
    return good;
  }

  // -------------------------------------------------------------------------------------------
  // The in-memory filter table (app/search/filter-table.ts), kept in step with the search tables by a
  // generation value in app_meta and the search_changes log (migration 0024). Every write — by
  // this process, the search-indexing thread or another process — logs the studies it touched and
  // moves the generation; a search that finds the generation moved reads only those studies again
  // (an ingest batch of 100 costs 100 studies per serving process, not the whole table). A rebuild,
  // a log pruned past the table, or a change of more than CATCH_UP_LIMIT studies reloads it all.

  private generationNow(): string | null {
    return (
      (this.stmt("SELECT value FROM app_meta WHERE key = ?").pluck().get(GENERATION_KEY) as string | undefined) ?? null
    );
  }

  /** Inside a write transaction: logs the studies it touched (null: all of them) and moves the generation. */
  private recordChanges(studyIds: readonly number[] | null): void {
    const log = this.stmt("INSERT INTO search_changes (study_id) VALUES (?)");
    if (studyIds === null) log.run(null);
    else for (const id of new Set(studyIds)) log.run(id);
    const [first, last] = this.stmt("SELECT min(seq), max(seq) FROM search_changes").raw().get() as [number, number];
    if (last - first >= CHANGE_LOG_KEEP + CHANGE_LOG_PRUNE_EVERY)
      this.stmt("DELETE FROM search_changes WHERE seq <= ?").run(last - CHANGE_LOG_KEEP);
    this.stmt(
      "INSERT INTO app_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    ).run(GENERATION_KEY, `${last}-${randomBytes(6).toString("hex")}`);
  }

  private filterTable(): StudyTable {
    const generation = this.generationNow();
    if (this.table && generation === this.tableGeneration) return this.table;
    // One read transaction: the generation, the log and the rows are one snapshot of the index.
    return this.db.transaction(() => this.catchUp() ?? this.loadTable())();
  }

  /** Brings the loaded table up to the index by the studies logged since it was loaded; null when it cannot. */
  private catchUp(): StudyTable | null {
    const table = this.table;
    if (!table || this.tableSeq == null) return null;
    const changes = this.stmt("SELECT seq, study_id FROM search_changes WHERE seq > ? ORDER BY seq LIMIT ?")
      .raw()
      .all(this.tableSeq, CATCH_UP_LIMIT + 1) as [number, number | null][];
    // A gap means rows were pruned (or a write logged nothing): the log no longer says what changed.
    if (changes.length === 0 || changes.length > CATCH_UP_LIMIT || changes[0]![0] !== this.tableSeq + 1) return null;
    if (changes.some(([, id]) => id === null)) return null;
    const ids = [...new Set(changes.map(([, id]) => id!))];
    for (const id of ids) table.delete(id);
    const added = this.readEntries(ids);
    for (const [id, entry] of added) table.set(id, entry);
    // Removed studies took their sites with them; added ones get the current epoch's statuses.
    patchStatus(
      table,
      added.map(([, e]) => e),
    );
    this.tableSeq = changes[changes.length - 1]![0];
    this.tableGeneration = this.generationNow();
    this.tableReads.catchUps++;
    this.tableReads.studiesRead += ids.length;
    return table;
  }

  private loadTable(): StudyTable {
    const generation = this.generationNow();
    const seq = this.stmt("SELECT max(seq) FROM search_changes").pluck().get() as number | null;
    const table = new StudyTable(this.readEntries(null));
    this.table = table;
    this.tableGeneration = generation;
    this.tableSeq = seq ?? 0;
    this.tableReads.loads++;
    return table;
  }

  /** Filter-table entries of the given studies (null: every study), read from the search tables. */
  private readEntries(ids: readonly number[] | null): [number, StudyEntry][] {
    // All three in study order, merged: each entry is made whole at once (its sites, arrays and
    // codes right after it), so what one study's check reads sits together in memory — the
    // search pass is bound by memory reads, and scattering an entry's parts over the heap made
    // it slower.
    const only = ids === null ? "" : "WHERE study_id IN (SELECT value FROM json_each(?))";
    const args = ids === null ? [] : [JSON.stringify(ids)];
    const studies = this.stmt(
      `SELECT study_id, study_type, phase, sex, min_age, max_age, healthy_volunteers, updated_at, study_closes_at, confirmed_until FROM search_studies ${only} ORDER BY study_id`,
    )
      .raw()
      .all(...args) as [
      number,
      string,
      string | null,
      string,
      number | null,
      number | null,
      number,
      number,
      number | null,
      number | null,
    ][];
    const values = this.stmt(`SELECT study_id, kind, value FROM search_study_values ${only} ORDER BY study_id`)
      .raw()
      .all(...args) as [number, string, string][];
    const sites = this.stmt(
      `SELECT study_id, site_id, region_id, organisation_id, hospital_id, opens_at, closes_at, paused, lat, lon FROM search_sites ${only} ORDER BY study_id, site_id`,
    )
      .raw()
      .all(...args) as [
      number,
      number,
      string | null,
      string | null,
      string | null,
      number | null,
      number | null,
      number,
      number | null,
      number | null,
    ][];
    const entries: [number, StudyEntry][] = [];
    let v = 0;
    let si = 0;
    for (const [id, type, phase, sex, minAge, maxAge, hv, updatedAt, closesAt, confirmedUntil] of studies) {
      while (v < values.length && values[v]![0] < id) v++;
      while (si < sites.length && sites[si]![0] < id) si++;
      const studySites: SiteEntry[] = [];
      for (; si < sites.length && sites[si]![0] === id; si++) {
        const [, siteId, regionId, organisationId, hospitalId, opensAt, closesAt, paused, lat, lon] = sites[si]!;
        studySites.push(
          siteEntry({
            siteId,
            regionId,
            organisationId,
            hospitalId,
            opensAt,
            closesAt,
            paused: paused === 1,
            lat,
            lon,
            status: SITE_PAUSED,
          }),
        );
      }
      const categories: string[] = [];
      const prefixes = new Set<string>();
      const chapters: string[] = [];
      for (; v < values.length && values[v]![0] === id; v++) {
        const [, kind, value] = values[v]!;
        if (kind === "category") categories.push(value);
        else if (kind === "icd10") prefixes.add(value);
        else if (kind === "chapter") chapters.push(value);
      }
      entries.push([
        id,
        studyEntry({
          studyId: id,
          studyType: type,
          phase,
          sex,
          minAge,
          maxAge,
          healthyVolunteers: hv === 1,
          updatedAt,
          studyClosesAt: closesAt,
          // Rows written before migration 0020 have none: never overdue until reindexed.
          confirmedUntil: confirmedUntil ?? NEVER_OVERDUE,
          categories,
          icd10Prefixes: prefixes,
          chapters,
          sites: studySites,
        }),
      ]);
    }
    return entries;
  }

  async search(query: SearchQuery): Promise<SearchResult> {
    const now = validNumber(query.now.getTime(), "now");
    const page = Math.max(1, Math.floor(query.page ?? 1));
    const perPage = Math.min(100, Math.max(1, Math.floor(query.perPage ?? 20)));
    const statuses = validStatuses(query.status);
    const near = query.near && Number.isFinite(query.near.lat) && Number.isFinite(query.near.lon) ? query.near : null;
    // The table first: loading it gives out the value codes the compiled filter looks up.
    const table = this.filterTable();
    const filter = compileFilter(query, statuses, now);
    const epoch = ensureStatus(table, now);
    const capacity = this.options.answerCache ?? ANSWER_CACHE_SIZE;
    const key = capacity > 0 ? answerKey(query, page, perPage) : null;
    if (key != null) {
      const hit = this.answers.get(key);
      if (hit && hit.generation === this.tableGeneration && now >= hit.from && now < hit.until) {
        this.answers.delete(key); // most recently used last
        this.answers.set(key, hit);
        return structuredClone(hit.result);
      }
    }
    const plan = this.textPlan(query.q);

    const k = page * perPage;
    const relevance = query.sort == null || query.sort === "relevance" || (query.sort === "distance" && near == null);
    // Words and a place: good matches nearest first, then the rest nearest first (ADR 0024).
    const blend = plan != null && near != null && (query.sort == null || query.sort === "relevance");
    // One pass over the matches: the total, the facet counts and the best page * perPage.
    const pass = (conditions: "now" | "defer" | "skip") => {
      const text = plan ? this.textScores(plan, table, conditions, k, blend) : null;
      const top = new TopK(k, comparator(query.sort, near != null, blend));
      const counter = new FacetCounter(new Set(query.facets ?? []), filter, now);
      let total = 0;
      eachMatch(table, text?.scores ?? null, filter, near, (entry, score, sites, distanceKm) => {
        total++;
        counter.add(entry, sites);
        top.offer(entry, score, sites, distanceKm);
      });
      return { top: top.items(), counter, total, deferred: text?.deferred ?? false };
    };
    let answer = pass(query.sort === "newest" ? "skip" : relevance && !blend ? "defer" : "now");
    // Without the condition tier the page is exact only if it is all title matches (they rank
    // before every condition match): else once more with it (rare: textScores already looks it up
    // when there are too few title matches; this is when the filters removed enough of them).
    if (answer.deferred && !(answer.top.length === k && answer.top[k - 1]!.score < CONDITION_TIER))
      answer = pass("now");
    const { counter, total } = answer;
    const pageMatches = answer.top.slice((page - 1) * perPage);

    const ids = pageMatches.map((m) => m.entry.studyId);
    const titles = new Map(
      (ids.length
        ? (this.stmt(
            "SELECT study_id, title, short_title FROM search_studies WHERE study_id IN (SELECT value FROM json_each(?))",
          )
            .raw()
            .all(JSON.stringify(ids)) as [number, string, string | null][])
        : []
      ).map(([id, title, shortTitle]) => [id, { title, shortTitle }]),
    );
    const hits: SearchHit[] = pageMatches.map((m) => {
      const t = titles.get(m.entry.studyId) ?? { title: "", shortTitle: null };
      return {
        studyId: m.entry.studyId,
        title: t.title,
        shortTitle: t.shortTitle,
        siteId:
          representativeSite(m, query.sort === "closing" ? "closing" : near ? "distance" : "id", near)?.siteId ?? null,
        distanceKm: m.distanceKm == null ? null : Math.round(m.distanceKm * 100) / 100,
        highlightedTitle: plan ? highlight(t.title, plan) : null,
      };
    });
    const facets = counter.result();
    const result: SearchResult = { hits, total, page, perPage, facets, engine: this.name };
    if (key != null) {
      this.answers.delete(key);
      this.answers.set(key, {
        generation: this.tableGeneration,
        from: epoch.from,
        until: epoch.until,
        result: structuredClone(result),
      });
      if (this.answers.size > capacity) this.answers.delete(this.answers.keys().next().value!);
    }
    return result;
  }

  async health(): Promise<SearchHealth> {
    try {
      const documents = this.stmt(
        "SELECT (SELECT count(*) FROM search_sites) + (SELECT count(*) FROM search_studies s WHERE NOT EXISTS (SELECT 1 FROM search_sites x WHERE x.study_id = s.study_id))",
      )
        .pluck()
        .get() as number;
      return { ok: true, engine: this.name, documents };
    } catch (e) {
      return { ok: false, engine: this.name, documents: null, error: e instanceof Error ? e.message : String(e) };
    }
  }
}

/** The site that made a hit match: the nearest, the soonest closing, or the lowest id. */
function representativeSite(
  m: Match,
  by: "distance" | "closing" | "id",
  near: { lat: number; lon: number } | null,
): SiteEntry | null {
  let best: SiteEntry | null = null;
  let bestKey = Infinity;
  for (const s of m.sites) {
    let key: number;
    if (by === "distance") key = near && s.lat != null && s.lon != null ? haversineKm(near, s.lat, s.lon) : Infinity;
    else if (by === "closing") key = s.closesAt ?? Infinity;
    else key = s.siteId;
    // Ties by the lower site id: the same site as the Meilisearch engine shows.
    if (best == null || key < bestKey || (key === bestKey && s.siteId < best.siteId)) {
      best = s;
      bestKey = key;
    }
  }
  return best;
}

/** The original title with matched words in <mark>, HTML-escaped; null when nothing matched. */
function highlight(title: string, plan: TextPlan): string | null {
  const isMatch = (word: string): boolean =>
    tokens(word).some(
      (p) =>
        plan.highlightWords.has(p) ||
        (plan.prefixWord != null && p.startsWith(plan.prefixWord)) ||
        plan.substringWords.some((w) => p.includes(w)),
    );
  return markWords(title, isMatch);
}

/** Everything a search answer depends on except the clock (which the status epoch covers). */
function answerKey(query: SearchQuery, page: number, perPage: number): string {
  const { now: _now, page: _page, perPage: _perPage, ...rest } = query;
  const sorted = Object.fromEntries(
    Object.entries(rest)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => a.localeCompare(b)),
  );
  return JSON.stringify([page, perPage, sorted]);
}
