/**
 * The open read API's endpoints: validated parameters in, representations out. HTTP concerns
 * (CORS, rate limit, validators, error shape) are in app/http/api-read.server.ts; SQL is in
 * app/models; the route files only bind a path to one of these.
 */
import type { Facet, SearchQuery, SearchResult, SortOrder, StatusFilter } from "#app/search/types";
import { osloDate, statusPolicy } from "#app/domain/inclusion-status";
import {
  firstPublishedBases,
  freshnessByOrganisation,
  freshnessByRegion,
  monthsSinceFirstPublished,
  newStudiesPerMonth,
  type FreshnessRow,
  withoutDemo,
} from "#app/domain/statistics";
import { statisticsFacts } from "#app/models/statistics.server";
import type { Phase, StudyType } from "#app/domain/study";
import { ApiError, invalidParameters } from "#app/http/api-errors.server";
import { datasetState, notBeforeBoot, type ApiAnswer, type ApiContext } from "#app/http/api-read.server";
import {
  changeLogHead,
  latestInclusionTransition,
  openReadSnapshot,
  publicChangesAfter,
  publishedStudyIdsAfter,
  searchIndexLag,
  studyPublicationState,
  studyVersionRows,
  unknownReferenceIds,
  wasEverPublished,
  type ReferenceKind,
} from "#app/models/open-api.server";
import { countPostcodes, lookupPostcode } from "#app/models/postcode.server";
import { listHospitals, listOrganisations, listRegions } from "#app/models/reference.server";
import { getStudies, getStudy, withdrawnAt } from "#app/models/study.server";
import { getSearchEngine } from "#app/search.server";
import { CSV_BOM, studyCsvHeaderLine, studyCsvLine } from "./csv";
import { buildOpenApiDocument } from "./openapi";
import { describeParamProblems, parseParams, type ParamProblem } from "./query";
import {
  type ConfirmationFreshnessOut,
  type NewStudiesOut,
  changesQueryParams,
  statisticsQueryParams,
  DEFAULT_CHANGES_LIMIT,
  DEFAULT_PER_PAGE,
  studiesQueryParams,
  studyIdParam,
  type ChangeListOut,
  type OrganisationListOut,
  type StudyListOut,
  type StudyOut,
  type StudyVersionListOut,
} from "./schemas";
import {
  changeKind,
  organisationOut,
  publicVersions,
  studyApiUrl,
  studyLastModified,
  studyOut,
  studySummaryOut,
  studyVersionsUrl,
} from "./represent";

function parsedOrThrow(search: URLSearchParams, defs: Parameters<typeof parseParams>[1]): Record<string, unknown> {
  const parsed = parseParams(search, defs);
  if (!parsed.ok) throw invalidParameters(describeParamProblems(parsed.problems), parsed.problems);
  return parsed.values;
}

const problem = (p: ParamProblem) => invalidParameters(describeParamProblems([p]), [p]);

/** The URL with some parameters replaced (null removes), on the public base URL. */
function linkTo(ctx: ApiContext, changes: Record<string, string | number | null>): string {
  const params = new URLSearchParams(ctx.url.search);
  for (const [name, value] of Object.entries(changes)) {
    if (value == null) params.delete(name);
    else params.set(name, String(value));
  }
  const qs = params.toString();
  return `${ctx.urls.base}${ctx.url.pathname}${qs ? `?${qs}` : ""}`;
}

function linkHeader(links: Record<string, string | null>): Record<string, string> {
  const parts = Object.entries(links)
    .filter(([rel, href]) => href != null && rel !== "self")
    .map(([rel, href]) => `<${href}>; rel="${rel}"`);
  return parts.length ? { Link: parts.join(", ") } : {};
}

/* ================================================================== GET /api/v1/studies */

interface StudiesParams {
  q?: string;
  status?: StatusFilter[];
  regions?: string[];
  organisations?: string[];
  hospitals?: string[];
  categories?: string[];
  icd10?: string[];
  studyTypes?: StudyType[];
  phases?: Phase[];
  age?: number;
  sex?: "female" | "male";
  healthyVolunteers?: "true" | "false";
  near?: { lat: number; lon: number };
  postcode?: string;
  sort?: SortOrder;
  facets?: Facet[];
  page?: number;
  perPage?: number;
}

