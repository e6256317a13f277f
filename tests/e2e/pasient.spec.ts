/**
 * The patient journey in Debian's Chromium against the real built server, a fresh seeded SQLite
 * database and the real postcode list: search (with a typo and a postcode), read a study, check
 * its dates and sites, widen a search that found nothing, switch language, do it all with the
 * keyboard, and never get a cookie. axe checks every page type in every language, at phone and
 * desktop size.
 */
import { expect, test, type Page } from "@playwright/test";
import { readFileSync } from "node:fs";
import { expectNoAxeViolations } from "./support/axe";
import { formatCalendarDate } from "#app/views/status-text";
import { osloDate } from "#app/domain/inclusion-status";
import { demoSpec, e2eDb, seededDate } from "./support/demo-dates";
import { VIEWPORTS } from "./support/viewports";

const BREAST_CANCER = demoSpec("DEMO-001");
// The seed spec is typed as zod *input*, where texts are unknown until parsed.
const BREAST_CANCER_TITLE = String((BREAST_CANCER.shortTitle as { nb: string }).nb);
const BREAST_CANCER_TITLE_EN = String((BREAST_CANCER.shortTitle as { en: string }).en);

const organisations = JSON.parse(readFileSync("data/reference/organisations.json", "utf8")) as {
  hospitals: { id: string; name: string }[];
}[];

function hospitalName(id: string): string {
  for (const o of organisations) for (const h of o.hospitals) if (h.id === id) return h.name;
  throw new Error(`no hospital ${id}`);
}

/** Numbers of km on the result cards, in page order. */
async function cardDistances(page: Page): Promise<number[]> {
  const texts = await page.locator(".cards .card").allTextContents();
  return texts.map((t) => Number(/– (\d+) km/.exec(t)?.[1] ?? NaN));
}

