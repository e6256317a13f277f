/**
 * npm run reference:postcodes -- [--shared <dir>] [--out <file>]
 * Rebuilds data/reference/postcodes.tsv.gz from Erik Bolstad's list (CC BY 3.0) and the current
 * 2026 postcode list (aprestmo/norway-geodata, MIT). Maintainers only: the portal reads the
 * shipped file and never needs ../shared.
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { buildShippedPostcodes, formatShippedPostcodes, type CurrentPostcode } from "#app/domain/postcode-list";
import { parseBolstadPostcodes } from "#app/ingest/postcodes";
import { parseScriptArgs } from "./lib/cli-args";

const HELP = `Usage: npm run reference:postcodes -- [--shared <dir>] [--out <file>]

Rebuilds the shipped postcode list data/reference/postcodes.tsv.gz (columns: postcode, place,
municipality_number, municipality, lat, lon, in_use, located) from
  <dir>/norway-postcodes/erikbolstad_postnummer.tsv        Erik Bolstad, CC BY 3.0, www.erikbolstad.no/postnummer/
  <dir>/norway-postcodes/aprestmo_postal-codes-2026.json   current postcodes, MIT (aprestmo/norway-geodata)
  <dir>/norway-postcodes/aprestmo_municipalities-2025.json.gz  municipality names, MIT
Every current postcode gets a point: its own, else the centre of its place, else of its
municipality (located = postcode | place | municipality). Fails if one cannot be placed.
--shared defaults to ../shared/data. The portal loads the shipped file at start (no ../shared).`;

const { values } = parseScriptArgs(HELP, { options: { shared: { type: "string" }, out: { type: "string" } } });
const shared = path.resolve(values.shared ?? "../shared/data");
const out = path.resolve(values.out ?? "data/reference/postcodes.tsv.gz");
const dir = path.join(shared, "norway-postcodes");

const bolstad = parseBolstadPostcodes(readFileSync(path.join(dir, "erikbolstad_postnummer.tsv"), "utf8"));
const current = (
  JSON.parse(readFileSync(path.join(dir, "aprestmo_postal-codes-2026.json"), "utf8")) as {
    code: string;
    place: string;
    id: string;
  }[]
).map((c): CurrentPostcode => ({ code: c.code, place: c.place, municipalityNumber: c.id }));
const municipalities = JSON.parse(
  gunzipSync(readFileSync(path.join(dir, "aprestmo_municipalities-2025.json.gz"))).toString("utf8"),
) as { id: string; name: string; name_no?: string }[];
// The Norwegian name ("Kautokeino"; `name` is the Sámi one for Sámi municipalities).
const names = new Map(municipalities.map((m) => [m.id, m.name_no ?? m.name]));

const { rows, unresolved } = buildShippedPostcodes(bolstad.rows, current, names);
if (unresolved.length) {
  console.error(
    `${unresolved.length} current postcode(s) cannot be placed: ${unresolved.map((u) => u.code).join(", ")}`,
  );
  process.exit(1);
}
const gz = gzipSync(Buffer.from(formatShippedPostcodes(rows), "utf8"), { level: 9 });
writeFileSync(out, gz);
const count = (located: string) => rows.filter((r) => r.inUse && r.located === located).length;
console.log(
  `Wrote ${out}: ${rows.length} postcodes (${current.length} current: ${count("postcode")} own point, ${count("place")} centre of place, ${count("municipality")} centre of municipality; ${rows.length - current.length} no longer in use), ${gz.length} bytes; ${bolstad.problems.length} line(s) of the old list skipped.`,
);
