/**
 * "New studies per month" counts a study by its source's own first publication (issue 18 item 4,
 * ADR 0028), over HTTP against the built server: a ClinicalTrials.gov study first posted in 2019
 * and imported today counts in March 2019, not in this month; a study registered in the portal
 * counts by the portal's publication; the page, its CSV and the open API say which basis each
 * count rests on, and the study API carries the date with its basis.
 */
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { osloDate } from "#app/domain/inclusion-status";
import { importCtgov } from "#app/ingest/registry-import.server";
import { saveStudy } from "#app/models/study.server";
import { freshDb, type TestDb } from "../helpers/db";
import { readFixture } from "../helpers/shared-data";
import { startServer, type RunningServer } from "../helpers/server";

let t: TestDb;
let server: RunningServer;
const thisMonth = osloDate(new Date()).slice(0, 7);
let importedId = 0;

const ctgovStudy = {
  protocolSection: {
    identificationModule: { nctId: "NCT09019019", briefTitle: "A registry study first posted in 2019" },
    statusModule: {
      overallStatus: "RECRUITING",
      statusVerifiedDate: osloDate(new Date()).slice(0, 7),
      studyFirstPostDateStruct: { date: "2019-03-14", type: "ACTUAL" },
      lastUpdatePostDateStruct: { date: osloDate(new Date()), type: "ACTUAL" },
    },
    descriptionModule: { briefSummary: "A study of a new treatment for childhood leukaemia." },
    designModule: { studyType: "INTERVENTIONAL", phases: ["PHASE3"] },
    conditionsModule: { conditions: ["Leukemia"] },
    contactsLocationsModule: {
      locations: [{ facility: "Oslo University Hospital Rikshospitalet", city: "Oslo", country: "Norway" }],
    },
  },
};

beforeAll(async () => {
  t = freshDb();
  // Imported today.
  const report = importCtgov(t.db, Buffer.from(JSON.stringify(ctgovStudy)), { format: "ctgov-json" });
  expect(report.stored).toBe(1);
  importedId = t.db.prepare("SELECT id FROM studies WHERE nct_id = 'NCT09019019'").pluck().get() as number;
  // And the two real records with a registered Norwegian site (vendored, MIT): first posted
  // 2013-09-24 (ESTIMATED) and 2024-05-07 (ACTUAL).
  importCtgov(t.db, readFixture("ctgov-v2/norway-mit-sources.json"), { format: "ctgov-json" });
  // Registered in the portal today: no source date, counted by the portal's publication.
  const own = saveStudy(
    t.db,
    {
      identifiers: { rek: "912399" },
      title: { nb: "Studie registrert i portalen" },
      summary: { nb: "En fiktiv studie." },
      studyType: "observational",
      leadOrganisationId: "st-olavs",
      sites: [{ organisationId: "st-olavs", inclusionStart: "2026-01-01", inclusionEnd: "2028-01-01" }],
      publicationState: "published",
    },
    { actor: { kind: "user", id: "1", name: "Kari Forsker" } },
  );
  expect(own.ok).toBe(true);
  server = await startServer({ DATABASE_PATH: t.file, SEED_DEMO_DATA: "false" });
});
afterAll(async () => {
  await server?.stop();
  t?.cleanup();
});

