/**
 * The study as the portal understands it, independent of storage and of any source format.
 * Every boundary (seed, ingestion, forms, API) validates with `studyInputSchema`; the models
 * store exactly this shape, and versions are snapshots of it.
 */
import { z } from "zod";
import { calendarDateSchema, isCalendarDate } from "./calendar-date";
import { DECLARED_STATUSES } from "./inclusion-status";

export const LANGUAGES = ["nb", "nn", "en"] as const;
export type Language = (typeof LANGUAGES)[number];

export const STUDY_TYPES = ["treatment", "observational", "other"] as const;
export type StudyType = (typeof STUDY_TYPES)[number];

/**
 * The source's own first publication of a study (ClinicalTrials.gov's "First Posted"): the date,
 * which source field it was read from (`basis`, e.g. "ctgov:studyFirstPostDateStruct"), and the
 * source's own type of the date when it gives one (null: it says nothing). Only what the source
 * says: null when it has no such date. Statistics count "new studies" by it (ADR 0028).
 */
export const FIRST_POSTED_TYPES = ["actual", "estimated"] as const;
export const firstPostedSchema = z.object({
  date: calendarDateSchema,
  basis: z.string().trim().min(1).max(100),
  type: z.enum(FIRST_POSTED_TYPES).nullable().default(null),
});
export type FirstPosted = z.output<typeof firstPostedSchema>;

export const PHASES = [
  "early_phase_1",
  "phase_1",
  "phase_1_2",
  "phase_2",
  "phase_2_3",
  "phase_3",
  "phase_4",
  "not_applicable",
] as const;
export type Phase = (typeof PHASES)[number];

export const SEXES = ["all", "female", "male"] as const;
export type Sex = (typeof SEXES)[number];

export const PUBLICATION_STATES = ["draft", "submitted", "published", "withdrawn"] as const;
export type PublicationState = (typeof PUBLICATION_STATES)[number];

export const INTERVENTION_TYPES = [
  "drug",
  "biological",
  "device",
  "procedure",
  "radiation",
  "behavioural",
  "dietary",
  "diagnostic",
  "genetic",
  "other",
] as const;
export type InterventionType = (typeof INTERVENTION_TYPES)[number];

export const CONTACT_ROLES = ["public", "scientific"] as const;

/** Fields that hold text in one or more languages (stored in `study_texts`). */
export const TEXT_FIELDS = [
  "title",
  "shortTitle",
  "summary",
  "scientificSummary",
  "participation",
  "inclusionCriteria",
  "exclusionCriteria",
] as const;
export type TextField = (typeof TEXT_FIELDS)[number];

/** Registry identifier formats. Kept strict: a wrong identifier would merge the wrong studies. */
export const IDENTIFIER_PATTERNS = {
  nct: /^NCT\d{8}$/,
  euCt: /^\d{4}-\d{6}-\d{2}-\d{2}$/,
  eudract: /^\d{4}-\d{6}-\d{2}$/,
  isrctn: /^ISRCTN\d{8}$/,
  // REK: "2014/1234" (before 2019) or the REK portal's 5–7 digit numbers.
  rek: /^(\d{4}\/\d{1,6}|\d{5,7})$/,
} as const;

const trimmed = z.string().trim();
const nonEmpty = (max: number) => trimmed.min(1, "kan ikke være tom").max(max, `maks ${max} tegn`);
const optionalText = (max: number) =>
  z.preprocess(
    (value) => (typeof value === "string" && value.trim() === "" ? null : value),
    trimmed.max(max, `maks ${max} tegn`).nullable(),
  );

/** Norwegian bokmål is required; nynorsk and English are optional. */
export const requiredLocalizedText = (max: number) =>
  z.object({ nb: nonEmpty(max), nn: optionalText(max).optional(), en: optionalText(max).optional() });
export const optionalLocalizedText = (max: number) =>
  z.object({ nb: optionalText(max).optional(), nn: optionalText(max).optional(), en: optionalText(max).optional() });

const identifier = (pattern: RegExp, example: string) =>
  z.preprocess(
    (value) => (typeof value === "string" ? value.trim().toUpperCase() || null : value),
    z.string().regex(pattern, `ugyldig format (eksempel: ${example})`).nullable(),
  );

