/**
 * Studies on diagnosis and treatment pages (issue 19 item 7): what is open now for an ICD-10 code,
 * an ICPC-2 code, a SNOMED CT concept id or a treatment name, nearest first when a postcode is
 * given, in nb/nn/en. One builder, three doors:
 *
 * - GET /embed/studies?icd10=C50&postcode=0450&lang=nn — a light HTML page for an iframe on
 *   helsenorge.no or a hospital site: no scripts, one inline style allowed by its hash, links open
 *   the portal in the top window (the hospital embed's rules: app/embed/embed.server.ts);
 * - GET /api/v1/open-studies?… — the same as JSON in the open API (CORS, ETag, rate limit);
 * - FHIR: /fhir/ResearchStudy?condition=http://snomed.info/sct|254837009 and focus=<treatment>
 *   (app/fhir/search.server.ts) use the same lookups (app/models/diagnosis-studies.server.ts).
 *
 * Status is derived from each site's dates (or its source's declared status) at the moment of the
 * request (app/domain/inclusion-status.ts); only sites open now are shown. An ICPC-2 code is read
 * as the ICD-10 codes of the same concept where the synonym list (data/search/synonyms.json) knows
 * them, otherwise as a search for the code's Norwegian name; the answer says which.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { synonymGroups } from "#app/search/synonyms.server";
import type { SearchEngine } from "#app/search/types";
import {
  OPEN_STUDIES_DEFAULT_LIMIT,
  openStudiesQueryParams,
  type OpenSiteOut,
  type OpenStudiesOut,
  type OpenStudyOut,
} from "#app/api/diagnosis-schemas";
import { describeParamProblems, parseParams, type ParamProblem } from "#app/api/query";
import { activeSites, studyApiUrl, type Urls } from "#app/api/represent";
import { getDb, type Db } from "#app/db.server";
import { readDiagnosisKey, type DiagnosisKey } from "#app/domain/diagnosis-key";
import { distanceKm, roundKm } from "#app/domain/geo-distance";
import { osloDate, siteStatus } from "#app/domain/inclusion-status";
import { siteStatusText } from "#app/views/status-text";
import { xmlAttr as attr, xmlText as text } from "#app/feeds/xml";
import { invalidParameters } from "#app/http/api-errors.server";
import { publicBaseUrl, readEndpoint, weakEtag, type ApiAnswer, type ApiContext } from "#app/http/api-read.server";
import { DEFAULT_LANG, withLang, type Lang } from "#app/i18n/languages";
import { translator } from "#app/i18n/translate";
import {
  icd10Name,
  publishedStudyIdsByIcd10,
  publishedStudyIdsBySnomed,
  publishedStudyIdsByTreatment,
} from "#app/models/diagnosis-studies.server";
import { lookupIcpc2 } from "#app/models/icd10.server";
import { countPostcodes, lookupPostcode } from "#app/models/postcode.server";
import { getStudies, type SiteRecord, type StudyRecord } from "#app/models/study.server";
import { getSearchEngine } from "#app/search.server";
import { EMBED_STYLE, embedHeaders } from "./embed.server";

export interface OpenStudiesRequest {
  key: DiagnosisKey;
  near: { lat: number; lon: number; postcode: string; place: string } | null;
  lang: Lang;
  limit: number;
}

/** The answer plus the instant it was made (shown in the HTML only: it would defeat the ETag). */
export type OpenStudiesData = OpenStudiesOut & { generatedAt: string };

type Texts = Partial<Record<Lang, string | null | undefined>>;
/** The reader's language first, then the other Norwegian one, then English (marked with its lang). */
const ORDER: Record<Lang, Lang[]> = { nb: ["nb", "nn", "en"], nn: ["nn", "nb", "en"], en: ["en", "nb", "nn"] };

