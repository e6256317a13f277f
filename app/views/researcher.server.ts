/** What the researcher and editor pages show of a study, built from the stored records. */
import { osloDate, siteStatus, studyStatus, type StudyStatus } from "../domain/inclusion-status";
import { STATUS_LABEL } from "../domain/status-text";
import { missingForPublishing, readinessWarnings } from "../domain/study-readiness";
import { siteKey } from "../domain/study-snapshot";
import type { StudyRecord } from "../models/study.server";
import type { StudyVersion } from "../models/study.server";
import { describeChange, type ReadableChange } from "./version-diff";

export const STATE_LABEL = { draft: "Utkast", submitted: "Sendt til godkjenning", published: "Publisert", withdrawn: "Trukket" } as const;

export function studyOverview(study: StudyRecord, now: Date) {
  const active = study.sites.filter((s) => !s.withdrawn);
  const status: StudyStatus = studyStatus(active, now);
  const readiness = { ...study, sites: active.map((s) => ({ ...s, organisationName: s.hospitalName ?? s.organisationName })) };
  return {
    id: study.id,
    title: study.title.nb,
    state: study.publicationState,
    stateLabel: STATE_LABEL[study.publicationState],
    status,
    statusLabel: STATUS_LABEL[status],
    leadOrganisationId: study.leadOrganisation.id,
    leadOrganisation: study.leadOrganisation.name,
    version: study.currentVersion,
    updatedAt: study.updatedAt,
    isDemo: study.isDemo,
    missing: missingForPublishing(readiness),
    warnings: readinessWarnings(readiness, osloDate(now)),
    sites: active.map((s) => ({
      key: siteKey(s),
      organisationId: s.organisationId,
      name: s.hospitalName ? `${s.hospitalName} (${s.organisationName})` : s.organisationName,
      inclusionStart: s.inclusionStart,
      inclusionEnd: s.inclusionEnd,
      paused: s.paused,
      pauseReason: s.pauseReason,
      contact: s.contact,
      referral: s.referral,
      status: STATUS_LABEL[siteStatus(s, now)],
    })),
    /** Sites proposed for another organisation, waiting for its answer (shown nowhere public until accepted). */
    pendingSites: study.sites
      .filter((s) => s.pendingConsent)
      .map((s) => ({
        key: siteKey(s),
        organisationId: s.organisationId,
        name: s.hospitalName ? `${s.hospitalName} (${s.organisationName})` : s.organisationName ?? s.name ?? siteKey(s),
        inclusionStart: s.inclusionStart,
        inclusionEnd: s.inclusionEnd,
      })),
  };
}

export interface VersionView {
  version: number;
  createdAt: string;
  actorName: string;
  actorKind: string;
  summary: string;
  changes: ReadableChange[];
}

export function versionViews(versions: StudyVersion[]): VersionView[] {
  return versions.map((v) => ({
    version: v.version,
    createdAt: v.createdAt,
    actorName: v.actorName,
    actorKind: v.actorKind,
    summary: v.summary,
    changes: v.changes.map(describeChange),
  }));
}

/** "14.03.2027 kl. 09:05" in Europe/Oslo. */
export function formatInstant(iso: string): string {
  return new Intl.DateTimeFormat("nb-NO", { timeZone: "Europe/Oslo", dateStyle: "short", timeStyle: "short" }).format(new Date(iso));
}
