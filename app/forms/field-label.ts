/** What people call each field of the study form, in the page's language: for the error summary at the top. */
import type { MessageKey } from "#app/i18n/messages/nb";
import type { Translator } from "#app/i18n/translate";

const PARTS = new Set(["organisationId", "hospitalId", "inclusionStart", "inclusionEnd", "referral"]);
const CONTACT_PARTS = new Set(["name", "email", "phone", "role"]);

const LABELS: Record<string, MessageKey> = {
  "": "form.label.study",
  studie: "form.label.study",
  leadOrganisationId: "form.label.leadOrganisationId",
  "identifiers.rek": "form.label.rek",
  "identifiers.nct": "form.label.nct",
  "identifiers.euCt": "form.label.euCt",
  "identifiers.eudract": "form.label.eudract",
  "identifiers.isrctn": "form.label.isrctn",
  "title.nb": "form.label.title.nb",
  "title.nn": "form.label.title.nn",
  "title.en": "form.label.title.en",
  "summary.nb": "form.label.summary.nb",
  "summary.nn": "form.label.summary.nn",
  "summary.en": "form.label.summary.en",
  "participation.nb": "form.label.participation.nb",
  "participation.nn": "form.label.participation.nn",
  "participation.en": "form.label.participation.en",
  "principalInvestigator.name": "form.label.pi.name",
  "principalInvestigator.title": "form.label.pi.title",
  studyType: "form.label.studyType",
  phase: "form.label.phase",
  categories: "form.label.categories",
  icd10: "form.label.icd10",
  "eligibility.minAgeYears": "form.label.minAge",
  "eligibility.maxAgeYears": "form.label.maxAge",
  "eligibility.sex": "form.label.sex",
  "eligibility.inclusionCriteria.nb": "form.label.inclusion.nb",
  "eligibility.inclusionCriteria.en": "form.label.inclusion.en",
  "eligibility.exclusionCriteria.nb": "form.label.exclusion.nb",
  "eligibility.exclusionCriteria.en": "form.label.exclusion.en",
  sites: "form.label.sites",
  contacts: "form.label.contacts",
};

export function fieldLabel(name: string, tr: Translator): string {
  const { t } = tr;
  const part = (p: string | undefined, known: Set<string>) =>
    p && known.has(p) ? t(`form.part.${p}` as MessageKey) : null;
  const site = /^sites\[(\d+)\](?:\.(\w+))?$/.exec(name);
  if (site) {
    const n = Number(site[1]) + 1;
    const which = part(site[2], PARTS);
    return which ? t("form.label.sitePart", { n, part: which }) : t("form.label.site", { n });
  }
  const siteContact = /^sites\[(\d+)\]\.contact(?:\.(\w+))?$/.exec(name);
  if (siteContact) {
    const n = Number(siteContact[1]) + 1;
    const which = part(siteContact[2], CONTACT_PARTS);
    return which ? t("form.label.siteContactPart", { n, part: which }) : t("form.label.siteContact", { n });
  }
  const contact = /^contacts\[(\d+)\](?:\.(\w+))?$/.exec(name);
  if (contact) {
    const n = Number(contact[1]) + 1;
    const which = part(contact[2], CONTACT_PARTS);
    return which ? t("form.label.contactPart", { n, part: which }) : t("form.label.contact", { n });
  }
  if (/^icd10(\[\d+\])?$/.test(name)) return t("form.label.icd10");
  const key = LABELS[name];
  return key ? t(key) : name;
}

/**
 * A model problem's field ("sites.1.inclusionEnd") by the name people know it by, or null for a
 * problem about the whole study or an internal field ("study", "reviewedVersion").
 */
export function problemFieldLabel(path: string, tr: Translator): string | null {
  const name = path.replace(/\.(\d+)(?=\.|$)/g, "[$1]");
  if (!name) return null;
  const label = fieldLabel(name, tr);
  return label === name ? null : label;
}