function pickText(candidates: Texts[], lang: Lang): { text: string; lang: Lang } | null {
  for (const l of ORDER[lang]) for (const texts of candidates) if (texts[l]) return { text: texts[l]!, lang: l };
  return null;
}

/* ------------------------------------------------------------------ which studies */

/** A well-formed code that the code list does not have (a RangeError: FHIR answers it with 400 too). */
export class UnknownCodeError extends RangeError {
  constructor(
    readonly param: string,
    message: string,
  ) {
    super(message);
  }
}

interface Resolved {
  ids: number[];
  name: string | null;
  readAs: string | null;
}

async function resolveKey(
  db: Db,
  engine: SearchEngine,
  key: DiagnosisKey,
  lang: Lang,
  now: Date,
  options: { openOnly: boolean } = { openOnly: true },
): Promise<Resolved> {
  const tr = translator(lang);
  switch (key.kind) {
    case "icd10":
      return { ids: publishedStudyIdsByIcd10(db, [key.value]), name: icd10Name(db, key.value), readAs: null };
    case "snomed":
      return { ids: publishedStudyIdsBySnomed(db, key.value), name: null, readAs: null };
    case "treatment":
      return { ids: publishedStudyIdsByTreatment(db, key.value), name: null, readAs: null };
    case "icpc2": {
      const entry = lookupIcpc2(db, key.value);
      if (!entry) throw new UnknownCodeError("icpc2", `ukjent ICPC-2-kode «${key.value}» (ikke i ICPC-2-listen)`);
      const codes = [...new Set(synonymGroups().flatMap((g) => (g.icpc2?.includes(key.value) ? g.icd10 : [])))].sort();
      if (codes.length)
        return {
          ids: publishedStudyIdsByIcd10(db, codes),
          name: entry.nameNb,
          readAs: tr.t("embed.readAs.icd10", { codes: tr.list(codes) }),
        };
      // No known concept: search the code's Norwegian name, as the clinician list does.
      const ids = new Set<number>();
      for (let page = 1; page <= 20; page++) {
        const result = await engine.search({
          q: entry.nameNb,
          ...(options.openOnly ? { status: ["open" as const] } : {}),
          now,
          page,
          perPage: 100,
        });
        for (const hit of result.hits) ids.add(hit.studyId);
        if (result.hits.length < 100 || ids.size >= result.total) break;
      }
      return { ids: [...ids], name: entry.nameNb, readAs: tr.t("embed.readAs.name", { name: entry.nameNb }) };
    }
  }
}

/** The published studies about a diagnosis key (all statuses), as the embed and FHIR read it. */
export async function studyIdsForDiagnosisKey(
  db: Db,
  engine: SearchEngine,
  key: DiagnosisKey,
  now: Date,
): Promise<number[]> {
  return (await resolveKey(db, engine, key, DEFAULT_LANG, now, { openOnly: false })).ids;
}

/* ------------------------------------------------------------------ what is shown */

function placeOf(s: SiteRecord): string {
  return s.hospitalName ?? s.organisationName ?? s.name ?? "–";
}

function openStudy(record: StudyRecord, req: OpenStudiesRequest, now: Date, urls: Urls): OpenStudyOut | null {
  if (record.publicationState !== "published") return null;
  const sites: OpenSiteOut[] = activeSites(record)
    .filter((s) => siteStatus(s, now) === "open")
    .map((s) => ({
      id: s.id,
      place: placeOf(s),
      municipality: s.municipality ?? s.city ?? null,
      distanceKm:
        req.near && s.lat != null && s.lon != null ? roundKm(distanceKm(req.near, { lat: s.lat, lon: s.lon })) : null,
      statusText: siteStatusText(s, now, req.lang),
      inclusionStart: s.inclusionStart,
      inclusionEnd: s.inclusionEnd,
      contact: s.contact,
    }))
    .sort(
      (a, b) =>
        (a.distanceKm ?? Infinity) - (b.distanceKm ?? Infinity) ||
        (a.inclusionEnd ?? "9999-12-31").localeCompare(b.inclusionEnd ?? "9999-12-31") ||
        a.place.localeCompare(b.place, "nb"),
    );
  if (sites.length === 0) return null;
  const title = pickText([record.shortTitle ?? {}, record.title], req.lang)!;
  const summary = pickText([record.summary ?? {}], req.lang);
  const distances = sites.map((s) => s.distanceKm).filter((d): d is number => d != null);
  return {
    id: record.id,
    title: title.text,
    titleLang: title.lang,
    summary: summary?.text ?? null,
    summaryLang: summary?.lang ?? null,
    isDemo: record.isDemo,
    nearestKm: distances.length ? Math.min(...distances) : null,
    webUrl: withLang(`${urls.base}/pasient/studier/${record.id}`, req.lang),
    apiUrl: studyApiUrl(urls, record.id),
    sites,
  };
}