const REFERENCE_PARAMS: [keyof StudiesParams & string, ReferenceKind, string][] = [
  ["regions", "region", "ukjent region"],
  ["organisations", "organisation", "ukjent organisasjon"],
  ["hospitals", "hospital", "ukjent behandlingssted"],
  ["categories", "category", "ukjent HRCS-kategori"],
];

/** The search index may lag the database by a moment; Last-Modified is only sent when it does not. */
function indexIsCurrent(ctx: ApiContext, result: SearchResult): boolean {
  try {
    return searchIndexLag(ctx.db, result.engine) === 0;
  } catch {
    return false;
  }
}

export async function listStudies(ctx: ApiContext): Promise<ApiAnswer> {
  const p = parsedOrThrow(ctx.url.searchParams, studiesQueryParams) as StudiesParams;
  const problems: ParamProblem[] = [];
  for (const [name, kind, message] of REFERENCE_PARAMS) {
    const ids = p[name] as string[] | undefined;
    const unknown = ids ? unknownReferenceIds(ctx.db, kind, ids) : [];
    if (unknown.length)
      problems.push({
        name,
        message: `${message}: ${unknown.join(", ")} (se /api/v1/organisations)`,
        value: unknown.join(","),
      });
  }
  let near = p.near ? { ...p.near, postcode: null as string | null, place: null as string | null } : null;
  if (p.near && p.postcode)
    problems.push({ name: "postcode", message: "bruk enten near eller postcode, ikke begge", value: p.postcode });
  else if (p.postcode) {
    const row = lookupPostcode(ctx.db, p.postcode);
    if (row) near = { lat: row.lat, lon: row.lon, postcode: row.postcode, place: row.place };
    else if (countPostcodes(ctx.db) === 0)
      problems.push({
        name: "postcode",
        message: "postnummerlisten er ikke lastet på denne serveren; bruk near",
        value: p.postcode,
      });
    else problems.push({ name: "postcode", message: "ukjent postnummer", value: p.postcode });
  }
  const sort: SortOrder = p.sort ?? (p.q ? "relevance" : "newest");
  if (sort === "distance" && !near && !p.postcode)
    problems.push({ name: "sort", message: "sort=distance krever near eller postcode", value: sort });
  if (problems.length) throw invalidParameters(describeParamProblems(problems), problems);

  const page = p.page ?? 1;
  const perPage = p.perPage ?? DEFAULT_PER_PAGE;
  const query: SearchQuery = { now: ctx.now, sort, page, perPage };
  if (p.q) query.q = p.q;
  if (p.status) query.status = p.status;
  if (p.regions) query.regions = p.regions;
  if (p.organisations) query.organisations = p.organisations;
  if (p.hospitals) query.hospitals = p.hospitals;
  if (p.categories) query.categories = p.categories;
  if (p.icd10) query.icd10 = p.icd10;
  if (p.studyTypes) query.studyTypes = p.studyTypes;
  if (p.phases) query.phases = p.phases;
  if (p.age != null) query.age = p.age;
  if (p.sex) query.sex = p.sex;
  if (p.healthyVolunteers) query.healthyVolunteers = p.healthyVolunteers === "true";
  if (near) query.near = { lat: near.lat, lon: near.lon };
  if (p.facets) query.facets = p.facets;

  const dataset = datasetState(ctx.db, ctx.now);
  let result: SearchResult;
  try {
    result = await getSearchEngine().search(query);
  } catch (error) {
    // The engines refuse bad filter values with a RangeError (normally caught above already).
    if (error instanceof RangeError) throw new ApiError(400, "invalid_query", `Ugyldig søk: ${error.message}`);
    throw error;
  }
  const records = new Map(
    getStudies(
      ctx.db,
      result.hits.map((h) => h.studyId),
    ).map((r) => [r.id, r]),
  );
  const data = result.hits.flatMap((hit) => {
    const record = records.get(hit.studyId);
    // A study unpublished a moment ago may still be in the index: leave it out.
    return record && record.publicationState === "published" ? [studySummaryOut(record, hit, ctx.now, ctx.urls)] : [];
  });
  const pageCount = Math.max(1, Math.ceil(result.total / perPage));
  const links = {
    self: linkTo(ctx, {}),
    first: linkTo(ctx, { page: null }),
    last: linkTo(ctx, { page: pageCount === 1 ? null : pageCount }),
    prev: page > 1 ? linkTo(ctx, { page: page - 1 === 1 ? null : Math.min(page - 1, pageCount) }) : null,
    next: page < pageCount ? linkTo(ctx, { page: page + 1 }) : null,
  };
  const body: StudyListOut = {
    data,
    meta: { total: result.total, page, perPage, pageCount, sort, engine: result.engine, near },
    facets: result.facets,
    links,
  };
  return {
    kind: "json",
    body,
    lastModified: indexIsCurrent(ctx, result) ? dataset.lastModified : null,
    headers: linkHeader(links),
    // An answer from the fallback (Meilisearch down or behind) should not outlive that moment.
    cacheable: result.engine === getSearchEngine().name,
  };
}

