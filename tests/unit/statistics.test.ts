/**
 * National statistics, pure: counting (app/domain/statistics.ts), the page's tables
 * (app/views/statistics.ts), Excel CSV (app/views/excel-csv.ts) and the chart axes.
 */
import { describe, expect, it } from "vitest";
import {
  addMonths,
  firstPublished,
  firstPublishedBases,
  monthRange,
  monthsSinceFirstPublished,
  newStudiesPerMonth,
  parseDemoParam,
  sitesOpenPerMonth,
  statusByRegion,
  type StatisticsFacts,
  withoutDemo,
} from "#app/domain/statistics";
import { excelCsv, excelCsvCell } from "#app/views/excel-csv";
import { niceScale } from "#app/views/chart-scale";
import { monthLabel, statisticsView, tableCsvRows } from "#app/views/statistics";

const facts = (over: Partial<StatisticsFacts> = {}): StatisticsFacts => ({
  studies: [],
  sites: [],
  regions: [
    { id: "r1", name: "Helse Vest RHF" },
    { id: "r2", name: "Helse Sør-Øst RHF" },
  ],
  organisations: [
    { id: "a", name: "Ålesund", regionId: "r1" },
    { id: "b", name: "Bergen", regionId: "r1" },
    { id: "c", name: "Oslo", regionId: "r2" },
  ],
  categories: [{ id: "cancer", name: "Kreft" }],
  ...over,
});
const study = (id: number, over: Partial<StatisticsFacts["studies"][number]> = {}) => ({
  id,
  phase: null,
  isDemo: false,
  publishedAt: null,
  firstPostedOn: null,
  categories: [],
  ...over,
});
const site = (
  studyId: number,
  organisationId: string,
  regionId: string,
  inclusionStart: string | null,
  inclusionEnd: string | null,
  paused = false,
) => ({
  studyId,
  organisationId,
  regionId,
  inclusionStart,
  inclusionEnd,
  paused,
});

