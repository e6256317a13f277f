/**
 * A researcher registers a study with two sites (two organisations) in the form and sends it
 * for approval; the lead organisation's editor approves; it is in the public search; the
 * researcher changes one site's end date; the public page shows it; the history has three
 * versions. The form passes axe empty, with errors and with the ICD-10 list open; the combobox
 * is used by keyboard only; without JavaScript the codes are a plain text field. Accounts are
 * made in the e2e server's database through the real user model.
 */
import { expect, test, type Page } from "@playwright/test";
import { randomInt } from "node:crypto";
import { openDatabase } from "#app/db.server";
import { addCalendarDays } from "#app/domain/calendar-date";
import { osloDate } from "#app/domain/inclusion-status";
import { formatCalendarDate } from "#app/views/status-text";
import { ensurePeople } from "./support/accounts";
import { expectNoAxeViolations } from "./support/axe";

const PASSWORD = "e2e-passord-som-er-langt";
const RESEARCHER = { email: "e2e.registrering@stolav.example.no", name: "Rita Registrerer" };
const EDITOR = { email: "e2e.redaktor@stolav.example.no", name: "Erik E2E-redaktør" };
// A word no other study has, so the public search finds exactly this one.
const WORD = `Kvist${Array.from({ length: 6 }, () => "bcdfghjklmnprstv"[randomInt(16)]).join("")}`;
const TITLE = `Registreringsstudie ${WORD} ved hjertesvikt`;

test.beforeAll(async () => {
  const db = openDatabase(process.env.E2E_DATABASE_PATH!);
  try {
    await ensurePeople(db, PASSWORD, [
      { ...RESEARCHER, role: "researcher", organisationId: "st-olavs" },
      { ...EDITOR, role: "editor", organisationId: "st-olavs" },
    ]);
  } finally {
    db.close();
  }
});

async function signIn(page: Page, email: string) {
  await page.goto("/logg-inn");
  await page.getByLabel("E-postadresse").fill(email);
  await page.getByLabel("Passord").fill(PASSWORD);
  await page.getByRole("button", { name: "Logg inn" }).click();
  await expect(page).toHaveURL(/\/forsker\/studier$/);
}

async function signOut(page: Page) {
  await page.getByRole("button", { name: "Logg ut" }).first().click();
  await expect(page.getByRole("status")).toContainText("Du er logget ut.");
}

