/**
 * Site confirmations on real SQLite (ADR 0019): who confirmed each site's dates and when; a
 * one-click confirmation makes a history entry and no version; a delivery confirms what it
 * carries; saving other fields confirms nothing; migration 0018 backfills honestly (the site's
 * last change, marked "backfill", never a confirmation that did not happen).
 */
import { cpSync, readdirSync, rmSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "#app/db.server";
import { siteState } from "#app/domain/inclusion-status";
import { buildMapContext, mapInput } from "#app/ingest/formats.server";
import { ingestBatch } from "#app/ingest/ingest-service.server";
import { DEFAULT_MIGRATIONS_DIR, migrate } from "#app/models/migrations.server";
import { upsertReferenceData } from "#app/models/reference.server";
import { loadReferenceData } from "#app/boot.server";
import { getStudy, listSiteConfirmations, listStudyVersions, saveStudy, type Actor } from "#app/models/study.server";
import { confirmSite } from "#app/models/study-work.server";
import { studyPageBase } from "#app/views/study-page.server";
import { ForbiddenError, type Principal } from "#app/auth/policy";
import { getUser } from "#app/models/user.server";
import { freshDb, tempDir, type TestDb } from "../helpers/db";
import { createPeople, PEOPLE, testStudy, type Person } from "../helpers/accounts";
import { saveStudyOrThrow } from "../helpers/studies";

let t: TestDb;
let people: Record<Person, Principal>;
beforeAll(async () => {
  t = freshDb();
  const ids = await createPeople(t.db);
  people = Object.fromEntries(Object.entries(ids).map(([k, id]) => [k, getUser(t.db, id)!])) as unknown as Record<
    Person,
    Principal
  >;
});
afterAll(() => t.cleanup());

const system: Actor = { kind: "system", name: "test" };
const user: Actor = { kind: "user", id: "7", name: "Kari Forsker" };
const outbox = (id: number) =>
  t.db.prepare("SELECT count(*) FROM search_outbox WHERE study_id = ?").pluck().get(id) as number;
const site = (id: number, org: string) => getStudy(t.db, id)!.sites.find((s) => s.organisationId === org)!;
let rek = 770000;
function save(
  over: Parameters<typeof testStudy>[0] = {},
  actor: Actor = system,
  now = new Date("2026-01-10T09:00:00Z"),
): number {
  const r = saveStudyOrThrow(
    t.db,
    testStudy({ identifiers: { rek: String(rek++) }, publicationState: "published", ...over }),
    { actor, now },
  );
  return r.studyId;
}

describe("recorded confirmations", () => {
  it("a new site is confirmed by whoever created it, on that Oslo day", () => {
    const id = save({}, user, new Date("2026-01-10T23:30:00Z")); // 00:30 on 11 January in Oslo
    expect(site(id, "st-olavs").confirmation).toEqual({
      at: "2026-01-10T23:30:00.000Z",
      on: "2026-01-11",
      byKind: "user",
      byId: "7",
      byName: "Kari Forsker",
    });
    expect(site(id, "st-olavs").confirmedOn).toBe("2026-01-11");
  });

  it("changing a site's dates confirms that site only; saving other fields confirms nothing", () => {
    const id = save();
    const base = testStudy({ identifiers: { rek: String(rek - 1) }, publicationState: "published" });
    const later = new Date("2026-05-02T09:00:00Z");
    const sites = base.sites!.map((s) => (s.organisationId === "ous" ? { ...s, inclusionEnd: "2027-09-30" } : s));
    expect(saveStudy(t.db, { ...base, sites }, { studyId: id, actor: user, now: later }).ok).toBe(true);
    expect(site(id, "ous").confirmation).toMatchObject({ on: "2026-05-02", byKind: "user" });
    expect(site(id, "st-olavs").confirmation).toMatchObject({ on: "2026-01-10", byKind: "system" });
    expect(
      saveStudy(
        t.db,
        { ...base, sites, title: { nb: "Ny tittel" } },
        { studyId: id, actor: user, now: new Date("2026-06-01T09:00:00Z") },
      ).ok,
    ).toBe(true);
    expect(site(id, "ous").confirmedOn).toBe("2026-05-02");
    expect(site(id, "st-olavs").confirmedOn).toBe("2026-01-10");
  });

  it("one click by an editor: a history entry, no new version, the index told, and the site counts as open again", async () => {
    const id = save();
    const editor = people.editorOus;
    const lapsedAt = new Date("2027-02-01T12:00:00Z");
    expect(siteState(site(id, "ous"), lapsedAt).status).toBe("unknown"); // confirmed 10 January 2026, 12 months + 1 day ago
    const versions = listStudyVersions(t.db, id).length;
    const before = outbox(id);
    const confirmation = confirmSite(t.db, editor, id, "ous/", new Date("2027-01-31T10:00:00Z"));
    expect(confirmation).toMatchObject({ on: "2027-01-31", byKind: "user", byName: PEOPLE.editorOus.name });
    expect(listStudyVersions(t.db, id)).toHaveLength(versions);
    expect(outbox(id)).toBe(before + 1);
    const history = listSiteConfirmations(t.db, id);
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({
      siteKey: "ous/",
      confirmedOn: "2027-01-31",
      actorName: PEOPLE.editorOus.name,
      window: { inclusionStart: "2026-03-01", inclusionEnd: "2027-03-01", paused: false },
    });
    expect(siteState(site(id, "ous"), lapsedAt).status).toBe("open");
    // The other site was not confirmed.
    expect(siteState(site(id, "st-olavs"), lapsedAt).status).toBe("unknown");
  });

  it("is authorised like editing that site's dates: another organisation's editor is refused and nothing is written", async () => {
    const id = save();
    const otherEditor = people.editorStOlavs;
    expect(() => confirmSite(t.db, otherEditor, id, "ous/", new Date("2026-03-01T10:00:00Z"))).toThrow(ForbiddenError);
    expect(listSiteConfirmations(t.db, id)).toHaveLength(0);
    expect(site(id, "ous").confirmedOn).toBe("2026-01-10");
  });

  it("a delivery that carries the site unchanged confirms it (by the feed), with no version; a later day moves the date", () => {
    const listing = Buffer.from(
      JSON.stringify([
        {
          id: "K-1",
          tittel: "Studie som leses igjen",
          sammendrag: "Kort.",
          status: "Åpen for rekruttering",
          utfort_av: "St. Olavs hospital",
        },
      ]),
    );
    const read = (day: string) => {
      const now = new Date(`${day}T09:00:00Z`);
      return ingestBatch(t.db, mapInput("native", listing, buildMapContext(t.db, "st-olavs", now)), {
        organisationId: "st-olavs",
        format: "native",
        mode: "full",
        now,
      });
    };
    const first = read("2026-02-01");
    const id = first.studyIds[0]!;
    expect(getStudy(t.db, id)!.sites[0]!.confirmation).toMatchObject({ on: "2026-02-01", byKind: "feed" });
    const versions = listStudyVersions(t.db, id).length;
    const before = outbox(id);
    read("2026-09-15");
    expect(listStudyVersions(t.db, id)).toHaveLength(versions);
    expect(getStudy(t.db, id)!.sites[0]!.confirmation).toMatchObject({ on: "2026-09-15", byKind: "feed" });
    expect(outbox(id)).toBe(before + 1);
    // Deliveries are no history entries (the ingest runs record them).
    expect(listSiteConfirmations(t.db, id)).toHaveLength(0);
  });
});

describe("on the study page", () => {
  it("an open site nobody confirmed for over 6 months ranks after a confirmed open one and says since when", () => {
    const id = save(); // both sites confirmed 10 January 2026
    confirmSite(t.db, people.editorStOlavs, id, "st-olavs/", new Date("2026-08-20T09:00:00Z"));
    const page = studyPageBase(getStudy(t.db, id)!, {
      lang: "nb",
      now: new Date("2026-09-01T10:00:00Z"),
      categoryNames: new Map(),
    });
    // Alphabetically Oslo would come first; both are open.
    expect(page.sites.map((s) => [s.name, s.status, s.overdue])).toEqual([
      ["St. Olavs hospital HF", "open", false],
      ["Oslo universitetssykehus HF", "open", true],
    ]);
    expect(page.sites[0]!.confirmedText).toBe("Sist bekreftet 20. august 2026");
    expect(page.sites[1]!.statusText).toContain("ikke bekreftet siden 10. januar 2026");
  });
});

describe("migration 0018 backfills from the site's last change, marked as such", () => {
  it("uses the newest version that changed the site, else the first, with its actor; kind 'backfill'", () => {
    // Versions written by today's code, copied into a database that stops at 0017, then migrated.
    const id = save({}, { kind: "source", id: "feed-1", name: "st-olavs (native)" }, new Date("2025-03-01T22:30:00Z"));
    const base = testStudy({ identifiers: { rek: String(rek - 1) }, publicationState: "published" });
    const sites = base.sites!.map((s) => (s.organisationId === "st-olavs" ? { ...s, inclusionEnd: "2027-12-31" } : s));
    expect(
      saveStudy(t.db, { ...base, sites }, { studyId: id, actor: user, now: new Date("2025-06-10T08:00:00Z") }).ok,
    ).toBe(true);
    expect(
      saveStudy(
        t.db,
        { ...base, sites, title: { nb: "Endret tittel" } },
        { studyId: id, actor: system, now: new Date("2025-09-01T08:00:00Z") },
      ).ok,
    ).toBe(true);

    const dir = tempDir();
    try {
      const migrations = path.join(dir, "migrations");
      cpSync(DEFAULT_MIGRATIONS_DIR, migrations, { recursive: true });
      const later = readdirSync(migrations).filter((f) => Number(f.slice(0, 4)) >= 18);
      for (const f of later) rmSync(path.join(migrations, f));
      const old = openDatabase(path.join(dir, "old.db"));
      migrate(old, migrations);
      upsertReferenceData(old, loadReferenceData());
      old.pragma("foreign_keys = OFF");
      old.prepare("ATTACH DATABASE ? AS src").run(t.file);
      for (const table of ["studies", "study_versions", "study_sites"]) {
        const cols = (old.prepare(`SELECT name FROM pragma_table_info('${table}')`).pluck().all() as string[]).join(
          ", ",
        );
        old
          .prepare(
            `INSERT INTO main.${table} (${cols}) SELECT ${cols} FROM src.${table} WHERE ${table === "studies" ? "id" : "study_id"} = ?`,
          )
          .run(id);
      }
      old.prepare("DETACH DATABASE src").run();
      migrate(old, DEFAULT_MIGRATIONS_DIR);
      const rows = old
        .prepare(
          "SELECT organisation_id, confirmed_at, confirmed_on, confirmed_by_kind, confirmed_by_id, confirmed_by_name FROM study_sites WHERE study_id = ? ORDER BY organisation_id",
        )
        .all(id);
      expect(rows).toEqual([
        // Not changed since it was created by the feed on 1 March 2025 (23:30 in Oslo; counted as UTC+1).
        {
          organisation_id: "ous",
          confirmed_at: "2025-03-01T22:30:00.000Z",
          confirmed_on: "2025-03-01",
          confirmed_by_kind: "backfill",
          confirmed_by_id: "feed-1",
          confirmed_by_name: "st-olavs (native)",
        },
        // Its end date changed in version 2; the title change in version 3 is not the site's.
        {
          organisation_id: "st-olavs",
          confirmed_at: "2025-06-10T08:00:00.000Z",
          confirmed_on: "2025-06-10",
          confirmed_by_kind: "backfill",
          confirmed_by_id: "7",
          confirmed_by_name: "Kari Forsker",
        },
      ]);
      old.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
