/**
 * The open API's contract in zod: the query parameters every read endpoint validates with, and the
 * shape of every response. The OpenAPI 3.1 document (app/api/openapi.ts) is generated from these
 * same schemas with z.toJSONSchema(), so what is documented is what is checked.
 *
 * Response schemas are registered in `apiSchemas` under the names they get in
 * #/components/schemas; the response builders (app/api/represent.ts) return their z.output types.
 */
import { z } from "zod";
import { FACETS } from "#app/search/types";
import { DECLARED_STATUSES, SITE_STATUSES as DOMAIN_SITE_STATUSES } from "#app/domain/inclusion-status";
import { CONTACT_ROLES, INTERVENTION_TYPES, PHASES, PUBLICATION_STATES, SEXES, STUDY_TYPES } from "#app/domain/study";

/** Registry of the named component schemas (id = name under #/components/schemas). */
export const apiSchemas = z.registry<{ id: string; description?: string }>();
const named = <T extends z.ZodType>(id: string, description: string, schema: T): T => {
  apiSchemas.add(schema, { id, description });
  return schema;
};

/* ================================================================== query parameters */

/** One query parameter: its zod schema (for one value, or for the list of values when `multi`). */
export interface ParamDef {
  name: string;
  schema: z.ZodType;
  /** Repeatable (`?status=open&status=planned`) and comma-separated (`?status=open,planned`). */
  multi: boolean;
  /** Which side of the schema documents the parameter: "input" for strings parsed into objects. */
  io: "input" | "output";
  /** Norwegian description (the API page and the OpenAPI document). */
  description: string;
  example?: string;
}

/** Longest value accepted for any parameter (before parsing). */
export const MAX_PARAM_LENGTH = 500;
/** Most values accepted for a repeatable parameter. */
export const MAX_PARAM_VALUES = 50;
export const MAX_PAGE = 10_000;
export const MAX_PER_PAGE = 100;
export const DEFAULT_PER_PAGE = 20;
export const MAX_QUERY_LENGTH = 200;
export const MAX_CHANGES_LIMIT = 1000;
export const DEFAULT_CHANGES_LIMIT = 100;

/** A whole number written with digits only ("1e3", "1.0", "+1" and " 1" are refused), min–max. */
const wholeNumber = (min: number, max: number) => {
  const message = `må være et heltall fra ${min} til ${max}, skrevet med sifre`;
  return z
    .string()
    .regex(/^[0-9]{1,16}$/, message)
    .transform(Number)
    .pipe(z.number().min(min, message).max(max, message).int(message));
};

const oneOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: () => `må være en av: ${values.join(", ")}` });

const listOf = <T extends z.ZodType>(item: T) =>
  z.array(item).min(1).max(MAX_PARAM_VALUES, `høyst ${MAX_PARAM_VALUES} verdier`);

const referenceId = z
  .string()
  .max(80, "for lang id (høyst 80 tegn)")
  .regex(/^[a-z0-9][a-z0-9_-]*$/, "ugyldig id: bare små bokstaver, sifre, «-» og «_»");

