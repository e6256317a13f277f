/**
 * The embedded search engine: SQLite FTS5 in the portal's own database (migration 0008), the
 * zero-setup default. Same contract as the Meilisearch engine (tests/search/contract.ts).
 *
 * How a text query matches (all text is pre-normalised by search/norwegian.ts):
 * - words: every query word must match; the last one also as a prefix (type-ahead);
 * - typos: a word of 5+ letters may be one edit away from an indexed word, 9+ letters two edits
 *   (Meilisearch's defaults), found through a SymSpell-style deletion table, never by scanning;
 * - compounds: a word of 3+ letters also matches inside longer words through a trigram index
 *   ("kreft" finds "lungekreft");
 * - synonyms (data/search/synonyms.json): lay ↔ medical ↔ ICD-10, as alternative phrasings;
 *   ICD-10 codes are words of their own ("c50", "c509") and tie to their synonym group.
 * Ranking: exact/prefix matches by bm25 (title weighs most), then typo matches, then substring
 * matches. Status filters are computed from `now` at query time from each site's window.
 *
 * This module runs SQL outside app/models on purpose: the search tables are the engine's own
 * derived store (like Meilisearch's), rebuilt from the studies at any time.
 */
import type { Statement } from "better-sqlite3";
import type { Db } from "../app/db.server";
import { escapeHtml } from "./meilisearch";
import { icd10Chapter, icd10Prefixes, icd10SearchTokens, STOP_WORDS } from "./meilisearch-settings";
import { normaliseNorwegian, tokens } from "./norwegian";
import {
  allowedTypos,
  editDistance,
  oneDeletions,
  queryText,
  validIcd10Prefix,
  validIds,
  validNumber,
  validStatuses,
} from "./query-terms";
import { expandWithSynonyms, synonymGroups, type SynonymGroup } from "./synonyms";
import type { Facet, SearchDocument, SearchEngine, SearchHealth, SearchHit, SearchQuery, SearchResult, StatusFilter } from "./types";

const STOP = new Set<string>(STOP_WORDS);
const MIN_TERM_LENGTH = 4;
const MAX_TYPO_CANDIDATES = 12;
/** Score offsets that put every typo match after every exact one, and substrings after both. */
const TYPO_TIER = 1_000;
const SUBSTRING_TIER = 2_000;
/** bm25 column weights: title, conditions, codes, categories, interventions, places, summary, title_en. */
const BM25 = "bm25(search_fts, 10.0, 8.0, 6.0, 3.0, 4.0, 2.0, 1.0, 2.0)";

interface SqlPart {
  sql: string;
  params: unknown[];
}

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

interface Representative {
  siteId: number;
  distance: number | null;
  closesAt: number | null;
}

const ftsTerm = (w: string) => `"${w}"`;

