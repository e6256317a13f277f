/**
 * National statistics on a real SQLite file with known studies: exact counts at injected
 * instants (a window opening today, one that closed yesterday, one closing today, a pause, a
 * draft and a study whose only site is withdrawn), the Oslo day boundary, and over HTTP against
 * the built server: every table's CSV equals the table on the page, with Excel's BOM and ";".
 */
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { confirmSiteAsIs } from "#app/models/study.server";
import { statisticsFacts } from "#app/models/statistics.server";
import { ALL_TABLE_IDS, statisticsView, TABLE_IDS } from "#app/views/statistics";
import type { StudyInput } from "#app/domain/study";
import { startServer, type RunningServer } from "../helpers/server";
import { freshDb, type TestDb } from "../helpers/db";
import { saveStudyOrThrow } from "../helpers/studies";

let t: TestDb;
let server: RunningServer;

type SiteIn = { org: string; start: string | null; end: string | null; paused?: boolean; withdrawn?: boolean };
function add(
  n: number,
  over: {
    lead: string;
    state?: StudyInput["publicationState"];
    phase?: StudyInput["phase"];
    categories?: string[];
    sites: SiteIn[];
    publishedAt: string;
  },
) {
  const input: StudyInput = {
    identifiers: { rek: `90000${n}` },
    title: { nb: `Statistikkstudie ${n}` },
    summary: { nb: "En fiktiv studie for å teste statistikken." },
    studyType: "treatment",
    phase: over.phase ?? null,
    categories: over.categories ?? [],
    leadOrganisationId: over.lead,
    sites: over.sites.map((s) => ({
      organisationId: s.org,
      hospitalId: null,
      inclusionStart: s.start,
      inclusionEnd: s.end,
      paused: s.paused ?? false,
      pauseReason: s.paused ? "Midlertidig stans for testen" : null,
      withdrawn: s.withdrawn ?? false,
    })),
    publicationState: over.state ?? "published",
  };
  const r = saveStudyOrThrow(
    t.db,
    input,
    { actor: { kind: "system", name: "test" }, now: new Date(over.publishedAt) },
    `fixture ${n}`,
  );
  // Every hospital confirmed its site's dates on 1 June 2026, so none is past the 12-month
  // confirmation limit "today" (ADR 0019; the limit itself is tested at the end).
  for (const s of over.sites)
    if (!s.withdrawn)
      confirmSiteAsIs(
        t.db,
        r.studyId,
        `${s.org}/`,
        { kind: "user", id: "1", name: "Redaktør" },
        new Date("2026-06-01T08:00:00Z"),
      );
}

beforeAll(async () => {
  t = freshDb();
  // "Today" is 15 June 2026 in Oslo (UTC+2).
  add(1, {
    lead: "ous",
    phase: "phase_3",
    categories: ["cancer"],
    sites: [
      { org: "ous", start: "2026-01-01", end: "2026-12-31" },
      { org: "st-olavs", start: "2026-06-15", end: "2027-01-01" }, // opens today
    ],
    publishedAt: "2026-05-31T22:30:00Z", // 00:30 on 1 June in Oslo
  });
  add(2, {
    lead: "helse-bergen",
    phase: "phase_2",
    categories: ["cancer", "cardiovascular"],
    sites: [
      { org: "helse-bergen", start: "2025-01-01", end: "2026-06-14" }, // closed yesterday
      { org: "ous", start: "2026-06-16", end: null }, // opens tomorrow, open-ended
    ],
    publishedAt: "2026-05-31T21:30:00Z", // 23:30 on 31 May in Oslo
  });
  add(3, {
    lead: "st-olavs",
    sites: [{ org: "st-olavs", start: "2026-01-01", end: "2026-06-15", paused: true }], // closes today, paused
    publishedAt: "2025-06-10T10:00:00Z",
  });
  add(4, {
    lead: "unn",
    phase: "phase_3",
    categories: ["mental-health"],
    sites: [{ org: "unn", start: null, end: null }],
    publishedAt: "2024-05-01T10:00:00Z",
  });
  add(5, {
    lead: "ous",
    state: "draft",
    phase: "phase_3",
    categories: ["cancer"],
    sites: [{ org: "ous", start: "2026-01-01", end: "2026-12-31" }],
    publishedAt: "2026-06-01T10:00:00Z",
  });
  add(6, {
    lead: "ahus",
    sites: [{ org: "ahus", start: "2026-01-01", end: "2026-12-31", withdrawn: true }],
    publishedAt: "2026-06-10T10:00:00Z",
  });
  server = await startServer({ DATABASE_PATH: t.file, SEED_DEMO_DATA: "false" });
});
afterAll(async () => {
  await server?.stop();
  t?.cleanup();
});

