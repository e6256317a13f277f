/**
 * HL7 FHIR R4 ResearchStudy (as published by France's ECLAIRE API, ANS "eclaire" IG) → candidate
 * studies. Pure: no I/O; the clock is only read when neither `options.today` nor `ctx.receivedOn` is given.
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
 *                                        the value's pattern (EU CT before EudraCT). Every other
 *                                        identifier (French ID-RCB "2021-A01563-38", sponsor codes, a
 *                                        second NCT id, a registry id of the wrong format) →
 *                                        otherIdentifiers, scheme = its system, else "ID-RCB (ANSM)"
 *                                        for the ID-RCB pattern, else its type or assigner.
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
 *  sponsor → Organization name (when resolvable) → sponsor and lead (as written + the registered
 *                                        organisation it matches); unresolvable → lead null (unknown)
 *  contact[] (ContactDetail)            → contacts: name (or ECLAIRE's contact-name HumanName), e-mail
 *                                        and phone from telecom, role scientific for ECLAIRE type SCI;
 *                                        kept only with an e-mail or a phone ("INDISPONIBLE" is absent)
 *  HL7 researchStudy-studyRegistration extension, activity registration-posting (what our export
 *                                        writes) → firstPosted {period.start as a date, basis
 *                                        "fhir:researchStudy-studyRegistration", type actual when
 *                                        actual = true, else null}. ECLAIRE sends none: null.
 *  keyword[]                           → keywords; Group "Healthy volunteers" → healthyVolunteers
 *                                        (else null: FHIR R4 has no such field — unknown, not no)
 *  leadOrganisationId                  → ctx.organisationId (the portal owner is the sender; the
 *                                        study's own lead is `lead`)
 *
 * Status: ResearchStudy.status is the source's own status, *declared* (FHIR_STATUSES) on the Oslo
 * date of meta.lastUpdated (else the day of receipt) by the sender (its organisation name, else
 * "FHIR-kilde"). "active" is recruiting unless an ECLAIRE recruitment status says
 * completed-recruiting, an actual R5 progressStatus says temporarily closed, or the recruitment
 * period ended before the declaration date.
 *
 * Dates: YYYY-MM-DD as is; a dateTime → its calendar date in Europe/Oslo; YYYY-MM → first/last
 * day; YYYY → 1 Jan / 31 Dec, warned. A registry record's study-level recruitment period (ECLAIRE
 * extension, else R5 recruitment.actualPeriod) is *expected* (expectedStart/expectedEnd), never a
 * firm inclusion window; ResearchStudy.period (the whole study) is not used for sites.
 * Firm inclusion dates come only from a source that speaks for the site: a site-level ResearchStudy
 * contained in the study (partOf "#", site → one Location — what our FHIR export writes), or a
 * Location carrying the portal's own organisation identifier (then the study's period). Such a
 * window is used as is unless the site's own status contradicts it on the declaration date
 * (approved with its start passed; completed/closed with no end or a later one; withdrawn) — then
 * it is kept as expected dates and the status is declared. temporarily-closed-to-accrual on such a
 * site → paused with reasonStopped (an editor's pause, round-tripped).
 *
 * Sites — only places the resource itself names (PRODUCT.md "Never invent"): site[] references
 * resolved to Locations (contained "#id" or Bundle entries). A Location outside Norway is left out;
 * one in Norway (or without a country) is matched by the portal's identifiers (…/sid/organisation,
 * …/sid/hospital), else by exact name, else by the organisation matcher's institution aliases
 * (never by city or coordinates alone); unmatched → kept as written (name, city, position) with
 * organisationId null. No Norwegian site but Norway among ResearchStudy.location countries → ONE
 * site named NORWAY_UNNAMED_SITE (no count invented) with the declared status and expected dates.
 * Otherwise the study is kept with no sites; the schema has no study-level status, so its declared
 * status and expected period are reported in a warning.
 *
 * Publication: "published" requires a Norwegian summary (schema rule). With a description the
 * record is "published"; without one (ECLAIRE sends "INDISPONIBLE" everywhere) it is "submitted",
 * i.e. waiting for the hospital editor to add a Norwegian summary — warned. A title that reads as
 * an illustrative example or a test ("Exemple d'un essai clinique") is held ("submitted"), warned.
 */
