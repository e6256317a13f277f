/**
 * /forsker/statistikk — national statistics: open / planned / paused / closed studies by region,
 * health trust, HRCS category and phase, sites with inclusion per month, new studies per month.
 *
 * Public, without sign-in (like /forsker): it is open data — counted only from published
 * studies, which the open API already publishes one by one — so a login would protect nothing
 * and would stop the page from being cached and linked. It sets no cookie.
 * Status is derived for the instant of the request (never stored); each chart is SVG drawn here
 * with a text alternative and is followed by its table, and each table can be downloaded as CSV.
 */
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { ErrorPage } from "#app/components/ErrorPage";
import { MonthColumnChart, StackedBarChart } from "#app/components/StatisticsCharts";
import { publicPageHeaders } from "#app/http/cache-headers";
import type { StatTable } from "#app/views/statistics";
import { statisticsPage } from "#app/views/statistics-page.server";
import { langFromSearch, withLang } from "#app/i18n/languages";
import { translator } from "#app/i18n/translate";
import { useTranslator } from "#app/i18n/use-translator";

export const meta: MetaFunction = ({ location }) => {
  const { t } = translator(langFromSearch(location.search));
  return [{ title: `${t("stats.metaTitle")} – ${t("site.titleSuffix")}` }];
};
export const headers = publicPageHeaders;

export async function loader({ request }: LoaderFunctionArgs) {
  return statisticsPage(request, new Date(), langFromSearch(new URL(request.url).search));
}

/** One table row's cells: the first is the row's header. */
function RowCells({ cells }: { cells: StatTable["rows"][number] }) {
  return (
    <>
      {cells.map((cell, i) =>
        i === 0 ? (
          <th scope="row" key={i}>
            {cell}
          </th>
        ) : (
          <td key={i}>{cell}</td>
        ),
      )}
    </>
  );
}

function DataTable({ table }: { table: StatTable }) {
  const { t } = useTranslator();
  const captionId = `tabell-${table.id}`;
  return (
    <div className="table-wrap" tabIndex={0} role="region" aria-labelledby={captionId}>
      <table className="stat-table" id={`data-${table.id}`}>
        <caption id={captionId}>{t("stats.tableSuffix", { title: table.title })}</caption>
        <thead>
          <tr>
            {table.columns.map((c, i) => (
              <th scope="col" key={i}>
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {table.rows.map((row, r) => (
            <tr key={r}>
              <RowCells cells={row} />
            </tr>
          ))}
        </tbody>
        {table.foot ? (
          <tfoot>
            <tr>
              <RowCells cells={table.foot} />
            </tr>
          </tfoot>
        ) : null}
      </table>
    </div>
  );
}

export default function Statistics() {
  const { view, at, lang, includeDemo } = useLoaderData<typeof loader>();
  const { total } = view;
  const { t } = useTranslator();
  const csvQuery = includeDemo ? "" : "?demodata=nei";
  return (
    <>
      <h1>{t("stats.title")}</h1>
      <p className="lead">{t("stats.lead", { at })}</p>
      <ul className="facts" aria-label={t("stats.facts")}>
        <li>
          <strong>{total.total}</strong>
          {` ${t("stats.published")}`}
        </li>
        {(["open", "planned", "paused", "closed"] as const).map((s) => (
          <li key={s}>
            <strong>{total.counts[s]}</strong>
            {` ${t(`status.label.${s}`).toLowerCase()}`}
          </li>
        ))}
      </ul>
      {view.demoStudies > 0 ? (
        <p className="notice">{t("stats.demo.included", { count: view.demoStudies })}</p>
      ) : !includeDemo ? (
        <p className="notice">{t("stats.demo.excluded")}</p>
      ) : null}
      <form method="get" className="inline-form" aria-label={t("stats.demo.form")}>
        {lang !== "nb" ? <input type="hidden" name="lang" value={lang} /> : null}
        <div className="checkbox">
          <input type="checkbox" id="uten-demodata" name="demodata" value="nei" defaultChecked={!includeDemo} />
          <label htmlFor="uten-demodata">{t("stats.demo.leaveOut")}</label>
        </div>
        <button type="submit">{t("stats.demo.show")}</button>
      </form>
      <nav aria-labelledby="statistikk-innhold">
        <h2 id="statistikk-innhold">{t("stats.contents")}</h2>
        <ul>
          {view.sections.map((s) => (
            <li key={s.table.id}>
              <a href={`#${s.table.id}`}>{s.table.title}</a>
            </li>
          ))}
          {view.freshness.map((table) => (
            <li key={table.id}>
              <a href={`#${table.id}`}>{table.title}</a>
            </li>
          ))}
        </ul>
      </nav>
      {view.sections.map((s) => (
        <section key={s.table.id} aria-labelledby={s.table.id} className="stat-section">
          <h2 id={s.table.id}>{s.table.title}</h2>
          <p>{s.table.explanation}</p>
          {s.chart.kind === "stacked" ? (
            <StackedBarChart id={`figur-${s.table.id}`} title={s.table.title} summary={s.summary} chart={s.chart} />
          ) : (
            <MonthColumnChart id={`figur-${s.table.id}`} title={s.table.title} summary={s.summary} chart={s.chart} />
          )}
          <DataTable table={s.table} />
          <p>
            <a href={withLang(`/forsker/statistikk/${s.table.id}.csv${csvQuery}`, lang)} download>
              {t("stats.csv", { title: s.table.title })}
            </a>
          </p>
        </section>
      ))}
      {view.freshness.map((table) => (
        <section key={table.id} aria-labelledby={table.id} className="stat-section" lang={lang}>
          <h2 id={table.id}>{table.title}</h2>
          <p>{table.explanation}</p>
          <DataTable table={table} />
          <p>
            <a href={withLang(`/forsker/statistikk/${table.id}.csv${csvQuery}`, lang)} download>
              {t("stats.freshness.csv")}
              <span className="visually-hidden">{` (${table.title})`}</span>
            </a>
          </p>
        </section>
      ))}
    </>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
