/**
 * Inclusion status in Europe/Oslo: table-driven, at the edges.
 *
 * Instants are written as explicit UTC ISO strings so the Oslo offset in force is visible:
 * Oslo midnight is 23:00Z the day before in winter (UTC+1) and 22:00Z in summer (UTC+2).
 * 2026 switches on Sunday 29 March (02:00 → 03:00) and Sunday 25 October (03:00 → 02:00);
 * 2028 on 26 March and 29 October.
 */
import { afterEach, describe, expect, it } from "vitest";
import { addCalendarDays } from "#app/domain/calendar-date";
import {
  calendarDateInTimeZone,
  daysUntilClose,
  daysUntilOpen,
  InvalidInclusionWindowError,
  nextStatusChange,
  osloDate,
  siteStatus,
  startOfDayInTimeZone,
  startOfOsloDay,
  statusTransitions,
  studyStatus,
  validateInclusionWindow,
  type InclusionWindow,
  type SiteStatus,
  type StudyStatus,
} from "#app/domain/inclusion-status";

const at = (iso: string) => new Date(iso);
const iso = (d: Date | null) => (d === null ? null : d.toISOString());
const w = (
  inclusionStart: string | null,
  inclusionEnd: string | null,
  paused = false,
  withdrawn = false,
): InclusionWindow => ({ inclusionStart, inclusionEnd, paused, withdrawn });

const HOUR = 3_600_000;

/** Independent oracle: EU summer time runs from 01:00Z on the last Sunday of March to 01:00Z on
 * the last Sunday of October, so Oslo midnight is +02:00 strictly after the March Sunday through
 * the October Sunday, and +01:00 otherwise. */
function lastSunday(year: number, monthIndex: number): string {
  const last = new Date(Date.UTC(year, monthIndex + 1, 0));
  last.setUTCDate(last.getUTCDate() - last.getUTCDay());
  return last.toISOString().slice(0, 10);
}
function expectedOsloMidnight(date: string): string {
  const year = Number(date.slice(0, 4));
  const summer = date > lastSunday(year, 2) && date <= lastSunday(year, 9);
  return new Date(Date.parse(`${date}T00:00:00.000Z`) - (summer ? 2 : 1) * HOUR).toISOString();
}

function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error("expected an error, none was thrown");
}

// ---------------------------------------------------------------------------------------------

describe("osloDate: the calendar date in Oslo at an instant", () => {
  it.each([
    // [instant (UTC), Oslo date, why]
    ["2026-01-15T12:00:00.000Z", "2026-01-15", "midday"],
    ["2026-01-15T22:59:59.999Z", "2026-01-15", "23:59:59.999 +01:00"],
    ["2026-01-15T23:00:00.000Z", "2026-01-16", "00:00 +01:00: next day in Oslo, previous day in UTC"],
    ["2026-06-30T21:59:59.999Z", "2026-06-30", "23:59:59.999 +02:00"],
    ["2026-06-30T22:30:00.000Z", "2026-07-01", "00:30 +02:00: already 1 July in Oslo, still 30 June in UTC"],
    ["2026-07-01T21:59:59.999Z", "2026-07-01", "same day in both: 23:59:59.999 +02:00"],
    ["2026-07-01T00:00:00.000Z", "2026-07-01", "UTC midnight is 02:00 in Oslo"],
    ["2026-12-31T22:59:59.999Z", "2026-12-31", "last ms of the year in Oslo"],
    ["2026-12-31T23:00:00.000Z", "2027-01-01", "new year in Oslo an hour before UTC"],
    ["2028-02-28T23:00:00.000Z", "2028-02-29", "leap day begins"],
    ["2028-02-29T22:59:59.999Z", "2028-02-29", "leap day's last ms"],
    ["2028-02-29T23:00:00.000Z", "2028-03-01", "1 March begins"],
    // Spring forward 2026-03-29: 02:00 +01:00 (01:00Z) becomes 03:00 +02:00. Local 02:30 does not exist.
    ["2026-03-28T22:59:59.999Z", "2026-03-28", "last ms before the spring-forward day"],
    ["2026-03-28T23:00:00.000Z", "2026-03-29", "spring-forward day begins at 00:00 +01:00"],
    ["2026-03-29T00:59:59.999Z", "2026-03-29", "01:59:59.999 +01:00, just before the gap"],
    ["2026-03-29T01:00:00.000Z", "2026-03-29", "03:00 +02:00, just after the gap"],
    ["2026-03-29T21:59:59.999Z", "2026-03-29", "23:59:59.999 +02:00"],
    ["2026-03-29T22:00:00.000Z", "2026-03-30", "00:00 +02:00"],
    // Fall back 2026-10-25: 03:00 +02:00 (01:00Z) becomes 02:00 +01:00: 02:00–02:59 happens twice.
    ["2026-10-24T21:59:59.999Z", "2026-10-24", "last ms before the fall-back day"],
    ["2026-10-24T22:00:00.000Z", "2026-10-25", "fall-back day begins at 00:00 +02:00"],
    ["2026-10-25T00:30:00.000Z", "2026-10-25", "the first 02:30 (+02:00)"],
    ["2026-10-25T01:30:00.000Z", "2026-10-25", "the second 02:30 (+01:00)"],
    ["2026-10-25T22:59:59.999Z", "2026-10-25", "23:59:59.999 +01:00"],
    ["2026-10-25T23:00:00.000Z", "2026-10-26", "00:00 +01:00"],
  ])("%s is %s in Oslo (%s)", (instant, date) => {
    expect(osloDate(at(instant))).toBe(date);
  });

  it("rejects an invalid Date rather than inventing a day", () => {
    expect(() => osloDate(new Date(Number.NaN))).toThrow(RangeError);
  });
});

