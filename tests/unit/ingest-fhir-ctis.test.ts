/**
 * FHIR R4 ResearchStudy and EU CTIS CSV mappers: small inline records, one rule each, that run
 * everywhere. The real files are tested in real-data-fhir.test.ts and real-data-ctis.test.ts.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { describeProblems, studyInputSchema } from "#app/domain/study";
import {
  CTIS_STATUSES,
  ctisStatus,
  mapAges,
  NORWAY_UNNAMED_SITE,
  parseCtisCsv,
  splitProducts,
} from "#app/ingest/mappers/ctis-csv.server";
import {
  ECLAIRE_RECRUITMENT_PERIOD_URL,
  FHIR_STATUSES,
  parseFhirResearchStudy,
} from "#app/ingest/mappers/fhir-research-study";
import { EXTENSION, ORGANISATION_ID_SYSTEM } from "#app/fhir/constants";
import type { MapContext, MappedRecord, MapResult, OrganisationRef } from "#app/ingest/types";

const organisations = JSON.parse(
  readFileSync(path.resolve(process.cwd(), "data/reference/organisations.json"), "utf8"),
) as OrganisationRef[];
const ctx: MapContext = { organisationId: "ous", organisations };
const TODAY = "2025-06-01";

function expectValid(record: MappedRecord) {
  const parsed = studyInputSchema.safeParse(record.study);
  if (!parsed.success) {
    throw new Error(
      `${record.ref} (${record.externalId}) fails the schema: ${JSON.stringify(describeProblems(parsed.error))}`,
    );
  }
}

const fhir = (input: unknown, today = TODAY): MapResult =>
  parseFhirResearchStudy(typeof input === "string" ? input : JSON.stringify(input), ctx, { today });
const one = (input: unknown, today = TODAY) => {
  const r = fhir(input, today);
  expect(r.rejected).toEqual([]);
  expect(r.records).toHaveLength(1);
  expectValid(r.records[0]!);
  return r.records[0]!;
};

const minimalStudy = (extra: Record<string, unknown> = {}) => ({
  resourceType: "ResearchStudy",
  id: "test-1",
  meta: { lastUpdated: "2025-03-10T08:00:00Z" },
  title: "En testing av noe",
  status: "active",
  description: "Et sammendrag",
  ...extra,
});
/** A registry record recruiting in Norway (country only, no site named). */
const inNorway = (extra: Record<string, unknown> = {}) =>
  minimalStudy({ location: [{ coding: [{ system: "urn:iso:std:iso:3166", code: "NO" }] }], ...extra });
const period = (start?: string, end?: string) => ({
  url: ECLAIRE_RECRUITMENT_PERIOD_URL,
  valuePeriod: { ...(start ? { start } : {}), ...(end ? { end } : {}) },
});

