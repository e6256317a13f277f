/**
 * The clinician list's query string, e.g.
 * /helsepersonell?icd10=C50&status=stenger&alder=54&kjonn=kvinne&sortering=stenger
 * Parsed and validated here (pure). ICD-10 names are resolved to codes by the loader (it needs
 * the code list); here an ICD-10 value is only checked for length.
 */
import { z } from "zod";
import { PHASES, STUDY_TYPES } from "#app/domain/study";
import { ageSchema, oneOf, pageSchema, parseField, querySchema, type ParamProblem } from "./field-parsers";
import { CLINICIAN_SORTS, DEFAULT_CLINICIAN_STATUS, SEX_PARAMS, STATUS_PARAMS } from "./choices";
import type { ClinicianSearchParams } from "./clinician-links";

export { CLINICIAN_SORTS, DEFAULT_CLINICIAN_STATUS, SORT_FOR_ENGINE, type ClinicianSort } from "./choices";
export { CLINICIAN_PATH, clinicianSearchHref, effectiveSort, type ClinicianSearchParams } from "./clinician-links";

export function parseClinicianSearchParams(
  search: URLSearchParams,
  known: { regions: readonly string[]; organisations: readonly string[] },
): { params: ClinicianSearchParams; problems: ParamProblem[] } {
  const problems: ParamProblem[] = [];
  const params: ClinicianSearchParams = {
    q: parseField(search, "q", querySchema, problems) ?? "",
    icd10: parseField(search, "icd10", z.string().trim().max(300), problems, { key: "search.problem.q" }) ?? "",
    helseforetak: parseField(
      search,
      "helseforetak",
      oneOf(known.organisations.length ? known.organisations : ["-"]),
      problems,
    ),
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