test.describe("patient search", () => {
  test("finds a study despite a typo; with a postcode best matches first, nearest first; the patient can choose nearest first (kept in the URL)", async ({
    page,
  }) => {
    await page.goto("/pasient");
    await page.getByLabel("Diagnose, behandling eller ord").fill("bryskreft"); // typo for "brystkreft"
    await page.getByText("Flere valg: postnummer, alder, kjønn og region").click();
    await page.getByLabel("Postnummer").fill("9019"); // Tromsø
    await page.getByRole("button", { name: "Søk" }).click();
    await expect(page).toHaveURL(/\/pasient\?q=bryskreft&postnummer=9019/);
    // One line says the order: meaning first, distance within it (ADR 0024).
    await expect(page.locator(".result-near")).toHaveText(
      "Studiene som passer best til søket, står først, de nærmeste først (målt fra 9019 Tromsø). Så kommer studier der ordene bare står et annet sted i teksten.",
    );
    await expect(page.getByLabel("Rekkefølge")).toHaveValue("");
    await page.getByLabel("Rekkefølge").selectOption({ label: "Nærmest først" });
    await page.getByRole("button", { name: "Søk" }).click();
    await expect(page).toHaveURL(/\/pasient\?q=bryskreft&postnummer=9019&sortering=naermest/);
    await expect(page.locator(".result-near")).toHaveText("Nærmeste studiested først, målt fra 9019 Tromsø.");
    await page.reload();
    await expect(page.getByLabel("Rekkefølge")).toHaveValue("naermest");
    const card = page.locator(".cards .card", { hasText: BREAST_CANCER_TITLE });
    await expect(card).toBeVisible();
    // UNN Tromsø is open for this study and is the nearest site to a Tromsø postcode.
    await expect(card).toContainText(`Nærmest: ${hospitalName("unn-tromso")}`);
    await expect(card.locator(".status")).toHaveText(`Åpen for inklusjon til ${seededDate(365)}`);
    const km = await cardDistances(page);
    expect(km.length).toBeGreaterThan(1);
    expect(km.every((n) => Number.isFinite(n))).toBe(true);
    expect([...km].sort((a, b) => a - b)).toEqual(km);
  });

  test("a bookmarked search with every parameter shows the same results and keeps the values", async ({ page }) => {
    await page.goto("/pasient?q=brystkreft&postnummer=7030&alder=54&kjonn=kvinne&region=helse-sor-ost&status=apen");
    await expect(page.getByLabel("Diagnose, behandling eller ord")).toHaveValue("brystkreft");
    await expect(page.getByLabel("Postnummer")).toHaveValue("7030");
    await expect(page.getByLabel("Alder")).toHaveValue("54");
    await expect(page.getByLabel("Kjønn")).toHaveValue("kvinne");
    await expect(page.getByLabel("Helseregion")).toHaveValue("helse-sor-ost");
    await expect(page.locator(".cards .card", { hasText: BREAST_CANCER_TITLE })).toBeVisible();
    await expect(page.getByRole("alert")).toHaveCount(0);
  });

  test("bad values get a clear message in the form, never an error page", async ({ page }) => {
    const response = await page.goto("/pasient?q=brystkreft&postnummer=12ab&alder=-5&kjonn=x&region=atlantis");
    expect(response?.status()).toBe(200);
    const summary = page.getByRole("alert");
    await expect(summary).toContainText("Postnummeret må være fire sifre, for eksempel 7030.");
    await expect(summary).toContainText("Alder må være et helt tall fra 0 til 120");
    await expect(summary).toContainText("Velg kvinne, mann eller ikke valgt.");
    await expect(summary).toContainText("Vi kjenner ikke helseregionen «atlantis».");
    await expect(page.getByLabel("Postnummer")).toHaveAttribute("aria-invalid", "true");
    await expect(page.getByLabel("Postnummer")).toHaveValue("12ab");
    // The rest of the search still ran.
    await expect(page.locator(".cards .card", { hasText: BREAST_CANCER_TITLE })).toBeVisible();
    await expectNoAxeViolations(page, "search with bad values");

    await page.goto("/pasient?q=brystkreft&postnummer=9999");
    await expect(page.getByRole("alert")).toContainText("Vi finner ikke postnummeret 9999. Sjekk at det er riktig.");
  });

  test("zero results say why and offer searches that find something", async ({ page }) => {
    await page.goto("/pasient?q=brystkreft&kjonn=mann");
    await expect(page.getByRole("heading", { name: "Ingen studier passet søket" })).toBeVisible();
    const zero = page.locator(".zero-results");
    await expect(zero).toContainText("ordene «brystkreft»");
    await expect(zero).toContainText("for menn");
    const widen = zero.getByRole("link", { name: /^Fjern kjønn \(\d+ studier?\)$/ });
    await expect(widen).toBeVisible();
    const promised = Number(/\((\d+)/.exec((await widen.textContent())!)![1]);
    await widen.click();
    await expect(page).toHaveURL(/\/pasient\?q=brystkreft$/);
    await expect(page.locator(".cards .card")).toHaveCount(promised);
  });

  test("with JavaScript the results follow the typing without losing focus or filling the history", async ({
    page,
  }) => {
    await page.goto("/pasient");
    const box = page.getByLabel("Diagnose, behandling eller ord");
    const before = await page.locator(".result-count").textContent();
    const historyBefore = await page.evaluate(() => history.length);
    await box.click();
    await page.keyboard.type("brystkreft");
    await expect(page).toHaveURL(/\/pasient\?q=brystkreft/);
    await expect(page.locator(".cards .card", { hasText: BREAST_CANCER_TITLE })).toBeVisible();
    const shown = await page.locator(".cards .card").count();
    expect(shown).toBeGreaterThan(1);
    await expect(page.locator(".result-count")).toHaveText(`${shown} studier er åpne for inklusjon og passer søket`);
    expect(before).not.toBe(`${shown} studier er åpne for inklusjon og passer søket`);
    await expect(box).toBeFocused();
    await expect(box).toHaveValue("brystkreft");
    expect(await page.evaluate(() => history.length)).toBe(historyBefore);
  });

  test("without JavaScript the form still searches with a plain GET", async ({ browser, baseURL }) => {
    const context = await browser.newContext({ javaScriptEnabled: false, baseURL });
    const page = await context.newPage();
    await page.goto("/pasient");
    await page.getByLabel("Diagnose, behandling eller ord").fill("brystkreft");
    await page.getByRole("button", { name: "Søk" }).click();
    await expect(page).toHaveURL(/\/pasient\?q=brystkreft/);
    await expect(page.locator(".cards .card", { hasText: BREAST_CANCER_TITLE })).toBeVisible();
    await context.close();
  });
});

test.describe("patient study page", () => {
  test("on a phone, the nearest site, its status and whom to contact are in the first screen", async ({ page }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto("/pasient?q=brystkreft&postnummer=7030");
    await page.getByRole("link", { name: BREAST_CANCER_TITLE }).click();
    const nearest = page.getByRole("region", { name: "Nærmeste studiested" });
    await expect(nearest).toBeInViewport();
    await expect(nearest).toContainText(/\d+ km fra postnummer 7030/);
    await expect(nearest.locator(".status")).toBeInViewport();
    // The nearest site is the first one in the full list below, with the same status.
    const first = page
      .getByRole("list", { name: "Studiesteder og inklusjonsperiode for hvert sted" })
      .getByRole("listitem")
      .first();
    await expect(nearest.locator(".status")).toHaveText((await first.locator(".status").textContent())!);
    await expect(nearest.getByRole("link", { name: /@|\d/ }).first()).toBeInViewport();
    await expectNoAxeViolations(page, "study page with the nearest site first (phone)");
    await nearest.getByRole("link", { name: "Alle studiesteder og datoer" }).click();
    await expect(page.getByRole("heading", { name: "Hvor og når" })).toBeInViewport();
    // Without a postcode there is no "nearest".
    await page.goto(page.url().replace(/[?].*$/, ""));
    await expect(page.getByRole("region", { name: "Nærmeste studiested" })).toHaveCount(0);
  });

  test("shows each site with its own window and status, and whom to contact", async ({ page }) => {
    await page.goto("/pasient?q=brystkreft&postnummer=7030");
    await page.getByRole("link", { name: BREAST_CANCER_TITLE }).click();
    // The search goes along to the study page (distances from the postcode, and the way back).
    await expect(page).toHaveURL(/\/pasient\/studier\/\d+\?q=brystkreft&postnummer=7030$/);
    await expect(page.getByRole("heading", { level: 1 })).toContainText(BREAST_CANCER_TITLE);
    await expect(page.getByText(`Åpen for inklusjon til ${seededDate(365)}`).first()).toBeVisible();
    const sites = page.getByRole("list", { name: "Studiesteder og inklusjonsperiode for hvert sted" });
    for (const spec of BREAST_CANCER.sites) {
      const site = sites
        .getByRole("listitem")
        .filter({ has: page.getByRole("heading", { name: hospitalName(spec.hospitalId!) }) });
      await expect(site).toContainText(
        `Inklusjonsperiode: ${seededDate(spec.startOffsetDays!)} – ${seededDate(spec.endOffsetDays!)}`,
      );
      const today = 0;
      const expected =
        spec.endOffsetDays! < today
          ? `Inklusjon avsluttet ${seededDate(spec.endOffsetDays!)}`
          : spec.startOffsetDays! > today
            ? `Åpner ${seededDate(spec.startOffsetDays!)}`
            : `Åpen for inklusjon til ${seededDate(spec.endOffsetDays!)}`;
      await expect(site.locator(".status")).toHaveText(expected);
      const contact = spec.contact as { email: string } | null | undefined;
      if (contact) await expect(site).toContainText(contact.email);
      await expect(site).toContainText(/\d+ km fra postnummer 7030/);
    }
    // Open sites come first.
    await expect(sites.getByRole("listitem").first().locator(".status")).toContainText("Åpen for inklusjon");
    await expect(page.getByText("Snakk med legen din før du melder interesse.")).toBeVisible();
    await expect(page.getByRole("heading", { name: "Hvem kan delta" })).toBeVisible();
    await expect(page.getByText("18 år eller eldre", { exact: true })).toBeVisible();
    await expect(page.getByRole("link", { name: /Informasjon for helsepersonell/ })).toHaveAttribute(
      "href",
      /\/helsepersonell\/studier\/\d+$/,
    );
    await expectNoAxeViolations(page, "patient study page");
  });

  test("a study that does not exist is a real 404 in plain Norwegian", async ({ page }) => {
    const response = await page.goto("/pasient/studier/987654321");
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Studien finnes ikke");
    await expect(page.getByRole("link", { name: "Se studier som er åpne nå" })).toBeVisible();
    expect((await page.goto("/pasient/studier/abc"))?.status()).toBe(404);
    // The old neutral address leads to the patient page.
    expect((await page.goto("/studier/987654321"))?.status()).toBe(404);
  });

  test("a draft is not public: 404, like a missing study", async ({ page }) => {
    const db = e2eDb();
    const draft = db
      .prepare("SELECT id FROM studies WHERE publication_state = 'draft' LIMIT 1")
      .pluck()
      .get() as number;
    db.close();
    expect((await page.goto(`/pasient/studier/${draft}`))?.status()).toBe(404);
  });

  test("a withdrawn study says it was withdrawn and when", async ({ page }) => {
    const db = e2eDb();
    const row = db
      .prepare(
        `SELECT s.id, min(v.created_at) AS since FROM studies s JOIN study_versions v ON v.study_id = s.id
         WHERE s.publication_state = 'withdrawn' GROUP BY s.id LIMIT 1`,
      )
      .get() as { id: number; since: string };
    db.close();
    const response = await page.goto(`/pasient/studier/${row.id}`);
    expect(response?.status()).toBe(200);
    const since = formatCalendarDate(osloDate(new Date(row.since)));
    await expect(page.getByText(`Studien ble trukket tilbake ${since}. Den tar ikke inn deltakere.`)).toBeVisible();
    await expect(page.locator("article .status")).toHaveCount(0);
    await expectNoAxeViolations(page, "withdrawn study");
  });
});

test.describe("language", () => {
  test("switching to nynorsk and English keeps the page, sets lang and carries the choice in links", async ({
    page,
  }) => {
    await page.goto("/pasient?q=brystkreft");
    await expect(page.locator("html")).toHaveAttribute("lang", "nb");
    await page.getByRole("navigation", { name: "Språk" }).getByRole("link", { name: "Nynorsk" }).click();
    await expect(page).toHaveURL(/\/pasient\?q=brystkreft&lang=nn$/);
    await expect(page.locator("html")).toHaveAttribute("lang", "nn");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Finn ein studie");
    await expect(page.getByLabel("Diagnose, behandling eller ord")).toHaveValue("brystkreft");
    await page.getByRole("link", { name: BREAST_CANCER_TITLE }).click();
    await expect(page).toHaveURL(/\/pasient\/studier\/\d+\?q=brystkreft&lang=nn$/);
    await expect(page.locator("html")).toHaveAttribute("lang", "nn");
    await expect(page.getByRole("heading", { name: "Kven kan delta" })).toBeVisible();
    // This study has no nynorsk text: the bokmål text is marked as bokmål, and we say so.
    await expect(page.getByText("Denne teksten finst berre på bokmål.")).toBeVisible();
    await expect(page.locator("h1 [lang=nb]")).toHaveText(BREAST_CANCER_TITLE);

    await page.getByRole("navigation", { name: "Språk" }).getByRole("link", { name: "English" }).click();
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
    await expect(page.getByRole("heading", { name: "Who can take part" })).toBeVisible();
    // This study has an English short title.
    await expect(page.getByRole("heading", { level: 1 })).toContainText(BREAST_CANCER_TITLE_EN);
    await expect(page.getByText(`Recruiting until ${seededDate(365, "en")}`).first()).toBeVisible();
    await page.getByRole("navigation", { name: "Language" }).getByRole("link", { name: "Bokmål" }).click();
    await expect(page.locator("html")).toHaveAttribute("lang", "nb");
    await expect(page).not.toHaveURL(/lang=/);
  });
});

test.describe("keyboard only", () => {
  test("a patient can search, open a study and reach the clinician version with the keyboard alone", async ({
    page,
  }) => {
    await page.goto("/pasient");
    await page.keyboard.press("Tab");
    await expect(page.getByRole("link", { name: "Hopp til hovedinnholdet" })).toBeFocused();
    await page.keyboard.press("Enter");
    const box = page.getByLabel("Diagnose, behandling eller ord");
    for (let i = 0; i < 20 && !(await box.evaluate((el) => el === document.activeElement)); i++)
      await page.keyboard.press("Tab");
    await expect(box).toBeFocused();
    await page.keyboard.type("brystkreft");
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(/q=brystkreft/);
    const studyLink = page.getByRole("link", { name: BREAST_CANCER_TITLE });
    await expect(studyLink).toBeVisible();
    for (let i = 0; i < 40 && !(await studyLink.evaluate((el) => el === document.activeElement)); i++)
      await page.keyboard.press("Tab");
    await expect(studyLink).toBeFocused();
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(/\/pasient\/studier\/\d+/);
    await expect(page.getByRole("heading", { level: 1 })).toContainText(BREAST_CANCER_TITLE);
    const clinician = page.getByRole("link", { name: /Informasjon for helsepersonell/ });
    for (let i = 0; i < 80 && !(await clinician.evaluate((el) => el === document.activeElement)); i++)
      await page.keyboard.press("Tab");
    await expect(clinician).toBeFocused();
    // Focus is visible: the focus style draws an outline.
    expect(await clinician.evaluate((el) => getComputedStyle(el).outlineStyle)).toBe("solid");
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(/\/helsepersonell\/studier\/\d+/);
  });
});

test.describe("privacy and speed", () => {
  test("patients get no cookies, and public pages are cacheable", async ({ page, context }) => {
    const setCookies: string[] = [];
    page.on("response", async (r) => {
      const header = await r.headerValue("set-cookie");
      if (header) setCookies.push(`${r.url()}: ${header}`);
    });
    const response = await page.goto("/pasient?q=brystkreft&postnummer=7030&alder=54&kjonn=kvinne");
    expect(response?.headers()["cache-control"]).toMatch(/^public, max-age=\d+/);
    await page.getByRole("link", { name: BREAST_CANCER_TITLE }).click();
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await page.goto("/pasient?lang=en");
    expect(setCookies).toEqual([]);
    expect(await context.cookies()).toEqual([]);
    expect(await page.evaluate(() => document.cookie)).toBe("");
  });

  test("the search page's HTML stays under 100 KB, even showing all studies", async ({ request }) => {
    const response = await request.get("/pasient?status=alle", { headers: { "Accept-Encoding": "identity" } });
    expect(response.status()).toBe(200);
    const body = await response.body();
    expect(body.length).toBeGreaterThan(5_000);
    expect(body.length).toBeLessThan(100 * 1024);
  });
});

test.describe("zoom", () => {
  // 400 % zoom of a 1280 px wide window is 320 CSS px: content must reflow, not scroll sideways
  // (WCAG 1.4.10; data tables may scroll inside their own region).
  test.use({ viewport: { width: 320, height: 640 } });

  test("the patient pages reflow at 320 CSS pixels without horizontal scrolling", async ({ page }) => {
    for (const url of [
      "/pasient?q=brystkreft&postnummer=7030&alder=54&kjonn=kvinne",
      "/pasient?q=brystkreft&kjonn=mann",
      "/tilgjengelighet",
    ]) {
      await page.goto(url);
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow, url).toBeLessThanOrEqual(0);
    }
    await page.goto("/pasient?q=brystkreft");
    await page.locator(".cards .card a").first().click();
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    expect(
      await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth),
    ).toBeLessThanOrEqual(0);
  });
});