export const identifiersSchema = z.object({
  nct: identifier(IDENTIFIER_PATTERNS.nct, "NCT01234567").optional().default(null),
  euCt: identifier(IDENTIFIER_PATTERNS.euCt, "2023-501234-12-00").optional().default(null),
  eudract: identifier(IDENTIFIER_PATTERNS.eudract, "2019-001234-12").optional().default(null),
  isrctn: identifier(IDENTIFIER_PATTERNS.isrctn, "ISRCTN12345678").optional().default(null),
  rek: identifier(IDENTIFIER_PATTERNS.rek, "2019/1234 eller 123456").optional().default(null),
});
export type StudyIdentifiers = z.infer<typeof identifiersSchema>;

const slug = trimmed.regex(/^[a-z0-9][a-z0-9-]*$/, "ugyldig id (små bokstaver, tall og bindestrek)");

export const contactSchema = z
  .object({
    name: nonEmpty(200),
    email: z
      .preprocess((v) => (v === "" ? null : v), z.email("ugyldig e-postadresse").nullable())
      .optional()
      .default(null),
    phone: optionalText(40).optional().default(null),
  })
  .refine((c) => c.email || c.phone, { message: "en kontakt må ha e-post eller telefon", path: ["email"] });
export type Contact = z.infer<typeof contactSchema>;

/** The study's principal investigator (shown on the clinician page as "name, title"). */
export const principalInvestigatorSchema = z.object({
  name: nonEmpty(200),
  title: optionalText(200).optional().default(null),
  organisationId: slug.nullable().optional().default(null),
});

/** A source's own status for a site, with its wording, date and who declared it (inclusion-status.ts). */
export const declaredStatusSchema = z.object({
  status: z.enum(DECLARED_STATUSES),
  text: nonEmpty(200),
  on: calendarDateSchema,
  by: nonEmpty(200),
});

/** The site's fields without the cross-field checks, so a form can pick from it (see siteSchema). */
export const siteFields = z.object({
  /** A registered organisation; null for a location the source names that matches none (kept as written). */
  organisationId: slug.nullable().default(null),
  hospitalId: slug.nullable().optional().default(null),
  /** The location as the source names it (required when it matches no registered organisation). */
  name: optionalText(300).optional().default(null),
  city: optionalText(200).optional().default(null),
  /** Coordinates from the source record, for a location that is not a registered hospital. */
  lat: z.number().min(-90).max(90).nullable().optional().default(null),
  lon: z.number().min(-180).max(180).nullable().optional().default(null),
  /** "N sites in Norway, not named": a source that only gives a count (EU CTIS). */
  unnamedCount: z.number().int().min(1).max(10_000).nullable().optional().default(null),
  /** A registry's estimated dates ("forventet"): shown, never used as inclusion dates. */
  expectedStart: calendarDateSchema.nullable().optional().default(null),
  expectedEnd: calendarDateSchema.nullable().optional().default(null),
  /** The source's own status, used when no inclusion start date is given. */
  declared: declaredStatusSchema.nullable().optional().default(null),
  inclusionStart: calendarDateSchema.nullable().default(null),
  inclusionEnd: calendarDateSchema.nullable().default(null),
  paused: z.boolean().default(false),
  pauseReason: optionalText(500).optional().default(null),
  contact: contactSchema.nullable().optional().default(null),
  /** Further contacts for this site beyond `contact` (registries list several). */
  moreContacts: z.array(contactSchema).max(50).optional().default([]),
  referral: optionalText(2000).optional().default(null),
  /** Set when the site disappeared from its organisation's feed: kept, never deleted. */
  withdrawn: z.boolean().default(false),
  /**
   * A site another organisation proposed for this one, waiting for this site's own organisation to
   * accept it; it is withdrawn until then (no public surface shows it). Only ever true: absent
   * otherwise, so the snapshots of every other site stay as they were (ADR 0014).
   */
  pendingConsent: z.literal(true).optional(),
});

