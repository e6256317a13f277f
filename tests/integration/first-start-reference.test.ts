/**
 * A fresh machine does the whole job (issue 17), over real HTTP against the built server on a
 * brand-new SQLite file: the first start loads the shipped postcodes and the ICD-10/ICPC-2 codes
 * with no command and without ../shared (nothing here reads it); a patient's postcode search shows
 * distances; a GP's ICPC-2 code finds studies and says how it was understood; a study registered
 * through the form at Haukeland is first for postcode 5003 among studies with the same words, and a
 * site that names only its health trust is placed at the trust's main hospital and says so.
 */
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Db } from "#app/db.server";
import { migrate } from "#app/models/migrations.server";
import { upsertReferenceData } from "#app/models/reference.server";
import { loadReferenceData } from "#app/boot.server";
import { seedDemoStudies } from "#app/seed/demo-seed.server";
import { startServer, type RunningServer } from "../helpers/server";
import { tempDir } from "../helpers/db";
import { createPeople, PEOPLE, testStudy } from "../helpers/accounts";
import { BrowserClient } from "../helpers/browser-client";
import { saveStudyOrThrow } from "../helpers/studies";

const WORD = "tyttebærallergi";
let server: RunningServer;
let db: Db;

beforeAll(async () => {
  const dbFile = path.join(tempDir("ks-first-start-"), "first.db");
  // Only what the test itself needs before the first start: accounts and the comparison studies.
  // The postcodes and diagnosis codes are left to the server (no postcodes, no ICPC-2 here).
  const setup = openDatabase(dbFile);
  migrate(setup);
  upsertReferenceData(setup, loadReferenceData());
  await createPeople(setup);
  // The demo studies (the server seeds only an empty database, and this one gets four more).
  seedDemoStudies(setup);
  const actor = { kind: "system" as const, name: "test" };
  const other = (
    rek: string,
    title: string,
    site: Parameters<typeof testStudy>[0] extends infer O ? (O extends { sites?: infer S } ? S : never) : never,
    lead = "st-olavs",
  ) => {
    saveStudyOrThrow(
      setup,
      testStudy({
        identifiers: { rek },
        title: { nb: title },
        shortTitle: { nb: title },
        leadOrganisationId: lead,
        sites: site,
        publicationState: "published",
      }),
      { actor },
      title,
    );
  };
  const window = { inclusionStart: "2026-01-01", inclusionEnd: "2029-12-31" };
  other("771101", `${WORD} i Tromsø`, [{ organisationId: "unn", hospitalId: "unn-tromso", ...window }], "unn");
  other("771102", `${WORD} i Oslo`, [{ organisationId: "ous", hospitalId: "ous-rikshospitalet", ...window }], "ous");
  // Names only the health trust: placed at its main hospital (Stavanger universitetssjukehus).
  other(
    "771103",
    `${WORD} i Helse Stavanger`,
    [{ organisationId: "helse-stavanger", hospitalId: null, ...window }],
    "helse-stavanger",
  );
  // A place the source names without any location.
  other("771104", `${WORD} på en ukjent klinikk`, [
    { organisationId: null, hospitalId: null, name: "Ukjent klinikk", ...window },
  ]);
  expect(setup.prepare("SELECT count(*) FROM postcodes").pluck().get()).toBe(0);
  setup.close();
  server = await startServer({
    DATABASE_PATH: dbFile,
    SEED_DEMO_DATA: "false",
    SESSION_SECRET: "r".repeat(40),
    KLINISKE_SHARED_DATA: "/nonexistent",
  });
  db = openDatabase(dbFile);
});
afterAll(async () => {
  db?.close();
  await server?.stop();
});

const titles = (html: string) => [...html.matchAll(/<h3><a[^>]*><span[^>]*>([^<]*)<\/span><\/a>/g)].map((m) => m[1]!);
/** One result card: from its title to the next card's. */
const card = (html: string, title: string) => {
  const at = html.indexOf(`>${title}</span></a>`);
  expect(at, title).toBeGreaterThan(0);
  const next = html.indexOf("<h3>", at);
  return html.slice(at, next > 0 ? next : at + 2000);
};

