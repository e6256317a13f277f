/**
 * Studies on a diagnosis page (issue 19 item 7): a third-party page on another origin
 * (tests/e2e/support/embed-test.html, served here by a plain HTTP server) embeds the portal's
 * /embed/studies with iframes for an ICD-10 code, an ICPC-2 code and a SNOMED CT id. Chromium
 * loads it, each frame shows open studies in its language without any script, and axe checks the
 * page with its frames.
 */
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { expectNoAxeViolations } from "./support/axe";

let server: Server;
let pageUrl = "";

test.beforeAll(async () => {
  // playwright.config.ts chooses the port once; workers inherit it.
  const portal = `http://127.0.0.1:${process.env.E2E_PORT}`;
  const html = readFileSync(path.resolve("tests/e2e/support/embed-test.html"), "utf8").replaceAll(
    "PORTAL_BASE_URL",
    portal,
  );
  server = createServer((_req, res) => {
    res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
    res.end(html);
  });
  // "localhost" is another origin than the portal's 127.0.0.1: the embed is framed cross-origin.
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  pageUrl = `http://localhost:${(server.address() as AddressInfo).port}/`;
});

test.afterAll(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
});

test("a diagnosis page on another site shows open studies for an ICD-10 code, an ICPC-2 code and a SNOMED id", async ({
  page,
}) => {
  const scripts: string[] = [];
  page.on("request", (r) => {
    if (r.resourceType() === "script") scripts.push(r.url());
  });
  await page.goto(pageUrl);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Brystkreft, hjerteinfarkt og diabetes");

  const icd10 = page.frameLocator("#icd10");
  await expect(icd10.locator("html")).toHaveAttribute("lang", "nb");
  await expect(icd10.getByRole("heading", { level: 1 })).toHaveText("Kliniske studier som tar inn deltakere nå");
  await expect(icd10.getByText("Nærmeste sted først, regnet fra postnummer 0450")).toBeVisible();
  await expect(icd10.getByRole("article").first()).toBeVisible();
  await expect(icd10.getByRole("article").first()).toContainText("km unna");
  await expect(icd10.getByRole("link", { name: /brystkreft/i }).first()).toHaveAttribute("target", "_top");

  const icpc2 = page.frameLocator("#icpc2");
  await expect(icpc2.locator("html")).toHaveAttribute("lang", "nn");
  await expect(icpc2.getByRole("heading", { level: 1 })).toHaveText("Kliniske studiar som tek inn deltakarar no");
  await expect(icpc2.getByText("Vi viser studiar med ICD-10-kodane I21 og I22.")).toBeVisible();
  await expect(icpc2.getByRole("link", { name: /hjarteinfarkt|hjerteinfarkt/i }).first()).toBeVisible();

  const snomed = page.frameLocator("#snomed");
  await expect(snomed.locator("html")).toHaveAttribute("lang", "en");
  await expect(snomed.getByRole("heading", { level: 1 })).toHaveText("Clinical studies recruiting now");
  await expect(snomed.getByText("SNOMED CT 44054006.")).toBeVisible();
  await expect(snomed.getByRole("article").first()).toContainText(/Recruiting until/);
  // A study with no English title shows its Norwegian one, marked as Norwegian.
  await expect(snomed.locator('h2[lang="nb"]').first()).toContainText(/diabetes/i);

  // No framework (or any) JavaScript in the embeds.
  expect(scripts).toEqual([]);
  await expectNoAxeViolations(page, "diagnosis embed test page");
});

test("a study link opens the portal's patient page in the top window, in the embed's language", async ({ page }) => {
  await page.goto(pageUrl);
  const link = page.frameLocator("#icpc2").getByRole("article").first().getByRole("link").first();
  await expect(link).toHaveAttribute("target", "_top");
  // Links are on BASE_URL (not set for this test server): follow the path on the portal under test.
  const href = new URL((await link.getAttribute("href"))!);
  expect(href.pathname + href.search).toMatch(/^\/pasient\/studier\/\d+\?lang=nn$/);
  await page.goto(href.pathname + href.search);
  await expect(page.locator("html")).toHaveAttribute("lang", "nn");
  await expect(page.getByRole("heading", { level: 1 })).toContainText(/infarkt/i);
});
