/**
 * Inclusion (recruitment) status, derived — never stored — from calendar dates in Europe/Oslo.
 *
 * A site is planned before its start date, open from the start date through the end date
 * (inclusive), closed after it, and paused only when an editor says so. A study is open when at
 * least one site is open. Every function takes `now` as a parameter and none reads the clock, so
 * every view, the search index and the API derive the same status for the same instant.
 *
 * Withdrawn sites (gone from their hospital's feed; kept, never deleted) are not handled by
 * siteStatus: callers drop them. studyStatus and nextStatusChange ignore them.
 */
import { TZDate, tzOffset } from "@date-fns/tz";
import {
  addCalendarDays,
  calendarDateParts,
  calendarDaysBetween,
  isCalendarDate,
  PORTAL_TIME_ZONE,
} from "./calendar-date";

export type SiteStatus = "planned" | "open" | "closed" | "paused";
export type StudyStatus = SiteStatus | "no_sites";

export interface InclusionWindow {
  /** First day of inclusion, a calendar date "YYYY-MM-DD" in Europe/Oslo; null = not yet set. */
  inclusionStart: string | null;
  /** Last day of inclusion (inclusive), "YYYY-MM-DD" in Europe/Oslo; null = open-ended. */
  inclusionEnd: string | null;
  /** Set by an editor: inclusion is temporarily halted. */
  paused: boolean;
  /** The site has disappeared from its hospital's feed. siteStatus does not look at this. */
  withdrawn?: boolean;
}

export type InclusionDateField = "inclusionStart" | "inclusionEnd";

const FIELD_LABEL: Record<InclusionDateField, string> = {
  inclusionStart: "Inklusjonsstart",
  inclusionEnd: "Inklusjonsslutt",
};

/** A site's inclusion window is bad input: says which field and why (in Norwegian). */
export class InvalidInclusionWindowError extends Error {
  constructor(
    public readonly field: InclusionDateField,
    /** The offending value as it was given. */
    public readonly value: string,
    message: string,
  ) {
    super(message);
    this.name = "InvalidInclusionWindowError";
  }
}

// ---------------------------------------------------------------------------------------------
// Instants ↔ calendar dates in Europe/Oslo
// ---------------------------------------------------------------------------------------------

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

function assertValidInstant(instant: Date): void {
  if (!(instant instanceof Date) || Number.isNaN(instant.getTime())) {
    throw new RangeError("Ugyldig tidspunkt (Invalid Date)");
  }
}

const pad2 = (n: number) => String(n).padStart(2, "0");

/** The calendar date ("YYYY-MM-DD") in `timeZone` at an instant. */
export function calendarDateInTimeZone(instant: Date, timeZone: string): string {
  assertValidInstant(instant);
  // Built from a timestamp, TZDate reads wall-clock fields through Intl only: the result does
  // not depend on the time zone of the machine running the code.
  const local = new TZDate(instant.getTime(), timeZone);
  const year = String(local.getFullYear()).padStart(4, "0");
  return `${year}-${pad2(local.getMonth() + 1)}-${pad2(local.getDate())}`;
}

/** The calendar date in Europe/Oslo at an instant. */
export function osloDate(instant: Date): string {
  assertValidInstant(instant);
  // Callers derive many statuses for one `now` (a page of studies, an export): remember the last.
  const ms = instant.getTime();
  if (lastOsloDate?.ms === ms) return lastOsloDate.date;
  const date = calendarDateInTimeZone(instant, PORTAL_TIME_ZONE);
  lastOsloDate = { ms, date };
  return date;
}
let lastOsloDate: { ms: number; date: string } | null = null;

/** UTC offset of `timeZone` at an epoch millisecond, in milliseconds. */
function offsetMs(timeZone: string, epochMs: number): number {
  return Math.round(tzOffset(timeZone, new Date(epochMs)) * MINUTE_MS);
}

/**
 * The first instant of a calendar date in `timeZone`: local midnight, computed from the zone's
 * real offsets (no fixed +01:00/+02:00 assumption, and independent of the machine's time zone).
 *
 * - Normally midnight exists exactly once.
 * - If clocks went back over midnight, so that 00:00 happened twice, the day began at the
 *   first 00:00.
 * - If clocks jumped forward over midnight, so that 00:00 never happened (e.g. America/Santiago,
 *   Asia/Beirut), the day began at the jump.
 *
 * Norway switches at 02:00 → 03:00 and 03:00 → 02:00, so in Europe/Oslo today midnight always
 * exists once; the general cases are here so the result is right by construction, not by luck.
 */
