/**
 * Dates in words with Intl.DateTimeFormat (app/i18n/date-format.ts, used by the translator in the
 * server and the browser) give exactly what date-fns gave before issue 24, in every language:
 * every day of several years, and instants across both daylight-saving changes in Europe/Oslo.
 */
import { TZDate } from "@date-fns/tz";
import { format } from "date-fns";
import { enGB, nb, nn } from "date-fns/locale";
import { describe, expect, it } from "vitest";
import { formatCalendarDatePattern, formatInstantPattern } from "#app/i18n/date-format";
import { MESSAGES, translator } from "#app/i18n/translate";

const LOCALES = { nb, nn, en: enGB } as const;

function days(fromYear: number, toYear: number): string[] {
  const out: string[] = [];
  for (let t = Date.UTC(fromYear, 0, 1); t < Date.UTC(toYear + 1, 0, 1); t += 86_400_000)
    out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

describe("calendar dates in words", () => {
  it.each(["nb", "nn", "en"] as const)("%s: every day of 2024–2028 as date-fns wrote it", (lang) => {
    const pattern = MESSAGES[lang]["format.date"];
    for (const day of days(2024, 2028)) {
      const [y, m, d] = day.split("-").map(Number) as [number, number, number];
      expect(translator(lang).date(day)).toBe(format(new Date(y, m - 1, d), pattern, { locale: LOCALES[lang] }));
    }
  });

  it("reads the examples the pages show", () => {
    expect(translator("nb").date("2027-03-14")).toBe("14. mars 2027");
    expect(translator("nn").date("2027-05-01")).toBe("1. mai 2027");
    expect(translator("en").date("2027-03-14")).toBe("14 March 2027");
  });

  it("refuses what is no calendar date", () => {
    for (const bad of ["2027-3-14", "14.03.2027", "2027-02-30", "2027-13-01", ""])
      expect(() => translator("nb").date(bad)).toThrow(RangeError);
  });

  it("fills the pattern tokens it knows and keeps quoted text", () => {
    expect(formatCalendarDatePattern("2027-03-04", "dd.MM.yy 'den' d/M yyyy", "nb-NO")).toBe("04.03.27 den 4/3 2027");
  });
});

describe("instants in Europe/Oslo", () => {
  const instants: string[] = [];
  // Every 37 minutes around both daylight-saving changes of 2026, and every 5 h 13 min of 2027.
  for (const [from, to, step] of [
    [Date.UTC(2026, 2, 28, 20), Date.UTC(2026, 2, 29, 6), 37 * 60_000],
    [Date.UTC(2026, 9, 24, 20), Date.UTC(2026, 9, 25, 6), 37 * 60_000],
    [Date.UTC(2027, 0, 1), Date.UTC(2028, 0, 1), 313 * 60_000],
  ] as const)
    for (let t = from; t < to; t += step) instants.push(new Date(t).toISOString());

  it.each(["nb", "nn", "en"] as const)("%s: as date-fns with @date-fns/tz wrote them", (lang) => {
    const pattern = MESSAGES[lang]["format.instant"];
    for (const iso of instants) {
      expect(translator(lang).instant(iso)).toBe(
        format(new TZDate(new Date(iso).getTime(), "Europe/Oslo"), pattern, { locale: LOCALES[lang] }),
      );
    }
  });

  it("shows midnight as 00 and a summer instant an hour later than winter", () => {
    expect(translator("nb").instant("2026-11-22T13:05:00Z")).toBe("22. november 2026 kl. 14:05");
    expect(translator("nb").instant("2026-06-30T22:00:00Z")).toBe("1. juli 2026 kl. 00:00");
    expect(formatInstantPattern(new Date("2026-12-31T23:30:00Z"), "d. MMMM yyyy 'kl.' HH:mm", "nb-NO")).toBe(
      "1. januar 2027 kl. 00:30",
    );
  });

  it("refuses what is no point in time", () => {
    expect(() => translator("nb").instant("not a date")).toThrow(RangeError);
  });
});
