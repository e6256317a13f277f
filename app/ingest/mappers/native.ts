/**
 * The portal's native JSON format: the hospital listing format the hospital web sites use today
 * (Helse Nord feed: id, tittel, kategorier, sammendrag, status, utfort_av, deltakende_foretak,
 * relaterte_behandlinger, relaterte_diagnoser, lenke), accepted exactly as it is, plus optional
 * extension fields — above all `studiesteder`, the inclusion window per site.
 * Published as JSON Schema in docs/schemas/native-study.schema.json (scripts/export-schemas.ts).
 *
 * What a listing record says, and nothing more (PRODUCT.md "Never invent"):
 *  - Sites: with `studiesteder`, one per entry. Without it (the legacy listing), one per
 *    organisation the record names: `utfort_av` and each `deltakende_foretak` entry (once each).
 *    A name matching no registered organisation (by id, name or short name, then by the
 *    organisation matcher's institution aliases) is kept as a site of its own with
 *    organisationId null and the name as written, with a warning — never dropped, never forced
 *    onto the sender. No organisation named → no site.
 *  - Status: a site without an inclusion start date gets a *declared* status: the site's own
 *    `status` (+ `status_dato`) when sent, else the record's `status` — the hospital's wording
 *    kept as `text`, declared on `status_dato` or the day of receipt (MapContext.receivedOn), by
 *    the record's `utfort_av` (else the sender). Wordings: see LISTING_STATUSES.
 *  - Lead: `utfort_av` as written + the registered organisation it matches (null if none).
 *  - Owner (leadOrganisationId): the matched `utfort_av` organisation when it is registered, else
 *    the sender. The ingest service must check that the sender may publish for that organisation.
 *  - `friske_frivillige` absent → healthyVolunteers null (unknown is not no).
 */
import { z } from "zod";
import { isCalendarDate } from "#app/domain/calendar-date";
import { osloDate, type DeclaredStatusValue } from "#app/domain/inclusion-status";
import type { Phase, Sex, StudyInput, StudyType } from "#app/domain/study";
import { matchOrganisationName } from "#app/ingest/organisation-matcher";
import { safeParseInNorwegian } from "#app/ingest/norwegian-issues";
import { decodeUtf8Strict, EncodingError } from "#app/ingest/text-decoding";
import type { MapContext, MappedRecord, MapResult, OrganisationRef, Rejection } from "#app/ingest/types";

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
  status: optionalText(100).describe(
    "Stedets egen status med sykehusets ord (f.eks. «Åpen for rekruttering»); brukes bare når inklusjon_start mangler",
  ),
  status_dato: optionalText(10).describe(
    "Datoen stedets status gjelder fra/ble bekreftet, ÅÅÅÅ-MM-DD (standard: mottaksdagen)",
  ),
});

export const nativeStudySchema = z
  .object({
    // The legacy listing fields, as the hospital sites send them today.
    id: z.union([text(200), z.number().int()]).describe("Sykehusets egen id for studien"),
    tittel: text(500),
    kategorier: list(200).describe("HRCS-helsekategorier med norske navn"),
    sammendrag: optionalText(10_000).describe("Sammendrag i klarspråk (bokmål)"),
    status: optionalText(100).describe(
      "Studiens status med sykehusets ord («Åpen for rekruttering», «Pågående», …): vises som erklært av sykehuset, datert mottaksdagen, for steder uten inklusjonsdatoer",
    ),
    utfort_av: optionalText(200).describe("Ansvarlig foretak (navn eller id)"),
    deltakende_foretak: list(200),
    relaterte_behandlinger: list(300),
    relaterte_diagnoser: list(20).describe("SNOMED CT-id-er"),
    lenke: optionalText(2000),
    // Extension fields of the portal's native format.
    identifikatorer: z
      .object({
        nct: optionalText(20),
        eu_ct: optionalText(20),
        eudract: optionalText(20),
        isrctn: optionalText(20),
        rek: optionalText(20),
      })
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

/**
 * The hospital listings' status wordings (helsenorge / the hospital web sites) → a declared
 * status. Keys are statusKey()s. "Pågående" means the study is running but not taking new
 * participants (the listings use "Åpen for rekruttering" for that).
 */
export const LISTING_STATUSES: Record<string, DeclaredStatusValue> = {
  "apen for rekruttering": "recruiting",
  "apen for inklusjon": "recruiting",
  rekrutterer: "recruiting",
  "rekrutterer deltakere": "recruiting",
  apen: "recruiting",
  pagaende: "active_not_recruiting",
  "pagaende ikke apen for rekruttering": "active_not_recruiting",
  "rekruttering avsluttet": "active_not_recruiting",
  "inklusjon avsluttet": "active_not_recruiting",
  avsluttet: "completed",
  fullfort: "completed",
  ferdig: "completed",
  planlagt: "not_yet_recruiting",
  "ikke startet": "not_yet_recruiting",
  "ikke apnet": "not_yet_recruiting",
  "kommer snart": "not_yet_recruiting",
  "midlertidig stengt": "suspended",
  "midlertidig stanset": "suspended",
  "midlertidig lukket": "suspended",
  pause: "suspended",
  "pa pause": "suspended",
  "kun etter invitasjon": "invitation_only",
  "etter invitasjon": "invitation_only",
  avbrutt: "terminated",
  stoppet: "terminated",
  trukket: "withdrawn",
  "trukket tilbake": "withdrawn",
};

/** Case- and accent-insensitive key ("Pågående" → "pagaende"). */
function statusKey(text: string): string {
  return text
    .toLowerCase()
    .replace(/æ/g, "ae")
    .replace(/ø/g, "o")
    .replace(/å/g, "a")
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^a-z0-9]+/g, " ")
    .trim();
}

