/**
 * Our derived inclusion status (app/domain/inclusion-status.ts, computed at request time) in
 * FHIR's words. Pure.
 *
 * | portal       | R4 ResearchStudy.status          | R5 progressStatus.state        | ECLAIRE recruitment status |
 * |--------------|----------------------------------|--------------------------------|----------------------------|
 * | planned      | approved                         | not-yet-recruiting             | –                          |
 * | open         | active                           | recruiting                     | recruiting                 |
 * | paused       | temporarily-closed-to-accrual    | temporarily-closed-to-accrual  | –                          |
 * | closed       | closed-to-accrual                | closed-to-accrual              | completed-recruiting       |
 * | no_sites     | approved (nothing scheduled)     | –                              | –                          |
 *
 * "closed" is closed-to-accrual, not completed: the portal knows that inclusion has ended, not
 * that follow-up has.
 */
import type { SiteStatus, StudyStatus } from "#app/domain/inclusion-status";

/** Every R4 ResearchStudy.status code (http://hl7.org/fhir/research-study-status, FHIR 4.0.1). */
export const R4_RESEARCH_STUDY_STATUSES = [
  "active",
  "administratively-completed",
  "approved",
  "closed-to-accrual",
  "closed-to-accrual-and-intervention",
  "completed",
  "disapproved",
  "in-review",
  "temporarily-closed-to-accrual",
  "temporarily-closed-to-accrual-and-intervention",
  "withdrawn",
] as const;
export type R4ResearchStudyStatus = (typeof R4_RESEARCH_STUDY_STATUSES)[number];

export function isR4ResearchStudyStatus(code: string): code is R4ResearchStudyStatus {
  return (R4_RESEARCH_STUDY_STATUSES as readonly string[]).includes(code);
}

const SITE_TO_R4: Record<SiteStatus, R4ResearchStudyStatus> = {
  planned: "approved",
  open: "active",
  paused: "temporarily-closed-to-accrual",
  // R4 has no "by invitation" or "unknown": the nearest honest codes (the narrative and the R5
  // progressStatus extension carry the exact status and its basis).
  invitation: "active",
  unknown: "in-review",
  closed: "closed-to-accrual",
};

export function r4StatusOfSite(status: SiteStatus): R4ResearchStudyStatus {
  return SITE_TO_R4[status];
}

export function r4StatusOfStudy(status: StudyStatus): R4ResearchStudyStatus {
  return status === "no_sites" ? "approved" : SITE_TO_R4[status];
}

/** The R5 progress state a site is in now. */
export function r5StateOfSite(status: SiteStatus): string {
  switch (status) {
    case "planned":
      return "not-yet-recruiting";
    case "open":
      return "recruiting";
    case "paused":
      return "temporarily-closed-to-accrual";
    case "invitation":
      return "enrolling-by-invitation";
    case "unknown":
      return "in-review";
    case "closed":
      return "closed-to-accrual";
  }
}

/** ECLAIRE's recruitment status code (its code system has only these two), or null. */
export function eclaireRecruitmentStatus(status: StudyStatus): { code: string; display: string } | null {
  if (status === "open") return { code: "recruiting", display: "Actif / active" };
  if (status === "closed") return { code: "completed-recruiting", display: "Terminé / completed" };
  return null;
}
