/**
 * What the two study pages show, from the stored study: the patient page in plain language and
 * the clinician page with everything needed to refer. Status is derived from each site's dates at
 * `now` (domain/inclusion-status via status-text), never read from storage.
 */
import { osloDate, siteState, siteStatus, type SiteStatus } from "#app/domain/inclusion-status";
import { distanceKm, roundKm } from "#app/domain/geo-distance";
import { sitePlaceNote } from "./study-card.server";
import { siteConfirmationText, siteStatusText, studyStatusText } from "./status-text";
import { withLang, type Lang } from "#app/i18n/languages";
import { getConfig } from "#app/config.server";
import { translator, type Translator } from "#app/i18n/translate";
import { checkEligibility } from "#app/domain/eligibility-check";
import { SEX_FOR_ENGINE } from "#app/search-params/field-parsers";
import { referralSummaryText } from "./referral-summary";
import type { Db } from "#app/db.server";
import { listHrcsCategories } from "#app/models/reference.server";
import type { SiteRecord, StudyRecord } from "#app/models/study.server";
import { getStudyStamped } from "#app/models/study-records-cached.server";
import { criteriaItems } from "./criteria-items";
import { localText } from "./localized-text";
import { activeSites } from "./study-card.server";
import { siteDisplayName } from "#app/domain/site-name";
import { publicLinks } from "#app/domain/junk-check";
import { ageRangeText, phaseText, sexText, studyTypeText } from "./study-labels";
import type {
  ClinicianStudyView,
  CriteriaView,
  IdentifierView,
  PatientStudyView,
  SiteView,
  StudyPageBase,
} from "./study-page-types";

export type * from "./study-page-types";

/** Drafts and studies awaiting approval are not public: they are a 404 like a missing study. */
export const PUBLIC_STATES = new Set(["published", "withdrawn"]);

export function parseStudyId(raw: string | undefined): number | null {
  if (!/^\d{1,12}$/.test(raw ?? "")) return null;
  const id = Number(raw);
  return Number.isSafeInteger(id) && id > 0 ? id : null;
}

const STATUS_ORDER: Record<SiteStatus, number> = {
  open: 0,
  invitation: 1,
  paused: 2,
  planned: 3,
  unknown: 4,
  closed: 5,
};

function siteView(site: SiteRecord, now: Date, lang: Lang, near: { lat: number; lon: number } | null): SiteView {
  const { t, date, plural } = translator(lang);
  const from = site.inclusionStart ? date(site.inclusionStart) : t("patient.study.window.noStart");
  const to = site.inclusionEnd ? date(site.inclusionEnd) : t("patient.study.window.noEnd");
  // A site without firm dates (a declared status) has no window to show; expected dates are
  // named as expected, never as a window.
  const expected = [
    site.expectedStart ? t("status.expectedStart", { date: date(site.expectedStart) }) : null,
    site.expectedEnd ? t("status.expectedEnd", { date: date(site.expectedEnd) }) : null,
  ].filter(Boolean);
  const firm = site.inclusionStart != null || site.inclusionEnd != null || !site.declared;
  const window = firm
    ? t("patient.study.window.value", { from, to })
    : expected.length
      ? expected.join(", ")
      : t("patient.study.window.notGiven");
  return {
    id: site.id,
    name: siteDisplayName(site, (n) =>
      n == null ? t("site.unnamed.other", { count: "?" }) : plural("site.unnamed", n),
    ),
    organisation:
      site.organisationId == null ? t("site.unregistered") : site.hospitalName ? site.organisationName : null,
    place: site.municipality,
    region: site.regionName,
    unregistered: site.organisationId == null,
    status: siteStatus(site, now),
    statusText: siteStatusText(site, now, lang),
    confirmedText: siteConfirmationText(site.confirmation, lang),
    overdue: ((c) => c === "overdue" || c === "lapsed")(siteState(site, now).confirmation),
    window,
    pauseReason: site.paused ? site.pauseReason : null,
    contact: site.contact,
    moreContacts: site.moreContacts,
    referral: site.referral,
    distanceKm:
      near && site.lat != null && site.lon != null ? roundKm(distanceKm(near, { lat: site.lat, lon: site.lon })) : null,
    placeNote: sitePlaceNote(site, t),
  };
}

function criteria(texts: StudyRecord["eligibility"]["inclusionCriteria"], lang: Lang): CriteriaView | null {
  const text = localText(texts, lang);
  if (!text) return null;
  const items = criteriaItems(text.text);
  return items.length ? { items, lang: text.lang } : null;
}

