/**
 * The researcher's register/edit form (/forsker/studier/ny, /forsker/studier/:id/rediger).
 *
 * Its schema is picked from the study schema every other boundary validates with
 * (`studyFields` in ./study): a field is checked the same way here, in the API and in ingestion.
 * What the form adds is what only a person filling it in needs: a list of ICD-10 codes typed as
 * text (so the field works without JavaScript) and — only when sending for approval — what
 * publishing needs (REK, type of study, a site with both inclusion dates, a plain-language
 * summary). "Lagre utkast" needs only a title: the rest can be filled in later. `formToStudy` maps the form's values onto a study record; `studyToForm`
 * fills the form from one. Pure: used by the page in the browser and by the action on the server;
 * parsing a submission with the form library is in app/forms/study-form.ts.
 */
import { z } from "zod";
import {
  checkDuplicateSites,
  checkSite,
  contactSchema,
  identifiersSchema,
  principalInvestigatorSchema,
  siteFields,
  studyFields,
  type Study,
  type StudyInput,
} from "./study";

export const FORM_INTENTS = ["draft", "submit"] as const;
export type FormIntent = (typeof FORM_INTENTS)[number];

const REK_REQUIRED =
  "Skriv REK-nummeret før du sender studien til godkjenning: alle norske studier må ha godkjenning fra REK.";

/** "C50, C50.9 ; d05" → ["C50", "C509", "D05"]: the plain text field without JavaScript. */
export function splitIcd10(value: unknown): unknown {
  if (typeof value !== "string") return value;
  return value
    .split(/[\s,;]+/)
    .map((code) => code.replace(/\./g, "").toUpperCase())
    .filter(Boolean);
}

/** A group of fields left wholly empty (Conform drops empty strings): "none", not a half-filled record. */
function emptyGroup(value: unknown): unknown {
  if (value == null) return null;
  if (typeof value !== "object" || Array.isArray(value)) return value;
  const filled = Object.values(value as Record<string, unknown>).some((v) => typeof v === "string" && v.trim() !== "");
  return filled ? value : null;
}

/** A site's contact as the public pages show it (name, phone, e-mail); all three empty is no contact. */
const formSiteContact = z.preprocess(emptyGroup, contactSchema.nullable()).optional().default(null);

const formSite = siteFields
  .pick({ organisationId: true, hospitalId: true, inclusionStart: true, inclusionEnd: true, referral: true })
  .extend({ contact: formSiteContact })
  .superRefine(checkSite);

/** The principal investigator (name and title); an empty name with an empty title is none. */
const formPrincipalInvestigator = z
  .preprocess(emptyGroup, principalInvestigatorSchema.pick({ name: true, title: true }).nullable())
  .optional()
  .default(null);

export const studyFormSchema = z
  .object({
    intent: z.enum(FORM_INTENTS).catch("draft"),
    leadOrganisationId: studyFields.shape.leadOrganisationId,
    identifiers: identifiersSchema,
    title: studyFields.shape.title,
    summary: studyFields.shape.summary,
    participation: studyFields.shape.participation,
    principalInvestigator: formPrincipalInvestigator,
    // A draft may leave the type open (help text: "Du kan lagre et utkast og fortsette senere");
    // sending for approval needs it (below).
    studyType: studyFields.shape.studyType.optional(),
    phase: studyFields.shape.phase,
    categories: studyFields.shape.categories,
    icd10: z.preprocess(splitIcd10, studyFields.shape.icd10),
    eligibility: studyFields.shape.eligibility,
    contacts: studyFields.shape.contacts,
    sites: z.array(formSite).max(200, "Høyst 200 studiesteder.").default([]),
  })
  .superRefine(
    (form, ctx) => {
      // Runs even when a field above has a problem (`when` below, so a submit with an empty title
      // also names the missing REK number): read defensively.
      if (Array.isArray(form.sites)) checkDuplicateSites(form.sites, ctx);
      if (form.intent !== "submit") return;
      // Sending for approval needs what publishing needs (missingForPublishing), each on its field.
      if (!form.identifiers?.rek) ctx.addIssue({ code: "custom", path: ["identifiers", "rek"], message: REK_REQUIRED });
      if (!form.studyType) {
        ctx.addIssue({
          code: "custom",
          path: ["studyType"],
          message: "Velg type studie før du sender studien til godkjenning.",
        });
      }
      if (Array.isArray(form.sites) && form.sites.length === 0) {
        ctx.addIssue({ code: "custom", path: ["sites"], message: "Legg til minst ett studiested." });
      }
      if (!form.summary?.nb) {
        ctx.addIssue({
          code: "custom",
          path: ["summary", "nb"],
          message: "Skriv et sammendrag i klarspråk på bokmål før du sender studien til godkjenning.",
        });
      }
      const sites = Array.isArray(form.sites) ? form.sites : [];
      if (sites.length > 0 && !sites.some((s) => s?.inclusionStart && s?.inclusionEnd)) {
        ctx.addIssue({
          code: "custom",
          path: ["sites", 0, "inclusionEnd"],
          message:
            "Minst ett studiested må ha både inklusjonsstart og inklusjonsslutt før studien sendes til godkjenning.",
        });
      }
    },
    { when: () => true },
  );

