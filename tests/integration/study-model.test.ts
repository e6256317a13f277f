import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StudyInput } from "#app/domain/study";
import {
  getStudy,
  latestSnapshot,
  listStudies,
  listStudyVersions,
  saveStudy,
  toStudyInput,
  type Actor,
} from "#app/models/study.server";
import { freshDb, type TestDb } from "../helpers/db";
import { saveStudyOrThrow } from "../helpers/studies";

let t: TestDb;
beforeAll(() => {
  t = freshDb();
});
afterAll(() => t.cleanup());

const actor: Actor = { kind: "user", id: "u1", name: "Test Testesen" };

function study(overrides: Partial<StudyInput> = {}): StudyInput {
  return {
    identifiers: { rek: "912345" },
    title: { nb: "Testmedisin ved hjertesvikt", en: "Test drug in heart failure" },
    summary: { nb: "Vi tester en medisin." },
    studyType: "treatment",
    phase: "phase_3",
    categories: ["cardiovascular"],
    conditions: ["Hjertesvikt"],
    icd10: ["I50"],
    eligibility: { minAgeYears: 18, maxAgeYears: 80, sex: "all" },
    leadOrganisationId: "ous",
    sites: [
      {
        organisationId: "ous",
        hospitalId: "ous-rikshospitalet",
        inclusionStart: "2026-01-01",
        inclusionEnd: "2027-06-30",
      },
      { organisationId: "st-olavs", inclusionStart: "2026-03-01", inclusionEnd: "2027-03-01" },
    ],
    publicationState: "published",
    ...overrides,
  };
}

const count = (table: string) => t.db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;

