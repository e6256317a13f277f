/**
 * The ClinicalTrials.gov mappers on real files (see SOURCES.md in ../shared/data): every one of
 * the 14 Norwegian v2 studies, site by site, as read from the records by hand — which locations
 * are sites, which are registered organisations, the lead, the declared status and the expected
 * ("forventet") dates — plus the whole files. The 10 Norwegian records from MIT-licensed sources,
 * the two partial AACT fixtures and an extract of the MIT-licensed Download CSV are vendored in
 * tests/fixtures (SOURCES.md there) and always run; the 4 records and whole files from sources
 * with no stated licence stay in ../shared/data and are skipped, with the reason, where it is
 * absent (a user's machine); CI has them.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { siteState } from "#app/domain/inclusion-status";
import { describeProblems, studyInputSchema } from "#app/domain/study";
import { parseCtgovCsv } from "#app/ingest/mappers/ctgov-csv.server";
import { parseCtgovJson } from "#app/ingest/mappers/ctgov-json.server";
import type { MapContext, MappedRecord, OrganisationRef } from "#app/ingest/types";
import { describeShared, readFixture, sharedData } from "../helpers/shared-data";

const read = (rel: string) => readFileSync(sharedData(rel));
const SUBSET = "ctgov-v2/ctgov_v2_norway_subset.json";
const MERGED = "ctgov-v2/ctgov_v2_studies.jsonl.gz";
const ZIP = "ctgov-v2/sources/Marc-Morcos_ClinicalTrials-Urology__ctg-studies.json.zip";
const CSV_OFFICIAL = "ctgov-csv-exports/Anand21J-V__ctg-studies_1000.csv.gz";
const CSV_MS = "ctgov-csv-exports/brunoamaral_mswarriors__clinicaltrials_ms_20250925.csv.gz";
/** The Norwegian studies whose source repository states no licence (UserZetsu, koy570, vrinda2019): only in ../shared/data. */
const UNLICENSED = ["NCT00353704", "NCT03798535", "NCT06113666", "NCT06667843"];
const organisations = JSON.parse(
  readFileSync(path.resolve(process.cwd(), "data/reference/organisations.json"), "utf8"),
) as OrganisationRef[];
/** The sender: an organisation with a site in none of the 14 studies (so it can never leak in). */
const ctx: MapContext = { organisationId: "helse-fonna", organisations };
const NOW = new Date("2025-06-01T10:00:00Z");
/** A later fixed instant: two-year-old declarations of open/planned/invitation have gone stale. */
const LATER = new Date("2026-12-07T11:00:00Z");
const noon = (date: string) => new Date(`${date}T10:00:00Z`);

function expectValid(record: MappedRecord) {
  const parsed = studyInputSchema.safeParse(record.study);
  if (!parsed.success) {
    throw new Error(
      `${record.ref} (${record.externalId}) fails the schema: ${JSON.stringify(describeProblems(parsed.error))}`,
    );
  }
}

/** [name as written (city for a location with no facility), city, organisationId, hospitalId] */
type SiteRow = [string, string, string | null, string | null];
interface Expected {
  lead: [string, string | null];
  /** Declared status, its text as written, and the date it rests on (statusVerifiedDate's first day). */
  declared: [string, string, string];
  /** [expectedStart, expectedEnd]: ESTIMATED start and primary completion only. */
  expected: [string | null, string | null];
  sites: SiteRow[];
  /** The record's own last-update day, the portal status then (= the source's own), and at LATER. */
  status: [string, string, string];
  healthyVolunteers: boolean | null;
  identifiers?: Record<string, string | null>;
}

const PFIZER_OSLO: SiteRow = ["Pfizer Investigational Site", "Oslo", null, null];
const BAYER_FOUR: SiteRow[] = [
  ["Moelv", "Moelv", null, null],
  ["Oslo", "Oslo", null, null],
  ["Sarpsborg", "Sarpsborg", null, null],
  ["Trondheim", "Trondheim", null, null],
];

