/**
 * A listing read again on a later day says the same statuses again: a confirmation, not a change.
 * The sites' declaration dates move on (so the statuses do not grow old while the hospital keeps
 * saying them), with no new version; a different status is a change like any other.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { siteState } from "#app/domain/inclusion-status";
import { buildMapContext, mapInput } from "#app/ingest/formats.server";
import { ingestBatch } from "#app/ingest/ingest-service.server";
import { getStudy, listStudyVersions } from "#app/models/study.server";
import { freshDb, type TestDb } from "../helpers/db";

let t: TestDb;
beforeAll(() => {
  t = freshDb();
});
afterAll(() => t.cleanup());

const listing = (status: string) =>
  Buffer.from(
    JSON.stringify([
      { id: "C-1", tittel: "Studie som bekreftes", sammendrag: "Kort.", status, utfort_av: "St. Olavs hospital" },
    ]),
  );

function read(status: string, day: string) {
  const now = new Date(`${day}T09:00:00Z`);
  return ingestBatch(t.db, mapInput("native", listing(status), buildMapContext(t.db, "st-olavs", now)), {
    organisationId: "st-olavs",
    format: "native",
    mode: "full",
    now,
  });
}

describe("the same declared status read again", () => {
  let studyId: number;
  it("first reading: declared open as of that day", () => {
    const report = read("Åpen for rekruttering", "2025-01-10");
    expect(report.created).toBe(1);
    studyId = report.studyIds[0]!;
    expect(getStudy(t.db, studyId)!.sites[0]!.declared).toMatchObject({ status: "recruiting", on: "2025-01-10" });
  });

  it("read again two years later: unchanged, no new version, the date moves on and the study stays open", () => {
    const versions = listStudyVersions(t.db, studyId).length;
    const outbox = t.db.prepare("SELECT count(*) FROM search_outbox WHERE study_id = ?").pluck().get(studyId) as number;
    const report = read("Åpen for rekruttering", "2027-01-20");
    expect(report).toMatchObject({ created: 0, changed: 0, unchanged: 1 });
    expect(listStudyVersions(t.db, studyId)).toHaveLength(versions);
    const site = getStudy(t.db, studyId)!.sites[0]!;
    expect(site.declared).toMatchObject({ status: "recruiting", on: "2027-01-20" });
    // Without the confirmation the 2025 declaration would read "unknown" by now.
    expect(siteState(site, new Date("2027-01-21T12:00:00Z")).status).toBe("open");
    // The search index is told: when the declaration grows old has moved.
    expect(t.db.prepare("SELECT count(*) FROM search_outbox WHERE study_id = ?").pluck().get(studyId) as number).toBe(
      outbox + 1,
    );
  });

  it("a different status is a change, with a version", () => {
    const versions = listStudyVersions(t.db, studyId).length;
    const report = read("Pågående", "2027-02-01");
    expect(report).toMatchObject({ changed: 1 });
    expect(listStudyVersions(t.db, studyId)).toHaveLength(versions + 1);
    expect(getStudy(t.db, studyId)!.sites[0]!.declared).toMatchObject({
      status: "active_not_recruiting",
      text: "Pågående",
      on: "2027-02-01",
    });
  });
});
