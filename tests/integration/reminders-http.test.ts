/**
 * Reminders and the freshness figure over HTTP against the built server on a real SQLite file
 * (issue 18 items 2 and 3, ADR 0020): the "Trenger deg" list for the site's own editor only, one
 * click from it confirms, the organisation's Atom feed and iCalendar open with their secret link
 * only, and /forsker/statistikk, its CSV and the open API give the same freshness figures.
 */
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import ICAL from "ical.js";
import { addCalendarDays } from "#app/domain/calendar-date";
import { confirmationOverdueFrom, osloDate } from "#app/domain/inclusion-status";
import { formatCalendarDate } from "#app/views/status-text";
import { BrowserClient } from "../helpers/browser-client";
import { startServer, type RunningServer } from "../helpers/server";
import { freshDb, type TestDb } from "../helpers/db";
import { createPeople, PEOPLE, testStudy } from "../helpers/accounts";
import { saveStudyOrThrow } from "../helpers/studies";

let t: TestDb;
let server: RunningServer;
let editor: BrowserClient;
let stale: number;
let fresh: number;
const today = osloDate(new Date());
/** 200 days ago: past the 6-month soft limit, not the 12-month hard one. */
const OVERDUE = new Date(`${addCalendarDays(today, -200)}T10:00:00Z`);

beforeAll(async () => {
  t = freshDb();
  await createPeople(t.db);
  const make = (rek: string, title: string, org: string, now: Date) => {
    const r = saveStudyOrThrow(
      t.db,
      testStudy({
        identifiers: { rek },
        title: { nb: title },
        publicationState: "published",
        leadOrganisationId: org,
        sites: [
          { organisationId: org, hospitalId: null, inclusionStart: addCalendarDays(today, -300), inclusionEnd: null },
        ],
      }),
      { actor: { kind: "source", id: `${org}-feed`, name: `${org} (native)` }, now },
    );
    return r.studyId;
  };
  stale = make("662001", "Studie som trenger bekreftelse", "ous", OVERDUE);
  fresh = make("662002", "Studie bekreftet nylig", "st-olavs", new Date());
  server = await startServer({ DATABASE_PATH: t.file, SEED_DEMO_DATA: "false", SESSION_SECRET: "d".repeat(40) });
  editor = new BrowserClient(server.url);
  await editor.signIn(PEOPLE.editorOus.email);
}, 120_000);
afterAll(async () => {
  await server?.stop();
  t?.cleanup();
});

describe("Trenger deg", () => {
  it("lists the overdue site for its own editor, with the confirm button and the link to the exact site", async () => {
    const page = await editor.get("/redaksjon");
    expect(page.body).toContain("Trenger deg");
    expect(page.body).toContain("Studie som trenger bekreftelse");
    expect(page.body).toContain(`ikke bekreftet siden ${formatCalendarDate(osloDate(OVERDUE))}`);
    expect(page.body).toContain(`href="/forsker/studier/${stale}#sted-ous%2F"`);
    expect(page.body).not.toContain("Studie bekreftet nylig");
    const english = await editor.get("/redaksjon?lang=en");
    expect(english.body).toContain("Needs you");
    expect(english.body).toContain("Confirm the dates: not confirmed since");

    // Another organisation's editor is not reminded of it.
    const other = new BrowserClient(server.url);
    await other.signIn(PEOPLE.editorStOlavs.email);
    const theirs = await other.get("/redaksjon");
    expect(theirs.body).toContain("Ingenting trenger deg nå.");
    expect(theirs.body).not.toContain("Studie som trenger bekreftelse");
    // ... and cannot confirm it either.
    const { res } = await other.post(`/forsker/studier/${stale}`, { intent: "confirm-site", site: "ous/" });
    expect(res.status).toBe(403);
  });

  it("the researcher's landing page lists it too", async () => {
    const researcher = new BrowserClient(server.url);
    await researcher.signIn(PEOPLE.researcherOus.email);
    const page = await researcher.get("/forsker/studier");
    expect(page.body).toContain("Trenger deg");
    expect(page.body).toContain("Studie som trenger bekreftelse");
  });
});

