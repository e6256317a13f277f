/**
 * What needs a person (issue 18 item 2, ADR 0020): one pure rule deciding, for an instant `now`,
 * which of an organisation's sites and records need a site editor or researcher. The portal list
 * ("Trenger deg"), the per-organisation Atom feed and iCalendar, and the e-mail digest all use it.
 *
 * Nothing about patients goes in or out: only studies, sites, dates and hold reasons.
 *
 * Kinds, in the order a person should act on them:
 * - "confirm-overdue": a site whose status could still change (open, planned, by invitation,
 *   paused) and whose last confirmation is past the soft limit (it reads "ikke bekreftet siden …")
 *   or past the hard one (it no longer counts as open); due: the day it became overdue;
 * - "confirm-soon": the same, within CONFIRM_AHEAD_DAYS days before the soft limit; due: that day;
 * - "ended-open": a site whose status rests on a source's declaration that it is open (or open by
 *   invitation) although the source's own expected end date has passed: close it or give new
 *   dates; due: the expected end date;
 * - "end-soon": an open site whose inclusion end date is within END_AHEAD_DAYS days (today
 *   included); due: the end date;
 * - "held": a record the ingest held back (test or example record, unreachable link) that waits
 *   for an editor; due: the day it was held.
 */
import { confirmationOverdueFrom, osloDate, siteState, type InclusionWindow } from "./inclusion-status";
import { addCalendarDays, calendarDaysBetween } from "./calendar-date";

export const CONFIRM_AHEAD_DAYS = 14;
export const END_AHEAD_DAYS = 30;

export const REMINDER_KINDS = ["confirm-overdue", "held", "ended-open", "end-soon", "confirm-soon"] as const;
export type ReminderKind = (typeof REMINDER_KINDS)[number];

export interface ReminderSiteInput extends InclusionWindow {
  studyId: number;
  studyTitle: string;
  /** The site's identity key (siteKey), as the confirm action and the study page name it. */
  siteKey: string;
  siteName: string;
  organisationId: string | null;
}

export interface ReminderHoldInput {
  studyId: number;
  studyTitle: string;
  /** ISO instant the record was held. */
  heldAt: string;
  reasons: string[];
}

export interface Reminder {
  kind: ReminderKind;
  studyId: number;
  studyTitle: string;
  siteKey: string | null;
  siteName: string | null;
  organisationId: string | null;
  /** The calendar date (Europe/Oslo) the reminder is about: see the kinds above. */
  due: string;
  /** Whole days from today to `due` (negative: in the past). */
  days: number;
  /** "held": why the record was held. */
  reasons?: string[];
  /** "confirm-*": the date of the last confirmation. */
  confirmedOn?: string | null;
}

/** Everything that needs a person at `now`, most pressing first (kind order, then due date, then study). */
export function remindersFor(
  input: { sites: readonly ReminderSiteInput[]; holds: readonly ReminderHoldInput[] },
  now: Date,
): Reminder[] {
  const today = osloDate(now);
  const out: Reminder[] = [];
  const site = (s: ReminderSiteInput, kind: ReminderKind, due: string, extra: Partial<Reminder> = {}): Reminder => ({
    kind,
    studyId: s.studyId,
    studyTitle: s.studyTitle,
    siteKey: s.siteKey,
    siteName: s.siteName,
    organisationId: s.organisationId,
    due,
    days: calendarDaysBetween(today, due),
    ...extra,
  });
  for (const s of input.sites) {
    if (s.withdrawn) continue;
    const state = siteState(s, now);
    // `confirmation` is set only for a site with a record whose status could still change.
    if (state.confirmation != null && s.confirmedOn != null) {
      const overdueFrom = confirmationOverdueFrom(s.confirmedOn);
      if (today >= overdueFrom) out.push(site(s, "confirm-overdue", overdueFrom, { confirmedOn: s.confirmedOn }));
      else if (today >= addCalendarDays(overdueFrom, -CONFIRM_AHEAD_DAYS))
        out.push(site(s, "confirm-soon", overdueFrom, { confirmedOn: s.confirmedOn }));
    }
    const openish = state.status === "open" || state.status === "invitation";
    if (openish && state.basis === "declared" && s.expectedEnd != null && s.expectedEnd < today) {
      out.push(site(s, "ended-open", s.expectedEnd));
    }
    if (
      state.status === "open" &&
      s.inclusionEnd != null &&
      s.inclusionEnd >= today &&
      s.inclusionEnd <= addCalendarDays(today, END_AHEAD_DAYS)
    ) {
      out.push(site(s, "end-soon", s.inclusionEnd));
    }
  }
  for (const h of input.holds) {
    const due = osloDate(new Date(h.heldAt));
    out.push({
      kind: "held",
      studyId: h.studyId,
      studyTitle: h.studyTitle,
      siteKey: null,
      siteName: null,
      organisationId: null,
      due,
      days: calendarDaysBetween(today, due),
      reasons: h.reasons,
    });
  }
  const rank = (k: ReminderKind) => REMINDER_KINDS.indexOf(k);
  return out.sort(
    (a, b) =>
      rank(a.kind) - rank(b.kind) ||
      (a.due < b.due ? -1 : a.due > b.due ? 1 : 0) ||
      a.studyId - b.studyId ||
      (a.siteKey ?? "").localeCompare(b.siteKey ?? ""),
  );
}

/** The path in the portal where a person acts on a reminder (the study's page, at the site). */
export function reminderPath(r: Pick<Reminder, "kind" | "studyId" | "siteKey">): string {
  if (r.kind === "held") return `/redaksjon/studier/${r.studyId}`;
  return `/forsker/studier/${r.studyId}${r.siteKey ? `#sted-${encodeURIComponent(r.siteKey)}` : ""}`;
}
