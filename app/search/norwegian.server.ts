import { readFileSync } from "node:fs";
import path from "node:path";

/**
 * One normaliser for indexed text and for queries, shared by both engines, so that æ/ø/å and
 * their ASCII spellings meet: "Tromsø", "tromso" and "tromsoe" all become "tromso"; "Ålesund"
 * and "aalesund" become "alesund"; "type 2-diabetes" becomes "type 2 diabetes".
 */
export function normaliseNorwegian(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/æ/g, "ae")
      .replace(/[øö]/g, "o")
      .replace(/[åä]/g, "a")
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      // ASCII spellings of ø and å, folded the same way in text and queries ("oe"→"o", "aa"→"a").
      // Whole runs ("oee", "aaa") fold at once, so normalising normalised text changes nothing:
      // queries and indexed text are sometimes normalised twice on the way to an engine.
      .replace(/oe+/g, "o")
      .replace(/a{2,}/g, "a")
      .replace(/[-‐‑–—_/]+/g, " ")
      .replace(/[^a-z0-9 ]+/g, " ")
      .replace(/\s+/g, " ")
      .trim()
  );
}

/** Words of a normalised text (no stop words removed: "kreft i lunge" keeps "lunge"). */
export function tokens(text: string): string[] {
  const n = normaliseNorwegian(text);
  return n ? n.split(" ") : [];
}

/** An ICD-10 code as typed by a clinician ("c50.9", "C50") → "C509" / "C50"; null if not a code. */
export function asIcd10Code(term: string): string | null {
  const compact = term.trim().toUpperCase().replace(/\./g, "");
  return /^[A-Z]\d{2}[0-9A-Z]{0,2}$/.test(compact) ? compact : null;
}

let compoundList: string[] | null = null;

/** The compound parts list (data/search/compound-parts.json), normalised, longest first. */
export function compoundPartList(file = path.resolve(process.cwd(), "data/search/compound-parts.json")): string[] {
  if (compoundList) return compoundList;
  const raw = JSON.parse(readFileSync(file, "utf8")) as { parts: string[] };
  compoundList = [...new Set(raw.parts.map(normaliseNorwegian).filter((p) => p.length >= 3))].sort(
    (a, b) => b.length - a.length,
  );
  return compoundList;
}

/**
 * Known parts inside the longer words of a text ("lungekreftstudie" → lunge, kreft, studie), for
 * engines that only match whole words and prefixes. Only words longer than the part count.
 */
export function compoundParts(text: string, parts = compoundPartList()): string[] {
  const out = new Set<string>();
  for (const word of tokens(text)) {
    if (word.length < 6) continue;
    for (const p of parts) if (word.length > p.length && word.includes(p)) out.add(p);
  }
  return [...out];
}
