/**
 * The source's own first publication date (issue 18 item 4, ADR 0028), per mapper: read exactly
 * where the source has it (ClinicalTrials.gov v2 JSON's studyFirstPostDateStruct with its type,
 * the Download CSV's "First Posted" without one), and null where it has none (CTIS export, FHIR
 * ResearchStudy, the hospital listing). Real files: the vendored MIT extracts always; the whole
 * files from ../shared/data where present (skipped with the reason where absent).
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { studyInputSchema } from "#app/domain/study";
import { CTGOV_CSV_FIRST_POSTED_BASIS, parseCtgovCsv } from "#app/ingest/mappers/ctgov-csv.server";
import { CTGOV_FIRST_POSTED_BASIS, parseCtgovJson } from "#app/ingest/mappers/ctgov-json.server";
import { parseCtisCsv } from "#app/ingest/mappers/ctis-csv.server";
import { parseFhirResearchStudy } from "#app/ingest/mappers/fhir-research-study";
import { parseNativeJson } from "#app/ingest/mappers/native";
import type { MapContext, MapResult } from "#app/ingest/types";
import { loadReferenceData } from "#app/boot.server";
import { describeShared, fixture, readFixture, sharedData } from "../helpers/shared-data";

// The shipped reference lists, as the server loads them.
const { organisations, hrcsCategories: categories } = loadReferenceData();
const ctx: MapContext = { organisationId: "helse-fonna", organisations, receivedOn: "2026-12-07" };
const NOW = new Date("2026-12-07T11:00:00Z");

const firstPostedOf = (result: MapResult) =>
  Object.fromEntries(result.records.map((r) => [r.externalId, studyInputSchema.parse(r.study).firstPosted]));

/** A minimal v2 study with one Norwegian site and the given statusModule additions. */
function v2Study(nct: string, status: Record<string, unknown>) {
  return {
    protocolSection: {
      identificationModule: { nctId: nct, briefTitle: "A study" },
      statusModule: {
        overallStatus: "RECRUITING",
        statusVerifiedDate: "2026-10",
        lastUpdatePostDateStruct: { date: "2026-10-02", type: "ACTUAL" },
        ...status,
      },
      designModule: { studyType: "INTERVENTIONAL" },
      contactsLocationsModule: {
        locations: [{ facility: "Oslo University Hospital", city: "Oslo", country: "Norway" }],
      },
    },
  };
}

