/**
 * Stored records → API representations (pure). Status is derived here, at request time, with the
 * domain's inclusion-status rules and the request's one `now`; it is never stored.
 */
import type { SearchHit } from "#app/search/types";
import { nextStatusChange, siteState, statusTransitions, studyStatus } from "#app/domain/inclusion-status";
import type { PublicationState, Study } from "#app/domain/study";
import { publicLinks } from "#app/domain/junk-check";
import { diffStudies, summariseChanges, type ChangeEntry } from "#app/domain/study-snapshot";
import type { Hospital, Organisation } from "#app/models/reference.server";
import type { SiteRecord, StudyRecord } from "#app/models/study.server";
import type { VersionRow } from "#app/models/open-api.server";
import type { ChangeKind, OrganisationOut, SiteOut, StudyOut, StudySummaryOut, StudyVersionOut } from "./schemas";

export interface Urls {
  /** The public base URL without a trailing slash (BASE_URL). */
  base: string;
}

export const studyWebUrl = (u: Urls, id: number) => `${u.base}/studier/${id}`;
export const studyApiUrl = (u: Urls, id: number) => `${u.base}/api/v1/studies/${id}`;
export const studyVersionsUrl = (u: Urls, id: number) => `${u.base}/api/v1/studies/${id}/versions`;

/** Sites the public sees: withdrawn sites (gone from their hospital's feed) are kept but not shown. */
export const activeSites = (record: Pick<StudyRecord, "sites">): SiteRecord[] =>
  record.sites.filter((s) => !s.withdrawn);

export function siteOut(site: SiteRecord, now: Date): SiteOut {
  const state = siteState(site, now);
  return {
    id: site.id,
    organisation: site.organisationId
      ? { id: site.organisationId, name: site.organisationName ?? site.organisationId }
      : null,
    region: site.regionId ? { id: site.regionId, name: site.regionName ?? site.regionId } : null,
    registered: site.organisationId != null,
    name: site.name,
    city: site.city,
    unnamedCount: site.unnamedCount,
    hospital: site.hospitalId
      ? {
          id: site.hospitalId,
          name: site.hospitalName ?? site.hospitalId,
          municipality: site.municipality,
          lat: site.lat,
          lon: site.lon,
        }
      : null,
    inclusionStart: site.inclusionStart,
    inclusionEnd: site.inclusionEnd,
    expectedStart: site.expectedStart,
    expectedEnd: site.expectedEnd,
    status: state.status,
    statusBasis: state.basis,
    statusStale: state.stale,
    declaredStatus: site.declared,
    confirmedOn: site.confirmation?.on ?? null,
    confirmedAt: site.confirmation?.at ?? null,
    confirmationBasis: site.confirmation?.byKind ?? null,
    confirmationState: state.confirmation,
    paused: site.paused,
    pauseReason: site.pauseReason,
    contact: site.contact,
    moreContacts: site.moreContacts,
    referral: site.referral,
  };
}

const texts = <T extends Record<string, string | null | undefined>>(
  t: T,
): { nb?: string; nn?: string; en?: string } => {
  const out: { nb?: string; nn?: string; en?: string } = {};
  for (const lang of ["nb", "nn", "en"] as const) {
    const v = t[lang];
    if (typeof v === "string" && v.length > 0) out[lang] = v;
  }
  return out;
};

/**
 * The open API shows published studies only, and a published study always has a type (the
 * domain's studyInputSchema and migration 0022's CHECK): only a draft may be without (ADR 0028).
 */
function publishedStudyType(record: StudyRecord): NonNullable<StudyRecord["studyType"]> {
  if (record.studyType == null) {
    throw new Error(`study ${record.id} has no type of study: only a draft may be without, and drafts are not public`);
  }
  return record.studyType;
}

function core(record: StudyRecord, now: Date, u: Urls) {
  const sites = activeSites(record);
  const next = nextStatusChange(sites, now);
  return {
    id: record.id,
    version: record.currentVersion,
    isDemo: record.isDemo,
    identifiers: { ...record.identifiers },
    title: { ...texts(record.title), nb: record.title.nb },
    shortTitle: texts(record.shortTitle),
    summary: texts(record.summary),
    studyType: publishedStudyType(record),
    phase: record.phase,
    categories: record.categories.map((id) => ({ id, name: record.categoryNames[id] ?? null })),
    conditions: [...record.conditions],
    icd10: record.icd10.map((code) => ({ code, name: record.icd10Names[code] ?? null })),
    leadOrganisation: {
      id: record.leadOrganisation.id,
      name: record.leadOrganisation.name,
      shortName: record.leadOrganisation.shortName,
      region: { id: record.leadOrganisation.regionId, name: record.leadOrganisation.regionName },
    },
    lead: record.lead,
    status: studyStatus(sites, now),
    statusChangesAt: next ? next.toISOString() : null,
    sites: sites.map((s) => siteOut(s, now)),
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    publishedAt: record.publishedAt,
    firstPosted: record.firstPosted,
    webUrl: studyWebUrl(u, record.id),
    apiUrl: studyApiUrl(u, record.id),
  };
}

