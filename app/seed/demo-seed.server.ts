/**
 * The project's fictional demo studies (data/seed), with inclusion dates computed from the day
 * the seed runs so the demo always has open, planned, closed and paused studies.
 */
import type { Db } from "#app/db.server";
import { osloDate } from "#app/domain/inclusion-status";
import { demoStudySpecs } from "../../data/seed/demo-studies";
import { materialiseDemoStudy } from "../../data/seed/demo-spec";
import { saveStudy } from "#app/models/study.server";
import { setMeta } from "#app/models/meta.server";

export const DEMO_SOURCE_ID = "demo-seed";
export const DEMO_SEEDED_KEY = "demo_seeded_at";

export interface SeedReport {
  today: string;
  created: number;
  updated: number;
  unchanged: number;
  failed: { key: string; problems: { field: string; message: string }[] }[];
}

export function seedDemoStudies(db: Db, options: { now?: Date } = {}): SeedReport {
  const now = options.now ?? new Date();
  const today = osloDate(now);
  const report: SeedReport = { today, created: 0, updated: 0, unchanged: 0, failed: [] };
  db.transaction(() => {
    for (const spec of demoStudySpecs) {
      const { key, study } = materialiseDemoStudy(spec, today);
      const result = saveStudy(db, study, {
        provenance: { sourceId: DEMO_SOURCE_ID, externalId: key },
        actor: { kind: "seed", name: "Demodata (fiktive studier)" },
        now,
      });
      if (!result.ok) report.failed.push({ key, problems: result.problems });
      else if (result.created) report.created++;
      else if (result.changed) report.updated++;
      else report.unchanged++;
    }
    setMeta(db, DEMO_SEEDED_KEY, now.toISOString());
  }).immediate();
  return report;
}