describe("FHIR ResearchStudy: sites only where the resource names a place", () => {
  it("no site, no Norwegian country → the study is kept without sites; the sender is not a site", () => {
    const r = one(minimalStudy({ location: [{ coding: [{ code: "FR" }] }] }));
    expect(r.study.sites).toEqual([]);
    expect(r.study.leadOrganisationId).toBe("ous"); // the portal owner is the sender…
    expect(r.study.lead).toBeNull(); // …but not the study's lead
    expect(r.warnings.some((w) => w.includes("ingen norske steder") && w.includes("«active»"))).toBe(true);
  });

  it("country NO without a named site → one unnamed Norwegian site with the declared status", () => {
    const r = one(inNorway({ status: "approved", extension: [period("2023-02-01T00:00:00.000Z")] }));
    expect(r.study.sites).toEqual([
      expect.objectContaining({
        organisationId: null,
        name: NORWAY_UNNAMED_SITE,
        unnamedCount: null,
        inclusionStart: null,
        inclusionEnd: null,
        expectedStart: "2023-02-01",
        declared: {
          status: "not_yet_recruiting",
          text: "approved",
          on: "2025-03-10",
          by: "Oslo universitetssykehus HF",
        },
      }),
    ]);
  });

  it("Norwegian Locations: registered ones matched, others kept as written (name, city, position); foreign ones left out", () => {
    const r = one(
      minimalStudy({
        contained: [
          { resourceType: "Location", id: "l1", name: "Rikshospitalet", address: { country: "NO" } },
          {
            resourceType: "Location",
            id: "l2",
            name: "Haukeland universitetssjukehus",
            address: { country: "Norway" },
          },
          { resourceType: "Location", id: "l3", name: "CHU de Lyon", address: { country: "FR" } },
          {
            resourceType: "Location",
            id: "l4",
            name: "Frisklivssentralen Værnesregionen",
            address: { city: "Stjørdal", country: "NO" },
            position: { latitude: 63.47, longitude: 10.92 },
          },
          {
            resourceType: "Location",
            id: "l5",
            name: "Norwegian University of Science and Technology",
            address: { city: "Trondheim", country: "NO" },
          },
        ],
        site: [
          { reference: "#l1" },
          { reference: "#l2" },
          { reference: "#l3" },
          { reference: "#l4" },
          { reference: "#l5" },
          { reference: "Location/missing" },
        ],
      }),
    );
    expect(r.study.sites!.map((s) => [s.organisationId, s.hospitalId ?? null, s.name ?? null, s.city ?? null])).toEqual(
      [
        ["ous", "ous-rikshospitalet", null, null],
        ["helse-bergen", "helse-bergen-haukeland", null, null],
        [null, null, "Frisklivssentralen Værnesregionen", "Stjørdal"],
        [null, null, "Norwegian University of Science and Technology", "Trondheim"], // a university is not a hospital
      ],
    );
    expect(r.study.sites![2]).toMatchObject({ lat: 63.47, lon: 10.92 });
    for (const s of r.study.sites!) expect(s.declared).toMatchObject({ status: "recruiting", on: "2025-03-10" });
    expect(r.warnings.some((w) => w.includes("Location/missing"))).toBe(true);
    expect(r.warnings.some((w) => w.includes("1 sted(er) utenfor Norge"))).toBe(true);
  });

  it("a Location with the portal's own organisation id takes the study's recruitment period as firm dates", () => {
    const r = one(
      minimalStudy({
        extension: [period("2025-01-01", "2025-12-31")],
        contained: [
          {
            resourceType: "Location",
            id: "a",
            name: "x",
            identifier: [{ system: ORGANISATION_ID_SYSTEM, value: "unn" }],
            address: { country: "NO" },
          },
        ],
        site: [{ reference: "#a" }],
      }),
    );
    expect(r.study.sites).toEqual([
      expect.objectContaining({
        organisationId: "unn",
        inclusionStart: "2025-01-01",
        inclusionEnd: "2025-12-31",
        declared: null,
      }),
    ]);
  });
});