describe("startOfOsloDay: the instant Oslo midnight begins a date", () => {
  it.each([
    ["2026-01-15", "2026-01-14T23:00:00.000Z", "winter, +01:00"],
    ["2026-07-01", "2026-06-30T22:00:00.000Z", "summer, +02:00"],
    ["2026-03-28", "2026-03-27T23:00:00.000Z", "day before spring forward"],
    ["2026-03-29", "2026-03-28T23:00:00.000Z", "spring forward happens at 02:00 that night: midnight is still +01:00"],
    ["2026-03-30", "2026-03-29T22:00:00.000Z", "first summer-time midnight"],
    ["2026-10-24", "2026-10-23T22:00:00.000Z", "day before fall back"],
    ["2026-10-25", "2026-10-24T22:00:00.000Z", "fall back happens at 03:00 that night: midnight is still +02:00"],
    ["2026-10-26", "2026-10-25T23:00:00.000Z", "first winter-time midnight"],
    ["2027-01-01", "2026-12-31T23:00:00.000Z", "new year"],
    ["2028-02-29", "2028-02-28T23:00:00.000Z", "leap day"],
    ["2028-03-01", "2028-02-29T23:00:00.000Z", "day after the leap day"],
    ["2028-03-26", "2028-03-25T23:00:00.000Z", "2028 spring forward day"],
    ["2028-03-27", "2028-03-26T22:00:00.000Z", "day after"],
    ["2028-10-29", "2028-10-28T22:00:00.000Z", "2028 fall back day"],
    ["2028-10-30", "2028-10-29T23:00:00.000Z", "day after"],
  ])("%s begins at %s (%s)", (date, instant) => {
    expect(startOfOsloDay(date).toISOString()).toBe(instant);
  });

  it.each([
    ["2026-03-29", 23],
    ["2026-10-25", 25],
    ["2026-06-01", 24],
    ["2028-03-26", 23],
    ["2028-10-29", 25],
    ["2028-02-29", 24],
  ])("%s lasts %i hours", (date, hours) => {
    const length = startOfOsloDay(addCalendarDays(date, 1)).getTime() - startOfOsloDay(date).getTime();
    expect(length).toBe(hours * HOUR);
  });

  it.each(["2027-02-29", "2026-13-01", "2026-1-1", ""])("rejects %j", (date) => {
    expect(() => startOfOsloDay(date)).toThrow(RangeError);
  });

  it("returns a fresh Date each time (callers may mutate it)", () => {
    const first = startOfOsloDay("2026-05-17");
    first.setTime(0);
    expect(startOfOsloDay("2026-05-17").toISOString()).toBe("2026-05-16T22:00:00.000Z");
  });
});

describe("startOfDayInTimeZone where midnight is skipped or repeated (historical tz data)", () => {
  it.each([
    // Skipped midnight: the day begins at the jump, 01:00 local.
    ["America/Havana", "2024-03-10", "2024-03-10T05:00:00.000Z", "00:00 -05:00 → 01:00 -04:00"],
    ["Asia/Beirut", "2024-03-31", "2024-03-30T22:00:00.000Z", "00:00 +02:00 → 01:00 +03:00"],
    ["America/Sao_Paulo", "2018-11-04", "2018-11-04T03:00:00.000Z", "00:00 -03:00 → 01:00 -02:00"],
    // Repeated midnight: 01:00 -04:00 → 00:00 -05:00; the day began at the first 00:00.
    ["America/Havana", "2024-11-03", "2024-11-03T04:00:00.000Z", "first of two midnights"],
    // 00:00 -02:00 → 23:00 -03:00 the day before: 18 Feb's midnight happens once, an hour later.
    ["America/Sao_Paulo", "2018-02-17", "2018-02-17T02:00:00.000Z", "the day that gets 23:00 twice"],
    ["America/Sao_Paulo", "2018-02-18", "2018-02-18T03:00:00.000Z", "midnight at -03:00"],
  ])("%s %s begins at %s (%s)", (zone, date, instant) => {
    const start = startOfDayInTimeZone(date, zone);
    expect(start.toISOString()).toBe(instant);
    expect(calendarDateInTimeZone(start, zone)).toBe(date);
    expect(calendarDateInTimeZone(new Date(start.getTime() - 1), zone)).toBe(addCalendarDays(date, -1));
  });
});

describe("results do not depend on the time zone of the machine", () => {
  const original = process.env.TZ;
  afterEach(() => {
    if (original === undefined) delete process.env.TZ;
    else process.env.TZ = original;
  });

  // A different year per zone so no midnight is already remembered from another test.
  it.each([
    ["Europe/Oslo", 2030, -60],
    ["America/Los_Angeles", 2031, 480],
    ["Pacific/Chatham", 2032, -825],
    ["Asia/Kolkata", 2033, -330],
    ["America/Santiago", 2034, 180],
  ])("with TZ=%s, every day of %i begins at the EU-rule midnight", (zone, year, januaryOffset) => {
    process.env.TZ = zone;
    expect(new Date(Date.UTC(year, 0, 15)).getTimezoneOffset()).toBe(januaryOffset); // TZ took effect
    for (let date = `${year}-01-01`; date.startsWith(String(year)); date = addCalendarDays(date, 1)) {
      const start = startOfOsloDay(date);
      expect(start.toISOString(), date).toBe(expectedOsloMidnight(date));
      expect(osloDate(start), date).toBe(date);
      expect(osloDate(new Date(start.getTime() - 1)), date).toBe(addCalendarDays(date, -1));
      expect(siteStatus(w(date, date), start), date).toBe("open");
    }
  });
});

// ---------------------------------------------------------------------------------------------

