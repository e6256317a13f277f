/**
 * A portal study → a FHIR R4 ResearchStudy (JSON), the way France's ECLAIRE profile writes one,
 * read back by our own FHIR ingest mapper (app/ingest/mappers/fhir-research-study.ts). Pure: the
 * clock is a parameter, status is derived from it with app/domain/inclusion-status.ts (never
 * stored), and nothing here reads the database.
 *
 * Study level:
 *  meta.tag                 HTEST ("test health data") on the project's fictional demo studies
 *  id, meta.lastUpdated     the portal id; the later of the last stored change and the last instant
 *                           a site's window opened or closed (status is derived, so the resource
 *                           changes then: a mirror syncing with _lastUpdated=gt… sees it)
 *  identifier[]             NCT, EU CT, EudraCT, ISRCTN, REK with the systems in constants.ts; each
 *                           organisation's local id (system …/sid/local-id/<organisation id>)
 *  title / _title           bokmål; nynorsk and English as core `translation` extensions
 *  R5 label (acronym)       the short title (as ECLAIRE writes its acronym)
 *  description              the plain-language summary (bokmål + translations)
 *  status                   derived study status (table in status.ts)
 *  eclaire-recruitment-period   the study's overall recruitment period: earliest start to latest
 *                           end over its active sites (no end while a site is open-ended)
 *  R5 progressStatus / recruitment   the same period as R5's progressStatus; targetNumber and the
 *                           eligibility Group as R5's recruitment
 *  phase, primaryPurposeType, category   phase; treatment studies as purpose "treatment"; study
 *                           type and HRCS categories as categories (portal code systems)
 *  condition[]              one per condition text ({text}); one per ICD-10 code (Norwegian
 *                           ICD-10, no dot) and SNOMED CT id (code only: the names are in the code
 *                           lists, and the condition texts stay exactly the study's own)
 *  focus[]                  interventions by name
 *  enrollment → #eligibility   contained Group: sex, age range (UCUM a), healthy volunteers,
 *                           inclusion (exclude=false) / exclusion (exclude=true) criteria
 *  sponsor, principalInvestigator, contact[] (ECLAIRE contact type PUB/SCI), relatedArtifact[]
 *
 * Per site (the ECLAIRE recruitment period and status are defined on ResearchStudy, and R5 models
 * a site as a ResearchStudy — ResearchStudy.site: Reference(Location | ResearchStudy)):
 *  site[] → contained Location   name (hospital, else organisation), Location.identifier with the
 *                           portal organisation/hospital id, managing organisation's orgnr, town,
 *                           country NO, position; the site contact as Location.telecom with
 *                           ECLAIRE's eclaire-site-contact-name
 *  contained ResearchStudy "site-<id>", partOf "#" (the containing study), site → its Location:
 *                           status (derived site status), eclaire-recruitment-period (the site's
 *                           inclusion window, calendar dates in Europe/Oslo, end inclusive),
 *                           eclaire-recruitment-status, R5 progressStatus, reasonStopped = the
 *                           editor's pause reason, note = how to refer
 * Withdrawn sites (gone from their hospital's feed) are not exported.
 */
