/**
 * HL7 FHIR R4 ResearchStudy (as published by France's ECLAIRE API, ANS "eclaire" IG) → candidate
 * studies. Pure: no I/O; the clock is only read when `options.today` is left out.
 *
 * Accepted inputs (Buffer or string, UTF-8 JSON):
 *  - one ResearchStudy resource
 *  - a Bundle (searchset, collection, …) whose entries hold ResearchStudy resources; other
 *    entries (Location, Group, Organization brought in by `_include`) are used to resolve
 *    references and are otherwise ignored; any other resource type gets a warning-only rejection-
 *    free skip (listed in `skipped` with its type, with a note on the first record).
 *
 * Never throws: invalid JSON, a wrong resourceType, a missing id or title, impossible dates
 * ("2024-02-30"), an inclusion end before its start, or anything the schema refuses become
 * Rejections naming the record and the field. Only known paths are read (no recursive walk), so
 * deeply nested input cannot blow the stack.
 *
 * Field mapping (FHIR → portal):
 *  id                                  → MappedRecord.externalId
 *  identifier[]                        → identifiers, by `system` when it names a registry
 *                                        (clinicaltrials.gov → nct, euclinicaltrials/CTIS → euCt,
 *                                        eudract → eudract, isrctn → isrctn; ECLAIRE sets no system
 *                                        but `assigner.reference = Organization/ctis`), otherwise by
 *                                        the value's pattern (EU CT before EudraCT). French ID-RCB
 *                                        numbers ("2021-A01563-38") fit no registry: warning.
 *                                        REK numbers only by system (rekportalen.no): a bare number
 *                                        could be anything.
 *                                        "INDISPONIBLE" (ECLAIRE's "not available") counts as absent.
 *  title                               → title.nb. ECLAIRE titles are English or French and carry
 *                                        no language tag: the original text goes into nb (required)
 *                                        and is NOT copied to en; warning "ingen norsk tekst" unless
 *                                        ResearchStudy.language is nb/nn/no. Core `translation`
 *                                        extensions on _title (lang nn / en) → title.nn / title.en.
 *  R5 label extension (type acronym)   → shortTitle.nb (translations of its value → nn / en)
 *  description                         → summary.nb (same language note; translations likewise)
 *  condition[].coding                  → ICD-10 (http://hl7.org/fhir/sid/icd-10, also the Norwegian
 *                                        OID) → icd10 without the dot; SNOMED CT → snomed; every
 *                                        coding's display → conditions. condition.text is used only
 *                                        when no display exists and it is not an ECLAIRE label such
 *                                        as "diseaseCondition"/"medDRACondition".
 *  phase (research-study-phase)        → phase (phase-1-phase-2 → phase_1_2, n-a → not_applicable)
 *  primaryPurposeType / category       → studyType: purpose "treatment" → treatment; a category or
 *                                        purpose saying observational → observational; ECLAIRE
 *                                        regulation code REG536 (EU Regulation 536/2014: a clinical
 *                                        trial of a medicinal product, interventional by law) →
 *                                        treatment; anything else (e.g. REG745 device
 *                                        investigations) → other, with a warning.
 *  enrollment → Group (contained, or a Bundle entry): characteristic "Genders" (administrative-
 *                                        gender male/female → sex), "Age range" (valueRange in years
 *                                        → min/max age), "Study Size" (positive integer →
 *                                        targetEnrolment). Unresolvable references: nothing.
 *                                        Without a Study Size: R5 recruitment.targetNumber.
 *  sponsor → Organization name (when resolvable) → sponsor
 *  leadOrganisationId                  → ctx.organisationId (the sending organisation)
 *
 * Inclusion window (the same for every site this record yields):
 *  1. the ECLAIRE recruitment-period extension
 *     (https://interop.esante.gouv.fr/ig/fhir/eclaire/StructureDefinition/eclaire-recruitment-period,
 *     valuePeriod) — a recruitment period, exactly what inclusion means;
 *  2. else the R5 backport http://hl7.org/fhir/5.0/StructureDefinition/extension-ResearchStudy.recruitment
 *     sub-extension actualPeriod;
 *  3. else ResearchStudy.period (the whole study period: warned).
 *  Dates: YYYY-MM-DD as is; a dateTime with a time → its calendar date in Europe/Oslo;
 *  YYYY-MM → first day (start) / last day (end); YYYY → 1 Jan / 31 Dec, warned.
 *  Refined by status:
 *   approved / in-review              → not recruiting yet: a start on or before today is dropped
 *                                        (the site is planned); a future start is kept
 *   completed / administratively-completed / closed-to-accrual(-and-intervention)
 *                                      → recruitment is over: with no end, or an end after today,
 *                                        the end becomes meta.lastUpdated (Oslo date) — recruitment
 *                                        had ended by then at the latest — warned
 *   temporarily-closed-to-accrual(-and-intervention), or an R5 progressStatus entry of that state
 *                                      → paused; the reason is reasonStopped.text when given
 *   withdrawn / disapproved           → the site is marked withdrawn
 *
 * Per-site windows: a site-level ResearchStudy contained in the study (partOf "#", the containing
 * study; site → one of the study's Locations — R5 models a site as a ResearchStudy) gives THAT
 * site its own window and status, read exactly as above from its own recruitment-period extension
 * and status. Sites without one get the study's window. Our FHIR export writes this shape.
 *
 * Sites: site[] references are resolved to Locations (contained "#id" or Bundle entries). A
 * Location in Norway (or without a country) becomes a site of the organisation (and hospital)
 * named by its portal identifiers (Location.identifier systems …/sid/organisation and
 * …/sid/hospital, see app/fhir/constants.ts), else whose name equals — after normalisation — an
 * organisation's name or short name, or one of its hospitals' names. When none match (the
 * ECLAIRE studies are French), the record gets ONE site for ctx.organisationId: the sending
 * organisation owns the site it sends. Warned.
 *
 * Publication: "published" requires a Norwegian summary (schema rule). With a description the
 * record is "published"; without one (ECLAIRE sends "INDISPONIBLE" everywhere) it is "submitted",
 * i.e. waiting for the hospital editor to add a Norwegian summary — warned.
 */
