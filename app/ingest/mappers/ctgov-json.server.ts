/**
 * ClinicalTrials.gov API v2 JSON → candidate studies. Pure: no I/O, no clock unless `options.now`
 * is left out (then "today" is the current date in Europe/Oslo; it is used only as the date of a
 * status that the record gives no date for at all, which then reads "unknown").
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
 *  identificationModule.orgStudyIdInfo,
 *    secondaryIdInfos[]                        → identifiers (see "Identifiers" below) or otherIdentifiers
 *  identificationModule.briefTitle            → title.en AND title.nb (CT.gov is English only; nb is
 *                                                required, so nb holds the English text; warning)
 *  identificationModule.acronym               → shortTitle.nb/en (language neutral)
 *  identificationModule.officialTitle         → officialTitle
 *  descriptionModule.briefSummary             → summary.en AND summary.nb (same reason)
 *  descriptionModule.detailedDescription      → scientificSummary.en
 *  conditionsModule.conditions / keywords     → conditions / keywords
 *  designModule.studyType                     → studyType: INTERVENTIONAL → treatment,
 *                                                OBSERVATIONAL → observational, else other
 *  designModule.phases                        → phase (PHASE1+PHASE2 → phase_1_2, NA → not_applicable)
 *  designModule.enrollmentInfo.count          → targetEnrolment
 *  eligibilityModule.minimumAge/maximumAge    → eligibility.minAgeYears/maxAgeYears ("6 Months" → 0.5)
 *  eligibilityModule.stdAges                  → eligibility.ageGroups, as written (CHILD, ADULT, OLDER_ADULT)
 *  eligibilityModule.sex                      → eligibility.sex (ALL/FEMALE/MALE)
 *  eligibilityModule.healthyVolunteers        → eligibility.healthyVolunteers (absent → null: unknown, not no)
 *  eligibilityModule.eligibilityCriteria      → eligibility.inclusionCriteria.en / exclusionCriteria.en,
 *                                                split at the "Exclusion Criteria" heading (English
 *                                                only: optional fields, so no English-in-nb here)
 *  armsInterventionsModule.interventions      → interventions (type map below)
 *  sponsorCollaboratorsModule.leadSponsor.name → sponsor, and lead {name as written, organisationId
 *                                                when the name really is a registered organisation}
 *  contactsLocationsModule.centralContacts    → contacts (role public; only with email or phone)
 *  contactsLocationsModule.overallOfficials   → principalInvestigator (first PRINCIPAL_INVESTIGATOR)
 *  contactsLocationsModule.locations[]        → sites: every location in Norway (see "Sites")
 *  referencesModule.seeAlsoLinks              → links, after https://clinicaltrials.gov/study/<NCT>
 *  statusModule.studyFirstPostDateStruct      → firstPosted {date, basis "ctgov:studyFirstPostDateStruct",
 *                                                type as the source gives it (ACTUAL → actual,
 *                                                ESTIMATED → estimated, none → null)}; "YYYY-MM" →
 *                                                the first day of the month (warned); absent → null
 *
 * The sender is not the lead: leadOrganisationId (who owns and publishes the study in the portal)
 * is the sender's organisation (MapContext.organisationId). A registry import has no sender; with
 * `leadFallback: "first-site"` the owner is the lead's organisation when it has a site, else the
 * first registered site's organisation, else the context's.
 *
 * Sites. A site exists only for a location in Norway in the record. It is a registered
 * organisation/hospital only when its name says so (matchRegisteredOrganisation: no geo or city
 * guessing; universities, municipal services, companies and "Research Site" are not hospitals).
 * Otherwise it is kept with organisationId null, the facility name and city as written and the
 * coordinates from geoPoint; a location with a city but no facility name is named by its city
 * (warned: the schema needs a name, and two city-only sites must stay two sites). Never dropped.
 * Each location's contacts: the first with e-mail or phone → contact, the rest → moreContacts.
 *
 * Status — the honest mapping. CT.gov has no per-site inclusion dates, only study dates, so a
 * registry site gets NO inclusion dates. Its status is `declared`:
 *  status = the location's status, or overallStatus when the location has none; an overallStatus
 *           of UNKNOWN wins over any location status (the record as a whole is unverified).
 *           RECRUITING → recruiting, NOT_YET_RECRUITING → not_yet_recruiting,
 *           ENROLLING_BY_INVITATION → invitation_only, SUSPENDED → suspended,
 *           ACTIVE_NOT_RECRUITING → active_not_recruiting, COMPLETED → completed,
 *           TERMINATED → terminated, WITHDRAWN → withdrawn, anything else → unknown;
 *  text   = the status as written; by = "ClinicalTrials.gov";
 *  on     = statusVerifiedDate ("YYYY-MM" → the first day: the conservative reading), else
 *           lastUpdatePostDate.
 * An ESTIMATED start date → expectedStart, an ESTIMATED primary completion date → expectedEnd
 * ("forventet", "YYYY-MM" → first/last day of the month). ACTUAL and untyped dates are facts about
 * the study, not a site's inclusion window: not mapped (but an impossible date still rejects the
 * record: it is corrupt, not merely imprecise).
 *
 * Identifiers. REK: an id whose type/domain/text says REK or "Regional Committee", or a bare
 * "YYYY/NNNN" → identifiers.rek (IDENTIFIER_PATTERNS.rek); a labelled id with more text than the
 * number is also kept verbatim in otherIdentifiers. EudraCT (type EUDRACT_NUMBER or the pattern),
 * EU CT (type CTIS or the pattern) and ISRCTN → identifiers; every other id → otherIdentifiers
 * {scheme: its domain, else its type, "Org Study ID" for orgStudyIdInfo; value; url: its link}.
 */
