/**
 * Inclusion (recruitment) status: the ONE rule every surface uses (pages, both search engines,
 * the API, FHIR, feeds, exports). Never stored: derived when asked, for an instant `now`.
 *
 * Each status rests on a basis (docs/decisions/0012-status-basis.md):
 * - "dates": inclusion dates given by the hospital or researcher (calendar dates, Europe/Oslo);
 * - "declared": a source's own status (a listing's "Åpen for rekruttering", a registry status),
 *   as of the date it was declared or last verified; after `declaredMaxAgeDays` a status that
 *   can still change (open, planned, by invitation, paused) reads "unknown / needs confirmation";
 * - "unknown": nothing to go on.
 * Registry *estimated* dates are kept as expectedStart/expectedEnd ("forventet") and never open
 * or close anything.
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
  addCalendarMonths,
  calendarDateParts,
  calendarDaysBetween,
  isCalendarDate,
  PORTAL_TIME_ZONE,
} from "./calendar-date";

export type SiteStatus = "planned" | "open" | "invitation" | "closed" | "paused" | "unknown";
export type StudyStatus = SiteStatus | "no_sites";
export const SITE_STATUSES: readonly SiteStatus[] = ["open", "invitation", "paused", "planned", "unknown", "closed"];
export type StatusBasis = "dates" | "declared" | "unknown";

/**
 * A source's own status, normalised. The source's wording is kept beside it (DeclaredStatus.text).
 * recruiting → open · not_yet_recruiting → planned · invitation_only → invitation ·
 * suspended → paused · active_not_recruiting, completed, terminated, withdrawn → closed ·
 * unknown → unknown.
 */
export const DECLARED_STATUSES = [
  "recruiting",
  "not_yet_recruiting",
  "invitation_only",
  "suspended",
  "active_not_recruiting",
  "completed",
  "terminated",
  "withdrawn",
  "unknown",
] as const;
export type DeclaredStatusValue = (typeof DECLARED_STATUSES)[number];

export interface DeclaredStatus {
  status: DeclaredStatusValue;
  /** The source's own words ("Åpen for rekruttering", "RECRUITING", "Ongoing, recruiting"). */
  text: string;
  /** The calendar date the source declared or last verified it (Europe/Oslo). */
  on: string;
  /** Who declared it: a hospital's listing, "ClinicalTrials.gov", "EU CTIS", … */
  by: string;
}

const DECLARED_TO_STATUS: Record<DeclaredStatusValue, SiteStatus> = {
  recruiting: "open",
  not_yet_recruiting: "planned",
  invitation_only: "invitation",
  suspended: "paused",
  active_not_recruiting: "closed",
  completed: "closed",
  terminated: "closed",
  withdrawn: "closed",
  unknown: "unknown",
};

/** Statuses that can still change on their own, so a declaration of them grows old. */
const PERISHABLE: ReadonlySet<SiteStatus> = new Set(["open", "planned", "invitation", "paused"]);
/** The declared values whose declaration grows old (for queries that must find those instants). */
export const PERISHABLE_DECLARED: readonly DeclaredStatusValue[] = DECLARED_STATUSES.filter((d) =>
  PERISHABLE.has(DECLARED_TO_STATUS[d]),
);

/**
 * Deployment policy. Days after which a declared status that could still change is no longer
 * trusted (ClinicalTrials.gov marks a record "unknown" after two years unverified). Set once at
 * boot from configuration (app/config.server.ts); the default keeps tests and scripts alike.
 */
export const DEFAULT_DECLARED_MAX_AGE_DAYS = 730;
/**
 * Site confirmations (ADR 0019): a site whose dates or declared status nobody has confirmed for
 * longer than the soft limit reads "ikke bekreftet siden …" and ranks below confirmed sites; past
 * the hard limit a status that could still change (open, planned, by invitation, paused) reads
 * "unknown / needs confirmation" and is not counted as open. Whole calendar months.
 */
