/**
 * The portal's native JSON format: the hospital listing format the hospital web sites use today
 * (Helse Nord feed: id, tittel, kategorier, sammendrag, status, utfort_av, deltakende_foretak,
 * relaterte_behandlinger, relaterte_diagnoser, lenke), accepted exactly as it is, plus optional
 * extension fields — above all `studiesteder`, the inclusion window per site.
 * Published as JSON Schema in docs/schemas/native-study.schema.json (scripts/export-schemas.ts).
 */
import { z } from "zod";
import type { Phase, Sex, StudyInput, StudyType } from "../../domain/study";
import { safeParseInNorwegian } from "../norwegian-issues";
import { decodeUtf8Strict, EncodingError } from "../text-decoding";
import type { MapContext, MappedRecord, MapResult, OrganisationRef, Rejection } from "../types";

export const MAX_NATIVE_RECORDS = 100_000;

const text = (max: number) => z.string().max(max, `maks ${max} tegn`);
const optionalText = (max: number) => text(max).nullish();
const list = (max: number) => z.array(text(max)).max(500).nullish();

const contactSchema = z.object({ navn: text(200), epost: optionalText(200), telefon: optionalText(40) });

export const nativeSiteSchema = z.object({
  foretak: text(200).describe("Organisasjonens id (f.eks. st-olavs) eller navn"),
  sykehus: optionalText(200).describe("Sykehusets id eller navn (valgfritt)"),
  inklusjon_start: optionalText(10).describe("Første dag med inklusjon, ÅÅÅÅ-MM-DD (Europe/Oslo)"),
  inklusjon_slutt: optionalText(10).describe("Siste dag med inklusjon (inkludert), ÅÅÅÅ-MM-DD"),
  pause: z.boolean().nullish(),
  pause_arsak: optionalText(500),
  kontakt: contactSchema.nullish(),
  henvisning: optionalText(2000).describe("Hvordan henvise pasienter til dette stedet"),
});

export const nativeStudySchema = z
  .object({
    // The legacy listing fields, as the hospital sites send them today.
    id: z.union([text(200), z.number().int()]).describe("Sykehusets egen id for studien"),
    tittel: text(500),
    kategorier: list(200).describe("HRCS-helsekategorier med norske navn"),
    sammendrag: optionalText(10_000).describe("Sammendrag i klarspråk (bokmål)"),
    status: optionalText(100).describe("Eldre statusfelt; status regnes ut fra inklusjonsdatoene og lagres ikke"),
    utfort_av: optionalText(200).describe("Ansvarlig foretak (navn eller id)"),
    deltakende_foretak: list(200),
    relaterte_behandlinger: list(300),
    relaterte_diagnoser: list(20).describe("SNOMED CT-id-er"),
    lenke: optionalText(2000),
    // Extension fields of the portal's native format.
    identifikatorer: z
      .object({ nct: optionalText(20), eu_ct: optionalText(20), eudract: optionalText(20), isrctn: optionalText(20), rek: optionalText(20) })
      .nullish(),
    tittel_nn: optionalText(500),
    tittel_en: optionalText(500),
    kort_tittel: optionalText(200),
    sammendrag_nn: optionalText(10_000),
    sammendrag_en: optionalText(10_000),
    vitenskapelig_sammendrag: optionalText(20_000),
    deltakelse: optionalText(10_000).describe("Hva det innebærer å delta, i klarspråk"),
    studietype: z.enum(["behandling", "observasjon", "annen"]).nullish(),
    fase: z.enum(["tidlig_1", "1", "1/2", "2", "2/3", "3", "4", "ikke_aktuelt"]).nullish(),
    icd10: list(10),
    alder_min: z.number().nullish(),
    alder_maks: z.number().nullish(),
    kjonn: z.enum(["alle", "kvinner", "menn"]).nullish(),
    friske_frivillige: z.boolean().nullish(),
    inklusjonskriterier: optionalText(20_000),
    eksklusjonskriterier: optionalText(20_000),
    sponsor: optionalText(300),
    studieansvarlig: z.object({ navn: text(200), tittel: optionalText(200) }).nullish(),
    kontakter: z.array(contactSchema).max(50).nullish(),
    antall_deltakere: z.number().int().nullish(),
    studiesteder: z.array(nativeSiteSchema).max(500).nullish(),
    publisert: z.boolean().nullish().describe("false = utkast som må godkjennes før publisering"),
  })
  .describe("En studie i Kliniske studiers native JSON-format (sykehusenes listeformat med utvidelser)");

export type NativeStudy = z.infer<typeof nativeStudySchema>;