/** No control characters (NUL, line breaks …) in free text. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const noControl = (s: string) => !/[\u0000-\u001f\u007f]/.test(s);

export const STATUS_FILTERS = ["open", "planned", "closed"] as const;
export const SORTS = ["relevance", "closing", "newest", "distance"] as const;

const icd10Prefix = z
  .string()
  .transform((s) => s.trim().toUpperCase().replace(/\./g, ""))
  .pipe(
    z.string().regex(/^[A-Z][0-9A-Z]{0,5}$/, "ugyldig ICD-10-kode eller -prefiks (for eksempel C50, C50.9 eller C)"),
  );

const latLon = z
  .string()
  .regex(
    /^\s*-?\d{1,3}(\.\d{1,10})?\s*,\s*-?\d{1,3}(\.\d{1,10})?\s*$/,
    "må være «breddegrad,lengdegrad» i desimalgrader, for eksempel 59.91,10.75",
  )
  .transform((s) => {
    const [lat, lon] = s.split(",").map((p) => Number(p.trim()));
    return { lat: lat!, lon: lon! };
  })
  .pipe(
    z.object({
      lat: z
        .number()
        .min(-90, "breddegraden må være mellom -90 og 90")
        .max(90, "breddegraden må være mellom -90 og 90"),
      lon: z
        .number()
        .min(-180, "lengdegraden må være mellom -180 og 180")
        .max(180, "lengdegraden må være mellom -180 og 180"),
    }),
  );

/** GET /api/v1/studies — the same filters, facets, sorting and pages as the search pages. */
export const studiesQueryParams: ParamDef[] = [
  {
    name: "q",
    schema: z
      .string()
      .trim()
      .max(MAX_QUERY_LENGTH, `høyst ${MAX_QUERY_LENGTH} tegn`)
      .refine(noControl, "kan ikke inneholde kontrolltegn"),
    multi: false,
    io: "output",
    description:
      "Fritekst: diagnose, behandling eller ord fra tittelen. Folkelige og medisinske ord og ICD-10-koder finner de samme studiene («brystkreft», «mammacancer», «C50»), og små skrivefeil tåles.",
    example: "brystkreft",
  },
  {
    name: "status",
    schema: listOf(oneOf(STATUS_FILTERS)),
    multi: true,
    io: "output",
    description:
      "Inklusjonsstatus nå, utledet i det øyeblikket spørsmålet stilles (fra datoene, eller kildens egen oppgitte status; se Site.statusBasis): open (minst ett sted inkluderer), planned, closed (inklusjonen er over, eller statusen er ukjent fordi ingen har bekreftet den på lenge). Steder som bare tar inn inviterte, eller som har pause, svarer ikke på noen av dem. Uten parameteren: alle.",
    example: "open",
  },
  {
    name: "regions",
    schema: listOf(referenceId),
    multi: true,
    io: "output",
    description: "Regionale helseforetak (id fra /api/v1/organisations).",
    example: "helse-vest",
  },
  {
    name: "organisations",
    schema: listOf(referenceId),
    multi: true,
    io: "output",
    description: "Helseforetak/sykehus som har et studiested (id).",
    example: "ous",
  },
  {
    name: "hospitals",
    schema: listOf(referenceId),
    multi: true,
    io: "output",
    description: "Behandlingssteder (id fra /api/v1/organisations).",
    example: "ous-rikshospitalet",
  },
  {
    name: "categories",
    schema: listOf(referenceId),
    multi: true,
    io: "output",
    description: "HRCS-helsekategorier (id).",
    example: "kreft",
  },
  {
    name: "icd10",
    schema: listOf(icd10Prefix),
    multi: true,
    io: "input",
    description: "ICD-10-koder eller prefikser: C50 gir også C509, C gir hele kapittelet.",
    example: "C50",
  },
  {
    name: "studyTypes",
    schema: listOf(oneOf(STUDY_TYPES)),
    multi: true,
    io: "output",
    description: "Studietype.",
    example: "treatment",
  },
  {
    name: "phases",
    schema: listOf(oneOf(PHASES)),
    multi: true,
    io: "output",
    description: "Fase.",
    example: "phase_3",
  },
  {
    name: "age",
    schema: wholeNumber(0, 120),
    multi: false,
    io: "output",
    description: "Alder i hele år: bare studier der alderen er innenfor alderskravet.",
    example: "54",
  },
  {
    name: "sex",
    schema: oneOf(["female", "male"] as const),
    multi: false,
    io: "output",
    description: "Kjønn: bare studier som er åpne for dette kjønnet (studier for alle er med).",
    example: "female",
  },
  {
    name: "healthyVolunteers",
    schema: oneOf(["true", "false"] as const),
    multi: false,
    io: "output",
    description: "true: bare studier som tar imot friske frivillige; false: bare studier som ikke gjør det.",
    example: "true",
  },
  {
    name: "near",
    schema: latLon,
    multi: false,
    io: "input",
    description:
      "Et sted, «breddegrad,lengdegrad» (WGS 84). Gir avstand til nærmeste studiested og sortering etter avstand.",
    example: "59.91,10.75",
  },
  {
    name: "postcode",
    schema: z
      .string()
      .trim()
      .regex(/^\d{4}$/, "må være et norsk postnummer med fire sifre"),
    multi: false,
    io: "output",
    description:
      "Et norsk postnummer i stedet for near (koordinater: https://www.erikbolstad.no/postnummer/, CC BY 3.0).",
    example: "0450",
  },
  {
    name: "sort",
    schema: oneOf(SORTS),
    multi: false,
    io: "output",
    description:
      "relevance (beste treff; standard når q er gitt; med near eller postcode: studier der ordene står i tittelen, tilstandene eller diagnosekodene først, nærmeste først, så de andre treffene, nærmeste først), closing (stenger først), newest (sist endret først; standard uten q), distance (nærmest først uansett hvor godt studien passer; krever near eller postcode). Rekkefølgen er stabil: like verdier ordnes etter studie-id.",
    example: "closing",
  },
  {
    name: "facets",
    schema: listOf(oneOf(FACETS)),
    multi: true,
    io: "output",
    description: "Antall studier per verdi for disse feltene, med de samme filtrene.",
    example: "status,regionId",
  },
  {
    name: "page",
    schema: wholeNumber(1, MAX_PAGE),
    multi: false,
    io: "output",
    description: "Side (fra 1).",
    example: "1",
  },
  {
    name: "perPage",
    schema: wholeNumber(1, MAX_PER_PAGE),
    multi: false,
    io: "output",
    description: `Studier per side (standard ${DEFAULT_PER_PAGE}).`,
    example: "20",
  },
];