const closing = (s: OpenStudyOut) => s.sites.map((x) => x.inclusionEnd ?? "9999-12-31").sort()[0]!;

export function keyQuery(req: OpenStudiesRequest): string {
  const params = new URLSearchParams({ [req.key.kind]: req.key.value });
  if (req.near) params.set("postcode", req.near.postcode);
  if (req.lang !== DEFAULT_LANG) params.set("lang", req.lang);
  return params.toString();
}

export async function openStudiesFor(
  db: Db,
  engine: SearchEngine,
  req: OpenStudiesRequest,
  now: Date,
  urls: Urls,
): Promise<OpenStudiesData> {
  const resolved = await resolveKey(db, engine, req.key, req.lang, now);
  const studies = getStudies(db, resolved.ids)
    .map((r) => openStudy(r, req, now, urls))
    .filter((s): s is OpenStudyOut => s != null)
    .sort(
      (a, b) =>
        (req.near ? (a.nearestKm ?? Infinity) - (b.nearestKm ?? Infinity) : 0) ||
        closing(a).localeCompare(closing(b)) ||
        a.title.localeCompare(b.title, "nb") ||
        a.id - b.id,
    );
  const qs = keyQuery(req);
  return {
    key: { kind: req.key.kind, value: req.key.value, name: resolved.name, readAs: resolved.readAs },
    lang: req.lang,
    near: req.near ? { postcode: req.near.postcode, place: req.near.place } : null,
    order: req.near ? "distance" : "closing",
    total: studies.length,
    studies: studies.slice(0, req.limit),
    links: {
      self: `${urls.base}/api/v1/open-studies?${qs}`,
      html: `${urls.base}/embed/studies?${qs}`,
      portal: withLang(`${urls.base}/pasient`, req.lang),
    },
    generatedAt: now.toISOString(),
  };
}

/* ------------------------------------------------------------------ parameters */

type RequestReading = { ok: true; req: OpenStudiesRequest } | { ok: false; problems: ParamProblem[] };

/** Query string → the request, or every problem (which parameter, why). */
export function readOpenStudiesRequest(db: Db, search: URLSearchParams): RequestReading {
  const parsed = parseParams(search, openStudiesQueryParams);
  if (!parsed.ok) return { ok: false, problems: parsed.problems };
  const v = parsed.values as Record<string, unknown>;
  const key = readDiagnosisKey(v);
  if (!key.ok) return { ok: false, problems: [key.problem] };
  let near: OpenStudiesRequest["near"] = null;
  if (typeof v.postcode === "string") {
    const row = lookupPostcode(db, v.postcode);
    if (row) near = { lat: row.lat, lon: row.lon, postcode: row.postcode, place: row.place };
    else
      return {
        ok: false,
        problems: [
          {
            name: "postcode",
            message:
              countPostcodes(db) === 0 ? "postnummerlisten er ikke lastet på denne serveren" : "ukjent postnummer",
            value: v.postcode,
          },
        ],
      };
  }
  return {
    ok: true,
    req: {
      key: key.key,
      near,
      lang: (v.lang as Lang | undefined) ?? DEFAULT_LANG,
      limit: (v.limit as number | undefined) ?? OPEN_STUDIES_DEFAULT_LIMIT,
    },
  };
}

