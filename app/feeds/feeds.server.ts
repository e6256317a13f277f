/**
 * Feeds: Atom 1.0 of the public change log (all, per organisation, per HRCS category, per ICD-10
 * chapter), and a saved search (the query string of /api/v1/studies) as Atom or as an iCalendar of
 * inclusion deadlines. HTTP concerns (CORS, rate limit, ETag/Last-Modified/304, the JSON error
 * shape) are the open API's (app/http/api-read.server.ts); each answer is built whole, hashed for
 * its ETag and then sent.
 */
import { listStudies } from "#app/api/endpoints.server";
import type { StudyListOut, StudySummaryOut } from "#app/api/schemas";
import { statusTransitions } from "#app/domain/inclusion-status";
import type { Study } from "#app/domain/study";
import { ApiError } from "#app/http/api-errors.server";
import { datasetState, notBeforeBoot, weakEtag, type ApiAnswer, type ApiContext } from "#app/http/api-read.server";
import { organisationExists } from "#app/models/ingest.server";
import { publicFeedChanges, type FeedChangeRow, type FeedFilter } from "#app/models/realtime.server";
import { listHrcsCategories, listOrganisations } from "#app/models/reference.server";
import { atomDate, renderAtom, tagUri, type AtomEntry, type AtomFeed } from "./atom";
import { renderCalendar, type AllDayEvent } from "./icalendar";
import { findIcd10Chapter, ICD10_CHAPTERS } from "./icd10-chapters";
import { formatDateNb, siteStatusNb } from "./labels";

export const FEED_ENTRIES = 50;
export const ATOM_TYPE = "application/atom+xml; charset=utf-8";
export const ICS_TYPE = "text/calendar; charset=utf-8";
/** A saved search as a calendar reads at most this many result pages (100 studies each). */
const ICS_MAX_PAGES = 10;
const ICD10_SCHEME = "urn:oid:2.16.578.1.12.4.1.1.7110";

const encoder = new TextEncoder();

function textAnswer(
  text: string,
  contentType: string,
  lastModified: Date | null,
  headers: Record<string, string> = {},
): ApiAnswer {
  return {
    kind: "stream",
    etag: weakEtag(text),
    lastModified,
    contentType,
    headers,
    release: () => {},
    open: () =>
      new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(encoder.encode(text));
          controller.close();
        },
      }),
  };
}

const feedLinks = (ctx: ApiContext, self: string) => [
  { rel: "self" as const, href: self, type: "application/atom+xml" },
  { rel: "alternate" as const, href: `${ctx.urls.base}/`, type: "text/html" },
];

const PORTAL = (ctx: ApiContext) => ({ name: "Kliniske studier", uri: `${ctx.urls.base}/` });
const GENERATOR = { name: "Kliniske studier", version: "1" };

/** "ous.atom" → "ous"; anything else (no .atom, empty, odd characters) → 404. */
function feedName(ctx: ApiContext, what: string): string {
  const raw = ctx.params.file ?? "";
  const m = /^([A-Za-z0-9][A-Za-z0-9-]{0,79})\.atom$/.exec(raw);
  if (!m)
    throw new ApiError(
      404,
      "not_found",
      `Ingen slik feed: ${what} «${raw.slice(0, 80)}». Adressen slutter på .atom, f.eks. ${exampleFor(what)}.`,
    );
  return m[1]!;
}

const exampleFor = (what: string) =>
  what === "organisasjon"
    ? "/feeds/organisations/ous.atom"
    : what === "kategori"
      ? "/feeds/categories/cancer.atom"
      : "/feeds/icd10/II.atom";

/* ------------------------------------------------------------------ change feeds */

const KIND_LABEL = {
  published: "Publisert",
  changed: "Endret",
  withdrawn: "Trukket tilbake",
  unpublished: "Avpublisert",
} as const;

function changeKindOf(row: FeedChangeRow): keyof typeof KIND_LABEL {
  if (row.state === "published") return row.previousState === "published" ? "changed" : "published";
  return row.state === "withdrawn" ? "withdrawn" : "unpublished";
}

