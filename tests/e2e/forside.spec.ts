import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";

async function expectNoAxeViolations(page: import("@playwright/test").Page) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`)).toEqual([]);
}

test("the front page leads each audience to its own entry point", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveTitle(/Kliniske studier/);
  await expect(page.locator("html")).toHaveAttribute("lang", "nb");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Kliniske studier i Norge");
  await expect(page.getByRole("link", { name: "Finn en studie" })).toHaveAttribute("href", "/pasient");
  await expect(page.getByRole("link", { name: "Se studier for henvisning" })).toHaveAttribute(
    "href",
    "/helsepersonell",
  );
  await expect(page.getByRole("link", { name: "Gå til forskersidene" })).toHaveAttribute("href", "/forsker");
  await expectNoAxeViolations(page);
});

test("a patient goes from the front page to an open study and sees its sites", async ({ page }) => {
  await page.goto("/");
  await page.getByRole("link", { name: "Finn en studie" }).click();
  await expect(page).toHaveURL(/\/pasient$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Finn en studie");
  const first = page.locator(".cards .card").first();
  await expect(first.locator(".status")).toContainText("Åpen for inklusjon");
  const title = (await first.getByRole("link").first().textContent())!.trim();
  await first.getByRole("link").first().click();
  await expect(page).toHaveURL(/\/studier\/\d+$/);
  expect(title.length).toBeGreaterThan(0);
  // The card shows the plain-language short title; the study page shows it under the full title.
  await expect(page.getByRole("main")).toContainText(title);
  await expect(page.getByRole("heading", { level: 1 })).not.toBeEmpty();
  await expect(page.getByRole("list", { name: /Studiesteder/ })).toBeVisible();
  await expect(page.getByText("Dette er en fiktiv demostudie.").first()).toBeVisible();
  await expect(page.getByText("Snakk med legen din")).toBeVisible();
  await expectNoAxeViolations(page);
});

test("on a phone, a patient searches straight from the front page, nearest site first, in nynorsk too", async ({
  page,
}) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto("/");
  const search = page.getByRole("search", { name: "Søk etter studier" });
  // The search box is in the first screen of a phone.
  await expect(search).toBeInViewport();
  await search.getByLabel("Diagnose, behandling eller ord").fill("diabetes");
  await search.getByLabel(/Postnummer/).fill("9008");
  await search.getByRole("button", { name: "Søk" }).click();
  // The search lands on its results: the count has the focus and the first result is on screen.
  await expect(page).toHaveURL(/\/pasient\?q=diabetes&postnummer=9008#treff$/);
  await expect(page.locator("#treff")).toBeFocused();
  await expect(page.locator(".cards .card").first()).toBeInViewport();
  await expect(page.locator(".cards .card").first()).toContainText("km");
  await expect(page.getByLabel("Diagnose, behandling eller ord")).toHaveValue("diabetes");

  // "Tilbake til søket" on a study page leads back to the same search, postcode and all.
  await page.locator(".cards .card").first().getByRole("link").first().click();
  await expect(page).toHaveURL(/\/pasient\/studier\/\d+\?q=diabetes&postnummer=9008$/);
  await page.getByRole("link", { name: "Tilbake til søket" }).click();
  await expect(page).toHaveURL(/\/pasient\?q=diabetes&postnummer=9008$/);
  await expect(page.getByLabel("Diagnose, behandling eller ord")).toHaveValue("diabetes");

  // A new search from the patient page lands on its results too.
  await page.getByLabel("Diagnose, behandling eller ord").fill("astma");
  await page.getByRole("button", { name: "Søk", exact: true }).click();
  await expect(page).toHaveURL(/\/pasient\?q=astma&postnummer=9008#treff$/);
  await expect(page.locator("#treff")).toBeFocused();
  await expect(page.locator("#treff")).toBeInViewport();
  await expectNoAxeViolations(page);

  await page.goto("/?lang=nn");
  await page.getByRole("search", { name: "Søk etter studiar" }).getByRole("searchbox").fill("diabetes");
  await page.getByRole("search", { name: "Søk etter studiar" }).getByRole("button").click();
  await expect(page).toHaveURL(/\/pasient\?lang=nn&q=diabetes#treff$/);
  await expect(page.locator("html")).toHaveAttribute("lang", "nn");
  await expectNoAxeViolations(page);
});

test("the skip link moves keyboard users to the main content", async ({ page }) => {
  await page.goto("/helsepersonell");
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "Hopp til hovedinnholdet" });
  await expect(skip).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/#innhold$/);
  await expectNoAxeViolations(page);
});