const PHASES: Record<string, Phase> = {
  tidlig_1: "early_phase_1",
  "1": "phase_1",
  "1/2": "phase_1_2",
  "2": "phase_2",
  "2/3": "phase_2_3",
  "3": "phase_3",
  "4": "phase_4",
  ikke_aktuelt: "not_applicable",
};
const TYPES: Record<string, StudyType> = { behandling: "treatment", observasjon: "observational", annen: "other" };
const SEXES: Record<string, Sex> = { alle: "all", kvinner: "female", menn: "male" };

/** Case-, accent- and suffix-insensitive key for organisation and hospital names. */
export function nameKey(name: string): string {
  return name
    .toLowerCase()
    .replace(/æ/g, "ae")
    .replace(/ø/g, "o")
    .replace(/å/g, "a")
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/\b(hf|rhf)\b/g, "")
    .replace(/[^a-z0-9]+/g, " ")
    .trim();
}

export function organisationLookup(organisations: OrganisationRef[]) {
  const byKey = new Map<string, OrganisationRef>();
  for (const o of organisations) {
    for (const k of [o.id, o.name, o.shortName]) byKey.set(nameKey(k), o);
  }
  const hospitals = new Map<string, { organisationId: string; hospitalId: string }>();
  for (const o of organisations) {
    for (const h of o.hospitals) {
      for (const k of [h.id, h.name]) hospitals.set(nameKey(k), { organisationId: o.id, hospitalId: h.id });
    }
  }
  return {
    organisation: (nameOrId: string) => byKey.get(nameKey(nameOrId)) ?? null,
    hospital: (nameOrId: string) => hospitals.get(nameKey(nameOrId)) ?? null,
  };
}

/** Category names as the hospital sites write them (Norwegian names and aliases) → HRCS ids. */
export interface CategoryRef {
  id: string;
  nameNb: string;
  aliases: string[];
}