function changeEntry(
  ctx: ApiContext,
  row: FeedChangeRow,
  orgNames: Map<string, string>,
  categoryNames: Map<string, string>,
): AtomEntry {
  const s: Study = row.snapshot;
  const kind = changeKindOf(row);
  const ends = kind === "withdrawn" || kind === "unpublished";
  const lead = orgNames.get(s.leadOrganisationId) ?? s.leadOrganisationId;
  return {
    id: tagUri(ctx.urls.base, `study/${row.studyId}/version/${row.version}`),
    title: `${KIND_LABEL[kind]}: ${s.title.nb}`,
    updated: row.createdAt,
    authors: [{ name: lead }],
    links: [
      { rel: "alternate", href: `${ctx.urls.base}/studier/${row.studyId}`, type: "text/html" },
      {
        rel: "related",
        href: `${ctx.urls.base}/api/v1/studies/${row.studyId}`,
        type: "application/json",
        title: "Studien i det åpne API-et",
      },
      {
        rel: "via",
        href: `${ctx.urls.base}/api/v1/studies/${row.studyId}/versions`,
        type: "application/json",
        title: "Alle versjoner",
      },
    ],
    categories: [
      ...s.categories.map((id) => ({
        term: id,
        label: categoryNames.get(id) ?? id,
        scheme: `${ctx.urls.base}/feeds/categories/`,
      })),
      ...s.icd10.map((code) => ({ term: code, scheme: ICD10_SCHEME })),
    ],
    summary: ends
      ? kind === "withdrawn"
        ? "Studien er trukket tilbake og vises ikke lenger."
        : "Studien er avpublisert og vises ikke lenger."
      : row.summary,
    content: ends ? null : (s.summary.nb ?? null),
  };
}

function changeFeed(ctx: ApiContext, filter: FeedFilter, specific: string, title: string, selfPath: string): ApiAnswer {
  const orgNames = new Map(listOrganisations(ctx.db).map((o) => [o.id, o.name]));
  const categoryNames = new Map(listHrcsCategories(ctx.db).map((c) => [c.id, c.nameNb]));
  const rows = publicFeedChanges(ctx.db, filter, FEED_ENTRIES);
  const entries = rows.map((r) => changeEntry(ctx, r, orgNames, categoryNames));
  const dataset = datasetState(ctx.db, ctx.now);
  const newest = entries.reduce((m, e) => Math.max(m, Date.parse(e.updated)), 0);
  const feed: AtomFeed = {
    id: tagUri(ctx.urls.base, specific),
    title,
    subtitle: `De ${FEED_ENTRIES} siste offentlige endringene: studier som publiseres, endres eller trekkes tilbake.`,
    updated: atomDate(newest || notBeforeBoot(new Date(0))),
    authors: [PORTAL(ctx)],
    links: feedLinks(ctx, `${ctx.urls.base}${selfPath}`),
    generator: GENERATOR,
    entries,
  };
  return textAnswer(renderAtom(feed), ATOM_TYPE, dataset.lastModified);
}

export function allChangesFeed(ctx: ApiContext): ApiAnswer {
  return changeFeed(ctx, {}, "feeds/studies", "Kliniske studier – alle endringer", "/feeds/studies.atom");
}

export function organisationFeed(ctx: ApiContext): ApiAnswer {
  const id = feedName(ctx, "organisasjon");
  if (!organisationExists(ctx.db, id)) {
    throw new ApiError(
      404,
      "not_found",
      `Ukjent organisasjon «${id}». Se ${ctx.urls.base}/api/v1/organisations for gyldige id-er.`,
      { organisation: id },
    );
  }
  const name = listOrganisations(ctx.db).find((o) => o.id === id)!.name;
  return changeFeed(
    ctx,
    { organisationId: id },
    `feeds/organisations/${id}`,
    `Kliniske studier – ${name}`,
    `/feeds/organisations/${id}.atom`,
  );
}

export function categoryFeed(ctx: ApiContext): ApiAnswer {
  const id = feedName(ctx, "kategori");
  const categories = listHrcsCategories(ctx.db);
  const category = categories.find((c) => c.id === id);
  if (!category) {
    throw new ApiError(
      404,
      "not_found",
      `Ukjent HRCS-kategori «${id}». Kjente: ${categories.map((c) => c.id).join(", ")}.`,
      { category: id },
    );
  }
  return changeFeed(
    ctx,
    { categoryId: id },
    `feeds/categories/${id}`,
    `Kliniske studier – ${category.nameNb}`,
    `/feeds/categories/${id}.atom`,
  );
}