for (const { name, viewport } of VIEWPORTS) {
  test.describe(`axe on every patient page type (${name})`, () => {
    test.use({ viewport });

    for (const lang of ["nb", "nn", "en"] as const) {
      test(`search, results, zero results, study page and 404 in ${lang}`, async ({ page }) => {
        const l = lang === "nb" ? "" : `lang=${lang}`;
        const join = (path: string) => (l ? `${path}${path.includes("?") ? "&" : "?"}${l}` : path);
        await page.goto(join("/pasient"));
        await expect(page.locator("html")).toHaveAttribute("lang", lang);
        await expectNoAxeViolations(page, `search ${lang}`);
        await page.goto(join("/pasient?q=brystkreft&postnummer=7030&alder=54&kjonn=kvinne"));
        await expect(page.locator(".cards .card").first()).toBeVisible();
        await expectNoAxeViolations(page, `results ${lang}`);
        await page.goto(join("/pasient?q=brystkreft&kjonn=mann&postnummer=12ab"));
        await expect(page.locator(".zero-results")).toBeVisible();
        await expectNoAxeViolations(page, `zero results with a bad value ${lang}`);
        await page.goto(join("/pasient?q=brystkreft"));
        await page.locator(".cards .card a").first().click();
        await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
        await expectNoAxeViolations(page, `study ${lang}`);
        await page.goto(join("/pasient/studier/987654321"));
        await expectNoAxeViolations(page, `404 ${lang}`);
        await page.goto(join("/"));
        await expectNoAxeViolations(page, `front page ${lang}`);
        await page.goto(join("/tilgjengelighet"));
        await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
        await expectNoAxeViolations(page, `accessibility statement ${lang}`);
      });
    }
  });
}
