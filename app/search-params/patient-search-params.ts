/**
 * The patient search page's query string, e.g.
 * /pasient?q=brystkreft&postnummer=7030&alder=54&kjonn=kvinne&region=helse-midt-norge&status=apen&sortering=naermest
 * Parsed and validated here (pure), turned back into links for "widen the search" and paging.
 */
import { LANG_PARAM, type Lang } from "#app/i18n/languages";
import {
  ageSchema,
  oneOf,
  pageSchema,
  parseField,
  postcodeSchema,
  querySchema,
  type ParamProblem,
} from "./field-parsers";
import {
  DEFAULT_PATIENT_STATUS,
  PATIENT_SORTS,
  PATIENT_STATUSES,
  SEX_PARAMS,
  toQueryString,
  type PatientSort,
  type PatientStatus,
  type SexParam,
} from "./choices";

export { DEFAULT_PATIENT_STATUS, PATIENT_STATUSES, type PatientStatus } from "./choices";

export interface PatientSearchParams {
  q: string;
  postnummer: string | null;
  alder: number | null;
  kjonn: SexParam | null;
  region: string | null;
  status: PatientStatus;
  /** "naermest": nearest first, whatever the words (needs a postcode). */
  sortering: PatientSort | null;
  side: number;
}

export const PATIENT_PATH = "/pasient";

export function parsePatientSearchParams(
  search: URLSearchParams,
  knownRegions: readonly string[],
): { params: PatientSearchParams; problems: ParamProblem[] } {
  const problems: ParamProblem[] = [];
  const region = parseField(search, "region", oneOf(knownRegions.length ? knownRegions : ["-"]), problems);
  const params: PatientSearchParams = {
    q: parseField(search, "q", querySchema, problems) ?? "",
    postnummer: parseField(search, "postnummer", postcodeSchema, problems),
    alder: parseField(search, "alder", ageSchema, problems),
    kjonn: parseField(search, "kjonn", oneOf(SEX_PARAMS), problems),
    region,
    status: parseField(search, "status", oneOf(PATIENT_STATUSES), problems) ?? DEFAULT_PATIENT_STATUS,
    sortering: parseField(search, "sortering", oneOf(PATIENT_SORTS), problems),
    side: parseField(search, "side", pageSchema, problems) ?? 1,
  };
  return { params, problems };
}

/** The page's address for these parameters; defaults are left out so links stay short. */
export function patientSearchHref(params: PatientSearchParams, lang: Lang): string {
  return (
    PATIENT_PATH +
    toQueryString([
      ["q", params.q],
      ["postnummer", params.postnummer],
      ["alder", params.alder],
      ["kjonn", params.kjonn],
      ["region", params.region],
      ["status", params.status === DEFAULT_PATIENT_STATUS ? null : params.status],
      ["sortering", params.sortering],
      ["side", params.side === 1 ? null : params.side],
      [LANG_PARAM, lang === "nb" ? null : lang],
    ])
  );
}
