/**
 * The researcher, editor and statistics pages in nb, nn and en over HTTP against the built server
 * on a real SQLite file (issue 18 item 4, ADR 0005): each page fetched in each language has
 * `<html lang>` and its heading in that language, and the language survives sign-in, sign-out,
 * the sign-in redirect of a signed-in page and the editor's one-click confirmation.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BrowserClient } from "../helpers/browser-client";
import { startServer, type RunningServer } from "../helpers/server";
import { freshDb, type TestDb } from "../helpers/db";
import { createPeople, PASSWORD, PEOPLE, testStudy } from "../helpers/accounts";
import { saveStudyOrThrow } from "../helpers/studies";

let t: TestDb;
let server: RunningServer;
let researcher: BrowserClient;
let editor: BrowserClient;
let published: number;

beforeAll(async () => {
  t = freshDb();
  await createPeople(t.db);
  const saved = saveStudyOrThrow(
    t.db,
    testStudy({
      identifiers: { rek: "771001" },
      title: { nb: "Språkstudie ved OUS" },
      publicationState: "published",
      leadOrganisationId: "ous",
      sites: [{ organisationId: "ous", hospitalId: null, inclusionStart: "2026-01-01", inclusionEnd: "2028-01-01" }],
    }),
    { actor: { kind: "system", name: "test" } },
  );
  published = saved.studyId;
  server = await startServer({ DATABASE_PATH: t.file, SEED_DEMO_DATA: "false", SESSION_SECRET: "l".repeat(40) });
  researcher = new BrowserClient(server.url);
  await researcher.signIn(PEOPLE.researcherOus.email);
  editor = new BrowserClient(server.url);
  await editor.signIn(PEOPLE.editorOus.email);
}, 120_000);
afterAll(async () => {
  await server?.stop();
  t?.cleanup();
});

const h1 = (body: string) => /<h1[^>]*>([\s\S]*?)<\/h1>/.exec(body)?.[1];
const htmlLang = (body: string) => /<html[^>]*\blang="([^"]+)"/.exec(body)?.[1];

/** Page → its heading and one more text in each language. */
const PAGES: { path: string; who: "anonymous" | "researcher" | "editor"; nb: string[]; nn: string[]; en: string[] }[] =
  [
    {
      path: "/forsker/statistikk",
      who: "anonymous",
      nb: ["Nasjonal statistikk", "Studier etter region", "Vis tallene"],
      nn: ["Nasjonal statistikk", "Studiar etter region", "Vis tala"],
      en: ["National statistics", "Studies by region", "Show the figures"],
    },
    {
      path: "/logg-inn",
      who: "anonymous",
      nb: ["Logg inn", "E-postadresse"],
      nn: ["Logg inn", "Gløymt passordet?"],
      en: ["Sign in", "Email address"],
    },
    {
      path: "/nytt-passord?token=finnes-ikke",
      who: "anonymous",
      nb: ["Nytt passord", "Lenken er brukt, utløpt eller ugyldig."],
      nn: ["Nytt passord", "Lenkja er brukt, gått ut eller ugyldig."],
      en: ["New password", "The link has been used, has expired or is not valid."],
    },
    {
      path: "/logg-ut?ferdig=1",
      who: "anonymous",
      nb: ["Logg ut", "Du er logget ut."],
      nn: ["Logg ut", "Du er logga ut."],
      en: ["Sign out", "You have signed out."],
    },
    {
      path: "/forsker/studier",
      who: "researcher",
      nb: ["Mine studier", "Registrer ny studie", "Innlogget som"],
      nn: ["Studiane mine", "Registrer ny studie", "Innlogga som"],
      en: ["My studies", "Register a new study", "Signed in as"],
    },
    {
      path: "/redaksjon",
      who: "editor",
      nb: ["Redaksjon", "Venter på godkjenning", "Dine studiesteder"],
      nn: ["Redaksjon", "Ventar på godkjenning", "Studiestadene dine"],
      en: ["Editorial", "Awaiting approval", "Your study sites"],
    },
  ];