export interface StudyPageOptions {
  lang: Lang;
  now: Date;
  /** Where the reader is (from a postcode), for distances to each site. */
  near?: { lat: number; lon: number } | null;
  withdrawnAt?: string | null;
  categoryNames: Map<string, string>;
}

export function studyPageBase(study: StudyRecord, options: StudyPageOptions): StudyPageBase {
  const { lang, now } = options;
  const tr = translator(lang);
  const near = options.near ?? null;
  const sites = activeSites(study)
    .map((s) => siteView(s, now, lang, near))
    // Where the patient can go now first; then nearest (when we know where they are), then by name.
    .sort(
      (a, b) =>
        STATUS_ORDER[a.status] - STATUS_ORDER[b.status] ||
        // Confirmed within the limit before those nobody has confirmed for too long (ADR 0019).
        Number(a.overdue) - Number(b.overdue) ||
        (a.distanceKm ?? Infinity) - (b.distanceKm ?? Infinity) ||
        a.name.localeCompare(b.name, "nb"),
    );
  const { status, text } = studyStatusText(activeSites(study), now, lang);
  const short = localText(study.shortTitle, lang);
  const full = localText(study.title, lang)!;
  const withdrawn = study.publicationState === "withdrawn";
  return {
    id: study.id,
    title: short ?? full,
    fullTitle: short && short.text !== full.text ? full : null,
    status,
    statusText: text,
    isDemo: study.isDemo,
    withdrawn: withdrawn
      ? { date: options.withdrawnAt ? tr.date(osloDate(new Date(options.withdrawnAt))) : null }
      : null,
    summary: localText(study.summary, lang),
    participation: localText(study.participation, lang),
    type: studyTypeText(tr, study.studyType),
    phase: phaseText(tr, study.phase),
    categories: study.categories.map((c) => options.categoryNames.get(c) ?? study.categoryNames[c] ?? c),
    age: ageRangeText(tr, study.eligibility.minAgeYears, study.eligibility.maxAgeYears),
    sex: sexText(tr, study.eligibility.sex),
    healthyVolunteers: study.eligibility.healthyVolunteers,
    conditions: study.conditions,
    inclusion: criteria(study.eligibility.inclusionCriteria, lang),
    exclusion: criteria(study.eligibility.exclusionCriteria, lang),
    sites,
    // A link the public cannot open (an intranet host) stays stored for the editor, never shown.
    links: publicLinks(study.links),
    moreInfoAtHospital: !localText(study.summary, lang) ? { link: publicLinks(study.links)[0] ?? null } : null,
  };
}

export function patientStudyView(
  study: StudyRecord,
  options: StudyPageOptions & { postcode: string | null; backHref: string },
): PatientStudyView {
  return {
    ...studyPageBase(study, options),
    backHref: options.backHref,
    contacts: study.contacts
      .filter((c) => c.role === "public")
      .map(({ name, email, phone }) => ({ name, email, phone })),
    postcode: options.near ? options.postcode : null,
  };
}

/** The clinician page's full address, for the referral summary ("more information"). */
export function clinicianStudyUrl(id: number, lang: Lang): string {
  return `${getConfig().BASE_URL.replace(/\/$/, "")}${withLang(`/helsepersonell/studier/${id}`, lang)}`;
}

/** The study for a public page, or a real 404 (missing, draft, awaiting approval, or a bad id). */
export function loadPublicStudy(db: Db, rawId: string | undefined): StudyRecord {
  const id = parseStudyId(rawId);
  const study = id == null ? null : getStudyStamped(db, id);
  if (!study || !PUBLIC_STATES.has(study.publicationState)) throw new Response("Not found", { status: 404 });
  return study;
}

export function categoryNamesFor(db: Db, lang: Lang): Map<string, string> {
  return new Map(listHrcsCategories(db).map((c) => [c.id, lang === "en" ? c.nameEn : c.nameNb]));
}

