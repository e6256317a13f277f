/**
 * The project's reference lists checked against the real public data in ../shared/data:
 * every health trust of every region is present, and every hospital lies where a real
 * treatment site is (Eurostat GISCO healthcare sites).
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadReferenceData } from "~/boot.server";

const SHARED = path.resolve(process.cwd(), "../shared/data");
const ref = loadReferenceData();

/** A small CSV reader for quoted fields (RFC 4180), enough for these files. */
function parseCsv(text: string): Record<string, string>[] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  const input = text.replace(/^\uFEFF/, "");
  for (let i = 0; i < input.length; i++) {
    const c = input[i]!;
    if (quoted) {
      if (c === '"' && input[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") row.push(field), (field = "");
    else if (c === "\n" || c === "\r") {
      if (c === "\r" && input[i + 1] === "\n") i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += c;
  }
  if (field || row.length) rows.push([...row, field]);
  const [header, ...data] = rows;
  return data.filter((r) => r.length > 1).map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i] ?? ""])));
}

function distanceKm(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.sqrt(h));
}

describe("reference lists", () => {
  it("has the four regions and unique ids", () => {
    expect(ref.regions.map((r) => r.id).sort()).toEqual(["helse-midt-norge", "helse-nord", "helse-sor-ost", "helse-vest"]);
    const orgIds = ref.organisations.map((o) => o.id);
    const hospitalIds = ref.organisations.flatMap((o) => o.hospitals.map((h) => h.id));
    expect(new Set(orgIds).size).toBe(orgIds.length);
    expect(new Set(hospitalIds).size).toBe(hospitalIds.length);
    expect(ref.organisations.every((o) => ref.regions.some((r) => r.id === o.regionId))).toBe(true);
    expect(ref.organisations.filter((o) => o.kind === "hf").length).toBeGreaterThanOrEqual(20);
    expect(ref.organisations.filter((o) => o.kind === "private_nonprofit").length).toBeGreaterThanOrEqual(5);
    expect(ref.hrcsCategories).toHaveLength(21);
  });

  it("includes every health trust (HF) in the real HF → RHF list, in the right region", () => {
    const rows = parseCsv(readFileSync(path.join(SHARED, "norway-hospitals/kapasitet_helseforetak_rhf.csv"), "utf8"));
    expect(rows).toHaveLength(20);
    const regionByName = new Map(ref.regions.map((r) => [r.shortName, r.id]));
    const missing = rows.filter(
      (row) => !ref.organisations.some((o) => o.name === row.helseforetak && o.regionId === regionByName.get(row.helseregion!)),
    );
    expect(missing).toEqual([]);
  });

  it("places every hospital within 2 km of a real treatment site (Eurostat GISCO)", () => {
    const sites = parseCsv(readFileSync(path.join(SHARED, "norway-hospitals/eurostat_healthcare_NO.csv"), "utf8"))
      .map((r) => ({ name: r.hospital_name!, lat: Number(r.lat), lon: Number(r.lon) }))
      .filter((s) => Number.isFinite(s.lat) && Number.isFinite(s.lon));
    expect(sites.length).toBeGreaterThan(600);
    const far = ref.organisations.flatMap((o) =>
      o.hospitals
        .map((h) => ({ id: h.id, km: Math.min(...sites.map((s) => distanceKm(h, s))) }))
        .filter((x) => x.km > 2)
        .map((x) => `${x.id} (${x.km.toFixed(1)} km)`),
    );
    expect(far).toEqual([]);
  });

  it("uses municipality numbers that exist (2024 numbering) with their names", () => {
    const rows = parseCsv(readFileSync(path.join(SHARED, "norway-hospitals/kapasitet_municipalities.csv"), "utf8"));
    const names = new Map(rows.map((r) => [r.municipality_code!, r.municipality_name!]));
    const wrong = ref.organisations.flatMap((o) =>
      o.hospitals.filter((h) => h.municipalityNumber && names.get(h.municipalityNumber) !== h.municipality).map((h) => h.id),
    );
    expect(wrong).toEqual([]);
  });

  it("has ICD-10 codes that exist in the Norwegian ICD-10 list (as a code or as the category of one)", () => {
    const official = JSON.parse(readFileSync(path.join(SHARED, "icd10-no/navikt_ICD10_no.json"), "utf8")) as { code: string; text: string }[];
    const codes = new Set(official.map((c) => c.code));
    const categories = new Set(official.map((c) => c.code.slice(0, 3)));
    const unknown = ref.icd10.filter((c) => !codes.has(c.code) && !(c.code.length === 3 && categories.has(c.code))).map((c) => c.code);
    expect(unknown).toEqual([]);
    // Where the official list has the code itself, our name is the official name.
    const differs = ref.icd10.filter((c) => codes.has(c.code) && official.find((o) => o.code === c.code)!.text !== c.nameNb).map((c) => c.code);
    expect(differs).toEqual([]);
  });
});