const NORWEGIAN: Record<string, Expected> = {
  NCT00273416: {
    lead: ["Pfizer", null],
    declared: ["completed", "COMPLETED", "2006-08-01"],
    expected: [null, null],
    sites: [PFIZER_OSLO],
    status: ["2006-08-24", "closed", "closed"],
    healthyVolunteers: false,
  },
  NCT00353704: {
    lead: ["Asker & Baerum Hospital", "vestre-viken"],
    declared: ["completed", "COMPLETED", "2011-07-01"],
    expected: [null, null], // ACTUAL dates: facts about the study, not an inclusion window
    sites: [["Asker and Baerum Hospital", "Rud", "vestre-viken", "vestre-viken-baerum"]],
    status: ["2011-07-20", "closed", "closed"],
    healthyVolunteers: false,
    identifiers: { eudract: "2005-003229-20" }, // the org study id has the EudraCT form
  },
  NCT00479505: {
    lead: ["Pfizer", null],
    declared: ["completed", "COMPLETED", "2011-03-01"],
    expected: [null, null],
    sites: [["Pfizer Investigational Site", "Moelv", null, null], PFIZER_OSLO], // both kept (Moelv was dropped before)
    status: ["2011-03-23", "closed", "closed"],
    healthyVolunteers: false,
  },
  NCT00492635: {
    lead: ["Bayer", null],
    declared: ["completed", "COMPLETED", "2014-10-01"],
    expected: [null, null],
    sites: [
      ["Moelv", "Moelv", null, null],
      ["Tønsberg", "Tønsberg", null, null], // city only: not guessed to be Sykehuset i Vestfold
    ],
    status: ["2014-10-28", "closed", "closed"],
    healthyVolunteers: false,
    identifiers: { eudract: "2004-002172-42" },
  },
  NCT00644956: {
    lead: ["Pfizer's Upjohn has merged with Mylan to form Viatris Inc.", null],
    declared: ["completed", "COMPLETED", "2021-01-01"],
    expected: [null, null],
    sites: [PFIZER_OSLO],
    status: ["2021-02-01", "closed", "closed"],
    healthyVolunteers: false,
  },
  NCT00665496: {
    lead: ["Bayer", null],
    declared: ["completed", "COMPLETED", "2014-12-01"],
    expected: [null, null],
    sites: BAYER_FOUR,
    status: ["2014-12-17", "closed", "closed"],
    healthyVolunteers: false,
  },
  NCT00668109: {
    lead: ["Bayer", null],
    declared: ["completed", "COMPLETED", "2014-12-01"],
    expected: [null, null],
    sites: BAYER_FOUR,
    status: ["2014-12-23", "closed", "closed"],
    healthyVolunteers: false,
  },
  NCT00862888: {
    lead: ["Pfizer", null],
    declared: ["completed", "COMPLETED", "2009-04-01"],
    expected: [null, null],
    sites: [PFIZER_OSLO],
    status: ["2009-04-08", "closed", "closed"],
    healthyVolunteers: false,
  },
  NCT01949129: {
    lead: ["St. Anna Kinderkrebsforschung", null],
    declared: ["recruiting", "RECRUITING", "2020-09-01"],
    expected: [null, "2021-04-30"], // ESTIMATED "2021-04": long past, yet the site still says RECRUITING
    sites: [["Oslo University Hospital Rikshospitalet", "Oslo", "ous", "ous-rikshospitalet"]],
    status: ["2020-10-01", "open", "unknown"], // verified 2020-09: stale, needs confirmation
    healthyVolunteers: false,
  },
  NCT03798535: {
    lead: ["AstraZeneca", null],
    declared: ["completed", "COMPLETED", "2025-07-01"],
    expected: [null, null],
    sites: [
      ["Research Site", "Arendal", null, null],
      ["Research Site", "Drammen", null, null],
      ["Research Site", "Oslo", null, null], // dropped before
      ["Research Site", "Tromsø", null, null],
    ],
    status: ["2025-07-16", "closed", "closed"],
    healthyVolunteers: false,
  },
  NCT05816382: {
    lead: ["Takeda", null],
    declared: ["recruiting", "RECRUITING", "2023-06-01"],
    expected: [null, "2026-12-31"],
    sites: [["University of Oslo", "Oslo", null, null]], // a university, not OUS
    status: ["2023-06-09", "open", "unknown"],
    healthyVolunteers: false,
    identifiers: { eudract: "2022-002965-13" },
  },
  NCT06113666: {
    lead: ["St. Olavs Hospital", "st-olavs"],
    declared: ["recruiting", "RECRUITING", "2025-02-01"],
    expected: [null, "2025-10-30"], // not "Inklusjon avsluttet 30. oktober 2025"
    sites: [["St.Olavs Hospital", "Trondheim", "st-olavs", "st-olavs-oya"]],
    status: ["2025-02-10", "open", "open"],
    healthyVolunteers: false,
    identifiers: { rek: null }, // org study id 623308 looks like a REK number but is not labelled one
  },
  NCT06403423: {
    lead: ["Sykehuset Innlandet HF", "sykehuset-innlandet"],
    declared: ["invitation_only", "ENROLLING_BY_INVITATION", "2024-01-01"],
    expected: ["2024-05-14", "2027-05-09"],
    sites: [["Sykehuset Innlandet", "Hamar", "sykehuset-innlandet", "sykehuset-innlandet-hamar"]],
    status: ["2024-05-07", "invitation", "unknown"],
    healthyVolunteers: true,
  },
  NCT06667843: {
    lead: ["Norwegian University of Science and Technology", null], // NTNU is not St. Olavs
    declared: ["recruiting", "RECRUITING", "2024-09-01"],
    expected: [null, "2024-12-31"],
    sites: [
      ["Frisklivssentralen Værnesregionen", "Stjørdal", null, null], // dropped before
      ["Norwegian University of Science and Technology", "Trondheim", null, null],
    ],
    status: ["2024-10-31", "open", "unknown"],
    healthyVolunteers: false,
  },
};

