/**
 * Graceful shutdown of the real built server: SIGTERM arrives while an ingest request is in flight
 * (its headers were read — the server answered "100 Continue" — but its body not yet sent) and a
 * live stream is open. The request must still complete, the stream end, the search outbox be
 * flushed into the embedded engine, the database closed cleanly (no WAL left, integrity_check ok)
 * and the process exit 0.
 */
import { existsSync, rmSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prepareDatabase } from "#app/boot.server";
import { openDatabase } from "#app/db.server";
import { checkDatabaseFile } from "#app/models/backup.server";
import { enginePending } from "#app/models/search-outbox.server";
import { issueToken } from "#app/models/token.server";
import { serverPidFile } from "#app/ops/server-pid.server";
import { tempDir } from "../helpers/db";
import { startServer, type RunningServer } from "../helpers/server";
import { holdDelivery } from "../helpers/held-delivery";
import { SseClient } from "../helpers/sse";

let dir: string;
let dbFile: string;
let server: RunningServer;
let token: string;

beforeAll(async () => {
  dir = tempDir("ks-shutdown-");
  dbFile = path.join(dir, "shutdown.db");
  const db = openDatabase(dbFile);
  prepareDatabase(db, { seedDemoData: false });
  token = issueToken(db, "ous", "shutdown test").token;
  db.close();
  server = await startServer({ DATABASE_PATH: dbFile, SEED_DEMO_DATA: "false" });
});
afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const studies = Array.from({ length: 25 }, (_, i) => ({
  id: `SD-${i}`,
  tittel: `Avslutningsstudie nummer ${i}`,
  sammendrag: "Et kort sammendrag.",
  studietype: "behandling",
  utfort_av: "ous",
  identifikatorer: { rek: `66${String(i).padStart(4, "0")}` },
  studiesteder: [{ foretak: "ous", inklusjon_start: "2026-01-01", inklusjon_slutt: "2027-12-31" }],
}));

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (condition()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`gave up waiting: ${what}\n${server.output()}`);
}

describe("SIGTERM", () => {
  it("finishes the request in flight, ends the live stream, flushes the outbox, closes the database and exits 0", async () => {
    expect(existsSync(serverPidFile(dbFile))).toBe(true);
    const stream = await SseClient.connect(`${server.url}/api/v1/events`);
    expect(stream.status).toBe(200);
    await stream.next((e) => e.event === "ready");

    // The request in flight: headers sent, body held back until after the signal.
    const body = JSON.stringify(studies);
    // The server has read the request's headers and is handling it.
    const held = await holdDelivery(`${server.url}/api/v1/organisations/ous/studies?format=native`, "PUT", token, body);

    const exited = new Promise<number | null>((resolve) => server.process.once("exit", (code) => resolve(code)));
    server.process.kill("SIGTERM");
    await until(() => server.output().includes("SIGTERM: closing"), "the server to start shutting down");
    // New connections are refused now…
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
    // …and the request that was in flight is served to its end.
    const answer = await held.send();
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.text)).toMatchObject({
      organisation: "ous",
      mode: "full",
      received: 25,
      created: 25,
      rejected: 0,
    });

    await stream.until(
      () => stream.ended,
      30_000,
      () => "the live stream to end",
    );
    expect(await exited).toBe(0);

    const output = server.output();
    expect(output).toMatch(/shutdown: search \(sqlite-fts\) flushed: \d+ indexed, \d+ removed, outbox lag 0/);
    expect(output).toContain("shutdown complete");
    // Closed cleanly: the last connection checkpointed and removed the WAL; the record of the server is gone.
    expect(existsSync(`${dbFile}-wal`)).toBe(false);
    expect(existsSync(serverPidFile(dbFile))).toBe(false);
    expect(checkDatabaseFile(dbFile)).toMatchObject({ ok: true, problems: [], studies: 25 });

    const db = openDatabase(dbFile);
    try {
      expect(enginePending(db, "sqlite-fts")).toMatchObject({ lag: 0, oldestEnqueuedAt: null });
      const ids = db.prepare("SELECT id FROM studies ORDER BY id").pluck().all() as number[];
      const indexed = db.prepare("SELECT study_id FROM search_studies ORDER BY study_id").pluck().all() as number[];
      expect(indexed).toEqual(ids);
    } finally {
      db.close();
    }
  });
});