export function studyOut(record: StudyRecord, now: Date, u: Urls): StudyOut {
  const e = record.eligibility;
  return {
    ...core(record, now, u),
    localIds: record.localIds.map((l) => ({ organisationId: l.organisationId, localId: l.localId })),
    scientificSummary: texts(record.scientificSummary),
    participation: texts(record.participation),
    snomed: [...record.snomed],
    interventions: record.interventions.map((i) => ({
      type: i.type,
      name: i.name,
      description: i.description ?? null,
    })),
    eligibility: {
      minAgeYears: e.minAgeYears,
      maxAgeYears: e.maxAgeYears,
      sex: e.sex,
      healthyVolunteers: e.healthyVolunteers,
      ageGroups: [...e.ageGroups],
      inclusionCriteria: texts(e.inclusionCriteria),
      exclusionCriteria: texts(e.exclusionCriteria),
    },
    sponsor: record.sponsor,
    officialTitle: record.officialTitle,
    keywords: [...record.keywords],
    otherIdentifiers: record.otherIdentifiers.map((x) => ({ scheme: x.scheme, value: x.value, url: x.url })),
    principalInvestigator: record.principalInvestigator
      ? {
          name: record.principalInvestigator.name,
          title: record.principalInvestigator.title ?? null,
          organisationId: record.principalInvestigator.organisationId ?? null,
        }
      : null,
    contacts: record.contacts.map((c) => ({
      role: c.role,
      name: c.name,
      email: c.email ?? null,
      phone: c.phone ?? null,
    })),
    // Links the public cannot open (intranet hosts) stay stored for editors, not published.
    links: publicLinks(record.links).map((l) => ({ url: l.url, label: l.label })),
    targetEnrolment: record.targetEnrolment,
    versionsUrl: studyVersionsUrl(u, record.id),
  };
}

export function studySummaryOut(
  record: StudyRecord,
  hit: Pick<SearchHit, "siteId" | "distanceKm" | "highlightedTitle"> | null,
  now: Date,
  u: Urls,
): StudySummaryOut {
  const e = record.eligibility;
  return {
    ...core(record, now, u),
    eligibility: {
      minAgeYears: e.minAgeYears,
      maxAgeYears: e.maxAgeYears,
      sex: e.sex,
      healthyVolunteers: e.healthyVolunteers,
    },
    match: {
      siteId: hit?.siteId ?? null,
      distanceKm: hit?.distanceKm ?? null,
      highlightedTitle: hit?.highlightedTitle ?? null,
    },
  };
}

/**
 * The latest instant at or before `now` when the study's representation changed: its last saved
 * change, or the start of the day (Europe/Oslo) when a site's window last opened or closed.
 */
export function studyLastModified(record: Pick<StudyRecord, "updatedAt" | "sites">, now: Date): Date {
  let latest = Date.parse(record.updatedAt);
  for (const site of activeSites(record)) {
    for (const t of statusTransitions(site)) {
      const ms = t.getTime();
      if (ms <= now.getTime() && ms > latest) latest = ms;
    }
  }
  return new Date(latest);
}

/* ------------------------------------------------------------------ versions and changes */

/** What a version means for the public, from its publication state and the one before it. */
export function changeKind(state: PublicationState, previous: PublicationState | null): ChangeKind | null {
  if (state === "published") return previous === "published" ? "changed" : "published";
  if (previous !== "published") return null; // not visible before or after: not a public change
  return state === "withdrawn" ? "withdrawn" : "unpublished";
}

/**
 * The public history: versions that are published, plus the version that ended a publication.
 * Drafts and edits while unpublished are left out, and each diff is taken against the previous
 * public version, so nothing that was never public shows (not even as a "from" value). A version
 * that ends a publication shows only that change of state. People who edited are not named.
 */
export function publicVersions(rows: readonly VersionRow[]): StudyVersionOut[] {
  const out: StudyVersionOut[] = [];
  let lastPublic: Study | null = null;
  for (const row of rows) {
    const kind = changeKind(row.state, row.previousState);
    if (!kind) continue;
    const ends = kind === "withdrawn" || kind === "unpublished";
    // Published again after a pause: what differs from what the public saw last time.
    const changes: ChangeEntry[] = ends
      ? [{ path: "publicationState", kind: "changed", from: "published", to: row.state }]
      : lastPublic
        ? diffStudies(lastPublic, row.snapshot)
        : [];
    if (!ends) lastPublic = row.snapshot;
    let summary: string;
    if (kind === "withdrawn") summary = "Trukket tilbake";
    else if (kind === "unpublished") summary = "Avpublisert";
    else if (kind === "published")
      summary = changes.length ? `Publisert igjen. ${summariseChanges(changes)}` : "Publisert";
    else summary = summariseChanges(changes);
    out.push({
      version: row.version,
      at: row.createdAt,
      kind,
      actor: { kind: row.actorKind, name: row.actorKind === "user" ? null : row.actorName },
      source: row.sourceId ? { id: row.sourceId, kind: row.sourceKind } : null,
      summary,
      changes,
    });
  }
  return out;
}

/* ------------------------------------------------------------------ organisations */

export function organisationOut(
  org: Organisation,
  hospitals: readonly Hospital[],
  regionShortName: string,
): OrganisationOut {
  return {
    id: org.id,
    name: org.name,
    shortName: org.shortName,
    kind: org.kind,
    orgnr: org.orgnr,
    website: org.website,
    region: { id: org.regionId, name: org.regionName, shortName: regionShortName },
    hospitals: hospitals.map((h) => ({
      id: h.id,
      name: h.name,
      municipality: h.municipality,
      municipalityNumber: h.municipalityNumber,
      lat: h.lat,
      lon: h.lon,
    })),
  };
}
