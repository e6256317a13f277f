/**
 * Freshness as a national figure (issue 18 item 3): per region and health trust, the share of
 * open sites confirmed within the soft limit and the median age of their confirmations — pure
 * (app/domain/statistics.ts), and the page's tables in three languages (app/views/statistics.ts).
 */
import { describe, expect, it } from "vitest";
import { freshnessByOrganisation, freshnessByRegion, median, type StatisticsFacts } from "#app/domain/statistics";
import { freshnessTables, tableCsvRows } from "#app/views/statistics";

const now = new Date("2026-12-07T11:00:00Z");
const facts = (sites: StatisticsFacts["sites"]): StatisticsFacts => ({
  studies: [...new Set(sites.map((s) => s.studyId))].map((id) => ({
    id,
    phase: null,
    isDemo: false,
    publishedAt: null,
    firstPostedOn: null,
    categories: [],
  })),
  sites,
  regions: [
    { id: "vest", name: "Helse Vest RHF" },
    { id: "nord", name: "Helse Nord RHF" },
  ],
  organisations: [
    { id: "bergen", name: "Helse Bergen HF", regionId: "vest" },
    { id: "stavanger", name: "Helse Stavanger HF", regionId: "vest" },
    { id: "unn", name: "UNN HF", regionId: "nord" },
  ],
  categories: [],
});
const site = (studyId: number, organisationId: string, regionId: string, extra: object = {}) => ({
  studyId,
  organisationId,
  regionId,
  inclusionStart: "2026-01-01",
  inclusionEnd: null,
  paused: false,
  confirmedOn: "2026-11-07",
  ...extra,
});

describe("median", () => {
  it.each([
    [[], null],
    [[5], 5],
    [[9, 1, 5], 5],
    [[1, 2, 3, 10], 2.5],
  ])("median(%j) = %j", (values, expected) => expect(median(values)).toBe(expected));
});

describe("freshnessByRegion / freshnessByOrganisation", () => {
  const data = facts([
    site(1, "bergen", "vest"), // confirmed 30 days ago
    site(2, "bergen", "vest", { confirmedOn: "2026-06-06" }), // overdue today (184 days)
    site(3, "stavanger", "vest", { confirmedOn: "2025-11-01" }), // lapsed: not open by the rule, still counted here
    site(4, "stavanger", "vest", { inclusionEnd: "2026-12-01", confirmedOn: "2020-01-01" }), // closed: not counted
    site(5, "stavanger", "vest", { inclusionStart: "2027-01-01" }), // planned: not counted
    site(6, "bergen", "vest", { confirmedOn: null }), // open, no record: counted, not confirmed, no age
    site(7, "unn", "nord", { paused: true }), // paused: not open
  ]);

  it("counts open sites before the limits, the confirmed share and the median age per region", () => {
    const table = freshnessByRegion(data, now);
    expect(table.rows.map((r) => [r.label, r.open, r.confirmed, r.share, r.medianAgeDays])).toEqual([
      ["Helse Nord RHF", 0, 0, null, null],
      ["Helse Vest RHF", 4, 1, 0.25, 184],
    ]);
    // Ages 30, 184 and 401 days: median 184.
    expect(table.total).toMatchObject({ key: "total", open: 4, confirmed: 1, share: 0.25, medianAgeDays: 184 });
  });

  it("per health trust, leaving out trusts with no open site", () => {
    const rows = freshnessByOrganisation(data, now).rows;
    expect(rows.map((r) => [r.key, r.open, r.confirmed, r.medianAgeDays])).toEqual([
      ["bergen", 3, 1, 107],
      ["stavanger", 1, 0, 401],
    ]);
  });

  it("moves with time alone: the same facts a day before the soft limit count as confirmed", () => {
    const before = freshnessByRegion(
      facts([site(2, "bergen", "vest", { confirmedOn: "2026-06-06" })]),
      new Date("2026-12-06T11:00:00Z"),
    );
    expect(before.total).toMatchObject({ open: 1, confirmed: 1, share: 1, medianAgeDays: 183 });
  });
});

describe("freshness tables (page and CSV)", () => {
  it.each([
    ["nb", "Bekreftede studiesteder etter region", "Andel bekreftet (%)", "Hele landet"],
    ["nn", "Stadfesta studiestader etter region", "Del stadfesta (%)", "Heile landet"],
    ["en", "Confirmed sites by region", "Share confirmed (%)", "All of Norway"],
  ] as const)("%s", (lang, title, shareColumn, country) => {
    const [byRegion, byTrust] = freshnessTables(
      facts([site(1, "bergen", "vest"), site(2, "unn", "nord", { confirmedOn: "2026-01-01" })]),
      now,
      lang,
    );
    expect(byRegion!.id).toBe("bekreftelse-region");
    expect(byTrust!.id).toBe("bekreftelse-organisasjon");
    expect(byRegion!.title).toBe(title);
    expect(byRegion!.columns[3]).toBe(shareColumn);
    expect(tableCsvRows(byRegion!)).toEqual([
      byRegion!.columns,
      ["Helse Nord RHF", 1, 0, 0, 340],
      ["Helse Vest RHF", 1, 1, 100, 30],
      [country, 2, 1, 50, 185],
    ]);
  });
});
