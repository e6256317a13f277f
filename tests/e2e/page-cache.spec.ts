/**
 * Issue 20 item 2 in Debian's Chromium: a page sent from the page cache (CSP with the hashes of
 * its inline scripts instead of a nonce) still runs its own scripts — the clinician page hydrates
 * and follows the live events — and an inline script injected into the cached body is blocked.
 */
import { expect, test, type Page } from "@playwright/test";

const URL_ = "/helsepersonell?q=astma";

/**
 * Loads the page until the answer came from the cache: each serving process (WEB_CONCURRENCY)
 * renders and stores it once, and a change by another test moves the validity token.
 */
async function gotoCached(page: Page) {
  // Routing turns the browser's own HTTP cache off (the page is public, max-age=30): every load
  // then asks the server.
  await page.route(URL_, (route) => route.continue());
  for (let i = 0; i < 10; i++) {
    const response = await page.goto(URL_);
    if (response!.headers()["x-page-cache"] === "hit") return response!;
  }
  throw new Error("the page never came from the cache");
}

test("a cached hydrated page runs its own inline scripts under the hash CSP", async ({ page }) => {
  const violations: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
  });
  const response = await gotoCached(page);
  expect(response.headers()["content-security-policy"]).toMatch(/script-src 'self' 'sha256-/);
  // Hydrated: the clinician list follows the live events through React.
  await expect(page.locator("html")).toHaveAttribute("data-live-events", "open");
  expect(await page.evaluate(() => "__remixContext" in window)).toBe(true);
  expect(violations).toEqual([]);
});

test("an inline script injected into a cached page is blocked by its CSP", async ({ page }) => {
  await gotoCached(page);
  let fromCache = false;
  await page.route(URL_, async (route) => {
    const original = await route.fetch();
    fromCache = original.headers()["x-page-cache"] === "hit";
    const body = (await original.text()).replace("</body>", "<script>window.injected = 'ran'</script></body>");
    await route.fulfill({ response: original, body });
  });
  // Until the intercepted answer came from the cache (the other process may render it first).
  for (let i = 0; i < 10 && !fromCache; i++) {
    const blocked = page.waitForEvent("console", (m) => /Content Security Policy/i.test(m.text()));
    await page.goto(URL_);
    await blocked;
  }
  expect(fromCache).toBe(true);
  expect(await page.evaluate(() => (window as unknown as { injected?: string }).injected)).toBeUndefined();
  // The page's own scripts still ran.
  await expect(page.locator("html")).toHaveAttribute("data-live-events", "open");
});
