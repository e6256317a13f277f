/**
 * The contract of the open endpoints outside the JSON read API: the live event stream
 * (/api/v1/events, app/realtime/hub.server.ts), the feeds (/feeds/…, app/feeds/) and the hospital
 * embeds (/embed/organisations/…, app/embed/). The event payloads and the embed JSON are zod
 * schemas registered in the same registry as the API's (`apiSchemas`), so they become
 * #/components/schemas of the OpenAPI document (app/api/openapi.ts) and the code that writes them
 * is typed by them.
 */
import { z } from "zod";
import { apiSchemas, SITE_STATUSES, STUDY_STATUSES, type ParamDef } from "./schemas";

const named = <T extends z.ZodType>(id: string, description: string, schema: T): T => {
  apiSchemas.add(schema, { id, description });
  return schema;
};

const instant = z.iso.datetime({ offset: true });
const calendarDate = z.iso.date();

/* ================================================================== live events */

export const STUDY_CHANGE_EVENTS = ["study.published", "study.changed", "study.withdrawn"] as const;

export const studyChangeEventSchema = named(
  "StudyChangeEvent",
  "Data i hendelsene study.published (studien ble offentlig), study.changed (en offentlig studie ble endret) og study.withdrawn (trukket tilbake; reason withdrawn, eller unpublished når den ble gjort til utkast igjen). changeCursor kan brukes som since i /api/v1/changes.",
  z.object({
    type: z.enum(STUDY_CHANGE_EVENTS),
    reason: z.enum(["withdrawn", "unpublished"]).optional(),
    studyId: z.number().int(),
    version: z.number().int(),
    at: instant,
    title: z.string(),
    leadOrganisationId: z.string(),
    organisations: z.array(z.string()),
    changeCursor: z.string(),
    links: z.object({ study: z.url(), web: z.url(), versions: z.url() }),
  }),
);

export const studyStatusEventSchema = named(
  "StudyStatusEvent",
  "Data i hendelsen study.status: et steds inklusjonsvindu åpnet eller stengte (fra datoene, ved starten av Oslo-døgnet). status og previousStatus er studiens samlede status etter og før; sites lister stedene som endret seg.",
  z.object({
    type: z.literal("study.status"),
    studyId: z.number().int(),
    at: instant,
    status: z.enum(STUDY_STATUSES),
    previousStatus: z.enum(STUDY_STATUSES),
    sites: z.array(
      z.object({
        siteId: z.number().int(),
        organisationId: z.string().nullable(),
        hospitalId: z.string().nullable(),
        from: z.enum(SITE_STATUSES),
        to: z.enum(SITE_STATUSES),
      }),
    ),
    links: z.object({ study: z.url(), web: z.url() }),
  }),
);

export const readyEventSchema = named(
  "ReadyEvent",
  "Data i hendelsen ready: sendes én gang per tilkobling etter en eventuell gjentakelse; lastEventId er posisjonen direktesendingen fortsetter fra.",
  z.object({ type: z.literal("ready"), lastEventId: z.string(), heartbeatSeconds: z.number().int() }),
);

export const replayTruncatedEventSchema = named(
  "ReplayTruncatedEvent",
  "Data i hendelsen replay.truncated: flere enn 1000 hendelser ventet. Strømmen avsluttes; koble til igjen med Last-Event-ID = lastEventId (EventSource gjør det selv), eller les resten fra changes.",
  z.object({ type: z.literal("replay.truncated"), lastEventId: z.string(), message: z.string(), changes: z.url() }),
);

/** Each SSE event name and the schema of its `data` (the OpenAPI document's x-events). */
export const LIVE_EVENT_SCHEMAS = {
  "study.published": "StudyChangeEvent",
  "study.changed": "StudyChangeEvent",
  "study.withdrawn": "StudyChangeEvent",
  "study.status": "StudyStatusEvent",
  ready: "ReadyEvent",
  "replay.truncated": "ReplayTruncatedEvent",
} as const;

export type StudyChangeEventOut = z.output<typeof studyChangeEventSchema>;
export type StudyStatusEventOut = z.output<typeof studyStatusEventSchema>;

export const lastEventIdParam: ParamDef = {
  name: "lastEventId",
  schema: z.string().regex(/^\d{1,15}(-\d{1,15})?$/),
  multi: false,
  io: "output",
  description:
    "Posisjonen å fortsette etter, for klienter som ikke kan sende headeren Last-Event-ID (headeren vinner). Formen <endring>-<status>, f.eks. 120-7; et rent tall (en markør fra /api/v1/changes) betyr den endringen og alle statushendelser til nå.",
  example: "120-7",
};

/* ================================================================== feeds */

export const organisationFileParam: ParamDef = {
  name: "organisation",
  schema: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
  multi: false,
  io: "output",
  description: "Organisasjonens id (fra /api/v1/organisations).",
  example: "helse-bergen",
};

export const categoryFileParam: ParamDef = {
  name: "category",
  schema: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9-]*$/),
  multi: false,
  io: "output",
  description: "HRCS-kategoriens id.",
  example: "cancer",
};

export const icd10ChapterParam: ParamDef = {
  name: "chapter",
  schema: z.string().regex(/^[IVX]{1,5}$/),
  multi: false,
  io: "output",
  description: "ICD-10-kapittel med romertall, I–XXII (II er svulster, C00–D48).",
  example: "II",
};

/* ================================================================== embeds */

const embedSiteSchema = z.object({
  id: z.number().int(),
  hospital: z.object({ id: z.string(), name: z.string(), municipality: z.string().nullable() }).nullable(),
  status: z.enum(["open", "planned"]),
  /** The status in words with what it rests on (dates, or the source's own words and date), in bokmål. */
  statusText: z.string(),
  inclusionStart: calendarDate.nullable(),
  inclusionEnd: calendarDate.nullable(),
  contact: z.object({ name: z.string(), email: z.string().nullable(), phone: z.string().nullable() }).nullable(),
});

const embedStudySchema = z.object({
  id: z.number().int(),
  title: z.string(),
  summary: z.string().nullable(),
  isDemo: z.boolean(),
  /** Over all the study's sites, not only this organisation's. */
  status: z.enum(STUDY_STATUSES),
  statusHere: z.enum(["open", "planned"]),
  webUrl: z.url(),
  apiUrl: z.url(),
  sites: z.array(embedSiteSchema),
});

export const embedOrganisationSchema = named(
  "EmbedOrganisation",
  "Det sykehusets innbygging viser: organisasjonens åpne studier (de som stenger først, først) og planlagte (de som åpner først, først), bare organisasjonens egne steder. status gjelder hele studien, statusHere organisasjonens steder.",
  z.object({
    organisation: z.object({ id: z.string(), name: z.string(), shortName: z.string(), website: z.string().nullable() }),
    open: z.array(embedStudySchema),
    planned: z.array(embedStudySchema),
    links: z.object({ self: z.url(), html: z.url(), portal: z.url() }),
  }),
);

export type EmbedSiteOut = z.output<typeof embedSiteSchema>;
export type EmbedStudyOut = z.output<typeof embedStudySchema>;
export type EmbedOrganisationOut = z.output<typeof embedOrganisationSchema>;

export const embedOrganisationParam: ParamDef = {
  name: "id",
  schema: z.string().regex(/^[a-z0-9][a-z0-9-]{0,79}$/),
  multi: false,
  io: "output",
  description: "Organisasjonens id (fra /api/v1/organisations).",
  example: "helse-bergen",
};
