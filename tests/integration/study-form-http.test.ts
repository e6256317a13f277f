/**
 * The register/edit form over real HTTP against the built server on a real SQLite file, posted
 * as a browser without JavaScript would: an invalid submission comes back with every value and
 * names the fields; a valid one becomes one version (draft or submitted); list intents add rows
 * without JavaScript; a researcher posting for another organisation, or changing another
 * organisation's site, gets 403; approval stays with the lead organisation's editors.
 */
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prepareDatabase } from "#app/boot.server";
import { openDatabase, type Db } from "#app/db.server";
import { startServer, type RunningServer } from "../helpers/server";
import { tempDir } from "../helpers/db";
import { createPeople, createStudies, PEOPLE, type Person } from "../helpers/accounts";
import { BrowserClient, type Fields } from "../helpers/browser-client";
import { getStudy, toStudyInput } from "#app/models/study.server";

let server: RunningServer;
let db: Db;
let ids: { a: number; b: number };

beforeAll(async () => {
  const dbFile = path.join(tempDir("ks-form-"), "form.db");
  const setup = openDatabase(dbFile);
  prepareDatabase(setup, { seedDemoData: false });
  await createPeople(setup);
  ids = createStudies(setup);
  setup.close();
  server = await startServer({ DATABASE_PATH: dbFile, SEED_DEMO_DATA: "false", SESSION_SECRET: "f".repeat(40) });
  db = openDatabase(dbFile);
});
afterAll(async () => {
  db?.close();
  await server?.stop();
});

async function as(person: Person, page = "/forsker/studier/ny") {
  const c = new BrowserClient(server.url);
  await c.signIn(PEOPLE[person].email);
  const got = await c.get(page);
  return { c, page: got };
}

const studyCount = () => db.prepare("SELECT count(*) FROM studies").pluck().get() as number;
const versions = (id: number) =>
  db
    .prepare(
      "SELECT version, actor_name AS actor, json_extract(snapshot, '$.publicationState') AS state FROM study_versions WHERE study_id = ? ORDER BY version",
    )
    .all(id) as { version: number; actor: string; state: string }[];

function validForm(overrides: Record<string, string> = {}, extra: [string, string][] = []): [string, string][] {
  const base: Record<string, string> = {
    intent: "draft",
    leadOrganisationId: "st-olavs",
    "identifiers.rek": "2024/778899",
    "identifiers.nct": "nct09876543",
    "identifiers.euCt": "",
    "title.nb": "Skjemastudie av leddgikt",
    "title.en": "Form study of arthritis",
    "summary.nb": "Vi tester en ny behandling.",
    studyType: "treatment",
    phase: "phase_2",
    icd10: "c50, D05.1",
    "eligibility.minAgeYears": "18",
    "eligibility.maxAgeYears": "80",
    "eligibility.sex": "all",
    "eligibility.inclusionCriteria.nb": "Voksne med leddgikt",
    "contacts[0].name": "Studiekoordinator",
    "contacts[0].email": "studie@example.no",
    "contacts[0].role": "public",
    "sites[0].organisationId": "st-olavs",
    "sites[0].hospitalId": "",
    "sites[0].inclusionStart": "2026-02-01",
    "sites[0].inclusionEnd": "2027-12-31",
    "sites[1].organisationId": "ous",
    "sites[1].hospitalId": "",
    "sites[1].inclusionStart": "2026-03-01",
    "sites[1].inclusionEnd": "2027-06-30",
    ...overrides,
  };
  return [...Object.entries(base), ["categories", "cancer"], ["categories", "cardiovascular"], ...extra];
}