export const DEFAULT_CONFIRMATION_SOFT_MONTHS = 6;
export const DEFAULT_CONFIRMATION_HARD_MONTHS = 12;
const policy = {
  declaredMaxAgeDays: DEFAULT_DECLARED_MAX_AGE_DAYS,
  confirmationSoftMonths: DEFAULT_CONFIRMATION_SOFT_MONTHS,
  confirmationHardMonths: DEFAULT_CONFIRMATION_HARD_MONTHS,
};
export function configureStatusPolicy(options: {
  declaredMaxAgeDays?: number;
  confirmationSoftMonths?: number;
  confirmationHardMonths?: number;
}): void {
  const days = options.declaredMaxAgeDays;
  if (days != null) {
    if (!Number.isInteger(days) || days < 1)
      throw new RangeError(`declaredMaxAgeDays must be a whole number ≥ 1 (got ${days})`);
  }
  const soft = options.confirmationSoftMonths ?? policy.confirmationSoftMonths;
  const hard = options.confirmationHardMonths ?? policy.confirmationHardMonths;
  for (const [name, months] of [
    ["confirmationSoftMonths", soft],
    ["confirmationHardMonths", hard],
  ] as const) {
    if (!Number.isInteger(months) || months < 1)
      throw new RangeError(`${name} must be a whole number of months ≥ 1 (got ${months})`);
  }
  if (soft > hard)
    throw new RangeError(`confirmationSoftMonths (${soft}) must not be more than confirmationHardMonths (${hard})`);
  if (days != null) policy.declaredMaxAgeDays = days;
  policy.confirmationSoftMonths = soft;
  policy.confirmationHardMonths = hard;
}
export function statusPolicy(): Readonly<typeof policy> {
  return policy;
}

export interface InclusionWindow {
  /** First day of inclusion, a calendar date "YYYY-MM-DD" in Europe/Oslo; null = not yet set. */
  inclusionStart: string | null;
  /** Last day of inclusion (inclusive), "YYYY-MM-DD" in Europe/Oslo; null = open-ended. */
  inclusionEnd: string | null;
  /** Set by an editor: inclusion is temporarily halted. */
  paused: boolean;
  /** The site has disappeared from its hospital's feed. siteStatus does not look at this. */
  withdrawn?: boolean;
  /** A registry's estimated dates ("forventet"): shown, never used to open or close. */
  expectedStart?: string | null;
  expectedEnd?: string | null;
  /** The source's own status, used only when no inclusion start date is given. */
  declared?: DeclaredStatus | null;
  /**
   * The calendar date (Europe/Oslo) the site's dates or declared status were last confirmed, by
   * an editor or by a delivery that carried the site (ADR 0019); null/absent: no record, and the
   * confirmation limits do not apply.
   */
  confirmedOn?: string | null;
}

/**
 * How current a site's confirmation is, for a status that could still change (open, planned, by
 * invitation, paused): "confirmed" within the soft limit, "overdue" past it (still counted, ranked
 * below), "lapsed" past the hard limit (status unknown). null: no record, or closed/unknown.
 */
export type ConfirmationState = "confirmed" | "overdue" | "lapsed";

