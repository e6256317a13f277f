/**
 * Issue 22, findings 5–8, over real HTTP against the built server on a real SQLite file:
 * 5. an approval publishes exactly the version (or pending revision) the editor reviewed; a
 *    later change by the researcher makes it fail with a clear message, and a published study's
 *    shared fields change publicly only once an editor approves the revision;
 * 6. a site of another organisation is pending until that organisation accepts it: not in the
 *    API, the public page or that organisation's embed; the organisation accepts, declines or
 *    withdraws it;
 * 7. a restore is authorised like an edit (no moving the study to another lead);
 * 8. a withdrawn site no longer opens a draft for its organisation's researchers.
 */
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prepareDatabase } from "#app/boot.server";
import { openDatabase, type Db } from "#app/db.server";
import { saveStudy } from "#app/models/study.server";
import { startServer, type RunningServer } from "../helpers/server";
import { tempDir } from "../helpers/db";
import { createPeople, PEOPLE, testStudy, type Person } from "../helpers/accounts";
import { BrowserClient } from "../helpers/browser-client";
import { saveStudyOrThrow } from "../helpers/studies";

let server: RunningServer;
let db: Db;

beforeAll(async () => {
  const dbFile = path.join(tempDir("ks-appr-"), "appr.db");
  const setup = openDatabase(dbFile);
  prepareDatabase(setup, { seedDemoData: false });
  await createPeople(setup);
  setup.close();
  server = await startServer({ DATABASE_PATH: dbFile, SEED_DEMO_DATA: "false", SESSION_SECRET: "a".repeat(40) });
  db = openDatabase(dbFile);
});
afterAll(async () => {
  db?.close();
  await server?.stop();
});

async function as(person: Person) {
  const c = new BrowserClient(server.url);
  await c.signIn(PEOPLE[person].email);
  return c;
}

let rek = 660000;
/** A study written as a source would (not through the pages), led by St. Olavs. */
function study(over: Parameters<typeof testStudy>[0] = {}): number {
  const r = saveStudyOrThrow(db, testStudy({ identifiers: { rek: String(rek++) }, ...over }), {
    actor: { kind: "system", name: "test" },
  });
  return r.studyId;
}
const stOlavsOnly = [
  { organisationId: "st-olavs", hospitalId: null, inclusionStart: "2026-01-01", inclusionEnd: "2030-06-30" },
];

/** The edit form as a browser without JavaScript posts it. */
function editForm(title: string, over: Record<string, string> = {}): [string, string][] {
  return Object.entries({
    intent: "draft",
    leadOrganisationId: "st-olavs",
    "identifiers.rek": "2024/660001",
    "title.nb": title,
    "summary.nb": "Vi prøver en ny medisin. Dette er en fiktiv teststudie.",
    studyType: "treatment",
    phase: "phase_3",
    "eligibility.sex": "all",
    "contacts[0].name": "Studiesykepleier",
    "contacts[0].email": "studie@example.no",
    "contacts[0].role": "public",
    "sites[0].organisationId": "st-olavs",
    "sites[0].hospitalId": "",
    "sites[0].inclusionStart": "2026-01-01",
    "sites[0].inclusionEnd": "2030-06-30",
    ...over,
  });
}

const state = (id: number) =>
  db.prepare("SELECT publication_state FROM studies WHERE id = ?").pluck().get(id) as string;
const apiTitle = async (id: number) =>
  ((await (await fetch(`${server.url}/api/v1/studies/${id}`)).json()) as { title: { nb: string } }).title.nb;
const apiSites = async (id: number) =>
  (
    (await (await fetch(`${server.url}/api/v1/studies/${id}`)).json()) as {
      sites: { organisation: { id: string } | null }[];
    }
  ).sites.map((s) => s.organisation?.id);
/** The embed as JSON text; a study shows there as a link ending in /studier/<id>. */
const embedIds = async (org: string) =>
  JSON.stringify(await (await fetch(`${server.url}/embed/organisations/${org}.json`)).json());
const inEmbed = (id: number) => `/studier/${id}"`;
const versionCount = (id: number) =>
  db.prepare("SELECT count(*) FROM study_versions WHERE study_id = ?").pluck().get(id) as number;