export function parseNativeJson(input: Buffer | string, ctx: MapContext & { categories: CategoryRef[] }): MapResult {
  const rejected: Rejection[] = [];
  let data: unknown;
  try {
    data = JSON.parse(typeof input === "string" ? input : decodeUtf8Strict(input));
  } catch (error) {
    if (error instanceof EncodingError) {
      return { records: [], rejected: [{ ref: "hele filen", externalId: null, field: "(tegnsett)", message: error.message }] };
    }
    return { records: [], rejected: [{ ref: "hele filen", externalId: null, field: "(json)", message: `ikke gyldig JSON: ${(error as Error).message}` }] };
  }
  const items = Array.isArray(data) ? data : data && typeof data === "object" && Array.isArray((data as { studier?: unknown }).studier) ? (data as { studier: unknown[] }).studier : [data];
  if (items.length > MAX_NATIVE_RECORDS) {
    return { records: [], rejected: [{ ref: "hele filen", externalId: null, field: "(antall)", message: `${items.length} studier er flere enn grensen på ${MAX_NATIVE_RECORDS} per leveranse` }] };
  }
  const orgs = organisationLookup(ctx.organisations);
  const categories = new Map<string, string>();
  for (const c of ctx.categories) for (const name of [c.id, c.nameNb, ...c.aliases]) categories.set(nameKey(name), c.id);

  const records: MappedRecord[] = [];
  items.forEach((item, index) => {
    const rawId = item && typeof item === "object" ? (item as { id?: unknown }).id : undefined;
    const externalId = typeof rawId === "string" || typeof rawId === "number" ? String(rawId) : null;
    const ref = `studie ${index + 1}${externalId ? ` (id ${externalId})` : ""}`;
    // Norwegian messages for zod's own checks: a native sender never reads raw English validator text.
    const parsed = safeParseInNorwegian(nativeStudySchema, item);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        rejected.push({ ref, externalId, field: issue.path.map(String).join(".") || "(studie)", message: issue.message });
      }
      return;
    }
    const r = parsed.data;
    const warnings: string[] = [];
    const problems: Rejection[] = [];
    const problem = (field: string, message: string) => problems.push({ ref, externalId, field, message });

    const lead = r.utfort_av ? orgs.organisation(r.utfort_av) : orgs.organisation(ctx.organisationId);
    if (!lead) problem("utfort_av", `ukjent foretak "${r.utfort_av}"`);

    const categoryIds: string[] = [];
    for (const name of r.kategorier ?? []) {
      const id = categories.get(nameKey(name));
      if (id) categoryIds.push(id);
      else warnings.push(`ukjent kategori "${name}" er ikke tatt med`);
    }

    const sites: NonNullable<StudyInput["sites"]> = [];
    if (r.studiesteder && r.studiesteder.length > 0) {
      r.studiesteder.forEach((s, i) => {
        const hospital = s.sykehus ? orgs.hospital(s.sykehus) : null;
        const org = orgs.organisation(s.foretak);
        if (!org) return problem(`studiesteder.${i}.foretak`, `ukjent foretak "${s.foretak}"`);
        if (s.sykehus && !hospital) return problem(`studiesteder.${i}.sykehus`, `ukjent sykehus "${s.sykehus}"`);
        if (hospital && hospital.organisationId !== org.id) {
          return problem(`studiesteder.${i}.sykehus`, `sykehuset "${s.sykehus}" hører ikke til ${org.name}`);
        }
        sites.push({
          organisationId: org.id,
          hospitalId: hospital?.hospitalId ?? null,
          inclusionStart: s.inklusjon_start ?? null,
          inclusionEnd: s.inklusjon_slutt ?? null,
          paused: s.pause ?? false,
          pauseReason: s.pause_arsak ?? null,
          contact: s.kontakt ? { name: s.kontakt.navn, email: s.kontakt.epost ?? null, phone: s.kontakt.telefon ?? null } : null,
          referral: s.henvisning ?? null,
        });
      });
    } else {
      // Legacy listing: no dates. Each named trust gets a site without a window (shown as planned).
      for (const name of [r.utfort_av ?? ctx.organisationId, ...(r.deltakende_foretak ?? [])]) {
        const org = orgs.organisation(name);
        if (!org) warnings.push(`deltakende foretak "${name}" er ukjent og ikke tatt med`);
        else if (!sites.some((s) => s.organisationId === org.id)) sites.push({ organisationId: org.id });
      }
      if (r.status) {
        warnings.push(`status "${r.status}" er ikke brukt: status regnes ut fra inklusjonsdatoene, og leveransen har ingen (send studiesteder med inklusjon_start og inklusjon_slutt)`);
      }
    }
    // The relative order of the sites is not meaningful; the (later) canonical form sorts them.

    const summaryNb = r.sammendrag?.trim() || null;
    const publish = (r.publisert ?? true) && !!summaryNb;
    if ((r.publisert ?? true) && !summaryNb) {
      warnings.push("mangler sammendrag i klarspråk: lagret som innsendt og må fullføres før publisering");
    }
    if (problems.length > 0) {
      rejected.push(...problems);
      return;
    }
    const study: StudyInput = {
      identifiers: {
        nct: r.identifikatorer?.nct ?? null,
        euCt: r.identifikatorer?.eu_ct ?? null,
        eudract: r.identifikatorer?.eudract ?? null,
        isrctn: r.identifikatorer?.isrctn ?? null,
        rek: r.identifikatorer?.rek ?? null,
      },
      localIds: [],
      title: { nb: r.tittel, nn: r.tittel_nn ?? null, en: r.tittel_en ?? null },
      shortTitle: { nb: r.kort_tittel ?? null },
      summary: { nb: summaryNb, nn: r.sammendrag_nn ?? null, en: r.sammendrag_en ?? null },
      scientificSummary: { nb: r.vitenskapelig_sammendrag ?? null },
      participation: { nb: r.deltakelse ?? null },
      studyType: r.studietype ? TYPES[r.studietype]! : "other",
      phase: r.fase ? PHASES[r.fase]! : null,
      categories: [...new Set(categoryIds)],
      conditions: [],
      icd10: (r.icd10 ?? []).map((c) => c.replace(".", "").toUpperCase()),
      snomed: r.relaterte_diagnoser ?? [],
      interventions: (r.relaterte_behandlinger ?? []).map((name) => ({ type: "other" as const, name })),
      eligibility: {
        minAgeYears: r.alder_min ?? null,
        maxAgeYears: r.alder_maks ?? null,
        sex: r.kjonn ? SEXES[r.kjonn]! : "all",
        healthyVolunteers: r.friske_frivillige ?? false,
        inclusionCriteria: { nb: r.inklusjonskriterier ?? null },
        exclusionCriteria: { nb: r.eksklusjonskriterier ?? null },
      },
      sponsor: r.sponsor ?? null,
      leadOrganisationId: lead!.id,
      principalInvestigator: r.studieansvarlig ? { name: r.studieansvarlig.navn, title: r.studieansvarlig.tittel ?? null } : null,
      contacts: (r.kontakter ?? []).map((c) => ({ name: c.navn, email: c.epost ?? null, phone: c.telefon ?? null, role: "public" as const })),
      links: r.lenke ? [{ url: r.lenke, label: "Studien på sykehusets nettsider" }] : [],
      targetEnrolment: r.antall_deltakere ?? null,
      sites,
      publicationState: publish ? "published" : "submitted",
    };
    if (!r.studietype) warnings.push('studietype mangler: lagret som "annen"');
    records.push({ ref, externalId: externalId!, study, warnings });
  });
  return { records, rejected };
}
