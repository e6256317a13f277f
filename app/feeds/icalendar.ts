/**
 * iCalendar (RFC 5545) from plain data (pure): CRLF line endings, content lines folded at 75
 * octets without splitting a UTF-8 character, TEXT values escaped (\\ \; \, \n), all-day events as
 * VALUE=DATE with DTEND the day after (exclusive).
 */
import { addCalendarDays } from "#app/domain/calendar-date";

export interface AllDayEvent {
  uid: string;
  /** The day, "YYYY-MM-DD". */
  date: string;
  /** When the information was last revised (DTSTAMP / LAST-MODIFIED; no METHOD is sent, RFC 5545 §3.8.7.2). */
  stamp: string | Date;
  summary: string;
  description?: string | null;
  location?: string | null;
  url?: string | null;
  categories?: string[];
}

export interface Calendar {
  prodId: string;
  name: string;
  description?: string | null;
  events: AllDayEvent[];
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;

export function icsText(value: string): string {
  return value
    .replace(CONTROL, " ")
    .replace(/\\/g, "\\\\")
    .replace(/;/g, "\\;")
    .replace(/,/g, "\\,")
    .replace(/\r\n|\r|\n/g, "\\n");
}

const encoder = new TextEncoder();

/** Folds one content line: at most 75 octets per physical line, continuation lines start with a space. */
export function foldLine(line: string): string {
  if (encoder.encode(line).length <= 75) return line;
  const parts: string[] = [];
  let current = "";
  let bytes = 0;
  let limit = 75;
  for (const ch of line) {
    const size = encoder.encode(ch).length;
    if (bytes + size > limit) {
      parts.push(current);
      current = "";
      bytes = 0;
      limit = 74; // the leading space counts
    }
    current += ch;
    bytes += size;
  }
  parts.push(current);
  return parts.join("\r\n ");
}

const basicDate = (date: string) => date.replace(/-/g, "");
const basicUtc = (value: string | Date) => {
  const d = value instanceof Date ? value : new Date(value);
  return d
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}Z$/, "Z");
};

export function renderCalendar(cal: Calendar): string {
  const lines: string[] = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    `PRODID:${cal.prodId}`,
    "CALSCALE:GREGORIAN",
    `X-WR-CALNAME:${icsText(cal.name)}`,
    "X-WR-TIMEZONE:Europe/Oslo",
  ];
  if (cal.description) lines.push(`X-WR-CALDESC:${icsText(cal.description)}`);
  for (const e of cal.events) {
    lines.push(
      "BEGIN:VEVENT",
      `UID:${icsText(e.uid)}`,
      `DTSTAMP:${basicUtc(e.stamp)}`,
      `LAST-MODIFIED:${basicUtc(e.stamp)}`,
      `DTSTART;VALUE=DATE:${basicDate(e.date)}`,
      `DTEND;VALUE=DATE:${basicDate(addCalendarDays(e.date, 1))}`,
      `SUMMARY:${icsText(e.summary)}`,
    );
    if (e.description) lines.push(`DESCRIPTION:${icsText(e.description)}`);
    if (e.location) lines.push(`LOCATION:${icsText(e.location)}`);
    if (e.url) lines.push(`URL:${e.url.replace(CONTROL, "")}`);
    if (e.categories?.length) lines.push(`CATEGORIES:${e.categories.map(icsText).join(",")}`);
    lines.push("TRANSP:TRANSPARENT", "END:VEVENT");
  }
  lines.push("END:VCALENDAR");
  return lines.map(foldLine).join("\r\n") + "\r\n";
}
