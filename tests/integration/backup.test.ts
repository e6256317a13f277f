/**
 * npm run db:backup / db:restore against the real built server: a backup taken while studies are
 * being ingested over HTTP is consistent (integrity_check, and the studies it holds are exactly a
 * prefix of the ones sent one after another); restored into a fresh path, a new server serves
 * those studies. Restore refuses while a server holds the target, and refuses a damaged backup
 * without touching anything.
 */
import { spawn } from "node:child_process";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prepareDatabase } from "#app/boot.server";
import { openDatabase } from "#app/db.server";
import { checkDatabaseFile } from "#app/models/backup.server";
import { issueToken } from "#app/models/token.server";
import { tempDir } from "../helpers/db";
import { childEnv, startServer, type RunningServer } from "../helpers/server";

let dir: string;
let dbFile: string;
let server: RunningServer;
let token: string;

beforeAll(async () => {
  dir = tempDir("ks-backup-");
  dbFile = path.join(dir, "live.db");
  const db = openDatabase(dbFile);
  prepareDatabase(db, { seedDemoData: true });
  token = issueToken(db, "ous", "backup test").token;
  db.close();
  server = await startServer({ DATABASE_PATH: dbFile, SEED_DEMO_DATA: "false", API_RATE_LIMIT_PER_MINUTE: "0" });
});
afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

function run(
  script: string,
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", script, ...args], {
    env: childEnv(env),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  return new Promise((resolve) => child.on("exit", (code) => resolve({ code, output })));
}

const study = (n: number) => ({
  id: `BK-${n}`,
  tittel: `Sikkerhetskopistudie ${n}`,
  sammendrag: "Et kort sammendrag.",
  studietype: "behandling",
  utfort_av: "ous",
  identifikatorer: { rek: `55${String(n).padStart(4, "0")}` },
  studiesteder: [{ foretak: "ous", inklusjon_start: "2026-01-01", inklusjon_slutt: "2027-12-31" }],
});

async function ingestOne(n: number): Promise<void> {
  const res = await fetch(`${server.url}/api/v1/organisations/ous/studies?format=native`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify([study(n)]),
  });
  expect(res.status).toBe(200);
  expect(await res.json()).toMatchObject({ created: 1 });
}

/** Our studies in a database file (n of BK-n, from their REK number 55nnnn, and their ids), and every published study's id. */
function contents(file: string): { ours: number[]; oursIds: number[]; published: number[] } {
  const db = openDatabase(file);
  try {
    const rows = db
      .prepare("SELECT id, rek_number AS rek FROM studies WHERE rek_number LIKE '55%' ORDER BY id")
      .all() as { id: number; rek: string }[];
    const published = db
      .prepare("SELECT id FROM studies WHERE publication_state = 'published' ORDER BY id")
      .pluck()
      .all() as number[];
    return {
      ours: rows.map((r) => Number(r.rek.replace(/\D/g, "")) - 550000).sort((a, b) => a - b),
      oursIds: rows.map((r) => r.id),
      published,
    };
  } finally {
    db.close();
  }
}

