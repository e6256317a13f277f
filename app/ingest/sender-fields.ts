/**
 * Field paths in the sender's own terms. The study is validated in the portal's internal shape
 * (studyInputSchema: "sites.0.inclusionStart"), but the sender wrote its own format: a native
 * sender must be told "studiesteder[0].inklusjon_start", a ClinicalTrials.gov sender
 * "protocolSection.statusModule.startDateStruct.date", a CSV sender the column name.
 *
 * Each format has a table from internal path patterns ("#" = a list index) to the sender's path
 * ("[#]" gets the index back). The longest matching prefix wins; a path in no table is already
 * the sender's own (mappers name source fields themselves) and is only given list brackets.
 */
import type { IngestFormat, Rejection } from "./types";

type Table = Record<string, string>;

const NATIVE: Table = {
  "(hele studien)": "(studien)",
  identifiers: "identifikatorer",
  "identifiers.nct": "identifikatorer.nct",
  "identifiers.euCt": "identifikatorer.eu_ct",
  "identifiers.eudract": "identifikatorer.eudract",
  "identifiers.isrctn": "identifikatorer.isrctn",
  "identifiers.rek": "identifikatorer.rek",
  localIds: "id",
  title: "tittel",
  "title.nb": "tittel",
  "title.nn": "tittel_nn",
  "title.en": "tittel_en",
  shortTitle: "kort_tittel",
  summary: "sammendrag",
  "summary.nn": "sammendrag_nn",
  "summary.en": "sammendrag_en",
  scientificSummary: "vitenskapelig_sammendrag",
  participation: "deltakelse",
  studyType: "studietype",
  phase: "fase",
  categories: "kategorier",
  conditions: "relaterte_diagnoser",
  icd10: "icd10",
  "icd10.#": "icd10[#]",
  snomed: "relaterte_diagnoser",
  "snomed.#": "relaterte_diagnoser[#]",
  interventions: "relaterte_behandlinger",
  "interventions.#": "relaterte_behandlinger[#]",
  "eligibility.minAgeYears": "alder_min",
  "eligibility.maxAgeYears": "alder_maks",
  "eligibility.sex": "kjonn",
  "eligibility.healthyVolunteers": "friske_frivillige",
  "eligibility.inclusionCriteria": "inklusjonskriterier",
  "eligibility.exclusionCriteria": "eksklusjonskriterier",
  sponsor: "sponsor",
  leadOrganisationId: "utfort_av",
  principalInvestigator: "studieansvarlig",
  "principalInvestigator.name": "studieansvarlig.navn",
  "principalInvestigator.title": "studieansvarlig.tittel",
  contacts: "kontakter",
  "contacts.#": "kontakter[#]",
  "contacts.#.name": "kontakter[#].navn",
  "contacts.#.email": "kontakter[#].epost",
  "contacts.#.phone": "kontakter[#].telefon",
  links: "lenke",
  targetEnrolment: "antall_deltakere",
  sites: "studiesteder",
  "sites.#": "studiesteder[#]",
  "sites.#.organisationId": "studiesteder[#].foretak",
  "sites.#.hospitalId": "studiesteder[#].sykehus",
  "sites.#.inclusionStart": "studiesteder[#].inklusjon_start",
  "sites.#.inclusionEnd": "studiesteder[#].inklusjon_slutt",
  "sites.#.paused": "studiesteder[#].pause",
  "sites.#.pauseReason": "studiesteder[#].pause_arsak",
  "sites.#.contact": "studiesteder[#].kontakt",
  "sites.#.contact.name": "studiesteder[#].kontakt.navn",
  "sites.#.contact.email": "studiesteder[#].kontakt.epost",
  "sites.#.contact.phone": "studiesteder[#].kontakt.telefon",
  "sites.#.referral": "studiesteder[#].henvisning",
  publicationState: "publisert",
  isDemo: "(studien)",
};