describe("first start on a fresh machine", () => {
  it("loads the shipped postcodes and diagnosis codes without a command", () => {
    expect(server.output()).toMatch(/\d+ postcodes loaded/);
    expect(db.prepare("SELECT count(*) FROM postcodes WHERE in_use = 1").pluck().get()).toBe(5121);
    expect(db.prepare("SELECT count(*) FROM icpc2_codes").pluck().get()).toBe(708);
    expect(db.prepare("SELECT count(*) FROM icd10_codes").pluck().get()).toBeGreaterThanOrEqual(19_634);
    expect(
      db.prepare("SELECT value FROM app_meta WHERE key = 'reference.diagnosekoder.version'").pluck().get(),
    ).toMatch(/^@navikt\/diagnosekoder@\d/);
  });

  it("answers a patient's postcode search with distances in km and no error box", async () => {
    const res = await fetch(`${server.url}/pasient?q=kreft&postnummer=9008`);
    const html = await res.text();
    expect(res.status).toBe(200);
    expect(html).not.toContain("Noe i søket må rettes");
    expect(html).not.toContain("postnummerlisten mangler");
    expect(html).toMatch(/\d km/);
    // The attribution the licence asks for: a link to www.erikbolstad.no/postnummer/ and CC BY 3.0.
    expect(html).toContain('href="https://www.erikbolstad.no/postnummer/"');
    expect(html).toContain("CC BY 3.0");
    expect(html).not.toContain("CC BY 4.0");
  });

  it.each([
    ["the diagnosis field", "icd10=T90"],
    ["the free-text field", "q=T90"],
  ])("reads an ICPC-2 code in %s as its Norwegian name and says so", async (_field, query) => {
    const html = await (await fetch(`${server.url}/helsepersonell?${query}`)).text();
    expect(html).toContain("Vi forsto T90 som ICPC-2-koden «Diabetes type 2» og søkte etter det.");
    expect(html).toContain("type 2-diabetes");
  });

  it("says how the ICPC-2 code was understood in nynorsk and English too", async () => {
    const nn = await (await fetch(`${server.url}/helsepersonell?icd10=K77&lang=nn`)).text();
    expect(nn).toContain("Vi forstod K77 som ICPC-2-koden «Hjertesvikt» og søkte etter det.");
    const en = await (await fetch(`${server.url}/helsepersonell?icd10=K77&lang=en`)).text();
    expect(en).toContain("We understood K77 as the ICPC-2 code “Hjertesvikt” and searched for that.");
    expect(en).toMatch(/hjertesvikt/i);
  });

  it("serves a favicon", async () => {
    const res = await fetch(`${server.url}/favicon.ico`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/icon/);
    expect((await res.arrayBuffer()).byteLength).toBeGreaterThan(0);
  });
});

