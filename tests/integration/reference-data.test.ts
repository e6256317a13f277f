/**
 * The project's reference lists (data/reference/*.json) checked against themselves, against what
 * ships with the project (every ICD-10 code is a real Norwegian code of @navikt/diagnosekoder; every
 * hospital's municipality is today's, by the shipped postcode list) and, where ../shared/data is
 * present (CI), against real public data without a licence to ship: every health trust of every
 * region is present and every hospital lies where a real treatment site is.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { loadReferenceData, referenceSources } from "#app/boot.server";
import { parseShippedPostcodes } from "#app/domain/postcode-list";

const REFERENCE = path.resolve(process.cwd(), "data/reference");
// KLINISKE_SHARED_DATA=/nonexistent runs the suite as on a machine without ../shared.
const SHARED = path.resolve(process.env.KLINISKE_SHARED_DATA ?? path.join(process.cwd(), "../shared/data"));
const SHARED_PRESENT = existsSync(path.join(SHARED, "norway-hospitals/eurostat_healthcare_NO.csv"));

interface Region {
  id: string;
  name: string;
  shortName: string;
}
interface Hospital {
  id: string;
  name: string;
  municipality: string | null;
  municipalityNumber: string | null;
  lat: number;
  lon: number;
}
interface Organisation {
  id: string;
  name: string;
  shortName: string;
  kind: string;
  regionId: string;
  orgnr: string | null;
  website: string | null;
  hospitals: Hospital[];
}
interface HrcsCategory {
  id: string;
  nameNb: string;
  nameEn: string;
  aliases: string[];
}
interface Icd10 {
  code: string;
  nameNb: string;
}

const readJson = <T>(file: string): T => JSON.parse(readFileSync(file, "utf8")) as T;
const regions = readJson<Region[]>(path.join(REFERENCE, "regions.json"));
const organisations = readJson<Organisation[]>(path.join(REFERENCE, "organisations.json"));
const hrcs = readJson<HrcsCategory[]>(path.join(REFERENCE, "hrcs-categories.json"));
const icd10 = readJson<Icd10[]>(path.join(REFERENCE, "icd10.json"));
const hospitals = organisations.flatMap((o) => o.hospitals);

/**
 * A small CSV reader (RFC 4180): quoted fields may hold commas, doubled quotes and line breaks.
 * Returns one object per data row keyed by the header; a leading BOM is dropped.
 */
function parseCsv(text: string): Record<string, string>[] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  const input = text.replace(/^\uFEFF/, "");
  for (let i = 0; i < input.length; i++) {
    const c = input[i]!;
    if (quoted) {
      if (c === '"' && input[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && input[i + 1] === "\n") i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += c;
  }
  if (field !== "" || row.length > 0) rows.push([...row, field]);
  const [header, ...data] = rows;
  return data
    .filter((r) => !(r.length === 1 && r[0] === ""))
    .map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i] ?? ""])));
}

const readCsv = (relative: string) => parseCsv(readFileSync(path.join(SHARED, relative), "utf8"));

function distanceKm(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.sqrt(h));
}

/**
 * Hospitals allowed to be further than MAX_KM from every listed treatment site, with the reason.
 * Only for private non-profit sites missing from both lists. Empty today: every site is listed.
 */
const NOT_IN_SITE_LISTS: Record<string, string> = {};
const MAX_KM = 3;

