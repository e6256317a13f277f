/**
 * The clinician list's query string, e.g.
 * /helsepersonell?icd10=C50&status=stenger&alder=54&kjonn=kvinne&sortering=stenger
 * Parsed and validated here (pure). ICD-10 names are resolved to codes by the loader (it needs
 * the code list); here an ICD-10 value is only checked for length.
 */
import { z } from "zod";
import { LANG_PARAM, type Lang } from "../i18n/languages";
import { PHASES, STUDY_TYPES, type Phase, type StudyType } from "../domain/study";
import {
  ageSchema,
  oneOf,
  pageSchema,
  parseField,
  querySchema,
  SEX_PARAMS,
  STATUS_PARAMS,
  toQueryString,
  type ParamProblem,
  type SexParam,
  type StatusParam,
} from "./field-parsers";

export const CLINICIAN_SORTS = ["stenger", "nyeste", "relevans"] as const;
export type ClinicianSort = (typeof CLINICIAN_SORTS)[number];
export const SORT_FOR_ENGINE: Record<ClinicianSort, "closing" | "newest" | "relevance"> = {
  stenger: "closing",
  nyeste: "newest",
  relevans: "relevance",
};
export const DEFAULT_CLINICIAN_STATUS: StatusParam = "apen";

export interface ClinicianSearchParams {
  q: string;
  icd10: string;
  helseforetak: string | null;
  region: string | null;
  fase: Phase | null;
  type: StudyType | null;
  status: StatusParam;
  alder: number | null;
  kjonn: SexParam | null;
  /** null: closing first, or most relevant when there are search words. */
  sortering: ClinicianSort | null;
  side: number;
}

export const CLINICIAN_PATH = "/helsepersonell";

export function parseClinicianSearchParams(
  search: URLSearchParams,
  known: { regions: readonly string[]; organisations: readonly string[] },
): { params: ClinicianSearchParams; problems: ParamProblem[] } {
  const problems: ParamProblem[] = [];
  const params: ClinicianSearchParams = {
    q: parseField(search, "q", querySchema, problems) ?? "",
    icd10: parseField(search, "icd10", z.string().trim().max(300), problems, { key: "search.problem.q" }) ?? "",
    helseforetak: parseField(search, "helseforetak", oneOf(known.organisations.length ? known.organisations : ["-"]), problems),
    region: parseField(search, "region", oneOf(known.regions.length ? known.regions : ["-"]), problems),
    fase: parseField(search, "fase", oneOf(PHASES), problems),
    type: parseField(search, "type", oneOf(STUDY_TYPES), problems),
    status: parseField(search, "status", oneOf(STATUS_PARAMS), problems) ?? DEFAULT_CLINICIAN_STATUS,
    alder: parseField(search, "alder", ageSchema, problems),
    kjonn: parseField(search, "kjonn", oneOf(SEX_PARAMS), problems),
    sortering: parseField(search, "sortering", oneOf(CLINICIAN_SORTS), problems),
    side: parseField(search, "side", pageSchema, problems) ?? 1,
  };
  return { params, problems };
}

/** The sort actually used: closing first unless the doctor typed words and asked for nothing else. */
export function effectiveSort(params: Pick<ClinicianSearchParams, "sortering" | "q" | "icd10">): ClinicianSort {
  return params.sortering ?? (params.q ? "relevans" : "stenger");
}

export function clinicianSearchHref(params: ClinicianSearchParams, lang: Lang): string {
  return (
    CLINICIAN_PATH +
    toQueryString([
      ["q", params.q],
      ["icd10", params.icd10],
      ["helseforetak", params.helseforetak],
      ["region", params.region],
      ["fase", params.fase],
      ["type", params.type],
      ["status", params.status === DEFAULT_CLINICIAN_STATUS ? null : params.status],
      ["alder", params.alder],
      ["kjonn", params.kjonn],
      ["sortering", params.sortering],
      ["side", params.side === 1 ? null : params.side],
      [LANG_PARAM, lang === "nb" ? null : lang],
    ])
  );
}