describe("5. an approval publishes exactly what the editor reviewed", () => {
  it("a submitted study changed after the editor opened it is not approved; the queue shows the new version", async () => {
    const id = study({ sites: stOlavsOnly });
    const editor = await as("editorStOlavs");
    const review = await editor.get(`/redaksjon/studier/${id}`);
    expect(review.body).toContain("Du gjennomgår versjon 1.");
    expect(review.body).toMatch(/name="version" value="1"/);

    const researcher = await as("researcherStOlavs");
    await researcher.get(`/forsker/studier/${id}/rediger`);
    const edited = await researcher.post(
      `/forsker/studier/${id}/rediger`,
      editForm("Tittel endret etter gjennomgang", { "identifiers.rek": String(rek - 1) }),
    );
    expect(edited.res.status).toBe(302);
    expect(versionCount(id)).toBe(2);

    const refused = await editor.post(`/redaksjon/studier/${id}`, {
      intent: "approve",
      version: "1",
      revision: "",
      comment: "",
    });
    expect(refused.res.status).toBe(409);
    expect(refused.body).toContain("Studien er endret etter at du åpnet den: du så versjon 1, nå er den versjon 2.");
    expect(state(id)).toBe("submitted");
    expect(versionCount(id)).toBe(2);
    // An approve that does not say what it approves is refused the same way.
    expect((await editor.post(`/redaksjon/studier/${id}`, { intent: "approve", comment: "" })).res.status).toBe(409);

    const queue = await editor.get("/redaksjon");
    expect(queue.body).toContain("Tittel endret etter gjennomgang");
    const again = await editor.get(`/redaksjon/studier/${id}`);
    expect(again.body).toContain("Du gjennomgår versjon 2.");
    const ok = await editor.post(`/redaksjon/studier/${id}`, {
      intent: "approve",
      version: "2",
      revision: "",
      comment: "",
    });
    expect(ok.res.status).toBe(302);
    expect(state(id)).toBe("published");
    expect(await apiTitle(id)).toBe("Tittel endret etter gjennomgang");
  });

  it("a change to a published study's shared fields is a pending revision: the public keeps the approved version", async () => {
    const id = study({ sites: stOlavsOnly, publicationState: "published", title: { nb: "Publisert tittel" } });
    const researcher = await as("researcherStOlavs");
    await researcher.get(`/forsker/studier/${id}/rediger`);
    const first = await researcher.post(
      `/forsker/studier/${id}/rediger`,
      editForm("Foreslått tittel", { intent: "submit", "identifiers.rek": String(rek - 1) }),
    );
    expect(first.res.status).toBe(302);
    expect(first.res.headers.get("location")).toBe(`/forsker/studier/${id}?endring=1`);
    expect(versionCount(id)).toBe(1);
    expect(await apiTitle(id)).toBe("Publisert tittel");
    expect(await (await fetch(`${server.url}/pasient/studier/${id}`)).text()).not.toContain("Foreslått tittel");
    expect((await researcher.get(`/forsker/studier/${id}`)).body).toContain("Endring 1 venter på godkjenning");

    const editor = await as("editorStOlavs");
    expect((await editor.get("/redaksjon")).body).toContain(`/redaksjon/studier/${id}`);
    const review = await editor.get(`/redaksjon/studier/${id}`);
    expect(review.body).toContain("Du gjennomgår endring 1");
    expect(review.body).toContain("Foreslått tittel");

    // The researcher changes it again while the editor reads revision 1.
    await researcher.get(`/forsker/studier/${id}/rediger`);
    const second = await researcher.post(
      `/forsker/studier/${id}/rediger`,
      editForm("Enda en tittel", { "identifiers.rek": String(rek - 1) }),
    );
    expect(second.res.headers.get("location")).toBe(`/forsker/studier/${id}?endring=2`);
    const refused = await editor.post(`/redaksjon/studier/${id}`, {
      intent: "approve",
      version: "1",
      revision: "1",
      comment: "",
    });
    expect(refused.res.status).toBe(409);
    expect(refused.body).toContain("Studien er endret etter at du åpnet den: du så endring 1, nå venter endring 2.");
    expect(await apiTitle(id)).toBe("Publisert tittel");
    expect(versionCount(id)).toBe(1);

    const again = await editor.get(`/redaksjon/studier/${id}`);
    expect(again.body).toContain("Du gjennomgår endring 2");
    const ok = await editor.post(`/redaksjon/studier/${id}`, {
      intent: "approve",
      version: "1",
      revision: "2",
      comment: "",
    });
    expect(ok.res.status).toBe(302);
    expect(await apiTitle(id)).toBe("Enda en tittel");
    expect(versionCount(id)).toBe(2);
    expect(
      db
        .prepare("SELECT revision, state, published_version FROM study_revisions WHERE study_id = ? ORDER BY revision")
        .all(id),
    ).toEqual([
      { revision: 1, state: "replaced", published_version: null },
      { revision: 2, state: "approved", published_version: 2 },
    ]);
  });

  it("a site's own dates on a published study still change at once (site-local, no approval)", async () => {
    const id = study({ sites: stOlavsOnly, publicationState: "published" });
    const researcher = await as("researcherStOlavs");
    await researcher.get(`/forsker/studier/${id}`);
    const r = await researcher.post(`/forsker/studier/${id}`, {
      intent: "dates",
      site: "st-olavs/",
      inclusionStart: "2026-01-01",
      inclusionEnd: "2031-01-31",
    });
    expect(r.res.status).toBe(302);
    const body = (await (await fetch(`${server.url}/api/v1/studies/${id}`)).json()) as {
      sites: { inclusionEnd: string }[];
    };
    expect(body.sites[0]!.inclusionEnd).toBe("2031-01-31");
  });
});

