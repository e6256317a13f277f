import type { MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { ErrorPage } from "#app/components/ErrorPage";
import { getDb } from "#app/db.server";
import { publicPageHeaders } from "#app/http/cache-headers";
import { langFromSearch } from "#app/i18n/languages";
import { translator } from "#app/i18n/translate";
import { LIGHT_PAGE, PATIENT_RESULTS_ID } from "#app/light/pages";
import { useTranslator } from "#app/i18n/use-translator";
import { studyStatusFacts } from "#app/models/study-views.server";

export const meta: MetaFunction = ({ location }) => [
  { title: translator(langFromSearch(location.search)).t("home.title") },
];

export const headers = publicPageHeaders;

/** A light page (issue 24, app/light/): not hydrated, no script — links and numbers only. */
export const handle = LIGHT_PAGE;

export async function loader() {
  const items = studyStatusFacts(getDb(), new Date());
  const count = (status: string) => items.filter((i) => i.status === status).length;
  return {
    open: count("open"),
    planned: count("planned"),
    total: items.length,
    hospitals: new Set(items.flatMap((i) => i.siteNames)).size,
  };
}

export default function Index() {
  const facts = useLoaderData<typeof loader>();
  const { t, href, lang } = useTranslator();
  return (
    <>
      <h1>{t("home.title")}</h1>
      <p className="lead">{t("home.lead")}</p>
      {/* A patient's first step on a phone: straight to the search, a plain GET form (no script). */}
      <form
        method="get"
        action={`/pasient#${PATIENT_RESULTS_ID}`}
        role="search"
        aria-label={t("home.search")}
        className="search-form home-search"
      >
        {lang !== "nb" ? <input type="hidden" name="lang" value={lang} /> : null}
        <div className="field">
          <label htmlFor="q">{t("search.field.q")}</label>
          <div className="search-row">
            <input id="q" name="q" type="search" autoComplete="off" enterKeyHint="search" spellCheck={false} />
            <button type="submit">{t("search.submit")}</button>
          </div>
        </div>
        <div className="field">
          <label htmlFor="postnummer">{t("home.search.postcode")}</label>
          <input
            id="postnummer"
            name="postnummer"
            type="text"
            inputMode="numeric"
            autoComplete="postal-code"
            size={6}
          />
        </div>
      </form>
      <section aria-labelledby="tall-tittel">
        <h2 id="tall-tittel" className="visually-hidden">
          {t("home.facts")}
        </h2>
        <div className="facts">
          <div>
            <strong>{facts.open}</strong> {t("home.facts.open")}
          </div>
          <div>
            <strong>{facts.planned}</strong> {t("home.facts.planned")}
          </div>
          <div>
            <strong>{facts.total}</strong> {t("home.facts.total")}
          </div>
          <div>
            <strong>{facts.hospitals}</strong> {t("home.facts.sites")}
          </div>
        </div>
      </section>
      <ul className="audiences" aria-label={t("home.audiences")}>
        <li className="audience">
          <h2>{t("home.patients.title")}</h2>
          <p>{t("home.patients.text")}</p>
          <Link className="cta" to={href("/pasient")}>
            {t("home.patients.cta")}
          </Link>
        </li>
        <li className="audience">
          <h2>{t("home.clinicians.title")}</h2>
          <p>{t("home.clinicians.text")}</p>
          <Link className="cta" to={href("/helsepersonell")}>
            {t("home.clinicians.cta")}
          </Link>
        </li>
        <li className="audience">
          <h2>{t("home.researchers.title")}</h2>
          <p>{t("home.researchers.text")}</p>
          <Link className="cta" to={href("/forsker")}>
            {t("home.researchers.cta")}
          </Link>
        </li>
      </ul>
    </>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
