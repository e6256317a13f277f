/**
 * ClinicalTrials.gov API v2 JSON → candidate studies. Pure: no I/O, no clock unless `options.now`
 * is left out (then "today" is the current date in Europe/Oslo).
 *
 * Accepted inputs (Buffer or string):
 *  - one v2 study object `{ protocolSection, … }`
 *  - a JSON array of study objects (the website's "Download JSON" for a search)
 *  - JSON Lines, one study per line
 *  - an API page `{ studies: [...], nextPageToken }`
 *  - the website's "Download JSON" zip (NCTxxxxxxxx.json per study), detected by PK\x03\x04
 *  - any of the above gzip-compressed (detected by 1f 8b)
 *
 * Hostile input: at most MAX_RECORDS studies, at most MAX_UNCOMPRESSED_BYTES decompressed in
 * total, zip entries with a compression ratio above MAX_ZIP_RATIO are refused, and malformed
 * JSON is reported as a Rejection ("line N", "record N", the zip entry name) — never thrown.
 *
 * Field mapping (v2 field → portal field):
 *  identificationModule.nctId                 → identifiers.nct and MappedRecord.externalId
 *  identificationModule.orgStudyIdInfo.id,
 *    secondaryIdInfos[].id                     → identifiers.euCt / eudract / isrctn, by pattern
 *                                                (EU CT 2023-501234-12-00 before EudraCT 2019-001234-12)
 *  identificationModule.briefTitle            → title.en AND title.nb (CT.gov is English only; nb is
 *                                                required, so nb holds the English text; warning)
 *  identificationModule.acronym               → shortTitle.nb/en (language neutral)
 *  identificationModule.officialTitle         → not mapped (the brief title is the public title)
 *  descriptionModule.briefSummary             → summary.en AND summary.nb (same reason)
 *  descriptionModule.detailedDescription      → scientificSummary.en
 *  conditionsModule.conditions                → conditions
 *  designModule.studyType                     → studyType: INTERVENTIONAL → treatment,
 *                                                OBSERVATIONAL → observational, else other
 *  designModule.phases                        → phase (PHASE1+PHASE2 → phase_1_2, NA → not_applicable)
 *  designModule.enrollmentInfo.count          → targetEnrolment
 *  eligibilityModule.minimumAge/maximumAge    → eligibility.minAgeYears/maxAgeYears ("6 Months" → 0.5)
 *  eligibilityModule.sex                      → eligibility.sex (ALL/FEMALE/MALE)
 *  eligibilityModule.healthyVolunteers        → eligibility.healthyVolunteers
 *  eligibilityModule.eligibilityCriteria      → eligibility.inclusionCriteria.en / exclusionCriteria.en,
 *                                                split at the "Exclusion Criteria" heading (English
 *                                                only: optional fields, so no English-in-nb here)
 *  armsInterventionsModule.interventions      → interventions (type map below)
 *  sponsorCollaboratorsModule.leadSponsor.name → sponsor (and leadOrganisationId when it is ours)
 *  contactsLocationsModule.centralContacts    → contacts (role public; only with email or phone)
 *  contactsLocationsModule.overallOfficials   → principalInvestigator (first PRINCIPAL_INVESTIGATOR)
 *  contactsLocationsModule.locations[]        → sites, Norway only, via matchNorwegianSite
 *  REK                                         → null: CT.gov does not carry it reliably
 *  link                                        → https://clinicaltrials.gov/study/<NCT>
 *
 * Recruitment dates — the honest mapping. CT.gov has no per-site inclusion dates, only study dates.
 * Every Norwegian site gets:
 *  inclusionStart = statusModule.startDateStruct.date ("YYYY-MM" → first day of the month, warned)
 *  inclusionEnd   = statusModule.primaryCompletionDateStruct.date ("YYYY-MM" → LAST day of the
 *                   month, warned); when missing, completionDateStruct.date (warned)
 * then refined by the site's status (location.status; old records have none, then the study's
 * overallStatus stands in for it):
 *  COMPLETED / ACTIVE_NOT_RECRUITING / TERMINATED with no end or an end after today
 *        → inclusionEnd = lastUpdatePostDateStruct.date (recruitment had ended by then at the latest)
 *  SUSPENDED → paused, pauseReason "Suspendert i ClinicalTrials.gov"
 *  WITHDRAWN → site withdrawn
 *  end < start after all this → the end is dropped, with a warning.
 * Impossible dates ("2024-02-30") reject the record: they are corrupt, not merely imprecise.
 */
