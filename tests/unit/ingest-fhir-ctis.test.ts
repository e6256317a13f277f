/**
 * FHIR R4 ResearchStudy (France's ECLAIRE) and EU CTIS CSV mappers, against the real files in
 * ../shared/data, plus hostile input.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { describeProblems, studyInputSchema } from "~/domain/study";
import { parseCtisCsv } from "~/ingest/mappers/ctis-csv";
import { ECLAIRE_RECRUITMENT_PERIOD_URL, parseFhirResearchStudy } from "~/ingest/mappers/fhir-research-study";
import type { MapContext, MappedRecord, MapResult, OrganisationRef } from "~/ingest/types";

const DATA = path.resolve(process.cwd(), "../shared/data");
const read = (rel: string) => readFileSync(path.join(DATA, rel));
const organisations = JSON.parse(
  readFileSync(path.resolve(process.cwd(), "data/reference/organisations.json"), "utf8"),
) as OrganisationRef[];
const ctx: MapContext = { organisationId: "ous", organisations };
const TODAY = "2025-06-01";

const BUNDLE = "fhir-researchstudy/ECLAIRE-Bundle-searchset-20-ResearchStudy.r4.json";
const SINGLE = "fhir-researchstudy/ResearchStudy-ECLAIREResearchStudy-example-2022-500014-26-00.r4.json";
const EARLY = "fhir-researchstudy/ResearchStudy-2022-500520-30-00.r4.json";
const CTIS = "eu-ctis-euctr/brunoamaral_mswarriors__CTIS_trials_20250924.csv.gz";

function expectValid(record: MappedRecord) {
  const parsed = studyInputSchema.safeParse(record.study);
  if (!parsed.success) {
    throw new Error(`${record.ref} (${record.externalId}) fails the schema: ${JSON.stringify(describeProblems(parsed.error))}`);
  }
}

const fhir = (input: unknown, today = TODAY): MapResult =>
  parseFhirResearchStudy(typeof input === "string" ? input : JSON.stringify(input), ctx, { today });

const minimalStudy = (extra: Record<string, unknown> = {}) => ({
  resourceType: "ResearchStudy",
  id: "test-1",
  title: "En testing av noe",
  status: "active",
  description: "Et sammendrag",
  ...extra,
});

describe("FHIR ResearchStudy (ECLAIRE)", () => {
  it("maps the 20-study search Bundle: every study accounted for, every record valid", () => {
    const result = parseFhirResearchStudy(read(BUNDLE), ctx, { today: TODAY });
    expect(result.records.length + result.rejected.length).toBe(20);
    for (const r of result.rejected) expect(r.message.length).toBeGreaterThan(0);
    expect(result.records).toHaveLength(20);
    for (const record of result.records) expectValid(record);
    // Every record has exactly one site, owned by the sender (no Norwegian Locations in ECLAIRE).
    for (const record of result.records) {
      expect(record.study.sites).toHaveLength(1);
      expect(record.study.sites![0]!.organisationId).toBe("ous");
      expect(record.study.leadOrganisationId).toBe("ous");
      // No plain-language Norwegian summary → not published.
      expect(record.study.publicationState).toBe("submitted");
      expect(record.warnings.some((w) => w.includes("ingen norsk tekst"))).toBe(true);
    }
    const byId = new Map(result.records.map((r) => [r.externalId, r]));
    // EU CT numbers are recognised; French ID-RCB numbers are not registry identifiers.
    expect(byId.get("2022-501018-78-00")!.study.identifiers).toMatchObject({ euCt: "2022-501018-78-00" });
    expect(byId.get("2021-A01519-32")!.study.identifiers).toMatchObject({ euCt: null, nct: null, eudract: null });
    // Active with the recruitment-period extension: start as sent, no end.
    expect(byId.get("2022-501018-78-00")!.study.sites![0]).toMatchObject({ inclusionStart: "2020-04-14", inclusionEnd: null });
    // Completed without an end date: recruitment ended by meta.lastUpdated at the latest.
    expect(byId.get("2021-A01519-32")!.study.sites![0]).toMatchObject({ inclusionEnd: "2023-12-04" });
    // Approved (not yet recruiting) with a past start: the start is not used.
    expect(byId.get("2022-500299-71-00")!.study.sites![0]).toMatchObject({ inclusionStart: null });
    // Study types: REG536 (EU clinical trial regulation) → treatment; device investigations → other.
    expect(byId.get("2022-501979-10-00")!.study.studyType).toBe("treatment");
    expect(byId.get("2022-501979-10-00")!.study.phase).toBe("phase_4");
    expect(byId.get("2021-A01757-34")!.study.studyType).toBe("other");
    expect(byId.get("2021-A01757-34")!.study.phase).toBe("not_applicable");
    // "INDISPONIBLE" placeholders and ECLAIRE's "diseaseCondition" labels never become conditions.
    for (const record of result.records) {
      expect(record.study.conditions).not.toContain("INDISPONIBLE");
      expect(record.study.conditions).not.toContain("diseaseCondition");
    }
  });

  it("maps the fuller example 2022-500014-26-00", () => {
    const result = parseFhirResearchStudy(read(SINGLE), ctx, { today: TODAY });
    expect(result.rejected).toEqual([]);
    expect(result.records).toHaveLength(1);
    const record = result.records[0]!;
    expectValid(record);
    expect(record.externalId).toBe("ECLAIREResearchStudy-example-2022-500014-26-00");
    expect(record.study.identifiers).toMatchObject({ euCt: "2022-500014-26-00", nct: null });
    expect(record.study.title.nb).toMatch(/^A PHASE III, RANDOMIZED, OPEN-LABEL STUDY EVALUATING THE EFFICACY AND SAFETY OF GIREDESTRANT/);
    expect(record.study.title.en).toBeUndefined();
    expect(record.study.phase).toBe("phase_3");
    expect(record.study.studyType).toBe("treatment");
    expect(record.study.conditions).toContain("Locally-Advanced or Metastatic breast cancer (MBC)");
    expect(record.study.sites).toEqual([
      expect.objectContaining({ organisationId: "ous", inclusionStart: "2022-06-30", inclusionEnd: null, paused: false }),
    ]);
    expect(record.study.summary).toEqual({});
  });

  it("maps the early IG example with a contained enrollment Group", () => {
    const result = parseFhirResearchStudy(read(EARLY), ctx, { today: TODAY });
    expect(result.rejected).toEqual([]);
    const record = result.records[0]!;
    expectValid(record);
    expect(record.study.identifiers).toMatchObject({ euCt: "2022-500520-30-00" });
    expect(record.study.title.nb).toBe("Exemple d'un essai clinique");
    // It has a (French) description, so it can be published; the language is warned about.
    expect(record.study.summary).toEqual({ nb: "Ceci est est un exemple de description d'un essai clinique" });
    expect(record.study.publicationState).toBe("published");
    expect(record.study.eligibility?.sex).toBe("all"); // "unknown" gender → all
    expect(record.study.studyType).toBe("treatment"); // category display "REG536"
  });

  it("converts FHIR dates: dateTime → Oslo date, YYYY-MM → first/last day, YYYY → 1 Jan/31 Dec (warned)", () => {
    const withPeriod = (start: string, end?: string) =>
      fhir(minimalStudy({ extension: [{ url: ECLAIRE_RECRUITMENT_PERIOD_URL, valuePeriod: { start, ...(end ? { end } : {}) } }] }));
    // 23:30 UTC on 31 March 2024 is 01:30 on 1 April in Oslo (summer time).
    let r = withPeriod("2024-03-31T23:30:00Z", "2024-12-31T23:30:00+01:00");
    expect(r.records[0]!.study.sites![0]).toMatchObject({ inclusionStart: "2024-04-01", inclusionEnd: "2024-12-31" });
    r = withPeriod("2024-02", "2024-02");
    expect(r.records[0]!.study.sites![0]).toMatchObject({ inclusionStart: "2024-02-01", inclusionEnd: "2024-02-29" });
    expect(r.records[0]!.warnings.some((w) => w.includes("bare måned"))).toBe(true);
    r = withPeriod("2023", "2024");
    expect(r.records[0]!.study.sites![0]).toMatchObject({ inclusionStart: "2023-01-01", inclusionEnd: "2024-12-31" });
    expect(r.records[0]!.warnings.some((w) => w.includes("bare årstall"))).toBe(true);
    // Without the extension, ResearchStudy.period is used (warned).
    r = fhir(minimalStudy({ period: { start: "2024-05-01", end: "2026-05-01" } }));
    expect(r.records[0]!.study.sites![0]).toMatchObject({ inclusionStart: "2024-05-01", inclusionEnd: "2026-05-01" });
    expect(r.records[0]!.warnings.some((w) => w.includes("period"))).toBe(true);
  });

  it("maps identifiers by system, ICD-10/SNOMED codings, enrollment Group and Norwegian Locations", () => {
    const result = fhir(
      minimalStudy({
        identifier: [
          { system: "https://clinicaltrials.gov", value: "NCT01234567" },
          { system: "https://eudract.ema.europa.eu", value: "2019-001234-12" },
          { value: "2023-501234-12-00" },
        ],
        phase: { coding: [{ system: "http://terminology.hl7.org/CodeSystem/research-study-phase", code: "phase-1-phase-2" }] },
        primaryPurposeType: { coding: [{ code: "treatment" }] },
        condition: [
          { coding: [{ system: "http://hl7.org/fhir/sid/icd-10", code: "C50.9", display: "Brystkreft" }] },
          { coding: [{ system: "http://snomed.info/sct", code: "254837009", display: "Breast cancer" }] },
          { text: "mammacancer" },
        ],
        contained: [
          { resourceType: "Location", id: "l1", name: "Rikshospitalet", address: { country: "NO" } },
          { resourceType: "Location", id: "l2", name: "Haukeland universitetssjukehus", address: { country: "Norway" } },
          { resourceType: "Location", id: "l3", name: "CHU de Lyon", address: { country: "FR" } },
          {
            resourceType: "Group",
            id: "g",
            type: "person",
            actual: false,
            characteristic: [
              { code: { text: "Genders" }, valueCodeableConcept: { coding: [{ system: "http://hl7.org/fhir/administrative-gender", code: "female" }] }, exclude: false },
              { code: { text: "Age range" }, valueRange: { low: { value: 18, unit: "a" }, high: { value: 75, unit: "a" } }, exclude: false },
            ],
          },
        ],
        site: [{ reference: "#l1" }, { reference: "#l2" }, { reference: "#l3" }],
        enrollment: [{ reference: "#g" }],
      }),
    );
    expect(result.rejected).toEqual([]);
    const study = result.records[0]!.study;
    expectValid(result.records[0]!);
    expect(study.identifiers).toEqual({ nct: "NCT01234567", eudract: "2019-001234-12", euCt: "2023-501234-12-00", isrctn: null });
    expect(study.phase).toBe("phase_1_2");
    expect(study.studyType).toBe("treatment");
    expect(study.icd10).toEqual(["C509"]);
    expect(study.snomed).toEqual(["254837009"]);
    expect(study.conditions).toEqual(["Brystkreft", "Breast cancer", "mammacancer"]);
    expect(study.eligibility).toMatchObject({ sex: "female", minAgeYears: 18, maxAgeYears: 75 });
    expect(study.sites!.map((s) => [s.organisationId, s.hospitalId])).toEqual([
      ["ous", "ous-rikshospitalet"],
      ["helse-bergen", "helse-bergen-haukeland"],
    ]);
    expect(result.records[0]!.warnings.some((w) => w.includes("ingen norske steder"))).toBe(false);
  });

  it("ignores non-ResearchStudy Bundle entries with a warning", () => {
    const result = fhir({
      resourceType: "Bundle",
      type: "collection",
      entry: [{ resource: { resourceType: "Patient", id: "p" } }, { resource: minimalStudy() }],
    });
    expect(result.records).toHaveLength(1);
    expect(result.skipped).toHaveLength(1);
    expect(result.records[0]!.warnings.some((w) => w.includes("Patient"))).toBe(true);
  });

  it("status refines the site: temporarily closed → paused with reason, withdrawn → withdrawn", () => {
    let r = fhir(minimalStudy({ status: "temporarily-closed-to-accrual", period: { start: "2024-01-01" } }));
    expect(r.records[0]!.study.sites![0]).toMatchObject({ paused: true, pauseReason: expect.stringContaining("Midlertidig") });
    r = fhir(minimalStudy({ status: "withdrawn" }));
    expect(r.records[0]!.study.sites![0]).toMatchObject({ withdrawn: true });
  });

  describe("hostile input → rejections, never throws", () => {
    it("not JSON", () => {
      const r = parseFhirResearchStudy("{ this is not json", ctx);
      expect(r.records).toEqual([]);
      expect(r.rejected).toEqual([expect.objectContaining({ ref: "input", field: "input", message: expect.stringContaining("ugyldig JSON") })]);
    });
    it("invalid UTF-8 bytes", () => {
      const r = parseFhirResearchStudy(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), ctx);
      expect(r.rejected).toHaveLength(1);
    });
    it("a Patient resource", () => {
      const r = fhir({ resourceType: "Patient", id: "p1" });
      expect(r.rejected).toEqual([expect.objectContaining({ field: "resourceType", message: expect.stringContaining("Patient") })]);
    });
    it("a JSON array / a number", () => {
      expect(fhir("[1,2,3]").rejected[0]!.field).toBe("resourceType");
      expect(fhir("42").rejected[0]!.field).toBe("resourceType");
    });
    it("a ResearchStudy without id or title", () => {
      expect(fhir(minimalStudy({ id: undefined })).rejected).toEqual([expect.objectContaining({ field: "id" })]);
      expect(fhir(minimalStudy({ title: undefined })).rejected).toEqual([expect.objectContaining({ externalId: "test-1", field: "title" })]);
      expect(fhir(minimalStudy({ title: "   " })).rejected).toEqual([expect.objectContaining({ field: "title" })]);
    });
    it("period end before start", () => {
      const r = fhir(minimalStudy({ period: { start: "2025-05-01", end: "2024-05-01" } }));
      expect(r.records).toEqual([]);
      expect(r.rejected).toEqual([expect.objectContaining({ externalId: "test-1", field: "sites.0.inclusionEnd" })]);
    });
    it("impossible and malformed dates", () => {
      let r = fhir(minimalStudy({ period: { start: "2024-02-30" } }));
      expect(r.rejected).toEqual([expect.objectContaining({ field: "sites.0.inclusionStart", message: expect.stringContaining("2024-02-30") })]);
      r = fhir(minimalStudy({ extension: [{ url: ECLAIRE_RECRUITMENT_PERIOD_URL, valuePeriod: { start: "2024-01-01", end: "2024-13" } }] }));
      expect(r.rejected).toEqual([expect.objectContaining({ field: "sites.0.inclusionEnd" })]);
      r = fhir(minimalStudy({ period: { start: "yesterday" } }));
      expect(r.rejected).toEqual([expect.objectContaining({ field: "sites.0.inclusionStart" })]);
      r = fhir(minimalStudy({ period: { start: "2024-02-29T25:00:00Z" } }));
      expect(r.rejected).toEqual([expect.objectContaining({ field: "sites.0.inclusionStart" })]);
    });
    it("a 10,000-deep nested object", () => {
      const deep = "[".repeat(10_000) + "]".repeat(10_000);
      const nested = `{"a":`.repeat(10_000) + "1" + "}".repeat(10_000);
      expect(() => parseFhirResearchStudy(nested, ctx)).not.toThrow();
      expect(parseFhirResearchStudy(nested, ctx).rejected).toHaveLength(1);
      // Deep nesting inside a real ResearchStudy (an extension tree) is simply not read.
      const inStudy = JSON.stringify(minimalStudy()).replace(/}$/, `,"extension":[${`{"extension":[`.repeat(5_000)}${"]}".repeat(5_000)}],"x":${deep}}`);
      const r = parseFhirResearchStudy(inStudy, ctx, { today: TODAY });
      expect(r.records.length + r.rejected.length).toBe(1);
    });
    it("a 5 MB title", () => {
      const r = fhir(minimalStudy({ title: "x".repeat(5 * 1024 * 1024) }));
      expect(r.records).toEqual([]);
      expect(r.rejected).toEqual([expect.objectContaining({ field: "title.nb", message: expect.stringContaining("500") })]);
    });
    it("a Bundle without ResearchStudy and with garbage entries", () => {
      const r = fhir({ resourceType: "Bundle", type: "searchset", entry: [null, 3, { resource: "x" }, { resource: { resourceType: "Patient" } }] });
      expect(r.records).toEqual([]);
      expect(r.rejected).toEqual([expect.objectContaining({ field: "entry" })]);
    });
    it("an empty input", () => {
      expect(parseFhirResearchStudy("", ctx).rejected).toHaveLength(1);
    });
  });
});

describe("EU CTIS public-portal CSV", () => {
  const csvText = () => gunzipSync(read(CTIS)).toString("utf8");

  it("maps exactly the 8 trials that list Norway; the rest are skipped", () => {
    const result = parseCtisCsv(read(CTIS), ctx);
    expect(result.rejected).toEqual([]);
    expect(result.records).toHaveLength(8);
    expect(result.skipped).toHaveLength(104 - 8);
    for (const record of result.records) {
      expectValid(record);
      expect(record.study.identifiers?.euCt).toBe(record.externalId);
      expect(record.study.sites).toHaveLength(1);
      expect(record.study.sites![0]!.organisationId).toBe("ous");
      expect(record.study.studyType).toBe("treatment");
      expect(record.study.publicationState).toBe("submitted");
      expect(record.ref).toMatch(/^line \d+$/);
    }
    // The same result from the decompressed text.
    expect(parseCtisCsv(csvText(), ctx).records.map((r) => r.externalId)).toEqual(result.records.map((r) => r.externalId));
  });

  it("derives the Norwegian window from the CTIS dates and the Norway status", () => {
    const byId = new Map(parseCtisCsv(read(CTIS), ctx).records.map((r) => [r.externalId, r]));
    // Norway:Ended — start = Start date; end = earlier of End date (22/04/2025) and Last updated (16/06/2025).
    const ended = byId.get("2023-506543-41-00")!;
    expect(ended.study.title.nb).toMatch(/^A Single Arm, Open Label Multicentre Extension Study/);
    expect(ended.study.phase).toBe("phase_3");
    expect(ended.study.sites![0]).toMatchObject({ inclusionStart: "2018-07-25", inclusionEnd: "2025-04-22", paused: false });
    expect(ended.study.eligibility).toMatchObject({ minAgeYears: 18, maxAgeYears: 64, sex: "all" });
    expect(ended.study.targetEnrolment).toBe(645);
    expect(ended.study.sponsor).toBe("F. Hoffmann-La Roche AG");
    expect(ended.study.links).toEqual([{ url: "https://euclinicaltrials.eu/ctis-public/view/2023-506543-41-00", label: "Studien i EU CTIS" }]);
    // Norway:Ongoing, recruitment ended, no End date — end = Last updated (08/11/2024).
    expect(byId.get("2023-503814-62-00")!.study.sites![0]).toMatchObject({ inclusionStart: "2024-02-06", inclusionEnd: "2024-11-08" });
    // Norway:Authorised, recruitment pending — planned, start unknown; "65+" narrowed by "65-84 years".
    const pending = byId.get("2025-522140-40-00")!;
    expect(pending.study.sites![0]).toMatchObject({ inclusionStart: null, inclusionEnd: null });
    expect(pending.study.eligibility).toMatchObject({ minAgeYears: 18, maxAgeYears: 84 });
    expect(pending.study.phase).toBe("phase_2");
    // A title with a line break inside quotes is one title.
    expect(byId.get("2024-510630-40-00")!.study.title.nb).not.toContain("\n");
  });

  it("Temporarily halted → paused with a reason; recruiting without start date → decision date", () => {
    const lines = csvText().replace(/^\uFEFF/, "").split(/\r?\n/);
    const header = lines[0]!;
    const cols = header.split(",");
    const make = (values: Record<string, string>) =>
      cols.map((c) => `"${(values[c.replace(/"/g, "")] ?? "N/A").replace(/"/g, '""')}"`).join(",");
    const base = { "Trial number": "2024-512345-12-00", "Title of the trial": "Test trial", "Overall trial status": "Temporarily halted", "Trial phase": "Therapeutic use (Phase IV)", "Decision date": "01/02/2024", "Last updated": "01/03/2024", Gender: "Female" };
    const csv = [
      header,
      make({ ...base, "Location(s) and recruitment status": "Sweden:Ongoing, recruiting, Norway:Temporarily halted", "Start date": "15/02/2024" }),
      make({ ...base, "Trial number": "2024-512345-13-00", "Location(s) and recruitment status": "Norway:Authorised, recruiting" }),
    ].join("\n");
    const result = parseCtisCsv(csv, ctx);
    expect(result.rejected).toEqual([]);
    const [halted, recruiting] = result.records;
    expect(halted!.study.sites![0]).toMatchObject({ inclusionStart: "2024-02-15", paused: true, pauseReason: expect.stringContaining("Midlertidig stanset") });
    expect(halted!.study.eligibility).toMatchObject({ sex: "female" });
    expect(halted!.study.phase).toBe("phase_4");
    expect(recruiting!.study.sites![0]).toMatchObject({ inclusionStart: "2024-02-01", inclusionEnd: null, paused: false });
    for (const r of result.records) expectValid(r);
  });

  it("a bad date rejects the row, naming the line and the column; good rows still go in", () => {
    const text = csvText();
    const broken = text.replace("25/07/2018", "30/02/2018");
    const result = parseCtisCsv(broken, ctx);
    expect(result.records).toHaveLength(7);
    expect(result.rejected).toEqual([
      expect.objectContaining({ ref: "line 6", externalId: "2023-506543-41-00", field: "Start date", message: expect.stringContaining("30/02/2018") }),
    ]);
  });

  it("a CSV that is not the CTIS layout → one clear rejection naming the missing column", () => {
    const ctgov = gunzipSync(read("ctgov-csv-exports/Anand21J-V__ctg-studies_1000.csv.gz")).toString("utf8").split("\n").slice(0, 30).join("\n");
    const result = parseCtisCsv(ctgov, ctx);
    expect(result.records).toEqual([]);
    expect(result.rejected).toHaveLength(1);
    expect(result.rejected[0]).toMatchObject({ ref: "line 1", field: "Trial number", message: expect.stringContaining("EU CTIS") });
  });

  it("a broken quote → a rejection with a line number, never a throw", () => {
    const lines = csvText().split("\n");
    lines[3] = lines[3]!.replace(/^"?(\d{4}-\d{6}-\d{2}-\d{2})"?,/, '"$1" x,');
    const result = parseCtisCsv(lines.join("\n"), ctx);
    expect(result.records).toEqual([]);
    expect(result.rejected).toHaveLength(1);
    expect(result.rejected[0]!.ref).toMatch(/^line \d+$/);
    expect(result.rejected[0]!.message).toContain("ugyldig CSV");
  });

  it("empty input and non-UTF-8 bytes → rejections", () => {
    expect(parseCtisCsv("", ctx).rejected).toHaveLength(1);
    expect(parseCtisCsv(Buffer.from([0x54, 0x72, 0xe6, 0x0a]), ctx).rejected).toHaveLength(1);
  });
});
