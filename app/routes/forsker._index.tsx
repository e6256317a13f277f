import type { MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { getDb } from "#app/db.server";
import { ErrorPage } from "#app/components/ErrorPage";
import { publicPageHeaders } from "#app/http/cache-headers";
import { langFromSearch } from "#app/i18n/languages";
import { translator } from "#app/i18n/translate";
import { useTranslator } from "#app/i18n/use-translator";
import type { StudyStatus } from "#app/domain/inclusion-status";
import { studyStatusFacts } from "#app/models/study-views.server";
import { withStaffTexts } from "#app/i18n/staff-texts";

// This page's texts are not in the public pages' bundle (app/i18n/staff-texts.ts).
withStaffTexts();

export const meta: MetaFunction = ({ location }) => {
  const { t } = translator(langFromSearch(location.search));
  return [{ title: `${t("researcher.metaTitle")} – ${t("site.titleSuffix")}` }];
};

export const headers = publicPageHeaders;

const STATUSES: StudyStatus[] = ["open", "planned", "paused", "closed"];

export async function loader() {
  const items = studyStatusFacts(getDb(), new Date());
  const regions = [...new Set(items.map((i) => i.region))].sort((a, b) => a.localeCompare(b, "nb"));
  return {
    statuses: STATUSES,
    rows: regions.map((region) => ({
      region,
      counts: STATUSES.map((s) => items.filter((i) => i.region === region && i.status === s).length),
      total: items.filter((i) => i.region === region).length,
    })),
    totals: STATUSES.map((s) => items.filter((i) => i.status === s).length),
    total: items.length,
  };
}

export default function ResearcherIndex() {
  const data = useLoaderData<typeof loader>();
  const { t } = useTranslator();
  return (
    <>
      <h1>{t("researcher.title")}</h1>
      <p className="lead">{t("researcher.lead")}</p>
      {/* The same page for everyone (cacheable, no cookies): the signed-in part starts at /forsker/studier. */}
      <p>
        <Link to="/forsker/studier" hrefLang="nb">
          {t("researcher.myStudies")}
        </Link>
      </p>
      <p>
        <Link to="/forsker/statistikk" hrefLang="nb">
          {t("researcher.statistics")}
        </Link>
      </p>
      {/* Focusable: on a phone the table scrolls sideways inside this region (WCAG 2.1.1). */}
      <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="forsker-tabell">
        <table>
          <caption id="forsker-tabell">{t("researcher.caption")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("researcher.region")}</th>
              {data.statuses.map((s) => (
                <th scope="col" key={s}>
                  {t(`status.label.${s}`)}
                </th>
              ))}
              <th scope="col">{t("researcher.total")}</th>
            </tr>
          </thead>
          <tbody>
            {data.rows.map((r) => (
              <tr key={r.region}>
                <th scope="row">{r.region}</th>
                {r.counts.map((n, i) => (
                  <td key={i}>{n}</td>
                ))}
                <td>{r.total}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">{t("researcher.country")}</th>
              {data.totals.map((n, i) => (
                <td key={i}>{n}</td>
              ))}
              <td>{data.total}</td>
            </tr>
          </tfoot>
        </table>
      </div>
    </>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