describe("siteStatus", () => {
  describe("every status, at the first and last millisecond, winter and summer", () => {
    const winter = w("2026-01-10", "2026-02-20"); // whole window at +01:00
    const summer = w("2026-06-01", "2026-08-31"); // whole window at +02:00
    const winterToSummer = w("2026-02-01", "2026-03-31"); // opens at +01:00, closes at +02:00
    const summerToWinter = w("2026-09-01", "2026-11-15"); // opens at +02:00, closes at +01:00
    it.each([
      [winter, "2026-01-09T12:00:00.000Z", "planned", "the day before"],
      [winter, "2026-01-09T22:59:59.999Z", "planned", "1 ms before 00:00 +01:00 on the start date"],
      [winter, "2026-01-09T23:00:00.000Z", "open", "00:00:00.000 +01:00 on the start date"],
      [winter, "2026-02-01T12:00:00.000Z", "open", "well inside"],
      [winter, "2026-02-20T22:59:59.999Z", "open", "23:59:59.999 +01:00 on the end date"],
      [winter, "2026-02-20T23:00:00.000Z", "closed", "00:00 +01:00 the day after the end date"],
      [winter, "2027-06-01T12:00:00.000Z", "closed", "long after"],
      [summer, "2026-05-31T21:59:59.999Z", "planned", "1 ms before 00:00 +02:00 on the start date"],
      [summer, "2026-05-31T22:00:00.000Z", "open", "00:00:00.000 +02:00 on the start date"],
      [summer, "2026-08-31T21:59:59.999Z", "open", "23:59:59.999 +02:00 on the end date"],
      [summer, "2026-08-31T22:00:00.000Z", "closed", "00:00 +02:00 the day after the end date"],
      [winterToSummer, "2026-01-31T22:59:59.999Z", "planned", "1 ms before 00:00 +01:00"],
      [winterToSummer, "2026-01-31T23:00:00.000Z", "open", "00:00 +01:00"],
      [winterToSummer, "2026-03-31T21:59:59.999Z", "open", "23:59:59.999 +02:00"],
      [winterToSummer, "2026-03-31T22:00:00.000Z", "closed", "00:00 +02:00"],
      [summerToWinter, "2026-08-31T21:59:59.999Z", "planned", "1 ms before 00:00 +02:00"],
      [summerToWinter, "2026-08-31T22:00:00.000Z", "open", "00:00 +02:00"],
      [summerToWinter, "2026-11-15T22:59:59.999Z", "open", "23:59:59.999 +01:00"],
      [summerToWinter, "2026-11-15T23:00:00.000Z", "closed", "00:00 +01:00"],
    ] as const)("%o at %s → %s (%s)", (window, instant, expected, _why) => {
      expect(siteStatus(window, at(instant))).toBe(expected);
    });
  });

  describe("UTC and Oslo on different days", () => {
    it.each([
      [w("2026-06-01", "2026-06-30"), "2026-06-30T22:30:00.000Z", "closed", "UTC still 30 June, Oslo already 1 July"],
      [
        w("2026-07-01", "2026-07-31"),
        "2026-06-30T22:30:00.000Z",
        "open",
        "UTC still the day before the start, Oslo on it",
      ],
      [w("2026-07-01", "2026-07-31"), "2026-06-30T21:59:59.999Z", "planned", "both still 30 June"],
      [w("2026-01-01", "2026-01-31"), "2026-01-31T23:30:00.000Z", "closed", "UTC still 31 January, Oslo 1 February"],
      [w("2026-02-01", "2026-02-28"), "2026-01-31T23:30:00.000Z", "open", "UTC still 31 January, Oslo 1 February"],
      [w("2027-01-01", null), "2026-12-31T23:00:00.000Z", "open", "UTC still 2026, Oslo 2027"],
    ] as const)("%o at %s → %s (%s)", (window, instant, expected, _why) => {
      expect(siteStatus(window, at(instant))).toBe(expected);
    });
  });

  describe("missing dates and one-day windows", () => {
    it.each([
      [w("2026-01-01", null), "2025-12-31T22:59:59.999Z", "planned", "open-ended: planned before the start"],
      [w("2026-01-01", null), "2025-12-31T23:00:00.000Z", "open", "open-ended: open from the start"],
      [w("2026-01-01", null), "2199-12-31T12:00:00.000Z", "open", "open-ended: never closes"],
      [w(null, "2027-01-01"), "2026-06-01T12:00:00.000Z", "planned", "no start date yet: planned"],
      [w(null, "2026-05-31"), "2026-05-31T21:59:59.999Z", "planned", "no start date: planned through the end date"],
      [w(null, "2026-05-31"), "2026-05-31T22:00:00.000Z", "closed", "no start date: closed after the end date"],
      [w(null, null), "2026-06-01T12:00:00.000Z", "planned", "no dates at all: planned"],
      [w(null, null), "1950-06-01T12:00:00.000Z", "planned", "no dates at all: planned, whenever"],
      [w("2026-05-17", "2026-05-17"), "2026-05-16T21:59:59.999Z", "planned", "one-day window: 1 ms before"],
      [w("2026-05-17", "2026-05-17"), "2026-05-16T22:00:00.000Z", "open", "one-day window: first ms"],
      [w("2026-05-17", "2026-05-17"), "2026-05-17T21:59:59.999Z", "open", "one-day window: last ms"],
      [w("2026-05-17", "2026-05-17"), "2026-05-17T22:00:00.000Z", "closed", "one-day window: next ms"],
    ] as const)("%o at %s → %s (%s)", (window, instant, expected, _why) => {
      expect(siteStatus(window, at(instant))).toBe(expected);
    });
  });

  describe("DST days", () => {
    it.each([
      // Ending on the spring-forward day (23 hours long).
      [w("2026-03-01", "2026-03-29"), "2026-03-28T23:00:00.000Z", "open", "00:00 +01:00 on the last day"],
      [w("2026-03-01", "2026-03-29"), "2026-03-29T00:59:59.999Z", "open", "01:59:59.999 +01:00, just before the gap"],
      [w("2026-03-01", "2026-03-29"), "2026-03-29T01:00:00.000Z", "open", "03:00 +02:00, just after the gap"],
      [w("2026-03-01", "2026-03-29"), "2026-03-29T21:59:59.999Z", "open", "23:59:59.999 +02:00"],
      [w("2026-03-01", "2026-03-29"), "2026-03-29T22:00:00.000Z", "closed", "00:00 +02:00 on 30 March"],
      // Starting on the spring-forward day.
      [w("2026-03-29", "2026-04-30"), "2026-03-28T22:59:59.999Z", "planned", "1 ms before 00:00 +01:00"],
      [w("2026-03-29", "2026-04-30"), "2026-03-28T23:00:00.000Z", "open", "00:00 +01:00"],
      // The days either side of it.
      [w("2026-03-01", "2026-03-28"), "2026-03-28T22:59:59.999Z", "open", "last ms of 28 March (+01:00)"],
      [w("2026-03-01", "2026-03-28"), "2026-03-28T23:00:00.000Z", "closed", "29 March begins (+01:00)"],
      [w("2026-03-30", "2026-04-30"), "2026-03-29T21:59:59.999Z", "planned", "last ms of 29 March (+02:00)"],
      [w("2026-03-30", "2026-04-30"), "2026-03-29T22:00:00.000Z", "open", "30 March begins (+02:00)"],
      // Ending on the fall-back day (25 hours long).
      [w("2026-10-01", "2026-10-25"), "2026-10-25T00:30:00.000Z", "open", "the first 02:30 (+02:00)"],
      [w("2026-10-01", "2026-10-25"), "2026-10-25T01:30:00.000Z", "open", "the second 02:30 (+01:00)"],
      [w("2026-10-01", "2026-10-25"), "2026-10-25T22:59:59.999Z", "open", "23:59:59.999 +01:00"],
      [w("2026-10-01", "2026-10-25"), "2026-10-25T23:00:00.000Z", "closed", "00:00 +01:00 on 26 October"],
      // Starting on the fall-back day.
      [w("2026-10-25", "2026-11-30"), "2026-10-24T21:59:59.999Z", "planned", "1 ms before 00:00 +02:00"],
      [w("2026-10-25", "2026-11-30"), "2026-10-24T22:00:00.000Z", "open", "00:00 +02:00"],
      // The days either side of it.
      [w("2026-10-01", "2026-10-24"), "2026-10-24T21:59:59.999Z", "open", "last ms of 24 October (+02:00)"],
      [w("2026-10-01", "2026-10-24"), "2026-10-24T22:00:00.000Z", "closed", "25 October begins (+02:00)"],
      [w("2026-10-26", "2026-11-30"), "2026-10-25T01:30:00.000Z", "planned", "the second 02:30 on 25 October"],
      [w("2026-10-26", "2026-11-30"), "2026-10-25T22:59:59.999Z", "planned", "last ms of 25 October (+01:00)"],
      [w("2026-10-26", "2026-11-30"), "2026-10-25T23:00:00.000Z", "open", "26 October begins (+01:00)"],
    ] as const)("%o at %s → %s (%s)", (window, instant, expected, _why) => {
      expect(siteStatus(window, at(instant))).toBe(expected);
    });
  });

  describe("leap days", () => {
    it.each([
      [w("2028-01-01", "2028-02-29"), "2028-02-28T22:59:59.999Z", "open", "last ms of 28 February"],
      [w("2028-01-01", "2028-02-29"), "2028-02-28T23:00:00.000Z", "open", "29 February begins"],
      [w("2028-01-01", "2028-02-29"), "2028-02-29T12:00:00.000Z", "open", "midday 29 February"],
      [w("2028-01-01", "2028-02-29"), "2028-02-29T22:59:59.999Z", "open", "last ms of 29 February"],
      [w("2028-01-01", "2028-02-29"), "2028-02-29T23:00:00.000Z", "closed", "1 March begins in Oslo"],
      [w("2028-02-29", "2028-03-31"), "2028-02-28T22:59:59.999Z", "planned", "1 ms before a leap-day start"],
      [w("2028-02-29", "2028-03-31"), "2028-02-28T23:00:00.000Z", "open", "leap-day start"],
      [w("2028-02-29", "2029-02-28"), "2029-02-28T22:59:59.999Z", "open", "a year on, 28 February is the last day"],
      [w("2028-02-29", "2029-02-28"), "2029-02-28T23:00:00.000Z", "closed", "and 1 March 2029 is after it"],
    ] as const)("%o at %s → %s (%s)", (window, instant, expected, _why) => {
      expect(siteStatus(window, at(instant))).toBe(expected);
    });
  });

  describe("paused", () => {
    it.each([
      [w("2026-01-01", "2027-01-01", true), "2026-06-01T12:00:00.000Z", "paused", "open window, paused"],
      [w("2026-01-01", null, true), "2026-06-01T12:00:00.000Z", "paused", "open-ended window, paused"],
      [w("2026-09-01", "2027-01-01", true), "2026-06-01T12:00:00.000Z", "paused", "planned window, paused"],
      [w(null, null, true), "2026-06-01T12:00:00.000Z", "paused", "no dates, paused"],
      [w("2026-01-01", "2026-03-01", true), "2026-06-01T12:00:00.000Z", "closed", "closed wins over paused"],
      [w("2026-01-01", "2026-05-31", true), "2026-05-31T21:59:59.999Z", "paused", "paused through the last ms"],
      [w("2026-01-01", "2026-05-31", true), "2026-05-31T22:00:00.000Z", "closed", "then closed"],
      [w("2026-01-01", "2026-05-31", false, true), "2026-05-01T12:00:00.000Z", "open", "withdrawn is not looked at"],
    ] as const)("%o at %s → %s (%s)", (window, instant, expected, _why) => {
      expect(siteStatus(window, at(instant))).toBe(expected);
    });
  });

  it("rejects an invalid `now`", () => {
    expect(() => siteStatus(w("2026-01-01", null), new Date("not a date"))).toThrow(RangeError);
  });
});

