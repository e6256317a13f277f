/**
 * ClinicalTrials.gov mappers (API v2 JSON in all its wrappings, website CSV) and the Norwegian
 * organisation matcher, on small inline records written for each rule (always run). The same
 * rules on the real files are in real-data-ctgov.test.ts (vendored extracts of the MIT-licensed
 * sources always run; the files with no stated licence are skipped where ../shared/data is absent).
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { siteState } from "#app/domain/inclusion-status";
import { describeProblems, studyInputSchema } from "#app/domain/study";
import { parseCtgovCsv } from "#app/ingest/mappers/ctgov-csv.server";
import { parseCtgovJson } from "#app/ingest/mappers/ctgov-json.server";
import { matchNorwegianSite, matchRegisteredOrganisation } from "#app/ingest/organisation-matcher";
import type { MapContext, MappedRecord, OrganisationRef } from "#app/ingest/types";

const organisations = JSON.parse(
  readFileSync(path.resolve(process.cwd(), "data/reference/organisations.json"), "utf8"),
) as OrganisationRef[];
/** The sender: deliberately an organisation with no site in the inline records. */
const ctx: MapContext = { organisationId: "unn", organisations };
const NOW = new Date("2025-06-01T10:00:00Z");

function expectValid(record: MappedRecord) {
  const parsed = studyInputSchema.safeParse(record.study);
  if (!parsed.success) {
    throw new Error(
      `${record.ref} (${record.externalId}) fails the schema: ${JSON.stringify(describeProblems(parsed.error))}`,
    );
  }
}

type Json = Record<string, any>;

/** A small v2 record (fictional, in the shape of NCT06113666): one Norwegian location. */
function v2(): Json {
  return {
    protocolSection: {
      identificationModule: {
        nctId: "NCT09999991",
        orgStudyIdInfo: { id: "SO-2023-01" },
        briefTitle: "A digital therapy for insomnia",
        officialTitle: "A Randomised Trial of a Digital Therapy for Insomnia in Adults",
        acronym: "DIGI",
      },
      statusModule: {
        statusVerifiedDate: "2025-02",
        overallStatus: "RECRUITING",
        startDateStruct: { date: "2023-11-16", type: "ACTUAL" },
        primaryCompletionDateStruct: { date: "2025-10-30", type: "ESTIMATED" },
        completionDateStruct: { date: "2029-10-30", type: "ESTIMATED" },
        lastUpdatePostDateStruct: { date: "2025-02-10", type: "ACTUAL" },
      },
      sponsorCollaboratorsModule: { leadSponsor: { name: "St. Olavs Hospital", class: "OTHER" } },
      descriptionModule: { briefSummary: "A short summary." },
      conditionsModule: { conditions: ["Insomnia"], keywords: ["CBT-I", "Fatigue", "CBT-I"] },
      designModule: { studyType: "INTERVENTIONAL", phases: ["NA"], enrollmentInfo: { count: 100, type: "ESTIMATED" } },
      eligibilityModule: {
        eligibilityCriteria: "Inclusion Criteria:\n\n* adults\n\nExclusion Criteria:\n\n* none",
        healthyVolunteers: false,
        sex: "ALL",
        minimumAge: "18 Years",
        stdAges: ["ADULT", "OLDER_ADULT"],
      },
      contactsLocationsModule: {
        centralContacts: [
          { name: "Central Contact", role: "CONTACT", phone: "+4700000000", email: "central@example.org" },
        ],
        locations: [
          {
            facility: "St.Olavs Hospital",
            status: "RECRUITING",
            city: "Trondheim",
            zip: "7044",
            country: "Norway",
            contacts: [{ name: "Site Contact", role: "CONTACT", email: "site@example.org", phone: "93027262" }],
            geoPoint: { lat: 63.43049, lon: 10.39506 },
          },
        ],
      },
    },
  };
}

const loc = (facility: string | null, city: string | null, extra: Json = {}): Json => ({
  ...(facility ? { facility } : {}),
  ...(city ? { city } : {}),
  country: "Norway",
  ...extra,
});

function mapOne(
  study: Json,
  options: Parameters<typeof parseCtgovJson>[2] = { now: NOW },
  context: MapContext = ctx,
): MappedRecord {
  const result = parseCtgovJson(JSON.stringify(study), context, options);
  expect(result.rejected).toEqual([]);
  expect(result.records).toHaveLength(1);
  const record = result.records[0]!;
  expectValid(record);
  return record;
}

