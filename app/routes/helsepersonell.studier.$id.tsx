/**
 * /helsepersonell/studier/:id — everything a doctor needs to refer: full inclusion and exclusion
 * criteria, every site with status, window, local contact and how to refer, registry identifiers
 * (linked), lead investigator, last updated, a referral summary to copy or print on one A4 page,
 * and the quick age/sex check (`?alder=54&kjonn=kvinne`, never stored).
 */
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { ErrorPage } from "#app/components/ErrorPage";
import { ClinicianStudyContent } from "#app/components/StudyContent";
import { LiveRegion } from "#app/components/LiveRegion";
import { useStudyPageUpdates } from "#app/components/use-live-updates";
import { ReferralSummary } from "#app/components/ReferralSummary";
import { publicPageHeaders } from "#app/http/cache-headers";
import { langFromSearch } from "#app/i18n/languages";
import { translator } from "#app/i18n/translate";
import { useTranslator } from "#app/i18n/use-translator";
import { clinicianStudyPage } from "#app/views/study-page-request.server";

export const meta: MetaFunction<typeof loader> = ({ data, location }) => {
  const { t } = translator(langFromSearch(location.search));
  return [
    {
      title: `${data ? data.title.text : t("error.study.notFound.title")} – ${t("site.nav.clinicians")} – ${t("site.titleSuffix")}`,
    },
  ];
};

export const headers = publicPageHeaders;

export async function loader({ request, params }: LoaderFunctionArgs) {
  return clinicianStudyPage(request, params.id);
}

export default function ClinicianStudyPage() {
  const s = useLoaderData<typeof loader>();
  const translate = useTranslator();
  const { t, href } = translate;
  const announcement = useStudyPageUpdates(s, translate);
  const path = `/helsepersonell/studier/${s.id}`;
  return (
    <article aria-labelledby="studie-tittel" className="study-page clinician-study print-only-referral">
      <ClinicianStudyContent s={s} tools={{ checkAction: path }} />

      <ReferralSummary text={s.referralText} downloadHref={href(`${path}/henvisning.txt`)} />
      <p className="no-print">
        <Link to={href("/helsepersonell")}>{t("patient.study.back")}</Link>
      </p>
      <LiveRegion message={announcement} />
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
        link: { to: "/helsepersonell", label: "error.study.toSearch" },
      }}
    />
  );
}
