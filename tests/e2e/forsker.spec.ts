/**
 * A researcher signs in, changes one site's inclusion end date in a few clicks and sees the new
 * version in the history; every page passes axe. The account is made in the e2e server's
 * database through the real user model (the server is already running on it).
 */
import { expect, test } from "@playwright/test";
import { openDatabase } from "#app/db.server";
import { addCalendarDays } from "#app/domain/calendar-date";
import { osloDate } from "#app/domain/inclusion-status";
import { formatCalendarDate } from "#app/views/status-text";
import { ensurePeople } from "./support/accounts";
import { expectNoAxeViolations } from "./support/axe";

const EMAIL = "e2e.forsker@stolav.example.no";
const PASSWORD = "e2e-passord-som-er-langt";
let studyId = 0;
let title = "";

test.beforeAll(async () => {
  const db = openDatabase(process.env.E2E_DATABASE_PATH!);
  try {
    const row = db
      .prepare(
        `SELECT s.id, t.text AS title FROM studies s JOIN study_texts t ON t.study_id = s.id AND t.field = 'title' AND t.lang = 'nb'
         WHERE s.lead_organisation_id = 'st-olavs' AND s.publication_state = 'published'
           AND EXISTS (SELECT 1 FROM study_sites x WHERE x.study_id = s.id AND x.organisation_id = 'st-olavs' AND x.withdrawn = 0)
         ORDER BY s.id LIMIT 1`,
      )
      .get() as { id: number; title: string };
    studyId = row.id;
    title = row.title;
    await ensurePeople(db, PASSWORD, [
      { email: EMAIL, name: "Eva E2E-forsker", role: "researcher", organisationId: "st-olavs" },
    ]);
  } finally {
    db.close();
  }
});

test("sign in, update one site's end date, see the new version in the history", async ({ page }) => {
  await page.goto("/forsker");
  await page.getByRole("link", { name: /Mine studier/ }).click();
  await expect(page).toHaveURL(/\/logg-inn\?til=/);
  await expect(page.locator("html")).toHaveAttribute("lang", "nb");
  await expectNoAxeViolations(page, "sign-in");

  await page.getByLabel("E-postadresse").fill(EMAIL);
  await page.getByLabel("Passord").fill("feil passord");
  await page.getByRole("button", { name: "Logg inn" }).click();
  await expect(page.getByRole("alert")).toContainText("Feil e-postadresse eller passord.");
  await expectNoAxeViolations(page, "sign-in error");
  await page.getByLabel("Passord").fill(PASSWORD);
  await page.getByRole("button", { name: "Logg inn" }).click();

  await expect(page).toHaveURL(/\/forsker\/studier$/);
  await expect(page.getByRole("heading", { level: 1, name: "Mine studier" })).toBeVisible();
  await expectNoAxeViolations(page, "my studies");

  await page.getByRole("link", { name: title }).click();
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await expectNoAxeViolations(page, "study");

  const newEnd = addCalendarDays(osloDate(new Date()), 500);
  const form = page.getByRole("form", { name: /Inklusjonsperiode for/ }).first();
  await form.getByLabel("Inklusjonsslutt").fill(newEnd);
  await form.getByRole("button", { name: /Lagre datoer/ }).click();
  const status = page.getByRole("status");
  await expect(status).toContainText(/Lagret som versjon \d+/);
  const version = /versjon (\d+)/.exec((await status.textContent()) ?? "")![1];
  await expect(form.getByLabel("Inklusjonsslutt")).toHaveValue(newEnd);

  await page.getByRole("link", { name: "Historikk" }).click();
  const latest = page.locator(".version-list > li").first();
  await expect(latest.getByRole("heading", { level: 2 })).toHaveText(`Versjon ${version} (gjeldende)`);
  await expect(latest).toContainText("Eva E2E-forsker");
  // In words: the hospital's name (not "st-olavs") and the date as "20. april 2028".
  await expect(latest.getByRole("row", { name: /Inklusjonsslutt ved St\. Olavs hospital/ })).toContainText(
    formatCalendarDate(newEnd),
  );
  await expectNoAxeViolations(page, "history");

  await page.getByRole("button", { name: "Logg ut" }).first().click();
  await expect(page.getByRole("status")).toContainText("Du er logget ut.");
  await page.goto(`/forsker/studier/${studyId}`);
  await expect(page).toHaveURL(/\/logg-inn\?til=/);
});
