import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prepareDatabase } from "#app/boot.server";
import { openDatabase, type Db } from "#app/db.server";
import { studyStatus } from "#app/domain/inclusion-status";
import { getMeta } from "#app/models/meta.server";
import { listStudies } from "#app/models/study.server";
import { seedDemoStudies } from "#app/seed/demo-seed.server";
import { demoStudySpecs } from "../../data/seed/demo-studies";
import { tempDir } from "../helpers/db";
import path from "node:path";
import { rmSync } from "node:fs";

const NOW = new Date("2026-11-22T10:00:00Z");
let dir: string;
let db: Db;
beforeAll(() => {
  dir = tempDir();
  db = openDatabase(path.join(dir, "seed.db"));
});
afterAll(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const count = (sql: string) => db.prepare(sql).pluck().get() as number;

describe("demo seed", () => {
  it("seeds an empty database at start with every demo study", () => {
    const report = prepareDatabase(db, { seedDemoData: true, now: NOW });
    expect(report.migrationsApplied.length).toBeGreaterThan(0);
    expect(report.seeded?.failed).toEqual([]);
    expect(report.seeded?.created).toBe(demoStudySpecs.length);
    expect(count("SELECT count(*) FROM studies")).toBe(demoStudySpecs.length);
    expect(count("SELECT count(*) FROM studies WHERE is_demo = 1")).toBe(demoStudySpecs.length);
    expect(getMeta(db, "demo_seeded_at")).toBe(NOW.toISOString());
  });

  it("covers the country: ≥ 60 studies, all four regions, ≥ 15 lead organisations, multi-centre studies", () => {
    expect(count("SELECT count(*) FROM studies")).toBeGreaterThanOrEqual(60);
    expect(
      count("SELECT count(DISTINCT o.region_id) FROM studies s JOIN organisations o ON o.id = s.lead_organisation_id"),
    ).toBe(4);
    expect(count("SELECT count(DISTINCT lead_organisation_id) FROM studies")).toBeGreaterThanOrEqual(15);
    expect(
      count(
        "SELECT count(*) FROM (SELECT study_id FROM study_sites GROUP BY study_id HAVING count(DISTINCT organisation_id) > 1)",
      ),
    ).toBeGreaterThanOrEqual(10);
    expect(count("SELECT count(*) FROM studies WHERE study_type = 'treatment'")).toBeGreaterThan(0);
    expect(count("SELECT count(*) FROM studies WHERE study_type = 'observational'")).toBeGreaterThan(0);
    expect(count("SELECT count(*) FROM study_texts WHERE lang = 'en' AND field = 'title'")).toBeGreaterThan(0);
  });

  it("has every status among published studies on the day it was seeded", () => {
    const statuses = new Set(
      listStudies(db).map((s) =>
        studyStatus(
          s.sites.filter((x) => !x.withdrawn),
          NOW,
        ),
      ),
    );
    for (const status of ["open", "planned", "closed", "paused"]) expect(statuses).toContain(status);
  });

  it("does not seed twice at the next start", () => {
    const before = count("SELECT count(*) FROM study_versions");
    const report = prepareDatabase(db, { seedDemoData: true, now: new Date("2026-11-23T10:00:00Z") });
    expect(report.seeded).toBeNull();
    expect(report.migrationsApplied).toEqual([]);
    expect(count("SELECT count(*) FROM study_versions")).toBe(before);
  });

  it("db:seed on the same day changes nothing; on a later day updates each demo study once", () => {
    const same = seedDemoStudies(db, { now: NOW });
    expect(same).toMatchObject({ created: 0, updated: 0, unchanged: demoStudySpecs.length, failed: [] });
    const later = seedDemoStudies(db, { now: new Date("2026-12-01T10:00:00Z") });
    expect(later.created).toBe(0);
    expect(later.failed).toEqual([]);
    // A study whose sites only carry declared statuses (no dates, no expected dates) is confirmed in place (its declaration
    // dates move to the new day, no new version: ADR 0012); every other one is updated.
    const declaredOnly = demoStudySpecs.filter((spec) =>
      spec.sites.every(
        (site) =>
          site.startOffsetDays == null &&
          site.endOffsetDays == null &&
          site.expectedStartOffsetDays == null &&
          site.expectedEndOffsetDays == null,
      ),
    );
    expect(declaredOnly.map((spec) => spec.key)).toEqual(["DEMO-070"]);
    expect(later.updated).toBe(demoStudySpecs.length - declaredOnly.length);
    expect(count("SELECT count(*) FROM studies")).toBe(demoStudySpecs.length);
    const moved = db
      .prepare(
        "SELECT DISTINCT declared_on FROM study_sites WHERE declared_status IS NOT NULL AND study_id = (SELECT study_id FROM study_sites WHERE site_name = 'Hørselskontakten i Sunnfjord kommune')",
      )
      .pluck()
      .all();
    expect(moved).toEqual(["2026-11-28"]); // 2026-12-01 − 3 days
  });
});