export type StudyFormValues = z.output<typeof studyFormSchema>;

/** "kan ikke være tom" → "Kan ikke være tom.": the schema's terse messages as sentences next to a field. */
export function sentence(message: string): string {
  const m = message.trim();
  if (!m) return m;
  const upper = m[0]!.toLocaleUpperCase("nb") + m.slice(1);
  return /[.!?]$/.test(upper) ? upper : `${upper}.`;
}

/** Field names in the form (Conform's notation, e.g. `sites[1].inclusionEnd`) from a model problem's dotted path. */
export function formFieldName(path: string): string {
  return path.replace(/\.(\d+)(?=\.|$)/g, "[$1]");
}

const EMPTY_STUDY: Omit<StudyInput, "leadOrganisationId" | "title" | "studyType"> = {
  shortTitle: {},
  scientificSummary: {},
  participation: {},
  publicationState: "draft",
};

/**
 * The study record the form describes. Fields the form does not show (SNOMED CT ids,
 * interventions, links, the short and scientific texts, each site's further contacts and pause …)
 * come from `base`, the study
 * as it is now, so editing never drops them; the model decides what of the sites may change.
 */
export function formToStudy(form: StudyFormValues, base: Study | null): StudyInput {
  const start: StudyInput = base ?? {
    ...EMPTY_STUDY,
    leadOrganisationId: form.leadOrganisationId,
    title: { nb: "" },
    // A draft without a chosen type stays without one (null, ADR 0028) until the researcher
    // chooses; sending for approval requires the choice in the form.
    studyType: form.studyType ?? null,
  };
  const sitesBefore = new Map((base?.sites ?? []).map((s) => [`${s.organisationId}/${s.hospitalId ?? ""}`, s]));
  return {
    ...start,
    leadOrganisationId: form.leadOrganisationId,
    identifiers: { ...form.identifiers },
    title: { ...start.title, nb: form.title.nb, nn: form.title.nn ?? null, en: form.title.en ?? null },
    summary: {
      ...start.summary,
      nb: form.summary.nb ?? null,
      nn: form.summary.nn ?? null,
      en: form.summary.en ?? null,
    },
    participation: {
      ...start.participation,
      nb: form.participation.nb ?? null,
      nn: form.participation.nn ?? null,
      en: form.participation.en ?? null,
    },
    // The form has the name and title; the organisation a source linked the investigator to stays.
    principalInvestigator: form.principalInvestigator
      ? {
          organisationId: base?.principalInvestigator?.organisationId ?? null,
          name: form.principalInvestigator.name,
          title: form.principalInvestigator.title ?? null,
        }
      : null,
    // A draft may go back to "not chosen"; a submitted or published study keeps its type.
    studyType: form.studyType ?? (start.publicationState === "draft" ? null : start.studyType),
    phase: form.phase,
    categories: form.categories,
    icd10: [...new Set(form.icd10)],
    eligibility: {
      ...form.eligibility,
      // The form has a checkbox: ticked is yes; unticked keeps a source's "not stated" as unknown
      // rather than turning it into "no".
      healthyVolunteers: form.eligibility.healthyVolunteers
        ? true
        : base && base.eligibility.healthyVolunteers == null
          ? null
          : false,
      ageGroups: base?.eligibility.ageGroups ?? [],
      inclusionCriteria: {
        ...base?.eligibility.inclusionCriteria,
        nb: form.eligibility.inclusionCriteria.nb ?? null,
        en: form.eligibility.inclusionCriteria.en ?? null,
      },
      exclusionCriteria: {
        ...base?.eligibility.exclusionCriteria,
        nb: form.eligibility.exclusionCriteria.nb ?? null,
        en: form.eligibility.exclusionCriteria.en ?? null,
      },
    },
    contacts: form.contacts,
    sites: [
      ...form.sites.map((s) => {
        const before = sitesBefore.get(`${s.organisationId}/${s.hospitalId ?? ""}`);
        return {
          ...before,
          organisationId: s.organisationId,
          hospitalId: s.hospitalId ?? null,
          inclusionStart: s.inclusionStart,
          inclusionEnd: s.inclusionEnd,
          contact: s.contact,
          referral: s.referral ?? null,
          withdrawn: false,
        };
      }),
      // Places that are no registered organisation are not in the form (it picks organisations):
      // they stay as the source wrote them.
      ...(base?.sites ?? []).filter((s) => s.organisationId == null && !s.withdrawn),
    ],
  };
}

