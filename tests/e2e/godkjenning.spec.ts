/**
 * Approval of what was reviewed and sites only with consent (issue 22, ADR 0014) in the real
 * browser, with axe (zero violations): the lead organisation's editor reviews a published
 * study's pending revision, which names itself, and approves exactly it; the public page shows
 * the new title only then. Oslo universitetssykehus's researcher finds the site St. Olavs
 * proposed at OUS, which the public does not see, and accepts it. The people, the study, its
 * revision and the proposed site are written into the e2e database through the real models.
 */
import { expect, test, type Page } from "@playwright/test";
import { openDatabase } from "#app/db.server";
import { parseStudy } from "#app/domain/study";
import { insertRevision } from "#app/models/study-revisions.server";
import { ensurePeople } from "./support/accounts";
import { expectNoAxeViolations } from "./support/axe";
import { saveStudyOrThrow } from "../helpers/studies";

const PASSWORD = "e2e-godkjenning-passord-langt";
const EDITOR = "e2e.godkjenning-redaktor@stolav.example.no";
const OUS_RESEARCHER = "e2e.godkjenning-forsker@ous.example.no";
const TITLE = "Fiktiv e2e-studie av godkjenning";
const NEW_TITLE = "Fiktiv e2e-studie av godkjenning, ny tittel";
const PREVIEW_TITLE = "Fiktiv e2e-studie av forhåndsvisning";
const PREVIEW_NEW_TITLE = "Fiktiv e2e-studie av forhåndsvisning, ny tittel";
const PREVIEW_PARTICIPATION = "Du kommer til sykehuset fire ganger på et halvt år. Hvert besøk tar en time.";
let studyId = 0;
let previewStudyId = 0;

test.beforeAll(async () => {
  const db = openDatabase(process.env.E2E_DATABASE_PATH!);
  try {
    await ensurePeople(db, PASSWORD, [
      { email: EDITOR, name: "Gro E2E-redaktør", role: "editor", organisationId: "st-olavs" },
      { email: OUS_RESEARCHER, name: "Ola E2E-forsker", role: "researcher", organisationId: "ous" },
    ]);
    const study = {
      identifiers: { rek: "991122" },
      title: { nb: TITLE },
      summary: { nb: "Vi prøver en ny behandling. Dette er en fiktiv teststudie." },
      studyType: "treatment" as const,
      leadOrganisationId: "st-olavs",
      publicationState: "published" as const,
      sites: [
        { organisationId: "st-olavs", inclusionStart: "2026-01-01", inclusionEnd: "2030-12-31" },
        {
          organisationId: "ous",
          inclusionStart: "2026-01-01",
          inclusionEnd: "2030-12-31",
          withdrawn: true,
          pendingConsent: true as const,
        },
      ],
    };
    const saved = saveStudyOrThrow(db, study, { actor: { kind: "system", name: "e2e" } });
    studyId = saved.studyId;
    const proposed = parseStudy({ ...study, title: { nb: NEW_TITLE } });
    if (!proposed.ok) throw new Error(JSON.stringify(proposed.problems));
    insertRevision(db, {
      studyId,
      baseVersion: saved.version,
      state: "submitted",
      snapshot: proposed.study,
      actor: { name: "Kari E2E-forsker" },
      now: new Date(),
    });
    // A second published study whose pending revision changes the title, adds what taking part
    // means and an inclusion criterion: the editor previews both pages and the diff, then approves.
    const previewStudy = {
      identifiers: { rek: "991123" },
      title: { nb: PREVIEW_TITLE },
      summary: { nb: "Vi prøver en ny behandling. Dette er en fiktiv teststudie." },
      studyType: "treatment" as const,
      leadOrganisationId: "st-olavs",
      publicationState: "published" as const,
      sites: [{ organisationId: "st-olavs", inclusionStart: "2026-01-01", inclusionEnd: "2030-12-31" }],
    };
    const savedPreview = saveStudyOrThrow(db, previewStudy, { actor: { kind: "system", name: "e2e" } });
    previewStudyId = savedPreview.studyId;
    const revised = parseStudy({
      ...previewStudy,
      title: { nb: PREVIEW_NEW_TITLE },
      participation: { nb: PREVIEW_PARTICIPATION },
      eligibility: { inclusionCriteria: { nb: "Voksne over 18 år med hjertesvikt" } },
    });
    if (!revised.ok) throw new Error(JSON.stringify(revised.problems));
    insertRevision(db, {
      studyId: previewStudyId,
      baseVersion: savedPreview.version,
      state: "submitted",
      snapshot: revised.study,
      actor: { name: "Kari E2E-forsker" },
      now: new Date(),
    });
  } finally {
    db.close();
  }
});