/** Everything a surface needs to say a site's status truthfully. */
export interface SiteState {
  status: SiteStatus;
  basis: StatusBasis;
  /** The declaration the status rests on (basis "declared"), or that grew too old (stale). */
  declared: DeclaredStatus | null;
  /** The declared status is older than the policy allows: read as unknown / needs confirmation. */
  stale: boolean;
  /** No inclusion start date and no declaration: planned, start not set. */
  startMissing: boolean;
  /** See ConfirmationState; null when there is no confirmation record or the status cannot change. */
  confirmation: ConfirmationState | null;
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
 * A site's status at `now`, with its basis. Rules, in order (the full table is in ADR 0012):
 * 1. invalid dates or end before start → InvalidInclusionWindowError (bad input, not a status);
 * 2. today (Oslo) after the inclusion end date → closed (dates) — even when paused: a pause
 *    cannot keep a finished window alive;
 * 3. paused by an editor → paused (dates);
 * 4. an inclusion start date → planned before it, open from it (dates; no end = open-ended);
 * 5. a declared status → its mapping (declared); one that can still change (open, planned, by
 *    invitation, paused) and was declared more than declaredMaxAgeDays ago → unknown, stale;
 * 6. nothing → planned, start not set (dates): a site registered without dates yet.
 * Expected (estimated) dates never enter the rule.
 *
 * `withdrawn` is deliberately not looked at: a withdrawn site has no status of its own in the
 * portal, and callers drop withdrawn sites before asking (studyStatus does).
 */
export function siteState(site: InclusionWindow, now: Date): SiteState {
  return stateOn(site, osloDate(now));
}

export function siteStatus(site: InclusionWindow, now: Date): SiteStatus {
  return stateOn(site, osloDate(now)).status;
}

/** The first calendar date on which a declaration no longer counts (null: it never grows old). */
export function declaredStaleFrom(declared: DeclaredStatus): string | null {
  if (!PERISHABLE.has(DECLARED_TO_STATUS[declared.status])) return null;
  return addCalendarDays(declared.on, policy.declaredMaxAgeDays + 1);
}

const DATES_STATE = { declared: null, stale: false, startMissing: false, confirmation: null } as const;

/** The first calendar date on which a confirmation is overdue (past the soft limit). */
export function confirmationOverdueFrom(confirmedOn: string): string {
  return limitDate(confirmedOn, policy.confirmationSoftMonths);
}

/** The first calendar date on which a confirmation has lapsed (past the hard limit): the status no longer counts. */
export function confirmationLapsedFrom(confirmedOn: string): string {
  return limitDate(confirmedOn, policy.confirmationHardMonths);
}

/**
 * The day after `months` calendar months from a confirmation, remembered: every status of every
 * site on every page asks it for the same few hundred dates, and the calendar arithmetic was a
 * few per cent of a page's CPU (issue 20). Same answer as computing it; bounded.
 */
const limitDates = new Map<string, string>();
function limitDate(confirmedOn: string, months: number): string {
  const key = `${months}:${confirmedOn}`;
  let date = limitDates.get(key);
  if (date === undefined) {
    date = addCalendarDays(addCalendarMonths(confirmedOn, months), 1);
    if (limitDates.size >= 10_000) limitDates.clear();
    limitDates.set(key, date);
  }
  return date;
}

/** siteState for a given Oslo calendar date `today`. */
function stateOn(site: InclusionWindow, today: string): SiteState {
  const state = baseStateOn(site, today);
  const confirmedOn = site.confirmedOn ?? null;
  if (confirmedOn == null || !PERISHABLE.has(state.status)) return state;
  if (today >= confirmationLapsedFrom(confirmedOn))
    return { ...state, status: "unknown", basis: "unknown", confirmation: "lapsed" };
  if (today >= confirmationOverdueFrom(confirmedOn)) return { ...state, confirmation: "overdue" };
  return { ...state, confirmation: "confirmed" };
}

/**
 * The day a site's confirmation lapses, when that changes its status (null when it has no record,
 * or is closed or unknown by then anyway: a closed site needs no confirmation).
 */
function lapseThatChangesStatus(site: InclusionWindow): string | null {
  if (site.confirmedOn == null) return null;
  const day = confirmationLapsedFrom(site.confirmedOn);
  return PERISHABLE.has(baseStateOn(site, day).status) ? day : null;
}

/** The rule before confirmations (ADR 0012). */
function baseStateOn(site: InclusionWindow, today: string): SiteState {
  validateInclusionWindow(site);
  if (site.inclusionEnd != null && today > site.inclusionEnd)
    return { status: "closed", basis: "dates", ...DATES_STATE };
  if (site.paused) return { status: "paused", basis: "dates", ...DATES_STATE };
  if (site.inclusionStart != null) {
    return { status: today < site.inclusionStart ? "planned" : "open", basis: "dates", ...DATES_STATE };
  }
  const declared = site.declared ?? null;
  if (declared) {
    const staleFrom = declaredStaleFrom(declared);
    if (staleFrom != null && today >= staleFrom)
      return { status: "unknown", basis: "unknown", declared, stale: true, startMissing: false, confirmation: null };
    const status = DECLARED_TO_STATUS[declared.status];
    return {
      status,
      basis: status === "unknown" ? "unknown" : "declared",
      declared,
      stale: false,
      startMissing: false,
      confirmation: null,
    };
  }
  return { status: "planned", basis: "dates", declared: null, stale: false, startMissing: true, confirmation: null };
}

/**
 * A study's status is the "best" status among its sites, in the order open > invitation >
 * paused > planned > unknown > closed:
 * - open: a study is open when at least one site is open (patients can be included now);
 * - invitation: some site includes, but only those it invites (not open to referrals);
 * - paused: inclusion has been halted for now but is expected to go on when an editor lifts the
 *   pause, with no date to wait for: the nearest thing to open;
 * - planned: at least one site is going to open, but not yet;
 * - unknown: some site might still include, but nobody has said so recently enough;
 * - closed: only when every site is closed.
 */
const PRECEDENCE = SITE_STATUSES;

/** The study's status from its sites; withdrawn sites are ignored; none left → "no_sites". */
export function studyStatus(sites: readonly InclusionWindow[], now: Date): StudyStatus {
  const today = osloDate(now);
  const statuses = new Set<SiteStatus>();
  for (const site of sites) {
    if (site.withdrawn) continue;
    statuses.add(stateOn(site, today).status);
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
 * The instants at which a site's status changes, in time order: the start of its first day
 * (planned → open) if it has a start date, the day a declared status grows too old (→ unknown)
 * when it rests on one, and the start of the day after its last day (→ closed) if it has an end
 * date. Ignores `paused` and `withdrawn`.
 */
export function statusTransitions(site: InclusionWindow): Date[] {
  validateInclusionWindow(site);
  const out: Date[] = [];
  if (site.inclusionStart != null) out.push(startOfOsloDay(site.inclusionStart));
  const stale = site.inclusionStart == null && site.declared ? declaredStaleFrom(site.declared) : null;
  if (stale != null) out.push(startOfOsloDay(stale));
  const lapse = lapseThatChangesStatus(site);
  if (lapse != null) out.push(startOfOsloDay(lapse));
  if (site.inclusionEnd != null) out.push(startOfOsloDay(addCalendarDays(site.inclusionEnd, 1)));
  return out.sort((a, b) => a.getTime() - b.getTime());
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
    const stale =
      site.inclusionStart == null && !site.paused && site.declared ? declaredStaleFrom(site.declared) : null;
    if (stale != null) instants.push(startOfOsloDay(stale));
    const lapse = lapseThatChangesStatus(site);
    if (lapse != null) instants.push(startOfOsloDay(lapse));
    if (site.inclusionEnd != null) instants.push(startOfOsloDay(addCalendarDays(site.inclusionEnd, 1)));
    for (const instant of instants) {
      const t = instant.getTime();
      if (t > after && (next === null || t < next)) next = t;
    }
  }
  return next === null ? null : new Date(next);
}

// ---------------------------------------------------------------------------------------------
// The rule as instants, for the search engines
// ---------------------------------------------------------------------------------------------

/**
 * The site's status rule as the search engines store it: an instant inclusion opens, an instant it
 * has closed, and a flag for "neither" (both engines filter on these at query time, so nothing has
 * to run when a status changes). Built from siteState's rule so that at every instant
 *   engine "open"    = status open,
 *   engine "planned" = status planned,
 *   engine "closed"  = status closed or unknown (not including, as far as anyone has said),
 *   engine "paused"  = status paused or invitation (matches none of the three filters).
 * tests/unit/inclusion-status.test.ts checks this against siteState at every transition.
 */
export interface SearchWindow {
  opensAt: number | null;
  closesAt: number | null;
  paused: boolean;
}

/** An instant before any query: "open since always" or "closed since always". */
const LONG_AGO = 0;

export function searchWindow(site: InclusionWindow): SearchWindow {
  const window = baseSearchWindow(site);
  if (site.confirmedOn == null) return window;
  // Past the hard limit nothing that could still change counts (ADR 0019): the engines' "closed".
  const lapsedAt = startOfOsloDay(confirmationLapsedFrom(site.confirmedOn)).getTime();
  return { ...window, closesAt: window.closesAt == null ? lapsedAt : Math.min(window.closesAt, lapsedAt) };
}

function baseSearchWindow(site: InclusionWindow): SearchWindow {
  validateInclusionWindow(site);
  const endAt = site.inclusionEnd != null ? startOfOsloDay(addCalendarDays(site.inclusionEnd, 1)).getTime() : null;
  if (site.paused) return { opensAt: null, closesAt: endAt, paused: true };
  if (site.inclusionStart != null || !site.declared) {
    return {
      opensAt: site.inclusionStart != null ? startOfOsloDay(site.inclusionStart).getTime() : null,
      closesAt: endAt,
      paused: false,
    };
  }
  const staleDate = declaredStaleFrom(site.declared);
  const staleAt = staleDate != null ? startOfOsloDay(staleDate).getTime() : null;
  const until = endAt == null ? staleAt : staleAt == null ? endAt : Math.min(endAt, staleAt);
  switch (DECLARED_TO_STATUS[site.declared.status]) {
    case "open":
      return { opensAt: LONG_AGO, closesAt: until, paused: false };
    case "planned":
      return { opensAt: null, closesAt: until, paused: false };
    case "invitation":
    case "paused":
      return { opensAt: null, closesAt: until, paused: true };
    case "closed":
    case "unknown":
      return { opensAt: null, closesAt: LONG_AGO, paused: false };
  }
  throw new Error("unreachable");
}
