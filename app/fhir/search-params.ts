/**
 * FHIR search parameters for ResearchStudy → a validated search, or the problems, each naming the
 * parameter and saying why. Pure (no database: organisation ids are checked by the caller).
 *
 * FHIR rules followed: repeating a parameter means AND, commas inside one value mean OR (`\,`
 * escapes a comma), empty values are ignored, an unsupported modifier is always an error, an
 * unknown parameter is ignored (reported back) unless the client asked for `handling=strict`.
 */
import { TZDate } from "@date-fns/tz";
import { isCalendarDate, PORTAL_TIME_ZONE } from "#app/domain/calendar-date";
import { IDENTIFIER_PATTERNS } from "#app/domain/study";
import type { IdentifierMatch } from "#app/models/fhir.server";
import {
  ICD10_NO_SYSTEM,
  ICD10_WHO_SYSTEM,
  ICPC2_NO_SYSTEM,
  ICPC2_URI_SYSTEM,
  IDENTIFIER_SYSTEM,
  LOCAL_ID_SYSTEM_PREFIX,
  R4_STUDY_STATUS_SYSTEM,
  REGISTRY_KEYS,
  SNOMED_SYSTEM,
  type RegistryKey,
} from "./constants";
import type { Issue } from "./http";
import { isR4ResearchStudyStatus, R4_RESEARCH_STUDY_STATUSES, type R4ResearchStudyStatus } from "./status";

export const DEFAULT_COUNT = 20;
export const MAX_COUNT = 100;
const MAX_VALUE_LENGTH = 1000;
const MAX_TEXT_LENGTH = 200;
const MAX_ALTERNATIVES = 50;
const MAX_PARAMETERS = 100;

/** Parameters that select studies (in the self link, in this order of appearance). */
export const SEARCH_PARAMETERS = [
  "_id",
  "identifier",
  "status",
  "condition",
  "keyword",
  "focus",
  "site",
  "_lastUpdated",
] as const;
/** Parameters about the result or the response. */
export const RESULT_PARAMETERS = ["_count", "_offset", "_summary", "_format", "_pretty"] as const;

export type ConditionMatch =
  | { kind: "icd10"; code: string }
  | { kind: "icpc2"; code: string }
  | { kind: "snomed"; code: string }
  | { kind: "text"; text: string };

export interface DateBound {
  prefix: "eq" | "gt" | "ge" | "lt" | "le";
  /** The value's range [from, to) in epoch ms (its precision: a year, a day, a second …). */
  from: number;
  to: number;
}

export interface FhirSearch {
  /** Each inner array is one occurrence of the parameter (OR); occurrences are ANDed. */
  ids: string[][];
  identifiers: IdentifierMatch[][];
  statuses: R4ResearchStudyStatus[][];
  conditions: ConditionMatch[][];
  keywords: string[][];
  /** Treatment names (ResearchStudy.focus by its text): a study with an intervention whose name contains one. */
  focus: string[][];
  /** Organisation ids. */
  sites: string[][];
  lastUpdated: DateBound[][];
  count: number;
  offset: number;
  summaryCount: boolean;
  /** Unknown parameters that were ignored (lenient handling). */
  ignored: string[];
  /** The selecting parameters as given (name incl. modifier, raw value), for paging links. */
  used: [string, string][];
}

export type ParseResult = { ok: true; search: FhirSearch } | { ok: false; issues: Issue[] };

/** Splits on a separator not escaped with a backslash; unescapes \, \| \$ \\. */
export function splitEscaped(value: string, separator: "," | "|", limit = Infinity): string[] {
  const parts: string[] = [];
  let current = "";
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (c === "\\" && i + 1 < value.length && [",", "|", "$", "\\"].includes(value[i + 1]!)) {
      // Keep the escape for later splits on the other separator; remove it at the end.
      current += c + value[i + 1]!;
      i++;
    } else if (c === separator && parts.length < limit - 1) {
      parts.push(current);
      current = "";
    } else current += c;
  }
  parts.push(current);
  return parts;
}

const unescape = (v: string) => v.replace(/\\([,|$\\])/g, "$1");