export function startOfDayInTimeZone(date: string, timeZone: string): Date {
  const key = `${timeZone} ${date}`;
  let start = dayStartCache.get(key);
  if (start === undefined) {
    start = computeStartOfDay(date, timeZone);
    if (dayStartCache.size >= DAY_START_CACHE_LIMIT) dayStartCache.clear();
    dayStartCache.set(key, start);
  }
  return new Date(start);
}

// Pure function of (zone, date) with a finite domain: remembered, so that deriving statuses for
// thousands of sites does not ask Intl for the same midnight again and again.
const dayStartCache = new Map<string, number>();
const DAY_START_CACHE_LIMIT = 50_000;

function computeStartOfDay(date: string, timeZone: string): number {
  const { year, month, day } = calendarDateParts(date); // throws RangeError on a non-date
  // Midnight's wall-clock reading expressed as if it were UTC; the real instant is this minus the
  // offset in force at that instant.
  const wall = Date.UTC(year, month - 1, day);

  // Every offset in force from a day before to a day after covers every possible answer
  // (offsets are within ±14 h) unless two transitions fall within two days, which no zone does.
  const offsetBefore = offsetMs(timeZone, wall - DAY_MS);
  const offsetAfter = offsetMs(timeZone, wall + DAY_MS);
  const offsets = new Set([offsetBefore, offsetMs(timeZone, wall), offsetAfter]);

  let earliest: number | null = null;
  for (const offset of offsets) {
    const candidate = wall - offset;
    // A candidate is real when the zone actually uses that offset at that instant.
    if (offsetMs(timeZone, candidate) === offset && (earliest === null || candidate < earliest)) {
      earliest = candidate;
    }
  }
  if (earliest !== null) return earliest;

  // Midnight was skipped: the day began at the transition, the first instant whose offset is no
  // longer `offsetBefore`. It lies between wall - offsetAfter (still before the jump) and
  // wall - offsetBefore (already after it). Binary search to the millisecond.
  let lo = wall - offsetAfter; // offset here is still offsetBefore
  let hi = wall - offsetBefore; // offset here is already the new one
  if (!(lo < hi)) throw new RangeError(`Cannot find the start of ${date} in ${timeZone}`);
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (offsetMs(timeZone, mid) === offsetBefore) lo = mid;
    else hi = mid;
  }
  return hi;
}

/** The instant a calendar date begins in Europe/Oslo (local midnight, DST-aware). */
export function startOfOsloDay(date: string): Date {
  return startOfDayInTimeZone(date, PORTAL_TIME_ZONE);
}

// ---------------------------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------------------------

const DATE_SHAPE = /^(\d{4})-(\d{2})-(\d{2})$/;

function checkDate(field: InclusionDateField, value: string | null | undefined): void {
  if (value == null) return; // missing is allowed: no start = planned, no end = open-ended
  if (isCalendarDate(value)) return;
  const label = FIELD_LABEL[field];
  const shown = `«${String(value)}»`;
  let why: string;
  if (typeof value !== "string") {
    why = `${label} ${shown} er ikke en dato. Bruk formen ÅÅÅÅ-MM-DD, for eksempel 2026-03-01.`;
  } else if (value.trim() === "") {
    why = `${label} er tom. Oppgi en dato på formen ÅÅÅÅ-MM-DD, eller ingen dato.`;
  } else {
    const shape = DATE_SHAPE.exec(value);
    if (!shape) {
      why = `${label} ${shown} har feil format. Bruk formen ÅÅÅÅ-MM-DD med to sifre for måned og dag, for eksempel 2026-03-01.`;
    } else if (Number(shape[1]) < 1900 || Number(shape[1]) > 2200) {
      why = `${label} ${shown} har et årstall utenfor 1900–2200.`;
    } else {
      why = `${label} ${shown} finnes ikke i kalenderen.`;
    }
  }
  throw new InvalidInclusionWindowError(field, String(value), why);
}