export function identifierViews(
  study: Pick<StudyRecord, "identifiers" | "isDemo"> & Partial<Pick<StudyRecord, "otherIdentifiers">>,
  tr: Translator,
): IdentifierView[] {
  const ids = study.identifiers;
  const link = (url: string) => (study.isDemo ? null : url);
  const out: IdentifierView[] = [];
  if (ids.nct)
    out.push({ label: "ClinicalTrials.gov", value: ids.nct, url: link(`https://clinicaltrials.gov/study/${ids.nct}`) });
  if (ids.euCt)
    out.push({
      label: "EU CT",
      value: ids.euCt,
      url: link(`https://euclinicaltrials.eu/search-for-clinical-trials/?lang=en&EUCT=${ids.euCt}`),
    });
  if (ids.eudract)
    out.push({
      label: "EudraCT",
      value: ids.eudract,
      url: link(`https://www.clinicaltrialsregister.eu/ctr-search/search?query=${ids.eudract}`),
    });
  if (ids.isrctn) out.push({ label: "ISRCTN", value: ids.isrctn, url: link(`https://www.isrctn.com/${ids.isrctn}`) });
  // REK's portal has no stable public address per project: link its search, number shown.
  if (ids.rek) out.push({ label: tr.t("clinician.study.rek"), value: ids.rek, url: link("https://rekportalen.no/") });
  // Every other identifier the source gives (French ID-RCB, sponsor codes, …), as the source names it.
  for (const other of study.otherIdentifiers ?? [])
    out.push({ label: other.scheme, value: other.value, url: other.url ? link(other.url) : null });
  return out;
}

function contactLine(c: { name: string; email: string | null; phone: string | null } | null): string | null {
  return c ? [c.name, c.phone, c.email].filter(Boolean).join(", ") : null;
}

export function clinicianStudyView(
  study: StudyRecord,
  options: StudyPageOptions & {
    studyUrl: string;
    patient: { age: number | null; sex: "kvinne" | "mann" | null };
    problems: { field: string; message: string }[];
  },
): ClinicianStudyView {
  const { lang, now } = options;
  const tr = translator(lang);
  const base = studyPageBase(study, options);
  const full = localText(study.title, lang)!;
  const identifiers = identifierViews(study, tr);
  const icd10 = study.icd10.map((code) => ({ code, name: study.icd10Names[code] ?? null }));
  const pi = study.principalInvestigator
    ? [study.principalInvestigator.name, study.principalInvestigator.title].filter(Boolean).join(", ")
    : null;
  const typeAndPhase = [base.type, base.phase].filter(Boolean).join(", ");
  const withdrawn = base.withdrawn != null;
  const referralText = referralSummaryText(
    {
      title: full.text,
      identifiers: identifiers.map((i) => `${i.label} ${i.value}`),
      statusText: withdrawn ? tr.t("referral.text.withdrawn") : base.statusText,
      typeAndPhase,
      icd10: icd10.map((c) => (c.name ? `${c.code} ${c.name}` : c.code)),
      lead: study.lead
        ? study.lead.name
        : `${tr.t("study.lead.notGiven")} (${tr.t("clinician.study.owner")}: ${study.leadOrganisation.name})`,
      pi,
      age: base.age,
      sex: base.sex,
      inclusion: base.inclusion?.items ?? [],
      exclusion: base.exclusion?.items ?? [],
      openSites: withdrawn
        ? []
        : base.sites
            .filter((s) => s.status === "open")
            .map((s) => ({
              name: s.name,
              statusText: s.statusText,
              contact: contactLine(s.contact),
              referral: s.referral,
            })),
      otherSites: base.sites
        .filter((s) => withdrawn || s.status !== "open")
        .map((s) => ({ name: s.name, statusText: s.statusText })),
      url: options.studyUrl,
      isDemo: study.isDemo,
      withdrawn,
      generatedAt: now,
    },
    tr,
  );
  return {
    ...base,
    // The clinician page leads with the full scientific title.
    title: full,
    fullTitle: base.fullTitle ? localText(study.shortTitle, lang) : null,
    scientificSummary: localText(study.scientificSummary, lang),
    identifiers,
    icd10,
    interventions: study.interventions.map((i) => i.name),
    // The record's own lead ("utført av") as written; the portal organisation that publishes it apart.
    lead: study.lead?.name ?? tr.t("study.lead.notGiven"),
    owner: study.leadOrganisation.name,
    officialTitle: study.officialTitle,
    keywords: study.keywords,
    region: study.leadOrganisation.regionName,
    pi,
    sponsor: study.sponsor,
    targetEnrolment: study.targetEnrolment,
    updated: tr.instant(study.updatedAt),
    version: study.currentVersion,
    contacts: study.contacts,
    referralText,
    check: {
      age: options.patient.age,
      sex: options.patient.sex,
      problems: options.problems,
      result: checkEligibility(
        study.eligibility,
        { inclusion: base.inclusion?.items ?? [], exclusion: base.exclusion?.items ?? [] },
        { ageYears: options.patient.age, sex: options.patient.sex ? SEX_FOR_ENGINE[options.patient.sex] : null },
      ),
    },
  };
}
