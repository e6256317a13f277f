/**
 * Atomicity under a real crash: kill -9 the ingest CLI in the middle of a large feed, then check
 * that every study is whole (its rows equal its latest version), that the database is intact,
 * and that running the feed again converges.
 */
import { spawn, spawnSync } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { isDeepStrictEqual } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "#app/db.server";
import { getStudy, latestSnapshot, toStudyInput } from "#app/models/study.server";
import { generateNativeFeed } from "../../scripts/lib/generate-native-feed";
import { tempDir } from "../helpers/db";
import { childEnv } from "../helpers/server";

const TSX = path.resolve("node_modules/.bin/tsx");
// The ingest must run in ONE process so SIGKILL hits the writer itself (the tsx CLI would run
// the script in a child process that survives the kill).
const NODE_TSX = [process.execPath, "--import", "tsx"] as const;
const N = 20_000;
let dir: string;
let dbFile: string;
let feed: string;

beforeAll(() => {
  dir = tempDir();
  dbFile = path.join(dir, "crash.db");
  feed = path.join(dir, "feed.json");
  writeFileSync(feed, JSON.stringify(generateNativeFeed(N, { organisationId: "st-olavs" })));
  // Migrate first so the crash lands in the ingest, not in the schema set-up.
  const migrate = spawnSync(TSX, ["scripts/db-migrate.ts"], { env: childEnv({ DATABASE_PATH: dbFile }) });
  expect(migrate.status).toBe(0);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ingestArgs = () => ["scripts/ingest.ts", "--org", "st-olavs", "--format", "native", "--full", "--json", feed];

function studyCount(): number {
  const db = openDatabase(dbFile);
  try {
    return db.prepare("SELECT count(*) FROM studies").pluck().get() as number;
  } finally {
    db.close();
  }
}

describe("kill -9 during a large ingest", () => {
  it("leaves every study fully old or fully new, and the feed converges when sent again", async () => {
    const child = spawn(NODE_TSX[0], [...NODE_TSX.slice(1), ...ingestArgs()], {
      env: childEnv({ DATABASE_PATH: dbFile }),
      stdio: "ignore",
    });
    // Wait until some chunks have committed, then kill without warning.
    const deadline = Date.now() + 60_000;
    while (studyCount() < 1000 && Date.now() < deadline && child.exitCode === null)
      await new Promise((r) => setTimeout(r, 20));
    child.kill("SIGKILL");
    await new Promise((r) => child.once("exit", r));

    const stored = studyCount();
    expect(stored, "the kill must land mid-ingest").toBeGreaterThan(0);
    expect(stored, "the kill must land mid-ingest").toBeLessThan(N);

    const db = openDatabase(dbFile);
    expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
    expect(db.pragma("foreign_key_check")).toEqual([]);
    const ids = db.prepare("SELECT id FROM studies ORDER BY id").pluck().all() as number[];
    const torn = ids.filter((id) => {
      const record = getStudy(db, id)!;
      const versions = db
        .prepare("SELECT max(version) FROM study_versions WHERE study_id = ?")
        .pluck()
        .get(id) as number;
      return record.currentVersion !== versions || !isDeepStrictEqual(toStudyInput(record), latestSnapshot(db, id));
    });
    expect(torn).toEqual([]);
    // Every stored study also has its provenance and its site (written in the same transaction).
    expect(
      db
        .prepare(
          "SELECT count(*) FROM studies s WHERE NOT EXISTS (SELECT 1 FROM study_provenance p WHERE p.study_id = s.id)",
        )
        .pluck()
        .get(),
    ).toBe(0);
    expect(
      db
        .prepare(
          "SELECT count(*) FROM studies s WHERE NOT EXISTS (SELECT 1 FROM study_sites x WHERE x.study_id = s.id)",
        )
        .pluck()
        .get(),
    ).toBe(0);
    db.close();

    const again = spawnSync(TSX, ingestArgs(), {
      env: childEnv({ DATABASE_PATH: dbFile }),
      encoding: "utf8",
      maxBuffer: 256 * 1024 * 1024,
    });
    expect(again.status, again.stderr).toBe(0);
    const report = JSON.parse(again.stdout) as { created: number; unchanged: number; rejected: number };
    expect(report).toMatchObject({ created: N - stored, unchanged: stored, rejected: 0 });
    expect(studyCount()).toBe(N);
  }, 180_000);
});