describe("signed-in and statistics pages in three languages", () => {
  for (const page of PAGES) {
    for (const lang of ["nb", "nn", "en"] as const) {
      it(`${page.path} in ${lang}`, async () => {
        const client =
          page.who === "researcher" ? researcher : page.who === "editor" ? editor : new BrowserClient(server.url);
        const sep = page.path.includes("?") ? "&" : "?";
        const { res, body } = await client.get(lang === "nb" ? page.path : `${page.path}${sep}lang=${lang}`);
        expect(res.status).toBe(200);
        expect(htmlLang(body)).toBe(lang);
        expect(h1(body)).toBe(page[lang][0]);
        for (const text of page[lang].slice(1)) expect(body, `${page.path} ${lang}: ${text}`).toContain(text);
      });
    }
  }

  it("a study's history in nn and en, with its version headings", async () => {
    const words = {
      nb: ["Historikk: Språkstudie ved OUS", "Versjon 1 (gjeldende)"],
      nn: ["Historikk: Språkstudie ved OUS", "Versjon 1 (gjeldande)"],
      en: ["History: Språkstudie ved OUS", "Version 1 (current)"],
    };
    for (const lang of ["nb", "nn", "en"] as const) {
      const { res, body } = await researcher.get(
        `/forsker/studier/${published}/historikk${lang === "nb" ? "" : `?lang=${lang}`}`,
      );
      expect(res.status).toBe(200);
      expect(htmlLang(body)).toBe(lang);
      expect(h1(body)).toBe(words[lang][0]);
      expect(body).toContain(words[lang][1]);
    }
  });

  it("links on the signed-in pages keep the language", async () => {
    const { body } = await editor.get("/redaksjon?lang=nn");
    expect(body).toContain('href="/redaksjon/feeds?lang=nn"');
    expect(body).toContain('href="/forsker/studier?lang=nn"');
    expect(body).toContain('action="/logg-ut?lang=nn"');
    const mine = await researcher.get("/forsker/studier?lang=en");
    expect(mine.body).toContain(`href="/forsker/studier/${published}?lang=en"`);
    expect(mine.body).toContain('href="/forsker/studier/ny?lang=en"');
  });
});

describe("the language survives redirects", () => {
  it("a signed-in page sends a stranger to the sign-in page in the same language, and back", async () => {
    const stranger = new BrowserClient(server.url);
    const { res } = await stranger.get("/forsker/studier?lang=nn");
    expect(res.status).toBe(302);
    const location = res.headers.get("location")!;
    expect(new URL(location, server.url).searchParams.get("lang")).toBe("nn");
    expect(new URL(location, server.url).searchParams.get("til")).toBe("/forsker/studier?lang=nn");
    const signInPage = await stranger.get(location);
    expect(htmlLang(signInPage.body)).toBe("nn");
  });

  it("signing in without a return path lands on the person's home in the same language", async () => {
    const client = new BrowserClient(server.url);
    await client.get("/logg-inn?lang=en");
    const { res } = await client.post("/logg-inn?lang=en", { email: PEOPLE.editorOus.email, password: PASSWORD });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/redaksjon?lang=en");
  });

  it("a missing e-mail address is said in the page's language", async () => {
    const client = new BrowserClient(server.url);
    await client.get("/logg-inn?lang=nn");
    const { res, body } = await client.post("/logg-inn?lang=nn", { email: "", password: "" });
    expect(res.status).toBe(400);
    expect(body).toContain("Skriv e-postadressa di.");
  });

  it("signing out answers in the same language", async () => {
    const client = new BrowserClient(server.url);
    await client.signIn(PEOPLE.researcherStOlavs.email);
    await client.get("/forsker/studier?lang=en");
    const { res } = await client.post("/logg-ut?lang=en", {});
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/logg-ut?ferdig=1&lang=en");
  });

  it("the editor's one-click confirmation comes back in the same language with its notice", async () => {
    await editor.get("/redaksjon?lang=en");
    const { res } = await editor.post("/redaksjon?lang=en", {
      intent: "confirm-site",
      study: String(published),
      site: "ous/",
    });
    expect(res.status).toBe(302);
    const location = res.headers.get("location")!;
    expect(location).toBe("/redaksjon?ferdig=bekreftet&lang=en");
    const after = await editor.get(location);
    expect(after.body).toContain("The dates are confirmed.");
  });
});