/** Cross-field site checks, shared by siteSchema and the registration form. */
export function checkSite(
  site: {
    inclusionStart?: string | null;
    inclusionEnd?: string | null;
    paused?: boolean;
    pauseReason?: string | null;
    organisationId?: string | null;
    name?: string | null;
    unnamedCount?: number | null;
    hospitalId?: string | null;
    withdrawn?: boolean;
    pendingConsent?: true;
  },
  ctx: z.RefinementCtx,
): void {
  if (site.organisationId == null && !site.name && site.unnamedCount == null) {
    ctx.addIssue({
      code: "custom",
      path: ["organisationId"],
      message: "et studiested må ha en organisasjon eller et navn",
    });
  }
  if (site.organisationId == null && site.hospitalId) {
    ctx.addIssue({ code: "custom", path: ["hospitalId"], message: "et sykehus krever organisasjonen det hører til" });
  }
  if (
    site.inclusionStart &&
    site.inclusionEnd &&
    isCalendarDate(site.inclusionStart) &&
    isCalendarDate(site.inclusionEnd) &&
    site.inclusionEnd < site.inclusionStart
  ) {
    ctx.addIssue({
      code: "custom",
      path: ["inclusionEnd"],
      message: `inklusjonsslutt (${site.inclusionEnd}) er før inklusjonsstart (${site.inclusionStart})`,
    });
  }
  if (site.paused && !site.pauseReason) {
    ctx.addIssue({ code: "custom", path: ["pauseReason"], message: "en pause må ha en begrunnelse" });
  }
  if (site.pendingConsent && !site.withdrawn) {
    ctx.addIssue({
      code: "custom",
      path: ["pendingConsent"],
      message: "et studiested som venter på svar fra sin organisasjon, vises ikke før det er godtatt",
    });
  }
}

export const siteSchema = siteFields.superRefine(checkSite);
export type SiteInput = z.infer<typeof siteSchema>;

/**
 * The study's fields without the whole-study checks: the registration form picks its fields from
 * here (app/forms/study-form.ts), so the form and every other boundary validate a field alike.
 */
export const studyFields = z.object({
  identifiers: identifiersSchema.prefault({}),
  /** Each organisation's own id for the study (the id in its web site or feed). */
  localIds: z.array(z.object({ organisationId: slug, localId: nonEmpty(200) })).default([]),
  title: requiredLocalizedText(500),
  shortTitle: optionalLocalizedText(200).prefault({}),
  /** Plain-language summary for patients: required before a study is published. */
  summary: optionalLocalizedText(10_000).prefault({}),
  scientificSummary: optionalLocalizedText(20_000).prefault({}),
  /** What taking part means, in plain language. */
  participation: optionalLocalizedText(10_000).prefault({}),
  /**
   * null only while the study is a draft (the researcher has not chosen yet; ADR 0028): sending
   * for approval and publishing need it (studyInputSchema below).
   */
  studyType: z.enum(STUDY_TYPES).nullable(),
  phase: z.enum(PHASES).nullable().default(null),
  categories: z.array(slug).default([]),
  conditions: z.array(nonEmpty(300)).default([]),
  icd10: z
    .array(trimmed.toUpperCase().regex(/^[A-Z]\d{2}[0-9A-Z]{0,2}$/, "ugyldig ICD-10-kode (eksempel: C50 eller C509)"))
    .default([]),
  snomed: z.array(trimmed.regex(/^\d{6,18}$/, "ugyldig SNOMED CT-id")).default([]),
  interventions: z
    .array(
      z.object({
        type: z.enum(INTERVENTION_TYPES),
        name: nonEmpty(300),
        description: optionalText(5000).optional().default(null),
      }),
    )
    .default([]),
  eligibility: z
    .object({
      minAgeYears: z.number().min(0).max(120).nullable().default(null),
      maxAgeYears: z.number().min(0).max(120).nullable().default(null),
      sex: z.enum(SEXES).default("all"),
      /** null: the source does not say (unknown is not no). */
      healthyVolunteers: z.boolean().nullable().default(false),
      /** Age groups as a registry gives them ("18-64 years"): ranges stay ranges, not hard limits. */
      ageGroups: z.array(nonEmpty(100)).max(20).default([]),
      inclusionCriteria: optionalLocalizedText(20_000).prefault({}),
      exclusionCriteria: optionalLocalizedText(20_000).prefault({}),
    })
    .refine((e) => e.minAgeYears == null || e.maxAgeYears == null || e.minAgeYears <= e.maxAgeYears, {
      message: "minste alder er høyere enn høyeste alder",
      path: ["maxAgeYears"],
    })
    .prefault({}),
  sponsor: optionalText(300).optional().default(null),
  /** The organisation responsible for the study in the portal (owns and publishes it). */
  leadOrganisationId: slug,
  /**
   * The record's own lead ("utført av", lead sponsor) as written, and the registered organisation
   * it matches (null when it matches none). null: the source does not say.
   */
  lead: z
    .object({ name: nonEmpty(300), organisationId: slug.nullable().default(null) })
    .nullable()
    .default(null),
  /** The source's own first publication date, with the field it came from; null: the source has none. */
  firstPosted: firstPostedSchema.nullable().default(null),
  /** The registry's official (scientific) title, usually English. */
  officialTitle: optionalText(1000).optional().default(null),
  keywords: z.array(nonEmpty(200)).max(200).default([]),
  /** Identifiers beyond the five the portal matches on (French ID-RCB, sponsor codes, …). */
  otherIdentifiers: z
    .array(
      z.object({
        scheme: nonEmpty(80),
        value: nonEmpty(200),
        url: z
          .url({ protocol: /^https?$/ })
          .nullable()
          .default(null),
      }),
    )
    .max(100)
    .default([]),
  principalInvestigator: principalInvestigatorSchema.nullable().default(null),
  contacts: z.array(contactSchema.and(z.object({ role: z.enum(CONTACT_ROLES).default("public") }))).default([]),
  links: z
    .array(
      z.object({
        url: z.url({ protocol: /^https?$/, message: "ugyldig lenke (må starte med http:// eller https://)" }),
        label: nonEmpty(200),
      }),
    )
    .default([]),
  targetEnrolment: z.number().int().min(0).max(10_000_000).nullable().default(null),
  sites: z.array(siteSchema).default([]),
  publicationState: z.enum(PUBLICATION_STATES).default("draft"),
  /** Fictional demo content from the project's seed: shown with a clear label. */
  isDemo: z.boolean().default(false),
});

