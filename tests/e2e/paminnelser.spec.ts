/**
 * Reminders in the real browser (issue 18 items 2 and 3, ADR 0020), axe clean in nb, nn and en:
 * a site a feed last delivered 200 days ago (time moved by writing it through the real models with
 * that `now`; no job runs) is past the 6-month soft limit. Its site editor signs in, sees it under
 * "Trenger deg" with since when it is unconfirmed, confirms it with one click from the reminder,
 * and the public study page shows the new "Sist bekreftet" date. The statistics page's freshness
 * tables are axe clean in three languages.
 */
import { expect, test } from "@playwright/test";
import { openDatabase } from "#app/db.server";
import { addCalendarDays } from "#app/domain/calendar-date";
import { osloDate } from "#app/domain/inclusion-status";
import { formatCalendarDate } from "#app/views/status-text";
import { ensurePeople } from "./support/accounts";
import { expectNoAxeViolations } from "./support/axe";
import { saveStudyOrThrow } from "../helpers/studies";

const EMAIL = "e2e.paminnelser@helse-bergen.example.no";
const PASSWORD = "e2e-paminnelse-passord-langt";
const TITLE = "Hagleskadestudie som minner redaktøren";
const today = osloDate(new Date());
const DELIVERED = new Date(`${addCalendarDays(today, -200)}T10:00:00Z`);
let id = 0;

test.beforeAll(async () => {
  const db = openDatabase(process.env.E2E_DATABASE_PATH!);
  try {
    await ensurePeople(db, PASSWORD, [
      { email: EMAIL, name: "Berit E2E-redaktør", role: "editor", organisationId: "helse-bergen" },
    ]);
    const existing = db.prepare("SELECT id FROM studies WHERE rek_number = ?").pluck().get("2026/90201") as
      number | undefined;
    if (existing) id = existing;
    else {
      const r = saveStudyOrThrow(
        db,
        {
          identifiers: { rek: "2026/90201" },
          title: { nb: TITLE, en: TITLE },
          summary: { nb: "Vi prøver en ny behandling av hagleskader. Dette er en fiktiv teststudie." },
          studyType: "treatment",
          conditions: ["Hagleskade"],
          leadOrganisationId: "helse-bergen",
          contacts: [{ name: "Studiesykepleier", email: "hagl@example.no", role: "public" }],
          sites: [
            {
              organisationId: "helse-bergen",
              hospitalId: "helse-bergen-haukeland",
              inclusionStart: addCalendarDays(today, -300),
              inclusionEnd: null,
            },
          ],
          publicationState: "published",
          isDemo: true,
        },
        { actor: { kind: "source", id: "e2e-feed", name: "helse-bergen (native)" }, now: DELIVERED },
      );
      id = r.studyId;
    }
  } finally {
    db.close();
  }
});

test("the site editor is reminded, confirms in one click from the reminder, and the public page shows the date", async ({
  page,
}) => {
  const since = formatCalendarDate(osloDate(DELIVERED));
  // (The clinician page before; the patient page after: a page this browser has seen may come from its cache.)
  await page.goto(`/helsepersonell/studier/${id}`);
  await expect(page.getByText(`ikke bekreftet siden ${since}`).first()).toBeVisible();

  await page.goto("/logg-inn?til=/redaksjon");
  await page.getByLabel("E-postadresse").fill(EMAIL);
  await page.getByLabel("Passord").fill(PASSWORD);
  await page.getByRole("button", { name: "Logg inn" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Redaksjon" })).toBeVisible();

  const list = page.getByRole("region", { name: "Trenger deg" });
  const reminder = list.getByRole("listitem").filter({ hasText: TITLE });
  await expect(reminder).toContainText(`Bekreft datoene: ikke bekreftet siden ${since}`);
  await expect(reminder.getByRole("link", { name: /Gå til studiestedet/ })).toHaveAttribute(
    "href",
    `/forsker/studier/${id}#sted-helse-bergen%2Fhelse-bergen-haukeland`,
  );
  await expectNoAxeViolations(page, "reminders (nb)");
  for (const [lang, heading, text] of [
    ["nn", "Treng deg", "Stadfest datoane: ikkje stadfesta sidan"],
    ["en", "Needs you", "Confirm the dates: not confirmed since"],
  ] as const) {
    await page.goto(`/redaksjon?lang=${lang}`);
    const translated = page.getByRole("region", { name: heading });
    await expect(translated.getByRole("listitem").filter({ hasText: TITLE })).toContainText(text);
    await expectNoAxeViolations(page, `reminders (${lang})`);
  }

  // One click, from the reminder itself.
  await page.goto("/redaksjon");
  await reminder.getByRole("button", { name: /Bekreft at datoene stemmer/ }).click();
  await expect(page.getByText(/Datoene for .* er bekreftet/)).toBeVisible();
  await page.goto("/redaksjon");
  await expect(
    page.getByRole("region", { name: "Trenger deg" }).getByRole("listitem").filter({ hasText: TITLE }),
  ).toHaveCount(0);

  // The public study page shows the new date.
  await page.goto(`/pasient/studier/${id}`);
  await expect(page.getByText(`Sist bekreftet ${formatCalendarDate(today)}`).first()).toBeVisible();
  await expect(page.getByText("ikke bekreftet siden")).toHaveCount(0);
});

test("the statistics page's freshness tables are axe clean in nb, nn and en", async ({ page }) => {
  for (const [lang, caption] of [
    ["nb", "Bekreftede studiesteder etter region"],
    ["nn", "Stadfesta studiestader etter region"],
    ["en", "Confirmed sites by region"],
  ] as const) {
    await page.goto(`/forsker/statistikk${lang === "nb" ? "" : `?lang=${lang}`}`);
    await expect(page.getByRole("table", { name: new RegExp(caption) })).toBeVisible();
    await expectNoAxeViolations(page, `statistics (${lang})`);
  }
});
