/**
 * The national administrator's accounts page in the real browser (issue 18 item 4), in nb, nn
 * and en with axe (zero violations) on every state: the page, an invitation with errors per
 * field, an invitation with its one-time link, and a disabled account. Then the invited person
 * sets a password with the link and signs in, and disabling them ends that session.
 */
import { expect, test, type Page } from "@playwright/test";
import { openDatabase } from "#app/db.server";
import { ensurePeople } from "./support/accounts";
import { expectNoAxeViolations } from "./support/axe";

const ADMIN = "e2e.admin-kontoer@example.no";
const PASSWORD = "e2e-administrator-passord";
const RUN = Date.now().toString(36);

test.beforeAll(async () => {
  const db = openDatabase(process.env.E2E_DATABASE_PATH!);
  try {
    await ensurePeople(db, PASSWORD, [{ email: ADMIN, name: "Astrid E2E-admin", role: "admin", organisationId: null }]);
  } finally {
    db.close();
  }
});

async function signIn(page: Page, email: string, password: string, til: string) {
  await page.goto(`/logg-inn?til=${encodeURIComponent(til)}`);
  await page.getByLabel("E-postadresse").fill(email);
  await page.getByLabel("Passord").fill(password);
  await page.getByRole("button", { name: "Logg inn" }).click();
  await page.waitForURL((url) => url.pathname !== "/logg-inn");
}

const WORDS = {
  nb: {
    title: "Kontoer",
    inviteHeading: "Inviter en ny konto",
    email: "E-postadresse",
    name: "Navn",
    role: "Rolle",
    orgs: "Organisasjoner",
    editor: "Redaktør",
    invite: "Inviter",
    emailError: "Skriv en gyldig e-postadresse",
    nameError: "Skriv personens navn.",
    created: "er opprettet",
    disable: "Sperr kontoen til",
    disabled: "er sperret",
  },
  nn: {
    title: "Kontoar",
    inviteHeading: "Inviter ein ny konto",
    email: "E-postadresse",
    name: "Namn",
    role: "Rolle",
    orgs: "Organisasjonar",
    editor: "Redaktør",
    invite: "Inviter",
    emailError: "Skriv ei gyldig e-postadresse",
    nameError: "Skriv namnet til personen.",
    created: "er oppretta",
    disable: "Sperr kontoen til",
    disabled: "er sperra",
  },
  en: {
    title: "Accounts",
    inviteHeading: "Invite a new account",
    email: "E-mail address",
    name: "Name",
    role: "Role",
    orgs: "Organisations",
    editor: "Editor",
    invite: "Invite",
    emailError: "Write a valid e-mail address",
    nameError: "Write the person's name.",
    created: "is created",
    disable: "Disable the account of",
    disabled: "is disabled",
  },
} as const;

for (const lang of ["nb", "nn", "en"] as const) {
  test(`the administrator invites and disables an account (${lang})`, async ({ page }) => {
    const w = WORDS[lang];
    const path = lang === "nb" ? "/admin/kontoer" : `/admin/kontoer?lang=${lang}`;
    await signIn(page, ADMIN, PASSWORD, path);
    // Straight from the bokmål sign-in page, without a reload, in the page's language.
    await expect(page.getByRole("heading", { level: 1, name: w.title })).toBeVisible();
    // The signed-in bar's link to this page keeps the language too.
    await expect(page.getByRole("link", { name: w.title, exact: true })).toHaveAttribute(
      "href",
      lang === "nb" ? "/admin/kontoer" : `/admin/kontoer?lang=${lang}`,
    );
    await expectNoAxeViolations(page, `accounts ${lang}`);

    const form = page.getByRole("region", { name: w.inviteHeading });
    await form.getByLabel(w.email).fill("ikke-en-adresse");
    await form.getByRole("button", { name: w.invite }).click();
    await expect(form.getByText(w.emailError)).toBeVisible();
    await expect(form.getByText(w.nameError)).toBeVisible();
    await expect(form.getByLabel(w.email)).toHaveAttribute("aria-invalid", "true");
    await expectNoAxeViolations(page, `invitation with errors ${lang}`);

    const name = `Ny Redaktør ${lang} ${RUN}`;
    await form.getByLabel(w.email).fill(`ny.${lang}.${RUN}@ous.example.no`);
    await form.getByLabel(w.name).fill(name);
    await form.getByLabel(w.role).selectOption("editor");
    await form.getByLabel(w.orgs).selectOption("ous");
    await form.getByRole("button", { name: w.invite }).click();
    const status = page.getByRole("status");
    await expect(status).toContainText(w.created);
    await expect(page.getByTestId("invitasjonslenke")).toContainText("/nytt-passord?token=");
    await expectNoAxeViolations(page, `invitation link ${lang}`);

    await page.getByRole("button", { name: `${w.disable} ${name}` }).click();
    await expect(page.getByRole("status")).toContainText(w.disabled);
    // The audit trail names who invited and disabled the account (the newest first).
    const trail = page.getByTestId("kontologg");
    await expect(trail.getByRole("row", { name: name }).first()).toContainText("Astrid E2E-admin");
    expect(await trail.getByRole("row", { name: name }).count()).toBe(2);
    await expectNoAxeViolations(page, `account disabled ${lang}`);
  });
}

test("the invited person sets a password with the link and signs in; disabled, their session ends", async ({
  page,
  browser,
}) => {
  await signIn(page, ADMIN, PASSWORD, "/admin/kontoer");
  const name = `Invitert Forsker ${RUN}`;
  const email = `invitert.${RUN}@stolav.example.no`;
  const form = page.getByRole("region", { name: "Inviter en ny konto" });
  await form.getByLabel("E-postadresse").fill(email);
  await form.getByLabel("Navn").fill(name);
  await form.getByLabel("Rolle").selectOption("researcher");
  await form.getByLabel("Organisasjoner").selectOption("st-olavs");
  await form.getByRole("button", { name: "Inviter" }).click();
  const link = (await page.getByTestId("invitasjonslenke").textContent())!;
  const token = new URL(link).searchParams.get("token")!;

  const person = await (await browser.newContext()).newPage();
  await person.goto(`/nytt-passord?token=${token}`);
  const password = "et passord jeg har laget selv";
  await person.getByLabel("Nytt passord").fill(password);
  await person.getByLabel("Gjenta passordet").fill(password);
  await person.getByRole("button", { name: "Lagre passord" }).click();
  await signIn(person, email, password, "/forsker/studier");
  await expect(person.getByText(`Innlogget som ${name}`)).toBeVisible();

  await page.getByRole("button", { name: `Sperr kontoen til ${name}` }).click();
  await expect(page.getByRole("status")).toContainText("er sperret");
  await person.goto("/forsker/studier");
  await expect(person).toHaveURL(/\/logg-inn/);
});
