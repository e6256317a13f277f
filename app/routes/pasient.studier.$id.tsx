/**
 * /pasient/studier/:id — a study for patients and relatives, in plain language: what it is about,
 * who can take part, what taking part means, where and until when (each site with its own
 * window, nearest first when a postcode came along from the search), whom to contact, and the
 * fixed advice to talk to their doctor. A missing or unpublished study is a real 404.
 * A light page (issue 24, app/light/): not hydrated; its small script (app/light/patient-page.ts)
 * replaces the article when the study changes and says so in the live region.
 */
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { ErrorPage } from "#app/components/ErrorPage";
import { PatientStudyContent } from "#app/components/StudyContent";
import { LiveRegion, STUDY_LIVE_TEXTS } from "#app/components/LiveRegion";
import { publicPageHeaders } from "#app/http/cache-headers";
import { langFromSearch } from "#app/i18n/languages";
import { translator } from "#app/i18n/translate";
import { LIGHT_PAGE_WITH_SCRIPT } from "#app/light/pages";
import { useTranslator } from "#app/i18n/use-translator";
import { patientStudyPage } from "#app/views/study-page-request.server";

export const meta: MetaFunction<typeof loader> = ({ data, location }) => {
  const { t } = translator(langFromSearch(location.search));
  return [{ title: `${data ? data.title.text : t("error.study.notFound.title")} – ${t("site.titleSuffix")}` }];
};

export const headers = publicPageHeaders;

export const handle = LIGHT_PAGE_WITH_SCRIPT;

export async function loader({ request, params }: LoaderFunctionArgs) {
  return patientStudyPage(request, params.id);
}

export default function PatientStudyPage() {
  const s = useLoaderData<typeof loader>();
  const { t, href } = useTranslator();
  return (
    <article
      aria-labelledby="studie-tittel"
      className="study-page"
      data-live-part="study"
      data-live-study=""
      data-study-id={s.id}
      data-withdrawn={s.withdrawn ? "" : undefined}
    >
      <PatientStudyContent s={s} />
      <ul className="page-links">
        <li>
          <Link to={href(`/helsepersonell/studier/${s.id}`)}>{t("patient.study.clinicianLink")}</Link>
        </li>
        <li>
          <Link to={s.backHref}>{t("patient.study.back")}</Link>
        </li>
      </ul>
      <LiveRegion message="" texts={STUDY_LIVE_TEXTS} />
    </article>
  );
}

export function ErrorBoundary() {
  return (
    <ErrorPage
      texts={{
        notFoundTitle: "error.study.notFound.title",
        notFoundText: "error.study.notFound.text",
        title: "error.study.generic.title",
        text: "error.study.generic.text",
        link: { to: "/pasient", label: "error.study.toSearch" },
      }}
    />
  );
}