describe("FHIR ResearchStudy: status declared by the source, dated meta.lastUpdated", () => {
  it.each([
    ["active", "recruiting"],
    ["approved", "not_yet_recruiting"],
    ["in-review", "unknown"],
    ["temporarily-closed-to-accrual", "suspended"],
    ["temporarily-closed-to-accrual-and-intervention", "suspended"],
    ["closed-to-accrual", "active_not_recruiting"],
    ["closed-to-accrual-and-intervention", "active_not_recruiting"],
    ["completed", "completed"],
    ["administratively-completed", "terminated"],
    ["withdrawn", "withdrawn"],
    ["disapproved", "withdrawn"],
    ["something-else", "unknown"],
  ])("status %s → %s", (status, declared) => {
    const r = one(inNorway({ status }));
    expect(r.study.sites![0]!.declared).toEqual({
      status: declared,
      text: status,
      on: "2025-03-10",
      by: "Oslo universitetssykehus HF",
    });
    expect(r.study.sites![0]).toMatchObject({
      inclusionStart: null,
      inclusionEnd: null,
      paused: false,
      withdrawn: false,
    });
    if (!(status in FHIR_STATUSES)) expect(r.warnings.some((w) => w.includes("ukjent FHIR-status"))).toBe(true);
  });

  it("active is not recruiting when the source says recruitment is over or halted", () => {
    const completedRecruiting = {
      url: EXTENSION.eclaireRecruitmentStatus,
      valueCodeableConcept: { coding: [{ code: "completed-recruiting" }] },
    };
    expect(one(inNorway({ extension: [completedRecruiting] })).study.sites![0]!.declared!.status).toBe(
      "active_not_recruiting",
    );
    const halted = {
      url: EXTENSION.r5ProgressStatus,
      extension: [
        { url: "state", valueCodeableConcept: { coding: [{ code: "temporarily-closed-to-accrual" }] } },
        { url: "actual", valueBoolean: true },
      ],
    };
    expect(one(inNorway({ extension: [halted] })).study.sites![0]!.declared!.status).toBe("suspended");
    // A recruitment period that ended before the declaration date.
    expect(one(inNorway({ extension: [period("2023-01-01", "2024-12-31")] })).study.sites![0]).toMatchObject({
      declared: expect.objectContaining({ status: "active_not_recruiting" }),
      expectedStart: "2023-01-01",
      expectedEnd: "2024-12-31",
    });
  });

  it("meta.lastUpdated is an instant: its Oslo date is the declaration date; missing → the day of receipt", () => {
    expect(one(inNorway({ meta: { lastUpdated: "2024-03-31T23:30:00Z" } })).study.sites![0]!.declared!.on).toBe(
      "2024-04-01",
    );
    const r = one(inNorway({ meta: {} }));
    expect(r.study.sites![0]!.declared!.on).toBe(TODAY);
    expect(r.warnings.some((w) => w.includes("meta.lastUpdated mangler"))).toBe(true);
  });
});

describe("FHIR ResearchStudy: recruitment periods", () => {
  it("a registry's study-level period is expected, never firm (dateTime → Oslo date, YYYY-MM → first/last day)", () => {
    let r = one(inNorway({ extension: [period("2024-03-31T23:30:00Z", "2026-12-31T23:30:00+01:00")] }));
    expect(r.study.sites![0]).toMatchObject({
      inclusionStart: null,
      inclusionEnd: null,
      expectedStart: "2024-04-01",
      expectedEnd: "2026-12-31",
    });
    r = one(inNorway({ extension: [period("2026-02", "2026-02")] }));
    expect(r.study.sites![0]).toMatchObject({ expectedStart: "2026-02-01", expectedEnd: "2026-02-28" });
    expect(r.warnings.some((w) => w.includes("bare måned"))).toBe(true);
  });

  it("ResearchStudy.period (the whole study) is not a recruitment period for a registry record", () => {
    const r = one(inNorway({ period: { start: "2024-05-01", end: "2026-05-01" } }));
    expect(r.study.sites![0]).toMatchObject({ inclusionStart: null, expectedStart: null, expectedEnd: null });
    expect(r.warnings.some((w) => w.includes("ResearchStudy.period"))).toBe(true);
  });

  it("a site-level study that contradicts its own period keeps the period as expected and declares its status", () => {
    const loc = {
      resourceType: "Location",
      id: "a",
      name: "x",
      identifier: [{ system: ORGANISATION_ID_SYSTEM, value: "unn" }],
      address: { country: "NO" },
    };
    const siteStudy = (status: string, p: ReturnType<typeof period>) => ({
      resourceType: "ResearchStudy",
      id: "sa",
      partOf: [{ reference: "#" }],
      site: [{ reference: "#a" }],
      status,
      extension: [p],
    });
    // approved, but the start had passed by the declaration date
    let r = one(
      minimalStudy({ contained: [loc, siteStudy("approved", period("2025-01-01"))], site: [{ reference: "#a" }] }),
    );
    expect(r.study.sites![0]).toMatchObject({
      inclusionStart: null,
      expectedStart: "2025-01-01",
      declared: expect.objectContaining({ status: "not_yet_recruiting" }),
    });
    // completed with no end: no end date is made up from meta.lastUpdated
    r = one(
      minimalStudy({ contained: [loc, siteStudy("completed", period("2024-01-01"))], site: [{ reference: "#a" }] }),
    );
    expect(r.study.sites![0]).toMatchObject({
      inclusionStart: null,
      inclusionEnd: null,
      expectedStart: "2024-01-01",
      declared: expect.objectContaining({ status: "completed" }),
    });
    // temporarily closed, period consistent: the editor's pause round-trips
    r = one(
      minimalStudy({
        contained: [
          loc,
          {
            ...siteStudy("temporarily-closed-to-accrual", period("2024-01-01")),
            reasonStopped: { text: "Mangler personell" },
          },
        ],
        site: [{ reference: "#a" }],
      }),
    );
    expect(r.study.sites![0]).toMatchObject({
      inclusionStart: "2024-01-01",
      paused: true,
      pauseReason: "Mangler personell",
      declared: null,
    });
  });
});