async function signIn(page: Page, email: string, til: string) {
  await page.goto(`/logg-inn?til=${encodeURIComponent(til)}`);
  await page.getByLabel("E-postadresse").fill(email);
  await page.getByLabel("Passord").fill(PASSWORD);
  await page.getByRole("button", { name: "Logg inn" }).click();
  await expect(page).toHaveURL(new RegExp(`${til}$`));
}

test("the editor approves exactly the pending revision; OUS accepts the site proposed at OUS", async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto(`/pasient/studier/${studyId}`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(TITLE);
  await expect(page.getByText("Oslo universitetssykehus")).toHaveCount(0);

  await signIn(page, EDITOR, "/redaksjon");
  await page.getByRole("region", { name: "Venter på godkjenning" }).getByRole("link", { name: TITLE }).click();
  await expect(page.getByText("Du gjennomgår endring 1")).toBeVisible();
  await expectNoAxeViolations(page, "review of a pending revision");
  await page.getByRole("button", { name: "Godkjenn og publiser endring 1" }).click();
  await expect(page.getByRole("status")).toContainText("Studien er godkjent og publisert.");
  // Read past the browser's cache (public pages may be cached for 30 s).
  const publicPage = async () =>
    (await page.request.get(`/pasient/studier/${studyId}`, { headers: { "Cache-Control": "no-cache" } })).text();
  expect(await publicPage()).toContain(NEW_TITLE);
  await page.context().clearCookies();

  await signIn(page, OUS_RESEARCHER, "/forsker/studier");
  await page.getByRole("link", { name: NEW_TITLE }).click();
  const waiting = page.getByRole("region", { name: "Studiesteder som venter på svar" });
  await expect(waiting).toBeVisible();
  await expectNoAxeViolations(page, "a site waiting for its organisation's answer");
  await waiting.getByRole("button", { name: /Godta studiestedet/ }).click();
  await expect(page.getByRole("status")).toContainText("Studiestedet er godtatt");
  expect(await publicPage()).toContain("Oslo universitetssykehus");
});

test("the editor previews the full patient and clinician pages and the diff, then approves", async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page, EDITOR, "/redaksjon");
  await page.getByRole("region", { name: "Venter på godkjenning" }).getByRole("link", { name: PREVIEW_TITLE }).click();
  // The diff against the published version.
  const diff = page.getByRole("region", { name: /Endringer siden publisert versjon/ });
  const titleRow = diff.getByRole("row", { name: /^Tittel/ });
  await expect(titleRow).toContainText(PREVIEW_TITLE);
  await expect(titleRow).toContainText(PREVIEW_NEW_TITLE);
  await expect(diff.getByRole("row", { name: /Hva deltakelse innebærer/ })).toContainText(PREVIEW_PARTICIPATION);

  // The patient page as it will be published: the new title, what taking part means, the sites.
  const preview = page.getByRole("region", { name: "Forhåndsvisning: slik blir studien publisert" });
  const patient = preview.getByRole("article", { name: "Forhåndsvisning av pasientsiden" });
  await expect(patient.getByRole("heading", { level: 2, name: PREVIEW_NEW_TITLE })).toBeVisible();
  await expect(patient.getByRole("heading", { name: "Hva det betyr å delta" })).toBeVisible();
  await expect(patient).toContainText(PREVIEW_PARTICIPATION);
  await expect(patient).toContainText("Snakk med legen din");
  await expect(patient.getByRole("list", { name: /Studiesteder og inklusjonsperiode/ })).toContainText(
    "St. Olavs hospital",
  );
  // The clinician page: the full criteria and the sites table.
  const clinician = preview.getByRole("article", { name: "Forhåndsvisning av siden for helsepersonell" });
  await expect(clinician.getByRole("heading", { level: 2, name: PREVIEW_NEW_TITLE })).toBeVisible();
  await expect(clinician).toContainText("Voksne over 18 år med hjertesvikt");
  await expect(clinician.getByRole("table", { name: /Alle studiesteder med status/ })).toContainText(
    "St. Olavs hospital",
  );
  await expectNoAxeViolations(page, "review with the preview of both pages and the diff");

  // Until approval the public page shows the published title; after it, the previewed one.
  const publicPage = async () =>
    (await page.request.get(`/pasient/studier/${previewStudyId}`, { headers: { "Cache-Control": "no-cache" } })).text();
  expect(await publicPage()).not.toContain(PREVIEW_NEW_TITLE);
  await page.getByRole("button", { name: "Godkjenn og publiser endring 1" }).click();
  await expect(page.getByRole("status")).toContainText("Studien er godkjent og publisert.");
  const after = await publicPage();
  expect(after).toContain(PREVIEW_NEW_TITLE);
  expect(after).toContain(PREVIEW_PARTICIPATION);
});
