/**
 * Study → FHIR R4 ResearchStudy (app/fhir/research-study.ts): the ECLAIRE recruitment-period
 * extension per site and for the study, R5 progressStatus/recruitment, derived status, and the
 * pure round trip through our own FHIR ingest mapper.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  CONTAINED_ID,
  EXTENSION,
  HOSPITAL_ID_SYSTEM,
  ICD10_NO_SYSTEM,
  IDENTIFIER_SYSTEM,
  ORGANISATION_ID_SYSTEM,
} from "#app/fhir/constants";
import { effectiveLastUpdated, overallWindow, toResearchStudy, type FhirJson } from "#app/fhir/research-study";
import { eclaireRecruitmentStatus, r4StatusOfSite, r4StatusOfStudy } from "#app/fhir/status";
import { parseFhirResearchStudy } from "#app/ingest/mappers/fhir-research-study";
import type { OrganisationRef } from "#app/ingest/types";
import type { SiteRecord, StudyRecord } from "#app/models/study.server";

const organisations = JSON.parse(
  readFileSync(path.resolve(process.cwd(), "data/reference/organisations.json"), "utf8"),
) as OrganisationRef[];
const NOW = new Date("2026-06-15T10:00:00Z"); // 12:00 in Oslo
const TODAY = "2026-06-15";

let nextSiteId = 100;
function site(organisationId: string, hospitalId: string | null, extra: Partial<SiteRecord> = {}): SiteRecord {
  const org = organisations.find((o) => o.id === organisationId)!;
  const hospital = hospitalId ? org.hospitals.find((h) => h.id === hospitalId)! : null;
  return {
    id: nextSiteId++,
    organisationId,
    organisationName: org.name,
    regionId: org.regionId,
    regionName: "Region",
    hospitalId,
    hospitalName: hospital?.name ?? null,
    municipality: hospital?.municipality ?? null,
    lat: hospital?.lat ?? null,
    lon: hospital?.lon ?? null,
    name: null,
    city: null,
    unnamedCount: null,
    expectedStart: null,
    expectedEnd: null,
    declared: null,
    moreContacts: [],
    inclusionStart: null,
    inclusionEnd: null,
    paused: false,
    pauseReason: null,
    contact: null,
    referral: null,
    withdrawn: false,
    ...extra,
  };
}

function fixture(): StudyRecord {
  return {
    id: 42,
    identifiers: {
      nct: "NCT90000042",
      euCt: "2099-500042-31-00",
      eudract: "2019-001234-12",
      isrctn: "ISRCTN90000042",
      rek: "2019/1234",
    },
    localIds: [{ organisationId: "ous", localId: "ous-42" }],
    title: {
      nb: "Immunterapi <før> operasjon & brystkreft",
      nn: "Immunterapi før operasjon ved brystkreft",
      en: "Immunotherapy before surgery",
    },
    shortTitle: { nb: "IMMU-42", en: "IMMU-42 (en)" },
    summary: { nb: "Vi prøver ut en ny behandling.", en: "We test a new treatment." },
    scientificSummary: {},
    participation: {},
    studyType: "treatment",
    phase: "phase_1_2",
    categories: ["cancer"],
    conditions: ["Brystkreft", "Trippel-negativ brystkreft"],
    icd10: ["C50", "C509"],
    snomed: ["254837009"],
    interventions: [{ type: "drug", name: "Pembrolizumab", description: null }],
    eligibility: {
      minAgeYears: 18,
      maxAgeYears: 75,
      sex: "female",
      healthyVolunteers: false,
      ageGroups: [],
      inclusionCriteria: { nb: "- Alder 18–75 år" },
      exclusionCriteria: { nb: "- Gravid" },
    },
    sponsor: "Oslo universitetssykehus HF",
    lead: null,
    officialTitle: null,
    firstPosted: null,
    keywords: [],
    otherIdentifiers: [],
    leadOrganisationId: "ous",
    principalInvestigator: { name: "Kari Nordmann", title: "Overlege", organisationId: "ous" },
    contacts: [
      { name: "Studiesykepleier", email: "studie@example.no", phone: "+47 00 00 00 00", role: "public" },
      { name: "Forsker", email: "forsker@example.no", phone: null, role: "scientific" },
    ],
    links: [{ url: "https://example.no/studie", label: "Mer om studien" }],
    targetEnrolment: 120,
    publicationState: "published",
    isDemo: false,
    currentVersion: 3,
    createdAt: "2026-01-01T08:00:00.000Z",
    updatedAt: "2026-01-10T08:00:00.000Z",
    publishedAt: "2026-01-02T08:00:00.000Z",
    leadOrganisation: {
      id: "ous",
      name: "Oslo universitetssykehus HF",
      shortName: "OUS",
      regionId: "helse-sor-ost",
      regionName: "Helse Sør-Øst",
    },
    categoryNames: { cancer: "Kreft" },
    icd10Names: { C50: "Ondartet svulst i brystkjertel", C509: "Ondartet svulst i bryst, uspesifisert" },
    sites: [
      site("ous", "ous-rikshospitalet", {
        inclusionStart: "2026-01-01",
        inclusionEnd: "2026-12-31",
        contact: { name: "Ola Kontakt", email: "ola@example.no", phone: "+47 00 00 00 01" },
        referral: "Henvis via DIPS til onkologisk poliklinikk",
      }),
      site("helse-bergen", null, { inclusionStart: "2026-09-01" }),
      site("st-olavs", "st-olavs-oya", { inclusionStart: "2025-01-01", inclusionEnd: "2026-03-31" }),
      site("unn", "unn-tromso", {
        inclusionStart: "2026-02-01",
        paused: true,
        pauseReason: "Venter på ny legemiddelleveranse",
      }),
      // A private hospital whose organisation and hospital have the same name: matched by id.
      site("lovisenberg", null, { inclusionStart: TODAY, inclusionEnd: TODAY }),
      // Closed and paused: closed wins for the status, the pause is kept.
      site("sunnaas", "sunnaas-nesodden", {
        inclusionStart: "2025-01-01",
        inclusionEnd: "2026-01-01",
        paused: true,
        pauseReason: "Stanset av sponsor",
      }),
      site("ahus", "ahus-nordbyhagen", { inclusionStart: "2026-01-01", withdrawn: true }),
    ],
  };
}

const options = { now: NOW, portalUrl: "https://portal.example.no/" };
const contained = (r: FhirJson) => r.contained as FhirJson[];
const ext = (r: FhirJson, url: string) => ((r.extension as FhirJson[] | undefined) ?? []).filter((e) => e.url === url);
const siteStudy = (r: FhirJson, s: SiteRecord) => contained(r).find((c) => c.id === CONTAINED_ID.siteStudy(s.id))!;

describe("status in FHIR's words", () => {
  it("maps each derived status to R4 ResearchStudy.status", () => {
    expect(r4StatusOfSite("planned")).toBe("approved");
    expect(r4StatusOfSite("open")).toBe("active");
    expect(r4StatusOfSite("paused")).toBe("temporarily-closed-to-accrual");
    expect(r4StatusOfSite("closed")).toBe("closed-to-accrual");
    expect(r4StatusOfStudy("no_sites")).toBe("approved");
    expect(eclaireRecruitmentStatus("open")?.code).toBe("recruiting");
    expect(eclaireRecruitmentStatus("closed")?.code).toBe("completed-recruiting");
    expect(eclaireRecruitmentStatus("planned")).toBeNull();
  });
});

describe("toResearchStudy", () => {
  const study = fixture();
  const r = toResearchStudy(study, options);
  const [riks, bergen, olavs, unn, lovisenberg, sunnaas, ahus] = study.sites as [
    SiteRecord,
    SiteRecord,
    SiteRecord,
    SiteRecord,
    SiteRecord,
    SiteRecord,
    SiteRecord,
  ];

  it("is an R4 ResearchStudy with the study's id, derived status and Norwegian language", () => {
    expect(r).toMatchObject({ resourceType: "ResearchStudy", id: "42", language: "nb", status: "active" });
    expect(r.title).toBe(study.title.nb);
    expect(r.description).toBe(study.summary.nb);
  });

  it("writes every registry identifier with its documented system, and local ids", () => {
    expect(r.identifier).toEqual([
      { system: IDENTIFIER_SYSTEM.nct, value: "NCT90000042" },
      { system: IDENTIFIER_SYSTEM.euCt, value: "2099-500042-31-00" },
      { system: IDENTIFIER_SYSTEM.eudract, value: "2019-001234-12" },
      { system: IDENTIFIER_SYSTEM.isrctn, value: "ISRCTN90000042" },
      { system: IDENTIFIER_SYSTEM.rek, value: "2019/1234" },
      { system: "https://kliniskestudier.no/fhir/sid/local-id/ous", value: "ous-42" },
    ]);
    expect(IDENTIFIER_SYSTEM.nct).toBe("https://clinicaltrials.gov");
  });

  it("expresses each active site as a Location plus a site-level ResearchStudy with the ECLAIRE period and derived status", () => {
    const expected: [SiteRecord, string, { start?: string; end?: string } | undefined][] = [
      [riks, "active", { start: "2026-01-01", end: "2026-12-31" }],
      [bergen, "approved", { start: "2026-09-01" }],
      [olavs, "closed-to-accrual", { start: "2025-01-01", end: "2026-03-31" }],
      [unn, "temporarily-closed-to-accrual", { start: "2026-02-01" }],
      [lovisenberg, "active", { start: TODAY, end: TODAY }],
      [sunnaas, "closed-to-accrual", { start: "2025-01-01", end: "2026-01-01" }],
    ];
    for (const [s, status, period] of expected) {
      const sub = siteStudy(r, s);
      expect(sub, `site ${s.organisationId}`).toMatchObject({
        resourceType: "ResearchStudy",
        status,
        partOf: [{ reference: "#" }],
      });
      expect((sub.site as FhirJson[])[0]!.reference).toBe(`#${CONTAINED_ID.location(s.id)}`);
      expect(ext(sub, EXTENSION.eclaireRecruitmentPeriod).map((e) => e.valuePeriod)).toEqual([period]);
    }
    expect(siteStudy(r, unn).reasonStopped).toEqual({ text: "Venter på ny legemiddelleveranse" });
    // The status in words with its basis, then how to refer.
    expect(siteStudy(r, riks).note).toEqual([
      { text: "Status: Åpen for inklusjon til 31. desember 2026" },
      { text: "Henvis via DIPS til onkologisk poliklinikk" },
    ]);
    // The withdrawn site is not exported at all.
    expect(
      contained(r).some((c) => c.id === CONTAINED_ID.siteStudy(ahus.id) || c.id === CONTAINED_ID.location(ahus.id)),
    ).toBe(false);
    expect((r.site as FhirJson[]).map((s) => s.reference)).toEqual(
      [riks, bergen, olavs, unn, lovisenberg, sunnaas].map((s) => `#${CONTAINED_ID.location(s.id)}`),
    );
  });

  it("writes the R5 progressStatus shape per site: recruitment period (actual once started), pause, current state", () => {
    const states = (s: SiteRecord) =>
      ext(siteStudy(r, s), EXTENSION.r5ProgressStatus).map((e) => {
        const parts = e.extension as FhirJson[];
        const state = (
          (parts.find((p) => p.url === "state")!.valueCodeableConcept as FhirJson).coding as FhirJson[]
        )[0]!.code;
        return [
          state,
          parts.find((p) => p.url === "actual")!.valueBoolean,
          parts.find((p) => p.url === "period")?.valuePeriod,
        ];
      });
    expect(states(riks)).toEqual([["recruiting", true, { start: "2026-01-01", end: "2026-12-31" }]]);
    expect(states(bergen)).toEqual([
      ["recruiting", false, { start: "2026-09-01" }],
      ["not-yet-recruiting", true, undefined],
    ]);
    expect(states(unn)).toEqual([
      ["recruiting", true, { start: "2026-02-01" }],
      ["temporarily-closed-to-accrual", true, undefined],
    ]);
    expect(states(sunnaas)).toEqual([
      ["recruiting", true, { start: "2025-01-01", end: "2026-01-01" }],
      ["temporarily-closed-to-accrual", true, undefined],
      ["closed-to-accrual", true, undefined],
    ]);
  });

  it("gives the study the overall recruitment period and the R5 recruitment shape", () => {
    // Earliest start; no end because some sites are open-ended.
    expect(ext(r, EXTENSION.eclaireRecruitmentPeriod).map((e) => e.valuePeriod)).toEqual([{ start: "2025-01-01" }]);
    const recruitment = ext(r, EXTENSION.r5Recruitment)[0]!.extension as FhirJson[];
    expect(recruitment).toEqual([
      { url: "targetNumber", valueUnsignedInt: 120 },
      { url: "eligibility", valueReference: { reference: "#eligibility" } },
    ]);
    expect(
      overallWindow([
        { inclusionStart: "2026-03-01", inclusionEnd: "2026-04-01", paused: false },
        { inclusionStart: "2026-01-01", inclusionEnd: "2026-05-01", paused: false },
      ]),
    ).toEqual({
      start: "2026-01-01",
      end: "2026-05-01",
    });
  });

  it("identifies each Location by the portal's organisation/hospital id, with town, country and position", () => {
    const loc = contained(r).find((c) => c.id === CONTAINED_ID.location(riks.id))!;
    expect(loc).toMatchObject({
      resourceType: "Location",
      name: "Rikshospitalet",
      alias: ["Oslo universitetssykehus HF"],
      identifier: [
        { system: ORGANISATION_ID_SYSTEM, value: "ous" },
        { system: HOSPITAL_ID_SYSTEM, value: "ous-rikshospitalet" },
      ],
      address: { city: "Oslo", country: "NO" },
      managingOrganization: { display: "Oslo universitetssykehus HF" },
    });
    expect((loc.telecom as FhirJson[])[0]).toMatchObject({
      system: "email",
      value: "ola@example.no",
      extension: [{ url: EXTENSION.eclaireSiteContactName, valueHumanName: { text: "Ola Kontakt" } }],
    });
    const lov = contained(r).find((c) => c.id === CONTAINED_ID.location(lovisenberg.id))!;
    expect(lov.identifier).toEqual([{ system: ORGANISATION_ID_SYSTEM, value: "lovisenberg" }]);
  });

  it("codes conditions: texts as text, ICD-10 and SNOMED CT as codes without display", () => {
    expect(r.condition).toEqual([
      { text: "Brystkreft" },
      { text: "Trippel-negativ brystkreft" },
      { coding: [{ system: ICD10_NO_SYSTEM, code: "C50" }] },
      { coding: [{ system: ICD10_NO_SYSTEM, code: "C509" }] },
      { coding: [{ system: "http://snomed.info/sct", code: "254837009" }] },
    ]);
  });

  it("writes translations, the acronym label and the eligibility Group", () => {
    expect(r._title).toEqual({
      extension: [
        {
          url: EXTENSION.translation,
          extension: [
            { url: "lang", valueCode: "nn" },
            { url: "content", valueString: study.title.nn },
          ],
        },
        {
          url: EXTENSION.translation,
          extension: [
            { url: "lang", valueCode: "en" },
            { url: "content", valueString: study.title.en },
          ],
        },
      ],
    });
    const label = ext(r, EXTENSION.r5Label)[0]!.extension as FhirJson[];
    expect(label.find((p) => p.url === "value")!.valueString).toBe("IMMU-42");
    const group = contained(r).find((c) => c.id === "eligibility")!;
    expect(group).toMatchObject({ resourceType: "Group", type: "person", actual: false, quantity: 120 });
    const characteristic = group.characteristic as FhirJson[];
    expect(characteristic.map((c) => (c.code as FhirJson).text)).toEqual([
      "Genders",
      "Age range",
      "Healthy volunteers",
      "Inclusion criteria",
      "Exclusion criteria",
    ]);
    expect(characteristic[1]!.valueRange).toEqual({
      low: { value: 18, unit: "år", system: "http://unitsofmeasure.org", code: "a" },
      high: { value: 75, unit: "år", system: "http://unitsofmeasure.org", code: "a" },
    });
    expect(characteristic[4]!.exclude).toBe(true);
  });

  it("has no dangling contained references and unique contained ids", () => {
    const ids = contained(r).map((c) => c.id as string);
    expect(new Set(ids).size).toBe(ids.length);
    const refs: string[] = [];
    const walk = (v: unknown) => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === "object") {
        for (const [k, x] of Object.entries(v)) {
          if (k === "reference" && typeof x === "string") refs.push(x);
          else walk(x);
        }
      }
    };
    walk(r);
    for (const ref of refs) {
      expect(ref.startsWith("#"), ref).toBe(true);
      if (ref !== "#") expect(ids, ref).toContain(ref.slice(1));
    }
  });

  it("escapes the narrative", () => {
    const div = (r.text as FhirJson).div as string;
    expect(div).toContain("Immunterapi &lt;før&gt; operasjon &amp; brystkreft");
    expect(div).not.toContain("<før>");
    expect(div.startsWith('<div xmlns="http://www.w3.org/1999/xhtml">')).toBe(true);
  });

  it("moves meta.lastUpdated to the latest window opening/closing up to now (status is derived)", () => {
    // Lovisenberg opened today at 00:00 Oslo = 2026-06-14T22:00Z, later than the stored change.
    expect((r.meta as FhirJson).lastUpdated).toBe("2026-06-14T22:00:00.000Z");
    expect(
      effectiveLastUpdated(
        "2026-01-10T08:00:00.000Z",
        [{ inclusionStart: "2026-09-01", inclusionEnd: null, paused: false }],
        NOW,
      ),
    ).toBe("2026-01-10T08:00:00.000Z");
    // The day after the last inclusion day closes the window (Oslo midnight, summer time).
    expect(
      effectiveLastUpdated(
        "2026-01-10T08:00:00.000Z",
        [{ inclusionStart: "2026-02-01", inclusionEnd: "2026-05-31", paused: false }],
        NOW,
      ),
    ).toBe("2026-05-31T22:00:00.000Z");
  });

  it("marks demo studies as test data", () => {
    expect((r.meta as FhirJson).tag).toBeUndefined();
    const demo = toResearchStudy({ ...fixture(), isDemo: true }, options);
    expect((demo.meta as FhirJson).tag).toEqual([
      { system: "http://terminology.hl7.org/CodeSystem/v3-ActReason", code: "HTEST", display: "test health data" },
    ]);
    expect((demo.text as FhirJson).div as string).toContain("Demodata");
  });

  it("a study without active sites: status approved, no recruitment period", () => {
    const none = toResearchStudy({ ...fixture(), sites: [] }, options);
    expect(none.status).toBe("approved");
    expect(ext(none, EXTENSION.eclaireRecruitmentPeriod)).toEqual([]);
    expect(none.site).toBeUndefined();
  });
});

describe("the source's first publication (ADR 0028)", () => {
  const registration = (resource: FhirJson) =>
    (resource.extension as FhirJson[]).filter(
      (e) => e.url === "http://hl7.org/fhir/StructureDefinition/researchStudy-studyRegistration",
    );
  const back = (resource: FhirJson) =>
    parseFhirResearchStudy(JSON.stringify(resource), { organisationId: "ous", organisations }, { today: TODAY })
      .records[0]!.study.firstPosted;

  it("is written as the HL7 study-registration extension (registration-posting) and read back", () => {
    const study = {
      ...fixture(),
      firstPosted: { date: "2019-03-14", basis: "ctgov:studyFirstPostDateStruct", type: "actual" as const },
    };
    const resource = toResearchStudy(study, options);
    expect(registration(resource)).toEqual([
      {
        url: "http://hl7.org/fhir/StructureDefinition/researchStudy-studyRegistration",
        extension: [
          {
            url: "activity",
            valueCodeableConcept: {
              coding: [
                {
                  system: "http://hl7.org/fhir/research-study-registration-activity",
                  code: "registration-posting",
                  display: "Registration posting",
                },
              ],
            },
          },
          { url: "actual", valueBoolean: true },
          { url: "period", valuePeriod: { start: "2019-03-14" } },
        ],
      },
    ]);
    expect(back(resource)).toEqual({
      date: "2019-03-14",
      basis: "fhir:researchStudy-studyRegistration",
      type: "actual",
    });
  });

  it("says actual only when the source did (ESTIMATED is not the extension's 'anticipated'), and nothing without a date", () => {
    const estimated = toResearchStudy(
      { ...fixture(), firstPosted: { date: "2006-01-09", basis: "ctgov:studyFirstPostDateStruct", type: "estimated" } },
      options,
    );
    expect(JSON.stringify(registration(estimated))).not.toContain('"actual"');
    expect(back(estimated)).toEqual({ date: "2006-01-09", basis: "fhir:researchStudy-studyRegistration", type: null });
    const none = toResearchStudy(fixture(), options);
    expect(registration(none)).toEqual([]);
    expect(back(none)).toBeNull();
  });
});

describe("round trip through our FHIR ingest mapper (pure)", () => {
  it("gives back the same identifiers, texts, sites with their windows, conditions and eligibility", () => {
    const study = fixture();
    const resource = toResearchStudy(study, options);
    const result = parseFhirResearchStudy(
      JSON.stringify(resource),
      { organisationId: "ous", organisations },
      { today: TODAY },
    );
    expect(result.rejected).toEqual([]);
    const back = result.records[0]!.study;
    expect(back.identifiers).toEqual({
      nct: "NCT90000042",
      euCt: "2099-500042-31-00",
      eudract: "2019-001234-12",
      isrctn: "ISRCTN90000042",
      rek: "2019/1234",
    });
    expect(back.title).toEqual(study.title);
    expect(back.shortTitle).toEqual(study.shortTitle);
    expect(back.summary).toEqual(study.summary);
    expect(back.conditions).toEqual(study.conditions);
    expect(back.icd10).toEqual(study.icd10);
    expect(back.snomed).toEqual(study.snomed);
    expect(back.eligibility).toMatchObject({ sex: "female", minAgeYears: 18, maxAgeYears: 75 });
    expect(back).toMatchObject({
      studyType: "treatment",
      phase: "phase_1_2",
      sponsor: study.sponsor,
      targetEnrolment: 120,
      leadOrganisationId: "ous",
      publicationState: "published",
    });
    const sites = (back.sites ?? []).map((s) => ({
      organisationId: s.organisationId,
      hospitalId: s.hospitalId ?? null,
      inclusionStart: s.inclusionStart ?? null,
      inclusionEnd: s.inclusionEnd ?? null,
      paused: s.paused ?? false,
      pauseReason: s.pauseReason ?? null,
      withdrawn: s.withdrawn ?? false,
    }));
    expect(sites).toEqual(
      study.sites
        .filter((s) => !s.withdrawn)
        .map((s) => ({
          organisationId: s.organisationId,
          hospitalId: s.hospitalId,
          inclusionStart: s.inclusionStart,
          inclusionEnd: s.inclusionEnd,
          paused: s.paused,
          pauseReason: s.pauseReason,
          withdrawn: false,
        })),
    );
    // Norwegian text is recognised as such: no "ingen norsk tekst" warning.
    expect(result.records[0]!.warnings.some((w) => w.includes("ingen norsk tekst"))).toBe(false);
  });
});

describe("the FHIR ingest mapper's reading of site-level studies (what the export relies on)", () => {
  const ctx = { organisationId: "ous", organisations };
  const loc = (id: string, org: string, hospital?: string) => ({
    resourceType: "Location",
    id,
    name: "Navn som ikke matcher",
    identifier: [
      { system: ORGANISATION_ID_SYSTEM, value: org },
      ...(hospital ? [{ system: HOSPITAL_ID_SYSTEM, value: hospital }] : []),
    ],
    address: { country: "NO" },
  });
  const siteStudyOf = (id: string, location: string, extra: Record<string, unknown>) => ({
    resourceType: "ResearchStudy",
    id,
    partOf: [{ reference: "#" }],
    site: [{ reference: `#${location}` }],
    status: "active",
    ...extra,
  });
  const study = (contained: unknown[], site: string[], extra: Record<string, unknown> = {}) => ({
    resourceType: "ResearchStudy",
    id: "x1",
    language: "nb",
    title: "Tittel",
    description: "Sammendrag",
    status: "active",
    identifier: [
      { system: IDENTIFIER_SYSTEM.rek, value: "123456" },
      { value: "654321" }, // a bare number is not taken as REK
    ],
    extension: [{ url: EXTENSION.eclaireRecruitmentPeriod, valuePeriod: { start: "2026-01-01" } }],
    contained,
    site: site.map((s) => ({ reference: `#${s}` })),
    ...extra,
  });
  const map = (input: unknown) => parseFhirResearchStudy(JSON.stringify(input), ctx, { today: TODAY });

  it("each site gets its own window; a site without a site-level study gets the study's", () => {
    const r = map(
      study(
        [
          loc("a", "ous", "ous-ulleval"),
          loc("b", "helse-bergen"),
          siteStudyOf("sa", "a", {
            extension: [
              { url: EXTENSION.eclaireRecruitmentPeriod, valuePeriod: { start: "2026-03-01", end: "2026-05-31" } },
            ],
            status: "closed-to-accrual",
          }),
        ],
        ["a", "b"],
      ),
    );
    expect(r.rejected).toEqual([]);
    const study0 = r.records[0]!.study;
    expect(study0.identifiers).toMatchObject({ rek: "123456" });
    expect(study0.sites).toEqual([
      expect.objectContaining({
        organisationId: "ous",
        hospitalId: "ous-ulleval",
        inclusionStart: "2026-03-01",
        inclusionEnd: "2026-05-31",
        paused: false,
      }),
      expect.objectContaining({
        organisationId: "helse-bergen",
        hospitalId: null,
        inclusionStart: "2026-01-01",
        inclusionEnd: null,
      }),
    ]);
  });

  it("a bad date in a site-level study rejects the record naming that site", () => {
    const r = map(
      study(
        [
          loc("a", "ous"),
          loc("b", "unn"),
          siteStudyOf("sb", "b", {
            extension: [{ url: EXTENSION.eclaireRecruitmentPeriod, valuePeriod: { start: "2026-02-30" } }],
          }),
        ],
        ["a", "b"],
      ),
    );
    expect(r.records).toEqual([]);
    expect(r.rejected).toEqual([
      expect.objectContaining({
        externalId: "x1",
        field: "sites.1.inclusionStart",
        message: expect.stringContaining("contained[sb]"),
      }),
    ]);
  });

  it("ignores contained studies that are not part of this study, and a hospital id of another organisation", () => {
    const r = map(
      study(
        [
          { ...loc("a", "ous", "helse-bergen-haukeland"), name: "Rikshospitalet" },
          { ...siteStudyOf("sa", "a", { status: "withdrawn" }), partOf: [{ reference: "ResearchStudy/other" }] },
        ],
        ["a"],
      ),
    );
    // Falls back to the name match and the study's own window.
    expect(r.records[0]!.study.sites).toEqual([
      expect.objectContaining({
        organisationId: "ous",
        hospitalId: "ous-rikshospitalet",
        inclusionStart: "2026-01-01",
        withdrawn: false,
      }),
    ]);
  });
});
