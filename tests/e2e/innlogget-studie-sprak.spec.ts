/**
 * The researcher's study page, the study form (new, and with a problem shown), the editor's
 * review page with its diff and preview, and the feeds page in nb, nn and en in the real browser
 * with axe (issue 18 item 4, "axe finds nothing on every new page and state, in three
 * languages"). The accounts, a published study and a change sent for approval are written into
 * the e2e server's database through the real models.
 */
import { expect, test, type Page } from "@playwright/test";
import { openDatabase } from "#app/db.server";
import { parseStudy } from "#app/domain/study";
import { insertRevision } from "#app/models/study-revisions.server";
import { ensurePeople } from "./support/accounts";
import { expectNoAxeViolations } from "./support/axe";
import { saveStudyOrThrow } from "../helpers/studies";

const PASSWORD = "e2e-studie-sprak-passord-langt";
const RESEARCHER = "e2e.studie-sprak-forsker@stolav.example.no";
const EDITOR = "e2e.studie-sprak-redaktor@stolav.example.no";
const TITLE = "Fiktiv e2e-studie av språk på studiesiden";
let studyId = 0;

test.beforeAll(async () => {
  const db = openDatabase(process.env.E2E_DATABASE_PATH!);
  try {
    await ensurePeople(db, PASSWORD, [
      { email: RESEARCHER, name: "Rita E2E-forskar", role: "researcher", organisationId: "st-olavs" },
      { email: EDITOR, name: "Rolf E2E-redaktør", role: "editor", organisationId: "st-olavs" },
    ]);
    const study = {
      identifiers: { rek: "991188" },
      title: { nb: TITLE },
      summary: { nb: "Vi prøver en ny behandling. Dette er en fiktiv teststudie." },
      studyType: "treatment" as const,
      leadOrganisationId: "st-olavs",
      publicationState: "published" as const,
      sites: [{ organisationId: "st-olavs", inclusionStart: "2026-01-01", inclusionEnd: "2030-12-31" }],
    };
    const saved = saveStudyOrThrow(db, study, { actor: { kind: "system", name: "e2e" } });
    studyId = saved.studyId;
    // A change sent for approval: the review page shows its diff and the preview.
    const proposed = parseStudy({
      ...study,
      summary: { nb: "Vi prøver en ny behandling mot hjertesvikt. Dette er en fiktiv teststudie." },
      participation: { nb: "Du kommer til sykehuset tre ganger." },
    });
    if (!proposed.ok) throw new Error(JSON.stringify(proposed.problems));
    insertRevision(db, {
      studyId,
      baseVersion: saved.version,
      state: "submitted",
      snapshot: proposed.study,
      actor: { name: "Rita E2E-forskar" },
      now: new Date(),
    });
  } finally {
    db.close();
  }
});

const WORDS = {
  nb: {
    datesForm: /^Inklusjonsperiode for /,
    start: "Inklusjonsstart",
    end: "Inklusjonsslutt",
    saveDates: /^Lagre datoer for /,
    endBeforeStart: "Inklusjonsslutt (2029-01-01) er før inklusjonsstart (2030-01-01).",
    localForm: /^Lokal informasjon for /,
    paused: "Inklusjonen er midlertidig stanset",
    saveLocal: /^Lagre lokal informasjon for /,
    reasonMissing: "En pause må ha en begrunnelse.",
    sites: "Studiesteder og inklusjonsperiode",
    newTitle: "Registrer studie",
    send: "Send til godkjenning",
    notSaved: /Studien ble ikke lagret/,
    rek: "Skriv REK-nummeret før du sender studien til godkjenning",
    changes: /Endringer siden publisert versjon 1/,
    preview: "Forhåndsvisning: slik blir studien publisert",
    feeds: /^Innlesing: /,
    runs: "Siste innlesinger",
  },
  nn: {
    datesForm: /^Inklusjonsperiode for /,
    start: "Inklusjonsstart",
    end: "Inklusjonsslutt",
    saveDates: /^Lagre datoar for /,
    endBeforeStart: "Inklusjonsslutt (2029-01-01) er før inklusjonsstart (2030-01-01).",
    localForm: /^Lokal informasjon for /,
    paused: "Inklusjonen er mellombels stansa",
    saveLocal: /^Lagre lokal informasjon for /,
    reasonMissing: "Ein pause må ha ei grunngiving.",
    sites: "Studiestader og inklusjonsperiode",
    newTitle: "Registrer studie",
    send: "Send til godkjenning",
    notSaved: /Studien vart ikkje lagra/,
    rek: "Skriv REK-nummeret før du sender studien til godkjenning",
    changes: /Endringar sidan publisert versjon 1/,
    preview: "Førehandsvising: slik blir studien publisert",
    feeds: /^Innlesing: /,
    runs: "Siste innlesingar",
  },
  en: {
    datesForm: /^Inclusion period for /,
    start: "Inclusion start",
    end: "Inclusion end",
    saveDates: /^Save dates for /,
    endBeforeStart: "The inclusion end (2029-01-01) is before the inclusion start (2030-01-01).",
    localForm: /^Local information for /,
    paused: "Inclusion is paused",
    saveLocal: /^Save local information for /,
    reasonMissing: "A pause must have a reason.",
    sites: "Study sites and inclusion period",
    newTitle: "Register a study",
    send: "Send for approval",
    notSaved: /The study was not saved/,
    rek: "Write the REK number before you send the study for approval",
    changes: /Changes since published version 1/,
    preview: "Preview: how the study will be published",
    feeds: /^Imports: /,
    runs: "Latest imports",
  },
} as const;

