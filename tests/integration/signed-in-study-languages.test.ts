/**
 * The researcher's study page, the study form (new and edit), the editor's review page (with its
 * diff and preview) and the feeds page in nb, nn and en over HTTP against the built server on a
 * real SQLite file (issue 18 item 4): `<html lang>` and the headings in each language; a problem
 * in a form (the site-dates form, the study form, the editor's local information and comment)
 * comes back on its field in the page's language, also when the model found it; every redirect
 * keeps the language; a page the role does not allow says so in the page's language.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getStudy, toStudyInput } from "#app/models/study.server";
import { saveStudyContent } from "#app/models/study-work.server";
import { BrowserClient } from "../helpers/browser-client";
import { startServer, type RunningServer } from "../helpers/server";
import { freshDb, type TestDb } from "../helpers/db";
import { createPeople, PEOPLE, testStudy } from "../helpers/accounts";
import { saveStudyOrThrow } from "../helpers/studies";

let t: TestDb;
let server: RunningServer;
let researcher: BrowserClient;
let editor: BrowserClient;
let study: number;
let draft: number;
const TITLE = "Språkstudie om hjertesvikt";

beforeAll(async () => {
  t = freshDb();
  const people = await createPeople(t.db);
  const saved = saveStudyOrThrow(
    t.db,
    testStudy({
      identifiers: { rek: "771002" },
      title: { nb: TITLE },
      publicationState: "published",
      leadOrganisationId: "ous",
      sites: [{ organisationId: "ous", hospitalId: null, inclusionStart: "2026-01-01", inclusionEnd: "2028-01-01" }],
    }),
    { actor: { kind: "system", name: "test" } },
  );
  study = saved.studyId;
  // A draft without a REK number: sending it for approval is refused, naming what is missing.
  const unready = saveStudyOrThrow(
    t.db,
    testStudy({
      identifiers: {},
      title: { nb: "Utkast uten REK" },
      publicationState: "draft",
      leadOrganisationId: "ous",
      sites: [{ organisationId: "ous", hospitalId: null, inclusionStart: "2026-01-01", inclusionEnd: "2028-01-01" }],
    }),
    { actor: { kind: "system", name: "test" } },
  );
  draft = unready.studyId;
  // A change sent for approval: the review page shows its diff against the published version.
  const researcherOus = { id: people.researcherOus, ...PEOPLE.researcherOus };
  const input = toStudyInput(getStudy(t.db, study)!);
  const revised = saveStudyContent(
    t.db,
    researcherOus,
    study,
    { ...input, summary: { ...input.summary, nb: "Vi prøver en ny medisin mot hjertesvikt." } },
    { submit: true },
  );
  if (!revised.ok) throw new Error(JSON.stringify(revised.problems));
  server = await startServer({ DATABASE_PATH: t.file, SEED_DEMO_DATA: "false", SESSION_SECRET: "s".repeat(40) });
  researcher = new BrowserClient(server.url);
  await researcher.signIn(PEOPLE.researcherOus.email);
  editor = new BrowserClient(server.url);
  await editor.signIn(PEOPLE.editorOus.email);
}, 120_000);
afterAll(async () => {
  await server?.stop();
  t?.cleanup();
});

const LANGS = ["nb", "nn", "en"] as const;
type Lang = (typeof LANGS)[number];
const h1 = (body: string) => /<h1[^>]*>([\s\S]*?)<\/h1>/.exec(body)?.[1];
const htmlLang = (body: string) => /<html[^>]*\blang="([^"]+)"/.exec(body)?.[1];
const inLang = (path: string, lang: Lang) =>
  lang === "nb" ? path : `${path}${path.includes("?") ? "&" : "?"}lang=${lang}`;

describe("each page in nb, nn and en", () => {
  const pages: {
    name: string;
    who: () => BrowserClient;
    path: () => string;
    h1: Record<Lang, string | RegExp>;
    texts: Record<Lang, string[]>;
  }[] = [
    {
      name: "the researcher's study page",
      who: () => researcher,
      path: () => `/forsker/studier/${study}`,
      h1: { nb: TITLE, nn: TITLE, en: TITLE },
      texts: {
        nb: ["Studiesteder og inklusjonsperiode", "Lagre datoer for", "Endring 1 venter på godkjenning", "Publisert"],
        nn: ["Studiestader og inklusjonsperiode", "Lagre datoar for", "Endring 1 ventar på godkjenning", "Publisert"],
        en: ["Study sites and inclusion period", "Save dates for", "Change 1 is awaiting approval", "Published"],
      },
    },
    {
      name: "the new study form",
      who: () => researcher,
      path: () => "/forsker/studier/ny",
      h1: { nb: "Registrer studie", nn: "Registrer studie", en: "Register a study" },
      texts: {
        nb: ["Ansvar og identifikatorer", "Hvem kan delta", "Legg til studiested", "Lagre utkast"],
        nn: ["Ansvar og identifikatorar", "Kven kan delta", "Legg til studiestad", "Lagre utkast"],
        en: ["Responsibility and identifiers", "Who can take part", "Add a study site", "Save draft"],
      },
    },
    {
      name: "the edit form",
      who: () => researcher,
      path: () => `/forsker/studier/${study}/rediger`,
      h1: { nb: "Rediger studie", nn: "Rediger studie", en: "Edit study" },
      texts: {
        nb: ["Publisert. Hver lagring blir en ny versjon", "Lagre endringer uten å sende"],
        nn: ["Publisert. Kvar lagring blir ein ny versjon", "Lagre endringar utan å sende"],
        en: ["Published. Every save becomes a new version", "Save changes without sending"],
      },
    },
    {
      name: "the editor's review page with diff and preview",
      who: () => editor,
      path: () => `/redaksjon/studier/${study}`,
      h1: { nb: TITLE, nn: TITLE, en: TITLE },
      texts: {
        nb: ["Endringer siden publisert versjon 1", "Forhåndsvisning: slik blir studien publisert", "Sammendrag"],
        nn: ["Endringar sidan publisert versjon 1", "Førehandsvising: slik blir studien publisert", "Samandrag"],
        en: ["Changes since published version 1", "Preview: how the study will be published", "Summary"],
      },
    },
    {
      name: "the feeds page",
      who: () => editor,
      path: () => "/redaksjon/feeds",
      h1: { nb: /^Innlesing: /, nn: /^Innlesing: /, en: /^Imports: / },
      texts: {
        nb: ["Siste innlesinger", "Avviste poster", "Feeds som hentes"],
        nn: ["Siste innlesingar", "Avviste postar", "Feeds som blir henta"],
        en: ["Latest imports", "Rejected records", "Feeds we fetch"],
      },
    },
  ];
  for (const page of pages) {
    for (const lang of LANGS) {
      it(`${page.name} in ${lang}`, async () => {
        const { res, body } = await page.who().get(inLang(page.path(), lang));
        expect(res.status).toBe(200);
        expect(htmlLang(body)).toBe(lang);
        const heading = page.h1[lang];
        if (typeof heading === "string") expect(h1(body)).toBe(heading);
        else expect(h1(body)).toMatch(heading);
        for (const text of page.texts[lang]) expect(body, `${page.name} ${lang}: ${text}`).toContain(text);
      });
    }
  }

  it("the review page's diff table has its column headings in the page's language", async () => {
    const en = await editor.get(`/redaksjon/studier/${study}?lang=en`);
    expect(en.body).toMatch(/<th scope="col">Field<\/th><th scope="col">Published<\/th><th scope="col">Now<\/th>/);
    const nb = await editor.get(`/redaksjon/studier/${study}`);
    expect(nb.body).toMatch(/<th scope="col">Felt<\/th><th scope="col">Publisert<\/th><th scope="col">Nå<\/th>/);
  });

  it("the state and what is missing, on My studies and the editorial queue, in the page's language", async () => {
    const mine = await researcher.get("/forsker/studier?lang=en");
    expect(mine.body).toContain("Published");
    expect(mine.body).not.toContain("Publisert");
    // The editor's own sites list each study's state.
    const sites = await editor.get("/redaksjon?lang=en");
    expect(sites.body).toContain(TITLE);
    expect(sites.body).toContain("Published");
    expect(sites.body).not.toContain("Publisert");
  });

  it("links on these pages keep the language", async () => {
    const mine = await researcher.get(`/forsker/studier/${study}?lang=nn`);
    expect(mine.body).toContain('href="/forsker/studier?lang=nn"');
    expect(mine.body).toContain(`href="/forsker/studier/${study}/historikk?lang=nn"`);
    expect(mine.body).toContain(`href="/forsker/studier/${study}/rediger?lang=nn"`);
    const review = await editor.get(`/redaksjon/studier/${study}?lang=en`);
    expect(review.body).toContain('href="/redaksjon?lang=en"');
  });
});

describe("form problems in the page's language", () => {
  it("a date that is no date, on its field", async () => {
    const want = {
      nb: "Inklusjonsslutt må være en dato (åååå-mm-dd), ikke «i morgen».",
      nn: "Inklusjonsslutt må vere ein dato (åååå-mm-dd), ikkje «i morgen».",
      en: "Inclusion end must be a date (yyyy-mm-dd), not “i morgen”.",
    };
    for (const lang of LANGS) {
      await researcher.get(inLang(`/forsker/studier/${study}`, lang));
      const { res, body } = await researcher.post(
        inLang(`/forsker/studier/${study}`, lang),
        dates("2026-01-01", "i morgen"),
      );
      expect(res.status).toBe(400);
      expect(htmlLang(body)).toBe(lang);
      expect(body).toContain(want[lang]);
      // On the field: the input is marked invalid and points at the message.
      expect(body).toMatch(/<input[^>]*name="inclusionEnd"[^>]*aria-invalid="true"/);
    }
  });

  it("a problem the model finds (end before start) is said in the page's language", async () => {
    await researcher.get(`/forsker/studier/${study}?lang=en`);
    const en = await researcher.post(`/forsker/studier/${study}?lang=en`, dates("2027-06-01", "2026-06-01"));
    expect(en.res.status).toBe(400);
    expect(en.body).toContain("The inclusion end (2026-06-01) is before the inclusion start (2027-06-01).");
    const nn = await researcher.post(`/forsker/studier/${study}?lang=nn`, dates("2027-06-01", "2026-06-01"));
    expect(nn.body).toContain("Inklusjonsslutt (2026-06-01) er før inklusjonsstart (2027-06-01).");
    const nb = await researcher.post(`/forsker/studier/${study}`, dates("2027-06-01", "2026-06-01"));
    expect(nb.body).toContain("Inklusjonsslutt (2026-06-01) er før inklusjonsstart (2027-06-01).");
  });

  it("the study form's problems (sending without REK, no title) in nn and en", async () => {
    const want = {
      nn: ["Skriv REK-nummeret før du sender studien til godkjenning", "Må fyllast ut.", "Studien vart ikkje lagra"],
      en: [
        "Write the REK number before you send the study for approval",
        "Must be filled in.",
        "The study was not saved",
      ],
    };
    for (const lang of ["nn", "en"] as const) {
      await researcher.get(`/forsker/studier/ny?lang=${lang}`);
      const { res, body } = await researcher.post(`/forsker/studier/ny?lang=${lang}`, {
        intent: "submit",
        leadOrganisationId: "ous",
        "title.nb": "",
        "eligibility.sex": "all",
      });
      expect(res.status).toBe(400);
      expect(htmlLang(body)).toBe(lang);
      for (const text of want[lang]) expect(body, `${lang}: ${text}`).toContain(text);
      expect(body).not.toContain("Skriv REK-nummeret før du sender studien til godkjenning: alle norske studier");
    }
  });

  it("the editor's local information and comment, in nn and en", async () => {
    await editor.get(`/redaksjon/studier/${study}?lang=en`);
    const local = await editor.post(`/redaksjon/studier/${study}?lang=en`, {
      intent: "local",
      site: "ous/",
      contactName: "",
      paused: "on",
      pauseReason: "",
    });
    expect(local.res.status).toBe(400);
    expect(local.body).toContain("A pause must have a reason.");
    expect(local.body).toMatch(/<input[^>]*name="pauseReason"[^>]*aria-invalid="true"/);
    const comment = await editor.post(`/redaksjon/studier/${study}?lang=nn`, { intent: "send-back", comment: "" });
    expect(comment.res.status).toBe(400);
    expect(comment.body).toContain("Skriv kva forskaren må rette før studien kan godkjennast.");
  });
});

describe("what the models refuse, in the page's language", () => {
  it("sending a draft that misses its REK number names what is missing", async () => {
    const want = {
      nb: "Studien kan ikke sendes til godkjenning før dette er på plass: REK-nummer.",
      nn: "Studien kan ikkje sendast til godkjenning før dette er på plass: REK-nummer.",
      en: "The study cannot be sent for approval until this is in place: REK number.",
    };
    for (const lang of LANGS) {
      await researcher.get(inLang(`/forsker/studier/${draft}`, lang));
      const { res, body } = await researcher.post(inLang(`/forsker/studier/${draft}`, lang), { intent: "submit" });
      expect(res.status).toBe(400);
      expect(body).toContain(want[lang]);
    }
  });

  it("approving a version that is no longer the one under review: 409, said in the page's language", async () => {
    await editor.get(`/redaksjon/studier/${study}?lang=en`);
    const en = await editor.post(`/redaksjon/studier/${study}?lang=en`, {
      intent: "approve",
      version: "99",
      revision: "",
      comment: "",
    });
    expect(en.res.status).toBe(409);
    expect(htmlLang(en.body)).toBe("en");
    expect(en.body).toContain("The study has changed since you opened it.");
    const nn = await editor.post(`/redaksjon/studier/${study}?lang=nn`, { intent: "approve", version: "99" });
    expect(nn.res.status).toBe(409);
    expect(nn.body).toContain("Studien er endra etter at du opna han.");
  });
});

describe("the language survives every post and redirect", () => {
  it("saving dates and confirming a site come back in the same language, with the notice", async () => {
    await researcher.get(`/forsker/studier/${study}?lang=en`);
    const saved = await researcher.post(`/forsker/studier/${study}?lang=en`, dates("2026-01-01", "2028-06-30"));
    expect(saved.res.status).toBe(302);
    const location = saved.res.headers.get("location")!;
    expect(location).toMatch(new RegExp(`^/forsker/studier/${study}\\?lagret=\\d+&lang=en$`));
    const after = await researcher.get(location);
    expect(after.body).toMatch(/Saved as version \d+\./);

    const confirmed = await researcher.post(`/forsker/studier/${study}?lang=nn`, {
      intent: "confirm-site",
      site: "ous/",
    });
    expect(confirmed.res.status).toBe(302);
    expect(confirmed.res.headers.get("location")).toBe(`/forsker/studier/${study}?bekreftet=ous%2F&lang=nn`);
    const page = await researcher.get(confirmed.res.headers.get("location")!);
    expect(page.body).toContain("er stadfesta.");
  });

  it("the editor's local information saves and comes back in the same language", async () => {
    await editor.get(`/redaksjon/studier/${study}?lang=nn`);
    const { res } = await editor.post(`/redaksjon/studier/${study}?lang=nn`, {
      intent: "local",
      site: "ous/",
      contactName: "Lokal kontakt",
      contactPhone: "22 11 80 80",
    });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(`/redaksjon/studier/${study}?ferdig=lagret&lang=nn`);
    const page = await editor.get(res.headers.get("location")!);
    expect(page.body).toContain("Lokal informasjon er lagra.");
  });

  it("a page the role does not allow says so in the page's language", async () => {
    const en = await researcher.get("/redaksjon/feeds?lang=en");
    expect(en.res.status).toBe(403);
    expect(htmlLang(en.body)).toBe("en");
    expect(h1(en.body)).toBe("You do not have access");
    const nn = await researcher.get("/redaksjon/feeds?lang=nn");
    expect(h1(nn.body)).toBe("Du har ikkje tilgang");
  });
});

function dates(inclusionStart: string, inclusionEnd: string) {
  return { intent: "dates", site: "ous/", inclusionStart, inclusionEnd };
}