import { gunzipSync } from "node:zlib";
import { unzipSync } from "fflate";
import { daysInMonth, isCalendarDate } from "../../domain/calendar-date";
import { osloDate } from "../../domain/inclusion-status";
import {
  IDENTIFIER_PATTERNS,
  studyInputSchema,
  type InterventionType,
  type Phase,
  type StudyInput,
  type StudyType,
} from "../../domain/study";
import { matchNorwegianSite, matchOrganisationName } from "../organisation-matcher";
import { MAX_IDENTICAL_REJECTIONS } from "../bounded-rejections";
import { decodeUtf8Strict } from "../text-decoding";
import type { MapContext, MapResult, MappedRecord, Rejection } from "../types";

export const MAX_RECORDS = 200_000;
export const MAX_UNCOMPRESSED_BYTES = 500 * 1024 * 1024;
export const MAX_ZIP_RATIO = 200;
/** A single NCT*.json is a few hundred KB at most; 64 MB is generous. */
export const MAX_ZIP_ENTRY_BYTES = 64 * 1024 * 1024;

export interface CtgovOptions {
  /** Skip studies without a location in Norway (default true). Skipped studies are counted. */
  norwayOnly?: boolean;
  /** "Now", for the end-date refinement. Defaults to the current time. */
  now?: Date;
  /**
   * Who leads when the lead sponsor is not one of ours: the sender (default, for an organisation's
   * own feed) or the first Norwegian site (for a registry import that has no sender).
   */
  leadFallback?: "sender" | "first-site";
}

/** One raw study with where it came from. */
interface RawItem {
  ref: string;
  value: unknown;
}

type JsonObject = Record<string, unknown>;

const isObject = (v: unknown): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v);
const obj = (v: unknown): JsonObject => (isObject(v) ? v : {});
const str = (v: unknown): string | null => (typeof v === "string" && v.trim() !== "" ? v.trim() : null);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/* ------------------------------------------------------------------------------------------ */
/* Input decoding                                                                               */
/* ------------------------------------------------------------------------------------------ */

class Collector {
  items: RawItem[] = [];
  rejected: Rejection[] = [];
  full = false;

  add(ref: string, value: unknown): void {
    if (this.items.length >= MAX_RECORDS) {
      if (!this.full) {
        this.full = true;
        this.reject(ref, "input", `mer enn ${MAX_RECORDS} studier i én fil; resten er ikke lest`);
      }
      return;
    }
    this.items.push({ ref, value });
  }