/** The site as the schema gives it (defaults filled in). */
const parsedSites = (record: MappedRecord) => studyInputSchema.parse(record.study).sites;

describe("matchRegisteredOrganisation: a name is a registered organisation only when it says so", () => {
  it.each([
    ["St.Olavs Hospital", "Trondheim", "st-olavs", "st-olavs-oya"],
    ["Oslo University Hospital Rikshospitalet", "Oslo", "ous", "ous-rikshospitalet"],
    ["Oslo University Hospital", "Oslo", "ous", null], // four OUS hospitals in Oslo: not guessed
    ["Haukeland University Hospital", "Bergen", "helse-bergen", "helse-bergen-haukeland"],
    ["Asker and Baerum Hospital", "Rud", "vestre-viken", "vestre-viken-baerum"],
    ["Asker & Baerum Hospital", null, "vestre-viken", "vestre-viken-baerum"],
    ["Sykehuset Innlandet", "Hamar", "sykehuset-innlandet", "sykehuset-innlandet-hamar"],
    ["Sykehuset Innlandet HF", null, "sykehuset-innlandet", null],
    ["Drammen Hospital", "Drammen", "vestre-viken", "vestre-viken-drammen"],
    ["University Hospital of North Norway", "Tromsø", "unn", "unn-tromso"],
    ["Sorlandet Hospital Arendal", "Arendal", "sorlandet-sykehus", "sorlandet-sykehus-arendal"],
  ])("%s (%s) → %s / %s", (facility, city, organisationId, hospitalId) => {
    expect(matchRegisteredOrganisation({ facility, city }, organisations)).toEqual({ organisationId, hospitalId });
  });

  it.each([
    ["Norwegian University of Science and Technology", "Trondheim"], // NTNU is not St. Olavs
    ["University of Bergen", "Bergen"], // UiB is not Haukeland
    ["University of Oslo", "Oslo"],
    ["Frisklivssentralen Værnesregionen", "Stjørdal"], // a municipal service
    ["Stjørdal kommune", "Stjørdal"],
    ["Bodø kommune, helse og omsorg", "Bodø"],
    ["Lifeness AS", "Trondheim"], // a company
    ["Research Site", "Drammen"], // a sponsor's generic site
    ["Pfizer Investigational Site", "Oslo"],
    ["Drammen Private Research Clinic", "Drammen"],
    ["Karolinska University Hospital", "Stockholm"],
    [null, "Tønsberg"], // city only: never guessed
    [null, null],
  ])("%s (%s) → not registered", (facility, city) => {
    expect(matchRegisteredOrganisation({ facility, city }, organisations)).toBeNull();
  });

  it("keeps the lenient matchNorwegianSite for other mappers, unchanged", () => {
    expect(matchNorwegianSite({ facility: null, city: "Sarpsborg" }, organisations)).toEqual({
      organisationId: "sykehuset-ostfold",
      hospitalId: "sykehuset-ostfold-kalnes",
    });
    expect(matchNorwegianSite({ facility: "St. Olavs Hospital", city: "Trondheim" }, organisations)).toEqual({
      organisationId: "st-olavs",
      hospitalId: "st-olavs-oya",
    });
  });
});

