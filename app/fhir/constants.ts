/**
 * URIs the FHIR endpoint writes and reads: identifier systems, code systems and extension URLs.
 * Pure constants, shared by the export (research-study.ts), the search parameters and the FHIR
 * ingest mapper (app/ingest/mappers/fhir-research-study.ts), so that what we write is what we read.
 */

export const FHIR_VERSION = "4.0.1";
export const FHIR_JSON = "application/fhir+json";

/**
 * The portal's own canonical namespace for the naming systems and code systems only it defines
 * (organisation/hospital ids, local study ids, study types, HRCS categories). A stable name, not a
 * deployment address: it does not change with BASE_URL.
 */
export const PORTAL_NAMESPACE = "https://kliniskestudier.no/fhir";

/** Registry identifier systems (documented in README "FHIR"). */
export const IDENTIFIER_SYSTEM = {
  nct: "https://clinicaltrials.gov",
  euCt: "https://euclinicaltrials.eu",
  eudract: "https://eudract.ema.europa.eu",
  isrctn: "https://www.isrctn.com",
  rek: "https://rekportalen.no",
} as const;
export type RegistryKey = keyof typeof IDENTIFIER_SYSTEM;
export const REGISTRY_KEYS = Object.keys(IDENTIFIER_SYSTEM) as RegistryKey[];

/** An organisation's own id for a study: the system ends with the organisation id. */
export const LOCAL_ID_SYSTEM_PREFIX = `${PORTAL_NAMESPACE}/sid/local-id/`;
/** Portal organisation ids ("ous") and hospital ids ("ous-rikshospitalet") on Location.identifier. */
export const ORGANISATION_ID_SYSTEM = `${PORTAL_NAMESPACE}/sid/organisation`;
export const HOSPITAL_ID_SYSTEM = `${PORTAL_NAMESPACE}/sid/hospital`;
/** Norwegian organisation numbers (Enhetsregisteret). */
export const ORGNR_SYSTEM = "urn:oid:2.16.578.1.12.4.1.4.101";

export const ICD10_NO_SYSTEM = "urn:oid:2.16.578.1.12.4.1.1.7110";
export const ICD10_WHO_SYSTEM = "http://hl7.org/fhir/sid/icd-10";
export const SNOMED_SYSTEM = "http://snomed.info/sct";
/** ICPC-2 in the Norwegian code registry (Volven 7170), and the URI some systems use for it. */
export const ICPC2_NO_SYSTEM = "urn:oid:2.16.578.1.12.4.1.1.7170";
export const ICPC2_URI_SYSTEM = "http://hl7.org/fhir/sid/icpc-2";
export const ISO_3166_SYSTEM = "urn:iso:std:iso:3166";
export const UCUM_SYSTEM = "http://unitsofmeasure.org";
export const ADMINISTRATIVE_GENDER_SYSTEM = "http://hl7.org/fhir/administrative-gender";

export const R4_STUDY_STATUS_SYSTEM = "http://hl7.org/fhir/research-study-status";
/** R5's ResearchStudy progress states (same URI as R4's status code system, more codes). */
export const R5_STUDY_STATUS_SYSTEM = "http://hl7.org/fhir/research-study-status";
export const PHASE_SYSTEM = "http://terminology.hl7.org/CodeSystem/research-study-phase";
export const PRIMARY_PURPOSE_SYSTEM = "http://terminology.hl7.org/CodeSystem/research-study-prim-purp-type";
export const TITLE_TYPE_SYSTEM = "http://hl7.org/fhir/title-type";
/** Codes of ResearchStudy registration activities; "registration-posting": the record was first published. */
export const REGISTRATION_ACTIVITY_SYSTEM = "http://hl7.org/fhir/research-study-registration-activity";
export const REGISTRATION_POSTING = "registration-posting";
export const STUDY_TYPE_SYSTEM = `${PORTAL_NAMESPACE}/CodeSystem/study-type`;
export const HRCS_CATEGORY_SYSTEM = `${PORTAL_NAMESPACE}/CodeSystem/hrcs-category`;

const ECLAIRE = "https://interop.esante.gouv.fr/ig/fhir/eclaire";
export const ECLAIRE_CODE_SYSTEM = {
  titleType: `${ECLAIRE}/CodeSystem/eclaire-study-title-type-code-system`,
  contactType: `${ECLAIRE}/CodeSystem/eclaire-type-contact-code-system`,
  recruitmentStatus: `${ECLAIRE}/CodeSystem/eclaire-status-recruitment-code-system`,
} as const;

export const EXTENSION = {
  /** ECLAIRE: the recruitment period of a ResearchStudy (valuePeriod); context ResearchStudy. */
  eclaireRecruitmentPeriod: `${ECLAIRE}/StructureDefinition/eclaire-recruitment-period`,
  /** ECLAIRE: recruitment status (valueCodeableConcept: recruiting | completed-recruiting). */
  eclaireRecruitmentStatus: `${ECLAIRE}/StructureDefinition/eclaire-recruitment-status`,
  eclaireContactType: `${ECLAIRE}/StructureDefinition/eclaire-contact-type`,
  /** ECLAIRE: the name of a site contact, on Location.telecom. */
  eclaireSiteContactName: `${ECLAIRE}/StructureDefinition/eclaire-site-contact-name`,
  /** R5 elements for use in R4 (cross-version extensions), as ECLAIRE uses for label. */
  r5Label: "http://hl7.org/fhir/5.0/StructureDefinition/extension-ResearchStudy.label",
  r5ProgressStatus: "http://hl7.org/fhir/5.0/StructureDefinition/extension-ResearchStudy.progressStatus",
  r5Recruitment: "http://hl7.org/fhir/5.0/StructureDefinition/extension-ResearchStudy.recruitment",
  /**
   * The portal's own: when a site's dates (or declared status) were last confirmed (sub-extensions
   * date: valueDate, Europe/Oslo; basis: valueCode user | feed | seed | system | backfill). ADR 0019.
   */
  siteConfirmation: `${PORTAL_NAMESPACE}/StructureDefinition/site-confirmation`,
  /**
   * HL7 Extensions Pack (R5 context ResearchStudy, used here in R4 like the R5 backports above):
   * dates of registry activities — sub-extensions activity (CodeableConcept), actual (boolean) and
   * period. The source's first publication is activity "registration-posting" (ADR 0028).
   */
  studyRegistration: "http://hl7.org/fhir/StructureDefinition/researchStudy-studyRegistration",
  /** Core R4: a translation of a string element (sub-extensions lang, content). */
  translation: "http://hl7.org/fhir/StructureDefinition/translation",
} as const;

/** Contained resource ids inside an exported ResearchStudy. */
export const CONTAINED_ID = {
  eligibility: "eligibility",
  sponsor: "sponsor",
  principalInvestigator: "principal-investigator",
  location: (siteId: number) => `location-${siteId}`,
  siteStudy: (siteId: number) => `site-${siteId}`,
} as const;
