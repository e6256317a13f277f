import type { LinksFunction, MetaFunction } from "@remix-run/node";
import { Link, Links, Meta, NavLink, Outlet, Scripts, ScrollRestoration, useMatches } from "@remix-run/react";
import type { ReactNode } from "react";
import { ErrorPage } from "./components/ErrorPage";
import { LanguageSwitcher } from "./components/LanguageSwitcher";
import { useNonce } from "./components/nonce";
import { langFromSearch } from "./i18n/languages";
import { translator } from "./i18n/translate";
import { useTranslator } from "./i18n/use-translator";
import { useLightScript } from "./light/light-script";
import { wantsHydration, wantsLightScript } from "./light/pages";
import styles from "./styles/app.css";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: styles },
  { rel: "icon", href: "/favicon.ico", sizes: "32x32" },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export const meta: MetaFunction = ({ location }) => {
  const { t } = translator(langFromSearch(location.search));
  return [{ title: t("site.metaTitle") }, { name: "description", content: t("site.description") }];
};

export function Layout({ children }: { children: ReactNode }) {
  const { lang, t, href } = useTranslator();
  // The CSP nonce for Remix's inline scripts (app/http/security-headers.server.ts).
  const nonce = useNonce();
  // The light pages (issue 24, app/light/pages.ts) are not hydrated: no Remix scripts, at most
  // their own small script (the Remix "disabling JavaScript" pattern, with a route handle).
  const handles = useMatches().map((m) => m.handle);
  const hydrate = wantsHydration(handles);
  const lightScript = useLightScript();
  return (
    <html lang={lang}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        {/* No referrer to other sites: a search for a diagnosis is nobody else's business.
            "same-origin", not "no-referrer": with no-referrer Chromium sends `Origin: null` on a
            form POST, which Remix refuses, so no form worked without JavaScript. */}
        <meta name="referrer" content="same-origin" />
        <Meta />
        <Links />
      </head>
      <body>
        <a className="skip-link" href="#innhold">
          {t("site.skipLink")}
        </a>
        <header className="site-header">
          <div className="wrap header-row">
            <Link to={href("/")} className="site-name">
              {t("site.name")}
            </Link>
            <nav aria-label={t("site.nav")}>
              <ul className="nav-list">
                <li>
                  <NavLink to={href("/pasient")}>{t("site.nav.patients")}</NavLink>
                </li>
                <li>
                  <NavLink to={href("/helsepersonell")}>{t("site.nav.clinicians")}</NavLink>
                </li>
                <li>
                  <NavLink to={href("/forsker")}>{t("site.nav.researchers")}</NavLink>
                </li>
              </ul>
            </nav>
            <LanguageSwitcher />
          </div>
        </header>
        <main id="innhold" tabIndex={-1} className="wrap">
          {children}
        </main>
        <footer className="site-footer">
          <div className="wrap">
            <p>{t("site.footer.about")}</p>
            <p>{t("site.footer.demo")}</p>
            <p>{t("site.footer.privacy")}</p>
            <p>
              {t("site.footer.postcodes")}{" "}
              <a href="https://www.erikbolstad.no/postnummer/">www.erikbolstad.no/postnummer/</a> (
              <a href="https://creativecommons.org/licenses/by/3.0/deed.no" rel="license">
                CC BY 3.0
              </a>
              ).
            </p>
            <p>
              <Link to={href("/personvern")}>{t("site.footer.privacyLink")}</Link>
              {" · "}
              <Link to={href("/tilgjengelighet")}>{t("site.footer.accessibility")}</Link>
            </p>
          </div>
        </footer>
        {hydrate ? (
          <>
            <ScrollRestoration nonce={nonce} />
            <Scripts nonce={nonce} />
          </>
        ) : lightScript && wantsLightScript(handles) ? (
          <script type="module" src={lightScript} nonce={nonce || undefined} />
        ) : null}
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