/** Throws InvalidInclusionWindowError for a non-date or an end date before the start date. */
export function validateInclusionWindow(site: InclusionWindow): void {
  checkDate("inclusionStart", site.inclusionStart);
  checkDate("inclusionEnd", site.inclusionEnd);
  // Validated YYYY-MM-DD strings compare like the dates they name.
  if (site.inclusionStart != null && site.inclusionEnd != null && site.inclusionEnd < site.inclusionStart) {
    throw new InvalidInclusionWindowError(
      "inclusionEnd",
      site.inclusionEnd,
      `Inklusjonsslutt ${site.inclusionEnd} er før inklusjonsstart ${site.inclusionStart}. ` +
        "Sluttdatoen må være samme dag som startdatoen eller senere.",
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Status
// ---------------------------------------------------------------------------------------------

/**
 * A site's status at `now`. Rules, in order:
 * 1. invalid dates or end before start → InvalidInclusionWindowError (bad input, not a status);
 * 2. today (Oslo) after the end date → "closed" — even when paused: a pause cannot keep a
 *    finished window alive;
 * 3. paused → "paused";
 * 4. no start date, or today before it → "planned";
 * 5. otherwise "open" (start through end inclusive; no end date = open-ended).
 *
 * `withdrawn` is deliberately not looked at: a withdrawn site has no status of its own in the
 * portal, and callers drop withdrawn sites before asking (studyStatus does).
 */
export function siteStatus(site: InclusionWindow, now: Date): SiteStatus {
  return statusOn(site, osloDate(now));
}

/** siteStatus for a given Oslo calendar date `today`. */
function statusOn(site: InclusionWindow, today: string): SiteStatus {
  validateInclusionWindow(site);
  if (site.inclusionEnd != null && today > site.inclusionEnd) return "closed";
  if (site.paused) return "paused";
  if (site.inclusionStart == null || today < site.inclusionStart) return "planned";
  return "open";
}

/**
 * A study's status is the "best" status among its sites, in the order open > paused > planned >
 * closed:
 * - open: a study is open when at least one site is open (patients can be included now);
 * - paused: inclusion has been halted for now but is expected to go on when an editor lifts the
 *   pause, with no date to wait for: the nearest thing to open;
 * - planned: at least one site is going to open, but not yet;
 * - closed: only when every site is closed.
 */
const PRECEDENCE: readonly SiteStatus[] = ["open", "paused", "planned", "closed"];

/** The study's status from its sites; withdrawn sites are ignored; none left → "no_sites". */
export function studyStatus(sites: readonly InclusionWindow[], now: Date): StudyStatus {
  const today = osloDate(now);
  const statuses = new Set<SiteStatus>();
  for (const site of sites) {
    if (site.withdrawn) continue;
    statuses.add(statusOn(site, today));
  }
  if (statuses.size === 0) return "no_sites";
  return PRECEDENCE.find((status) => statuses.has(status)) ?? "closed";
}

/**
 * Whole calendar days from today (Oslo) to the end date of an open window: 0 on the last day.
 * null when the site is not open (including paused) or has no end date.
 */
export function daysUntilClose(site: InclusionWindow, now: Date): number | null {
  if (siteStatus(site, now) !== "open" || site.inclusionEnd == null) return null;
  return calendarDaysBetween(osloDate(now), site.inclusionEnd);
}

/**
 * Whole calendar days from today (Oslo) to the start date of a planned site (≥ 1: on the start
 * date the site is open). null when the site is not planned (a paused site will not open on its
 * start date) or has no start date.
 */
export function daysUntilOpen(site: InclusionWindow, now: Date): number | null {
  if (siteStatus(site, now) !== "planned" || site.inclusionStart == null) return null;
  return calendarDaysBetween(osloDate(now), site.inclusionStart);
}

// ---------------------------------------------------------------------------------------------
// When does a status change?
// ---------------------------------------------------------------------------------------------

/**
 * The instants at which a site's date-derived status changes, in time order: the start of its
 * first day (planned → open) if it has a start date, and the start of the day after its last day
 * (→ closed) if it has an end date. Ignores `paused` and `withdrawn`.
 */
export function statusTransitions(site: InclusionWindow): Date[] {
  validateInclusionWindow(site);
  const out: Date[] = [];
  if (site.inclusionStart != null) out.push(startOfOsloDay(site.inclusionStart));
  if (site.inclusionEnd != null) out.push(startOfOsloDay(addCalendarDays(site.inclusionEnd, 1)));
  return out;
}

/**
 * The earliest instant strictly after `now` at which the status of any non-withdrawn site
 * changes, or null when no status will ever change again (e.g. for a cache or a live page to
 * know when to re-derive). A paused site's start date changes nothing (it stays paused), but its
 * end date still closes it. Note that the *study's* status may stay the same at that instant.
 */
export function nextStatusChange(sites: readonly InclusionWindow[], now: Date): Date | null {
  assertValidInstant(now);
  const after = now.getTime();
  let next: number | null = null;
  for (const site of sites) {
    if (site.withdrawn) continue;
    validateInclusionWindow(site);
    const instants: Date[] = [];
    if (site.inclusionStart != null && !site.paused) instants.push(startOfOsloDay(site.inclusionStart));
    if (site.inclusionEnd != null) instants.push(startOfOsloDay(addCalendarDays(site.inclusionEnd, 1)));
    for (const instant of instants) {
      const t = instant.getTime();
      if (t > after && (next === null || t < next)) next = t;
    }
  }
  return next === null ? null : new Date(next);
}
