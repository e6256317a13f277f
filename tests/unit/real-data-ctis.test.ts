/**
 * The EU CTIS public-portal export in ../shared/data (104 multiple-sclerosis trials, 8 list
 * Norway), mapped record by record. The file has no stated licence, so it is not copied into
 * the project: these tests are skipped where ../shared/data is absent.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, it } from "vitest";
import { siteState } from "#app/domain/inclusion-status";
import { studyInputSchema } from "#app/domain/study";
import { NORWAY_UNNAMED_SITE, parseCtisCsv } from "#app/ingest/mappers/ctis-csv.server";
import type { MapContext, OrganisationRef } from "#app/ingest/types";
import { describeShared, sharedData } from "../helpers/shared-data";

const CTIS = "eu-ctis-euctr/brunoamaral_mswarriors__CTIS_trials_20250924.csv.gz";
const FILE = sharedData(CTIS);
const organisations = JSON.parse(
  readFileSync(path.resolve(process.cwd(), "data/reference/organisations.json"), "utf8"),
) as OrganisationRef[];
const ctx: MapContext = { organisationId: "unn", organisations };

/** Per record, read from the file: Norway's status as written, "Last updated", sponsor, lead match, age groups, products. */
const EXPECTED = {
  "2023-506543-41-00": {
    text: "Ended",
    status: "completed",
    on: "2025-06-16",
    lead: "F. Hoffmann-La Roche AG",
    leadOrg: null,
    groups: ["18-64 years"],
    products: 4,
    protocol: "MN39158",
    site: "closed",
  },
  "2024-510630-40-00": {
    text: "Ongoing, recruitment ended",
    status: "active_not_recruiting",
    on: "2024-06-12",
    lead: "Helse Bergen HF",
    leadOrg: "helse-bergen",
    groups: ["18-64 years"],
    products: 5,
    protocol: null,
    site: "closed",
  },
  "2023-507906-15-00": {
    text: "Ongoing, recruitment ended",
    status: "active_not_recruiting",
    on: "2025-09-19",
    lead: "Novartis Pharma AG",
    leadOrg: null,
    groups: ["18-64 years"],
    products: null,
    protocol: "COMB157G2399",
    site: "closed",
  },
  "2024-514495-41-00": {
    text: "Ongoing, recruitment ended",
    status: "active_not_recruiting",
    on: "2025-09-22",
    lead: "Genzyme Corp.",
    leadOrg: null,
    groups: ["18-64 years"],
    products: 1,
    protocol: "EFC16035",
    site: "closed",
  },
  "2023-510228-63-00": {
    text: "Authorised, recruitment pending",
    status: "not_yet_recruiting",
    on: "2024-04-30",
    lead: "Helse Bergen HF",
    leadOrg: "helse-bergen",
    groups: ["18-64 years"],
    products: 2,
    protocol: null,
    site: "planned",
  },
  "2025-522140-40-00": {
    text: "Authorised, recruitment pending",
    status: "not_yet_recruiting",
    on: "2025-08-11",
    lead: "Oslo University Hospital HF",
    leadOrg: "ous",
    groups: ["18-64 years", "65+ years", "65-84 years"],
    products: 2,
    protocol: null,
    site: "planned",
  },
  "2023-503814-62-00": {
    text: "Ongoing, recruitment ended",
    status: "active_not_recruiting",
    on: "2024-11-08",
    lead: "Helse Bergen HF",
    leadOrg: "helse-bergen",
    groups: ["18-64 years"],
    products: 3,
    protocol: null,
    site: "closed",
  },
  "2024-510716-71-00": {
    text: "Ongoing, recruitment ended",
    status: "active_not_recruiting",
    on: "2025-09-16",
    lead: "Helse Bergen HF",
    leadOrg: "helse-bergen",
    groups: ["18-64 years"],
    products: 2,
    protocol: null,
    site: "closed",
  },
} as const;

describeShared(CTIS, "real data: EU CTIS export", () => {
  // Read lazily: a skipped suite's body still runs to collect its tests.
  let cache: {
    result: ReturnType<typeof parseCtisCsv>;
    byId: Map<string, ReturnType<typeof parseCtisCsv>["records"][number]>;
  } | null = null;
  const load = () => {
    if (!cache) {
      const result = parseCtisCsv(readFileSync(FILE), ctx);
      cache = { result, byId: new Map(result.records.map((r) => [r.externalId, r])) };
    }
    return cache;
  };

  it("accounts for every row: 8 list Norway and are mapped, 96 skipped, none rejected, all valid", () => {
    const { result, byId } = load();
    expect(result.rejected).toEqual([]);
    expect(result.skipped).toHaveLength(96);
    expect([...byId.keys()].sort()).toEqual(Object.keys(EXPECTED).sort());
    for (const r of result.records) expect(studyInputSchema.safeParse(r.study).success).toBe(true);
  });

  it.each(Object.entries(EXPECTED))(
    "%s: one unnamed Norwegian site, Norway's status as declared, the sponsor as lead",
    (id, want) => {
      const { study, warnings } = load().byId.get(id)!;
      // No named site, no sender site, no invented count.
      expect(study.sites).toHaveLength(1);
      const site = study.sites![0]!;
      expect(site).toMatchObject({
        organisationId: null,
        name: NORWAY_UNNAMED_SITE,
        unnamedCount: null,
        inclusionStart: null,
        inclusionEnd: null,
        expectedStart: null,
        expectedEnd: null,
      });
      expect(site.declared).toEqual({ status: want.status, text: want.text, on: want.on, by: "EU CTIS" });
      // On its own last-update day the derived status agrees with CTIS.
      const state = siteState(
        { inclusionStart: null, inclusionEnd: null, paused: false, declared: site.declared },
        new Date(`${want.on}T12:00:00Z`),
      );
      expect(state).toMatchObject({ status: want.site, basis: "declared" });
      expect(study.lead).toEqual({ name: want.lead, organisationId: want.leadOrg });
      expect(study.leadOrganisationId).toBe("unn");
      expect(study.identifiers).toEqual({ euCt: id });
      expect(study.otherIdentifiers).toEqual(
        want.protocol ? [{ scheme: "Protokollkode", value: want.protocol, url: null }] : [],
      );
      // Age groups are buckets: min 18 (no 0-17 group), never a hard max.
      expect(study.eligibility).toMatchObject({
        minAgeYears: 18,
        maxAgeYears: null,
        ageGroups: want.groups,
        healthyVolunteers: null,
        sex: "all",
      });
      if (want.products != null) expect(study.interventions).toHaveLength(want.products);
      for (const i of study.interventions!) expect(i.type).toBe("drug");
      // The trial's own dates are named in a warning, never used as inclusion dates.
      expect(warnings.some((w) => w.includes("ingen inklusjonsdatoer per land"))).toBe(true);
      expect(study.publicationState).toBe("submitted");
    },
  );

  it("'Ongoing, recruitment ended' no longer takes 'Last updated' as an inclusion end (2023-503814-62-00)", () => {
    expect(load().byId.get("2023-503814-62-00")!.study.sites![0]!.inclusionEnd).toBeNull();
  });
});
