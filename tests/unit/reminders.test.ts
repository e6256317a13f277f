/**
 * What needs a person (app/domain/reminders.ts, ADR 0020): table-tested at the edges of each
 * rule, in Oslo calendar days, with the default limits (soft 6 months, hard 12).
 */
import { describe, expect, it } from "vitest";
import { remindersFor, reminderPath, type ReminderSiteInput } from "#app/domain/reminders";

const now = new Date("2026-12-07T11:00:00Z");
const site = (extra: Partial<ReminderSiteInput>): ReminderSiteInput => ({
  studyId: 1,
  studyTitle: "Studie",
  siteKey: "ous/",
  siteName: "OUS",
  organisationId: "ous",
  inclusionStart: "2026-01-01",
  inclusionEnd: null,
  paused: false,
  confirmedOn: "2026-11-01",
  ...extra,
});
const kinds = (s: Partial<ReminderSiteInput>) => remindersFor({ sites: [site(s)], holds: [] }, now).map((r) => r.kind);

describe("remindersFor", () => {
  it.each([
    // [case, site, kinds]
    ["confirmed recently: nothing", {}, []],
    ["soft limit passed today (confirmed 6 months + 1 day ago)", { confirmedOn: "2026-06-06" }, ["confirm-overdue"]],
    ["soft limit tomorrow: confirm soon", { confirmedOn: "2026-06-07" }, ["confirm-soon"]],
    ["soft limit in exactly 14 days: confirm soon", { confirmedOn: "2026-06-20" }, ["confirm-soon"]],
    ["soft limit in 15 days: nothing yet", { confirmedOn: "2026-06-21" }, []],
    [
      "past the hard limit (no longer counted as open): still to confirm",
      { confirmedOn: "2025-12-01" },
      ["confirm-overdue"],
    ],
    [
      "planned sites need confirming too",
      { inclusionStart: "2027-03-01", confirmedOn: "2026-05-01" },
      ["confirm-overdue"],
    ],
    ["a closed site needs no confirmation", { inclusionEnd: "2026-12-06", confirmedOn: "2025-01-01" }, []],
    ["no confirmation record: the limits do not apply", { confirmedOn: null }, []],
    ["withdrawn: nothing", { withdrawn: true, confirmedOn: "2025-01-01" }, []],
    ["end date today: ends soon", { inclusionEnd: "2026-12-07" }, ["end-soon"]],
    ["end date in 30 days: ends soon", { inclusionEnd: "2027-01-06" }, ["end-soon"]],
    ["end date in 31 days: nothing", { inclusionEnd: "2027-01-07" }, []],
    ["paused site ending soon: not open, so no end reminder", { inclusionEnd: "2026-12-20", paused: true }, []],
    [
      "declared open after the source's expected end: to close",
      {
        inclusionStart: null,
        declared: { status: "recruiting", text: "Rekrutterer", on: "2026-11-01", by: "Helse Nord" },
        expectedEnd: "2026-12-06",
      },
      ["ended-open"],
    ],
    [
      "declared open, expected end today: nothing",
      {
        inclusionStart: null,
        declared: { status: "recruiting", text: "Rekrutterer", on: "2026-11-01", by: "Helse Nord" },
        expectedEnd: "2026-12-07",
      },
      [],
    ],
    [
      "overdue and ending soon: both",
      { confirmedOn: "2026-06-01", inclusionEnd: "2026-12-31" },
      ["confirm-overdue", "end-soon"],
    ],
  ] as [string, Partial<ReminderSiteInput>, string[]][])("%s", (_name, s, expected) => {
    expect(kinds(s)).toEqual(expected);
  });

  it("dates each reminder and counts the days to it", () => {
    const [overdue] = remindersFor({ sites: [site({ confirmedOn: "2026-06-01" })], holds: [] }, now);
    expect(overdue).toMatchObject({ kind: "confirm-overdue", due: "2026-12-02", days: -5, confirmedOn: "2026-06-01" });
    const [soon] = remindersFor({ sites: [site({ inclusionEnd: "2026-12-17" })], holds: [] }, now);
    expect(soon).toMatchObject({ kind: "end-soon", due: "2026-12-17", days: 10 });
  });

  it("lists held records and orders everything most pressing first", () => {
    const list = remindersFor(
      {
        sites: [
          site({ studyId: 3, confirmedOn: "2026-06-15" }), // confirm soon
          site({ studyId: 2, inclusionEnd: "2026-12-20" }), // ends soon
          site({ studyId: 5, confirmedOn: "2026-05-01" }), // overdue since 2026-11-02
          site({ studyId: 4, confirmedOn: "2026-06-02" }), // overdue since 2026-12-03
        ],
        holds: [
          { studyId: 9, studyTitle: "Test", heldAt: "2026-11-30T23:30:00Z", reasons: ["ser ut som en testpost"] },
        ],
      },
      now,
    );
    expect(list.map((r) => [r.kind, r.studyId])).toEqual([
      ["confirm-overdue", 5],
      ["confirm-overdue", 4],
      ["held", 9],
      ["end-soon", 2],
      ["confirm-soon", 3],
    ]);
    // Held at 23:30 UTC on 30 November is 1 December in Oslo.
    expect(list[2]).toMatchObject({ due: "2026-12-01", reasons: ["ser ut som en testpost"], siteKey: null });
  });

  it("links to the exact place to act", () => {
    expect(reminderPath({ kind: "confirm-overdue", studyId: 7, siteKey: "ous/rikshospitalet" })).toBe(
      "/forsker/studier/7#sted-ous%2Frikshospitalet",
    );
    expect(reminderPath({ kind: "held", studyId: 7, siteKey: null })).toBe("/redaksjon/studier/7");
  });
});
