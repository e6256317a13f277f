/**
 * The browser's entry: Remix's default, with two changes for light pages (issue 24):
 * - a page in nynorsk or English first loads that language's texts (its own small chunk; bokmål
 *   is in the bundle), so hydration renders the same text as the server did and a phone never
 *   downloads all three languages;
 * - a link from a hydrated page to a light page (the front page, the patient pages:
 *   app/light/pages.ts) loads it as a new document instead of rendering it here, so it gets its
 *   own light script and never half a React page without its live updates. The click is kept
 *   from Remix's <Link> (capture phase, before React's listener), and the browser follows it.
 */
import { RemixBrowser } from "@remix-run/react";
import { startTransition, StrictMode } from "react";
import { hydrateRoot } from "react-dom/client";
import { DEFAULT_LANG, isLang } from "./i18n/languages";
import { loadLanguage } from "./i18n/translate";
import { isLightPath } from "./light/pages";

addEventListener(
  "click",
  (event) => {
    const link = event.target instanceof Element ? event.target.closest("a[href]") : null;
    if (!(link instanceof HTMLAnchorElement) || link.target || link.hasAttribute("download")) return;
    const url = new URL(link.href, location.href);
    if (url.origin === location.origin && isLightPath(url.pathname)) event.stopPropagation();
  },
  true,
);

const lang = document.documentElement.lang;
void loadLanguage(isLang(lang) ? lang : DEFAULT_LANG).then(() => {
  startTransition(() => {
    hydrateRoot(
      document,
      <StrictMode>
        <RemixBrowser />
      </StrictMode>,
    );
  });
});