// ---------------------------------------------------------------------------------------------

describe("invalid input is an error, not a status", () => {
  const now = at("2026-06-01T12:00:00.000Z");

  it.each([
    // [window, field, value, message]
    [
      w("2026-05-02", "2026-05-01"),
      "inclusionEnd",
      "2026-05-01",
      "Inklusjonsslutt 2026-05-01 er før inklusjonsstart 2026-05-02. Sluttdatoen må være samme dag som startdatoen eller senere.",
    ],
    [
      w("2027-01-01", "2026-01-01"),
      "inclusionEnd",
      "2026-01-01",
      "Inklusjonsslutt 2026-01-01 er før inklusjonsstart 2027-01-01. Sluttdatoen må være samme dag som startdatoen eller senere.",
    ],
    [
      w("2027-02-29", "2027-03-31"),
      "inclusionStart",
      "2027-02-29",
      "Inklusjonsstart «2027-02-29» finnes ikke i kalenderen.",
    ],
    [
      w("2027-01-01", "2027-02-29"),
      "inclusionEnd",
      "2027-02-29",
      "Inklusjonsslutt «2027-02-29» finnes ikke i kalenderen.",
    ],
    [w("2026-13-01", null), "inclusionStart", "2026-13-01", "Inklusjonsstart «2026-13-01» finnes ikke i kalenderen."],
    [w(null, "2026-13-01"), "inclusionEnd", "2026-13-01", "Inklusjonsslutt «2026-13-01» finnes ikke i kalenderen."],
    [w("2026-04-31", null), "inclusionStart", "2026-04-31", "Inklusjonsstart «2026-04-31» finnes ikke i kalenderen."],
    [w(null, "2026-01-32"), "inclusionEnd", "2026-01-32", "Inklusjonsslutt «2026-01-32» finnes ikke i kalenderen."],
    [w("2026-00-10", null), "inclusionStart", "2026-00-10", "Inklusjonsstart «2026-00-10» finnes ikke i kalenderen."],
    [
      w("2026-1-1", null),
      "inclusionStart",
      "2026-1-1",
      "Inklusjonsstart «2026-1-1» har feil format. Bruk formen ÅÅÅÅ-MM-DD med to sifre for måned og dag, for eksempel 2026-03-01.",
    ],
    [
      w(null, "2026-1-1"),
      "inclusionEnd",
      "2026-1-1",
      "Inklusjonsslutt «2026-1-1» har feil format. Bruk formen ÅÅÅÅ-MM-DD med to sifre for måned og dag, for eksempel 2026-03-01.",
    ],
    [
      w("01.03.2026", null),
      "inclusionStart",
      "01.03.2026",
      "Inklusjonsstart «01.03.2026» har feil format. Bruk formen ÅÅÅÅ-MM-DD med to sifre for måned og dag, for eksempel 2026-03-01.",
    ],
    [
      w("2026-01-01T00:00:00Z", null),
      "inclusionStart",
      "2026-01-01T00:00:00Z",
      "Inklusjonsstart «2026-01-01T00:00:00Z» har feil format. Bruk formen ÅÅÅÅ-MM-DD med to sifre for måned og dag, for eksempel 2026-03-01.",
    ],
    [
      w(" 2026-01-01", null),
      "inclusionStart",
      " 2026-01-01",
      "Inklusjonsstart « 2026-01-01» har feil format. Bruk formen ÅÅÅÅ-MM-DD med to sifre for måned og dag, for eksempel 2026-03-01.",
    ],
    [
      w("", null),
      "inclusionStart",
      "",
      "Inklusjonsstart er tom. Oppgi en dato på formen ÅÅÅÅ-MM-DD, eller ingen dato.",
    ],
    [w(null, ""), "inclusionEnd", "", "Inklusjonsslutt er tom. Oppgi en dato på formen ÅÅÅÅ-MM-DD, eller ingen dato."],
    [
      w("1899-12-31", null),
      "inclusionStart",
      "1899-12-31",
      "Inklusjonsstart «1899-12-31» har et årstall utenfor 1900–2200.",
    ],
    // Both wrong: the start is reported first.
    [
      w("2026-13-01", "2026-1-1"),
      "inclusionStart",
      "2026-13-01",
      "Inklusjonsstart «2026-13-01» finnes ikke i kalenderen.",
    ],
    // Invalid end and a start after it: the bad date is reported, not the order.
    [
      w("2026-05-01", "2026-02-30"),
      "inclusionEnd",
      "2026-02-30",
      "Inklusjonsslutt «2026-02-30» finnes ikke i kalenderen.",
    ],
  ] as const)("%o → %s %j", (window, field, value, message) => {
    const error = caught(() => siteStatus(window, now));
    expect(error).toBeInstanceOf(InvalidInclusionWindowError);
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ name: "InvalidInclusionWindowError", field, value, message });
  });

  const bad = w("2026-05-02", "2026-05-01");
  it.each([
    ["validateInclusionWindow", () => validateInclusionWindow(bad)],
    ["siteStatus", () => siteStatus(bad, now)],
    ["studyStatus", () => studyStatus([w("2026-01-01", null), bad], now)],
    ["daysUntilClose", () => daysUntilClose(bad, now)],
    ["daysUntilOpen", () => daysUntilOpen(bad, now)],
    ["statusTransitions", () => statusTransitions(bad)],
    ["nextStatusChange", () => nextStatusChange([w("2026-01-01", null), bad], now)],
  ])("%s throws it too", (_name, fn) => {
    expect(caught(fn)).toMatchObject({ name: "InvalidInclusionWindowError", field: "inclusionEnd" });
  });

  it.each([
    ["siteStatus", w("2026-05-17", "2026-05-17")],
    ["siteStatus", w("2026-01-01", null)],
    ["siteStatus", w(null, null)],
  ])("a valid window does not throw (%s %o)", (_name, window) => {
    expect(() => validateInclusionWindow(window)).not.toThrow();
  });

  it("withdrawn sites are ignored, even when their dates are bad", () => {
    const withdrawnBad = w("2026-05-02", "2026-05-01", false, true);
    expect(studyStatus([withdrawnBad, w("2026-01-01", null)], now)).toBe("open");
    expect(nextStatusChange([withdrawnBad], now)).toBeNull();
  });
});

