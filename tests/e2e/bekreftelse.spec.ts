/**
 * Site confirmation in the real browser (issue 18 item 1, ADR 0019), axe clean: two studies whose
 * only site a feed delivered 14 months ago (time moved by writing them through the real models
 * with that `now`; no job runs) read "ikke bekreftet siden …", are not open and are left out of
 * the default "open now" search. An editor confirms one of them with one click on Redaksjon; its
 * public page then says "Sist bekreftet <today>" and the open-now search finds it again; the other
 * stays unknown.
 */
import { expect, test, type Page } from "@playwright/test";
import { openDatabase } from "#app/db.server";
import { osloDate } from "#app/domain/inclusion-status";
import { formatCalendarDate } from "#app/views/status-text";
import { ensurePeople } from "./support/accounts";
import { expectNoAxeViolations } from "./support/axe";
import { saveStudyOrThrow } from "../helpers/studies";

const EMAIL = "e2e.bekreftelse@ous.example.no";
const PASSWORD = "e2e-bekreft-passord-langt";
const CONFIRMED = "Frostskadestudie som redaktøren bekrefter";
const FORGOTTEN = "Frostskadestudie som ingen bekrefter";
const DELIVERED = new Date(Date.now() - 430 * 86_400_000);
const ids: Record<string, number> = {};

test.beforeAll(async () => {
  const db = openDatabase(process.env.E2E_DATABASE_PATH!);
  try {
    await ensurePeople(db, PASSWORD, [
      { email: EMAIL, name: "Mona E2E-redaktør", role: "editor", organisationId: "ous" },
    ]);
    for (const [title, rek] of [
      [CONFIRMED, "2026/90101"],
      [FORGOTTEN, "2026/90102"],
    ] as const) {
      const existing = db.prepare("SELECT id FROM studies WHERE rek_number = ?").pluck().get(rek) as number | undefined;
      if (existing) {
        ids[title] = existing;
        continue;
      }
      const r = saveStudyOrThrow(
        db,
        {
          identifiers: { rek },
          title: { nb: title, en: title },
          summary: { nb: "Vi prøver en ny behandling av frostskader. Dette er en fiktiv teststudie." },
          studyType: "treatment",
          conditions: ["Frostskade"],
          leadOrganisationId: "ous",
          contacts: [{ name: "Studiesykepleier", email: "frost@example.no", role: "public" }],
          sites: [
            {
              organisationId: "ous",
              hospitalId: "ous-rikshospitalet",
              inclusionStart: "2025-01-01",
              inclusionEnd: "2029-12-31",
            },
          ],
          publicationState: "published",
          isDemo: true,
        },
        { actor: { kind: "source", id: "e2e-feed", name: "ous (native)" }, now: DELIVERED },
      );
      ids[title] = r.studyId;
    }
  } finally {
    db.close();
  }
});

/** The default patient search (open now) for "frostskade", reloaded until the index has the change. */
async function openNowTitles(page: Page, expected: { has: string[]; hasNot: string[] }) {
  await expect(async () => {
    await page.goto("/pasient?q=frostskade");
    const results = page.getByRole("main");
    for (const title of expected.has)
      await expect(results.getByRole("link", { name: title })).toBeVisible({ timeout: 500 });
    for (const title of expected.hasNot) await expect(results.getByRole("link", { name: title })).toHaveCount(0);
  }).toPass();
}

test("unconfirmed past the limits reads as such and is not open; one click confirms and the public page shows the date", async ({
  page,
}) => {
  const since = osloDate(DELIVERED);
  const today = osloDate(new Date());

  // Both lapsed: unknown since when, in every language, and not in the open-now search.
  await page.goto(`/pasient/studier/${ids[FORGOTTEN]}`);
  await expect(page.getByText(`ikke bekreftet siden ${formatCalendarDate(since)}`).first()).toBeVisible();
  await expect(page.getByText("Status ukjent – må bekreftes").first()).toBeVisible();
  await expectNoAxeViolations(page, "lapsed site (patient, nb)");
  await page.goto(`/pasient/studier/${ids[FORGOTTEN]}?lang=en`);
  await expect(page.getByText(`not confirmed since ${formatCalendarDate(since, "en")}`).first()).toBeVisible();
  await expectNoAxeViolations(page, "lapsed site (patient, en)");
  await page.goto(`/helsepersonell/studier/${ids[FORGOTTEN]}`);
  await expect(page.getByText(`ikke bekreftet siden ${formatCalendarDate(since)}`).first()).toBeVisible();
  await expectNoAxeViolations(page, "lapsed site (clinician)");
  await openNowTitles(page, { has: [], hasNot: [CONFIRMED, FORGOTTEN] });

  // The editor confirms one study's site in one click.
  await page.goto("/logg-inn?til=/redaksjon");
  await page.getByLabel("E-postadresse").fill(EMAIL);
  await page.getByLabel("Passord").fill(PASSWORD);
  await page.getByRole("button", { name: "Logg inn" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Redaksjon" })).toBeVisible();
  const form = page.getByRole("form", { name: new RegExp(`^Bekreft datoene for .*: ${CONFIRMED}$`) });
  await expect(form.locator("xpath=..")).toContainText("bekreft at datoene fortsatt stemmer");
  await expectNoAxeViolations(page, "editor start page with sites to confirm");
  await form.getByRole("button", { name: /Bekreft at datoene stemmer/ }).click();
  await expect(page.getByRole("status")).toContainText("Datoene er bekreftet");
  await expect(
    page.getByRole("form", { name: new RegExp(`^Bekreft datoene for .*: ${CONFIRMED}$`) }).locator("xpath=.."),
  ).toContainText(`Sist bekreftet ${formatCalendarDate(today)} av Mona E2E-redaktør`);

  // The public pages show the new date; the study is open again and found by the open-now search.
  await page.goto(`/pasient/studier/${ids[CONFIRMED]}`);
  await expect(page.getByText(`Sist bekreftet ${formatCalendarDate(today)}`)).toBeVisible();
  await expect(page.getByText("ikke bekreftet siden")).toHaveCount(0);
  await expectNoAxeViolations(page, "confirmed site (patient, nb)");
  await page.goto(`/pasient/studier/${ids[CONFIRMED]}?lang=nn`);
  await expect(page.getByText(`Sist stadfesta ${formatCalendarDate(today, "nn")}`)).toBeVisible();
  await expectNoAxeViolations(page, "confirmed site (patient, nn)");
  await openNowTitles(page, { has: [CONFIRMED], hasNot: [FORGOTTEN] });
});