describe("months", () => {
  it("adds months across years and knows each month's last day", () => {
    expect(addMonths("2026-01", -1)).toBe("2025-12");
    expect(addMonths("2026-12", 1)).toBe("2027-01");
    expect(addMonths("2026-06", -24)).toBe("2024-06");
    expect(monthRange("2028-02")).toEqual({ first: "2028-02-01", last: "2028-02-29" });
    expect(monthRange("2027-02").last).toBe("2027-02-28");
    expect(monthLabel("2026-01")).toBe("januar 2026");
  });

  it("counts a site in every month its window touches, the current month taken in Oslo", () => {
    const f = facts({
      studies: [study(1)],
      sites: [
        site(1, "a", "r1", "2026-01-31", "2026-03-01"),
        site(1, "b", "r1", "2026-05-01", null),
        site(1, "c", "r2", null, null),
      ],
    });
    // 2026-05-31T22:30Z is already 1 June in Oslo (UTC+2): the current month is June.
    const months = sitesOpenPerMonth(f, new Date("2026-05-31T22:30:00Z"), 6, 2);
    expect(months.map((m) => [m.month, m.count, m.when])).toEqual([
      ["2025-12", 0, "past"],
      ["2026-01", 1, "past"],
      ["2026-02", 1, "past"],
      ["2026-03", 1, "past"],
      ["2026-04", 0, "past"],
      ["2026-05", 1, "past"],
      ["2026-06", 1, "current"],
      ["2026-07", 1, "future"],
      ["2026-08", 1, "future"],
    ]);
  });

  it("puts a study in the Oslo month it was first published", () => {
    const f = facts({
      studies: [
        study(1, { publishedAt: "2026-04-30T21:59:59.000Z" }),
        study(2, { publishedAt: "2026-04-30T22:00:00.000Z" }),
        study(3),
      ],
    });
    const months = newStudiesPerMonth(f, new Date("2026-05-10T12:00:00Z"), 2);
    expect(months.map((m) => [m.month, m.count])).toEqual([
      ["2026-03", 0],
      ["2026-04", 1],
      ["2026-05", 1],
    ]);
  });

  it.each([
    // [source's first posted day, portal's first publication, counted on, basis]
    ["2019-03-14", "2026-05-09T10:00:00Z", "2019-03-14", "source"],
    [null, "2026-05-09T10:00:00Z", "2026-05-09", "portal"],
    [null, "2026-04-30T22:30:00Z", "2026-05-01", "portal"], // Oslo day, not UTC
    ["2026-04-30", null, "2026-04-30", "source"],
    [null, null, null, null],
  ] as const)(
    "counts a study first posted %s and published %s on %s by the %s's date",
    (posted, published, on, basis) => {
      const s = study(1, { firstPostedOn: posted, publishedAt: published });
      expect(firstPublished(s)).toEqual(on ? { date: on, basis } : null);
    },
  );

  it("counts a registry study first posted in 2019 and imported today in 2019, not in the month of import", () => {
    const now = new Date("2026-05-10T12:00:00Z");
    const f = facts({
      studies: [
        study(1, { firstPostedOn: "2019-03-14", publishedAt: "2026-05-09T10:00:00Z" }),
        study(2, { firstPostedOn: "2026-04-02", publishedAt: "2026-05-09T10:00:00Z" }),
        study(3, { publishedAt: "2026-05-09T10:00:00Z" }),
      ],
    });
    const last = newStudiesPerMonth(f, now, 2);
    expect(last.map((m) => [m.month, m.count, m.bySource, m.byPortal])).toEqual([
      ["2026-03", 0, 0, 0],
      ["2026-04", 1, 1, 0],
      ["2026-05", 1, 0, 1],
    ]);
    expect(firstPublishedBases(f)).toEqual({ source: 2, portal: 1 });
    // All months back to the first: 2019-03 … 2026-05.
    expect(monthsSinceFirstPublished(f, now)).toBe(7 * 12 + 2);
    const all = newStudiesPerMonth(f, now, monthsSinceFirstPublished(f, now));
    expect(all[0]).toEqual({ month: "2019-03", count: 1, bySource: 1, byPortal: 0, when: "past" });
    expect(all.reduce((n, m) => n + m.count, 0)).toBe(3);
    expect(monthsSinceFirstPublished(facts(), now)).toBe(0);
  });

  it("says in the table and its CSV which date each month's count rests on, in three languages", () => {
    const now = new Date("2026-05-10T12:00:00Z");
    const f = facts({
      studies: [
        study(1, { firstPostedOn: "2026-04-02", publishedAt: "2026-05-09T10:00:00Z" }),
        study(2, { publishedAt: "2026-05-09T10:00:00Z" }),
        study(3, { firstPostedOn: "2010-01-01", publishedAt: "2026-05-09T10:00:00Z" }),
      ],
    });
    const table = (lang: "nb" | "nn" | "en") =>
      statisticsView(f, now, lang).sections.find((s) => s.table.id === "nye-studier-per-maned")!.table;
    const nb = table("nb");
    expect(nb.columns).toEqual(["Måned", "Nye studier", "Etter kildens dato", "Etter portalens dato"]);
    expect(nb.rows.at(-2)).toEqual(["april 2026", 1, 1, 0]);
    expect(nb.rows.at(-1)).toEqual(["mai 2026 (denne måneden)", 1, 0, 1]);
    expect(nb.explanation).toContain(
      "Telt etter kildens første publisering: 2; uten slik dato i kilden, telt etter portalens: 1.",
    );
    expect(tableCsvRows(nb)[0]).toEqual(nb.columns);
    expect(table("nn").columns.slice(2)).toEqual(["Etter datoen i kjelda", "Etter datoen i portalen"]);
    expect(table("en").columns.slice(2)).toEqual(["By the source's date", "By the portal's date"]);
    expect(table("en").explanation).toContain("Counted by the source's first publication: 2;");
  });
});

describe("status by region", () => {
  it("counts a multi-centre study in each region with the status of its sites there", () => {
    const f = facts({
      studies: [study(1), study(2)],
      sites: [
        site(1, "a", "r1", "2026-01-01", "2026-12-31"),
        site(1, "c", "r2", "2027-01-01", "2027-12-31"),
        site(2, "a", "r1", "2025-01-01", "2025-12-31"),
        site(2, "b", "r1", "2026-01-01", "2026-12-31", true),
      ],
    });
    const t = statusByRegion(f, new Date("2026-06-01T10:00:00Z"));
    expect(
      t.rows.map((r) => [r.label, r.counts.open, r.counts.planned, r.counts.paused, r.counts.closed, r.total]),
    ).toEqual([
      ["Helse Sør-Øst RHF", 0, 1, 0, 0, 1],
      ["Helse Vest RHF", 1, 0, 1, 0, 2],
    ]);
    // Nationally each study once, with its best status over all sites.
    expect(t.total.counts).toMatchObject({ open: 1, paused: 1, planned: 0, closed: 0 });
    expect(t.total.total).toBe(2);
  });
});