describe("the organisation's reminder feeds", () => {
  let atomUrl = "";
  let icsUrl = "";
  it("an editor makes a secret link; the Atom feed and the calendar open with it, and only with it", async () => {
    const { res, body } = await editor.post("/redaksjon", { intent: "reminder-feed", organisation: "ous" });
    expect(res.status).toBe(200);
    atomUrl = /(http[^<]+\/feeds\/paminnelser\/ous\/[A-Za-z0-9_-]+\.atom)/.exec(body)![1]!;
    icsUrl = /(http[^<]+\/feeds\/paminnelser\/ous\/[A-Za-z0-9_-]+\.ics)/.exec(body)![1]!;
    const path = (u: string) => new URL(u).pathname;

    const atom = await fetch(`${server.url}${path(atomUrl)}`);
    expect(atom.status).toBe(200);
    expect(atom.headers.get("content-type")).toContain("application/atom+xml");
    expect(atom.headers.get("cache-control")).toContain("no-store");
    const xml = await atom.text();
    expect(xml).toContain("Studie som trenger bekreftelse");
    expect(xml).toContain(`/forsker/studier/${stale}#sted-ous%2F`);
    expect(xml).not.toContain(path(atomUrl).split("/").pop()!.replace(".atom", "")); // the secret is not in the document

    const ics = await fetch(`${server.url}${path(icsUrl)}`);
    expect(ics.status).toBe(200);
    const cal = new ICAL.Component(ICAL.parse(await ics.text()));
    const events = cal.getAllSubcomponents("vevent").map((e) => new ICAL.Event(e));
    expect(events).toHaveLength(1);
    expect(events[0]!.summary).toContain("Studie som trenger bekreftelse");
    // Dated the day the site became overdue (last confirmation + 6 months + 1 day), all day.
    expect(events[0]!.startDate.toString()).toBe(confirmationOverdueFrom(osloDate(OVERDUE)));
    expect(events[0]!.startDate.isDate).toBe(true);

    // A wrong secret, another organisation with this secret, and a malformed name: the same 404.
    const secret = path(atomUrl).split("/").pop()!.replace(".atom", "");
    for (const p of [
      `/feeds/paminnelser/ous/${"x".repeat(32)}.atom`,
      `/feeds/paminnelser/st-olavs/${secret}.atom`,
      `/feeds/paminnelser/ous/${secret}.rss`,
    ]) {
      expect((await fetch(`${server.url}${p}`)).status, p).toBe(404);
    }

    // A new link replaces the old one.
    await editor.post("/redaksjon", { intent: "reminder-feed", organisation: "ous" });
    expect((await fetch(`${server.url}${path(atomUrl)}`)).status).toBe(404);
  });

  it("only an editor of the organisation may make its link", async () => {
    const { res } = await editor.post("/redaksjon", { intent: "reminder-feed", organisation: "st-olavs" });
    expect(res.status).toBe(403);
  });
});

describe("freshness as a national figure", () => {
  it("page (nb, nn, en), CSV and the open API agree", async () => {
    const page = await (await fetch(`${server.url}/forsker/statistikk`)).text();
    expect(page).toContain("Bekreftede studiesteder etter region");
    expect(page).toContain("Bekreftede studiesteder etter helseforetak");
    const nn = await (await fetch(`${server.url}/forsker/statistikk?lang=nn`)).text();
    expect(nn).toContain("Stadfesta studiestader etter region");
    const en = await (await fetch(`${server.url}/forsker/statistikk?lang=en`)).text();
    expect(en).toContain("Confirmed sites by health trust");

    const csv = await (await fetch(`${server.url}/forsker/statistikk/bekreftelse-organisasjon.csv`)).text();
    const rows = parse(csv.replace(/^\uFEFF/, ""), { delimiter: ";" }) as string[][];
    expect(rows[0]).toEqual([
      "Helseforetak",
      "Åpne studiesteder",
      "Bekreftet innen grensen",
      "Andel bekreftet (%)",
      "Median alder på bekreftelse (dager)",
    ]);
    const ous = rows.find((r) => r[0] === "Oslo universitetssykehus HF")!;
    expect(ous.slice(1)).toEqual(["1", "0", "0", "200"]);
    const stolav = rows.find((r) => r[0]!.startsWith("St. Olavs"))!;
    expect(stolav.slice(1)).toEqual(["1", "1", "100", "0"]);
    expect(rows.at(-1)).toEqual(["Hele landet", "2", "1", "50", "100"]);

    const api = (await (await fetch(`${server.url}/api/v1/statistics/confirmations`)).json()) as {
      data: {
        organisations: {
          id: string;
          openSites: number;
          confirmedSites: number;
          confirmedShare: number;
          medianConfirmationAgeDays: number;
        }[];
        total: Record<string, unknown>;
      };
      meta: { on: string; softLimitMonths: number };
    };
    expect(api.meta).toMatchObject({ on: today, softLimitMonths: 6 });
    expect(api.data.organisations.find((o) => o.id === "ous")).toMatchObject({
      openSites: 1,
      confirmedSites: 0,
      confirmedShare: 0,
      medianConfirmationAgeDays: 200,
    });
    expect(api.data.total).toMatchObject({ id: "total", openSites: 2, confirmedSites: 1, confirmedShare: 0.5 });
  });

  it("one click from the reminder confirms the site: it leaves the list and the figures move", async () => {
    const { res } = await editor.post(`/forsker/studier/${stale}`, { intent: "confirm-site", site: "ous/" });
    expect(res.status).toBe(302);
    const page = await editor.get("/redaksjon");
    expect(page.body).not.toContain("ikke bekreftet siden");
    const patient = await (await fetch(`${server.url}/pasient/studier/${stale}`)).text();
    expect(patient).toContain(`Sist bekreftet ${formatCalendarDate(today)}`);
    const api = (await (await fetch(`${server.url}/api/v1/statistics/confirmations`)).json()) as {
      data: { total: Record<string, unknown> };
    };
    expect(api.data.total).toMatchObject({
      openSites: 2,
      confirmedSites: 2,
      confirmedShare: 1,
      medianConfirmationAgeDays: 0,
    });
    void fresh;
  });
});
