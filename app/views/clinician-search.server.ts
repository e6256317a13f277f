/**
 * Everything the clinician list shows, from its URL: validated filters (with a clear message for
 * every bad value), ICD-10 given as a code or a name resolved to codes, one page of dense rows,
 * and the choices for the filter menus (organisations, regions, the ICD-10 list for autocomplete).
 */
import { daysUntilClose, siteStatus } from "#app/domain/inclusion-status";
import { PHASES, STUDY_TYPES } from "#app/domain/study";
import { studyStatusText } from "./status-text";
import { getDb } from "#app/db.server";
import { langFromSearch, type Lang } from "#app/i18n/languages";
import { translator } from "#app/i18n/translate";
import { icd10CodeInUse, lookupIcpc2, suggestIcd10 } from "#app/models/icd10.server";
import { readDiagnosisCode, type DiagnosisLookups } from "#app/domain/diagnosis-code";
import { listIcd10CodesInUse, listOrganisations, listRegions } from "#app/models/reference.server";
import type { StudyRecord } from "#app/models/study.server";
import { getStudiesStamped } from "#app/models/study-records-cached.server";
import { getSearchEngine } from "#app/search.server";
import type { SearchHit, SearchQuery } from "#app/search/types";
import { SEX_FOR_ENGINE, type ParamProblem } from "#app/search-params/field-parsers";
import { STATUS_FILTER, withoutEmpty } from "#app/search-params/engine-query";
import {
  clinicianSearchHref,
  effectiveSort,
  parseClinicianSearchParams,
  SORT_FOR_ENGINE,
  type ClinicianSearchParams,
  type ClinicianSort,
} from "#app/search-params/clinician-search-params";
import { localText, type LocalText } from "./localized-text";
import { activeSites } from "./study-card.server";
import { phaseText, studyTypeText } from "./study-labels";
import type { StudyStatus } from "#app/domain/inclusion-status";

export const CLINICIAN_PAGE_SIZE = 50;
/** "Closing soon": every open site's inclusion ends within this many days. */
export const CLOSING_SOON_DAYS = 30;
/** The engine pages at most 100 hits; the closing-soon filter reads all open studies this way. */
const ENGINE_PAGE = 100;
const MAX_ENGINE_PAGES = 50;

export interface ClinicianRow {
  id: number;
  title: LocalText;
  icd10: string[];
  typeAndPhase: string;
  status: StudyStatus;
  statusText: string;
  openSites: number;
  until: string;
  lead: string;
  isDemo: boolean;
}

export interface ClinicianSearchView {
  lang: Lang;
  params: ClinicianSearchParams;
  sort: ClinicianSort;
  problems: { field: string; message: string }[];
  /** How the filters were understood (e.g. a word that names no ICD-10 code was searched as text). */
  notes: string[];
  icd10Codes: string[];
  options: {
    regions: { id: string; name: string }[];
    organisations: { id: string; name: string }[];
    /** The health trusts by region, for the filter's option groups. */
    organisationGroups: { regionId: string; regionName: string; organisations: { id: string; name: string }[] }[];
    icd10: { code: string; name: string }[];
    phases: { id: string; name: string }[];
    types: { id: string; name: string }[];
  };
  total: number;
  page: number;
  pages: number;
  caption: string;
  rows: ClinicianRow[];
  /** The patient's age and sex from the filters, for the study page's quick check ("?alder=54&kjonn=kvinne" or ""). */
  checkQuery: string;
  /** No study matched: wider searches that find something, with how many (as the patient page offers). */
  widen: { label: string; href: string; count: number }[] | null;
  previousHref: string | null;
  nextHref: string | null;
}

/** Latest inclusion end among the open sites; null if one is open-ended, or none is open. */
function openUntil(study: StudyRecord, now: Date): { date: string | null; anyOpen: boolean } {
  const open = activeSites(study).filter((s) => siteStatus(s, now) === "open");
  if (open.length === 0 || open.some((s) => !s.inclusionEnd)) return { date: null, anyOpen: open.length > 0 };
  return {
    date: open
      .map((s) => s.inclusionEnd!)
      .sort()
      .at(-1)!,
    anyOpen: true,
  };
}

/** Open, and every open site stops including within CLOSING_SOON_DAYS (so the study closes). */
function closingSoon(study: StudyRecord, now: Date): boolean {
  const open = activeSites(study).filter((s) => siteStatus(s, now) === "open");
  if (open.length === 0) return false;
  return open.every((s) => {
    const days = daysUntilClose(s, now);
    return days != null && days <= CLOSING_SOON_DAYS;
  });
}