// ---------------------------------------------------------------------------------------------

describe("studyStatus: open > paused > planned > closed", () => {
  const now = at("2026-06-01T10:00:00.000Z");
  const open = w("2026-01-01", "2026-12-31");
  const paused = w("2026-01-01", "2026-12-31", true);
  const planned = w("2026-09-01", "2026-12-31");
  const closed = w("2025-01-01", "2025-12-31");
  const withdrawn = (site: InclusionWindow): InclusionWindow => ({ ...site, withdrawn: true });

  it("the fixtures have the statuses their names say", () => {
    expect([open, paused, planned, closed].map((s) => siteStatus(s, now))).toEqual([
      "open",
      "paused",
      "planned",
      "closed",
    ]);
  });

  // Every non-empty combination of site statuses.
  it.each([
    [[open], "open"],
    [[paused], "paused"],
    [[planned], "planned"],
    [[closed], "closed"],
    [[open, paused], "open"],
    [[open, planned], "open"],
    [[open, closed], "open"],
    [[paused, planned], "paused"],
    [[paused, closed], "paused"],
    [[planned, closed], "planned"],
    [[open, paused, planned], "open"],
    [[open, paused, closed], "open"],
    [[open, planned, closed], "open"],
    [[paused, planned, closed], "paused"],
    [[open, paused, planned, closed], "open"],
  ] as const)("%o → %s", (sites, expected) => {
    const statuses = sites.map((s) => siteStatus(s, now));
    expect(studyStatus([...sites], now), statuses.join("+")).toBe(expected);
    expect(studyStatus([...sites].reverse(), now), "order does not matter").toBe(expected);
  });

  it.each([
    ["no sites", [], "no_sites"],
    ["only withdrawn sites", [withdrawn(open), withdrawn(closed)], "no_sites"],
    ["a withdrawn open site does not make the study open", [closed, withdrawn(open)], "closed"],
    ["a withdrawn paused site does not count", [planned, withdrawn(paused)], "planned"],
    ["withdrawn: false counts", [closed, { ...open, withdrawn: false }], "open"],
    ["withdrawn missing counts", [closed, { inclusionStart: "2026-01-01", inclusionEnd: null, paused: false }], "open"],
    ["many closed sites", [closed, closed, closed], "closed"],
  ] as const)("%s → %s", (_case, sites, expected) => {
    expect(studyStatus([...sites] as InclusionWindow[], now)).toBe(expected);
  });

  it.each([
    ["2026-06-15T21:59:59.999Z", "paused"],
    ["2026-06-15T22:00:00.000Z", "planned"],
    ["2026-06-30T21:59:59.999Z", "planned"],
    ["2026-06-30T22:00:00.000Z", "open"],
    ["2026-07-31T21:59:59.999Z", "open"],
    ["2026-07-31T22:00:00.000Z", "closed"],
  ] as const)(
    "over time (planned July site, paused site closing 15 June, closed site), at %s → %s",
    (instant, expected: StudyStatus) => {
      const sites = [w("2026-07-01", "2026-07-31"), w("2026-01-01", "2026-06-15", true), w("2025-01-01", "2025-12-31")];
      expect(studyStatus(sites, at(instant))).toBe(expected);
    },
  );
});

