/**
 * ClinicalTrials.gov mappers (API v2 JSON in all its wrappings, website CSV) and the Norwegian
 * organisation matcher, against the real files in ../shared/data.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { describeProblems, studyInputSchema } from "~/domain/study";
import { parseCtgovCsv } from "~/ingest/mappers/ctgov-csv";
import { parseCtgovJson } from "~/ingest/mappers/ctgov-json";
import { matchNorwegianSite } from "~/ingest/organisation-matcher";
import type { MapContext, MappedRecord, OrganisationRef } from "~/ingest/types";

const DATA = path.resolve(process.cwd(), "../shared/data");
const read = (rel: string) => readFileSync(path.join(DATA, rel));
const organisations = JSON.parse(
  readFileSync(path.resolve(process.cwd(), "data/reference/organisations.json"), "utf8"),
) as OrganisationRef[];
const ctx: MapContext = { organisationId: "ous", organisations };
const NOW = new Date("2025-06-01T10:00:00Z");

function expectValid(record: MappedRecord) {
  const parsed = studyInputSchema.safeParse(record.study);
  if (!parsed.success) {
    throw new Error(`${record.ref} (${record.externalId}) fails the schema: ${JSON.stringify(describeProblems(parsed.error))}`);
  }
}

const norwaySubset = () => JSON.parse(read("ctgov-v2/ctgov_v2_norway_subset.json").toString("utf8")) as Record<string, any>[];
const studyById = (id: string) => structuredClone(norwaySubset().find((s) => s.protocolSection.identificationModule.nctId === id)!);

describe("matchNorwegianSite", () => {
  const m = (facility: string | null, city: string | null = null, lat: number | null = null, lon: number | null = null) =>
    matchNorwegianSite({ facility, city, lat, lon }, organisations);

  it.each([
    ["Oslo University Hospital Rikshospitalet", "Oslo", "ous", "ous-rikshospitalet"],
    ["Oslo universitetssykehus, Radiumhospitalet", "Oslo", "ous", "ous-radiumhospitalet"],
    ["Ullevål sykehus", "Oslo", "ous", "ous-ulleval"],
    ["Ulleval University Hospital", "Oslo", "ous", "ous-ulleval"],
    ["Haukeland University Hospital", "Bergen", "helse-bergen", "helse-bergen-haukeland"],
    ["St. Olavs Hospital", "Trondheim", "st-olavs", "st-olavs-oya"],
    ["St Olav's University Hospital", "Trondheim", "st-olavs", "st-olavs-oya"],
    ["University Hospital of North Norway", "Tromsø", "unn", "unn-tromso"],
    ["UNN", "Tromso", "unn", "unn-tromso"],
    ["Akershus University Hospital", "Lørenskog", "ahus", "ahus-nordbyhagen"],
    ["Stavanger University Hospital", "Stavanger", "helse-stavanger", "helse-stavanger-sus"],
    ["Sorlandet Hospital Arendal", "Arendal", "sorlandet-sykehus", "sorlandet-sykehus-arendal"],
    ["Asker and Baerum Hospital", "Rud", "vestre-viken", "vestre-viken-baerum"],
    ["Drammen Hospital, Vestre Viken HF", "Drammen", "vestre-viken", "vestre-viken-drammen"],
    ["Diakonhjemmet Hospital", "Oslo", "diakonhjemmet", "diakonhjemmet-oslo"],
    ["Lovisenberg Diaconal Hospital", "Oslo", "lovisenberg", "lovisenberg-oslo"],
    ["Haraldsplass Deaconess Hospital", "Bergen", "haraldsplass", "haraldsplass-bergen"],
    ["Sunnaas Rehabilitation Hospital", "Nesoddtangen", "sunnaas", "sunnaas-nesodden"],
    ["Sykehuset Innlandet", "Hamar", "sykehuset-innlandet", "sykehuset-innlandet-hamar"],
    ["Aalesund Hospital", "Ålesund", "helse-more-og-romsdal", "helse-more-og-romsdal-alesund"],
    ["Sykehuset Telemark", "Skien", "sykehuset-telemark", "sykehuset-telemark-skien"],
    ["Nordland Hospital", "Bodø", "nordlandssykehuset", "nordlandssykehuset-bodo"],
  ])("%s (%s) → %s / %s", (facility, city, organisationId, hospitalId) => {
    expect(m(facility, city)).toEqual({ organisationId, hospitalId });
  });

  it("matches by a point only when one organisation is within 3 km", () => {
    // Trondheim's geocoded centre: only St. Olavs is near.
    expect(m("Research Site", "Trondheim", 63.43049, 10.39506)).toEqual({ organisationId: "st-olavs", hospitalId: "st-olavs-oya" });
    // Oslo's geocoded centre is near Lovisenberg AND Ullevål: unsure.
    expect(m("Pfizer Investigational Site", "Oslo", 59.91273, 10.74609)).toBeNull();
  });

  it("matches by city only when the municipality has one organisation", () => {
    expect(m(null, "Sarpsborg")).toEqual({ organisationId: "sykehuset-ostfold", hospitalId: "sykehuset-ostfold-kalnes" });
    expect(m("Research Site", "Oslo")).toBeNull();
    expect(m(null, "Moelv", 60.93333, 10.7)).toBeNull();
  });

  it("maps universities only through the city, to the university hospital", () => {
    expect(m("Norwegian University of Science and Technology", "Trondheim", 63.43049, 10.39506)?.organisationId).toBe("st-olavs");
    expect(m("University of Bergen", "Bergen")).toEqual({ organisationId: "helse-bergen", hospitalId: "helse-bergen-haukeland" });
    expect(m("University of Oslo", "Oslo", 59.91273, 10.74609)).toEqual({ organisationId: "ous", hospitalId: null });
  });

  it("does not guess: place names need a hospital word, foreign sites give null", () => {
    expect(m("Drammen Private Research Clinic", null)).toBeNull();
    expect(m("Karolinska University Hospital", "Stockholm", 59.3293, 18.0686)).toBeNull();
    expect(m("Rigshospitalet", "Copenhagen", 55.6761, 12.5683)).toBeNull();
    expect(m(null, null)).toBeNull();
  });
});

describe("parseCtgovJson: real files", () => {
  it("maps exactly the 14 studies with a Norwegian location in the Norway subset, all valid", () => {
    const result = parseCtgovJson(read("ctgov-v2/ctgov_v2_norway_subset.json"), ctx, { now: NOW });
    expect(result.rejected).toEqual([]);
    expect(result.records).toHaveLength(14);
    result.records.forEach(expectValid);
    for (const record of result.records) {
      expect(record.study.identifiers?.nct).toBe(record.externalId);
      expect(record.warnings.some((w) => w.startsWith("ingen norsk tekst"))).toBe(true);
    }
  });

  it("maps NCT06113666 (St. Olavs, insomnia in MS) field by field", () => {
    const result = parseCtgovJson(read("ctgov-v2/ctgov_v2_norway_subset.json"), ctx, { now: NOW });
    const record = result.records.find((r) => r.externalId === "NCT06113666")!;
    const study = record.study;
    expect(study.identifiers?.nct).toBe("NCT06113666");
    expect(study.title.nb).toMatch(/^A Digital Therapeutic to Improve Insomnia in Multiple Sclerosis/);
    expect(study.title.en).toBe(study.title.nb);
    expect(study.studyType).toBe("treatment");
    expect(study.phase).toBe("not_applicable");
    expect(study.leadOrganisationId).toBe("st-olavs");
    expect(study.sponsor).toBe("St. Olavs Hospital");
    expect(study.eligibility?.minAgeYears).toBe(18);
    expect(study.eligibility?.maxAgeYears).toBeNull();
    expect(study.conditions).toEqual(["Multiple Sclerosis", "Insomnia"]);
    expect(study.interventions?.[0]?.type).toBe("behavioural");
    expect(study.targetEnrolment).toBe(550);
    expect(study.eligibility?.inclusionCriteria?.en).toBeTruthy();
    expect(study.eligibility?.exclusionCriteria?.en).toBeTruthy();
    expect(study.eligibility?.inclusionCriteria?.en).not.toMatch(/exclusion criteria/i);
    expect(study.sites).toEqual([
      expect.objectContaining({
        organisationId: "st-olavs",
        hospitalId: "st-olavs-oya",
        inclusionStart: "2023-11-16",
        inclusionEnd: "2025-10-30",
        paused: false,
        withdrawn: false,
      }),
    ]);
    expect(study.publicationState).toBe("published");
    expect(study.identifiers?.rek).toBeNull();
  });

  it("maps month-only dates to the first and last day, EudraCT ids, and sponsors that are ours", () => {
    const result = parseCtgovJson(read("ctgov-v2/ctgov_v2_norway_subset.json"), ctx, { now: NOW });
    const asker = result.records.find((r) => r.externalId === "NCT00353704")!;
    expect(asker.study.leadOrganisationId).toBe("vestre-viken");
    expect(asker.study.identifiers?.eudract).toBe("2005-003229-20");
    expect(asker.study.sites).toEqual([
      expect.objectContaining({ organisationId: "vestre-viken", hospitalId: "vestre-viken-baerum", inclusionStart: "2005-11-01", inclusionEnd: "2009-05-31" }),
    ]);
    expect(asker.warnings.some((w) => w.includes("første dag"))).toBe(true);
    expect(asker.warnings.some((w) => w.includes("siste dag"))).toBe(true);

    const riks = result.records.find((r) => r.externalId === "NCT01949129")!;
    expect(riks.study.sites?.map((s) => s.hospitalId)).toEqual(["ous-rikshospitalet"]);
    expect(riks.study.eligibility?.minAgeYears).toBe(0.08); // "1 Month"
    expect(riks.study.phase).toBe("phase_2_3");

    // "130 Years" means "no upper limit"; generic "Research Site" in Oslo is not guessed.
    const az = result.records.find((r) => r.externalId === "NCT03798535")!;
    expect(az.study.eligibility?.maxAgeYears).toBeNull();
    expect(az.study.sites?.map((s) => s.organisationId).sort()).toEqual(["sorlandet-sykehus", "unn", "vestre-viken"]);
    expect(az.warnings.some((w) => w.includes("Research Site, Oslo"))).toBe(true);
  });

  it("maps all 1,202 studies of the merged JSON Lines file without throwing", () => {
    const text = gunzipSync(read("ctgov-v2/ctgov_v2_studies.jsonl.gz")).toString("utf8");
    const result = parseCtgovJson(text, ctx, { norwayOnly: false, now: NOW });
    expect(result.records.length + result.rejected.length + (result.skipped?.length ?? 0)).toBe(1202);
    result.records.forEach(expectValid);
    for (const rejection of result.rejected) expect(rejection.ref).toMatch(/^line \d+$/);
    expect(result.records.length).toBeGreaterThan(1150);
  });

  it("reads the gzip file directly and keeps only Norwegian studies by default", () => {
    const result = parseCtgovJson(read("ctgov-v2/ctgov_v2_studies.jsonl.gz"), ctx, { now: NOW });
    expect(result.records).toHaveLength(14);
    expect(result.skipped).toHaveLength(1202 - 14);
  });

  it("reads the website's Download JSON zip (635 NCT*.json files)", () => {
    const zip = read("ctgov-v2/sources/Marc-Morcos_ClinicalTrials-Urology__ctg-studies.json.zip");
    const all = parseCtgovJson(zip, ctx, { norwayOnly: false, now: NOW });
    expect(all.records.length + all.rejected.length).toBe(635);
    expect(all.rejected).toEqual([]);
    all.records.forEach(expectValid);
    expect(all.records[0]!.ref).toMatch(/^NCT\d{8}\.json$/);
    const norway = parseCtgovJson(zip, ctx, { now: NOW });
    expect(norway.records).toHaveLength(8);
    expect(norway.skipped).toHaveLength(627);
  });

  it("accepts an API page { studies: [...] } and a single study object", () => {
    const studies = norwaySubset().slice(0, 3);
    const page = parseCtgovJson(JSON.stringify({ studies, nextPageToken: "abc" }), ctx, { now: NOW });
    expect(page.records.map((r) => r.ref)).toEqual(["record 1", "record 2", "record 3"]);
    const single = parseCtgovJson(Buffer.from(JSON.stringify(studies[0], null, 2)), ctx, { now: NOW });
    expect(single.records).toHaveLength(1);
  });

  it.each(["NCT00465816.json", "NCT03453554.json"])("rejects the partial AACT fixture %s with a clear field", (file) => {
    const result = parseCtgovJson(read(`ctgov-aact-fixtures/v2-single-study/${file}`), ctx, { norwayOnly: false });
    expect(result.records).toEqual([]);
    expect(result.rejected).toEqual([
      expect.objectContaining({ externalId: file.replace(".json", ""), field: "protocolSection.statusModule" }),
    ]);
  });
});

describe("parseCtgovJson: hostile and broken input", () => {
  it.each([
    ["not json", "line 1"],
    ["[1,2", "input"],
    ["", "input"],
  ])("%j gives one rejection at %s", (input, ref) => {
    const result = parseCtgovJson(input, ctx);
    expect(result.records).toEqual([]);
    expect(result.rejected).toEqual([expect.objectContaining({ ref, field: "input" })]);
  });

  it("rejects {} and non-objects as not being studies", () => {
    expect(parseCtgovJson("{}", ctx).rejected).toEqual([expect.objectContaining({ ref: "record 1", field: "protocolSection" })]);
    const numbers = parseCtgovJson("[1, 2]", ctx);
    expect(numbers.rejected.map((r) => r.ref)).toEqual(["record 1", "record 2"]);
  });

  it("names the broken line in JSON Lines and still maps the good ones", () => {
    const [a, b] = norwaySubset();
    const text = `${JSON.stringify(a)}\n{"protocolSection": \n${JSON.stringify(b)}\n`;
    const result = parseCtgovJson(text, ctx, { now: NOW });
    expect(result.records.map((r) => r.ref)).toEqual(["line 1", "line 3"]);
    expect(result.rejected).toEqual([expect.objectContaining({ ref: "line 2", field: "input" })]);
  });

  it("rejects an absurd minimum age and an impossible date, naming the field", () => {
    const aged = studyById("NCT06113666");
    aged.protocolSection.eligibilityModule.minimumAge = "999999 Years";
    const badDate = studyById("NCT06113666");
    badDate.protocolSection.statusModule.startDateStruct.date = "2024-02-30";
    const result = parseCtgovJson(JSON.stringify([aged, badDate]), ctx, { now: NOW });
    expect(result.records).toEqual([]);
    expect(result.rejected).toEqual([
      expect.objectContaining({ ref: "record 1", externalId: "NCT06113666", field: "eligibilityModule.minimumAge" }),
      expect.objectContaining({ ref: "record 2", field: "statusModule.startDateStruct.date", message: expect.stringContaining("2024-02-30") }),
    ]);
  });

  it("refines site dates from the site status", () => {
    const base = () => studyById("NCT06113666");
    const completed = base();
    completed.protocolSection.contactsLocationsModule.locations[0].status = "COMPLETED";
    const suspended = base();
    suspended.protocolSection.contactsLocationsModule.locations[0].status = "SUSPENDED";
    const withdrawn = base();
    withdrawn.protocolSection.contactsLocationsModule.locations[0].status = "WITHDRAWN";
    const backwards = base();
    backwards.protocolSection.statusModule.primaryCompletionDateStruct.date = "2020-01";
    const result = parseCtgovJson(JSON.stringify([completed, suspended, withdrawn, backwards]), ctx, { now: NOW });
    expect(result.rejected).toEqual([]);
    result.records.forEach(expectValid);
    const [c, s, w, b] = result.records.map((r) => r.study.sites![0]!);
    expect(c!.inclusionEnd).toBe("2025-02-10"); // end 2025-10-30 is after "now": last update instead
    expect(s).toMatchObject({ paused: true, pauseReason: "Suspendert i ClinicalTrials.gov" });
    expect(w!.withdrawn).toBe(true);
    expect(b!.inclusionEnd).toBeNull();
    expect(result.records[3]!.warnings.some((x) => x.includes("sluttdatoen er utelatt"))).toBe(true);
  });

  it("refuses a zip entry whose header claims 1 GB", () => {
    const study = new TextEncoder().encode(JSON.stringify(studyById("NCT06113666")));
    const zip = zipSync({ "NCT06113666.json": study }, { level: 0 });
    const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
    for (let i = 0; i + 4 <= zip.length; i++) {
      if (view.getUint32(i, true) === 0x04034b50) view.setUint32(i + 22, 0x40000000, true); // local header
      if (view.getUint32(i, true) === 0x02014b50) view.setUint32(i + 24, 0x40000000, true); // central directory
    }
    const result = parseCtgovJson(Buffer.from(zip), ctx);
    expect(result.records).toEqual([]);
    expect(result.rejected).toEqual([expect.objectContaining({ ref: "NCT06113666.json", field: "zip" })]);
  });

  it("refuses a deflate bomb (50 MB of zeros) and still reads the honest entries", () => {
    const honest = new TextEncoder().encode(JSON.stringify(studyById("NCT06113666")));
    const zip = zipSync({ "bomb.json": new Uint8Array(50 * 1024 * 1024), "NCT06113666.json": honest }, { level: 9 });
    expect(zip.length).toBeLessThan(1024 * 1024);
    const result = parseCtgovJson(Buffer.from(zip), ctx, { now: NOW });
    expect(result.rejected).toEqual([
      expect.objectContaining({ ref: "bomb.json", field: "zip", message: expect.stringContaining("komprimeringsgrad") }),
    ]);
    expect(result.records.map((r) => r.ref)).toEqual(["NCT06113666.json"]);
  });

  it("names the zip entry with broken JSON, and survives a truncated zip", () => {
    const good = new TextEncoder().encode(JSON.stringify(studyById("NCT06113666")));
    const zip = zipSync({ "NCT00000001.json": new TextEncoder().encode('{"protocolSection": '), "NCT06113666.json": good });
    const result = parseCtgovJson(Buffer.from(zip), ctx, { now: NOW });
    expect(result.rejected).toEqual([expect.objectContaining({ ref: "NCT00000001.json", field: "input" })]);
    expect(result.records).toHaveLength(1);
    const truncated = parseCtgovJson(Buffer.from(zip.subarray(0, 200)), ctx);
    expect(truncated.records).toEqual([]);
    expect(truncated.rejected).toEqual([expect.objectContaining({ field: "zip" })]);
    const empty = parseCtgovJson(Buffer.from(zipSync({ "readme.txt": new TextEncoder().encode("hi") })), ctx);
    expect(empty.rejected).toEqual([expect.objectContaining({ ref: "zip", field: "zip" })]);
  });
});

describe("parseCtgovCsv", () => {
  it("maps the Norway row of the 1,000-row Download CSV to a site at Helse Bergen", () => {
    const result = parseCtgovCsv(read("ctgov-csv-exports/Anand21J-V__ctg-studies_1000.csv.gz"), ctx, { now: NOW });
    expect(result.rejected).toEqual([]);
    expect(result.records).toHaveLength(1);
    expect(result.skipped).toHaveLength(999);
    const record = result.records[0]!;
    expectValid(record);
    expect(record.externalId).toBe("NCT06960226");
    expect(record.ref).toBe("line 2069");
    expect(record.study.sites).toEqual([
      expect.objectContaining({ organisationId: "helse-bergen", hospitalId: "helse-bergen-haukeland", inclusionStart: "2025-03-01", inclusionEnd: "2025-04-20" }),
    ]);
    expect(record.study.eligibility).toMatchObject({ minAgeYears: 18, maxAgeYears: 64, sex: "all" });
    expect(record.study.interventions?.map((i) => i.type)).toEqual(["other", "other", "other", "other"]);
    expect(record.study.phase).toBe("not_applicable");
    expect(record.study.targetEnrolment).toBe(61);
  });

  it("maps every row when norwayOnly is false; withheld rows are rejected by line", () => {
    const text = gunzipSync(read("ctgov-csv-exports/Anand21J-V__ctg-studies_1000.csv.gz")).toString("utf8");
    const result = parseCtgovCsv(text, ctx, { norwayOnly: false, now: NOW });
    expect(result.records.length + result.rejected.length).toBe(1000);
    result.records.forEach(expectValid);
    for (const r of result.rejected) expect(r.ref).toMatch(/^line \d+$/);
    expect(result.rejected.length).toBeLessThan(10);
  });

  it("rejects the mswarriors flattened file as the wrong layout", () => {
    const result = parseCtgovCsv(read("ctgov-csv-exports/brunoamaral_mswarriors__clinicaltrials_ms_20250925.csv.gz"), ctx);
    expect(result.records).toEqual([]);
    expect(result.rejected).toEqual([
      expect.objectContaining({ ref: "line 1", field: "NCT Number", message: expect.stringContaining("Download CSV") }),
    ]);
  });

  it("rejects broken CSV and short rows without throwing", () => {
    expect(parseCtgovCsv('NCT Number,"Study Title\n', ctx).rejected).toHaveLength(1);
    const header = "NCT Number,Study Title,Study Status,Study Type,Start Date,Primary Completion Date,Locations";
    const result = parseCtgovCsv(`${header}\nNCT01234567,Short\n`, ctx, { norwayOnly: false });
    expect(result.rejected).toEqual([expect.objectContaining({ ref: "line 2", field: "input" })]);
  });
});
