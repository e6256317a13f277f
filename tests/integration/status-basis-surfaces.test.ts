/**
 * Every surface says what a status rests on (ADR 0012), read over real HTTP from the built app
 * with the demo data: the Atom feed, the CSV export, FHIR and the hospital embed for the demo
 * studies whose statuses were declared (DEMO-070: a hospital's "Åpen for rekruttering"; DEMO-071:
 * ClinicalTrials.gov's "by invitation" with expected dates, and a "recruiting" too old to trust).
 */
import { rmSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "#app/db.server";
import { tempDir } from "../helpers/db";
import { startServer, type RunningServer } from "../helpers/server";

let dir: string;
let server: RunningServer;
let listingStudy = 0;
let registryStudy = 0;

beforeAll(async () => {
  dir = tempDir();
  const dbFile = path.join(dir, "surfaces.db");
  server = await startServer({ DATABASE_PATH: dbFile, SEED_DEMO_DATA: "true", API_RATE_LIMIT_PER_MINUTE: "0" });
  const db = openDatabase(dbFile);
  listingStudy = db.prepare("SELECT id FROM studies WHERE rek_number = '912070'").pluck().get() as number;
  registryStudy = db.prepare("SELECT id FROM studies WHERE rek_number = '912071'").pluck().get() as number;
  db.close();
});
afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const text = async (p: string) => {
  const res = await fetch(`${server.url}${p}`);
  expect(res.status, p).toBe(200);
  return res.text();
};

describe("the status basis on every machine-readable surface", () => {
  it("the Atom feed names who declared a status, when, and the expected end", async () => {
    const hearing = await text(`/feeds/search.atom?q=${encodeURIComponent("høreapparat")}`);
    expect(hearing).toContain("oppgitt av Helse Førde");
    expect(hearing).toContain("«Åpen for rekruttering»");
    const atom = await text("/feeds/search.atom?q=tinnitus");
    expect(atom).toMatch(
      /åpen bare for inviterte(, forventet oppstart [^,]+)?, forventet avsluttet \d+\. \w+ \d{4} \(oppgitt av ClinicalTrials\.gov/,
    );
    expect(atom).toMatch(/status ukjent – må bekreftes \(ikke bekreftet siden/);
  });

  it("the CSV export gives the basis, the declaration and expected dates labelled as expected", async () => {
    const csv = await text("/api/v1/export/studies.csv");
    const row = csv.split("\n").find((l) => l.includes("912071"))!;
    expect(row).toBeDefined();
    expect(row).toMatch(
      /forventet \d{4}-\d{2}-\d{2}–\d{4}-\d{2}-\d{2}, invitation, declared: «ENROLLING_BY_INVITATION» ClinicalTrials\.gov/,
    );
    expect(row).toContain("unknown, unknown: «RECRUITING» ClinicalTrials.gov");
  });

  it("FHIR says the status in words per site and by-invitation as R5 progressStatus", async () => {
    const json = JSON.parse(await text(`/fhir/ResearchStudy/${registryStudy}`)) as {
      text: { div: string };
      contained: { resourceType: string; note?: { text: string }[]; extension?: unknown[] }[];
    };
    expect(json.text.div).toContain("Åpen bare for inviterte");
    const notes = json.contained.flatMap((c) => c.note ?? []).map((n) => n.text);
    expect(notes.some((n) => n.startsWith("Status: Åpen bare for inviterte (oppgitt av ClinicalTrials.gov"))).toBe(
      true,
    );
    expect(notes.some((n) => n.startsWith("Status: Status ukjent – må bekreftes (ikke bekreftet siden"))).toBe(true);
    expect(JSON.stringify(json.contained)).toContain("enrolling-by-invitation");
  });

  it("the API gives each site its basis and the source's own words", async () => {
    const study = JSON.parse(await text(`/api/v1/studies/${listingStudy}`)) as {
      lead: { name: string } | null;
      sites: {
        registered: boolean;
        name: string | null;
        statusBasis: string;
        declaredStatus: { text: string; by: string } | null;
        status: string;
      }[];
    };
    expect(study.lead).toMatchObject({ name: "Helse Førde" });
    expect(study.sites.map((s) => [s.registered, s.status, s.statusBasis, s.declaredStatus?.text])).toEqual([
      [true, "open", "declared", "Åpen for rekruttering"],
      [false, "open", "declared", "Åpen for rekruttering"],
    ]);
    expect(study.sites[1]!.name).toBe("Hørselskontakten i Sunnfjord kommune");
  });

  it("the hospital embed says the status with its basis", async () => {
    const html = await text("/embed/organisations/helse-forde");
    expect(html).toContain("Åpen for inklusjon (oppgitt av Helse Førde");
  });
});
