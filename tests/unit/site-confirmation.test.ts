/**
 * Site confirmations (ADR 0019): a site not confirmed for longer than the soft limit reads "ikke
 * bekreftet siden …" (still counted); past the hard limit a status that could still change reads
 * unknown and is not open — table-tested at the edges, in Oslo days, with the search engines'
 * instants checked against the same rule at every transition.
 */
import { afterEach, describe, expect, it } from "vitest";
import { ENGINE_STATUS } from "#app/domain/window-status";
import { addCalendarMonths } from "#app/domain/calendar-date";
import {
  configureStatusPolicy,
  DEFAULT_CONFIRMATION_HARD_MONTHS,
  DEFAULT_CONFIRMATION_SOFT_MONTHS,
  DEFAULT_DECLARED_MAX_AGE_DAYS,
  nextStatusChange,
  searchWindow,
  siteState,
  statusTransitions,
  studyStatus,
  type InclusionWindow,
} from "#app/domain/inclusion-status";
import { siteConfirmationText, siteStatusText, studyStatusText } from "#app/views/status-text";
import { documentStatus } from "#app/search/document-mapper";

const noon = (date: string) => new Date(`${date}T11:00:00Z`);
const site = (extra: Partial<InclusionWindow>): InclusionWindow => ({
  inclusionStart: null,
  inclusionEnd: null,
  paused: false,
  ...extra,
});
const recruiting = { status: "recruiting" as const, text: "Åpen for rekruttering", on: "2026-05-01", by: "Helse Nord" };

afterEach(() =>
  configureStatusPolicy({
    declaredMaxAgeDays: DEFAULT_DECLARED_MAX_AGE_DAYS,
    confirmationSoftMonths: DEFAULT_CONFIRMATION_SOFT_MONTHS,
    confirmationHardMonths: DEFAULT_CONFIRMATION_HARD_MONTHS,
  }),
);

describe("addCalendarMonths", () => {
  it.each([
    ["2026-05-12", 6, "2026-11-12"],
    ["2026-08-31", 6, "2027-02-28"],
    ["2027-08-31", 6, "2028-02-29"],
    ["2026-11-30", 12, "2027-11-30"],
    ["2026-12-15", 1, "2027-01-15"],
  ] as const)("%s + %i months = %s", (from, months, to) => expect(addCalendarMonths(from, months)).toBe(to));
});

describe("siteState with a confirmation date (defaults: soft 6, hard 12 months)", () => {
  it.each([
    // [what, site, day, status, basis, confirmation]
    [
      "dates, confirmed today",
      site({ inclusionStart: "2026-01-01", confirmedOn: "2026-05-12" }),
      "2026-05-12",
      "open",
      "dates",
      "confirmed",
    ],
    [
      "dates, exactly 6 months: still confirmed",
      site({ inclusionStart: "2026-01-01", confirmedOn: "2026-05-12" }),
      "2026-11-12",
      "open",
      "dates",
      "confirmed",
    ],
    [
      "dates, 6 months + 1 day: overdue, still open",
      site({ inclusionStart: "2026-01-01", confirmedOn: "2026-05-12" }),
      "2026-11-13",
      "open",
      "dates",
      "overdue",
    ],
    [
      "dates, exactly 12 months: overdue, still open",
      site({ inclusionStart: "2026-01-01", confirmedOn: "2026-05-12" }),
      "2027-05-12",
      "open",
      "dates",
      "overdue",
    ],
    [
      "dates, 12 months + 1 day: lapsed, unknown",
      site({ inclusionStart: "2026-01-01", confirmedOn: "2026-05-12" }),
      "2027-05-13",
      "unknown",
      "unknown",
      "lapsed",
    ],
    [
      "planned by dates, lapsed: unknown too",
      site({ inclusionStart: "2028-01-01", confirmedOn: "2026-05-12" }),
      "2027-06-01",
      "unknown",
      "unknown",
      "lapsed",
    ],
    [
      "paused, lapsed: unknown",
      site({ inclusionStart: "2026-01-01", paused: true, confirmedOn: "2026-05-12" }),
      "2027-06-01",
      "unknown",
      "unknown",
      "lapsed",
    ],
    [
      "closed by its end date: closed stays closed",
      site({ inclusionStart: "2026-01-01", inclusionEnd: "2026-06-30", confirmedOn: "2026-05-12" }),
      "2027-06-01",
      "closed",
      "dates",
      null,
    ],
    [
      "declared open, confirmed by the feed: open",
      site({ declared: recruiting, confirmedOn: "2026-05-12" }),
      "2026-10-01",
      "open",
      "declared",
      "confirmed",
    ],
    [
      "declared open, lapsed: unknown",
      site({ declared: recruiting, confirmedOn: "2026-05-01" }),
      "2027-05-02",
      "unknown",
      "unknown",
      "lapsed",
    ],
    [
      "declared completed: closed, no confirmation needed",
      site({ declared: { ...recruiting, status: "completed", text: "Avsluttet" }, confirmedOn: "2020-01-01" }),
      "2027-05-02",
      "closed",
      "declared",
      null,
    ],
    ["no record: the limits do not apply", site({ inclusionStart: "2020-01-01" }), "2030-01-01", "open", "dates", null],
  ] as const)("%s", (_what, s, day, status, basis, confirmation) => {
    const state = siteState(s, noon(day));
    expect({ status: state.status, basis: state.basis, confirmation: state.confirmation }).toEqual({
      status,
      basis,
      confirmation,
    });
  });

  it("counts in Oslo days: lapsed from Oslo midnight (23:00Z the day before in winter)", () => {
    const s = site({ inclusionStart: "2025-01-01", confirmedOn: "2025-12-06" });
    expect(siteState(s, new Date("2026-12-06T22:59:59Z")).status).toBe("open");
    expect(siteState(s, new Date("2026-12-06T23:00:00Z")).status).toBe("unknown");
  });

  it("a study with one lapsed and one confirmed open site is open; with only lapsed ones it is not", () => {
    const lapsed = site({ inclusionStart: "2025-01-01", confirmedOn: "2025-01-01" });
    const fresh = site({ inclusionStart: "2025-01-01", confirmedOn: "2026-11-01" });
    expect(studyStatus([lapsed, fresh], noon("2026-12-07"))).toBe("open");
    expect(studyStatus([lapsed], noon("2026-12-07"))).toBe("unknown");
  });

  it("the limits are the deployment's, and soft must not exceed hard", () => {
    configureStatusPolicy({ confirmationSoftMonths: 1, confirmationHardMonths: 2 });
    const s = site({ inclusionStart: "2026-01-01", confirmedOn: "2026-09-01" });
    expect(siteState(s, noon("2026-10-02")).confirmation).toBe("overdue");
    expect(siteState(s, noon("2026-11-02")).status).toBe("unknown");
    expect(() => configureStatusPolicy({ confirmationSoftMonths: 13, confirmationHardMonths: 12 })).toThrow(RangeError);
    expect(() => configureStatusPolicy({ confirmationHardMonths: 0 })).toThrow(RangeError);
  });

  it("the lapse is a status change: nextStatusChange and statusTransitions name its instant", () => {
    const s = site({ inclusionStart: "2025-01-01", confirmedOn: "2025-12-06" });
    expect(nextStatusChange([s], noon("2026-12-01"))?.toISOString()).toBe("2026-12-06T23:00:00.000Z");
    expect(statusTransitions(s).map((d) => d.toISOString())).toContain("2026-12-06T23:00:00.000Z");
  });
});

