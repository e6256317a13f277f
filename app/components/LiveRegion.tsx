/**
 * The page's one polite live region for live updates ("1 ny studie i resultatene", "Studien er
 * oppdatert"). Rendered empty with the page so screen readers know it before anything is put in
 * it; visually hidden (the page itself shows the change); never takes focus.
 *
 * On the light pages (app/light/, not hydrated) the script has no message catalogue: `texts`
 * names the messages it may say, and they go along in this page's language as `data-texts`.
 */
import type { MessageKey } from "#app/i18n/messages/nb";
import { useTranslator } from "#app/i18n/use-translator";

export const SEARCH_LIVE_TEXTS = [
  "live.results.added.one",
  "live.results.added.other",
  "live.results.removed.one",
  "live.results.removed.other",
  "live.results.updated",
  "live.results.new",
] as const satisfies readonly MessageKey[];
export const STUDY_LIVE_TEXTS = ["live.study.updated", "live.study.withdrawn"] as const satisfies readonly MessageKey[];

export function LiveRegion({ message, texts }: { message: string; texts?: readonly MessageKey[] }) {
  const { t } = useTranslator();
  const data = texts ? JSON.stringify(Object.fromEntries(texts.map((key) => [key, t(key)]))) : undefined;
  return (
    <p className="visually-hidden" aria-live="polite" aria-atomic="true" data-live-region="" data-texts={data}>
      {message}
    </p>
  );
}