/** GET /api/v1/changes */
/** The statistics endpoints' one parameter: leave the fictional demo studies out, as /forsker/statistikk can. */
export const statisticsQueryParams: ParamDef[] = [
  {
    name: "demodata",
    schema: z.enum(["ja", "nei"], { message: "må være nei (uten demostudiene) eller ja (med dem, standard)" }),
    multi: false,
    io: "output",
    description: "nei: uten de fiktive demostudiene (demodata). Standard: ja, som på /forsker/statistikk.",
    example: "nei",
  },
];

export const changesQueryParams: ParamDef[] = [
  {
    name: "since",
    schema: z
      .string()
      .regex(
        /^[0-9]{1,15}$/,
        "må være en markør fra et tidligere svar (meta.next), eller utelates for å begynne fra starten",
      ),
    multi: false,
    io: "output",
    description:
      "Markør fra meta.next i forrige svar: endringer etter den. Utelat for å begynne fra starten. Markøren er stabil for alltid.",
    example: "0",
  },
  {
    name: "limit",
    schema: wholeNumber(1, MAX_CHANGES_LIMIT),
    multi: false,
    io: "output",
    description: `Endringer per side (standard ${DEFAULT_CHANGES_LIMIT}).`,
    example: "100",
  },
];

/** The path parameter of /api/v1/studies/{id}. */
export const studyIdParam: ParamDef = {
  name: "id",
  schema: wholeNumber(1, Number.MAX_SAFE_INTEGER),
  multi: false,
  io: "output",
  description: "Studiens id i portalen.",
  example: "1",
};

/* ================================================================== responses */

const instant = z.iso.datetime({ offset: true });
const calendarDate = z.iso.date();

export const localizedTextSchema = named(
  "LocalizedText",
  "Tekst på bokmål (nb), nynorsk (nn) og engelsk (en); språk uten tekst er utelatt.",
  z.object({ nb: z.string().optional(), nn: z.string().optional(), en: z.string().optional() }),
);
export const titleSchema = named(
  "Title",
  "Tittel: bokmål (nb) finnes alltid.",
  z.object({ nb: z.string(), nn: z.string().optional(), en: z.string().optional() }),
);