describe("in words, nb, nn and en", () => {
  const overdue = site({ inclusionStart: "2026-01-01", confirmedOn: "2026-05-12" });
  it.each([
    ["nb", "ikke bekreftet siden 12. mai 2026"],
    ["nn", "ikkje stadfesta sidan 12. mai 2026"],
    ["en", "not confirmed since 12 May 2026"],
  ] as const)("%s: overdue says since when", (lang, words) => {
    expect(siteStatusText(overdue, noon("2026-12-01"), lang)).toContain(words);
  });
  it("lapsed: unknown and since when, for the site and the study", () => {
    expect(siteStatusText(overdue, noon("2027-06-01"))).toBe(
      "Status ukjent – må bekreftes (ikke bekreftet siden 12. mai 2026)",
    );
    expect(studyStatusText([overdue], noon("2027-06-01")).text).toContain("ikke bekreftet siden 12. mai 2026");
  });
  it("confirmed within the limit says nothing extra", () => {
    expect(siteStatusText(overdue, noon("2026-06-01"))).not.toContain("bekreftet");
  });
  it.each([
    ["nb", "user", "Sist bekreftet 12. november 2026"],
    ["nn", "feed", "Sist stadfesta 12. november 2026"],
    ["en", "user", "Last confirmed 12 November 2026"],
    ["nb", "backfill", "Sist endret 12. november 2026 (ikke bekreftet etter det)"],
  ] as const)("%s %s: %s", (lang, byKind, words) => {
    expect(siteConfirmationText({ on: "2026-11-12", byKind }, lang)).toBe(words);
  });
});

describe("the engines' instants agree with siteState around every transition", () => {
  const ENGINE: Record<string, string> = ENGINE_STATUS;
  const sites: InclusionWindow[] = [];
  for (const confirmedOn of ["2025-03-30", "2025-10-26", "2026-08-31"]) {
    sites.push(
      site({ inclusionStart: "2025-01-01", confirmedOn }),
      site({ inclusionStart: "2025-01-01", inclusionEnd: "2026-06-30", confirmedOn }),
      site({ inclusionStart: "2027-06-01", confirmedOn }),
      site({ inclusionStart: "2025-01-01", paused: true, confirmedOn }),
      site({ confirmedOn }),
      site({ declared: { ...recruiting, on: "2025-03-01" }, confirmedOn }),
      site({ declared: { ...recruiting, status: "invitation_only", on: "2025-03-01" }, confirmedOn }),
      site({ declared: { ...recruiting, status: "completed", on: "2025-03-01" }, confirmedOn }),
    );
  }
  it.each(sites.map((s, i) => [i, s] as const))("site %i", (_i, s) => {
    const w = searchWindow(s);
    const instants = new Set<number>([Date.parse("2020-01-01T00:00:00Z"), Date.parse("2030-01-01T00:00:00Z")]);
    for (const t of statusTransitions(s)) for (const d of [-1, 0, 1]) instants.add(t.getTime() + d);
    for (const t of instants) {
      const now = new Date(t);
      expect(documentStatus({ ...w, siteId: 1 }, t), `${now.toISOString()} ${JSON.stringify(s)}`).toBe(
        ENGINE[siteState(s, now).status],
      );
    }
  });
});
