/**
 * Issue 20 item 2 in Debian's Chromium: a page sent from the page cache (CSP with the hashes of
 * its inline scripts instead of a nonce) still runs its own scripts — the clinician page hydrates
 * and follows the live events — and an inline script injected into the cached body is blocked.
 */
import { expect, test } from "@playwright/test";

const URL_ = "/helsepersonell?q=astma";

test("a cached hydrated page runs its own inline scripts under the hash CSP", async ({ page, request }) => {
  // The first request renders and stores the page; the browser then gets the stored copy.
  await request.get(URL_);
  const violations: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
  });
  const response = await page.goto(URL_);
  expect(response!.headers()["x-page-cache"]).toBe("hit");
  expect(response!.headers()["content-security-policy"]).toMatch(/script-src 'self' 'sha256-/);
  // Hydrated: the clinician list follows the live events through React.
  await expect(page.locator("html")).toHaveAttribute("data-live-events", "open");
  expect(await page.evaluate(() => "__remixContext" in window)).toBe(true);
  expect(violations).toEqual([]);
});

test("an inline script injected into a cached page is blocked by its CSP", async ({ page, request }) => {
  await request.get(URL_);
  await page.route(URL_, async (route) => {
    const original = await route.fetch();
    expect(original.headers()["x-page-cache"]).toBe("hit");
    const body = (await original.text()).replace("</body>", "<script>window.injected = 'ran'</script></body>");
    await route.fulfill({ response: original, body });
  });
  const blocked = page.waitForEvent("console", (m) => /Content Security Policy/i.test(m.text()));
  await page.goto(URL_);
  await blocked;
  expect(await page.evaluate(() => (window as unknown as { injected?: string }).injected)).toBeUndefined();
  // The page's own scripts still ran.
  await expect(page.locator("html")).toHaveAttribute("data-live-events", "open");
});