describe("reference lists: structure", () => {
  it("has the four regional health authorities", () => {
    expect(regions.map((r) => r.id).sort()).toEqual(["helse-midt-norge", "helse-nord", "helse-sor-ost", "helse-vest"]);
    expect(new Set(regions.map((r) => r.name)).size).toBe(4);
  });

  it("gives every organisation an existing region and at least one hospital", () => {
    const regionIds = new Set(regions.map((r) => r.id));
    expect(organisations.filter((o) => !regionIds.has(o.regionId)).map((o) => o.id)).toEqual([]);
    expect(organisations.filter((o) => o.hospitals.length === 0).map((o) => o.id)).toEqual([]);
  });

  it("uses unique ids for organisations and for hospitals", () => {
    const duplicates = (ids: string[]) => ids.filter((id, i) => ids.indexOf(id) !== i);
    expect(duplicates(organisations.map((o) => o.id))).toEqual([]);
    expect(duplicates(hospitals.map((h) => h.id))).toEqual([]);
  });

  it("names hospitals <organisation id>-<place>", () => {
    const wrong = organisations.flatMap((o) =>
      o.hospitals.filter((h) => !h.id.startsWith(`${o.id}-`) || !/^[a-z0-9-]+$/.test(h.id)).map((h) => h.id),
    );
    expect(wrong).toEqual([]);
  });

  it("has at least 20 health trusts and 5 private non-profit hospitals", () => {
    expect(organisations.filter((o) => o.kind === "hf").length).toBeGreaterThanOrEqual(20);
    expect(organisations.filter((o) => o.kind === "private_nonprofit").length).toBeGreaterThanOrEqual(5);
    expect(organisations.filter((o) => o.kind !== "hf" && o.kind !== "private_nonprofit").map((o) => o.id)).toEqual([]);
  });

  it("places every hospital inside mainland Norway's bounding box", () => {
    const outside = hospitals
      .filter((h) => !(h.lat >= 57.9 && h.lat <= 71.2 && h.lon >= 4.5 && h.lon <= 31.2))
      .map((h) => `${h.id} (${h.lat}, ${h.lon})`);
    expect(outside).toEqual([]);
  });

  it("has the 21 HRCS health categories with unique ids", () => {
    expect(hrcs).toHaveLength(21);
    expect(new Set(hrcs.map((c) => c.id)).size).toBe(21);
    expect(hrcs.map((c) => c.id).sort()).toEqual(
      [
        "blood",
        "cancer",
        "cardiovascular",
        "congenital",
        "ear",
        "eye",
        "infection",
        "inflammatory-immune",
        "injuries-accidents",
        "mental-health",
        "metabolic-endocrine",
        "musculoskeletal",
        "neurological",
        "oral-gastrointestinal",
        "renal-urogenital",
        "reproductive-health",
        "respiratory",
        "skin",
        "stroke",
        "generic",
        "other",
      ].sort(),
    );
    // A name or alias must point to one category only, or the ingest could not map it.
    const names = hrcs.flatMap((c) => [c.nameNb, ...c.aliases].map((n) => n.toLowerCase()));
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
  });

  it("passes the schema the application loads at start", () => {
    const ref = loadReferenceData(REFERENCE);
    expect(ref.organisations).toHaveLength(organisations.length);
    expect(ref.icd10).toHaveLength(icd10.length);
  });
});

describe("reference lists against what ships with the project", () => {
  it("uses current (2024) municipality numbers with their names (the shipped postcode list's)", () => {
    const postcodes = parseShippedPostcodes(
      gunzipSync(readFileSync(path.join(REFERENCE, "postcodes.tsv.gz"))).toString("utf8"),
    ).rows;
    const names = new Map(
      postcodes.filter((p) => p.inUse && p.municipalityNumber).map((p) => [p.municipalityNumber!, p.municipality!]),
    );
    expect(names.size).toBeGreaterThan(350);
    const wrong = hospitals
      .filter((h) => h.municipalityNumber != null && names.get(h.municipalityNumber) !== h.municipality)
      .map(
        (h) =>
          `${h.id} (${h.municipalityNumber} ${h.municipality}, expected ${names.get(h.municipalityNumber!) ?? "no such number"})`,
      );
    expect(wrong).toEqual([]);
  });

  it("uses only ICD-10 codes of the Norwegian ICD-10 (@navikt/diagnosekoder), with the official name", () => {
    const official = readJson<{ code: string; text: string }[]>(
      path.join(referenceSources().diagnosekoderDir, "lib/ICD10.json"),
    );
    expect(official.length).toBe(19_634);
    const textByCode = new Map(official.map((c) => [c.code, c.text]));
    // The official list holds the codes used for coding: a three-character category that has
    // subcodes (C50, E11, I48 ...) appears only through them. Such a category is a real code
    // too and is what the studies are tagged with, so it counts when it has official subcodes;
    // its name is then ours, since the list has none to compare with.
    const categories = new Set(official.filter((c) => c.code.length > 3).map((c) => c.code.slice(0, 3)));
    const unknown = icd10
      .filter((c) => !textByCode.has(c.code) && !(c.code.length === 3 && categories.has(c.code)))
      .map((c) => c.code);
    expect(unknown).toEqual([]);
    const misnamed = icd10
      .filter((c) => textByCode.has(c.code) && textByCode.get(c.code) !== c.nameNb)
      .map((c) => `${c.code}: "${c.nameNb}" ≠ "${textByCode.get(c.code)}"`);
    expect(misnamed).toEqual([]);
    const codes = icd10.map((c) => c.code);
    expect(codes.filter((c, i) => codes.indexOf(c) !== i)).toEqual([]);
  });
});