  reject(ref: string, field: string, message: string, externalId: string | null = null): void {
    this.rejected.push({ ref, externalId, field, message });
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A parsed JSON value that is a study, an array of studies or an API page. */
function collectParsed(value: unknown, refBase: string | null, out: Collector): void {
  const recordRef = (i: number) => (refBase ? `${refBase} record ${i + 1}` : `record ${i + 1}`);
  if (Array.isArray(value)) {
    value.forEach((item, i) => out.add(recordRef(i), item));
  } else if (isObject(value) && Array.isArray(value.studies) && !("protocolSection" in value)) {
    value.studies.forEach((item, i) => out.add(recordRef(i), item));
  } else {
    out.add(refBase ?? "record 1", value);
  }
}

function collectText(text: string, refBase: string | null, out: Collector): void {
  const body = text.replace(/^\uFEFF/, "");
  const trimmed = body.trim();
  const where = refBase ?? "input";
  if (trimmed === "") {
    out.reject(where, "input", "tom fil: ingen studier");
    return;
  }
  if (trimmed.startsWith("[")) {
    try {
      collectParsed(JSON.parse(trimmed), refBase, out);
    } catch (error) {
      out.reject(where, "input", `ugyldig JSON: ${errorText(error)}`);
    }
    return;
  }
  // One object (possibly pretty-printed over many lines) or JSON Lines.
  try {
    collectParsed(JSON.parse(trimmed), refBase, out);
    return;
  } catch {
    /* not one JSON value: try JSON Lines below */
  }
  const lines = body.split(/\r?\n/);
  const oneLine = lines.filter((l) => l.trim() !== "").length === 1;
  // Lines that are not JSON one after another mean the file is not JSON Lines at all: stop after
  // a bounded number instead of rejecting every line (once millions for an XML file).
  let badInARow = 0;
  for (let i = 0; i < lines.length && !out.full; i++) {
    const line = lines[i]!.trim();
    if (line === "") continue;
    // A zip entry is one file: name the file, not "line 1" of it.
    const ref = refBase ? (oneLine ? refBase : `${refBase} line ${i + 1}`) : `line ${i + 1}`;
    try {
      out.add(ref, JSON.parse(line));
      badInARow = 0;
    } catch (error) {
      out.reject(ref, "input", `ugyldig JSON: ${errorText(error)}`);
      if (++badInARow >= MAX_IDENTICAL_REJECTIONS) {
        const unread = lines.slice(i + 1).filter((l) => l.trim() !== "").length;
        if (unread > 0) out.reject(refBase ?? "input", "input", `lesingen er stoppet etter ${badInARow} linjer på rad som ikke er gyldig JSON; de ${unread} siste ikke-tomme linjene er ikke lest`);
        return;
      }
    }
  }
}

function collectZip(bytes: Uint8Array, out: Collector): void {
  let declaredTotal = 0;
  let entries = 0;
  const refused = new Set<string>();
  const filter = (file: { name: string; size: number; originalSize: number; compression: number }) => {
    const name = file.name;
    if (name.endsWith("/") || name.startsWith("__MACOSX/") || !/\.json$/i.test(name)) return false;
    if (refused.has(name)) return false;
    const refuse = (message: string) => {
      refused.add(name);
      out.reject(name, "zip", message);
      return false;
    };
    if (++entries > MAX_RECORDS) {
      if (entries === MAX_RECORDS + 1) out.reject("zip", "zip", `mer enn ${MAX_RECORDS} filer i zip-filen; resten er ikke lest`);
      return false;
    }
    if (file.compression !== 0 && file.compression !== 8) return refuse(`ukjent komprimering (${file.compression})`);
    if (file.originalSize > MAX_ZIP_ENTRY_BYTES) {
      return refuse(`filen oppgir ${file.originalSize} byte utpakket; grensen er ${MAX_ZIP_ENTRY_BYTES}`);
    }
    if (file.originalSize / Math.max(file.size, 1) > MAX_ZIP_RATIO) {
      return refuse(`mistenkelig komprimeringsgrad (${Math.round(file.originalSize / Math.max(file.size, 1))}:1); filen er ikke lest`);
    }
    if (declaredTotal + file.originalSize > MAX_UNCOMPRESSED_BYTES) {
      return refuse(`zip-filen er større enn ${MAX_UNCOMPRESSED_BYTES} byte utpakket; resten er ikke lest`);
    }
    declaredTotal += file.originalSize;
    return true;
  };
  let files: Record<string, Uint8Array>;
  try {
    // fflate inflates each entry into a buffer of the size the central directory declares and
    // never grows it, so a header that lies about the size cannot make it allocate more.
    files = unzipSync(bytes, { filter });
  } catch (error) {
    out.reject("zip", "zip", `zip-filen kan ikke leses: ${errorText(error)}`);
    return;
  }
  if (entries === 0) out.reject("zip", "zip", "zip-filen inneholder ingen .json-filer");
  for (const name of Object.keys(files).sort()) {
    if (out.full) break;
    let text: string;
    try {
      text = decodeUtf8Strict(files[name]!);
    } catch (error) {
      out.reject(name, "(tegnsett)", errorText(error));
      continue;
    }
    collectText(text, name, out);
  }
}

/** Decodes any accepted input into raw study values with references. Never throws. */
export function collectCtgovInput(input: Buffer | string): Collector {
  const out = new Collector();
  try {
    if (typeof input === "string") {
      if (input.length > MAX_UNCOMPRESSED_BYTES) out.reject("input", "input", `filen er større enn ${MAX_UNCOMPRESSED_BYTES} tegn`);
      else collectText(input, null, out);
      return out;
    }
    const bytes = new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
    if (bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) {
      collectZip(bytes, out);
    } else if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
      let text: string;
      try {
        text = decodeUtf8Strict(gunzipSync(bytes, { maxOutputLength: MAX_UNCOMPRESSED_BYTES }));
      } catch (error) {
        out.reject("input", "gzip", `gzip-filen kan ikke pakkes ut (grense ${MAX_UNCOMPRESSED_BYTES} byte): ${errorText(error)}`);
        return out;
      }
      collectText(text, null, out);
    } else if (bytes.byteLength > MAX_UNCOMPRESSED_BYTES) {
      out.reject("input", "input", `filen er større enn ${MAX_UNCOMPRESSED_BYTES} byte`);
    } else {
      collectText(decodeUtf8Strict(bytes), null, out);
    }
  } catch (error) {
    out.reject("input", "input", `filen kan ikke leses: ${errorText(error)}`);
  }
  return out;
}

/* ------------------------------------------------------------------------------------------ */
/* Value helpers shared with the CSV mapper                                                     */
/* ------------------------------------------------------------------------------------------ */

/** A record-level failure: becomes one Rejection. */
export class MappingError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** "YYYY-MM" → first/last day of the month; "YYYY-MM-DD" must be a real date. */
export function ctgovDate(
  value: unknown,
  edge: "start" | "end",
  field: string,
  warnings: string[],
): string | null {
  const text = str(value);
  if (!text) return null;
  const month = /^(\d{4})-(\d{2})$/.exec(text);
  if (month) {
    const year = Number(month[1]);
    const m = Number(month[2]);
    const candidate = `${month[1]}-${month[2]}-01`;
    if (!isCalendarDate(candidate)) throw new MappingError(field, `"${text}" er ikke en gyldig måned`);
    const day = edge === "start" ? "01" : String(daysInMonth(year, m)).padStart(2, "0");
    const date = `${month[1]}-${month[2]}-${day}`;
    warnings.push(`${field}: bare måned oppgitt ("${text}"); brukte ${edge === "start" ? "første" : "siste"} dag i måneden (${date})`);
    return date;
  }
  if (/^\d{4}-\d{2}-\d{2}$/.test(text) && isCalendarDate(text)) return text;
  throw new MappingError(field, `"${text}" er ikke en gyldig dato (YYYY-MM eller YYYY-MM-DD)`);
}

const AGE_UNIT_YEARS: Record<string, number> = {
  year: 1,
  month: 1 / 12,
  week: 7 / 365.25,
  day: 1 / 365.25,
  hour: 1 / (365.25 * 24),
  minute: 1 / (365.25 * 24 * 60),
};

/**
 * "18 Years", "6 Months", "2 Weeks" → years (2 decimals). Minimum ages above 120 reject the
 * record (absurd); maximum ages above 120 mean "no upper limit" in practice (CT.gov records use
 * 99, 100, 130, 999) → null with a warning. Unreadable text → null with a warning.
 */
export function ctgovAgeYears(value: unknown, which: "min" | "max", field: string, warnings: string[]): number | null {
  const text = str(value);
  if (!text || /^n\/?a$/i.test(text)) return null;
  const match = /^(\d+(?:\.\d+)?)\s*(year|month|week|day|hour|minute)s?$/i.exec(text);
  if (!match) {
    warnings.push(`${field}: alder "${text}" ble ikke forstått og er utelatt`);
    return null;
  }
  const years = Math.round(Number(match[1]) * AGE_UNIT_YEARS[match[2]!.toLowerCase()]! * 100) / 100;
  if (!Number.isFinite(years)) throw new MappingError(field, `alder "${text}" er ikke et tall`);
  if (years > 120) {
    if (which === "min") throw new MappingError(field, `minste alder "${text}" er urimelig (over 120 år)`);
    warnings.push(`${field}: høyeste alder "${text}" er over 120 år; tolket som ingen øvre grense`);
    return null;
  }
  return years;
}

const PHASE_MAP: Record<string, Phase> = {
  EARLY_PHASE1: "early_phase_1",
  PHASE1: "phase_1",
  PHASE2: "phase_2",
  PHASE3: "phase_3",
  PHASE4: "phase_4",
  NA: "not_applicable",
};

export function ctgovPhase(phases: unknown[], warnings: string[]): Phase | null {
  const set = new Set(phases.map((p) => String(p).trim().toUpperCase()).filter(Boolean));
  if (set.size === 0) return null;
  if (set.size === 2 && set.has("PHASE1") && set.has("PHASE2")) return "phase_1_2";
  if (set.size === 2 && set.has("PHASE2") && set.has("PHASE3")) return "phase_2_3";
  if (set.size === 1) {
    const only = PHASE_MAP[[...set][0]!];
    if (only) return only;
  }
  warnings.push(`fase ${[...set].join("+")} er ikke kjent; utelatt`);
  return null;
}

export function ctgovStudyType(value: unknown): StudyType {
  const t = String(value ?? "").toUpperCase();
  return t === "INTERVENTIONAL" ? "treatment" : t === "OBSERVATIONAL" ? "observational" : "other";
}

const INTERVENTION_MAP: Record<string, InterventionType> = {
  DRUG: "drug",
  BIOLOGICAL: "biological",
  DEVICE: "device",
  PROCEDURE: "procedure",
  RADIATION: "radiation",
  BEHAVIORAL: "behavioural",
  DIETARY_SUPPLEMENT: "dietary",
  DIAGNOSTIC_TEST: "diagnostic",
  GENETIC: "genetic",
};
export const ctgovInterventionType = (value: unknown): InterventionType =>
  INTERVENTION_MAP[String(value ?? "").trim().toUpperCase().replace(/[\s-]+/g, "_")] ?? "other";

export function clip(text: string | null, max: number, field: string, warnings: string[]): string | null {
  if (text == null) return null;
  if (text.length <= max) return text;
  warnings.push(`${field}: teksten var ${text.length} tegn og er kortet ned til ${max}`);
  return `${text.slice(0, max - 1).trimEnd()}…`;
}

/** Splits CT.gov eligibility text at the "Exclusion Criteria" heading. */
export function splitCriteria(text: string | null): { inclusion: string | null; exclusion: string | null } {
  if (!text) return { inclusion: null, exclusion: null };
  const heading = /^[ \t*#-]*(key\s+)?exclusion\s+criteria\b[^\n]*$/im.exec(text);
  const inc = heading ? text.slice(0, heading.index) : text;
  const exc = heading ? text.slice(heading.index + heading[0].length) : "";
  const strip = (s: string, word: string) =>
    s.replace(new RegExp(`^\\s*[*#-]*\\s*(key\\s+)?${word}\\s+criteria\\s*:?\\s*`, "i"), "").trim() || null;
  return { inclusion: strip(inc, "inclusion"), exclusion: strip(exc, "exclusion") };
}

/** EU CT, EudraCT and ISRCTN numbers found in free-text secondary ids (pattern based). */
export function registryIdsFrom(texts: string[]): { euCt: string | null; eudract: string | null; isrctn: string | null } {
  let euCt: string | null = null;
  let eudract: string | null = null;
  let isrctn: string | null = null;
  for (const text of texts) {
    euCt ??= /(?<![\d-])(\d{4}-\d{6}-\d{2}-\d{2})(?![\d-])/.exec(text)?.[1] ?? null;
    eudract ??= /(?<![\d-])(\d{4}-\d{6}-\d{2})(?!-?\d)/.exec(text)?.[1] ?? null;
    isrctn ??= /\bISRCTN\s?(\d{8})\b/i.exec(text)?.[1] ?? null;
  }
  return {
    euCt: euCt && IDENTIFIER_PATTERNS.euCt.test(euCt) ? euCt : null,
    eudract: eudract && IDENTIFIER_PATTERNS.eudract.test(eudract) ? eudract : null,
    isrctn: isrctn ? `ISRCTN${isrctn}` : null,
  };
}

/* ------------------------------------------------------------------------------------------ */
/* One study                                                                                    */
/* ------------------------------------------------------------------------------------------ */

export type StudyOutcome =
  | { kind: "record"; record: MappedRecord }
  | { kind: "rejected"; rejection: Rejection }
  | { kind: "skipped" };

const isNorway = (country: unknown) => typeof country === "string" && /^\s*norway\s*$/i.test(country);

/** Maps one v2 study object (also used by the CSV mapper with a synthesised object). */
export function mapCtgovStudy(raw: unknown, ref: string, ctx: MapContext, options: CtgovOptions = {}): StudyOutcome {
  const norwayOnly = options.norwayOnly ?? true;
  const today = osloDate(options.now ?? new Date());
  const root = obj(raw);
  const p = obj(root.protocolSection);
  const ident = obj(p.identificationModule);
  const nct = str(ident.nctId)?.toUpperCase() ?? null;
  const reject = (field: string, message: string): StudyOutcome => ({
    kind: "rejected",
    rejection: { ref, externalId: nct, field, message },
  });
  if (!isObject(raw)) return reject("(hele posten)", "ikke et studieobjekt fra ClinicalTrials.gov (forventet et JSON-objekt)");
  if (!isObject(root.protocolSection)) {
    return reject("protocolSection", "mangler: dette er ikke en studie fra ClinicalTrials.gov API v2");
  }
  if (!nct) return reject("protocolSection.identificationModule.nctId", "mangler");
  if (!IDENTIFIER_PATTERNS.nct.test(nct)) return reject("protocolSection.identificationModule.nctId", `"${nct}" er ikke et NCT-nummer`);
  if (!str(ident.briefTitle)) return reject("protocolSection.identificationModule.briefTitle", "mangler");
  // Partial records (only some modules) cannot be a study: say which module is missing.
  for (const module of ["statusModule", "designModule"] as const) {
    if (!isObject(p[module])) {
      return reject(`protocolSection.${module}`, "mangler: posten er ufullstendig (bare en del av modulene er med)");
    }
  }
  const status = obj(p.statusModule);
  const design = obj(p.designModule);

  // The Norway filter comes before the finer checks: a foreign study is not our problem to report.
  const contactsLocations = obj(p.contactsLocationsModule);
  const locations = arr(contactsLocations.locations).map(obj);
  const norwegian = locations.filter((l) => isNorway(l.country));
  if (norwayOnly && norwegian.length === 0) return { kind: "skipped" };
  if (!str(design.studyType)) return reject("protocolSection.designModule.studyType", "mangler");

  const warnings: string[] = [];
  try {
    const study = buildStudy(p, nct, norwegian, ctx, today, warnings, status, design, contactsLocations, options);
    const parsed = studyInputSchema.safeParse(study);
    if (!parsed.success) {
      const issues = parsed.error.issues;
      const field = issues[0]?.path.map(String).join(".") || "(hele studien)";
      return reject(field, issues.map((i) => `${i.path.map(String).join(".") || "(hele studien)"}: ${i.message}`).join("; "));
    }
    return { kind: "record", record: { ref, externalId: nct, study, warnings } };
  } catch (error) {
    if (error instanceof MappingError) return reject(error.field, error.message);
    return reject("(hele posten)", `uventet feil ved lesing: ${errorText(error)}`);
  }
}

function buildStudy(
  p: JsonObject,
  nct: string,
  norwegian: JsonObject[],
  ctx: MapContext,
  today: string,
  warnings: string[],
  status: JsonObject,
  design: JsonObject,
  contactsLocations: JsonObject,
  options: CtgovOptions,
): StudyInput {
  const ident = obj(p.identificationModule);
  const description = obj(p.descriptionModule);
  const eligibility = obj(p.eligibilityModule);
  const sponsorModule = obj(p.sponsorCollaboratorsModule);

  warnings.push("ingen norsk tekst: ClinicalTrials.gov er bare på engelsk; den engelske teksten er lagt i bokmålsfeltet");

  // Identifiers: everything that might hold an EU CT / EudraCT / ISRCTN number.
  const idTexts = [
    str(obj(ident.orgStudyIdInfo).id),
    ...arr(ident.secondaryIdInfos).flatMap((s) => [str(obj(s).id), str(obj(s).link)]),
  ].filter((t): t is string => t !== null);
  const registry = registryIdsFrom(idTexts);

  const title = clip(str(ident.briefTitle), 500, "briefTitle", warnings)!;
  const acronym = clip(str(ident.acronym), 200, "acronym", warnings);
  const summary = clip(str(description.briefSummary), 10_000, "briefSummary", warnings);
  const detailed = clip(str(description.detailedDescription), 20_000, "detailedDescription", warnings);

  const criteria = splitCriteria(str(eligibility.eligibilityCriteria));
  const minAgeYears = ctgovAgeYears(eligibility.minimumAge, "min", "eligibilityModule.minimumAge", warnings);
  let maxAgeYears = ctgovAgeYears(eligibility.maximumAge, "max", "eligibilityModule.maximumAge", warnings);
  if (minAgeYears != null && maxAgeYears != null && maxAgeYears < minAgeYears) {
    warnings.push(`eligibilityModule.maximumAge (${maxAgeYears}) er lavere enn minste alder (${minAgeYears}); høyeste alder er utelatt`);
    maxAgeYears = null;
  }
  const sexText = String(eligibility.sex ?? "ALL").toUpperCase();
  const sex = sexText === "FEMALE" ? "female" : sexText === "MALE" ? "male" : "all";

  const conditions = [
    ...new Set(
      arr(obj(p.conditionsModule).conditions)
        .map((c) => clip(str(c), 300, "conditions", warnings))
        .filter((c): c is string => c !== null),
    ),
  ];

  const interventions = arr(obj(p.armsInterventionsModule).interventions)
    .map(obj)
    .filter((i) => str(i.name))
    .map((i) => ({
      type: ctgovInterventionType(i.type),
      name: clip(str(i.name), 300, "interventions.name", warnings)!,
      description: clip(str(i.description), 5000, "interventions.description", warnings),
    }));

  const enrolmentRaw = obj(design.enrollmentInfo).count;
  let targetEnrolment: number | null = null;
  if (enrolmentRaw != null) {
    const n = Number(enrolmentRaw);
    if (Number.isInteger(n) && n >= 0 && n <= 10_000_000) targetEnrolment = n;
    else warnings.push(`enrollmentInfo.count "${String(enrolmentRaw)}" er ikke et rimelig antall; utelatt`);
  }

  const contacts = arr(contactsLocations.centralContacts)
    .map((c) => contactFrom(obj(c), "centralContacts", warnings))
    .filter((c): c is NonNullable<typeof c> => c !== null)
    .map((c) => ({ ...c, role: "public" as const }));

  const officials = arr(contactsLocations.overallOfficials).map(obj);
  const pi = officials.find((o) => String(o.role ?? "").toUpperCase() === "PRINCIPAL_INVESTIGATOR" && str(o.name));
  const principalInvestigator = pi
    ? {
        name: clip(str(pi.name), 200, "overallOfficials.name", warnings)!,
        title: null,
        organisationId: matchOrganisationName(str(pi.affiliation), ctx.organisations)?.organisationId ?? null,
      }
    : null;

  // Dates (see the header comment for the honest mapping).
  const start = ctgovDate(obj(status.startDateStruct).date, "start", "statusModule.startDateStruct.date", warnings);
  let studyEnd = ctgovDate(obj(status.primaryCompletionDateStruct).date, "end", "statusModule.primaryCompletionDateStruct.date", warnings);
  if (!studyEnd) {
    studyEnd = ctgovDate(obj(status.completionDateStruct).date, "end", "statusModule.completionDateStruct.date", warnings);
    if (studyEnd) warnings.push("primaryCompletionDate mangler; completionDate er brukt som inklusjonsslutt");
  }
  const lastUpdate = ctgovDate(obj(status.lastUpdatePostDateStruct).date, "end", "statusModule.lastUpdatePostDateStruct.date", warnings);
  const overallStatus = String(status.overallStatus ?? "").toUpperCase();

  const sites: NonNullable<StudyInput["sites"]> = [];
  const seen = new Set<string>();
  for (const location of norwegian) {
    const label = [str(location.facility), str(location.city)].filter(Boolean).join(", ") || "(uten navn)";
    const geo = obj(location.geoPoint);
    const match = matchNorwegianSite(
      {
        facility: str(location.facility),
        city: str(location.city),
        lat: typeof geo.lat === "number" ? geo.lat : null,
        lon: typeof geo.lon === "number" ? geo.lon : null,
      },
      ctx.organisations,
    );
    if (!match) {
      warnings.push(`norsk studiested "${label}" ble ikke koblet til en organisasjon; ikke tatt med som sted`);
      continue;
    }
    const key = `${match.organisationId}/${match.hospitalId ?? ""}`;
    if (seen.has(key)) {
      warnings.push(`norsk studiested "${label}" er samme sted som et annet (${key}); slått sammen`);
      continue;
    }
    seen.add(key);

    const siteStatus = String(location.status ?? overallStatus).toUpperCase();
    let end = studyEnd;
    if (["COMPLETED", "ACTIVE_NOT_RECRUITING", "TERMINATED"].includes(siteStatus) && (!end || end > today) && lastUpdate) {
      warnings.push(
        `${label}: status ${siteStatus} men inklusjonsslutt ${end ?? "mangler"}; brukte siste oppdatering (${lastUpdate}) som inklusjonsslutt`,
      );
      end = lastUpdate;
    }
    if (start && end && end < start) {
      warnings.push(`${label}: inklusjonsslutt ${end} er før inklusjonsstart ${start}; sluttdatoen er utelatt`);
      end = null;
    }
    const paused = siteStatus === "SUSPENDED";
    const siteContact = arr(location.contacts)
      .map((c) => contactFrom(obj(c), `locations[${label}].contacts`, warnings))
      .find((c) => c !== null) ?? null;
    sites.push({
      organisationId: match.organisationId,
      hospitalId: match.hospitalId,
      inclusionStart: start,
      inclusionEnd: end,
      paused,
      pauseReason: paused ? "Suspendert i ClinicalTrials.gov" : null,
      contact: siteContact,
      withdrawn: siteStatus === "WITHDRAWN",
    });
  }

  // Lead organisation: the lead sponsor when it is one of ours; otherwise the sender.
  const sponsor = clip(str(obj(sponsorModule.leadSponsor).name), 300, "leadSponsor.name", warnings);
  const sponsorOrg = matchOrganisationName(sponsor, ctx.organisations)?.organisationId ?? null;
  const firstSite = options.leadFallback === "first-site" ? sites.find((s) => !s.withdrawn)?.organisationId ?? sites[0]?.organisationId : undefined;
  const leadOrganisationId = sponsorOrg ?? firstSite ?? ctx.organisationId;
  if (!sponsorOrg && !firstSite && sites.length > 0 && !sites.some((s) => s.organisationId === ctx.organisationId)) {
    warnings.push(`avsenderen (${ctx.organisationId}) er ikke blant de norske studiestedene, men er satt som ansvarlig organisasjon`);
  }

  return {
    identifiers: { nct, euCt: registry.euCt, eudract: registry.eudract, isrctn: registry.isrctn, rek: null },
    localIds: [],
    title: { nb: title, en: title },
    shortTitle: acronym ? { nb: acronym, en: acronym } : {},
    summary: summary ? { nb: summary, en: summary } : {},
    scientificSummary: detailed ? { en: detailed } : {},
    participation: {},
    studyType: ctgovStudyType(design.studyType),
    phase: ctgovPhase(arr(design.phases), warnings),
    categories: [],
    conditions,
    icd10: [],
    snomed: [],
    interventions,
    eligibility: {
      minAgeYears,
      maxAgeYears,
      sex,
      healthyVolunteers: eligibility.healthyVolunteers === true,
      inclusionCriteria: criteria.inclusion ? { en: clip(criteria.inclusion, 20_000, "eligibilityCriteria", warnings) } : {},
      exclusionCriteria: criteria.exclusion ? { en: clip(criteria.exclusion, 20_000, "eligibilityCriteria", warnings) } : {},
    },
    sponsor,
    leadOrganisationId,
    principalInvestigator,
    contacts,
    links: [{ url: `https://clinicaltrials.gov/study/${nct}`, label: "ClinicalTrials.gov" }],
    targetEnrolment,
    sites,
    publicationState: "published",
  };
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function contactFrom(c: JsonObject, field: string, warnings: string[]): { name: string; email: string | null; phone: string | null } | null {
  const name = str(c.name);
  let email = str(c.email);
  if (email && !EMAIL.test(email)) {
    warnings.push(`${field}: e-postadressen "${email}" er ugyldig og er utelatt`);
    email = null;
  }
  const phoneBase = str(c.phone);
  const ext = str(c.phoneExt);
  let phone = phoneBase ? (ext ? `${phoneBase} ext. ${ext}` : phoneBase) : null;
  if (phone && phone.length > 40) phone = phoneBase && phoneBase.length <= 40 ? phoneBase : null;
  if (!name || (!email && !phone)) return null;
  return { name: name.slice(0, 200), email, phone };
}

/* ------------------------------------------------------------------------------------------ */
/* Entry point                                                                                  */
/* ------------------------------------------------------------------------------------------ */

export function parseCtgovJson(input: Buffer | string, ctx: MapContext, options: CtgovOptions = {}): MapResult {
  const collected = collectCtgovInput(input);
  const result: MapResult = { records: [], rejected: [...collected.rejected], skipped: 0 };
  for (const item of collected.items) {
    const outcome = mapCtgovStudy(item.value, item.ref, ctx, options);
    if (outcome.kind === "record") result.records.push(outcome.record);
    else if (outcome.kind === "rejected") result.rejected.push(outcome.rejection);
    else result.skipped = (result.skipped ?? 0) + 1;
  }
  return result;
}
