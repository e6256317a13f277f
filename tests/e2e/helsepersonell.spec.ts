/**
 * The clinician journey in Debian's Chromium against the real built server and a fresh seeded
 * SQLite database: filter the dense list by ICD-10 (code or name), patient age and sex and
 * "closing within 30 days"; open a study; check criteria, sites and dates; copy the referral
 * summary as text, print it on one A4 page, download it; run the quick eligibility check; switch
 * language. axe checks every page type in every language, at phone and desktop size.
 */
import { expect, test, type Page } from "@playwright/test";
import { parse } from "date-fns";
import { nb } from "date-fns/locale";
import { addCalendarDays } from "#app/domain/calendar-date";
import { osloDate } from "#app/domain/inclusion-status";
import { expectNoAxeViolations } from "./support/axe";
import { demoSpec, seededDate } from "./support/demo-dates";
import { VIEWPORTS } from "./support/viewports";

const BREAST_CANCER = demoSpec("DEMO-001");
const FULL_TITLE = String((BREAST_CANCER.title as { nb: string }).nb);
const FULL_TITLE_EN = String((BREAST_CANCER.title as { en: string }).en);

/** The column's cells of the study table, by header text. */
async function column(page: Page, header: string): Promise<string[]> {
  const headers = await page.locator(".dense-table thead th").allTextContents();
  const index = headers.findIndex((h) => h.trim() === header);
  expect(index, `column ${header}`).toBeGreaterThanOrEqual(0);
  return page.locator(`.dense-table tbody tr > :nth-child(${index + 1})`).allTextContents();
}

async function openBreastCancerStudy(page: Page, query = "") {
  await page.goto(`/helsepersonell?icd10=C50${query}`);
  await page.getByRole("link", { name: FULL_TITLE }).click();
  await expect(page).toHaveURL(/\/helsepersonell\/studier\/\d+/);
}

test.describe("clinician list", () => {
  test("filters by ICD-10 code from the Norwegian list, sorted by closing date", async ({ page }) => {
    await page.goto("/helsepersonell");
    const icd = page.getByLabel("Diagnose (ICD-10-kode eller navn)");
    // Autocomplete: the field offers the Norwegian names of the ICD-10 codes that studies use.
    await expect(icd).toHaveAttribute("list", "icd10-liste");
    expect(await page.locator("#icd10-liste option").count()).toBeGreaterThan(10);
    await expect(page.locator('#icd10-liste option[value^="C50 "]')).toHaveCount(1);
    const c50 = (await page.locator('#icd10-liste option[value^="C50 "]').getAttribute("value"))!;
    await icd.fill(c50);
    await page.getByRole("button", { name: "Vis studier" }).click();
    await expect(page).toHaveURL(/icd10=C50/);
    await expect(page).not.toHaveURL(/alder=|kjonn=|region=/);
    await expect(page.getByText("ICD-10-koder i søket: C50")).toBeVisible();
    const codes = await column(page, "ICD-10");
    expect(codes.length).toBeGreaterThan(0);
    for (const c of codes) expect(c).toContain("C50");
    const until = (await column(page, "Inklusjon til")).map((d) =>
      parse(d.trim(), "d. MMMM yyyy", new Date(), { locale: nb }).getTime(),
    );
    expect(until.every((t) => Number.isFinite(t))).toBe(true);
    expect([...until].sort((a, b) => a - b)).toEqual(until);
    await expect(page.getByRole("columnheader", { name: "Inklusjon til" })).toHaveAttribute("aria-sort", "ascending");
  });

  test("an ICD-10 name finds the code, and a misspelt lay word still finds the study", async ({ page }) => {
    await page.goto("/helsepersonell?icd10=svulst+i+bryst");
    await expect(page.getByText(/ICD-10-koder i søket: .*C50/)).toBeVisible();
    await expect(page.getByRole("link", { name: FULL_TITLE })).toBeVisible();
    await page.goto("/helsepersonell?q=brystkrefft");
    await expect(page.getByRole("link", { name: FULL_TITLE })).toBeVisible();
  });

  test("the patient's age and sex narrow the list to studies they fit", async ({ page }) => {
    await page.goto("/helsepersonell?icd10=C50&alder=54&kjonn=kvinne");
    await expect(page.getByRole("link", { name: FULL_TITLE })).toBeVisible();
    await page.goto("/helsepersonell?icd10=C50&alder=54&kjonn=mann");
    await expect(page.locator(".dense-table tbody tr")).toHaveCount(0);
    await expect(page.getByText("Ingen studier passer filtrene.")).toBeVisible();
    await page.goto("/helsepersonell?icd10=C50&alder=12");
    await expect(page.getByRole("link", { name: FULL_TITLE })).toHaveCount(0);
  });

  test("'closing within 30 days' shows only open studies whose inclusion ends within 30 days", async ({ page }) => {
    await page.goto("/helsepersonell?status=stenger");
    const until = await column(page, "Inklusjon til");
    expect(until.length).toBeGreaterThan(0);
    const today = osloDate(new Date());
    const limit = parse(addCalendarDays(today, 30), "yyyy-MM-dd", new Date()).getTime();
    const start = parse(today, "yyyy-MM-dd", new Date()).getTime();
    for (const d of until) {
      const t = parse(d.trim(), "d. MMMM yyyy", new Date(), { locale: nb }).getTime();
      expect(t).toBeGreaterThanOrEqual(start);
      expect(t).toBeLessThanOrEqual(limit);
    }
    for (const s of await column(page, "Status")) expect(s).toContain("Åpen for inklusjon");
    // The unfiltered list has more: the filter really filters.
    await page.goto("/helsepersonell");
    expect((await column(page, "Inklusjon til")).length).toBeGreaterThan(until.length);
  });

  test("bad filter values get a clear message, never an error page", async ({ page }) => {
    const response = await page.goto("/helsepersonell?alder=abc&fase=phase_9&helseforetak=nowhere");
    expect(response?.status()).toBe(200);
    const alert = page.getByRole("alert");
    await expect(alert).toContainText("Alder må være et helt tall fra 0 til 120");
    await expect(alert).toContainText("Ukjent fase «phase_9».");
    await expect(alert).toContainText("Vi kjenner ikke helseforetaket «nowhere».");
    await expect(page.locator(".dense-table tbody tr").first()).toBeVisible();
  });
});