/** Strings for the form's fields (Conform's default value) from a stored study. */
export function studyToForm(study: Study) {
  const text = (v: string | null | undefined) => v ?? "";
  return {
    leadOrganisationId: study.leadOrganisationId,
    identifiers: {
      rek: text(study.identifiers.rek),
      nct: text(study.identifiers.nct),
      euCt: text(study.identifiers.euCt),
      eudract: text(study.identifiers.eudract),
      isrctn: text(study.identifiers.isrctn),
    },
    title: { nb: study.title.nb, nn: text(study.title.nn), en: text(study.title.en) },
    summary: { nb: text(study.summary.nb), nn: text(study.summary.nn), en: text(study.summary.en) },
    participation: {
      nb: text(study.participation.nb),
      nn: text(study.participation.nn),
      en: text(study.participation.en),
    },
    principalInvestigator: {
      name: text(study.principalInvestigator?.name),
      title: text(study.principalInvestigator?.title),
    },
    studyType: study.studyType ?? "",
    phase: study.phase ?? "",
    categories: study.categories,
    icd10: study.icd10.join(", "),
    eligibility: {
      minAgeYears: study.eligibility.minAgeYears == null ? "" : String(study.eligibility.minAgeYears),
      maxAgeYears: study.eligibility.maxAgeYears == null ? "" : String(study.eligibility.maxAgeYears),
      sex: study.eligibility.sex,
      healthyVolunteers: study.eligibility.healthyVolunteers ? "on" : "",
      inclusionCriteria: {
        nb: text(study.eligibility.inclusionCriteria.nb),
        en: text(study.eligibility.inclusionCriteria.en),
      },
      exclusionCriteria: {
        nb: text(study.eligibility.exclusionCriteria.nb),
        en: text(study.eligibility.exclusionCriteria.en),
      },
    },
    contacts: study.contacts.map((c) => ({ name: c.name, email: text(c.email), phone: text(c.phone), role: c.role })),
    sites: study.sites
      .filter((s) => !s.withdrawn && s.organisationId != null)
      .map((s) => ({
        organisationId: s.organisationId,
        hospitalId: text(s.hospitalId),
        inclusionStart: text(s.inclusionStart),
        inclusionEnd: text(s.inclusionEnd),
        contact: { name: text(s.contact?.name), phone: text(s.contact?.phone), email: text(s.contact?.email) },
        referral: text(s.referral),
      })),
  };
}