const table = (now: string, id: string) =>
  statisticsView(statisticsFacts(t.db), new Date(now)).sections.find((s) => s.table.id === id)!.table;
const TODAY = "2026-06-15T08:00:00Z";

describe("counts on a real database", () => {
  it("by region: each study once per region with its sites there; opening and closing today both count as open", () => {
    const region = table(TODAY, "region");
    expect(region.columns).toEqual([
      "Region (RHF)",
      "Åpen for inklusjon",
      "Planlagt",
      "Midlertidig stanset",
      "Inklusjon avsluttet",
      "Totalt",
    ]);
    expect(region.rows).toEqual([
      ["Helse Midt-Norge RHF", 1, 0, 1, 0, 2],
      ["Helse Nord RHF", 0, 1, 0, 0, 1],
      ["Helse Sør-Øst RHF", 1, 1, 0, 0, 2],
      ["Helse Vest RHF", 0, 0, 0, 1, 1],
    ]);
    // Five published studies (the draft is left out); the withdrawn-only study has no sites.
    expect(region.foot).toEqual(["Hele landet (hver studie én gang)", 1, 2, 1, 0, 5]);
  });

  it("moves exactly at midnight in Oslo: a second before, St. Olavs is planned and Bergen open", () => {
    const before = table("2026-06-14T21:59:59Z", "region");
    expect(before.rows).toEqual([
      ["Helse Midt-Norge RHF", 0, 1, 1, 0, 2],
      ["Helse Nord RHF", 0, 1, 0, 0, 1],
      ["Helse Sør-Øst RHF", 1, 1, 0, 0, 2],
      ["Helse Vest RHF", 1, 0, 0, 0, 1],
    ]);
    expect(table("2026-06-14T22:00:00Z", "region").rows).toEqual(table(TODAY, "region").rows);
    // The day after: St. Olavs' paused site has closed (closed wins over paused).
    expect(table("2026-06-15T22:00:00Z", "region").rows[0]).toEqual(["Helse Midt-Norge RHF", 1, 0, 0, 1, 2]);
  });

  it("stops counting a site as open the day after it goes 12 months unconfirmed (ADR 0019)", () => {
    // OUS's open-ended site of study 2 (open from 16 June 2026) was last confirmed on 1 June 2026.
    const south = (now: string) => table(now, "region").rows.find((r) => r[0] === "Helse Sør-Øst RHF")!;
    expect(south("2027-06-01T08:00:00Z")[1]).toBe(1);
    expect(south("2027-06-02T08:00:00Z")[1]).toBe(0);
  });

  it("by health trust, category and phase", () => {
    expect(table(TODAY, "organisasjon").rows).toEqual([
      ["Helse Bergen HF", 0, 0, 0, 1, 1],
      ["Oslo universitetssykehus HF", 1, 1, 0, 0, 2],
      ["St. Olavs hospital HF", 1, 0, 1, 0, 2],
      ["Universitetssykehuset Nord-Norge HF", 0, 1, 0, 0, 1],
    ]);
    const category = table(TODAY, "kategori");
    expect(category.columns.at(-2)).toBe("Ingen studiesteder");
    expect(category.rows).toEqual([
      ["Hjerte og kar", 0, 1, 0, 0, 0, 1],
      ["Kreft", 1, 1, 0, 0, 0, 2],
      ["Mental helse", 0, 1, 0, 0, 0, 1],
      ["Uten kategori", 0, 0, 1, 0, 1, 2],
    ]);
    const phase = table(TODAY, "fase");
    expect(phase.rows.filter((r) => r.at(-1) !== 0)).toEqual([
      ["Fase 2", 0, 1, 0, 0, 0, 1],
      ["Fase 3", 1, 1, 0, 0, 0, 2],
      ["Fase ikke oppgitt", 0, 0, 1, 0, 1, 2],
    ]);
    expect(phase.foot).toEqual(["Hele landet (hver studie én gang)", 1, 2, 1, 0, 1, 5]);
  });

  it("sites with inclusion per month: 24 months back, this month, 12 ahead", () => {
    const months = table(TODAY, "inklusjon-per-maned");
    expect(months.rows).toHaveLength(37);
    const count = (label: string) => months.rows.find((r) => r[0] === label)?.[1];
    expect(months.rows[0]).toEqual(["juni 2024", 0]);
    expect(count("januar 2025")).toBe(1); // Bergen
    expect(count("januar 2026")).toBe(3); // Bergen, OUS (1), St. Olavs (3)
    expect(count("juni 2026 (denne måneden)")).toBe(5); // every dated site touches June
    expect(count("juli 2026")).toBe(3);
    expect(count("januar 2027")).toBe(2); // St. Olavs' last day 1 January, OUS open-ended
    expect(months.rows.at(-1)).toEqual(["juni 2027", 1]);
  });

  it("new studies per month by the Oslo date of first publication (no source date here: all by the portal's)", () => {
    const months = table(TODAY, "nye-studier-per-maned");
    expect(months.rows).toHaveLength(25);
    expect(months.rows.filter((r) => r[1] !== 0)).toEqual([
      ["juni 2025", 1, 0, 1],
      ["mai 2026", 1, 0, 1],
      ["juni 2026 (denne måneden)", 2, 0, 2],
    ]);
  });
});

