/** Authorisation in the models: every forbidden action throws ForbiddenError, for every role; allowed ones write one version. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ForbiddenError, type Principal } from "#app/auth/policy";
import { getUser } from "#app/models/user.server";
import { listStudyVersions, latestSnapshot } from "#app/models/study.server";
import {
  approveStudy,
  createStudy,
  getStudyFor,
  listMyStudies,
  restoreVersion,
  reviewQueue,
  sendBackStudy,
  submitStudy,
  updateSiteDates,
  updateSiteLocal,
} from "#app/models/study-work.server";
import { createPeople, createStudies, type Person } from "../helpers/accounts";
import { freshDb, type TestDb } from "../helpers/db";

/** What an editor who opened the review page now would approve: the study's current version. */
const seen = (id: number) => ({
  version: t.db.prepare("SELECT current_version FROM studies WHERE id = ?").pluck().get(id) as number,
  revision: null,
});
let t: TestDb;
let people: Record<Person, Principal>;
let ids: { a: number; b: number };
beforeAll(async () => {
  t = freshDb();
  const userIds = await createPeople(t.db);
  people = Object.fromEntries(Object.entries(userIds).map(([k, id]) => [k, getUser(t.db, id)!])) as unknown as Record<
    Person,
    Principal
  >;
  ids = createStudies(t.db);
});
afterAll(() => t.cleanup());

const local = {
  contact: { name: "Lokal kontakt", email: "lokal@example.no", phone: null },
  referral: "Henvis via DIPS",
  paused: false,
  pauseReason: null,
};
const dates = { inclusionStart: "2026-02-01", inclusionEnd: "2027-12-31" };

type Attempt = [string, Person, () => unknown];
const forbidden = (): Attempt[] => [
  // researchers: other organisations' sites, studies they do not lead, editors' work
  [
    "researcher edits another organisation's site dates",
    "researcherStOlavs",
    () => updateSiteDates(t.db, people.researcherStOlavs, ids.a, "ous/", dates),
  ],
  [
    "researcher views a study of another organisation",
    "researcherStOlavs",
    () => getStudyFor(t.db, people.researcherStOlavs, ids.b),
  ],
  [
    "researcher edits dates of a study of another organisation",
    "researcherStOlavs",
    () => updateSiteDates(t.db, people.researcherStOlavs, ids.b, "ous/", dates),
  ],
  [
    "researcher restores a study of another organisation",
    "researcherStOlavs",
    () => restoreVersion(t.db, people.researcherStOlavs, ids.b, 1),
  ],
  [
    "researcher of a site (not the lead) restores",
    "researcherOus",
    () => restoreVersion(t.db, people.researcherOus, ids.a, 1),
  ],
  [
    "researcher of a site (not the lead) submits",
    "researcherOus",
    () => submitStudy(t.db, people.researcherOus, ids.a),
  ],
  [
    "researcher approves",
    "researcherStOlavs",
    () => approveStudy(t.db, people.researcherStOlavs, ids.a, seen(ids.a), null),
  ],
  ["researcher sends back", "researcherStOlavs", () => sendBackStudy(t.db, people.researcherStOlavs, ids.a, "nei")],
  [
    "researcher edits local site information",
    "researcherStOlavs",
    () => updateSiteLocal(t.db, people.researcherStOlavs, ids.a, "st-olavs/", local),
  ],
  // editors: other organisations' studies and sites, researchers' work
  [
    "editor approves a study led by another organisation",
    "editorOus",
    () => approveStudy(t.db, people.editorOus, ids.a, seen(ids.a), null),
  ],
  [
    "editor sends back a study led by another organisation",
    "editorOus",
    () => sendBackStudy(t.db, people.editorOus, ids.a, "nei"),
  ],
  [
    "editor edits local information of another organisation's site",
    "editorStOlavs",
    () => updateSiteLocal(t.db, people.editorStOlavs, ids.a, "ous/", local),
  ],
  [
    "editor edits dates of another organisation's site",
    "editorStOlavs",
    () => updateSiteDates(t.db, people.editorStOlavs, ids.a, "ous/", dates),
  ],
  [
    "editor views a study of another organisation",
    "editorStOlavs",
    () => getStudyFor(t.db, people.editorStOlavs, ids.b),
  ],
  [
    "editor restores (a researcher's action)",
    "editorStOlavs",
    () => restoreVersion(t.db, people.editorStOlavs, ids.a, 1),
  ],
  ["editor submits (a researcher's action)", "editorStOlavs", () => submitStudy(t.db, people.editorStOlavs, ids.a)],
];