// ---------------------------------------------------------------------------------------------

describe("daysUntilClose: calendar days to the end date of an open window", () => {
  it.each([
    [w("2026-01-01", "2026-06-01"), "2026-05-31T22:00:00.000Z", 0, "first ms of the last day"],
    [w("2026-01-01", "2026-06-01"), "2026-06-01T21:59:59.999Z", 0, "last ms of the last day"],
    [w("2026-01-01", "2026-06-01"), "2026-06-01T22:00:00.000Z", null, "closed now"],
    [w("2026-01-01", "2026-06-01"), "2026-05-31T21:59:59.999Z", 1, "last ms of the day before"],
    [w("2026-06-01", "2026-07-01"), "2026-05-31T22:00:00.000Z", 30, "first ms of the first day"],
    [w("2026-05-17", "2026-05-17"), "2026-05-17T10:00:00.000Z", 0, "one-day window"],
    [w("2026-01-01", "2026-03-30"), "2026-03-29T10:00:00.000Z", 1, "a 23-hour day is still one day"],
    [w("2026-01-01", "2026-10-26"), "2026-10-25T10:00:00.000Z", 1, "a 25-hour day is still one day"],
    [w("2026-01-01", "2026-07-01"), "2026-06-30T22:30:00.000Z", 0, "UTC says 30 June, Oslo 1 July"],
    [w("2028-01-01", "2028-03-01"), "2028-02-27T12:00:00.000Z", 3, "across 29 February 2028"],
    [w("2027-01-01", "2027-03-01"), "2027-02-27T12:00:00.000Z", 2, "no 29 February in 2027"],
    [w("2028-01-01", "2028-02-29"), "2028-02-28T23:00:00.000Z", 0, "the leap day is the last day"],
    [w("2028-01-01", "2029-01-01"), "2028-01-01T12:00:00.000Z", 366, "a leap year"],
    [w("2026-01-01", null), "2026-06-01T10:00:00.000Z", null, "open-ended"],
    [w(null, "2026-08-01"), "2026-06-01T10:00:00.000Z", null, "planned (no start date)"],
    [w("2026-07-01", "2026-08-01"), "2026-06-01T10:00:00.000Z", null, "planned"],
    [w("2026-01-01", "2026-02-01"), "2026-06-01T10:00:00.000Z", null, "closed"],
    [w("2026-01-01", "2026-08-01", true), "2026-06-01T10:00:00.000Z", null, "paused"],
  ] as const)("%o at %s → %o (%s)", (window, instant, expected, _why) => {
    expect(daysUntilClose(window, at(instant))).toBe(expected);
  });
});

describe("daysUntilOpen: calendar days to the start date of a planned site", () => {
  it.each([
    [w("2026-06-02", null), "2026-06-01T21:59:59.999Z", 1, "last ms of the day before"],
    [w("2026-06-02", null), "2026-06-01T22:00:00.000Z", null, "on the start date it is open, not planned"],
    [w("2026-07-01", "2026-08-01"), "2026-06-01T10:00:00.000Z", 30, "in 30 days"],
    [w("2026-07-01", "2026-08-01"), "2026-06-30T22:30:00.000Z", null, "UTC says 30 June, Oslo 1 July: open"],
    [w("2026-03-30", null), "2026-03-29T21:59:59.999Z", 1, "across the 23-hour day"],
    [w("2026-10-26", null), "2026-10-25T01:30:00.000Z", 1, "during the repeated hour"],
    [w("2028-03-01", null), "2028-02-28T12:00:00.000Z", 2, "across 29 February 2028"],
    [w("2028-02-29", null), "2028-02-28T22:59:59.999Z", 1, "leap-day start"],
    [w(null, null), "2026-06-01T10:00:00.000Z", null, "no start date"],
    [w(null, "2026-12-31"), "2026-06-01T10:00:00.000Z", null, "no start date, only an end"],
    [w("2026-07-01", null, true), "2026-06-01T10:00:00.000Z", null, "paused: will not open on its date"],
    [w("2026-01-01", null), "2026-06-01T10:00:00.000Z", null, "already open"],
    [w("2025-01-01", "2025-12-31"), "2026-06-01T10:00:00.000Z", null, "closed"],
  ] as const)("%o at %s → %o (%s)", (window, instant, expected, _why) => {
    expect(daysUntilOpen(window, at(instant))).toBe(expected);
  });
});