/** Internal → ClinicalTrials.gov API v2. List indices are left out: the mapper filters lists (only Norwegian locations, only named interventions). */
const CTGOV: Table = {
  "(hele studien)": "(hele studien)",
  identifiers: "protocolSection.identificationModule.secondaryIdInfos",
  "identifiers.nct": "protocolSection.identificationModule.nctId",
  localIds: "protocolSection.identificationModule.nctId",
  title: "protocolSection.identificationModule.briefTitle",
  shortTitle: "protocolSection.identificationModule.acronym",
  summary: "protocolSection.descriptionModule.briefSummary",
  scientificSummary: "protocolSection.descriptionModule.detailedDescription",
  conditions: "protocolSection.conditionsModule.conditions",
  studyType: "protocolSection.designModule.studyType",
  phase: "protocolSection.designModule.phases",
  targetEnrolment: "protocolSection.designModule.enrollmentInfo.count",
  "eligibility.minAgeYears": "protocolSection.eligibilityModule.minimumAge",
  "eligibility.maxAgeYears": "protocolSection.eligibilityModule.maximumAge",
  "eligibility.sex": "protocolSection.eligibilityModule.sex",
  "eligibility.healthyVolunteers": "protocolSection.eligibilityModule.healthyVolunteers",
  "eligibility.inclusionCriteria": "protocolSection.eligibilityModule.eligibilityCriteria",
  "eligibility.exclusionCriteria": "protocolSection.eligibilityModule.eligibilityCriteria",
  interventions: "protocolSection.armsInterventionsModule.interventions",
  "interventions.#.name": "protocolSection.armsInterventionsModule.interventions.name",
  "interventions.#.description": "protocolSection.armsInterventionsModule.interventions.description",
  sponsor: "protocolSection.sponsorCollaboratorsModule.leadSponsor.name",
  leadOrganisationId: "protocolSection.sponsorCollaboratorsModule.leadSponsor.name",
  principalInvestigator: "protocolSection.contactsLocationsModule.overallOfficials",
  contacts: "protocolSection.contactsLocationsModule.centralContacts",
  "contacts.#.name": "protocolSection.contactsLocationsModule.centralContacts.name",
  "contacts.#.email": "protocolSection.contactsLocationsModule.centralContacts.email",
  "contacts.#.phone": "protocolSection.contactsLocationsModule.centralContacts.phone",
  links: "protocolSection.identificationModule.nctId",
  sites: "protocolSection.contactsLocationsModule.locations",
  "sites.#.inclusionStart": "protocolSection.statusModule.startDateStruct.date",
  "sites.#.inclusionEnd": "protocolSection.statusModule.primaryCompletionDateStruct.date",
  "sites.#.contact": "protocolSection.contactsLocationsModule.locations.contacts",
  "sites.#.pauseReason": "protocolSection.statusModule.overallStatus",
};

/** The v2 modules the CT.gov mapper names without the "protocolSection." in front. */
const CTGOV_MODULE =
  /^(identificationModule|statusModule|descriptionModule|conditionsModule|designModule|eligibilityModule|armsInterventionsModule|sponsorCollaboratorsModule|contactsLocationsModule)\b/;

/** ClinicalTrials.gov v2 path → the column of the website's "Download CSV" it came from (ctgov-csv.ts builds v2 from these). */
const CTGOV_CSV: Table = {
  "(hele studien)": "(hele raden)",
  protocolSection: "(hele raden)",
  "protocolSection.identificationModule": "NCT Number",
  "protocolSection.identificationModule.nctId": "NCT Number",
  "protocolSection.identificationModule.briefTitle": "Study Title",
  "protocolSection.identificationModule.acronym": "Acronym",
  "protocolSection.identificationModule.secondaryIdInfos": "Other IDs",
  "protocolSection.statusModule": "Study Status",
  "protocolSection.statusModule.overallStatus": "Study Status",
  "protocolSection.statusModule.startDateStruct": "Start Date",
  "protocolSection.statusModule.primaryCompletionDateStruct": "Primary Completion Date",
  "protocolSection.statusModule.completionDateStruct": "Completion Date",
  "protocolSection.statusModule.lastUpdatePostDateStruct": "Last Update Posted",
  "protocolSection.descriptionModule": "Brief Summary",
  "protocolSection.conditionsModule": "Conditions",
  "protocolSection.designModule": "Study Type",
  "protocolSection.designModule.studyType": "Study Type",
  "protocolSection.designModule.phases": "Phases",
  "protocolSection.designModule.enrollmentInfo": "Enrollment",
  "protocolSection.eligibilityModule": "Age",
  "protocolSection.eligibilityModule.sex": "Sex",
  "protocolSection.armsInterventionsModule": "Interventions",
  "protocolSection.sponsorCollaboratorsModule": "Sponsor",
  "protocolSection.contactsLocationsModule": "Locations",
};

