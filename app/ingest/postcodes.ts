/**
 * Parses Erik Bolstad's postnummer list (tab-separated: POSTNR, POSTSTAD, …, KOMMNR, KOMMUNE,
 * FYLKE, LAT, LON, DATAKVALITET, …). Pure; problems are reported per line.
 */
import type { PostcodeRow } from "#app/models/postcode.server";

export interface PostcodeParse {
  rows: PostcodeRow[];
  problems: { line: number; message: string }[];
}

export function parseBolstadPostcodes(text: string): PostcodeParse {
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  const header = lines[0]?.split("\t") ?? [];
  const col = (name: string) => header.indexOf(name);
  const need = ["POSTNR", "POSTSTAD", "KOMMNR", "KOMMUNE", "LAT", "LON"];
  const missing = need.filter((n) => col(n) < 0);
  if (missing.length)
    return { rows: [], problems: [{ line: 1, message: `mangler kolonne(r): ${missing.join(", ")}` }] };
  const rows: PostcodeRow[] = [];
  const problems: PostcodeParse["problems"] = [];
  const seen = new Set<string>();
  lines.slice(1).forEach((line, i) => {
    if (!line.trim()) return;
    const f = line.split("\t");
    const postcode = (f[col("POSTNR")] ?? "").trim();
    const lat = Number(f[col("LAT")]);
    const lon = Number(f[col("LON")]);
    const placeRaw = (f[col("POSTSTAD")] ?? "").trim();
    if (!/^\d{4}$/.test(postcode))
      return void problems.push({ line: i + 2, message: `ugyldig postnummer "${postcode}"` });
    // Mainland, Svalbard (to 81°N) and Jan Mayen (8°W).
    if (!(lat >= 57 && lat <= 81 && lon >= -9.5 && lon <= 35))
      return void problems.push({ line: i + 2, message: `koordinater utenfor Norge for ${postcode}` });
    if (seen.has(postcode))
      return void problems.push({ line: i + 2, message: `postnummer ${postcode} står to ganger` });
    seen.add(postcode);
    const inUse = !/ikkje i bruk/i.test(placeRaw);
    const kommnr = (f[col("KOMMNR")] ?? "").trim();
    rows.push({
      postcode,
      place: placeRaw.replace(/\s*\(ikkje i bruk\)\s*/i, "").trim(),
      municipalityNumber: kommnr ? kommnr.padStart(4, "0") : null,
      municipality: (f[col("KOMMUNE")] ?? "").trim() || null,
      lat,
      lon,
      inUse,
    });
  });
  return { rows, problems };
}