describe("saving studies", () => {
  it("creates a study with version 1 and reads back exactly what was saved", () => {
    const result = saveStudy(t.db, study(), { actor });
    expect(result).toMatchObject({ ok: true, version: 1, created: true, changed: true });
    if (!result.ok) return;
    const record = getStudy(t.db, result.studyId)!;
    expect(record.title.nb).toBe("Testmedisin ved hjertesvikt");
    expect(record.sites.map((s) => s.organisationName)).toEqual([
      "Oslo universitetssykehus HF",
      "St. Olavs hospital HF",
    ]);
    expect(record.sites[0]!.hospitalName).toBe("Rikshospitalet");
    expect(record.leadOrganisation.regionId).toBe("helse-sor-ost");
    expect(toStudyInput(record)).toEqual(latestSnapshot(t.db, result.studyId));
  });

  it("makes no new version when the same study is saved again (idempotent)", () => {
    const first = saveStudy(t.db, study({ identifiers: { rek: "912346", nct: "NCT90000001" } }), { actor });
    expect(first.ok).toBe(true);
    if (!first.ok) return;
    const versionsBefore = count("study_versions");
    // Same content, different order of sets and sites, blank optional texts: still the same study.
    const again = saveStudy(
      t.db,
      {
        ...study({ identifiers: { rek: "912346", nct: "nct90000001" } }),
        sites: [...study().sites!].reverse(),
        shortTitle: { nb: "", en: null },
      },
      { actor, studyId: first.studyId },
    );
    expect(again).toMatchObject({ ok: true, changed: false, version: 1 });
    expect(count("study_versions")).toBe(versionsBefore);
  });

  it("makes exactly one new version with a readable diff when a site's dates change", () => {
    const created = saveStudyOrThrow(t.db, study({ identifiers: { rek: "912347" } }), { actor });
    const changedSites = study().sites!.map((s) =>
      s.organisationId === "st-olavs" ? { ...s, inclusionEnd: "2027-09-30" } : s,
    );
    const updated = saveStudy(t.db, study({ identifiers: { rek: "912347" }, sites: changedSites }), {
      actor: { kind: "user", id: "u2", name: "Kari Koordinator" },
      studyId: created.studyId,
    });
    expect(updated).toMatchObject({ ok: true, changed: true, version: 2 });
    if (!updated.ok) return;
    expect(updated.changes).toEqual([
      { path: "sites[st-olavs/].inclusionEnd", kind: "changed", from: "2027-03-01", to: "2027-09-30" },
    ]);
    const versions = listStudyVersions(t.db, created.studyId);
    expect(versions.map((v) => v.version)).toEqual([2, 1]);
    expect(versions[0]).toMatchObject({ actorName: "Kari Koordinator", summary: "Endret sites" });
    expect(versions[1]!.summary).toBe("Opprettet");
    expect(getStudy(t.db, created.studyId)!.currentVersion).toBe(2);
  });

  it("withdraws a site that disappears from the input, never deletes it", () => {
    const created = saveStudyOrThrow(t.db, study({ identifiers: { rek: "912348" } }), { actor });
    const onlyOus = study().sites!.filter((s) => s.organisationId === "ous");
    const updated = saveStudy(t.db, study({ identifiers: { rek: "912348" }, sites: onlyOus }), {
      actor,
      studyId: created.studyId,
    });
    expect(updated).toMatchObject({ ok: true, changed: true });
    const sites = getStudy(t.db, created.studyId)!.sites;
    expect(sites).toHaveLength(2);
    expect(sites.find((s) => s.organisationId === "st-olavs")!.withdrawn).toBe(true);
    expect(sites.find((s) => s.organisationId === "ous")!.withdrawn).toBe(false);
    // Sending the same reduced list again is not a change.
    expect(
      saveStudy(t.db, study({ identifiers: { rek: "912348" }, sites: onlyOus }), { actor, studyId: created.studyId }),
    ).toMatchObject({ changed: false });
  });

  it("keeps site ids stable across updates", () => {
    const created = saveStudyOrThrow(t.db, study({ identifiers: { rek: "912349" } }), { actor });
    const before = getStudy(t.db, created.studyId)!.sites.map((s) => s.id);
    saveStudy(t.db, study({ identifiers: { rek: "912349" }, title: { nb: "Ny tittel" } }), {
      actor,
      studyId: created.studyId,
    });
    expect(getStudy(t.db, created.studyId)!.sites.map((s) => s.id)).toEqual(before);
  });

  it("finds a study again by its provenance (source + external id)", () => {
    const provenance = { sourceId: "test-feed", externalId: "ABC-1" };
    const first = saveStudy(t.db, study({ identifiers: { rek: "912350" } }), {
      actor: { kind: "source", name: "Testfeed" },
      provenance,
    });
    const second = saveStudy(t.db, study({ identifiers: { rek: "912350" }, summary: { nb: "Endret sammendrag." } }), {
      actor: { kind: "source", name: "Testfeed" },
      provenance,
    });
    expect(first.ok && second.ok && second.studyId === first.studyId).toBe(true);
    expect(second).toMatchObject({ created: false, changed: true, version: 2 });
  });

  it("lists published studies with their sites", () => {
    const list = listStudies(t.db);
    expect(list.length).toBeGreaterThan(0);
    expect(list.every((s) => s.publicationState === "published")).toBe(true);
    expect(list[0]!.sites.length).toBeGreaterThan(0);
  });
});