describe("tables and CSV", () => {
  it("writes the page's table as semicolon CSV with a BOM, CRLF and the national row", () => {
    const f = facts({
      studies: [study(1, { categories: ["cancer"], phase: "phase_2" })],
      sites: [site(1, "a", "r1", "2026-01-01", null)],
    });
    const view = statisticsView(f, new Date("2026-06-01T10:00:00Z"));
    const region = view.sections.find((s) => s.table.id === "region")!.table;
    const csv = excelCsv(tableCsvRows(region));
    expect(
      csv.startsWith(
        "\uFEFFRegion (RHF);Åpen for inklusjon;Planlagt;Midlertidig stanset;Inklusjon avsluttet;Totalt\r\n",
      ),
    ).toBe(true);
    expect(csv).toContain("\r\nHelse Vest RHF;1;0;0;0;1\r\n");
    expect(csv.endsWith("Hele landet (hver studie én gang);1;0;0;0;1\r\n")).toBe(true);
    expect(view.sections.map((s) => s.table.id)).toEqual([
      "region",
      "organisasjon",
      "kategori",
      "fase",
      "inklusjon-per-maned",
      "nye-studier-per-maned",
    ]);
    // Empty organisations are left out; all phases are shown in their order.
    expect(view.sections[1]!.table.rows.map((r) => r[0])).toEqual(["Ålesund"]);
    expect(view.sections[3]!.table.rows.map((r) => r[0])).toEqual([
      "Tidlig fase 1",
      "Fase 1",
      "Fase 1/2",
      "Fase 2",
      "Fase 2/3",
      "Fase 3",
      "Fase 4",
      "Ikke aktuelt",
    ]);
  });

  it("neutralises formulas and quotes delimiters", () => {
    expect(excelCsvCell('=HYPERLINK("http://evil")')).toBe(`"'=HYPERLINK(""http://evil"")"`);
    expect(excelCsvCell("+47 123")).toBe("'+47 123");
    expect(excelCsvCell("-1")).toBe("'-1");
    expect(excelCsvCell("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(excelCsvCell("\tx")).toBe("'\tx");
    expect(excelCsvCell("a;b")).toBe('"a;b"');
    expect(excelCsvCell("linje\nto")).toBe('"linje\nto"');
    expect(excelCsvCell("Helse Sør-Øst, RHF")).toBe("Helse Sør-Øst, RHF");
    expect(excelCsvCell(-3)).toBe("-3");
    expect(excelCsvCell(null)).toBe("");
  });
});

describe("chart axes", () => {
  it.each([
    [0, 1, [0, 1]],
    [3, 3, [0, 1, 2, 3]],
    [7, 8, [0, 2, 4, 6, 8]],
    [11, 15, [0, 5, 10, 15]],
    [47, 50, [0, 10, 20, 30, 40, 50]],
  ])("max %i → top %i", (max, top, ticks) => {
    expect(niceScale(max)).toMatchObject({ top, ticks });
  });
});

describe("demo studies left out (demodata=nei)", () => {
  const facts: StatisticsFacts = {
    studies: [
      { id: 1, phase: null, isDemo: false, publishedAt: "2026-03-10T10:00:00Z", firstPostedOn: null, categories: [] },
      { id: 2, phase: null, isDemo: true, publishedAt: "2026-03-11T10:00:00Z", firstPostedOn: null, categories: [] },
    ],
    sites: [
      {
        studyId: 1,
        organisationId: "ous",
        regionId: "helse-sor-ost",
        inclusionStart: null,
        inclusionEnd: null,
        paused: false,
      },
      {
        studyId: 2,
        organisationId: "ous",
        regionId: "helse-sor-ost",
        inclusionStart: null,
        inclusionEnd: null,
        paused: false,
      },
    ] as StatisticsFacts["sites"],
    regions: [],
    organisations: [],
    categories: [],
  };
  it("drops the demo studies and their sites, keeps the rest as it is", () => {
    const real = withoutDemo(facts);
    expect(real.studies.map((s) => s.id)).toEqual([1]);
    expect(real.sites.map((s) => s.studyId)).toEqual([1]);
    expect(withoutDemo(real)).toBe(real);
  });
  it.each([
    [null, { ok: true, includeDemo: true }],
    ["", { ok: true, includeDemo: true }],
    ["ja", { ok: true, includeDemo: true }],
    ["nei", { ok: true, includeDemo: false }],
  ] as const)("demodata=%s → %j", (value, expected) => {
    expect(parseDemoParam(value)).toEqual(expected);
  });
  it("any other value is an error that says what the parameter takes", () => {
    const r = parseDemoParam("false");
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(/«false».*demodata=nei/);
  });
});
