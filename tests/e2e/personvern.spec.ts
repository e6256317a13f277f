/**
 * The privacy statement (/personvern, issue 23) in Debian's Chromium against the real built
 * server: reached from the footer of a search result page, in nb, nn and en, at phone and desktop
 * size; axe finds nothing, and reading it (like searching) sets no cookie.
 */
import { expect, test } from "@playwright/test";
import { expectNoAxeViolations } from "./support/axe";
import { VIEWPORTS } from "./support/viewports";

const TEXT = {
  nb: { link: "Personvern", heading: "Personvern", log: "Loggen vår", cookies: "Ingen informasjonskapsler" },
  nn: { link: "Personvern", heading: "Personvern", log: "Loggen vår", cookies: "Ingen informasjonskapslar" },
  en: { link: "Privacy", heading: "Privacy", log: "Our log", cookies: "No cookies" },
} as const;

for (const { name, viewport } of VIEWPORTS) {
  test.describe(`the privacy statement (${name})`, () => {
    test.use({ viewport });

    for (const lang of ["nb", "nn", "en"] as const) {
      test(`is linked from the footer, says what is kept, passes axe and sets no cookie in ${lang}`, async ({
        page,
        context,
      }) => {
        const l = lang === "nb" ? "" : `&lang=${lang}`;
        await page.goto(`/pasient?q=brystkreft&postnummer=7030&alder=54${l}`);
        await page.getByRole("contentinfo").getByRole("link", { name: TEXT[lang].link }).click();
        await expect(page).toHaveURL(lang === "nb" ? /\/personvern$/ : new RegExp(`/personvern\\?lang=${lang}$`));
        await expect(page.locator("html")).toHaveAttribute("lang", lang);
        await expect(page.getByRole("heading", { level: 1, name: TEXT[lang].heading })).toBeVisible();
        await expect(page.getByRole("heading", { level: 2, name: TEXT[lang].log })).toBeVisible();
        await expect(page.getByRole("heading", { level: 2, name: TEXT[lang].cookies })).toBeVisible();
        await expectNoAxeViolations(page, `privacy ${lang}`);
        expect(await context.cookies()).toEqual([]);
      });
    }
  });
}