export const SITE_STATUSES = [...DOMAIN_SITE_STATUSES] as [
  "open",
  "invitation",
  "paused",
  "planned",
  "unknown",
  "closed",
];
export const STUDY_STATUSES = [...SITE_STATUSES, "no_sites"] as const;
const contactOut = z.object({ name: z.string(), email: z.string().nullable(), phone: z.string().nullable() });

export const siteSchema = named(
  "Site",
  "Et studiested med sin egen inklusjonsperiode. Statusen utledes når svaret lages og lagres aldri. statusBasis sier hva den bygger på: " +
    "dates (inklusjonsdatoer fra sykehuset eller forskeren, Europe/Oslo), declared (kildens egen status, se declaredStatus med dato og avsender) " +
    "eller unknown (ingen opplysning, eller en oppgitt status som er for gammel: statusStale). expectedStart/expectedEnd er et registers " +
    "forventede (estimerte) datoer og åpner eller stenger aldri noe. Et sted som ikke er et registrert foretak har organisation = null og " +
    "navnet slik kilden skriver det (name, city). confirmedOn er datoen (Europe/Oslo) stedets datoer eller oppgitte status sist ble " +
    "bekreftet, confirmationBasis hvem eller hva som bekreftet: user (en redaktør eller forsker), feed (en innlesing som hadde med stedet), " +
    "seed, system, eller backfill (ingen bekreftelse: stedets siste endring før bekreftelser ble registrert). confirmationState: confirmed " +
    "(innenfor grensen), overdue (ikke bekreftet på over 6 måneder, regnes fortsatt), lapsed (over 12 måneder: status unknown, regnes ikke " +
    "som åpen); null når stedet ikke kan endre status (avsluttet, ukjent) eller mangler bekreftelse. Grensene settes per installasjon.",
  z.object({
    id: z.number().int(),
    organisation: z.object({ id: z.string(), name: z.string() }).nullable(),
    region: z.object({ id: z.string(), name: z.string() }).nullable(),
    registered: z.boolean(),
    name: z.string().nullable(),
    city: z.string().nullable(),
    unnamedCount: z.number().int().nullable(),
    hospital: z
      .object({
        id: z.string(),
        name: z.string(),
        municipality: z.string().nullable(),
        lat: z.number().nullable(),
        lon: z.number().nullable(),
      })
      .nullable(),
    inclusionStart: calendarDate.nullable(),
    inclusionEnd: calendarDate.nullable(),
    expectedStart: calendarDate.nullable(),
    expectedEnd: calendarDate.nullable(),
    status: z.enum(SITE_STATUSES),
    statusBasis: z.enum(["dates", "declared", "unknown"]),
    statusStale: z.boolean(),
    declaredStatus: z
      .object({ status: z.enum(DECLARED_STATUSES), text: z.string(), on: calendarDate, by: z.string() })
      .nullable(),
    confirmedOn: calendarDate.nullable(),
    confirmedAt: z.string().nullable(),
    confirmationBasis: z.enum(["user", "feed", "seed", "system", "backfill"]).nullable(),
    confirmationState: z.enum(["confirmed", "overdue", "lapsed"]).nullable(),
    paused: z.boolean(),
    pauseReason: z.string().nullable(),
    contact: contactOut.nullable(),
    moreContacts: z.array(contactOut),
    referral: z.string().nullable(),
  }),
);

const identifiersSchema = z.object({
  nct: z.string().nullable(),
  euCt: z.string().nullable(),
  eudract: z.string().nullable(),
  isrctn: z.string().nullable(),
  rek: z.string().nullable(),
});

const leadOrganisationSchema = z.object({
  id: z.string(),
  name: z.string(),
  shortName: z.string(),
  region: z.object({ id: z.string(), name: z.string() }),
});