describe("ClinicalTrials.gov v2 JSON: studyFirstPostDateStruct → firstPosted", () => {
  it.each([
    ["ACTUAL", "2019-03-14", { date: "2019-03-14", basis: CTGOV_FIRST_POSTED_BASIS, type: "actual" }],
    ["ESTIMATED", "2006-01-09", { date: "2006-01-09", basis: CTGOV_FIRST_POSTED_BASIS, type: "estimated" }],
    [undefined, "2015-07-01", { date: "2015-07-01", basis: CTGOV_FIRST_POSTED_BASIS, type: null }],
  ])("type %s: keeps the date and only the type the source gives", (type, date, expected) => {
    const result = parseCtgovJson(
      JSON.stringify(v2Study("NCT09000001", { studyFirstPostDateStruct: { date, type } })),
      ctx,
      { now: NOW },
    );
    expect(result.rejected).toEqual([]);
    expect(firstPostedOf(result)).toEqual({ NCT09000001: expected });
  });

  it("has none when the record has none", () => {
    const result = parseCtgovJson(JSON.stringify(v2Study("NCT09000002", {})), ctx, { now: NOW });
    expect(firstPostedOf(result)).toEqual({ NCT09000002: null });
  });

  it("reads a month-only date as its first day, and says so", () => {
    const result = parseCtgovJson(
      JSON.stringify(v2Study("NCT09000003", { studyFirstPostDateStruct: { date: "2019-03", type: "ESTIMATED" } })),
      ctx,
      { now: NOW },
    );
    expect(firstPostedOf(result).NCT09000003).toEqual({
      date: "2019-03-01",
      basis: CTGOV_FIRST_POSTED_BASIS,
      type: "estimated",
    });
    expect(result.records[0]!.warnings.join("\n")).toMatch(
      /studyFirstPostDateStruct: bare måned oppgitt \("2019-03"\)/,
    );
  });

  it("rejects a record with an impossible first posted date, naming the record and the field", () => {
    const result = parseCtgovJson(
      JSON.stringify([
        v2Study("NCT09000004", { studyFirstPostDateStruct: { date: "2019-02-30", type: "ACTUAL" } }),
        v2Study("NCT09000005", { studyFirstPostDateStruct: { date: "2019-02-28", type: "ACTUAL" } }),
      ]),
      ctx,
      { now: NOW },
    );
    expect(result.rejected).toHaveLength(1);
    expect(result.rejected[0]).toMatchObject({
      externalId: "NCT09000004",
      field: "statusModule.studyFirstPostDateStruct.date",
    });
    expect(result.rejected[0]!.message).toMatch(/2019-02-30/);
    // The good record in the same batch still goes in.
    expect(firstPostedOf(result)).toEqual({
      NCT09000005: { date: "2019-02-28", basis: CTGOV_FIRST_POSTED_BASIS, type: "actual" },
    });
  });

  it("real records (vendored MIT extract): each of the 10 Norwegian studies has the source's date and type", () => {
    const raw = JSON.parse(readFileSync(fixture("ctgov-v2/norway-mit-sources.json"), "utf8")) as {
      protocolSection: {
        identificationModule: { nctId: string };
        statusModule: { studyFirstPostDateStruct: { date: string; type: string } };
      };
    }[];
    const result = parseCtgovJson(readFileSync(fixture("ctgov-v2/norway-mit-sources.json")), ctx, { now: NOW });
    expect(result.rejected).toEqual([]);
    const got = firstPostedOf(result);
    expect(Object.keys(got)).toHaveLength(10);
    // Read from the records by hand.
    expect(got.NCT00273416).toEqual({ date: "2006-01-09", basis: CTGOV_FIRST_POSTED_BASIS, type: "estimated" });
    expect(got.NCT05816382).toEqual({ date: "2023-04-18", basis: CTGOV_FIRST_POSTED_BASIS, type: "actual" });
    expect(got.NCT06403423).toEqual({ date: "2024-05-07", basis: CTGOV_FIRST_POSTED_BASIS, type: "actual" });
    for (const { protocolSection: p } of raw) {
      const struct = p.statusModule.studyFirstPostDateStruct;
      expect(got[p.identificationModule.nctId]).toEqual({
        date: struct.date,
        basis: CTGOV_FIRST_POSTED_BASIS,
        type: struct.type.toLowerCase(),
      });
    }
  });
});

describeShared("ctgov-v2/ctgov_v2_norway_subset.json", "ClinicalTrials.gov v2 JSON: the 14 Norwegian studies", () => {
  it("every one carries its studyFirstPostDateStruct as written", () => {
    const file = readFileSync(sharedData("ctgov-v2/ctgov_v2_norway_subset.json"));
    const raw = JSON.parse(file.toString("utf8")) as {
      protocolSection: {
        identificationModule: { nctId: string };
        statusModule: { studyFirstPostDateStruct?: { date: string; type?: string } };
      };
    }[];
    const got = firstPostedOf(parseCtgovJson(file, ctx, { now: NOW }));
    expect(Object.keys(got)).toHaveLength(14);
    for (const s of raw) {
      const struct = s.protocolSection.statusModule.studyFirstPostDateStruct!;
      expect(got[s.protocolSection.identificationModule.nctId]).toEqual({
        date: struct.date,
        basis: CTGOV_FIRST_POSTED_BASIS,
        type: struct.type ? struct.type.toLowerCase() : null,
      });
    }
  });
});

describe('ClinicalTrials.gov Download CSV: "First Posted" → firstPosted', () => {
  it("real rows (vendored MIT extract): every row's First Posted, with the CSV as its basis and no type", () => {
    const text = readFixture("ctgov-csv/Anand21J-V__ctg-studies_extract.csv");
    const rows = parse(text, { columns: true, bom: true }) as Record<string, string>[];
    const result = parseCtgovCsv(text, ctx, { now: NOW, norwayOnly: false });
    const got = firstPostedOf(result);
    expect(result.records.length).toBeGreaterThan(10);
    for (const r of result.records) {
      const row = rows.find((x) => x["NCT Number"] === r.externalId)!;
      expect(row["First Posted"]).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(got[r.externalId]).toEqual({ date: row["First Posted"], basis: CTGOV_CSV_FIRST_POSTED_BASIS, type: null });
    }
  });

  it("has none when the column is left out of the export", () => {
    const header = "NCT Number,Study Title,Study Status,Study Type,Start Date,Primary Completion Date,Locations";
    const row =
      'NCT09000006,A study,RECRUITING,INTERVENTIONAL,2019-01-01,2027-01-01,"Oslo University Hospital, Oslo, Norway"';
    const result = parseCtgovCsv(`${header}\n${row}\n`, ctx, { now: NOW });
    expect(result.rejected).toEqual([]);
    expect(firstPostedOf(result)).toEqual({ NCT09000006: null });
  });

  it("rejects a row with an impossible First Posted date, by line and field", () => {
    const header =
      "NCT Number,Study Title,Study Status,Study Type,Start Date,Primary Completion Date,First Posted,Locations";
    const loc = '"Oslo University Hospital, Oslo, Norway"';
    const result = parseCtgovCsv(
      `${header}\nNCT09000007,A,RECRUITING,INTERVENTIONAL,,,2019-13-01,${loc}\nNCT09000008,B,RECRUITING,INTERVENTIONAL,,,2019-12-01,${loc}\n`,
      ctx,
      { now: NOW },
    );
    expect(result.rejected).toEqual([
      expect.objectContaining({ ref: "line 2", field: "statusModule.studyFirstPostDateStruct.date" }),
    ]);
    expect(firstPostedOf(result)).toEqual({
      NCT09000008: { date: "2019-12-01", basis: CTGOV_CSV_FIRST_POSTED_BASIS, type: null },
    });
  });
});

