/**
 * Search quality over the judged query set (tests/search/judgements.json, issue 19): nDCG@10,
 * recall@20 and clearly wrong hits in the top 10, per query and per group. Pure functions plus a
 * runner over any SearchEngine; used by scripts/eval-search.ts and the contract suite. No vitest.
 */
import { readFileSync } from "node:fs";
import type { SearchEngine } from "#app/search/types";
import { EVAL_NOW, JUDGEMENTS_FILE } from "./corpus";

export interface JudgedQuery {
  q: string;
  lang: "nb" | "nn" | "en";
  group: string;
  concept: string;
  /** study key → grade 1–2 (unlisted = 0) */
  grades: Record<string, number>;
  /** Study keys that are clearly wrong hits (another organ or disease). */
  wrong: string[];
}

export function readJudgements(file = JUDGEMENTS_FILE): JudgedQuery[] {
  const raw = JSON.parse(readFileSync(file, "utf8")) as { queries: JudgedQuery[] };
  raw.queries.forEach((j, i) => {
    const where = `${file}: query ${i + 1} (${JSON.stringify(j.q)})`;
    if (typeof j.q !== "string" || !j.q.trim()) throw new Error(`${where}: field "q" must be a non-empty string`);
    if (!["nb", "nn", "en"].includes(j.lang))
      throw new Error(`${where}: field "lang" must be nb, nn or en, not ${JSON.stringify(j.lang)}`);
    if (!j.group) throw new Error(`${where}: field "group" is missing`);
    for (const [key, grade] of Object.entries(j.grades ?? {})) {
      if (![1, 2].includes(grade))
        throw new Error(`${where}: grade of ${key} must be 1 or 2, not ${JSON.stringify(grade)}`);
    }
    if (!Object.keys(j.grades ?? {}).length) throw new Error(`${where}: field "grades" names no relevant study`);
    for (const key of j.wrong ?? [])
      if (j.grades[key]) throw new Error(`${where}: ${key} is both relevant and a wrong hit`);
  });
  return raw.queries;
}

/** nDCG@k with gain 2^grade − 1 and the ideal ranking of the judged grades. */
export function ndcgAt(ranked: string[], grades: Record<string, number>, k = 10): number {
  const dcg = (gs: number[]) => gs.slice(0, k).reduce((sum, g, i) => sum + (2 ** g - 1) / Math.log2(i + 2), 0);
  const ideal = dcg(Object.values(grades).sort((a, b) => b - a));
  return ideal === 0 ? 0 : dcg(ranked.map((key) => grades[key] ?? 0)) / ideal;
}

/** Share of the relevant studies (grade ≥ 1) found in the top k. */
export function recallAt(ranked: string[], grades: Record<string, number>, k = 20): number {
  const relevant = Object.keys(grades).filter((key) => (grades[key] ?? 0) > 0);
  if (relevant.length === 0) return 1;
  const top = new Set(ranked.slice(0, k));
  return relevant.filter((key) => top.has(key)).length / relevant.length;
}

export interface QueryScore {
  query: JudgedQuery;
  ranked: string[];
  ndcg10: number;
  recall20: number;
  /** Clearly wrong studies among the top 10. */
  wrongHits: string[];
}

export interface Summary {
  queries: number;
  ndcg10: number;
  recall20: number;
  wrongHits: number;
}

export async function scoreQueries(
  engine: SearchEngine,
  judged: JudgedQuery[],
  keyOf: Map<number, string>,
  now = EVAL_NOW,
): Promise<QueryScore[]> {
  const out: QueryScore[] = [];
  for (const query of judged) {
    const result = await engine.search({ q: query.q, now, perPage: 20 });
    const ranked = result.hits.map((h) => keyOf.get(h.studyId) ?? `study-${h.studyId}`);
    const wrong = new Set(query.wrong);
    out.push({
      query,
      ranked,
      ndcg10: ndcgAt(ranked, query.grades, 10),
      recall20: recallAt(ranked, query.grades, 20),
      wrongHits: ranked.slice(0, 10).filter((key) => wrong.has(key)),
    });
  }
  return out;
}

export function summarise(scores: QueryScore[]): Summary {
  const n = scores.length || 1;
  return {
    queries: scores.length,
    ndcg10: scores.reduce((s, x) => s + x.ndcg10, 0) / n,
    recall20: scores.reduce((s, x) => s + x.recall20, 0) / n,
    wrongHits: scores.reduce((s, x) => s + x.wrongHits.length, 0),
  };
}

export function byGroup(scores: QueryScore[]): Map<string, Summary> {
  const groups = new Map<string, QueryScore[]>();
  for (const s of scores) groups.set(s.query.group, [...(groups.get(s.query.group) ?? []), s]);
  return new Map([...groups].map(([g, list]) => [g, summarise(list)]));
}