import {
  osloDate,
  siteStatus,
  statusTransitions,
  studyStatus,
  type InclusionWindow,
  type SiteStatus,
  type StudyStatus,
} from "#app/domain/inclusion-status";
import type { Language, Phase } from "#app/domain/study";
import { siteDisplayName } from "#app/domain/site-name";
import { publicLinks } from "#app/domain/junk-check";
import { STATUS_LABEL, siteConfirmationText, siteStatusText } from "#app/views/status-text";
import type { SiteRecord, StudyRecord } from "#app/models/study.server";
import {
  ADMINISTRATIVE_GENDER_SYSTEM,
  CONTAINED_ID,
  ECLAIRE_CODE_SYSTEM,
  EXTENSION,
  HOSPITAL_ID_SYSTEM,
  HRCS_CATEGORY_SYSTEM,
  ICD10_NO_SYSTEM,
  IDENTIFIER_SYSTEM,
  ISO_3166_SYSTEM,
  LOCAL_ID_SYSTEM_PREFIX,
  ORGANISATION_ID_SYSTEM,
  ORGNR_SYSTEM,
  PHASE_SYSTEM,
  PRIMARY_PURPOSE_SYSTEM,
  REGISTRATION_ACTIVITY_SYSTEM,
  REGISTRATION_POSTING,
  R5_STUDY_STATUS_SYSTEM,
  REGISTRY_KEYS,
  SNOMED_SYSTEM,
  STUDY_TYPE_SYSTEM,
  TITLE_TYPE_SYSTEM,
  UCUM_SYSTEM,
} from "./constants";
import { eclaireRecruitmentStatus, r4StatusOfSite, r4StatusOfStudy, r5StateOfSite } from "./status";

export type FhirJson = Record<string, unknown>;

export interface ResearchStudyOptions {
  /** The instant status is derived for (the request time). */
  now: Date;
  /** The portal's public address (BASE_URL), for the link to the study page. */
  portalUrl: string;
  /** Organisation numbers (Enhetsregisteret) by portal organisation id, where known. */
  orgnr?: ReadonlyMap<string, string | null>;
}

export const PHASE_TO_FHIR: Record<Phase, string> = {
  early_phase_1: "early-phase-1",
  phase_1: "phase-1",
  phase_1_2: "phase-1-phase-2",
  phase_2: "phase-2",
  phase_2_3: "phase-2-phase-3",
  phase_3: "phase-3",
  phase_4: "phase-4",
  not_applicable: "n-a",
};

const STUDY_TYPE_DISPLAY = {
  treatment: "Behandlingsstudie",
  observational: "Observasjonsstudie",
  other: "Annen studie",
} as const;

/** Drops undefined values, empty arrays and empty objects, so the JSON has no empty elements. */
function compact<T extends FhirJson>(o: T): T {
  const out: FhirJson = {};
  for (const [k, v] of Object.entries(o)) {
    if (v === undefined || v === null) continue;
    if (Array.isArray(v) && v.length === 0) continue;
    if (typeof v === "object" && !Array.isArray(v) && Object.keys(v as object).length === 0) continue;
    out[k] = v;
  }
  return out as T;
}

/** Translations (nn, en) of a localised text, as the `_field` companion element. */
function translations(text: Partial<Record<Language, string | null | undefined>>): FhirJson | undefined {
  const extension = (["nn", "en"] as const)
    .filter((lang) => text[lang])
    .map((lang) => ({
      url: EXTENSION.translation,
      extension: [
        { url: "lang", valueCode: lang },
        { url: "content", valueString: text[lang] },
      ],
    }));
  return extension.length ? { extension } : undefined;
}

const period = (start: string | null, end: string | null): FhirJson | undefined =>
  start || end ? compact({ start: start ?? undefined, end: end ?? undefined }) : undefined;

function progressEntry(state: string, actual: boolean, p?: FhirJson): FhirJson {
  return {
    url: EXTENSION.r5ProgressStatus,
    extension: [
      { url: "state", valueCodeableConcept: { coding: [{ system: R5_STUDY_STATUS_SYSTEM, code: state }] } },
      { url: "actual", valueBoolean: actual },
      ...(p ? [{ url: "period", valuePeriod: p }] : []),
    ],
  };
}

