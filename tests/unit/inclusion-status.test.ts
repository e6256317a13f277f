/**
 * Inclusion status in Europe/Oslo: table-driven, at the edges. Instants are written as explicit
 * UTC ISO strings so the Oslo offset in force (+01:00 winter, +02:00 summer) is visible.
 */
import { describe, expect, it } from "vitest";
import { addCalendarDays } from "~/domain/calendar-date";
import {
  daysUntilClose,
  daysUntilOpen,
  InvalidInclusionWindowError,
  nextStatusChange,
  osloDate,
  siteStatus,
  startOfOsloDay,
  statusTransitions,
  studyStatus,
  type InclusionWindow,
} from "~/domain/inclusion-status";

const at = (iso: string) => new Date(iso);
const w = (inclusionStart: string | null, inclusionEnd: string | null, paused = false, withdrawn = false): InclusionWindow => ({
  inclusionStart,
  inclusionEnd,
  paused,
  withdrawn,
});

describe("osloDate and startOfOsloDay", () => {
  it.each([
    ["2026-01-15T22:59:59.999Z", "2026-01-15"], // 23:59:59.999 in Oslo (UTC+1)
    ["2026-01-15T23:00:00.000Z", "2026-01-16"], // midnight in Oslo
    ["2026-06-30T21:59:59.999Z", "2026-06-30"], // 23:59:59.999 in Oslo (UTC+2)
    ["2026-06-30T22:30:00.000Z", "2026-07-01"], // already tomorrow in Oslo, still today in UTC
    ["2026-12-31T23:00:00.000Z", "2027-01-01"], // new year in Oslo before UTC
    ["2028-02-28T23:00:00.000Z", "2028-02-29"], // leap day
  ])("%s is %s in Oslo", (instant, date) => {
    expect(osloDate(at(instant))).toBe(date);
  });

  it.each([
    ["2026-01-15", "2026-01-14T23:00:00.000Z"],
    ["2026-03-28", "2026-03-27T23:00:00.000Z"], // last winter-time midnight
    ["2026-03-29", "2026-03-28T23:00:00.000Z"], // spring forward at 02:00 that night: midnight is still +01:00
    ["2026-03-30", "2026-03-29T22:00:00.000Z"], // first summer-time midnight
    ["2026-10-25", "2026-10-24T22:00:00.000Z"], // fall back at 03:00 that night: midnight is still +02:00
    ["2026-10-26", "2026-10-25T23:00:00.000Z"], // first winter-time midnight
    ["2028-02-29", "2028-02-28T23:00:00.000Z"],
  ])("%s begins at %s", (date, instant) => {
    expect(startOfOsloDay(date).toISOString()).toBe(instant);
  });

  it("gives a 23-hour day in spring and a 25-hour day in autumn", () => {
    const hours = (d: string) => (startOfOsloDay(addCalendarDays(d, 1)).getTime() - startOfOsloDay(d).getTime()) / 3_600_000;
    expect(hours("2026-03-29")).toBe(23);
    expect(hours("2026-10-25")).toBe(25);
    expect(hours("2026-06-01")).toBe(24);
  });
});

