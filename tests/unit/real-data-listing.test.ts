/**
 * The Helse Nord hospital listing in ../shared/data (47 records, no dates: 15 "Åpen for
 * rekruttering", 32 "Pågående"), mapped record by record. It has no stated licence, so it is not
 * copied into the project: skipped where ../shared/data is absent.
 */
import { junkReasons } from "#app/domain/junk-check";
import { readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, expect, it } from "vitest";
import { siteState, studyStatus } from "#app/domain/inclusion-status";
import { studyInputSchema } from "#app/domain/study";
import { parseNativeJson, type CategoryRef } from "#app/ingest/mappers/native";
import type { OrganisationRef } from "#app/ingest/types";
import { describeShared, sharedData } from "../helpers/shared-data";

const LISTING = "norway-helsenorge-studier/fnsp_kliniske_studier_dummydata.json";
const FILE = sharedData(LISTING);
const organisations = JSON.parse(
  readFileSync(path.resolve(process.cwd(), "data/reference/organisations.json"), "utf8"),
) as OrganisationRef[];
const categories = JSON.parse(
  readFileSync(path.resolve(process.cwd(), "data/reference/hrcs-categories.json"), "utf8"),
) as CategoryRef[];
const RECEIVED = "2026-12-07";

/**
 * Per record, read from the file: R = "Åpen for rekruttering", P = "Pågående"; the registered
 * organisation of utfort_av; the organisations named (utfort_av, then deltakende_foretak, once each).
 */
const EXPECTED: Record<string, [status: "R" | "P", lead: string, sites: string[]]> = {
  "88309": ["R", "st-olavs", ["st-olavs"]],
  "95862": ["R", "unn", ["unn", "nordlandssykehuset", "finnmarkssykehuset"]],
  "88127": ["R", "st-olavs", ["st-olavs", "helse-bergen", "unn", "ous"]],
  "88128": ["R", "st-olavs", ["st-olavs"]],
  "88129": ["P", "st-olavs", ["st-olavs"]],
  "88130": ["P", "st-olavs", ["st-olavs", "helse-nord-trondelag"]],
  "88131": ["P", "st-olavs", ["st-olavs", "sykehuset-telemark", "sykehuset-vestfold", "helse-nord-trondelag"]],
  "88133": ["P", "st-olavs", ["st-olavs"]],
  "88134": ["R", "st-olavs", ["st-olavs", "ahus"]],
  "88135": ["P", "st-olavs", ["st-olavs"]],
  "88136": ["P", "st-olavs", ["st-olavs", "helse-nord-trondelag"]],
  "88137": [
    "P",
    "st-olavs",
    [
      "st-olavs",
      "ous",
      "unn",
      "ahus",
      "sykehuset-innlandet",
      "sykehuset-ostfold",
      "vestre-viken",
      "helse-forde",
      "helse-fonna",
      "helse-nord-trondelag",
      "helse-stavanger",
      "helse-more-og-romsdal",
    ],
  ],
  "88138": ["P", "st-olavs", ["st-olavs", "ous"]],
  "88300": ["R", "st-olavs", ["st-olavs"]],
  "88301": ["P", "st-olavs", ["st-olavs"]],
  "88302": ["R", "st-olavs", ["st-olavs", "helse-nord-trondelag", "helse-more-og-romsdal"]],
  "88303": ["P", "st-olavs", ["st-olavs", "sykehuset-ostfold", "helse-nord-trondelag"]],
  "88304": ["P", "st-olavs", ["st-olavs"]],
  "88306": ["P", "st-olavs", ["st-olavs", "helse-more-og-romsdal"]],
  "88307": ["P", "st-olavs", ["st-olavs", "helse-more-og-romsdal"]],
  "88308": ["P", "st-olavs", ["st-olavs"]],
  "88310": ["R", "st-olavs", ["st-olavs", "ous"]],
  "88311": ["P", "st-olavs", ["st-olavs", "ous"]],
  "88312": ["P", "st-olavs", ["st-olavs", "ous", "sykehuset-vestfold", "unn", "helse-bergen"]],
  "88313": ["P", "st-olavs", ["st-olavs"]],
  "88314": ["P", "st-olavs", ["st-olavs"]],
  "88315": ["P", "st-olavs", ["st-olavs"]],
  "88316": ["R", "st-olavs", ["st-olavs"]],
  "88317": ["P", "st-olavs", ["st-olavs"]],
  "88319": ["R", "st-olavs", ["st-olavs"]],
  "88320": ["P", "st-olavs", ["st-olavs"]],
  "88321": ["P", "st-olavs", ["st-olavs"]],
  "88322": ["P", "st-olavs", ["st-olavs"]],
  "88324": ["P", "st-olavs", ["st-olavs", "helse-bergen"]],
  "88325": ["P", "st-olavs", ["st-olavs"]],
  "88326": ["R", "st-olavs", ["st-olavs"]],
  "95861": ["P", "unn", ["unn", "finnmarkssykehuset", "nordlandssykehuset"]],
  "95863": ["R", "unn", ["unn", "ous", "st-olavs", "helse-bergen"]],
  "95864": ["R", "unn", ["unn"]],
  "95865": ["R", "unn", ["unn"]],
  "95866": ["P", "unn", ["unn"]],
  "88132": ["P", "st-olavs", ["st-olavs"]],
  "88305": ["P", "st-olavs", ["st-olavs"]],
  "88323": ["P", "st-olavs", ["st-olavs"]],
  "88318": ["R", "st-olavs", ["st-olavs"]],
  "88126": ["P", "st-olavs", ["st-olavs"]],
  "234071": ["P", "finnmarkssykehuset", ["finnmarkssykehuset", "ahus"]],
};