/** The page's table `id` as rows of cell texts. */
function htmlTable(html: string, id: string): string[][] {
  const m = new RegExp(`<table[^>]*id="data-${id}"[^>]*>([\\s\\S]*?)</table>`).exec(html);
  if (!m) throw new Error(`no table ${id}`);
  const decode = (s: string) =>
    s
      .replace(/<!-- -->/g, "")
      .replace(/<[^>]+>/g, "")
      .replace(/&#x27;/g, "'")
      .replace(/&quot;/g, '"')
      .replace(/&lt;/g, "<")
      .replace(/&gt;/g, ">")
      .replace(/&amp;/g, "&");
  const body = m[1]!.replace(/<caption[\s\S]*?<\/caption>/, "");
  return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((row) =>
    [...row[1]!.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((c) => decode(c[1]!)),
  );
}

describe("over HTTP", () => {
  it("the page is public, cacheable, sets no cookie, and has a chart with a text alternative per table", async () => {
    const res = await fetch(`${server.url}/forsker/statistikk`);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toContain("public");
    expect(res.headers.getSetCookie()).toEqual([]);
    const html = await res.text();
    for (const id of TABLE_IDS) {
      expect(html).toContain(`role="img" aria-labelledby="figur-${id}-tittel figur-${id}-beskrivelse"`);
      expect(html).toMatch(new RegExp(`<desc id="figur-${id}-beskrivelse">[^<]{20,}</desc>`));
      expect(html).toContain(`href="/forsker/statistikk/${id}.csv"`);
    }
  });

  it.each(ALL_TABLE_IDS)("%s.csv equals the table on the page", async (id) => {
    const [page, csv] = await Promise.all([
      fetch(`${server.url}/forsker/statistikk`),
      fetch(`${server.url}/forsker/statistikk/${id}.csv`),
    ]);
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toMatch(/^text\/csv; charset=utf-8/);
    expect(csv.headers.get("content-disposition")).toMatch(
      new RegExp(`^attachment; filename="kliniske-studier-${id}-\\d{4}-\\d{2}-\\d{2}\\.csv"$`),
    );
    const bytes = new Uint8Array(await csv.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // UTF-8 BOM
    const text = new TextDecoder().decode(bytes);
    expect(text).toContain("\r\n");
    const rows = parse(text, { delimiter: ";", bom: true, relax_column_count: false }) as string[][];
    const html = htmlTable(await page.text(), id);
    expect(rows).toEqual(html);
    expect(rows.length).toBeGreaterThan(1);
  });

  it("an unknown table is a 404 that lists the tables", async () => {
    const res = await fetch(`${server.url}/forsker/statistikk/hemmelig.csv`);
    expect(res.status).toBe(404);
    expect(await res.text()).toContain("region.csv");
  });
});
