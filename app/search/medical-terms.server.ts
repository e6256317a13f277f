/**
 * Medically safe matching (issue 19), shared by both engines: typo tolerance never turns one real
 * medical word into another. "hjerteinfarkt" (heart attack) is one letter from "hjerneinfarkt"
 * (stroke); both are real words, so neither may be read as a typo of the other.
 *
 * The known terms are the words (5+ letters, the length typos start at) of:
 * - the Norwegian ICD-10 and ICPC-2 texts of @navikt/diagnosekoder (the code package the portal
 *   already ships, MIT) and the ICD-10 category headings in data/reference/icd10.json;
 * - every term of data/search/synonyms.json (nynorsk forms, lay words, English terms);
 * - the compound parts of data/search/compound-parts.json.
 *
 * The rule, the same in both engines:
 * 1. A typed word that is a known term is matched exactly (and as a prefix, and inside compounds),
 *    never with typos: the SQLite engine gives it no typo candidates, Meilisearch has it in
 *    `typoTolerance.disableOnWords` (meilisearch-settings.ts).
 * 2. A typed word that is not a known term but within typo reach of two or more known terms
 *    (not merely forms of one word: "reumatisme", "reumatismen") is read as the nearest one when
 *    that one is unique ("hjerteinfrakt" → "hjerteinfarkt", not also
 *    "hjerneinfarkt" two edits away); it then falls under rule 1. Within reach of one known term
 *    only, it is read as that term when it is a one-word synonym ("sukersyke" → "sukkersyke", so
 *    its synonyms apply), else left to the engine's ordinary typo tolerance (which can reach no
 *    other known term; "insomnai" still finds "insomnia"). A tie between known terms is left as
 *    typed.
 * 3. The last word, being typed, is left alone when a known term starts with it ("hjerteinf").
 * 4. "ICPC-2 K75" (GPs' codes) is read as the concept of its synonym group, or the code's
 *    Norwegian name.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { compoundPartList, normaliseNorwegian } from "./norwegian.server";
import { allowedTypos, editDistance } from "./query-terms";
import { synonymGroups } from "./synonyms.server";

interface CodeText {
  code: string;
  text: string;
}

function diagnosekoderDir(): string {
  const require = createRequire(import.meta.url);
  return path.dirname(require.resolve("@navikt/diagnosekoder/package.json"));
}

function readCodes(file: string): CodeText[] {
  return JSON.parse(readFileSync(file, "utf8")) as CodeText[];
}

interface Vocabulary {
  /** Known terms, sorted. */
  sorted: string[];
  set: Set<string>;
  /** Known terms by length with their letter counts, for the nearest-term lookup. */
  byLength: Map<number, { terms: string[]; counts: Uint8Array }>;
  icpc2Names: Map<string, string>;
}

let vocabulary: Vocabulary | null = null;

const LETTERS = 37; // a-z, 0-9, anything else

function letterCounts(word: string, into: Uint8Array, at: number): void {
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i);
    const k = c >= 97 && c <= 122 ? c - 97 : c >= 48 && c <= 57 ? c - 22 : 36;
    into[at + k]!++;
  }
}

function wordsOf(text: string): string[] {
  return normaliseNorwegian(text)
    .split(" ")
    .filter((w) => w.length >= 5 && !/\d/.test(w));
}

function loadVocabulary(): Vocabulary {
  if (vocabulary) return vocabulary;
  const dir = diagnosekoderDir();
  const icd10 = readCodes(path.join(dir, "lib/ICD10.json"));
  const icpc2 = readCodes(path.join(dir, "lib/ICPC2.json"));
  const headings = JSON.parse(readFileSync(path.resolve(process.cwd(), "data/reference/icd10.json"), "utf8")) as {
    nameNb: string;
  }[];
  const set = new Set<string>();
  for (const e of [...icd10, ...icpc2]) for (const w of wordsOf(e.text)) set.add(w);
  for (const h of headings) for (const w of wordsOf(h.nameNb)) set.add(w);
  for (const g of synonymGroups()) for (const t of g.terms) for (const w of wordsOf(t)) set.add(w);
  for (const p of compoundPartList()) for (const w of wordsOf(p)) set.add(w);
  const sorted = [...set].sort();
  const lists = new Map<number, string[]>();
  for (const w of sorted) {
    const list = lists.get(w.length) ?? [];
    list.push(w);
    lists.set(w.length, list);
  }
  const byLength = new Map<number, { terms: string[]; counts: Uint8Array }>();
  for (const [len, terms] of lists) {
    const counts = new Uint8Array(terms.length * LETTERS);
    terms.forEach((t, i) => letterCounts(t, counts, i * LETTERS));
    byLength.set(len, { terms, counts });
  }
  const icpc2Names = new Map(icpc2.map((e) => [e.code.toUpperCase(), e.text]));
  vocabulary = { sorted, set, byLength, icpc2Names };
  return vocabulary;
}

/** The known medical terms (normalised, 5+ letters, sorted): Meilisearch's disableOnWords. */
export function knownTerms(): string[] {
  return loadVocabulary().sorted;
}

