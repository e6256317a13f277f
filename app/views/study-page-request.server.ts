/**
 * The two study pages' loaders, from the request: which study, which language, and the query
 * values a page takes (a postcode carried over from the patient search; age and sex for the
 * clinician's quick eligibility check). The query is parsed here, on the server, with the zod
 * field parsers — the routes import only this, so no parser reaches the browser (issue 24).
 */
import { getDb, type Db } from "#app/db.server";
import { pageShowsStudies } from "#app/http/page-dependencies.server";
import { langFromRequest } from "#app/i18n/languages";
import { translator } from "#app/i18n/translate";
import { lookupPostcode } from "#app/models/postcode.server";
import { listRegions } from "#app/models/reference.server";
import { parsePatientSearchParams, patientSearchHref } from "#app/search-params/patient-search-params";
import { withdrawnAt } from "#app/models/study.server";
import {
  ageSchema,
  oneOf,
  parseField,
  postcodeSchema,
  SEX_PARAMS,
  type ParamProblem,
} from "#app/search-params/field-parsers";
import {
  categoryNamesFor,
  clinicianStudyUrl,
  clinicianStudyView,
  loadPublicStudy,
  parseStudyId,
  patientStudyView,
} from "./study-page.server";

/**
 * The study a public page shows, declared to the page cache before it is read: the page shows
 * nothing else that changes (its postcode, regions and category names are reference data), so
 * it stays valid while this study does (ADR 0031).
 */
function studyForPage(db: Db, rawId: string | undefined) {
  const id = parseStudyId(rawId);
  if (id != null) pageShowsStudies(db, [id]);
  return loadPublicStudy(db, rawId);
}

export function patientStudyPage(request: Request, rawId: string | undefined) {
  const db = getDb();
  const study = studyForPage(db, rawId);
  const lang = langFromRequest(request);
  const search = new URL(request.url).searchParams;
  // A postcode carried over from the search gives distances; a bad or unknown one is ignored here.
  const postcode = postcodeSchema.safeParse(search.get("postnummer") ?? "");
  const place = postcode.success ? lookupPostcode(db, postcode.data) : null;
  // The rest of the search is only carried back to it (values that do not parse are left out).
  const from = parsePatientSearchParams(
    search,
    listRegions(db).map((r) => r.id),
  ).params;
  return patientStudyView(study, {
    lang,
    now: new Date(),
    near: place,
    postcode: place?.postcode ?? null,
    backHref: patientSearchHref(from, lang),
    withdrawnAt: study.publicationState === "withdrawn" ? withdrawnAt(db, study.id) : null,
    categoryNames: categoryNamesFor(db, lang),
  });
}

export function clinicianStudyPage(request: Request, rawId: string | undefined) {
  const db = getDb();
  const study = studyForPage(db, rawId);
  const lang = langFromRequest(request);
  const search = new URL(request.url).searchParams;
  const problems: ParamProblem[] = [];
  const age = parseField(search, "alder", ageSchema, problems);
  const sex = parseField(search, "kjonn", oneOf(SEX_PARAMS), problems);
  const tr = translator(lang);
  return clinicianStudyView(study, {
    lang,
    now: new Date(),
    withdrawnAt: study.publicationState === "withdrawn" ? withdrawnAt(db, study.id) : null,
    categoryNames: categoryNamesFor(db, lang),
    studyUrl: clinicianStudyUrl(study.id, lang),
    patient: { age, sex },
    problems: problems.map((p) => ({ field: p.field, message: tr.t(p.key, p.vars) })),
  });
}
