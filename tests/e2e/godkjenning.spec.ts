/**
 * Approval of what was reviewed and sites only with consent (issue 22, ADR 0014) in the real
 * browser, with axe (zero violations): the lead organisation's editor reviews a published
 * study's pending revision, which names itself, and approves exactly it; the public page shows
 * the new title only then. Oslo universitetssykehus's researcher finds the site St. Olavs
 * proposed at OUS, which the public does not see, and accepts it. The people, the study, its
 * revision and the proposed site are written into the e2e database through the real models.
 */
import { expect, test, type Page } from "@playwright/test";
import { hashPassword } from "../../app/auth/password.server";
import { openDatabase } from "../../app/db.server";
import { parseStudy } from "../../app/domain/study";
import { createUser } from "../../app/models/user.server";
import { saveStudy } from "../../app/models/study.server";
import { insertRevision } from "../../app/models/study-revisions.server";
import { expectNoAxeViolations } from "./support/axe";

const PASSWORD = "e2e-godkjenning-passord-langt";
const EDITOR = "e2e.godkjenning-redaktor@stolav.example.no";
const OUS_RESEARCHER = "e2e.godkjenning-forsker@ous.example.no";
const TITLE = "Fiktiv e2e-studie av godkjenning";
const NEW_TITLE = "Fiktiv e2e-studie av godkjenning, ny tittel";
let studyId = 0;

test.beforeAll(async () => {
  const db = openDatabase(process.env.E2E_DATABASE_PATH!);
  try {
    const hash = await hashPassword(PASSWORD);
    if (!db.prepare("SELECT 1 FROM users WHERE email = ?").get(EDITOR)) {
      createUser(db, {
        email: EDITOR,
        name: "Gro E2E-redaktør",
        passwordHash: hash,
        roles: [{ role: "editor", organisationId: "st-olavs" }],
      });
      createUser(db, {
        email: OUS_RESEARCHER,
        name: "Ola E2E-forsker",
        passwordHash: hash,
        roles: [{ role: "researcher", organisationId: "ous" }],
      });
    }
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
    const saved = saveStudy(db, study, { actor: { kind: "system", name: "e2e" } });
    if (!saved.ok) throw new Error(JSON.stringify(saved.problems));
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