/* ================================================================== GET /api/v1/studies/:id */

function studyId(ctx: ApiContext): number {
  const raw = ctx.params.id ?? "";
  const parsed = studyIdParam.schema.safeParse(raw);
  if (!parsed.success) throw problem({ name: "id", message: parsed.error.issues[0]!.message, value: raw.slice(0, 60) });
  return parsed.data as number;
}

const notFound = (id: number) => new ApiError(404, "not_found", `Fant ingen publisert studie med id ${id}.`, { id });

export function getStudyAnswer(ctx: ApiContext): ApiAnswer {
  const id = studyId(ctx);
  const record = getStudy(ctx.db, id);
  if (!record) throw notFound(id);
  if (record.publicationState === "withdrawn" && wasEverPublished(ctx.db, id)) {
    throw new ApiError(410, "gone", `Studie ${id} er trukket tilbake. Historikken finnes under versionsUrl.`, {
      id,
      withdrawnAt: withdrawnAt(ctx.db, id),
      versionsUrl: studyVersionsUrl(ctx.urls, id),
    });
  }
  if (record.publicationState !== "published") throw notFound(id);
  const body: StudyOut = studyOut(record, ctx.now, ctx.urls);
  return { kind: "json", body, lastModified: notBeforeBoot(studyLastModified(record, ctx.now)) };
}

/* ================================================================== GET /api/v1/studies/:id/versions */

export function getStudyVersions(ctx: ApiContext): ApiAnswer {
  const id = studyId(ctx);
  const state = studyPublicationState(ctx.db, id);
  if (!state) throw notFound(id);
  const versions = publicVersions(studyVersionRows(ctx.db, id));
  if (versions.length === 0) throw notFound(id);
  const body: StudyVersionListOut = {
    data: versions,
    meta: { studyId: id, count: versions.length, publicationState: state },
    links: { self: studyVersionsUrl(ctx.urls, id), study: studyApiUrl(ctx.urls, id) },
  };
  const latest = Math.max(...versions.map((v) => Date.parse(v.at)));
  return { kind: "json", body, lastModified: new Date(latest) };
}

/* ================================================================== GET /api/v1/organisations */

export function listOrganisationsAnswer(ctx: ApiContext): ApiAnswer {
  parsedOrThrow(ctx.url.searchParams, []);
  const regions = new Map(listRegions(ctx.db).map((r) => [r.id, r]));
  const hospitals = new Map<string, ReturnType<typeof listHospitals>>();
  for (const h of listHospitals(ctx.db))
    hospitals.set(h.organisationId, [...(hospitals.get(h.organisationId) ?? []), h]);
  const data = listOrganisations(ctx.db).map((o) =>
    organisationOut(o, hospitals.get(o.id) ?? [], regions.get(o.regionId)?.shortName ?? o.regionName),
  );
  const body: OrganisationListOut = {
    data,
    meta: { count: data.length },
    links: { self: `${ctx.urls.base}/api/v1/organisations` },
  };
  return { kind: "json", body, lastModified: notBeforeBoot(new Date(0)) };
}