const studyCoreShape = {
  id: z.number().int(),
  version: z.number().int(),
  isDemo: z.boolean(),
  identifiers: identifiersSchema,
  title: titleSchema,
  shortTitle: localizedTextSchema,
  summary: localizedTextSchema,
  studyType: z.enum(STUDY_TYPES),
  phase: z.enum(PHASES).nullable(),
  categories: z.array(z.object({ id: z.string(), name: z.string().nullable() })),
  conditions: z.array(z.string()),
  icd10: z.array(z.object({ code: z.string(), name: z.string().nullable() })),
  /** The organisation responsible for the study in the portal (publishes it). */
  leadOrganisation: leadOrganisationSchema,
  /** The record's own lead as written (utført av, lead sponsor) and the organisation it matches; null: not stated. */
  lead: z.object({ name: z.string(), organisationId: z.string().nullable() }).nullable(),
  status: z.enum(STUDY_STATUSES),
  statusChangesAt: instant.nullable(),
  sites: z.array(siteSchema),
  createdAt: instant,
  updatedAt: instant,
  /** When the study was first published in the portal (for an imported study: when it was imported). */
  publishedAt: instant.nullable(),
  /**
   * The source's own first publication (ClinicalTrials.gov "First Posted"): the date, the source
   * field it was read from, and the source's own type of the date (null: it gives none). null when
   * the source has no such date (CTIS, FHIR, hospital listings, studies registered in the portal).
   */
  firstPosted: z
    .object({
      date: calendarDate,
      basis: z.string(),
      type: z.enum(["actual", "estimated"]).nullable(),
    })
    .nullable(),
  webUrl: z.url(),
  apiUrl: z.url(),
};

export const studySummarySchema = named(
  "StudySummary",
  "En studie i en treffliste: det en liste trenger (full studie: apiUrl). status er studiens beste stedsstatus nå; statusChangesAt er neste øyeblikk en stedsstatus endres av seg selv.",
  z.object({
    ...studyCoreShape,
    eligibility: z.object({
      minAgeYears: z.number().nullable(),
      maxAgeYears: z.number().nullable(),
      sex: z.enum(SEXES),
      healthyVolunteers: z.boolean().nullable(),
    }),
    match: z.object({
      siteId: z.number().int().nullable(),
      distanceKm: z.number().nullable(),
      highlightedTitle: z.string().nullable(),
    }),
  }),
);

export const studySchema = named(
  "Study",
  "En publisert studie med alle felt og alle aktive studiesteder.",
  z.object({
    ...studyCoreShape,
    localIds: z.array(z.object({ organisationId: z.string(), localId: z.string() })),
    scientificSummary: localizedTextSchema,
    participation: localizedTextSchema,
    snomed: z.array(z.string()),
    interventions: z.array(
      z.object({ type: z.enum(INTERVENTION_TYPES), name: z.string(), description: z.string().nullable() }),
    ),
    eligibility: z.object({
      minAgeYears: z.number().nullable(),
      maxAgeYears: z.number().nullable(),
      sex: z.enum(SEXES),
      healthyVolunteers: z.boolean().nullable(),
      ageGroups: z.array(z.string()),
      inclusionCriteria: localizedTextSchema,
      exclusionCriteria: localizedTextSchema,
    }),
    sponsor: z.string().nullable(),
    officialTitle: z.string().nullable(),
    keywords: z.array(z.string()),
    otherIdentifiers: z.array(z.object({ scheme: z.string(), value: z.string(), url: z.string().nullable() })),
    principalInvestigator: z
      .object({ name: z.string(), title: z.string().nullable(), organisationId: z.string().nullable() })
      .nullable(),
    contacts: z.array(
      z.object({
        role: z.enum(CONTACT_ROLES),
        name: z.string(),
        email: z.string().nullable(),
        phone: z.string().nullable(),
      }),
    ),
    links: z.array(z.object({ url: z.string(), label: z.string() })),
    targetEnrolment: z.number().int().nullable(),
    versionsUrl: z.url(),
  }),
);

const pageLinks = z.object({
  self: z.url(),
  first: z.url(),
  last: z.url(),
  prev: z.url().nullable(),
  next: z.url().nullable(),
});