test.describe("clinician study page", () => {
  test("shows full criteria, every site with status, window, contact and how to refer, and linked identifiers", async ({
    page,
  }) => {
    await openBreastCancerStudy(page);
    await expect(page.getByRole("heading", { level: 1 })).toContainText(FULL_TITLE);
    await expect(page.getByRole("heading", { name: "Inklusjonskriterier" })).toBeVisible();
    await expect(
      page.getByText("Nyoppdaget trippel-negativ brystkreft stadium II eller III", { exact: true }),
    ).toBeVisible();
    await expect(page.getByRole("heading", { name: "Eksklusjonskriterier" })).toBeVisible();
    await expect(page.getByText("Tidligere behandling med immunterapi").first()).toBeVisible();
    const table = page.getByRole("table", { name: /Alle studiesteder/ });
    await expect(table.locator("tbody tr")).toHaveCount(BREAST_CANCER.sites.length);
    const radium = table.locator("tbody tr", { hasText: "Radiumhospitalet" });
    const spec = BREAST_CANCER.sites.find((s) => s.hospitalId === "ous-radiumhospitalet")!;
    await expect(radium).toContainText(`${seededDate(spec.startOffsetDays!)} – ${seededDate(spec.endOffsetDays!)}`);
    await expect(radium).toContainText(`Åpen for inklusjon til ${seededDate(spec.endOffsetDays!)}`);
    await expect(radium).toContainText("Anne Johansen");
    await expect(radium).toContainText(String(spec.referral));
    await expect(table.locator("tbody tr", { hasText: "St. Olavs" })).toContainText("Inklusjon avsluttet");
    // Demo numbers are fictional: shown, never linked to a registry where they would lead nowhere.
    await expect(page.locator("dd li", { hasText: "ClinicalTrials.gov" })).toHaveText(/NCT90000012/);
    await expect(page.locator("dd li", { hasText: "REK-nummer" })).toHaveText(/912001/);
    await expect(page.getByRole("link", { name: "NCT90000012" })).toHaveCount(0);
    await expect(page.getByText("Kari Nordmann, Professor, overlege").first()).toBeVisible();
    await expect(page.getByText("Sist oppdatert")).toBeVisible();
    await expect(page.getByRole("link", { name: "Pasientversjon med enkelt språk" })).toHaveAttribute(
      "href",
      /\/pasient\/studier\/\d+$/,
    );
  });

  test("the referral summary is copied as plain text, downloadable, and prints alone on one A4 page", async ({
    page,
    context,
    request,
  }) => {
    await context.grantPermissions(["clipboard-read", "clipboard-write"]);
    await openBreastCancerStudy(page);
    const text = (await page.locator("#henvisning-tekst").textContent())!;
    expect(text).toContain("HENVISNINGSSAMMENDRAG – KLINISK STUDIE");
    expect(text).toContain(`Studie: ${FULL_TITLE}`);
    expect(text).toContain(`Status: Åpen for inklusjon til ${seededDate(365)}`);
    expect(text).toContain("- Nyoppdaget trippel-negativ brystkreft stadium II eller III");
    expect(text).toContain("MERK: fiktiv demostudie");

    await page.getByRole("button", { name: "Kopier som tekst" }).click();
    await expect(page.getByText("Sammendraget er kopiert.")).toBeVisible();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(text);

    const href = await page.getByRole("link", { name: "Last ned som tekstfil" }).getAttribute("href");
    const download = await request.get(href!);
    expect(download.headers()["content-type"]).toBe("text/plain; charset=utf-8");
    // Same text; only the "retrieved at" minute may differ between the two requests.
    const withoutTime = (s: string) => s.trim().replace(/Hentet .*$/m, "");
    expect(withoutTime(await download.text())).toBe(withoutTime(text));

    await page.emulateMedia({ media: "print" });
    await expect(page.locator(".referral-text")).toBeVisible();
    await expect(page.getByRole("heading", { level: 1 })).toBeHidden();
    await expect(page.getByRole("table", { name: /Alle studiesteder/ })).toBeHidden();
    await expect(page.getByRole("button", { name: "Kopier som tekst" })).toBeHidden();
    const pdf = await page.pdf({ format: "A4", preferCSSPageSize: true });
    const pages = pdf.toString("latin1").match(/\/Type\s*\/Page(?![s\w])/g) ?? [];
    expect(pages.length).toBe(1);
  });

  test("the quick check says which criteria are met or unknown, and never that the patient is eligible", async ({
    page,
  }) => {
    await openBreastCancerStudy(page);
    const check = page.getByRole("region", { name: "Rask sjekk av alder og kjønn" });
    await check.getByLabel("Pasientens alder").fill("54");
    await check.getByLabel("Pasientens kjønn").selectOption("mann");
    await check.getByRole("button", { name: "Sjekk" }).click();
    await expect(page).toHaveURL(/alder=54&kjonn=mann/);
    const result = page.getByRole("region", { name: "Rask sjekk av alder og kjønn" });
    await expect(result).toContainText("Pasienten oppfyller ikke kravene til alder eller kjønn i denne studien.");
    await expect(result.locator("li", { hasText: "Alder: 18 år eller eldre" })).toContainText("Oppfylt");
    await expect(result.locator("li", { hasText: "Kjønn: Kvinner" })).toContainText("Ikke oppfylt");

    await result.getByLabel("Pasientens kjønn").selectOption("kvinne");
    await result.getByRole("button", { name: "Sjekk" }).click();
    await expect(page).toHaveURL(/kjonn=kvinne/);
    await expect(result).toContainText("Alder og kjønn er ikke til hinder. Det betyr ikke at pasienten kan delta");
    await expect(result.locator("li", { hasText: "Kjønn: Kvinner" }).locator(".check-outcome")).toHaveText("Oppfylt");
    const unknown = result.locator("li", { hasText: "Inklusjonskriterium" });
    expect(await unknown.count()).toBeGreaterThan(0);
    for (const li of await unknown.all()) await expect(li.locator(".check-outcome")).toHaveText("Ukjent – må vurderes");
    // Exactly this: the check can rule a patient out, never in.
    await expect(result.locator(".check-summary")).toHaveText(
      "Alder og kjønn er ikke til hinder. Det betyr ikke at pasienten kan delta: de øvrige kriteriene må vurderes.",
    );
    await expectNoAxeViolations(page, "check result");

    await page.goto(`${page.url().split("?")[0]}?alder=-5`);
    await expect(page.getByText("Alder må være et helt tall fra 0 til 120").first()).toBeVisible();
  });

  test("in English the page, the summary and the dates are English", async ({ page }) => {
    await openBreastCancerStudy(page);
    await page.getByRole("navigation", { name: "Språk" }).getByRole("link", { name: "English" }).click();
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
    await expect(page.getByRole("heading", { level: 1 })).toContainText(FULL_TITLE_EN);
    await expect(page.getByRole("heading", { name: "Referral summary" })).toBeVisible();
    const text = (await page.locator("#henvisning-tekst").textContent())!;
    expect(text.startsWith("REFERRAL SUMMARY – CLINICAL TRIAL")).toBe(true);
    expect(text).toContain(`Recruiting until ${seededDate(365, "en")}`);
    await page.getByRole("link", { name: "Patient version in plain language" }).click();
    await expect(page).toHaveURL(/\/pasient\/studier\/\d+\?lang=en$/);
  });

  test("a study that does not exist is a real 404", async ({ page }) => {
    const response = await page.goto("/helsepersonell/studier/987654321");
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Studien finnes ikke");
    expect((await page.request.get("/helsepersonell/studier/987654321/henvisning.txt")).status()).toBe(404);
  });
});

