/**
 * The page's translator, from the `lang` query parameter of the current location. Read from the
 * URL (not from loader data) so that layouts and error boundaries get it too, even when a loader
 * failed.
 */
import { useLocation } from "@remix-run/react";
import { langFromSearch } from "./languages";
import { translator, type Translator } from "./translate";

export function useTranslator(): Translator {
  return translator(langFromSearch(useLocation().search));
}