describe("ctgov-json: the declared status of a registry site (no inclusion dates)", () => {
  // [location status, overall status, declared status, text, portal status at NOW]
  it.each([
    ["RECRUITING", "RECRUITING", "recruiting", "RECRUITING", "open"],
    [null, "RECRUITING", "recruiting", "RECRUITING", "open"],
    [null, "NOT_YET_RECRUITING", "not_yet_recruiting", "NOT_YET_RECRUITING", "planned"],
    ["ENROLLING_BY_INVITATION", "RECRUITING", "invitation_only", "ENROLLING_BY_INVITATION", "invitation"],
    [null, "ENROLLING_BY_INVITATION", "invitation_only", "ENROLLING_BY_INVITATION", "invitation"],
    ["Enrolling by invitation", "Recruiting", "invitation_only", "Enrolling by invitation", "invitation"],
    ["SUSPENDED", "RECRUITING", "suspended", "SUSPENDED", "paused"],
    [null, "ACTIVE_NOT_RECRUITING", "active_not_recruiting", "ACTIVE_NOT_RECRUITING", "closed"],
    ["COMPLETED", "RECRUITING", "completed", "COMPLETED", "closed"], // the location's own status wins
    [null, "COMPLETED", "completed", "COMPLETED", "closed"],
    [null, "TERMINATED", "terminated", "TERMINATED", "closed"],
    ["WITHDRAWN", "RECRUITING", "withdrawn", "WITHDRAWN", "closed"],
    ["RECRUITING", "UNKNOWN", "unknown", "UNKNOWN", "unknown"], // overall UNKNOWN wins
    [null, "UNKNOWN", "unknown", "UNKNOWN", "unknown"],
    ["AVAILABLE", "RECRUITING", "unknown", "AVAILABLE", "unknown"], // expanded access: not a recruitment status
  ])("location %s, overall %s → %s", (locationStatus, overall, declared, text, status) => {
    const study = v2();
    study.protocolSection.statusModule.overallStatus = overall;
    const location = study.protocolSection.contactsLocationsModule.locations[0];
    if (locationStatus) location.status = locationStatus;
    else delete location.status;
    const record = mapOne(study);
    const site = parsedSites(record)[0]!;
    expect(site.declared).toEqual({ status: declared, text, on: "2025-02-01", by: "ClinicalTrials.gov" });
    expect(site).toMatchObject({ inclusionStart: null, inclusionEnd: null, paused: false, withdrawn: false });
    expect(siteState(site, NOW)).toMatchObject({ status, basis: status === "unknown" ? "unknown" : "declared" });
  });

  // [statusVerifiedDate, lastUpdatePostDate, declared.on]
  it.each([
    ["2025-02", "2025-02-10", "2025-02-01"], // month only → its first day (conservative)
    ["2025-02-14", "2025-03-01", "2025-02-14"],
    [null, "2025-03-01", "2025-03-01"], // no verified date → last update posted
    [null, "2024-11", "2024-11-01"],
  ])("verified %s, last update %s → declared on %s", (verified, lastUpdate, on) => {
    const study = v2();
    const status = study.protocolSection.statusModule;
    if (verified) status.statusVerifiedDate = verified;
    else delete status.statusVerifiedDate;
    status.lastUpdatePostDateStruct = { date: lastUpdate, type: "ACTUAL" };
    expect(parsedSites(mapOne(study))[0]!.declared?.on).toBe(on);
  });

  it("a status with no date at all is unknown (never a fresh 'open')", () => {
    const study = v2();
    delete study.protocolSection.statusModule.statusVerifiedDate;
    delete study.protocolSection.statusModule.lastUpdatePostDateStruct;
    const record = mapOne(study);
    const site = parsedSites(record)[0]!;
    expect(site.declared).toMatchObject({ status: "unknown", text: "RECRUITING" });
    expect(siteState(site, NOW).status).toBe("unknown");
    expect(record.warnings.some((w) => w.includes("statusVerifiedDate"))).toBe(true);
  });

  it("a recruiting declaration verified more than two years ago reads unknown, not open", () => {
    const study = v2();
    study.protocolSection.statusModule.statusVerifiedDate = "2020-09";
    const site = parsedSites(mapOne(study))[0]!;
    expect(siteState(site, new Date("2020-10-01T10:00:00Z"))).toMatchObject({ status: "open", basis: "declared" });
    expect(siteState(site, NOW)).toMatchObject({ status: "unknown", basis: "unknown", stale: true });
  });

  it("a recruiting site stays open after its ESTIMATED primary completion (no 'inklusjon avsluttet')", () => {
    const site = parsedSites(mapOne(v2()))[0]!;
    expect(site.expectedEnd).toBe("2025-10-30");
    expect(siteState(site, new Date("2025-11-15T10:00:00Z"))).toMatchObject({ status: "open", basis: "declared" });
  });

  it("a not-yet-recruiting site whose ESTIMATED start has passed is still planned, not open", () => {
    const study = v2();
    study.protocolSection.statusModule.overallStatus = "NOT_YET_RECRUITING";
    study.protocolSection.statusModule.startDateStruct = { date: "2025-01-15", type: "ESTIMATED" };
    delete study.protocolSection.contactsLocationsModule.locations[0].status;
    const site = parsedSites(mapOne(study))[0]!;
    expect(site).toMatchObject({ expectedStart: "2025-01-15", inclusionStart: null });
    expect(siteState(site, NOW)).toMatchObject({ status: "planned", basis: "declared" });
  });
});

