/**
 * France's ECLAIRE FHIR R4 ResearchStudy files (a 20-study searchset Bundle and two single
 * examples; MIT, vendored unchanged in tests/fixtures/fhir-researchstudy, see SOURCES.md there),
 * mapped record by record as if a Norwegian organisation had sent them. The sender is never a site
 * or the lead. Runs everywhere: the files ship with the project.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { siteState } from "#app/domain/inclusion-status";
import { studyInputSchema } from "#app/domain/study";
import { NORWAY_UNNAMED_SITE, parseFhirResearchStudy } from "#app/ingest/mappers/fhir-research-study";
import type { MapContext, MappedRecord, OrganisationRef } from "#app/ingest/types";
import { fixture } from "../helpers/shared-data";

const DIR = fixture("fhir-researchstudy");
const BUNDLE = "ECLAIRE-Bundle-searchset-20-ResearchStudy.r4.json";
const SINGLE = "ResearchStudy-ECLAIREResearchStudy-example-2022-500014-26-00.r4.json";
const EARLY = "ResearchStudy-2022-500520-30-00.r4.json";
const organisations = JSON.parse(
  readFileSync(path.resolve(process.cwd(), "data/reference/organisations.json"), "utf8"),
) as OrganisationRef[];
const ctx: MapContext = { organisationId: "st-olavs", organisations };
const TODAY = "2026-12-07";

type Row = [
  status: string,
  declared: string,
  on: string,
  email: string,
  phone: string | null,
  euCt: string | null,
  idRcb: string | null,
  expectedStart: string | null,
];
/** Read from the files: status, its mapping, meta.lastUpdated (Oslo date), the one real contact, identifiers, recruitment-period start. */
const EXPECTED: Record<string, Row> = {
  "2022-500299-71-00": [
    "approved",
    "not_yet_recruiting",
    "2023-12-04",
    "bp-prom-regl@chu-nantes.fr",
    "0253482835",
    "2022-500299-71-00",
    null,
    "2022-06-01",
  ],
  "2022-501018-78-00": [
    "active",
    "recruiting",
    "2023-12-04",
    "global-clinical-trials@abbvie.com",
    "+4915114038280",
    "2022-501018-78-00",
    null,
    "2020-04-14",
  ],
  "2022-500642-25-00": [
    "approved",
    "not_yet_recruiting",
    "2023-12-04",
    "julie.lebaron@chu-nantes.fr",
    "0253482835",
    "2022-500642-25-00",
    null,
    "2022-12-01",
  ],
  "2022-501979-10-00": [
    "approved",
    "not_yet_recruiting",
    "2023-12-04",
    "L.Gurskaite@umcutrecht.nl",
    "+31631117890",
    "2022-501979-10-00",
    null,
    "2023-02-01",
  ],
  "2022-502144-12-00": [
    "active",
    "recruiting",
    "2023-12-04",
    "alexandra.bruneau@aphp.fr",
    "+33144841712",
    "2022-502144-12-00",
    null,
    "2022-01-12",
  ],
  "2021-A01563-38": [
    "administratively-completed",
    "terminated",
    "2023-12-04",
    "cdp_scs@soladis.fr",
    null,
    null,
    "2021-A01563-38",
    null,
  ],
  "2021-A01519-32": [
    "completed",
    "completed",
    "2023-12-04",
    "direction@medical-initiatives.com",
    null,
    null,
    "2021-A01519-32",
    null,
  ],
  "2021-A01121-40": [
    "active",
    "recruiting",
    "2023-12-04",
    "adeline.lapotre@sebbin.com",
    null,
    null,
    "2021-A01121-40",
    null,
  ],
  "2021-A00557-34": [
    "administratively-completed",
    "terminated",
    "2023-12-04",
    "pvachey@for.paris",
    null,
    null,
    "2021-A00557-34",
    null,
  ],
  "2021-A01576-35": [
    "active",
    "recruiting",
    "2023-12-04",
    "benjamin.malafosse@ceremh.org",
    null,
    null,
    "2021-A01576-35",
    null,
  ],
  "2021-A01757-34": [
    "active",
    "recruiting",
    "2023-12-04",
    "c.reynes@biotech-dental.com",
    null,
    null,
    "2021-A01757-34",
    null,
  ],
  "2021-A01770-41": [
    "approved",
    "not_yet_recruiting",
    "2023-12-04",
    "affairescliniques@biotech-dental.com",
    null,
    null,
    "2021-A01770-41",
    null,
  ],
  "2021-A01910-41": [
    "active",
    "recruiting",
    "2023-12-04",
    "frederic.sedel@otr3.com",
    null,
    null,
    "2021-A01910-41",
    null,
  ],
  "2021-A01764-37": [
    "completed",
    "completed",
    "2023-12-04",
    "s.guyon@symatese.com",
    null,
    null,
    "2021-A01764-37",
    null,
  ],
  "2021-A01677-34": ["active", "recruiting", "2023-12-04", "cpp@vivactis.fr", null, null, "2021-A01677-34", null],
  "2021-A01837-34": [
    "completed",
    "completed",
    "2023-12-04",
    "clinicalaffairs.france@crm.microport.com",
    null,
    null,
    "2021-A01837-34",
    null,
  ],
  "2021-A02167-34": [
    "completed",
    "completed",
    "2023-12-04",
    "audrey@cardiologs.com",
    null,
    null,
    "2021-A02167-34",
    null,
  ],
  "2021-A01665-36": [
    "active",
    "recruiting",
    "2023-12-04",
    "abilahoud.icvns@gmail.com",
    null,
    null,
    "2021-A01665-36",
    null,
  ],
  "2021-A01668-33": [
    "active",
    "recruiting",
    "2023-12-04",
    "abilahoud.icvns@gmail.com",
    null,
    null,
    "2021-A01668-33",
    null,
  ],
  "2021-A02059-32": [
    "completed",
    "completed",
    "2023-12-04",
    "pharmascan-team@dermscan.com",
    null,
    null,
    "2021-A02059-32",
    null,
  ],
  "ECLAIREResearchStudy-example-2022-500014-26-00": [
    "active",
    "recruiting",
    "2023-04-12",
    "global.rochegenentechtrials@roche.com",
    "0041616881111",
    "2022-500014-26-00",
    null,
    "2022-06-30",
  ],
  "2022-500520-30-00": [
    "active",
    "recruiting",
    "2022-12-02",
    "acme@chu-gotham.fr",
    "0401010101",
    "2022-500520-30-00",
    null,
    null,
  ],
};

