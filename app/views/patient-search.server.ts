/**
 * Everything the patient search page shows, from its URL: validated parameters (with a clear
 * message for every bad value), the postcode's place, one page of result cards, and for zero
 * results why and how to widen. Studies are read from the database for the engine's hit ids.
 */
import { getDb } from "#app/db.server";
import { pageDependsOnEverything, pageShowsSearch, pageShowsStudies } from "#app/http/page-dependencies.server";
import { langFromSearch, type Lang } from "#app/i18n/languages";
import { translator } from "#app/i18n/translate";
import { listHrcsCategories, listRegions } from "#app/models/reference.server";
import { countPostcodes, lookupPostcode } from "#app/models/postcode.server";
import { getStudiesStamped } from "#app/models/study-records-cached.server";
import { getSearchEngine } from "#app/search.server";
import type { SearchEngine, SearchQuery, SearchResult } from "#app/search/types";
import { SEX_FOR_ENGINE, type ParamProblem } from "#app/search-params/field-parsers";
import { STATUS_FILTER, withoutEmpty } from "#app/search-params/engine-query";
import {
  PATIENT_PATH,
  parsePatientSearchParams,
  patientSearchHref,
  type PatientSearchParams,
} from "#app/search-params/patient-search-params";
import { studyCard, type StudyCard } from "./study-card.server";

export const PATIENT_PAGE_SIZE = 20;

export interface Problem {
  field: string;
  message: string;
}

export interface WidenOption {
  label: string;
  href: string;
  count: number;
}

export interface PatientSearchView {
  lang: Lang;
  params: PatientSearchParams;
  /** The values as typed, so a bad one is shown back in its field to be corrected. */
  raw: { postnummer: string; alder: string };
  problems: Problem[];
  regions: { id: string; name: string }[];
  near: { postcode: string; place: string } | null;
  total: number;
  page: number;
  pages: number;
  countText: string;
  /** One line that says in what order the studies come (ADR 0024). */
  orderText: string;
  cards: StudyCard[];
  /** Only for zero results: what the search asked for, and searches that would find something. */
  zero: { reasons: string[]; widen: WidenOption[]; emptyPortal: boolean } | null;
  previousHref: string | null;
  nextHref: string | null;
  /**
   * The search as a query string ("?q=diabetes&postnummer=9008", "" for none) for the links to
   * the study pages: the study page measures from the postcode and leads back to this search.
   */
  studyQuery: string;
}

function engineQuery(params: PatientSearchParams, near: { lat: number; lon: number } | null, now: Date): SearchQuery {
  return withoutEmpty({
    q: params.q,
    status: STATUS_FILTER[params.status],
    regions: params.region ? [params.region] : undefined,
    age: params.alder ?? undefined,
    sex: params.kjonn ? SEX_FOR_ENGINE[params.kjonn] : undefined,
    near: near ?? undefined,
    // With words and a postcode: the good matches nearest first, then the rest nearest first
    // (the engines' relevance with a place, ADR 0024), or nearest first alone when the patient
    // chose it or gave no words; without a postcode best match, or closing first.
    sort: near
      ? params.q && params.sortering !== "naermest"
        ? "relevance"
        : "distance"
      : params.q
        ? "relevance"
        : "closing",
    page: params.side,
    perPage: PATIENT_PAGE_SIZE,
    now,
  });
}

/**
 * The same search, asked anew (now). A function of its own so that the page cache keeps only the
 * query, not this view's studies: a closure made inside the view would hold the view's whole scope.
 */
function askAgain(engine: SearchEngine, query: SearchQuery): () => Promise<SearchResult> {
  return () => engine.search({ ...query, now: new Date() });
}