import { unzipSync } from "fflate";
import { daysInMonth, isCalendarDate } from "#app/domain/calendar-date";
import { osloDate, type DeclaredStatus, type DeclaredStatusValue } from "#app/domain/inclusion-status";
import {
  IDENTIFIER_PATTERNS,
  siteIdentity,
  studyInputSchema,
  type FirstPosted,
  type InterventionType,
  type Phase,
  type StudyInput,
  type StudyType,
} from "#app/domain/study";
import { matchRegisteredOrganisation } from "#app/ingest/organisation-matcher";
import { MAX_IDENTICAL_REJECTIONS } from "#app/ingest/bounded-rejections";
import { decodeUtf8Strict } from "#app/ingest/text-decoding";
import { gunzipUtf8, gzipFailure, isGzip, isZip } from "./open-input.server";
import { arr, clip, clipSilently, errorText, isObject, obj, str, type JsonObject } from "./values";
import { SKIP_REASONS, type MapContext, type MapResult, type MappedRecord, type Rejection } from "#app/ingest/types";

export const MAX_RECORDS = 200_000;
export const MAX_UNCOMPRESSED_BYTES = 500 * 1024 * 1024;
export const MAX_ZIP_RATIO = 200;
/** A single NCT*.json is a few hundred KB at most; 64 MB is generous. */
export const MAX_ZIP_ENTRY_BYTES = 64 * 1024 * 1024;

export interface CtgovOptions {
  /** Skip studies without a location in Norway (default true). Skipped studies are counted. */
  norwayOnly?: boolean;
  /** "Now": only dates a status the record gives no date for (read as unknown). Defaults to the current time. */
  now?: Date;
  /**
   * Who owns the study in the portal (leadOrganisationId; never the record's lead, see `lead`):
   * the sender (default, for an organisation's own feed) or, for a registry import that has no
   * sender, the lead's organisation when it has a site, else the first registered Norwegian site.
   */
  leadFallback?: "sender" | "first-site";
}

/** One raw study with where it came from. */
interface RawItem {
  ref: string;
  value: unknown;
}

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
        if (unread > 0)
          out.reject(
            refBase ?? "input",
            "input",
            `lesingen er stoppet etter ${badInARow} linjer på rad som ikke er gyldig JSON; de ${unread} siste ikke-tomme linjene er ikke lest`,
          );
        return;
      }
    }
  }
}