describe("ctgov-json: expected dates are ESTIMATED dates only", () => {
  // [start struct, primary completion struct, expectedStart, expectedEnd]
  it.each([
    [{ date: "2024-05-14", type: "ESTIMATED" }, { date: "2027-05-09", type: "ESTIMATED" }, "2024-05-14", "2027-05-09"],
    [{ date: "2023-11-16", type: "ACTUAL" }, { date: "2025-10-30", type: "ESTIMATED" }, null, "2025-10-30"],
    [{ date: "2023-11", type: "ACTUAL" }, { date: "2024-07-16", type: "ACTUAL" }, null, null],
    [{ date: "2026-03", type: "ESTIMATED" }, { date: "2021-04", type: "ESTIMATED" }, "2026-03-01", null], // end before start: dropped
    [{ date: "2026-03", type: "ESTIMATED" }, { date: "2027-02", type: "ESTIMATED" }, "2026-03-01", "2027-02-28"],
    [{ date: "2006-01" }, undefined, null, null], // untyped (old records, CSV): a fact as stated, never expected
  ])("start %j, primary completion %j → %s … %s", (start, primaryCompletion, expectedStart, expectedEnd) => {
    const study = v2();
    const status = study.protocolSection.statusModule;
    status.startDateStruct = start;
    if (primaryCompletion) status.primaryCompletionDateStruct = primaryCompletion;
    else delete status.primaryCompletionDateStruct;
    const site = parsedSites(mapOne(study))[0]!;
    expect(site).toMatchObject({ expectedStart, expectedEnd, inclusionStart: null, inclusionEnd: null });
  });

  it("an impossible date still rejects the record, naming the field", () => {
    const study = v2();
    study.protocolSection.statusModule.startDateStruct.date = "2024-02-30";
    const result = parseCtgovJson(JSON.stringify(study), ctx, { now: NOW });
    expect(result.records).toEqual([]);
    expect(result.rejected).toEqual([
      expect.objectContaining({
        externalId: "NCT09999991",
        field: "statusModule.startDateStruct.date",
        message: expect.stringContaining("2024-02-30"),
      }),
    ]);
  });
});

describe("ctgov-json: sites come only from Norwegian locations, none invented, none dropped", () => {
  // [facility, city, organisationId, hospitalId, name kept]
  it.each([
    ["St.Olavs Hospital", "Trondheim", "st-olavs", "st-olavs-oya", "St.Olavs Hospital"],
    [
      "Norwegian University of Science and Technology",
      "Trondheim",
      null,
      null,
      "Norwegian University of Science and Technology",
    ],
    ["University of Bergen", "Bergen", null, null, "University of Bergen"],
    ["Frisklivssentralen Værnesregionen", "Stjørdal", null, null, "Frisklivssentralen Værnesregionen"],
    ["Research Site", "Oslo", null, null, "Research Site"],
    ["Pfizer Investigational Site", "Moelv", null, null, "Pfizer Investigational Site"],
    [null, "Tønsberg", null, null, "Tønsberg"], // no facility: named by its city, not guessed to be Sykehuset i Vestfold
  ])("%s, %s → %s / %s", (facility, city, organisationId, hospitalId, name) => {
    const study = v2();
    study.protocolSection.contactsLocationsModule.locations = [
      loc(facility, city, { geoPoint: { lat: 60.1, lon: 10.2 } }),
    ];
    const site = parsedSites(mapOne(study))[0]!;
    expect(site).toMatchObject({ organisationId, hospitalId, name, city });
    if (organisationId === null) expect(site).toMatchObject({ lat: 60.1, lon: 10.2 });
  });

  it("keeps every Norwegian location, ignores foreign ones, and merges only true duplicates", () => {
    const study = v2();
    study.protocolSection.contactsLocationsModule.locations = [
      loc("Research Site", "Arendal"),
      loc("Research Site", "Drammen"),
      { facility: "Research Site", city: "Stockholm", country: "Sweden" },
      loc("Research Site", "Oslo"),
      loc("Research Site", "Tromsø"),
      loc("Research Site", "Oslo", { contacts: [{ name: "Second Oslo Contact", email: "oslo2@example.org" }] }),
    ];
    const record = mapOne(study);
    const sites = parsedSites(record);
    expect(sites.map((s) => [s.name, s.city, s.organisationId])).toEqual([
      ["Research Site", "Arendal", null],
      ["Research Site", "Drammen", null],
      ["Research Site", "Oslo", null],
      ["Research Site", "Tromsø", null],
    ]);
    expect(sites[2]!.contact?.name).toBe("Second Oslo Contact"); // the merged duplicate's contact is kept
    expect(record.warnings.some((w) => w.includes("slått sammen"))).toBe(true);
  });

  it("locations with only the country become one unnamed site with a count", () => {
    const study = v2();
    study.protocolSection.contactsLocationsModule.locations = [
      { country: "Norway" },
      { country: "Norway" },
      loc("St.Olavs Hospital", "Trondheim"),
    ];
    const sites = parsedSites(mapOne(study));
    expect(sites.map((s) => [s.organisationId, s.name, s.unnamedCount])).toEqual([
      [null, null, 2],
      ["st-olavs", "St.Olavs Hospital", null],
    ]);
  });

  it("skips a record without a Norwegian location (as before)", () => {
    const study = v2();
    study.protocolSection.contactsLocationsModule.locations = [
      { facility: "Karolinska", city: "Stockholm", country: "Sweden" },
    ];
    const result = parseCtgovJson(JSON.stringify(study), ctx, { now: NOW });
    expect(result).toMatchObject({ records: [], rejected: [] });
    expect(result.skipped).toHaveLength(1);
  });
});