describe("FHIR ResearchStudy: fields kept", () => {
  it("contacts: ECLAIRE names, e-mail/phone, roles; placeholders and telecom-less contacts left out", () => {
    const nameExt = (family: string, given: string) => ({
      url: "https://interop.esante.gouv.fr/ig/fhir/eclaire/StructureDefinition/eclaire-contact-name",
      valueHumanName: { family, given: [given] },
    });
    const type = (code: string) => ({
      url: EXTENSION.eclaireContactType,
      valueCodeableConcept: { coding: [{ code }] },
    });
    const r = one(
      minimalStudy({
        contact: [
          {
            extension: [nameExt("GAUTIER", "Marion")],
            telecom: [
              { system: "phone", value: "0253482835" },
              { system: "email", value: "a@chu-nantes.fr" },
            ],
          },
          {
            extension: [nameExt("INDISPONIBLE", "INDISPONIBLE"), type("SCI")],
            telecom: [
              { system: "phone", value: "INDISPONIBLE" },
              { system: "email", value: "INDISPONIBLE" },
            ],
          },
          { name: "Kari Nordmann", extension: [type("SCI")], telecom: [{ system: "email", value: "kari@example.no" }] },
          { name: "Uten telefon" },
          {
            name: "Feil e-post",
            telecom: [
              { system: "email", value: "not-an-email" },
              { system: "phone", value: "+47 22 00 00 00" },
            ],
          },
        ],
      }),
    );
    expect(r.study.contacts).toEqual([
      { name: "Marion GAUTIER", email: "a@chu-nantes.fr", phone: "0253482835", role: "public" },
      { name: "Kari Nordmann", email: "kari@example.no", phone: null, role: "scientific" },
      { name: "Feil e-post", email: null, phone: "+47 22 00 00 00", role: "public" },
    ]);
    expect(r.warnings.some((w) => w.includes("Uten telefon"))).toBe(true);
    expect(r.warnings.some((w) => w.includes("not-an-email"))).toBe(true);
  });

  it("identifiers: registries by system or pattern; every other identifier kept with its scheme", () => {
    const r = one(
      minimalStudy({
        identifier: [
          { system: "https://clinicaltrials.gov", value: "NCT01234567" },
          { value: "2023-501234-12-00", assigner: { reference: "Organization/ctis" } },
          { value: "2021-A01563-38", assigner: { reference: "Organization/ansm" } },
          { system: "urn:oid:1.2.3", value: "SPONSOR-42" },
          { value: "INDISPONIBLE" },
          { value: "NCT99999999" }, // a second NCT id is kept, not dropped
        ],
      }),
    );
    expect(r.study.identifiers).toMatchObject({ nct: "NCT01234567", euCt: "2023-501234-12-00" });
    expect(r.study.otherIdentifiers).toEqual([
      { scheme: "ID-RCB (ANSM)", value: "2021-A01563-38", url: null },
      { scheme: "urn:oid:1.2.3", value: "SPONSOR-42", url: null },
      { scheme: "identifikator", value: "NCT99999999", url: null },
    ]);
  });

  it("lead = the sponsor Organization when it is in the file (matched where registered); unresolvable → null", () => {
    const withSponsor = (name: string) =>
      minimalStudy({ contained: [{ resourceType: "Organization", id: "sp", name }], sponsor: { reference: "#sp" } });
    expect(one(withSponsor("Helse Bergen HF")).study.lead).toEqual({
      name: "Helse Bergen HF",
      organisationId: "helse-bergen",
    });
    expect(one(withSponsor("Roche")).study.lead).toEqual({ name: "Roche", organisationId: null });
    const r = one(minimalStudy({ sponsor: { reference: "Organization/elsewhere" } }));
    expect(r.study.lead).toBeNull();
    expect(r.warnings.some((w) => w.includes("Organization/elsewhere"))).toBe(true);
  });

  it("healthy volunteers: unknown unless the eligibility Group says; keywords kept", () => {
    expect(one(minimalStudy()).study.eligibility!.healthyVolunteers).toBeNull();
    const r = one(
      minimalStudy({
        contained: [
          {
            resourceType: "Group",
            id: "g",
            characteristic: [{ code: { text: "Healthy volunteers" }, valueBoolean: true, exclude: false }],
          },
        ],
        enrollment: [{ reference: "#g" }],
        keyword: [{ text: "brystkreft" }, { coding: [{ display: "mammacancer" }] }],
      }),
    );
    expect(r.study.eligibility!.healthyVolunteers).toBe(true);
    expect(r.study.keywords).toEqual(["brystkreft", "mammacancer"]);
  });

  it("an illustrative example is held for an editor, not published", () => {
    const r = one(minimalStudy({ title: "Exemple d'un essai clinique" }));
    expect(r.study.publicationState).toBe("submitted");
    expect(r.warnings.some((w) => w.includes("eksempel"))).toBe(true);
  });
});