describe("forbidden actions", () => {
  it.each(forbidden())("%s: ForbiddenError, nothing written", (_label, _who, attempt) => {
    const before = [ids.a, ids.b].map((id) => listStudyVersions(t.db, id).length);
    expect(attempt).toThrow(ForbiddenError);
    try {
      attempt();
    } catch (error) {
      expect((error as ForbiddenError).status).toBe(403);
      expect((error as ForbiddenError).message).toMatch(/\S/);
    }
    expect([ids.a, ids.b].map((id) => listStudyVersions(t.db, id).length)).toEqual(before);
  });

  it("lists only what the user may see", () => {
    expect(listMyStudies(t.db, people.researcherStOlavs).map((s) => s.id)).toEqual([ids.a]);
    expect(new Set(listMyStudies(t.db, people.researcherOus).map((s) => s.id))).toEqual(new Set([ids.a, ids.b]));
    expect(reviewQueue(t.db, people.editorStOlavs).map((s) => s.id)).toEqual([ids.a]);
    expect(reviewQueue(t.db, people.editorOus)).toEqual([]);
    expect(reviewQueue(t.db, people.researcherStOlavs)).toEqual([]);
    expect(reviewQueue(t.db, people.admin).map((s) => s.id)).toEqual([ids.a]);
  });
});

describe("allowed actions", () => {
  it("a site's dates: exactly one version, by the user, with the diff; the outbox gets it", () => {
    const versions = listStudyVersions(t.db, ids.a).length;
    const outbox = t.db.prepare("SELECT count(*) FROM search_outbox WHERE study_id = ?").pluck().get(ids.a) as number;
    const result = updateSiteDates(t.db, people.researcherOus, ids.a, "ous/", {
      inclusionStart: "2026-03-01",
      inclusionEnd: "2027-09-30",
    });
    expect(result).toMatchObject({ ok: true, changed: true, version: versions + 1 });
    const all = listStudyVersions(t.db, ids.a);
    expect(all).toHaveLength(versions + 1);
    expect(all[0]).toMatchObject({ actorKind: "user", actorName: "Ola Forsker" });
    expect(all[0]!.changes).toEqual([
      { path: "sites[ous/].inclusionEnd", kind: "changed", from: "2027-03-01", to: "2027-09-30" },
    ]);
    expect(t.db.prepare("SELECT count(*) FROM search_outbox WHERE study_id = ?").pluck().get(ids.a)).toBe(outbox + 1);
    // The same dates again: no new version.
    expect(
      updateSiteDates(t.db, people.researcherOus, ids.a, "ous/", {
        inclusionStart: "2026-03-01",
        inclusionEnd: "2027-09-30",
      }),
    ).toMatchObject({ changed: false });
    expect(listStudyVersions(t.db, ids.a)).toHaveLength(versions + 1);
  });

  it("bad dates are refused with the field named", () => {
    const result = updateSiteDates(t.db, people.researcherStOlavs, ids.a, "st-olavs/", {
      inclusionStart: "2027-01-01",
      inclusionEnd: "2026-01-01",
    });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems[0]).toMatchObject({ field: "inclusionEnd" });
  });

  it("restore writes a new version and leaves other organisations' sites alone", () => {
    updateSiteDates(t.db, people.researcherStOlavs, ids.a, "st-olavs/", {
      inclusionStart: "2026-01-01",
      inclusionEnd: "2028-01-31",
    });
    const before = listStudyVersions(t.db, ids.a).length;
    const result = restoreVersion(t.db, people.researcherStOlavs, ids.a, 1);
    expect(result).toMatchObject({ ok: true, version: before + 1 });
    const now = latestSnapshot(t.db, ids.a)!;
    expect(now.sites.find((s) => s.organisationId === "st-olavs")!.inclusionEnd).toBe("2027-06-30");
    expect(now.sites.find((s) => s.organisationId === "ous")!.inclusionEnd).toBe("2027-09-30");
    expect(now.publicationState).toBe("submitted");
  });

  it("an editor completes their own site and approves their organisation's study", () => {
    expect(updateSiteLocal(t.db, people.editorStOlavs, ids.a, "st-olavs/", local)).toMatchObject({ ok: true });
    expect(
      updateSiteLocal(t.db, people.editorOus, ids.a, "ous/", { ...local, paused: true, pauseReason: null }),
    ).toMatchObject({ ok: false });
    expect(
      updateSiteLocal(t.db, people.editorOus, ids.a, "ous/", {
        ...local,
        paused: true,
        pauseReason: "Mangler studiesykepleier",
      }),
    ).toMatchObject({ ok: true });
    expect(approveStudy(t.db, people.editorStOlavs, ids.a, seen(ids.a), "Fint")).toMatchObject({ ok: true });
    expect(latestSnapshot(t.db, ids.a)!.publicationState).toBe("published");
    expect(approveStudy(t.db, people.editorStOlavs, ids.a, seen(ids.a), null)).toMatchObject({ ok: false });
  });

  it("submit, then send back with a comment", () => {
    expect(submitStudy(t.db, people.researcherOus, ids.b)).toMatchObject({ ok: true });
    expect(sendBackStudy(t.db, people.editorOus, ids.b, " ")).toMatchObject({ ok: false });
    expect(sendBackStudy(t.db, people.editorOus, ids.b, "Mangler engelsk sammendrag")).toMatchObject({ ok: true });
    expect(latestSnapshot(t.db, ids.b)!.publicationState).toBe("draft");
  });
});