describe("registering a study", () => {
  it("shows the form with a CSRF token, offering only the researcher's own organisations as lead", async () => {
    const { page } = await as("researcherStOlavs");
    expect(page.res.status).toBe(200);
    expect(page.res.headers.get("cache-control")).toContain("no-store");
    expect(page.body).toContain('name="csrf"');
    const lead = /<select[^>]*name="leadOrganisationId"[^>]*>([\s\S]*?)<\/select>/.exec(page.body)![1]!;
    expect(lead).toContain('value="st-olavs"');
    expect(lead).not.toContain('value="ous"');
    expect(page.body).toContain("Lagre utkast");
    expect(page.body).toContain("Send til godkjenning");
  });

  it("an invalid submission keeps every value typed, names each field and saves nothing", async () => {
    const { c } = await as("researcherStOlavs");
    const before = studyCount();
    const fields: Fields = validForm({
      "identifiers.rek": "",
      "identifiers.nct": "NCT123",
      "title.nb": "",
      "title.en": "Kept English title",
      "summary.nb": "Min tekst som ikke må forsvinne",
      icd10: "C50, XYZ",
      "eligibility.minAgeYears": "atten",
      "contacts[0].name": "",
      "sites[1].inclusionStart": "2027-09-01",
      "sites[1].inclusionEnd": "2027-01-01",
    });
    const r = await c.post("/forsker/studier/ny", fields);
    expect(r.res.status).toBe(400);
    expect(studyCount()).toBe(before);
    // Every value comes back.
    for (const kept of [
      'value="NCT123"',
      'value="Kept English title"',
      "Min tekst som ikke må forsvinne",
      'value="C50, XYZ"',
      'value="atten"',
      'value="2027-09-01"',
      'value="2027-01-01"',
      'value="studie@example.no"',
    ])
      expect(r.body, kept).toContain(kept);
    // Each problem is next to its field, linked by aria-describedby, and listed at the top.
    const problems: [string, string][] = [
      ["identifiers.nct", "Ugyldig format (eksempel: NCT01234567)."],
      ["title.nb", "Må fylles ut."],
      ["icd10", "«XYZ» er ikke en ICD-10-kode"],
      ["eligibility.minAgeYears", "Skriv et tall."],
      ["contacts[0].name", "Må fylles ut."],
      ["sites[1].inclusionEnd", "Inklusjonsslutt (2027-01-01) er før inklusjonsstart (2027-09-01)."],
    ];
    for (const [name, message] of problems) {
      const id = `studie-${name}`;
      const error = new RegExp(`<p [^>]*\\bid="${escape(id)}-error"[^>]*>([^<]*)</p>`).exec(r.body);
      expect(error?.[1], name).toContain(message);
      const input = new RegExp(`<(?:input|textarea|select)[^>]*id="${escape(id)}"[^>]*>`).exec(r.body)?.[0] ?? "";
      expect(input, name).toContain('aria-invalid="true"');
      expect(input, name).toMatch(new RegExp(`aria-describedby="${escape(id)}-error`));
      expect(r.body, `summary link to ${name}`).toContain(`href="#${id}"`);
    }
    expect(r.body).toContain('class="problem-summary"');
  });

  it("requires a plain-language summary and a site with both dates to send for approval", async () => {
    const { c } = await as("researcherStOlavs");
    const r = await c.post(
      "/forsker/studier/ny",
      validForm({ intent: "submit", "summary.nb": "", "sites[0].inclusionEnd": "", "sites[1].inclusionStart": "" }),
    );
    expect(r.res.status).toBe(400);
    expect(r.body).toContain("Skriv et sammendrag i klarspråk på bokmål før du sender studien til godkjenning.");
    expect(r.body).toContain("Minst ett studiested må ha både inklusjonsstart og inklusjonsslutt");
  });

  it("'Lagre utkast' saves a draft with only a title (no REK, type, site or summary yet)", async () => {
    const { c } = await as("researcherStOlavs");
    const r = await c.post("/forsker/studier/ny", [
      ["intent", "draft"],
      ["leadOrganisationId", "st-olavs"],
      ["title.nb", "Bare en tittel så langt"],
      ["identifiers.rek", ""],
      ["studyType", ""],
    ]);
    expect(r.res.status, r.body.slice(0, 2000)).toBe(302);
    const id = Number(/\/forsker\/studier\/(\d+)\?lagret=1$/.exec(r.res.headers.get("location")!)![1]);
    expect(versions(id)).toEqual([{ version: 1, actor: "Kari Forsker", state: "draft" }]);
    const snapshot = JSON.parse(
      db.prepare("SELECT snapshot FROM study_versions WHERE study_id = ?").pluck().get(id) as string,
    );
    expect(snapshot.title.nb).toBe("Bare en tittel så langt");
    expect(snapshot.identifiers.rek).toBeNull();
    expect(snapshot.sites).toEqual([]);
    // No type is chosen, so none is stored (not "Annet"), and the form reopens with none chosen.
    expect(snapshot.studyType).toBeNull();
    expect(db.prepare("SELECT study_type FROM studies WHERE id = ?").pluck().get(id)).toBeNull();
    const reopened = await c.get(`/forsker/studier/${id}/rediger`);
    expect(reopened.res.status).toBe(200);
    const typeSelect = /<select[^>]*name="studyType"[\s\S]*?<\/select>/.exec(reopened.body)?.[0];
    expect(typeSelect).toContain('<option value="">Velg type</option>');
    expect(typeSelect).toContain('value="other"');
    expect(typeSelect).not.toMatch(/selected/);
    // The same draft, sent for approval as it is, is refused: each missing part is named on its field.
    const submit = await c.post(`/forsker/studier/${id}/rediger`, [
      ["intent", "submit"],
      ["leadOrganisationId", "st-olavs"],
      ["title.nb", "Bare en tittel så langt"],
      ["identifiers.rek", ""],
      ["studyType", ""],
    ]);
    expect(submit.res.status).toBe(400);
    for (const [name, message] of [
      ["identifiers.rek", "Skriv REK-nummeret før du sender studien til godkjenning"],
      ["studyType", "Velg type studie før du sender studien til godkjenning."],
      ["summary.nb", "Skriv et sammendrag i klarspråk på bokmål"],
      ["sites", "Legg til minst ett studiested."],
    ]) {
      const error = new RegExp(`<p [^>]*\\bid="${escape(`studie-${name}`)}-error"[^>]*>([^<]*)</p>`).exec(submit.body);
      expect(error?.[1], name).toContain(message);
    }
    expect(versions(id)).toEqual([{ version: 1, actor: "Kari Forsker", state: "draft" }]);
  });

  it("saves every part of the published page the form has, and the reopened form shows each", async () => {
    const { c } = await as("researcherStOlavs");
    const parts: Record<string, string> = {
      "title.nn": "Skjemastudie av leddgikt (nynorsk)",
      "summary.nn": "Vi prøver ei ny behandling.",
      "summary.en": "We test a new treatment.",
      "participation.nb": "Du kommer til tre kontroller på ett år.",
      "participation.nn": "Du kjem til tre kontrollar på eitt år.",
      "participation.en": "You come to three check-ups in one year.",
      "principalInvestigator.name": "Kari Nordmann",
      "principalInvestigator.title": "Overlege, dr.med.",
      "sites[0].hospitalId": "st-olavs-orkdal",
      "sites[0].contact.name": "Studiesykepleier Ola Hansen",
      "sites[0].contact.phone": "+47 72 57 30 00",
      "sites[0].contact.email": "ola.hansen@example.no",
      "sites[0].referral": "Henvisning via DIPS til revmatologisk poliklinikk.",
    };
    const r = await c.post(
      "/forsker/studier/ny",
      validForm({ ...parts, "identifiers.rek": "2024/778800", "identifiers.nct": "NCT09876500" }),
    );
    expect(r.res.status, r.body.slice(0, 2000)).toBe(302);
    const id = Number(/\/forsker\/studier\/(\d+)\?lagret=1$/.exec(r.res.headers.get("location")!)![1]);
    const study = toStudyInput(getStudy(db, id)!);
    const site = study.sites.find((s) => s.organisationId === "st-olavs")!;
    expect({
      "title.nn": study.title.nn,
      "summary.nn": study.summary.nn,
      "summary.en": study.summary.en,
      "participation.nb": study.participation.nb,
      "participation.nn": study.participation.nn,
      "participation.en": study.participation.en,
      "principalInvestigator.name": study.principalInvestigator?.name,
      "principalInvestigator.title": study.principalInvestigator?.title,
      "sites[0].hospitalId": site.hospitalId,
      "sites[0].contact.name": site.contact?.name,
      "sites[0].contact.phone": site.contact?.phone,
      "sites[0].contact.email": site.contact?.email,
      "sites[0].referral": site.referral,
    }).toEqual(parts);
    // The other site left its contact empty: no contact, not a half-filled one.
    expect(study.sites.find((s) => s.organisationId === "ous")?.contact).toBeNull();
    const edit = await c.get(`/forsker/studier/${id}/rediger`);
    expect(edit.res.status).toBe(200);
    for (const [name, value] of Object.entries(parts)) {
      const control = new RegExp(`<(input|textarea|select)[^>]*name="${escape(name)}"[^>]*>([^<]*)`).exec(edit.body);
      expect(control, name).not.toBeNull();
      const shown =
        control![1] === "textarea"
          ? (control![2] ?? "")
          : control![1] === "select"
            ? (new RegExp(`<select[^>]*name="${escape(name)}"[\\s\\S]*?<option[^>]*value="([^"]*)"[^>]*selected`).exec(
                edit.body,
              )?.[1] ?? "")
            : (/value="([^"]*)"/.exec(control![0])?.[1] ?? "");
      expect(decode(shown), name).toBe(value);
    }
  });

  it("a draft without a title is refused, naming the title", async () => {
    const { c } = await as("researcherStOlavs");
    const before = studyCount();
    const r = await c.post("/forsker/studier/ny", [
      ["intent", "draft"],
      ["leadOrganisationId", "st-olavs"],
      ["title.nb", ""],
    ]);
    expect(r.res.status).toBe(400);
    expect(r.body).toMatch(/id="studie-title\.nb-error"[^>]*>Må fylles ut\./);
    expect(studyCount()).toBe(before);
  });

  it("a valid draft becomes version 1 with both sites, by the researcher", async () => {
    const { c } = await as("researcherStOlavs");
    const r = await c.post("/forsker/studier/ny", validForm());
    expect(r.res.status).toBe(302);
    const id = Number(/\/forsker\/studier\/(\d+)\?lagret=1$/.exec(r.res.headers.get("location")!)![1]);
    expect(versions(id)).toEqual([{ version: 1, actor: "Kari Forsker", state: "draft" }]);
    const snapshot = JSON.parse(
      db.prepare("SELECT snapshot FROM study_versions WHERE study_id = ?").pluck().get(id) as string,
    );
    expect(snapshot.identifiers).toMatchObject({ rek: "2024/778899", nct: "NCT09876543", euCt: null });
    expect(snapshot.icd10).toEqual(["C50", "D051"]);
    expect(snapshot.categories).toEqual(["cancer", "cardiovascular"]);
    expect(snapshot.eligibility).toMatchObject({
      minAgeYears: 18,
      maxAgeYears: 80,
      sex: "all",
      healthyVolunteers: false,
    });
    expect(
      snapshot.sites.map((s: { organisationId: string; inclusionEnd: string }) => [s.organisationId, s.inclusionEnd]),
    ).toEqual([
      ["ous", "2027-06-30"],
      ["st-olavs", "2027-12-31"],
    ]);
    const page = await c.get(`/forsker/studier/${id}`);
    expect(page.body).toContain("Skjemastudie av leddgikt");
    expect(page.body).toContain(`/forsker/studier/${id}/rediger`);
  });

  it("'Send til godkjenning' saves and submits in one version", async () => {
    const { c } = await as("researcherStOlavs");
    const r = await c.post(
      "/forsker/studier/ny",
      validForm({ intent: "submit", "identifiers.rek": "2024/778900", "identifiers.nct": "" }),
    );
    expect(r.res.status).toBe(302);
    const id = Number(/\/forsker\/studier\/(\d+)/.exec(r.res.headers.get("location")!)![1]);
    expect(versions(id)).toEqual([{ version: 1, actor: "Kari Forsker", state: "submitted" }]);
  });

  it("adds and removes site rows without JavaScript (Conform's list intents), keeping what was typed", async () => {
    const { c } = await as("researcherStOlavs");
    const before = studyCount();
    const added = await c.post(
      "/forsker/studier/ny",
      validForm({}, [["__intent__", JSON.stringify({ type: "insert", payload: { name: "sites" } })]]),
    );
    expect(added.res.status).toBe(200);
    expect(added.body).toContain('name="sites[2].organisationId"');
    expect(added.body).toContain('value="Skjemastudie av leddgikt"');
    const removed = await c.post(
      "/forsker/studier/ny",
      validForm({}, [["__intent__", JSON.stringify({ type: "remove", payload: { name: "sites", index: 0 } })]]),
    );
    expect(removed.res.status).toBe(200);
    expect(removed.body).not.toContain('name="sites[1].organisationId"');
    expect(removed.body).toContain('value="2027-06-30"');
    expect(studyCount()).toBe(before);
  });

  it("a researcher posting a study for another organisation gets 403 and nothing is saved", async () => {
    const { c } = await as("researcherStOlavs");
    const before = studyCount();
    const r = await c.post(
      "/forsker/studier/ny",
      validForm({ leadOrganisationId: "ous", "identifiers.rek": "2024/1" }),
    );
    expect(r.res.status).toBe(403);
    expect(r.body).toContain("Du kan bare registrere studier som ledes av en organisasjon du er forsker ved.");
    expect(studyCount()).toBe(before);
  });

  it("an editor without a researcher role cannot register (403)", async () => {
    const { c } = await as("editorStOlavs");
    const r = await c.post("/forsker/studier/ny", validForm({ "identifiers.rek": "2024/2" }));
    expect(r.res.status).toBe(403);
  });

  it("refuses the form without the CSRF token", async () => {
    const { c } = await as("researcherStOlavs");
    const r = await c.post("/forsker/studier/ny", [...validForm(), ["csrf", "forfalsket"]]);
    expect(r.res.status).toBe(403);
  });
});