describe("FHIR ResearchStudy: hostile input → rejections, never throws", () => {
  it("not JSON, bad bytes, wrong resource types, empty input", () => {
    expect(parseFhirResearchStudy("{ this is not json", ctx).rejected).toEqual([
      expect.objectContaining({ ref: "input", field: "input", message: expect.stringContaining("ugyldig JSON") }),
    ]);
    expect(parseFhirResearchStudy(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), ctx).rejected).toHaveLength(1);
    expect(fhir({ resourceType: "Patient", id: "p1" }).rejected).toEqual([
      expect.objectContaining({ field: "resourceType", message: expect.stringContaining("Patient") }),
    ]);
    expect(fhir("[1,2,3]").rejected[0]!.field).toBe("resourceType");
    expect(parseFhirResearchStudy("", ctx).rejected).toHaveLength(1);
  });
  it("a ResearchStudy without id or title", () => {
    expect(fhir(minimalStudy({ id: undefined })).rejected).toEqual([expect.objectContaining({ field: "id" })]);
    expect(fhir(minimalStudy({ title: "   " })).rejected).toEqual([
      expect.objectContaining({ externalId: "test-1", field: "title" }),
    ]);
  });
  it("impossible and malformed recruitment-period dates name the field and the source path", () => {
    let r = fhir(inNorway({ extension: [period("2024-02-30")] }));
    expect(r.rejected).toEqual([
      expect.objectContaining({
        field: "sites.0.expectedStart",
        message: expect.stringContaining("eclaire-recruitment-period"),
      }),
    ]);
    r = fhir(inNorway({ extension: [period("2024-01-01", "2024-13")] }));
    expect(r.rejected).toEqual([expect.objectContaining({ field: "sites.0.expectedEnd" })]);
    r = fhir(inNorway({ meta: { lastUpdated: "yesterday" } }));
    expect(r.rejected).toEqual([expect.objectContaining({ field: "meta.lastUpdated" })]);
  });
  it("a recruitment period ending before it starts: the end is not used (warned)", () => {
    const r = one(inNorway({ extension: [period("2025-05-01", "2024-05-01")] }));
    expect(r.study.sites![0]).toMatchObject({ expectedStart: "2025-05-01", expectedEnd: null });
  });
  it("deep nesting and a 5 MB title", () => {
    const nested = `{"a":`.repeat(10_000) + "1" + "}".repeat(10_000);
    expect(() => parseFhirResearchStudy(nested, ctx)).not.toThrow();
    expect(fhir(minimalStudy({ title: "x".repeat(5 * 1024 * 1024) })).rejected).toEqual([
      expect.objectContaining({ field: "title.nb" }),
    ]);
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
});

// ---------------------------------------------------------------------------------------------
// EU CTIS

const CTIS_COLUMNS = [
  "Trial number",
  "Protocol code",
  "Title of the trial",
  "Overall trial status",
  "Location(s) and recruitment status",
  "Age group",
  "Age range secondary identifier",
  "Gender",
  "Number of participants enrolled",
  "Trial region",
  "Medical conditions",
  "Therapeutic area",
  "Trial phase",
  "Product",
  "Primary endpoint",
  "Secondary endpoints",
  "Decision date",
  "Start date",
  "End date",
  "Global end of the trial",
  "Trial results",
  "Sponsor/Co-Sponsors",
  "Sponsor type",
  "Last updated",
];
const ctisCsv = (rows: Record<string, string>[], columns = CTIS_COLUMNS) =>
  "\uFEFF" +
  [
    columns.map((c) => `"${c}"`).join(","),
    ...rows.map((v) => columns.map((c) => `"${(v[c] ?? "N/A").replace(/"/g, '""')}"`).join(",")),
  ].join("\r\n");
const ctisRow = (extra: Record<string, string> = {}) => ({
  "Trial number": "2024-512345-12-00",
  "Protocol code": "ABC-123",
  "Title of the trial": "A trial of something",
  "Overall trial status": "Ongoing, recruiting",
  "Location(s) and recruitment status": "Sweden:Ongoing, recruiting, Norway:Ongoing, recruiting",
  "Age group": "18-64 years",
  Gender: "Female, Male",
  "Trial phase": "Therapeutic confirmatory  (Phase III)",
  Product:
    "Ocrevus 300 mg concentrate for solution for infusion, Sendoxan 1000 mg pulver til injeksjonsvæske, oppløsning",
  "Decision date": "01/02/2024",
  "Start date": "15/02/2024",
  "Sponsor/Co-Sponsors": "Helse Bergen HF",
  "Last updated": "01/03/2024",
  ...extra,
});
const ctisOne = (extra: Record<string, string> = {}) => {
  const r = parseCtisCsv(ctisCsv([ctisRow(extra)]), ctx);
  expect(r.rejected).toEqual([]);
  expect(r.records).toHaveLength(1);
  expectValid(r.records[0]!);
  return r.records[0]!;
};

describe("EU CTIS CSV: one unnamed Norwegian site with Norway's own status", () => {
  it("the sender is not a site; Norway gets one site, named as unnamed, no count invented", () => {
    const r = ctisOne();
    expect(r.study.sites).toEqual([
      expect.objectContaining({
        organisationId: null,
        name: NORWAY_UNNAMED_SITE,
        city: null,
        unnamedCount: null,
        inclusionStart: null,
        inclusionEnd: null,
        declared: { status: "recruiting", text: "Ongoing, recruiting", on: "2024-03-01", by: "EU CTIS" },
      }),
    ]);
    expect(r.study.leadOrganisationId).toBe("ous");
    expect(r.study.lead).toEqual({ name: "Helse Bergen HF", organisationId: "helse-bergen" });
  });

  it.each([
    ["Ongoing, recruiting", "recruiting"],
    ["Authorised, recruiting", "recruiting"],
    ["Ongoing, recruitment ended", "active_not_recruiting"],
    ["Authorised, recruitment pending", "not_yet_recruiting"],
    ["Authorised", "not_yet_recruiting"],
    ["Temporarily halted", "suspended"],
    ["Ended", "completed"],
    ["Completed", "completed"],
    ["Withdrawn", "withdrawn"],
    ["Revoked", "withdrawn"],
    ["Not authorised", "withdrawn"],
    ["Expired", "unknown"],
    ["Something new", "unknown"],
  ])("Norway:%s → %s (no date stands in for an inclusion date)", (text, status) => {
    const r = ctisOne({
      "Location(s) and recruitment status": `Denmark:Ended, Norway:${text}`,
      "End date": "22/04/2025",
    });
    expect(r.study.sites![0]).toMatchObject({
      declared: { status, text, on: "2024-03-01", by: "EU CTIS" },
      inclusionStart: null,
      inclusionEnd: null,
      paused: false,
      withdrawn: false,
    });
    expect(ctisStatus(text)).toBe(status);
  });

  it("every CTIS status in the table maps to a declared status", () => {
    for (const [text, status] of Object.entries(CTIS_STATUSES)) expect(ctisStatus(text.toUpperCase())).toBe(status);
  });

  it("the Norway entry decides, the overall status only when Norway has none; trials without Norway are skipped", () => {
    const r = parseCtisCsv(
      ctisCsv([
        ctisRow({
          "Overall trial status": "Ongoing, recruiting",
          "Location(s) and recruitment status": "Sweden:Ongoing, recruiting, Norway:Ended",
        }),
        ctisRow({
          "Trial number": "2024-512345-13-00",
          "Overall trial status": "Temporarily halted",
          "Location(s) and recruitment status": "Norway",
        }),
        ctisRow({
          "Trial number": "2024-512345-14-00",
          "Location(s) and recruitment status": "Sweden:Ongoing, recruiting",
        }),
      ]),
      ctx,
    );
    expect(r.records.map((x) => x.study.sites![0]!.declared!.status)).toEqual(["completed", "suspended"]);
    expect(r.skipped).toHaveLength(1);
  });

  it("estimated dates, when an export has them, are expected dates", () => {
    const columns = [...CTIS_COLUMNS, "Estimated recruitment start date", "Estimated end of recruitment date"];
    const r = parseCtisCsv(
      ctisCsv(
        [
          ctisRow({
            "Estimated recruitment start date": "01/09/2024",
            "Estimated end of recruitment date": "31/12/2026",
          }),
        ],
        columns,
      ),
      ctx,
    );
    expect(r.records[0]!.study.sites![0]).toMatchObject({
      expectedStart: "2024-09-01",
      expectedEnd: "2026-12-31",
      inclusionStart: null,
      inclusionEnd: null,
    });
  });

  it("a missing 'Last updated' dates the status on the day of receipt, or leaves it out", () => {
    let r = parseCtisCsv(ctisCsv([ctisRow({ "Last updated": "N/A" })]), { ...ctx, receivedOn: "2025-01-02" });
    expect(r.records[0]!.study.sites![0]!.declared!.on).toBe("2025-01-02");
    r = parseCtisCsv(ctisCsv([ctisRow({ "Last updated": "N/A" })]), ctx);
    expect(r.records[0]!.study.sites![0]!.declared).toBeNull();
  });
});

describe("EU CTIS CSV: fields", () => {
  it.each([
    ["18-64 years", "N/A", 18, ["18-64 years"]],
    ["18-64 years, 65+ years", "65-84 years", 18, ["18-64 years", "65+ years", "65-84 years"]],
    ["65+ years, 18-64 years", "N/A", 18, ["65+ years", "18-64 years"]],
    ["0-17 years", "6-11 years, 12-17 years", 0, ["0-17 years", "6-11 years", "12-17 years"]],
    ["In utero", "N/A", null, ["In utero"]],
  ])("age groups %s (+ %s) → min %s, no max, groups kept as written", (groups, secondary, min, kept) => {
    const r = ctisOne({ "Age group": groups, "Age range secondary identifier": secondary });
    expect(r.study.eligibility).toMatchObject({
      minAgeYears: min,
      maxAgeYears: null,
      ageGroups: kept,
      healthyVolunteers: null,
    });
    expect(mapAges(groups, secondary === "N/A" ? null : secondary, []).max).toBeNull();
  });

  it("products → drug interventions (split before a capital letter only, duplicates once)", () => {
    expect(
      splitProducts(
        "A 10 mg tablets, Sendoxan 1000 mg pulver til injeksjonsvæske, oppløsning, A 10 mg tablets, Boostrix Diphtherie-, Tetanus- und Pertussis",
      ),
    ).toEqual([
      "A 10 mg tablets",
      "Sendoxan 1000 mg pulver til injeksjonsvæske, oppløsning",
      "Boostrix Diphtherie-, Tetanus- und Pertussis",
    ]);
    expect(ctisOne().study.interventions).toEqual([
      { type: "drug", name: "Ocrevus 300 mg concentrate for solution for infusion" },
      { type: "drug", name: "Sendoxan 1000 mg pulver til injeksjonsvæske, oppløsning" },
    ]);
  });

  it("identifiers: EU CT number, protocol code kept; official title; link to CTIS", () => {
    const r = ctisOne();
    expect(r.study.identifiers).toEqual({ euCt: "2024-512345-12-00" });
    expect(r.study.otherIdentifiers).toEqual([{ scheme: "Protokollkode", value: "ABC-123", url: null }]);
    expect(r.study.officialTitle).toBe("A trial of something");
    expect(r.study.links).toEqual([
      { url: "https://euclinicaltrials.eu/ctis-public/view/2024-512345-12-00", label: "Studien i EU CTIS" },
    ]);
  });

  it("a sponsor that is not a registered organisation is the lead as written, unmatched", () => {
    expect(ctisOne({ "Sponsor/Co-Sponsors": "F. Hoffmann-La Roche AG" }).study.lead).toEqual({
      name: "F. Hoffmann-La Roche AG",
      organisationId: null,
    });
  });

  it("a bad date rejects the row naming the line and the column; good rows still go in", () => {
    const r = parseCtisCsv(
      ctisCsv([ctisRow({ "Start date": "30/02/2018" }), ctisRow({ "Trial number": "2024-512345-13-00" })]),
      ctx,
    );
    expect(r.records).toHaveLength(1);
    expect(r.rejected).toEqual([
      expect.objectContaining({
        ref: "line 2",
        externalId: "2024-512345-12-00",
        field: "Start date",
        message: expect.stringContaining("30/02/2018"),
      }),
    ]);
  });

  it("not the CTIS layout, empty input, non-UTF-8 bytes → one clear rejection each", () => {
    expect(parseCtisCsv('"NCT Number","Study Title"\n"NCT01234567","x"', ctx).rejected).toEqual([
      expect.objectContaining({ ref: "line 1", field: "Trial number", message: expect.stringContaining("EU CTIS") }),
    ]);
    expect(parseCtisCsv("", ctx).rejected).toHaveLength(1);
    expect(parseCtisCsv(Buffer.from([0x54, 0x72, 0xe6, 0x0a]), ctx).rejected).toHaveLength(1);
  });
});