// Files without a licence to ship (or not vendored): run where ../shared/data is present (CI).
describe.skipIf(!SHARED_PRESENT)(
  `reference lists against the real public data in ../shared/data (skipped: ${SHARED} is absent)`,
  () => {
    it("includes every health trust (HF) of the real HF → RHF list, in the right region", () => {
      const rows = readCsv("norway-hospitals/kapasitet_helseforetak_rhf.csv");
      expect(rows).toHaveLength(20);
      const regionIdByShortName = new Map(regions.map((r) => [r.shortName, r.id]));
      const missing = rows
        .filter((row) => {
          const org = organisations.find((o) => o.name === row.helseforetak);
          return !org || org.kind !== "hf" || org.regionId !== regionIdByShortName.get(row.helseregion!);
        })
        .map((row) => `${row.helseforetak} (${row.helseregion})`);
      expect(missing).toEqual([]);
    });

    it(`places every hospital within ${MAX_KM} km of a real treatment site (Eurostat GISCO or OpenStreetMap)`, () => {
      const toSite = (lat: string | undefined, lon: string | undefined) => ({ lat: Number(lat), lon: Number(lon) });
      const valid = (s: { lat: number; lon: number }) =>
        Number.isFinite(s.lat) && Number.isFinite(s.lon) && s.lat !== 0;
      const eurostat = readCsv("norway-hospitals/eurostat_healthcare_NO.csv")
        .map((r) => toSite(r.lat, r.lon))
        .filter(valid);
      const osmHospitals = readCsv("norway-hospitals/kapasitet_facilities_osm.csv")
        .filter((r) => r.facility_type === "sykehus")
        .map((r) => toSite(r.lat, r.lon))
        .filter(valid);
      expect(eurostat.length).toBeGreaterThan(600);
      expect(osmHospitals.length).toBeGreaterThan(150);
      const sites = [...eurostat, ...osmHospitals];
      const far = hospitals
        .filter((h) => !(h.id in NOT_IN_SITE_LISTS))
        .map((h) => ({ id: h.id, km: Math.min(...sites.map((s) => distanceKm(h, s))) }))
        .filter((x) => x.km > MAX_KM)
        .map((x) => `${x.id} (${x.km.toFixed(1)} km)`);
      expect(far, `hospitals more than ${MAX_KM} km from any listed site: ${far.join(", ")}`).toEqual([]);
    });

    it("maps every category name seen in the real hospital study feed to an HRCS category", () => {
      const feed = readJson<{ kategorier?: string[] | null }[]>(
        path.join(SHARED, "norway-helsenorge-studier/fnsp_kliniske_studier_dummydata.json"),
      );
      const known = new Set(hrcs.flatMap((c) => [c.nameNb, ...c.aliases].map((n) => n.toLowerCase())));
      const seen = [...new Set(feed.flatMap((s) => s.kategorier ?? []))];
      expect(seen.length).toBeGreaterThan(10);
      expect(seen.filter((name) => !known.has(name.toLowerCase()))).toEqual([]);
    });
  },
);