/* ================================================================== GET /api/v1/statistics/confirmations */

/** The statistics facts, without the demo studies when `demodata=nei` (a 400 for any other value but ja). */
function requestedStatisticsFacts(ctx: ApiContext) {
  const p = parsedOrThrow(ctx.url.searchParams, statisticsQueryParams) as { demodata?: "ja" | "nei" };
  const facts = statisticsFacts(ctx.db);
  return p.demodata === "nei" ? withoutDemo(facts) : facts;
}

export function confirmationFreshnessAnswer(ctx: ApiContext): ApiAnswer {
  const now = new Date();
  const facts = requestedStatisticsFacts(ctx);
  const out = (r: FreshnessRow) => ({
    id: r.key,
    name: r.label,
    openSites: r.open,
    confirmedSites: r.confirmed,
    confirmedShare: r.share,
    medianConfirmationAgeDays: r.medianAgeDays,
  });
  const regions = freshnessByRegion(facts, now);
  const organisations = freshnessByOrganisation(facts, now);
  const policy = statusPolicy();
  const body: ConfirmationFreshnessOut = {
    data: { regions: regions.rows.map(out), organisations: organisations.rows.map(out), total: out(regions.total) },
    meta: {
      on: osloDate(now),
      softLimitMonths: policy.confirmationSoftMonths,
      hardLimitMonths: policy.confirmationHardMonths,
    },
    links: { self: `${ctx.urls.base}/api/v1/statistics/confirmations` },
  };
  // Derived for today (ages grow every day): the same body, hence ETag, all day; never kept in the answer cache.
  return { kind: "json", body, lastModified: null, cacheable: false };
}

/* ================================================================== GET /api/v1/statistics/new-studies */

export function newStudiesAnswer(ctx: ApiContext): ApiAnswer {
  const now = new Date();
  const facts = requestedStatisticsFacts(ctx);
  const bases = firstPublishedBases(facts);
  const body: NewStudiesOut = {
    data: newStudiesPerMonth(facts, now, monthsSinceFirstPublished(facts, now)).map((m) => ({
      month: m.month,
      count: m.count,
      bySourceDate: m.bySource,
      byPortalDate: m.byPortal,
    })),
    meta: { on: osloDate(now), bySourceDate: bases.source, byPortalDate: bases.portal },
    links: { self: `${ctx.urls.base}/api/v1/statistics/new-studies` },
  };
  // The current month moves with the date: never kept in the answer cache.
  return { kind: "json", body, lastModified: null, cacheable: false };
}

/* ================================================================== GET /api/v1/changes */

export function listChanges(ctx: ApiContext): ApiAnswer {
  const p = parsedOrThrow(ctx.url.searchParams, changesQueryParams) as { since?: string; limit?: number };
  const since = p.since != null ? Number(p.since) : 0;
  const limit = p.limit ?? DEFAULT_CHANGES_LIMIT;
  const { rows, head } = publicChangesAfter(ctx.db, since, limit);
  if (since > head) {
    throw problem({
      name: "since",
      message: `markøren er forbi slutten av loggen (${head}): bruk en markør fra et svar fra denne portalen`,
      value: p.since,
    });
  }
  const last = rows.at(-1)?.seq;
  const full = rows.length === limit;
  // A short page has read to the head: skipping non-public changes after the last row is safe.
  const next = full ? last! : head;
  const base = `${ctx.urls.base}/api/v1/changes`;
  const self = linkTo(ctx, {});
  const nextLink = `${base}?since=${next}${p.limit != null ? `&limit=${limit}` : ""}`;
  const body: ChangeListOut = {
    data: rows.map((r) => ({
      cursor: String(r.seq),
      studyId: r.studyId,
      version: r.version,
      kind: changeKind(r.state, r.previousState)!,
      at: r.createdAt,
      links: { study: studyApiUrl(ctx.urls, r.studyId), versions: studyVersionsUrl(ctx.urls, r.studyId) },
    })),
    meta: { since: p.since ?? null, next: String(next), hasMore: full && next < head, limit },
    links: { self, next: nextLink },
  };
  return {
    kind: "json",
    body,
    lastModified: datasetState(ctx.db, ctx.now).lastModified,
    headers: { Link: `<${nextLink}>; rel="next"` },
  };
}