for (const { name, viewport } of VIEWPORTS) {
  test.describe(`axe on every clinician page type (${name})`, () => {
    test.use({ viewport });

    for (const lang of ["nb", "nn", "en"] as const) {
      test(`list, filtered list, study page and 404 in ${lang}`, async ({ page }) => {
        const join = (path: string) => (lang === "nb" ? path : `${path}${path.includes("?") ? "&" : "?"}lang=${lang}`);
        await page.goto(join("/helsepersonell"));
        await expect(page.locator("html")).toHaveAttribute("lang", lang);
        await expectNoAxeViolations(page, `list ${lang}`);
        await page.goto(join("/helsepersonell?icd10=C50&alder=54&kjonn=kvinne&status=stenger&fase=phase_9"));
        await expectNoAxeViolations(page, `filtered list with a bad value ${lang}`);
        await page.goto(join("/helsepersonell?icd10=C50"));
        await page.locator(".dense-table tbody a").first().click();
        await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
        await expectNoAxeViolations(page, `study ${lang}`);
        await page.goto(join("/helsepersonell/studier/987654321"));
        await expectNoAxeViolations(page, `404 ${lang}`);
        await page.goto(join("/forsker"));
        await expectNoAxeViolations(page, `researcher page ${lang}`);
      });
    }
  });
}

