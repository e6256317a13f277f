/**
 * Synonyms as data (data/search/synonyms.json): lay ↔ medical ↔ ICD-10. A query that contains a
 * term of a group also searches for the group's other terms and its ICD-10 codes.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { normaliseNorwegian } from "./norwegian";

export interface SynonymGroup {
  terms: string[];
  icd10: string[];
}

let cached: SynonymGroup[] | null = null;

export function synonymGroups(file = path.resolve(process.cwd(), "data/search/synonyms.json")): SynonymGroup[] {
  if (cached) return cached;
  const raw = JSON.parse(readFileSync(file, "utf8")) as { groups: SynonymGroup[] };
  cached = raw.groups.map((g) => ({ terms: [...new Set(g.terms.map(normaliseNorwegian))], icd10: g.icd10 }));
  return cached;
}

export interface Expansion {
  /** Alternative normalised phrases, each of which may match (includes the query itself). */
  phrases: string[];
  /** ICD-10 codes/prefixes implied by synonym groups the query hit. */
  icd10: string[];
}

/** Expands a normalised query with every synonym group whose term appears in it as whole words. */
export function expandWithSynonyms(normalisedQuery: string, groups = synonymGroups()): Expansion {
  const padded = ` ${normalisedQuery} `;
  const phrases = new Set<string>([normalisedQuery]);
  const icd10 = new Set<string>();
  for (const group of groups) {
    const hit = group.terms.find((t) => padded.includes(` ${t} `));
    if (!hit) continue;
    for (const t of group.terms) phrases.add(normalisedQuery === hit ? t : padded.replace(` ${hit} `, ` ${t} `).trim());
    for (const c of group.icd10) icd10.add(c);
  }
  return { phrases: [...phrases], icd10: [...icd10] };
}
