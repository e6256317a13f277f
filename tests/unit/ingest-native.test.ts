/**
 * The native / hospital listing mapper: one small inline record per rule (always runs). The real
 * Helse Nord listing is tested in real-data-listing.test.ts.
 */
import { heldLinkReasons, junkReasons } from "#app/domain/junk-check";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { describeProblems, studyInputSchema } from "#app/domain/study";
import { listingStatus, parseNativeJson, type CategoryRef } from "#app/ingest/mappers/native";
import type { MapContext, MappedRecord, OrganisationRef } from "#app/ingest/types";

const organisations = JSON.parse(
  readFileSync(path.resolve(process.cwd(), "data/reference/organisations.json"), "utf8"),
) as OrganisationRef[];
const categories = JSON.parse(
  readFileSync(path.resolve(process.cwd(), "data/reference/hrcs-categories.json"), "utf8"),
) as CategoryRef[];
const RECEIVED = "2026-03-02";
const ctx: MapContext & { categories: CategoryRef[] } = {
  organisationId: "unn",
  organisations,
  categories,
  receivedOn: RECEIVED,
};

function map(records: unknown[], context = ctx) {
  return parseNativeJson(JSON.stringify(records), context);
}
function one(record: Record<string, unknown>, context = ctx): MappedRecord {
  const r = map([{ id: "1", tittel: "En studie", sammendrag: "Kort om studien", ...record }], context);
  expect(r.rejected).toEqual([]);
  expect(r.records).toHaveLength(1);
  const parsed = studyInputSchema.safeParse(r.records[0]!.study);
  if (!parsed.success) throw new Error(JSON.stringify(describeProblems(parsed.error)));
  return r.records[0]!;
}

describe("hospital listing status → declared status, dated the day of receipt", () => {
  it.each([
    ["Åpen for rekruttering", "recruiting"],
    ["åpen for rekruttering", "recruiting"],
    ["Pågående", "active_not_recruiting"],
    ["Avsluttet", "completed"],
    ["Planlagt", "not_yet_recruiting"],
    ["Ikke startet", "not_yet_recruiting"],
    ["Midlertidig stengt", "suspended"],
    ["Pause", "suspended"],
    ["Kun etter invitasjon", "invitation_only"],
  ])("%s → %s, with the hospital's wording, by utfort_av", (text, status) => {
    const r = one({ status: text, utfort_av: "St. Olavs hospital" });
    expect(r.study.sites).toEqual([
      { organisationId: "st-olavs", declared: { status, text, on: RECEIVED, by: "St. Olavs hospital" } },
    ]);
    expect(listingStatus(text)).toBe(status);
  });

  it("an unknown wording → unknown, with a warning", () => {
    const r = one({ status: "Under vurdering", utfort_av: "St. Olavs hospital" });
    expect(r.study.sites![0]!.declared).toEqual({
      status: "unknown",
      text: "Under vurdering",
      on: RECEIVED,
      by: "St. Olavs hospital",
    });
    expect(r.warnings.some((w) => w.includes("ukjent status «Under vurdering»"))).toBe(true);
  });

  it("no status → no declaration (planned, start not set); no receivedOn → today's Oslo date", () => {
    expect(one({ utfort_av: "St. Olavs hospital" }).study.sites).toEqual([
      { organisationId: "st-olavs", declared: null },
    ]);
    const { receivedOn: _, ...noDate } = ctx;
    const on = one({ status: "Pågående", utfort_av: "UNN" }, noDate).study.sites![0]!.declared!.on;
    expect(on).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });
});