/* ================================================================== exports */

const EXPORT_BATCH = 100;

function exportAnswer(ctx: ApiContext, format: "ndjson" | "csv"): ApiAnswer {
  parsedOrThrow(ctx.url.searchParams, []);
  const snapshot = openReadSnapshot(ctx.db);
  try {
    const head = changeLogHead(snapshot.db);
    const transition = latestInclusionTransition(snapshot.db, osloDate(ctx.now));
    const dataset = datasetState(ctx.db, ctx.now);
    const etag = `W/"export-${format}-${head}.${transition ?? "-"}.${dataset.fingerprint.split(".").at(-1)}"`;
    const encoder = new TextEncoder();
    const filename = `kliniske-studier-${osloDate(ctx.now)}.${format}`;
    return {
      kind: "stream",
      etag,
      lastModified: dataset.lastModified,
      contentType: format === "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8",
      headers: { "X-Changes-Cursor": String(head), "Content-Disposition": `attachment; filename="${filename}"` },
      release: snapshot.close,
      open: (signal) => {
        let lastId = 0;
        let started = false;
        const onAbort = () => snapshot.close();
        signal.addEventListener("abort", onAbort, { once: true });
        const finish = () => {
          signal.removeEventListener("abort", onAbort);
          snapshot.close();
        };
        return new ReadableStream<Uint8Array>({
          pull(controller) {
            try {
              let text = "";
              if (!started && format === "csv") text += CSV_BOM + studyCsvHeaderLine();
              started = true;
              const ids = publishedStudyIdsAfter(snapshot.db, lastId, EXPORT_BATCH);
              if (ids.length === 0) {
                if (text) controller.enqueue(encoder.encode(text));
                controller.close();
                finish();
                return;
              }
              lastId = ids.at(-1)!;
              for (const record of getStudies(snapshot.db, ids)) {
                const study = studyOut(record, ctx.now, ctx.urls);
                text += format === "csv" ? studyCsvLine(study) : `${JSON.stringify(study)}\n`;
              }
              controller.enqueue(encoder.encode(text));
            } catch (error) {
              finish();
              controller.error(error);
            }
          },
          cancel() {
            finish();
          },
        });
      },
    };
  } catch (error) {
    snapshot.close();
    throw error;
  }
}

export const exportNdjson = (ctx: ApiContext) => exportAnswer(ctx, "ndjson");
export const exportCsv = (ctx: ApiContext) => exportAnswer(ctx, "csv");

/* ================================================================== GET /api/openapi.json */

const documents = new Map<string, unknown>();

export function openApiDocument(base: string): unknown {
  let doc = documents.get(base);
  if (!doc) documents.set(base, (doc = buildOpenApiDocument({ baseUrl: base })));
  return doc;
}

export function openApiAnswer(ctx: ApiContext): ApiAnswer {
  parsedOrThrow(ctx.url.searchParams, []);
  return { kind: "json", body: openApiDocument(ctx.urls.base), lastModified: notBeforeBoot(new Date(0)) };
}

/* ================================================================== anything else under /api/v1 */

export function unknownEndpoint(ctx: ApiContext): ApiAnswer {
  throw new ApiError(
    404,
    "not_found",
    `Ingen slik adresse i API-et: ${ctx.url.pathname}. Se ${ctx.urls.base}/api for dokumentasjonen.`,
    {
      documentation: `${ctx.urls.base}/api`,
      openapi: `${ctx.urls.base}/api/openapi.json`,
    },
  );
}
