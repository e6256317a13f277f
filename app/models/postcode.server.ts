/** Postcode → coordinates (table postcodes, loaded by scripts/postcodes-load.ts). */
import type { Db } from "#app/db.server";
import type { LocatedPoint, ShippedPostcode } from "#app/domain/postcode-list";
import { sql } from "./statements.server";

export type PostcodeRow = LocatedPoint;

export function lookupPostcode(db: Db, postcode: string): PostcodeRow | null {
  if (!/^\d{4}$/.test(postcode)) return null;
  const row = sql(
    db,
    `SELECT postcode, place, municipality_number AS municipalityNumber, municipality, lat, lon, in_use AS inUse
     FROM postcodes WHERE postcode = ?`,
  ).get(postcode) as (Omit<PostcodeRow, "inUse"> & { inUse: number }) | undefined;
  return row ? { ...row, inUse: row.inUse === 1 } : null;
}

/**
 * Replaces the whole table in one transaction (a failed load leaves the old list in place).
 * `source`: one for every row, or each row's own.
 */
export function replacePostcodes<R extends PostcodeRow>(
  db: Db,
  rows: readonly R[],
  source: string | ((row: R) => string),
): number {
  const sourceOf = typeof source === "string" ? () => source : source;
  const insert = sql(
    db,
    `INSERT INTO postcodes (postcode, place, municipality_number, municipality, lat, lon, in_use, source)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  db.transaction(() => {
    sql(db, "DELETE FROM postcodes").run();
    for (const r of rows)
      insert.run(r.postcode, r.place, r.municipalityNumber, r.municipality, r.lat, r.lon, r.inUse ? 1 : 0, sourceOf(r));
  }).immediate();
  return rows.length;
}

/** Where a shipped postcode's point comes from, as stored in postcodes.source. */
export const SHIPPED_POSTCODE_SOURCE = {
  postcode: "erikbolstad.no/postnummer",
  place: "erikbolstad.no/postnummer (sentrum av stedet)",
  municipality: "erikbolstad.no/postnummer (sentrum av kommunen)",
} as const;

/** The project's shipped list (data/reference/postcodes.tsv.gz), replacing the table in one transaction. */
export function replaceWithShippedPostcodes(db: Db, rows: readonly ShippedPostcode[]): number {
  return replacePostcodes(db, rows, (r) => SHIPPED_POSTCODE_SOURCE[r.located]);
}

export function countPostcodes(db: Db): number {
  return sql(db, "SELECT count(*) FROM postcodes").pluck().get() as number;
}

/**
 * The centre of each place and municipality in the postcode list (the mean of its postcodes'
 * points), by upper-cased name: where a source names a place that is no registered hospital and
 * gives no coordinates ("Moelv"), its place or municipality stands in, so the nearest-site search
 * can still place it. Empty when no postcode list is loaded.
 */
export function placeCentres(db: Db): Map<string, { lat: number; lon: number }> {
  const rows = sql(db, "SELECT place, municipality, lat, lon FROM postcodes WHERE in_use = 1").all() as {
    place: string;
    municipality: string | null;
    lat: number;
    lon: number;
  }[];
  const sums = new Map<string, { lat: number; lon: number; n: number }>();
  const add = (name: string | null, lat: number, lon: number) => {
    if (!name) return;
    const key = placeKey(name);
    const sum = sums.get(key) ?? { lat: 0, lon: 0, n: 0 };
    sums.set(key, { lat: sum.lat + lat, lon: sum.lon + lon, n: sum.n + 1 });
  };
  for (const r of rows) {
    add(r.place, r.lat, r.lon);
    // A municipality's own name only where no place has it (the place is the more precise).
    if (r.municipality && placeKey(r.municipality) !== placeKey(r.place))
      add(`kommune:${r.municipality}`, r.lat, r.lon);
  }
  const centres = new Map<string, { lat: number; lon: number }>();
  for (const [key, s] of sums)
    centres.set(key, { lat: Math.round((s.lat / s.n) * 1e5) / 1e5, lon: Math.round((s.lon / s.n) * 1e5) / 1e5 });
  for (const [key, centre] of [...centres]) {
    if (key.startsWith("KOMMUNE:")) {
      const name = key.slice("KOMMUNE:".length);
      if (!centres.has(name)) centres.set(name, centre);
      centres.delete(key);
    }
  }
  return centres;
}

export const placeKey = (name: string) => name.trim().toUpperCase();