import { daysInMonth, isCalendarDate } from "../../domain/calendar-date";
import { osloDate } from "../../domain/inclusion-status";
import { IDENTIFIER_PATTERNS, studyInputSchema, type Phase, type StudyInput, type StudyType } from "../../domain/study";
import { EXTENSION, HOSPITAL_ID_SYSTEM, ORGANISATION_ID_SYSTEM } from "../../fhir/constants";
import { EncodingError, decodeUtf8Strict } from "../text-decoding";
import { SKIP_REASONS, type MapContext, type MapResult, type MappedRecord, type OrganisationRef, type Rejection } from "../types";

export const FHIR_MAX_BYTES = 64 * 1024 * 1024;
export const FHIR_MAX_ENTRIES = 100_000;

export const ECLAIRE_RECRUITMENT_PERIOD_URL =
  "https://interop.esante.gouv.fr/ig/fhir/eclaire/StructureDefinition/eclaire-recruitment-period";
export const R5_RECRUITMENT_URL = "http://hl7.org/fhir/5.0/StructureDefinition/extension-ResearchStudy.recruitment";
export const R5_LABEL_URL = "http://hl7.org/fhir/5.0/StructureDefinition/extension-ResearchStudy.label";

const ICD10_SYSTEMS = new Set(["http://hl7.org/fhir/sid/icd-10", "urn:oid:2.16.578.1.12.4.1.1.7110", "http://hl7.org/fhir/sid/icd-10-no"]);
const SNOMED_SYSTEM = "http://snomed.info/sct";

const PHASE_MAP: Record<string, Phase> = {
  "n-a": "not_applicable",
  "early-phase-1": "early_phase_1",
  "phase-1": "phase_1",
  "phase-1-phase-2": "phase_1_2",
  "phase-2": "phase_2",
  "phase-2-phase-3": "phase_2_3",
  "phase-3": "phase_3",
  "phase-4": "phase_4",
};

const NO_NORWEGIAN_TEXT = "ingen norsk tekst: teksten er lagret i originalspråket (ofte engelsk eller fransk) og må oversettes";

type Json = Record<string, unknown>;

export interface FhirOptions {
  /** "Today" as an Oslo calendar date (YYYY-MM-DD); defaults to the current date in Europe/Oslo. */
  today?: string;
}

class MappingError extends Error {
  readonly field: string;
  /** `field` may carry the source path in parentheses: "sites.0.inclusionStart (period.start)". */
  constructor(field: string, message: string) {
    const source = /^(\S+) \((.+)\)$/.exec(field);
    super(source ? `${source[2]}: ${message}` : message);
    this.field = source ? source[1]! : field;
  }
}

