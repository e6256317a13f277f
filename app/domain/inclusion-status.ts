/**
 * Inclusion (recruitment) status, derived — never stored — from calendar dates in Europe/Oslo.
 *
 * A site is planned before its start date, open from the start date through the end date
 * (inclusive), closed after it, and paused only when an editor says so. A study is open when at
 * least one site is open. `now` is always a parameter: no function here reads the clock.
 *
 * Withdrawn sites (gone from their organisation's feed) are not handled by siteStatus: callers
 * drop them; studyStatus and nextStatusChange ignore them.
 */
import { TZDate } from "@date-fns/tz";
import { addCalendarDays, calendarDateParts, calendarDaysBetween, isCalendarDate, PORTAL_TIME_ZONE } from "./calendar-date";

export type SiteStatus = "planned" | "open" | "closed" | "paused";
export type StudyStatus = SiteStatus | "no_sites";

export interface InclusionWindow {
  inclusionStart: string | null;
  inclusionEnd: string | null;
  paused: boolean;
  withdrawn?: boolean;
}

export class InvalidInclusionWindowError extends Error {
  constructor(
    public readonly field: "inclusionStart" | "inclusionEnd",
    message: string,
  ) {
    super(message);
    this.name = "InvalidInclusionWindowError";
  }
}

/** The calendar date in Europe/Oslo at an instant. */
export function osloDate(instant: Date): string {
  const t = new TZDate(instant.getTime(), PORTAL_TIME_ZONE);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${t.getFullYear()}-${pad(t.getMonth() + 1)}-${pad(t.getDate())}`;
}

/** The instant a calendar date begins in Europe/Oslo (midnight local time, DST-aware). */
export function startOfOsloDay(date: string): Date {
  const { year, month, day } = calendarDateParts(date);
  return new Date(new TZDate(year, month - 1, day, 0, 0, 0, 0, PORTAL_TIME_ZONE).getTime());
}

function validate(site: InclusionWindow): void {
  if (site.inclusionStart != null && !isCalendarDate(site.inclusionStart)) {
    throw new InvalidInclusionWindowError(
      "inclusionStart",
      `Ugyldig inklusjonsstart "${site.inclusionStart}": må være en gyldig dato på formen ÅÅÅÅ-MM-DD`,
    );
  }
  if (site.inclusionEnd != null && !isCalendarDate(site.inclusionEnd)) {
    throw new InvalidInclusionWindowError(
      "inclusionEnd",
      `Ugyldig inklusjonsslutt "${site.inclusionEnd}": må være en gyldig dato på formen ÅÅÅÅ-MM-DD`,
    );
  }
  if (site.inclusionStart != null && site.inclusionEnd != null && site.inclusionEnd < site.inclusionStart) {
    throw new InvalidInclusionWindowError(
      "inclusionEnd",
      `Inklusjonsslutt ${site.inclusionEnd} er før inklusjonsstart ${site.inclusionStart}`,
    );
  }
}

export function siteStatus(site: InclusionWindow, now: Date): SiteStatus {
  validate(site);
  const today = osloDate(now);
  // Closed wins over paused: a pause cannot keep a finished window alive.
  if (site.inclusionEnd != null && today > site.inclusionEnd) return "closed";
  if (site.paused) return "paused";
  // No start date yet means the site has not been scheduled: planned.
  if (site.inclusionStart == null || today < site.inclusionStart) return "planned";
  return "open";
}

/**
 * Precedence open > paused > planned > closed: a study is open when any site is open; a paused
 * site means inclusion is temporarily halted (it was open and is expected to resume), the nearest
 * thing to open; planned sites promise a future opening; closed only when every site is closed.
 */
const PRECEDENCE: SiteStatus[] = ["open", "paused", "planned", "closed"];

export function studyStatus(sites: InclusionWindow[], now: Date): StudyStatus {
  const active = sites.filter((s) => !s.withdrawn);
  if (active.length === 0) return "no_sites";
  const statuses = new Set(active.map((s) => siteStatus(s, now)));
  return PRECEDENCE.find((s) => statuses.has(s))!;
}

/** Whole days left of an open window: 0 on the last day; null when not open or open-ended. */
export function daysUntilClose(site: InclusionWindow, now: Date): number | null {
  if (siteStatus(site, now) !== "open" || site.inclusionEnd == null) return null;
  return calendarDaysBetween(osloDate(now), site.inclusionEnd);
}

/** Whole days until a planned window opens; null when not planned or no start date. */
export function daysUntilOpen(site: InclusionWindow, now: Date): number | null {
  if (siteStatus(site, now) !== "planned" || site.inclusionStart == null) return null;
  return calendarDaysBetween(osloDate(now), site.inclusionStart);
}

/** The instants at which the site's date-derived status changes: opening and closing. */
export function statusTransitions(site: InclusionWindow): Date[] {
  validate(site);
  const out: Date[] = [];
  if (site.inclusionStart != null) out.push(startOfOsloDay(site.inclusionStart));
  if (site.inclusionEnd != null) out.push(startOfOsloDay(addCalendarDays(site.inclusionEnd, 1)));
  return out;
}

/**
 * The earliest instant strictly after `now` at which any site's status changes, or null.
 * A paused site's opening changes nothing (it stays paused), but its closing does.
 */
export function nextStatusChange(sites: InclusionWindow[], now: Date): Date | null {
  let next: number | null = null;
  for (const site of sites) {
    if (site.withdrawn) continue;
    validate(site);
    const candidates: Date[] = [];
    if (site.inclusionStart != null && !site.paused) candidates.push(startOfOsloDay(site.inclusionStart));
    if (site.inclusionEnd != null) candidates.push(startOfOsloDay(addCalendarDays(site.inclusionEnd, 1)));
    for (const c of candidates) {
      const t = c.getTime();
      if (t > now.getTime() && (next === null || t < next)) next = t;
    }
  }
  return next === null ? null : new Date(next);
}
