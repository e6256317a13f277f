/**
 * Hostile posts to the signed-in pages' one-button forms (issue 21 item 5, ADR 0032), against the
 * built server on a real SQLite file: a missing or unknown intent, a site key that does not
 * exist, numbers that are not numbers, a value sent twice and an over-long comment each get a
 * clear 400 (or 404 for a site the study does not have) that names the field, in the page's
 * language — never a 500 — and nothing stored changes. The editor's comment comes back on its field.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BrowserClient, type Fields } from "../helpers/browser-client";
import { startServer, type RunningServer } from "../helpers/server";
import { freshDb, type TestDb } from "../helpers/db";
import { createPeople, createStudies, PEOPLE } from "../helpers/accounts";

let t: TestDb;
let server: RunningServer;
let researcher: BrowserClient;
let editor: BrowserClient;
let a: number;

/** Every stored row a one-button form could change. */
const stored = () => ({
  studies: t.db.prepare("SELECT id, publication_state, current_version FROM studies ORDER BY id").all(),
  sites: t.db.prepare("SELECT * FROM study_sites ORDER BY id").all(),
  versions: t.db.prepare("SELECT count(*) FROM study_versions").pluck().get(),
  reviews: t.db.prepare("SELECT count(*) FROM study_reviews").pluck().get(),
  confirmations: t.db.prepare("SELECT count(*) FROM site_confirmations").pluck().get(),
});

/** Posts `fields` and expects `status` with every `texts` in the answer, and nothing stored changed. */
async function refused(client: BrowserClient, path: string, fields: Fields, status: number, texts: string[]) {
  const before = stored();
  const { res, body } = await client.post(path, fields);
  expect(res.status, body.slice(0, 500)).toBe(status);
  for (const text of texts) expect(body).toContain(text);
  expect(stored()).toEqual(before);
  return body;
}

beforeAll(async () => {
  t = freshDb();
  await createPeople(t.db);
  ({ a } = createStudies(t.db));
  server = await startServer({ DATABASE_PATH: t.file, SEED_DEMO_DATA: "false", SESSION_SECRET: "f".repeat(40) });
  researcher = new BrowserClient(server.url);
  await researcher.signIn(PEOPLE.researcherStOlavs.email);
  await researcher.get(`/forsker/studier/${a}`);
  editor = new BrowserClient(server.url);
  await editor.signIn(PEOPLE.editorStOlavs.email);
  await editor.get("/redaksjon");
}, 120_000);
afterAll(async () => {
  await server?.stop();
  t?.cleanup();
});

describe("the researcher's study page (/forsker/studier/:id)", () => {
  const page = () => `/forsker/studier/${a}`;

  it("a post without an intent, or with one the page does not have, is a 400 that says so", async () => {
    await refused(researcher, page(), { site: "st-olavs/" }, 400, [
      "Skjemaet kunne ikke brukes: Skjemaet sier ikke hva som skal gjøres (intent mangler).",
    ]);
    await refused(researcher, page(), { intent: "slett-alt", site: "st-olavs/" }, 400, ["Ukjent handling «slett-alt»"]);
    await refused(researcher, `${page()}?lang=nn`, { intent: "slett-alt" }, 400, ["Ukjend handling «slett-alt»"]);
  });

  it("a missing, empty, doubled or over-long site key names the field; an unknown one is a 404 naming the site", async () => {
    for (const intent of ["confirm-site", "accept-site", "decline-site", "withdraw-site", "dates"]) {
      await refused(researcher, page(), { intent }, 400, ["site: Må fylles ut."]);
    }
    await refused(researcher, page(), { intent: "confirm-site", site: "   " }, 400, ["site: Må fylles ut."]);
    await refused(
      researcher,
      page(),
      [
        ["intent", "confirm-site"],
        ["site", "st-olavs/"],
        ["site", "ous/"],
      ],
      400,
      ["site: Ugyldig verdi."],
    );
    await refused(researcher, page(), { intent: "withdraw-site", site: "x".repeat(501) }, 400, [
      "site: For lang (høyst 500 tegn).",
    ]);
    await refused(researcher, `${page()}?lang=en`, { intent: "confirm-site" }, 400, [
      "The form could not be used: site: Must be filled in.",
    ]);
    await refused(researcher, page(), { intent: "confirm-site", site: "finnes-ikke/" }, 404, []);
    await refused(researcher, page(), { intent: "accept-site", site: "finnes-ikke/" }, 404, []);
  });

  it("the forms the page sends still work", async () => {
    const { res } = await researcher.post(page(), { intent: "confirm-site", site: "st-olavs/" });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(`/forsker/studier/${a}?bekreftet=st-olavs%2F`);
  });
});

