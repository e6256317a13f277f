/** What the researcher and editor pages show of a study, built from the stored records. */
import { osloDate, siteState, siteStatus, studyStatus, type StudyStatus } from "#app/domain/inclusion-status";
import { siteConfirmationText, siteStatusText, statusLabel } from "./status-text";
import { missingItems, warningItems, type ReadinessItem } from "#app/domain/study-readiness";
import { siteKey } from "#app/domain/study-snapshot";
import type { StudyRecord } from "#app/models/study.server";
import type { SiteConfirmationEntry, StudyVersion } from "#app/models/study.server";
import { describeChange, summariseInWords, type DiffWords, type ReadableChange } from "./version-diff";
import type { Db } from "#app/db.server";
import { listOrganisations } from "#app/models/reference.server";
import { translator, type Translator } from "#app/i18n/translate";
import { DATE_LOCALE, type Lang } from "#app/i18n/languages";

/** "Utkast", "Publisert" …: a study's publication state in the reader's language. */
export function stateLabel(state: StudyRecord["publicationState"], lang: Lang = "nb"): string {
  return translator(lang).t(`state.${state}`);
}

/** A missing item or a warning in the reader's language (its date in words). */
function readinessText(item: ReadinessItem, tr: Translator): string {
  return tr.t(item.key, { ...item.vars, ...(item.date ? { date: tr.date(item.date) } : {}) });
}

export function studyOverview(study: StudyRecord, now: Date, lang: Lang = "nb") {
  const tr = translator(lang);
  const active = study.sites.filter((s) => !s.withdrawn);
  const status: StudyStatus = studyStatus(active, now);
  const readiness = {
    ...study,
    sites: active.map((s) => ({ ...s, organisationName: s.hospitalName ?? s.organisationName })),
  };
  return {
    id: study.id,
    title: study.title.nb,
    state: study.publicationState,
    stateLabel: stateLabel(study.publicationState, lang),
    status,
    statusLabel: statusLabel(status, lang),
    leadOrganisationId: study.leadOrganisation.id,
    leadOrganisation: study.leadOrganisation.name ?? study.leadOrganisation.id,
    version: study.currentVersion,
    updatedAt: study.updatedAt,
    isDemo: study.isDemo,
    missing: missingItems(readiness).map((item) => readinessText(item, tr)),
    warnings: warningItems(readiness, osloDate(now)).map((item) => readinessText(item, tr)),
    sites: active.map((s) => ({
      key: siteKey(s),
      organisationId: s.organisationId,
      name: s.hospitalName ? `${s.hospitalName} (${s.organisationName})` : (s.organisationName ?? s.name ?? siteKey(s)),
      organisationName: s.organisationName ?? s.organisationId ?? s.name ?? siteKey(s),
      inclusionStart: s.inclusionStart,
      inclusionEnd: s.inclusionEnd,
      /** "1. mars 2026 til 30. juni 2027": the window in words, for reading (the forms keep ISO dates). */
      window: windowInWords(s.inclusionStart, s.inclusionEnd, tr),
      paused: s.paused,
      pauseReason: s.pauseReason,
      contact: s.contact,
      referral: s.referral,
      status: statusLabel(siteStatus(s, now), lang),
      /** "Åpen … (ikke bekreftet siden …)": the status in words with what it rests on. */
      statusText: siteStatusText(s, now, lang),
      /** "Sist bekreftet 12. november 2026" (or the last change, before confirmations were recorded). */
      confirmedText: siteConfirmationText(s.confirmation, lang) ?? tr.t("site.neverConfirmed"),
      confirmedBy: s.confirmation && s.confirmation.byKind !== "backfill" ? s.confirmation.byName : null,
      /** Past the soft limit (or the hard one): the editor is asked to confirm. */
      needsConfirmation: siteState(s, now).confirmation === "overdue" || siteState(s, now).confirmation === "lapsed",
    })),
    /** Sites proposed for another organisation, waiting for its answer (shown nowhere public until accepted). */
    pendingSites: study.sites
      .filter((s) => s.pendingConsent)
      .map((s) => ({
        key: siteKey(s),
        organisationId: s.organisationId,
        name: s.hospitalName
          ? `${s.hospitalName} (${s.organisationName})`
          : (s.organisationName ?? s.name ?? siteKey(s)),
        inclusionStart: s.inclusionStart,
        inclusionEnd: s.inclusionEnd,
        window: windowInWords(s.inclusionStart, s.inclusionEnd, tr),
      })),
  };
}

function windowInWords(start: string | null, end: string | null, tr: Translator): string {
  const day = (d: string | null) => (d ? tr.date(d) : tr.t("window.notGiven"));
  return tr.t("window.range", { start: day(start), end: day(end) });
}

export interface VersionView {
  version: number;
  createdAt: string;
  actorName: string;
  actorKind: string;
  summary: string;
  changes: ReadableChange[];
}

/** The words a study's diffs are told in: the reader's language, its sites' and the organisations' names. */
export function diffWordsFor(db: Db, study: StudyRecord, lang: Lang): DiffWords {
  const orgNames = new Map(listOrganisations(db).map((o) => [o.id, o.name]));
  const siteNames = new Map(
    study.sites.map((s) => [
      siteKey(s),
      s.hospitalName ??
        s.organisationName ??
        (s.organisationId ? orgNames.get(s.organisationId) : null) ??
        s.name ??
        siteKey(s),
    ]),
  );
  return { tr: translator(lang), siteNames, orgNames };
}

export function versionViews(versions: StudyVersion[], words?: DiffWords): VersionView[] {
  return versions.map((v) => ({
    version: v.version,
    createdAt: v.createdAt,
    actorName: v.actorName,
    actorKind: v.actorKind,
    summary: summariseInWords(v.changes, v.summary, words),
    changes: v.changes.map((c) => describeChange(c, words)),
  }));
}

/** "14.03.2027 kl. 09:05" in Europe/Oslo ("14/03/2027, 09:05" in English). */
export function formatInstant(iso: string, lang: Lang = "nb"): string {
  return new Intl.DateTimeFormat(DATE_LOCALE[lang], {
    timeZone: "Europe/Oslo",
    dateStyle: "short",
    timeStyle: "short",
  }).format(new Date(iso));
}

/** The confirmations people made, for the history page: who, when, which site, which dates (in words). */
export function confirmationViews(
  entries: SiteConfirmationEntry[],
  study: StudyRecord,
  tr: Translator = translator("nb"),
) {
  const names = new Map(
    study.sites.map((s) => [
      siteKey(s),
      s.hospitalName ? `${s.hospitalName} (${s.organisationName})` : (s.organisationName ?? s.name ?? siteKey(s)),
    ]),
  );
  const day = (d: string | null) => (d ? tr.date(d) : "–");
  return entries.map((e) => ({
    at: tr.instant(e.confirmedAt),
    actorName: e.actorName,
    site: names.get(e.siteKey) ?? e.siteKey,
    window: e.window.paused
      ? tr.t("window.paused", {
          window: tr.t("window.range", { start: day(e.window.inclusionStart), end: day(e.window.inclusionEnd) }),
        })
      : tr.t("window.range", { start: day(e.window.inclusionStart), end: day(e.window.inclusionEnd) }),
  }));
}