/** A listing status wording → a declared status; null when the wording is unknown. */
export function listingStatus(text: string): DeclaredStatusValue | null {
  return LISTING_STATUSES[statusKey(text)] ?? null;
}

/** Case-, accent- and suffix-insensitive key for organisation and hospital names. */
export function nameKey(name: string): string {
  return statusKey(statusKey(name).replace(/\b(hf|rhf)\b/g, ""));
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
    /** Exact id/name/short name first, then the matcher's institution aliases ("Oslo University Hospital"). */
    organisationOrAlias: (nameOrId: string): OrganisationRef | null => {
      const exact = byKey.get(nameKey(nameOrId));
      if (exact) return exact;
      const alias = matchOrganisationName(nameOrId, organisations);
      return alias ? (organisations.find((o) => o.id === alias.organisationId) ?? null) : null;
    },
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
      return {
        records: [],
        rejected: [{ ref: "hele filen", externalId: null, field: "(tegnsett)", message: error.message }],
      };
    }
    return {
      records: [],
      rejected: [
        {
          ref: "hele filen",
          externalId: null,
          field: "(json)",
          message: `ikke gyldig JSON: ${(error as Error).message}`,
        },
      ],
    };
  }
  const items = Array.isArray(data)
    ? data
    : data && typeof data === "object" && Array.isArray((data as { studier?: unknown }).studier)
      ? (data as { studier: unknown[] }).studier
      : [data];
  if (items.length > MAX_NATIVE_RECORDS) {
    return {
      records: [],
      rejected: [
        {
          ref: "hele filen",
          externalId: null,
          field: "(antall)",
          message: `${items.length} studier er flere enn grensen på ${MAX_NATIVE_RECORDS} per leveranse`,
        },
      ],
    };
  }
  const orgs = organisationLookup(ctx.organisations);
  const receivedOn = ctx.receivedOn ?? osloDate(new Date());
  const categories = new Map<string, string>();
  for (const c of ctx.categories)
    for (const name of [c.id, c.nameNb, ...c.aliases]) categories.set(nameKey(name), c.id);

  const records: MappedRecord[] = [];
  items.forEach((item, index) => {
    const rawId = item && typeof item === "object" ? (item as { id?: unknown }).id : undefined;
    const externalId = typeof rawId === "string" || typeof rawId === "number" ? String(rawId) : null;
    const ref = `studie ${index + 1}${externalId ? ` (id ${externalId})` : ""}`;
    // Norwegian messages for zod's own checks: a native sender never reads raw English validator text.
    const parsed = safeParseInNorwegian(nativeStudySchema, item);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        rejected.push({
          ref,
          externalId,
          field: issue.path.map(String).join(".") || "(studie)",
          message: issue.message,
        });
      }
      return;
    }
    const r = parsed.data;
    const warnings: string[] = [];
    const problems: Rejection[] = [];
    const problem = (field: string, message: string) => problems.push({ ref, externalId, field, message });

    // The record's own lead (utfort_av), matched where possible; the sender only owns the record
    // in the portal when the lead is not a registered organisation.
    const leadName = r.utfort_av?.trim() || null;
    const leadOrg = leadName ? orgs.organisationOrAlias(leadName) : null;
    const sender = orgs.organisation(ctx.organisationId);
    if (leadName && !leadOrg) {
      warnings.push(
        `utført av «${leadName}» er ikke en registrert organisasjon: studien eies av avsenderen (${ctx.organisationId}) til en redaktør har avklart det`,
      );
    }
    const owner = leadOrg ?? sender;
    if (!owner) problem("utfort_av", `ukjent avsender «${ctx.organisationId}»`);

    // A status with no date of its own is declared on the day of receipt, by the record's lead.
    const declaredBy = leadName ?? sender?.name ?? ctx.organisationId;
    const declare = (
      text: string | null | undefined,
      on: string,
      field: string,
    ): NonNullable<StudyInput["sites"]>[number]["declared"] => {
      const wording = text?.trim();
      if (!wording) return null;
      const status = listingStatus(wording);
      if (!status)
        warnings.push(`${field}: ukjent status «${wording}»; vises som ukjent status til sykehuset bekrefter den`);
      return { status: status ?? "unknown", text: wording, on, by: declaredBy };
    };

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
        const org = orgs.organisationOrAlias(s.foretak);
        if (s.status_dato != null && !isCalendarDate(s.status_dato)) {
          return problem(`studiesteder.${i}.status_dato`, `«${s.status_dato}» er ikke en dato på formen ÅÅÅÅ-MM-DD`);
        }
        if (s.status_dato != null && s.status_dato > receivedOn) {
          return problem(
            `studiesteder.${i}.status_dato`,
            `statusdatoen ${s.status_dato} er etter mottaksdagen ${receivedOn}`,
          );
        }
        if (s.sykehus && !hospital) return problem(`studiesteder.${i}.sykehus`, `ukjent sykehus "${s.sykehus}"`);
        if (hospital && org && hospital.organisationId !== org.id) {
          return problem(`studiesteder.${i}.sykehus`, `sykehuset "${s.sykehus}" hører ikke til ${org.name}`);
        }
        if (!org && hospital) {
          return problem(
            `studiesteder.${i}.foretak`,
            `ukjent foretak "${s.foretak}" (sykehuset "${s.sykehus}" hører til ${hospital.organisationId})`,
          );
        }
        if (!org)
          warnings.push(
            `studiesteder[${i}]: foretaket «${s.foretak}» er ikke registrert: stedet er lagret som skrevet, uten organisasjon`,
          );
        const statusText = s.status ?? r.status;
        sites.push({
          organisationId: org?.id ?? null,
          hospitalId: hospital?.hospitalId ?? null,
          name: org ? null : s.foretak.trim(),
          inclusionStart: s.inklusjon_start ?? null,
          inclusionEnd: s.inklusjon_slutt ?? null,
          declared: s.inklusjon_start
            ? null
            : declare(statusText, s.status_dato ?? receivedOn, s.status ? `studiesteder[${i}].status` : "status"),
          paused: s.pause ?? false,
          pauseReason: s.pause_arsak ?? null,
          contact: s.kontakt
            ? { name: s.kontakt.navn, email: s.kontakt.epost ?? null, phone: s.kontakt.telefon ?? null }
            : null,
          referral: s.henvisning ?? null,
        });
      });
    } else {
      // Legacy listing: no dates. Each organisation the record names (utfort_av, then each
      // deltakende_foretak, once each) is a site with the record's own status, declared today.
      const declared = declare(r.status, receivedOn, "status");
      const named = [
        ...(leadName ? [leadName] : []),
        ...(r.deltakende_foretak ?? []).map((n) => n.trim()).filter(Boolean),
      ];
      const seen = new Set<string>();
      for (const name of named) {
        const org = orgs.organisationOrAlias(name);
        const key = org ? `org:${org.id}` : `name:${nameKey(name)}`;
        if (seen.has(key)) continue;
        seen.add(key);
        if (org) {
          sites.push({ organisationId: org.id, declared });
        } else {
          warnings.push(
            `«${name}» er ikke en registrert organisasjon: stedet er lagret som skrevet, uten organisasjon`,
          );
          sites.push({ organisationId: null, name, declared });
        }
      }
      if (named.length === 0)
        warnings.push("posten nevner ingen organisasjon (utfort_av / deltakende_foretak): ingen studiesteder");
    }
    // The relative order of the sites is not meaningful; the (later) canonical form sorts them.

    const summaryNb = r.sammendrag?.trim() || null;
    // Without a summary, a record that links to the hospital's page is published with what it has.
    const publish = (r.publisert ?? true) && (!!summaryNb || !!r.lenke);
    if ((r.publisert ?? true) && !summaryNb) {
      warnings.push(
        r.lenke
          ? "mangler sammendrag i klarspråk: publisert med «Mer informasjon finnes hos sykehuset» og lenken til sykehusets side"
          : "mangler sammendrag i klarspråk og lenke: lagret som innsendt og må fullføres før publisering",
      );
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
        healthyVolunteers: r.friske_frivillige ?? null,
        inclusionCriteria: { nb: r.inklusjonskriterier ?? null },
        exclusionCriteria: { nb: r.eksklusjonskriterier ?? null },
      },
      sponsor: r.sponsor ?? null,
      leadOrganisationId: owner!.id,
      lead: leadName ? { name: leadName, organisationId: leadOrg?.id ?? null } : null,
      principalInvestigator: r.studieansvarlig
        ? { name: r.studieansvarlig.navn, title: r.studieansvarlig.tittel ?? null }
        : null,
      contacts: (r.kontakter ?? []).map((c) => ({
        name: c.navn,
        email: c.epost ?? null,
        phone: c.telefon ?? null,
        role: "public" as const,
      })),
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