function recruitmentExtensions(
  window: { start: string | null; end: string | null },
  current: SiteStatus | StudyStatus,
  started: boolean,
  paused: boolean,
): FhirJson[] {
  const out: FhirJson[] = [];
  const p = period(window.start, window.end);
  if (p) out.push({ url: EXTENSION.eclaireRecruitmentPeriod, valuePeriod: p });
  const eclaire = eclaireRecruitmentStatus(current);
  if (eclaire) {
    out.push({
      url: EXTENSION.eclaireRecruitmentStatus,
      valueCodeableConcept: { coding: [{ system: ECLAIRE_CODE_SYSTEM.recruitmentStatus, ...eclaire }] },
    });
  }
  if (p) out.push(progressEntry("recruiting", started, p));
  if (paused) out.push(progressEntry("temporarily-closed-to-accrual", true));
  // R4 has no code for "by invitation only": R5's progress state says it.
  if (current === "invitation") out.push(progressEntry("enrolling-by-invitation", true));
  if (current === "planned" || current === "closed") out.push(progressEntry(r5StateOfSite(current), true));
  return out;
}

function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

export function activeSites(study: Pick<StudyRecord, "sites">): SiteRecord[] {
  return study.sites.filter((s) => !s.withdrawn);
}

/**
 * The instant the resource last changed: the stored change, or later the most recent opening or
 * closing of an active site's inclusion window up to `now` (the derived status changed then).
 */
export function effectiveLastUpdated(updatedAt: string, windows: readonly InclusionWindow[], now: Date): string {
  let latest = Date.parse(updatedAt);
  const limit = now.getTime();
  for (const w of windows) {
    if (w.withdrawn) continue;
    for (const t of statusTransitions(w)) {
      const ms = t.getTime();
      if (ms <= limit && ms > latest) latest = ms;
    }
  }
  return new Date(latest).toISOString();
}

/** Overall recruitment window of the active sites: earliest start, latest end (none if any is open-ended). */
export function overallWindow(sites: readonly InclusionWindow[]): { start: string | null; end: string | null } {
  const active = sites.filter((s) => !s.withdrawn);
  const starts = active
    .map((s) => s.inclusionStart)
    .filter((d): d is string => !!d)
    .sort();
  const ends = active.map((s) => s.inclusionEnd);
  const end = ends.length > 0 && ends.every((d) => !!d) ? (ends as string[]).sort().at(-1)! : null;
  return { start: starts[0] ?? null, end };
}

function locationFor(site: SiteRecord, orgnr: string | null | undefined): FhirJson {
  const telecom: FhirJson[] = [];
  const contactName = site.contact?.name
    ? [{ url: EXTENSION.eclaireSiteContactName, valueHumanName: { text: site.contact.name } }]
    : [];
  if (site.contact?.email)
    telecom.push({ extension: contactName, system: "email", value: site.contact.email, use: "work" });
  if (site.contact?.phone)
    telecom.push({ extension: contactName, system: "phone", value: site.contact.phone, use: "work" });
  return compact({
    resourceType: "Location",
    id: CONTAINED_ID.location(site.id),
    identifier: [
      { system: ORGANISATION_ID_SYSTEM, value: site.organisationId },
      ...(site.hospitalId ? [{ system: HOSPITAL_ID_SYSTEM, value: site.hospitalId }] : []),
    ],
    status: "active",
    // The place as its source names it (the city is in the address).
    name: site.hospitalName ?? site.organisationName ?? site.name ?? siteDisplayName(site),
    alias: site.hospitalName && site.organisationName ? [site.organisationName] : undefined,
    telecom: telecom.map((t) => compact(t)),
    // A site placed at its organisation's main hospital (it names no hospital) has no place of
    // its own to tell other systems: the stand-in is for our distance search only.
    address: compact({ city: (site.placedAtMainHospital ? null : site.municipality) ?? undefined, country: "NO" }),
    position:
      site.lat != null && site.lon != null && !site.placedAtMainHospital
        ? { latitude: site.lat, longitude: site.lon }
        : undefined,
    managingOrganization: compact({
      identifier: orgnr ? { system: ORGNR_SYSTEM, value: orgnr } : undefined,
      display: site.organisationName ?? undefined,
    }),
  });
}

