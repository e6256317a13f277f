/**
 * Bringing a database up to date at start (and from the db:* scripts): migrations, the
 * project's reference lists, and the demo seed into an empty database.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import type { Db } from "./db.server";
import { referenceDataSchema, type ReferenceData } from "./domain/reference";
import { migrate } from "./models/migrations.server";
import { getMeta } from "./models/meta.server";
import {
  defaultDiagnosekoderDir,
  refreshShippedReferenceData,
  type ReferenceRefresh,
  type ReferenceSources,
} from "./shipped-reference.server";
import { seedDemoStudies, DEMO_SEEDED_KEY, type SeedReport } from "./seed/demo-seed.server";

export const REFERENCE_DIR = path.resolve(process.cwd(), "data/reference");

export function loadReferenceData(dir = REFERENCE_DIR): ReferenceData {
  const read = (file: string) => JSON.parse(readFileSync(path.join(dir, file), "utf8")) as unknown;
  const result = referenceDataSchema.safeParse({
    regions: read("regions.json"),
    organisations: read("organisations.json"),
    hrcsCategories: read("hrcs-categories.json"),
    icd10: read("icd10.json"),
  });
  if (!result.success) {
    const first = result.error.issues.slice(0, 5).map((i) => `${i.path.join(".")}: ${i.message}`);
    throw new Error(`Reference data in ${dir} is invalid:\n  ${first.join("\n  ")}`);
  }
  return result.data;
}

export interface BootReport {
  migrationsApplied: string[];
  seeded: SeedReport | null;
  reference: ReferenceRefresh;
}

/** Where the shipped reference data is read from (tests may point elsewhere; never at ../shared). */
export function referenceSources(): ReferenceSources {
  return { dir: REFERENCE_DIR, diagnosekoderDir: defaultDiagnosekoderDir() };
}

/** Loads shipped reference data that differs from what the database holds (start, db:migrate, and server.ts every minute). */
export function refreshReferenceData(
  db: Db,
  options: { upsertLists?: boolean; sources?: ReferenceSources } = {},
): ReferenceRefresh {
  const sources = options.sources ?? referenceSources();
  return refreshShippedReferenceData(db, () => loadReferenceData(sources.dir), sources, {
    upsertLists: options.upsertLists,
  });
}

export function prepareDatabase(db: Db, options: { seedDemoData: boolean; now?: Date }): BootReport {
  const applied = migrate(db);
  // The shipped reference lists, postcodes and diagnosis codes: loaded where they differ from
  // what the database holds (a first start loads them all; no manual command).
  const reference = refreshReferenceData(db, { upsertLists: true });
  let seeded: SeedReport | null = null;
  // Seed once: an existing database (even one whose demo studies were withdrawn) is never re-seeded.
  if (options.seedDemoData && getMeta(db, DEMO_SEEDED_KEY) == null) {
    const count = db.prepare("SELECT count(*) FROM studies").pluck().get() as number;
    if (count === 0) seeded = seedDemoStudies(db, { now: options.now });
  }
  return {
    migrationsApplied: applied.map((m) => `${String(m.version).padStart(4, "0")}_${m.name}`),
    seeded,
    reference,
  };
}