export async function patientSearchView(url: URL, now: Date): Promise<PatientSearchView> {
  const db = getDb();
  const lang = langFromSearch(url.searchParams);
  const tr = translator(lang);
  const regions = listRegions(db).map((r) => ({ id: r.id, name: r.name }));
  const parsed = parsePatientSearchParams(
    url.searchParams,
    regions.map((r) => r.id),
  );
  const params = parsed.params;
  const problems: ParamProblem[] = [...parsed.problems];

  let near: PatientSearchView["near"] = null;
  let coordinates: { lat: number; lon: number } | null = null;
  if (params.postnummer) {
    const row = lookupPostcode(db, params.postnummer);
    if (row) {
      near = { postcode: row.postcode, place: row.place };
      coordinates = { lat: row.lat, lon: row.lon };
    } else if (countPostcodes(db) === 0) {
      // The list is loaded separately (npm run postcodes:load); without it we say so, not "unknown".
      problems.push({ field: "postnummer", key: "search.problem.postnummer.unavailable" });
    } else {
      problems.push({
        field: "postnummer",
        key: "search.problem.postnummer.unknown",
        vars: { postcode: params.postnummer },
      });
    }
  }

  const engine = getSearchEngine();
  const query = engineQuery(params, coordinates, now);
  const result = await engine.search(query);
  // What the page shows, for the page cache (ADR 0031): this answer and its studies; a page
  // without results also shows the counts of wider searches, so it is not declared.
  if (result.total === 0) pageDependsOnEverything();
  else pageShowsSearch(result, askAgain(engine, query));
  const hitIds = result.hits.map((h) => h.studyId);
  pageShowsStudies(db, hitIds);
  const categoryNames = new Map(listHrcsCategories(db).map((c) => [c.id, lang === "en" ? c.nameEn : c.nameNb]));
  const studies = new Map(getStudiesStamped(db, hitIds).map((s) => [s.id, s]));
  const cards = result.hits.flatMap((hit) => {
    const study = studies.get(hit.studyId);
    return study ? [studyCard(study, hit, { lang, now, categoryNames })] : [];
  });

  const pages = Math.max(1, Math.ceil(result.total / PATIENT_PAGE_SIZE));
  const countText =
    params.status === "apen"
      ? tr.plural("patient.results.count.open", result.total)
      : tr.plural("patient.results.count.any", result.total);

  const orderText = near
    ? params.q && params.sortering !== "naermest"
      ? tr.t("search.order.blend", { postcode: near.postcode, place: near.place })
      : tr.t("search.nearFrom", { postcode: near.postcode, place: near.place })
    : params.q
      ? tr.t("search.order.relevance")
      : tr.t("search.order.closing");

  let zero: PatientSearchView["zero"] = null;
  if (result.total === 0) {
    const regionName = regions.find((r) => r.id === params.region)?.name;
    const reasons = [
      params.q ? tr.t("patient.zero.q", { q: params.q }) : null,
      tr.t(`patient.zero.status.${params.status}`),
      params.alder != null ? tr.t("patient.zero.age", { age: params.alder }) : null,
      params.kjonn ? tr.t(`patient.zero.sex.${params.kjonn}`) : null,
      regionName ? tr.t("patient.zero.region", { region: regionName }) : null,
    ].filter((r): r is string => r != null);
    const candidates: { label: string; params: PatientSearchParams }[] = [];
    const base = { ...params, side: 1 };
    if (params.status === "apen")
      candidates.push({ label: tr.t("patient.widen.planned"), params: { ...base, status: "apen-planlagt" } });
    if (params.status !== "alle")
      candidates.push({ label: tr.t("patient.widen.all"), params: { ...base, status: "alle" } });
    if (params.q) candidates.push({ label: tr.t("patient.widen.q", { q: params.q }), params: { ...base, q: "" } });
    if (params.alder != null) candidates.push({ label: tr.t("patient.widen.age"), params: { ...base, alder: null } });
    if (params.kjonn) candidates.push({ label: tr.t("patient.widen.sex"), params: { ...base, kjonn: null } });
    if (params.region) candidates.push({ label: tr.t("patient.widen.region"), params: { ...base, region: null } });
    const counted = await Promise.all(
      candidates.map(async (c) => ({
        label: c.label,
        href: patientSearchHref(c.params, lang),
        count: (await engine.search({ ...engineQuery(c.params, null, now), page: 1, perPage: 1 })).total,
      })),
    );
    const everything = params.status === "alle" && !params.q && params.alder == null && !params.kjonn && !params.region;
    zero = { reasons, widen: counted.filter((c) => c.count > 0), emptyPortal: everything };
  }

  return {
    lang,
    params,
    raw: { postnummer: url.searchParams.get("postnummer") ?? "", alder: url.searchParams.get("alder") ?? "" },
    problems: problems.map((p) => ({ field: p.field, message: tr.t(p.key, p.vars) })),
    regions,
    near,
    total: result.total,
    page: params.side,
    pages,
    countText,
    orderText,
    cards,
    zero,
    previousHref:
      params.side > 1 ? patientSearchHref({ ...params, side: Math.min(params.side - 1, pages) }, lang) : null,
    nextHref: params.side < pages ? patientSearchHref({ ...params, side: params.side + 1 }, lang) : null,
    studyQuery: patientSearchHref(params, lang).slice(PATIENT_PATH.length),
  };
}
