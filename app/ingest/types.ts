/**
 * The contract between format mappers (pure: raw input → candidate study records) and the ingest
 * service (validation with studyInputSchema, merging, versions, withdrawal, run records).
 */
import type { StudyInput } from "#app/domain/study";

export const INGEST_FORMATS = ["native", "ctgov-json", "ctgov-csv", "fhir", "ctis-csv"] as const;
export type IngestFormat = (typeof INGEST_FORMATS)[number];

/** Where a problem is, for people: "record 3 (id 88309)", "line 14", "NCT01234567.json". */
export interface Rejection {
  ref: string;
  externalId: string | null;
  field: string;
  message: string;
}

export interface MappedRecord {
  ref: string;
  /** The source's own id for the record (feed id, NCT id, EU CT number, FHIR id). */
  externalId: string;
  /** A candidate study; the service validates it with studyInputSchema and reports problems per field. */
  study: StudyInput;
  /** Notes on lossy mapping the operator should know about (e.g. "location X not matched to an organisation"). */
  warnings: string[];
}

/** A record deliberately left out, and why (e.g. a ClinicalTrials.gov study without a Norwegian site). */
export interface SkippedRecord {
  ref: string;
  externalId: string | null;
  /** Short, stable wording: runs count skipped records per reason. */
  reason: string;
}

export interface MapResult {
  records: MappedRecord[];
  rejected: Rejection[];
  /** Records deliberately left out, each with its reason; every record read is a record, a rejection or one of these. */
  skipped?: SkippedRecord[];
}

/** Reasons mappers give for skipping (one wording per reason, so runs can count them). */
export const SKIP_REASONS = {
  noNorwegianSite: "ingen norsk studiested",
  notResearchStudy: "ikke en ResearchStudy",
  noMatchedOrganisation: "norske studiesteder som ikke kunne kobles til en organisasjon",
} as const;

/** A reference organisation as mappers see it (from data/reference/organisations.json). */
export interface OrganisationRef {
  id: string;
  name: string;
  shortName: string;
  regionId: string;
  hospitals: { id: string; name: string; municipality?: string | null; lat: number; lon: number }[];
}

export interface MapContext {
  /** The organisation sending the data (owner of the sites it sends). */
  organisationId: string;
  organisations: OrganisationRef[];
  /**
   * The day the data was received, an Oslo calendar date (YYYY-MM-DD), passed by the caller so
   * that mappers stay pure: the date a source status without a date of its own (a hospital
   * listing's "Åpen for rekruttering") is declared on. Mappers fall back to today in Oslo.
   */
  receivedOn?: string;
  /**
   * The most bytes any unpacking (gzip, the entries of a zip together) and any input text may
   * come to; the portal passes INGEST_MAX_BYTES (app/ingest/formats.server.ts: buildMapContext),
   * so a small compressed body can never unpack to more than the body limit itself. Unset: each
   * mapper's own ceiling.
   */
  maxUnpackedBytes?: number;
}
