/**
 * The OpenAPI 3.1 document of the open read API, generated from the zod schemas the code validates
 * with (app/api/schemas.ts) by z.toJSONSchema(): response bodies from the registered component
 * schemas, query parameters from each parameter's own schema. Pure; served at /api/openapi.json
 * and rendered as the readable page /api.
 *
 * Summaries are English, descriptions Norwegian (bokmål).
 */
import { z } from "zod";
import {
  apiSchemas,
  changesQueryParams,
  DEFAULT_CHANGES_LIMIT,
  DEFAULT_PER_PAGE,
  MAX_CHANGES_LIMIT,
  MAX_PER_PAGE,
  studiesQueryParams,
  studyIdParam,
  type ParamDef,
} from "./schemas";
import { STUDY_CSV_HEADER } from "./csv";

type Json = Record<string, unknown>;

export const API_VERSION = "1.0.0";

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

function stripMeta(schema: Json): Json {
  const { $schema: _s, $id: _i, ...rest } = schema;
  return rest;
}

function componentSchemas(): Record<string, Json> {
  const { schemas } = z.toJSONSchema(apiSchemas, { uri: (id) => `#/components/schemas/${id}`, target: "draft-2020-12", io: "output" });
  return Object.fromEntries(Object.entries(schemas).map(([name, s]) => [name, stripMeta(s as Json)]));
}

/** An example in the parameter's documented type (a list for repeatable ones, numbers for integers). */
function exampleValue(example: string, multi: boolean, schema: Json): unknown {
  if (multi) return example.split(",");
  return schema.type === "integer" || schema.type === "number" ? Number(example) : example;
}

function parameter(def: ParamDef, location: "query" | "path"): Json {
  const schema = stripMeta(z.toJSONSchema(def.schema, { io: def.io, target: "draft-2020-12", unrepresentable: "any" }) as Json);
  return {
    name: def.name,
    in: location,
    required: location === "path",
    description: def.multi ? `${def.description} Kan gjentas, eller skill verdiene med komma.` : def.description,
    schema,
    ...(def.multi ? { style: "form", explode: true } : {}),
    ...(def.example != null ? { example: exampleValue(def.example, def.multi, schema) } : {}),
  };
}

const header = (description: string, schema: Json = { type: "string" }) => ({ description, schema });

const validators = {
  ETag: { $ref: "#/components/headers/ETag" },
  "Last-Modified": { $ref: "#/components/headers/LastModified" },
  "RateLimit-Limit": { $ref: "#/components/headers/RateLimitLimit" },
  "RateLimit-Remaining": { $ref: "#/components/headers/RateLimitRemaining" },
  "RateLimit-Reset": { $ref: "#/components/headers/RateLimitReset" },
  "Access-Control-Allow-Origin": { $ref: "#/components/headers/AccessControlAllowOrigin" },
};

const jsonOk = (schema: string, description: string) => ({
  description,
  headers: validators,
  content: { "application/json": { schema: ref(schema) } },
});

const errors = (...statuses: ("400" | "404" | "410")[]) => ({
  "304": { $ref: "#/components/responses/NotModified" },
  ...Object.fromEntries(statuses.map((s) => [s, { $ref: `#/components/responses/${{ "400": "BadRequest", "404": "NotFound", "410": "Gone" }[s]}` }])),
  "429": { $ref: "#/components/responses/TooManyRequests" },
});

export interface OpenApiOptions {
  /** Public base URL without a trailing slash (BASE_URL). */
  baseUrl: string;
}

