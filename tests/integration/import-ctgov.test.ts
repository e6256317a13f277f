/**
 * ClinicalTrials.gov imports on a real database: each Norwegian site written by its organisation.
 * The whole 1,202-study set and the urology zip include sources that state no licence: read from
 * ../shared/data, skipped with the reason where it is absent. The 10 Norwegian records of the
 * MIT-licensed sources are vendored (tests/fixtures/SOURCES.md) and always run.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildMapContext, mapInput } from "#app/ingest/formats.server";
import { ingestBatch } from "#app/ingest/ingest-service.server";
import { importCtgov } from "#app/ingest/registry-import.server";
import { getStudy } from "#app/models/study.server";
import { freshDb, type TestDb } from "../helpers/db";
import { describeShared, readFixture, sharedData } from "../helpers/shared-data";

const MERGED = "ctgov-v2/ctgov_v2_studies.jsonl.gz";
const CSV_OFFICIAL = "ctgov-csv-exports/Anand21J-V__ctg-studies_1000.csv.gz";
const ZIP = "ctgov-v2/sources/Marc-Morcos_ClinicalTrials-Urology__ctg-studies.json.zip";
const read = (rel: string) => readFileSync(sharedData(rel));
const NOW = new Date("2026-11-22T12:00:00Z");
let t: TestDb;
beforeAll(() => {
  t = freshDb();
});
afterAll(() => t.cleanup());

const count = (sql: string) => t.db.prepare(sql).pluck().get() as number;
const studyByNct = (nct: string) =>
  getStudy(t.db, t.db.prepare("SELECT id FROM studies WHERE nct_id = ?").pluck().get(nct) as number)!;

describe("import:ctgov on the 10 vendored Norwegian records (MIT-licensed sources)", () => {
  it("imports the two with a registered site, names the rest as unmatched, and never makes a guess the lead", () => {
    const own = freshDb();
    try {
      const report = importCtgov(own.db, readFixture("ctgov-v2/norway-mit-sources.json"), {
        format: "ctgov-json",
        now: NOW,
      });
      expect(report.received).toBe(10);
      expect(report.stored + report.unchanged + report.skipped + report.rejectedCount).toBe(10);
      expect(report.skipped + report.studies + report.rejected.length).toBe(10);
      // Rikshospitalet (NCT01949129) and Hamar (NCT06403423) are registered; Pfizer's and Bayer's
      // "Investigational Site"s, city-only places and the University of Oslo are not.
      expect(report.studies).toBe(2);
      expect(report.unmatched).toHaveLength(8);
      expect(report.skippedReasons).toEqual([
        expect.objectContaining({ reason: "norske studiesteder som ikke kunne kobles til en organisasjon", count: 8 }),
      ]);
      const byNct = (nct: string) =>
        getStudy(own.db, own.db.prepare("SELECT id FROM studies WHERE nct_id = ?").pluck().get(nct) as number)!;
      expect(byNct("NCT01949129").lead).toEqual({ name: expect.stringContaining("St. Anna"), organisationId: null });
      expect(byNct("NCT01949129").sites.map((s) => [s.organisationId, s.hospitalId])).toEqual([
        ["ous", "ous-rikshospitalet"],
      ]);
      expect(byNct("NCT06403423").sites[0]!.declared?.status).toBe("invitation_only");
    } finally {
      own.cleanup();
    }
  });
});

describeShared([MERGED, CSV_OFFICIAL], "import:ctgov on the real 1,202-study set", () => {
  it("imports the studies with a matched Norwegian site and accounts for every record", () => {
    const report = importCtgov(t.db, read(MERGED), { format: "ctgov-json", now: NOW });
    expect(report.received).toBe(1202);
    expect(report.stored + report.unchanged + report.skipped + report.rejectedCount).toBe(1202);
    expect(report.skipped + report.studies + report.rejected.length).toBe(1202);
    // 14 studies have a Norwegian location; the others are skipped for that reason, and the
    // Norwegian ones whose sites matched no organisation for theirs.
    expect(report.skippedReasons).toEqual([
      expect.objectContaining({ reason: "ingen norsk studiested", count: 1188 }),
      ...(report.unmatched.length
        ? [
            expect.objectContaining({
              reason: "norske studiesteder som ikke kunne kobles til en organisasjon",
              count: report.unmatched.length,
            }),
          ]
        : []),
    ]);
    // The whole file's account is recorded; each organisation's pass is an ingest run pointing at it.
    const row = t.db
      .prepare("SELECT received, stored, unchanged, skipped, rejected FROM registry_imports WHERE id = ?")
      .get(report.importId) as Record<string, number>;
    expect(row).toEqual({
      received: 1202,
      stored: report.stored,
      unchanged: 0,
      skipped: report.skipped,
      rejected: report.rejectedCount,
    });
    const runs = t.db
      .prepare("SELECT count(*) FROM ingest_runs WHERE registry_import_id = ?")
      .pluck()
      .get(report.importId) as number;
    expect(runs).toBe(report.perOrganisation.length);
    // Only four of the 14 name a registered organisation (Bærum, Rikshospitalet, St. Olavs, Hamar);
    // universities, companies' "Research Site"s and city-only places are no hospital, and no
    // organisation in the portal can be made responsible for a study that only has those.
    expect(report.studies).toBe(4);
    expect(count("SELECT count(*) FROM studies")).toBe(report.studies);
    expect(report.unmatched).toHaveLength(10);
    expect(report.unmatched.every((u) => u.field === "sites" && u.message.length > 10)).toBe(true);
  });

  it("maps a known study: its sites, dates and eligibility", () => {
    const study = studyByNct("NCT06113666");
    // The registry gives no inclusion dates: the site's status is ClinicalTrials.gov's own, and
    // the ESTIMATED primary completion is only expected, never an end.
    expect(
      study.sites.map((s) => [
        s.organisationId,
        s.hospitalId,
        s.inclusionStart,
        s.inclusionEnd,
        s.expectedEnd,
        s.declared?.status,
      ]),
    ).toEqual([["st-olavs", "st-olavs-oya", null, null, "2025-10-30", "recruiting"]]);
    expect(study.lead).toEqual({ name: expect.stringMatching(/St\.? ?Olav/i), organisationId: "st-olavs" });
    expect(study.eligibility.minAgeYears).toBe(18);
    expect(study.title.en).toBeTruthy();
    expect(study.leadOrganisationId).toBe("st-olavs");
  });

  it("writes each study through the organisation of its registered site, and never makes the registry or a guess the lead", () => {
    for (const nct of ["NCT00353704", "NCT01949129", "NCT06113666", "NCT06403423"]) {
      const study = studyByNct(nct);
      const orgs = new Set(study.sites.map((s) => s.organisationId));
      const provenanceOrgs = t.db
        .prepare(
          "SELECT DISTINCT s.organisation_id FROM study_provenance p JOIN sources s ON s.id = p.source_id WHERE p.study_id = ?",
        )
        .pluck()
        .all(study.id) as string[];
      expect(new Set(provenanceOrgs), nct).toEqual(orgs);
    }
    // St. Anna Kinderkrebsforschung leads NCT01949129; Rikshospitalet is only its Norwegian site.
    expect(studyByNct("NCT01949129").lead).toEqual({ name: expect.stringContaining("St. Anna"), organisationId: null });
    expect(studyByNct("NCT06403423").sites[0]!.declared?.status).toBe("invitation_only");
  });

  it("is idempotent: importing again makes no version", () => {
    const versions = count("SELECT count(*) FROM study_versions");
    const again = importCtgov(t.db, read(MERGED), { format: "ctgov-json", now: NOW });
    expect(again.perOrganisation.every((o) => o.created === 0 && o.changed === 0)).toBe(true);
    expect(count("SELECT count(*) FROM study_versions")).toBe(versions);
  });

  it("writes nothing on a dry run", () => {
    const fresh = freshDb();
    try {
      const report = importCtgov(fresh.db, read(MERGED), { format: "ctgov-json", dryRun: true, now: NOW });
      expect(report.studies).toBe(4);
      expect(fresh.db.prepare("SELECT count(*) FROM studies").pluck().get()).toBe(0);
    } finally {
      fresh.cleanup();
    }
    // The official CSV's one Norwegian row names the University of Bergen: no hospital, so it is
    // not guessed onto Haukeland; it is accounted for as unmatched.
    const csv = read(CSV_OFFICIAL);
    const report = importCtgov(t.db, csv, { format: "ctgov-csv", dryRun: true, now: NOW });
    expect(report.studies).toBe(0);
    expect(report.unmatched.map((u) => u.externalId)).toEqual(["NCT06960226"]);
  });
});

describeShared(ZIP, "an organisation's own ClinicalTrials.gov feed", () => {
  it("ingests the website's Download-JSON zip through the same service", () => {
    const zip = read(ZIP);
    const mapped = mapInput("ctgov-json", zip, buildMapContext(t.db, "ous"));
    expect(mapped.records.length + mapped.rejected.length + (mapped.skipped?.length ?? 0)).toBe(635);
    const report = ingestBatch(t.db, mapped, {
      organisationId: "ous",
      format: "ctgov-json",
      mode: "partial",
      now: NOW,
    });
    expect(report.rejected).toBe(mapped.rejected.length);
    expect(report.created + report.changed + report.unchanged).toBe(mapped.records.length);
  });
});
