/**
 * The contract of "studies open now for a diagnosis or treatment" (issue 19 item 7): the query
 * parameters of GET /api/v1/open-studies and of the embed /embed/studies, and the JSON answer.
 * Registered in `apiSchemas`, so the OpenAPI document (app/api/openapi.ts) documents what is checked.
 */
import { z } from "zod";
import { DIAGNOSIS_KEY_KINDS } from "#app/domain/diagnosis-key";
import { LANGS } from "#app/i18n/languages";
import { apiSchemas, type ParamDef } from "./schemas";

const named = <T extends z.ZodType>(id: string, description: string, schema: T): T => {
  apiSchemas.add(schema, { id, description });
  return schema;
};

export const OPEN_STUDIES_DEFAULT_LIMIT = 20;
export const OPEN_STUDIES_MAX_LIMIT = 100;

const code = (pattern: RegExp, message: string) =>
  z
    .string()
    .trim()
    .transform((v) => v.toUpperCase().replace(/\./g, ""))
    .pipe(z.string().regex(pattern, message));

/** Exactly one of icd10, icpc2, snomed or treatment (checked after parsing: app/domain/diagnosis-key.ts). */
export const openStudiesQueryParams: ParamDef[] = [
  {
    name: "icd10",
    schema: code(/^[A-Z]\d{2}[0-9A-Z]{0,2}$/, "må være en ICD-10-kode eller et prefiks, for eksempel C50 eller C50.9"),
    multi: false,
    io: "input",
    description: "ICD-10-kode (med eller uten punktum); koder under den er med (C50 gir også C509).",
    example: "C50",
  },
  {
    name: "icpc2",
    schema: code(/^[A-Z]\d{2}\d?$/, "må være en ICPC-2-kode, for eksempel T90 eller K75"),
    multi: false,
    io: "input",
    description:
      "ICPC-2-kode (det fastlegene koder i). Leses som ICD-10-kodene til samme begrep der portalens synonymliste kjenner dem, ellers som søk på kodens norske navn; svaret sier hvordan (key.readAs).",
    example: "T90",
  },
  {
    name: "snomed",
    schema: z
      .string()
      .trim()
      .regex(/^\d{6,18}$/, "må være en SNOMED CT-begreps-id (6–18 sifre)"),
    multi: false,
    io: "output",
    description: "SNOMED CT-begreps-id, slik sykehusenes studielister knytter studier til diagnoser.",
    example: "254837009",
  },
  {
    name: "treatment",
    schema: z
      .string()
      .trim()
      .min(2, "må ha minst 2 tegn")
      .max(100, "høyst 100 tegn")
      .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), "kan ikke inneholde kontrolltegn"), // eslint-disable-line no-control-regex -- refuses control characters
    multi: false,
    io: "output",
    description: "Navn på en behandling; studier med en intervensjon der navnet inneholder teksten.",
    example: "metformin",
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
      "Et norsk postnummer: nærmeste åpne studiested først, med avstand (koordinater: https://www.erikbolstad.no/postnummer/, CC BY 3.0). Uten: de som stenger først, først.",
    example: "0450",
  },
  {
    name: "lang",
    schema: z.enum(LANGS, { error: "må være nb, nn eller en" }),
    multi: false,
    io: "output",
    description:
      "Språk for tekstene (nb, nn, en; standard nb). En tekst som ikke finnes på språket, kommer på et annet, og titleLang/summaryLang sier hvilket.",
    example: "nn",
  },
  {
    name: "limit",
    schema: z
      .string()
      .regex(/^\d{1,4}$/, "må være et helt tall")
      .transform(Number)
      .pipe(z.number().int().min(1, "må være minst 1").max(OPEN_STUDIES_MAX_LIMIT, `høyst ${OPEN_STUDIES_MAX_LIMIT}`)),
    multi: false,
    io: "input",
    description: `Høyst så mange studier (standard ${OPEN_STUDIES_DEFAULT_LIMIT}); total sier hvor mange det er.`,
    example: "10",
  },
];

const openSiteSchema = z.object({
  id: z.number().int(),
  /** The registered hospital, or the location as the source names it. */
  place: z.string(),
  municipality: z.string().nullable(),
  distanceKm: z.number().int().nullable(),
  statusText: z.string(),
  inclusionStart: z.iso.date().nullable(),
  inclusionEnd: z.iso.date().nullable(),
  contact: z.object({ name: z.string(), email: z.string().nullable(), phone: z.string().nullable() }).nullable(),
});

const openStudySchema = z.object({
  id: z.number().int(),
  title: z.string(),
  /** The language the title is in (another than asked for when the study has none in that language). */
  titleLang: z.enum(LANGS),
  summary: z.string().nullable(),
  summaryLang: z.enum(LANGS).nullable(),
  isDemo: z.boolean(),
  /** Distance to the nearest open site from the postcode (whole km), or null. */
  nearestKm: z.number().int().nullable(),
  webUrl: z.url(),
  apiUrl: z.url(),
  /** The study's sites that are open now (nearest first with a postcode). */
  sites: z.array(openSiteSchema),
});

export const openStudiesSchema = named(
  "OpenStudies",
  "Studier som tar inn deltakere nå for en diagnose eller behandling, utledet fra hvert steds datoer i det øyeblikket svaret lages. Med postnummer: nærmeste åpne sted først; ellers de som stenger først.",
  z.object({
    key: z.object({
      kind: z.enum(DIAGNOSIS_KEY_KINDS),
      value: z.string(),
      /** The code's Norwegian name where the portal knows it. */
      name: z.string().nullable(),
      /** How the key was read, in the answer's language (e.g. an ICPC-2 code as its ICD-10 codes). */
      readAs: z.string().nullable(),
    }),
    lang: z.enum(LANGS),
    near: z.object({ postcode: z.string(), place: z.string() }).nullable(),
    order: z.enum(["distance", "closing"]),
    total: z.number().int(),
    studies: z.array(openStudySchema),
    links: z.object({ self: z.url(), html: z.url(), portal: z.url() }),
  }),
);

export type OpenStudiesOut = z.output<typeof openStudiesSchema>;
export type OpenStudyOut = OpenStudiesOut["studies"][number];
export type OpenSiteOut = OpenStudyOut["sites"][number];
