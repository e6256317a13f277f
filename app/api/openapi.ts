/**
 * The OpenAPI 3.1 document of the open read API, generated from the zod schemas the code validates
 * with (app/api/schemas.ts) by z.toJSONSchema(): response bodies from the registered component
 * schemas, query parameters from each parameter's own schema. Pure; served at /api/openapi.json
 * and rendered as the readable page /api.
 *
 * Also the endpoints outside /api/v1's JSON: the live event stream, the Atom and iCalendar feeds
 * and the hospital embeds (their payload schemas in app/api/feed-schemas.ts).
 *
 * Summaries are English, descriptions Norwegian (bokmål).
 */
import { z } from "zod";
import {
  apiSchemas,
  changesQueryParams,
  statisticsQueryParams,
  DEFAULT_CHANGES_LIMIT,
  DEFAULT_PER_PAGE,
  MAX_CHANGES_LIMIT,
  MAX_PER_PAGE,
  studiesQueryParams,
  studyIdParam,
  type ParamDef,
} from "./schemas";
import { STUDY_CSV_HEADER } from "./csv";
// Registers the OpenStudies schema (studies open now for a diagnosis or treatment).
import { OPEN_STUDIES_MAX_LIMIT, openStudiesQueryParams } from "./diagnosis-schemas";
// Registers the event, feed and embed schemas in apiSchemas before the components are generated.
import {
  categoryFileParam,
  embedOrganisationParam,
  icd10ChapterParam,
  lastEventIdParam,
  LIVE_EVENT_SCHEMAS,
  organisationFileParam,
} from "./feed-schemas";

type Json = Record<string, unknown>;

export const API_VERSION = "1.0.0";

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

function stripMeta(schema: Json): Json {
  const { $schema: _s, $id: _i, ...rest } = schema;
  return rest;
}

function componentSchemas(): Record<string, Json> {
  const { schemas } = z.toJSONSchema(apiSchemas, {
    uri: (id) => `#/components/schemas/${id}`,
    target: "draft-2020-12",
    io: "output",
  });
  return Object.fromEntries(Object.entries(schemas).map(([name, s]) => [name, stripMeta(s as Json)]));
}

/** An example in the parameter's documented type (a list for repeatable ones, numbers for integers). */
function exampleValue(example: string, multi: boolean, schema: Json): unknown {
  if (multi) return example.split(",");
  return schema.type === "integer" || schema.type === "number" ? Number(example) : example;
}