/* ------------------------------------------------------------------ HTML */

function contactHtml(c: NonNullable<OpenSiteOut["contact"]>): string {
  const parts = [text(c.name)];
  if (c.email) parts.push(`<a href="mailto:${attr(c.email)}">${text(c.email)}</a>`);
  if (c.phone) parts.push(`<a href="tel:${attr(c.phone.replace(/[^\d+]/g, ""))}">${text(c.phone)}</a>`);
  return parts.join(", ");
}

/** A text in another language than the page's is marked with its own lang (WCAG 3.1.2). */
const langAttr = (textLang: Lang, pageLang: Lang) => (textLang === pageLang ? "" : ` lang="${textLang}"`);

function studyHtml(s: OpenStudyOut, lang: Lang): string {
  const tr = translator(lang);
  const id = `study-${s.id}`;
  let out = `<li><article aria-labelledby="${id}">\n<h2 id="${id}"${langAttr(s.titleLang, lang)}><a href="${attr(s.webUrl)}" target="_top">${text(s.title)}</a></h2>`;
  if (s.isDemo) out += `<p><span class="demo">${text(tr.t("embed.demo"))}</span></p>`;
  out += "\n";
  if (s.summary && s.summaryLang) {
    const short = s.summary.length > 280 ? `${s.summary.slice(0, 277).trimEnd()}…` : s.summary;
    out += `<p${langAttr(s.summaryLang, lang)}>${text(short)}</p>\n`;
    if (s.summaryLang === "en" && lang !== "en") out += `<p class="note">${text(tr.t("embed.englishOnly"))}</p>\n`;
  }
  for (const site of s.sites) {
    out += `<p class="status">${text(site.statusText)}</p>\n<dl>\n`;
    const where = [site.place, site.municipality].filter(Boolean).join(", ");
    const km = site.distanceKm != null ? ` (${text(tr.t("embed.distance", { km: site.distanceKm }))})` : "";
    out += `<dt>${text(tr.t("embed.place"))}</dt><dd>${text(where)}${km}</dd>\n`;
    if (site.contact) out += `<dt>${text(tr.t("embed.contact"))}</dt><dd>${contactHtml(site.contact)}</dd>\n`;
    out += "</dl>\n";
  }
  return `${out}</article></li>\n`;
}

function aboutText(data: OpenStudiesOut): string {
  const tr = translator(data.lang);
  const { kind, value, name } = data.key;
  if (kind === "treatment") return tr.t("embed.about.treatment", { name: value });
  const system = { icd10: "ICD-10", icpc2: "ICPC-2", snomed: "SNOMED CT" }[kind];
  return name
    ? tr.t("embed.about.named", { system, code: value, name })
    : tr.t("embed.about.code", { system, code: value });
}