/** One Norwegian study as read by hand: sites, lead, declared status, expected dates. */
function expectNorwegian(records: MappedRecord[], nct: string, want: Expected) {
  const record = records.find((r) => r.externalId === nct)!;
  const study = studyInputSchema.parse(record.study);
  expect(study.lead).toEqual({ name: want.lead[0], organisationId: want.lead[1] });
  expect(study.sponsor).toBe(want.lead[0]);
  expect(study.leadOrganisationId).toBe("helse-fonna"); // the sender owns it; it is not the lead or a site
  expect(study.sites.map((s) => [s.name, s.city, s.organisationId, s.hospitalId])).toEqual(want.sites);
  const [lastUpdate, thenStatus, laterStatus] = want.status;
  for (const site of study.sites) {
    expect(site.declared).toEqual({
      status: want.declared[0],
      text: want.declared[1],
      on: want.declared[2],
      by: "ClinicalTrials.gov",
    });
    expect(site).toMatchObject({ inclusionStart: null, inclusionEnd: null, paused: false, withdrawn: false });
    expect([site.expectedStart, site.expectedEnd]).toEqual(want.expected);
    if (site.organisationId === null) expect(site.lat).not.toBeNull(); // every unregistered location has its geoPoint
    expect(siteState(site, noon(lastUpdate)).status).toBe(thenStatus);
    expect(siteState(site, LATER).status).toBe(laterStatus);
  }
  expect(study.eligibility.healthyVolunteers).toBe(want.healthyVolunteers);
  expect(study.identifiers).toMatchObject({ nct, ...want.identifiers });
  expect(study.links[0]).toEqual({ url: `https://clinicaltrials.gov/study/${nct}`, label: "ClinicalTrials.gov" });
}

const LICENSED_NORWEGIAN = Object.entries(NORWEGIAN).filter(([nct]) => !UNLICENSED.includes(nct));

describe("ClinicalTrials.gov v2 JSON: the 10 Norwegian studies from MIT-licensed sources (vendored)", () => {
  const vendored = () => parseCtgovJson(readFixture("ctgov-v2/norway-mit-sources.json"), ctx, { now: NOW });

  it("maps exactly the 10 studies, all valid", () => {
    const result = vendored();
    expect(result.rejected).toEqual([]);
    expect(result.records.map((r) => r.externalId).sort()).toEqual(LICENSED_NORWEGIAN.map(([nct]) => nct).sort());
    result.records.forEach(expectValid);
  });

  it.each(LICENSED_NORWEGIAN)("%s: sites, lead, declared status, expected dates", (nct, want) =>
    expectNorwegian(vendored().records, nct, want),
  );

  it("keeps every location contact and the other identifiers (NCT01949129, NCT05816382, NCT00665496)", () => {
    const byId = new Map(vendored().records.map((r) => [r.externalId, studyInputSchema.parse(r.study)]));
    // The PI entry at Rikshospitalet has no e-mail or phone: not a contact, the CONTACT entry is.
    expect(byId.get("NCT01949129")!.sites[0]!.contact?.name).toBe("Jochen Büchner, MD PhD");
    expect(byId.get("NCT05816382")!.otherIdentifiers).toContainEqual({
      scheme: "WHO UTN",
      value: "U1111-1283-1888",
      url: null,
    });
    expect(byId.get("NCT00665496")!.otherIdentifiers).toContainEqual({
      scheme: "Other ID",
      value: "ONTIME",
      url: null,
    });
  });
});

