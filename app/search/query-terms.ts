/**
 * Query handling both engines share: validating filter values (the same bad input is refused the
 * same way whichever engine runs), the text of a query, and edit distance for typo tolerance.
 */
import { asIcd10Code, normaliseNorwegian } from "./norwegian.server";
import type { StatusFilter } from "./types";

const ID_RE = /^[a-z0-9_-]+$/i;

export const STATUSES: StatusFilter[] = ["open", "planned", "closed"];

/** Ids used as filter values (regions, organisations, categories…): letters, digits, _ and -. */
export function validIds(values: string[], what: string): string[] {
  for (const v of values)
    if (!ID_RE.test(v)) throw new RangeError(`Invalid ${what} ${JSON.stringify(v)}: only letters, digits, "_" and "-"`);
  return values;
}

/** An ICD-10 code or prefix from a filter ("c50.9" → "C509", "C" → "C"). */
export function validIcd10Prefix(value: string): string {
  const c = value.trim().toUpperCase().replace(/\./g, "");
  if (!/^[A-Z][0-9A-Z]{0,5}$/.test(c)) throw new RangeError(`Invalid ICD-10 code or prefix ${JSON.stringify(value)}`);
  return c;
}

export function validNumber(value: number, what: string): number {
  if (!Number.isFinite(value)) throw new RangeError(`Invalid ${what}: ${value}`);
  return value;
}

export function validStatuses(statuses: StatusFilter[] | undefined): StatusFilter[] {
  for (const s of statuses ?? [])
    if (!STATUSES.includes(s)) throw new RangeError(`Invalid status ${JSON.stringify(s)}`);
  return [...new Set(statuses ?? [])];
}

/**
 * The text part of a query. Codes typed with a dot ("c50.9") are compacted before normalising
 * (normaliseNorwegian would split them). Every operator character is removed, so an engine only
 * ever sees [a-z0-9 ]: no phrase search, no negation, no query syntax.
 */
export function queryText(raw: string | undefined): string {
  const words = (raw ?? "").replace(/"/g, " ").trim().split(/\s+/).filter(Boolean);
  return normaliseNorwegian(words.map((w) => asIcd10Code(w)?.toLowerCase() ?? w).join(" "));
}

/** Optimal string alignment distance (Damerau–Levenshtein with adjacent transpositions), capped. */
export function editDistance(a: string, b: string, max = 2): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const prev2: number[] = new Array(b.length + 1).fill(0);
  let prev: number[] = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur: number[] = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2]! + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    for (let j = 0; j <= b.length; j++) prev2[j] = prev[j]!;
    prev = cur;
  }
  return prev[b.length]!;
}

/** Every string made by removing one character (for SymSpell-style typo lookup). */
export function oneDeletions(word: string): string[] {
  const out = new Set<string>();
  for (let i = 0; i < word.length; i++) out.add(word.slice(0, i) + word.slice(i + 1));
  return [...out];
}

/** Typos allowed for a query word, as Meilisearch does by default: 1 from 5 letters, 2 from 9. */
export function allowedTypos(word: string): number {
  if (/\d/.test(word)) return 0; // codes and numbers are never "corrected" (c50 → c51)
  if (word.length >= 9) return 2;
  if (word.length >= 5) return 1;
  return 0;
}