/** A token "system|code" (system may be empty), or a bare code (system null). */
export function parseToken(value: string): { system: string | null; code: string } {
  const parts = splitEscaped(value, "|", 2);
  if (parts.length === 1) return { system: null, code: unescape(parts[0]!) };
  return { system: unescape(parts[0]!), code: unescape(parts[1]!) };
}

const normaliseSystem = (s: string) =>
  s
    .trim()
    .toLowerCase()
    .replace(/^http:\/\//, "https://")
    .replace(/^https:\/\/www\./, "https://")
    .replace(/\/+$/, "");

const REGISTRY_BY_SYSTEM = new Map<string, RegistryKey>(
  REGISTRY_KEYS.map((k) => [normaliseSystem(IDENTIFIER_SYSTEM[k]), k]),
);

const REGISTRY_NAME: Record<RegistryKey, string> = {
  nct: "NCT",
  euCt: "EU CT",
  eudract: "EudraCT",
  isrctn: "ISRCTN",
  rek: "REK",
};
const REGISTRY_EXAMPLE: Record<RegistryKey, string> = {
  nct: "NCT01234567",
  euCt: "2023-501234-12-00",
  eudract: "2019-001234-12",
  isrctn: "ISRCTN12345678",
  rek: "2019/1234 eller 123456",
};

const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;
const ORGANISATION_ID = /^[a-z0-9][a-z0-9-]{0,99}$/;
const ICD10_CODE = /^[A-Za-z]\d{2}(?:\.?[0-9A-Za-z]{1,4})?$/;
const ICD10_SYSTEMS = new Set([ICD10_NO_SYSTEM, ICD10_WHO_SYSTEM].map(normaliseSystem));
const ICPC2_SYSTEMS = new Set([ICPC2_NO_SYSTEM, ICPC2_URI_SYSTEM].map(normaliseSystem));

const shown = (v: string) => `«${v.length > 80 ? `${v.slice(0, 80)}…` : v}»`;

// ---------------------------------------------------------------------------------------------
// Dates

const DATE_VALUE =
  /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$/;

/** A FHIR date/dateTime search value → its range [from, to) in epoch ms; Europe/Oslo when no offset is given. */
export function dateRange(value: string): { from: number; to: number } | string {
  const m = DATE_VALUE.exec(value);
  if (!m)
    return `${shown(value)} er ikke en dato (bruk ÅÅÅÅ, ÅÅÅÅ-MM, ÅÅÅÅ-MM-DD eller ÅÅÅÅ-MM-DDTtt:mm[:ss][Z|+hh:mm])`;
  const [, y, mo, d, hh, mi, ss, frac, tz] = m;
  const year = Number(y);
  if (year < 1900 || year > 2200) return `${shown(value)}: årstallet må være mellom 1900 og 2200`;
  const month = mo ? Number(mo) : 1;
  if (month < 1 || month > 12) return `${shown(value)}: måneden finnes ikke`;
  const day = d ? Number(d) : 1;
  const date = `${y}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
  if (!isCalendarDate(date)) return `${shown(value)}: datoen finnes ikke i kalenderen`;
  const hour = hh ? Number(hh) : 0;
  const minute = mi ? Number(mi) : 0;
  const second = ss ? Number(ss) : 0;
  if (hour > 23 || minute > 59 || second > 59) return `${shown(value)}: klokkeslettet finnes ikke`;
  if (tz && tz !== "Z") {
    const [oh, om] = tz.slice(1).split(":").map(Number) as [number, number];
    if (oh > 14 || om > 59) return `${shown(value)}: ugyldig tidssone ${tz}`;
  }
  const ms = frac ? Number(`0.${frac}`) * 1000 : 0;
  let from: number;
  if (tz) {
    const iso = `${date}T${String(hour).padStart(2, "0")}:${String(minute).padStart(2, "0")}:${String(second).padStart(2, "0")}${tz === "Z" ? "Z" : tz}`;
    from = Date.parse(iso) + Math.floor(ms);
  } else {
    from = new TZDate(year, month - 1, day, hour, minute, second, Math.floor(ms), PORTAL_TIME_ZONE).getTime();
  }
  if (!Number.isFinite(from)) return `${shown(value)} er ikke en gyldig dato`;
  // The end of the value's precision.
  let to: number;
  if (frac) to = from + 1;
  else if (ss) to = from + 1000;
  else if (mi) to = from + 60_000;
  else if (d) to = new TZDate(year, month - 1, day + 1, 0, 0, 0, 0, PORTAL_TIME_ZONE).getTime();
  else if (mo) to = new TZDate(year, month, 1, 0, 0, 0, 0, PORTAL_TIME_ZONE).getTime();
  else to = new TZDate(year + 1, 0, 1, 0, 0, 0, 0, PORTAL_TIME_ZONE).getTime();
  return { from, to };
}

export function matchesDate(instant: number, bound: DateBound): boolean {
  switch (bound.prefix) {
    case "eq":
      return instant >= bound.from && instant < bound.to;
    case "gt":
      return instant >= bound.to;
    case "ge":
      return instant >= bound.from;
    case "lt":
      return instant < bound.from;
    case "le":
      return instant < bound.to;
  }
}

// ---------------------------------------------------------------------------------------------

export interface ParseOptions {
  /** Prefer: handling=strict — unknown parameters are errors. */
  strict?: boolean;
}

export function parseSearchParams(entries: Iterable<[string, string]>, options: ParseOptions = {}): ParseResult {
  const issues: Issue[] = [];
  const search: FhirSearch = {
    ids: [],
    identifiers: [],
    statuses: [],
    conditions: [],
    keywords: [],
    focus: [],
    sites: [],
    lastUpdated: [],
    count: DEFAULT_COUNT,
    offset: 0,
    summaryCount: false,
    ignored: [],
    used: [],
  };
  const problem = (param: string, diagnostics: string, code: Issue["code"] = "invalid") =>
    issues.push({ severity: "error", code, diagnostics: `${param}: ${diagnostics}`, expression: [param] });

  const all = [...entries];
  if (all.length > MAX_PARAMETERS) {
    return {
      ok: false,
      issues: [
        {
          severity: "error",
          code: "too-costly",
          diagnostics: `for mange parametere (${all.length}); grensen er ${MAX_PARAMETERS}`,
        },
      ],
    };
  }

  for (const [rawName, rawValue] of all) {
    const [name, modifier, ...more] = rawName.split(":");
    const param = name ?? "";
    if (rawValue.length > MAX_VALUE_LENGTH) {
      problem(rawName, `verdien er ${rawValue.length} tegn lang; grensen er ${MAX_VALUE_LENGTH}`);
      continue;
    }
    const known =
      (SEARCH_PARAMETERS as readonly string[]).includes(param) ||
      (RESULT_PARAMETERS as readonly string[]).includes(param);
    if (!known) {
      if (options.strict)
        problem(
          rawName,
          "ukjent eller ikke støttet søkeparameter for ResearchStudy (se /fhir/metadata)",
          "not-supported",
        );
      else if (!search.ignored.includes(rawName)) search.ignored.push(rawName);
      continue;
    }
    const allowedModifiers: Record<string, string[]> = { condition: ["text"], keyword: ["text"], focus: ["text"] };
    if (more.length > 0 || (modifier !== undefined && !(allowedModifiers[param] ?? []).includes(modifier))) {
      problem(rawName, `modifikatoren «:${[modifier, ...more].join(":")}» støttes ikke for ${param}`, "not-supported");
      continue;
    }
    const value = rawValue.trim();
    if (value === "") continue; // FHIR: empty parameters are ignored

    if ((RESULT_PARAMETERS as readonly string[]).includes(param)) {
      switch (param) {
        case "_count": {
          if (!/^\d{1,9}$/.test(value)) problem(param, `${shown(value)} er ikke et heltall ≥ 0`);
          else search.count = Math.min(MAX_COUNT, Number(value));
          break;
        }
        case "_offset": {
          if (!/^\d{1,9}$/.test(value)) problem(param, `${shown(value)} er ikke et heltall ≥ 0`);
          else search.offset = Number(value);
          break;
        }
        case "_summary": {
          if (value === "count") search.summaryCount = true;
          else if (value !== "false")
            problem(param, `bare _summary=count og _summary=false støttes (fikk ${shown(value)})`, "not-supported");
          break;
        }
        case "_pretty": {
          if (value !== "true" && value !== "false") problem(param, `bruk true eller false (fikk ${shown(value)})`);
          break;
        }
        // _format is negotiated by the route (406/400 before this runs).
      }
      continue;
    }

    const alternatives = splitEscaped(value, ",").map((v) => v.trim());
    if (alternatives.length > MAX_ALTERNATIVES) {
      problem(param, `for mange alternativer (${alternatives.length}); grensen er ${MAX_ALTERNATIVES}`);
      continue;
    }
    const before = issues.length;
    switch (param) {
      case "_id": {
        const ids: string[] = [];
        for (const a of alternatives.map(unescape)) {
          if (!FHIR_ID.test(a))
            problem(param, `${shown(a)} er ikke en gyldig FHIR-id (1–64 tegn: A–Z, a–z, 0–9, - og .)`);
          else ids.push(a);
        }
        if (issues.length === before) search.ids.push(ids);
        break;
      }
      case "identifier": {
        const matches: IdentifierMatch[] = [];
        for (const a of alternatives) {
          const { system, code } = parseToken(a);
          const v = code.trim();
          if (system === null) {
            if (v) matches.push({ kind: "any", value: v });
            continue;
          }
          if (system === "") continue; // "|value": identifiers without a system — ours always have one
          if (system.startsWith(LOCAL_ID_SYSTEM_PREFIX)) {
            const org = system.slice(LOCAL_ID_SYSTEM_PREFIX.length);
            if (!ORGANISATION_ID.test(org)) problem(param, `${shown(system)}: ugyldig organisasjons-id i systemet`);
            else matches.push({ kind: "local", organisationId: org, value: v || null });
            continue;
          }
          const registry = REGISTRY_BY_SYSTEM.get(normaliseSystem(system));
          if (!registry) {
            problem(
              param,
              `ukjent identifikatorsystem ${shown(system)}; støttet: ${REGISTRY_KEYS.map((k) => `${IDENTIFIER_SYSTEM[k]} (${REGISTRY_NAME[k]})`).join(", ")}, ${LOCAL_ID_SYSTEM_PREFIX}<organisasjon>`,
            );
            continue;
          }
          if (!v) {
            matches.push({ kind: "registry", registry, value: null });
            continue;
          }
          const upper = v.toUpperCase();
          if (!IDENTIFIER_PATTERNS[registry].test(upper)) {
            problem(
              param,
              `${shown(v)} er ikke et gyldig ${REGISTRY_NAME[registry]}-nummer (eksempel: ${REGISTRY_EXAMPLE[registry]})`,
            );
            continue;
          }
          matches.push({ kind: "registry", registry, value: upper });
        }
        if (issues.length === before) search.identifiers.push(matches);
        break;
      }
      case "status": {
        const statuses: R4ResearchStudyStatus[] = [];
        let any = false;
        for (const a of alternatives) {
          const { system, code } = parseToken(a);
          if (system && normaliseSystem(system) !== normaliseSystem(R4_STUDY_STATUS_SYSTEM)) {
            problem(param, `ukjent kodesystem ${shown(system)} (bruk ${R4_STUDY_STATUS_SYSTEM} eller bare koden)`);
            continue;
          }
          if (code === "") {
            any = true; // "system|": any status
            continue;
          }
          if (!isR4ResearchStudyStatus(code)) {
            problem(
              param,
              `${shown(code)} er ikke en FHIR R4 ResearchStudy.status-kode (gyldige: ${R4_RESEARCH_STUDY_STATUSES.join(", ")})`,
            );
            continue;
          }
          statuses.push(code);
        }
        if (issues.length === before && !any) search.statuses.push(statuses);
        break;
      }
      case "condition": {
        const matches: ConditionMatch[] = [];
        for (const a of alternatives) {
          if (modifier === "text") {
            const text = unescape(a);
            if (text.length > MAX_TEXT_LENGTH) problem(rawName, `teksten er lengre enn ${MAX_TEXT_LENGTH} tegn`);
            else if (text) matches.push({ kind: "text", text });
            continue;
          }
          const { system, code } = parseToken(a);
          const c = code.trim();
          if (system !== null && normaliseSystem(system) === normaliseSystem(SNOMED_SYSTEM)) {
            if (!/^\d{6,18}$/.test(c)) problem(param, `${shown(c)} er ikke en SNOMED CT-begreps-id (6–18 sifre)`);
            else matches.push({ kind: "snomed", code: c });
            continue;
          }
          if (system !== null && ICPC2_SYSTEMS.has(normaliseSystem(system))) {
            const upper = c.toUpperCase();
            if (!/^[A-Z]\d{2}\d?$/.test(upper)) problem(param, `${shown(c)} er ikke en ICPC-2-kode (eksempel: T90)`);
            else matches.push({ kind: "icpc2", code: upper });
            continue;
          }
          if (system !== null) {
            if (!ICD10_SYSTEMS.has(normaliseSystem(system))) {
              problem(
                param,
                `kodesystemet ${shown(system)} støttes ikke; bruk ICD-10 (${ICD10_NO_SYSTEM} eller ${ICD10_WHO_SYSTEM}), ICPC-2 (${ICPC2_NO_SYSTEM}), SNOMED CT (${SNOMED_SYSTEM}), en kode uten system, eller condition:text`,
              );
              continue;
            }
            if (!ICD10_CODE.test(c)) {
              problem(param, `${shown(c)} er ikke en ICD-10-kode (eksempel: C50, C50.9 eller C509)`);
              continue;
            }
          }
          if (ICD10_CODE.test(c)) matches.push({ kind: "icd10", code: c.replace(/\./g, "").toUpperCase() });
          else if (c.length > MAX_TEXT_LENGTH) problem(param, `teksten er lengre enn ${MAX_TEXT_LENGTH} tegn`);
          else if (c) matches.push({ kind: "text", text: c });
        }
        if (issues.length === before && matches.length) search.conditions.push(matches);
        break;
      }
      case "focus": {
        const names: string[] = [];
        for (const a of alternatives.map(unescape)) {
          if (a.length > MAX_TEXT_LENGTH) problem(rawName, `teksten er lengre enn ${MAX_TEXT_LENGTH} tegn`);
          else if (a.length < 2) problem(rawName, "behandlingsnavnet må ha minst 2 tegn");
          else names.push(a);
        }
        if (issues.length === before && names.length) search.focus.push(names);
        break;
      }
      case "keyword": {
        const words: string[] = [];
        for (const a of alternatives.map(unescape)) {
          if (a.length > MAX_TEXT_LENGTH) problem(rawName, `teksten er lengre enn ${MAX_TEXT_LENGTH} tegn`);
          else if (a) words.push(a);
        }
        if (issues.length === before && words.length) search.keywords.push(words);
        break;
      }
      case "site": {
        const orgs: string[] = [];
        for (const a of alternatives.map(unescape)) {
          const id = a.replace(/^Organization\//, "");
          if (!ORGANISATION_ID.test(id))
            problem(param, `${shown(a)} er ikke en organisasjons-id (små bokstaver, tall og bindestrek, f.eks. ous)`);
          else orgs.push(id);
        }
        if (issues.length === before) search.sites.push(orgs);
        break;
      }
      case "_lastUpdated": {
        const bounds: DateBound[] = [];
        for (let a of alternatives) {
          // A "+" in an offset that was not percent-encoded arrives as a space.
          a = a.replace(/ (\d{2}:\d{2})$/, "+$1");
          const m = /^(eq|ne|gt|lt|ge|le|sa|eb|ap)?(.*)$/.exec(a)!;
          const prefix = m[1] ?? "eq";
          if (!["eq", "gt", "ge", "lt", "le"].includes(prefix)) {
            problem(param, `prefikset «${prefix}» støttes ikke (støttet: eq, gt, ge, lt, le)`, "not-supported");
            continue;
          }
          const range = dateRange(m[2]!);
          if (typeof range === "string") problem(param, range);
          else bounds.push({ prefix: prefix as DateBound["prefix"], ...range });
        }
        if (issues.length === before) search.lastUpdated.push(bounds);
        break;
      }
    }
    if (issues.length === before) search.used.push([rawName, rawValue]);
  }
  return issues.length ? { ok: false, issues } : { ok: true, search };
}