async function signIn(page: Page, email: string) {
  await page.goto("/logg-inn");
  await page.getByLabel("E-postadresse").fill(email);
  await page.getByLabel("Passord").fill(PASSWORD);
  await page.getByRole("button", { name: "Logg inn" }).click();
  await expect(page.getByRole("heading", { level: 1 })).not.toHaveText("Logg inn");
}

const inLang = (path: string, lang: string) => (lang === "nb" ? path : `${path}?lang=${lang}`);

for (const lang of ["nb", "nn", "en"] as const) {
  const w = WORDS[lang];

  test(`researcher: the study page and the study form (new, and with a problem) in ${lang}, axe finds nothing`, async ({
    page,
  }) => {
    await signIn(page, RESEARCHER);
    await page.goto(inLang(`/forsker/studier/${studyId}`, lang));
    await expect(page.locator("html")).toHaveAttribute("lang", lang);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(TITLE);
    await expect(page.getByRole("heading", { level: 2, name: w.sites })).toBeVisible();
    await expectNoAxeViolations(page, `researcher's study page ${lang}`);

    // The site-dates form with a problem the server finds (the end before the start), on its field.
    const dates = page.getByRole("form", { name: w.datesForm }).first();
    await dates.getByLabel(w.start, { exact: true }).fill("2030-01-01");
    await dates.getByLabel(w.end, { exact: true }).fill("2029-01-01");
    await dates.getByRole("button", { name: w.saveDates }).click();
    await expect(dates.getByText(w.endBeforeStart)).toBeVisible();
    await expect(dates.getByLabel(w.end, { exact: true })).toHaveAttribute("aria-invalid", "true");
    await expectNoAxeViolations(page, `site dates with a problem ${lang}`);

    await page.goto(inLang("/forsker/studier/ny", lang));
    await expect(page.locator("html")).toHaveAttribute("lang", lang);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(w.newTitle);
    await expectNoAxeViolations(page, `new study form ${lang}`);

    // Sending with nothing filled in: the summary takes focus and names each field's problem.
    await page.locator("form#studie").getByRole("button", { name: w.send, exact: true }).click();
    const summary = page.getByRole("alert").filter({ hasText: w.notSaved });
    await expect(summary).toBeVisible();
    await expect(summary).toContainText(w.rek);
    await expectNoAxeViolations(page, `study form with problems ${lang}`);
  });

  test(`editor: the review page with diff and preview, and the feeds page, in ${lang}, axe finds nothing`, async ({
    page,
  }) => {
    await signIn(page, EDITOR);
    await page.goto(inLang(`/redaksjon/studier/${studyId}`, lang));
    await expect(page.locator("html")).toHaveAttribute("lang", lang);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(TITLE);
    await expect(page.getByRole("heading", { level: 2, name: w.changes })).toBeVisible();
    await expect(page.getByRole("heading", { level: 2, name: w.preview })).toBeVisible();
    await expectNoAxeViolations(page, `review page ${lang}`);

    // The local information with a pause and no reason: the problem on its field, before sending.
    const local = page.getByRole("form", { name: w.localForm }).first();
    await local.getByLabel(w.paused).check();
    await local.getByRole("button", { name: w.saveLocal }).click();
    await expect(local.getByText(w.reasonMissing)).toBeVisible();
    await expectNoAxeViolations(page, `local information with a problem ${lang}`);

    await page.goto(inLang("/redaksjon/feeds", lang));
    await expect(page.locator("html")).toHaveAttribute("lang", lang);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(w.feeds);
    await expect(page.getByRole("heading", { level: 2, name: w.runs })).toBeVisible();
    await expectNoAxeViolations(page, `feeds page ${lang}`);
  });
}