const CTIS_CSV: Table = {
  "(hele studien)": "(hele raden)",
  identifiers: "Trial number",
  localIds: "Trial number",
  links: "Trial number",
  title: "Title of the trial",
  conditions: "Medical conditions",
  phase: "Trial phase",
  targetEnrolment: "Number of participants enrolled",
  "eligibility.minAgeYears": "Age group",
  "eligibility.maxAgeYears": "Age group",
  "eligibility.sex": "Gender",
  sponsor: "Sponsor/Co-Sponsors",
  sites: "Location(s) and recruitment status",
  "sites.#.inclusionStart": "Start date",
  "sites.#.inclusionEnd": "End date",
};

const FHIR: Table = {
  "(hele studien)": "ResearchStudy",
  identifiers: "ResearchStudy.identifier",
  localIds: "ResearchStudy.id",
  title: "ResearchStudy.title",
  shortTitle: "ResearchStudy.extension(label)",
  summary: "ResearchStudy.description",
  conditions: "ResearchStudy.condition",
  icd10: "ResearchStudy.condition",
  snomed: "ResearchStudy.condition",
  studyType: "ResearchStudy.primaryPurposeType",
  phase: "ResearchStudy.phase",
  targetEnrolment: "ResearchStudy.enrollment",
  eligibility: "ResearchStudy.enrollment",
  sponsor: "ResearchStudy.sponsor",
  principalInvestigator: "ResearchStudy.principalInvestigator",
  contacts: "ResearchStudy.contact",
  links: "ResearchStudy.id",
  sites: "ResearchStudy.site",
  "sites.#": "ResearchStudy.site[#]",
  "sites.#.inclusionStart": "ResearchStudy.extension(recruitment-period).valuePeriod.start",
  "sites.#.inclusionEnd": "ResearchStudy.extension(recruitment-period).valuePeriod.end",
  "sites.#.pauseReason": "ResearchStudy.reasonStopped",
};

function lookup(table: Table, path: string): string | null {
  const segments = path.split(".");
  for (let n = segments.length; n > 0; n--) {
    const prefix = segments.slice(0, n);
    const target = table[prefix.map((s) => (/^\d+$/.test(s) ? "#" : s)).join(".")];
    if (target == null) continue;
    const indices = prefix.filter((s) => /^\d+$/.test(s));
    let i = 0;
    return target.replace(/#/g, () => indices[i++] ?? "#");
  }
  return null;
}

/** "studiesteder.0.inklusjon_start" → "studiesteder[0].inklusjon_start". */
const brackets = (path: string) => path.replace(/\.(\d+)(?=\.|$)/g, "[$1]");

function ctgovPath(path: string): string | null {
  const known = lookup(CTGOV, path);
  if (known) return known;
  return CTGOV_MODULE.test(path) ? `protocolSection.${path}` : null;
}

/** The internal (or mapper-given) path → the path in the sender's format; null when the path is not one we know. */
function translated(format: IngestFormat, path: string): string | null {
  switch (format) {
    case "native":
      return lookup(NATIVE, path);
    case "ctgov-json":
      return ctgovPath(path);
    case "ctgov-csv": {
      const v2 = ctgovPath(path) ?? (path.startsWith("protocolSection") ? path : null);
      return v2 ? (lookup(CTGOV_CSV, v2) ?? v2) : null;
    }
    case "ctis-csv":
      return lookup(CTIS_CSV, path);
    case "fhir":
      return lookup(FHIR, path);
  }
}

export function senderFieldPath(format: IngestFormat, path: string): string {
  return translated(format, path) ?? brackets(path);
}

/** "path: why; path: why" — the form mappers and the study model use to list several problems in one message. */
const MESSAGE_PATH = /(^|; )([A-Za-z][A-Za-z0-9_.]*|\(hele studien\)): /g;

/** The rejection with its field, and any field paths its message lists, in the sender's terms. */
export function inSenderTerms<R extends Pick<Rejection, "field" | "message">>(format: IngestFormat, rejection: R): R {
  const message = rejection.message.replace(MESSAGE_PATH, (whole, lead: string, path: string) => {
    const sender = translated(format, path);
    return sender ? `${lead}${sender}: ` : whole;
  });
  return { ...rejection, field: senderFieldPath(format, rejection.field), message };
}