const LEADS: Record<string, string> = {
  "st-olavs": "St. Olavs hospital",
  unn: "Universitetssykehuset Nord-Norge",
  finnmarkssykehuset: "Finnmarkssykehuset",
};
const WORDING = { R: "Åpen for rekruttering", P: "Pågående" } as const;

describeShared(LISTING, "real data: Helse Nord hospital listing", () => {
  // Sent by one organisation (UNN) on behalf of the region: each record still belongs to its own utfort_av.
  // Read in beforeAll: a skipped suite's body still runs to collect its tests.
  let result: ReturnType<typeof parseNativeJson> = { records: [], rejected: [] };
  let byId = new Map<string, ReturnType<typeof parseNativeJson>["records"][number]>();
  beforeAll(() => {
    result = parseNativeJson(readFileSync(FILE), {
      organisationId: "unn",
      organisations,
      categories,
      receivedOn: RECEIVED,
    });
    byId = new Map(result.records.map((r) => [r.externalId, r]));
  });

  it("maps all 47 records, none rejected, every one valid; 15 open and 32 ongoing, 89 registered sites", () => {
    expect(result.rejected).toEqual([]);
    expect([...byId.keys()].sort()).toEqual(Object.keys(EXPECTED).sort());
    for (const r of result.records) expect(studyInputSchema.safeParse(r.study).success).toBe(true);
    const sites = result.records.flatMap((r) => r.study.sites!);
    expect(sites).toHaveLength(89);
    expect(sites.every((s) => s.organisationId != null)).toBe(true);
    const now = new Date(`${RECEIVED}T12:00:00Z`);
    const statuses = result.records.map((r) =>
      studyStatus(
        r.study.sites!.map((s) => ({ inclusionStart: null, inclusionEnd: null, paused: false, declared: s.declared })),
        now,
      ),
    );
    expect(statuses.filter((s) => s === "open")).toHaveLength(15);
    expect(statuses.filter((s) => s === "closed")).toHaveLength(32);
  });

  it.each(Object.entries(EXPECTED))("%s: its own status, lead and organisations", (id, [code, lead, orgs]) => {
    const { study } = byId.get(id)!;
    expect(study.lead).toEqual({ name: LEADS[lead], organisationId: lead });
    expect(study.leadOrganisationId).toBe(lead);
    expect(study.sites!.map((s) => s.organisationId)).toEqual(orgs);
    const declared = {
      status: code === "R" ? "recruiting" : "active_not_recruiting",
      text: WORDING[code],
      on: RECEIVED,
      by: LEADS[lead],
    };
    for (const site of study.sites!) {
      expect(site.declared).toEqual(declared);
      // At receipt, "Åpen for rekruttering" is open and "Pågående" is not taking new participants.
      expect(
        siteState(
          { inclusionStart: null, inclusionEnd: null, paused: false, declared: site.declared },
          new Date(`${RECEIVED}T12:00:00Z`),
        ),
      ).toMatchObject({
        status: code === "R" ? "open" : "closed",
        basis: "declared",
      });
    }
    // The listing says nothing about healthy volunteers, ages or contacts: unknown, not "no".
    expect(study.eligibility).toMatchObject({ healthyVolunteers: null, minAgeYears: null, maxAgeYears: null });
    expect(study.links).toHaveLength(1);
  });

  it("88309 'Ung og ADHD' (open, no summary) is declared open; the 'test' record 234071 is held", () => {
    expect(byId.get("88309")!.study.sites![0]!.declared).toMatchObject({
      status: "recruiting",
      text: "Åpen for rekruttering",
    });
    // The ingest service's one junk check holds it (tests/integration/real-listing-published.test.ts).
    const test = byId.get("234071")!;
    expect(junkReasons({ title: { nb: test.study.title.nb }, links: [] })).toEqual([
      "tittelen «test» ser ut som en testpost",
    ]);
  });
});
