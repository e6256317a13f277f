/**
 * Reference lists: regions (RHF), organisations (HF and private non-profit hospitals) with their
 * hospitals, HRCS health categories and ICD-10 codes. Owned by the project (data/reference) and
 * upserted at every start, so a corrected list reaches an existing database.
 */
import type { Db } from "#app/db.server";
import type { ReferenceData } from "#app/domain/reference";
import { sql } from "./statements.server";

export interface Region {
  id: string;
  name: string;
  shortName: string;
}

export interface Hospital {
  id: string;
  organisationId: string;
  name: string;
  municipality: string | null;
  municipalityNumber: string | null;
  lat: number | null;
  lon: number | null;
  /** The organisation's main hospital (where a site that names no hospital is placed). */
  main: boolean;
}

export interface Organisation {
  id: string;
  name: string;
  shortName: string;
  kind: string;
  regionId: string;
  regionName: string;
  orgnr: string | null;
  website: string | null;
}

export interface HrcsCategory {
  id: string;
  nameNb: string;
  nameEn: string;
  aliases: string[];
}

export function upsertReferenceData(db: Db, ref: ReferenceData): void {
  const region = db.prepare(
    `INSERT INTO regions (id, name, short_name) VALUES (@id, @name, @shortName)
     ON CONFLICT(id) DO UPDATE SET name = excluded.name, short_name = excluded.short_name`,
  );
  const organisation = db.prepare(
    `INSERT INTO organisations (id, name, short_name, kind, region_id, orgnr, website)
     VALUES (@id, @name, @shortName, @kind, @regionId, @orgnr, @website)
     ON CONFLICT(id) DO UPDATE SET name = excluded.name, short_name = excluded.short_name, kind = excluded.kind,
       region_id = excluded.region_id, orgnr = excluded.orgnr, website = excluded.website`,
  );
  const hospital = db.prepare(
    `INSERT INTO hospitals (id, organisation_id, name, municipality, municipality_number, lat, lon)
     VALUES (@id, @organisationId, @name, @municipality, @municipalityNumber, @lat, @lon)
     ON CONFLICT(id) DO UPDATE SET organisation_id = excluded.organisation_id, name = excluded.name,
       municipality = excluded.municipality, municipality_number = excluded.municipality_number,
       lat = excluded.lat, lon = excluded.lon`,
  );
  // The first hospital listed for an organisation is its main hospital: where a site that names
  // no hospital is placed (and shown as placed there).
  const mainHospital = db.prepare("UPDATE organisations SET main_hospital_id = ? WHERE id = ?");
  const category = db.prepare(
    `INSERT INTO hrcs_categories (id, name_nb, name_en, aliases) VALUES (@id, @nameNb, @nameEn, @aliases)
     ON CONFLICT(id) DO UPDATE SET name_nb = excluded.name_nb, name_en = excluded.name_en, aliases = excluded.aliases`,
  );
  const icd10 = db.prepare(
    `INSERT INTO icd10_codes (code, name_nb) VALUES (@code, @nameNb)
     ON CONFLICT(code) DO UPDATE SET name_nb = excluded.name_nb`,
  );
  db.transaction(() => {
    for (const r of ref.regions) region.run(r);
    for (const o of ref.organisations) {
      organisation.run({ ...o, orgnr: o.orgnr ?? null, website: o.website ?? null });
      for (const h of o.hospitals) {
        hospital.run({
          ...h,
          organisationId: o.id,
          municipality: h.municipality ?? null,
          municipalityNumber: h.municipalityNumber ?? null,
        });
      }
      mainHospital.run(o.hospitals[0]!.id, o.id);
    }
    for (const c of ref.hrcsCategories) category.run({ ...c, aliases: JSON.stringify(c.aliases) });
    for (const c of ref.icd10) icd10.run(c);
  }).immediate();
}

export function listRegions(db: Db): Region[] {
  return sql(db, "SELECT id, name, short_name AS shortName FROM regions ORDER BY name").all() as Region[];
}

export function listOrganisations(db: Db): Organisation[] {
  return sql(
    db,
    `SELECT o.id, o.name, o.short_name AS shortName, o.kind, o.region_id AS regionId, r.name AS regionName,
              o.orgnr, o.website
       FROM organisations o JOIN regions r ON r.id = o.region_id
       ORDER BY r.name, o.name`,
  ).all() as Organisation[];
}

export function listHospitals(db: Db, organisationId?: string): Hospital[] {
  const query = `SELECT h.id, h.organisation_id AS organisationId, h.name, h.municipality, h.municipality_number AS municipalityNumber, h.lat, h.lon,
                      coalesce(o.main_hospital_id = h.id, 0) AS main
               FROM hospitals h LEFT JOIN organisations o ON o.id = h.organisation_id
               ${organisationId ? "WHERE h.organisation_id = ?" : ""} ORDER BY h.name`;
  const stmt = sql(db, query);
  const rows = (organisationId ? stmt.all(organisationId) : stmt.all()) as (Omit<Hospital, "main"> & {
    main: number;
  })[];
  return rows.map((r) => ({ ...r, main: r.main === 1 }));
}

export function listHrcsCategories(db: Db): HrcsCategory[] {
  const rows = sql(
    db,
    "SELECT id, name_nb AS nameNb, name_en AS nameEn, aliases FROM hrcs_categories ORDER BY name_nb",
  ).all() as (Omit<HrcsCategory, "aliases"> & { aliases: string })[];
  return rows.map((r) => ({ ...r, aliases: JSON.parse(r.aliases) as string[] }));
}

export function icd10Names(db: Db, codes: readonly string[]): Map<string, string> {
  if (codes.length === 0) return new Map();
  const rows = sql(
    db,
    "SELECT code, name_nb AS nameNb FROM icd10_codes WHERE code IN (SELECT value FROM json_each(?))",
  ).all(JSON.stringify(codes)) as { code: string; nameNb: string }[];
  return new Map(rows.map((r) => [r.code, r.nameNb]));
}

export interface Icd10Code {
  code: string;
  nameNb: string;
}

/**
 * ICD-10 codes that published studies use, with their Norwegian names: the autocomplete list on
 * the clinician page. Not the whole list (npm run icd10:load brings in ~19,000 codes), which would
 * make the page megabytes; a code no study uses would find nothing anyway.
 */
export function listIcd10CodesInUse(db: Db): Icd10Code[] {
  return sql(
    db,
    `SELECT DISTINCT c.code, c.name_nb AS nameNb FROM study_icd10 si
       JOIN studies s ON s.id = si.study_id AND s.publication_state = 'published'
       JOIN icd10_codes c ON c.code = si.code
       ORDER BY c.code`,
  ).all() as Icd10Code[];
}