import { daysInMonth, isCalendarDate } from "#app/domain/calendar-date";
import { osloDate, type DeclaredStatusValue } from "#app/domain/inclusion-status";
import {
  IDENTIFIER_PATTERNS,
  studyInputSchema,
  type FirstPosted,
  type Phase,
  type StudyInput,
  type StudyType,
} from "#app/domain/study";
import {
  EXTENSION,
  HOSPITAL_ID_SYSTEM,
  ORGANISATION_ID_SYSTEM,
  REGISTRATION_ACTIVITY_SYSTEM,
  REGISTRATION_POSTING,
} from "#app/fhir/constants";
import { matchOrganisationName } from "#app/ingest/organisation-matcher";
import { EncodingError, decodeUtf8Strict } from "#app/ingest/text-decoding";
import { arr, errorText, obj, str } from "./values";
import {
  SKIP_REASONS,
  type MapContext,
  type MapResult,
  type MappedRecord,
  type OrganisationRef,
  type Rejection,
} from "#app/ingest/types";

export const FHIR_MAX_BYTES = 64 * 1024 * 1024;
export const FHIR_MAX_ENTRIES = 100_000;

export const ECLAIRE_RECRUITMENT_PERIOD_URL =
  "https://interop.esante.gouv.fr/ig/fhir/eclaire/StructureDefinition/eclaire-recruitment-period";
export const R5_RECRUITMENT_URL = "http://hl7.org/fhir/5.0/StructureDefinition/extension-ResearchStudy.recruitment";
export const R5_LABEL_URL = "http://hl7.org/fhir/5.0/StructureDefinition/extension-ResearchStudy.label";

const ICD10_SYSTEMS = new Set([
  "http://hl7.org/fhir/sid/icd-10",
  "urn:oid:2.16.578.1.12.4.1.1.7110",
  "http://hl7.org/fhir/sid/icd-10-no",
]);
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

const NO_NORWEGIAN_TEXT =
  "ingen norsk tekst: teksten er lagret i originalspråket (ofte engelsk eller fransk) og må oversettes";

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

const PLACEHOLDERS = new Set(["indisponible", "non disponible", "n/a", "na", "unknown", "inconnu", "-"]);
/** A string value, with ECLAIRE's "INDISPONIBLE" and similar placeholders treated as absent. */
function value(v: unknown): string | null {
  const s = str(v);
  return s && !PLACEHOLDERS.has(s.toLowerCase()) ? s : null;
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
    if (!isCalendarDate(date) || hh > 23 || mm > 59 || ss > 60)
      throw new MappingError(field, `ugyldig dato/tid "${text}"`);
    const instant = new Date(text);
    if (Number.isNaN(instant.getTime())) throw new MappingError(field, `ugyldig dato/tid "${text}"`);
    const local = osloDate(instant);
    if (!isCalendarDate(local)) throw new MappingError(field, `dato utenfor gyldig område: "${text}"`);
    return local;
  }
  const d = FHIR_DATE.exec(text);
  if (!d)
    throw new MappingError(
      field,
      `ugyldig FHIR-dato "${text.slice(0, 40)}" (forventet ÅÅÅÅ, ÅÅÅÅ-MM, ÅÅÅÅ-MM-DD eller dato med klokkeslett og tidssone)`,
    );
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
    warnings.push(
      `${field}: bare måned oppgitt (${text}); brukte ${edge === "start" ? "første" : "siste"} dag i måneden (${result})`,
    );
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

type OtherIdentifier = { scheme: string; value: string; url: string | null };

const ID_RCB = /^\d{4}-A\d{5}-\d{2}$/;

