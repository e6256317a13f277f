/**
 * Synonyms as data (data/search/synonyms.json): lay ↔ medical ↔ ICD-10 (and ICPC-2). A query that
 * contains a term of a group also searches for the group's other terms and its ICD-10 codes.
 *
 * Every term records where it comes from: a group's `terms` share its `source`; `added` maps
 * further terms (nynorsk forms, lay words, English terms) to their own source; `icpc2` lists the
 * GPs' ICPC-2 codes of the concept (their names are checked against @navikt/diagnosekoder in
 * tests/unit/medical-terms.test.ts).
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { normaliseNorwegian } from "./norwegian.server";

export interface SynonymGroup {
  terms: string[];
  icd10: string[];
  /** ICPC-2 codes of the concept (upper case), resolved by "ICPC-2 K75" queries (medical-terms.ts). */
  icpc2?: string[];
}

/** One term of the synonym file with its recorded source. */
export interface SynonymSource {
  term: string;
  source: string;
  /** Index of its group in the file. */
  group: number;
}

interface SynonymFile {
  groups: {
    terms: string[];
    icd10: string[];
    icpc2?: string[];
    source?: string;
    added?: Record<string, string>;
    icpc2Source?: string;
  }[];
}

let cached: { file: string; groups: SynonymGroup[]; sources: SynonymSource[] } | null = null;
const DEFAULT_FILE = () => path.resolve(process.cwd(), "data/search/synonyms.json");

function load(file: string): NonNullable<typeof cached> {
  if (cached?.file === file) return cached;
  const raw = JSON.parse(readFileSync(file, "utf8")) as SynonymFile;
  const sources: SynonymSource[] = [];
  const groups = raw.groups.map((g, i) => {
    const all = [
      ...g.terms.map((t) => ({ t, s: g.source ?? "" })),
      ...Object.entries(g.added ?? {}).map(([t, s]) => ({ t, s })),
    ];
    for (const { t, s } of all) sources.push({ term: t, source: s, group: i });
    const group: SynonymGroup = {
      terms: [...new Set(all.map(({ t }) => normaliseNorwegian(t)).filter(Boolean))],
      icd10: g.icd10,
    };
    if (g.icpc2?.length) group.icpc2 = g.icpc2.map((c) => c.toUpperCase());
    return group;
  });
  cached = { file, groups, sources };
  return cached;
}

export function synonymGroups(file = DEFAULT_FILE()): SynonymGroup[] {
  return load(file).groups;
}

/** Every synonym term as written in the file, with its source. */
export function synonymSources(file = DEFAULT_FILE()): SynonymSource[] {
  return load(file).sources;
}

export interface Expansion {
  /** Alternative normalised phrases, each of which may match (includes the query itself). */
  phrases: string[];
  /** ICD-10 codes/prefixes of a synonym group whose term is the whole query ("brystkreft" → C50). */
  icd10: string[];
}

/** At most this many alternative phrasings of one query. */
const MAX_PHRASES = 64;

/**
 * Expands a normalised query with every synonym group whose term appears in it as whole words.
 * Groups combine: "sukkersjuke hja born" also becomes "diabetes hos barn". A group's ICD-10 codes
 * only count when its term is the whole query: "diabetes hos barn" must not find every study
 * coded E10–E14 whatever it is about.
 */
export function expandWithSynonyms(normalisedQuery: string, groups = synonymGroups()): Expansion {
  let phrases = new Set<string>([normalisedQuery]);
  const icd10 = new Set<string>();
  for (const group of groups) {
    const next = new Set(phrases);
    for (const phrase of phrases) {
      const padded = ` ${phrase} `;
      const hit = group.terms.find((t) => padded.includes(` ${t} `));
      if (!hit) continue;
      if (phrase === normalisedQuery && hit === normalisedQuery) for (const c of group.icd10) icd10.add(c);
      for (const t of group.terms) {
        if (next.size >= MAX_PHRASES) break;
        next.add(padded.replace(` ${hit} `, ` ${t} `).trim());
      }
    }
    phrases = next;
  }
  return { phrases: [...phrases], icd10: [...icd10] };
}