describe("6. a site of another organisation only with its consent", () => {
  it("a proposed Oslo universitetssykehus site is hidden until OUS accepts it, and OUS can withdraw it", async () => {
    const id = study({ sites: stOlavsOnly, publicationState: "published" });
    const researcher = await as("researcherStOlavs");
    await researcher.get(`/forsker/studier/${id}/rediger`);
    const proposed = await researcher.post(
      `/forsker/studier/${id}/rediger`,
      editForm(testStudy().title.nb!, {
        "identifiers.rek": String(rek - 1),
        "sites[1].organisationId": "ous",
        "sites[1].hospitalId": "",
        "sites[1].inclusionStart": "2026-01-01",
        "sites[1].inclusionEnd": "2030-01-01",
      }),
    );
    expect(proposed.res.status).toBe(302);
    expect(await apiSites(id)).toEqual(["st-olavs"]);
    expect(await embedIds("ous")).not.toContain(inEmbed(id));
    expect(await (await fetch(`${server.url}/pasient/studier/${id}`)).text()).not.toContain("Oslo universitetssykehus");
    expect(
      db
        .prepare("SELECT withdrawn, pending_consent FROM study_sites WHERE study_id = ? AND organisation_id = 'ous'")
        .get(id),
    ).toEqual({ withdrawn: 1, pending_consent: 1 });

    // The proposer cannot accept on OUS's behalf.
    await researcher.get(`/forsker/studier/${id}`);
    expect((await researcher.post(`/forsker/studier/${id}`, { intent: "accept-site", site: "ous/" })).res.status).toBe(
      403,
    );

    const ous = await as("researcherOus");
    expect((await ous.get("/forsker/studier")).body).toContain(`/forsker/studier/${id}`);
    const page = await ous.get(`/forsker/studier/${id}`);
    expect(page.body).toContain("Studiesteder som venter på svar");
    expect(page.body).toContain("Godta studiestedet");
    const accepted = await ous.post(`/forsker/studier/${id}`, { intent: "accept-site", site: "ous/" });
    expect(accepted.res.status).toBe(302);
    expect((await apiSites(id)).sort()).toEqual(["ous", "st-olavs"]);
    expect(await embedIds("ous")).toContain(inEmbed(id));

    const editorOus = await as("editorOus");
    await editorOus.get(`/forsker/studier/${id}`);
    const withdrawn = await editorOus.post(`/forsker/studier/${id}`, { intent: "withdraw-site", site: "ous/" });
    expect(withdrawn.res.status).toBe(302);
    expect(await apiSites(id)).toEqual(["st-olavs"]);
    expect(await embedIds("ous")).not.toContain(inEmbed(id));
  });

  it("a site proposed at registration waits too, and a declined one stays hidden and no longer waits", async () => {
    const researcher = await as("researcherStOlavs");
    await researcher.get("/forsker/studier/ny");
    const created = await researcher.post(
      "/forsker/studier/ny",
      editForm("Ny studie med forslag til OUS", {
        intent: "submit",
        "identifiers.rek": String(rek++),
        "sites[1].organisationId": "ous",
        "sites[1].hospitalId": "",
        "sites[1].inclusionStart": "2026-01-01",
        "sites[1].inclusionEnd": "2030-01-01",
      }),
    );
    expect(created.res.status).toBe(302);
    const id = Number(/\/forsker\/studier\/(\d+)/.exec(created.res.headers.get("location")!)![1]);
    const editor = await as("editorStOlavs");
    const review = await editor.get(`/redaksjon/studier/${id}`);
    expect(
      await editor.post(`/redaksjon/studier/${id}`, {
        intent: "approve",
        version: /name="version" value="(\d+)"/.exec(review.body)![1]!,
        revision: "",
        comment: "",
      }),
    ).toMatchObject({
      res: expect.objectContaining({ status: 302 }),
    });
    expect(state(id)).toBe("published");
    expect(await apiSites(id)).toEqual(["st-olavs"]);

    const editorOus = await as("editorOus");
    await editorOus.get(`/forsker/studier/${id}`);
    expect((await editorOus.post(`/forsker/studier/${id}`, { intent: "decline-site", site: "ous/" })).res.status).toBe(
      302,
    );
    expect(
      db
        .prepare("SELECT withdrawn, pending_consent FROM study_sites WHERE study_id = ? AND organisation_id = 'ous'")
        .get(id),
    ).toEqual({ withdrawn: 1, pending_consent: 0 });
    expect(await apiSites(id)).toEqual(["st-olavs"]);
    // Declined: nothing left to answer, and OUS no longer sees the study.
    expect((await editorOus.post(`/forsker/studier/${id}`, { intent: "accept-site", site: "ous/" })).res.status).toBe(
      404,
    );
    expect((await editorOus.get(`/forsker/studier/${id}`)).res.status).toBe(403);
  });
});

