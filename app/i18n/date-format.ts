/**
 * Dates in words with the platform's own `Intl.DateTimeFormat`, shared by the server and the
 * browser (so a page hydrates with the same text it was rendered with). No date library reaches
 * the browser for this (issue 24: date-fns with its locales was 23 KB gzip on every page);
 * date-fns stays on the server for date arithmetic.
 *
 * Patterns are the messages' "format.date" / "format.instant" (`d. MMMM yyyy 'kl.' HH:mm`): the
 * few date-fns tokens they use — d, dd, M, MM, MMMM, yy, yyyy, H, HH, m, mm and 'quoted text' —
 * are filled from `formatToParts`. Calendar dates have no time zone and are formatted as they
 * are; instants are shown in Europe/Oslo. tests/unit/date-format.test.ts checks the output
 * against date-fns for every day of several years in every language.
 */

const PORTAL_TIME_ZONE = "Europe/Oslo";
const CALENDAR_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TOKEN = /'([^']*)'|d{1,2}|M{1,4}|y{2,4}|H{1,2}|m{1,2}/g;

interface Parts {
  year: number;
  month: number;
  day: number;
  monthName: string;
  hour: number;
  minute: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(locale: string, timeZone: string, withTime: boolean): Intl.DateTimeFormat {
  const key = `${locale}|${timeZone}|${withTime}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, {
      timeZone,
      year: "numeric",
      month: "long",
      day: "numeric",
      ...(withTime ? { hour: "2-digit", minute: "2-digit", hourCycle: "h23" } : {}),
    });
    formatters.set(key, f);
  }
  return f;
}

const numeric = new Map<string, Intl.DateTimeFormat>();
/** Year, month, day, hour and minute of an instant in a time zone, as numbers. */
function numericParts(timeZone: string, at: Date): Omit<Parts, "monthName"> {
  let f = numeric.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-GB", {
      timeZone,
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      hourCycle: "h23",
    });
    numeric.set(timeZone, f);
  }
  const parts = f.formatToParts(at);
  const value = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value);
  return {
    year: value("year"),
    month: value("month"),
    day: value("day"),
    hour: value("hour") % 24,
    minute: value("minute"),
  };
}

/** The month's name as it stands in a full date ("mars", "March"), in a BCP 47 locale. */
function monthName(locale: string, timeZone: string, at: Date): string {
  return (
    formatter(locale, timeZone, false)
      .formatToParts(at)
      .find((p) => p.type === "month")?.value ?? ""
  );
}

const pad = (n: number, width: number) => String(n).padStart(width, "0");

function fillPattern(pattern: string, parts: Parts): string {
  return pattern.replace(TOKEN, (token, quoted: string | undefined) => {
    if (quoted !== undefined) return quoted === "" ? "'" : quoted;
    switch (token) {
      case "d":
        return String(parts.day);
      case "dd":
        return pad(parts.day, 2);
      case "M":
        return String(parts.month);
      case "MM":
        return pad(parts.month, 2);
      case "MMM":
      case "MMMM":
        return parts.monthName;
      case "yy":
        return pad(parts.year % 100, 2);
      case "yyy":
      case "yyyy":
        return pad(parts.year, 4);
      case "H":
        return String(parts.hour);
      case "HH":
        return pad(parts.hour, 2);
      case "m":
        return String(parts.minute);
      case "mm":
        return pad(parts.minute, 2);
      default:
        return token;
    }
  });
}

/** "2027-03-14" with "d. MMMM yyyy" in "nb" → "14. mars 2027". Throws on anything else. */
export function formatCalendarDatePattern(calendarDate: string, pattern: string, locale: string): string {
  const match = CALENDAR_DATE.exec(calendarDate);
  if (!match) throw new RangeError(`"${calendarDate}" is not a calendar date (YYYY-MM-DD)`);
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  // Noon UTC of that day, read in UTC: the same calendar day whatever the machine's zone.
  const at = new Date(Date.UTC(year, month - 1, day, 12));
  if (at.getUTCMonth() !== month - 1 || at.getUTCDate() !== day)
    throw new RangeError(`"${calendarDate}" is not a calendar date (YYYY-MM-DD)`);
  at.setUTCFullYear(year);
  return fillPattern(pattern, { year, month, day, monthName: monthName(locale, "UTC", at), hour: 0, minute: 0 });
}

/** An instant in Europe/Oslo: "d. MMMM yyyy 'kl.' HH:mm" in "nb" → "22. november 2026 kl. 14:05". */
export function formatInstantPattern(instant: string | Date, pattern: string, locale: string): string {
  const at = new Date(instant);
  if (Number.isNaN(at.getTime())) throw new RangeError(`"${String(instant)}" is not a point in time`);
  return fillPattern(pattern, {
    ...numericParts(PORTAL_TIME_ZONE, at),
    monthName: monthName(locale, PORTAL_TIME_ZONE, at),
  });
}