describe("registering, every role", () => {
  // A study led by St. Olavs: its researchers and the national administrator may register it.
  const cases: [Person | "anonymous", "ok" | "signin" | "forbidden"][] = [
    ["anonymous", "signin"],
    ["researcherStOlavs", "ok"],
    ["researcherOus", "forbidden"],
    ["editorStOlavs", "forbidden"],
    ["editorOus", "forbidden"],
    ["admin", "ok"],
  ];
  let rek = 500;
  for (const [who, expected] of cases) {
    it(`${who}: ${expected}`, async () => {
      const c = new BrowserClient(server.url);
      // Anonymous too has the CSRF cookie a browser gets from the sign-in page (who may register is the point here).
      if (who !== "anonymous") await c.signIn(PEOPLE[who].email);
      else await c.get("/logg-inn");
      await c.get("/forsker/studier/ny");
      const before = studyCount();
      const r = await c.post(
        "/forsker/studier/ny",
        validForm({ "identifiers.rek": `2024/9${rek++}`, "identifiers.nct": "" }),
      );
      const location = r.res.headers.get("location") ?? "";
      const got =
        r.res.status === 403
          ? "forbidden"
          : r.res.status === 302 && location.startsWith("/logg-inn")
            ? "signin"
            : r.res.status === 302
              ? "ok"
              : `HTTP ${r.res.status}`;
      expect(got).toBe(expected);
      expect(studyCount()).toBe(before + (expected === "ok" ? 1 : 0));
    });
  }
});

