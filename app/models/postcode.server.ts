/** Postcode → coordinates (table postcodes, loaded by scripts/postcodes-load.ts). */
import type { Db } from "../db.server";
import { sql } from "./statements.server";

export interface PostcodeRow {
  postcode: string;
  place: string;
  municipalityNumber: string | null;
  municipality: string | null;
  lat: number;
  lon: number;
  inUse: boolean;
}

export function lookupPostcode(db: Db, postcode: string): PostcodeRow | null {
  if (!/^\d{4}$/.test(postcode)) return null;
  const row = sql(
    db,
    `SELECT postcode, place, municipality_number AS municipalityNumber, municipality, lat, lon, in_use AS inUse
     FROM postcodes WHERE postcode = ?`,
  ).get(postcode) as (Omit<PostcodeRow, "inUse"> & { inUse: number }) | undefined;
  return row ? { ...row, inUse: row.inUse === 1 } : null;
}

/** Replaces the whole table in one transaction (a failed load leaves the old list in place). */
export function replacePostcodes(db: Db, rows: PostcodeRow[], source: string): number {
  const insert = sql(
    db,
    `INSERT INTO postcodes (postcode, place, municipality_number, municipality, lat, lon, in_use, source)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  db.transaction(() => {
    sql(db, "DELETE FROM postcodes").run();
    for (const r of rows) insert.run(r.postcode, r.place, r.municipalityNumber, r.municipality, r.lat, r.lon, r.inUse ? 1 : 0, source);
  })();
  return rows.length;
}

export function countPostcodes(db: Db): number {
  return sql(db, "SELECT count(*) FROM postcodes").pluck().get() as number;
}