export const studyListSchema = named(
  "StudyList",
  "Én side med treff. Rekkefølgen er stabil; bla med links.next til den er null.",
  z.object({
    data: z.array(studySummarySchema),
    meta: z.object({
      total: z.number().int(),
      page: z.number().int(),
      perPage: z.number().int(),
      pageCount: z.number().int(),
      sort: z.enum(SORTS),
      engine: z.string(),
      near: z
        .object({ lat: z.number(), lon: z.number(), postcode: z.string().nullable(), place: z.string().nullable() })
        .nullable(),
    }),
    facets: z.partialRecord(z.enum(FACETS), z.record(z.string(), z.number().int())),
    links: pageLinks,
  }),
);

export const CHANGE_KINDS = ["published", "changed", "withdrawn", "unpublished"] as const;

export const changeEntrySchema = named(
  "ChangeEntry",
  "Ett felt som er endret: sti, art og verdien før og etter.",
  z.object({
    path: z.string(),
    kind: z.enum(["added", "removed", "changed"]),
    from: z.unknown().optional(),
    to: z.unknown().optional(),
  }),
);

export const studyVersionSchema = named(
  "StudyVersion",
  "En offentlig versjon: da studien ble publisert, endret mens den var publisert, trukket tilbake eller avpublisert. Endringene er regnet mot forrige offentlige versjon.",
  z.object({
    version: z.number().int(),
    at: instant,
    kind: z.enum(CHANGE_KINDS),
    actor: z.object({
      kind: z.enum(["user", "source", "system", "seed"]),
      /** null for people: who edited is not published. */
      name: z.string().nullable(),
    }),
    source: z.object({ id: z.string(), kind: z.string().nullable() }).nullable(),
    summary: z.string(),
    changes: z.array(changeEntrySchema),
  }),
);

export const studyVersionListSchema = named(
  "StudyVersionList",
  "Alle offentlige versjoner av en studie, eldste først.",
  z.object({
    data: z.array(studyVersionSchema),
    meta: z.object({
      studyId: z.number().int(),
      count: z.number().int(),
      publicationState: z.enum(PUBLICATION_STATES),
    }),
    links: z.object({ self: z.url(), study: z.url() }),
  }),
);

export const organisationSchema = named(
  "Organisation",
  "Et helseforetak eller privat ideelt sykehus med region og behandlingssteder.",
  z.object({
    id: z.string(),
    name: z.string(),
    shortName: z.string(),
    kind: z.string(),
    orgnr: z.string().nullable(),
    website: z.string().nullable(),
    region: z.object({ id: z.string(), name: z.string(), shortName: z.string() }),
    hospitals: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        municipality: z.string().nullable(),
        municipalityNumber: z.string().nullable(),
        lat: z.number().nullable(),
        lon: z.number().nullable(),
      }),
    ),
  }),
);

export const organisationListSchema = named(
  "OrganisationList",
  "Alle organisasjoner, ordnet etter region og navn.",
  z.object({
    data: z.array(organisationSchema),
    meta: z.object({ count: z.number().int() }),
    links: z.object({ self: z.url() }),
  }),
);

const freshnessRowSchema = z.object({
  id: z.string().describe("Regionens eller helseforetakets id (som i /api/v1/organisations); «total» for hele landet."),
  name: z.string(),
  openSites: z
    .number()
    .int()
    .describe(
      "Åpne studiesteder etter datoer eller kildens status, før bekreftelsesgrensene (et studiested som sluttet å telle fordi ingen bekreftet det, telles her som ikke bekreftet).",
    ),
  confirmedSites: z.number().int().describe("Av dem: bekreftet innen den myke grensen."),
  confirmedShare: z
    .number()
    .min(0)
    .max(1)
    .nullable()
    .describe("confirmedSites / openSites (null uten åpne studiesteder)."),
  medianConfirmationAgeDays: z
    .number()
    .nullable()
    .describe(
      "Median antall dager siden siste bekreftelse for de åpne studiestedene (null når ingen har en bekreftelse).",
    ),
});

