/**
 * The real files in ../shared/data against the truth table (tests/fixtures/real-data/truth-table.json,
 * issue 16): maps each source with the portal's own mapper and says, per record, whether the
 * sites, the lead, the status and its basis at each instant, and the fields a reader needs agree
 * with what the source itself says. Used by tests/unit/real-data-truth.test.ts and by
 * scripts/audit-real-data.ts (which also ingests every source into a fresh database).
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { siteState, type InclusionWindow } from "#app/domain/inclusion-status";
import { parseStudy, type Study } from "#app/domain/study";
import { mapInput, type FullMapContext } from "#app/ingest/formats.server";
import type { IngestFormat, MappedRecord, MapResult } from "#app/ingest/types";
import { sharedDataDir } from "./shared-data";

/** ../shared/data, or KLINISKE_SHARED_DATA (a path that does not exist means absent). */
export const DATA_ROOT = sharedDataDir();
/** Source files whose licence allows it are vendored unchanged here (tests/fixtures/SOURCES.md). */
export const VENDORED_ROOT = path.resolve(process.cwd(), "tests/fixtures");
const VENDORED = new Set([
  "fhir-researchstudy/ECLAIRE-Bundle-searchset-20-ResearchStudy.r4.json",
  "fhir-researchstudy/ResearchStudy-ECLAIREResearchStudy-example-2022-500014-26-00.r4.json",
  "fhir-researchstudy/ResearchStudy-2022-500520-30-00.r4.json",
]);

/** Where a source file is read from: its vendored copy where there is one, else the shared folder. */
export function sourceFile(rel: string): string {
  return VENDORED.has(rel) ? path.join(VENDORED_ROOT, rel) : path.join(DATA_ROOT, rel);
}
export const TRUTH_FILE = path.resolve(process.cwd(), "tests/fixtures/real-data/truth-table.json");

export type SourceKey = "ctgov-json" | "ctgov-csv-official" | "ctgov-csv-ms" | "ctis-csv" | "fhir" | "listing";

/** Where each source's records are, and which of the portal's formats reads them. */
export const SOURCES: Record<SourceKey, { files: string[]; format: IngestFormat }> = {
  "ctgov-json": { files: ["ctgov-v2/ctgov_v2_studies.jsonl.gz"], format: "ctgov-json" },
  "ctgov-csv-official": { files: ["ctgov-csv-exports/Anand21J-V__ctg-studies_1000.csv.gz"], format: "ctgov-csv" },
  // A third party's own flattening of the API, not a ClinicalTrials.gov format: the portal refuses
  // it with one clear message, and the truth table records what it would have meant.
  "ctgov-csv-ms": {
    files: ["ctgov-csv-exports/brunoamaral_mswarriors__clinicaltrials_ms_20250925.csv.gz"],
    format: "ctgov-csv",
  },
  "ctis-csv": { files: ["eu-ctis-euctr/brunoamaral_mswarriors__CTIS_trials_20250924.csv.gz"], format: "ctis-csv" },
  fhir: {
    files: [
      "fhir-researchstudy/ECLAIRE-Bundle-searchset-20-ResearchStudy.r4.json",
      "fhir-researchstudy/ResearchStudy-ECLAIREResearchStudy-example-2022-500014-26-00.r4.json",
      "fhir-researchstudy/ResearchStudy-2022-500520-30-00.r4.json",
    ],
    format: "fhir",
  },
  listing: { files: ["norway-helsenorge-studier/fnsp_kliniske_studier_dummydata.json"], format: "native" },
};

/** The files of one source that are neither vendored nor in the shared folder. */
export const missingFiles = (source: SourceKey) => SOURCES[source].files.filter((f) => !existsSync(sourceFile(f)));
export const sourceAvailable = (source: SourceKey) => missingFiles(source).length === 0;
export const realDataAvailable = () => (Object.keys(SOURCES) as SourceKey[]).every(sourceAvailable);

interface TruthExpectation {
  status: string;
  basis: string;
}
export interface TruthSite {
  name: string | null;
  city: string | null;
  organisationId: string | null;
  hospitalId: string | null;
  sourceStatus?: string;
  expected?: Record<string, TruthExpectation>;
}
export interface TruthRecord {
  source: SourceKey;
  externalId: string;
  lastUpdate: string | null;
  sourceStatus: string;
  lead: { name: string; organisationId: string | null } | null;
  sites: TruthSite[];
  norwayListed?: boolean;
  unnamedSitesStatus?: { sourceStatus: string; expected: Record<string, TruthExpectation> } | null;
  fields: { officialTitle?: boolean; keywords?: string[] | null; healthyVolunteers?: boolean | null };
  held: string | null;
  notes: string[];
}
export interface TruthTable {
  records: TruthRecord[];
}

export function loadTruth(): TruthTable {
  return JSON.parse(readFileSync(TRUTH_FILE, "utf8")) as TruthTable;
}

/** Maps every file of a source with the portal's mapper, as a sender `ctx.organisationId` would. */
export function mapSource(source: SourceKey, ctx: FullMapContext): MapResult {
  const results = SOURCES[source].files.map((f) => mapInput(SOURCES[source].format, readFileSync(sourceFile(f)), ctx));
  return {
    records: results.flatMap((r) => r.records),
    rejected: results.flatMap((r) => r.rejected),
    skipped: results.flatMap((r) => r.skipped ?? []),
  };
}