const SITE_STATUS: Record<string, string> = {
  recruiting: "open",
  not_yet_recruiting: "planned",
  completed: "closed",
  terminated: "closed",
};

describe("real data: ECLAIRE FHIR ResearchStudy (vendored, MIT)", () => {
  const records = new Map<string, MappedRecord>();
  const rejected: unknown[] = [];
  const load = () => {
    if (records.size > 0 || rejected.length > 0) return;
    for (const file of [BUNDLE, SINGLE, EARLY]) {
      const r = parseFhirResearchStudy(readFileSync(path.join(DIR, file)), ctx, { today: TODAY });
      rejected.push(...r.rejected);
      for (const record of r.records) records.set(record.externalId, record);
    }
  };
  beforeAll(load);

  it("maps all 22 studies, none rejected, every one valid", () => {
    expect(rejected).toEqual([]);
    expect([...records.keys()].sort()).toEqual(Object.keys(EXPECTED).sort());
    for (const r of records.values()) expect(studyInputSchema.safeParse(r.study).success).toBe(true);
  });

  it.each(Object.entries(EXPECTED))(
    "%s: no invented site or lead; status, contact and identifiers kept",
    (id, [text, declared, on, email, phone, euCt, idRcb, expectedStart]) => {
      const { study, warnings } = records.get(id)!;
      // The sponsor Organization is not in the files: the lead is unknown, not the sender.
      expect(study.lead).toBeNull();
      expect(study.contacts).toEqual([expect.objectContaining({ email, phone, role: "public" })]);
      expect(study.identifiers).toMatchObject({ euCt, nct: null });
      expect(study.otherIdentifiers).toEqual(idRcb ? [{ scheme: "ID-RCB (ANSM)", value: idRcb, url: null }] : []);
      expect(study.eligibility!.healthyVolunteers).toBeNull();
      if (id === "2022-501979-10-00") {
        // Norway is among the countries of recruitment; no Norwegian site is named.
        expect(study.sites).toEqual([
          expect.objectContaining({
            organisationId: null,
            name: NORWAY_UNNAMED_SITE,
            unnamedCount: null,
            inclusionStart: null,
            inclusionEnd: null,
            expectedStart,
          }),
        ]);
        const site = study.sites![0]!;
        expect(site.declared).toEqual({ status: declared, text, on, by: "St. Olavs hospital HF" });
        // On its own last-update day: planned (declared) — the passed recruitment start is only expected.
        expect(
          siteState(
            { inclusionStart: null, inclusionEnd: null, paused: false, declared: site.declared },
            new Date(`${on}T12:00:00Z`),
          ),
        ).toMatchObject({
          status: SITE_STATUS[declared],
          basis: "declared",
        });
      } else {
        // French (or unstated) locations only: no site; the declared status is reported, not lost silently.
        expect(study.sites).toEqual([]);
        expect(warnings.some((w) => w.includes(`«${text}» (${declared}, ${on})`))).toBe(true);
        if (expectedStart)
          expect(warnings.some((w) => w.includes(`forventet rekrutteringsperiode ${expectedStart}`))).toBe(true);
      }
    },
  );

  it("the IG's illustrative example is held; everything else without a description waits for a Norwegian summary", () => {
    expect(records.get("2022-500520-30-00")!.study.publicationState).toBe("submitted");
    for (const r of records.values()) expect(r.study.publicationState).toBe("submitted");
  });
});