describe("ctgov-json: the lead is the record's own, the sender only owns", () => {
  // [lead sponsor as written, organisationId]
  it.each([
    ["St. Olavs Hospital", "st-olavs"],
    ["Sykehuset Innlandet HF", "sykehuset-innlandet"],
    ["Asker & Baerum Hospital", "vestre-viken"],
    ["Oslo University Hospital", "ous"],
    ["Norwegian University of Science and Technology", null],
    ["University of Bergen", null],
    ["Pfizer", null],
    ["St. Anna Kinderkrebsforschung", null],
  ])("lead sponsor %s → %s; leadOrganisationId stays the sender", (name, organisationId) => {
    const study = v2();
    study.protocolSection.sponsorCollaboratorsModule.leadSponsor.name = name;
    const record = mapOne(study);
    expect(record.study.lead).toEqual({ name, organisationId });
    expect(record.study.sponsor).toBe(name);
    expect(record.study.leadOrganisationId).toBe("unn"); // the sender, which has no site here
  });

  it("no lead sponsor → lead null (unknown), not the sender", () => {
    const study = v2();
    delete study.protocolSection.sponsorCollaboratorsModule;
    expect(mapOne(study).study.lead).toBeNull();
  });

  it("a registry import (leadFallback first-site) is owned by the lead's site, else the first registered site", () => {
    const study = v2();
    study.protocolSection.contactsLocationsModule.locations = [
      loc("Research Site", "Oslo"),
      loc("Haukeland University Hospital", "Bergen"),
      loc("St.Olavs Hospital", "Trondheim"),
    ];
    expect(mapOne(study, { now: NOW, leadFallback: "first-site" }).study.leadOrganisationId).toBe("st-olavs");
    study.protocolSection.sponsorCollaboratorsModule.leadSponsor.name = "Pfizer";
    expect(mapOne(study, { now: NOW, leadFallback: "first-site" }).study.leadOrganisationId).toBe("helse-bergen");
    study.protocolSection.contactsLocationsModule.locations = [loc("Research Site", "Oslo")];
    expect(mapOne(study, { now: NOW, leadFallback: "first-site" }).study.leadOrganisationId).toBe("unn");
  });
});