describe("sites and lead from the organisations the record names", () => {
  it("utfort_av and each deltakende_foretak are sites (once each); the lead is utfort_av; the owner its organisation", () => {
    const r = one({
      status: "Åpen for rekruttering",
      utfort_av: "Universitetssykehuset Nord-Norge",
      deltakende_foretak: [
        "Helse Bergen",
        "Universitetssykehuset Nord-Norge",
        "Oslo University Hospital",
        "Frisklivssentralen i Tromsø",
      ],
    });
    expect(r.study.sites!.map((s) => [s.organisationId, s.name ?? null])).toEqual([
      ["unn", null],
      ["helse-bergen", null],
      ["ous", null],
      [null, "Frisklivssentralen i Tromsø"], // not registered: kept as written, never dropped
    ]);
    for (const s of r.study.sites!)
      expect(s.declared).toMatchObject({ status: "recruiting", by: "Universitetssykehuset Nord-Norge" });
    expect(r.study.lead).toEqual({ name: "Universitetssykehuset Nord-Norge", organisationId: "unn" });
    expect(r.study.leadOrganisationId).toBe("unn");
    expect(r.warnings.some((w) => w.includes("Frisklivssentralen i Tromsø"))).toBe(true);
  });

  it("each record belongs to its own utfort_av, not to the sender", () => {
    const r = one({ utfort_av: "Finnmarkssykehuset" }, { ...ctx, organisationId: "unn" });
    expect(r.study.leadOrganisationId).toBe("finnmarkssykehuset");
  });

  it("an unregistered utfort_av: the lead as written (no id), the sender owns the record, the site is kept as written", () => {
    const r = one({ utfort_av: "Universitetet i Tromsø", status: "Pågående" });
    expect(r.study.lead).toEqual({ name: "Universitetet i Tromsø", organisationId: null });
    expect(r.study.leadOrganisationId).toBe("unn");
    expect(r.study.sites).toEqual([
      {
        organisationId: null,
        name: "Universitetet i Tromsø",
        declared: expect.objectContaining({ status: "active_not_recruiting" }),
      },
    ]);
  });

  it("no organisation named → no site and no lead (the sender is neither)", () => {
    const r = one({ status: "Åpen for rekruttering" });
    expect(r.study.sites).toEqual([]);
    expect(r.study.lead).toBeNull();
    expect(r.study.leadOrganisationId).toBe("unn");
  });
});

describe("studiesteder (the native extension)", () => {
  it("dates win; a site without a start takes its own status (status/status_dato), else the record's", () => {
    const r = one({
      status: "Åpen for rekruttering",
      utfort_av: "st-olavs",
      studiesteder: [
        { foretak: "st-olavs", sykehus: "st-olavs-oya", inklusjon_start: "2026-01-01", inklusjon_slutt: "2026-12-31" },
        { foretak: "unn", status: "Midlertidig stengt", status_dato: "2026-02-15" },
        { foretak: "helse-bergen" },
        { foretak: "Ukjent klinikk AS" },
      ],
    });
    expect(
      r.study.sites!.map((s) => [
        s.organisationId,
        s.name,
        s.inclusionStart,
        s.declared?.status ?? null,
        s.declared?.on ?? null,
      ]),
    ).toEqual([
      ["st-olavs", null, "2026-01-01", null, null],
      ["unn", null, null, "suspended", "2026-02-15"],
      ["helse-bergen", null, null, "recruiting", RECEIVED],
      [null, "Ukjent klinikk AS", null, "recruiting", RECEIVED],
    ]);
  });

  it("a bad status_dato rejects the record naming the sender's field", () => {
    const r = map([
      { id: "9", tittel: "T", studiesteder: [{ foretak: "unn", status: "Pause", status_dato: "2026-02-30" }] },
    ]);
    expect(r.records).toEqual([]);
    expect(r.rejected).toEqual([expect.objectContaining({ externalId: "9", field: "studiesteder.0.status_dato" })]);
    const future = map([
      { id: "9", tittel: "T", studiesteder: [{ foretak: "unn", status: "Pause", status_dato: "2027-01-01" }] },
    ]);
    expect(future.rejected).toEqual([
      expect.objectContaining({
        field: "studiesteder.0.status_dato",
        message: expect.stringContaining("etter mottaksdagen"),
      }),
    ]);
  });
});

describe("fields", () => {
  it("friske_frivillige absent → unknown (null), never no", () => {
    expect(one({}).study.eligibility!.healthyVolunteers).toBeNull();
    expect(one({ friske_frivillige: false }).study.eligibility!.healthyVolunteers).toBe(false);
    expect(one({ friske_frivillige: true }).study.eligibility!.healthyVolunteers).toBe(true);
  });

  it("lenke is kept as a link; an intranet host is warned about", () => {
    const r = one({ lenke: "http://stolav.hn1-02.int-hn.nhn.no/kliniske-studier/x" });
    expect(r.study.links).toEqual([
      { url: "http://stolav.hn1-02.int-hn.nhn.no/kliniske-studier/x", label: "Studien på sykehusets nettsider" },
    ]);
    // The ingest service holds the link (stored, never shown): see junk-check and run-accounts tests.
    expect(heldLinkReasons({ links: r.study.links as { url: string }[] })).toHaveLength(1);
  });

  it("a record titled 'test' is mapped as sent; the one junk check in the ingest service holds it", () => {
    const r = one({ tittel: "test", sammendrag: "test" });
    expect(junkReasons({ title: { nb: r.study.title.nb }, links: [] })).toEqual([
      "tittelen «test» ser ut som en testpost",
    ]);
    expect(junkReasons({ title: { nb: one({}).study.title.nb }, links: [] })).toEqual([]);
  });
});
