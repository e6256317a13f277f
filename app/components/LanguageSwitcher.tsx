/**
 * Links to this same page in the other languages: plain links, so it works without JavaScript.
 * With JavaScript too they load a whole new document (reloadDocument): the browser holds only the
 * page's own language's texts (issue 24), and a new document brings the other one.
 */
import { Link, useLocation } from "@remix-run/react";
import { LANG_NAME, LANGS, withLang } from "#app/i18n/languages";
import { useTranslator } from "#app/i18n/use-translator";

export function LanguageSwitcher() {
  const { lang, t } = useTranslator();
  const location = useLocation();
  const here = `${location.pathname}${location.search}`;
  return (
    <nav aria-label={t("site.languages")} className="language-switcher">
      <ul>
        {LANGS.map((l) => (
          <li key={l}>
            {l === lang ? (
              <span aria-current="true" lang={l} className="current-language">
                {LANG_NAME[l]}
              </span>
            ) : (
              <Link to={withLang(here, l)} lang={l} hrefLang={l} reloadDocument>
                {LANG_NAME[l]}
              </Link>
            )}
          </li>
        ))}
      </ul>
    </nav>
  );
}