describe("submitting and approving need what publishing needs (checked in the model, not only by the form)", () => {
  const incomplete = () => ({
    identifiers: { rek: "777001" },
    title: { nb: "Utkast uten sammendrag og datoer" },
    studyType: "treatment" as const,
    leadOrganisationId: "ous",
    sites: [{ organisationId: "ous", inclusionStart: "2026-02-01", inclusionEnd: null }],
  });

  it("a draft without a bokmål summary or a whole inclusion period cannot be submitted; every gap is named", () => {
    const created = createStudy(t.db, people.researcherOus, incomplete());
    expect(created.ok).toBe(true);
    if (!created.ok) return;
    const versions = listStudyVersions(t.db, created.studyId).length;
    const result = submitStudy(t.db, people.researcherOus, created.studyId);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => p.message)).toEqual([
      "Studien kan ikke sendes til godkjenning før dette er på plass: Sammendrag i klarspråk på bokmål.",
      "Studien kan ikke sendes til godkjenning før dette er på plass: Inklusjonsperiode (start og slutt) for minst ett studiested.",
    ]);
    // Nothing was written: still a draft, no new version.
    expect(latestSnapshot(t.db, created.studyId)!.publicationState).toBe("draft");
    expect(listStudyVersions(t.db, created.studyId)).toHaveLength(versions);
  });

  it("registering with submit at once is refused the same way, and nothing is stored", () => {
    const before = t.db.prepare("SELECT count(*) FROM studies").pluck().get() as number;
    const result = createStudy(
      t.db,
      people.researcherOus,
      { ...incomplete(), identifiers: { rek: "777002" } },
      { submit: true },
    );
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems[0]!.message).toMatch(/Sammendrag i klarspråk på bokmål/);
    expect(t.db.prepare("SELECT count(*) FROM studies").pluck().get()).toBe(before);
  });

  it("once complete it is submitted and approved", () => {
    const created = createStudy(
      t.db,
      people.researcherOus,
      {
        ...incomplete(),
        identifiers: { rek: "777003" },
        summary: { nb: "Vi undersøker en ny behandling." },
        sites: [{ organisationId: "ous", inclusionStart: "2026-02-01", inclusionEnd: "2027-06-30" }],
      },
      { submit: true },
    );
    expect(created.ok).toBe(true);
    if (!created.ok) return;
    expect(approveStudy(t.db, people.editorOus, created.studyId, seen(created.studyId), null)).toMatchObject({
      ok: true,
    });
    expect(latestSnapshot(t.db, created.studyId)!.publicationState).toBe("published");
  });
});