// ---------------------------------------------------------------------------------------------

describe("statusTransitions", () => {
  it.each([
    [w("2026-03-01", "2026-05-31"), ["2026-02-28T23:00:00.000Z", "2026-05-31T22:00:00.000Z"], "both dates"],
    [w("2026-03-29", "2026-10-25"), ["2026-03-28T23:00:00.000Z", "2026-10-25T23:00:00.000Z"], "both DST days"],
    [
      w("2026-03-28", "2026-10-24"),
      ["2026-03-27T23:00:00.000Z", "2026-10-24T22:00:00.000Z"],
      "closing at the start of each DST day",
    ],
    [w("2026-05-17", "2026-05-17"), ["2026-05-16T22:00:00.000Z", "2026-05-17T22:00:00.000Z"], "one-day window"],
    [w("2026-12-31", "2026-12-31"), ["2026-12-30T23:00:00.000Z", "2026-12-31T23:00:00.000Z"], "closing at new year"],
    [w("2028-02-29", "2028-02-29"), ["2028-02-28T23:00:00.000Z", "2028-02-29T23:00:00.000Z"], "the leap day"],
    [w("2026-01-01", null), ["2025-12-31T23:00:00.000Z"], "open-ended: only the opening"],
    [w(null, "2026-06-30"), ["2026-06-30T22:00:00.000Z"], "no start: only the closing"],
    [w(null, null), [], "no dates: never changes"],
    [
      w("2026-01-01", "2026-06-30", true),
      ["2025-12-31T23:00:00.000Z", "2026-06-30T22:00:00.000Z"],
      "date-derived: ignores paused",
    ],
  ] as const)("%o → %o (%s)", (window, expected, _why) => {
    expect(statusTransitions(window).map((d) => d.toISOString())).toEqual(expected);
  });
});

