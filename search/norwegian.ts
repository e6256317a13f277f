/**
 * One normaliser for indexed text and for queries, shared by both engines, so that æ/ø/å and
 * their ASCII spellings meet: "Tromsø", "tromso" and "tromsoe" all become "tromso"; "Ålesund"
 * and "aalesund" become "alesund"; "type 2-diabetes" becomes "type 2 diabetes".
 */
export function normaliseNorwegian(text: string): string {
  return text
    .toLowerCase()
    .replace(/æ/g, "ae")
    .replace(/[øö]/g, "o")
    .replace(/[åä]/g, "a")
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    // ASCII spellings of ø and å, folded the same way in text and queries ("oe"→"o", "aa"→"a").
    .replace(/oe/g, "o")
    .replace(/aa/g, "a")
    .replace(/[-‐‑–—_/]+/g, " ")
    .replace(/[^a-z0-9 ]+/g, " ")
    .replace(/\s+/g, " ")
    .trim();
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