describe("site status", () => {
  // Window 2026-02-01 .. 2026-03-31 (winter) and 2026-06-01 .. 2026-08-31 (summer).
  it.each([
    // [case, window, instant, status]
    ["winter: 1 ms before the first day", w("2026-02-01", "2026-03-31"), "2026-01-31T22:59:59.999Z", "planned"],
    ["winter: first instant of the first day", w("2026-02-01", "2026-03-31"), "2026-01-31T23:00:00.000Z", "open"],
    ["summer: last ms of the last day", w("2026-02-01", "2026-03-31"), "2026-03-31T21:59:59.999Z", "open"],
    ["summer: first instant after the last day", w("2026-02-01", "2026-03-31"), "2026-03-31T22:00:00.000Z", "closed"],
    ["summer: 1 ms before the first day", w("2026-06-01", "2026-08-31"), "2026-05-31T21:59:59.999Z", "planned"],
    ["summer: first instant of the first day", w("2026-06-01", "2026-08-31"), "2026-05-31T22:00:00.000Z", "open"],
    ["summer: last ms of the last day", w("2026-06-01", "2026-08-31"), "2026-08-31T21:59:59.999Z", "open"],
    ["summer: next ms", w("2026-06-01", "2026-08-31"), "2026-08-31T22:00:00.000Z", "closed"],
    ["winter window: last ms of the last day", w("2026-11-01", "2026-12-15"), "2026-12-15T22:59:59.999Z", "open"],
    ["winter window: next ms", w("2026-11-01", "2026-12-15"), "2026-12-15T23:00:00.000Z", "closed"],
    ["UTC still on the end day but Oslo already past it", w("2026-06-01", "2026-06-30"), "2026-06-30T22:30:00.000Z", "closed"],
    ["UTC still before the start day but Oslo already on it", w("2026-07-01", "2026-07-31"), "2026-06-30T22:30:00.000Z", "open"],
    ["well inside", w("2026-02-01", "2026-03-31"), "2026-02-15T12:00:00.000Z", "open"],
    ["one-day window, during that day", w("2026-05-17", "2026-05-17"), "2026-05-17T10:00:00.000Z", "open"],
    ["one-day window, the day before", w("2026-05-17", "2026-05-17"), "2026-05-16T21:59:59.999Z", "planned"],
    ["one-day window, the day after", w("2026-05-17", "2026-05-17"), "2026-05-17T22:00:00.000Z", "closed"],
    ["no end date: open for ever after the start", w("2026-01-01", null), "2099-12-31T12:00:00.000Z", "open"],
    ["no end date: planned before the start", w("2026-01-01", null), "2025-12-31T22:59:59.999Z", "planned"],
    ["no start date: planned", w(null, "2027-01-01"), "2026-06-01T12:00:00.000Z", "planned"],
    ["no start date, end passed: closed", w(null, "2026-01-01"), "2026-06-01T12:00:00.000Z", "closed"],
    ["no dates at all: planned", w(null, null), "2026-06-01T12:00:00.000Z", "planned"],
    ["paused while open", w("2026-01-01", "2027-01-01", true), "2026-06-01T12:00:00.000Z", "paused"],
    ["paused before opening", w("2026-09-01", "2027-01-01", true), "2026-06-01T12:00:00.000Z", "paused"],
    ["paused, open-ended", w("2026-01-01", null, true), "2026-06-01T12:00:00.000Z", "paused"],
    ["paused but the window has ended: closed wins", w("2026-01-01", "2026-03-01", true), "2026-06-01T12:00:00.000Z", "closed"],
  ] as const)("%s", (_case, window, instant, expected) => {
    expect(siteStatus(window, at(instant))).toBe(expected);
  });

  describe("DST days", () => {
    it.each([
      // Window ending on the spring-forward day 2026-03-29 (23-hour day).
      ["ends on spring-forward day: open at 01:00 UTC (03:00 summer time)", w("2026-03-01", "2026-03-29"), "2026-03-29T01:00:00.000Z", "open"],
      ["ends on spring-forward day: open at its last ms", w("2026-03-01", "2026-03-29"), "2026-03-29T21:59:59.999Z", "open"],
      ["ends on spring-forward day: closed at next midnight", w("2026-03-01", "2026-03-29"), "2026-03-29T22:00:00.000Z", "closed"],
      ["starts on spring-forward day: planned 1 ms before", w("2026-03-29", "2026-04-30"), "2026-03-28T22:59:59.999Z", "planned"],
      ["starts on spring-forward day: open at midnight", w("2026-03-29", "2026-04-30"), "2026-03-28T23:00:00.000Z", "open"],
      // Window ending on the fall-back day 2026-10-25 (25-hour day).
      ["ends on fall-back day: open in the repeated hour (01:30 UTC = 02:30 +01:00)", w("2026-10-01", "2026-10-25"), "2026-10-25T01:30:00.000Z", "open"],
      ["ends on fall-back day: open at its last ms", w("2026-10-01", "2026-10-25"), "2026-10-25T22:59:59.999Z", "open"],
      ["ends on fall-back day: closed at next midnight", w("2026-10-01", "2026-10-25"), "2026-10-25T23:00:00.000Z", "closed"],
      ["starts on fall-back day: planned 1 ms before", w("2026-10-25", "2026-11-30"), "2026-10-24T21:59:59.999Z", "planned"],
      ["starts on fall-back day: open at midnight", w("2026-10-25", "2026-11-30"), "2026-10-24T22:00:00.000Z", "open"],
    ] as const)("%s", (_case, window, instant, expected) => {
      expect(siteStatus(window, at(instant))).toBe(expected);
    });
  });

  describe("leap days", () => {
    it.each([
      ["window ending on 29 February is open that whole day", w("2028-01-01", "2028-02-29"), "2028-02-29T22:59:59.999Z", "open"],
      ["and closed on 1 March in Oslo", w("2028-01-01", "2028-02-29"), "2028-02-29T23:00:00.000Z", "closed"],
      ["window starting on 29 February", w("2028-02-29", "2028-03-31"), "2028-02-28T23:00:00.000Z", "open"],
      ["a year later there is no 29 February: 28 Feb is still inside", w("2028-02-29", "2029-02-28"), "2029-02-28T12:00:00.000Z", "open"],
    ] as const)("%s", (_case, window, instant, expected) => {
      expect(siteStatus(window, at(instant))).toBe(expected);
    });
  });

  describe("invalid input is an error, not a status", () => {
    it.each([
      ["end before start", w("2026-05-02", "2026-05-01"), "inclusionEnd"],
      ["end a year before start", w("2027-01-01", "2026-01-01"), "inclusionEnd"],
      ["29 February in a common year (start)", w("2027-02-29", "2027-03-31"), "inclusionStart"],
      ["29 February in a common year (end)", w("2027-01-01", "2027-02-29"), "inclusionEnd"],
      ["month 13", w("2026-13-01", null), "inclusionStart"],
      ["day 32", w(null, "2026-01-32"), "inclusionEnd"],
      ["not zero-padded", w("2026-1-1", null), "inclusionStart"],
      ["empty string", w("", null), "inclusionStart"],
      ["a timestamp instead of a date", w("2026-01-01T00:00:00Z", null), "inclusionStart"],
      ["31 April", w("2026-04-31", null), "inclusionStart"],
    ] as const)("%s", (_case, window, field) => {
      let caught: unknown;
      try {
        siteStatus(window, at("2026-06-01T12:00:00Z"));
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(InvalidInclusionWindowError);
      expect((caught as InvalidInclusionWindowError).field).toBe(field);
      expect((caught as Error).message.length).toBeGreaterThan(10);
      expect(() => nextStatusChange([window], at("2026-06-01T12:00:00Z"))).toThrow(InvalidInclusionWindowError);
    });
  });

  it("every day of 2026 and 2028, a one-day window is open exactly from its midnight to the next", () => {
    for (const year of [2026, 2028]) {
      let date = `${year}-01-01`;
      let days = 0;
      while (date.startsWith(String(year))) {
        const window = w(date, date);
        const start = startOfOsloDay(date);
        const next = startOfOsloDay(addCalendarDays(date, 1));
        expect(siteStatus(window, new Date(start.getTime() - 1)), `${date} 1 ms before`).toBe("planned");
        expect(siteStatus(window, start), `${date} start`).toBe("open");
        expect(siteStatus(window, new Date(next.getTime() - 1)), `${date} last ms`).toBe("open");
        expect(siteStatus(window, next), `${date} next day`).toBe("closed");
        date = addCalendarDays(date, 1);
        days++;
      }
      expect(days).toBe(year === 2028 ? 366 : 365);
    }
  });
});

describe("study status from its sites", () => {
  const now = at("2026-06-01T10:00:00Z");
  const open = w("2026-01-01", "2026-12-31");
  const planned = w("2026-09-01", "2026-12-31");
  const closed = w("2025-01-01", "2025-12-31");
  const paused = w("2026-01-01", "2026-12-31", true);
  it.each([
    ["no sites", [], "no_sites"],
    ["only withdrawn sites", [{ ...open, withdrawn: true }], "no_sites"],
    ["one open", [open], "open"],
    ["open beats everything", [closed, planned, paused, open], "open"],
    ["paused beats planned and closed", [closed, planned, paused], "paused"],
    ["planned beats closed", [closed, planned], "planned"],
    ["all closed", [closed, closed], "closed"],
    ["an open but withdrawn site does not count", [closed, { ...open, withdrawn: true }], "closed"],
    ["only paused", [paused], "paused"],
  ] as const)("%s → %s", (_case, sites, expected) => {
    expect(studyStatus([...sites], now)).toBe(expected);
  });
});

describe("days until close / open", () => {
  it.each([
    ["last day", w("2026-01-01", "2026-06-01"), "2026-06-01T21:59:59.999Z", 0],
    ["day before the last", w("2026-01-01", "2026-06-02"), "2026-06-01T10:00:00Z", 1],
    ["across 29 February", w("2028-01-01", "2028-03-01"), "2028-02-27T12:00:00Z", 3],
    ["30 days", w("2026-01-01", "2026-07-01"), "2026-06-01T10:00:00Z", 30],
    ["open-ended", w("2026-01-01", null), "2026-06-01T10:00:00Z", null],
    ["closed", w("2026-01-01", "2026-02-01"), "2026-06-01T10:00:00Z", null],
    ["planned", w("2026-07-01", "2026-08-01"), "2026-06-01T10:00:00Z", null],
    ["paused", w("2026-01-01", "2026-08-01", true), "2026-06-01T10:00:00Z", null],
  ] as const)("close: %s", (_case, window, instant, expected) => {
    expect(daysUntilClose(window, at(instant))).toBe(expected);
  });

  it.each([
    ["tomorrow", w("2026-06-02", null), "2026-06-01T21:59:59.999Z", 1],
    ["on the opening day itself it is open, not planned", w("2026-06-02", null), "2026-06-01T22:00:00.000Z", null],
    ["in 30 days", w("2026-07-01", null), "2026-06-01T10:00:00Z", 30],
    ["no start date", w(null, null), "2026-06-01T10:00:00Z", null],
    ["already open", w("2026-01-01", null), "2026-06-01T10:00:00Z", null],
  ] as const)("open: %s", (_case, window, instant, expected) => {
    expect(daysUntilOpen(window, at(instant))).toBe(expected);
  });
});

describe("next instant a status changes", () => {
  it("lists a site's transitions: its first midnight and the midnight after its last day", () => {
    expect(statusTransitions(w("2026-03-29", "2026-10-25")).map((d) => d.toISOString())).toEqual([
      "2026-03-28T23:00:00.000Z",
      "2026-10-25T23:00:00.000Z",
    ]);
    expect(statusTransitions(w(null, null))).toEqual([]);
  });

  it.each([
    ["planned site: its opening", [w("2026-07-01", "2026-08-31")], "2026-06-01T10:00:00Z", "2026-06-30T22:00:00.000Z"],
    ["open site: its closing", [w("2026-01-01", "2026-08-31")], "2026-06-01T10:00:00Z", "2026-08-31T22:00:00.000Z"],
    ["open site closing in winter", [w("2026-01-01", "2026-11-30")], "2026-06-01T10:00:00Z", "2026-11-30T23:00:00.000Z"],
    ["open-ended open site: nothing", [w("2026-01-01", null)], "2026-06-01T10:00:00Z", null],
    ["open-ended planned site: only its start", [w("2026-07-01", null)], "2026-06-01T10:00:00Z", "2026-06-30T22:00:00.000Z"],
    ["closed site: nothing", [w("2025-01-01", "2025-12-31")], "2026-06-01T10:00:00Z", null],
    ["no dates: nothing", [w(null, null)], "2026-06-01T10:00:00Z", null],
    [
      "earliest of several sites",
      [w("2026-09-01", "2026-12-31"), w("2026-01-01", "2026-07-14"), w("2026-06-20", "2027-01-01")],
      "2026-06-01T10:00:00Z",
      "2026-06-19T22:00:00.000Z",
    ],
    ["exactly at a transition: the following one", [w("2026-07-01", "2026-08-31")], "2026-06-30T22:00:00.000Z", "2026-08-31T22:00:00.000Z"],
    ["1 ms before a transition: that one", [w("2026-07-01", "2026-08-31")], "2026-06-30T21:59:59.999Z", "2026-06-30T22:00:00.000Z"],
    ["withdrawn sites are ignored", [w("2026-06-05", null, false, true), w("2026-01-01", "2026-08-31")], "2026-06-01T10:00:00Z", "2026-08-31T22:00:00.000Z"],
    ["a paused site's opening changes nothing, its closing does", [w("2026-07-01", "2026-08-31", true)], "2026-06-01T10:00:00Z", "2026-08-31T22:00:00.000Z"],
    ["spring-forward closing", [w("2026-01-01", "2026-03-28")], "2026-02-01T10:00:00Z", "2026-03-28T23:00:00.000Z"],
    ["fall-back opening", [w("2026-10-25", null)], "2026-10-01T10:00:00Z", "2026-10-24T22:00:00.000Z"],
  ] as const)("%s", (_case, sites, instant, expected) => {
    const next = nextStatusChange([...sites], at(instant));
    expect(next?.toISOString() ?? null).toBe(expected);
  });

  it("status really changes at the reported instant and not before", () => {
    const sites = [w("2026-03-29", "2026-10-25"), w("2026-05-01", "2026-05-31", true), w(null, "2026-12-01")];
    let now = at("2026-01-01T00:00:00Z");
    let steps = 0;
    for (let next = nextStatusChange(sites, now); next; next = nextStatusChange(sites, now)) {
      const before = sites.map((s) => siteStatus(s, new Date(next!.getTime() - 1)));
      const after = sites.map((s) => siteStatus(s, next!));
      expect(after, `at ${next.toISOString()}`).not.toEqual(before);
      // Nothing changes between now and just before the reported instant.
      expect(sites.map((s) => siteStatus(s, now))).toEqual(before);
      now = next;
      steps++;
    }
    expect(steps).toBe(4); // opens 29 Mar, paused site closes 1 Jun, window closes 26 Oct, last closes 2 Dec
  });
});
