/**
 * /helsepersonell/studier/:id/henvisning.txt — the referral summary as a plain-text file, so it
 * can be saved or attached without JavaScript. The same text as on the page.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { getDb } from "#app/db.server";
import { PUBLIC_PAGE_CACHE_CONTROL } from "#app/http/cache-headers";
import { langFromRequest } from "#app/i18n/languages";
import { categoryNamesFor, clinicianStudyUrl, clinicianStudyView, loadPublicStudy } from "#app/views/study-page.server";
import { withdrawnAt } from "#app/models/study.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const db = getDb();
  const study = loadPublicStudy(db, params.id);
  const lang = langFromRequest(request);
  const view = clinicianStudyView(study, {
    lang,
    now: new Date(),
    withdrawnAt: study.publicationState === "withdrawn" ? withdrawnAt(db, study.id) : null,
    categoryNames: categoryNamesFor(db, lang),
    studyUrl: clinicianStudyUrl(study.id, lang),
    patient: { age: null, sex: null },
    problems: [],
  });
  return new Response(`${view.referralText}\n`, {
    headers: {
      "Content-Type": "text/plain; charset=utf-8",
      "Content-Disposition": `attachment; filename="henvisning-studie-${study.id}.txt"`,
      "Cache-Control": PUBLIC_PAGE_CACHE_CONTROL,
    },
  });
}
