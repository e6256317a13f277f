/**
 * Inclusion status in words, for people: never colour alone ("Åpen for inklusjon til 14. mars 2027").
 * The status itself comes from inclusion-status.ts (derived from dates, never stored); this module
 * only puts it into words, in bokmål by default or in the language asked for. Dates are formatted
 * with date-fns in that language.
 */
import { translator } from "#app/i18n/translate";
import type { Lang } from "#app/i18n/languages";
import {
  daysUntilClose,
  siteState,
  siteStatus,
  studyStatus,
  type InclusionWindow,
  type SiteState,
  type StudyStatus,
} from "#app/domain/inclusion-status";

/** Status names in bokmål (kept for callers that only need bokmål, e.g. the researcher table). */
export { STATUS_LABEL } from "#app/domain/status-label";

export function statusLabel(status: StudyStatus, lang: Lang = "nb"): string {
  return translator(lang).t(`status.label.${status}`);
}

/** "14. mars 2027" for the calendar date 2027-03-14 ("14 March 2027" in English). */
export function formatCalendarDate(date: string, lang: Lang = "nb"): string {
  return translator(lang).date(date);
}

/** "22. november 2026 kl. 14:05" for an instant, in Europe/Oslo. */
export function formatInstant(iso: string | Date, lang: Lang = "nb"): string {
  return translator(lang).instant(iso);
}

/**
 * A site's status in words, with what it rests on: dates speak for themselves ("Åpen for
 * inklusjon til 14. mars 2027"); a declared status names who said it, when, and in their words;
 * a declaration that grew too old says since when it is unconfirmed; expected (estimated) dates
 * are added as "forventet", never as firm ones.
 */
export function siteStatusText(site: InclusionWindow, now: Date, lang: Lang = "nb"): string {
  const state = siteState(site, now);
  const main = statusWords(site, state, now, lang);
  const { t, date } = translator(lang);
  const extra: string[] = [];
  if (state.declared && state.stale)
    extra.push(
      t("status.staleSince", { date: date(state.declared.on), by: state.declared.by, text: state.declared.text }),
    );
  else if (state.declared)
    extra.push(
      t("status.declaredBy", { date: date(state.declared.on), by: state.declared.by, text: state.declared.text }),
    );
  // Past the soft limit (still counted) or the hard one (unknown): since when nobody confirmed it (ADR 0019).
  if ((state.confirmation === "overdue" || state.confirmation === "lapsed") && site.confirmedOn)
    extra.push(t("status.unconfirmedSince", { date: date(site.confirmedOn) }));
  if (state.basis !== "dates" || state.startMissing) {
    if (site.expectedStart && state.status !== "closed" && state.status !== "open")
      extra.push(t("status.expectedStart", { date: date(site.expectedStart) }));
    if (site.expectedEnd && state.status !== "closed")
      extra.push(t("status.expectedEnd", { date: date(site.expectedEnd) }));
  }
  return extra.length ? `${main} (${extra.join("; ")})` : main;
}

function statusWords(site: InclusionWindow, state: SiteState, now: Date, lang: Lang): string {
  const { t, plural, date } = translator(lang);
  switch (state.status) {
    case "open": {
      if (state.basis === "declared") return t("status.label.open");
      if (!site.inclusionEnd) return t("status.openNoEnd");
      const days = daysUntilClose(site, now);
      const until = t("status.openUntil", { date: date(site.inclusionEnd) });
      if (days === 0) return t("status.lastDayToday", { until });
      if (days != null && days <= 30) return plural("status.daysLeft", days, { until });
      return until;
    }
    case "invitation":
      return t("status.label.invitation");
    case "planned":
      if (state.basis === "declared") return t("status.label.planned");
      return site.inclusionStart ? t("status.opens", { date: date(site.inclusionStart) }) : t("status.plannedNoStart");
    case "paused":
      return t("status.paused");
    case "unknown":
      return t("status.label.unknown");
    case "closed":
      // "Pågående" / ACTIVE_NOT_RECRUITING: the study goes on, it only takes no one new.
      if (state.declared?.status === "active_not_recruiting") return t("status.notRecruiting");
      if (state.basis === "declared") return t("status.closed");
      return site.inclusionEnd ? t("status.closedOn", { date: date(site.inclusionEnd) }) : t("status.closed");
  }
}

/** The study as a whole: open until the latest end among open sites; planned from the earliest start. */
export function studyStatusText(
  sites: InclusionWindow[],
  now: Date,
  lang: Lang = "nb",
): { status: StudyStatus; text: string } {
  const { t, date } = translator(lang);
  const active = sites.filter((s) => !s.withdrawn);
  const status = studyStatus(active, now);
  // A status that rests on what a source declared (or that grew too old) is said with its source,
  // its words and its date, as on the site itself.
  const declaredSite = active.find((s) => {
    const state = siteState(s, now);
    return state.status === status && state.declared != null;
  });
  if (declaredSite) return { status, text: siteStatusText(declaredSite, now, lang) };
  // Unknown because no site's dates were confirmed within the hard limit: say since when.
  if (status === "unknown") {
    const lapsed = active.find((s) => siteState(s, now).confirmation === "lapsed");
    if (lapsed) return { status, text: siteStatusText(lapsed, now, lang) };
  }
  if (status === "open") {
    const open = active.filter((s) => siteStatus(s, now) === "open");
    if (open.some((s) => !s.inclusionEnd || s.inclusionStart == null)) return { status, text: t("status.label.open") };
    const last = open
      .map((s) => s.inclusionEnd!)
      .sort()
      .at(-1)!;
    return { status, text: t("status.openUntil", { date: date(last) }) };
  }
  if (status === "planned") {
    const starts = active
      .filter((s) => siteStatus(s, now) === "planned" && s.inclusionStart)
      .map((s) => s.inclusionStart!)
      .sort();
    return { status, text: starts[0] ? t("status.opens", { date: date(starts[0]) }) : t("status.plannedNoStart") };
  }
  if (status === "paused") return { status, text: t("status.paused") };
  if (status === "invitation") return { status, text: t("status.label.invitation") };
  if (status === "unknown") return { status, text: t("status.label.unknown") };
  if (status === "closed") return { status, text: t("status.closed") };
  return { status, text: t("status.noSites") };
}

/**
 * "Sist bekreftet 12. november 2026" for a site's confirmation record; a date the migration
 * filled in from the site's last change (not a confirmation) says so. null without a record.
 */
export function siteConfirmationText(
  confirmation: { on: string; byKind: string } | null | undefined,
  lang: Lang = "nb",
): string | null {
  if (!confirmation) return null;
  const { t, date } = translator(lang);
  return confirmation.byKind === "backfill"
    ? t("site.changedOn", { date: date(confirmation.on) })
    : t("site.confirmedOn", { date: date(confirmation.on) });
}