const obj = (v: unknown): Json => (v && typeof v === "object" && !Array.isArray(v) ? (v as Json) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | null => (typeof v === "string" && v.trim() !== "" ? v.trim() : null);

const PLACEHOLDERS = new Set(["indisponible", "non disponible", "n/a", "na", "unknown", "inconnu", "-"]);
/** A string value, with ECLAIRE's "INDISPONIBLE" and similar placeholders treated as absent. */
function value(v: unknown): string | null {
  const s = str(v);
  return s && !PLACEHOLDERS.has(s.toLowerCase()) ? s : null;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

// ---------------------------------------------------------------------------------------------
// Dates

const FHIR_DATE = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;
const FHIR_DATETIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * A FHIR date/dateTime → an Oslo calendar date. `edge` says which end of an imprecise date to take.
 * Throws MappingError for impossible or malformed dates.
 */
export function fhirDateToCalendarDate(raw: string, edge: "start" | "end", field: string, warnings: string[]): string {
  const text = raw.trim();
  const dt = FHIR_DATETIME.exec(text);
  if (dt) {
    const date = `${dt[1]}-${dt[2]}-${dt[3]}`;
    const hh = Number(dt[4]);
    const mm = Number(dt[5]);
    const ss = Number(dt[6] ?? "0");
    if (!isCalendarDate(date) || hh > 23 || mm > 59 || ss > 60) throw new MappingError(field, `ugyldig dato/tid "${text}"`);
    const instant = new Date(text);
    if (Number.isNaN(instant.getTime())) throw new MappingError(field, `ugyldig dato/tid "${text}"`);
    const local = osloDate(instant);
    if (!isCalendarDate(local)) throw new MappingError(field, `dato utenfor gyldig område: "${text}"`);
    return local;
  }
  const d = FHIR_DATE.exec(text);
  if (!d) throw new MappingError(field, `ugyldig FHIR-dato "${text.slice(0, 40)}" (forventet ÅÅÅÅ, ÅÅÅÅ-MM, ÅÅÅÅ-MM-DD eller dato med klokkeslett og tidssone)`);
  const year = Number(d[1]);
  if (d[3] !== undefined) {
    if (!isCalendarDate(text)) throw new MappingError(field, `ugyldig dato "${text}" (finnes ikke i kalenderen)`);
    return text;
  }
  if (d[2] !== undefined) {
    const month = Number(d[2]);
    if (month < 1 || month > 12 || year < 1900 || year > 2200) throw new MappingError(field, `ugyldig måned "${text}"`);
    const day = edge === "start" ? 1 : daysInMonth(year, month);
    const result = `${d[1]}-${d[2]}-${String(day).padStart(2, "0")}`;
    warnings.push(`${field}: bare måned oppgitt (${text}); brukte ${edge === "start" ? "første" : "siste"} dag i måneden (${result})`);
    return result;
  }
  if (year < 1900 || year > 2200) throw new MappingError(field, `ugyldig år "${text}"`);
  const result = edge === "start" ? `${d[1]}-01-01` : `${d[1]}-12-31`;
  warnings.push(`${field}: bare årstall oppgitt (${text}); brukte ${result}`);
  return result;
}

// ---------------------------------------------------------------------------------------------
// Organisation name match (local and deliberately strict: exact after normalisation)

export function normaliseOrgName(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9æøå]+/g, " ")
    .replace(/\b(hf|helseforetak)\b/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}

export function matchOrganisationByName(
  name: string,
  organisations: OrganisationRef[],
): { organisationId: string; hospitalId: string | null } | null {
  const wanted = normaliseOrgName(name);
  if (!wanted) return null;
  for (const org of organisations) {
    const hospital = org.hospitals.find((h) => normaliseOrgName(h.name) === wanted);
    if (hospital) return { organisationId: org.id, hospitalId: hospital.id };
  }
  for (const org of organisations) {
    if (normaliseOrgName(org.name) === wanted || normaliseOrgName(org.shortName) === wanted) {
      return { organisationId: org.id, hospitalId: null };
    }
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// References

type Resolver = (reference: unknown) => Json | null;

function makeResolver(resource: Json, bundleIndex: Map<string, Json>): Resolver {
  const contained = new Map<string, Json>();
  for (const c of arr(resource.contained)) {
    const id = str(obj(c).id);
    if (id) contained.set(id, obj(c));
  }
  return (reference) => {
    const ref = str(obj(reference).reference);
    if (!ref) return null;
    if (ref.startsWith("#")) return contained.get(ref.slice(1)) ?? null;
    return bundleIndex.get(ref) ?? bundleIndex.get(ref.split("/").slice(-2).join("/")) ?? null;
  };
}

// ---------------------------------------------------------------------------------------------
// Mapping one ResearchStudy

function mapIdentifiers(resource: Json, warnings: string[]): StudyInput["identifiers"] {
  const ids: { nct: string | null; euCt: string | null; eudract: string | null; isrctn: string | null; rek?: string | null } = {
    nct: null,
    euCt: null,
    eudract: null,
    isrctn: null,
  };
  const unknown: string[] = [];
  for (const raw of arr(resource.identifier)) {
    const identifier = obj(raw);
    const v = value(identifier.value)?.toUpperCase();
    if (!v) continue;
    const hint = `${str(identifier.system) ?? ""} ${str(obj(identifier.assigner).reference) ?? ""} ${str(obj(identifier.assigner).display) ?? ""}`.toLowerCase();
    let kind: keyof typeof ids | null = null;
    if (hint.includes("clinicaltrials.gov")) kind = "nct";
    else if (hint.includes("euclinicaltrials") || /\bctis\b/.test(hint)) kind = "euCt";
    else if (hint.includes("eudract")) kind = "eudract";
    else if (hint.includes("isrctn")) kind = "isrctn";
    else if (hint.includes("rekportalen")) kind = "rek";
    if (kind && !IDENTIFIER_PATTERNS[kind].test(v)) {
      warnings.push(`identifikatoren "${v}" har systemet ${kind}, men feil format; ikke brukt`);
      continue;
    }
    if (!kind) {
      if (IDENTIFIER_PATTERNS.euCt.test(v)) kind = "euCt";
      else if (IDENTIFIER_PATTERNS.nct.test(v)) kind = "nct";
      else if (IDENTIFIER_PATTERNS.eudract.test(v)) kind = "eudract";
      else if (IDENTIFIER_PATTERNS.isrctn.test(v)) kind = "isrctn";
    }
    if (!kind) {
      unknown.push(v);
      continue;
    }
    const current = ids[kind] ?? null;
    if (current && current !== v) warnings.push(`flere ${kind}-identifikatorer; brukte ${current}, ikke ${v}`);
    else ids[kind] = v;
  }
  if (unknown.length > 0) {
    warnings.push(`identifikator(er) som ikke er fra et kjent register (f.eks. fransk ID-RCB) er ikke lagret: ${unknown.join(", ")}`);
  }
  return ids;
}

function mapConditions(resource: Json): { conditions: string[]; icd10: string[]; snomed: string[] } {
  const conditions: string[] = [];
  const icd10: string[] = [];
  const snomed: string[] = [];
  const LABELS = new Set(["diseasecondition", "meddracondition"]);
  const addUnique = (list: string[], v: string) => {
    if (!list.includes(v)) list.push(v);
  };
  for (const raw of arr(resource.condition)) {
    const cc = obj(raw);
    let displays = 0;
    for (const c of arr(cc.coding)) {
      const coding = obj(c);
      const system = str(coding.system);
      const code = value(coding.code);
      if (system && code && ICD10_SYSTEMS.has(system)) {
        const normalised = code.replace(/\./g, "").toUpperCase();
        if (/^[A-Z]\d{2}[0-9A-Z]{0,2}$/.test(normalised)) addUnique(icd10, normalised);
      } else if (system === SNOMED_SYSTEM && code && /^\d{6,18}$/.test(code)) {
        addUnique(snomed, code);
      }
      const display = value(coding.display);
      if (display) {
        displays++;
        addUnique(conditions, display.slice(0, 300));
      }
    }
    const text = value(cc.text);
    if (text && displays === 0 && !LABELS.has(text.replace(/\s+/g, "").toLowerCase())) addUnique(conditions, text.slice(0, 300));
  }
  return { conditions, icd10, snomed };
}

function codesOf(concepts: unknown[]): { codes: string[]; texts: string[] } {
  const codes: string[] = [];
  const texts: string[] = [];
  for (const raw of concepts) {
    const cc = obj(raw);
    const t = str(cc.text);
    if (t) texts.push(t.toLowerCase());
    for (const c of arr(cc.coding)) {
      const code = str(obj(c).code);
      if (code) codes.push(code.toLowerCase());
      const display = str(obj(c).display);
      if (display) texts.push(display.toLowerCase());
    }
  }
  return { codes, texts };
}

function mapStudyType(resource: Json, warnings: string[]): StudyType {
  const purpose = codesOf([resource.primaryPurposeType]);
  const category = codesOf(arr(resource.category));
  const all = [...purpose.codes, ...purpose.texts, ...category.codes, ...category.texts];
  if (purpose.codes.includes("treatment")) return "treatment";
  if (all.some((t) => /observational|observationnel|non-interventional|non interventionnel/.test(t))) return "observational";
  if ([...category.codes, ...category.texts].some((t) => /^reg536\b/.test(t))) return "treatment";
  warnings.push("studietypen kan ikke utledes sikkert fra kilden; lagret som «annen»");
  return "other";
}

function mapPhase(resource: Json, warnings: string[]): Phase | null {
  for (const c of arr(obj(resource.phase).coding)) {
    const code = str(obj(c).code);
    if (!code) continue;
    const phase = PHASE_MAP[code.toLowerCase()];
    if (phase) return phase;
    warnings.push(`ukjent fase "${code}"; fase ikke satt`);
  }
  return null;
}

function extensionsByUrl(resource: Json, url: string): Json[] {
  return arr(resource.extension)
    .map(obj)
    .filter((e) => e.url === url);
}

function mapEnrollment(
  resource: Json,
  resolve: Resolver,
  warnings: string[],
): { sex: "all" | "female" | "male"; minAgeYears: number | null; maxAgeYears: number | null; targetEnrolment: number | null } {
  const out = { sex: "all" as "all" | "female" | "male", minAgeYears: null as number | null, maxAgeYears: null as number | null, targetEnrolment: null as number | null };
  for (const ref of arr(resource.enrollment)) {
    const group = resolve(ref);
    if (!group || group.resourceType !== "Group") continue;
    for (const raw of arr(group.characteristic)) {
      const ch = obj(raw);
      const vcc = obj(ch.valueCodeableConcept);
      const label = `${str(vcc.text) ?? ""} ${str(obj(ch.code).text) ?? ""}`.toLowerCase();
      const codings = arr(vcc.coding).map(obj);
      if (/gender|sex|genre|sexe/.test(label) || codings.some((c) => c.system === "http://hl7.org/fhir/administrative-gender")) {
        const genders = new Set(codings.map((c) => str(c.code)?.toLowerCase()).filter((g): g is string => !!g));
        if (genders.size === 1 && genders.has("female")) out.sex = "female";
        else if (genders.size === 1 && genders.has("male")) out.sex = "male";
      }
      const range = obj(ch.valueRange);
      if (Object.keys(range).length > 0 || /age/.test(label)) {
        const years = (q: Json): number | null => {
          const n = typeof q.value === "number" && Number.isFinite(q.value) ? q.value : null;
          if (n === null) return null;
          const unit = (str(q.code) ?? str(q.unit) ?? "a").toLowerCase();
          const factor = unit.startsWith("mo") ? 1 / 12 : unit === "wk" || unit.startsWith("week") ? 1 / 52 : unit === "d" || unit.startsWith("day") ? 1 / 365 : 1;
          return Math.min(120, Math.max(0, Math.round(n * factor * 100) / 100));
        };
        const low = years(obj(range.low));
        const high = years(obj(range.high));
        if (low !== null) out.minAgeYears = low;
        if (high !== null) out.maxAgeYears = high;
      }
      if (/study size|taille/.test(label)) {
        const n = Number(str(obj(codings[0]).display) ?? NaN);
        if (Number.isInteger(n) && n > 0 && n <= 10_000_000) out.targetEnrolment = n;
      }
    }
  }
  if (out.minAgeYears !== null && out.maxAgeYears !== null && out.minAgeYears > out.maxAgeYears) {
    warnings.push(`aldersspennet ${out.minAgeYears}–${out.maxAgeYears} er snudd; ikke brukt`);
    out.minAgeYears = null;
    out.maxAgeYears = null;
  }
  return out;
}

interface Window {
  start: string | null;
  end: string | null;
}

function mapWindow(resource: Json, warnings: string[], siteIndex = 0, sourcePrefix = ""): Window {
  let period: Json | null = null;
  let source = "";
  const eclaire = extensionsByUrl(resource, ECLAIRE_RECRUITMENT_PERIOD_URL)[0];
  if (eclaire && obj(eclaire.valuePeriod)) {
    period = obj(eclaire.valuePeriod);
    source = "extension[eclaire-recruitment-period].valuePeriod";
  }
  if (!period) {
    const r5 = extensionsByUrl(resource, R5_RECRUITMENT_URL)[0];
    const actual = arr(r5?.extension).map(obj).find((e) => e.url === "actualPeriod");
    if (actual) {
      period = obj(actual.valuePeriod);
      source = "extension[ResearchStudy.recruitment].actualPeriod";
    }
  }
  if (!period && resource.period !== undefined) {
    period = obj(resource.period);
    source = "period";
    warnings.push("ingen rekrutteringsperiode i kilden; studiens periode (period) er brukt som inklusjonsperiode");
  }
  if (!period) return { start: null, end: null };
  const start = str(period.start);
  const end = str(period.end);
  return {
    start: start ? fhirDateToCalendarDate(start, "start", `sites.${siteIndex}.inclusionStart (${sourcePrefix}${source}.start)`, warnings) : null,
    end: end ? fhirDateToCalendarDate(end, "end", `sites.${siteIndex}.inclusionEnd (${sourcePrefix}${source}.end)`, warnings) : null,
  };
}

interface SiteState {
  inclusionStart: string | null;
  inclusionEnd: string | null;
  paused: boolean;
  pauseReason: string | null;
  withdrawn: boolean;
}

/** An R5 progressStatus entry saying recruitment is (actually) halted for now. */
function pausedByProgressStatus(resource: Json): boolean {
  return extensionsByUrl(resource, EXTENSION.r5ProgressStatus).some((e) => {
    const parts = arr(e.extension).map(obj);
    const states = codesOf([parts.find((p) => p.url === "state")?.valueCodeableConcept]).codes;
    return states.some((c) => c.startsWith("temporarily-closed-to-accrual")) && parts.find((p) => p.url === "actual")?.valueBoolean !== false;
  });
}

/**
 * The inclusion window and pause/withdrawal of one site from a ResearchStudy: the study itself, or
 * a site-level ResearchStudy contained in it. `meta` is the top-level resource's meta.
 */
function siteState(source: Json, meta: Json, today: string, warnings: string[], siteIndex = 0, sourcePrefix = ""): SiteState {
  const window = mapWindow(source, warnings, siteIndex, sourcePrefix);
  const status = str(source.status)?.toLowerCase() ?? "";
  const where = sourcePrefix ? ` (${sourcePrefix.replace(/\.$/, "")})` : "";
  let paused = false;
  let pauseReason: string | null = null;
  let withdrawn = false;
  if (status === "approved" || status === "in-review") {
    if (window.start && window.start <= today) {
      warnings.push(`status «${status}»${where}: rekrutteringen har ikke startet; startdatoen ${window.start} er ikke brukt (stedet er planlagt)`);
      window.start = null;
    }
  } else if (["completed", "administratively-completed", "closed-to-accrual", "closed-to-accrual-and-intervention"].includes(status)) {
    if (!window.end || window.end > today) {
      const updated = str(meta.lastUpdated);
      if (updated) {
        window.end = fhirDateToCalendarDate(updated, "end", `sites.${siteIndex}.inclusionEnd (meta.lastUpdated)`, warnings);
        warnings.push(`status «${status}»${where} uten passert sluttdato: inklusjonsslutt satt til sist oppdatert (${window.end}); rekrutteringen var avsluttet senest da`);
      } else {
        warnings.push(`status «${status}»${where}, men ingen sluttdato eller meta.lastUpdated: inklusjonsslutt ukjent`);
      }
    }
  } else if (status.startsWith("temporarily-closed-to-accrual")) {
    paused = true;
  } else if (status === "withdrawn" || status === "disapproved") {
    withdrawn = true;
    warnings.push(`status «${status}»${where}: stedet er merket som trukket`);
  }
  if (!paused && pausedByProgressStatus(source)) paused = true;
  if (paused) pauseReason = value(obj(source.reasonStopped).text) ?? `Midlertidig stengt for inklusjon (FHIR-status ${status})`;
  return { inclusionStart: window.start, inclusionEnd: window.end, paused, pauseReason, withdrawn };
}

/**
 * Site-level ResearchStudy resources contained in the study (partOf the containing study, site →
 * one Location): each carries its own site's recruitment period and status, the way the study
 * carries its own (our FHIR export writes them; see app/fhir/research-study.ts). By site reference.
 */
function siteStudies(resource: Json): Map<string, { study: Json; id: string }> {
  const out = new Map<string, { study: Json; id: string }>();
  const selfRef = str(resource.id) ? `ResearchStudy/${str(resource.id)}` : null;
  for (const raw of arr(resource.contained)) {
    const c = obj(raw);
    if (c.resourceType !== "ResearchStudy") continue;
    const partOfUs = arr(c.partOf).some((p) => {
      const ref = str(obj(p).reference);
      return ref === "#" || (selfRef !== null && ref === selfRef);
    });
    const sites = arr(c.site).map((r) => str(obj(r).reference)).filter((r): r is string => !!r);
    if (!partOfUs || sites.length !== 1 || out.has(sites[0]!)) continue;
    out.set(sites[0]!, { study: c, id: str(c.id) ?? "?" });
  }
  return out;
}

/** Translations (core translation extension) of a string element, by portal language. */
function translationsOf(element: unknown): { nn?: string; en?: string } {
  const out: { nn?: string; en?: string } = {};
  for (const ext of arr(obj(element).extension).map(obj)) {
    if (ext.url !== EXTENSION.translation) continue;
    const parts = arr(ext.extension).map(obj);
    const lang = str(parts.find((p) => p.url === "lang")?.valueCode)?.toLowerCase();
    const content = value(parts.find((p) => p.url === "content")?.valueString);
    if (!lang || !content) continue;
    if (lang === "nn" || lang.startsWith("nn-")) out.nn ??= content;
    else if (lang === "en" || lang.startsWith("en-")) out.en ??= content;
  }
  return out;
}

/** A Location → a portal organisation (and hospital): by the portal's ids, else by name. */
function matchLocation(location: Json, organisations: OrganisationRef[]): { organisationId: string; hospitalId: string | null } | null {
  const ids = arr(location.identifier).map(obj);
  const orgId = str(ids.find((i) => i.system === ORGANISATION_ID_SYSTEM)?.value);
  const hospitalId = str(ids.find((i) => i.system === HOSPITAL_ID_SYSTEM)?.value);
  const org = orgId ? organisations.find((o) => o.id === orgId) : undefined;
  if (org) {
    const hospital = hospitalId ? org.hospitals.find((h) => h.id === hospitalId) : undefined;
    if (!hospitalId || hospital) return { organisationId: org.id, hospitalId: hospital?.id ?? null };
  }
  const name = str(location.name);
  return name ? matchOrganisationByName(name, organisations) : null;
}

/** R5 recruitment.targetNumber. */
function r5TargetNumber(resource: Json): number | null {
  for (const e of extensionsByUrl(resource, R5_RECRUITMENT_URL)) {
    const target = arr(e.extension).map(obj).find((p) => p.url === "targetNumber");
    const n = target?.valueUnsignedInt ?? target?.valueInteger ?? target?.valuePositiveInt;
    if (typeof n === "number" && Number.isInteger(n) && n >= 0 && n <= 10_000_000) return n;
  }
  return null;
}

function mapOne(resource: Json, ref: string, ctx: MapContext, resolve: Resolver, today: string): MappedRecord {
  const warnings: string[] = [];
  const id = str(resource.id)!;

  const title = str(resource.title);
  if (!title) throw new MappingError("title", "mangler tittel (ResearchStudy.title)");
  const language = str(resource.language)?.toLowerCase() ?? "";
  if (!/^(nb|nn|no)(-|$)/.test(language)) warnings.push(NO_NORWEGIAN_TEXT);

  const description = value(resource.description);
  let acronym: string | null = null;
  let acronymTranslations: { nn?: string; en?: string } = {};
  for (const label of extensionsByUrl(resource, R5_LABEL_URL)) {
    const parts = arr(label.extension).map(obj);
    const type = parts.find((p) => p.url === "type");
    const typeCodes = codesOf([type?.valueCodeableConcept]).codes;
    const valuePart = parts.find((p) => p.url === "value");
    const v = value(valuePart?.valueString);
    if (v && typeCodes.includes("acronym")) {
      acronym = v;
      acronymTranslations = translationsOf(valuePart?._valueString);
    }
  }

  const identifiers = mapIdentifiers(resource, warnings);
  const { conditions, icd10, snomed } = mapConditions(resource);
  const eligibility = mapEnrollment(resource, resolve, warnings);

  // Inclusion window, refined by status: the study's own, used for every site without one.
  const meta = obj(resource.meta);
  const siteBase = siteState(resource, meta, today, warnings);
  const perSite = siteStudies(resource);

  // Sites: Norwegian Locations matched by the portal's ids or by name, else one site for the sender.
  const sites: NonNullable<StudyInput["sites"]> = [];
  const seen = new Set<string>();
  const unmatched: string[] = [];
  for (const siteRef of arr(resource.site)) {
    const location = resolve(siteRef);
    if (!location || location.resourceType !== "Location") continue;
    const name = str(location.name);
    const country = str(obj(location.address).country)?.toLowerCase();
    if (!name) continue;
    if (country && !["no", "nor", "norway", "norge", "noreg"].includes(country)) continue;
    const match = matchLocation(location, ctx.organisations);
    if (!match) {
      unmatched.push(name);
      continue;
    }
    const key = `${match.organisationId}/${match.hospitalId ?? ""}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const own = perSite.get(str(obj(siteRef).reference) ?? "");
    const state = own ? siteState(own.study, meta, today, warnings, sites.length, `contained[${own.id}].`) : siteBase;
    sites.push({ organisationId: match.organisationId, hospitalId: match.hospitalId, ...state });
  }
  if (unmatched.length > 0) warnings.push(`sted(er) ikke gjenkjent som norsk organisasjon: ${unmatched.join("; ")}`);
  if (sites.length === 0) {
    sites.push({ organisationId: ctx.organisationId, hospitalId: null, ...siteBase });
    warnings.push(`ingen norske steder i kilden: studien har ett sted for avsenderen (${ctx.organisationId}) med rekrutteringsperioden`);
  }

  const sponsorOrg = resolve(resource.sponsor);
  const sponsor = value(sponsorOrg?.name) ?? null;

  const studyType = mapStudyType(resource, warnings);
  const phase = mapPhase(resource, warnings);
  if (!description) warnings.push("ingen beskrivelse (sammendrag): studien er sendt til godkjenning, ikke publisert, til en redaktør har skrevet et norsk sammendrag");

  const study: StudyInput = {
    identifiers,
    localIds: [],
    title: { nb: title, ...translationsOf(resource._title) },
    shortTitle: acronym ? { nb: acronym, ...acronymTranslations } : {},
    summary: description ? { nb: description, ...translationsOf(resource._description) } : {},
    studyType,
    phase,
    conditions,
    icd10,
    snomed,
    eligibility: {
      minAgeYears: eligibility.minAgeYears,
      maxAgeYears: eligibility.maxAgeYears,
      sex: eligibility.sex,
    },
    sponsor,
    leadOrganisationId: ctx.organisationId,
    targetEnrolment: eligibility.targetEnrolment ?? r5TargetNumber(resource),
    sites,
    publicationState: description ? "published" : "submitted",
  };
  return { ref, externalId: id, study, warnings };
}

// ---------------------------------------------------------------------------------------------
// Entry point

export function parseFhirResearchStudy(input: Buffer | string, ctx: MapContext, options: FhirOptions = {}): MapResult {
  const result: Required<MapResult> = { records: [], rejected: [], skipped: [] };
  const reject = (ref: string, externalId: string | null, field: string, message: string): Rejection => {
    const r = { ref, externalId, field, message };
    result.rejected.push(r);
    return r;
  };

  let text: string;
  try {
    if (typeof input === "string") text = input;
    else {
      if (input.length > FHIR_MAX_BYTES) {
        reject("input", null, "input", `filen er større enn ${FHIR_MAX_BYTES} byte`);
        return result;
      }
      text = decodeUtf8Strict(input);
    }
  } catch (error) {
    reject("input", null, "(tegnsett)", error instanceof EncodingError ? error.message : errorText(error));
    return result;
  }
  if (text.length > FHIR_MAX_BYTES) {
    reject("input", null, "input", `filen er større enn ${FHIR_MAX_BYTES} tegn`);
    return result;
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === "") {
    reject("input", null, "input", "tom fil: ingen FHIR-ressurs");
    return result;
  }

  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch (error) {
    reject("input", null, "input", `ugyldig JSON: ${errorText(error)}`);
    return result;
  }
  const top = obj(root);
  const today = options.today ?? osloDate(new Date());

  let studies: { resource: Json; ref: string }[];
  const bundleIndex = new Map<string, Json>();
  let bundleNote: string | null = null;
  if (top.resourceType === "Bundle") {
    const entries = arr(top.entry);
    if (entries.length > FHIR_MAX_ENTRIES) {
      reject("input", null, "entry", `Bundle har ${entries.length} oppføringer; grensen er ${FHIR_MAX_ENTRIES}`);
      return result;
    }
    studies = [];
    const otherTypes = new Map<string, number>();
    entries.forEach((raw, index) => {
      const entry = obj(raw);
      const resource = obj(entry.resource);
      const type = str(resource.resourceType);
      const id = str(resource.id);
      if (type && id) bundleIndex.set(`${type}/${id}`, resource);
      const fullUrl = str(entry.fullUrl);
      if (fullUrl) bundleIndex.set(fullUrl, resource);
      if (type === "ResearchStudy") {
        studies.push({ resource, ref: `entry ${index + 1}${id ? ` (id ${id})` : ""}` });
      } else if (!["Location", "Group", "Organization", "OperationOutcome"].includes(type ?? "")) {
        otherTypes.set(type ?? "(ingen resourceType)", (otherTypes.get(type ?? "(ingen resourceType)") ?? 0) + 1);
        result.skipped.push({ ref: `entry ${index + 1}${id ? ` (id ${id})` : ""}`, externalId: id, reason: `${SKIP_REASONS.notResearchStudy} (${type ?? "ingen resourceType"})` });
      }
    });
    if (otherTypes.size > 0) {
      bundleNote = `Bundle-oppføringer som ikke er ResearchStudy er hoppet over: ${[...otherTypes].map(([t, n]) => `${t} ×${n}`).join(", ")}`;
    }
  } else if (top.resourceType === "ResearchStudy") {
    studies = [{ resource: top, ref: `ResearchStudy${str(top.id) ? ` (id ${str(top.id)})` : ""}` }];
  } else {
    const type = typeof top.resourceType === "string" ? `«${top.resourceType.slice(0, 60)}»` : "mangler";
    reject("input", null, "resourceType", `forventet ResearchStudy eller Bundle, men resourceType er ${type}`);
    return result;
  }

  if (studies.length === 0) {
    reject("input", null, "entry", `Bundle inneholder ingen ResearchStudy${bundleNote ? ` (${bundleNote})` : ""}`);
    return result;
  }

  for (const { resource, ref } of studies) {
    const id = str(resource.id);
    if (!id) {
      reject(ref, null, "id", "ResearchStudy mangler id");
      continue;
    }
    try {
      const record = mapOne(resource, ref, ctx, makeResolver(resource, bundleIndex), today);
      const parsed = studyInputSchema.safeParse(record.study);
      if (!parsed.success) {
        const issues = parsed.error.issues;
        const field = issues[0]?.path.map(String).join(".") || "(hele studien)";
        reject(ref, id, field, issues.map((i) => `${i.path.map(String).join(".") || "(hele studien)"}: ${i.message}`).join("; ").slice(0, 2000));
        continue;
      }
      if (bundleNote && result.records.length === 0) record.warnings.push(bundleNote);
      result.records.push(record);
    } catch (error) {
      if (error instanceof MappingError) reject(ref, id, error.field, error.message);
      else reject(ref, id, "(hele posten)", `uventet feil ved lesing: ${errorText(error)}`);
    }
  }
  return result;
}