export async function clinicianSearchView(
  url: URL,
  now: Date,
  options: { widen: boolean } = { widen: true },
): Promise<ClinicianSearchView> {
  const db = getDb();
  const lang = langFromSearch(url.searchParams);
  const tr = translator(lang);
  const regions = listRegions(db);
  const organisations = listOrganisations(db);
  const icd10List = listIcd10CodesInUse(db);
  const parsed = parseClinicianSearchParams(url.searchParams, {
    regions: regions.map((r) => r.id),
    organisations: organisations.map((o) => o.id),
  });
  const params = parsed.params;
  const problems: ParamProblem[] = [...parsed.problems];

  // ICD-10 as a code (from the autocomplete list or typed) or a Norwegian name. A lay word that
  // names no code ("brystkreft") is searched as text: the engine's synonyms tie it to C50.
  // An ICPC-2 code (what GPs code in, "T90") is searched by its Norwegian name, and the page
  // says how it was understood; in the free-text field only a code typed on its own counts.
  const notes: string[] = [];
  const lookups: DiagnosisLookups = {
    icd10InUse: (code) => icd10CodeInUse(db, code),
    icpc2Name: (code) => lookupIcpc2(db, code)?.nameNb ?? null,
  };
  let icd10Codes: string[] = [];
  let extraText = "";
  let q = params.q;
  const qReading = /^\s*(?:icpc(?:-?2)?\s*[:\s]\s*)?[A-Za-z]\d{2}\d?\s*$/i.test(q)
    ? readDiagnosisCode(q, lookups)
    : null;
  if (qReading?.kind === "icpc2") {
    q = qReading.name;
    notes.push(tr.t("search.note.icpc2", { code: qReading.code, name: qReading.name }));
  }
  if (params.icd10) {
    const reading = readDiagnosisCode(params.icd10, lookups);
    if (reading.kind === "icd10") icd10Codes = [reading.code];
    else if (reading.kind === "icpc2") {
      extraText = reading.name;
      notes.push(tr.t("search.note.icpc2", { code: reading.code, name: reading.name }));
    } else {
      icd10Codes = params.icd10.trim().length >= 3 ? suggestIcd10(db, params.icd10, 20).map((c) => c.code) : [];
      if (icd10Codes.length === 0) {
        extraText = params.icd10;
        notes.push(tr.t("search.problem.icd10", { value: params.icd10 }));
      }
    }
  }

  const sort = effectiveSort(params);
  const base: SearchQuery = withoutEmpty({
    q: [q, extraText].filter(Boolean).join(" "),
    icd10: icd10Codes,
    organisations: params.helseforetak ? [params.helseforetak] : undefined,
    regions: params.region ? [params.region] : undefined,
    phases: params.fase ? [params.fase] : undefined,
    studyTypes: params.type ? [params.type] : undefined,
    status: STATUS_FILTER[params.status],
    age: params.alder ?? undefined,
    sex: params.kjonn ? SEX_FOR_ENGINE[params.kjonn] : undefined,
    sort: SORT_FOR_ENGINE[sort],
    now,
  });
  const engine = getSearchEngine();

  let total: number;
  let pageStudies: StudyRecord[];
  if (params.status === "stenger") {
    // The engine cannot filter on "closing within 30 days": read every open match, then keep
    // those closing soon and page here. Open studies number in the hundreds, not millions.
    const hits: SearchHit[] = [];
    for (let page = 1; page <= MAX_ENGINE_PAGES; page++) {
      const result = await engine.search({ ...base, page, perPage: ENGINE_PAGE });
      hits.push(...result.hits);
      if (hits.length >= result.total || result.hits.length === 0) break;
    }
    const closing = getStudiesStamped(
      db,
      hits.map((h) => h.studyId),
    ).filter((s) => closingSoon(s, now));
    total = closing.length;
    pageStudies = closing.slice((params.side - 1) * CLINICIAN_PAGE_SIZE, params.side * CLINICIAN_PAGE_SIZE);
  } else {
    const result = await engine.search({ ...base, page: params.side, perPage: CLINICIAN_PAGE_SIZE });
    total = result.total;
    pageStudies = getStudiesStamped(
      db,
      result.hits.map((h) => h.studyId),
    );
  }

  const rows = pageStudies.map((study): ClinicianRow => {
    const sites = activeSites(study);
    const { status, text } = studyStatusText(sites, now, lang);
    const until = openUntil(study, now);
    const phase = phaseText(tr, study.phase);
    return {
      id: study.id,
      title: localText(study.title, lang)!,
      icd10: study.icd10,
      typeAndPhase: [studyTypeText(tr, study.studyType), phase].filter(Boolean).join(", "),
      status,
      statusText: text,
      openSites: sites.filter((s) => siteStatus(s, now) === "open").length,
      until: until.date ? tr.date(until.date) : until.anyOpen ? tr.t("clinician.until.none") : "–",
      lead: study.leadOrganisation.name,
      isDemo: study.isDemo,
    };
  });

  const pages = Math.max(1, Math.ceil(total / CLINICIAN_PAGE_SIZE));

  // Nothing matched: each filter dropped in turn, counted by this same view (ICD-10 reading,
  // closing-soon filter and all), and offered where it finds something.
  let widen: ClinicianSearchView["widen"] = null;
  if (total === 0 && options.widen && problems.length === 0) {
    const base = { ...params, side: 1 };
    const candidates: { label: string; params: ClinicianSearchParams }[] = [];
    if (params.status !== "alle")
      candidates.push({ label: tr.t("patient.widen.all"), params: { ...base, status: "alle" } });
    if (params.q) candidates.push({ label: tr.t("patient.widen.q", { q: params.q }), params: { ...base, q: "" } });
    if (params.icd10)
      candidates.push({ label: tr.t("clinician.widen.icd10", { code: params.icd10 }), params: { ...base, icd10: "" } });
    if (params.helseforetak)
      candidates.push({ label: tr.t("clinician.widen.organisation"), params: { ...base, helseforetak: null } });
    if (params.region) candidates.push({ label: tr.t("patient.widen.region"), params: { ...base, region: null } });
    if (params.fase) candidates.push({ label: tr.t("clinician.widen.phase"), params: { ...base, fase: null } });
    if (params.type) candidates.push({ label: tr.t("clinician.widen.type"), params: { ...base, type: null } });
    if (params.alder != null) candidates.push({ label: tr.t("patient.widen.age"), params: { ...base, alder: null } });
    if (params.kjonn) candidates.push({ label: tr.t("patient.widen.sex"), params: { ...base, kjonn: null } });
    const counted = [];
    for (const c of candidates) {
      const href = clinicianSearchHref(c.params, lang);
      const count = (await clinicianSearchView(new URL(href, url), now, { widen: false })).total;
      if (count > 0) counted.push({ label: c.label, href, count });
    }
    widen = counted;
  }
  const check = new URLSearchParams();
  if (params.alder != null) check.set("alder", String(params.alder));
  if (params.kjonn) check.set("kjonn", params.kjonn);

  return {
    lang,
    params,
    sort,
    problems: problems.map((p) => ({ field: p.field, message: tr.t(p.key, p.vars) })),
    notes,
    icd10Codes,
    options: {
      regions: regions.map((r) => ({ id: r.id, name: r.name })),
      organisations: organisations.map((o) => ({ id: o.id, name: o.name })),
      organisationGroups: regions
        .map((r) => ({
          regionId: r.id,
          regionName: r.name,
          organisations: organisations.filter((o) => o.regionId === r.id).map((o) => ({ id: o.id, name: o.name })),
        }))
        .filter((g) => g.organisations.length > 0),
      icd10: icd10List.map((c) => ({ code: c.code, name: c.nameNb })),
      phases: PHASES.map((p) => ({ id: p, name: tr.t(`phase.${p}`) })),
      types: STUDY_TYPES.map((s) => ({ id: s, name: tr.t(`type.${s}`) })),
    },
    total,
    page: params.side,
    pages,
    caption: tr.t("clinician.table.caption", {
      count: tr.plural("count.studies", total),
      sort: tr.t(`clinician.sort.${SORT_FOR_ENGINE[sort]}`),
    }),
    rows,
    checkQuery: check.size ? `?${check.toString()}` : "",
    widen,
    previousHref:
      params.side > 1 ? clinicianSearchHref({ ...params, side: Math.min(params.side - 1, pages) }, lang) : null,
    nextHref: params.side < pages ? clinicianSearchHref({ ...params, side: params.side + 1 }, lang) : null,
  };
}