test("register with two sites, submit, approve, find it, change a date, see three versions", async ({ page }) => {
  // A long journey through three sign-ins and four axe scans on a shared, slow machine.
  test.setTimeout(120_000);
  const today = osloDate(new Date());
  const start = addCalendarDays(today, -10);
  const end = addCalendarDays(today, 200);
  const newEnd = addCalendarDays(today, 400);

  await signIn(page, RESEARCHER.email);
  await page.getByRole("link", { name: "Registrer ny studie" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Registrer studie" })).toBeVisible();
  await expectNoAxeViolations(page, "empty form");

  // A failed submit: the summary takes focus and links to the fields.
  await page.getByRole("button", { name: "Send til godkjenning" }).click();
  const summary = page.getByRole("alert").filter({ hasText: "Studien ble ikke lagret" });
  await expect(summary).toBeFocused();
  await expect(summary.getByRole("link", { name: /REK-nummer: Skriv REK-nummeret/ })).toBeVisible();
  await expect(summary.getByRole("link", { name: /Tittel på bokmål: Må fylles ut/ })).toBeVisible();
  await expect(page.getByRole("textbox", { name: /REK-nummer/ })).toHaveAttribute("aria-invalid", "true");
  await expectNoAxeViolations(page, "form with errors");
  await summary.getByRole("link", { name: /REK-nummer/ }).click();
  await expect(page.getByRole("textbox", { name: /REK-nummer/ })).toBeFocused();

  // Validation as you go: a bad NCT number is reported when leaving the field.
  await page.getByRole("textbox", { name: /NCT-nummer/ }).fill("NCT123");
  await page.getByRole("textbox", { name: /NCT-nummer/ }).blur();
  await expect(page.locator("#studie-identifiers\\.nct-error")).toHaveText("Ugyldig format (eksempel: NCT01234567).");
  await page.getByRole("textbox", { name: /NCT-nummer/ }).fill("");

  await page.getByRole("textbox", { name: /REK-nummer/ }).fill(`2026/${randomInt(100_000, 999_999)}`);
  await page.getByRole("textbox", { name: "Tittel på bokmål (påkrevd)" }).fill(TITLE);
  await page.getByRole("textbox", { name: "Tittel på engelsk" }).fill(`Registration study ${WORD}`);
  await page
    .getByRole("textbox", { name: "Sammendrag i klarspråk på bokmål" })
    .fill("Vi prøver en ny medisin mot hjertesvikt. Dette er en fiktiv teststudie.");
  await page.getByLabel(/Type studie/).selectOption("treatment");
  await page.getByLabel("Fase").selectOption("phase_3");
  await page.getByRole("checkbox", { name: "Hjerte og kar" }).check();

  // ICD-10 by keyboard: type, arrow down, Enter.
  const combo = page.getByRole("combobox", { name: /Søk etter diagnose/ });
  await combo.fill("I50");
  const option = page.getByRole("listbox", { name: "Forslag til ICD-10-koder" }).getByRole("option").first();
  await expect(option).toContainText("I50");
  await combo.press("ArrowDown");
  await expect(combo).toHaveAttribute("aria-activedescendant", (await option.getAttribute("id"))!);
  await expectNoAxeViolations(page, "combobox open");
  await combo.press("Enter");
  await expect(page.getByRole("textbox", { name: "ICD-10-koder" })).toHaveValue("I50");

  await page.getByLabel("Minste alder (år)").fill("18");

  const site1 = page.getByRole("group", { name: "Studiested 1" });
  await expect(site1.getByLabel(/Organisasjon/)).toHaveValue("st-olavs");
  await site1.getByLabel("Inklusjonsstart").fill(start);
  await site1.getByLabel("Inklusjonsslutt").fill(end);
  await page.getByRole("button", { name: "Legg til studiested" }).click();
  const site2 = page.getByRole("group", { name: "Studiested 2" });
  await site2.getByLabel(/Organisasjon/).selectOption("ous");
  await site2.getByLabel("Inklusjonsstart").fill(start);
  await site2.getByLabel("Inklusjonsslutt").fill(end);

  await page.getByRole("button", { name: "Legg til kontakt" }).click();
  const contact = page.getByRole("group", { name: "Kontakt 1" });
  await contact.getByLabel(/Navn/).fill("Studiesykepleier");
  await contact.getByLabel("E-post").fill("studie@example.no");

  await page.getByRole("button", { name: "Send til godkjenning" }).click();
  await expect(page.getByRole("heading", { level: 1, name: TITLE })).toBeVisible();
  await expect(page.getByRole("status")).toContainText("Lagret som versjon 1.");
  await expect(page.getByText("Sendt til godkjenning ·")).toBeVisible();
  const studyId = /\/forsker\/studier\/(\d+)/.exec(page.url())![1]!;
  await signOut(page);

  // The lead organisation's editor approves.
  await page.goto("/logg-inn");
  await page.getByLabel("E-postadresse").fill(EDITOR.email);
  await page.getByLabel("Passord").fill(PASSWORD);
  await page.getByRole("button", { name: "Logg inn" }).click();
  // An editor lands on the approval queue.
  await expect(page).toHaveURL(/\/redaksjon$/);
  // The queue ("Venter på godkjenning"); the study's St. Olavs site is also listed under "Dine studiesteder".
  await page.getByRole("region", { name: "Venter på godkjenning" }).getByRole("link", { name: TITLE }).click();
  await page.getByRole("button", { name: "Godkjenn og publiser" }).click();
  await expect(page.getByRole("status")).toContainText("Studien er godkjent og publisert.");

  // Searchable within a second of the approval.
  await expect(async () => {
    const res = await page.request.get(`/pasient?q=${encodeURIComponent(WORD)}`);
    expect(await res.text()).toContain(TITLE);
  }).toPass({ timeout: 1_000, intervals: [50, 100, 200] });
  await signOut(page);

  // The researcher moves their own site's end date.
  await signIn(page, RESEARCHER.email);
  await page.goto(`/forsker/studier/${studyId}`);
  const form = page.getByRole("form", { name: /Inklusjonsperiode for St\. Olavs/ });
  await form.getByLabel("Inklusjonsslutt").fill(newEnd);
  await form.getByRole("button", { name: /Lagre datoer/ }).click();
  await expect(page.getByRole("status")).toContainText("Lagret som versjon 3.");

  await page.goto(`/pasient/studier/${studyId}`);
  await expect(page.getByRole("heading", { level: 1 })).toContainText(WORD);
  await expect(page.getByText(formatCalendarDate(newEnd)).first()).toBeVisible();

  await page.goto(`/forsker/studier/${studyId}/historikk`);
  await expect(page.locator(".version-list > li")).toHaveCount(3);
  await expect(page.locator(".version-list > li").first().getByRole("heading", { level: 2 })).toHaveText(
    "Versjon 3 (gjeldende)",
  );
});

test("every part of the page written in the form is on the public pages after approval", async ({ page }) => {
  test.setTimeout(120_000);
  const today = osloDate(new Date());
  const word = `Helhet${WORD}`;
  const parts = {
    titleNb: `Helside ${word} ved leddgikt`,
    titleNn: `Heilside ${word} ved leddgikt`,
    titleEn: `Whole page ${word} in arthritis`,
    summaryNb: "Vi prøver en ny behandling mot leddgikt. Dette er en fiktiv teststudie.",
    summaryNn: "Vi prøver ei ny behandling mot leddgikt. Dette er ein fiktiv teststudie.",
    summaryEn: "We test a new treatment for arthritis. This is a fictional test study.",
    participationNb: "Du kommer til sykehuset tre ganger på et år.",
    participationNn: "Du kjem til sjukehuset tre gonger på eitt år.",
    participationEn: "You come to the hospital three times in one year.",
    piName: "Kari Helside",
    piTitle: "Overlege",
    contactName: "Studiesykepleier Ola Helside",
    contactPhone: "+47 72 57 30 00",
    contactEmail: "ola.helside@example.no",
    referral: "Henvisning via DIPS til revmatologisk poliklinikk, Orkdal.",
  };
  await signIn(page, RESEARCHER.email);
  await page.goto("/forsker/studier/ny");
  await page.getByRole("textbox", { name: /REK-nummer/ }).fill(`2026/${randomInt(100_000, 999_999)}`);
  await page.getByRole("textbox", { name: "Prosjektleder (navn)" }).fill(parts.piName);
  await page.getByRole("textbox", { name: "Prosjektleders tittel" }).fill(parts.piTitle);
  await page.getByRole("textbox", { name: "Tittel på bokmål (påkrevd)" }).fill(parts.titleNb);
  await page.getByRole("textbox", { name: "Tittel på nynorsk" }).fill(parts.titleNn);
  await page.getByRole("textbox", { name: "Tittel på engelsk" }).fill(parts.titleEn);
  await page.getByRole("textbox", { name: "Sammendrag i klarspråk på bokmål" }).fill(parts.summaryNb);
  await page.getByRole("textbox", { name: "Sammendrag på nynorsk" }).fill(parts.summaryNn);
  await page.getByRole("textbox", { name: "Sammendrag på engelsk" }).fill(parts.summaryEn);
  await page.getByRole("textbox", { name: "Hva det innebærer å delta (bokmål)" }).fill(parts.participationNb);
  await page.getByRole("textbox", { name: "Hva det innebærer å delta (nynorsk)" }).fill(parts.participationNn);
  await page.getByRole("textbox", { name: "Hva det innebærer å delta (engelsk)" }).fill(parts.participationEn);
  await page.getByLabel(/Type studie/).selectOption("treatment");
  const site = page.getByRole("group", { name: "Studiested 1" });
  await site.getByLabel(/Sykehus/).selectOption("st-olavs-orkdal");
  await site.getByLabel("Inklusjonsstart").fill(addCalendarDays(today, -10));
  await site.getByLabel("Inklusjonsslutt").fill(addCalendarDays(today, 200));
  const contact = site.getByRole("group", { name: "Kontakt ved studiestedet" });
  await contact.getByLabel("Navn").fill(parts.contactName);
  await contact.getByLabel("Telefon").fill(parts.contactPhone);
  await contact.getByLabel("E-post").fill(parts.contactEmail);
  await site.getByLabel("Henvisning").fill(parts.referral);
  await expectNoAxeViolations(page, "every part filled in");
  await page.getByRole("button", { name: "Send til godkjenning" }).click();
  await expect(page.getByRole("heading", { level: 1, name: parts.titleNb })).toBeVisible();
  const studyId = /\/forsker\/studier\/(\d+)/.exec(page.url())![1]!;
  await signOut(page);

  await page.goto("/logg-inn");
  await page.getByLabel("E-postadresse").fill(EDITOR.email);
  await page.getByLabel("Passord").fill(PASSWORD);
  await page.getByRole("button", { name: "Logg inn" }).click();
  await expect(page).toHaveURL(/\/redaksjon$/);
  await page.goto(`/redaksjon/studier/${studyId}`);
  await page.getByRole("button", { name: "Godkjenn og publiser" }).click();
  await expect(page.getByRole("status")).toContainText("Studien er godkjent og publisert.");
  await signOut(page);

  // The patient page in each language, and the clinician page.
  await page.goto(`/pasient/studier/${studyId}`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(parts.titleNb);
  for (const text of [
    parts.summaryNb,
    parts.participationNb,
    parts.contactName,
    parts.contactPhone,
    parts.contactEmail,
  ])
    await expect(page.getByText(text).first(), text).toBeVisible();
  await expect(page.getByText("Orkdal sjukehus").first()).toBeVisible();
  await expectNoAxeViolations(page, "patient page with every part");
  await page.goto(`/pasient/studier/${studyId}?lang=nn`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(parts.titleNn);
  for (const text of [parts.summaryNn, parts.participationNn])
    await expect(page.getByText(text).first(), text).toBeVisible();
  await page.goto(`/pasient/studier/${studyId}?lang=en`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(parts.titleEn);
  for (const text of [parts.summaryEn, parts.participationEn])
    await expect(page.getByText(text).first(), text).toBeVisible();
  await page.goto(`/helsepersonell/studier/${studyId}`);
  for (const text of [`${parts.piName}, ${parts.piTitle}`, parts.referral, parts.contactPhone, parts.contactEmail])
    await expect(page.getByText(text).first(), text).toBeVisible();
  await expectNoAxeViolations(page, "clinician page with every part");
});

test("'Lagre utkast' saves a draft with only a title; the study page lists what is missing", async ({ page }) => {
  const draftTitle = `Utkast ${WORD} med bare tittel`;
  await signIn(page, RESEARCHER.email);
  await page.getByRole("link", { name: "Registrer ny studie" }).click();
  await page.getByRole("textbox", { name: "Tittel på bokmål (påkrevd)" }).fill(draftTitle);
  await page.getByRole("button", { name: "Lagre utkast" }).last().click();
  await expect(page).toHaveURL(/\/forsker\/studier\/\d+\?lagret=1$/);
  await expect(page.getByRole("status")).toContainText("Lagret som versjon 1.");
  await expect(page.getByRole("heading", { level: 1 })).toContainText(draftTitle);
  const missing = page.getByRole("region", { name: "Mangler før publisering" });
  await expect(missing).toContainText("REK-nummer");
  await expect(missing).toContainText("Inklusjonsperiode");
  await expect(missing).toContainText("Type studie");
  await expectNoAxeViolations(page, "draft with only a title");
  // Reopened, the draft has no type chosen (not "Annen studie" as if chosen; ADR 0028).
  // (The edit page once failed in the browser: it read a label from a .server module.)
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(`${new URL(page.url()).pathname}/rediger`);
  await expect(page.getByRole("combobox", { name: "Type studie" })).toHaveValue("");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Rediger studie");
  expect(errors).toEqual([]);
});

test("the ICD-10 combobox works by keyboard alone", async ({ page }) => {
  await signIn(page, RESEARCHER.email);
  await page.goto("/forsker/studier/ny");
  const combo = page.getByRole("combobox", { name: /Søk etter diagnose/ });
  const codes = page.getByRole("textbox", { name: "ICD-10-koder" });
  // The combobox exists only once the form is hydrated (without JavaScript the codes field is
  // typed by hand); wait for it, or the Tab below lands on whatever came before hydration.
  await expect(combo).toBeVisible();
  // Reach it with Tab from the field before it, like a keyboard user.
  await page.getByRole("checkbox", { name: "Øye" }).focus();
  await page.keyboard.press("Tab");
  await expect(combo).toBeFocused();
  await expect(combo).toHaveAttribute("aria-expanded", "false");

  await page.keyboard.type("C5");
  await expect(combo).toHaveAttribute("aria-expanded", "true");
  const options = page.getByRole("listbox", { name: "Forslag til ICD-10-koder" }).getByRole("option");
  await expect(options.first()).toBeVisible();
  const count = await options.count();
  expect(count).toBeGreaterThan(1);
  // Down twice, up once: the first option is active; focus never leaves the input.
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("ArrowDown");
  await expect(options.nth(1)).toHaveAttribute("aria-selected", "true");
  await page.keyboard.press("ArrowUp");
  await expect(options.nth(0)).toHaveAttribute("aria-selected", "true");
  await expect(combo).toHaveAttribute("aria-activedescendant", (await options.nth(0).getAttribute("id"))!);
  // Up from the first wraps to the last.
  await page.keyboard.press("ArrowUp");
  await expect(options.nth(count - 1)).toHaveAttribute("aria-selected", "true");
  await expect(combo).toBeFocused();

  // Escape closes the list and keeps the text; a second Escape clears it.
  await page.keyboard.press("Escape");
  await expect(combo).toHaveAttribute("aria-expanded", "false");
  await expect(combo).toHaveValue("C5");
  await page.keyboard.press("Escape");
  await expect(combo).toHaveValue("");

  // Pick two codes by keyboard; Enter never submits the form.
  await page.keyboard.type("C50");
  await expect(options.first()).toContainText("C50");
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("Enter");
  await expect(codes).toHaveValue("C50");
  await expect(page.getByRole("status").filter({ hasText: "er lagt til" })).toContainText("C50");
  await page.keyboard.type("I50");
  await expect(options.first()).toContainText("I50");
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("Enter");
  await expect(codes).toHaveValue("C50, I50");
  await expect(page).toHaveURL(/\/forsker\/studier\/ny$/);
  await expect(page.getByRole("alert")).toHaveCount(0);

  // Tab moves on to the plain codes field.
  await page.keyboard.press("Tab");
  await expect(codes).toBeFocused();
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the form posts normally: ICD-10 codes as text, site rows added by the server, values kept on errors", async ({
    page,
  }) => {
    await signIn(page, RESEARCHER.email);
    await page.goto("/forsker/studier/ny");
    await expect(page.getByRole("combobox", { name: /Søk etter diagnose/ })).toHaveCount(0);
    await page.getByRole("textbox", { name: "Tittel på bokmål (påkrevd)" }).fill(`Uten skript ${WORD}`);
    await page.getByRole("textbox", { name: "ICD-10-koder" }).fill("C50, XYZ");
    await page.getByRole("button", { name: "Legg til studiested" }).click();
    await expect(page.getByRole("group", { name: "Studiested 2" })).toBeVisible();
    await expect(page.getByRole("textbox", { name: "Tittel på bokmål (påkrevd)" })).toHaveValue(`Uten skript ${WORD}`);
    await page.getByRole("button", { name: "Lagre utkast" }).click();
    await expect(page.getByRole("alert").filter({ hasText: "Studien ble ikke lagret" })).toContainText(
      "«XYZ» er ikke en ICD-10-kode",
    );
    await expect(page.getByRole("textbox", { name: "ICD-10-koder" })).toHaveValue("C50, XYZ");
    await expect(page.getByRole("textbox", { name: "Tittel på bokmål (påkrevd)" })).toHaveValue(`Uten skript ${WORD}`);
  });
});