export function icd10ChapterFeed(ctx: ApiContext): ApiAnswer {
  const raw = feedName(ctx, "ICD-10-kapittel");
  const chapter = findIcd10Chapter(raw);
  if (!chapter) {
    throw new ApiError(
      404,
      "not_found",
      `Ukjent ICD-10-kapittel «${raw}». Bruk romertall I–XXII, f.eks. II for svulster.`,
      {
        chapters: ICD10_CHAPTERS.map((c) => c.id),
      },
    );
  }
  return changeFeed(
    ctx,
    { icd10Ranges: [[chapter.from, chapter.to]] },
    `feeds/icd10/${chapter.id}`,
    `Kliniske studier – ICD-10 kapittel ${chapter.id}: ${chapter.name} (${chapter.from}–${chapter.to})`,
    `/feeds/icd10/${chapter.id}.atom`,
  );
}

/* ------------------------------------------------------------------ saved searches */

/** The saved search's results, through the open API's own search (same parameters, same errors). */
async function searchPage(
  ctx: ApiContext,
  changes: Record<string, string>,
): Promise<{ body: StudyListOut; lastModified: Date | null }> {
  const url = new URL(ctx.url.href);
  for (const [k, v] of Object.entries(changes)) url.searchParams.set(k, v);
  const answer = await listStudies({ ...ctx, url });
  if (answer.kind !== "json") throw new Error("the search answer is not JSON");
  return { body: answer.body as StudyListOut, lastModified: answer.lastModified };
}

function describeSearch(ctx: ApiContext): string {
  // Control characters become spaces.
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  const CONTROL = /[\u0000-\u001f\u007f]/g;
  const text = decodeURIComponent(ctx.url.search.replace(/^\?/, "").replace(/\+/g, " ")).replace(CONTROL, " ");
  if (!text) return "alle studier";
  return text.length > 120 ? `${text.slice(0, 117)}…` : text;
}

/** The latest instant at or before `now` when what the entry shows changed (a save, or a window opening/closing). */
function studyUpdated(study: StudySummaryOut, now: Date): number {
  let latest = Date.parse(study.updatedAt);
  for (const site of study.sites) {
    for (const t of statusTransitions({ ...site, declared: site.declaredStatus }))
      if (t.getTime() <= now.getTime() && t.getTime() > latest) latest = t.getTime();
  }
  return latest;
}

const siteName = (site: StudySummaryOut["sites"][number]) =>
  site.hospital?.name ??
  site.organisation?.name ??
  site.name ??
  `${site.unnamedCount ?? "?"} studiesteder i Norge (ikke navngitt)`;

/** The site's line: its status (derived with the request's `now` by siteOut) and what it rests on. */
function siteLine(site: StudySummaryOut["sites"][number]): string {
  const status = site.status;
  const declared = site.declaredStatus;
  const basis = declared
    ? ` (${site.statusStale ? "ikke bekreftet siden" : "oppgitt av " + declared.by} ${formatDateNb(declared.on)}: «${declared.text}»)`
    : "";
  const expected =
    site.statusBasis === "dates"
      ? ""
      : [
          site.expectedStart && status !== "open" && status !== "closed"
            ? `, forventet oppstart ${formatDateNb(site.expectedStart)}`
            : "",
          site.expectedEnd && status !== "closed" ? `, forventet avsluttet ${formatDateNb(site.expectedEnd)}` : "",
        ].join("");
  const when =
    status === "open" && site.inclusionEnd
      ? ` til og med ${formatDateNb(site.inclusionEnd)}`
      : status === "planned" && site.inclusionStart
        ? `, åpner ${formatDateNb(site.inclusionStart)}`
        : "";
  // Past the deployment's confirmation limit (ADR 0019): say since when, as the pages do.
  const unconfirmed =
    site.confirmationState && site.confirmationState !== "confirmed" && site.confirmedOn
      ? ` (ikke bekreftet siden ${formatDateNb(site.confirmedOn)})`
      : "";
  return `${siteName(site)}: ${siteStatusNb(status)}${when}${expected}${basis}${unconfirmed}`;
}

