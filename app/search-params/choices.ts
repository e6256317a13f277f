/**
 * The search forms' fixed choices and link helpers, without any parser: safe for the browser.
 * The zod parsers (field-parsers.ts, patient-/clinician-search-params.ts) run only in loaders and
 * re-export these; a route component imports from here so zod stays out of public bundles
 * (issue 24, docs/benchmarks.md "Issue 24: bytes per page").
 */

export const MAX_QUERY_LENGTH = 200;

export const SEX_PARAMS = ["kvinne", "mann"] as const;
export type SexParam = (typeof SEX_PARAMS)[number];
export const SEX_FOR_ENGINE: Record<SexParam, "female" | "male"> = { kvinne: "female", mann: "male" };

/** Which studies to show, by inclusion status right now. */
export const STATUS_PARAMS = ["apen", "apen-planlagt", "stenger", "alle"] as const;
export type StatusParam = (typeof STATUS_PARAMS)[number];

/** Patients choose among these; "stenger" (closing soon) is a clinician's filter. */
export const PATIENT_STATUSES = ["apen", "apen-planlagt", "alle"] as const satisfies readonly StatusParam[];
export type PatientStatus = (typeof PATIENT_STATUSES)[number];
export const DEFAULT_PATIENT_STATUS: PatientStatus = "apen";

export const CLINICIAN_SORTS = ["stenger", "nyeste", "relevans"] as const;
/** The patient's choice of order (ADR 0024): without it, best match first (with a postcode: the good matches nearest first). */
export const PATIENT_SORTS = ["naermest"] as const;
export type PatientSort = (typeof PATIENT_SORTS)[number];
export type ClinicianSort = (typeof CLINICIAN_SORTS)[number];
export const SORT_FOR_ENGINE: Record<ClinicianSort, "closing" | "newest" | "relevance"> = {
  stenger: "closing",
  nyeste: "newest",
  relevans: "relevance",
};
export const DEFAULT_CLINICIAN_STATUS: StatusParam = "apen";

/** A query string from the values that differ from their defaults (stable order: bookmarkable). */
export function toQueryString(entries: [string, string | number | null | undefined][]): string {
  const params = new URLSearchParams();
  for (const [name, value] of entries) if (value != null && value !== "") params.set(name, String(value));
  const s = params.toString();
  return s ? `?${s}` : "";
}