/** Groups with their ICD-10 codes as terms too, so "c50" expands to "brystkreft" and back. */
function groupsWithCodes(groups: SynonymGroup[]): SynonymGroup[] {
  return groups.map((g) => ({ terms: [...new Set([...g.terms, ...g.icd10.map((c) => c.toLowerCase())])], icd10: g.icd10 }));
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
  private tempReady = false;

  constructor(private readonly db: Db) {}

  private stmt(sql: string): Statement {
    let s = this.statements.get(sql);
    if (!s) this.statements.set(sql, (s = this.db.prepare(sql)));
    return s;
  }

  async setup(): Promise<void> {
    const missing = ["search_studies", "search_sites", "search_study_values", "search_fts", "search_trigram", "search_terms", "search_term_deletes"].filter(
      (t) => !this.stmt("SELECT 1 FROM sqlite_schema WHERE name = ?").get(t),
    );
    if (missing.length) throw new Error(`The search tables ${missing.join(", ")} are missing: run npm run db:migrate (migration 0008_search_fts)`);
  }

  // -------------------------------------------------------------------------------------------
  // Writing

  async indexStudies(studyIds: number[], documents: SearchDocument[]): Promise<void> {
    const ids = [...new Set([...studyIds, ...documents.map((d) => d.studyId)])];
    for (const id of ids) if (!Number.isSafeInteger(id)) throw new RangeError(`Invalid study id ${id}`);
    this.db.transaction(() => {
      this.deleteStudies(ids);
      this.insertDocuments(documents);
    })();
  }

  async removeStudies(studyIds: number[]): Promise<void> {
    for (const id of studyIds) if (!Number.isSafeInteger(id)) throw new RangeError(`Invalid study id ${id}`);
    this.db.transaction(() => this.deleteStudies(studyIds))();
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
    this.db.transaction(() => {
      for (const table of ["search_studies", "search_sites", "search_study_values", "search_fts", "search_trigram", "search_terms", "search_term_deletes"]) {
        this.stmt(`DELETE FROM ${table}`).run();
      }
      this.knownTerms.clear();
      for (const batch of source) this.insertDocuments(batch);
    })();
    this.stmt("INSERT INTO search_fts (search_fts) VALUES ('optimize')").run();
    this.stmt("INSERT INTO search_trigram (search_trigram) VALUES ('optimize')").run();
  }

  private deleteStudies(ids: number[]): void {
    for (const id of ids) {
      this.stmt("DELETE FROM search_studies WHERE study_id = ?").run(id);
      this.stmt("DELETE FROM search_sites WHERE study_id = ?").run(id);
      this.stmt("DELETE FROM search_study_values WHERE study_id = ?").run(id);
      this.stmt("DELETE FROM search_fts WHERE rowid = ?").run(id);
      this.stmt("DELETE FROM search_trigram WHERE rowid = ?").run(id);
    }
  }

  private insertDocuments(documents: SearchDocument[]): void {
    const byStudy = new Map<number, SearchDocument[]>();
    for (const d of documents) {
      const list = byStudy.get(d.studyId);
      if (list) list.push(d);
      else byStudy.set(d.studyId, [d]);
    }
    for (const [studyId, docs] of byStudy) this.insertStudy(studyId, docs);
  }

  private insertStudy(studyId: number, docs: SearchDocument[]): void {
    const d = docs[0]!;
    const sites = docs.filter((x) => x.siteId != null);
    const active = sites.filter((x) => !x.paused).map((x) => x.closesAt);
    const studyClosesAt = active.length === 0 || active.some((c) => c == null) ? null : Math.max(...(active as number[]));
    this.stmt(
      `INSERT INTO search_studies (study_id, title, short_title, title_n, study_type, phase, sex, min_age, max_age, healthy_volunteers, updated_at, study_closes_at, is_demo)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      studyId, d.title, d.shortTitle, normaliseNorwegian(d.title), d.studyType, d.phase, d.sex, d.minAgeYears, d.maxAgeYears,
      d.healthyVolunteers ? 1 : 0, d.updatedAt, studyClosesAt, d.isDemo ? 1 : 0,
    );
    const insertSite = this.stmt(
      `INSERT INTO search_sites (doc_id, study_id, site_id, region_id, organisation_id, hospital_id, opens_at, closes_at, paused, lat, lon)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const s of sites) {
      const geo = s.lat != null && s.lon != null && Number.isFinite(s.lat) && Number.isFinite(s.lon);
      insertSite.run(s.id, studyId, s.siteId, s.regionId, s.organisationId, s.hospitalId, s.opensAt, s.closesAt, s.paused ? 1 : 0, geo ? s.lat : null, geo ? s.lon : null);
    }
    const insertValue = this.stmt("INSERT OR IGNORE INTO search_study_values (kind, value, study_id) VALUES (?, ?, ?)");
    for (const c of d.categories) insertValue.run("category", c, studyId);
    for (const p of icd10Prefixes(d.icd10)) insertValue.run("icd10", p, studyId);
    for (const c of new Set(d.icd10.map(icd10Chapter))) if (c) insertValue.run("chapter", c, studyId);

    const places = [d.leadOrganisationName, ...sites.flatMap((s) => [s.organisationName, s.hospitalName])].filter((x): x is string => !!x);
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
    const n = Object.fromEntries(Object.entries(text).map(([k, v]) => [k, normaliseNorwegian(v.replace(/\n/g, " | "))])) as typeof text;
    this.stmt(
      "INSERT INTO search_fts (rowid, title, conditions, codes, categories, interventions, places, summary, title_en) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    ).run(studyId, n.title, n.conditions, n.codes, n.categories, n.interventions, n.places, n.summary, n.titleEn);
    // Substrings only in the short fields: the summary would triple the trigram index for little.
    const trigramText = [text.title, text.conditions, d.icd10Names.join(" \n "), text.categories, text.interventions, text.places]
      .map((t) => normaliseNorwegian(t.replace(/\n/g, " | ")))
      .filter(Boolean)
      .join(" | ");
    this.stmt("INSERT INTO search_trigram (rowid, text) VALUES (?, ?)").run(studyId, trigramText);
    this.addTerms(Object.values(n).join(" "));
  }

  private addTerms(text: string): void {
    const insertTerm = this.stmt("INSERT OR IGNORE INTO search_terms (term) VALUES (?)");
    const insertDelete = this.stmt("INSERT OR IGNORE INTO search_term_deletes (del, term) VALUES (?, ?)");
    for (const term of new Set(text.split(" "))) {
      if (term.length < MIN_TERM_LENGTH || /\d/.test(term) || this.knownTerms.has(term)) continue;
      if (this.knownTerms.size > 1_000_000) this.knownTerms.clear();
      this.knownTerms.add(term);
      if (insertTerm.run(term).changes === 0) continue;
      for (const del of oneDeletions(term)) insertDelete.run(del, term);
    }
  }

  // -------------------------------------------------------------------------------------------
  // Reading

  /** Indexed words within the allowed edit distance of `word` (never `word` itself). */
  typoCandidates(word: string): string[] {
    const max = allowedTypos(word);
    if (max === 0) return [];
    const d1 = oneDeletions(word);
    const keys = new Set<string>([word, ...d1]);
    if (max >= 2) for (const x of d1) for (const y of oneDeletions(x)) keys.add(y);
    const list = [...keys];
    const found = new Set<string>();
    // Chunks keep the statement count (and SQLite's parameter limit) small and cacheable.
    for (let i = 0; i < list.length; i += 50) {
      const chunk = list.slice(i, i + 50);
      const marks = chunk.map(() => "?").join(", ");
      for (const t of this.db.prepare(`SELECT term FROM search_term_deletes WHERE del IN (${marks}) UNION SELECT term FROM search_terms WHERE term IN (${marks})`).pluck().all(...chunk, ...chunk) as string[]) {
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

  private textPlan(raw: string | undefined): TextPlan | null {
    const q = queryText(raw);
    if (!q) return null;
    const words = q.split(" ");
    const kept = words.filter((w) => !STOP.has(w));
    const normalised = (kept.length ? kept : words).join(" ");
    const expansion = expandWithSynonyms(normalised, synonymGroupsWithCodes());
    const phrases = expansion.phrases.map((p) => p.split(" ").filter(Boolean)).filter((p) => p.length > 0);
    const last = normalised.split(" ").at(-1)!;
    const highlightWords = new Set<string>();
    const exactParts: string[] = [];
    const typoParts: string[] = [];
    const substringParts: string[] = [];
    const typoCache = new Map<string, string[]>();
    for (const phrase of phrases) {
      const isQuery = phrase.join(" ") === normalised;
      const exactWords: string[] = [];
      const typoWords: string[] = [];
      let anyTypo = false;
      phrase.forEach((w, i) => {
        highlightWords.add(w);
        // Type-ahead: the last word of what the user typed also matches as a prefix.
        const prefix = isQuery && i === phrase.length - 1 && w.length >= 2 && !/\d/.test(w);
        const exact = prefix ? `(${ftsTerm(w)} OR ${ftsTerm(w)}*)` : ftsTerm(w);
        exactWords.push(exact);
        let typos = typoCache.get(w);
        if (!typos) typoCache.set(w, (typos = isQuery ? this.typoCandidates(w) : []));
        for (const t of typos) highlightWords.add(t);
        if (typos.length) anyTypo = true;
        typoWords.push(typos.length ? `(${[exact, ...typos.map(ftsTerm)].join(" OR ")})` : exact);
      });
      exactParts.push(`(${exactWords.join(" AND ")})`);
      if (anyTypo) typoParts.push(`(${typoWords.join(" AND ")})`);
      const sub = phrase.filter((w) => w.length >= 3);
      if (sub.length === phrase.length) substringParts.push(`(${sub.map(ftsTerm).join(" AND ")})`);
    }
    return {
      exact: exactParts.join(" OR "),
      typo: typoParts.length ? typoParts.join(" OR ") : null,
      substring: substringParts.length ? substringParts.join(" OR ") : null,
      icd10: expansion.icd10,
      highlightWords,
      substringWords: phrases.flat().filter((w) => w.length >= 3),
      prefixWord: last.length >= 2 ? last : null,
    };
  }

  /** Conditions on one site row (alias x), for status and the site-level filters. */
  private siteConditions(query: SearchQuery, statuses: StatusFilter[], now: number): SqlPart | null {
    const parts: string[] = [];
    const params: unknown[] = [];
    const inList = (column: string, values: string[]) => {
      parts.push(`${column} IN (${values.map(() => "?").join(", ")})`);
      params.push(...values);
    };
    if (query.regions?.length) inList("x.region_id", validIds(query.regions, "region"));
    if (query.organisations?.length) inList("x.organisation_id", validIds(query.organisations, "organisation"));
    if (query.hospitals?.length) inList("x.hospital_id", validIds(query.hospitals, "hospital"));
    if (statuses.length) {
      const clauses = statuses.map((s) => {
        switch (s) {
          case "open":
            params.push(now, now);
            return "(x.paused = 0 AND x.opens_at <= ? AND (x.closes_at IS NULL OR x.closes_at > ?))";
          case "planned":
            params.push(now, now);
            return "(x.paused = 0 AND (x.opens_at IS NULL OR x.opens_at > ?) AND (x.closes_at IS NULL OR x.closes_at > ?))";
          case "closed":
            params.push(now);
            return "(x.closes_at <= ?)";
        }
      });
      parts.push(clauses.length === 1 ? clauses[0]! : `(${clauses.join(" OR ")})`);
    }
    return parts.length ? { sql: parts.join(" AND "), params } : null;
  }

  /** Conditions on the study row (alias s). */
  private studyConditions(query: SearchQuery): SqlPart {
    const parts: string[] = [];
    const params: unknown[] = [];
    const inList = (column: string, values: string[]) => {
      parts.push(`${column} IN (${values.map(() => "?").join(", ")})`);
      params.push(...values);
    };
    const hasValue = (kind: string, values: string[]) => {
      parts.push(`EXISTS (SELECT 1 FROM search_study_values v WHERE v.study_id = s.study_id AND v.kind = ? AND v.value IN (${values.map(() => "?").join(", ")}))`);
      params.push(kind, ...values);
    };
    if (query.categories?.length) hasValue("category", validIds(query.categories, "category"));
    if (query.icd10?.length) hasValue("icd10", query.icd10.map(validIcd10Prefix));
    if (query.studyTypes?.length) inList("s.study_type", validIds(query.studyTypes, "study type"));
    if (query.phases?.length) inList("s.phase", validIds(query.phases, "phase"));
    if (query.age != null) {
      const a = validNumber(query.age, "age");
      parts.push("(s.min_age IS NULL OR s.min_age <= ?)", "(s.max_age IS NULL OR s.max_age >= ?)");
      params.push(a, a);
    }
    if (query.sex != null) {
      if (query.sex !== "female" && query.sex !== "male") throw new RangeError(`Invalid sex ${JSON.stringify(query.sex)}`);
      inList("s.sex", ["all", query.sex]);
    }
    if (query.healthyVolunteers != null) {
      parts.push("s.healthy_volunteers = ?");
      params.push(query.healthyVolunteers ? 1 : 0);
    }
    return { sql: parts.length ? parts.join(" AND ") : "1", params };
  }

  /** The matching studies as a CTE `matched(study_id, score)` plus its parameters. */
  private matchedCte(plan: TextPlan | null, study: SqlPart, site: SqlPart | null): SqlPart {
    const params: unknown[] = [];
    let from: string;
    let hits = "";
    if (plan) {
      const arms: string[] = [];
      arms.push(`SELECT rowid AS study_id, ${BM25} AS score FROM search_fts WHERE search_fts MATCH ?`);
      params.push(plan.exact);
      if (plan.typo) {
        arms.push(`SELECT rowid, ${TYPO_TIER} + ${BM25} FROM search_fts WHERE search_fts MATCH ?`);
        params.push(plan.typo);
      }
      if (plan.substring) {
        arms.push(`SELECT rowid, ${SUBSTRING_TIER} + bm25(search_trigram) FROM search_trigram WHERE search_trigram MATCH ?`);
        params.push(plan.substring);
      }
      if (plan.icd10.length) {
        arms.push(`SELECT study_id, ${TYPO_TIER} FROM search_study_values WHERE kind = 'icd10' AND value IN (${plan.icd10.map(() => "?").join(", ")})`);
        params.push(...plan.icd10.map((c) => c.toUpperCase()));
      }
      // MATERIALIZED: bm25() only works inside its own MATCH query, so the arms must not be
      // flattened into the outer aggregate.
      hits = `hits AS MATERIALIZED (${arms.join(" UNION ALL ")}), `;
      from = "(SELECT study_id, min(score) AS score FROM hits GROUP BY study_id) t JOIN search_studies s USING (study_id)";
    } else {
      from = "search_studies s";
    }
    const where = [study.sql];
    params.push(...study.params);
    if (site) {
      where.push(`EXISTS (SELECT 1 FROM search_sites x WHERE x.study_id = s.study_id AND ${site.sql})`);
      params.push(...site.params);
    }
    const score = plan ? "t.score" : "0";
    return { sql: `${hits}matched AS (SELECT s.study_id, ${score} AS score FROM ${from} WHERE ${where.join(" AND ")})`, params };
  }

  async search(query: SearchQuery): Promise<SearchResult> {
    const now = validNumber(query.now.getTime(), "now");
    const page = Math.max(1, Math.floor(query.page ?? 1));
    const perPage = Math.min(100, Math.max(1, Math.floor(query.perPage ?? 20)));
    const statuses = validStatuses(query.status);
    const near = query.near && Number.isFinite(query.near.lat) && Number.isFinite(query.near.lon) ? query.near : null;

    const plan = this.textPlan(query.q);
    const study = this.studyConditions(query);
    const site = this.siteConditions(query, statuses, now);
    const cte = this.matchedCte(plan, study, site);
    const siteWhere = site ? ` AND ${site.sql}` : "";

    // Distance to the nearest matching site, in km (haversine; SQLite's math functions).
    const distanceSql = near
      ? `(SELECT min(2 * 6371.0088 * asin(min(1, sqrt(power(sin(radians(x.lat - ?) / 2), 2) + cos(radians(?)) * cos(radians(x.lat)) * power(sin(radians(x.lon - ?) / 2), 2)))))
          FROM search_sites x WHERE x.study_id = m.study_id AND x.lat IS NOT NULL${siteWhere})`
      : "NULL";
    const distanceParams = near ? [near.lat, near.lat, near.lon, ...(site?.params ?? [])] : [];

    let order: string;
    switch (query.sort) {
      case "closing":
        order = "s.study_closes_at IS NULL, s.study_closes_at, m.score, s.study_id";
        break;
      case "newest":
        order = "s.updated_at DESC, s.study_id DESC";
        break;
      case "distance":
        order = near ? "distance IS NULL, distance, m.score, s.study_id" : "m.score, s.updated_at DESC, s.study_id";
        break;
      default:
        order = "m.score, s.updated_at DESC, s.study_id";
    }

    // The matching set is computed once into a temp table (this connection only; search() never
    // awaits, so no other search can interleave) and read by the page, the count and every facet.
    this.materialise(cte);
    const total = this.stmt("SELECT count(*) FROM temp.search_matched").pluck().get() as number;
    const rows = (total === 0
      ? []
      : this.db
          .prepare(
            `SELECT s.study_id AS studyId, s.title, s.short_title AS shortTitle, ${distanceSql} AS distance
             FROM temp.search_matched m JOIN search_studies s USING (study_id)
             ORDER BY ${order} LIMIT ? OFFSET ?`,
          )
          .all(...distanceParams, perPage, (page - 1) * perPage)) as {
      studyId: number;
      title: string;
      shortTitle: string | null;
      distance: number | null;
    }[];

    const representative = this.representativeSites(rows.map((r) => r.studyId), site, query.sort === "closing" ? "closing" : near ? "distance" : "id", near);
    const hits: SearchHit[] = rows.map((r) => {
      const rep = representative.get(r.studyId);
      const distance = near ? (r.distance ?? rep?.distance ?? null) : null;
      return {
        studyId: r.studyId,
        title: r.title,
        shortTitle: r.shortTitle,
        siteId: rep?.siteId ?? null,
        distanceKm: distance == null ? null : Math.round(distance * 100) / 100,
        highlightedTitle: plan ? highlight(r.title, plan) : null,
      };
    });
    const facets = this.facetCounts(new Set(query.facets ?? []), site, now);
    return { hits, total, page, perPage, facets, engine: this.name };
  }

  /** For each hit, the site that made it match: the nearest, the soonest closing, or the first. */
  private representativeSites(
    studyIds: number[],
    site: SqlPart | null,
    by: "distance" | "closing" | "id",
    near: { lat: number; lon: number } | null,
  ): Map<number, Representative> {
    const out = new Map<number, Representative>();
    if (studyIds.length === 0) return out;
    const rows = this.db
      .prepare(
        `SELECT study_id AS studyId, site_id AS siteId, lat, lon, closes_at AS closesAt FROM search_sites x
         WHERE x.study_id IN (${studyIds.map(() => "?").join(", ")})${site ? ` AND ${site.sql}` : ""}
         ORDER BY x.study_id, x.site_id`,
      )
      .all(...studyIds, ...(site?.params ?? [])) as { studyId: number; siteId: number; lat: number | null; lon: number | null; closesAt: number | null }[];
    for (const r of rows) {
      const distance = near && r.lat != null && r.lon != null ? haversineKm(near, { lat: r.lat, lon: r.lon }) : null;
      const current = out.get(r.studyId);
      const better =
        !current ||
        (by === "distance" && distance != null && (current.distance == null || distance < current.distance)) ||
        (by === "closing" && r.closesAt != null && (current.closesAt == null || r.closesAt < current.closesAt));
      if (better) out.set(r.studyId, { siteId: r.siteId, distance, closesAt: r.closesAt });
    }
    return out;
  }

  private materialise(cte: SqlPart): void {
    if (!this.tempReady) {
      this.db.exec("CREATE TEMP TABLE IF NOT EXISTS search_matched (study_id INTEGER PRIMARY KEY, score REAL NOT NULL)");
      this.tempReady = true;
    }
    this.stmt("DELETE FROM temp.search_matched").run();
    this.db.prepare(`INSERT INTO temp.search_matched (study_id, score) WITH ${cte.sql} SELECT study_id, score FROM matched`).run(...cte.params);
  }

  private facetCounts(wanted: Set<Facet>, site: SqlPart | null, now: number): SearchResult["facets"] {
    const out: SearchResult["facets"] = {};
    const count = (sql: string, extra: unknown[] = []) => {
      const rows = this.db.prepare(sql).all(...extra) as { value: string | null; n: number }[];
      const o: Record<string, number> = {};
      for (const r of rows) if (r.value != null && r.n > 0) o[r.value] = r.n;
      return o;
    };
    const valuesOf = (kind: string) =>
      count("SELECT v.value, count(*) AS n FROM temp.search_matched m JOIN search_study_values v ON v.study_id = m.study_id AND v.kind = ? GROUP BY v.value", [kind]);
    const studyColumn = (column: string) => count(`SELECT s.${column} AS value, count(*) AS n FROM temp.search_matched m JOIN search_studies s USING (study_id) GROUP BY s.${column}`);
    // A study with sites in two regions counts once in each (the sites must match the filters).
    const siteColumn = (column: string) =>
      count(
        `SELECT x.${column} AS value, count(DISTINCT x.study_id) AS n FROM temp.search_matched m JOIN search_sites x ON x.study_id = m.study_id${site ? ` AND ${site.sql}` : ""} GROUP BY x.${column}`,
        site?.params ?? [],
      );
    for (const f of wanted) {
      switch (f) {
        case "categories":
          out.categories = valuesOf("category");
          break;
        case "icd10Chapter":
          out.icd10Chapter = valuesOf("chapter");
          break;
        case "studyType":
          out.studyType = studyColumn("study_type");
          break;
        case "phase":
          out.phase = studyColumn("phase");
          break;
        case "regionId":
          out.regionId = siteColumn("region_id");
          break;
        case "organisationId":
          out.organisationId = siteColumn("organisation_id");
          break;
        case "status": {
          // Per status, the matching studies with a (filter-matching) site in that status now: one
          // pass over the matching studies' sites.
          const row = this.db
            .prepare(
              `SELECT sum(o) AS open, sum(p) AS planned, sum(c) AS closed FROM (
                 SELECT max(x.paused = 0 AND x.opens_at <= ? AND (x.closes_at IS NULL OR x.closes_at > ?)) AS o,
                        max(x.paused = 0 AND (x.opens_at IS NULL OR x.opens_at > ?) AND (x.closes_at IS NULL OR x.closes_at > ?)) AS p,
                        max(x.closes_at <= ?) AS c
                 FROM temp.search_matched m JOIN search_sites x ON x.study_id = m.study_id${site ? ` AND ${site.sql}` : ""}
                 GROUP BY m.study_id)`,
            )
            .get(now, now, now, now, now, ...(site?.params ?? [])) as Record<StatusFilter, number | null>;
          out.status = {};
          for (const s of ["open", "planned", "closed"] as const) if ((row[s] ?? 0) > 0) out.status[s] = row[s]!;
          break;
        }
      }
    }
    return out;
  }

  async health(): Promise<SearchHealth> {
    try {
      const documents = this.stmt("SELECT (SELECT count(*) FROM search_sites) + (SELECT count(*) FROM search_studies s WHERE NOT EXISTS (SELECT 1 FROM search_sites x WHERE x.study_id = s.study_id))")
        .pluck()
        .get() as number;
      return { ok: true, engine: this.name, documents };
    } catch (e) {
      return { ok: false, engine: this.name, documents: null, error: e instanceof Error ? e.message : String(e) };
    }
  }
}

function haversineKm(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const r = Math.PI / 180;
  const dLat = (b.lat - a.lat) * r;
  const dLon = (b.lon - a.lon) * r;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * r) * Math.cos(b.lat * r) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371.0088 * Math.asin(Math.min(1, Math.sqrt(h)));
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
  let out = "";
  let last = 0;
  let any = false;
  for (const m of title.matchAll(/[\p{L}\p{N}]+/gu)) {
    const i = m.index ?? 0;
    out += escapeHtml(title.slice(last, i));
    if (isMatch(m[0])) {
      out += `<mark>${escapeHtml(m[0])}</mark>`;
      any = true;
    } else out += escapeHtml(m[0]);
    last = i + m[0].length;
  }
  out += escapeHtml(title.slice(last));
  return any ? out : null;
}
