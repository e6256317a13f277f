/**
 * A place a registry names without coordinates and that is no registered hospital ("Research Site,
 * Moelv") is kept as written and placed at its town's centre from the postcode list, so the
 * nearest-site search can still find it; the sender is told. Without a postcode list it has none.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { buildMapContext, mapInput } from "#app/ingest/formats.server";
import { ingestBatch } from "#app/ingest/ingest-service.server";
import { replacePostcodes } from "#app/models/postcode.server";
import { getStudy } from "#app/models/study.server";
import { freshDb, type TestDb } from "../helpers/db";

let t: TestDb;
beforeAll(() => {
  t = freshDb();
});
afterAll(() => t.cleanup());

const study = (nct: string) => ({
  protocolSection: {
    identificationModule: { nctId: nct, briefTitle: "A study with a site in Moelv" },
    statusModule: {
      statusVerifiedDate: "2026-10",
      overallStatus: "RECRUITING",
      lastUpdatePostDateStruct: { date: "2026-10-02", type: "ACTUAL" },
    },
    sponsorCollaboratorsModule: { leadSponsor: { name: "Bayer", class: "INDUSTRY" } },
    designModule: { studyType: "INTERVENTIONAL", phases: ["PHASE3"] },
    eligibilityModule: { sex: "ALL", minimumAge: "18 Years" },
    contactsLocationsModule: {
      locations: [
        { facility: "Research Site", city: "Moelv", country: "Norway", status: "RECRUITING" },
        { facility: "St. Olavs Hospital", city: "Trondheim", country: "Norway", status: "RECRUITING" },
      ],
    },
  },
});

function ingest(nct: string) {
  const now = new Date("2026-12-07T10:00:00Z");
  const mapped = mapInput(
    "ctgov-json",
    Buffer.from(JSON.stringify(study(nct))),
    buildMapContext(t.db, "st-olavs", now),
  );
  return ingestBatch(t.db, mapped, { organisationId: "st-olavs", format: "ctgov-json", mode: "partial", now });
}

it("without a postcode list, a place without coordinates has none (nothing is made up)", () => {
  const report = ingest("NCT09990001");
  const site = getStudy(t.db, report.studyIds[0]!)!.sites.find((s) => s.organisationId == null)!;
  expect(site).toMatchObject({ name: "Research Site", city: "Moelv", lat: null, lon: null });
});

it("with the postcode list, it is placed at its town's centre, and the sender is told", () => {
  replacePostcodes(
    t.db,
    [
      {
        postcode: "2390",
        place: "MOELV",
        municipalityNumber: "3411",
        municipality: "Ringsaker",
        lat: 60.93,
        lon: 10.7,
        inUse: true,
      },
      {
        postcode: "2391",
        place: "MOELV",
        municipalityNumber: "3411",
        municipality: "Ringsaker",
        lat: 60.95,
        lon: 10.72,
        inUse: true,
      },
    ],
    "test",
  );
  const report = ingest("NCT09990002");
  const site = getStudy(t.db, report.studyIds[0]!)!.sites.find((s) => s.organisationId == null)!;
  expect(site).toMatchObject({ name: "Research Site", city: "Moelv", lat: 60.94, lon: 10.71 });
  expect(report.warnings.some((w) => w.message.includes("plassert i sentrum av Moelv"))).toBe(true);
  // The registered hospital keeps its own coordinates.
  const olav = getStudy(t.db, report.studyIds[0]!)!.sites.find((s) => s.organisationId === "st-olavs")!;
  expect(olav.lat).not.toBeNull();
});