describeShared(
  "ctgov-csv-exports/Anand21J-V__ctg-studies_1000.csv.gz",
  "ClinicalTrials.gov Download CSV: the whole 1,000-row export",
  () => {
    it("every mapped row has its First Posted date", () => {
      const gz = readFileSync(sharedData("ctgov-csv-exports/Anand21J-V__ctg-studies_1000.csv.gz"));
      const rows = parse(gunzipSync(gz), { columns: true, bom: true }) as Record<string, string>[];
      const posted = new Map(rows.map((r) => [r["NCT Number"], r["First Posted"]]));
      const result = parseCtgovCsv(gz, ctx, { now: NOW, norwayOnly: false });
      expect(result.records.length).toBeGreaterThan(900);
      const got = firstPostedOf(result);
      for (const r of result.records) {
        expect(got[r.externalId]).toEqual({
          date: posted.get(r.externalId),
          basis: CTGOV_CSV_FIRST_POSTED_BASIS,
          type: null,
        });
      }
    });
  },
);

describeShared(
  "eu-ctis-euctr/brunoamaral_mswarriors__CTIS_trials_20250924.csv.gz",
  "EU CTIS export: no first publication date",
  () => {
    it("has no such column (Decision date is the authorisation, Last updated the latest change): none is invented", () => {
      const gz = readFileSync(sharedData("eu-ctis-euctr/brunoamaral_mswarriors__CTIS_trials_20250924.csv.gz"));
      const header = (parse(gunzipSync(gz), { bom: true, to_line: 1 }) as string[][])[0]!;
      expect(header).toContain("Decision date");
      expect(header.filter((h) => /publi|posted|first/i.test(h))).toEqual([]);
      const result = parseCtisCsv(gz, ctx);
      expect(result.records).toHaveLength(8);
      expect(Object.values(firstPostedOf(result)).every((f) => f === null)).toBe(true);
    });
  },
);

describe("FHIR ResearchStudy (vendored ECLAIRE examples): no first publication date", () => {
  it("maps every study with firstPosted null (R4 has no such element; meta.lastUpdated is not one)", () => {
    const dir = fixture("fhir-researchstudy");
    const files = [
      "ECLAIRE-Bundle-searchset-20-ResearchStudy.r4.json",
      "ResearchStudy-ECLAIREResearchStudy-example-2022-500014-26-00.r4.json",
      "ResearchStudy-2022-500520-30-00.r4.json",
    ];
    let count = 0;
    for (const file of files) {
      const result = parseFhirResearchStudy(readFileSync(path.join(dir, file)), ctx, { today: "2026-12-07" });
      count += result.records.length;
      expect(Object.values(firstPostedOf(result)).every((f) => f === null)).toBe(true);
    }
    expect(count).toBe(22);
  });
});

describeShared(
  "norway-helsenorge-studier/fnsp_kliniske_studier_dummydata.json",
  "Helse Nord hospital listing: no first publication date",
  () => {
    it("maps all 47 records with firstPosted null (the format has no date field)", () => {
      const result = parseNativeJson(
        readFileSync(sharedData("norway-helsenorge-studier/fnsp_kliniske_studier_dummydata.json")),
        { ...ctx, organisationId: "unn", categories },
      );
      expect(result.records).toHaveLength(47);
      expect(Object.values(firstPostedOf(result)).every((f) => f === null)).toBe(true);
    });
  },
);
