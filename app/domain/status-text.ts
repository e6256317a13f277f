/**
 * Inclusion status in words, for people: never colour alone ("Åpen for inklusjon til 14. mars 2027").
 * Dates are formatted with date-fns in Norwegian bokmål.
 */
import { TZDate } from "@date-fns/tz";
import { format } from "date-fns";
import { nb } from "date-fns/locale";
import { calendarDateParts, PORTAL_TIME_ZONE } from "./calendar-date";
import {
  daysUntilClose,
  siteStatus,
  studyStatus,
  type InclusionWindow,
  type SiteStatus,
  type StudyStatus,
} from "./inclusion-status";

export const STATUS_LABEL: Record<StudyStatus, string> = {
  open: "Åpen for inklusjon",
  planned: "Planlagt",
  paused: "Midlertidig stanset",
  closed: "Inklusjon avsluttet",
  no_sites: "Ingen studiesteder",
};

/** "14. mars 2027" for the calendar date 2027-03-14. */
export function formatCalendarDate(date: string): string {
  const { year, month, day } = calendarDateParts(date);
  return format(new Date(year, month - 1, day), "d. MMMM yyyy", { locale: nb });
}

/** "22. november 2026 kl. 14:05" for an instant, in Europe/Oslo. */
export function formatInstant(iso: string | Date): string {
  return format(new TZDate(new Date(iso).getTime(), PORTAL_TIME_ZONE), "d. MMMM yyyy 'kl.' HH:mm", { locale: nb });
}

export function siteStatusText(site: InclusionWindow, now: Date): string {
  const status: SiteStatus = siteStatus(site, now);
  switch (status) {
    case "open": {
      if (!site.inclusionEnd) return "Åpen for inklusjon (ingen sluttdato satt)";
      const days = daysUntilClose(site, now);
      const until = `Åpen for inklusjon til ${formatCalendarDate(site.inclusionEnd)}`;
      if (days === 0) return `${until} (siste dag i dag)`;
      if (days != null && days <= 30) return `${until} (${days} ${days === 1 ? "dag" : "dager"} igjen)`;
      return until;
    }
    case "planned":
      return site.inclusionStart ? `Åpner ${formatCalendarDate(site.inclusionStart)}` : "Planlagt (startdato er ikke satt)";
    case "paused":
      return "Inklusjonen er midlertidig stanset";
    case "closed":
      return site.inclusionEnd ? `Inklusjon avsluttet ${formatCalendarDate(site.inclusionEnd)}` : "Inklusjon avsluttet";
  }
}

/** The study as a whole: open until the latest end among open sites; planned from the earliest start. */
export function studyStatusText(sites: InclusionWindow[], now: Date): { status: StudyStatus; text: string } {
  const active = sites.filter((s) => !s.withdrawn);
  const status = studyStatus(active, now);
  if (status === "open") {
    const open = active.filter((s) => siteStatus(s, now) === "open");
    if (open.some((s) => !s.inclusionEnd)) return { status, text: "Åpen for inklusjon" };
    const last = open.map((s) => s.inclusionEnd!).sort().at(-1)!;
    return { status, text: `Åpen for inklusjon til ${formatCalendarDate(last)}` };
  }
  if (status === "planned") {
    const starts = active
      .filter((s) => siteStatus(s, now) === "planned" && s.inclusionStart)
      .map((s) => s.inclusionStart!)
      .sort();
    return { status, text: starts[0] ? `Åpner ${formatCalendarDate(starts[0])}` : "Planlagt (startdato er ikke satt)" };
  }
  if (status === "paused") return { status, text: "Inklusjonen er midlertidig stanset" };
  if (status === "closed") return { status, text: "Inklusjon avsluttet" };
  return { status, text: "Ingen studiesteder er registrert" };
}
