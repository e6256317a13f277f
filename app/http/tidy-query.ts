/**
 * GET forms send every field, filled in or not ("?q=kols&alder=&kjonn=&region="). Searches are
 * meant to be bookmarked and shared, so the address keeps only the fields that say something.
 */
import { redirect } from "@remix-run/node";

/** The query string without empty parameters ("" when nothing is left). */
export function tidyQueryString(params: URLSearchParams): string {
  const kept = new URLSearchParams();
  for (const [name, value] of params) if (value.trim() !== "") kept.append(name, value);
  const s = kept.toString();
  return s ? `?${s}` : "";
}

/** Throws a redirect to the tidy address when the request carried empty parameters. */
export function redirectToTidyQuery(request: Request): void {
  const url = new URL(request.url);
  const tidy = tidyQueryString(url.searchParams);
  if (tidy !== url.search && !(tidy === "" && url.search === "?"))
    throw redirect(`${url.pathname}${tidy}`, { status: 302 });
}
