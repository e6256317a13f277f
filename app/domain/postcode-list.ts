/**
 * The project's shipped postcode list (data/reference/postcodes.tsv.gz): Erik Bolstad's list with
 * coordinates (CC BY 3.0), completed so that every postcode of the current list (2026, MIT)
 * resolves to a place. Pure: building, writing and reading the compact TSV.
 */

export type PostcodeLocated = "postcode" | "place" | "municipality";

/** A postcode with a point: a row of the postcode table. */
export interface LocatedPoint {
  postcode: string;
  place: string;
  municipalityNumber: string | null;
  municipality: string | null;
  lat: number;
  lon: number;
  inUse: boolean;
}

export interface ShippedPostcode extends LocatedPoint {
  /** Where the point comes from: the postcode's own (Bolstad), or the centre of its place or municipality. */
  located: PostcodeLocated;
}

export interface CurrentPostcode {
  code: string;
  place: string;
  /** Municipality number of today's structure (2024 reform), e.g. "0301". */
  municipalityNumber: string;
}

const round5 = (n: number) => Math.round(n * 1e5) / 1e5;
const key = (s: string) => s.trim().toLocaleUpperCase("nb");

function mean(points: { lat: number; lon: number }[]): { lat: number; lon: number } {
  const lat = points.reduce((a, p) => a + p.lat, 0) / points.length;
  const lon = points.reduce((a, p) => a + p.lon, 0) / points.length;
  return { lat: round5(lat), lon: round5(lon) };
}

/**
 * Every current postcode gets a point: its own from the old list, else the centre (mean) of the
 * located postcodes with the same place name in the same municipality, else of its municipality.
 * Municipalities are today's (the current list's numbers), so the 2020 and 2024 renumberings
 * cannot mislead the fallback. Old postcodes that are no longer current are kept, not in use.
 * `unresolved` lists current postcodes whose municipality has no located postcode at all.
 */
export function buildShippedPostcodes(
  old: readonly LocatedPoint[],
  current: readonly CurrentPostcode[],
  municipalityNames: ReadonlyMap<string, string>,
): { rows: ShippedPostcode[]; unresolved: CurrentPostcode[] } {
  const oldByCode = new Map(old.map((p) => [p.postcode, p]));
  const currentCodes = new Set(current.map((c) => c.code));
  const byMunicipality = new Map<string, { lat: number; lon: number }[]>();
  const byPlace = new Map<string, { lat: number; lon: number }[]>();
  for (const c of current) {
    const p = oldByCode.get(c.code);
    if (!p) continue;
    const m = byMunicipality.get(c.municipalityNumber) ?? [];
    m.push(p);
    byMunicipality.set(c.municipalityNumber, m);
    const placeKey = `${c.municipalityNumber}|${key(c.place)}`;
    const pl = byPlace.get(placeKey) ?? [];
    pl.push(p);
    byPlace.set(placeKey, pl);
  }
  const rows: ShippedPostcode[] = [];
  const unresolved: CurrentPostcode[] = [];
  for (const c of current) {
    const base = {
      postcode: c.code,
      place: c.place,
      municipalityNumber: c.municipalityNumber,
      municipality: municipalityNames.get(c.municipalityNumber) ?? oldByCode.get(c.code)?.municipality ?? null,
      inUse: true,
    };
    const own = oldByCode.get(c.code);
    if (own) {
      rows.push({ ...base, lat: own.lat, lon: own.lon, located: "postcode" });
      continue;
    }
    const place = byPlace.get(`${c.municipalityNumber}|${key(c.place)}`);
    if (place?.length) {
      rows.push({ ...base, ...mean(place), located: "place" });
      continue;
    }
    const municipality = byMunicipality.get(c.municipalityNumber);
    if (municipality?.length) {
      rows.push({ ...base, ...mean(municipality), located: "municipality" });
      continue;
    }
    unresolved.push(c);
  }
  for (const p of old) {
    if (currentCodes.has(p.postcode)) continue;
    rows.push({ ...p, inUse: false, located: "postcode" });
  }
  rows.sort((a, b) => a.postcode.localeCompare(b.postcode));
  return { rows, unresolved };
}

export const SHIPPED_POSTCODE_COLUMNS = [
  "postcode",
  "place",
  "municipality_number",
  "municipality",
  "lat",
  "lon",
  "in_use",
  "located",
] as const;

export function formatShippedPostcodes(rows: readonly ShippedPostcode[]): string {
  const clean = (s: string | null) => (s ?? "").replace(/[\t\r\n]/g, " ");
  const lines = rows.map((r) =>
    [
      r.postcode,
      clean(r.place),
      clean(r.municipalityNumber),
      clean(r.municipality),
      r.lat.toFixed(5),
      r.lon.toFixed(5),
      r.inUse ? "1" : "0",
      r.located,
    ].join("\t"),
  );
  return `${SHIPPED_POSTCODE_COLUMNS.join("\t")}\n${lines.join("\n")}\n`;
}

/** Reads the shipped TSV; a bad line is reported with its number and field and skipped. */
export function parseShippedPostcodes(text: string): {
  rows: ShippedPostcode[];
  problems: { line: number; message: string }[];
} {
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  const problems: { line: number; message: string }[] = [];
  if (lines[0] !== SHIPPED_POSTCODE_COLUMNS.join("\t")) {
    return { rows: [], problems: [{ line: 1, message: `kolonnene må være ${SHIPPED_POSTCODE_COLUMNS.join(", ")}` }] };
  }
  const rows: ShippedPostcode[] = [];
  const seen = new Set<string>();
  lines.slice(1).forEach((line, i) => {
    if (!line.trim()) return;
    const n = i + 2;
    const [postcode = "", place = "", kommnr = "", municipality = "", lat = "", lon = "", inUse = "", located = ""] =
      line.split("\t");
    if (!/^\d{4}$/.test(postcode))
      return void problems.push({ line: n, message: `postcode: ugyldig postnummer "${postcode}"` });
    if (seen.has(postcode)) return void problems.push({ line: n, message: `postcode: ${postcode} står to ganger` });
    const la = Number(lat);
    const lo = Number(lon);
    if (!(lat !== "" && la >= 57 && la <= 81))
      return void problems.push({ line: n, message: `lat: "${lat}" er ikke en breddegrad i Norge (57–81)` });
    if (!(lon !== "" && lo >= -9.5 && lo <= 35))
      return void problems.push({ line: n, message: `lon: "${lon}" er ikke en lengdegrad i Norge (-9,5–35)` });
    if (!place.trim()) return void problems.push({ line: n, message: "place: mangler stedsnavn" });
    if (inUse !== "0" && inUse !== "1")
      return void problems.push({ line: n, message: `in_use: må være 0 eller 1 (fikk "${inUse}")` });
    if (located !== "postcode" && located !== "place" && located !== "municipality") {
      return void problems.push({
        line: n,
        message: `located: må være postcode, place eller municipality (fikk "${located}")`,
      });
    }
    seen.add(postcode);
    rows.push({
      postcode,
      place: place.trim(),
      municipalityNumber: /^\d{4}$/.test(kommnr) ? kommnr : null,
      municipality: municipality.trim() || null,
      lat: la,
      lon: lo,
      inUse: inUse === "1",
      located,
    });
  });
  return { rows, problems };
}