describe("7. a restore is authorised exactly like an edit", () => {
  it("a researcher of the new lead cannot restore the version led by the old lead", async () => {
    const first = testStudy({
      identifiers: { rek: String(rek++) },
      leadOrganisationId: "ous",
      publicationState: "draft",
    });
    const r1 = saveStudyOrThrow(db, first, { actor: { kind: "system", name: "test" } });
    const r2 = saveStudy(
      db,
      { ...first, leadOrganisationId: "st-olavs" },
      { studyId: r1.studyId, actor: { kind: "system", name: "test" } },
    );
    expect(r2).toMatchObject({ ok: true, version: 2 });
    const researcher = await as("researcherStOlavs");
    await researcher.get(`/forsker/studier/${r1.studyId}/historikk`);
    const restored = await researcher.post(`/forsker/studier/${r1.studyId}/historikk`, { version: "1" });
    expect(restored.res.status).toBe(403);
    expect(db.prepare("SELECT lead_organisation_id FROM studies WHERE id = ?").pluck().get(r1.studyId)).toBe(
      "st-olavs",
    );
    expect(versionCount(r1.studyId)).toBe(2);
  });

  it("restoring a published study's earlier title is a pending revision, not a public change", async () => {
    const first = testStudy({
      identifiers: { rek: String(rek++) },
      sites: stOlavsOnly,
      publicationState: "published",
      title: { nb: "Gammel tittel" },
    });
    const r1 = saveStudyOrThrow(db, first, { actor: { kind: "system", name: "test" } });
    saveStudy(
      db,
      { ...first, title: { nb: "Ny tittel" } },
      { studyId: r1.studyId, actor: { kind: "system", name: "test" } },
    );
    const researcher = await as("researcherStOlavs");
    await researcher.get(`/forsker/studier/${r1.studyId}/historikk`);
    expect((await researcher.post(`/forsker/studier/${r1.studyId}/historikk`, { version: "1" })).res.status).toBe(302);
    expect(await apiTitle(r1.studyId)).toBe("Ny tittel");
    expect(
      db
        .prepare("SELECT state, json_extract(snapshot, '$.title.nb') AS title FROM study_revisions WHERE study_id = ?")
        .get(r1.studyId),
    ).toEqual({
      state: "draft",
      title: "Gammel tittel",
    });
  });
});

describe("8. a withdrawn site no longer opens the draft for its organisation", () => {
  it("OUS's researcher sees the draft while OUS has a site, and not after it was withdrawn", async () => {
    const id = study({ publicationState: "draft" });
    const ous = await as("researcherOus");
    expect((await ous.get(`/forsker/studier/${id}`)).res.status).toBe(200);
    const base = testStudy();
    const r = saveStudy(
      db,
      {
        ...base,
        identifiers: { rek: String(rek - 1) },
        publicationState: "draft",
        sites: base.sites!.map((s) => (s.organisationId === "ous" ? { ...s, withdrawn: true } : s)),
      },
      {
        studyId: id,
        actor: { kind: "system", name: "test" },
      },
    );
    expect(r.ok).toBe(true);
    expect((await ous.get(`/forsker/studier/${id}`)).res.status).toBe(403);
    expect((await ous.get(`/forsker/studier/${id}/historikk`)).res.status).toBe(403);
    expect((await ous.get("/forsker/studier")).body).not.toContain(`/forsker/studier/${id}"`);
  });
});