export const studyInputSchema = studyFields.superRefine((study, ctx) => {
  // A hospital listing's record without a summary is published with what it has and a link to the
  // hospital's page ("more information is available from the hospital"); hiding an open study is
  // worse than a short page. The researcher form still requires a summary (study-readiness).
  if (study.publicationState === "published" && !study.summary.nb && study.links.length === 0) {
    ctx.addIssue({
      code: "custom",
      path: ["summary", "nb"],
      message:
        "et sammendrag på norsk (bokmål), eller en lenke til sykehusets side om studien, er påkrevd for å publisere",
    });
  }
  if (study.studyType == null && study.publicationState !== "draft" && study.publicationState !== "withdrawn") {
    ctx.addIssue({ code: "custom", path: ["studyType"], message: STUDY_TYPE_REQUIRED });
  }
  checkDuplicateSites(study.sites, ctx);
});

/** Only a draft (or a draft that was withdrawn) may be without a type of study. */
export const STUDY_TYPE_REQUIRED = "type studie må velges før studien sendes til godkjenning eller publiseres";

/** One site per organisation/hospital: shared by studyInputSchema and the registration form. */
export function checkDuplicateSites(
  sites: {
    organisationId: string | null;
    hospitalId?: string | null;
    name?: string | null;
    city?: string | null;
    unnamedCount?: number | null;
  }[],
  ctx: z.RefinementCtx,
): void {
  const seen = new Set<string>();
  sites.forEach((site, index) => {
    const key = siteIdentity(site);
    if (seen.has(key)) {
      ctx.addIssue({ code: "custom", path: ["sites", index], message: `stedet ${key} er oppført to ganger` });
    }
    seen.add(key);
  });
}

/**
 * A site's identity within a study: its organisation and hospital, or — for a location that
 * matches no registered organisation — its name and city as written (same key as the database's
 * unique index on study_sites).
 */
export function siteIdentity(site: {
  organisationId: string | null;
  hospitalId?: string | null;
  name?: string | null;
  city?: string | null;
  unnamedCount?: number | null;
}): string {
  if (site.organisationId != null) return `${site.organisationId}/${site.hospitalId ?? ""}`;
  if (!site.name) return `~unnamed|${(site.city ?? "").toLowerCase()}`;
  return `~${site.name.toLowerCase()}|${(site.city ?? "").toLowerCase()}`;
}

export type StudyInput = z.input<typeof studyInputSchema>;
export type Study = z.output<typeof studyInputSchema>;

/** A validation problem, phrased for people: which field and why. */
export interface FieldProblem {
  field: string;
  message: string;
}

export function describeProblems(error: z.ZodError): FieldProblem[] {
  return error.issues.map((issue) => ({
    field: issue.path.map(String).join(".") || "(hele studien)",
    message: issue.message,
  }));
}

export type ParseStudyResult = { ok: true; study: Study } | { ok: false; problems: FieldProblem[] };

export function parseStudy(input: unknown): ParseStudyResult {
  const result = studyInputSchema.safeParse(input);
  return result.success ? { ok: true, study: result.data } : { ok: false, problems: describeProblems(result.error) };
}
