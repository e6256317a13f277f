/**
 * Status with its basis, in a real browser (ADR 0012): a study whose hospital declared its status
 * (no dates), at a place that is no registered health trust, and a registry study that includes
 * by invitation only with expected dates, beside a site whose "recruiting" is too old to trust.
 * Patient and clinician pages say what each status rests on, in nb, nn and en; axe finds nothing.
 */
import { expect, test } from "@playwright/test";
import { expectNoAxeViolations } from "./support/axe";
import { e2eDb, seededDate } from "./support/demo-dates";

function studyIdByRek(rek: string): number {
  const db = e2eDb();
  try {
    return db.prepare("SELECT id FROM studies WHERE rek_number = ?").pluck().get(rek) as number;
  } finally {
    db.close();
  }
}

test.describe("status with its basis", () => {
  test("a hospital's own status, at its own place and at one that is no health trust (nb, nn, en)", async ({
    page,
  }) => {
    const id = studyIdByRek("912070");
    await page.goto(`/pasient/studier/${id}`);
    const sites = page.getByRole("list", { name: "Studiesteder og inklusjonsperiode for hvert sted" });
    await expect(sites).toContainText(
      `Åpen for inklusjon (oppgitt av Helse Førde ${seededDate(-3)}: «Åpen for rekruttering»)`,
    );
    await expect(sites).toContainText("Hørselskontakten i Sunnfjord kommune");
    await expect(sites).toContainText("ikke et registrert foretak i portalen");
    await expect(page.getByText("Ikke oppgitt i kilden")).toBeVisible(); // healthy volunteers: unknown, not "no"
    await expectNoAxeViolations(page, "declared status (nb)");

    await page.goto(`/pasient/studier/${id}?lang=nn`);
    await expect(page.locator("main")).toContainText(`oppgjeve av Helse Førde ${seededDate(-3, "nn")}`);
    await expectNoAxeViolations(page, "declared status (nn)");

    await page.goto(`/pasient/studier/${id}?lang=en`);
    await expect(page.locator("main")).toContainText(`as stated by Helse Førde on ${seededDate(-3, "en")}`);
    await expectNoAxeViolations(page, "declared status (en)");
  });

  test("by invitation only with expected dates, and a registry status that needs confirmation (patient and clinician)", async ({
    page,
  }) => {
    const id = studyIdByRek("912071");
    await page.goto(`/pasient/studier/${id}`);
    const main = page.locator("main");
    await expect(main).toContainText("Åpen bare for inviterte");
    await expect(main).toContainText(`forventet avsluttet ${seededDate(300)}`);
    await expect(main).toContainText(`Status ukjent – må bekreftes (ikke bekreftet siden ${seededDate(-800)}`);
    await expectNoAxeViolations(page, "invitation and unknown (patient)");

    await page.goto(`/helsepersonell/studier/${id}`);
    await expect(main).toContainText("Åpen bare for inviterte");
    await expect(main).toContainText("Eksempeluniversitetet, institutt for audiologi");
    await expect(main).toContainText("A randomised controlled trial of app-delivered sound therapy");
    await expectNoAxeViolations(page, "invitation and unknown (clinician)");
  });
});