function siteStudyFor(site: SiteRecord, now: Date, today: string): FhirJson {
  const status = siteStatus(site, now);
  const confirmed = siteConfirmationText(site.confirmation);
  return compact({
    resourceType: "ResearchStudy",
    id: CONTAINED_ID.siteStudy(site.id),
    extension: [
      ...recruitmentExtensions(
        { start: site.inclusionStart, end: site.inclusionEnd },
        status,
        site.inclusionStart != null && site.inclusionStart <= today,
        site.paused,
      ),
      ...(site.confirmation
        ? [
            {
              url: EXTENSION.siteConfirmation,
              extension: [
                { url: "date", valueDate: site.confirmation.on },
                { url: "basis", valueCode: site.confirmation.byKind },
              ],
            },
          ]
        : []),
    ],
    partOf: [{ reference: "#" }],
    status: r4StatusOfSite(status),
    site: [{ reference: `#${CONTAINED_ID.location(site.id)}`, display: siteDisplayName(site) }],
    reasonStopped: site.paused && site.pauseReason ? { text: site.pauseReason } : undefined,
    // The status in words with what it rests on (dates, or who declared it when, or "unknown").
    note: [
      { text: `Status: ${siteStatusText(site, now)}` },
      ...(confirmed ? [{ text: confirmed }] : []),
      ...(site.referral ? [{ text: site.referral }] : []),
    ],
  });
}

function eligibilityGroup(study: StudyRecord): FhirJson {
  const e = study.eligibility;
  const characteristic: FhirJson[] = [];
  if (e.sex !== "all") {
    characteristic.push({
      code: { coding: [{ system: SNOMED_SYSTEM, code: "263495000", display: "Gender" }], text: "Genders" },
      valueCodeableConcept: {
        coding: [
          { system: ADMINISTRATIVE_GENDER_SYSTEM, code: e.sex, display: e.sex === "female" ? "Female" : "Male" },
        ],
      },
      exclude: false,
    });
  }
  if (e.minAgeYears != null || e.maxAgeYears != null) {
    const years = (value: number) => ({ value, unit: "år", system: UCUM_SYSTEM, code: "a" });
    characteristic.push({
      code: {
        coding: [{ system: SNOMED_SYSTEM, code: "424144002", display: "Current chronological age" }],
        text: "Age range",
      },
      valueRange: compact({
        low: e.minAgeYears != null ? years(e.minAgeYears) : undefined,
        high: e.maxAgeYears != null ? years(e.maxAgeYears) : undefined,
      }),
      exclude: false,
    });
  }
  characteristic.push({ code: { text: "Healthy volunteers" }, valueBoolean: e.healthyVolunteers, exclude: false });
  const criteria = (text: Partial<Record<Language, string | null | undefined>>, label: string, exclude: boolean) => {
    if (!text.nb) return;
    characteristic.push({
      code: { text: label },
      valueCodeableConcept: compact({ text: text.nb, _text: translations(text) }),
      exclude,
    });
  };
  criteria(e.inclusionCriteria, "Inclusion criteria", false);
  criteria(e.exclusionCriteria, "Exclusion criteria", true);
  return compact({
    resourceType: "Group",
    id: CONTAINED_ID.eligibility,
    type: "person",
    actual: false,
    quantity: study.targetEnrolment ?? undefined,
    characteristic,
  });
}

const TEST_DATA_TAG_SYSTEM = "http://terminology.hl7.org/CodeSystem/v3-ActReason";

function narrative(study: StudyRecord, status: StudyStatus, sites: SiteRecord[], now: Date): FhirJson {
  const window = (s: SiteRecord) => `${s.inclusionStart ?? "?"} – ${s.inclusionEnd ?? ""}`.trim();
  const items = sites
    .map(
      (s) =>
        `<li>${escapeXml(siteDisplayName(s))}: ${escapeXml(siteStatusText(s, now))} (${escapeXml(window(s))})</li>`,
    )
    .join("");
  return {
    status: "generated",
    div: `<div xmlns="http://www.w3.org/1999/xhtml">${study.isDemo ? "<p>Demodata: en fiktiv demostudie.</p>" : ""}<p><b>${escapeXml(study.title.nb)}</b></p><p>${escapeXml(STATUS_LABEL[status])}</p>${items ? `<ul>${items}</ul>` : ""}</div>`,
  };
}