describe("bad input is refused with which field and why, and stores nothing", () => {
  const cases: [string, unknown, string][] = [
    [
      "end before start",
      study({ sites: [{ organisationId: "ous", inclusionStart: "2027-01-01", inclusionEnd: "2026-01-01" }] }),
      "sites.0.inclusionEnd",
    ],
    [
      "a day that does not exist",
      study({ sites: [{ organisationId: "ous", inclusionStart: "2027-02-29" }] }),
      "sites.0.inclusionStart",
    ],
    ["unknown organisation", study({ leadOrganisationId: "no-such-hf" }), "leadOrganisationId"],
    [
      "hospital of another organisation",
      study({ sites: [{ organisationId: "st-olavs", hospitalId: "ous-rikshospitalet" }] }),
      "sites.0.hospitalId",
    ],
    [
      "unknown hospital",
      study({ sites: [{ organisationId: "ous", hospitalId: "ous-nowhere" }] }),
      "sites.0.hospitalId",
    ],
    ["unknown HRCS category", study({ categories: ["astrology"] }), "categories.0"],
    ["missing Norwegian title", study({ title: { nb: "   ", en: "Only English" } }), "title.nb"],
    ["malformed NCT", study({ identifiers: { nct: "NCT123" } }), "identifiers.nct"],
    ["malformed ICD-10", study({ icd10: ["'; DROP TABLE studies; --"] }), "icd10.0"],
    ["javascript: link", study({ links: [{ url: "javascript:alert(1)", label: "x" }] }), "links.0.url"],
    ["min age above max age", study({ eligibility: { minAgeYears: 70, maxAgeYears: 18 } }), "eligibility.maxAgeYears"],
    ["absurd age", study({ eligibility: { minAgeYears: 1e9 } }), "eligibility.minAgeYears"],
    ["huge title", study({ title: { nb: "x".repeat(100_000) } }), "title.nb"],
    ["paused without reason", study({ sites: [{ organisationId: "ous", paused: true }] }), "sites.0.pauseReason"],
    ["same site twice", study({ sites: [{ organisationId: "ous" }, { organisationId: "ous" }] }), "sites.1"],
    ["unknown study type", { ...study(), studyType: "magic" }, "studyType"],
    ["not an object", "DROP TABLE studies", "(hele studien)"],
    ["null", null, "(hele studien)"],
  ];

  it.each(cases)("%s", (_name, input, field) => {
    const studiesBefore = count("studies");
    const versionsBefore = count("study_versions");
    const result = saveStudy(t.db, input, { actor });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => p.field)).toContain(field);
    expect(result.problems.every((p) => p.message.length > 0)).toBe(true);
    expect(count("studies")).toBe(studiesBefore);
    expect(count("study_versions")).toBe(versionsBefore);
  });

  it("refuses a registry identifier another study already has, and leaves both studies as they were", () => {
    saveStudyOrThrow(t.db, study({ identifiers: { rek: "912351", nct: "NCT90000077" } }), { actor });
    const b = saveStudyOrThrow(t.db, study({ identifiers: { rek: "912352" } }), { actor });
    const clash = saveStudy(t.db, study({ identifiers: { rek: "912352", nct: "NCT90000077" } }), {
      actor,
      studyId: b.studyId,
    });
    expect(clash.ok).toBe(false);
    if (!clash.ok) expect(clash.problems[0]).toMatchObject({ field: "identifiers.nct" });
    expect(getStudy(t.db, b.studyId)!.identifiers.nct).toBeNull();
    expect(getStudy(t.db, b.studyId)!.currentVersion).toBe(1);
  });

  it("stores SQL- and HTML-looking text literally", () => {
    const hostile = `Robert'); DROP TABLE studies;-- <script>alert("x")</script>`;
    const result = saveStudyOrThrow(t.db, study({ identifiers: { rek: "912353" }, title: { nb: hostile } }), { actor });
    expect(getStudy(t.db, result.studyId)!.title.nb).toBe(hostile);
    expect(count("studies")).toBeGreaterThan(0);
  });

  it("refuses to update a study that does not exist", () => {
    expect(saveStudy(t.db, study(), { actor, studyId: 987654 })).toMatchObject({
      ok: false,
      problems: [{ field: "id" }],
    });
  });
});

describe("nothing is ever deleted", () => {
  it.each([
    ["studies", "DELETE FROM studies"],
    ["study sites", "DELETE FROM study_sites"],
    ["versions", "DELETE FROM study_versions"],
    ["versions (rewrite)", "UPDATE study_versions SET summary = 'rewritten'"],
  ])("the database refuses to remove %s", (_name, sql) => {
    expect(() => t.db.exec(sql)).toThrow(/never/);
  });

  it("refuses a site with end before start even when written with raw SQL", () => {
    const id = t.db.prepare("SELECT id FROM studies LIMIT 1").pluck().get() as number;
    expect(() =>
      t.db
        .prepare(
          "INSERT INTO study_sites (study_id, organisation_id, inclusion_start, inclusion_end) VALUES (?, 'ahus', '2027-01-02', '2027-01-01')",
        )
        .run(id),
    ).toThrow(/CHECK/);
    expect(() =>
      t.db
        .prepare(
          "INSERT INTO study_sites (study_id, organisation_id, inclusion_start) VALUES (?, 'ahus', '2027-02-30')",
        )
        .run(id),
    ).toThrow(/CHECK/);
  });
});