describe("every site has a place", () => {
  let formStudyTitle: string;

  it("a study registered through the form at Haukeland is first for postcode 5003 among studies with the same words", async () => {
    // The national administrator registers it: a St. Olavs researcher's site at another
    // organisation's hospital would wait for that organisation's consent (ADR 0014).
    const researcher = new BrowserClient(server.url);
    await researcher.signIn(PEOPLE.admin.email);
    const page = await researcher.get("/forsker/studier/ny");
    // The form offers the hospitals (treatment sites) of each organisation.
    const hospitalSelect = /<select[^>]*name="sites\[0\]\.hospitalId"[^>]*>([\s\S]*?)<\/select>/.exec(page.body);
    expect(hospitalSelect, "a hospital choice for the site").not.toBeNull();
    expect(hospitalSelect![1]).toContain('value="helse-bergen-haukeland"');
    formStudyTitle = `${WORD} ved Haukeland`;
    const posted = await researcher.post("/forsker/studier/ny", [
      ["intent", "submit"],
      ["leadOrganisationId", "st-olavs"],
      ["identifiers.rek", "2026/771105"],
      ["title.nb", formStudyTitle],
      ["summary.nb", "Vi prøver en ny behandling mot allergi. Dette er en fiktiv teststudie."],
      ["studyType", "treatment"],
      ["phase", "phase_2"],
      ["icd10", "T784"],
      ["eligibility.minAgeYears", "18"],
      ["eligibility.maxAgeYears", "80"],
      ["eligibility.sex", "all"],
      ["eligibility.inclusionCriteria.nb", "Voksne med allergi"],
      ["contacts[0].name", "Studiekoordinator"],
      ["contacts[0].email", "studie@example.no"],
      ["contacts[0].role", "public"],
      ["sites[0].organisationId", "helse-bergen"],
      ["sites[0].hospitalId", "helse-bergen-haukeland"],
      ["sites[0].inclusionStart", "2026-01-01"],
      ["sites[0].inclusionEnd", "2029-12-31"],
      ["categories", "inflammatory-immune"],
    ]);
    expect(
      posted.res.status,
      [...posted.body.matchAll(/class="field-error"[^>]*>([^<]*)</g)].map((m) => m[1]).join(" | "),
    ).toBe(302);
    const id = Number(/\/forsker\/studier\/(\d+)/.exec(posted.res.headers.get("location") ?? "")?.[1]);
    expect(id).toBeGreaterThan(0);
    const editor = new BrowserClient(server.url);
    await editor.signIn(PEOPLE.editorStOlavs.email);
    const review = await editor.get(`/redaksjon/studier/${id}`);
    // The approve form carries the version the editor reviewed (ADR 0014).
    const version = /name="version" value="(\d+)"/.exec(review.body)![1]!;
    expect(
      (await editor.post(`/redaksjon/studier/${id}`, { intent: "approve", version, comment: "" })).res.status,
    ).toBe(302);

    // The indexer picks the change up from the outbox; ask until the study is searchable.
    let order: string[] = [];
    let html = "";
    for (let i = 0; i < 100 && !order.includes(formStudyTitle); i++) {
      html = await (await fetch(`${server.url}/pasient?q=${encodeURIComponent(WORD)}&postnummer=5003`)).text();
      order = titles(html);
      if (!order.includes(formStudyTitle)) await new Promise((r) => setTimeout(r, 100));
    }
    expect(order[0]).toBe(formStudyTitle);
    expect(card(html, formStudyTitle)).toContain("Haukeland");
    expect(card(html, formStudyTitle)).toMatch(/\d km/);
    // The site that names only Helse Stavanger ranks by its main hospital's distance (before Oslo
    // and Tromsø) and says where it was placed.
    expect(order.indexOf(`${WORD} i Helse Stavanger`)).toBe(1);
    expect(order.slice(2, 4)).toEqual([`${WORD} i Oslo`, `${WORD} i Tromsø`]);
    const stavanger = card(html, `${WORD} i Helse Stavanger`);
    expect(stavanger).toMatch(/\d km/);
    expect(stavanger).toContain("ved hovedsykehuset");
    // A place with no known location says so.
    expect(card(html, `${WORD} på en ukjent klinikk`)).toContain("sted ikke oppgitt");
  });

  it("the study page of a trust-only site names the main hospital it was placed at (nb, nn, en)", async () => {
    const id = db
      .prepare("SELECT study_id FROM study_texts WHERE field = 'title' AND lang = 'nb' AND text = ?")
      .pluck()
      .get(`${WORD} i Helse Stavanger`) as number;
    const nb = await (await fetch(`${server.url}/pasient/studier/${id}?postnummer=4011`)).text();
    expect(nb).toMatch(/ved hovedsykehuset [^<]*\(studiestedet er ikke oppgitt\)/);
    const nn = await (await fetch(`${server.url}/pasient/studier/${id}?lang=nn`)).text();
    expect(nn).toContain("ved hovudsjukehuset");
    const en = await (await fetch(`${server.url}/helsepersonell/studier/${id}?lang=en`)).text();
    expect(en).toContain("at the main hospital");
  });
});