function parameter(def: ParamDef, location: "query" | "path"): Json {
  const schema = stripMeta(
    z.toJSONSchema(def.schema, { io: def.io, target: "draft-2020-12", unrepresentable: "any" }) as Json,
  );
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

/** A 200 with a text body (Atom, iCalendar, HTML): the schema is a string in that media type. */
const textOk = (mediaType: string, description: string, headers: Json = validators) => ({
  description,
  headers,
  content: { [mediaType]: { schema: { type: "string" } } },
});

const errors = (...statuses: ("400" | "404" | "410")[]) => ({
  "304": { $ref: "#/components/responses/NotModified" },
  ...Object.fromEntries(
    statuses.map((s) => [
      s,
      { $ref: `#/components/responses/${{ "400": "BadRequest", "404": "NotFound", "410": "Gone" }[s]}` },
    ]),
  ),
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
        '**Feil** har alltid formen `{ "error": { "status", "code", "message", "details" } }`; ugyldige parametere gir 400 med hver parameter og hvorfor i `details.parameters`. Ukjente parametere avvises.',
        "",
        "**Mellomlagring:** alle svar har `ETag` og som regel `Last-Modified`; send `If-None-Match` eller `If-Modified-Since` og få 304 når ingenting er endret.",
        "",
        "**CORS** er åpent for lesing (`Access-Control-Allow-Origin: *`). **Grense:** hver klient har en kvote (token bucket); over den svarer API-et 429 med `Retry-After`.",
        "",
        "Demodata: studier med `isDemo: true` er fiktive. Postnummerkoordinater: Erik Bolstad, https://www.erikbolstad.no/postnummer/ (CC BY 3.0).",
      ].join("\n"),
    },
    servers: [{ url: baseUrl, description: "Denne portalen" }],
    tags: [
      { name: "Studier", description: "Search, read and export studies. Søk, les og eksporter studier." },
      { name: "Historikk", description: "Versions and the change log. Versjoner og endringslogg." },
      { name: "Referanser", description: "Organisations, regions and hospitals. Organisasjoner, regioner og sykehus." },
      {
        name: "Statistikk",
        description: "National figures, such as how current the sites' confirmations are. Nasjonale tall.",
      },
      { name: "Hendelser", description: "Live events (Server-Sent Events). Direkte hendelser." },
      { name: "Feeds", description: "Atom feeds and iCalendar. Atom-feeder og iCalendar." },
      { name: "Innbygging", description: "Embeds for hospital web sites. Innbygging på sykehusenes nettsteder." },
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
          description:
            "Én publisert studie med alle felt, alle aktive studiesteder og status per sted. Utkast finnes ikke her (404); en studie som er trukket tilbake gir 410.",
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
      "/api/v1/open-studies": {
        get: {
          operationId: "listOpenStudiesForDiagnosis",
          tags: ["Studier"],
          summary: "Studies open now for an ICD-10, ICPC-2 or SNOMED CT code or a treatment name",
          description: `Studiene som tar inn deltakere nå for en diagnose eller behandling, til diagnose- og behandlingssider (helsenorge.no, sykehusenes nettsteder): oppgi nøyaktig én av icd10, icpc2, snomed eller treatment. Bare steder som er åpne nå er med (utledet fra datoene i det øyeblikket svaret lages). Med postcode: nærmeste åpne sted først, med avstand; ellers de som stenger først. Tekster på nb, nn eller en (lang); en tekst som bare finnes på et annet språk, sier hvilket (titleLang, summaryLang). Høyst ${OPEN_STUDIES_MAX_LIMIT} studier; total sier hvor mange. Samme innhold som HTML til en iframe: /embed/studies.`,
          parameters: openStudiesQueryParams.map((d) => parameter(d, "query")),
          responses: { "200": jsonOk("OpenStudies", "Studiene."), ...errors("400") },
        },
      },
      "/api/v1/organisations": {
        get: {
          operationId: "listOrganisations",
          tags: ["Referanser"],
          summary: "Organisations with their region and hospitals",
          description:
            "Alle helseforetak og private ideelle sykehus med region og behandlingssteder (id-ene brukes i filtrene regions, organisations og hospitals).",
          responses: { "200": jsonOk("OrganisationList", "Organisasjonene."), ...errors() },
        },
      },
      "/api/v1/statistics/confirmations": {
        get: {
          operationId: "getConfirmationFreshness",
          tags: ["Statistikk"],
          summary: "How current the confirmations of open sites are, per region and health trust",
          description:
            "Andelen åpne studiesteder som er bekreftet innen den myke grensen (standard 6 måneder), og median alder (dager) på bekreftelsene, per region, per helseforetak og for hele landet. Samme tall som /forsker/statistikk. Regnet ut for øyeblikket svaret lages.",
          parameters: statisticsQueryParams.map((d) => parameter(d, "query")),
          responses: { "200": jsonOk("ConfirmationFreshness", "Tallene."), ...errors("400") },
        },
      },
      "/api/v1/statistics/new-studies": {
        get: {
          operationId: "getNewStudies",
          tags: ["Statistikk"],
          summary: "New studies per month, by the first publication date of the source where known",
          description:
            "Antall studier som ble offentlige første gang i hver måned, fra den første til denne måneden: etter kildens første publisering der kilden oppgir den (ClinicalTrials.gov «First Posted»), ellers etter portalens første publisering; hver måned sier hvor mange som er telt etter hvilken dato. Samme tall som /forsker/statistikk (som viser de siste 24 månedene).",
          parameters: statisticsQueryParams.map((d) => parameter(d, "query")),
          responses: { "200": jsonOk("NewStudies", "Tallene."), ...errors("400") },
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
      "/api/v1/events": {
        get: {
          operationId: "streamEvents",
          tags: ["Hendelser"],
          summary: "Live events as Server-Sent Events",
          description: [
            "Direkte hendelser som Server-Sent Events (text/event-stream), åpne for alle (CORS). Hver hendelse har `event` (navnet), `id` og `data` (JSON på én linje):",
            "",
            "- `study.published`, `study.changed`, `study.withdrawn` (StudyChangeEvent): fra endringsloggen, i den rekkefølgen endringene ble lagret;",
            "- `study.status` (StudyStatusEvent): et steds inklusjonsvindu åpnet eller stengte (ved starten av Oslo-døgnet det skjer, eller ved neste oppstart);",
            "- `ready` (ReadyEvent): én gang per tilkobling, etter en eventuell gjentakelse;",
            "- `replay.truncated` (ReplayTruncatedEvent): flere enn 1000 hendelser ventet; strømmen avsluttes og klienten kobler til igjen fra `lastEventId`.",
            "",
            "**Id-er er posisjoner**, `<endring>-<status>` (f.eks. `120-7`): alt til og med endring 120 og statushendelse 7. Kobler klienten til igjen med `Last-Event-ID` (EventSource gjør det selv) eller `?lastEventId=`, sendes det den gikk glipp av, med de samme id-ene og i samme rekkefølge (høyst 1000 om gangen). Et rent tall er en markør fra /api/v1/changes.",
            "",
            "Kommentarer (`: heartbeat …`) hvert 15. sekund holder forbindelsen åpen gjennom mellomtjenere; `retry: 3000`. Strømmen er aldri betinget (ingen ETag/304) og har ingen kvote; en klient som ikke leser (over 1 MB venter) kobles fra og kan koble til igjen.",
          ].join("\n"),
          parameters: [
            parameter(lastEventIdParam, "query"),
            {
              name: "Last-Event-ID",
              in: "header",
              required: false,
              description:
                "Id-en til den siste hendelsen klienten fikk; strømmen fortsetter etter den. Vinner over ?lastEventId=.",
              schema: stripMeta(z.toJSONSchema(lastEventIdParam.schema, { target: "draft-2020-12" }) as Json),
              example: "120-7",
            },
          ],
          responses: {
            "200": {
              description: "Strømmen. data i hver hendelse følger skjemaet i x-events for hendelsens navn.",
              headers: { "Access-Control-Allow-Origin": validators["Access-Control-Allow-Origin"] },
              content: {
                "text/event-stream": {
                  schema: {
                    type: "string",
                    description:
                      "Server-Sent Events (WHATWG HTML, «Server-sent events»): id, event og data per hendelse.",
                  },
                  "x-events": Object.fromEntries(
                    Object.entries(LIVE_EVENT_SCHEMAS).map(([event, schema]) => [event, ref(schema)]),
                  ),
                },
              },
            },
            "400": { $ref: "#/components/responses/BadRequest" },
            "503": {
              description: "Strømmen er ikke startet ennå, eller for mange er koblet til (Retry-After).",
              headers: { "Retry-After": { $ref: "#/components/headers/RetryAfter" } },
              content: { "application/json": { schema: ref("Error") } },
            },
          },
        },
      },
      "/feeds/studies.atom": {
        get: {
          operationId: "getChangesFeed",
          tags: ["Feeds"],
          summary: "Atom feed of every public change",
          description: `Atom 1.0 med de 50 nyeste offentlige endringene (publisert, endret, trukket tilbake), nyeste først. Id-er er tag-URI-er; lenker går til studiens side. Samme CORS, ETag og kvote som API-et.`,
          responses: { "200": textOk("application/atom+xml", "Atom 1.0."), ...errors() },
        },
      },
      "/feeds/organisations/{organisation}.atom": {
        get: {
          operationId: "getOrganisationFeed",
          tags: ["Feeds"],
          summary: "Atom feed of the changes to the studies of one organisation",
          description:
            "Atom 1.0 med endringene i studier der organisasjonen har et studiested eller leder studien. Ukjent organisasjon gir 404.",
          parameters: [parameter(organisationFileParam, "path")],
          responses: { "200": textOk("application/atom+xml", "Atom 1.0."), ...errors("404") },
        },
      },
      "/feeds/categories/{category}.atom": {
        get: {
          operationId: "getCategoryFeed",
          tags: ["Feeds"],
          summary: "Atom feed of the changes in one HRCS category",
          description:
            "Atom 1.0 med endringene i studier i én HRCS-kategori (kategoriene sykehusenes nettsteder bruker, f.eks. cancer for Kreft). Ukjent kategori gir 404.",
          parameters: [parameter(categoryFileParam, "path")],
          responses: { "200": textOk("application/atom+xml", "Atom 1.0."), ...errors("404") },
        },
      },
      "/feeds/icd10/{chapter}.atom": {
        get: {
          operationId: "getIcdChapterFeed",
          tags: ["Feeds"],
          summary: "Atom feed of the changes in one ICD-10 chapter",
          description:
            "Atom 1.0 med endringene i studier med en ICD-10-kode i kapittelet (romertall I–XXII, f.eks. II for C00–D48). Ukjent kapittel gir 404.",
          parameters: [parameter(icd10ChapterParam, "path")],
          responses: { "200": textOk("application/atom+xml", "Atom 1.0."), ...errors("404") },
        },
      },
      "/feeds/search.atom": {
        get: {
          operationId: "getSearchFeed",
          tags: ["Feeds"],
          summary: "A saved search as an Atom feed of its current matches",
          description:
            "Et lagret søk: nøyaktig samme parametere som /api/v1/studies, og treffene nå som Atom 1.0 (én oppføring per studie). Ugyldige parametere gir 400 som i API-et.",
          parameters: studiesQueryParams.map((d) => parameter(d, "query")),
          responses: { "200": textOk("application/atom+xml", "Atom 1.0."), ...errors("400") },
        },
      },
      "/feeds/search.ics": {
        get: {
          operationId: "getSearchCalendar",
          tags: ["Feeds"],
          summary: "A saved search as an iCalendar of inclusion deadlines",
          description:
            "Et lagret søk som iCalendar (RFC 5545): en heldagshendelse «Siste dag for inklusjon: <tittel> (<sted>)» på hvert steds siste inklusjonsdag, for høyst 1000 studier. Samme parametere som /api/v1/studies.",
          parameters: studiesQueryParams.map((d) => parameter(d, "query")),
          responses: { "200": textOk("text/calendar", "iCalendar."), ...errors("400") },
        },
      },
      "/embed/organisations/{id}": {
        get: {
          operationId: "getOrganisationEmbed",
          tags: ["Innbygging"],
          summary: "Light HTML list of the open and planned studies of an organisation, for an iframe",
          description:
            "En lett side uten skript og uten portalens ramme (lang=nb) med organisasjonens åpne og planlagte studier ved egne steder, til en iframe på sykehusets nettsted. Content-Security-Policy frame-ancestors styres av EMBED_FRAME_ANCESTORS; lenker åpnes i toppvinduet. Ingen kvote.",
          parameters: [parameter(embedOrganisationParam, "path")],
          responses: {
            "200": textOk("text/html", "HTML.", {
              ETag: validators.ETag,
              "Content-Security-Policy": { $ref: "#/components/headers/EmbedCsp" },
            }),
            "304": { $ref: "#/components/responses/NotModified" },
            "404": {
              description: "Ukjent organisasjon (en HTML-side som sier det).",
              content: { "text/html": { schema: { type: "string" } } },
            },
          },
        },
      },
      "/embed/organisations/{id}.json": {
        get: {
          operationId: "getOrganisationEmbedJson",
          tags: ["Innbygging"],
          summary: "The same list as JSON",
          description:
            "Det samme innholdet som innbyggingen, som JSON, for sykehus som vil vise listen selv. Samme CORS, ETag og kvote som API-et; ukjent organisasjon gir 404.",
          parameters: [parameter(embedOrganisationParam, "path")],
          responses: { "200": jsonOk("EmbedOrganisation", "Listen."), ...errors("404") },
        },
      },
      "/embed/studies": {
        get: {
          operationId: "getDiagnosisEmbed",
          tags: ["Innbygging"],
          summary: "Light HTML list of the studies open now for a diagnosis or treatment, for an iframe",
          description:
            'En lett side uten skript og uten portalens ramme, til en iframe på en diagnose- eller behandlingsside: studiene som tar inn deltakere nå for en ICD-10-kode, en ICPC-2-kode, en SNOMED CT-id eller et behandlingsnavn, nærmeste først med postnummer, på nb, nn eller en (lang). Engelsk tekst fra registre er merket lang="en". Samme parametere og innhold som /api/v1/open-studies. Content-Security-Policy frame-ancestors styres av EMBED_FRAME_ANCESTORS; lenker åpnes i toppvinduet. Ingen kvote.',
          parameters: openStudiesQueryParams.map((d) => parameter(d, "query")),
          responses: {
            "200": textOk("text/html", "HTML.", {
              ETag: validators.ETag,
              "Content-Security-Policy": { $ref: "#/components/headers/EmbedCsp" },
            }),
            "304": { $ref: "#/components/responses/NotModified" },
            "400": {
              description: "Ugyldig eller manglende parameter (en HTML-side som sier hvilken og hvorfor).",
              content: { "text/html": { schema: { type: "string" } } },
            },
          },
        },
      },
      "/api/openapi.json": {
        get: {
          operationId: "getOpenApiDocument",
          tags: ["Dokumentasjon"],
          summary: "This OpenAPI 3.1 document",
          description:
            "Dette dokumentet, generert fra de samme zod-skjemaene som koden validerer med. Lesbar utgave: /api.",
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
        EmbedCsp: header(
          "frame-ancestors fra EMBED_FRAME_ANCESTORS (hvem som kan vise siden i en iframe); ingen skript.",
        ) as Json,
      },
      responses: {
        NotModified: {
          description: "Ikke endret siden If-None-Match / If-Modified-Since.",
          headers: { ETag: validators.ETag },
        },
        BadRequest: {
          description: "Ugyldig parameter: details.parameters sier hvilken og hvorfor.",
          content: { "application/json": { schema: ref("Error") } },
        },
        NotFound: {
          description: "Finnes ikke (eller er ikke publisert).",
          content: { "application/json": { schema: ref("Error") } },
        },
        Gone: {
          description: "Studien er trukket tilbake; historikken finnes fortsatt under /versions.",
          content: { "application/json": { schema: ref("Error") } },
        },
        TooManyRequests: {
          description: "For mange forespørsler fra denne klienten: vent Retry-After sekunder.",
          headers: { "Retry-After": { $ref: "#/components/headers/RetryAfter" } },
          content: { "application/json": { schema: ref("Error") } },
        },
      },
    },
  };
}