export function isKnownTerm(word: string): boolean {
  return loadVocabulary().set.has(word);
}

/** Whether a known term starts with `word` (and is longer): a word still being typed. */
export function startsKnownTerm(word: string): boolean {
  const { sorted } = loadVocabulary();
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < word) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo; i < sorted.length && sorted[i]!.startsWith(word); i++) if (sorted[i] !== word) return true;
  return false;
}

const nearestCache = new Map<string, string | null>();

/**
 * The known term an unknown word is read as (rule 2), or null: only when two or more known terms
 * are within its typo reach and exactly one of them is nearest.
 */
export function nearestKnownTerm(word: string): string | null {
  const cachedAnswer = nearestCache.get(word);
  if (cachedAnswer !== undefined) return cachedAnswer;
  const { byLength, set } = loadVocabulary();
  const max = allowedTypos(word);
  let answer: string | null = null;
  if (max > 0 && !set.has(word)) {
    const found: { t: string; d: number }[] = [];
    const mine = new Uint8Array(LETTERS);
    letterCounts(word, mine, 0);
    for (let len = word.length - max; len <= word.length + max; len++) {
      const bucket = byLength.get(len);
      if (!bucket) continue;
      bucket.terms.forEach((t, i) => {
        // The bag distance (letters one has and the other lacks) never exceeds the edit distance:
        // a cheap filter before the real one.
        let more = 0;
        let fewer = 0;
        for (let k = 0, at = i * LETTERS; k < LETTERS; k++) {
          const diff = mine[k]! - bucket.counts[at + k]!;
          if (diff > 0) more += diff;
          else fewer -= diff;
        }
        if (Math.max(more, fewer) > max) return;
        const d = editDistance(word, t, max);
        if (d <= max) found.push({ t, d });
      });
    }
    if (found.length > 0) {
      const best = Math.min(...found.map((f) => f.d));
      const nearest = found.filter((f) => f.d === best);
      // Several known terms in reach: the nearest, if unique. One only: read as it when it is a
      // synonym term (an entry to a concept: "sukersyke" → "sukkersyke" → diabetes); else the
      // engine's typo tolerance, which can reach no other known term, finds it and other words.
      // Other known terms that are only forms of the nearest one ("reumatisme", "reumatismen")
      // are no danger: "revmatisme" stays as typed and still finds itself.
      const near = nearest[0]?.t;
      const others = near ? found.filter((f) => f.t !== near && !sameStem(f.t, near)) : [];
      if (nearest.length === 1 && near && (others.length > 0 || synonymWords().has(near))) answer = near;
    }
  }
  if (nearestCache.size > 10_000) nearestCache.clear();
  nearestCache.set(word, answer);
  return answer;
}

/** Two forms of one word: they share all but (at most) the last three letters of the shorter. */
function sameStem(a: string, b: string): boolean {
  const n = Math.min(a.length, b.length) - 3;
  return n >= 4 && a.slice(0, n) === b.slice(0, n);
}

let synonymWordSet: Set<string> | null = null;
/** The single-word synonym terms. */
function synonymWords(): Set<string> {
  return (synonymWordSet ??= new Set(synonymGroups().flatMap((g) => g.terms.filter((t) => !t.includes(" ")))));
}

/** "icpc 2 k75" / "icpc2 k75" / "icpc k75" → the concept's first synonym, or the code's name. */
function resolveIcpc2(words: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w === "icpc" || w === "icpc2") {
      const codeAt = w === "icpc" && words[i + 1] === "2" ? i + 2 : i + 1;
      const code = words[codeAt]?.toUpperCase();
      if (code && /^[A-Z]\d{2}$/.test(code)) {
        const group = synonymGroups().find((g) => g.icpc2?.includes(code));
        const name = loadVocabulary().icpc2Names.get(code);
        const replacement = group ? group.terms[0]! : name ? cleanIcpc2Name(name) : null;
        if (replacement) {
          out.push(replacement);
          i = codeAt;
          continue;
        }
      }
    }
    out.push(w);
  }
  return out;
}

/** An ICPC-2 name as query words: without "(K)", "IKA" and one-letter fragments. */
function cleanIcpc2Name(name: string): string {
  return normaliseNorwegian(name.replace(/\([^)]*\)/g, " "))
    .split(" ")
    .filter((w) => w.length > 1 && w !== "ika")
    .join(" ");
}

/**
 * A normalised query (queryText) made medically safe (rules 2–4 above). Rule 1 is each engine's:
 * see isKnownTerm / knownTerms.
 */
export function safeQuery(normalised: string): string {
  if (!normalised) return normalised;
  const words = resolveIcpc2(normalised.split(" "));
  const last = words.length - 1;
  return words
    .map((w, i) => {
      if (w.includes(" ") || isKnownTerm(w)) return w;
      if (i === last && startsKnownTerm(w)) return w;
      return nearestKnownTerm(w) ?? w;
    })
    .join(" ");
}