describe("the history page's restore (/forsker/studier/:id/historikk)", () => {
  const page = () => `/forsker/studier/${a}/historikk`;

  it("a version that is missing, not a number, not whole or below 1 is a 400 naming the field", async () => {
    await researcher.get(page());
    await refused(researcher, page(), {}, 400, ["version: Må fylles ut."]);
    await refused(researcher, page(), { version: "siste" }, 400, ["version: Skriv et tall."]);
    await refused(researcher, page(), { version: "1.5" }, 400, ["version: Ugyldig verdi."]);
    await refused(researcher, page(), { version: "0" }, 400, ["version: Må være minst 1."]);
    await refused(researcher, `${page()}?lang=nn`, { version: "siste" }, 400, [
      "Skjemaet kunne ikkje brukast: version: Skriv eit tal.",
    ]);
    // A whole number the study has no version of: the model's 404.
    await refused(researcher, page(), { version: "99" }, 404, []);
  });
});

describe("the editor's queue (/redaksjon)", () => {
  it("missing and unknown intents, a study that is not a number, a missing site or organisation: a 400", async () => {
    await editor.get("/redaksjon");
    await refused(editor, "/redaksjon", {}, 400, ["intent mangler"]);
    await refused(editor, "/redaksjon", { intent: "approve" }, 400, ["Ukjent handling «approve»"]);
    await refused(editor, "/redaksjon", { intent: "confirm-site", study: "abc", site: "st-olavs/" }, 400, [
      "study: Skriv et tall.",
    ]);
    await refused(editor, "/redaksjon", { intent: "pause", study: String(a), pauseReason: "Ferie" }, 400, [
      "site: Må fylles ut.",
    ]);
    await refused(editor, "/redaksjon?lang=en", { intent: "reminder-feed" }, 400, ["organisation: Must be filled in."]);
    await refused(editor, "/redaksjon", { intent: "confirm-site", study: String(a), site: "finnes-ikke/" }, 404, []);
  });
});

describe("the editor's review page (/redaksjon/studier/:id)", () => {
  const page = () => `/redaksjon/studier/${a}`;

  it("unknown intents and hidden numbers that are not numbers are a 400; nothing is approved", async () => {
    await editor.get(page());
    await refused(editor, page(), { comment: "Fint" }, 400, ["intent mangler"]);
    await refused(editor, page(), { intent: "godkjenn" }, 400, ["Ukjent handling «godkjenn»"]);
    await refused(editor, page(), { intent: "approve", version: "nyeste", comment: "" }, 400, [
      "version: Skriv et tall.",
    ]);
    await refused(editor, page(), { intent: "approve", version: "1", revision: "-2", comment: "" }, 400, [
      "revision: Må være minst 1.",
    ]);
    await refused(editor, page(), { intent: "local", contactName: "Ola" }, 400, ["site: Må fylles ut."]);
    await refused(editor, page(), { intent: "local", site: "finnes-ikke/" }, 404, []);
  });

  it("an over-long comment comes back on its field, with what was written, in the page's language", async () => {
    const long = "Rett tittelen. ".repeat(140); // 2,100 characters
    for (const [lang, problem] of [
      ["nb", "For lang (høyst 2000 tegn)."],
      ["nn", "For lang (høgst 2000 teikn)."],
      ["en", "Too long (at most 2000 characters)."],
    ] as const) {
      const body = await refused(
        editor,
        `${page()}?lang=${lang}`,
        { intent: "send-back", version: "1", revision: "", comment: long },
        400,
        [problem],
      );
      expect(body).toMatch(
        /<textarea[^>]*aria-invalid="true"[^>]*name="comment"|<textarea[^>]*name="comment"[^>]*aria-invalid="true"/,
      );
      expect(body).toContain(long.trim());
    }
  });

  it("sending back without a comment is still the comment's problem, on its field", async () => {
    const body = await refused(editor, `${page()}?lang=nn`, { intent: "send-back", version: "1", comment: " " }, 400, [
      "Skriv kva forskaren må rette før studien kan godkjennast.",
    ]);
    expect(body).toMatch(/<textarea[^>]*aria-invalid="true"/);
  });
});
