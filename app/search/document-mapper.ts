/**
 * Study → search documents (one per active site). Pure: the same study always gives the same
 * documents, so a rebuild from the database reproduces the index exactly.
 */
import { confirmationOverdueFrom, searchWindow, startOfOsloDay } from "#app/domain/inclusion-status";
import { windowStatus } from "#app/domain/window-status";
import { siteDisplayName } from "#app/domain/site-name";
import type { StudyRecord } from "#app/models/study.server";
import type { SearchDocument } from "./types";

/**
 * Only published studies are searchable; everything else is removed from the index. A published
 * study always has a type (studyInputSchema; migration 0022's CHECK): only a draft may be without.
 */
export function isSearchable(study: Pick<StudyRecord, "publicationState" | "studyType">): boolean {
  return study.publicationState === "published" && study.studyType != null;
}

/** studyConfirmedUntil of a study none of whose sites can become overdue (a number: Meilisearch sorts nulls last). */
export const NEVER_OVERDUE = Number.MAX_SAFE_INTEGER;

/** The instant from which all these sites are past the soft confirmation limit (see SearchDocument). */
export function confirmedUntil(sites: readonly { confirmedOn?: string | null }[]): number {
  if (sites.length === 0) return NEVER_OVERDUE;
  let until = -Infinity;
  for (const s of sites) {
    if (s.confirmedOn == null) return NEVER_OVERDUE;
    until = Math.max(until, startOfOsloDay(confirmationOverdueFrom(s.confirmedOn)).getTime());
  }
  return until;
}

export function studyDocuments(study: StudyRecord): SearchDocument[] {
  // Only a draft may be without a type, and a draft is never searchable (isSearchable).
  const studyType = study.studyType;
  if (studyType == null) return [];
  const sites = study.sites.filter((s) => !s.withdrawn);
  const base = {
    studyId: study.id,
    title: study.title.nb,
    titleEn: study.title.en ?? null,
    shortTitle: study.shortTitle.nb ?? null,
    summary: study.summary.nb ?? null,
    conditions: study.conditions,
    icd10: study.icd10,
    icd10Names: study.icd10.map((c) => study.icd10Names[c]).filter((n): n is string => !!n),
    interventions: study.interventions.map((i) => i.name),
    categories: study.categories,
    categoryNames: study.categories.map((c) => study.categoryNames[c] ?? c),
    studyType,
    phase: study.phase,
    sex: study.eligibility.sex,
    minAgeYears: study.eligibility.minAgeYears,
    maxAgeYears: study.eligibility.maxAgeYears,
    // A study that does not say whether it takes healthy volunteers is not one that does.
    healthyVolunteers: study.eligibility.healthyVolunteers === true,
    leadOrganisationId: study.leadOrganisation.id,
    leadOrganisationName: study.leadOrganisation.name,
    updatedAt: Date.parse(study.updatedAt),
    isDemo: study.isDemo,
    studyConfirmedUntil: confirmedUntil(sites),
  };
  if (sites.length === 0) {
    return [
      {
        ...base,
        id: `${study.id}-0`,
        siteId: null,
        organisationId: null,
        organisationName: null,
        regionId: null,
        hospitalId: null,
        hospitalName: null,
        opensAt: null,
        closesAt: null,
        paused: false,
        lat: null,
        lon: null,
      },
    ];
  }
  return sites.map((s) => ({
    ...base,
    id: `${study.id}-${s.id}`,
    siteId: s.id,
    organisationId: s.organisationId,
    // A place that is no registered organisation is searchable by its own name.
    organisationName: s.organisationName ?? siteDisplayName(s),
    regionId: s.regionId,
    hospitalId: s.hospitalId,
    hospitalName: s.hospitalName ?? s.municipality,
    // The one status rule (app/domain/inclusion-status.ts) as the instants the engines filter on.
    ...searchWindow(s),
    lat: s.lat,
    lon: s.lon,
  }));
}

/**
 * The engine's status bucket of one document at an instant: the domain's windowStatus
 * (app/domain/window-status.ts) on the instants from searchWindow, so "open" and "planned" are
 * exactly the domain's; "closed" also holds unknown, and "paused" also holds by-invitation (ADR 0012).
 */
export function documentStatus(
  doc: Pick<SearchDocument, "opensAt" | "closesAt" | "paused" | "siteId">,
  now: number,
): "open" | "planned" | "closed" | "paused" | "no_sites" {
  return windowStatus(doc, now);
}
