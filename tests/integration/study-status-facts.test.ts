/**
 * studyStatusFacts (the front page's and the researchers' overview's counts) on a real database
 * with the demo seed: the same status, region and site names as the full records give, for
 * several instants; and its memo follows a saved change and the Oslo day.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { studyStatus } from "#app/domain/inclusion-status";
import { studyStatusFacts } from "#app/models/study-views.server";
import { getStudy, listStudies, saveStudy } from "#app/models/study.server";
import { seedDemoStudies } from "#app/seed/demo-seed.server";
import { freshDb, type TestDb } from "../helpers/db";

let t: TestDb;
const NOW = new Date("2026-12-02T10:00:00Z");
beforeAll(() => {
  t = freshDb();
  seedDemoStudies(t.db, { now: NOW });
});
afterAll(() => t.cleanup());

/** The same facts from the full records, as the pages computed them before. */
function fromFullRecords(now: Date) {
  return listStudies(t.db, { states: ["published"] })
    .map((s) => {
      const active = s.sites.filter((site) => !site.withdrawn);
      return {
        id: s.id,
        region: s.leadOrganisation.regionName,
        status: studyStatus(active, now),
        siteNames: [
          ...new Set(
            active.map((x) => x.hospitalName ?? x.organisationName ?? x.name ?? x.city ?? "Studiesteder i Norge"),
          ),
        ].sort(),
      };
    })
    .sort((a, b) => a.id - b.id);
}
const sorted = (facts: ReturnType<typeof studyStatusFacts>) =>
  facts.map((f) => ({ ...f, siteNames: [...f.siteNames].sort() })).sort((a, b) => a.id - b.id);

describe("studyStatusFacts", () => {
  it("agrees with the full records at several instants, and counts every status", () => {
    for (const at of ["2026-12-02T10:00:00Z", "2025-01-15T12:00:00Z", "2027-06-30T21:59:00Z", "2028-03-01T00:30:00Z"]) {
      const now = new Date(at);
      const facts = studyStatusFacts(t.db, now);
      expect(sorted(facts), at).toEqual(fromFullRecords(now));
    }
    const statuses = new Set(studyStatusFacts(t.db, NOW).map((f) => f.status));
    expect(statuses.has("open")).toBe(true);
    expect(statuses.size).toBeGreaterThan(1);
  });

  it("a saved change shows at once (the memo follows the change log)", () => {
    const before = studyStatusFacts(t.db, NOW);
    const open = before.find((f) => f.status === "open")!;
    const study = getStudy(t.db, open.id)!;
    const result = saveStudy(
      t.db,
      {
        ...study,
        leadOrganisationId: study.leadOrganisationId,
        sites: study.sites.map((s) => ({ ...s, paused: true, pauseReason: "Stans for testen" })),
      },
      { actor: { kind: "user", id: "u-1", name: "Test" }, studyId: open.id, now: NOW },
    );
    expect(result.ok, JSON.stringify(result)).toBe(true);
    const after = studyStatusFacts(t.db, NOW);
    expect(after.find((f) => f.id === open.id)!.status).toBe("paused");
    expect(sorted(after)).toEqual(fromFullRecords(NOW));
  });
});