test.describe("clinician flow on a phone, 390 px (issue 19 item 6)", () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test("status and dates in view without sideways scrolling; trusts grouped by region; age and sex carry into the quick check", async ({
    page,
  }) => {
    await page.goto("/helsepersonell?icd10=C50&alder=54&kjonn=kvinne");
    const rows = page.locator(".dense-table tbody tr");
    await expect(rows.first()).toBeVisible();
    // Nothing scrolls sideways: not the page, not the table.
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    expect(await page.locator(".table-wrap").evaluate((el) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(0);
    // Status and "open until" of the first study are on screen, inside the phone's width.
    for (const cell of [rows.first().locator(".status"), rows.first().locator("td").nth(5)]) {
      await expect(cell).toBeVisible();
      const box = (await cell.boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(390);
    }
    await expect(rows.first().locator("td").nth(5)).not.toBeEmpty();

    // The health trusts are grouped by region.
    const groups = page.locator("#helseforetak optgroup");
    await expect(groups).toHaveCount(4);
    await expect(page.locator('#helseforetak optgroup[label*="Nord"] option[value="unn"]')).toHaveCount(1);
    await expect(page.locator('#helseforetak optgroup[label*="Vest"] option[value="helse-bergen"]')).toHaveCount(1);
    await expectNoAxeViolations(page, "clinician list at 390 px");

    // The patient's age and sex go with the study link into the quick check.
    await rows.first().getByRole("link").first().click();
    await expect(page).toHaveURL(/\/helsepersonell\/studier\/\d+\?alder=54&kjonn=kvinne/);
    const check = page.getByRole("region", { name: "Rask sjekk av alder og kjønn" });
    await expect(check.getByLabel("Alder")).toHaveValue("54");
    await expect(check.locator("#kjonn")).toHaveValue("kvinne");
    await expect(check.locator(".check-result")).toBeVisible();
  });

  test("no results offer wider searches with how many each finds, and each link finds them", async ({ page }) => {
    await page.goto("/helsepersonell?icd10=C50&alder=3");
    await expect(page.getByText(/^Ingen studier passer filtrene\./)).toBeVisible();
    const wider = page.getByRole("heading", { name: "Prøv et bredere søk" });
    await expect(wider).toBeVisible();
    const age = page.getByRole("link", { name: /^Fjern alderen \(\d+ stud(ie|ier)\)$/ });
    await expect(age).toBeVisible();
    const count = Number(/\((\d+)/.exec((await age.textContent())!)![1]);
    expect(count).toBeGreaterThan(0);
    await expectNoAxeViolations(page, "clinician zero results at 390 px");
    await age.click();
    await expect(page).toHaveURL(/\/helsepersonell\?icd10=C50$/);
    await expect(page.locator(".dense-table tbody tr")).toHaveCount(count);
  });
});