describe("editing a study", () => {
  it("fills the form from the study and keeps the other organisation's site read-only", async () => {
    const { page } = await as("researcherStOlavs", `/forsker/studier/${ids.a}/rediger`);
    expect(page.res.status).toBe(200);
    expect(page.body).toContain('value="Fiktiv studie av hjertesvikt"');
    expect(page.body).toMatch(/Datoene eies av Oslo universitetssykehus HF/);
  });

  it("saves the shared fields as one new version, keeping what the form does not show", async () => {
    const { c } = await as("researcherStOlavs", `/forsker/studier/${ids.a}/rediger`);
    const before = versions(ids.a).length;
    const r = await c.post(`/forsker/studier/${ids.a}/rediger`, [
      ...validForm({
        "identifiers.rek": "987654",
        "identifiers.nct": "",
        "title.nb": "Fiktiv studie av hjertesvikt, ny tittel",
        "sites[0].organisationId": "st-olavs",
        "sites[0].inclusionStart": "2026-01-01",
        "sites[0].inclusionEnd": "2027-08-31",
        "sites[1].organisationId": "ous",
        "sites[1].inclusionStart": "2026-03-01",
        "sites[1].inclusionEnd": "2027-03-01",
      }),
    ]);
    expect(r.res.status).toBe(302);
    const after = versions(ids.a);
    expect(after.length).toBe(before + 1);
    expect(after.at(-1)).toMatchObject({ actor: "Kari Forsker", state: "submitted" });
    const snapshot = JSON.parse(
      db
        .prepare("SELECT snapshot FROM study_versions WHERE study_id = ? ORDER BY version DESC LIMIT 1")
        .pluck()
        .get(ids.a) as string,
    );
    expect(snapshot.title.nb).toBe("Fiktiv studie av hjertesvikt, ny tittel");
    expect(snapshot.sites.find((s: { organisationId: string }) => s.organisationId === "st-olavs").inclusionEnd).toBe(
      "2027-08-31",
    );
  });

  it("changing another organisation's site dates through the form is refused (403), as is removing it", async () => {
    const { c } = await as("researcherStOlavs", `/forsker/studier/${ids.a}/rediger`);
    const before = versions(ids.a).length;
    const changed = await c.post(
      `/forsker/studier/${ids.a}/rediger`,
      validForm({
        "identifiers.rek": "987654",
        "identifiers.nct": "",
        "sites[1].inclusionEnd": "2030-01-01",
        "sites[1].inclusionStart": "2026-03-01",
      }),
    );
    expect(changed.res.status).toBe(403);
    const fields = validForm({ "identifiers.rek": "987654", "identifiers.nct": "" }).filter(
      ([k]) => !k.startsWith("sites[1]"),
    );
    const removed = await c.post(`/forsker/studier/${ids.a}/rediger`, fields);
    expect(removed.res.status).toBe(403);
    expect(versions(ids.a).length).toBe(before);
  });

  it("a researcher at a participating organisation may not edit the shared content (403)", async () => {
    const c = new BrowserClient(server.url);
    await c.signIn(PEOPLE.researcherOus.email);
    expect((await c.get(`/forsker/studier/${ids.a}/rediger`)).res.status).toBe(403);
    await c.get(`/forsker/studier/${ids.b}/rediger`);
    const r = await c.post(`/forsker/studier/${ids.a}/rediger`, validForm({ leadOrganisationId: "ous" }));
    expect(r.res.status).toBe(403);
  });

  it("only the lead organisation's editor approves: the participating organisation's editor gets 403", async () => {
    const ous = new BrowserClient(server.url);
    await ous.signIn(PEOPLE.editorOus.email);
    await ous.get(`/redaksjon/studier/${ids.a}`);
    expect((await ous.post(`/redaksjon/studier/${ids.a}`, { intent: "approve", comment: "" })).res.status).toBe(403);
    const lead = new BrowserClient(server.url);
    await lead.signIn(PEOPLE.editorStOlavs.email);
    const review = await lead.get(`/redaksjon/studier/${ids.a}`);
    // The approve form carries the version the page showed (issue 22: approve what was reviewed).
    const version = /name="version" value="(\d+)"/.exec(review.body)![1]!;
    expect(
      (await lead.post(`/redaksjon/studier/${ids.a}`, { intent: "approve", version, comment: "" })).res.status,
    ).toBe(302);
    expect(versions(ids.a).at(-1)!.state).toBe("published");
  });
});

describe("ICD-10 suggestions", () => {
  it("answers JSON from the ICD-10 list for a signed-in user, and sends others to sign in", async () => {
    const { c } = await as("researcherStOlavs");
    const r = await c.get("/forsker/icd10?q=C50");
    expect(r.res.status).toBe(200);
    const body = JSON.parse(r.body) as { codes: { code: string; nameNb: string }[] };
    expect(body.codes[0]).toMatchObject({ code: "C50" });
    expect((await new BrowserClient(server.url).get("/forsker/icd10?q=C50")).res.status).toBe(302);
  });
});

function escape(s: string) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function decode(html: string): string {
  return html
    .replace(/&quot;/g, '"')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}