describe("nextStatusChange: the earliest change strictly after now", () => {
  it.each([
    [
      "planned site: its opening",
      [w("2026-07-01", "2026-08-31")],
      "2026-06-01T10:00:00.000Z",
      "2026-06-30T22:00:00.000Z",
    ],
    ["open site: its closing", [w("2026-01-01", "2026-08-31")], "2026-06-01T10:00:00.000Z", "2026-08-31T22:00:00.000Z"],
    [
      "open site closing in winter (+01:00)",
      [w("2026-01-01", "2026-11-30")],
      "2026-06-01T10:00:00.000Z",
      "2026-11-30T23:00:00.000Z",
    ],
    ["open-ended open site: never", [w("2026-01-01", null)], "2026-06-01T10:00:00.000Z", null],
    [
      "open-ended planned site: only its opening",
      [w("2026-07-01", null)],
      "2026-06-01T10:00:00.000Z",
      "2026-06-30T22:00:00.000Z",
    ],
    ["open-ended site at its opening: never again", [w("2026-07-01", null)], "2026-06-30T22:00:00.000Z", null],
    ["no start date: its closing", [w(null, "2026-08-31")], "2026-06-01T10:00:00.000Z", "2026-08-31T22:00:00.000Z"],
    ["no dates: never", [w(null, null)], "2026-06-01T10:00:00.000Z", null],
    ["no sites: never", [], "2026-06-01T10:00:00.000Z", null],
    ["closed site: never", [w("2025-01-01", "2025-12-31")], "2026-06-01T10:00:00.000Z", null],
    [
      "every site closed: never",
      [w("2025-01-01", "2025-12-31"), w(null, "2026-05-01"), w("2026-02-01", "2026-02-01", true)],
      "2026-06-01T10:00:00.000Z",
      null,
    ],
    [
      "earliest of several sites",
      [
        w("2026-09-01", "2026-12-31"),
        w("2026-01-01", "2026-07-14"),
        w("2026-06-20", "2027-01-01"),
        w("2025-01-01", "2025-12-31"),
      ],
      "2026-06-01T10:00:00.000Z",
      "2026-06-19T22:00:00.000Z",
    ],
    [
      "earliest of several sites, one later",
      [w("2026-09-01", "2026-12-31"), w("2026-01-01", "2026-07-14"), w("2026-06-20", "2027-01-01")],
      "2026-06-19T22:00:00.000Z",
      "2026-07-14T22:00:00.000Z",
    ],
    [
      "exactly at a transition: the following one",
      [w("2026-07-01", "2026-08-31")],
      "2026-06-30T22:00:00.000Z",
      "2026-08-31T22:00:00.000Z",
    ],
    [
      "1 ms before a transition: that one",
      [w("2026-07-01", "2026-08-31")],
      "2026-06-30T21:59:59.999Z",
      "2026-06-30T22:00:00.000Z",
    ],
    [
      "1 ms after a transition: the following one",
      [w("2026-07-01", "2026-08-31")],
      "2026-06-30T22:00:00.001Z",
      "2026-08-31T22:00:00.000Z",
    ],
    ["exactly at the closing: never again", [w("2026-07-01", "2026-08-31")], "2026-08-31T22:00:00.000Z", null],
    [
      "one-day window, before it",
      [w("2026-05-17", "2026-05-17")],
      "2026-05-16T21:59:59.999Z",
      "2026-05-16T22:00:00.000Z",
    ],
    [
      "one-day window, during it",
      [w("2026-05-17", "2026-05-17")],
      "2026-05-16T22:00:00.000Z",
      "2026-05-17T22:00:00.000Z",
    ],
    [
      "withdrawn sites are ignored",
      [w("2026-06-05", null, false, true), w("2026-01-01", "2026-08-31")],
      "2026-06-01T10:00:00.000Z",
      "2026-08-31T22:00:00.000Z",
    ],
    ["only withdrawn sites: never", [w("2026-06-05", "2026-07-01", false, true)], "2026-06-01T10:00:00.000Z", null],
    [
      "paused planned site: only its closing",
      [w("2026-07-01", "2026-08-31", true)],
      "2026-06-01T10:00:00.000Z",
      "2026-08-31T22:00:00.000Z",
    ],
    [
      "paused open site: its closing",
      [w("2026-01-01", "2026-08-31", true)],
      "2026-06-01T10:00:00.000Z",
      "2026-08-31T22:00:00.000Z",
    ],
    ["paused open-ended site: never", [w("2026-07-01", null, true)], "2026-06-01T10:00:00.000Z", null],
    [
      "paused site's earlier opening is skipped for another site's later change",
      [w("2026-06-10", "2026-12-31", true), w("2026-06-20", null)],
      "2026-06-01T10:00:00.000Z",
      "2026-06-19T22:00:00.000Z",
    ],
    [
      "opening on the spring-forward day",
      [w("2026-03-29", null)],
      "2026-03-01T10:00:00.000Z",
      "2026-03-28T23:00:00.000Z",
    ],
    [
      "closing into the spring-forward day",
      [w("2026-01-01", "2026-03-28")],
      "2026-02-01T10:00:00.000Z",
      "2026-03-28T23:00:00.000Z",
    ],
    [
      "closing after the spring-forward day",
      [w("2026-01-01", "2026-03-29")],
      "2026-03-29T01:00:00.000Z",
      "2026-03-29T22:00:00.000Z",
    ],
    ["opening on the fall-back day", [w("2026-10-25", null)], "2026-10-01T10:00:00.000Z", "2026-10-24T22:00:00.000Z"],
    [
      "closing after the fall-back day",
      [w("2026-10-01", "2026-10-25")],
      "2026-10-25T00:30:00.000Z",
      "2026-10-25T23:00:00.000Z",
    ],
    [
      "closing after the leap day",
      [w("2028-01-01", "2028-02-29")],
      "2028-02-01T10:00:00.000Z",
      "2028-02-29T23:00:00.000Z",
    ],
  ] as const)("%s", (_case, sites, instant, expected) => {
    expect(iso(nextStatusChange([...sites] as InclusionWindow[], at(instant)))).toBe(expected);
  });

  it("walking from change to change: each status really changes there and nowhere in between", () => {
    const sites = [
      w("2026-03-29", "2026-10-25"),
      w("2026-05-01", "2026-05-31", true),
      w(null, "2026-12-01"),
      w("2026-04-01", null, false, true),
    ];
    const statusesAt = (t: number): SiteStatus[] =>
      sites.filter((s) => !s.withdrawn).map((s) => siteStatus(s, new Date(t)));
    const seen: string[] = [];
    let now = at("2026-01-01T00:00:00.000Z");
    for (let next = nextStatusChange(sites, now); next !== null; next = nextStatusChange(sites, now)) {
      const t = next.getTime();
      expect(statusesAt(t), `at ${next.toISOString()}`).not.toEqual(statusesAt(t - 1));
      expect(statusesAt(now.getTime()), `nothing changes before ${next.toISOString()}`).toEqual(statusesAt(t - 1));
      seen.push(next.toISOString());
      now = next;
    }
    expect(seen).toEqual([
      "2026-03-28T23:00:00.000Z", // first site opens on the spring-forward day (+01:00 midnight)
      "2026-05-31T22:00:00.000Z", // paused site closes (its 1 May opening was skipped)
      "2026-10-25T23:00:00.000Z", // first site closes after the fall-back day (+01:00 midnight)
      "2026-12-01T23:00:00.000Z", // site without a start date closes
    ]);
    expect(statusesAt(now.getTime())).toEqual(["closed", "closed", "closed"]);
  });

  it("rejects an invalid `now`", () => {
    expect(() => nextStatusChange([w("2026-01-01", null)], new Date(Number.NaN))).toThrow(RangeError);
  });
});

// ---------------------------------------------------------------------------------------------

describe.each([
  [2026, 365, "2026-03-29", "2026-10-25"],
  [2028, 366, "2028-03-26", "2028-10-29"],
])("every day of %i: a one-day window [D, D]", (year, daysInYear, springForward, fallBack) => {
  it("is planned until midnight, open from startOfOsloDay(D) to startOfOsloDay(D+1) - 1 ms, then closed", () => {
    let days = 0;
    const shortDays: string[] = [];
    const longDays: string[] = [];
    for (let date = `${year}-01-01`; date.startsWith(String(year)); date = addCalendarDays(date, 1)) {
      const window = w(date, date);
      const start = startOfOsloDay(date);
      const next = startOfOsloDay(addCalendarDays(date, 1));
      expect(start.toISOString(), `${date} start`).toBe(expectedOsloMidnight(date));
      expect(siteStatus(window, new Date(start.getTime() - 1)), `${date} 1 ms before`).toBe("planned");
      expect(siteStatus(window, start), `${date} first ms`).toBe("open");
      expect(siteStatus(window, new Date(next.getTime() - 1)), `${date} last ms`).toBe("open");
      expect(siteStatus(window, next), `${date} next day`).toBe("closed");
      expect(daysUntilClose(window, start), `${date} days left`).toBe(0);
      expect(iso(nextStatusChange([window], new Date(start.getTime() - 1))), `${date} next change`).toBe(
        start.toISOString(),
      );
      expect(iso(nextStatusChange([window], start)), `${date} next change when open`).toBe(next.toISOString());
      const hours = (next.getTime() - start.getTime()) / HOUR;
      if (hours === 23) shortDays.push(date);
      else if (hours === 25) longDays.push(date);
      else expect(hours, date).toBe(24);
      days++;
    }
    expect(days).toBe(daysInYear);
    expect(shortDays).toEqual([springForward]);
    expect(longDays).toEqual([fallBack]);
  });
});
