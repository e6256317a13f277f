/**
 * The real hospital listing (Helse Nord feed format, ../shared/data) on a fresh database, read
 * back the way a patient and another system would: the default patient search and the open API.
 * Issue 16's "done when": its 15 "Åpen for rekruttering" studies are findable as declared open in
 * the hospital's own words, the "test" record is held, and every record's lead is its own
 * `utfort_av`. Skipped, with the reason, where ../shared/data is absent (no licence is stated for
 * the listing, so no copy of it ships with the project).
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { loadReferenceData } from "#app/boot.server";
import { openDatabase } from "#app/db.server";
import { buildMapContext, mapInput } from "#app/ingest/formats.server";
import { ingestBatch, type IngestReport } from "#app/ingest/ingest-service.server";
import { migrate } from "#app/models/migrations.server";
import { upsertReferenceData } from "#app/models/reference.server";
import { tempDir } from "../helpers/db";
import { startServer, type RunningServer } from "../helpers/server";
import { describeShared, sharedData } from "../helpers/shared-data";

const LISTING_FILE = "norway-helsenorge-studier/fnsp_kliniske_studier_dummydata.json";
const LISTING = sharedData(LISTING_FILE);

interface ListingRecord {
  id: number | string;
  tittel: string;
  status: string;
  utfort_av: string;
}

describeShared(LISTING_FILE, "the real hospital listing, published truthfully", () => {
  let server: RunningServer;
  let report: IngestReport;
  let records: ListingRecord[];
  let dbFile: string;

  beforeAll(async () => {
    records = JSON.parse(readFileSync(LISTING, "utf8")) as ListingRecord[];
    const dir = tempDir("ks-listing-");
    dbFile = path.join(dir, "listing.db");
    const db = openDatabase(dbFile);
    migrate(db);
    upsertReferenceData(db, loadReferenceData());
    // The feed names St. Olavs, UNN and Finnmarkssykehuset as "utført av": sent by St. Olavs,
    // authorised for the other two, as a regional feed would be.
    const ctx = buildMapContext(db, "st-olavs");
    report = ingestBatch(db, mapInput("native", readFileSync(LISTING), ctx), {
      organisationId: "st-olavs",
      alsoFor: ["unn", "finnmarkssykehuset"],
      format: "native",
      mode: "full",
    });
    db.close();
    server = await startServer({ DATABASE_PATH: dbFile, SEED_DEMO_DATA: "false" });
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
  });

  const json = async (p: string) => {
    const res = await fetch(`${server.url}${p}`);
    expect(res.status, p).toBe(200);
    return (await res.json()) as Record<string, unknown>;
  };

  it("stores every record; none is rejected", () => {
    expect(report.received).toBe(47);
    expect(report.rejected).toBe(0);
    expect(report.created).toBe(47);
  });

  it("finds the 15 'Åpen for rekruttering' studies in the default patient search", async () => {
    const open = records.filter((r) => r.status === "Åpen for rekruttering");
    expect(open).toHaveLength(15);
    const res = await fetch(`${server.url}/pasient`);
    const html = await res.text();
    expect(html).toMatch(/class="result-count"[^>]*>15 studier/);
    for (const r of open) expect(html, `record ${r.id}`).toContain(r.tittel.replace(/&/g, "&amp;").slice(0, 20));
  });

  it("says the status is the hospital's own, with its words and date, in the API", async () => {
    const body = (await json("/api/v1/studies?status=open&perPage=100")) as {
      meta: { total: number };
      data: {
        id: number;
        status: string;
        sites: { statusBasis: string; declaredStatus: { text: string; by: string } | null }[];
      }[];
    };
    expect(body.meta.total).toBe(15);
    for (const item of body.data) {
      expect(item.status).toBe("open");
      for (const site of item.sites) {
        expect(site.statusBasis).toBe("declared");
        expect(site.declaredStatus?.text).toBe("Åpen for rekruttering");
      }
    }
  });

  it("gives every record its own utfort_av as lead, and as the responsible organisation", async () => {
    const body = (await json("/api/v1/studies?perPage=100")) as {
      data: {
        id: number;
        leadOrganisation: { id: string };
        lead: { name: string; organisationId: string | null } | null;
      }[];
    };
    // Every public record (all but the held "test" record).
    expect(body.data).toHaveLength(46);
    for (const item of body.data) {
      expect(item.lead, `study ${item.id}`).not.toBeNull();
      expect(item.lead!.organisationId, `study ${item.id}`).toBe(item.leadOrganisation.id);
    }
    const leads = new Set(body.data.map((i) => i.lead!.name));
    expect([...leads].every((name) => records.some((r) => r.utfort_av === name))).toBe(true);
  });

  it("holds the record titled 'test' for an editor: it is not public", async () => {
    const test = records.find((r) => r.tittel.trim().toLowerCase() === "test")!;
    expect(test).toBeDefined();
    const body = (await json("/api/v1/studies?perPage=100")) as { data: { title: { nb: string } }[] };
    expect(body.data.length).toBeGreaterThan(0);
    expect(body.data.some((i) => i.title.nb.trim().toLowerCase() === "test")).toBe(false);
  });

  it("shows a 'Pågående' study in the hospital's words, not as 'avsluttet'", async () => {
    const ongoing = records.find((r) => r.status === "Pågående")!;
    const res = await fetch(`${server.url}/pasient?q=${encodeURIComponent(ongoing.tittel)}&status=alle`);
    const html = await res.text();
    expect(html).toContain("Pågående");
  });
});