describeShared(SUBSET, "ClinicalTrials.gov v2 JSON: the 14 Norwegian studies", () => {
  const subset = () => parseCtgovJson(read(SUBSET), ctx, { now: NOW });

  it("maps exactly the 14 studies, all valid", () => {
    const result = subset();
    expect(result.rejected).toEqual([]);
    expect(result.records.map((r) => r.externalId).sort()).toEqual(Object.keys(NORWEGIAN).sort());
    result.records.forEach(expectValid);
  });

  it.each(Object.entries(NORWEGIAN).filter(([nct]) => UNLICENSED.includes(nct)))(
    "%s (source states no licence): sites, lead, declared status, expected dates",
    (nct, want) => expectNorwegian(subset().records, nct, want),
  );

  it("keeps every location contact, the central contacts, official title and keywords (NCT06113666, NCT06667843)", () => {
    const byId = new Map(subset().records.map((r) => [r.externalId, studyInputSchema.parse(r.study)]));
    const olavs = byId.get("NCT06113666")!;
    expect(olavs.sites[0]!.contact).toEqual({
      name: "Håvard Kallestad, PhD",
      email: "havard.kallestad@ntnu.no",
      phone: "93027262",
    });
    expect(olavs.contacts.map((c) => c.name)).toEqual(["Simen Saksvik, PhD", "Håvard Kallestad, PhD"]);
    expect(olavs.officialTitle).toBeTruthy();
    expect(olavs.keywords).toEqual(["Cognitive Behavioral Therapy for Insomnia", "Fatigue", "Cognitive performance"]);
    expect(olavs.otherIdentifiers).toEqual([{ scheme: "Org Study ID", value: "623308", url: null }]);
    expect(byId.get("NCT06667843")!.sites[0]!.contact?.name).toBe("Tone Melan, Nurse");
  });
});

describeShared([MERGED, ZIP], "ClinicalTrials.gov v2 JSON: whole files", () => {
  it("maps all 1,202 studies of the merged JSON Lines file; no registry site has inclusion dates", () => {
    const text = gunzipSync(read(MERGED)).toString("utf8");
    const result = parseCtgovJson(text, ctx, { norwayOnly: false, now: NOW });
    expect(result.records.length + result.rejected.length + (result.skipped?.length ?? 0)).toBe(1202);
    result.records.forEach(expectValid);
    for (const rejection of result.rejected) expect(rejection.ref).toMatch(/^line \d+$/);
    expect(result.records.length).toBeGreaterThan(1150);
    for (const record of result.records) {
      for (const site of record.study.sites ?? []) {
        expect(site.inclusionStart ?? null).toBeNull();
        expect(site.inclusionEnd ?? null).toBeNull();
        expect(site.declared?.by).toBe("ClinicalTrials.gov");
      }
    }
  });

  it("reads the gzip file directly, keeps only the 14 Norwegian studies and never drops a Norwegian location", () => {
    const text = gunzipSync(read(MERGED)).toString("utf8");
    const norwegianLocations = text
      .split("\n")
      .filter(Boolean)
      .map((line) => JSON.parse(line).protocolSection?.contactsLocationsModule?.locations ?? [])
      .flat()
      .filter((l: { country?: string }) => l.country === "Norway").length;
    const result = parseCtgovJson(read(MERGED), ctx, { now: NOW });
    expect(result.records).toHaveLength(14);
    expect(result.skipped).toHaveLength(1202 - 14);
    const sites = result.records.flatMap((r) => r.study.sites ?? []);
    expect(sites).toHaveLength(norwegianLocations); // 26: none merged, none dropped
    expect(sites.filter((s) => s.organisationId != null)).toHaveLength(4);
  });

  it("reads the website's Download JSON zip (635 NCT*.json files, 8 Norwegian)", () => {
    const zip = read(ZIP);
    const all = parseCtgovJson(zip, ctx, { norwayOnly: false, now: NOW });
    expect(all.records.length + all.rejected.length).toBe(635);
    expect(all.rejected).toEqual([]);
    all.records.forEach(expectValid);
    expect(all.records[0]!.ref).toMatch(/^NCT\d{8}\.json$/);
    const norway = parseCtgovJson(zip, ctx, { now: NOW });
    expect(norway.records).toHaveLength(8);
    expect(norway.skipped).toHaveLength(627);
  });
});

