/**
 * The shapes of the two study pages' views (built by study-page.server.ts): types only, in a
 * module without server code so components can name them (components import no `.server`
 * modules: docs/architecture.md).
 */
import type { SiteStatus, StudyStatus } from "#app/domain/inclusion-status";
import type { EligibilityCheck } from "#app/domain/eligibility-check";
import type { Lang } from "#app/i18n/languages";
import type { LocalText } from "./localized-text";

export interface SiteView {
  id: number;
  name: string;
  /** The health trust, when the site is a named hospital of it. */
  organisation: string | null;
  place: string | null;
  region: string | null;
  /** The source names this place, but it is no registered organisation in the portal. */
  unregistered: boolean;
  status: SiteStatus;
  statusText: string;
  /** "Sist bekreftet 12. november 2026" (ADR 0019); null when the site has no confirmation record. */
  confirmedText: string | null;
  /** Not confirmed within the soft limit: ranked below confirmed sites of the same status. */
  overdue: boolean;
  window: string;
  pauseReason: string | null;
  contact: { name: string; email: string | null; phone: string | null } | null;
  moreContacts: { name: string; email: string | null; phone: string | null }[];
  referral: string | null;
  distanceKm: number | null;
  /** "ved hovedsykehuset …" when the site names no hospital, "sted ikke oppgitt" when no place is known. */
  placeNote: string | null;
}

export interface CriteriaView {
  items: string[];
  lang: Lang;
}

export interface StudyPageBase {
  id: number;
  title: LocalText;
  fullTitle: LocalText | null;
  status: StudyStatus;
  statusText: string;
  isDemo: boolean;
  withdrawn: { date: string | null } | null;
  summary: LocalText | null;
  participation: LocalText | null;
  type: string;
  phase: string | null;
  categories: string[];
  age: string;
  sex: string;
  /** null: the source does not say. */
  healthyVolunteers: boolean | null;
  conditions: string[];
  inclusion: CriteriaView | null;
  exclusion: CriteriaView | null;
  sites: SiteView[];
  links: { url: string; label: string }[];
  /**
   * A study published without a plain-language summary (a hospital listing that links to the
   * hospital's own page): the page says "more information is available from the hospital" and
   * links there instead.
   */
  moreInfoAtHospital: { link: { url: string; label: string } | null } | null;
}

export interface PatientStudyView extends StudyPageBase {
  /** Contacts meant for the public (patients and relatives). */
  contacts: { name: string; email: string | null; phone: string | null }[];
  postcode: string | null;
  /** "Tilbake til søket": the search the patient came from, with its words, postcode and filters. */
  backHref: string;
}

export interface IdentifierView {
  label: string;
  value: string;
  /** The registry's public page; none for fictional demo numbers, which would lead nowhere. */
  url: string | null;
}

export interface ClinicianStudyView extends StudyPageBase {
  scientificSummary: LocalText | null;
  identifiers: IdentifierView[];
  icd10: { code: string; name: string | null }[];
  interventions: string[];
  lead: string;
  owner: string;
  officialTitle: string | null;
  keywords: string[];
  region: string;
  pi: string | null;
  sponsor: string | null;
  targetEnrolment: number | null;
  updated: string;
  version: number;
  contacts: { name: string; email: string | null; phone: string | null; role: "public" | "scientific" }[];
  referralText: string;
  check: {
    age: number | null;
    sex: "kvinne" | "mann" | null;
    result: EligibilityCheck;
    problems: { field: string; message: string }[];
  };
}
