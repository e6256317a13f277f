/**
 * Issue 24: the front page and the patient pages are light — rendered on the server, never
 * hydrated, with at most the small framework-free script (app/light/patient-page.ts). In
 * Debian's Chromium against the real built server: what such a page downloads, that a hydrated
 * page reaches it by a full page load (so its script runs), and that the script's live search
 * also brings the form's field messages while the input keeps focus. (Live updates on these
 * pages: live.spec.ts; typing and history: pasient.spec.ts.)
 */
import { expect, test } from "@playwright/test";
import { expectNoAxeViolations } from "./support/axe";

test("a patient page downloads no React or Remix: its HTML, the stylesheet and the light script", async ({ page }) => {
  const scripts: string[] = [];
  page.on("request", (r) => {
    if (r.resourceType() === "script") scripts.push(new URL(r.url()).pathname);
  });
  await page.goto("/pasient?q=brystkreft");
  await expect(page.locator("html")).toHaveAttribute("data-live-events", "open");
  expect(scripts).toEqual(["/light/patient-page.js"]);
  expect(await page.evaluate(() => "__remixContext" in window)).toBe(false);

  scripts.length = 0;
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  expect(scripts).toEqual([]);
});

test("from a hydrated page, a link to a patient page loads it as a new page with its own script", async ({ page }) => {
  await page.goto("/helsepersonell");
  // Hydrated: the clinician list follows the live events through React.
  await expect(page.locator("html")).toHaveAttribute("data-live-events", "open");
  await page.evaluate(() => ((window as unknown as { marker: string }).marker = "hydrated page"));
  await page.getByRole("navigation", { name: "Hovedmeny" }).getByRole("link", { name: "For pasienter" }).click();
  await expect(page).toHaveURL(/\/pasient$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Finn en studie");
  // A new document (the marker is gone) whose light script follows the stream.
  expect(await page.evaluate(() => (window as unknown as { marker?: string }).marker)).toBeUndefined();
  await expect(page.locator("html")).toHaveAttribute("data-live-events", "open");

  // And back into the hydrated part: a normal Remix page again.
  await page.getByRole("navigation", { name: "Hovedmeny" }).getByRole("link", { name: "For helsepersonell" }).click();
  await expect(page).toHaveURL(/\/helsepersonell$/);
  await expect(page.locator("html")).toHaveAttribute("data-live-events", "open");
});

test("typing a bad postcode brings its message and marks the field, without moving focus", async ({ page }) => {
  await page.goto("/pasient?q=brystkreft");
  await expect(page.locator("html")).toHaveAttribute("data-live-events", "open");
  await page.getByText("Flere valg: postnummer, alder, kjønn og region").click();
  const postcode = page.getByLabel("Postnummer");
  await postcode.click();
  await page.keyboard.type("12ab");
  await expect(page).toHaveURL(/postnummer=12ab/);
  await expect(page.getByRole("alert")).toContainText("Postnummeret må være fire sifre, for eksempel 7030.");
  await expect(postcode).toHaveAttribute("aria-invalid", "true");
  await expect(postcode).toHaveAttribute("aria-describedby", /postnummer-feil/);
  await expect(page.locator("#postnummer-feil")).toHaveText("Postnummeret må være fire sifre, for eksempel 7030.");
  await expect(postcode).toBeFocused();
  await expect(postcode).toHaveValue("12ab");

  // Fixed: the message and the mark go away again.
  await page.keyboard.press("Backspace");
  await page.keyboard.press("Backspace");
  await page.keyboard.type("30");
  await page.keyboard.press("Home");
  await page.keyboard.press("Delete");
  await page.keyboard.press("Delete");
  await page.keyboard.type("70");
  await expect(page).toHaveURL(/postnummer=7030/);
  await expect(page.getByRole("alert")).toHaveCount(0);
  await expect(postcode).not.toHaveAttribute("aria-invalid", "true");
  await expect(page.locator("#postnummer-feil")).toHaveCount(0);
  await expect(postcode).toBeFocused();
  await expect(page.locator(".result-near")).toContainText("7030");
  await expectNoAxeViolations(page, "patient search after live typing");
});

test("while a search loads the count says so; a search that fails puts the count back", async ({ page }) => {
  await page.goto("/pasient");
  await expect(page.locator("html")).toHaveAttribute("data-live-events", "open");
  const count = page.locator(".result-count");
  const before = (await count.textContent())!;
  const results = page.locator("section.results");

  // Hold the first search's answer until we have looked, then fail the second one.
  let release: () => void = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  let calls = 0;
  await page.route(/\/pasient\?q=/, async (route) => {
    calls += 1;
    if (calls === 1) {
      await held;
      await route.continue();
    } else await route.abort();
  });
  const box = page.getByLabel("Diagnose, behandling eller ord");
  await box.fill("brystkreft");
  await expect(count).toHaveText("Oppdaterer treffene …");
  await expect(results).toHaveAttribute("aria-busy", "true");
  release();
  await expect(count).toHaveText(/^\d+ studier? er åpne? for inklusjon og passer søket$/);
  await expect(results).not.toHaveAttribute("aria-busy");
  const found = (await count.textContent())!;
  expect(found).not.toBe(before);

  await box.fill("brystkreft stråling");
  await expect.poll(() => calls).toBe(2);
  await expect(results).not.toHaveAttribute("aria-busy");
  await expect(count).toHaveText(found);
});
