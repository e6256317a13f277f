/**
 * FHIR ResearchStudy and EU CTIS exports through the one ingest service, on a real database. The
 * ECLAIRE FHIR files (MIT) are vendored in tests/fixtures; the CTIS export states no licence and
 * is read from ../shared/data, skipped with the reason where it is absent.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildMapContext, mapInput } from "#app/ingest/formats.server";
import { ingestBatch } from "#app/ingest/ingest-service.server";
import { getStudy } from "#app/models/study.server";
import { freshDb, type TestDb } from "../helpers/db";
import { describeShared, fixture, sharedData } from "../helpers/shared-data";

const CTIS = "eu-ctis-euctr/brunoamaral_mswarriors__CTIS_trials_20250924.csv.gz";
const NOW = new Date("2026-11-22T12:00:00Z");
let t: TestDb;
beforeAll(() => {
  t = freshDb();
});
afterAll(() => t.cleanup());
const count = (sql: string) => t.db.prepare(sql).pluck().get() as number;

function ingest(format: "fhir" | "ctis-csv", file: string, org: string) {
  const mapped = mapInput(format, readFileSync(fixture(file)), buildMapContext(t.db, org));
  return ingestBatch(t.db, mapped, { organisationId: org, format, mode: "full", now: NOW });
}

describe("FHIR R4 ResearchStudy (ECLAIRE searchset Bundle)", () => {
  it("stores all 20 studies, never making the sender a site, and is idempotent", () => {
    const first = ingest("fhir", "fhir-researchstudy/ECLAIRE-Bundle-searchset-20-ResearchStudy.r4.json", "ous");
    expect(first).toMatchObject({ received: 20, created: 20, rejected: 0 });
    const withEuCt = count("SELECT count(*) FROM studies WHERE eu_ct_number IS NOT NULL");
    expect(withEuCt).toBeGreaterThan(0);
    const id = t.db
      .prepare("SELECT id FROM studies WHERE eu_ct_number IS NOT NULL ORDER BY id LIMIT 1")
      .pluck()
      .get() as number;
    const study = getStudy(t.db, id)!;
    // French studies with no Norwegian site: the sender (OUS) is not thereby a site.
    expect(study.sites).toEqual([]);
    const again = ingest("fhir", "fhir-researchstudy/ECLAIRE-Bundle-searchset-20-ResearchStudy.r4.json", "ous");
    expect(again).toMatchObject({ created: 0, changed: 0, unchanged: 20, withdrawn: 0 });
  });

  it("merges the same EU CT study sent by two organisations into one study, inventing no site for either", () => {
    const file = "fhir-researchstudy/ResearchStudy-ECLAIREResearchStudy-example-2022-500014-26-00.r4.json";
    expect(ingest("fhir", file, "st-olavs")).toMatchObject({ created: 1, rejected: 0 });
    expect(ingest("fhir", file, "helse-bergen")).toMatchObject({ created: 0, changed: 1, rejected: 0 });
    expect(count("SELECT count(*) FROM studies WHERE eu_ct_number = '2022-500014-26-00'")).toBe(1);
    const id = t.db.prepare("SELECT id FROM studies WHERE eu_ct_number = '2022-500014-26-00'").pluck().get() as number;
    expect(getStudy(t.db, id)!.sites).toEqual([]);
    expect(
      getStudy(t.db, id)!
        .localIds.map((l) => l.organisationId)
        .sort(),
    ).toEqual(["helse-bergen", "st-olavs"]);
  });
});

describeShared(CTIS, "EU CTIS public-portal CSV", () => {
  it("stores the 8 trials that list Norway, skipping the rest", () => {
    const mapped = mapInput("ctis-csv", readFileSync(sharedData(CTIS)), buildMapContext(t.db, "ahus"));
    expect(mapped.records).toHaveLength(8);
    expect(mapped.skipped).toHaveLength(96);
    const report = ingestBatch(t.db, mapped, { organisationId: "ahus", format: "ctis-csv", mode: "full", now: NOW });
    expect(report).toMatchObject({ created: 8, rejected: 0 });
    // CTIS names no Norwegian site: each trial gets one "sites in Norway, not named" with Norway's
    // own status, and the sender (Ahus) is no site of any.
    expect(count("SELECT count(*) FROM study_sites WHERE organisation_id = 'ahus'")).toBe(0);
    expect(count("SELECT count(*) FROM study_sites WHERE organisation_id IS NULL AND declared_by = 'EU CTIS'")).toBe(8);
  });
});
