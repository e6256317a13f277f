/**
 * The clinician list's parameters as a type and as links, without any parser: safe for the
 * browser (the zod parser is clinician-search-params.ts, run only in the loader; issue 24).
 */
import { LANG_PARAM, type Lang } from "#app/i18n/languages";
import type { Phase, StudyType } from "#app/domain/study";
import {
  DEFAULT_CLINICIAN_STATUS,
  toQueryString,
  type ClinicianSort,
  type SexParam,
  type StatusParam,
} from "./choices";

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
