/**
 * The portal's interface languages and how a page knows which one to use.
 *
 * The language travels in the address as `?lang=nn` / `?lang=en` (bokmål has no parameter), never
 * in a cookie: patients get no cookies at all, and a language in the URL makes every page
 * cacheable and shareable as it is (docs/decisions/0005-language-in-the-query-string.md).
 */
export const LANGS = ["nb", "nn", "en"] as const;
export type Lang = (typeof LANGS)[number];
export const DEFAULT_LANG: Lang = "nb";
export const LANG_PARAM = "lang";

/** Each language named in itself, for the language switcher. */
export const LANG_NAME: Record<Lang, string> = { nb: "Bokmål", nn: "Nynorsk", en: "English" };

/** The BCP 47 locale for dates in words (Intl.DateTimeFormat): month names. */
export const DATE_LOCALE: Record<Lang, string> = { nb: "nb-NO", nn: "nn-NO", en: "en-GB" };

export function isLang(value: unknown): value is Lang {
  return typeof value === "string" && (LANGS as readonly string[]).includes(value);
}

/** The language asked for in a query string; anything unknown falls back to bokmål. */
export function langFromSearch(search: string | URLSearchParams): Lang {
  const params = typeof search === "string" ? new URLSearchParams(search) : search;
  const value = params.get(LANG_PARAM);
  return isLang(value) ? value : DEFAULT_LANG;
}

export function langFromRequest(request: Request): Lang {
  return langFromSearch(new URL(request.url).searchParams);
}

/**
 * An internal link in a language: sets or removes `lang` in `href` and keeps everything else
 * (path, other parameters, hash). Bokmål links carry no parameter, so they stay short.
 */
export function withLang(href: string, lang: Lang): string {
  const hashAt = href.indexOf("#");
  const hash = hashAt >= 0 ? href.slice(hashAt) : "";
  const beforeHash = hashAt >= 0 ? href.slice(0, hashAt) : href;
  const queryAt = beforeHash.indexOf("?");
  const path = queryAt >= 0 ? beforeHash.slice(0, queryAt) : beforeHash;
  const params = new URLSearchParams(queryAt >= 0 ? beforeHash.slice(queryAt + 1) : "");
  params.delete(LANG_PARAM);
  if (lang !== DEFAULT_LANG) params.set(LANG_PARAM, lang);
  const query = params.toString();
  return `${path}${query ? `?${query}` : ""}${hash}`;
}
