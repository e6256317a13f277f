/**
 * Statistics and the editor's pages in the real browser, with axe (zero violations): the public
 * statistics page at phone and desktop size (charts are named images, each with its table and a
 * CSV download), and an editor who pauses and resumes their own site and reads their
 * organisation's feed health. The editor, a feed and one ingest run with a rejected record are
 * written into the e2e server's database through the real models.
 */
import { expect, test } from "@playwright/test";
import { openDatabase } from "#app/db.server";
import { addFeedSubscription } from "#app/models/feed.server";
import { buildMapContext, mapInput } from "#app/ingest/formats.server";
import { ingestBatch } from "#app/ingest/ingest-service.server";
import { ensurePeople } from "./support/accounts";
import { expectNoAxeViolations } from "./support/axe";
import { VIEWPORTS } from "./support/viewports";

const EMAIL = "e2e.redaksjon-pause@stolav.example.no";
const PASSWORD = "e2e-redaktor-passord-langt";

test.beforeAll(async () => {
  const db = openDatabase(process.env.E2E_DATABASE_PATH!);
  try {
    const created = await ensurePeople(db, PASSWORD, [
      { email: EMAIL, name: "Rune E2E-redaktør", role: "editor", organisationId: "st-olavs" },
    ]);
    // The feed fixture is added once, with the editor (beforeAll runs again after a retry).
    if (created.length) {
      addFeedSubscription(db, {
        organisationId: "st-olavs",
        url: "https://stolav.example.no/kliniske-studier.json",
        format: "native",
      });
      // Only a broken record: the run is recorded with its rejection, and no study is added.
      const broken = [
        {
          id: "E2E-1",
          tittel: "Ødelagt post",
          sammendrag: "Sammendrag.",
          utfort_av: "st-olavs",
          identifikatorer: { rek: "990001" },
          studiesteder: [{ foretak: "st-olavs", inklusjon_start: "2026-05-01", inklusjon_slutt: "2026-04-01" }],
        },
      ];
      const report = ingestBatch(
        db,
        mapInput("native", Buffer.from(JSON.stringify(broken)), buildMapContext(db, "st-olavs")),
        { organisationId: "st-olavs", format: "native", mode: "partial" },
      );
      if (report.rejected !== 1 || report.created !== 0)
        throw new Error(`unexpected ingest fixture: ${JSON.stringify(report)}`);
    }
  } finally {
    db.close();
  }
});

for (const { name, viewport } of VIEWPORTS) {
  test(`national statistics (${name}): charts with text alternatives, tables, CSV`, async ({ page }) => {
    await page.setViewportSize(viewport);
    await page.goto("/forsker");
    await page.getByRole("link", { name: /Nasjonal statistikk/ }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Nasjonal statistikk" })).toBeVisible();
    await expect(page.getByRole("img", { name: "Studier etter region" })).toBeVisible();
    await expect(page.getByRole("table", { name: "Studier etter region (tabell)" })).toBeVisible();
    await expect(page.getByRole("img", { name: "Studiesteder med inklusjon per måned" })).toBeVisible();
    await expectNoAxeViolations(page, `statistics ${name}`);
    const href = await page.getByRole("link", { name: /Last ned «Studier etter fase» som CSV/ }).getAttribute("href");
    const csv = await page.request.get(href!);
    expect(csv.headers()["content-type"]).toContain("text/csv");
    expect((await csv.text()).replace(/^\uFEFF/, "").split("\r\n")[0]).toBe(
      "Fase;Åpen for inklusjon;Planlagt;Midlertidig stanset;Inklusjon avsluttet;Ingen studiesteder;Totalt",
    );
  });
}

test("an editor pauses and resumes their own site, and reads their feed health", async ({ page }) => {
  await page.goto("/logg-inn?til=/redaksjon");
  await page.getByLabel("E-postadresse").fill(EMAIL);
  await page.getByLabel("Passord").fill(PASSWORD);
  await page.getByRole("button", { name: "Logg inn" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Redaksjon" })).toBeVisible();
  await expectNoAxeViolations(page, "editor start page");

  const form = page.getByRole("form", { name: /^Stans inklusjon ved St\. Olavs/ }).first();
  const label = (await form.getAttribute("aria-label"))!.replace(/^Stans/, "Gjenoppta");
  await form.getByRole("button", { name: "Stans inklusjonen midlertidig" }).click();
  await expect(form.getByText("Skriv hvorfor inklusjonen stanses")).toBeVisible();
  await expectNoAxeViolations(page, "pause without a reason");
  await form.getByLabel("Begrunnelse for stans").fill("Studiesykepleier i permisjon");
  await form.getByRole("button", { name: "Stans inklusjonen midlertidig" }).click();
  await expect(page.getByRole("status")).toContainText("Inklusjonen er stanset");
  const paused = page.getByRole("form", { name: label });
  await expect(paused).toBeVisible();
  await paused.getByRole("button", { name: "Gjenoppta inklusjonen" }).click();
  await expect(page.getByRole("status")).toContainText("Inklusjonen er gjenopptatt");

  await page.getByRole("link", { name: /Innlesing: feeds/ }).click();
  await expect(page.getByRole("heading", { level: 1, name: /Innlesing: St\. Olavs/ })).toBeVisible();
  await expect(page.getByRole("table", { name: /Feeds for/ })).toContainText(
    "https://stolav.example.no/kliniske-studier.json",
  );
  await expect(page.getByRole("table", { name: /Avviste poster/ })).toContainText("studiesteder[0].inklusjon_slutt");
  await expectNoAxeViolations(page, "feed health");
});
