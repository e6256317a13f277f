/**
 * Study lists shaped for the public pages: status derived from the sites at the moment of the
 * request (never stored), in words. Shared by the audience routes.
 */
import type { Db } from "../db.server";
import { siteStatus, type StudyStatus } from "../domain/inclusion-status";
import { siteStatusText, studyStatusText } from "../domain/status-text";
import { listStudies, type StudySummary } from "./study.server";

export interface StudyListItem {
  id: number;
  title: string;
  shortTitle: string | null;
  summary: string;
  studyType: StudySummary["studyType"];
  phase: StudySummary["phase"];
  isDemo: boolean;
  leadOrganisation: string;
  region: string;
  categories: string[];
  icd10: string[];
  status: StudyStatus;
  statusText: string;
  /** Sites that include now, with their own windows in words. */
  openSites: { name: string; statusText: string }[];
  siteNames: string[];
  /** Latest inclusion end among open sites (calendar date), for "closing soon" sorting. */
  openUntil: string | null;
  updatedAt: string;
}

export function studyListItems(db: Db, now: Date): StudyListItem[] {
  return listStudies(db, { states: ["published"] }).map((s) => {
    const active = s.sites.filter((site) => !site.withdrawn);
    const { status, text } = studyStatusText(active, now);
    const open = active.filter((site) => siteStatus(site, now) === "open");
    const ends = open.map((site) => site.inclusionEnd);
    return {
      id: s.id,
      title: s.title,
      shortTitle: s.shortTitle,
      summary: s.summary,
      studyType: s.studyType,
      phase: s.phase,
      isDemo: s.isDemo,
      leadOrganisation: s.leadOrganisation.name,
      region: s.leadOrganisation.regionName,
      categories: s.categories,
      icd10: s.icd10,
      status,
      statusText: text,
      openSites: open.map((site) => ({ name: site.hospitalName ?? site.organisationName, statusText: siteStatusText(site, now) })),
      siteNames: [...new Set(active.map((site) => site.hospitalName ?? site.organisationName))],
      openUntil: ends.length === 0 || ends.includes(null) ? null : ends.sort().at(-1)!,
      updatedAt: s.updatedAt,
    };
  });
}