/** The scheme an identifier outside the five registries is kept under: its system, else who assigned it. */
function schemeOf(identifier: Json, v: string): string {
  const system = str(identifier.system);
  if (system) return system.slice(0, 80);
  const assigner = `${str(obj(identifier.assigner).reference) ?? ""}`.toLowerCase();
  if (ID_RCB.test(v)) return "ID-RCB (ANSM)";
  const type = value(obj(identifier.type).text) ?? value(obj(arr(obj(identifier.type).coding)[0]).display);
  if (type) return type.slice(0, 80);
  if (assigner) return assigner.replace(/^organization\//, "").slice(0, 80);
  return value(obj(identifier.assigner).display)?.slice(0, 80) ?? "identifikator";
}

function mapIdentifiers(
  resource: Json,
  warnings: string[],
): { identifiers: StudyInput["identifiers"]; others: OtherIdentifier[] } {
  const ids: {
    nct: string | null;
    euCt: string | null;
    eudract: string | null;
    isrctn: string | null;
    rek?: string | null;
  } = {
    nct: null,
    euCt: null,
    eudract: null,
    isrctn: null,
  };
  const others: OtherIdentifier[] = [];
  const keep = (identifier: Json, v: string) => {
    const scheme = schemeOf(identifier, v);
    if (!others.some((o) => o.scheme === scheme && o.value === v))
      others.push({ scheme, value: v.slice(0, 200), url: null });
  };
  for (const raw of arr(resource.identifier)) {
    const identifier = obj(raw);
    const original = value(identifier.value);
    const v = original?.toUpperCase();
    if (!v || !original) continue;
    const hint =
      `${str(identifier.system) ?? ""} ${str(obj(identifier.assigner).reference) ?? ""} ${str(obj(identifier.assigner).display) ?? ""}`.toLowerCase();
    let kind: keyof typeof ids | null = null;
    if (hint.includes("clinicaltrials.gov")) kind = "nct";
    else if (hint.includes("euclinicaltrials") || /\bctis\b/.test(hint)) kind = "euCt";
    else if (hint.includes("eudract")) kind = "eudract";
    else if (hint.includes("isrctn")) kind = "isrctn";
    else if (hint.includes("rekportalen")) kind = "rek";
    if (kind && !IDENTIFIER_PATTERNS[kind].test(v)) {
      warnings.push(
        `identifikatoren "${original}" har systemet ${kind}, men feil format; lagret som annen identifikator`,
      );
      keep(identifier, original);
      continue;
    }
    if (!kind) {
      if (IDENTIFIER_PATTERNS.euCt.test(v)) kind = "euCt";
      else if (IDENTIFIER_PATTERNS.nct.test(v)) kind = "nct";
      else if (IDENTIFIER_PATTERNS.eudract.test(v)) kind = "eudract";
      else if (IDENTIFIER_PATTERNS.isrctn.test(v)) kind = "isrctn";
    }
    if (!kind) {
      keep(identifier, original);
      continue;
    }
    const current = ids[kind] ?? null;
    if (current && current !== v) {
      warnings.push(`flere ${kind}-identifikatorer; ${current} er brukt, ${v} er lagret som annen identifikator`);
      keep(identifier, original);
    } else ids[kind] = v;
  }
  return { identifiers: ids, others: others.slice(0, 100) };
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
    if (text && displays === 0 && !LABELS.has(text.replace(/\s+/g, "").toLowerCase()))
      addUnique(conditions, text.slice(0, 300));
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
  if (all.some((t) => /observational|observationnel|non-interventional|non interventionnel/.test(t)))
    return "observational";
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

export const FHIR_FIRST_POSTED_BASIS = "fhir:researchStudy-studyRegistration";

/** The source's first publication: a study-registration extension whose activity is registration-posting. */
function firstPostedOf(resource: Json, warnings: string[]): FirstPosted | null {
  for (const ext of extensionsByUrl(resource, EXTENSION.studyRegistration)) {
    const parts = arr(ext.extension).map(obj);
    const activity = parts.find((p) => p.url === "activity");
    const codings = arr(obj(activity?.valueCodeableConcept).coding).map(obj);
    if (!codings.some((c) => c.system === REGISTRATION_ACTIVITY_SYSTEM && c.code === REGISTRATION_POSTING)) continue;
    const start = str(obj(parts.find((p) => p.url === "period")?.valuePeriod).start);
    if (!start) continue;
    const date = fhirDateToCalendarDate(
      start,
      "start",
      "extension[researchStudy-studyRegistration].period.start",
      warnings,
    );
    const actual = parts.find((p) => p.url === "actual")?.valueBoolean === true;
    return { date, basis: FHIR_FIRST_POSTED_BASIS, type: actual ? "actual" : null };
  }
  return null;
}

function mapEnrollment(
  resource: Json,
  resolve: Resolver,
  warnings: string[],
): {
  sex: "all" | "female" | "male";
  minAgeYears: number | null;
  maxAgeYears: number | null;
  targetEnrolment: number | null;
  healthyVolunteers: boolean | null;
} {
  const out = {
    sex: "all" as "all" | "female" | "male",
    minAgeYears: null as number | null,
    maxAgeYears: null as number | null,
    targetEnrolment: null as number | null,
    healthyVolunteers: null as boolean | null,
  };
  for (const ref of arr(resource.enrollment)) {
    const group = resolve(ref);
    if (!group || group.resourceType !== "Group") continue;
    for (const raw of arr(group.characteristic)) {
      const ch = obj(raw);
      const vcc = obj(ch.valueCodeableConcept);
      const label = `${str(vcc.text) ?? ""} ${str(obj(ch.code).text) ?? ""}`.toLowerCase();
      if (
        /healthy volunteer|friske frivillige|volontaires? sains?/.test(label) &&
        typeof ch.valueBoolean === "boolean"
      ) {
        out.healthyVolunteers = ch.valueBoolean;
        continue;
      }
      const codings = arr(vcc.coding).map(obj);
      if (
        /gender|sex|genre|sexe/.test(label) ||
        codings.some((c) => c.system === "http://hl7.org/fhir/administrative-gender")
      ) {
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
          const factor = unit.startsWith("mo")
            ? 1 / 12
            : unit === "wk" || unit.startsWith("week")
              ? 1 / 52
              : unit === "d" || unit.startsWith("day")
                ? 1 / 365
                : 1;
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
    const actual = arr(r5?.extension)
      .map(obj)
      .find((e) => e.url === "actualPeriod");
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
    start: start
      ? fhirDateToCalendarDate(
          start,
          "start",
          `sites.${siteIndex}.inclusionStart (${sourcePrefix}${source}.start)`,
          warnings,
        )
      : null,
    end: end
      ? fhirDateToCalendarDate(end, "end", `sites.${siteIndex}.inclusionEnd (${sourcePrefix}${source}.end)`, warnings)
      : null,
  };
}

/** FHIR ResearchStudy.status (R4, plus R5 codes) → a declared status. */
export const FHIR_STATUSES: Record<string, DeclaredStatusValue> = {
  active: "recruiting",
  approved: "not_yet_recruiting",
  "in-review": "unknown",
  "temporarily-closed-to-accrual": "suspended",
  "temporarily-closed-to-accrual-and-intervention": "suspended",
  "closed-to-accrual": "active_not_recruiting",
  "closed-to-accrual-and-intervention": "active_not_recruiting",
  completed: "completed",
  // R4: "completed prematurely and will not resume" — what ClinicalTrials.gov calls terminated.
  "administratively-completed": "terminated",
  withdrawn: "withdrawn",
  disapproved: "withdrawn",
  // R5 codes
  "enrolling-by-invitation": "invitation_only",
  "not-yet-recruiting": "not_yet_recruiting",
  recruiting: "recruiting",
  "active-not-recruiting": "active_not_recruiting",
  terminated: "terminated",
  "overall-study": "unknown",
};

/**
 * The declared status of a ResearchStudy (the study, or a contained site-level one). "active"
 * means recruiting unless the source says otherwise: an ECLAIRE recruitment status
 * "completed-recruiting", an actual R5 progressStatus "temporarily closed", or a recruitment
 * period that had ended by the declaration date.
 */
function declaredStatusOf(
  source: Json,
  on: string,
  period: Window,
  warnings: string[],
  where: string,
): DeclaredStatusValue {
  const raw = str(source.status)?.toLowerCase() ?? "";
  let status = FHIR_STATUSES[raw];
  if (!status) {
    warnings.push(`ukjent FHIR-status «${raw || "(mangler)"}»${where}; vises som ukjent`);
    return "unknown";
  }
  if (status === "recruiting" && progressStates(source).includes("enrolling-by-invitation")) return "invitation_only";
  if (status === "recruiting") {
    const eclaire = codesOf(
      extensionsByUrl(source, EXTENSION.eclaireRecruitmentStatus).map((e) => e.valueCodeableConcept),
    ).codes;
    if (eclaire.includes("completed-recruiting")) status = "active_not_recruiting";
    else if (pausedByProgressStatus(source)) status = "suspended";
    else if (period.end && period.end < on) {
      warnings.push(
        `status «active»${where}, men rekrutteringsperioden sluttet ${period.end}: rekrutteringen regnes som avsluttet`,
      );
      status = "active_not_recruiting";
    }
  }
  return status;
}

/** The recruitment period as the source gives it: ECLAIRE's extension, else R5 recruitment.actualPeriod. */
function recruitmentPeriod(
  resource: Json,
  warnings: string[],
  siteIndex: number,
  sourcePrefix: string,
): Window & { source: string | null } {
  const eclaire = extensionsByUrl(resource, ECLAIRE_RECRUITMENT_PERIOD_URL)[0];
  let period: Json | null = null;
  let source: string | null = null;
  if (eclaire && Object.keys(obj(eclaire.valuePeriod)).length > 0) {
    period = obj(eclaire.valuePeriod);
    source = "extension[eclaire-recruitment-period].valuePeriod";
  } else {
    const r5 = extensionsByUrl(resource, R5_RECRUITMENT_URL)[0];
    const actual = arr(r5?.extension)
      .map(obj)
      .find((e) => e.url === "actualPeriod");
    if (actual) {
      period = obj(actual.valuePeriod);
      source = "extension[ResearchStudy.recruitment].actualPeriod";
    }
  }
  if (!period) return { start: null, end: null, source: null };
  const start = str(period.start);
  const end = str(period.end);
  return {
    start: start
      ? fhirDateToCalendarDate(
          start,
          "start",
          `sites.${siteIndex}.expectedStart (${sourcePrefix}${source}.start)`,
          warnings,
        )
      : null,
    end: end
      ? fhirDateToCalendarDate(end, "end", `sites.${siteIndex}.expectedEnd (${sourcePrefix}${source}.end)`, warnings)
      : null,
    source,
  };
}

type SiteFields = Pick<
  NonNullable<StudyInput["sites"]>[number],
  "inclusionStart" | "inclusionEnd" | "expectedStart" | "expectedEnd" | "declared" | "paused" | "pauseReason"
>;

/**
 * A site's window and status from the study's (or a site-level study's) own words.
 *  firm = true: the source speaks for this site (a site-level ResearchStudy, or a Location that
 *    carries the portal's own organisation identifier: a Norwegian system writing our FHIR
 *    shape): its recruitment period is the site's inclusion window, unless the site's own status
 *    contradicts it on the declaration date (approved with a start already passed; completed or
 *    closed to accrual with no end or a later one; withdrawn) — then the period is kept as
 *    expected dates and the status is declared.
 *  firm = false (a registry record's study-level period): the period is expected, never firm,
 *    and the status is declared.
 */
function siteFieldsOf(
  source: Json,
  on: string,
  by: string,
  firm: boolean,
  warnings: string[],
  siteIndex = 0,
  sourcePrefix = "",
): SiteFields {
  const where = sourcePrefix ? ` (${sourcePrefix.replace(/\.$/, "")})` : "";
  const rawStatus = str(source.status)?.toLowerCase() ?? "";
  if (firm) {
    const window = mapWindow(source, warnings, siteIndex, sourcePrefix);
    const contradicted =
      ((rawStatus === "approved" || rawStatus === "in-review") && window.start != null && window.start <= on) ||
      (["completed", "administratively-completed", "closed-to-accrual", "closed-to-accrual-and-intervention"].includes(
        rawStatus,
      ) &&
        (window.end == null || window.end > on)) ||
      rawStatus === "withdrawn" ||
      rawStatus === "disapproved";
    // A site-level study with a status but no period speaks for the site by its status alone.
    const statusOnly =
      window.start == null &&
      window.end == null &&
      rawStatus !== "" &&
      !rawStatus.startsWith("temporarily-closed-to-accrual");
    if (!contradicted && !statusOnly) {
      const paused = rawStatus.startsWith("temporarily-closed-to-accrual") || pausedByProgressStatus(source);
      return {
        inclusionStart: window.start,
        inclusionEnd: window.end,
        expectedStart: null,
        expectedEnd: null,
        declared: null,
        paused,
        pauseReason: paused
          ? (value(obj(source.reasonStopped).text) ?? `Midlertidig stengt for inklusjon (FHIR-status ${rawStatus})`)
          : null,
      };
    }
    if (window.start || window.end) {
      warnings.push(
        `status «${rawStatus}»${where} stemmer ikke med rekrutteringsperioden ${window.start ?? "…"}–${window.end ?? "…"} per ${on}: perioden er lagret som forventet, statusen som erklært`,
      );
    }
    const status = declaredStatusOf(source, on, window, warnings, where);
    return {
      inclusionStart: null,
      inclusionEnd: null,
      expectedStart: window.start,
      expectedEnd: window.end,
      declared: { status, text: rawStatus || "(ingen)", on, by },
      paused: false,
      pauseReason: null,
    };
  }
  const period = recruitmentPeriod(source, warnings, siteIndex, sourcePrefix);
  const expectedStart = period.start;
  let expectedEnd = period.end;
  if (expectedStart && expectedEnd && expectedEnd < expectedStart) {
    warnings.push(
      `rekrutteringsperioden slutter (${expectedEnd}) før den starter (${expectedStart}); forventet slutt er ikke brukt`,
    );
    expectedEnd = null;
  }
  if (!period.source && source.period !== undefined) {
    warnings.push(
      "ResearchStudy.period er hele studiens periode, ikke rekrutteringen: ikke brukt som datoer for stedet",
    );
  }
  const status = declaredStatusOf(source, on, period, warnings, where);
  return {
    inclusionStart: null,
    inclusionEnd: null,
    expectedStart,
    expectedEnd,
    declared: rawStatus ? { status, text: rawStatus, on, by } : null,
    paused: false,
    pauseReason: null,
  };
}

/** The states of the resource's actual R5 progressStatus entries. */
function progressStates(resource: Json): string[] {
  return extensionsByUrl(resource, EXTENSION.r5ProgressStatus).flatMap((e) => {
    const parts = arr(e.extension).map(obj);
    if (parts.find((p) => p.url === "actual")?.valueBoolean === false) return [];
    return codesOf([parts.find((p) => p.url === "state")?.valueCodeableConcept]).codes;
  });
}

/** An R5 progressStatus entry saying recruitment is (actually) halted for now. */
function pausedByProgressStatus(resource: Json): boolean {
  return extensionsByUrl(resource, EXTENSION.r5ProgressStatus).some((e) => {
    const parts = arr(e.extension).map(obj);
    const states = codesOf([parts.find((p) => p.url === "state")?.valueCodeableConcept]).codes;
    return (
      states.some((c) => c.startsWith("temporarily-closed-to-accrual")) &&
      parts.find((p) => p.url === "actual")?.valueBoolean !== false
    );
  });
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
    const sites = arr(c.site)
      .map((r) => str(obj(r).reference))
      .filter((r): r is string => !!r);
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
function matchLocation(
  location: Json,
  organisations: OrganisationRef[],
): { organisationId: string; hospitalId: string | null } | null {
  const ids = arr(location.identifier).map(obj);
  const orgId = str(ids.find((i) => i.system === ORGANISATION_ID_SYSTEM)?.value);
  const hospitalId = str(ids.find((i) => i.system === HOSPITAL_ID_SYSTEM)?.value);
  const org = orgId ? organisations.find((o) => o.id === orgId) : undefined;
  if (org) {
    const hospital = hospitalId ? org.hospitals.find((h) => h.id === hospitalId) : undefined;
    if (!hospitalId || hospital) return { organisationId: org.id, hospitalId: hospital?.id ?? null };
  }
  const name = value(location.name);
  if (!name) return null;
  // Exact names first; then the organisation matcher's institution aliases ("Oslo University
  // Hospital", "Haukeland"). Never by city or coordinates alone: a city is not a hospital.
  return matchOrganisationByName(name, organisations) ?? matchOrganisationName(name, organisations);
}

/** R5 recruitment.targetNumber. */
function r5TargetNumber(resource: Json): number | null {
  for (const e of extensionsByUrl(resource, R5_RECRUITMENT_URL)) {
    const target = arr(e.extension)
      .map(obj)
      .find((p) => p.url === "targetNumber");
    const n = target?.valueUnsignedInt ?? target?.valueInteger ?? target?.valuePositiveInt;
    if (typeof n === "number" && Number.isInteger(n) && n >= 0 && n <= 10_000_000) return n;
  }
  return null;
}

const NORWAY_CODES = new Set(["no", "nor", "norway", "norge", "noreg"]);
/** The one site of a study that lists Norway among its countries without naming a Norwegian site. */
export const NORWAY_UNNAMED_SITE = "Norge (studiesteder ikke navngitt i kilden)";
/** Titles of illustrative examples and tests, held for an editor instead of published. */
const EXAMPLE_TITLE = /^\s*(exemple|example|eksempel|test|testing|dummy)\b/i;

type ContactOut = { name: string; email: string | null; phone: string | null; role: "public" | "scientific" };

/** A HumanName as one string ("Marion GAUTIER"); null when it is only placeholders. */
function humanName(raw: unknown): string | null {
  const name = obj(raw);
  const text = value(name.text);
  if (text) return text;
  const parts = [...arr(name.prefix), ...arr(name.given), name.family].map(value).filter((p): p is string => !!p);
  return parts.length > 0 ? parts.join(" ").replace(/\s+/g, " ") : null;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * ContactDetail[] → contacts: name (ContactDetail.name, else ECLAIRE's contact-name extension),
 * e-mail and phone from telecom, role scientific for ECLAIRE contact type SCI. A contact needs an
 * e-mail or a phone; one with neither (ECLAIRE fills unused contacts with "INDISPONIBLE") is left
 * out, warned when it has a name. A contact with an address but no name is named by its
 * affiliation, else by the address itself — never by a made-up person.
 */
function mapContacts(resource: Json, warnings: string[]): ContactOut[] {
  const out: ContactOut[] = [];
  arr(resource.contact).forEach((raw, index) => {
    const c = obj(raw);
    const exts = arr(c.extension).map(obj);
    const telecom = arr(c.telecom).map(obj);
    let email = value(telecom.find((t) => t.system === "email" && value(t.value))?.value);
    let phone = value(telecom.find((t) => t.system === "phone" && value(t.value))?.value);
    if (email && !EMAIL.test(email)) {
      warnings.push(`contact[${index}]: «${email.slice(0, 80)}» er ikke en e-postadresse; ikke brukt`);
      email = null;
    }
    if (phone && phone.length > 40) {
      warnings.push(`contact[${index}]: telefonnummeret er lengre enn 40 tegn; ikke brukt`);
      phone = null;
    }
    const affiliation = value(
      exts.find((e) => String(e.url ?? "").endsWith("eclaire-contact-affiliation"))?.valueString,
    );
    const name =
      value(c.name) ??
      humanName(exts.find((e) => String(e.url ?? "").endsWith("contact-name"))?.valueHumanName) ??
      affiliation ??
      email ??
      phone;
    if (!email && !phone) {
      if (value(c.name) || humanName(exts.find((e) => String(e.url ?? "").endsWith("contact-name"))?.valueHumanName)) {
        warnings.push(`contact[${index}] (${name}) har verken e-post eller telefon og er ikke tatt med`);
      }
      return;
    }
    const type = codesOf(
      exts.filter((e) => e.url === EXTENSION.eclaireContactType).map((e) => e.valueCodeableConcept),
    ).codes;
    const role = type.includes("sci") ? "scientific" : "public";
    if (!out.some((o) => o.name === name && o.email === email && o.phone === phone))
      out.push({ name: name!.slice(0, 200), email, phone, role });
  });
  return out.slice(0, 50);
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

  const { identifiers, others } = mapIdentifiers(resource, warnings);
  const { conditions, icd10, snomed } = mapConditions(resource);
  const eligibility = mapEnrollment(resource, resolve, warnings);
  const contacts = mapContacts(resource, warnings);
  const keywords = [
    ...new Set(
      arr(resource.keyword).flatMap((k) => {
        const cc = obj(k);
        const texts = [value(cc.text), ...arr(cc.coding).map((c) => value(obj(c).display))].filter(
          (t): t is string => !!t,
        );
        return texts.slice(0, 1);
      }),
    ),
  ]
    .map((k) => k.slice(0, 200))
    .slice(0, 200);

  // Declared: by the sender (the FHIR source as received), on the resource's last update.
  const meta = obj(resource.meta);
  const updated = str(meta.lastUpdated);
  const on = updated ? fhirDateToCalendarDate(updated, "start", "meta.lastUpdated", warnings) : today;
  if (!updated) warnings.push(`meta.lastUpdated mangler: statusen er datert mottaksdagen ${today}`);
  const by = ctx.organisations.find((o) => o.id === ctx.organisationId)?.name ?? "FHIR-kilde";
  const perSite = siteStudies(resource);

  // Sites: only the places the resource itself names.
  const sites: NonNullable<StudyInput["sites"]> = [];
  const seen = new Set<string>();
  let foreign = 0;
  const unresolved: string[] = [];
  for (const siteRef of arr(resource.site)) {
    const location = resolve(siteRef);
    if (!location || location.resourceType !== "Location") {
      unresolved.push(str(obj(siteRef).reference) ?? str(obj(siteRef).display) ?? "?");
      continue;
    }
    const name = value(location.name);
    const address = obj(location.address);
    const country = str(address.country)?.toLowerCase();
    if (country && !NORWAY_CODES.has(country)) {
      foreign++;
      continue;
    }
    const ids = arr(location.identifier).map(obj);
    const portalOrg = str(ids.find((i) => i.system === ORGANISATION_ID_SYSTEM)?.value);
    const match = matchLocation(location, ctx.organisations);
    if (!match && !name) {
      unresolved.push(str(obj(siteRef).reference) ?? "?");
      continue;
    }
    const city = value(address.city);
    const position = obj(location.position);
    const key = match
      ? `${match.organisationId}/${match.hospitalId ?? ""}`
      : `~${name!.toLowerCase()}|${(city ?? "").toLowerCase()}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const own = perSite.get(str(obj(siteRef).reference) ?? "");
    const index = sites.length;
    const fields = own
      ? siteFieldsOf(own.study, on, by, true, warnings, index, `contained[${own.id}].`)
      : siteFieldsOf(resource, on, by, portalOrg != null && match?.organisationId === portalOrg, warnings, index);
    if (!match) {
      warnings.push(
        `stedet «${name}»${city ? ` (${city})` : ""} er ikke en registrert organisasjon: lagret som skrevet, uten organisasjon`,
      );
    }
    const lat = typeof position.latitude === "number" && Math.abs(position.latitude) <= 90 ? position.latitude : null;
    const lon =
      typeof position.longitude === "number" && Math.abs(position.longitude) <= 180 ? position.longitude : null;
    sites.push({
      organisationId: match?.organisationId ?? null,
      hospitalId: match?.hospitalId ?? null,
      name: match ? null : name!.slice(0, 300),
      city: match ? null : (city?.slice(0, 200) ?? null),
      lat: match ? null : lat,
      lon: match ? null : lon,
      ...fields,
      withdrawn: false,
    });
  }
  if (unresolved.length > 0)
    warnings.push(`site-referanse(r) som ikke peker til et sted i filen er ikke tatt med: ${unresolved.join(", ")}`);
  if (foreign > 0) warnings.push(`${foreign} sted(er) utenfor Norge er ikke tatt med`);

  const countries = arr(resource.location).flatMap((l) => codesOf([l]).codes);
  const studyFields = siteFieldsOf(resource, on, by, false, warnings);
  if (sites.length === 0 && countries.some((c) => NORWAY_CODES.has(c))) {
    // Norway among the countries of recruitment, no Norwegian site named: one unnamed site.
    sites.push({
      organisationId: null,
      hospitalId: null,
      name: NORWAY_UNNAMED_SITE,
      city: null,
      unnamedCount: null,
      ...studyFields,
      withdrawn: false,
    });
    warnings.push(
      `Norge er oppgitt som rekrutteringsland, men kilden navngir ingen norske steder: ett sted «${NORWAY_UNNAMED_SITE}»`,
    );
  } else if (sites.length === 0) {
    const declared = studyFields.declared;
    warnings.push(
      `ingen norske steder i kilden: studien er lagret uten studiesteder` +
        (declared
          ? `; kildens status «${declared.text}» (${declared.status}, ${declared.on}) er ikke knyttet til noe sted`
          : "") +
        (studyFields.expectedStart || studyFields.expectedEnd
          ? `; forventet rekrutteringsperiode ${studyFields.expectedStart ?? "…"}–${studyFields.expectedEnd ?? "…"}`
          : ""),
    );
  }

  // Lead: the sponsor as written (when the Organization is in the file) — never the sender.
  const sponsorOrg = resolve(resource.sponsor);
  const sponsor = value(sponsorOrg?.name) ?? null;
  if (!sponsor && resource.sponsor !== undefined) {
    warnings.push(
      `sponsor (${str(obj(resource.sponsor).reference) ?? "uten referanse"}) finnes ikke i filen: ansvarlig er ukjent`,
    );
  }
  const leadMatch = sponsor
    ? (matchOrganisationByName(sponsor, ctx.organisations) ?? matchOrganisationName(sponsor, ctx.organisations))
    : null;

  const studyType = mapStudyType(resource, warnings);
  const phase = mapPhase(resource, warnings);
  const looksLikeExample = EXAMPLE_TITLE.test(title);
  if (looksLikeExample)
    warnings.push(
      `tittelen «${title.slice(0, 80)}» ser ut som et eksempel eller en test: holdt tilbake (ikke publisert) til en redaktør har sett på den`,
    );
  if (!description)
    warnings.push(
      "ingen beskrivelse (sammendrag): studien er sendt til godkjenning, ikke publisert, til en redaktør har skrevet et norsk sammendrag",
    );

  const study: StudyInput = {
    identifiers,
    otherIdentifiers: others,
    localIds: [],
    title: { nb: title, ...translationsOf(resource._title) },
    shortTitle: acronym ? { nb: acronym, ...acronymTranslations } : {},
    summary: description ? { nb: description, ...translationsOf(resource._description) } : {},
    studyType,
    phase,
    firstPosted: firstPostedOf(resource, warnings),
    conditions,
    icd10,
    snomed,
    keywords,
    eligibility: {
      minAgeYears: eligibility.minAgeYears,
      maxAgeYears: eligibility.maxAgeYears,
      sex: eligibility.sex,
      healthyVolunteers: eligibility.healthyVolunteers,
    },
    sponsor,
    lead: sponsor ? { name: sponsor.slice(0, 300), organisationId: leadMatch?.organisationId ?? null } : null,
    leadOrganisationId: ctx.organisationId,
    contacts,
    targetEnrolment: eligibility.targetEnrolment ?? r5TargetNumber(resource),
    sites,
    publicationState: description && !looksLikeExample ? "published" : "submitted",
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
  const today = options.today ?? ctx.receivedOn ?? osloDate(new Date());

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
        result.skipped.push({
          ref: `entry ${index + 1}${id ? ` (id ${id})` : ""}`,
          externalId: id,
          reason: `${SKIP_REASONS.notResearchStudy} (${type ?? "ingen resourceType"})`,
        });
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
        reject(
          ref,
          id,
          field,
          issues
            .map((i) => `${i.path.map(String).join(".") || "(hele studien)"}: ${i.message}`)
            .join("; ")
            .slice(0, 2000),
        );
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
