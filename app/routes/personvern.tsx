/**
 * /personvern — the privacy statement, in plain words for patients (nb/nn/en). What it says must
 * match what the code does: docs/privacy.md (for operators) and tests/integration/privacy-leaks.test.ts.
 */
import type { MetaFunction } from "@remix-run/node";
import { ErrorPage } from "#app/components/ErrorPage";
import { publicPageHeaders } from "#app/http/cache-headers";
import { langFromSearch } from "#app/i18n/languages";
import type { MessageKey } from "#app/i18n/messages/nb";
import { translator } from "#app/i18n/translate";
import { useTranslator } from "#app/i18n/use-translator";

export const meta: MetaFunction = ({ location }) => {
  const { t } = translator(langFromSearch(location.search));
  return [{ title: `${t("privacy.metaTitle")} – ${t("site.titleSuffix")}` }];
};

export const headers = publicPageHeaders;

const SECTIONS = ["search", "log", "cookies", "feeds", "machines", "staff", "questions"] as const;

export default function PrivacyStatement() {
  const { t } = useTranslator();
  return (
    <article aria-labelledby="personvern-tittel" className="prose">
      <h1 id="personvern-tittel">{t("privacy.title")}</h1>
      <p className="lead">{t("privacy.lead")}</p>
      {SECTIONS.map((section) => (
        <section key={section} aria-labelledby={`personvern-${section}`}>
          <h2 id={`personvern-${section}`}>{t(`privacy.${section}.title` as MessageKey)}</h2>
          <p>{t(`privacy.${section}.text` as MessageKey)}</p>
        </section>
      ))}
    </article>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
