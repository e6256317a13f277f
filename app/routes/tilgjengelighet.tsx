/** /tilgjengelighet — the accessibility statement (Tilgjengelighetserklæring). */
import type { MetaFunction } from "@remix-run/node";
import { ErrorPage } from "#app/components/ErrorPage";
import { publicPageHeaders } from "#app/http/cache-headers";
import { langFromSearch } from "#app/i18n/languages";
import { translator } from "#app/i18n/translate";
import { useTranslator } from "#app/i18n/use-translator";

export const meta: MetaFunction = ({ location }) => {
  const { t } = translator(langFromSearch(location.search));
  return [{ title: `${t("a11y.metaTitle")} – ${t("site.titleSuffix")}` }];
};

export const headers = publicPageHeaders;

const FEATURES = [
  "a11y.features.1",
  "a11y.features.2",
  "a11y.features.3",
  "a11y.features.4",
  "a11y.features.5",
] as const;

export default function AccessibilityStatement() {
  const { t } = useTranslator();
  return (
    <article aria-labelledby="a11y-tittel" className="prose">
      <h1 id="a11y-tittel">{t("a11y.title")}</h1>
      <p className="lead">{t("a11y.lead")}</p>
      <h2>{t("a11y.features.title")}</h2>
      <ul>
        {FEATURES.map((key) => (
          <li key={key}>{t(key)}</li>
        ))}
      </ul>
      <h2>{t("a11y.how.title")}</h2>
      <p>{t("a11y.how.text")}</p>
      <h2>{t("a11y.known.title")}</h2>
      <p>{t("a11y.known.text")}</p>
      <h2>{t("a11y.contact.title")}</h2>
      <p>{t("a11y.contact.text")}</p>
    </article>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