export function buildOpenApiDocument({ baseUrl }: OpenApiOptions): Json {
  const idParam = parameter(studyIdParam, "path");
  return {
    openapi: "3.1.0",
    jsonSchemaDialect: "https://json-schema.org/draft/2020-12/schema",
    info: {
      title: "Kliniske studier – åpent API",
      version: API_VERSION,
      summary: "Open, read-only REST API of Norway's national clinical trials portal.",
      description: [
        "Alt portalen vet om publiserte kliniske studier i norske sykehus, åpent og uten innlogging: søk med de samme filtrene som søkesidene, hver studie med alle studiesteder, hele versjonshistorikken, en endringslogg for speilinger og bulkeksport.",
        "",
        "**Status lagres aldri.** Inklusjonsstatus (open, planned, closed, paused) utledes fra hvert steds inklusjonsdatoer (kalenderdager i Europe/Oslo, sluttdatoen inkludert) i det øyeblikket svaret lages. `statusChangesAt` sier når en status neste gang endres av seg selv.",
        "",
        "**Feil** har alltid formen `{ \"error\": { \"status\", \"code\", \"message\", \"details\" } }`; ugyldige parametere gir 400 med hver parameter og hvorfor i `details.parameters`. Ukjente parametere avvises.",
        "",
        "**Mellomlagring:** alle svar har `ETag` og som regel `Last-Modified`; send `If-None-Match` eller `If-Modified-Since` og få 304 når ingenting er endret.",
        "",
        "**CORS** er åpent for lesing (`Access-Control-Allow-Origin: *`). **Grense:** hver klient har en kvote (token bucket); over den svarer API-et 429 med `Retry-After`.",
        "",
        "Demodata: studier med `isDemo: true` er fiktive. Postnummerkoordinater: www.erikbolstad.no/postnummer/ (CC BY 4.0).",
      ].join("\n"),
    },
    servers: [{ url: baseUrl, description: "Denne portalen" }],
    tags: [
      { name: "Studier", description: "Search, read and export studies. Søk, les og eksporter studier." },
      { name: "Historikk", description: "Versions and the change log. Versjoner og endringslogg." },
      { name: "Referanser", description: "Organisations, regions and hospitals. Organisasjoner, regioner og sykehus." },
      { name: "Dokumentasjon", description: "This document. Dette dokumentet." },
    ],
    paths: {
      "/api/v1/studies": {
        get: {
          operationId: "listStudies",
          tags: ["Studier"],
          summary: "Search studies with filters, facets, sorting and pages",
          description: `Søk i publiserte studier med de samme filtrene, fasettene, sorteringene og sidene som søkesidene. Sidebasert (standard ${DEFAULT_PER_PAGE}, høyst ${MAX_PER_PAGE} per side) med stabil rekkefølge; links.next er null på siste side.`,
          parameters: studiesQueryParams.map((d) => parameter(d, "query")),
          responses: { "200": jsonOk("StudyList", "Én side med treff."), ...errors("400") },
        },
      },
      "/api/v1/studies/{id}": {
        get: {
          operationId: "getStudy",
          tags: ["Studier"],
          summary: "One published study with all its fields and sites",
          description: "Én publisert studie med alle felt, alle aktive studiesteder og status per sted. Utkast finnes ikke her (404); en studie som er trukket tilbake gir 410.",
          parameters: [idParam],
          responses: { "200": jsonOk("Study", "Studien."), ...errors("400", "404", "410") },
        },
      },
      "/api/v1/studies/{id}/versions": {
        get: {
          operationId: "listStudyVersions",
          tags: ["Historikk"],
          summary: "Every public version of a study, with what changed",
          description:
            "Hver offentlige versjon av studien, eldste først: tidspunkt, hvem eller hva som endret (for personer bare «user»), kilde og hva som ble endret, regnet mot forrige offentlige versjon. Utkast og endringer mens studien ikke var publisert vises ikke.",
          parameters: [idParam],
          responses: { "200": jsonOk("StudyVersionList", "Versjonene."), ...errors("400", "404") },
        },
      },
      "/api/v1/organisations": {
        get: {
          operationId: "listOrganisations",
          tags: ["Referanser"],
          summary: "Organisations with their region and hospitals",
          description: "Alle helseforetak og private ideelle sykehus med region og behandlingssteder (id-ene brukes i filtrene regions, organisations og hospitals).",
          responses: { "200": jsonOk("OrganisationList", "Organisasjonene."), ...errors() },
        },
      },
      "/api/v1/changes": {
        get: {
          operationId: "listChanges",
          tags: ["Historikk"],
          summary: "Incremental change log for mirrors",
          description: `Endringslogg for speilinger: hver offentlige endring (published, changed, withdrawn, unpublished) i den rekkefølgen den ble lagret, med en markør som er stabil for alltid. Begynn uten since (eller etter en eksport, med X-Changes-Cursor fra eksporten), følg links.next til meta.hasMore er false, og spør senere med meta.next. Standard ${DEFAULT_CHANGES_LIMIT}, høyst ${MAX_CHANGES_LIMIT} per side. Statusendringer som bare følger av datoene er ikke endringer: de utledes av datoene (se statusChangesAt).`,
          parameters: changesQueryParams.map((d) => parameter(d, "query")),
          responses: { "200": jsonOk("ChangeList", "Én side med endringer."), ...errors("400") },
        },
      },
      "/api/v1/export/studies.ndjson": {
        get: {
          operationId: "exportStudiesNdjson",
          tags: ["Studier"],
          summary: "All published studies as NDJSON (one Study per line)",
          description:
            "Alle publiserte studier, én Study (samme form som /api/v1/studies/{id}) per linje, strømmet og ordnet etter id. Hele eksporten leses fra ett og samme øyeblikk av databasen; X-Changes-Cursor er markøren for /api/v1/changes fra det øyeblikket.",
          responses: {
            "200": {
              description: "NDJSON: hver linje er et Study-objekt.",
              headers: { ...validators, "X-Changes-Cursor": { $ref: "#/components/headers/ChangesCursor" } },
              content: { "application/x-ndjson": { schema: ref("Study") } },
            },
            ...errors(),
          },
        },
      },
      "/api/v1/export/studies.csv": {
        get: {
          operationId: "exportStudiesCsv",
          tags: ["Studier"],
          summary: "All published studies as CSV (one row per study)",
          description: `Alle publiserte studier som CSV (RFC 4180, UTF-8 med BOM), én rad per studie, strømmet og ordnet etter id. Kolonner: ${STUDY_CSV_HEADER.join(", ")}. Lister er skilt med «; ».`,
          responses: {
            "200": {
              description: "CSV.",
              headers: { ...validators, "X-Changes-Cursor": { $ref: "#/components/headers/ChangesCursor" } },
              content: { "text/csv": { schema: { type: "string" } } },
            },
            ...errors(),
          },
        },
      },
      "/api/openapi.json": {
        get: {
          operationId: "getOpenApiDocument",
          tags: ["Dokumentasjon"],
          summary: "This OpenAPI 3.1 document",
          description: "Dette dokumentet, generert fra de samme zod-skjemaene som koden validerer med. Lesbar utgave: /api.",
          responses: {
            "200": { description: "OpenAPI 3.1.", content: { "application/json": { schema: { type: "object" } } } },
            "304": { $ref: "#/components/responses/NotModified" },
          },
        },
      },
    },
    components: {
      schemas: componentSchemas(),
      headers: {
        ETag: header("Validator for If-None-Match (svak).") as Json,
        LastModified: header("Siste endring, for If-Modified-Since.") as Json,
        RateLimitLimit: header("Kvoten: så mange forespørsler på en gang.", { type: "integer" }) as Json,
        RateLimitRemaining: header("Forespørsler igjen nå.", { type: "integer" }) as Json,
        RateLimitReset: header("Sekunder til kvoten er full igjen.", { type: "integer" }) as Json,
        RetryAfter: header("Sekunder å vente før neste forsøk.", { type: "integer" }) as Json,
        AccessControlAllowOrigin: header("Alltid *: åpent for lesing fra alle nettsteder.") as Json,
        ChangesCursor: header("Markør for /api/v1/changes?since= fra det øyeblikket eksporten ble lest.") as Json,
      },
      responses: {
        NotModified: { description: "Ikke endret siden If-None-Match / If-Modified-Since.", headers: { ETag: validators.ETag } },
        BadRequest: {
          description: "Ugyldig parameter: details.parameters sier hvilken og hvorfor.",
          content: { "application/json": { schema: ref("Error") } },
        },
        NotFound: { description: "Finnes ikke (eller er ikke publisert).", content: { "application/json": { schema: ref("Error") } } },
        Gone: { description: "Studien er trukket tilbake; historikken finnes fortsatt under /versions.", content: { "application/json": { schema: ref("Error") } } },
        TooManyRequests: {
          description: "For mange forespørsler fra denne klienten: vent Retry-After sekunder.",
          headers: { "Retry-After": { $ref: "#/components/headers/RetryAfter" } },
          content: { "application/json": { schema: ref("Error") } },
        },
      },
    },
  };
}