describe("ClinicalTrials.gov v2 JSON: the partial AACT fixtures (MIT, vendored)", () => {
  it.each(["NCT00465816.json", "NCT03453554.json"])(
    "rejects the partial AACT fixture %s with a clear field",
    (file) => {
      const result = parseCtgovJson(readFixture(`ctgov-aact/${file}`), ctx, { norwayOnly: false });
      expect(result.records).toEqual([]);
      expect(result.rejected).toEqual([
        expect.objectContaining({ externalId: file.replace(".json", ""), field: "protocolSection.statusModule" }),
      ]);
    },
  );
});

/** The one Norwegian row (NCT06960226) as read by hand, wherever the file puts it. */
function expectBergenRow(result: ReturnType<typeof parseCtgovCsv>, line: number, otherRows: number) {
  expect(result.rejected).toEqual([]);
  expect(result.records).toHaveLength(1);
  expect(result.skipped).toHaveLength(otherRows);
  const record = result.records[0]!;
  expectValid(record);
  expect(record.externalId).toBe("NCT06960226");
  expect(record.ref).toBe(`line ${line}`);
  const study = studyInputSchema.parse(record.study);
  expect(study.sites.map((s) => [s.name, s.city, s.organisationId])).toEqual([
    ["University of Bergen", "Bergen", null],
  ]);
  const site = study.sites[0]!;
  expect(site).toMatchObject({
    inclusionStart: null,
    inclusionEnd: null,
    expectedStart: null,
    expectedEnd: null,
    declared: { status: "completed", text: "COMPLETED", on: "2025-05-07", by: "ClinicalTrials.gov" },
  });
  expect(siteState(site, noon("2025-05-07")).status).toBe("closed");
  expect(study.lead).toEqual({ name: "University of Bergen", organisationId: null });
  expect(study.leadOrganisationId).toBe("helse-fonna");
  expect(study.identifiers.rek).toBe("2019/1031");
  expect(study.otherIdentifiers).toEqual([{ scheme: "REK (as written)", value: "REK NR 2019/1031 7236", url: null }]);
  expect(study.eligibility).toMatchObject({
    minAgeYears: null,
    maxAgeYears: null,
    ageGroups: ["ADULT"],
    healthyVolunteers: null,
    sex: "all",
  });
  expect(study.interventions.map((i) => i.type)).toEqual(["other", "other", "other", "other"]);
  expect(study.phase).toBe("not_applicable");
  expect(study.targetEnrolment).toBe(61);
}

describe("ClinicalTrials.gov Download CSV: an extract of a real export (MIT, vendored: the header, its first 20 rows and the Norwegian row)", () => {
  it("maps the one Norwegian row (NCT06960226): University of Bergen kept unregistered, COMPLETED as declared, REK number read", () => {
    expectBergenRow(
      parseCtgovCsv(readFixture("ctgov-csv/Anand21J-V__ctg-studies_extract.csv"), ctx, { now: NOW }),
      100,
      20,
    );
  });
});

describeShared([CSV_OFFICIAL, CSV_MS], "ClinicalTrials.gov Download CSV: real exports", () => {
  it("maps the one Norwegian row (NCT06960226) of the whole file: University of Bergen kept unregistered, COMPLETED as declared, REK number read", () => {
    expectBergenRow(parseCtgovCsv(read(CSV_OFFICIAL), ctx, { now: NOW }), 2069, 999);
  });

  it("maps every row when norwayOnly is false; withheld rows are rejected by line", () => {
    const text = gunzipSync(read(CSV_OFFICIAL)).toString("utf8");
    const result = parseCtgovCsv(text, ctx, { norwayOnly: false, now: NOW });
    expect(result.records.length + result.rejected.length).toBe(1000);
    result.records.forEach(expectValid);
    for (const r of result.rejected) expect(r.ref).toMatch(/^line \d+$/);
    expect(result.rejected.length).toBeLessThan(10);
  });

  it("rejects the mswarriors flattened file as the wrong layout", () => {
    const result = parseCtgovCsv(read(CSV_MS), ctx);
    expect(result.records).toEqual([]);
    expect(result.rejected).toEqual([
      expect.objectContaining({ ref: "line 1", field: "NCT Number", message: expect.stringContaining("Download CSV") }),
    ]);
  });
});