export async function searchAtomFeed(ctx: ApiContext): Promise<ApiAnswer> {
  const defaults: Record<string, string> = ctx.url.searchParams.has("perPage") ? {} : { perPage: String(FEED_ENTRIES) };
  const { body, lastModified } = await searchPage(ctx, defaults);
  const selfUrl = `${ctx.urls.base}/feeds/search.atom${ctx.url.search}`;
  const entries: AtomEntry[] = body.data.map((study) => ({
    id: tagUri(ctx.urls.base, `study/${study.id}`),
    title: study.title.nb,
    updated: new Date(studyUpdated(study, ctx.now)).toISOString(),
    published: study.publishedAt,
    authors: [{ name: study.leadOrganisation.name }],
    links: [
      { rel: "alternate", href: study.webUrl, type: "text/html" },
      { rel: "related", href: study.apiUrl, type: "application/json", title: "Studien i det åpne API-et" },
    ],
    categories: [
      ...study.categories.map((c) => ({ term: c.id, label: c.name, scheme: `${ctx.urls.base}/feeds/categories/` })),
      ...study.icd10.map((c) => ({ term: c.code, label: c.name, scheme: ICD10_SCHEME })),
    ],
    summary: study.sites.map((s) => siteLine(s)).join("\n") || "Ingen studiesteder ennå.",
    content: study.summary.nb ?? null,
  }));
  const newest = entries.reduce((m, e) => Math.max(m, Date.parse(e.updated)), 0);
  const feed: AtomFeed = {
    id: tagUri(
      ctx.urls.base,
      `feeds/search?${new URLSearchParams([...ctx.url.searchParams].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))).toString()}`,
    ),
    title: `Kliniske studier – lagret søk: ${describeSearch(ctx)}`,
    subtitle: `${body.meta.total} studier passer til søket; feeden viser ${entries.length}.`,
    updated: atomDate(newest || notBeforeBoot(new Date(0))),
    authors: [PORTAL(ctx)],
    links: feedLinks(ctx, selfUrl),
    generator: GENERATOR,
    entries,
  };
  return textAnswer(renderAtom(feed), ATOM_TYPE, lastModified);
}

export async function searchCalendar(ctx: ApiContext): Promise<ApiAnswer> {
  const host = new URL(ctx.urls.base).hostname || "localhost";
  const studies: StudySummaryOut[] = [];
  let lastModified: Date | null = null;
  if (ctx.url.searchParams.has("page")) {
    const page = await searchPage(ctx, {});
    studies.push(...page.body.data);
    lastModified = page.lastModified;
  } else {
    for (let page = 1; page <= ICS_MAX_PAGES; page++) {
      const result = await searchPage(ctx, {
        page: String(page),
        ...(ctx.url.searchParams.has("perPage") ? {} : { perPage: "100" }),
      });
      studies.push(...result.body.data);
      lastModified = result.lastModified;
      if (page >= result.body.meta.pageCount) break;
    }
  }
  const events: AllDayEvent[] = [];
  for (const study of studies) {
    for (const site of study.sites) {
      if (!site.inclusionEnd) continue;
      events.push({
        uid: `study-${study.id}-site-${site.id}@${host}`,
        date: site.inclusionEnd,
        stamp: new Date(studyUpdated(study, ctx.now)),
        summary: `Siste dag for inklusjon: ${study.title.nb} (${siteName(site)})`,
        description: `${siteLine(site)}\n${study.webUrl}`,
        location: [site.hospital?.name, site.hospital?.municipality].filter(Boolean).join(", ") || siteName(site),
        url: study.webUrl,
        categories: ["Inklusjonsfrist"],
      });
    }
  }
  const text = renderCalendar({
    prodId: "-//Kliniske studier//Inklusjonsfrister//NB",
    name: `Inklusjonsfrister – ${describeSearch(ctx)}`,
    description: "Siste dag for inklusjon ved hvert studiested for studiene i et lagret søk i Kliniske studier.",
    events,
  });
  return textAnswer(text, ICS_TYPE, lastModified, {
    "Content-Disposition": 'inline; filename="inklusjonsfrister.ics"',
  });
}
