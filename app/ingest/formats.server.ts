/**
 * Format registry: the format is always given explicitly (--format, a query parameter or the
 * Content-Type); nothing here guesses which mapper to use. What was sent is still sniffed
 * (detect-format.ts), only to answer a declaration that cannot be right with one clear message
 * instead of one rejection per line.
 */
import type { Db } from "#app/db.server";
import { osloDate } from "#app/domain/inclusion-status";
import { listHospitals, listHrcsCategories, listOrganisations } from "#app/models/reference.server";
import { parseCtgovCsv } from "./mappers/ctgov-csv.server";
import { parseCtgovJson } from "./mappers/ctgov-json.server";
import { parseCtisCsv } from "./mappers/ctis-csv.server";
import { parseFhirResearchStudy } from "./mappers/fhir-research-study";
import { detectInput, formatMismatch } from "./detect-format.server";
import { parseNativeJson, type CategoryRef } from "./mappers/native";
import type { IngestFormat, MapContext, MapResult } from "./types";
import { isGzip, unpackGzipWithin, type Unpacked } from "./unpack.server";

/** Formats whose mappers read gzip (native and fhir read plain JSON only). */
const GZIP_FORMATS: readonly IngestFormat[] = ["ctgov-json", "ctgov-csv", "ctis-csv"];

/**
 * A delivery as the mapper should see it: a gzip body of a format that may be gzipped is unpacked
 * here, streamed, and refused once it passes `max` (INGEST_MAX_BYTES); anything else as it is.
 * The ingest API and the feed poller call this before mapInput.
 */
export async function unpackDelivery(format: IngestFormat, body: Buffer, max: number): Promise<Unpacked> {
  if (!GZIP_FORMATS.includes(format) || !isGzip(body)) return { ok: true, bytes: body };
  return unpackGzipWithin(body, max);
}

export type FullMapContext = MapContext & { categories: CategoryRef[] };

/**
 * What the mappers need to know about the portal. `maxUnpackedBytes`: the most any unpacking
 * (gzip, zip entries) may come to; the ingest API and the feed poller pass their delivery limit
 * (INGEST_MAX_BYTES), so a small packed body cannot unpack past what a plain one may be. Without
 * it (operator CLIs) each mapper's own cap holds.
 */
export function buildMapContext(
  db: Db,
  organisationId: string,
  now: Date = new Date(),
  maxUnpackedBytes?: number,
): FullMapContext {
  const hospitals = listHospitals(db);
  return {
    organisationId,
    // A status a listing declares without a date is declared as of the day it is received.
    receivedOn: osloDate(now),
    organisations: listOrganisations(db).map((o) => ({
      id: o.id,
      name: o.name,
      shortName: o.shortName,
      regionId: o.regionId,
      hospitals: hospitals
        .filter((h) => h.organisationId === o.id)
        .map((h) => ({ id: h.id, name: h.name, municipality: h.municipality, lat: h.lat ?? 0, lon: h.lon ?? 0 })),
    })),
    categories: listHrcsCategories(db),
    ...(maxUnpackedBytes !== undefined ? { maxUnpackedBytes } : {}),
  };
}

type Mapper = (input: Buffer, ctx: FullMapContext) => MapResult;

const MAPPERS: Partial<Record<IngestFormat, Mapper>> = {
  native: (input, ctx) => parseNativeJson(input, ctx),
  // Registry imports keep only studies with a Norwegian site (the portal is a Norwegian overview).
  "ctgov-json": (input, ctx) => parseCtgovJson(input, ctx, { norwayOnly: true }),
  "ctgov-csv": (input, ctx) => parseCtgovCsv(input, ctx, { norwayOnly: true }),
  fhir: (input, ctx) => parseFhirResearchStudy(input, ctx),
  "ctis-csv": (input, ctx) => parseCtisCsv(input, ctx),
};

export function supportedFormats(): IngestFormat[] {
  return Object.keys(MAPPERS) as IngestFormat[];
}

export function mapInput(format: IngestFormat, input: Buffer, ctx: FullMapContext): MapResult {
  const mapper = MAPPERS[format];
  if (!mapper) throw new Error(`Formatet "${format}" støttes ikke ennå (støttet: ${supportedFormats().join(", ")})`);
  return wrongFormat(format, input) ?? mapper(input, ctx);
}

/** One rejection for the whole file when it is plainly not the declared format; null when it may be. */
export function wrongFormat(format: IngestFormat, input: Buffer | string): MapResult | null {
  const message = formatMismatch(format, detectInput(input));
  return message
    ? { records: [], rejected: [{ ref: "hele filen", externalId: null, field: "(format)", message }] }
    : null;
}
