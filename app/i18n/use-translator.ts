/**
 * The page's translator, from the `lang` query parameter of the current location. Read from the
 * URL (not from loader data) so that layouts and error boundaries get it too, even when a loader
 * failed.
 *
 * The browser holds only the first page's language (issue 24, app/entry.client.tsx). A client-side
 * navigation into another language (signing in on a bokmål page whose return path is English,
 * say) would otherwise render bokmål under `<html lang="en">` until a reload. So the hook waits
 * for that language's texts (React Suspense: it throws the load's promise; Remix navigates in a
 * transition, so the previous page stays on screen until they are here). On the server every
 * language is present and this never waits.
 */
import { useLocation } from "@remix-run/react";
import { langFromSearch } from "./languages";
import { hasLanguage, loadLanguage, translator, type Translator } from "./translate";

export function useTranslator(): Translator {
  const lang = langFromSearch(useLocation().search);
  if (!hasLanguage(lang)) throw loadLanguage(lang);
  return translator(lang);
}