export type CheckKind = "site" | "lead" | "status" | "status-on-update-day" | "field";
export interface Check {
  kind: CheckKind;
  ok: boolean;
  what: string;
}

/** Noon in Oslo on a calendar date: the instant a day's status is asked at. */
const noon = (day: string) => new Date(`${day}T11:00:00Z`);
const norm = (s: string | null | undefined) => (s ?? "").normalize("NFKC").trim().toLowerCase().replace(/\s+/g, " ");

type MappedSite = Study["sites"][number];

function findSite(sites: MappedSite[], truth: TruthSite): MappedSite | undefined {
  if (truth.organisationId) {
    return sites.find(
      (s) =>
        s.organisationId === truth.organisationId && (truth.hospitalId == null || s.hospitalId === truth.hospitalId),
    );
  }
  // A place that is no registered organisation: by its name, or by its city when the source
  // gives no facility name.
  return sites.find(
    (s) =>
      s.organisationId == null &&
      (truth.name ? norm(s.name) === norm(truth.name) : norm(s.city ?? s.name) === norm(truth.city)),
  );
}

function statusChecks(
  site: InclusionWindow,
  expected: Record<string, TruthExpectation>,
  receivedOn: string,
  lastUpdate: string | null,
  label: string,
): Check[] {
  const checks: Check[] = [];
  for (const [key, want] of Object.entries(expected)) {
    const day = key === "receipt" ? receivedOn : key;
    const got = siteState(site, noon(day));
    const ok =
      got.status === want.status &&
      (got.basis === want.basis || (want.basis === "unknown" && got.status === "unknown"));
    const what = `${label} on ${day}: expected ${want.status} (${want.basis}), got ${got.status} (${got.basis})`;
    checks.push({ kind: key === lastUpdate || key === "receipt" ? "status-on-update-day" : "status", ok, what });
  }
  return checks;
}

/** Every check of one truth record against what the mapper made of the same source record. */
export function checkRecord(truth: TruthRecord, mapped: MappedRecord | undefined, receivedOn: string): Check[] {
  const id = `${truth.source} ${truth.externalId}`;
  if (!mapped) return [{ kind: "site", ok: false, what: `${id}: not mapped (rejected or skipped)` }];
  const parsed = parseStudy(mapped.study);
  if (!parsed.ok)
    return [
      {
        kind: "site",
        ok: false,
        what: `${id}: invalid after mapping: ${parsed.problems.map((p) => `${p.field} ${p.message}`).join("; ")}`,
      },
    ];
  const study = parsed.study;
  const checks: Check[] = [];

  // Sites: every one the source names, none it does not.
  const expectedSites = truth.sites.length + (truth.unnamedSitesStatus ? 1 : 0);
  checks.push({
    kind: "site",
    ok: study.sites.length === expectedSites,
    what: `${id}: ${study.sites.length} sites, the source names ${expectedSites}`,
  });
  for (const t of truth.sites) {
    const site = findSite(study.sites, t);
    const label = `${id} site ${t.organisationId ?? t.name ?? t.city}`;
    checks.push({ kind: "site", ok: site != null, what: `${label}: ${site ? "present" : "missing"}` });
    if (site && t.expected) checks.push(...statusChecks(site, t.expected, receivedOn, truth.lastUpdate, label));
  }
  if (truth.unnamedSitesStatus) {
    const unnamed = study.sites.find((s) => s.organisationId == null);
    const label = `${id} unnamed Norwegian sites`;
    checks.push({ kind: "site", ok: unnamed != null, what: `${label}: ${unnamed ? "present" : "missing"}` });
    if (unnamed)
      checks.push(...statusChecks(unnamed, truth.unnamedSitesStatus.expected, receivedOn, truth.lastUpdate, label));
  }

  // The lead is the record's own, or unknown; never the sender.
  const leadOk =
    truth.lead == null
      ? study.lead == null
      : study.lead != null &&
        norm(study.lead.name) === norm(truth.lead.name) &&
        study.lead.organisationId === truth.lead.organisationId;
  checks.push({
    kind: "lead",
    ok: leadOk,
    what: `${id} lead: expected ${JSON.stringify(truth.lead && { name: truth.lead.name, organisationId: truth.lead.organisationId })}, got ${JSON.stringify(study.lead)}`,
  });

  // Fields a reader needs: kept, and unknown left unknown.
  const f = truth.fields ?? {};
  if (f.officialTitle != null)
    checks.push({
      kind: "field",
      ok: f.officialTitle === (study.officialTitle != null),
      what: `${id} official title ${f.officialTitle ? "kept" : "absent"}`,
    });
  if (Array.isArray(f.keywords) && f.keywords.length > 0) {
    const kept = f.keywords.every((k) => study.keywords.some((x) => norm(x) === norm(k)));
    checks.push({
      kind: "field",
      ok: kept,
      what: `${id} keywords ${kept ? "kept" : `lost (${f.keywords.join(", ")} vs ${study.keywords.join(", ")})`}`,
    });
  }
  if (f.healthyVolunteers !== undefined) {
    checks.push({
      kind: "field",
      ok: f.healthyVolunteers === study.eligibility.healthyVolunteers,
      what: `${id} healthy volunteers: the source says ${String(f.healthyVolunteers)}, mapped ${String(study.eligibility.healthyVolunteers)}`,
    });
  }
  return checks;
}

/** The source record each truth record is about, by the mapper's external id. */
export function byExternalId(result: MapResult): Map<string, MappedRecord> {
  return new Map(result.records.map((r) => [r.externalId, r]));
}