describe("new studies per month by the source's first publication", () => {
  it("the open API counts the 2019 study in March 2019 and only the portal's own study in this month", async () => {
    const res = await fetch(`${server.url}/api/v1/statistics/new-studies`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      data: { month: string; count: number; bySourceDate: number; byPortalDate: number }[];
      meta: { bySourceDate: number; byPortalDate: number };
    };
    const month = (m: string) => body.data.find((d) => d.month === m);
    expect(body.data[0]!.month).toBe("2013-09");
    expect(body.data.at(-1)!.month).toBe(thisMonth);
    expect(month("2013-09")).toEqual({ month: "2013-09", count: 1, bySourceDate: 1, byPortalDate: 0 });
    expect(month("2019-03")).toEqual({ month: "2019-03", count: 1, bySourceDate: 1, byPortalDate: 0 });
    expect(month("2024-05")).toEqual({ month: "2024-05", count: 1, bySourceDate: 1, byPortalDate: 0 });
    expect(month(thisMonth)).toEqual({ month: thisMonth, count: 1, bySourceDate: 0, byPortalDate: 1 });
    expect(body.data.reduce((n, d) => n + d.count, 0)).toBe(4);
    expect(body.meta).toMatchObject({ bySourceDate: 3, byPortalDate: 1 });
  });

  it("the page and its CSV count one new study this month, and say which date each count rests on", async () => {
    const page = await (await fetch(`${server.url}/forsker/statistikk`)).text();
    expect(page).toContain(
      "Telt etter kildens første publisering: 3; uten slik dato i kilden, telt etter portalens: 1.",
    );
    const csv = await (await fetch(`${server.url}/forsker/statistikk/nye-studier-per-maned.csv`)).text();
    const rows = parse(csv.replace(/^\uFEFF/, ""), { delimiter: ";" }) as string[][];
    expect(rows[0]).toEqual(["Måned", "Nye studier", "Etter kildens dato", "Etter portalens dato"]);
    expect(rows.at(-1)!.slice(1)).toEqual(["1", "0", "1"]);
    expect(rows.slice(1).reduce((n, r) => n + Number(r[1]), 0)).toBe(1); // 2019, 2013, 2024: before the 24 months shown
    const en = await (await fetch(`${server.url}/forsker/statistikk/nye-studier-per-maned.csv?lang=en`)).text();
    expect(en).toContain("By the source's date;By the portal's date");
  });

  it("the study API carries the first posted date with its basis and type, and the portal's publication", async () => {
    const body = (await (await fetch(`${server.url}/api/v1/studies/${importedId}`)).json()) as {
      firstPosted: unknown;
      publishedAt: string;
    };
    expect(body.firstPosted).toEqual({
      date: "2019-03-14",
      basis: "ctgov:studyFirstPostDateStruct",
      type: "actual",
    });
    expect(body.publishedAt.slice(0, 7)).toBe(new Date().toISOString().slice(0, 7));
    // The CSV export too (empty where the source has none).
    const csv = await (await fetch(`${server.url}/api/v1/export/studies.csv`)).text();
    const rows = parse(csv.replace(/^\uFEFF/, ""), { columns: true }) as Record<string, string>[];
    const byNct = (nct: string) => rows.find((r) => r["nct"] === nct);
    expect(byNct("NCT09019019")).toMatchObject({
      first_posted: "2019-03-14",
      first_posted_basis: "ctgov:studyFirstPostDateStruct",
    });
    expect(rows.filter((r) => r["first_posted"] === "")).toHaveLength(1); // the portal's own study
  });

  it("the statistics API leaves the demo studies out with demodata=nei, and names the parameter when its value is wrong", async () => {
    const demo = saveStudy(
      t.db,
      {
        identifiers: {},
        title: { nb: "Demostudie publisert i dag" },
        summary: { nb: "Fiktiv." },
        studyType: "observational",
        leadOrganisationId: "st-olavs",
        sites: [{ organisationId: "st-olavs", inclusionStart: "2026-01-01", inclusionEnd: "2028-01-01" }],
        publicationState: "published",
        isDemo: true,
      },
      { actor: { kind: "system", name: "demo-seed" } },
    );
    expect(demo.ok).toBe(true);
    const thisMonthOf = async (query: string) => {
      const res = await fetch(`${server.url}/api/v1/statistics/new-studies${query}`);
      expect(res.status).toBe(200);
      const body = (await res.json()) as { data: { month: string; byPortalDate: number }[] };
      return body.data.find((d) => d.month === thisMonth)!.byPortalDate;
    };
    expect(await thisMonthOf("")).toBe(2);
    expect(await thisMonthOf("?demodata=ja")).toBe(2);
    expect(await thisMonthOf("?demodata=nei")).toBe(1);
    for (const endpoint of ["new-studies", "confirmations"]) {
      const bad = await fetch(`${server.url}/api/v1/statistics/${endpoint}?demodata=kanskje`);
      expect(bad.status).toBe(400);
      expect(await bad.text()).toContain("demodata");
    }
    expect((await fetch(`${server.url}/api/v1/statistics/confirmations?demodata=nei`)).status).toBe(200);
  });
});