export const confirmationFreshnessSchema = named(
  "ConfirmationFreshness",
  "Hvor ferske bekreftelsene av åpne studiesteder er, per region og per helseforetak, regnet ut for øyeblikket svaret ble laget (ADR 0019, 0020).",
  z.object({
    data: z.object({
      regions: z.array(freshnessRowSchema),
      organisations: z.array(freshnessRowSchema),
      total: freshnessRowSchema,
    }),
    meta: z.object({
      on: z.iso.date().describe("Dagen tallene gjelder (Europe/Oslo): aldrene telles i hele dager."),
      softLimitMonths: z.number().int(),
      hardLimitMonths: z.number().int(),
    }),
    links: z.object({ self: z.url() }),
  }),
);

export const newStudiesSchema = named(
  "NewStudies",
  "Nye studier per måned (Europe/Oslo), fra den første måneden en publisert studie ble offentlig til denne måneden: etter kildens første publisering der kilden oppgir den (f.eks. «First Posted» i ClinicalTrials.gov), ellers etter portalens første publisering (ADR 0028). Samme tall som /forsker/statistikk.",
  z.object({
    data: z.array(
      z.object({
        month: z.string().regex(/^\d{4}-\d{2}$/),
        count: z.number().int(),
        bySourceDate: z.number().int().describe("Av dem: telt etter kildens egen første publisering."),
        byPortalDate: z
          .number()
          .int()
          .describe("Av dem: telt etter portalens første publisering (kilden oppgir ingen slik dato)."),
      }),
    ),
    meta: z.object({
      on: z.iso.date().describe("Dagen tallene gjelder (Europe/Oslo)."),
      bySourceDate: z.number().int().describe("Studier telt etter kildens dato, i alt."),
      byPortalDate: z.number().int().describe("Studier telt etter portalens dato, i alt."),
    }),
    links: z.object({ self: z.url() }),
  }),
);

export const changeSchema = named(
  "Change",
  "En offentlig endring: published (ble synlig), changed, withdrawn (trukket tilbake) eller unpublished (skjult igjen). cursor kan brukes som since.",
  z.object({
    cursor: z.string(),
    studyId: z.number().int(),
    version: z.number().int(),
    kind: z.enum(CHANGE_KINDS),
    at: instant,
    links: z.object({ study: z.url(), versions: z.url() }),
  }),
);

export const changeListSchema = named(
  "ChangeList",
  "Endringer i den rekkefølgen de ble lagret. Fortsett med meta.next (links.next) til hasMore er false; spør senere med samme markør for nye endringer.",
  z.object({
    data: z.array(changeSchema),
    meta: z.object({ since: z.string().nullable(), next: z.string(), hasMore: z.boolean(), limit: z.number().int() }),
    links: z.object({ self: z.url(), next: z.url() }),
  }),
);

export const errorSchema = named(
  "Error",
  "Alle feil har denne formen. code er stabil (engelsk); message er til mennesker (norsk). Ved ugyldige parametere lister details.parameters hver parameter og hvorfor.",
  z.object({
    error: z.object({
      status: z.number().int(),
      code: z.string(),
      message: z.string(),
      details: z.unknown().optional(),
    }),
  }),
);

export type StudyOut = z.output<typeof studySchema>;
export type StudySummaryOut = z.output<typeof studySummarySchema>;
export type SiteOut = z.output<typeof siteSchema>;
export type StudyListOut = z.output<typeof studyListSchema>;
export type StudyVersionOut = z.output<typeof studyVersionSchema>;
export type StudyVersionListOut = z.output<typeof studyVersionListSchema>;
export type OrganisationOut = z.output<typeof organisationSchema>;
export type OrganisationListOut = z.output<typeof organisationListSchema>;
export type ConfirmationFreshnessOut = z.output<typeof confirmationFreshnessSchema>;
export type NewStudiesOut = z.output<typeof newStudiesSchema>;
export type ChangeOut = z.output<typeof changeSchema>;
export type ChangeListOut = z.output<typeof changeListSchema>;
export type ChangeKind = (typeof CHANGE_KINDS)[number];