function collectZip(bytes: Uint8Array, out: Collector, max: number): void {
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
      if (entries === MAX_RECORDS + 1)
        out.reject("zip", "zip", `mer enn ${MAX_RECORDS} filer i zip-filen; resten er ikke lest`);
      return false;
    }
    if (file.compression !== 0 && file.compression !== 8) return refuse(`ukjent komprimering (${file.compression})`);
    if (file.originalSize > Math.min(MAX_ZIP_ENTRY_BYTES, max)) {
      return refuse(
        `filen oppgir ${file.originalSize} byte utpakket; grensen er ${Math.min(MAX_ZIP_ENTRY_BYTES, max)}`,
      );
    }
    if (file.originalSize / Math.max(file.size, 1) > MAX_ZIP_RATIO) {
      return refuse(
        `mistenkelig komprimeringsgrad (${Math.round(file.originalSize / Math.max(file.size, 1))}:1); filen er ikke lest`,
      );
    }
    if (declaredTotal + file.originalSize > max) {
      return refuse(`zip-filen er større enn ${max} byte utpakket (grensen for en leveranse); resten er ikke lest`);
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
export function collectCtgovInput(input: Buffer | string, max: number = MAX_UNCOMPRESSED_BYTES): Collector {
  const out = new Collector();
  try {
    if (typeof input === "string") {
      if (input.length > max) out.reject("input", "input", `filen er større enn ${max} tegn`);
      else collectText(input, null, out);
      return out;
    }
    const bytes = new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
    if (isZip(bytes)) {
      collectZip(bytes, out, max);
    } else if (isGzip(bytes)) {
      let text: string;
      try {
        text = gunzipUtf8(bytes, max);
      } catch (error) {
        out.reject("input", "gzip", gzipFailure(max, errorText(error)));
        return out;
      }
      collectText(text, null, out);
    } else if (bytes.byteLength > max) {
      out.reject("input", "input", `filen er større enn ${max} byte`);
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
export function ctgovDate(value: unknown, edge: "start" | "end", field: string, warnings: string[]): string | null {
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
    warnings.push(
      `${field}: bare måned oppgitt ("${text}"); brukte ${edge === "start" ? "første" : "siste"} dag i måneden (${date})`,
    );
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
  INTERVENTION_MAP[
    String(value ?? "")
      .trim()
      .toUpperCase()
      .replace(/[\s-]+/g, "_")
  ] ?? "other";

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
export function registryIdsFrom(texts: string[]): {
  euCt: string | null;
  eudract: string | null;
  isrctn: string | null;
} {
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
  | { kind: "skipped"; reason: string; externalId: string | null };

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
  if (!isObject(raw))
    return reject("(hele posten)", "ikke et studieobjekt fra ClinicalTrials.gov (forventet et JSON-objekt)");
  if (!isObject(root.protocolSection)) {
    return reject("protocolSection", "mangler: dette er ikke en studie fra ClinicalTrials.gov API v2");
  }
  if (!nct) return reject("protocolSection.identificationModule.nctId", "mangler");
  if (!IDENTIFIER_PATTERNS.nct.test(nct))
    return reject("protocolSection.identificationModule.nctId", `"${nct}" er ikke et NCT-nummer`);
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
  if (norwayOnly && norwegian.length === 0)
    return { kind: "skipped", reason: SKIP_REASONS.noNorwegianSite, externalId: nct };
  if (!str(design.studyType)) return reject("protocolSection.designModule.studyType", "mangler");

  const warnings: string[] = [];
  try {
    const study = buildStudy(p, nct, norwegian, ctx, today, warnings, status, design, contactsLocations, options);
    const parsed = studyInputSchema.safeParse(study);
    if (!parsed.success) {
      const issues = parsed.error.issues;
      const field = issues[0]?.path.map(String).join(".") || "(hele studien)";
      return reject(
        field,
        issues.map((i) => `${i.path.map(String).join(".") || "(hele studien)"}: ${i.message}`).join("; "),
      );
    }
    return { kind: "record", record: { ref, externalId: nct, study, warnings } };
  } catch (error) {
    if (error instanceof MappingError) return reject(error.field, error.message);
    return reject("(hele posten)", `uventet feil ved lesing: ${errorText(error)}`);
  }
}

/** CT.gov status words → the portal's declared statuses (inclusion-status.ts). */
const DECLARED_BY_CTGOV: Record<string, DeclaredStatusValue> = {
  RECRUITING: "recruiting",
  NOT_YET_RECRUITING: "not_yet_recruiting",
  ENROLLING_BY_INVITATION: "invitation_only",
  SUSPENDED: "suspended",
  ACTIVE_NOT_RECRUITING: "active_not_recruiting",
  COMPLETED: "completed",
  TERMINATED: "terminated",
  WITHDRAWN: "withdrawn",
};

/** "Enrolling by invitation", "ENROLLING_BY_INVITATION" → ENROLLING_BY_INVITATION. */
const statusKey = (text: string) =>
  text
    .trim()
    .toUpperCase()
    .replace(/[\s-]+/g, "_");

/** A CT.gov status word (location or overall) → declared status value; anything unknown → unknown. */
export function ctgovDeclaredStatus(text: string | null): DeclaredStatusValue {
  return (text && DECLARED_BY_CTGOV[statusKey(text)]) || "unknown";
}

/**
 * A CT.gov date as a calendar date, or null when absent. "YYYY-MM" → the first or last day of the
 * month (monthOnly true). An impossible date throws MappingError (corrupt, not imprecise).
 */
export function readCtgovDate(
  value: unknown,
  edge: "start" | "end",
  field: string,
): { date: string; monthOnly: boolean } | null {
  const text = str(value);
  if (!text) return null;
  const month = /^(\d{4})-(\d{2})$/.exec(text);
  if (month) {
    const first = `${month[1]}-${month[2]}-01`;
    if (!isCalendarDate(first)) throw new MappingError(field, `"${text}" er ikke en gyldig måned`);
    const day = edge === "start" ? "01" : String(daysInMonth(Number(month[1]), Number(month[2]))).padStart(2, "0");
    return { date: `${month[1]}-${month[2]}-${day}`, monthOnly: true };
  }
  if (/^\d{4}-\d{2}-\d{2}$/.test(text) && isCalendarDate(text)) return { date: text, monthOnly: false };
  throw new MappingError(field, `"${text}" er ikke en gyldig dato (YYYY-MM eller YYYY-MM-DD)`);
}

/** An ESTIMATED date of a date struct ("forventet"), with a warning when only the month is given. */
function estimatedDate(struct: unknown, edge: "start" | "end", field: string, warnings: string[]): string | null {
  const s = obj(struct);
  const read = readCtgovDate(s.date, edge, `${field}.date`);
  if (!read || String(s.type ?? "").toUpperCase() !== "ESTIMATED") return null;
  if (read.monthOnly) {
    warnings.push(
      `${field}: forventet dato oppgitt bare som måned ("${str(s.date)}"); viser ${edge === "start" ? "første" : "siste"} dag i måneden (${read.date})`,
    );
  }
  return read.date;
}

export const CTGOV_DECLARED_BY = "ClinicalTrials.gov";

/** Where the v2 JSON's first posted date is read from (the CSV names its own column). */
export const CTGOV_FIRST_POSTED_BASIS = "ctgov:studyFirstPostDateStruct";

/**
 * studyFirstPostDateStruct → firstPosted: the date and the source's own type of it, no more (a
 * month-only date is read as its first day and warned; an impossible date rejects the record).
 */
function firstPostedFrom(struct: unknown, warnings: string[]): FirstPosted | null {
  const s = obj(struct);
  const read = readCtgovDate(s.date, "start", "statusModule.studyFirstPostDateStruct.date");
  if (!read) return null;
  if (read.monthOnly) {
    warnings.push(
      `statusModule.studyFirstPostDateStruct: bare måned oppgitt ("${str(s.date)}"); brukte første dag i måneden (${read.date})`,
    );
  }
  const type = String(s.type ?? "").toUpperCase();
  return {
    date: read.date,
    basis: CTGOV_FIRST_POSTED_BASIS,
    type: type === "ACTUAL" ? "actual" : type === "ESTIMATED" ? "estimated" : null,
  };
}

/* ------------------------------------------------------------------------------------------ */
/* Identifiers                                                                                  */
/* ------------------------------------------------------------------------------------------ */

const REK_LABEL = /\brek\b|regional (ethics )?committee|regionale? komit|regional etisk/i;
const REK_YEAR_NUMBER = /(?<![\d/])((?:19[89]\d|20\d\d)\/\d{1,6})(?![\d/])/;
const REK_PORTAL_NUMBER = /(?<![\d/-])(\d{5,7})(?![\d/-])/;
const SECONDARY_TYPE_SCHEME: Record<string, string> = {
  NIH: "NIH",
  FDA: "FDA",
  VA: "VA",
  CDC: "CDC",
  AHRQ: "AHRQ",
  SAMHSA: "SAMHSA",
  OTHER_GRANT: "Grant",
  EUDRACT_NUMBER: "EudraCT",
  CTIS: "EU CT",
  REGISTRY: "Registry",
  OTHER: "Other ID",
};

export type OtherIdentifier = { scheme: string; value: string; url: string | null };

const httpUrl = (value: string | null): string | null => {
  if (!value) return null;
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:" ? value : null;
  } catch {
    return null;
  }
};

/**
 * Sorts a record's ids into the five matching identifiers and the rest. `entries` are the org
 * study id (scheme "Org Study ID") and the secondary ids as written ({id, type, domain, link}).
 */
export function ctgovIdentifiers(
  entries: { id: string; type: string | null; domain: string | null; link: string | null; orgStudyId?: boolean }[],
  warnings: string[],
): {
  rek: string | null;
  euCt: string | null;
  eudract: string | null;
  isrctn: string | null;
  other: OtherIdentifier[];
} {
  const found: { rek: string | null; euCt: string | null; eudract: string | null; isrctn: string | null } = {
    rek: null,
    euCt: null,
    eudract: null,
    isrctn: null,
  };
  const other: OtherIdentifier[] = [];
  const keep = (scheme: string, value: string, url: string | null) => {
    if (other.some((o) => o.scheme === scheme && o.value === value)) return;
    other.push({ scheme: scheme.slice(0, 80), value: value.slice(0, 200), url: httpUrl(url) });
  };
  /** Sets a matching identifier; false when another value is already there (then kept as other). */
  const set = (kind: keyof typeof found, value: string, label: string): boolean => {
    if (found[kind] === null) {
      found[kind] = value;
      return true;
    }
    if (found[kind] === value) return true;
    warnings.push(`${label} ${value} er et nummer til i tillegg til ${found[kind]}; lagt under andre identifikatorer`);
    return false;
  };
  for (const entry of entries) {
    const id = entry.id.trim();
    const type = entry.type ? statusKey(entry.type) : null;
    const scheme = entry.orgStudyId
      ? "Org Study ID"
      : entry.domain
        ? type === "OTHER_GRANT"
          ? `${entry.domain} (grant)`
          : entry.domain
        : ((type && SECONDARY_TYPE_SCHEME[type]) ?? "Other ID");
    // REK: labelled (type, domain or the text itself), or a bare "YYYY/NNNN".
    const labelled = REK_LABEL.test(id) || REK_LABEL.test(entry.domain ?? "") || REK_LABEL.test(entry.type ?? "");
    const yearNumber = REK_YEAR_NUMBER.exec(id)?.[1] ?? null;
    const rek = labelled
      ? (yearNumber ?? REK_PORTAL_NUMBER.exec(id)?.[1] ?? null)
      : /^\d{4}\/\d{1,6}$/.test(id) && yearNumber === id
        ? id
        : null;
    if (rek && IDENTIFIER_PATTERNS.rek.test(rek)) {
      const residue = id
        .replace(rek, " ")
        .replace(/\b(rek|nr|no|number|nummer|ref)\b/gi, " ")
        .replace(/[\s.:#,;()/-]+/g, "");
      if (!set("rek", rek, "REK")) keep(entry.domain ?? "REK", id, entry.link);
      else if (residue !== "") {
        warnings.push(
          `REK-nummeret ${rek} er lest ut av "${id}"; resten er uforklart, så hele teksten er også beholdt`,
        );
        keep(entry.domain ?? "REK (as written)", id, entry.link);
      }
      continue;
    }
    if (labelled) {
      warnings.push(
        `"${id}" er merket som REK, men har ikke formen til et REK-nummer; lagt under andre identifikatorer`,
      );
      keep(entry.domain ?? "REK (as written)", id, entry.link);
      continue;
    }
    const registry = registryIdsFrom([id]);
    if (type === "EUDRACT_NUMBER" || type === "CTIS") {
      const value = type === "CTIS" ? registry.euCt : registry.eudract;
      const kind = type === "CTIS" ? "euCt" : "eudract";
      if (value && set(kind, value, SECONDARY_TYPE_SCHEME[type]!)) continue;
      if (!value)
        warnings.push(
          `${SECONDARY_TYPE_SCHEME[type]}-nummeret "${id}" har feil format; lagt under andre identifikatorer`,
        );
      keep(SECONDARY_TYPE_SCHEME[type]!, id, entry.link);
      continue;
    }
    // Pattern-based: an EU CT, EudraCT or ISRCTN number written where it is the whole id.
    const whole = id.toUpperCase().replace(/\s+/g, "");
    if (
      registry.euCt &&
      (whole === registry.euCt || whole.endsWith(registry.euCt)) &&
      set("euCt", registry.euCt, "EU CT")
    )
      continue;
    if (
      registry.eudract &&
      !registry.euCt &&
      whole.endsWith(registry.eudract) &&
      set("eudract", registry.eudract, "EudraCT")
    )
      continue;
    if (registry.isrctn && whole.endsWith(registry.isrctn) && set("isrctn", registry.isrctn, "ISRCTN")) continue;
    if (/^U1111-\d{4}-\d{4}$/i.test(id)) {
      keep("WHO UTN", id, entry.link);
      continue;
    }
    if (IDENTIFIER_PATTERNS.nct.test(whole)) {
      keep("ClinicalTrials.gov", whole, `https://clinicaltrials.gov/study/${whole}`);
      continue;
    }
    keep(scheme, id, entry.link);
  }
  return { ...found, other };
}

/* ------------------------------------------------------------------------------------------ */
/* Sites                                                                                        */
/* ------------------------------------------------------------------------------------------ */

type ContactOut = { name: string; email: string | null; phone: string | null };
/** A registry site as this mapper builds it (a valid StudyInput site). */
interface SiteOut {
  organisationId: string | null;
  hospitalId: string | null;
  name: string | null;
  city: string | null;
  lat: number | null;
  lon: number | null;
  unnamedCount: number | null;
  expectedStart: string | null;
  expectedEnd: string | null;
  declared: DeclaredStatus;
  inclusionStart: null;
  inclusionEnd: null;
  paused: false;
  pauseReason: null;
  contact: ContactOut | null;
  moreContacts: ContactOut[];
  withdrawn: false;
}

function buildSites(
  norwegian: JsonObject[],
  ctx: MapContext,
  declaredFor: (locationStatus: string | null) => DeclaredStatus,
  expected: { start: string | null; end: string | null },
  warnings: string[],
): SiteOut[] {
  const sites: SiteOut[] = [];
  const byKey = new Map<string, SiteOut>();
  let unnamed: SiteOut | null = null;
  for (const location of norwegian) {
    const facility = str(location.facility);
    const city = str(location.city);
    const label = [facility, city].filter(Boolean).join(", ") || "(uten navn og sted)";
    const geo = obj(location.geoPoint);
    const lat = typeof geo.lat === "number" && Math.abs(geo.lat) <= 90 ? geo.lat : null;
    const lon = typeof geo.lon === "number" && Math.abs(geo.lon) <= 180 ? geo.lon : null;
    const contacts = uniqueContacts(
      arr(location.contacts)
        .map((c) => contactFrom(obj(c), `locations[${label}].contacts`, warnings))
        .filter((c): c is ContactOut => c !== null),
    );
    const declared = declaredFor(str(location.status));
    const common = {
      expectedStart: expected.start,
      expectedEnd: expected.end,
      declared,
      inclusionStart: null,
      inclusionEnd: null,
      paused: false as const,
      pauseReason: null,
      contact: contacts[0] ?? null,
      moreContacts: contacts.slice(1, 51),
      withdrawn: false as const,
    };
    if (!facility && !city) {
      // Norway and nothing else: "N sites in Norway, not named".
      if (unnamed) {
        unnamed.unnamedCount = (unnamed.unnamedCount ?? 1) + 1;
        unnamed.moreContacts = uniqueContacts([...unnamed.moreContacts, ...contacts]).slice(0, 50);
      } else {
        const first: SiteOut = {
          organisationId: null,
          hospitalId: null,
          name: null,
          city: null,
          lat: null,
          lon: null,
          unnamedCount: 1,
          ...common,
        };
        unnamed = first;
        sites.push(first);
      }
      continue;
    }
    const match = matchRegisteredOrganisation({ facility, city }, ctx.organisations);
    let site: SiteOut;
    if (match) {
      site = {
        organisationId: match.organisationId,
        hospitalId: match.hospitalId,
        name: facility,
        city,
        lat: null,
        lon: null,
        unnamedCount: null,
        ...common,
      };
    } else {
      if (!facility)
        warnings.push(
          `norsk studiested i ${city} har ikke noe navn i posten; stedsnavnet er brukt som navn (ikke koblet til et registrert sykehus)`,
        );
      else
        warnings.push(
          `norsk studiested "${label}" er ikke et registrert sykehus eller foretak; beholdt som eget sted (ikke registrert)`,
        );
      site = {
        organisationId: null,
        hospitalId: null,
        name: clipSilently(facility ?? city, 300),
        city: clipSilently(city, 200),
        lat,
        lon,
        unnamedCount: null,
        ...common,
      };
    }
    const key = siteIdentity(site);
    const same = byKey.get(key);
    if (same) {
      warnings.push(
        `norsk studiested "${label}" er samme sted som et annet i posten; slått sammen (kontaktene er beholdt)`,
      );
      const merged = uniqueContacts(
        [same.contact, ...same.moreContacts, ...contacts].filter((c): c is ContactOut => c != null),
      );
      same.contact = merged[0] ?? null;
      same.moreContacts = merged.slice(1, 51);
      continue;
    }
    byKey.set(key, site);
    sites.push(site);
  }
  return sites;
}

function uniqueContacts(contacts: ContactOut[]): ContactOut[] {
  const seen = new Set<string>();
  return contacts.filter((c) => {
    const key = `${c.name.toLowerCase()}|${(c.email ?? "").toLowerCase()}|${c.phone ?? ""}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
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
  const conditionsModule = obj(p.conditionsModule);

  warnings.push(
    "ingen norsk tekst: ClinicalTrials.gov er bare på engelsk; den engelske teksten er lagt i bokmålsfeltet",
  );

  // Identifiers (see the header).
  const orgStudy = obj(ident.orgStudyIdInfo);
  const idEntries = [
    ...(str(orgStudy.id)
      ? [{ id: str(orgStudy.id)!, type: str(orgStudy.type), domain: null, link: str(orgStudy.link), orgStudyId: true }]
      : []),
    ...arr(ident.secondaryIdInfos)
      .map(obj)
      .filter((s) => str(s.id))
      .map((s) => ({ id: str(s.id)!, type: str(s.type), domain: str(s.domain), link: str(s.link) })),
  ];
  const ids = ctgovIdentifiers(idEntries, warnings);

  const title = clip(str(ident.briefTitle), 500, "briefTitle", warnings)!;
  const officialTitle = clip(str(ident.officialTitle), 1000, "officialTitle", warnings);
  const acronym = clip(str(ident.acronym), 200, "acronym", warnings);
  const summary = clip(str(description.briefSummary), 10_000, "briefSummary", warnings);
  const detailed = clip(str(description.detailedDescription), 20_000, "detailedDescription", warnings);

  const criteria = splitCriteria(str(eligibility.eligibilityCriteria));
  const minAgeYears = ctgovAgeYears(eligibility.minimumAge, "min", "eligibilityModule.minimumAge", warnings);
  let maxAgeYears = ctgovAgeYears(eligibility.maximumAge, "max", "eligibilityModule.maximumAge", warnings);
  if (minAgeYears != null && maxAgeYears != null && maxAgeYears < minAgeYears) {
    warnings.push(
      `eligibilityModule.maximumAge (${maxAgeYears}) er lavere enn minste alder (${minAgeYears}); høyeste alder er utelatt`,
    );
    maxAgeYears = null;
  }
  const sexText = String(eligibility.sex ?? "ALL").toUpperCase();
  const sex = sexText === "FEMALE" ? "female" : sexText === "MALE" ? "male" : "all";
  const ageGroups = [
    ...new Set(
      arr(eligibility.stdAges)
        .map((a) => clipSilently(str(a), 100))
        .filter((a): a is string => a !== null),
    ),
  ].slice(0, 20);
  // Tri-state: the source's own yes or no; absent (or anything else) is unknown.
  const healthyVolunteers = typeof eligibility.healthyVolunteers === "boolean" ? eligibility.healthyVolunteers : null;

  const uniqueTexts = (values: unknown[], max: number, field: string) => [
    ...new Set(values.map((c) => clip(str(c), max, field, warnings)).filter((c): c is string => c !== null)),
  ];
  const conditions = uniqueTexts(arr(conditionsModule.conditions), 300, "conditions");
  const keywords = uniqueTexts(arr(conditionsModule.keywords), 200, "keywords").slice(0, 200);

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

  const contacts = uniqueContacts(
    arr(contactsLocations.centralContacts)
      .map((c) => contactFrom(obj(c), "centralContacts", warnings))
      .filter((c): c is ContactOut => c !== null),
  ).map((c) => ({ ...c, role: "public" as const }));

  const officials = arr(contactsLocations.overallOfficials).map(obj);
  const pi = officials.find((o) => String(o.role ?? "").toUpperCase() === "PRINCIPAL_INVESTIGATOR" && str(o.name));
  const principalInvestigator = pi
    ? {
        name: clip(str(pi.name), 200, "overallOfficials.name", warnings)!,
        title: null,
        organisationId:
          matchRegisteredOrganisation({ facility: str(pi.affiliation) }, ctx.organisations)?.organisationId ?? null,
      }
    : null;

  // Dates: every date is checked (an impossible one rejects the record), only ESTIMATED start and
  // primary completion are kept, as expected dates.
  readCtgovDate(obj(status.completionDateStruct).date, "end", "statusModule.completionDateStruct.date");
  const expected = {
    start: estimatedDate(status.startDateStruct, "start", "statusModule.startDateStruct", warnings),
    end: estimatedDate(status.primaryCompletionDateStruct, "end", "statusModule.primaryCompletionDateStruct", warnings),
  };
  if (expected.start && expected.end && expected.end < expected.start) {
    warnings.push(
      `forventet slutt ${expected.end} er før forventet start ${expected.start}; forventet slutt er utelatt`,
    );
    expected.end = null;
  }

  // The declared status (see the header): one date for the whole record.
  const verified = readCtgovDate(status.statusVerifiedDate, "start", "statusModule.statusVerifiedDate");
  const lastUpdate = readCtgovDate(
    obj(status.lastUpdatePostDateStruct).date,
    "start",
    "statusModule.lastUpdatePostDateStruct.date",
  );
  const declaredOn = verified?.date ?? lastUpdate?.date ?? null;
  const firstPosted = firstPostedFrom(status.studyFirstPostDateStruct, warnings);
  if (!declaredOn)
    warnings.push(
      "posten har verken statusVerifiedDate eller lastUpdatePostDate: statusen kan ikke dateres og vises som ukjent",
    );
  const overallText = str(status.overallStatus);
  const overallUnknown = overallText !== null && ctgovDeclaredStatus(overallText) === "unknown";
  const declaredFor = (locationStatus: string | null): DeclaredStatus => {
    const text = overallUnknown ? overallText : (locationStatus ?? overallText);
    if (!text) {
      return { status: "unknown", text: "(ingen status oppgitt)", on: declaredOn ?? today, by: CTGOV_DECLARED_BY };
    }
    if (overallUnknown && locationStatus && ctgovDeclaredStatus(locationStatus) !== "unknown") {
      warnings.push(`studiens status er ${overallText}; stedets status ${locationStatus} er ikke brukt`);
    }
    return {
      status: declaredOn ? ctgovDeclaredStatus(text) : "unknown",
      text: clipSilently(text, 200)!,
      on: declaredOn ?? today,
      by: CTGOV_DECLARED_BY,
    };
  };

  const sites = buildSites(norwegian, ctx, declaredFor, expected, warnings);

  // The lead is the record's own lead sponsor; the sender is not the lead.
  const sponsor = clip(str(obj(sponsorModule.leadSponsor).name), 300, "leadSponsor.name", warnings);
  const leadOrg = sponsor
    ? (matchRegisteredOrganisation({ facility: sponsor }, ctx.organisations)?.organisationId ?? null)
    : null;
  const lead = sponsor ? { name: sponsor, organisationId: leadOrg } : null;
  let leadOrganisationId = ctx.organisationId;
  if (options.leadFallback === "first-site") {
    const registered = sites.map((s) => s.organisationId).filter((o): o is string => o != null);
    leadOrganisationId = (leadOrg && registered.includes(leadOrg) ? leadOrg : registered[0]) ?? ctx.organisationId;
  }

  const links = [{ url: `https://clinicaltrials.gov/study/${nct}`, label: "ClinicalTrials.gov" }];
  for (const l of arr(obj(p.referencesModule).seeAlsoLinks).map(obj)) {
    const url = httpUrl(str(l.url));
    if (!url || links.some((x) => x.url === url)) continue;
    if (url.length > 2000) continue;
    links.push({ url, label: clipSilently(str(l.label) ?? new URL(url).host, 200)! });
  }

  return {
    identifiers: { nct, euCt: ids.euCt, eudract: ids.eudract, isrctn: ids.isrctn, rek: ids.rek },
    localIds: [],
    title: { nb: title, en: title },
    shortTitle: acronym ? { nb: acronym, en: acronym } : {},
    officialTitle,
    firstPosted,
    summary: summary ? { nb: summary, en: summary } : {},
    scientificSummary: detailed ? { en: detailed } : {},
    participation: {},
    studyType: ctgovStudyType(design.studyType),
    phase: ctgovPhase(arr(design.phases), warnings),
    categories: [],
    conditions,
    keywords,
    icd10: [],
    snomed: [],
    interventions,
    eligibility: {
      minAgeYears,
      maxAgeYears,
      sex,
      healthyVolunteers,
      ageGroups,
      inclusionCriteria: criteria.inclusion
        ? { en: clip(criteria.inclusion, 20_000, "eligibilityCriteria", warnings) }
        : {},
      exclusionCriteria: criteria.exclusion
        ? { en: clip(criteria.exclusion, 20_000, "eligibilityCriteria", warnings) }
        : {},
    },
    sponsor,
    leadOrganisationId,
    lead,
    otherIdentifiers: ids.other.slice(0, 100),
    principalInvestigator,
    contacts,
    links,
    targetEnrolment,
    sites,
    publicationState: "published",
  };
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function contactFrom(
  c: JsonObject,
  field: string,
  warnings: string[],
): { name: string; email: string | null; phone: string | null } | null {
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
  const collected = collectCtgovInput(
    input,
    Math.min(ctx.maxUnpackedBytes ?? MAX_UNCOMPRESSED_BYTES, MAX_UNCOMPRESSED_BYTES),
  );
  const result: Required<MapResult> = { records: [], rejected: [...collected.rejected], skipped: [] };
  for (const item of collected.items) {
    const outcome = mapCtgovStudy(item.value, item.ref, ctx, options);
    if (outcome.kind === "record") result.records.push(outcome.record);
    else if (outcome.kind === "rejected") result.rejected.push(outcome.rejection);
    else result.skipped.push({ ref: item.ref, externalId: outcome.externalId, reason: outcome.reason });
  }
  return result;
}
