/** axe-core in the real page: the test fails on any WCAG 2.1 A/AA violation, listing each one. */
import AxeBuilder from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";

export async function expectNoAxeViolations(page: Page, context = "") {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const violations = results.violations.map(
    (v) =>
      `${v.id}: ${v.help} (${v.nodes.length}) ${v.nodes
        .slice(0, 3)
        .map((n) => n.target.join(" "))
        .join(" | ")}`,
  );
  expect(violations, `axe violations ${context} at ${page.url()}`).toEqual([]);
  // A scan that checked nothing would pass trivially: make sure rules really ran on this page.
  expect(results.passes.length).toBeGreaterThan(10);
}