describe("ctgov-json: no field lost, unknown kept unknown", () => {
  it("maps every location contact (first → contact, rest → moreContacts) and every central contact", () => {
    const study = v2();
    study.protocolSection.contactsLocationsModule.locations[0].contacts = [
      { name: "First", role: "CONTACT", email: "first@example.org" },
      { name: "Investigator", role: "PRINCIPAL_INVESTIGATOR" }, // no e-mail or phone: not a contact
      { name: "Second", role: "BACKUP", phone: "+47 22 00 00 00", phoneExt: "12" },
      { name: "First", role: "CONTACT", email: "first@example.org" }, // listed twice
    ];
    study.protocolSection.contactsLocationsModule.centralContacts.push({
      name: "Backup Central",
      role: "BACKUP",
      email: "b@example.org",
    });
    const record = mapOne(study);
    const site = parsedSites(record)[0]!;
    expect(site.contact).toEqual({ name: "First", email: "first@example.org", phone: null });
    expect(site.moreContacts).toEqual([{ name: "Second", email: null, phone: "+47 22 00 00 00 ext. 12" }]);
    expect(record.study.contacts?.map((c) => c.name)).toEqual(["Central Contact", "Backup Central"]);
  });

  // [secondary ids, identifiers expected, otherIdentifiers expected]
  it.each([
    [[{ id: "REK 2019/1234" }], { rek: "2019/1234" }, []],
    [[{ id: "2019/1234" }], { rek: "2019/1234" }, []],
    [[{ id: "123456", type: "OTHER", domain: "REK" }], { rek: "123456" }, []],
    [
      [{ id: "654321", type: "OTHER", domain: "Regional Committees for Medical and Health Research Ethics" }],
      { rek: "654321" },
      [],
    ],
    [
      [{ id: "REK NR 2019/1031 7236" }],
      { rek: "2019/1031" },
      [{ scheme: "REK (as written)", value: "REK NR 2019/1031 7236", url: null }],
    ],
    [[{ id: "REK sør-øst" }], { rek: null }, [{ scheme: "REK (as written)", value: "REK sør-øst", url: null }]],
    [[{ id: "623308" }], { rek: null }, [{ scheme: "Other ID", value: "623308", url: null }]], // not labelled REK: not guessed
    [[{ id: "2022-002965-13", type: "EUDRACT_NUMBER" }], { eudract: "2022-002965-13" }, []],
    [[{ id: "EudraCT 2019-001234-12" }], { eudract: "2019-001234-12" }, []],
    [[{ id: "2023-501234-12-00", type: "CTIS" }], { euCt: "2023-501234-12-00", eudract: null }, []],
    [[{ id: "ISRCTN12345678", type: "REGISTRY", domain: "ISRCTN" }], { isrctn: "ISRCTN12345678" }, []],
    [
      [{ id: "U1111-1283-1888", type: "OTHER", domain: "WHO" }],
      {},
      [{ scheme: "WHO UTN", value: "U1111-1283-1888", url: null }],
    ],
    [
      [{ id: "R01CA123456", type: "NIH", link: "https://reporter.nih.gov/quickSearch/R01CA123456" }],
      {},
      [{ scheme: "NIH", value: "R01CA123456", url: "https://reporter.nih.gov/quickSearch/R01CA123456" }],
    ],
    [
      [{ id: "300123", type: "OTHER_GRANT", domain: "Research Council of Norway" }],
      {},
      [{ scheme: "Research Council of Norway (grant)", value: "300123", url: null }],
    ],
    [[{ id: "ONTIME" }], {}, [{ scheme: "Other ID", value: "ONTIME", url: null }]],
  ])("secondary ids %j", (secondaryIdInfos, identifiers, other) => {
    const study = v2();
    study.protocolSection.identificationModule.secondaryIdInfos = secondaryIdInfos;
    const record = mapOne(study);
    expect(record.study.identifiers).toMatchObject({ nct: "NCT09999991", ...identifiers });
    expect(record.study.otherIdentifiers).toEqual([
      { scheme: "Org Study ID", value: "SO-2023-01", url: null },
      ...other,
    ]);
  });

  it("keeps the official title, keywords, age groups, the registry link and the record's own links", () => {
    const study = v2();
    study.protocolSection.referencesModule = {
      seeAlsoLinks: [{ label: "Study site", url: "https://example.org/study" }, { url: "javascript:alert(1)" }],
    };
    const record = mapOne(study);
    expect(record.study.officialTitle).toBe("A Randomised Trial of a Digital Therapy for Insomnia in Adults");
    expect(record.study.keywords).toEqual(["CBT-I", "Fatigue"]);
    expect(record.study.eligibility?.ageGroups).toEqual(["ADULT", "OLDER_ADULT"]);
    expect(record.study.links).toEqual([
      { url: "https://clinicaltrials.gov/study/NCT09999991", label: "ClinicalTrials.gov" },
      { url: "https://example.org/study", label: "Study site" },
    ]);
  });

  it.each([
    [true, true],
    [false, false],
    [undefined, null], // the source says nothing: unknown, not "no"
  ])("healthyVolunteers %s → %s", (given, expected) => {
    const study = v2();
    if (given === undefined) delete study.protocolSection.eligibilityModule.healthyVolunteers;
    else study.protocolSection.eligibilityModule.healthyVolunteers = given;
    const record = mapOne(study);
    expect(record.study.eligibility?.healthyVolunteers).toBe(expected);
    expect(studyInputSchema.parse(record.study).eligibility.healthyVolunteers).toBe(expected);
  });

  it("is pure: the same input gives the same output and is not changed", () => {
    const study = v2();
    const before = JSON.stringify(study);
    const a = parseCtgovJson(JSON.stringify(study), ctx, { now: NOW });
    const b = parseCtgovJson(JSON.stringify(study), ctx, { now: new Date("2030-01-01T00:00:00Z") });
    expect(a).toEqual(b); // the clock only dates a status that has no date of its own
    expect(JSON.stringify(study)).toBe(before);
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
    expect(parseCtgovJson("{}", ctx).rejected).toEqual([
      expect.objectContaining({ ref: "record 1", field: "protocolSection" }),
    ]);
    const numbers = parseCtgovJson("[1, 2]", ctx);
    expect(numbers.rejected.map((r) => r.ref)).toEqual(["record 1", "record 2"]);
  });

  it("accepts an API page { studies: [...] } and a single pretty-printed study object", () => {
    const page = parseCtgovJson(JSON.stringify({ studies: [v2(), v2(), v2()], nextPageToken: "abc" }), ctx, {
      now: NOW,
    });
    expect(page.records.map((r) => r.ref)).toEqual(["record 1", "record 2", "record 3"]);
    const single = parseCtgovJson(Buffer.from(JSON.stringify(v2(), null, 2)), ctx, { now: NOW });
    expect(single.records).toHaveLength(1);
  });

  it("names the broken line in JSON Lines and still maps the good ones", () => {
    const text = `${JSON.stringify(v2())}\n{"protocolSection": \n${JSON.stringify(v2())}\n`;
    const result = parseCtgovJson(text, ctx, { now: NOW });
    expect(result.records.map((r) => r.ref)).toEqual(["line 1", "line 3"]);
    expect(result.rejected).toEqual([expect.objectContaining({ ref: "line 2", field: "input" })]);
  });

  it("rejects an absurd minimum age, naming the field", () => {
    const aged = v2();
    aged.protocolSection.eligibilityModule.minimumAge = "999999 Years";
    const result = parseCtgovJson(JSON.stringify([aged]), ctx, { now: NOW });
    expect(result.rejected).toEqual([
      expect.objectContaining({ ref: "record 1", externalId: "NCT09999991", field: "eligibilityModule.minimumAge" }),
    ]);
  });

  it("refuses a zip entry whose header claims 1 GB", () => {
    const zip = zipSync({ "NCT09999991.json": new TextEncoder().encode(JSON.stringify(v2())) }, { level: 0 });
    const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
    for (let i = 0; i + 4 <= zip.length; i++) {
      if (view.getUint32(i, true) === 0x04034b50) view.setUint32(i + 22, 0x40000000, true); // local header
      if (view.getUint32(i, true) === 0x02014b50) view.setUint32(i + 24, 0x40000000, true); // central directory
    }
    const result = parseCtgovJson(Buffer.from(zip), ctx);
    expect(result.records).toEqual([]);
    expect(result.rejected).toEqual([expect.objectContaining({ ref: "NCT09999991.json", field: "zip" })]);
  });

  it("refuses a deflate bomb (50 MB of zeros) and still reads the honest entries", () => {
    const honest = new TextEncoder().encode(JSON.stringify(v2()));
    const zip = zipSync({ "bomb.json": new Uint8Array(50 * 1024 * 1024), "NCT09999991.json": honest }, { level: 9 });
    expect(zip.length).toBeLessThan(1024 * 1024);
    const result = parseCtgovJson(Buffer.from(zip), ctx, { now: NOW });
    expect(result.rejected).toEqual([
      expect.objectContaining({
        ref: "bomb.json",
        field: "zip",
        message: expect.stringContaining("komprimeringsgrad"),
      }),
    ]);
    expect(result.records.map((r) => r.ref)).toEqual(["NCT09999991.json"]);
  });

  it("names the zip entry with broken JSON, and survives a truncated zip", () => {
    const good = new TextEncoder().encode(JSON.stringify(v2()));
    const zip = zipSync({
      "NCT00000001.json": new TextEncoder().encode('{"protocolSection": '),
      "NCT09999991.json": good,
    });
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

describe("parseCtgovCsv: the same rules for the website's Download CSV", () => {
  const header =
    "NCT Number,Study Title,Study URL,Acronym,Study Status,Brief Summary,Conditions,Interventions,Sponsor,Sex,Age,Phases,Enrollment,Study Type,Other IDs,Start Date,Primary Completion Date,Completion Date,First Posted,Last Update Posted,Locations";
  const row = (status: string, locations: string, otherIds = "", age = "ADULT") =>
    [
      "NCT09999992",
      "Music and pain",
      "https://clinicaltrials.gov/study/NCT09999992",
      "PM2",
      status,
      "A summary",
      "Pain|Healthy Volunteers",
      "OTHER: Music Listening",
      "University of Bergen",
      "ALL",
      age,
      "NA",
      "61",
      "INTERVENTIONAL",
      otherIds,
      "2025-03-01",
      "2025-04-20",
      "2025-04-20",
      "2025-05-07",
      "2025-05-07",
      locations,
    ]
      .map((v) => `"${v}"`)
      .join(",");

  // [Study Status, declared status, portal status at NOW]
  it.each([
    ["COMPLETED", "completed", "closed"],
    ["RECRUITING", "recruiting", "open"],
    ["ENROLLING_BY_INVITATION", "invitation_only", "invitation"],
    ["NOT_YET_RECRUITING", "not_yet_recruiting", "planned"],
    ["UNKNOWN", "unknown", "unknown"],
  ])("Study Status %s → declared %s (%s), dated by Last Update Posted", (status, declared, portal) => {
    const result = parseCtgovCsv(`${header}\n${row(status, "University of Bergen, Bergen, 5003, Norway")}\n`, ctx, {
      now: NOW,
    });
    expect(result.rejected).toEqual([]);
    const record = result.records[0]!;
    expectValid(record);
    const site = parsedSites(record)[0]!;
    expect(site).toMatchObject({
      organisationId: null,
      name: "University of Bergen",
      city: "Bergen",
      inclusionStart: null,
      inclusionEnd: null,
      expectedStart: null, // CSV dates have no type: never expected, never inclusion dates
      expectedEnd: null,
      declared: { status: declared, text: status, on: "2025-05-07", by: "ClinicalTrials.gov" },
    });
    expect(siteState(site, NOW).status).toBe(portal);
    expect(record.study.lead).toEqual({ name: "University of Bergen", organisationId: null });
    expect(record.study.leadOrganisationId).toBe("unn");
  });

  it("keeps age groups as groups (no hard limits), healthy volunteers unknown, and a REK number from Other IDs", () => {
    const result = parseCtgovCsv(
      `${header}\n${row("COMPLETED", "University of Bergen, Bergen, 5003, Norway", "REK NR 2019/1031 7236", "CHILD, ADULT")}\n`,
      ctx,
      { now: NOW },
    );
    const record = result.records[0]!;
    expectValid(record);
    expect(record.study.eligibility).toMatchObject({
      minAgeYears: null,
      maxAgeYears: null,
      ageGroups: ["CHILD", "ADULT"],
      healthyVolunteers: null,
    });
    expect(record.study.identifiers?.rek).toBe("2019/1031");
    expect(record.study.conditions).toContain("Healthy Volunteers"); // a condition term, not the eligibility flag
  });

  it("keeps every Norwegian location, registered only by name", () => {
    const locations =
      "Haukeland University Hospital, Bergen, Norway|Research Site, Tønsberg, 3103, Norway|Karolinska, Stockholm, Sweden";
    const record = parseCtgovCsv(`${header}\n${row("RECRUITING", locations)}\n`, ctx, { now: NOW }).records[0]!;
    expect(parsedSites(record).map((s) => [s.organisationId, s.hospitalId, s.name, s.city])).toEqual([
      ["helse-bergen", "helse-bergen-haukeland", "Haukeland University Hospital", "Bergen"],
      [null, null, "Research Site", "Tønsberg"],
    ]);
  });

  it("rejects broken CSV and short rows without throwing", () => {
    expect(parseCtgovCsv('NCT Number,"Study Title\n', ctx).rejected).toHaveLength(1);
    const short = "NCT Number,Study Title,Study Status,Study Type,Start Date,Primary Completion Date,Locations";
    const result = parseCtgovCsv(`${short}\nNCT01234567,Short\n`, ctx, { norwayOnly: false });
    expect(result.rejected).toEqual([expect.objectContaining({ ref: "line 2", field: "input" })]);
  });
});
