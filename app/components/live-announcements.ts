/**
 * What the live region says after a live refresh (use-live-updates), and which events concern a
 * page. Pure: the same text on every page, testable without a browser.
 */
import type { Translator } from "#app/i18n/translate";
import type { LiveEvent } from "./live-events";

/** The part of a translator the announcements use (the light pages build one from the live region's texts). */
export type LiveTexts = Pick<Translator, "t" | "plural">;

/** A search result list before and after: new studies first, then those that left, else "updated". */
export function describeResults(
  t: LiveTexts,
  before: { ids: readonly number[]; json: string },
  after: { ids: readonly number[]; json: string },
): string | null {
  if (before.json === after.json) return null;
  const was = new Set(before.ids);
  const now = new Set(after.ids);
  const added = after.ids.filter((id) => !was.has(id)).length;
  const removed = before.ids.filter((id) => !now.has(id)).length;
  const parts: string[] = [];
  if (added) parts.push(t.plural("live.results.added", added));
  if (removed) parts.push(t.plural("live.results.removed", removed));
  return parts.length ? parts.join(". ") : t.t("live.results.updated");
}

/** One study page before and after. */
export function describeStudy(
  t: LiveTexts,
  before: { json: string; withdrawn: boolean },
  after: { json: string; withdrawn: boolean },
): string | null {
  if (before.json === after.json) return null;
  return !before.withdrawn && after.withdrawn ? t.t("live.study.withdrawn") : t.t("live.study.updated");
}

/**
 * Whether an event may change a search page's results: a study already shown always; any other
 * study unless it was withdrawn (it cannot appear then), or its sites are all at other
 * organisations than the one filtered on.
 */
export function concernsSearch(event: LiveEvent, shown: ReadonlySet<number>, organisation: string | null): boolean {
  if (shown.has(event.studyId)) return true;
  if (event.type === "study.withdrawn") return false;
  return !organisation || !event.organisations || event.organisations.includes(organisation);
}

export const studySnapshot = (page: { withdrawn?: unknown }) => ({
  json: JSON.stringify(page),
  withdrawn: Boolean(page.withdrawn),
});