export function renderOpenStudiesHtml(data: OpenStudiesData): string {
  const lang = data.lang;
  const tr = translator(lang);
  const order = data.near
    ? tr.t("embed.order.distance", { postcode: data.near.postcode, place: data.near.place })
    : tr.t("embed.order.closing");
  const list = data.studies.length
    ? `<ul class="studies">\n${data.studies.map((s) => studyHtml(s, lang)).join("")}</ul>\n`
    : `<p>${text(tr.t("embed.empty"))}</p>\n`;
  const updated = osloDate(new Date(data.generatedAt));
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${text(tr.t("embed.heading"))}: ${text(aboutText(data))}</title>
<style>${EMBED_STYLE}</style>
</head>
<body>
<main>
<h1>${text(tr.t("embed.heading"))}</h1>
<p class="intro">${text(aboutText(data))}${data.key.readAs ? ` ${text(data.key.readAs)}` : ""}</p>
<p class="intro">${text(tr.plural("embed.count", data.total))} ${text(order)} ${text(tr.t("embed.talkToDoctor"))} ${text(tr.t("embed.updated"))} <time datetime="${attr(data.generatedAt)}">${text(tr.date(updated))}</time>.</p>
${list}<p class="source"><a href="${attr(data.links.portal)}" target="_top">${text(tr.t("embed.portalLink"))}</a></p>
</main>
</body>
</html>
`;
}

function errorHtml(lang: Lang, problems: ParamProblem[], status: number): Response {
  const tr = translator(lang);
  const body = `<!doctype html>\n<html lang="${lang}">\n<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${text(tr.t("embed.error.title"))}</title><style>${EMBED_STYLE}</style></head>\n<body><main><h1>${text(tr.t("embed.error.title"))}</h1><p lang="nb">${text(describeParamProblems(problems))}</p></main></body>\n</html>\n`;
  return new Response(body, {
    status,
    headers: { ...embedHeaders(), "Cache-Control": "no-store", "Content-Type": "text/html; charset=utf-8" },
  });
}

/* ------------------------------------------------------------------ HTTP */

/** GET /embed/studies — the light HTML list. */
export async function diagnosisEmbedLoader({ request }: LoaderFunctionArgs): Promise<Response> {
  if (request.method !== "GET" && request.method !== "HEAD") {
    return new Response("Bare GET og HEAD er tillatt.\n", {
      status: 405,
      headers: { Allow: "GET, HEAD", "Content-Type": "text/plain; charset=utf-8" },
    });
  }
  const url = new URL(request.url);
  const db = getDb();
  const reading = readOpenStudiesRequest(db, url.searchParams);
  const pageLang = (["nb", "nn", "en"] as const).find((l) => l === url.searchParams.get("lang")) ?? DEFAULT_LANG;
  if (!reading.ok) return errorHtml(pageLang, reading.problems, 400);
  let data: OpenStudiesData;
  try {
    data = await openStudiesFor(db, getSearchEngine(), reading.req, new Date(), { base: publicBaseUrl() });
  } catch (error) {
    if (error instanceof UnknownCodeError)
      return errorHtml(pageLang, [{ name: error.param, message: error.message }], 400);
    throw error;
  }
  const html = renderOpenStudiesHtml(data);
  // generatedAt changes every request; the validator covers what the page shows.
  const etag = weakEtag(html.replace(/<time datetime="[^"]*">[^<]*<\/time>/, "<time></time>"));
  const headers = { ...embedHeaders(), ETag: etag, "Content-Type": "text/html; charset=utf-8" };
  const inm = request.headers.get("if-none-match");
  if (inm && inm.split(",").some((t) => t.trim().replace(/^W\//, "") === etag.replace(/^W\//, "")))
    return new Response(null, { status: 304, headers });
  return new Response(request.method === "HEAD" ? null : html, { status: 200, headers });
}

async function openStudiesAnswer(ctx: ApiContext): Promise<ApiAnswer> {
  const reading = readOpenStudiesRequest(ctx.db, ctx.url.searchParams);
  if (!reading.ok) throw invalidParameters(describeParamProblems(reading.problems), reading.problems);
  let data: OpenStudiesData;
  try {
    data = await openStudiesFor(ctx.db, getSearchEngine(), reading.req, ctx.now, ctx.urls);
  } catch (error) {
    if (error instanceof UnknownCodeError) {
      const problems = [{ name: error.param, message: error.message }];
      throw invalidParameters(describeParamProblems(problems), problems);
    }
    throw error;
  }
  const { generatedAt: _generated, ...body } = data;
  const out: OpenStudiesOut = body;
  return { kind: "json", body: out, lastModified: null };
}

/** GET /api/v1/open-studies — the same as JSON (open API rules). */
export const openStudiesLoader = readEndpoint(openStudiesAnswer);