/** The FHIR R4 ResearchStudy for a study at `now`. */
export function toResearchStudy(study: StudyRecord, options: ResearchStudyOptions): FhirJson {
  const { now } = options;
  const today = osloDate(now);
  const sites = activeSites(study);
  const status = studyStatus(sites, now);
  const overall = overallWindow(sites);
  const started = sites.some((s) => s.inclusionStart != null && s.inclusionStart <= today);
  const portalUrl = options.portalUrl.replace(/\/+$/, "");

  const identifier: FhirJson[] = [];
  for (const key of REGISTRY_KEYS) {
    const value = study.identifiers[key];
    if (value) identifier.push({ system: IDENTIFIER_SYSTEM[key], value });
  }
  for (const l of study.localIds)
    identifier.push({ system: `${LOCAL_ID_SYSTEM_PREFIX}${l.organisationId}`, value: l.localId });

  const label = study.shortTitle.nb
    ? [
        {
          url: EXTENSION.r5Label,
          extension: [
            {
              url: "type",
              valueCodeableConcept: {
                coding: [
                  { system: TITLE_TYPE_SYSTEM, code: "acronym", display: "Acronym" },
                  { system: ECLAIRE_CODE_SYSTEM.titleType, code: "acronym", display: "Acronym" },
                ],
              },
            },
            { url: "value", valueString: study.shortTitle.nb, _valueString: translations(study.shortTitle) },
          ].map((e) => compact(e)),
        },
      ]
    : [];

  // The source's own first publication (ClinicalTrials.gov "First Posted"), when it gives one. R4
  // has no element for it: the HL7 study-registration extension, activity "registration-posting".
  // `actual` only when the source says ACTUAL: its ESTIMATED is not the extension's "anticipated".
  const firstPosted = study.firstPosted
    ? [
        {
          url: EXTENSION.studyRegistration,
          extension: [
            {
              url: "activity",
              valueCodeableConcept: {
                coding: [
                  { system: REGISTRATION_ACTIVITY_SYSTEM, code: REGISTRATION_POSTING, display: "Registration posting" },
                ],
              },
            },
            ...(study.firstPosted.type === "actual" ? [{ url: "actual", valueBoolean: true }] : []),
            { url: "period", valuePeriod: { start: study.firstPosted.date } },
          ],
        },
      ]
    : [];

  const recruitment = {
    url: EXTENSION.r5Recruitment,
    extension: [
      ...(study.targetEnrolment != null ? [{ url: "targetNumber", valueUnsignedInt: study.targetEnrolment }] : []),
      { url: "eligibility", valueReference: { reference: `#${CONTAINED_ID.eligibility}` } },
    ],
  };

  const contained: FhirJson[] = [eligibilityGroup(study)];
  if (study.sponsor) contained.push({ resourceType: "Organization", id: CONTAINED_ID.sponsor, name: study.sponsor });
  if (study.principalInvestigator) {
    const pi = study.principalInvestigator;
    contained.push(
      compact({
        resourceType: "Practitioner",
        id: CONTAINED_ID.principalInvestigator,
        name: [{ text: pi.name }],
        qualification: pi.title ? [{ code: { text: pi.title } }] : undefined,
      }),
    );
  }
  for (const site of sites)
    contained.push(locationFor(site, site.organisationId ? options.orgnr?.get(site.organisationId) : undefined));
  for (const site of sites) contained.push(siteStudyFor(site, now, today));

  const condition: FhirJson[] = [
    ...study.conditions.map((text) => ({ text })),
    ...study.icd10.map((code) => ({ coding: [{ system: ICD10_NO_SYSTEM, code }] })),
    ...study.snomed.map((code) => ({ coding: [{ system: SNOMED_SYSTEM, code }] })),
  ];

  const category: FhirJson[] = [
    // A draft may have no type yet (ADR 0028); published studies, which FHIR shows, always have one.
    ...(study.studyType
      ? [
          {
            coding: [
              { system: STUDY_TYPE_SYSTEM, code: study.studyType, display: STUDY_TYPE_DISPLAY[study.studyType] },
            ],
          },
        ]
      : []),
    ...study.categories.map((c) => ({
      coding: [{ system: HRCS_CATEGORY_SYSTEM, code: c, display: study.categoryNames[c] ?? c }],
    })),
  ];

  const contact = study.contacts.map((c) =>
    compact({
      extension: [
        {
          url: EXTENSION.eclaireContactType,
          valueCodeableConcept: {
            coding: [
              c.role === "scientific"
                ? { system: ECLAIRE_CODE_SYSTEM.contactType, code: "SCI", display: "Scientifique / Scientific" }
                : { system: ECLAIRE_CODE_SYSTEM.contactType, code: "PUB", display: "Publique / Public" },
            ],
          },
        },
      ],
      name: c.name,
      telecom: [
        ...(c.email ? [{ system: "email", value: c.email, use: "work" }] : []),
        ...(c.phone ? [{ system: "phone", value: c.phone, use: "work" }] : []),
      ],
    }),
  );

  const relatedArtifact: FhirJson[] = [
    { type: "documentation", label: "Studien på Kliniske studier", url: `${portalUrl}/studier/${study.id}` },
    ...publicLinks(study.links).map((l) => ({ type: "documentation", label: l.label, url: l.url })),
  ];

  return compact({
    resourceType: "ResearchStudy",
    id: String(study.id),
    meta: compact({
      lastUpdated: effectiveLastUpdated(study.updatedAt, sites, now),
      // The project's fictional demo studies are marked as test data, here as everywhere.
      tag: study.isDemo ? [{ system: TEST_DATA_TAG_SYSTEM, code: "HTEST", display: "test health data" }] : undefined,
    }),
    language: "nb",
    text: narrative(study, status, sites, now),
    contained,
    extension: [
      ...label,
      ...recruitmentExtensions(overall, status, started, status === "paused"),
      recruitment,
      ...firstPosted,
    ],
    identifier,
    title: study.title.nb,
    _title: translations(study.title),
    status: r4StatusOfStudy(status),
    primaryPurposeType:
      study.studyType === "treatment"
        ? { coding: [{ system: PRIMARY_PURPOSE_SYSTEM, code: "treatment", display: "Treatment" }] }
        : undefined,
    phase: study.phase ? { coding: [{ system: PHASE_SYSTEM, code: PHASE_TO_FHIR[study.phase] }] } : undefined,
    category,
    focus: study.interventions.map((i) => compact({ text: i.name })),
    condition,
    contact,
    relatedArtifact,
    description: study.summary.nb ?? undefined,
    _description: translations(study.summary),
    enrollment: [{ reference: `#${CONTAINED_ID.eligibility}` }],
    sponsor: study.sponsor ? { reference: `#${CONTAINED_ID.sponsor}`, display: study.sponsor } : undefined,
    principalInvestigator: study.principalInvestigator
      ? { reference: `#${CONTAINED_ID.principalInvestigator}`, display: study.principalInvestigator.name }
      : undefined,
    site: sites.map((s) => ({
      reference: `#${CONTAINED_ID.location(s.id)}`,
      display: s.hospitalName ?? s.organisationName,
    })),
    location: sites.length
      ? [{ coding: [{ system: ISO_3166_SYSTEM, code: "NO", display: "Norway" }], text: "Countries of recruitment" }]
      : undefined,
  });
}