describe("npm run db:backup and db:restore", () => {
  it("--help explains both commands", async () => {
    for (const script of ["scripts/db-backup.ts", "scripts/db-restore.ts"]) {
      const { code, output } = await run(script, ["--help"], {});
      expect(code, script).toBe(0);
      expect(output).toMatch(/^Usage: npm run db:(backup|restore) -- </);
    }
  });

  it("a backup taken during writes is consistent; restored into a fresh path, a server serves its studies", async () => {
    const backup = path.join(dir, "backups", "during-writes.db");
    const sent: number[] = [];
    let backupDone = false;
    let firstWrites!: () => void;
    const someWritten = new Promise<void>((resolve) => (firstWrites = resolve));
    const writes = (async () => {
      // Sequential writes: three before the backup starts (the first delivery also starts the
      // server's ingest worker, which on a busy machine can outlast a whole backup), then on
      // until the backup has finished.
      for (let n = 0; n < 400 && (!backupDone || n < 5); n++) {
        await ingestOne(n);
        sent.push(n);
        if (sent.length === 3) firstWrites();
      }
    })();
    await someWritten;
    const backupRun = run("scripts/db-backup.ts", [backup], { DATABASE_PATH: dbFile }).finally(
      () => (backupDone = true),
    );
    const [result] = await Promise.all([backupRun, writes]);
    expect(result.code, result.output).toBe(0);
    expect(result.output).toMatch(
      /Backup of .* written to .*during-writes\.db: \d+ studies, \d+ migrations, \d+ pages .* integrity_check ok\./,
    );

    expect(checkDatabaseFile(backup)).toMatchObject({ ok: true, problems: [] });
    // One self-contained file: no WAL beside it, no temporary file left.
    expect(existsSync(`${backup}-wal`)).toBe(false);
    const inBackup = contents(backup);
    // Written one after another: a consistent snapshot holds exactly the first k of them.
    expect(inBackup.ours).toEqual(sent.slice(0, inBackup.ours.length));
    expect(sent.length).toBeGreaterThan(inBackup.ours.length - 1);

    // Refuses to overwrite without --force.
    const again = await run("scripts/db-backup.ts", [backup], { DATABASE_PATH: dbFile });
    expect(again.code).toBe(1);
    expect(again.output).toContain("already exists (use --force to replace it)");

    const restored = path.join(dir, "restored", "portal.db");
    const restore = await run("scripts/db-restore.ts", [backup], { DATABASE_PATH: restored });
    expect(restore.code, restore.output).toBe(0);
    expect(restore.output).toMatch(/Restored .* integrity_check ok\./);

    const second = await startServer({
      DATABASE_PATH: restored,
      SEED_DEMO_DATA: "false",
      API_RATE_LIMIT_PER_MINUTE: "0",
    });
    try {
      const ndjson = await (await fetch(`${second.url}/api/v1/export/studies.ndjson`)).text();
      const served = ndjson
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as { id: number; title: { nb: string } | string });
      expect(served.map((s) => s.id).sort((a, b) => a - b)).toEqual(inBackup.published);
      expect(inBackup.oursIds.length).toBeGreaterThan(0);
      for (const id of inBackup.oursIds) expect(inBackup.published).toContain(id);
      // One of them, read back in full.
      const one = await fetch(`${second.url}/api/v1/studies/${inBackup.oursIds[0]}`);
      expect(one.status).toBe(200);
      expect(JSON.stringify(await one.json())).toContain("Sikkerhetskopistudie 0");
    } finally {
      expect(await second.stop()).toBe(0);
    }
  });

  it("restore refuses while a server holds the database, and refuses a damaged backup without touching anything", async () => {
    const backup = path.join(dir, "backups", "quiet.db");
    expect((await run("scripts/db-backup.ts", [backup], { DATABASE_PATH: dbFile })).code).toBe(0);

    const before = readFileSync(dbFile);
    const held = await run("scripts/db-restore.ts", [backup], { DATABASE_PATH: dbFile });
    expect(held.code).toBe(1);
    expect(held.output).toMatch(/Refusing to restore: a server \(pid \d+, port \d+, started .*\) holds/);
    expect(readFileSync(dbFile).equals(before)).toBe(true);
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);

    const damaged = path.join(dir, "backups", "damaged.db");
    const bytes = readFileSync(backup);
    bytes.fill(0x42, 4096, 4096 * 3); // overwrite pages 2 and 3
    writeFileSync(damaged, bytes);
    const target = path.join(dir, "never", "portal.db");
    const bad = await run("scripts/db-restore.ts", [damaged], { DATABASE_PATH: target });
    expect(bad.code).toBe(1);
    expect(bad.output).toMatch(/Restore failed: the backup .*damaged\.db is not usable: /);
    expect(existsSync(target)).toBe(false);

    const notADb = path.join(dir, "backups", "notes.txt");
    writeFileSync(notADb, "dette er ingen database\n".repeat(200));
    const wrong = await run("scripts/db-restore.ts", [notADb], { DATABASE_PATH: target });
    expect(wrong.code).toBe(1);
    expect(wrong.output).toContain("file is not a database");
  });

  it("restore over an existing database keeps the old one aside", async () => {
    const backup = path.join(dir, "backups", "quiet.db");
    const target = path.join(dir, "old", "portal.db");
    const old = openDatabase(target);
    prepareDatabase(old, { seedDemoData: false });
    old.close();
    const r = await run("scripts/db-restore.ts", [backup], { DATABASE_PATH: target });
    expect(r.code, r.output).toBe(0);
    const kept = /kept as (\S+)\.$/m.exec(r.output)![1]!;
    expect(checkDatabaseFile(kept)).toMatchObject({ ok: true, studies: 0 });
    expect(checkDatabaseFile(target).studies).toBe(checkDatabaseFile(backup).studies);
  });
});
